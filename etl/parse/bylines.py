"""Stage 5: items -> items with dateline, byline and credits.

The forms come from the profile (``[datelines]``, ``[roles]``):

* a dateline opening a body, as printed: "本报讯", "本报济宁讯", "本报杭州3月24日讯",
  "【新华社重庆十四日电】拉萨讯", "新华社北京1月5日电";
* the byline after it: a parenthesis "（记者郭树勋 通讯员孙璐）" -> reporter 郭树勋,
  correspondent 孙璐 ("(周卫合)", no role printed -> credit), running text
  "记者刘玉琴报道：", or role words and names before the text ("本报讯 记者 周明轩 近日，…");
* a byline parenthesis opening a body without a dateline, with a role word ("（本报记者 程雪）清晨…");
* a byline line printed before the body ("□见习记者 寇玺", "记者 方力"), which the
  segmenter keeps out of the body: its credits point into ``Item.byline``;
* a credit closing a body: "（白靖杰 黄福兴）" -> credit, "（新华社记者丁小溪、范思翔）" ->
  reporters, "记者 谢磊 通讯员 康留国 文/图", "本报记者 付凯明 见习记者 马雅宁 摄" ->
  photographers (a photo word credits everyone before it), "(小阳 文 新吴妇联 摄)" ->
  小阳 (新吴妇联 is no person);
* a commentary signature "□高 亢" -> author. It is printed outside the body,
  so it becomes the item's byline ("□高亢") and the credit points into that field.
"""

from __future__ import annotations

import re
from dataclasses import replace

from etl.parse._credits import (
    credit_line, inline_byline, leading_byline_paren, leading_paren, parse_phrase, trailing_credit,
)
from etl.parse._text import split_name_list
from etl.parse.profile import Profile, default_profile
from etl.parse.records import Credit, Item

_SPACES = re.compile(r"\s+")
LEAD_WINDOW = 60  # characters at the start of a body searched for its dateline


def attach_bylines(items: tuple[Item, ...], profile: Profile | None = None) -> tuple[Item, ...]:
    """Fill dateline, byline and credits of every item."""
    profile = profile or default_profile()
    return tuple(_one(it, profile) for it in items)


def match_dateline(body: str, profile: Profile) -> tuple[str, int] | None:
    """The dateline opening body, with spaces removed, and the offset in body just after it."""
    head = body[:LEAD_WINDOW]
    if "讯" not in head and "电" not in head:  # every dateline ends so
        return None
    m = profile.dateline.match(_SPACES.sub("", head))
    if not m or not m.group(0):
        return None
    seen = 0
    for k, c in enumerate(head):  # the offset in body where the dateline's last character is
        if not c.isspace():
            seen += 1
            if seen == m.end():
                return m.group(0), k + 1
    return None


def _one(it: Item, profile: Profile) -> Item:
    if it.kind == "other":
        return it
    body = it.body
    credits: list[Credit] = []
    byline = it.byline  # a byline line printed before the body, if the segmenter found one
    if byline:
        phrase = credit_line(byline, profile)
        for n in phrase.names if phrase else ():
            credits.append(Credit(n.name, n.role, n.start, n.end, field="byline"))
    dateline = None
    lead_end = 0
    found = match_dateline(body, profile)
    if found:
        dateline, pos = found
        lead_end = pos
        said = profile.reported_by.match(body, pos) if "报道" in body[pos:pos + 60] else None
        paren = None if said else leading_paren(body, pos, profile)
        if said:  # "本报成都11月3日电记者刘玉琴报道："
            phrase = parse_phrase(body, said.start(), said.start("names") + len(said.group("names")), profile,
                                  default_role="reporter")
            if phrase:
                credits += [Credit(n.name, n.role, n.start, n.end) for n in phrase.names]
            lead_end = said.end()
            byline = byline or body[said.start():said.end()].strip()
        elif paren is not None:
            credits += [Credit(n.name, n.role, n.start, n.end) for n in paren.names]
            lead_end = paren.end
            byline = byline or body[paren.start:paren.end]
        else:
            inline = inline_byline(body, pos, profile)  # "本报讯 记者 周明轩 近日，…"
            if inline is not None:
                credits += [Credit(n.name, n.role, n.start, n.end) for n in inline.names]
                lead_end = inline.end
                byline = byline or body[inline.start:inline.end]
    elif body[:1] in "（(":
        paren = leading_byline_paren(body, profile)  # "（本报记者 程雪）清晨七点，…"
        if paren is not None:
            credits += [Credit(n.name, n.role, n.start, n.end) for n in paren.names]
            lead_end = paren.end
            byline = byline or body[paren.start:paren.end]
    tail = body.rstrip()
    last = tail.rsplit("\n", 1)[-1]
    offset = len(tail) - len(last)
    closing = trailing_credit(last, profile)
    if closing is not None and offset + closing.start >= lead_end:
        credits += [Credit(n.name, n.role, offset + n.start, offset + n.end) for n in closing.names]
    if it.signature:
        byline = "□" + it.signature
        for name in split_name_list(it.signature):
            start = byline.find(name)
            if start >= 0:
                credits.append(Credit(name=name, role="author", start=start, end=start + len(name), field="byline"))
    return replace(it, dateline=dateline, byline=byline, credits=tuple(credits))
