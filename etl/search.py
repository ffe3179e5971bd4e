"""Chinese full-text search, shared by publishing and the Datasette plugin.

SQLite's FTS5 tokenizers cannot split Chinese into words, so the published
search table holds text that is already split, tokens separated by spaces:

* the jieba words of the text (``cut_for_search``, which also emits the
  shorter words inside a long one: 高新 新区 高新区), and
* every pair of adjacent Chinese characters (高新 新区 区安 ...) plus the last
  character of each run of Chinese characters.

jieba alone misses words it segments differently in context (李维群 can come
out as 李 维群 inside a sentence), so a query is matched against the character
pairs. What a query means (``plan_search``):

* Chinese typed without spaces means that string: 安全生产 is the phrase of its
  character pairs (安全 全生 生产), so it never matches 安全…生产 apart.
* Spaces separate terms that must all occur, in any order; ``OR`` between two
  terms means either; text in quotes must occur exactly as written.
* When a query finds nothing as typed, each unspaced term of several words
  falls back to all of its jieba words (高新区安全生产工作 → 高新区, 安全, 生产,
  工作, anywhere in the article), when that finds something; the plan says so,
  so the reader is told.
* A term that is a person's name, or a known variant spelling of it, also finds
  the other spellings (宫卫红 finds the articles printing 官卫红), and says so.

Latin words and numbers are matched as FTS5 tokens. The fallback and the
spellings need the published file (``SqliteSearch``); ``fts_query`` alone is
the exact meaning.

Segmentation uses a private ``jieba.Tokenizer`` with the default dictionary,
so nothing else in the process (entity recognition adding words, say) can
change how text is indexed; ``SEGMENTER_VERSION`` goes into the published
file, which is rebuilt when it changes.
"""

from __future__ import annotations

import functools
import json
import logging
import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field

# Bump when segment_for_index changes what it emits: the published index is then rebuilt.
SEGMENTER_VERSION = "2"
# A query is read up to this many characters. jieba's time grows faster than the text on long
# runs (5,000 characters of one repeated character take 0.2 s, 100,000 over a minute), and an
# SQL function cannot be interrupted by Datasette's time limit while it runs; this keeps every
# call to a few milliseconds, so the limit (checked between calls) holds for any query.
MAX_QUERY_CHARS = 256

_SPACE = re.compile(r"[\s\u3000]+")
_TOKEN = re.compile(r"\w", re.UNICODE)
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUN = re.compile(rf"(?P<han>[{_HAN}]+)|(?P<other>(?:(?![{_HAN}])[^\W_])+)")
_QUERY_PART = re.compile(r'"([^"]*)"?|(\S+)')
SNIPPET_WIDTH = 80  # characters of text around the first match


@functools.cache
def _tokenizer():
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()  # private: the global jieba may be given extra words elsewhere
    tokenizer.initialize()
    return tokenizer


def warm_up() -> None:
    """Load jieba's dictionary now (about a second) rather than inside the first search that needs it."""
    _tokenizer()


def segmenter_fingerprint() -> str:
    import jieba

    return f"{SEGMENTER_VERSION}/jieba-{jieba.__version__}"


def _grams(run: str) -> list[str]:
    """Adjacent character pairs of a run of Chinese characters, then its last character."""
    return [run[i:i + 2] for i in range(len(run) - 1)] + [run[-1]]


def segment_for_index(text: str | None) -> str:
    """Text as space-separated search tokens (punctuation dropped): jieba words, then character pairs."""
    if not text:
        return ""
    text = _SPACE.sub("", text)
    words = [w for w in _tokenizer().cut_for_search(text) if _TOKEN.search(w)]
    grams = [g for m in _RUN.finditer(text) if m.group("han") for g in _grams(m.group("han"))]
    return " ".join(words + grams)


def _phrase(run: str) -> str:
    """FTS5 expression matching a run of Chinese characters wherever it occurs."""
    if len(run) == 1:
        return f'"{run}" *'  # a pair starting with it, or the last character of a run
    return '"' + " ".join(run[i:i + 2] for i in range(len(run) - 1)) + '"'


