"""zhi_graph.tables and the network built on it: row and edge counts equal SPARQL counts.

The counting queries here are written independently of the module's own and
run in rdflib, not pyoxigraph, over the union of the build's named graphs.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import networkx as nx
import pytest
from rdflib import Dataset, Graph

from zhi_graph.convert import ExportFormat, export
from zhi_graph.graphfile import read_quads
from zhi_graph.namespaces import ZHI
from zhi_graph.tables import GraphTables

# rdflib's TriG parser still reaches for its own deprecated API.
pytestmark = [
    pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning"),
    pytest.mark.filterwarnings("ignore:Dataset.default_context is deprecated:DeprecationWarning"),
]

PREFIXES = """
PREFIX zhi: <https://w3id.org/zhi-graph/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""
ENTITY = (
    "VALUES ?class { zhi:Region zhi:Institution zhi:Publication zhi:Venue zhi:Award zhi:Person }"
)
RELATION = (
    "VALUES ?p { zhi:receivedAward zhi:aboutRegion zhi:locatedIn zhi:partOf zhi:issuedBy"
    " zhi:publishedBy zhi:operatedBy zhi:hostedBy zhi:conferredBy }"
)
COUNTS = {
    "entities": f"SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE {{ {ENTITY} ?e a ?class }}",
    "statements": "SELECT (COUNT(DISTINCT ?st) AS ?n) WHERE { ?st a zhi:RelationStatement }",
    "unstated relations": f"""SELECT (COUNT(*) AS ?n) WHERE {{ SELECT DISTINCT ?s ?p ?o WHERE {{
        {RELATION} ?s ?p ?o
        FILTER NOT EXISTS {{ ?st zhi:subject ?s ; zhi:predicate ?p ; zhi:object ?o }} }} }}""",
    "conferrals": "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a zhi:AwardConferral }",
    "unstated awards": """SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?o WHERE {
        ?s zhi:receivedAward ?o
        FILTER NOT EXISTS { ?c zhi:recipient ?s ; zhi:award ?o } } }""",
    # one edge per relation between two entities, and per year of a dated award
    "edges": f"""SELECT (COUNT(*) AS ?n) WHERE {{ SELECT DISTINCT ?s ?p ?o ?year WHERE {{
        {RELATION} ?s ?p ?o .
        FILTER EXISTS {{ {ENTITY} ?s a ?class }} FILTER EXISTS {{ {ENTITY} ?o a ?class }}
        OPTIONAL {{ ?c zhi:recipient ?s ; zhi:award ?o ; zhi:year ?year
                   FILTER(?p = zhi:receivedAward) }} }} }}""",
}


@pytest.fixture(scope="module")
def counts(build_folder: Path) -> dict[str, int]:
    union = union_of(build_folder / "graph.trig")
    return {name: count(union, query) for name, query in COUNTS.items()}


def union_of(trig: Path) -> Graph:
    dataset = Dataset()
    dataset.parse(trig, format="trig")
    union = Graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        union.add((s, p, o))
    return union


def count(graph: Graph, query: str) -> int:
    for row in graph.query(PREFIXES + query):
        return int(row[0])  # type: ignore[index, arg-type]
    raise AssertionError("a COUNT query returned no row")


def read_csv(path: Path) -> list[dict[str, str]]:
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf"), "no UTF-8 byte-order mark: Excel would misread"
    text = data[3:].decode("utf-8")
    assert "\n" not in text.replace("\r\n", "") or '"' in text  # bare LF only inside quotes
    return list(csv.DictReader(io.StringIO(text, newline="")))


@pytest.fixture(scope="module")
def tables(
    build_folder: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, list[dict[str, str]]]:
    folder = tmp_path_factory.mktemp("csv")
    export(build_folder, ExportFormat.CSV, folder)
    return {p.stem: read_csv(p) for p in folder.glob("*.csv")}


def test_entities_csv_has_a_row_per_entity(
    tables: dict[str, list[dict[str, str]]], counts: dict[str, int]
) -> None:
    assert counts["entities"] > 10
    assert len(tables["entities"]) == counts["entities"]
    assert len({row["iri"] for row in tables["entities"]}) == counts["entities"]


def test_relations_csv_has_a_row_per_statement_and_unstated_relation(
    tables: dict[str, list[dict[str, str]]], counts: dict[str, int]
) -> None:
    assert len(tables["relations"]) == counts["statements"] + counts["unstated relations"]


def test_awards_csv_has_a_row_per_conferral(
    tables: dict[str, list[dict[str, str]]], counts: dict[str, int]
) -> None:
    assert counts["conferrals"] > 0
    assert len(tables["awards"]) == counts["conferrals"] + counts["unstated awards"]


@pytest.mark.parametrize("fmt", [ExportFormat.GRAPHML, ExportFormat.GEXF], ids=str)
def test_network_files_load_in_networkx_with_the_sparql_counts(
    build_folder: Path, counts: dict[str, int], tmp_path: Path, fmt: ExportFormat
) -> None:
    path = tmp_path / f"graph{fmt.suffix}"
    export(build_folder, fmt, path)
    if fmt is ExportFormat.GRAPHML:
        graph = nx.read_graphml(path, force_multigraph=True)
    else:
        graph = nx.read_gexf(path)
    assert graph.number_of_nodes() == counts["entities"]
    assert graph.number_of_edges() == counts["edges"]
    labels = nx.get_node_attributes(graph, "label")
    assert all(labels.get(n) for n in graph.nodes), "every node has a label"
    assert {d["type"] for _, d in graph.nodes(data=True)} <= {
        "Region",
        "Institution",
        "Publication",
        "Venue",
        "Award",
        "Person",
    }


