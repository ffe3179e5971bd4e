"""The pure parse layer: bytes of one dump in, a ParsedDocument out.

Stages, each a module with one public entry function:
decode (bytes -> DecodedText) -> clean (text -> lines) -> pages (page headers,
section banners) -> segment (items with headlines) -> bounds (items too long
to be one cut into parts) -> bylines (datelines,
bylines, credits) -> dates (event dates) -> entities (persons, organizations,
places). Nothing here imports the database layer (a test checks it).
"""

from __future__ import annotations

import os
import re

from etl.parse.profile import Profile
from etl.parse.records import ParsedDocument


def parse_bytes(data: bytes, source: str, *, newspaper: str | None = None,
                profile: Profile | str | os.PathLike | None = None) -> ParsedDocument:
    """Parse the raw bytes of one file. Raises etl.errors.InputFileError on undecodable input.

    ``newspaper`` and ``profile`` choose the genre profile (etl/parse/profile.py).
    """
    from etl.parse.decode import decode_bytes

    decoded = decode_bytes(data, source)
    _require_chinese_text(decoded.text, source)
    return parse_text(decoded.text, source, decoded.encoding, decoded.newline, newspaper=newspaper, profile=profile)


def warm_up() -> None:
    """Load the dictionaries and the model the parser uses (seconds, once per process), so that
    the time a file takes to parse is the file's own."""
    from etl.parse import entities, lac

    entities._jieba()
    entities._rjieba()
    lac.available()


def clear_caches() -> None:
    """Forget what the recognizers cached from earlier documents, so a benchmark reads text cold."""
    from etl.parse import lac

    lac.clear_cache()


# A Chinese newspaper dump is mostly Chinese characters; an English README or
# a CSV export that was dropped in the folder is not one.
MIN_CJK_CHARS = 20
MIN_CJK_SHARE = 0.2
_SPACE = re.compile(r"\s+")  # the characters str.isspace() counts


def _require_chinese_text(text: str, source: str) -> None:
    from etl.errors import InputFileError
    from etl.parse.lexicon import CJK_RE

    cjk = len(CJK_RE.findall(text))
    visible = len(_SPACE.sub("", text))
    if cjk < MIN_CJK_CHARS or cjk < MIN_CJK_SHARE * visible:
        raise InputFileError(source, f"not a Chinese newspaper text dump: {cjk} Chinese characters "
                                     f"in {visible} non-blank characters")


def parse_text(text: str, source: str = "<text>", encoding: str = "utf-8", newline: str = "\n", *,
               entities: bool = True, newspaper: str | None = None,
               profile: Profile | str | os.PathLike | None = None) -> ParsedDocument:
    """Parse already decoded text (``entities=False`` stops before entity recognition)."""
    from etl.parse.bounds import split_long_items
    from etl.parse.bylines import attach_bylines
    from etl.parse.clean import split_lines
    from etl.parse.dates import attach_dates
    from etl.parse.entities import attach_entities
    from etl.parse.pages import find_pages
    from etl.parse.profile import select_profile
    from etl.parse.segment import segment

    if text.startswith("\ufeff"):
        text = text[1:]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not isinstance(profile, Profile):
        profile = select_profile(text, newspaper, profile)
    lines = split_lines(text)
    layout = find_pages(lines, profile)
    items = split_long_items(segment(lines, layout, profile), text, lines)
    items = attach_bylines(items, profile)
    items, date, from_text, warnings = attach_dates(items, layout.pages, profile)
    if entities:
        items = attach_entities(items)
    return ParsedDocument(
        source=source, encoding=encoding, newline=newline, pages=layout.pages, banners=layout.banners,
        items=items, date=date, date_from_text=from_text, warnings=(*layout.warnings, *warnings),
        date_warnings=layout.warnings, profile=profile.name,
    )
