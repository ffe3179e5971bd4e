"""Articles two files hold are stored once and stay while either file is loaded (each test rolled back)."""

from __future__ import annotations

import hashlib

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from etl.db.load import article_keys, purge_paths, write_document

from .test_load import doc, item

pytestmark = pytest.mark.db

BODIES = [f"本报讯 1月{n}日上午，温县召开第{n}次工作会议，部署全年任务。" for n in range(1, 7)]


def version(bodies: tuple[int, ...]):
    """A file holding the given bodies (by index), its bytes and its SHA-256."""
    document = doc([item(seq, BODIES[b]) for seq, b in enumerate(bodies, start=1)])
    data = ("|".join(map(str, bodies))).encode()
    return document, data, hashlib.sha256(data).hexdigest()


def load(conn, path: str, bodies: tuple[int, ...]):
    document, data, sha = version(bodies)
    with conn.begin_nested():
        return write_document(conn, path, data, sha, document)


def purge(conn, path: str):
    return purge_paths(conn, [path])


def expected_keys(named: dict[str, tuple[int, ...]]) -> set[str]:
    # the header's masthead names the paper
    return {key for bodies in named.values() for _, key, _ in article_keys(version(bodies)[0], "JIAOZUO DAILY")}


def stored_keys(conn) -> set[str]:
    return set(conn.scalars(sa.text("SELECT text_key FROM article")))


def assert_consistent(conn, named: dict[str, tuple[int, ...]]) -> None:
    """Exactly the articles of the named files; each shown from a file that holds it, the one with the
    smallest SHA-256; every file recorded as a source of each article it holds."""
    assert stored_keys(conn) == expected_keys(named)
    wrong_home = conn.scalar(sa.text("""
        SELECT count(*) FROM article a JOIN page p ON p.id = a.page_id JOIN source_file f ON f.id = p.source_file_id
        WHERE NOT EXISTS (SELECT 1 FROM article_source s WHERE s.article_id = a.id AND s.page_id = a.page_id)
           OR EXISTS (SELECT 1 FROM article_source s JOIN page q ON q.id = s.page_id
                      JOIN source_file g ON g.id = q.source_file_id
                      WHERE s.article_id = a.id AND g.sha256 < f.sha256)"""))
    assert wrong_home == 0
    sources = conn.scalar(sa.text("SELECT count(*) FROM article_source"))
    # one per item of each distinct content (a body printed twice in a file is two articles)
    assert sources == sum(len(bodies) for bodies in {version(b)[2]: b for b in named.values()}.values())


def test_purging_the_first_file_keeps_what_a_second_file_also_holds(db_conn):
    load(db_conn, "/d/a.txt", (0, 1, 2))
    result = load(db_conn, "/d/b.txt", (0, 1, 2, 3))
    assert result.articles == 1 and "3 articles already loaded" in result.message
    report = purge(db_conn, "/d/a.txt")
    assert (report.names, report.files, report.articles) == (1, 1, 0)
    assert_consistent(db_conn, {"/d/b.txt": (0, 1, 2, 3)})
    assert db_conn.scalar(sa.text("SELECT count(*) FROM article")) == 4
    load(db_conn, "/d/a.txt", (0, 1, 2))
    assert_consistent(db_conn, {"/d/a.txt": (0, 1, 2), "/d/b.txt": (0, 1, 2, 3)})


def test_replacing_a_file_keeps_what_another_file_also_holds(db_conn):
    load(db_conn, "/d/a.txt", (0, 1))
    load(db_conn, "/d/b.txt", (1, 2))
    result = load(db_conn, "/d/a.txt", (3,))  # a.txt now holds something else entirely
    assert result.status == "replaced"
    assert_consistent(db_conn, {"/d/a.txt": (3,), "/d/b.txt": (1, 2)})


def test_an_article_is_shown_from_the_same_file_whatever_the_order(db_conn):
    homes = []
    for order in (("/d/a.txt", "/d/b.txt"), ("/d/b.txt", "/d/a.txt")):
        with db_conn.begin_nested() as attempt:
            contents = {"/d/a.txt": (0, 1), "/d/b.txt": (1, 0, 4)}
            for path in order:
                load(db_conn, path, contents[path])
            homes.append(sorted(db_conn.execute(sa.text(
                """SELECT a.text_key, f.sha256, a.seq, a.start_offset FROM article a JOIN page p ON p.id = a.page_id
                   JOIN source_file f ON f.id = p.source_file_id""")).tuples().all()))
            attempt.rollback()
    assert homes[0] == homes[1]


OPERATIONS = st.lists(st.tuples(
    st.sampled_from(["/d/a.txt", "/d/b.txt", "/d/c.txt"]),
    st.none() | st.lists(st.integers(0, len(BODIES) - 1), min_size=1, max_size=4).map(tuple)),
    min_size=1, max_size=10)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations=OPERATIONS)
def test_no_article_is_lost_in_any_order_of_load_replace_and_purge(db_conn, operations):
    """None: purge the path; bodies: load (or replace) the path with a file holding them."""
    with db_conn.begin_nested() as run:
        named: dict[str, tuple[int, ...]] = {}
        for path, bodies in operations:
            if bodies is None:
                purge(db_conn, path)
                named.pop(path, None)
            else:
                load(db_conn, path, bodies)
                named[path] = bodies
            assert_consistent(db_conn, named)
        run.rollback()
