"""Relations that names and the gazetteer state: locatedIn, aboutRegion, partOf, conferredBy."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import cache
from itertools import pairwise

from ..model import EntityType, PublicationSubtype, RegionHit, RelationKind, Span
from ..resources import LEVEL_DEPTH, Resources
from ..text import patterns
from .base import Graph

# Works whose title names a region are about it; periodicals and policy
# documents are not (the annotation guide).
_NOT_ABOUT = frozenset({PublicationSubtype.PERIODICAL, PublicationSubtype.POLICY_DOCUMENT})


def add_named_regions(graph: Graph) -> None:
    for entity in list(graph.entities.values()):
        if entity.type is EntityType.PUBLICATION and entity.subtype not in _NOT_ABOUT:
            for region in graph.region_named_in(entity, deepest=False, as_subject=True):
                graph.add(
                    RelationKind.ABOUT_REGION, entity.key, region, graph.first_sentence(entity.key)
                )
        elif entity.type in (EntityType.INSTITUTION, EntityType.VENUE):
            if entity.type is EntityType.VENUE and entity.online:
                continue  # websites and accounts are not anywhere
            regions = graph.region_named_in(entity, deepest=True)
            from_lexicon = any(m.source == "lexicon" for m in entity.mentions)
            if not regions and entity.type is EntityType.VENUE and not from_lexicon:
                regions = _sentence_subject_region(graph, entity.key)
            for region in regions:
                graph.add(
                    RelationKind.LOCATED_IN, entity.key, region, graph.first_sentence(entity.key)
                )


def _sentence_subject_region(graph: Graph, key: str) -> list[str]:
    """A physical venue with no region in its name is where its sentence's subject is.

    (自贡市推进“方志驿站”建设: the sentence opens with 自贡市.)
    """
    entity = graph.entities[key]
    if not entity.mentions:
        return []
    sentence = graph.sentence_at(entity.mentions[0].start)
    for mention, mention_key in graph.mentions_between(sentence.start, entity.mentions[0].start):
        if mention.start - sentence.start > 2:
            return []
        if mention.type is EntityType.REGION and mention.adcode:
            return [graph.region(mention.adcode)]
        regions = graph.region_named_in(graph.entities[mention_key], deepest=True)
        return regions[:1]
    return []


def add_lexicon_conferrers(graph: Graph) -> None:
    """National awards whose conferring bodies are general knowledge, those the text
    names (人力资源和社会保障部 and 中国地方志指导小组 give 全国地方志系统先进集体 together)."""
    conferrers = _conferrers(graph.resources)
    bases = tuple(conferrers)
    for entity in list(graph.entities.values()):
        if entity.type is not EntityType.AWARD:
            continue
        names = (entity.label, *entity.aliases)
        bodies = next((conferrers[n] for n in names if n in conferrers), None)
        # (most awards are local: no name starts with a national award's, which
        # str.startswith tells for all of them at once)
        if bodies is None and any(n.startswith(bases) for n in names):
            # a graded or categorised award: 全国地方志优秀成果（年鉴类）一等奖
            bodies = next(
                (b for base, b in conferrers.items() if any(n.startswith(base) for n in names)),
                None,
            )
        for body in bodies or ():
            institution = graph.find(EntityType.INSTITUTION, body)
            if institution is not None:
                _confer(graph, entity.key, institution)


def _confer(graph: Graph, award: str, body: str) -> None:
    """``body`` confers ``award``, as the sentence that first names the award says."""
    graph.add(RelationKind.CONFERRED_BY, award, body, graph.first_sentence(award))


def _conferred_awards(graph: Graph) -> set[str]:
    """The awards a rule has found a giver for."""
    return {s for kind, s, _, _ in graph.relations if kind is RelationKind.CONFERRED_BY}


def add_chronicle_conferrers(graph: Graph) -> None:
    """A region's chronicle award (陕西省精品年鉴, 黑龙江省地方志优秀成果, 湖北省地方志系统
    先进集体) that no rule gave a conferrer is conferred by that region's chronicle office,
    when the document names it: the body that runs a region's selections of its works."""
    from ..link import office_of

    res = graph.resources
    conferred = _conferred_awards(graph)
    offices: dict[str, str] = {}
    bodies: list[str] = []  # every institution's names
    for entity in graph.entities.values():
        if entity.type is EntityType.INSTITUTION:
            bodies += [entity.label, *entity.aliases]
            for name in (entity.label, *entity.aliases):
                adcode = office_of(name, res)
                if adcode is not None:
                    offices.setdefault(adcode, entity.key)
                    break
    if not offices:
        return
    named_after = tuple(bodies)
    for entity in list(graph.entities.values()):
        if (
            entity.type is not EntityType.AWARD
            or entity.key in conferred
            or not _CHRONICLE_AWARD.search(entity.label)
            # (浙江省地方志学会优秀学术论文评选: a body's own award, named after it)
            or entity.label.startswith(named_after)
        ):
            continue
        adcode = _region_opening(entity.label, res)
        if adcode in offices:
            _confer(graph, entity.key, offices[adcode])


