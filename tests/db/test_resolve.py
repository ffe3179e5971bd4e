"""Resolution: one person row per real person, variants merged only on evidence."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from etl.db.resolve import post_of, resolve_abbreviations, resolve_entities, resolve_person_variants
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



def test_the_spelling_most_articles_print_names_the_person_whatever_the_load_order(db_conn):
    # first 官卫红 is the more frequent spelling, so the merge keeps it ...
    load_articles(db_conn, [("a", [person("官卫红", "管委会主任")]), ("b", [person("官卫红", "管委会主任")]),
                            ("c", [person("宫卫红", "管委会主任")])])
    resolve_person_variants(db_conn)
    assert {k: v for k, v in persons(db_conn).items() if "卫红" in k} == {"官卫红": ["宫卫红"]}
    # ... then later issues print 宫卫红 more often: the row takes that name, the evidence moves with it
    for path in ("d", "e"):
        write(db_conn, doc([item(1, path + BODY, mentions=(person("宫卫红", "管委会主任"),))]),
              path=path, data=path.encode())
    resolve_person_variants(db_conn)
    assert {k: v for k, v in persons(db_conn).items() if "卫红" in k} == {"宫卫红": ["官卫红"]}
    evidence = db_conn.scalar(sa.text("SELECT variant_evidence FROM person WHERE name = '宫卫红'"))
    assert list(evidence) == ["官卫红"] and "one character" in evidence["官卫红"]

# ---- organizations and places: short forms beside the full name ----------------------

def org(name, start=0):
    return Mention("organization", name, "body", start, start + len(name))


def place(name, start=0):
    return Mention("place", name, "body", start, start + len(name))


def entity_rows(conn, kind):
    return {name: (sorted(variants), evidence) for name, variants, evidence in conn.execute(
        sa.text(f"SELECT name, variants, variant_evidence FROM {kind}")).tuples().all()}


def linked(conn, kind, surface):
    """article file path -> the name of the entity a mention written ``surface`` points at."""
    return dict(conn.execute(sa.text(f"""
        SELECT sfn.path, e.name FROM mention m JOIN {kind} e ON e.id = m.{kind}_id
        JOIN article a ON a.id = m.article_id JOIN page p ON p.id = a.page_id
        JOIN source_file_name sfn ON sfn.source_file_id = p.source_file_id
        WHERE m.surface = :s"""), {"s": surface}).tuples().all())


def test_short_form_beside_its_full_name_is_linked_to_it(db_conn):
    load_articles(db_conn, [("a", [org("焦作高新区"), org("高新区", 20)]),   # the text says which 高新区
                            ("b", [org("高新区")]),                         # no full form: left alone
                            ("c", [org("孟州市委"), org("焦作市委", 10), org("市委", 20)]),  # ambiguous
                            ("d", [org("孟州市委"), org("市委", 20)])])
    merges = resolve_abbreviations(db_conn, "organization")
    assert {(m.kept, m.merged) for m in merges} == {("焦作高新区", "高新区"), ("孟州市委", "市委")}
    assert linked(db_conn, "organization", "高新区") == {"a": "焦作高新区", "b": "高新区"}
    assert linked(db_conn, "organization", "市委") == {"c": "市委", "d": "孟州市委"}
    rows = entity_rows(db_conn, "organization")
    assert rows["焦作高新区"][0] == ["高新区"]
    assert "1 article that also name 焦作高新区" in rows["焦作高新区"][1]["高新区"]
    assert rows["高新区"][0] == []  # still its own row: article b names no full form
    # run again: nothing new to report, nothing changes
    assert resolve_abbreviations(db_conn, "organization") == []
    assert entity_rows(db_conn, "organization") == rows


def test_short_form_row_left_without_mentions_is_deleted(db_conn):
    load_articles(db_conn, [("a", [place("温县赵堡镇"), place("赵堡镇", 20)])])
    resolve_entities(db_conn)
    rows = entity_rows(db_conn, "place")
    assert "赵堡镇" not in rows and rows["温县赵堡镇"][0] == ["赵堡镇"]


def test_nested_full_forms_count_as_the_longest(db_conn):
    load_articles(db_conn, [("a", [org("高新区文昌社区卫生服务中心"), org("文昌社区卫生服务中心", 20),
                                   org("社区卫生服务中心", 40)])])
    resolve_abbreviations(db_conn, "organization")
    assert linked(db_conn, "organization", "社区卫生服务中心") == {"a": "高新区文昌社区卫生服务中心"}
    assert linked(db_conn, "organization", "文昌社区卫生服务中心") == {"a": "高新区文昌社区卫生服务中心"}


# ---- a pass after a load looks only at what the load wrote ----------------------------

def article_ids(conn, *paths):
    return conn.execute(sa.text("""
        SELECT a.id FROM article a JOIN page p ON p.id = a.page_id
        JOIN source_file_name sfn ON sfn.source_file_id = p.source_file_id
        WHERE sfn.path = ANY(:p) ORDER BY a.id"""), {"p": list(paths)}).scalars().all()


def test_a_scoped_pass_links_short_forms_only_in_the_given_articles(db_conn):
    load_articles(db_conn, [("a", [org("焦作高新区"), org("高新区", 20)]),
                            ("b", [org("孟州市委"), org("市委", 20)])])
    resolve_abbreviations(db_conn, "organization", article_ids(db_conn, "b"))
    assert linked(db_conn, "organization", "市委") == {"b": "孟州市委"}
    assert linked(db_conn, "organization", "高新区") == {"a": "高新区"}  # not looked at
    resolve_abbreviations(db_conn, "organization", article_ids(db_conn, "a"))
    assert linked(db_conn, "organization", "高新区") == {"a": "焦作高新区"}


def test_a_scoped_pass_finds_a_variant_of_a_person_named_in_the_given_articles(db_conn):
    load_articles(db_conn, [("a", [person("官卫红", "党工委副书记、管委会主任")]),
                            ("b", [person("宫卫红", "党工委副书记、管委会主任")]),
                            ("c", [person("王建新", "县委常委、宣传部长")])])
    # neither spelling is named in c: nothing of theirs can have changed, so they are not looked at
    assert resolve_person_variants(db_conn, article_ids(db_conn, "c")) == []
    # 宫卫红 is named in b: the person one character away is found wherever it was loaded
    merges = resolve_person_variants(db_conn, article_ids(db_conn, "b"))
    assert [(m.kept, m.merged) for m in merges] == [("官卫红", "宫卫红")]


def test_after_loads_one_file_at_a_time_a_full_pass_finds_nothing_more(db_conn):
    """The passes after each load, scoped to that load, leave what a pass over everything would."""
    files = [("a", [person("官卫红", "管委会主任"), org("焦作高新区", 10), org("高新区", 20)]),
             ("b", [person("宫卫红", "管委会主任"), org("高新区", 10)]),
             ("c", [person("宫卫红", "管委会主任"), org("孟州市委", 10), org("市委", 20)]),
             ("d", [person("赵俊峰", "管委会副主任"), person("赵俊生", "管委会副主任", 10), org("市委", 20)])]
    for n, (path, mentions) in enumerate(files):
        write(db_conn, doc([item(1, f"{n}" + BODY, mentions=tuple(mentions))]), path=path, data=path.encode())
        resolve_entities(db_conn, article_ids(db_conn, path))

    def state():
        return (persons(db_conn), entity_rows(db_conn, "organization"),
                db_conn.execute(sa.text("""SELECT m.surface, coalesce(p.name, o.name) FROM mention m
                    LEFT JOIN person p ON p.id = m.person_id LEFT JOIN organization o ON o.id = m.organization_id
                    ORDER BY 1, 2""")).tuples().all())

    scoped = state()
    assert scoped[0]["宫卫红"] == ["官卫红"]  # the merge happened in a scoped pass
    assert resolve_entities(db_conn) == []
    assert state() == scoped


# Dumps small enough to read: the parser finds each person with the post printed before the name.
MEETING_WITH_BOTH = ("焦作日报\n本报讯 1月6日，高新区召开工作会议。管委会主任官卫红、管委会副主任宫卫红出席会议并讲话，"
                     "会议总结了去年工作，安排部署了今年重点任务。\n")
MEETING_WITH_NEITHER = ("焦作日报\n本报讯 1月6日，高新区召开工作会议。会议总结了去年工作，安排部署了今年重点任务，"
                        "与会人员进行了认真讨论。\n")
VISITS = {"y.txt": "焦作日报\n本报讯 1月5日，高新区党工委副书记、管委会主任官卫红到企业调研，详细了解企业生产经营情况。\n",
          "z.txt": "焦作日报\n本报讯 1月8日，示范区党工委副书记、管委会主任宫卫红到项目现场调研，察看项目建设进展情况。\n"}


def test_a_replaced_file_that_kept_two_spellings_apart_lets_them_merge(db_conn, tmp_path):
    """Replacing a file can remove the only article naming both spellings: the run resolves everything."""
    from etl.db.load import load_paths

    for name, text in {"x.txt": MEETING_WITH_BOTH, **VISITS}.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    load_paths(db_conn, [str(tmp_path)])
    assert {"官卫红", "宫卫红"} <= set(persons(db_conn))  # named side by side: two people
    (tmp_path / "x.txt").write_text(MEETING_WITH_NEITHER, encoding="utf-8")
    report = load_paths(db_conn, [str(tmp_path / "x.txt")])
    assert report.count("replaced") == 1
    assert [(m.kept, m.merged) for m in report.merges] in ([("官卫红", "宫卫红")], [("宫卫红", "官卫红")])
