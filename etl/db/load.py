"""Load dump files into PostgreSQL: one transaction per file, idempotent, re-runnable.

Paths are stored canonical (absolute, symlinks resolved). A file whose path and
SHA-256 are already recorded is skipped without a write. A file whose content
changed replaces everything it supplied before, in the same transaction that
writes the new data. Article ``text_key`` values derive from the content, so the
same input always gets the same keys; an article two files hold is stored once,
with a row in ``article_source`` for each, and stays while either is loaded.
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
from etl.errors import DatabaseConnectionLost, InputFileError, UsageError
from etl.parse import parse_bytes, warm_up
from etl.parse.records import ParsedDocument
from etl.wording import plural

from .models import (
    STAFF_ROLES, Article, Issue, LoadRun, Newspaper, Organization, Page, PageStaff, Person, Place,
    RejectedFile, SourceFile, SourceFileName,
)
from .bulk import copy_rows as _copy_rows
from .connection import mask_secrets
from .known_names import link_known_names
from .locks import lock
from .resolve import Merge, resolve_entities

UNKNOWN_NEWSPAPER = "未知报纸"
MAX_FILE_BYTES = 64 * 1024 * 1024  # a newspaper page dump is tens of KB; refuse anything absurd
# A dump parses in well under a second of processor time; the largest files (10 MB on one line)
# in about 20 s. A file still parsing after this long is rejected so that one file cannot stall
# a scheduled run.
FILE_TIME_LIMIT_S = 300.0
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
    warnings: tuple[str, ...] = ()  # loaded, but something printed in it is wrong (an impossible date)
    moved_from: tuple[str, ...] = ()  # --reassign: the newspapers the content was stored under before
    # items written that the parser doubts: (line, headline or the body's start, warning codes)
    flagged: tuple[tuple[int, str, tuple[str, ...]], ...] = ()


@dataclass
class LoadReport:
    run_id: int | None = None
    results: list[FileResult] = field(default_factory=list)
    merges: list[Merge] = field(default_factory=list)  # person spellings merged after the run
    forgotten: list[str] = field(default_factory=list)  # rejected_file rows of paths gone from the folders run over

    def count(self, status: str) -> int:
        return sum(1 for r in self.results if r.status == status)

    @property
    def failed(self) -> list[FileResult]:
        return [r for r in self.results if r.status == "failed"]

    @property
    def ok(self) -> bool:
        return not self.failed

    def summary_line(self) -> str:
        return (f"{plural(len(self.results), 'file')}: {self.count('added')} added, {self.count('replaced')} "
                f"replaced, {self.count('unchanged')} unchanged, {self.count('failed')} failed; "
                f"{plural(sum(r.articles for r in self.results), 'article')} loaded")


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

def canonical_path(path: str) -> str:
    """The one name a file is stored under: absolute, symlinks and ``..`` resolved (``dumps/a.txt``,
    ``./dumps//a.txt`` and ``/abs/dumps/a.txt`` are one file). A dangling symlink keeps its own name."""
    real = os.path.realpath(path)
    return real if os.path.exists(real) else os.path.abspath(path)


def discover(paths: Iterable[str]) -> Iterator[tuple[str, InputFileError | None]]:
    """Expand files and folders (recursively, sorted, hidden entries skipped) into canonical paths.

    Yields (path, None) for each file to load and (path, error) for each path
    that cannot be: missing, unreadable folder, symlink loop. A file reached
    twice (two spellings, a symlink) is yielded once.
    """
    seen: set[str] = set()
    for raw in paths:
        path = Path(raw)
        if not path.exists() and not path.is_symlink():
            # absolute, so that the rejected_file row is forgotten by the next run over its folder
            yield canonical_path(raw), InputFileError(raw, "no such file or directory")
            continue
        found = _walk(Path(canonical_path(raw))) if path.is_dir() else [(canonical_path(raw), None)]
        for name, error in found:
            if error is None and name in seen:
                continue
            seen.add(name)
            yield name, error


def _walk(folder: Path) -> Iterator[tuple[str, InputFileError | None]]:
    seen: set[tuple[int, int]] = set()
    walk_errors: list[OSError] = []  # os.walk reports a folder it cannot list only through onerror
    for root, dirs, files in os.walk(folder, followlinks=True, onerror=walk_errors.append):
        yield from _walk_failures(walk_errors)
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
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                yield canonical_path(str(root_path / name)), None
    yield from _walk_failures(walk_errors)


def _walk_failures(errors: list[OSError]) -> Iterator[tuple[str, InputFileError]]:
    while errors:
        exc = errors.pop(0)
        where = str(exc.filename or "?")
        yield where, InputFileError(where, f"cannot read folder: {exc.strerror or exc}")


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


def load_paths(bind: Bind, paths: Iterable[str], *, newspaper: str | None = None, reassign: bool = False,
               arguments: str | None = None, workers: int = 1,
               file_time_limit: float = FILE_TIME_LIMIT_S,
               on_file: Callable[[FileResult], None] | None = None,
               on_discovered: Callable[[int], None] | None = None) -> LoadReport:
    """Load every file under ``paths``; record the run in ``load_run``.

    With ``workers`` > 1, files are read and parsed in that many processes while
    this one writes them, each in its own transaction, in input order. A file
    whose parse takes longer than ``file_time_limit`` seconds (0: no limit) is
    rejected and the run goes on.

    Content already stored under another newspaper than ``newspaper`` stays
    where it is, with a warning on its result; with ``reassign`` it is moved
    (rewritten under ``newspaper`` in the file's one transaction). The
    rejected_file rows of paths that no longer exist below the folders given
    are forgotten (``LoadReport.forgotten``).

    Raises DatabaseConnectionLost (carrying the report so far) when the
    database goes away during the run; the file being written is rolled back.
    """
    paths = list(paths)
    if reassign and not newspaper:
        raise UsageError("--reassign moves files to the newspaper given with --newspaper: name one")
    report = LoadReport()
    entries = list(discover(paths))
    if on_discovered:
        on_discovered(len(entries))
    with transaction(bind) as conn:
        report.run_id = conn.scalar(sa.insert(LoadRun).values(
            tool_version=__version__, arguments=mask_secrets(arguments)).returning(LoadRun.id))
        _adopt_relative_names(conn, [p for p, e in entries if e is None])
        known = known_names(conn, [p for p, e in entries if e is None])
        report.forgotten = _forget_vanished_rejections(conn, paths)
        if reassign:  # content to move is read and parsed again, never skipped as unchanged
            elsewhere = stored_elsewhere(conn, list(known), newspaper)
            known = {p: sha for p, sha in known.items() if p not in elsewhere}
    path = "(run bookkeeping)"
    if workers > 1 and sum(1 for _, e in entries if e is None) > 1:
        stream = _prepared_in_order(entries, known, workers, file_time_limit)
    else:  # one worker (or nothing new to parse): read and parse inline
        stream = ((p, e, None) for p, e in entries)
    try:
        for path, error, prepared in stream:
            if error:
                result = FileResult(path, "failed", message=error.reason)
                _reject(bind, path, error.reason, None, None, report.run_id)
            elif prepared is not None:
                result = store_file(bind, prepared, newspaper=newspaper, run_id=report.run_id,
                                    file_time_limit=file_time_limit, reassign=reassign)
            else:
                result = load_file(bind, path, newspaper=newspaper, run_id=report.run_id, known_sha=known.get(path),
                                   file_time_limit=file_time_limit, reassign=reassign)
            report.results.append(result)
            if on_file:
                on_file(result)
        path = "(run bookkeeping)"
        if newspaper:
            _warn_stored_elsewhere(bind, report, newspaper)
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


def _adopt_relative_names(conn: Connection, paths: list[str]) -> None:
    """Rename paths stored relative (before names were canonical) to the canonical path they
    give from here, when that is a file of this run; where both spellings are stored, the
    relative one goes (and its content, if no other name is left)."""
    wanted = set(paths)
    for table in (SourceFileName, RejectedFile):
        for row_id, path in conn.execute(sa.select(table.id, table.path).where(~table.path.startswith("/"))).all():
            canonical = canonical_path(path)
            if canonical not in wanted:
                continue
            lock(conn, f"newsetl:path:{canonical}")
            if conn.scalar(sa.select(table.id).where(table.path == canonical)) is None:
                conn.execute(sa.update(table).where(table.id == row_id).values(path=canonical))
            elif table is SourceFileName:
                content = conn.scalar(sa.select(table.source_file_id).where(table.id == row_id))
                conn.execute(sa.delete(table).where(table.id == row_id))
                _drop_unnamed(conn, [content])
            else:
                conn.execute(sa.delete(table).where(table.id == row_id))


def stored_elsewhere(conn: Connection, paths: list[str], newspaper: str) -> dict[str, list[str]]:
    """{path: the newspapers its content is stored under} for the paths whose content is loaded
    under another newspaper than ``newspaper`` (or under it and others)."""
    found: dict[str, list[str]] = {}
    for i in range(0, len(paths), 5000):
        rows = conn.execute(sa.text("""
            SELECT n.path, array_agg(DISTINCT np.name ORDER BY np.name) AS papers
            FROM source_file_name n JOIN page p ON p.source_file_id = n.source_file_id
            JOIN issue i ON i.id = p.issue_id JOIN newspaper np ON np.id = i.newspaper_id
            WHERE n.path = ANY(:paths) GROUP BY n.path"""), {"paths": paths[i:i + 5000]})
        found.update({r.path: list(r.papers) for r in rows if list(r.papers) != [newspaper]})
    return found


def _warn_stored_elsewhere(bind: Bind, report: LoadReport, newspaper: str) -> None:
    """A warning on each file left under another newspaper than the one asked for."""
    unchanged = [r.path for r in report.results if r.status == "unchanged"]
    if not unchanged:
        return
    with transaction(bind) as conn:
        elsewhere = stored_elsewhere(conn, unchanged, newspaper)
    for i, r in enumerate(report.results):
        if r.path in elsewhere:
            papers = "、".join(elsewhere[r.path])
            report.results[i] = replace(r, warnings=(*r.warnings, (
                f"already loaded under {papers}, not {newspaper}; left there "
                f"(run `newsetl load --newspaper {newspaper} --reassign` on it to move it)")))


def _forget_vanished_rejections(conn: Connection, paths: list[str]) -> list[str]:
    """Delete the rejected_file rows of paths below the folders in ``paths`` that no longer exist."""
    folders = [canonical_path(p) for p in paths if os.path.isdir(p)]
    if not folders:
        return []
    match = sa.or_(*[RejectedFile.path.startswith(f.rstrip("/") + "/", autoescape=True) for f in folders])
    below = conn.execute(sa.select(RejectedFile.path).where(match)).scalars().all()
    gone = sorted(p for p in below if not os.path.lexists(p))
    if gone:
        conn.execute(sa.delete(RejectedFile).where(RejectedFile.path.in_(gone)))
    return gone


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
    errors = mask_secrets("\n".join(f"{r.path}: {r.message}" for r in report.failed)) or None
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


def prepare_file(path: str, known_sha: str | None = None, parse: bool = True,
                 file_time_limit: float = FILE_TIME_LIMIT_S) -> _Prepared:
    """Read, hash and parse one file; pure (no database), so it runs in worker processes."""
    sha = size = None
    try:
        data = read_source(path)
        sha, size = hashlib.sha256(data).hexdigest(), len(data)
        if known_sha == sha:
            return _Prepared(path, sha, size, unchanged=True)
        doc = _parse(path, data, file_time_limit) if parse else None
        return _Prepared(path, sha, size, data, doc)
    except InputFileError as exc:
        return _Prepared(path, sha, size, error=exc.reason)


class _OverTime(BaseException):
    """Raised by the timer; a BaseException, so no ``except Exception`` in a library turns it into another error."""


def _parse(path: str, data: bytes, time_limit: float = FILE_TIME_LIMIT_S) -> ParsedDocument:
    """Parse a file's bytes; InputFileError if there is nothing to load or parsing takes too long.

    The limit is on processor time (a SIGPROF timer), so a machine busy with other work
    does not make a good file fail; it holds in the main thread of a process (the CLI,
    a parse worker), elsewhere the file is parsed without one.
    """
    import signal
    import threading

    def over_time(signum, frame):
        raise _OverTime

    timed = bool(time_limit) and threading.current_thread() is threading.main_thread()
    if timed:
        warm_up()  # loading the models is the process's cost, not the file's
        previous = signal.signal(signal.SIGPROF, over_time)
        signal.setitimer(signal.ITIMER_PROF, time_limit)
    try:
        doc = parse_bytes(data, os.path.basename(path))
    except _OverTime:
        raise InputFileError(path, f"parsing took more than {time_limit:g} s of processor time, the limit for one file "
                                   "(newsetl load --file-time-limit); nothing of it was loaded") from None
    finally:
        if timed:
            signal.setitimer(signal.ITIMER_PROF, 0)
            signal.signal(signal.SIGPROF, previous)
    if not doc.items:
        raise InputFileError(path, "no newspaper content found (no page header, no article)")
    return doc


def load_file(bind: Bind, path: str, *, newspaper: str | None = None, run_id: int | None = None,
              known_sha: str | None = None, file_time_limit: float = FILE_TIME_LIMIT_S,
              reassign: bool = False) -> FileResult:
    """Load one file in one transaction. Bad input gives a failed result (and a rejected_file row)."""
    return store_file(bind, prepare_file(path, known_sha, parse=False), newspaper=newspaper, run_id=run_id,
                      file_time_limit=file_time_limit, reassign=reassign)


def store_file(bind: Bind, prepared: _Prepared, *, newspaper: str | None = None,
               run_id: int | None = None, file_time_limit: float = FILE_TIME_LIMIT_S,
               reassign: bool = False) -> FileResult:
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
                    return write_document(conn, path, data, sha, None, newspaper=newspaper, run_id=run_id,
                                          reassign=reassign)
            doc = _parse(path, data, file_time_limit)
        for attempt in range(RETRIES):
            try:
                with transaction(bind) as conn:
                    return write_document(conn, path, data, sha, doc, newspaper=newspaper, run_id=run_id,
                                          reassign=reassign)
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
                       workers: int, file_time_limit: float = FILE_TIME_LIMIT_S
                       ) -> Iterator[tuple[str, InputFileError | None, _Prepared | None]]:
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
                    item = pool.submit(prepare_file, path, known.get(path), True, file_time_limit)
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


