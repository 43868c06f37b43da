"""receivedAward (with the year of the award event) and conferredBy from award lists."""

from __future__ import annotations

import re
from itertools import pairwise

from ..model import AwardZone, EntityType, Mention, RelationKind, Sentence, Span
from ..recognize.context import is_cjk
from ..text import patterns
from .base import Graph

_RECIPIENT_TYPES = frozenset(
    {
        EntityType.PUBLICATION,
        EntityType.INSTITUTION,
        EntityType.VENUE,
        EntityType.REGION,
        EntityType.PERSON,
    }
)
_FALLBACK_TYPES = frozenset({EntityType.PUBLICATION, EntityType.VENUE})
_PERSON_ONLY = frozenset({EntityType.PERSON})
# What stands between a person's unit and the person: a post, or nothing (…办公室副主任张三)
_POST_GAP = re.compile(r"[^，。；：、“”《》（）()\s]{0,8}")
_EMPLOYERS = frozenset({EntityType.INSTITUTION, EntityType.VENUE})
_CHAIN_GAP = re.compile(
    r"^(?:》《|》(?:第[一二三四五六七八九十\d]{1,3}(?:卷|册|辑|分册))?、《|》(?:以及|和|及|与)《"
    r"|(?:（[^（）]{1,40}）)?(?:[、和及与]|以及)|)$"
)
# (《西安市志（1991—2020）》第一卷、《青木川镇志》获一等奖: a volume of the work listed)
# What parts a work from the place written before the next one (《A》、徐州市《B》).
_PLACED_GAP = re.compile(r"》?(?:[、和及与]|以及)")
# What parts a work from the body credited with the next one (《A》、Y编纂的《B》).
_LISTED_BEFORE_CREDIT = re.compile(r"》?(?:[、和及与]|以及)")
# Who made a work, between its name and the work (X编纂的《A》).
_CREDIT_GAP = re.compile(r"(?:组织)?(?:编纂|编撰|编辑|编著|编写|编|出版|选送|报送|主办)的?《?")
# (…2023年印发的《…办法》: the year a document was issued, that the award follows)
_NOT_EVENT_YEAR = re.compile(
    r"以来|截至|截止|至今|起|之前|前后|期间|启动|(?:印发|发布|出台|制定|颁布|修订)的《"
    # (面向2021年1月至2024年6月出版的: a period's start)
    r"|^(?:19|20)\d{2}年(?:\d{1,2}月)?(?:\d{1,2}日)?[至—－~～]"
)
_CLAUSE_BREAK = re.compile(r"[，；]")
# (组织编纂 is compiling: a body that has a work compiled gives no award)
_NOT_ORGANISING = "(?!编纂|编写|撰写|编修|编制|实施)"
_ORGANISES = re.compile(
    rf"启动|组织{_NOT_ORGANISING}|开展|评选|评定|认定|命名|授予|公布|举办|表彰|决定"
)
_RESPECTIVELY = "分别"
_JOINTLY = frozenset({"联合", "共同"})
# X选送的《A》…获奖: a verb and 的 after the body make it one of the recipient's words.
_RELATIVE_CLAUSE = re.compile(r"[\u4e00-\u9fff]{1,4}的[《“]?")
_LOOK_BACK_SENTENCES = 6


def add_awards(graph: Graph) -> None:
    for zone in graph.resolved.recognized.award_zones:
        _add_zone(graph, zone)
    _add_announcers(graph)


_ANNOUNCER_VERB = re.compile(
    rf"(?:公布|揭晓|发布|组织开展|开展|组织{_NOT_ORGANISING}|举办|命名|认定|评定|表彰)"
)


def _add_announcers(graph: Graph) -> None:
    """中国地方志工作办公室公布第九届全国地方志优秀成果（年鉴类）评选结果: it confers the award."""
    text = graph.text
    issuers = graph.own_titles
    for verb in _ANNOUNCER_VERB.finditer(text):
        sentence = graph.sentence_at(verb.start())
        before = graph.mentions_between(max(sentence.start, verb.start() - 40), verb.start())
        titled = _TITLE_VERB.match(text, sentence.start, verb.start())
        if titled is not None and not before:
            # 中指办 / 关于公布第七批“中国精品年鉴”名单…的通知: the notice's own title, its
            # issuers the announcers
            bodies = [
                key for start, end, keys in issuers if start <= verb.start() < end for key in keys
            ]
        elif not before:
            continue
        else:
            body, body_key = before[-1]
            gap = text[body.end : verb.start()]
            if body.type is not EntityType.INSTITUTION or (
                gap and not gap.startswith("（") and gap.strip("”）") and gap not in _JOINTLY
            ):
                continue  # (中志办”）公布: the short form just defined; A、B联合表彰: jointly)
            bodies = [body_key]
            start = body.start
            for earlier, earlier_key in reversed(before[:-1]):
                if earlier.type is not EntityType.INSTITUTION or text[earlier.end : start] != "、":
                    break
                bodies.append(earlier_key)  # 人力资源社会保障部、中志办联合表彰
                start = earlier.start
        if not bodies:
            continue
        end = _CLAUSE_BREAK.search(text, verb.end(), sentence.end)
        for mention, key in graph.mentions_between(
            verb.end(), end.start() if end else sentence.end
        ):
            if mention.type is not EntityType.AWARD:
                continue
            awards = [key, *_elided_awards(graph, key, mention.end)]
            for award in awards:
                for giver in bodies:
                    graph.add(
                        RelationKind.CONFERRED_BY, award, giver, Span(sentence.start, sentence.end)
                    )


