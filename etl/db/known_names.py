"""The known-names pass: persons the parser found anywhere, recognized in every loaded article.

A reporter credited in one issue, or an official named with a title on one
page, is often named bare elsewhere ("吕沛强调…"), where no rule fires. After
each load (and purge) this pass marks those mentions, ``found_by = 'corpus'``,
role ``mentioned``, linked to the same person row (``etl/parse/known_names.py``
decides, with jieba's user dictionary grown with the corpus's names).

The result is a function of the database's parsed mentions alone: an article's
corpus mentions are always recomputed whole from its text, its own parsed
mentions and the current set of names, so loading files in any order, or
purging a file and loading it again, gives the same rows. Only the articles
that can have changed are recomputed:

- articles of files loaded by a run that has not finished (this one, or one
  that died before its pass: nothing is lost by a kill);
- articles holding a corpus mention of a name no longer found anywhere;
- articles of earlier loads that contain a name new to the corpus (found with a
  PostgreSQL regular expression, so untouched text never leaves the server).
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import Connection

from etl.parse.known_names import find_known_names
from etl.parse.lexicon import NOT_PERSON

from .bulk import copy_rows
from .locks import lock

_LOCK = "newsetl:known-names"
_CHUNK = 500
# Files loaded by a run that has not finished: this one, a concurrent one, or one that died.
_FRESH_FILES = """SELECT id FROM source_file WHERE last_load_run_id IS NULL
                  OR last_load_run_id IN (SELECT id FROM load_run WHERE finished_at IS NULL)"""
_COLUMNS = ("article_id", "person_id", "role", "surface", "title", "field", "start_offset", "end_offset", "found_by")


def link_known_names(conn: Connection, *, only_if_fresh: bool = False) -> set[int]:
    """Recompute the corpus mentions of every article that may have changed; those articles' ids.

    The articles of files still waiting for their pass are always among them, so
    the set is also what resolution must look at again (``resolve_entities``).
    ``only_if_fresh``: do nothing unless some file is still waiting for its pass
    (its run died, or is running); a run that changed nothing uses it.
    """
    if only_if_fresh and not conn.scalar(sa.text(f"SELECT EXISTS ({_FRESH_FILES})")):
        return set()
    lock(conn, _LOCK)
    fresh_files = conn.execute(sa.text(_FRESH_FILES)).scalars().all()
    fresh_articles = conn.execute(sa.text(
        "SELECT a.id FROM article a JOIN page p ON p.id = a.page_id WHERE p.source_file_id = ANY(:f)"),
        {"f": fresh_files}).scalars().all()
    # Every name, its person, and whether it is found outside the fresh files: such a name was
    # matched against every article by an earlier pass; only the others need a look at the rest.
    person_of, old_names = {}, set()
    for surface, person_id, found_before in conn.execute(sa.text(
            """SELECT surface, min(person_id), bool_or(NOT (article_id = ANY(:fa))) FROM mention
               WHERE found_by = 'parse' AND person_id IS NOT NULL AND char_length(surface) >= 2
               GROUP BY surface"""), {"fa": fresh_articles}):
        if surface not in NOT_PERSON:
            person_of[surface] = person_id
            if found_before:
                old_names.add(surface)
    names = frozenset(person_of)

    targets = set(fresh_articles)
    targets |= set(conn.execute(sa.text(
        "SELECT DISTINCT article_id FROM mention WHERE found_by = 'corpus' AND NOT (surface = ANY(:n))"),
        {"n": list(names)}).scalars())
    new_names = sorted(names - old_names, key=len, reverse=True)
    if new_names:
        pattern = "|".join(new_names)  # names are CJK characters and letters: nothing to escape
        if all(ch.isalnum() or ch in "·•" for n in new_names for ch in n):
            targets |= set(conn.execute(sa.text(
                """SELECT a.id FROM article a JOIN page p ON p.id = a.page_id
                   WHERE NOT (p.source_file_id = ANY(:f)) AND a.kind <> 'other'
                     AND (a.body ~ :p OR coalesce(a.headline, '') ~ :p)"""),
                {"f": fresh_files, "p": pattern}).scalars())
        else:  # pragma: no cover - a name with punctuation: look at every earlier article
            targets |= set(conn.execute(sa.text("SELECT id FROM article")).scalars())
    if not targets:
        return set()

    ordered = sorted(targets)
    for i in range(0, len(ordered), _CHUNK):
        ids = ordered[i:i + _CHUNK]
        conn.execute(sa.text("DELETE FROM mention WHERE found_by = 'corpus' AND article_id = ANY(:ids)"), {"ids": ids})
        taken: dict[tuple[int, str], list[tuple[int, int]]] = {}
        for aid, field, a, b in conn.execute(sa.text(
                "SELECT article_id, field, start_offset, end_offset FROM mention WHERE article_id = ANY(:ids)"),
                {"ids": ids}):
            taken.setdefault((aid, field), []).append((a, b))
        rows = []
        for aid, kind, headline, body in conn.execute(sa.text(
                "SELECT id, kind, headline, body FROM article WHERE id = ANY(:ids) ORDER BY id"), {"ids": ids}):
            if kind == "other":  # decorative text and column labels: the parser reads no names there
                continue
            for field, text in (("headline", headline), ("body", body)):
                for m in find_known_names(text or "", names, field, taken.get((aid, field), ())):
                    rows.append((aid, person_of[m.surface], "mentioned", m.surface, m.title, field,
                                 m.start, m.end, "corpus"))
        if rows:
            copy_rows(conn, "mention", _COLUMNS, rows)
    return targets
