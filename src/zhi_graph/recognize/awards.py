"""Awards named after a trigger verb (入选, 获评, 荣获 …), and quoted names of every kind.

After an award trigger, the rest of the clause is an "award zone": a list of
items separated by 、 and ， where each item is an award, optionally led by the
body that confers it (澎湃网“优秀澎湃政务号”).
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from collections.abc import Iterator
from functools import cache, lru_cache

from ..model import AwardItem, AwardZone, EntityType
from ..resources import LexiconEntry, Resources
from ..segment import MAX_SENTENCE, word_tags
from ..text import patterns
from .context import BOUNDARY, Candidate, DocContext, is_cjk, make_mention, masthead_line
from .matcher import Matcher
from .names import is_collective, left_edge, lexicon_matcher

_QUALIFIER = re.compile(
    r"^(?:首批|第[一二三四五六七八九十百\d]+[批届次]|[一二三四五六七八九十\d]+项|"
    r"(?:19|20)\d{2}年(?!度)|(?:19|20)\d{2}年度(?=“)|本次|同一次|一批|了)"
)
_DATED_NOTE = re.compile(r"（[^（）]{0,12}(?:(?:19|20)\d{2}年|公布|评定|表彰)[^（）]{0,12}）$")
_TRAILING = re.compile(
    r"(?:等|称号|荣誉称号|荣誉|等系列荣誉|等荣誉|奖项|名单|证书|奖牌|牌匾|第[一二三四五六七八九十\d]+名"
    r"|后|之后|以后)+$"
)
_OWN_AWARD = re.compile(r"[^获]奖")
# The grades a selection gives, as its notices write them alone.
_GRADE_WORDS = "特等奖|特别奖|一等奖|二等奖|三等奖|优秀奖|金奖|银奖|铜奖"
_PUBLISHED_BY = re.compile(r"(?:公布|发布|评选|认定|命名|推荐)的$")
# Bodies listed with 、 that announced the list named after them (…公布的“A”名单).
_GIVERS_BEFORE_LIST = re.compile(
    r"([^，。；“”《》（）]{2,20}、[^，。；“”《》（）]{2,40}?)(?:公布|发布|认定|命名|评定|推荐)的"
    r"(?=(?:第[一二三四五六七八九十\d]+批|新一批|首批)?“)"
)
# 荣获甘肃省人民政府颁发的…二等奖, 荣获北京市总工会授予的“…”: the giver, then how it gave
_GIVER_FIRST = re.compile(r"([^，。；、“”《》（）]{2,30}?)(?:授予|颁发|颁授)的")
# A grade alone (一等奖), perhaps of a category (年鉴类一等奖) or as a kind of work
# (特等年鉴): the award it grades is named before it.
_GRADE = re.compile(
    r"^(?P<kind>[\u4e00-\u9fff]{1,4}类)?"
    r"(?P<grade>(?:特等|特别|一等|二等|三等|优秀|金|银|铜)(?:奖|年鉴|期刊|志书))$"
)
# The selection a sentence sets its grades in: 在2024年全国年鉴编纂出版质量评比中.
_SELECTION_SETTING = re.compile(
    r"在(?:(?:19|20)\d{2}年度?)?(?:第[一二三四五六七八九十百\d]+[届次])?"
    r"([\u4e00-\u9fff（）]{4,30}?(?:评比|评选|评审|评奖|大赛|比赛|竞赛|展评))(?:活动)?中"
)
_SELECTION_WORDS = ("评选", "评审", "评奖")
# A selection named again as one before (在同一次全省社科奖评选中).
_THE_SAME = ("同一次", "同一届", "同届", "同次", "该", "本届", "此次", "这次")
# 省地方志办组织第二届陕西省地方志优秀成果评选，…评出一等奖10项…。《A》获一等奖: the
# selection the paragraph says was held.
_SELECTION_HELD = re.compile(
    r"(?:组织|开展|举办|进行)(?:了)?(?:第[一二三四五六七八九十百\d]+[届次])?"
    r"([\u4e00-\u9fff（）]{4,30}?)(?:评选|评审|评比|评奖)(?:活动|工作)?[，。；]"
)
# What a list's heading names after the selection: those it lists (…评比获奖年鉴名单).
_WINNERS_LISTED = re.compile(r"获奖(?:年鉴|志书|成果|作品|单位|项目)?$")
# A selection by rating, named so in full (年鉴编纂质量评比): graded by that name.
_RATED = ("评比",)
_CATEGORY = re.compile(r"（[^（）]{1,6}类）$")
# (…入选山西省精品年鉴和获山西省地方志优秀成果二等奖: two predicates, each its award)
_SPLIT = re.compile(r"[、，]|(?<=”)[和及](?=“)|[和并](?:荣获|获得|获评|获|入选)")
# 获 before a giver and its verb is a passive, as 被 is: 获中共X委宣传部命名为“…”.
_PASSIVE_MARKERS = frozenset({"获"})
# (获江苏省社会科学界联合会（以下简称“省社科联”）认定为: a short form defined on the way)
_GIVEN_BY = re.compile(
    r"(?:[^，。；“”《》（）]|（[^（）\n]{0,20}）){2,40}?(?:命名为|评为|授予|认定为|评定为|确定为)"
)
_CONTINUES = re.compile(r"[^，。；、“”]{0,8}“")
_NEW_VERB = re.compile("获|入选|评为|授予|命名|认定|列入")
_ZONE_END = re.compile(r"[。；！？\n]")
# A clause that goes on to another deed of the winner's (，并承办“…”, ，还举办“…”).
_OTHER_DEED = re.compile(r"(?:并|还|同时|又|也)(?![获被荣入评])")
_LEVEL_PREFIX = {"省": "province", "市": "prefecture", "州": "prefecture", "县": "county"}


@cache
def _trigger_pattern(resources: Resources) -> re.Pattern[str]:
    words = sorted(resources.triggers.get("award", ()), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, words)))


@cache
def _award_suffixes(resources: Resources) -> tuple[str, ...]:
    return tuple(s.text for s in resources.suffixes[EntityType.AWARD])


def _strong_award_suffixes(resources: Resources) -> tuple[str, ...]:
    return tuple(s.text for s in resources.suffixes[EntityType.AWARD] if s.strong)


def _zone_end(text: str, start: int) -> int:
    # No further than a sentence can run (in a file of one huge line, the
    # search would otherwise scan to the end of the file for every trigger).
    limit = min(len(text), start + MAX_SENTENCE)
    end_match = _ZONE_END.search(text, start, limit)
    hard_end = end_match.start() if end_match else limit
    pos = start
    while True:
        comma = text.find("，", pos, hard_end)
        if comma < 0:
            return hard_end
        going_on = _CONTINUES.match(text, comma + 1)
        if not going_on or _NEW_VERB.search(going_on.group()):
            return comma  # (，天津市方志馆获“…”: another clause, with its own winner)
        if _OTHER_DEED.match(text, comma + 1):
            return comma  # (获评…基地，并承办“…资料展”: what it did besides)
        pos = comma + 1


def _expand_level(ctx: DocContext, label: str, at: int) -> tuple[str, tuple[str, ...]]:
    """省第十九次社会科学优秀成果二等奖 -> 四川省社会科学优秀成果二等奖 (and the forms written)."""
    aliases: list[str] = []
    plain = patterns.EDITION.sub("", label)
    if plain != label:
        aliases.append(label)
    # 2024年度全省地方志工作先进集体: one year's conferral of the award, not an award
    # of its own (the form written stays a name of it)
    period = _PERIOD.match(plain)
    if period is not None and len(plain) - period.end() >= 4:
        if plain not in aliases:
            aliases.append(plain)
        plain = plain[period.end() :]
    # 全省地方志工作先进个人: the award of the whole province, 辽宁省地方志工作先进个人
    whole = 1 if plain[:1] == _WHOLE and plain[1:2] in _LEVEL_PREFIX else 0
    level = _LEVEL_PREFIX.get(plain[whole : whole + 1])
    # (not 县级…, 省级…: of a level, not of one region)
    if level and len(plain) > 3 + whole and plain[whole + 1] != "级" and not ctx.hits_starting(at):
        adcode = ctx.nearest_region(at, level)
        if adcode is not None:
            aliases.append(plain)
            plain = ctx.resources.divisions[adcode].name + plain[whole + 1 :]
    return plain, tuple(aliases)


_WHOLE = "全"
_PERIOD = re.compile(r"(?:19|20)\d{2}年度")


def _is_trigger(ctx: DocContext, start: int, end: int) -> bool:
    if end - start > 1:
        return True
    tok_start, tok_end = ctx.token_at(start)
    return tok_start == start and tok_end == end


def find_award_zones(ctx: DocContext) -> list[AwardZone]:
    text = ctx.text
    res = ctx.resources
    lexicon = lexicon_matcher(res)
    suffixes = _award_suffixes(res)
    zones: list[AwardZone] = []
    last_end = -1
    for trigger in _trigger_pattern(res).finditer(text):
        if trigger.start() < last_end or not _is_trigger(ctx, trigger.start(), trigger.end()):
            continue
        if trigger.group() in _PASSIVE_MARKERS and _GIVEN_BY.match(text, trigger.end()):
            continue  # 获X命名为“Y”: the award follows the giver's verb, which opens the zone
        if text.startswith(_LIST_WORDS, trigger.end()):
            continue  # 精品年鉴入选名单: a list's name, not a verb
        if (
            trigger.group() in _BENEFACTIVE_VERBS
            and text.find("为", _clause_start(text, trigger.start()), trigger.start()) < 0
        ):
            continue  # 证书由X颁发: the giver's verb; 为A颁发“B”证书 gives B to A
        if text.startswith(_RESTATING, _clause_start(text, trigger.start())):
            continue  # 这是甘肃省镇志首次获得…奖: the award just told, said again of a kind
        zone_end = _zone_end(text, trigger.end())
        attributive = _ATTRIBUTIVE.match(text, trigger.end(), zone_end)
        if attributive is not None:
            # 获评特等的《南京年鉴（2024）》以“特载”…: what it won, then the work that won it
            # (the quotes after the work are no awards)
            zone_end = attributive.end(1)
        colon = text.find("：", trigger.end(), zone_end)
        if colon >= 0 and text.startswith("《", colon + 1):
            zone_end = colon  # 获二等奖：《A》《B》: the award, then its winners
        items: list[AwardItem] = []
        pos = trigger.end()
        given_to = None
        if trigger.group() in _DATIVE_VERBS:
            # 授予沈阳市地方志办公室等19个单位“A”称号: the recipients, then the award
            dative = _DATIVE.match(text, pos, zone_end)
            if dative:
                # (授予位于瑞金市叶坪镇的瑞金市方志馆“…”: the venue, not where it is)
                described = text.rfind("的", dative.start(1), dative.end(1) - 1)
                given_to = (max(dative.start(1), described + 1), dative.end(1))
                pos = dative.end()
        # 入选文旅部、国家发展改革委公布的“全国乡村旅游重点村”名单: the bodies that
        # announced the list, whose 、 parts no awards
        announcers = None
        givers = _GIVERS_BEFORE_LIST.match(text, pos, zone_end)
        if givers:
            announcers = (givers.start(1), givers.end(1))
            pos = givers.end()
        # 《A》获得X一等奖，《B》获得二等奖: a grade alone grades the award graded just
        # before in the sentence
        graded_before = _graded_in_sentence(ctx, zones, trigger.start())
        for piece in _SPLIT.split(text[pos:zone_end]):
            start = text.find(piece, pos) if piece else pos
            pos = start + len(piece) + 1
            previous = items[-1].label if items else graded_before
            giver, piece_start = _giver_first(ctx, start, piece)
            giver = giver or announcers
            piece = piece[piece_start - start :]
            found = [
                item
                for item in _items(ctx, piece_start, piece, suffixes, lexicon, previous)
                # 分别挂牌“重庆市方志馆西南大学分馆”…: a venue's name, not an award's
                if not _names_a_venue(ctx, item.label, suffixes)
            ]
            if giver is not None:
                found = [
                    item if item.conferrer else dataclasses.replace(item, conferrer=giver)
                    for item in found
                ]
            if not found:
                break  # the list of awards is over: the clause goes on about something else
            items.extend(found)
        if not items:
            items = _announced_list(ctx, trigger.start())
        elif given_to is None:
            given_to = _listed_after(ctx, items[-1].end)
        last_end = zone_end
        if items:
            # 获一等奖: a grade named alone, of the award announced before (which dates it)
            bare = _GRADE.match(text[items[0].start : items[0].end]) is not None
            zones.append(
                AwardZone(
                    trigger.start(),
                    trigger.end(),
                    tuple(items),
                    recipients=given_to,
                    year_hint=(_ungraded(items[0].label) or "") if bare else "",
                )
            )
    zones.extend(_listed_awards(ctx))
    zones.extend(_declared_lists(ctx))
    zones.extend(_award_tables(ctx))
    zones.extend(_honour_rolls(ctx))
    zones.extend(_labelled_rolls(ctx))
    zones.extend(_headed_rolls(ctx))
    zones.extend(_graded_lines(ctx))
    zones.extend(_graded_sections(ctx))
    zones.extend(_graded_table_rows(ctx))
    zones.extend(_commended(ctx))
    zones.extend(_named_as(ctx))
    zones.extend(_honours_tables(ctx))
    return zones


# A table of honours received, a row each: the honour, who received it, who gave it, when
# (序号　获奖项目　获奖单位或个人　授予单位　时间).
_HONOUR_COLUMN = re.compile(
    r"获奖项目|荣誉名称|奖项名称|获奖名称|荣誉称号|获奖（荣誉）项目|荣誉项目"
)
_RECEIVER_COLUMN = re.compile(
    r"获奖单位或个人|获奖单位（个人）|获奖单位|获奖个人|获奖者|获奖人|获奖对象|获奖作品|获奖成果|"
    r"获得者|获得单位|荣誉获得者"
)
_GIVER_COLUMN = re.compile(
    r"授予单位|颁奖单位|授予机关|授予部门|颁发单位|评选单位|评定单位|授奖单位"
)
_WHEN_COLUMN = re.compile(r"(?:授予|获奖|颁奖|获得)?(?:时间|日期|年份)")


def _honours_tables(ctx: DocContext) -> Iterator[AwardZone]:
    """序号　获奖项目　获奖单位或个人　授予单位　时间 and its rows: each row's honour went to
    those its second column names, from the body its third names, in the year its date's."""
    text = ctx.text
    if "\t" not in text or ("获" not in text and "荣誉" not in text):
        return
    for header in patterns.TAB_HEADER_ROW.finditer(text):
        line_end = text.find("\n", header.start())
        names = text[header.start() : line_end if line_end >= 0 else len(text)].split("\t")
        columns = [
            next((i for i, name in enumerate(names) if pattern.fullmatch(name.strip())), None)
            for pattern in (_HONOUR_COLUMN, _RECEIVER_COLUMN, _GIVER_COLUMN, _WHEN_COLUMN)
        ]
        honour, receiver, giver, when = columns
        if honour is None or receiver is None or line_end < 0:
            continue
        position = line_end + 1
        while (row := patterns.TAB_ROW.match(text, position)) is not None:
            end = text.find("\n", position)
            end = len(text) if end < 0 else end
            cells = _cell_spans(text, position, end)
            position = end + 1
            if len(cells) != len(names):
                continue
            award_start, award_end = cells[honour]
            label, aliases = _expand_level(
                ctx, patterns.EDITION.sub("", text[award_start:award_end]), award_start
            )
            if patterns.EDITION.search(text, award_start, award_end):
                aliases = (*aliases, text[award_start:award_end])
            year = None
            if when is not None:
                dated = patterns.YEAR.search(text, *cells[when])
                year = int(dated.group(1)) if dated else None
            yield AwardZone(
                row.start(),
                row.start() + 1,
                (
                    AwardItem(
                        award_start,
                        award_end,
                        label,
                        aliases,
                        cells[giver] if giver is not None else None,
                    ),
                ),
                recipients=cells[receiver],
                year=year,
            )


