"""The ontology as records: each class and property of ``ontology/zhi.ttl`` with its
labels, comments, domain and range, for the documentation page and for exports
that label relations in words.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from rdflib import OWL, RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SKOS
from rdflib.term import Node

from .errors import ResourceError
from .resources import package_root

ONTOLOGY_IRI = URIRef("https://w3id.org/zhi-graph/ontology")


@dataclass(frozen=True, slots=True)
class Term:
    """One class, property or individual, every text by language (``zh``, ``en``)."""

    iri: str
    name: str  # the prefixed name, e.g. zhi:receivedAward
    kind: str  # class | object property | datatype property | individual
    labels: tuple[tuple[str, str], ...]  # (language, text), sorted
    comments: tuple[tuple[str, str], ...]
    superterms: tuple[str, ...]  # prefixed names of rdfs:subClassOf / rdfs:subPropertyOf
    domain: tuple[str, ...]  # prefixed names; a union lists its members
    range: tuple[str, ...]
    characteristics: tuple[str, ...]  # functional, transitive
    see_also: tuple[str, ...]

    def label(self, language: str) -> str:
        return next((text for lang, text in self.labels if lang == language), "")

    def comment(self, language: str) -> str:
        return next((text for lang, text in self.comments if lang == language), "")


@dataclass(frozen=True, slots=True)
class Vocabulary:
    title: tuple[tuple[str, str], ...]
    description: tuple[tuple[str, str], ...]
    version: str
    namespace: str
    conventions: str
    terms: tuple[Term, ...]

    def of_kind(self, kind: str) -> list[Term]:
        return [t for t in self.terms if t.kind == kind]

    def get(self, name: str) -> Term:
        for term in self.terms:
            if term.name == name or term.iri == name:
                return term
        raise KeyError(name)


def ontology_path() -> Path:
    return package_root() / "ontology" / "zhi.ttl"


@cache
def ontology_graph(path: Path | None = None) -> Graph:
    source = path or ontology_path()
    try:
        return Graph().parse(source, format="turtle")
    except Exception as exc:  # rdflib's parser raises many unrelated types
        raise ResourceError(f"cannot parse the ontology ({exc})", source) from exc


_KINDS = (
    (OWL.Class, "class"),
    (OWL.ObjectProperty, "object property"),
    (OWL.DatatypeProperty, "datatype property"),
    (OWL.NamedIndividual, "individual"),
)
_CHARACTERISTICS = ((OWL.FunctionalProperty, "functional"), (OWL.TransitiveProperty, "transitive"))


def _texts(graph: Graph, node: Node, predicate: URIRef) -> tuple[tuple[str, str], ...]:
    return tuple(
        sorted(
            (o.language or "", str(o))
            for o in graph.objects(node, predicate)
            if isinstance(o, Literal)
        )
    )


def _names(graph: Graph, nodes: Iterable[Node]) -> tuple[str, ...]:
    found: list[str] = []
    for node in nodes:
        if isinstance(node, BNode):
            members = graph.value(node, OWL.unionOf)
            if members is not None:
                found.extend(_names(graph, Collection(graph, members)))
        elif isinstance(node, URIRef):
            found.append(graph.namespace_manager.normalizeUri(node))
    return tuple(found)


def _kind(graph: Graph, node: URIRef) -> str | None:
    types = set(graph.objects(node, RDF.type))
    for cls, kind in _KINDS:
        if cls in types:
            return kind
    return None


@cache
def vocabulary(path: Path | None = None) -> Vocabulary:
    """Every term the ontology defines (``rdfs:isDefinedBy`` the ontology), sorted by name."""
    graph = ontology_graph(path)
    terms = []
    for node in set(graph.subjects(RDFS.isDefinedBy, ONTOLOGY_IRI)):
        if not isinstance(node, URIRef):
            continue
        kind = _kind(graph, node)
        if kind is None:
            continue
        terms.append(
            Term(
                iri=str(node),
                name=graph.namespace_manager.normalizeUri(node),
                kind=kind,
                labels=_texts(graph, node, RDFS.label) or _texts(graph, node, SKOS.prefLabel),
                comments=_texts(graph, node, RDFS.comment),
                superterms=_names(
                    graph,
                    [
                        *graph.objects(node, RDFS.subClassOf),
                        *graph.objects(node, RDFS.subPropertyOf),
                    ],
                ),
                domain=_names(graph, graph.objects(node, RDFS.domain)),
                range=_names(graph, graph.objects(node, RDFS.range)),
                characteristics=tuple(
                    name for cls, name in _CHARACTERISTICS if (node, RDF.type, cls) in graph
                ),
                see_also=_names(graph, graph.objects(node, RDFS.seeAlso)),
            )
        )
    terms.sort(key=lambda t: (t.name.lower(), t.name))
    version = graph.value(ONTOLOGY_IRI, OWL.versionInfo)
    conventions = graph.value(ONTOLOGY_IRI, RDFS.comment)
    return Vocabulary(
        title=_texts(graph, ONTOLOGY_IRI, URIRef("http://purl.org/dc/terms/title")),
        description=_texts(graph, ONTOLOGY_IRI, URIRef("http://purl.org/dc/terms/description")),
        version=str(version or ""),
        namespace=str(
            graph.value(ONTOLOGY_IRI, URIRef("http://purl.org/vocab/vann/preferredNamespaceUri"))
            or ""
        ),
        conventions=str(conventions or ""),
        terms=tuple(terms),
    )
