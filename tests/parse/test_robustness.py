"""Papers the parser has not seen: the published ones exported differently, and made-up pages in
the styles of other papers.

1. Each of the seven external dumps (tests/data/eval/external) is rewritten the way another export
   would print it (indentation stripped, blank lines removed or doubled, CRLF, full-width or
   half-width punctuation, page labels in other documented forms, page headers missing) and scored
   with the project's scorer (etl/scoring.py) against its key. Where the rewrite changes text the
   key pins (punctuation), the key is rewritten the same way; nothing else in a key changes.
2. Pages of made-up text (tests/parse/fixtures/unseen), each in the style of another paper, with
   the cuts expected: where each body starts and ends (whitespace removed), its kind, kicker,
   headline and credits.
"""

from __future__ import annotations

import copy
import json
import re
import unicodedata
from pathlib import Path

import pytest

from etl.evaluate import DEFAULT_EVAL_DIR
from etl.parse import parse_text
from etl.parse.export import to_eval_dict
from etl.scoring import BODY_TAIL, Counts, score_document
from tests.parse.conftest import FIXTURES

WS = re.compile(r"\s+")
KEYS = sorted((DEFAULT_EVAL_DIR / "external").glob("*.json"))
UNSEEN = FIXTURES / "unseen"

# ---------------------------------------------------------------- 1. other exports of the same pages

_HALF_TO_FULL = str.maketrans({"(": "（", ")": "）", ",": "，", ":": "：", ";": "；", "!": "！", "?": "？"})
_FULL_TO_HALF = str.maketrans({v: k for k, v in {"(": "（", ")": "）", ",": "，", ":": "：", ";": "；",
                                                  "!": "！", "?": "？"}.items()})
_LABEL = re.compile(r"^(第?)([A-Z]?\d{1,5})版[:：](.*)$")  # the page labels of these dumps ("第A07版:明光新闻")
_HEADER = re.compile(r"^\s*(?:第?[A-Z]?\d{1,5}版|\d{4}\s*年.{0,20}$|专栏:|第\d+版\()")  # label, date and block lines


def _lines(fn):
    return lambda text: "\n".join(fn(line) for line in text.split("\n"))


def _doubled_blanks(text: str) -> str:
    return "\n".join(x for line in text.split("\n") for x in ((line, "") if not line.strip() else (line,)))


def _relabel(form: str):
    return _lines(lambda line: _LABEL.sub(lambda m: form.format(label=m.group(2), section=m.group(3)), line))


def _strip_indent(text: str) -> str:
    return _lines(lambda line: line.lstrip(" \t\u3000"))(text)


def _no_headers(text: str) -> str:  # items follow each other with a blank line where the headers were
    return _lines(lambda line: "" if _HEADER.match(line) else line)(text)


# name -> (text rewrite, key rewrite or None, minimum items F1, headline, authors)
VARIANTS = {
    "indentation stripped": (_strip_indent, None),
    "indentation stripped, no blank lines": (lambda t: "\n".join(x for x in _strip_indent(t).split("\n") if x.strip()),
                                             None),
    "indentation stripped, blank lines doubled": (lambda t: _doubled_blanks(_strip_indent(t)), None),
    "blank lines doubled": (_doubled_blanks, None),
    "CRLF": (lambda t: t.replace("\n", "\r\n"), None),
    "full-width punctuation": (lambda t: t.translate(_HALF_TO_FULL), _HALF_TO_FULL),
    "half-width punctuation": (lambda t: t.translate(_FULL_TO_HALF), _FULL_TO_HALF),
    "full-width punctuation, indentation stripped": (lambda t: _strip_indent(t.translate(_HALF_TO_FULL)),
                                                     _HALF_TO_FULL),
    "labels 【第A07版：明光新闻】": (_relabel("【第{label}版：{section}】"), None),
    "labels 第A07版 明光新闻": (_relabel("第{label}版 {section}"), None),
    "labels 版面:A07版:明光新闻": (_relabel("版面:{label}版:{section}"), None),
    "labels 第1234期:第A07版 明光新闻": (_relabel("第1234期:第{label}版 {section}"), None),
    "labels 第A07版/明光新闻": (_relabel("第{label}版/{section}"), None),
    "labels 【A07版】明光新闻": (_relabel("【{label}版】{section}"), None),
    "page headers missing": (_no_headers, None),
    "page headers missing, indentation stripped": (lambda t: _strip_indent(_no_headers(t)), None),
    "page headers missing, indentation stripped, no blank lines": (
        lambda t: "\n".join(x for x in _strip_indent(_no_headers(t)).split("\n") if x.strip()), None),
}


