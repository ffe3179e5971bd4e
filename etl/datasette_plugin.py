"""Datasette plugin: Chinese search that just works, and pages that read like the paper.

* **Search.** Datasette turns a search box's text into an FTS MATCH expression
  with the SQL function ``escape_fts``. This plugin registers its own
  ``escape_fts`` on every connection (after Datasette's), which segments the
  query with the same jieba dictionary the index was built with
  (``etl.search.fts_query``). So ``?_search=高新区安全生产工作`` works in every
  table's search box, in the JSON API and in datasette-search-all, the box
  still shows what was typed, and ``_searchmode=raw`` still passes FTS5 syntax
  through untouched. ``newsetl_fts(q)`` is the same function for hand-written SQL.
* **Search everything** (``/-/search``, datasette-search-all's page, with our
  template): people, organizations and places whose name contains the query,
  then the matching articles with the words highlighted.
* **Reading.** An article's row page shows the article (kicker, headline,
  subheadline, dateline and byline, paragraphs with the names in them linked,
  then everyone it names); a person's, organization's or place's row page
  shows a chart of the articles naming them per month (inline SVG, no
  JavaScript), their titles, their articles and who appears with them.
* **Links in query results**: ``title`` next to ``article_id`` links to the
  article, ``person`` next to ``person_id`` to the person, and so on.
"""

from __future__ import annotations

import json
import re
from urllib.parse import urlencode

from datasette import hookimpl
from markupsafe import Markup, escape

from etl.parse.records import WARNING_MESSAGES
from etl.search import fts_query, query_words

ENTITY_TABLES = ("person", "organization", "place")
ROLE_NAMES = {"mentioned": "named", "reporter": "reporter", "correspondent": "correspondent",
              "trainee_reporter": "trainee reporter", "photographer": "photographer", "author": "author",
              "credit": "credit"}
KIND_NAMES = {"article": "article", "brief": "brief", "photo": "photo", "commentary": "commentary",
              "other": "other"}


# ---------------------------------------------------------------- search


@hookimpl(trylast=True)  # after Datasette's own prepare_connection, so this escape_fts wins
def prepare_connection(conn):
    conn.create_function("escape_fts", 1, fts_query, deterministic=True)
    conn.create_function("newsetl_fts", 1, fts_query, deterministic=True)


@hookimpl
def startup(datasette):
    """Load the jieba dictionary before the first search rather than during it (about a second)."""
    async def inner():
        import asyncio

        await asyncio.get_running_loop().run_in_executor(None, fts_query, "预热")

    return inner


def _article_database(datasette):
    for name, db in datasette.databases.items():
        if name != "_internal":
            return name, db
    return None, None


async def _search_everything(datasette, q: str) -> dict:
    name, db = _article_database(datasette)
    result = {"q": q, "database": name, "entities": [], "articles": [], "article_count": 0}
    q = (q or "").strip()
    if not q or db is None or not await db.table_exists("article_fts"):
        return result
    like = "%" + re.sub(r'[\s"]+', "", q).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    for table in ENTITY_TABLES:
        rows = await db.execute(
            f"select id, name, articles from [{table}] where name like :like escape '\\' "
            f"or variants like :like escape '\\' order by articles desc, name limit 30", {"like": like})
        for r in rows:
            result["entities"].append({"kind": table, "name": r["name"], "articles": r["articles"],
                                       "url": datasette.urls.row(name, table, str(r["id"]))})
    match = "id in (select rowid from article_fts where article_fts match newsetl_fts(:q))"
    result["article_count"] = (await db.execute(f"select count(*) from article where {match}", {"q": q})).first()[0]
    rows = await db.execute(
        f"select id, title, issue_date, section, page_label, kind, body from article where {match} "
        f"order by issue_date desc, id limit 30", {"q": q})
    words = query_words(q)
    for r in rows:
        result["articles"].append({
            "title": _highlight(r["title"], words), "issue_date": r["issue_date"], "section": r["section"],
            "page_label": r["page_label"], "kind": r["kind"], "snippet": _snippet(r["body"], words),
            "url": datasette.urls.row(name, "article", str(r["id"]))})
    result["table_url"] = datasette.urls.table(name, "article") + "?" + urlencode({"_search": q})
    return result


