"""Choosing a result format from Accept or format=, and writing capped results."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest

from zhi_graph.resultformat import ResultFormat
from zhi_graph.results import (
    UnknownFormat,
    _CappedTable,
    _TableFull,
    choose,
    format_named,
    preferences,
    write,
)

F = ResultFormat


@pytest.mark.parametrize(
    ("accept", "graph", "expected"),
    [
        ("", False, F.JSON),
        ("*/*", False, F.JSON),
        ("*/*", True, F.TURTLE),
        ("application/sparql-results+xml", False, F.XML),
        ("text/csv;q=0.5, text/tab-separated-values", False, F.TSV),
        ("text/csv;q=0.5, text/tab-separated-values;q=0.4", False, F.CSV),
        ("application/sparql-results+json,application/json,text/javascript", False, F.JSON),
        ("application/n-triples,*/*;q=0.9", True, F.NTRIPLES),
        ("application/ld+json,application/x-json+ld", True, F.JSONLD),
        ("application/turtle,text/turtle", True, F.TURTLE),
        ("application/rdf+xml", True, F.RDFXML),
        ("application/sparql-results+json", True, F.JSONLD),
        ("application/sparql-results+xml", True, F.RDFXML),
        ("text/turtle", False, F.JSON),
        ("image/png", False, F.JSON),
        ("text/*", False, F.CSV),
        ("text/csv;q=0, application/sparql-results+xml", False, F.XML),
    ],
)
def test_negotiation(accept: str, graph: bool, expected: ResultFormat) -> None:
    assert choose(preferences(accept), graph=graph) is expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("json", F.JSON),
        ("CSV", F.CSV),
        ("ttl", F.TURTLE),
        ("json-ld", F.JSONLD),
        ("nt", F.NTRIPLES),
        ("text/tab-separated-values", F.TSV),
        ("n3", F.TURTLE),
    ],
)
def test_format_names(name: str, expected: ResultFormat) -> None:
    assert format_named(name) is expected


@pytest.mark.parametrize("name", ["png", "table"])  # a table is for terminals only
def test_unknown_format_name(name: str) -> None:
    with pytest.raises(UnknownFormat, match=f"unknown format '{name}'") as raised:
        format_named(name)
    assert "table" not in str(raised.value).partition("give one of")[2]


@pytest.fixture(scope="module")
def store() -> ox.Store:
    store = ox.Store()
    for i in range(7):
        store.add(
            ox.Quad(
                ox.NamedNode(f"http://e/{i}"),
                ox.NamedNode("http://e/label"),
                ox.Literal(f'名\t{i}\n"q"', language="zh"),
            )
        )
    return store


@pytest.mark.parametrize("cap", [3, 7, 100])
def test_rows_are_capped_and_terms_survive(store: ox.Store, cap: int) -> None:
    result = store.query("SELECT ?s ?l ?missing WHERE { ?s ?p ?l } ORDER BY ?s")
    written = write(result, ("application/sparql-results+json",), cap)
    data = json.loads(written.body)
    assert written.rows == len(data["results"]["bindings"]) == min(cap, 7)
    assert written.truncated is (cap < 7)
    first = data["results"]["bindings"][0]
    assert first["l"] == {"type": "literal", "value": '名\t0\n"q"', "xml:lang": "zh"}
    assert data["head"]["vars"] == ["s", "l", "missing"] and "missing" not in first


def test_triples_are_capped(store: ox.Store) -> None:
    written = write(store.query("CONSTRUCT WHERE { ?s ?p ?o }"), ("application/n-triples",), 4)
    assert written.fmt is F.NTRIPLES and written.truncated
    assert len(written.body.decode().strip().splitlines()) == 4


def test_ask_in_every_tabular_format(store: ox.Store) -> None:
    for fmt in (F.JSON, F.XML, F.CSV, F.TSV):
        written = write(store.query("ASK { ?s ?p ?o }"), (fmt.value,), 10)
        assert b"true" in written.body, fmt


@pytest.mark.parametrize(
    ("chunks", "cap", "stops", "rows", "truncated"),
    [
        ([b"?a\n", b"1\n2\n"], 5, False, 2, False),
        ([b"?a\n1\n2", b"\n3\n"], 3, False, 3, False),
        ([b"?a\n1\n2\n3\n4\n", b"5\n"], 3, True, 3, True),
        ([b"?a\n1\n2\n3\n4\n"], 0, True, 0, True),
    ],
)
def test_the_table_writer_stops_one_row_past_the_cap(
    chunks: list[bytes], cap: int, stops: bool, rows: int, truncated: bool
) -> None:
    table = _CappedTable(cap)
    stopped = False
    for chunk in chunks:
        try:
            table.write(chunk)
        except _TableFull:
            stopped = True
            break
    assert stopped is stops
    body, counted, cut = table.table()
    assert (counted, cut) == (rows, truncated)
    assert body.count(b"\n") == rows + 1


def test_many_rows_are_written_in_every_format() -> None:
    store = ox.Store()
    for i in range(5000):
        store.add(ox.Quad(ox.BlankNode(), ox.NamedNode("http://e/n"), ox.Literal(i)))
    for fmt in (F.JSON, F.XML, F.CSV, F.TSV):
        written = write(
            store.query("SELECT ?s ?n WHERE { ?s <http://e/n> ?n }"), (fmt.value,), 4000
        )
        assert (written.rows, written.truncated) == (4000, True), fmt
        if fmt is F.JSON:
            assert len(json.loads(written.body)["results"]["bindings"]) == 4000
        if fmt is F.TSV:
            assert written.body.count(b"\n") == 4001
