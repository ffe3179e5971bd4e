"""The same pages exported a little differently are cut the same way.

E-paper exports differ in blank lines and trailing spaces; the keys of the other
papers (tests/data/eval/external) still hold for every variant, since they are
whitespace-insensitive. Other exports of the same pages (indentation stripped, punctuation and page
labels printed otherwise, page headers missing) are scored in test_robustness.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from etl.evaluate import DEFAULT_EVAL_DIR
from etl.parse import parse_text
from etl.parse.export import to_eval_dict
from etl.scoring import Counts, score_document

KEYS = sorted((DEFAULT_EVAL_DIR / "external").glob("*.json"))

VARIANTS = {
    "no blank lines": lambda lines: [ln for ln in lines if ln.strip()],
    "blank line after every line": lambda lines: [x for ln in lines for x in (ln, "")],
    "trailing spaces": lambda lines: [ln + "  \u3000" for ln in lines],
}


@pytest.mark.parametrize("variant", VARIANTS)
def test_other_papers_in_other_layouts(variant):
    total = Counts()
    for key in KEYS:
        lines = Path(key.with_suffix(".txt")).read_text(encoding="utf-8").split("\n")
        text = "\n".join(VARIANTS[variant](lines))
        total += score_document(json.loads(key.read_text(encoding="utf-8")),
                                to_eval_dict(parse_text(text, key.name, entities=False)))
    figures = total.figures()
    assert figures["items"]["gold"] >= 59
    assert figures["items"]["f1"] >= 0.97 and figures["headline_exact"] >= 0.95, figures
    assert figures["authors"]["f1"] >= 0.95 and figures["page_fields"] >= 0.95, figures
