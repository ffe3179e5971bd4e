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

from etl.parse.lexicon import CJK, TITLE_WORDS

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
