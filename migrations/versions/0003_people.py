"""people: page staff, variant evidence, person_title view

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 19:58:38.519443
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql
revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# Each official's posts over time: every title printed before the person's name,
# with the first and last date it was seen (the issue date, else the event date).
PERSON_TITLE_VIEW = """
CREATE VIEW person_title AS
SELECT p.id AS person_id,
       p.name AS person,
       m.title,
       min(coalesce(i.issue_date, a.event_date)) AS first_seen,
       max(coalesce(i.issue_date, a.event_date)) AS last_seen,
       count(DISTINCT a.id) AS articles
FROM mention m
JOIN person p ON p.id = m.person_id
JOIN article a ON a.id = m.article_id
JOIN page pg ON pg.id = a.page_id
JOIN issue i ON i.id = pg.issue_id
WHERE m.title IS NOT NULL
GROUP BY p.id, p.name, m.title
"""


def upgrade() -> None:
    op.create_table('page_staff',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('page_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.Text(), nullable=False),
    sa.Column('surface', sa.Text(), nullable=False),
    sa.CheckConstraint("role IN ('editor', 'proofreader', 'layout_editor')", name=op.f('ck_page_staff_role')),
    sa.ForeignKeyConstraint(['page_id'], ['page.id'], name=op.f('fk_page_staff_page_id_page'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_page_staff_person_id_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_page_staff')),
    sa.UniqueConstraint('page_id', 'role', 'person_id', name=op.f('uq_page_staff_page_id_role_person_id'))
    )
    op.create_index(op.f('ix_page_staff_page_id'), 'page_staff', ['page_id'], unique=False)
    op.create_index(op.f('ix_page_staff_person_id'), 'page_staff', ['person_id'], unique=False)
    op.add_column('person', sa.Column('variant_evidence', postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'{}'::jsonb"), nullable=False))
    op.execute(PERSON_TITLE_VIEW)


def downgrade() -> None:
    op.execute("DROP VIEW person_title")
    op.drop_column('person', 'variant_evidence')
    op.drop_index(op.f('ix_page_staff_person_id'), table_name='page_staff')
    op.drop_index(op.f('ix_page_staff_page_id'), table_name='page_staff')
    op.drop_table('page_staff')
