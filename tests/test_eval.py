"""`newsetl eval`: the parser meets the accuracy targets on every key kept in the repository.

The keys, the other papers' dumps and the NER corpora are in tests/data/eval, and
the scorer is the project's own (etl/scoring.py), so nothing here needs the
evaluation kit beside the checkout; one test checks that the project's scorer
agrees with the kit's wherever the kit is there.
"""

from __future__ import annotations

import copy
import importlib.util
import json
import subprocess
import sys

import pytest

from etl.evaluate import (
    DEFAULT_EVAL_DIR, EXTERNAL_TARGETS, SHARED_KIT, TARGETS, VARIANTS, KeyScore, evaluate_external,
)
from etl.parse import parse_bytes
from etl.parse.export import to_eval_dict
from etl.scoring import read_bio, score_document, score_ner

from .conftest import SEEDS, run_cli

KEYS = sorted((DEFAULT_EVAL_DIR / "gold").glob("*.json"))
EXTERNAL = sorted((DEFAULT_EVAL_DIR / "external").glob("*.json"))


def test_the_evaluation_data_is_in_the_repository():
    assert len(KEYS) >= 2 and len(EXTERNAL) >= 7
    assert all((SEEDS / f"{k.stem}.txt").exists() for k in KEYS)
    assert all(k.with_suffix(".txt").exists() for k in EXTERNAL)
    assert all((DEFAULT_EVAL_DIR / "ner" / f"{c}.bio").exists() for c in ("peoples_daily.test", "msra.test"))


def test_parser_meets_targets_on_every_seed_key_and_the_other_papers():
    proc = run_cli("eval", "--json")
    report = json.loads(proc.stdout)
    keys = {r["key"] for r in report["results"]}
    assert keys == {k.stem for k in KEYS}
    assert len(report["results"]) == len(keys) * len(VARIANTS)
    assert {r["key"] for r in report["external"]} == {k.stem for k in EXTERNAL}
    assert report["external_pooled"]["items"]["gold"] == sum(r["figures"]["items"]["gold"] for r in report["external"])
    assert report["failures"] == [], "\n".join(report["failures"])
    assert proc.returncode == 0


def test_pooled_figures_add_up_the_files():
    files, pooled = evaluate_external()
    assert pooled.counts.matched == sum(f.counts.matched for f in files)
    assert pooled.counts.persons_file.tp == sum(f.counts.persons_file.tp for f in files)
    assert dict(pooled.targets) == EXTERNAL_TARGETS


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


def test_eval_without_data_is_a_usage_error(tmp_path):
    proc = run_cli("eval", "--eval-dir", str(tmp_path))
    assert proc.returncode == 2 and "no evaluation data" in proc.stderr


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
        "peoples_daily.test organizations F1 0.100 < 0.70"]
    assert NerScore("msra.test", figures, 1, 1, 1.0).failures() == []  # reported, no target


def test_eval_ner_through_the_cli(tmp_path):
    data = tmp_path / "data"
    (data / "ner").mkdir(parents=True)
    (data / "gold").mkdir()
    bio = (DEFAULT_EVAL_DIR / "ner" / "peoples_daily.test.bio").read_text(encoding="utf-8")
    head = bio[:bio.index("\n\n", 20_000) + 2]  # the first sentences only: the CLI path, not the figures
    for corpus in ("peoples_daily.test", "peoples_daily.dev", "msra.test"):
        (data / "ner" / f"{corpus}.bio").write_text(head, encoding="utf-8")
    proc = run_cli("eval", "--eval-dir", str(data), "--ner", "--json")
    report = json.loads(proc.stdout)
    assert [r["corpus"] for r in report["ner"]] == ["peoples_daily.test", "peoples_daily.dev", "msra.test"]
    assert all(0 < r["figures"]["persons"]["f1"] <= 1 and r["chars_per_second"] > 0 for r in report["ner"])
    assert report["results"] == [] and report["external"] == []
    assert proc.returncode == (1 if report["failures"] else 0)


