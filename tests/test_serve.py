"""The SPARQL endpoint, driven by real clients: SPARQLWrapper, raw HTTP and headless Chromium.

Two endpoints run against the sample build for the whole module, each on a
free loopback port: ``endpoint`` with the defaults, and ``strict`` with a
tiny time limit, row cap and body limit and a bearer token.
"""

from __future__ import annotations

import contextlib
import csv
import http.client
import io
import json
import logging
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph
from SPARQLWrapper import CSV, JSON, JSONLD, N3, POST, POSTDIRECTLY, TSV, TURTLE, XML, SPARQLWrapper
from typer.testing import CliRunner

from zhi_graph.cli import app
from zhi_graph.errors import InputError, NetworkError
from zhi_graph.serve import (
    ROWS_HEADER,
    TRUNCATED_HEADER,
    Endpoint,
    ServeOptions,
    is_loopback,
    open_endpoint,
    read_questions,
    with_prefixes,
)
from zhi_graph.sparql import bundled_queries
from zhi_graph.store import GraphStore
from zhi_graph.workers import _environment, allocator_library, isolate_network, worker_environment

TOKEN = "s3cret-token"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
YEARBOOKS = "SELECT ?x ?label WHERE { ?x a zhi:Yearbook ; rdfs:label ?label } ORDER BY ?x"
AROUND = "CONSTRUCT { ?x ?p ?o } WHERE { ?x a zhi:Yearbook ; ?p ?o }"
ASK = "ASK { ?x a zhi:Publication }"
PAYLOAD = "</script><script>alert(1)</script><img src=x onerror=alert(2)> javascript:alert(3)"

QUESTIONS = {
    "awards.rq": "# zh: 哪些年鉴获得了哪些奖项？\n# en: Which yearbooks won which awards?\n"
    "SELECT ?book ?award WHERE { ?book zhi:receivedAward ?award }\n",
    "evil.rq": f"# zh: {PAYLOAD}\n# en: {PAYLOAD}\n"
    f"SELECT * WHERE {{ ?s rdfs:label '{PAYLOAD}' }}\n",
}


@pytest.fixture(scope="module")
def queries_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("queries")
    for name, text in QUESTIONS.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def endpoint(sample_out: Path, queries_dir: Path) -> Iterator[Endpoint]:
    options = ServeOptions(port=0, timeout=20, workers=2, queries=queries_dir)
    with open_endpoint(sample_out, options) as running:
        running.start()
        yield running


@pytest.fixture(scope="module")
def strict(sample_out: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Endpoint]:
    options = ServeOptions(port=0, timeout=1.5, max_rows=5, max_body=2048, workers=3, token=TOKEN)
    store_dir = tmp_path_factory.mktemp("strict") / "store"
    with open_endpoint(sample_out, options, store_dir=store_dir) as running:
        running.start()
        yield running


@dataclass(frozen=True)
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def media_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0]

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")