def add_designation_givers(graph: Graph) -> None:
    """A region's designation that no rule gave a giver is given by the body of that
    region that gives such (陕西省爱国主义教育基地: 中共陕西省委宣传部; 贵州省社会科学普及
    基地: 贵州省社会科学界联合会), when the document names that body."""
    res = graph.resources
    givers = res.designation_givers
    endings = tuple(ending for ending, _ in givers)
    conferred = _conferred_awards(graph)
    for entity in list(graph.entities.values()):
        if (
            entity.type is not EntityType.AWARD
            or entity.key in conferred
            or not entity.label.endswith(endings)
        ):
            continue
        adcode = _region_opening(entity.label, res)
        if adcode is None:
            continue
        region = res.divisions[adcode].name
        for ending, giver in givers:
            if entity.label.endswith(ending):
                body = graph.find(EntityType.INSTITUTION, giver.replace("{R}", region))
                if body is not None:
                    _confer(graph, entity.key, body)
                break


# What names an award of the chronicle system's own (its works, its yearbooks, its staff).
_CHRONICLE_AWARD = re.compile(r"地方志|方志|史志|年鉴|志书")


def _region_opening(label: str, resources: Resources) -> str | None:
    """The one region whose name (full or short) opens ``label``, the longest such."""
    for cut in range(min(len(label) - 1, 12), 1, -1):
        regions = {adcode for adcode, _ in resources.region_names.get(label[:cut], ())}
        if regions:
            return regions.pop() if len(regions) == 1 else None
    return None


@cache
def _conferrers(resources: Resources) -> dict[str, tuple[str, ...]]:
    """Award label -> the bodies the lexicon says confer it."""
    return {
        entry.label: entry.conferred_by
        for entry in resources.lexicon
        if entry.type is EntityType.AWARD and entry.conferred_by
    }


def complete_regions(graph: Graph) -> None:
    """Every region's parent chain up to its province is in the graph, linked by partOf."""
    pending = [e for e in graph.entities.values() if e.type is EntityType.REGION]
    while pending:
        region = pending.pop()
        if region.parent is None or region.adcode is None:
            continue
        division = graph.resources.divisions[region.adcode]
        if division.parent is None:
            continue
        existed = region.parent in graph.entities
        parent_key = graph.region(division.parent)
        sentence = graph.first_sentence(region.key)
        graph.add(RelationKind.PART_OF, region.key, parent_key, sentence)
        if not existed:
            pending.append(graph.entities[parent_key])


def hosts_share_region(graph: Graph) -> None:
    """A host named without a region (张澜纪念馆) is where the branch it hosts is; a branch
    is where its host is, when the text places the host more precisely (河南省方志馆
    河南大学分馆, in 位于开封市的河南大学: 开封市, not 河南省)."""
    located = {s: o for (kind, s, o, _) in graph.relations if kind is RelationKind.LOCATED_IN}
    for (kind, venue, host, _), relation in list(graph.relations.items()):
        if kind is not RelationKind.HOSTED_BY:
            continue
        if host not in located and venue in located:
            graph.add(RelationKind.LOCATED_IN, host, located[venue], relation.sentence)
        elif host in located and venue in located and _within(graph, located[host], located[venue]):
            _relocate(graph, venue, located[host], relation.sentence)


def _relocate(graph: Graph, entity: str, region: str, span: Span | None) -> None:
    """``entity`` is in ``region`` only: the regions it was placed in before are dropped,
    unless one of them lies within ``region`` (天山区, then 在乌鲁木齐市的…: 天山区 stays)."""
    placed = [k for k in graph.relations if k[0] is RelationKind.LOCATED_IN and k[1] == entity]
    if any(_within(graph, key[2], region) for key in placed):
        return
    for key in placed:
        del graph.relations[key]
    graph.add(RelationKind.LOCATED_IN, entity, region, span)


def _within(graph: Graph, inner: str, outer: str) -> bool:
    """Is region ``inner`` a division below region ``outer`` (not the same)?"""
    divisions = graph.resources.divisions
    code, top = graph.entities[inner].adcode, graph.entities[outer].adcode
    if code is None or top is None or code == top:
        return False
    while code is not None and code in divisions:
        code = divisions[code].parent
        if code == top:
            return True
    return False


