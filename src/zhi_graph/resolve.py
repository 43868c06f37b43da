"""Resolve mentions to entities: Recognized -> Resolved.

Mentions that share a name (label, surface or alias, compared by ``name_key``)
and a type are one entity; so are a defined abbreviation and the name it
abbreviates, a policy document with and without its issuer in the title, and a
chronicle office's short form and the full name the document gives it.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from functools import lru_cache

from .gcpause import without_gc
from .model import Entity, EntityType, Mention, PublicationSubtype, Recognized, Resolved
from .recognize import COORDINATED
from .recognize.matcher import Matcher
from .recognize.regions import provinces_concerning, regions_in
from .records import new_entity, new_mention, replace_entity, replace_recognized
from .resources import Resources
from .text import patterns
from .text.keys import RELATIVE_LEVEL, is_relative_name, name_key

# How far a rule's label is trusted as the canonical name (lower is better).
_AUTHORITY = {
    "gazetteer-full": 0,
    "gazetteer-short": 0,
    "gazetteer-former": 0,
    "lexicon": 0,
    "template": 1,
    "title": 2,
    "nested-title": 2,
    "masthead": 2,
    "title-default": 2,
    "comrade": 2,
    "quoted": 3,
    "award-zone": 3,
    "suffix": 4,
    "branch": 3,
    "chronicle-office": 5,
}
_OFFICE_NAME = re.compile(
    r"(?:人民政府)?(?:地方志|史志|方志|党史)\S*?(?:办公室|研究室|研究院|中心|办)"
)
_CONCERNING = "关于"
# What follows a region's name in the names of its own offices: not a name by itself.
_GENERIC_START = re.compile(
    r"^(?:地方|史志|方志|党史|人民|委|政府|政协|人大|文化|教育|发展|档案|图书|新闻|融媒体|社会|"
    r"爱国|大数据|财政|统计|民政|党委|市|县|区|省|州)"
)
_GENERIC_END = re.compile(r"(?:办公室|研究室|委员会|局|厅|处|科|办|中心|政府|基地)$")


def _names_something(rest: str) -> bool:
    """Whether what is left of a name without its region still names one thing."""
    return len(rest) >= 5 and not _GENERIC_START.match(rest) and not _GENERIC_END.search(rest)


class _UnionFind:
    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


@lru_cache(maxsize=65536)
def _name_keys(
    label: str,
    surface: str,
    aliases: tuple[str, ...],
    implied: tuple[str, ...],
    resources: Resources,
) -> frozenset[str]:
    """The keys of the names a mention goes by and of those it implies (``implied``:
    ``_label_aliases``); generic names (二等奖 for a graded award) identify nothing.
    Cached: the same mentions come back all through a document, and in others."""
    names = {
        name_key(n) for n in {label, surface, *aliases} if n and n not in resources.generic_names
    }
    if not is_relative_name(label):
        # 甘肃省方志办 and 福建省方志办 are both written 省方志办 once their
        # region is read: that shared surface identifies neither office.
        names = {n for n in names if not is_relative_name(n)}
    names.update(map(name_key, implied))
    return frozenset(names)


# An office's name cut after 办, and what the cut leaves out.
_CUT_OFFICE = ("地方志办", "史志办", "方志办")
_OFFICE_REST = "公室"
_NAMED_AFTER_REGIONS = frozenset({EntityType.AWARD, EntityType.VENUE, EntityType.INSTITUTION})
#: The types ``_label_aliases`` may find other names for.
_IMPLYING = _NAMED_AFTER_REGIONS | {EntityType.PUBLICATION}
_NO_KEYS: frozenset[str] = frozenset()


@lru_cache(maxsize=65536)
def _label_aliases(
    type_: EntityType, label: str, resources: Resources, provinces: tuple[str, ...]
) -> tuple[str, ...]:
    """Other names a mention implies: 关于… without its issuer, 四川… as 四川省…"""
    if type_ is EntityType.PUBLICATION:
        if _CONCERNING in label[1:]:
            cut = label.index(_CONCERNING, 1)
            if cut >= 4 and "〈" not in label[:cut]:
                return (label[cut:],)
        return ()
    if type_ not in _NAMED_AFTER_REGIONS:
        return ()
    if type_ is EntityType.INSTITUTION and label.endswith(_CUT_OFFICE) and len(label) > 5:
        # 苏州市吴江区地方志办 is 苏州市吴江区地方志办公室 cut short: one office
        return (
            label + _OFFICE_REST,
            *_region_aliases(
                type_, label, resources, provinces_concerning(label, resources, provinces)
            ),
        )
    # Cached twice: by the document's provinces (mentions repeat in a document),
    # then by those that concern the label (labels repeat across documents).
    return _region_aliases(
        type_, label, resources, provinces_concerning(label, resources, provinces)
    )


@lru_cache(maxsize=65536)
def _region_aliases(
    type_: EntityType, label: str, resources: Resources, provinces: tuple[str, ...]
) -> tuple[str, ...]:
    """The names an award's, venue's or institution's label implies by its regions."""
    extra: list[str] = []
    hits = regions_in(label, resources, provinces)
    if hits and hits[0].start == 0:
        division = resources.divisions[hits[0].adcode]
        rest = label[hits[0].end :]
        if hits[0].kind == "short" and division.level == "province" and rest[:1] != "省":
            extra.append(division.name + rest)
        # 广西富川瑶族自治县地方志办公室 is 富川瑶族自治县地方志办公室: the province before
        # a region of its own only says where that is
        if (
            division.level == "province"
            and len(hits) > 1
            and hits[1].start == hits[0].end
            and hits[1].adcode[:2] == hits[0].adcode[:2]
            and hits[1].adcode != hits[0].adcode
        ):
            extra.append(label[hits[1].start :])
    # 林州市红旗渠干部学院 is also written 红旗渠干部学院 (but 成都市地方志办 is not
    # 地方志办, nor 浙江省爱国主义教育基地 爱国主义教育基地: those name nothing alone).
    if type_ is not EntityType.AWARD and hits and hits[0].start == 0:
        rest = label[hits[0].end :]
        if hits[0].kind == "full" and _names_something(rest):
            extra.append(rest)
    # 四川长征干部学院甘孜泸定桥分院 is also written without 甘孜.
    for hit in hits[1:]:
        if _names_something(label[hit.end :]):
            extra.append(label[: hit.start] + label[hit.end :])
    return tuple(extra)


