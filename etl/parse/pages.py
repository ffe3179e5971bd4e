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


def find_pages(lines: tuple[Line, ...]) -> PageLayout:
    """Find page headers and section banners; report which lines they use."""
    pages: list[PageHeader] = []
    banners: list[SectionBanner] = []
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
        try:
            date = dt.date(int(y), int(mo), int(d))
        except ValueError:
            date = None
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
    return PageLayout(tuple(pages), tuple(banners), frozenset(used))


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
