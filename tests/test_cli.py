"""The CLI as a user runs it: help, exit codes, parse output the scorer accepts, reloads."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
import sqlalchemy as sa

from etl.db.connection import create_engine

from .conftest import ROOT, SEEDS, run_cli, table_counts, url_arg

COMMANDS = [["load"], ["parse"], ["publish"], ["serve"], ["purge"], ["rejected"], ["network"], ["db"],
            ["db", "upgrade"], ["db", "downgrade"], ["db", "current"]]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_has_help_with_an_example(command):
    proc = run_cli(*command, "--help")
    assert proc.returncode == 0, proc.stderr
    assert "Example" in proc.stdout and "newsetl" in proc.stdout


def test_python_dash_m_and_console_script_agree():
    script = ROOT / ".venv" / "bin" / "newsetl"
    if not script.exists():
        pytest.skip("console script not installed in .venv")
    proc = subprocess.run([str(script), "--version"], capture_output=True, text=True)
    assert proc.returncode == 0 and proc.stdout == run_cli("--version").stdout


@pytest.mark.parametrize("seed", sorted(p.name for p in SEEDS.glob("*.txt")))
def test_parse_json_is_accepted_by_the_scorer(seed):
    from etl.evaluate import DEFAULT_EVAL_DIR
    from etl.scoring import score_document

    proc = run_cli("parse", str(SEEDS / seed), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    pred = json.loads(proc.stdout)
    assert pred["source"] == seed and pred["items"]
    assert all(it["body"] for it in pred["items"])
    gold = DEFAULT_EVAL_DIR / "gold" / seed.replace(".txt", ".json")
    # no key published: score against an empty key, which still checks the format
    key = json.loads(gold.read_text(encoding="utf-8")) if gold.exists() else {"pages": [], "items": []}
    figures = score_document(key, pred).figures()
    assert figures["items"]["pred"] > 0
    if gold.exists():
        assert figures["items"]["f1"] == 1.0


def test_parse_missing_file_is_one_clear_line():
    proc = run_cli("parse", "no/such/file.txt")
    assert proc.returncode != 0
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "no/such/file.txt" in lines[0]


@pytest.mark.db
def test_second_load_changes_nothing(seeded_url, seeded_engine):
    from etl.db.models import Base

    data_tables = [t.name for t in Base.metadata.sorted_tables if t.name != "load_run"]
    before = table_counts(seeded_engine, data_tables)
    with seeded_engine.connect() as conn:
        keys = conn.execute(sa.text("SELECT id, text_key, content_hash FROM article ORDER BY id")).all()
        runs = conn.scalar(sa.text("SELECT count(*) FROM load_run"))
    proc = run_cli("load", "--newspaper", "焦作日报", "--db", url_arg(seeded_url), str(SEEDS))
    assert proc.returncode == 0, proc.stderr
    assert "5 unchanged" in proc.stdout and "0 added" in proc.stdout
    assert table_counts(seeded_engine, data_tables) == before
    with seeded_engine.connect() as conn:
        assert conn.execute(sa.text("SELECT id, text_key, content_hash FROM article ORDER BY id")).all() == keys
        # load_run is the run log: exactly one more row, saying every file was unchanged
        assert conn.scalar(sa.text("SELECT count(*) FROM load_run")) == runs + 1
        last = conn.execute(sa.text("SELECT status, files_unchanged FROM load_run ORDER BY id DESC LIMIT 1")).one()
        assert tuple(last) == ("ok", 5)


@pytest.mark.db
def test_seeds_are_linked_end_to_end(seeded_engine):
    with seeded_engine.connect() as conn:
        assert conn.scalar(sa.text("SELECT count(DISTINCT path) FROM source_file")) == 5
        assert conn.scalar(sa.text("SELECT count(*) FROM newspaper")) == 1
        # every source file supplied pages with articles
        assert conn.scalar(sa.text("""SELECT count(*) FROM source_file sf WHERE NOT EXISTS (
            SELECT 1 FROM page p JOIN article a ON a.page_id = p.id WHERE p.source_file_id = sf.id)""")) == 0
        dated = conn.execute(sa.text("SELECT DISTINCT issue_date FROM issue WHERE date_source = 'header'")).scalars()
        assert {str(d) for d in dated} >= {"2023-01-10"}
        lv = conn.execute(sa.text("""SELECT count(DISTINCT a.id) FROM mention m JOIN person p ON p.id = m.person_id
            JOIN article a ON a.id = m.article_id WHERE p.name = '吕沛' AND m.role = 'mentioned'""")).scalar()
        assert lv >= 5
        reporters = conn.execute(sa.text("""SELECT DISTINCT p.name FROM mention m JOIN person p ON p.id = m.person_id
            WHERE m.role = 'reporter'""")).scalars().all()
        assert {"郭树勋", "付凯明"} <= set(reporters)


@pytest.mark.db
def test_people_resolved_across_the_seeds(seeded_engine):
    with seeded_engine.connect() as conn:
        people = dict(conn.execute(sa.text("SELECT name, variants FROM person")).tuples().all())
        # 官卫红 (003) is an OCR variant of 宫卫红 (002, 004): same post, never together
        assert "官卫红" not in people and "官卫红" in people["宫卫红"]
        evidence = conn.scalar(sa.text("SELECT variant_evidence->>'官卫红' FROM person WHERE name = '宫卫红'"))
        assert "管委会主任" in evidence
        # 赵俊峰 and 赵俊生 are listed side by side: two people
        assert "赵俊峰" in people and "赵俊生" in people
        assert "赵俊生" not in people["赵俊峰"] and "赵俊峰" not in people["赵俊生"]
        # masthead staff are person rows too
        staff = conn.execute(sa.text("""SELECT DISTINCT s.role, p.name FROM page_staff s
            JOIN person p ON p.id = s.person_id""")).tuples().all()
        assert {("editor", "刘振毅"), ("proofreader", "姬祥"), ("layout_editor", "牛成文")} <= set(staff)
        # a person's titles over time
        titles = conn.execute(sa.text("""SELECT title, first_seen, last_seen, articles FROM person_title
            WHERE person = '杨磊' ORDER BY articles DESC""")).all()
        assert titles[0].title == "市政协副主席、温县县委书记" and str(titles[0].first_seen) == "2023-01-10"
        assert titles[0].articles >= 3


@pytest.mark.db
def test_load_exit_code_1_when_a_file_fails_and_others_still_load(make_database, tmp_path):
    url = make_database()
    (tmp_path / "a.txt").write_bytes((SEEDS / "003_223f8a6ac594ec44.txt").read_bytes())
    (tmp_path / "broken.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    proc = run_cli("load", "--db", url_arg(url), str(tmp_path))
    assert proc.returncode == 1
    assert "broken.txt" in proc.stderr and "1 added" in proc.stdout and "1 failed" in proc.stdout
    engine = create_engine(url)
    try:
        assert table_counts(engine, ["source_file"]) == {"source_file": 1}
    finally:
        engine.dispose()


def test_unreachable_database_is_exit_code_2():
    proc = run_cli("load", "--db", "postgresql://nobody@127.0.0.1:1/none", str(SEEDS), timeout=60)
    assert proc.returncode == 2
    assert "cannot connect" in proc.stderr and len(proc.stderr.strip().splitlines()) == 1


def test_non_postgres_url_is_a_usage_error():
    proc = run_cli("db", "current", "--db", "sqlite:///x.db")
    assert proc.returncode == 2 and "PostgreSQL" in proc.stderr


def test_unknown_option_is_a_usage_error():
    assert run_cli("load", "--no-such-option", "x").returncode == 2


def test_load_workers_must_be_at_least_one():
    proc = run_cli("load", "--workers", "0", "x")
    assert proc.returncode == 2 and "--workers" in proc.stderr


@pytest.mark.db
def test_load_with_two_workers(make_database, tmp_path):
    url = make_database()
    for name in ("001_d414a8ee10d38a41.txt", "003_223f8a6ac594ec44.txt"):
        (tmp_path / name).write_bytes((SEEDS / name).read_bytes())
    (tmp_path / "broken.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    proc = run_cli("load", "--workers", "2", "--db", url_arg(url), str(tmp_path))
    assert proc.returncode == 1, proc.stderr
    assert "2 added" in proc.stdout and "1 failed" in proc.stdout
    assert [line for line in proc.stderr.splitlines() if "broken.txt" in line] == [
        f'newsetl: "{tmp_path / "broken.txt"}": binary data (PNG image), not a text dump']
    again = run_cli("load", "-j", "2", "--db", url_arg(url), str(tmp_path / "001_d414a8ee10d38a41.txt"))
    assert again.returncode == 0 and "1 unchanged" in again.stdout


@pytest.mark.db
def test_db_commands_against_a_server(make_database):
    from etl.db.migrate import head_revision

    url = url_arg(make_database(migrated=False))
    assert run_cli("db", "current", "--db", url).stdout.startswith("base")
    load = run_cli("load", "--db", url, str(SEEDS / "003_223f8a6ac594ec44.txt"))
    assert load.returncode == 2 and "newsetl db upgrade" in load.stderr  # never migrates someone else's server
    assert run_cli("db", "upgrade", "--db", url).returncode == 0
    assert run_cli("db", "current", "--db", url).stdout.strip() == f"{head_revision()} (head: {head_revision()})"
    assert run_cli("db", "downgrade", "base", "--db", url).returncode == 0
    assert run_cli("db", "current", "--db", url).stdout.startswith("base")


@pytest.mark.db
@pytest.mark.slow
def test_serve_publishes_then_serves_datasette(seeded_url, tmp_path):
    import socket
    import time
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    sqlite_path = tmp_path / "served.db"  # any name: the metadata follows the file's name
    log = (tmp_path / "serve.log").open("w")
    proc = subprocess.Popen([sys.executable, "-m", "etl", "serve", "--db", url_arg(seeded_url), "-o", str(sqlite_path),
                             "--port", str(port)], cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, text=True)
    try:
        body = None
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/served/person.json?_shape=array", timeout=5) as r:
                    body = json.loads(r.read())
                break
            except OSError:
                time.sleep(0.5)
        assert body, f"Datasette did not answer: {(tmp_path / 'serve.log').read_text()}"
        assert any(row["name"] == "吕沛" for row in body)
        assert sqlite_path.exists()
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()


@pytest.mark.db
def test_publish_is_incremental_unless_full_is_asked(seeded_url, tmp_path):
    out = tmp_path / "p.db"
    first = run_cli("publish", "--db", url_arg(seeded_url), "-o", str(out))
    assert first.returncode == 0 and "full rebuild (no earlier file)" in first.stdout, first.stderr
    again = run_cli("publish", "--db", url_arg(seeded_url), "-o", str(out))
    assert again.returncode == 0 and "incremental, 0 files recopied, 0 removed" in again.stdout, again.stderr
    full = run_cli("publish", "--db", url_arg(seeded_url), "-o", str(out), "--full")
    assert full.returncode == 0 and "full rebuild (asked for)" in full.stdout, full.stderr
    articles = [re.search(r"\barticle (\d+)", p.stdout).group(1) for p in (first, again, full)]
    assert len(set(articles)) == 1 and int(articles[0]) > 0


PAPERS = ROOT / "tests" / "parse" / "fixtures" / "papers"
DOUBTFUL = ("第A01版:要闻\n\n本报讯 近日，某县召开全县工作会议，部署当前重点工作，要求各单位认真落实各项措施。\n\n"
            "某镇开展义诊\n本报讯（记者 王敏）近日，某镇开展义诊活动，受益群众200余人。\n")


def test_parse_text_shows_where_items_were_cut_and_why(tmp_path):
    (tmp_path / "page.txt").write_text(DOUBTFUL, encoding="utf-8")
    proc = run_cli("parse", str(tmp_path / "page.txt"))
    assert proc.returncode == 0, proc.stderr
    assert "cut at: 电头 dateline" in proc.stdout and "profile default" in proc.stdout
    assert "稿件没有标题" in proc.stdout and "an article without a headline" in proc.stdout
    assert "1 条稿件需要核对 / 1 items need a look" in proc.stdout
    pred = json.loads(run_cli("parse", str(tmp_path / "page.txt"), "--format", "json").stdout)
    assert [w["code"] for it in pred["items"] for w in it["warnings"]] == ["no_headline"]
    assert [it["cut"] for it in pred["items"]] == ["dateline", "dateline"]


def test_parse_with_a_paper_profile(tmp_path):
    profile = tmp_path / "paper.toml"
    profile.write_text('[profile]\nname = "某某晚报"\n[datelines]\npatterns = [\'晚报快讯\']\n', encoding="utf-8")
    (tmp_path / "page.txt").write_text("第A01版:要闻\n\n晚报快讯 近日，某县召开全县工作会议，部署工作。\n"
                                       "晚报快讯 近日，某镇开展义诊活动，受益群众200余人。\n", encoding="utf-8")
    plain = json.loads(run_cli("parse", str(tmp_path / "page.txt"), "--format", "json").stdout)
    own = json.loads(run_cli("parse", str(tmp_path / "page.txt"), "--format", "json", "--profile", str(profile)).stdout)
    assert own["profile"] == "某某晚报" and plain["profile"] == "default"
    assert [it["dateline"] for it in own["items"]] == ["晚报快讯", "晚报快讯"]
    assert len(plain["items"]) == 1


def test_a_bad_profile_is_one_clear_line(tmp_path):
    profile = tmp_path / "bad.toml"
    profile.write_text("[datelines]\npatterns = ['本报(讯']\n", encoding="utf-8")
    proc = run_cli("parse", str(SEEDS / "003_223f8a6ac594ec44.txt"), "--profile", str(profile))
    assert proc.returncode == 2
    (line,) = proc.stderr.strip().splitlines()
    assert "bad.toml" in line and "bad pattern" in line


@pytest.mark.db
def test_load_stores_warnings_and_says_which_items_need_a_look(make_database, tmp_path):
    url = make_database()
    (tmp_path / "doubtful.txt").write_text(DOUBTFUL, encoding="utf-8")
    (tmp_path / "clean.txt").write_bytes((PAPERS / "zhengzhou.txt").read_bytes())
    proc = run_cli("load", "--newspaper", "某某日报", "--db", url_arg(url), str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    (line,) = [ln for ln in proc.stderr.splitlines() if "need a look" in ln]
    assert "1 条稿件需要核对 / 1 items need a look" in line and 'doubtful.txt" line 3' in line and "no_headline" in line
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(sa.text("SELECT headline, warnings FROM article ORDER BY id")).all()
    finally:
        engine.dispose()
    assert sorted(w for _, ws in rows for w in ws) == ["no_headline"]
    assert {h for h, ws in rows if not ws} >= {"某镇开展义诊", "中牟县启动夏粮收购工作"}


@pytest.mark.db
def test_load_with_a_profile_reaches_the_parse_workers(make_database, tmp_path):
    url = make_database()
    profile = tmp_path / "paper.toml"
    profile.write_text('[profile]\nname = "某某晚报"\n[datelines]\npatterns = [\'晚报快讯\']\n', encoding="utf-8")
    dumps = tmp_path / "dumps"
    dumps.mkdir()
    for n in (1, 2):
        (dumps / f"{n}.txt").write_text(f"第A0{n}版:要闻\n\n晚报快讯 近日，某县召开第{n}次全县工作会议，部署工作。\n"
                                        f"晚报快讯 近日，某镇开展第{n}次义诊活动，受益群众200余人。\n", encoding="utf-8")
    proc = run_cli("load", "-j", "2", "--profile", str(profile), "--newspaper", "某某晚报", "--db", url_arg(url),
                   str(dumps))
    assert proc.returncode == 0, proc.stderr
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            assert conn.scalar(sa.text("SELECT count(*) FROM article WHERE dateline = '晚报快讯'")) == 4
    finally:
        engine.dispose()
