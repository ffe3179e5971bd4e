"""The ``newsetl`` command line: a thin layer over etl.parse and etl.db."""

from __future__ import annotations

import contextlib
import json
import os
import shlex
import shutil
import sys
from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from etl import __version__
from etl.errors import InputFileError, NewsetlError, UsageError, quoted
from etl.wording import plural

DEFAULT_SQLITE = Path(".newsetl") / "newsetl.db"
DB_OPTION_HELP = "PostgreSQL URL (default: $DATABASE_URL, else the embedded server in ./.newsetl/pgdata)."

err = Console(stderr=True, highlight=False)
out = Console(highlight=False)


def db_option(f):
    return click.option("--db", "db_url", metavar="URL", help=DB_OPTION_HELP)(f)


def sqlite_path_option(f):
    return click.option("--output", "-o", "sqlite_path", type=click.Path(dir_okay=False, path_type=Path),
                        default=lambda: os.environ.get("NEWSETL_SQLITE", str(DEFAULT_SQLITE)),
                        show_default="$NEWSETL_SQLITE or .newsetl/newsetl.db",
                        help="The SQLite file Datasette serves.")(f)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="newsetl")
def cli() -> None:
    """Load Chinese newspaper text dumps into PostgreSQL and browse them in Datasette.

    \b
    Example:
      newsetl load --newspaper 焦作日报 seeds/
      newsetl serve
    """


# ---------------------------------------------------------------- parse

def profile_options(f):
    f = click.option("--profile", "profile_path", envvar="NEWSETL_PROFILE", metavar="FILE",
                     type=click.Path(dir_okay=False, exists=True),
                     help="A paper's genre profile (TOML) laid over the default one "
                          "(default: the profile naming the --newspaper or the masthead printed in the file).")(f)
    return f


def _use_profile(newspaper: str | None, profile_path: str | None) -> None:
    """Check the profile now (one clear error line), and pass the choice on to parse worker processes."""
    from etl.parse.profile import load_profile

    if profile_path:
        load_profile(profile_path)
        os.environ["NEWSETL_PROFILE"] = os.path.abspath(profile_path)
    if newspaper:
        os.environ["NEWSETL_NEWSPAPER"] = newspaper


# Why an item starts where it does, as `parse --format text` shows it.
CUT_REASONS = {
    "dateline": "电头 dateline", "title": "标题 title", "byline": "署名行 byline line",
    "signature": "署名 signature", "after credit": "上篇署名之后 after a credit", "marker": "标记 marker",
    "caption": "图片说明 caption", "indent": "缩进变化 indentation", "brief column": "简讯栏 brief column",
    "page": "版面开头 page start", "text": "正文 text", "after caption": "图片说明之后 after a caption",
    "label": "栏目 label", "after label": "栏目之后 after a label", "banner": "栏目标题之后 after a banner",
}


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--format", "fmt", type=click.Choice(["json", "text"]), default="text", show_default=True,
              help="json: the evaluation format of shared/eval/README.md; text: a readable outline "
                   "showing where items were cut and why.")
@click.option("--newspaper", envvar="NEWSETL_NEWSPAPER", metavar="NAME",
              help="The paper the file belongs to: selects its genre profile, if one names it.")
