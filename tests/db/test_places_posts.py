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


def test_person_title_no_longer_splits_on_bracket_width(seeded_engine):
    titles = [t for (t,) in q(seeded_engine, "SELECT title FROM person_title WHERE person = '吕沛'")]
    assert len(titles) == len(set(titles)) and not any("(" in t for t in titles)
    assert "市政协副主席、高新区（示范区）党工委书记" in titles
