"""Open a built graph in Oxigraph, the SPARQL engine behind ``query``, ``serve`` and ``push``.

rdflib stays the library's graph API, but its SPARQL engine is far too slow
for researchers' joins and aggregates on large graphs; Oxigraph (Rust,
``pyoxigraph``) answers the same queries in milliseconds.

A store holds one named graph per document, exactly as ``graph.trig`` has
them, plus the ontology in its own named graph so that queries can read class
and property labels.  Queries see the union of all graphs as their default
graph, so ``?x a zhi:Publication`` needs no ``GRAPH`` clause.

That union is *merged* when the store is loaded: the default graph holds each
triple of any graph once (an RDF merge), however many documents state it.
Oxigraph's own union default graph (``use_default_graph_as_union``) repeats
a triple once per graph holding it, so that the labels and types of an entity
named by 200 documents multiply every join through them 200-fold: on a
synthetic graph of 1M triples in 275 documents, listing aliases did not
finish in 20 s that way and takes milliseconds on the merged graph.
``GRAPH ?doc { … }`` still reaches each document's own triples.

An in-memory store keeps a second, read-only copy of that default graph
alone, and a query that names no graph (no ``GRAPH``, ``FROM`` or
``NAMED``) runs on the copy.  Oxigraph's in-memory store finds a triple by
walking every quad of its subject, predicate or object in *all* graphs, so the
document graphs, which repeat much of the default graph, made every lookup
of a default-graph query about twice as slow: on the 1M-triple synthetic graph
the copy answers the research questions 1.3–2.7× faster, for about 35% more
load time and memory (``benchmarks/sparql.md``).  A query that might read a
named graph, however it is spelt, runs on the whole store.
An on-disk store needs no copy: RocksDB keeps the default graph in indexes
of its own.

RDFS types are *materialised* when the store is loaded: for every
``?x a C`` in a document graph, ``?x a D`` is added to the same graph for each
superclass ``D`` of ``C`` in ``ontology/zhi.ttl`` (rdfs9 over the
``rdfs:subClassOf`` closure).  A yearbook is therefore also a
``zhi:Publication``, a ``zhi:Entity`` and a ``schema:CreativeWork``, in every
engine that reads the store or a push of it, with no reasoner at query time.
Properties are not materialised.

An on-disk store (``store_dir``) records in ``manifest.json`` the hash of the
graph file and of the ontology it was loaded from; opening it again with the
same source, or with no source at all, reuses it without parsing anything.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from .errors import InputError, OutputError
from .rdf.build import PREFIXES
from .resources import package_root

ONTOLOGY_GRAPH = "https://w3id.org/zhi-graph/graph/ontology"
MANIFEST = "manifest.json"
_DATABASE = "oxigraph"
# Bumped when the way a store is filled changes, so that older stores are rebuilt.
# 2: the default graph is the merged union of all graphs.
_LAYOUT_VERSION = 2

#: Prefixes every query may use without declaring them.
QUERY_PREFIXES: dict[str, str] = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "schema": "https://schema.org/",
    "dcterms": "http://purl.org/dc/terms/",
    **PREFIXES,
}

GRAPH_FORMATS: dict[str, ox.RdfFormat] = {
    ".trig": ox.RdfFormat.TRIG,
    ".ttl": ox.RdfFormat.TURTLE,
    ".nq": ox.RdfFormat.N_QUADS,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
    ".xml": ox.RdfFormat.RDF_XML,
    ".jsonld": ox.RdfFormat.JSON_LD,
}

_MATERIALISE_TYPES = f"""
INSERT {{ GRAPH ?g {{ ?x a ?super }} }}
WHERE {{
  GRAPH <{ONTOLOGY_GRAPH}> {{ ?class rdfs:subClassOf+ ?super . FILTER(isIRI(?super)) }}
  GRAPH ?g {{ ?x a ?class }}
  FILTER(?g != <{ONTOLOGY_GRAPH}>)
}}
"""

# Set semantics: a triple of several graphs is inserted once.
_MERGE_INTO_DEFAULT_GRAPH = "INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"

_MATERIALISE_TYPES_DEFAULT_GRAPH = f"""
INSERT {{ ?x a ?super }}
WHERE {{
  GRAPH <{ONTOLOGY_GRAPH}> {{ ?class rdfs:subClassOf+ ?super . FILTER(isIRI(?super)) }}
  ?x a ?class
}}
"""


def graph_file(source: Path) -> Path:
    """The graph file behind ``source``: a build folder's ``graph.trig``, or the file itself."""
    if source.is_dir():
        for name in ("graph.trig", "graph.ttl"):
            if (source / name).is_file():
                return source / name
        raise InputError(
            "no graph.trig or graph.ttl in this folder; run `zhi-graph build` first", source
        )
    if not source.exists():
        raise InputError("no such file or folder; check the path", source)
    if source.suffix.lower() not in GRAPH_FORMATS:
        known = ", ".join(sorted(GRAPH_FORMATS))
        suffix = source.suffix or "(none)"
        raise InputError(f"unknown graph format {suffix}; give one of {known}", source)
    return source


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def ontology_file() -> Path:
    return package_root() / "ontology" / "zhi.ttl"


