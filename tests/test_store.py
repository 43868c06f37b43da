"""Loading a build into Oxigraph: named graphs, materialised types, on-disk reuse."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from zhi_graph.errors import InputError, OutputError
from zhi_graph.sparql import bundled_queries
from zhi_graph.store import (
    MANIFEST,
    ONTOLOGY_GRAPH,
    QUERY_PREFIXES,
    GraphStore,
    may_name_a_graph,
    open_store,
)


@pytest.fixture(scope="module")
def store(sample_out: Path) -> GraphStore:
    return open_store(sample_out)


def count(store: GraphStore, pattern: str) -> int:
    rows = list(store.query(f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ {pattern} }}"))  # type: ignore[arg-type]
    return int(rows[0]["n"].value)


@pytest.mark.parametrize(
    ("superclass", "subclass"),
    [
        ("zhi:Publication", "zhi:Yearbook"),
        ("zhi:Publication", "zhi:PolicyDocument"),
        ("zhi:Entity", "zhi:Region"),
        ("zhi:Region", "zhi:Country"),
        ("schema:CreativeWork", "zhi:Yearbook"),
        ("prov:Entity", "zhi:Award"),
    ],
)
def test_subclass_members_are_typed_with_the_superclass(
    store: GraphStore, superclass: str, subclass: str
) -> None:
    members = count(store, f"?x a {subclass}")
    assert members > 0
    assert count(store, f"?x a {subclass} . FILTER NOT EXISTS {{ ?x a {superclass} }}") == 0


def test_publication_covers_every_subtype(store: GraphStore) -> None:
    direct = count(store, "?x a zhi:Publication . ?x a ?t . FILTER(?t != zhi:Publication)")
    assert count(store, "?x a zhi:Publication") == direct > 17


def test_named_graph_per_document_and_ontology_apart(store: GraphStore) -> None:
    graphs = store.graphs()
    assert len(graphs) == 1 and graphs[0].startswith("https://w3id.org/zhi-graph/id/document/")
    sparql = f"SELECT ?l WHERE {{ GRAPH <{ONTOLOGY_GRAPH}> {{ zhi:Yearbook rdfs:label ?l }} }}"
    labels = list(store.query(sparql))  # type: ignore[arg-type]
    assert {row["l"].value for row in labels} >= {"年鉴", "yearbook"}


def test_turtle_file_loads_into_the_default_graph(sample_out: Path) -> None:
    store = open_store(sample_out / "graph.ttl")
    assert store.graphs() == []
    assert count(store, "?x a zhi:Publication") > 17


def test_syntax_error_names_line_and_column(store: GraphStore) -> None:
    with pytest.raises(InputError, match=r"SPARQL syntax error: error at 1:\d+"):
        store.query("SELECT ?x WHERE { ?x a }")


def test_on_disk_store_is_reused_then_reloaded(sample_out: Path, tmp_path: Path) -> None:
    folder = tmp_path / "store"
    first = open_store(sample_out, store_dir=folder)
    size = len(first)
    del first
    assert (folder / MANIFEST).is_file()
    reopened = open_store(store_dir=folder)
    assert len(reopened) == size
    assert reopened.source == (sample_out / "graph.trig").resolve()
    del reopened
    stamp = (folder / MANIFEST).stat().st_mtime_ns
    again = open_store(sample_out, store_dir=folder)
    assert len(again) == size and (folder / MANIFEST).stat().st_mtime_ns == stamp
    del again
    changed = tmp_path / "changed.ttl"
    changed.write_text(
        "@prefix zhi: <https://w3id.org/zhi-graph/ontology#> .\n"
        "<https://w3id.org/zhi-graph/id/award/x> a zhi:Award .\n",
        encoding="utf-8",
    )
    reloaded = open_store(changed, store_dir=folder)
    assert count(reloaded, "?x a zhi:Award") == 1


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing", None, "no such file"),
        ("", None, "no graph.trig"),
        ("g.csv", "x", "unknown graph format"),
        ("g.ttl", "<a> <b> .", "cannot parse"),
    ],
)
def test_bad_sources_are_reported(
    tmp_path: Path, name: str, content: str | None, message: str
) -> None:
    source = tmp_path / name
    if content is not None:
        source.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        open_store(source)


def test_reopening_an_empty_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no zhi-graph store"):
        open_store(store_dir=tmp_path)


def test_a_foreign_folder_is_not_overwritten(sample_out: Path, tmp_path: Path) -> None:
    (tmp_path / "precious.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(OutputError, match="not empty"):
        open_store(sample_out, store_dir=tmp_path)
    assert (tmp_path / "precious.txt").read_text(encoding="utf-8") == "keep me"


def test_a_file_where_the_store_folder_goes_is_an_error(sample_out: Path, tmp_path: Path) -> None:
    given = tmp_path / "store"
    given.write_text("keep me", encoding="utf-8")
    with pytest.raises(OutputError, match="exists and is not a folder") as caught:
        open_store(sample_out, store_dir=given)
    assert str(given) in str(caught.value)
    assert given.read_text(encoding="utf-8") == "keep me"


TWO_GRAPHS = """@prefix zhi: <https://w3id.org/zhi-graph/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://w3id.org/zhi-graph/id/document/a> {
  <https://w3id.org/zhi-graph/id/award/x> a zhi:Award ; rdfs:label "中国精品年鉴"@zh .
  <https://w3id.org/zhi-graph/id/publication/p> a zhi:Yearbook ;
      zhi:receivedAward <https://w3id.org/zhi-graph/id/award/x> .
}
<https://w3id.org/zhi-graph/id/document/b> {
  <https://w3id.org/zhi-graph/id/award/x> a zhi:Award ; rdfs:label "中国精品年鉴"@zh .
}
"""


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        # The default graph is the RDF merge: a triple of two documents counts once.
        ("award:x rdfs:label ?x", 1),
        ("award:x a ?x", 5),  # Award, Entity, prov:Entity, schema:Thing, schema:Intangible
        ("GRAPH ?x { award:x rdfs:label ?l }", 2),
        ("?x zhi:receivedAward award:x", 1),
        ("?x a zhi:Publication", 1),
    ],
)
def test_default_graph_is_the_merged_union(tmp_path: Path, pattern: str, expected: int) -> None:
    source = tmp_path / "two.trig"
    source.write_text(TWO_GRAPHS, encoding="utf-8")
    store = open_store(source)
    rows = list(store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}"))  # type: ignore[arg-type]
    assert int(rows[0]["n"].value) == expected


def test_quads_are_the_loaded_graphs_without_the_merge(tmp_path: Path) -> None:
    source = tmp_path / "two.trig"
    source.write_text(TWO_GRAPHS, encoding="utf-8")
    store = open_store(source)
    graphs = {quad.graph_name for quad in store.quads()}
    assert {getattr(g, "value", "(default graph)") for g in graphs} == {
        "https://w3id.org/zhi-graph/id/document/a",
        "https://w3id.org/zhi-graph/id/document/b",
        ONTOLOGY_GRAPH,
    }


@pytest.mark.parametrize(
    ("sparql", "names_a_graph"),
    [
        ("SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }", True),
        ("select * where { graph ?g { ?s ?p ?o } }", True),
        ("SELECT * FROM <urn:x> WHERE { ?s ?p ?o }", True),
        ("SELECT * FROM NAMED <urn:x> WHERE { ?s ?p ?o }", True),
        ("SELECT * WHERE { SERVICE <urn:x> { ?s ?p ?o } }", True),
        ("SELECT * WHERE { ?s ?p 'a#' . GRAPH ?g { } }", True),
        ("SELECT * WHERE { ?s ?p 'it\\'s' . GRAPH ?g { } }", True),
        ("# it's\nSELECT * WHERE { GRAPH ?g { } } # '", True),
        ("SELECT ?graph WHERE { ?graph ?p ?o }", True),  # a variable so named: the safe side
        ("SELECT * WHERE { ?s a zhi:Yearbook }", False),
        ("SELECT * WHERE { <https://w3id.org/zhi-graph/graph/x> ?p ?o }", False),
        ("# read from the end of the name\nSELECT * WHERE { ?s ?p ?o }", False),
        ('SELECT * WHERE { ?s ?p "graph" }', False),
        ('SELECT * WHERE { ?s ?p """a\n" GRAPH""" }', False),
        ("SELECT * WHERE { ?s ?p ?o FILTER(?s<?o) }", False),
    ],
)
def test_queries_that_may_name_a_graph(sparql: str, names_a_graph: bool) -> None:
    assert may_name_a_graph(sparql) is names_a_graph


def _answer(result: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples) -> object:
    if isinstance(result, ox.QueryBoolean):
        return bool(result)
    if isinstance(result, ox.QueryTriples):
        return sorted(str(t) for t in result)
    # GROUP_CONCAT joins in no defined order: compare its parts as a set.
    return sorted(
        tuple(tuple(sorted(v.value.split("、"))) if v is not None else () for v in row)
        for row in result
    )


def test_the_default_graph_copy_answers_as_the_whole_store(store: GraphStore) -> None:
    assert store.default_graph is not None
    assert len(store.default_graph) == sum(
        1 for _ in store.store.quads_for_pattern(None, None, None, ox.DefaultGraph())
    )
    questions = bundled_queries()
    on_copy = [q for q in questions if not may_name_a_graph(q.sparql)]
    assert len(on_copy) >= 15
    for question in questions:
        whole = store.store.query(question.sparql, prefixes=QUERY_PREFIXES)
        assert _answer(store.query(question.sparql)) == _answer(whole), question.name


def test_a_query_naming_a_graph_reaches_the_document_graphs(store: GraphStore) -> None:
    rows = list(store.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"))  # type: ignore[arg-type]
    assert len(rows) == 2  # the document and the ontology
