"""The co-mention network: the same edges from `newsetl network` (PostgreSQL) and /-/network (Datasette)."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from urllib.parse import urlencode

import pytest

from etl.network import national_leaders
from tests.conftest import run_cli, url_arg

from .conftest import get

pytestmark = pytest.mark.db

GRAPHML = "{http://graphml.graphdrawing.org/xmlns}"


def rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def test_cli_and_datasette_export_the_same_network(ds, seeded_url, tmp_path):
    options = ["--from", "2023-01-01", "--to", "2023-12-31", "--kinds", "person,organization",
               "--leave-out-national-leaders"]
    proc = run_cli("network", *options, "--db", url_arg(seeded_url))
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.startswith("newsetl network: ") and "left out" in proc.stderr
    query = urlencode([("start", "2023-01-01"), ("end", "2023-12-31"), ("kind", "person"), ("kind", "organization"),
                       ("national_leaders", "leave_out")])
    served = get(ds, f"/-/network.csv?{query}")
    assert served.status_code == 200 and served.headers["content-type"].startswith("text/csv")
    assert "attachment" in served.headers["content-disposition"]
    assert rows(proc.stdout) == rows(served.text) != []
    graph = run_cli("network", *options, "-o", str(tmp_path / "net.graphml"), "--db", url_arg(seeded_url))
    assert graph.returncode == 0 and graph.stdout.startswith("newsetl network: ")
    root = ET.parse(tmp_path / "net.graphml").getroot()
    edges = root.findall(f".//{GRAPHML}edge")
    assert len(edges) == len(rows(proc.stdout))
    assert ET.fromstring(get(ds, f"/-/network.graphml?{query}").text).tag == f"{GRAPHML}graphml"


def test_edges_count_the_articles_naming_both(ds, sqlite_db):
    edges = rows(get(ds, "/-/network.csv?kind=person").text)
    heaviest = edges[0]
    assert int(heaviest["weight"]) == max(int(e["weight"]) for e in edges)
    shared = sqlite_db.execute("""
        SELECT count(DISTINCT a.article_id) FROM mention a JOIN mention b ON a.article_id = b.article_id
        WHERE a.role = 'mentioned' AND b.role = 'mentioned' AND a.entity_kind = 'person' AND b.entity_kind = 'person'
          AND a.entity = ? AND b.entity = ?""", (heaviest["source"], heaviest["target"])).fetchone()[0]
    assert int(heaviest["weight"]) == shared
    nodes = rows(get(ds, "/-/network.nodes.csv?kind=person").text)
    assert {n["kind"] for n in nodes} == {"person"}
    assert {e["source_id"] for e in edges} | {e["target_id"] for e in edges} <= {n["id"] for n in nodes}


def test_leaving_out_national_leaders_and_a_date_range(ds):
    everyone = rows(get(ds, "/-/network.csv?kind=person").text)
    names = {e["source"] for e in everyone} | {e["target"] for e in everyone}
    leaders = names & national_leaders()
    assert leaders, "the seeds name a national leader"
    local = rows(get(ds, "/-/network.csv?kind=person&national_leaders=leave_out").text)
    assert not ({e["source"] for e in local} | {e["target"] for e in local}) & leaders
    assert len(local) < len(everyone)
    dated = rows(get(ds, "/-/network.csv?start=2024-01-01&end=2024-12-31").text)
    assert dated and all("2024-01-01" <= e["first_date"] <= e["last_date"] <= "2024-12-31" for e in dated)


def test_network_page_links_the_downloads(ds, sqlite_db):
    html = get(ds, "/-/network?national_leaders=leave_out&kind=person").text
    assert "/-/network.graphml?kind=person&amp;national_leaders=leave_out" in html
    assert "不含国家领导人" in html and "checked" in html
    person = sqlite_db.execute("SELECT id FROM person ORDER BY articles DESC LIMIT 1").fetchone()[0]
    assert "/-/network?focus=" in get(ds, f"/newsetl/person/{person}").text
    assert 'href="/-/network"' in get(ds, "/").text


def test_bad_options_are_one_clear_line():
    proc = run_cli("network", "--from", "2023-13-01")
    assert proc.returncode == 2 and "YYYY-MM-DD" in proc.stderr
    proc = run_cli("network", "--kinds", "people")
    assert proc.returncode == 2 and "--kinds" in proc.stderr
