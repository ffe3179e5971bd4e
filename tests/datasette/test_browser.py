"""End to end in a real headless Chromium: `newsetl serve`, then what a reader does and sees.

Uses Debian's chromium (/usr/bin/chromium, installed by .ci/run) through Playwright's Python package;
Playwright's own browser downloads are never used. Screenshots go to test-artifacts/ at the repository root;
test-artifacts/article-page.png is the README's screenshot (copied to docs/article-page.png).

To cover a new page, add it to READER_PAGES (every h1, h2 and h3 on it must hold Chinese) and, for a
search, to SEARCHES.
"""

from __future__ import annotations

import os
import re
import sqlite3
from urllib.parse import urlencode
from pathlib import Path

import pytest

from tests.conftest import ROOT, url_arg
from tests.datasette.conftest import serving

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
HAN = re.compile(r"[\u4e00-\u9fff]")

pytestmark = [
    pytest.mark.db,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium "
                       "(apt-get install chromium chromium-driver; .ci/run installs it)"),
]

# (name, SQL giving the path of a page to check in the published file). Issue 15's map and "who held
# this post on this date" pages belong here once they exist.
READER_PAGES = [
    ("article", "SELECT '/newsetl/article/' || article_id FROM mention WHERE role = 'reporter' LIMIT 1"),
    ("person", "SELECT '/newsetl/person/' || id FROM person ORDER BY articles DESC LIMIT 1"),
    ("organization", "SELECT '/newsetl/organization/' || id FROM organization ORDER BY articles DESC LIMIT 1"),
    ("place", "SELECT '/newsetl/place/' || id FROM place ORDER BY articles DESC LIMIT 1"),
    ("canned query: articles mentioning a person",
     "SELECT '/newsetl/articles_mentioning_person?name=' || name FROM person ORDER BY articles DESC LIMIT 1"),
    ("canned query: who appears with whom",
     "SELECT '/newsetl/co_mentions?name=' || name FROM person ORDER BY articles DESC LIMIT 1"),
    ("canned query: a day's paper",
     "SELECT '/newsetl/day_paper?date=' || issue_date FROM issue WHERE issue_date IS NOT NULL LIMIT 1"),
    ("issue", "SELECT '/newsetl/issue/' || id FROM issue LIMIT 1"),
    ("search everything", "SELECT '/-/search?q=安全生产'"),
    ("co-mention network", "SELECT '/-/network'"),
    ("canned query: who held a post on a date",
     "SELECT '/newsetl/post_holders?post=' || post || '&date=' || first_seen FROM person_post "
     "ORDER BY articles DESC LIMIT 1"),
    ("canned query: an organization's officials",
     "SELECT '/newsetl/organization_officials?name=' || organization FROM person_post "
     "WHERE organization IS NOT NULL ORDER BY articles DESC LIMIT 1"),
    ("canned query: places on a map", "SELECT '/newsetl/place_map?min_articles=1'"),
]

# (query, the articles it must find, by SQL over the published file, and what the page must say).
SEARCHES = [
    ("安全生产", "SELECT count(*) FROM article WHERE headline LIKE '%安全生产%' OR body LIKE '%安全生产%'", None),
    ("生态环境保护", "SELECT count(*) FROM article WHERE headline LIKE '%生态环境保护%' OR body LIKE '%生态环境保护%'",
     None),
    ("宫卫红", "SELECT count(DISTINCT article_id) FROM mention WHERE person_id = "
              "(SELECT id FROM person WHERE name = '宫卫红')", "官卫红"),
    ("高新区安全生产工作", "SELECT count(*) FROM article WHERE "
                           + " AND ".join(f"(coalesce(kicker, '') || coalesce(headline, '') || coalesce(subheadline, '') "
                                          f"|| body) LIKE '%{w}%'" for w in ("高新区", "安全", "生产", "工作")),
     "没有找到完整短语"),
]


@pytest.fixture(scope="module")
def server(seeded_url, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("browser")
    published = tmp / "newsetl.db"
    with serving("--db", url_arg(seeded_url), "-o", str(published), log_path=tmp / "serve.log") as base:
        yield base, published


@pytest.fixture(scope="module")
def published(server):
    db = sqlite3.connect(f"file:{server[1]}?mode=ro", uri=True)
    yield db
    db.close()


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright's Python package (dev extra)")
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_api.sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")),  # a fresh user-data-dir
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS,
            viewport={"width": 1200, "height": 900}, locale="zh-CN",
            env={**os.environ, "TZ": "Asia/Shanghai"})
        context.set_default_timeout(30_000)
        try:
            yield context.new_page()
        finally:
            context.close()


def shot(page, name: str, full_page: bool = True) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=full_page)