def _canonical(mentions: list[Mention]) -> str:
    """The label most often given by the most trusted rule (the longer on a tie, then the first);
    an office's full name (…办公室) over the short one its text uses more (…办)."""
    authority = [_AUTHORITY.get(m.source, 4) for m in mentions]
    best = min(authority)
    counts: dict[str, int] = {}
    for m, trust in zip(mentions, authority, strict=True):
        if trust == best:
            counts[m.label] = counts.get(m.label, 0) + 1
    if len(counts) > 1 and mentions[0].type is EntityType.INSTITUTION:
        # (as the text writes it: not a template's full name for an office the text
        # names only by its short form, 成都市地方志办)
        written = {m.surface for m in mentions}
        full = {
            label: n
            for label, n in counts.items()
            if label.endswith(_FULL_OFFICE) and label in written
        }
        if full and any(label.endswith(_SHORT_OFFICE) for label in counts):
            counts = full
    return max(counts, key=lambda label: (counts[label], len(label)))


_FULL_OFFICE = "办公室"
_SHORT_OFFICE = "办"


def _without_province(
    label: str, group: list[Mention], resources: Resources, provinces: tuple[str, ...]
) -> str:
    """安徽省宿州市地方志办公室 written also as 宿州市地方志办公室: the body's own name is the
    one without the province that only says where it is."""
    for mention in group:
        shorter = mention.label
        if len(shorter) >= len(label) or not label.endswith(shorter):
            continue
        hits = regions_in(label, resources, provinces)
        if (
            len(hits) > 1
            and hits[0].start == 0
            and resources.divisions[hits[0].adcode].level == "province"
            and hits[1].start == hits[0].end == len(label) - len(shorter)
        ):
            return shorter
    return label


