"""Loads that never lose or duplicate data, tried the hard way with real processes and servers.

Figures these tests print (``-s``) are the ones quoted in docs/reliability.md.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from etl.db import embedded, migrate
from etl.db.connection import create_engine, release_embedded, start_embedded
from etl.db.load import UNKNOWN_NEWSPAPER, article_keys
from etl.db.locks import exclusive_run
from etl.db.resolve import resolve_entities
from etl.parse import parse_bytes
from etl.wording import plural

from .conftest import ROOT, SEEDS, run_cli, url_arg

pytestmark = [pytest.mark.db, pytest.mark.slow]

NEWSPAPER = "焦作日报"


def distinct_copies(folder: Path, copies: int) -> list[Path]:
    """``copies`` × the five seeds, each copy's text made distinct (so its articles are its own)."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(copies):
        marker = chr(0x4E00 + 37 * i + 11)
        for seed in sorted(SEEDS.glob("*.txt")):
            target = folder / f"{i:03d}_{seed.name}"
            target.write_text(seed.read_text(encoding="utf-8").replace("的", "的" + marker), encoding="utf-8")
            out.append(target)
    return out


def assert_whole_or_absent(engine, newspaper: str = NEWSPAPER) -> int:
    """Every file with a name in the database has all of its pages and articles; returns how many."""
    with engine.connect() as conn:
        names = conn.execute(sa.text("SELECT path, source_file_id FROM source_file_name")).all()
        all_keys = set(conn.scalars(sa.text("SELECT text_key FROM article")))
        for path, source_file_id in names:
            doc = parse_bytes(Path(path).read_bytes(), Path(path).name)
            expected = {key for _, key, _ in article_keys(doc, newspaper)}
            own = set(conn.scalars(sa.text(
                "SELECT a.text_key FROM article a JOIN page p ON p.id = a.page_id WHERE p.source_file_id = :id"),
                {"id": source_file_id}))
            assert own <= expected, f"{path}: articles that are not its own"
            assert expected <= all_keys, f"{path}: {len(expected - all_keys)} articles missing (half-written file)"
        orphans = conn.scalar(sa.text("""
            SELECT (SELECT count(*) FROM source_file sf WHERE NOT EXISTS
                        (SELECT 1 FROM source_file_name n WHERE n.source_file_id = sf.id))
                 + (SELECT count(*) FROM issue i WHERE NOT EXISTS (SELECT 1 FROM page p WHERE p.issue_id = i.id))
                 + (SELECT count(*) FROM page p WHERE NOT EXISTS (SELECT 1 FROM article a WHERE a.page_id = p.id))"""))
        assert orphans == 0, "content without a name, issue without pages or page without articles"
    return len(names)


def start_load(url, *paths, extra=()) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "etl", "load", "--newspaper", NEWSPAPER, "--db", url_arg(url),
                             *extra, *map(str, paths)], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True)


