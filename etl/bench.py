"""``newsetl bench``: how fast the pipeline runs on this machine, and how its cost grows with size.

A synthetic corpus is made by recombining the seed pages: every file takes the
items of one seed page in a new order (headline, then the body as printed),
under a page header with a new page label and a shifted date, so every file
and every article is new to the database. At each scale (1× is one file per
seed, about the seeds' size) one run measures, in a fresh process:

* decode and segmentation (every stage but entities), characters per second;
* entity recognition, characters per second (the recognizer's caches cleared
  per document, as in a load);
* plain ``jieba.lcut`` over the same decoded text: the reference;
* ``jieba.posseg.lcut`` over the same text: the tagger a hand-written jieba pipeline would
  use to find names (persons F1 0.49 on the People's Daily test set), the speed target;
* end to end, per worker count: ``load_paths`` into a freshly migrated
  database (read, parse, recognize, write, commit, resolve), characters and
  rows per second, seconds per page;
* ``publish`` (full) of that database to SQLite for Datasette;
* a scheduled load: five more files loaded (one worker) into the database
  that holds the scale's corpus, so the cost of the corpus-wide passes run
  after every load (known names, resolution) shows as the database grows;
* peak resident memory of the process doing the scale and of its workers.

The PostgreSQL server's own memory is not counted. Nothing here is a test:
targets are printed as PASS/FAIL and only ``--check`` turns a FAIL into exit 1.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import resource
import shutil
import sys
import tempfile
import time
import uuid
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from multiprocessing import get_context
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_SEEDS = REPO / "seeds"
WEEKDAYS = "一二三四五六日"
ROW_TABLES = ("newspaper", "source_file", "source_file_name", "issue", "page", "article", "person",
              "organization", "place", "mention", "page_staff")

# issue 7's targets, measured at the largest scale (issue 15: the end-to-end target is measured
# against jieba.posseg.lcut, not jieba.lcut, which the LAC model's cost rules out on this hardware)
TARGET_POSSEG_RATIO = 1.0  # end to end, one worker, vs jieba.posseg.lcut over the same text
TARGET_TWO_WORKERS = 1.6  # two workers vs one
TARGET_LINEAR = 1.3  # seconds per page at the largest scale vs at 1×
TARGET_RSS_MIB = 1024
ADDED_FILES = 5  # a night's pages of one title, loaded into the database of each scale


# ---------------------------------------------------------------- the corpus

@dataclass(frozen=True)
class SeedPage:
    name: str
    date: dt.date
    section: str
    staff: str | None  # the "■新闻热线…│■编辑…" line, when the seed prints one
    items: tuple[str, ...]  # each item as printed: headline line(s), then the body's lines


def seed_pages(seeds_dir: Path) -> list[SeedPage]:
    """The seeds as building blocks: their items' text and what their page headers say."""
    from etl.parse import parse_text
    from etl.parse.decode import decode_bytes

    pages = []
    for path in sorted(Path(seeds_dir).glob("*.txt")):
        decoded = decode_bytes(path.read_bytes(), path.name)
        text = decoded.text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
        doc = parse_text(text, path.name, entities=False)
        items = []
        for it in doc.items:
            if it.kind == "other":
                continue
            body = text[it.start:it.end].strip("\n")
            items.append(f"{it.headline}\n\n{body}" if it.headline and it.kind != "photo" else body)
        if not items:
            continue
        header = next((p for p in doc.pages if p.date), None)
        staff = None
        if header is not None:
            staff = next((ln for ln in text[header.start:header.end + 200].splitlines() if ln.startswith("■")), None)
        section = (header.section if header else None) or next(
            (b.text for b in doc.banners), None) or "综合新闻"
        pages.append(SeedPage(path.name, (header.date if header else None) or doc.date or dt.date(2023, 1, 10),
                              section, staff, tuple(items)))
    if not pages:
        raise ValueError(f"no seed pages with items in {seeds_dir}")
    return pages


