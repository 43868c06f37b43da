"""Institutions and venues: from the lexicon, from templates, and from name suffixes.

A suffix (大学, 方志馆, 地方志办) marks where a name ends; its start is found by
walking left over jieba tokens until punctuation, a stop word or a trigger verb.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from functools import cache, lru_cache
from operator import attrgetter

from ..model import EntityType, Mention, RegionHit
from ..resources import LexiconEntry, Resources, Suffix, Template
from ..segment import word_tags
from ..text import patterns
from .context import BOUNDARY, Candidate, DocContext, is_cjk, make_mention
from .matcher import Matcher

MAX_NAME_BODY = 16
# Words that describe rather than name: a name made only of them is generic.
_GENERIC_BODY = (
    "地方志", "方志", "史志", "地情", "数字", "特色", "公共", "社区", "乡镇", "村", "镇", "乡",
    "街道", "县级", "市级", "省级", "各级", "全省", "全市", "全县", "相关", "有关", "其他", "基层",
    "文化", "宣传", "智慧", "地方文献", "图书馆", "高校", "馆", "各", "本", "该", "地方", "专题",
    "好",  # 用好方志馆阵地: jieba cuts 用|好
    "设区市",  # 各设区市地方志办公室: every city with districts, no one office
)  # fmt: skip
_LEVEL_CHARS = frozenset("省市州县区盟旗乡镇村")


@cache
def lexicon_matcher(resources: Resources) -> Matcher[LexiconEntry]:
    names: list[tuple[str, LexiconEntry]] = []
    for entry in resources.lexicon:
        names.append((entry.label, entry))
        names.extend((alias, entry) for alias in entry.aliases)
    return Matcher(names)


@cache
def suffix_matcher(resources: Resources) -> Matcher[tuple[EntityType, Suffix]]:
    names: list[tuple[str, tuple[EntityType, Suffix]]] = []
    for type_ in (EntityType.INSTITUTION, EntityType.VENUE):
        names.extend((s.text, (type_, s)) for s in resources.suffixes[type_])
    return Matcher(names, min_length=1)


def suffix_hits(ctx: DocContext) -> list[tuple[int, int, tuple[EntityType, Suffix]]]:
    """Every occurrence of a suffix in the document, in no set order (found once)."""
    if ctx.suffixes is None:
        ctx.suffixes = suffix_matcher(ctx.resources).find_unordered(ctx.text)
    return ctx.suffixes


@cache
def _stop_words(resources: Resources) -> frozenset[str]:
    words = set(resources.triggers.get("stop_tokens", ()))
    for name in ("award", "issue", "publish", "operate"):
        words.update(resources.triggers.get(name, ()))
    return frozenset(words)


def find_lexicon(ctx: DocContext) -> Iterator[Candidate]:
    text = ctx.text
    starts = ctx.segmented.boundaries
    ends = ctx.segmented.boundaries
    for hit in lexicon_matcher(ctx.resources).find_all(text):
        entry = hit.payload
        short = len(hit.surface) <= 3
        if short and (hit.start not in starts or hit.end not in ends):
            continue  # 微视 inside 微视频
        label = entry.label
        end = hit.end
        # A graded or categorised award: 全国地方志优秀成果（年鉴类）.
        if entry.type is EntityType.AWARD and text.startswith("（", end):
            close = text.find("）", end)
            if 0 < close - end <= 8 and text[close - 1] == "类":
                end = close + 1
                label = entry.label + text[hit.end : end]
        yield Candidate(
            make_mention(
                entry.type,
                text,
                hit.start,
                end,
                "lexicon",
                label=label,
                aliases=(*entry.aliases, hit.surface) if label == entry.label else (),
                subtype=entry.subtype,
                online=entry.online,
            ),
            70,
        )


def find_templates(ctx: DocContext) -> Iterator[Candidate]:
    """Bodies every region has (省委, 南充市政协, 中共乐清市委党校), expanded to full names."""
    text = ctx.text
    res = ctx.resources
    by_first = _templates_by_next_char(res)
    for hit in ctx.region_hits:
        # most regions are followed by no template's first character
        templates = by_first.get(text[hit.end : hit.end + 1])
        if templates is None:
            continue
        division = res.divisions[hit.adcode]
        if division.level == "country":
            continue
        best: tuple[int, int, Template] | None = None
        for template in templates:
            before, after = template.around_region
            if template.level not in ("any", division.level):
                continue
            start, end = hit.start - len(before), hit.end + len(after)
            if start < 0 or text[start : hit.start] != before or text[hit.end : end] != after:
                continue
            if end < len(text) and after.endswith("委") and text[end] in "员会":
                continue  # 四川省委员会 is read with its prefix, not as 四川省委
            if best is None or end - start > best[1] - best[0]:
                best = (start, end, template)
        if best is None:
            continue
        start, end, template = best
        # 北京市门头沟区委: the parent written before a district is part of the body's
        # name (as in its official one), while 乐清市委 alone stays 乐清市's
        label, aliases = template.fill(division.name)
        region_start = _district_prefix(ctx, hit)
        if region_start < hit.start:
            plain = (label, *aliases)
            label, aliases = template.fill(text[region_start : hit.end])
            aliases = (*aliases, *plain)
        office = _PARTY_OFFICE.match(text, end) if template.form.endswith("委") else None
        if office:
            # 中共苏州市委网络安全和信息化委员会办公室: an office of the committee.
            label = text[start:end] + office.group()
            aliases = ()
            end = office.end()
        start = _with_parent_prefix(ctx, start, hit.adcode)
        yield Candidate(
            make_mention(
                EntityType.INSTITUTION,
                text,
                start,
                end,
                "template",
                label=label,
                aliases=(
                    *aliases,
                    text[hit.start - len(template.around_region[0]) : end],
                ),
            ),
            75,
        )
    yield from _context_templates(ctx)


@cache
def _templates_by_next_char(resources: Resources) -> dict[str, tuple[Template, ...]]:
    """Region templates by the character that follows {R}, to try only those that can fit."""
    grouped: dict[str, list[Template]] = {}
    for template in resources.templates:
        if template.names_region:
            grouped.setdefault(template.around_region[1][:1], []).append(template)
    return {k: tuple(v) for k, v in grouped.items()}


def _district_prefix(ctx: DocContext, hit: RegionHit) -> int:
    """Where a district's name starts with its city written before it (北京市门头沟区,
    成都市武侯区), else where the district's own starts."""
    divisions = ctx.resources.divisions
    division = divisions[hit.adcode]
    if not division.name.endswith("区") or division.parent is None:
        return hit.start
    for before in ctx.hits_ending(hit.start):
        if before.adcode == division.parent and divisions[before.adcode].name.endswith("市"):
            return before.start
    return hit.start


