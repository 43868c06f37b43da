"""RDF graph -> networkx graph of entities and relations, with what the page shows.

Each node is an entity (its IRI), with its type, label, aliases, region code
and the sentences that mention it (with the document's file name); each edge
is one of the nine relations, keyed by the relation's name, with its years
(award conferrals) and the sentences that state it.  Everything is read with
SPARQL through pyoxigraph from the files a build writes.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import networkx as nx
import pyoxigraph as ox

from ..errors import InputError, ResourceError
from ..iris import SUPERCLASSES, ZHI_NAMESPACE, zhi_iri
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


def graph_file(path: Path) -> Path:
    """The graph file of a build folder (graph.trig, else graph.ttl), or ``path`` itself."""
    if path.is_dir():
        for name in ("graph.trig", "graph.ttl"):
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
_RELATIONS = " ".join(f"zhi:{kind.value}" for kind in RelationKind)


def network_graph(store: ox.Store) -> nx.MultiDiGraph:
    """Entities as nodes, relations as edges keyed by relation name; see the module doc."""
    graph = nx.MultiDiGraph()
    prefix = ZHI_NAMESPACE
    classes: dict[str, set[str]] = defaultdict(set)
    # Only the classes a node is drawn by: most typed nodes are mentions and statements.
    drawn = " ".join(f"zhi:{name}" for name in sorted(_TOP) + list(subtypes()))
    for row in query_rows(
        store, f"SELECT DISTINCT ?e ?c WHERE {{ VALUES ?c {{ {drawn} }} ?e a ?c }}"
    ):
        classes[term_value(row["e"])].add(term_value(row["c"])[len(prefix) :])
    labels: dict[str, str] = {}
    for row in query_rows(store, "SELECT ?e ?l WHERE { ?e rdfs:label ?l }"):
        labels.setdefault(term_value(row["e"]), term_value(row["l"]))
    for entity, names in sorted(classes.items()):
        top = sorted(names & _TOP)
        if not top:
            continue
        subtype = next((s for s in subtypes() if s in names), "")
        graph.add_node(
            entity,
            type=top[0],
            subtype=subtype,
            label=labels.get(entity) or entity.rsplit("/", 1)[-1],
            aliases=[],
            adcode="",
            sources=[],
        )
    nodes = graph.nodes
    for row in query_rows(store, "SELECT ?e ?a WHERE { ?e skos:altLabel ?a } ORDER BY ?e ?a"):
        if (entity := term_value(row["e"])) in nodes:
            nodes[entity]["aliases"].append(term_value(row["a"]))
    for row in query_rows(
        store, "SELECT ?e ?c WHERE { { ?e zhi:adcode ?c } UNION { ?e zhi:iso2 ?c } }"
    ):
        if (entity := term_value(row["e"])) in nodes:
            nodes[entity]["adcode"] = term_value(row["c"])
    mentions = """
        SELECT DISTINCT ?e ?name ?sentence WHERE {
          ?m zhi:mentionOf ?e ; zhi:evidence ?sentence ; zhi:inDocument ?d ; zhi:startOffset ?at .
          OPTIONAL { ?d schema:name ?name }
        } ORDER BY ?e ?name ?at"""
    # Sources already listed, to skip repeats without scanning the lists, whose cost
    # grows with the square of an entity's sentences: a region of a large corpus is
    # named in thousands (the scans took 0.45 s of the 10 MB benchmark corpus's 4.5).
    listed: set[tuple[str, ...]] = set()
    for row in query_rows(store, mentions):
        if (entity := term_value(row["e"])) in nodes:
            name, sentence = term_value(row["name"]), term_value(row["sentence"])
            if (entity, name, sentence) not in listed:
                listed.add((entity, name, sentence))
                nodes[entity]["sources"].append([name, sentence])
    for row in query_rows(
        store, f"SELECT ?s ?p ?o WHERE {{ VALUES ?p {{ {_RELATIONS} }} ?s ?p ?o }}"
    ):
        subject, obj = term_value(row["s"]), term_value(row["o"])
        if subject in nodes and obj in nodes:
            relation = term_value(row["p"])[len(prefix) :]
            graph.add_edge(subject, obj, key=relation, relation=relation, years=[], sources=[])
    statements = """
        SELECT ?s ?p ?o ?year ?name ?sentence WHERE {
          ?st zhi:subject ?s ; zhi:predicate ?p ; zhi:object ?o ;
              zhi:evidence ?sentence ; zhi:inDocument ?d ; zhi:startOffset ?at .
          OPTIONAL { ?st zhi:year ?year }
          OPTIONAL { ?d schema:name ?name }
        } ORDER BY ?s ?p ?o ?name ?at"""
    for row in query_rows(store, statements):
        subject, obj = term_value(row["s"]), term_value(row["o"])
        relation = term_value(row["p"])[len(prefix) :]
        if not graph.has_edge(subject, obj, key=relation):
            continue
        edge = graph.edges[subject, obj, relation]
        year = int(term_value(row["year"])[:4]) if row["year"] is not None else None
        if year is not None and year not in edge["years"]:
            edge["years"].append(year)
            edge["years"].sort()
        name, sentence = term_value(row["name"]), term_value(row["sentence"])
        if (subject, relation, obj, name, sentence, str(year)) not in listed:
            listed.add((subject, relation, obj, name, sentence, str(year)))
            edge["sources"].append([name, sentence, year])
    for node, degree in graph.degree():
        nodes[node]["degree"] = degree
    return graph


def read_network(path: Path) -> nx.MultiDiGraph:
    """The network graph of a build folder or graph file."""
    return network_graph(load_store(path))


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
