"""Relations a verb states between an institution and what follows it.

出台/印发 … 《意见》 → issuedBy; 编纂出版 … 《大事记》 → publishedBy;
打造/开设 … “方志四川” → operatedBy; 在 A、B 建立 … 分馆 → hostedBy.
"""

from __future__ import annotations

import bisect
import re
from functools import cache

from ..link import office_of
from ..model import EntityType, Mention, PublicationSubtype, RelationKind, Sentence, Span
from ..recognize import COORDINATED
from ..recognize.context import masthead_line
from ..resources import Resources
from ..text import patterns
from .base import Graph
from .structural import span_of

_CLAUSE_END = re.compile(r"[，；。！？\n]")
_CHAIN_GAP = frozenset({"", "、", "与", "和", "及", "同", "会同", "联合", "》《", "》、《"})
_NOT_AGENT_BEFORE = ("在", "在“", "参与")
# Words that open the setting of an act (where, or with what's help, it happens).
_SETTING_WORDS = ("在", "依托", "借助")
_MASTHEAD_SPAN = 200
_NAME_HOLDERS = frozenset({EntityType.VENUE, EntityType.PUBLICATION})


@cache
def _trigger_pattern(resources: Resources) -> re.Pattern[str]:
    words: set[str] = set()
    for name in ("issue", "publish", "operate", "host"):
        words.update(resources.triggers.get(name, ()))
    return re.compile("|".join(map(re.escape, sorted(words, key=len, reverse=True))))


def _clause_end(text: str, start: int, limit: int) -> int:
    match = _CLAUSE_END.search(text, start, limit)
    return match.start() if match else limit


def _is_object(kind: RelationKind, mention: Mention, source_lexicon: bool) -> bool:
    if kind is RelationKind.ISSUED_BY:
        return (
            mention.type is EntityType.PUBLICATION
            and mention.subtype is PublicationSubtype.POLICY_DOCUMENT
        )
    if kind is RelationKind.PUBLISHED_BY:
        return (
            mention.type is EntityType.PUBLICATION
            and mention.subtype is not PublicationSubtype.POLICY_DOCUMENT
        )
    # National platforms (抖音, 微博) are run by companies, not by the document's offices.
    return mention.type is EntityType.VENUE and not source_lexicon


def _agents(graph: Graph, sentence_start: int, trigger_start: int) -> tuple[list[str], bool]:
    """Institutions that are the subject of a verb; and whether the sentence has any subject."""
    text = graph.text
    before = graph.mentions_between(sentence_start, trigger_start)
    # Mentions in a 在…的 phrase or right after 在 are places, not subjects.
    blocked: set[int] = set()
    for i, (mention, _) in enumerate(before):
        lead = text[max(0, mention.start - 2) : mention.start]
        if lead.endswith(_NOT_AGENT_BEFORE) or lead.endswith("在“"):
            blocked.add(i)
    # A name inside a venue's or a work's (郑州大学 in 河南省方志馆郑州大学分馆) does nothing.
    for i, (mention, _) in enumerate(before):
        if any(
            other.type in _NAME_HOLDERS
            and other.start <= mention.start
            and mention.end <= other.end
            and other.end - other.start > mention.end - mention.start
            for other, _ in before
        ):
            blocked.add(i)
    # Everything between 在 (依托, 借助) and the verb, within the clause, is where (or
    # with what) it happens: 兵团史志办依托…塔里木大学设立分馆.
    zai = max(text.rfind(word, sentence_start, trigger_start) for word in _SETTING_WORDS)
    if zai >= 0 and not _CLAUSE_END.search(text, zai, trigger_start):
        for i, (mention, _) in enumerate(before):
            if mention.start > zai:
                blocked.add(i)
    had_subject = False
    for i in range(len(before) - 1, -1, -1):
        mention, key = before[i]
        if i in blocked:
            continue
        if mention.type is EntityType.REGION:
            if _is_clause_subject(text, sentence_start, mention.start):
                return [], True
            continue
        following = before[i + 1][0] if i + 1 < len(before) else None
        if (
            mention.type is EntityType.INSTITUTION
            and following is not None
            and following.type is EntityType.PERSON
            and following.start - mention.end <= 6
        ):
            continue  # 省人大常委会副主任罗强: the employer in a job title, not the subject
        if mention.type is not EntityType.INSTITUTION:
            had_subject = had_subject or mention.type is not EntityType.PERSON
            continue
        agents = [key]
        j = i
        while j > 0:
            previous, previous_key = before[j - 1]
            gap = text[previous.end : before[j][0].start]
            if previous.type is not EntityType.INSTITUTION or gap not in _CHAIN_GAP:
                break
            agents.append(previous_key)
            j -= 1
        with_partner = text[max(0, before[j][0].start - 1) : before[j][0].start] == "与"
        return agents, not with_partner or j > 0
    return [], had_subject or bool(before and not blocked)


