"""``zhi-graph export``: a build (its ``graph.trig``) or a graph file, written in another format.

Formats: the RDF syntaxes of ``graphfile.Syntax``; GraphML and GEXF for
network tools (``network.py``); CSV tables for spreadsheets (``tables.py``,
a folder of three files).  Every file is written next to its destination and
renamed into place, so a failure leaves no partial file.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from .errors import InputError, OutputError


class ExportFormat(StrEnum):
    TTL = "ttl"
    TRIG = "trig"
    NQUADS = "nquads"
    NT = "nt"
    JSONLD = "jsonld"
    XML = "xml"
    GRAPHML = "graphml"
    GEXF = "gexf"
    CSV = "csv"

    @classmethod
    def named(cls, name: str) -> ExportFormat:
        """The format called ``name`` (any case), or an InputError listing them."""
        try:
            return cls(name.strip().lower())
        except ValueError:
            names = ", ".join(f.value for f in cls)
            raise InputError(f"unknown format {name!r}; choose one of {names}") from None

    @property
    def suffix(self) -> str:
        """The file suffix of the format ('' for csv, which writes a folder)."""
        return {ExportFormat.NQUADS: ".nq", ExportFormat.XML: ".rdf", ExportFormat.CSV: ""}.get(
            self, f".{self.value}"
        )


@dataclass(frozen=True, slots=True)
class ExportReport:
    source: Path  # the file read
    quads: int
    files: list[Path]


def export(source: Path, fmt: ExportFormat | str, destination: Path) -> ExportReport:
    """Read a build folder or graph file and write it as ``fmt`` to ``destination``

    (a file; for csv, a folder that receives entities.csv, relations.csv and awards.csv).
    ``fmt`` may be given by its name ("jsonld"), as in a notebook.
    """
    if not isinstance(fmt, ExportFormat):
        fmt = ExportFormat.named(fmt)
    # Imported here: the command line reads ExportFormat when it starts, for every
    # command.  The tables (rdflib's terms) only for the formats made of them.
    from . import graphfile
    from .atomicfiles import atomic_write
    from .graphfile import Syntax

    read_from = graphfile.graph_source(source)
    quads = graphfile.read_quads(source)
    if fmt is ExportFormat.CSV:
        from .tables import GraphTables, write_csv

        if destination.exists() and not destination.is_dir():
            raise OutputError(
                "exists and is not a folder; csv writes a folder of tables", destination
            )
        files = write_csv(GraphTables(graphfile.store_of(quads)), destination)
        return ExportReport(read_from, len(quads), files)
    if destination.is_dir():
        raise OutputError(f"is a folder; give a file name such as graph{fmt.suffix}", destination)
    if fmt in (ExportFormat.GRAPHML, ExportFormat.GEXF):
        from .network import NetworkFormat, network, network_bytes  # networkx: only here
        from .tables import GraphTables

        data = network_bytes(
            network(GraphTables(graphfile.store_of(quads))), NetworkFormat(fmt.value)
        )
    else:
        data = graphfile.serialize(quads, Syntax(fmt.value))
    try:
        destination.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(destination, data)
    except OSError as exc:
        raise OutputError(
            f"cannot write the export ({exc.strerror}); give a writable location", destination
        ) from exc
    return ExportReport(read_from, len(quads), [destination])
