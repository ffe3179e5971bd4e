"""Chinese full-text search, shared by publishing and the Datasette plugin.

SQLite's FTS5 tokenizers cannot split Chinese into words, so the published
search table holds text that is already split, tokens separated by spaces:

* the jieba words of the text (``cut_for_search``, which also emits the
  shorter words inside a long one: 高新 新区 高新区), and
* every pair of adjacent Chinese characters (高新 新区 区安 ...) plus the last
  character of each run of Chinese characters.

jieba alone misses words it segments differently in context (李维群 can come
out as 李 维群 inside a sentence), so a query is matched against the character
pairs: the query is segmented with the same jieba dictionary, and every word
must occur in the article *as written* (the phrase of its character pairs).
When jieba splits the query into single characters (an unknown name such as
宋永胜 → 宋 永胜), the whole run must occur as typed instead. Text in quotes
must occur exactly. Latin words and numbers are matched as FTS5 tokens.

Segmentation uses a private ``jieba.Tokenizer`` with the default dictionary,
so nothing else in the process (entity recognition adding words, say) can
change how text is indexed; ``SEGMENTER_VERSION`` goes into the published
file, which is rebuilt when it changes.
"""

from __future__ import annotations

import functools
import logging
import re

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


@functools.cache
def _tokenizer():
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()  # private: the global jieba may be given extra words elsewhere
    tokenizer.initialize()
    return tokenizer


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


def _terms(text: str, exact: bool) -> list[str]:
    terms = []
    for m in _RUN.finditer(text):
        if m.group("other"):
            terms.append(f'"{m.group("other")}"')
            continue
        run = m.group("han")
        words = [w for w in _tokenizer().cut(run) if w.strip()]
        if exact or len(words) <= 1 or any(len(w) < 2 for w in words):
            terms.append(_phrase(run))
        else:
            terms.extend(_phrase(w) for w in words)
    return terms


def fts_query(query: str | None) -> str:
    """The FTS5 MATCH expression for what a user typed into a search box.

    Space-separated parts must all occur; within a part, each jieba word must
    occur as written (or the whole part, when jieba splits it into single
    characters); quoted text must occur exactly. Never raises: a query with no
    searchable characters gives an expression that matches nothing. Only the first
    MAX_QUERY_CHARS characters are read.
    """
    terms: list[str] = []
    for m in _QUERY_PART.finditer(("" if query is None else str(query))[:MAX_QUERY_CHARS]):
        quoted, bare = m.group(1), m.group(2)
        if quoted is not None:
            terms += _terms(_SPACE.sub("", quoted), exact=True)
        else:
            terms += _terms(bare.replace('"', ""), exact=False)
    return " ".join(terms) if terms else '""'


def query_words(query: str | None) -> list[str]:
    """The strings an article must contain to match ``query`` (for tests and highlighting)."""
    words: list[str] = []
    for m in _QUERY_PART.finditer(("" if query is None else str(query))[:MAX_QUERY_CHARS]):
        quoted, bare = m.group(1), m.group(2)
        text = _SPACE.sub("", quoted) if quoted is not None else bare.replace('"', "")
        for r in _RUN.finditer(text):
            if r.group("other"):
                words.append(r.group("other"))
                continue
            run = r.group("han")
            cut = [w for w in _tokenizer().cut(run) if w.strip()]
            if quoted is not None or len(cut) <= 1 or any(len(w) < 2 for w in cut):
                words.append(run)
            else:
                words.extend(cut)
    return words


def segment_query(query: str) -> str:
    """A query as space-separated jieba words, for ``_searchmode=raw`` users who want word tokens."""
    words = _tokenizer().cut_for_search(_SPACE.sub(" ", query[:MAX_QUERY_CHARS].replace('"', " ")))
    return " ".join(w for w in words if _TOKEN.search(w))