def write_document(conn: Connection, path: str, data: bytes, sha: str, doc: ParsedDocument | None, *,
                   newspaper: str | None = None, run_id: int | None = None, reassign: bool = False) -> FileResult:
    """Write one parsed file inside the caller's transaction.

    Content is stored once per SHA-256: a path whose content is already loaded
    (under another name) only records the name (``doc`` may then be None: it
    is parsed here only if that content vanished meanwhile). A path whose content changed
    drops the content it named before (unless another name still uses it) and
    writes the new one. With ``reassign``, content already stored under another
    newspaper than ``newspaper`` is dropped and written again under it (every
    name it had keeps it), so its issues and text keys are those a first load
    under ``newspaper`` gives.
    """
    # Loaders given the same path or the same content wait for each other instead of racing.
    lock(conn, f"newsetl:path:{path}", f"newsetl:sha:{sha}")
    current = conn.execute(
        sa.select(SourceFileName.id, SourceFileName.source_file_id, SourceFile.sha256)
        .join(SourceFile, SourceFile.id == SourceFileName.source_file_id)
        .where(SourceFileName.path == path)).first()
    same_content = conn.execute(sa.select(SourceFile.id, SourceFile.path).where(SourceFile.sha256 == sha)).first()
    moved_from: list[str] = []
    other_names: list[str] = []
    if same_content is not None and reassign and newspaper:
        moved_from = _newspapers_of(conn, same_content.id)
        if moved_from != [newspaper]:
            other_names = _release(conn, same_content.id, keep=path)
            if current is not None and current.source_file_id == same_content.id:
                current = None  # its name went with the content; written again below
            same_content = None
        else:
            moved_from = []
    if current is not None and current.sha256 == sha and not moved_from:
        return FileResult(path, "unchanged")
    conn.execute(sa.delete(RejectedFile).where(RejectedFile.path == path))

    if same_content is not None:
        _name(conn, path, same_content.id, current)
        return FileResult(path, "unchanged", message=f"same content as {same_content.path}; name recorded")
    if doc is None and moved_from:
        doc = _parse(path, data)
    if doc is None:  # the content we meant to name was purged meanwhile: parse it after all
        return write_document(conn, path, data, sha, _parse(path, data), newspaper=newspaper, run_id=run_id)

    source_file_id = conn.scalar(sa.insert(SourceFile).values(
        path=path, sha256=sha, size_bytes=len(data), encoding=doc.encoding,
        newline=NEWLINE_NAMES.get(doc.newline, "LF"), last_load_run_id=run_id).returning(SourceFile.id))
    masthead = next((p.newspaper for p in doc.pages if p.newspaper), None)
    newspaper_name = newspaper or masthead or UNKNOWN_NEWSPAPER
    newspaper_id = _upsert_newspaper(conn, newspaper_name, masthead)
    plans, item_page = plan_pages(doc)
    lock(conn, *{_issue_lock(newspaper_id, plan.date) for plan in plans})
    _name(conn, path, source_file_id, current)  # drops the old content first, so its text_keys are free again
    for name in other_names:
        conn.execute(sa.insert(SourceFileName).values(path=name, source_file_id=source_file_id))

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
    if rows:
        _record_sources(conn, rows, inserted, sha)

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
    status = "added" if current is None and not moved_from else "replaced"
    skipped = len(rows) - len(inserted)
    notes = [f"moved from {'、'.join(moved_from)} to {newspaper_name}"] if moved_from else []
    if skipped:
        notes.append(f"{plural(skipped, 'article')} already loaded from another file")
    flagged = tuple((item.line_start, item.headline or _WS.sub("", item.body)[:16], tuple(r["warnings"]))
                    for item, r in (rows[k] for k in sorted(inserted)) if r["warnings"])
    return FileResult(path, status, articles=len(inserted), mentions=len(mention_rows), message="; ".join(notes),
                      warnings=doc.date_warnings, moved_from=tuple(moved_from), flagged=tuple(sorted(flagged)))