@profile_options
def parse(file: str, fmt: str, newspaper: str | None, profile_path: str | None) -> None:
    """Parse one dump and print what was found (no database needed).

    The text outline shows each page header, then each item: where it starts
    and why it was cut there (dateline, title, credit, caption…), kind,
    headline, dateline, credits, and the parser's doubts (第N行…). Use it to
    check a new paper, or a paper profile you wrote (README: "Adding a paper").

    \b
    Example:
      newsetl parse seeds/001_d414a8ee10d38a41.txt --format json > pred.json
      newsetl parse --profile profiles/mypaper.toml page.txt
    """
    from etl.db.load import read_source  # reading files is shared with the loader, it does not touch a database
    from etl.parse import parse_bytes
    from etl.parse.export import to_eval_dict

    _use_profile(newspaper, profile_path)
    data = sys.stdin.buffer.read() if file == "-" else read_source(file)
    doc = parse_bytes(data, "<stdin>" if file == "-" else os.path.basename(file), newspaper=newspaper,
                      profile=profile_path)
    if fmt == "json":
        click.echo(json.dumps(to_eval_dict(doc), ensure_ascii=False, indent=1))
        return
    # Never wrapped to the terminal's width (grep, cut and a narrow terminal see whole lines), and text
    # from the file is escaped or printed without markup ("会议[/]召开" is a headline).
    out.print(f"[bold]{escape(doc.source)}[/]  encoding {doc.encoding}  date {doc.date or '?'}"
              f"{' (from text)' if doc.date_from_text else ''}  profile {escape(doc.profile)}", soft_wrap=True)
    for p in doc.pages:
        staff = f"  编辑 {p.editor} 校对 {p.proofreader} 组版 {p.layout_editor}" if p.editor or p.proofreader else ""
        out.print(f"page {p.page_label or '-'} {p.section or '-'} {p.date or '-'}{staff}  (line {p.line})",
                  soft_wrap=True, markup=False)
    for b in doc.banners:
        out.print(f"section banner {b.text} (line {b.line})", markup=False)
    flagged = 0
    for it in doc.items:
        why = CUT_REASONS.get(it.reason, it.reason or "-")
        out.print(f"[bold]{it.seq:3d}[/] lines {it.line_start}-{it.line_end}  cut at: {escape(why)}  "
                  f"{it.kind}", soft_wrap=True)
        if it.kind == "other":
            out.print(f"      {escape(it.body[:40])}", soft_wrap=True)
            continue
        titles = " / ".join(t for t in (it.kicker, it.headline, it.subheadline) if t) or "-"
        credits = "、".join(f"{c.name}({c.role})" for c in it.credits) or "-"
        body = it.body.replace("\n", " ")
        out.print(f"      title: {escape(titles)}", soft_wrap=True)
        out.print(f"      {escape(body[:24])}…{escape(body[-16:])}", soft_wrap=True)
        out.print(f"      credits: {escape(credits)}  event date: {it.event_date or '-'}  "
                  f"section: {escape(it.section or '-')}", soft_wrap=True)
        for w in it.warnings:
            out.print(f"      [yellow]! {escape(w.message)}[/]", soft_wrap=True)
        flagged += bool(it.warnings)
    for warning in doc.warnings:
        out.print(f"warning: {warning}", markup=False, soft_wrap=True)
    if flagged:
        out.print(f"{flagged} 条稿件需要核对 / {_items_need_a_look(flagged)}", markup=False)


@cli.command()
def ner() -> None:
    """Recognize persons, organizations and places in text read from standard input.

    One document per line in; one JSON object per line out, each list holding
    every mention's surface text in order:
    {"persons": [...], "organizations": [...], "places": [...]}.

    \b
    Example:
      python3 ../shared/eval/ner_score.py ../shared/eval/ner/peoples_daily.test.bio sentences > s.txt
      newsetl ner < s.txt > pred.jsonl
      python3 ../shared/eval/ner_score.py ../shared/eval/ner/peoples_daily.test.bio score pred.jsonl
    """
    from etl.parse.ner import recognize

    stdin = click.get_binary_stream("stdin")
    stdout = click.get_text_stream("stdout", encoding="utf-8")
    for number, raw in enumerate(stdin, start=1):
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            stdout.flush()
            raise InputFileError("<stdin>", f"line {number} is not UTF-8 text (byte {raw[exc.start]:#04x} at "
                                            f"position {exc.start}); {number - 1} lines were read") from None
        stdout.write(json.dumps(recognize(line.rstrip("\r\n")), ensure_ascii=False) + "\n")


@cli.command("eval")
@click.option("--eval-dir", type=click.Path(file_okay=False, path_type=Path),
              help="The evaluation data (gold/, external/, ner/). Default: $NEWSETL_EVAL_DIR or tests/data/eval.")
@click.option("--seeds-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Where the dumps named by the seed keys are. Default: seeds/, then the data's ../seeds.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.option("--ner", "with_ner", is_flag=True,
              help="Also score `newsetl ner` on the People's Daily (test, dev) and MSRA test sets.")