_SUBJECT_LEAD = re.compile(
    r"(?:(?:19|20)\d{2}年)?(?:\d{1,2}月)?(?:\d{1,2}日)?(?:以来|起)?(?:同时|此外|另外|目前|近年来)?"
)


def _is_clause_subject(text: str, sentence_start: int, start: int) -> bool:
    """A region opening its clause (成都市印发…) is the subject, not a word inside a name."""
    breaks = [m.end() for m in _CLAUSE_END.finditer(text, sentence_start, start)]
    clause_start = breaks[-1] if breaks else sentence_start
    lead = _SUBJECT_LEAD.match(text, clause_start)
    return lead is not None and lead.end() == start


def _inside_name(graph: Graph, start: int, end: int) -> bool:
    return any(
        m.start <= start and end <= m.end and m.type is not EntityType.REGION
        for m, _ in graph.mentions_between(max(0, start - 80), end)
    )


def _kinds(word: str, resources: Resources) -> list[RelationKind]:
    kinds = []
    if word in resources.triggers.get("issue", ()):
        kinds.append(RelationKind.ISSUED_BY)
    if word in resources.triggers.get("publish", ()):
        kinds.append(RelationKind.PUBLISHED_BY)
    if word in resources.triggers.get("operate", ()):
        kinds.append(RelationKind.OPERATED_BY)
    return kinds


def add_trigger_relations(graph: Graph) -> None:
    text = graph.text
    res = graph.resources
    carried: dict[int, list[str]] = {}  # paragraph -> the institutions last acting in it
    # The trigger words of the whole text, found in one pass: a sentence none of them
    # overlaps has none of its own (a word found in the sentence alone is found in the
    # whole text too, or is overlapped by one found there), so it is not searched.
    # (Without trigger words the pattern is empty and matches everywhere: no skipping.)
    pattern = _trigger_pattern(res)
    spans = [m.span() for m in pattern.finditer(text)] if pattern.pattern else []
    span_starts = [start for start, _ in spans]
    span_ends = [end for _, end in spans]
    for sentence in graph.sentences:
        opening = graph.first_mention_between(sentence.start, sentence.end)
        if (
            opening is not None
            and opening[0].type is EntityType.INSTITUTION
            and _is_clause_subject(text, sentence.start, opening[0].start)
        ):
            carried[sentence.paragraph] = [opening[1]]
        i = bisect.bisect_right(span_ends, sentence.start)  # the first ending inside or after
        if pattern.pattern and (i == len(spans) or span_starts[i] >= sentence.end):
            continue
        for trigger in _trigger_pattern(res).finditer(text, sentence.start, sentence.end):
            if text[max(0, trigger.start() - 2) : trigger.start()] in _HELPING:
                continue  # 参与编纂, 指导编纂: who helps is not who compiles
            if _inside_name(graph, trigger.start(), trigger.end()):
                continue  # 编纂 inside 《关于提升…编纂质量的意见》
            word = trigger.group()
            kinds = _kinds(word, res)
            end = _clause_end(text, trigger.end(), sentence.end)
            after = graph.mentions_between(trigger.end(), end)
            noted = _noted_work(graph, trigger.start(), trigger.end())
            if noted is not None:
                after = [noted]  # 《伊金霍洛旗年鉴（2024）》（…史志办公室编纂）
            passive = _passive_agent(graph, sentence.start, trigger.start())
            if not passive and _BY_BOTH.search(text, sentence.start, trigger.start()):
                passive = _two_offices(graph)  # 由两办共同管理
            if passive:
                # 《X》由广西人民出版社出版 / 该年鉴由龙港市地方志办公室编纂
                agents = passive
                if _relative(text, trigger.end(), after):
                    # 由市地方志办运营的重庆地情网、“方志重庆”微信公众号和…: every one
                    after = _object_run(graph, trigger.end() + 1, end, kinds)
                else:
                    after = _passive_objects(graph, sentence, trigger.start(), after, kinds)
            elif _relative(text, trigger.end(), after):
                # 宁波市地方志办公室运营的“宁波方志” / 杭州市地方志办公室编纂的《…》
                agents, _ = _relative_agent(graph, trigger.start())
                if not agents and text[trigger.start() - 1 : trigger.start()] in _CLAUSE_START:
                    # X建设的A…，运营的B: the clause goes on with the body acting before;
                    # X介绍了其编纂的《B》: 其 is that body
                    agents = carried.get(sentence.paragraph, [])
                after = [m for m in after if any(_is_object(k, m[0], False) for k in kinds)][:1]
                if after and after[0][0].type is EntityType.PUBLICATION:
                    # 其编纂的《广东省志·…卷》《广东年鉴（2024）》等: every title of the run
                    after = _title_chain(graph, after[0][0].start, end)
                elif after and after[0][0].type is EntityType.VENUE:
                    # 省地方志办主办的贵州地情网和“方志贵州”微信公众号: every one
                    after = _object_run(graph, trigger.end() + 1, end, kinds) or after
            else:
                agents, had_subject = _agents(graph, sentence.start, trigger.start())
                if not agents and _JOINT_OFFICES.search(text, sentence.start, trigger.start()):
                    # 两办联合编纂《X》: the document's two offices
                    agents, had_subject = _two_offices(graph), True
                if not had_subject:
                    agents = agents + carried.get(sentence.paragraph, [])
            if agents and not passive:
                carried[sentence.paragraph] = agents[:1]
            span = Span(sentence.start, sentence.end)
            # 《A》《B》分别由X、Y编纂: the first work the first body's, and so on
            paired = (
                len(after) == len(agents) > 1
                and text.rfind(_RESPECTIVELY, sentence.start, trigger.start()) >= 0
            )
            for kind in kinds:
                for index, (mention, key) in enumerate(after):
                    if not _is_object(kind, mention, mention.source == "lexicon"):
                        continue
                    if word in _HOLDING and not text.endswith(_EXHIBITION, 0, mention.end):
                        continue  # 举办鄂渝方志馆讲解员培训班: what is held is a class
                    for agent in agents[index : index + 1] if paired else agents:
                        graph.add(kind, key, agent, span)
            if word in res.triggers.get("host", ()):
                _hosts(graph, sentence.start, trigger.start(), after, span)