def span_of(graph: Graph, offset: int) -> Span:
    sentence = graph.sentence_at(offset)
    return Span(sentence.start, sentence.end)


def add_title_issuers(graph: Graph) -> None:
    """《中共中央关于…的决定》: a policy document whose title opens with its issuer."""
    from ..recognize.names import lexicon_matcher

    lexicon = lexicon_matcher(graph.resources)
    for entity in list(graph.entities.values()):
        if entity.subtype is not PublicationSubtype.POLICY_DOCUMENT:
            continue
        cut = entity.label.find("关于")
        if cut < 2:
            continue
        issuer_name = entity.label[:cut]
        key = graph.find(EntityType.INSTITUTION, issuer_name)
        if key is None:
            entry = lexicon.get(issuer_name)
            if entry is None or entry.type is not EntityType.INSTITUTION:
                continue
            key = graph.find(EntityType.INSTITUTION, entry.label) or graph.institution(
                entry.label, entry.aliases, entity, issuer_name
            )
        graph.add(RelationKind.ISSUED_BY, entity.key, key, graph.first_sentence(entity.key))


def add_prefixed_issuers(graph: Graph) -> None:
    """国务院《地方志工作条例》, 省政府《广东省地方志工作规定》: a body written right before
    a policy document's title (or before 的 and it) issued it."""
    text = graph.text
    mentions = graph.mentions
    for (body, body_key), (work, work_key) in pairwise(mentions):
        if (
            body.type is EntityType.INSTITUTION
            and work.type is EntityType.PUBLICATION
            and text[body.end : work.start] in _BEFORE_TITLE
            and graph.entities[work_key].subtype is PublicationSubtype.POLICY_DOCUMENT
        ):
            sentence = graph.sentence_at(work.start)
            graph.add(
                RelationKind.ISSUED_BY, work_key, body_key, Span(sentence.start, sentence.end)
            )


# What stands between an issuer and its document's title: the opening mark, perhaps 的.
_BEFORE_TITLE = frozenset({"《", "的《", "“", "的“"})


_LOCATED = re.compile(r"位于|坐落于|地处|设在")
_SEAT_WORDS = ("县城", "城区", "市区", "主城区")
# 在 and a place, then what is built or held there: 山东省方志馆在济南市历城区建成开馆,
# 在尼山镇设立“尼山方志书屋”, 在济南举办的山东书展, 在广州的中山大学.
_AT = "在"
# Words before a partner of the subject (与X市的Y大学共建).
_PARTNER = re.compile(r"[与同]")
_BUILT = re.compile(r"(?:建成|落成|开馆|开放|揭牌|挂牌|设立|建立|开设)+")
_HELD = re.compile(r"(?:举办|举行|召开)的")


def add_stated_locations(graph: Graph) -> None:
    """位于温州市鹿城区的温州方志馆 / X位于南宁市青秀区 / X在济南市历城区建成开馆: the
    sentence's place beats the name's.

    The most specific region right after the verb becomes the entity's only
    locatedIn, replacing a coarser one read from its name.
    """
    text = graph.text
    divisions = graph.resources.divisions
    # The first hit at each start (a sorted scan took the first and moved on).
    first_at: dict[int, RegionHit] = {}
    for hit in sorted(graph.resolved.recognized.region_hits, key=lambda h: h.start):
        first_at.setdefault(hit.start, hit)

    def chain_after(offset: int) -> tuple[list[RegionHit], int]:
        chain = []
        while offset in first_at:
            chain.append(first_at[offset])
            offset = chain[-1].end
        return chain, offset

    def locate(subject: str, chain: list[RegionHit], offset: int) -> None:
        deepest = max(chain, key=lambda h: LEVEL_DEPTH.get(divisions[h.adcode].level, 0))
        _relocate(graph, subject, graph.region(deepest.adcode), span_of(graph, offset))

    for verb in _LOCATED.finditer(text):
        chain, end = chain_after(verb.end())
        if not chain:
            continue
        subject = _located_subject(graph, verb.start(), end)
        if subject is not None:
            locate(subject, chain, verb.start())
    at = text.find(_AT)
    while at >= 0:
        # (在县城沱江镇建成开馆: the town the county's seat is)
        seat = next((w for w in _SEAT_WORDS if text.startswith(w, at + 1)), "")
        chain, end = chain_after(at + 1 + len(seat))
        if chain:
            subject = _placed_subject(graph, at, end)
            if subject is not None:
                locate(subject, chain, at)
                if text.startswith("的", end):
                    # 在西安市的西北大学、延安市宝塔区的延安大学: each item its place
                    for item_chain, item in _listed_places(graph, end + 1, chain_after):
                        locate(item, item_chain, at)
        at = text.find(_AT, at + 1)
    for partner in _PARTNER.finditer(text):
        # 与呼和浩特市的内蒙古大学共建: a partner named with its place
        chain, end = chain_after(partner.end())
        if chain and text.startswith("的", end):
            subject = _mention_at(graph, end + 1, (EntityType.INSTITUTION, EntityType.VENUE))
            if subject is not None:
                locate(subject, chain, partner.start())


