"""Stage bylines: datelines, bylines, trailing credits, photo credits, signatures."""

from __future__ import annotations

import pytest

from etl.parse import parse_text
from tests.parse.conftest import content


def _credits(text):
    doc = parse_text(text)
    (it,) = content(doc)
    return it, [(c.name, c.role) for c in it.credits]


@pytest.mark.parametrize(
    "text, dateline, byline, credits",
    [
        ("本报讯（记者郭树勋 通讯员郭探） 近日，示范区获奖。\n", "本报讯", "（记者郭树勋 通讯员郭探）",
         [("郭树勋", "reporter"), ("郭探", "correspondent")]),
        ("本报讯 （记 者付凯明\n通讯员孙璐）近日，某村获奖。\n", "本报讯", "（记者付凯明通讯员孙璐）",
         [("付凯明", "reporter"), ("孙璐", "correspondent")]),
        ("本报讯（记者郭树勋、赵根志） 3月4日上午，会议召开。\n", "本报讯", "（记者郭树勋、赵根志）",
         [("郭树勋", "reporter"), ("赵根志", "reporter")]),
        ("本报讯(记者付凯明 见习记者马雅宁)6月21日,活动举行。\n", "本报讯", "(记者付凯明 见习记者马雅宁)",
         [("付凯明", "reporter"), ("马雅宁", "trainee_reporter")]),
        ("本报讯 1月7日下午，会议召开。\n（白靖杰 黄福兴）\n", "本报讯", None,
         [("白靖杰", "credit"), ("黄福兴", "credit")]),
        ("本报讯 1月7日下午，会议还研究部署了其他事\n项。 （范晴甜）\n", "本报讯", None, [("范晴甜", "credit")]),
        ("●近日，某小学开展活动。（王志娟）\n", None, None, [("王志娟", "credit")]),
        ("本报讯 记者 周明轩 近日，记者从县农业农村局获悉，小麦播种面积达52万亩。\n", "本报讯", "记者 周明轩",
         [("周明轩", "reporter")]),
        ("本报11月5日讯（记者 韩松涛）记者今天从市粮食局获悉，秋粮收购有序推进。\n", "本报11月5日讯",
         "（记者 韩松涛）", [("韩松涛", "reporter")]),
        ("（本报记者 程雪）清晨七点，山脚下的石门村小学已经传出琅琅读书声。\n", None, "（本报记者 程雪）",
         [("程雪", "reporter")]),
    ],
)
def test_bylines_and_trailing_credits(text, dateline, byline, credits):
    it, got = _credits(text)
    assert it.dateline == dateline
    assert it.byline == byline
    assert got == credits
    for c in it.credits:
        assert it.body[c.start:c.end] == c.name


@pytest.mark.parametrize(
    "caption, credits",
    [
        ("1月4日，温县农民在建设温室大棚。 徐宏星 摄\n", [("徐宏星", "photographer")]),
        ("3月5日上午，志愿者在涂色。 朱 瑜 摄\n", [("朱瑜", "photographer")]),
        ("⬅3 月 6 日，工人在安装装\n载机部件。\n\n本报记者 刘金\n元 摄\n", [("刘金元", "photographer")]),
        ("3月10日上午，工人在操作机器。本报记者 付凯明 见习记者 马雅宁 摄\n",
         [("付凯明", "photographer"), ("马雅宁", "photographer")]),
    ],
)
def test_photo_credits(caption, credits):
    it, got = _credits(caption)
    assert it.kind == "photo"
    assert got == credits


def test_commentary_signature(fixture_text):
    doc = parse_text(fixture_text("after_layout.txt"))
    (it,) = [i for i in doc.items if i.kind == "commentary"]
    assert [(c.name, c.role) for c in it.credits] == [("高亢", "author")]
    assert it.signature == "高亢"
    (credit,) = it.credits
    assert it.byline == "□高亢" and credit.field == "byline"
    assert it.byline[credit.start:credit.end] == "高亢"


def test_xinhua_credit(fixture_text):
    doc = parse_text(fixture_text("xinhua.txt"))
    it = content(doc)[0]
    assert [(c.name, c.role) for c in it.credits] == [
        ("丁小溪", "reporter"), ("范思翔", "reporter"), ("王明玉", "reporter"), ("冯家顺", "reporter")]
