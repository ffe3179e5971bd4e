"""schema/schema.md documents exactly the tables and columns the migrations create."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import sqlalchemy as sa

pytestmark = pytest.mark.db

REFERENCE = Path(__file__).resolve().parents[2] / "schema" / "schema.md"


def documented_columns() -> dict[str, dict[str, tuple[str, bool]]]:
    tables: dict[str, dict[str, tuple[str, bool]]] = {}
    current = None
    for line in REFERENCE.read_text(encoding="utf-8").splitlines():
        if m := re.match(r"^## (\w+)\s*$", line):
            current = tables.setdefault(m.group(1), {})
        elif current is not None and (m := re.match(r"^\| (\w+) \| ([^|]+?) \| (yes|no) \|", line)):
            current[m.group(1)] = (m.group(2), m.group(3) == "yes")
    return tables


def database_columns(engine) -> dict[str, dict[str, tuple[str, bool]]]:
    rows = []
    with engine.connect() as conn:
        rows = conn.execute(sa.text("""
            SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), NOT a.attnotnull
            FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'v') AND a.attnum > 0 AND NOT a.attisdropped
              AND c.relname <> 'alembic_version'
            ORDER BY c.relname, a.attnum""")).all()
    tables: dict[str, dict[str, tuple[str, bool]]] = {}
    for table, column, type_, nullable in rows:
        tables.setdefault(table, {})[column] = (type_, nullable)
    return tables


def test_reference_parses():
    doc = documented_columns()
    assert "article" in doc and doc["article"]["body"] == ("text", False)


def test_reference_matches_migrated_database(migrated_engine):
    doc, real = documented_columns(), database_columns(migrated_engine)
    assert sorted(doc) == sorted(real), "tables documented vs. created differ"
    for table in real:
        assert doc[table] == real[table], f"schema/schema.md is out of date for table {table}"
