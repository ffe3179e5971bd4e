"""Stage pages: page headers and section banners."""

from __future__ import annotations

import datetime as dt

import pytest

from etl.parse.clean import split_lines
from etl.parse.pages import find_pages, page_date

HEADER = "\nJIAOZUO DAILY\nA08│温县新闻2023年1月10日 星期二\n\n■新闻热线：8797000│■编辑：刘振毅│校对：姬 祥│组版：牛成文\n"


@pytest.mark.parametrize(
    "field, value",
    [
        ("newspaper", "JIAOZUO DAILY"),
        ("page_label", "A08"),
        ("section", "温县新闻"),
        ("date", dt.date(2023, 1, 10)),
        ("weekday", "星期二"),
        ("editor", "刘振毅"),
        ("proofreader", "姬祥"),
        ("layout_editor", "牛成文"),
        ("hotline", "8797000"),
        ("line", 2),
    ],
)
def test_header_fields(field, value):
    layout = find_pages(split_lines(HEADER))
    assert getattr(layout.pages[0], field) == value


def test_several_headers_and_banners(fixture_text):
    text = HEADER + HEADER.replace("温县新闻", "孟州新闻") + "\n 高新区动态\n\n一周动态\n"
    layout = find_pages(split_lines(text))
    assert [p.section for p in layout.pages] == ["温县新闻", "孟州新闻"]
    assert [p.index for p in layout.pages] == [0, 1]
    assert [b.text for b in layout.banners] == ["高新区动态"]  # 一周动态 is a column label, not a banner


@pytest.mark.parametrize("line", ["示范区强音", " 高新区视窗", "高新区动态"])
def test_banner_lines(line):
    layout = find_pages(split_lines(f"\n{line}\n\n"))
    assert [b.text for b in layout.banners] == [line.strip()]


def test_no_header():
    layout = find_pages(split_lines("本报讯 近日，某某。\n"))
    assert layout.pages == () and layout.banners == ()


TODAY = dt.date(2026, 12, 3)


@pytest.mark.parametrize("printed, section, date, warning", [
    ("2023年1月10日", "温县新闻", dt.date(2023, 1, 10), None),
    ("2023年2月30日", "温县新闻", None, "is not a date"),
    ("99999年1月10日", "温县新闻", None, "is not a date"),  # the section does not swallow a digit
    ("1899年1月10日", "温县新闻", dt.date(1899, 1, 10), "unusually early"),
    ("2099年1月10日", "温县新闻", None, "in the future"),
])
def test_impossible_and_implausible_page_dates_are_flagged(printed, section, date, warning):
    layout = find_pages(split_lines(HEADER.replace("2023年1月10日", printed)))
    [page] = layout.pages
    assert (page.section, page.date) == (section, date)
    if warning is None:
        assert layout.warnings == ()
    else:
        [message] = layout.warnings
        assert warning in message and printed in message and message.startswith("line 3:")


def test_page_date_is_judged_against_today():
    assert page_date("2027", "1", "5", 1, today=TODAY) == (dt.date(2027, 1, 5), None)
    date, warning = page_date("2028", "1", "5", 1, today=TODAY)
    assert date is None and "future" in warning
