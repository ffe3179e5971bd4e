"""Chinese search through Datasette's test client: table search box, JSON API, SQL and the search-everything page.

Ground truth is computed from the published articles' text with Python string search, never from the index.
"""

from __future__ import annotations

import html as html_module
import re
from urllib.parse import quote

import pytest

from etl.search import fts_query, plan_search, query_words

from .conftest import get

pytestmark = pytest.mark.db


def texts(sqlite_db) -> dict[int, str]:
    """Each article's searchable text: kicker, headline, subheadline and body, whitespace removed."""
    return {row["id"]: re.sub(r"\s+", "", "".join(row[k] or "" for k in ("kicker", "headline", "subheadline", "body")))
            for row in sqlite_db.execute("SELECT id, kicker, headline, subheadline, body FROM article")}


def articles_containing(sqlite_db, words: list[str]) -> set[int]:
    """The articles whose headlines or text contain every word as written."""
    return {i for i, text in texts(sqlite_db).items() if all(w.lower() in text.lower() for w in words)}


def like_count(sqlite_db, phrase: str) -> int:
    """What a researcher would check in SQL: headline or body LIKE '%phrase%'."""
    return sqlite_db.execute("SELECT count(*) FROM article WHERE headline LIKE ? OR body LIKE ?",
                             (f"%{phrase}%", f"%{phrase}%")).fetchone()[0]


def search_rows(ds, query: str, extra: str = "") -> list[dict]:
    response = get(ds, f"/newsetl/article.json?_search={quote(query)}&_shape=objects&_size=max{extra}")
    assert response.status_code == 200, response.text
    return response.json()["rows"]


def search_ids(ds, query: str) -> set[int]:
    return {r["id"] for r in search_rows(ds, query)}


@pytest.mark.parametrize(("query", "must_find"), [
    ("吕沛", "高新区领导与中建七局客人举行工作会谈"),  # 2 characters: a name
    ("孟州市", None),  # 3 characters
    ("李维群", None),  # a 3-character name jieba segments differently inside sentences
    ("宋永胜", None),  # jieba splits it into 宋 / 永胜: still matched as typed
    ("安全生产", "高新区开展“5+1+N”安全生产专项行动"),  # 4 characters
    ("生态环境保护", None),
    ("吕沛 安全生产", None),  # terms separated by spaces: all must occur, in any order
])
def test_table_search_finds_exactly_the_articles_containing_what_was_typed(ds, sqlite_db, query, must_find):
    expected = articles_containing(sqlite_db, query.split())
    assert expected, f"the seeds have no article for {query}"
    found = search_ids(ds, query)
    assert found == expected, (query, sorted(expected - found), sorted(found - expected))
    if must_find:
        titles = {r["title"] for r in sqlite_db.execute(
            f"SELECT title FROM article WHERE id IN ({','.join(map(str, found))})")}
        assert must_find in titles


@pytest.mark.parametrize("phrase", ["安全生产", "生态环境保护"])
def test_unspaced_chinese_is_the_phrase_never_its_words_apart(ds, sqlite_db, phrase):
    found = search_ids(ds, phrase)
    assert len(found) == like_count(sqlite_db, phrase) > 0  # the target: equal to a LIKE count
    # its words, as a fallback takes them when the phrase itself is found nowhere
    words = plan_search(phrase, has_match=lambda expression: expression != fts_query(phrase)).words
    assert len(words) > 1
    apart = articles_containing(sqlite_db, list(words)) - articles_containing(sqlite_db, [phrase])
    assert apart, f"no seed article holds the words of {phrase} apart: the test would prove nothing"
    assert not found & apart


def test_a_phrase_found_nowhere_falls_back_to_its_words_and_says_so(ds, sqlite_db):
    query = "高新区安全生产工作"
    assert like_count(sqlite_db, query) == 0  # in no article as typed
    found = search_ids(ds, query)
    assert found == articles_containing(sqlite_db, ["高新区", "安全", "生产", "工作"]) != set()
    html = get(ds, f"/newsetl/article?_search={quote(query)}").text
    notice = re.search(r'<div class="newsetl-notice">(.*?)</div>', html, re.S).group(1)
    assert "没有找到完整短语“高新区安全生产工作”" in notice and "高新区、安全、生产、工作" in notice
    assert "No article contains" in notice
    page = get(ds, f"/-/search?q={quote(query)}").text
    assert "没有找到完整短语" in page and f"{len(found)} 篇文章" in page
    # quotes mean exactly as written: no fallback, nothing found, no notice
    assert search_ids(ds, f'"{query}"') == set()
    assert 'class="newsetl-notice"' not in get(ds, f"/newsetl/article?_search={quote(chr(34) + query + chr(34))}").text