def _cell_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The spans of a tab-parted line's cells."""
    spans = []
    for cell in text[start:end].split("\t"):
        spans.append((start, start + len(cell)))
        start += len(cell) + 1
    return spans


# 对A、B等8个“全省地方志工作先进集体”予以通报表扬: the award named before its verb, the
# recipients after 对.
_COMMENDED = re.compile(
    r"对(?P<who>[^，。；：“”《》\n]{2,200}?)(?:等\d+(?:个|名|家|部|项|种)[\u4e00-\u9fff]{0,2})?"
    r"“(?P<award>[^“”\n]{2,30})”(?:称号)?(?:予以|给予)(?:通报)?(?:表扬|表彰|嘉奖)"
)


def _commended(ctx: DocContext) -> Iterator[AwardZone]:
    """对A、B等8个“X”予以通报表扬: A and B received X (the body before 对 gave it)."""
    text = ctx.text
    if "对" not in text or ("予以" not in text and "给予" not in text):
        return
    for found in _COMMENDED.finditer(text):
        start, end = found.span("award")
        label, aliases = _expand_level(ctx, patterns.EDITION.sub("", found.group("award")), start)
        yield AwardZone(
            found.start(),
            found.start() + 1,
            (AwardItem(start, end, label, aliases, None),),
            recipients=found.span("who"),
        )


# 命名A、B等10家单位为首批“X”: the names between the verb and 为 receive X.
_NAMED_AS = re.compile(
    r"(?:命名|认定|评定|确定)(?P<who>[^，。；：“”《》为\n]{2,200}?)"
    r"(?:等\d+(?:个|名|家|部|项|种)[\u4e00-\u9fff]{0,2})?为"
    r"(?:首批|新一批|第[一二三四五六七八九十\d]+批|(?:19|20)\d{2}年度?)?"
    r"“(?P<award>[^“”\n]{2,30})”"
)


def _named_as(ctx: DocContext) -> Iterator[AwardZone]:
    """命名A、B等10家单位为首批“X”: A and B received X (the body before the verb gave it)."""
    text = ctx.text
    for found in _NAMED_AS.finditer(text):
        start, end = found.span("award")
        label, aliases = _expand_level(ctx, found.group("award"), start)
        yield AwardZone(
            found.start(),
            found.start() + 2,
            (AwardItem(start, end, label, aliases, None),),
            recipients=found.span("who"),
        )


# What numbers a part of a notice or a list: 二、, 3., （一）.
_PART_NUMBER = r"(?:(?:[一二三四五六七八九十]+|\d{1,2})[、.．]|（[一二三四五六七八九十]+）)"
# 一、一等奖（4项）: a section of a results notice, its rows under it
_GRADE_SECTION = re.compile(
    r"^(?:(?:[一二三四五六七八九十]+|\d{1,2})[、.．][ \t]*|（[一二三四五六七八九十]+）[ \t]*)?"
    rf"(?P<grade>{_GRADE_WORDS})"
    r"(?:[（(][^）)\n]{1,8}[）)])?[ \t]*$",
    re.MULTILINE,
)


def _graded_sections(ctx: DocContext) -> Iterator[AwardZone]:
    """一、一等奖（4项） and its numbered rows (1．《贵阳年鉴（2024）》，…): each row's first
    name received the grade of the award the notice announced."""
    text = ctx.text
    if "等奖" not in text and "优秀奖" not in text:
        return
    for section in _GRADE_SECTION.finditer(text):
        base = _results_award(ctx, section.start())
        if base is None:
            continue
        rows: list[tuple[int, int]] = []
        for line in _LINE.finditer(text, section.end() + 1):
            raw = line.group()
            if not raw.strip():
                continue
            if _TITLES_LINE.fullmatch(raw.strip()):
                # 《A》（X编纂，Y出版）《B》（…）: the works of a flattened list, each a row
                rows.extend(m.span() for m in _NOTED_TITLE.finditer(text, *line.span()))
            elif _TABLE_ROW.match(raw) and not _HEADER_CELL.search(raw.strip()):
                rows.append(line.span())
            elif not (_HEADER_CELL.search(raw.strip()) and not rows):
                break  # prose, or the next section (the header row of a table is passed)
        if rows:
            start, end = section.start("grade"), section.end("grade")
            grade = section.group("grade")
            item = _graded_item(ctx, start, end, base, grade)
            category = _section_category(text, section.start())
            # (江西省优秀年鉴志书 names its kinds of works: 志书类 is no award of its own)
            if category and category[:-1] not in base:
                # 二、志书类 / （一）一等奖（3项）: the grade of that category's award
                plain = _CATEGORY.sub("", base) + f"（{category}）"
                item = _graded_item(ctx, start, end, plain, grade)
            yield AwardZone(start, end, (item,), rows=tuple(rows), year_hint=base)


# A part of a results list that holds one category of works (二、志书类, （一）年鉴类).
_CATEGORY_HEADING = re.compile(
    rf"^{_PART_NUMBER}?[ \t]*"
    r"([\u4e00-\u9fff]{1,4}类)(?:[（(][^）)\n]{1,8}[）)])?[ \t]*$"
)
_CATEGORY_REACH = 4000
_HEADER_WORDS = ("序号", "编号")
_CATEGORY_IN_NAME = re.compile(r"（([\u4e00-\u9fff]{1,4}类)）")


def _section_category(text: str, at: int) -> str | None:
    """The category of works the part of a results list holding the grade heading at
    ``at`` is of: the heading above it and its sibling grades' rows, if it names one
    (二、志书类 above （一）一等奖（3项））."""
    end = at
    while end > max(0, at - _CATEGORY_REACH):
        start = text.rfind("\n", 0, end - 1) + 1
        line = text[start:end].strip()
        if (
            line
            and not _GRADE_SECTION.match(line)
            and not _TABLE_ROW.match(line)
            # (the header row of the part's table, above its first grade)
            and not line.startswith(_HEADER_WORDS)
        ):
            heading = _CATEGORY_HEADING.match(line)
            if heading is None and line.endswith(_LIST_WORDS):
                # 第五届广东省地方志优秀成果（年鉴类）获奖名单: the list's own category
                heading = _CATEGORY_IN_NAME.search(line)
            return heading.group(1) if heading else None
        if start == 0:
            break
        end = start - 1
    return None


