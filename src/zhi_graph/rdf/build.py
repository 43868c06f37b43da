"""Build the RDF dataset: one named graph per document, with provenance.

Every entity mention and every relation carries its document, its offsets in
the original file and the sentence it came from, so a researcher can quote
what the text said.

A document's graph is made in two steps: ``document_facts`` takes what the
graph needs from an extraction result (a build caches it until cross-document
linking has chosen the labels), and ``document_nodes`` makes the triples, as
N-Triples terms grouped by subject and predicate.  A build checks them
(``rdf.conformance``) and writes them sorted, as N-Triples lines and as TriG
(``rdf.turtle``).  Nothing here imports rdflib, which would cost every build
a tenth of a second to start: ``rdf.dataset`` reads the lines back as rdflib
terms for those who want them.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, NamedTuple

from ..iris import ID, PROV, RDF, RDFS, SCHEMA, SKOS, XSD, ZHI, ZHI_NAMESPACE, zhi_iri
from ..model import (
    VALUE_OF,
    EntityType,
    ExtractionResult,
    PublicationSubtype,
    RelationKind,
)
from .columns import Table, sorted_objects, table_nodes
from .iri import document_iri_from_hash, entity_iri_of, statement_iri_in

#: The prefixes the files a build writes declare, and their namespaces.
PREFIXES: dict[str, str] = {
    "zhi": ZHI_NAMESPACE,
    "id": ID,
    **{
        kind: f"{ID}{kind}/"
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
    "skos": SKOS,
    "prov": PROV,
    "rdfs": RDFS,
    "xsd": XSD,
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
    "village": ZHI.VillageLevel,
}
_PROPERTY = {kind: zhi_iri(kind.value) for kind in RelationKind}

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


# Most strings have nothing to escape: a search finds that faster than translate.
_NEEDS_ESCAPE = re.compile(r'[\x00-\x1f\x7f"\\]')


def _text(value: str) -> str:
    if _NEEDS_ESCAPE.search(value) is None:
        return f'"{value}"'
    return f'"{value.translate(_ESCAPES)}"'


def _zh(value: str) -> str:
    if _NEEDS_ESCAPE.search(value) is None:
        return f'"{value}"@zh'
    return f'"{value.translate(_ESCAPES)}"@zh'


_NNI = f"^^<{XSD}nonNegativeInteger>"
_POSITIVE = f"^^<{XSD}positiveInteger>"
_GYEAR = f"^^<{XSD}gYear>"


class _OffsetTerms(dict[int, str]):
    """Offset -> its N-Triples literal, one string per offset for the whole process.

    Every mention has two offsets, and offsets recur from document to document:
    the same string each time saves formatting it, and lets the Turtle writer's
    look-up of it (``rdf.turtle.Terms``) find its hash kept and its key by identity
    (fresh strings cost it a hash and a comparison each, 0.16 s of a 10 MB build).
    """

    def __missing__(self, offset: int) -> str:
        if len(self) >= _OFFSETS_KEPT:
            self.clear()  # offsets of huge documents: keep memory flat
        term = self[offset] = f'"{offset}"{_NNI}'
        return term


_OFFSETS_KEPT = 1 << 16
_OFFSET_TERMS = _OffsetTerms()

_A = _iri(f"{RDF}type")
_LABEL = _iri(f"{RDFS}label")
_ALT_LABEL = _iri(f"{SKOS}altLabel")
_NAME = _iri(f"{SCHEMA}name")
_ENCODING = _iri(f"{SCHEMA}encodingFormat")
_Z = {
    name: _iri(zhi_iri(name))
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
_TYPE_TERM = {kind: _iri(cls) for kind, cls in _TYPE_CLASS.items()}
_SUBTYPE_TERM = {kind: _iri(cls) for kind, cls in _SUBTYPE_CLASS.items()}
_LEVEL_TERM = {name: _iri(level) for name, level in _LEVEL.items()}
_PROPERTY_TERM = {kind: _iri(prop) for kind, prop in _PROPERTY.items()}


# --- What the graph is made of ---------------------------------------------------
#
# ``document_facts`` takes from an extraction result what its graph needs, with
# offsets already in the original file; a build keeps it in the cache between
# extraction and the RDF stage (which waits for cross-document linking).  It is
# made of plain tuples, strings and numbers: a corpus has hundreds of thousands
# of mentions, and pickling them as frozen dataclasses cost more than making
# their triples.


class EntityFacts(NamedTuple):
    """An entity as its graph needs it (``Entity``'s fields, enums as their values)."""

    key: str
    type: str
    label: str
    aliases: tuple[str, ...]
    subtype: str | None
    adcode: str | None
    level: str | None
    scope: str | None
    #: each mention's start and end in the original file, its sentence's, and its page
    mentions: tuple[tuple[int, int, int, int, int | None], ...]


class RelationFacts(NamedTuple):
    kind: str
    subject: str  # entity keys
    object: str
    #: the stating sentence's start and end in the original file and its page, or None
    sentence: tuple[int, int, int | None] | None
    year: int | None


class DocumentFacts(NamedTuple):
    """Everything one document's graph is made from (``document_facts``)."""

    path: str
    name: str
    sha256: str
    media_type: str
    page_count: int
    text: str  # the original text: mentions and evidence quote it
    entities: tuple[EntityFacts, ...]
    relations: tuple[RelationFacts, ...]

    def to_tuples(self) -> tuple[object, ...]:
        """Plain tuples only, which pickle fast (``from_tuples`` reads them back)."""
        return (
            *self[:6],
            tuple(tuple(entity) for entity in self.entities),
            tuple(tuple(relation) for relation in self.relations),
        )

    @classmethod
    def from_tuples(cls, data: Sequence[Any]) -> DocumentFacts:
        path, name, sha256, media_type, page_count, text, entities, relations = data
        return cls(
            path,
            name,
            sha256,
            media_type,
            page_count,
            text,
            tuple(map(EntityFacts._make, entities)),
            tuple(map(RelationFacts._make, relations)),
        )


def document_facts(result: ExtractionResult) -> DocumentFacts:
    """ExtractionResult -> what its graph is made from, offsets in the original file."""
    document = result.document
    to_original = result.normalized.to_original
    sentences = result.sentences
    starts = [s.start for s in sentences]
    # each sentence's original span, worked out once (a sentence holds several mentions)
    spans = [to_original(s.start, s.end) for s in sentences]
    page_at = document.page_at if document.pages else None

    entities = []
    for entity in result.entities:
        mentions = []
        for mention in entity.mentions:
            offset = mention.start
            start, end = to_original(offset, mention.end)
            # The offsets are the mention's own; the evidence is its whole sentence.
            i = bisect.bisect_right(starts, offset) - 1
            evidence = spans[i] if i >= 0 else to_original(offset, offset + 1)
            page = page_at(start) if page_at is not None else None
            mentions.append((start, end, *evidence, page))
        entities.append(
            EntityFacts(
                entity.key,
                VALUE_OF[entity.type],
                entity.label,
                entity.aliases,
                VALUE_OF[entity.subtype] if entity.subtype else None,
                entity.adcode,
                entity.level,
                entity.scope,
                tuple(mentions),
            )
        )
    relations = []
    for relation in result.relations:
        sentence = None
        if relation.sentence is not None:
            start, end = to_original(relation.sentence.start, relation.sentence.end)
            sentence = (start, end, page_at(start) if page_at is not None else None)
        relations.append(
            RelationFacts(
                VALUE_OF[relation.kind], relation.subject, relation.object, sentence, relation.year
            )
        )
    return DocumentFacts(
        str(document.path),
        document.name,
        document.sha256,
        document.media_type,
        len(document.pages),
        document.text,
        tuple(entities),
        tuple(relations),
    )


# --- A document's graph, by subject ------------------------------------------------

#: subject -> predicate -> objects, all N-Triples terms, each triple once
Nodes = dict[str, dict[str, list[str]]]

_TYPE_OF = {kind.value: kind for kind in EntityType}
_TYPE_BY_VALUE = {kind.value: term for kind, term in _TYPE_TERM.items()}
_SUBTYPE_BY_VALUE = {kind.value: term for kind, term in _SUBTYPE_TERM.items()}
_PROPERTY_BY_VALUE = {kind.value: term for kind, term in _PROPERTY_TERM.items()}
_KIND_OF = {kind.value: kind for kind in RelationKind}
_PUBLICATION = EntityType.PUBLICATION.value
_REGION = EntityType.REGION.value
_OTHER = PublicationSubtype.OTHER.value
_RECEIVED_AWARD = RelationKind.RECEIVED_AWARD.value
_IN_DOCUMENT = _Z["inDocument"]

#: Subjects a document owns sort from here (its IRI, its mentions and statements) ...
OWN_FROM = f"<{ID}document/"
#: ... to here: the first string after every one that starts with OWN_FROM.
OWN_UNTIL = OWN_FROM[:-1] + "0"


def _merge(nodes: Nodes, subject: str, values: dict[str, list[str]]) -> None:
    """Add a subject's values to the graph, each triple once."""
    found = nodes.get(subject)
    if found is None:
        nodes[subject] = values
        return
    for predicate, objects in values.items():
        known = found.get(predicate)
        if known is None:
            found[predicate] = list(dict.fromkeys(objects))
        else:
            known.extend(o for o in objects if o not in known)


def document_nodes(facts: DocumentFacts, relabels: Mapping[str, str] | None = None) -> Nodes:
    """Every triple of one document's named graph, by subject and predicate.

    ``relabels`` (entity key -> label) gives entities the label cross-document
    linking chose for them (``link.link``), and with it their corpus-wide IRI.
    Every mention and every stated relation carries its document, its offsets
    in the original file and the sentence it came from, so a researcher can
    quote what the text said.
    """
    made = nodes_and_tables(facts, relabels)
    nodes = made.nodes
    for table in made.tables:
        nodes.update(table_nodes(table))
    return nodes


class NodesAndTables(NamedTuple):
    """A document's graph as a build makes it (``nodes_and_tables``)."""

    #: every node but those in ``tables``, by subject and predicate
    nodes: Nodes
    #: the document's mentions and relation statements, one table per shape
    #: (``rdf.columns``)
    tables: list[Table]


def nodes_and_tables(
    facts: DocumentFacts, relabels: Mapping[str, str] | None = None
) -> NodesAndTables:
    """``document_nodes``, its mentions and relation statements as tables.

    They are most of a document's nodes, and those of a shape have the same
    predicates with one object each (two types for an award conferral).  Made
    as a row of objects each, turned into columns at once, they cost no
    dictionary and no lists of their own, which ``rdf.columns.tables`` would
    then take apart again: a fifth of what the RDF task spent on each.  Nodes made
    twice (two entities mentioned at one span, a relation stated twice) are
    merged in ``nodes`` instead.
    """
    nodes: Nodes = {}
    z = _Z
    a, nni, positive, offset_term = _A, _NNI, _POSITIVE, _OFFSET_TERMS
    doc_iri = document_iri_from_hash(facts.sha256)
    doc = _iri(doc_iri)
    document = {
        a: [z["Document"]],
        _NAME: [_text(facts.name)],
        z["sha256"]: [_text(facts.sha256)],
        z["characterCount"]: [f'"{len(facts.text)}"{nni}'],
        z["sourcePath"]: [_text(facts.path)],
        _ENCODING: [_text(facts.media_type)],
    }
    if facts.page_count:
        document[z["pageCount"]] = [f'"{facts.page_count}"{positive}']
    nodes[doc] = document
    labels = relabels or {}
    text = facts.text
    mention_base = f"<{doc_iri}/mention/"
    quoted: dict[tuple[int, int], str] = {}  # sentences recur: each escaped once
    named: dict[str, str] = {}  # and so do names
    names: dict[str, str] = {}  # entity key -> IRI
    nodes_of: dict[str, str] = {}  # entity key -> its N-Triples term
    # rows of the tables' objects (after the subject), by the table's shape
    mentions: list[tuple[str, ...]] = []
    paged_mentions: list[tuple[str, ...]] = []
    for entity in facts.entities:
        label, aliases = entity.label, entity.aliases
        relabel = labels.get(entity.key)
        if relabel is not None and relabel != label:
            aliases = tuple(sorted({*aliases, label} - {relabel}))
            label = relabel
        iri = entity_iri_of(_TYPE_OF[entity.type], label, entity.adcode, entity.level, entity.scope)
        names[entity.key] = iri
        node = nodes_of[entity.key] = _iri(iri)
        _merge(nodes, node, _entity_values(entity, label, aliases))
        for start, end, s_start, s_end, page in entity.mentions:
            evidence = quoted.get((s_start, s_end))
            if evidence is None:
                evidence = quoted[s_start, s_end] = _zh(text[s_start:s_end])
            name = text[start:end]
            literal = named.get(name)
            if literal is None:
                literal = named[name] = _text(name)
            row: tuple[str, ...] = (
                f"{mention_base}{start}-{end}>",
                node,
                literal,
                offset_term[start],
                offset_term[end],
                evidence,
            )
            if page is None:
                mentions.append(row)
            else:
                paged_mentions.append((*row, f'"{page}"{positive}'))
    statements: dict[_Shape, list[tuple[str, ...]]] = {}
    for relation in facts.relations:
        subject_iri, object_iri = names[relation.subject], names[relation.object]
        subject, obj = nodes_of[relation.subject], nodes_of[relation.object]
        predicate = _PROPERTY_BY_VALUE[relation.kind]
        # _merge(nodes, subject, {predicate: [obj]}), without making the dictionary
        found = nodes.get(subject)
        if found is None:
            nodes[subject] = {predicate: [obj]}
        else:
            known = found.get(predicate)
            if known is None:
                found[predicate] = [obj]
            elif obj not in known:
                known.append(obj)
        if relation.sentence is None:
            continue  # a parent region the gazetteer supplies: no sentence states it
        start, end, page = relation.sentence
        evidence = quoted.get((start, end))
        if evidence is None:
            evidence = quoted[start, end] = _zh(text[start:end])
        node = _iri(
            statement_iri_in(
                doc_iri, _KIND_OF[relation.kind], subject_iri, object_iri, relation.year
            )
        )
        row = (node, subject, predicate, obj, offset_term[start], offset_term[end], evidence)
        if page is not None:
            row = (*row, f'"{page}"{positive}')
        if relation.kind == _RECEIVED_AWARD:
            row = (*row, subject, obj)
            if relation.year:
                row = (*row, f'"{relation.year}"{_GYEAR}')
        shape = _STATEMENT_SHAPES[
            relation.kind == _RECEIVED_AWARD, bool(relation.year), page is not None
        ]
        rows = statements.get(shape)
        if rows is None:
            statements[shape] = [row]
        else:
            rows.append(row)
    by_shape = [(_MENTION_SHAPE, mentions), (_PAGED_MENTION_SHAPE, paged_mentions)]
    by_shape += statements.items()
    return NodesAndTables(nodes, _tables(nodes, doc, by_shape))


class _Shape(NamedTuple):
    """The predicates of a table of nodes made as rows (``nodes_and_tables``)."""

    types: tuple[str, ...]  # every node's
    predicates: tuple[str, ...]  # one object of each, in a row after the subject


def _shapes() -> tuple[_Shape, _Shape, dict[tuple[bool, bool, bool], _Shape]]:
    z = _Z
    mention = (z["mentionOf"], z["text"], z["startOffset"], z["endOffset"], z["evidence"])
    statement = (
        z["subject"],
        z["predicate"],
        z["object"],
        z["startOffset"],
        z["endOffset"],
        z["evidence"],
    )
    statements = {}
    for conferral in (False, True):
        for year in (False, True):
            for page in (False, True):
                predicates = statement + ((z["page"],) if page else ())
                types: tuple[str, ...] = (z["RelationStatement"],)
                if conferral:
                    types = (z["AwardConferral"], *types)
                    predicates += (z["recipient"], z["award"])
                    if year:
                        predicates += (z["year"],)
                statements[conferral, year, page] = _Shape(types, predicates)
    return (
        _Shape((z["Mention"],), mention),
        _Shape((z["Mention"],), (*mention, z["page"])),
        statements,
    )


_MENTION_SHAPE, _PAGED_MENTION_SHAPE, _STATEMENT_SHAPES = _shapes()


def _tables(
    nodes: Nodes, doc: str, by_shape: Iterable[tuple[_Shape, list[tuple[str, ...]]]]
) -> list[Table]:
    """The tables of the rows of each shape (``nodes_and_tables``); the rows of a subject
    made twice are merged into ``nodes`` instead."""
    by_shape = [(shape, rows) for shape, rows in by_shape if rows]
    made = [row[0] for _, rows in by_shape for row in rows]
    if len(set(made)) < len(made):
        twice = {subject for subject, count in Counter(made).items() if count > 1}
        for shape, rows in by_shape:
            for row in rows:
                if row[0] in twice:
                    _merge(nodes, row[0], _row_node(shape, doc, row))
            rows[:] = [row for row in rows if row[0] not in twice]
    found = []
    for shape, rows in by_shape:
        if not rows:
            continue
        count = len(rows)
        subjects, *columns = map(list, zip(*rows, strict=True))
        found.append(
            Table(
                (_A, _IN_DOCUMENT, *shape.predicates),
                (len(shape.types), 1, *(1,) * len(shape.predicates)),
                subjects,
                [list(shape.types) * count, [doc] * count, *columns],
            )
        )
    return found


def _row_node(shape: _Shape, doc: str, row: tuple[str, ...]) -> dict[str, list[str]]:
    values = {_A: list(shape.types), _IN_DOCUMENT: [doc]}
    values.update((p, [o]) for p, o in zip(shape.predicates, row[1:], strict=True))
    return values


def _entity_values(
    entity: EntityFacts, label: str, aliases: tuple[str, ...]
) -> dict[str, list[str]]:
    types = [_TYPE_BY_VALUE[entity.type]]
    if entity.type == _PUBLICATION:
        types.append(_SUBTYPE_BY_VALUE[entity.subtype or _OTHER])
    values = {_A: types, _LABEL: [_zh(label)]}
    others = [_zh(alias) for alias in dict.fromkeys(aliases) if alias != label]
    if others:
        values[_ALT_LABEL] = others
    if entity.type == _REGION and entity.adcode:
        if entity.level == "country":
            types.append(_Z["Country"])
            values[_Z["iso2"]] = [_text(entity.adcode)]
        else:
            values[_Z["adcode"]] = [_text(entity.adcode)]
            if entity.level in _LEVEL_TERM:
                values[_Z["level"]] = [_LEVEL_TERM[entity.level]]
    return values


def node_lines(nodes: Nodes) -> list[str]:
    """The graph's triples as N-Triples lines, in no particular order."""
    return [
        f"{subject} {predicate} {obj} .\n"
        for subject, values in nodes.items()
        for predicate, objects in values.items()
        for obj in objects
    ]


def document_lines(
    result: ExtractionResult, relabels: Mapping[str, str] | None = None
) -> list[str]:
    """Every triple of one document's named graph, as N-Triples lines, each once
    (``document_nodes``, written out)."""
    return node_lines(document_nodes(document_facts(result), relabels))


def split_subjects(subjects: list[str]) -> tuple[list[str], list[str], list[str]]:
    """The graph's ``subjects`` (sorted), cut in three: those before the document's own,
    its own (the document, its mentions and statements), and those after (``OWN_FROM``)."""
    start = bisect.bisect_left(subjects, OWN_FROM)
    end = bisect.bisect_left(subjects, OWN_UNTIL, start)
    return subjects[:start], subjects[start:end], subjects[end:]


def sorted_lines(
    nodes: Nodes, subjects: Sequence[str], grouped: tuple[list[Table], list[str]] | None = None
) -> str:
    """The triples of ``subjects`` (sorted) as N-Triples lines, sorted as their text sorts.

    A line is "<s> <p> o .\\n" and no term is a proper prefix of another that
    could follow it, so ordering by subject, predicate and object orders the lines.
    ``grouped`` (``rdf.columns.tables`` of the nodes) lets the nodes of a table whose
    every subject is wanted be written through one template each.
    """
    wanted = set(subjects)
    written: dict[str, str] = {}
    for table in grouped[0] if grouped is not None else ():
        if not all(map(wanted.__contains__, table.subjects)):
            continue
        order = sorted(range(len(table.predicates)), key=table.predicates.__getitem__)
        template = "".join(
            f"%s {table.predicates[i].replace('%', '%%')} %s .\n" * table.counts[i] for i in order
        )
        columns = []
        for i in order:
            count = table.counts[i]
            objects = sorted_objects(table.columns[i], count)
            for k in range(count):
                columns += [table.subjects, objects[k::count]]
        written.update(
            zip(table.subjects, map(template.__mod__, zip(*columns, strict=True)), strict=True)
        )
    return "".join(
        [
            written.get(subject)
            or "".join(
                [
                    f"{subject} {predicate} {obj} .\n"
                    for predicate, objects in sorted(nodes[subject].items())
                    for obj in sorted(objects)
                ]
            )
            for subject in subjects
        ]
    )


def document_run(lines: Iterable[str]) -> bytes:
    """Lines sorted as a merge-ready run: UTF-8 sorts as code points do, so sorting the
    strings sorts the bytes."""
    return "".join(sorted(lines)).encode("utf-8")
