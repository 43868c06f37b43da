"""Build the RDF dataset: one named graph per document, with provenance.

Every entity mention and every relation carries its document, its offsets in
the original file and the sentence it came from, so a researcher can quote
what the text said.  A document's graph is made as N-Triples lines
(``document_lines``), which a build sorts and writes as they are; the rdflib
triples of ``document_triples`` are those lines read back.
"""

from __future__ import annotations

import bisect
import dataclasses
from collections.abc import Iterable, Mapping

import pyoxigraph as ox
from rdflib import RDF, RDFS, XSD, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import PROV, SKOS
from rdflib.term import Node

from ..model import (
    Entity,
    EntityType,
    ExtractionResult,
    PublicationSubtype,
    RelationKind,
)
from ..namespaces import ID, SCHEMA, ZHI
from .iri import document_iri, document_iri_str, entity_iri_str, statement_iri_str

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


def bind_prefixes(graph: Graph) -> None:
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True)


Triple = tuple[URIRef, URIRef, Node]

# --- N-Triples terms, written once each -------------------------------------------
#
# A document's graph is written straight as N-Triples lines: each term is a
# string in N-Triples syntax, the vocabulary's made once, and each line is
# "<s> <p> o .\n".  Making an rdflib term per triple (and a pyoxigraph term to
# write it) cost more than extracting the document.  Literals are escaped
# exactly as pyoxigraph's N-Triples writer escapes them, so runs sort and
# merge the same as before.

_ESCAPES = {
    **{i: f"\\u{i:04X}" for i in (*range(0x20), 0x7F)},
    0x08: "\\b",
    0x09: "\\t",
    0x0A: "\\n",
    0x0C: "\\f",
    0x0D: "\\r",
    0x22: '\\"',
    0x5C: "\\\\",
}


def _iri(value: str) -> str:
    return f"<{value}>"


def _text(value: str) -> str:
    return f'"{value.translate(_ESCAPES)}"'


def _zh(value: str) -> str:
    return f'"{value.translate(_ESCAPES)}"@zh'


_NNI = f"^^<{XSD.nonNegativeInteger}>"
_POSITIVE = f"^^<{XSD.positiveInteger}>"
_GYEAR = f"^^<{XSD.gYear}>"

_A = _iri(str(RDF.type))
_LABEL = _iri(str(RDFS.label))
_ALT_LABEL = _iri(str(SKOS.altLabel))
_NAME = _iri(str(SCHEMA.name))
_ENCODING = _iri(str(SCHEMA.encodingFormat))
_Z = {
    name: _iri(str(ZHI[name]))
    for name in (
        "Document",
        "Mention",
        "AwardConferral",
        "RelationStatement",
        "Country",
        "sha256",
        "characterCount",
        "sourcePath",
        "pageCount",
        "iso2",
        "adcode",
        "level",
        "inDocument",
        "startOffset",
        "endOffset",
        "page",
        "evidence",
        "mentionOf",
        "text",
        "recipient",
        "award",
        "year",
        "subject",
        "predicate",
        "object",
    )
}
_TYPE_TERM = {kind: _iri(str(cls)) for kind, cls in _TYPE_CLASS.items()}
_SUBTYPE_TERM = {kind: _iri(str(cls)) for kind, cls in _SUBTYPE_CLASS.items()}
_LEVEL_TERM = {name: _iri(str(level)) for name, level in _LEVEL.items()}
_PROPERTY_TERM = {kind: _iri(str(prop)) for kind, prop in _PROPERTY.items()}


def _relabelled(entity: Entity, label: str | None) -> Entity:
    if label is None or label == entity.label:
        return entity
    aliases = sorted({*entity.aliases, entity.label} - {label})
    return dataclasses.replace(entity, label=label, aliases=tuple(aliases))


def _entity_lines(lines: list[str], node: str, entity: Entity) -> None:
    lines.append(f"{node} {_A} {_TYPE_TERM[entity.type]} .\n")
    if entity.type is EntityType.PUBLICATION:
        subtype = _SUBTYPE_TERM[entity.subtype or PublicationSubtype.OTHER]
        lines.append(f"{node} {_A} {subtype} .\n")
    lines.append(f"{node} {_LABEL} {_zh(entity.label)} .\n")
    for alias in entity.aliases:
        if alias != entity.label:
            lines.append(f"{node} {_ALT_LABEL} {_zh(alias)} .\n")
    if entity.type is EntityType.REGION and entity.adcode:
        if entity.level == "country":
            lines.append(f"{node} {_A} {_Z['Country']} .\n")
            lines.append(f"{node} {_Z['iso2']} {_text(entity.adcode)} .\n")
        else:
            lines.append(f"{node} {_Z['adcode']} {_text(entity.adcode)} .\n")
            if entity.level in _LEVEL_TERM:
                lines.append(f"{node} {_Z['level']} {_LEVEL_TERM[entity.level]} .\n")