def test_home_search_article_person(server, page):
    base, _ = server
    requests_elsewhere: list[str] = []
    page.on("request", lambda r: r.url.startswith(("http://", "https://")) and not r.url.startswith(base)
            and requests_elsewhere.append(r.url))

    page.goto(base + "/")
    assert "焦作日报" in page.title() and "焦作日报" in page.inner_text("h1")  # titled by the paper loaded
    shot(page, "1-home")

    page.fill("#search-all-q", "吕沛")
    page.press("#search-all-q", "Enter")
    page.wait_for_url("**/-/search?q=*")
    assert page.input_value("#search-all-q") == "吕沛"  # as typed
    results = page.locator(".newsetl-results .hit")
    assert results.count() >= 10
    assert page.locator(".newsetl-entities a", has_text="吕沛").count() == 1
    assert page.locator(".newsetl-results mark", has_text="吕沛").count() >= 10
    shot(page, "2-search")

    headline = results.first.locator(".title a").inner_text()
    results.first.locator(".title a").click()
    page.wait_for_selector("h1.headline")
    assert page.inner_text("h1.headline") == headline.replace("\n", "")
    assert page.locator(".newsetl-reader .body p").count() >= 1
    assert page.locator(".newsetl-reader .body a.mention-person", has_text="吕沛").count() >= 1
    assert page.locator(".newsetl-named h2", has_text="人物").count() == 1  # a Chinese heading
    shot(page, "3-article")

    page.locator(".newsetl-named a", has_text="吕沛").first.click()
    page.wait_for_selector("svg.newsetl-chart")
    assert page.inner_text("h1").startswith("吕沛")
    assert page.locator("svg.newsetl-chart rect.bar").count() >= 3
    assert page.locator("h2", has_text="每月文章数").is_visible()
    shot(page, "4-person")

    assert requests_elsewhere == []  # works offline: nothing fetched from anywhere else


def test_the_readme_screenshot_of_an_article(server, published, page):
    """The article page as the README shows it: an article with a byline, names in its text, and credits."""
    base, _ = server
    article = published.execute("""SELECT a.id FROM article a WHERE a.byline IS NOT NULL AND a.headline IS NOT NULL
        AND (SELECT count(*) FROM mention m WHERE m.article_id = a.id AND m.entity_kind = 'person') >= 3
        AND length(a.body) BETWEEN 300 AND 700 ORDER BY a.issue_date DESC, a.id LIMIT 1""").fetchone()[0]
    page.set_viewport_size({"width": 1000, "height": 900})
    page.goto(f"{base}/newsetl/article/{article}")
    page.wait_for_selector("h1.headline")
    assert page.locator(".newsetl-named h2").first.inner_text().startswith("人物")
    shot(page, "article-page", full_page=False)
    page.set_viewport_size({"width": 1200, "height": 900})


@pytest.mark.parametrize("name, sql", READER_PAGES, ids=[p[0] for p in READER_PAGES])
def test_no_english_only_heading(server, published, page, name, sql):
    base, _ = server
    path = published.execute(sql).fetchone()[0]
    response = page.goto(base + path)
    assert response.status == 200, path
    headings = [h.strip() for h in page.locator("h1, h2, h3").all_inner_texts() if h.strip()]
    assert headings, path
    english_only = [h for h in headings if not HAN.search(h)]
    assert not english_only, (path, english_only)


@pytest.mark.parametrize("query, expected_sql, notice", SEARCHES, ids=[s[0] for s in SEARCHES])
def test_search_finds_what_the_reader_expects(server, published, page, query, expected_sql, notice):
    base, _ = server
    expected = published.execute(expected_sql).fetchone()[0]
    assert expected > 0
    page.goto(base + "/newsetl/article")
    page.fill("#_search", query)
    page.press("#_search", "Enter")
    page.wait_for_selector("table.newsetl-articles")
    assert page.input_value("#_search") == query
    count = int(re.match(r"\s*([\d,]+)", page.locator("h3").first.inner_text()).group(1).replace(",", ""))
    assert count == expected == page.locator("table.newsetl-articles tbody tr").count()
    assert page.locator(".newsetl-sort strong", has_text="按相关度").is_visible()
    if notice:
        assert page.locator(".newsetl-notice").is_visible() and notice in page.inner_text(".newsetl-notice")
    else:
        assert page.locator(".newsetl-notice").count() == 0
    shot(page, f"search-{query}")
    page.locator(".newsetl-sort a", has_text="按日期").click()
    page.wait_for_selector(".newsetl-sort strong")
    assert "按日期" in page.inner_text(".newsetl-sort strong")
    assert page.locator("table.newsetl-articles tbody tr").count() == expected


def test_the_post_query_names_the_holder_and_the_map_draws_the_places(server, published, page):
    """The post query answers who held a post on a date; the map page draws a marker per place."""
    base, _ = server
    post, date, person = published.execute(
        "SELECT post, first_seen, person FROM person_post ORDER BY articles DESC LIMIT 1").fetchone()
    page.goto(base + "/newsetl/post_holders?" + urlencode({"post": post, "date": date}))
    assert person in page.locator("table.rows-and-columns").inner_text()
    places = published.execute("SELECT count(*) FROM division WHERE articles >= 1").fetchone()[0]
    assert places > 0
    page.goto(base + "/newsetl/place_map?min_articles=1")
    page.wait_for_selector(".leaflet-container", timeout=20_000)
    page.wait_for_function("document.querySelectorAll('.leaflet-marker-icon, .marker-cluster').length > 0",
                           timeout=20_000)
    page.screenshot(path=str(ARTIFACTS / "place-map.png"))
