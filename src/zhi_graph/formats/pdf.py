"""PDF files: the text layer in reading order, with the layout undone.

pdfminer.six lays each page out (characters into lines, lines into boxes,
boxes into reading order) and reads CJK fonts through their CMaps. This
module takes its text lines, with their boxes, and

* drops the outermost lines of each page that are page numbers ("- 3 -",
  "第3页", "3/12", a bare number) or that repeat, digits aside, on most pages
  (running headers and footers, on odd and even pages alike);
* joins the lines of a paragraph, within a page and across page and column
  breaks: a line break stays only where the next line is indented, the line
  before stops short of its column's right margin, or a wider gap than
  between lines separates them (``lines.join``: no space between Chinese
  characters, hyphenated Latin words rejoined);
* replaces the stand-in characters some producers' text maps give (the
  Kangxi radical ⽅ for 方: ``stand_ins``) and drops the spaces pdfminer
  guesses between Chinese characters of a justified line;
* records where each page starts in the text, for page provenance.

Pages in two columns are read column by column: pdfminer's line building is
told to stop at gaps wider than one character (``char_margin``), which keeps
the columns apart even where the gutter is narrow.

A PDF without a text layer (a scan) or whose fonts have no Unicode map is
refused with a message saying so: zhi-graph does not run OCR.
"""

from __future__ import annotations

import io
import logging
import re
import statistics
import unicodedata
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path

from pdfminer.high_level import extract_pages
from pdfminer.layout import (
    LAParams,
    LTAnno,
    LTFigure,
    LTImage,
    LTItem,
    LTPage,
    LTTextContainer,
    LTTextLine,
)
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfexceptions import PDFException
from pdfminer.psexceptions import PSException

from ..errors import InputError, ResourceError
from ..model import ExtractedText
from ..resources import package_root
from ..text import patterns
from . import lines

MEDIA_TYPE = "application/pdf"

# How many lines at the top and at the bottom of a page may be furniture.
_EDGE_LINES = 3
_SP = r"[ \t\u3000]*"
_DASH = "[-—–－―~～·•]"
PAGE_NUMBER = re.compile(
    rf"^{_SP}(?:"
    rf"{_DASH}*{_SP}\d{{1,4}}{_SP}{_DASH}*"  # 3, - 3 -, — 12 —, ·3·
    rf"|第{_SP}\d{{1,4}}{_SP}页(?:{_SP}[,，/]?{_SP}共{_SP}\d{{1,4}}{_SP}页)?"  # 第3页, 第3页 共12页
    rf"|共{_SP}\d{{1,4}}{_SP}页{_SP}[,，]?{_SP}第{_SP}\d{{1,4}}{_SP}页"  # 共12页 第3页
    rf"|\d{{1,4}}{_SP}/{_SP}\d{{1,4}}"  # 3/12
    rf"|(?:page|p\.){_SP}\d{{1,4}}(?:{_SP}(?:of|/){_SP}\d{{1,4}})?"  # Page 3 of 12
    rf"|[ivxlc]{{1,6}}"  # roman numerals of front matter
    rf"){_SP}$",
    re.IGNORECASE,
)
_DIGITS = re.compile(r"\d+")
_SPACE = re.compile(r"\s+")
_UNMAPPED_GLYPH = re.compile(r"\(cid:\d+\)")
_CJK = re.compile(f"[{patterns.CJK}\u3000-\u303f\uff00-\uffef]")


@dataclass(frozen=True, slots=True)
class Line:
    """One text line of a page, with its box in PDF units (y grows upwards)."""

    page: int
    text: str
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def height(self) -> float:
        return self.y1 - self.y0


@dataclass(frozen=True, slots=True)
class Page:
    lines: tuple[Line, ...]
    width: float
    has_images: bool


