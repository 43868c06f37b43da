"""Persons: a name right after a job title (省长黄强, 秘书长冀祥德、崔唯航) or before 同志."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from functools import cache

import ahocorasick_rs

from ..model import EntityType
from ..resources import Resources
from ..segment import word_tags
from ..text import patterns
from .context import Candidate, DocContext, is_cjk, make_mention
from .names import suffix_hits

# Characters that cannot continue a name: what usually follows one.
_AFTER_NAME = frozenset("，。、；：！？（）“”《》等对均在和与同为的也都就亲率带是及\n\t\u3000")
_COMRADE_WORDS = ("同志", "总书记")
# What joins two titles (主编和骨干编辑), though 和 is a surname too.
_JOINING = frozenset("和与及或")
# How a sub-unit's name ends (年鉴处, 综合科, 档案室), after a word of the dictionary.
_UNIT_ENDINGS = frozenset("处科室股组部")
_COMRADE = re.compile(rf"([\u4e00-\u9fff]{{2,3}})(?:{'|'.join(_COMRADE_WORDS)})")


@cache
def _title_matcher(resources: Resources) -> ahocorasick_rs.AhoCorasick:
    """Job titles, leftmost-longest and not overlapping: what a regex alternation of them,
    longest first, finds, ten times faster."""
    return ahocorasick_rs.AhoCorasick(
        resources.person_titles, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest
    )


def _name_at(ctx: DocContext, start: int, after_title: bool = False) -> int:
    """End of a person's name starting at ``start``, or ``start`` when there is none.

    A name is a surname and one or two more characters; the length is the one
    after which the text goes on with a word of its own (黄强|签批, 沈立新|表示).
    ``after_title``: a job title comes right before, so a name that is also a
    common noun (高山, 江河) is one when a verb or a mark ends it.
    """
    text = ctx.text
    surnames = ctx.resources.surnames
    if start >= len(text) or not is_cjk(text[start]):
        return start
    if ctx.token_at(start)[0] != start:
        return start
    surname = 2 if text[start : start + 2] in surnames else 1
    if text[start : start + surname] not in surnames:
        return start
    tags = word_tags()
    for length in (surname + 2, surname + 1):
        end = start + length
        name = text[start:end]
        if len(name) < length or not all(is_cjk(ch) for ch in name):
            continue
        if any(ch in _AFTER_NAME for ch in name[1:]):
            continue
        if length == surname + 2 and name[-1] in ctx.resources.after_name:
            continue  # 王强作|报告: the name is 王强
        if name[-1] in _UNIT_ENDINGS and tags.get(name[:-1], "nr")[:2] != "nr":
            continue  # 年鉴处, 综合科: a word and a unit's ending, a sub-unit
        if name in ctx.resources.region_names:
            continue  # 辛集市, 左权县: a place (whose name starts like a surname)
        if after_title and name[0] in _JOINING:
            continue  # 主编和骨干编辑: titles joined, not a holder named 和
        if tags.get(name, "nr")[0] != "n" or (
            tags.get(name) in _COMMON_NOUN_TAGS
            and not (after_title and _name_ends_at(ctx, end, tags))
        ):
            continue  # 关于, 有关: a dictionary word, not a name
        following = text[end] if end < len(text) else "。"
        if following in _AFTER_NAME or ctx.token_at(start) == (start, end):
            return end
        tok_start, tok_end = ctx.token_at(end)
        # 刘晓梅|作开班动员: jieba cut an unknown name into single characters, and a
        # verb of one character (作, 说, 率) or a preposition after the third ends it.
        verb_after = (
            length == surname + 2
            and tok_end - tok_start == 1
            and tags.get(following) in _ONE_CHARACTER_AFTER_NAME
            and tags.get(text[end - 1]) not in _ONE_CHARACTER_AFTER_NAME
        )
        if tok_start == end and (tok_end - tok_start > 1 or length == surname + 1 or verb_after):
            _, inner_end = ctx.token_at(start + surname)
            if inner_end > end:
                continue  # the given name runs into the next word
            return end
    return start


def _name_ends_at(ctx: DocContext, end: int, tags: dict[str, str]) -> bool:
    """Whether what follows ``end`` ends a name: a mark, or a verb of two characters or more
    (主任高山主持会议, 副主任江河，)."""
    text = ctx.text
    if end >= len(text) or text[end] in _AFTER_NAME:
        return True
    tok_start, tok_end = ctx.token_at(end)
    return tok_start == end and tok_end - tok_start > 1 and tags.get(text[end:tok_end]) == "v"


def _transliterated_at(ctx: DocContext, start: int) -> int:
    """End of a transliterated minority name (其木格, 那顺乌日图, 扎西次仁) starting at
    ``start``, or ``start``: three to eight of its characters, then what ends a name."""
    text = ctx.text
    chars = ctx.resources.transliteration_chars
    end = _run_end(text, start, chars)
    short = end - start < _SHORTEST_TRANSLITERATION or text[start] in _NAME_DOTS
    if short and not (end - start >= 2 and text[end : end + 1] in _NAME_DOTS):
        return start  # (a part of two before a dot is a name's: 阿依·买买提)
    parts = 1
    # 阿布都热合曼·吐尔逊, 努尔兰·哈孜别克: a given name and a father's, parted by a dot
    while parts < _MOST_PARTS and text[end : end + 1] in _NAME_DOTS:
        part_end = _run_end(text, end + 1, chars)
        if part_end - (end + 1) < 2:
            break
        end, parts = part_end, parts + 1
    if text[end - 1] in _NAME_DOTS:
        return start
    following = text[end] if end < len(text) else "。"
    if (
        following not in _AFTER_NAME
        and following not in _PASSIVE_AFTER_NAME
        and ctx.token_at(end)[0] != end
    ):
        return start  # the run ends inside a word (达拉特|旗): not a name's end
    if word_tags().get(text[start:end], "nr") != "nr":
        return start  # a word of the dictionary, not a name (jieba knows some: 萨仁高娃)
    return end


_SHORTEST_TRANSLITERATION = 3
_LONGEST_TRANSLITERATION = 8
# The dots that part a transliterated name (the middle dot, and its look-alikes).
_NAME_DOTS = frozenset("·•・")
_MOST_PARTS = 3


def _run_end(text: str, start: int, chars: frozenset[str]) -> int:
    """End of the run of transliteration characters from ``start`` (eight at most), up
    to a dot."""
    end = start
    while (
        end < len(text)
        and end - start < _LONGEST_TRANSLITERATION
        and text[end] in chars
        and text[end] not in _NAME_DOTS
    ):
        end += 1
    return end


def _dotted_persons(ctx: DocContext) -> Iterator[Candidate]:
    """古丽娜尔·买买提、周立平、努尔兰·哈孜别克榜上有名: a transliterated name with its dot
    is a person's wherever it stands (no title needed)."""
    text = ctx.text
    chars = ctx.resources.transliteration_chars
    for dot in _DOT.finditer(text):
        start = dot.start()
        while (
            start > 0
            and dot.start() - start < _LONGEST_TRANSLITERATION
            and text[start - 1] in chars
            and text[start - 1] not in _NAME_DOTS
        ):
            start -= 1
        if start == dot.start() or (start > 0 and text[start - 1] in _NAME_DOTS):
            continue  # the second part of a name already read
        end = _transliterated_at(ctx, start)
        if end > dot.start() + 1:
            yield Candidate(make_mention(EntityType.PERSON, text, start, end, "dotted"), 55)
            yield from _listed_with(ctx, start, end)


