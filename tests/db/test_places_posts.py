"""Issue 15 on the loaded seeds: places linked to the gazetteer, organization names normalized,
titles cut into posts (etl/db/places.py, etl/db/posts.py)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

pytestmark = pytest.mark.db


def q(engine, sql: str, **params):
    with engine.connect() as conn:
        return conn.execute(sa.text(sql), params).all()


@pytest.mark.parametrize("short, full, code", [("焦作", "焦作市", "410800"), ("孟州", "孟州市", "410883"),
                                                ("河南", "河南省", "410000")])
def test_short_and_full_names_resolve_to_one_division_with_its_code(seeded_engine, short, full, code):
    rows = dict(q(seeded_engine, """SELECT pl.name, d.code FROM place pl JOIN division d ON d.id = pl.division_id
                                    WHERE pl.name IN (:a, :b)""", a=short, b=full))
    assert rows == {short: code, full: code}
    # and every mention of either spelling points at that division
    assert q(seeded_engine, """SELECT DISTINCT d.code FROM mention m JOIN division d ON d.id = m.division_id
                               WHERE m.surface IN (:a, :b)""", a=short, b=full) == [(code,)]


def test_the_gazetteer_is_loaded_with_codes_parents_and_coordinates(seeded_engine):
    (n, with_coordinates, with_parent), = q(seeded_engine, "SELECT count(*), count(latitude), count(parent_id) FROM division")
    assert n > 3000 and with_coordinates == n and with_parent > 0.95 * n
    ((name, kind, parent),) = q(seeded_engine, """SELECT d.name, d.kind, p.name FROM division d
                                                 JOIN division p ON p.id = d.parent_id WHERE d.code = '410883'""")
    assert (name, kind, parent) == ("孟州市", "县级市", "焦作市")


def test_pages_and_the_paper_know_their_region(seeded_engine):
    rows = set(q(seeded_engine, """SELECT p.section, d.name FROM page p JOIN division d ON d.id = p.division_id"""))
    assert ("温县新闻", "温县") in rows and ("孟州新闻", "孟州市") in rows
    assert not q(seeded_engine, "SELECT 1 FROM page WHERE section LIKE '高新区%' AND division_id IS NOT NULL")
    assert q(seeded_engine, """SELECT d.name FROM newspaper n JOIN division d ON d.id = n.division_id""") == [("焦作市",)]


def test_places_that_are_no_division_lie_in_the_one_the_text_names(seeded_engine):
    rows = dict(q(seeded_engine, """SELECT pl.name, d.name FROM place pl JOIN division d ON d.id = pl.in_division_id
                                    WHERE pl.division_id IS NULL"""))
    assert rows["赵堡镇"] == "温县"  # 温县赵堡镇
    assert rows["焦作高新区"] == "焦作市"
    assert not q(seeded_engine, "SELECT 1 FROM place WHERE name = '高新区' AND (division_id IS NOT NULL "
                                "OR in_division_id IS NOT NULL)")


def test_bracket_forms_and_orders_of_an_organization_are_one_row(seeded_engine):
    rows = q(seeded_engine, """SELECT name, variants, variant_evidence FROM organization
                               WHERE name IN ('高新区（示范区）党工委', '示范区（高新区）党工委', '高新区(示范区)党工委')""")
    ((name, variants, evidence),) = rows
    assert "示范区（高新区）党工委" in variants and "other order" in evidence["示范区（高新区）党工委"]
    # the mentions keep their surface as printed
    surfaces = {s for (s,) in q(seeded_engine, """SELECT DISTINCT m.surface FROM mention m JOIN organization o
                                                  ON o.id = m.organization_id WHERE o.name = :n""", n=name)}
    assert {"高新区（示范区）党工委", "示范区（高新区）党工委"} <= surfaces


def test_posts_of_the_seeds(seeded_engine):
    posts = {(p, d) for p, d in q(seeded_engine, """SELECT post, division FROM person_post WHERE person = '吕沛'""")}
    # one row per real post: bracket widths and orders are one post
    assert posts == {("高新区（示范区）党工委书记", None), ("焦作市政协副主席", "焦作市")}
    assert ("温县县委书记", "温县") in set(q(seeded_engine, "SELECT post, division FROM person_post WHERE person = '杨磊'"))
    ((first, last),) = q(seeded_engine, """SELECT first_seen, last_seen FROM person_post
                                           WHERE person = '吕沛' AND post = '高新区（示范区）党工委书记'""")
    assert str(first) <= "2023-06-26" and str(last) >= "2024-03-11"
    ((variants,),) = q(seeded_engine, "SELECT variants FROM post WHERE name = '高新区（示范区）党工委书记'")
    assert {"高新区党工委书记", "示范区（高新区）党工委书记"} <= set(variants)


def test_person_title_has_one_row_per_title_however_its_brackets_are_printed(seeded_engine):
    rows = q(seeded_engine, """SELECT title, first_seen, last_seen, articles, printed_forms FROM person_title
                              WHERE person = '吕沛'""")
    titles = [r.title for r in rows]
    assert len(titles) == len(set(titles)) and not any("(" in t for t in titles)
    # printed 示范区（高新区）… up to March 2023, then 高新区（示范区）…: one title, shown as printed last
    ((title, first, last, articles, forms),) = [r for r in rows if "党工委书记" in r.title]
    assert title == "市政协副主席、高新区（示范区）党工委书记" and forms == 2
    assert str(first) <= "2023-01-10" and str(last) >= "2024-03-11"
    printed = q(seeded_engine, """SELECT count(DISTINCT m.article_id) FROM mention m JOIN person p ON p.id = m.person_id
                                  WHERE p.name = '吕沛' AND m.title LIKE '%党工委书记'""")
    assert articles == printed[0][0]


@pytest.mark.parametrize("title, other, same", [
    ("市政协副主席、示范区(高新区)党工委书记", "市政协副主席、高新区（示范区）党工委书记", True),
    ("示范区（高新区）党工委副书记、管委会主任", "高新区(示范区)党工委副书记、管委会主任", True),
    ("高新区（示范区）管委会主任", "高新区（示范区）管委会主任", True),
    ("市政协副主席、温县县委书记", "温县县委书记", False),  # one post more is another title
    ("高新区（示范区）党工委书记", "高新区（示范区）党工委副书记", False),
    ("市委书记、市长", "市长、市委书记", False),  # the order of posts is kept
])
def test_title_key_joins_bracket_widths_and_pair_orders_only(seeded_engine, title, other, same):
    ((a, b),) = q(seeded_engine, "SELECT newsetl_title_key(:a), newsetl_title_key(:b)", a=title, b=other)
    assert (a == b) is same and "(" not in a + b


@pytest.mark.parametrize("title", ["县长", "", "（兼）书记", "市委书记、市长", "a（b）c（d）e", "示范区（高新区）党工委书记"])
def test_title_key_writes_a_title_in_canonical_form_as_printed(seeded_engine, title):
    assert q(seeded_engine, "SELECT newsetl_title_key(:t)", t=title) == [(title,)]


def test_title_key_is_filled_for_every_titled_mention(seeded_engine):
    assert q(seeded_engine, "SELECT count(*) FROM mention WHERE (title IS NULL) <> (title_key IS NULL)") == [(0,)]
    assert q(seeded_engine, "SELECT newsetl_title_key(NULL)") == [(None,)]
