"""Credit phrases: role words, credit words (摄, 文/图, 采访整理), names, institutions (etl/parse/_credits.py)."""

from __future__ import annotations

import re

import pytest

from etl.parse._credits import credit_line, inline_byline, leading_byline_paren, leading_paren, trailing_credit

WS = re.compile(r"\s+")


@pytest.mark.parametrize(
    "text, credits",
    [
        ("记者 叶晖 通讯员 陈兴长 摄", [("叶晖", "photographer"), ("陈兴长", "photographer")]),  # 摄 covers both
        ("(小阳 文 新吴妇联 摄)", [("小阳", "credit")]),  # an institution is no person
        ("（新宣 摄）", []),
        ("见习记者 连漪 文/图", [("连漪", "trainee_reporter")]),
        ("邢哲 文/图", [("邢哲", "credit")]),  # not "邢哲文图"
        ("文/图 本报记者 邢哲", [("邢哲", "reporter")]),
        ("文：本报记者 唐小军 图：通讯员 吴 敏", [("唐小军", "reporter"), ("吴敏", "photographer")]),
        ("(本报记者)", []),
        ("(记者 孟国庆 采访整理)", [("孟国庆", "reporter")]),
        ("(通讯员孙春影 全媒体记者汤 珏)", [("孙春影", "correspondent"), ("汤珏", "reporter")]),
        ("□晚报记者 汪永森 实习生 张青华", [("汪永森", "reporter"), ("张青华", "trainee_reporter")]),
        ("潍坊日报社全媒体记者 王 涛", [("王涛", "reporter")]),
        ("中牟时报 李 萌", [("李萌", "reporter")]),
        ("(记者 孙艺丛 台可)", [("孙艺丛", "reporter"), ("台可", "reporter")]),
        ("■通讯员 张树锋 摄", [("张树锋", "photographer")]),
        ("本报记者 刘金元 摄影报道", [("刘金元", "photographer")]),
        ("本报记者 董旭明 拍友 包响亮 摄", [("董旭明", "photographer"), ("包响亮", "photographer")]),
        ("(龚文文 邬 盛)", [("龚文文", "credit"), ("邬盛", "credit")]),
        ("(虞 静 钱洪波)", [("虞静", "credit"), ("钱洪波", "credit")]),
        ("(小汤 摄)", [("小汤", "photographer")]),  # a nickname in the photographer's place
        ("读者 赵建华", [("赵建华", "author")]),
        ("徐宏星摄", [("徐宏星", "photographer")]),
        ("（文/张三 图/李四）", [("张三", "credit"), ("李四", "photographer")]),
        ("（人民网记者 丁七）", [("丁七", "reporter")]),
        ("（新华社发 张三 摄）", [("张三", "photographer")]),
        ("(本报记者 张三 李四 整理)", [("张三", "reporter"), ("李四", "reporter")]),
        ("文/李 娜 图/张 帆", [("李娜", "credit"), ("张帆", "photographer")]),  # not "李娜图"
        ("文/李娜图/张帆", [("李娜", "credit"), ("张帆", "photographer")]),
        ("（李明王芳）", [("李明", "credit"), ("王芳", "credit")]),  # "李 明 王 芳" printed spaced out
        ("（欧阳明辉）", [("欧阳明辉", "credit")]),  # four characters that are one name
        ("本报记者 赵 静 通讯员 王 磊 报道", [("赵静", "reporter"), ("王磊", "correspondent")]),
    ],
)
def test_credit_phrases(text, credits):
    phrase = credit_line(text)
    assert phrase is not None
    assert [(n.name, n.role) for n in phrase.names] == credits
    for n in phrase.names:
        assert WS.sub("", text[n.start:n.end]) == n.name


@pytest.mark.parametrize("text", ["(审议稿)", "(如图)", "(乡镇负责人名单由市委组织部提供)", "记者在这里看到", "(上图)",
                                  "责任人:老城区管委会主任 张海虎"])
def test_not_credits(text):
    phrase = credit_line(text)
    assert phrase is None or not phrase.names


@pytest.mark.parametrize(
    "text, at, names",
    [
        ("一批高质量工业项目落户明光。 (郭茂让 周佳佳)", "(", ["郭茂让", "周佳佳"]),
        ("但问题一直没有得到彻底解决。                       记者 武逸民 文/图", "记", ["武逸民"]),
        ("农业现代化之路越走越宽。 徐昱 朱立奇 李文芳 摄", "徐", ["徐昱", "朱立奇", "李文芳"]),
        ("会议还研究讨论了其他事项。\n（白靖杰 黄福兴）", "（", ["白靖杰", "黄福兴"]),
    ],
)
def test_trailing_credits(text, at, names):
    phrase = trailing_credit(text)
    assert phrase is not None and text[phrase.start] == at
    assert [n.name for n in phrase.names] == names


@pytest.mark.parametrize("text", ["这是一句话。", "会议由张三主持。", "…过好年。张三李四"])
def test_no_trailing_credit(text):
    assert trailing_credit(text) is None


def test_byline_parenthesis_after_a_dateline():
    body = "本报讯(周卫合)12月26日下午，喜讯传来。"
    phrase = leading_paren(body, 3)
    assert [(n.name, n.role) for n in phrase.names] == [("周卫合", "credit")]
    assert body[phrase.start:phrase.end] == "(周卫合)"


@pytest.mark.parametrize(
    "body, byline, credits",
    [
        ("本报讯 记者 周明轩 近日，记者从县农业农村局获悉。", "记者 周明轩", [("周明轩", "reporter")]),
        ("本报讯 通讯员 林晓 记者 高原 近日，管网改造完工。", "通讯员 林晓 记者 高原",
         [("林晓", "correspondent"), ("高原", "reporter")]),
        ("本报讯 记者 宋佳 实习生 吴迪11月18日，分馆建成。", "记者 宋佳 实习生 吴迪",
         [("宋佳", "reporter"), ("吴迪", "trainee_reporter")]),
        ("本报讯 记者周明轩近日，记者从县里获悉。", "记者周明轩", [("周明轩", "reporter")]),  # no spaces
        ("本报讯 记者吴桐自11月15日正式供暖以来。", "记者吴桐", [("吴桐", "reporter")]),  # 自…以来 opens the text
        ("本报讯 记者王自强近日到村里走访。", "记者王自强", [("王自强", "reporter")]),
        ("本报讯 记者从市征兵办获悉，征兵工作启动。", None, []),  # 记者 is the subject of the sentence
        ("本报讯 记者近日从县里获悉。", None, []),
    ],
)
def test_bylines_without_parentheses(body, byline, credits):
    phrase = inline_byline(body, 3)
    if byline is None:
        assert phrase is None or not phrase.names
        return
    assert body[phrase.start:phrase.end] == byline
    assert [(n.name, n.role) for n in phrase.names] == credits


@pytest.mark.parametrize("body, credits", [
    ("（本报记者 程雪）清晨七点，村小传出读书声。", [("程雪", "reporter")]),
    ("(记者 孙立 通讯员 王芳)日前，某村获奖。", [("孙立", "reporter"), ("王芳", "correspondent")]),
    ("（上接第一版）据市发展改革委监测。", None),
    ("（一）加强组织领导。", None),
    ("（张三）日前，某村获奖。", None),  # no role word: a note, not a byline
])
def test_byline_parenthesis_opening_a_body(body, credits):
    phrase = leading_byline_paren(body)
    if credits is None:
        assert phrase is None
    else:
        assert [(n.name, n.role) for n in phrase.names] == credits