def _listed_with(ctx: DocContext, start: int, end: int) -> Iterator[Candidate]:
    """The names listed with 、 around a person's name at [start, end)
    (古丽娜尔·买买提、周立平、努尔兰·哈孜别克: 周立平 is one too)."""
    text = ctx.text
    # (a list of names: a name that is also a word, 马建国 a place to jieba, is a name)
    while text[end : end + 1] == "、":
        following = _person_at(ctx, end + 1, after_title=True)
        if following == end + 1:
            break
        yield Candidate(make_mention(EntityType.PERSON, text, end + 1, following, "listed"), 55)
        end = following
    while start > 0 and text[start - 1] == "、":
        for length in (3, 2, 4):
            first = start - 1 - length
            if (
                first >= 0
                and (first == 0 or text[first - 1] in _BEFORE_LISTED_NAME)
                and _person_at(ctx, first, after_title=True) == start - 1
            ):
                break
        else:
            break
        yield Candidate(make_mention(EntityType.PERSON, text, first, start - 1, "listed"), 55)
        start = first


_DOT = re.compile("[·•・]")
_PASSIVE_AFTER_NAME = frozenset("被获")


_COMMON_NOUN_TAGS = frozenset({"n", "nz", "ns", "nt", "ng"})
# jieba's tags of a verb, a preposition or an adverb of one character
_ONE_CHARACTER_AFTER_NAME = frozenset({"v", "p", "d"})


