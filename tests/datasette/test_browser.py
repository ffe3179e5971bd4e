"""End to end in a real headless Chromium: `newsetl serve`, home page, search 吕沛, an article, a person.

Uses Debian's chromium (/usr/bin/chromium, installed by .ci/run) through Playwright's Python package;
Playwright's own browser downloads are never used. Screenshots go to test-artifacts/ at the repository root.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import ROOT, url_arg
from tests.datasette.conftest import serving

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = [
    pytest.mark.db,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium "
                       "(apt-get install chromium chromium-driver; .ci/run installs it)"),
]


@pytest.fixture(scope="module")
def server(seeded_url, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("browser")
    with serving("--db", url_arg(seeded_url), "-o", str(tmp / "newsetl.db"), log_path=tmp / "serve.log") as base:
        yield base


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


def shot(page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_home_search_article_person(server, page):
    requests_elsewhere: list[str] = []
    page.on("request", lambda r: r.url.startswith(("http://", "https://")) and not r.url.startswith(server)
            and requests_elsewhere.append(r.url))

    page.goto(server + "/")
    assert "焦作日报" in page.title() or "焦作日报" in page.inner_text("h1")
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
    shot(page, "3-article")

    page.locator(".newsetl-named a", has_text="吕沛").first.click()
    page.wait_for_selector("svg.newsetl-chart")
    assert page.inner_text("h1").startswith("吕沛")
    assert page.locator("svg.newsetl-chart rect.bar").count() >= 3
    shot(page, "4-person")

    page.goto(server + "/newsetl/article?_search=高新区安全生产工作")
    assert page.input_value("#_search") == "高新区安全生产工作"
    assert page.locator("table.newsetl-articles tbody tr").count() >= 4
    shot(page, "5-article-table-search")

    assert requests_elsewhere == []  # works offline: nothing fetched from anywhere else
