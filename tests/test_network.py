"""The co-mention network built from small, hand-made mentions (no database)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from etl.network import Mention, build_network, edges_csv, graphml, nodes_csv, read_name_list

M = [
    Mention(1, "person", 1, "甲", "2023-01-10"), Mention(1, "person", 2, "乙", "2023-01-10"),
    Mention(1, "organization", 7, "某局", "2023-01-10"),
    Mention(2, "person", 1, "甲", "2023-05-02"), Mention(2, "person", 2, "乙", "2023-05-02"),
    Mention(2, "person", 3, "领导", "2023-05-02", title="中共中央总书记、国家主席"),
    Mention(3, "person", 1, "甲", "2024-02-01"), Mention(3, "place", 9, "某县", "2024-02-01"),
    Mention(4, "person", 2, "乙", None), Mention(4, "person", 3, "领导", None),
]


def edge_map(net) -> dict[tuple[str, str], int]:
    return {(net.nodes[e.source].name, net.nodes[e.target].name): e.weight for e in net.edges}


@pytest.mark.parametrize("options, expected", [
    ({}, {("甲", "乙"): 2, ("甲", "某局"): 1, ("乙", "某局"): 1, ("甲", "领导"): 1, ("乙", "领导"): 2,
          ("甲", "某县"): 1}),
    ({"kinds": ["person"]}, {("甲", "乙"): 2, ("甲", "领导"): 1, ("乙", "领导"): 2}),
    ({"kinds": ["person"], "start": "2023-01-01", "end": "2023-12-31"},  # the undated article is out
     {("甲", "乙"): 2, ("甲", "领导"): 1, ("乙", "领导"): 1}),
    ({"kinds": ["person"], "leave_out_national_posts": True}, {("甲", "乙"): 2}),  # printed 国家主席 once
    ({"kinds": ["person"], "leave_out": {"领导"}}, {("甲", "乙"): 2}),
    ({"kinds": ["person"], "min_weight": 2}, {("甲", "乙"): 2, ("乙", "领导"): 2}),
    ({"focus": "某县"}, {("甲", "某县"): 1}),
])
def test_edges(options, expected):
    net = build_network(M, **options)
    assert {tuple(sorted(k)): v for k, v in edge_map(net).items()} == {tuple(sorted(k)): v for k, v in expected.items()}


def test_nodes_count_articles_and_dates():
    net = build_network(M, kinds=["person"])
    jia = next(n for n in net.nodes.values() if n.name == "甲")
    assert (jia.articles, jia.first_date, jia.last_date) == (3, "2023-01-10", "2024-02-01")
    assert build_network(M, leave_out_national_posts=True).left_out == ["领导"]


def test_exports_parse():
    net = build_network(M)
    lines = edges_csv(net).splitlines()
    assert lines[0].startswith("source,source_kind,target,target_kind,weight") and len(lines) == len(net.edges) + 1
    assert len(nodes_csv(net).splitlines()) == len(net.nodes) + 1
    root = ET.fromstring(graphml(net))
    ns = "{http://graphml.graphdrawing.org/xmlns}"
    assert len(root.findall(f".//{ns}node")) == len(net.nodes) and len(root.findall(f".//{ns}edge")) == len(net.edges)


def test_name_list_skips_comments(tmp_path):
    path = tmp_path / "names.txt"
    path.write_text("# a comment\n甲\n\n 乙 \n", encoding="utf-8")
    assert read_name_list(path) == {"甲", "乙"}
