"""A published copy of the seeds and a Datasette configured like `newsetl serve`, for the front-end tests."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT

from etl.datasette_app import make_datasette
from etl.db.publish import publish


@pytest.fixture(scope="session")
def published_path(seeded_engine, tmp_path_factory):
    path = tmp_path_factory.mktemp("datasette") / "newsetl.db"
    publish(seeded_engine, path)
    return path


@pytest.fixture(scope="session")
def ds(published_path):
    return make_datasette(published_path)


@pytest.fixture(scope="session")
def sqlite_db(published_path):
    db = sqlite3.connect(f"file:{published_path}?mode=ro", uri=True)
    db.row_factory = sqlite3.Row
    yield db
    db.close()


def get(ds, path: str):
    """GET through Datasette's own test client."""
    async def fetch():
        return await ds.client.get(path)
    return asyncio.run(fetch())


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serving(*args: str, log_path: Path) -> Iterator[str]:
    """``newsetl serve ARGS`` in a subprocess on a free port; yields its base URL once it answers."""
    port = free_port()
    with log_path.open("w") as log:
        proc = subprocess.Popen([sys.executable, "-m", "etl", "serve", *args, "--port", str(port)],
                                cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, text=True)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 120
            while True:
                try:
                    with urllib.request.urlopen(base + "/-/versions.json", timeout=5):
                        break
                except OSError:
                    if proc.poll() is not None or time.monotonic() > deadline:
                        pytest.fail(f"newsetl serve did not start: {log_path.read_text()}")
                    time.sleep(0.5)
            yield base
        finally:
            proc.terminate()
            proc.wait(timeout=30)
