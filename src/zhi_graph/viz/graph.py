"""RDF graph -> networkx graph of entities and relations, with what the page shows.

Each node is an entity (its IRI), with its type, label, aliases, region code
and the sentences that mention it (with the document's file name); each edge
is one of the nine relations, keyed by the relation's name, with its years
(award conferrals) and the sentences that state it.  The network is read from
the triples of a graph file as pyoxigraph parses them (``scan_network``), or of
a store; the sentences are added to the part of it that a view shows.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import networkx as nx
import pyoxigraph as ox

from ..errors import InputError, ResourceError
from ..iris import RDF, RDFS, SCHEMA, SKOS, SUPERCLASSES, ZHI, ZHI_NAMESPACE, zhi_iri
from ..model import EntityType, RelationKind
from ..resources import package_root


@cache
def subtypes() -> tuple[str, ...]:
    """The subclasses an entity may carry below its top class (zhi:Yearbook is a
    Publication, zhi:Country a Region): every one zhi.ttl declares, by local name."""
    tops = {zhi_iri(kind.value) for kind in EntityType}
    names = [
        cls.removeprefix(ZHI_NAMESPACE)
        for cls, parents in SUPERCLASSES.items()
        if not tops.isdisjoint(parents)
    ]
    # An entity of two subclasses is drawn as the first in this order (``vocabulary``'s),
    # so the order is part of the page.
    return tuple(sorted(names, key=lambda name: (name.lower(), name)))


_FORMATS = {
    ".trig": ox.RdfFormat.TRIG,
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
}
_PREFIXES = f"""
PREFIX zhi: <{ZHI_NAMESPACE}>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX schema: <https://schema.org/>
"""


@dataclass(frozen=True, slots=True)
class TypeStyle:
    name: str  # Chinese name, from the ontology
    color: str
    shape: str  # a vis-network shape


@dataclass(frozen=True, slots=True)
class RelationStyle:
    label: str  # the short label an edge shows (获奖)
    name: str  # the ontology's name (获得奖项)
    color: str
    reverse: bool  # drawn from object to subject, so that the verb reads from the agent


@dataclass(frozen=True, slots=True)
class Style:
    types: dict[str, TypeStyle]
    subtypes: dict[str, str]  # class name -> Chinese name
    relations: dict[str, RelationStyle]


def _zh_labels(ontology: Path) -> dict[str, str]:
    """Local name -> rdfs:label@zh of every term of the ontology."""
    store = ox.Store()
    try:
        store.load(path=str(ontology), format=ox.RdfFormat.TURTLE)
    except (OSError, SyntaxError) as exc:
        raise ResourceError(f"cannot read the ontology ({exc})", ontology) from exc
    query = (
        _PREFIXES
        + 'SELECT ?term ?label WHERE { ?term rdfs:label ?label FILTER(lang(?label) = "zh") }'
    )
    labels: dict[str, str] = {}
    solutions: Any = store.query(query)
    for row in solutions:
        iri = row["term"].value
        if iri.startswith(ZHI_NAMESPACE):
            labels[iri[len(ZHI_NAMESPACE) :]] = row["label"].value
    return labels


@cache
def load_style(root: Path | None = None) -> Style:
    """Colours, shapes and labels: ``data/viz/style.json`` plus the ontology's Chinese names."""
    root = root or package_root()
    path = root / "data" / "viz" / "style.json"
    labels = _zh_labels(root / "ontology" / "zhi.ttl")
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        types = {
            kind.value: TypeStyle(
                labels[kind.value],
                str(raw["types"][kind.value]["color"]),
                str(raw["types"][kind.value]["shape"]),
            )
            for kind in EntityType
        }
        relations = {
            kind.value: RelationStyle(
                str(raw["relations"][kind.value]["label"]),
                labels[kind.value],
                str(raw["relations"][kind.value]["color"]),
                bool(raw["relations"][kind.value]["reverse"]),
            )
            for kind in RelationKind
        }
    except OSError as exc:
        raise ResourceError(f"cannot read the view style ({exc.strerror})", path) from exc
    except (ValueError, KeyError, TypeError) as exc:
        raise ResourceError(f"bad view style, missing or wrong entry {exc}; fix it", path) from exc
    return Style(types, {name: labels[name] for name in subtypes()}, relations)


def graph_file(path: Path, *, union: bool = False) -> Path:
    """The graph file of a build folder (graph.trig, else graph.ttl; with ``union``, the
    other way round), or ``path`` itself."""
    if path.is_dir():
        for name in ("graph.ttl", "graph.trig") if union else ("graph.trig", "graph.ttl"):
            if (path / name).is_file():
                return path / name
        raise InputError("no graph.trig or graph.ttl here; run `zhi-graph build` first", path)
    if not path.is_file():
        raise InputError("no such file or folder; give a build's output folder", path)
    if path.suffix.lower() not in _FORMATS:
        raise InputError(
            f"unknown graph format {path.suffix!r}; give a .trig, .ttl, .nt or .nq file", path
        )
    return path


