"""article.warnings: why the parser doubts an item (a second dateline, a title inside the body, …)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04 10:00:00

(0006 is added concurrently by another branch; the chain is joined when both are merged.)
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('article', sa.Column('warnings', postgresql.ARRAY(sa.Text()), server_default=sa.text("'{}'::text[]"),
                                       nullable=False))


def downgrade() -> None:
    op.drop_column('article', 'warnings')
