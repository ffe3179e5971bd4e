"""Datasette plugin: Chinese search a researcher can trust, and pages that read like the paper.

* **Search.** Every connection gets newsetl's SQL functions (``etl.search``):
  ``newsetl_fts(q)`` (the MATCH expression), ``newsetl_snippet(text, q)`` (the
  passage around the match) and ``newsetl_search_notice(q)``; Datasette's own
  ``escape_fts`` is replaced by ``newsetl_fts``, so every search box means the
  same: Chinese without spaces is that string, spaces separate terms that must
  all occur, ``OR`` and quotes work, an unspaced query found nowhere falls back
  to its words with a notice, a person's name also finds their other spellings.
* **Relevance.** A search of the article table (``/newsetl/article?_search=…``,
  HTML, JSON or CSV) is answered from the view ``article_search`` (the articles
  with the search's bm25 score), ordered by relevance unless a sort is asked
  for; the page offers the toggle to date order and shows each match in context.
* **Search everything** (``/-/search``, datasette-search-all's page, with our
  template): people, organizations and places whose name contains the query,
  then the matching articles by relevance (or date), with snippets.
* **Reading.** An article's row page shows the article (kicker, headline,
  subheadline, dateline and byline, paragraphs with the names in them linked,
  then everyone it names); a person's, organization's or place's row page
  shows a chart of the articles naming them per month (inline SVG, no
  JavaScript), their titles, their articles and who appears with them. An
  issue date inferred from the text is marked wherever it is shown.
* **Chinese first.** Headings, labels and code values (记者 for ``reporter``)
  come from ``etl.labels``, with the English term in a tooltip or beside it;
  the database keeps the English codes.
* **Links in query results**: ``title`` next to ``article_id`` links to the
  article, ``person`` next to ``person_id`` to the person, and so on.
"""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qsl, urlencode

from datasette import hookimpl
from markupsafe import Markup, escape

from etl import labels
from etl.parse.records import WARNING_MESSAGES
from etl.search import SearchPlan, SqliteSearch, register_sql_functions, snippet

ENTITY_TABLES = ("person", "organization", "place")
SEARCH_VIEW = "article_search"  # published by etl/db/publish.py
RESULTS_PER_PAGE = 30  # on /-/search


def role_label(role: str) -> str:
    return (labels.code_label("role", role) or (role, role))[0]


def kind_label(kind: str) -> str:
    return (labels.code_label("kind", kind) or (kind, kind))[0]


# ---------------------------------------------------------------- search

_searches: dict[int, SqliteSearch] = {}  # id(connection) -> its search functions (set on every new connection)


@hookimpl(trylast=True)  # after Datasette's own prepare_connection, so this escape_fts wins
def prepare_connection(conn):
    search = register_sql_functions(conn)
    conn.create_function("escape_fts", 1, search.expression, deterministic=True)
    _searches[id(conn)] = search


def _search_of(conn) -> SqliteSearch:
    search = _searches.get(id(conn))
    if search is None or search.conn is not conn:
        search = _searches[id(conn)] = SqliteSearch(conn)
    return search


async def search_plan(db, query: str) -> SearchPlan:
    """The plan ``newsetl_fts(query)`` runs on ``db`` (with its notice for the reader)."""
    return await db.execute_fn(lambda conn: _search_of(conn).plan(query))


@hookimpl
def startup(datasette):
    """Load the jieba dictionary before the first search rather than during it (about a second);
    leave error pages to this plugin's ``handle_exception`` alone (see there)."""
    import datasette.handle_exception as default_handler
    from datasette.plugins import pm

    if pm.is_registered(default_handler):
        pm.unregister(default_handler)

    async def inner():
        import asyncio

        from etl.search import warm_up

        await asyncio.get_running_loop().run_in_executor(None, warm_up)

    return inner


_ARTICLE_TABLE = re.compile(r"^/(?P<database>[^/]+)/article(?P<ext>\.json|\.csv)?$")