# A notice's own title up to its verb: 关于公布…, 关于表彰….
_TITLE_VERB = re.compile(r"[ \t\u3000]*(?:[一二三四五六七八九十]+、)?关于$")


_ELIDED = re.compile(r"[和及、]([\u4e00-\u9fff]{2,10}?)(?=[，。；、和及]|$)")


def _elided_awards(graph: Graph, award: str, end: int) -> list[str]:
    """全国地方志系统先进集体和先进工作者: the award the rest names with the first's head
    (全国地方志系统先进工作者), if the document names it in full elsewhere."""
    rest = _ELIDED.match(graph.text, end)
    if rest is None:
        return []
    label = graph.entities[award].label
    tail = rest.group(1)
    return [
        entity.key
        for entity in graph.entities.values()
        if entity.type is EntityType.AWARD
        and entity.key != award
        and entity.label.endswith(tail)
        and len(entity.label) > len(tail)
        and label.startswith(entity.label[: -len(tail)])
    ]


def share_conferrers(graph: Graph) -> None:
    """A grade of an award (…一等奖) is conferred by whoever confers the award."""
    conferred: dict[str, list[str]] = {}
    for kind, award, body, _ in graph.relations:
        if kind is RelationKind.CONFERRED_BY and body not in conferred.setdefault(award, []):
            conferred[award].append(body)  # (every body of a joint award, not the last)
    for award, bodies in list(conferred.items()):
        base = graph.entities[award].label
        for entity in graph.entities.values():
            if (
                entity.type is EntityType.AWARD
                and entity.key not in conferred
                and entity.label.startswith(base)
                and entity.label != base
            ):
                for body in bodies:
                    graph.add(
                        RelationKind.CONFERRED_BY,
                        entity.key,
                        body,
                        graph.first_sentence(entity.key),
                    )


def _bodies_listed_after(graph: Graph, where: tuple[int, int], first: str | None) -> list[str]:
    """The bodies listed with 、 after the first one named in ``where``."""
    if first is None:
        return []
    text = graph.text
    found: list[str] = []
    previous = None
    for mention, key in graph.mentions_between(*where):
        if mention.type is not EntityType.INSTITUTION or mention.end > where[1]:
            continue
        if previous is not None and text[previous.end : mention.start] == "、":
            found.append(key)
        elif previous is not None:
            break
        previous = mention
    return [key for key in found if key != first]


def _reviewers(graph: Graph, sentence_start: int, trigger_start: int) -> list[str]:
    """The bodies of a 经…审定 phrase before the verb in its sentence (经A、B审定，…入选)."""
    found = None
    for match in _REVIEWED.finditer(graph.text, sentence_start, trigger_start):
        found = match
    if found is None:
        return []
    return [
        key
        for mention, key in graph.mentions_between(found.start(1), found.end(1))
        if mention.type is EntityType.INSTITUTION and mention.end <= found.end(1)
    ]


_REVIEWED = re.compile(r"经([^，。；“”《》]{2,60}?)(?:审定|批准|认定|评定|审核|评审|审批)[，,]")


def _mention_key(graph: Graph, start: int, end: int, type_: EntityType) -> str | None:
    for mention, key in graph.mentions_between(max(0, start - 40), end):
        if mention.type is type_ and mention.start < end and start < mention.end:
            return key
    return None


def _add_zone(graph: Graph, zone: AwardZone) -> None:
    text = graph.text
    sentence = graph.sentence_at(zone.trigger_start)
    span = Span(sentence.start, sentence.end)
    conferrer_spans = [i.conferrer for i in zone.items if i.conferrer]
    agent = None if zone.rows else _passive_giver(graph, sentence.start, zone.trigger_start)
    if agent is not None:
        conferrer_spans.append((agent[0], zone.trigger_start))
    if zone.recipients is not None:
        named = [
            (mention, key)
            for mention, key in graph.mentions_between(*zone.recipients)
            if mention.type in _RECIPIENT_TYPES and mention.end <= zone.recipients[1]
        ]
        # 授予威宁县史志馆馆长马兰英“…”称号: the person, not the body she works for
        recipients = [
            key
            for index, (mention, key) in enumerate(named)
            if not (index + 1 < len(named) and _employs(text, mention, named[index + 1][0]))
            # 授予熊晓燕（南昌市地方志办公室）、…: the body in her note only says where she works
            and not (index > 0 and _noted_employer(text, named[index - 1][0], mention))
            # 永嘉县岩头镇苍坡村史馆, 乐清市柳市镇: a place written before a name says where
            and not (
                mention.type is EntityType.REGION
                and index + 1 < len(named)
                and named[index + 1][0].start == mention.end
            )
        ]
        year = (
            zone.year
            if zone.year is not None
            else _sentence_year(graph, sentence, zone.trigger_start)
        )
    elif zone.rows:
        recipients = _row_recipients(graph, zone)
        year = zone.year if zone.year is not None else _table_year(graph, zone)
    elif zone.trigger_start == zone.trigger_end:
        recipients, year = [], None  # an award named as announced; no winner here
    elif _gives_to_no_one(text, zone.trigger_start, zone.trigger_end, agent):
        recipients, year = [], None  # …印发《通报》，分别授予“A”“B”称号: named elsewhere
    else:
        recipients = _recipients(graph, zone, conferrer_spans, agent[0] if agent else None)
        year = _sentence_year(
            graph, sentence, zone.trigger_start, zone.items[0].start if zone.items else None
        )
    if year is None and zone.year_hint and not zone.rows:
        year = _table_year(graph, zone)  # 《A》获一等奖 under the notice of the results
    subject_body = _organiser(graph, sentence.start, zone.trigger_start, recipients)
    # A、B分别获得X特等奖、一等奖: the first recipient the first award, and so on.
    respectively = (
        len(recipients) == len(zone.items) > 1
        and text.rfind(_RESPECTIVELY, sentence.start, zone.trigger_start) >= 0
    )
    if respectively:
        first: dict[str, int] = {}  # each recipient where the sentence first names it
        for mention, key in graph.mentions_between(sentence.start, zone.trigger_start):
            first.setdefault(key, mention.start)
        recipients = sorted(recipients, key=lambda key: first.get(key, 0))
    for i, item in enumerate(zone.items):
        award = _mention_key(graph, item.start, item.end, EntityType.AWARD)
        if award is None:
            continue
        for recipient in recipients[i : i + 1] if respectively else recipients:
            graph.add(RelationKind.RECEIVED_AWARD, recipient, award, span, year)
        body = None
        if item.conferrer:
            body = _mention_key(graph, *item.conferrer, EntityType.INSTITUTION)
            # (人力资源社会保障部、中国地方志指导小组2024年12月表彰: each body of the note)
            for other in _bodies_listed_after(graph, item.conferrer, body):
                graph.add(RelationKind.CONFERRED_BY, award, other, span)
        if body is None and agent is not None:
            body = agent[1][0]
            for other in agent[1][1:]:
                graph.add(RelationKind.CONFERRED_BY, award, other, span)
        body = body or subject_body
        if body is not None:
            graph.add(RelationKind.CONFERRED_BY, award, body, span)
        else:
            # 经住房和城乡建设部、国家文物局审定，A入选“中国历史文化名镇”: who approved
            for reviewer in _reviewers(graph, sentence.start, zone.trigger_start):
                graph.add(RelationKind.CONFERRED_BY, award, reviewer, span)


