"""Every mention the entity stage finds, written to a JSON file, to check that a speed change keeps them.

    .venv/bin/python tools/entity_snapshot.py before.json        # on the old code
    .venv/bin/python tools/entity_snapshot.py after.json          # on the new code
    .venv/bin/python tools/entity_snapshot.py --compare before.json after.json

The texts: the seeds, every third file of the 10× benchmark corpus, and 400 documents of five
People's Daily dev sentences each, read both as newspaper pages and as free text (``newsetl ner``).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def snapshot() -> dict:
    from etl.bench import DEFAULT_SEEDS, seed_pages, synthetic_file
    from etl.parse import parse_bytes
    from etl.parse.entities import attach_entities
    from etl.parse.records import Item
    from etl.scoring import read_bio

    def mentions(items):
        return [[it.seq, [(m.kind, m.surface, m.field, m.start, m.end, m.title, m.role) for m in it.mentions]]
                for it in items]

    out = {}
    for p in sorted(DEFAULT_SEEDS.glob("*.txt")):
        out["seed/" + p.name] = mentions(parse_bytes(p.read_bytes(), p.name).items)
    pages = seed_pages(DEFAULT_SEEDS)
    for k in range(0, 10 * len(pages), 3):
        out[f"bench/{k}"] = mentions(parse_bytes(synthetic_file(pages, k).encode(), f"b{k}.txt").items)
    sentences = read_bio(REPO / "tests" / "data" / "eval" / "ner" / "peoples_daily.dev.bio")
    for d in range(400):
        items = tuple(Item(seq=i + 1, kind="article", page_index=None, section=None, headline=None, kicker=None,
                           subheadline=None, dateline=None, byline=None, event_date=None, body=s, start=0,
                           end=len(s), line_start=1, line_end=1)
                      for i, (s, _) in enumerate(sentences[d * 5:(d + 1) * 5]))
        for genre in ("newspaper", "free"):
            out[f"pd/{genre}/{d}"] = mentions(attach_entities(items, genre=genre))
    return out


def main(argv: list[str]) -> int:
    if argv[:1] == ["--compare"] and len(argv) == 3:
        a, b = (json.loads(Path(x).read_text(encoding="utf-8")) for x in argv[1:])
        changed = sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))
        for k in changed[:20]:
            print("changed:", k)
        print(f"{len(changed)} of {len(a)} documents differ")
        return 1 if changed else 0
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    out = snapshot()
    Path(argv[0]).write_text(json.dumps(out, ensure_ascii=False), encoding="utf-8")
    print(f"{len(out)} documents, {sum(len(ms) for v in out.values() for _, ms in v)} mentions")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
