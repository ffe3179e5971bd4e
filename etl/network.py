"""The co-mention network: people, organizations and places as nodes, the articles naming two of
them as the weight of the edge between them. Exported as CSV (edges, or nodes) and GraphML (for
Gephi, Cytoscape, networkx, igraph), from the CLI (``newsetl network``, read from PostgreSQL) and from
Datasette (``/-/network``, read from the published file).

Only names in the text count (role ``mentioned``): a reporter's byline would tie the reporter to
everyone they wrote about. National leaders (etl/data/national_leaders.txt, and anyone printed with
a national post) can be left out: a local paper names them in most reports of a meeting.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

KINDS = ("person", "organization", "place")
NATIONAL_LEADERS_FILE = Path(__file__).resolve().parent / "data" / "national_leaders.txt"
# A title printed before a name that makes its bearer a national leader.
NATIONAL_POST = re.compile(r"中共中央总书记|中央总书记|国家主席|国家副主席|国务院总理|国务院副总理|"
                           r"全国人大常委会委员长|全国政协主席|中央政治局常委|中共中央政治局常委|中央军委主席")


def read_name_list(path: Path) -> set[str]:
    """Names, one a line; blank lines and lines starting with # skipped."""
    names = set()
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            names.add(line)
    return names


def national_leaders() -> set[str]:
    return read_name_list(NATIONAL_LEADERS_FILE)


@dataclass(frozen=True)
class Mention:
    """One entity named in one article (the network is built from these)."""

    article_id: int
    kind: str  # person, organization or place
    entity_id: int
    name: str
    issue_date: str | None  # YYYY-MM-DD
    title: str | None = None  # printed before a person's name


@dataclass
class Node:
    id: str  # "person:12"
    kind: str
    name: str
    articles: int = 0
    first_date: str | None = None
    last_date: str | None = None


@dataclass
class Edge:
    source: str
    target: str
    weight: int = 0  # articles naming both
    first_date: str | None = None
    last_date: str | None = None


@dataclass
class Network:
    nodes: dict[str, Node] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)  # names left out as national leaders


def _span(first: str | None, last: str | None, date: str | None) -> tuple[str | None, str | None]:
    if date is None:
        return first, last
    return (date if first is None or date < first else first), (date if last is None or date > last else last)


def build_network(mentions: Iterable[Mention], *, start: str | None = None, end: str | None = None,
                  kinds: Iterable[str] = KINDS, leave_out: set[str] | None = None,
                  leave_out_national_posts: bool = False, min_weight: int = 1,
                  focus: str | None = None) -> Network:
    """The network of the mentions in articles dated from ``start`` to ``end`` (inclusive, YYYY-MM-DD;
    an undated article counts only when neither is given), of entities of ``kinds``, without the
    names in ``leave_out`` (and, with ``leave_out_national_posts``, anyone printed with a national
    post), keeping edges of at least ``min_weight`` articles; with ``focus``, only the edges of the
    entity of that name."""
    kinds = set(kinds)
    leave_out = set(leave_out or ())
    by_article: dict[int, dict[str, Mention]] = {}
    dates: dict[int, str | None] = {}
    post_holders: set[str] = set()
    for m in mentions:
        if m.kind not in kinds:
            continue
        if (start or end) and (m.issue_date is None or (start and m.issue_date < start)
                               or (end and m.issue_date > end)):
            continue
        if leave_out_national_posts and m.kind == "person" and m.title and NATIONAL_POST.search(m.title):
            post_holders.add(m.name)
        by_article.setdefault(m.article_id, {})[f"{m.kind}:{m.entity_id}"] = m
        dates[m.article_id] = m.issue_date
    excluded = {n for n in leave_out} | post_holders
    network = Network()
    edges: dict[tuple[str, str], Edge] = {}
    for article_id, named in by_article.items():
        date = dates[article_id]
        kept = sorted((k, m) for k, m in named.items() if not (m.kind == "person" and m.name in excluded))
        for key, m in kept:
            node = network.nodes.setdefault(key, Node(key, m.kind, m.name))
            node.articles += 1
            node.first_date, node.last_date = _span(node.first_date, node.last_date, date)
        for (a, _), (b, _) in combinations(kept, 2):
            edge = edges.setdefault((a, b), Edge(a, b))
            edge.weight += 1
            edge.first_date, edge.last_date = _span(edge.first_date, edge.last_date, date)
    network.left_out = sorted({m.name for named in by_article.values() for m in named.values()
                               if m.kind == "person" and m.name in excluded})
    chosen = [e for e in edges.values() if e.weight >= min_weight]
    if focus:
        focus_ids = {k for k, n in network.nodes.items() if n.name == focus}
        chosen = [e for e in chosen if e.source in focus_ids or e.target in focus_ids]
    network.edges = sorted(chosen, key=lambda e: (-e.weight, e.source, e.target))
    linked = {k for e in network.edges for k in (e.source, e.target)}
    if focus or min_weight > 1:  # nodes without an edge left say nothing
        network.nodes = {k: n for k, n in network.nodes.items() if k in linked}
    return network


