"""Stage segment: items, headlines, kickers, subheadlines, kinds."""

from __future__ import annotations

import pytest

from etl.parse import parse_text
from tests.parse.conftest import content


def _by_start(doc, start):
    for it in doc.items:
        if it.body.replace(" ", "").replace("\n", "").lstrip("●⬅➡").startswith(start.lstrip("●⬅➡")):
            return it
    raise AssertionError(f"no item starts with {start!r}: {[it.body[:15] for it in doc.items]}")


@pytest.mark.parametrize(
    "start, kind, headline, kicker, sub, end",
    [
        # headline printed after the body, after a trailing credit
        ("本报讯1月7日下午，市政协", "article", "温县县委常委会（扩大）会议召开", None, None, "（白靖杰 黄福兴）"),
        # title over two lines + subheadline on the third
        ("本报讯（记者郭树勋", "article", "示范区新增高新技术企业21家", None, "总数位居全市第二", "通过资料审查。"),
        # kicker line above the title, blank line mid-sentence in the body
        ("本报讯连日来，温县温泉街道组织", "article", "把关爱送到困难群众家里", "温县温泉街道", None, "（张晶晶）"),
        # vertical title in two columns
        ("本报讯1月7日下午，温县县委", "article", "温县县委召开会议", None, None, "强化军地协作。"),
        ("●日前，孟州市河雍中心校", "brief", None, None, None, "（范红霞 宋海燕）"),
        ("1月4日，温县张羌街道", "photo", None, None, None, "徐宏星摄"),
        # a commentary: body, headline, □ signature
        ("在刚刚闭幕的市“两会”上", "commentary", "吹响开局决战的号角", None, None, "提及示范区。"),
    ],
)
def test_after_layout(fixture_text, start, kind, headline, kicker, sub, end):
    doc = parse_text(fixture_text("after_layout.txt"))
    it = _by_start(doc, start)
    assert it.kind == kind
    assert it.headline == headline
    assert it.kicker == kicker
    assert it.subheadline == sub
    assert it.body.endswith(end)


def test_after_layout_other_items(fixture_text):
    doc = parse_text(fixture_text("after_layout.txt"))
    others = [it.body for it in doc.items if it.kind == "other"]
    assert "百字新闻" in others and "工工业业" in others and "区" in others
    assert len(content(doc)) == 7
    assert [it.seq for it in doc.items] == list(range(1, len(doc.items) + 1))
    assert all(a.line_start <= b.line_start for a, b in zip(doc.items, doc.items[1:]))


def test_body_is_unwrapped_with_paragraphs(fixture_text):
    doc = parse_text(fixture_text("after_layout.txt"))
    it = _by_start(doc, "本报讯1月7日下午，市政")
    assert it.body.startswith("本报讯 1月7日下午，市政协副主席、温县县委书记杨磊主持召开县委常委会。") or \
        it.body.startswith("本报讯1月7日下午，市政协副主席、温县县委书记杨磊主持召开县委常委会。")
    assert "\n会议还研究讨论了其他事项。" in it.body
    text = fixture_text("after_layout.txt")
    assert text[it.start:it.start + 3] == "本报讯" and it.line_start == 7


@pytest.mark.parametrize(
    "start, kind, headline",
    [
        ("本报讯（记者郭树勋）3月11日", "article", "高新区党政联席会议召开"),
        ("3月10日上午，明仁药业", "photo", None),
        ("本报讯（记者付凯明）3月9日", "article", "高新区城改项目推进会议召开"),
        ("“当官不为民作主", "commentary", "当好百姓的勤务员"),
        ("夏日的夜空下", "photo", "城市新地标 打卡网红桥"),
    ],
)
def test_before_layout(fixture_text, start, kind, headline):
    doc = parse_text(fixture_text("before_layout.txt"))
    it = _by_start(doc, start)
    assert (it.kind, it.headline) == (kind, headline)


def test_before_layout_joins_column_breaks(fixture_text):
    doc = parse_text(fixture_text("before_layout.txt"))
    it = _by_start(doc, "本报讯（记者郭树勋）3月11日")
    assert "成果转化、人才引育" in it.body
    assert it.body.endswith("会议还研究了其他事项。")
    assert [b.text for b in doc.banners] == ["高新区强音", "高新区视窗"]


def test_xinhua_reprint(fixture_text):
    doc = parse_text(fixture_text("xinhua.txt"))
    it = _by_start(doc, "新华社记者")
    assert it.headline == "坚持党的文化领导权事关党和国家前途命运"
    assert it.subheadline == "——深入学习贯彻习近平文化思想系列述评之一"
    assert it.body.endswith("（新华社记者丁小溪、范思翔、王明玉、冯家顺）")
    assert len(content(doc)) == 2