def call(
    base: str,
    method: str,
    path: str,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 30,
) -> Reply:
    """A raw HTTP request; the path is sent exactly as given (no normalisation)."""
    parts = urllib.parse.urlsplit(base)
    host = parts.hostname or "127.0.0.1"
    connection = http.client.HTTPConnection(host, parts.port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return Reply(
            response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
        )
    finally:
        connection.close()


def sparql_request(
    base: str,
    style: str,
    query: str,
    accept: str | None = None,
    extra: dict[str, str] | None = None,
    timeout: float = 30,
) -> Reply:
    headers = dict(extra or {})
    if accept is not None:
        headers["Accept"] = accept
    if style == "GET":
        return call(
            base,
            "GET",
            "/sparql?" + urllib.parse.urlencode({"query": query}),
            None,
            headers,
            timeout,
        )
    if style == "form":
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        body = urllib.parse.urlencode({"query": query}).encode()
        return call(base, "POST", "/sparql", body, headers, timeout)
    headers["Content-Type"] = "application/sparql-query"
    return call(base, "POST", "/sparql", query.encode("utf-8"), headers, timeout)


def expected_yearbooks(reference: GraphStore) -> set[tuple[str, str]]:
    rows = reference.query(YEARBOOKS)
    return {(row["x"].value, row["label"].value) for row in rows}  # type: ignore[union-attr]


def rows_of(reply: Reply) -> set[tuple[str, str]]:
    """(x, label) pairs from any tabular format."""
    if reply.media_type == "application/sparql-results+json":
        data = json.loads(reply.body)
        return {(b["x"]["value"], b["label"]["value"]) for b in data["results"]["bindings"]}
    if reply.media_type == "application/sparql-results+xml":
        ns = {"r": "http://www.w3.org/2005/sparql-results#"}
        root = ET.fromstring(reply.body)
        found = set()
        for result in root.iterfind(".//r:result", ns):
            values = {
                b.get("name"): "".join(b.itertext()).strip()
                for b in result.iterfind("r:binding", ns)
            }
            found.add((values["x"], values["label"]))
        return found
    if reply.media_type == "text/csv":
        table = list(csv.reader(io.StringIO(reply.text)))
        assert table[0] == ["x", "label"]
        return {(x, label) for x, label in table[1:]}
    assert reply.media_type == "text/tab-separated-values"
    lines = reply.text.strip("\n").split("\n")
    assert lines[0] == "?x\t?label"
    found = set()
    for line in lines[1:]:
        x, label = line.split("\t")
        found.add((x.strip("<>"), json.loads(label[: label.rindex('"') + 1])))
    return found


def graph_of(reply: Reply) -> Graph:
    parser = {
        "text/turtle": "turtle",
        "application/n-triples": "nt",
        "application/ld+json": "json-ld",
        "application/rdf+xml": "xml",
    }[reply.media_type]
    return Graph().parse(data=reply.body, format=parser)


STYLES = ["GET", "form", "direct"]
TABULAR = [
    ("application/sparql-results+json", "application/sparql-results+json"),
    ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("text/csv", "text/csv"),
    ("text/tab-separated-values", "text/tab-separated-values"),
    ("application/json", "application/sparql-results+json"),
    (None, "application/sparql-results+json"),
]
GRAPHS = [
    ("text/turtle", "text/turtle"),
    ("application/n-triples", "application/n-triples"),
    ("application/ld+json", "application/ld+json"),
    ("application/rdf+xml", "application/rdf+xml"),
    (None, "text/turtle"),
]


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize(("accept", "media_type"), TABULAR)
def test_select_in_every_format_and_style(
    endpoint: Endpoint, reference: GraphStore, style: str, accept: str | None, media_type: str
) -> None:
    reply = sparql_request(endpoint.url, style, YEARBOOKS, accept)
    assert reply.status == 200, reply.body
    assert reply.media_type == media_type
    expected = expected_yearbooks(reference)
    assert len(expected) > 3
    assert rows_of(reply) == expected
    assert reply.headers[ROWS_HEADER.lower()] == str(len(expected))
    assert TRUNCATED_HEADER.lower() not in reply.headers


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize(("accept", "media_type"), GRAPHS)
def test_construct_in_every_format_and_style(
    endpoint: Endpoint, reference: GraphStore, style: str, accept: str | None, media_type: str
) -> None:
    reply = sparql_request(endpoint.url, style, AROUND, accept)
    assert reply.status == 200, reply.body
    assert reply.media_type == media_type
    expected = len(list(reference.query(AROUND)))  # type: ignore[arg-type]
    assert expected > 20
    assert len(graph_of(reply)) == expected


@pytest.mark.parametrize(
    ("accept", "fragment"),
    [
        ("application/sparql-results+json", b'"boolean":true'),
        ("application/sparql-results+xml", b"<boolean>true</boolean>"),
        ("text/csv", b"true"),
        ("text/tab-separated-values", b"true"),
    ],
)
def test_ask(endpoint: Endpoint, accept: str, fragment: bytes) -> None:
    reply = sparql_request(endpoint.url, "GET", ASK, accept)
    assert reply.status == 200 and fragment in reply.body.replace(b" ", b"")


@pytest.mark.parametrize(
    ("fmt", "media_type"),
    [
        ("text/csv; charset=utf-8", "text/csv"),
        ("png,tsv", "text/tab-separated-values"),
        ("tsv", "text/tab-separated-values"),
        ("xml", "application/sparql-results+xml"),
    ],
)
def test_format_parameter_overrides_accept(endpoint: Endpoint, fmt: str, media_type: str) -> None:
    path = "/sparql?" + urllib.parse.urlencode({"query": YEARBOOKS, "format": fmt})
    reply = call(endpoint.url, "GET", path, headers={"Accept": "application/sparql-results+json"})
    assert reply.status == 200 and reply.media_type == media_type


def test_default_graph_uri_limits_the_dataset(endpoint: Endpoint, reference: GraphStore) -> None:
    graph = reference.graphs()[0]
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    params = urllib.parse.urlencode({"query": count, "default-graph-uri": "http://nowhere/"})
    empty = json.loads(call(endpoint.url, "GET", "/sparql?" + params).body)
    params = urllib.parse.urlencode({"query": count, "default-graph-uri": graph})
    full = json.loads(call(endpoint.url, "GET", "/sparql?" + params).body)
    assert empty["results"]["bindings"][0]["n"]["value"] == "0"
    assert int(full["results"]["bindings"][0]["n"]["value"]) > 1000


# --- SPARQLWrapper, a real client


def wrapper(endpoint: Endpoint, query: str, fmt: str, method: str = "GET") -> SPARQLWrapper:
    client = SPARQLWrapper(endpoint.url + "sparql")
    client.setQuery(query)
    client.setReturnFormat(fmt)
    if method == "POST":
        client.setMethod(POST)
    elif method == "POSTDIRECTLY":
        client.setMethod(POST)
        client.setRequestMethod(POSTDIRECTLY)
    return client


@pytest.mark.parametrize("method", ["GET", "POST", "POSTDIRECTLY"])
@pytest.mark.parametrize("fmt", [JSON, XML, CSV, TSV])
def test_sparqlwrapper_select(
    endpoint: Endpoint, reference: GraphStore, method: str, fmt: str
) -> None:
    response = wrapper(endpoint, YEARBOOKS, fmt, method).query()
    expected = expected_yearbooks(reference)
    converted = response.convert()
    if fmt == JSON:
        assert isinstance(converted, dict)
        rows = {(b["x"]["value"], b["label"]["value"]) for b in converted["results"]["bindings"]}
    elif fmt == XML:
        ns = "{http://www.w3.org/2005/sparql-results#}"
        rows = set()
        for result in converted.getElementsByTagName("result"):  # type: ignore[union-attr]
            values = {
                b.getAttribute("name"): b.firstChild.firstChild.data  # type: ignore[union-attr]
                for b in result.getElementsByTagName("binding")
            }
            rows.add((values["x"], values["label"]))
        assert ns
    else:
        assert isinstance(converted, bytes)
        reply = Reply(
            200,
            {"content-type": "text/csv" if fmt == CSV else "text/tab-separated-values"},
            converted,
        )
        rows = rows_of(reply)
    assert rows == expected


@pytest.mark.parametrize("method", ["GET", "POST", "POSTDIRECTLY"])
@pytest.mark.parametrize("fmt", [TURTLE, N3, JSONLD, XML])
def test_sparqlwrapper_construct(
    endpoint: Endpoint, reference: GraphStore, method: str, fmt: str
) -> None:
    converted = wrapper(endpoint, AROUND, fmt, method).query().convert()
    graph = (
        Graph().parse(data=converted, format="turtle")
        if isinstance(converted, bytes)
        else converted
    )
    assert isinstance(graph, Graph)
    assert len(graph) == len(list(reference.query(AROUND)))  # type: ignore[arg-type]


def test_sparqlwrapper_ntriples(endpoint: Endpoint, reference: GraphStore) -> None:
    """SPARQLWrapper has no N-Triples format: ask for it by content negotiation alone."""
    client = wrapper(endpoint, AROUND, N3)
    client.setOnlyConneg(True)
    client.addCustomHttpHeader("Accept", "application/n-triples")
    response = client.query()
    assert response.response.headers["Content-Type"].startswith("application/n-triples")
    body = response.convert()
    assert isinstance(body, bytes)
    graph = Graph().parse(data=body, format="nt")
    assert len(graph) == len(list(reference.query(AROUND)))  # type: ignore[arg-type]


@pytest.mark.parametrize("fmt", [JSON, XML])
def test_sparqlwrapper_ask(endpoint: Endpoint, fmt: str) -> None:
    converted = wrapper(endpoint, ASK, fmt).query().convert()
    if fmt == JSON:
        assert converted == {"head": {}, "boolean": True}
    else:
        assert converted.getElementsByTagName("boolean")[0].firstChild.data == "true"  # type: ignore[union-attr]


# --- read-only and refusals


@pytest.mark.parametrize(
    ("method", "path", "body", "content_type", "message"),
    [
        (
            "GET",
            "/sparql?" + urllib.parse.urlencode({"update": "DROP ALL"}),
            None,
            None,
            "read-only",
        ),
        ("POST", "/sparql", b"update=DROP+ALL", "application/x-www-form-urlencoded", "read-only"),
        ("POST", "/sparql", b"DROP ALL", "application/sparql-update", "read-only"),
        (
            "POST",
            "/sparql",
            b"INSERT DATA { <http://a> <http://b> <http://c> }",
            "application/sparql-query",
            "read-only",
        ),
        (
            "GET",
            "/sparql?" + urllib.parse.urlencode({"query": "DELETE WHERE { ?s ?p ?o }"}),
            None,
            None,
            "read-only",
        ),
        (
            "GET",
            "/sparql?" + urllib.parse.urlencode({"query": "LOAD <http://example.org/x.ttl>"}),
            None,
            None,
            "LOAD is refused",
        ),
        (
            "POST",
            "/sparql",
            b"query=SELECT+*+WHERE+%7B+SERVICE+%3Chttp%3A%2F%2F127.0.0.1%3A9%2F%3E+%7B%3Fs+%3Fp+%3Fo%7D%7D",
            "application/x-www-form-urlencoded",
            "SERVICE",
        ),
        (
            "POST",
            "/sparql",
            b"SELECT * WHERE { \\u0053ERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
            "application/sparql-query",
            "SERVICE",
        ),
    ],
)
def test_writes_and_federation_are_refused(
    endpoint: Endpoint,
    reference: GraphStore,
    method: str,
    path: str,
    body: bytes | None,
    content_type: str | None,
    message: str,
) -> None:
    # The named graphs as loaded (the store also holds their merged union).
    before = sum(1 for _ in reference.quads())
    headers = {"Content-Type": content_type} if content_type else {}
    reply = call(endpoint.url, method, path, body, headers)
    assert reply.status == 403, reply.body
    assert message in reply.text
    count = sparql_request(
        endpoint.url, "GET", "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    )
    assert json.loads(count.body)["results"]["bindings"][0]["n"]["value"] == str(before)


def test_service_never_reaches_the_network(endpoint: Endpoint) -> None:
    """A listener stands where a SERVICE call would go; nothing may connect to it."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    listener.settimeout(1.0)
    port = listener.getsockname()[1]
    for keyword in ("SERVICE", "service", "\\u0053ERVICE", "SeRvIcE SILENT"):
        query = f"SELECT * WHERE {{ {keyword} <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}"
        assert sparql_request(endpoint.url, "form", query).status == 403
    with pytest.raises(TimeoutError):
        listener.accept()
    listener.close()


def test_workers_can_be_cut_off_from_the_network() -> None:
    """Where namespaces are allowed, a worker-like process cannot open any connection."""
    code = (
        "import socket, sys\n"
        "from zhi_graph.workers import isolate_network\n"
        "if not isolate_network(): sys.exit(3)\n"
        "s = socket.socket()\n"
        "try:\n    s.connect(('127.0.0.1', int(sys.argv[1])))\nexcept OSError:\n    sys.exit(0)\n"
        "sys.exit(1)\n"
    )
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    done = subprocess.run(
        [sys.executable, "-c", code, str(listener.getsockname()[1])], timeout=60, check=False
    )
    listener.close()
    if done.returncode == 3:
        pytest.skip("this system allows no network namespace; guard alone refuses SERVICE")
    assert done.returncode == 0
    assert callable(isolate_network)


def mimalloc() -> str:
    """mimalloc's library; skipped locally but failed on CI when the system lacks it."""
    library = allocator_library()
    if library is None:
        reason = "mimalloc not found; install it with `apt-get install libmimalloc2.0`"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return library


def test_workers_run_with_mimalloc(endpoint: Endpoint) -> None:
    """Each worker reports mimalloc mapped into itself; the server keeps its environment."""
    assert "mimalloc" in mimalloc()
    assert endpoint.pool.allocator == "mimalloc"
    assert endpoint.pool._workers and all(w.fast_allocator for w in endpoint.pool._workers)
    assert "mimalloc" not in os.environ.get("LD_PRELOAD", "")


def test_workers_can_keep_the_system_allocator(sample_out: Path) -> None:
    mimalloc()
    options = ServeOptions(port=0, workers=1, fast_allocator=False)
    with open_endpoint(sample_out, options) as running:
        running.start()
        assert running.pool.allocator is None
        assert not any(w.fast_allocator for w in running.pool._workers)
        assert sparql_request(running.url, "GET", ASK).status == 200


@pytest.mark.parametrize(
    ("library", "before", "expected"),
    [
        ("libx.so.1", {}, {"LD_PRELOAD": "libx.so.1", "MIMALLOC_LARGE_OS_PAGES": "1"}),
        (
            "libx.so.1",
            {"LD_PRELOAD": "liby.so", "MIMALLOC_LARGE_OS_PAGES": "0"},
            {"LD_PRELOAD": "libx.so.1:liby.so", "MIMALLOC_LARGE_OS_PAGES": "0"},
        ),
        (None, {}, {"GLIBC_TUNABLES": "glibc.malloc.hugetlb=1"}),
        (
            None,
            {"GLIBC_TUNABLES": "glibc.malloc.tcache_count=9"},
            {"GLIBC_TUNABLES": "glibc.malloc.tcache_count=9:glibc.malloc.hugetlb=1"},
        ),
    ],
)
def test_worker_environment_is_set_for_the_start_and_restored(
    monkeypatch: pytest.MonkeyPatch,
    library: str | None,
    before: dict[str, str],
    expected: dict[str, str],
) -> None:
    for name in ("LD_PRELOAD", "MIMALLOC_LARGE_OS_PAGES", "GLIBC_TUNABLES"):
        monkeypatch.delenv(name, raising=False)
    for name, value in before.items():
        monkeypatch.setenv(name, value)
    variables = worker_environment(library)
    assert variables == expected
    with _environment(variables):
        assert {name: os.environ[name] for name in expected} == expected
    assert {name: os.environ.get(name) for name in expected} == {
        name: before.get(name) for name in expected
    }


@pytest.mark.parametrize(
    ("query", "where"),
    [
        ("SELECT * WHERE { ?x a }", "1:"),
        ("SELECT ?x\nWHERE {\n  ?x a zhi:Yearbook .\n  FILTER(\n}", "5:"),
    ],
)
def test_syntax_error_is_400_with_line_and_column(
    endpoint: Endpoint, query: str, where: str
) -> None:
    reply = sparql_request(endpoint.url, "GET", query)
    assert reply.status == 400
    assert "SPARQL syntax error: error at " + where in reply.text


@pytest.mark.parametrize(
    ("method", "path", "body", "headers", "status"),
    [
        ("GET", "/sparql", None, {}, 400),
        ("GET", "/sparql?query=ASK%7B%7D&query=ASK%7B%7D", None, {}, 400),
        ("GET", "/sparql?query=ASK%7B%7D&format=png", None, {}, 400),
        ("POST", "/sparql", b"ASK {}", {"Content-Type": "text/plain"}, 415),
        ("POST", "/sparql", b"ASK {}", {}, 415),
        ("POST", "/sparql", b"\xff\xfe", {"Content-Type": "application/sparql-query"}, 400),
        ("POST", "/", b"x", {"Content-Type": "application/sparql-query"}, 404),
        ("PUT", "/sparql", b"x", {}, 501),
        ("DELETE", "/sparql", None, {}, 501),
    ],
)
def test_bad_requests(
    endpoint: Endpoint,
    method: str,
    path: str,
    body: bytes | None,
    headers: dict[str, str],
    status: int,
) -> None:
    assert call(endpoint.url, method, path, body, headers).status == status


# --- limits and the token

AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({}, 401),
        ({"Authorization": "Bearer wrong"}, 401),
        ({"Authorization": f"Basic {TOKEN}"}, 401),
        ({"Authorization": f"Bearer {TOKEN}x"}, 401),
        (AUTH, 200),
    ],
)
def test_token(strict: Endpoint, headers: dict[str, str], status: int) -> None:
    reply = sparql_request(strict.url, "GET", ASK, extra=headers)
    assert reply.status == status
    if status == 401:
        assert reply.headers["www-authenticate"].startswith("Bearer")
        assert TOKEN not in reply.text


