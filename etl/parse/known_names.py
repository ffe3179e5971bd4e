"""Names known from the rest of the corpus, found again in one text.

The genre rules find a person where the page gives evidence (a byline, a
title chain, a leader list); within a document every later mention of that
name is marked (``etl/parse/entities.py``). Across documents the evidence is
weaker, so a name found elsewhere counts here only when jieba, with the known
names in its user dictionary, cuts the clause around it so that the name is a
word of its own: 高峰 is not taken from 高峰期, nor 王东 from 王东村.

The dictionary is grown only with the names that occur in the text, and the
dictionary's total frequency is left unchanged, so jieba's cut of a clause
depends on that clause and the names in it alone. That keeps the result a
function of (text, names): loading files in any order gives the same mentions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .entities import _jieba, _name_pattern, _title_before, _user_words
from .records import Mention

# A clause: what jieba is asked to cut around a candidate.
_CLAUSE_END = re.compile(r"[，,。！？!?；;：:、“”\"（）()《》\n]")
# A two-character name followed by one of these is the start of a place or an
# organization (王东村, 李庄镇), not the person.
_PLACE_NEXT = set("村镇乡县市省区路街寨庄屯营堡")


def find_known_names(text: str, names: frozenset[str], field: str = "body",
                     taken: Iterable[tuple[int, int]] = ()) -> tuple[Mention, ...]:
    """Person mentions of ``names`` in ``text`` that no span in ``taken`` overlaps.

    ``names`` are person names (two characters or more) found by the parser
    elsewhere; pass the same frozenset for every text, so its pattern is built
    once. Each mention carries the title printed before it, like the parser's own.
    """
    if not text or not names:
        return ()
    taken = sorted(taken)
    candidates = [m for m in _name_pattern(names).finditer(text)
                  if not any(a < m.end() and m.start() < b for a, b in taken)]
    if not candidates:
        return ()
    present = {m.group(0) for m in candidates}
    found: list[tuple[int, int]] = []
    clauses = sorted({(_clause_start(text, m.start()), _clause_end(text, m.end())) for m in candidates})
    with _user_words(present, keep_total=True):
        jieba, _ = _jieba()
        for lo, hi in clauses:
            pos = lo
            words = jieba.lcut(text[lo:hi], HMM=False)
            for i, w in enumerate(words):
                end = pos + len(w)
                if w in present and not any(a < end and pos < b for a, b in taken):
                    nxt = words[i + 1] if i + 1 < len(words) else ""
                    if not (len(w) == 2 and nxt[:1] in _PLACE_NEXT and len(nxt) == 1):
                        found.append((pos, end))
                pos = end
    found.sort()
    out = []
    spans = sorted(taken + found)
    for a, b in found:
        floor = max([e for s, e in spans if e <= a], default=0)
        out.append(Mention("person", text[a:b], field, a, b, title=_title_before(text, a, floor)))
    return tuple(out)


def _clause_start(text: str, pos: int) -> int:
    while pos > 0 and not _CLAUSE_END.match(text[pos - 1]):
        pos -= 1
    return pos


def _clause_end(text: str, pos: int) -> int:
    m = _CLAUSE_END.search(text, pos)
    return m.start() if m else len(text)
