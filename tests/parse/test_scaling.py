"""The parser's cost grows in proportion to the file: one line of 0.25 M to 2 M characters.

A pairwise overlap check once made a 500 KB one-line file take a minute and a
10 MB one a quarter of an hour. CPU time of this process is measured (the
machine's other load does not count), and only the growth ratio is judged.
"""

from __future__ import annotations

import time

import pytest

from etl.parse import parse_bytes

from ..conftest import SEEDS

pytestmark = pytest.mark.slow

SIZES = (250_000, 500_000, 1_000_000, 2_000_000)


def one_line(chars: int) -> bytes:
    text = "".join((SEEDS / "001_d414a8ee10d38a41.txt").read_text(encoding="utf-8").split())
    return (text * (chars // len(text) + 1))[:chars].encode()


def test_parse_time_grows_linearly_with_one_long_line():
    parse_bytes(one_line(20_000), "warm-up.txt")  # models and dictionaries loaded once
    seconds = {}
    for size in SIZES:
        data = one_line(size)
        started = time.process_time()
        doc = parse_bytes(data, f"{size}.txt")
        seconds[size] = time.process_time() - started
        assert doc.items
    growth = seconds[SIZES[-1]] / seconds[SIZES[0]]
    print("\n[scaling] one line: " + ", ".join(f"{s / 1e6:g} M chars {t:.1f}s" for s, t in seconds.items())
          + f"; 8x the text took {growth:.1f}x the time")
    assert growth < 8 * 1.5, seconds