def test_token_guards_posts_too(strict: Endpoint) -> None:
    assert sparql_request(strict.url, "form", ASK).status == 401
    assert sparql_request(strict.url, "direct", ASK, extra=AUTH).status == 200


@pytest.mark.parametrize(
    ("query", "accept"),
    [
        ("SELECT * WHERE { ?s ?p ?o }", "application/sparql-results+json"),
        ("SELECT * WHERE { ?s ?p ?o }", "text/csv"),
        ("CONSTRUCT WHERE { ?s ?p ?o }", "application/n-triples"),
    ],
)
def test_rows_are_capped(strict: Endpoint, query: str, accept: str) -> None:
    reply = sparql_request(strict.url, "GET", query, accept, AUTH)
    assert reply.status == 200
    assert reply.headers[ROWS_HEADER.lower()] == "5"
    assert "5 rows" in reply.headers[TRUNCATED_HEADER.lower()]
    if accept == "application/sparql-results+json":
        assert len(json.loads(reply.body)["results"]["bindings"]) == 5
    else:
        assert len(reply.text.strip().splitlines()) == 5 + (accept == "text/csv")


@pytest.mark.parametrize("size", [2049, 100_000, 5_000_000])
def test_body_limit(strict: Endpoint, size: int) -> None:
    body = b"ASK { ?s ?p ?o }" + b" " * (size - 16)
    headers = {"Content-Type": "application/sparql-query", **AUTH}
    reply = call(strict.url, "POST", "/sparql", body, headers)
    assert reply.status == 413
    assert "limit is 2048 bytes" in reply.text


