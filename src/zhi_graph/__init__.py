"""zhi-graph: knowledge graphs from Chinese local-chronicle (地方志) work documents.

The few functions a notebook needs::

    from zhi_graph import extract, build, evaluate, export, ExportFormat
    result = extract(Path("data/corpus/000_56e6aeb4e85b6bad.txt"))
    for entity in result.entities: ...
    export(Path("out"), ExportFormat.CSV, Path("tables"))

    from zhi_graph import open_store, select
    store = open_store(Path("out/"))            # Oxigraph, RDFS types materialised
    table = select(store, "SELECT ?x WHERE { ?x a zhi:Yearbook }")
"""

from __future__ import annotations

from .convert import ExportFormat, export
from .errors import ZhiGraphError
from .evaluate import evaluate
from .model import Entity, EntityType, ExtractionResult, Relation, RelationKind
from .pipeline import BuildReport, build, extract, extract_document
from .rdf.build import build_dataset
from .resources import load_resources
from .sparql import bundled_queries, run_query, select, serialize_results
from .store import GraphStore, open_store
from .validate import check

__all__ = [
    "BuildReport",
    "Entity",
    "EntityType",
    "ExportFormat",
    "ExtractionResult",
    "GraphStore",
    "Relation",
    "RelationKind",
    "ZhiGraphError",
    "build",
    "build_dataset",
    "bundled_queries",
    "check",
    "evaluate",
    "export",
    "extract",
    "extract_document",
    "load_resources",
    "open_store",
    "run_query",
    "select",
    "serialize_results",
]
