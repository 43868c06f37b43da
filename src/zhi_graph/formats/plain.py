"""Plain-text files (.txt, .md): decoded as UTF-8 or GB18030, offsets as in the file."""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError
from ..model import ExtractedText

# Tried in order: strict UTF-8 first (with or without BOM), then the GB family,
# whose superset GB18030 also decodes GBK and GB2312 files.
ENCODINGS = ("utf-8-sig", "gb18030")


def decode(data: bytes, path: Path) -> tuple[str, str]:
    """Decode bytes as UTF-8 or GB18030; refuse binary and undecodable data."""
    if not data.strip():
        raise InputError("the file is empty; give a document with text", path)
    if b"\x00" in data[:4096]:
        raise InputError("looks like a binary file, not text; give a .txt or .md document", path)
    for encoding in ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if looks_like_text(text):
            return text, encoding
    raise InputError(
        "cannot decode the bytes as UTF-8 or GB18030/GBK; convert the file to UTF-8", path
    )


def looks_like_text(text: str) -> bool:
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t\f")
    return controls <= max(2, len(text) // 100)


def read_text(data: bytes, path: Path) -> ExtractedText:
    text, encoding = decode(data, path)
    return ExtractedText(text=text, media_type="text/plain", encoding=encoding)


def read_markdown(data: bytes, path: Path) -> ExtractedText:
    text, encoding = decode(data, path)
    return ExtractedText(text=text, media_type="text/markdown", encoding=encoding)