# ---------------------------------------------------------------- the scorer agrees with the kit's

def _kit_module(name: str):
    spec = importlib.util.spec_from_file_location(f"kit_{name}", SHARED_KIT / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    sys.path.insert(0, str(SHARED_KIT))
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(SHARED_KIT))
    return module


def _worse(pred: dict, how: int) -> dict:
    """The prediction made wrong in one way, so the scorers are compared on misses too."""
    pred = copy.deepcopy(pred)
    items = pred["items"]
    for n, it in enumerate(items):
        if how == 1 and n % 2:
            it["body"] = it["body"][:-5]  # ends cut
        elif how == 2 and n % 3 == 0:
            it["headline"] = (it["headline"] or "") + "了"
            it["kind"] = "brief"
        elif how == 3:
            it["authors"] = [{"name": a["name"], "role": "credit"} for a in it["authors"]][:1]
            it["persons"] = it["persons"][1:]
        elif how == 4 and n % 2 == 0:
            it["body"] = "（记者 王五）" + it["body"] + "本报记者 赵六 摄"  # a lead and a tail the rules allow
        elif how == 5 and n % 2:
            it["body"] = "标题" + it["body"]  # a headline left in the body
    if how == 3 and pred["pages"]:
        pred["pages"][0]["section"] = "错"
    if how == 5:
        pred["items"] = items[::-1]
    return pred


@pytest.mark.skipif(not (SHARED_KIT / "score.py").exists(), reason="the evaluation kit is not beside this checkout")
@pytest.mark.parametrize("key", [*KEYS, *EXTERNAL], ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_scorer_agrees_with_the_kit_on_every_key(key):
    kit = _kit_module("score")
    dump = SEEDS / f"{key.stem}.txt" if key.parent.name == "gold" else key.with_suffix(".txt")
    gold = json.loads(key.read_text(encoding="utf-8"))
    pred = to_eval_dict(parse_bytes(dump.read_bytes(), dump.name))
    for how in range(6):
        worse = _worse(pred, how)
        ours = score_document(gold, worse).figures()
        theirs = kit.summary(kit.score(gold, worse))
        assert ours == theirs, f"variant {how}"
    # and through the kit's command line, as published
    proc = subprocess.run([sys.executable, str(SHARED_KIT / "score.py"), str(key), "/dev/stdin", "--json"],
                          input=json.dumps(pred, ensure_ascii=False), capture_output=True, text=True, check=True)
    assert json.loads(proc.stdout) == score_document(gold, pred).figures()


@pytest.mark.skipif(not (SHARED_KIT / "ner_score.py").exists(), reason="the evaluation kit is not beside this checkout")
def test_ner_scorer_agrees_with_the_kit(tmp_path):
    kit = _kit_module("ner_score")
    bio = DEFAULT_EVAL_DIR / "ner" / "msra.test.bio"
    ours, theirs = read_bio(bio), kit.read_corpus(str(bio))
    assert [(s, dict(c)) for s, c in ours] == [(s, dict(c)) for s, c in theirs]
    short = tmp_path / "short.bio"
    text = bio.read_text(encoding="utf-8")
    cut = 0
    for _ in range(500):
        cut = text.index("\n\n", cut) + 2
    short.write_text(text[:cut], encoding="utf-8")
    predictions = [{"persons": [k[1] for k in c if k[0] == "persons"][1:],
                    "organizations": [k[1] for k in c if k[0] == "organizations"] + ["某公司"],
                    "places": [s[:2]]} for s, c in read_bio(short)]
    (tmp_path / "pred.jsonl").write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in predictions),
                                         encoding="utf-8")
    proc = subprocess.run([sys.executable, str(SHARED_KIT / "ner_score.py"), str(short), "score",
                           str(tmp_path / "pred.jsonl"), "--json"], capture_output=True, text=True, check=True)
    assert json.loads(proc.stdout) == score_ner(read_bio(short), predictions)
