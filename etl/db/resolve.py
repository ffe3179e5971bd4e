"""Entity resolution across loaded issues: one person row per real person.

Exported text is full of OCR and typing slips: the same official appears as
官卫红 in one file and 宫卫红 in another. Two spellings are merged only on
strong evidence, and the evidence is stored with the variant:

- the same length (3 characters or more), differing in exactly one character;
- the same post printed before both names (the last part of the title chain,
  at least 4 characters, e.g. 管委会主任);
- never named in the same article: two people listed side by side (赵俊峰 and
  赵俊生 at one meeting) are different people, whatever their titles.

The spelling more articles print names the row (re-checked after every load,
so the order files arrive in does not matter); the other spelling is listed in
``person.variants`` with its evidence in ``person.variant_evidence``, and its
mentions and page credits move to the kept row (their surface stays as printed).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from .locks import lock

MIN_NAME = 3
MIN_POST = 4
_PAREN = re.compile(r"[（(][^）)]*[）)]")


@dataclass(frozen=True)
class Merge:
    kept: str
    merged: str
    evidence: str
    kind: str = "person"


def post_of(title: str) -> str:
    """The post a title chain ends with: 高新区（示范区）党工委副书记、管委会主任 -> 管委会主任."""
    return _PAREN.sub("", title).replace("，", "、").split("、")[-1].strip()


def _one_apart(a: str, b: str) -> int | None:
    """The position where two same-length names differ, if they differ in exactly one."""
    if len(a) != len(b):
        return None
    diff = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
    return diff[0] if len(diff) == 1 else None


def _masked(name: str) -> list[str]:
    """The name with each character in turn masked: two names one character apart share one."""
    return [f"{name[:i]}\0{name[i + 1:]}" for i in range(len(name))]


def _variant_candidates(conn: Connection, articles: Sequence[int]) -> list[int]:
    """Persons a pass over ``articles`` must look at: every pair one character apart of which one
    is named in the articles or absorbed a variant (its posts and articles grew). A person with
    no name one character away from another's is in no pair, however often it is named."""
    touched = set(conn.execute(sa.text(
        "SELECT DISTINCT person_id FROM mention WHERE article_id = ANY(:a) AND person_id IS NOT NULL"),
        {"a": list(articles)}).scalars())
    touched |= set(conn.execute(sa.text("SELECT id FROM person WHERE variant_evidence <> '{}'::jsonb")).scalars())
    buckets: dict[str, list[int]] = defaultdict(list)
    for pid, name in conn.execute(sa.text("SELECT id, name FROM person WHERE char_length(name) >= :n"),
                                  {"n": MIN_NAME}):
        for key in _masked(name):
            buckets[key].append(pid)
    return sorted({pid for group in buckets.values() if len(group) > 1 and not touched.isdisjoint(group)
                   for pid in group})


def resolve_person_variants(conn: Connection, articles: Sequence[int] | None = None) -> list[Merge]:
    """Find and merge spelling variants; returns what was merged. Run inside a transaction.

    ``articles``: only pairs that can have changed since the last pass, because one of the
    two is named in these articles (those written since) or absorbed a variant, are looked
    at; None looks at every person (the same result after loads, whatever their order).
    """
    lock(conn, "newsetl:resolve")
    query = """
        SELECT p.id, p.name, m.article_id, m.title
        FROM person p JOIN mention m ON m.person_id = p.id
        WHERE char_length(p.name) >= :min_name"""
    params: dict = {"min_name": MIN_NAME}
    if articles is not None:
        query += " AND p.id = ANY(:ids)"
        params["ids"] = _variant_candidates(conn, articles)
    rows = conn.execute(sa.text(query + " ORDER BY p.id, m.article_id"), params).all()
    names: dict[int, str] = {}
    named_in: dict[int, set[int]] = defaultdict(set)
    posts: dict[int, set[str]] = defaultdict(set)
    for person_id, name, article_id, title in rows:
        names[person_id] = name
        named_in[person_id].add(article_id)
        if title and len(post := post_of(title)) >= MIN_POST:
            posts[person_id].add(post)

    buckets: dict[str, list[int]] = defaultdict(list)  # name with one character masked -> persons
    for person_id, name in names.items():
        if posts[person_id]:
            for key in _masked(name):
                buckets[key].append(person_id)

    merges: list[Merge] = []
    merged_away: set[int] = set()
    for group in buckets.values():
        for i, a in enumerate(group):
            for b in group[i + 1:]:
                if a in merged_away or b in merged_away:
                    continue
                shared = posts[a] & posts[b]
                if not shared or named_in[a] & named_in[b] or _one_apart(names[a], names[b]) is None:
                    continue
                kept, gone = sorted((a, b), key=lambda p: (-len(named_in[p]), names[p]))
                pos = _one_apart(names[kept], names[gone])
                evidence = (f"{names[gone]} differs from {names[kept]} in one character "
                            f"({names[gone][pos]}/{names[kept][pos]}); both titled {sorted(shared)[0]} "
                            f"({len(named_in[gone])} and {len(named_in[kept])} articles); "
                            f"never named in the same article")
                _merge(conn, kept, gone, evidence)
                merged_away.add(gone)
                named_in[kept] |= named_in.pop(gone)
                merges.append(Merge(names[kept], names[gone], evidence))
    _most_used_spelling_wins(conn)
    return merges