def synthetic_file(pages: list[SeedPage], k: int) -> str:
    """The k-th file of the corpus: seed page k mod n, items shuffled, a new label and date."""
    page = pages[k % len(pages)]
    rng = random.Random(k)
    items = list(page.items)
    rng.shuffle(items)
    date = page.date + dt.timedelta(days=k // len(pages))
    label = f"{'ABCDEFGH'[(k // 99) % 8]}{k % 99 + 1:02d}"
    header = ["JIAOZUO DAILY", f"{label}│{page.section}{date.year}年{date.month}月{date.day}日 "
              f"星期{WEEKDAYS[date.weekday()]}", ""]
    if page.staff:
        header += [page.staff, ""]
    return "\n".join(header) + "\n" + "\n\n".join(items) + "\n"


def write_corpus(pages: list[SeedPage], files: int, folder: Path, start: int = 0) -> list[Path]:
    """Files ``start`` … ``start + files - 1`` of the corpus, written to folder."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for k in range(start, start + files):
        path = folder / f"bench_{k:06d}.txt"
        path.write_text(synthetic_file(pages, k), encoding="utf-8")
        paths.append(path)
    return paths


# ---------------------------------------------------------------- measuring

@dataclass
class LoadFigures:
    workers: int
    seconds: float
    chars_per_s: float
    rows: int
    rows_per_s: float
    pages: int
    s_per_page: float
    articles: int
    mentions: int
    failed: int


@dataclass
class ScaleFigures:
    scale: int
    files: int
    chars: int
    bytes: int
    decode_segment_chars_per_s: float
    entities_chars_per_s: float
    jieba_lcut_chars_per_s: float
    loads: list[LoadFigures] = field(default_factory=list)
    publish_s: float = 0.0
    peak_rss_mib: float = 0.0
    startup_s: float = 0.0  # loading jieba's dictionary and the LAC model, once per process
    # a scheduled load: ADDED_FILES new files into the database already holding this scale's corpus
    added_files: int = 0
    add_files_s: float = 0.0
    jieba_posseg_chars_per_s: float = 0.0  # jieba.posseg.lcut over the same decoded text

    def load(self, workers: int) -> LoadFigures | None:
        return next((f for f in self.loads if f.workers == workers), None)


def _peak_rss_mib() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024  # KiB on Linux


def measure_scale(scale: int, seeds_dir: str, admin_url: str, workers: list[int], corpus_dir: str | None) -> dict:
    """Everything at one scale; run in its own process so its peak memory is its own."""
    import jieba
    import sqlalchemy as sa
    from sqlalchemy.engine import make_url

    from etl.db import migrate
    from etl.db.connection import create_engine
    from etl.db.load import load_paths
    from etl.db.publish import publish
    from etl.parse import clear_caches, parse_bytes, parse_text
    from etl.parse.decode import decode_bytes
    from etl.parse.entities import attach_entities

    pages = seed_pages(Path(seeds_dir))
    workdir = Path(tempfile.mkdtemp(prefix=f"newsetl-bench-{scale}x-"))
    try:
        folder = Path(corpus_dir) / f"{scale}x" if corpus_dir else workdir / "corpus"
        paths = write_corpus(pages, scale * len(pages), folder)
        raw = [p.read_bytes() for p in paths]

        started = time.perf_counter()  # models load once per process; not part of the rates
        parse_bytes(raw[0], "warm-up")
        jieba.initialize()
        startup = time.perf_counter() - started

        texts, docs = [], []
        t0 = time.perf_counter()
        for path, data in zip(paths, raw):
            decoded = decode_bytes(data, path.name)
            texts.append(decoded.text)
            docs.append(parse_text(decoded.text, path.name, decoded.encoding, decoded.newline, entities=False))
        segment_s = time.perf_counter() - t0
        chars = sum(len(t) for t in texts)

        t0 = time.perf_counter()
        for doc in docs:
            clear_caches()
            attach_entities(doc.items)
        entities_s = time.perf_counter() - t0
        del docs

        t0 = time.perf_counter()
        for text in texts:
            jieba.lcut(text)
        jieba_s = time.perf_counter() - t0

        import jieba.posseg

        jieba.posseg.lcut(texts[0][:100])  # its tables load once, not part of the rate
        t0 = time.perf_counter()
        for text in texts:
            jieba.posseg.lcut(text)
        posseg_s = time.perf_counter() - t0
        del texts, raw

        figures = ScaleFigures(scale, len(paths), chars, sum(p.stat().st_size for p in paths),
                               chars / segment_s, chars / entities_s, chars / jieba_s, startup_s=startup,
                               jieba_posseg_chars_per_s=chars / posseg_s)
        admin = create_engine(make_url(admin_url), isolation_level="AUTOCOMMIT")
        try:
            for n in workers:
                name = f"newsetl_bench_{uuid.uuid4().hex[:10]}"
                with admin.connect() as conn:
                    conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
                engine = create_engine(make_url(admin_url).set(database=name))
                try:
                    migrate.upgrade(engine)
                    clear_caches()
                    t0 = time.perf_counter()
                    report = load_paths(engine, [str(folder)], workers=n)
                    seconds = time.perf_counter() - t0
                    with engine.connect() as conn:
                        counts = {t: conn.scalar(sa.text(f"SELECT count(*) FROM {t}")) for t in ROW_TABLES}
                    rows = sum(counts.values())
                    figures.loads.append(LoadFigures(
                        n, seconds, chars / seconds, rows, rows / seconds, counts["page"],
                        seconds / max(counts["page"], 1), counts["article"], counts["mention"],
                        report.count("failed")))
                    if not figures.publish_s:
                        t0 = time.perf_counter()
                        publish(engine, workdir / "bench.db", full=True)
                        figures.publish_s = time.perf_counter() - t0
                        # what the next scheduled load costs once the database holds this much
                        added = write_corpus(pages, ADDED_FILES, workdir / "added", start=len(paths))
                        t0 = time.perf_counter()
                        report = load_paths(engine, [str(workdir / "added")], workers=1)
                        figures.add_files_s = time.perf_counter() - t0
                        figures.added_files = len(added) - report.count("failed")
                finally:
                    engine.dispose()
                    with admin.connect() as conn:
                        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        finally:
            admin.dispose()
        figures.peak_rss_mib = _peak_rss_mib()
        return asdict(figures)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


@dataclass
class BenchReport:
    machine: dict
    scales: list[ScaleFigures]
    verdicts: list[dict]


def _scale_from_dict(d: dict) -> ScaleFigures:
    loads = [LoadFigures(**x) for x in d.pop("loads")]
    return ScaleFigures(**d, loads=loads)


def verdicts(scales: list[ScaleFigures]) -> list[dict]:
    """issue 7's targets, judged at the largest scale measured."""
    if not scales:
        return []
    big, small = scales[-1], scales[0]
    out = []
    one, two = big.load(1), big.load(2)
    if one and big.jieba_posseg_chars_per_s:
        ratio = one.chars_per_s / big.jieba_posseg_chars_per_s
        out.append({"target": f"end to end, 1 worker ≥ {TARGET_POSSEG_RATIO:.1f}× jieba.posseg.lcut ({big.scale}×)",
                    "value": round(ratio, 3), "ok": ratio >= TARGET_POSSEG_RATIO})
    if one and two:
        speedup = two.chars_per_s / one.chars_per_s
        out.append({"target": f"2 workers ≥ {TARGET_TWO_WORKERS:.1f}× 1 worker ({big.scale}×)",
                    "value": round(speedup, 3), "ok": speedup >= TARGET_TWO_WORKERS})
    if one and len(scales) > 1 and small.load(1):
        growth = one.s_per_page / small.load(1).s_per_page
        out.append({"target": f"s/page at {big.scale}× ≤ {TARGET_LINEAR:.1f}× s/page at {small.scale}×",
                    "value": round(growth, 3), "ok": growth <= TARGET_LINEAR})
    peak = max(s.peak_rss_mib for s in scales)
    out.append({"target": f"peak RSS < {TARGET_RSS_MIB} MiB", "value": round(peak, 1), "ok": peak < TARGET_RSS_MIB})
    return out


def run_bench(scales: list[int], workers: list[int], admin_url: str, seeds_dir: Path = DEFAULT_SEEDS,
              corpus_dir: Path | None = None, on_scale=None) -> BenchReport:
    """Measure every scale, each in a fresh process; ``admin_url`` may create and drop databases."""
    results = []
    for scale in scales:
        with ProcessPoolExecutor(1, mp_context=get_context("spawn")) as pool:
            raw = pool.submit(measure_scale, scale, str(seeds_dir), admin_url, workers,
                              str(corpus_dir) if corpus_dir else None).result()
        figures = _scale_from_dict(raw)
        results.append(figures)
        if on_scale:
            on_scale(figures)
    machine = {"cpus": os.cpu_count(), "python": sys.version.split()[0],
               "when": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")}
    return BenchReport(machine, results, verdicts(results))


def report_json(report: BenchReport) -> str:
    return json.dumps({"machine": report.machine, "scales": [asdict(s) for s in report.scales],
                       "targets": report.verdicts}, ensure_ascii=False, indent=1)
