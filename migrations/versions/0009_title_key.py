"""mention.title_key: one key for the printings of one title; person_title groups by it

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04 15:00:00

A title is printed with half- or full-width brackets and, for a zone with two names, with
the bracketed pair in either order (市政协副主席、高新区（示范区）党工委书记 and
市政协副主席、示范区(高新区)党工委书记 are the same two posts). ``newsetl_title_key``
writes every such printing one way; ``mention.title_key`` is a generated column holding it,
so every writer of mentions gets it without code of its own and old rows are filled now.
``person_title`` has one row per person and key: the form printed last, and how many forms.
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Each part of a title chain (split at 、) with one bracketed pair, "A（B）rest", is written with
# the pair in code point order; brackets full width. Pure, hence IMMUTABLE (a generated column
# needs that).
TITLE_KEY_FUNCTION = r"""
CREATE FUNCTION newsetl_title_key(title text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT string_agg(CASE WHEN m IS NOT NULL AND m[1] COLLATE "C" > m[2] COLLATE "C"
                           THEN m[2] || '（' || m[1] || '）' || m[3] ELSE part END, '、' ORDER BY n)
    FROM (SELECT part, n, regexp_match(part, '^([^（）]+)（([^（）]+)）(.*)$') AS m
          FROM regexp_split_to_table(translate(title, '()', '（）'), '、') WITH ORDINALITY AS parts(part, n)) AS x
$$
"""

PERSON_TITLE_VIEW = """
CREATE VIEW person_title AS
SELECT p.id AS person_id,
       p.name AS person,
       (array_agg(translate(m.title, '()', '（）')
                  ORDER BY coalesce(i.issue_date, a.event_date) DESC NULLS LAST, m.id DESC))[1] AS title,
       min(coalesce(i.issue_date, a.event_date)) AS first_seen,
       max(coalesce(i.issue_date, a.event_date)) AS last_seen,
       count(DISTINCT a.id) AS articles,
       count(DISTINCT translate(m.title, '()', '（）')) AS printed_forms
FROM mention m
JOIN person p ON p.id = m.person_id
JOIN article a ON a.id = m.article_id
JOIN page pg ON pg.id = a.page_id
JOIN issue i ON i.id = pg.issue_id
WHERE m.title IS NOT NULL
GROUP BY p.id, p.name, m.title_key
"""

# 0008's view
OLD_PERSON_TITLE_VIEW = """
CREATE VIEW person_title AS
SELECT p.id AS person_id,
       p.name AS person,
       translate(m.title, '()', '（）') AS title,
       min(coalesce(i.issue_date, a.event_date)) AS first_seen,
       max(coalesce(i.issue_date, a.event_date)) AS last_seen,
       count(DISTINCT a.id) AS articles
FROM mention m
JOIN person p ON p.id = m.person_id
JOIN article a ON a.id = m.article_id
JOIN page pg ON pg.id = a.page_id
JOIN issue i ON i.id = pg.issue_id
WHERE m.title IS NOT NULL
GROUP BY p.id, p.name, translate(m.title, '()', '（）')
"""


def upgrade() -> None:
    op.execute(TITLE_KEY_FUNCTION)
    op.add_column('mention', sa.Column('title_key', sa.Text(), sa.Computed('newsetl_title_key(title)', persisted=True),
                                       nullable=True))
    op.execute("DROP VIEW person_title")
    op.execute(PERSON_TITLE_VIEW)


def downgrade() -> None:
    op.execute("DROP VIEW person_title")
    op.execute(OLD_PERSON_TITLE_VIEW)
    op.drop_column('mention', 'title_key')
    op.execute("DROP FUNCTION newsetl_title_key(text)")