_AFTER_TITLE = frozenset("：:")


@cache
def _role_matcher(resources: Resources) -> ahocorasick_rs.AhoCorasick:
    """Roles of a meeting or a notice (主持, 出席人员), leftmost-longest."""
    return ahocorasick_rs.AhoCorasick(
        resources.meeting_roles, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest
    )


def _person_at(ctx: DocContext, pos: int, after_title: bool = False) -> int:
    """End of a name (Han or transliterated) starting at ``pos``, or ``pos``."""
    end = _name_at(ctx, pos, after_title)
    transliterated = _transliterated_at(ctx, pos)
    if transliterated - pos > end - pos + 1:
        end = transliterated  # 那顺乌日图, not 那顺: 那 is also a surname
    return end


def _after_note(text: str, end: int) -> int:
    """Past the bracket that follows a listed name (李明（北京市地方志办主任）、王芳), if
    one does and closes on its line."""
    if text[end : end + 1] != "（":
        return end
    close = text.find("）", end, end + _NOTE_LENGTH)
    if close < 0 or "\n" in text[end:close]:
        return end
    return close + 1


# How far a bracket after a name may run: a body's name and a title.
_NOTE_LENGTH = 40
_NOTE = re.compile(r"（([^（）\n]{2,40})）")
# What a name held in a list stands after (：李明（…）, 、王芳（…）).
_BEFORE_LISTED_NAME = frozenset("：:、，；\n 　\t.．")


@cache
def _titles_by_length(resources: Resources) -> dict[int, frozenset[str]]:
    """Job titles by their length: a bracket's end is looked up among those of each."""
    lengths: dict[int, set[str]] = {}
    for title in resources.person_titles:
        lengths.setdefault(len(title), set()).add(title)
    return {n: frozenset(words) for n, words in lengths.items()}


def _ends_with_title(note: str, resources: Resources) -> bool:
    if note[-1] not in _title_last_chars(resources):
        return False  # (most brackets hold a year, a count or a short form)
    return any(note[-n:] in words for n, words in _titles_by_length(resources).items())


@cache
def _title_last_chars(resources: Resources) -> frozenset[str]:
    return frozenset(title[-1] for title in resources.person_titles)


def _noted_persons(ctx: DocContext) -> Iterator[Candidate]:
    """张建华（天津市地方志办公室主任）: a name in a list, then its holder's post in a bracket."""
    text = ctx.text
    res = ctx.resources
    noted_end = -1  # where the last person found with their bracket ends, bracket and all
    for note in _NOTE.finditer(text):
        bracket = note.start()
        titled = _ends_with_title(note.group(1), res)
        if noted_end >= 0 and (titled or _BODY_END.search(note.group(1))):
            # 赵建平（…主任）普文军（…科长）　刀丽芳（…）: the next of a roll's people,
            # whatever the form of the name between their brackets (as in a numbered row)
            name = _ROLL_NAME.fullmatch(text, noted_end + (text[noted_end] in "\t\n 　"), bracket)
            if name is not None and not _NOT_PERSON_END.search(name.group()):
                start = name.start()
                yield Candidate(make_mention(EntityType.PERSON, text, start, bracket, "noted"), 55)
                noted_end = note.end()
                continue
        for start in (bracket - 3, bracket - 2, bracket - 4):
            given_to = text.endswith(_GIVEN_TO, max(0, start - 2), max(0, start))
            # 《…的几点思考》⇥孙慧敏（安徽大学历史学院）: a table's cell; 王丽娟（…）刘海涛
            # （…）: the next of a roll's people, the gap between them gone
            in_cell = start > 0 and (text[start - 1] in _AFTER_CELL or start == noted_end)
            if start < 0 or (
                start > 0
                and text[start - 1] not in _BEFORE_LISTED_NAME
                and not given_to
                and not in_cell
            ):
                continue
            # 1.张立群（沈阳市地方志办公室）: a numbered row of people, each with the body
            # they come from
            in_row = _ROW_NUMBER.search(text, max(0, start - 8), start) is not None
            # 王晓燕（女，贵阳市地方志办公室）, 贺明川（贵州省方志馆）: a roll's line of a
            # person, their sex or people, and the body they come from
            personal = _PERSONAL_NOTE.search(note.group(1)) is not None or (
                (
                    _at_line_start(text, start)
                    or text[start - 1 : start] in _LIST_PARTS
                    or in_cell
                    # 陆佩华（上海市松江区地方志办公室）被评为…: who the award went to
                    or text.startswith(_AWARDED, note.end())
                    or given_to  # 授予熊晓燕（南昌市地方志办公室）、…“…”称号
                )
                and _BODY_END.search(note.group(1)) is not None
            )
            if not (titled or in_row or personal):
                continue
            if _person_at(ctx, start, after_title=in_row or in_cell) == bracket:
                yield Candidate(make_mention(EntityType.PERSON, text, start, bracket, "noted"), 55)
                yield from _cell_before(ctx, start)
                noted_end = note.end()
                break


