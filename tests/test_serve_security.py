"""The endpoint's security promises, each tried every way a client could get around it.

Read-only (every SPARQL Update form through every way of sending a request),
no federation (``SERVICE`` hidden in any graph pattern, in any case, behind
comments), no file outside the fixed table of URLs (encoded, double-encoded,
backslashed, absolute, NUL and very long paths), bodies capped (with and
without a length, chunked), the bearer token on every route that reads the
graph, compared in constant time, and the default and wider binds.

Decision on the token and the page: ``/``, ``/index.html`` and ``/assets/*``
answer without the token.  They are zhi-graph's own files plus the research
questions and the graph file's name, never data from the graph, and a browser
opening the page by its URL cannot send an ``Authorization`` header; the
page asks for the token and sends it with every query (``test_serve``).
"""

from __future__ import annotations

import hmac
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest

from test_serve import Reply, call, free_port, sparql_request
from zhi_graph import guard
from zhi_graph.guard import Refusal
from zhi_graph.resources import package_root
from zhi_graph.serve import Endpoint, ServeOptions, open_endpoint, read_questions
from zhi_graph.store import GraphStore

TOKEN = "t0ken-for-the-tests"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
ASK = "ASK { ?x a zhi:Publication }"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


@pytest.fixture(scope="module")
def guarded(sample_out: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Endpoint]:
    """A token, a 4 KiB body limit: what a researcher would expose on a network."""
    options = ServeOptions(port=0, timeout=5, max_body=4096, workers=2, token=TOKEN)
    store_dir = tmp_path_factory.mktemp("guarded") / "store"
    with open_endpoint(sample_out, options, store_dir=store_dir) as running:
        running.start()
        yield running


def quads(endpoint: Endpoint) -> int:
    reply = sparql_request(endpoint.url, "GET", COUNT, extra=AUTH)
    assert reply.status == 200, reply.body
    return int(json.loads(reply.body)["results"]["bindings"][0]["n"]["value"])


# --- read-only: every update form, every way of sending it

UPDATES = [
    "INSERT DATA { <http://a> <http://b> <http://c> }",
    "DELETE DATA { <http://a> <http://b> <http://c> }",
    "DELETE WHERE { ?s ?p ?o }",
    "DELETE { ?s ?p ?o } INSERT { ?s ?p 'x' } WHERE { ?s ?p ?o }",
    "WITH <http://g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "INSERT { ?s ?p ?o } USING <http://g> WHERE { ?s ?p ?o }",
    "LOAD <http://127.0.0.1:9/x.ttl>",
    "LOAD SILENT <file:///etc/passwd> INTO GRAPH <http://g>",
    "CLEAR ALL",
    "CLEAR GRAPH <http://g>",
    "DROP DEFAULT",
    "DROP SILENT NAMED",
    "CREATE GRAPH <http://g>",
    "ADD DEFAULT TO <http://g>",
    "MOVE <http://a> TO DEFAULT",
    "COPY SILENT DEFAULT TO <http://g>",
    "insert data { <http://a> <http://b> <http://c> }",
    "InSeRt/* not a comment */DATA { <http://a> <http://b> <http://c> }",
    "# a comment first\nPREFIX ex: <http://e/>\nDROP\tALL",
    "\\u0044ROP ALL",
    "SELECT * WHERE { ?s ?p ?o } ; DROP ALL",
]
CHANNELS = ["GET query", "GET update", "form query", "form update", "body query", "body update"]


def send(endpoint: Endpoint, channel: str, text: str, headers: dict[str, str]) -> Reply:
    how, name = channel.split()
    if how == "GET":
        path = "/sparql?" + urllib.parse.urlencode({name: text})
        return call(endpoint.url, "GET", path, None, headers)
    if how == "form":
        body = urllib.parse.urlencode({name: text}).encode()
        headers = {**headers, "Content-Type": "application/x-www-form-urlencoded"}
        return call(endpoint.url, "POST", "/sparql", body, headers)
    headers = {**headers, "Content-Type": f"application/sparql-{name}"}
    return call(endpoint.url, "POST", "/sparql", text.encode(), headers)