def read(data: bytes, path: Path) -> ExtractedText:
    """PDF bytes -> the text of its pages, repaired, and where each page starts."""
    pages = layout(data, path)
    if not any(line.text.strip() for page in pages for line in page.lines):
        if any(page.has_images for page in pages):
            raise InputError(
                f"the PDF has no text layer: its {len(pages)} page(s) are images, as in a "
                "scan; zhi-graph does not run OCR, so run OCR first (e.g. ocrmypdf) or give "
                "the document as text",
                path,
            )
        raise InputError("the PDF contains no text; give a document with text", path)
    text, starts = assemble(strip_furniture(pages))
    unmapped = sum(len(m.group()) for m in _UNMAPPED_GLYPH.finditer(text))
    if unmapped > len(text) // 5:
        raise InputError(
            "the PDF's fonts do not say which characters their glyphs are (text comes out "
            "as (cid:…) codes); export the PDF again with embedded Unicode fonts, or run OCR",
            path,
        )
    return ExtractedText(text=text, media_type=MEDIA_TYPE, pages=starts)


def layout(data: bytes, path: Path) -> list[Page]:
    """pdfminer's text lines of every page, in its reading order."""
    # all_texts: text drawn inside form XObjects (figures) is laid out too.
    laid_out = extract_pages(
        io.BytesIO(data), laparams=LAParams(all_texts=True, char_margin=1.0, line_margin=0.8)
    )
    pages: list[Page] = []
    while True:
        try:
            with _quiet_pdfminer():
                page = next(laid_out)
        except StopIteration:
            return pages
        except PDFPasswordIncorrect as exc:
            raise InputError(
                "the PDF is encrypted with a password; save a copy without the password", path
            ) from exc
        except PDFEncryptionError as exc:
            raise InputError(
                f"the PDF's encryption cannot be read ({exc}); save a copy without encryption",
                path,
            ) from exc
        except (PDFException, PSException) as exc:
            raise InputError(
                f"the PDF is damaged or not a PDF ({type(exc).__name__}: {exc}); open it in a "
                "PDF reader and save or print it to a new PDF",
                path,
            ) from exc
        except Exception as exc:  # pdfminer lets plain errors escape on broken files
            raise InputError(
                f"the PDF cannot be parsed ({type(exc).__name__}: {exc}); it is probably "
                "damaged: open it in a PDF reader and save or print it to a new PDF",
                path,
            ) from exc
        pages.append(_page(len(pages) + 1, page))


@contextmanager
def _quiet_pdfminer() -> Iterator[None]:
    """Keep pdfminer's warnings about odd but readable files (font boxes…) off the console."""
    logger = logging.getLogger("pdfminer")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def _page(number: int, page: LTPage) -> Page:
    found: list[Line] = []
    images = False
    for item in _walk(page):
        if isinstance(item, LTImage):
            images = True
        elif isinstance(item, LTTextLine):
            text = _line_text(item).strip()
            if text:
                found.append(Line(number, text, item.x0, item.y0, item.x1, item.y1))
    return Page(tuple(found), page.width, images)


def _line_text(line: LTTextLine) -> str:
    """The line's characters, stand-ins replaced (``stand_ins``), no guessed spaces in Chinese.

    pdfminer adds a space (an LTAnno) where two characters stand further apart
    than usual; in justified Chinese that is every gap of a loose line, and
    Chinese needs none, so a guessed space between two CJK characters is left
    out. Spaces the PDF itself draws are kept.
    """
    chars = list(line)
    parts: list[str] = []
    for i, item in enumerate(chars):
        text = item.get_text()
        if isinstance(item, LTAnno) and text == " " and 0 < i < len(chars) - 1:
            before, after = chars[i - 1].get_text(), chars[i + 1].get_text()
            if _CJK.match(before[-1:]) and _CJK.match(after[:1]):
                continue
        parts.append(text)
    return "".join(parts).translate(stand_ins())


@cache
def stand_ins() -> dict[int, str]:
    """Characters a PDF's text map gives for what the document says.

    Some producers (Chromium among them) map each glyph to the lowest code
    point the font draws with it. Fonts draw 方 and the Kangxi radical ⽅ with
    one glyph, so "地方志" comes out as "地⽅志" (``data/text/radicals.tsv``);
    likewise the deprecated 〈 U+2329 for 〈 U+3008 (canonical singletons) and
    the two-em dash ⸺ for ——.
    """
    path = package_root() / "data" / "text" / "radicals.tsv"
    table: dict[int, str] = {0x2E3A: "——", 0x2E3B: "———"}
    for cp in range(0x2000, 0x3000):
        nfc = unicodedata.normalize("NFC", chr(cp))
        if nfc != chr(cp):
            table[cp] = nfc
    try:
        rows = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ResourceError(f"cannot read the radical table ({exc.strerror})", path) from exc
    for row in rows:
        if row and not row.startswith("#"):
            radical, ideograph, *_ = row.split("\t")
            table[ord(radical)] = ideograph
    return table