def _subtype(mentions: list[Mention]) -> PublicationSubtype | None:
    decided = [m.subtype for m in mentions if m.subtype and m.source != "title-default"]
    if decided:
        return Counter(decided).most_common(1)[0][0]
    defaults = [m.subtype for m in mentions if m.subtype]
    return defaults[0] if defaults else None


_KEY_PREFIX = {type_: f"{type_.value.lower()}:" for type_ in EntityType}


def _entity_key(type_: EntityType, label: str, adcode: str | None) -> str:
    if type_ is EntityType.REGION and adcode:
        return f"region:{adcode}"
    return f"{_KEY_PREFIX[type_]}{name_key(label)}"


def _surface(mention: Mention) -> str:
    """The text of a mention as one of its entity's names: not a coordination's
    (安吉县、德清县地方志办公室 is the span of 安吉县地方志办公室, not a name of it)."""
    return "" if mention.source == COORDINATED else mention.surface


@without_gc
def resolve(recognized: Recognized, resources: Resources) -> Resolved:
    """Recognized -> Resolved: one entity per thing named, whatever names it goes by."""
    mentions = list(recognized.mentions)
    provinces = recognized.context_provinces
    text = recognized.segmented.text
    # A region is one entity by its code, and implies no other name: its mentions (a
    # third of all) skip both look-ups.
    region = EntityType.REGION
    derived = [
        _label_aliases(m.type, m.label, resources, provinces) if m.type in _IMPLYING else ()
        for m in mentions
    ]
    extra = [
        _NO_KEYS
        if m.type is region
        else _name_keys(m.label, _surface(m), m.aliases, implied, resources)
        for m, implied in zip(mentions, derived, strict=True)
    ]
    defined = _add_abbreviations(text, mentions, extra)

    groups = _UnionFind(len(mentions))
    by_name: dict[tuple[EntityType, str], int] = {}
    for i, m in enumerate(mentions):
        if m.type is EntityType.REGION:
            ident: Iterable[str] = [f"adcode:{m.adcode}"]
        else:
            ident = extra[i]
        for name in ident:
            name_id = (m.type, name)
            if name_id in by_name:
                groups.union(by_name[name_id], i)
            else:
                by_name[name_id] = i
    _merge_offices(mentions, groups, resources)

    members: dict[int, list[int]] = defaultdict(list)
    for i in range(len(mentions)):
        members[groups.find(i)].append(i)

    entities: list[Entity] = []
    keys: list[str] = [""] * len(mentions)
    divisions, generic = resources.divisions, resources.generic_names
    for indices in members.values():
        group = [mentions[i] for i in indices]
        first = group[0]
        type_ = first.type
        adcode = first.adcode if type_ is region else None
        division = divisions[adcode] if adcode else None
        label = division.name if division else _canonical(group)
        if type_ is EntityType.INSTITUTION and len(group) > 1:
            label = _without_province(label, group, resources, provinces)
        key = _entity_key(type_, label, adcode)
        aliases = sorted(
            {n for m in group for n in (m.label, _surface(m), *m.aliases) if n and n not in generic}
            | {a for i in indices for a in derived[i]}
            | {defined[i] for i in indices if i in defined}
        )
        label_key = name_key(label)
        # (new_entity's fields by position: a hundred thousand entities a 10 MB corpus)
        entities.append(
            new_entity(
                key,
                type_,
                label,
                tuple([a for a in aliases if name_key(a) != label_key]),
                tuple(group),
                _subtype(group) if type_ is EntityType.PUBLICATION else None,
                adcode,
                f"region:{division.parent}" if division and division.parent else None,
                division.level if division else None,
                any([m.online for m in group]),
            )
        )
        for i in indices:
            keys[i] = key
    entities = _merge_same_keys(entities)
    entities, keys = _merge_editions(entities, keys)
    resolved = _propagate(recognized, entities, mentions, keys)
    return _enumerations(resolved)


