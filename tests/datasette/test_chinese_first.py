"""What a reader sees speaks Chinese first (English beside it); dates inferred from the text say so."""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest

from etl import labels
from etl.datasette_app import examples, metadata_for

from .conftest import get

pytestmark = pytest.mark.db

HAN = re.compile(r"[\u4e00-\u9fff]")


def headings(html: str) -> list[str]:
    """The text of every h1, h2 and h3 of a page."""
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", h)).strip()
            for h in re.findall(r"<h[123][^>]*>(.*?)</h[123]>", html, re.S)]


def reader_pages(ds, sqlite_db) -> list[str]:
    """The article, person, organization, place and canned-query pages of the target."""
    article = sqlite_db.execute("SELECT article_id FROM mention WHERE role = 'reporter' LIMIT 1").fetchone()[0]
    paths = [f"/newsetl/article/{article}"]
    for table in ("person", "organization", "place"):
        top = sqlite_db.execute(f"SELECT id FROM [{table}] ORDER BY articles DESC").fetchone()[0]
        paths.append(f"/newsetl/{table}/{top}")
    found = examples(ds.databases["newsetl"].path)
    params = {"name": found["person"], "other": found["other_person"], "date": found["date"],
              "start": f"{found['year']}-01-01", "end": f"{found['year']}-12-31", "min_articles": "1", "code": ""}
    per_query = {"post_holders": {"post": found["post"], "date": found["post_date"]},
                 "organization_officials": {"name": found["organization"]}}
    queries = metadata_for(ds.databases["newsetl"].path)["databases"]["newsetl"]["queries"]
    for name, query in queries.items():
        given = {**params, **per_query.get(name, {})}
        paths.append(f"/newsetl/{name}?" + urlencode({p: given[p] for p in query["params"]}))
    return paths


def test_no_english_only_heading_on_the_reader_pages(ds, sqlite_db):
    for path in reader_pages(ds, sqlite_db):
        response = get(ds, path)
        assert response.status_code == 200, path
        found = headings(response.text)
        assert found, path
        english_only = [h for h in found if not HAN.search(h)]
        assert not english_only, (path, english_only)


def test_role_labels_are_chinese_with_the_code_in_a_tooltip(ds, sqlite_db):
    article = sqlite_db.execute("SELECT article_id FROM mention WHERE role = 'reporter' LIMIT 1").fetchone()[0]
    html = get(ds, f"/newsetl/article/{article}").text
    named = html[html.index('<section class="newsetl-named">'):html.index("</section>")]
    assert 'title="reporter">记者</span>' in named
    assert not re.search(r'class="note"[^>]*>\s*(reporter|mentioned|photographer)', named)
    reporter = examples(ds.databases["newsetl"].path)["reporter"]
    credited = get(ds, "/newsetl/articles_by_credit?" + urlencode({"name": reporter})).text
    assert '<span class="zh" title="reporter">记者</span>' in credited
    # the codes themselves stay in the data and the JSON
    rows = get(ds, "/newsetl/articles_by_credit.json?" + urlencode({"name": reporter, "_shape": "array"})).json()
    assert all("reporter" in r["credited_as"] or "photographer" in r["credited_as"]
               or "correspondent" in r["credited_as"] for r in rows)
    mentions = get(ds, "/newsetl/mention?role=reporter").text
    assert 'title="reporter">记者</span>' in mentions


def test_every_code_has_a_chinese_label():
    from etl.db.models import STAFF_ROLES

    for role in ("mentioned", "reporter", "correspondent", "trainee_reporter", "photographer", "author", "credit",
                 *STAFF_ROLES):
        assert HAN.search(labels.code_label("role", role)[0]), role
    for kind in ("article", "brief", "photo", "commentary", "other"):
        assert HAN.search(labels.code_label("kind", kind)[0]), kind
    assert labels.codes_label("roles", "mentioned,reporter") == ("提及、记者", "mentioned, reporter")


def test_inferred_dates_are_marked_on_issue_page_and_article_and_in_the_json(ds, sqlite_db):
    issue = sqlite_db.execute("SELECT id, issue_date FROM issue WHERE date_source = 'text' LIMIT 1").fetchone()
    printed = sqlite_db.execute("SELECT id FROM issue WHERE date_source = 'header' LIMIT 1").fetchone()
    assert issue and printed, "the seeds have issues of both kinds"
    def dated(path: str) -> str:
        return re.search(r'<p class="newsetl-dated">(.*?)</p>', get(ds, path).text, re.S).group(1)

    assert "据正文推断" in dated(f"/newsetl/issue/{issue['id']}")
    assert "据正文推断" not in dated(f"/newsetl/issue/{printed['id']}")
    assert "版头印刷" in dated(f"/newsetl/issue/{printed['id']}")
    page = sqlite_db.execute("SELECT id FROM page WHERE issue_id = ?", (issue["id"],)).fetchone()[0]
    assert "据正文推断" in dated(f"/newsetl/page/{page}")
    article = sqlite_db.execute("SELECT id FROM article WHERE date_source = 'text' LIMIT 1").fetchone()[0]
    html = get(ds, f"/newsetl/article/{article}").text
    meta = html[html.index('<p class="meta">'):html.index("</p>", html.index('<p class="meta">'))]
    assert "日期据正文推断" in meta and "inferred from the text" in meta
    rows = get(ds, f"/newsetl/article.json?id={article}&_shape=array").json()
    assert rows[0]["date_source"] == "text"
    assert get(ds, f"/newsetl/page.json?id={page}&_shape=array").json()[0]["date_source"] == "text"
    label = get(ds, f"/newsetl/issue.json?id={issue['id']}&_shape=array").json()[0]["label"]
    assert label.endswith("（据正文推断）")
    listed = get(ds, "/newsetl/article?date_source=text").text
    assert "据正文推断" in listed


def test_crumbs_and_database_page_speak_chinese(ds):
    html = get(ds, "/newsetl/person/1").text
    crumbs = re.search(r'<p class="crumbs">(.*?)</p>', html, re.S).group(1)
    assert "首页" in crumbs and "数据库" in crumbs and "人物" in crumbs
    database = get(ds, "/newsetl").text
    assert "现成的查询" in database and "表格" in database
