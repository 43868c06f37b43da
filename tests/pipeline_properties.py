"""What must hold for any input: shared by the property tests and the fuzz target.

``check_bytes`` and ``check_text`` run a file's bytes or a text through
load → normalise → extract → RDF exactly as ``zhi_graph.pipeline`` does, and
assert the promises of the README's "Hostile input" section:

- the extractor does not raise;
- every offset lies inside the text it points into, and every span quotes it
  (a mention's surface is the normalised text at its offsets; the RDF's
  ``zhi:text`` and ``zhi:evidence`` are the original text at the original
  offsets);
- the graph conforms to the SHACL shapes, and its N-Triples re-parse, with
  pyoxigraph and with rdflib, to the same number of triples.

Bytes the loader refuses must be refused with an ``InputError`` naming the
file; nothing else may escape.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef

from zhi_graph.errors import InputError
from zhi_graph.load import load_bytes
from zhi_graph.model import Document, ExtractionResult
from zhi_graph.namespaces import ZHI
from zhi_graph.pipeline import extract_document
from zhi_graph.rdf.build import document_lines, document_run
from zhi_graph.rdf.conformance import check_lines
from zhi_graph.rdf.dataset import Triple, document_triples
from zhi_graph.resources import Resources
from zhi_graph.validate import check


def document_of(text: str, name: str = "doc.txt") -> Document:
    return Document(
        path=Path(name),
        text=text,
        sha256=hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest(),
        encoding="utf-8",
    )


def check_bytes(data: bytes, resources: Resources, name: str = "doc.txt") -> int | None:
    """The properties for a file's bytes; the triple count, or None if the loader refused
    them (with an InputError naming the file)."""
    path = Path(name)
    try:
        document = load_bytes(path, data)
    except InputError as error:
        assert error.path == path, error
        assert str(path) in str(error)
        return None
    return check_document(document, resources)


def check_text(text: str, resources: Resources) -> int:
    return check_document(document_of(text), resources)


def check_document(document: Document, resources: Resources) -> int:
    """Assert every property for one document; return its triple count."""
    result = extract_document(document, resources)
    check_offsets(result)
    lines = document_lines(result)
    triples = document_triples(result)
    check_rdf_quotes(result, triples)
    # The build's own check on the lines, and the shapes themselves on the triples.
    assert not check_lines(lines), [str(v) for v in check_lines(lines)[:3]]
    violations = check(triples)
    assert not violations, [str(v) for v in violations[:3]]
    check_reparses(lines)
    return len(triples)


def check_offsets(result: ExtractionResult) -> None:
    normalized = result.normalized
    text = normalized.text
    original = result.document.text
    assert len(normalized.origin) == len(text) + 1
    assert normalized.origin[-1] == len(original)
    assert all(0 <= at < len(original) for at in normalized.origin[:-1])
    assert all(a < b for a, b in zip(normalized.origin, normalized.origin[1:], strict=False))
    for sentence in result.sentences:
        assert 0 <= sentence.start <= sentence.end <= len(text), sentence
    for entity in result.entities:
        for mention in entity.mentions:
            assert 0 <= mention.start < mention.end <= len(text), mention
            assert text[mention.start : mention.end] == mention.surface, mention
            start, end = normalized.to_original(mention.start, mention.end)
            assert 0 <= start < end <= len(original), (mention, start, end)
    keys = {entity.key for entity in result.entities}
    for relation in result.relations:
        assert relation.subject in keys and relation.object in keys, relation
        if relation.sentence is not None:
            assert 0 <= relation.sentence.start <= relation.sentence.end <= len(text)


def check_rdf_quotes(result: ExtractionResult, triples: list[Triple]) -> None:
    """Every node with offsets quotes the original text at them."""
    original = result.document.text
    by_node: dict[URIRef, dict[URIRef, object]] = {}
    for s, p, o in triples:
        if p in (ZHI.startOffset, ZHI.endOffset, ZHI.text, ZHI.evidence):
            by_node.setdefault(s, {})[p] = o.toPython() if isinstance(o, Literal) else o
    for node, values in by_node.items():
        start, end = values.get(ZHI.startOffset), values.get(ZHI.endOffset)
        assert isinstance(start, int) and isinstance(end, int), (node, values)
        assert 0 <= start <= end <= len(original), (node, start, end)
        if ZHI.text in values:
            assert values[ZHI.text] == original[start:end], node
        if ZHI.text not in values:  # a statement: its evidence is its own span
            assert values.get(ZHI.evidence) == original[start:end], node


def check_reparses(lines: list[str]) -> None:
    data = document_run(lines)
    expected = len(set(lines))
    parsed = list(ox.parse(data, format=ox.RdfFormat.N_TRIPLES))
    assert len(parsed) == expected
    graph = Graph().parse(data=data.decode("utf-8"), format="nt")
    assert len(graph) == expected