# A work and the note of who compiled and published it, and a line of nothing else.
_NOTED_TITLE = re.compile(r"《[^《》\n]{1,60}》(?:（(?:[^（）\n]|（[^（）\n]*）)*）)?")
_TITLES_LINE = re.compile(rf"(?:{_NOTED_TITLE.pattern}[、，；]?)+[。；]?")


def _graded_otherwise(text: str, start: int, end: int) -> bool:
    """Whether a table's rows between ``start`` and ``end`` have grades of their own (a
    grade cell, grade headings), which ``_graded_table_rows`` and ``_graded_sections``
    give: the table's heading then names only the award they grade."""
    return (
        _GRADED_ROW.search(text, start, end) is not None
        or _GRADE_SECTION.search(text, start, end) is not None
    )


def _graded_table_rows(ctx: DocContext) -> Iterator[AwardZone]:
    """A table's rows whose last cell is a grade (1　南昌年鉴（2024）　…　一等奖): each row's
    first name received that grade of the award the notice announced."""
    text = ctx.text
    if "\t" not in text:
        return
    for row in _GRADED_ROW.finditer(text):
        base = _results_award(ctx, row.start())
        if base is None:
            continue
        start, end = row.span("grade")
        category = _section_category(text, row.start())
        if category and category[:-1] not in base:
            # 二、志书类 / 序号　成果名称　…　等次 / rows: the grade of that category's award
            base = _CATEGORY.sub("", base) + f"（{category}）"
        grade = _full_grade(text, row.group("grade"))
        yield AwardZone(
            start,
            end,
            (_graded_item(ctx, start, end, base, grade),),
            rows=((row.start(), start),),
            year_hint=base,
        )


# Grades a column of grades (等次) may write without their noun, and the nouns they take.
_BARE_GRADES = "特等|一等|二等|三等"
_BARE_GRADE = re.compile(_BARE_GRADES)
_GRADE_NOUNS = "奖|年鉴|志书|成果"
_GRADED_ROW = re.compile(
    rf"^[^\t\n]+(?:\t[^\t\n]+)+\t(?P<grade>{_GRADE_WORDS}|{_BARE_GRADES})$", re.MULTILINE
)


def _full_grade(text: str, grade: str) -> str:
    """A grade as a column of grades writes it bare (一等), named as the notice names it
    elsewhere (评出一等年鉴8部 → 一等年鉴), else as a prize (一等奖)."""
    if not _BARE_GRADE.fullmatch(grade):
        return grade
    nouns = Counter(m.group(1) for m in re.finditer(rf"{grade}({_GRADE_NOUNS})", text))
    return grade + (nouns.most_common(1)[0][0] if nouns else "奖")


# Honours named alone after a decision that named them in full.
_BARE_HONOURS = frozenset({"先进集体", "先进个人", "先进工作者", "先进单位"})
_BARE_ENDINGS = tuple(sorted(_BARE_HONOURS))
_DECISION = re.compile(
    r"表彰(?:(?:19|20)\d{2}年度?)?(?P<name>[^《》，。；“”]{4,40}?)(?:的决定|的通报|的通知|》)"
)


def _decided_honour(ctx: DocContext, at: int, bare: str) -> str | None:
    """The full name of ``bare`` (先进集体) that a decision earlier in the sentence or the
    one before names (表彰…协同发展先进集体和先进个人的决定)."""
    text = ctx.text
    sentence = ctx.segmented.sentence_at(at)
    found = None
    for decision in _DECISION.finditer(text, max(0, sentence.start - _DECISION_REACH), at):
        for _, _, honour in _heading_awards(decision.group("name"), 0, _BARE_ENDINGS):
            if honour.endswith(bare) and len(honour) > len(bare):
                found = honour
    return found


_DECISION_REACH = 200


def _listed_after(ctx: DocContext, award_end: int) -> tuple[int, int] | None:
    """以下6项成果获二等奖：《A》《B》…: where the winners are listed after the award and a
    colon, to the sentence's end; 入选“A”的《B》 / 获得“A”的单位: after 的, to the clause's
    end (the winners the phrase describes, if it names them)."""
    text = ctx.text
    colon = award_end + (text[award_end : award_end + 1] == "”")
    title = _TITLE_WORD.match(text, colon)
    if title is not None:
        colon = title.end()  # 获得“A”称号的年鉴有：
    mark = text[colon : colon + 1]
    if mark == "的":
        listed = _LISTED_AS.match(text, colon + 1)
        if listed is not None:
            # 获得“A”称号的年鉴有：《B》《C》: those listed after the colon
            return listed.end(), ctx.segmented.sentence_at(colon).end
        if text.startswith(("《", "“"), colon + 1) or _DESCRIBED_WINNERS.match(text, colon + 1):
            # 入选“A”的《B》: B; 获得“A”的单位: winners described, none named
            return colon + 1, _zone_end(text, colon + 1)
        return None  # 《B》入选A的经验: the winner is named before the verb
    if mark not in ("：", ":"):
        return None
    return colon + 1, ctx.segmented.sentence_at(colon).end


_TITLE_WORD = re.compile("荣誉称号|称号|荣誉")
# After 的: a list the sentence goes on to give (…的年鉴有：), or the winners described.
_LISTED_AS = re.compile(r"[\u4e00-\u9fff]{1,6}有[：:]")
_DESCRIBED_WINNERS = re.compile(
    r"[^，。；、《“]{0,8}?(?:单位|集体|个人|同志|人员|代表|工作者|干部|先进|年鉴|志书|作品)"
)


# What opens a clause that says again of a whole kind what the one before told
# (，这是全省镇志首次获得…奖).
_RESTATING = ("这是", "这也是", "此为", "这标志着", "这也标志着")


# Verbs of giving whose receiver is named after 为 before them (为A颁发“B”证书).
_BENEFACTIVE_VERBS = frozenset({"颁发", "颁授"})
_CLAUSE_MARKS = "，。；：\n"


def _clause_start(text: str, at: int) -> int:
    """Where the clause holding ``at`` starts."""
    return max(text.rfind(mark, 0, at) for mark in _CLAUSE_MARKS) + 1


# A trigger's object that qualifies the work right after it: 获评特等的《A》.
_ATTRIBUTIVE = re.compile(r"([^，。；《》“”\n]{1,12}?)的(?=《)")


# Verbs whose object is who receives (授予X“A”称号), and that object: names, perhaps
# counted (X等19个单位, Y等22名同志), right before the quoted award.
_DATIVE_VERBS = frozenset({"授予"})
_DATIVE = re.compile(
    r"([^，。；：“”《》\n]{2,120}?)(?:等\d+(?:个|名|家|部|项|种)[\u4e00-\u9fff]{0,2})?(?=“)"
)


# (一等奖（4 项）：《A》…: the number of winners may come before the colon)
_GRADE_LINE = re.compile(
    rf"^(?P<grade>{_GRADE_WORDS}|提名奖)(?:[（(][^（）()\n]{{1,10}}[）)])?[：:](?P<rest>.+)$",
    re.MULTILINE,
)


def _graded_lines(ctx: DocContext) -> Iterator[AwardZone]:
    """一等奖：《广州年鉴（2023）》《深圳年鉴（2023）》 under an announced award."""
    text = ctx.text
    if "：" not in text and ":" not in text:
        return  # a colon follows every grade: no such line
    for line in _GRADE_LINE.finditer(text):
        base = _base_award(ctx, line.start())
        if base is None:
            continue
        start, end = line.start("grade"), line.end("grade")
        yield AwardZone(
            start,
            end,
            (AwardItem(start, end, *_grade_of(ctx, base, line.group("grade")), None),),
            rows=((line.start("rest"), line.end("rest")),),
            year_hint=base,
        )


def _listed_awards(ctx: DocContext) -> Iterator[AwardZone]:
    """…公布第十三届扬州市哲学社会科学优秀成果奖评选结果: the award exists, whoever won it."""
    text = ctx.text
    for match in _ANNOUNCED_LIST.finditer(text):
        name, start, end = match.group(1), match.start(1), match.end(1)
        if name.startswith("“"):
            if not name.endswith("”"):
                continue
            name, start, end = name[1:-1], start + 1, end - 1
        if not name.endswith(_award_suffixes(ctx.resources)) or name in ctx.resources.generic_names:
            continue
        sentence = ctx.segmented.sentence_at(match.start())
        body = _body_before(ctx, match.start(), sentence.start)
        # (表彰全国地方志系统先进集体和先进工作者: two honours)
        items = []
        for item_start, item_end, item_name in _heading_awards(
            name, start, _award_suffixes(ctx.resources)
        ):
            label, aliases = _expand_level(ctx, patterns.EDITION.sub("", item_name), start)
            items.append(AwardItem(item_start, item_end, label, aliases, body))
        yield AwardZone(match.start(), match.start(), tuple(items))


_LIST_WORDS = ("名单", "名录", "目录")
_TABLE_HEADING = re.compile(
    r"^(?:附(?:件)?\d*[:：]?)?(?:\d{1,2}[.．、])?"
    r"(?P<batch>首批|新一批|第[一二三四五六七八九十\d]+批|(?:19|20)\d{2}年度?)?"
    rf"“?(?P<award>[^“”\n]{{2,30}}?)”?(?:获奖|入选|推荐)?(?:{'|'.join(_LIST_WORDS)})(?:（[^）\n]*）)?$",
    re.MULTILINE,
)
# A numbered row: 1　《南京年鉴（2024）》　南京市…, not a sentence opening with 2024年;
# or a row that is a work's title (《伊金霍洛旗年鉴（2024）》（…编纂）).
_TABLE_ROW = re.compile(
    r"^[ \t]*(?:\d{1,3}(?![\d年月日个部名项次届批余多])[\t .、]*\S|《).*$", re.MULTILINE
)


# 评定以下5部年鉴为第二批“湖南省精品年鉴”，现予公告：, then the rows: the sentence
# names the award and says the rows after it are its winners.
_DECLARED_LIST = re.compile(
    r"(?:确定|评定|认定|评选|命名|公布)?以下\d*[部项个名家篇种件]?[\u4e00-\u9fff]{0,6}为"
    r"(?P<batch>首批|新一批|第[一二三四五六七八九十\d]+批|(?:19|20)\d{2}年度?)?"
    r"“(?P<award>[^“”\n]{2,30})”[^：:\n。]{0,12}[：:][ \t\u3000]*$",
    re.MULTILINE,
)


def _declared_lists(ctx: DocContext) -> Iterator[AwardZone]:
    """确定以下年鉴为“A”：and the numbered rows (or 《…》 lines) after it, blank lines
    between them allowed: each row's first name received A."""
    text = ctx.text
    if "以下" not in text:
        return
    suffixes = _award_suffixes(ctx.resources)
    for declared in _DECLARED_LIST.finditer(text):
        start = declared.start("award")
        awards = _heading_awards(declared.group("award"), start, suffixes)
        if len(awards) != 1:
            continue
        rows: list[tuple[int, int]] = []
        for line in _LINE.finditer(text, declared.end() + 1):
            if not line.group().strip():
                continue
            if not _TABLE_ROW.match(line.group()):
                break
            rows.append(line.span())
        if not rows:
            continue
        award_start, award_end, label = awards[0]
        full, aliases = _expand_level(ctx, patterns.EDITION.sub("", label), award_start)
        yield AwardZone(
            award_start,
            award_end,
            (AwardItem(award_start, award_end, full, aliases, None),),
            rows=tuple(rows),
            year_hint=(declared.group("batch") or "") + declared.group("award"),
        )