def wait_inside_a_file_transaction(engine, proc, after_files: int = 0, timeout: float = 120.0) -> bool:
    """Wait until ``after_files`` files are loaded and the loader holds a file's lock (a row of
    load_lock), i.e. is inside the transaction of the next file."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None and after_files:
        with engine.connect() as conn:
            if conn.scalar(sa.text("SELECT count(*) FROM source_file_name")) >= after_files:
                break
        time.sleep(0.05)
    while time.monotonic() < deadline and proc.poll() is None:
        with engine.connect() as conn:
            if conn.scalar(sa.text("""SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
                                      WHERE l.locktype = 'relation' AND l.relation = 'load_lock'::regclass
                                        AND l.mode = 'RowShareLock' AND a.application_name = 'newsetl'""")):
                return True
        time.sleep(0.02)
    return False


# ---------------------------------------------------------------- bad input

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8


def _cut_multibyte(path: Path) -> None:
    data = (SEEDS / "003_223f8a6ac594ec44.txt").read_bytes().rstrip()
    assert data[-1] >= 0x80  # ends with a multibyte character, which we cut in half
    path.write_bytes(data[:-1])


def _huge(path: Path) -> None:
    with open(path, "wb") as f:  # sparse: 200 MB on paper, nothing on disk
        f.truncate(200 * 1024 * 1024)


def _undecodable(path: Path) -> None:
    path.write_bytes("本报讯 温县新闻。".encode() * 20 + b"\xff\xff\x81" + "会议召开。".encode() * 20 + b"x")


BAD_INPUTS = {
    "empty.txt": (lambda p: p.write_bytes(b""), "empty file"),
    "photo.png": (lambda p: p.write_bytes(PNG), "PNG image"),
    "undecodable.txt": (_undecodable, "undecodable"),
    "cut.txt": (_cut_multibyte, "cut at the end"),
    "README.txt": (lambda p: p.write_text("# newsetl\n\nLoads newspaper dumps.\n" * 20), "not a Chinese newspaper"),
    "huge.txt": (_huge, "limit"),
    "dangling.txt": (lambda p: p.symlink_to(p.parent / "gone"), "cannot read"),
    "fifo.txt": (lambda p: os.mkfifo(p), "not a regular file"),
}


@pytest.fixture(scope="module")
def bad_input_run(make_database, tmp_path_factory):
    folder = tmp_path_factory.mktemp("bad-input")
    shutil.copy(SEEDS / "003_223f8a6ac594ec44.txt", folder / "good.txt")
    for name, (make, _) in BAD_INPUTS.items():
        make(folder / name)
    (folder / "loop").mkdir()
    (folder / "loop" / "again").symlink_to(folder / "loop")
    url = make_database()
    proc = run_cli("load", "--db", url_arg(url), str(folder), str(folder / "no-such-file.txt"))
    engine = create_engine(url)
    yield folder, proc, engine
    engine.dispose()


def test_bad_input_run_exits_1_and_still_loads_the_good_file(bad_input_run):
    folder, proc, engine = bad_input_run
    assert proc.returncode == 1, proc.stderr
    with engine.connect() as conn:
        assert conn.scalars(sa.text("SELECT path FROM source_file_name")).all() == [str(folder / "good.txt")]
        assert conn.scalar(sa.text("SELECT count(*) FROM article")) > 0
        run = conn.execute(sa.text("SELECT status, files_failed FROM load_run")).one()
    assert run.status == "partial" and run.files_failed == len(BAD_INPUTS) + 2  # + symlink loop + missing path


@pytest.mark.parametrize("name", [*BAD_INPUTS, "no-such-file.txt", "loop/again"])
def test_each_bad_input_is_one_clear_line_and_a_rejected_row(bad_input_run, name):
    folder, proc, engine = bad_input_run
    path = str(folder / name)
    lines = [line for line in proc.stderr.splitlines() if line.startswith(f'newsetl: "{path}": ')]
    assert len(lines) == 1, proc.stderr
    expected = BAD_INPUTS.get(name, (None, "no such file" if "no-such" in name else "symlink loop"))[1]
    assert expected in lines[0]
    with engine.connect() as conn:
        reason = conn.scalar(sa.text("SELECT reason FROM rejected_file WHERE path = :p"), {"p": path})
    assert reason and expected in reason


# ---------------------------------------------------------------- crashes

@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    distinct_copies(folder, 6)  # 30 files
    return folder


def test_kill_9_at_any_point_leaves_each_file_whole_or_absent(make_database, corpus, capsys):
    url = make_database()
    engine = create_engine(url)
    kills = 0
    try:
        for _ in range(4):  # kill three runs inside a file's transaction, then let one finish
            proc = start_load(url, corpus)
            if kills < 3 and wait_inside_a_file_transaction(engine, proc, after_files=1 + 7 * kills):
                proc.send_signal(signal.SIGKILL)
                proc.wait(timeout=60)
                kills += 1
                loaded = assert_whole_or_absent(engine)
                assert loaded < 30
            else:
                assert proc.wait(timeout=600) == 0, proc.stderr.read()
        assert kills == 3
        assert assert_whole_or_absent(engine) == 30
        with engine.connect() as conn:
            statuses = conn.scalars(sa.text("SELECT status FROM load_run ORDER BY id")).all()
        assert statuses == ["running"] * 3 + ["ok"]  # a killed run stays visibly unfinished
    finally:
        engine.dispose()
    with capsys.disabled():
        print(f"\n[reliability] kill -9 inside a file transaction: {kills} kills, 0 half-written files, "
              f"30/30 files whole after the next run")


def test_server_killed_mid_load_rolls_the_file_back_and_exits_2(embedded_dir, corpus, capsys):
    pgdata = embedded_dir / "crash-pgdata"
    url = start_embedded(pgdata, "newsetl")
    engine = create_engine(url)
    try:
        migrate.upgrade(engine)
        proc = start_load(url, corpus)
        assert wait_inside_a_file_transaction(engine, proc, after_files=3), "the loader never started a file"
        os.kill(embedded.running_pid(pgdata), signal.SIGQUIT)  # immediate shutdown, as in a crash
        stderr = proc.communicate(timeout=120)[1]
        assert proc.returncode == 2, stderr
        assert "connection lost" in stderr and "rolled back" in stderr
        assert start_embedded(pgdata, "newsetl") == url  # this process still uses it: started again
        release_embedded(pgdata)
        engine.dispose()
        loaded = assert_whole_or_absent(engine)
        assert 3 <= loaded < 30
        assert start_load(url, corpus).wait(timeout=600) == 0  # the next run completes the folder
        assert assert_whole_or_absent(engine) == 30
    finally:
        engine.dispose()
        release_embedded(pgdata)
    with capsys.disabled():
        print(f"\n[reliability] server crash mid-file: exit code 2, {loaded} whole files kept, 0 half-written; "
              f"next run completed 30/30")


# ---------------------------------------------------------------- concurrency

def test_parallel_loads_of_overlapping_folders_make_no_duplicates_and_no_failures(make_database, corpus, capsys):
    url = make_database()
    files = sorted(corpus.glob("*.txt"))
    groups = [files[:20], files[10:], files]  # every file is in two or three of the runs
    started = time.monotonic()
    procs = [start_load(url, *group) for group in groups]
    errors = [p.communicate(timeout=900)[1] for p in procs]
    elapsed = time.monotonic() - started
    assert [p.returncode for p in procs] == [0, 0, 0], errors
    engine = create_engine(url)
    try:
        assert assert_whole_or_absent(engine) == 30
        with engine.connect() as conn:
            assert conn.scalar(sa.text("SELECT count(*) FROM source_file")) == 30
            added = conn.scalar(sa.text("SELECT sum(files_added) FROM load_run"))
            assert added == 30, "a file was written by two runs"
            assert conn.scalar(sa.text("SELECT count(*) FROM load_run WHERE status <> 'ok'")) == 0
    finally:
        engine.dispose()
    with capsys.disabled():
        print(f"\n[reliability] 3 parallel loads over overlapping folders ({sum(map(len, groups))} file loads "
              f"of 30 files) in {elapsed:.1f}s: 0 failures, 0 duplicates")


def test_exclusive_load_skips_while_another_holds_the_lock(make_database):
    url = make_database()
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            with exclusive_run(engine) as got:
                assert got
                proc = run_cli("load", "--exclusive", "--db", url_arg(url), str(SEEDS))
                assert proc.returncode == 0 and "nothing done" in proc.stdout
                assert conn.scalar(sa.text("SELECT count(*) FROM load_run")) == 0
        proc = run_cli("load", "--exclusive", "--db", url_arg(url), str(SEEDS / "003_223f8a6ac594ec44.txt"))
        assert proc.returncode == 0 and "1 added" in proc.stdout
    finally:
        engine.dispose()


LOADER_LOCK_KEYS = ["newsetl:exclusive-load", "newsetl:known-names", "newsetl:resolve"]


def test_the_read_only_role_cannot_block_loads(make_database):
    """A reader holding every advisory lock the loader once used, and trying the loader's rows, blocks nothing."""
    url = make_database()
    engine = create_engine(url)
    seed = SEEDS / "003_223f8a6ac594ec44.txt"
    try:
        with engine.connect() as reader:
            reader.execute(sa.text("SET ROLE newsetl_reader"))
            for key in [*LOADER_LOCK_KEYS, f"newsetl:path:{seed}"]:
                reader.execute(sa.text("SELECT pg_advisory_lock(hashtextextended(:k, 0))"), {"k": key})
            reader.execute(sa.text("BEGIN"))
            with pytest.raises(sa.exc.ProgrammingError, match="permission denied"):
                reader.execute(sa.text("SELECT slot FROM load_lock FOR UPDATE"))
            reader.execute(sa.text("ROLLBACK"))
            proc = run_cli("load", "--exclusive", "--db", url_arg(url), str(seed), timeout=120)
            assert proc.returncode == 0 and "1 added" in proc.stdout, proc.stderr
            reader.execute(sa.text("SELECT pg_advisory_unlock_all()"))
    finally:
        engine.dispose()


