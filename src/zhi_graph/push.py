"""``zhi-graph push``: load a graph into an external triple store, one named graph per document.

Each graph of the store (one per document, plus the ontology graph) is sent
with the SPARQL 1.1 Graph Store HTTP Protocol: ``PUT <endpoint>?graph=<IRI>``
with the graph's triples as Turtle or N-Triples.  ``PUT`` replaces a graph's
content, so pushing twice leaves one copy, not two.  Graphs pushed before and
no longer in the build are left alone.

The triples are those of ``store.open_store``: RDFS types are materialised,
so a ``?x a zhi:Publication`` query on the remote store finds yearbooks too,
with no reasoner there.

Virtuoso's endpoint (``/sparql-graph-crud-auth``) names the graph with
``graph-uri=`` where the standard says ``graph=``; ``GraphParam.AUTO`` takes
``graph-uri`` for a Virtuoso-style path and ``graph`` otherwise.

HTTP goes through the standard library's ``urllib``: it does both digest
(Virtuoso's default) and basic authentication, and pushing needs nothing
more, so no HTTP library is added for it.
"""

from __future__ import annotations

import re
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from http.client import HTTPMessage
from pathlib import Path
from typing import IO

import pyoxigraph as ox

from .errors import InputError, NetworkError
from .store import GRAPH_FORMATS, ONTOLOGY_GRAPH, QUERY_PREFIXES, GraphStore, open_store

_HEAD = re.compile(r"<!DOCTYPE[^>]*>|<head>.*?</head>|<h1>.*?</h1>", re.IGNORECASE | re.DOTALL)
_TAGS = re.compile(r"<[^>]+>")

#: Where the triples of a source with no named graphs (a Turtle file) go.
DEFAULT_GRAPH = "https://w3id.org/zhi-graph/graph/default"


class GraphParam(StrEnum):
    """How the target graph is named in the request URL."""

    AUTO = "auto"
    GRAPH = "graph"
    GRAPH_URI = "graph-uri"


class PushFormat(StrEnum):
    TURTLE = "turtle"
    NTRIPLES = "ntriples"


_CONTENT: dict[PushFormat, tuple[ox.RdfFormat, str]] = {
    PushFormat.TURTLE: (ox.RdfFormat.TURTLE, "text/turtle; charset=utf-8"),
    PushFormat.NTRIPLES: (ox.RdfFormat.N_TRIPLES, "application/n-triples"),
}


@dataclass(frozen=True)
class PushedGraph:
    iri: str
    triples: int
    status: int


@dataclass(frozen=True)
class PushReport:
    endpoint: str
    graphs: tuple[PushedGraph, ...]
    seconds: float

    @property
    def triples(self) -> int:
        return sum(g.triples for g in self.graphs)


def graph_param_for(endpoint: str, choice: GraphParam) -> str:
    """The query parameter naming the graph: ``graph-uri`` for Virtuoso, else ``graph``."""
    if choice is not GraphParam.AUTO:
        return choice.value
    path = urllib.parse.urlsplit(endpoint).path
    return "graph-uri" if "sparql-graph-crud" in path else "graph"


def target_iri(iri: str, graph_base: str | None) -> str:
    """The remote graph's IRI: ``iri`` itself, or ``graph_base`` plus its last segment."""
    if graph_base is None:
        return iri
    last = iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
    return graph_base + urllib.parse.quote(last, safe="")


def graph_url(endpoint: str, param: str, iri: str) -> str:
    joiner = "&" if urllib.parse.urlsplit(endpoint).query else "?"
    return endpoint + joiner + urllib.parse.urlencode({param: iri})


class _Digest(urllib.request.HTTPDigestAuthHandler):
    """Digest authentication that, once challenged, authorises every later request up front.

    urllib's handler sends each request without credentials first and repeats
    it after the 401; a server that answers the 401 before reading a large
    body (Virtuoso does) then breaks the connection mid-upload.  A bodyless
    probe collects the challenge once, and every PUT carries its answer.
    """

    challenge: dict[str, str] | None = None

    def http_error_401(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: HTTPMessage,
    ) -> object:
        for value in headers.get_all("www-authenticate") or []:
            scheme, _, rest = value.partition(" ")
            if scheme.lower() == "digest":
                parsed = urllib.request.parse_http_list(rest)
                self.challenge = urllib.request.parse_keqv_list([p for p in parsed if p])
        return super().http_error_401(req, fp, code, msg, headers)

    def http_request(self, req: urllib.request.Request) -> urllib.request.Request:
        if self.challenge is not None and not req.has_header("Authorization"):
            answer = self.get_authorization(req, self.challenge)
            if answer:
                req.add_unredirected_header("Authorization", f"Digest {answer}")
        return req

    https_request = http_request


def _opener(endpoint: str, user: str | None, password: str | None) -> urllib.request.OpenerDirector:
    handlers: list[urllib.request.BaseHandler] = []
    if user is not None:
        # With prior-auth, basic credentials are sent up front too, but only
        # after the server asked for basic auth once (never to a digest server).
        passwords = urllib.request.HTTPPasswordMgrWithPriorAuth()
        passwords.add_password(None, endpoint, user, password or "", is_authenticated=False)
        handlers += [_Digest(passwords), urllib.request.HTTPBasicAuthHandler(passwords)]
    return urllib.request.build_opener(*handlers)


def _probe(opener: urllib.request.OpenerDirector, url: str, timeout: float) -> None:
    """A bodyless HEAD that lets the server ask for credentials before any upload."""
    request = urllib.request.Request(url, method="HEAD")
    try:
        with opener.open(request, timeout=timeout) as response:
            response.read()
    except urllib.error.HTTPError as exc:
        if exc.code == 401:
            raise
    except (urllib.error.URLError, OSError):
        # The PUT that follows reports connection problems with a clear message.
        return


