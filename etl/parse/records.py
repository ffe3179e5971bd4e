"""Frozen records the parse layer produces.

Offsets: ``start``/``end`` are character offsets (end exclusive) into the
decoded text of the file, after the BOM is dropped and line endings are
normalized to ``\\n``; ``line``/``line_start``/``line_end`` are 1-based line
numbers, which are the same in the raw file whatever its line endings.
Offsets of credits and mentions are relative to the field they were found in
(``Item.body`` or ``Item.headline``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

ITEM_KINDS = ("article", "brief", "photo", "commentary", "other")
CREDIT_ROLES = ("reporter", "correspondent", "trainee_reporter", "photographer", "author", "credit")
MENTION_ROLES = CREDIT_ROLES + ("mentioned",)
ENTITY_KINDS = ("person", "organization", "place")


@dataclass(frozen=True)
class DecodedText:
    """The text of one file and how it was decoded."""

    text: str  # BOM dropped, line endings normalized to "\n"
    encoding: str  # codec name as Python knows it, e.g. "utf-8", "utf-8-sig", "gb18030", "utf-16"
    newline: str  # the line ending the file used: "\n", "\r\n" or "\r"


@dataclass(frozen=True)
class Line:
    number: int  # 1-based
    start: int
    end: int  # offset of the end of the line's text (before "\n")
    text: str
    clean: str = ""  # the text normalized by etl.parse.clean (spaced-out characters joined, stripped)
    last: int = 0  # the last line of the file it covers, when a paragraph wrapped at a fixed width was joined

    @property
    def blank(self) -> bool:
        return not self.clean

    @property
    def last_number(self) -> int:
        return self.last or self.number


@dataclass(frozen=True)
class PageHeader:
    """A printed page header (masthead line, page label and section line, staff line)."""

    index: int  # 0-based order in the file
    newspaper: str | None  # as printed, e.g. "JIAOZUO DAILY"
    page_label: str | None  # "A08"
    section: str | None  # "温县新闻"
    date: dt.date | None
    weekday: str | None  # "星期二"
    editor: str | None
    proofreader: str | None
    layout_editor: str | None
    hotline: str | None
    line: int  # first line of the header
    start: int
    end: int


@dataclass(frozen=True)
class SectionBanner:
    """A section name printed alone, without a full page header (高新区动态)."""

    text: str
    line: int
    start: int
    end: int


@dataclass(frozen=True)
class Credit:
    """A person credited for an item: byline, trailing credit, photo credit, signature."""

    name: str
    role: str  # one of CREDIT_ROLES
    start: int  # offsets in the field: Item.body, or Item.byline for a signature printed outside the body
    end: int
    field: str = "body"  # "body" or "byline"


# Why the parser doubts an item: code -> (中文, English). Stored with the article (article.warnings).
WARNING_MESSAGES: dict[str, tuple[str, str]] = {
    "second_dateline": ("正文中还有一个电头，可能是两篇稿件", "a second dateline inside the body: two articles?"),
    "second_byline": ("正文中还有一处署名，可能是两篇稿件", "a second byline or credit inside the body: two articles?"),
    "title_in_body": ("正文中有一行像标题，可能是下一篇的标题或小标题",
                      "a title-like line inside the body: the next article's title, or an intertitle?"),
    "no_headline": ("稿件没有标题", "an article without a headline"),
    "long_item": ("稿件很长，可能包含几篇稿件", "a very long item: several articles?"),
    "cut_item": ("一篇过长的稿件在句末切开，这是其中一部分", "part of an item too long to be one, cut at a sentence end"),
}


@dataclass(frozen=True)
class ItemWarning:
    """A reason to check an item by hand: a code of WARNING_MESSAGES and the line it concerns."""

    code: str
    line: int  # 1-based line of the file
    detail: str = ""  # the text concerned, shortened

    @property
    def message(self) -> str:
        zh, en = WARNING_MESSAGES[self.code]
        where = f"第{self.line}行" + (f"「{self.detail}」" if self.detail else "")
        return f"{zh}（{where}） / {en} (line {self.line})"


@dataclass(frozen=True)
class Mention:
    """An entity named in an item's headline or body."""

    kind: str  # one of ENTITY_KINDS
    surface: str  # the text as printed, whitespace removed
    field: str  # "body" or "headline"
    start: int  # offsets in that field
    end: int
    role: str = "mentioned"  # one of MENTION_ROLES
    title: str | None = None  # the title printed before a person's name


@dataclass(frozen=True)
class Item:
    """One piece of content on a page: article, brief, photo caption, commentary, other."""

    seq: int  # 1-based, in the order the body starts in the file
    kind: str  # one of ITEM_KINDS
    page_index: int | None  # index into ParsedDocument.pages, None when the file has no header
    section: str | None
    headline: str | None
    kicker: str | None
    subheadline: str | None
    dateline: str | None  # "本报讯" when the body opens with it
    byline: str | None  # the byline as printed, e.g. "（记者郭树勋 通讯员孙璐）"
    event_date: dt.date | None
    body: str  # line wrapping undone, paragraphs separated by "\n"; keeps dateline/byline and credit
    start: int  # span of the body in the decoded text
    end: int
    line_start: int
    line_end: int
    credits: tuple[Credit, ...] = ()
    mentions: tuple[Mention, ...] = ()
    signature: str | None = None  # a commentary's "□" signature as printed (whitespace removed), not in body
    reason: str = ""  # why the item starts where it does: dateline, title, marker, caption, after credit, …
    warnings: tuple[ItemWarning, ...] = ()

    @property
    def persons(self) -> list[str]:
        """Distinct persons named in the headline or body, in order of appearance."""
        return _distinct(m.surface for m in self.mentions if m.kind == "person" and m.role == "mentioned")

    @property
    def organizations(self) -> list[str]:
        return _distinct(m.surface for m in self.mentions if m.kind == "organization")

    @property
    def places(self) -> list[str]:
        """Distinct places, one name each: a place printed both short and in full (孟州, 孟州市) is
        listed by its full name. The mentions keep what was printed."""
        names = _distinct(m.surface for m in self.mentions if m.kind == "place")
        full = set(names)
        return [n for n in names if not any(n + level in full for level in _LEVELS)]


_LEVELS = ("省", "市", "县", "区")  # 河南 / 河南省, 孟州 / 孟州市, 山阳 / 山阳区: one place printed two ways


@dataclass(frozen=True)
class ParsedDocument:
    """Everything the parse layer made of one file."""

    source: str  # the file name (or "<stdin>")
    encoding: str
    newline: str
    pages: tuple[PageHeader, ...]
    banners: tuple[SectionBanner, ...]
    items: tuple[Item, ...]
    date: dt.date | None  # the page date from a header, else inferred from the text, else None
    date_from_text: bool = False  # True when ``date`` was inferred, not printed in a header
    warnings: tuple[str, ...] = field(default=())  # every doubt about the file, for `parse` and the export
    date_warnings: tuple[str, ...] = field(default=())  # of those, printed dates that are wrong: the loader reports them
    profile: str = "default"  # the genre profile the file was read with (etl/parse/profile.py)


def _distinct(values) -> list[str]:
    seen: dict[str, None] = {}
    for v in values:
        seen.setdefault(v, None)
    return list(seen)
