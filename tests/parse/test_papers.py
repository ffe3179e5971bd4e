"""Pages of other papers (made-up text in the styles of Chinese e-paper exports and PDF dumps).

Each fixture in fixtures/papers imitates one paper's conventions; the rows say
which items the parser must cut out of it: where each body starts and ends
(whitespace removed), its kind, kicker and headline, and who is credited.
"""

from __future__ import annotations

import re

import pytest

from etl.parse import parse_text
from etl.scoring import BODY_TAIL
from tests.parse.conftest import FIXTURES

WS = re.compile(r"\s+")
PAPERS = FIXTURES / "papers"

# file, body start, body end (before a trailing credit), kind, kicker, headline, credits
ITEMS = [
    ("zhengzhou.txt", "本报讯5月11日", "保护种粮农民利益。", "article", None, "中牟县启动夏粮收购工作",
     {("李明远", "reporter"), ("王晓丽", "reporter"), ("张强", "correspondent"), ("陈冬", "correspondent")}),
    ("zhengzhou.txt", "本报讯（记者孙艺丛台可）", "进入室内装修阶段。", "article", None, "郑东新区新增三所公办幼儿园",
     {("孙艺丛", "reporter"), ("台可", "reporter")}),
    ("weifang.txt", "本报寿光讯", "新技术新模式100余项。", "article", None, "寿光蔬菜博览会开幕在即",
     {("刘建国", "reporter"), ("王芳", "correspondent")}),
    ("weifang.txt", "△昌乐县", "停车难问题。", "brief", None, None, set()),
    ("weifang.txt", "△青州市", "3.2万人次。", "brief", None, None, set()),
    ("weifang.txt", "△临朐县", "“最后一公里”。", "brief", None, None, set()),
    ("jining.txt", "10月14日，游客", "层林尽染。", "photo", None, "运河沿岸秋色浓", {("赵文博", "photographer")}),
    ("jining.txt", "本报济宁讯（记者周宁", "详细了解岗位信息。", "article", None, None,
     {("周宁", "reporter"), ("孔凡磊", "correspondent")}),
    ("jining.txt", "这是15日拍摄", "成熟的秋月梨。", "photo", None, None, {("马振东", "photographer")}),
    ("wanbao.txt", "近一周来", "比上月低了不少。", "article", None, "菜价回落市民餐桌更丰盛",
     {("汪海洋", "reporter"), ("林小雨", "trainee_reporter")}),
    ("wanbao.txt", "编辑同志", "尽快维修。", "article", "读者来信", "小区路灯何时能亮起来", {("赵建华", "author")}),
    ("heze.txt", "牡丹区新建", "日间照料服务。", "brief", None, None, set()),
    ("heze.txt", "定陶区开展", "火灾隐患120余处。", "brief", None, None, set()),
    ("heze.txt", "东明县举办", "特色农产品200余种。", "brief", None, None, set()),
    ("heze.txt", "①11月30日，曹县", "做课间操。", "photo", None, None, {("邢哲", "photographer")}),
    ("heze.txt", "②11月30日，单县", "下象棋。", "photo", None, None, {("马骏", "photographer")}),
    ("heze.txt", "11月29日，巨野县", "赏景拍照。", "photo", None, "雪后初晴", {("邢哲", "photographer")}),
    ("heze.txt", "11月30日，记者从", "好于常年。", "article", None, None, {("邢哲", "reporter")}),
    ("xinhua1988.txt", "新华社北京12月14日电", "农民的积极性。", "article", None, "我国今冬农田水利建设进展顺利", set()),
    ("xinhua1988.txt", "市政府召开", "安全生产工作。", "brief", None, None, set()),
    ("xinhua1988.txt", "市图书馆", "供读者借阅。", "brief", None, None, set()),
    ("wrapped.txt", "本报济源讯（记者李伟", "夏粮丰产丰收。", "article", None, "春耕生产工作会议召开",
     {("李伟", "reporter"), ("王红梅", "correspondent")}),
    ("wrapped.txt", "本报孟州讯", "小麦春季管理。", "article", None, "孟州农技人员下田指导春管", {("范红霞", "credit")}),
    ("gapless.txt", "本报讯（记者郑晓东", "积极性较高。", "article", None, "全市夏粮收购进度过半",
     {("郑晓东", "reporter"), ("韩雪", "correspondent")}),
    ("gapless.txt", "本报讯6月16日", "查询审批进度。", "article", None, "老旧小区加装电梯提速", set()),
    ("gapless.txt", "进入暑期", "切勿盲目下水施救。", "article", None, "暑期青少年游泳安全提示", {("冯静", "reporter")}),
    ("colon.txt", "走进石桥镇", "笑着说。", "article", None, "乡村振兴看新变",
     {("唐小军", "reporter"), ("吴敏", "photographer")}),
    ("colon.txt", "市民周先生", "再加密几个班次。", "article", None, "街头回声", {("黄敏", "reporter")}),
    # numbered intertitles stay inside their article
    ("mixed.txt", "初夏时节", "突破3亿美元。", "article", None, "高质量发展看县域",
     {("邱晨", "reporter"), ("许楠", "correspondent")}),
    ("mixed.txt", "本报讯记者从市文化", "占比超过四成。", "article", None, "五一假期游客接待量创新高！", set()),
    ("mixed.txt", "5月8日，游客", "鸢尾花。", "photo", None, None, {("王鹏", "photographer")}),
]
COUNTS = {"zhengzhou.txt": 2, "weifang.txt": 4, "jining.txt": 3, "wanbao.txt": 2, "heze.txt": 7,
          "xinhua1988.txt": 3, "wrapped.txt": 2, "gapless.txt": 3, "colon.txt": 2, "mixed.txt": 3}


