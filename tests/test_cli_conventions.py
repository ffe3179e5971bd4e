"""CLI conventions: summaries on stdout and problems on stderr, plurals, whole lines, --reassign, rejected files."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from etl.db.connection import create_engine
from etl.db.load import article_keys
from etl.parse import parse_bytes
from etl.wording import plural

from .conftest import SEEDS, run_cli, url_arg

SEED = SEEDS / "003_223f8a6ac594ec44.txt"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256))


@pytest.mark.parametrize("n, word, expected", [(0, "file", "0 files"), (1, "file", "1 file"),
                                               (2, "article", "2 articles"), (1, "entry", "1 entry"),
                                               (3, "entry", "3 entries")])
def test_plural(n, word, expected):
    assert plural(n, word) == expected


def test_parse_text_never_wraps_an_item_on_a_narrow_terminal():
    proc = run_cli("parse", str(SEED), env={"COLUMNS": "40"})
    assert proc.returncode == 0, proc.stderr
    items = len(parse_bytes(SEED.read_bytes(), SEED.name).items)
    lines = proc.stdout.splitlines()
    item_lines = [line for line in lines if re.match(r"^\s*\d+ lines \d+-\d+ ", line)]  # "  1 lines 5-13  cut at: …"
    assert len(item_lines) == items  # one line per item, each whole
    assert max(len(line) for line in item_lines) > 40  # and longer than the terminal, unwrapped
    assert all(line.strip() for line in lines)


@pytest.mark.db
def test_load_summary_on_stdout_problems_on_stderr_one_file_reads_1_file(make_database, tmp_path):
    url = make_database()
    (tmp_path / "a.txt").write_bytes(SEED.read_bytes())
    (tmp_path / "broken.txt").write_bytes(PNG)
    proc = run_cli("load", "--db", url_arg(url), str(tmp_path / "a.txt"))
    assert proc.returncode == 0, proc.stderr
    [summary] = [line for line in proc.stdout.splitlines() if line.startswith("newsetl load: ")]
    assert summary.startswith("newsetl load: 1 file: 1 added,") and "1 files" not in summary
    assert "newsetl load" not in proc.stderr
    proc = run_cli("load", "--db", url_arg(url), str(tmp_path))
    assert proc.returncode == 1
    assert "2 files: 0 added, 0 replaced, 1 unchanged, 1 failed; 0 articles loaded" in proc.stdout
    assert "broken.txt" in proc.stderr and "broken.txt" not in proc.stdout


def newspapers_of_articles(engine) -> dict[str, int]:
    with engine.connect() as conn:
        return dict(conn.execute(sa.text("""
            SELECT n.name, count(*) FROM article a JOIN page p ON p.id = a.page_id
            JOIN issue i ON i.id = p.issue_id JOIN newspaper n ON n.id = i.newspaper_id GROUP BY n.name""")).all())


@pytest.mark.db
def test_newspaper_differing_from_the_stored_one_warns_and_reassign_moves_it(make_database, tmp_path):
    url = make_database()
    engine = create_engine(url)
    try:
        (tmp_path / "a.txt").write_bytes(SEED.read_bytes())
        (tmp_path / "copy.txt").write_bytes(SEED.read_bytes())  # the same content under a second name
        assert run_cli("load", "--newspaper", "甲报", "--db", url_arg(url), str(tmp_path)).returncode == 0
        articles = newspapers_of_articles(engine)["甲报"]

        again = run_cli("load", "--newspaper", "乙报", "--db", url_arg(url), str(tmp_path / "a.txt"))
        assert again.returncode == 0, again.stderr
        [warning] = [line for line in again.stderr.splitlines() if "warning:" in line]
        assert "already loaded under 甲报, not 乙报" in warning and "--reassign" in warning
        assert newspapers_of_articles(engine) == {"甲报": articles}  # nothing moved

        moved = run_cli("load", "--newspaper", "乙报", "--reassign", "--db", url_arg(url), str(tmp_path / "a.txt"))
        assert moved.returncode == 0, moved.stderr
        assert "moved from 甲报 to 乙报" in moved.stdout and "1 replaced" in moved.stdout
        assert "warning" not in moved.stderr
        assert newspapers_of_articles(engine) == {"乙报": articles}
        with engine.connect() as conn:
            # keys as a first load under 乙报 gives them; both names still lead to the content
            keys = set(conn.scalars(sa.text("SELECT text_key FROM article")))
            doc = parse_bytes(SEED.read_bytes(), "a.txt")
            assert keys == {key for _, key, _ in article_keys(doc, "乙报")}
            names = set(conn.scalars(sa.text("SELECT path FROM source_file_name")))
            assert names == {str(tmp_path / "a.txt"), str(tmp_path / "copy.txt")}
            assert conn.scalar(sa.text("SELECT count(*) FROM issue i JOIN newspaper n ON n.id = i.newspaper_id "
                                       "WHERE n.name = '甲报'")) == 0

        same = run_cli("load", "--newspaper", "乙报", "--reassign", "--db", url_arg(url), str(tmp_path))
        assert same.returncode == 0 and "2 unchanged" in same.stdout and "moved" not in same.stdout
        assert run_cli("load", "--reassign", "--db", url_arg(url), str(tmp_path)).returncode == 2  # needs --newspaper
    finally:
        engine.dispose()


def rejected_paths(engine) -> set[str]:
    with engine.connect() as conn:
        return set(conn.scalars(sa.text("SELECT path FROM rejected_file")))


@pytest.mark.db
def test_rejected_paths_that_vanished_are_forgotten_listed_and_cleared(make_database, tmp_path):
    url = make_database()
    engine = create_engine(url)
    folder = tmp_path / "dumps"
    folder.mkdir()
    (folder / "good.txt").write_bytes(SEED.read_bytes())
    (folder / "broken.txt").write_bytes(PNG)
    typo = folder / "goood.txt"
    try:
        proc = run_cli("load", "--db", url_arg(url), str(folder), str(typo))
        assert proc.returncode == 1
        assert rejected_paths(engine) == {str(folder / "broken.txt"), str(typo)}

        listed = run_cli("rejected", "--db", url_arg(url))
        assert listed.returncode == 0, listed.stderr
        [typo_line] = [line for line in listed.stdout.splitlines() if "goood.txt" in line]
        assert "no such file" in typo_line and "(no longer exists)" in typo_line
        assert "newsetl rejected: 2 paths, 1 no longer there" in listed.stdout

        (folder / "broken.txt").unlink()
        again = run_cli("load", "--db", url_arg(url), str(folder))
        assert again.returncode == 0, again.stderr
        assert "forgot 2 rejected paths that no longer exist" in again.stdout
        assert rejected_paths(engine) == set()

        run_cli("load", "--db", url_arg(url), str(typo))
        (folder / "bad.txt").write_bytes(PNG)
        run_cli("load", "--db", url_arg(url), str(folder / "bad.txt"))
        cleared = run_cli("rejected", "--gone", "--clear", "--db", url_arg(url))
        assert cleared.returncode == 0 and "forgot 1 path" in cleared.stdout
        assert rejected_paths(engine) == {str(folder / "bad.txt")}  # still there: kept

        purged = run_cli("purge", "--db", url_arg(url), str(folder / "bad.txt"))
        assert purged.returncode == 0, purged.stderr
        assert "1 rejected path forgotten" in purged.stdout and rejected_paths(engine) == set()
        nothing = run_cli("purge", "--db", url_arg(url), str(folder / "bad.txt"))
        assert nothing.returncode == 2 and "nothing was loaded" in nothing.stderr
    finally:
        engine.dispose()