def _with_parent_prefix(ctx: DocContext, start: int, adcode: str) -> int:
    """Extend a name over a parent region written before it (浙江省乐清市委党校)."""
    ancestors = set(ctx.resources.ancestors(adcode))
    for hit in ctx.hits_ending(start):
        if hit.adcode in ancestors:
            return hit.start
    return start


@cache
def _context_matcher(resources: Resources) -> Matcher[Template]:
    forms = [(t.form, t) for t in resources.templates if not t.names_region]
    forms += [(t.form, t) for t in resources.chronicle_offices]
    return Matcher(forms, longest=True)


def _context_templates(ctx: DocContext) -> Iterator[Candidate]:
    """省委, 市政协, 省地方志办: the region comes from the document or the sentence."""
    text = ctx.text
    res = ctx.resources
    region_ends = {h.end for h in ctx.region_hits}
    for hit in _context_matcher(res).find_longest(text):
        if hit.start in region_ends:
            continue  # 四川省委 is handled with its region
        if hit.start > 0 and text[hit.start - 1] in "各全本该":
            continue  # 各市地方志办: a collective mention
        template = hit.payload
        office = _filled(ctx, template, hit.start, hit.end)
        if office is None:
            continue
        unit = _SUB_UNIT.match(text, hit.end)
        if unit:
            # （省方志办综合处）: a department of the office, named in a source line; with
            # the region written before it (吉林省方志办年鉴工作处: 吉林省 ends on the
            # form's 省), the name as written starts there.
            start = min(
                (h.start for h in ctx.hits_ending(hit.start + 1) if h.start < hit.start),
                default=hit.start,
            )
            yield Candidate(
                make_mention(
                    EntityType.INSTITUTION,
                    text,
                    start,
                    unit.end(),
                    "template",
                    label=office.label + unit.group(),
                    aliases=(text[start : unit.end()],),
                ),
                77,
            )
        # 吉林省方志办: the region written before the form, ending on its 省, is the one
        # it names, and the name as written starts there (由吉林省方志办编纂)
        written = [
            h.start
            for h in ctx.hits_ending(hit.start + 1)
            if h.start < hit.start and h.adcode == office.adcode
        ]
        if written and office.source == _CHRONICLE_OFFICE:
            # (named as written: the template's full name is a guess at the official one)
            office = make_mention(
                EntityType.INSTITUTION,
                text,
                min(written),
                hit.end,
                office.source,
                # (not 市地方志办, the form alone: any city's)
                aliases=(office.label, *(a for a in office.aliases if a != hit.surface)),
                adcode=office.adcode,
            )
        yield Candidate(office, 76)