def _most_used_spelling_wins(conn: Connection) -> None:
    """A merged person is named by the spelling most articles print (ties: the first in code order).

    Which spelling was kept at merge time depends on what was loaded then; this
    makes the name a function of everything loaded, whatever the order.
    """
    swaps = conn.execute(sa.text("""
        WITH spelling AS (
            SELECT p.id, m.surface, count(DISTINCT m.article_id) AS n
            FROM person p JOIN mention m ON m.person_id = p.id
            WHERE p.variant_evidence <> '{}'::jsonb AND (m.surface = p.name OR p.variant_evidence ? m.surface)
            GROUP BY p.id, m.surface),
        best AS (SELECT DISTINCT ON (id) id, surface FROM spelling ORDER BY id, n DESC, surface)
        SELECT p.id, p.name, b.surface FROM person p JOIN best b ON b.id = p.id
        WHERE b.surface <> p.name AND NOT EXISTS (SELECT 1 FROM person o WHERE o.name = b.surface)""")).all()
    for person_id, old, new in swaps:
        conn.execute(sa.text("""
            UPDATE person SET name = :new,
                variants = array_append(array_remove(variants, :new), :old),
                variant_evidence = (variant_evidence - :new) || jsonb_build_object(:old, variant_evidence ->> :new)
            WHERE id = :id"""), {"id": person_id, "old": old, "new": new})


def _merge(conn: Connection, kept: int, gone: int, evidence: str) -> None:
    params = {"kept": kept, "gone": gone}
    conn.execute(sa.text("UPDATE mention SET person_id = :kept WHERE person_id = :gone"), params)
    conn.execute(sa.text("""DELETE FROM page_staff s WHERE s.person_id = :gone AND EXISTS (
        SELECT 1 FROM page_staff k WHERE k.person_id = :kept AND k.page_id = s.page_id AND k.role = s.role)"""), params)
    conn.execute(sa.text("UPDATE page_staff SET person_id = :kept WHERE person_id = :gone"), params)
    conn.execute(sa.text("""
        UPDATE person k SET
            variants = ARRAY(SELECT DISTINCT unnest(k.variants || g.name || g.variants)),
            variant_evidence = k.variant_evidence || g.variant_evidence || jsonb_build_object(g.name, CAST(:evidence AS text))
        FROM person g WHERE k.id = :kept AND g.id = :gone"""), {**params, "evidence": evidence})
    conn.execute(sa.text("DELETE FROM person WHERE id = :gone"), params)



# ---- organizations and places: short forms written beside the full name -------------

MIN_SHORT = 2