def test_a_huge_declared_body_is_refused_at_once(strict: Endpoint) -> None:
    parts = urllib.parse.urlsplit(strict.url)
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as raw:
        raw.sendall(
            b"POST /sparql HTTP/1.0\r\nAuthorization: Bearer "
            + TOKEN.encode()
            + b"\r\nContent-Type: application/sparql-query\r\n"
            b"Content-Length: 10000000000\r\n\r\nASK"
        )
        assert raw.recv(100).startswith(b"HTTP/1.0 413")


def test_body_at_the_limit_is_read(strict: Endpoint) -> None:
    body = b"ASK { ?s ?p ?o }" + b" " * (2048 - 16)
    headers = {"Content-Type": "application/sparql-query", **AUTH}
    assert call(strict.url, "POST", "/sparql", body, headers).status == 200


def test_chunked_or_unsized_bodies_are_refused(strict: Endpoint) -> None:
    parts = urllib.parse.urlsplit(strict.url)
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as raw:
        raw.sendall(
            b"POST /sparql HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
            + TOKEN.encode()
            + b"\r\nContent-Type: application/sparql-query\r\nTransfer-Encoding: chunked\r\n\r\n"
            b"5\r\nASK{}\r\n0\r\n\r\n"
        )
        assert raw.recv(100).startswith(b"HTTP/1.0 411")