@dataclass(frozen=True)
class Manifest:
    """What an on-disk store was loaded from."""

    source: str
    source_sha256: str
    ontology_sha256: str
    layout: int = _LAYOUT_VERSION

    @classmethod
    def read(cls, folder: Path) -> Manifest | None:
        try:
            data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
            return cls(**data)
        except (OSError, ValueError, TypeError):
            return None

    def write(self, folder: Path) -> None:
        (folder / MANIFEST).write_text(
            json.dumps(self.__dict__, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )


# Words by which a query can reach a named graph (SERVICE is refused anyway).
_NAMES_A_GRAPH = re.compile(r"\b(?:GRAPH|FROM|NAMED|SERVICE)\b", re.IGNORECASE)
# What the SPARQL grammar reads as one token that a keyword cannot be part of:
# IRI references, the four kinds of string, and comments. Scanning them left
# to right, as the parser does, finds where each begins and ends.
_NOT_KEYWORDS = re.compile(
    "|".join(
        (
            r"<[^<>\"{}|^`\\\x00-\x20]*>",
            r"'''(?:(?:'|'')?(?:[^'\\]|\\.))*'''",
            r'"""(?:(?:"|"")?(?:[^"\\]|\\.))*"""',
            r"'(?:[^'\\\n\r]|\\.)*'",
            r'"(?:[^"\\\n\r]|\\.)*"',
            r"#[^\n\r]*",
        )
    )
)


def may_name_a_graph(sparql: str) -> bool:
    """Whether a query might read a named graph rather than the default graph alone.

    ``GRAPH``, ``FROM``, ``NAMED`` or ``SERVICE`` outside IRIs, strings and
    comments answers yes; so does a variable or prefixed name spelt like them,
    which errs on the safe side.
    """
    return _NAMES_A_GRAPH.search(_NOT_KEYWORDS.sub(" ", sparql)) is not None


def default_graph_copy(store: ox.Store) -> ox.Store:
    """A new in-memory store holding ``store``'s default graph alone."""
    copy = ox.Store()
    copy.bulk_load(
        store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()),
        format=ox.RdfFormat.N_TRIPLES,
    )
    return copy


class GraphStore:
    """A graph loaded into Oxigraph, queried with the project's prefixes predeclared.

    ``default_graph`` is an optional copy of ``store``'s default graph alone,
    which answers the queries that name no graph (see the module docstring).
    """

    def __init__(
        self,
        store: ox.Store,
        source: Path | None,
        folder: Path | None = None,
        *,
        default_graph: ox.Store | None = None,
    ) -> None:
        self.store = store
        self.source = source
        self.folder = folder
        self.default_graph = default_graph

    def query(self, sparql: str) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        """Run a read-only SPARQL query over the merged union of all graphs.

        Raises ``InputError`` with the parser's message (line and column) on a syntax error.
        """
        engine = self.store
        if self.default_graph is not None and not may_name_a_graph(sparql):
            engine = self.default_graph
        try:
            return engine.query(sparql, prefixes=QUERY_PREFIXES)
        except SyntaxError as exc:
            raise InputError(f"SPARQL syntax error: {exc}") from exc

    def graphs(self) -> list[str]:
        """The document graphs, sorted (the ontology graph left out)."""
        return sorted(
            g.value
            for g in self.store.named_graphs()
            if isinstance(g, ox.NamedNode) and g.value != ONTOLOGY_GRAPH
        )

    def __len__(self) -> int:
        return len(self.store)

    def quads(self) -> Iterator[ox.Quad]:
        """The graphs as loaded: the document graphs and the ontology graph, or, for a
        Turtle or N-Triples source, its default graph; not the merged union."""
        ontology = ox.NamedNode(ONTOLOGY_GRAPH)
        if not self.graphs():  # a Turtle source: its default graph, less the merged ontology
            for quad in self.store.quads_for_pattern(None, None, None, ox.DefaultGraph()):
                if ox.Quad(quad.subject, quad.predicate, quad.object, ontology) not in self.store:
                    yield quad
        for graph in self.store.named_graphs():
            yield from self.store.quads_for_pattern(None, None, None, graph)


