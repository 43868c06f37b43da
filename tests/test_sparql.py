"""zhi_graph.sparql: result formats, prefixed names, typed values, query files."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph
from typer.testing import Result

from zhi_graph.errors import InputError
from zhi_graph.results import MEDIA_TYPES
from zhi_graph.sparql import (
    ResultFormat,
    bundled_queries,
    compact_iri,
    read_query,
    result_table,
    run_query,
    select,
    serialize_results,
    term_text,
    term_value,
)
from zhi_graph.store import GraphStore, open_store

# rdflib's JSON-LD parser, used to read our JSON-LD back, warns about its own internals.
pytestmark = pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")

YEARBOOKS = """
SELECT ?book ?label ?year WHERE {
  ?c a zhi:AwardConferral ; zhi:recipient ?book ; zhi:year ?year .
  ?book a zhi:Yearbook ; rdfs:label ?label .
  FILTER(?label IN ("德阳年鉴（2024）"@zh, "乐山年鉴（2023）"@zh))
} ORDER BY ?year"""
ASK_TRUE = 'ASK { ?r zhi:adcode "510100" }'
CONSTRUCT = """CONSTRUCT { ?r rdfs:label ?l ; zhi:partOf ?p }
WHERE { ?r zhi:adcode "510107" ; rdfs:label ?l ; zhi:partOf ?p }"""
PUBLICATION = "https://w3id.org/zhi-graph/id/publication/"


@pytest.fixture(scope="module")
def store(sample_build: tuple[Result, Path]) -> GraphStore:
    result, out = sample_build
    assert result.exit_code == 0, result.output
    return open_store(out)


def test_select_as_results_json(store: GraphStore) -> None:
    data = json.loads(serialize_results(run_query(store, YEARBOOKS), "json"))
    assert data["head"]["vars"] == ["book", "label", "year"]
    bindings = data["results"]["bindings"]
    assert [b["label"]["value"] for b in bindings] == ["乐山年鉴（2023）", "德阳年鉴（2024）"]
    assert bindings[0]["label"] == {
        "type": "literal",
        "value": "乐山年鉴（2023）",
        "xml:lang": "zh",
    }
    assert bindings[0]["book"]["type"] == "uri"
    assert bindings[0]["book"]["value"].startswith(PUBLICATION)
    year = bindings[1]["year"]
    assert year["value"] == "2024" and year["datatype"].endswith("#gYear")


@pytest.mark.parametrize(("fmt", "delimiter"), [("csv", ","), ("tsv", "\t")])
def test_select_as_csv_and_tsv(store: GraphStore, fmt: str, delimiter: str) -> None:
    text = serialize_results(run_query(store, YEARBOOKS), fmt).decode("utf-8")
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(text)))
    else:
        rows = [line.split(delimiter) for line in text.splitlines()]
    if fmt == "csv":  # plain values, CRLF line ends (SPARQL 1.1 CSV)
        assert "\r\n" in text
        assert rows[0] == ["book", "label", "year"]
        assert rows[1][1:] == ["乐山年鉴（2023）", "2023"]
    else:  # Turtle-style terms
        assert rows[0] == ["?book", "?label", "?year"]
        assert rows[1][1] == '"乐山年鉴（2023）"@zh'
        assert rows[1][0].startswith(f"<{PUBLICATION}")
    assert len(rows) == 3


def test_select_as_results_xml(store: GraphStore) -> None:
    root = ET.fromstring(serialize_results(run_query(store, YEARBOOKS), "xml"))
    ns = {"r": "http://www.w3.org/2005/sparql-results#"}
    assert [v.get("name") for v in root.findall("r:head/r:variable", ns)] == [
        "book",
        "label",
        "year",
    ]
    assert len(root.findall("r:results/r:result", ns)) == 2


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [("json", b'{"head":{},"boolean":true}'), ("csv", b"true"), ("tsv", b"true")],
)
def test_ask(store: GraphStore, fmt: str, expected: bytes) -> None:
    assert serialize_results(run_query(store, ASK_TRUE), fmt).strip() == expected


def test_construct_as_turtle_declares_the_prefixes_it_uses(store: GraphStore) -> None:
    turtle = serialize_results(run_query(store, CONSTRUCT), "turtle").decode("utf-8")
    assert "@prefix region: <https://w3id.org/zhi-graph/id/region/> ." in turtle
    assert "@prefix zhi: <https://w3id.org/zhi-graph/ontology#> ." in turtle
    assert "@prefix schema:" not in turtle and "@prefix id:" not in turtle
    assert "region:510107" in turtle
    graph = Graph().parse(data=turtle, format="turtle")
    assert len(graph) == 2


@pytest.mark.parametrize(
    ("fmt", "syntax"), [("ntriples", "nt"), ("jsonld", "json-ld"), ("rdfxml", "xml")]
)
def test_construct_in_other_rdf_syntaxes(store: GraphStore, fmt: str, syntax: str) -> None:
    data = serialize_results(run_query(store, CONSTRUCT), fmt).decode("utf-8")
    graph = Graph().parse(data=data, format=syntax)
    assert len(graph) == 2
    assert "武侯区" in data


def test_same_construct_writes_the_same_bytes(store: GraphStore) -> None:
    first = serialize_results(run_query(store, CONSTRUCT), "turtle")
    assert serialize_results(run_query(store, CONSTRUCT), "turtle") == first


@pytest.mark.parametrize(
    ("query", "fmt", "message"),
    [
        (YEARBOOKS, "turtle", "SELECT and ASK results cannot be written as turtle"),
        (ASK_TRUE, "jsonld", "cannot be written as jsonld"),
        (CONSTRUCT, "csv", "CONSTRUCT and DESCRIBE results cannot be written as csv"),
        (YEARBOOKS, "table", "cannot be written as table"),
        (YEARBOOKS, "yaml", "unknown result format 'yaml'"),
    ],
)
def test_format_must_fit_the_result(store: GraphStore, query: str, fmt: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        serialize_results(run_query(store, query), fmt)


def test_every_format_has_a_media_type() -> None:
    assert set(MEDIA_TYPES) == set(ResultFormat) - {ResultFormat.TABLE}
    assert MEDIA_TYPES[ResultFormat.JSON] == "application/sparql-results+json"
    assert MEDIA_TYPES[ResultFormat.TURTLE] == "text/turtle"


@pytest.mark.parametrize(
    ("iri", "short"),
    [
        ("https://w3id.org/zhi-graph/id/region/510100", "region:510100"),
        ("https://w3id.org/zhi-graph/ontology#Yearbook", "zhi:Yearbook"),
        ("http://www.w3.org/2000/01/rdf-schema#label", "rdfs:label"),
        ("https://schema.org/name", "schema:name"),
        (
            "https://w3id.org/zhi-graph/id/document/ab12/mention/5-8",
            "<https://w3id.org/zhi-graph/id/document/ab12/mention/5-8>",
        ),
        ("https://w3id.org/zhi-graph/id/document/ab12", "document:ab12"),
        ("https://w3id.org/zhi-graph/id/region/a/b", "<https://w3id.org/zhi-graph/id/region/a/b>"),
        ("https://example.org/x", "<https://example.org/x>"),
        ("https://w3id.org/zhi-graph/ontology#", "zhi:"),
    ],
)
def test_compact_iri(iri: str, short: str) -> None:
    assert compact_iri(iri) == short


@pytest.mark.parametrize(
    ("term", "text", "value"),
    [
        (ox.Literal("成都市", language="zh"), "成都市", "成都市"),
        (
            ox.Literal("12", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
            "12",
            12,
        ),
        (
            ox.Literal("2.5", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")),
            "2.5",
            2.5,
        ),
        (
            ox.Literal("true", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean")),
            "true",
            True,
        ),
        (
            ox.Literal("2024", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#gYear")),
            "2024",
            "2024",
        ),
        (
            ox.NamedNode("https://w3id.org/zhi-graph/id/region/510100"),
            "region:510100",
            "region:510100",
        ),
        (ox.BlankNode("b0"), "_:b0", "_:b0"),
        (None, "", None),
    ],
)
def test_terms_as_text_and_values(term: object, text: str, value: object) -> None:
    assert term_text(term) == text
    assert term_value(term) == value
    assert type(term_value(term)) is type(value)


def test_result_table_and_select(store: GraphStore) -> None:
    table = result_table(run_query(store, YEARBOOKS))  # type: ignore[arg-type]
    assert table.columns == ["book", "label", "year"]
    assert [row[1:] for row in table.rows] == [
        ["乐山年鉴（2023）", "2023"],
        ["德阳年鉴（2024）", "2024"],
    ]
    assert str(table.rows[0][0]).startswith("publication:")
    counted = select(store, "SELECT (COUNT(*) AS ?n) WHERE { ?x a zhi:Yearbook }")
    assert counted.rows == [[17]]
    with pytest.raises(InputError, match="select\\(\\) runs SELECT queries"):
        select(store, ASK_TRUE)


def test_syntax_error_names_line_and_column(store: GraphStore) -> None:
    with pytest.raises(InputError, match=r"SPARQL syntax error: error at 2:\d+"):
        run_query(store, "SELECT ?x WHERE {\n  ?x a }")


@pytest.mark.parametrize(
    ("text", "zh", "en"),
    [
        ("# zh: 问题\n# en: Question\nASK {}\n", "问题", "Question"),
        ("# en:  Only English  \nASK {}\n", "", "Only English"),
        ("ASK {}\n# zh: too late\n", "", ""),
        (
            "\ufeff# zh: 带BOM\n#\n# en: after a blank comment\nASK {}",
            "带BOM",
            "after a blank comment",
        ),
    ],
)
def test_read_query_titles(tmp_path: Path, text: str, zh: str, en: str) -> None:
    path = tmp_path / "q.rq"
    path.write_text(text, encoding="utf-8")
    query = read_query(path)
    assert (query.name, query.title_zh, query.title_en) == ("q", zh, en)
    assert "ASK {}" in query.sparql


@pytest.mark.parametrize(("content", "message"), [(None, "no such query file"), ("  \n", "empty")])
def test_read_query_errors(tmp_path: Path, content: str | None, message: str) -> None:
    path = tmp_path / "q.rq"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        read_query(path)


def test_bundled_queries_are_found_and_titled() -> None:
    queries = bundled_queries()
    assert len(queries) >= 15
    assert all(q.title_zh and q.title_en for q in queries)
    assert [q.name for q in queries] == sorted(q.name for q in queries)
