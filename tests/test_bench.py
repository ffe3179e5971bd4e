"""`newsetl bench`: the synthetic corpus, the figures it reports, and the targets it judges."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from etl.bench import LoadFigures, ScaleFigures, seed_pages, synthetic_file, verdicts, write_corpus
from etl.parse import parse_bytes

from .conftest import SEEDS, run_cli, url_arg


@pytest.fixture(scope="module")
def pages():
    return seed_pages(SEEDS)


def test_every_seed_with_items_is_a_building_block(pages):
    assert len(pages) == len(list(SEEDS.glob("*.txt")))
    assert all(p.items and p.section and isinstance(p.date, dt.date) for p in pages)


def test_corpus_is_deterministic_and_every_file_differs(pages):
    files = [synthetic_file(pages, k) for k in range(3 * len(pages))]
    assert files == [synthetic_file(pages, k) for k in range(3 * len(pages))]
    assert len(set(files)) == len(files)


@pytest.mark.parametrize("k", [0, 4, 7, 23])
def test_each_file_parses_with_a_new_label_and_a_shifted_date(pages, k):
    seed = pages[k % len(pages)]
    doc = parse_bytes(synthetic_file(pages, k).encode(), f"bench_{k}.txt")
    assert len([it for it in doc.items if it.kind != "other"]) >= max(1, len(seed.items) // 2)
    (page,) = doc.pages
    assert page.page_label == f"A{k % 99 + 1:02d}"
    assert page.date == seed.date + dt.timedelta(days=k // len(pages))
    assert page.section == seed.section


def test_corpus_size_scales_with_the_seeds(pages, tmp_path):
    one = sum(p.stat().st_size for p in write_corpus(pages, len(pages), tmp_path / "1"))
    ten = sum(p.stat().st_size for p in write_corpus(pages, 10 * len(pages), tmp_path / "10"))
    seeds = sum(p.stat().st_size for p in SEEDS.glob("*.txt"))
    assert 0.6 * seeds < one < 1.4 * seeds
    assert 9 * one < ten < 11 * one


def _scale(scale, posseg, one, two, per_page, rss, lcut=1000.0):
    loads = [LoadFigures(1, 1.0, one, 10, 10.0, 1, per_page, 1, 1, 0)]
    if two:
        loads.append(LoadFigures(2, 1.0, two, 10, 10.0, 1, per_page, 1, 1, 0))
    return ScaleFigures(scale, 5, 1000, 3000, 1.0, 1.0, lcut, loads, 0.1, rss, jieba_posseg_chars_per_s=posseg)


def test_verdicts_judge_the_largest_scale():
    scales = [_scale(1, 100.0, 50.0, 60.0, 1.0, 300.0), _scale(100, 100.0, 120.0, 200.0, 1.2, 500.0)]
    got = {v["target"].split(" ")[0]: (v["value"], v["ok"]) for v in verdicts(scales)}
    assert got == {"end": (1.2, True), "2": (1.667, True), "s/page": (1.2, True), "peak": (500.0, True)}
    slow = [_scale(1, 100.0, 50.0, None, 1.0, 300.0), _scale(100, 100.0, 40.0, None, 2.0, 2000.0)]
    assert [v["ok"] for v in verdicts(slow)] == [False, False, False]


def test_end_to_end_is_judged_against_posseg_not_jieba_lcut():
    # one worker at 120 c/s: 0.12× a jieba.lcut of 1,000 c/s (no longer a target), 1.2× posseg at 100 c/s
    (end,) = [v for v in verdicts([_scale(1, 100.0, 120.0, None, 1.0, 300.0, lcut=1000.0)])
              if v["target"].startswith("end")]
    assert "jieba.posseg.lcut" in end["target"] and end["value"] == 1.2 and end["ok"]
    (end,) = [v for v in verdicts([_scale(1, 200.0, 120.0, None, 1.0, 300.0, lcut=50.0)])
              if v["target"].startswith("end")]
    assert end["value"] == 0.6 and not end["ok"]


@pytest.mark.db
@pytest.mark.slow
def test_bench_through_the_cli(admin_url):
    proc = run_cli("bench", "--scales", "1", "--workers", "1", "--json", "--db", url_arg(admin_url), timeout=600)
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    (scale,) = report["scales"]
    assert scale["scale"] == 1 and scale["files"] == len(list(SEEDS.glob("*.txt")))
    for key in ("decode_segment_chars_per_s", "entities_chars_per_s", "jieba_lcut_chars_per_s",
                "jieba_posseg_chars_per_s", "publish_s", "peak_rss_mib"):
        assert scale[key] > 0, key
    # the scheduled load after it: five new files into the same database
    assert scale["added_files"] == 5 and scale["add_files_s"] > 0
    (load,) = scale["loads"]
    assert load["workers"] == 1 and load["failed"] == 0
    assert load["pages"] == scale["files"] and load["articles"] > 50 and load["mentions"] > load["articles"]
    assert load["rows"] > load["articles"] + load["mentions"]
    assert load["rows_per_s"] == pytest.approx(load["rows"] / load["seconds"])
    assert load["chars_per_s"] == pytest.approx(scale["chars"] / load["seconds"])
    assert {v["target"].split(" ")[0] for v in report["targets"]} == {"end", "peak"}