_LIST_ITEM = re.compile(r"(?<=、)([\u4e00-\u9fffA-Za-z]{2,10})(?=、|等)")
_LISTABLE = frozenset({EntityType.VENUE, EntityType.INSTITUTION})


def _enumerations(resolved: Resolved) -> Resolved:
    """An unknown item between two known names of one kind in a 、 list is of that kind too.

    成都方志、自贡方志、志中阿坝等 — 自贡方志 is an account like its neighbours.
    """
    from .segment import word_tags

    recognized = resolved.recognized
    text = recognized.segmented.text
    pairs = list(zip(recognized.mentions, resolved.mention_keys, strict=True))
    online = {e.key for e in resolved.entities if e.online}
    ends = {m.end: m for m, _ in pairs if m.type is not EntityType.REGION}
    neighbour_online = {m.end: k in online for m, k in pairs}
    starts = {m.start: m for m, _ in pairs if m.type is not EntityType.REGION}
    covered = _coverage(len(text), (m for m, _ in pairs if m.type is not EntityType.REGION))
    tags = word_tags()
    new: list[tuple[Mention, Entity]] = []
    for item in _LIST_ITEM.finditer(text):
        if any(covered[item.start() : item.end()]):
            continue
        before = ends.get(item.start() - 1)
        after = starts.get(item.end() + 1)
        if before is None or before.type not in _LISTABLE:
            continue
        if after is not None and after.type is not before.type:
            continue
        if after is None and text[item.end()] != "等":
            continue
        name = item.group(1)
        if tags.get(name, "n")[0] not in "nj":
            continue
        is_online = neighbour_online.get(before.end, False)
        mention = new_mention(
            type=before.type,
            start=item.start(),
            end=item.end(),
            surface=name,
            label=name,
            source="enumeration",
            online=is_online,
        )
        entity = new_entity(
            key=_entity_key(before.type, name, None),
            type=before.type,
            label=name,
            aliases=(),
            mentions=(mention,),
            online=is_online,
        )
        new.append((mention, entity))
    if not new:
        return resolved
    known = {e.key for e in resolved.entities}
    entities = list(resolved.entities) + [e for _, e in new if e.key not in known]
    replaced = _coverage(len(text), (m for m, _ in new))
    pairs = [(m, k) for m, k in pairs if m.type is not EntityType.REGION or not replaced[m.start]]
    pairs.extend((m, e.key) for m, e in new)
    pairs.sort(key=lambda p: (p[0].start, p[0].end))
    return Resolved(
        replace_recognized(recognized, mentions=tuple(m for m, _ in pairs)),
        tuple(entities),
        tuple(k for _, k in pairs),
    )


def _coverage(length: int, mentions: Iterable[Mention]) -> bytearray:
    """A byte per character: 1 where one of ``mentions`` covers it."""
    covered = bytearray(length + 1)
    for m in mentions:
        covered[m.start : m.end] = b"\x01" * (m.end - m.start)
    return covered