_ISSUE_DATE = patterns.DATE_LINE
_DIGITS = str.maketrans("〇零一二三四五六七八九", "00123456789")
_COMPILER_COLUMN = re.compile(r"编纂|编辑|出版|主办|承编")
_WORKS_COLUMN = re.compile(r"(?:成果|年鉴|志书|作品|书)名称|书名|题名")
# A table's header row, looked for above a row that grades itself.
_HEADER_ROW = re.compile(r"^序号.*$", re.MULTILINE)
_HEADER_REACH = 3000


def _row_recipients(graph: Graph, zone: AwardZone) -> list[str]:
    """The first name in each row of an awardee table; a compiler column gives publishedBy."""
    text = graph.text
    if zone.trigger_start > zone.rows[0][0]:
        # a row graded in its own last cell: the nearest header row above it
        header = ""
        reach = max(0, zone.rows[0][0] - _HEADER_REACH)
        for above in _HEADER_ROW.finditer(text, reach, zone.rows[0][0]):
            header = above.group()
    else:
        header = text[zone.trigger_end : zone.rows[0][0]]
        if _ANY_COLUMN.search(header) is None:
            # 序号　成果名称　编纂（出版）单位　主编 / 一等奖（3项） / rows: the table's header
            # row above its first grade
            header = _header_above(text, zone.trigger_start) or header
    compiler_column = bool(_COMPILER_COLUMN.search(header))
    # 主编: whoever edited a work did not win with it (a paper's 作者 do)
    editors_only = "主编" in header and "作者" not in header
    # 《三河镇志》　肥西县三河镇人民政府 under a grade with no header row: the body after
    # a work is who made it (a column of who put it forward is named: 推荐单位)
    headless = _ANY_COLUMN.search(header) is None
    # 序号　成果名称　编纂单位: a table of works, whose compiler is never the winner
    of_works = _WORKS_COLUMN.search(header) is not None
    # 先进工作者：大连市史志办公室　王海燕: an honour of people goes to the person of a
    # row that names the body they work for first
    for_people = any(item.label.endswith(_PEOPLES_HONOURS) for item in zone.items)
    found = []
    for start, end in zone.rows:
        names = [
            (m, k)
            for m, k in graph.mentions_between(start, end)
            if m.type in _RECIPIENT_TYPES and m.type is not EntityType.REGION
        ]
        if for_people and any(m.type is EntityType.PERSON for m, _ in names):
            names = [(m, k) for m, k in names if m.type is EntityType.PERSON]
        if not names or (of_works and names[0][0].type is not EntityType.PUBLICATION):
            continue
        # 一等奖：《A》《B》: a row may list several works; a table row names one.
        found.extend(_row_list(graph, names))
        if names[0][0].type is not EntityType.PUBLICATION:
            continue
        # 《…的几点思考》　周立新　李梅（肥西县地方志办公室）: a paper's authors win with it,
        # and the bodies in their notes only say where they work
        authors = [
            (m, k)
            for m, k in names[1:]
            if m.type is EntityType.PERSON
            and not editors_only
            and _opens_cell(text, start, m.start, listed=True)
        ]
        found.extend(k for _, k in authors)
        if compiler_column or (headless and not authors):
            sentence = graph.sentence_at(start)
            for mention, key in names[1:]:
                if mention.type is EntityType.INSTITUTION and (
                    compiler_column or _opens_cell(text, start, mention.start)
                ):
                    graph.add(
                        RelationKind.PUBLISHED_BY,
                        names[0][1],
                        key,
                        Span(sentence.start, sentence.end),
                    )
    return found


# A row of a table or list: its number, or the work it opens with.
_ROW_LINE = re.compile(r"\d{1,3}[\t .、．]|《")


