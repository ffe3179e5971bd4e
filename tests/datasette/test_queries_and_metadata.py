"""Every canned query through Datasette's test client with real parameters; metadata and settings."""

from __future__ import annotations

import re
import shutil
import json
from urllib.parse import quote, urlencode

import pytest

from etl.datasette_app import SETTINGS, column_descriptions, examples, metadata_for
from etl.db.publish import PUBLISHED_TABLES
from etl.network import national_leaders
from etl.parse.records import WARNING_MESSAGES

from .conftest import get

pytestmark = pytest.mark.db


def run(ds, query: str, **params) -> list[dict]:
    response = get(ds, f"/newsetl/{query}.json?{urlencode({**params, '_shape': 'objects'})}")
    assert response.status_code == 200, response.text
    return response.json()["rows"]


def test_articles_mentioning_person(ds, sqlite_db):
    rows = run(ds, "articles_mentioning_person", name="吕沛")
    expected = sqlite_db.execute("""SELECT count(DISTINCT article_id) FROM mention
                                    WHERE entity = '吕沛' AND entity_kind = 'person'""").fetchone()[0]
    assert len(rows) == expected > 10
    assert "高新区领导与中建七局客人举行工作会谈" in {r["title"] for r in rows}
    assert [r["issue_date"] for r in rows] == sorted((r["issue_date"] for r in rows), reverse=True)
    assert any("党工委书记" in (r["titles_printed"] or "") for r in rows)


def test_person_titles_over_time(ds):
    rows = run(ds, "person_titles", name="杨磊")
    titles = [r["title_printed"] for r in rows]
    assert "市政协副主席、温县县委书记" in titles
    assert all(r["first_seen"] <= r["last_seen"] for r in rows)
    assert [r["first_seen"] for r in rows] == sorted(r["first_seen"] for r in rows)


def test_co_mentions_and_their_articles(ds):
    rows = run(ds, "co_mentions", name="吕沛")
    partners = {r["appears_with"]: r["articles_together"] for r in rows}
    assert partners.get("宫卫红", 0) >= 3 and "吕沛" not in partners
    together = run(ds, "co_mention_articles", name="吕沛", other="宫卫红")
    assert len(together) == partners["宫卫红"]
    assert all(r["article_id"] for r in together)


def test_articles_by_reporter_or_photographer(ds, sqlite_db):
    rows = run(ds, "articles_by_credit", name="郭树勋")
    assert len(rows) >= 5 and all("reporter" in r["credited_as"] for r in rows)
    assert "高新区提升服务质效擦亮营商品牌" in {r["title"] for r in rows}
    photographer = sqlite_db.execute("SELECT entity FROM mention WHERE role = 'photographer' LIMIT 1").fetchone()
    if photographer:
        assert any("photographer" in r["credited_as"] for r in run(ds, "articles_by_credit", name=photographer[0]))


def test_day_paper_page_by_page(ds, sqlite_db):
    rows = run(ds, "day_paper", date="2023-01-10")
    expected = sqlite_db.execute("SELECT count(*) FROM article WHERE issue_date = '2023-01-10'").fetchone()[0]
    assert len(rows) == expected > 0
    assert {r["section"] for r in rows} >= {"温县新闻", "孟州新闻"}
    labelled = [r["page_label"] for r in rows if r["page_label"]]
    assert labelled == sorted(labelled)


def test_top_organizations_and_places_in_a_date_range(ds):
    rows = run(ds, "top_organizations_and_places", start="2024-01-01", end="2024-12-31")
    assert rows and {r["entity_kind"] for r in rows} <= {"organization", "place"}
    assert rows[0]["entity"] == "高新区"
    assert all("2024-01-01" <= r["first_seen"] <= r["last_seen"] <= "2024-12-31" for r in rows)
    assert [r["articles"] for r in rows] == sorted((r["articles"] for r in rows), reverse=True)
    assert not run(ds, "top_organizations_and_places", start="1990-01-01", end="1990-12-31")