def test_time_limit_stops_a_slow_query_without_blocking_others(strict: Endpoint) -> None:
    slow: dict[str, Reply] = {}

    def run_slow() -> None:
        slow["reply"] = sparql_request(strict.url, "GET", SLOW, extra=AUTH)

    started = time.monotonic()
    thread = threading.Thread(target=run_slow)
    thread.start()
    time.sleep(0.2)
    fast = []
    while thread.is_alive():
        t0 = time.monotonic()
        reply = sparql_request(strict.url, "GET", ASK, extra=AUTH)
        fast.append(time.monotonic() - t0)
        assert reply.status == 200
    thread.join()
    elapsed = time.monotonic() - started
    assert slow["reply"].status == 503
    assert "time limit of 1.5 s" in slow["reply"].text
    assert 1.4 < elapsed < 10
    assert len(fast) >= 3 and max(fast) < 1.0, fast
    # The killed worker is replaced: the pool answers again at full strength.
    deadline = time.monotonic() + 60
    while len(strict.pool._workers) < strict.pool.size + 1 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert len(strict.pool._workers) == strict.pool.size + 1
    assert sparql_request(strict.url, "GET", ASK, extra=AUTH).status == 200


def test_memory_cap_stops_a_query_and_the_pool_recovers(sample_out: Path) -> None:
    options = ServeOptions(port=0, timeout=120, workers=1, max_memory=1 << 30)
    bomb = "SELECT ?a ?d WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f LIMIT 1"
    with open_endpoint(sample_out, options) as capped:
        capped.start()
        started = time.monotonic()
        reply = sparql_request(capped.url, "GET", bomb, timeout=150)
        assert reply.status == 503
        assert "memory limit of 1024 MiB" in reply.text
        assert time.monotonic() - started < 100
        assert sparql_request(capped.url, "GET", ASK).status == 200


def test_load_short(strict: Endpoint) -> None:
    """50 concurrent clients for a few seconds: valid queries answer, slow ones hit the limit."""
    valid = [
        YEARBOOKS,
        ASK,
        "SELECT ?c (COUNT(?x) AS ?n) WHERE { ?x a ?c } GROUP BY ?c ORDER BY DESC(?n)",
        "SELECT ?a ?l WHERE { ?a a zhi:Award ; rdfs:label ?l } LIMIT 20",
    ]
    malformed = ["SELECT ?x WHERE { ?x a", "SELEKT * WHERE {}", "DROP ALL"]
    stop = time.monotonic() + 4
    outcomes: list[tuple[str, int, float]] = []
    lock = threading.Lock()

    def client(n: int) -> None:
        i = n
        while time.monotonic() < stop:
            if n == 0:
                kind, query = "slow", SLOW
            elif i % 7 == 0:
                kind, query = "malformed", malformed[i % len(malformed)]
            else:
                kind, query = "valid", valid[i % len(valid)]
            t0 = time.monotonic()
            try:
                status = sparql_request(strict.url, "form", query, extra=AUTH, timeout=30).status
            except OSError:
                status = -1
            with lock:
                outcomes.append((kind, status, time.monotonic() - t0))
            i += 1

    with ThreadPoolExecutor(50) as pool:
        list(pool.map(client, range(50)))
    by_kind: dict[str, list[tuple[int, float]]] = {}
    for kind, status, seconds in outcomes:
        by_kind.setdefault(kind, []).append((status, seconds))
    assert {status for status, _ in by_kind["valid"]} == {200}, by_kind["valid"]
    assert {status for status, _ in by_kind["malformed"]} <= {400, 403}
    assert {status for status, _ in by_kind["slow"]} == {503}
    assert len(by_kind["valid"]) > 100
    assert statistics.median(s for _, s in by_kind["valid"]) < 1.0
    assert sparql_request(strict.url, "GET", ASK, extra=AUTH).status == 200