# ---------------------------------------------------------------- idempotency, names, purge

SNAPSHOT = {
    "names": "SELECT n.path, sf.sha256 FROM source_file_name n JOIN source_file sf ON sf.id = n.source_file_id",
    "issues": "SELECT np.name, i.issue_date, i.edition, i.date_source FROM issue i JOIN newspaper np ON np.id = i.newspaper_id",
    "pages": """SELECT sf.sha256, p.file_order, p.page_label, p.section, p.editor, i.issue_date
                FROM page p JOIN source_file sf ON sf.id = p.source_file_id JOIN issue i ON i.id = p.issue_id""",
    "articles": """SELECT a.text_key, a.seq, a.kind, a.headline, a.kicker, a.subheadline, a.byline, a.event_date,
                          a.body, a.start_offset, a.content_hash FROM article a""",
    "sources": """SELECT a.text_key, f.sha256, s.seq, s.start_offset, s.line_start, home.sha256
                   FROM article_source s JOIN article a ON a.id = s.article_id JOIN page p ON p.id = s.page_id
                   JOIN source_file f ON f.id = p.source_file_id JOIN page hp ON hp.id = a.page_id
                   JOIN source_file home ON home.id = hp.source_file_id""",
    "mentions": """SELECT a.text_key, m.role, m.surface, m.title, m.field, m.start_offset, m.end_offset, m.found_by,
                          coalesce(p.name, o.name, pl.name), p.id, o.id, pl.id
                   FROM mention m JOIN article a ON a.id = m.article_id LEFT JOIN person p ON p.id = m.person_id
                   LEFT JOIN organization o ON o.id = m.organization_id LEFT JOIN place pl ON pl.id = m.place_id""",
}


