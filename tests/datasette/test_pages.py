"""An article's row page reads like the article; person, organization and place pages chart their mentions."""

from __future__ import annotations

import re

import pytest

from etl.datasette_plugin import month_chart

from .conftest import get

pytestmark = pytest.mark.db


def text_of(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html)


def test_article_page_says_why_it_needs_a_look(ds, sqlite_db):
    a = sqlite_db.execute("SELECT id, warnings FROM article WHERE warnings != '[]' ORDER BY id LIMIT 1").fetchone()
    html = get(ds, f"/newsetl/article/{a['id']}").text
    assert 'class="doubts"' in html and "需要核对 / to check" in html
    from etl.parse.records import WARNING_MESSAGES
    import json
    for code in json.loads(a["warnings"]):
        assert WARNING_MESSAGES[code][0] in html and WARNING_MESSAGES[code][1] in html
    clean = sqlite_db.execute("SELECT id FROM article WHERE warnings = '[]' ORDER BY id LIMIT 1").fetchone()
    assert 'class="doubts"' not in get(ds, f"/newsetl/article/{clean['id']}").text


def test_article_page_reads_like_the_article(ds, sqlite_db):
    a = sqlite_db.execute("""SELECT * FROM article WHERE kicker IS NOT NULL AND byline IS NOT NULL
                             AND dateline IS NOT NULL ORDER BY id LIMIT 1""").fetchone()
    response = get(ds, f"/newsetl/article/{a['id']}")
    assert response.status_code == 200
    html = response.text
    reader = html[html.index('<article class="newsetl-reader">'):html.index("</article>")]
    plain = text_of(reader)
    order = [plain.index(a["kicker"]), plain.index(a["headline"]), plain.index(a["byline"])]
    assert order == sorted(order)  # kicker, headline, byline, in that order
    assert f'<h1 class="headline">{a["headline"]}</h1>' in reader
    paragraphs = [p for p in a["body"].split("\n") if p.strip()]
    assert reader.count("<p>") >= len(paragraphs)
    assert text_of(paragraphs[-1])[-10:] in plain
    # the names it mentions link to their pages, in the text and in the list after it
    for m in sqlite_db.execute("SELECT DISTINCT entity_kind, coalesce(person_id, organization_id, place_id) AS id "
                               "FROM mention WHERE article_id = ?", (a["id"],)):
        assert f'href="/newsetl/{m["entity_kind"]}/{m["id"]}"' in reader
    assert 'class="mention mention-' in reader


def test_subheadline_shown(ds, sqlite_db):
    a = sqlite_db.execute("SELECT id, subheadline FROM article WHERE subheadline IS NOT NULL LIMIT 1").fetchone()
    if a is None:
        pytest.skip("no article with a subheadline in the seeds")
    assert a["subheadline"] in get(ds, f"/newsetl/article/{a['id']}").text


def test_person_page_charts_mentions_over_time(ds, sqlite_db):
    pid = sqlite_db.execute("SELECT id FROM person WHERE name = '吕沛'").fetchone()[0]
    html = get(ds, f"/newsetl/person/{pid}").text
    assert '<svg class="newsetl-chart"' in html and "<script" not in html.split("<svg", 1)[1].split("</svg>")[0]
    months = sqlite_db.execute("""SELECT substr(issue_date, 1, 7), count(DISTINCT article_id) FROM mention
                                  WHERE person_id = ? GROUP BY 1""", (pid,)).fetchall()
    for month, n in months:
        assert f"<title>{month}: {n} 篇 · {n} article" in html
    assert "党工委书记" in html  # titles as printed
    assert "宫卫红" in html  # appears with
    assert "/newsetl/mentions_by_month?name=" in html


@pytest.mark.parametrize("table", ["organization", "place"])
def test_organization_and_place_pages(ds, sqlite_db, table):
    row = sqlite_db.execute(f"SELECT id, name FROM [{table}] ORDER BY articles DESC LIMIT 1").fetchone()
    html = get(ds, f"/newsetl/{table}/{row['id']}").text
    assert row["name"] in html and '<svg class="newsetl-chart"' in html


def test_other_row_pages_keep_datasettes_layout(ds):
    response = get(ds, "/newsetl/issue/1")
    assert response.status_code == 200 and "Links from other tables" in response.text


def test_no_javascript_from_elsewhere(ds, sqlite_db):
    pid = sqlite_db.execute("SELECT id FROM person WHERE name = '吕沛'").fetchone()[0]
    for path in ("/", f"/newsetl/person/{pid}", "/newsetl/article/1", "/-/search?q=吕沛", "/newsetl/article"):
        html = get(ds, path).text
        assert not re.search(r'<script[^>]+src="(https?:)?//', html), path


def test_month_chart_fills_empty_months():
    svg = month_chart({"2023-11": 2, "2024-02": 1}, label="x")
    assert svg.count("<rect") == 2 and "2023-11" in svg
    assert month_chart({}, label="x") is None
