"""Result formats of the SPARQL endpoint: choosing one for a request, writing capped results.

Tabular results (``SELECT``, ``ASK``) go out as SPARQL results JSON, XML, CSV
or TSV; graph results (``CONSTRUCT``, ``DESCRIBE``) as Turtle, N-Triples,
JSON-LD or RDF/XML.  pyoxigraph writes every format.  Rows are counted while
they are read, and reading stops one row past the cap, so that a query
matching millions of rows costs no more than the cap.
"""

from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pyoxigraph as ox

from .resultformat import ResultFormat
from .store import QUERY_PREFIXES

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer


#: Formats of SELECT and ASK results, and of CONSTRUCT and DESCRIBE results (``table``
#: is the command line's own).
TABULAR = (ResultFormat.JSON, ResultFormat.XML, ResultFormat.CSV, ResultFormat.TSV)
GRAPH = (ResultFormat.TURTLE, ResultFormat.NTRIPLES, ResultFormat.JSONLD, ResultFormat.RDFXML)

MEDIA_TYPES: dict[ResultFormat, str] = {
    ResultFormat.JSON: "application/sparql-results+json",
    ResultFormat.XML: "application/sparql-results+xml",
    ResultFormat.CSV: "text/csv",
    ResultFormat.TSV: "text/tab-separated-values",
    ResultFormat.TURTLE: "text/turtle",
    ResultFormat.NTRIPLES: "application/n-triples",
    ResultFormat.JSONLD: "application/ld+json",
    ResultFormat.RDFXML: "application/rdf+xml",
}

# Media types and ``format=`` names clients use, SPARQLWrapper's among them.
_NAMES: dict[str, ResultFormat] = {
    **{media: fmt for fmt, media in MEDIA_TYPES.items()},
    **{fmt.value: fmt for fmt in (*TABULAR, *GRAPH)},
    "application/json": ResultFormat.JSON,
    "text/javascript": ResultFormat.JSON,
    "application/javascript": ResultFormat.JSON,
    "application/xml": ResultFormat.XML,
    "text/xml": ResultFormat.XML,
    "application/sparql-results+csv": ResultFormat.CSV,
    "application/turtle": ResultFormat.TURTLE,
    "application/x-turtle": ResultFormat.TURTLE,
    "text/n3": ResultFormat.TURTLE,
    "text/rdf+n3": ResultFormat.TURTLE,
    "application/n3": ResultFormat.TURTLE,
    "text/plain": ResultFormat.NTRIPLES,
    "application/x-json+ld": ResultFormat.JSONLD,
    "ttl": ResultFormat.TURTLE,
    "n3": ResultFormat.TURTLE,
    "nt": ResultFormat.NTRIPLES,
    "n-triples": ResultFormat.NTRIPLES,
    "json-ld": ResultFormat.JSONLD,
    "rdf": ResultFormat.RDFXML,
    "rdf+xml": ResultFormat.RDFXML,
}

# A client asking for JSON or XML and receiving a graph gets the graph in JSON-LD or RDF/XML.
_GRAPH_OF: dict[ResultFormat, ResultFormat] = {
    ResultFormat.JSON: ResultFormat.JSONLD,
    ResultFormat.XML: ResultFormat.RDFXML,
}
_TABULAR_OF: dict[ResultFormat, ResultFormat] = {v: k for k, v in _GRAPH_OF.items()}

RESULTS_FORMATS: dict[ResultFormat, ox.QueryResultsFormat] = {
    ResultFormat.JSON: ox.QueryResultsFormat.JSON,
    ResultFormat.XML: ox.QueryResultsFormat.XML,
    ResultFormat.CSV: ox.QueryResultsFormat.CSV,
    ResultFormat.TSV: ox.QueryResultsFormat.TSV,
}
RDF_FORMATS: dict[ResultFormat, ox.RdfFormat] = {
    ResultFormat.TURTLE: ox.RdfFormat.TURTLE,
    ResultFormat.NTRIPLES: ox.RdfFormat.N_TRIPLES,
    ResultFormat.JSONLD: ox.RdfFormat.JSON_LD,
    ResultFormat.RDFXML: ox.RdfFormat.RDF_XML,
}


class UnknownFormat(ValueError):
    """A ``format=`` parameter names no format the endpoint writes."""


def format_named(name: str) -> ResultFormat:
    """The format a ``format=`` parameter names (a short name or a media type)."""
    found = _NAMES.get(name.strip().lower())
    if found is None:
        known = ", ".join(f.value for f in (*TABULAR, *GRAPH))
        raise UnknownFormat(f"unknown format {name!r}; give one of {known} or a media type")
    return found


