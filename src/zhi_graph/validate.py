"""Check a graph against ``ontology/shapes.ttl``.

Two modes, one shapes file:

``fast=False``
    pySHACL runs every shape: the reference, and slow.  It evaluates each
    constraint node by node, and each SHACL-SPARQL constraint as one query per
    focus node, parsed anew each time (80 s for the 27,000 triples of eight
    documents; the SPARQL constraints take nine tenths of it).

``fast=True`` (the default)
    The same shapes, evaluated in bulk (2 s for 200,000 triples, 20 s for the
    800,000 of a 3 MB corpus; ``benchmarks/validation.md``):

    * SHACL Core: each shape is compiled once (``_Compiler``) into checks over
      dictionaries built in one pass over the data graph (the objects of each
      predicate by subject); each focus node is then checked with plain
      look-ups, and whether a node conforms to a shape that ``sh:node``,
      ``sh:or``, ``sh:not`` or ``sh:qualifiedValueShape`` names is worked out
      once per node.  Each check does what pySHACL does for its constraint
      component (same datatype, language-tag, string and ordering rules),
      and results are reported as pySHACL reports them, the sh:node details
      included.  A shape using anything the compiler does not know (another
      component, a property path that is not one IRI, results without an
      ``sh:message``, ...) is left to pySHACL; a test checks that none is.
    * SHACL-SPARQL: each constraint of a node shape with targets runs once over
      the whole graph, in pyoxigraph, and its rows are kept for the shape's
      focus nodes.  This equals one query per focus node because every SPARQL
      constraint in our shapes binds ``$this`` by its own triple patterns.

Both modes report one ``Violation`` per focus node, result path and message,
sorted; tests/test_ontology.py checks that they agree on every broken graph.
"""

from __future__ import annotations

import gc
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from functools import cache
from pathlib import Path

import pyoxigraph as ox
from rdflib import RDF, RDFS, XSD, BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.term import Node, Variable

from .errors import InputError
from .graphfile import read_quads
from .rdf.dataset import bind_prefixes, to_rdflib
from .resources import package_root
from .violation import Violation

SH = Namespace("http://www.w3.org/ns/shacl#")
_TYPE = str(RDF.type)


@cache
def shapes_graph(path: Path | None = None) -> Graph:
    return Graph().parse(path or package_root() / "ontology" / "shapes.ttl", format="turtle")