def snapshot(engine) -> dict[str, list]:
    with engine.connect() as conn:
        return {name: sorted(map(tuple, conn.execute(sa.text(sql)).all()), key=repr) for name, sql in SNAPSHOT.items()}


def test_purge_then_load_gives_the_same_database(make_database, tmp_path):
    url = make_database()
    engine = create_engine(url)
    try:
        assert run_cli("load", "--newspaper", NEWSPAPER, "--db", url_arg(url), str(SEEDS)).returncode == 0
        before = snapshot(engine)
        one = SEEDS / "001_d414a8ee10d38a41.txt"
        purged = run_cli("purge", "--db", url_arg(url), str(one))
        assert purged.returncode == 0 and "1 file and" in purged.stdout
        with engine.connect() as conn:
            assert conn.scalar(sa.text("SELECT count(*) FROM source_file_name WHERE path = :p"), {"p": str(one)}) == 0
        assert snapshot(engine) != before
        assert run_cli("load", "--newspaper", NEWSPAPER, "--db", url_arg(url), str(SEEDS)).returncode == 0
        assert snapshot(engine) == before
        assert run_cli("purge", "--db", url_arg(url), str(SEEDS)).returncode == 0  # a whole folder
        with engine.connect() as conn:
            assert conn.scalar(sa.text("SELECT count(*) FROM article")) == 0
            assert conn.scalar(sa.text("SELECT count(*) FROM issue")) == 0
        assert run_cli("load", "--newspaper", NEWSPAPER, "--db", url_arg(url), str(SEEDS)).returncode == 0
        assert snapshot(engine) == before
        assert run_cli("purge", "--db", url_arg(url), str(tmp_path / "never-loaded.txt")).returncode == 2
    finally:
        engine.dispose()


