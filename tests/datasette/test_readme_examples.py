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


def test_readme_json_examples_print_chinese_as_chinese():
    text = README.read_text(encoding="utf-8")
    section = text[text.index("### The SQL API"):]
    block = re.search(r"```sh\n(.*?)```", section, re.S).group(1).replace("\\\n", " ")
    commands = [line for line in block.splitlines() if line.startswith("curl")]
    assert commands and all("| jq" in c or "json.tool --no-ensure-ascii" in c for c in commands)


def test_readme_first_screen_holds_the_two_commands_and_the_screenshot():
    first_screen = "\n".join(README.read_text(encoding="utf-8").splitlines()[:30])
    assert "make run" in first_screen and "make test" in first_screen
    image = re.search(r"!\[[^\]]*\]\(([^)]+\.png)\)", first_screen).group(1)
    assert (README.parent / image).stat().st_size > 10_000
    assert "newsetl-postgres" in first_screen  # what running as root does, on the first screen


def test_readme_search_figures_are_the_seeds(ds, sqlite_db):
    """The figures the README's search table quotes, measured on the published seeds."""
    text = README.read_text(encoding="utf-8")
    quoted = int(re.search(r"never 安全…生产 apart \(on the seeds: (\d+)", text).group(1))
    like = sqlite_db.execute("SELECT count(*) FROM article WHERE headline LIKE '%安全生产%' OR body LIKE '%安全生产%'")
    assert quoted == like.fetchone()[0]
    searched = get(ds, "/newsetl/article.json?_search=%E5%AE%89%E5%85%A8%E7%94%9F%E4%BA%A7&_shape=array&_col=id")
    assert len(searched.json()) == quoted
    eco = int(re.search(r"生态环境保护: (\d+)\)", text).group(1))
    assert eco == sqlite_db.execute("SELECT count(*) FROM article WHERE headline LIKE '%生态环境保护%' "
                                    "OR body LIKE '%生态环境保护%'").fetchone()[0]
    fallback = int(re.search(r"工作 \((\d+) on the seeds\)", text).group(1))
    assert fallback == len(get(ds, "/newsetl/article.json?_shape=array&_col=id&_search="
                               "%E9%AB%98%E6%96%B0%E5%8C%BA%E5%AE%89%E5%85%A8%E7%94%9F%E4%BA%A7%E5%B7%A5%E4%BD%9C").json())
    variant, total = map(int, re.search(r"官卫红（(\d+) 篇）; (\d+) articles", text).groups())
    person = sqlite_db.execute("SELECT id FROM person WHERE name = '宫卫红'").fetchone()[0]
    assert total == sqlite_db.execute("SELECT count(DISTINCT article_id) FROM mention WHERE person_id = ?",
                                      (person,)).fetchone()[0]
    assert variant == sqlite_db.execute("SELECT count(*) FROM article WHERE body LIKE '%官卫红%' "
                                        "OR headline LIKE '%官卫红%'").fetchone()[0]