_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


def _graphs(store: GraphStore) -> list[tuple[str, list[ox.Triple]]]:
    """Each graph to send: the graph file's triples as written, plus the store's
    materialised types and its ontology graph.

    The triples are read from the file, not the store, because Oxigraph's store
    keeps numbers in canonical datatypes (an ``xsd:nonNegativeInteger`` offset
    comes back ``xsd:integer``), and the pushed graph must be the one the shapes
    describe. The store's merged default graph is not sent: every triple of it
    is in a document graph.
    """
    graphs: dict[str, dict[ox.Triple, None]] = {}

    def add(quad: ox.Quad) -> None:
        name = quad.graph_name
        key = name.value if isinstance(name, ox.NamedNode) else DEFAULT_GRAPH
        graphs.setdefault(key, {})[quad.triple] = None

    assert store.source is not None
    rdf_format = GRAPH_FORMATS[store.source.suffix.lower()]
    try:
        for quad in ox.parse(path=store.source, format=rdf_format):
            add(quad)
    except (OSError, SyntaxError) as exc:
        raise InputError(f"cannot read the graph again ({exc})", store.source) from exc
    for quad in store.quads():
        if quad.predicate == _RDF_TYPE or quad.graph_name == ox.NamedNode(ONTOLOGY_GRAPH):
            add(quad)
    return sorted((name, list(triples)) for name, triples in graphs.items())


def push(
    source: Path,
    endpoint: str,
    *,
    user: str | None = None,
    password: str | None = None,
    graph_base: str | None = None,
    graph_param: GraphParam = GraphParam.AUTO,
    fmt: PushFormat = PushFormat.TURTLE,
    timeout: float = 120.0,
    progress: Callable[[PushedGraph], None] | None = None,
) -> PushReport:
    """PUT every graph of ``source`` (a build folder or graph file) to ``endpoint``."""
    if urllib.parse.urlsplit(endpoint).scheme not in ("http", "https"):
        raise InputError(
            f"the endpoint must be an http:// or https:// URL, not {endpoint!r}; e.g. "
            "http://127.0.0.1:8890/sparql-graph-crud-auth"
        )
    started = time.monotonic()
    store = open_store(source)
    param = graph_param_for(endpoint, graph_param)
    rdf_format, content_type = _CONTENT[fmt]
    opener = _opener(endpoint, user, password)
    pushed = []
    for number, (iri, triples) in enumerate(_graphs(store)):
        target = target_iri(iri, graph_base)
        url = graph_url(endpoint, param, target)
        if number == 0:
            try:
                _probe(opener, url, timeout)
            except urllib.error.HTTPError as exc:
                raise _http_error(exc, url, target, user) from exc
        body = ox.serialize(
            triples,
            format=rdf_format,
            prefixes=QUERY_PREFIXES if fmt is PushFormat.TURTLE else None,
        )
        assert body is not None
        status = _put(opener, url, body, content_type, timeout, target, user)
        done = PushedGraph(target, len(triples), status)
        pushed.append(done)
        if progress is not None:
            progress(done)
    return PushReport(endpoint, tuple(pushed), time.monotonic() - started)


def _put(
    opener: urllib.request.OpenerDirector,
    url: str,
    body: bytes,
    content_type: str,
    timeout: float,
    graph: str,
    user: str | None,
) -> int:
    request = urllib.request.Request(
        url, data=body, method="PUT", headers={"Content-Type": content_type}
    )
    try:
        with opener.open(request, timeout=timeout) as response:
            response.read()
            return int(response.status)
    except urllib.error.HTTPError as exc:
        raise _http_error(exc, url, graph, user) from exc
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, ConnectionRefusedError):
            raise NetworkError(
                "connection refused; is the triple store running, and are the host and port "
                "of --endpoint right?",
                url,
            ) from exc
        if isinstance(reason, BrokenPipeError | ConnectionResetError):
            raise NetworkError(
                f"the server closed the connection while graph <{graph}> was being sent: it "
                "refused the request early; check the endpoint path and --graph-param "
                "(Virtuoso wants graph-uri, the standard graph)",
                url,
            ) from exc
        if isinstance(reason, socket.gaierror):
            raise NetworkError(
                f"cannot resolve the host ({reason}); check --endpoint", url
            ) from exc
        raise NetworkError(f"cannot reach the triple store ({reason})", url) from exc
    except TimeoutError as exc:
        raise NetworkError(
            f"no answer within {timeout:g} s while sending graph <{graph}>", url
        ) from exc
    except OSError as exc:
        raise NetworkError(f"the connection failed ({exc})", url) from exc


def _http_error(
    exc: urllib.error.HTTPError, url: str, graph: str, user: str | None
) -> NetworkError:
    said = _said(exc)
    if exc.code == 401:
        hint = (
            "check --user and --password (or ZHI_GRAPH_PASSWORD)"
            if user is not None
            else "give --user and --password (or ZHI_GRAPH_PASSWORD)"
        )
        return NetworkError(f"the triple store refused the credentials (401); {hint}", url)
    if exc.code == 403:
        return NetworkError(
            f"the triple store forbids writing graph <{graph}> (403): {said}; does the user "
            "have write permission (Virtuoso: SPARQL_UPDATE role)?",
            url,
        )
    return NetworkError(
        f"the triple store answered {exc.code} {exc.reason} for graph <{graph}>: {said}", url
    )


def _said(error: urllib.error.HTTPError) -> str:
    """The first lines of the server's own message, on one line."""
    try:
        text = error.read(2000).decode("utf-8", "replace")
    except OSError:
        return "(no message)"
    text = _TAGS.sub(" ", _HEAD.sub(" ", text))
    return " ".join(text.split())[:500] or "(no message)"