def _award_tables(ctx: DocContext) -> Iterator[AwardZone]:
    """附：第二批“江苏省精品年鉴”名单 and its numbered rows: each row's name received it.

    Between rows a table may have lines that only group them: a region's name
    (沈阳市, 省直单位), an order note (（按行政区划排序）), a section of one of two
    awards the heading names together (…先进集体和先进个人名单: 一、先进集体（19个）),
    or a grade given to the rows above it (以上5项为一等奖。).
    """
    text = ctx.text
    if not any(word in text for word in _LIST_WORDS):
        return  # every heading ends with one of them: the pattern is not tried line by line
    suffixes = _award_suffixes(ctx.resources)
    for heading in _TABLE_HEADING.finditer(text):
        name = heading.group("award")
        start = heading.start("award")
        awards = _heading_awards(name, start, suffixes)
        above = _heading_above(text, heading.start())
        joined = bool(above) and above.endswith(_JOINED_HEADING)
        if joined:
            # 2024年度全市史志工作先进集体和 / 先进个人名单: one heading cut at its 和
            first = heading.start() - 1 - len(above)
            awards = [
                (s, e + 1, label) if e > heading.start() - 1 else (s, e, label)
                for s, e, label in _heading_awards(above + name, first, suffixes)
            ]
            awards = [
                (s + 1, e, label) if s >= heading.start() - 1 else (s, e, label)
                for s, e, label in awards
            ]
            name = above + name  # (what dates the rows: the sentence naming it whole)
        elif above:
            # 第三届吉林省地方志优秀成果评选 / 优秀组织单位和先进个人名单: a heading
            # wrapped onto two lines names its awards in full with the first
            awards = [(s, e, above + label) for s, e, label in awards]
        if not awards or _in_attachment_list(text, heading.start()):
            continue
        # per award: its rows, cut into blocks that a grade line closes
        blocks: list[list[tuple[int, int]]] = [[] for _ in awards]
        grades: list[list[tuple[int, int, str]]] = [[] for _ in awards]
        current = 0
        position = heading.end()
        rows = plain_rows = 0
        grouped = False
        while True:
            row = _TABLE_ROW.search(text, position)
            listing = row is not None and row.group().rstrip().endswith(_LIST_WORDS)
            # (附件：1.X名单 2.Y名单: a list of attachments, not of winners)
            until = row.start() if row is not None and not listing else len(text)
            lines = [
                (m.start(), m.end(), m.group().strip())
                for m in _LINE.finditer(text, position, min(until, position + _PLAIN_ROWS))
                if m.group().strip()
            ]
            kinds = [_grouping_line(ctx, line, awards) for _, _, line in lines]
            plain = [
                kind is None and _plain_row(line)
                for (_, _, line), kind in zip(lines, kinds, strict=True)
            ]
            if rows == 0 and not any(plain) and any(kind is None for kind in kinds):
                if text[position:until].strip().count("\n") > 1 or until == len(text):
                    break  # a paragraph, not the next row
                lines, kinds, plain = [], [], []  # a line under the heading (（…评定）)
            ended = False
            for (line_start, line_end, _), kind, is_row in zip(lines, kinds, plain, strict=True):
                if (
                    is_row
                    and _SIGNATURE_DATE.match(text, line_end + 1)
                    and "\t" not in text[line_start:line_end]
                ):
                    ended = True  # the issuing body's name above the notice's date
                    break
                if (
                    is_row
                    and text[line_start - 2 : line_start] == "\n\n"
                    and _SIGNATURE_BLOCK.match(text, line_start)
                ):
                    ended = True  # the names of bodies issuing it jointly, then the date
                    break
                if is_row:
                    # 贵州省方志馆 / 罗文静（女，…）: a row of a roll that numbers none
                    blocks[current].append((line_start, line_end))
                    rows += 1
                    plain_rows += 1
                    position = line_end
                elif kind is None:
                    ended = True  # a paragraph, not the next row
                    break
                elif isinstance(kind, int):
                    current = kind
                    grouped = True
                elif kind == "":
                    grouped = True
                elif kind:
                    at = line_start + text[line_start:line_end].index(kind)
                    grades[current].append((at, at + len(kind), kind))
                    blocks[current].append((-1, -1))  # where the grade closes a block
            if ended or row is None or listing:
                break
            blocks[current].append((row.start(), row.end()))
            rows += 1
            position = row.end()
        # a grade line after the last row
        after = _GRADE_AFTER.match(text, position)
        if after and rows:
            at = after.start("grade")
            grades[current].append((at, after.end("grade"), after.group("grade")))
            blocks[current].append((-1, -1))
        if rows == plain_rows == 1 and not grouped:
            if not _several_cells(text, blocks):
                continue  # (附件：…名单, then the signing body's line: no roll)
            # 天津方志馆　北京市方志馆…分馆　“河北方志”微信公众号: a winner to a cell
            blocks = [
                [cell for span in block for cell in _cell_spans(text, *span)] for block in blocks
            ]
        if not rows:
            continue
        batch = heading.group("batch") or ""
        for (award_start, award_end, label), award_rows, award_grades in zip(
            awards, blocks, grades, strict=True
        ):
            if not any(r[0] >= 0 for r in award_rows):
                continue
            raw_label = label  # (as the heading writes it: what the decision names)
            label, aliases = _expand_level(ctx, patterns.EDITION.sub("", label), start)
            spans = [r for r in award_rows if r[0] >= 0]
            if not award_grades and _graded_otherwise(text, spans[0][0], spans[-1][1]):
                continue  # rows graded in their last cell or under grade headings
            if not award_grades:
                yield AwardZone(
                    heading.start(),
                    heading.end(),
                    (AwardItem(award_start, award_end, label, aliases, None),),
                    rows=tuple(r for r in award_rows if r[0] >= 0),
                    year_hint=batch + (raw_label if joined else name),
                )
                continue
            block: list[tuple[int, int]] = []
            graded = iter(award_grades)
            for row_span in award_rows:
                if row_span[0] >= 0:
                    block.append(row_span)
                    continue
                grade_start, grade_end, grade = next(graded)
                if block:
                    yield AwardZone(
                        grade_start,
                        grade_end,
                        (AwardItem(grade_start, grade_end, label + grade, (), None),),
                        rows=tuple(block),
                        year_hint=batch + (raw_label if joined else name),
                    )
                block = []


# The date under a notice's signature, on the line after the body's name.
_SIGNATURE_DATE = re.compile(
    r"[ \t\u3000]*\n?[ \t\u3000]*(?:(?:19|20)\d{2}|[〇零一二][〇零一二三四五六七八九]{3})\s*年"
    r"\s*[\d一二三四五六七八九十]{1,3}\s*月\s*[\d一二三四五六七八九十]{1,3}\s*日\s*$",
    re.MULTILINE,
)


def _several_cells(text: str, blocks: list[list[tuple[int, int]]]) -> bool:
    """Whether the one row of a roll names several winners, a cell each (田野（…）　孙秀兰（…）)."""
    spans = [span for block in blocks for span in block if span[0] >= 0]
    return len(spans) == 1 and "\t" in text[spans[0][0] : spans[0][1]].strip()


# Up to four bodies' names a line each, opening a paragraph right above the date.
_SIGNATURE_BLOCK = re.compile(
    r"(?:[ \t\u3000]*[\u4e00-\u9fff（）]{4,30}[ \t\u3000]*\n){1,4}"
    + _SIGNATURE_DATE.pattern.removeprefix(r"[ \t\u3000]*\n?"),
    re.MULTILINE,
)


# A heading's first line: short, no sentence's marks, and no list's or table's line.
_HEADING_HEAD = re.compile(
    r"[\u4e00-\u9fff（）\d]{4,24}(?:评选|评比|评审|表彰)|[\u4e00-\u9fff（）\d]{4,24}[和及与]"
)
_JOINED_HEADING = ("和", "及", "与")


def _heading_above(text: str, at: int) -> str:
    """The line right above a list's heading at ``at`` when it is the heading's first
    half (…优秀成果评选 above 优秀组织单位和先进个人名单), else ""."""
    if at < 2 or text[at - 1] != "\n":
        return ""
    start = text.rfind("\n", 0, at - 1) + 1
    line = text[start : at - 1].strip()
    return line if _HEADING_HEAD.fullmatch(line) else ""


def _honour_rolls(ctx: DocContext) -> Iterator[AwardZone]:
    """An honour roll: the honours' name on a line of its own, a note in brackets on
    the next saying who gave them and when, then a line of winners for each:

        全国地方志系统先进集体和先进工作者
        （人力资源社会保障部、中国地方志指导小组2024年12月表彰）
        先进集体：锦州市地方志办公室；晋中市地方志研究室
        先进工作者：大连市史志办公室　王海燕；孝义市地方志研究室　任晓峰
    """
    text = ctx.text
    if "）\n" not in text or "：" not in text:
        return
    suffixes = _award_suffixes(ctx.resources)
    for note in _ROLL_NOTE.finditer(text):
        heading_end = note.start() - 1
        heading_start = text.rfind("\n", 0, heading_end) + 1
        name = text[heading_start:heading_end].strip()
        if not name or len(name) > 30 or any(ch in name for ch in "，。；：“”《》"):
            continue
        start = heading_start + text[heading_start:heading_end].index(name)
        awards = _heading_awards(name, start, suffixes)
        if not awards:
            continue
        year = patterns.YEAR.search(note.group(1))
        position = note.end()
        for line in _ROLL_LINE.finditer(text, position):
            if text[position : line.start()].strip():
                break  # a paragraph between: the roll is over
            position = line.end()
            label = line.group("label")
            award = next((a for a in awards if a[2].endswith(label)), None)
            if award is None:
                break
            rows = [
                (line.start("rest") + item.start(), line.start("rest") + item.end())
                for item in _ROLL_ITEM.finditer(line.group("rest"))
            ]
            award_start, award_end, award_label = award
            full, aliases = _expand_level(ctx, patterns.EDITION.sub("", award_label), start)
            yield AwardZone(
                line.start("label"),
                line.end("label"),
                (AwardItem(award_start, award_end, full, aliases, note.span(1)),),
                rows=tuple(rows),
                year_hint=name,
                year=int(year.group(1)) if year else None,
            )


# 2024年度苏州市地方志工作先进集体（5个）：A、B、C。 a line that names an honour, perhaps
# counts its winners, and lists them after a colon.
_LABELLED_ROLL = re.compile(
    rf"^{_PART_NUMBER}?[ \t]*"
    r"(?P<award>[^：:\n，。；、“”《》]{2,40}?)(?:（\d+[个名项部家人位]）)?[：:]"
    r"(?P<rest>[^\n]+)$",
    re.MULTILINE,
)
# What parts the winners of such a line (、 or ；, outside brackets).
_ROLL_PART = re.compile(r"(?:[^、；;（）]|（[^（）]*）)+")