def check(
    graph: Graph | Sequence[tuple[Node, Node, Node]] | Path,
    *,
    fast: bool = True,
    shapes: Path | None = None,
) -> list[Violation]:
    """Every violation of the shapes in ``graph`` (empty when the graph conforms).

    ``graph`` is an rdflib graph or, faster for the fast check, a list of triples;
    or a build folder or graph file, read as ``validate_file`` reads it.
    """
    if isinstance(graph, Path):
        return validate_file(graph, fast=fast, shapes=shapes)
    if not isinstance(graph, Graph) and (not fast or _plan(shapes).fallback is not None):
        triples = graph
        graph = Graph()
        graph.addN((s, p, o, graph) for s, p, o in triples)
    # pySHACL takes a tenth of a second to import: only a check that runs it imports it.
    from pyshacl import validate as shacl_validate

    if not fast:
        assert isinstance(graph, Graph)
        _, report, _ = shacl_validate(graph, shacl_graph=shapes_graph(shapes), inference="none")
        return _unique(_report(graph, report))
    plan = _plan(shapes)
    with _collector_paused():
        data = _Data(graph)
        found = _core_violations(data, plan) + _sparql_violations(data, plan)
        del data
    if plan.fallback is not None:
        assert isinstance(graph, Graph)
        _, report, _ = shacl_validate(graph, shacl_graph=plan.fallback, inference="none")
        found += _report(graph, report)
    return _unique(found)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """No garbage collection while the indexes are built: each pass would scan the
    whole graph, and the indexes hold no reference cycles."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def validate_file(path: Path, *, fast: bool = True, shapes: Path | None = None) -> list[Violation]:
    """Read a graph file (its syntax told by its suffix: .ttl, .trig, .nq, .nt, .jsonld,
    .rdf/.xml; a build folder is read from its graph.trig) and check the union of its graphs.
    """
    graph = Graph()
    bind_prefixes(graph)  # so that paths print as zhi:adcode, not as full IRIs
    try:
        graph.addN(
            (to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object), graph)
            for q in read_quads(path)
        )
    except ValueError as exc:  # an RDF-star triple term
        raise InputError(f"cannot check this graph ({exc})", path) from exc
    return check(graph, fast=fast, shapes=shapes)


# --- reporting ------------------------------------------------------------------


def _label(graph: Graph, node: Node) -> str:
    value = graph.value(node, RDFS.label)
    return str(value) if value is not None else ""


def _violation(
    graph: Graph, focus: Node, path: Node | None, message: str, severity: str = "Violation"
) -> Violation:
    return Violation(
        focus=str(focus),
        label=_label(graph, focus),
        path=graph.namespace_manager.normalizeUri(path) if isinstance(path, URIRef) else "",
        message=message,
        severity=severity,
    )


def _severity(node: Node | None) -> str:
    """sh:Warning -> Warning; a shape without sh:severity reports violations."""
    return str(node).rsplit("#", 1)[-1] if isinstance(node, URIRef) else "Violation"


def _first_message(messages: Iterable[Node]) -> str | None:
    """The message to show when a shape has several (pySHACL reports them all)."""
    texts = sorted(str(m) for m in messages)
    return texts[0] if texts else None


def _report(graph: Graph, report: Graph) -> list[Violation]:
    found = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(result, SH.focusNode)
        message = _first_message(report.objects(result, SH.resultMessage))
        if focus is not None:
            path = report.value(result, SH.resultPath)
            severity = _severity(report.value(result, SH.resultSeverity))
            found.append(_violation(graph, focus, path, message or "constraint violated", severity))
    return found


def _unique(found: Iterable[Violation]) -> list[Violation]:
    return sorted(set(found), key=lambda v: (v.focus, v.path, v.message))


# --- the data graph, indexed ------------------------------------------------------


def _closure(start: Node, edges: dict[Node, list[Node]]) -> set[Node]:
    """``start`` and every node reachable from it along ``edges``."""
    seen = {start}
    stack = [start]
    while stack:
        for following in edges.get(stack.pop(), ()):
            if following not in seen:
                seen.add(following)
                stack.append(following)
    return seen


class _Data:
    """The data graph as dictionaries: for each predicate, the objects of each subject.

    Built in one pass over the graph.  Every node is interned (equal nodes are
    the same object), so look-ups rarely fall back on rdflib's ``__eq__``.
    """

    def __init__(self, graph: Graph | Sequence[tuple[Node, Node, Node]]) -> None:
        # A build checks each document's triples as they are: an rdflib graph is
        # made only if a rare path (subclasses in the data, labels for a
        # violation) asks for one.
        self._graph = graph if isinstance(graph, Graph) else None
        self._triples = graph
        nodes: dict[Node, Node] = {}
        intern = nodes.setdefault
        index: dict[str, dict[Node, list[Node]]] = {}
        for s, p, o in graph:
            key = str(p)
            by_subject = index.get(key)
            if by_subject is None:
                by_subject = index[key] = {}
            s = intern(s, s)
            if type(o) is not Literal:
                o = intern(o, o)
            values = by_subject.get(s)
            if values is None:
                by_subject[s] = [o]
            else:
                values.append(o)
        self.index = index
        self._instances: dict[Node, list[Node]] | None = None
        self._subclass_of: dict[Node, list[Node]] | None = None
        self._superclasses: dict[Node, frozenset[Node]] = {}
        self._classes: dict[Node, frozenset[Node]] = {}
        self._conforms: dict[tuple[int, Node], bool] = {}

    @property
    def graph(self) -> Graph:
        if self._graph is None:
            self._graph = Graph()
            self._graph.addN((s, p, o, self._graph) for s, p, o in self._triples)
        return self._graph

    def objects(self, predicate: str) -> dict[Node, list[Node]]:
        """Subject -> objects of ``predicate`` (an IRI as a plain string)."""
        return self.index.get(predicate, {})

    def values(self, node: Node, predicate: str) -> Sequence[Node]:
        return self.index.get(predicate, {}).get(node, ())

    def superclasses(self, cls: Node) -> frozenset[Node]:
        """``cls`` and every class it is a subclass of (rdfs:subClassOf* in the data)."""
        found = self._superclasses.get(cls)
        if found is None:
            found = frozenset(_closure(cls, self.objects(str(RDFS.subClassOf))))
            self._superclasses[cls] = found
        return found

    def is_instance(self, node: Node, cls: Node) -> bool:
        """Is ``node`` a SHACL instance of ``cls`` (rdf:type/rdfs:subClassOf*)?"""
        if isinstance(node, Literal):
            return False
        classes = self._classes.get(node)
        if classes is None:
            classes = frozenset(c for t in self.values(node, _TYPE) for c in self.superclasses(t))
            self._classes[node] = classes
        return cls in classes

    def instances(self, cls: Node) -> set[Node]:
        """SHACL instances of ``cls``: typed with it or with one of its subclasses."""
        if self._instances is None:
            by_class: defaultdict[Node, list[Node]] = defaultdict(list)
            for node, types in self.objects(_TYPE).items():
                for t in types:
                    by_class[t].append(node)
            self._instances = dict(by_class)
        if self._subclass_of is None:
            inverse: defaultdict[Node, list[Node]] = defaultdict(list)
            for sub, supers in self.objects(str(RDFS.subClassOf)).items():
                for sup in supers:
                    inverse[sup].append(sub)
            self._subclass_of = dict(inverse)
        subclasses = _closure(cls, self._subclass_of)
        return {s for c in subclasses if c is not None for s in self._instances.get(c, ())}


# --- SHACL Core, compiled ---------------------------------------------------------

# A check answers for one focus node and its value nodes: do they satisfy the constraint?
Check = Callable[[_Data, Node, Sequence[Node]], bool]

_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
# Predicates a shape may carry that are no constraint (sh:property is followed separately).
_NOT_CONSTRAINTS = frozenset(
    {*_TARGETS, SH.message, SH.name, SH.description, SH.order, SH.group, SH.path, SH.property}
    | {SH.severity}  # read by _Compiler._shape
    | {SH.deactivated, SH.flags}  # sh:flags is read with sh:pattern
)
# Parameters whose presence alone says nothing: read together with another one.
_QUALIFIED = frozenset(
    {SH.qualifiedMinCount, SH.qualifiedMaxCount, SH.qualifiedValueShapesDisjoint}
)


class _Unsupported(Exception):
    """A shape the compiler leaves to pySHACL."""


@dataclass(eq=False)
class _Shape:
    node: Node
    path: URIRef | None  # None for a node shape: its value node is the focus node itself
    message: str | None
    severity: str = "Violation"
    checks: list[Check] = field(default_factory=list)
    properties: list[_Shape] = field(default_factory=list)
    # The shapes of its sh:node constraints: pySHACL reports why a value fails one of
    # them (sh:detail), and check() lists those results as violations of their own.
    details: list[_Shape] = field(default_factory=list)
    key: str | None = field(init=False)  # the path as a plain string, to look values up

    def __post_init__(self) -> None:
        self.key = None if self.path is None else str(self.path)

    def values(self, data: _Data, focus: Node) -> Sequence[Node]:
        return (focus,) if self.key is None else data.values(focus, self.key)

    def holds(self, data: _Data, focus: Node, values: Sequence[Node]) -> bool:
        """Do the shape's own constraints hold (its property shapes aside)?"""
        for check in self.checks:  # noqa: SIM110 (all() over a generator is slower here)
            if not check(data, focus, values):
                return False
        return True

    def conforms(self, data: _Data, node: Node) -> bool:
        key = (id(self), node)
        known = data._conforms.get(key)
        if known is None:
            values = self.values(data, node)
            known = self.holds(data, node, values) and all(
                p.conforms(data, v) for p in self.properties for v in values
            )
            data._conforms[key] = known
        return known

    def validate(self, data: _Data, focus: Node, found: list[tuple[Node, _Shape]]) -> None:
        """Add (focus, shape) for this shape and each of its property shapes that fails."""
        values = self.values(data, focus)
        if not self.holds(data, focus, values):
            found.append((focus, self))
            for detail in self.details:
                for value in values:
                    if not detail.conforms(data, value):
                        detail.validate(data, value, found)
        for prop in self.properties:
            for value in values:
                prop.validate(data, value, found)