def article_keys_of(engine) -> set[str]:
    with engine.connect() as conn:
        return set(conn.scalars(sa.text("SELECT text_key FROM article")))


def keys_in(path: Path) -> set[str]:
    return {key for _, key, _ in article_keys(parse_bytes(path.read_bytes(), path.name), NEWSPAPER)}


def test_purge_then_load_with_files_that_share_articles(make_database, tmp_path):
    """B is A with one more line: purging A keeps every article B holds; loading A again restores all."""
    url = make_database()
    a, b = tmp_path / "A.txt", tmp_path / "B.txt"
    shutil.copy(SEEDS / "003_223f8a6ac594ec44.txt", a)
    b.write_text(a.read_text(encoding="utf-8") + "\n高新区领导侯建华出席会议。\n", encoding="utf-8")
    engine = create_engine(url)
    try:
        load = run_cli("load", "--newspaper", NEWSPAPER, "--db", url_arg(url), str(a), str(b))
        assert load.returncode == 0, load.stderr
        before = snapshot(engine)
        assert keys_in(a) & keys_in(b), "the two files share no article: the test shows nothing"
        purged = run_cli("purge", "--db", url_arg(url), str(a))
        only_in_a = len(keys_in(a) - keys_in(b))
        assert purged.returncode == 0 and f"{plural(only_in_a, 'article')} deleted" in purged.stdout, purged.stderr
        assert article_keys_of(engine) == keys_in(b)
        assert "1 unchanged" in run_cli("load", "--newspaper", NEWSPAPER, "--db", url_arg(url), str(b)).stdout
        assert run_cli("load", "--newspaper", NEWSPAPER, "--db", url_arg(url), str(a)).returncode == 0
        assert snapshot(engine) == before
        # and the other way round: B purged, A keeps what it holds
        assert run_cli("purge", "--db", url_arg(url), str(b)).returncode == 0
        assert article_keys_of(engine) == keys_in(a)
    finally:
        engine.dispose()


def test_two_spellings_of_a_path_are_one_name(make_database, tmp_path):
    url = make_database()
    dumps = tmp_path / "dumps"
    dumps.mkdir()
    page = dumps / "page.txt"
    original = (SEEDS / "003_223f8a6ac594ec44.txt").read_text(encoding="utf-8")
    page.write_text(original, encoding="utf-8")
    engine = create_engine(url)
    try:
        assert run_cli("load", "--db", url_arg(url), "dumps/", cwd=tmp_path).returncode == 0
        again = run_cli("load", "--db", url_arg(url), str(tmp_path / "." / "dumps" / ".." / "dumps"))
        assert "1 unchanged" in again.stdout
        with engine.connect() as conn:
            assert conn.scalars(sa.text("SELECT path FROM source_file_name")).all() == [str(page)]
        page.write_text(original.replace("行政银企对接座谈会", "政银企对接座谈会", 1), encoding="utf-8")
        edited = run_cli("load", "--db", url_arg(url), "dumps/page.txt", cwd=tmp_path)
        assert "1 replaced" in edited.stdout, edited.stderr
        with engine.connect() as conn:
            headlines = set(conn.scalars(sa.text("SELECT headline FROM article")))
        assert "中国银行河南省分行与高新区举行政银企对接座谈会" in headlines
        assert run_cli("purge", "--db", url_arg(url), str(page)).returncode == 0
        assert article_keys_of(engine) == set()
    finally:
        engine.dispose()