def searched_scope(scope: dict, databases) -> dict | None:
    """A search of the article table, rewritten to the search view (by relevance unless a sort is
    asked for); None for any other request."""
    m = _ARTICLE_TABLE.match(scope.get("path") or "")
    if not m or m.group("database") not in databases or m.group("database") == "_internal":
        return None
    args = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
    if not any(k == "_search" and v.strip() for k, v in args):
        return None
    if not any(k in ("_sort", "_sort_desc") for k, _ in args):
        args.append(("_sort", "bm25"))
    path = f"/{m.group('database')}/{SEARCH_VIEW}{m.group('ext') or ''}"
    return dict(scope, path=path, raw_path=path.encode(), query_string=urlencode(args).encode())


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        async def rewrite(scope, receive, send):
            if scope.get("type") == "http":
                scope = searched_scope(scope, datasette.databases) or scope
            await app(scope, receive, send)
        return rewrite
    return wrap


@hookimpl(trylast=True)  # after Datasette's search filter, which finds no index behind the view
def filters_from_request(request, database, table, datasette):
    if table != SEARCH_VIEW:
        return None

    async def inner():
        from datasette.filters import FilterArguments

        query = request.args.get("_search") or ""
        context = {"supports_search": True, "search": query}
        if not query.strip():
            return FilterArguments([], {}, [], context)
        raw = request.args.get("_searchmode") == "raw"
        plan = None if raw else await search_plan(datasette.get_database(database), query)
        context["newsetl_search"] = plan
        return FilterArguments([f"search match {':search' if raw else 'newsetl_fts(:search)'}"],
                               {"search": query}, [f'search matches "{query}"'], context)

    return inner


def _article_database(datasette):
    for name, db in datasette.databases.items():
        if name != "_internal":
            return name, db
    return None, None


async def _search_everything(datasette, q: str, order: str) -> dict:
    name, db = _article_database(datasette)
    result = {"q": q, "database": name, "entities": [], "articles": [], "article_count": 0, "order": order}
    q = (q or "").strip()
    if not q or db is None or not await db.table_exists("article_fts"):
        return result
    like = "%" + re.sub(r'[\s"]+', "", q).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    for table in ENTITY_TABLES:
        rows = await db.execute(
            f"select id, name, articles from [{table}] where name like :like escape '\\' "
            f"or variants like :like escape '\\' order by articles desc, name limit 30", {"like": like})
        for r in rows:
            result["entities"].append({"kind": table, "kind_label": labels.table_label(table)[0], "name": r["name"],
                                       "articles": r["articles"],
                                       "url": datasette.urls.row(name, table, str(r["id"]))})
    plan = await search_plan(db, q)
    result["plan"] = plan
    match = "search match :expression"
    params = {"expression": plan.expression}
    result["article_count"] = (await db.execute(f"select count(*) from {SEARCH_VIEW} where {match}", params)).first()[0]
    order_by = "issue_date desc, id" if order == "date" else "bm25, issue_date desc, id"
    rows = await db.execute(
        f"select id, title, issue_date, date_source, section, page_label, kind, body from {SEARCH_VIEW} "
        f"where {match} order by {order_by} limit {RESULTS_PER_PAGE}", params)
    for r in rows:
        result["articles"].append({
            "title": _highlight(r["title"], plan.words), "issue_date": r["issue_date"],
            "inferred_date": r["date_source"] == "text", "section": r["section"], "page_label": r["page_label"],
            "kind": kind_label(r["kind"]), "snippet": _snippet(r["body"], plan.words),
            "url": datasette.urls.row(name, "article", str(r["id"]))})
    table = datasette.urls.table(name, "article")
    result["table_url"] = table + "?" + urlencode({"_search": q})
    result["table_by_date_url"] = table + "?" + urlencode({"_search": q, "_sort_desc": "issue_date"})
    result["by_relevance_url"] = "?" + urlencode({"q": q})
    result["by_date_url"] = "?" + urlencode({"q": q, "sort": "date"})
    return result


