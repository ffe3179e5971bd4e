"""`newsetl eval`: the parser meets the accuracy targets on every published key, in every encoding.

CI runs this, so accuracy cannot silently regress.
"""

from __future__ import annotations

import json

import pytest

from etl.evaluate import DEFAULT_EVAL_DIR, TARGETS, VARIANTS, KeyScore

from .conftest import run_cli

pytestmark = pytest.mark.skipif(not (DEFAULT_EVAL_DIR / "score.py").exists(),
                                reason="the evaluation kit ../shared/eval is not beside this checkout")


def test_parser_meets_targets_on_every_published_key():
    proc = run_cli("eval", "--json")
    report = json.loads(proc.stdout)
    keys = {r["key"] for r in report["results"]}
    assert len(keys) == len(list((DEFAULT_EVAL_DIR / "gold").glob("*.json"))) >= 1
    assert len(report["results"]) == len(keys) * len(VARIANTS)
    assert report["failures"] == [], "\n".join(report["failures"])
    assert proc.returncode == 0


def test_eval_flags_figures_under_target():
    figures: dict = {}
    for path in TARGETS:  # every target met...
        *parents, leaf = path.split(".")
        node = figures
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = 1.0
    figures["items"]["f1"] = 0.5  # ...but one
    assert KeyScore("k", "as is", figures).failures() == ["items.f1 0.500 < 0.97"]


def test_eval_without_the_kit_is_a_usage_error(tmp_path):
    proc = run_cli("eval", "--eval-dir", str(tmp_path))
    assert proc.returncode == 2 and "no evaluation kit" in proc.stderr


def test_entity_recognizer_meets_targets_on_peoples_daily_test():
    from etl.evaluate import NER_TARGETS, evaluate_ner

    (score,) = evaluate_ner(corpora=("peoples_daily.test",))
    assert score.sentences > 1000 and score.characters > 100_000
    assert set(NER_TARGETS["peoples_daily.test"]) == {"persons", "organizations", "places"}
    assert score.failures() == [], score.figures


def test_ner_failures_name_the_corpus_and_figure():
    from etl.evaluate import NerScore

    figures = {"persons": {"f1": 0.9}, "organizations": {"f1": 0.1}, "places": {"f1": 0.9}}
    assert NerScore("peoples_daily.test", figures, 1, 1, 1.0).failures() == [
        "peoples_daily.test organizations F1 0.100 < 0.60"]
    assert NerScore("msra.test", figures, 1, 1, 1.0).failures() == []  # reported, no target


def test_eval_ner_through_the_cli(tmp_path):
    kit = tmp_path / "kit"
    (kit / "ner").mkdir(parents=True)
    (kit / "gold").mkdir()
    for name in ("score.py", "ner_score.py"):
        (kit / name).write_bytes((DEFAULT_EVAL_DIR / name).read_bytes())
    bio = (DEFAULT_EVAL_DIR / "ner" / "peoples_daily.test.bio").read_text(encoding="utf-8")
    head = bio[:bio.index("\n\n", 20_000) + 2]  # the first sentences only: the CLI path, not the figures
    for corpus in ("peoples_daily.test", "peoples_daily.dev", "msra.test"):
        (kit / "ner" / f"{corpus}.bio").write_text(head, encoding="utf-8")
    proc = run_cli("eval", "--eval-dir", str(kit), "--ner", "--json")
    report = json.loads(proc.stdout)
    assert [r["corpus"] for r in report["ner"]] == ["peoples_daily.test", "peoples_daily.dev", "msra.test"]
    assert all(0 < r["figures"]["persons"]["f1"] <= 1 and r["chars_per_second"] > 0 for r in report["ner"])
    assert proc.returncode == (1 if report["failures"] else 0)
