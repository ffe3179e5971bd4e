"""article_source (articles shared between files), load_lock (locks readers cannot take),
credentials scrubbed from load_run

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 18:30:00

- ``article_source``: every file's page that supplies an article. Filled with each
  article's own page; for files loaded before this revision, which did not record
  the articles they shared with an earlier file, every other file with a page of
  the same issue, label and section is recorded as a possible source too (the text
  key of a shared article is made of exactly those), so purging the first file
  keeps what the others may hold. ``(page_id, seq)`` of ``article`` stops being
  unique for that reason.
- ``load_lock``: 4,096 rows the loader locks FOR UPDATE instead of advisory locks,
  which any role (the read-only ``newsetl_reader`` too) can take.
- ``load_run.arguments`` and ``errors``: passwords in URLs and ``password=``
  parameters replaced by ``***`` (the CLI masks them from now on).
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LOCK_SLOTS = 4096
READER = "newsetl_reader"
# The same patterns as etl.db.connection.mask_secrets, in PostgreSQL's regex dialect.
_URL_PASSWORD = r"([A-Za-z][A-Za-z0-9+.-]*://[^/\s:@]*):[^/\s]*@"
_PARAM_PASSWORD = r"(password\s*=\s*)[^\s&;'\"]+"


def _scrub(column: str) -> str:
    return (f"regexp_replace(regexp_replace({column}, :url, '\\1:***@', 'g'), :param, '\\1***', 'gi')")


def upgrade() -> None:
    op.create_table('article_source',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('page_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('start_offset', sa.Integer(), nullable=False),
    sa.Column('end_offset', sa.Integer(), nullable=False),
    sa.Column('line_start', sa.Integer(), nullable=False),
    sa.Column('line_end', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['article.id'], name=op.f('fk_article_source_article_id_article'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['page_id'], ['page.id'], name=op.f('fk_article_source_page_id_page'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_article_source')),
    sa.UniqueConstraint('article_id', 'page_id', name=op.f('uq_article_source_article_id_page_id'))
    )
    op.create_index(op.f('ix_article_source_article_id'), 'article_source', ['article_id'], unique=False)
    op.create_index(op.f('ix_article_source_page_id'), 'article_source', ['page_id'], unique=False)
    op.execute("""
        INSERT INTO article_source (article_id, page_id, seq, start_offset, end_offset, line_start, line_end)
        SELECT a.id, a.page_id, a.seq, a.start_offset, a.end_offset, a.line_start, a.line_end FROM article a
        UNION ALL
        SELECT a.id, q.id, a.seq, a.start_offset, a.end_offset, a.line_start, a.line_end
        FROM article a JOIN page p ON p.id = a.page_id
        JOIN page q ON q.issue_id = p.issue_id AND q.source_file_id <> p.source_file_id
                   AND q.page_label IS NOT DISTINCT FROM p.page_label AND q.section IS NOT DISTINCT FROM p.section
        ON CONFLICT DO NOTHING""")
    op.drop_constraint(op.f('uq_article_page_id_seq'), 'article', type_='unique')

    op.create_table('load_lock',
    sa.Column('slot', sa.Integer(), autoincrement=False, nullable=False),
    sa.CheckConstraint(f'slot >= 0 AND slot < {LOCK_SLOTS}', name=op.f('ck_load_lock_slot')),
    sa.PrimaryKeyConstraint('slot', name=op.f('pk_load_lock'))
    )
    op.execute(f"INSERT INTO load_lock (slot) SELECT generate_series(0, {LOCK_SLOTS - 1})")
    op.execute(f"""
    DO $$
    BEGIN
      IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{READER}') THEN
        REVOKE ALL ON load_lock FROM {READER};
      END IF;
    END $$;
    """)

    op.execute(sa.text(f"UPDATE load_run SET arguments = {_scrub('arguments')}, errors = {_scrub('errors')}")
               .bindparams(url=_URL_PASSWORD, param=_PARAM_PASSWORD))


def downgrade() -> None:
    op.drop_table('load_lock')
    op.create_unique_constraint(op.f('uq_article_page_id_seq'), 'article', ['page_id', 'seq'])
    op.drop_index(op.f('ix_article_source_page_id'), table_name='article_source')
    op.drop_index(op.f('ix_article_source_article_id'), table_name='article_source')
    op.drop_table('article_source')
