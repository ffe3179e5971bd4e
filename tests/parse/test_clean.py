"""Stage clean: lines with offsets and normalized text."""

from __future__ import annotations

import pytest

from etl.parse.clean import split_lines


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
