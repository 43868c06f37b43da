"""Typed records passed between pipeline stages.

Every offset in a record points into ``NormalizedText.text``; the record keeps
the map back to the original file so that provenance can quote it exactly.
"""

from __future__ import annotations

import bisect
import marshal
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import partial
from pathlib import Path
from typing import NamedTuple


class EntityType(StrEnum):
    REGION = "Region"
    INSTITUTION = "Institution"
    PUBLICATION = "Publication"
    VENUE = "Venue"
    AWARD = "Award"
    PERSON = "Person"


class PublicationSubtype(StrEnum):
    YEARBOOK = "Yearbook"
    GAZETTEER = "Gazetteer"
    CHRONICLE = "Chronicle"
    PERIODICAL = "Periodical"
    SERIES = "Series"
    BOOK = "Book"
    COURSE = "Course"
    POLICY_DOCUMENT = "PolicyDocument"
    OTHER = "Other"


class RelationKind(StrEnum):
    RECEIVED_AWARD = "receivedAward"
    ABOUT_REGION = "aboutRegion"
    LOCATED_IN = "locatedIn"
    PART_OF = "partOf"
    ISSUED_BY = "issuedBy"
    PUBLISHED_BY = "publishedBy"
    OPERATED_BY = "operatedBy"
    HOSTED_BY = "hostedBy"
    CONFERRED_BY = "conferredBy"


#: Each member of the enumerations above -> its value, as a plain str.  ``Enum.value``
#: is a property (80 ns a read, against 12 for this look-up), read for every
#: entity and relation a document's results are written with.
VALUE_OF: dict[StrEnum, str] = {
    member: member.value
    for kind in (EntityType, PublicationSubtype, RelationKind)
    for member in kind
}


@dataclass(frozen=True, slots=True)
class ExtractedText:
    """What a format reader gets out of a file's bytes (``zhi_graph.formats``)."""

    text: str
    media_type: str
    # The character encoding the bytes were decoded with; empty for formats
    # that store characters rather than encoded text (PDF, DOCX).
    encoding: str = ""
    # Offset in ``text`` where each page starts, for paged formats (PDF).
    pages: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class Document:
    """A source file as read from disk: its text and where it came from.

    ``text`` is the file's decoded text, or for PDF, DOCX and HTML the text
    extracted from it; every offset in the graph points into it.
    """

    path: Path
    text: str
    sha256: str
    encoding: str
    media_type: str = "text/plain"
    # Offset in ``text`` where each page starts (page 1 at pages[0] == 0);
    # empty for formats without pages.
    pages: tuple[int, ...] = ()

    @property
    def name(self) -> str:
        return self.path.name

    def page_at(self, offset: int) -> int | None:
        """The 1-based number of the page holding ``offset``, or None without pages."""
        if not self.pages:
            return None
        return max(1, bisect.bisect_right(self.pages, offset))


