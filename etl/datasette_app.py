"""How newsetl runs Datasette: the metadata, templates and settings, in one place.

``newsetl serve`` (``serve_args``) and the tests (``make_datasette``) get the
same configuration. The metadata is schema/metadata.yml plus a description of
every column: the columns PostgreSQL has come from schema/schema.md (the
reference a test keeps in step with the migrations), the columns only the
published file has from the ``columns`` entries in metadata.yml.
"""

from __future__ import annotations

import copy
import functools
import json
import re
from pathlib import Path
from typing import Any

SCHEMA_DIR = Path(__file__).resolve().parents[1] / "schema"
METADATA = SCHEMA_DIR / "metadata.yml"
SCHEMA_REFERENCE = SCHEMA_DIR / "schema.md"
TEMPLATES = Path(__file__).resolve().parent / "templates"
METADATA_DATABASE = "newsetl"  # the database key used in schema/metadata.yml

# Safe to share: the file is served immutable (read-only, never written), and
# every request is bounded, so one heavy ad-hoc query cannot tie up a shared
# instance. Deliberate choices:
SETTINGS = {
    "sql_time_limit_ms": 3000,  # any SQL (canned, ad-hoc, table pages) is cancelled after 3 s
    "max_returned_rows": 1000,  # no query returns more than 1,000 rows (JSON/HTML); page through with _next
    "default_page_size": 50,
    "facet_time_limit_ms": 500,  # a facet that takes longer is dropped, the page still renders
    "suggest_facets": False,  # the useful facets are configured; suggestions cost a query per column
    "max_csv_mb": 50,  # streamed CSV of a whole table stops at 50 MB
    "num_sql_threads": 3,
    "truncate_cells_html": 300,
    "allow_download": True,  # the whole SQLite file is public data: researchers may take it
}


@functools.cache
def column_descriptions() -> dict[str, dict[str, str]]:
    """{table: {column: description}} from the tables of schema/schema.md (Markdown backticks removed)."""
    tables: dict[str, dict[str, str]] = {}
    current = None
    for line in SCHEMA_REFERENCE.read_text(encoding="utf-8").splitlines():
        heading = re.match(r"^## (\w+)\s*$", line)
        if heading:
            current = tables.setdefault(heading.group(1), {})
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if current is None or len(cells) < 4 or cells[0] in ("column", "") or set(cells[0]) <= {"-"}:
            continue
        column, description = cells[0], " | ".join(cells[3:])
        current[column] = description.replace("`", "")
    return tables


# Examples in the metadata's texts when the file holds no data to take them from ("Zhang San" and
# "Li Si" are Chinese's placeholder names).
DEFAULT_EXAMPLES = {"newspapers": "报纸", "person": "张三", "other_person": "李四", "titled_person": "张三",
                    "reporter": "王五", "date": "2024-01-01", "year": "2024", "post": "县委书记",
                    "post_date": "2024-01-01", "organization": "县委"}