def _fixed_width(width: int, columns: bool = False):
    """Lines wrapped every ``width`` characters (or display columns: a Chinese character takes two)."""
    def size(c: str) -> int:
        return 2 if columns and unicodedata.east_asian_width(c) in "WF" else 1

    def wrap(text: str) -> str:
        out = []
        for line in text.split("\n"):
            piece, used = "", 0
            for c in line:
                if used + size(c) > width:
                    out.append(piece)
                    piece, used = "", 0
                piece, used = piece + c, used + size(c)
            out.append(piece)
        return "\n".join(out)
    return wrap


VARIANTS |= {
    "wrapped every 40 characters": (_fixed_width(40), None),
    "wrapped every 30 characters, indentation stripped": (lambda t: _fixed_width(30)(_strip_indent(t)), None),
    "wrapped at 76 columns": (_fixed_width(76, columns=True), None),
}
PAGE_FIELDS_KEPT = {name for name in VARIANTS if not name.startswith("page headers missing")}


def _key(path: Path, table) -> dict:
    key = json.loads(path.read_text(encoding="utf-8"))
    if table is None:
        return key
    key = copy.deepcopy(key)
    for item in key["items"]:
        for field in ("body_start", "body_end", "headline", "kicker", "subheadline", "dateline"):
            if item.get(field):
                item[field] = item[field].translate(table)
    for page in key.get("pages", []):
        if page.get("section"):
            page["section"] = page["section"].translate(table)
    return key


def score_variant(name: str) -> dict:
    rewrite, table = VARIANTS[name]
    total = Counts()
    for path in KEYS:
        text = rewrite(path.with_suffix(".txt").read_text(encoding="utf-8"))
        total += score_document(_key(path, table), to_eval_dict(parse_text(text, path.name, entities=False)))
    return total.figures()


@pytest.mark.parametrize("name", VARIANTS)
def test_other_exports_of_the_external_pages(name):
    figures = score_variant(name)
    assert figures["items"]["gold"] >= 59
    assert figures["items"]["f1"] >= 0.97, figures["items"]
    assert figures["headline_exact"] >= 0.95, figures
    assert figures["authors"]["f1"] >= 0.97, figures["authors"]
    if name in PAGE_FIELDS_KEPT:
        assert figures["page_fields"] >= 0.95, figures


# ---------------------------------------------------------------- 2. made-up pages of other papers

R, C, T, P, A, CR = "reporter", "correspondent", "trainee_reporter", "photographer", "author", "credit"