def _runs(text: str) -> list[tuple[str, str]]:
    """("han", run) and ("other", word) pieces of a term, in order."""
    return [("han", m.group("han")) if m.group("han") else ("other", m.group("other")) for m in _RUN.finditer(text)]


def _words(run: str) -> list[str]:
    """The jieba words of a Chinese run, as the fallback searches them: words of two characters or more
    (single characters such as 在 and 的 are everywhere); the run itself when it has fewer than two."""
    words = [w for w in _tokenizer().cut(run) if len(w.strip()) >= 2]
    return words if len(words) >= 2 else [run]


@dataclass(frozen=True)
class _Term:
    text: str
    quoted: bool
    spellings: tuple[str, ...] = ()  # other spellings of the person the term names


def _parse_query(query: str) -> list[list[_Term]]:
    """Terms grouped by OR: [[a], [b, c]] means a AND (b OR c)."""
    groups: list[list[_Term]] = []
    pending_or = False
    for m in _QUERY_PART.finditer(query[:MAX_QUERY_CHARS]):
        quoted, bare = m.group(1), m.group(2)
        if quoted is None and bare == "OR":
            pending_or = bool(groups)
            continue
        text = _SPACE.sub("", quoted) if quoted is not None else bare.replace('"', "")
        if not _RUN.search(text):
            continue
        term = _Term(text, quoted is not None)
        if pending_or:
            groups[-1].append(term)
        else:
            groups.append([term])
        pending_or = False
    return groups


def _term_expression(term: _Term, words: bool) -> tuple[str, list[str]]:
    """(FTS5 expression, strings to highlight) of one term: as typed, or (``words``) by its words."""
    alternatives, shown = [], []
    for spelling in (term.text, *term.spellings):
        parts = []
        for kind, piece in _runs(spelling):
            if kind == "other":
                parts.append(f'"{piece}"')
                shown.append(piece)
            else:
                pieces = _words(piece) if words else [piece]
                parts += [_phrase(p) for p in pieces]
                shown += pieces
        alternatives.append(parts[0] if len(parts) == 1 else "(" + " AND ".join(parts) + ")")
    return (alternatives[0] if len(alternatives) == 1 else "(" + " OR ".join(alternatives) + ")"), shown


@dataclass(frozen=True)
class SearchPlan:
    """What a query typed into a search box searches for, and what to tell the reader about it."""

    query: str
    expression: str  # the FTS5 MATCH expression
    words: tuple[str, ...]  # the strings a match contains (one of them per term), for highlighting
    fallback: bool = False  # nothing matched as typed: unspaced terms were split into their words
    phrases: tuple[str, ...] = ()  # with fallback: the terms not found as typed
    spellings: dict[str, tuple[str, ...]] = field(default_factory=dict)  # term -> other spellings searched
    printed: dict[str, int] = field(default_factory=dict)  # other spelling -> articles printing it

    @property
    def notice_zh(self) -> str:
        """The notice shown above the results, Chinese first (empty when the query was searched as typed)."""
        notes = []
        if self.fallback:
            typed = "、".join(f"“{p}”" for p in self.phrases)
            notes.append(f"没有找到完整短语{typed}，下面是同时包含 {'、'.join(self.words)} 的文章。")
        for term, others in self.spellings.items():
            found = "、".join(f"{o}（{self.printed[o]} 篇）" if o in self.printed else o for o in others)
            notes.append(f"“{term}”也按同一人物的其他写法检索：{found}。")
        return " ".join(notes)

    @property
    def notice_en(self) -> str:
        notes = []
        if self.fallback:
            typed = ", ".join(f"“{p}”" for p in self.phrases)
            notes.append(f"No article contains {typed} as typed; these contain all of its words: "
                         f"{', '.join(self.words)}.")
        for term, others in self.spellings.items():
            found = ", ".join(f"{o} ({self.printed[o]} article{'s' if self.printed[o] != 1 else ''})"
                              if o in self.printed else o for o in others)
            notes.append(f"{term} is also searched as the same person's other spellings: {found}.")
        return " ".join(notes)


