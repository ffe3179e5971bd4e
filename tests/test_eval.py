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
