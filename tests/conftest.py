"""Fixtures: a real PostgreSQL (embedded by default, DATABASE_URL when set), migrated by Alembic.

- ``admin_url``: the server; each test session creates its own databases on it
  and drops them at the end, so the tests never touch the user's data.
- ``make_database``: a fresh database (migrated to head unless asked not to),
  for tests that commit (CLI subprocesses, migrations up and down).
- ``db_conn``: a connection to the session's migrated database inside a
  transaction that is rolled back after the test.
- ``seeded``: a database with the five seeds loaded once by ``newsetl load``.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import URL

from etl.db import embedded, migrate
from etl.db.connection import create_engine, normalize_url, release_embedded, start_embedded

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
SHARED = ROOT.parent / "shared"


def embedded_scratch_dir() -> Path:
    """A folder for embedded data directories (as root 0711: pytest's tmp_path sits in 0700 folders that
    the server's unprivileged account cannot go through, and newsetl changes no folder's permissions)."""
    return embedded.scratch_dir("newsetl-test-pg-")


def watchdog_pids(pgdata: Path) -> list[int]:
    """PIDs of the watchdogs (``python -m etl.db.embedded watch PGDATA``) of a data directory."""
    pids = []
    for proc in Path("/proc").iterdir():
        try:
            args = (proc / "cmdline").read_bytes().decode(errors="replace").split("\0")
        except OSError:
            continue
        if "etl.db.embedded" in args and args[-2:] == [str(pgdata), ""]:
            pids.append(int(proc.name))
    return pids


def clean_up_embedded(folder: Path) -> None:
    """Stop every server with its data directory in ``folder`` and their watchdogs, then remove it."""
    for lock in folder.rglob("*.lock"):
        if lock.name.startswith(".s.PGSQL."):  # the server's own socket lock file
            continue
        pgdata = lock.with_name(lock.name.removesuffix(".lock"))
        embedded.stop(pgdata)
        for pid in watchdog_pids(pgdata):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def embedded_dir() -> Iterator[Path]:
    """A scratch folder for embedded data directories; whatever runs there is stopped afterwards."""
    folder = embedded_scratch_dir()
    try:
        yield folder
    finally:
        clean_up_embedded(folder)


@pytest.fixture(scope="session")
def admin_url() -> Iterator[URL]:
    raw = os.environ.get("DATABASE_URL")
    if raw:
        yield normalize_url(raw)
        return
    folder = embedded_scratch_dir()
    try:
        yield start_embedded(folder / "pgdata", "postgres")
        release_embedded(folder / "pgdata")
    finally:
        clean_up_embedded(folder)


@pytest.fixture(scope="session")
def make_database(admin_url: URL) -> Iterator[Callable[..., URL]]:
    created: list[str] = []
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")

    def make(migrated: bool = True) -> URL:
        name = f"newsetl_test_{uuid.uuid4().hex[:12]}"
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        created.append(name)
        url = admin_url.set(database=name)
        if migrated:
            engine = create_engine(url)
            migrate.upgrade(engine)
            engine.dispose()
        return url

    yield make
    with admin.connect() as conn:
        for name in created:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def migrated_engine(make_database) -> Iterator[sa.Engine]:
    engine = create_engine(make_database())
    yield engine
    engine.dispose()


@pytest.fixture
def db_conn(migrated_engine) -> Iterator[sa.Connection]:
    """A connection whose every change is rolled back after the test."""
    with migrated_engine.connect() as conn:
        outer = conn.begin()
        yield conn
        outer.rollback()


def url_arg(url: URL) -> str:
    return url.render_as_string(hide_password=False)


def run_cli(*args: str, env: dict | None = None, timeout: float = 300, **kwargs) -> subprocess.CompletedProcess:
    """Run ``python -m etl`` in a subprocess, as a user would run ``newsetl``."""
    full_env = {**os.environ, "COLUMNS": "200", **(env or {})}
    return subprocess.run([sys.executable, "-m", "etl", *args], capture_output=True, text=kwargs.pop("text", True),
                          env=full_env, timeout=timeout, cwd=kwargs.pop("cwd", ROOT), **kwargs)


@pytest.fixture(scope="session")
def seeded_url(make_database) -> URL:
    url = make_database()
    proc = run_cli("load", "--newspaper", "焦作日报", "--db", url_arg(url), str(SEEDS))
    assert proc.returncode == 0, proc.stderr
    return url


@pytest.fixture(scope="session")
def seeded_engine(seeded_url) -> Iterator[sa.Engine]:
    engine = create_engine(seeded_url)
    yield engine
    engine.dispose()


def table_counts(engine_or_conn, tables=None) -> dict[str, int]:
    from etl.db.models import Base

    names = tables or [t.name for t in Base.metadata.sorted_tables]
    ctx = engine_or_conn.connect() if isinstance(engine_or_conn, sa.Engine) else contextlib.nullcontext(engine_or_conn)
    with ctx as conn:
        return {n: conn.scalar(sa.text(f"SELECT count(*) FROM {n}")) for n in names}