_CHRONICLE_OFFICE = "chronicle-office"


def _office_kind(form: str) -> str:
    """The kind of region a context form names by its first word (自治区地方志办: an
    autonomous region's office, 省方志办: a province's), or "" when it may be any."""
    return next((kind for kind in _REGION_KINDS if form.startswith(kind)), "")


# Kinds of region a form's first word names: 省 is not 广西壮族自治区, nor 自治区
# 云南省, and 区委 is a district's, not a county's (市 is also a municipality's:
# 北京市's 市委 is a province's).
_REGION_KINDS = ("自治区", "省", "区")


@cache
def _chronicle_office_ids(resources: Resources) -> frozenset[int]:
    """The chronicle offices' forms among the templates, by identity (a look-up in the
    tuple compared every field of each template: 0.05 s of the 10 MB corpus)."""
    return frozenset(map(id, resources.chronicle_offices))


def _filled(ctx: DocContext, template: Template, start: int, end: int) -> Mention | None:
    """A context form (省委, 市政协) as the institution of the region nearest before it."""
    adcode = ctx.nearest_region(start, template.level, kind=_office_kind(template.form))
    if adcode is None:
        return None
    res = ctx.resources
    label, aliases = template.fill(res.divisions[adcode].name)
    return make_mention(
        EntityType.INSTITUTION,
        ctx.text,
        start,
        end,
        _CHRONICLE_OFFICE if id(template) in _chronicle_office_ids(res) else "template",
        label=label,
        aliases=(*aliases, ctx.text[start:end]),
        adcode=adcode,
    )


# Tags jieba gives words that name a publisher or a body when nothing else does
# (三秦出版社, 现代出版社: time and direction words), though never inside a longer name.
_NAME_WORD_TAGS = frozenset({"t", "f"})
# Parts of speech that never sit inside a name: verbs, prepositions, conjunctions,
# adverbs, time words, numerals, measure words, pronouns, particles.
_NON_NAME_TAGS = frozenset({"v", "p", "c", "d", "t", "m", "q", "r", "u", "y", "e", "f", "vd"})


# An office or department of a party committee, written after 中共X委.
_PARTY_OFFICE = re.compile(
    r"[\u4e00-\u9fff]{2,14}?(?:委员会办公室|办公室|办公厅|委员会|部)(?![\u4e00-\u9fff]{0,1}长)"
)

