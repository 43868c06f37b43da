"""``push`` into a real OpenLink Virtuoso, started by the tests with its own temporary database.

Virtuoso (Debian ``virtuoso-opensource``, installed by ``.ci/run``) runs once
per session on free loopback ports; it is stopped by its PID whatever
happens.  The sample is pushed over the Graph Store Protocol, read back
through Virtuoso's own ``/sparql``, and pushed again to show that a second
push replaces each graph instead of adding a copy.  Without ``virtuoso-t``
the tests skip on a developer's machine and fail in CI (``CI=true``).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from zhi_graph.cli import app
from zhi_graph.errors import InputError, NetworkError
from zhi_graph.push import (
    DEFAULT_GRAPH,
    GraphParam,
    PushFormat,
    _graphs,
    graph_param_for,
    graph_url,
    push,
    target_iri,
)
from zhi_graph.store import ONTOLOGY_GRAPH, GraphStore, open_store

INI = Path("/etc/virtuoso-opensource-7/virtuoso.ini")
FILES = ("DatabaseFile", "ErrorLogFile", "LockFile", "TransactionFile", "xa_persistent_file")


def virtuoso_binary() -> str:
    found = shutil.which("virtuoso-t")
    if found is None or not INI.is_file():
        message = "virtuoso-t not found; install it with `apt-get install virtuoso-opensource`"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return found


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def configure(folder: Path, sql_port: int, http_port: int) -> Path:
    """Virtuoso's packaged ini with every file in ``folder`` and both ports changed."""
    section = ""
    lines = []
    for line in INI.read_text(encoding="utf-8").splitlines():
        header = re.match(r"\s*\[(\w[^\]]*)\]", line)
        if header:
            section = header.group(1)
        key = line.split("=", 1)[0].strip()
        if "=" in line and not line.lstrip().startswith(";"):
            if key in FILES:
                name = Path(line.split("=", 1)[1].strip()).name
                line = f"{key} = {folder / name}"
            elif key == "ServerPort" and section == "Parameters":
                line = f"ServerPort = 127.0.0.1:{sql_port}"
            elif key == "ServerPort" and section == "HTTPServer":
                line = f"ServerPort = 127.0.0.1:{http_port}"
            elif key == "DirsAllowed":
                line = f"DirsAllowed = ., {folder}, /usr/share/virtuoso-opensource-7/vad"
        lines.append(line)
    ini = folder / "virtuoso.ini"
    ini.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return ini


@dataclass(frozen=True)
class Virtuoso:
    base: str

    @property
    def crud(self) -> str:
        return self.base + "/sparql-graph-crud-auth"

    def select(self, query: str) -> list[dict[str, str]]:
        url = (
            self.base
            + "/sparql?"
            + urllib.parse.urlencode({"query": query, "format": "application/sparql-results+json"})
        )
        with urllib.request.urlopen(url, timeout=60) as response:
            data = json.loads(response.read())
        return [{k: v["value"] for k, v in b.items()} for b in data["results"]["bindings"]]

    def counts(self, prefix: str) -> dict[str, int]:
        rows = self.select(
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
            f'FILTER(STRSTARTS(STR(?g), "{prefix}")) }} GROUP BY ?g'
        )
        return {row["g"]: int(row["n"]) for row in rows}


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Virtuoso]:
    binary = virtuoso_binary()
    folder = tmp_path_factory.mktemp("virtuoso")
    http_port = free_port()
    ini = configure(folder, free_port(), http_port)
    log = (folder / "stdout.log").open("wb")
    process = subprocess.Popen(
        [binary, "+foreground", "+configfile", str(ini)],
        cwd=folder,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        server = Virtuoso(f"http://127.0.0.1:{http_port}")
        deadline = time.monotonic() + 120
        while True:
            if process.poll() is not None:
                pytest.fail(f"virtuoso-t exited: {(folder / 'stdout.log').read_text()[-2000:]}")
            try:
                server.select("SELECT * WHERE { ?s ?p ?o } LIMIT 1")
                break
            except (OSError, urllib.error.URLError, ValueError):
                if time.monotonic() > deadline:
                    pytest.fail("virtuoso-t did not answer within 120 s")
                time.sleep(0.5)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)
        log.close()


