"""Property-based tests (hypothesis): for arbitrary text the parser never raises, and every
item it returns is a piece of the input (whitespace, and page headers printed inside it, aside),
in order, not overlapping."""

from __future__ import annotations

import os
import re
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from etl.errors import InputFileError
from etl.parse import parse_bytes, parse_text

SEEDS = sorted((Path(__file__).resolve().parents[2] / "seeds").glob("*.txt"))
SEED_LINES = sorted({line for p in SEEDS for line in p.read_text(encoding="utf-8").splitlines()})
WS = re.compile(r"[\s\u3000\u00a0\ufeff]+")
ALPHABET = ("本报讯记者通讯员见习摄县委书记主任领导温县高新区镇村街道公司局会议召开出席强调要的了和在"
            "一二三年月日星期０１２３4567890，。、；：“”（）()●□■│⬅➡ 　\t#ABCDJIAOZUO")

# Realistic lines recombined (headers, bylines, credits, headlines, wrapped body lines),
# arbitrary lines, and blank lines, in any order.
lines = st.one_of(st.sampled_from(SEED_LINES), st.text(alphabet=ALPHABET, max_size=40), st.just(""))
documents = st.lists(lines, max_size=60).map("\n".join)
SETTINGS = settings(max_examples=int(os.environ.get("HYPOTHESIS_EXAMPLES", "150")), deadline=None, suppress_health_check=[HealthCheck.too_slow])


def check_invariants(text: str, doc) -> None:
    # a page header or section banner printed inside an article's lines is not part of its body
    furniture = sorted((h.start, h.end) for h in (*doc.pages, *doc.banners))
    previous_end = 0
    for item in doc.items:
        assert 0 <= previous_end <= item.start <= item.end <= len(text)
        pieces, at = [], item.start
        for start, end in furniture:
            if item.start <= start < item.end:
                pieces.append(text[at:start])
                at = max(at, end)
        pieces.append(text[at:item.end])
        assert WS.sub("", item.body) == WS.sub("", "".join(pieces))
        assert item.body.strip(), "an empty item"
        fields = {"body": item.body, "headline": item.headline or "", "byline": item.byline or ""}
        for span in (*item.credits, *item.mentions):
            surface = span.name if hasattr(span, "name") else span.surface
            assert WS.sub("", fields[span.field][span.start:span.end]) == surface
        previous_end = item.end


@SETTINGS
@given(documents)
def test_parse_text_never_raises_and_items_are_pieces_of_the_input(text):
    check_invariants(text, parse_text(text))


@SETTINGS
@given(st.text(max_size=400))
def test_any_unicode_text(text):
    text = text.replace("\r", "\n")  # the decoder normalizes line endings before parse_text sees them
    check_invariants(text, parse_text(text))


@SETTINGS
@given(st.binary(max_size=600))
def test_any_bytes_either_parse_or_give_a_clear_input_error(data):
    try:
        doc = parse_bytes(data, "x.txt")
    except InputFileError as exc:
        assert exc.path == "x.txt" and exc.reason
    else:
        assert doc.encoding
