"""A document's graph checked against ``ontology/shapes.ttl`` on its N-Triples lines, fast.

A build checks every document's graph before writing it.  ``validate.check``
evaluates the shapes themselves and costs more than extracting the document;
this check evaluates the same constraints on the lines ``rdf.build.document_lines``
writes, grouped by subject, in one pass and a look-up per constraint.

It is not a SHACL engine: it knows the shapes as they are today and relies on
what every graph the builder writes has in common (every node an IRI, one
document per graph, no ``rdfs:subClassOf`` axioms in the data, the classes of
each node written beside it).  Within that, it checks every constraint that
data can break: counts, datatypes, languages, patterns, lengths and offsets,
the classes at either end of each relation, and the SPARQL constraints
(offsets within the document, evidence and mention text as long as their
span, IRIs that agree with codes, statements of asserted triples).  Two
records of a document that give the same node different values (two labels
for one entity, one mention of two entities) surface as broken counts.

``tests/test_conformance.py`` keeps it honest: the full check finds nothing
where this one finds nothing (the sample, synthetic documents), and both
reject the same nodes of documents broken on purpose.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import repeat
from operator import lt, ne, sub
from typing import NamedTuple

from ..iris import ID, RDF, RDFS, SCHEMA, SKOS, SUPERCLASSES, XSD, ZHI, ZHI_NAMESPACE, zhi_iri
from ..violation import Violation
from .columns import Table, table_nodes, tables


def _iri(value: str) -> str:
    return f"<{value}>"


_A = _iri(f"{RDF}type")
_LABEL = _iri(f"{RDFS}label")
_ALT_LABEL = _iri(f"{SKOS}altLabel")
_NAME = _iri(f"{SCHEMA}name")
_ENCODING = _iri(f"{SCHEMA}encodingFormat")
_STRING = "string"  # a literal without datatype or language: an xsd:string
_NNI = f"{XSD}nonNegativeInteger"
_POSITIVE = f"{XSD}positiveInteger"
_GYEAR = f"{XSD}gYear"
_XSD_STRING = f"{XSD}string"


def _z(name: str) -> str:
    return _iri(zhi_iri(name))


_REGION, _COUNTRY, _PUBLICATION = _z("Region"), _z("Country"), _z("Publication")
_INSTITUTION, _VENUE, _AWARD, _PERSON = _z("Institution"), _z("Venue"), _z("Award"), _z("Person")
_DOCUMENT, _MENTION = _z("Document"), _z("Mention")
_STATEMENT, _CONFERRAL = _z("RelationStatement"), _z("AwardConferral")
# Every subclass of zhi:Publication the ontology declares (zhi.ttl is the source of truth,
# iris.py its generated image), as N-Triples terms like every type this check compares.
_SUBCLASSES = frozenset(
    _iri(cls) for cls, parents in SUPERCLASSES.items() if ZHI.Publication in parents
)
_ANY_ENTITY = frozenset({_REGION, _INSTITUTION, _PUBLICATION, _VENUE, _AWARD, _PERSON})
_ENTITY_TARGETS = _ANY_ENTITY | {_COUNTRY} | _SUBCLASSES
_RECIPIENTS = frozenset({_PUBLICATION, _INSTITUTION, _VENUE, _REGION, _PERSON})
_LEVELS = {
    _z(n)
    for n in ("ProvinceLevel", "PrefectureLevel", "CountyLevel", "TownshipLevel", "VillageLevel")
}
_PROVINCE, _TOWNSHIP, _VILLAGE = _z("ProvinceLevel"), _z("TownshipLevel"), _z("VillageLevel")
_RECEIVED = _z("receivedAward")
# Each relation: the classes its subject may have, the classes its object may have.
_DOMAIN_RANGE: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    _RECEIVED: (_RECIPIENTS, frozenset({_AWARD})),
    _z("aboutRegion"): (frozenset({_PUBLICATION}), frozenset({_REGION})),
    _z("locatedIn"): (frozenset({_INSTITUTION, _VENUE}), frozenset({_REGION})),
    _z("partOf"): (frozenset({_REGION}), frozenset({_REGION})),
    _z("issuedBy"): (frozenset({_PUBLICATION}), frozenset({_INSTITUTION})),
    _z("publishedBy"): (frozenset({_PUBLICATION}), frozenset({_INSTITUTION})),
    _z("operatedBy"): (frozenset({_VENUE}), frozenset({_INSTITUTION})),
    _z("hostedBy"): (frozenset({_VENUE}), frozenset({_INSTITUTION})),
    _z("conferredBy"): (frozenset({_AWARD}), frozenset({_INSTITUTION})),
}
_PART_OF = _z("partOf")
_RELATION_PATHS = frozenset(_DOMAIN_RANGE)

_ENTITY_IRI = re.compile(r"<https://w3id\.org/zhi-graph/id/[a-z]+/[^/]+>")
_ADCODE = re.compile(r"[0-9]{6}([0-9]{3}([0-9]{3})?)?")
_ISO2 = re.compile(r"[A-Z]{2}")
_SHA256 = re.compile(r"[0-9a-f]{64}")
_MEDIA_TYPE = re.compile(r"[a-z]+/[a-z0-9.+-]+")
_BASE = ID
_EMPTY: list[str] = []  # the values of a path a node does not have (never changed)


@dataclass(frozen=True, slots=True)
class _Literal:
    """An N-Triples literal taken apart: its text, and its datatype or language."""

    value: str
    kind: str  # _STRING, a datatype IRI, or "@" and a language tag

    @classmethod
    def of(cls, term: str) -> _Literal | None:
        if not term.startswith('"'):
            return None
        close = term.rindex('"')
        lexical = term[1:close]
        # N-Triples escapes are JSON's (\t \n \" \\ \uXXXX ...).
        value = json.loads(term[: close + 1]) if "\\" in lexical else lexical
        rest = term[close + 1 :]
        if not rest:
            return cls(value, _STRING)
        if rest.startswith("^^<"):
            datatype = rest[3:-1]
            return cls(value, _STRING if datatype == _XSD_STRING else datatype)
        return cls(value, rest)

    def number(self, datatype: str) -> int | None:
        """The value as an integer when it is one of ``datatype`` (in its value space)."""
        if self.kind != datatype or not self.value.isascii() or not self.value.isdigit():
            return None
        number = int(self.value)
        return number if datatype != _POSITIVE or number > 0 else None


@lru_cache(maxsize=1 << 16)
def _literal(term: str) -> _Literal | None:
    """``_Literal.of``, once per term: offsets, names and sentences recur in a document."""
    return _Literal.of(term)


@lru_cache(maxsize=1 << 16)
def _number(term: str, datatype: str) -> int | None:
    literal = _literal(term)
    return literal.number(datatype) if literal is not None else None


# The checks below read most literals once each (a mention's text, its offsets): for a
# literal without escapes, its text is a slice of the term, found without ``_Literal``.

_SUFFIX = {
    _STRING: '"',
    "@zh": '"@zh',
    _NNI: f'"^^<{_NNI}>',
    _POSITIVE: f'"^^<{_POSITIVE}>',
}


def _value(term: str, kind: str) -> str | None:
    """The text of a literal of ``kind`` (``_STRING``, a datatype or "@" and a tag;
    ``_Literal.kind``), or None when the term is not one."""
    suffix = _SUFFIX[kind]
    if term.startswith('"') and term.endswith(suffix) and "\\" not in term:
        return term[1 : len(term) - len(suffix)]
    literal = _literal(term)
    return literal.value if literal is not None and literal.kind == kind else None


def _text(term: str) -> str | None:
    """The text of any literal (None for an IRI)."""
    if not term.startswith('"'):
        return None
    if "\\" not in term:
        return term[1 : term.rindex('"')]
    literal = _literal(term)
    return literal.value if literal is not None else None


def _natural(term: str, datatype: str) -> int | None:
    """``_number``: the value of an xsd:nonNegativeInteger or xsd:positiveInteger."""
    suffix = _SUFFIX[datatype]
    if term.endswith(suffix) and term.startswith('"'):
        digits = term[1 : len(term) - len(suffix)]
        if digits.isdigit() and digits.isascii():
            number = int(digits)
            return number if datatype != _POSITIVE or number > 0 else None
    value = _value(term, datatype)
    if value is None or not value.isascii() or not value.isdigit():
        return None
    number = int(value)
    return number if datatype != _POSITIVE or number > 0 else None


class _Limits(NamedTuple):
    """What a document node says of every span in it."""

    is_document: bool
    characters: list[int]  # its zhi:characterCount values that are numbers
    page_counts: int  # how many zhi:pageCount values it has
    pages: list[int]  # those that are numbers

    @property
    def last_end(self) -> float:
        """The greatest end offset no character count is below."""
        return min(self.characters, default=math.inf)

    @property
    def last_page(self) -> float:
        """The greatest page no page count is below (0: no page is a page)."""
        return min(self.pages, default=math.inf) if self.page_counts else 0


@dataclass
class _Graph:
    """The lines of one graph, by subject and predicate."""

    nodes: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    found: list[Violation] = field(default_factory=list)
    _limits: dict[str, _Limits] = field(default_factory=dict)
    _evidence: dict[str, bool] = field(default_factory=dict)

    def limits(self, document: str) -> _Limits:
        """``_Limits`` of a node, worked out once."""
        found = self._limits.get(document)
        if found is None:
            counts = self.values(document, _Z["pageCount"])
            found = self._limits[document] = _Limits(
                _DOCUMENT in self.types(document),
                [
                    n
                    for n in (
                        _natural(t, _NNI) for t in self.values(document, _Z["characterCount"])
                    )
                    if n is not None
                ],
                len(counts),
                [n for n in (_natural(t, _POSITIVE) for t in counts) if n is not None],
            )
        return found

    def values(self, node: str, predicate: str) -> list[str]:
        found = self.nodes.get(node)
        return _EMPTY if found is None else found.get(predicate, _EMPTY)

    def types(self, node: str) -> list[str]:
        return self.values(node, _A)

    def label(self, node: str) -> str:
        for term in self.values(node, _LABEL):
            literal = _literal(term)
            if literal is not None:
                return literal.value
        return ""

    def report(self, node: str, path: str, message: str) -> None:
        prefixed = ""
        if path:
            name = path[1:-1]
            for prefix, namespace in (
                ("zhi", ZHI_NAMESPACE),
                ("rdfs", RDFS),
                ("skos", SKOS),
                ("schema", SCHEMA),
            ):
                if name.startswith(namespace):
                    prefixed = f"{prefix}:{name[len(namespace) :]}"
            prefixed = prefixed or name
        self.found.append(Violation(node[1:-1], self.label(node), prefixed, message))

    def has_class(self, node: str, classes: frozenset[str]) -> bool:
        found = self.nodes.get(node)
        return found is not None and not classes.isdisjoint(found.get(_A, _EMPTY))

    def quiet_evidence(self, term: str) -> bool:
        """Whether ``_span`` finds its one zhi:evidence good (a non-empty literal tagged
        @zh), worked out once per term: a sentence is the evidence of all its mentions."""
        found = self._evidence.get(term)
        if found is None:
            found = self._evidence[term] = bool(_value(term, "@zh"))
        return found

    def one(self, node: str, path: str, message: str) -> str | None:
        """The one value of ``path`` (None and a violation when there is not exactly one)."""
        found = self.values(node, path)
        if len(found) != 1:
            self.report(node, path, message)
            return None
        return found[0]

    def at_most_one(self, node: str, path: str, message: str) -> str | None:
        found = self.values(node, path)
        if len(found) > 1:
            self.report(node, path, message)
            return None
        return found[0] if found else None


def _graph(lines: Iterable[str]) -> _Graph:
    graph = _Graph()
    nodes = graph.nodes
    for line in lines:
        subject, predicate, obj = line[:-3].split(" ", 2)
        by_predicate = nodes.get(subject)
        if by_predicate is None:
            by_predicate = nodes[subject] = {}
        objects = by_predicate.get(predicate)
        if objects is None:
            by_predicate[predicate] = [obj]
        else:
            objects.append(obj)
    return graph


# Every zhi: property the checks read, as N-Triples terms.
_Z = {
    name: _z(name)
    for name in (
        "adcode",
        "award",
        "characterCount",
        "endOffset",
        "evidence",
        "inDocument",
        "iso2",
        "level",
        "mentionOf",
        "object",
        "page",
        "pageCount",
        "predicate",
        "recipient",
        "sha256",
        "sourcePath",
        "startOffset",
        "subject",
        "text",
        "year",
    )
}


def _string(
    g: _Graph, node: str, path: str, term: str | None, message: str, pattern: re.Pattern[str]
) -> str | None:
    """A plain string matching ``pattern``, or a violation."""
    literal = _literal(term) if term is not None else None
    if literal is None or literal.kind != _STRING or not pattern.fullmatch(literal.value):
        g.report(node, path, message)
        return None
    return literal.value


def _entity(g: _Graph, node: str, types: list[str]) -> None:
    if not _ENTITY_IRI.fullmatch(node):
        g.report(node, "", "an entity is named by an IRI under https://w3id.org/zhi-graph/id/")
    labels = g.values(node, _LABEL)
    if len(labels) != 1 or not labels[0].endswith('"@zh'):
        g.report(node, _LABEL, "an entity has exactly one rdfs:label tagged @zh")
    for alias in g.values(node, _ALT_LABEL):
        literal = _literal(alias)
        if literal is None or literal.kind != "@zh" or not literal.value:
            g.report(node, _ALT_LABEL, "aliases are non-empty strings tagged @zh")
        if alias in labels:
            g.report(node, _ALT_LABEL, "an alias must not repeat the label")
    if any(t in _SUBCLASSES for t in types) and _PUBLICATION not in types:
        g.report(node, "", "a kind of publication must also be typed zhi:Publication")
    if _REGION in types or _COUNTRY in types:
        _region(g, node, types)


def _region(g: _Graph, node: str, types: list[str]) -> None:
    adcode_path, level_path, iso2_path = _Z["adcode"], _Z["level"], _Z["iso2"]
    code = g.at_most_one(node, adcode_path, "a region has at most one zhi:adcode")
    if code is not None:
        _string(g, node, adcode_path, code, "a 6-, 9- or 12-digit division code", _ADCODE)
    g.at_most_one(node, _PART_OF, "a region has at most one zhi:partOf")
    level = g.at_most_one(node, level_path, "a region has at most one zhi:level")
    if level is not None and level not in _LEVELS:
        g.report(node, level_path, "a region has at most one zhi:level, one of the five")
    if level == _PROVINCE and g.values(node, _PART_OF):
        g.report(node, "", "a province-level region has no zhi:partOf")
    for value in g.values(node, adcode_path):
        for each_level in g.values(node, level_path):
            literal = _literal(value)
            if literal is not None and not _code_fits(literal.value, each_level):
                g.report(
                    node,
                    "",
                    "an adcode has 9 digits exactly when the level is township, "
                    "12 exactly when it is village",
                )
    if _COUNTRY in types:
        if _REGION not in types:
            g.report(node, "", "a country must also be typed zhi:Region")
        iso2 = g.one(node, iso2_path, "a country has exactly one zhi:iso2")
        code2 = _string(g, node, iso2_path, iso2, "two upper-case letters", _ISO2) if iso2 else None
        if g.values(node, adcode_path):
            g.report(node, adcode_path, "a country has no zhi:adcode")
        if g.values(node, _PART_OF):
            g.report(node, _PART_OF, "a country has no zhi:partOf")
        if code2 is not None and node != f"<{_BASE}country/{code2}>":
            g.report(
                node, "", "a country's IRI must be https://w3id.org/zhi-graph/id/country/{iso2}"
            )
        return
    if _REGION in types and not g.values(node, adcode_path):
        g.report(node, "", "a region that is not a country needs a zhi:adcode")
    for value in g.values(node, adcode_path):
        literal = _literal(value)
        if literal is not None and node != f"<{_BASE}region/{literal.value}>":
            g.report(
                node, "", "a region's IRI must be https://w3id.org/zhi-graph/id/region/{adcode}"
            )


def _relations(g: _Graph, node: str, by_predicate: dict[str, list[str]]) -> None:
    for predicate, objects in by_predicate.items():
        ends = _DOMAIN_RANGE.get(predicate)
        if ends is None:
            continue
        domain, range_ = ends
        if not g.has_class(node, domain):
            g.report(node, "", f"the subject of {predicate} has the wrong class")
        for obj in objects:
            if not g.has_class(obj, range_):
                g.report(node, predicate, f"the values of {predicate} have the wrong class")


_IN_DOCUMENT, _EVIDENCE, _PAGE = _Z["inDocument"], _Z["evidence"], _Z["page"]
_MENTION_OF, _TEXT = _Z["mentionOf"], _Z["text"]
_START, _END = _Z["startOffset"], _Z["endOffset"]
_OFFSETS = [
    (_Z[name], f"exactly one zhi:{name}, an xsd:nonNegativeInteger")
    for name in ("startOffset", "endOffset")
]


def _span(g: _Graph, node: str, props: dict[str, list[str]], lengths: Sequence[str]) -> None:
    """A mention or statement: its document, offsets, page and evidence; ``lengths`` are
    the properties whose text must be as long as the span.  (Every node of a document
    is one, so this reads ``props``, the node's values by predicate, directly.)"""
    documents = props.get(_IN_DOCUMENT, _EMPTY)
    document = documents[0] if len(documents) == 1 else None
    limits = g.limits(document) if document is not None else None
    if limits is None or not limits.is_document:
        g.report(node, _IN_DOCUMENT, "exactly one zhi:inDocument, a zhi:Document")
    evidence = props.get(_EVIDENCE, _EMPTY)
    if len(evidence) != 1:
        g.report(node, _EVIDENCE, "exactly one zhi:evidence")
    elif not _value(evidence[0], "@zh"):
        g.report(node, _EVIDENCE, "a non-empty zhi:evidence tagged @zh")
    starts, ends = _offsets(g, node, props)
    # Every pair of values, as sh:lessThan and the SPARQL constraints take them.
    if len(starts) == 1 and len(ends) == 1:
        spans = {ends[0] - starts[0]}
        if starts[0] >= ends[0]:
            g.report(node, _Z["startOffset"], "zhi:startOffset must be below its zhi:endOffset")
    else:
        if any(start >= end for start in starts for end in ends):
            g.report(node, _Z["startOffset"], "zhi:startOffset must be below its zhi:endOffset")
        spans = {end - start for start in starts for end in ends}
    for path in lengths:
        for term in props.get(path, _EMPTY):
            text = _text(term)
            if text is not None and any(len(text) != span for span in spans):
                g.report(node, "", "the offsets must index the original text")
    pages = props.get(_PAGE, _EMPTY)
    page = None
    if pages:
        page = _natural(pages[0], _POSITIVE) if len(pages) == 1 else None
        if page is None:
            g.report(node, _PAGE, "at most one zhi:page, an xsd:positiveInteger")
    if limits is None:
        return
    if any(end > number for number in limits.characters for end in ends):
        g.report(node, "", "the span ends beyond the document's zhi:characterCount")
    if page is not None and (not limits.page_counts or any(page > n for n in limits.pages)):
        g.report(node, "", "the page is not a page of the document")


def _offsets(g: _Graph, node: str, props: dict[str, list[str]]) -> list[list[int]]:
    """The numbers among a span's start and end offsets; a violation for each path that
    does not have exactly one, a number."""
    first, last = props.get(_START, _EMPTY), props.get(_END, _EMPTY)
    if len(first) == 1 and len(last) == 1:
        start, end = _natural(first[0], _NNI), _natural(last[0], _NNI)
        if start is not None and end is not None:
            return [[start], [end]]
    offsets: list[list[int]] = []
    for path, message in _OFFSETS:
        terms = props.get(path, _EMPTY)
        if len(terms) != 1:
            g.report(node, path, message)
        numbers = []
        for term in terms:
            number = _natural(term, _NNI)
            if number is None:
                g.report(node, path, message)
            else:
                numbers.append(number)
        offsets.append(numbers)
    return offsets


# --- The usual mention and statement, passed quickly --------------------------------
#
# A document's graph is mostly mentions and statements, all written alike: one value of
# each path, offsets and pages as plain digits, texts without escapes.  For such a node
# the general checks above (``_span``, ``_mention``, ``_statement``) are a look-up and a
# comparison per constraint, but take a function call and a list each.  The tests below
# answer one question only, "would they report nothing?", and answer "yes" only when
# sure: any doubt (a path without exactly one value, an escape, a number written
# otherwise) answers "no", and the general checks then run and say what is wrong.  So
# the violations found are the general checks' own, whatever the node.

_NNI_END = _SUFFIX[_NNI]
_POSITIVE_END = _SUFFIX[_POSITIVE]
_GYEAR_END = f'"^^<{_GYEAR}>'
_MENTION_TYPES = [_MENTION]
_STATEMENT_TYPES = [_STATEMENT]
# The order ``rdf.build`` writes them in; another order takes the general path.
_CONFERRAL_TYPES = [_CONFERRAL, _STATEMENT]
_SUBJECT, _PREDICATE, _OBJECT = _Z["subject"], _Z["predicate"], _Z["object"]
_RECIPIENT, _AWARD_PATH, _YEAR = _Z["recipient"], _Z["award"], _Z["year"]


def _digits(term: str, end: str) -> int | None:
    """The number of a literal written as plain ASCII digits then ``end``, else None."""
    if term.endswith(end) and term.startswith('"'):
        digits = term[1 : len(term) - len(end)]
        if digits.isdigit() and digits.isascii():
            return int(digits)
    return None


def _quiet_span(g: _Graph, props: dict[str, list[str]], spanned: str) -> bool:
    """True when ``_span`` would report nothing for a node whose path that must be as
    long as its span has one value, ``spanned``."""
    try:
        (document,) = props[_IN_DOCUMENT]
        (evidence,) = props[_EVIDENCE]
        (first,) = props[_START]
        (last,) = props[_END]
    except (KeyError, ValueError):
        return False
    start, end = _digits(first, _NNI_END), _digits(last, _NNI_END)
    if start is None or end is None or start >= end or not g.quiet_evidence(evidence):
        return False
    limits = g.limits(document)
    if not limits.is_document or end > limits.last_end:
        return False
    # ``_text``, without a call for a literal without escapes
    if "\\" in spanned or not spanned.startswith('"'):
        text = _text(spanned)
        if text is None or len(text) != end - start:
            return False
    elif spanned.rindex('"') - 1 != end - start:
        return False
    pages = props.get(_PAGE)
    if pages is None:
        return True
    if len(pages) != 1:
        return False
    page = _digits(pages[0], _POSITIVE_END)
    return page is not None and 0 < page <= limits.last_page


def _quiet_mention(g: _Graph, props: dict[str, list[str]]) -> bool:
    """True when ``_span`` and ``_mention`` would report nothing for this mention."""
    try:
        (entity,) = props[_MENTION_OF]
        (text,) = props[_TEXT]
    except (KeyError, ValueError):
        return False
    return (
        text.startswith('"')
        and text.endswith('"')
        and g.has_class(entity, _ANY_ENTITY)
        and _quiet_span(g, props, text)
    )


def _quiet_statement(g: _Graph, props: dict[str, list[str]], types: list[str]) -> bool:
    """True when ``_span`` and ``_statement`` would report nothing for this statement
    (typed ``_STATEMENT_TYPES`` or ``_CONFERRAL_TYPES``)."""
    try:
        (subject,) = props[_SUBJECT]
        (predicate,) = props[_PREDICATE]
        (obj,) = props[_OBJECT]
        (evidence,) = props[_EVIDENCE]
    except (KeyError, ValueError):
        return False
    if not (
        predicate in _RELATION_PATHS
        and g.has_class(subject, _ANY_ENTITY)
        and g.has_class(obj, _ANY_ENTITY)
        and obj in g.values(subject, predicate)
        and _quiet_span(g, props, evidence)
    ):
        return False
    if types == _STATEMENT_TYPES:
        return predicate != _RECEIVED
    years = props.get(_YEAR, _EMPTY)
    return (
        predicate == _RECEIVED
        and props.get(_RECIPIENT) == [subject]
        and props.get(_AWARD_PATH) == [obj]
        and g.has_class(subject, _RECIPIENTS)
        and _AWARD in g.types(obj)
        and len(years) <= 1
        and all(y.endswith(_GYEAR_END) and y.startswith('"') and "\\" not in y for y in years)
    )


# --- Tables of mentions and statements, passed at once --------------------------------
#
# The same tests again, for a table of nodes of one shape (``rdf.columns``): each
# constraint is tested on a whole column by built-ins (``all(map(...))``), on the
# distinct values where they recur (sentences, entities, the document).  A table
# passes only when every node of it would; otherwise its nodes are checked one by one.


def _quiet_table(g: _Graph, table: Table) -> bool:
    """True when the per-node checks would report nothing for any node of ``table``:
    a table of mentions, of relation statements or of entities whose every value is
    as usual."""
    columns = dict(zip(table.predicates, table.columns, strict=True))
    types = columns.get(_A)
    if types is None:
        return False
    try:
        if not table.single:
            # Two types and one object of every other predicate (``rdf.build`` writes the
            # types in this order): award conferrals, and kinds of publication.
            counts = dict(zip(table.predicates, table.counts, strict=True))
            if counts.pop(_A) != 2 or set(counts.values()) != {1}:
                return False
            if set(types[0::2]) == {_CONFERRAL} and set(types[1::2]) == {_STATEMENT}:
                return _RELATION_PATHS.isdisjoint(columns) and _quiet_conferrals(g, columns)
            return (
                set(types[0::2]) == {_PUBLICATION}
                and set(types[1::2]) <= _SUBCLASSES
                and _quiet_entities(g, table.subjects, columns, {_PUBLICATION})
            )
        kinds = set(types)
        if _RELATION_PATHS.isdisjoint(columns):
            if kinds == {_MENTION}:
                texts = columns[_TEXT]
                return (
                    all(map(str.startswith, texts, repeat('"')))
                    and all(map(str.endswith, texts, repeat('"')))
                    and all(map(g.has_class, set(columns[_MENTION_OF]), repeat(_ANY_ENTITY)))
                    and _quiet_spans(g, columns, texts)
                )
            if kinds == {_STATEMENT}:
                return _quiet_statements(g, columns)
        if kinds <= _PLAIN_ENTITIES or kinds == {_REGION}:
            return _quiet_entities(g, table.subjects, columns, kinds)
    except KeyError:  # a path the shape lacks: the checks of each node say which
        return False
    return False


def _quiet_statements(g: _Graph, columns: dict[str, list[str]]) -> bool:
    """``_quiet_statement`` of a table of zhi:RelationStatement nodes."""
    subjects, predicates, objects = columns[_SUBJECT], columns[_PREDICATE], columns[_OBJECT]
    used = set(predicates)
    return (
        used <= _RELATION_PATHS
        and _RECEIVED not in used
        and all(map(g.has_class, {*subjects, *objects}, repeat(_ANY_ENTITY)))
        and all(
            o in g.values(s, p) for s, p, o in set(zip(subjects, predicates, objects, strict=True))
        )
        and _quiet_spans(g, columns, columns[_EVIDENCE])
    )


def _quiet_conferrals(g: _Graph, columns: dict[str, list[str]]) -> bool:
    """``_quiet_statement`` of a table of zhi:AwardConferral nodes."""
    subjects, objects = columns[_SUBJECT], columns[_OBJECT]
    recipients, awards = set(subjects), set(objects)
    return (
        set(columns[_PREDICATE]) == {_RECEIVED}
        and columns[_RECIPIENT] == subjects
        and columns[_AWARD_PATH] == objects
        and all(map(g.has_class, recipients, repeat(_ANY_ENTITY)))
        and all(map(g.has_class, recipients, repeat(_RECIPIENTS)))
        and all(map(g.has_class, awards, repeat(_ANY_ENTITY)))
        and all(_AWARD in g.types(award) for award in awards)
        and all(o in g.values(s, _RECEIVED) for s, o in set(zip(subjects, objects, strict=True)))
        and all(
            y.endswith(_GYEAR_END) and y.startswith('"') and "\\" not in y
            for y in columns.get(_YEAR, _EMPTY)
        )
        and _quiet_spans(g, columns, columns[_EVIDENCE])
    )


# Entities of one class (other than regions, countries and kinds of publication), and
# the paths their checks read: a table with another path is checked node by node.
_PLAIN_ENTITIES = frozenset({_INSTITUTION, _VENUE, _AWARD, _PERSON, _PUBLICATION})
_ENTITY_PATHS = frozenset({_A, _LABEL, _ALT_LABEL}) | _RELATION_PATHS
_REGION_PATHS = _ENTITY_PATHS | {_Z["adcode"], _Z["level"]}


def _quiet_entities(
    g: _Graph, subjects: list[str], columns: dict[str, list[str]], kinds: set[str]
) -> bool:
    """What ``_entity`` and ``_relations`` test, for a table of entities of ``kinds``
    (``_PLAIN_ENTITIES``, or zhi:Region alone)."""
    region = kinds == {_REGION}
    if not columns.keys() <= (_REGION_PATHS if region else _ENTITY_PATHS):
        return False
    labels = columns[_LABEL]
    if not (
        all(map(_ENTITY_IRI.fullmatch, subjects)) and all(map(str.endswith, labels, repeat('"@zh')))
    ):
        return False
    aliases = columns.get(_ALT_LABEL)
    if aliases is not None:
        if not all(map(ne, aliases, labels)):
            return False
        for alias in set(aliases):
            literal = _literal(alias)
            if literal is None or literal.kind != "@zh" or not literal.value:
                return False
    for path in _RELATION_PATHS.intersection(columns):
        domain, range_ = _DOMAIN_RANGE[path]
        if not kinds <= domain or not all(map(g.has_class, set(columns[path]), repeat(range_))):
            return False
    return not region or _quiet_regions(subjects, columns)


def _quiet_regions(subjects: list[str], columns: dict[str, list[str]]) -> bool:
    """What ``_region`` tests, for a table of zhi:Region nodes (not countries)."""
    codes: list[str] = []
    for term in columns[_Z["adcode"]]:
        code = _value(term, _STRING)
        if code is None or not _ADCODE.fullmatch(code):
            return False
        codes.append(code)
    if [f"<{_BASE}region/{code}>" for code in codes] != subjects:
        return False
    levels = columns.get(_Z["level"])
    if levels is None:
        return True
    used = set(levels)
    return (
        used <= _LEVELS
        and not (_PROVINCE in used and _PART_OF in columns)
        and all(map(_code_fits, codes, levels))
    )


def _code_fits(code: str, level: str) -> bool:
    """Whether a region's code has the length its level gives it."""
    return (len(code) == 9) == (level == _TOWNSHIP) and (len(code) == 12) == (level == _VILLAGE)


def _quiet_spans(g: _Graph, columns: dict[str, list[str]], spanned: list[str]) -> bool:
    """``_quiet_span`` of every node of a table (``columns``: its objects by predicate),
    ``spanned`` the column whose text must be as long as each span."""
    starts = _numbers(columns[_START], _NNI_END)
    ends = _numbers(columns[_END], _NNI_END)
    if starts is None or ends is None or not all(map(lt, starts, ends)):
        return False
    if not all(map(g.quiet_evidence, set(columns[_EVIDENCE]))):
        return False
    documents = [g.limits(document) for document in set(columns[_IN_DOCUMENT])]
    if not all(limits.is_document for limits in documents):
        return False
    if max(ends) > min(limits.last_end for limits in documents):
        return False
    lengths: dict[str, int] = {}
    for term in set(spanned):
        text = _text(term)
        if text is None:
            return False
        lengths[term] = len(text)
    if list(map(lengths.__getitem__, spanned)) != list(map(sub, ends, starts)):
        return False
    if _PAGE not in columns:
        return True
    pages = _numbers(columns[_PAGE], _POSITIVE_END)
    return (
        pages is not None
        and min(pages) > 0
        and max(pages) <= min(limits.last_page for limits in documents)
    )


def _numbers(terms: list[str], end: str) -> list[int] | None:
    """``_digits`` of every term, or None when some term is not written so.

    Offsets and pages recur from node to node and from document to document, so
    the number of each term read is kept (up to ``_NUMBERS_KEPT`` of them): a
    column of terms read before is a look-up each.
    """
    known = _KNOWN_NUMBERS.get(end)
    if known is None:
        known = _KNOWN_NUMBERS[end] = {}
    try:
        return list(map(known.__getitem__, terms))
    except KeyError:
        pass  # some term not read before: the whole column is read
    if not all(map(str.endswith, terms, repeat(end))) or not all(
        map(str.startswith, terms, repeat('"'))
    ):
        return None
    cut = len(end)
    digits = [term[1:-cut] for term in terms]
    joined = "".join(digits)
    if not all(digits) or not joined.isdigit() or not joined.isascii():
        return None
    numbers = list(map(int, digits))
    if len(known) >= _NUMBERS_KEPT:
        known.clear()
    known.update(zip(terms, numbers, strict=True))
    return numbers


#: datatype suffix -> term -> its number (``_numbers``)
_KNOWN_NUMBERS: dict[str, dict[str, int]] = {}
_NUMBERS_KEPT = 1 << 16


def _mention(g: _Graph, node: str, props: dict[str, list[str]]) -> None:
    entities = props.get(_MENTION_OF, _EMPTY)
    if len(entities) != 1 or not g.has_class(entities[0], _ANY_ENTITY):
        g.report(node, _MENTION_OF, "exactly one zhi:mentionOf, an entity")
    texts = props.get(_TEXT, _EMPTY)
    if len(texts) != 1 or not _value(texts[0], _STRING):
        g.report(node, _TEXT, "exactly one zhi:text, a non-empty xsd:string")


def _statement(g: _Graph, node: str, types: list[str]) -> None:
    ends = []
    for name in ("subject", "object"):
        value = g.one(node, _Z[name], f"exactly one zhi:{name}, an entity")
        if value is not None and not g.has_class(value, _ANY_ENTITY):
            g.report(node, _Z[name], f"exactly one zhi:{name}, an entity")
        ends.append(value)
    predicate = g.one(node, _Z["predicate"], "exactly one zhi:predicate, a zhi: relation")
    if predicate is not None and predicate not in _DOMAIN_RANGE:
        g.report(node, _Z["predicate"], "exactly one zhi:predicate, one of the zhi: relations")
    subject, obj = ends
    if (
        subject is not None
        and predicate is not None
        and obj is not None
        and obj not in g.values(subject, predicate)
    ):
        g.report(node, "", "the statement's triple is not asserted")
    if _RECEIVED in g.values(node, _Z["predicate"]) and _CONFERRAL not in types:
        g.report(node, "", "a statement of zhi:receivedAward must be typed zhi:AwardConferral")
    if _CONFERRAL not in types:
        return
    if _STATEMENT not in types:
        g.report(node, "", "an award conferral must also be typed zhi:RelationStatement")
    if _RECEIVED not in g.values(node, _Z["predicate"]):
        g.report(node, _Z["predicate"], "an award conferral states zhi:receivedAward")
    recipient = g.one(node, _Z["recipient"], "exactly one zhi:recipient")
    if recipient is not None and not g.has_class(recipient, _RECIPIENTS):
        g.report(node, _Z["recipient"], "exactly one zhi:recipient of a class that wins awards")
    if sorted(g.values(node, _Z["recipient"])) != sorted(g.values(node, _Z["subject"])):
        g.report(node, _Z["recipient"], "zhi:recipient must equal its zhi:subject")
    award = g.one(node, _Z["award"], "exactly one zhi:award, a zhi:Award")
    if award is not None and _AWARD not in g.types(award):
        g.report(node, _Z["award"], "exactly one zhi:award, a zhi:Award")
    if sorted(g.values(node, _Z["award"])) != sorted(g.values(node, _Z["object"])):
        g.report(node, _Z["award"], "zhi:award must equal its zhi:object")
    year = g.at_most_one(node, _Z["year"], "at most one zhi:year, an xsd:gYear")
    literal = _literal(year) if year is not None else None
    if year is not None and (literal is None or literal.kind != _GYEAR):
        g.report(node, _Z["year"], "at most one zhi:year, an xsd:gYear")


def _document(g: _Graph, node: str) -> None:
    sha = g.one(node, _Z["sha256"], "exactly one zhi:sha256")
    digest = None
    if sha is not None:
        digest = _string(g, node, _Z["sha256"], sha, "64 lower-case hex digits", _SHA256)
    if digest is not None and node != f"<{_BASE}document/{digest[:16]}>":
        g.report(node, "", "a document's IRI holds the first 16 hex digits of its zhi:sha256")
    name = g.one(node, _NAME, "exactly one schema:name, a non-empty string")
    literal = _literal(name) if name is not None else None
    if name is not None and (literal is None or literal.kind != _STRING or not literal.value):
        g.report(node, _NAME, "exactly one schema:name, a non-empty string")
    count = g.one(node, _Z["characterCount"], "exactly one zhi:characterCount")
    literal = _literal(count) if count is not None else None
    if count is not None and (literal is None or literal.number(_NNI) is None):
        g.report(node, _Z["characterCount"], "exactly one zhi:characterCount")
    source = g.at_most_one(node, _Z["sourcePath"], "at most one zhi:sourcePath, a string")
    literal = _literal(source) if source is not None else None
    if source is not None and (literal is None or literal.kind != _STRING):
        g.report(node, _Z["sourcePath"], "at most one zhi:sourcePath, a string")
    media = g.at_most_one(node, _ENCODING, "at most one schema:encodingFormat")
    if media is not None:
        _string(g, node, _ENCODING, media, "schema:encodingFormat is its media type", _MEDIA_TYPE)
    pages = g.at_most_one(node, _Z["pageCount"], "at most one zhi:pageCount")
    literal = _literal(pages) if pages is not None else None
    if pages is not None and (literal is None or literal.number(_POSITIVE) is None):
        g.report(node, _Z["pageCount"], "at most one zhi:pageCount, an xsd:positiveInteger")


def check_lines(lines: Iterable[str]) -> list[Violation]:
    """Every violation of the shapes in a document graph written by ``document_lines``
    (empty when it conforms), one per node, path and message, sorted."""
    return check_nodes(_graph(lines).nodes)


def check_nodes(
    nodes: dict[str, dict[str, list[str]]], grouped: tuple[list[Table], list[str]] | None = None
) -> list[Violation]:
    """``check_lines`` of a graph by subject (``rdf.build.document_nodes``); ``grouped``
    is ``rdf.columns.tables`` of all its nodes, when the caller has it already; its
    tables may hold nodes ``nodes`` lacks (``rdf.build.nodes_and_tables``)."""
    try:
        return _check(_Graph(nodes), grouped or tables(nodes, nodes))
    finally:
        # Literals recur within a document, seldom across documents: keep no memory.
        _literal.cache_clear()
        _number.cache_clear()


def _check(g: _Graph, grouped: tuple[list[Table], list[str]]) -> list[Violation]:
    # The nodes of tables that pass as a whole need no more checks.
    pending = list(grouped[1])
    for table in grouped[0]:
        if not _quiet_table(g, table):
            if table.subjects[0] not in g.nodes:
                # A table of nodes the graph's dictionary lacks (``rdf.build``'s mentions):
                # checked node by node, each as a dictionary of its own, in a copy.
                g.nodes = {**g.nodes, **dict(table_nodes(table))}
            pending.extend(table.subjects)
    span_lengths = {
        _MENTION: (_Z["text"],),
        _STATEMENT: (_Z["evidence"],),
        _CONFERRAL: (_Z["evidence"],),
    }
    mention_lengths = span_lengths[_MENTION]
    statement_lengths = span_lengths[_STATEMENT]
    for node in pending:
        by_predicate = g.nodes[node]
        types = by_predicate.get(_A, _EMPTY)
        if _RELATION_PATHS.isdisjoint(by_predicate):
            # Most nodes are mentions and statements: what the general case below does
            # for them, after a quick test that passes the usual ones (see ``_quiet_span``).
            if types == _MENTION_TYPES:
                if not _quiet_mention(g, by_predicate):
                    _span(g, node, by_predicate, mention_lengths)
                    _mention(g, node, by_predicate)
                continue
            if types in (_STATEMENT_TYPES, _CONFERRAL_TYPES):
                if not _quiet_statement(g, by_predicate, types):
                    _span(g, node, by_predicate, statement_lengths)
                    _statement(g, node, types)
                continue
        if any(t in _ENTITY_TARGETS for t in types):
            _entity(g, node, types)
        if not _RELATION_PATHS.isdisjoint(by_predicate):
            _relations(g, node, by_predicate)
        if _DOCUMENT in types:
            _document(g, node)
        kinds = [t for t in types if t in span_lengths]
        if kinds:
            _span(g, node, by_predicate, sorted({p for t in kinds for p in span_lengths[t]}))
        if _MENTION in types:
            _mention(g, node, by_predicate)
        if _STATEMENT in types or _CONFERRAL in types:
            _statement(g, node, types)
    return sorted(set(g.found), key=lambda v: (v.focus, v.path, v.message))
