"""Genre profiles: the default profile as data, a paper's profile laid over it, and how one is chosen."""

from __future__ import annotations

import pytest

from etl.errors import ProfileError
from etl.parse import parse_text
from etl.parse.profile import DEFAULT_FILE, default_profile, load_profile, select_profile
from tests.parse.conftest import content

PAPER = """
[profile]
name = "测试晚报"
newspapers = ["测试晚报"]
mastheads = ["CESHI EVENING NEWS"]

[datelines]
patterns = ['晚报{NUM}{1,2}月{NUM}{1,2}日快讯']

[items]
column_labels = ["街谈巷议"]
furniture = ['值班主任[：:].*']
editor_notes = ["开栏的话"]
"""


@pytest.fixture
def paper(tmp_path, monkeypatch):
    path = tmp_path / "ceshi.toml"
    path.write_text(PAPER, encoding="utf-8")
    monkeypatch.setenv("NEWSETL_PROFILE_DIR", str(tmp_path))
    monkeypatch.delenv("NEWSETL_PROFILE", raising=False)
    monkeypatch.delenv("NEWSETL_NEWSPAPER", raising=False)
    return path


def test_the_default_profile_is_data_shipped_with_the_package():
    p = default_profile()
    assert DEFAULT_FILE.name == "default.toml" and p.name == "default"
    assert p.dateline.match("本报杭州3月24日讯").group(0) == "本报杭州3月24日讯"
    assert p.role_of["通讯员"] == "correspondent"
    assert default_profile() is p  # read once


@pytest.mark.parametrize("text, dateline", [
    ("本报讯", "本报讯"), ("本报济宁讯", "本报济宁讯"), ("本报杭州3月24日讯", "本报杭州3月24日讯"),
    ("本报成都11月3日电记者刘玉琴报道:", "本报成都11月3日电"), ("【新华社重庆十四日电】拉萨讯:", "【新华社重庆十四日电】拉萨讯"),
    ("新华社北京1月5日电", "新华社北京1月5日电"), ("据新华社北京1月5日电", "据新华社北京1月5日电"),
    ("郑州日报讯", "郑州日报讯"), ("本报记者昨日电话采访", None), ("【民生速递】", None),
])
def test_dateline_forms(text, dateline):
    m = default_profile().dateline.match(text)
    assert (m.group(0) if m else None) == dateline


def test_a_paper_profile_extends_the_default(paper):
    p = load_profile(paper)
    assert p.name == "测试晚报" and p.files[0].endswith("default.toml")
    assert p.dateline.match("晚报3月5日快讯")  # the paper's own form
    assert p.dateline.match("本报讯")  # the default's still there
    assert p.is_column_label("街谈巷议") and p.is_column_label("图片新闻")


def test_a_profile_is_chosen_by_newspaper_then_masthead(paper):
    assert select_profile("", newspaper="测试晚报").name == "测试晚报"
    assert select_profile("CESHI EVENING NEWS\nA01│要闻2024年1月2日\n").name == "测试晚报"
    assert select_profile("本报讯 近日，某某。").name == "default"
    assert select_profile("", profile=str(paper)).name == "测试晚报"


def test_a_paper_profile_changes_the_cut(paper):
    text = "第A01版:要闻\n\n晚报3月5日快讯 3月4日，某区举行活动，群众踊跃参加。\n活动持续一天。\n\n晚报3月5日快讯 某街道开展义诊，受益群众200余人。\n"
    assert len(content(parse_text(text, entities=False))) == 1  # the default does not know this dateline
    doc = parse_text(text, entities=False, newspaper="测试晚报")
    assert doc.profile == "测试晚报" and len(content(doc)) == 2


def test_a_paper_profile_names_its_page_furniture_and_notes(paper):
    text = ("第A01版:要闻\n\n开栏的话：即日起，本报开设“街巷故事”栏目，讲述身边人身边事。\n\n小巷里的修鞋摊\n\n"
            "清晨六点，老张的修鞋摊就在巷口支了起来，一干就是三十年。\n\n值班主任：王 力\n\n巷口早点铺\n\n"
            "天还没亮，巷口早点铺的蒸笼已经冒起了热气，街坊们排起了长队。\n")
    default = [(it.headline, it.body[:4]) for it in content(parse_text(text, entities=False))]
    assert default != [("小巷里的修鞋摊", "清晨六点"), ("巷口早点铺", "天还没亮")]
    doc = parse_text(text, entities=False, newspaper="测试晚报")
    assert [(it.headline, it.body[:4]) for it in content(doc)] == [("小巷里的修鞋摊", "清晨六点"), ("巷口早点铺", "天还没亮")]


@pytest.mark.parametrize("body, reason", [
    ("[pages]\nlabels = 3\n", "wrong type"),
    ("[datelines]\npatterns = ['本报(讯']\n", "bad pattern"),
    ("[roles]\nwords = [['记者', 'boss']]\n", "unknown role"),
    ("[items]\ncolor = 'red'\n", "unknown key"),
    ("[colours]\n", "unknown table"),
    ("[profile\n", "not a readable TOML"),
    ("[datelines]\npatterns = ['{NOPE}讯']\n", "unknown macro"),
])
def test_bad_profiles_are_one_clear_error(tmp_path, body, reason):
    path = tmp_path / "bad.toml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(ProfileError) as info:
        load_profile(path)
    assert reason in str(info.value) and "bad.toml" in str(info.value)


def test_the_seed_paper_has_its_profile_picked_by_its_masthead(monkeypatch):
    from tests.parse.conftest import FIXTURES

    monkeypatch.delenv("NEWSETL_PROFILE", raising=False)
    monkeypatch.delenv("NEWSETL_NEWSPAPER", raising=False)
    seeds = FIXTURES.parents[2] / "seeds"
    printed = (seeds / "001_d414a8ee10d38a41.txt").read_text(encoding="utf-8")
    assert select_profile(printed).name == "焦作日报"
    unprinted = (seeds / "003_223f8a6ac594ec44.txt").read_text(encoding="utf-8")
    assert select_profile(unprinted).name == "default"
    assert select_profile(unprinted, newspaper="焦作日报").name == "焦作日报"