# A department named after its office, ending a line or a bracket (not 年鉴处处长).
_SUB_UNIT = re.compile(r"[\u4e00-\u9fff]{1,6}?[处科](?=[）)\n，。；]|$|整理|起草|撰写|编写|供稿)")


def left_edge(ctx: DocContext, start: int, limit: int = MAX_NAME_BODY) -> int:
    """Where a name that ends with a suffix at ``start`` begins.

    Walk left over jieba tokens; stop at punctuation, a stop word or a token
    that cannot be part of a name (a verb, a preposition).  A region named a
    little further left, with only name-like words between, is taken as the
    start instead (凉山彝海结盟党性教育学校: 结盟 is a verb, 凉山 a region).
    """
    text = ctx.text
    stops = _stop_words(ctx.resources)
    tags = word_tags()
    # Segmented.token_span spelled out below: a name's every token is looked at
    starts = ctx.segmented.token_starts
    last = len(starts) - 1
    i = start
    lower = max(0, start - limit)
    k = -2  # index of the token that holds i - 1 (-2: not looked up yet)
    while i > lower:
        ch = text[i - 1]
        if ch == "”":
            # A quoted part of a name (“学习强国”四川学习平台): take it whole, then stop.
            open_quote = text.rfind("“", max(0, i - 12), i - 1)
            return open_quote if open_quote >= 0 else i
        if ch in BOUNDARY or not (is_cjk(ch) or ch.isalnum() or ch == "·"):
            return i
        # ctx.token_at(i - 1), walking back a token at a time (tokens tile the text)
        if k >= 0:
            tok_start, tok_end = starts[k], starts[k + 1] if k < last else len(text)
        if k == -2 or (k >= 0 and not tok_start < i <= tok_end):
            k = bisect.bisect_right(starts, i - 1) - 1
            if k >= 0:
                tok_start, tok_end = starts[k], starts[k + 1] if k < last else len(text)
        if k < 0:
            tok_start, tok_end = i - 1, i
        token = text[max(tok_start, lower) : min(tok_end, i)]
        if token in stops or tags.get(token, "n") in _NON_NAME_TAGS:
            covering = _region_over(ctx, i - 1, lower, start)
            if covering is not None:
                # 临 (a verb) begins 临沣寨村: a region's name is a name's word whatever
                # jieba made of it.
                i, k = covering, -2
                continue
            if token in stops:
                return i
            anchor = _region_anchor(ctx, i, lower, stops)
            if anchor is not None:
                return anchor  # (a region may start the text: 0)
            if i == start and tags.get(token) in _NAME_WORD_TAGS and len(token) > 1:
                return max(tok_start, lower)  # 三秦 (a time word to jieba) in 三秦出版社
            return i
        i = max(tok_start, lower)
        if k >= 0:
            k -= 1
    return i


def _ends_a_verb(ctx: DocContext, offset: int) -> bool:
    """Whether the character at ``offset`` ends a verb or a word of place that starts
    before it (地处 lies at, 各处 everywhere): not a body's ending."""
    tok_start, tok_end = ctx.token_at(offset)
    return (
        tok_start < offset
        and tok_end == offset + 1
        and word_tags().get(ctx.text[tok_start:tok_end]) in _NOT_AN_ENDING_TAGS
    )


_NOT_AN_ENDING_TAGS = frozenset({"v", "vd", "vn", "s", "d", "r"})
# A branch's ending (分院, 分馆): its name holds its parent's whole name, then a place.
_BRANCH_MARK = "分"


@cache
def _strong_endings(resources: Resources) -> tuple[str, ...]:
    """Endings that complete a body's name (地方志办公室, 人民政府), longest first."""
    return tuple(
        sorted(
            (s.text for s in resources.suffixes[EntityType.INSTITUTION] if s.strong),
            key=len,
            reverse=True,
        )
    )


