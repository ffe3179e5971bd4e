"""Stage 2: decoded text -> lines with offsets and a normalized form.

``Line.text`` is the raw line; ``Line.clean`` is the same line stripped, with
full-width and non-breaking spaces turned into plain ones and spurious spaces
removed: spaced-out characters ("记 者", "实 开 展 基 层" -> "记者", "实开展基层"),
spaces next to CJK punctuation ("第 40 次 （扩" -> "第40次（扩") and between CJK
characters and digits or Latin letters ("1 月 7 日" -> "1月7日"). A space
between two multi-character CJK words ("白靖杰 黄福兴") is kept: it separates
names and title parts.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import lru_cache

from etl.parse.lexicon import CJK, TERMINAL
from etl.parse.records import Line

_SPACES = re.compile(r"[ \t\u3000\u00a0\u2002\u2003\u2009\ufeff\f\v]+")
_CJK_CHAR = re.compile(f"[{CJK}]")
# CJK and full-width punctuation, arrows and markers: spaces next to them are layout noise.
_PUNCT_EDGES = re.compile(r"^[\u3000-\u303f\uff00-\uffef\u2010-\u206f\u25a0-\u25ff]+|[\u3000-\u303f\uff00-\uffef\u2010-\u206f\u25a0-\u25ff]+$")
_PUNCT = re.compile(r"[\u3000-\u303f\uff00-\uffef\u2010-\u206f\u25a0-\u25ff\u2b00-\u2bff\u2190-\u21ff]")


def split_lines(text: str) -> tuple[Line, ...]:
    """Split normalized text ("\\n" line ends) into numbered lines with offsets and clean text.

    Text wrapped at a fixed width (every line of a paragraph but its last holds exactly as many
    characters, or as many display columns) is read a paragraph per line: such a paragraph is one
    Line whose ``text`` still holds the line breaks (offsets stay those of the file) and whose
    ``clean`` text has none.
    """
    out: list[Line] = []
    pos = 0
    for number, raw in enumerate(text.split("\n"), start=1):
        out.append(Line(number=number, start=pos, end=pos + len(raw), text=raw, clean=_clean(raw)))
        pos += len(raw) + 1
    measure = _wrap_measure(out)
    return tuple(_join_wrapped(out, text, *measure)) if measure else tuple(out)


# Narrower lines are a newspaper's columns (PDF text: 11-20 characters), not an export's fixed width.
MIN_WRAP_CHARS = 24
MIN_WRAP_COLUMNS = 2 * MIN_WRAP_CHARS
MIN_WRAPPED_LINES = 8


_PAST_TABLE = 0x40000  # planes 0-3 hold every assigned CJK character; a bigger table costs start-up time
_BEYOND_TABLE = re.compile("[\U00040000-\U0010ffff]")


@lru_cache(maxsize=1)
def _narrow_marks() -> list:
    """A str.translate table, indexed by code point below _PAST_TABLE: None (deleted) for a character
    two display columns wide (East Asian Width W or F), one shared "n" for any other but the line
    break, which stays itself so that a translated text splits into its lines."""
    table = [None if unicodedata.east_asian_width(chr(cp)) in "WF" else "n" for cp in range(_PAST_TABLE)]
    table[ord("\n")] = "\n"
    return table


def _wide_past_table(s: str) -> int:
    return sum(1 for c in _BEYOND_TABLE.findall(s) if unicodedata.east_asian_width(c) in "WF")


def _columns(s: str) -> int:
    """Display columns of s, counted in C by str.translate (translate keeps what the table lacks)."""
    columns = 2 * len(s) - len(s.translate(_narrow_marks()))
    return columns + _wide_past_table(s) if _BEYOND_TABLE.search(s) else columns


def _columns_each(texts: list[str]) -> list[int]:
    """_columns of each text (none holding a line break), all translated in one call."""
    joined = "\n".join(texts)
    narrow = joined.translate(_narrow_marks()).split("\n")
    sizes = [2 * len(t) - len(n) for t, n in zip(texts, narrow)]
    if _BEYOND_TABLE.search(joined):
        sizes = [n + _wide_past_table(t) for t, n in zip(texts, sizes)]
    return sizes


def _wrap_measure(lines: list[Line]):
    """(measure, width) when the text was wrapped at a fixed width, else None.

    Most lines at least half as wide as the widest are exactly that wide (to a column, when counted in
    display columns: a wide character does not fit in the last one), and hardly any is wider. PDF
    columns vary in width; paragraph-per-line exports have lines of every length.
    """
    texts = [ln.text.rstrip() for ln in lines if ln.clean]
    lengths = list(map(len, texts))
    # either measure needs that many lines of at least MIN_WRAP_CHARS characters (MIN_WRAP_COLUMNS
    # columns take as many): newspaper columns never get further than this
    if len([n for n in lengths if n >= MIN_WRAP_CHARS]) < MIN_WRAPPED_LINES:
        return None
    for measure, slack, least in ((len, 0, MIN_WRAP_CHARS), (_columns, 1, MIN_WRAP_COLUMNS)):
        counts = Counter(lengths if measure is len else _columns_each(texts))  # size -> lines
        wide = Counter({n: c for n, c in counts.items() if n >= least})
        if sum(wide.values()) < MIN_WRAPPED_LINES:
            continue
        common = [n for n, _ in wide.most_common(2)]
        width = max(common) if slack and max(common) - min(common) == slack else common[0]
        full = sum(counts[n] for n in range(width - slack, width + 1))
        over = sum(c for n, c in counts.items() if n > width)
        half = sum(c for n, c in counts.items() if n >= width // 2)
        if full >= MIN_WRAPPED_LINES and full >= 0.5 * half and over <= 0.02 * len(texts):
            return measure, width - slack
    return None


def _join_wrapped(lines: list[Line], text: str, measure, width: int):
    """Join each line as wide as the wrap width with the line after it (a paragraph goes on), unless
    it ends a sentence and the next is a short line ending none: a paragraph that filled its last line,
    then a title or a page label."""
    k = 0
    while k < len(lines):
        first = last = lines[k]
        while measure(last.text.rstrip()) >= width and k + 1 < len(lines) and lines[k + 1].clean:
            nxt = lines[k + 1].text.rstrip()
            if last.clean[-1] in TERMINAL and measure(nxt) < width and nxt[-1] not in TERMINAL:
                break
            k += 1
            last = lines[k]
        if last is first:
            yield first
        else:
            raw = text[first.start:last.end]
            yield Line(number=first.number, start=first.start, end=last.end, text=raw,
                       clean=_clean(raw.replace("\n", "")), last=last.number)
        k += 1


def clean_text(raw: str) -> str:
    """The clean form of one piece of a line (what ``Line.clean`` holds for a whole line)."""
    return _clean(raw)


def _clean(raw: str) -> str:
    if " " not in raw and raw.isprintable():
        return raw  # nothing to strip or join: every other character _SPACES or strip() takes is unprintable
    s = _SPACES.sub(" ", raw).strip()
    if " " not in s:
        return s
    tokens = s.split(" ")
    out = tokens[0]
    for i in range(1, len(tokens)):
        left, right = tokens[i - 1], tokens[i]
        spurious = _spurious(left, right)
        if spurious and _names_apart(tokens, i):
            spurious = False
        out += ("" if spurious else " ") + right
    return out


def _names_apart(tokens: list[str], i: int) -> bool:
    """Keep the space between a spaced-out name and a whole one: "虞 静 钱洪波", "龚文文 邬 盛"."""
    left, right = tokens[i - 1], tokens[i]
    one_left, one_right = _edge(left, -1) == 1, _edge(right, 0) == 1
    if one_left == one_right:
        return False  # two single characters (one spaced-out name) or two whole words
    # a word of one character between two longer ones: "小阳 文 新吴妇联 摄" (text by 小阳)
    if one_right and len(right) == 1 and _edge(left, -1) >= 2 and i + 1 < len(tokens) and _edge(tokens[i + 1], 0) >= 2:
        return True
    if one_left and len(left) == 1 and _edge(right, 0) >= 2 and i >= 2 and _edge(tokens[i - 2], -1) >= 2:
        return True
    if one_left:  # "虞 静" | "钱洪波"
        return _edge(right, 0) >= 2 and i >= 2 and _edge(tokens[i - 2], -1) == 1 and _edge(left, 0) == 1
    # "龚文文" | "邬 盛"
    return _edge(left, -1) >= 2 and i + 1 < len(tokens) and _edge(tokens[i + 1], 0) == 1 and _edge(right, -1) == 1


def _edge(token: str, side: int) -> int:
    """How many CJK characters the token starts (side 0) or ends (side -1) with: 0, 1 or 2 (two or more)."""
    step = 1 if side == 0 else -1
    if not token or not _CJK_CHAR.match(token[side]):
        return 0
    return 2 if len(token) > 1 and _CJK_CHAR.match(token[side + step]) else 1


def _spurious(left: str, right: str) -> bool:
    a, b = left[-1], right[0]
    if _PUNCT.match(a) or _PUNCT.match(b):
        return True
    a_cjk, b_cjk = bool(_CJK_CHAR.match(a)), bool(_CJK_CHAR.match(b))
    if a_cjk != b_cjk:
        return True  # CJK next to a digit or a Latin letter
    if a_cjk and b_cjk:
        # spaced-out characters: a one-character CJK token on either side
        return len(_PUNCT_EDGES.sub("", left)) == 1 or len(_PUNCT_EDGES.sub("", right)) == 1
    return False
