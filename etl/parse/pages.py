"""Stage 3: lines -> page headers and section banners.

A page header is up to three lines: a masthead ("JIAOZUO DAILY"), a page line
("A08│温县新闻2023年1月10日 星期二") and a staff line
("■新闻热线：8797000│■编辑：刘振毅│校对：姬 祥│组版：牛成文"). A file may hold
several (regional editions sharing one page label). A section banner is a
section name printed alone ("高新区动态", "示范区强音").
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from etl.parse.lexicon import BANNER_RE, MASTHEAD_RE, PAGE_LABEL_RE, STAFF_KEYS, STAFF_LINE_RE, WS_RE
from etl.parse.records import Line, PageHeader, SectionBanner


@dataclass(frozen=True)
class PageLayout:
    pages: tuple[PageHeader, ...]
    banners: tuple[SectionBanner, ...]
    header_lines: frozenset[int]  # line numbers used by page headers (and banners)
    warnings: tuple[str, ...] = ()  # dates in headers that are impossible or implausible


# A printed page date before this year is kept but flagged (the oldest Chinese dailies are
# from the 1870s; a typo is likelier); one after next year is no date at all.
EARLIEST_PLAUSIBLE_YEAR = 1900


def page_date(year: str, month: str, day: str, line: int, today: dt.date | None = None) -> tuple[dt.date | None, str | None]:
    """The date a page header prints, and a warning when it is impossible (2月30日) or implausible."""
    printed = f"{year}年{month}月{day}日"
    try:
        date = dt.date(int(year), int(month), int(day))
    except ValueError:
        return None, f"line {line}: page date {printed} is not a date; the page has no date"
    latest = (today or dt.date.today()).year + 1
    if date.year > latest:
        return None, f"line {line}: page date {printed} is in the future; the page has no date"
    if date.year < EARLIEST_PLAUSIBLE_YEAR:
        return date, f"line {line}: page date {printed} is unusually early; check the header"
    return date, None


def find_pages(lines: tuple[Line, ...]) -> PageLayout:
    """Find page headers and section banners; report which lines they use."""
    pages: list[PageHeader] = []
    banners: list[SectionBanner] = []
    warnings: list[str] = []
    used: set[int] = set()
    n = len(lines)
    for i, line in enumerate(lines):
        m = PAGE_LABEL_RE.match(line.clean)
        if not m or line.number in used:
            continue
        first = i
        newspaper = None
        j = _prev_nonblank(lines, i)
        if j is not None and i - j <= 2 and MASTHEAD_RE.match(lines[j].clean):
            first, newspaper = j, lines[j].clean
        staff: dict[str, str] = {}
        last = i
        k = _next_nonblank(lines, i)
        if k is not None and k - i <= 2 and STAFF_LINE_RE.search(lines[k].clean):
            staff = _staff(lines[k].text)
            last = k
        label, section, y, mo, d, weekday = m.groups()
        date, warning = page_date(y, mo, d, line.number)
        if warning:
            warnings.append(warning)
        for ln in lines[first:last + 1]:
            used.add(ln.number)
        pages.append(PageHeader(
            index=len(pages), newspaper=newspaper, page_label=label, section=WS_RE.sub("", section) or None,
            date=date, weekday=weekday, editor=staff.get("editor"), proofreader=staff.get("proofreader"),
            layout_editor=staff.get("layout_editor"), hotline=staff.get("hotline"),
            line=lines[first].number, start=lines[first].start, end=lines[last].end,
        ))
    for i, line in enumerate(lines):
        text = WS_RE.sub("", line.clean)
        if line.number in used or not text or not BANNER_RE.match(text):
            continue
        banners.append(SectionBanner(text=text, line=line.number, start=line.start, end=line.end))
        used.add(line.number)
    return PageLayout(tuple(pages), tuple(banners), frozenset(used), tuple(warnings))


def _staff(text: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for part in re.split(r"[│|｜丨]", text):
        part = part.strip().lstrip("■□◆●").strip()
        m = re.match(r"^([^：:]{1,6})[：:]\s*(.+)$", part)
        if not m:
            continue
        key = STAFF_KEYS.get(WS_RE.sub("", m.group(1)))
        if key and key not in out:
            out[key] = WS_RE.sub("", m.group(2))
    return out


def _prev_nonblank(lines, i):
    for j in range(i - 1, max(-1, i - 4), -1):
        if lines[j].clean:
            return j
    return None


def _next_nonblank(lines, i):
    for k in range(i + 1, min(len(lines), i + 4)):
        if lines[k].clean:
            return k
    return None
