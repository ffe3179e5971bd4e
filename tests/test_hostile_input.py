"""What an attacker or an unlucky operator feeds newsetl: each is one clear line, never a crash or a leak."""

from __future__ import annotations

import resource
import signal
import sqlite3

import pytest
import sqlalchemy as sa

from etl.db.connection import create_engine, mask_secrets

from .conftest import SEEDS, run_cli, url_arg

SEED = SEEDS / "003_223f8a6ac594ec44.txt"
HEADER_LINE = "A08│温县新闻2023年1月10日 星期二"


def with_header(text: str, printed_date: str = "2023年1月10日") -> str:
    return "JIAOZUO DAILY\n" + HEADER_LINE.replace("2023年1月10日", printed_date) + "\n\n" + text


# ---------------------------------------------------------------- markup in names and text

def test_square_brackets_in_a_path_or_a_headline_are_printed_as_they_are(make_database, tmp_path):
    folder = tmp_path / "d[" / "]z"  # the path holds "[/]"
    folder.mkdir(parents=True)
    page = folder / "a[red]b[bold].txt"
    page.write_text(SEED.read_text(encoding="utf-8").replace("行政银企对接座谈会", "会议[/]召开[red]", 1),
                    encoding="utf-8")
    parsed = run_cli("parse", str(page))
    assert parsed.returncode == 0, parsed.stderr
    assert "会议[/]召开[red]" in parsed.stdout and "a[red]b[bold].txt" in parsed.stdout
    url = make_database()
    loaded = run_cli("load", "--verbose", "--db", url_arg(url), str(tmp_path / "d["))
    assert loaded.returncode == 0, loaded.stderr
    assert "Traceback" not in loaded.stderr and "[bold]" in loaded.stdout


def test_a_file_name_with_a_newline_cannot_forge_a_log_line(make_database, tmp_path):
    forged = "x\nnewsetl load: 9 files: 9 added, 0 replaced, 0 unchanged, 0 failed; 99 articles loaded\n.txt"
    (tmp_path / forged).write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    proc = run_cli("load", "--quiet", "--db", url_arg(make_database()), str(tmp_path))
    assert proc.returncode == 1
    summaries = [line for line in (proc.stdout + proc.stderr).splitlines() if line.startswith("newsetl load: ")]
    assert summaries == ["newsetl load: 1 file: 0 added, 0 replaced, 0 unchanged, 1 failed; 0 articles loaded"]
    [failure] = [line for line in proc.stderr.splitlines() if "PNG" in line]
    assert "\\n" in failure  # the newline is escaped inside the quoted name


# ---------------------------------------------------------------- dates

@pytest.mark.parametrize("printed, warning, date, source", [
    ("2023年2月30日", "is not a date", None, None),
    ("99999年1月10日", "is not a date", None, None),
    ("2099年1月10日", "in the future", None, None),
    ("1899年1月10日", "unusually early", "1899-01-10", "header"),
])
def test_impossible_dates_load_with_a_warning_and_a_consistent_source(make_database, tmp_path, printed, warning,
                                                                     date, source):
    body = "本报讯 温县召开全县经济工作会议，部署今年重点任务。会议要求，各单位要抓好落实。\n"
    (tmp_path / "page.txt").write_text(with_header(body * 3, printed), encoding="utf-8")
    url = make_database()
    proc = run_cli("load", "--db", url_arg(url), str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    [line] = [line for line in proc.stderr.splitlines() if "warning:" in line]
    assert warning in line and printed in line and "page.txt" in line
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(sa.text("SELECT issue_date::text, date_source FROM issue")).all()
            sections = conn.scalars(sa.text("SELECT section FROM page")).all()
    finally:
        engine.dispose()
    assert rows == [(date, source)]
    assert sections == ["温县新闻"]


# ---------------------------------------------------------------- ner

def test_ner_reports_bad_utf8_in_one_line():
    proc = run_cli("ner", input="温县县委书记杨磊主持会议。\n".encode() + b"\xff\xfe\x00bad\n", text=False)
    assert proc.returncode == 1
    out, err = proc.stdout.decode(), proc.stderr.decode()
    assert len(out.splitlines()) == 1  # the good line was answered
    assert err.count("\n") == 1 and "line 2 is not UTF-8" in err and "Traceback" not in err


# ---------------------------------------------------------------- publish

def _limit_file_size(limit: int):
    def apply():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # writes past the limit fail with EFBIG instead
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return apply


def test_publish_onto_a_full_disk_is_one_line_and_keeps_the_old_file(seeded_url, tmp_path):
    target = tmp_path / "newsetl.db"
    first = run_cli("publish", "--db", url_arg(seeded_url), "-o", str(target))
    assert first.returncode == 0, first.stderr
    before = target.read_bytes()
    # the file system "fills up" at half the size of the published file
    proc = run_cli("publish", "--full", "--db", url_arg(seeded_url), "-o", str(target),
                   preexec_fn=_limit_file_size(len(before) // 2))
    assert proc.returncode == 1
    assert proc.stderr.count("\n") == 1 and "cannot write the published file" in proc.stderr, proc.stderr
    assert "was left as it was" in proc.stderr and "Traceback" not in proc.stderr
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["newsetl.db"]  # no temporary file left behind


# ---------------------------------------------------------------- secrets

PASSWORD = "S3cret-Pa55"


@pytest.mark.parametrize("text, masked", [
    (f"load --db postgresql://postgres:{PASSWORD}@db.example.org/news seeds/",
     "load --db postgresql://postgres:***@db.example.org/news seeds/"),
    (f"load --db=postgres://etl:{PASSWORD}@host:5432/db?sslmode=require x",
     "load --db=postgres://etl:***@host:5432/db?sslmode=require x"),
    (f"load --db 'host=db password={PASSWORD} dbname=news' x", "load --db 'host=db password=*** dbname=news' x"),
    (f"load --db postgresql://u@h/d?password={PASSWORD}&x=1", "load --db postgresql://u@h/d?password=***&x=1"),
    ("load seeds/a@b.txt http://example.org/x", "load seeds/a@b.txt http://example.org/x"),
])
def test_passwords_are_masked(text, masked):
    assert mask_secrets(text) == masked


def test_no_password_reaches_the_database_or_the_published_file(make_database, tmp_path):
    url = make_database()
    with_password = url.set(password=PASSWORD)  # the test servers trust local connections: it is accepted
    proc = run_cli("load", "--db", url_arg(with_password), str(SEED), str(tmp_path / "missing.txt"))
    assert proc.returncode == 1 and PASSWORD not in proc.stderr + proc.stdout
    published = tmp_path / "site.db"
    assert run_cli("publish", "--db", url_arg(with_password), "-o", str(published)).returncode == 0
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            arguments = conn.scalar(sa.text("SELECT arguments FROM load_run"))
            dump = "\n".join(str(row) for table in ("load_run", "rejected_file", "source_file")
                             for row in conn.execute(sa.text(f"SELECT * FROM {table}")))
    finally:
        engine.dispose()
    assert ":***@" in arguments and PASSWORD not in dump
    assert PASSWORD.encode() not in published.read_bytes()
    with sqlite3.connect(published) as db:
        assert ":***@" in db.execute("SELECT arguments FROM load_run").fetchone()[0]
