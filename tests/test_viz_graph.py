"""zhi_graph.viz.graph: the RDF graph as a networkx graph, and the cuts of a view."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest
from rdflib import Graph
from typer.testing import Result

from zhi_graph.errors import InputError
from zhi_graph.model import EntityType
from zhi_graph.pipeline import build
from zhi_graph.viz.graph import (
    find_nodes,
    graph_file,
    load_store,
    load_style,
    network_graph,
    parse_types,
    read_network,
    scan_network,
    select,
    subtypes,
)

SAMPLE_NAME = "000_56e6aeb4e85b6bad.txt"
ENTITIES = """
PREFIX zhi: <https://w3id.org/zhi-graph/ontology#>
SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE {
  VALUES ?t { zhi:Region zhi:Institution zhi:Publication zhi:Venue zhi:Award zhi:Person }
  ?e a ?t .
}"""
RELATIONS = """
PREFIX zhi: <https://w3id.org/zhi-graph/ontology#>
SELECT (COUNT(*) AS ?n) WHERE {
  VALUES ?p { zhi:receivedAward zhi:aboutRegion zhi:locatedIn zhi:partOf zhi:issuedBy
              zhi:publishedBy zhi:operatedBy zhi:hostedBy zhi:conferredBy }
  ?s ?p ?o .
}"""


@pytest.fixture(scope="module")
def sample_graph(sample_build: tuple[Result, Path]) -> nx.MultiDiGraph:
    result, out = sample_build
    assert result.exit_code == 0, result.output
    return read_network(out)


def node(graph: nx.MultiDiGraph, label: str) -> str:
    found: list[str] = [n for n, data in graph.nodes(data=True) if data["label"] == label]
    assert len(found) == 1, (label, found)
    return found[0]


def count(path: Path, query: str) -> int:
    rows = list(Graph().parse(path).query(query))
    return int(rows[0][0])  # type: ignore[index, arg-type]


def test_every_entity_and_relation_of_the_rdf_becomes_a_node_or_edge(
    sample_graph: nx.MultiDiGraph, sample_build: tuple[Result, Path]
) -> None:
    ttl = sample_build[1] / "graph.ttl"
    assert sample_graph.number_of_nodes() == count(ttl, ENTITIES)
    assert sample_graph.number_of_edges() == count(ttl, RELATIONS)


@pytest.mark.parametrize(
    ("label", "type_", "subtype", "aliases", "adcode"),
    [
        ("成都市", "Region", "", ["成都"], "510100"),
        ("甘孜藏族自治州", "Region", "", ["甘孜", "甘孜州"], "513300"),
        ("德阳年鉴（2024）", "Publication", "Yearbook", [], ""),
        ("四川省地方志工作办公室", "Institution", "", ["四川省地方志办公室", "省地方志办"], ""),
        ("四川省精品年鉴", "Award", "", ["四川精品年鉴"], ""),
    ],
)
def test_node_attributes_come_from_the_rdf(
    sample_graph: nx.MultiDiGraph,
    label: str,
    type_: str,
    subtype: str,
    aliases: list[str],
    adcode: str,
) -> None:
    data = sample_graph.nodes[node(sample_graph, label)]
    assert (data["type"], data["subtype"], data["aliases"], data["adcode"]) == (
        type_,
        subtype,
        aliases,
        adcode,
    )
    assert data["sources"], "every entity of the sample is mentioned somewhere"
    assert {document for document, _ in data["sources"]} == {SAMPLE_NAME}
    sentences = [sentence for _, sentence in data["sources"]]
    assert len(set(sentences)) == len(sentences)
    assert any(name in sentence for sentence in sentences for name in [label, *aliases])


def test_award_edges_carry_years_and_the_sentence_that_states_them(
    sample_graph: nx.MultiDiGraph,
) -> None:
    book, award = node(sample_graph, "德阳年鉴（2024）"), node(sample_graph, "四川省精品年鉴")
    edge = sample_graph.edges[book, award, "receivedAward"]
    assert edge["relation"] == "receivedAward"
    assert edge["years"] == [2024]
    [(document, sentence, year)] = edge["sources"]
    assert (document, year) == (SAMPLE_NAME, 2024)
    assert "《德阳年鉴（2024）》" in sentence and "四川省精品年鉴" in sentence


def test_only_gazetteer_parents_have_an_edge_but_no_sentence(
    sample_graph: nx.MultiDiGraph,
) -> None:
    unstated = {
        k for _, _, k, data in sample_graph.edges(keys=True, data=True) if not data["sources"]
    }
    assert unstated == {"partOf"}


def test_degree_counts_relations_in_both_directions(sample_graph: nx.MultiDiGraph) -> None:
    for n, data in sample_graph.nodes(data=True):
        assert data["degree"] == sample_graph.in_degree(n) + sample_graph.out_degree(n)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("成都市", "成都市"),
        ("甘孜州", "甘孜藏族自治州"),
        (" 省地方志办 ", "四川省地方志工作办公室"),
    ],
)
def test_find_nodes_by_label_or_alias(
    sample_graph: nx.MultiDiGraph, name: str, expected: str
) -> None:
    assert [sample_graph.nodes[n]["label"] for n in find_nodes(sample_graph, name)] == [expected]


def test_focus_keeps_the_entity_and_what_is_depth_relations_away(
    sample_graph: nx.MultiDiGraph,
) -> None:
    centre = node(sample_graph, "成都市")
    undirected = nx.Graph(sample_graph)
    for depth in (0, 1, 2):
        view = select(sample_graph, focus="成都市", depth=depth)
        expected = nx.single_source_shortest_path_length(undirected, centre, cutoff=depth)
        assert set(view.nodes) == set(expected)
    assert select(sample_graph, focus="成都", depth=0).number_of_nodes() == 1  # an alias


@pytest.mark.parametrize(
    ("types", "kept"),
    [
        ("Publication,Award", {"Publication", "Award"}),
        ("出版物", {"Publication"}),
        ("region", {"Region"}),
    ],
)
def test_types_keep_only_those_types(
    sample_graph: nx.MultiDiGraph, types: str, kept: set[str]
) -> None:
    view = select(sample_graph, types=parse_types(types, load_style()))
    assert {data["type"] for _, data in view.nodes(data=True)} == kept
    assert view.number_of_nodes() == sum(
        1 for _, data in sample_graph.nodes(data=True) if data["type"] in kept
    )


def test_subclass_types_keep_only_that_subclass(sample_graph: nx.MultiDiGraph) -> None:
    view = select(sample_graph, types=parse_types("年鉴", load_style()))
    assert view.number_of_nodes() > 10
    assert {data["subtype"] for _, data in view.nodes(data=True)} == {"Yearbook"}


def test_min_degree_and_types_together(sample_graph: nx.MultiDiGraph) -> None:
    style = load_style()
    view = select(sample_graph, types=parse_types("Publication,Award", style), min_degree=2)
    assert view.number_of_nodes() > 0
    for n, data in view.nodes(data=True):
        assert data["type"] in {"Publication", "Award"}
        assert sample_graph.nodes[n]["degree"] >= 2
    edges = set(view.edges(keys=True))
    assert edges == {
        (u, v, k) for u, v, k in sample_graph.edges(keys=True) if u in view and v in view
    }


def test_the_focused_entity_stays_whatever_the_other_cuts(sample_graph: nx.MultiDiGraph) -> None:
    view = select(sample_graph, focus="成都市", depth=1, types={"Award"}, min_degree=1000)
    assert [view.nodes[n]["label"] for n in view] == ["成都市"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"focus": "不存在市"}, "no entity is named '不存在市'"),
        ({"focus": "成都", "depth": -1}, "--depth must be 0 or more"),
    ],
)
def test_bad_cuts_are_input_errors(
    sample_graph: nx.MultiDiGraph, kwargs: dict[str, str | int], message: str
) -> None:
    with pytest.raises(InputError, match=message) as caught:
        select(sample_graph, **kwargs)  # type: ignore[arg-type]
    assert caught.value.exit_code == 2


def test_an_unknown_focus_suggests_close_names(sample_graph: nx.MultiDiGraph) -> None:
    with pytest.raises(InputError, match=r"did you mean .*成都市"):
        select(sample_graph, focus="成都市区")


def test_unknown_types_list_the_known_ones() -> None:
    with pytest.raises(InputError, match=r"unknown type 'Foo'.*Publication"):
        parse_types("Publication,Foo", load_style())


def test_style_takes_chinese_names_from_the_ontology() -> None:
    style = load_style()
    assert style.types["Region"].name == "行政区域"
    assert style.subtypes["Yearbook"] == "年鉴"
    assert style.relations["receivedAward"].name == "获得奖项"
    assert {r.label for r in style.relations.values()} == {
        "获奖",
        "位于",
        "隶属",
        "发布",
        "编纂",
        "运营",
        "承办",
        "授予",
        "关于",
    }


@pytest.mark.parametrize(
    ("files", "given", "expected"),
    [
        (["graph.ttl", "graph.trig"], ".", "graph.trig"),
        (["graph.ttl"], ".", "graph.ttl"),
        (["x.nt"], "x.nt", "x.nt"),
    ],
)
def test_graph_file_prefers_trig(
    tmp_path: Path, files: list[str], given: str, expected: str
) -> None:
    for name in files:
        (tmp_path / name).write_text("", encoding="utf-8")
    assert graph_file(tmp_path / given) == tmp_path / expected


@pytest.mark.parametrize(
    ("files", "expected"),
    [(["graph.ttl", "graph.trig"], "graph.ttl"), (["graph.trig"], "graph.trig")],
)
def test_the_union_is_read_where_there_is_one(
    tmp_path: Path, files: list[str], expected: str
) -> None:
    for name in files:
        (tmp_path / name).write_text("", encoding="utf-8")
    assert graph_file(tmp_path, union=True) == tmp_path / expected


@pytest.mark.parametrize(
    ("files", "given", "message"),
    [
        ([], ".", "no graph.trig or graph.ttl here"),
        ([], "missing", "no such file or folder"),
        (["graph.json"], "graph.json", "unknown graph format"),
    ],
)
def test_graph_file_errors(tmp_path: Path, files: list[str], given: str, message: str) -> None:
    for name in files:
        (tmp_path / name).write_text("", encoding="utf-8")
    with pytest.raises(InputError, match=message):
        graph_file(tmp_path / given)


def test_a_broken_graph_file_is_an_input_error(tmp_path: Path) -> None:
    (tmp_path / "graph.ttl").write_text("this is not turtle", encoding="utf-8")
    with pytest.raises(InputError, match="cannot read the graph"):
        read_network(tmp_path)


def test_subtypes_are_every_subclass_of_an_entity_type_in_the_ontology() -> None:
    from zhi_graph.vocabulary import vocabulary

    declared = {
        term.name.removeprefix("zhi:")
        for term in vocabulary().of_kind("class")
        if any(f"zhi:{kind.value}" in term.superterms for kind in EntityType)
    }
    assert set(subtypes()) == declared >= {"Yearbook", "PolicyDocument", "Country"}
    assert set(load_style().subtypes) == declared
    assert all(load_style().subtypes.values())  # each has its Chinese name


def _everything(graph: nx.MultiDiGraph) -> tuple[list[object], list[object]]:
    return list(graph.nodes(data=True)), sorted(graph.edges(keys=True, data=True))


TWO_DOCUMENTS = {
    "a.txt": "四川省地方志工作办公室（以下简称省地方志办）在成都市召开年鉴工作会议。"
    "《德阳年鉴（2024）》获评“四川省精品年鉴”。",
    "b.txt": "省地方志办组织专家赴成都市调研，《德阳年鉴（2023）》获评“四川省精品年鉴”。",
}


@pytest.fixture(scope="module")
def two_documents(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A build of two documents that name the same entities (each one's graph repeats them)."""
    docs = tmp_path_factory.mktemp("two") / "docs"
    docs.mkdir()
    for name, text in TWO_DOCUMENTS.items():
        (docs / name).write_text(text, encoding="utf-8")
    out = docs.parent / "out"
    build([docs], out, workers=1, html=False)
    return out


