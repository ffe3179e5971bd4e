"""The project's own scorer: parser output against an answer key, by the rules of the evaluation kit.

The rules are those of ``../shared/eval/README.md`` and ``SPEC.md``; a test checks
that this module and the kit's ``score.py`` (and ``ner_score.py``) give the same
figures on every key whenever the kit is beside the checkout, so ``newsetl
eval`` and the accuracy tests need nothing outside the repository.

Rules, in short:

* an item is matched when its body starts where the key's ``body_start`` is
  (nothing before it but what may open a body: a byline line, a dateline,
  a byline in parentheses) and ends at the key's ``body_end`` (nothing after
  it but a credit: "（白靖杰 黄福兴）", "本报记者 刘金元 摄", "记者 谢磊 通讯员 康留国 文/图");
  leading markers ("●", "▶", "①") are ignored on both sides; whitespace is
  ignored everywhere, punctuation is not;
* items of kind ``other`` are ignored on both sides;
* headlines, kinds, dates, authors and entities are scored on matched items;
  ``persons_per_file`` compares the persons of the whole file;
* page fields are compared page by page, in file order, where the key gives them.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, fields

_WS = re.compile(r"[\s\u3000\u00a0\ufeff]+")
ROLE_LABELS = {"reporter": "记者", "correspondent": "通讯员", "trainee_reporter": "见习记者",
               "photographer": "摄影", "author": "作者", "credit": "署名"}
PAGE_FIELDS = ("page_label", "section", "date", "editor", "proofreader", "layout_editor")
LEADING_MARKERS = "●⬅➡■□◆▲▶△▷①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"

# What may stand before the key's body_start in a predicted body, and after its body_end.
_H = "\u4e00-\u9fff"
_ROLE = (rf"(?:本报|新华社|晚报|[{_H}]{{2,4}}(?:日报|晚报|时报)(?:社)?)?(?:全媒体|融媒体)?"
         r"(?:见习|实习|特约)?(?:记者|通讯员|实习生|摄影|读者)")
_CREDIT = (rf"[■□]?(?:{_ROLE}(?:[{_H}]{{2,4}}[、，,]?){{1,4}})+"
           r"(?:摄影报道|摄|文/图|图/文|文图)?(?:[（(][^）)]{1,8}[）)])?")
_DATELINE = (rf"(?:【[^】]{{2,20}}】)?(?:本报[{_H}\d]{{0,10}}(?:讯|电)|[{_H}]{{2,4}}讯"
             rf"|(?:新华社|中新社|人民日报)[{_H}\d]{{0,10}}电|[（(](?:新华社|中新社)[{_H}\d]{{0,10}}电[）)])"
             rf"(?:{_ROLE}[{_H}]{{2,4}}报道)?[:：]?")
BODY_LEAD = re.compile(rf"^(?:{_CREDIT})?(?:{_DATELINE})?(（[^）]{{0,30}}）|\([^)]{{0,30}}\))?(新华社记者)?$")
BODY_TAIL = re.compile(
    rf"^(（[^）]{{0,30}}）|\([^)]{{0,30}}\)|(?:{_CREDIT}){{1,3}}|[■□]?[{_H}、]{{2,12}}摄(?:[（(][^）)]{{1,8}}[）)])?)?[?？]?$")


def norm(s) -> str:
    return _WS.sub("", s or "")


@dataclass
class Tally:
    """True positives, false positives, false negatives of a set comparison."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, gold: set, pred: set) -> None:
        self.tp += len(gold & pred)
        self.fp += len(pred - gold)
        self.fn += len(gold - pred)

    def figures(self) -> dict:
        return _prf(self.tp, self.fp, self.fn) | {"tp": self.tp, "fp": self.fp, "fn": self.fn}