def test_items_to_check(ds, sqlite_db):
    rows = run(ds, "items_to_check", code="")
    expected = sqlite_db.execute("SELECT count(*) FROM article WHERE warnings != '[]'").fetchone()[0]
    assert len(rows) == expected > 0
    codes = {code for r in rows for code in json.loads(r["warnings"])}
    assert codes and codes <= set(WARNING_MESSAGES)
    assert all(r["file"] and r["line_start"] <= r["line_end"] for r in rows)
    one = sorted(codes)[0]
    assert 0 < len(run(ds, "items_to_check", code=one)) <= len(rows)
    facet = get(ds, "/newsetl/article.json?_facet_array=warnings&_size=0").json()["facet_results"]
    assert "warnings" in str(facet)


def test_mentions_by_month(ds):
    rows = run(ds, "mentions_by_month", name="吕沛")
    assert {r["month"] for r in rows} >= {"2023-01", "2024-03"}
    assert sum(r["articles"] for r in rows) == len(run(ds, "articles_mentioning_person", name="吕沛"))


def test_every_canned_query_is_documented_and_tested(ds):
    queries = metadata_for(ds.databases["newsetl"].path)["databases"]["newsetl"]["queries"]
    import inspect

    source = inspect.getsource(inspect.getmodule(test_every_canned_query_is_documented_and_tested))
    for name, query in queries.items():
        assert query.get("title") and query.get("description_html"), name
        assert query.get("params"), name
        assert source.count(f'run(ds, "{name}"') >= 1, f"no test runs canned query {name}"


def test_query_results_link_titles_and_names(ds, sqlite_db):
    html = get(ds, "/newsetl/co_mentions?name=吕沛").text
    partner = sqlite_db.execute("SELECT id FROM person WHERE name = '宫卫红'").fetchone()[0]
    assert f'<a href="/newsetl/person/{partner}">宫卫红</a>' in html
    assert "/newsetl/co_mention_articles?name=" in html
    html = get(ds, "/newsetl/articles_mentioning_person?name=吕沛").text
    article = sqlite_db.execute("SELECT id FROM article WHERE title = '高新区领导与中建七局客人举行工作会谈'").fetchone()[0]
    assert f'<a href="/newsetl/article/{article}">高新区领导与中建七局客人举行工作会谈</a>' in html


def test_every_table_and_column_is_described(ds, sqlite_db):
    metadata = metadata_for(ds.databases["newsetl"].path)
    assert metadata["title"] and metadata["description_html"] and metadata["source"] and metadata["license"]
    tables = metadata["databases"]["newsetl"]["tables"]
    for table in PUBLISHED_TABLES:
        config = tables[table.name]
        assert config.get("description"), table.name
        published = [r[1] for r in sqlite_db.execute(f"PRAGMA table_info([{table.name}])")]
        missing = [c for c in published if not config.get("columns", {}).get(c)]
        assert not missing, (table.name, missing)
    # the descriptions of PostgreSQL columns are schema/schema.md's
    assert tables["mention"]["columns"]["title"] == column_descriptions()["mention"]["title"]


def test_facets_and_sorts(ds):
    response = get(ds, "/newsetl/article.json?_size=1&_extra=facet_results")
    assert response.status_code == 200
    facets = set(response.json()["facet_results"])
    assert {"newspaper", "issue_date", "section", "kind"} <= facets
    mention = get(ds, "/newsetl/mention.json?_size=1").json()
    assert {"role", "entity_kind"} <= set(mention["facet_results"])
    people = get(ds, "/newsetl/person.json?_shape=objects&_size=3").json()["rows"]
    assert [p["articles"] for p in people] == sorted((p["articles"] for p in people), reverse=True)


def test_served_read_only_with_limits(ds):
    assert not ds.databases["newsetl"].is_mutable
    assert SETTINGS["sql_time_limit_ms"] <= 5000 and SETTINGS["max_returned_rows"] <= 2000
    for name, value in SETTINGS.items():
        assert ds.setting(name) == value, name
    response = get(ds, "/newsetl.json?sql=" + "insert into person (name) values ('x')")
    assert response.status_code == 400
    slow = "with recursive n(i) as (select 1 union all select i + 1 from n) select count(*) from n"
    response = get(ds, "/newsetl.json?sql=" + quote(slow))
    assert response.status_code == 400 and "took too long" in response.text.lower(), response.text[:300]