def _fill(store: ox.Store, graph: Path, *, bulk: bool) -> None:
    rdf_format = GRAPH_FORMATS[graph.suffix.lower()]
    ontology = ox.NamedNode(ONTOLOGY_GRAPH)
    try:
        if bulk:
            store.bulk_load(path=graph, format=rdf_format)
            store.bulk_load(path=ontology_file(), format=ox.RdfFormat.TURTLE, to_graph=ontology)
        else:
            store.load(path=graph, format=rdf_format)
            store.load(path=ontology_file(), format=ox.RdfFormat.TURTLE, to_graph=ontology)
    except SyntaxError as exc:
        raise InputError(f"cannot parse the graph: {exc}", graph) from exc
    store.update(_MATERIALISE_TYPES, prefixes=QUERY_PREFIXES)
    store.update(_MERGE_INTO_DEFAULT_GRAPH)
    # Turtle and N-Triples files have only a default graph: materialise there too.
    store.update(_MATERIALISE_TYPES_DEFAULT_GRAPH, prefixes=QUERY_PREFIXES)
    if bulk:
        store.optimize()


def open_store(source: Path | None = None, *, store_dir: Path | None = None) -> GraphStore:
    """Load ``source`` (a build folder or graph file) into memory, or into ``store_dir``.

    With ``store_dir`` and no ``source``, reopen a store loaded before.  With
    both, the store is reused when its manifest matches the source and the
    ontology, and reloaded from scratch otherwise.
    """
    if source is None and store_dir is None:
        raise InputError("give a build folder or graph file, or --store with a loaded store")
    if store_dir is None:
        assert source is not None
        graph = graph_file(source)
        store = ox.Store()
        _fill(store, graph, bulk=False)
        return GraphStore(store, graph, default_graph=default_graph_copy(store))
    return _open_on_disk(source, store_dir)


def _open_on_disk(source: Path | None, folder: Path) -> GraphStore:
    manifest = Manifest.read(folder)
    if source is None:
        if manifest is None or manifest.layout != _LAYOUT_VERSION:
            raise InputError(
                "no zhi-graph store here; load one with a build folder and --store", folder
            )
        return GraphStore(_open_database(folder), Path(manifest.source), folder)
    graph = graph_file(source)
    wanted = Manifest(str(graph.resolve()), _sha256(graph), _sha256(ontology_file()))
    if manifest == wanted:
        return GraphStore(_open_database(folder), graph, folder)
    if folder.exists() and not folder.is_dir():
        raise OutputError("exists and is not a folder; give a new or empty folder", folder)
    if folder.exists() and not (folder / MANIFEST).exists() and any(folder.iterdir()):
        raise OutputError(
            "the folder is not empty and holds no zhi-graph store; give an empty or new folder",
            folder,
        )
    try:
        shutil.rmtree(folder / _DATABASE, ignore_errors=True)
        (folder / MANIFEST).unlink(missing_ok=True)
        folder.mkdir(parents=True, exist_ok=True)
        store = ox.Store(str(folder / _DATABASE))
    except OSError as exc:
        raise OutputError(f"cannot create the store ({exc})", folder) from exc
    _fill(store, graph, bulk=True)
    store.flush()
    # Written last: a store interrupted while loading has no manifest and is reloaded.
    wanted.write(folder)
    return GraphStore(store, graph, folder)


def _open_database(folder: Path) -> ox.Store:
    try:
        return ox.Store(str(folder / _DATABASE))
    except OSError as exc:
        raise InputError(
            f"cannot open the store ({exc}); is another process using it read-write?", folder
        ) from exc


def open_read_only(folder: Path) -> ox.Store:
    """Open a loaded on-disk store read-only, e.g. from several server processes at once.

    Query it through ``GraphStore(open_read_only(folder), None, folder).query``, or
    with ``store.query(sparql, prefixes=QUERY_PREFIXES)``: its default graph is the
    merged union already (``use_default_graph_as_union`` would add every triple again).
    """
    if Manifest.read(folder) is None:
        raise InputError("no zhi-graph store here; load one first", folder)
    try:
        return ox.Store.read_only(str(folder / _DATABASE))
    except OSError as exc:
        raise InputError(f"cannot open the store read-only ({exc})", folder) from exc
