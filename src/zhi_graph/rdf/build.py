"""Build the RDF dataset: one named graph per document, with provenance.

Every entity mention and every relation carries its document, its offsets in
the original file and the sentence it came from, so a researcher can quote
what the text said.
"""

from __future__ import annotations

import bisect
import dataclasses
from collections.abc import Iterable, Mapping

from rdflib import RDF, RDFS, XSD, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import PROV, SKOS
from rdflib.term import Node

from ..model import (
    Entity,
    EntityType,
    ExtractionResult,
    Mention,
    PublicationSubtype,
    RelationKind,
    Span,
)
from ..namespaces import ID, SCHEMA, ZHI
from .iri import document_iri, entity_iri, mention_iri, statement_iri

PREFIXES: dict[str, Namespace] = {
    "zhi": Namespace(str(ZHI)),
    "id": ID,
    **{
        kind: Namespace(f"{ID}{kind}/")
        for kind in (
            "region",
            "country",
            "institution",
            "publication",
            "venue",
            "award",
            "person",
            "document",
        )
    },
    "schema": SCHEMA,
    "skos": Namespace(str(SKOS)),
    "prov": Namespace(str(PROV)),
    "rdfs": Namespace(str(RDFS)),
    "xsd": Namespace(str(XSD)),
}

_SUBTYPE_CLASS = {
    PublicationSubtype.YEARBOOK: ZHI.Yearbook,
    PublicationSubtype.GAZETTEER: ZHI.Gazetteer,
    PublicationSubtype.CHRONICLE: ZHI.Chronicle,
    PublicationSubtype.PERIODICAL: ZHI.Periodical,
    PublicationSubtype.SERIES: ZHI.Series,
    PublicationSubtype.BOOK: ZHI.Book,
    PublicationSubtype.COURSE: ZHI.Course,
    PublicationSubtype.POLICY_DOCUMENT: ZHI.PolicyDocument,
    PublicationSubtype.OTHER: ZHI.OtherPublication,
}
_TYPE_CLASS = {
    EntityType.REGION: ZHI.Region,
    EntityType.INSTITUTION: ZHI.Institution,
    EntityType.PUBLICATION: ZHI.Publication,
    EntityType.VENUE: ZHI.Venue,
    EntityType.AWARD: ZHI.Award,
    EntityType.PERSON: ZHI.Person,
}
_LEVEL = {
    "province": ZHI.ProvinceLevel,
    "prefecture": ZHI.PrefectureLevel,
    "county": ZHI.CountyLevel,
    "township": ZHI.TownshipLevel,
}
_PROPERTY = {kind: ZHI[kind.value] for kind in RelationKind}


def _count(n: int) -> Literal:
    return Literal(n, datatype=XSD.nonNegativeInteger)


def bind_prefixes(graph: Graph) -> None:
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True)


Triple = tuple[URIRef, URIRef, Node]


class _Triples(list[Triple]):
    """A list of triples with the ``add`` of an rdflib graph, so builders read alike."""

    def add(self, triple: Triple) -> None:
        self.append(triple)


def _entity_triples(graph: _Triples, entity: Entity) -> None:
    node = entity_iri(entity)
    graph.add((node, RDF.type, _TYPE_CLASS[entity.type]))
    if entity.type is EntityType.PUBLICATION:
        graph.add((node, RDF.type, _SUBTYPE_CLASS[entity.subtype or PublicationSubtype.OTHER]))
    graph.add((node, RDFS.label, Literal(entity.label, lang="zh")))
    for alias in entity.aliases:
        if alias != entity.label:
            graph.add((node, SKOS.altLabel, Literal(alias, lang="zh")))
    if entity.type is EntityType.REGION and entity.adcode:
        if entity.level == "country":
            graph.add((node, RDF.type, ZHI.Country))
            graph.add((node, ZHI.iso2, Literal(entity.adcode)))
        else:
            graph.add((node, ZHI.adcode, Literal(entity.adcode)))
            if entity.level in _LEVEL:
                graph.add((node, ZHI.level, _LEVEL[entity.level]))


def _provenance(
    graph: _Triples, node: URIRef, result: ExtractionResult, doc: URIRef, span: Span
) -> None:
    """Document, original-file offsets and the sentence as written there."""
    normalized = result.normalized
    start, end = normalized.to_original(span.start, span.end)
    original = result.document.text
    graph.add((node, ZHI.inDocument, doc))
    graph.add((node, ZHI.startOffset, _count(start)))
    graph.add((node, ZHI.endOffset, _count(end)))
    _page(graph, node, result, start)
    graph.add((node, ZHI.evidence, Literal(original[start:end], lang="zh")))