# file, body start, body end (before a trailing credit), kind, kicker, headline, credits
ITEMS = [
    # e-paper, no indentation, blank lines: bylines after the dateline without parentheses
    ("inline_byline.txt", "本报讯记者周明轩近日，记者从县农业", "深入田间指导农户科学播种。", "article", None,
     "全县秋冬种工作进入扫尾阶段", {("周明轩", R)}),
    ("inline_byline.txt", "本报讯通讯员林晓记者高原近日，", "家住建设路的居民王桂兰说。", "article", None,
     "城区老旧供水管网改造完工", {("林晓", C), ("高原", R)}),
    ("inline_byline.txt", "本报讯记者宋佳实习生吴迪11月18日", "共配送图书8.6万册。", "article", None, None,
     {("宋佳", R), ("吴迪", T)}),
    # full-width indentation, no blank lines: dated datelines, a news agency, a byline opening the body
    ("dated.txt", "本报11月5日讯（记者韩松涛）记者今天", "方便农民就近售粮。", "article", None, "秋粮收购有序推进",
     {("韩松涛", R)}),
    ("dated.txt", "新华社北京11月4日电（记者陈思远）", "现代化改造。", "article", None, "全国冬季农田水利建设全面展开",
     {("陈思远", R)}),
    ("dated.txt", "（本报记者程雪）清晨七点", "校长刘永红说。", "article", None, "小山村里的“云上课堂”", {("程雪", R)}),
    # 文/X 图/Y; "本报记者 X 通讯员 Y 报道" above the body; "通讯员 X 记者 Y 报道" under it
    ("wentu.txt", "腊月里，走进城西", "越来越多了。", "article", None, "老手艺里的年味", {("李娜", CR), ("张帆", P)}),
    ("wentu.txt", "近日，市第三实验小学", "已有600多名学生报名参加。", "article", None, "非遗进校园传承有新人",
     {("赵静", R), ("王磊", C)}),
    ("wentu.txt", "11月以来，东城街道", "居民孙德厚说。", "article", None, "社区食堂开进老街坊", {("周洋", C), ("魏华", R)}),
    # unnumbered intertitles (小标题) set off by blank lines, in a signed feature and in a dated report
    ("intertitles.txt", "走进城南的青石街", "提供代办、维修等服务。", "article", None, "一条老街的新生", {("孙立", R)}),
    ("intertitles.txt", "本报讯今年以来，我市持续", "实现全覆盖。", "article", None, "城乡环境整治取得明显成效",
     {("李明", CR), ("王芳", CR)}),
    # a dated report, then two undated reports under their own titles (no 小标题: each opens with its day)
    ("mixed_page.txt", "本报讯近日，县城新建的3处", "新建改建口袋公园5处。", "article", None, "县城新增3处口袋公园", set()),
    ("mixed_page.txt", "日前，城关镇在辖区", "解决了居民充电难题。", "article", None, "城关镇老旧小区装上充电桩", set()),
    ("mixed_page.txt", "11月12日，河口乡", "运粮接力等比赛项目。", "article", None, "河口乡举办农民趣味运动会", set()),
    # a metro daily: a byline line saying what was done ("■记者 … 文/图"), a box under 【新闻链接】, an
    # interview printed as dialogue, a report under 相关新闻
    ("metro.txt", "连日来，我市持续高温", "汗水早已湿透了衣衫。", "article", None, "高温下的坚守",
     {("蒋涛", R), ("何丽", C)}),
    ("metro.txt", "高温天气如何防暑？", "及时补充水分。", "article", None, None, set()),
    ("metro.txt", "记者：您在村里驻了多久？", "卖上好价钱。", "article", None, "对话科技特派员", {("蒋涛", R)}),
    ("metro.txt", "本报讯8月15日，市人社局", "每人每月300元。", "article", None, "市人社局发布高温津贴标准", set()),
    # a national daily: byline lines without datelines, captions numbered 图①/图②, the line saying where the
    # article was printed ("《 人民日报 》（ … 第 04 版）"), a series label over a title
    ("peoples.txt", "眼下正是春耕备耕", "种子供应总体充足。", "article", None, "春耕备耕忙农资供应足", {("马晓峰", R)}),
    ("peoples.txt", "图①：农民在田间", "查看小麦长势。", "photo", None, None, {("马晓峰", P)}),
    ("peoples.txt", "图②：农技人员", "讲解施肥技术。", "photo", None, None, {("李晨", P)}),
    ("peoples.txt", "天刚蒙蒙亮", "村民增收。", "article", "乡村振兴一线见闻（上）", "山里来了“新农人”", {("胡婧", R)}),
    # a vox-pop
    ("voxpop.txt", "市民张建国：", "合唱等文体活动。", "article", None, "您对社区养老服务有何期待？", {("刘畅", R)}),
    # briefs marked ▲ ■ ◆ ▶, no column label
    ("briefs.txt", "▲11月15日，县人民医院", "缩短20分钟。", "brief", None, None, set()),
    ("briefs.txt", "▲近日，县城新增3条", "更加便利。", "brief", None, None, set()),
    ("briefs.txt", "■县文化馆公益培训班", "课程12门。", "brief", None, None, set()),
    ("briefs.txt", "■县消防救援大队", "5000余份。", "brief", None, None, set()),
    ("briefs.txt", "◆县农商银行", "400余人。", "brief", None, None, set()),
    ("briefs.txt", "◆县总工会", "1000余套。", "brief", None, None, set()),
    ("briefs.txt", "▶县气象台发布寒潮", "注意防寒保暖。", "brief", None, None, set()),
    ("briefs.txt", "▶县城区12个老旧小区", "惠及居民3100户。", "brief", None, None, set()),
    # numbered captions under a group title, then a page with only photos
    ("captions.txt", "①10月1日，在城郊乡", "抢收水稻。", "photo", None, None, {("马腾", P)}),
    ("captions.txt", "②10月1日，在高庄镇", "装车外运。", "photo", None, None, {("郑伟", P)}),
    ("captions.txt", "③9月30日，在柳林村", "刚收获的花生。", "photo", None, None, {("马腾", P)}),
    ("captions.txt", "11月20日清晨，市民", "锻炼身体。", "photo", None, "晨练", {("许诺", P)}),
    ("captions.txt", "11月19日，志愿者", "测量血压。", "photo", None, "义诊进社区", {("韩冰", P)}),
    ("captions.txt", "成群的白鹭", "几分灵动。", "photo", None, "冬日湿地", {("许诺", P)}),
    # an editor's note between the title and the byline
    ("editor_note.txt", "初冬时节，走进经开区", "其中8个项目已经投产。", "article", None, "产业园区里的“加速度”",
     {("何清", R)}),
    # very short files: two items, and two briefs under a column banner
    ("short.txt", "本报讯8日，市委常委会", "冬季安全生产工作。", "article", None, "市委常委会召开会议", set()),
    ("short.txt", "本报讯记者从市征兵办获悉", "日前启动。", "article", None, "全市冬季征兵工作启动", set()),
    ("short_briefs.txt", "县城新建停车场两处", "车位600个。", "brief", None, None, set()),
    ("short_briefs.txt", "县医院开通夜间门诊", "方便上班族就医。", "brief", None, None, set()),
    # page furniture: a staff line, a marked column label, an editor line, continuation notes
    ("furniture.txt", "本报讯记者吴桐自11月15日", "24小时内上门处置。", "article", None, "供暖季热线日均受理诉求300件",
     {("吴桐", R)}),
    ("furniture.txt", "（上接第一版）据市发展改革委", "哄抬价格等违法行为。", "article", None, "菜篮子价格总体平稳", set()),
    # PDF text of other papers: columns wrapped every 11-16 characters, headlines after their bodies
    ("wrapped_other.txt", "本报讯（记者邓晓川通讯员许文静）11月2日", "重特大森林火灾。", "article", None,
     "东坡区部署冬季森林防火工作", {("邓晓川", R), ("许文静", C), ("邓晓川", CR)}),
    ("wrapped_other.txt", "本报讯11月1日，青神县竹", "30多个国家和地区。", "article", None, "青神竹编产品走俏海外",
     {("许文静", CR), ("李强", CR)}),
    ("wrapped_other.txt", "11月1日，丹棱县双桥镇果农", "2.3万亩。", "photo", None, None, {("邓晓川", P)}),
    ("wrapped_other.txt", "●彭山区新建口袋公园6个", "好去处。", "brief", None, None, set()),
    ("wrapped_second.txt", "本报讯（记者钟岚）11月2日", "在线缴费。", "article", "缓解中心城区停车难",
     "首座立体停车楼启用", {("钟岚", R), ("钟岚", CR), ("周凯", CR)}),
    ("wrapped_second.txt", "本报讯记者从市教育局获悉", "大班额问题。", "article", None, "全市新增学位1.2万个", set()),
    ("wrapped_second.txt", "●市第一人民医院", "优先就诊服务。", "brief", None, None, set()),
    ("wrapped_second.txt", "●市区新增夜间公交", "次日凌晨1时。", "brief", None, None, set()),
    ("wrapped_second.txt", "城市的温度", "获得感就会多一些。", "commentary", None, "小事连着民心", {("许明", A)}),
    ("wrapped_third.txt", "本报讯记者孔祥云12月6日", "适时浇好越冬水。", "article", None, "农技专家下乡指导小麦冬前管理",
     {("孔祥云", R)}),
    ("wrapped_third.txt", "新华社北京12月6日电（记者田晓航）", "二级医院服务能力。", "article", None,
     "全国县医院服务能力稳步提升", {("田晓航", R)}),
    ("wrapped_third.txt", "12月5日，城关镇居民", "跳广场舞。", "photo", None, None, {("贺敏", P)}),
]
FILES = sorted({row[0] for row in ITEMS})