def load_store(path: Path) -> ox.Store:
    """Read a build folder or graph file into an in-memory pyoxigraph store."""
    file = graph_file(path)
    store = ox.Store()
    try:
        store.bulk_load(path=str(file), format=_FORMATS[file.suffix.lower()])
    except (OSError, SyntaxError, ValueError) as exc:
        raise InputError(f"cannot read the graph ({exc}); rebuild it", file) from exc
    return store


def query_rows(store: ox.Store, query: str) -> Any:
    return store.query(_PREFIXES + query, use_default_graph_as_union=True)


def term_value(term: Any) -> str:
    return "" if term is None else str(term.value)


_TOP = {kind.value for kind in EntityType}


class Network:
    """A graph file read for its pictures: every entity and relation (``graph``), the
    documents' file names, and the sentences, added to the part of ``graph`` that a view
    shows (``with_sources``): a view of a hundred entities of a large corpus need not
    sort the sentences of all the others."""

    def __init__(self, quads: _Quads) -> None:
        self._quads = quads
        self.graph = quads.skeleton()
        self.documents = quads.document_names()

    def with_sources(self, view: nx.MultiDiGraph) -> nx.MultiDiGraph:
        """``view`` (``graph`` or a ``select`` of it), its entities given the sentences
        that name them, and its relations their years and the sentences that state them."""
        self._quads.add_sources(view)
        return view


def network_graph(store: ox.Store) -> nx.MultiDiGraph:
    """Entities as nodes, relations as edges keyed by relation name; see the module doc.
    Every graph of ``store`` counts (their union)."""
    network = Network(_Quads().read(store.quads_for_pattern(None, None, None, None)))
    return network.with_sources(network.graph)


def read_network(path: Path) -> nx.MultiDiGraph:
    """The network graph of a build folder or graph file."""
    network = scan_network(path)
    return network.with_sources(network.graph)


def scan_network(path: Path) -> Network:
    """The ``Network`` of a build folder or graph file, read in one pass over its
    triples and not loaded into a store: what the network needs is a tenth of them,
    and a store of a 50 MB corpus's graph took 33 s and 4 GB to load.  Of a build
    folder it reads graph.ttl, the union of the documents' graphs: their shared
    triples once, not once a document (a sixth fewer triples at 50 MB)."""
    file = graph_file(path, union=True)
    try:
        quads = _Quads().read(ox.parse(path=str(file), format=_FORMATS[file.suffix.lower()]))
    except (OSError, SyntaxError, ValueError) as exc:
        raise InputError(f"cannot read the graph ({exc}); rebuild it", file) from exc
    return Network(quads)


def _literal(term: Any) -> str:
    return str(term.value)


#: What is kept of one triple: called with its subject's IRI and its object.
_Keeper = Callable[[str, Any], None]