def resolve_abbreviations(conn: Connection, kind: str, articles: Sequence[int] | None = None) -> list[Merge]:
    """Link short forms of organization or place names to the full name the same article prints.

    "高新区" in an article that also names "焦作高新区" is that 高新区; where an
    article names two full forms ending in the short one (孟州市委 and 焦作市委
    beside 市委) it is ambiguous and left alone, and so is a short form in an
    article that names no full form. Full forms that end in one another
    (文昌社区卫生服务中心 in 高新区文昌社区卫生服务中心) count as one, the longest.
    The mention keeps its surface and points at the full form's row; the short
    form becomes one of its variants, with the evidence; a short-form row left
    with no mention is deleted. Run inside a transaction, after a load.

    ``articles``: only short forms in these articles are linked (a short form is
    read against its own article, so articles written earlier are settled); the
    evidence is always recounted over every article. None: every article.
    """
    assert kind in ("organization", "place")
    fk = f"{kind}_id"
    lock(conn, f"newsetl:resolve:{kind}")
    # every (short mention, full-form entity in the same article whose name ends with the surface)
    # scoped: start from those articles' mentions ("OFFSET 0" keeps the planner from starting at every
    # mention of the database and looking each one's article up)
    short = (f"(SELECT * FROM mention WHERE article_id = ANY(:articles) AND {fk} IS NOT NULL OFFSET 0)"
             if articles is not None else "mention")
    rows = conn.execute(sa.text(f"""
        SELECT DISTINCT ms.id, ms.{fk}, ms.surface, ms.article_id, l.id, l.name
        FROM {short} ms
        JOIN mention ml ON ml.article_id = ms.article_id AND ml.{fk} IS NOT NULL AND ml.{fk} <> ms.{fk}
        JOIN {kind} l ON l.id = ml.{fk}
        WHERE ms.{fk} IS NOT NULL AND char_length(ms.surface) >= :min_short
          AND char_length(l.name) > char_length(ms.surface) AND right(l.name, char_length(ms.surface)) = ms.surface
          AND ml.surface = l.name"""),
        {"min_short": MIN_SHORT} | ({"articles": list(articles)} if articles is not None else {})).all()
    candidates: dict[int, dict[int, str]] = defaultdict(dict)
    current: dict[int, tuple[int, str, int]] = {}
    for mention_id, short_id, surface, article_id, long_id, long_name in rows:
        candidates[mention_id][long_id] = long_name
        current[mention_id] = (short_id, surface, article_id)
    moves: dict[int, int] = {}  # mention -> full-form entity
    for mention_id, fulls in candidates.items():
        # full forms that end in a longer full form are the same name: keep the longest
        longest = {i: n for i, n in fulls.items() if not any(o != n and o.endswith(n) for o in fulls.values())}
        if len(longest) == 1:
            (long_id,) = longest
            if current[mention_id][0] != long_id:
                moves[mention_id] = long_id
    if moves:
        conn.execute(sa.text(f"UPDATE mention SET {fk} = :long_id WHERE id = :mention_id"),
                     [{"mention_id": m, "long_id": l} for m, l in sorted(moves.items())])
    touched = sorted({current[m][0] for m in moves})
    # variants and evidence from every mention now written short for a full form
    evidence = conn.execute(sa.text(f"""
        SELECT e.id, e.name, m.surface, count(DISTINCT m.article_id), e.variant_evidence ->> m.surface
        FROM mention m JOIN {kind} e ON e.id = m.{fk}
        WHERE m.surface <> e.name AND right(e.name, char_length(m.surface)) = m.surface
          AND EXISTS (SELECT 1 FROM mention f WHERE f.article_id = m.article_id AND f.{fk} = e.id
                      AND f.surface = e.name)
        GROUP BY e.id, e.name, m.surface ORDER BY e.id, m.surface""")).all()
    merges: list[Merge] = []
    for entity_id, name, surface, articles, before in evidence:
        why = f"{surface} written in {articles} article{'s' if articles > 1 else ''} that also name {name} in full"
        if why == before:
            continue  # known, and no new article since
        conn.execute(sa.text(f"""
            UPDATE {kind} SET variants = ARRAY(SELECT DISTINCT unnest(variants || CAST(:surface AS text))),
                              variant_evidence = variant_evidence || jsonb_build_object(CAST(:surface AS text),
                                                                                        CAST(:why AS text))
            WHERE id = :id"""), {"id": entity_id, "surface": surface, "why": why})
        merges.append(Merge(name, surface, why, kind))
    if touched:
        conn.execute(sa.text(f"""DELETE FROM {kind} e WHERE e.id = ANY(:ids)
                                 AND NOT EXISTS (SELECT 1 FROM mention m WHERE m.{fk} = e.id)"""), {"ids": touched})
    return merges


def resolve_entities(conn: Connection, articles: Sequence[int] | None = None) -> list[Merge]:
    """Everything resolution does after a load: person spelling variants, then short forms.

    ``articles``: the articles written (or whose mentions were recomputed) since the last
    pass; the pass then costs in proportion to them, not to the whole database. None: all.
    """
    from .places import resolve_places_and_organizations
    from .posts import record_posts, relink_post_organizations

    merges = resolve_person_variants(conn, articles)
    for kind in ("organization", "place"):
        merges += resolve_abbreviations(conn, kind, articles)
    # the gazetteer: places and regions linked to divisions, organization names normalized,
    # titles cut into posts (etl/db/places.py, etl/db/posts.py)
    named = resolve_places_and_organizations(conn, articles)
    record_posts(conn, named, articles)
    relink_post_organizations(conn)
    return merges