class _Spans:
    """Offsets in the original file, sentences and pages of one document, looked up fast."""

    def __init__(self, result: ExtractionResult) -> None:
        self.document = result.document
        self.text = result.document.text
        self.to_original = result.normalized.to_original
        self.sentences = result.sentences
        self.starts = [s.start for s in result.sentences]

    def sentence_of(self, offset: int) -> tuple[int, int]:
        """The original-file span of the sentence holding a normalised offset."""
        i = bisect.bisect_right(self.starts, offset) - 1
        if i < 0:
            return self.to_original(offset, offset + 1)
        sentence = self.sentences[i]
        return self.to_original(sentence.start, sentence.end)

    def where(self, lines: list[str], node: str, doc: str, start: int, end: int) -> None:
        """Document, offsets and page of a span of the original file."""
        lines.append(f"{node} {_Z['inDocument']} {doc} .\n")
        lines.append(f'{node} {_Z["startOffset"]} "{start}"{_NNI} .\n')
        lines.append(f'{node} {_Z["endOffset"]} "{end}"{_NNI} .\n')
        page = self.document.page_at(start)
        if page is not None:
            lines.append(f'{node} {_Z["page"]} "{page}"{_POSITIVE} .\n')


def document_lines(
    result: ExtractionResult, relabels: Mapping[str, str] | None = None
) -> list[str]:
    """Every triple of one document's named graph, as N-Triples lines, each once.

    ``relabels`` (entity key -> label) gives entities the label cross-document
    linking chose for them (``link.link``), and with it their corpus-wide IRI.
    Every mention and every stated relation carries its document, its offsets
    in the original file and the sentence it came from, so a researcher can
    quote what the text said.
    """
    lines: list[str] = []
    document = result.document
    doc_iri = document_iri_str(document)
    doc = _iri(doc_iri)
    z = _Z
    lines.append(f"{doc} {_A} {z['Document']} .\n")
    lines.append(f"{doc} {_NAME} {_text(document.name)} .\n")
    lines.append(f"{doc} {z['sha256']} {_text(document.sha256)} .\n")
    lines.append(f'{doc} {z["characterCount"]} "{len(document.text)}"{_NNI} .\n')
    lines.append(f"{doc} {z['sourcePath']} {_text(str(document.path))} .\n")
    lines.append(f"{doc} {_ENCODING} {_text(document.media_type)} .\n")
    if document.pages:
        lines.append(f'{doc} {z["pageCount"]} "{len(document.pages)}"{_POSITIVE} .\n')
    labels = relabels or {}
    entities = [_relabelled(e, labels.get(e.key)) for e in result.entities]
    names = {entity.key: entity_iri_str(entity) for entity in entities}
    spans = _Spans(result)
    text = document.text
    to_original = spans.to_original
    mention_base = f"<{doc_iri}/mention/"
    for entity in entities:
        entity_node = _iri(names[entity.key])
        _entity_lines(lines, entity_node, entity)
        for mention in entity.mentions:
            start, end = to_original(mention.start, mention.end)
            node = f"{mention_base}{start}-{end}>"
            lines.append(f"{node} {_A} {z['Mention']} .\n")
            lines.append(f"{node} {z['mentionOf']} {entity_node} .\n")
            lines.append(f"{node} {z['text']} {_text(text[start:end])} .\n")
            spans.where(lines, node, doc, start, end)
            # The offsets are the mention's own; the evidence is its whole sentence.
            s_start, s_end = spans.sentence_of(mention.start)
            lines.append(f"{node} {z['evidence']} {_zh(text[s_start:s_end])} .\n")
    for relation in result.relations:
        subject_iri, object_iri = names[relation.subject], names[relation.object]
        subject, obj = _iri(subject_iri), _iri(object_iri)
        predicate = _PROPERTY_TERM[relation.kind]
        lines.append(f"{subject} {predicate} {obj} .\n")
        if relation.sentence is None:
            continue  # a parent region the gazetteer supplies: no sentence states it
        node = _iri(
            statement_iri_str(document, relation.kind, subject_iri, object_iri, relation.year)
        )
        if relation.kind is RelationKind.RECEIVED_AWARD:
            lines.append(f"{node} {_A} {z['AwardConferral']} .\n")
            lines.append(f"{node} {z['recipient']} {subject} .\n")
            lines.append(f"{node} {z['award']} {obj} .\n")
            if relation.year:
                lines.append(f'{node} {z["year"]} "{relation.year}"{_GYEAR} .\n')
        lines.append(f"{node} {_A} {z['RelationStatement']} .\n")
        lines.append(f"{node} {z['subject']} {subject} .\n")
        lines.append(f"{node} {z['predicate']} {predicate} .\n")
        lines.append(f"{node} {z['object']} {obj} .\n")
        start, end = to_original(relation.sentence.start, relation.sentence.end)
        spans.where(lines, node, doc, start, end)
        lines.append(f"{node} {z['evidence']} {_zh(text[start:end])} .\n")
    return list(dict.fromkeys(lines))


def document_run(lines: Iterable[str]) -> bytes:
    """Lines sorted as a merge-ready run: UTF-8 sorts as code points do, so sorting the
    strings sorts the bytes."""
    return "".join(sorted(lines)).encode("utf-8")


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
        graph = dataset.graph(document_iri(result.document))
        document_graph(result, graph)
    return dataset


def union_graph(dataset: Dataset) -> Graph:
    graph = Graph()
    bind_prefixes(graph)
    graph.addN((s, p, o, graph) for s, p, o, _ in dataset.quads((None, None, None, None)))
    return graph
