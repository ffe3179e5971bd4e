"""A published copy of the seeds and a Datasette configured like `newsetl serve`, for the front-end tests."""

from __future__ import annotations

import asyncio
import sqlite3

import pytest

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
