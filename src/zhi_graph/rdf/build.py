"""Build the RDF dataset: one named graph per document, with provenance.

Every entity mention and every relation carries its document, its offsets in
the original file and the sentence it came from, so a researcher can quote
what the text said.
"""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import RDF, RDFS, XSD, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import PROV, SKOS

from ..model import Entity, EntityType, ExtractionResult, PublicationSubtype, RelationKind, Span
from ..namespaces import ID, SCHEMA, ZHI
from .iri import document_iri, entity_iri, mention_iri, statement_iri

PREFIXES: dict[str, Namespace] = {
    "zhi": Namespace(str(ZHI)),
    "id": ID,
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


def _entity_triples(graph: Graph, entity: Entity) -> None:
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
    graph: Graph, node: URIRef, result: ExtractionResult, doc: URIRef, span: Span
) -> None:
    """Document, original-file offsets and the sentence as written there."""
    normalized = result.normalized
    start, end = normalized.to_original(span.start, span.end)
    original = result.document.text
    graph.add((node, ZHI.inDocument, doc))
    graph.add((node, ZHI.startOffset, _count(start)))
    graph.add((node, ZHI.endOffset, _count(end)))
    graph.add((node, ZHI.evidence, Literal(original[start:end], lang="zh")))


def document_graph(result: ExtractionResult, graph: Graph) -> None:
    """Add one document's triples to ``graph`` (its named graph)."""
    document = result.document
    doc = document_iri(document)
    graph.add((doc, RDF.type, ZHI.Document))
    graph.add((doc, SCHEMA.name, Literal(document.name)))
    graph.add((doc, ZHI.sha256, Literal(document.sha256)))
    graph.add((doc, ZHI.characterCount, _count(len(document.text))))
    graph.add((doc, ZHI.sourcePath, Literal(str(document.path))))
    iris = {entity.key: entity_iri(entity) for entity in result.entities}
    for entity in result.entities:
        _entity_triples(graph, entity)
        for mention in entity.mentions:
            node = mention_iri(document, *result.normalized.to_original(mention.start, mention.end))
            start, end = result.normalized.to_original(mention.start, mention.end)
            graph.add((node, RDF.type, ZHI.Mention))
            graph.add((node, ZHI.mentionOf, iris[entity.key]))
            graph.add((node, ZHI.text, Literal(document.text[start:end])))
            sentence = next((s for s in result.sentences if s.start <= mention.start < s.end), None)
            _provenance(
                graph,
                node,
                result,
                doc,
                Span(sentence.start, sentence.end)
                if sentence
                else Span(mention.start, mention.end),
            )
            # the mention's own span is what offsets point at; the sentence is evidence
            graph.set((node, ZHI.startOffset, _count(start)))
            graph.set((node, ZHI.endOffset, _count(end)))
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
    for quad in dataset.quads((None, None, None, None)):
        graph.add(quad[:3])
    return graph
