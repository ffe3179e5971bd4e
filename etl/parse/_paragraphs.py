"""Segmentation of paragraph-per-line text: e-paper exports and markdown dumps (titles before bodies).

An item starts where the layout says so, not at one cue:

* a dateline ("本报讯", "本报杭州3月24日讯", "【新华社重庆十四日电】拉萨讯") opens a body; the
  title lines and byline line just above it belong to it;
* a block of title-like lines (short, no sentence inside) after a finished
  paragraph and a blank line, followed by a byline or a body, opens an item;
  but not a title inside an article (小标题): one short line over plain text,
  one of several in an article opened by a dateline or byline and not yet
  closed by a credit; nor the first of a run of paragraphs led by a topic word
  ("家园位置 …" / "反映问题 …");
* a credit closes one ("(郭茂让 周佳佳)", "记者 谢磊 通讯员 康留国 文/图",
  "本报记者 李震宇 / 通讯员 王飞超 摄"): what follows is another item; a credit
  ending with a byline word between a title and a body ("本报记者 赵静 报道")
  is that item's byline;
* a photo caption (a short block ending with "… 摄", or a paragraph whose last
  sentence speaks of its picture: "此图为…"), a marked brief or caption ("●",
  "■", "▶", "①" with a photo credit, or the next of a run of marked
  paragraphs) and, under a column of briefs ("简讯", "县区快讯"), each paragraph;
* in files whose bodies are indented and titles are not, a paragraph printed
  flush left after an indented one;
* page headers, section banners, column labels ("■民生关注") and editors' lines
  ("责任编辑：王磊") end whatever is open; an editor's note ("编者按：…") is an
  item of kind other that leaves the title above it to the article under it.

A line holding a title and a caption separated by wide spaces ("扩建排水渠
4月20日，…") is read as two lines. Kicker, headline and subheadline come from
the title block (`_title_parts`). The markers and word lists are the profile's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from etl.parse._credits import (
    CreditPhrase, credit_line, inline_byline, leading_byline_paren, leading_paren, trailing_credit,
)
from etl.parse._text import despace, ends_sentence, join_lines, looks_like_name
from etl.parse.clean import clean_text
from etl.parse.pages import PageLayout
from etl.parse.profile import Profile
from etl.parse.records import Line
from etl.parse.segment import _SIG, _Segmenter, _Unit

_WIDE_GAP = re.compile(r"(?:[ \t]{2,}|\u3000+)")
_INDENT = re.compile(r"^(?:[ \t]{2,}|\u3000)")
_PAREN_NOTE = re.compile(r"^[（(][^（()）]*[）)]$")
_CLAUSE_END = "，,、；;"
MIN_BODY_CHARS = 20  # a title opens an item only before a body at least this long (not a note in parentheses)
MAX_TITLE_ROWS = 5
MAX_INTERTITLE_CHARS = 20  # a title inside an article (小标题) is short
MAX_INTERTITLE_SPREAD = 3  # and about as long as the others
MAX_CAPTION_CHARS = 200
MAX_MARKED_LABEL = 10
_SENTENCE_PUNCT = "。，,；;！？!?：:"
_SENTENCE_END = re.compile(r"[。！？!?]")
_LEAD_WORD = re.compile(r"^([\u4e00-\u9fff]{2,4})[ \t\u3000]+(?=\S)")


@dataclass
class _State:
    cur: _Unit | None = None
    closed: bool = False  # the current item ended with a credit or signature
    title: list[int] | None = None
    byline: list[int] | None = None
    signature: tuple[int, str] | None = None
    brief_column: bool = False
    note: bool = False  # the row before was an editor's-note label ("【编者按】")

    def pending(self) -> bool:
        return bool(self.title or self.byline or self.signature)


class ParagraphSegmenter(_Segmenter):
    def __init__(self, lines: tuple[Line, ...], layout: PageLayout, profile: Profile) -> None:
        rows = _split_title_lines(lines, layout, profile)
        super().__init__(rows, layout, profile, before=True)
        self.page_rows = self._page_rows()
        self.indent = [bool(_INDENT.match(ln.text)) for ln in rows]
        self._credit: dict[int, CreditPhrase | None] = {}
        self._trail: dict[int, CreditPhrase | None] = {}
        self.inner_titles: set[int] = set()  # rows read as titles inside an article (小标题)
        long_rows = [i for i in range(self.n) if len(despace(self.text(i))) >= 30 and i not in self.special]
        indented = sum(1 for i in long_rows if self.indent[i])
        self.indented_bodies = len(long_rows) >= 5 and indented >= 0.7 * len(long_rows)
        usable = [i for i in range(self.n) if self.usable(i)]
        gaps = sum(1 for a, b in zip(usable, usable[1:]) if self._gap(a, b))
        self.gapless = len(usable) > 3 and gaps < 0.2 * (len(usable) - 1)

    # ---- row classes ----------------------------------------------------
    def _labels(self) -> set[int]:
        """Column labels; also a short marked line that is no sentence ("■民生关注", "◆图片新闻"): a
        paragraph export prints every brief as a whole sentence, so this one names a column."""
        out = super()._labels()
        p = self.profile
        marks = "".join(c for c in p.brief_markers + p.credit_markers if c not in p.signature_mark)
        for i, ln in enumerate(self.lines):
            d = despace(ln.clean)
            if (d[:1] in marks and 2 <= len(d) - 1 <= MAX_MARKED_LABEL and not any(c in d for c in _SENTENCE_PUNCT)
                    and not looks_like_name(d[1:]) and ln.number not in self.layout.header_lines
                    and credit_line(ln.clean, p) is None):
                out.add(i)
        return out

    def credit(self, i: int) -> CreditPhrase | None:
        """The whole row is a credit in parentheses or with a role or credit word ("记者 方力", "(陈 茜)").

        A bare one ("读者来信") printed right above a title line is that title's kicker, no credit.
        """
        if i not in self._credit:
            c = credit_line(self.text(i), self.profile)
            if c is not None and not (c.stated or c.paren):
                c = None
            if c is not None and not (c.paren or c.photo or c.text) and len(c.names) <= 1:
                self._credit[i] = None  # provisionally, while the next line is looked at
                nxt = i + 1
                if nxt < self.n and self.usable(nxt) and self.is_title(nxt):
                    c = None
            self._credit[i] = c
        return self._credit[i]

    def trail(self, i: int) -> CreditPhrase | None:
        """A credit closing the row ("…落户明光。 (郭茂让 周佳佳)")."""
        if i not in self._trail:
            self._trail[i] = trailing_credit(self.text(i), self.profile)
        return self._trail[i]

    def photo_end(self, i: int) -> bool:
        """Row i ends with a photo credit ("… 记者 曾宪平 摄"), not a text one ("小阳 文 … 摄" is the article's)."""
        c = self.credit(i) or self.trail(i)
        return bool(c and c.photo and not c.text)

    def signature(self, i: int) -> str | None:
        """"□高 亢": a commentary's signature (a name, no role word)."""
        m = _SIG.match(self.text(i))
        if not m:
            return None
        name = despace(m.group(1))
        return name if 2 <= len(name) <= 4 and looks_like_name(name) and not self.credit(i) else None

    def is_title(self, i: int) -> bool:
        s = self.text(i)
        d = despace(s)
        p = self.profile
        if i in self.md:
            return True
        if not d or len(d) > p.title_max_chars or "。" in d:
            return False
        if self.dateline(i) or self.credit(i) or self.signature(i) or _PAREN_NOTE.match(d):
            return False
        if d[0] in p.brief_markers + p.caption_markers + p.numbered_markers + p.credit_markers:
            return False
        if d[-1] in _CLAUSE_END:
            return False
        if self._interview_line(d):
            return False  # "记者：您在村里驻了多久？": a question of an interview
        if d[-1] in "！？!?" and len(d) > 24:
            return False
        if any(c in d for c in "，,；;") and len(d) > 24:
            return False
        trail = self.trail(i)
        if trail is not None and (trail.start > 0 or trail.photo):
            return False  # a line closed by a credit ("…新画卷。 记者 曾宪平 摄")
        return True

    def _closes(self, i: int) -> bool:
        s = self.text(i)
        return ends_sentence(s) or bool(self.trail(i)) or bool(self.credit(i)) or bool(self.signature(i))

    def _gap(self, a: int, b: int) -> bool:
        """A blank line between rows a < b."""
        return any(self.blank(k) for k in range(a + 1, b)) or (
            self.lines[b].number - self.lines[a].last_number > 1 and b - a == 1)

    def _page_rows(self) -> set[int]:
        spans = [(p.start, p.end) for p in self.layout.pages]
        return {i for i in self.special if any(a <= self.lines[i].start and self.lines[i].end <= b for a, b in spans)}

    # ---- main -----------------------------------------------------------
    def run(self):
        units, others = self._walk()
        self._settle(units, others)
        return self._items(units, others)

    def _walk(self) -> tuple[list[_Unit], list[list[int]]]:
        units: list[_Unit] = []
        others: list[list[int]] = []
        st = _State()
        prev: int | None = None
        opened = "page"  # what the last break was: a page header, a label, a banner

        def flush():
            rows = (st.title or []) + (st.byline or []) + ([st.signature[0]] if st.signature else [])
            others.extend(self._groups(sorted(rows)))
            st.title = st.byline = None
            st.signature = None

        def start(i: int, reason: str, kind: str = "article") -> None:
            unit = _Unit(kind, [i], title=st.title or [], reason=reason)
            unit.byline = st.byline or []
            if st.signature:
                unit.signature, unit.kind = st.signature[1], "commentary"
            units.append(unit)
            st.cur, st.closed = unit, False
            st.title = st.byline = None
            st.signature = None

        for i in range(self.n):
            if self.blank(i):
                continue
            if i in self.special:  # a page header ends everything; a banner between title and body does not
                if i in self.page_rows:
                    flush()
                    st.brief_column = False
                else:  # a banner that names a column of briefs ("县区快讯") opens one
                    st.brief_column = self.profile.is_brief_column(despace(self.text(i)))
                st.cur, prev = None, None
                opened = "page" if i in self.page_rows else "banner"
                continue
            note = self._editor_note(i, prev, st)
            if note:  # an editor's note ("编者按：…") is no article, and leaves the title above it pending
                others.append([i])
                st.cur, prev = None, None
                st.note = note == "label"  # "【编者按】" alone: the paragraph under it is the note
                continue
            st.note = False
            if i in self.labels:
                flush()
                others.append([i])
                st.cur, prev = None, None
                opened = "after label"
                st.brief_column = self.profile.is_brief_column(despace(self.text(i)).lstrip(
                    self.profile.brief_markers + self.profile.credit_markers))
                continue
            s = self.text(i)
            if self.dateline(i) or self.profile.reprint_line.match(s):
                start(i, "dateline")
                st.closed = bool(self.trail(i))
                prev = i
                continue
            sig = self.signature(i)
            if sig:
                if st.cur is not None and not st.closed and st.cur.body and not st.pending():
                    st.cur.signature, st.cur.kind, st.closed = sig, "commentary", True  # signed at the end
                else:
                    st.signature = (i, sig)
                prev = i
                continue
            if len(s) <= 48 and self.profile.furniture.match(s):
                others.append([i])  # "责任编辑：王磊" under an article: page furniture that ends it
                if st.cur is not None:
                    st.closed = True
                prev = i
                continue
            credit = self.credit(i)
            if credit is not None:
                tagged = self._tagged(credit, i)
                if st.cur is not None and st.cur.body and (not st.closed or self._credit_continues(prev, i)) \
                        and not (st.pending() and not tagged):
                    if st.title:  # the title-like lines were the end of the body
                        st.cur.body += st.title
                        st.title = None
                    st.cur.body.append(i)
                    st.closed = True
                elif credit.names and (not tagged or (st.title and not credit.photo and self._text_follows(i))):
                    # a byline line printed before the body; under a title even one saying what was done
                    # ("■记者 蒋涛 通讯员 何丽 文/图"): no item is open for it to close
                    st.byline = (st.byline or []) + [i]
                else:
                    flush()
                    others.append([i])
                prev = i
                continue
            if self.is_title(i) and self._may_open(i, prev, st):
                st.title = (st.title or []) + [i]
                prev = i
                continue
            # a body line
            if st.pending():
                if st.title:
                    st.brief_column = False  # a titled item ends a column of briefs
                start(i, "title" if st.title else ("byline" if st.byline else "signature"))
            elif st.cur is None:
                start(i, opened if prev is None else "text")
            elif st.closed:
                start(i, "after credit")
            else:
                why = self._opens(i, prev, st)
                if why:
                    start(i, why)
                else:
                    st.cur.body.append(i)
            if st.brief_column and st.cur is not None and len(st.cur.body) == 1 and not st.cur.title:
                st.cur.kind = "brief"
            if self.trail(i):
                st.closed = True
            prev = i
        flush()
        return units, others

    def _editor_note(self, i: int, prev: int | None, st: _State) -> str | None:
        """"text" when row i is an editor's note ("编者按：今年以来…"), "label" when it only names one
        ("【编者按】"), "under" when it is the paragraph under such a label."""
        d = despace(self.text(i))
        if st.note and prev is None and len(d) >= MIN_BODY_CHARS and not self.dateline(i) and not self.credit(i):
            return "under"
        inner = d.lstrip("【[〖")
        for note in self.profile.editor_notes:
            if inner.startswith(note):
                rest = inner[len(note):]
                if not rest.lstrip("】]〗：:"):
                    return "label"
                if rest[:1] in "】]〗：:":
                    return "text"
        return None

    def _tagged(self, credit: CreditPhrase, i: int) -> bool:
        """A credit in parentheses or saying after the names what they did ("张三 摄", "李四 文/图")
        closes an item; a bare one ("记者 方力", "文/图 本报记者 邢哲") or one ending with a byline
        word ("本报记者 赵静 报道") may be a byline."""
        if credit.paren:
            return True
        # "本报记者 赵静 报道" may stand above a body as its byline
        tags = self.profile.byline_tags
        return credit.closing and not (tags and despace(self.text(i)).endswith(tags))

    def _credit_continues(self, prev: int | None, i: int) -> bool:
        """The second line of a credit ("本报记者 李震宇" / "通讯员 王飞超 摄"): right under the first, or
        after a blank line when the first says nothing of what was done (no "摄", no "文/图")."""
        if prev is None:
            return False
        first = self.credit(prev)
        return first is not None and (not self._gap(prev, i) or not self._tagged(first, prev))

    def _may_open(self, i: int, prev: int | None, st: _State) -> bool:
        """May title-like row i start (or continue) the title block of a new item?"""
        if self._led_like_next(i):
            return False  # "家园位置 洛宁县…" over "反映问题 村容整治…": the first of a run of led paragraphs
        if st.title:
            if len(st.title) >= MAX_TITLE_ROWS:
                return False
            # under flush-left titles, an indented line is the body's first paragraph ("  家园位置 …")
            return not (self.indented_bodies and self.indent[i] and not self.indent[st.title[-1]])
        if st.byline or st.signature:
            return False
        if st.cur is None or st.closed or not st.cur.body:
            return self._followed_by_body(i) or st.cur is None or st.closed
        if self.profile.intertitle.match(despace(self.text(i))):
            return False
        if prev is None or not self._closes(prev):
            return False
        if not (self._gap(prev, i) or self.gapless):
            return False
        if self._intertitle(i, st.cur):
            st.cur.intertitles += 1
            self.inner_titles.add(i)
            return False
        return self._followed_by_body(i)

    def _intertitle(self, i: int, cur: _Unit) -> bool:
        """Row i is a title inside the open article (an unnumbered 小标题), not the next item's.

        The article was opened by a dateline or a byline and has not been closed by a credit; row i
        is one short line followed by plain text (no dateline, byline or caption of its own); and it
        is one of several such lines in the article, about as long as the next (an article set off by
        小标题 has two or more, printed in parallel, while one title over plain text after a dated
        report is most often the next, undated item).
        When the article's byline was printed at its top, text ending with its own credit is another item.
        """
        signed = bool(cur.byline) or self._byline_paren(cur.body[0]) or (
            cur.reason == "dateline" and self._dateline_byline(cur.body[0]))
        if not (signed or cur.reason == "dateline") or not self._title_over_text(i):
            return False
        k = self._next_usable(i)
        if signed and self._credited_before_next_title(k):
            return False
        if cur.intertitles:
            return True
        # another one further down, before anything that would end the article
        while True:
            k = self._next_usable(k)
            if k is None or self.dateline(k) or self.credit(k) is not None or self.signature(k):
                return False
            if self.is_title(k):  # 小标题 come in parallel: of about the same length, no "地名：" in front
                a, b = despace(self.text(i)), despace(self.text(k))
                return (abs(len(a) - len(b)) <= MAX_INTERTITLE_SPREAD and not any(c in a + b for c in "：:")
                        and self._title_over_text(k))
            if self.trail(k) is not None:
                return False

    def _title_over_text(self, i: int) -> bool:
        """Row i is one short title line right over a paragraph of plain text that goes on with a story
        (it does not open with a news lead's date)."""
        if len(despace(self.text(i))) > MAX_INTERTITLE_CHARS:
            return False
        k = self._next_usable(i)
        if k is None or self.is_title(k) or self.dateline(k) or self.credit(k) or self.signature(k):
            return False
        d = despace(self.text(k))
        p = self.profile
        if len(d) < MIN_BODY_CHARS or d[:1] in p.brief_markers + p.caption_markers + p.numbered_markers:
            return False
        if p.news_lead.match(d):
            return False  # "日前，城关镇…", "11月12日，…": the lead of another report, not the article going on
        return not (self._byline_paren(k) or self.photo_end(k) or self._caption_end(k) is not None)

    def _byline_paren(self, i: int) -> bool:
        """Row i opens with a byline in parentheses naming a role ("（本报记者 程雪）清晨…")."""
        s = self.text(i)
        return s[:1] in "（(" and leading_byline_paren(s, self.profile) is not None

    def _dateline_byline(self, i: int) -> bool:
        """Row i opens with a dateline and a byline naming someone ("本报讯（记者 韩松涛）…")."""
        from etl.parse.bylines import match_dateline

        s = self.text(i)
        found = match_dateline(s, self.profile)
        if not found:
            return False
        pos = found[1]
        phrase = leading_paren(s, pos, self.profile) or inline_byline(s, pos, self.profile)
        return (phrase is not None and bool(phrase.names)) or bool(self.profile.reported_by.match(s, pos))

    def _text_follows(self, i: int) -> bool:
        """The row after row i is plain text: no title, dateline or credit."""
        k = self._next_usable(i)
        if k is None or self.is_title(k) or self.dateline(k) or self.credit(k) is not None:
            return False
        return len(despace(self.text(k))) >= MIN_BODY_CHARS

    def _credited_before_next_title(self, k: int) -> bool:
        """The paragraphs from row k on end with a credit before the next title, dateline or page."""
        while k is not None:
            if self.credit(k) is not None or self.trail(k) is not None:
                return True
            nxt = self._next_usable(k)
            if nxt is None or self.is_title(nxt) or self.dateline(nxt) or self.signature(nxt):
                return False
            k = nxt
        return False

    def _followed_by_body(self, i: int) -> bool:
        """The title block starting at row i is followed by a byline or a body worth an item."""
        k, titles = i, 0
        while k < self.n:
            if self.blank(k):
                k += 1
                continue
            if k in self.special and k not in self.page_rows:
                k += 1  # a banner between a title and its body
                continue
            if k in self.special or k in self.labels:
                return False
            if self.dateline(k) or self.signature(k):
                return True
            credit = self.credit(k)
            if credit is not None:
                return bool(credit.names) and not self._tagged(credit, k)
            if self.is_title(k) and titles < MAX_TITLE_ROWS:
                if self.indented_bodies and self.indent[k] and not self.indent[i]:
                    return True  # the body's first paragraph, indented
                titles += 1
                k += 1
                continue
            d = despace(self.text(k))
            long_enough = len(d) >= MIN_BODY_CHARS and not _PAREN_NOTE.match(d)
            return long_enough or self.photo_end(k) or self._interview_line(d)
        return False

    def _interview_line(self, d: str) -> bool:
        """d (spaces removed) opens with an interviewer's word and a colon ("记者：", "问：")."""
        words = self.profile.interview_speakers
        return d.startswith(words) and any(d.startswith(w + c) for w in words for c in "：:")

    def _opens(self, i: int, prev: int | None, st: _State) -> str | None:
        """Does body row i open a new item although the current one has not been closed?"""
        if prev is None or not self._closes(prev):
            return None
        d = despace(self.text(i))
        p = self.profile
        if d[:1] in p.brief_markers:
            return "marker"
        if d[:1] in p.caption_markers + p.numbered_markers and (
                self._caption_end(i) is not None or any(c in d for c in p.photo_cues)
                or despace(self.text(st.cur.body[0]))[:1] in p.caption_markers + p.numbered_markers + p.brief_markers):
            return "marker"  # a caption, or the next of a run of marked paragraphs ("▶…" / "▶…")
        gap = self._gap(prev, i) or self.gapless
        if gap and len(st.cur.body) > 1 and self._caption_end(i) is not None and (
                p.caption_opening.match(d) or any(c in d for c in p.photo_cues)):
            return "caption"
        if gap and len(st.cur.body) > 1 and len(d) <= MAX_CAPTION_CHARS and self._speaks_of_picture(d):
            return "caption"  # "…视察了6项工程。此图为代表视察水库的情景。": a caption with no photo credit
        if gap and self.indented_bodies and self.indent[prev] and not self.indent[i] and i not in self.inner_titles:
            return "indent"  # (a 小标题 is printed flush left too)
        if st.brief_column:
            return "brief column"
        return None

    def _speaks_of_picture(self, d: str) -> bool:
        """The paragraph's last sentence opens with a caption's words for its picture ("此图为…", "图为…")."""
        last = _SENTENCE_END.split(d.rstrip("。！？!?"))[-1]
        return last.startswith(self.profile.photo_cues)

    def _led_like_next(self, i: int) -> bool:
        """Row i opens with a short lead word and a space ("家园位置 洛宁县城郊乡冀庄村") like the paragraph
        under it ("反映问题 村容整治…"): both are paragraphs of one body, led by their topic."""
        m = _LEAD_WORD.match(self.lines[i].text.lstrip())  # as printed: clean text drops "问题回放 3月"'s space
        if not m:
            return False
        k = self._next_usable(i)
        if k is None or self.dateline(k) or self.credit(k) or self.is_title(k):
            return False
        n = _LEAD_WORD.match(self.lines[k].text.lstrip())
        return n is not None and len(n.group(1)) == len(m.group(1))

    def _caption_end(self, i: int) -> int | None:
        """Row i opens a photo caption: a short block of rows ending with a photo credit."""
        k, rows = i, 0
        last = i
        while k < self.n and rows < 3:
            if self.blank(k):
                k += 1
                continue
            if not self.usable(k) or (k != i and (self.dateline(k) or self.is_title(k))):
                return None
            if k != i and self._gap(last, k) and not self.credit(k):
                return None
            c = self.credit(k) or self.trail(k)
            if c is not None and c.photo and not c.text:  # a photo credit, not "文 … 摄"
                return k
            if k != i and self.credit(k):
                # a credit over two lines: "本报记者 李震宇" / "通讯员 王飞超 摄"
                nxt = k + 1
                c = self.credit(nxt) if nxt < self.n and self.usable(nxt) else None
                return nxt if c is not None and c.photo and not c.text else None
            rows += 1
            last = k
            k += 1
        return None

    def _body_text(self, idx: list[int], texts: list[str]) -> str:
        """One paragraph per line, except a line that ends mid-sentence (a column break in a
        markdown dump) goes on in the next; a credit line is a paragraph of its own, its
        second line ("通讯员 王飞超 摄") joined to it."""
        paras: list[list[str]] = []
        for p, i in enumerate(idx):
            t = texts[p]
            if paras:
                prev = idx[p - 1]
                credit, prev_credit = self.credit(i) is not None, self.credit(prev) is not None
                if credit and prev_credit and self._credit_continues(prev, i):
                    paras[-1].append(" " + t)
                    continue
                if not (credit or prev_credit or ends_sentence(self.text(prev)) or i in self.md):
                    paras[-1].append(t)
                    continue
            paras.append([t])
        return "\n".join(join_lines(p) for p in paras)

    # ---- after the walk ---------------------------------------------------
    def _settle(self, units: list[_Unit], others: list[list[int]]) -> None:
        for u in units:
            u.kind = self._kind(u)
        for a, b in zip(units, units[1:]):
            # a title printed above a photo caption that stands right before an untitled article:
            # the title is the article's ("清明假期头两日…" / "王城公园内…摄" / "本报讯…")
            if (a.kind == "photo" and a.title and not b.title and b.reason == "dateline" and len(a.body) == 1
                    and b.body[0] == self._next_usable(a.body[-1])):
                b.title, a.title = a.title, []
        # a title over several untitled photos is the group's label, no photo's headline
        for k, u in enumerate(units):
            if u.kind != "photo" or not u.title:
                continue
            following = 0
            for v in units[k + 1:]:
                if v.kind != "photo" or v.title or self._page_between(u.body[-1], v.body[0]):
                    break
                following += 1
            if following:
                others.append(u.title)
                u.title = []

    def _kind(self, u: _Unit) -> str:
        first = despace(self.text(u.body[0]))
        if u.kind == "commentary":
            return u.kind
        if u.kind == "brief" and first[:1] not in self.profile.numbered_markers + self.profile.caption_markers:
            return u.kind
        if first[:1] in self.profile.brief_markers:
            return "brief"
        if u.reason == "dateline" or self.dateline(u.body[0]):
            return "article"
        last = u.body[-1]
        if self.photo_end(last):
            return "photo"
        chars = sum(len(despace(self.text(i))) for i in u.body)
        if chars <= 400 and any(c in first[:12] or c in first for c in self.profile.photo_cues):
            return "photo"
        if first[:1] in self.profile.numbered_markers + self.profile.caption_markers and chars <= 400:
            # an arrow-marked paragraph that speaks of no picture ("▶县气象台发布…") is a brief
            cues = self.profile.photo_cues
            if first[:1] in self.profile.numbered_markers or any(c in self.text(i) for i in u.body for c in cues):
                return "photo"
            return "brief"
        return "article"

    def _next_usable(self, i: int) -> int | None:
        for k in range(i + 1, self.n):
            if self.usable(k):
                return k
            if not self.blank(k):
                return None
        return None

    def _page_between(self, a: int, b: int) -> bool:
        return any(k in self.page_rows or k in self.labels for k in range(a + 1, b))

    # ---- titles -----------------------------------------------------------
    def _title_parts(self, idx: list[int]) -> tuple[str | None, str | None, str | None]:
        """Kicker (引题), headline (主题) and subheadline (副题) of a title block printed before its body."""
        if not idx:
            return None, None, None
        texts = [self.text(i) for i in idx]
        texts = [t for t in texts if despace(t)]
        subs = [t for t in texts if t.startswith("—")]
        rest = [t for t in texts if not t.startswith("—")]
        sub = join_lines(subs) or None
        kickers: list[str] = []
        while len(rest) > 1 and rest[0][-1:] in "：:—":
            kickers.append(rest.pop(0))  # "新华网载文:", "451个征迁户将陆续得到…——"
        if not rest:
            return (join_lines(kickers) or None), None, sub
        if len(rest) == 1:
            return (join_lines(kickers) or None), rest[0], sub
        a, b = rest[0], rest[1]
        how = _pair(a, b)
        if how == "joined":
            head, more = join_lines([a, b]), rest[2:]
            if more and not sub:
                sub = join_lines(more)
            elif more:
                kickers.append(head)
                head = join_lines(more)
            return (join_lines(kickers) or None), head, sub
        if how == "sub" and len(rest) == 2:
            return (join_lines(kickers) or None), a, join_lines([b] + subs) or None
        # kicker, headline (, subheadline)
        kickers.append(a)
        head = b
        if len(rest) > 2:
            more = rest[2:]
            if len(more) == 1 and _pair(b, more[0]) == "joined":
                head = join_lines([b, more[0]])
            elif not sub:
                sub = join_lines(more)
            else:
                head = join_lines([b] + more)
        return join_lines(kickers), head, sub


def _pair(raw_a: str, raw_b: str) -> str:
    """How two title lines relate: "kicker" (a leads into b), "sub" (b explains a) or "joined" (one title)."""
    a, b = despace(raw_a), despace(raw_b)
    if a[-1:] in "：:" or a.endswith(("说", "称", "表示", "指出", "认为")):
        return "kicker"
    if len(a) == len(b) <= 12:
        return "joined"  # a couplet: "添些粮油，献些爱心" / "备好年货，过个好年"
    colon_a = any(c in a[:-1] for c in "：:")
    colon_b = any(c in b for c in "：:")
    if colon_a and not colon_b:
        return "joined"  # "梅村：引导居民" / "将环保理念化作行动"
    if len(a) <= 6:
        return "kicker"  # a place or a column: "瀍河回族区", "报道回音"
    if colon_b:
        return "kicker"
    if re.search(r"\S\s+\S", raw_b.strip()):
        return "kicker"  # a slogan set with spaces: "动员群众 自力更生 重建家园"
    if len(b) >= len(a) and re.search(r"\d", b):
        return "sub"  # figures explain the title: "艺术节送戏到基层" / "十多个剧团为6万多观众演出11场"
    if len(a) >= 16 and len(b) < len(a):
        return "sub"
    return "kicker"


def _split_title_lines(lines: tuple[Line, ...], layout: PageLayout, profile: Profile) -> tuple[Line, ...]:
    """Read a line holding a title and a caption set apart by wide spaces as two lines."""
    out: list[Line] = []
    for ln in lines:
        m = _WIDE_GAP.search(ln.text.strip()) if ln.clean and ln.number not in layout.header_lines else None
        if m:
            lead = len(ln.text) - len(ln.text.lstrip())
            a, b = lead + m.start(), lead + m.end()
            left, right = ln.text[lead:a], ln.text[b:]
            dl, dr = despace(left), despace(right)
            if (2 <= len(dl) <= 24 and len(dr) >= MIN_BODY_CHARS and not any(c in dl for c in "。，,；;")
                    and ends_sentence(right.rstrip()) and not profile.dateline.match(dl)
                    and not credit_line(left, profile) and dl[0] not in profile.brief_markers + profile.caption_markers):
                out.append(Line(ln.number, ln.start, ln.start + a, ln.text[:a], clean_text(ln.text[:a]), ln.last))
                out.append(Line(ln.number, ln.start + b, ln.end, right, clean_text(right), ln.last))
                continue
        out.append(ln)
    return tuple(out)