_STRING_TYPES = (None, RDF.langString, XSD.string)


def _as_string(value: Node) -> str:
    """The string pySHACL matches sh:pattern and sh:minLength against."""
    if isinstance(value, Literal) and value.value is not None and value.datatype in _STRING_TYPES:
        return str(value.value)
    return str(value)


# The Python types pySHACL wants a literal's value to have for these datatypes.
_PYTHON_TYPES: dict[Node, type | tuple[type, ...]] = {
    XSD.string: (str, bytes),
    RDF.langString: (str, bytes),
    XSD.integer: int,
    XSD.float: float,
    XSD.decimal: Decimal,
    XSD.boolean: bool,
    XSD.date: date,
    XSD.time: time,
    XSD.dateTime: datetime,
}


def _datatype_check(datatype: Node) -> Callable[[Node], bool]:
    """Does a value node match sh:datatype ``datatype``? (pySHACL's rules)"""
    expected = _PYTHON_TYPES.get(datatype, object)

    def matches(value: Node) -> bool:
        if not isinstance(value, Literal):
            return False
        given = value.datatype
        if type(given) is URIRef and str.__eq__(given, datatype):  # given == datatype, faster
            return value.ill_typed is not True and isinstance(value.value, expected)
        if datatype == RDFS.Literal:
            return True
        if datatype == RDFS.Datatype:
            return bool(given)
        if given is None and value.language is None and datatype == XSD.string:
            return isinstance(value.value, expected)
        if datatype == RDF.langString and value.language:
            return isinstance(value.value, expected)
        return False

    return matches


