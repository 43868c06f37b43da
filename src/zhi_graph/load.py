"""Read source files into ``Document`` records: path -> Document."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from pathlib import Path

from .errors import InputError
from .model import Document

SUPPORTED_SUFFIXES = frozenset({".txt", ".md"})

# Tried in order: strict UTF-8 first (with or without BOM), then the GB family,
# whose superset GB18030 also decodes GBK and GB2312 files.
_ENCODINGS = ("utf-8-sig", "gb18030")


def discover(paths: Iterable[Path]) -> list[Path]:
    """Expand files and folders into a sorted, de-duplicated list of source files."""
    found: set[Path] = set()
    for path in paths:
        if not path.exists():
            raise InputError("no such file or folder; check the path", path)
        if path.is_dir():
            found.update(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES
            )
        elif path.suffix.lower() in SUPPORTED_SUFFIXES:
            found.add(path)
        else:
            raise InputError(
                f"unsupported file type {path.suffix or '(none)'}; give .txt or .md files", path
            )
    if not found:
        joined = ", ".join(str(p) for p in paths)
        raise InputError(f"no .txt or .md documents found in {joined}")
    return sorted(found)


def decode(data: bytes, path: Path) -> tuple[str, str]:
    """Decode bytes as UTF-8 or GB18030; refuse binary and undecodable data."""
    if not data.strip():
        raise InputError("the file is empty; give a document with text", path)
    if b"\x00" in data[:4096]:
        raise InputError("looks like a binary file, not text; give a .txt or .md document", path)
    for encoding in _ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _looks_like_text(text):
            return text, encoding
    raise InputError(
        "cannot decode the bytes as UTF-8 or GB18030/GBK; convert the file to UTF-8", path
    )


def _looks_like_text(text: str) -> bool:
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t\f")
    return controls <= max(2, len(text) // 100)


def load(path: Path) -> Document:
    """Read one file into a Document, with its content hash and detected encoding."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read the file ({exc.strerror})", path) from exc
    return load_bytes(path, data)


def load_bytes(path: Path, data: bytes) -> Document:
    """A Document from a file's bytes, read elsewhere (by a build's main process)."""
    text, encoding = decode(data, path)
    return Document(
        path=path, text=text, sha256=hashlib.sha256(data).hexdigest(), encoding=encoding
    )


def load_all(paths: Iterable[Path]) -> Iterator[Document]:
    for path in discover(paths):
        yield load(path)