def _doc(name: str):
    return parse_text((UNSEEN / name).read_text(encoding="utf-8"), name, entities=False)


@pytest.mark.parametrize("name, start, end, kind, kicker, headline, credits", ITEMS,
                         ids=[f"{i[0]}:{i[1][:8]}" for i in ITEMS])
def test_items_of_unseen_papers(name, start, end, kind, kicker, headline, credits):
    found = [it for it in _doc(name).items if WS.sub("", it.body).startswith(start)]
    assert len(found) == 1, [WS.sub("", it.body)[:12] for it in _doc(name).items]
    (it,) = found
    body = WS.sub("", it.body)
    assert end in body
    tail = body[body.rfind(end) + len(end):]
    assert BODY_TAIL.match(tail), f"the body goes on after its end: {tail}"  # a credit may follow, nothing else
    assert (it.kind, it.kicker, WS.sub("", it.headline or "") or None) == (kind, kicker, headline)
    assert {(c.name, c.role) for c in it.credits} == credits


@pytest.mark.parametrize("name", FILES)
def test_nothing_else_is_cut_out(name):
    """Every item that is not kind other is one of the table's."""
    starts = [row[1] for row in ITEMS if row[0] == name]
    got = [WS.sub("", it.body) for it in _doc(name).items if it.kind != "other"]
    assert len(got) == len(starts), [b[:12] for b in got]