def _region_over(ctx: DocContext, offset: int, lower: int, upper: int) -> int | None:
    """Where the region named over ``offset`` starts, if one is, within [lower, upper)."""
    for hit in ctx.hits_between(lower, offset + 1):
        if hit.start <= offset < hit.end <= upper:
            return hit.start
    return None


def _region_anchor(ctx: DocContext, i: int, lower: int, stops: frozenset[str]) -> int | None:
    text = ctx.text
    for hit in ctx.hits_between(lower, i):
        if hit.end > i:
            continue
        between = text[hit.end : i]
        if any(ch in BOUNDARY for ch in between) or any(
            w in between for w in ("在", "与", "和", "的")
        ):
            continue
        if any(
            word_tags().get(text[start:end]) == "v"
            for start, end in map(
                ctx.segmented.token_span, range(_token_index(ctx, hit.end), _token_index(ctx, i))
            )
        ):
            continue  # 昆明举办的…书展: a verb between the region and the name
        if text[max(0, hit.start - 1) : hit.start] and text[hit.start - 1] not in BOUNDARY:
            # the region itself must start the name, not sit after another word
            prev_start, _ = ctx.token_at(hit.start - 1)
            if text[prev_start : hit.start] not in stops:
                continue
        return hit.start
    return None


def _token_index(ctx: DocContext, offset: int) -> int:
    return bisect.bisect_left(ctx.token_starts, offset)


# Words in a venue's body that make it a kind or a set of venues, not one of them:
# levels taken together (区县, 镇村), counts (两地, 四所), places along a line
# (沿江), another's (对方), a year (2024年), sums (1个市级馆＋38个区县馆).
_COLLECTIVE = re.compile(
    r"区县|县区|市县|县市|镇村|村镇|乡镇|县级|市级|省级|三级|两地|三地|多地|沿江|沿线|沿海|"
    r"对方|部分|山区县|各地|[二三四五六七八九十两几多\d]+[所个座处]|\d{4}年|[＋+]"
)


def is_collective(body: str) -> bool:
    """Whether a venue's body names a kind or a set of venues (``_COLLECTIVE``)."""
    return _COLLECTIVE.search(body) is not None


@lru_cache(maxsize=1 << 14)
def _generic(body: str, resources: Resources) -> bool:
    """True when a name's body is made only of descriptive words (县级, 方志, 省).

    Cached: the same bodies come back all through a document.
    """
    rest = body
    changed = True
    while rest and changed:
        changed = False
        for word in _GENERIC_BODY:
            if rest.startswith(word):
                rest = rest[len(word) :]
                changed = True
        if rest[:1] in _LEVEL_CHARS and rest[1:2] != "级":
            rest = rest[1:]  # 省方志馆: an unexpanded level word
            changed = True
    return not rest or all(ch in _LEVEL_CHARS for ch in rest)


def _after_glued_name(ctx: DocContext, start: int, end: int, endings: tuple[str, ...]) -> int:
    """Where the last of several names written together begins (陕西省地方志办公室
    内蒙古自治区地方志办公室, the space between them lost): a region right after a
    complete body's name starts a new one."""
    text = ctx.text
    for hit in ctx.hits_between(start + 1, end):
        if text.endswith(endings, start, hit.start):
            start = hit.start
    for hit in ctx.hits_starting(start):
        # 牡丹江市 牡丹江市地方志办公室: a section's place, then the body's name
        if any(h.adcode == hit.adcode for h in ctx.hits_starting(hit.end)):
            return hit.end
    return start