def test_every_graph_file_gives_one_network(two_documents: Path) -> None:
    """The union (graph.ttl), the documents' graphs (graph.trig, where shared entities
    repeat) and a store of either give the same nodes, edges and sentences."""
    from_union = _everything(read_network(two_documents / "graph.ttl"))
    assert _everything(read_network(two_documents / "graph.trig")) == from_union
    assert _everything(network_graph(load_store(two_documents / "graph.trig"))) == from_union
    network = read_network(two_documents / "graph.trig")
    office = network.nodes[node(network, "四川省地方志工作办公室")]
    # each alias once, though both documents' graphs give it
    assert office["aliases"] == ["四川省地方志办公室", "省地方志办"]
    assert [name for name, _ in office["sources"]] == ["a.txt", "b.txt"]


def test_a_view_gets_the_sentences_of_its_own_entities_and_relations(two_documents: Path) -> None:
    network = scan_network(two_documents)
    assert network.documents == ("a.txt", "b.txt")
    whole = read_network(two_documents)
    assert all(not data["sources"] for _, data in network.graph.nodes(data=True))
    view = network.with_sources(select(network.graph, focus="德阳年鉴（2024）", depth=1))
    assert 0 < view.number_of_nodes() < whole.number_of_nodes()
    for entity, data in view.nodes(data=True):
        assert data["sources"] == whole.nodes[entity]["sources"]
    for subject, obj, key, data in view.edges(keys=True, data=True):
        assert (data["years"], data["sources"]) == (
            whole.edges[subject, obj, key]["years"],
            whole.edges[subject, obj, key]["sources"],
        )
    # Added again, the sentences are not listed twice.
    assert _everything(network.with_sources(view)) == _everything(view)
