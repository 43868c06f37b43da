"""Stable IRIs: the same entity gets the same IRI in every build, on every machine."""

from __future__ import annotations

import hashlib

from rdflib import URIRef

from ..model import Document, Entity, EntityType, RelationKind
from ..namespaces import ID
from ..text.keys import name_key


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def entity_iri(entity: Entity) -> URIRef:
    if entity.type is EntityType.REGION and entity.adcode:
        if entity.level == "country":
            return ID[f"country/{entity.adcode}"]
        return ID[f"region/{entity.adcode}"]
    name = name_key(entity.label)
    # An unscoped name hashes alone, so the same name is one node in every document.
    identity = f"{entity.scope}/{name}" if entity.scope else name
    return ID[f"{entity.type.value.lower()}/{_digest(identity)}"]


def document_iri(document: Document) -> URIRef:
    return ID[f"document/{document.sha256[:16]}"]


def mention_iri(document: Document, start: int, end: int) -> URIRef:
    return ID[f"document/{document.sha256[:16]}/mention/{start}-{end}"]


def statement_iri(
    document: Document, kind: RelationKind, subject: URIRef, obj: URIRef, year: int | None
) -> URIRef:
    key = f"{kind.value} {subject} {obj} {year or ''}"
    return ID[f"document/{document.sha256[:16]}/statement/{_digest(key)}"]
