"""Read source files into ``Document`` records: path -> Document.

The format is chosen by the file's suffix; ``zhi_graph.formats`` has one
reader per format (plain text, PDF, Word, HTML).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from pathlib import Path

from .errors import InputError
from .formats import SUPPORTED_SUFFIXES, reader_for
from .formats.plain import decode
from .model import Document

__all__ = ["SUPPORTED_SUFFIXES", "decode", "discover", "load", "load_all"]

_NAMES = ", ".join(sorted(SUPPORTED_SUFFIXES))
# Formats people will try, and what to do with them.
_CONVERT = {
    ".doc": "save it as .docx",
    ".wps": "save it as .docx",
    ".rtf": "save it as .docx",
    ".odt": "save it as .docx",
    ".xhtml": "rename it to .html",
    ".ofd": "export it to PDF",
}


def discover(paths: Iterable[Path]) -> list[Path]:
    """Expand files and folders into a sorted, de-duplicated list of source files.

    A folder's files are its documents and those of its subfolders, except the
    output folders of earlier builds (``corpus/out`` built from ``corpus/``):
    their graph.html is a page of the last graph, not a document.
    """
    found: set[Path] = set()
    outputs: dict[Path, bool] = {}  # folder -> is it a build's output folder
    for path in paths:
        if not path.exists():
            raise InputError("no such file or folder; check the path", path)
        if path.is_dir():
            found.update(
                p
                for p in path.rglob("*")
                if p.is_file()
                and p.suffix.lower() in SUPPORTED_SUFFIXES
                and not _in_build_output(p, path, outputs)
            )
        elif path.suffix.lower() in SUPPORTED_SUFFIXES:
            found.add(path)
        else:
            hint = _CONVERT.get(path.suffix.lower(), f"give {_NAMES} files")
            raise InputError(f"unsupported file type {path.suffix or '(none)'}; {hint}", path)
    if not found:
        joined = ", ".join(str(p) for p in paths)
        skipped = " (builds' output folders are not read)" if any(outputs.values()) else ""
        raise InputError(f"no documents ({_NAMES}) found in {joined}{skipped}")
    return sorted(found)


def _in_build_output(path: Path, root: Path, outputs: dict[Path, bool]) -> bool:
    """Is ``path`` a build's output: in an output folder below ``root``, or a page of a
    build into ``root`` itself (whose documents are read, not its graph.html)?"""
    from .cache import CACHE_FOLDER, LOCK_FILE

    for folder in path.parents:
        known = outputs.get(folder)
        if known is None:
            # Every build locks its cache (OUT/.cache/lock) and writes its graphs there.
            known = outputs[folder] = (folder / CACHE_FOLDER / LOCK_FILE).is_file() and any(
                (folder / name).is_file() for name in _BUILD_OUTPUTS
            )
        if folder == root:
            return known and path.parent == root and path.name in _BUILD_OUTPUTS
        if known:
            return True
    return False


# What a build writes next to its cache (``pipeline.OUTPUTS``).
_BUILD_OUTPUTS = ("graph.ttl", "graph.trig", "graph.html")


def load(path: Path) -> Document:
    """Read one file into a Document: its text, content hash, format and pages."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read the file ({exc.strerror})", path) from exc
    return load_bytes(path, data)


def load_bytes(path: Path, data: bytes) -> Document:
    """A Document from a file's bytes, read elsewhere (by a build's main process)."""
    reader = reader_for(path.suffix.lower())
    if not data:
        raise InputError("the file is empty; give a document with text", path)
    extracted = reader(data, path)
    return Document(
        path=path,
        text=extracted.text,
        sha256=hashlib.sha256(data).hexdigest(),
        encoding=extracted.encoding,
        media_type=extracted.media_type,
        pages=extracted.pages,
    )


def load_all(paths: Iterable[Path]) -> Iterator[Document]:
    for path in discover(paths):
        yield load(path)