def _newspapers_of(conn: Connection, source_file_id: int) -> list[str]:
    return conn.execute(sa.text("""
        SELECT DISTINCT np.name FROM page p JOIN issue i ON i.id = p.issue_id
        JOIN newspaper np ON np.id = i.newspaper_id WHERE p.source_file_id = :id ORDER BY np.name"""),
        {"id": source_file_id}).scalars().all()


def _release(conn: Connection, source_file_id: int, keep: str) -> list[str]:
    """Drop a content and every name of it (to be written again); the names other than ``keep``."""
    names = conn.execute(sa.delete(SourceFileName).where(SourceFileName.source_file_id == source_file_id)
                         .returning(SourceFileName.path)).scalars().all()
    _drop_unnamed(conn, [source_file_id])
    return sorted(n for n in names if n != keep)


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


SOURCE_COLUMNS = ("article_id", "page_id", "seq", "start_offset", "end_offset", "line_start", "line_end")
_HOME_COLUMNS = SOURCE_COLUMNS[1:]


def _record_sources(conn: Connection, rows: dict[str, tuple], inserted: dict[str, int], sha: str) -> None:
    """Record this file as a source of every article it holds, new or already loaded from another file.

    An article already loaded from another file moves onto this file's page when this
    content's SHA-256 is smaller than that of the file it is on: whichever order files
    are loaded, purged and loaded again in, an article is on the same file's page.
    """
    ids = dict(inserted)
    shared = sorted(set(rows) - set(inserted))
    if shared:
        ids.update(conn.execute(sa.text("SELECT text_key, id FROM article WHERE text_key = ANY(:keys)"),
                                {"keys": shared}).tuples().all())
    source_rows = [(ids[key], *(rows[key][1][c] for c in _HOME_COLUMNS)) for key in sorted(rows) if key in ids]
    _copy_rows(conn, "article_source", SOURCE_COLUMNS, source_rows)
    if shared:
        conn.execute(sa.text(f"""
            UPDATE article a SET {', '.join(f'{c} = s.{c}' for c in _HOME_COLUMNS)}
            FROM article_source s, page here, page home, source_file home_file
            WHERE a.id = ANY(:shared) AND s.article_id = a.id AND s.page_id = here.id
              AND here.source_file_id = (SELECT id FROM source_file WHERE sha256 = :sha)
              AND home.id = a.page_id AND home_file.id = home.source_file_id AND home_file.sha256 > :sha"""),
            {"shared": [ids[k] for k in shared if k in ids], "sha": sha})