def _header_above(text: str, at: int) -> str | None:
    """The header row of the table whose grade heading is at ``at``: the first line above
    that is not a row, a grade heading or blank, if it is a header row with a grade
    heading right under it (a header under its grade is that grade's table only)."""
    end = text.rfind("\n", 0, at)
    reach = max(0, at - _HEADER_REACH)
    while end > reach:
        start = text.rfind("\n", 0, end) + 1
        line = text[start:end].strip()
        if line and not (_ROW_LINE.match(line) or patterns.GRADE_LINE.fullmatch(line)):
            if not _HEADER_ROW.fullmatch(line):
                return None
            under = text[end + 1 : text.find("\n", end + 1) % (len(text) + 1)].strip()
            return line if patterns.GRADE_LINE.fullmatch(under) else None
        end = start - 1
    return None


# Any column's name in a header row (序号, 单位, 推荐单位, 作者 …).
_ANY_COLUMN = re.compile(r"序号|名称|单位|作者|书名|题目|等次|等级|类别|出版|编纂|推荐|申报")


def _opens_cell(text: str, start: int, at: int, *, listed: bool = False) -> bool:
    """Whether a name at ``at`` of the row starting at ``start`` opens a cell of its own
    (after a tab or a space, or 、 in a list of authors), outside brackets: not 主编潘仕林,
    not the body in a note (孙慧敏（安徽大学历史学院））."""
    if text.rfind("（", start, at) > text.rfind("）", start, at):
        return False
    before = text[at - 1 : at]
    return before in _CELL_STARTS or (listed and before == "、")


_CELL_STARTS = frozenset("\t 　》")


# Endings of honours given to people, not to bodies.
_PEOPLES_HONOURS = ("个人", "工作者", "劳动模范", "标兵", "人物")


def _row_list(graph: Graph, names: list[tuple[Mention, str]]) -> list[str]:
    """The first name of a row and the names listed right after it (《A》《B》、《C》)."""
    text = graph.text
    keys = [names[0][1]]
    last = names[0][0]
    for mention, key in names[1:]:
        gap = text[last.end : mention.start]
        if mention.type is not last.type:
            if _IN_CREDIT.fullmatch(gap):
                continue  # 《A》（天津市地方志办编纂）《B》: who compiled A
            break
        if not (_CHAIN_GAP.match(gap) or _CREDITED_GAP.fullmatch(gap)):
            break
        keys.append(key)
        last = mention
    return keys


# Inside the note on who made the work before (《A》（X编纂）), and past it to the next.
_IN_CREDIT = re.compile(r"》?（[^（）\n]{0,40}")
_CREDITED_GAP = re.compile(r"》?（[^（）\n]{1,40}）[、，]?《?")


def _table_year(graph: Graph, zone: AwardZone) -> int | None:
    """The year of the announcement of the table's award: the latest sentence before that
    names it with a date, else the date the document itself was issued (a 通知's last line)."""
    text = graph.text
    # (广东省地方志优秀成果（地情书及其他类）: the award the notice named, its category aside)
    hint = _HINT_CATEGORY.sub("", zone.year_hint.replace("“", "").replace("”", ""))
    # A hint of one edition (第二批江苏省精品年鉴) is not another's (首批…); a hint of
    # none is named with any (公布广东省第三届地方志优秀成果评审结果)
    editions = None if patterns.EDITION.search(hint) else patterns.EDITION
    best = None
    named = False
    named_end = 0
    for sentence in graph.sentences:
        if sentence.start >= zone.trigger_start:
            break
        plain = text[sentence.start : sentence.end].replace("“", "").replace("”", "")
        if editions is not None:
            plain = editions.sub("", plain)
        # (印发《关于开展第三届…评选工作的通知》: a title that launches the selection
        # dates no result, as one that announces them does)
        if hint and hint in _LAUNCHING_TITLE.sub("", plain):
            named = True
            named_end = sentence.end
            year = _event_year(text, sentence.start, sentence.end)
            if year is None:
                # 3月20日，…公布…评审结果。…2021年1月至2024年6月出版的: the month that opens
                # it, dated by the news item or issue (the years after are no event's)
                first_year = patterns.YEAR.search(text, sentence.start, sentence.end)
                told_end = first_year.start() if first_year else sentence.end
                year = _undated_year(text, sentence.start, told_end)
            if year is not None:
                best = year
        elif named and _DECIDES.search(plain) and "\n" not in text[named_end : sentence.start]:
            # 2025年3月，经…审定，共评出一等奖4项: the results were decided then (in the
            # paragraph that names them: a later one may announce another award's)
            year = _event_year(text, sentence.start, sentence.end)
            if year is not None:
                best = year
    if best is None and named:
        # the date the notice that names it was signed: the first under that naming
        # (a file of several notices has a date for each), else the file's last
        signed = _ISSUE_DATE.search(text, named_end)
        issued = [signed.group(1)] if signed else _ISSUE_DATE.findall(text)[-1:]
        if issued:
            best = int(issued[-1].translate(_DIGITS))
    return best


_HINT_CATEGORY = re.compile(r"（[^（）]{1,8}类）$")
_LAUNCHING_TITLE = re.compile(
    r"《[^《》]*(?:开展|启动|组织|做好|申报)[^《》]*(?:工作|申报)[^《》]*》"
    # (在全区组织开展第四届广西地方志优秀成果评选: the sentence launches it, as such a
    # title does)
    r"|(?:组织开展|启动|部署)了?[^，。；《》]{2,40}?(?:评选|评审|评比|推选)(?:工作|活动)?(?=[，。；]|$)"
)