_RESPECTIVELY = "分别"
# Verbs of holding an event, whose only venue object is an exhibition (联合举办“…联展”).
_HOLDING = frozenset({"举办", "联合举办"})
_EXHIBITION = ("展", "展览", "展演")
# Both offices of a document of two (两办, 两省方志办, 两地地方志办公室, 代表双方签署);
# not 两省地方志机构, every chronicle body of the two provinces.
_JOINT_OFFICES = re.compile(
    r"两办|两(?:省|地|市|省区|省市)(?:地方志|方志|史志)(?:办公室|办|部门|研究院|研究室)"
    r"|代表双方|双方共同|双方联合"
)


_BY_BOTH = re.compile(_JOINT_OFFICES.pattern.join(("由(?:", ")(?:共同|联合)?$")))


def _two_offices(graph: Graph) -> list[str]:
    """The two provincial chronicle offices a joint document is by: of the offices its
    province-level places name, the two named most (none unless two are)."""
    divisions = graph.resources.divisions
    counts: dict[str, int] = {}
    regions: dict[str, str] = {}
    for mention, key in graph.mentions:
        if mention.type is not EntityType.INSTITUTION:
            continue
        if key not in regions:
            entity = graph.entities.get(key)
            adcode = office_of(entity.label, graph.resources) if entity is not None else None
            regions[key] = adcode if adcode and divisions[adcode].level == "province" else ""
        if regions[key]:
            counts[key] = counts.get(key, 0) + 1
    ranked = sorted(counts, key=lambda key: -counts[key])
    if len(ranked) < 2 or regions[ranked[0]] == regions[ranked[1]]:
        return []
    return ranked[:2]


# Verbs of taking part in another's work, right before a trigger.
_HELPING = frozenset({"参与", "指导", "协助"})
# What may part two bodies listed after 由 (由A、B联合主办).
_AGENT_LIST_GAP = frozenset({"、", "和", "与", "及"})
# What a clause that opens with its verb follows (，运营的“广西方志”…), or 其 (its).
_CLAUSE_START = frozenset("，；其")


def _noted_work(graph: Graph, trigger_start: int, trigger_end: int) -> tuple[Mention, str] | None:
    """The work whose bracketed note the verb ends (《A》（X编纂）), or whose credits it
    ends (《A》，X编纂，Y出版社出版): its object, not whatever the next line names."""
    following = graph.text[trigger_end : trigger_end + 1]
    return _bracketed_work(graph, trigger_start, trigger_end) or _credited_work(
        graph, trigger_start, following
    )