def _labelled_rolls(ctx: DocContext) -> Iterator[AwardZone]:
    """A line of winners after the honour's name and a colon: each one won it. The
    honour is named in full (2024年度苏州市地方志工作先进集体), or by its head alone
    (先进集体) after a decision that names it in full."""
    text = ctx.text
    if "：" not in text and ":" not in text:
        return
    suffixes = _award_suffixes(ctx.resources)
    triggers = _trigger_pattern(ctx.resources)
    for line in _LABELLED_ROLL.finditer(text):
        name = line.group("award")
        start = line.start("award")
        if _GRADE.match(name) or not name.endswith(suffixes) or triggers.search(name):
            continue  # (一等奖：…: _graded_lines; 以下6项成果获二等奖：…: _listed_after)
        if name in _BARE_HONOURS:
            full = _decided_honour(ctx, line.start(), name)
            if full is None:
                continue
            label, aliases = _expand_level(ctx, patterns.EDITION.sub("", full), start)
        else:
            label, aliases = _expand_level(ctx, patterns.EDITION.sub("", name), start)
        rest_start = line.start("rest")
        rows = tuple(
            (rest_start + part.start(), rest_start + part.end())
            for part in _ROLL_PART.finditer(line.group("rest"))
            if part.group().strip(" \t。.")
        )
        if len(rows) < 2:
            continue  # (主持：…, a label of one: not a roll)
        yield AwardZone(
            start,
            line.end("award"),
            (AwardItem(start, line.end("award"), label, aliases, None),),
            rows=rows,
            year_hint=name,
        )


# 四、优秀组织单位（10个）: a part of an annex that names an honour and counts its
# winners, who follow on lines of their own.
_HEADED_ROLL = re.compile(
    rf"^{_PART_NUMBER}?[ \t]*(?P<award>[\u4e00-\u9fff]{{2,16}})（\d{{1,3}} *[个名家位人]）[ \t]*$",
    re.MULTILINE,
)
# A winner of such a part: the text up to a tab, 、 or ；, or up to the end of the
# bracket after a name (其木格（呼和浩特市地方志办公室）高俊峰（…）, the gaps gone).
_ROLL_WINNER = re.compile(r"[^\t、；;（）\n]+(?:（[^（）\n]*）)?")
_ROLL_REACH = 40  # lines


def _headed_rolls(ctx: DocContext) -> Iterator[AwardZone]:
    """A part headed by an honour and its count, its winners on the lines under it:
    each won the honour, named in full where the text quoted it before (评出…等10个
    单位为“第三届全区地方志优秀成果评选工作优秀组织单位”)."""
    text = ctx.text
    suffixes = _award_suffixes(ctx.resources)
    for heading in _HEADED_ROLL.finditer(text):
        name = heading.group("award")
        if _GRADE.match(name) or not name.endswith(suffixes):
            continue
        full = _quoted_before(text, heading.start(), name)
        if full is None:
            continue
        rows: list[tuple[int, int]] = []
        for number, line in enumerate(_LINE.finditer(text, heading.end() + 1)):
            raw = line.group()
            if not raw.strip():
                if rows:
                    break
                continue
            if (
                number > _ROLL_REACH
                or _HEADED_ROLL.match(raw)
                or _PART_HEADING.match(raw)
                or _TABLE_ROW.match(raw)
                or raw.lstrip().startswith(_HEADER_WORDS)
            ):
                break  # (a table under the heading: the rules for tables read it)
            rows.extend(
                (line.start() + m.start(), line.start() + m.end())
                for m in _ROLL_WINNER.finditer(raw)
                if m.group().strip()
            )
        if len(rows) < 2:
            continue
        start = heading.start("award")
        label, aliases = _expand_level(ctx, patterns.EDITION.sub("", full), start)
        yield AwardZone(
            start,
            heading.end("award"),
            (AwardItem(start, heading.end("award"), label, aliases, None),),
            rows=tuple(rows),
            year_hint=full,
        )


_PART_HEADING = re.compile(rf"^{_PART_NUMBER}")


def _quoted_before(text: str, at: int, name: str) -> str | None:
    """The honour ``name`` ends, as the text quoted it last before ``at`` (or ``name``
    itself when the text quoted it whole)."""
    found = None
    for quoted in re.finditer(rf"“([^“”\n]{{0,40}}{re.escape(name)})”", text[:at]):
        found = quoted.group(1)
    return found


# An honour roll's note (…2024年12月表彰), a line of its winners, and one winner.
_ROLL_NOTE = re.compile(
    r"^（([^（）\n]{4,80}(?:表彰|授予|命名|评选|评定|认定|公布)[^（）\n]{0,20})）$", re.M
)
_ROLL_LINE = re.compile(r"^(?P<label>[^：:\n]{2,12})[：:](?P<rest>[^\n]+)$", re.M)
_ROLL_ITEM = re.compile(r"[^；;]+")


# …等部门公布的第六批“A”名录: a list someone keeps, named with its keeper
_GIVEN_LIST = re.compile(
    r"(?P<giver>[^“”，。]{2,30}?)(?:等\d*个?部门|等单位)?(?:公布|发布|认定|命名|评定)的"
    r"(?:新一批|首批|第[一二三四五六七八九十\d]+批)?"
)
_LIST_AFTER = re.compile(r"名单|名录|目录")
# An event's word before a quoted list's name, and the list's word after it
# (书展“长江文化主题出版精品”推介书目), joined by | for one match.
_FRAMED_LIST = re.compile(
    r"(?:本届|该|此次)?(?:书展|博览会|展会|大会|活动|评选|工程)?\|"
    r"(?:推介书目|推荐书目|书目|名单|名录|目录|推介名单|推荐名单)"
)


# A line of a table that gives the rows above it their grade (以上5项为一等奖。).
_GRADE_AFTER = re.compile(
    r"\s*以上\s*\d{1,3}\s*[项部种个名件]\s*(?:为|获|获得)?(?P<grade>特等奖|一等奖|二等奖|三等奖|优秀奖)[。.]?"
)
# A line of the text, and how far a roll whose rows are not numbered is read.
_LINE = re.compile(r"^.*$", re.MULTILINE)
_PLAIN_ROWS = 6000
# Where a row that is not numbered may not run: a sentence's marks (outside brackets).
_PROSE_MARKS = re.compile(r"[。；：:！？]|，(?![^（）]*）)")


def _in_attachment_list(text: str, line_start: int) -> bool:
    """Whether a numbered line (2.第二批…名单) goes on a list of attachments whose line
    before it (附件：1.…) opens or goes on: their titles, not a table."""
    if not text[line_start : line_start + 1].isdigit():
        return False
    before_end = text.rfind("\n", 0, line_start)
    before = text[text.rfind("\n", 0, max(0, before_end)) + 1 : max(0, before_end)].strip()
    return before.startswith("附件") or _ATTACHMENT_ITEM.match(before) is not None


_ATTACHMENT_ITEM = re.compile(r"\d{1,2}[.．、]")


def _plain_row(line: str) -> bool:
    """Whether a line can be a row of a roll without numbers: a name, maybe with a note
    in brackets (贵州省方志馆, 罗文静（女，贵州省地方志办公室）), not a sentence."""
    return (
        # (a line listing many with 、: 广州市地方志办公室、深圳市史志办公室、…)
        (2 <= len(line) <= 50 or all(2 <= len(part) <= 40 for part in line.split("、")))
        and is_cjk(line[0])
        and not _PROSE_MARKS.search(line)
        and not line.endswith(_LIST_WORDS)
        and not _HEADER_CELL.search(line)
    )


# A cell of a table's header row (序号　年鉴名称　编纂单位): not a row of winners.
_HEADER_CELL = re.compile(
    r"(?:^|\t)(?:序号|[^\t]{0,4}名称|姓名|[^\t]{0,4}单位|等次|备注|作者)(?:\t|$)"
)


# A line of a table that only groups its rows: a section (一、先进集体（19个）).
_SECTION_LINE = re.compile(
    r"^[一二三四五六七八九十]+[、.．]\s*(?P<name>[^（(]{2,20})(?:[（(][^）)]*[）)])?$"
)
# （一）省直单位（3个）: a group's line with its number and its count
_COUNTED_GROUP = re.compile(
    r"(?:[（(][一二三四五六七八九十]+[）)])?(?P<name>[^（）()\s]{2,12})"
    r"(?:[（(]\d+[个名项人部家]?[）)])?"
)
_GROUP_WORDS = ("省直单位", "省直机关", "中直单位", "直属单位", "市直单位", "其他单位")
_ORDER_NOTE = re.compile(r"^[（(][^）)]{2,20}[）)]$")


def _heading_awards(name: str, start: int, suffixes: tuple[str, ...]) -> list[tuple[int, int, str]]:
    """The awards a table's heading names, as (start, end, label): one, or two named
    together (全省地方志工作先进集体和先进个人: …先进集体 and …先进个人)."""
    if name.endswith(suffixes):
        for joint in ("和", "及", "与"):
            cut = name.rfind(joint)
            second = name[cut + 1 :] if cut > 0 else ""
            first = name[:cut] if cut > 0 else ""
            if second and first.endswith(suffixes) and second.endswith(suffixes):
                shared = _shared_prefix(first, second)
                return [
                    (start, start + cut, first),
                    (start + cut + 1, start + len(name), shared + second),
                ]
        return [(start, start + len(name), name)]
    return []


def _shared_prefix(first: str, second: str) -> str:
    """What of ``first`` the second award of a pair leaves unsaid: 全省地方志工作先进集体
    and 先进个人 share 全省地方志工作 (the second starts as the end of the first does)."""
    at = first.rfind(second[:2])
    return first[:at] if at > 0 else ""


def _grouping_line(
    ctx: DocContext, line: str, awards: list[tuple[int, int, str]]
) -> int | str | None:
    """What a line between a table's rows is: the index of the award whose section it
    opens, a grade it gives the rows above, "" for a line that only groups rows, or
    None for a line of prose (the table is over)."""
    grade = _GRADE_AFTER.fullmatch(line)
    if grade:
        return grade.group("grade")
    section = _SECTION_LINE.match(line)
    if section:
        title = section.group("name").strip()
        for index, (_, _, label) in enumerate(awards):
            if label.endswith(title) or title.endswith(label[-4:]):
                return index
        return None
    if line in _GROUP_WORDS or _ORDER_NOTE.match(line) or _HEADER_CELL.search(line):
        return ""  # (序号　姓名　单位及职务: a header row)
    group = _COUNTED_GROUP.fullmatch(line)
    name = group.group("name") if group else line
    if name in _GROUP_WORDS or name in ctx.resources.region_names:
        return ""  # 沈阳市, （二）贵阳市（3个）: the rows of one region
    return None


def _graded_in_sentence(ctx: DocContext, zones: list[AwardZone], at: int) -> str | None:
    """The label of the last award of the zone before ``at``, if that zone is in the same
    sentence and its award is graded."""
    if not zones or not zones[-1].items:
        return None
    last = zones[-1]
    if ctx.segmented.sentence_at(last.trigger_start).start != ctx.segmented.sentence_at(at).start:
        return None
    label = last.items[-1].label
    return label if _ungraded(label) else None


def _ungraded(label: str) -> str | None:
    """The award a graded label grades (安徽省年鉴编纂质量评比特等奖 → …评比), if graded."""
    for grade in _GRADES:
        if label.endswith(grade) and len(label) > len(grade):
            return label[: -len(grade)]
    return None