# A person's name in a roll, between the bracket of the one before and their own.
_ROLL_NAME = re.compile(r"[\u4e00-\u9fff]{2,4}|[\u4e00-\u9fff]{1,6}[·•・][\u4e00-\u9fff]{1,6}")
# A roll's numbered row of a person and the body they come from: the whole of what stands
# between the number and the bracket is the name, whatever its form (斯琴其木格, 岩温香,
# 古丽娜尔·艾山), the row says so.
_ROLL_ROW = re.compile(
    r"^[ \t\u3000]*\d{1,3}[.、．][ \t\u3000]*"
    r"([\u4e00-\u9fff]{2,5}|[\u4e00-\u9fff]{1,6}[·•・][\u4e00-\u9fff]{1,6})（([^（）\n]{2,40})）",
    re.MULTILINE,
)
# What ends a body's, a group's or an award's name, not a person's (年鉴处, 先进集体).
_NOT_PERSON_END = re.compile(
    r"(?:室|院|馆|局|处|科|所|中心|会|社|部|厅|委|办|站|队|组|集体|单位|个人|者|奖|鉴|志|年|市|县|区|省)$"
)


def _roll_rows(ctx: DocContext) -> Iterator[Candidate]:
    """7．斯琴其木格（锡林郭勒盟史志研究室）: a numbered row naming a person by a name of
    any form, then the body they come from in a bracket."""
    text = ctx.text
    for row in _ROLL_ROW.finditer(text):
        name = row.group(1)
        if (
            _BODY_END.search(row.group(2)) is None
            or _NOT_PERSON_END.search(name)
            or _ends_with_title(name, ctx.resources)  # (郁宁教授: a name, then a post)
        ):
            continue
        yield Candidate(make_mention(EntityType.PERSON, text, *row.span(1), "roll"), 55)


_CELL_BREAK = "\t"
# (a title's cell and the author's, the gap between them gone: 《…探析》孙慧敏（…）)
_AFTER_CELL = frozenset("\t》")


def _cell_before(ctx: DocContext, start: int) -> Iterator[Candidate]:
    """周立新⇥李梅（肥西县地方志办公室）: the name alone in the cell before a person's, a
    co-author in a table of papers."""
    text = ctx.text
    if text[start - 1 : start] != _CELL_BREAK:
        return
    cell_end = start - 1
    cell_start = max(text.rfind(_CELL_BREAK, 0, cell_end), text.rfind("\n", 0, cell_end)) + 1
    if (
        2 <= cell_end - cell_start <= 4
        and _person_at(ctx, cell_start, after_title=True) == cell_end
    ):
        yield Candidate(make_mention(EntityType.PERSON, text, cell_start, cell_end, "listed"), 55)


# What a bracket after a person's name says of them: their sex, their people.
_PERSONAL_NOTE = re.compile(
    r"^[女男](?:[，,、]|$)|(?:^|[，,、])[\u4e00-\u9fff]{1,4}族(?:[，,、]|$)"
)
# How a body's name ends, in a bracket after a name that opens its line.
_BODY_END = re.compile(
    "(?:办公室|研究室|研究院|研究中心|出版社|报社|大学|学院|学校|中心|委员会|政府|馆|局|处|科|所)$"
)