def _highlight(text: str | None, words) -> Markup:
    text = text or ""
    words = [w for w in words if w]
    if not words:
        return escape(text)
    pattern = re.compile("|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True)), re.I)
    out, last = [], 0
    for m in pattern.finditer(text):
        out += [escape(text[last:m.start()]), Markup("<mark>"), escape(m.group()), Markup("</mark>")]
        last = m.end()
    out.append(escape(text[last:]))
    return Markup("").join(out)


_MARK_OPEN, _MARK_CLOSE = "\x02", "\x03"  # never in published text (control characters are cleaned out)


def _snippet(body: str | None, words) -> Markup:
    """The passage around the first match, the matches marked, as HTML."""
    text = snippet(body, list(words), mark=(_MARK_OPEN, _MARK_CLOSE))
    return Markup(str(escape(text)).replace(_MARK_OPEN, "<mark>").replace(_MARK_CLOSE, "</mark>"))


# ---------------------------------------------------------------- errors

DEBUG_ENV = "NEWSETL_DEBUG"  # set by `newsetl serve --debug`: full tracebacks in the log


@hookimpl
def handle_exception(datasette, request, exception):
    """One log line per failed request, and the page or JSON Datasette would show.

    Datasette's own handler (unregistered at startup: every handler's answer is
    awaited, so it would still print) writes a traceback with every local variable
    for each error (about 175 lines for a 404, 1,100 for a query over the time
    limit), and rendering those holds the interpreter long enough to stall the
    other requests. Full tracebacks only with ``newsetl serve --debug``.
    """
    import html
    import os
    import sys
    import traceback

    from datasette import Response
    from datasette.utils import add_cors_headers
    from datasette.utils.asgi import Base400
    from datasette.views.base import DatasetteError

    async def inner():
        title = None
        if isinstance(exception, Base400):
            status, info, message = exception.status, {}, exception.args[0] if exception.args else ""
        elif isinstance(exception, DatasetteError):
            status, info, message, title = exception.status, exception.error_dict, exception.message, exception.title
            if exception.message_is_html:
                message = Markup(message)
        else:
            status, info, message = 500, {}, str(exception)
        text = html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", str(message))).strip())
        hint = " (newsetl serve --debug prints the traceback)" if status >= 500 else ""
        sys.stderr.write(f"newsetl serve: {status} {request.method} {request.path}: "
                         f"{type(exception).__name__}: {text[:200]}{hint}\n")
        if os.environ.get(DEBUG_ENV):
            traceback.print_exception(exception, file=sys.stderr)
        info.update({"ok": False, "error": message, "status": status, "title": title})
        headers: dict = {}
        if datasette.cors:
            add_cors_headers(headers)
        if request.path.split("?")[0].endswith(".json"):
            return Response.json(info, status=status, headers=headers)
        template = datasette.jinja_env.select_template([f"{status}.html", "error.html"])
        context = dict(info, urls=datasette.urls, app_css_hash=datasette.app_css_hash(), menu_links=lambda: [])
        return Response.html(await template.render_async(context), status=status, headers=headers)

    return inner


# ---------------------------------------------------------------- templates


@hookimpl
def prepare_jinja2_environment(env):
    """Filters for the labels of etl/labels.py: ``{{ "article"|zh_table }}``, ``{{ column|zh_column }}``,
    ``{{ value|zh_code(column) }}`` (each Chinese, the English term in a tooltip)."""
    def zh_table(name):
        zh, en = labels.table_label(str(name))
        return Markup('<span class="zh" title="{}">{}</span>').format(en if en != zh else name, zh)

    def zh_column(name):
        zh = labels.column_label(str(name))
        if zh is None:
            return escape(name)
        return Markup('<span class="zh" title="{}">{}</span><span class="code">{}</span>').format(name, zh, name)

    def zh_code(value, column):
        found = labels.codes_label(str(column), value) if isinstance(value, str) else None
        if found is None:
            return escape("" if value is None else value)
        return Markup('<span class="zh" title="{}">{}</span>').format(found[1], found[0])

    env.filters.update(zh_table=zh_table, zh_column=zh_column, zh_code=zh_code)
    env.globals["zh_tables"] = labels.TABLES
    env.globals["zh_params"] = labels.PARAMS


@hookimpl
def extra_template_vars(template, database, table, view_name, request, datasette):
    async def inner():
        if template == "search_all.html" and request is not None:
            order = "date" if request.args.get("sort") == "date" else "relevance"
            return {"newsetl_search": await _search_everything(datasette, request.args.get("q") or "", order)}
        if request is None:
            return {}
        if view_name == "table" and table in ("article", SEARCH_VIEW):
            return await _table_extras(datasette, database, table, request)
        if view_name != "row" or table not in ("article", "issue", "page", *ENTITY_TABLES):
            return {}
        try:
            pk = int(request.url_vars.get("pks", ""))
        except ValueError:
            return {}
        db = datasette.get_database(database)
        if table == "article":
            return {"newsetl_article": await _article(datasette, db, database, pk)}
        if table in ("issue", "page"):
            return {"newsetl_dated": await _dated(db, table, pk)}
        return {"newsetl_entity": await _entity(datasette, db, database, table, pk)}

    return inner


async def _table_extras(datasette, database: str, table: str, request) -> dict:
    """The article table and its searches: a snippet of each row around the match, the sort toggle."""
    query = (request.args.get("_search") or "").strip()
    raw = request.args.get("_searchmode") == "raw"
    words: tuple[str, ...] = ()
    if query and not raw:
        words = (await search_plan(datasette.get_database(database), query)).words
    base = datasette.urls.table(database, "article")
    extras = {"newsetl_snippet": lambda body: _snippet(body, words), "newsetl_table_url": base}
    if query:
        kept = [(k, v) for k, v in parse_qsl(request.query_string, keep_blank_values=True)
                if k not in ("_sort", "_sort_desc", "_next")]
        extras["newsetl_by_relevance_url"] = base + "?" + urlencode(kept)
        extras["newsetl_by_date_url"] = base + "?" + urlencode(kept + [("_sort_desc", "issue_date")])
        extras["newsetl_order"] = ("relevance" if request.args.get("_sort") == "bm25"
                                   else "date" if request.args.get("_sort_desc") == "issue_date" else "other")
    return extras


async def _dated(db, table: str, pk: int) -> dict | None:
    """An issue's or a page's date and where it comes from."""
    sql = ("select issue_date, date_source from issue where id = :id" if table == "issue" else
           "select i.issue_date, i.date_source from page p join issue i on i.id = p.issue_id where p.id = :id")
    row = (await db.execute(sql, {"id": pk})).first()
    return dict(row) if row else None


async def _article(datasette, db, database: str, pk: int) -> dict | None:
    row = (await db.execute(
        """select a.*, p.source_file_id, p.issue_id, sf.path as source_path
           from article a join page p on p.id = a.page_id join source_file sf on sf.id = p.source_file_id
           where a.id = :id""", {"id": pk})).first()
    if row is None:
        return None
    article = dict(row)
    mentions = [dict(m) for m in await db.execute(
        """select person_id, organization_id, place_id, entity, entity_kind, role, surface, title, field,
                  start_offset, end_offset
           from mention where article_id = :id order by field, start_offset""", {"id": pk})]
    for m in mentions:
        entity_id = m["person_id"] or m["organization_id"] or m["place_id"]
        m["url"] = datasette.urls.row(database, m["entity_kind"], str(entity_id))
    article["paragraphs"] = _paragraphs(article["body"], [m for m in mentions if m["field"] == "body"])
    # Everyone it names, in order of first appearance, once each.
    seen: dict[tuple, dict] = {}
    for m in sorted(mentions, key=lambda m: (m["field"] != "headline", m["field"] != "byline", m["start_offset"])):
        key = (m["entity_kind"], m["entity"])
        entry = seen.setdefault(key, {"name": m["entity"], "url": m["url"], "kind": m["entity_kind"],
                                      "roles": [], "role_codes": [], "titles": [], "count": 0})
        entry["count"] += 1
        if m["role"] not in entry["role_codes"]:
            entry["role_codes"].append(m["role"])
            entry["roles"].append(role_label(m["role"]))
        if m["title"] and m["title"] not in entry["titles"]:
            entry["titles"].append(m["title"])
    article["named"] = {kind: [e for e in seen.values() if e["kind"] == kind] for kind in ENTITY_TABLES}
    article["credits"] = [e for e in seen.values() if e["kind"] == "person" and e["role_codes"] != ["mentioned"]]
    neighbours = await db.execute(
        """select id, title, seq from article where page_id = :page and seq in (:seq - 1, :seq + 1)""",
        {"page": article["page_id"], "seq": article["seq"]})
    for n in neighbours:
        key = "previous" if n["seq"] < article["seq"] else "next"
        article[key] = {"title": n["title"], "url": datasette.urls.row(database, "article", str(n["id"]))}
    article["page_url"] = datasette.urls.row(database, "page", str(article["page_id"]))
    article["issue_url"] = datasette.urls.row(database, "issue", str(article["issue_id"]))
    article["source_url"] = datasette.urls.row(database, "source_file", str(article["source_file_id"]))
    if article["issue_date"]:
        article["day_url"] = datasette.urls.database(database) + "/day_paper?" + urlencode(
            {"date": article["issue_date"]})
    article["inferred_date"] = article.get("date_source") == "text"
    article["kind_name"] = kind_label(article["kind"])
    # why the parser doubts it (article.warnings, published as a JSON list of codes)
    codes = json.loads(article.get("warnings") or "[]")
    article["doubts"] = [" / ".join(WARNING_MESSAGES.get(c, (c, ""))).strip(" /") for c in dict.fromkeys(codes)]
    return article


def _paragraphs(body: str, mentions: list[dict]) -> list[Markup]:
    """The body's paragraphs as HTML, each name the article mentions linked to its page."""
    links, last_end = [], -1
    for m in sorted(mentions, key=lambda m: (m["start_offset"], -m["end_offset"])):
        start, end = m["start_offset"], m["end_offset"]
        if start < last_end or body[start:end] != m["surface"]:
            continue  # overlapping, or offsets that do not point at the name: leave the text plain
        links.append(m)
        last_end = end
    html, pos = [], 0
    for m in links:
        html.append(escape(body[pos:m["start_offset"]]))
        kind = labels.code_label("entity_kind", m["entity_kind"]) or (m["entity_kind"], m["entity_kind"])
        role = labels.code_label("role", m["role"]) or (m["role"], m["role"])
        title = " · ".join(x for x in (f"{kind[0]} {kind[1]}", f"{role[0]} {role[1]}", m["title"]) if x)
        html.append(Markup('<a class="mention mention-{}" href="{}" title="{}">{}</a>').format(
            m["entity_kind"], m["url"], title, body[m["start_offset"]:m["end_offset"]]))
        pos = m["end_offset"]
    html.append(escape(body[pos:]))
    text = Markup("").join(html)
    return [Markup(p) for p in str(text).split("\n") if p.strip()]


async def _entity(datasette, db, database: str, table: str, pk: int) -> dict | None:
    row = (await db.execute(f"select * from [{table}] where id = :id", {"id": pk})).first()
    if row is None:
        return None
    fk = f"{table}_id"
    entity = dict(row)
    entity["kind"] = table
    entity["kind_label"] = labels.table_label(table)
    try:
        entity["variants"] = [v for v in json.loads(entity.get("variants") or "[]") if v]
    except ValueError:
        entity["variants"] = []
    months = {r["month"]: r["articles"] for r in await db.execute(
        f"""select substr(issue_date, 1, 7) as month, count(distinct article_id) as articles from mention
            where {fk} = :id and issue_date is not null group by month""", {"id": pk})}
    entity["chart"] = month_chart(months, label=f"每月提及{entity['name']}的文章数 · articles naming "
                                               f"{entity['name']} per month")
    entity["chart_data_url"] = datasette.urls.database(database) + "/mentions_by_month?" + urlencode(
        {"name": entity["name"]})
    entity["undated"] = (await db.execute(
        f"select count(distinct article_id) from mention where {fk} = :id and issue_date is null",
        {"id": pk})).first()[0]
    entity["articles_list"] = [dict(r, url=datasette.urls.row(database, "article", str(r["id"])),
                                    roles="、".join(role_label(x) for x in (r["roles"] or "").split(",") if x),
                                    inferred_date=r["date_source"] == "text")
                               for r in await db.execute(
        f"""select a.id, a.issue_date, a.date_source, a.title, a.section, a.page_label, a.kind,
                   group_concat(distinct m.role) as roles, group_concat(distinct m.title) as titles
            from mention m join article a on a.id = m.article_id where m.{fk} = :id
            group by a.id order by a.issue_date desc, a.id limit 200""", {"id": pk})]
    entity["search_url"] = datasette.urls.table(database, "article") + "?" + urlencode({"_search": entity["name"]})
    if table == "person":
        entity["titles"] = [dict(r) for r in await db.execute(
            """select title, min(issue_date) as first_seen, max(issue_date) as last_seen,
                      count(distinct article_id) as articles
               from mention where person_id = :id and title is not null and title != ''
               group by title order by first_seen, articles desc limit 50""", {"id": pk})]
        entity["titles_url"] = datasette.urls.database(database) + "/person_titles?" + urlencode(
            {"name": entity["name"]})
        entity["credited_url"] = datasette.urls.database(database) + "/articles_by_credit?" + urlencode(
            {"name": entity["name"]})
        entity["co_url"] = datasette.urls.database(database) + "/co_mentions?" + urlencode({"name": entity["name"]})
    entity["appears_with"] = [
        dict(r, url=datasette.urls.row(database, "person", str(r["id"])),
             together_url=(datasette.urls.database(database) + "/co_mention_articles?"
                           + urlencode({"name": entity["name"], "other": r["name"]})) if table == "person" else None)
        for r in await db.execute(
            f"""select p.id, p.name, count(distinct m.article_id) as articles
                from mention m join person p on p.id = m.person_id
                where m.role = 'mentioned' and m.person_id is not :id and m.article_id in (
                    select article_id from mention where {fk} = :id and role = 'mentioned')
                group by p.id order by articles desc, p.name limit 20""", {"id": pk})]
    entity["mentions_url"] = datasette.urls.table(database, "mention") + "?" + urlencode({fk: pk})
    await _posts_and_divisions(datasette, db, database, table, pk, entity)
    entity["network_url"] = datasette.urls.path("/-/network") + "?" + urlencode(
        {"focus": entity["name"], "national_leaders": "leave_out"})
    return entity


async def _posts_and_divisions(datasette, db, database: str, table: str, pk: int, entity: dict) -> None:
    """A person's posts as a timeline, an organization's officials over time, a place's division."""
    if "person_post" not in await db.view_names():  # a file published before posts existed
        return
    column = {"person": "person_id", "organization": "organization_id"}.get(table)
    if column:
        rows = [dict(r) for r in await db.execute(
            f"""select person_id, person, post_id, post, organization, division, first_seen, last_seen, articles
                from person_post where {column} = :id order by first_seen is null, first_seen, last_seen, post
                limit 200""", {"id": pk})]
        for r in rows:
            r["person_url"] = datasette.urls.row(database, "person", str(r["person_id"]))
            r["post_url"] = datasette.urls.row(database, "post", str(r["post_id"]))
            r["holders_url"] = datasette.urls.database(database) + "/post_holders?" + urlencode(
                {"post": r["post"], "date": r["last_seen"] or ""})
        entity["posts"] = rows
        entity["posts_chart"] = post_timeline(rows, by="post" if table == "person" else "person")
    if table == "place":
        for key in ("division_id", "in_division_id"):
            value = entity.get(key)
            if value:
                d = (await db.execute("select id, name, code, kind from division where id = :id", {"id": value})).first()
                if d is not None:
                    entity[key.replace("_id", "")] = dict(d, url=datasette.urls.row(database, "division", str(d["id"])))


def post_timeline(rows: list[dict], *, by: str, width: int = 720) -> Markup | None:
    """An inline SVG timeline: one bar per row from first_seen to last_seen (YYYY-MM-DD)."""
    import datetime as dt

    dated = [r for r in rows if r.get("first_seen") and r.get("last_seen")]
    if not dated:
        return None
    day = lambda s: dt.date.fromisoformat(s[:10]).toordinal()  # noqa: E731
    lo = min(day(r["first_seen"]) for r in dated)
    hi = max(day(r["last_seen"]) for r in dated)
    span = max(hi - lo, 1)
    label_w, row_h, top = 230, 22, 18
    plot = width - label_w - 10
    height = top + row_h * len(dated) + 8
    parts = [f'<svg class="newsetl-chart newsetl-timeline" xmlns="http://www.w3.org/2000/svg" '
             f'viewBox="0 0 {width} {height}" width="100%" role="img" aria-label="任职时间线 posts over time">',
             f'<text x="{label_w}" y="12" class="tick">{escape(min(r["first_seen"] for r in dated))}</text>',
             f'<text x="{width - 10}" y="12" text-anchor="end" class="tick">{escape(max(r["last_seen"] for r in dated))}</text>']
    for i, r in enumerate(dated):
        y = top + i * row_h
        x0 = label_w + plot * (day(r["first_seen"]) - lo) / span
        x1 = label_w + plot * (day(r["last_seen"]) - lo) / span
        parts.append(f'<text x="{label_w - 6}" y="{y + 14}" text-anchor="end" class="tick">{escape(r[by])}</text>')
        parts.append(f'<rect x="{x0:.1f}" y="{y + 4}" width="{max(x1 - x0, 4):.1f}" height="{row_h - 8}" class="bar">'
                     f'<title>{escape(r[by])}: {escape(r["first_seen"])} – {escape(r["last_seen"])}, '
                     f'{r["articles"]} 篇 articles</title></rect>')
    parts.append("</svg>")
    return Markup("".join(parts))


def month_chart(counts: dict[str, int], *, label: str, width: int = 720, height: int = 180) -> Markup | None:
    """An inline SVG bar chart of counts per month (YYYY-MM), every month in the range shown."""
    if not counts:
        return None
    first, last = min(counts), max(counts)
    months, (y, m) = [], (int(first[:4]), int(first[5:7]))
    while f"{y:04d}-{m:02d}" <= last:
        months.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    left, right, top, bottom = 34, 8, 12, 34
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max(counts.values())
    step = plot_w / len(months)
    bar = max(2.0, min(28.0, step * 0.7))
    parts = [f'<svg class="newsetl-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
             f'width="100%" role="img" aria-label="{escape(label)}">',
             f"<title>{escape(label)}</title>",
             f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" class="axis"/>',
             f'<text x="{left - 6}" y="{top + 4}" text-anchor="end" class="tick">{peak}</text>',
             f'<text x="{left - 6}" y="{top + plot_h}" text-anchor="end" class="tick">0</text>']
    every = max(1, round(len(months) / 8))
    for i, month in enumerate(months):
        n = counts.get(month, 0)
        x = left + i * step + (step - bar) / 2
        h = plot_h * n / peak if peak else 0
        if n:
            parts.append(f'<rect x="{x:.1f}" y="{top + plot_h - h:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                         f'class="bar"><title>{month}: {n} 篇 · {n} article{"s" if n != 1 else ""}</title></rect>')
            parts.append(f'<text x="{x + bar / 2:.1f}" y="{top + plot_h - h - 3:.1f}" text-anchor="middle" '
                         f'class="value">{n}</text>')
        if i % every == 0 or i == len(months) - 1 and len(months) > 1 and (i % every) > every / 2:
            parts.append(f'<text x="{x + bar / 2:.1f}" y="{height - bottom + 16}" text-anchor="middle" '
                         f'class="tick">{month}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


# ---------------------------------------------------------------- cells


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    """Code values in Chinese (the code in a tooltip); in query results (not table pages, which link
    foreign keys themselves), names and titles linked to their pages."""
    if value is None:
        return None
    if isinstance(value, str) and column in labels.CODE_COLUMNS and (table is None or column != "kind"
                                                                      or table in ("article", SEARCH_VIEW)):
        found = labels.codes_label(column, value)
        if found is not None:
            return Markup('<span class="zh" title="{}">{}</span>').format(found[1], found[0])
    if table is not None:
        return None
    keys = row.keys()
    target = None
    if column in ("title", "first_article") and "article_id" in keys:
        target = ("article", row["article_id"])
    elif column in (*ENTITY_TABLES, "post", "division") and f"{column}_id" in keys:
        target = (column, row[f"{column}_id"])
    elif column == "appears_with" and "appears_with_id" in keys:
        target = ("person", row["appears_with_id"])
    elif column == "entity" and "entity_id" in keys and "entity_kind" in keys:
        target = (row["entity_kind"], row["entity_id"])
    elif column == "article_id" and isinstance(value, int):
        target = ("article", value)
    elif column == "articles_together" and "person" in keys and "appears_with" in keys:
        url = datasette.urls.database(database) + "/co_mention_articles?" + urlencode(
            {"name": row["person"], "other": row["appears_with"]})
        return Markup('<a href="{}">{}</a>').format(url, value)
    if target is None or target[1] is None or target[0] not in ("article", "post", "division", *ENTITY_TABLES):
        return None
    return Markup('<a href="{}">{}</a>').format(datasette.urls.row(database, target[0], str(target[1])), value)


# ---------------------------------------------------------------- the co-mention network


NETWORK_FORMATS = {"csv": ("csv", "text/csv; charset=utf-8"), "nodes.csv": ("nodes-csv", "text/csv; charset=utf-8"),
                   "graphml": ("graphml", "application/graphml+xml; charset=utf-8")}


def network_options(args) -> dict:
    """The network page's form, read from the query string (bad values are dropped, not errors)."""
    import datetime as dt

    def date(name):
        try:
            return dt.date.fromisoformat((args.get(name) or "").strip()).isoformat()
        except ValueError:
            return None

    from etl.network import KINDS

    kinds = [k for k in args.getlist("kind") if k in KINDS] or list(KINDS)
    try:
        min_weight = max(1, int(args.get("min_weight") or 1))
    except ValueError:
        min_weight = 1
    return {"start": date("start"), "end": date("end"), "kinds": kinds,
            "no_leaders": args.get("national_leaders") == "leave_out", "min_weight": min_weight,
            "focus": (args.get("focus") or "").strip() or None}


async def _network(datasette, options: dict):
    from etl.network import SQLITE_MENTIONS, build_network, mentions_from_rows, national_leaders

    name, db = _article_database(datasette)
    rows = await db.execute_fn(lambda conn: conn.execute(SQLITE_MENTIONS).fetchall())
    return build_network(mentions_from_rows(rows), start=options["start"], end=options["end"],
                         kinds=options["kinds"], leave_out=national_leaders() if options["no_leaders"] else set(),
                         leave_out_national_posts=options["no_leaders"], min_weight=options["min_weight"],
                         focus=options["focus"])


def network_query(options: dict) -> str:
    pairs = [("start", options["start"]), ("end", options["end"])] + [("kind", k) for k in options["kinds"]]
    if options["no_leaders"]:
        pairs.append(("national_leaders", "leave_out"))
    if options["min_weight"] > 1:
        pairs.append(("min_weight", str(options["min_weight"])))
    if options["focus"]:
        pairs.append(("focus", options["focus"]))
    return urlencode([(k, v) for k, v in pairs if v])


@hookimpl
def register_routes():
    async def network_page(datasette, request):
        from datasette import Response

        from etl.network import FORMATS

        options = network_options(request.args)
        fmt = request.url_vars.get("format")
        graph = await _network(datasette, options)
        if fmt:
            writer, content_type = NETWORK_FORMATS[fmt]
            stem = "co-mentions" + ("-" + options["focus"] if options["focus"] else "")
            filename = f"{stem}.{'nodes.csv' if writer == 'nodes-csv' else fmt}"
            from urllib.parse import quote

            return Response(FORMATS[writer](graph), content_type=content_type, headers={
                "content-disposition": f"attachment; filename*=UTF-8''{quote(filename)}"})
        query = network_query(options)
        top = [dict(source=graph.nodes[e.source], target=graph.nodes[e.target], edge=e) for e in graph.edges[:30]]
        return Response.html(await datasette.render_template("network.html", {
            "options": options, "graph": graph, "top": top, "query": query,
            "links": {f: datasette.urls.path(f"/-/network.{f}") + ("?" + query if query else "")
                      for f in NETWORK_FORMATS}}, request=request))

    return [(r"^/-/network(\.(?P<format>csv|nodes\.csv|graphml))?$", network_page)]