def test_a_phrase_found_as_typed_has_no_notice(ds):
    html = get(ds, f"/newsetl/article?_search={quote('安全生产')}").text
    assert 'class="newsetl-notice"' not in html


def test_or_means_either(ds, sqlite_db):
    either = articles_containing(sqlite_db, ["吕沛"]) | articles_containing(sqlite_db, ["郭树勋"])
    assert search_ids(ds, "吕沛 OR 郭树勋") == either
    assert len(either) > len(articles_containing(sqlite_db, ["吕沛"]))


def test_a_persons_search_finds_every_article_of_their_page_and_says_so(ds, sqlite_db):
    person = sqlite_db.execute("SELECT id, variants FROM person WHERE name = '宫卫红'").fetchone()
    assert "官卫红" in person["variants"]
    listed = {r[0] for r in sqlite_db.execute("SELECT DISTINCT article_id FROM mention WHERE person_id = ?",
                                              (person["id"],))}
    printing_variant = articles_containing(sqlite_db, ["官卫红"])
    assert len(listed) == 20 and len(printing_variant & listed) == 7  # the seeds, as issue 16 measured them
    assert search_ids(ds, "宫卫红") == listed
    assert search_ids(ds, "官卫红") == listed  # from either spelling
    html = get(ds, f"/newsetl/article?_search={quote('宫卫红')}").text
    notice = re.search(r'<div class="newsetl-notice">(.*?)</div>', html, re.S).group(1)
    assert "官卫红（7 篇）" in notice and "官卫红 (7 articles)" in notice
    page = get(ds, f"/-/search?q={quote('宫卫红')}").text
    assert "20 篇文章" in page and "官卫红（7 篇）" in page
    # and the person page lists the same number
    assert f"{len(listed)} 篇文章提及或署名" in get(ds, f"/newsetl/person/{person['id']}").text


def test_results_come_by_relevance_with_a_toggle_to_date(ds, sqlite_db):
    rows = search_rows(ds, "安全生产")
    scores = [r["bm25"] for r in rows]
    assert scores == sorted(scores) and len(set(scores)) > 1  # bm25: lower is better
    by_rank = [r[0] for r in sqlite_db.execute(
        "SELECT rowid FROM article_fts WHERE article_fts MATCH ? ORDER BY bm25(article_fts), rowid",
        (fts_query("安全生产"),))]
    assert [r["id"] for r in rows][:3] == by_rank[:3]
    by_date = search_rows(ds, "安全生产", "&_sort_desc=issue_date")
    assert {r["id"] for r in by_date} == {r["id"] for r in rows}
    assert [r["issue_date"] for r in by_date] == sorted((r["issue_date"] for r in by_date), reverse=True)
    html = get(ds, f"/newsetl/article?_search={quote('安全生产')}").text
    assert "<strong>按相关度 by relevance (bm25)</strong>" in html
    assert f'href="/newsetl/article?_search={quote("安全生产")}&amp;_sort_desc=issue_date"' in html
    dated = get(ds, f"/newsetl/article?_search={quote('安全生产')}&_sort_desc=issue_date").text
    assert "<strong>按日期（新的在前） by date, newest first</strong>" in dated


