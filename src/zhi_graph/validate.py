"""Check a graph against ``ontology/shapes.ttl``.

pySHACL evaluates SHACL-SPARQL constraints once per focus node, which costs
seconds per thousand mentions.  Every SPARQL constraint in our shapes binds
``$this`` by its own patterns, so ``fast`` mode runs pySHACL on the core
constraints and each SPARQL constraint once over the whole graph, restricted
to the shape's targets; tests check the two modes agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pyshacl import validate as shacl_validate
from rdflib import RDF, RDFS, Graph, Namespace, URIRef
from rdflib.term import Node

from .resources import package_root

SH = Namespace("http://www.w3.org/ns/shacl#")


@dataclass(frozen=True, slots=True)
class Violation:
    focus: str
    label: str
    path: str
    message: str

    def __str__(self) -> str:
        name = f"{self.label} <{self.focus}>" if self.label else f"<{self.focus}>"
        path = f" {self.path}" if self.path else ""
        return f"{name}{path}: {self.message}"


@cache
def shapes_graph(path: Path | None = None) -> Graph:
    return Graph().parse(path or package_root() / "ontology" / "shapes.ttl", format="turtle")


def _core_shapes(shapes: Graph) -> Graph:
    core = Graph()
    for triple in shapes:
        core.add(triple)
    for triple in list(core.triples((None, SH.sparql, None))):
        core.remove(triple)
    return core


def _label(graph: Graph, node: Node) -> str:
    value = graph.value(node, RDFS.label)
    return str(value) if value is not None else ""


def _report(graph: Graph, report: Graph) -> list[Violation]:
    found = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(result, SH.focusNode)
        path = report.value(result, SH.resultPath)
        message = report.value(result, SH.resultMessage)
        found.append(
            Violation(
                focus=str(focus),
                label=_label(graph, focus) if focus is not None else "",
                path=graph.namespace_manager.normalizeUri(path) if isinstance(path, URIRef) else "",
                message=str(message or "constraint violated"),
            )
        )
    return found


def _sparql_violations(graph: Graph, shapes: Graph) -> list[Violation]:
    found = []
    prefixes = {
        str(shapes.value(d, SH.prefix)): str(shapes.value(d, SH.namespace))
        for d in shapes.subjects(SH.prefix, None)
    }
    for shape, constraint in shapes.subject_objects(SH.sparql):
        query = str(shapes.value(constraint, SH.select))
        message = str(shapes.value(constraint, SH.message) or "constraint violated")
        targets = list(shapes.objects(shape, SH.targetClass))
        focus_nodes: set[Node] = set()
        for cls in targets:
            focus_nodes.update(graph.subjects(RDF.type, cls))
        for prop in shapes.objects(shape, SH.targetSubjectsOf):
            focus_nodes.update(graph.subjects(prop, None))
        header = "".join(f"PREFIX {p}: <{n}>\n" for p, n in prefixes.items())
        for row in graph.query(header + query):
            focus = row[0]  # type: ignore[index]
            if focus in focus_nodes:
                text = message
                for name, value in row.asdict().items():  # type: ignore[union-attr]
                    text = text.replace("{?" + name + "}", str(value))
                found.append(Violation(str(focus), _label(graph, focus), "", text))
    return found


def check(graph: Graph, *, fast: bool = True, shapes: Path | None = None) -> list[Violation]:
    """Every violation of the shapes in ``graph`` (empty when the graph conforms)."""
    shape_graph = shapes_graph(shapes)
    if not fast:
        _, report, _ = shacl_validate(graph, shacl_graph=shape_graph, inference="none")
        return _report(graph, report)
    _, report, _ = shacl_validate(graph, shacl_graph=_core_shapes(shape_graph), inference="none")
    return _report(graph, report) + _sparql_violations(graph, shape_graph)


def validate_file(path: Path, *, fast: bool = True) -> list[Violation]:
    """Parse a graph file (any RDF syntax rdflib reads) and check it."""
    from rdflib import Dataset

    from .errors import InputError

    if not path.is_file():
        raise InputError("no such file; give the path of a graph file", path)
    try:
        dataset = Dataset()
        dataset.parse(path)
    except Exception as exc:  # rdflib's parsers raise many unrelated types
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise InputError(f"cannot parse the graph ({first_line}); give an RDF file", path) from exc
    graph = Graph()
    for quad in dataset.quads((None, None, None, None)):
        graph.add(quad[:3])
    for prefix, namespace in dataset.namespaces():
        graph.bind(prefix, namespace)
    return check(graph, fast=fast)
