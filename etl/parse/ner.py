"""Entity recognition on free text (one document per call), for ``newsetl ner``.

Runs the same recognizer the parse pipeline uses on an item's body, and
returns every mention's surface in order, once per mention.
"""

from __future__ import annotations

from etl.parse.entities import attach_entities
from etl.parse.records import Item

KIND_KEYS = {"person": "persons", "organization": "organizations", "place": "places"}


def recognize(text: str) -> dict[str, list[str]]:
    """{"persons": [...], "organizations": [...], "places": [...]} for one document."""
    item = Item(seq=1, kind="article", page_index=None, section=None, headline=None, kicker=None,
                subheadline=None, dateline=None, byline=None, event_date=None, body=text,
                start=0, end=len(text), line_start=1, line_end=1)
    (found,) = attach_entities((item,), genre="free")
    out: dict[str, list[str]] = {key: [] for key in KIND_KEYS.values()}
    for mention in sorted(found.mentions, key=lambda m: m.start):
        if mention.field == "body" and mention.role == "mentioned":
            out[KIND_KEYS[mention.kind]].append(mention.surface)
    return out