def _highlight(text: str | None, words: list[str]) -> Markup:
    text = text or ""
    if not words:
        return escape(text)
    pattern = re.compile("|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True)), re.I)
    out, last = [], 0
    for m in pattern.finditer(text):
        out += [escape(text[last:m.start()]), Markup("<mark>"), escape(m.group()), Markup("</mark>")]
        last = m.end()
    out.append(escape(text[last:]))
    return Markup("").join(out)


def _snippet(body: str, words: list[str], width: int = 70) -> Markup:
    flat = re.sub(r"\s+", " ", body or "")
    positions = [flat.lower().find(w.lower()) for w in words]
    positions = [p for p in positions if p >= 0]
    start = max(0, min(positions) - width // 3) if positions else 0
    piece = flat[start:start + width]
    return Markup("{}{}{}").format("…" if start else "", _highlight(piece, words),
                                   "…" if start + width < len(flat) else "")


# ---------------------------------------------------------------- row pages


@hookimpl
def extra_template_vars(template, database, table, view_name, request, datasette):
    async def inner():
        if template == "search_all.html" and request is not None:
            return {"newsetl_search": await _search_everything(datasette, request.args.get("q") or "")}
        if view_name != "row" or request is None or table not in ("article", *ENTITY_TABLES):
            return {}
        try:
            pk = int(request.url_vars.get("pks", ""))
        except ValueError:
            return {}
        db = datasette.get_database(database)
        if table == "article":
            return {"newsetl_article": await _article(datasette, db, database, pk)}
        return {"newsetl_entity": await _entity(datasette, db, database, table, pk)}

    return inner


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
                                      "roles": [], "titles": [], "count": 0})
        entry["count"] += 1
        role = ROLE_NAMES.get(m["role"], m["role"])
        if role not in entry["roles"]:
            entry["roles"].append(role)
        if m["title"] and m["title"] not in entry["titles"]:
            entry["titles"].append(m["title"])
    article["named"] = {kind: [e for e in seen.values() if e["kind"] == kind] for kind in ENTITY_TABLES}
    article["credits"] = [e for e in seen.values() if e["kind"] == "person" and e["roles"] != ["named"]]
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
    article["kind_name"] = KIND_NAMES.get(article["kind"], article["kind"])
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
        title = " · ".join(x for x in (m["entity_kind"], ROLE_NAMES.get(m["role"], m["role"]), m["title"]) if x)
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
    try:
        entity["variants"] = [v for v in json.loads(entity.get("variants") or "[]") if v]
    except ValueError:
        entity["variants"] = []
    months = {r["month"]: r["articles"] for r in await db.execute(
        f"""select substr(issue_date, 1, 7) as month, count(distinct article_id) as articles from mention
            where {fk} = :id and issue_date is not null group by month""", {"id": pk})}
    entity["chart"] = month_chart(months, label=f"Articles naming {entity['name']} per month")
    entity["chart_data_url"] = datasette.urls.database(database) + "/mentions_by_month?" + urlencode(
        {"name": entity["name"]})
    entity["undated"] = (await db.execute(
        f"select count(distinct article_id) from mention where {fk} = :id and issue_date is null",
        {"id": pk})).first()[0]
    entity["articles_list"] = [dict(r, url=datasette.urls.row(database, "article", str(r["id"])),
                                    roles=", ".join(ROLE_NAMES.get(x, x) for x in (r["roles"] or "").split(",")))
                               for r in await db.execute(
        f"""select a.id, a.issue_date, a.title, a.section, a.page_label, a.kind,
                   group_concat(distinct m.role) as roles, group_concat(distinct m.title) as titles
            from mention m join article a on a.id = m.article_id where m.{fk} = :id
            group by a.id order by a.issue_date desc, a.id limit 200""", {"id": pk})]
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
    return entity


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
                         f'class="bar"><title>{month}: {n} article{"s" if n != 1 else ""}</title></rect>')
            parts.append(f'<text x="{x + bar / 2:.1f}" y="{top + plot_h - h - 3:.1f}" text-anchor="middle" '
                         f'class="value">{n}</text>')
        if i % every == 0 or i == len(months) - 1 and len(months) > 1 and (i % every) > every / 2:
            parts.append(f'<text x="{x + bar / 2:.1f}" y="{height - bottom + 16}" text-anchor="middle" '
                         f'class="tick">{month}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


# ---------------------------------------------------------------- query results


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    """In query results (not table pages, which link foreign keys themselves), link names and titles."""
    if table is not None or value is None:
        return None
    keys = row.keys()
    target = None
    if column in ("title", "first_article") and "article_id" in keys:
        target = ("article", row["article_id"])
    elif column in ENTITY_TABLES and f"{column}_id" in keys:
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
    if target is None or target[1] is None or target[0] not in ("article", *ENTITY_TABLES):
        return None
    return Markup('<a href="{}">{}</a>').format(datasette.urls.row(database, target[0], str(target[1])), value)