def test_metadata_follows_the_file_name(published_path, tmp_path):
    served = tmp_path / "served.db"
    shutil.copyfile(published_path, served)
    metadata = metadata_for(served)
    assert set(metadata["databases"]) == {"served"}
    assert f"/served/articles_mentioning_person?name={examples(served)['person']}" in str(metadata)
    assert "/newsetl/" not in str(metadata)


@pytest.mark.parametrize("date", ["2023-06-26", "2024-03-11"])
def test_who_held_a_post_on_a_date(ds, date):
    # the post as a reader would type it, without the bracketed part and whichever order the paper printed
    rows = run(ds, "post_holders", post="高新区党工委书记", date=date)
    assert rows and rows[0]["person"] == "吕沛" and rows[0]["on_the_date"].startswith("在任")
    assert rows[0]["first_seen"] <= date <= rows[0]["last_seen"]
    assert run(ds, "post_holders", post="示范区党工委书记", date=date)[0]["person"] == "吕沛"
    assert not run(ds, "post_holders", post="高新区党工委委员会主任", date=date)


def test_an_organizations_officials_over_time(ds):
    rows = run(ds, "organization_officials", name="示范区(高新区)党工委")  # any bracket width and order
    assert ("高新区（示范区）党工委书记", "吕沛") in {(r["post"], r["person"]) for r in rows}
    assert [r["first_seen"] for r in rows] == sorted(r["first_seen"] for r in rows)


def test_places_on_a_map(ds):
    rows = run(ds, "place_map", min_articles="1")
    by_name = {r["division"]: r for r in rows}
    assert by_name["焦作市"]["code"] == "410800" and by_name["焦作市"]["articles"] >= 10
    assert all(r["latitude"] and r["longitude"] for r in rows)
    assert [r["articles"] for r in rows] == sorted((r["articles"] for r in rows), reverse=True)
    html = get(ds, "/newsetl/place_map?min_articles=1").text
    assert "datasette-cluster-map" in html  # the plugin draws the rows with coordinates on a map


def test_site_titled_by_the_newspapers_loaded_examples_from_the_data(ds, sqlite_db, tmp_path):
    metadata = metadata_for(ds.databases["newsetl"].path)
    papers = "、".join(r[0] for r in sqlite_db.execute("SELECT name FROM newspaper ORDER BY name"))
    assert metadata["title"].startswith(papers) and papers in metadata["databases"]["newsetl"]["title"]
    found = examples(ds.databases["newsetl"].path)
    # the example person is the most mentioned one who is not a national leader, and is really there
    assert found["person"] not in national_leaders()
    assert sqlite_db.execute("SELECT count(*) FROM mention WHERE entity = ? AND role = 'mentioned'",
                             (found["person"],)).fetchone()[0] > 1
    together = run(ds, "co_mention_articles", name=found["person"], other=found["other_person"])
    assert together  # the example link answers
    assert run(ds, "day_paper", date=found["date"]) and run(ds, "person_titles", name=found["titled_person"])
    assert run(ds, "articles_by_credit", name=found["reporter"])
    empty = metadata_for(tmp_path / "nothing.db")  # no file: generic placeholders, no error
    assert empty["title"].startswith("报纸")


def test_canned_queries_are_titled_in_chinese_with_the_english_beside(ds):
    queries = metadata_for(ds.databases["newsetl"].path)["databases"]["newsetl"]["queries"]
    for name, query in queries.items():
        zh, _, en = query["title"].partition(" · ")
        assert re.search(r"[\u4e00-\u9fff]", zh) and re.search(r"[A-Za-z]", en), name
        assert re.match(r"[\u4e00-\u9fff]", query["description_html"]), name  # Chinese first