def _usable(mention: Mention, conferrers: list[tuple[int, int]], text: str) -> bool:
    if mention.type not in _RECIPIENT_TYPES:
        return False
    if any(s <= mention.start < e for s, e in conferrers):
        return False
    return text[max(0, mention.start - 1) : mention.start] != "在" and not _in_work_note(
        text, mention.start
    )


def _employs(text: str, body: Mention, person: Mention) -> bool:
    """Whether ``body`` is the employer named before ``person`` and their post."""
    return (
        body.type in _EMPLOYERS
        and person.type is EntityType.PERSON
        and _POST_GAP.fullmatch(text, body.end, person.start) is not None
    )


def _noted_employer(text: str, person: Mention, body: Mention) -> bool:
    """Whether ``body`` is named in the bracket right after ``person``'s name."""
    return (
        person.type is EntityType.PERSON
        and body.type in _EMPLOYERS
        and text[person.end : body.start] == "（"
    )


def _in_work_note(text: str, at: int) -> bool:
    """Whether ``at`` is inside a bracket right after a name (《A》（X编纂）获奖, 张立新
    （北京市…办公室）、…被评为): a compiler or an employer, not a winner."""
    opening = text.rfind("（", max(0, at - _NOTE_REACH), at)
    return (
        opening > 0
        and (text[opening - 1] == "》" or is_cjk(text[opening - 1]))
        and "）" not in text[opening:at]
    )


_NOTE_REACH = 40


def _in_setting(text: str, clause_start: int, trigger_start: int) -> tuple[int, int] | None:
    """在…评选中获评: the span of the 在…中 phrase, whose names are the setting, not recipients."""
    at = text.rfind("在", clause_start, trigger_start)
    if at < 0:
        return None
    within = text.find("中", at, trigger_start)
    return (at, within) if within >= 0 else None


def _chain(graph: Graph, found: list[tuple[Mention, str]], last: int) -> list[str]:
    """The nearest mention and the list it closes (《A》《B》、《C》…)."""
    text = graph.text
    keys = [found[last][1]]
    type_ = found[last][0].type
    i = last
    while i > 0:
        previous, key = found[i - 1]
        gap = text[previous.end : found[i][0].start]
        if type_ is EntityType.PERSON and previous.type in _EMPLOYERS and i > 1:
            # A、荔波县史志办干部B被评为: each person after their unit and post
            person, person_key = found[i - 2]
            if (
                person.type is EntityType.PERSON
                and _POST_GAP.fullmatch(gap)
                and _CHAIN_GAP.match(text[person.end : previous.start])
                and text[person.end : previous.start]
            ):
                keys.append(person_key)
                i -= 2
                continue
        if previous.type in _EMPLOYERS and i > 1 and _CREDIT_GAP.fullmatch(gap):
            # X编纂的《A》、Y编纂的《B》分别被评为: each work after who compiled it
            work, work_key = found[i - 2]
            between = text[work.end : previous.start]
            if work.type is type_ and _LISTED_BEFORE_CREDIT.fullmatch(between):
                keys.append(work_key)
                i -= 2
                continue
        if type_ is EntityType.PUBLICATION and previous.type is EntityType.REGION and gap in "《":
            # 盐城市《东台年鉴（2024）》、徐州市《邳州年鉴（2024）》: each work after its place
            if i > 1:
                work, work_key = found[i - 2]
                if work.type is type_ and _PLACED_GAP.fullmatch(text[work.end : previous.start]):
                    keys.append(work_key)
                    i -= 2
                    continue
            break
        if previous.type is not type_ or not _CHAIN_GAP.match(gap):
            break
        # 介休市龙凤镇张壁村、临县碛口镇李家山村入选: a place written before its own
        # division names where that one is, not another recipient
        if not (type_ is EntityType.REGION and not gap and _parent_of(graph, key, found[i][1])):
            keys.append(key)
        i -= 1
    return keys


def _parent_of(graph: Graph, region: str, child: str) -> bool:
    """Whether region ``region`` is an ancestor of region ``child`` (entity keys)."""
    above, below = graph.entities.get(region), graph.entities.get(child)
    if above is None or below is None or above.adcode is None or below.adcode is None:
        return False
    return above.adcode in graph.resources.ancestors(below.adcode)


def _passive_giver(
    graph: Graph, sentence_start: int, trigger_start: int
) -> tuple[int, list[str]] | None:
    """被山东省期刊协会评为“山东省优秀期刊”: where 被 stands, and the institutions named
    between it and the verb, which give the award (its recipient comes before 被); each
    of several listed (被人力资源社会保障部、中国地方志指导小组授予…)."""
    text = graph.text
    breaks = [m.end() for m in _CLAUSE_BREAK.finditer(text, sentence_start, trigger_start)]
    clause_start = breaks[-1] if breaks else sentence_start
    at = max(text.rfind(marker, clause_start, trigger_start) for marker in _PASSIVE)
    if at < 0:
        return None
    agents = [
        (m, k)
        for m, k in graph.mentions_between(at + 1, trigger_start)
        if m.start > at and m.end <= trigger_start
    ]
    if not agents or agents[0][0].start != at + 1:
        return None  # 被评为 itself, or 被 not before the giver's name
    if any(m.type is not EntityType.INSTITUTION for m, _ in agents):
        return None
    givers = [agents[-1][1]]
    for (later, _), (earlier, key) in pairwise(reversed(agents)):
        if _JOINT_GAP.fullmatch(text, earlier.end, later.start) is None:
            break
        givers.append(key)
    return at, givers


# What parts two bodies that give an award together (A、B授予, A和B联合评选).
_JOINT_GAP = re.compile(r"[、和与及]")