def eval_(eval_dir: Path | None, seeds_dir: Path | None, as_json: bool, with_ner: bool) -> None:
    """Score the parser on the answer keys in the repository; exit 1 if any figure is under target.

    Each seed key's dump is scored as it is and re-encoded (GB18030 + CRLF,
    UTF-16, UTF-8 with BOM + CRLF): the figures must not depend on the
    encoding. The dumps of other papers (external/) are scored pooled. With
    --ner, the entity recognizer is scored too (People's Daily test and dev,
    MSRA test; targets on the People's Daily test set). Scoring follows the
    rules of the published evaluation kit (etl/scoring.py).

    \b
    Example:
      newsetl eval
      newsetl eval --ner --json > figures.json
    """
    from etl.evaluate import (
        EXTERNAL_TARGETS, NER_TARGETS, TARGETS, evaluate, evaluate_external, evaluate_ner,
    )

    results = evaluate(eval_dir, seeds_dir)
    external, pooled = evaluate_external(eval_dir)
    failures = [f"{r.key} ({r.variant}): {f}" for r in results for f in r.failures()]
    if pooled is not None:
        failures += [f"external pooled: {f}" for f in pooled.failures()]
    ner = evaluate_ner(eval_dir) if with_ner else []
    failures += [f for r in ner for f in r.failures()]
    if as_json:
        report = {"targets": TARGETS, "results": [
            {"key": r.key, "variant": r.variant, "figures": r.figures} for r in results],
            "external_targets": EXTERNAL_TARGETS,
            "external": [{"key": r.key, "figures": r.figures} for r in external],
            "external_pooled": pooled.figures if pooled else None,
            "failures": failures}
        if with_ner:
            report["ner_targets"] = NER_TARGETS
            report["ner"] = [{"corpus": r.corpus, "figures": r.figures, "sentences": r.sentences,
                              "characters": r.characters, "seconds": round(r.seconds, 3),
                              "chars_per_second": round(r.characters / r.seconds)} for r in ner]
        click.echo(json.dumps(report, ensure_ascii=False, indent=1))
    else:
        columns = [("items F1", "items.f1"), ("headline", "headline_exact"), ("kind", "kind_accuracy"),
                   ("authors F1", "authors.f1"), ("page", "page_fields"), ("date", "event_date_accuracy"),
                   ("persons F1", "persons.f1"), ("persons/file", "persons_per_file.f1"),
                   ("orgs F1", "organizations.f1"), ("places F1", "places.f1")]
        # Wide enough for every column even when piped (rich assumes 80 off a terminal).
        wide = Console(highlight=False, width=max(out.width, 160))

        def table_of(title, rows, targets, first="key", second="encoding"):
            table = Table(title=title)
            table.add_column(first)
            table.add_column(second)
            for name, _ in columns:
                table.add_column(name, justify="right")
            for r in rows:
                cells = []
                for _, path in columns:
                    value = r.metric(path)
                    low = path in targets and value < targets[path]
                    cells.append(f"[red]{value:.3f}[/]" if low else f"{value:.3f}")
                table.add_row(r.key, r.variant if second == "encoding" else str(r.figures["items"]["gold"]),
                              *cells)
            wide.print(table)

        table_of("parser accuracy on the seed keys (tests/data/eval/gold)", results, TARGETS)
        wide.print("targets per key: " + ", ".join(f"{k} ≥ {v:.2f}" for k, v in TARGETS.items()), markup=False)
        if pooled is not None:
            table_of("other papers (tests/data/eval/external), pooled last", [*external, pooled],
                     EXTERNAL_TARGETS, second="items")
            wide.print("targets pooled: " + ", ".join(f"{k} ≥ {v:.2f}" for k, v in EXTERNAL_TARGETS.items()),
                       markup=False)
        if ner:
            table = Table(title="entity recognition (tests/data/eval/ner)")
            for title in ("corpus", "persons P/R/F1", "organizations P/R/F1", "places P/R/F1", "chars/s"):
                table.add_column(title, justify="left" if title == "corpus" else "right")
            for r in ner:
                cells = []
                for kind in ("persons", "organizations", "places"):
                    f = r.figures[kind]
                    low = r.f1(kind) < NER_TARGETS.get(r.corpus, {}).get(kind, 0)
                    text = f"{f['precision']:.3f} / {f['recall']:.3f} / {f['f1']:.3f}"
                    cells.append(f"[red]{text}[/]" if low else text)
                table.add_row(r.corpus, *cells, f"{r.characters / r.seconds:,.0f}")
            wide.print(table)
            wide.print("targets: " + ", ".join(f"{c} {k} F1 ≥ {v:.2f}" for c, t in NER_TARGETS.items()
                                               for k, v in t.items()), markup=False)
        for line in failures:
            click.echo(f"under target: {line}", err=True)
    sys.exit(1 if failures else 0)


# ---------------------------------------------------------------- load

@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--newspaper", envvar="NEWSETL_NEWSPAPER", metavar="NAME",
              help="Newspaper the files belong to (default: the masthead printed in the file).")
@click.option("--quiet", "-q", is_flag=True,
              help="Only the summary line and one line per failed file (the default when not on a terminal).")
@click.option("--verbose", "-v", is_flag=True, help="Print the per-file table even when not on a terminal.")
@click.option("--exclusive", is_flag=True,
              help="Skip (exit 0) if another `newsetl load --exclusive` is running against the same database: "
                   "for cron, so overlapping runs do not pile up.")
@click.option("--workers", "-j", type=click.IntRange(min=1), default=lambda: _usable_cores(), metavar="N",
              show_default="the number of cores",
              help="Processes that read and parse files in parallel (1: parse in the loading process itself). "
                   "The writes stay in one process, one transaction per file, in input order.")
@click.option("--file-time-limit", type=click.FloatRange(min=0), default=None, metavar="SECONDS",
              help="Reject a file whose parse takes more processor time than this (0: no limit) and go on "
                   "with the others. Default: 300.")
@click.option("--reassign", is_flag=True,
              help="Move files already loaded under another newspaper to the one given with --newspaper "
                   "(each file rewritten in one transaction). Without it such files stay where they are, "
                   "with a warning.")