def test_names_stored_relative_by_an_earlier_version_are_adopted(make_database, tmp_path):
    """Before names were canonical a relative path was stored as typed: the next run renames it."""
    url = make_database()
    (tmp_path / "dumps").mkdir()
    shutil.copy(SEEDS / "003_223f8a6ac594ec44.txt", tmp_path / "dumps" / "page.txt")
    engine = create_engine(url)
    try:
        assert run_cli("load", "--db", url_arg(url), "dumps", cwd=tmp_path).returncode == 0
        with engine.begin() as conn:  # what the earlier version stored
            conn.execute(sa.text("UPDATE source_file_name SET path = 'dumps/page.txt'"))
        again = run_cli("load", "--db", url_arg(url), "dumps", cwd=tmp_path)
        assert "1 unchanged" in again.stdout, again.stderr
        with engine.connect() as conn:
            assert conn.scalars(sa.text("SELECT path FROM source_file_name")).all() == \
                [str(tmp_path / "dumps" / "page.txt")]
    finally:
        engine.dispose()


# A later brief naming two officials of the seed pages bare, where no rule of the parser fires:
# only the known-names pass can find them.
BARE_NAMES = "第05版:县区新闻\n\n本报讯 日前，观摩组一行在吕沛陪同下参观了展馆，大家对郑小林的介绍反响热烈。\n"


def test_load_order_does_not_change_the_database(make_database, tmp_path):
    """Names found in one file are recognized in the others whichever file is loaded first."""
    def without_ids(snap):
        return {k: sorted((r[:-3] if k == "mentions" else r for r in rows), key=repr) for k, rows in snap.items()}

    folder = tmp_path / "pages"
    shutil.copytree(SEEDS, folder)
    (folder / "zz_brief.txt").write_text(BARE_NAMES, encoding="utf-8")
    assert not [m for it in parse_bytes(BARE_NAMES.encode(), "brief").items for m in it.mentions if m.kind == "person"]
    seeds = sorted(folder.glob("*.txt"))
    forward, backward = make_database(), make_database()
    assert run_cli("load", "--newspaper", NEWSPAPER, "--db", url_arg(forward), str(folder)).returncode == 0
    for seed in reversed(seeds):  # one run per file, newest first
        assert run_cli("load", "--newspaper", NEWSPAPER, "--db", url_arg(backward), str(seed)).returncode == 0
    engines = [create_engine(forward), create_engine(backward)]
    try:
        one, other = (without_ids(snapshot(e)) for e in engines)
        assert one == other
        corpus = [r for r in one["mentions"] if r[7] == "corpus"]
        assert corpus, "no name found in one file was recognized in another"
        # each run resolved only what it loaded; a pass over everything finds nothing more
        with engines[1].begin() as conn:
            assert resolve_entities(conn) == []
        assert without_ids(snapshot(engines[1])) == other
    finally:
        for e in engines:
            e.dispose()


def test_same_content_under_two_names_is_stored_once(make_database, tmp_path):
    url = make_database()
    for name in ("a.txt", "b.txt"):
        shutil.copy(SEEDS / "004_2faae2a4ae9c89fa.txt", tmp_path / name)
    proc = run_cli("load", "--db", url_arg(url), str(tmp_path))
    assert proc.returncode == 0 and "1 added" in proc.stdout and "1 unchanged" in proc.stdout
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            assert conn.scalar(sa.text("SELECT count(*) FROM source_file")) == 1
            assert sorted(conn.scalars(sa.text("SELECT path FROM source_file_name"))) == \
                   [str(tmp_path / "a.txt"), str(tmp_path / "b.txt")]
            articles = conn.scalar(sa.text("SELECT count(*) FROM article"))
            assert articles == len(parse_bytes((SEEDS / "004_2faae2a4ae9c89fa.txt").read_bytes(), "x").items)
        assert run_cli("purge", "--db", url_arg(url), str(tmp_path / "a.txt")).returncode == 0
        with engine.connect() as conn:  # b.txt still names the content: nothing deleted
            assert conn.scalar(sa.text("SELECT count(*) FROM article")) == articles
        assert run_cli("purge", "--db", url_arg(url), str(tmp_path / "b.txt")).returncode == 0
        with engine.connect() as conn:
            assert conn.scalar(sa.text("SELECT count(*) FROM article")) == 0
    finally:
        engine.dispose()