@pytest.fixture(scope="module")
def ours(sample_out: Path) -> GraphStore:
    return open_store(sample_out)


def our_counts(store: GraphStore) -> dict[str, int]:
    rows = store.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    return {row["g"].value: int(row["n"].value) for row in rows}  # type: ignore[union-attr]


def test_pushed_graphs_keep_the_files_datatypes(sample_out: Path, ours: GraphStore) -> None:
    """Offsets stay xsd:nonNegativeInteger: Oxigraph's store would make them xsd:integer."""
    graphs = dict(_graphs(ours))
    assert set(graphs) == {*ours.graphs(), ONTOLOGY_GRAPH}
    offsets = [
        t.object
        for triples in graphs.values()
        for t in triples
        if t.predicate.value == "https://w3id.org/zhi-graph/ontology#startOffset"
    ]
    assert offsets and all(isinstance(o, ox.Literal) for o in offsets)
    assert {o.datatype.value for o in offsets if isinstance(o, ox.Literal)} == {
        "http://www.w3.org/2001/XMLSchema#nonNegativeInteger"
    }


def test_push_twice_replaces(virtuoso: Virtuoso, sample_out: Path, ours: GraphStore) -> None:
    expected = our_counts(ours)
    assert ONTOLOGY_GRAPH in expected and len(expected) == 2
    first = push(sample_out, virtuoso.crud, user="dba", password="dba")
    assert {g.iri: g.triples for g in first.graphs} == expected
    assert {g.status for g in first.graphs} <= {200, 201, 204}
    assert virtuoso.counts("https://w3id.org/zhi-graph/") == expected
    second = push(sample_out, virtuoso.crud, user="dba", password="dba")
    assert {g.status for g in second.graphs} <= {200, 201, 204}
    assert virtuoso.counts("https://w3id.org/zhi-graph/") == expected


def test_pushed_data_answers_queries(
    virtuoso: Virtuoso, sample_out: Path, ours: GraphStore
) -> None:
    push(sample_out, virtuoso.crud, user="dba", password="dba")
    query = (
        "SELECT ?label WHERE { ?x a <https://w3id.org/zhi-graph/ontology#Publication> ; "
        "<http://www.w3.org/2000/01/rdf-schema#label> ?label } ORDER BY ?label"
    )
    theirs = sorted(row["label"] for row in virtuoso.select(query))
    mine = sorted(row["label"].value for row in ours.query(query))  # type: ignore[union-attr]
    assert theirs == mine and len(mine) > 17
    assert any("年鉴" in label for label in theirs)  # Chinese survives the trip


def test_cli_push_with_graph_base_and_ntriples(virtuoso: Virtuoso, sample_out: Path) -> None:
    base = "http://example.org/zhi-test/"
    args = [
        "push",
        str(sample_out),
        "--endpoint",
        virtuoso.crud,
        "--user",
        "dba",
        "--graph-base",
        base,
        "--format",
        "ntriples",
    ]
    result = CliRunner().invoke(app, args, env={"ZHI_GRAPH_PASSWORD": "dba"})
    assert result.exit_code == 0, result.output
    assert "pushed 2 graph(s)" in result.output
    counts = virtuoso.counts(base)
    assert set(counts) == {
        base + "ontology",
        *(
            base + k.rsplit("/", 1)[-1]
            for k in [g for g in our_counts(open_store(sample_out)) if g != ONTOLOGY_GRAPH]
        ),
    }
    result = CliRunner().invoke(app, args, env={"ZHI_GRAPH_PASSWORD": "dba"})
    assert result.exit_code == 0 and virtuoso.counts(base) == counts


