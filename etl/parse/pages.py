"""Stage 3: lines -> page headers and section banners.

What a page header looks like comes from the profile (``[pages]``): a page-label
line ("A08│温县新闻2023年1月10日 星期二", "第A07版:明光新闻", "002版:要闻·综合",
"1998年2月9日人民日报 第1版", "日期:[2015年12月01日] -- 菏泽日报 -- 版次:[A1]"), with
a date line next to it ("2020年09月28日", "2008 年 12 月 3 日 星期"), a Latin masthead
above it ("JIAOZUO DAILY") and a staff line below it
("■新闻热线：8797000│■编辑：刘振毅│校对：姬 祥│组版：牛成文"). A file may hold
several. A block header that repeats the page's label ("第1版(要闻)") is no new
page; a column line under it ("专栏:新闻简报") names a section. A section banner
is a section name printed alone ("高新区动态", "示范区强音").
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from etl.parse.lexicon import TERMINAL, WS_RE
from etl.parse.profile import Profile, default_profile
from etl.parse.records import Line, PageHeader, SectionBanner

NEAR = 2  # a date line, masthead or staff line belongs to a label at most this many lines away


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
    printed = f"{int(year)}年{int(month)}月{int(day)}日"
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


@dataclass
class _Label:
    index: int  # line index
    label: str | None
    section: str | None
    date: dt.date | None
    weekday: str | None
    paper: str | None
    repeats: bool


def find_pages(lines: tuple[Line, ...], profile: Profile | None = None) -> PageLayout:
    """Find page headers and section banners; report which lines they use."""
    profile = profile or default_profile()
    labels: dict[int, _Label] = {}
    dates: dict[int, tuple[dt.date | None, str | None]] = {}
    warnings: dict[int, str] = {}  # line index -> what is wrong with the date printed there
    hint, any_label, date_line = profile.label_hint, profile.any_page_label, profile.date_line
    for i, line in enumerate(lines):
        text = line.clean
        if not text or len(text) > 80:
            continue
        if text[0] in "【[〖" and text[-1] in "】]〗":
            text = text[1:-1].strip()  # "【第A01版：要闻】"
        if (hint is None or hint.search(text)) and any_label.match(text):
            found = _label(i, text, profile, line.number)
            if found:
                labels[i], warning = found
                if warning:
                    warnings[i] = warning
                continue
        m = date_line.match(text)
        if m:
            date, warning = _date(m, line.number)
            dates[i] = (date, _weekday(m))
            if warning:
                warnings[i] = warning

    used: set[int] = set()  # line indices
    pages: list[dict] = []
    for i in sorted(labels):
        lab = labels[i]
        if i in used:
            continue
        current = pages[-1] if pages else None
        if lab.repeats and current is not None and current["page_label"] == lab.label and lab.date is None:
            used.add(i)  # the block header of a page already open: it may name the section
            if not current["section"] and lab.section:
                current["section"] = lab.section
            continue
        first = last = i
        date, weekday = lab.date, lab.weekday
        if date is None:
            for j in (_prev_nonblank(lines, i), _next_nonblank(lines, i)):
                if j is not None and j in dates and j not in used and abs(j - i) <= NEAR:
                    date, weekday = dates[j]
                    first, last = min(first, j), max(last, j)
                    used.add(j)
                    break
        newspaper = lab.paper
        j = _prev_nonblank(lines, first)
        if j is not None and first - j <= NEAR and j not in labels and profile.masthead.match(lines[j].clean):
            first, newspaper = j, lines[j].clean
        staff: dict[str, str] = {}
        k = _next_nonblank(lines, last)
        if k is not None and k - last <= NEAR and k not in labels and profile.staff_line.search(lines[k].clean):
            staff = _staff(lines[k].text, profile)
            last = k
        used.update(range(first, last + 1))
        pages.append(dict(
            newspaper=newspaper, page_label=lab.label, section=lab.section, date=date, weekday=weekday,
            editor=staff.get("editor"), proofreader=staff.get("proofreader"),
            layout_editor=staff.get("layout_editor"), hotline=staff.get("hotline"),
            line=lines[first].number, start=lines[first].start, end=lines[last].end, first=first))
    # a date line alone (no label near) heads a page of its own, where it stands like a header
    for j, (date, weekday) in dates.items():
        if j in used or not _alone(lines, j):
            continue
        used.add(j)
        pages.append(dict(newspaper=None, page_label=None, section=None, date=date, weekday=weekday, editor=None,
                          proofreader=None, layout_editor=None, hotline=None, line=lines[j].number,
                          start=lines[j].start, end=lines[j].end, first=j))
    pages.sort(key=lambda p: p["first"])

    banners: list[SectionBanner] = []
    for i, line in enumerate(lines):
        clean = line.clean
        if not clean or len(clean) > 40 or i in used:
            continue  # (a banner or a column line is short)
        m = profile.column_line.match(clean)
        text = WS_RE.sub("", m.group("section") if m else clean)
        if m:
            used.add(i)  # "专栏:" with no column is page furniture
            if not text:
                continue
        elif not profile.banner.match(text):
            continue
        banners.append(SectionBanner(text=text, line=line.number, start=line.start, end=line.end))
        used.add(i)
    out = tuple(PageHeader(index=n, **{k: v for k, v in p.items() if k != "first"}) for n, p in enumerate(pages))
    # a date line that heads no page is text, and so is what is wrong with its date
    flagged = tuple(w for i, w in sorted(warnings.items()) if i in used)
    return PageLayout(out, tuple(banners), frozenset(lines[i].number for i in used), flagged)


def _label(i: int, text: str, profile: Profile, number: int) -> tuple[_Label, str | None] | None:
    for pattern in profile.page_labels:
        m = pattern.regex.match(text)
        if not m:
            continue
        groups = m.groupdict()
        label = WS_RE.sub("", groups.get("label") or "") or None
        section = WS_RE.sub("", groups.get("section") or "") or None
        date, warning = _date(m, number)
        return _Label(i, label, section, date, _weekday(m), groups.get("paper"), pattern.repeats), warning
    return None


def _date(m: re.Match, number: int) -> tuple[dt.date | None, str | None]:
    """The date a label or date line prints (line ``number``), and what is wrong with it."""
    g = m.groupdict()
    y, mo, d = g.get("y"), g.get("m") or g.get("m2"), g.get("d") or g.get("d2")
    if not (y and mo and d):
        return None, None
    return page_date(y, mo, d, number)


def _weekday(m: re.Match) -> str | None:
    w = WS_RE.sub("", m.groupdict().get("weekday") or "")
    return w if len(w) >= 2 and w not in ("星期",) else None


def _alone(lines: tuple[Line, ...], j: int) -> bool:
    """A date line with nothing before it, or after a line that closes an item (not a notice's signature)."""
    p = _prev_nonblank(lines, j, far=len(lines))
    if p is None:
        return True
    if p != j - 1 or not lines[p].clean:
        prev = lines[p].clean
        return prev[-1] in TERMINAL or prev.endswith("摄")
    return False


_STAFF_SPLIT = re.compile(r"[│|｜丨]|\s+(?=[^\s：:│|｜丨]{1,6}\s*[：:])")  # "编辑：张扬 校对：李青" has no bars


def _staff(text: str, profile: Profile) -> dict[str, str]:
    out: dict[str, str] = {}
    for part in _STAFF_SPLIT.split(text):
        part = part.strip().lstrip("■□◆●").strip()
        m = re.match(r"^([^：:]{1,6})[：:]\s*(.+)$", part)
        if not m:
            continue
        word = WS_RE.sub("", m.group(1))
        key = profile.staff_keys.get(word) or profile.staff_keys.get(word.removeprefix("本版"))
        if key and key not in out:
            out[key] = WS_RE.sub("", m.group(2))
    return out


def _prev_nonblank(lines, i, far: int = 3):
    for j in range(i - 1, max(-1, i - 1 - far), -1):
        if lines[j].clean:
            return j
    return None


def _next_nonblank(lines, i, far: int = 3):
    for k in range(i + 1, min(len(lines), i + 1 + far)):
        if lines[k].clean:
            return k
    return None

