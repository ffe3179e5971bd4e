"""Stage 4: lines + page layout -> items with body, headline, kicker and subheadline.

Bodies start at anchors: a dateline ("本报讯"), a brief bullet ("●"), a
新华社 reprint line, a photo caption (found from its "…摄" credit) or, for a
signed commentary ("□高 亢"), the text next to the signature. Two layouts:

* headline AFTER the body (column-wrapped dumps): the title block is the run
  of headline-like lines between the end of a body (a line ending a sentence,
  or a trailing credit "（白靖杰 黄福兴）") and the next body;
* headline BEFORE the body ("# " markdown exports and paragraph-per-line
  exports): the title block is the run of headline-like lines just before the
  next body.

A title block is split by blank lines: the last group is the headline (a group
of three lines is headline + subheadline), earlier groups the kicker; a line
starting with "——" is a subheadline; one character per line is a vertical
title. Column labels and decorative text become items of kind "other".
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from etl.parse._text import credit_paren, despace, ends_sentence, join_lines, photo_credit
from etl.parse.lexicon import ARROWS, BODY_PUNCT, SIGN_MARK, TERMINAL
from etl.parse.pages import PageLayout
from etl.parse.profile import Profile, default_profile
from etl.parse.records import Item, ItemWarning, Line

_MD = re.compile(r"^#{1,6}\s+")
_SIG = re.compile(rf"^{SIGN_MARK}\s*(\S(?:.{{0,12}}\S)?)\s*$")
_PAREN_START = re.compile(r"^[（(]")
_MD_MARK = re.compile(r"^#{1,6}\s*")
_SENTENCE_THEN = re.compile(r"[。！？!?]\s*(?=[本新据【（(])")


def _spaced(text: str) -> bool:
    """Three or more characters printed one by one with spaces between ("百 字 新 闻")."""
    parts = text.split()
    return len(parts) >= 3 and all(len(t) == 1 for t in parts)


@dataclass
class _Unit:
    """An item under construction: line indices of its body and of its title block."""

    kind: str
    body: list[int]
    title: list[int] = field(default_factory=list)
    signature: str | None = None
    credit_end: int | None = None  # photo: the last line of the credit
    reason: str = ""  # why the item starts where it does (shown by `newsetl parse --format text`)
    byline: list[int] = field(default_factory=list)  # byline lines printed before the body (not in it)
    intertitles: int = 0  # titles inside the body (小标题) met so far


def segment(lines: tuple[Line, ...], layout: PageLayout, profile: Profile | None = None) -> tuple[Item, ...]:
    """Cut the file into items in the order their bodies start.

    Column-wrapped PDF text (short lines, headlines after their bodies) and
    paragraph-per-line exports (titles before bodies) are cut differently; see
    etl/parse/_paragraphs.py for the second.
    """
    profile = profile or default_profile()
    if _paragraph_layout(lines):
        from etl.parse._paragraphs import ParagraphSegmenter

        return ParagraphSegmenter(lines, layout, profile).run()
    return _Segmenter(lines, layout, profile, before=False).run()


def _paragraph_layout(lines: tuple[Line, ...]) -> bool:
    """Paragraph-per-line text: markdown titles, many long lines, or most lines ending a sentence
    (or a photo credit: a page of captions).

    Column-wrapped PDF text has short lines of even width, most of them ending mid-sentence.
    """
    texts = longer = sentences = ended = 0
    for ln in lines:
        c = ln.clean
        if c[:1] == "#" and _MD.match(c):
            return True
        if len(c) <= 8:
            continue
        n = len(c) - c.count(" ")  # clean text holds single spaces only
        if n <= 8:
            continue
        texts += 1
        longer += n > 40
        if n >= 12:
            sentences += 1
            ended += c[-1] in TERMINAL or c[-1] == "摄"  # a sentence, or a caption with its photo credit
        if texts >= 300:
            break  # enough to tell (and markdown titles show early)
    if not texts:
        return False
    return longer >= 0.3 * texts or (sentences > 0 and ended >= 0.45 * sentences)


class _Segmenter:
    def __init__(self, lines: tuple[Line, ...], layout: PageLayout, profile: Profile | None = None,
                 before: bool | None = None) -> None:
        self.lines = lines
        self.layout = layout
        self.profile = profile = profile or default_profile()
        self.n = len(lines)
        header = layout.header_lines
        self.special = {i for i, ln in enumerate(lines) if ln.number in header} if header else set()
        # every dateline ends with 讯 or 电: lines without one near their start are never matched
        self._datelines: dict[int, re.Match | None] = {
            i: None for i, ln in enumerate(lines) if "讯" not in ln.clean and "电" not in ln.clean}
        self.brief_mark = profile.brief_markers[:1] or "●"
        self.md = {i for i, ln in enumerate(lines)
                   if "#" in ln.text[:8] and ln.text[:8].lstrip().startswith("#") and _MD.match(ln.text.strip())}
        # line classes looked up by index many times per line: computed once
        self._text = [_MD_MARK.sub("", ln.clean) if i in self.md else ln.clean for i, ln in enumerate(lines)]
        self.labels = self._labels()
        self._usable = [bool(ln.clean) and i not in self.special and i not in self.labels for i, ln in enumerate(lines)]
        self.before = self._headline_before() if before is None else before
        self._content_numbers: list[int] | None = None
        self._isolated: set[int] | None = None

    # ---- line classes -------------------------------------------------
    def text(self, i: int) -> str:
        return self._text[i]

    def blank(self, i: int) -> bool:
        return not self.lines[i].clean

    def dateline(self, i: int) -> re.Match | None:
        """The dateline opening line i ("本报讯", "本报济宁讯", "新华社北京1月5日电"), matched with spaces removed."""
        if i not in self._datelines:
            d = despace(self.text(i))
            # "（新华社北京1月22日电）" alone on a line closes a reprint; it opens nothing
            self._datelines[i] = None if self.profile.reprint_tail.match(d) else self.profile.dateline.match(d)
        return self._datelines[i]

    def is_dateline_text(self, s: str) -> bool:
        head = s[:48]
        return ("讯" in head or "电" in head) and bool(self.profile.dateline.match(despace(s)))

    def usable(self, i: int) -> bool:
        return self._usable[i]

    def is_title(self, i: int) -> bool:
        if i in self.md:
            return True
        s = self.text(i)
        d = despace(s)
        if not d or len(d) > 50 or any(c in BODY_PUNCT for c in d):
            return False
        if d[0] in self.brief_mark + SIGN_MARK + ARROWS or _PAREN_START.match(d) or self.dateline(i):
            return False
        if len(d) > 1 and d[-1] in "：:":
            return False
        if d.endswith("——") or d.endswith("—"):
            return False
        if photo_credit(s):
            return False
        return True

    def _labels(self) -> set[int]:
        out = set()
        lines = self.lines
        for i, ln in enumerate(lines):
            if not ln.clean or i in self.special:  # (special: the lines of page headers)
                continue
            d = despace(ln.clean)
            prev_blank = i == 0 or not lines[i - 1].clean
            next_blank = i + 1 >= len(lines) or not lines[i + 1].clean
            if len(d) <= 12 and self.profile.is_column_label(d):
                out.add(i)
            elif len(d) <= 6 and prev_blank and _spaced(ln.text) and (next_blank or self.dateline(i + 1)):
                out.add(i)  # "百 字 新 闻", "政 务 简 报"
            elif len(d) >= 4 and len(d) % 2 == 0 and d[0::2] == d[1::2] and len(d) <= 8:
                out.add(i)  # doubled decorative characters "工工业业"
            elif len(d) == 1 and prev_blank and next_blank:
                # a lone character that is not part of a vertical title
                near = [j for j in (i - 2, i + 2) if 0 <= j < len(lines) and len(despace(lines[j].clean)) == 1]
                if not near:
                    out.add(i)
        return out

    def _headline_before(self) -> bool:
        if self.md:
            return True
        texts = [despace(ln.clean) for ln in self.lines if len(despace(ln.clean)) > 8]
        if not texts:
            return False
        long_ = sum(1 for t in texts if len(t) > 40)
        return long_ / len(texts) >= 0.3

    # ---- anchors ------------------------------------------------------
    def _anchors(self) -> dict[int, _Unit]:
        anchors: dict[int, _Unit] = {}
        photo_lines: set[int] = set()
        for i in range(self.n):
            if not self.usable(i):
                continue
            cap = self._caption_ending_at(i)
            if cap:
                start, end = cap
                if not any(j in anchors for j in range(start, end + 1)):
                    anchors[start] = _Unit("photo", list(range(start, end + 1)), credit_end=end, reason="caption")
                    photo_lines.update(range(start, end + 1))
        for i in range(self.n):
            if not self.usable(i) or i in photo_lines:
                continue
            s = self.text(i)
            if self.dateline(i):
                anchors[i] = _Unit("article", [i], reason="dateline")
            elif s.startswith(self.brief_mark):
                anchors[i] = _Unit("brief", [i], reason="marker")
            elif self.profile.reprint_line.match(s):
                anchors[i] = _Unit("article", [i], reason="dateline")
            elif self.before and _SIG.match(s):
                anchors[i] = _Unit("commentary", [], signature=despace(_SIG.match(s).group(1)), reason="signature")
        return dict(sorted(anchors.items()))

    def _caption_ending_at(self, i: int) -> tuple[int, int] | None:
        """If line i ends a photo credit, return (first caption line, last credit line)."""
        s = self.text(i)
        if not s.endswith("摄"):
            return None
        standalone = False
        j = self._prev_usable(i)
        pc = photo_credit(s)
        if pc and pc[0] == 0:
            standalone = True
        elif j is not None and j == i - 1 and len(despace(s)) <= 4:
            joined = self.text(j) + s
            pc2 = photo_credit(joined)
            if pc2 and pc2[0] == 0:
                standalone, pc = True, pc2
                j = self._prev_usable(j)
        if not pc:
            return None
        if standalone:
            if j is None:
                return None
            last = j
        else:
            last = i
        # walk up the contiguous block of caption lines
        top = last
        while top - 1 >= 0 and self.usable(top - 1) and not self._is_anchor_text(top - 1):
            top -= 1
        if self._is_anchor_text(top):
            return None
        block = list(range(top, last + 1))
        # the caption starts at an arrow, else after leading headline-like lines
        for k in block[1:]:
            if self.text(k)[:1] in ARROWS:
                top = k
        while top < last and self.is_title(top):
            top += 1
        if self.is_title(top) and top == last and standalone:
            return None
        return top, i

    def _is_anchor_text(self, i: int) -> bool:
        s = self.text(i)
        return bool(self.dateline(i) or s.startswith(self.brief_mark) or self.profile.reprint_line.match(s)
                    or _SIG.match(s))

    def _prev_usable(self, i: int) -> int | None:
        j = i - 1
        while j >= 0 and self.blank(j):
            j -= 1
        if j < 0 or not self.usable(j):
            return None
        return j

    # ---- main ---------------------------------------------------------
    def run(self) -> tuple[Item, ...]:
        anchors = self._anchors()
        units: list[_Unit] = []
        others: list[list[int]] = [[i] for i in sorted(self.labels)]
        starts = list(anchors)
        if not starts:
            rest = [i for i in range(self.n) if self.usable(i)]
            if rest:
                units.append(_Unit("article", rest, reason="text"))
            return self._items(units, others)

        pre = [i for i in range(0, starts[0]) if self.usable(i)]
        if self.before:
            title, rest = self._title_suffix(pre, need_end=False)
            anchors[starts[0]].title = title
            others += self._groups(rest)
        else:
            others += self._groups(pre)

        for k, a in enumerate(starts):
            unit = anchors[a]
            nxt = starts[k + 1] if k + 1 < len(starts) else self.n
            if unit.kind == "photo":
                region_start = unit.credit_end + 1
            elif unit.kind == "commentary" and self.before:
                region_start = a + 1
                while region_start < nxt and not self.usable(region_start):
                    if region_start in self.labels:
                        pass
                    region_start += 1
            else:
                region_start = a
            region = [i for i in range(region_start, nxt) if not self.blank(i)]
            # a page header, banner or label cuts the region: what follows is no body
            cut = next((p for p, i in enumerate(region) if not self.usable(i)), None)
            orphan: list[int] = []
            if cut is not None:
                orphan = [i for i in region[cut:] if self.usable(i)]
                region = region[:cut]
                if self.before and k + 1 < len(starts):
                    title, orphan = self._title_suffix(orphan, need_end=False)
                    anchors[nxt].title = title or anchors[nxt].title
            if self.before:
                units += self._region_before(unit, region, anchors, starts, k, others)
            else:
                units += self._region_after(unit, region, others)
            others += self._groups(orphan)
        return self._items(units, others)

    def _region_before(self, unit, region, anchors, starts, k, others) -> list[_Unit]:
        if unit.kind == "photo":
            body_lines: list[int] = []
        else:
            body_lines = region
        nxt_unit = anchors[starts[k + 1]] if k + 1 < len(starts) else None
        tail = region if unit.kind == "photo" else body_lines
        if nxt_unit is not None and not nxt_unit.title:
            title, keep = self._title_suffix(tail, need_end=unit.kind != "photo")
            if nxt_unit.kind == "brief":
                others += self._groups(title)
            else:
                nxt_unit.title = title
            tail = keep
        if unit.kind == "photo":
            others += self._groups(tail)
            return [unit]
        if unit.kind == "commentary":
            unit.body = tail
        else:
            unit.body = tail
        return [unit] if unit.body else []

    def _region_after(self, unit: _Unit, region: list[int], others: list[list[int]]) -> list[_Unit]:
        if unit.kind == "photo":
            return [unit] + self._region_after(_Unit("article", [], reason="after caption"), region, others)
        out: list[_Unit] = []
        if not unit.body and all(self.is_title(i) for i in region):
            others += self._groups(region)
            return out
        for p, i in enumerate(region):
            if p > 0 or not unit.body:
                sig = _SIG.match(self.text(i))
                if sig:
                    out += self._with_signature(unit, region[:p], despace(sig.group(1)))
                    others += self._groups(region[p + 1:])
                    return out
            if p > 0 or unit.kind != "article" or True:
                if self._ends_with_credit(i, region[p - 1] if p else None):
                    unit.body = region[:p + 1]
                    rest = region[p + 1:]
                    while rest and self.profile.reprint_tail.match(despace(self.text(rest[0]))):
                        others.append([rest[0]])
                        rest = rest[1:]
                    t = 0
                    while t < len(rest) and self.is_title(rest[t]):
                        t += 1
                    title, rest = rest[:t], rest[t:]
                    if unit.kind == "brief":
                        others += self._groups(title)
                    else:
                        unit.title = title
                    out.append(unit)
                    if rest:
                        out += self._region_after(_Unit("article", [], reason="after credit"), rest, others)
                    return out
        title, body = self._title_suffix(region, need_end=True)
        if not body:
            others += self._groups(region)
            return out
        unit.body = body
        if unit.kind == "brief":
            others += self._groups(title)
        else:
            unit.title = title
        out.append(unit)
        return out

    def _with_signature(self, unit: _Unit, lines: list[int], signature: str) -> list[_Unit]:
        """A region ending with a commentary signature: [item body][title][commentary body][title]□."""
        title2, pre = self._title_suffix(lines, need_end=True)
        if not unit.body:
            # the region itself is the commentary
            return [_Unit("commentary", pre, title2, signature=signature, reason="signature")] if pre else []
        split = self._internal_title_run(pre)
        if split is None and unit.kind == "brief":
            # a brief is one paragraph: the commentary starts at the next one ("●…。" / "" / "城市的温度…")
            p = next((p for p in range(1, len(pre)) if pre[p] - pre[p - 1] > 1 and ends_sentence(self.text(pre[p - 1]))
                      and not self._is_credit_row(pre[p])), None)
            if p is not None:
                unit.body = pre[:p]
                return [unit, _Unit("commentary", pre[p:], title2, signature=signature, reason="signature")]
        if split is None:
            unit.body, unit.title, unit.signature = pre, title2, signature
            if unit.kind == "article" and not self.dateline(pre[0]):
                unit.kind = "commentary"
            return [unit]
        a, b = split
        unit.body, unit.title = pre[:a], pre[a:b]
        return [unit, _Unit("commentary", pre[b:], title2, signature=signature, reason="signature")]

    def _internal_title_run(self, idx: list[int]) -> tuple[int, int] | None:
        best = None
        p = 1
        while p < len(idx):
            if self.is_title(idx[p]) and ends_sentence(self.text(idx[p - 1])) and idx[p] - idx[p - 1] > 1:
                q = p
                while q < len(idx) and self.is_title(idx[q]):
                    q += 1
                end = q
                while q > p and q < len(idx) and idx[q] - idx[q - 1] == 1:
                    q -= 1  # a headline-like line glued to the next body line opens that body
                if p < q < len(idx) and idx[q] - idx[q - 1] > 1 and q - p <= 6:
                    if best is None or (q - p) >= (best[1] - best[0]):
                        best = (p, q)
                p = max(end, p + 1) - 1
            p += 1
        return best

    def _ends_with_credit(self, i: int, prev: int | None) -> bool:
        s = self.text(i)
        if s.endswith(("）", ")")) and "（" not in s and "(" not in s:
            # a credit parenthesis wrapped over lines: "（新华社记者丁小溪、范思" / "翔、王明玉）"
            j, parts = i, [s]
            while j > 0 and len(parts) < 3:
                j -= 1
                if self.blank(j):
                    continue
                parts.insert(0, self.text(j))
                if "（" in parts[0] or "(" in parts[0]:
                    break
            joined = join_lines(parts)
            cp = credit_paren(joined)
            if cp and ("（" in parts[0] or "(" in parts[0]):
                before = joined[:cp[0]].rstrip()
                if before:
                    return ends_sentence(before)
                k = j - 1
                while k >= 0 and self.blank(k):
                    k -= 1
                return k >= 0 and ends_sentence(self.text(k))
            return False
        cp = credit_paren(s)
        if not cp:
            return False
        start = cp[0]
        before = s[:start].rstrip()
        if before:
            return ends_sentence(before)
        return prev is not None and ends_sentence(self.text(prev))

    def _title_suffix(self, idx: list[int], need_end: bool) -> tuple[list[int], list[int]]:
        """Split idx into (body, title block at its end) -> returns (title, body)."""
        t = len(idx)
        while t > 0 and self.is_title(idx[t - 1]):
            t -= 1
        run = idx[t:]
        while run:
            prev_ok = t == 0 and not need_end or (t > 0 and self._closes(idx[t - 1]))
            multi = sum(1 for i in run if len(despace(self.text(i))) > 1)
            if prev_ok and multi <= 5:
                break
            if t == 0 and need_end:
                run = []
                break
            run = run[1:]
            t += 1
            if run and not self.is_title(run[0]):
                run = []
        if not run:
            return [], idx
        return run, idx[:t]

    def _closes(self, i: int) -> bool:
        s = self.text(i)
        return ends_sentence(s) or bool(photo_credit(s)) or bool(_SIG.match(s))

    def _groups(self, idx: list[int]) -> list[list[int]]:
        out: list[list[int]] = []
        for i in idx:
            if out and i - out[-1][-1] <= 1:
                out[-1].append(i)
            else:
                out.append([i])
        return out

    # ---- building records -----------------------------------------------
    def _items(self, units: list[_Unit], others: list[list[int]]) -> tuple[Item, ...]:
        drafts: list[tuple[int, int, bool, object]] = []  # (first line, last line, other?, unit or lines)
        others = list(others)
        for u in units:
            # a markdown "# " line is always a title: a body never runs past one
            cut = next((k for k, i in enumerate(u.body) if k and i in self.md), None) if self.md else None
            if cut is not None:
                others.append([i for i in u.body[cut:] if self.usable(i)])
                u.body = u.body[:cut]
                while u.body and self.blank(u.body[-1]):
                    u.body.pop()
            if u.body:
                drafts.append((u.body[0], u.body[-1], False, u))
        for grp in (part for g in others for part in self._split_at_titles(g)):
            if grp:
                drafts.append((grp[0], grp[-1], True, grp))
        # Items never overlap: leftover text ("other") that falls inside another item's
        # lines is already part of that item's text, and gives way to it.
        drafts.sort(key=lambda d: (d[0], d[2]))
        kept: list[tuple[int, int, bool, object]] = []
        for draft in drafts:
            if kept and draft[0] <= kept[-1][1]:
                if draft[2]:
                    continue
                if kept[-1][2]:
                    kept.pop()
            kept.append(draft)
        return tuple(self._other(what, n) if other else self._item(what, n)
                     for n, (_, _, other, what) in enumerate(kept, start=1))

    def _item(self, u: _Unit, seq: int = 0) -> Item:
        first, last = u.body[0], u.body[-1]
        rows, texts = self._rows(first, last)
        body = self._body_text(rows, texts)
        kicker, headline, sub = self._title_parts(u.title)
        page_index, section = self._page_of(first, body)
        ln1, ln2 = self.lines[first], self.lines[last]
        start, end = self._content_start(first), ln2.end - (len(ln2.text) - len(ln2.text.rstrip()))
        byline = " ".join(self.text(i) for i in u.byline) or None
        return Item(
            seq=seq, kind=u.kind, page_index=page_index, section=section, headline=headline, kicker=kicker,
            subheadline=sub, dateline=None, byline=byline, event_date=None, body=body, start=start, end=end,
            line_start=ln1.number, line_end=ln2.last_number, signature=u.signature, reason=u.reason,
            warnings=self._warnings(u, rows, texts, headline, body, ln1.number),
        )

    # ---- doubts -----------------------------------------------------------
    def _warnings(self, u: _Unit, rows: list[int], texts: list[str], headline: str | None, body: str,
                  line_start: int) -> tuple[ItemWarning, ...]:
        """Why an archivist should look at this item: lines inside it that usually open or close one.

        Cheap tests come first: this runs over every line of every item.
        """
        out: list[ItemWarning] = []
        last = len(rows) - 1
        before = self.before
        if not before and self._isolated is None:  # lines standing between blank lines, once per file
            lines = self.lines
            self._isolated = {i for i in range(1, self.n - 1)
                              if lines[i].clean and not lines[i - 1].clean and not lines[i + 1].clean}
        for k, s in enumerate(texts):
            i = rows[k]
            dated = "讯" in s or "电" in s
            credited = s[-1:] in "）)摄"
            alone = before or i in self._isolated
            if not (dated or credited or alone):
                continue  # most lines of wrapped columns
            if dated:
                for m in _SENTENCE_THEN.finditer(s):  # a dateline inside a line: two articles run together?
                    if self.is_dateline_text(s[m.end():m.end() + 40]):
                        out.append(ItemWarning("second_dateline", self.lines[i].number, s[m.end():m.end() + 16]))
                        break
            if k == 0:
                continue
            number = self.lines[i].number
            if dated and self.dateline(i):
                out.append(ItemWarning("second_dateline", number, s[:16]))
            elif (k < last - 1 and (credited or before) and self._credit_closes(s)
                  and not self._is_credit_row(rows[k + 1])):
                out.append(ItemWarning("second_byline", number, s[-16:]))
            elif (alone and k < last and len(s) <= 2 * self.profile.title_max_chars
                  and ends_sentence(texts[k - 1]) and len(despace(s)) > 1
                  and self.is_title(i) and not self.is_title(rows[k + 1])):
                # (in wrapped columns a title stands between blank lines; short lines are just wrapped)
                out.append(ItemWarning("title_in_body", number, s[:16]))
        if u.kind == "article" and not headline:
            out.append(ItemWarning("no_headline", line_start))
        chars = len(body) if len(body) <= self.profile.long_item_chars else len(despace(body))
        if chars > self.profile.long_item_chars:
            out.append(ItemWarning("long_item", line_start, f"{chars}字"))
        return tuple(out)

    def _credit_closes(self, s: str) -> bool:
        """s holds a credit that would close an item: a credit line, or a credit after a finished sentence."""
        from etl.parse._credits import credit_line, trailing_credit

        tail = s.rstrip()
        if not (tail.endswith(("）", ")", "摄")) or self.profile.role_word.search(tail, max(0, len(tail) - 30))):
            return False  # no credit ends this line (the quick test: most lines are plain text)
        c = credit_line(s, self.profile)
        if c is not None and (c.paren or c.stated) and c.names:
            return True
        c = trailing_credit(s, self.profile)
        return c is not None and c.start > 0 and bool(c.names) and ends_sentence(s[:c.start].rstrip())

    def _is_credit_row(self, i: int) -> bool:
        from etl.parse._credits import credit_line

        c = credit_line(self.text(i), self.profile)
        return c is not None and (c.stated or c.paren)

    def _other(self, grp: list[int], seq: int = 0) -> Item:
        first, last = grp[0], grp[-1]
        body = join_lines([despace(self.text(i)) for i in range(first, last + 1)
                           if not self.blank(i) and i not in self.special])
        page_index, section = self._page_of(first, body)
        ln1, ln2 = self.lines[first], self.lines[last]
        return Item(
            seq=seq, kind="other", page_index=page_index, section=section, headline=None, kicker=None,
            subheadline=None, dateline=None, byline=None, event_date=None, body=body,
            start=self._content_start(first),
            end=ln2.end - (len(ln2.text) - len(ln2.text.rstrip())), line_start=ln1.number, line_end=ln2.last_number,
            reason="label",
        )

    def _split_at_titles(self, group: list[int]) -> list[list[int]]:
        """A leftover group, cut before each markdown title line (a title starts its own piece)."""
        parts: list[list[int]] = []
        for i in group:
            if not parts or i in self.md:
                parts.append([])
            parts[-1].append(i)
        return parts

    def _content_start(self, i: int) -> int:
        """Offset of the first character of line i's text (after indentation and a markdown "# ")."""
        ln = self.lines[i]
        m = re.match(r"\s*(?:#{1,6}\s*)?" if i in self.md else r"\s*", ln.text)
        return ln.start + m.end()

    def _rows(self, first: int, last: int) -> tuple[list[int], list[str]]:
        """The body's lines from first to last (blank lines and page headers left out) and their text."""
        idx = [i for i in range(first, last + 1) if not self.blank(i) and i not in self.special]
        return idx, [self.text(i) for i in idx]

    def _body_text(self, idx: list[int], texts: list[str]) -> str:
        widths = sorted(len(t) for t in texts)
        width = widths[len(widths) * 3 // 4] if widths else 0
        paras: list[list[str]] = [[]]
        for p, i in enumerate(idx):
            t = texts[p]
            if paras[-1]:
                prev_i, prev = idx[p - 1], texts[p - 1]
                gap = i - prev_i > 1
                if ends_sentence(prev) and (gap or len(prev) < width - 1 or self.before):
                    paras.append([])
                elif credit_paren(t) and credit_paren(t)[0] == 0 and ends_sentence(prev):
                    paras.append([])
            paras[-1].append(t)
        return "\n".join(join_lines(p) for p in paras if p)

    def _title_parts(self, idx: list[int]) -> tuple[str | None, str | None, str | None]:
        if not idx:
            return None, None, None
        subs = [i for i in idx if self.text(i).startswith("—")]
        groups = self._groups([i for i in idx if i not in subs])
        sub = join_lines([self.text(i) for i in subs]) or None
        if not groups:
            return None, sub, None
        vertical = [g for g in groups if len(g) > 1 and all(len(despace(self.text(i))) == 1 for i in g)]
        if vertical and len(vertical) == len(groups):
            return None, "".join(despace(self.text(i)) for g in groups for i in g), sub
        last = groups[-1]
        kicker = join_lines([self.text(i) for g in groups[:-1] for i in g]) or None
        texts = [self.text(i) for i in last]
        if len(texts) == 3 and not sub and not kicker:
            return None, join_lines(texts[:2]), texts[2]
        return kicker, join_lines(texts), sub

    def _page_of(self, first: int, body: str) -> tuple[int | None, str | None]:
        line_no = self.lines[first].number
        pages = [p for p in self.layout.pages if p.line <= line_no]
        banners = [b for b in self.layout.banners if b.line <= line_no]
        last_page_line = pages[-1].line if pages else 0
        if banners and banners[-1].line > last_page_line:
            return None, banners[-1].text
        if not pages:
            return None, None
        # regional editions printed one after the other (nothing but headers between them):
        # pick by the place the item names first
        block = [pages[-1]]
        for p in reversed(pages[:-1]):
            if not self._only_headers_between(p, block[0]):
                break
            block.insert(0, p)
        if len(block) > 1:
            best = None
            for p in block:
                place = (p.section or "").replace("新闻", "")
                pos = body.find(place) if place else -1
                if pos >= 0 and (best is None or pos < best[0]):
                    best = (pos, p)
            if best:
                return best[1].index, best[1].section
        return pages[-1].index, pages[-1].section

    def _only_headers_between(self, a, b) -> bool:
        """Nothing but page headers (and blank lines) from page header a to page header b."""
        if self._content_numbers is None:
            header = self.layout.header_lines
            self._content_numbers = [ln.number for ln in self.lines if ln.clean and ln.number not in header]
        k = bisect.bisect_left(self._content_numbers, a.line)
        return k >= len(self._content_numbers) or self._content_numbers[k] >= b.line