def _walk(item: LTItem) -> Iterator[LTItem]:
    yield item
    if isinstance(item, LTTextLine):
        return
    if isinstance(item, LTPage | LTFigure | LTTextContainer):
        for child in item:
            yield from _walk(child)


# --- running headers, footers and page numbers ---------------------------------


def _signature(line: Line) -> tuple[str, int]:
    """A line with its numbers masked, and its height on the page in steps of 6 pt.

    "简报 第3期 - 3 -" and "简报 第3期 - 4 -" at the same place agree; a title
    that repeats the running header lower on the first page does not.
    """
    return _SPACE.sub("", _DIGITS.sub("#", line.text)), round((line.y0 + line.y1) / 12)


def _edges(page: Page) -> tuple[list[Line], list[Line]]:
    """The outermost lines of a page: from the top down, and from the bottom up."""
    top = sorted(page.lines, key=lambda line: -line.y1)[:_EDGE_LINES]
    bottom = sorted(page.lines, key=lambda line: line.y0)[:_EDGE_LINES]
    return top, bottom


def strip_furniture(pages: list[Page]) -> list[Page]:
    """Drop page numbers and running headers and footers from the edges of each page.

    A running line repeats at the same place on at least two pages and on half
    of all pages, or of the odd or the even pages (books alternate headers).
    """
    seen: list[set[tuple[str, int]]] = []
    for page in pages:
        top, bottom = _edges(page)
        seen.append({_signature(line) for line in (*top, *bottom)})
    total: Counter[tuple[str, int]] = Counter(s for signatures in seen for s in signatures)
    by_parity: tuple[Counter[tuple[str, int]], ...] = (Counter(), Counter())
    for i, signatures in enumerate(seen):
        by_parity[i % 2].update(signatures)
    sizes = (len(range(0, len(pages), 2)), len(range(1, len(pages), 2)))

    def running(line: Line) -> bool:
        text, height = _signature(line)
        parity = (line.page - 1) % 2
        for key in ((text, height - 1), (text, height), (text, height + 1)):
            if total[key] >= 2 and (
                2 * total[key] >= len(pages) or 2 * by_parity[parity][key] >= sizes[parity]
            ):
                return True
        return False

    def furniture(line: Line) -> bool:
        return bool(PAGE_NUMBER.match(line.text)) or running(line)

    kept: list[Page] = []
    for page in pages:
        top, bottom = _edges(page)
        dropped: set[int] = set()
        for edge in (top, bottom):
            for line in edge:  # from the edge inwards, up to the first line of the body
                if not furniture(line):
                    break
                dropped.add(id(line))
        kept.append(
            Page(tuple(ln for ln in page.lines if id(ln) not in dropped), page.width, False)
        )
    return kept


# --- paragraphs -----------------------------------------------------------------


class Column(StrEnum):
    """Where a line stands: across the page, or in the left or right of two columns."""

    FULL = "full"
    LEFT = "left"
    RIGHT = "right"


@dataclass(frozen=True, slots=True)
class _Metrics:
    """What a body line of this document looks like, per column."""

    size: float  # line height, about one CJK character wide
    gap: float  # usual space between two lines of a paragraph
    left: dict[Column, float]  # where most lines start: the left margin
    right: dict[Column, float]  # where full lines end
    middles: dict[int, float]  # page number -> the page's vertical centre line
    two_columns: frozenset[int]  # pages set in two columns

    def column(self, line: Line) -> Column:
        if line.page not in self.two_columns:
            return Column.FULL
        middle = self.middles[line.page]
        if line.x1 <= middle + self.size:
            return Column.LEFT
        if line.x0 >= middle - self.size:
            return Column.RIGHT
        return Column.FULL


