"""mention.found_by: names recognized from the rest of the corpus

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 22:20:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('mention', sa.Column('found_by', sa.Text(), server_default='parse', nullable=False))
    op.create_check_constraint(op.f('ck_mention_found_by'), 'mention', "found_by IN ('parse', 'corpus')")


def downgrade() -> None:
    op.drop_constraint(op.f('ck_mention_found_by'), 'mention', type_='check')
    op.drop_column('mention', 'found_by')