@profile_options
@db_option
def load(paths: tuple[str, ...], newspaper: str | None, quiet: bool, verbose: bool, exclusive: bool,
         workers: int, file_time_limit: float | None, reassign: bool, profile_path: str | None,
         db_url: str | None) -> None:
    """Load dump files and folders into PostgreSQL.

    Each file is loaded in one transaction; files already loaded with the same
    content are skipped, changed files replace their earlier data, and a file
    that cannot be loaded is reported (and recorded in rejected_file) while the
    others still load. The summary goes to standard output, failures and
    warnings to standard error. Exit code 0 when every file loaded or was
    unchanged, 1 when any file failed, 2 for usage or connection errors.

    \b
    Example:
      newsetl load --newspaper 焦作日报 seeds/
      newsetl load --quiet --exclusive /data/dumps/ >> load.log     # from cron
      newsetl load --workers 4 /data/archive/                         # parse on 4 cores
      newsetl load --newspaper 焦作晚报 --reassign dumps/wanbao/       # move files loaded under another paper
      newsetl load --newspaper 潍坊日报 --profile profiles/weifang.toml dumps/
    """
    from etl.db.connection import open_engine
    from etl.db.load import load_paths
    from etl.db.locks import exclusive_run
    from etl.errors import DatabaseConnectionLost

    interactive = err.is_terminal and not quiet
    _use_profile(newspaper, profile_path)
    with open_engine(db_url) as engine:
        _ensure_schema(engine)
        with exclusive_run(engine) if exclusive else contextlib.nullcontext(True) as may_run:
            if not may_run:
                click.echo("newsetl load: another `newsetl load --exclusive` is running; nothing done")
                sys.exit(0)
            with Progress(TextColumn("[progress.description]{task.description}"), BarColumn(),
                          MofNCompleteColumn(), TimeElapsedColumn(), console=err, transient=True,
                          disable=not interactive) as progress:
                task = progress.add_task("loading", total=None)

                def on_file(result):
                    progress.update(task, advance=1, description=os.path.basename(result.path)[:40])
                    if result.status == "failed" and interactive:  # else listed once after the run
                        progress.console.print(f"[red]failed[/] {escape(quoted(result.path))}: {escape(result.message)}")

                try:
                    limit = {} if file_time_limit is None else {"file_time_limit": file_time_limit}
                    report = load_paths(engine, paths, newspaper=newspaper, reassign=reassign, on_file=on_file,
                                        workers=workers, **limit,
                                        on_discovered=lambda n: progress.update(task, total=n),
                                        arguments=shlex.join(sys.argv[1:]))
                except DatabaseConnectionLost as exc:
                    if exc.report is not None:
                        click.echo(f"newsetl load: before the connection was lost: {exc.report.summary_line()}",
                                   err=True)
                    raise
    # Standard output: what the run did (the summary, and with -v or on a terminal the details);
    # standard error: what went wrong or needs a look. `newsetl load ... > log` keeps the summary.
    if verbose or interactive:
        _print_load_table(report)
        for merge in report.merges:
            how = "merged person spelling" if merge.kind == "person" else f"linked {merge.kind} short form"
            click.echo(f"newsetl load: {how} {merge.merged} into {merge.kept}: {merge.evidence}")
    if not interactive:  # on a terminal the progress display already showed each failure
        for r in report.failed:
            click.echo(f"newsetl: {quoted(r.path)}: {r.message}", err=True)
    for r in report.results:
        for warning in r.warnings:
            click.echo(f"newsetl: {quoted(r.path)}: warning: {warning}", err=True)
    for r in report.results:
        if r.moved_from:
            click.echo(f"newsetl load: {quoted(r.path)}: {r.message}")
    if report.forgotten:
        click.echo(f"newsetl load: forgot {plural(len(report.forgotten), 'rejected path')} that no longer "
                   f"{'exists' if len(report.forgotten) == 1 else 'exist'} (see `newsetl rejected`)")
    click.echo(f"newsetl load: {report.summary_line()}")
    _print_flagged(report, full=verbose or interactive)
    sys.exit(0 if report.ok else 1)


def _items_need_a_look(n: int) -> str:
    return f"{plural(n, 'item')} {'needs' if n == 1 else 'need'} a look"