def _bracketed_work(
    graph: Graph, trigger_start: int, trigger_end: int
) -> tuple[Mention, str] | None:
    text = graph.text
    following = text[trigger_end : trigger_end + 1]
    if following not in _NOTE_CLOSE and following not in _NOTE_PARTS:
        return None
    opening = max(text.rfind("（", 0, trigger_start), text.rfind("(", 0, trigger_start))
    if opening < 0 or trigger_start - opening > _NOTE_LENGTH:
        return None
    if following in _NOTE_PARTS:
        # 《A》（X编纂，Y出版）: the verb ends a part of the note, which closes on its line
        close = text.find("）", trigger_end, trigger_end + _NOTE_LENGTH)
        if (
            close < 0
            or "\n" in text[trigger_end:close]
            or text.rfind("）", opening, trigger_start) >= 0
        ):
            return None
    before = graph.mentions_between(max(0, opening - _NOTE_LENGTH), opening)
    if before:
        mention, key = before[-1]
        if mention.type is EntityType.PUBLICATION and text[mention.end : opening] in ("", "》"):
            return mention, key
    return None


def _credited_work(graph: Graph, trigger_start: int, following: str) -> tuple[Mention, str] | None:
    """The work a row's credits follow (1．《A》，X编纂，Y出版社出版): its object."""
    text = graph.text
    if following and following not in _CREDIT_ENDS:
        return None
    credit = text.rfind("》，", max(0, trigger_start - _NOTE_LENGTH), trigger_start)
    if credit < 0 or any(ch in _CREDIT_BREAKS for ch in text[credit + 2 : trigger_start]):
        return None
    before = graph.mentions_between(max(0, credit - _NOTE_LENGTH * 2), credit)
    if before:
        mention, key = before[-1]
        if mention.type is EntityType.PUBLICATION and mention.end == credit:
            return mention, key
    return None


# What ends a credit after a work's title (…编纂，…出版。), and what it does not hold.
_CREDIT_ENDS = frozenset("，；。\n")
_CREDIT_BREAKS = frozenset("。；\n《》“")
_NOTE_CLOSE = frozenset("）)")
_NOTE_PARTS = frozenset("，、；")
_NOTE_LENGTH = 40


def _passive_verb_before(graph: Graph, sentence_start: int, end: int) -> int | None:
    """Where the trigger verb that ends right at ``end`` starts, if one does."""
    for verb in _trigger_pattern(graph.resources).finditer(
        graph.text, max(sentence_start, end - 6), end
    ):
        if verb.end() == end:
            return verb.start()
    return None


def _relative(text: str, trigger_end: int, after: list[tuple[Mention, str]]) -> bool:
    """编纂的《…》: the verb qualifies the noun that follows its 的."""
    return text[trigger_end : trigger_end + 1] == "的"


def _passive_agent(graph: Graph, sentence_start: int, trigger_start: int) -> list[str]:
    """由X编纂: the institution right after 由 and right before the verb."""
    text = graph.text
    before = graph.mentions_between(max(sentence_start, trigger_start - 40), trigger_start)
    if not before:
        return []
    mention, key = before[-1]
    if mention.type is not EntityType.INSTITUTION or trigger_start - mention.end > 2:
        return []
    # 由安吉县、德清县地方志办公室编纂: 由 opens the coordination the name ends.
    start = min(
        [mention.start]
        + [m.start for m, _ in before if m.source == COORDINATED and m.end == mention.end]
    )
    if text[start - 1 : start] == "、":
        # 由延边州地方志办编纂、延边人民出版社出版: the second body of 由's pair of clauses
        previous = _passive_verb_before(graph, sentence_start, start - 1)
        if previous is not None and _passive_agent(graph, sentence_start, previous):
            return [key]
    agents = [key]
    # 由江西省地方志办公室、福建省地方志编纂委员会办公室联合主办: 由 opens a list of bodies.
    for earlier, earlier_key in reversed(before[:-1]):
        if earlier.end > start:
            continue  # inside the coordination above
        if earlier.type is not EntityType.INSTITUTION or text[earlier.end : start] not in (
            _AGENT_LIST_GAP
        ):
            break
        agents.insert(0, earlier_key)
        start = earlier.start
    return agents if text[start - 1 : start] == "由" else []


_ANAPHORA = re.compile(r"(?:该|本|此)(?:年鉴|志书|志|书|丛书|刊|期刊|大事记|馆|网站|公众号|平台)")