def _prf(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


@dataclass
class Counts:
    """What one or more keys add up to (figures are computed from the sums: micro-averages)."""

    gold_items: int = 0
    pred_items: int = 0
    matched: int = 0
    start_only: int = 0  # start right, end wrong
    headline_total: int = 0
    headline_exact: int = 0
    headline_lenient: int = 0
    kind_right: int = 0
    date_total: int = 0
    date_right: int = 0
    authors: Tally = field(default_factory=Tally)
    author_names: Tally = field(default_factory=Tally)
    persons: Tally = field(default_factory=Tally)
    persons_file: Tally = field(default_factory=Tally)
    organizations: Tally = field(default_factory=Tally)
    places: Tally = field(default_factory=Tally)
    page_fields_total: int = 0
    page_fields_right: int = 0
    misses: list = field(default_factory=list)

    def __iadd__(self, other: Counts) -> Counts:
        for f in fields(self):
            mine, theirs = getattr(self, f.name), getattr(other, f.name)
            if isinstance(mine, Tally):
                mine.tp, mine.fp, mine.fn = mine.tp + theirs.tp, mine.fp + theirs.fp, mine.fn + theirs.fn
            elif isinstance(mine, list):
                mine.extend(theirs)
            else:
                setattr(self, f.name, mine + theirs)
        return self

    def figures(self) -> dict:
        """The figures in the layout of score.py --json."""
        p = self.matched / self.pred_items if self.pred_items else 1.0
        r = self.matched / self.gold_items if self.gold_items else 1.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0

        def ratio(a: int, b: int) -> float:
            return round(a / b, 4) if b else 1.0

        return {
            "items": {"gold": self.gold_items, "pred": self.pred_items, "matched": self.matched,
                      "start_only": self.start_only, "precision": round(p, 4), "recall": round(r, 4),
                      "f1": round(f1, 4)},
            "headline_exact": ratio(self.headline_exact, self.headline_total),
            "headline_lenient": ratio(self.headline_lenient, self.headline_total),
            "kind_accuracy": ratio(self.kind_right, self.matched),
            "event_date_accuracy": ratio(self.date_right, self.date_total),
            "authors": self.authors.figures(),
            "author_names": self.author_names.figures(),
            "persons": self.persons.figures(),
            "persons_per_file": self.persons_file.figures(),
            "organizations": self.organizations.figures(),
            "places": self.places.figures(),
            "page_fields": ratio(self.page_fields_right, self.page_fields_total),
        }


def _content(items) -> list[dict]:
    return [it for it in items or [] if (it.get("kind") or "article") != "other"]


def pair_items(gold: list[dict], pred: list[dict]) -> list[tuple[dict, dict | None, bool]]:
    """(key item, the predicted item whose body starts where the key says or None, does it end there too)."""
    bodies = [norm(p.get("body")).lstrip(LEADING_MARKERS) for p in pred]
    taken: set[int] = set()
    out = []
    for g in gold:
        start, end = norm(g["body_start"]).lstrip(LEADING_MARKERS), norm(g["body_end"])
        found = None
        for k, body in enumerate(bodies):
            if k in taken:
                continue
            at = body.find(start)
            if at >= 0 and BODY_LEAD.match(body[:at]):
                found = k
                break
        if found is None:
            out.append((g, None, False))
            continue
        taken.add(found)
        body = bodies[found]
        at = body.rfind(end)
        out.append((g, pred[found], at >= 0 and bool(BODY_TAIL.match(body[at + len(end):]))))
    return out


def score_document(key: dict, pred: dict) -> Counts:
    """Compare one parsed file (the ``newsetl parse --format json`` object) with its answer key."""
    c = Counts()
    gold, got = _content(key.get("items")), _content(pred.get("items"))
    c.gold_items, c.pred_items = len(gold), len(got)
    c.persons_file.add({norm(n) for it in gold for n in it.get("persons", [])},
                       {norm(n) for it in got for n in it.get("persons", []) or []})
    for g, p, end_ok in pair_items(gold, got):
        label = g.get("headline") or g["body_start"]
        if p is None:
            c.misses.append(("missed", label))
            continue
        if not end_ok:
            c.start_only += 1
            c.misses.append(("bad end", label))
            continue
        c.matched += 1
        c.kind_right += (p.get("kind") or "article") == (g.get("kind") or "article")
        if g.get("headline"):
            c.headline_total += 1
            gh, ph = norm(g["headline"]), norm(p.get("headline"))
            kicker, sub = norm(g.get("kicker")), norm(g.get("subheadline"))
            c.headline_exact += ph == gh
            if ph in {gh, kicker + gh, gh + sub, kicker + gh + sub}:
                c.headline_lenient += 1
            elif ph != gh:
                c.misses.append(("headline", f"{gh} <> {ph}"))
        if g.get("event_date"):
            c.date_total += 1
            c.date_right += str(p.get("event_date") or "")[:10] == g["event_date"]
        ga = {(norm(a["name"]), a["role"]) for a in g.get("authors", [])}
        pa = {(norm(a.get("name")), ROLE_LABELS.get((a.get("role") or "").strip(), (a.get("role") or "").strip()))
              for a in p.get("authors", []) or []}
        c.authors.add(ga, pa)
        c.author_names.add({n for n, _ in ga}, {n for n, _ in pa})
        for name in ("persons", "organizations", "places"):
            getattr(c, name).add({norm(n) for n in g.get(name, [])}, {norm(n) for n in p.get(name, []) or []})
    pages = pred.get("pages", []) or []
    for k, gp in enumerate(key.get("pages", [])):
        pp = pages[k] if k < len(pages) else {}
        for f in PAGE_FIELDS:
            if gp.get(f) is None:
                continue
            c.page_fields_total += 1
            c.page_fields_right += norm(str(pp.get(f) or "")) == norm(str(gp[f]))
    return c


# ---------------------------------------------------------------- entity recognition (BIO corpora)

NER_TYPES = {"PER": "persons", "ORG": "organizations", "LOC": "places"}


def read_bio(path) -> list[tuple[str, Counter]]:
    """A character-per-line BIO corpus: (sentence, Counter of (kind, surface)) per sentence."""
    out: list[tuple[str, Counter]] = []
    chars: list[str] = []
    found: Counter = Counter()
    kind, piece = None, []
    with open(path, encoding="utf-8") as f:
        for line in [*f, "\n"]:
            line = line.rstrip("\n")
            if not line.strip():
                if kind:
                    found[(NER_TYPES[kind], "".join(piece))] += 1
                kind, piece = None, []
                if chars:
                    out.append(("".join(chars), found))
                chars, found = [], Counter()
                continue
            parts = line.split("\t") if "\t" in line else line.split(" ")
            ch, tag = parts[0] or " ", parts[-1]
            chars.append(ch)
            if tag.startswith("I-") and tag[2:] == kind:
                piece.append(ch)
                continue
            if kind:
                found[(NER_TYPES[kind], "".join(piece))] += 1
            kind, piece = (tag[2:], [ch]) if tag.startswith("B-") and tag[2:] in NER_TYPES else (None, [])
    return out


def score_ner(corpus: list[tuple[str, Counter]], predictions: list[dict]) -> dict:
    """Micro precision / recall / F1 per kind over (sentence, kind, surface) mentions."""
    if len(predictions) != len(corpus):
        raise ValueError(f"expected {len(corpus)} predictions, got {len(predictions)}")
    counts = {k: [0, 0, 0] for k in NER_TYPES.values()}
    for (_, gold), pred in zip(corpus, predictions):
        for kind in NER_TYPES.values():
            g = Counter({k: v for k, v in gold.items() if k[0] == kind})
            p = Counter((kind, s) for s in pred.get(kind, []) or [])
            tp = sum((g & p).values())
            counts[kind][0] += tp
            counts[kind][1] += sum(p.values()) - tp
            counts[kind][2] += sum(g.values()) - tp
    return {kind: _prf(*c) for kind, c in counts.items()}
