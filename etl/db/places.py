"""Places and organizations read against the gazetteer, after every load.

* The region a newspaper and a page are about: 焦作日报 -> 焦作市, a 温县新闻 page -> 温县
  (``newspaper.division_id``, ``page.division_id``).
* Every place mention that names a division is linked to it (``mention.division_id``), in
  short or full form (焦作 = 焦作市, 孟州 = 孟州市, 河南 = 河南省); a name several divisions
  have is read against the page's region and the divisions the article names, and left
  unlinked unless exactly one fits. A place row is the division its mentions agree on
  (``place.division_id``); a place that is no division (a village, a park) lies in the
  division printed just before it or at its start (温县赵堡镇, 孟州市文化广场:
  ``place.in_division_id``), when that evidence agrees.
* Organization names that differ only in bracket width or in the order of a bracketed pair
  (高新区（示范区）党工委 / 示范区(高新区)党工委) are one row, named by the form printed in
  most articles; the others are variants with the evidence. 县委 on a 温县 page is 温县县委
  (市委 on a county's page is its city's 市委; never on a county-level city's page, where it
  could be either). Every mention keeps its surface as printed.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter, defaultdict
from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from etl import gazetteer
from etl.gazetteer import Division
from etl.parse.titles import name_key

from .locks import lock


class DivisionIds:
    """Division rows by code and by id, read once per pass."""

    def __init__(self, conn: Connection):
        rows = conn.execute(sa.text("SELECT id, code FROM division")).all()
        self.id_of = {code: i for i, code in rows}
        self.code_of = {i: code for i, code in rows}

    def division(self, division_id: int | None) -> Division | None:
        return gazetteer.by_code(self.code_of.get(division_id, "")) if division_id is not None else None

    def id(self, d: Division | None) -> int | None:
        return self.id_of.get(d.code) if d is not None else None


def link_regions(conn: Connection, ids: DivisionIds, articles: Sequence[int] | None) -> None:
    """The division each newspaper and each page (of ``articles``; None: all) is about."""
    for table, label, scope in (("newspaper", "name", None), ("page", "section", articles)):
        where = ""
        params: dict = {}
        if scope is not None:
            where = " WHERE id IN (SELECT page_id FROM article WHERE id = ANY(:a))"
            params = {"a": list(scope)}
        rows = conn.execute(sa.text(f"SELECT id, {label}, division_id FROM {table}{where}"), params).all()
        changes = [(row_id, want) for row_id, text, have in rows
                   if (want := ids.id(gazetteer.region_of_label(text))) != have]
        if changes:
            conn.execute(sa.text(f"""UPDATE {table} t SET division_id = u.d
                                     FROM unnest(CAST(:ids AS int[]), CAST(:ds AS int[])) AS u(id, d)
                                     WHERE t.id = u.id"""),
                         {"ids": [c[0] for c in changes], "ds": [c[1] for c in changes]})


def _scoped(articles: Sequence[int] | None, column: str = "m.article_id") -> tuple[str, dict]:
    if articles is None:
        return "", {}
    return f" AND {column} = ANY(:a)", {"a": list(articles)}


def article_regions(conn: Connection, ids: DivisionIds, articles: Sequence[int] | None) -> dict[int, list[Division]]:
    """For each article: its page's region, then its newspaper's (nearest first)."""
    where, params = _scoped(articles, "a.id")
    out: dict[int, list[Division]] = {}
    for article_id, page_div, paper_div in conn.execute(sa.text(f"""
            SELECT a.id, p.division_id, n.division_id FROM article a JOIN page p ON p.id = a.page_id
            JOIN issue i ON i.id = p.issue_id JOIN newspaper n ON n.id = i.newspaper_id WHERE true{where}"""),
            params):
        out[article_id] = [d for d in (ids.division(page_div), ids.division(paper_div)) if d is not None]
    return out


def link_places(conn: Connection, ids: DivisionIds, articles: Sequence[int] | None) -> dict[int, list[Division]]:
    """Link place mentions (of ``articles``) and the places they name to divisions.

    Returns the divisions each article names, for the posts pass (该市 is the city named there).
    """
    regions = article_regions(conn, ids, articles)
    where, params = _scoped(articles)
    rows = conn.execute(sa.text(f"""
        SELECT m.id, m.article_id, m.surface, pl.name, m.division_id, m.place_id
        FROM mention m JOIN place pl ON pl.id = m.place_id WHERE true{where}
        ORDER BY m.article_id, m.field, m.start_offset"""), params).all()
    named: dict[int, list[Division]] = defaultdict(list)
    changes: list[tuple[int, int | None]] = []
    touched: set[int] = set()
    for article_id, group in itertools.groupby(rows, key=lambda r: r[1]):
        group = list(group)
        context = regions.get(article_id, [])
        found: dict[int, Division | None] = {}
        for mention_id, _, surface, name, _, _ in group:  # names only one division has, or the page's
            found[mention_id] = gazetteer.resolve(surface, context) or gazetteer.resolve(name, context)
        mine = [d for d in found.values() if d is not None]
        for mention_id, _, surface, name, _, _ in group:  # the rest, against what the article names
            if found[mention_id] is None and gazetteer.candidates(surface or name):
                found[mention_id] = (gazetteer.resolve(surface, context + mine)
                                     or gazetteer.resolve(name, context + mine))
        named[article_id] = [d for d in found.values() if d is not None]
        for mention_id, _, _, _, have, place_id in group:
            want = ids.id(found[mention_id])
            touched.add(place_id)
            if want != have:
                changes.append((mention_id, want))
    if changes:
        conn.execute(sa.text("""UPDATE mention m SET division_id = u.d
                                FROM unnest(CAST(:ids AS bigint[]), CAST(:ds AS int[])) AS u(id, d) WHERE m.id = u.id"""),
                     {"ids": [c[0] for c in changes], "ds": [c[1] for c in changes]})
    if articles is None:
        touched = set(conn.execute(sa.text("SELECT id FROM place")).scalars())
    _place_divisions(conn, ids, sorted(touched))
    return named


def _place_divisions(conn: Connection, ids: DivisionIds, places: list[int]) -> None:
    if not places:
        return
    # the division every linked mention of a place agrees on
    conn.execute(sa.text("""
        UPDATE place p SET division_id = x.d FROM (
            SELECT pl.id, (SELECT CASE WHEN count(DISTINCT m.division_id) = 1 THEN min(m.division_id) END
                           FROM mention m WHERE m.place_id = pl.id) AS d
            FROM place pl WHERE pl.id = ANY(:ids)) x
        WHERE p.id = x.id AND p.division_id IS DISTINCT FROM x.d"""), {"ids": places})
    # a place that is no division lies in the one printed right before it (温县 in 温县赵堡镇), or in
    # the one its name opens with (孟州市文化广场); twice, so 南保丰村 after 温县赵堡镇 is in 温县 too
    for _ in range(2):
        rows = conn.execute(sa.text("""
            SELECT pl.id, pl.name, coalesce(prev.division_id, pp.in_division_id, pp.division_id)
            FROM place pl
            LEFT JOIN mention m ON m.place_id = pl.id
            LEFT JOIN mention prev ON prev.article_id = m.article_id AND prev.field = m.field
                 AND prev.end_offset = m.start_offset AND prev.place_id IS NOT NULL
            LEFT JOIN place pp ON pp.id = prev.place_id
            WHERE pl.id = ANY(:ids) AND pl.division_id IS NULL"""), {"ids": places}).all()
        evidence: dict[int, set[int]] = defaultdict(set)
        current = dict(conn.execute(sa.text("SELECT id, in_division_id FROM place WHERE id = ANY(:ids)"),
                                    {"ids": places}).all())
        for place_id, name, before in rows:
            evidence.setdefault(place_id, set())
            if before is not None:
                evidence[place_id].add(before)
        for place_id in list(evidence):
            name = next(r[1] for r in rows if r[0] == place_id)
            if not gazetteer.candidates(name):
                opening = gazetteer.prefix_division(name)
                if opening is not None and len(name) - len(opening.name) >= 2:
                    evidence[place_id].add(ids.id(opening))
        changes = [(pid, (next(iter(ev)) if len(ev) == 1 else None)) for pid, ev in evidence.items()]
        changes = [(pid, d) for pid, d in changes if current.get(pid) != d]
        if not changes:
            break
        conn.execute(sa.text("""UPDATE place p SET in_division_id = u.d
                                FROM unnest(CAST(:ids AS int[]), CAST(:ds AS int[])) AS u(id, d) WHERE p.id = u.id"""),
                     {"ids": [c[0] for c in changes], "ds": [c[1] for c in changes]})
    conn.execute(sa.text("UPDATE place SET in_division_id = NULL WHERE id = ANY(:ids) AND division_id IS NOT NULL "
                         "AND in_division_id IS NOT NULL"), {"ids": places})


# ---- organizations -----------------------------------------------------------------

def bracket_forms(name: str) -> list[str]:
    """Every way a name with brackets can be printed: each bracket half- or full-width, and a
    bracketed pair in either order (高新区（示范区）党工委, 示范区(高新区)党工委, …)."""
    key = name_key(name)
    bases = {key}
    m = re.match(r"^([^（）]+)（([^（）]+)）(.*)$", key)
    if m:
        bases.add(f"{m.group(2)}（{m.group(1)}）{m.group(3)}")
    forms = set()
    for base in bases:
        slots = [i for i, ch in enumerate(base) if ch in "（）"]
        if len(slots) > 6:
            forms.add(base)
            continue
        for widths in itertools.product((0, 1), repeat=len(slots)):
            chars = list(base)
            for slot, half in zip(slots, widths):
                if half:
                    chars[slot] = "(" if chars[slot] == "（" else ")"
            forms.add("".join(chars))
    return sorted(forms)


def merge_bracket_variants(conn: Connection, articles: Sequence[int] | None) -> list[tuple[str, str, str]]:
    """One organization row for names that differ only in bracket width or bracketed-pair order.

    Returns (kept, merged, evidence) for each row merged away.
    """
    where, params = _scoped(articles)
    names = conn.execute(sa.text(f"""
        SELECT DISTINCT o.name FROM mention m JOIN organization o ON o.id = m.organization_id
        WHERE (o.name LIKE '%(%' OR o.name LIKE '%（%'){where}"""), params).scalars().all()
    if articles is None:
        names = conn.execute(sa.text(
            "SELECT name FROM organization WHERE name LIKE '%(%' OR name LIKE '%（%'")).scalars().all()
    merged: list[tuple[str, str, str]] = []
    done: set[str] = set()
    for name in sorted(names):
        key = name_key(name)
        if key in done:
            continue
        done.add(key)
        rows = conn.execute(sa.text("""
            SELECT o.id, o.name, (SELECT count(DISTINCT article_id) FROM mention WHERE organization_id = o.id) AS n
            FROM organization o WHERE o.name = ANY(:forms) ORDER BY o.id"""),
            {"forms": bracket_forms(name)}).all()
        if len(rows) < 2:
            continue
        # the oldest row stays (the mentions already pointing at it do not move) and is named by the
        # form printed in most articles
        best_name = min(rows, key=lambda r: (-r[2], r[1]))[1]
        kept_id, kept_name, kept_n = rows[0]
        for gone_id, gone_name, gone_n in rows[1:]:
            how = ("differs only in the width of its brackets"
                   if gone_name.translate(str.maketrans("()", "（）")) == kept_name.translate(str.maketrans("()", "（）"))
                   else "names the same bracketed pair in the other order")
            evidence = f"{gone_name} {how} from {kept_name} ({gone_n} and {kept_n} articles)"
            _merge_organization(conn, kept_id, gone_id, evidence)
            merged.append((kept_name, gone_name, evidence))
        if best_name != kept_name:
            conn.execute(sa.text("""
                UPDATE organization SET name = :new,
                    variants = array_append(array_remove(variants, :new), :old),
                    variant_evidence = (variant_evidence - :new)
                        || jsonb_build_object(:old, coalesce(variant_evidence ->> :new, :old || ' and ' || :new
                                                             || ' differ only in their brackets'))
                WHERE id = :id"""), {"id": kept_id, "old": kept_name, "new": best_name})
    return merged


def _merge_organization(conn: Connection, kept: int, gone: int, evidence: str) -> None:
    params = {"kept": kept, "gone": gone, "evidence": evidence}
    conn.execute(sa.text("UPDATE mention SET organization_id = :kept WHERE organization_id = :gone"), params)
    conn.execute(sa.text("UPDATE post SET organization_id = :kept WHERE organization_id = :gone"), params)
    conn.execute(sa.text("""
        UPDATE organization k SET
            variants = ARRAY(SELECT DISTINCT unnest(k.variants || g.name || g.variants)),
            variant_evidence = k.variant_evidence || g.variant_evidence
                               || jsonb_build_object(g.name, CAST(:evidence AS text))
        FROM organization g WHERE k.id = :kept AND g.id = :gone"""), params)
    conn.execute(sa.text("DELETE FROM organization WHERE id = :gone"), params)


def link_relative_organizations(conn: Connection, ids: DivisionIds, articles: Sequence[int] | None) -> int:
    """县委 on a 温县 page is 温县县委: organization mentions whose name opens with 省/市/县/区 standing
    for the page's division are linked to that division's organization (made when missing).
    Returns how many mentions were linked."""
    regions = article_regions(conn, ids, articles)
    where, params = _scoped(articles)
    rows = conn.execute(sa.text(f"""
        SELECT m.id, m.article_id, m.surface, m.organization_id FROM mention m
        JOIN organization o ON o.id = m.organization_id
        WHERE o.name = m.surface AND m.surface ~ '^[省市县区]'{where}"""), params).all()
    moves: dict[str, list[tuple[int, int]]] = defaultdict(list)  # full name -> (mention, short row)
    for mention_id, article_id, surface, org_id in rows:
        level = gazetteer.relative_level(surface)
        if level is None:
            continue
        context = regions.get(article_id, [])
        page_region = context[0] if context else None
        paper_region = context[-1] if context else None
        division = gazetteer.region_for(level, page_region, paper_region)
        if division is None:
            continue
        moves[gazetteer.expand_relative(surface, division) + "\0" + division.name].append((mention_id, org_id))
    if not moves:
        return 0
    fulls = sorted({k.split("\0")[0] for k in moves})
    conn.execute(sa.text("INSERT INTO organization (name) SELECT unnest(CAST(:n AS text[])) ON CONFLICT (name) DO NOTHING"),
                 {"n": fulls})
    org_ids = dict(conn.execute(sa.text("SELECT name, id FROM organization WHERE name = ANY(:n)"), {"n": fulls}).all())
    linked = 0
    short_rows: set[int] = set()
    for k, items in sorted(moves.items()):
        full, division_name = k.split("\0")
        target = org_ids[full]
        conn.execute(sa.text("UPDATE mention SET organization_id = :t WHERE id = ANY(:ids)"),
                     {"t": target, "ids": [m for m, _ in items]})
        linked += len(items)
        short_rows |= {o for _, o in items}
        surfaces = Counter(conn.execute(sa.text("SELECT surface FROM mention WHERE id = ANY(:ids)"),
                                        {"ids": [m for m, _ in items]}).scalars())
        for surface in sorted(surfaces):
            n = conn.scalar(sa.text("SELECT count(DISTINCT article_id) FROM mention WHERE organization_id = :t AND surface = :s"),
                            {"t": target, "s": surface})
            why = f"{surface} written on pages about {division_name} ({n} article{'s' if n > 1 else ''})"
            conn.execute(sa.text("""
                UPDATE organization SET variants = ARRAY(SELECT DISTINCT unnest(variants || CAST(:s AS text))),
                    variant_evidence = jsonb_build_object(CAST(:s AS text), CAST(:why AS text)) || variant_evidence
                WHERE id = :t AND NOT variant_evidence ? :s"""), {"t": target, "s": surface, "why": why})
    conn.execute(sa.text("""DELETE FROM organization o WHERE o.id = ANY(:ids)
                            AND NOT EXISTS (SELECT 1 FROM mention m WHERE m.organization_id = o.id)
                            AND NOT EXISTS (SELECT 1 FROM post p WHERE p.organization_id = o.id)"""),
                 {"ids": sorted(short_rows)})
    return linked


def resolve_places_and_organizations(conn: Connection, articles: Sequence[int] | None) -> dict[int, list[Division]]:
    """The gazetteer pass after a load (``articles``: those written or recomputed; None: all)."""
    lock(conn, "newsetl:resolve:gazetteer")
    ids = DivisionIds(conn)
    link_regions(conn, ids, articles)
    named = link_places(conn, ids, articles)
    merge_bracket_variants(conn, articles)
    link_relative_organizations(conn, ids, articles)
    return named