# --- URLs: only the page, its assets and /sparql


@pytest.mark.parametrize(
    "path",
    [
        "/../../../../etc/passwd",
        "/assets/../../pyproject.toml",
        "/assets/../serve.py",
        "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/assets/%2e%2e%2f%2e%2e%2fpyproject.toml",
        "/assets/..%2f..%2fsrc%2fzhi_graph%2fserve.py",
        "/assets/yasgui/SOURCE.md",
        "/assets/yasgui.min.js.map",
        "/data/web/page.js",
        "/etc/passwd",
        "//etc/passwd",
        "/assets//etc/passwd",
        "/assets/page.js/../../../etc/passwd",
        "/index.html/..",
        "/sparql/../../etc/passwd",
        "/%00",
        "/manifest.json",
        "/oxigraph/CURRENT",
        "http://127.0.0.1/etc/passwd",
        "/..\\..\\pyproject.toml",
    ],
)
def test_no_other_file_is_reachable(endpoint: Endpoint, path: str) -> None:
    reply = call(endpoint.url, "GET", path)
    assert reply.status in (400, 404), (path, reply.status)
    assert b"root:" not in reply.body and b"[project]" not in reply.body


@pytest.mark.parametrize(
    ("path", "media_type"),
    [
        ("/", "text/html"),
        ("/index.html", "text/html"),
        ("/assets/yasgui.min.js", "text/javascript"),
        ("/assets/yasgui.min.css", "text/css"),
        ("/assets/page.js", "text/javascript"),
        ("/assets/page.css", "text/css"),
    ],
)
def test_page_and_assets(endpoint: Endpoint, path: str, media_type: str) -> None:
    reply = call(endpoint.url, "GET", path)
    assert reply.status == 200 and reply.media_type == media_type
    assert reply.headers["x-content-type-options"] == "nosniff"


def test_page_escapes_questions_and_has_a_strict_policy(endpoint: Endpoint) -> None:
    reply = call(endpoint.url, "GET", "/")
    page = reply.text
    policy = reply.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "connect-src 'self'" in policy
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "\\u003c/script\\u003e\\u003cscript\\u003ealert(1)" in page
    assert page.count("<script") == 3  # the JSON data block and the two local scripts
    assert "http://" not in page.replace(
        "http://www.w3.org", ""
    ) and "https://" not in page.replace("https://w3id.org", "").replace("https://schema.org", "")


def test_questions_are_read_with_prefixes(queries_dir: Path) -> None:
    questions = read_questions(queries_dir)
    assert [q.name for q in questions] == ["awards", "evil"]
    assert questions[0].zh == "哪些年鉴获得了哪些奖项？"
    assert questions[0].en == "Which yearbooks won which awards?"
    lines = questions[0].query.splitlines()
    assert (
        lines[0].startswith("# zh:")
        and lines[2] == "PREFIX zhi: <https://w3id.org/zhi-graph/ontology#>"
    )
    assert read_questions(queries_dir / "missing") == []


