"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-23 19:38:49.718203
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql
revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('load_run',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('status', sa.Text(), server_default='running', nullable=False),
    sa.Column('files_seen', sa.Integer(), server_default='0', nullable=False),
    sa.Column('files_added', sa.Integer(), server_default='0', nullable=False),
    sa.Column('files_replaced', sa.Integer(), server_default='0', nullable=False),
    sa.Column('files_unchanged', sa.Integer(), server_default='0', nullable=False),
    sa.Column('files_failed', sa.Integer(), server_default='0', nullable=False),
    sa.Column('articles_loaded', sa.Integer(), server_default='0', nullable=False),
    sa.Column('tool_version', sa.Text(), nullable=False),
    sa.Column('arguments', sa.Text(), nullable=True),
    sa.Column('errors', sa.Text(), nullable=True),
    sa.CheckConstraint("status IN ('running', 'ok', 'partial', 'failed')", name=op.f('ck_load_run_status')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_load_run'))
    )
    op.create_table('newspaper',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('masthead', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_newspaper')),
    sa.UniqueConstraint('name', name=op.f('uq_newspaper_name'))
    )
    op.create_table('organization',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('variants', postgresql.ARRAY(sa.Text()), server_default=sa.text("'{}'::text[]"), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organization')),
    sa.UniqueConstraint('name', name=op.f('uq_organization_name'))
    )
    op.create_table('person',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('variants', postgresql.ARRAY(sa.Text()), server_default=sa.text("'{}'::text[]"), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_person')),
    sa.UniqueConstraint('name', name=op.f('uq_person_name'))
    )
    op.create_table('place',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('variants', postgresql.ARRAY(sa.Text()), server_default=sa.text("'{}'::text[]"), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_place')),
    sa.UniqueConstraint('name', name=op.f('uq_place_name'))
    )
    op.create_table('rejected_file',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('path', sa.Text(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=True),
    sa.Column('size_bytes', sa.BigInteger(), nullable=True),
    sa.Column('first_rejected_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('last_rejected_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('times', sa.Integer(), server_default='1', nullable=False),
    sa.Column('last_load_run_id', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rejected_file')),
    sa.UniqueConstraint('path', name=op.f('uq_rejected_file_path'))
    )
    op.create_table('source_file',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('path', sa.Text(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size_bytes', sa.BigInteger(), nullable=False),
    sa.Column('encoding', sa.Text(), nullable=False),
    sa.Column('newline', sa.Text(), nullable=False),
    sa.Column('first_loaded_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('last_loaded_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('last_load_run_id', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_source_file')),
    sa.UniqueConstraint('sha256', name=op.f('uq_source_file_sha256'))
    )
    op.create_index(op.f('ix_source_file_path'), 'source_file', ['path'], unique=False)
    op.create_table('issue',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('newspaper_id', sa.Integer(), nullable=False),
    sa.Column('issue_date', sa.Date(), nullable=True),
    sa.Column('edition', sa.Text(), server_default='', nullable=False),
    sa.Column('date_source', sa.Text(), nullable=True),
    sa.CheckConstraint("date_source IN ('header', 'text')", name=op.f('ck_issue_date_source')),
    sa.ForeignKeyConstraint(['newspaper_id'], ['newspaper.id'], name=op.f('fk_issue_newspaper_id_newspaper'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_issue')),
    sa.UniqueConstraint('newspaper_id', 'issue_date', 'edition', name=op.f('uq_issue_newspaper_id_issue_date_edition'), postgresql_nulls_not_distinct=True)
    )
    op.create_index(op.f('ix_issue_issue_date'), 'issue', ['issue_date'], unique=False)
    op.create_index(op.f('ix_issue_newspaper_id'), 'issue', ['newspaper_id'], unique=False)
    op.create_table('source_file_name',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source_file_id', sa.Integer(), nullable=False),
    sa.Column('path', sa.Text(), nullable=False),
    sa.Column('first_seen_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['source_file_id'], ['source_file.id'], name=op.f('fk_source_file_name_source_file_id_source_file'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_source_file_name')),
    sa.UniqueConstraint('path', name=op.f('uq_source_file_name_path'))
    )
    op.create_index(op.f('ix_source_file_name_source_file_id'), 'source_file_name', ['source_file_id'], unique=False)
    op.create_table('page',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('issue_id', sa.Integer(), nullable=False),
    sa.Column('source_file_id', sa.Integer(), nullable=False),
    sa.Column('file_order', sa.Integer(), nullable=False),
    sa.Column('page_label', sa.Text(), nullable=True),
    sa.Column('section', sa.Text(), nullable=True),
    sa.Column('has_header', sa.Boolean(), server_default=sa.text('true'), nullable=False),
    sa.Column('editor', sa.Text(), nullable=True),
    sa.Column('proofreader', sa.Text(), nullable=True),
    sa.Column('layout_editor', sa.Text(), nullable=True),
    sa.Column('hotline', sa.Text(), nullable=True),
    sa.Column('first_line', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['issue_id'], ['issue.id'], name=op.f('fk_page_issue_id_issue'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['source_file_id'], ['source_file.id'], name=op.f('fk_page_source_file_id_source_file'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_page')),
    sa.UniqueConstraint('issue_id', 'source_file_id', 'file_order', name=op.f('uq_page_issue_id_source_file_id_file_order'))
    )
    op.create_index(op.f('ix_page_issue_id'), 'page', ['issue_id'], unique=False)
    op.create_index(op.f('ix_page_page_label'), 'page', ['page_label'], unique=False)
    op.create_index(op.f('ix_page_section'), 'page', ['section'], unique=False)
    op.create_index(op.f('ix_page_source_file_id'), 'page', ['source_file_id'], unique=False)
    op.create_table('article',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('page_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Text(), nullable=False),
    sa.Column('headline', sa.Text(), nullable=True),
    sa.Column('kicker', sa.Text(), nullable=True),
    sa.Column('subheadline', sa.Text(), nullable=True),
    sa.Column('dateline', sa.Text(), nullable=True),
    sa.Column('byline', sa.Text(), nullable=True),
    sa.Column('event_date', sa.Date(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('start_offset', sa.Integer(), nullable=False),
    sa.Column('end_offset', sa.Integer(), nullable=False),
    sa.Column('line_start', sa.Integer(), nullable=False),
    sa.Column('line_end', sa.Integer(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('text_key', sa.String(length=32), nullable=False),
    sa.CheckConstraint("kind IN ('article', 'brief', 'photo', 'commentary', 'other')", name=op.f('ck_article_kind')),
    sa.CheckConstraint('end_offset >= start_offset', name=op.f('ck_article_span')),
    sa.ForeignKeyConstraint(['page_id'], ['page.id'], name=op.f('fk_article_page_id_page'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_article')),
    sa.UniqueConstraint('page_id', 'seq', name=op.f('uq_article_page_id_seq')),
    sa.UniqueConstraint('text_key', name=op.f('uq_article_text_key'))
    )
    op.create_index(op.f('ix_article_content_hash'), 'article', ['content_hash'], unique=False)
    op.create_index(op.f('ix_article_event_date'), 'article', ['event_date'], unique=False)
    op.create_index(op.f('ix_article_kind'), 'article', ['kind'], unique=False)
    op.create_index(op.f('ix_article_page_id'), 'article', ['page_id'], unique=False)
    op.create_table('mention',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('organization_id', sa.Integer(), nullable=True),
    sa.Column('place_id', sa.Integer(), nullable=True),
    sa.Column('role', sa.Text(), nullable=False),
    sa.Column('surface', sa.Text(), nullable=False),
    sa.Column('title', sa.Text(), nullable=True),
    sa.Column('field', sa.Text(), server_default='body', nullable=False),
    sa.Column('start_offset', sa.Integer(), nullable=False),
    sa.Column('end_offset', sa.Integer(), nullable=False),
    sa.CheckConstraint("field IN ('body', 'headline', 'byline')", name=op.f('ck_mention_field')),
    sa.CheckConstraint("role = 'mentioned' OR person_id IS NOT NULL", name=op.f('ck_mention_credit_is_person')),
    sa.CheckConstraint("role IN ('reporter', 'correspondent', 'trainee_reporter', 'photographer', 'author', 'credit', 'mentioned')", name=op.f('ck_mention_role')),
    sa.CheckConstraint('end_offset > start_offset', name=op.f('ck_mention_span')),
    sa.CheckConstraint('num_nonnulls(person_id, organization_id, place_id) = 1', name=op.f('ck_mention_one_entity')),
    sa.ForeignKeyConstraint(['article_id'], ['article.id'], name=op.f('fk_mention_article_id_article'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], name=op.f('fk_mention_organization_id_organization'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_mention_person_id_person'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['place_id'], ['place.id'], name=op.f('fk_mention_place_id_place'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mention'))
    )
    op.create_index(op.f('ix_mention_article_id'), 'mention', ['article_id'], unique=False)
    op.create_index(op.f('ix_mention_article_id_field_start_offset'), 'mention', ['article_id', 'field', 'start_offset'], unique=False)
    op.create_index(op.f('ix_mention_organization_id'), 'mention', ['organization_id'], unique=False)
    op.create_index(op.f('ix_mention_person_id'), 'mention', ['person_id'], unique=False)
    op.create_index(op.f('ix_mention_place_id'), 'mention', ['place_id'], unique=False)
    op.create_index(op.f('ix_mention_role'), 'mention', ['role'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_mention_role'), table_name='mention')
    op.drop_index(op.f('ix_mention_place_id'), table_name='mention')
    op.drop_index(op.f('ix_mention_person_id'), table_name='mention')
    op.drop_index(op.f('ix_mention_organization_id'), table_name='mention')
    op.drop_index(op.f('ix_mention_article_id_field_start_offset'), table_name='mention')
    op.drop_index(op.f('ix_mention_article_id'), table_name='mention')
    op.drop_table('mention')
    op.drop_index(op.f('ix_article_page_id'), table_name='article')
    op.drop_index(op.f('ix_article_kind'), table_name='article')
    op.drop_index(op.f('ix_article_event_date'), table_name='article')
    op.drop_index(op.f('ix_article_content_hash'), table_name='article')
    op.drop_table('article')
    op.drop_index(op.f('ix_page_source_file_id'), table_name='page')
    op.drop_index(op.f('ix_page_section'), table_name='page')
    op.drop_index(op.f('ix_page_page_label'), table_name='page')
    op.drop_index(op.f('ix_page_issue_id'), table_name='page')
    op.drop_table('page')
    op.drop_index(op.f('ix_source_file_name_source_file_id'), table_name='source_file_name')
    op.drop_table('source_file_name')
    op.drop_index(op.f('ix_issue_newspaper_id'), table_name='issue')
    op.drop_index(op.f('ix_issue_issue_date'), table_name='issue')
    op.drop_table('issue')
    op.drop_index(op.f('ix_source_file_path'), table_name='source_file')
    op.drop_table('source_file')
    op.drop_table('rejected_file')
    op.drop_table('place')
    op.drop_table('person')
    op.drop_table('organization')
    op.drop_table('newspaper')
    op.drop_table('load_run')
