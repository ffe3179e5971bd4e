"""Stage clean: lines with offsets and normalized text."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from etl.parse.clean import _columns, split_lines


@pytest.mark.parametrize(
    "raw, clean",
    [
        ("本报讯 （记 者付凯明", "本报讯（记者付凯明"),
        ("实 开 展 基 层 便 民 服 务 中 心", "实开展基层便民服务中心"),
        ("校对：姬 祥", "校对：姬祥"),
        ("本报讯 1 月 7 日下午，孟", "本报讯1月7日下午，孟"),
        ("持召开县委常委会第 40 次 （扩", "持召开县委常委会第40次（扩"),
        ("（白靖杰 黄福兴）", "（白靖杰 黄福兴）"),
        ("\u3000\u3000严格检查 严格执法 严格整治  ", "严格检查 严格执法 严格整治"),
        ("JIAOZUO DAILY", "JIAOZUO DAILY"),
        ("", ""),
    ],
)
def test_clean_text(raw, clean):
    (line,) = split_lines(raw)
    assert line.clean == clean
    assert line.text == raw


def test_offsets_point_into_the_text():
    text = "第一行\n\n 第三行 \n"
    lines = split_lines(text)
    assert [ln.number for ln in lines] == [1, 2, 3, 4]
    for ln in lines:
        assert text[ln.start:ln.end] == ln.text
    assert lines[1].blank and not lines[2].blank


def _wrap(paragraphs: list[str], width: int) -> str:
    return "\n".join(p[k:k + width] for p in paragraphs for k in range(0, len(p), width))


PARAGRAPHS = [
    "第03版:要闻",
    "全市秋粮收购有序推进",
    "本报讯 记者从市粮食和物资储备局获悉，全市秋粮收购工作有序推进，截至目前已收购玉米、稻谷等秋粮38万吨，"
    "收购进度快于去年同期，农民售粮积极性较高。",
    "据介绍，今年全市共设立收购网点126个，各网点提前检修烘干设备，延长收购时间，方便农民就近售粮。",
    "冬季农田水利建设全面展开",
    "本报讯 今冬明春，全市计划完成农田水利建设投资12亿元，新增和恢复灌溉面积15万亩，各地正抓住冬季有利时机，"
    "加快推进灌区续建配套和现代化改造，确保明年春灌用水。",
] * 3  # a page or three: a fixed width shows over a few paragraphs


@pytest.mark.parametrize("width", [24, 30, 40])
def test_text_wrapped_at_a_fixed_width_is_read_a_paragraph_per_line(width):
    text = _wrap(PARAGRAPHS, width)
    lines = split_lines(text)
    assert [ln.clean for ln in lines if ln.clean] == PARAGRAPHS
    for ln in lines:  # offsets and line numbers stay those of the file
        assert text[ln.start:ln.end] == ln.text
        assert text.count("\n", 0, ln.start) + 1 == ln.number
        assert ln.number + ln.text.count("\n") == ln.last_number


def test_newspaper_columns_are_not_joined():
    """PDF columns (11-16 characters, of varying width) stay lines: the segmenter reads them as such."""
    text = _wrap(PARAGRAPHS, 14).replace("截至目前已收购", "截至目前已收购\n")
    lines = split_lines(text)
    assert len(lines) == text.count("\n") + 1
    assert all(ln.last_number == ln.number for ln in lines)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=80))
def test_display_columns_count_wide_characters_twice(text):
    # the fast count (str.translate over a table of planes 0-3) agrees with the definition everywhere,
    # astral planes and unassigned code points included
    expected = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    assert _columns(text) == expected


@pytest.mark.parametrize("text, columns", [("", 0), ("abc", 3), ("焦作日报", 8), ("ＡＢ1", 5),
                                           ("\U00030000\U00040000x", 5), ("\U0010fffd", 1)])
def test_display_columns_examples(text, columns):
    assert _columns(text) == columns


def test_despace_fast_path_agrees_with_the_regex_on_every_code_point():
    # despace skips the regex for printable text; that is exact only if every whitespace
    # character but the space is unprintable, in this Python's Unicode tables
    from etl.parse._text import despace
    from etl.parse.lexicon import WS_RE

    for cp in range(0x110000):
        if 0xD800 <= cp < 0xE000:
            continue
        text = f"甲{chr(cp)} 乙{chr(cp)}"
        assert despace(text) == WS_RE.sub("", text), hex(cp)


def test_clean_fast_path_agrees_with_normalizing_on_every_code_point():
    # a line with no space and nothing unprintable is returned as it is
    from etl.parse.clean import _SPACES, clean_text

    for cp in range(0x110000):
        if 0xD800 <= cp < 0xE000:
            continue
        text = f"甲{chr(cp)}乙"
        expected = _SPACES.sub(" ", text).strip()
        if " " not in expected:  # (spaced text goes on to the joining rules)
            assert clean_text(text) == expected, hex(cp)