class _Quads:
    """What the network needs of a graph's triples, gathered in any order (the triples of
    a node may be anywhere in a file, and shared ones repeat in each document's graph)."""

    def __init__(self) -> None:
        # Only the classes a node is drawn by: most typed nodes are mentions and statements.
        drawn = sorted(_TOP) + list(subtypes())
        self.classes: dict[str, set[str]] = defaultdict(set)
        self.class_of = {ox.NamedNode(zhi_iri(name)): name for name in drawn}
        self.documents: set[str] = set()
        self.labels: dict[str, str] = {}
        self.aliases: dict[str, set[str]] = defaultdict(set)
        self.adcodes: dict[str, str] = {}
        self.names: dict[str, set[str]] = defaultdict(set)  # a document's schema:name
        # a mention's or relation statement's values, by its IRI
        self.mentioned: dict[str, str] = {}
        self.evidence: dict[str, str] = {}
        self.in_document: dict[str, str] = {}
        self.start: dict[str, int] = {}
        self.subject: dict[str, str] = {}
        self.predicate: dict[str, str] = {}
        self.object: dict[str, str] = {}
        self.year: dict[str, int] = {}
        self.relations: set[tuple[str, str, str]] = set()
        self.sentences: dict[str, str] = {}  # each sentence's text once: they recur

    def read(self, quads: Any) -> _Quads:
        keep = self._keepers()
        for quad in quads:
            found = keep.get(quad.predicate)
            if found is not None:
                found(quad.subject.value, quad.object)
        return self

    def _keepers(self) -> dict[ox.NamedNode, _Keeper]:
        relations = {ox.NamedNode(zhi_iri(kind.value)): kind.value for kind in RelationKind}
        sentences = self.sentences

        def typed(subject: str, obj: Any) -> None:
            name = self.class_of.get(obj)
            if name is not None:
                self.classes[subject].add(name)
            elif obj.value == ZHI.Document:
                self.documents.add(subject)

        def least_of(table: dict[str, str]) -> _Keeper:
            """The least value where a node has several: the same whichever comes first."""

            def keep(subject: str, obj: Any) -> None:
                known = table.get(subject)
                if known is None or obj.value < known:
                    table[subject] = obj.value

            return keep

        def evidence(subject: str, obj: Any) -> None:
            text = obj.value
            self.evidence[subject] = sentences.setdefault(text, text)

        def value_of(table: dict[str, Any], convert: Callable[[Any], Any] = _literal) -> _Keeper:
            def keep(subject: str, obj: Any) -> None:
                table[subject] = convert(obj)

            return keep

        def relation(name: str) -> _Keeper:
            def keep(subject: str, obj: Any) -> None:
                self.relations.add((subject, name, obj.value))

            return keep

        keepers: dict[ox.NamedNode, _Keeper] = {
            ox.NamedNode(RDF + "type"): typed,
            ox.NamedNode(RDFS + "label"): least_of(self.labels),
            ox.NamedNode(SKOS + "altLabel"): lambda s, o: self.aliases[s].add(o.value),
            ox.NamedNode(ZHI.adcode): least_of(self.adcodes),
            ox.NamedNode(ZHI.iso2): least_of(self.adcodes),
            ox.NamedNode(SCHEMA + "name"): lambda s, o: self.names[s].add(o.value),
            ox.NamedNode(ZHI.mentionOf): value_of(self.mentioned),
            ox.NamedNode(ZHI.evidence): evidence,
            ox.NamedNode(ZHI.inDocument): value_of(self.in_document),
            ox.NamedNode(ZHI.startOffset): value_of(self.start, lambda o: int(o.value)),
            ox.NamedNode(ZHI.subject): value_of(self.subject),
            ox.NamedNode(ZHI.predicate): value_of(self.predicate),
            ox.NamedNode(ZHI.object): value_of(self.object),
            ox.NamedNode(ZHI.year): value_of(self.year, lambda o: int(o.value[:4])),
        }
        keepers.update({node: relation(name) for node, name in relations.items()})
        return keepers

    def _source_keys(self, nodes: list[str]) -> dict[str, tuple[bool, str, int]]:
        """Each node's place among sentences: by its document's name (a document without
        one first), then where it starts (as the SPARQL query this replaces ordered them)."""
        named = {document: min(names) for document, names in self.names.items()}
        keys: dict[str, tuple[bool, str, int]] = {}
        for node in nodes:
            name = named.get(self.in_document[node])
            keys[node] = (name is not None, name or "", self.start[node])
        return keys

    def document_names(self) -> tuple[str, ...]:
        """Each document's name (schema:name), sorted."""
        return tuple(sorted(name for document in self.documents for name in self.names[document]))

    def skeleton(self) -> nx.MultiDiGraph:
        """Every entity and relation, their sentences and years not yet added."""
        graph = nx.MultiDiGraph()
        for entity, names in sorted(self.classes.items()):
            top = sorted(names & _TOP)
            if not top:
                continue
            subtype = next((s for s in subtypes() if s in names), "")
            graph.add_node(
                entity,
                type=top[0],
                subtype=subtype,
                label=self.labels.get(entity) or entity.rsplit("/", 1)[-1],
                aliases=sorted(self.aliases.get(entity, ())),
                adcode=self.adcodes.get(entity, ""),
                sources=[],
            )
        nodes = graph.nodes
        for subject, relation, obj in sorted(self.relations):
            if subject in nodes and obj in nodes:
                graph.add_edge(subject, obj, key=relation, relation=relation, years=[], sources=[])
        for node, degree in graph.degree():
            nodes[node]["degree"] = degree
        return graph

    def add_sources(self, graph: nx.MultiDiGraph) -> None:
        """The sentences of ``graph``'s entities, and the years and sentences of its
        relations (anew, if they were added before)."""
        nodes = graph.nodes
        for data in nodes.values():
            data["sources"] = []
        for _, _, data in graph.edges(data=True):
            data["years"], data["sources"] = [], []
        complete = self.evidence.keys() & self.in_document.keys() & self.start.keys()
        mentions = [m for m, entity in self.mentioned.items() if entity in nodes and m in complete]
        prefix = len(ZHI_NAMESPACE)
        stated = [
            (subject, relation, obj, st)
            for st, subject in self.subject.items()
            if subject in nodes and st in complete
            for relation, obj in [(self.predicate.get(st, "")[prefix:], self.object.get(st))]
            if obj is not None and graph.has_edge(subject, obj, key=relation)
        ]
        place = self._source_keys([*mentions, *(row[3] for row in stated)])
        # Sorting by a node's number compares ints, not IRIs that share long prefixes.
        number = {node: i for i, node in enumerate(nodes)}
        mentions.sort(key=lambda m: (number[self.mentioned[m]], place[m]))
        listed: set[tuple[str, ...]] = set()
        for mention in mentions:
            entity, sentence = self.mentioned[mention], self.evidence[mention]
            name = place[mention][1]
            if (entity, name, sentence) not in listed:
                listed.add((entity, name, sentence))
                nodes[entity]["sources"].append([name, sentence])
        stated.sort(
            key=lambda row: (
                number[row[0]],
                row[1],
                number[row[2]],
                place[row[3]],
                self.year.get(row[3], 0),
            )
        )
        for subject, relation, obj, statement in stated:
            edge = graph.edges[subject, obj, relation]
            year = self.year.get(statement)
            if year is not None and year not in edge["years"]:
                edge["years"].append(year)
                edge["years"].sort()
            name, sentence = place[statement][1], self.evidence[statement]
            if (subject, relation, obj, name, sentence, str(year)) not in listed:
                listed.add((subject, relation, obj, name, sentence, str(year)))
                edge["sources"].append([name, sentence, year])