def test_furniture_is_no_article():
    doc = _doc("furniture.txt")
    (page,) = doc.pages
    assert (page.editor, page.proofreader) == ("张扬", "李青")
    others = [WS.sub("", it.body) for it in doc.items if it.kind == "other"]
    assert "■民生关注" in others and "责任编辑：王磊" in others


def test_editor_note_is_no_article():
    (note,) = [it for it in _doc("editor_note.txt").items if it.kind == "other"]
    assert note.body.startswith("编者按：")


@pytest.mark.parametrize("body_start", ["近日，记者从县农业农村局", "记者周明轩近日，记者从县农业"])
def test_dateline_then_byline_without_parentheses_scores_either_way(body_start):
    """A key may start such a body before the byline or after it; the evaluation output matches both."""
    key = {"items": [{"kind": "article", "body_start": body_start, "body_end": "深入田间指导农户科学播种。",
                      "headline": "全县秋冬种工作进入扫尾阶段", "authors": [{"name": "周明轩", "role": "记者"}]}]}
    figures = score_document(key, to_eval_dict(_doc("inline_byline.txt"))).figures()
    assert figures["items"]["matched"] == 1 and figures["authors"]["f1"] == 1.0


def test_intertitles_flush_left_over_indented_paragraphs():
    """An export that indents paragraphs and prints titles flush left prints 小标题 flush left too."""
    text = (UNSEEN / "intertitles.txt").read_text(encoding="utf-8")
    text = "\n".join("  " + line if len(line) > 30 and not line.startswith("第") else line for line in text.split("\n"))
    items = [it for it in parse_text(text, "intertitles.txt", entities=False).items if it.kind != "other"]
    assert [(it.headline, WS.sub("", it.body)[-8:]) for it in items] == [
        ("一条老街的新生", "办、维修等服务。"), ("城乡环境整治取得明显成效", "盖。（李明王芳）")]


@pytest.mark.parametrize("name", ["wrapped every 40 characters", "wrapped at 76 columns"])
def test_spans_of_wrapped_exports_are_their_bodies(name):
    """A joined paragraph keeps the offsets and line numbers of the file."""
    for path in KEYS:
        text = VARIANTS[name][0](path.with_suffix(".txt").read_text(encoding="utf-8"))
        for it in parse_text(text, path.name, entities=False).items:
            assert WS.sub("", it.body) == WS.sub("", text[it.start:it.end])
            assert text.count("\n", 0, it.start) + 1 == it.line_start
            assert text.count("\n", 0, it.end) + 1 == it.line_end
