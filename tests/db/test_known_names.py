"""The known-names pass: a person found in one file is recognized where another file names them bare."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from etl.db.load import load_paths, purge_paths

pytestmark = pytest.mark.db

# The rules find 吕沛 here (a title chain before the name) ...
FIRST = """温县新闻
市领导调研安全生产
本报讯 1月7日下午，市政协副主席、高新区党工委书记吕沛到温县调研安全生产工作。他强调，要压实责任。
"""
# ... but not here, where the name stands bare; 高峰期 must not become a person.
SECOND = """温县新闻
安全生产再部署
本报讯 1月9日，吕沛在会上指出，早晚高峰期要加强巡查，确保安全。
"""


def _corpus_mentions(conn):
    return conn.execute(sa.text(
        """SELECT m.surface, m.role, p.name, a.body, m.start_offset, m.end_offset FROM mention m
           JOIN article a ON a.id = m.article_id JOIN person p ON p.id = m.person_id
           WHERE m.found_by = 'corpus' ORDER BY m.start_offset""")).all()


def _write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("order", ["first file first", "second file first"])
def test_a_name_found_in_one_file_is_marked_in_another(db_conn, tmp_path, order):
    first, second = _write(tmp_path, "first.txt", FIRST), _write(tmp_path, "second.txt", SECOND)
    paths = [first, second] if order == "first file first" else [second, first]
    for path in paths:  # one run per file: the pass of the later run sees the earlier file
        assert load_paths(db_conn, [path], newspaper="焦作日报").ok
    rows = _corpus_mentions(db_conn)
    assert [(r.surface, r.role, r.name) for r in rows] == [("吕沛", "mentioned", "吕沛")]
    assert rows[0].body[rows[0].start_offset:rows[0].end_offset] == "吕沛"
    assert "吕沛在会上指出" in rows[0].body
    # one person row, named by both articles
    assert db_conn.scalar(sa.text("""SELECT count(DISTINCT m.article_id) FROM mention m JOIN person p ON p.id = m.person_id
                                     WHERE p.name = '吕沛'""")) == 2
    assert db_conn.scalar(sa.text("SELECT count(*) FROM person WHERE name = '高峰'")) == 0


def test_purging_the_file_that_found_the_name_removes_the_corpus_mentions(db_conn, tmp_path):
    first, second = _write(tmp_path, "first.txt", FIRST), _write(tmp_path, "second.txt", SECOND)
    assert load_paths(db_conn, [first, second], newspaper="焦作日报").ok
    assert len(_corpus_mentions(db_conn)) == 1
    purge_paths(db_conn, [first])
    assert _corpus_mentions(db_conn) == []
    assert load_paths(db_conn, [first], newspaper="焦作日报").ok
    assert len(_corpus_mentions(db_conn)) == 1


def test_a_file_loaded_again_unchanged_writes_nothing_new(db_conn, tmp_path):
    first, second = _write(tmp_path, "first.txt", FIRST), _write(tmp_path, "second.txt", SECOND)
    assert load_paths(db_conn, [first, second], newspaper="焦作日报").ok
    before = db_conn.execute(sa.text("SELECT count(*), max(id) FROM mention")).one()
    report = load_paths(db_conn, [first, second], newspaper="焦作日报")
    assert report.count("unchanged") == 2
    assert db_conn.execute(sa.text("SELECT count(*), max(id) FROM mention")).one() == before