# --- cutting the view ------------------------------------------------------


def find_nodes(graph: nx.MultiDiGraph, name: str) -> list[str]:
    """Nodes whose label or one of whose aliases is ``name`` (exactly)."""
    wanted = name.strip()
    return [
        node
        for node, data in graph.nodes(data=True)
        if data["label"] == wanted or wanted in data["aliases"]
    ]


def _type_names(style: Style) -> dict[str, str]:
    """Every name --types accepts (English class names and Chinese names) -> class name."""
    names: dict[str, str] = {}
    for kind, type_style in style.types.items():
        names[kind.lower()] = names[type_style.name] = kind
    for kind, zh in style.subtypes.items():
        names[kind.lower()] = names[zh] = kind
    return names


def parse_types(text: str, style: Style) -> set[str]:
    """``Publication,Award`` (or 出版物,奖项; subclasses such as Yearbook too) -> class names."""
    names = _type_names(style)
    wanted: set[str] = set()
    for part in text.replace("，", ",").split(","):
        if not part.strip():
            continue
        key = part.strip()
        found = names.get(key.lower()) or names.get(key)
        if found is None:
            known = ", ".join([*style.types, *style.subtypes])
            raise InputError(f"unknown type {key!r} in --types; use some of: {known}")
        wanted.add(found)
    return wanted


def select(
    graph: nx.MultiDiGraph,
    *,
    focus: str | None = None,
    depth: int = 1,
    types: set[str] | None = None,
    min_degree: int = 0,
) -> nx.MultiDiGraph:
    """The part of ``graph`` a view shows.

    ``focus``: the entities named so (label or alias) and everything within
    ``depth`` relations of them, either direction; ``types``: only entities of
    these classes (top classes or subclasses); ``min_degree``: only entities
    with at least that many relations in the whole graph.  The focused
    entities stay in the view whatever the other cuts say.
    """
    keep = set(graph.nodes)
    centres: set[str] = set()
    if focus is not None:
        centres = set(find_nodes(graph, focus))
        if not centres:
            raise InputError(_unknown_focus(graph, focus))
        if depth < 0:
            raise InputError(f"--depth must be 0 or more, not {depth}")
        undirected = graph.to_undirected(as_view=True)
        keep = set()
        for centre in centres:
            keep |= set(nx.single_source_shortest_path_length(undirected, centre, cutoff=depth))
    if types:
        keep = {
            n for n in keep if graph.nodes[n]["type"] in types or graph.nodes[n]["subtype"] in types
        }
    if min_degree > 0:
        keep = {n for n in keep if graph.nodes[n]["degree"] >= min_degree}
    view: nx.MultiDiGraph = graph.subgraph(keep | centres).copy()
    return view


def _unknown_focus(graph: nx.MultiDiGraph, name: str) -> str:
    near = sorted(
        {
            data["label"]
            for _, data in graph.nodes(data=True)
            if name.strip() and (name.strip() in data["label"] or data["label"] in name)
        },
        key=len,
    )[:5]
    hint = f"; did you mean {', '.join(near)}?" if near else "; give an entity's name or alias"
    return f"no entity is named {name!r} in the graph{hint}"
