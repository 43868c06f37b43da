"""Readers for each input format: file bytes -> ``ExtractedText``.

One module per format; each reader takes the file's bytes and its path (for
messages) and returns the text the rest of the pipeline reads, its media
type, the encoding it was decoded with and, for paged formats, where each
page starts. ``zhi_graph.load`` picks the reader by the file's suffix.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..model import ExtractedText
from . import html, pdf, plain, word

Reader = Callable[[bytes, Path], ExtractedText]

READERS: dict[str, Reader] = {
    ".txt": plain.read_text,
    ".md": plain.read_markdown,
    ".pdf": pdf.read,
    ".docx": word.read,
    ".html": html.read,
    ".htm": html.read,
}

SUPPORTED_SUFFIXES = frozenset(READERS)

__all__ = ["READERS", "SUPPORTED_SUFFIXES", "Reader"]
