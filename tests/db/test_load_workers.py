"""Parsing in worker processes (``load_paths(..., workers=N)``) writes exactly what parsing inline writes."""

from __future__ import annotations

import concurrent.futures
import multiprocessing
import os
import shutil
import signal
from pathlib import Path

import pytest
import sqlalchemy as sa

from etl.db.connection import create_engine
from etl.db.load import load_paths

from ..conftest import SEEDS

pytestmark = pytest.mark.db

NEWSPAPER = "焦作日报"

# Every table compared on natural keys (no surrogate ids), so two databases can be compared.
SNAPSHOT = {
    "source_file": "SELECT sha256, path, size_bytes, encoding, newline FROM source_file",
    "names": "SELECT n.path, sf.sha256 FROM source_file_name n JOIN source_file sf ON sf.id = n.source_file_id",
    "rejected": "SELECT path, reason, sha256, size_bytes, times FROM rejected_file",
    "issues": """SELECT np.name, np.masthead, i.issue_date, i.edition, i.date_source
                 FROM issue i JOIN newspaper np ON np.id = i.newspaper_id""",
    "pages": """SELECT sf.sha256, p.file_order, p.page_label, p.section, p.has_header, p.editor, p.proofreader,
                       p.layout_editor, p.hotline, p.first_line, i.issue_date
                FROM page p JOIN source_file sf ON sf.id = p.source_file_id JOIN issue i ON i.id = p.issue_id""",
    "page_staff": """SELECT sf.sha256, p.file_order, s.role, pe.name, s.surface FROM page_staff s
                     JOIN page p ON p.id = s.page_id JOIN source_file sf ON sf.id = p.source_file_id
                     JOIN person pe ON pe.id = s.person_id""",
    "articles": """SELECT a.text_key, sf.sha256, p.file_order, a.seq, a.kind, a.headline, a.kicker, a.subheadline,
                          a.dateline, a.byline, a.event_date, a.body, a.start_offset, a.end_offset, a.line_start,
                          a.line_end, a.content_hash
                   FROM article a JOIN page p ON p.id = a.page_id JOIN source_file sf ON sf.id = p.source_file_id""",
    "mentions": """SELECT a.text_key, m.role, m.surface, m.title, m.field, m.start_offset, m.end_offset,
                          p.name, o.name, pl.name
                   FROM mention m JOIN article a ON a.id = m.article_id LEFT JOIN person p ON p.id = m.person_id
                   LEFT JOIN organization o ON o.id = m.organization_id LEFT JOIN place pl ON pl.id = m.place_id""",
    "persons": "SELECT name, variants, variant_evidence::text FROM person",
    "organizations": "SELECT name, variants FROM organization",
    "places": "SELECT name, variants FROM place",
}


def snapshot(engine) -> dict[str, list]:
    with engine.connect() as conn:
        return {name: sorted(map(tuple, conn.execute(sa.text(sql)).all()), key=repr) for name, sql in SNAPSHOT.items()}


def make_corpus(folder: Path) -> list[Path]:
    """The seeds, a distinct copy of each, the same bytes under a second name, and bad files among them."""
    folder.mkdir()
    good = []
    for seed in sorted(SEEDS.glob("*.txt")):
        good.append(folder / seed.name)
        shutil.copy(seed, good[-1])
        good.append(folder / f"copy_{seed.name}")
        good[-1].write_text(seed.read_text(encoding="utf-8").replace("的", "的丁"), encoding="utf-8")
    shutil.copy(SEEDS / "003_223f8a6ac594ec44.txt", folder / "003_again.txt")
    good.append(folder / "003_again.txt")
    (folder / "b_empty.txt").write_bytes(b"")
    (folder / "b_image.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    text = (SEEDS / "001_d414a8ee10d38a41.txt").read_bytes()
    (folder / "b_nul.txt").write_bytes(text[:200] + b"\x00" + text[200:])  # a NUL inside UTF-8 text
    return good


BAD = {"b_empty.txt": "empty file", "b_image.png": "PNG", "b_nul.txt": "NUL"}


@pytest.fixture(scope="module")
def loads(make_database, tmp_path_factory):
    """The same folder loaded with one worker (inline) and with two, each into a fresh database."""
    folder = tmp_path_factory.mktemp("workers") / "corpus"
    good = make_corpus(folder)
    out = {}
    for workers in (1, 2):
        engine = create_engine(make_database())
        report = load_paths(engine, [str(folder)], newspaper=NEWSPAPER, workers=workers)
        out[workers] = (engine, report)
    yield folder, good, out
    for engine, _ in out.values():
        engine.dispose()


def test_two_workers_write_exactly_what_one_writes(loads):
    _, _, out = loads
    one, two = snapshot(out[1][0]), snapshot(out[2][0])
    assert one["articles"] and one["mentions"] and one["page_staff"]
    for table in SNAPSHOT:
        assert two[table] == one[table], table


def test_two_workers_report_every_file_in_input_order_like_one(loads):
    _, _, out = loads
    assert out[2][1].results == out[1][1].results
    statuses = {os.path.basename(r.path): r.status for r in out[2][1].results}
    assert statuses["003_again.txt"] == "unchanged"  # the same bytes as 003: its name recorded
    assert sum(s == "added" for s in statuses.values()) == 10


def test_bad_files_among_good_ones_are_rejected_and_the_others_loaded_with_two_workers(loads):
    folder, good, out = loads
    engine, report = out[2]
    by_name = {os.path.basename(r.path): r for r in report.results}
    for name, reason in BAD.items():
        assert by_name[name].status == "failed" and reason in by_name[name].message, by_name[name]
    assert all(by_name[p.name].status in ("added", "unchanged") for p in good)
    with engine.connect() as conn:
        assert sorted(conn.scalars(sa.text("SELECT path FROM source_file_name"))) == sorted(map(str, good))
        rejected = dict(conn.execute(sa.text("SELECT path, reason FROM rejected_file")).tuples().all())
        run = conn.execute(sa.text("SELECT status, files_added, files_failed FROM load_run")).one()
    assert {os.path.basename(p) for p in rejected} == set(BAD)
    assert (run.status, run.files_added, run.files_failed) == ("partial", 10, 3)


def test_unchanged_files_are_skipped_without_starting_workers(loads, monkeypatch):
    _, good, out = loads
    engine, _ = out[2]
    before = snapshot(engine)

    def no_pool(*args, **kwargs):
        raise AssertionError("a parse worker was started for unchanged files")

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", no_pool)
    report = load_paths(engine, [str(p) for p in good], newspaper=NEWSPAPER, workers=2)
    assert {r.status for r in report.results} == {"unchanged"}
    assert snapshot(engine) == before


def test_a_worker_that_dies_does_not_lose_files(make_database, tmp_path):
    """A parse worker killed mid-run (the OOM killer, an operator): the loader parses the rest itself."""
    folder = tmp_path / "corpus"
    good = make_corpus(folder)
    engine = create_engine(make_database())
    killed = []

    def on_file(result):
        if not killed:
            worker = multiprocessing.active_children()[0]
            os.kill(worker.pid, signal.SIGKILL)
            killed.append(worker.pid)

    try:
        report = load_paths(engine, [str(p) for p in good], newspaper=NEWSPAPER, workers=2, on_file=on_file)
        assert killed
        assert [r.status for r in report.results] == ["added"] * 10 + ["unchanged"]
        assert not multiprocessing.active_children()  # the pool is gone once the run ends
        with engine.connect() as conn:
            assert conn.scalar(sa.text("SELECT count(*) FROM source_file")) == 10
    finally:
        engine.dispose()
