"""A build's graphs as rdflib objects: for notebooks, tests and ``validate``.

A build never imports rdflib, which would cost it a tenth of a second to
start: it writes each document's graph as N-Triples lines (``rdf.build``).
This module reads those lines back as rdflib terms, triples and datasets.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pyoxigraph as ox
from rdflib import XSD, BNode, Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from ..model import ExtractionResult
from .build import PREFIXES, document_lines
from .iri import document_iri_str

Triple = tuple[URIRef, URIRef, Node]


def bind_prefixes(graph: Graph) -> None:
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True)


def _rdflib_term(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == _XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise TypeError(f"not a term zhi-graph writes: {term!r}")


_XSD_STRING = str(XSD.string)


def document_triples(
    result: ExtractionResult, relabels: Mapping[str, str] | None = None
) -> list[Triple]:
    """Every triple of one document's named graph, as rdflib terms (``document_lines``,
    read back)."""
    data = "".join(document_lines(result, relabels)).encode("utf-8")
    triples: list[Triple] = []
    for triple in ox.parse(data, format=ox.RdfFormat.N_TRIPLES):
        subject, predicate = _rdflib_term(triple.subject), _rdflib_term(triple.predicate)
        assert isinstance(subject, URIRef) and isinstance(predicate, URIRef)
        triples.append((subject, predicate, _rdflib_term(triple.object)))
    return triples


def document_graph(result: ExtractionResult, graph: Graph) -> None:
    """Add one document's triples to ``graph`` (its named graph)."""
    graph.addN((s, p, o, graph) for s, p, o in document_triples(result))


def build_dataset(results: Iterable[ExtractionResult]) -> Dataset:
    """A dataset with one named graph per document (named by the document's IRI)."""
    dataset = Dataset()
    bind_prefixes(dataset)
    for result in results:
        graph = dataset.graph(URIRef(document_iri_str(result.document)))
        document_graph(result, graph)
    return dataset


def union_graph(dataset: Dataset) -> Graph:
    graph = Graph()
    bind_prefixes(graph)
    graph.addN((s, p, o, graph) for s, p, o, _ in dataset.quads((None, None, None, None)))
    return graph


# Graph files read by pyoxigraph (``graphfile.read_quads``), as rdflib terms: for the
# shape check with pySHACL (``validate``) and rdflib's JSON-LD writer (``graphfile``).


def to_rdflib(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise ValueError(f"RDF-star triple terms are not supported: {term}")


def to_rdflib_dataset(quads: Iterable[ox.Quad]) -> Dataset:
    dataset = Dataset()
    for prefix, namespace in PREFIXES.items():
        dataset.bind(prefix, namespace, override=True)
    graphs: dict[ox.NamedNode | ox.BlankNode | ox.DefaultGraph, Graph] = {}
    for quad in quads:
        name = quad.graph_name
        graph = graphs.get(name)
        if graph is None:
            if isinstance(name, ox.DefaultGraph):
                graph = dataset.default_graph
            elif isinstance(name, ox.NamedNode):
                graph = dataset.graph(URIRef(name.value))
            else:
                graph = dataset.graph(BNode(name.value))
            graphs[name] = graph
        graph.add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))
    return dataset
