"""The one place the order of the stages is written.

Path ──load──▶ Document ──normalize──▶ NormalizedText ──segment──▶ Segmented
     ──recognize──▶ Recognized ──resolve──▶ Resolved ──relate──▶ ExtractionResult
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph

from .errors import ValidationError
from .export import write_graph
from .load import discover, load
from .model import Document, ExtractionResult
from .rdf.build import bind_prefixes, document_triples
from .rdf.iri import document_iri
from .recognize import recognize
from .relate import relate
from .resolve import resolve
from .resources import Resources, load_resources
from .segment import segment
from .text.normalize import normalize
from .validate import Violation, check
from .viz.views import write_network


def extract_document(document: Document, resources: Resources | None = None) -> ExtractionResult:
    """Document -> ExtractionResult: every entity and relation, with offsets."""
    res = resources or load_resources()
    normalized = normalize(document)
    segmented = segment(normalized, res)
    recognized = recognize(segmented, res)
    resolved = resolve(recognized, res)
    return relate(resolved, res)


def extract(path: Path, resources: Resources | None = None) -> ExtractionResult:
    """Path -> ExtractionResult."""
    return extract_document(load(path), resources)


@dataclass
class BuildReport:
    """What a build did: counts for the summary, timings, and the files written."""

    documents: int = 0
    characters: int = 0
    entities: Counter[str] = field(default_factory=Counter)
    relations: Counter[str] = field(default_factory=Counter)
    triples: int = 0
    files: list[Path] = field(default_factory=list)
    seconds_extract: float = 0.0
    seconds_validate: float = 0.0
    seconds_html: float = 0.0
    seconds_total: float = 0.0
    violations: list[Violation] = field(default_factory=list)


def build(
    paths: Sequence[Path],
    out: Path,
    *,
    validate: bool = True,
    html: bool = True,
    progress: Callable[[Path], None] | None = None,
) -> BuildReport:
    """Extract every document under ``paths`` and write ``out/graph.ttl`` and ``graph.trig``,
    and with ``html`` the network page ``out/graph.html``.

    Nothing is written unless every document was read and, when ``validate``
    is set, the graph conforms to ``ontology/shapes.ttl``.
    """
    started = time.perf_counter()
    resources = load_resources()
    report = BuildReport()
    results = []
    for path in discover(paths):
        result = extract(path, resources)
        results.append(result)
        report.documents += 1
        report.characters += len(result.document.text)
        report.entities.update(e.type.value for e in result.entities)
        report.relations.update(r.kind.value for r in result.relations)
        if progress is not None:
            progress(path)
    report.seconds_extract = time.perf_counter() - started
    documents = [(document_iri(r.document), document_triples(r)) for r in results]
    if validate:
        checked = time.perf_counter()
        union = Graph()
        bind_prefixes(union)
        union.addN((s, p, o, union) for _, triples in documents for s, p, o in triples)
        report.violations = check(union)
        report.seconds_validate = time.perf_counter() - checked
        if report.violations:
            raise ValidationError(
                f"the graph breaks {len(report.violations)} shape constraint(s), first: "
                f"{report.violations[0]}; this is a zhi-graph bug, please report it"
            )
    report.triples = sum(len(triples) for _, triples in documents)
    report.files = write_graph(documents, out)
    if html:
        drawn = time.perf_counter()
        report.files.append(write_network(out, out / "graph.html").path)
        report.seconds_html = time.perf_counter() - drawn
    report.seconds_total = time.perf_counter() - started
    return report
