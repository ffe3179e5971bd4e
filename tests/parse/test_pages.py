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


@pytest.mark.parametrize(
    "text, label, section, date, paper",
    [
        ("第04版:\n", "04", None, None, None),
        ("第A06版:郑州时政\n", "A06", "郑州时政", None, None),
        ("第06版:潍坊新闻·民生\n", "06", "潍坊新闻·民生", None, None),
        ("002版:要闻·综合\n2008 年 12 月 3 日 星期\n", "002", "要闻·综合", dt.date(2008, 12, 3), None),
        ("2020年09月28日\n第A07版:明光新闻\n", "A07", "明光新闻", dt.date(2020, 9, 28), None),
        ("出版日期:1988年12月15日 头版 01\n", "01", "头版", dt.date(1988, 12, 15), None),
        ("第7247期:第01版 首版\n", "01", "首版", None, None),
        ("版面:01版:导读\n", "01", "导读", None, None),
        ("日期:[2015年12月01日] -- 菏泽日报 -- 版次:[A1]\n", "A1", None, dt.date(2015, 12, 1), "菏泽日报"),
        ("1998年2月9日人民日报 第1版\n\n第1版(要闻)\n专栏:\n", "1", "要闻", dt.date(1998, 2, 9), "人民日报"),
        ("A01版 要闻\n", "A01", "要闻", None, None),
        ("第03版：要闻\n2022-06-18\n", "03", "要闻", dt.date(2022, 6, 18), None),
        ("2020年10月15日\n\n某某新闻标题\n", None, None, dt.date(2020, 10, 15), None),
        ("第A3版：要闻 2019年10月15日 星期二\n", "A3", "要闻", dt.date(2019, 10, 15), None),
        ("2019-10-15 第A03版:县区\n", "A03", "县区", dt.date(2019, 10, 15), None),
        ("【第A01版：要闻】\n", "A01", "要闻", None, None),
    ],
)
def test_page_label_formats(text, label, section, date, paper):
    (page,) = find_pages(split_lines(text)).pages
    assert (page.page_label, page.section, page.date, page.newspaper) == (label, section, date, paper)


def test_block_headers_repeat_the_page_and_columns_are_sections():
    text = ("1951年9月15日人民日报 第1版\n\n第1版()\n专栏:\n\n标题\n正文。\n\n第1版()\n专栏:新闻简报\n\n"
            "标题二\n正文二。\n\n第6版(国际)\n专栏:\n\n标题三\n正文三。\n")
    layout = find_pages(split_lines(text))
    assert [(p.page_label, p.section, p.date) for p in layout.pages] == [
        ("1", None, dt.date(1951, 9, 15)), ("6", "国际", None)]
    assert [b.text for b in layout.banners] == ["新闻简报"]


def test_a_date_closing_a_notice_is_no_page():
    text = "关于某事的通知\n各单位：\n请按时参加。\n焦作市人民政府\n2023年1月10日\n"
    assert find_pages(split_lines(text)).pages == ()


@pytest.mark.parametrize("line, label, section", [
    ("【A07版】明光新闻", "A07", "明光新闻"),
    ("A07│明光新闻", "A07", "明光新闻"),  # no date on the line
    ("第07版/明光新闻", "07", "明光新闻"),
    ("第07版—明光新闻", "07", "明光新闻"),
    ("第07版 | 明光新闻", "07", "明光新闻"),
    ("第A02版 新作风 新精神 新洛阳", "A02", "新作风新精神新洛阳"),  # a section set with spaces
    ("第002版综合", "002", "综合"),
    ("第1234期:第A07版 明光新闻", "A07", "明光新闻"),
])
def test_page_label_forms(line, label, section):
    (page,) = find_pages(split_lines(f"{line}\n\n本报讯 近日，某地召开全体干部大会。\n")).pages
    assert (page.page_label, page.section) == (label, section)


@pytest.mark.parametrize("staff, editor, proofreader", [
    ("本版编辑：张 扬 校对：李 青", "张扬", "李青"),  # no bars between the parts
    ("责编：王 磊 美编：赵 敏", "王磊", None),
    ("■编辑：刘振毅│校对：姬 祥", "刘振毅", "姬祥"),
])
def test_staff_lines(staff, editor, proofreader):
    (page,) = find_pages(split_lines(f"第05版:民生\n{staff}\n\n本报讯 近日，某地召开全体干部大会。\n")).pages
    assert (page.editor, page.proofreader) == (editor, proofreader)