def _rehome(conn: Connection, dropped: list[int]) -> None:
    """Move the articles shown from the files about to be dropped onto the page of another file
    that supplies them (the one whose content has the smallest SHA-256); the rest go with them."""
    conn.execute(sa.text(f"""
        UPDATE article a SET {', '.join(f'{c} = best.{c}' for c in _HOME_COLUMNS)}
        FROM (SELECT DISTINCT ON (s.article_id) s.*
              FROM article_source s JOIN page p ON p.id = s.page_id JOIN source_file f ON f.id = p.source_file_id
              WHERE f.id <> ALL(:dropped) AND s.article_id IN (
                  SELECT a.id FROM article a JOIN page p ON p.id = a.page_id WHERE p.source_file_id = ANY(:dropped))
              ORDER BY s.article_id, f.sha256) best
        WHERE a.id = best.article_id"""), {"dropped": dropped})


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


def _drop_unnamed(conn: Connection, source_file_ids: list[int]) -> tuple[int, int]:
    """Delete contents no name refers to any more (cascades to pages, articles, mentions),
    then the issues they leave empty. An article another file also supplies moves onto that
    file's page instead. Returns (contents deleted, articles deleted)."""
    unnamed = ~sa.exists().where(SourceFileName.source_file_id == SourceFile.id)
    issues = conn.execute(sa.select(Issue.id, Issue.newspaper_id, Issue.issue_date).distinct()
                          .join(Page, Page.issue_id == Issue.id).join(SourceFile, SourceFile.id == Page.source_file_id)
                          .where(SourceFile.id.in_(source_file_ids), unnamed)).all()
    lock(conn, *{_issue_lock(i.newspaper_id, i.issue_date) for i in issues})
    dropped = conn.execute(sa.select(SourceFile.id).where(SourceFile.id.in_(source_file_ids), unnamed)
                           .with_for_update()).scalars().all()
    if not dropped:
        return 0, 0
    _rehome(conn, dropped)
    articles = conn.scalar(sa.select(sa.func.count()).select_from(Article).join(Page)
                           .where(Page.source_file_id.in_(dropped)))
    conn.execute(sa.delete(SourceFile).where(SourceFile.id.in_(dropped)))
    if issues:
        conn.execute(sa.delete(Issue).where(Issue.id.in_([i.id for i in issues]),
                                            ~sa.exists().where(Page.issue_id == Issue.id)))
    return len(dropped), articles