@pytest.mark.parametrize(
    ("user", "password", "message"),
    [("dba", "wrong", "refused the credentials (401)"), (None, None, "(401); give --user")],
)
def test_bad_credentials(
    virtuoso: Virtuoso, sample_out: Path, user: str | None, password: str | None, message: str
) -> None:
    with pytest.raises(NetworkError, match=re.escape(message)):
        push(sample_out, virtuoso.crud, user=user, password=password)


@pytest.mark.parametrize(
    ("endpoint", "options", "message"),
    [
        (
            "/sparql-graph-crud-auth",
            {"graph_base": "relative "},
            r"answered 500 .*graph URI is relative",
        ),
        ("/no-such-service", {}, r"answered 501 "),
    ],
)
def test_server_errors_carry_the_servers_message(
    virtuoso: Virtuoso, sample_out: Path, endpoint: str, options: dict[str, Any], message: str
) -> None:
    with pytest.raises(NetworkError, match=message):
        push(sample_out, virtuoso.base + endpoint, user="dba", password="dba", **options)


def test_connection_refused(sample_out: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}/sparql-graph-crud-auth"
    with pytest.raises(NetworkError, match="connection refused; is the triple store running"):
        push(sample_out, url)
    result = CliRunner().invoke(app, ["push", str(sample_out), "--endpoint", url])
    assert result.exit_code == 6 and "connection refused" in result.output


@pytest.mark.parametrize(
    ("endpoint", "choice", "expected"),
    [
        ("http://h:8890/sparql-graph-crud-auth", GraphParam.AUTO, "graph-uri"),
        ("http://h:8890/sparql-graph-crud", GraphParam.AUTO, "graph-uri"),
        ("http://h:3030/ds/data", GraphParam.AUTO, "graph"),
        ("http://h:8890/sparql-graph-crud-auth", GraphParam.GRAPH, "graph"),
        ("http://h:3030/ds/data", GraphParam.GRAPH_URI, "graph-uri"),
    ],
)
def test_graph_param(endpoint: str, choice: GraphParam, expected: str) -> None:
    assert graph_param_for(endpoint, choice) == expected


@pytest.mark.parametrize(
    ("iri", "base", "expected"),
    [
        (
            "https://w3id.org/zhi-graph/id/document/abc",
            None,
            "https://w3id.org/zhi-graph/id/document/abc",
        ),
        ("https://w3id.org/zhi-graph/id/document/abc", "http://e/g/", "http://e/g/abc"),
        (ONTOLOGY_GRAPH, "http://e/g/", "http://e/g/ontology"),
        (DEFAULT_GRAPH, "urn:x:", "urn:x:default"),
    ],
)
def test_target_iri(iri: str, base: str | None, expected: str) -> None:
    assert target_iri(iri, base) == expected


def test_graph_url_encodes_the_iri() -> None:
    assert (
        graph_url("http://h/crud", "graph", "http://e/a b#c")
        == "http://h/crud?graph=http%3A%2F%2Fe%2Fa+b%23c"
    )
    assert (
        graph_url("http://h/crud?x=1", "graph-uri", "urn:a")
        == "http://h/crud?x=1&graph-uri=urn%3Aa"
    )


def test_endpoint_must_be_http(sample_out: Path) -> None:
    with pytest.raises(InputError, match="http:// or https://"):
        push(sample_out, "file:///etc/passwd")
    assert PushFormat("ntriples") is PushFormat.NTRIPLES


def test_standard_graph_parameter_works_too(virtuoso: Virtuoso, sample_out: Path) -> None:
    base = "http://example.org/zhi-standard/"
    push(
        sample_out,
        virtuoso.crud,
        user="dba",
        password="dba",
        graph_base=base,
        graph_param=GraphParam.GRAPH,
    )
    expected = {target_iri(g, base): n for g, n in our_counts(open_store(sample_out)).items()}
    assert virtuoso.counts(base) == expected