def _print_flagged(report, full: bool, shown: int = 5) -> None:
    """"3 条稿件需要核对 / 3 items need a look: FILE line N 「headline」 (codes); …": the pages to check by hand."""
    flagged = [(r.path, line, head, codes) for r in report.results for line, head, codes in r.flagged]
    if not flagged:
        return
    listed = flagged if full else flagged[:shown]
    more = len(flagged) - len(listed)
    where = "; ".join(f"{quoted(path)} line {line} 「{head}」 ({', '.join(codes)})" for path, line, head, codes in listed)
    click.echo(f"newsetl load: {len(flagged)} 条稿件需要核对 / {_items_need_a_look(len(flagged))}: {where}"
               + (f"; … {more} more" if more else "") + " (article.warnings; Datasette: items_to_check)", err=True)


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@db_option
def purge(paths: tuple[str, ...], db_url: str | None) -> None:
    """Remove the data loaded from PATHS (files, or folders: every file loaded from under them).

    Set-based and in one transaction. Content that another loaded path still
    names is kept. Loading the same files again restores the same data.

    \b
    Example:
      newsetl purge seeds/001_d414a8ee10d38a41.txt
    """
    from etl.db.connection import open_engine
    from etl.db.load import purge_paths

    with open_engine(db_url) as engine:
        _ensure_schema(engine)
        report = purge_paths(engine, paths)
    if report.names == 0 and report.rejected == 0:
        raise UsageError(f"nothing was loaded from {', '.join(quoted(p) for p in paths)}")
    rejected = f"; {plural(report.rejected, 'rejected path')} forgotten" if report.rejected else ""
    click.echo(f"newsetl purge: {plural(report.names, 'name')} removed, {plural(report.files, 'file')} and "
               f"{plural(report.articles, 'article')} deleted{rejected}")


@cli.command()
@click.argument("paths", nargs=-1)
@click.option("--gone", is_flag=True, help="Only paths that no longer exist (a mistyped path, a deleted file).")
@click.option("--clear", is_flag=True, help="Forget the rows listed (a file still there is recorded again "
                                            "the next time it fails to load).")
@db_option
def rejected(paths: tuple[str, ...], gone: bool, clear: bool, db_url: str | None) -> None:
    """List the files that could not be loaded (rejected_file), or forget them with --clear.

    With PATHS, only those paths and what is below them. A run of `newsetl load`
    over a folder forgets by itself the rows of paths gone from it.

    \b
    Example:
      newsetl rejected                       # every file that failed, and why
      newsetl rejected --gone --clear        # forget the paths that no longer exist
      newsetl rejected --clear dumps/2023/   # forget everything recorded below a folder
    """
    from etl.db.connection import open_engine
    from etl.db.load import forget_rejections, rejections

    with open_engine(db_url) as engine:
        _ensure_schema(engine)
        rows = rejections(engine, paths, gone_only=gone)
        if clear:
            forgotten = forget_rejections(engine, [r.path for r in rows])
            click.echo(f"newsetl rejected: forgot {plural(forgotten, 'path')}")
            return
    for r in rows:
        when = r.last_rejected_at.astimezone().strftime("%Y-%m-%d %H:%M")
        gone_note = "  (no longer exists)" if not r.exists else ""
        click.echo(f"{quoted(r.path)}: {r.reason}  [{plural(r.times, 'time')}, last {when}]{gone_note}")
    click.echo(f"newsetl rejected: {plural(len(rows), 'path')}"
               f"{f', {sum(not r.exists for r in rows)} no longer there' if not gone and rows else ''}")


def _date_option(ctx, param, value: str | None) -> str | None:
    import datetime as dt

    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise click.BadParameter(f"expected a date as YYYY-MM-DD, got {value!r}") from None


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["csv", "nodes-csv", "graphml"]), default=None,
              help="csv: one row per edge (the two names and kinds, the articles naming both, first and last "
                   "date); nodes-csv: one row per node; graphml: both, for Gephi, Cytoscape, networkx. "
                   "Default: graphml when --output ends in .graphml, else csv.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write here (default: stdout).")
@click.option("--from", "start", callback=_date_option, metavar="YYYY-MM-DD",
              help="Only articles of issues from this date.")
@click.option("--to", "end", callback=_date_option, metavar="YYYY-MM-DD",
              help="Only articles of issues up to this date.")
@click.option("--kinds", default="person,organization,place", show_default=True,
              help="Which entities are nodes, separated by commas.")
@click.option("--leave-out-national-leaders", "no_leaders", is_flag=True,
              help="Leave out national leaders: the names in etl/data/national_leaders.txt (or --leave-out-file) "
                   "and anyone printed with a national post (中共中央总书记, 国务院总理…).")
@click.option("--leave-out-file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="With --leave-out-national-leaders: the list of names to leave out (one a line) instead of "
                   "newsetl's own.")
@click.option("--leave-out", "leave_out", multiple=True, metavar="NAME",
              help="Also leave out this person (repeatable).")
@click.option("--min-weight", type=click.IntRange(min=1), default=1, show_default=True,
              help="Keep only edges of at least this many shared articles.")