def _propagate(
    recognized: Recognized,
    entities: list[Entity],
    mentions: list[Mention],
    keys: list[str],
) -> Resolved:
    """One name, one sense per document: every other place a resolved name occurs is a mention.

    “方志四川”获得… is the account named elsewhere in the document, not the
    region 四川 inside it.
    """
    text = recognized.segmented.text
    names: list[tuple[str, Entity]] = []
    for entity in entities:
        if entity.type is EntityType.REGION:
            continue
        for name in (entity.label, *entity.aliases):
            if len(name) >= 2:
                names.append((name, entity))
    token_starts = token_ends = recognized.segmented.boundaries
    covered = _coverage(len(text), (m for m in mentions if m.type is not EntityType.REGION))
    added: list[tuple[Mention, str]] = []
    for hit in Matcher(names, once=True).find_longest(text):
        if any(covered[hit.start : hit.end]):
            continue
        quoted = text[hit.start - 1 : hit.start] == "“" and text[hit.end : hit.end + 1] == "”"
        if (
            len(hit.surface) <= 3
            and not quoted
            and (hit.start not in token_starts or hit.end not in token_ends)
        ):
            continue
        entity = hit.payload
        added.append(
            (
                new_mention(
                    type=entity.type,
                    start=hit.start,
                    end=hit.end,
                    surface=hit.surface,
                    label=entity.label,
                    source="propagated",
                    subtype=entity.subtype,
                ),
                entity.key,
            )
        )
    if not added:
        return Resolved(recognized, tuple(entities), tuple(keys))
    # The added mentions do not overlap and are in order: the one that may hold a
    # region is the last to start at or before it.
    starts = [m.start for m, _ in added]
    ends = [m.end for m, _ in added]

    def inside_added(m: Mention) -> bool:
        i = bisect.bisect_right(starts, m.start) - 1
        return i >= 0 and m.end <= ends[i]

    kept = [
        (m, k)
        for m, k in zip(mentions, keys, strict=True)
        if m.type is not EntityType.REGION or not inside_added(m)
    ]
    kept.extend(added)
    kept.sort(key=lambda p: (p[0].start, p[0].end))
    by_key: dict[str, list[Mention]] = defaultdict(list)
    for mention, key in kept:
        by_key[key].append(mention)
    entities = [replace_entity(e, mentions=tuple(by_key[e.key])) for e in entities if by_key[e.key]]
    new_recognized = replace_recognized(recognized, mentions=tuple(m for m, _ in kept))
    return Resolved(new_recognized, tuple(entities), tuple(k for _, k in kept))


def _add_abbreviations(
    text: str, mentions: list[Mention], names: list[frozenset[str]]
) -> dict[int, str]:
    """X（简称“Y”）: Y becomes a name of the mention that ends right before the bracket."""
    defined: list[tuple[int, str]] = [
        (m.start(), m.group(1)) for m in patterns.ABBREVIATION.finditer(text)
    ] + [(m.start(), m.group(1)) for m in patterns.LATIN_ABBREVIATION.finditer(text)]
    ends = {m.end: i for i, m in enumerate(mentions)}
    found: dict[int, str] = {}
    for offset, short in defined:
        i = ends.get(offset)
        if i is None and text[offset - 1 : offset] == "》":
            i = ends.get(offset - 1)
        if i is None:
            continue
        # 《A》《B》（简称“两志”）abbreviates a pair: no single entity takes the name.
        if text[max(0, mentions[i].start - 2) : mentions[i].start] == "》《":
            continue
        names[i] = names[i] | {name_key(short)}
        found[i] = short
    return found


def _merge_offices(mentions: list[Mention], groups: _UnionFind, resources: Resources) -> None:
    """省地方志办 is the office the document names in full (四川省地方志工作办公室)."""
    full_names: dict[str, list[int]] = defaultdict(list)  # label -> its mentions
    for i, m in enumerate(mentions):
        if (
            m.type is EntityType.INSTITUTION
            and m.source != "chronicle-office"
            and _OFFICE_NAME.search(m.label)
        ):
            full_names[m.label].append(i)
    # Each region's office is matched against each distinct label once, and all
    # its mentions join the first: pairwise, a document repeating both names
    # thousands of times took minutes.
    offices: dict[str, list[int]] = {}  # region code -> the full names of its office
    for i, m in enumerate(mentions):
        if m.source != "chronicle-office" or m.adcode is None:
            continue
        if m.adcode not in offices:
            division = resources.divisions[m.adcode]
            names = (division.name, *division.short_names)
            offices[m.adcode] = found = [
                j for label, js in full_names.items() if _names_office(label, names) for j in js
            ]
            for j in found[1:]:
                groups.union(found[0], j)
        if offices[m.adcode]:
            groups.union(offices[m.adcode][0], i)