_GRADES = tuple(
    level + kind
    for level in ("特等", "一等", "二等", "三等", "优秀", "金", "银", "铜")
    for kind in ("奖", "年鉴", "期刊", "志书")
)


def _giver_first(ctx: DocContext, start: int, piece: str) -> tuple[tuple[int, int] | None, int]:
    """The body a piece names before the award it gave (甘肃省人民政府颁发的…), and where
    the award starts; else no body, and the piece's start."""
    given = _GIVER_FIRST.match(piece)
    if given is None:
        return None, start
    body = _body_before(ctx, start + given.end(1), start)
    if body is None or body[0] != start:
        return None, start
    return body, start + given.end()


def _items(
    ctx: DocContext,
    start: int,
    piece: str,
    suffixes: tuple[str, ...],
    lexicon: Matcher[LexiconEntry],
    previous: str | None = None,
) -> Iterator[AwardItem]:
    """The awards one piece of a list after a trigger names; ``previous``: the label of
    the award the piece before named, if any."""
    res = ctx.resources
    qualifier = _QUALIFIER.match(piece)
    while qualifier and qualifier.end() > 0:
        start += qualifier.end()
        piece = piece[qualifier.end() :]
        qualifier = _QUALIFIER.match(piece)
    note = _DATED_NOTE.search(piece)
    if note is not None:
        piece = piece[: note.start()]  # 获三等奖（2024年11月公布）: when, not part of its name
    described = piece.find("的")
    if described > 0:
        head = _TRAILING.sub("", piece[:described]).replace("“", "").replace("”", "")
        if head.endswith(suffixes) or head in lexicon:
            piece = piece[:described]  # 入选中国精品年鉴的经验: the award, then what of it
    trailing = _TRAILING.search(piece)
    core = piece[: trailing.start()] if trailing else piece
    quotes = list(patterns.QUOTED.finditer(core))
    if not core or len(core) > (150 if quotes else 40):
        return
    graded = _GRADE.match(core)
    if graded:
        # 分别获得A评比特等奖、一等奖: the grade after another grades the same award.
        base = _ungraded(previous) if previous else None
        base = base or _base_award(ctx, start)
        if base is not None:
            # 在年鉴类评选中，《A》获一等奖: the category the setting names
            kind = graded.group("kind") or _setting_category(ctx, start)
            if kind:
                # 获年鉴类一等奖 → 全国地方志优秀成果（年鉴类）一等奖; a grade of another
                # category after it (获志书类一等奖) replaces that one's
                base = _CATEGORY.sub("", base) + f"（{kind}）"
            label, aliases = _grade_of(ctx, base, graded.group("grade"))
            yield AwardItem(start, start + len(core), label, aliases, None)
        return
    whole = core.strip()
    known = lexicon.get(whole)
    if (
        not quotes
        and not whole.endswith(suffixes)
        and (
            (_HONOUR.search(whole) and 4 <= len(whole) <= 24)
            # 入选第八批中国历史文化名镇: an award the lexicon knows, unquoted
            or (known is not None and known.type is EntityType.AWARD)
        )
        and not _unquoted_item_rejected(whole, res)
    ):
        suffixes = (*suffixes, whole[-2:])
    if whole.endswith(suffixes) and (
        not quotes or quotes[-1].end() < len(core) or len(quotes) == 1
    ):
        framed = (
            _FRAMED_LIST.fullmatch(core[: quotes[0].start()] + "|" + core[quotes[0].end() :])
            if len(quotes) == 1
            else None
        )
        given = (
            _GIVEN_LIST.fullmatch(core, 0, quotes[0].start())
            if len(quotes) == 1 and _LIST_AFTER.fullmatch(core, quotes[0].end())
            else None
        )
        given_by = None
        if quotes and quotes[0].start() == 0 and quotes[0].end() == len(core):
            label = quotes[0].group(1)
            s, e = start + 1, start + len(core) - 1
        elif len(quotes) == 1 and core.startswith("的", quotes[0].end()):
            # 获得“A”的单位颁奖: the award, then who is described as having it
            label = quotes[0].group(1)
            s, e = start + quotes[0].start(1), start + quotes[0].end(1)
        elif given is not None:
            # 列入住房和城乡建设部等部门公布的第六批“中国传统村落”名录: the list, and who
            # keeps it
            label = quotes[0].group(1)
            s, e = start + quotes[0].start(1), start + quotes[0].end(1)
            body = _leading_body(given.group("giver"), ctx)
            if body:
                given_by = (start, start + body)
        elif framed:
            # 入选书展“长江文化主题出版精品”推介书目: the list the event named
            label = quotes[0].group(1)
            s, e = start + quotes[0].start(1), start + quotes[0].end(1)
        else:
            label, s, e = core, start, start + len(core)
            if not quotes and _unquoted_item_rejected(label, res):
                return
        conferrer = None
        if not (label.startswith("“") or quotes) or label == core:
            conferrer_hit = _leading_body(label, ctx)
            if conferrer_hit:
                conferrer = (s, s + conferrer_hit)
                label = label[conferrer_hit:]
                s += conferrer_hit
        if label in _BARE_HONOURS:
            # 宣读了《关于表彰…协同发展先进集体和先进个人的决定》，A被评为先进集体: the
            # honour the decision named
            label = _decided_honour(ctx, s, label) or label
        if label in res.generic_names or len(label) < 3:
            return
        if _SCOPE_AND_GRADE.fullmatch(label):
            # 获全国二等奖: that grade of the national award named last (全国地方志优秀成果
            # （年鉴类）), and no award when none was
            base = _national_award_before(ctx, s)
            if base is not None:
                yield AwardItem(s, e, base + label[2:], (label,), conferrer or given_by)
            return
        label, aliases = _expand_level(ctx, label, s)
        yield AwardItem(s, e, label, aliases, conferrer or given_by)
        return
    conferrer = None
    previous_end = 0
    for quote in quotes:
        prefix = core[previous_end : quote.start()]
        previous_end = quote.end()
        name = quote.group(1)
        q_start = start + quote.start()
        if prefix.endswith("简称"):
            continue  # an abbreviation being defined, not an award
        # （以下简称“中志办”）2024年度“中国精品年鉴”: not the definition, nor the year
        prefix = _YEAR_PREFIX.sub("", prefix[prefix.rfind("）") + 1 :])
        if prefix and any(word_tags().get(w) == "v" for w in _words(ctx, prefix)):
            prefix = ""  # 实现广西“中国精品年鉴”零的突破: a clause, not part of the name
        announced = _PUBLISHED_BY.search(prefix)
        if announced:
            # 原中国地方志指导小组办公室（简称“中指办”）公布的“中国精品年鉴”
            head = core[: quote.start() - len(prefix) + announced.start()].lstrip("原")
            head = re.sub(r"（[^（）]*$", "", re.sub(r"（[^（）]*）", "", head))
            body = _leading_body(head, ctx)
            offset = core.find(head[:body]) if body else -1
            if body and offset >= 0:
                conferrer = (start + offset, start + offset + body)
            prefix = ""
        if prefix:
            body = _leading_body(prefix, ctx)
            if body == len(prefix):
                conferrer = (start + quote.start() - len(prefix), q_start)
                prefix = ""
            elif body or "（" in prefix or _known(prefix, ctx):
                prefix = ""
        if prefix:
            label = prefix + "“" + name + "”"
            yield AwardItem(q_start - len(prefix), start + quote.end(), label, (name,), conferrer)
        else:
            label, aliases = _expand_level(ctx, name, q_start + 1)
            yield AwardItem(q_start + 1, start + quote.end() - 1, label, aliases, conferrer)


_PLATFORM_VERBS = ("开设", "开通", "上线")
_RUN_QUOTE = re.compile(r"、?“[^“”\n]{1,25}”")


def _after_quote_run(text: str, end: int) -> str:
    """The words after a run of quoted names that starts right at ``end``, less 等."""
    match = _RUN_QUOTE.match(text, end)
    while match:
        end = match.end()
        match = _RUN_QUOTE.match(text, end)
    return text[end : end + 10].lstrip("等")


_ANNOUNCED_LIST = re.compile(
    r"(?:公布|发布|印发|下发|命名|认定|评定|表彰|通报|揭晓)(?:了|的)?(?!为)"
    r"(?:新一批|首批|第[一二三四五六七八九十\d]+[批届]|(?:19|20)\d{2}年度?)?"
    r"(“[^“”\n]{2,30}”|[^，。；“”《》\n]{2,30}?)"
    # (…联合表彰的“A”中，X、Y榜上有名: those the list holds)
    r"(?:获奖名单|名单|推选结果|评选结果|评审结果|评比结果|结果|(?=中?[，。；]))"
)


def _announced_list(ctx: DocContext, trigger_start: int) -> list[AwardItem]:
    """…公布新一批“A”名单，《P》入选 / X榜上有名: the award is the list announced before."""
    text = ctx.text
    sentence = ctx.segmented.sentence_at(trigger_start)
    found: list[AwardItem] = []
    announced = list(_ANNOUNCED_LIST.finditer(text, sentence.start, trigger_start))
    # 组织开展了首届“重庆市精品年鉴”评选，《A》《B》等4部年鉴入选: the selection run
    announced += _SELECTION_RUN.finditer(text, sentence.start, trigger_start)
    if not announced and sentence.start > 0 and text.startswith(_ON_THE_LIST, trigger_start):
        # …公布2025年度X名单，全国共有60部入选。我省《A》、《B》榜上有名: the sentence
        # before, in the same paragraph, announced it
        previous = ctx.segmented.sentence_at(sentence.start - 1)
        if "\n" not in text[previous.end : sentence.start]:
            announced = list(_ANNOUNCED_LIST.finditer(text, previous.start, previous.end))
    for match in sorted(announced, key=lambda m: m.start()):
        name = match.group(1)
        start, end = match.start(1), match.end(1)
        if name.startswith("“"):
            name, start, end = name[1:-1], start + 1, end - 1
        if name.startswith("“") and not name.endswith("”"):
            continue
        if not name.endswith(_award_suffixes(ctx.resources)) or name in ctx.resources.generic_names:
            continue
        body = _body_before(ctx, match.start(), sentence.start)
        found = []
        for item_start, item_end, item_name in _heading_awards(
            name, start, _award_suffixes(ctx.resources)
        ):
            label, aliases = _expand_level(ctx, item_name, start)
            found.append(AwardItem(item_start, item_end, label, aliases, body))
    return found


# A sentence that says its works are on the list the sentence before announced.
_ON_THE_LIST = ("榜上有名", "入选")


_SELECTION_RUN = re.compile(
    r"(?:开展|组织|举办|启动)了?(?:首届|第[一二三四五六七八九十\d]+届|(?:19|20)\d{2}年度?)?"
    r"(“[^“”\n]{2,30}”)(?:评选|评审|评比|评定|认定|推选)"
)
_ISSUED_NOTICE = re.compile(r"(?:印发|发布|下发|发出)《关于$")


