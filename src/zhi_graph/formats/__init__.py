"""Readers for each input format: file bytes -> ``ExtractedText``.

One module per format; each reader takes the file's bytes and its path (for
messages) and returns the text the rest of the pipeline reads, its media
type, the encoding it was decoded with and, for paged formats, where each
page starts. ``zhi_graph.load`` picks the reader by the file's suffix.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from typing import cast

from ..model import ExtractedText

Reader = Callable[[bytes, Path], ExtractedText]

# Suffix -> the module and function reading it.  A reader's module, and the library
# behind it (python-docx, the PDF readers), is imported when a file of its kind is
# first read: most builds read none, and importing them all cost every command
# (a no-change rebuild among them) a tenth of a second.
_READERS: dict[str, tuple[str, str]] = {
    ".txt": ("plain", "read_text"),
    ".md": ("plain", "read_markdown"),
    ".pdf": ("pdf", "read"),
    ".docx": ("word", "read"),
    ".html": ("html", "read"),
    ".htm": ("html", "read"),
}

SUPPORTED_SUFFIXES = frozenset(_READERS)


def reader_for(suffix: str) -> Reader:
    """The reader of files with ``suffix`` (lower case); plain text for any other."""
    module, function = _READERS.get(suffix, _READERS[".txt"])
    return cast(Reader, getattr(importlib.import_module(f"{__name__}.{module}"), function))


__all__ = ["SUPPORTED_SUFFIXES", "Reader", "reader_for"]
