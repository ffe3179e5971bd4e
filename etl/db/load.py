"""Load dump files into PostgreSQL: one transaction per file, idempotent, re-runnable.

A file whose path and SHA-256 are already recorded is skipped without a write.
A file whose content changed replaces everything it supplied before, in the
same transaction that writes the new data. Article ``text_key`` values derive
from the content, so the same input always gets the same keys.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import stat
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.engine import Connection, Engine

from etl import __version__
from etl.errors import DatabaseConnectionLost, InputFileError
from etl.parse import parse_bytes
from etl.parse.records import ParsedDocument

from .models import (
    STAFF_ROLES, Article, Issue, LoadRun, Newspaper, Organization, Page, PageStaff, Person, Place,
    RejectedFile, SourceFile, SourceFileName,
)
from .bulk import copy_rows as _copy_rows
from .known_names import link_known_names
from .resolve import Merge, resolve_entities

UNKNOWN_NEWSPAPER = "未知报纸"
MAX_FILE_BYTES = 64 * 1024 * 1024  # a newspaper page dump is tens of KB; refuse anything absurd
NEWLINE_NAMES = {"\n": "LF", "\r\n": "CRLF", "\r": "CR"}
_WS = re.compile(r"[\s\u3000\u00a0\ufeff]+")
_ENTITY_MODELS = {"person": Person, "organization": Organization, "place": Place}


@dataclass(frozen=True)
class FileResult:
    path: str
    status: str  # "added", "replaced", "unchanged", "failed"
    articles: int = 0
    mentions: int = 0
    message: str = ""
    # items written that the parser doubts: (line, headline or the body's start, warning codes)
    flagged: tuple[tuple[int, str, tuple[str, ...]], ...] = ()


@dataclass
class LoadReport:
    run_id: int | None = None
    results: list[FileResult] = field(default_factory=list)
    merges: list[Merge] = field(default_factory=list)  # person spellings merged after the run

    def count(self, status: str) -> int:
        return sum(1 for r in self.results if r.status == status)

    @property
    def failed(self) -> list[FileResult]:
        return [r for r in self.results if r.status == "failed"]

    @property
    def ok(self) -> bool:
        return not self.failed

    def summary_line(self) -> str:
        return (f"{len(self.results)} files: {self.count('added')} added, {self.count('replaced')} replaced, "
                f"{self.count('unchanged')} unchanged, {self.count('failed')} failed; "
                f"{sum(r.articles for r in self.results)} articles loaded")


@dataclass(frozen=True)
class _PagePlan:
    file_order: int
    page_label: str | None
    section: str | None
    date: dt.date | None
    date_source: str | None
    has_header: bool
    editor: str | None = None
    proofreader: str | None = None
    layout_editor: str | None = None
    hotline: str | None = None
    first_line: int | None = None


# ---------------------------------------------------------------- discovery

def discover(paths: Iterable[str]) -> Iterator[tuple[str, InputFileError | None]]:
    """Expand files and folders (recursively, sorted, hidden entries skipped).

    Yields (path, None) for each file to load and (path, error) for each path
    that cannot be: missing, unreadable folder, symlink loop.
    """
    for raw in paths:
        path = Path(raw)
        if not path.exists() and not path.is_symlink():
            yield raw, InputFileError(raw, "no such file or directory")
        elif path.is_dir():
            yield from _walk(path)
        else:
            yield raw, None


def _walk(folder: Path) -> Iterator[tuple[str, InputFileError | None]]:
    seen: set[tuple[int, int]] = set()
    for root, dirs, files in os.walk(folder, followlinks=True, onerror=None):
        root_path = Path(root)
        try:
            st = root_path.stat()
        except OSError as exc:
            yield str(root_path), InputFileError(str(root_path), f"cannot read folder: {exc.strerror}")
            dirs[:] = []
            continue
        if (st.st_dev, st.st_ino) in seen:  # a symlink loop: do not walk it twice
            yield str(root_path), InputFileError(str(root_path), "symlink loop, folder skipped")
            dirs[:] = []
            continue
        seen.add((st.st_dev, st.st_ino))
        if not os.access(root_path, os.R_OK | os.X_OK):
            yield str(root_path), InputFileError(str(root_path), "cannot read folder: permission denied")
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                yield str(root_path / name), None


def read_source(path: str) -> bytes:
    """The bytes of one file, or InputFileError saying why not."""
    try:
        st = os.stat(path)
    except OSError as exc:
        raise InputFileError(path, f"cannot read: {exc.strerror}") from exc
    if not stat.S_ISREG(st.st_mode):
        raise InputFileError(path, "not a regular file")
    if st.st_size > MAX_FILE_BYTES:
        raise InputFileError(path, f"file is {st.st_size / 2**20:.0f} MiB; the limit is "
                                   f"{MAX_FILE_BYTES // 2**20} MiB for one dump")
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError as exc:
        raise InputFileError(path, f"cannot read: {exc.strerror}") from exc


# ---------------------------------------------------------------- loading

Bind = Engine | Connection
RETRIES = 3  # a deadlock between concurrent loaders is retried, never reported as a failure


@contextmanager
def transaction(bind: Bind) -> Iterator[Connection]:
    """A transaction on an engine, or a savepoint when handed a connection (tests roll it back)."""
    if isinstance(bind, Connection):
        with bind.begin_nested():
            yield bind
    else:
        with bind.begin() as conn:
            yield conn


def load_paths(bind: Bind, paths: Iterable[str], *, newspaper: str | None = None,
               arguments: str | None = None, workers: int = 1,
               on_file: Callable[[FileResult], None] | None = None,
               on_discovered: Callable[[int], None] | None = None) -> LoadReport:
    """Load every file under ``paths``; record the run in ``load_run``.

    With ``workers`` > 1, files are read and parsed in that many processes while
    this one writes them, each in its own transaction, in input order.

    Raises DatabaseConnectionLost (carrying the report so far) when the
    database goes away during the run; the file being written is rolled back.
    """
    report = LoadReport()
    entries = list(discover(paths))
    if on_discovered:
        on_discovered(len(entries))
    with transaction(bind) as conn:
        report.run_id = conn.scalar(
            sa.insert(LoadRun).values(tool_version=__version__, arguments=arguments).returning(LoadRun.id))
        known = known_names(conn, [p for p, e in entries if e is None])
    path = "(run bookkeeping)"
    if workers > 1 and sum(1 for _, e in entries if e is None) > 1:
        stream = _prepared_in_order(entries, known, workers)
    else:  # one worker (or nothing new to parse): read and parse inline
        stream = ((p, e, None) for p, e in entries)
    try:
        for path, error, prepared in stream:
            if error:
                result = FileResult(path, "failed", message=error.reason)
                _reject(bind, path, error.reason, None, None, report.run_id)
            elif prepared is not None:
                result = store_file(bind, prepared, newspaper=newspaper, run_id=report.run_id)
            else:
                result = load_file(bind, path, newspaper=newspaper, run_id=report.run_id, known_sha=known.get(path))
            report.results.append(result)
            if on_file:
                on_file(result)
        path = "(run bookkeeping)"
        report.merges = _after_changes(bind, changed=bool(report.count("added") or report.count("replaced")),
                                       replaced=bool(report.count("replaced")))
        _finish_run(bind, report)
    except DatabaseConnectionLost as exc:
        exc.report = report
        raise
    except sa.exc.DBAPIError as exc:
        if _connection_lost(bind, exc):
            raise DatabaseConnectionLost(f"database connection lost at {path}: {_first_line(exc)}", report) from exc
        raise
    finally:
        stream.close()  # stops the parse workers now, not when the generator is collected
    return report


def _after_changes(bind: Bind, changed: bool, replaced: bool = False) -> list[Merge]:
    """The corpus-wide passes, in one transaction: known names marked everywhere, then spellings merged.

    Without a change in this run the pass still picks up files committed by a run that died before
    its own pass. Concurrent loaders can delete an article the pass is writing to; it is then redone.
    Resolution looks only at the articles the known-names pass recomputed (every article of the
    files waiting for their pass among them): its cost follows what was loaded, not the database size.
    A run that replaced a file resolves everything: the articles it deleted may have been all that
    kept two spellings apart, and nothing else would show it.
    """
    for attempt in range(RETRIES):
        try:
            with transaction(bind) as conn:
                recomputed = link_known_names(conn, only_if_fresh=not changed)
                if not (changed or recomputed):
                    return []
                return resolve_entities(conn, None if replaced else sorted(recomputed))
        except sa.exc.DBAPIError as exc:
            if attempt == RETRIES - 1 or not (_is_retryable(exc) or isinstance(exc, sa.exc.IntegrityError)):
                raise
    raise AssertionError("unreachable")  # pragma: no cover


@contextmanager
def exclusive_run(engine: Engine) -> Iterator[bool]:
    """Hold the cluster-wide "one exclusive load at a time" lock for a run, if it is free.

    Yields False (and holds nothing) when another exclusive run has it: cron
    jobs that overlap skip instead of piling up, from any machine.
    """
    with engine.connect() as conn:
        key = sa.func.hashtextextended("newsetl:exclusive-load", 0)
        got = bool(conn.scalar(sa.select(sa.func.pg_try_advisory_lock(key))))
        conn.commit()
        try:
            yield got
        finally:
            if got:
                conn.execute(sa.select(sa.func.pg_advisory_unlock(key)))
                conn.commit()


def known_names(conn: Connection, paths: list[str]) -> dict[str, str]:
    """path -> sha256 of the content last loaded under that name, in one query per 5,000 paths."""
    known: dict[str, str] = {}
    for i in range(0, len(paths), 5000):
        known.update(conn.execute(
            sa.select(SourceFileName.path, SourceFile.sha256)
            .join(SourceFile, SourceFile.id == SourceFileName.source_file_id)
            .where(SourceFileName.path.in_(paths[i:i + 5000]))).tuples().all())
    return known


def _finish_run(bind: Bind, report: LoadReport) -> None:
    status = "ok" if report.ok else ("failed" if len(report.failed) == len(report.results) else "partial")
    errors = "\n".join(f"{r.path}: {r.message}" for r in report.failed) or None
    with transaction(bind) as conn:
        conn.execute(sa.update(LoadRun).where(LoadRun.id == report.run_id).values(
            finished_at=sa.func.now(), status=status, files_seen=len(report.results),
            files_added=report.count("added"), files_replaced=report.count("replaced"),
            files_unchanged=report.count("unchanged"), files_failed=report.count("failed"),
            articles_loaded=sum(r.articles for r in report.results), errors=errors))


@dataclass(frozen=True)
class _Prepared:
    """A file read, hashed and (in a worker process) parsed: everything but the database write."""
    path: str
    sha: str | None = None
    size: int | None = None
    data: bytes | None = None
    doc: ParsedDocument | None = None
    error: str | None = None  # why the file cannot be loaded (InputFileError's reason)
    unchanged: bool = False  # the same content is already loaded under this path


def prepare_file(path: str, known_sha: str | None = None, parse: bool = True) -> _Prepared:
    """Read, hash and parse one file; pure (no database), so it runs in worker processes."""
    sha = size = None
    try:
        data = read_source(path)
        sha, size = hashlib.sha256(data).hexdigest(), len(data)
        if known_sha == sha:
            return _Prepared(path, sha, size, unchanged=True)
        doc = _parse(path, data) if parse else None
        return _Prepared(path, sha, size, data, doc)
    except InputFileError as exc:
        return _Prepared(path, sha, size, error=exc.reason)


def _parse(path: str, data: bytes) -> ParsedDocument:
    doc = parse_bytes(data, os.path.basename(path))
    if not doc.items:
        raise InputFileError(path, "no newspaper content found (no page header, no article)")
    return doc


def load_file(bind: Bind, path: str, *, newspaper: str | None = None, run_id: int | None = None,
              known_sha: str | None = None) -> FileResult:
    """Load one file in one transaction. Bad input gives a failed result (and a rejected_file row)."""
    return store_file(bind, prepare_file(path, known_sha, parse=False), newspaper=newspaper, run_id=run_id)


def store_file(bind: Bind, prepared: _Prepared, *, newspaper: str | None = None,
               run_id: int | None = None) -> FileResult:
    """Write one prepared file in one transaction (parsing it here if no worker did)."""
    path, sha, size, data, doc = prepared.path, prepared.sha, prepared.size, prepared.data, prepared.doc
    try:
        if prepared.error:
            raise InputFileError(path, prepared.error)
        if prepared.unchanged:
            return FileResult(path, "unchanged")
        if doc is None:
            with transaction(bind) as conn:
                already_loaded = conn.scalar(sa.select(SourceFile.id).where(SourceFile.sha256 == sha))
            if already_loaded is not None:  # the same bytes under another name: record the name, parse nothing
                with transaction(bind) as conn:
                    return write_document(conn, path, data, sha, None, newspaper=newspaper, run_id=run_id)
            doc = _parse(path, data)
        for attempt in range(RETRIES):
            try:
                with transaction(bind) as conn:
                    return write_document(conn, path, data, sha, doc, newspaper=newspaper, run_id=run_id)
            except sa.exc.DBAPIError as exc:
                if not _is_retryable(exc) or attempt == RETRIES - 1:
                    raise
    except InputFileError as exc:
        _reject(bind, path, exc.reason, sha, size, run_id)
        return FileResult(path, "failed", message=exc.reason)
    except sa.exc.DBAPIError as exc:
        if _connection_lost(bind, exc):
            raise DatabaseConnectionLost(f"database connection lost while loading {path} "
                                         f"(that file was rolled back): {_first_line(exc)}") from exc
        reason = f"database error, file rolled back: {_first_line(exc)}"
        _reject(bind, path, reason, sha, size, run_id)
        return FileResult(path, "failed", message=reason)
    raise AssertionError("unreachable")  # pragma: no cover


def _worker_init(loader_pid: int) -> None:
    """In each parse worker: die with the loader (even on kill -9), leave Ctrl+C to the loader."""
    import ctypes
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except OSError:  # not Linux/glibc: orphaned workers still exit when their queue closes
        pass
    if os.getppid() != loader_pid:  # the loader died before the line above ran
        os._exit(1)


def _prepared_in_order(entries: list[tuple[str, InputFileError | None]], known: dict[str, str],
                       workers: int) -> Iterator[tuple[str, InputFileError | None, _Prepared | None]]:
    """Files prepared by ``workers`` processes, yielded in input order, at most 2 × workers ahead.

    The window keeps memory flat however many files there are; the writes stay in
    the caller's process, one transaction per file, in a stable order. A file
    already loaded under its path is hashed here first, and the pool is only
    started for files that need parsing, so a re-run over unchanged files costs
    what it costs with one worker. If a worker dies (out of memory, killed), the
    files it had not finished are yielded without a preparation (None) and
    the caller parses them itself, as with one worker.
    """
    import multiprocessing
    from collections import deque
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    pool = None
    broken = False
    window: deque = deque()
    try:
        for path, error in entries:
            item = None
            if error is None and path in known:
                checked = prepare_file(path, known[path], parse=False)
                if checked.unchanged or checked.error:
                    item = checked
            if error is None and item is None and not broken:
                if pool is None:
                    # spawn, not fork: a forked worker would share the loader's database sockets
                    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                                               initializer=_worker_init, initargs=(os.getpid(),))
                try:
                    item = pool.submit(prepare_file, path, known.get(path))
                except BrokenProcessPool:
                    broken = True
            window.append((path, error, item))
            while len(window) > 2 * workers:
                yield _settled(window.popleft())
        while window:
            yield _settled(window.popleft())
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


def _settled(entry):
    from concurrent.futures.process import BrokenProcessPool

    path, error, item = entry
    if item is not None and not isinstance(item, _Prepared):
        try:
            item = item.result()
        except BrokenProcessPool:  # a worker died: the caller reads and parses this file itself
            item = None
    return path, error, item


def _is_retryable(exc: sa.exc.DBAPIError) -> bool:
    return getattr(exc.orig, "sqlstate", None) in {"40P01", "40001"}  # deadlock, serialization failure


def _connection_lost(bind: Bind, exc: sa.exc.DBAPIError) -> bool:
    if exc.connection_invalidated or isinstance(exc, sa.exc.OperationalError):
        try:
            if isinstance(bind, Engine):
                with bind.connect() as conn:
                    conn.execute(sa.text("SELECT 1"))
            else:
                bind.execute(sa.text("SELECT 1"))
        except sa.exc.DBAPIError:
            return True
    return False


def _first_line(exc: sa.exc.DBAPIError) -> str:
    return (str(exc.orig) if exc.orig else str(exc)).strip().splitlines()[0]


def _reject(bind: Bind, path: str, reason: str, sha: str | None, size: int | None, run_id: int | None) -> None:
    """Record (or refresh) why a file was not loaded, in a transaction of its own."""
    with transaction(bind) as conn:
        stmt = pg_insert(RejectedFile).values(path=path, reason=reason, sha256=sha, size_bytes=size,
                                              last_load_run_id=run_id)
        conn.execute(stmt.on_conflict_do_update(index_elements=["path"], set_={
            "reason": reason, "sha256": sha, "size_bytes": size, "last_load_run_id": run_id,
            "last_rejected_at": sa.func.now(), "times": RejectedFile.times + 1}))


def _lock(conn: Connection, *keys: str) -> None:
    """Transaction-scoped advisory locks, always taken in sorted order (no lock-order deadlocks).

    One statement: ``unnest`` hands the keys to the lock function in the array's (sorted) order.
    """
    if keys:
        conn.execute(sa.text("SELECT count(pg_advisory_xact_lock(hashtextextended(k, 0))) "
                             "FROM unnest(CAST(:keys AS text[])) AS k"), {"keys": sorted(set(keys))})


def write_document(conn: Connection, path: str, data: bytes, sha: str, doc: ParsedDocument | None, *,
                   newspaper: str | None = None, run_id: int | None = None) -> FileResult:
    """Write one parsed file inside the caller's transaction.

    Content is stored once per SHA-256: a path whose content is already loaded
    (under another name) only records the name (``doc`` may then be None: it
    is parsed here only if that content vanished meanwhile). A path whose content changed
    drops the content it named before (unless another name still uses it) and
    writes the new one.
    """
    # Loaders given the same path or the same content wait for each other instead of racing.
    _lock(conn, f"newsetl:path:{path}", f"newsetl:sha:{sha}")
    current = conn.execute(
        sa.select(SourceFileName.id, SourceFileName.source_file_id, SourceFile.sha256)
        .join(SourceFile, SourceFile.id == SourceFileName.source_file_id)
        .where(SourceFileName.path == path)).first()
    if current is not None and current.sha256 == sha:
        return FileResult(path, "unchanged")
    conn.execute(sa.delete(RejectedFile).where(RejectedFile.path == path))

    same_content = conn.execute(sa.select(SourceFile.id, SourceFile.path).where(SourceFile.sha256 == sha)).first()
    if same_content is not None:
        _name(conn, path, same_content.id, current)
        return FileResult(path, "unchanged", message=f"same content as {same_content.path}; name recorded")
    if doc is None:  # the content we meant to name was purged meanwhile: parse it after all
        return write_document(conn, path, data, sha, _parse(path, data), newspaper=newspaper, run_id=run_id)

    source_file_id = conn.scalar(sa.insert(SourceFile).values(
        path=path, sha256=sha, size_bytes=len(data), encoding=doc.encoding,
        newline=NEWLINE_NAMES.get(doc.newline, "LF"), last_load_run_id=run_id).returning(SourceFile.id))
    masthead = next((p.newspaper for p in doc.pages if p.newspaper), None)
    newspaper_name = newspaper or masthead or UNKNOWN_NEWSPAPER
    newspaper_id = _upsert_newspaper(conn, newspaper_name, masthead)
    plans, item_page = plan_pages(doc)
    _lock(conn, *{_issue_lock(newspaper_id, plan.date) for plan in plans})
    _name(conn, path, source_file_id, current)  # drops the old content first, so its text_keys are free again

    page_ids: list[int] = []
    staff_rows: list[tuple[int, str, str]] = []  # (page index, role, name)
    for plan in plans:
        issue_id = _upsert_issue(conn, newspaper_id, plan.date, plan.date_source)
        page_ids.append(conn.scalar(sa.insert(Page).values(
            issue_id=issue_id, source_file_id=source_file_id, file_order=plan.file_order,
            page_label=plan.page_label, section=plan.section, has_header=plan.has_header,
            editor=plan.editor, proofreader=plan.proofreader, layout_editor=plan.layout_editor,
            hotline=plan.hotline, first_line=plan.first_line).returning(Page.id)))
        for role in STAFF_ROLES:
            staff_rows += [(len(page_ids) - 1, role, name) for name in _staff_names(getattr(plan, role))]

    rows: dict[str, tuple] = {}
    for item, text_key, content_hash in article_keys(doc, newspaper_name, plans, item_page):
        rows[text_key] = (item, dict(
            page_id=page_ids[item_page[item.seq]], seq=item.seq, kind=item.kind, headline=item.headline,
            kicker=item.kicker, subheadline=item.subheadline, dateline=item.dateline, byline=item.byline,
            event_date=item.event_date, body=item.body, start_offset=item.start, end_offset=item.end,
            line_start=item.line_start, line_end=item.line_end, content_hash=content_hash, text_key=text_key,
            warnings=list(dict.fromkeys(w.code for w in item.warnings))))

    # The same article from another file (a copy of a page) is stored once; inserting in key
    # order keeps concurrent loaders of overlapping files from deadlocking on the unique index.
    inserted = _copy_articles(conn, [rows[k][1] for k in sorted(rows)]) if rows else {}
    written = [(article_id, rows[key][0]) for key, article_id in inserted.items()]

    # Entities named by the page headers and by the articles written: one sorted batch per kind,
    # so concurrent loaders create shared names in the same order.
    wanted = _wanted_entities(written)
    wanted["person"].update(name for _, _, name in staff_rows)
    ids = {kind: _entity_ids(conn, kind, names) for kind, names in wanted.items()}
    if staff_rows:
        conn.execute(pg_insert(PageStaff).on_conflict_do_nothing(), [
            {"page_id": page_ids[i], "role": role, "person_id": ids["person"][name], "surface": name}
            for i, role, name in staff_rows])
    mention_rows = _mention_rows(written, ids)
    if mention_rows:
        _copy_rows(conn, "mention", MENTION_COLUMNS, mention_rows)
    status = "added" if current is None else "replaced"
    skipped = len(rows) - len(inserted)
    note = f"{skipped} articles already loaded from another file" if skipped else ""
    flagged = tuple((item.line_start, item.headline or _WS.sub("", item.body)[:16], tuple(r["warnings"]))
                    for item, r in (rows[k] for k in sorted(inserted)) if r["warnings"])
    return FileResult(path, status, articles=len(inserted), mentions=len(mention_rows), message=note,
                      flagged=tuple(sorted(flagged)))


ARTICLE_COLUMNS = ("page_id", "seq", "kind", "headline", "kicker", "subheadline", "dateline", "byline", "event_date",
                   "body", "start_offset", "end_offset", "line_start", "line_end", "content_hash", "text_key",
                   "warnings")
MENTION_COLUMNS = ("article_id", "person_id", "organization_id", "place_id", "role", "surface", "title", "field",
                   "start_offset", "end_offset")


def _copy_articles(conn: Connection, rows: list[dict]) -> dict[str, int]:
    """Insert articles (rows in text_key order) unless their text_key exists; {text_key: id} of those inserted.

    COPY into a session-private staging table, then one INSERT … SELECT … ON
    CONFLICT DO NOTHING: bulk speed, and an article already loaded from another
    file (a copy of a page) is kept once. The staging table empties at commit.
    """
    cols = ", ".join(ARTICLE_COLUMNS)
    # Created once per database session; DELETE: it is empty unless this transaction staged before.
    conn.exec_driver_sql(f"CREATE TEMP TABLE IF NOT EXISTS newsetl_article_in ON COMMIT DELETE ROWS "
                         f"AS SELECT {cols} FROM article WITH NO DATA; DELETE FROM newsetl_article_in")
    _copy_rows(conn, "newsetl_article_in", ARTICLE_COLUMNS, [tuple(r[c] for c in ARTICLE_COLUMNS) for r in rows])
    result = conn.execute(sa.text(
        f"INSERT INTO article ({cols}) SELECT {cols} FROM newsetl_article_in ORDER BY text_key "
        "ON CONFLICT (text_key) DO NOTHING RETURNING text_key, id"))
    return dict(result.tuples().all())


def _name(conn: Connection, path: str, source_file_id: int, current) -> None:
    """Point ``path`` at ``source_file_id``; drop the content it named before if no name is left."""
    if current is None:
        conn.execute(sa.insert(SourceFileName).values(path=path, source_file_id=source_file_id))
        return
    conn.execute(sa.update(SourceFileName).where(SourceFileName.id == current.id)
                 .values(source_file_id=source_file_id))
    _drop_unnamed(conn, [current.source_file_id])


def _issue_lock(newspaper_id: int, date: dt.date | None) -> str:
    # Held by whoever adds pages to an issue or deletes it when empty, so an issue
    # is never deleted under a concurrent loader that is adding a page to it.
    return f"newsetl:issue:{newspaper_id}:{date}"


def _drop_unnamed(conn: Connection, source_file_ids: list[int]) -> int:
    """Delete contents no name refers to any more (cascades to pages, articles, mentions),
    then the issues they leave empty."""
    unnamed = ~sa.exists().where(SourceFileName.source_file_id == SourceFile.id)
    issues = conn.execute(sa.select(Issue.id, Issue.newspaper_id, Issue.issue_date).distinct()
                          .join(Page, Page.issue_id == Issue.id).join(SourceFile, SourceFile.id == Page.source_file_id)
                          .where(SourceFile.id.in_(source_file_ids), unnamed)).all()
    _lock(conn, *{_issue_lock(i.newspaper_id, i.issue_date) for i in issues})
    gone = conn.execute(sa.delete(SourceFile).where(SourceFile.id.in_(source_file_ids), unnamed)
                        .returning(SourceFile.id)).all()
    if issues:
        conn.execute(sa.delete(Issue).where(Issue.id.in_([i.id for i in issues]),
                                            ~sa.exists().where(Page.issue_id == Issue.id)))
    return len(gone)


@dataclass(frozen=True)
class PurgeReport:
    names: int  # names removed
    files: int  # contents removed with all their data
    articles: int


def purge_paths(bind: Bind, paths: Iterable[str]) -> PurgeReport:
    """Remove the named files' data in a few set-based statements (one transaction).

    A path that is a folder purges every name under it. Content still named by
    another path stays. Entities (person, organization, place) stay: they are
    shared across files, and keeping them keeps their ids stable.
    """
    exact = [str(p) for p in paths]
    prefixes = [p.rstrip("/") + "/" for p in exact]
    with transaction(bind) as conn:
        match = sa.or_(SourceFileName.path.in_(exact), *[SourceFileName.path.startswith(p, autoescape=True)
                                                          for p in prefixes])
        ids = conn.execute(sa.delete(SourceFileName).where(match)
                           .returning(SourceFileName.source_file_id)).scalars().all()
        articles = conn.scalar(sa.select(sa.func.count()).select_from(Article).join(Page).where(
            Page.source_file_id.in_(ids),
            ~sa.exists().where(SourceFileName.source_file_id == Page.source_file_id))) if ids else 0
        files = _drop_unnamed(conn, sorted(set(ids))) if ids else 0
        conn.execute(sa.delete(RejectedFile).where(RejectedFile.path.in_(exact)))
        if files:  # names found only in the purged files are no longer known elsewhere
            link_known_names(conn)
    return PurgeReport(names=len(ids), files=files, articles=articles)


def article_keys(doc: ParsedDocument, newspaper_name: str, plans=None, item_page=None):
    """(item, text_key, content_hash) for every item: the keys a load of ``doc`` gives its articles.

    The key hashes the newspaper, the page's date, label and section, the body
    with whitespace removed, and how many times that body already occurred in
    the same scope, so it is the same whenever the same content is loaded.
    """
    if plans is None or item_page is None:
        plans, item_page = plan_pages(doc)
    occurrences: dict[str, int] = {}
    out = []
    for item in doc.items:
        plan = plans[item_page[item.seq]]
        content_hash = hashlib.sha256(_WS.sub("", item.body).encode()).hexdigest()
        scope = f"{newspaper_name}|{plan.date}|{plan.page_label}|{plan.section}|{content_hash}"
        occurrences[scope] = occurrences.get(scope, 0) + 1
        out.append((item, hashlib.sha256(f"{scope}|{occurrences[scope]}".encode()).hexdigest()[:32], content_hash))
    return out


def plan_pages(doc: ParsedDocument) -> tuple[list[_PagePlan], dict[int, int]]:
    """Decide the page rows of a file and which page each item goes on.

    Each printed header is a page; a section banner without a header is a page
    of its own (same date as the file); items with neither go on a page with no
    label. Returns the plans (in file order) and a map item.seq -> plan index.
    """
    doc_source = "header" if doc.pages and not doc.date_from_text else ("text" if doc.date else None)
    candidates: list[tuple[int, _PagePlan, str | None, int | None]] = []
    for header in doc.pages:
        candidates.append((header.line, _PagePlan(
            0, header.page_label, header.section, header.date or doc.date,
            "header" if header.date else doc_source, True, header.editor, header.proofreader,
            header.layout_editor, header.hotline, header.line), header.section, header.index))
    header_sections = {h.section for h in doc.pages}
    for banner in doc.banners:
        if banner.text not in header_sections:
            candidates.append((banner.line, _PagePlan(0, None, banner.text, doc.date, doc_source, False,
                                                      first_line=banner.line), banner.text, None))
    candidates.sort(key=lambda c: c[0])

    plans: list[_PagePlan] = []
    by_header: dict[int, int] = {}
    by_section: dict[str | None, int] = {}
    for _, plan, section, header_index in candidates:
        idx = len(plans)
        plans.append(replace(plan, file_order=idx))
        if header_index is not None:
            by_header[header_index] = idx
        by_section.setdefault(section, idx)

    item_page: dict[int, int] = {}
    for item in doc.items:
        if item.page_index is not None and item.page_index in by_header:
            item_page[item.seq] = by_header[item.page_index]
        elif item.section in by_section:
            item_page[item.seq] = by_section[item.section]
        else:
            if None not in by_section:  # a page with no label for items outside every header/banner
                by_section[None] = len(plans)
                plans.append(_PagePlan(len(plans), None, None, doc.date, doc_source, False,
                                       first_line=item.line_start))
            item_page[item.seq] = by_section[None]
    return plans, item_page


def _staff_names(printed: str | None) -> list[str]:
    """Names in a header's staff field: "姬 祥" -> ["姬祥"], "张三、李四" -> both."""
    if not printed:
        return []
    parts = re.split(r"[、，,/;；]+|\s{2,}", printed.strip())
    return [_WS.sub("", p) for p in parts if _WS.sub("", p)]