_NODE_KINDS: dict[Node, tuple[type, ...]] = {
    SH.IRI: (URIRef,),
    SH.BlankNode: (BNode,),
    SH.Literal: (Literal,),
    SH.BlankNodeOrIRI: (BNode, URIRef),
    SH.BlankNodeOrLiteral: (BNode, Literal),
    SH.IRIOrLiteral: (URIRef, Literal),
}


# Integer datatypes: rdflib orders their literals by value, as Python orders ints.
_INTEGERS = frozenset(
    str(XSD[name])
    for name in [
        "integer",
        "nonNegativeInteger",
        "positiveInteger",
        "nonPositiveInteger",
        "negativeInteger",
        "long",
        "int",
        "short",
        "byte",
        "unsignedLong",
        "unsignedInt",
        "unsignedShort",
        "unsignedByte",
    ]
)


def _less_than(value: Node, other: Node) -> bool:
    """``value < other`` as pySHACL decides sh:lessThan: strings only compare with strings."""
    if isinstance(value, Literal) and isinstance(other, Literal):
        a, b = value.value, other.value
        if (
            type(a) is int
            and type(b) is int
            and str(value.datatype) in _INTEGERS
            and str(other.datatype) in _INTEGERS
            and not value.ill_typed
            and not other.ill_typed
        ):
            return a < b  # what rdflib's Literal.__lt__ answers, without its detours
    if isinstance(value, BNode) or isinstance(other, BNode):
        return False  # pySHACL stops with an error
    left: object = value
    right: object = other
    left_string = isinstance(value, URIRef) or isinstance(getattr(value, "value", None), str)
    right_string = isinstance(other, URIRef) or isinstance(getattr(other, "value", None), str)
    if left_string != right_string:
        return False
    if left_string:
        left = str(value) if isinstance(value, URIRef) else value.value  # type: ignore[attr-defined]
        right = str(other) if isinstance(other, URIRef) else other.value  # type: ignore[attr-defined]
    try:
        return bool(left < right)  # type: ignore[operator]
    except TypeError:
        return False  # pySHACL stops with an error