@click.option("--focus", metavar="NAME", help="Only the edges of the person, organization or place of this name.")
@db_option
def network(fmt: str | None, output: Path | None, start: str | None, end: str | None, kinds: str, no_leaders: bool,
            leave_out_file: Path | None, leave_out: tuple[str, ...], min_weight: int, focus: str | None,
            db_url: str | None) -> None:
    """Export the co-mention network: people, organizations and places named in the same articles.

    Nodes are entities, with the number of articles naming them; an edge joins two
    entities named in the same article (in the text: a byline is not a co-mention),
    weighted by the number of such articles. The same export is a link in Datasette
    (/-/network).

    \b
    Example:
      newsetl network -o network.graphml --leave-out-national-leaders
      newsetl network --from 2023-01-01 --to 2023-12-31 --kinds person > edges.csv
      newsetl network --format nodes-csv --kinds person,organization -o nodes.csv
    """
    import sqlalchemy as sa

    from etl.db.connection import open_engine
    from etl.network import (FORMATS, KINDS, POSTGRES_MENTIONS, build_network, mentions_from_rows,
                             national_leaders, read_name_list)

    chosen = [k.strip() for k in kinds.split(",") if k.strip()]
    unknown = sorted(set(chosen) - set(KINDS))
    if unknown or not chosen:
        raise UsageError(f"--kinds takes {', '.join(KINDS)}; got {kinds!r}")
    if start and end and start > end:
        raise UsageError(f"--from {start} is after --to {end}")
    fmt = fmt or ("graphml" if output and output.suffix.lower() == ".graphml" else "csv")
    names = set(leave_out)
    if no_leaders:
        names |= read_name_list(leave_out_file) if leave_out_file else national_leaders()
    with open_engine(db_url) as engine:
        _ensure_schema(engine)
        with engine.connect() as conn:
            rows = conn.execute(sa.text(POSTGRES_MENTIONS)).tuples().all()
    graph = build_network(mentions_from_rows(rows), start=start, end=end, kinds=chosen, leave_out=names,
                          leave_out_national_posts=no_leaders, min_weight=min_weight, focus=focus)
    text = FORMATS[fmt](graph)
    if output:
        try:
            output.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"cannot write {quoted(str(output))}: {exc.strerror}") from exc
    else:
        click.echo(text, nl=False)
    left = f"; left out {'、'.join(graph.left_out)}" if graph.left_out else ""
    where = f" to {quoted(str(output))}" if output else ""
    click.echo(f"newsetl network: {plural(len(graph.nodes), 'node')}, {plural(len(graph.edges), 'edge')} "
               f"({fmt}){where}{left}", err=output is None)


