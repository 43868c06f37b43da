"""SPARQL results in the formats researchers and clients ask for, and the bundled questions.

``serialize_results`` turns what ``GraphStore.query`` returns into bytes:
SELECT and ASK results as SPARQL 1.1 Query Results JSON, XML, CSV or TSV,
CONSTRUCT and DESCRIBE results as Turtle (with the project's prefixes),
N-Triples or JSON-LD.  ``result_table`` gives the same SELECT results as
columns and rows of short strings (IRIs as prefixed names, literals as their
plain value) for a terminal table or a pandas DataFrame.

The research questions of ``queries/`` are files whose first comment lines
state the question, in Chinese and in English::

    # zh: 哪些年鉴在哪一年获得了哪些奖项？
    # en: Which yearbooks won which award, in which year?
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from .errors import InputError, ResourceError
from .resources import package_root
from .resultformat import ResultFormat as ResultFormat  # also named from here
from .results import RDF_FORMATS, RESULTS_FORMATS
from .store import QUERY_PREFIXES, GraphStore

Result = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples


def run_query(store: GraphStore, sparql: str) -> Result:
    """``store.query``, with evaluation errors turned into ``InputError`` as syntax errors are."""
    try:
        return store.query(sparql)
    except (OSError, ValueError, RuntimeError) as exc:
        raise InputError(f"the query failed: {exc}") from exc


def serialize_results(result: Result, fmt: ResultFormat | str) -> bytes:
    """Write a query result in ``fmt``: json, xml, csv or tsv for SELECT and ASK results;
    turtle, ntriples, jsonld or rdfxml for CONSTRUCT and DESCRIBE results.

    Consumes the result (pyoxigraph results are iterators).  Raises ``InputError``
    when the format does not fit the kind of result.
    """
    try:
        wanted = ResultFormat(fmt)
    except ValueError:
        known = ", ".join(f.value for f in ResultFormat if f is not ResultFormat.TABLE)
        raise InputError(f"unknown result format {fmt!r}; give one of {known}") from None
    try:
        if isinstance(result, ox.QueryTriples):
            if wanted not in RDF_FORMATS:
                raise InputError(_wrong_format(wanted, "CONSTRUCT and DESCRIBE", RDF_FORMATS))
            # Sorted, so that the same query on the same graph writes the same bytes.
            triples = sorted(result, key=str)
            data = ox.serialize(
                triples, format=RDF_FORMATS[wanted], prefixes=_used_prefixes(triples)
            )
        else:
            if wanted not in RESULTS_FORMATS:
                raise InputError(_wrong_format(wanted, "SELECT and ASK", RESULTS_FORMATS))
            data = result.serialize(format=RESULTS_FORMATS[wanted])
    except (OSError, ValueError, RuntimeError) as exc:
        raise InputError(f"the query failed: {exc}") from exc
    assert data is not None  # no output given: pyoxigraph returns the bytes
    return data


def _wrong_format(wanted: ResultFormat, kind: str, formats: Iterable[ResultFormat]) -> str:
    fitting = ", ".join(f.value for f in formats)
    return f"{kind} results cannot be written as {wanted.value}; give one of {fitting}"


def _used_prefixes(triples: list[ox.Triple]) -> dict[str, str]:
    """The predeclared prefixes that shorten some IRI of ``triples`` (as ``compact_iri`` does)."""
    used = {
        compact_iri(term.value).partition(":")[0]
        for triple in triples
        for term in (triple.subject, triple.predicate, triple.object)
        if isinstance(term, ox.NamedNode)
    }
    return {prefix: QUERY_PREFIXES[prefix] for prefix in sorted(used) if prefix in QUERY_PREFIXES}


# Longest namespace first, so that region:510100 wins over id:region/510100.
_NAMESPACES = sorted(QUERY_PREFIXES.items(), key=lambda item: -len(item[1]))
# A local name that Turtle and SPARQL accept without escapes (PN_LOCAL, simplified).
_LOCAL_NAME = re.compile(r"^[\w][\w.-]*(?<!\.)$|^$")


def compact_iri(iri: str) -> str:
    """``region:510100`` for ``https://w3id.org/zhi-graph/id/region/510100``; ``<iri>`` when
    no predeclared prefix fits."""
    for prefix, namespace in _NAMESPACES:
        if iri.startswith(namespace) and _LOCAL_NAME.match(iri[len(namespace) :]):
            return f"{prefix}:{iri[len(namespace) :]}"
    return f"<{iri}>"


def term_text(term: object) -> str:
    """A term as a table shows it: prefixed names, plain literal values, ``_:id`` for blanks."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return compact_iri(term.value)
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal):
        return term.value
    return str(term)


_XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGERS = {
    f"{_XSD}{name}"
    for name in (
        "integer",
        "int",
        "long",
        "short",
        "byte",
        "nonNegativeInteger",
        "positiveInteger",
        "nonPositiveInteger",
        "negativeInteger",
        "unsignedInt",
        "unsignedLong",
        "unsignedShort",
        "unsignedByte",
    )
}
_DECIMALS = {f"{_XSD}decimal", f"{_XSD}double", f"{_XSD}float"}


def term_value(term: object) -> str | int | float | bool | None:
    """A term as a Python value: numbers and booleans typed, everything else as ``term_text``."""
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        try:
            if datatype in _INTEGERS:
                return int(term.value)
            if datatype in _DECIMALS:
                return float(term.value)
        except ValueError:
            return term.value
        if datatype == f"{_XSD}boolean":
            return term.value in ("true", "1")
        return term.value
    return None if term is None else term_text(term)


@dataclass(frozen=True, slots=True)
class ResultTable:
    """SELECT results as the columns and rows a table or DataFrame shows."""

    columns: list[str]
    rows: list[list[str | int | float | bool | None]]

    def __len__(self) -> int:
        return len(self.rows)

    def text_rows(self) -> list[list[str]]:
        """Every cell as text (empty for an unbound variable)."""
        return [["" if cell is None else str(cell) for cell in row] for row in self.rows]


def result_table(result: ox.QuerySolutions, *, typed: bool = False) -> ResultTable:
    """The rows of a SELECT result; ``typed`` keeps numbers as numbers (for DataFrames)."""
    columns = [variable.value for variable in result.variables]
    convert = term_value if typed else term_text
    try:
        rows = [[convert(solution[name]) for name in columns] for solution in result]
    except (OSError, ValueError, RuntimeError) as exc:
        raise InputError(f"the query failed: {exc}") from exc
    return ResultTable(columns, rows)


def select(store: GraphStore, sparql: str, *, typed: bool = True) -> ResultTable:
    """Run a SELECT query and return its rows (typed values), e.g. for
    ``pandas.DataFrame(table.rows, columns=table.columns)``."""
    result = run_query(store, sparql)
    if not isinstance(result, ox.QuerySolutions):
        raise InputError("select() runs SELECT queries; use run_query for ASK, CONSTRUCT, DESCRIBE")
    return result_table(result, typed=typed)


# --- the research questions of queries/ -------------------------------------------

_TITLE = re.compile(r"^#\s*(zh|en)\s*:\s*(.+?)\s*$")


@dataclass(frozen=True, slots=True)
class QueryFile:
    """A ``.rq`` file with the question it answers, in Chinese and English."""

    name: str
    title_zh: str
    title_en: str
    sparql: str
    path: Path


def read_query(path: Path) -> QueryFile:
    """Read a ``.rq`` file; its leading comment lines may give ``# zh:`` and ``# en:`` titles."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError("no such query file; check the path", path) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read the query file ({exc})", path) from exc
    titles: dict[str, str] = {}
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        match = _TITLE.match(line)
        if match:
            titles.setdefault(match.group(1), match.group(2))
    if not text.strip():
        raise InputError("the query file is empty", path)
    return QueryFile(path.stem, titles.get("zh", ""), titles.get("en", ""), text, path)


def queries_folder() -> Path:
    """The bundled ``queries/`` folder (source tree or installed copy)."""
    folder = package_root() / "queries"
    if not folder.is_dir():
        raise ResourceError("the bundled queries/ folder is missing; reinstall zhi-graph", folder)
    return folder


def bundled_queries(folder: Path | None = None) -> list[QueryFile]:
    """The research questions in ``folder`` (default: the bundled ``queries/``), by file name."""
    return [read_query(path) for path in sorted((folder or queries_folder()).glob("*.rq"))]
