"""Stage 4b: items -> items no longer than MAX_ITEM_CHARS.

A real article is a few thousand characters. An item far longer is a file the
segmenter could not cut (one line of megabytes, a dump with no layout left):
every later stage and the database would carry it whole. Such an item is cut at
sentence ends into parts of at most MAX_ITEM_CHARS, each flagged, so the cost of
a file stays proportional to its size and an archivist sees what happened.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import replace

from etl.parse.records import Item, ItemWarning, Line

MAX_ITEM_CHARS = 50_000
_SENTENCE_END = re.compile(r"[。！？!?；;…」』”]")


def split_long_items(items: tuple[Item, ...], text: str, lines: tuple[Line, ...]) -> tuple[Item, ...]:
    """Cut every item whose body is longer than MAX_ITEM_CHARS; renumber seq in file order."""
    if all(len(it.body) <= MAX_ITEM_CHARS for it in items):
        return items
    line_starts = [ln.start for ln in lines]
    out: list[Item] = []
    for it in items:
        parts = _cuts(it.body) if len(it.body) > MAX_ITEM_CHARS else [(0, len(it.body))]
        if len(parts) == 1:
            out.append(replace(it, seq=len(out) + 1))
            continue
        offsets = _source_offsets(it, text, [a for a, _ in parts] + [len(it.body)])
        for k, (a, b) in enumerate(parts):
            start, end = offsets[k], max(offsets[k], offsets[k + 1])
            line_start = bisect_right(line_starts, start) or 1
            note = ItemWarning("cut_item", line_start, f"{k + 1}/{len(parts)}，原文{len(it.body)}字")
            out.append(replace(
                it, seq=len(out) + 1, body=it.body[a:b], start=start, end=end, line_start=line_start,
                line_end=bisect_right(line_starts, max(start, end - 1)) or 1,
                headline=it.headline if k == 0 else None, kicker=it.kicker if k == 0 else None,
                subheadline=it.subheadline if k == 0 else None, dateline=it.dateline if k == 0 else None,
                byline=it.byline if k == 0 else None, credits=(), mentions=(),
                warnings=(*it.warnings, note)))
    return tuple(out)


def _cuts(body: str) -> list[tuple[int, int]]:
    """(start, end) of parts of at most MAX_ITEM_CHARS, each ending at a sentence end where one is near."""
    parts, a = [], 0
    while len(body) - a > MAX_ITEM_CHARS:
        window = body[a + MAX_ITEM_CHARS // 2:a + MAX_ITEM_CHARS]
        ends = [m.end() for m in _SENTENCE_END.finditer(window)]
        b = a + MAX_ITEM_CHARS // 2 + ends[-1] if ends else a + MAX_ITEM_CHARS
        parts.append((a, b))
        a = b
    parts.append((a, len(body)))
    return parts


def _source_offsets(it: Item, text: str, body_positions: list[int]) -> list[int]:
    """Where in the source each body position lies: the body is the source span with whitespace
    (line breaks, spaces between spaced-out characters) removed, so non-blank characters are counted."""
    wanted = sorted(set(body_positions))
    counts = {}
    seen = 0
    k = 0
    for i, ch in enumerate(it.body):
        while k < len(wanted) and wanted[k] == i:
            counts[i] = seen
            k += 1
        if not ch.isspace():
            seen += 1
    for p in wanted[k:]:
        counts[p] = seen
    # walk the source once, stopping at each count of non-blank characters
    targets = sorted(set(counts.values()))
    at: dict[int, int] = {}
    seen, t = 0, 0
    pos = it.start
    while t < len(targets) and pos < it.end:
        if seen == targets[t]:
            at[targets[t]] = pos
            t += 1
            continue
        if not text[pos].isspace():
            seen += 1
        pos += 1
    for target in targets[t:]:
        at[target] = it.end
    return [at[counts[p]] for p in body_positions]