def _usable_cores() -> int:
    """Cores this process may run on (its CPU affinity), else the machine's."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _print_load_table(report) -> None:
    table = Table(title=f"load run {report.run_id}")
    for col in ("file", "status", "articles", "mentions", "note"):
        table.add_column(col, justify="right" if col in ("articles", "mentions") else "left")
    for r in report.results:
        style = {"failed": "red", "added": "green", "replaced": "yellow"}.get(r.status)
        table.add_row(Text(r.path), r.status, str(r.articles), str(r.mentions), Text(r.message), style=style)
    out.print(table)


def _ensure_schema(engine) -> None:
    """Migrate the embedded database automatically; ask for `newsetl db upgrade` elsewhere."""
    from etl.db import migrate
    from etl.db.connection import is_embedded_url

    if migrate.is_up_to_date(engine):
        return
    if is_embedded_url(engine.url):
        migrate.upgrade(engine)
        return
    raise UsageError(f"the database schema is at {migrate.current_revision(engine) or 'base'}, "
                     f"not {migrate.head_revision()}: run `newsetl db upgrade` first")


# ---------------------------------------------------------------- bench

def _int_list(ctx, param, value: str) -> list[int]:
    try:
        numbers = [int(x) for x in value.split(",") if x.strip()]
    except ValueError:
        raise click.BadParameter(f"expected numbers separated by commas, got {value!r}") from None
    if not numbers or min(numbers) < 1:
        raise click.BadParameter("expected positive numbers")
    return numbers


@cli.command()
@click.option("--scales", default="1,10,100", show_default=True, callback=_int_list,
              help="Corpus sizes, in multiples of the seeds.")
@click.option("--workers", "worker_counts", default="1,2", show_default=True, callback=_int_list,
              help="Worker counts to measure the end-to-end load with.")
@click.option("--seeds", "seeds_dir", type=click.Path(file_okay=False, exists=True, path_type=Path),
              help="The pages to recombine (default: the repository's seeds/).")
@click.option("--keep", "keep_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Keep the generated corpus in this folder.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.option("--check", is_flag=True, help="Exit 1 if a target is missed.")
@click.option("--db", "db_url", metavar="URL",
              help="A server to measure on; scratch databases are created on it and dropped "
                   "(default: a scratch embedded PostgreSQL in a temporary folder, never ./.newsetl).")
def bench(scales: list[int], worker_counts: list[int], seeds_dir: Path | None, keep_dir: Path | None,
          as_json: bool, check: bool, db_url: str | None) -> None:
    """Measure throughput at several corpus sizes, against plain jieba.lcut and jieba.posseg.lcut in the same run.

    The corpus is the seed pages recombined (items shuffled, dates shifted, new
    page labels). Each scale runs in a fresh process: decode and segmentation,
    entity recognition, jieba.lcut, jieba.posseg.lcut, then end-to-end loads into fresh databases
    (one per worker count), a full publish, five more files loaded into the
    first database (what a scheduled load costs at that size), and peak memory.

    \b
    Example:
      newsetl bench                              # 1×, 10×, 100× the seeds; 1 and 2 workers
      newsetl bench --scales 1,10 --json > bench.json
    """
    from etl.bench import DEFAULT_SEEDS, report_json, run_bench
    from etl.db.connection import normalize_url, release_embedded, start_embedded
    from etl.db.embedded import scratch_dir

    raw = db_url or os.environ.get("DATABASE_URL")
    scratch = None
    try:
        if raw:
            admin = normalize_url(raw)
        else:
            scratch = scratch_dir("newsetl-bench-pg-")  # as root, reachable by the server's account
            admin = start_embedded(scratch / "pgdata", "postgres")
        admin_url = admin.render_as_string(hide_password=False)

        def progress(figures) -> None:
            if not as_json:
                err.print(f"measured {figures.scale}× ({figures.files} files, {figures.chars:,} characters)")

        report = run_bench(scales, worker_counts, admin_url, seeds_dir or DEFAULT_SEEDS, keep_dir, progress)
    finally:
        if scratch:
            release_embedded(scratch / "pgdata")
            shutil.rmtree(scratch, ignore_errors=True)
    if as_json:
        click.echo(report_json(report))
    else:
        _print_bench(report, worker_counts)
    sys.exit(1 if check and not all(v["ok"] for v in report.verdicts) else 0)


def _print_bench(report, worker_counts: list[int]) -> None:
    wide = Console(highlight=False, width=max(out.width, 200))
    table = Table(title=f"newsetl bench ({report.machine['cpus']} cores, Python {report.machine['python']})")
    for title in ("scale", "files", "chars", "pages", "decode+segment c/s", "entities c/s", "jieba.lcut c/s",
                  "jieba.posseg.lcut c/s"):
        table.add_column(title, justify="right")
    for n in worker_counts:
        table.add_column(f"end to end c/s ({n}w)", justify="right")
        table.add_column(f"× jieba ({n}w)", justify="right")
        table.add_column(f"× posseg ({n}w)", justify="right")
        table.add_column(f"rows/s ({n}w)", justify="right")
        table.add_column(f"ms/page ({n}w)", justify="right")
    for title in ("publish s", "+5 files s", "peak RSS MiB"):
        table.add_column(title, justify="right")
    for s in report.scales:
        first = s.loads[0] if s.loads else None
        cells = [f"{s.scale}×", f"{s.files:,}", f"{s.chars:,}", f"{first.pages:,}" if first else "",
                 f"{s.decode_segment_chars_per_s:,.0f}", f"{s.entities_chars_per_s:,.0f}",
                 f"{s.jieba_lcut_chars_per_s:,.0f}", f"{s.jieba_posseg_chars_per_s:,.0f}"]
        for n in worker_counts:
            f = s.load(n)
            posseg = f"{f.chars_per_s / s.jieba_posseg_chars_per_s:.2f}" if f and s.jieba_posseg_chars_per_s else ""
            cells += ([f"{f.chars_per_s:,.0f}", f"{f.chars_per_s / s.jieba_lcut_chars_per_s:.2f}", posseg,
                       f"{f.rows_per_s:,.0f}", f"{f.s_per_page * 1000:,.1f}"] if f else ["", "", "", "", ""])
        cells += [f"{s.publish_s:.1f}", f"{s.add_files_s:.1f}" if s.added_files else "", f"{s.peak_rss_mib:,.0f}"]
        table.add_row(*cells)
    wide.print(table)
    for v in report.verdicts:
        mark = "[green]PASS[/]" if v["ok"] else "[red]FAIL[/]"
        wide.print(f"{mark} {escape(v['target'])}: {v['value']}")


# ---------------------------------------------------------------- publish / serve

@cli.command()
@db_option
@sqlite_path_option
@click.option("--full", is_flag=True, help="Rebuild the whole file instead of recopying only what changed.")
def publish(db_url: str | None, sqlite_path: Path, full: bool) -> None:
    """Write the SQLite file Datasette serves (tables, foreign keys, Chinese full-text search).

    Incremental by default: only the files loaded, replaced or purged since the
    last publish are recopied; the first publish, a changed layout or --full
    rebuilds the file.

    \b
    Example:
      newsetl publish -o newsetl.db
    """
    from etl.db.connection import open_engine
    from etl.db.publish import publish as do_publish

    with open_engine(db_url) as engine:
        _ensure_schema(engine)
        report = do_publish(engine, sqlite_path, full=full)
    rows = ", ".join(f"{t} {n}" for t, n in report.tables.items())
    how = (f"full rebuild ({report.reason})" if report.mode == "full" and report.reason
           else f"{report.mode}, {report.files_republished} files recopied, {report.files_removed} removed")
    click.echo(f"newsetl publish: wrote {quoted(str(report.path))} in {report.seconds:.1f}s, {how} ({rows})")


@cli.command()
@db_option
@sqlite_path_option
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8001, show_default=True, type=int)
@click.option("--no-publish", is_flag=True, help="Serve the SQLite file as it is, without checking PostgreSQL.")
@click.option("--debug", is_flag=True, help="Print the full traceback of every failed request (default: one line).")
def serve(db_url: str | None, sqlite_path: Path, host: str, port: int, no_publish: bool, debug: bool) -> None:
    """Publish if the SQLite file is stale, then serve it with Datasette (read-only).

    \b
    Example:
      newsetl serve --port 8001
    """
    from etl.datasette_app import serve_args

    if not no_publish:
        from etl.db.connection import open_engine
        from etl.db.publish import is_stale
        from etl.db.publish import publish as do_publish

        with open_engine(db_url) as engine:  # the embedded server is stopped before Datasette starts
            _ensure_schema(engine)
            if is_stale(engine, sqlite_path):
                report = do_publish(engine, sqlite_path)
                click.echo(f"newsetl serve: published {report.path} in {report.seconds:.1f}s", err=True)
    if not sqlite_path.exists():
        raise UsageError(f"{sqlite_path} does not exist: run `newsetl publish` first")
    from datasette.cli import cli as datasette_cli

    from etl.datasette_plugin import DEBUG_ENV

    if debug:
        os.environ[DEBUG_ENV] = "1"

    click.echo(f"newsetl serve: Datasette on http://{host}:{port}/ (Ctrl+C to stop)", err=True)
    datasette_cli.main(args=serve_args(sqlite_path, host, port), prog_name="datasette")


# ---------------------------------------------------------------- db

@cli.group()
def db() -> None:
    """Database schema migrations (Alembic).

    \b
    Example:
      newsetl db upgrade
      DATABASE_URL=postgresql://user@host/newsetl newsetl db current
    """


@db.command()
@click.argument("revision", default="head")
@db_option
def upgrade(revision: str, db_url: str | None) -> None:
    """Migrate the schema up to REVISION (default: head).

    \b
    Example:
      newsetl db upgrade
    """
    from etl.db import migrate
    from etl.db.connection import open_engine

    with open_engine(db_url) as engine:
        migrate.upgrade(engine, revision)
        click.echo(f"newsetl db: schema at {migrate.current_revision(engine)}")


@db.command()
@click.argument("revision")
@db_option
def downgrade(revision: str, db_url: str | None) -> None:
    """Migrate the schema down to REVISION ("base" removes every table).

    \b
    Example:
      newsetl db downgrade base
    """
    from etl.db import migrate
    from etl.db.connection import open_engine

    with open_engine(db_url) as engine:
        migrate.downgrade(engine, revision)
        click.echo(f"newsetl db: schema at {migrate.current_revision(engine) or 'base'}")


@db.command()
@db_option
def current(db_url: str | None) -> None:
    """Print the schema revision of the database and the newest one available.

    \b
    Example:
      newsetl db current
    """
    from etl.db import migrate
    from etl.db.connection import open_engine

    with open_engine(db_url) as engine:
        rev = migrate.current_revision(engine)
    head = migrate.head_revision()
    click.echo(f"{rev or 'base'} (head: {head}){'' if rev == head else ' - run `newsetl db upgrade`'}")


@db.command()
@db_option
def relink(db_url: str | None) -> None:
    """Read every article again against the gazetteer: places and pages linked to divisions,
    organization names normalized, titles cut into posts (as after each load, but over
    everything; for data loaded before these links existed).

    \b
    Example:
      newsetl db relink
    """
    from etl.db.connection import open_engine
    from etl.db.load import transaction
    from etl.db.places import resolve_places_and_organizations
    from etl.db.posts import record_posts, relink_post_organizations

    with open_engine(db_url) as engine, transaction(engine) as conn:
        named = resolve_places_and_organizations(conn, None)
        written = record_posts(conn, named, None)
        relink_post_organizations(conn)
        places = conn.scalar(sa_text("SELECT count(*) FROM place WHERE division_id IS NOT NULL"))
        posts = conn.scalar(sa_text("SELECT count(*) FROM post"))
    click.echo(f"newsetl db relink: 已关联 {places} 个地名到行政区划 places linked to divisions; "
               f"{posts} 个职务 posts ({written} 条任职记录 title mentions)", err=True)


def sa_text(sql: str):
    import sqlalchemy as sa

    return sa.text(sql)


def main() -> None:
    try:
        cli.main(prog_name="newsetl", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("newsetl: aborted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except InputFileError as exc:
        click.echo(f"newsetl: error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except NewsetlError as exc:
        click.echo(f"newsetl: error: {exc}", err=True)
        sys.exit(exc.exit_code)
    sys.exit(0)
