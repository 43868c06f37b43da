"""publishedBy from a table of works: its header row names a column of works and the
columns of who compiled or published them (序号　年鉴名称　编纂单位　出版社　出版时间).

A table whose gaps became tabs (``text.normalize``) is read cell by cell when a row
has as many cells as the header; a row with fewer or more (a cell left empty, or one
wrapped and joined) is read by order: the bodies after the row's work, unless the
table has a column of bodies that only put works forward or hold other words
(推荐单位, 存在问题).
"""

from __future__ import annotations

import re

from ..model import EntityType, Mention, RelationKind, Span
from .base import Graph

# A header row: its first cell numbers the rows.
_HEADER = re.compile(r"^(?:序号|编号)\t.*$", re.MULTILINE)
_WORKS_COLUMN = re.compile(r"名称|书名|题名|成果|作品")
_MAKERS_COLUMN = re.compile(r"编纂|编辑|编撰|承编|出版|主办|编印")
# Columns whose bodies made nothing of the row's work.
_OTHER_BODIES = re.compile(r"推荐|申报|报送|选送|问题|备注|意见|原因")
# A row, numbered; a line that groups the rows (郑州市（8部））; what ends the table.
_ROW = re.compile(r"\d{1,3}\t")
_GROUP = re.compile(r"[^\t\n，。；：]{2,20}(?:（[^（）\n]{1,10}）)?")
_REACH = 200  # rows


def add_table_makers(graph: Graph) -> None:
    text = graph.text
    if "\t" not in text:
        return
    for header in _HEADER.finditer(text):
        columns = header.group().split("\t")
        works = [i for i, name in enumerate(columns) if _WORKS_COLUMN.search(name)]
        makers = [
            i
            for i, name in enumerate(columns)
            if _MAKERS_COLUMN.search(name) and not _OTHER_BODIES.search(name)
        ]
        if not works or not makers:
            continue
        by_order = not any(_OTHER_BODIES.search(name) for name in columns)
        position = header.end() + 1
        for _ in range(_REACH):
            end = text.find("\n", position)
            end = len(text) if end < 0 else end
            line = text[position:end]
            if _ROW.match(line):
                _add_row(graph, position, line, len(columns), works[0], makers, by_order)
            elif line.strip() and not _GROUP.fullmatch(line.strip()):
                break
            if end >= len(text):
                break
            position = end + 1


def _add_row(
    graph: Graph,
    start: int,
    line: str,
    width: int,
    works: int,
    makers: list[int],
    by_order: bool,
) -> None:
    cells: list[tuple[int, int]] = []
    at = start
    for cell in line.split("\t"):
        cells.append((at, at + len(cell)))
        at += len(cell) + 1
    names = [
        (m, k)
        for m, k in graph.mentions_between(start, start + len(line))
        if m.end <= start + len(line)
    ]
    sentence = graph.sentence_at(start)
    span = Span(sentence.start, sentence.end)
    if len(cells) == width:
        work = _named_in(names, cells[works], EntityType.PUBLICATION)
        if work is None:
            return
        for column in makers:
            body = _named_in(names, cells[column], EntityType.INSTITUTION)
            if body is not None:
                graph.add(RelationKind.PUBLISHED_BY, work, body, span)
        return
    if not by_order:
        return
    works_named = [(m, k) for m, k in names if m.type is EntityType.PUBLICATION]
    if not works_named:
        return
    first, work = works_named[0]
    for mention, key in names:
        if mention.type is EntityType.INSTITUTION and mention.start >= first.end:
            graph.add(RelationKind.PUBLISHED_BY, work, key, span)


def _named_in(
    names: list[tuple[Mention, str]], cell: tuple[int, int], type_: EntityType
) -> str | None:
    """The first name of ``type_`` that the cell holds whole."""
    for mention, key in names:
        if mention.type is type_ and cell[0] <= mention.start and mention.end <= cell[1]:
            return key
    return None
