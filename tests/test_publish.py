"""Publishing PostgreSQL to SQLite: every table and key, and incremental publishes equal to full ones."""

from __future__ import annotations

import shutil
import sqlite3

import pytest
import sqlalchemy as sa

from etl.db.connection import create_engine
from etl.db.load import load_paths, purge_paths
from etl.db.publish import FTS_TABLE, PUBLISHED_TABLES, is_stale, publish
from etl.search import fts_query
from tests.conftest import SEEDS

pytestmark = pytest.mark.db

OPTIONAL_EMPTY = {"rejected_file"}  # the seeds all load


@pytest.fixture(scope="module")
def published(seeded_engine, tmp_path_factory):
    path = tmp_path_factory.mktemp("publish") / "newsetl.db"
    report = publish(seeded_engine, path)
    return path, report


def test_every_table_copied_with_all_rows(published, seeded_engine):
    path, report = published
    assert report.mode == "full"
    with seeded_engine.connect() as conn, sqlite3.connect(path) as db:
        for table in PUBLISHED_TABLES:
            pg = conn.scalar(sa.text(f"SELECT count(*) FROM {table.name}"))
            assert pg > 0 or table.name in OPTIONAL_EMPTY, f"seeds left {table.name} empty"
            assert db.execute(f"SELECT count(*) FROM [{table.name}]").fetchone()[0] == pg, table.name
            assert report.tables[table.name] == pg
        assert report.tables[FTS_TABLE] == report.tables["article"]


@pytest.mark.parametrize("view, order", [("person_title", "person_id, title"),
                                         ("person_post", "person_id, post_id")])
def test_views_answer_in_sqlite_as_in_postgresql(published, seeded_engine, view, order):
    # the SQLite views are written apart from the PostgreSQL ones (no regexes, no array_agg there)
    path, _ = published
    def plain(row) -> tuple:  # dates as SQLite stores them (ISO text)
        return tuple(v if v is None or isinstance(v, int) else str(v) for v in row)

    with seeded_engine.connect() as conn, sqlite3.connect(path) as db:
        pg = [plain(r) for r in conn.execute(sa.text(f"SELECT * FROM {view} ORDER BY {order}"))]
        lite = [plain(r) for r in db.execute(f"SELECT * FROM [{view}] ORDER BY {order}")]
    assert pg and lite == pg


def test_foreign_keys_and_keys_intact(published):
    path, _ = published
    with sqlite3.connect(path) as db:
        for table in PUBLISHED_TABLES:
            expected = {(fk.parent.name, fk.column.table.name, fk.column.name) for fk in table.foreign_keys}
            actual = {(r[3], r[2], r[4]) for r in db.execute(f"PRAGMA foreign_key_list([{table.name}])")}
            assert actual == expected, table.name
            pk = [r[1] for r in db.execute(f"PRAGMA table_info([{table.name}])") if r[5]]
            assert pk == list(table.primary_key.columns.keys()), table.name
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []


def test_label_columns_show_names_and_headlines(published):
    path, _ = published
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT count(*) FROM article WHERE title IS NULL OR title = ''").fetchone()[0] == 0
        assert db.execute("SELECT count(*) FROM mention WHERE entity IS NULL").fetchone()[0] == 0
        assert db.execute("SELECT label FROM issue WHERE issue_date = '2023-01-10'").fetchone()[0] == "焦作日报 2023-01-10"
        lv = db.execute("SELECT articles FROM person WHERE name = '吕沛'").fetchone()[0]
        assert lv == db.execute("""SELECT count(DISTINCT article_id) FROM mention m JOIN person p ON p.id = m.person_id
                                   WHERE p.name = '吕沛'""").fetchone()[0] > 10


def test_search_index_is_found_by_datasette_detection(published):
    """content="article" lets Datasette and datasette-search-all find the index without metadata."""
    from datasette.utils import detect_fts

    path, _ = published
    with sqlite3.connect(path) as db:
        assert detect_fts(db, "article") == FTS_TABLE


def test_publish_is_not_stale_until_data_changes(published, seeded_engine):
    path, _ = published
    assert not is_stale(seeded_engine, path)
    assert is_stale(seeded_engine, path.with_name("missing.db"))


def _snapshot(path) -> dict:
    """Everything a reader could see in the file: every row of every table, and what searches find."""
    with sqlite3.connect(path) as db:
        rows = {t.name: db.execute(f"SELECT * FROM [{t.name}] ORDER BY 1").fetchall()
                for t in PUBLISHED_TABLES}
        db.create_function("newsetl_fts", 1, fts_query)
        for query in ("吕沛", "安全生产", "高新区安全生产工作", "孟州", "乡", "5+1+N"):
            rows[f"search {query}"] = db.execute(
                f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH newsetl_fts(?) ORDER BY rowid",
                (query,)).fetchall()
        rows["fts integrity"] = db.execute(f"SELECT count(*) FROM {FTS_TABLE}_docsize").fetchall()
    return rows


def test_incremental_publish_equals_a_full_one(make_database, tmp_path):
    """Add files, replace one's content, purge one: each incremental publish equals a full rebuild."""
    engine = create_engine(make_database())
    seeds = sorted(SEEDS.glob("*.txt"))
    work = tmp_path / "dumps"
    work.mkdir()
    for seed in seeds[:3]:
        shutil.copy(seed, work / seed.name)
    target, full = tmp_path / "newsetl.db", tmp_path / "full.db"

    def check(expect_mode, expect_files):
        report = publish(engine, target)
        assert (report.mode, report.files_republished + report.files_removed) == (expect_mode, expect_files), report
        publish(engine, full, full=True)
        assert _snapshot(target) == _snapshot(full)
        assert not is_stale(engine, target)
        return report

    try:
        assert load_paths(engine, [str(work)], newspaper="焦作日报").ok
        check("full", 3)
        check("incremental", 0)  # nothing changed: nothing re-copied
        for seed in seeds[3:]:
            shutil.copy(seed, work / seed.name)
        assert load_paths(engine, [str(work)], newspaper="焦作日报").ok
        check("incremental", 2)  # the two new files only
        changed = work / seeds[0].name
        changed.write_text(changed.read_text(encoding="utf-8").replace("高新区", "高新技术区", 3), encoding="utf-8")
        assert load_paths(engine, [str(work)], newspaper="焦作日报").ok
        check("incremental", 2)  # the old content goes, the new content comes
        purge_paths(engine, [str(work / seeds[1].name)])
        check("incremental", 1)
    finally:
        engine.dispose()


def test_layout_change_forces_a_full_rebuild(seeded_engine, tmp_path, monkeypatch):
    from etl.db import publish as publish_module

    path = tmp_path / "newsetl.db"
    publish(seeded_engine, path)
    monkeypatch.setattr(publish_module, "PUBLISH_FORMAT", "test-changed")
    report = publish(seeded_engine, path)
    assert (report.mode, report.reason) == ("full", "layout changed")
