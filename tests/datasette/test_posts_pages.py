"""Row pages of issue 15: a person's posts as a timeline, an organization's officials, a place's division."""

from __future__ import annotations

import pytest

from .conftest import get

pytestmark = pytest.mark.db


def _id(sqlite_db, table: str, name: str) -> int:
    return sqlite_db.execute(f"SELECT id FROM [{table}] WHERE name = ?", (name,)).fetchone()[0]


def test_a_persons_page_shows_posts_as_a_timeline(ds, sqlite_db):
    html = get(ds, f"/newsetl/person/{_id(sqlite_db, 'person', '吕沛')}").text
    assert "任职 Posts" in html and "newsetl-timeline" in html
    assert "高新区（示范区）党工委书记" in html and "示范区（高新区）党工委书记</a>" not in html
    assert "/newsetl/post_holders?post=" in html


def test_an_organizations_page_lists_its_officials(ds, sqlite_db):
    html = get(ds, f"/newsetl/organization/{_id(sqlite_db, 'organization', '高新区（示范区）党工委')}").text
    assert "历任人员 Officials over time" in html and "吕沛" in html


def test_a_places_page_names_its_division(ds, sqlite_db):
    html = get(ds, f"/newsetl/place/{_id(sqlite_db, 'place', '焦作')}").text
    assert "行政区划 Division" in html and "焦作市" in html and "410800" in html
    html = get(ds, f"/newsetl/place/{_id(sqlite_db, 'place', '赵堡镇')}").text
    assert "位于 Lies in" in html and "温县" in html