def _node_check(other: _Shape) -> Check:
    return lambda d, f, vs: all(other.conforms(d, v) for v in vs)


class _Compiler:
    def __init__(self, shapes: Graph) -> None:
        self.g = shapes
        self.done: dict[Node, _Shape] = {}
        self.busy: set[Node] = set()

    def one(self, node: Node, predicate: Node) -> Node | None:
        values = list(self.g.objects(node, predicate))
        if len(values) > 1:
            raise _Unsupported(f"{node} has several {predicate}")
        return values[0] if values else None

    def integer(self, node: Node, predicate: Node) -> int | None:
        value = self.one(node, predicate)
        if value is None:
            return None
        if not isinstance(value, Literal) or not isinstance(value.value, int):
            raise _Unsupported(f"{predicate} of {node} is not an integer")
        return value.value

    def items(self, node: Node) -> list[Node]:
        return list(Collection(self.g, node))

    def shape(self, node: Node, *, reports: bool, sparql: bool = False) -> _Shape:
        """Compile ``node``; ``reports``: its results are reported (it needs an sh:message)."""
        if node in self.done and not reports:
            return self.done[node]
        if node in self.busy:
            raise _Unsupported(f"{node} refers to itself")
        self.busy.add(node)
        try:
            compiled = self._shape(node, reports=reports, sparql=sparql)
        finally:
            self.busy.discard(node)
        self.done[node] = compiled
        return compiled

    def _shape(self, node: Node, *, reports: bool, sparql: bool) -> _Shape:
        g = self.g
        path = self.one(node, SH.path)
        if path is not None and not isinstance(path, URIRef):
            raise _Unsupported(f"{node} has a property path that is not one IRI")
        shape = _Shape(
            node,
            path,
            _first_message(g.objects(node, SH.message)),
            _severity(self.one(node, SH.severity)),
        )
        deactivated = self.one(node, SH.deactivated)
        if isinstance(deactivated, Literal) and deactivated.value is True:
            return shape
        for predicate in set(g.predicates(node)):
            if not str(predicate).startswith(str(SH)) or predicate in _NOT_CONSTRAINTS:
                continue
            if predicate in _QUALIFIED:
                continue  # read with sh:qualifiedValueShape
            if predicate == SH.sparql and sparql:
                continue  # run once over the whole graph by _sparql_violations
            for value in g.objects(node, predicate):
                if predicate == SH.node:
                    other = self.shape(value, reports=reports)
                    shape.checks.append(_node_check(other))
                    if reports:
                        shape.details.append(other)
                else:
                    shape.checks.append(self.constraint(node, predicate, value))
        if reports and shape.checks and shape.message is None:
            raise _Unsupported(f"{node} reports without an sh:message")
        for prop in g.objects(node, SH.property):
            compiled = self.shape(prop, reports=reports)
            if compiled.path is None:
                raise _Unsupported(f"sh:property {prop} of {node} has no sh:path")
            shape.properties.append(compiled)
        return shape

    def constraint(self, node: Node, predicate: Node, value: Node) -> Check:
        if predicate == SH["class"]:
            return lambda d, f, vs: all(d.is_instance(v, value) for v in vs)
        if predicate == SH.datatype:
            self.one(node, predicate)
            matches = _datatype_check(value)
            return lambda d, f, vs: all(map(matches, vs))
        if predicate == SH.nodeKind:
            self.one(node, predicate)
            kinds = _NODE_KINDS.get(value)
            if kinds is None:
                raise _Unsupported(f"unknown sh:nodeKind {value}")
            return lambda d, f, vs: all(isinstance(v, kinds) for v in vs)
        if predicate == SH.minCount:
            least = self.integer(node, predicate) or 0
            return lambda d, f, vs: len(vs) >= least
        if predicate == SH.maxCount:
            most = self.integer(node, predicate)
            return lambda d, f, vs: len(vs) <= most  # type: ignore[operator]
        if predicate == SH.minLength:
            shortest = self.integer(node, predicate) or 0
            return lambda d, f, vs: (
                shortest == 0
                or all(not isinstance(v, BNode) and len(_as_string(v)) >= shortest for v in vs)
            )
        if predicate == SH.pattern:
            return self.pattern(node, value)
        if predicate == SH.languageIn:
            self.one(node, predicate)  # pySHACL reads one sh:languageIn only
            ranges = {str(r).lower() for r in self.items(value)}

            def language_in(d: _Data, f: Node, vs: Sequence[Node]) -> bool:
                for v in vs:
                    lang = v.language if isinstance(v, Literal) else None
                    if not lang:
                        return False
                    if "*" in ranges or lang.lower() in ranges:
                        continue
                    if lang.split("-")[0].lower() not in ranges:
                        return False
                return True

            return language_in
        if predicate == SH.uniqueLang:
            self.one(node, predicate)
            if not (isinstance(value, Literal) and value.value):
                return lambda d, f, vs: True

            def unique_lang(d: _Data, f: Node, vs: Sequence[Node]) -> bool:
                langs = [v.language.lower() for v in vs if isinstance(v, Literal) and v.language]
                return len(langs) == len(set(langs))

            return unique_lang
        if predicate == SH["in"]:
            allowed = set(self.items(value))
            return lambda d, f, vs: all(map(allowed.__contains__, vs))
        if predicate == SH.hasValue:
            return lambda d, f, vs: any(v == value for v in vs)
        if predicate == SH.equals:
            key = str(value)
            return lambda d, f, vs: set(vs) == set(d.values(f, key))
        if predicate == SH.disjoint:
            key = str(value)
            return lambda d, f, vs: not set(vs) & set(d.values(f, key))
        if predicate == SH.lessThan:
            if self.one(node, SH.path) is None:
                raise _Unsupported("sh:lessThan on a node shape")
            key = str(value)
            return lambda d, f, vs: all(_less_than(v, w) for v in vs for w in d.values(f, key))
        if predicate == SH["not"]:
            negated = self.shape(value, reports=False)
            return lambda d, f, vs: not any(negated.conforms(d, v) for v in vs)
        if predicate == SH["or"]:
            members = [self.shape(m, reports=False) for m in self.items(value)]
            return lambda d, f, vs: all(any(m.conforms(d, v) for m in members) for v in vs)
        if predicate == SH.qualifiedValueShape:
            return self.qualified(node, value)
        raise _Unsupported(f"{predicate} is not compiled")

    def pattern(self, node: Node, value: Node) -> Check:
        if not isinstance(value, Literal):
            raise _Unsupported("sh:pattern is not a literal")
        flags = self.one(node, SH.flags)
        options = 0
        if isinstance(flags, Literal):
            options |= re.I if "i" in str(flags).lower() else 0
            options |= re.M if "m" in str(flags).lower() else 0
        text = str(value.value) if value.value is not None and len(value.value) > 1 else str(value)
        regex = re.compile(text, options)
        return lambda d, f, vs: all(
            not isinstance(v, BNode) and regex.search(_as_string(v)) for v in vs
        )

    def qualified(self, node: Node, value: Node) -> Check:
        disjoint = self.one(node, SH.qualifiedValueShapesDisjoint)
        if isinstance(disjoint, Literal) and disjoint.value is True:
            raise _Unsupported("sh:qualifiedValueShapesDisjoint")
        least = self.integer(node, SH.qualifiedMinCount)
        most = self.integer(node, SH.qualifiedMaxCount)
        if least is None and most is None:
            raise _Unsupported("sh:qualifiedValueShape without counts")
        other = self.shape(value, reports=False)

        def qualified(d: _Data, f: Node, vs: Sequence[Node]) -> bool:
            conforming = sum(1 for v in vs if other.conforms(d, v))
            return (least is None or conforming >= least) and (most is None or conforming <= most)

        return qualified