@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize("update", UPDATES)
def test_every_update_is_refused_every_way(
    guarded: Endpoint, reference: GraphStore, update: str, channel: str
) -> None:
    before = quads(guarded)
    reply = send(guarded, channel, update, AUTH)
    assert reply.status in (400, 403), reply.text  # 400: not even a query (the `;` form)
    if reply.status == 403:
        assert "refused" in reply.text and "read-only" in reply.text
    assert quads(guarded) == before == sum(1 for _ in reference.quads())


# --- no federation: SERVICE wherever a graph pattern may hold it

HIDDEN_SERVICE = [
    "SELECT * WHERE { OPTIONAL { SERVICE <{url}> { ?s ?p ?o } } }",
    "SELECT * WHERE { ?a ?b ?c MINUS { SERVICE <{url}> { ?a ?b ?c } } }",
    "SELECT * WHERE { { ?a ?b ?c } UNION { SERVICE <{url}> { ?a ?b ?c } } }",
    "SELECT * WHERE { ?a ?b ?c FILTER EXISTS { SERVICE <{url}> { ?a ?b ?c } } }",
    "SELECT * WHERE { ?a ?b ?c FILTER NOT EXISTS { SERVICE <{url}> { ?a ?b ?c } } }",
    "SELECT * { { SELECT ?s WHERE { { SELECT ?s WHERE { SERVICE <{url}> { ?s ?p ?o } } } } } }",
    "SELECT * WHERE { GRAPH ?g { SERVICE <{url}> { ?s ?p ?o } } }",
    "ASK { SERVICE <{url}> { ?s ?p ?o } }",
    "CONSTRUCT { ?s ?p ?o } WHERE { SERVICE <{url}> { ?s ?p ?o } }",
    "DESCRIBE ?s WHERE { SERVICE <{url}> { ?s ?p ?o } }",
    "SELECT * WHERE { service <{url}> { ?s ?p ?o } }",
    "SELECT * WHERE { sErViCe SiLeNt <{url}> { ?s ?p ?o } }",
    "SELECT * WHERE { SERVICE# a comment\n<{url}> { ?s ?p ?o } }",
    "SELECT * WHERE {\n\tSERVICE\n\t<{url}>\n{ ?s ?p ?o } }",
    "PREFIX remote: <{url}> SELECT * WHERE { SERVICE remote: { ?s ?p ?o } }",
    "SELECT * WHERE { BIND(<{url}> AS ?e) SERVICE ?e { ?s ?p ?o } }",
    "SELECT * WHERE { \\u0073ervice <{url}> { ?s ?p ?o } }",
    "SELECT * WHERE { SERVIC\\u0045 <{url}> { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p ?o . }SERVICE <{url}> { ?s ?p ?o }",
]


@pytest.mark.parametrize("template", HIDDEN_SERVICE)
def test_service_is_found_wherever_it_hides(template: str) -> None:
    verdict = guard.check(template.replace("{url}", "http://127.0.0.1:9/sparql"))
    assert verdict is not None and verdict.refusal is Refusal.SERVICE