@dataclass(frozen=True)
class PurgeReport:
    names: int  # names removed
    files: int  # contents removed with all their data
    articles: int
    rejected: int = 0  # rejected_file rows of those paths removed


def purge_paths(bind: Bind, paths: Iterable[str]) -> PurgeReport:
    """Remove the named files' data in a few set-based statements (one transaction).

    A path that is a folder purges every name under it. Content still named by
    another path stays. Entities (person, organization, place) stay: they are
    shared across files, and keeping them keeps their ids stable.
    """
    # the canonical form, and the spelling as typed for names stored before names were canonical
    exact = sorted({form for p in paths for form in (str(p), canonical_path(str(p)))})
    prefixes = [p.rstrip("/") + "/" for p in exact]
    with transaction(bind) as conn:
        match = sa.or_(SourceFileName.path.in_(exact), *[SourceFileName.path.startswith(p, autoescape=True)
                                                          for p in prefixes])
        ids = conn.execute(sa.delete(SourceFileName).where(match)
                           .returning(SourceFileName.source_file_id)).scalars().all()
        files, articles = _drop_unnamed(conn, sorted(set(ids))) if ids else (0, 0)
        rejected = conn.execute(sa.delete(RejectedFile).where(sa.or_(
            RejectedFile.path.in_(exact), *[RejectedFile.path.startswith(p, autoescape=True) for p in prefixes]))
            .returning(RejectedFile.id)).scalars().all()
        if files:  # names found only in the purged files are no longer known elsewhere
            link_known_names(conn)
            conn.execute(sa.text("DELETE FROM post p WHERE NOT EXISTS "
                                 "(SELECT 1 FROM mention_post mp WHERE mp.post_id = p.id)"))
    return PurgeReport(names=len(ids), files=files, articles=articles, rejected=len(rejected))