def _listed_places(
    graph: Graph,
    first: int,
    chain_after: Callable[[int], tuple[list[RegionHit], int]],
) -> Iterator[tuple[list[RegionHit], str]]:
    """The items after the first of a list of places and bodies (A市的X、B县的Y), from the
    mention of the first at ``first``: each item's regions and its body."""
    text = graph.text
    kinds = (EntityType.VENUE, EntityType.INSTITUTION)
    position = next((m.end for m, _ in graph.mentions_between(first, first + 1)), None)
    while position is not None and text.startswith("、", position):
        chain, end = chain_after(position + 1)
        if not chain or not text.startswith("的", end):
            return
        item = _mention_at(graph, end + 1, kinds)
        if item is None:
            return
        yield chain, item
        position = next((m.end for m, _ in graph.mentions_between(end + 1, end + 2)), None)


def _placed_subject(graph: Graph, at: int, chain_end: int) -> str | None:
    """What 在 and the place at ``at`` .. ``chain_end`` locate, if anything."""
    text = graph.text
    kinds = (EntityType.VENUE, EntityType.INSTITUTION)
    if text.startswith("的", chain_end):
        return _mention_at(graph, chain_end + 1, kinds)  # 在广州的中山大学
    glued = _mention_at(graph, chain_end, kinds)
    if glued is not None:
        return glued  # 在保定市河北大学设立…: the body the place is written before
    held = _HELD.match(text, chain_end)
    if held:
        return _mention_at(graph, held.end(), kinds)  # 在济南举办的2024山东书展
    built = _BUILT.match(text, chain_end)
    if not built:
        return None
    after = _mention_at(graph, built.end(), (EntityType.VENUE,))
    if after is not None:
        return after  # …在尼山镇设立“尼山方志书屋”: not the office that set it up
    sentence = graph.sentence_at(at)
    before = [
        (m, k)
        for m, k in graph.mentions_between(sentence.start, at)
        if m.end <= at and at - m.end <= 2 and "，" not in text[m.end : at]
    ]
    if not before:
        return None
    # the whole name before 在, not one inside it (浙江师范大学 in …浙江师范大学分馆)
    mention, key = min(before, key=lambda found: (-found[0].end, found[0].start))
    return key if mention.type is EntityType.VENUE else None  # 山东省方志馆在济南市历城区建成开馆


def _mention_at(graph: Graph, offset: int, kinds: tuple[EntityType, ...]) -> str | None:
    """The entity of one of ``kinds`` named right at ``offset``: after a quotation mark,
    an ordinal or a year there too (第三届南亚东南亚国际书展, 2024山东书展)."""
    text = graph.text
    starts = {offset}
    lead = patterns.ORDINAL_LEAD.match(text, offset)
    if lead:
        starts.add(lead.end())
    starts.update(start + 1 for start in list(starts) if text.startswith("“", start))
    for mention, key in graph.mentions_between(offset, max(starts) + 1):
        if mention.start in starts and mention.type in kinds:
            return key
    return None


def _located_subject(graph: Graph, verb_start: int, chain_end: int) -> str | None:
    text = graph.text
    kinds = (EntityType.VENUE, EntityType.INSTITUTION)
    if text[chain_end : chain_end + 1] == "的":
        following = graph.mentions_between(chain_end + 1, chain_end + 3)
        if following and following[0][0].type in kinds and following[0][0].start == chain_end + 1:
            return following[0][1]
        return None
    sentence = graph.sentence_at(verb_start)
    near = [
        (m, k)
        for m, k in graph.mentions_between(sentence.start, verb_start)
        if m.type in kinds and verb_start - m.end <= 4 and "，" not in text[m.end : verb_start]
    ]
    if near:
        return near[-1][1]
    # 山东省方志馆由省史志办管理，位于济南市: the sentence's subject.
    opening = graph.mentions_between(sentence.start, verb_start)[:1]
    if opening and opening[0][0].type in kinds and opening[0][0].start - sentence.start <= 2:
        return opening[0][1]
    return None
