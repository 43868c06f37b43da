"""Offset-preserving normalisation of PDF-extracted Chinese text.

Each step finds edits (deletions and one-for-one character replacements) in the
current text; ``_apply`` performs them and carries the map back to the original
file, so every later offset can be turned into an original-file offset.
"""

from __future__ import annotations

import bisect
import dataclasses
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable

from ..model import Document, NormalizedText
from . import patterns
from .layout import join_cell_lines, rebuild_tables, starts_a_name

Edit = tuple[int, int, str]  # replace text[start:end] with a string of length 0 or end-start
Step = Callable[[str], Iterable[Edit]]

# Canonical form: CJK full-width punctuation, half-width Latin letters and digits.
_PUNCT_TO_FULL = {
    "(": "（",
    ")": "）",
    ",": "，",
    ";": "；",
    ":": "：",
    "!": "！",
    "?": "？",
}
_QUOTES = {"「": "“", "」": "”", "『": "‘", "』": "’", "＂": '"', "〔": "〔", "［": "[", "］": "]"}
_TERMINAL = set("。！？：；…!?")
_CONTINUING = set("，、《“（〈—")


def _is_cjk(ch: str) -> bool:
    return bool(patterns.CJK_CHAR.match(ch))


def remove_invisible(text: str) -> Iterable[Edit]:
    """Drop carriage returns, zero-width characters and soft hyphens."""
    for m in patterns.INVISIBLE.finditer(text):
        yield m.start(), m.end(), ""


def unify_width(text: str) -> Iterable[Edit]:
    """Full-width letters and digits to half-width; brackets and marks to full-width."""
    is_table_line = _TableLines(text)
    for found in patterns.WIDTH_CANDIDATE.finditer(text):
        i = found.start()
        ch = text[i]
        code = ord(ch)
        if 0xFF10 <= code <= 0xFF19 or 0xFF21 <= code <= 0xFF3A or 0xFF41 <= code <= 0xFF5A:
            yield i, i + 1, unicodedata.normalize("NFKC", ch)
        elif ch == "\u3000" and _gap_goes(text, i, is_table_line):
            yield i, i + 1, " "
        elif ch in _QUOTES and _QUOTES[ch] != ch:
            yield i, i + 1, _QUOTES[ch]
        elif ch in _PUNCT_TO_FULL and ch not in "()" and _next_to_cjk(text, i):
            yield i, i + 1, _PUNCT_TO_FULL[ch]
    # Brackets change as a pair, so 方志(2023) becomes 方志（2023） and not 方志（2023).
    for m in patterns.HALF_WIDTH_PAIR.finditer(text):
        inside = text[m.start() - 1 : m.end() + 1]
        if patterns.CJK_CHAR.search(inside):
            yield m.start(), m.start() + 1, "（"
            yield m.end() - 1, m.end(), "）"


