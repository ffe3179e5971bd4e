"""Stage 5: items -> items with dateline, byline and credits.

* dateline "本报讯" opening a body, and the byline parenthesis after it:
  "本报讯（记者郭树勋 通讯员孙璐）" -> reporter 郭树勋, correspondent 孙璐
  (roles 记者, 通讯员, 见习记者; several names after one role: "记者郭树勋、赵根志");
* a trailing credit closing a body: "（白靖杰 黄福兴）" -> role "credit",
  "（新华社记者丁小溪、范思翔）" -> reporters;
* a photo credit closing a caption: "本报记者 付凯明 见习记者 马雅宁 摄" -> photographers;
* a commentary signature "□高 亢" -> author. It is printed outside the body,
  so it becomes the item's byline ("□高亢") and the credit points into that field.
"""

from __future__ import annotations

import re
from dataclasses import replace

from etl.parse._text import credit_paren, parse_role_names, photo_credit, split_name_list
from etl.parse.lexicon import BYLINE_RE, ROLE_SPLIT_RE
from etl.parse.records import Credit, Item

_DATELINE = re.compile(r"^本报讯\s*")


def attach_bylines(items: tuple[Item, ...]) -> tuple[Item, ...]:
    """Fill dateline, byline and credits of every item."""
    return tuple(_one(it) for it in items)


def _one(it: Item) -> Item:
    if it.kind == "other":
        return it
    body = it.body
    credits: list[Credit] = []
    dateline = byline = None
    pos = 0
    m = _DATELINE.match(body)
    if m:
        dateline = "本报讯"
        pos = m.end()
        b = BYLINE_RE.match(body, pos)
        if b and (ROLE_SPLIT_RE.search(re.sub(r"\s+", "", b.group(1)))):
            byline = b.group(0)
            for name, role in parse_role_names(b.group(1), "reporter"):
                credits.append(_credit(body, name, role, b.start(), b.end()))
    tail = body.rstrip()
    if it.kind == "photo" or tail.endswith("摄"):
        pc = photo_credit(tail)
        if pc:
            for name in pc[1]:
                credits.append(_credit(body, name, "photographer", pc[0], len(tail)))
    else:
        last_line = tail.rsplit("\n", 1)[-1]
        cp = credit_paren(last_line)
        if cp:
            offset = len(tail) - len(last_line) + cp[0]
            for name, role in cp[1]:
                credits.append(_credit(body, name, role, offset, len(tail)))
    if it.signature:
        byline = "□" + it.signature
        for name in split_name_list(it.signature):
            start = byline.find(name)
            if start >= 0:
                credits.append(Credit(name=name, role="author", start=start, end=start + len(name), field="byline"))
    return replace(it, dateline=dateline, byline=byline, credits=tuple(credits))


def _credit(body: str, name: str, role: str, lo: int, hi: int) -> Credit:
    pat = re.compile(r"\s*".join(re.escape(c) for c in name))
    m = pat.search(body, lo, hi) or pat.search(body)
    if m:
        return Credit(name=name, role=role, start=m.start(), end=m.end())
    return Credit(name=name, role=role, start=lo, end=lo)
