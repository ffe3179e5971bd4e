"""Chinese search through Datasette's test client: table search box, JSON API, SQL and the search-everything page."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest

from etl.search import fts_query, query_words

from .conftest import get

pytestmark = pytest.mark.db


def articles_containing(sqlite_db, words: list[str]) -> set[int]:
    """Ground truth: the articles whose headlines or text contain every word as written."""
    found = set()
    for row in sqlite_db.execute("SELECT id, kicker, headline, subheadline, body FROM article"):
        text = re.sub(r"\s+", "", "".join(row[k] or "" for k in ("kicker", "headline", "subheadline", "body")))
        if all(w.lower() in text.lower() for w in words):
            found.add(row["id"])
    return found


def search_ids(ds, query: str) -> set[int]:
    response = get(ds, f"/newsetl/article.json?_search={quote(query)}&_shape=objects&_size=max&_col=id")
    assert response.status_code == 200, response.text
    return {r["id"] for r in response.json()["rows"]}


@pytest.mark.parametrize(("query", "must_find"), [
    ("吕沛", "高新区领导与中建七局客人举行工作会谈"),  # 2 characters: a name
    ("孟州市", None),  # 3 characters
    ("李维群", None),  # a 3-character name jieba segments differently inside sentences
    ("宋永胜", None),  # jieba splits it into 宋 / 永胜: matched as typed
    ("安全生产", "高新区开展“5+1+N”安全生产专项行动"),  # 4 characters
    ("生态环境保护", None),
    ("高新区安全生产工作", "宫卫红暗访检查安全生产工作"),  # 4+ characters, no spaces: every word must occur
    ("吕沛 安全生产", None),  # words separated by spaces: all must occur
])
def test_table_search_finds_exactly_the_articles_containing_the_words(ds, sqlite_db, query, must_find):
    expected = articles_containing(sqlite_db, query_words(query))
    assert expected, f"the seeds have no article for {query}"
    found = search_ids(ds, query)
    assert found == expected, (query, sorted(expected - found), sorted(found - expected))
    if must_find:
        titles = {r["title"] for r in sqlite_db.execute(
            f"SELECT title FROM article WHERE id IN ({','.join(map(str, found))})")}
        assert must_find in titles


def test_whole_phrase_articles_are_among_the_word_matches(ds, sqlite_db):
    exact = articles_containing(sqlite_db, ["高新区安全生产工作"])
    assert exact <= search_ids(ds, "高新区安全生产工作")
    assert search_ids(ds, '"高新区安全生产工作"') == exact  # quotes: as written


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


@pytest.mark.parametrize("query", ["吕沛", "安全生产", "高新区安全生产工作"])
def test_search_everything_page(ds, sqlite_db, query):
    response = get(ds, f"/-/search?q={quote(query)}")
    assert response.status_code == 200
    html = response.text
    assert f'value="{query}"' in html  # as typed
    count = len(articles_containing(sqlite_db, query_words(query)))
    assert f"{count} article" in html
    first = sqlite_db.execute(
        f"SELECT title FROM article WHERE id IN (SELECT rowid FROM article_fts WHERE article_fts MATCH ?) "
        f"ORDER BY issue_date DESC, id LIMIT 1", (fts_query(query),)).fetchone()[0]
    assert first.split("“")[0] in re.sub(r"</?mark>", "", html)
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