def _body_before(ctx: DocContext, offset: int, lower: int) -> tuple[int, int] | None:
    """The span of an institution named right before ``offset`` (中共浙江省委宣传部公布…)."""
    text = ctx.text
    line_start = text.rfind("\n", 0, offset) + 1
    if text[line_start:offset] == _TITLE_OPENING:
        # 海南省地方志办公室 / 琼志办〔2025〕9号 / 关于公布…评审结果的通知: the notice's
        # masthead names who announces
        return _masthead_body(ctx, line_start)
    issued = _ISSUED_NOTICE.search(text[lower:offset])
    if issued:  # 省史志院印发《关于公布…评选结果的通知》: the office that issued the notice
        offset -= len(issued.group())
    definition = re.search(r"（[^（）]{0,20}）$", text[lower:offset])
    if definition:  # 中共苏州市委网络安全和信息化委员会办公室（简称“苏州市委网信办”）公布
        offset -= len(definition.group())
    best = None
    for hit in lexicon_matcher(ctx.resources).find_all(text[lower:offset]):
        if hit.payload.type is EntityType.INSTITUTION and lower + hit.end == offset:
            best = (lower + hit.start, offset)
    if best is None:
        start = left_edge(ctx, offset)
        if start < offset:
            best = (start, offset)
    return best


_TITLE_OPENING = "关于"


def _masthead_body(ctx: DocContext, title_start: int) -> tuple[int, int] | None:
    """The span of the body a notice's masthead names above its title at ``title_start``:
    the first line up that is a body's name alone (or with 文件), past blank lines and
    the document's number."""
    text = ctx.text
    found = masthead_line(text, title_start)
    if found is None:
        return None
    start, end = found
    name = text[start:end].strip().removesuffix("文件").strip()
    at = start + text[start:].index(name)
    for hit in lexicon_matcher(ctx.resources).find_all(name):
        if hit.payload.type is EntityType.INSTITUTION and hit.start == 0 and hit.end == len(name):
            return at, at + len(name)
    for suffix in _institution_endings(ctx):
        if name.endswith(suffix) and left_edge(ctx, at + len(name) - len(suffix)) == at:
            return at, at + len(name)
    return None


def _institution_endings(ctx: DocContext) -> list[str]:
    return [s.text for s in ctx.resources.suffixes[EntityType.INSTITUTION] if s.strong]


def _base_award(ctx: DocContext, before: int) -> str | None:
    """获一等奖 after 《…》《…》: the grade of the award the paragraph is about."""
    text = ctx.text
    sentence = ctx.segmented.sentence_at(before)
    paragraph_start = text.rfind("\n", 0, before) + 1
    best = None
    best_start = -1
    for hit in lexicon_matcher(ctx.resources).find_all(text[paragraph_start:before]):
        if hit.payload.type is EntityType.AWARD and not hit.payload.label.endswith(_UNGRADED):
            end = paragraph_start + hit.end
            label = hit.payload.label
            if text.startswith("（", end):
                close = text.find("）", end)
                if 0 < close - end <= 8 and text[close - 1] == "类":
                    label += text[end : close + 1]
            best = label
            best_start = paragraph_start + hit.start
    setting = None
    for found in _SELECTION_SETTING.finditer(text, sentence.start, before):
        setting = found
    if (
        setting is not None
        and setting.start() > best_start
        and not (setting.group(1).startswith(_THE_SAME) and "奖" in setting.group(1))
    ):
        # (在同一次全省社科奖评选中获得4项二等奖 counts the prizes of an award named
        # before: the sentence names no award of its own; 在…组织的第三十四届陕西新闻奖
        # 评选中 names its own)
        # 在2024年全国年鉴编纂出版质量评比中，《A》获特等年鉴
        # (在市方志办组织的第五届上海市地方志优秀成果评选中: the selection, not who ran it)
        selection = patterns.EDITION.sub("", _ORGANISED_BY.sub("", setting.group(1)))
        for word in _SELECTION_WORDS:
            selection = selection.removesuffix(word)
        if len(selection) >= 4:
            return selection
    announced = None
    for found in _ANNOUNCED_LIST.finditer(text, max(0, sentence.start - 400), before):
        if found.group(1) not in _NOT_ANNOUNCED:
            announced = found
    held = None
    for found in _SELECTION_HELD.finditer(text, paragraph_start, before):
        held = found
    if (
        held is not None
        and held.start() > best_start
        and held.group(1).endswith(_award_suffixes(ctx.resources))
        and not any(
            a.start() > held.start()
            for a in _ANNOUNCED_LIST.finditer(text, held.end(), before)
            if a.group(1) not in _NOT_ANNOUNCED
        )
    ):
        return held.group(1)
    # 第三届吉林省地方志优秀成果获奖名单 above a table whose rows grade themselves: the
    # table's own heading, unless results were announced between it and the row
    listed = _listed_heading(ctx, before) if best is None else None
    if announced and announced.start() > best_start:
        if listed is not None and listed[0] > announced.start():
            return listed[1]
        # 扬州市人民政府公布第十三届扬州市哲学社会科学优秀成果奖评选结果，…获一等奖
        return patterns.EDITION.sub("", announced.group(1).strip("“”"))
    # (a table's rows are no sentence of each other's: 一等奖 of the row above is not
    # this row's own award)
    own_start = max(sentence.start, paragraph_start)
    if best_start < own_start and _OWN_AWARD.search(text, own_start, before):
        return None  # the sentence names its own award (全省社科奖…获得4项二等奖)
    if best is None:
        # 关于公布第五届贵州省地方志优秀成果评审结果的通知 … 四、优秀奖 … 《A》获优秀奖: the
        # results the notice announced, pages before
        for found in _ANNOUNCED_LIST.finditer(text, max(0, before - _RESULTS_REACH), before):
            if found.group().endswith("结果") and found.group(1) not in _NOT_ANNOUNCED:
                announced = found
        if listed is not None and (announced is None or listed[0] > announced.start()):
            return listed[1]
        if announced is not None:
            return patterns.EDITION.sub("", announced.group(1).strip("“”"))
        # …办公室关于第四届广西地方志优秀成果评选结果的通报: the notice's own title
        titles = list(_RESULTS_TITLE.finditer(text, max(0, before - _RESULTS_REACH), before))
        if titles:
            return titles[-1].group(1)
    return best


def _listed_heading(ctx: DocContext, before: int) -> tuple[int, str] | None:
    """Where the last heading of a list of winners before ``before`` starts, and the award
    it names (2025年全省年鉴编纂质量评比获奖年鉴名单: the selection whose winners it lists;
    第十届全国地方志优秀成果（年鉴类）陕西获奖名单: not the province whose winners they are)."""
    heading = None
    for found in _TABLE_HEADING.finditer(ctx.text, max(0, before - _RESULTS_REACH), before):
        heading = found
    if heading is None:
        return None
    award = _WINNERS_LISTED.sub("", heading.group("award"))
    for name in _trailing_region_names(ctx, award):
        award = award.removesuffix(name)
        break
    plain = _CATEGORY.sub("", award)
    if plain.endswith(_award_suffixes(ctx.resources)) or plain.endswith(_RATED):
        return heading.start(), patterns.EDITION.sub("", award)
    return None


def _trailing_region_names(ctx: DocContext, label: str) -> list[str]:
    """The names of a province that ``label`` ends with (陕西, 陕西省), longest first."""
    names = ctx.resources.region_names
    return [
        label[-size:]
        for size in (4, 3, 2)
        if len(label) > size + 2
        and any(
            ctx.resources.divisions[code].level == "province"
            for code, _ in names.get(label[-size:], ())
        )
    ]


_YEAR_PREFIX = re.compile(r"^(?:19|20)\d{2}年度?$")
_ORGANISED_BY = re.compile(r"^[^的]{2,20}(?:组织|主办|举办|开展|承办)的")
_COUNTED_GRADES = re.compile(
    rf"评出(?P<award>[^，。；、“”《》\n]{{4,30}}?)(?:{_GRADE_WORDS})\d+(?:项|部|个|件|篇)"
)
# What follows 公布 that names no award (现将评审结果公布如下).
_NOT_ANNOUNCED = frozenset({"如下", "于后", "如后"})
# A notice of results named by its title alone, the verb its last word.
_RESULTS_TITLE = re.compile(
    r"关于(?:第[一二三四五六七八九十\d]+[批届]|(?:19|20)\d{2}年度?)?"
    r"([^，。；“”《》\n]{4,30}?)(?:评选|评审|评比|推选)?结果的(?:通报|通知|公告|决定)"
)
# Designations that a list enters, never graded (获…一等奖 is no grade of theirs).
_UNGRADED = ("精品年鉴", "精品期刊", "基地", "之乡", "之都", "称号")
# How far back a grade named alone may find the results a notice announced.
_RESULTS_REACH = 8000


def _results_award(ctx: DocContext, before: int) -> str | None:
    """The award a section or a row of a results list grades: the one whose prizes the
    notice counted (共评出江西省优秀年鉴志书一等奖6项、二等奖9项 … 附件1 … 一等奖), else
    the one its paragraph or notice names (``_base_award``)."""
    counted = None
    for found in _COUNTED_GRADES.finditer(ctx.text, max(0, before - _RESULTS_REACH), before):
        counted = found
    if counted is not None:
        return patterns.EDITION.sub("", counted.group("award"))
    return _base_award(ctx, before)


def _with_ordinal(ctx: DocContext, base: str, before: int) -> str | None:
    """The award as the notice last named it with its edition (第四届海南省地方志优秀成果),
    if it did: an alias of the award named without it."""
    text = ctx.text
    at = text.rfind(base, max(0, before - _RESULTS_REACH), before)
    while at > 0:
        ordinal = _ORDINAL_BEFORE.search(text, max(0, at - 8), at)
        if ordinal is not None:
            return ordinal.group() + base
        at = text.rfind(base, max(0, before - _RESULTS_REACH), at)
    return None


_ORDINAL_BEFORE = re.compile(rf"{patterns.EDITION.pattern}$")


def _graded_item(ctx: DocContext, start: int, end: int, base: str, grade: str) -> AwardItem:
    """A grade of ``base``, named as the notice names the award, with its edition as an
    alias (第四届海南省地方志优秀成果一等奖)."""
    edition = _with_ordinal(ctx, base, start)
    aliases = [edition + grade] if edition else []
    # (全省年鉴编纂质量评比 in a notice of Jiangsu's: 江苏省年鉴编纂质量评比)
    expanded, _ = _expand_level(ctx, base, start)
    if expanded != base:
        aliases.append(base + grade)
    label, written = _grade_of(ctx, expanded, grade)
    return AwardItem(start, end, label, (*aliases, *written), None)


def _grade_of(ctx: DocContext, base: str, grade: str) -> tuple[str, tuple[str, ...]]:
    """The name of a grade of ``base`` and its other form: without the 奖 that ends the
    award's name where the text writes it so (恩施州社会科学优秀成果奖 → 恩施州社会科学优秀
    成果三等奖), else the two joined."""
    joined = base + grade
    if base.endswith(_PRIZE) and grade.endswith(_PRIZE):
        written = base[:-1] + grade
        if written in ctx.text:
            return written, (joined,)
    return joined, ()


_PRIZE = "奖"