# --- the plan for a shapes graph ------------------------------------------------


@dataclass(frozen=True)
class _Targets:
    classes: tuple[Node, ...]
    nodes: tuple[Node, ...]
    subjects_of: tuple[Node, ...]
    objects_of: tuple[Node, ...]

    def focus_nodes(self, data: _Data) -> set[Node]:
        found = set(self.nodes)
        for cls in self.classes:
            found |= data.instances(cls)
        for predicate in self.subjects_of:
            found.update(data.objects(str(predicate)))
        for predicate in self.objects_of:
            for values in data.objects(str(predicate)).values():
                found.update(values)
        return found


@dataclass(frozen=True)
class _Sparql:
    targets: _Targets
    query: str
    messages: tuple[str, ...]  # the shape's and the constraint's, as pySHACL reports them
    severity: str = "Violation"

    def message(self, bindings: dict[str, str]) -> str:
        """The message pySHACL would give, its {?name} and {$name} filled in."""
        filled = []
        for message in self.messages or ("constraint violated",):
            for name, value in bindings.items():
                message = message.replace("{?" + name + "}", value)
                message = message.replace("{$" + name + "}", value)
            filled.append(message)
        return min(filled)


@dataclass
class _Plan:
    compiled: list[tuple[_Shape, _Targets]]
    sparql: list[_Sparql]
    fallback: Graph | None  # the shapes left to pySHACL, or None when there are none
    left_to_pyshacl: list[tuple[Node, str]]  # and why