def test_hidden_service_never_reaches_the_network(guarded: Endpoint) -> None:
    """A listener stands where every SERVICE call would go; nothing may connect to it."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        listener.settimeout(0.5)
        url = f"http://127.0.0.1:{listener.getsockname()[1]}/sparql"
        for template in HIDDEN_SERVICE:
            for channel in ("GET query", "form query", "body query"):
                reply = send(guarded, channel, template.replace("{url}", url), AUTH)
                assert reply.status == 403, (template, channel, reply.text)
                assert "SERVICE" in reply.text
        with pytest.raises(TimeoutError):
            listener.accept()


# --- no file outside the fixed table of URLs

TRAVERSALS = [
    "/%252e%252e/%252e%252e/%252e%252e/etc/passwd",
    "/assets/%252e%252e%252f%252e%252e%252fpyproject.toml",
    "/assets/..%5c..%5cpyproject.toml",
    "/assets\\..\\..\\..\\etc\\passwd",
    "/%5c%5c..%5c..%5cetc%5cpasswd",
    "/assets/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd",
    "/assets/%ef%bc%8e%ef%bc%8e/pyproject.toml",
    "/assets/page.js%00.txt",
    "/assets/page.js%00",
    "/index.html%00/../../etc/passwd",
    "/\x00",
    "/proc/self/environ",
    "/proc/self/cmdline",
    "/proc/self/cwd/pyproject.toml",
    "/dev/zero",
    "file:///etc/passwd",
    "/" + "../" * 4000 + "etc/passwd",
    "/" + "a" * 60_000,
    "/assets/" + "%2e%2e%2f" * 3000 + "etc/passwd",
]


@pytest.mark.parametrize("path", TRAVERSALS, ids=lambda p: p[:48])
def test_no_other_file_is_reachable_however_the_path_is_spelt(guarded: Endpoint, path: str) -> None:
    reply = raw_get(guarded, path)
    assert reply.startswith((b"HTTP/1.0 400", b"HTTP/1.0 404", b"HTTP/1.0 414")), reply[:200]
    assert b"root:" not in reply and b"[project]" not in reply and b"PATH=" not in reply


def test_the_served_graph_and_store_files_are_not_reachable(
    guarded: Endpoint, sample_out: Path
) -> None:
    """Not even the files the endpoint itself reads, by their absolute paths."""
    targets = [sample_out / "graph.ttl", sample_out / "graph.trig", guarded.store_folder]
    targets += [p for p in guarded.store_folder.rglob("*") if p.is_file()][:5]
    for target in targets:
        for path in (str(target), "/.." + str(target), "/assets/../.." + str(target)):
            reply = raw_get(guarded, urllib.parse.quote(path))
            assert reply.startswith((b"HTTP/1.0 400", b"HTTP/1.0 404")), (path, reply[:100])


def raw_get(endpoint: Endpoint, path: str) -> bytes:
    """A GET with the request line exactly as given (bytes, no client normalisation)."""
    parts = urllib.parse.urlsplit(endpoint.url)
    with socket.create_connection((parts.hostname, parts.port), timeout=30) as raw:
        raw.sendall(b"GET " + path.encode("utf-8", "surrogateescape") + b" HTTP/1.0\r\n\r\n")
        received = b""
        while chunk := raw.recv(1 << 16):
            received += chunk
    return received


# --- bodies: capped with and without a length, chunked refused


def raw_post(endpoint: Endpoint, head: bytes, body: bytes, *, auth: bool = True) -> bytes:
    parts = urllib.parse.urlsplit(endpoint.url)
    token = b"Authorization: Bearer " + TOKEN.encode() + b"\r\n" if auth else b""
    with socket.create_connection((parts.hostname, parts.port), timeout=30) as raw:
        raw.sendall(b"POST /sparql HTTP/1.1\r\nHost: x\r\n" + token + head + b"\r\n")
        try:
            raw.sendall(body)
            raw.shutdown(socket.SHUT_WR)
        except OSError:
            pass  # the server answered and closed before reading it all: fine
        received = b""
        while chunk := raw.recv(1 << 16):
            received += chunk
    return received


FORM = b"Content-Type: application/x-www-form-urlencoded\r\n"
DIRECT = b"Content-Type: application/sparql-query\r\n"


@pytest.mark.parametrize(
    ("head", "body", "status"),
    [
        (FORM + b"Content-Length: 100000\r\n", b"query=ASK%7B%7D" + b"+" * 99_985, b"413"),
        (DIRECT + b"Content-Length: 4097\r\n", b"ASK {}" + b" " * 4091, b"413"),
        (DIRECT + b"Content-Length: 99999999999999999999\r\n", b"ASK {}", b"413"),
        (DIRECT, b"ASK {}" + b" " * 100_000, b"411"),  # no length: the body is not read
        (FORM, b"query=ASK%7B%7D", b"411"),
        (DIRECT + b"Transfer-Encoding: chunked\r\n", b"6\r\nASK {}\r\n0\r\n\r\n", b"411"),
        (
            DIRECT + b"Transfer-Encoding: chunked\r\n",
            b"".join(b"1000\r\n" + b" " * 4096 + b"\r\n" for _ in range(50)) + b"0\r\n\r\n",
            b"411",
        ),
        (DIRECT + b"Content-Length: -5\r\n", b"ASK {}", b"400"),
        (DIRECT + b"Content-Length: 1e3\r\n", b"ASK {}", b"400"),
        (DIRECT + b"Content-Length: 6\r\n", b"ASK {}", b"200"),
    ],
)
def test_request_bodies_are_capped(
    guarded: Endpoint, head: bytes, body: bytes, status: bytes
) -> None:
    reply = raw_post(guarded, head, body)
    assert reply.split(b" ", 2)[1] == status, reply[:200]


def test_an_oversized_body_without_the_token_is_not_read(guarded: Endpoint) -> None:
    reply = raw_post(guarded, DIRECT + b"Content-Length: 5000000\r\n", b"ASK", auth=False)
    assert reply.startswith(b"HTTP/1.0 401"), reply[:200]


# --- the token: every route that reads the graph, in constant time

SPARQL_ROUTES = [
    ("GET", "/sparql?" + urllib.parse.urlencode({"query": ASK}), None, {}),
    ("GET", "/sparql?" + urllib.parse.urlencode({"update": "DROP ALL"}), None, {}),
    (
        "POST",
        "/sparql",
        urllib.parse.urlencode({"query": ASK}).encode(),
        {"Content-Type": "application/x-www-form-urlencoded"},
    ),
    ("POST", "/sparql", ASK.encode(), {"Content-Type": "application/sparql-query"}),
    ("POST", "/sparql", b"DROP ALL", {"Content-Type": "application/sparql-update"}),
    ("POST", "/sparql?query=ASK%7B%7D", b"", {"Content-Type": "text/plain"}),
]
WRONG = [
    {},
    {"Authorization": ""},
    {"Authorization": "Bearer"},
    {"Authorization": "Bearer "},
    {"Authorization": "Bearer wrong"},
    {"Authorization": f"Bearer {TOKEN[:-1]}"},
    {"Authorization": f"Bearer {TOKEN}{TOKEN}"},
    {"Authorization": f"Basic {TOKEN}"},
    {"Authorization": TOKEN},
    {"Authorization": f"Bearer {TOKEN.upper()}"},
    {"Authorization": "Bearer \u00e9\u00ff"},
]


@pytest.mark.parametrize("headers", WRONG)
@pytest.mark.parametrize("route", SPARQL_ROUTES, ids=lambda r: f"{r[0]} {r[3]}")
def test_a_missing_or_wrong_token_is_401_on_every_graph_route(
    guarded: Endpoint, route: tuple[str, str, bytes | None, dict[str, str]], headers: dict[str, str]
) -> None:
    method, path, body, extra = route
    reply = call(guarded.url, method, path, body, {**extra, **headers})
    assert reply.status == 401, reply.text
    assert reply.headers["www-authenticate"] == 'Bearer realm="zhi-graph"'
    assert TOKEN not in reply.text and "zhi:" not in reply.text


@pytest.mark.parametrize("scheme", ["Bearer", "bearer", "BEARER"])
def test_the_right_token_opens_every_graph_route(guarded: Endpoint, scheme: str) -> None:
    for method, path, body, extra in SPARQL_ROUTES[:4]:
        headers = {**extra, "Authorization": f"{scheme} {TOKEN}"}
        assert call(guarded.url, method, path, body, headers).status in (200, 403)


@pytest.mark.parametrize(
    "path", ["/", "/index.html", "/assets/page.js", "/assets/page.css", "/assets/yasgui.min.js"]
)
def test_the_page_and_its_assets_hold_no_graph_data(
    guarded: Endpoint, reference: GraphStore, path: str
) -> None:
    """Served without the token (see the module's doc): nothing of the graph is in them."""
    reply = call(guarded.url, "GET", path)
    assert reply.status == 200
    # Entities' labels only: the ontology's own (English "page", "course") are no graph data.
    labels = reference.query(
        "SELECT DISTINCT ?l WHERE { ?x a zhi:Entity ; rdfs:label ?l FILTER(STRLEN(?l) > 3) }"
    )
    # The research questions may name an award or an office in their text.
    asked = " ".join(q.query for q in read_questions(package_root() / "queries"))
    text = reply.body.decode("utf-8")
    names = [row["l"].value for row in labels]  # type: ignore[union-attr]
    assert len(names) > 100
    found = [label for label in names if label in text and label not in asked]
    assert found == []


def test_the_token_is_compared_in_constant_time(
    guarded: Endpoint, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Through ``hmac.compare_digest``, whose time does not depend on where bytes differ."""
    compared: list[tuple[bytes, bytes]] = []
    real = hmac.compare_digest

    def spy(a: bytes, b: bytes) -> bool:
        compared.append((a, b))
        return real(a, b)

    monkeypatch.setattr(hmac, "compare_digest", spy)
    assert sparql_request(guarded.url, "GET", ASK, extra=AUTH).status == 200
    assert (
        sparql_request(guarded.url, "GET", ASK, extra={"Authorization": "Bearer x"}).status == 401
    )
    assert compared == [(TOKEN.encode(), TOKEN.encode()), (b"x", TOKEN.encode())]


def test_a_token_guess_gains_nothing_from_timing(guarded: Endpoint) -> None:
    """Answers to a guess right up to its last byte and to one wrong from its first take
    the same time (medians of 200 tries within 2 ms of each other)."""
    near = {"Authorization": f"Bearer {TOKEN[:-1]}X"}
    far = {"Authorization": "Bearer X" + TOKEN[1:]}
    times: dict[str, list[float]] = {"near": [], "far": []}
    for _ in range(200):
        for name, headers in (("near", near), ("far", far)):
            started = time.perf_counter()
            assert sparql_request(guarded.url, "GET", ASK, extra=headers).status == 401
            times[name].append(time.perf_counter() - started)
    medians = {name: sorted(values)[len(values) // 2] for name, values in times.items()}
    print(
        f"\ntoken guesses, median answer: {medians['near'] * 1000:.3f} ms near, "
        f"{medians['far'] * 1000:.3f} ms far"
    )
    assert abs(medians["near"] - medians["far"]) < 0.002, medians


# --- the bind address


def test_the_default_bind_is_loopback() -> None:
    assert ServeOptions().host == "127.0.0.1"


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ([], "anyone can query it (set --token or ZHI_GRAPH_TOKEN)"),
        (["--token", TOKEN], None),
    ],
)
def test_a_wider_bind_warns(sample_out: Path, extra: list[str], expected: str | None) -> None:
    port = free_port()
    command = [str(Path(sys.executable).parent / "zhi-graph"), "serve", str(sample_out)]
    process = subprocess.Popen(
        [*command, "--host", "0.0.0.0", "--port", str(port), "--workers", "1", *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "ZHI_GRAPH_TOKEN": ""},
    )
    try:
        assert process.stdout is not None
        assert f"serving http://0.0.0.0:{port}/" in process.stdout.readline()
    finally:
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=60)
    warning = stderr.splitlines()[0]
    assert warning.startswith("warning: listening on 0.0.0.0: other machines can reach")
    assert (expected in warning) if expected else ("anyone" not in warning)