def test_snippets_show_the_match_in_the_table_view_search_page_and_sql(ds, sqlite_db):
    found = search_ids(ds, "安全生产")
    html = get(ds, f"/newsetl/article?_search={quote('安全生产')}").text
    excerpts = re.findall(r'<div class="excerpt">(.*?)</div>', html, re.S)
    assert len(excerpts) == len(found) and all("<mark>安全生产</mark>" in e for e in excerpts)
    page = get(ds, f"/-/search?q={quote('安全生产')}").text
    snippets = re.findall(r'<div class="snippet">(.*?)</div>', page, re.S)
    assert snippets and all("<mark>安全生产</mark>" in s for s in snippets)
    sql = ("select newsetl_snippet(body, :q) as s from article_search where search match newsetl_fts(:q) "
           "order by bm25")
    response = get(ds, f"/newsetl.json?sql={quote(sql)}&q={quote('安全生产')}&_shape=array")
    assert response.status_code == 200, response.text
    rows = response.json()
    headline_only = {i for i in found if "安全生产" not in (sqlite_db.execute(
        "SELECT body FROM article WHERE id = ?", (i,)).fetchone()[0] or "")}
    assert len(rows) == len(found)
    assert sum("【安全生产】" in r["s"] for r in rows) == len(found) - len(headline_only)


def test_search_notice_function_for_the_json_api(ds):
    sql = "select newsetl_search_notice(:q) as notice"
    for query, expected in [("宫卫红", "官卫红（7 篇）"), ("高新区安全生产工作", "没有找到完整短语"), ("安全生产", "")]:
        [row] = get(ds, f"/newsetl.json?sql={quote(sql)}&q={quote(query)}&_shape=array").json()
        assert (expected in row["notice"]) if expected else row["notice"] == ""


def test_word_not_in_corpus_finds_nothing(ds):
    assert search_ids(ds, "量子计算机") == set()
    assert search_ids(ds, '"') == set()  # nothing searchable, and no error


def test_search_box_shows_what_the_user_typed(ds):
    response = get(ds, f"/newsetl/article?_search={quote('高新区安全生产工作')}")
    assert response.status_code == 200
    assert 'value="高新区安全生产工作"' in response.text
    assert "search matches &#34;高新区安全生产工作&#34;" in response.text


def test_raw_fts_syntax_still_passes_through(ds):
    response = get(ds, f"/newsetl/article.json?_search={quote('吕沛 OR 郭树勋')}&_searchmode=raw&_shape=objects&_size=max")
    assert response.status_code == 200, response.text
    assert len(response.json()["rows"]) > len(search_ids(ds, "吕沛"))


def test_sql_api_can_use_the_segmenting_match_function(ds, sqlite_db):
    sql = "select count(*) as n from article_fts where article_fts match newsetl_fts(:q)"
    response = get(ds, f"/newsetl.json?sql={quote(sql)}&q={quote('吕沛')}&_shape=array")
    assert response.status_code == 200, response.text
    assert response.json()[0]["n"] == len(articles_containing(sqlite_db, ["吕沛"]))


@pytest.mark.parametrize("query", ["吕沛", "安全生产", "生态环境保护"])
def test_search_everything_page(ds, sqlite_db, query):
    response = get(ds, f"/-/search?q={quote(query)}")
    assert response.status_code == 200
    html = response.text
    assert f'value="{query}"' in html  # as typed
    count = len(articles_containing(sqlite_db, query_words(query)))
    assert f"{count} 篇文章" in html and f"{count} article" in html
    first = sqlite_db.execute(
        "SELECT title FROM article_search WHERE search MATCH ? ORDER BY bm25, issue_date DESC, id LIMIT 1",
        (fts_query(query),)).fetchone()[0]
    titles = re.findall(r'<div class="title"><a [^>]*>(.*?)</a>', html)
    assert html_module.unescape(re.sub(r"</?mark>", "", titles[0])) == first  # by relevance
    by_date = get(ds, f"/-/search?q={quote(query)}&sort=date").text
    dates = re.findall(r'<div class="where">(\d{4}-\d\d-\d\d)', by_date)
    assert dates == sorted(dates, reverse=True)
    if query == "吕沛":  # the person is offered first
        person = sqlite_db.execute("SELECT id FROM person WHERE name = '吕沛'").fetchone()[0]
        assert f'href="/newsetl/person/{person}"' in html


def test_home_page_offers_search_everything(ds):
    response = get(ds, "/")
    assert response.status_code == 200
    assert 'action="/-/search"' in response.text


def test_datasette_search_all_json_fetch_works(ds):
    """datasette-search-all's script asks each searchable table like this."""
    response = get(ds, f"/newsetl/article.json?_shape=objects&_labels=on&_extra=count&_size=5&_search={quote('吕沛')}")
    assert response.status_code == 200, response.text
    assert response.json()["rows"]