def find_suffix_names(ctx: DocContext) -> Iterator[Candidate]:
    text = ctx.text
    res = ctx.resources
    strong_endings = _strong_endings(res)
    ends = ctx.segmented.boundaries
    region_starts = {h.start: h for h in ctx.region_hits}
    lexicon = lexicon_matcher(res)
    best_at_end: dict[int, tuple[int, EntityType, Suffix]] = {}
    # Each end keeps its longest suffix: the order the occurrences come in does not matter.
    for hit_start, hit_end, (type_, suffix) in suffix_hits(ctx):
        if hit_end not in ends and not (hit_end < len(text) and not is_cjk(text[hit_end])):
            continue
        current = best_at_end.get(hit_end)
        if current is None or hit_start < current[0]:
            best_at_end[hit_end] = (hit_start, type_, suffix)
    for end, (suffix_start, type_, suffix) in sorted(best_at_end.items()):
        if len(suffix.text) == 1 and _ends_a_verb(ctx, suffix_start):
            continue  # 处 of 地处 (lies at): the one-character ending of a verb
        if len(suffix.text) == 1 and end < len(text) and is_cjk(text[end]):
            next_start, next_end = ctx.token_at(end)
            if text[end] not in "等和及与的" and (next_start != end or next_end - next_start < 2):
                continue  # 网 in 网媒: a single-character suffix must end the word
        start = left_edge(ctx, suffix_start)
        if not suffix.text.startswith(_BRANCH_MARK):  # (四川长征干部学院雅安夹金山分院)
            start = _after_glued_name(ctx, start, suffix_start, strong_endings)
        start = _with_lead(text, start)
        if start == suffix_start and type_ is EntityType.INSTITUTION:
            split = _split_by_definition(ctx, start, end)
            if split is not None:
                yield split
                continue
        name = text[start:end]
        body = text[start:suffix_start]
        region = region_starts.get(start)
        known = lexicon.get(text[region.end : end]) if region is not None else None
        if known is not None and known.region is not None:
            continue  # 保定市河北大学: a place, then a body known by a name of its own place
        if not suffix.strong and start not in region_starts and body.strip("“”") not in lexicon:
            continue
        if _generic(body.replace("“", "").replace("”", ""), res) or name in res.generic_names:
            continue
        if type_ is EntityType.VENUE and is_collective(body):
            continue  # 重庆区县方志馆, 两地方志馆, 四所高校分馆: many venues, or none named
        if any(name.endswith(g) and len(g) < len(name) for g in ("特色分馆",)):
            continue
        if type_ is EntityType.VENUE and any(
            res.divisions[h.adcode].level == "country" for h in ctx.hits_starting(start)
        ):
            type_ = EntityType.INSTITUTION  # a foreign museum acts as an institution here
        host = lexicon.get(body) if suffix.text == "分馆" else None
        if host is not None:
            # 山东师范大学分馆: the university that hosts the branch is named in it.
            yield Candidate(
                make_mention(
                    EntityType.INSTITUTION, text, start, suffix_start, "lexicon", label=host.label
                ),
                61,
                nested=True,
            )
        if (
            type_ is EntityType.INSTITUTION
            and suffix.text in _SUB_UNIT_ENDINGS
            and _title_at(text, end, res)
        ):
            # 河北省财政厅科教文处副处长: a sub-unit named only inside a job title is not an
            # institution of its own; the body it belongs to is
            at = max(
                (text.rfind(ending, start + 2, suffix_start) for ending in _UNIT_PARENTS),
                default=-1,
            )
            if at > start + 2:
                ending_length = next(
                    len(ending) for ending in _UNIT_PARENTS if text.startswith(ending, at)
                )
                parent = at + ending_length
                if parent < suffix_start:
                    yield Candidate(make_mention(type_, text, start, parent, "suffix"), 60)
                    continue
        if name.endswith(_ROOMS):
            continue  # 广西方志馆展厅: a room of a venue, not a body
        if (
            type_ is EntityType.INSTITUTION
            and suffix.text in _DEPARTMENT_SUFFIXES
            and text[start - 1 : start] in _JOINING
            and _PARENT_BEFORE.search(text, max(0, start - 12), start - 1)
            and _title_at(text, end, res)
        ):
            continue  # 广西师范大学历史文化与旅游学院教授: the half of a department's name
        if type_ is EntityType.INSTITUTION and suffix.text in _DEPARTMENT_SUFFIXES:
            parent_end = _parent_body_end(text, start, suffix_start)
            if parent_end is not None and _title_at(text, end, res):
                # 东北师范大学历史文化学院教授: a department named only inside a job title
                # is not an institution of its own; the university it belongs to is.
                if text[start:parent_end] not in lexicon:
                    yield Candidate(make_mention(type_, text, start, parent_end, "suffix"), 60)
                continue
        ordinal = patterns.ORDINAL_LEAD.match(name)
        label = name[ordinal.end() :] if ordinal and len(name) - ordinal.end() >= 4 else name
        if "“" in label:
            label = label.replace("“", "").replace("”", "")  # “学习强国”四川学习平台
        yield Candidate(
            make_mention(type_, text, start, end, "suffix", label=label, online=suffix.online), 60
        )