def _targets(shapes: Graph, node: Node) -> _Targets:
    return _Targets(*(tuple(shapes.objects(node, t)) for t in _TARGETS))


def _implicit_class_targets(shapes: Graph) -> set[Node]:
    classes = {RDFS.Class, *shapes.transitive_subjects(RDFS.subClassOf, RDFS.Class)}
    return {s for c in classes for s in shapes.subjects(RDF.type, c)}


_SHAPE_PARAMETERS = (SH.node, SH["not"], SH.qualifiedValueShape, SH.property)
_SHAPE_LISTS = (SH["or"], SH["and"], SH.xone)


def _referenced(shapes: Graph) -> set[Node]:
    found = {o for p in _SHAPE_PARAMETERS for o in shapes.objects(None, p)}
    for p in _SHAPE_LISTS:
        for head in shapes.objects(None, p):
            found.update(Collection(shapes, head))
    return found


def _selects_this(query: str) -> bool:
    from rdflib.plugins.sparql import prepareQuery  # rdflib's SPARQL: only here

    try:
        parsed = prepareQuery(query)
    except Exception:  # pyparsing's and rdflib's errors: pySHACL will say what is wrong
        return False
    return Variable("this") in parsed.algebra["PV"]


@cache
def _plan(path: Path | None) -> _Plan:
    shapes = shapes_graph(path)
    implicit = _implicit_class_targets(shapes)
    targeted = {s for t in _TARGETS for s in shapes.subjects(t, None)} | implicit
    referenced = _referenced(shapes)
    prefixes = {
        str(shapes.value(d, SH.prefix)): str(shapes.value(d, SH.namespace))
        for d in shapes.subjects(SH.prefix, None)
    }
    header = "".join(f"PREFIX {p}: <{n}>\n" for p, n in prefixes.items())

    # The SPARQL constraints of a node shape with targets run in bulk, once over the
    # whole graph, when no other shape refers to it and each selects $this.
    in_bulk = set()
    sparql = []
    for shape in sorted(targeted - referenced - implicit, key=str):
        if (shape, SH.path, None) in shapes:
            continue
        constraints = []
        for constraint in shapes.objects(shape, SH.sparql):
            deactivated = shapes.value(constraint, SH.deactivated)
            if isinstance(deactivated, Literal) and deactivated.value is True:
                continue
            select = shapes.value(constraint, SH.select)
            if select is None or not _selects_this(header + str(select)):
                break
            messages = {str(m) for m in shapes.objects(shape, SH.message)}
            messages |= {str(m) for m in shapes.objects(constraint, SH.message)}
            constraints.append(
                _Sparql(
                    _targets(shapes, shape),
                    header + str(select),
                    tuple(sorted(messages)),
                    _severity(shapes.value(shape, SH.severity)),
                )
            )
        else:
            in_bulk.add(shape)
            sparql += constraints

    compiled, left = [], []
    for shape in sorted(targeted, key=str):
        try:
            if shape in implicit:
                raise _Unsupported("implicit class target")
            compiler = _Compiler(shapes)
            core = compiler.shape(shape, reports=True, sparql=shape in in_bulk)
            if any((s, SH.sparql, None) in shapes for s in compiler.done if s != shape):
                raise _Unsupported("a SPARQL constraint on a shape it refers to")
        except _Unsupported as reason:
            left.append((shape, str(reason)))
        else:
            compiled.append((core, _targets(shapes, shape)))

    fallback = None
    if left:
        fallback = Graph()
        done = {shape.node for shape, _ in compiled}
        for s, p, o in shapes:
            if (s in done and p in _TARGETS) or (s in in_bulk and p == SH.sparql):
                continue
            fallback.add((s, p, o))
    return _Plan(compiled, sparql, fallback, left)


