"""Alembic environment: the URL comes from etl.db.connection, the one place that reads it."""

from __future__ import annotations

from alembic import context

from etl.db.connection import create_engine, resolve_database
from etl.db.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_offline() -> None:
    context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True, compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:  # handed in by newsetl db / the tests
        _run(connection)
        return
    engine = create_engine(_url())
    try:
        with engine.connect() as conn:
            _run(conn)
            conn.commit()
    finally:
        engine.dispose()


def _run(connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata, compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


def _url():
    explicit = config.get_main_option("sqlalchemy.url")
    return explicit or resolve_database(None).url


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
