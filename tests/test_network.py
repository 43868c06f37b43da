"""zhi_graph.network: GraphML and GEXF that network tools read with types, labels and years."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest

from zhi_graph.convert import ExportFormat, export
from zhi_graph.graphfile import read_quads
from zhi_graph.network import network
from zhi_graph.tables import GraphTables

GEXF = "{http://www.gexf.net/1.2draft}"


@pytest.fixture(scope="module")
def graph(two_document_build: Path) -> nx.MultiDiGraph:
    return network(GraphTables(read_quads(two_document_build)))


def test_nodes_are_entities_by_iri_with_their_attributes(graph: nx.MultiDiGraph) -> None:
    by_label = {d["label"]: (n, d) for n, d in graph.nodes(data=True)}
    iri, liuzhou = by_label["柳州市"]
    assert iri == "https://w3id.org/zhi-graph/id/region/450200"
    assert liuzhou["type"] == "Region" and liuzhou["region_code"] == "450200"
    assert liuzhou["level"] == "prefecture" and liuzhou["documents"] == "a.txt | b.txt"
    assert by_label["柳州年鉴（2022）"][1]["subtype"] == "Yearbook"


def test_an_award_won_in_two_years_is_two_edges_with_their_year(graph: nx.MultiDiGraph) -> None:
    awards = [
        (graph.nodes[s]["label"], graph.nodes[o]["label"], d.get("year"), d["label"])
        for s, o, d in graph.edges(data=True)
        if d["relation"] == "receivedAward"
    ]
    assert sorted(awards, key=str) == sorted(
        [
            ("柳州年鉴（2022）", "广西精品年鉴", 2023, "获得奖项"),
            ("柳州年鉴（2022）", "广西精品年鉴", 2024, "获得奖项"),
            ("梧州年鉴", "广西精品年鉴", None, "获得奖项"),
        ],
        key=str,
    )


def test_gexf_declares_its_attributes_and_labels_for_gephi(
    two_document_build: Path, tmp_path: Path
) -> None:
    path = tmp_path / "graph.gexf"
    export(two_document_build, ExportFormat.GEXF, path)
    root = ET.parse(path).getroot()
    declared = {
        (block.get("class"), a.get("title"), a.get("type"))
        for block in root.iter(f"{GEXF}attributes")
        for a in block.iter(f"{GEXF}attribute")
    }
    assert {
        ("node", "type", "string"),
        ("node", "subtype", "string"),
        ("node", "region_code", "string"),
        ("node", "aliases", "string"),
        ("node", "mentions", "long"),
        ("edge", "relation", "string"),
        ("edge", "year", "long"),
        ("edge", "documents", "string"),
    } <= declared
    nodes = list(root.iter(f"{GEXF}node"))
    edges = list(root.iter(f"{GEXF}edge"))
    assert nodes and all(n.get("label") for n in nodes)
    assert edges and all(e.get("label") for e in edges)
    assert "柳州年鉴（2022）" in {n.get("label") for n in nodes}
    assert "lastmodifieddate" not in path.read_text(encoding="utf-8")  # same bytes any day


def test_graphml_keys_are_named(two_document_build: Path, tmp_path: Path) -> None:
    path = tmp_path / "graph.graphml"
    export(two_document_build, ExportFormat.GRAPHML, path)
    read = nx.read_graphml(path, force_multigraph=True)
    years = sorted(d["year"] for _, _, d in read.edges(data=True) if "year" in d)
    assert years == [2023, 2024]
    assert 'attr.name="label"' in path.read_text(encoding="utf-8")
