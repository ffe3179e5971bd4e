"""Item warnings: where the parser doubts an item, an archivist is told which lines to check."""

from __future__ import annotations

import pytest

from etl.parse import parse_text
from etl.parse.records import WARNING_MESSAGES
from tests.parse.conftest import content

LONG = "本报讯 近日，某县召开会议，部署当前工作。" + "会议要求，各单位要认真落实各项工作部署，确保取得实效。" * 130


@pytest.mark.parametrize(
    "text, code",
    [
        # two articles run together on one line
        ("第A01版:要闻\n\n某县召开会议\n本报讯 近日，某县召开全县工作会议，部署当前重点工作。本报讯 近日，某镇开展义诊"
         "活动，受益群众200余人。\n", "second_dateline"),
        ("A05│县区新闻2022年3月8日 星期二\n\n本报讯 3月7日，某县召开\n会议，部署工作。本报济源讯 3月\n6日，某镇"
         "组织农技人员下田。\n（李明）\n\n某县召开会议\n", "second_dateline"),
        ("第A01版:要闻\n\n本报讯 近日，某县召开全县工作会议，部署当前重点工作，要求各单位认真落实。\n", "no_headline"),
        (f"第A01版:要闻\n\n某县召开会议\n{LONG}\n", "long_item"),
        ("第A01版:要闻\n\n某县召开会议\n本报讯 近日，某县召开全县工作会议，部署当前重点工作。（王敏）\n"
         "会议要求，各单位要认真落实，确保取得实效，切实把各项工作做细做实。\n会后，与会人员到现场观摩。\n", "no_headline"),
        # (a credit closes an item: what follows it is another, untitled one, which is what gets flagged)
    ],
)
def test_doubtful_items_carry_warnings(text, code):
    doc = parse_text(text, entities=False)
    codes = {w.code for it in content(doc) for w in it.warnings}
    assert codes <= set(WARNING_MESSAGES)
    assert code in codes


def test_a_title_like_line_inside_a_body():
    text = ("第A02版:综合\n\n某区开展活动\n  某区日前开展主题活动，组织志愿者清理小区环境，群众纷纷点赞。\n\n"
            "  责任人 街道主任 张某某\n\n  （名单由区委组织部提供）\n\n  记者 王敏 文/图\n")
    (it,) = content(parse_text(text, entities=False))
    (w,) = [w for w in it.warnings if w.code == "title_in_body"]
    assert w.line == 6 and "第6行" in w.message and "line 6" in w.message
    assert it.body.rstrip().endswith("记者 王敏 文/图")


def test_clean_items_carry_none():
    text = "第A01版:要闻\n\n某县召开会议\n本报讯（记者 王敏）近日，某县召开全县工作会议，部署当前重点工作。\n"
    (it,) = content(parse_text(text, entities=False))
    assert it.warnings == ()
