"""The loader, on small hand-made documents, each test rolled back."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
import sqlalchemy as sa

from etl.db.load import UNKNOWN_NEWSPAPER, discover, load_paths, plan_pages, write_document
from etl.parse.records import Credit, Item, Mention, PageHeader, ParsedDocument, SectionBanner

from ..conftest import SEEDS, table_counts

pytestmark = pytest.mark.db

D = dt.date(2023, 1, 10)


def header(index=0, section="温县新闻", line=2, date=D, label="A08"):
    return PageHeader(index=index, newspaper="JIAOZUO DAILY", page_label=label, section=section, date=date,
                      weekday="星期二", editor="刘振毅", proofreader="姬祥", layout_editor="牛成文",
                      hotline="8797000", line=line, start=0, end=10)


def item(seq, body, section="温县新闻", page_index=0, **kw):
    defaults = dict(kind="article", headline=f"标题{seq}", kicker=None, subheadline=None, dateline="本报讯",
                    byline=None, event_date=None, start=seq * 100, end=seq * 100 + len(body),
                    line_start=seq * 10, line_end=seq * 10 + 5)
    defaults.update(kw)
    return Item(seq=seq, page_index=page_index, section=section, body=body, **defaults)


def doc(items, pages=(header(),), banners=(), date=D, from_text=False):
    return ParsedDocument(source="t.txt", encoding="utf-8", newline="\n", pages=tuple(pages),
                          banners=tuple(banners), items=tuple(items), date=date, date_from_text=from_text)


BODY = "本报讯 1月7日下午，市政协副主席、温县县委书记杨磊主持召开会议。（白靖杰）"

def _at(text: str) -> tuple[int, int]:
    start = BODY.index(text)
    return start, start + len(text)


PERSON = Mention("person", "杨磊", "body", *_at("杨磊"), title="市政协副主席、温县县委书记")
PLACE = Mention("place", "温县", "body", *_at("温县"))
CREDIT = Credit("白靖杰", "credit", *_at("白靖杰"))


def write(conn, document, path="t.txt", data=b"x", newspaper=None):
    return write_document(conn, path, data, hashlib.sha256(data).hexdigest(), document, newspaper=newspaper)


def test_writes_every_level_linked(db_conn):
    d = doc([item(1, BODY, credits=(CREDIT,), mentions=(PERSON, PLACE))])
    result = write(db_conn, d, newspaper="焦作日报")
    assert (result.status, result.articles, result.mentions) == ("added", 1, 3)
    row = db_conn.execute(sa.text("""
        SELECT n.name, n.masthead, i.issue_date, i.date_source, p.page_label, p.section, p.editor,
               a.headline, a.body, sf.path
        FROM article a JOIN page p ON p.id = a.page_id JOIN issue i ON i.id = p.issue_id
        JOIN newspaper n ON n.id = i.newspaper_id JOIN source_file sf ON sf.id = p.source_file_id""")).one()
    assert tuple(row) == ("焦作日报", "JIAOZUO DAILY", D, "header", "A08", "温县新闻", "刘振毅", "标题1", BODY, "t.txt")
    mentions = db_conn.execute(sa.text("""
        SELECT m.role, m.surface, m.title, coalesce(pe.name, pl.name), m.start_offset, m.end_offset
        FROM mention m LEFT JOIN person pe ON pe.id = m.person_id LEFT JOIN place pl ON pl.id = m.place_id
        ORDER BY m.start_offset""")).all()
    assert [tuple(m) for m in mentions] == [
        ("mentioned", "温县", None, "温县", *_at("温县")),
        ("mentioned", "杨磊", "市政协副主席、温县县委书记", "杨磊", *_at("杨磊")),
        ("credit", "白靖杰", None, "白靖杰", *_at("白靖杰")),
    ]
    assert [BODY[m.start_offset:m.end_offset] for m in mentions] == ["温县", "杨磊", "白靖杰"]


def test_same_content_is_unchanged_and_changed_content_replaces_keeping_keys(db_conn):
    first = doc([item(1, BODY), item(2, "另一篇文章的正文。")])
    write(db_conn, first, data=b"v1")
    keys_before = dict(db_conn.execute(sa.text("SELECT body, text_key FROM article")).all())
    assert write(db_conn, first, data=b"v1").status == "unchanged"

    second = doc([item(1, "新加的一篇。"), replace(item(2, BODY), headline="标题1")])
    result = write(db_conn, second, data=b"v2")
    assert result.status == "replaced"
    keys_after = dict(db_conn.execute(sa.text("SELECT body, text_key FROM article")).all())
    assert set(keys_after) == {"新加的一篇。", BODY}
    assert keys_after[BODY] == keys_before[BODY], "same content keeps its text_key"
    assert db_conn.scalar(sa.text("SELECT count(*) FROM source_file")) == 1
    assert db_conn.scalar(sa.text("SELECT sha256 FROM source_file")) == hashlib.sha256(b"v2").hexdigest()


def test_replaced_file_that_moved_date_leaves_no_empty_issue(db_conn):
    write(db_conn, doc([item(1, BODY)]), data=b"v1")
    moved = dt.date(2023, 1, 11)
    write(db_conn, doc([item(1, BODY)], pages=(header(date=moved),), date=moved), data=b"v2")
    assert db_conn.execute(sa.text("SELECT issue_date FROM issue")).scalars().all() == [moved]


def test_text_keys_are_deterministic_across_databases_and_distinct_for_repeats(db_conn):
    d = doc([item(1, BODY), item(2, BODY)])  # the same text twice on one page
    write(db_conn, d)
    keys = db_conn.execute(sa.text("SELECT text_key FROM article ORDER BY seq")).scalars().all()
    assert len(set(keys)) == 2
    savepoint = db_conn.begin_nested()
    db_conn.execute(sa.text("DELETE FROM source_file"))
    write(db_conn, d)
    assert db_conn.execute(sa.text("SELECT text_key FROM article ORDER BY seq")).scalars().all() == keys
    savepoint.rollback()


def test_copy_of_a_page_under_another_name_does_not_duplicate_articles(db_conn):
    d = doc([item(1, BODY)])
    write(db_conn, d, path="a.txt", data=b"utf8")
    result = write(db_conn, d, path="b.txt", data=b"gb18030")
    assert result.articles == 0 and "already loaded" in result.message
    assert db_conn.scalar(sa.text("SELECT count(*) FROM article")) == 1


def test_file_without_header_uses_date_from_text_or_null(db_conn):
    banner = SectionBanner("高新区动态", 1, 0, 6)
    inferred = dt.date(2024, 3, 11)
    write(db_conn, doc([item(1, BODY, section="高新区动态", page_index=None)], pages=(), banners=(banner,),
                       date=inferred, from_text=True), path="a.txt", data=b"a")
    write(db_conn, doc([item(1, "没有日期的文章。", section=None, page_index=None)], pages=(), date=None),
          path="b.txt", data=b"b")
    rows = db_conn.execute(sa.text("""
        SELECT sf.path, n.name, i.issue_date, i.date_source, p.section, p.has_header, p.page_label
        FROM page p JOIN issue i ON i.id = p.issue_id JOIN newspaper n ON n.id = i.newspaper_id
        JOIN source_file sf ON sf.id = p.source_file_id ORDER BY sf.path""")).all()
    assert [tuple(r) for r in rows] == [
        ("a.txt", UNKNOWN_NEWSPAPER, inferred, "text", "高新区动态", False, None),
        ("b.txt", UNKNOWN_NEWSPAPER, None, None, None, False, None),
    ]


@pytest.mark.parametrize(("pages", "banners", "items", "expected"), [
    # two regional headers on one page label: items follow their section
    ((header(0, "温县新闻", 2), header(1, "孟州新闻", 7)), (),
     [("温县新闻", 0), ("孟州新闻", 1), ("温县新闻", 0)], [0, 1, 0]),
    # a banner later in a file with a header becomes its own page
    ((header(0, "温县新闻", 2),), (SectionBanner("示范区强音", 500, 0, 5),),
     [("温县新闻", 0), ("示范区强音", None)], [0, 1]),
    # items with neither a header nor a banner go on one unlabeled page
    ((), (), [(None, None), (None, None)], [0, 0]),
])
def test_plan_pages(pages, banners, items, expected):
    d = doc([item(i + 1, f"正文{i}", section=s, page_index=p) for i, (s, p) in enumerate(items)],
            pages=pages, banners=banners)
    plans, item_page = plan_pages(d)
    assert [item_page[i + 1] for i in range(len(items))] == expected
    assert [p.file_order for p in plans] == list(range(len(plans)))


def test_load_paths_reports_bad_files_and_loads_the_others(db_conn, tmp_path):
    good = tmp_path / "good.txt"
    good.write_bytes((SEEDS / "003_223f8a6ac594ec44.txt").read_bytes())
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    before = table_counts(db_conn, ["article"])
    report = load_paths(db_conn, [str(tmp_path), str(tmp_path / "missing.txt")])
    by_name = {r.path.rsplit("/", 1)[-1]: r for r in report.results}
    assert by_name["good.txt"].status == "added" and by_name["good.txt"].articles > 0
    assert {by_name[n].status for n in ("empty.txt", "image.png", "missing.txt")} == {"failed"}
    assert all(by_name[n].message for n in ("empty.txt", "image.png", "missing.txt"))
    assert table_counts(db_conn, ["article"])["article"] == before["article"] + by_name["good.txt"].articles
    run = db_conn.execute(sa.text("SELECT status, files_seen, files_added, files_failed, errors FROM load_run "
                                  "WHERE id = :id"), {"id": report.run_id}).one()
    assert (run.status, run.files_seen, run.files_added, run.files_failed) == ("partial", 4, 1, 3)
    assert "missing.txt: no such file or directory" in run.errors


def test_discover_skips_hidden_and_reports_symlink_loops(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x.txt").write_text("x")
    (tmp_path / ".hidden.txt").write_text("x")
    (tmp_path / "a" / "loop").symlink_to(tmp_path / "a")
    found = list(discover([str(tmp_path)]))
    files = [p for p, e in found if e is None]
    errors = [e.reason for _, e in found if e is not None]
    assert files == [str(tmp_path / "a" / "x.txt")]
    assert errors == ["symlink loop, folder skipped"]


def test_copy_keeps_tabs_backslashes_newlines_and_null_versus_empty(db_conn):
    """Articles and mentions go through COPY: its escapes must not change a character."""
    body = "第一段\t制表符，反斜杠\\与\\N不是空值\\.\n第二段\r\n\\t 字面\\n；杨磊\\张三"
    surface = "杨磊\\张三"
    start = body.index(surface)
    mention = Mention("person", surface, "body", start, start + len(surface), title="书记\t\\")
    d = doc([item(1, body, headline="", kicker=None, subheadline="\\N", mentions=(mention,))])
    result = write(db_conn, d)
    assert (result.status, result.articles, result.mentions) == ("added", 1, 1)
    row = db_conn.execute(sa.text("SELECT headline, kicker, subheadline, body FROM article")).one()
    assert tuple(row) == ("", None, "\\N", body)
    m = db_conn.execute(sa.text("SELECT m.surface, m.title, p.name FROM mention m JOIN person p ON p.id = m.person_id")
                        ).one()
    assert tuple(m) == (surface, "书记\t\\", surface)


def test_nul_in_a_document_is_a_clear_rejection_and_nothing_is_written(db_conn, tmp_path):
    """PostgreSQL text cannot hold NUL. The decoder refuses such files; should a NUL reach the
    loader anyway, the file is rejected with one line, rolled back, and the run goes on."""
    from etl.db.load import _Prepared, store_file

    data = b"nul"
    prepared = _Prepared("nul.txt", hashlib.sha256(data).hexdigest(), len(data), data,
                         doc([item(1, "正文\x00里有NUL。")]))
    before = table_counts(db_conn)
    result = store_file(db_conn, prepared)
    assert result.status == "failed" and "NUL" in result.message and "\n" not in result.message
    after = table_counts(db_conn)
    assert after["rejected_file"] == before["rejected_file"] + 1
    assert {t: n for t, n in after.items() if t != "rejected_file"} == \
           {t: n for t, n in before.items() if t != "rejected_file"}

    path = tmp_path / "nul.txt"
    text = (SEEDS / "003_223f8a6ac594ec44.txt").read_bytes()
    path.write_bytes(text[:300] + b"\x00" + text[300:])
    report = load_paths(db_conn, [str(path)])
    assert report.results[0].status == "failed" and "NUL" in report.results[0].message


def test_discover_reports_a_folder_it_cannot_read(tmp_path):
    """A folder closed to the user is a failure, never silently skipped. Root reads every folder, so
    when the tests run as root the walk runs in a forked child that has become ``nobody``."""
    import os
    import tempfile

    top = Path(tempfile.mkdtemp(prefix="newsetl-walk-"))
    try:
        os.chmod(top, 0o755)
        (top / "ok").mkdir()
        (top / "ok" / "a.txt").write_text("x")
        (top / "sub").mkdir()
        (top / "sub" / "b.txt").write_text("x")
        os.chmod(top / "sub", 0)
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: drop root, walk, report, exit without running pytest's cleanup
            try:
                if os.geteuid() == 0:
                    os.setgid(65534)
                    os.setuid(65534)
                found = [(p, e.reason if e else None) for p, e in discover([str(top)])]
                os.write(write, json.dumps(found).encode())
            finally:
                os._exit(0)
        os.close(write)
        with os.fdopen(read) as pipe:
            found = dict(map(tuple, json.loads(pipe.read())))
        os.waitpid(pid, 0)
        assert found[str(top / "ok" / "a.txt")] is None
        assert found[str(top / "sub")] == "cannot read folder: Permission denied"
    finally:
        os.chmod(top / "sub", 0o755)
        shutil.rmtree(top)


def test_two_spellings_and_a_symlink_are_one_canonical_path(tmp_path):
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "a.txt").write_text("x")
    (tmp_path / "link").symlink_to(tmp_path / "d")
    found = list(discover([str(tmp_path / "d"), str(tmp_path / "d" / ".." / "d" / "a.txt"), str(tmp_path / "link")]))
    assert found == [(str((tmp_path / "d" / "a.txt").resolve()), None)]