def plan_search(query: str | None, *, has_match: Callable[[str], bool] | None = None,
                spellings: Callable[[str], list[str]] | None = None,
                count: Callable[[str], int] | None = None) -> SearchPlan:
    """The plan for a query (see the module's docstring). ``has_match(expression)`` says whether any
    article matches (needed for the fallback); ``spellings(name)`` gives every spelling of the person
    a name (or a variant spelling) belongs to, or nothing; ``count(expression)``, how many articles
    match (to say how many print each other spelling). Never raises: a query with nothing
    searchable gives an expression that matches nothing. Reads the first MAX_QUERY_CHARS characters."""
    query = "" if query is None else str(query)
    groups = _parse_query(query)
    found: dict[str, tuple[str, ...]] = {}
    if spellings is not None:
        for group in groups:
            for i, term in enumerate(group):
                if term.quoted or _runs(term.text) != [("han", term.text)]:
                    continue
                others = tuple(s for s in dict.fromkeys(spellings(term.text)) if s != term.text)
                if others:
                    group[i] = _Term(term.text, False, others)
                    found[term.text] = others

    def build(words: bool) -> tuple[str, list[str]]:
        clauses, shown = [], []
        for group in groups:
            parts = [_term_expression(t, words and not t.quoted) for t in group]
            clauses.append(parts[0][0] if len(parts) == 1 else "(" + " OR ".join(p[0] for p in parts) + ")")
            shown += [w for p in parts for w in p[1]]
        return (" AND ".join(clauses) if clauses else '""'), list(dict.fromkeys(shown))

    printed = {o: count(_phrase(o)) for others in found.values() for o in others} if count else {}
    expression, shown = build(words=False)
    if groups and has_match is not None and not has_match(expression):
        split = [t.text for g in groups for t in g if not t.quoted
                 and any(k == "han" and len(_words(p)) > 1 for k, p in _runs(t.text))]
        if split:
            fallback, fallback_shown = build(words=True)
            if has_match(fallback):  # else the reader is simply told nothing was found
                return SearchPlan(query, fallback, tuple(fallback_shown), True, tuple(split), found, printed)
    return SearchPlan(query, expression, tuple(shown), spellings=found, printed=printed)


def fts_query(query: str | None) -> str:
    """The FTS5 MATCH expression for a query as typed (no fallback, no other spellings: those need the
    published file, see ``SqliteSearch``)."""
    return plan_search(query).expression


def query_words(query: str | None) -> list[str]:
    """The strings an article must contain to match ``query`` as typed (for tests and highlighting)."""
    return list(plan_search(query).words)


