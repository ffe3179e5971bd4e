"""``newsetl eval``: score the parser on the answer keys kept in the repository.

The data lives in ``tests/data/eval`` (a copy of the published evaluation kit:
see its README): ``gold/`` holds keys of seed pages (their dumps are in
``seeds/``), ``external/`` dumps of seven other papers with their keys, and
``ner/`` the People's Daily and MSRA corpora. Scoring is ``etl.scoring``, the
project's own implementation of the kit's rules (a test checks it agrees with
the kit's ``score.py`` on every key when the kit is beside the checkout).

Each seed key is scored as its dump is and re-encoded (GB18030 with CRLF,
UTF-16 with BOM, UTF-8 with BOM and CRLF), against per-key targets; the
external papers are scored as printed, pooled (micro-averaged) against the
targets of issue 14.
"""

from __future__ import annotations

import codecs
import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from etl.errors import UsageError
from etl.parse import parse_bytes
from etl.parse.export import to_eval_dict
from etl.scoring import Counts, read_bio, score_document, score_ner

REPO = Path(__file__).resolve().parents[1]
DEFAULT_EVAL_DIR = REPO / "tests" / "data" / "eval"
SHARED_KIT = REPO.parent / "shared" / "eval"  # the published kit, when it is beside the checkout

# metric (a path into the figures) -> minimum, per seed key, from the issues' targets.
TARGETS: dict[str, float] = {
    "items.f1": 0.97,
    "headline_exact": 0.95,
    "kind_accuracy": 0.97,
    "authors.f1": 0.97,
    "page_fields": 1.00,
    "event_date_accuracy": 0.90,
    "persons.f1": 0.95,
    "persons_per_file.f1": 0.95,
    "organizations.f1": 0.75,
    "places.f1": 0.75,
}
# Pooled over the other papers (issue 14).
EXTERNAL_TARGETS: dict[str, float] = {
    "items.f1": 0.92,
    "headline_exact": 0.88,
    "authors.f1": 0.90,
    "page_fields": 0.90,
    "persons_per_file.f1": 0.85,
}

# People's Daily test set, issues 4 and 15: tuned on the dev set, reported on the test set.
NER_TARGETS: dict[str, dict[str, float]] = {
    "peoples_daily.test": {"persons": 0.82, "organizations": 0.70, "places": 0.75},
}
NER_CORPORA = ("peoples_daily.test", "peoples_daily.dev", "msra.test")

VARIANTS: dict[str, Callable[[bytes], bytes]] = {
    "as is": lambda raw: raw,
    "gb18030+crlf": lambda raw: _text(raw).replace("\n", "\r\n").encode("gb18030"),
    "utf-16": lambda raw: _text(raw).encode("utf-16"),
    "utf-8-bom+crlf": lambda raw: codecs.BOM_UTF8 + _text(raw).replace("\n", "\r\n").encode("utf-8"),
}


def _text(raw: bytes) -> str:
    from etl.parse.decode import decode_bytes

    return decode_bytes(raw, "seed").text


def metric(figures: dict, path: str) -> float:
    value = figures
    for part in path.split("."):
        value = value[part]
    return float(value)


@dataclass(frozen=True)
class KeyScore:
    key: str
    variant: str
    figures: dict
    targets: tuple[tuple[str, float], ...] = tuple(TARGETS.items())
    counts: Counts | None = None

    def metric(self, path: str) -> float:
        return metric(self.figures, path)

    def failures(self) -> list[str]:
        return [f"{path} {self.metric(path):.3f} < {minimum:.2f}"
                for path, minimum in self.targets if self.metric(path) < minimum]


def eval_dir(path: Path | str | None = None) -> Path:
    folder = Path(path or os.environ.get("NEWSETL_EVAL_DIR") or DEFAULT_EVAL_DIR)
    if not (folder / "gold").is_dir() and not (folder / "external").is_dir():
        raise UsageError(f"no evaluation data at {folder} (expected gold/ or external/ with answer keys)")
    return folder


def score_file(key_path: Path, dump: Path, variant: str = "as is") -> KeyScore:
    key = json.loads(key_path.read_text(encoding="utf-8"))
    doc = parse_bytes(VARIANTS[variant](dump.read_bytes()), dump.name)
    counts = score_document(key, to_eval_dict(doc))
    return KeyScore(key_path.stem, variant, counts.figures(), counts=counts)


def evaluate(data: Path | str | None = None, seeds_dir: Path | None = None,
             variants: list[str] | None = None) -> list[KeyScore]:
    """Every seed key in every encoding, against the per-key targets."""
    folder = eval_dir(data)
    seed_dirs = [Path(seeds_dir)] if seeds_dir else [REPO / "seeds", folder.parent / "seeds"]
    results: list[KeyScore] = []
    for key in sorted((folder / "gold").glob("*.json")):
        dump = next((d / f"{key.stem}.txt" for d in seed_dirs if (d / f"{key.stem}.txt").exists()), None)
        if dump is None:
            raise UsageError(f"no seed file for answer key {key.name} in {', '.join(map(str, seed_dirs))}")
        for variant in variants or list(VARIANTS):
            results.append(score_file(key, dump, variant))
    return results


def evaluate_external(data: Path | str | None = None) -> tuple[list[KeyScore], KeyScore | None]:
    """Every dump of ``external/`` with its key, and the figures pooled over them (None without any)."""
    folder = eval_dir(data) / "external"
    results = [score_file(key, key.with_suffix(".txt")) for key in sorted(folder.glob("*.json"))
               if key.with_suffix(".txt").exists()]
    if not results:
        return [], None
    total = Counts()
    for r in results:
        total += r.counts
    return results, KeyScore("pooled", "as is", total.figures(), tuple(EXTERNAL_TARGETS.items()), total)


@dataclass(frozen=True)
class NerScore:
    corpus: str
    figures: dict  # {"persons": {"precision":…, "recall":…, "f1":…}, …}
    sentences: int
    characters: int
    seconds: float

    def f1(self, kind: str) -> float:
        return float(self.figures[kind]["f1"])

    def failures(self) -> list[str]:
        return [f"{self.corpus} {kind} F1 {self.f1(kind):.3f} < {minimum:.2f}"
                for kind, minimum in NER_TARGETS.get(self.corpus, {}).items() if self.f1(kind) < minimum]


def evaluate_ner(data: Path | str | None = None, corpora: tuple[str, ...] = NER_CORPORA) -> list[NerScore]:
    """Run ``newsetl ner``'s recognizer over each BIO corpus and score it."""
    from etl.parse.ner import recognize

    folder = Path(data or os.environ.get("NEWSETL_EVAL_DIR") or DEFAULT_EVAL_DIR) / "ner"
    results: list[NerScore] = []
    for corpus in corpora:
        bio = folder / f"{corpus}.bio"
        if not bio.exists():
            raise UsageError(f"no corpus {bio}")
        sentences = read_bio(bio)
        started = time.perf_counter()
        predictions = [recognize(s) for s, _ in sentences]
        seconds = time.perf_counter() - started
        results.append(NerScore(corpus, score_ner(sentences, predictions), len(sentences),
                                sum(len(s) for s, _ in sentences), seconds))
    return results