# Words that make the award an aim or a plan of the clause, not a fact.
_AIM = re.compile("力争|争取|有望|拟|计划|准备|冲刺")


def _gives_to_no_one(
    text: str, trigger_start: int, trigger_end: int, agent: tuple[int, list[str]] | None
) -> bool:
    """Whether a giving verb (授予) names its award and no one it is given to: its
    receivers come between the verb and the award, and the clause before it is the
    giver's (not 被授予, 荣获…授予的)."""
    if text[trigger_start:trigger_end] not in _DATIVE or agent is not None:
        return False
    return text[trigger_start - 1 : trigger_start] not in _PASSIVE and not text.startswith(
        "的", trigger_end
    )


_DATIVE = frozenset({"授予"})


def _outermost(found: list[tuple[Mention, str]]) -> list[tuple[Mention, str]]:
    """The mentions not inside another of them (苏州方志馆苏州大学分馆, not its 苏州大学)."""
    kept: list[tuple[Mention, str]] = []
    for mention, key in found:
        if kept and mention.end < kept[-1][0].end:
            continue  # (成都市、绵阳市地方志办公室: names sharing an end are each one)
        kept.append((mention, key))
    return kept


# The passive: what comes before it receives, what follows it gives (获X命名为 too).
_PASSIVE = ("被", "获")


def _recipients(
    graph: Graph,
    zone: AwardZone,
    conferrers: list[tuple[int, int]],
    passive: int | None = None,
) -> list[str]:
    text = graph.text
    sentence = graph.sentence_at(zone.trigger_start)
    before = zone.trigger_start if passive is None else passive
    breaks = [m.end() for m in _CLAUSE_BREAK.finditer(text, sentence.start, before)]
    clause_start = breaks[-1] if breaks else sentence.start
    if _AIM.search(text, clause_start, before):
        return []  # 力争有年鉴入选“中国精品年鉴”: an aim, no one has received it
    setting = _in_setting(text, clause_start, before)
    in_clause = [
        (m, k)
        for m, k in graph.mentions_between(clause_start, before)
        if _usable(m, conferrers, text)
        and m.end <= before
        and not (setting and setting[0] < m.start < setting[1])
    ]
    in_clause = _outermost(in_clause)
    if in_clause:
        return _chain(graph, in_clause, len(in_clause) - 1)
    # 林晓峰　…主任。…推动《广州年鉴（2024）》入选…，2023年被评为“…先进工作者”: an honour
    # of people goes to the person the paragraph is about, not to the work named last
    fallback = (
        _PERSON_ONLY
        if any(item.label.endswith(_PEOPLES_HONOURS) for item in zone.items)
        else _FALLBACK_TYPES
    )
    earlier = [
        (m, k)
        for m, k in graph.mentions_between(sentence.start, clause_start)
        if m.type in fallback
    ]
    if earlier:
        return _chain(graph, earlier, len(earlier) - 1)
    index = graph.sentence_index(sentence)
    for previous in reversed(graph.sentences[max(0, index - _LOOK_BACK_SENTENCES) : index]):
        if previous.paragraph != sentence.paragraph:
            break
        found = [
            (m, k)
            for m, k in graph.mentions_between(previous.start, previous.end)
            if m.type in fallback
        ]
        if found:
            return _chain(graph, found, len(found) - 1)
    return []


def _sentence_year(
    graph: Graph, sentence: Sentence, trigger_start: int, object_start: int | None = None
) -> int | None:
    """The year of an award given in a sentence: the event's before the verb, else the
    one between the verb and its first award (获评2024年度“贵州好书”), else (the
    sentence names no year) that of the announcement just before."""
    text = graph.text
    year = _event_year(text, sentence.start, trigger_start)
    if year is None and _SAME_YEAR.search(text, sentence.start, trigger_start):
        year = _year_told_before(graph, sentence)
        if year is not None:
            return year
    if year is None and text.find(_THIS_YEAR, sentence.start, trigger_start) >= 0:
        return _dated_before(text, sentence.start)  # 今年1月 in a digest of 2025年第1期
    if year is None and text.startswith(_AT_THE_MEETING, sentence.start):
        # 会上，省地方志办对…予以通报表扬: at the meeting the item reports, of its issue's year
        dated = _dated_before(text, sentence.start)
        if dated is not None:
            return dated
    if year is None:
        year = _undated_year(text, sentence.start, trigger_start)
        if year is not None:
            return year
    if year is None and object_start is not None:
        qualifier = _QUALIFYING_YEAR.fullmatch(text, trigger_start, object_start)
        if qualifier is None:
            # 入选中志办2024年度“中国精品年鉴”, 入选2023年度中国精品年鉴: the year the
            # award's own name opens with, or written right before it
            qualifier = _YEAR_OPENING_AWARD.match(text, object_start) or _YEAR_BEFORE_AWARD.search(
                text, max(trigger_start, object_start - 12), object_start
            )
        if qualifier is not None:
            return int(qualifier.group(1))
    if year is None and not patterns.YEAR.search(text, sentence.start, trigger_start):
        year = _announced_year(graph, sentence)
        if year is None:
            year = _chronicle_year(text, sentence.start, trigger_start)
    return year


# A year's chronicle of events, titled in the document's first lines (牡丹江市2024年地方志
# 工作大事记, 大事记（2024年）): its entries, dated by month and day, are of that year.
_CHRONICLE_TITLE = re.compile(
    r"((?:19|20)\d{2})年度?[^\n。，]{0,24}大事记|大事记[（(]((?:19|20)\d{2})年?度?[）)]"
)
_CHRONICLE_HEAD = 400


