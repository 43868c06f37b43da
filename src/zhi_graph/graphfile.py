"""Graph files in and out: the RDF syntax of a file, reading it, writing quads sorted.

Reading and writing go through pyoxigraph (Rust), which parses and writes every
syntax here tens of times faster than rdflib, except JSON-LD output: pyoxigraph
writes expanded JSON-LD only, and our JSON-LD must be compacted with the
published ``ontology/context.jsonld`` so that keys read ``"label"``,
``"receivedAward"``...  rdflib's JSON-LD writer does that compaction straight
from the RDF (term selection, language and datatype coercion, ``@set``
containers), so it is used for that one syntax; pyld would have added a
dependency and a slower expand-then-compact pass over a JSON tree.

Output is sorted (named graph, then the N-Triples text of each triple), so the
same graph always gives the same bytes.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterable, Sequence
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from .errors import InputError, ResourceError
from .rdf.build import PREFIXES
from .resources import package_root

BUILD_DATASET = "graph.trig"  # what a build folder is read from: it keeps the named graphs


class Syntax(StrEnum):
    """The RDF syntaxes zhi-graph reads and writes, by their ``--format`` name."""

    TURTLE = "ttl"
    TRIG = "trig"
    NQUADS = "nquads"
    NTRIPLES = "nt"
    JSONLD = "jsonld"
    RDFXML = "xml"

    @property
    def has_graphs(self) -> bool:
        """Does the syntax keep named graphs (otherwise the union of all graphs is written)?"""
        return self in (Syntax.TRIG, Syntax.NQUADS, Syntax.JSONLD)


_OX_FORMAT = {
    Syntax.TURTLE: ox.RdfFormat.TURTLE,
    Syntax.TRIG: ox.RdfFormat.TRIG,
    Syntax.NQUADS: ox.RdfFormat.N_QUADS,
    Syntax.NTRIPLES: ox.RdfFormat.N_TRIPLES,
    Syntax.JSONLD: ox.RdfFormat.JSON_LD,
    Syntax.RDFXML: ox.RdfFormat.RDF_XML,
}

SUFFIXES: dict[str, Syntax] = {
    ".ttl": Syntax.TURTLE,
    ".turtle": Syntax.TURTLE,
    ".trig": Syntax.TRIG,
    ".nq": Syntax.NQUADS,
    ".nquads": Syntax.NQUADS,
    ".nt": Syntax.NTRIPLES,
    ".ntriples": Syntax.NTRIPLES,
    ".jsonld": Syntax.JSONLD,
    ".json": Syntax.JSONLD,
    ".rdf": Syntax.RDFXML,
    ".xml": Syntax.RDFXML,
    ".owl": Syntax.RDFXML,
}


def syntax_of(path: Path) -> Syntax:
    """The syntax a graph file is written in, by its suffix."""
    found = SUFFIXES.get(path.suffix.lower())
    if found is None:
        known = ", ".join(SUFFIXES)
        raise InputError(
            f"unknown graph file suffix {path.suffix or '(none)'!r}; "
            f"give a file ending in one of {known}",
            path,
        )
    return found


def graph_source(path: Path) -> Path:
    """The file to read for ``path``: itself, or a build folder's ``graph.trig``."""
    if path.is_dir():
        dataset = path / BUILD_DATASET
        if not dataset.is_file():
            raise InputError(
                f"no {BUILD_DATASET} in this folder; give a build's output folder "
                "(zhi-graph build … -o FOLDER) or a graph file",
                path,
            )
        return dataset
    if not path.is_file():
        raise InputError("no such file or folder; give a build folder or a graph file", path)
    return path


def _parse_error(source: Path, syntax: Syntax, exc: Exception) -> InputError:
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return InputError(
        f"cannot parse the graph as {syntax.name} ({first}); fix the file or its suffix", source
    )


def read_quads(path: Path) -> list[ox.Quad]:
    """Every quad of a build folder (its ``graph.trig``) or of a graph file.

    Triples of a syntax without named graphs land in the default graph.
    """
    source = graph_source(path)
    syntax = syntax_of(source)
    try:
        return list(
            ox.parse(path=source, format=_OX_FORMAT[syntax], base_iri=source.resolve().as_uri())
        )
    except (SyntaxError, ValueError) as exc:
        raise _parse_error(source, syntax, exc) from exc
    except OSError as exc:
        raise InputError(f"cannot read the graph ({exc.strerror})", source) from exc


def store_of(quads: Iterable[ox.Quad]) -> ox.Store:
    """The quads in a pyoxigraph store, for SPARQL.

    Not for writing them out again: the store of pyoxigraph 0.5 keeps numbers
    typed with a type derived from xsd:integer (our offsets are
    xsd:nonNegativeInteger) as xsd:integer.
    """
    store = ox.Store()
    store.bulk_extend(quads)
    return store


