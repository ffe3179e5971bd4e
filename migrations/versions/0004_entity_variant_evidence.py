"""organization and place variant evidence (short forms linked to the full name)

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24 02:30:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    for table in ('organization', 'place'):
        op.add_column(table, sa.Column('variant_evidence', postgresql.JSONB(astext_type=sa.Text()),
                                       server_default=sa.text("'{}'::jsonb"), nullable=False))


def downgrade() -> None:
    for table in ('place', 'organization'):
        op.drop_column(table, 'variant_evidence')
