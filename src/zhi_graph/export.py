"""Write a built dataset to disk: graph.ttl (the union) and graph.trig (a graph per document).

Files are written next to their destination and renamed into place, so an
interrupted or failed build leaves the previous output intact and no partial
file behind.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from rdflib import Dataset

from .errors import OutputError
from .rdf.build import union_graph


def _atomic_write(path: Path, data: bytes) -> None:
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_graph(dataset: Dataset, out: Path) -> list[Path]:
    """Serialise ``dataset`` into the folder ``out``; return the files written."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        turtle = union_graph(dataset).serialize(format="turtle", encoding="utf-8")
        trig = dataset.serialize(format="trig", encoding="utf-8")
        written = []
        for name, data in (("graph.ttl", turtle), ("graph.trig", trig)):
            _atomic_write(out / name, data)
            written.append(out / name)
        return written
    except OSError as exc:
        raise OutputError(
            f"cannot write the graph ({exc.strerror}); check the folder", out
        ) from exc
