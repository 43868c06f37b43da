"""Tables laid out with spaces, as ``pdftotext -layout`` writes them, put back together.

Such a table keeps its columns by padding each line with spaces to where each
column starts; a cell too long for its column goes on in the same column of
the lines below its row (延边朝鲜族自治州地方 / 志编纂委员会办公室), which
read line by line cuts every long name in two.  The header row (序号 成果名称 …
等次) gives where each column starts, counting a Han character two columns
wide as such output does; each row (a line opening with its number in the first
column) then takes the pieces of the lines under it into the cells of the
columns they start in, and becomes one line of cells parted by tabs.  Lines that
grade the rows under them (二等奖（4 项）) may stand between rows, centred in any
column; a cell whose lines are two names one above the other (a compiler over its
press, two authors) keeps them apart, as two cells.

The pieces move, so the text is rebuilt rather than edited: each character
keeps its offset in the file it came from, and a tab between two cells takes
that of the gap it stands for.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass

from . import patterns

# A gap between two columns: two spaces or more, a tab or an ideographic space.
_GAP = re.compile(r" {2,}|\t+|\u3000+")
_SPACED_GAP = re.compile(r" {2,}")
_HEADER_START = re.compile(r"[ \t\u3000]*(?:序号|编号)(?: {2,}|\t|\u3000)")
_ROW_NUMBER = re.compile(r"\d{1,3}")
# A line that groups a table's rows: a place or a kind, perhaps counted.
_GROUP = re.compile(r"[\u4e00-\u9fff、]{2,16}(?:（[^（）\n]{1,8}）)?")
# How far from its column's start a piece may start and still be in that column.
_SLACK = 2
_MIN_COLUMNS = 3


@dataclass(frozen=True, slots=True)
class _Piece:
    column: int  # the display column it starts at
    start: int  # its offsets in the text
    end: int


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _cells(text: str, start: int, end: int) -> list[_Piece]:
    """The cells of a line parted by tabs, each numbered by its place (empty ones too
    count: a line going on a row's cells leaves those it does not go on empty)."""
    found = []
    position = start
    for number, cell in enumerate(text[start:end].split("\t")):
        if cell.strip():
            found.append(_Piece(number, position, position + len(cell)))
        position += len(cell) + 1
    return found


def _pieces(text: str, start: int, end: int, *, tabbed: bool = False) -> list[_Piece]:
    """The runs of a line between gaps, each with the display column it starts at (or,
    in a table whose columns tabs part, the place of its cell)."""
    if tabbed:
        return _cells(text, start, end)
    found = []
    position = start
    column = 0
    for gap in _GAP.finditer(text, start, end):
        if gap.start() > position:
            found.append(_Piece(column, position, gap.start()))
        column += _width(text[position : gap.end()])
        position = gap.end()
    if position < end:
        found.append(_Piece(column, position, end))
    return found


def _split_at_columns(text: str, piece: _Piece, starts: list[int]) -> list[_Piece]:
    """A piece that ran into the next column with one space between (a cell that filled
    its column: 《鄂尔多斯市志（1991—2020）》 鄂尔多斯市地方志办公室), parted where a
    column starts; any other piece as it is."""
    parts = []
    position = piece.start
    column = piece.column
    for space in re.finditer(" ", text[piece.start : piece.end]):
        at = piece.start + space.start()
        after = piece.column + _width(text[piece.start : at + 1])
        if any(abs(after - start) <= _SLACK for start in starts if start > column):
            parts.append(_Piece(column, position, at))
            position, column = at + 1, after
    parts.append(_Piece(column, position, piece.end))
    return parts


def _column_of(text: str, piece: _Piece, starts: list[int], tabbed: bool = False) -> int | None:
    """The column a piece is a cell's text of, or None when it is no cell's: it
    starts before the first column, or runs on across the next (a line of prose)."""
    if tabbed:
        return piece.column if piece.column < len(starts) else None
    index = None
    for number, start in enumerate(starts):
        if start <= piece.column + _SLACK:
            index = number
    if index is None:
        return None
    if index + 1 < len(starts):
        room = starts[index + 1] - piece.column
        if _width(text[piece.start : piece.end]) > room + _SLACK:
            return None
    return index


class _Lines:
    """The lines of a text as (start, end) offsets, found by offset."""

    def __init__(self, text: str) -> None:
        self.starts = [0]
        self.starts.extend(i + 1 for i, ch in enumerate(text) if ch == "\n")
        self.text = text

    def __len__(self) -> int:
        return len(self.starts)

    def span(self, index: int) -> tuple[int, int]:
        start = self.starts[index]
        end = self.starts[index + 1] - 1 if index + 1 < len(self.starts) else len(self.text)
        return start, end

    def index_of(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset) - 1


def rebuild_tables(text: str, origin: list[int]) -> tuple[str, list[int]]:
    """``text`` with the rows of each laid-out table whose cells wrap one line each,
    and the map of its characters to the original file (``origin`` maps ``text``'s)."""
    if ("  " not in text and "\t" not in text) or not ("序号" in text or "编号" in text):
        return text, origin
    lines = _Lines(text)
    out: list[str] = []
    out_origin: list[int] = []
    copied = 0  # how much of ``text`` is in ``out``
    index = 0
    while index < len(lines):
        start, end = lines.span(index)
        if not _HEADER_START.match(text, start, end):
            index += 1
            continue
        line = text[start:end]
        tabbed = "\t" in line and not _SPACED_GAP.search(line.strip())
        header = _pieces(text, start, end, tabbed=tabbed)
        index += 1
        if len(header) < _MIN_COLUMNS:
            continue
        starts = [piece.column for piece in header]
        if not tabbed:
            starts = _cell_starts(text, lines, index, starts)
        rows, after = _rows(text, lines, index, starts, tabbed)
        if not any(len(parts) > 1 for parts in rows.values()):
            continue  # no cell wraps: the lines stay as they are
        first = min(rows)
        table_start = lines.span(first)[0]
        out.append(text[copied:table_start])
        out_origin.extend(origin[copied:table_start])
        people = frozenset(
            number
            for number, piece in enumerate(header)
            if patterns.PEOPLE_COLUMN.fullmatch(text, piece.start, piece.end)
        )
        _write(
            text, origin, lines, rows, starts, range(first, after), out, out_origin, tabbed, people
        )
        copied = min(lines.span(after - 1)[1] + 1, len(text))
        index = after
    if not out:
        return text, origin
    out.append(text[copied:])
    out_origin.extend(origin[copied:])
    return "".join(out), out_origin


# How many lines under a header a table's first whole row is looked for in.
_FIRST_ROW_REACH = 12


def _cell_starts(text: str, lines: _Lines, first: int, starts: list[int]) -> list[int]:
    """Where the columns' cells start: under a header whose names are centred over their
    columns (序号      成果名称 over 1  《广西通志…》), the first row with a cell in every
    column shows it; otherwise, where the header's names start."""
    for index in range(first, min(len(lines), first + _FIRST_ROW_REACH)):
        pieces = _pieces(text, *lines.span(index))
        if len(pieces) != len(starts) or not _ROW_NUMBER.fullmatch(
            text[pieces[0].start : pieces[0].end].strip()
        ):
            continue
        found = [piece.column for piece in pieces]
        # (each cell starts before the next column's name, and the cells run left to right)
        if all(cell < name_after for cell, name_after in zip(found, starts[1:], strict=False)):
            return [min(cell, name) for cell, name in zip(found, starts, strict=True)]
        break
    return starts


def _rows(
    text: str, lines: _Lines, first: int, starts: list[int], tabbed: bool
) -> tuple[dict[int, list[list[_Piece]]], int]:
    """The table's rows from line ``first`` on (index of a row's first line -> the pieces
    of each of its lines), and the index of the line after the table's last row.

    A row's number stands on its first line, or, where the cells are centred in the
    row's height, on a line in its middle: the lines between two numbers then go on
    the row above while they go on its cells (…（1991— / 2015）》), and the rest open
    the row below (``_opens_next_row``)."""
    rows: dict[int, list[list[_Piece]]] = {}
    current: int | None = None  # the first line of the row being read
    gap: list[tuple[int, list[_Piece]]] = []  # lines after its number, not yet given

    def settle(following: list[_Piece] | None) -> list[tuple[int, list[_Piece]]]:
        """Give the gap's lines to the row above; those that open the row starting with
        ``following`` (its number's line) come back."""
        above: list[tuple[int, list[_Piece]]] = list(gap)
        if current is not None:
            above = []
            for at, (_index, pieces) in enumerate(gap):
                if following is not None and _opens_next_row(
                    text, rows[current], pieces, following, starts, tabbed
                ):
                    above = gap[at:]
                    break
                rows[current].append(pieces)
        gap.clear()
        return above

    last = first
    for index in range(first, len(lines)):
        start, end = lines.span(index)
        line = text[start:end]
        if not line.strip() or patterns.PAGE_NUMBER_LINE.match(text, start):
            continue
        pieces = _pieces(text, start, end, tabbed=tabbed)
        if not tabbed:
            pieces = [part for piece in pieces for part in _split_at_columns(text, piece, starts)]
        if (
            len(pieces) == 1
            and patterns.GRADE_LINE.fullmatch(text, pieces[0].start, pieces[0].end)
            and not _finishes_cell(
                text,
                [*(rows[current] if current is not None else []), *(p for _, p in gap)],
                pieces[0],
                starts,
                tabbed,
            )
        ):
            settle(None)
            current = None  # 二等奖（4 项）, wherever it stands: the rows under it are its
            last = index
            continue
        if (
            len(pieces) == 1
            and pieces[0].column < starts[1]
            and _GROUP.fullmatch(text, pieces[0].start, pieces[0].end)
        ):
            # 内蒙古自治区, 郑州市（8部）: a line that groups the rows under it, however far
            # it runs across the columns; it ends the row above
            settle(None)
            current = None
            continue
        columns = [_column_of(text, piece, starts, tabbed) for piece in pieces]
        if not pieces or None in columns:
            break
        # (a number right-aligned in its column keeps the one space before it: " 1")
        if columns[0] == 0 and _ROW_NUMBER.fullmatch(text[pieces[0].start : pieces[0].end].strip()):
            above = settle(pieces)
            current = above[0][0] if above else index
            rows[current] = [*(parts for _, parts in above), pieces]
        elif columns[0] != 0:
            gap.append((index, pieces))  # the row above's, or the next row's
        else:
            break
        last = index
    settle(None)
    return rows, last + 1


def _finishes_cell(
    text: str, row: list[list[_Piece]], piece: _Piece, starts: list[int], tabbed: bool
) -> bool:
    """Whether ``piece`` goes on a cell of ``row`` that its text left unfinished
    (全省综合年鉴编校质量评 / 比一等奖: the end of a name, not a grade's line)."""
    column = _column_of(text, piece, starts, tabbed)
    if column is None:
        return False
    cell = "".join(
        text[part.start : part.end].strip()
        for parts in row
        for part in parts
        if _column_of(text, part, starts, tabbed) == column
    )
    return _unfinished(cell)


def _opens_next_row(
    text: str,
    row: list[list[_Piece]],
    pieces: list[_Piece],
    following: list[_Piece],
    starts: list[int],
    tabbed: bool,
) -> bool:
    """Whether a line between two rows' numbers is the top of the row below: it goes on
    no cell of the row above that its text left unfinished, and each of its pieces
    stands over a cell that the number's line of the row below leaves empty."""
    cells: dict[int | None, str] = {}
    for parts in row:
        for piece in parts:
            column = _column_of(text, piece, starts, tabbed)
            cells[column] = cells.get(column, "") + text[piece.start : piece.end].strip()
    below = {_column_of(text, piece, starts, tabbed) for piece in following}
    for piece in pieces:
        column = _column_of(text, piece, starts, tabbed)
        if _unfinished(cells.get(column, "")) or column in below:
            return False
    return True


# A cell's text that is whole: a title closed, a body's name ended, a short name.
_SHORT_NAME = re.compile(r"[\u4e00-\u9fff·]{1,5}")


def _unfinished(cell: str) -> bool:
    """Whether a cell's text so far wants more: a bracket left open, a list's mark
    last, or a long name that does not end as a body's does (…龙脊镇人民政)."""
    if not cell:
        return False
    if any(cell.count(o) > cell.count(c) for o, c in _OPENERS.items()):
        return True
    if cell[-1] in "、，—－-":
        return True
    return not (cell[-1] in "》）" or _NAME_END.search(cell) or _SHORT_NAME.fullmatch(cell))


def _write(
    text: str,
    origin: list[int],
    lines: _Lines,
    rows: dict[int, list[list[_Piece]]],
    starts: list[int],
    indices: range,
    out: list[str],
    out_origin: list[int],
    tabbed: bool,
    people: frozenset[int] = frozenset(),
) -> None:
    """Each row as one line of cells; a line between rows that is no part of one (a
    page's number, a blank line) as it was; each line ended as it was.  In the columns
    ``people`` (作者, 主编), each line of a cell is a name of its own."""
    moved = {lines.index_of(parts[0].start) for row in rows.values() for parts in row[1:]}
    for index in indices:
        start, end = lines.span(index)
        if index in moved:
            continue  # its pieces are in the cells of the row above
        if index in rows:
            # offsets in ``text``; ~i (negative) for a space between two names stacked in
            # the cell, at the gap before the piece at i
            cells: list[list[int]] = [[] for _ in starts]
            for parts in rows[index]:
                for piece in parts:
                    column = _column_of(text, piece, starts, tabbed)
                    cell = cells[column if column is not None else -1]
                    if cell and (column in people or _stacked(text, cell[-1], piece)):
                        cell.append(~piece.start)
                    cell.extend(range(piece.start, piece.end))
            for number, cell in enumerate(c for c in cells if c):
                if number:
                    out.append("\t")  # where the gap before the cell's first piece was
                    out_origin.append(origin[max(cell[0] - 1, 0)])
                out.append("".join(text[i] if i >= 0 else "\u3000" for i in cell))
                out_origin.extend(origin[i] if i >= 0 else origin[max(~i - 1, 0)] for i in cell)
        else:
            out.append(text[start:end])
            out_origin.extend(origin[start:end])
        if end < len(text):
            out.append("\n")
            out_origin.append(origin[end])


# A body's name ended, and what only goes on one (…地方志编纂委员会 / 办公室), in a cell of
# two bodies one above the other (内蒙古自治区林业和草原局 / 内蒙古人民出版社).
_NAME_END = re.compile(
    r"(?:局|厅|出版社|公司|政府|中心|大学|学院|研究院|办公室|研究室|图书馆|方志馆)$"
)
_NAME_TAIL = re.compile(r"办公室|公室|人民政府|政府|委员会|出版社|研究室|研究院|中心|有限")


def _stacked(text: str, last: int, piece: _Piece) -> bool:
    """Whether a piece under a cell's text (its last character at ``last``) starts a
    name of its own rather than going on the one above."""
    return starts_a_name(text[max(0, last - 7) : last + 1], text[piece.start : piece.end])


def starts_a_name(above: str, below: str) -> bool:
    """Whether ``below``, the line under a cell that ends with ``above``, is a name of its
    own (线装书局 / 河北省) rather than the rest of the one above (…委员会办 / 公室)."""
    return bool(_NAME_END.search(above)) and not _NAME_TAIL.match(below)


# --- Tables written a cell to a line, as plain ``pdftotext`` writes them:
#
#     序号            1                          2
#     作品名称        《青州市志（1986—2020）》   《鄌郚镇志》
#     作者/编纂单位   青州市史志研究中心          昌乐县鄌郚镇人民政府
#                                                昌乐县史志研究中心
#
# Each row is its number on a line of its own and then its cells, a line each (one
# wrapped onto the next line goes on it); the line breaks inside a row become tabs,
# and the break inside a wrapped cell goes, so the row is one line as the other
# steps expect.  The edits keep every character where it was.

_NUMBER_LINE = re.compile(r"[ \t\u3000]*(\d{1,3})[ \t\u3000]*")
_COLUMN_NAME = re.compile(r"[\u4e00-\u9fff（）/、]{2,12}")
_COLUMN_WORDS = re.compile(
    r"名称|单位|姓名|职务|等次|等级|作者|主编|出版|编纂|时间|地区|类别|备注|题目|书名|成果|刊物"
)
# How many lines a row may take, and how short the tail of a wrapped cell is.
_ROW_LINES = 8
_TAIL = 6
_OPENERS = {"《": "》", "（": "）", "“": "”"}

Edit = tuple[int, int, str]


def join_cell_lines(text: str) -> list[Edit]:
    """The edits that make each row of a table written a cell to a line one line."""
    if "序号" not in text:
        return []
    lines = _Lines(text)
    edits: list[Edit] = []
    index = 0
    while index < len(lines):
        start, end = lines.span(index)
        line = text[start:end].strip()
        index += 1
        if not line.startswith("序号"):
            continue
        columns = line.split()
        if len(columns) == 1:
            # 序号 / 作品名称 / 作者/编纂单位: the header is a column to a line too (blank
            # lines between its names, as plain pdftotext may leave them)
            previous_end = end
            while index < len(lines):
                filled = _next_filled(text, lines, index)
                if filled is None:
                    break
                name = text[slice(*lines.span(filled))].strip()
                if not (_COLUMN_NAME.fullmatch(name) and _COLUMN_WORDS.search(name)):
                    break
                columns.append(name)
                edits.append((previous_end, previous_end + 1, "\t"))
                if lines.span(filled)[0] > previous_end + 1:
                    edits.append((previous_end + 1, lines.span(filled)[0], ""))
                previous_end = lines.span(filled)[1]
                index = filled + 1
        if len(columns) < 2:
            continue
        graded = any(_GRADE_COLUMN.search(name) for name in columns)
        index = _join_rows(text, lines, index, len(columns), edits, graded=graded)
    return edits


def _join_rows(
    text: str, lines: _Lines, index: int, width: int, edits: list[Edit], *, graded: bool = False
) -> int:
    """Join the rows from line ``index`` on; the index of the line after the table.
    ``graded``: the table has a column of grades (等次), so a grade's line is a cell."""
    expected = None
    while index < len(lines):
        start, end = lines.span(index)
        number = _NUMBER_LINE.fullmatch(text, start, end)
        if number is None and patterns.GRADE_LINE.fullmatch(text[start:end].strip()):
            index += 1  # 二等奖（6 项）: a line that grades the rows under it
            continue
        if number is None and _groups_rows(text, lines, index, expected):
            index += 1  # 江苏省: a line that groups the rows under it
            continue
        if number is None:
            first = text[start:end].split()
            on_one_line = bool(first) and first[0].isdigit() and len(first) > 1
            if on_one_line and (expected is None or first[0] == str(expected)):
                expected = int(first[0]) + 1  # a row on one line (7 马德胜 潍城区…主任)
                index += 1
                continue
            if not text[start:end].strip():
                following = _next_filled(text, lines, index)
                if following is not None and _NUMBER_LINE.fullmatch(text, *lines.span(following)):
                    index = following  # a page's break inside the table, or blank lines
                    continue
            return index
        value = int(number.group(1))
        if expected is not None and value != expected:
            return index
        cells: list[int] = []
        blank: list[int] = []  # blank lines inside the row (a page's break, its number gone)
        row_end = index + 1
        while row_end < len(lines) and row_end - index <= _ROW_LINES + len(blank):
            cell_start, cell_end = lines.span(row_end)
            cell = text[cell_start:cell_end].strip()
            if not cell and _cell_count(text, lines, cells) < width - 1:
                following = _next_filled(text, lines, row_end)
                if following is not None and _goes_on_row(
                    text[slice(*lines.span(following))].strip(), value, graded
                ):
                    blank.extend(range(row_end, following))
                    row_end = following
                    continue
            if not cell or not _goes_on_row(cell, value, graded):
                break  # (the next row, on a line of its own or on one line whole, or grade)
            if (
                len(cells) >= width - 1
                # (the last two lines: the last may be a wrapped cell's tail, 出 / 版社)
                and starts_a_name(
                    "".join(text[slice(*lines.span(i))].strip() for i in cells[-2:]), cell
                )
                and _groups_rows(text, lines, row_end, value + 1)
            ):
                break  # …南京出版社 / 浙江省 / 15: the row is whole, and a group's line follows
            cells.append(row_end)
            row_end += 1
        if not cells:
            return index
        _join_row(text, lines, index, cells, width, edits)
        for line in blank:
            start, end = lines.span(line)
            edits.append((start, min(end + 1, len(text)), ""))
        expected = value + 1
        index = row_end
    return index


def _groups_rows(text: str, lines: _Lines, index: int, expected: int | None) -> bool:
    """Whether line ``index`` groups the rows under it (江苏省, 中央和国家机关部门及行业
    年鉴): a place or a kind on a line of its own, the next row's number right after
    (any number, before the first row)."""
    line = text[slice(*lines.span(index))].strip()
    if not (_GROUP.fullmatch(line) and _GROUP_END.search(line)):
        return False  # (其木格: a name in the row's last column)
    following = _next_filled(text, lines, index + 1)
    if following is None:
        return False
    number = _NUMBER_LINE.fullmatch(text, *lines.span(following))
    return number is not None and expected in (None, int(number.group(1)))


# How the name of a place or of a kind of work ends, perhaps counted (福建省（2 部）).
_GROUP_END = re.compile(r"(?:省|自治区|市|地区|州|盟|县|旗|区|类|年鉴|志书)(?:（[^（）]+）)?$")


# A column of grades in a header (等次, 获奖等级): a grade's line is then a row's cell.
_GRADE_COLUMN = re.compile(r"等次|等级|奖次|奖项")


def _cell_count(text: str, lines: _Lines, cells: list[int]) -> int:
    """How many cells the row's lines so far make: a short line under one left
    unfinished (南京市地方志编纂委 / 员会办公室, 张家港年鉴（202 / 4）) is no cell of its own."""
    count = 0
    previous = ""
    for index in cells:
        line = text[slice(*lines.span(index))].strip()
        if not (previous and len(line) <= _TAIL and _unfinished(previous)):
            count += 1
        previous = line
    return count


def _goes_on_row(cell: str, number: int, graded: bool) -> bool:
    """Whether a line goes on the row numbered ``number``: not the next row's number (on
    a line of its own or opening the row whole), nor a grade heading over the rows after
    it (in a table with no column of grades)."""
    return cell.split()[0] != str(number + 1) and (
        graded or not patterns.GRADE_LINE.fullmatch(cell)
    )


def _next_filled(text: str, lines: _Lines, index: int) -> int | None:
    for following in range(index, min(len(lines), index + 4)):
        if text[slice(*lines.span(following))].strip():
            return following
    return None


def _join_row(
    text: str, lines: _Lines, number: int, cells: list[int], width: int, edits: list[Edit]
) -> None:
    """The edits joining a row's number line and its cell lines: a tab between cells,
    nothing between the two lines of a wrapped cell."""
    pieces = [text[slice(*lines.span(i))].strip() for i in cells]
    # which line breaks go on a cell: one inside brackets left open, then (while the row
    # has more lines than cells) the one before the shortest tail
    joined = [False] * len(cells)  # joined[i]: line i goes on line i - 1
    for i in range(1, len(cells)):
        if _open_bracket(pieces[i - 1]):
            joined[i] = True
    extra = len(cells) - sum(joined) - (width - 1)
    while extra > 0:
        tails = [
            (len(pieces[i]), i)
            for i in range(1, len(cells))
            if not joined[i]
            and len(pieces[i]) <= _TAIL
            # (远方出版社 / 其木格: a body's name ended above, and a cell of its own under it)
            and not _NAME_END.search(_cell_above(pieces, joined, i))
        ]
        if not tails:
            break
        joined[min(tails)[1]] = True
        extra -= 1
    breaks = [lines.span(number)[1], *(lines.span(i)[1] for i in cells[:-1])]
    for position, (line_break, goes_on) in enumerate(zip(breaks, joined, strict=True)):
        edits.append((line_break, line_break + 1, "" if goes_on and position else "\t"))


def _cell_above(pieces: list[str], joined: list[bool], i: int) -> str:
    """The text of the cell line ``i`` would go on, as joined so far."""
    start = i - 1
    while start > 0 and joined[start]:
        start -= 1
    return "".join(pieces[start:i])


def _open_bracket(piece: str) -> bool:
    return any(piece.count(o) > piece.count(c) for o, c in _OPENERS.items())
