"""Resolution: one person row per real person, variants merged only on evidence."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from etl.db.resolve import post_of, resolve_person_variants
from etl.parse.records import Mention

from .test_load import BODY, doc, item, write

pytestmark = pytest.mark.db


@pytest.mark.parametrize(("title", "post"), [
    ("高新区（示范区）党工委副书记、管委会主任", "管委会主任"),
    ("市政协副主席、温县县委书记", "温县县委书记"),
    ("县长", "县长"),
])
def test_post_of(title, post):
    assert post_of(title) == post


def person(name, title, start=0):
    return Mention("person", name, "body", start, start + len(name), title=title)


def load_articles(conn, articles):
    """One file per article: [(path, [mentions])]."""
    for n, (path, mentions) in enumerate(articles):
        body = f"{n}" + BODY  # distinct bodies
        write(conn, doc([item(1, body, mentions=tuple(mentions))]), path=path, data=path.encode())


def persons(conn):
    return dict(conn.execute(sa.text("SELECT name, variants FROM person")).tuples().all())


@pytest.mark.parametrize(("articles", "merged"), [
    # one character apart, same post, never together: an OCR variant
    ([("a", [person("官卫红", "高新区党工委副书记、管委会主任")]),
      ("b", [person("宫卫红", "示范区党工委副书记、管委会主任")]),
      ("c", [person("宫卫红", "管委会主任")])], {"宫卫红": ["官卫红"]}),
    # listed side by side in one article: two people, whatever their titles
    ([("a", [person("赵俊峰", "区领导、管委会副主任"), person("赵俊生", "区领导、管委会副主任", 10)])], {}),
    # one character apart but different posts: not merged
    ([("a", [person("王建新", "县委常委、宣传部长")]), ("b", [person("王建华", "县人大常委会主任")])], {}),
    # a short generic post is no evidence
    ([("a", [person("李明华", "县长")]), ("b", [person("李明辉", "县长")])], {}),
    # two-character names are too short to judge
    ([("a", [person("刘东", "管委会主任")]), ("b", [person("刘冬", "管委会主任")])], {}),
])
def test_resolution(db_conn, articles, merged):
    load_articles(db_conn, articles)
    before = set(persons(db_conn))
    merges = resolve_person_variants(db_conn)
    after = persons(db_conn)
    assert {m.kept: [m.merged] for m in merges} == merged
    assert set(after) == before - {m.merged for m in merges}
    for kept, variants in merged.items():
        assert after[kept] == variants
        row = db_conn.execute(sa.text("SELECT variant_evidence FROM person WHERE name = :n"), {"n": kept}).scalar()
        assert "one character" in row[variants[0]] and "never named in the same article" in row[variants[0]]
        # every mention now points at the kept row, the printed surface unchanged
        surfaces = db_conn.execute(sa.text("""SELECT DISTINCT m.surface FROM mention m JOIN person p
            ON p.id = m.person_id WHERE p.name = :n"""), {"n": kept}).scalars().all()
        assert sorted(surfaces) == sorted([kept, *variants])


def test_a_later_load_of_a_merged_spelling_goes_to_the_kept_person(db_conn):
    load_articles(db_conn, [("a", [person("官卫红", "党工委副书记、管委会主任")]),
                            ("b", [person("宫卫红", "党工委副书记、管委会主任")]),
                            ("c", [person("宫卫红", "管委会主任")])])
    resolve_person_variants(db_conn)
    load_articles(db_conn, [("d", [person("官卫红", "管委会主任")])] * 1)
    assert "官卫红" not in persons(db_conn)