def examples(sqlite_path: Path) -> dict[str, str]:
    """The names the site is titled by and its examples link to, taken from the published file: the
    newspapers loaded, the most mentioned person and who appears with them most, the person with the
    most titles printed, the most credited reporter, the day with the most articles and its year, the
    post printed most (and a day it was held) and the organization with the most officials."""
    import sqlite3

    from etl.network import national_leaders

    found = dict(DEFAULT_EXAMPLES)
    queries = {
        "newspapers": "select group_concat(name, '、') from (select name from newspaper order by name)",
        "person": """select entity from mention where entity_kind = 'person' and role = 'mentioned'
                     and entity not in (select value from json_each(:leaders))
                     group by entity order by count(distinct article_id) desc, entity limit 1""",
        "other_person": """select entity from mention where entity_kind = 'person' and role = 'mentioned'
                           and entity != :person and article_id in (
                             select article_id from mention where entity = :person and role = 'mentioned')
                           group by entity order by count(distinct article_id) desc, entity limit 1""",
        "titled_person": """select entity from mention where entity_kind = 'person' and title is not null
                            group by entity order by count(distinct title) desc, entity limit 1""",
        "reporter": """select entity from mention where role in ('reporter', 'photographer', 'correspondent')
                       group by entity order by count(distinct article_id) desc, entity limit 1""",
        "date": """select issue_date from article where issue_date is not null group by issue_date
                   order by count(*) desc, issue_date desc limit 1""",
        "post": "select post from person_post order by articles desc, post limit 1",
        "post_date": "select first_seen from person_post where post = :post order by articles desc limit 1",
        "organization": """select organization from person_post where organization is not null
                           group by organization order by count(distinct person_id) desc, organization limit 1""",
    }
    if not Path(sqlite_path).exists():
        return found
    try:
        with sqlite3.connect(f"file:{sqlite_path}?mode=ro", uri=True) as db:
            leaders = json.dumps(sorted(national_leaders()), ensure_ascii=False)  # not the example of a local paper
            for key, sql in queries.items():  # in order: other_person needs person
                params = {"person": found["person"], "post": found["post"], "leaders": leaders}
                row = db.execute(sql, {k: v for k, v in params.items() if f":{k}" in sql}).fetchone()
                if row and row[0]:
                    found[key] = str(row[0])
    except sqlite3.Error:
        return dict(DEFAULT_EXAMPLES)
    found["year"] = found["date"][:4]
    return found


def metadata_for(sqlite_path: Path) -> dict[str, Any]:
    """schema/metadata.yml with every column described, keyed to the database name Datasette gives
    ``sqlite_path`` (its stem), titled by the newspapers the file holds, its examples taken from it."""
    import html

    import yaml

    text = METADATA.read_text(encoding="utf-8")
    values = examples(sqlite_path)
    # YAML-quoted strings and HTML both take the values escaped
    text = re.sub(r"\{\{(\w+)\}\}", lambda m: html.escape(values.get(m.group(1), m.group(0)), quote=True)
                  .replace("\\", "\\\\"), text)
    name = Path(sqlite_path).stem
    if name != METADATA_DATABASE:  # links to /newsetl/..., /newsetl#queries, /newsetl.json
        text = re.sub(rf'(?<=["(>\s])/{METADATA_DATABASE}(?=[/?#."\s<])', f"/{name}", text)
    metadata = yaml.safe_load(text)
    database = copy.deepcopy(metadata["databases"][METADATA_DATABASE])
    described = column_descriptions()
    for table, config in database.get("tables", {}).items():
        columns = dict(described.get(table, {}))
        columns.update(config.get("columns") or {})  # publish-only columns, or a better wording
        if columns:
            config["columns"] = columns
    metadata["databases"] = {name: database}
    return metadata


def serve_args(sqlite_path: Path, host: str, port: int) -> list[str]:
    """Arguments for ``datasette serve``; writes the metadata JSON beside the SQLite file."""
    metadata_path = Path(sqlite_path).with_suffix(".metadata.json")
    metadata_path.write_text(json.dumps(metadata_for(sqlite_path), ensure_ascii=False, indent=1), encoding="utf-8")
    args = ["serve", "--immutable", str(sqlite_path), "--host", host, "--port", str(port),
            "--metadata", str(metadata_path), "--template-dir", str(TEMPLATES)]
    for name, value in SETTINGS.items():
        args += ["--setting", name, _setting_value(value)]
    return args


def _setting_value(value: Any) -> str:
    return ("on" if value else "off") if isinstance(value, bool) else str(value)


def make_datasette(sqlite_path: Path):
    """A Datasette instance configured like ``newsetl serve`` (used by the tests and by uvicorn)."""
    from datasette.app import Datasette

    return Datasette(immutables=[str(sqlite_path)], metadata=metadata_for(sqlite_path), settings=SETTINGS,
                     template_dir=str(TEMPLATES))
