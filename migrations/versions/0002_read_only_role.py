"""read-only role newsetl_reader for SQL users

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23

Creates the group role ``newsetl_reader`` (NOLOGIN) with SELECT on every
table, now and in later migrations (default privileges). Give a person access
with ``CREATE ROLE alice LOGIN PASSWORD '…' IN ROLE newsetl_reader``. Roles
are cluster-wide: on a server where the migrating user may not create roles
the migration says so in a NOTICE and only grants to an existing role.
"""
from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ROLE = "newsetl_reader"


def upgrade() -> None:
    op.execute(f"""
    DO $$
    BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{ROLE}') THEN
        BEGIN
          CREATE ROLE {ROLE} NOLOGIN;
        EXCEPTION
          WHEN duplicate_object THEN NULL;  -- created meanwhile by a migration of another database
          WHEN insufficient_privilege THEN
            RAISE NOTICE 'newsetl: no privilege to create role {ROLE}; read-only role not set up';
            RETURN;
        END;
      END IF;
      EXECUTE format('GRANT CONNECT ON DATABASE %I TO {ROLE}', current_database());
      EXECUTE format('GRANT USAGE ON SCHEMA %I TO {ROLE}', current_schema());
      EXECUTE format('GRANT SELECT ON ALL TABLES IN SCHEMA %I TO {ROLE}', current_schema());
      EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT SELECT ON TABLES TO {ROLE}', current_schema());
    END $$;
    """)


def downgrade() -> None:
    op.execute(f"""
    DO $$
    BEGIN
      IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{ROLE}') THEN
        EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I REVOKE SELECT ON TABLES FROM {ROLE}', current_schema());
        EXECUTE format('REVOKE SELECT ON ALL TABLES IN SCHEMA %I FROM {ROLE}', current_schema());
        EXECUTE format('REVOKE USAGE ON SCHEMA %I FROM {ROLE}', current_schema());
        EXECUTE format('REVOKE CONNECT ON DATABASE %I FROM {ROLE}', current_database());
        BEGIN
          DROP ROLE {ROLE};
        EXCEPTION
          WHEN dependent_objects_still_exist OR insufficient_privilege THEN NULL;  -- still used elsewhere
        END;
      END IF;
    END $$;
    """)