def _chronicle_year(text: str, sentence_start: int, trigger_start: int) -> int | None:
    """The year of the chronicle of events the document is, for an entry that writes none
    (1月5日，… / 同月，…); the year before for one that says 去年."""
    title = _CHRONICLE_TITLE.search(text, 0, min(len(text), _CHRONICLE_HEAD))
    if title is None:
        return None
    year = int(title.group(1) or title.group(2))
    return year - 1 if _LAST_YEAR in text[sentence_start:trigger_start] else year


_THIS_YEAR = "今年"
_AT_THE_MEETING = ("会上", "会议上", "会议期间")
# What dates a document or a part of it: an issue (2025年第1期) or a full date, and a web
# page's stamp (发布时间：2024-06-18 10:32).
_DATELINE = re.compile(
    r"((?:19|20)\d{2})(?:年(?:第\d{1,3}期|\d{1,2}月\d{1,2}日)|[-/.]\d{1,2}[-/.]\d{1,2}(?!\d))"
)
_DATELINE_REACH = 20_000
# A news item's stamp: an ISO date, or a date after 发布时间 or 发布日期.
_NEWS_DATELINE = re.compile(
    r"(?:发布|发表|更新|来源)?(?:时间|日期)[：:]\s*((?:19|20)\d{2})(?=[-/.年]\d)"
    r"|(?<!\d)((?:19|20)\d{2})-\d{1,2}-\d{1,2}(?!\d)"
)
_NEWS_REACH = 6000
# What a news item writes of a time it dates by its stamp: a word for lately, last year,
# or a month without a year opening the sentence (3月26日，…).
# A month written without its year (5月又获评), and the heading of a report's part on
# one year's work (一、2024 年工作情况), which gives it.
_MONTH_ALONE = re.compile(r"(?<![\d年])\d{1,2}月")
# The report's own title says so too (陕西省地方志办公室2024年工作总结), and so does a part
# of a speech (一、2024年全省地方志工作回顾), or, by the date above it, one on the past
# year (一、过去一年工作回顾, 一、一年来的主要工作).
_REPORTED_YEAR = re.compile(
    r"(?m)^[ \t\u3000]*(?:[一二三四五六七八九十]+、|[\u4e00-\u9fff]{2,30}?)?(?:关于)?"
    r"(?:((?:19|20)\d{2})\s*年度?|(?P<past>过去一年|去年|一年来|上一年))(?:的)?"
    r"(?:全年)?(?:[\u4e00-\u9fff]{0,6}?(?<!重点))(?:主要)?"
    r"(?:工作(?:情况|总结|回顾|成效|成绩|完成情况)?|情况|总结|回顾|成效)[ \t\u3000]*$"
)


def _undated_year(text: str, start: int, end: int) -> int | None:
    """The year of a time ``text[start:end]`` writes without one: a month in a report's
    part on one year's work is of that year (一、2024年工作情况 … 5月，…获评…), not of the
    report's own date (2025年1月15日) that a news item's month (3月26日) or 日前 takes."""
    if _MONTH_ALONE.search(text, start, end):
        year = _reported_year(text, start)
        if year is not None:
            return year
    return _news_year(text, start, end)


def _reported_year(text: str, at: int) -> int | None:
    """The year of the part of a report on one year's work that ``at`` is in."""
    parts = list(_REPORTED_YEAR.finditer(text, max(0, at - _DATELINE_REACH), at))
    if not parts:
        return None
    part = parts[-1]
    if part.group("past") is None:
        return int(part.group(1))
    dated = _dated_before(text, part.start())  # (2025年2月26日) under the speech's title
    return dated - 1 if dated is not None else None


_NEWS_TIME = re.compile(r"近日|日前|近期|前不久|本月|去年|(?:^|(?<=[\n。；]))\s*\d{1,2}月")
_LAST_YEAR = "去年"


def _news_year(text: str, sentence_start: int, trigger_start: int) -> int | None:
    """The year a news item's stamp gives a time the sentence writes without one (日前,
    去年12月, 6月上旬): not a report's, whose months belong to the year it reports on."""
    told = _NEWS_TIME.search(text, sentence_start, trigger_start)
    if told is None or patterns.YEAR.search(text, sentence_start, trigger_start):
        return None
    stamp = None
    for match in _NEWS_DATELINE.finditer(
        text, max(0, sentence_start - _NEWS_REACH), sentence_start
    ):
        stamp = match
    if stamp is None:
        if told.group() != _LAST_YEAR:
            return _issue_year(text, sentence_start, trigger_start)
        # 去年6月 in a speech or report dated (2025年2月26日) above it: the year before
        dated = _dated_before(text, sentence_start)
        return dated - 1 if dated is not None else None
    year = int(stamp.group(1) or stamp.group(2))
    return year - 1 if told.group() == _LAST_YEAR else year


# A periodical's issue on a line of its masthead (2025年第4期（总第218期）), and the date
# it went out (广东省地方志办公室编　2025年4月18日) on a line just below.
_ISSUE_LINE = re.compile(r"(?m)^[ \t　]*((?:19|20)\d{2})年第[\d一二三四五六七八九十]{1,3}期")
_ISSUE_SENT = re.compile(r"(?:19|20)\d{2}年(\d{1,2})月\d{1,2}日")
_ISSUE_SENT_REACH = 200
_TOLD_MONTH = re.compile(r"(\d{1,2})月")