def _passive_objects(
    graph: Graph,
    sentence: Sentence,
    trigger_start: int,
    after: list[tuple[Mention, str]],
    kinds: list[RelationKind],
) -> list[tuple[Mention, str]]:
    """What a passive verb is about: the clause's subject, what follows, or 该年鉴's referent."""
    text = graph.text
    start = sentence.start
    breaks = [m.end() for m in _CLAUSE_END.finditer(text, start, trigger_start)]
    clause_start = breaks[-1] if breaks else start
    wanted = [
        (m, k)
        for m, k in graph.mentions_between(clause_start, trigger_start)
        if any(_is_object(kind, m, m.source == "lexicon") for kind in kinds)
    ]
    if wanted:
        return wanted
    following = [m for m in after if any(_is_object(k, m[0], False) for k in kinds)]
    if following:
        return following[:1]
    # 继续编辑出版“重庆地情丛书”，新推出《A》《B》《C》3册，由重庆出版社出版: the works
    # the clause right before names
    previous_clause = [
        (m, k)
        for m, k in graph.mentions_between(breaks[-2] if len(breaks) > 1 else start, clause_start)
        if any(_is_object(kind, m, m.source == "lexicon") for kind in kinds)
    ]
    if previous_clause:
        return _listed_with(graph, previous_clause)
    # 《曲阜市志》由…编纂，2024年5月由齐鲁书社出版: the sentence's subject, left unsaid.
    earlier = [
        (m, k)
        for m, k in graph.mentions_between(start, clause_start)
        if any(_is_object(kind, m, m.source == "lexicon") for kind in kinds)
    ]
    if earlier and (
        earlier[0][0].start - start <= 2
        # 省史志院编纂的《山东省志·黄河志》完成终审，由山东人民出版社出版: the work the
        # first clause is about
        or not _CLAUSE_END.search(text, start, earlier[0][0].start)
        # 其中，《湖州年鉴（2024）》为市级综合年鉴，由…编纂: the work opens a clause, after
        # a lead that names nothing (其中, 州级志书方面)
        or _opens_its_clause(graph, start, earlier[0][0])
        # 位于…的疏附县方志馆建成开放，由…管理运营: the one such name of the sentence
        or len(earlier) == 1
    ):
        return _listed_with(graph, earlier)
    if _ANAPHORA.search(text, clause_start, trigger_start):
        index = graph.sentence_index(sentence)
        for previous in reversed(graph.sentences[max(0, index - 3) : index]):
            found = [
                (m, k)
                for m, k in graph.mentions_between(previous.start, previous.end)
                if any(_is_object(kind, m, m.source == "lexicon") for kind in kinds)
            ]
            if found:
                return found[:1]
    return []


def _listed_with(graph: Graph, names: list[tuple[Mention, str]]) -> list[tuple[Mention, str]]:
    """The first of ``names`` and those listed right after it (新推出《A》《B》《C》3册，由
    重庆出版社出版: all three)."""
    text = graph.text
    run = names[:1]
    for mention, key in names[1:]:
        last = run[-1][0]
        if mention.type is not last.type or text[last.end : mention.start] not in _LIST_GAPS:
            break
        run.append((mention, key))
    return run


# What parts two works of a list (《A》《B》, 《A》、《B》, 《A》和《B》).
_LIST_GAPS = frozenset({"》《", "》、《", "》和《", "》及《", "》与《", "、", "和"})


def _opens_its_clause(graph: Graph, sentence_start: int, mention: Mention) -> bool:
    """Whether ``mention`` starts a clause and the clauses before it in the sentence name
    nothing: they only lead in (其中，/ 州级志书方面，)."""
    text = graph.text
    breaks = [m.end() for m in _CLAUSE_END.finditer(text, sentence_start, mention.start)]
    return (
        bool(breaks)
        and text[breaks[-1] : mention.start] in _OPENING_MARKS
        and not graph.mentions_between(sentence_start, breaks[-1])
    )


# What may stand between a clause's start and the name that opens it.
_OPENING_MARKS = frozenset({"", "《", "“"})