@pytest.mark.parametrize(
    ("query", "added"),
    [
        ("SELECT * WHERE { ?s a zhi:Award }", ["zhi"]),
        ("PREFIX zhi: <x:> SELECT * WHERE { ?s a zhi:Award }", []),
        ("SELECT * WHERE { ?s rdfs:label ?l ; <http://x/rdfs:y> ?z }", ["rdfs"]),
        ("SELECT * WHERE { ?s ?p ?o }", []),
    ],
)
def test_with_prefixes(query: str, added: list[str]) -> None:
    result = with_prefixes(query)
    new_lines = result.splitlines()[: len(result.splitlines()) - len(query.splitlines())]
    assert [line.split()[1] for line in new_lines] == [f"{p}:" for p in added]
    assert result.endswith(query)


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("localhost", True),
        ("::1", True),
        ("127.1.2.3", True),
        ("0.0.0.0", False),
        ("::", False),
        ("192.168.1.5", False),
        ("example.org", False),
    ],
)
def test_is_loopback(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_one_log_line_per_query(endpoint: Endpoint, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="zhi_graph.serve"):
        sparql_request(endpoint.url, "GET", YEARBOOKS)
        sparql_request(endpoint.url, "GET", "DROP ALL")
        call(endpoint.url, "GET", "/")
        # A request is logged once its answer is sent: the client can be faster.
        deadline = time.monotonic() + 10
        while len(caplog.records) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
    # Each line is written by the thread that answered, so the order may vary.
    lines = sorted(r.getMessage() for r in caplog.records if r.levelno >= logging.INFO)
    assert len(lines) == 2, lines
    assert lines[0].startswith("127.0.0.1 GET 200 ") and "rows=" in lines[0]
    assert '"SELECT ?x ?label WHERE' in lines[0]
    assert lines[1].startswith("127.0.0.1 GET 403 ") and '"DROP ALL"' in lines[1]


def test_port_in_use_is_a_clear_error(sample_out: Path) -> None:
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    port = taken.getsockname()[1]
    with pytest.raises(NetworkError, match=f"port {port} is already in use"):
        open_endpoint(sample_out, ServeOptions(port=port))
    result = CliRunner().invoke(app, ["serve", str(sample_out), "--port", str(port)])
    taken.close()
    assert result.exit_code == 6
    assert f"port {port} is already in use" in result.output


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--port", "70000"], "--port must be 0 to 65535"),
        (["--port", "-1"], "--port must be 0 to 65535"),
        (["--timeout", "0"], "--timeout must be more than 0 seconds"),
        (["--max-rows", "0"], "--max-rows must be 1 or more"),
        (["--max-body", "-5"], "--max-body must be 1 or more"),
        (["--workers", "0"], "--workers must be 1 or more"),
        (["--max-memory", "-1"], "--max-memory must be 0 (no cap) or more"),
        (["--store", "{tmp}/a-file"], "exists and is not a folder"),
    ],
)
def test_bad_serve_options_exit_2_with_one_line_naming_the_option(
    sample_out: Path, tmp_path: Path, options: list[str], message: str
) -> None:
    (tmp_path / "a-file").write_text("not a store", encoding="utf-8")
    arguments = [option.format(tmp=tmp_path) for option in options]

    result = CliRunner().invoke(app, ["serve", str(sample_out), *arguments])

    assert result.exit_code in (2, 4), result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert message in lines[0]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"port": 65536}, "--port must be 0 to 65535"),
        ({"timeout": -1.0}, "--timeout must be more than 0 seconds"),
        ({"workers": 0}, "--workers must be 1 or more"),
        ({"max_memory": 0}, "--max-memory must be 0 (no cap) or more"),
        # (tested here, not through the command: one that ignored it would serve on)
        ({"queries": Path("no-such-folder")}, "no such folder of research questions"),
    ],
)
def test_serve_options_refuse_what_cannot_run(options: dict[str, Any], message: str) -> None:
    with pytest.raises(InputError, match=re.escape(message)):
        ServeOptions(**options)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_cli_serves_logs_and_cleans_up_on_sigterm(sample_out: Path, tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "zhi-graph"),
            "serve",
            str(sample_out),
            "--port",
            str(port),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert f"serving http://127.0.0.1:{port}/" in line, line
        assert any(tmp_path.iterdir())  # the temporary store
        reply = sparql_request(f"http://127.0.0.1:{port}/", "GET", ASK)
        assert reply.status == 200
    finally:
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=30)
    assert process.returncode == 0, stderr
    assert "GET 200" in stderr and '"ASK { ?x a zhi:Publication }"' in stderr
    assert list(tmp_path.iterdir()) == []


# --- the query page in headless Chromium, with no network

CHROMIUM = "/usr/bin/chromium"


def chromium() -> Any:
    reason = None
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        reason = "playwright is not installed (pip install -e '.[test]')"
    if reason is None and not Path(CHROMIUM).is_file() and shutil.which("chromium") is None:
        reason = "chromium not found; install it with `apt-get install chromium`"
    if reason is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return sync_playwright


@dataclass
class Visit:
    """What the browser did while on the page."""

    blocked: list[str]
    errors: list[str]
    queries: list[str]
    dialogs: list[str]


@contextlib.contextmanager
def offline_page(endpoint: Endpoint) -> Iterator[tuple[Any, Visit]]:
    """Chromium with every request not to ``endpoint`` aborted (and recorded)."""
    sync_playwright = chromium()
    base = endpoint.url.rstrip("/")
    visit = Visit([], [], [], [])
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM if Path(CHROMIUM).is_file() else shutil.which("chromium"),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        try:
            page = browser.new_page()

            def route(r: Any) -> None:
                url = r.request.url
                if url.startswith(base + "/") or url == base or url.startswith("data:"):
                    if url.startswith(base + "/sparql"):
                        visit.queries.append(url)
                    r.continue_()
                else:
                    visit.blocked.append(url)
                    r.abort()

            def console(message: Any) -> None:
                if message.type == "error":
                    visit.errors.append(message.text)

            def dialog(d: Any) -> None:
                visit.dialogs.append(d.message)
                d.dismiss()

            page.route("**/*", route)
            page.on("console", console)
            page.on("pageerror", lambda e: visit.errors.append(str(e)))
            page.on("dialog", dialog)
            page.goto(endpoint.url, wait_until="load")
            page.wait_for_selector(".yasqe .CodeMirror")
            yield page, visit
        finally:
            browser.close()
    assert visit.blocked == [], visit.blocked
    assert visit.dialogs == [], visit.dialogs


LABELS = (
    "() => { window.zhiGraph.yasgui.getTab().setQuery("
    "'SELECT ?label WHERE { ?x a zhi:Yearbook ; rdfs:label ?label } ORDER BY ?label'); }"
)


def test_query_page_runs_a_query_offline(endpoint: Endpoint) -> None:
    with offline_page(endpoint) as (page, visit):
        buttons = page.locator("#question-list button")
        assert buttons.count() == 2
        assert buttons.nth(0).inner_text().startswith("哪些年鉴获得了哪些奖项？")
        assert PAYLOAD in buttons.nth(1).inner_text()  # shown as text, not run
        assert page.is_hidden("label.token")
        page.evaluate(LABELS)
        page.click(".yasqe_queryButton")
        page.wait_for_selector(".yasr .dataTable tbody tr", timeout=30_000)
        assert "年鉴" in page.inner_text(".yasr .dataTable")
        buttons.nth(1).click()
        query = page.evaluate("() => window.zhiGraph.yasgui.getTab().getQuery()")
        assert query.count(PAYLOAD) >= 2
    assert visit.errors == [], visit.errors
    assert visit.queries, "the page sent no query to /sparql"