# What a body's name may open with that its left edge stops at: a division of the
# 兵团 (第八师石河子市史志办公室: 第八 is a numeral), or 中国 and a dash
# (中国—亚欧博览会, 中国－东盟博览会).
_NUMBERED_UNIT = re.compile(r"第[一二三四五六七八九十〇零百\d]{1,4}师$")
_DASHED_LEAD = re.compile(r"中国[—－-]$")
_LEAD_ENDS = frozenset("师—－-")


def _with_lead(text: str, start: int) -> int:
    """``start`` moved back over a lead its name has (``_NUMBERED_UNIT``, ``_DASHED_LEAD``)."""
    if text[start : start + 1] not in _LEAD_ENDS and text[start - 1 : start] not in _LEAD_ENDS:
        return start  # (nearly every name: the patterns are not tried)
    before = text[max(0, start - 7) : start + 1]
    unit = _NUMBERED_UNIT.search(before)
    if unit is not None:  # the edge stopped on 师 (第八|师石河子市…)
        return start - (len(before) - unit.start()) + 1
    before = before[:-1]
    unit = _NUMBERED_UNIT.search(before) or _DASHED_LEAD.search(before)
    if unit is not None:
        return start - (len(before) - unit.start())
    return start


def _split_by_definition(ctx: DocContext, start: int, end: int) -> Candidate | None:
    """A body's name cut by the definition of its region's short form:
    前郭尔罗斯蒙古族自治县（以下简称“前郭县”）史志办公室, one office named from the
    region to the ending, the bracket left out of its label."""
    text = ctx.text
    if not text.startswith("）", start - 1):
        return None
    opening = text.rfind("（", max(0, start - 20), start)
    if opening < 0 or not patterns.ABBREVIATION.fullmatch(text, opening, start):
        return None
    regions = [h for h in ctx.hits_ending(opening) if h.kind == "full"]
    if not regions:
        return None
    region = min(regions, key=attrgetter("start"))
    short = patterns.ABBREVIATION.fullmatch(text, opening, start)
    assert short is not None
    ending = text[start:end]
    return Candidate(
        make_mention(
            EntityType.INSTITUTION,
            text,
            region.start,
            end,
            "suffix",
            label=region.surface + ending,
            aliases=(short.group(1) + ending,),
        ),
        60,
    )


# Endings of a department of a university or an academy (历史文化学院, 近代史研究所),
# and of the body it belongs to.
_DEPARTMENT_SUFFIXES = frozenset({"学院", "研究所", "研究中心", "研究院"})
# A sub-unit's ending, and the endings of the bodies that have sub-units.
_SUB_UNIT_ENDINGS = frozenset({"处", "科", "室"})
_UNIT_PARENTS = ("厅", "局", "办公室", "委员会", "研究院", "研究室", "中心", "政府", "馆", "部")
_PARENT_ENDINGS = ("大学", "科学院")
# A university then words without a break before a department's name that 与 or 和
# cut (…大学历史文化与旅游学院).
_PARENT_BEFORE = re.compile(r"(?:大学|科学院)[\u4e00-\u9fff]{0,8}\Z")
_JOINING = frozenset("与和及")
# Rooms of a building, whose names end as a body's can (展厅 as 厅).
_ROOMS = ("展厅", "大厅", "序厅", "陈列厅", "报告厅", "会议厅", "演播厅", "餐厅")


