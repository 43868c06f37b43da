"""The formats a SPARQL result can be written in, by ``zhi-graph query``
(``sparql.serialize_results``) and by the endpoint (``results.write``).

Apart from ``sparql`` and ``results``, which import pyoxigraph and the store:
the command line names these formats in its options, and every command would
otherwise pay for those imports, a build of unchanged files too.
"""

from __future__ import annotations

from enum import StrEnum


class ResultFormat(StrEnum):
    """Every format a result can be written in; ``table`` is for terminals only."""

    TABLE = "table"
    JSON = "json"
    XML = "xml"
    CSV = "csv"
    TSV = "tsv"
    TURTLE = "turtle"
    NTRIPLES = "ntriples"
    JSONLD = "jsonld"
    RDFXML = "rdfxml"
