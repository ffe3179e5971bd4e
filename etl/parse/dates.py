"""Stage 6: items -> items with event dates, and the document date.

The page date comes from the page header. Without one, the year is inferred
from the text (the latest year written "2024年", not counting "2023年度" which
names a past period). An item's event date is the first month/day written near
the start of its body ("1月7日下午", "2022年12月23日", "去年3月15日"), resolved
against the page date: a month/day later than the page date (plus a week)
belongs to the year before.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

from etl.parse.profile import Profile, default_profile
from etl.parse.records import Item, PageHeader

_DATE = re.compile(r"(去年|今年|前年)?(?:((?:19|20)\d{2})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年(?!度)")
_YEAR_PERIOD = re.compile(r"((?:19|20)\d{2})\s*年度")
_LEAD = re.compile(r"^(?:本报讯)?\s*(?:[（(][^（()）]{0,40}[）)])?\s*(?:新华社记者)?")
WINDOW = 100  # characters after the dateline in which the event date must appear


def attach_dates(items: tuple[Item, ...], pages: tuple[PageHeader, ...], profile: Profile | None = None):
    """Return (items with event_date, document date, date inferred from text?, warnings).

    An item's year comes from its own page's date: the page it is printed on, or
    the page header last printed before it (the first one, for items above it).
    Only a file without any page header falls back on the year written in its text.
    """
    profile = profile or default_profile()
    warnings: list[str] = []
    page_date = next((p.date for p in pages if p.date), None)
    from_text = False
    year = None if pages else _infer_year(items)
    out = []
    for it in items:
        if it.kind in ("other", "commentary"):
            out.append(it)  # no event date
            continue
        date = _event_date(it, _page_date(it, pages), year, _lead_end(it, profile), profile)
        out.append(replace(it, event_date=date) if date is not None else it)
    doc_date = page_date
    if doc_date is None and year is not None:
        from_text = True
        dated = [it.event_date for it in out if it.event_date and it.event_date.year == year]
        doc_date = max(dated) if dated else None
        if doc_date is None:
            warnings.append(f"no page header: year {year} inferred from the text, no full date")
    if not pages:
        warnings.append("no page header found")
    return tuple(out), doc_date, from_text, warnings


def _page_date(it: Item, pages: tuple[PageHeader, ...]) -> dt.date | None:
    if it.page_index is not None and it.page_index < len(pages):
        return pages[it.page_index].date
    before = [p for p in pages if p.line <= it.line_start]
    # before any header: the file's first header, printed further down the same sheet
    return before[-1].date if before else (pages[0].date if pages else None)


def _lead_end(it: Item, profile: Profile) -> int:
    """Where the body's text starts, after the dateline and the byline printed in it."""
    body = it.body
    end = 0
    if it.dateline:  # the body opens with it (spaces aside): step over as many visible characters
        seen, want = 0, len(it.dateline)
        for k, c in enumerate(body[:want * 3]):
            if not c.isspace():
                seen += 1
                if seen == want:
                    end = k + 1
                    break
    if it.byline:
        pos = body.find(it.byline, end, end + 80)
        if pos >= 0:
            end = pos + len(it.byline)
    lead = _LEAD.match(body, end)
    return lead.end() if lead else end


def _infer_year(items: tuple[Item, ...]) -> int | None:
    text = "\n".join(it.body for it in items)
    years = [int(y) for y in _YEAR.findall(text)]
    if years:
        return max(years)
    periods = [int(y) for y in _YEAR_PERIOD.findall(text)]
    return max(periods) + 1 if periods else None


def _event_date(it: Item, ref: dt.date | None, year: int | None, start: int, profile: Profile) -> dt.date | None:
    if it.kind in ("other", "commentary"):
        return None
    body = it.body
    relative = None
    if ref is not None:  # a day named relative to the page date, before the first date written out
        first = _DATE.search(body, start, start + WINDOW + 20)
        relative = _relative_date(it, body, start, first.start() if first else start + WINDOW, ref)
    for m in _DATE.finditer(body, start, start + WINDOW + 20):
        if relative is not None and relative[0] < m.start():
            return relative[1]
        if m.start() - start > WINDOW:
            break
        before = body[:m.start()]
        if before.count("《") > before.count("》"):
            continue  # inside a document title
        rel, y, mo, d = m.groups()
        month, day = int(mo), int(d)
        if y:
            yy = int(y)
        elif ref is not None:
            yy = ref.year
        elif year is not None:
            yy = year
        else:
            return None
        if rel == "去年" and not y:
            yy -= 1
        elif rel == "前年" and not y:
            yy -= 2
        try:
            date = dt.date(yy, month, day)
        except ValueError:
            continue
        if not y and not rel and ref is not None and date > ref + dt.timedelta(days=7):
            try:
                date = dt.date(yy - 1, month, day)
            except ValueError:
                continue
        return date
    return relative[1] if relative else None


_CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_NUM = r"(?:\d{1,2}|[一二三四五六七八九十廿卅]{1,3})"
# "昨日", "今天上午", "本月九日", "22日，…" (a day with no month: this month, or the last)
_RELATIVE = re.compile(rf"(昨日|昨天|今天|今日|前天|前日)|本月({_NUM})日|(?<![月\d一二三四五六七八九十、至到\-—~～])(\d{{1,2}})日(?![、至到\-—~～])")
_DATELINE_DAY = re.compile(rf"({_NUM})月({_NUM})日")
_OFFSET = {"昨日": -1, "昨天": -1, "今天": 0, "今日": 0, "前天": -2, "前日": -2}


def _cn_number(s: str) -> int | None:
    if s.isdigit():
        return int(s)
    s = s.replace("廿", "二十").replace("卅", "三十")
    if "十" in s:
        tens, _, ones = s.partition("十")
        value = (_CN_DIGITS.get(tens, 0) if tens else 1) * 10 + (_CN_DIGITS.get(ones, 0) if ones else 0)
        return value if all(c in _CN_DIGITS for c in tens + ones) else None
    return _CN_DIGITS.get(s) if len(s) == 1 else None


def _relative_date(it: Item, body: str, start: int, stop: int, ref: dt.date) -> tuple[int, dt.date] | None:
    """The first day named relative to the page date (or to the dateline's date, when it gives one)."""
    m = _RELATIVE.search(body, start, stop)
    if not m:
        return None
    base = ref
    d = _DATELINE_DAY.search(it.dateline or "")
    if d:
        month, day = _cn_number(d.group(1)), _cn_number(d.group(2))
        try:
            base = dt.date(ref.year - (1 if month and month > ref.month else 0), month or 0, day or 0)
        except ValueError:
            base = ref
    try:
        if m.group(1):
            return m.start(), base + dt.timedelta(days=_OFFSET[m.group(1)])
        day = _cn_number(m.group(2) or m.group(3))
        if not day:
            return None
        if day <= base.day or m.group(2):
            return m.start(), base.replace(day=day)
        previous = base.replace(day=1) - dt.timedelta(days=1)
        return m.start(), previous.replace(day=day)
    except ValueError:
        return None
