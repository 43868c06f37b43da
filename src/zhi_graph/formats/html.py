"""HTML pages (.html, .htm): the visible text, a block a line.

Python's own ``html.parser`` is enough here: it tolerates the tag soup of
real pages, decodes character references, and needs no dependency. Text in
``<head>``, scripts, styles, navigation, asides, footers, form controls and
hidden elements is left out; block elements (p, div, h1–h6, li, tr…) and
``<br>`` end a line; table cells are separated by tabs; white space collapses
as a browser collapses it, and a line break in the source between two
Chinese characters disappears (CSS Text 3, segment break transformation).
The bytes are decoded by their byte-order mark, else the charset the page
declares, else as UTF-8 or GB18030 like a text file.
"""

from __future__ import annotations

import codecs
import re
from html.parser import HTMLParser
from pathlib import Path

from ..errors import InputError
from ..model import ExtractedText
from . import plain

MEDIA_TYPE = "text/html"

# Elements whose content is not the page's text.
_SKIPPED = frozenset(
    {
        "head", "script", "style", "noscript", "template", "nav", "aside", "footer",
        "select", "button", "textarea", "svg", "math", "canvas", "iframe", "object",
        "embed", "audio", "video", "map",
    }
)  # fmt: skip
_SKIPPED_ROLES = frozenset({"navigation", "contentinfo", "search", "menu", "menubar"})
_VOID = frozenset(
    {
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
        "param", "source", "track", "wbr",
    }
)  # fmt: skip
_BLOCK = frozenset(
    {
        "address", "article", "blockquote", "body", "caption", "center", "dd", "details",
        "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure", "form", "h1",
        "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "html", "legend", "li",
        "main", "ol", "p", "pre", "section", "summary", "table", "tbody", "tfoot",
        "thead", "title", "tr", "ul",
    }
)  # fmt: skip
_CELLS = frozenset({"td", "th"})
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)

# Placeholders while a line is built: a cell boundary, and a block boundary
# inside a cell (which must not end the table row's line).
_CELL = "\ue000"
_SOFT_BREAK = "\n"
_WHITE = re.compile(r"[ \t\n\r\f\u00a0]+")
_AROUND_CELL = re.compile(rf"[ \t]*{_CELL}[ \t]*")
_WIDE = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef\u201c\u201d]")

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_DECLARED = re.compile(
    rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)"""
    rb"""|^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""",
    re.IGNORECASE,
)
# Labels whose pages are written in a superset in practice (the WHATWG
# Encoding Standard decodes gb2312 and gbk as GBK, which GB18030 extends).
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "big5": "big5hkscs"}


def read(data: bytes, path: Path) -> ExtractedText:
    """HTML bytes -> its visible text, a block a line."""
    markup, encoding = decode(data, path)
    parser = _TextParser()
    parser.feed(markup)
    parser.close()
    text = "\n".join(line for line in parser.lines() if line)
    if not text:
        raise InputError("the HTML page shows no text; give a page with text", path)
    return ExtractedText(text=text + "\n", media_type=MEDIA_TYPE, encoding=encoding)


def decode(data: bytes, path: Path) -> tuple[str, str]:
    """The page's characters: by byte-order mark, declared charset, or as a text file."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace").lstrip("\ufeff"), encoding
    declared = _DECLARED.search(data[:4096])
    if declared:
        label = (declared.group(1) or declared.group(2)).decode("ascii").lower()
        try:
            encoding = codecs.lookup(_SUPERSETS.get(label, label)).name
            text = data.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            pass  # an unknown or wrong declaration: detect as for a text file
        else:
            if plain.looks_like_text(text):
                return text, encoding
    return plain.decode(data, path)


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self._lines: list[str] = []
        self._line: list[str] = []
        self._skipping: list[str] = []  # open elements whose content is skipped
        self._pre = 0
        self._cells = 0  # open table cells
        self._cells_in_row = 0

    def lines(self) -> list[str]:
        self._end_line()
        return self._lines

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._skipping or tag in _SKIPPED or _hidden(attrs):
            if tag not in _VOID:
                self._skipping.append(tag)
            return
        if tag == "br":
            self._break()
        elif tag in _CELLS:
            if self._cells == 0:
                if self._cells_in_row:
                    self._line.append(_CELL)
                self._cells_in_row += 1
            self._cells += 1
        elif tag in _BLOCK:
            if tag == "tr" and self._cells == 0:
                self._cells_in_row = 0
            self._break()
            if tag == "pre":
                self._pre += 1

    def handle_endtag(self, tag: str) -> None:
        if self._skipping:
            if tag in self._skipping:
                while self._skipping.pop() != tag:
                    pass
            return
        if tag in _CELLS:
            self._cells = max(0, self._cells - 1)
        elif tag in _BLOCK:
            self._break()
            if tag == "pre":
                self._pre = max(0, self._pre - 1)
            if tag == "tr" and self._cells == 0:
                self._cells_in_row = 0

    def handle_data(self, data: str) -> None:
        if self._skipping:
            return
        if self._pre:
            head, *rest = data.split("\n")
            self._line.append(head.replace(" ", "\u00a0"))  # kept by _collapse
            for line in rest:
                self._end_line()
                self._line.append(line.replace(" ", "\u00a0"))
            return
        self._line.append(data)

    def _break(self) -> None:
        if self._cells:
            self._line.append(_SOFT_BREAK)  # inside a table cell: the row stays one line
        else:
            self._end_line()

    def _end_line(self) -> None:
        line = _collapse("".join(self._line))
        self._line = []
        if line:
            self._lines.append(line)


def _hidden(attrs: list[tuple[str, str | None]]) -> bool:
    for name, value in attrs:
        if name == "hidden" or (name == "aria-hidden" and value == "true"):
            return True
        if name == "style" and value and _HIDDEN_STYLE.search(value):
            return True
        if name == "role" and value in _SKIPPED_ROLES:
            return True
    return False


def _collapse(line: str) -> str:
    """White space as a browser shows it: one space, none at the ends or between CJK."""

    def space(m: re.Match[str]) -> str:
        run = m.group()
        if "\n" in run:
            before = line[m.start() - 1] if m.start() else ""
            after = line[m.end()] if m.end() < len(line) else ""
            if _WIDE.match(before) and _WIDE.match(after):
                return ""
        return " " if "\u00a0" not in run else run.replace("\n", " ")

    collapsed = _WHITE.sub(space, line)
    return _AROUND_CELL.sub("\t", collapsed).strip(" \t\u00a0\u3000").replace("\u00a0", " ")
