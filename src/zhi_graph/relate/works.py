"""publishedBy from a table of works: its header row names a column of works and the
columns of who compiled or published them (序号　年鉴名称　编纂单位　出版社　出版时间);
and from a work's credit in prose, a body and 编 right before the title (汕头市地方志办公室
编《潮汕侨批》, 省地方志办编、广东人民出版社出版的《…》).

A table whose gaps became tabs (``text.normalize``) is read cell by cell when a row
has as many cells as the header; a row with fewer or more (a cell left empty, or one
wrapped and joined) is read by order: the bodies after the row's work, unless the
table has a column of bodies that only put works forward or hold other words
(推荐单位, 存在问题).
"""

from __future__ import annotations

import re

from ..model import EntityType, Mention, RelationKind, Span
from ..text import patterns
from .base import Graph

# A header row: its first cell numbers the rows.
_HEADER = re.compile(r"^(?:序号|编号)\t.*$", re.MULTILINE)
_WORKS_COLUMN = re.compile(r"名称|书名|题名|成果|作品")
_MAKERS_COLUMN = re.compile(r"编纂|编辑|编撰|承编|出版|主办|编印")
# Columns whose bodies made nothing of the row's work.
_OTHER_BODIES = re.compile(r"推荐|申报|报送|选送|问题|备注|意见|原因")
# A line that groups the rows (郑州市（8部））; any other line ends the table.
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
            if patterns.TAB_ROW.match(line):
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


# A credit: 编 right after a body, before the work or before the press that published it.
_CREDIT = re.compile(r"编(?=《|、)")
_PRESS_CREDIT = re.compile(r"出版的?(?=《)")
_CREDIT_REACH = 40  # characters: the press's name between 编、 and 出版的《


def add_credited_makers(graph: Graph) -> None:
    text = graph.text
    for credit in _CREDIT.finditer(text):
        at = credit.start()
        compiler = next(
            (
                k
                for m, k in reversed(graph.mentions_between(max(0, at - _CREDIT_REACH), at))
                if m.end == at and m.type is EntityType.INSTITUTION
            ),
            None,
        )
        if compiler is None:
            continue
        title = credit.end()
        if text.startswith("、", title):
            press = next(
                (
                    m
                    for m, _ in graph.mentions_between(title + 1, title + _CREDIT_REACH)
                    if m.start == title + 1
                ),
                None,
            )
            published = (
                _PRESS_CREDIT.match(text, press.end)
                if press is not None and press.type is EntityType.INSTITUTION
                else None
            )
            if published is None:
                continue  # 编、印、发: no work named
            title = published.end()
        work = next(
            (
                k
                for m, k in graph.mentions_between(title, title + 2)
                if m.start in (title, title + 1) and m.type is EntityType.PUBLICATION
            ),
            None,
        )
        if work is not None:
            sentence = graph.sentence_at(at)
            graph.add(RelationKind.PUBLISHED_BY, work, compiler, Span(sentence.start, sentence.end))
