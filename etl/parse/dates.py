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

from etl.parse.records import Item, PageHeader

_DATE = re.compile(r"(去年|今年|前年)?(?:((?:19|20)\d{2})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年(?!度)")
_YEAR_PERIOD = re.compile(r"((?:19|20)\d{2})\s*年度")
_LEAD = re.compile(r"^(?:本报讯)?\s*(?:[（(][^（()）]{0,40}[）)])?\s*(?:新华社记者)?")
WINDOW = 100  # characters after the dateline in which the event date must appear


def attach_dates(items: tuple[Item, ...], pages: tuple[PageHeader, ...]):
    """Return (items with event_date, document date, date inferred from text?, warnings)."""
    warnings: list[str] = []
    page_date = next((p.date for p in pages if p.date), None)
    from_text = False
    year = page_date.year if page_date else _infer_year(items)
    out = []
    for it in items:
        ref = None
        if it.page_index is not None and it.page_index < len(pages):
            ref = pages[it.page_index].date
        ref = ref or page_date
        out.append(replace(it, event_date=_event_date(it, ref, year)))
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


def _infer_year(items: tuple[Item, ...]) -> int | None:
    text = "\n".join(it.body for it in items)
    years = [int(y) for y in _YEAR.findall(text)]
    if years:
        return max(years)
    periods = [int(y) for y in _YEAR_PERIOD.findall(text)]
    return max(periods) + 1 if periods else None


def _event_date(it: Item, ref: dt.date | None, year: int | None) -> dt.date | None:
    if it.kind in ("other", "commentary"):
        return None
    body = it.body
    lead = _LEAD.match(body)
    start = lead.end() if lead else 0
    for m in _DATE.finditer(body, start, start + WINDOW + 20):
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
    return None