def _doc(name: str):
    return parse_text((PAPERS / name).read_text(encoding="utf-8"), name, entities=False)


@pytest.mark.parametrize("name, start, end, kind, kicker, headline, credits", ITEMS,
                         ids=[f"{i[0]}:{i[1]}" for i in ITEMS])
def test_items_of_other_papers(name, start, end, kind, kicker, headline, credits):
    doc = _doc(name)
    found = [it for it in doc.items if WS.sub("", it.body).startswith(start)]
    assert len(found) == 1, [WS.sub("", it.body)[:12] for it in doc.items]
    (it,) = found
    body = WS.sub("", it.body)
    assert end in body
    tail = body[body.rfind(end) + len(end):]
    assert BODY_TAIL.match(tail), f"the body goes on after its end: {tail}"  # a credit may follow, nothing else
    assert it.kind == kind
    assert WS.sub("", it.headline or "") == (headline or "")
    assert it.kicker == kicker
    assert {(c.name, c.role) for c in it.credits} == credits


@pytest.mark.parametrize("name, count", COUNTS.items())
def test_no_other_content_items(name, count):
    assert len([it for it in _doc(name).items if it.kind != "other"]) == count


def test_group_title_over_photos_is_a_label():
    doc = _doc("heze.txt")
    assert "冬日暖阳" in [it.body for it in doc.items if it.kind == "other"]


@pytest.mark.parametrize("name, label, section, date", [
    ("zhengzhou.txt", "A06", "郑州时政", "2021-05-12"),
    ("weifang.txt", "06", "潍坊新闻·民生", None),
    ("jining.txt", "A3", "济宁新闻", "2019-10-15"),
    ("heze.txt", "A1", None, "2015-12-01"),
    ("xinhua1988.txt", "01", "头版", "1988-12-15"),
    ("gapless.txt", "03", "要闻", "2022-06-18"),
    ("colon.txt", "A01", "要闻", None),
    ("mixed.txt", "A02", "要闻", "2023-05-09"),
])
def test_page_headers_of_other_papers(name, label, section, date):
    (page,) = _doc(name).pages
    assert (page.page_label, page.section, page.date.isoformat() if page.date else None) == (label, section, date)


@pytest.mark.parametrize(
    "titles, kicker, headline, sub",
    [
        (["市民热线：", "城区新增停车位三千个"], "市民热线：", "城区新增停车位三千个", None),
        (["某某镇", "稻田里开出“致富花”"], "某某镇", "稻田里开出“致富花”", None),  # a place above the title
        (["添砖加瓦，共建家园", "齐心协力，共迎新春"], None, "添砖加瓦，共建家园齐心协力，共迎新春", None),  # a couplet
        (["全市夏粮收购进度过半", "已收购小麦12.6万吨"], None, "全市夏粮收购进度过半", "已收购小麦12.6万吨"),
        (["奋力谱写高质量发展新篇章——", "我市重点项目建设综述"], "奋力谱写高质量发展新篇章——", "我市重点项目建设综述", None),
        (["我市召开安全生产工作会议", "——部署岁末年初安全生产工作"], None, "我市召开安全生产工作会议",
         "——部署岁末年初安全生产工作"),
        (["市长在会上强调", "确保群众温暖过冬"], "市长在会上强调", "确保群众温暖过冬", None),
        (["某县：“小院经济”", "激活乡村振兴新动能"], None, "某县：“小院经济”激活乡村振兴新动能", None),
    ],
)
def test_title_blocks_before_a_body(titles, kicker, headline, sub):
    text = ("第A01版:要闻\n\n" + "\n".join(titles) + "\n本报讯 近日，某地召开全体干部大会，总结上半年工作，部署当前"
            "各项重点工作，要求各单位认真落实。\n会议强调，要坚持问题导向，细化工作举措，确保各项任务按期完成，取得实效。\n")
    (it,) = [i for i in parse_text(text, entities=False).items if i.kind != "other"]
    assert (it.kicker, it.headline, it.subheadline) == (kicker, headline, sub)