def _object_run(
    graph: Graph, start: int, end: int, kinds: list[RelationKind]
) -> list[tuple[Mention, str]]:
    """The names a verb's 的 qualifies, listed from ``start`` (A、“B”微信公众号和C)."""
    text = graph.text
    run: list[tuple[Mention, str]] = []
    for mention, key in graph.mentions_between(start, end):
        if text.startswith(_PLATFORM_OF_AN_ACCOUNT, mention.end):
            continue  # 微信 of “方志贵州”微信公众号: what the account is on, not a venue run
        if not any(_is_object(kind, mention, mention.source == "lexicon") for kind in kinds):
            if run:
                break
            continue
        since = run[-1][0].end if run else start
        gap = _RUN_NOISE.sub("", text[since : mention.start])
        if (run and gap not in _RUN_GAP) or (not run and gap):
            break
        run.append((mention, key))
    return run


_PLATFORM_OF_AN_ACCOUNT = ("公众号", "视频号", "小程序")
# What may stand between the names of a run besides 、 and 和: quotes, and the
# words that say what a quoted name is (“方志重庆”微信公众号).
_RUN_NOISE = re.compile(r"[“”《》]|微信公众号|公众号|网站|客户端|小程序|视频号|抖音号")
_RUN_GAP = frozenset({"", "、", "和", "及", "与", "以及"})


def _relative_agent(graph: Graph, trigger_start: int) -> tuple[list[str], bool]:
    text = graph.text
    before = graph.mentions_between(max(0, trigger_start - 40), trigger_start)
    if before:
        mention, key = before[-1]
        if mention.type is EntityType.INSTITUTION and (
            trigger_start - mention.end <= 4
            # 自治区地方志办2021年印发的《…》: when, between the body and its verb
            or _WHEN.fullmatch(text, mention.end, trigger_start) is not None
        ):
            if text[mention.end : trigger_start] == "合作" and len(before) > 1:
                # A与B合作建设的X: B is A's partner; A built X.
                first, first_key = before[-2]
                if first.type is EntityType.INSTITUTION and text[first.end : mention.start] in (
                    _PARTNER_WORDS
                ):
                    return [first_key], True
            return [key], True
    return [], True


_PARTNER_WORDS = frozenset({"与", "和", "同"})
_WHEN = re.compile(r"(?:于|在)?(?:19|20)\d{2}年(?:\d{1,2}月(?:\d{1,2}日)?)?(?:联合|共同)?")


def _hosts(
    graph: Graph,
    sentence_start: int,
    trigger_start: int,
    after: list[tuple[Mention, str]],
    span: Span,
) -> None:
    """在四川大学、重庆大学等 18 所高校建立…分馆: the universities host the branch."""
    text = graph.text
    zai = text.rfind("在", sentence_start, trigger_start)
    if zai < 0:
        return
    hosts = [
        key
        for mention, key in graph.mentions_between(zai, trigger_start)
        if mention.type is EntityType.INSTITUTION
    ]
    for mention, key in after:
        if mention.type is EntityType.VENUE:
            # 在A、B设立…A分馆、…B分馆: a branch named after one of them is that one's
            named = [h for h in hosts if graph.entities[h].label in graph.entities[key].label]
            for host in named or hosts:
                graph.add(RelationKind.HOSTED_BY, key, host, span)


def add_branch_hosts(graph: Graph) -> None:
    """A branch museum named after its host (张澜纪念馆分馆) is hosted by it."""
    for mention, key in graph.mentions:
        if mention.type is not EntityType.VENUE or not mention.surface.endswith("分馆"):
            continue
        for inner, inner_key in graph.mentions_between(mention.start, mention.end):
            if inner.type is EntityType.INSTITUTION and inner.end <= mention.end:
                graph.add(RelationKind.HOSTED_BY, key, inner_key, span_of(graph, mention.start))


_MASTHEAD_REST = re.compile(
    r"^(?:编|主办|编印|编辑|编发|印发)?\s*(?:(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)?\s*$"
)


def add_masthead(graph: Graph) -> None:
    """A briefing's periodical is published by the office named on its masthead."""
    head = graph.mentions_between(0, _MASTHEAD_SPAN)
    periodicals = [k for m, k in head if m.source == "masthead"]
    text = graph.text
    offices = []
    for mention, key in head:
        if mention.type is not EntityType.INSTITUTION:
            continue
        line_start = text.rfind("\n", 0, mention.start) + 1
        line_end = text.find("\n", mention.end)
        line = text[line_start : line_end if line_end >= 0 else len(text)]
        if not line[: mention.start - line_start].strip() and _MASTHEAD_REST.match(
            line[mention.end - line_start :]
        ):
            offices.append(key)
    if periodicals and offices:
        for periodical in periodicals:
            graph.add(RelationKind.PUBLISHED_BY, periodical, offices[0], span_of(graph, 0))