def _names_office(label: str, region_names: tuple[str, ...]) -> bool:
    for name in region_names:
        rest = label[len(name) :] if label.startswith(name) else ""
        if rest and rest[0] not in "省市州县区" and _OFFICE_NAME.fullmatch(rest):
            return True
    return False


_EDITION = re.compile(r"（(?:19|20)\d{2}）$")


def _merge_editions(entities: list[Entity], keys: list[str]) -> tuple[list[Entity], list[str]]:
    """《义乌年鉴》 beside 《义乌年鉴（2023）》 and no other edition is that edition."""
    editions: dict[str, list[Entity]] = defaultdict(list)
    for entity in entities:
        if entity.type is EntityType.PUBLICATION and _EDITION.search(entity.label):
            editions[_EDITION.sub("", entity.label)].append(entity)
    renamed: dict[str, Entity] = {}
    for entity in entities:
        found = editions.get(entity.label, [])
        if entity.type is EntityType.PUBLICATION and len(found) == 1:
            renamed[entity.key] = found[0]
    if not renamed:
        return entities, keys
    merged: dict[str, Entity] = {}
    for entity in entities:
        if entity.key in renamed:
            continue
        sources = [e for e in entities if e.key in renamed and renamed[e.key].key == entity.key]
        merged[entity.key] = replace_entity(
            entity,
            aliases=tuple(
                sorted({*entity.aliases, *(n for e in sources for n in (e.label, *e.aliases))})
            ),
            mentions=entity.mentions + tuple(m for e in sources for m in e.mentions),
        )
    new_keys = [renamed[k].key if k in renamed else k for k in keys]
    return list(merged.values()), new_keys


def _merge_same_keys(entities: list[Entity]) -> list[Entity]:
    """Two groups whose canonical labels coincide are one entity."""
    merged: dict[str, Entity] = {}
    for entity in entities:
        current = merged.get(entity.key)
        if current is None:
            merged[entity.key] = entity
            continue
        aliases = sorted(set(current.aliases) | set(entity.aliases))
        merged[entity.key] = new_entity(
            key=current.key,
            type=current.type,
            label=current.label,
            aliases=tuple(aliases),
            mentions=current.mentions + entity.mentions,
            subtype=current.subtype or entity.subtype,
            adcode=current.adcode,
            parent=current.parent,
            level=current.level,
            online=current.online or entity.online,
        )
    return list(merged.values())


# Names that start with a bare level word mean the body of that level of
# whichever region the document is about: 省委宣传部 in a Sichuan briefing and
# in a Zhejiang briefing are two departments.
_SCOPED_TYPES = frozenset({EntityType.INSTITUTION, EntityType.VENUE})


def scope_of(entity: Entity, provinces: tuple[str, ...], document_sha256: str) -> str | None:
    """The region (or document) a relative name like 省档案馆 belongs to, else None."""
    if entity.type not in _SCOPED_TYPES:
        return None
    level = RELATIVE_LEVEL.get(entity.label[:1])
    if level is None:
        return None
    if level == "province" and provinces:
        return provinces[0]
    # Which city's 市委 a document means is not known beyond the document itself.
    return f"document:{document_sha256[:16]}"


def assign_scopes(
    entities: Iterable[Entity], provinces: tuple[str, ...], document_sha256: str
) -> tuple[Entity, ...]:
    return tuple(
        replace_entity(e, scope=scope) if (scope := scope_of(e, provinces, document_sha256)) else e
        for e in entities
    )