def _next_to_cjk(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else ""
    after = text[i + 1] if i + 1 < len(text) else ""
    return (bool(before) and _is_cjk(before)) or (bool(after) and _is_cjk(after))


def _gap_goes(text: str, i: int, is_table_line: Callable[[int], bool]) -> bool:
    """Whether the ideographic space at ``i`` goes, as PDF extraction's spaces do.

    One typed between two words parts them (主持：王建国　李明, 年鉴处　冯丽娜) and
    stays, as do a table's columns; but one between two lone characters pads a
    two-character name or a label to a column's width (杨　帆, 时　　间：, 会　议　纪　要),
    and goes on any line.
    """
    start, end = i, i + 1
    while start > 0 and text[start - 1] == "\u3000":
        start -= 1
    while end < len(text) and text[end] == "\u3000":
        end += 1
    if start == 0 or end == len(text) or not (_is_cjk(text[start - 1]) and _is_cjk(text[end])):
        return not is_table_line(i)
    lone_before = start < 2 or not _is_cjk(text[start - 2])
    lone_after = end + 1 >= len(text) or not _is_cjk(text[end + 1])
    return lone_before and lone_after


def drop_page_numbers(text: str) -> Iterable[Edit]:
    """Remove lines that hold only a page number ("— 3 —")."""
    for m in patterns.PAGE_NUMBER_LINE.finditer(text):
        number = m.group().strip()
        if number.isdigit() and (
            _row_before(text, m.start(), int(number)) or _row_after(text, m.end(), int(number))
        ):
            # 8 / 康巴什年鉴… / — 3 — / 9: a row's number after a page break; 序号 / … /
            # 1 / 南京年鉴… / 2: the first row's, the next row's number close below
            continue
        yield m.start(), m.end(), ""


# How far back a bare number's row before it (its number less one) is looked for.
_ROW_REACH = 300


def _row_before(text: str, at: int, number: int) -> bool:
    """Whether a line holding only ``number`` - 1 comes shortly before ``at``: the
    numbers of a table's rows written a cell to a line, not a page's."""
    before = text[max(0, at - _ROW_REACH) : at]
    return re.search(rf"(?m)^[ \t\u3000]*{number - 1}[ \t\u3000]*$", before) is not None


def _row_after(text: str, at: int, number: int) -> bool:
    """Whether a line holding only ``number`` + 1 comes shortly after ``at``."""
    after = text[at : at + _ROW_REACH]
    return re.search(rf"(?m)^[ \t\u3000]*{number + 1}[ \t\u3000]*$", after) is not None


def drop_spaces_in_cjk(text: str) -> Iterable[Edit]:
    """Remove spaces that PDF extraction puts around digits and between CJK characters.

    On a line with two or more runs holding a tab or an ideographic space, the
    runs separate table columns (1　《南京年鉴（2024）》　南京市…): each becomes
    one tab, so the columns stay apart.
    """
    is_table_line = _TableLines(text)
    is_spaced_row = _SpacedRows(text)
    for m in patterns.HORIZONTAL_SPACE_RUN.finditer(text):
        before = text[m.start() - 1] if m.start() > 0 else "\n"
        after = text[m.end()] if m.end() < len(text) else "\n"
        if before == "\n" or after == "\n":
            yield m.start(), m.end(), ""
        elif _second_item(text, m):
            # 4．郝建新（…）        5．田佳慧（…）: a list set two items to a line
            yield m.start(), m.start() + 1, "\n"
            if m.end() > m.start() + 1:
                yield m.start() + 1, m.end(), ""
        elif (
            "\u3000" in m.group()
            or ("\t" in m.group() and is_table_line(m.start()))
            or (is_spaced_row(m.start()) and _parts_cells(text, m.start(), m.end()))
            or _after_row_number(text, m.start(), m.end())
            # 郑国强    辽宁大学教授: a gap wider than any letter-spacing parts two cells
            or (len(m.group()) >= _CELL_GAP and _is_cjkish(before) and _is_cjkish(after))
        ):
            yield m.start(), m.start() + 1, "\t"
            if m.end() > m.start() + 1:
                yield m.start() + 1, m.end(), ""
        elif _is_cjkish(before) or _is_cjkish(after):
            yield m.start(), m.end(), ""


# Spaces between two Han characters that no letter-spacing puts there: a column's gap.
_CELL_GAP = 4

# An item of a numbered list (5．田佳慧): what opens the second of two on one line.
_LIST_ITEM = re.compile(r"\d{1,3}[．.、](?!\d)[\u4e00-\u9fff]")


def _second_item(text: str, gap: re.Match[str]) -> bool:
    """Whether a wide gap parts two items of a numbered list set side by side: the line
    opens with an item and the gap, after the first item's end, opens the next."""
    if len(gap.group()) < 2 or not _LIST_ITEM.match(text, gap.end()):
        return False
    line_start = text.rfind("\n", 0, gap.start()) + 1
    first = _LIST_ITEM.match(text[line_start : gap.start()].lstrip(" \t\u3000"))
    before = text[gap.start() - 1]
    return first is not None and (before in "）)" or _is_cjk(before))


def _is_cjkish(ch: str) -> bool:
    return _is_cjk(ch) or ch in "，。、；：！？（）《》〈〉“”‘’〔〕【】—·…"


class _TableLines:
    """Whether the line holding an offset is a table row (two or more column gaps).

    Each line is looked at once and found by bisection: a file of one huge line
    with many tabs or ideographic spaces would otherwise be scanned from end to
    end for every one of them.
    """

    def __init__(self, text: str) -> None:
        self._text = text
        self._starts: list[int] = []
        self._known: dict[int, bool] = {}

    def __call__(self, offset: int) -> bool:
        if not self._starts:
            self._starts = [0, *(m.end() for m in patterns.NEWLINE.finditer(self._text))]
        i = bisect.bisect_right(self._starts, offset) - 1
        start = self._starts[i]
        if start not in self._known:
            end = self._starts[i + 1] - 1 if i + 1 < len(self._starts) else len(self._text)
            self._known[start] = self._classify(self._text[start:end].strip(" \t\u3000"))
        return self._known[start]

    def _classify(self, line: str) -> bool:
        return len(patterns.COLUMN_GAP.findall(line)) >= 2


class _SpacedRows(_TableLines):
    """Whether the line holding an offset is a table's row whose columns are parted
    by plain spaces (8 邵 启 明 北京市地方志编纂委员会办公室 副主任): a row number
    and at least two words of two or more characters, each between spaces; a header
    row (序号 姓名 单位及职务); or the rest of a row wrapped onto the next line
    (…儋州市地方志办 / 公室 方志出版社 二等奖)."""

    def __call__(self, offset: int) -> bool:
        if super().__call__(offset):
            return True
        i = bisect.bisect_right(self._starts, offset) - 1
        if i == 0 or not super().__call__(self._starts[i - 1]):
            return False
        end = self._starts[i + 1] - 1 if i + 1 < len(self._starts) else len(self._text)
        line = self._text[self._starts[i] : end]
        return not line[:1].isdigit() and len(_SPACED_WORD.findall(line)) >= 2

    def _classify(self, line: str) -> bool:
        if line.startswith(_HEADER_START):
            return True
        start = _SPACED_ROW_START.match(line)
        # (4 月 11 日，2025 年全省…: a date opening a sentence, not a row's number)
        return (
            start is not None
            and line[start.end() - 1] not in _DATE_UNITS
            and len(_SPACED_WORD.findall(line)) >= 2
        )


# A row's number, at most three digits so that a year (2024 年) opens no row.
_SPACED_ROW_START = re.compile(r"\d{1,3} +[\u4e00-\u9fff《“]")
_HEADER_START = ("序号 ", "编号 ")
_SPACED_WORD = re.compile(r"(?<= )[^\s]*[\u4e00-\u9fff]{2}[^\s]*(?= |$)")


def _parts_cells(text: str, start: int, end: int) -> bool:
    """Whether the spaces at ``start:end`` of a spaced row part two cells: after the
    row's number, or between Han characters of which at least one side is a word
    (the spaces inside 邵 启 明, between lone characters, only letter-space a name)."""
    before = text[start - 1]
    after = text[end] if end < len(text) else ""
    if end - start > 1 and text.startswith(_HEADER_START, text.rfind("\n", 0, start) + 1):
        return True  # 序号   年 鉴 名 称      编 纂 单 位: letter-spaced cells, wide gaps
    if before.isdigit() and (_is_cjk(after) or after in _CELL_OPENERS):
        number_start = start - _digits_before(text, start)
        line_start = text.rfind("\n", 0, start) + 1
        return not text[line_start:number_start].strip(" ")  # ( 1: right-aligned)
    if before in _CELL_CLOSERS or after in _CELL_OPENERS:
        return _is_cjkish(before) and _is_cjkish(after)  # 南昌年鉴（2024） 南昌市…
    if not (_is_cjk(before) and _is_cjk(after)):
        return False
    word_before = start >= 2 and _is_cjk(text[start - 2])
    word_after = end + 1 < len(text) and _is_cjk(text[end + 1])
    return word_before or word_after


_CELL_CLOSERS = frozenset("）》”")
_CELL_OPENERS = frozenset("（《“")


def _after_row_number(text: str, start: int, end: int) -> bool:
    """Whether the spaces at ``start:end`` part a line's row number from its first cell
    (1　福州市地方志编纂委员会办公室), not a date's number from its unit (12 月)."""
    digits = _digits_before(text, start)
    if not 0 < digits <= 3 or end >= len(text) or text[end] in _COUNTED_UNITS:
        return False
    line_start = start - digits
    return (line_start == 0 or text[line_start - 1] == "\n") and (
        _is_cjk(text[end]) or text[end] in _CELL_OPENERS
    )


# What follows a number that dates (4 月 11 日，…), never a name opening a row's cell
# (35   项城市, 2   万州区: counted units may).
_DATE_UNITS = frozenset("年月日")
# What follows a number that counts or dates, not one that numbers a row.
_COUNTED_UNITS = frozenset("年月日个部名项次届批余多万亿元人件篇册卷期")


def _digits_before(text: str, at: int) -> int:
    count = 0
    while at - count > 0 and text[at - count - 1].isdigit():
        count += 1
    return count


_LABEL_LINE = re.compile(r"[^，。；：:、\n（）《》“”]{2,10}(?:（[^（）\n]{1,6}）)?[：:]")
# A short line after a blank one, ending as no sentence does (三等奖（6项）, 附件2): a
# heading, which the paragraph before does not run into.
_HEADING_AFTER_BLANK = re.compile(r"[^\n。！？；：，、]{1,14}[^\n。！？；：，、…]$", re.MULTILINE)


# The columns that make a line a table's row (its gaps became tabs before lines are joined).
_ROW_TABS = 2
_CONTENTS_ENTRY = re.compile(r"[…．.·]{2,}\s*\d{1,4}$")


def _wraps_a_cell(text: str, line: str, m: re.Match[str]) -> bool:
    """Whether the line after a table's numbered row is the end of one of its cells,
    wrapped: short, on the very next line, and followed by the next row (or the table's
    end), not a heading, a note or a sentence."""
    if m.group() != "\n" or not _NUMBERED_ROW.match(line) or _COMPLETE_ROW.search(line):
        return False
    end = text.find("\n", m.end())
    end = len(text) if end < 0 else end
    rest = text[m.end() : end]
    if not rest or len(rest.replace("\t", "")) > _WRAPPED_CELL or _NOT_A_CELL_END.match(rest):
        return False
    if rest[-1] in _TERMINAL or rest[-1] in "）)" or starts_a_name(line[-8:], rest):
        return False  # (…线装书局 / 河北省: a line that groups the rows under it)
    following = text[end + 1 : end + 5]
    return not following.strip() or _NUMBERED_ROW.match(following) is not None


# A table's numbered row, its number parted from the first cell or run into it.
_NUMBERED_ROW = re.compile(r"\d{1,3}(?:[\t ]|(?=[\u4e00-\u9fff《]))")
_WRAPPED_CELL = 16
# A row whose last cell is a grade is whole: what wraps under it is an inner cell's
# end, which joining would run into the grade (…江西高校出版 二等奖 / 社).
_COMPLETE_ROW = re.compile(r"(?:等奖|优秀奖|金奖|银奖|铜奖)$")
_NOT_A_CELL_END = re.compile(r"[\d一二三四五六七八九十（(]|以上|注|附")


# A document's title: 关于… and the kind of document it ends with.
_TITLE_START = re.compile(r"[\u4e00-\u9fff]{0,30}?关于")
_TITLE_END = re.compile(r"(?:通知|决定|通报|意见|办法|函|批复|报告|方案|规定|公告|公示)$")
_TITLE_LENGTH = 80


def _wraps_a_title(text: str, line: str, m: re.Match[str]) -> bool:
    """Whether the line before ``m`` opens a document's title that the next line ends
    (关于公布第三届潍坊市史志优秀成果 / 评选结果的通知), the break a centred title's."""
    if m.group() != "\n" or not _TITLE_START.match(line) or _TITLE_END.search(line):
        return False
    end = text.find("\n", m.end())
    rest = text[m.end() : len(text) if end < 0 else end]
    return (
        bool(rest)
        and _TITLE_END.search(rest) is not None
        and len(line) + len(rest) <= _TITLE_LENGTH
        and not any(mark in line + rest for mark in "。；：，")
    )


# How far into the next line a bracket left open may close.
_BRACKET_TAIL = 20


def _bracket_closed_below(text: str, line: str, next_start: int) -> bool:
    """Whether ``line`` leaves a bracket open that the next line soon closes: a name in
    brackets that the page's width cut (…（巴音郭楞蒙古自治州党史地 / 方志研究室）)."""
    if line.count("（") <= line.count("）") or "\t" in line:
        return False
    close = text.find("）", next_start, next_start + _BRACKET_TAIL)
    return close > next_start and not any(c in text[next_start:close] for c in "（\n。；")


def _roll_item_cut(text: str, line: str, next_start: int, full: int) -> bool:
    """Whether a full line of a roll written several to a line (王丽娟（…主任）　　李春燕
    （…）) ends in the middle of its last item, the page's width cutting it: a name
    whose bracket opens on the next line (…　　普文军 / （玉溪市…）, …　　蒋 / 晓华（…）),
    or a bracket the next line closes (…　　赵德明（施 / 甸县地方志办公室主任）)."""
    # (each gap of two wide spaces is a tab now: four columns, not one)
    if _display_width(line) + 3 * line.count("\t") < full - _WIDTH_SLACK:
        return False
    last = line.rsplit("\t", 1)[-1]
    if "（" not in last:
        return bool(_NAME_PART.fullmatch(last)) and bool(_BRACKET_SOON.match(text, next_start))
    return last.count("（") > last.count("）") and _bracket_closed_below(text, last, next_start)


_NAME_PART = re.compile(r"[\u4e00-\u9fff·]{1,4}")
_BRACKET_SOON = re.compile(r"[\u4e00-\u9fff·]{0,3}（")


# A page set to a fixed width: most of its long lines are that wide, give or take
# three Han characters (a paragraph's indent, a line that breaks before a wide mark).
_LONG_LINE = 40  # display columns: 20 Han characters
_FIXED_SHARE = 0.2
_FIXED_LINES = 10
_WIDTH_SLACK = 6


def _display_width(line: str) -> int:
    # (a Han character is 3 bytes in UTF-8 and 2 columns, an ASCII one 1 and 1: counting
    # bytes is C's work, not a pattern's)
    return (len(line) + len(line.encode("utf-8", "surrogatepass"))) // 2


def _page_width(text: str) -> int:
    """The width in display columns (a Han character two) that most long lines of
    ``text`` have, when enough of them have it to show a page set to that width; else 0."""
    widths = Counter(
        width
        for line in text.split("\n")
        if len(line) >= _LONG_LINE // 2
        and (width := _display_width(line.strip(" \t\u3000"))) >= _LONG_LINE
    )
    if not widths:
        return 0
    width, count = widths.most_common(1)[0]
    if count < _FIXED_LINES or count < _FIXED_SHARE * sum(widths.values()):
        return 0
    return width


def join_broken_lines(text: str) -> Iterable[Edit]:
    """Join a paragraph that a page break split, even mid-word (规范性文\\n\\n件).

    A line break is kept when the line before ends a sentence or is short
    enough to be a heading; it is removed when the line runs on.  A line runs on
    when it is 30 characters or more, or, on a page set to a fixed width (an
    official document's 28 characters a line), when it fills the width.
    """
    full = _page_width(text)
    for m in patterns.LINE_BREAK_RUN.finditer(text):
        line_start = text.rfind("\n", 0, m.start()) + 1
        line = text[line_start : m.start()]
        after = text[m.end()] if m.end() < len(text) else ""
        if not line or not after or patterns.LIST_ITEM_START.match(text, m.end()):
            continue
        if _wraps_a_cell(text, line, m):
            yield m.start(), m.end(), ""  # 9　武夷山市地方志编纂委员会办 / 公室
            continue
        if _wraps_a_title(text, line, m):
            yield m.start(), m.end(), ""  # 关于公布第三届…优秀成果 / 评选结果的通知
            continue
        if line.count("\t") >= _ROW_TABS or (
            line[-1].isdigit() and _CONTENTS_ENTRY.search(line, len(line) - 12)
        ):
            if full and _roll_item_cut(text, line, m.end(), full):
                yield m.start(), m.end(), ""  # …主任）　　普文军 / （玉溪市…科长）
                continue
            # a table's row (1　安顺年鉴（2024）　年鉴　…出版社), or an entry of a table of
            # contents (…………7): the next line is another
            continue
        last = line[-1]
        if _bracket_closed_below(text, line, m.end()):
            yield m.start(), m.end(), ""  # 17．沈立新（浙江省人民政府地方志办公 / 室）
            continue
        if last in _CONTINUING or (
            (len(line) >= 30 or (full and _display_width(line) >= full - _WIDTH_SLACK))
            and not (m.group().count("\n") > 1 and _HEADING_AFTER_BLANK.match(text, m.end()))
            and last not in _TERMINAL
            and (_is_cjkish(last) or last.isalnum())
            # 先进集体：A；B / 先进工作者：C: a line that a label and a colon open is an
            # item of a list, as is the line before such a one
            and not _LABEL_LINE.match(line)
            and not _LABEL_LINE.match(text, m.end())
        ):
            yield m.start(), m.end(), ""


STEPS: tuple[Step, ...] = (
    remove_invisible,
    unify_width,
    drop_page_numbers,
    drop_spaces_in_cjk,
    join_cell_lines,
    join_broken_lines,
)


def _apply(text: str, origin: list[int], edits: Iterable[Edit]) -> tuple[str, list[int]]:
    out: list[str] = []
    new_origin: list[int] = []
    pos = 0
    for start, end, replacement in sorted(edits):
        if start < pos:
            continue  # overlapping edits: keep the first
        out.append(text[pos:start])
        new_origin.extend(origin[pos:start])
        if replacement:
            if len(replacement) != end - start:
                raise ValueError("a normaliser replaced text with a different length")
            out.append(replacement)
            new_origin.extend(origin[start:end])
        pos = end
    out.append(text[pos:])
    new_origin.extend(origin[pos:])
    return "".join(out), new_origin


def replace_surrogates(document: Document) -> Document:
    """The document with each lone surrogate (U+D800–U+DFFF) replaced by U+FFFD.

    No file zhi-graph reads yields one (strict UTF decoding refuses them, HTML
    character references to them become U+FFFD), but a Document built in code
    may hold one, and no UTF encoding can write it to the graph. One character
    for one, so every offset still points where it did.
    """
    if not patterns.SURROGATE.search(document.text):
        return document
    return dataclasses.replace(document, text=patterns.SURROGATE.sub("\ufffd", document.text))


def normalize(document: Document) -> NormalizedText:
    """Document -> NormalizedText, keeping a map from every character to the original."""
    text = document.text
    origin = list(range(len(text) + 1))
    # (before any width changes: a laid-out table's columns are counted in the file's)
    text, body = rebuild_tables(text, origin[:-1])
    for step in STEPS:
        text, body = _apply(text, body, list(step(text)))
    return NormalizedText(document=document, text=text, origin=(*body, len(document.text)))
