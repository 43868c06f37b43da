"""Word files (.docx): the body's paragraphs and tables in document order.

python-docx opens the package and finds the main document part; the body is
then walked here, because its own ``iter_inner_content`` and
``Paragraph.text`` skip content controls (``w:sdt``) and tracked insertions
(``w:ins``), which official documents do contain. Each paragraph becomes a
line; each table row a line whose cells are separated by tabs (the way
``text.normalize`` reads table rows), row by row, so that an award list set as
a table reads like one written out. Headers, footers, footnotes, comments,
text boxes and deleted text are left out. Word files have no fixed pages, so
there is no page provenance.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
from docx.oxml.ns import qn
from lxml import etree

from ..errors import InputError
from ..model import ExtractedText
from . import lines

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

_P, _TBL, _SDT, _SDT_CONTENT = qn("w:p"), qn("w:tbl"), qn("w:sdt"), qn("w:sdtContent")
_TR, _TC = qn("w:tr"), qn("w:tc")
# Inline content with text, in document order; text boxes (w:txbxContent, and
# their duplicate in mc:Fallback) and deleted or moved-away runs are skipped.
_INLINE = etree.XPath(
    ".//*[self::w:t or self::w:tab or self::w:br or self::w:cr or self::w:noBreakHyphen]"
    "[not(ancestor::w:txbxContent) and not(ancestor::mc:Fallback)"
    " and not(ancestor::w:del) and not(ancestor::w:moveFrom)]",
    namespaces={
        "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
        "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    },
)
_T, _TAB, _NO_BREAK_HYPHEN = qn("w:t"), qn("w:tab"), qn("w:noBreakHyphen")


def read(data: bytes, path: Path) -> ExtractedText:
    """DOCX bytes -> the text of its body, a paragraph or a table row a line."""
    try:
        body = docx.Document(io.BytesIO(data)).element.body
    except Exception as exc:  # zipfile, lxml, python-docx: each raises its own
        raise InputError(
            f"cannot open the Word file ({type(exc).__name__}: {exc}); it is damaged or not a "
            ".docx (an old .doc renamed?): open it in Word or LibreOffice and save it as .docx",
            path,
        ) from exc
    text = "\n".join(line for line in _blocks(body) if line.strip())
    if not text:
        raise InputError("the Word file contains no text; give a document with text", path)
    return ExtractedText(text=text + "\n", media_type=MEDIA_TYPE)


def _blocks(container: Any) -> Iterator[str]:
    """The lines of a body, cell or content control: paragraphs and table rows."""
    for child in container.iterchildren():
        if child.tag == _P:
            yield _paragraph(child)
        elif child.tag == _TBL:
            yield from _rows(child)
        elif child.tag == _SDT:
            for content in child.iterchildren(_SDT_CONTENT):
                yield from _blocks(content)


def _rows(table: Any) -> Iterator[str]:
    for row in table.iter(_TR):
        if _owner_table(row) is not table:
            continue  # a row of a table nested in a cell: read with its cell
        cells = [_cell(cell) for cell in row.iter(_TC) if _owner_table(cell) is table]
        yield "\t".join(cell for cell in cells if cell)


def _cell(cell: Any) -> str:
    """A cell's paragraphs (and nested tables) as one run of text: a row stays a line."""
    pieces = [piece.strip() for block in _blocks(cell) for piece in block.split("\n")]
    return lines.join_all([piece.replace("\t", " ") for piece in pieces if piece])


def _owner_table(element: Any) -> Any:
    parent = element.getparent()
    while parent is not None and parent.tag != _TBL:
        parent = parent.getparent()
    return parent


def _paragraph(paragraph: Any) -> str:
    parts: list[str] = []
    for item in _INLINE(paragraph):
        if item.tag == _T:
            parts.append(item.text or "")
        elif item.tag == _TAB:
            parts.append("\t")
        elif item.tag == _NO_BREAK_HYPHEN:
            parts.append("-")
        else:  # w:br, w:cr: a line break inside the paragraph
            parts.append("\n")
    return "".join(parts)