def _setting_category(ctx: DocContext, before: int) -> str | None:
    """The category of works a selection setting before ``before`` in its sentence names
    (在年鉴类评选中 → 年鉴类), if it names one."""
    text = ctx.text
    sentence = ctx.segmented.sentence_at(before)
    category = None
    for found in _CATEGORY_SETTING.finditer(text, sentence.start, before):
        category = found.group(1)
    # (…获一等奖；《B》获二等奖: a clause after ； goes on the sentence before it)
    while (
        category is None
        and not text.startswith(_AMONG_THEM, sentence.start)
        and text[sentence.start - 1 : sentence.start] == "；"
    ):
        sentence = ctx.segmented.sentence_at(sentence.start - 1)
    if category is None and text.startswith(_AMONG_THEM, sentence.start) and sentence.start > 0:
        # 地情书及其他类共评出一等奖2项…。其中，《A》获一等奖: the sentence before counts
        # the category's winners
        previous = ctx.segmented.sentence_at(sentence.start - 1)
        counted = _CATEGORY_COUNTED.match(text, previous.start)
        if counted is not None and "\n" not in text[previous.start : sentence.start]:
            category = counted.group(1)
    return category


_CATEGORY_SETTING = re.compile(r"在([\u4e00-\u9fff]{1,4}类)(?:评比|评选|评审|评奖)中")
_AMONG_THEM = "其中"
_CATEGORY_COUNTED = re.compile(r"([\u4e00-\u9fff]{1,8}类)(?:共|获奖成果)?(?:评出|入选|获奖)")


def _words(ctx: DocContext, phrase: str) -> list[str]:
    from ..segment import tokens

    return [t.text for t in tokens(phrase, ctx.resources)]


def _names_a_venue(ctx: DocContext, label: str, award_suffixes: tuple[str, ...]) -> bool:
    """Whether ``label`` ends as a venue's name does and as no award's."""
    venue_suffixes = tuple(s.text for s in ctx.resources.suffixes[EntityType.VENUE] if s.strong)
    return label.endswith(venue_suffixes) and not label.endswith(award_suffixes)


def _known(prefix: str, ctx: DocContext) -> bool:
    """A prefix naming a venue or fair (北京国际图书博览会) is not part of the award's name."""
    venue_suffixes = tuple(s.text for s in ctx.resources.suffixes[EntityType.VENUE] if s.strong)
    return prefix.endswith(venue_suffixes)


def _leading_body(label: str, ctx: DocContext) -> int:
    """Length of an institution's name at the start of ``label`` (中宣部“…”), or 0."""
    return _leading_institution(label, ctx.resources)


@lru_cache(maxsize=65536)
def _leading_institution(label: str, resources: Resources) -> int:
    """``_leading_body`` (cached: award labels repeat within and across documents)."""
    best = 0
    for hit in lexicon_matcher(resources).find_all(label):
        if hit.start == 0 and hit.payload.type is EntityType.INSTITUTION:
            best = max(best, hit.end)
        if hit.start > 0:
            break
    return best


def _unquoted_item_rejected(label: str, res: Resources) -> bool:
    if label in res.generic_names or label.endswith(_PROGRAMMES):
        return True
    # (获评省级基地：延安市方志馆…: a colon opens what the phrase before it sums up)
    return any(ch in label for ch in "的了着：")


_SCOPE_AND_GRADE = re.compile(rf"全国(?:{_GRADE_WORDS})")


def _national_award_before(ctx: DocContext, before: int) -> str | None:
    """The last national award (全国…) the text names before ``before`` as graded, or
    as a selection's, with the category written after it (全国地方志优秀成果（年鉴类）)."""
    text = ctx.text
    lower = max(0, before - _RESULTS_REACH)
    found = None
    for hit in lexicon_matcher(ctx.resources).find_all(text[lower:before]):
        graded = _GRADED_AFTER.match(text, lower + hit.end)
        if (
            graded is not None
            and hit.payload.type is EntityType.AWARD
            and hit.payload.label.startswith("全国")
        ):
            found = hit.payload.label + (graded.group("category") or "")
    return found


_GRADED_AFTER = re.compile(
    rf"(?P<category>（[\u4e00-\u9fff]{{1,6}}类）)?(?:{_GRADE_WORDS}|评选|评审|评比)"
)
# What a project or a programme is called (列为…示范项目): not an award (the guide's
# programmes and campaigns), unless quoted as one.
_PROGRAMMES = ("项目", "工程", "计划", "活动", "行动", "课题")


# Words that make a phrase after 获评/评为 an honour even without an award suffix
# (2024年度全省地方志系统优秀新媒体).
_HONOUR = re.compile(r"优秀|先进|示范|精品|十佳|最美|百强|十大|模范|标兵|标杆")


_FAIR = re.compile(
    r"(?:(?:19|20)\d{2}年?)?([\u4e00-\u9fff]{2,12}?(?:书展|博览会|图书节|书市|展览会))"
)


def find_award_candidates(ctx: DocContext, zones: list[AwardZone]) -> Iterator[Candidate]:
    text = ctx.text
    for zone in zones:
        for item in zone.items:
            fair = _FAIR.match(text, item.start, item.end)
            if fair and fair.end() < item.end:
                # “2024天府书展四川精品期刊展”: the fair is a venue of its own.
                yield Candidate(
                    make_mention(EntityType.VENUE, text, fair.start(1), fair.end(1), "award-zone"),
                    86,
                    nested=True,
                )
            yield Candidate(
                make_mention(
                    EntityType.AWARD,
                    text,
                    item.start,
                    item.end,
                    "award-zone",
                    label=item.label,
                    aliases=item.aliases,
                ),
                85,
                # 印发《关于公布第二届…优秀成果评选结果的通知》: named inside the notice's title
                nested=text.rfind("《", 0, item.start) > text.rfind("》", 0, item.start),
            )


def find_quoted(ctx: DocContext, zones: list[AwardZone]) -> Iterator[Candidate]:
    """Quoted names outside award zones, typed by what follows them or by their suffix."""
    text = ctx.text
    res = ctx.resources
    # in_zone[i]: an award item covers character i (one lookup a quote, not one per item)
    in_zone = bytearray(len(text) + 1)
    for item in (i for z in zones for i in z.items):
        in_zone[item.start : item.end] = b"\x01" * (item.end - item.start)
    not_entity = tuple(res.triggers.get("not_entity_after_quote", ()))
    descriptors = res.venue_descriptors
    venue_suffixes = res.suffixes[EntityType.VENUE]
    institution_suffixes = tuple(s.text for s in res.suffixes[EntityType.INSTITUTION] if s.strong)
    award_suffixes = _strong_award_suffixes(res)
    for quote in patterns.QUOTED.finditer(text):
        name = quote.group(1).strip()
        start, end = quote.start(1), quote.end(1)
        if in_zone[start]:
            continue
        if text.endswith("简称", 0, quote.start()) or text.endswith("简称：", 0, quote.start()):
            continue  # the short form being defined; resolve makes it an alias
        if len(name) < 2 or len(name) > 25 or any(ch in name for ch in "、，。；：！？"):
            continue
        if len(re.findall(r"\d+|[一二三四五六七八九十多]", name)) >= 3:
            continue  # “1号1网7平台”, “一微一网多号一馆”: a slogan of counts
        after = text[quote.end() : quote.end() + 10]
        descriptor = next((d for d in descriptors if after.startswith(d)), None)
        if descriptor is None:
            # “文旅泸州”“泸州酒业发展”“酒城档案”等官微: the word after the run types them all.
            run_after = _after_quote_run(text, quote.end())
            descriptor = next(
                (
                    d
                    for d in descriptors
                    if len(d) > 1
                    and d in run_after[:6]
                    and not any(ch in BOUNDARY for ch in run_after[: run_after.index(d)])
                ),
                None,
            )
            if descriptor is not None and ctx.hits_starting(quote.end()):
                # “学习强国”四川学习平台: a place and the rest of the name follow the quote,
                # which is one venue of the whole (names.find_suffix_names makes it).
                continue
            if descriptor is not None:
                yield Candidate(
                    make_mention(EntityType.VENUE, text, start, end, "quoted", online=True), 80
                )
                continue
        if after.startswith(_PLATFORM_VERBS):
            # 在“德阳市民通”开设…: a platform that something is opened on.
            yield Candidate(
                make_mention(EntityType.VENUE, text, start, end, "quoted", online=True), 80
            )
            continue
        venue_suffix = next((s for s in venue_suffixes if name.endswith(s.text)), None)
        if (
            venue_suffix is not None
            and descriptor is None
            and is_collective(name[: -len(venue_suffix.text)])
        ):
            continue  # 开设“区县方志馆”“镇村史馆”两个在线展厅: sections, not venues
        if descriptor is not None and len(descriptor) == 1:
            tok_start, tok_end = ctx.token_at(quote.end())
            if tok_end - tok_start > 1:
                descriptor = None  # “方志四川”网络品牌: 网络, not 网
        if descriptor == "网":
            yield Candidate(
                make_mention(
                    EntityType.VENUE,
                    text,
                    start,
                    quote.end() + 1,
                    "quoted",
                    label=name + "网",
                    online=True,
                ),
                80,
            )
            continue
        if descriptor is not None or venue_suffix is not None:
            # “方志四川”新媒体矩阵, “四川方志云”（四川省数字方志馆）, “方志驿站”: the
            # descriptor right after the quote is claimed too, so that 微信 in
            # “苏州史志”微信公众号 is not a second venue.
            aliases = [name + descriptor] if descriptor else []
            paren = re.match(r"（([^（）]{2,20})）", text[quote.end() :])
            if paren:
                aliases.append(paren.group(1))
            right_after = descriptor is not None and after.startswith(descriptor)
            yield Candidate(
                make_mention(
                    EntityType.VENUE,
                    text,
                    start,
                    end,
                    "quoted",
                    label=name,
                    aliases=tuple(aliases),
                    online=True if descriptor else bool(venue_suffix and venue_suffix.online),
                ),
                80,
                claim=(start, quote.end() + len(descriptor))
                if right_after and descriptor
                else None,
            )
            continue
        if name.endswith(institution_suffixes):
            yield Candidate(make_mention(EntityType.INSTITUTION, text, start, end, "quoted"), 80)
            continue
        if name.endswith(award_suffixes) and not after.startswith(not_entity):
            yield Candidate(make_mention(EntityType.AWARD, text, start, end, "quoted"), 80)
            continue
        if after.startswith(not_entity):
            continue
        # Apposition: 四川省情语料库“若水” names the corpus 若水; 汕头市地方志办公室
        # 微信公众号“汕头方志” names an account.
        before_start = quote.start()
        account = next(
            (d for d in descriptors if len(d) > 1 and text.endswith(d, 0, before_start)), None
        )
        if account is not None:
            yield Candidate(
                make_mention(EntityType.VENUE, text, start, end, "quoted", online=True),
                80,
                claim=(before_start - len(account), end),
            )
            continue
        described = next(
            (s for s in venue_suffixes if s.strong and text.endswith(s.text, 0, before_start)),
            None,
        )
        if described is not None:
            lead = left_edge(ctx, before_start - len(described.text))
            yield Candidate(
                make_mention(
                    EntityType.VENUE,
                    text,
                    lead,
                    quote.end(),
                    "quoted",
                    label=name,
                    aliases=(text[lead:before_start],),
                    online=described.online,
                ),
                80,
            )