def _upsert_newspaper(conn: Connection, name: str, masthead: str | None) -> int:
    stmt = pg_insert(Newspaper).values(name=name, masthead=masthead)
    stmt = (stmt.on_conflict_do_update(index_elements=["name"], set_={"masthead": masthead},
                                       where=Newspaper.masthead.is_distinct_from(masthead))
            if masthead else stmt.on_conflict_do_nothing(index_elements=["name"]))
    conn.execute(stmt)
    return conn.scalar(sa.select(Newspaper.id).where(Newspaper.name == name))


def _upsert_issue(conn: Connection, newspaper_id: int, date: dt.date | None, date_source: str | None) -> int:
    conn.execute(pg_insert(Issue).values(newspaper_id=newspaper_id, issue_date=date, edition="",
                                         date_source=date_source).on_conflict_do_nothing())
    return conn.scalar(sa.select(Issue.id).where(
        Issue.newspaper_id == newspaper_id, Issue.issue_date.is_not_distinct_from(date), Issue.edition == ""))


def _entity_ids(conn: Connection, kind: str, names: set[str]) -> dict[str, int]:
    """Ids for entity names, creating the missing ones; a known variant spelling maps to its person.

    Set-based: one SELECT for the names already known (the usual case), one
    INSERT … ON CONFLICT DO NOTHING for the new ones, in sorted order so that
    concurrent loaders take row locks in the same order.
    """
    if not names:
        return {}
    table = _ENTITY_MODELS[kind].__tablename__
    wanted = sorted(names)
    found: dict[str, int] = {}
    if kind == "person":  # spellings merged into another person by etl.db.resolve win over a row of that name
        rows = conn.execute(sa.text(
            "SELECT v, p.id, 0 FROM person p CROSS JOIN LATERAL unnest(p.variants) AS v "
            "WHERE p.variants && CAST(:names AS text[]) AND v = ANY(:names) "
            "UNION ALL SELECT name, id, 1 FROM person WHERE name = ANY(:names) ORDER BY 3 DESC"),
            {"names": wanted}).tuples().all()
    else:
        rows = conn.execute(sa.text(f"SELECT name, id, 1 FROM {table} WHERE name = ANY(:names)"),
                            {"names": wanted}).tuples().all()
    found.update((name, entity_id) for name, entity_id, _ in rows)
    missing = [n for n in wanted if n not in found]
    if missing:
        found.update(conn.execute(sa.text(
            f"INSERT INTO {table} (name) SELECT n FROM unnest(CAST(:names AS text[])) WITH ORDINALITY AS u(n, i) "
            "ORDER BY i ON CONFLICT (name) DO NOTHING RETURNING name, id"), {"names": missing}).tuples().all())
        raced = [n for n in missing if n not in found]  # committed by a concurrent loader meanwhile
        if raced:
            found.update(conn.execute(sa.text(f"SELECT name, id FROM {table} WHERE name = ANY(:names)"),
                                      {"names": raced}).tuples().all())
    return {n: found[n] for n in names}


def _wanted_entities(articles) -> dict[str, set[str]]:
    wanted: dict[str, set[str]] = {k: set() for k in _ENTITY_MODELS}
    for _, item in articles:
        for c in item.credits:
            wanted["person"].add(c.name)
        for m in item.mentions:
            wanted[m.kind].add(m.surface)
    return wanted


def _mention_rows(articles, ids: dict[str, dict[str, int]]) -> list[tuple]:
    """The mention rows (tuples in MENTION_COLUMNS order) of the written articles."""
    rows: list[tuple] = []
    for article_id, item in articles:
        seen: set[tuple] = set()
        entries = [("person", c.name, c.field, c.start, c.end, c.role, None) for c in item.credits]
        entries += [(m.kind, m.surface, m.field, m.start, m.end, m.role, m.title) for m in item.mentions]
        for kind, surface, where, start, end, role, title in entries:
            key = (kind, surface, where, start, end, role)
            if key in seen or end <= start or not surface:
                continue
            seen.add(key)
            entity_id = ids[kind][surface]
            rows.append((article_id, entity_id if kind == "person" else None,
                         entity_id if kind == "organization" else None, entity_id if kind == "place" else None,
                         role, surface, title, where, start, end))
    return rows
