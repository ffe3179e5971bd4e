"""Stated titles: the chain read back from a name, trimmed to the title itself."""

from __future__ import annotations

import pytest

from etl.parse.titles import trim_title

CASES = [
    # kept as printed
    ("市政协副主席、温县县委书记", "市政协副主席、温县县委书记"),
    ("高新区（示范区）党工委副书记、管委会主任", "高新区（示范区）党工委副书记、管委会主任"),
    ("高新区(示范区)管委会副主任", "高新区(示范区)管委会副主任"),
    ("虎石新材料（宜兴）有限公司董事长", "虎石新材料（宜兴）有限公司董事长"),
    ("市委组织部四级调研员", "市委组织部四级调研员"),
    ("节目主持人", "节目主持人"),
    ("副县长", "副县长"),
    # a byline and a date before the chain, half-width punctuation
    ("(记者付凯明)6月26日下午,市政协副主席、高新区(示范区)党工委书记", "市政协副主席、高新区(示范区)党工委书记"),
    ("（记者赵根志）6月23日上午，高新区（示范区）党工委副书记、管委会主任", "高新区（示范区）党工委副书记、管委会主任"),
    ("1月7日下午市委副书记、市长", "市委副书记、市长"),
    # the verb or preposition of the sentence
    ("会议传达学习了省委书记", "省委书记"),
    ("全县上下要认真学习市委书记", "市委书记"),
    ("会见到温县考察的海亮乡村教育振兴集团董事长", "海亮乡村教育振兴集团董事长"),
    ("以视频形式收听收看上海市外商投资协会会长、商务部外资司原副司长", "上海市外商投资协会会长、商务部外资司原副司长"),
    ("与中建七局副总经理", "中建七局副总经理"),
    ("邀请温县人民法院副院长、河南省先进工作者", "温县人民法院副院长、河南省先进工作者"),
    ("邀请温县人民法院副院长", "温县人民法院副院长"),
    ("与建行焦作分行行长", "建行焦作分行行长"),
    # nothing left
    ("会议强调", None),
    ("", None),
    (None, None),
    ("了", None),
]


@pytest.mark.parametrize("chain,expected", CASES)
def test_trim_title(chain, expected):
    assert trim_title(chain) == expected


# ---- posts (issue 15) ----

from etl.parse.titles import name_key, split_posts, without_brackets  # noqa: E402


@pytest.mark.parametrize("title, posts", [
    ("市政协副主席、高新区(示范区)党工委书记", [("市政协副主席", "市政协", "副主席", "市"),
                                             ("高新区（示范区）党工委书记", "高新区（示范区）党工委", "书记", None)]),
    ("县委副书记、县长", [("县委副书记", "县委", "副书记", "县"), ("县长", None, "县长", "县")]),
    ("市委常委、宣传部长", [("市委常委", "市委", "常委", "市"), ("市委宣传部长", "市委", "宣传部长", "市")]),
    ("该市市委副书记", [("该市市委副书记", "该市市委", "副书记", "该市")]),
    ("赵堡镇郑老庄村监测户", []),       # what someone is, not an office
    ("创始人兼董事长", []),             # a title word with no organization
    ("浦东新区投资促进服务办公室原主任", []),  # a former post
    ("市委组织部四级调研员", []),       # 四级 is no organization
])
def test_split_posts(title, posts):
    assert [(p.printed, p.organization, p.role, p.level) for p in split_posts(title)] == posts


def test_name_key_joins_bracket_widths_and_orders():
    forms = ["高新区(示范区)党工委", "高新区（示范区）党工委", "示范区（高新区）党工委", "示范区 (高新区) 党工委"]
    assert len({name_key(f) for f in forms}) == 1
    assert name_key("高新区党工委") != name_key("示范区党工委")
    assert without_brackets("高新区(示范区)党工委书记") == "高新区党工委书记"