def _parent_body_end(text: str, start: int, suffix_start: int) -> int | None:
    """Where a university or academy named at ``start`` ends, when a department's name
    follows it before ``suffix_start`` (东北师范大学|历史文化|学院)."""
    best = None
    for ending in _PARENT_ENDINGS:
        at = text.rfind(ending, start + 2, suffix_start)
        if at >= 0 and at + len(ending) < suffix_start:
            best = max(best or 0, at + len(ending))
    return best


def _title_at(text: str, at: int, resources: Resources) -> bool:
    """Whether a job title (教授, 院长, 研究员) starts at ``at``."""
    return any(text.startswith(title, at) for title in resources.person_titles)


_BRANCH = re.compile(r"(方志馆|史志馆)([^，。、；\n“”《》]{2,14}?)分馆")
_NEXT_BRANCH = re.compile(r"、([^，。、；\n“”《》]{2,14}?)分馆")
_HOST_TAIL = ("机关",)
# Words of a clause, which a host's name does not hold (方志馆在高校设立分馆).
_NOT_A_HOST = re.compile(r"^[在与和为向]|设立|建立|建设|开设|挂牌")


def find_branches(ctx: DocContext) -> Iterator[Candidate]:
    """Branch museums named after their host: 南充市方志馆市政协机关分馆、张澜纪念馆分馆…

    Later items of the list share the head museum's name; each host becomes a
    nested institution so that the branch can be related to it.
    """
    text = ctx.text
    for match in _BRANCH.finditer(text):
        host = match.group(2)
        if _generic(host, ctx.resources) or not all(is_cjk(ch) for ch in host):
            continue
        if _NOT_A_HOST.search(host):
            continue  # 省方志馆在高校设立分馆: a clause, not a host's name
        head_start = left_edge(ctx, match.start(1))
        head = text[head_start : match.end(1)]
        yield Candidate(
            make_mention(
                EntityType.VENUE, text, head_start, match.end(), "branch", aliases=(host + "分馆",)
            ),
            82,
        )
        yield from _host(ctx, match.start(2), match.end(2))
        end = match.end()
        follow = _NEXT_BRANCH.match(text, end)
        while follow:
            host_start = follow.start(1)
            if text.startswith(head, host_start):
                # 西北大学分馆、陕西省方志馆延安大学分馆: the item names its museum again
                host_start += len(head)
            if host_start < follow.end(1):
                yield Candidate(
                    make_mention(
                        EntityType.VENUE,
                        text,
                        follow.start(1),
                        follow.end(),
                        "branch",
                        label=head + text[host_start : follow.end(1)] + "分馆",
                    ),
                    82,
                )
                yield from _host(ctx, host_start, follow.end(1))
            follow = _NEXT_BRANCH.match(text, follow.end())


def _host(ctx: DocContext, start: int, end: int) -> Iterator[Candidate]:
    text = ctx.text
    for tail in _HOST_TAIL:
        if text.endswith(tail, start, end):
            end -= len(tail)
    name = text[start:end]
    template = _context_matcher(ctx.resources).get(name)
    if template is not None:
        office = _filled(ctx, template, start, end)
        if office is not None:
            yield Candidate(office, 83, nested=True)
        return
    if not _generic(name, ctx.resources):
        yield Candidate(
            make_mention(EntityType.INSTITUTION, text, start, end, "branch"), 83, nested=True
        )
