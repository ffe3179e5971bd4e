"""The stated title of a person: trim what was read back from a name to the title chain itself.

Reading back from a name to the previous stop gives a chain such as
"市政协副主席、温县县委书记", but in running text it can start with what is not
a title at all: a byline ("(记者付凯明)6月26日下午,市政协副主席…", half-width
punctuation that the chain reader does not stop at), a date, or the verb or
preposition of the sentence ("会议传达学习了省委书记", "与中建七局副总经理",
"会见到温县考察的海亮乡村教育振兴集团董事长"). ``trim_title`` cuts those off
so ``person_title`` groups an official's posts, not the sentences around them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from etl.parse.lexicon import CJK, ORG_SUFFIXES, TITLE_WORDS

_TITLE_END = re.compile("(?:" + "|".join(sorted(set(TITLE_WORDS), key=len, reverse=True)) + ")$")

# Everything up to the last of these is not part of the title.
_CUTS = (
    re.compile(r"[，,。；;：:！？!?\s“”\"《》]"),  # clause punctuation, full- or half-width
    re.compile(r"[（(][^（()）]*(?:记者|通讯员|摄|电)[^（()）]*[）)]"),  # a byline or dateline parenthesis
    re.compile(r"\d{1,4}\s*[年月日号](?:上午|下午|晚上|晚|早上|凌晨|中午|上旬|中旬|下旬)?"),  # a date
    re.compile(rf"[{CJK}]*?[了的到着过](?=[{CJK}]{{3,}})"),  # "传达学习了", "考察的": a verb phrase ends
    # verbs that introduce the titled person in reports of meetings and visits
    re.compile(r"(?:学习|收看|收听|传达|会见|看望|慰问|听取|邀请|陪同|带领|率领|主持(?!人)|出席|参加|要求|强调|"
               r"指出|宣读|介绍|欢迎|接待|会同|会晤|拜访|调研(?!员)|采访|表示)"),
)
# A preposition or conjunction left at the start: "与中建七局副总经理", "在赵堡镇…".
_LEADING = re.compile(r"^(?:与|和|同|及|向|由|对|为|在|据|经|请|并|还有|以及|其中|包括)+")
_UNBALANCED_CLOSE = re.compile(r"^[^（(]*[）)]")


def trim_title(chain: str | None) -> str | None:
    """The title chain at the end of ``chain`` (text read back from a name), or None if there is none."""
    if not chain:
        return None
    title = chain
    for cut in _CUTS:
        last = None
        for last in cut.finditer(title):
            pass
        if last is not None:
            title = title[last.end():]
    # ")市政协副主席": a parenthesis closed here was opened before the chain: cut after it
    while (m := _UNBALANCED_CLOSE.match(title)) is not None:
        title = title[m.end():]
    title = _LEADING.sub("", title).strip("、 ")
    if len(title) < 2 or not _TITLE_END.search(title):
        return None
    return title


# ---- posts: a title chain cut into the posts it names ----------------------------

# Title words that say what someone is, not an office they hold.
_NOT_OFFICES = {
    "专家", "教授", "研究员", "老师", "教师", "医生", "村民", "市民", "居民", "志愿者", "党员", "工人", "户",
    "农民", "老人", "同志", "先生", "女士", "选手", "冠军", "英雄", "模范", "劳模", "工匠", "职工", "村医",
    "民警", "干警", "法官", "检察官", "律师", "监测户", "五保户", "低保户", "脱贫户", "贫困户", "首席",
    "主持人", "作者", "诗人", "画家", "书法家", "作家", "创始人", "网格员", "代表", "负责人",
}
# A post with no organization printed whose title word says the level: 副市长 is the city's.
_LEVEL_OF_ROLE = {"市长": "市", "副市长": "市", "常务副市长": "市", "县长": "县", "副县长": "县",
                  "常务副县长": "县", "区长": "区", "副区长": "区", "省长": "省", "副省长": "省"}
_BRACKET_PAIR = re.compile(r"^([^（）]+)（([^（）]+)）(.*)$")
# An organization's name ends with its head word (…县委, …局, …公司); what does not (高级客户, 四级) is no
# organization, and 原 (former) means a post no longer held.
_ORG_END = re.compile("(?:" + "|".join(sorted(set(ORG_SUFFIXES) | {"基金", "集团"}, key=len, reverse=True)) + ")$")


@dataclass(frozen=True)
class PostPart:
    """One post of a title chain: 温县县委书记 in 市政协副主席、温县县委书记."""

    printed: str  # as printed (brackets made full-width): 温县县委书记
    organization: str | None  # the organization part: 温县县委 (None: 副市长, 县长)
    role: str  # the title word: 书记
    level: str | None  # 省 / 市 / 县 / 区 when the post names its division only relatively (市委书记, 副县长)


def normalize_brackets(name: str) -> str:
    """Brackets full-width and no whitespace: 高新区(示范区) -> 高新区（示范区）."""
    return re.sub(r"\s+", "", name).translate(str.maketrans("()", "（）"))


def name_key(name: str) -> str:
    """One key for names that differ only in bracket width or in which of a bracketed pair comes
    first: 高新区(示范区)党工委, 高新区（示范区）党工委 and 示范区（高新区）党工委 share theirs."""
    name = normalize_brackets(name)
    m = _BRACKET_PAIR.match(name)
    if m:
        first, second = sorted((m.group(1), m.group(2)))
        name = f"{first}（{second}）{m.group(3)}"
    return name


def without_brackets(name: str) -> str:
    """The name with its bracketed parts left out: 高新区（示范区）党工委书记 -> 高新区党工委书记."""
    return re.sub(r"（[^（）]*）", "", normalize_brackets(name))


def split_posts(title: str | None) -> tuple[PostPart, ...]:
    """The offices a title chain names, in order: 市政协副主席、温县县委书记 -> 市政协副主席, 温县县委书记.

    A part that says what someone is rather than an office (村民, 志愿者, 教授) is left out, and so is
    a bare title word with no organization (董事长, 常委) unless the word gives the level (副市长).
    """
    out: list[PostPart] = []
    for raw in re.split(r"[、兼]", normalize_brackets(title or "")):
        m = _TITLE_END.search(raw)
        if not raw or not m:
            continue
        role = m.group(0)
        if role in _NOT_OFFICES:
            continue
        organization = raw[: m.start()].strip("、") or None
        level = None
        if organization and (organization.endswith("原") or organization.startswith(("原", "前任"))
                             or not _ORG_END.search(organization)):
            continue
        if organization:
            this = re.match(r"^该([省市县区])", organization)  # 该市市委副书记: the city the article is about
            lead = re.match(r"^(省|市|县|区)(?=[委政人纪组宣统公财教卫民司交农水商审环住自应文退信长办])", organization)
            level = ("该" + this.group(1)) if this else lead.group(1) if lead else None
        elif role in _LEVEL_OF_ROLE:
            level = _LEVEL_OF_ROLE[role]
        elif out and out[-1].organization:  # 市委常委、宣传部长: the 市委's 宣传部长
            organization, level = out[-1].organization, out[-1].level
            raw = organization + role
        else:
            continue
        out.append(PostPart(raw, organization, role, level))
    return tuple(out)