# A notice's own title, on a line of its own (perhaps numbered in a collection, 二、),
# perhaps opening with its issuer: 关于公布第三届…评选结果的通知, 福建省…办公室关于表彰…的决定.
_OWN_TITLE = re.compile(
    r"^[^\S\n]*(?:[一二三四五六七八九十]+、)?"
    r"((?:[^\s《》。；，：、“”]{2,30}?)?关于[^\n《》。；，：]{2,76}?"
    r"(?:通知|决定|通报|意见|办法|报告|方案|规定|公告|公示|批复))[^\S\n]*$",
    re.MULTILINE,
)


def add_document_titles(graph: Graph) -> None:
    """海南省地方志办公室 / 琼志办〔2025〕9号 / 关于公布…评审结果的通知: the notice, by the
    title on its own line (the names inside it stay names of their own), issued by the
    bodies its masthead names above the title."""
    text = graph.text
    if "关于" not in text:
        return
    for match in _OWN_TITLE.finditer(text):
        label = match.group(1)
        issuers = _masthead_issuers(graph, match.start()) or _signature_issuers(graph, match.end())
        aliases = tuple(graph.entities[key].label + label for key in issuers[:1])
        if label.find("关于") > 0:
            aliases = (label[label.find("关于") :],)
        key = graph.publication(
            label, aliases, match.span(1), "document-title", PublicationSubtype.POLICY_DOCUMENT
        )
        for issuer in issuers:
            graph.add(RelationKind.ISSUED_BY, key, issuer, span_of(graph, match.start(1)))
        graph.own_titles.append((match.start(1), match.end(1), tuple(issuers)))


def _masthead_issuers(graph: Graph, title_start: int) -> list[str]:
    """The bodies named alone (perhaps with 文件) on the first line above a title that is
    not its document's number, within a masthead's few lines; none if that line says more."""
    text = graph.text
    found = masthead_line(text, title_start)
    if found is None:
        return []
    start, end = found
    named = _bodies_alone(graph, start, end, "文件")
    if not named:
        return []
    # 北京市…办公室 / 天津市…办公室 / 河北省地方志办公室 above the title: issued jointly
    for _ in range(patterns.SIGNATURE_LINES - 1):
        above_start = text.rfind("\n", 0, start - 1) + 1
        above = _bodies_alone(graph, above_start, start - 1) if start > 0 else []
        if not above:
            break
        named[:0] = above
        start = above_start
    return list(dict.fromkeys(named))


def _bodies_alone(graph: Graph, start: int, end: int, besides: str = "") -> list[str]:
    """The bodies named on the line ``text[start:end]``, if it names nothing else (but
    ``besides``: 文件 after a masthead's body)."""
    named = [
        (m, key)
        for m, key in graph.mentions_between(start, end)
        if m.type is EntityType.INSTITUTION and m.end <= end
    ]
    rest = graph.text[start:end]
    for m, _ in reversed(named):
        rest = rest[: m.start - start] + rest[m.end - start :]
    if besides:
        rest = rest.replace(besides, "")
    return [key for _, key in named] if named and not rest.strip() else []


def _signature_issuers(graph: Graph, title_end: int) -> list[str]:
    """The bodies that sign a notice with no masthead: the lines of bodies' names right
    above the first date line after its title (北京市…办公室 / 天津市…办公室 /
    河北省地方志办公室 / 2025 年 5 月 8 日), before another notice's title."""
    text = graph.text
    following = _OWN_TITLE.search(text, title_end)
    date = patterns.DATE_LINE.search(text, title_end, following.start() if following else len(text))
    if date is None:
        return []
    signers: list[str] = []
    end = date.start() - 1  # the newline that ends the line above the date
    for _ in range(patterns.SIGNATURE_LINES):
        start = text.rfind("\n", title_end, end) + 1
        named = _bodies_alone(graph, start, end) if start > title_end else []
        if not named:
            break
        signers[:0] = named
        end = start - 1
    return list(dict.fromkeys(signers))


_ACCOUNT_BEFORE = re.compile(r"(?:微信公众号|公众号|政务号|抖音号|视频号|网站|客户端|APP|小程序)“$")


