"""Stage dates: page date, event dates, year inferred from the text."""

from __future__ import annotations

import datetime as dt

import pytest

from etl.parse import parse_text
from tests.parse.conftest import content

HEADER = "JIAOZUO DAILY\nA08│温县新闻2023年1月10日 星期二\n■新闻热线：8797000│■编辑：刘振毅│校对：姬 祥│组版：牛成文\n\n"


@pytest.mark.parametrize(
    "body, expected",
    [
        ("本报讯 1月7日下午，会议召开。\n", dt.date(2023, 1, 7)),
        ("本报讯（记者付凯明） 1\n月 9 日下午，示范区召开会议。\n", dt.date(2023, 1, 9)),
        ("本报讯 一枝一叶总关情，寒冬最是问暖时。2022年12月23日，村干部送来慰问品。\n", dt.date(2022, 12, 23)),
        ("本报讯 12月28日，某镇召开会议。\n", dt.date(2022, 12, 28)),  # later than the page date: year before
        ("本报讯 去年3月15日，某某来到某地。\n", dt.date(2022, 3, 15)),
        ("本报讯 近日，河南省科技厅发布了《关于公布1月5日名单的通知》。\n", None),
        ("本报讯 连日来，温县温泉街道组织干部送药。\n", None),
    ],
)
def test_event_date_resolved_against_page_date(body, expected):
    doc = parse_text(HEADER + body)
    assert doc.date == dt.date(2023, 1, 10) and not doc.date_from_text
    assert content(doc)[0].event_date == expected


def test_year_from_text_without_header(fixture_text):
    doc = parse_text(fixture_text("before_layout.txt"))
    items = content(doc)
    assert items[0].event_date == dt.date(2024, 3, 11)
    assert doc.date_from_text and doc.date == dt.date(2024, 3, 11)
    assert [it.event_date for it in items if it.kind == "commentary"] == [None]


@pytest.mark.parametrize(
    "text, year",
    [
        ("本报讯 3月5日，高新区召开2023年度述职会议。\n\n本报讯 3月6日，会议召开。高新区2024年第3次会议。\n", 2024),
        ("本报讯 1月18日，班子召开2022年度民主生活会。\n", 2023),
    ],
)
def test_inferred_year(text, year):
    doc = parse_text(text)
    assert content(doc)[0].event_date.year == year


@pytest.mark.parametrize(
    "text, expected",
    [
        # the year comes from the item's own page, not from an earlier page of the file
        ("2020年09月28日\n第A07版:要闻\n\n甲\n本报讯 近日，某地举行仪式。\n\n2022年04月08日\n第A01版:要闻\n\n乙\n"
         "本报讯 4月7日，某区举行签约仪式。\n", [None, dt.date(2022, 4, 7)]),
        ("2010 年 1 月 5 日 星期\n003版:社会\n标题\n  昨日8时许，记者来到某街坊。\n", [dt.date(2010, 1, 4)]),
        ("1951年9月15日人民日报 第1版\n\n标题\n【新华社重庆十四日电】拉萨讯:某部已于本月九日进抵拉萨。\n",
         [dt.date(1951, 9, 9)]),
        # "今天" is the dateline's day when the dateline gives one
        ("1997年11月4日人民日报 第4版\n\n标题\n本报成都11月3日电记者刘玉琴报道:今天上午，某乡鼓乐齐鸣。\n",
         [dt.date(1997, 11, 3)]),
        ("第A05版:区域\n\n标题\n  22日，某社区开展巡河活动。\n", [None]),  # the page prints no date: no year
        ("2022年3月8日\n第A05版:区域\n\n标题\n  4日、5日，某公园接待游客5万人次。\n", [None]),  # two days: none
    ],
)
def test_event_dates_from_the_items_page(text, expected):
    doc = parse_text(text, entities=False)
    assert [it.event_date for it in content(doc)] == expected