def _issue_year(text: str, sentence_start: int, end: int) -> int | None:
    """The year a periodical's issue gives a time its news items write without one, up to
    ``end``: 3月28日 or 日前 in 2025年第4期 is 2025, 12月 in an issue of April 2025 is 2024
    (a month after the issue's own has not come yet)."""
    told = _NEWS_TIME.search(text, sentence_start, end)
    if told is None or told.group() == _LAST_YEAR:
        return None
    issues = list(
        _ISSUE_LINE.finditer(text, max(0, sentence_start - _DATELINE_REACH), sentence_start)
    )
    if not issues:
        return None
    issue = issues[-1]
    year = int(issue.group(1))
    month = _TOLD_MONTH.search(told.group())
    sent = _ISSUE_SENT.search(
        text, issue.end(), min(sentence_start, issue.end() + _ISSUE_SENT_REACH)
    )
    if sent is None:
        return None  # (an issue of unknown month may review the year before it)
    if month is not None and int(month.group(1)) > int(sent.group(1)):
        return year - 1
    return year


def _dated_before(text: str, at: int) -> int | None:
    """The year of the issue or the full date written last before ``at``: what 今年
    means there."""
    year = None
    for dateline in _DATELINE.finditer(text, max(0, at - _DATELINE_REACH), at):
        year = int(dateline.group(1))
    return year


# Words that date a sentence by the one before (同年12月, 当年入选).
_SAME_YEAR = re.compile("同年|当年|是年|同月|当月")


def _year_told_before(graph: Graph, sentence: Sentence) -> int | None:
    """The year the nearest sentence before in the paragraph dates an event in."""
    index = graph.sentence_index(sentence)
    for previous in reversed(graph.sentences[max(0, index - _LOOK_BACK_SENTENCES) : index]):
        if previous.paragraph != sentence.paragraph:
            break
        year = _event_year(graph.text, previous.start, previous.end)
        if year is not None:
            return year
    return None


# The verb, then a year qualifying the award named after it: 获评2024年度“…”, 入选2023年“…”
_QUALIFYING_YEAR = re.compile(
    r"[^，。；、“”]{1,4}?((?:19|20)\d{2})年度?(?:第[一二三四五六七八九十\d]+批)?“?"
)

_YEAR_OPENING_AWARD = re.compile(r"((?:19|20)\d{2})\s*年度")
_YEAR_BEFORE_AWARD = re.compile(r"((?:19|20)\d{2})\s*年度?(?:第[一二三四五六七八九十\d]+批)?“?\Z")


def _event_year(text: str, sentence_start: int, trigger_start: int) -> int | None:
    """The last year before the trigger whose clause dates an event (not 2018年以来)."""
    year = None
    for match in patterns.YEAR.finditer(text, sentence_start, trigger_start):
        if text.rfind("《", sentence_start, match.start()) > text.rfind(
            "》", sentence_start, match.start()
        ):
            continue  # 《…评审办法（2022年修订）》: a title's year, not the event's
        clause_end = _CLAUSE_BREAK.search(text, match.end(), trigger_start)
        clause = text[match.start() : clause_end.start() if clause_end else trigger_start]
        if _NOT_EVENT_YEAR.search(clause) or text[match.start() - 1 : match.start()] in _UNTIL:
            continue  # (2021年1月至2024年6月出版的: a period's end, not an event)
        year = int(match.group(1))
    return year


_ANNOUNCES = re.compile(r"公布|揭晓|评选|评审|表彰|命名|授予|颁发|颁奖|审定|评出")
_UNTIL = frozenset("至—－~～")
# What a sentence says when it dates the results of a selection named before it.
_DECIDES = re.compile(r"审定|评出|揭晓|公布")


def _announced_year(graph: Graph, sentence: Sentence) -> int | None:
    """2024年12月，…公布…评选结果。A、B获一等奖: the year of the announcement just before."""
    index = graph.sentence_index(sentence)
    text = graph.text
    # 同月，…公布…名单，A入选: an announcement itself looks further back for its date.
    announcing = bool(_ANNOUNCES.search(text, sentence.start, sentence.end))
    for previous in reversed(graph.sentences[max(0, index - _LOOK_BACK_SENTENCES) : index]):
        dated = patterns.YEAR.search(text, previous.start, previous.end)
        # (组织开展第四届…评选: a sentence that launched the selection announced nothing)
        if _ANNOUNCES.search(_LAUNCHING_TITLE.sub("", text[previous.start : previous.end])):
            year = _event_year(text, previous.start, previous.end)
            if year is None and _SAME_YEAR.search(text, previous.start, previous.end):
                year = _year_told_before(graph, previous)  # 同年12月，…评选中…
            if year is None:
                year = _undated_year(text, previous.start, previous.end)  # 6月上旬，…公布…
            if year is not None:
                return year
            continue
        if dated and not announcing:
            return None
    return None


def _organiser(
    graph: Graph, sentence_start: int, trigger_start: int, recipients: list[str]
) -> str | None:
    """中志办启动…工程以来 … 入选“中国精品年鉴”: the body that runs the selection."""
    before = graph.mentions_between(sentence_start, trigger_start)
    for index, (mention, key) in enumerate(before[:2]):
        if mention.type is EntityType.INSTITUTION and key not in recipients:
            following = before[index + 1 : index + 2]
            if (
                following
                and following[0][1] in recipients
                and _RELATIVE_CLAUSE.fullmatch(graph.text, mention.end, following[0][0].start)
            ):
                return None  # 宣城市地方志办公室选送的《宣城年鉴》在…评选中获一等奖
            organises = _ORGANISES.search(graph.text, mention.end, trigger_start)
            if organises and graph.text[organises.start() - 1] != _PASSIVE[0]:
                return key  # (not 被授予: the body received the first award)
            return None
        if mention.type is not EntityType.REGION:
            return None
    return None