def add_account_owners(graph: Graph) -> None:
    """汕头市地方志办公室微信公众号“汕头方志” / 汕头市地方志办公室“汕头方志”微信公众号:
    the office runs the account it names."""
    text = graph.text
    for i, (mention, key) in enumerate(graph.mentions):
        if mention.type is not EntityType.VENUE or i == 0 or mention.source == "lexicon":
            continue  # (a platform the lexicon knows, 微信 or 抖音, is no office's)
        descriptor = _ACCOUNT_BEFORE.search(text, max(0, mention.start - 8), mention.start)
        if descriptor is not None:
            owner_end = descriptor.start()
        elif _named_before_its_kind(text, mention):
            owner_end = mention.start - (text[mention.start - 1 : mention.start] == "“")
        else:
            continue
        owner, owner_key = graph.mentions[i - 1]
        # (省地方志办官方微信公众号“方志安徽”, 海南省地方志办公室的“方志海南”微信公众号)
        if owner.type is EntityType.INSTITUTION and (
            owner.end == owner_end or text[owner.end : owner_end] in _OWNERS_WORDS
        ):
            graph.add(RelationKind.OPERATED_BY, key, owner_key, span_of(graph, mention.start))


_OWNERS_WORDS = frozenset({"的", "官方", "的官方"})
_ACCOUNT_AFTER = re.compile(
    r"(?:微信公众号|公众号|政务号|抖音号|视频号|网站|客户端|APP|小程序|数据库)"
)


def _named_before_its_kind(text: str, mention: Mention) -> bool:
    """“深圳记忆”数据库 or “山东方志”(微信公众号): a quoted name and what kind it is."""
    if text[mention.start - 1 : mention.start] == "“" and text.startswith("”", mention.end):
        return bool(_ACCOUNT_AFTER.match(text, mention.end + 1))
    quote_end = text.find("”", mention.start, mention.end)
    return (
        text.startswith("“", mention.start)
        and quote_end > 0
        and bool(_ACCOUNT_AFTER.match(text, quote_end + 1))
    )


# 收录《A》《B》…: the books a series (or one batch of it) holds.
_CONTENTS = re.compile(r"收录|分别为|分别是|包括")
_TITLE_CHAIN_GAP = frozenset({"", "、", "和", "及", "与"})
# 本辑收录…: the batch the sentences before named.
_THIS_BATCH = re.compile(r"(?:本|该|此)(?:辑|丛书|套书|系列)")
_BATCH_LOOK_BACK = 3


def add_series_contents(graph: Graph) -> None:
    """The books a series is said to hold are published by whoever publishes the series.

    柳州市地方志办公室编纂出版《柳州工业记忆丛书》，收录《鹿寨蔗糖史话》《融水苗寨》等
    6部图书: each book, compiled and published with the series, is published by the
    office (and the press) that published the series (the annotation guide's cases).
    """
    published: dict[str, list[str]] = {}
    for kind, subject, obj, _ in graph.relations:
        if kind is RelationKind.PUBLISHED_BY:
            published.setdefault(subject, []).append(obj)
    if not published:
        return
    text = graph.text
    for verb in _CONTENTS.finditer(text):
        sentence = graph.sentence_at(verb.start())
        series = _series_before(graph, sentence, verb.start(), published)
        if series is None:
            continue
        span = Span(sentence.start, sentence.end)
        for _, book in _title_chain(graph, verb.end(), sentence.end):
            if book != series:
                for agent in published[series]:
                    graph.add(RelationKind.PUBLISHED_BY, book, agent, span)


def _series_before(
    graph: Graph, sentence: Sentence, verb_start: int, published: dict[str, list[str]]
) -> str | None:
    """The published work the sentence names before 收录, or the batch 本辑 refers to."""
    found = [
        k
        for m, k in graph.mentions_between(sentence.start, verb_start)
        if m.type is EntityType.PUBLICATION and k in published
    ]
    if found:
        return found[-1]
    if not _THIS_BATCH.search(graph.text, sentence.start, verb_start):
        return None
    index = graph.sentence_index(sentence)
    for previous in reversed(graph.sentences[max(0, index - _BATCH_LOOK_BACK) : index]):
        found = [
            k
            for m, k in graph.mentions_between(previous.start, previous.end)
            if m.type is EntityType.PUBLICATION and k in published
        ]
        if found:
            return found[-1]
    return None


def _title_chain(graph: Graph, start: int, limit: int) -> list[tuple[Mention, str]]:
    """The works named one after the other from ``start`` (《A》《B》、《C》)."""
    text = graph.text
    chain: list[tuple[Mention, str]] = []
    position = start
    for mention, key in graph.mentions_between(start, limit):
        if mention.type is not EntityType.PUBLICATION:
            break
        gap = text[position : mention.start].strip("《》")
        if gap not in _TITLE_CHAIN_GAP:
            break
        chain.append((mention, key))
        position = mention.end
    return chain