def test_changed_file_replaces_its_data_keeping_keys_of_unchanged_articles(make_database, tmp_path):
    url = make_database()
    target = tmp_path / "page.txt"
    original = (SEEDS / "003_223f8a6ac594ec44.txt").read_text(encoding="utf-8")
    target.write_text(original, encoding="utf-8")
    assert run_cli("load", "--db", url_arg(url), str(target)).returncode == 0
    engine = create_engine(url)

    def articles():
        with engine.connect() as conn:
            return dict(conn.execute(sa.text("SELECT text_key, headline FROM article")).tuples().all())

    try:
        before = articles()
        # the exporter fixed a typo in a headline: every article keeps its key, the headline is new
        fixed_headline = original.replace("行政银企对接座谈会", "政银企对接座谈会", 1)
        target.write_text(fixed_headline, encoding="utf-8")
        proc = run_cli("load", "--db", url_arg(url), str(target))
        assert proc.returncode == 0 and "1 replaced" in proc.stdout
        after = articles()
        assert set(after) == set(before)
        assert sorted(set(after.values()) - set(before.values())) == ["中国银行河南省分行与高新区举行政银企对接座谈会"]
        # and then one article's text: only that article gets a new key
        fixed_body = fixed_headline.replace("马克思主义理论水平", "马克思主义理论素养", 1)
        target.write_text(fixed_body, encoding="utf-8")
        assert "1 replaced" in run_cli("load", "--db", url_arg(url), str(target)).stdout
        final = articles()
        assert len(final) == len(before) and len(set(final) & set(before)) == len(before) - 1
        with engine.connect() as conn:
            assert conn.scalar(sa.text("SELECT count(*) FROM source_file")) == 1
            assert "理论素养" in conn.scalar(sa.text("SELECT body FROM article WHERE text_key = :k"),
                                         {"k": (set(final) - set(before)).pop()})
    finally:
        engine.dispose()


def test_read_only_role_can_select_but_not_write(db_conn):
    db_conn.execute(sa.text("SET LOCAL ROLE newsetl_reader"))
    assert db_conn.scalar(sa.text("SELECT count(*) FROM article")) >= 0
    savepoint = db_conn.begin_nested()
    with pytest.raises(sa.exc.ProgrammingError, match="permission denied"):
        db_conn.execute(sa.text(f"INSERT INTO newspaper(name) VALUES ('{UNKNOWN_NEWSPAPER}x')"))
    savepoint.rollback()


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_file_over_the_parse_time_limit_is_rejected_and_the_run_goes_on(make_database, tmp_path, workers):
    url = make_database()
    text = "".join((SEEDS / "001_d414a8ee10d38a41.txt").read_text(encoding="utf-8").split())
    (tmp_path / "a-huge-line.txt").write_text(text * 80, encoding="utf-8")  # ~1 M characters (5 s), one line
    shutil.copy(SEEDS / "003_223f8a6ac594ec44.txt", tmp_path / "b-good.txt")
    proc = run_cli("load", "--workers", workers, "--file-time-limit", "1", "--db", url_arg(url), str(tmp_path))
    assert proc.returncode == 1 and "1 added" in proc.stdout and "1 failed" in proc.stdout, proc.stderr
    [line] = [line for line in proc.stderr.splitlines() if "a-huge-line.txt" in line]
    assert "parsing took more than 1 s of processor time" in line and "Traceback" not in proc.stderr
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            assert conn.scalar(sa.text("SELECT reason FROM rejected_file")).startswith("parsing took more")
            assert conn.scalar(sa.text("SELECT status FROM load_run")) == "partial"
    finally:
        engine.dispose()


def test_a_header_repeated_thousands_of_times_is_one_page(make_database, tmp_path):
    header = "JIAOZUO DAILY\nA08│温县新闻2023年1月10日 星期二\n■新闻热线：8797000│■编辑：刘振毅│校对：姬 祥│组版：牛成文\n"
    body = (SEEDS / "003_223f8a6ac594ec44.txt").read_text(encoding="utf-8")
    (tmp_path / "repeated.txt").write_text(header * 2000 + body, encoding="utf-8")
    url = make_database()
    proc = run_cli("load", "--db", url_arg(url), str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            assert conn.scalar(sa.text("SELECT count(*) FROM page WHERE has_header")) == 1
    finally:
        engine.dispose()