def test_query_page_sends_the_token(strict: Endpoint) -> None:
    with offline_page(strict) as (page, visit):
        assert page.is_visible("label.token")
        page.fill("#token", TOKEN)
        page.dispatch_event("#token", "change")
        page.evaluate(LABELS)
        page.click(".yasqe_queryButton")
        page.wait_for_selector(".yasr .dataTable tbody tr", timeout=30_000)
        assert "年鉴" in page.inner_text(".yasr .dataTable")
    assert visit.errors == [], visit.errors
    assert visit.queries


HOSTILE = """\
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix zhi: <https://w3id.org/zhi-graph/ontology#> .
<https://w3id.org/zhi-graph/id/award/x> a zhi:Award ;
  rdfs:label "<img src=x onerror=alert(1)>奖" ;
  rdfs:altLabel "<img src=y onerror=window.pwned=1>" ;
  rdfs:comment "</td><script>alert(2)</script>" ;
  rdfs:seeAlso <javascript:alert(3)> .
"""


def test_query_page_keeps_hostile_graph_strings_inert(tmp_path: Path) -> None:
    """Script, event-handler and javascript: payloads in the graph stay text in the results.

    YASR writes literals as text and drops ``javascript:`` links.  While the
    table is built, one of its libraries parses a cell's text as HTML into an
    inert document, where no handler runs (checked with the page's policy
    relaxed: nothing runs and nothing is reported); Chromium nonetheless
    reports the page's Content-Security-Policy refusing the inline handler
    there, so such reports are the only console errors allowed here.
    """
    graph = tmp_path / "hostile.ttl"
    graph.write_text(HOSTILE, encoding="utf-8")
    with open_endpoint(graph, ServeOptions(port=0, workers=1)) as hostile:
        hostile.start()
        with offline_page(hostile) as (page, visit):
            page.evaluate(
                "() => { window.zhiGraph.yasgui.getTab().setQuery("
                "'SELECT ?p ?o WHERE { ?s a zhi:Award ; ?p ?o }'); }"
            )
            page.click(".yasqe_queryButton")
            page.wait_for_selector(".yasr .dataTable tbody tr", timeout=30_000)
            table = page.inner_text(".yasr .dataTable")
            assert "<img src=x onerror=alert(1)>奖" in table
            assert "</td><script>alert(2)</script>" in table
            assert page.locator("img[src=x], .yasr script").count() == 0
            assert page.locator("a[href^='javascript']").count() == 0
            page.wait_for_timeout(500)
            assert page.evaluate("() => window.pwned") is None
    assert visit.dialogs == []
    assert all("Content Security Policy" in error for error in visit.errors), visit.errors


# --- --in-memory: every worker holds the graph in memory


@pytest.fixture(scope="module")
def in_memory(sample_out: Path) -> Iterator[Endpoint]:
    options = ServeOptions(port=0, timeout=1.5, workers=2, in_memory=True)
    with open_endpoint(sample_out, options) as running:
        running.start()
        yield running


def _json_rows(reply: Reply) -> list[tuple[str, ...]]:
    assert reply.status == 200, reply.text
    data = json.loads(reply.body)
    if "boolean" in data:
        return [(str(data["boolean"]),)]
    names = data["head"]["vars"]
    # GROUP_CONCAT joins in no defined order: its parts are compared sorted.
    return sorted(
        tuple("、".join(sorted(b.get(n, {}).get("value", "").split("、"))) for n in names)
        for b in data["results"]["bindings"]
    )


def test_in_memory_workers_answer_every_question_as_the_store(
    in_memory: Endpoint, endpoint: Endpoint
) -> None:
    tables = [q for q in bundled_queries() if "CONSTRUCT" not in q.sparql]
    assert len(tables) >= 15
    for question in tables:
        ours = sparql_request(in_memory.url, "POST", question.sparql)
        theirs = sparql_request(endpoint.url, "POST", question.sparql)
        assert _json_rows(ours) == _json_rows(theirs), question.name
        assert _json_rows(ours) or question.name == "entities_in_several_documents"


def test_in_memory_workers_keep_graphs_and_dataset_parameters(
    in_memory: Endpoint, reference: GraphStore
) -> None:
    in_graphs = "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    assert _json_rows(sparql_request(in_memory.url, "GET", in_graphs)) == [("2",)]
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    params = urllib.parse.urlencode({"query": count, "default-graph-uri": "http://nowhere/"})
    assert _json_rows(call(in_memory.url, "GET", "/sparql?" + params)) == [("0",)]
    params = urllib.parse.urlencode({"query": count, "default-graph-uri": reference.graphs()[0]})
    assert int(_json_rows(call(in_memory.url, "GET", "/sparql?" + params))[0][0]) > 1000


def test_in_memory_time_limit_and_replacement(in_memory: Endpoint) -> None:
    reply = sparql_request(in_memory.url, "GET", SLOW)
    assert reply.status == 503 and "time limit of 1.5 s" in reply.text
    deadline = time.monotonic() + 60
    while len(in_memory.pool._workers) < in_memory.pool.size + 1 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert len(in_memory.pool._workers) == in_memory.pool.size + 1
    assert sparql_request(in_memory.url, "GET", ASK).status == 200


def test_in_memory_image_is_removed_on_close(sample_out: Path) -> None:
    with open_endpoint(sample_out, ServeOptions(port=0, workers=1, in_memory=True)) as running:
        image = running.pool._image
        assert image is not None and (image / "quads.nq").stat().st_size > 0
    assert not image.exists()