def _core_violations(data: _Data, plan: _Plan) -> list[Violation]:
    failures: list[tuple[Node, _Shape]] = []
    for shape, targets in plan.compiled:
        for focus in targets.focus_nodes(data):
            shape.validate(data, focus, failures)
    return [
        _violation(
            data.graph, focus, shape.path, shape.message or "constraint violated", shape.severity
        )
        for focus, shape in set(failures)
    ]


# --- SHACL-SPARQL, in bulk --------------------------------------------------------


def _ox_store(data: _Data) -> ox.Store:
    """The data graph in pyoxigraph."""
    iris: dict[str, ox.NamedNode] = {}
    resources: dict[Node, ox.NamedNode | ox.BlankNode] = {}

    def iri(value: str) -> ox.NamedNode:
        found = iris.get(value)
        if found is None:
            found = iris[value] = ox.NamedNode(value)
        return found

    def resource(node: Node) -> ox.NamedNode | ox.BlankNode:
        found = resources.get(node)
        if found is None:
            if isinstance(node, URIRef):
                found = ox.NamedNode(node)
            elif isinstance(node, BNode):
                found = ox.BlankNode(node)
            else:
                raise ValueError(f"not an IRI or a blank node: {node!r}")
            resources[node] = found
        return found

    def term(node: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
        if isinstance(node, Literal):  # not cached: caching costs more than it saves
            if node.language:
                return ox.Literal(node, language=node.language)
            if node.datatype:
                return ox.Literal(node, datatype=iri(node.datatype))
            return ox.Literal(node)
        return resource(node)

    store = ox.Store()
    store.bulk_extend(
        ox.Quad(resource(s), predicate, term(o))
        for p, by_subject in data.index.items()
        for predicate in (iri(p),)
        for s, objects in by_subject.items()
        for o in objects
    )
    return store


def _sparql_violations(data: _Data, plan: _Plan) -> list[Violation]:
    work = [(c, nodes) for c in plan.sparql if (nodes := c.targets.focus_nodes(data))]
    if not work:
        return []
    try:
        store = _ox_store(data)
    except ValueError:  # a term pyoxigraph refuses (rdflib is laxer): query with rdflib
        return _sparql_violations_rdflib(data, work)
    found = []
    for constraint, nodes in work:
        solutions = store.query(constraint.query)
        assert isinstance(solutions, ox.QuerySolutions)
        names = [v.value for v in solutions.variables]
        for row in solutions:
            this = row["this"]
            if isinstance(this, ox.NamedNode):
                focus: Node = URIRef(this.value)
            elif isinstance(this, ox.BlankNode):
                focus = BNode(this.value)
            else:
                continue
            if focus in nodes:
                bindings = {name: row[name].value for name in names if row[name] is not None}
                text = constraint.message(bindings)
                found.append(_violation(data.graph, focus, None, text, constraint.severity))
    return found


def _sparql_violations_rdflib(
    data: _Data, work: list[tuple[_Sparql, set[Node]]]
) -> list[Violation]:
    found = []
    for constraint, nodes in work:
        for row in data.graph.query(constraint.query):
            bindings = row.asdict()  # type: ignore[union-attr]
            focus = bindings.get("this")
            if focus in nodes:
                text = constraint.message({k: str(v) for k, v in bindings.items()})
                found.append(_violation(data.graph, focus, None, text, constraint.severity))
    return found