# --- writing ----------------------------------------------------------------------
#
# Sorting happens on N-Quads lines: pyoxigraph writes the quads as N-Quads (in
# Rust, one line per quad, in order), Python sorts the lines as bytes, and the
# sorted text is parsed again and written in the syntax asked for.  This is
# several times faster than sorting on Python term objects, whose every
# attribute read crosses into Rust.  Lines of one subject are contiguous in
# that order (each starts with "<subject> "), so Turtle and TriG group them.


def _triples_by_graph(quads: Sequence[ox.Quad]) -> dict[bytes, set[bytes]]:
    """Graph name as written in N-Quads (b"" for the default graph) -> its triples' lines,
    each without the closing " ."."""
    text = ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b""
    found: dict[bytes, set[bytes]] = {}
    for line, quad in zip(text.splitlines(), quads, strict=True):
        if isinstance(quad.graph_name, ox.DefaultGraph):
            graph, triple = b"", line[:-2]
        else:  # a graph name (IRI or blank node) holds no space: the last term is it
            triple, graph = line[:-2].rsplit(b" ", 1)
        lines = found.get(graph)
        if lines is None:
            lines = found[graph] = set()
        lines.add(triple)
    return found


def sorted_nquads(quads: Sequence[ox.Quad]) -> bytes:
    """N-Quads of every graph, the default graph first, then graph by graph, each sorted."""
    out: list[bytes] = []
    for graph, triples in sorted(_triples_by_graph(quads).items()):
        end = b" " + graph + b" .\n" if graph else b" .\n"
        out.extend(triple + end for triple in sorted(triples))
    return b"".join(out)


def sorted_ntriples(quads: Sequence[ox.Quad]) -> bytes:
    """N-Triples of the union of the graphs, sorted, each triple once."""
    union: set[bytes] = set()
    for triples in _triples_by_graph(quads).values():
        union |= triples
    return b"".join(triple + b" .\n" for triple in sorted(union))


def prefixes() -> dict[str, str]:
    return dict(PREFIXES)


def serialize(quads: Sequence[ox.Quad], syntax: Syntax) -> bytes:
    """The quads written in ``syntax``, sorted; one without named graphs gets the union."""
    if syntax is Syntax.JSONLD:
        return _jsonld(quads)
    if syntax.has_graphs:
        text, parsed_as = sorted_nquads(quads), ox.RdfFormat.N_QUADS
    else:
        text, parsed_as = sorted_ntriples(quads), ox.RdfFormat.N_TRIPLES
    if syntax in (Syntax.NQUADS, Syntax.NTRIPLES):
        return text
    data = ox.parse(text, format=parsed_as)
    return sorted_prefix_lines(ox.serialize(data, format=_OX_FORMAT[syntax], prefixes=prefixes()))


def sorted_prefix_lines(data: bytes | None) -> bytes:
    """Prefix declarations in a fixed order: the writer does not promise one."""
    lines = (data or b"").split(b"\n")
    head = 0
    while head < len(lines) and lines[head].startswith(b"@prefix"):
        head += 1
    return b"\n".join(sorted(lines[:head]) + lines[head:])


# --- JSON-LD ----------------------------------------------------------------------


@cache
def jsonld_context() -> dict[str, Any]:
    """The published context, ``ontology/context.jsonld``."""
    path = package_root() / "ontology" / "context.jsonld"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        context = data["@context"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ResourceError(f"cannot read the JSON-LD context ({exc})", path) from exc
    if not isinstance(context, dict):
        raise ResourceError("@context is not an object", path)
    return context


def _jsonld(quads: Sequence[ox.Quad]) -> bytes:
    # Imported here: rdflib takes a tenth of a second to import, and only this
    # syntax needs it (its JSON-LD writer compacts with the published context).
    from .rdf.dataset import to_rdflib_dataset

    context = jsonld_context()
    dataset = to_rdflib_dataset(quads)
    with warnings.catch_warnings():
        # rdflib's own JSON-LD writer calls its deprecated Dataset API: not the user's concern.
        warnings.simplefilter("ignore", DeprecationWarning)
        text = dataset.serialize(format="json-ld", context=context, auto_compact=True)
    document = json.loads(text)
    # Arrays of nodes carry no order in JSON-LD: sort them so output is stable.
    document = _sorted_nodes(document)
    # The published context as written, then the graph's name (if any) before its nodes.
    ordered: dict[str, Any] = {"@context": context}
    for key in sorted(document, key=lambda k: (k != "id", k)):
        if key != "@context":
            ordered[key] = document[key]
    return (json.dumps(ordered, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _sorted_nodes(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            k: (v if k in ("@list", "@context") else _sorted_nodes(v)) for k, v in value.items()
        }
    if isinstance(value, list):
        return sorted((_sorted_nodes(v) for v in value), key=_node_key)
    return value


def _node_key(value: Any) -> tuple[str, str]:
    """Nodes by their IRI, then by their whole text; plain values by their text."""
    name = value.get("id", value.get("@id", "")) if isinstance(value, dict) else ""
    return (str(name), json.dumps(value, ensure_ascii=False, sort_keys=True))
