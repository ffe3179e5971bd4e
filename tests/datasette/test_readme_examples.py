"""The README's SQL API examples, run as written through Datasette's test client (docs the tests keep honest)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest

from .conftest import get

pytestmark = pytest.mark.db

README = Path(__file__).resolve().parents[2] / "README.md"


def readme_curl_examples() -> list[tuple[str, list[tuple[str, str]]]]:
    """(path, params) of every `curl -G URL --data-urlencode k=v ...` in the README's SQL API section."""
    text = README.read_text(encoding="utf-8")
    section = text[text.index("### The SQL API"):]
    section = section[:section.index("\n## ")]
    block = re.search(r"```sh\n(.*?)```", section, re.S).group(1).replace("\\\n", " ")
    examples = []
    for line in block.splitlines():
        if not line.startswith("curl"):
            continue
        words = shlex.split(line)
        url = next(w for w in words if w.startswith("http"))
        params = [tuple(words[i + 1].split("=", 1)) for i, w in enumerate(words) if w == "--data-urlencode"]
        examples.append((urlsplit(url).path, params))
    return examples


def test_readme_has_two_sql_api_examples():
    assert len(readme_curl_examples()) >= 2


@pytest.mark.parametrize("path,params", readme_curl_examples())
def test_readme_sql_api_example_answers(ds, path, params):
    response = get(ds, f"{path}?{urlencode(params)}")
    assert response.status_code == 200, response.text
    rows = response.json()
    assert isinstance(rows, list) and rows, "the example returns no rows on the seeds"
    assert all(row.get("title") for row in rows)