# --- what the rows say, on the two small documents --------------------------------


@pytest.fixture(scope="module")
def two(two_document_build: Path) -> GraphTables:
    return GraphTables(read_quads(two_document_build))


def test_an_award_won_in_two_years_and_once_undated(two: GraphTables) -> None:
    rows = [
        (a.recipient_label, a.award_label, a.year, a.document)
        for a in two.awards()
        if a.award_label == "广西精品年鉴"
    ]
    assert rows == [
        ("梧州年鉴", "广西精品年鉴", "", "b.txt"),
        ("柳州年鉴（2022）", "广西精品年鉴", "2023", "b.txt"),
        ("柳州年鉴（2022）", "广西精品年鉴", "2024", "b.txt"),
    ]
    edges = sorted((e.year or 0, e.documents) for e in two.edges() if e.relation == "receivedAward")
    assert edges == [(0, ("b.txt",)), (2023, ("b.txt",)), (2024, ("b.txt",))]


def test_entity_rows_carry_type_code_aliases_documents_and_mentions(two: GraphTables) -> None:
    rows = {e.label: e for e in two.entities()}
    liuzhou = rows["柳州市"]
    assert (liuzhou.type, liuzhou.region_code, liuzhou.level) == ("Region", "450200", "prefecture")
    assert liuzhou.documents == "a.txt | b.txt"
    assert liuzhou.mentions >= 2
    book = rows["柳州年鉴（2022）"]
    assert (book.type, book.subtype) == ("Publication", "Yearbook")
    # named in a.txt only (广西人民出版社), a parent region in b.txt's graph as well
    guangxi = rows["广西壮族自治区"]
    assert guangxi.mentions == 1 and guangxi.documents == "a.txt | b.txt"


@pytest.fixture(scope="module")
def unstated(two_document_build: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The two documents without their partOf statements and undated award conferrals."""
    dataset = Dataset()
    dataset.parse(two_document_build / "graph.trig", format="trig")
    gone = {st for st, _, _, _ in dataset.quads((None, ZHI.predicate, ZHI.partOf, None))}
    dated = {c for c, _, _, _ in dataset.quads((None, ZHI.year, None, None))}
    gone |= {c for c, _, _, _ in dataset.quads((None, ZHI.award, None, None))} - dated
    for s, p, o, g in list(dataset.quads((None, None, None, None))):
        if s in gone:
            dataset.graph(g).remove((s, p, o))
    path = tmp_path_factory.mktemp("unstated") / "graph.trig"
    dataset.serialize(path, format="trig")
    return path


def test_relations_no_sentence_states_get_rows_without_evidence(unstated: Path) -> None:
    tables = GraphTables(read_quads(unstated))
    rows = [r for r in tables.relations() if not r.statement]
    assert {r.relation for r in rows} == {"partOf", "receivedAward"}  # 梧州年鉴 → award
    assert not any(r.evidence or r.start for r in rows)
    assert all(r.document in ("a.txt", "b.txt", "a.txt | b.txt") for r in rows)
    stated = [r for r in tables.relations() if r.statement]
    assert all(r.evidence and r.start and r.end and r.document for r in stated)
    union = union_of(unstated)
    counted = {name: count(union, COUNTS[name]) for name in ("statements", "unstated relations")}
    assert len(tables.relations()) == counted["statements"] + counted["unstated relations"]
    assert counted["unstated relations"] == len(rows)


def test_awards_no_conferral_records_get_rows_without_evidence(unstated: Path) -> None:
    tables = GraphTables(read_quads(unstated))
    rows = [(a.recipient_label, a.year, a.statement != "", a.document) for a in tables.awards()]
    assert rows == [
        ("梧州年鉴", "", False, "b.txt"),
        ("柳州年鉴（2022）", "2023", True, "b.txt"),
        ("柳州年鉴（2022）", "2024", True, "b.txt"),
    ]
    union = union_of(unstated)
    assert len(rows) == count(union, COUNTS["conferrals"]) + count(union, COUNTS["unstated awards"])
    edges = sorted(
        (e.year or 0, e.documents) for e in tables.edges() if e.relation == "receivedAward"
    )
    assert edges == [(0, ("b.txt",)), (2023, ("b.txt",)), (2024, ("b.txt",))]


def test_csv_quotes_by_rfc_4180_and_ends_lines_with_crlf(
    two_document_build: Path, tmp_path: Path
) -> None:
    export(two_document_build, ExportFormat.CSV, tmp_path)
    data = (tmp_path / "relations.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbfsubject,subject_label,relation,object,object_label,year,")
    lines = data.split(b"\r\n")
    assert lines[-1] == b"" and all(b"\n" not in line for line in lines)
    # evidence sentences hold commas (Chinese ones too): fields are quoted where needed
    rows = read_csv(tmp_path / "relations.csv")
    assert any("，" in row["evidence"] for row in rows)
    assert all(len(row) == 11 for row in rows)
