"""The web time limit holds for every query, the plugin's SQL functions included (a real server)."""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from etl.datasette_app import SETTINGS
from etl.search import MAX_QUERY_CHARS, fts_query
from tests.datasette.conftest import serving

pytestmark = [pytest.mark.db, pytest.mark.slow]

LIMIT_S = SETTINGS["sql_time_limit_ms"] / 1000
# One call with 100,000 characters (jieba alone took over a minute on that before the cap) …
LONG_ARGUMENT = "select length(newsetl_fts(replace(hex(zeroblob(50000)), '0', '中'))) as n"
# … and a query that calls the function over and over: the time limit must stop it.
MANY_CALLS = ("with recursive r(i) as (select 1 union all select i + 1 from r where i < 100000000) "
              "select count(newsetl_fts(replace(hex(zeroblob(200)), '0', '中') || i)) from r")


@pytest.fixture(scope="module")
def served(published_path, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("limits")
    log = tmp / "serve.log"
    with serving("--no-publish", "-o", str(published_path), log_path=log) as base:
        yield base, log


@pytest.fixture(scope="module")
def server(served):
    return served[0]


def sql(base: str, query: str, timeout: float = 60) -> tuple[int, dict, float]:
    url = f"{base}/newsetl.json?" + urllib.parse.urlencode({"sql": query, "_shape": "objects"})
    started = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            status, body = response.status, json.load(response)
    except urllib.error.HTTPError as exc:
        status, body = exc.code, json.load(exc)
    return status, body, time.monotonic() - started


def test_the_search_function_reads_a_bounded_query():
    assert fts_query("中" * 100_000) == fts_query("中" * MAX_QUERY_CHARS)
    started = time.perf_counter()
    fts_query("中" * 100_000)
    assert time.perf_counter() - started < 0.5


def run_beside(server: str, query: str, copies: int) -> tuple[tuple, list[tuple]]:
    """``copies`` of ``query`` at once, and ``select 1`` sent while they run; all the answers."""
    answers: list[tuple] = []
    heavy = [threading.Thread(target=lambda: answers.append(sql(server, query))) for _ in range(copies)]
    for thread in heavy:
        thread.start()
    time.sleep(0.3)
    light = sql(server, "select 1 as one")
    for thread in heavy:
        thread.join(timeout=60)
    return light, answers


def test_a_long_argument_is_answered_at_once_even_three_times_over(server):
    (status, body, seconds), answers = run_beside(server, LONG_ARGUMENT, copies=3)
    assert status == 200 and body["rows"] == [{"one": 1}] and seconds < 1.0
    assert len(answers) == 3
    for status, body, seconds in answers:
        assert status == 200 and body["rows"][0]["n"] > 0 and seconds < LIMIT_S


def test_a_query_calling_the_function_without_end_is_cut_off_at_the_limit(server):
    (status, body, seconds), answers = run_beside(server, MANY_CALLS, copies=1)
    assert status == 200 and body["rows"] == [{"one": 1}]
    # answered long before the heavy query ends; it shares the interpreter with a Python function
    # running flat out, so allow for that on a loaded machine (about 0.2 s on a quiet one)
    assert seconds < LIMIT_S / 2, f"select 1 waited {seconds:.1f}s beside the heavy query"
    [(status, body, seconds)] = answers
    assert seconds < LIMIT_S + 0.5, f"the query ran {seconds:.1f}s, past the {LIMIT_S:.0f}s limit"
    assert status == 400 and "took too long" in body["error"]


def log_lines_added(log, request) -> list[str]:
    before = log.read_text().splitlines()
    request()
    time.sleep(0.5)  # the access line is written after the response
    return log.read_text().splitlines()[len(before):]


@pytest.mark.parametrize("request_", [
    lambda base: sql(base, MANY_CALLS),
    lambda base: urllib.request.urlopen(base + "/newsetl/article/999999"),
    lambda base: urllib.request.urlopen(base + "/no-such-database"),
], ids=["timed-out query", "missing row", "missing database"])
def test_a_failed_request_adds_at_most_three_log_lines(served, request_):
    base, log = served

    def send():
        try:
            request_(base)
        except urllib.error.HTTPError:
            pass

    added = log_lines_added(log, send)
    assert 1 <= len(added) <= 3, "\n".join(added)
    assert any(line.startswith("newsetl serve: 4") for line in added)
    assert not any("Traceback" in line for line in added)