# The verbs whose object is who receives (授予李明（…办公室）“…”称号).
_GIVEN_TO = ("授予", "表彰", "表扬")
# What a person receiving an award is followed by (李明（…办公室）被评为 / 荣获).
_AWARDED = ("被评为", "被授予", "荣获", "获评", "获得")
# What parts the people of a list, each with their body in brackets.
_LIST_PARTS = frozenset("、：")


def _at_line_start(text: str, start: int) -> bool:
    line_start = text.rfind("\n", 0, start) + 1
    return not text[line_start:start].strip(" \t\u3000")


# A row's number at the start of its line (1.张立群, 12、王芳).
_ROW_NUMBER = re.compile(r"(?:^|\n)[ \t]*\d{1,3}[.、．][ \t]*$")


def _role_line(ctx: DocContext, start: int, body_ends: list[int]) -> Iterator[Candidate]:
    """The people a role's line lists: 参会人员：北京市地方志办公室李明、王芳，天津市
    地方志办公室张伟. A name is tried after each mark and after each body's ending
    (``body_ends``, sorted)."""
    text = ctx.text
    end = text.find("\n", start, start + _ROLE_LINE)
    end = min(start + _ROLE_LINE, len(text)) if end < 0 else end
    tried = {start}
    tried.update(mark.end() for mark in _LIST_MARK.finditer(text, start, end))
    tried.update(
        body_ends[bisect.bisect_right(body_ends, start) : bisect.bisect_left(body_ends, end)]
    )
    starts = _name_starts(ctx.resources)
    for pos in sorted(tried):
        if text[pos : pos + 1] not in starts:
            continue
        found = _person_at(ctx, pos, after_title=True)
        if found > pos:
            yield Candidate(make_mention(EntityType.PERSON, text, pos, found, "role"), 55)


# Spaces that part a list's names or a title from its holder (not a line's end).
_GAP = frozenset(" \u3000\t")