def preferences(accept: str) -> tuple[str, ...]:
    """Media ranges of an ``Accept`` header, most preferred first (q=0 left out)."""
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate(accept.split(",")):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        quality = 1.0
        for parameter in fields[1:]:
            key, _, value = parameter.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if quality > 0:
            ranked.append((-quality, position, media))
    return tuple(media for _, _, media in sorted(ranked))


def choose(wanted: tuple[str, ...], *, graph: bool) -> ResultFormat:
    """The first of ``wanted`` (media ranges or format names) fitting the kind of result.

    Wildcards take the default (JSON for tables, Turtle for graphs), and so does
    a request naming nothing the endpoint writes: a client always gets an answer.
    """
    fitting = GRAPH if graph else TABULAR
    for media in wanted:
        if media in ("*/*", "*") or media.endswith("/*"):
            major = media.split("/")[0]
            for fmt in fitting:
                if major in ("*", "") or MEDIA_TYPES[fmt].startswith(major + "/"):
                    return fmt
            continue
        named = _NAMES.get(media)
        if named is None:
            continue
        named = _GRAPH_OF.get(named, named) if graph else _TABULAR_OF.get(named, named)
        if named in fitting:
            return named
    return fitting[0]


@dataclass(frozen=True)
class Written:
    """A query's result, written out."""

    fmt: ResultFormat
    body: bytes
    rows: int
    truncated: bool

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES[self.fmt]


def write(
    result: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples,
    wanted: tuple[str, ...],
    max_rows: int,
) -> Written:
    """Write ``result`` in the first fitting format of ``wanted``, at most ``max_rows`` rows."""
    if isinstance(result, ox.QueryBoolean):
        fmt = choose(wanted, graph=False)
        return Written(fmt, _bytes(result.serialize(format=RESULTS_FORMATS[fmt])), 1, False)
    if isinstance(result, ox.QueryTriples):
        fmt = choose(wanted, graph=True)
        triples: list[ox.Triple] = []
        truncated = False
        for triple in result:
            if len(triples) == max_rows:
                truncated = True
                break
            triples.append(triple)
        prefixes = QUERY_PREFIXES if fmt is ResultFormat.TURTLE else None
        body = ox.serialize(triples, format=RDF_FORMATS[fmt], prefixes=prefixes)
        return Written(fmt, _bytes(body), len(triples), truncated)
    fmt = choose(wanted, graph=False)
    # pyoxigraph writes the rows as SPARQL TSV (terms in N-Triples syntax:
    # lossless, one line per row) with no Python work per row; the writer stops
    # it one row past the cap. Another format is then written from that table.
    capped = _CappedTable(max_rows)
    with contextlib.suppress(_TableFull):
        result.serialize(capped, format=ox.QueryResultsFormat.TSV)
    table, rows, truncated = capped.table()
    if fmt is ResultFormat.TSV:
        return Written(fmt, table, rows, truncated)
    parsed = ox.parse_query_results(table, format=ox.QueryResultsFormat.TSV)
    assert isinstance(parsed, ox.QuerySolutions)
    return Written(fmt, _bytes(parsed.serialize(format=RESULTS_FORMATS[fmt])), rows, truncated)


class _TableFull(Exception):
    """Raised by ``_CappedTable.write`` to stop pyoxigraph once a row past the cap is written."""


class _CappedTable(io.BytesIO):
    """A binary stream for ``QuerySolutions.serialize`` keeping a TSV table's header and
    first ``max_rows`` rows; writing stops (``_TableFull``) once a row past them arrives."""

    def __init__(self, max_rows: int) -> None:
        super().__init__()
        self.max_rows = max_rows
        self._lines = 0

    def write(self, chunk: ReadableBuffer, /) -> int:
        written = super().write(chunk)
        self._lines += memoryview(chunk).tobytes().count(b"\n")
        if self._lines > self.max_rows + 1:  # the header, the rows, and one more
            raise _TableFull
        return written

    def table(self) -> tuple[bytes, int, bool]:
        """The table (header and at most ``max_rows`` rows), its row count, and whether
        rows were left out."""
        data = self.getvalue()
        lines = data.count(b"\n")
        if lines <= self.max_rows + 1:
            return data, max(lines - 1, 0), False
        end = -1
        for _ in range(self.max_rows + 1):
            end = data.index(b"\n", end + 1)
        return data[: end + 1], self.max_rows, True


def _bytes(written: bytes | None) -> bytes:
    # pyoxigraph returns bytes whenever no output file is given.
    assert written is not None
    return written