def _two_columns(page: Page, size: float) -> bool:
    """Lines on both sides of the middle, and (almost) none across it."""
    middle = page.width / 2
    left = sum(1 for line in page.lines if line.x1 <= middle + size)
    right = sum(1 for line in page.lines if line.x0 >= middle - size)
    across = len(page.lines) - left - right
    return left >= 3 and right >= 3 and across < min(left, right)


def _metrics(pages: list[Page]) -> _Metrics:
    body = [line for page in pages for line in page.lines]
    size = statistics.median(line.height for line in body)
    gaps = [
        a.y0 - b.y1
        for page in pages
        for a, b in zip(page.lines, page.lines[1:], strict=False)
        if 0 <= a.y0 - b.y1 <= 2 * size
    ]
    middles = {page.lines[0].page: page.width / 2 for page in pages if page.lines}
    two = frozenset(page.lines[0].page for page in pages if page.lines and _two_columns(page, size))
    partial = _Metrics(size, statistics.median(gaps) if gaps else size / 2, {}, {}, middles, two)
    by_column: dict[Column, list[Line]] = {column: [] for column in Column}
    for line in body:
        by_column[partial.column(line)].append(line)
    left: dict[Column, float] = {}
    right: dict[Column, float] = {}
    for column, found in by_column.items():
        found = found or body
        left[column] = Counter(round(line.x0) for line in found).most_common(1)[0][0]
        ends = sorted(line.x1 for line in found)
        right[column] = ends[int(0.9 * (len(ends) - 1))]
    return _Metrics(size, partial.gap, left, right, middles, two)


def _continues(a: Line, b: Line, after_b: Line | None, m: _Metrics) -> bool:
    """Does line ``b`` carry on the paragraph of line ``a`` (the line before it)?

    No when ``a`` stops short of its column's right margin, when ``b`` is
    indented (a first line, or a centred heading) or when more space than
    between the lines of a paragraph lies between them.
    """
    if a.x1 < m.right[m.column(a)] - 2.5 * m.size:
        return False
    same_flow = b.page == a.page and b.y1 <= a.y0 + 0.2 * m.size
    # Where a line of b's paragraph would start: its column's left margin (not for
    # a line starting right of the middle of a one-column page), the lines around b.
    column = m.column(b)
    margins = [line.x0 for line in (after_b,) if line is not None and line.page == b.page]
    if same_flow:
        margins.append(a.x0)
    if column is not Column.FULL or b.x0 < m.middles[b.page]:
        margins.append(m.left[column])
    if margins and b.x0 > min(margins) + 0.8 * m.size:
        return False
    if same_flow:
        return a.y0 - b.y1 <= m.gap + 0.3 * m.size
    return True  # a full line at the foot of a page or column, continued at the top of the next


def assemble(pages: list[Page]) -> tuple[str, tuple[int, ...]]:
    """The text of the pages, a paragraph a line, and the offset where each page starts."""
    body = [line for page in pages for line in page.lines]
    if not body:
        return "", tuple(0 for _ in pages)
    metrics = _metrics(pages)
    paragraphs: list[str] = []
    current = ""
    length = 0  # of the text so far: finished paragraphs, their line breaks, and current
    first_of_page: dict[int, int] = {}
    for i, line in enumerate(body):
        after = body[i + 1] if i + 1 < len(body) else None
        if i and not _continues(body[i - 1], line, after, metrics):
            paragraphs.append(current)
            length += 1
            current = ""
        joined = lines.join(current, line.text)
        length += len(joined) - len(current)
        # The line's text ends the joined paragraph (a joining space or a dropped
        # hyphen comes before it), so it starts len(line.text) before the end.
        first_of_page.setdefault(line.page, length - len(line.text))
        current = joined
    paragraphs.append(current)
    text = "\n".join(paragraphs) + "\n"
    # A page without body text starts where the next page does: it holds nothing.
    starts = [0] * len(pages)
    at = len(text)
    for number in range(len(pages), 0, -1):
        at = first_of_page.get(number, at)
        starts[number - 1] = at
    starts[0] = 0
    return text, tuple(starts)
