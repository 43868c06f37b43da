"""zhi-graph: knowledge graphs from Chinese local-chronicle (地方志) work documents.

The few functions a notebook needs::

    from zhi_graph import extract, build, evaluate, export, ExportFormat
    result = extract(Path("data/corpus/000_56e6aeb4e85b6bad.txt"))
    for entity in result.entities: ...
    export(Path("out"), ExportFormat.CSV, Path("tables"))
"""

from __future__ import annotations

from .convert import ExportFormat, export
from .errors import ZhiGraphError
from .evaluate import evaluate
from .model import Entity, EntityType, ExtractionResult, Relation, RelationKind
from .pipeline import BuildReport, build, extract, extract_document
from .rdf.build import build_dataset
from .resources import load_resources
from .validate import check

__all__ = [
    "BuildReport",
    "Entity",
    "EntityType",
    "ExportFormat",
    "ExtractionResult",
    "Relation",
    "RelationKind",
    "ZhiGraphError",
    "build",
    "build_dataset",
    "check",
    "evaluate",
    "export",
    "extract",
    "extract_document",
    "load_resources",
]
