"""Render a ParsedDocument in the evaluation format of ../shared/eval/README.md."""

from __future__ import annotations

import re
from typing import Any

from etl.parse.records import Item, ParsedDocument

_WS = re.compile(r"\s+")


def to_eval_dict(doc: ParsedDocument) -> dict[str, Any]:
    """One JSON-ready object per file: pages in file order, items in body order."""
    return {
        "source": doc.source,
        "encoding": doc.encoding,
        "date": doc.date.isoformat() if doc.date else None,
        "date_from_text": doc.date_from_text,
        "pages": [
            {
                "page_label": p.page_label,
                "section": p.section,
                "date": p.date.isoformat() if p.date else None,
                "weekday": p.weekday,
                "editor": p.editor,
                "proofreader": p.proofreader,
                "layout_editor": p.layout_editor,
                "hotline": p.hotline,
                "newspaper": p.newspaper,
                "first_line": p.line,
            }
            for p in doc.pages
        ],
        "sections": [b.text for b in doc.banners],
        "items": [
            {
                "seq": it.seq,
                "kind": it.kind,
                "section": it.section,
                "headline": it.headline,
                "kicker": it.kicker,
                "subheadline": it.subheadline,
                "dateline": it.dateline,
                "byline": it.byline,
                "event_date": it.event_date.isoformat() if it.event_date else None,
                "authors": [{"name": c.name, "role": c.role} for c in it.credits],
                "body": _eval_body(it),
                "persons": it.persons,
                "organizations": it.organizations,
                "places": it.places,
                "span": {"start": it.start, "end": it.end,
                         "line_start": it.line_start, "line_end": it.line_end},
                "cut": it.reason or None,
                "warnings": [{"code": w.code, "line": w.line, "message": w.message} for w in it.warnings],
            }
            for it in doc.items
        ],
        "warnings": list(doc.warnings),
        "profile": doc.profile,
    }


def _eval_body(it: Item) -> str:
    """The body as the evaluation format wants it. A dateline followed by a byline printed without
    parentheses ("本报讯 记者 周明轩 近日，…") is given in ``dateline`` and left out here, so the body
    opens with the byline and then the text, a lead the kit's rules allow whether a key's body
    starts before the byline or after it. Every other body is the item's as parsed."""
    body, byline, dateline = it.body, it.byline, it.dateline
    if not (dateline and byline) or byline[:1] in "（(" or "报道" in byline:
        return body
    at = body.find(byline, 0, len(dateline) + 8 + len(byline))  # right after the dateline
    if at > 0 and _WS.sub("", body[:at]) == _WS.sub("", dateline):
        return body[at:]
    return body
