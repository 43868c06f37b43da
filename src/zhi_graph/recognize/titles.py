"""Publications: titles in 《》 (and 〈〉 nested in them), and the masthead's periodical."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache, lru_cache

from ..model import EntityType, PublicationSubtype
from ..resources import Resources, SubtypeRule
from ..text import patterns
from .context import Candidate, DocContext, make_mention

_RUN_GAP = re.compile(r"[、和及与]?《")
_COURSE_AFTER = re.compile(
    r"^等?(?:\d+|[一二三四五六七八九十百]+)?门?(?:专题|系列|视频|网络)?(?:课程|教程|讲座)"
)
_COURSE_BEFORE = re.compile(r"(?:课程|教程|讲座|讲堂)$")
_VENUE_AFTER = re.compile(r"^(?:专栏|栏目|频道)")
_MASTHEAD_ISSUE = re.compile(r"^(.{2,20}?)(专刊|增刊|特刊)?第\d+期$")
_ISSUE_LINE = re.compile(r"^(?:(?:19|20)\d{2}年)?第\d+期")
_MASTHEAD_LINES = 8
# 《…办法（修订）》, 《…县志（1986—2020）》: a note on the edition, not part of the kind.
_EDITION_NOTE = re.compile(r"（(?:修订|修订稿|试行|暂行|征求意见稿|草案|[\d—－\-～~至]+)）$")


@lru_cache(maxsize=1 << 16)
def subtype_of(title: str, after: str, resources: Resources) -> tuple[PublicationSubtype, bool]:
    """The subtype a title's ending or the word after it gives, and whether a rule decided it.

    Cached: the same titles come back with the same words after them.
    """
    after_rules, _ = _rules(resources)
    for rule in after_rules:
        if rule.pattern.search(after):
            return rule.subtype, True
    return _title_subtype(title, resources)


@cache
def _rules(resources: Resources) -> tuple[tuple[SubtypeRule, ...], tuple[SubtypeRule, ...]]:
    """The rules about the word after 》 and those about the title, each in their order."""
    rules = resources.subtype_rules
    return (
        tuple(r for r in rules if r.where == "after"),
        tuple(r for r in rules if r.where == "title"),
    )


@lru_cache(maxsize=1 << 14)
def _title_subtype(title: str, resources: Resources) -> tuple[PublicationSubtype, bool]:
    """The subtype the title itself gives (cached: a document names a work again and again)."""
    _, title_rules = _rules(resources)
    for candidate in (title, _EDITION_NOTE.sub("", title)):
        for rule in title_rules:
            if rule.pattern.search(candidate):
                return rule.subtype, True
    return PublicationSubtype.BOOK, False


def _run_end(text: str, close: int) -> int:
    """Offset after the last title of a run (《A》《B》、《C》) that starts at ``close``."""
    end = close
    while True:
        match = _RUN_GAP.match(text, end)
        if not match:
            return end
        next_close = text.find("》", match.end())
        if next_close < 0:
            return end
        end = next_close + 1


def find_titles(ctx: DocContext) -> Iterator[Candidate]:
    text = ctx.text
    res = ctx.resources
    for match in patterns.TITLE.finditer(text):
        inner = match.group(1).strip()
        if not inner:
            continue
        start, end = match.start(1), match.end(1)
        run_end = _run_end(text, match.end())
        run_after = text[run_end : run_end + 12]
        after = text[match.end() : match.end() + 12]
        before = text[max(0, match.start() - 6) : match.start()]
        if _VENUE_AFTER.match(after):
            yield Candidate(
                make_mention(EntityType.VENUE, text, start, end, "title", online=True), 100
            )
            continue
        if _COURSE_AFTER.match(run_after) or _COURSE_BEFORE.search(before):
            subtype, decided = PublicationSubtype.COURSE, True
        else:
            subtype, decided = subtype_of(inner, after, res)
        plain = inner.replace("〈", "").replace("〉", "")
        aliases: list[str] = [plain] if plain != inner else []
        yield Candidate(
            make_mention(
                EntityType.PUBLICATION,
                text,
                start,
                end,
                "title" if decided else "title-default",
                aliases=tuple(aliases),
                subtype=subtype,
            ),
            100,
        )
        for nested in patterns.INNER_TITLE.finditer(inner):
            n_start, n_end = start + nested.start(1), start + nested.end(1)
            n_subtype, n_decided = subtype_of(nested.group(1), "", res)
            yield Candidate(
                make_mention(
                    EntityType.PUBLICATION,
                    text,
                    n_start,
                    n_end,
                    "nested-title" if n_decided else "title-default",
                    subtype=n_subtype,
                ),
                101,
                nested=True,
            )


# A table's cell that is a work's title without its marks: a yearbook with its year, a
# gazetteer (with its period), whose kind the ending says.
_CELL_TITLE = re.compile(
    r"[\u4e00-\u9fff·]{2,24}?(?:年鉴（(?:19|20)\d{2}）|志（(?:19|20)\d{2}[—－\-～~](?:19|20)\d{2}）|村志|镇志|县志|市志|区志)"
)


# A header's column of works whatever their kind (论文题目), and a cell of it that is a
# title: words and their marks, no title marks (the cell then holds a 《…》 itself).
_WORKS_COLUMN = re.compile(r"(?:论文|作品|成果|课题)?(?:题目|名称)|书名|篇名")
_TITLE_CELL = re.compile(r"[\u4e00-\u9fff“”‘’·、：—（）\d]{6,40}")


def find_cell_titles(ctx: DocContext) -> Iterator[Candidate]:
    """安顺年鉴（2024）, 七星关区志（1991—2020） in a table's row of columns (1　安顺年鉴
    （2024）　年鉴　安顺市地方志办公室): titles its cells give without 《》; and any
    title in the column of works its header names (序号　论文题目　作者 …)."""
    text = ctx.text
    if "\t" not in text:
        return
    res = ctx.resources
    line_start = 0
    works_column = None  # the column of works of the table the line is in
    while line_start < len(text):
        line_end = text.find("\n", line_start)
        line_end = len(text) if line_end < 0 else line_end
        if patterns.TAB_HEADER_ROW.match(text, line_start):
            names = text[line_start:line_end].split("\t")
            works_column = next(
                (i for i, name in enumerate(names) if _WORKS_COLUMN.fullmatch(name.strip())),
                None,
            )
        elif (
            works_column is not None
            and not patterns.TAB_ROW.match(text, line_start)
            and "\t" not in text[line_start:line_end]
            and line_end - line_start > 30
        ):
            works_column = None  # prose: the table has ended
        if text.count("\t", line_start, line_end) >= 2:
            in_rows = works_column is not None and patterns.TAB_ROW.match(text, line_start)
            cell_start = line_start
            column = 0
            while cell_start <= line_end:
                tab = text.find("\t", cell_start, line_end)
                cell_end = line_end if tab < 0 else tab
                if _CELL_TITLE.fullmatch(text, cell_start, cell_end) or (
                    in_rows
                    and column == works_column
                    and _TITLE_CELL.fullmatch(text, cell_start, cell_end)
                ):
                    subtype, decided = _title_subtype(text[cell_start:cell_end], res)
                    yield Candidate(
                        make_mention(
                            EntityType.PUBLICATION,
                            text,
                            cell_start,
                            cell_end,
                            "title" if decided else "title-default",
                            subtype=subtype,
                        ),
                        100,
                    )
                cell_start = cell_end + 1
                column += 1
        line_start = line_end + 1


def _lines(text: str) -> Iterator[str]:
    """``text.split("\\n")``, one line at a time: the masthead needs only the first few."""
    start = 0
    while (end := text.find("\n", start)) >= 0:
        yield text[start:end]
        start = end + 1
    yield text[start:]


def find_masthead(ctx: DocContext) -> Iterator[Candidate]:
    """The periodical a briefing belongs to, named on its first lines (…简报, …第85期)."""
    text = ctx.text
    offset = 0
    seen = 0
    previous: tuple[int, str] | None = None
    for line in _lines(text):
        line_start = offset
        offset += len(line) + 1
        stripped = line.strip()
        if not stripped:
            continue
        seen += 1
        if seen > _MASTHEAD_LINES or len(stripped) > 30:
            break
        lead = line_start + line.index(stripped)
        if _ISSUE_LINE.match(stripped) and previous is not None:
            # 地方志工作交流 / 第 12 期（总第 95 期）: the line above names the periodical.
            name_start, name = previous
            yield Candidate(
                make_mention(
                    EntityType.PUBLICATION,
                    text,
                    name_start,
                    name_start + len(name),
                    "masthead",
                    subtype=PublicationSubtype.PERIODICAL,
                ),
                100,
            )
            previous = None
            continue
        previous = (lead, stripped)
        issue = _MASTHEAD_ISSUE.match(stripped)
        if issue:
            name = issue.group(1)
            aliases = (name + issue.group(2),) if issue.group(2) else ()
            yield Candidate(
                make_mention(
                    EntityType.PUBLICATION,
                    text,
                    lead,
                    lead + len(name) + len(issue.group(2) or ""),
                    "masthead",
                    label=name,
                    aliases=aliases,
                    subtype=PublicationSubtype.PERIODICAL,
                ),
                100,
            )
            continue
        subtype, decided = subtype_of(stripped, "", ctx.resources)
        if decided and subtype is PublicationSubtype.PERIODICAL:
            yield Candidate(
                make_mention(
                    EntityType.PUBLICATION,
                    text,
                    lead,
                    lead + len(stripped),
                    "masthead",
                    subtype=subtype,
                ),
                100,
            )
