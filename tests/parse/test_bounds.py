"""Stage bounds: an item too long to be one is cut at sentence ends, with its source offsets."""

from __future__ import annotations

import re

import pytest

from etl.parse import parse_text
from etl.parse.bounds import MAX_ITEM_CHARS

SENTENCE = "1月7日下午，温县召开全县经济工作会议，部署今年重点任务。"


def _strip(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("text", [
    "本报讯 " + SENTENCE * (3 * MAX_ITEM_CHARS // len(SENTENCE)),  # one line of 150,000 characters
    "本报讯 " + "\n".join([SENTENCE * 40] * (3 * MAX_ITEM_CHARS // (40 * len(SENTENCE)))),  # long wrapped lines
    "本报讯 " + ("温 县 " * (MAX_ITEM_CHARS // 2)) + "。" + SENTENCE * 10,  # spaced-out characters
], ids=["one line", "wrapped lines", "spaced out"])
def test_long_items_are_cut_into_bounded_parts_that_map_to_the_source(text):
    doc = parse_text(text, entities=False)
    assert len(doc.items) >= 2
    assert [it.seq for it in doc.items] == list(range(1, len(doc.items) + 1))
    assert all(len(it.body) <= MAX_ITEM_CHARS for it in doc.items)
    for it in doc.items:
        assert _strip(text[it.start:it.end]) == _strip(it.body), it.seq
        assert it.line_start <= it.line_end
        assert any(w.code == "cut_item" for w in it.warnings)
    assert _strip("".join(it.body for it in doc.items)) == _strip(text)
    assert all(_strip(it.body).endswith(("。", "！", "？")) for it in doc.items[:-1] if "。" in it.body)


def test_ordinary_items_are_left_alone():
    doc = parse_text("本报讯 " + SENTENCE * 20, entities=False)
    assert all(w.code != "cut_item" for it in doc.items for w in it.warnings)