def _page(graph: _Triples, node: URIRef, result: ExtractionResult, start: int) -> None:
    """The page a span starts on, for paged documents (PDF)."""
    page = result.document.page_at(start)
    if page is not None:
        graph.add((node, ZHI.page, Literal(page, datatype=XSD.positiveInteger)))


def _mention_triples(
    graph: _Triples, result: ExtractionResult, doc: URIRef, entity_node: URIRef, mention: Mention
) -> None:
    document = result.document
    start, end = result.normalized.to_original(mention.start, mention.end)
    node = mention_iri(document, start, end)
    graph.add((node, RDF.type, ZHI.Mention))
    graph.add((node, ZHI.mentionOf, entity_node))
    graph.add((node, ZHI.text, Literal(document.text[start:end])))
    graph.add((node, ZHI.inDocument, doc))
    # The offsets are the mention's own; the evidence is its whole sentence.
    graph.add((node, ZHI.startOffset, _count(start)))
    graph.add((node, ZHI.endOffset, _count(end)))
    _page(graph, node, result, start)
    sentence = _sentence_of(result, mention.start)
    s_start, s_end = result.normalized.to_original(sentence.start, sentence.end)
    graph.add((node, ZHI.evidence, Literal(document.text[s_start:s_end], lang="zh")))


def _sentence_of(result: ExtractionResult, offset: int) -> Span:
    starts = [s.start for s in result.sentences]
    i = bisect.bisect_right(starts, offset) - 1
    if i < 0:
        return Span(offset, offset + 1)
    sentence = result.sentences[i]
    return Span(sentence.start, sentence.end)


def _relabelled(entity: Entity, label: str | None) -> Entity:
    if label is None or label == entity.label:
        return entity
    aliases = sorted({*entity.aliases, entity.label} - {label})
    return dataclasses.replace(entity, label=label, aliases=tuple(aliases))


def document_triples(
    result: ExtractionResult, relabels: Mapping[str, str] | None = None
) -> list[Triple]:
    """Every triple of one document's named graph.

    ``relabels`` (entity key -> label) gives entities the label cross-document
    linking chose for them (``link.link``), and with it their corpus-wide IRI.
    """
    graph = _Triples()
    document = result.document
    doc = document_iri(document)
    graph.add((doc, RDF.type, ZHI.Document))
    graph.add((doc, SCHEMA.name, Literal(document.name)))
    graph.add((doc, ZHI.sha256, Literal(document.sha256)))
    graph.add((doc, ZHI.characterCount, _count(len(document.text))))
    graph.add((doc, ZHI.sourcePath, Literal(str(document.path))))
    graph.add((doc, SCHEMA.encodingFormat, Literal(document.media_type)))
    if document.pages:
        graph.add((doc, ZHI.pageCount, Literal(len(document.pages), datatype=XSD.positiveInteger)))
    entities = [_relabelled(e, (relabels or {}).get(e.key)) for e in result.entities]
    iris = {entity.key: entity_iri(entity) for entity in entities}
    for entity in entities:
        _entity_triples(graph, entity)
        for mention in entity.mentions:
            _mention_triples(graph, result, doc, iris[entity.key], mention)
    for relation in result.relations:
        subject, obj = iris[relation.subject], iris[relation.object]
        predicate = _PROPERTY[relation.kind]
        graph.add((subject, predicate, obj))
        if relation.sentence is None:
            continue  # a parent region the gazetteer supplies: no sentence states it
        node = statement_iri(document, relation.kind, subject, obj, relation.year)
        if relation.kind is RelationKind.RECEIVED_AWARD:
            graph.add((node, RDF.type, ZHI.AwardConferral))
            graph.add((node, ZHI.recipient, subject))
            graph.add((node, ZHI.award, obj))
            if relation.year:
                graph.add((node, ZHI.year, Literal(str(relation.year), datatype=XSD.gYear)))
        graph.add((node, RDF.type, ZHI.RelationStatement))
        graph.add((node, ZHI.subject, subject))
        graph.add((node, ZHI.predicate, predicate))
        graph.add((node, ZHI.object, obj))
        _provenance(graph, node, result, doc, relation.sentence)
    return list(dict.fromkeys(graph))


def document_graph(result: ExtractionResult, graph: Graph) -> None:
    """Add one document's triples to ``graph`` (its named graph)."""
    graph.addN((s, p, o, graph) for s, p, o in document_triples(result))


def build_dataset(results: Iterable[ExtractionResult]) -> Dataset:
    """A dataset with one named graph per document (named by the document's IRI)."""
    dataset = Dataset()
    bind_prefixes(dataset)
    for result in results:
        graph = dataset.graph(document_iri(result.document))
        document_graph(result, graph)
    return dataset


def union_graph(dataset: Dataset) -> Graph:
    graph = Graph()
    bind_prefixes(graph)
    graph.addN((s, p, o, graph) for s, p, o, _ in dataset.quads((None, None, None, None)))
    return graph
