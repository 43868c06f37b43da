"""Stable IRIs: the same entity gets the same IRI in every build, on every machine.

Each IRI is a plain string, what the N-Triples writer of ``rdf.build`` uses;
``rdflib.URIRef(iri)`` makes the rdflib term of one where one is wanted.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache

from ..iris import ID
from ..model import VALUE_OF, Document, Entity, EntityType, RelationKind
from ..text.keys import name_key

_BASE = ID


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def entity_iri_str(entity: Entity) -> str:
    return entity_iri_of(entity.type, entity.label, entity.adcode, entity.level, entity.scope)


@lru_cache(maxsize=1 << 16)
def entity_iri_of(
    type_: EntityType, label: str, adcode: str | None, level: str | None, scope: str | None
) -> str:
    """The IRI of an entity with these fields (``entity_iri_str`` of the Entity).

    Cached: the same entities recur in document after document of a corpus."""
    if type_ is EntityType.REGION and adcode:
        if level == "country":
            return f"{_BASE}country/{adcode}"
        return f"{_BASE}region/{adcode}"
    name = name_key(label)
    # An unscoped name hashes alone, so the same name is one node in every document.
    identity = f"{scope}/{name}" if scope else name
    return f"{_BASE}{type_.value.lower()}/{_digest(identity)}"


def document_iri_str(document: Document) -> str:
    return document_iri_from_hash(document.sha256)


def document_iri_from_hash(sha256: str) -> str:
    """The IRI of the document whose bytes have this SHA-256."""
    return f"{_BASE}document/{sha256[:16]}"


def statement_iri_str(
    document: Document, kind: RelationKind, subject: str, obj: str, year: int | None
) -> str:
    return statement_iri_in(document_iri_str(document), kind, subject, obj, year)


def statement_iri_in(
    document: str, kind: RelationKind, subject: str, obj: str, year: int | None
) -> str:
    """``statement_iri_str`` given the document's IRI."""
    key = f"{VALUE_OF[kind]} {subject} {obj} {year or ''}"
    return f"{document}/statement/{_digest(key)}"