def snippet(text: str | None, words: list[str] | tuple[str, ...], *, width: int = SNIPPET_WIDTH,
            mark: tuple[str, str] | None = ("【", "】")) -> str:
    """The passage of ``text`` around the first of ``words`` it contains (whitespace flattened), with every
    occurrence of a word inside it between ``mark``'s two strings; the start of the text if none occurs."""
    flat = re.sub(r"\s+", " ", text or "").strip()
    lowered = flat.lower()
    positions = [p for p in (lowered.find(w.lower()) for w in words if w) if p >= 0]
    start = max(0, min(positions) - width // 3) if positions else 0
    piece = flat[start:start + width]
    if mark and words:
        pattern = re.compile("|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True) if w), re.I)
        piece = pattern.sub(lambda m: f"{mark[0]}{m.group()}{mark[1]}", piece)
    return ("…" if start else "") + piece + ("…" if start + width < len(flat) else "")


class _Interrupted(Exception):
    """A lookup of the plan was cut off (the statement calling the function ran out of time): the plan is
    not cached, and the function returns something harmless, as the statement is being stopped anyway."""


class SqliteSearch:
    """Search plans against one connection to a published file: the fallback and the other
    spellings of a person come from its index and its ``person`` table. Plans are cached (the
    file is served immutable)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        tables = {r[0] for r in conn.execute("select name from sqlite_master where type in ('table', 'view')")}
        self.has_index = "article_fts" in tables
        self.has_people = "person" in tables
        self.plan = functools.lru_cache(maxsize=256)(self._plan)

    def _query(self, sql: str, params) -> list[tuple]:
        try:
            return self.conn.execute(sql, params).fetchall()
        except sqlite3.OperationalError as exc:  # "interrupted": Datasette's time limit
            raise _Interrupted(str(exc)) from None

    def _has_match(self, expression: str) -> bool:
        return bool(self._query("select 1 from article_fts where article_fts match ? limit 1", (expression,)))

    def _count(self, expression: str) -> int:
        return self._query("select count(*) from article_fts where article_fts match ?", (expression,))[0][0]

    def _spellings(self, name: str) -> list[str]:
        rows = self._query(
            "select name, variants from person where name = :n or exists "
            "(select 1 from json_each(case when json_valid(variants) then variants else '[]' end) v "
            "where v.value = :n) order by articles desc", {"n": name})
        spellings = []
        for main, variants in rows:
            spellings.append(main)
            try:
                spellings += [v for v in json.loads(variants or "[]") if isinstance(v, str) and v]
            except ValueError:
                pass
        return spellings

    def _plan(self, query: str | None) -> SearchPlan:
        return plan_search(query, has_match=self._has_match if self.has_index else None,
                           spellings=self._spellings if self.has_people else None,
                           count=self._count if self.has_index else None)

    def expression(self, query: str | None) -> str:
        """SQL: newsetl_fts(query)."""
        try:
            return self.plan(query).expression
        except _Interrupted:
            return '""'

    def notice(self, query: str | None) -> str:
        """SQL: newsetl_search_notice(query): what the reader is told about how ``query`` was searched
        ('' when as typed), Chinese, then English."""
        try:
            plan = self.plan(query)
        except _Interrupted:
            return ""
        return f"{plan.notice_zh} {plan.notice_en}".strip()

    def snippet(self, text: str | None, query: str | None, *args) -> str:
        """SQL: newsetl_snippet(text, query [, open, close [, width]])."""
        mark = (str(args[0]), str(args[1])) if len(args) >= 2 else ("【", "】")
        try:
            width = int(args[2]) if len(args) >= 3 and args[2] is not None else SNIPPET_WIDTH
        except (TypeError, ValueError):
            width = SNIPPET_WIDTH
        try:
            words = self.plan(query).words
        except _Interrupted:
            words = ()
        return snippet(text, words, width=max(10, min(width, 1000)), mark=mark)


def register_sql_functions(conn: sqlite3.Connection) -> SqliteSearch:
    """Give a connection to a published file newsetl's search functions (Datasette's plugin does this
    for every connection; call it on ``sqlite3.connect("newsetl.db")`` to use them in Python):

    * ``newsetl_fts(query)``: the MATCH expression, e.g.
      ``select rowid from article_fts where article_fts match newsetl_fts('安全生产')``;
    * ``newsetl_snippet(text, query [, open, close [, width]])``: the passage of ``text`` around the
      match, matches between 【 and 】 (or ``open`` and ``close``);
    * ``newsetl_search_notice(query)``: how the query was searched when not as typed (the fallback to
      its words, other spellings of a person), as the web pages say it; '' when as typed.
    """
    search = SqliteSearch(conn)
    conn.create_function("newsetl_fts", 1, search.expression, deterministic=True)
    conn.create_function("newsetl_search_notice", 1, search.notice, deterministic=True)
    conn.create_function("newsetl_snippet", -1, lambda *a: search.snippet(*a) if len(a) >= 2 else None,
                         deterministic=True)
    return search


def segment_query(query: str) -> str:
    """A query as space-separated jieba words, for ``_searchmode=raw`` users who want word tokens."""
    words = _tokenizer().cut_for_search(_SPACE.sub(" ", query[:MAX_QUERY_CHARS].replace('"', " ")))
    return " ".join(w for w in words if _TOKEN.search(w))
