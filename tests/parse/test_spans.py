"""Invariants over every seed, in every encoding and line ending a user may have.

- each item's body is the source text between its offsets (whitespace aside),
  items come in file order and never overlap;
- every credit and mention points at its own surface in its field;
- the same page in another encoding parses to the same items.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

import pytest

from etl.parse import parse_bytes
from etl.parse.decode import decode_bytes

SEEDS = sorted((Path(__file__).resolve().parents[2] / "seeds").glob("*.txt"))
WS = re.compile(r"[\s\u3000\u00a0\ufeff]+")

# name -> (how to write the seed, encoding and newline the decoder must report)
ENCODINGS = {
    "utf-8": (lambda t: t.encode("utf-8"), "utf-8", "\n"),
    "utf-8-bom-crlf": (lambda t: codecs.BOM_UTF8 + t.replace("\n", "\r\n").encode("utf-8"), "utf-8-sig", "\r\n"),
    "gb18030-crlf": (lambda t: t.replace("\n", "\r\n").encode("gb18030"), "gb18030", "\r\n"),
    "utf-16-bom": (lambda t: t.encode("utf-16"), "utf-16", "\n"),
    "utf-16-le-no-bom-cr": (lambda t: t.replace("\n", "\r").encode("utf-16-le"), "utf-16-le", "\r"),
    "utf-16-be-no-bom": (lambda t: t.encode("utf-16-be"), "utf-16-be", "\n"),
}


def _strip(text: str) -> str:
    return WS.sub("", text)


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name)
def test_items_are_pieces_of_the_input_in_order(seed):
    data = seed.read_bytes()
    text = decode_bytes(data, seed.name).text
    doc = parse_bytes(data, seed.name)
    assert doc.items
    previous_end = 0
    for item in doc.items:
        assert previous_end <= item.start <= item.end, f"item {item.seq} overlaps or is out of order"
        assert _strip(item.body) == _strip(text[item.start:item.end]), f"item {item.seq} is not its span"
        assert text.count("\n", 0, item.start) + 1 == item.line_start
        previous_end = item.end


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name)
def test_credit_and_mention_offsets_point_at_their_surface(seed):
    doc = parse_bytes(seed.read_bytes(), seed.name)
    checked = 0
    for item in doc.items:
        fields = {"body": item.body, "headline": item.headline or "", "byline": item.byline or ""}
        for credit in item.credits:
            assert _strip(fields[credit.field][credit.start:credit.end]) == credit.name, (item.seq, credit)
            checked += 1
        for mention in item.mentions:
            assert _strip(fields[mention.field][mention.start:mention.end]) == mention.surface, (item.seq, mention)
            checked += 1
    assert checked > 0


@pytest.mark.parametrize("encoding", list(ENCODINGS))
@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name)
def test_other_encodings_and_line_endings_parse_the_same(seed, encoding):
    original = parse_bytes(seed.read_bytes(), seed.name)
    write, expected_encoding, expected_newline = ENCODINGS[encoding]
    doc = parse_bytes(write(seed.read_text(encoding="utf-8")), seed.name)
    assert (doc.encoding, doc.newline) == (expected_encoding, expected_newline)
    assert [(i.kind, i.headline, _strip(i.body), i.event_date) for i in doc.items] == \
           [(i.kind, i.headline, _strip(i.body), i.event_date) for i in original.items]
    assert [(c.name, c.role) for i in doc.items for c in i.credits] == \
           [(c.name, c.role) for i in original.items for c in i.credits]
