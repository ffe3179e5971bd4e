"""Publish PostgreSQL to the SQLite file Datasette serves.

Every table is copied with its primary and foreign keys; a few label and
count columns are added so Datasette's links show names and headlines instead
of ids (``DERIVED``); an FTS5 table indexes the segmented headlines and bodies
for Chinese search (``etl/search.py``). The file is written beside the target
and renamed over it, so a running Datasette never sees half a file.

Publishing is incremental. Pages, articles (through the page they are shown
from), their sources and mentions all belong to one source file, so the file
is the unit of change: the published file records a fingerprint of everything it holds for each source file (an MD5 over the rows
exactly as they are published, labels included), and the next publish copies
the old file, drops and re-copies the pages, articles, mentions and search
entries of the source files whose fingerprint changed or that are gone, and
replaces the small shared tables (newspapers, issues, files, runs, people,
organizations, places) whole. Segmenting text is what costs time, and only
new or changed articles are segmented. A full rebuild happens when there is no
earlier file, when the layout changed (newsetl version, segmenter, tables or
columns), when asked (``full=True``), or if the row counts of an incremental
result do not match PostgreSQL.

All reads happen in one REPEATABLE READ transaction, so a load running at the
same time cannot leave a published article without its page. A stamp of the
PostgreSQL data is stored in the file so ``newsetl serve`` can tell whether
it is stale.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa
import sqlite_utils
from sqlalchemy.engine import Connection, Engine

from etl import __version__
from etl.errors import OutputFileError, quoted
from etl.search import segment_for_index, segmenter_fingerprint

from .models import Base

META_TABLE = "_newsetl_meta"
FILES_TABLE = "_newsetl_files"  # source_file_id -> fingerprint of what is published for it
FTS_TABLE = "article_fts"
BATCH = 2000
PUBLISH_FORMAT = "4"  # bump when the published layout changes without a column change

# Every table but the loader's lock rows, which mean nothing to a reader.
PUBLISHED_TABLES = tuple(t for t in Base.metadata.sorted_tables if t.name != "load_lock")

# Tables whose rows belong to one source file (through page.source_file_id).
FILE_TABLES = ("page", "page_staff", "article", "article_source", "mention", "mention_post")

# PostgreSQL views re-created in SQLite (same columns), so they can be browsed and queried too.
SQLITE_VIEWS = {
    "person_title": """
        CREATE VIEW person_title AS
        SELECT p.id AS person_id, p.name AS person,
               -- the form printed last (ties: the later mention), as PostgreSQL's array_agg picks it
               substr(max(coalesce(a.issue_date, a.event_date, '0000-00-00') || printf('%012d', m.id)
                          || replace(replace(m.title, '(', '（'), ')', '）')), 23) AS title,
               min(coalesce(a.issue_date, a.event_date)) AS first_seen,
               max(coalesce(a.issue_date, a.event_date)) AS last_seen,
               count(DISTINCT a.id) AS articles,
               count(DISTINCT replace(replace(m.title, '(', '（'), ')', '）')) AS printed_forms
        FROM mention m JOIN person p ON p.id = m.person_id JOIN article a ON a.id = m.article_id
        WHERE m.title IS NOT NULL
        GROUP BY p.id, p.name, m.title_key""",
    "person_post": """
        CREATE VIEW person_post AS
        SELECT p.id AS person_id, p.name AS person, po.id AS post_id, po.name AS post,
               po.organization_id, po.organization_name AS organization, po.division_id, d.name AS division,
               min(coalesce(a.issue_date, a.event_date)) AS first_seen,
               max(coalesce(a.issue_date, a.event_date)) AS last_seen,
               count(DISTINCT a.id) AS articles
        FROM mention_post mp JOIN post po ON po.id = mp.post_id JOIN mention m ON m.id = mp.mention_id
        JOIN person p ON p.id = m.person_id JOIN article a ON a.id = m.article_id
        LEFT JOIN division d ON d.id = po.division_id
        GROUP BY p.id, po.id""",
    # Articles with the bm25 score of a search: `where search match newsetl_fts(:q) order by bm25`.
    # Datasette serves searches of the article table from it (etl/datasette_plugin.py), so results
    # come by relevance, and a view pages by offset, which any order allows.
    "article_search": """
        CREATE VIEW article_search AS
        SELECT a.*, f.rank AS bm25, f.article_fts AS search
        FROM article_fts f JOIN article a ON a.id = f.rowid""",
}


@dataclass(frozen=True)
class Derived:
    """How a table is read for publishing: its columns (with extra ones), joins and source file."""

    columns: str
    source: str
    order: str
    file_column: str | None = None  # expression giving the row's source_file id


# An issue's date in labels; a date inferred from the text (not printed in a page header) says so.
_DATE_LABEL = ("coalesce(to_char(i.issue_date, 'YYYY-MM-DD'), '日期不详') "
               "|| CASE WHEN i.date_source = 'text' THEN '（据正文推断）' ELSE '' END")

_ENTITY_COUNT = """(SELECT {fk} AS id, count(DISTINCT article_id) AS n FROM mention
                    WHERE {fk} IS NOT NULL GROUP BY {fk})"""

DERIVED: dict[str, Derived] = {
    "issue": Derived(
        f"i.*, n.name || ' ' || {_DATE_LABEL} AS label",
        "issue i JOIN newspaper n ON n.id = i.newspaper_id", "i.id"),
    "page": Derived(
        f"p.*, concat_ws(' ', {_DATE_LABEL}, p.page_label, p.section) AS label, i.issue_date, i.date_source",
        "page p JOIN issue i ON i.id = p.issue_id", "p.id", "p.source_file_id"),
    "article": Derived(
        "a.*, coalesce(a.headline, left(regexp_replace(a.body, '\\s+', '', 'g'), 24) || '…') AS title, "
        "i.issue_date, p.page_label, p.section, n.name AS newspaper, i.date_source",
        "article a JOIN page p ON p.id = a.page_id JOIN issue i ON i.id = p.issue_id "
        "JOIN newspaper n ON n.id = i.newspaper_id", "a.id", "p.source_file_id"),
    "page_staff": Derived("s.*", "page_staff s JOIN page p ON p.id = s.page_id", "s.id", "p.source_file_id"),
    "article_source": Derived("s.*", "article_source s JOIN page p ON p.id = s.page_id", "s.id",
                              "p.source_file_id"),
    "mention": Derived(
        "m.*, coalesce(pe.name, o.name, pl.name) AS entity, "
        "CASE WHEN m.person_id IS NOT NULL THEN 'person' "
        "WHEN m.organization_id IS NOT NULL THEN 'organization' ELSE 'place' END AS entity_kind, "
        "i.issue_date",
        "mention m JOIN article a ON a.id = m.article_id JOIN page p ON p.id = a.page_id "
        "JOIN issue i ON i.id = p.issue_id LEFT JOIN person pe ON pe.id = m.person_id "
        "LEFT JOIN organization o ON o.id = m.organization_id LEFT JOIN place pl ON pl.id = m.place_id",
        "m.id", "p.source_file_id"),
    "mention_post": Derived(
        "mp.*", "mention_post mp JOIN mention m ON m.id = mp.mention_id JOIN article a ON a.id = m.article_id "
        "JOIN page p ON p.id = a.page_id", "mp.id", "p.source_file_id"),
    **{entity: Derived(
        "e.*, coalesce(c.n, 0) AS articles",
        f"{entity} e LEFT JOIN {_ENTITY_COUNT.format(fk=f'{entity}_id')} c ON c.id = e.id", "e.id")
       for entity in ("person", "organization")},
    # places and divisions carry coordinates, so datasette-cluster-map shows them on a map
    "place": Derived(
        "e.*, coalesce(c.n, 0) AS articles, coalesce(d.latitude, di.latitude) AS latitude, "
        "coalesce(d.longitude, di.longitude) AS longitude",
        f"place e LEFT JOIN {_ENTITY_COUNT.format(fk='place_id')} c ON c.id = e.id "
        "LEFT JOIN division d ON d.id = e.division_id LEFT JOIN division di ON di.id = e.in_division_id", "e.id"),
    "division": Derived(
        "d.*, d.name || ' ' || d.code AS label, coalesce(c.n, 0) AS articles",
        "division d LEFT JOIN (SELECT m.division_id AS id, count(DISTINCT m.article_id) AS n FROM mention m "
        "WHERE m.division_id IS NOT NULL GROUP BY m.division_id) c ON c.id = d.id", "d.id"),
    "post": Derived(
        "po.*, coalesce(c.n, 0) AS articles",
        "post po LEFT JOIN (SELECT mp.post_id AS id, count(DISTINCT m.article_id) AS n FROM mention_post mp "
        "JOIN mention m ON m.id = mp.mention_id GROUP BY mp.post_id) c ON c.id = po.id", "po.id"),
}
DERIVED_TYPES = {"label": str, "title": str, "issue_date": str, "page_label": str, "section": str,
                 "newspaper": str, "entity": str, "entity_kind": str, "articles": int,
                 "latitude": float, "longitude": float, "date_source": str}
# Indexes on publish-only columns, for facets, sorts and the canned queries.
DERIVED_INDEXES = {
    "article": [["issue_date"], ["section"], ["newspaper"]],
    "mention": [["entity"], ["issue_date"], ["entity_kind"]],
    "page": [["issue_date"]],
    "person": [["articles"]], "organization": [["articles"]], "place": [["articles"]],
    "division": [["articles"]], "post": [["articles"]],
}


@dataclass(frozen=True)
class PublishReport:
    path: Path
    tables: dict[str, int]
    seconds: float
    stamp: str
    mode: str = "full"  # "full" or "incremental"
    files_republished: int = 0  # source files whose pages, articles and mentions were (re)copied
    files_removed: int = 0
    reason: str = ""  # why a full rebuild happened
    timings: dict[str, float] = field(default_factory=dict)


def data_stamp(conn: Connection) -> str:
    """Changes whenever a load or purge changes what would be published."""
    row = conn.execute(sa.text("""
        SELECT (SELECT count(*) FROM source_file), (SELECT max(last_loaded_at) FROM source_file),
               (SELECT count(*) FROM article), (SELECT count(*) FROM mention),
               (SELECT max(id) FROM article), (SELECT max(id) FROM mention),
               (SELECT count(*) FROM person), (SELECT max(id) FROM load_run)""")).one()
    return json.dumps([str(v) for v in row])


def published_stamp(path: Path) -> str | None:
    return _read_meta(path).get("stamp")


def is_stale(engine: Engine, path: Path) -> bool:
    with engine.connect() as conn:
        return published_stamp(path) != data_stamp(conn)


def layout_fingerprint() -> str:
    """Changes when the shape of the published file would: then the next publish is a full rebuild."""
    shape = [PUBLISH_FORMAT, __version__, segmenter_fingerprint(), SQLITE_VIEWS,
             [(t.name, [c.name for c in t.columns]) for t in PUBLISHED_TABLES],
             {k: [d.columns, d.source] for k, d in DERIVED.items()}]
    return hashlib.sha256(json.dumps(shape, sort_keys=True).encode()).hexdigest()[:16]


def file_fingerprints(conn: Connection) -> dict[int, str]:
    """For each source file, an MD5 of its pages, articles and mentions exactly as they are published."""
    parts = [f"""SELECT _f, '{name}' AS _t, _k, md5(q::text) AS _h
                 FROM (SELECT {d.file_column} AS _f, {d.order} AS _k, {d.columns} FROM {d.source}) q"""
             for name, d in DERIVED.items() if name in FILE_TABLES]
    sql = f"""SELECT f.id, md5(coalesce(string_agg(r._t || r._k || r._h, ',' ORDER BY r._t, r._k), ''))
              FROM source_file f LEFT JOIN ({' UNION ALL '.join(parts)}) r ON r._f = f.id GROUP BY f.id"""
    return {int(k): v for k, v in conn.execute(sa.text(sql))}


def publish(engine: Engine, path: Path, *, full: bool = False) -> PublishReport:
    """Write the database to ``path`` (atomically replaced), incrementally when the file allows it."""
    started = time.perf_counter()
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    layout = layout_fingerprint()
    meta = {} if full else _read_meta(path)
    reason = ("asked for" if full else "no earlier file" if not meta
              else "layout changed" if meta.get("layout") != layout else "")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.unlink(missing_ok=True)
        with engine.connect().execution_options(isolation_level="REPEATABLE READ") as conn, conn.begin():
            stamp = data_stamp(conn)
            t0 = time.perf_counter()
            fingerprints = file_fingerprints(conn)
            timings = {"fingerprints": time.perf_counter() - t0}
            report = None
            if not reason:
                shutil.copyfile(path, tmp)
                report = _write(conn, tmp, stamp, layout, fingerprints, _read_files(tmp), timings)
                if report is None:
                    reason = "incremental result did not match PostgreSQL"
                    tmp.unlink()
            if report is None:
                report = _write(conn, tmp, stamp, layout, fingerprints, None, timings)
                assert report is not None
        os.replace(tmp, path)
    except (OSError, sqlite3.Error) as exc:  # a full disk, a read-only folder: the old file stays as it was
        kept = f"{quoted(str(path))} was left as it was" if path.exists() else "nothing was written"
        raise OutputFileError(f"cannot write the published file {quoted(str(path))}: "
                              f"{getattr(exc, 'strerror', None) or exc}; {kept}") from exc
    finally:
        tmp.unlink(missing_ok=True)
    return PublishReport(path, report.tables, time.perf_counter() - started, stamp, report.mode,
                         report.files_republished, report.files_removed, reason, timings)


def _write(conn: Connection, target: Path, stamp: str, layout: str, fingerprints: dict[int, str],
           previous: dict[int, str] | None, timings: dict[str, float]) -> PublishReport | None:
    """Bring ``target`` up to date; ``previous`` None means a new file. None if the counts disagree."""
    db = sqlite_utils.Database(target)
    db.conn.execute("PRAGMA journal_mode = OFF")
    db.conn.execute("PRAGMA synchronous = OFF")
    incremental = previous is not None
    if incremental:
        changed = sorted(f for f, h in fingerprints.items() if previous.get(f) != h)
        removed = sorted(set(previous) - set(fingerprints))
    else:
        changed, removed = sorted(fingerprints), []
        _create_tables(conn, db)
    counts: dict[str, int] = {}
    t0 = time.perf_counter()
    if incremental:
        _delete_files(db, [f for f in changed if f in previous] + removed)
    timings["delete"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    for table in PUBLISHED_TABLES:
        if table.name in FILE_TABLES:
            if changed:
                _insert_rows(conn, db, table.name, changed)
        else:
            db.execute(f"DELETE FROM [{table.name}]")
            _insert_rows(conn, db, table.name, None)
    timings["copy"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    if changed:
        _index_articles(db, changed)
    timings["segment"] = time.perf_counter() - t0
    for table in PUBLISHED_TABLES:
        counts[table.name] = db.execute(f"SELECT count(*) FROM [{table.name}]").fetchone()[0]
    counts[FTS_TABLE] = db.execute(f"SELECT count(*) FROM [{FTS_TABLE}_docsize]").fetchone()[0]
    expected = {t.name: conn.scalar(sa.text(f"SELECT count(*) FROM {t.name}")) for t in PUBLISHED_TABLES}
    if incremental and (any(counts[t] != n for t, n in expected.items()) or counts[FTS_TABLE] != counts["article"]):
        db.close()
        return None
    db.execute(f"DELETE FROM [{FILES_TABLE}]")
    db[FILES_TABLE].insert_all(({"source_file_id": f, "fingerprint": h} for f, h in fingerprints.items()),
                               batch_size=BATCH)
    db.execute(f"DELETE FROM [{META_TABLE}]")
    db[META_TABLE].insert_all([
        {"key": "stamp", "value": stamp},
        {"key": "layout", "value": layout},
        {"key": "published_at", "value": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")},
        {"key": "tool_version", "value": __version__},
        {"key": "mode", "value": "incremental" if incremental else "full"},
    ])
    db.conn.commit()
    if not incremental:
        db.execute(f"INSERT INTO [{FTS_TABLE}]([{FTS_TABLE}]) VALUES ('optimize')")
        db.conn.commit()
        db.conn.execute("VACUUM")
    db.close()
    return PublishReport(target, counts, 0.0, stamp, "incremental" if incremental else "full",
                         len(changed), len(removed))


def _sqlite_type(column: sa.Column) -> type:
    try:
        py = column.type.python_type
    except NotImplementedError:
        return str
    if py is bool or py is int:
        return int
    if py is float:
        return float
    return str  # text, dates (ISO strings), arrays (JSON)


def _select(name: str, files: list[int] | None) -> tuple[str, dict]:
    d = DERIVED.get(name)
    if d is None:
        table = Base.metadata.tables[name]
        return f"SELECT * FROM {name} ORDER BY {', '.join(table.primary_key.columns.keys())}", {}
    where, params = "", {}
    if files is not None:
        where, params = f" WHERE {d.file_column} = ANY(:files)", {"files": files}
    return f"SELECT {d.columns} FROM {d.source}{where} ORDER BY {d.order}", params


def _create_tables(conn: Connection, db: sqlite_utils.Database) -> None:
    for table in PUBLISHED_TABLES:
        columns = {c.name: _sqlite_type(c) for c in table.columns}
        d = DERIVED.get(table.name)
        if d is not None:  # the derived select's columns, in its order
            names = conn.execute(sa.text(f"SELECT {d.columns} FROM {d.source} LIMIT 0")).keys()
            columns = {n: columns.get(n) or DERIVED_TYPES.get(n, str) for n in names}
        foreign_keys = [(fk.parent.name, fk.column.table.name, fk.column.name) for fk in table.foreign_keys]
        db[table.name].create(columns, pk=list(table.primary_key.columns.keys())[0], foreign_keys=foreign_keys,
                              not_null={c.name for c in table.columns if not c.nullable})
        for index in table.indexes:
            db[table.name].create_index([c.name for c in index.columns], unique=bool(index.unique),
                                        if_not_exists=True)
        for index_columns in DERIVED_INDEXES.get(table.name, []):
            db[table.name].create_index(index_columns, if_not_exists=True)
    # External content: the index holds segmented text, the rows themselves stay in article, and
    # Datasette (and datasette-search-all) find the index from content="article".
    db.execute(f"""CREATE VIRTUAL TABLE [{FTS_TABLE}] USING fts5(headline, body, content="article",
                   content_rowid="id", tokenize='unicode61')""")
    for view_sql in SQLITE_VIEWS.values():
        db.execute(view_sql)
    db[FILES_TABLE].create({"source_file_id": int, "fingerprint": str}, pk="source_file_id")
    db[META_TABLE].create({"key": str, "value": str}, pk="key")


def _insert_rows(conn: Connection, db: sqlite_utils.Database, name: str, files: list[int] | None) -> None:
    sql, params = _select(name, files)
    result = conn.execution_options(yield_per=BATCH).execute(sa.text(sql), params)
    names = list(result.keys())
    columns = ", ".join(f"[{n}]" for n in names)
    insert = f"INSERT INTO [{name}] ({columns}) VALUES ({', '.join('?' for _ in names)})"
    for batch in result.partitions(BATCH):
        db.conn.executemany(insert, [tuple(_to_sqlite(v) for v in r) for r in batch])


def _to_sqlite(value):
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (list, dict)):  # arrays and jsonb
        return json.dumps(value, ensure_ascii=False)
    return value


def _search_values(kicker, headline, subheadline, body) -> tuple[str, str]:
    """What the search index holds for an article: the same function for insert and delete."""
    titles = " ".join(t for t in (kicker, headline, subheadline) if t)
    return segment_for_index(titles), segment_for_index(body)


def _file_articles(db: sqlite_utils.Database, files: list[int]) -> Iterator[tuple]:
    for chunk in _chunks(files, 500):
        marks = ", ".join("?" for _ in chunk)
        yield from db.execute(f"""SELECT a.id, a.kicker, a.headline, a.subheadline, a.body FROM article a
                                  JOIN page p ON p.id = a.page_id WHERE p.source_file_id IN ({marks})
                                  ORDER BY a.id""", chunk).fetchall()


def _delete_files(db: sqlite_utils.Database, files: list[int]) -> None:
    """Drop what the published file holds for ``files``: search entries, mentions, articles, pages."""
    if not files:
        return
    rows = list(_file_articles(db, files))
    db.conn.executemany(
        f"INSERT INTO [{FTS_TABLE}]([{FTS_TABLE}], rowid, headline, body) VALUES ('delete', ?, ?, ?)",
        [(r[0], *_search_values(*r[1:])) for r in rows])
    ids = [r[0] for r in rows]
    for chunk in _chunks(ids, 500):
        marks = ", ".join("?" for _ in chunk)
        db.execute(f"DELETE FROM mention_post WHERE mention_id IN (SELECT id FROM mention WHERE article_id IN ({marks}))",
                   chunk)
        db.execute(f"DELETE FROM mention WHERE article_id IN ({marks})", chunk)
        db.execute(f"DELETE FROM article WHERE id IN ({marks})", chunk)
    for chunk in _chunks(files, 500):
        pages = f"SELECT id FROM page WHERE source_file_id IN ({', '.join('?' for _ in chunk)})"
        db.execute(f"DELETE FROM page_staff WHERE page_id IN ({pages})", chunk)
        db.execute(f"DELETE FROM article_source WHERE page_id IN ({pages})", chunk)
        db.execute(f"DELETE FROM page WHERE source_file_id IN ({', '.join('?' for _ in chunk)})", chunk)


def _index_articles(db: sqlite_utils.Database, files: list[int]) -> None:
    rows = _file_articles(db, files)
    insert = f"INSERT INTO [{FTS_TABLE}](rowid, headline, body) VALUES (?, ?, ?)"
    batch = []
    for r in rows:
        batch.append((r[0], *_search_values(*r[1:])))
        if len(batch) >= BATCH:
            db.conn.executemany(insert, batch)
            batch = []
    db.conn.executemany(insert, batch)


def _chunks(items: list, size: int) -> Iterator[list]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _read_meta(path: Path) -> dict[str, str]:
    if not Path(path).exists():
        return {}
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
            return dict(db.execute(f"SELECT key, value FROM {META_TABLE}").fetchall())
    except sqlite3.DatabaseError:
        return {}


def _read_files(path: Path) -> dict[int, str]:
    with sqlite3.connect(path) as db:
        return dict(db.execute(f"SELECT source_file_id, fingerprint FROM {FILES_TABLE}").fetchall())


def iter_table_names() -> Iterable[str]:
    yield from (t.name for t in PUBLISHED_TABLES)