@dataclass(frozen=True)
class Rejection:
    path: str
    reason: str
    times: int
    last_rejected_at: dt.datetime
    exists: bool  # the path is still there (a file that fails to load), or gone (a typo, a deleted file)


def rejections(bind: Bind, paths: Iterable[str] = (), *, gone_only: bool = False) -> list[Rejection]:
    """The rejected_file rows (of ``paths`` and what is below them, when given), by path."""
    exact = sorted({form for p in paths for form in (str(p), canonical_path(str(p)))})
    query = (sa.select(RejectedFile.path, RejectedFile.reason, RejectedFile.times, RejectedFile.last_rejected_at)
             .order_by(RejectedFile.path))
    if exact:
        query = query.where(sa.or_(RejectedFile.path.in_(exact), *[
            RejectedFile.path.startswith(p.rstrip("/") + "/", autoescape=True) for p in exact]))
    with transaction(bind) as conn:
        found = [Rejection(*r, exists=os.path.lexists(r.path)) for r in conn.execute(query)]
    return [r for r in found if not (gone_only and r.exists)]


def forget_rejections(bind: Bind, paths: list[str]) -> int:
    """Delete the rejected_file rows of exactly these paths; how many there were."""
    with transaction(bind) as conn:
        return len(conn.execute(sa.delete(RejectedFile).where(RejectedFile.path.in_(paths))
                                .returning(RejectedFile.id)).scalars().all())


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
    # a date's source is null exactly when there is no date (a header printing an impossible date gives none)
    doc_source = None if doc.date is None else ("text" if doc.date_from_text else "header")
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
    by_print: dict[tuple, int] = {}  # a header printed again word for word is the same page, not a new one
    for _, plan, section, header_index in candidates:
        printed = (plan.has_header, plan.page_label, plan.section, plan.date, plan.editor, plan.proofreader,
                   plan.layout_editor, plan.hotline)
        if header_index is not None and printed in by_print:
            by_header[header_index] = by_print[printed]
            continue
        idx = len(plans)
        if header_index is not None:
            by_print[printed] = idx
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