def _past_gap(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in _GAP:
        pos += 1
    return pos


# How far a role's line is read, and what parts its items (marks and spaces).
_ROLE_LINE = 300
_LIST_MARK = re.compile("[、，；： \u3000\t]")


@cache
def _name_starts(resources: Resources) -> frozenset[str]:
    """The characters a person's name may start with: a surname's first, or a
    transliteration's."""
    return frozenset(name[0] for name in resources.surnames) | (
        resources.transliteration_chars - _NAME_DOTS
    )


def _body_ends(ctx: DocContext) -> list[int]:
    """Where the endings of bodies' names end (办公室, 研究院 …) at a word's end, in order
    (not 地方志办 inside 地方志办公室)."""
    institution = EntityType.INSTITUTION
    words_end = ctx.segmented.boundaries
    return sorted(
        {
            end
            for _, end, (type_, suffix) in suffix_hits(ctx)
            if type_ is institution and suffix.strong and end in words_end
        }
    )


def _after_bodies(ctx: DocContext, body_ends: list[int]) -> Iterator[Candidate]:
    """北京市地方志办公室李明、天津市地方志办公室张伟发言 / 北京市地方志办公室：李明　王芳:
    people named right after the body they come from (a mark or a verb ends the name),
    or listed after its name and a colon."""
    text = ctx.text
    tags = word_tags()
    starts = _name_starts(ctx.resources)
    for end in body_ends:
        following = text[end : end + 1]
        if following in _AFTER_TITLE:
            yield from _role_line(ctx, end + 1, body_ends)
            continue
        if following in _GAP:
            end = _past_gap(text, end)  # 大连市史志办公室　王海燕: a list's columns
            following = text[end : end + 1]
        if following not in starts or _opens_with_word(ctx, end):
            continue  # (most bodies go on with a word: 办公室|主任, 办公室|编纂)
        found = _person_at(ctx, end)
        if found > end and (
            _name_ends_at(ctx, found, tags) or text[found : found + 1] in _PASSIVE_AFTER_NAME
        ):
            # (赣州市地方志办公室钟丽萍被评为…: the passive's mark ends her name too)
            yield Candidate(make_mention(EntityType.PERSON, text, end, found, "body"), 55)


def _opens_with_word(ctx: DocContext, start: int) -> bool:
    """Whether the text at ``start`` opens with a word of the dictionary that is not a
    name (办公室|全程|参与: no one called 全程参)."""
    tok_start, tok_end = ctx.token_at(start)
    word = ctx.text[tok_start:tok_end]
    return tok_start == start and len(word) > 1 and word_tags().get(word, "nr") != "nr"


def _named_before_title(ctx: DocContext, title_start: int, title_end: int) -> Candidate | None:
    """李明主任指出: a name, then the job title its holder is called by, then a verb or a
    mark; the name opens a clause."""
    text = ctx.text
    starts = [
        start
        for start in (title_start - 3, title_start - 2)
        if start == 0 or (start > 0 and text[start - 1] in _CLAUSE_OPENERS)
    ]
    if not starts or not _name_ends_at(ctx, title_end, word_tags()):
        return None
    for start in starts:
        if _name_at(ctx, start) == title_start:
            return Candidate(make_mention(EntityType.PERSON, text, start, title_start, "title"), 55)
    return None


# (and a row's number: 7.郁宁教授（北京联合大学）建议)
_CLAUSE_OPENERS = frozenset("，。；：、\n.．\t")


def _listed_before_group(ctx: DocContext) -> Iterator[Candidate]:
    """欧阳明远、司马红、李建华等专家: the names listed before 等 and a word for people,
    each parted by 、 (the first one wherever a name of its length starts)."""
    text = ctx.text
    for group in _PEOPLE_AFTER_LIST.finditer(text):
        end = group.start()
        while end > 0:
            start = next(
                (start for start in range(max(0, end - 4), end - 1) if _name_at(ctx, start) == end),
                end,
            )
            if start == end:
                break
            yield Candidate(make_mention(EntityType.PERSON, text, start, end, "listed"), 55)
            if text[start - 1 : start] != "、":
                break
            end = start - 1


# 等 and a word for people closes a list of their names (…、李建华等专家).
_PEOPLE_AFTER_LIST = re.compile(
    r"等(?:\d+|[一二三四五六七八九十]+)?名?(?:专家学者|专家|学者|同志|领导|嘉宾|老师|代表|个人)"
)


def _listed_after_label(ctx: DocContext, body_ends: list[int]) -> Iterator[Candidate]:
    """门头沟区：贾振华、庞红梅、卢雪莹 / 评审专家：韩立青　宋秋实: a line that a short label
    and a colon open, read as a role's line when its first two items are names (the
    label may be a place, a body's short form, a side of a meeting …)."""
    text = ctx.text
    for label in _LABEL_COLON.finditer(text):
        start = label.end()
        first = _person_at(ctx, start, after_title=True)
        if first == start:
            continue
        following = _after_note(text, first)
        if text[following : following + 1] not in _LIST_GAPS:
            continue
        second = _past_gap(text, following + 1)
        if _person_at(ctx, second, after_title=True) > second:
            yield from _role_line(ctx, start, body_ends)


_LABEL_COLON = re.compile(r"^[ \t\u3000]*[\u4e00-\u9fff]{2,8}[：:]", re.MULTILINE)
_LIST_GAPS = frozenset("、， \u3000\t")


def _named_in_rows(ctx: DocContext) -> Iterator[Candidate]:
    """7\t郁宁\t北京联合大学\t教授: a table's row whose first cell, or first after the row's
    number, is a name and nothing else (a sign-in sheet, a roll)."""
    text = ctx.text
    for cell in _ROW_FIRST_CELL.finditer(text):
        start, end = cell.span(1)
        if _person_at(ctx, start) == end:
            yield Candidate(make_mention(EntityType.PERSON, text, start, end, "row"), 55)


_ROW_FIRST_CELL = re.compile(r"^(?:\d{1,3}\t)?([\u4e00-\u9fff·]{2,8})\t[^\t\n]+", re.MULTILINE)


# A header's column of people (作者, 主编, 姓名), and a cell of it that can be a name of
# any people's form (苏和巴特尔, 阿不都·热合曼), which the surnames would not find.
_NAME_CELL = re.compile(r"[\u4e00-\u9fff]{2,5}|[\u4e00-\u9fff]{1,6}·[\u4e00-\u9fff]{1,6}")
_NOT_A_NAME_END = re.compile(
    r"[局社室会院馆部厅委办处科所校站司队组村镇乡县市区省州旗盟类奖]$|年鉴|志$|大学|学院"
)


def _named_in_people_columns(ctx: DocContext) -> Iterator[Candidate]:
    """序号　论文题目　作者　作者单位 / 3　…　包金山　乌日娜　…: each name the column of
    people gives a row (two authors stacked in one cell are two cells, see
    ``text.layout``); a column that ends the header is the row's last cell."""
    text = ctx.text
    for header in patterns.TAB_HEADER_ROW.finditer(text):
        line_end = text.find("\n", header.start())
        names = text[header.start() : line_end if line_end >= 0 else len(text)].split("\t")
        columns = [
            i for i, name in enumerate(names) if patterns.PEOPLE_COLUMN.fullmatch(name.strip())
        ]
        if not columns:
            continue
        position = line_end + 1 if line_end >= 0 else len(text)
        while position < len(text):
            end = text.find("\n", position)
            end = len(text) if end < 0 else end
            if patterns.TAB_ROW.match(text, position):
                cells: list[tuple[int, int]] = []
                at = position
                for cell in text[position:end].split("\t"):
                    cells.append((at, at + len(cell)))
                    at += len(cell) + 1
                for column in columns:
                    if column == len(names) - 1:
                        found = cells[-1:]
                    else:
                        found = []
                        for start, stop in cells[column:]:
                            if not _is_name_cell(text, start, stop):
                                break
                            found.append((start, stop))
                    for start, stop in found:
                        if _is_name_cell(text, start, stop):
                            yield Candidate(
                                make_mention(EntityType.PERSON, text, start, stop, "row"), 54
                            )
            elif "\t" not in text[position:end] and len(text[position:end].strip()) > 20:
                break  # prose: the table has ended
            position = end + 1


def _is_name_cell(text: str, start: int, end: int) -> bool:
    return bool(_NAME_CELL.fullmatch(text, start, end)) and not _NOT_A_NAME_END.search(
        text[start:end]
    )


def find_persons(ctx: DocContext) -> Iterator[Candidate]:
    text = ctx.text
    res = ctx.resources
    titles = _title_matcher(res).find_matches_as_indexes(text)
    heads = [end for _, _, end in titles]
    for _, title_start, title_end in titles:
        if title_start >= 2:
            before = _named_before_title(ctx, title_start, title_end)
            if before is not None:
                yield before
    body_ends = _body_ends(ctx)
    if "：" in text or ":" in text:
        # 主持：王强, 出席：李明（…）、刘芳: a role, its colon, then who held it
        for _, _, end in _role_matcher(res).find_matches_as_indexes(text):
            if text[end : end + 1] in _AFTER_TITLE:
                yield from _role_line(ctx, end + 1, body_ends)
        yield from _listed_after_label(ctx, body_ends)
    yield from _after_bodies(ctx, body_ends)
    if "\t" in text:
        yield from _named_in_rows(ctx)
        yield from _named_in_people_columns(ctx)
    for title_end in heads:
        pos = title_end
        if text[pos : pos + 1] in _AFTER_TITLE:
            pos += 1  # 责任编辑：俞晓红, a masthead's or a list's title and its holder
        pos = _past_gap(text, pos)  # 主任　李明: a table's or a list's columns
        while True:
            end = _person_at(ctx, pos, after_title=True)
            if end == pos:
                break
            yield Candidate(make_mention(EntityType.PERSON, text, pos, end, "title"), 55)
            following = _after_note(text, end)
            if text[following : following + 1] == "、":
                pos = following + 1
            elif text[following : following + 1] in _GAP:
                pos = _past_gap(text, following)  # 李明　王芳: names parted by spaces
            else:
                break
    if "等" in text:
        yield from _listed_before_group(ctx)
    if "（" in text:
        yield from _noted_persons(ctx)
        yield from _roll_rows(ctx)
    if "·" in text or "•" in text or "・" in text:
        yield from _dotted_persons(ctx)
    # The pattern starts with a run of ideographs, tried at every character: in a
    # text without its words it is not searched at all (0.06 s of the 10 MB benchmark corpus).
    if not any(word in text for word in _COMRADE_WORDS):
        return
    for match in _COMRADE.finditer(text):
        start = match.start(1)
        end = _name_at(ctx, start)
        if end == match.end(1):
            yield Candidate(make_mention(EntityType.PERSON, text, start, end, "comrade"), 55)
