"""Private helpers shared by the stages: name lists, credit patterns, line joining."""

from __future__ import annotations

import re

from etl.parse.lexicon import (
    CJK, CREDIT_PAREN_RE, NOT_PERSON, ROLE_OF, ROLE_SPLIT_RE, SURNAMES_1, SURNAMES_2, TERMINAL, WS_RE,
)

_CJK_ONLY = re.compile(f"^[{CJK}]+$")
_ASCII_WORD = re.compile(r"[A-Za-z0-9]")
_TERMINAL_TAIL = re.compile(f"[{re.escape(TERMINAL)}]$")


def despace(s: str | None) -> str:
    """s without whitespace (WS_RE). Every character WS_RE matches but the space is unprintable, so a
    printable text needs only its spaces removed: that path is several times faster than the regex."""
    if not s:
        return ""
    flat = s.replace(" ", "")
    return flat if flat.isprintable() else WS_RE.sub("", flat)


def ends_sentence(s: str) -> bool:
    return bool(_TERMINAL_TAIL.search(s.rstrip()))


def looks_like_name(s: str) -> bool:
    """A plausible Chinese personal name: 2-4 CJK characters starting with a common surname."""
    if not (2 <= len(s) <= 4) or not _CJK_ONLY.match(s) or s in NOT_PERSON:
        return False
    if s[:2] in SURNAMES_2:
        return len(s) >= 3
    return s[0] in SURNAMES_1 and len(s) <= 3


def split_name_list(s: str) -> list[str]:
    """Split "白靖杰 黄福兴" / "丁小溪、范思翔" / "高 亢" into names (spaced-out names are joined)."""
    s = s.strip()
    parts = [p for p in re.split(r"[\s、，,；;/]+", s) if p]
    if parts and all(len(p) == 1 for p in parts):
        return ["".join(parts)]
    out: list[str] = []
    buf = ""
    for p in parts:
        if len(p) == 1 and buf:  # "刘金 元": a name cut by a line break
            out[-1] += p
            continue
        out.append(p)
        buf = p
    return out


def parse_role_names(s: str, default_role: str) -> list[tuple[str, str]]:
    """"记者付凯明 通讯员孙璐" -> [("付凯明", "reporter"), ("孙璐", "correspondent")]."""
    s = re.sub(r"记\s+者", "记者", s)
    s = re.sub(r"通\s*讯\s*员", "通讯员", s)
    s = re.sub(r"见\s*习", "见习", s)
    out: list[tuple[str, str]] = []
    role = default_role
    for chunk in ROLE_SPLIT_RE.split(s):
        if not chunk or not chunk.strip():
            continue
        if chunk in ROLE_OF:
            role = ROLE_OF[chunk]
            continue
        for name in split_name_list(chunk):
            name = despace(name).strip("：:·")
            if name:
                out.append((name, role))
    return out


def credit_paren(text: str) -> tuple[int, list[tuple[str, str]]] | None:
    """A trailing credit "（白靖杰 黄福兴）" at the end of text: (start of the paren, names with roles)."""
    m = CREDIT_PAREN_RE.search(text)
    if not m:
        return None
    names = parse_role_names(m.group(1), "credit")
    if not names or not all(looks_like_name(n) for n, _ in names):
        return None
    return m.start(), names


_PHOTO_TAIL = re.compile(r"([^。！？!?”：:，,；;]*?)\s*摄\s*$")
_NAMEISH = re.compile(f"^[{CJK}]{{2,4}}$")


def photo_credit(text: str) -> tuple[int, list[str]] | None:
    """A photo credit at the end of text ("…景象。 徐宏星 摄", "本报记者 付凯明 见习记者 马雅宁 摄").

    Returns the offset where the credit starts and the photographers' names.
    """
    m = _PHOTO_TAIL.search(text)
    if not m:
        return None
    chunk = m.group(1)
    if not chunk.strip() or len(despace(chunk)) > 30:
        return None
    names = [n for n, _ in parse_role_names(chunk, "photographer")]
    if not names or not all(looks_like_name(n) or (_NAMEISH.match(n) and len(n) <= 3) for n in names):
        return None
    if not any(looks_like_name(n) for n in names):
        return None
    return m.start(1) + (len(chunk) - len(chunk.lstrip())), names


def join_lines(texts: list[str]) -> str:
    """Join wrapped lines: no space between CJK, one space between two Latin words."""
    out = ""
    for t in texts:
        if out and t and _ASCII_WORD.match(out[-1]) and _ASCII_WORD.match(t[0]) and not out[-1].isdigit():
            out += " "
        out += t
    return out