@dataclass(frozen=True, slots=True)
class NormalizedText:
    """Text after normalisation, with a map from each character back to the original."""

    document: Document
    text: str
    # origin[i] is the index in document.text of normalised character i;
    # origin[len(text)] is len(document.text) so that end offsets map too.
    origin: tuple[int, ...]

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a normalised [start, end) span to the original file's offsets: from its
        first character to its last, or, where a laid-out table's cells were put back
        together (``text.layout``) and the span's characters come from several lines,
        the original lines that hold them all."""
        if start >= end:
            at = self.origin[start]
            return at, at
        first, last = self.origin[start], self.origin[end - 1]
        if last < first:
            moved = self.origin[start:end]
            first, last = min(moved), max(moved)
        return first, last + 1


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int
    paragraph: int


class Token(NamedTuple):
    """A jieba token and its offsets (a NamedTuple: documents have hundreds of thousands)."""

    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Segmented:
    """Normalised text cut into paragraphs, sentences and jieba tokens."""

    normalized: NormalizedText
    sentences: tuple[Sentence, ...]
    # Offsets where a jieba token starts, in order; with len(text), where tokens end
    # too: the tokens tile the text, so their offsets are all a document keeps of them.
    token_starts: tuple[int, ...] = ()
    boundaries: frozenset[int] = frozenset()

    @property
    def text(self) -> str:
        return self.normalized.text

    def token_span(self, index: int) -> tuple[int, int]:
        """(start, end) of the token at ``index`` in ``token_starts``."""
        starts = self.token_starts
        end = starts[index + 1] if index + 1 < len(starts) else len(self.normalized.text)
        return starts[index], end

    @property
    def tokens(self) -> tuple[Token, ...]:
        """The tokens themselves, made from their offsets."""
        text = self.normalized.text
        ends = (*self.token_starts[1:], len(text))
        return tuple(
            Token(text[start:end], start, end)
            for start, end in zip(self.token_starts, ends, strict=True)
        )

    def sentence_at(self, offset: int) -> Sentence:
        lo, hi = 0, len(self.sentences) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.sentences[mid].start <= offset:
                lo = mid
            else:
                hi = mid - 1
        return self.sentences[lo]


@dataclass(frozen=True, slots=True)
class Mention:
    """A span of text recognised as naming an entity.

    ``key`` is the resolver's identity for the entity (an adcode for regions,
    a canonical label otherwise); ``label`` is the canonical name when the
    recogniser already knows it, and ``aliases`` other names it implies.
    """

    type: EntityType
    start: int
    end: int
    surface: str
    label: str
    source: str
    subtype: PublicationSubtype | None = None
    adcode: str | None = None
    aliases: tuple[str, ...] = ()
    online: bool = False


@dataclass(frozen=True, slots=True)
class RegionHit:
    """A region name found in the text, resolved to its code (possibly inside a longer name)."""

    start: int
    end: int
    surface: str
    adcode: str
    kind: str  # full | short | former


@dataclass(frozen=True, slots=True)
class AwardItem:
    """One award in a list after a trigger verb, and the body that confers it if named."""

    start: int
    end: int
    label: str
    aliases: tuple[str, ...]
    conferrer: tuple[int, int] | None


@dataclass(frozen=True, slots=True)
class AwardZone:
    """A trigger verb (入选, 获评 …) and the awards listed after it."""

    trigger_start: int
    trigger_end: int
    items: tuple[AwardItem, ...]
    # For a table of awardees (…名单 and numbered rows): each row's span, whose
    # first name is a recipient; the year is the announcement's.
    rows: tuple[tuple[int, int], ...] = ()
    year_hint: str = ""  # text that names the announcement (第二批江苏省精品年鉴)
    # Where the recipients are named when the verb's object is (授予X等19个单位“A”称号).
    recipients: tuple[int, int] | None = None
    # The year the text gives the table itself (an honour roll's note: 2024年12月表彰).
    year: int | None = None


@dataclass(frozen=True, slots=True)
class Recognized:
    segmented: Segmented
    mentions: tuple[Mention, ...]
    context_provinces: tuple[str, ...]
    region_hits: tuple[RegionHit, ...] = ()
    award_zones: tuple[AwardZone, ...] = ()


@dataclass(frozen=True, slots=True)
class Entity:
    key: str
    type: EntityType
    label: str
    aliases: tuple[str, ...]
    mentions: tuple[Mention, ...]
    subtype: PublicationSubtype | None = None
    adcode: str | None = None
    parent: str | None = None  # key of the parent region
    level: str | None = None
    online: bool = False
    # Whose 省委宣传部 this is: a region code, or ``document:<hash>`` when the
    # name is relative (省…, 市…) and the document does not say which region.
    # None for names that mean the same thing in every document.
    scope: str | None = None


@dataclass(frozen=True, slots=True)
class Resolved:
    recognized: Recognized
    entities: tuple[Entity, ...]
    # mention index in recognized.mentions -> entity key
    mention_keys: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Relation:
    kind: RelationKind
    subject: str
    object: str
    sentence: Span | None
    year: int | None = None


@dataclass(frozen=True, slots=True)
class ExtractionResult:
    """Everything extracted from one document."""

    document: Document
    normalized: NormalizedText
    entities: tuple[Entity, ...]
    relations: tuple[Relation, ...]
    sentences: tuple[Sentence, ...] = field(default=())

    def entity(self, key: str) -> Entity:
        for entity in self.entities:
            if entity.key == key:
                return entity
        raise KeyError(key)


class EntitySummary(NamedTuple):
    """What cross-document linking needs to know of one entity of one document.

    A tuple, not a dataclass: a corpus build holds, hashes and compares hundreds
    of thousands of them, which a tuple does in C, and makes those of each
    document its workers send back with ``tuple.__new__``, no Python call each.
    """

    key: str
    type: EntityType
    label: str
    aliases: tuple[str, ...]
    scope: str | None = None


@dataclass(frozen=True, slots=True)
class DocumentSummary:
    """One extracted document, small enough to hold for every document of a corpus."""

    path: str
    sha256: str
    characters: int
    entities: tuple[EntitySummary, ...]
    relations: tuple[tuple[str, int], ...]  # relation kind -> count

    @classmethod
    def of(cls, result: ExtractionResult) -> DocumentSummary:
        kinds: dict[str, int] = {}
        for relation in result.relations:
            kind = VALUE_OF[relation.kind]
            kinds[kind] = kinds.get(kind, 0) + 1
        return cls(
            path=str(result.document.path),
            sha256=result.document.sha256,
            characters=len(result.document.text),
            entities=tuple(
                EntitySummary(e.key, e.type, e.label, e.aliases, e.scope) for e in result.entities
            ),
            relations=tuple(sorted(kinds.items())),
        )

    def __reduce__(self) -> tuple[object, tuple[str, str, int, bytes, tuple[tuple[str, int], ...]]]:
        # Pickled with its entities packed by column (``pack_entities``): a build's
        # workers send the main process hundreds of thousands of entity summaries,
        # which pickle would read back one opcode and one Python call each.
        return DocumentSummary.unpacked, (
            self.path,
            self.sha256,
            self.characters,
            pack_entities(self.entities),
            self.relations,
        )

    @staticmethod
    def unpacked(
        path: str,
        sha256: str,
        characters: int,
        entities: bytes,
        relations: tuple[tuple[str, int], ...],
    ) -> DocumentSummary:
        """The summary whose entities ``pack_entities`` packed."""
        return DocumentSummary(path, sha256, characters, unpack_entities(entities), relations)


_ENTITY_TYPES = tuple(EntityType)
_ENTITY_TYPE_CODES = {type_: code for code, type_ in enumerate(_ENTITY_TYPES)}
_entity_summary = partial(tuple.__new__, EntitySummary)  # a row of its fields -> EntitySummary


def pack_entities(entities: Sequence[EntitySummary]) -> bytes:
    """Entity summaries as bytes: their keys, types (a byte each), labels, aliases and
    scopes as five columns, marshalled.

    What a worker sends back and the cache keeps of each document for linking.
    Read back (``unpack_entities``) for the 50 MB benchmark corpus's 517,000
    entities: 0.2 s, against 0.86 s for the same entities pickled as rows and
    made into records.  Marshal reads only plain values; so the types are codes,
    which ``extractor_fingerprint`` keeps to one version of this module.
    """
    if not entities:
        return marshal.dumps(())
    keys, types, labels, aliases, scopes = zip(*entities, strict=True)
    codes = bytes(map(_ENTITY_TYPE_CODES.__getitem__, types))
    return marshal.dumps((keys, codes, labels, aliases, scopes))


def unpack_entities(data: bytes) -> tuple[EntitySummary, ...]:
    """The entity summaries ``pack_entities`` packed, in their order."""
    columns = marshal.loads(data)
    if not columns:
        return ()
    keys, codes, labels, aliases, scopes = columns
    types = map(_ENTITY_TYPES.__getitem__, codes)
    return tuple(map(_entity_summary, zip(keys, types, labels, aliases, scopes, strict=True)))