EDGE_COLUMNS = ("source", "source_kind", "target", "target_kind", "weight", "first_date", "last_date",
                "source_id", "target_id")
NODE_COLUMNS = ("id", "name", "kind", "articles", "first_date", "last_date")


def edges_csv(network: Network) -> str:
    """One row per edge: the two names and kinds, the articles naming both, their first and last dates."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(EDGE_COLUMNS)
    for e in network.edges:
        s, t = network.nodes[e.source], network.nodes[e.target]
        writer.writerow([s.name, s.kind, t.name, t.kind, e.weight, e.first_date or "", e.last_date or "",
                         e.source, e.target])
    return out.getvalue()


def nodes_csv(network: Network) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(NODE_COLUMNS)
    for n in sorted(network.nodes.values(), key=lambda n: (-n.articles, n.kind, n.name)):
        writer.writerow([n.id, n.name, n.kind, n.articles, n.first_date or "", n.last_date or ""])
    return out.getvalue()


def graphml(network: Network) -> str:
    """GraphML (undirected): node attributes label, kind, articles, first_date, last_date; edge
    attributes weight, first_date, last_date."""
    keys = [("n_label", "node", "label", "string"), ("n_kind", "node", "kind", "string"),
            ("n_articles", "node", "articles", "int"), ("n_first", "node", "first_date", "string"),
            ("n_last", "node", "last_date", "string"), ("e_weight", "edge", "weight", "int"),
            ("e_first", "edge", "first_date", "string"), ("e_last", "edge", "last_date", "string")]
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
             'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
             'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
             'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">']
    lines += [f'  <key id="{k}" for="{f}" attr.name="{n}" attr.type="{t}"/>' for k, f, n, t in keys]
    lines.append('  <graph id="co-mentions" edgedefault="undirected">')
    for n in sorted(network.nodes.values(), key=lambda n: n.id):
        data = [("n_label", n.name), ("n_kind", n.kind), ("n_articles", n.articles),
                ("n_first", n.first_date), ("n_last", n.last_date)]
        lines.append(f"    <node id={quoteattr(n.id)}>" + "".join(
            f'<data key="{k}">{escape(str(v))}</data>' for k, v in data if v is not None) + "</node>")
    for i, e in enumerate(network.edges):
        data = [("e_weight", e.weight), ("e_first", e.first_date), ("e_last", e.last_date)]
        lines.append(f'    <edge id="e{i}" source={quoteattr(e.source)} target={quoteattr(e.target)}>' + "".join(
            f'<data key="{k}">{escape(str(v))}</data>' for k, v in data if v is not None) + "</edge>")
    lines += ["  </graph>", "</graphml>", ""]
    return "\n".join(lines)


FORMATS = {"csv": edges_csv, "nodes-csv": nodes_csv, "graphml": graphml}

# The mentions the network is built from, in the published SQLite file (label columns) and in
# PostgreSQL (joins).
SQLITE_MENTIONS = """
    select article_id, entity_kind, coalesce(person_id, organization_id, place_id), entity, issue_date, title
    from mention where role = 'mentioned'"""
POSTGRES_MENTIONS = """
    SELECT m.article_id,
           CASE WHEN m.person_id IS NOT NULL THEN 'person' WHEN m.organization_id IS NOT NULL
                THEN 'organization' ELSE 'place' END,
           coalesce(m.person_id, m.organization_id, m.place_id), coalesce(pe.name, o.name, pl.name),
           to_char(i.issue_date, 'YYYY-MM-DD'), m.title
    FROM mention m JOIN article a ON a.id = m.article_id JOIN page p ON p.id = a.page_id
    JOIN issue i ON i.id = p.issue_id LEFT JOIN person pe ON pe.id = m.person_id
    LEFT JOIN organization o ON o.id = m.organization_id LEFT JOIN place pl ON pl.id = m.place_id
    WHERE m.role = 'mentioned'"""


def mentions_from_rows(rows: Iterable[tuple]) -> Iterable[Mention]:
    for article_id, kind, entity_id, name, date, title in rows:
        yield Mention(int(article_id), kind, int(entity_id), name, date, title)
