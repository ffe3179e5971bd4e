"""Posts as data: the titles printed before names, cut into posts, one row per real post.

"市政协副主席、温县县委书记杨磊" gives 杨磊 two posts, 焦作市政协副主席 and 温县县委书记.
A post is one row however its brackets are printed (高新区(示范区)党工委书记,
高新区（示范区）党工委书记 and 示范区（高新区）党工委书记 are one post), and a post
printed relative to the page (县委书记 on a 温县 page, 副市长 in 焦作日报, 该市市委副书记 in
an article about 孟州市) is the division's post, when that is unambiguous (etl/gazetteer.py).
``mention_post`` links each titled mention to its posts; the view ``person_post`` says who
held which post, first and last seen, in how many articles.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from etl import gazetteer
from etl.gazetteer import Division
from etl.parse.titles import PostPart, name_key, normalize_brackets, split_posts, without_brackets

from .locks import lock
from .places import DivisionIds, article_regions, bracket_forms


def _division_of(part: PostPart, earlier: list[Division | None], context: list[Division],
                 named: list[Division]) -> Division | None:
    """The division a post belongs to, or None when the title does not say (or is ambiguous)."""
    if part.level and part.level.startswith("该"):  # 该市: the one city (county…) the article names
        char = part.level[1]
        here = {d for d in named if d.name.endswith(char)}
        if len(here) == 1:
            return next(iter(here))
        page = context[0] if context else None
        return page if page is not None and page.name.endswith(char) else None
    if part.level:
        # 孟州市委常委、市委办公室主任: the chain said which 市 already
        for d in reversed(earlier):
            if d is not None and d.name.endswith(part.level):
                return d
        page_region = context[0] if context else None
        paper_region = context[-1] if context else None
        return gazetteer.region_for(part.level, page_region, paper_region)
    return gazetteer.prefix_division(part.organization or "", context)


def _full_form(part: PostPart, division: Division | None) -> tuple[str, str | None]:
    """The post and its organization named in full: 县委书记 on a 温县 page -> 温县县委书记, 温县县委."""
    if division is None or not part.level:
        return part.printed, part.organization
    if part.level.startswith("该"):
        org = part.organization[2:] if part.organization else None  # 该市市委 -> 市委
        printed = part.printed[2:]
        if org and gazetteer.relative_level(org):
            org = gazetteer.expand_relative(org, division)
            return org + part.role, org
        return division.name + printed, (division.name + org) if org else None
    if part.organization:
        org = gazetteer.expand_relative(part.organization, division)
        return org + part.role, org
    return division.name + part.role, None  # 副市长 -> 焦作市副市长


def record_posts(conn: Connection, named: dict[int, list[Division]], articles: Sequence[int] | None) -> int:
    """Cut the titles of the person mentions in ``articles`` (None: all) into posts; returns the
    number of mention_post rows written. ``named``: the divisions each article names (places pass)."""
    lock(conn, "newsetl:resolve:posts")
    ids = DivisionIds(conn)
    regions = article_regions(conn, ids, articles)
    where, params = ("", {}) if articles is None else (" AND m.article_id = ANY(:a)", {"a": list(articles)})
    rows = conn.execute(sa.text(f"""SELECT m.id, m.article_id, m.title FROM mention m
                                    WHERE m.person_id IS NOT NULL AND m.title IS NOT NULL{where}"""), params).all()
    # what is there now, so rows that stay the same keep their ids (a publish then re-copies nothing)
    existing = {(m, seq): (row_id, post_id, printed) for row_id, m, seq, post_id, printed in conn.execute(sa.text(
        f"""SELECT mp.id, mp.mention_id, mp.seq, mp.post_id, mp.printed FROM mention_post mp
            JOIN mention m ON m.id = mp.mention_id WHERE true{where}"""), params)}
    wanted: dict[str, dict] = {}
    links: list[tuple[int, int, str, str]] = []  # mention, seq, printed, key
    for mention_id, article_id, title in rows:
        context = regions.get(article_id, [])
        earlier: list[Division | None] = []
        for seq, part in enumerate(split_posts(title)):
            division = _division_of(part, earlier, context, named.get(article_id, []))
            earlier.append(division)
            full, org = _full_form(part, division)
            key = name_key(full)
            wanted.setdefault(key, {"name": normalize_brackets(full), "role": part.role,
                                    "org": normalize_brackets(org) if org else None,
                                    "division": ids.id(division)})
            links.append((mention_id, seq, part.printed, key))
    if not links:
        _delete_rows(conn, [v[0] for v in existing.values()])
        _drop_unused(conn)
        return 0
    keys = sorted(wanted)
    conn.execute(sa.text("""
        INSERT INTO post (key, name, role, organization_name, division_id)
        SELECT * FROM unnest(CAST(:k AS text[]), CAST(:n AS text[]), CAST(:r AS text[]), CAST(:o AS text[]),
                             CAST(:d AS int[]))
        ON CONFLICT (key) DO NOTHING"""),
        {"k": keys, "n": [wanted[k]["name"] for k in keys], "r": [wanted[k]["role"] for k in keys],
         "o": [wanted[k]["org"] for k in keys], "d": [wanted[k]["division"] for k in keys]})
    post_ids = dict(conn.execute(sa.text("SELECT key, id FROM post WHERE key = ANY(:k)"), {"k": keys}).all())
    desired = {(m, seq): (post_ids[key], normalize_brackets(printed)) for m, seq, printed, key in links}
    _delete_rows(conn, [v[0] for k, v in existing.items() if desired.get(k) != v[1:]])
    links = [l for l in links if existing.get((l[0], l[1]), (None,))[1:] != desired[(l[0], l[1])]]
    conn.execute(sa.text("""
        INSERT INTO mention_post (mention_id, seq, printed, post_id)
        SELECT * FROM unnest(CAST(:m AS bigint[]), CAST(:s AS int[]), CAST(:p AS text[]), CAST(:i AS int[]))
        ON CONFLICT DO NOTHING"""),
        {"m": [l[0] for l in links], "s": [l[1] for l in links], "p": [normalize_brackets(l[2]) for l in links],
         "i": [post_ids[l[3]] for l in links]})
    _name_posts(conn, sorted(post_ids.values()))
    _drop_unused(conn)
    return len(links)


def _delete_rows(conn: Connection, ids: list[int]) -> None:
    if ids:
        conn.execute(sa.text("DELETE FROM mention_post WHERE id = ANY(:ids)"), {"ids": sorted(ids)})


def _name_posts(conn: Connection, posts: list[int]) -> None:
    """Each post named by the form printed in most mentions (a form printed in full, not 县委书记),
    with the other forms and the forms without the bracketed part as variants; linked to the
    organization row of that name, when there is one."""
    rows = conn.execute(sa.text("""
        SELECT p.id, p.key, p.name, p.organization_name, mp.printed, count(*)
        FROM post p LEFT JOIN mention_post mp ON mp.post_id = p.id WHERE p.id = ANY(:ids)
        GROUP BY p.id, p.key, p.name, p.organization_name, mp.printed"""), {"ids": posts}).all()
    by_post: dict[int, dict] = {}
    for post_id, key, name, org, printed, n in rows:
        entry = by_post.setdefault(post_id, {"key": key, "name": name, "org": org, "forms": Counter()})
        if printed:
            entry["forms"][printed] += n
    updates = []
    for post_id, e in by_post.items():
        full = [(n, f) for f, n in e["forms"].items() if name_key(f) == e["key"]]
        name = min(full, key=lambda x: (-x[0], x[1]))[1] if full else e["name"]
        forms = set(e["forms"]) | {name, e["name"]}
        variants = sorted(({*forms, *(without_brackets(f) for f in forms)} - {name}))
        org_id = None
        if e["org"]:
            found = conn.execute(sa.text("""SELECT id FROM organization WHERE name = ANY(:f)
                                            OR variants && CAST(:f AS text[]) ORDER BY name = ANY(:f) DESC, id"""),
                                 {"f": bracket_forms(e["org"])}).scalars().all()
            org_id = found[0] if found else None
        updates.append({"id": post_id, "name": name, "variants": variants, "org": org_id})
    if updates:
        conn.execute(sa.text("UPDATE post SET name = :name, variants = :variants, organization_id = :org WHERE id = :id"),
                     updates)


def _drop_unused(conn: Connection) -> None:
    conn.execute(sa.text("DELETE FROM post p WHERE NOT EXISTS (SELECT 1 FROM mention_post mp WHERE mp.post_id = p.id)"))


def relink_post_organizations(conn: Connection) -> None:
    """Posts whose organization row appeared (or was merged) since: link them again."""
    _name_posts(conn, conn.execute(sa.text("SELECT id FROM post WHERE organization_id IS NULL "
                                           "AND organization_name IS NOT NULL")).scalars().all())

