"""Run Alembic migrations programmatically (``newsetl db upgrade|downgrade|current``)."""

from __future__ import annotations

import io
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine

MIGRATIONS_DIR = Path(__file__).resolve().parents[2] / "migrations"
# Runs that migrate one database at once take turns; the next one then finds the schema where the
# first left it and has nothing to do (two first runs used to collide on creating alembic_version).
MIGRATION_LOCK = "newsetl:migrate"


def alembic_config(connection: Connection | None = None) -> Config:
    cfg = Config(stdout=io.StringIO())
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


MIGRATION_LOCK_WAIT_S = 120.0


def lock_migrations(conn: Connection, wait: float = MIGRATION_LOCK_WAIT_S) -> None:
    """Take the database's migration lock, held until ``conn``'s transaction ends.

    An advisory lock, because it must exist before any table does; any role can take
    one, so the wait is bounded: a session holding it for ``wait`` seconds (a
    migration that long, or a reader holding it on purpose) gives a clear error.
    """
    import time

    from etl.errors import DatabaseUnavailableError

    deadline = time.monotonic() + wait
    while not conn.scalar(text("SELECT pg_try_advisory_xact_lock(hashtextextended(:key, 0))"),
                          {"key": MIGRATION_LOCK}):
        if time.monotonic() > deadline:
            holder = conn.scalar(text(
                "SELECT string_agg(DISTINCT format('pid %s (%s)', l.pid, a.usename), ', ') FROM pg_locks l "
                "JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory' "
                "AND l.objid = (hashtextextended(:key, 0) & 4294967295)::oid AND l.granted"), {"key": MIGRATION_LOCK})
            raise DatabaseUnavailableError(
                f"the schema migration lock has been held for {wait:g} s by {holder or 'another session'}; "
                "nothing was migrated (try again when it ends)")
        time.sleep(0.2)


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Migrate up to ``revision`` in one transaction, one process at a time per database."""
    with engine.begin() as conn:
        lock_migrations(conn)  # Alembic reads the current revision after this, so it sees the last run's
        command.upgrade(alembic_config(conn), revision)


def downgrade(engine: Engine, revision: str) -> None:
    with engine.begin() as conn:
        lock_migrations(conn)
        command.downgrade(alembic_config(conn), revision)


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def is_up_to_date(engine: Engine) -> bool:
    return current_revision(engine) == head_revision()
