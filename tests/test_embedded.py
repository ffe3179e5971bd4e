"""The embedded PostgreSQL shared by several newsetl processes, killed, and kept private.

Real processes (``python -m etl``) on scratch data directories, without
DATABASE_URL, as a user runs them. Figures printed with ``-s`` are the ones
quoted in docs/reliability.md.
"""

from __future__ import annotations

import os
import pwd
import signal
import socket
import stat
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psycopg
import pytest
import sqlalchemy as sa

from etl.db import embedded, migrate
from etl.db.connection import create_engine, release_embedded, start_embedded

from .conftest import ROOT, SEEDS, url_arg, watchdog_pids

pytestmark = [pytest.mark.db, pytest.mark.slow]
embedded_only = pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")),
                                   reason="the embedded server is tested in the run without DATABASE_URL")
as_root = pytest.mark.skipif(os.geteuid() != 0, reason="what the server does when newsetl runs as root")

SEED_FILES = len(list(SEEDS.glob("*.txt")))


def cli_env(pgdata: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    return {**env, "NEWSETL_PGDATA": str(pgdata), "COLUMNS": "200", **extra}


def start_cli(*args: str, env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "etl", *args], cwd=ROOT, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def finish(procs: list[subprocess.Popen], timeout: float = 600) -> list[tuple[int, str]]:
    return [_finish(p, timeout) for p in procs]


def _finish(proc: subprocess.Popen, timeout: float) -> tuple[int, str]:
    _, stderr = proc.communicate(timeout=timeout)
    return proc.returncode, stderr


def wait_until(condition, timeout: float = 60.0, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def server_starts(pgdata: Path) -> int:
    """How many times a server was started on ``pgdata`` (its log says so once per start)."""
    log = pgdata / embedded.LOG_NAME
    return log.read_text(errors="replace").count("ready to accept connections") if log.exists() else 0


def assert_stopped(pgdata: Path) -> None:
    """No server and, soon after, no watchdog left behind."""
    assert embedded.running_pid(pgdata) is None, "the server was left running"
    wait_until(lambda: not watchdog_pids(pgdata), 30, "the watchdog to exit")


def loaded_once(pgdata: Path) -> dict[str, int]:
    url = start_embedded(pgdata)
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            figures = {
                "files": conn.scalar(sa.text("SELECT count(*) FROM source_file")),
                "added": conn.scalar(sa.text("SELECT coalesce(sum(files_added), 0) FROM load_run")),
                "runs": conn.scalar(sa.text("SELECT count(*) FROM load_run WHERE status = 'ok'")),
            }
        assert migrate.is_up_to_date(engine)
    finally:
        engine.dispose()
        release_embedded(pgdata)
    return figures


def connect(pgdata: Path, dbname: str = "newsetl") -> psycopg.Connection:
    """A plain client connection (not a user of the server: it does not keep it running)."""
    return psycopg.connect(host=str(pgdata), user="postgres", dbname=dbname, autocommit=True, connect_timeout=5)


def ancestors_modes(path: Path) -> dict[Path, int]:
    return {p: p.stat().st_mode for p in path.parents}


def three_loads(pgdata: Path, capsys, label: str) -> None:
    env = cli_env(pgdata)
    starts_before = server_starts(pgdata)
    started = time.monotonic()
    results = finish([start_cli("load", "--workers", "1", "--newspaper", "焦作日报", str(SEEDS), env=env)
                      for _ in range(3)])
    elapsed = time.monotonic() - started
    starts = server_starts(pgdata) - starts_before
    assert [code for code, _ in results] == [0, 0, 0], results
    assert not any("Traceback" in err for _, err in results), results
    assert_stopped(pgdata)
    assert loaded_once(pgdata) == {"files": SEED_FILES, "added": SEED_FILES, "runs": 3}
    with capsys.disabled():
        print(f"\n[embedded] 3 simultaneous loads of seeds/ on {label}: exit codes "
              f"{[code for code, _ in results]}, {elapsed:.1f}s, seeds loaded once, "
              f"{starts} server start(s), server stopped afterwards")


# ---------------------------------------------------------------- sharing

@embedded_only
def test_three_first_runs_at_once_on_a_fresh_data_directory(embedded_dir, capsys):
    three_loads(embedded_dir / "pgdata", capsys, "a fresh data directory")


@embedded_only
def test_three_runs_at_once_on_an_unmigrated_database(embedded_dir, capsys):
    pgdata = embedded_dir / "pgdata"
    url = start_embedded(pgdata)  # creates the database newsetl, migrates nothing
    engine = create_engine(url)
    assert migrate.current_revision(engine) is None
    engine.dispose()
    release_embedded(pgdata)
    assert_stopped(pgdata)
    three_loads(pgdata, capsys, "an unmigrated database")


@embedded_only
def test_runs_with_different_runtime_dirs_share_one_lock_beside_the_data(embedded_dir, capsys):
    pgdata = embedded_dir / "pgdata"
    runtime_dirs = [embedded_dir / f"runtime-{i}" for i in range(3)]
    for folder in runtime_dirs:
        folder.mkdir(mode=0o700)
    failures = 0
    for _ in range(2):  # cron and a login shell used to take different locks: 2 of 6 tries failed
        results = finish([start_cli("db", "upgrade", env=cli_env(pgdata, XDG_RUNTIME_DIR=str(folder)))
                          for folder in runtime_dirs])
        failures += sum(code != 0 for code, _ in results)
        assert [code for code, _ in results] == [0, 0, 0], results
        for _, stderr in results:  # one line each, never the server's log
            assert "Traceback" not in stderr and " LOG: " not in stderr
            assert stderr.strip() == "", stderr
        assert_stopped(pgdata)
    assert all(not any(folder.iterdir()) for folder in runtime_dirs), "something was put in XDG_RUNTIME_DIR"
    assert embedded.lock_path(pgdata).exists()
    with capsys.disabled():
        print(f"\n[embedded] 2 × 3 simultaneous `db upgrade` with 3 different XDG_RUNTIME_DIR: {failures} failures")


@embedded_only
def test_serve_and_load_together(embedded_dir):
    pgdata = embedded_dir / "pgdata"
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = cli_env(pgdata, NEWSETL_SQLITE=str(embedded_dir / "newsetl.db"))
    serve = subprocess.Popen([sys.executable, "-m", "etl", "serve", "--port", str(port)], cwd=ROOT, env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    load = start_cli("load", "--workers", "1", str(SEEDS), env=env)
    try:
        def answers() -> bool:
            assert serve.poll() is None, serve.stderr.read()
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/newsetl.json", timeout=2) as response:
                    return response.status == 200
            except OSError:
                return False

        wait_until(answers, 180, "Datasette to answer")
        code, stderr = _finish(load, 600)
        assert code == 0 and "Traceback" not in stderr, stderr
    finally:
        serve.send_signal(signal.SIGINT)
        serve_stderr = serve.communicate(timeout=60)[1]
        load.kill()
    assert "Traceback" not in serve_stderr, serve_stderr
    assert loaded_once(pgdata)["files"] == SEED_FILES
    assert_stopped(pgdata)


# ---------------------------------------------------------------- kill -9

def start_loader_and_wait_until_connected(pgdata: Path) -> subprocess.Popen:
    loader = start_cli("load", "--workers", "1", str(SEEDS), env=cli_env(pgdata))

    def connected() -> bool:
        assert loader.poll() is None, loader.communicate()[1]
        if embedded.running_pid(pgdata) is None:
            return False
        try:
            with connect(pgdata, "postgres") as conn:
                return bool(conn.execute("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'newsetl' "
                                         "AND datname = 'newsetl'").fetchone()[0])
        except psycopg.OperationalError:
            return False

    wait_until(connected, 120, "the loader to connect")
    return loader


@embedded_only
def test_kill_9_of_a_loader_and_the_watchdog_stops_the_server(embedded_dir, capsys):
    pgdata = embedded_dir / "pgdata"
    loader = start_loader_and_wait_until_connected(pgdata)
    assert watchdog_pids(pgdata), "no watchdog beside the server"
    loader.kill()
    loader.wait()
    killed = time.monotonic()
    wait_until(lambda: embedded.running_pid(pgdata) is None, 60, "the watchdog to stop the server")
    stopped_after = time.monotonic() - killed
    assert_stopped(pgdata)
    code, stderr = _finish(start_cli("load", "--workers", "1", str(SEEDS), env=cli_env(pgdata)), 600)
    assert code == 0 and "Traceback" not in stderr, stderr
    assert loaded_once(pgdata)["files"] == SEED_FILES
    assert_stopped(pgdata)
    with capsys.disabled():
        print(f"\n[embedded] kill -9 of a loader: its server stopped {stopped_after:.1f}s later by the watchdog; "
              f"the next run exit 0")


@embedded_only
def test_kill_9_of_a_loader_and_its_watchdog_the_next_run_reclaims_the_server(embedded_dir):
    pgdata = embedded_dir / "pgdata"
    loader = start_loader_and_wait_until_connected(pgdata)
    server = embedded.running_pid(pgdata)
    for pid in watchdog_pids(pgdata):
        os.kill(pid, signal.SIGKILL)
    loader.kill()
    loader.wait()
    wait_until(lambda: not watchdog_pids(pgdata), 10, "the watchdog to die")
    time.sleep(1)
    assert embedded.running_pid(pgdata) == server, "left running with no one to stop it"
    starts = server_starts(pgdata)
    proc = start_cli("db", "current", env=cli_env(pgdata))
    code, stderr = _finish(proc, 120)
    assert code == 0 and "Traceback" not in stderr, stderr
    assert server_starts(pgdata) == starts, "the next run started a second server instead of reusing it"
    assert_stopped(pgdata)  # and, its last user, stopped it


# ---------------------------------------------------------------- private

@embedded_only
def test_data_directory_and_socket_are_private(embedded_dir):
    pgdata = embedded_dir / "private" / "pgdata"
    (embedded_dir / "private").mkdir(mode=0o711)
    before = ancestors_modes(pgdata)
    url = start_embedded(pgdata)
    try:
        assert ancestors_modes(pgdata) == before, "a parent folder's permissions were changed"
        assert stat.S_IMODE(pgdata.stat().st_mode) == 0o700
        assert url.query["host"] == str(pgdata), "the socket is not inside the data directory"
        sock = pgdata / embedded.SOCKET_NAME
        assert stat.S_ISSOCK(sock.stat().st_mode) and stat.S_IMODE(sock.stat().st_mode) == 0o700
        with connect(pgdata) as conn:
            assert conn.execute("SHOW listen_addresses").fetchone()[0] == ""  # no TCP
        status = dict(line.split(":", 1) for line in
                      Path(f"/proc/{embedded.running_pid(pgdata)}/status").read_text().splitlines() if ":" in line)
        uids, gids, groups = (status[k].split() for k in ("Uid", "Gid", "Groups"))
        if os.geteuid() == 0:
            account = pwd.getpwnam(embedded.SERVICE_ACCOUNT)
            assert set(uids) == {str(account.pw_uid)} and set(gids) == {str(account.pw_gid)}
            assert "0" not in uids + gids + groups, "the server runs with root's user or group"
            assert pgdata.stat().st_uid == account.pw_uid
            # any other local account: cannot even reach the socket (it could once run `copy … to program`)
            psql = embedded.bin_dir() / "psql"
            other = subprocess.run([str(psql), "-h", str(pgdata), "-U", "postgres", "-c", "select 1", "postgres"],
                                   user="nobody", group="nogroup", extra_groups=[], cwd="/",
                                   capture_output=True, text=True, timeout=30)
            assert other.returncode != 0 and "Permission denied" in other.stderr, other.stderr
        else:
            assert set(uids) == {str(os.getuid())}
    finally:
        release_embedded(pgdata)
    assert_stopped(pgdata)
    assert ancestors_modes(pgdata) == before


@embedded_only
def test_a_data_path_too_long_for_a_socket_inside_it_gets_a_private_socket_folder(embedded_dir):
    deep = embedded_dir / ("x" * 40) / ("y" * 40)
    deep.mkdir(parents=True)
    for folder in (deep, deep.parent):
        folder.chmod(0o711)
    pgdata = deep / "pgdata"
    assert len(os.fsencode(pgdata / embedded.SOCKET_NAME)) > embedded.MAX_SOCKET_PATH
    before = ancestors_modes(pgdata)
    url = start_embedded(pgdata)
    socket_dir = Path(url.query["host"])
    try:
        assert socket_dir != pgdata and socket_dir.parent == Path("/tmp")
        st = socket_dir.lstat()
        assert stat.S_ISDIR(st.st_mode) and stat.S_IMODE(st.st_mode) == 0o700, stat.filemode(st.st_mode)
        assert st.st_uid == pgdata.stat().st_uid  # the server's account (never root)
        assert stat.S_IMODE((socket_dir / embedded.SOCKET_NAME).stat().st_mode) == 0o700
        with psycopg.connect(host=str(socket_dir), user="postgres", dbname="newsetl", connect_timeout=5) as conn:
            assert conn.execute("SELECT 1").fetchone() == (1,)
        assert ancestors_modes(pgdata) == before
    finally:
        release_embedded(pgdata)
        if socket_dir != pgdata:
            socket_dir.rmdir()
    assert_stopped(pgdata)


@embedded_only
@as_root
def test_as_root_a_data_directory_the_account_cannot_reach_is_refused_in_one_line(embedded_dir):
    closed = embedded_dir / "closed"
    closed.mkdir(mode=0o700)
    pgdata = closed / "pgdata"
    code, stderr = _finish(start_cli("db", "current", env=cli_env(pgdata)), 120)
    assert code == 2, stderr
    assert stderr.strip().count("\n") == 0 and "Traceback" not in stderr, stderr
    assert f"{closed} is closed to other users" in stderr and "NEWSETL_PGDATA" in stderr
    assert stat.S_IMODE(closed.stat().st_mode) == 0o700, "newsetl changed the folder's permissions"
    assert not pgdata.exists()


@embedded_only
@as_root
def test_as_root_an_unknown_account_is_refused_in_one_line(embedded_dir):
    code, stderr = _finish(start_cli("db", "current", env=cli_env(embedded_dir / "pgdata",
                                                                  NEWSETL_PG_USER="no-such-account-13")), 120)
    assert code == 2 and stderr.strip() == "newsetl: error: NEWSETL_PG_USER=no-such-account-13: there is no such account"


# ---------------------------------------------------------------- migrations, any server

def test_runs_migrating_one_database_at_once_take_turns(make_database):
    url = make_database(migrated=False)
    results = finish([subprocess.Popen([sys.executable, "-m", "etl", "db", "upgrade", "--db", url_arg(url)], cwd=ROOT,
                                       text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                      for _ in range(3)])
    assert [code for code, _ in results] == [0, 0, 0], results
    assert not any("Traceback" in err for _, err in results)
    engine = create_engine(url)
    try:
        assert migrate.is_up_to_date(engine)
    finally:
        engine.dispose()
