"""Regions: every administrative division and country named in the text.

Full names (成都市) are taken anywhere; short forms (成都, 甘孜州) only for
provinces, or for divisions of the provinces the document is about, since short
forms of far-away counties are often ordinary words (赤水 in 四渡赤水).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from functools import cache, lru_cache
from operator import attrgetter, itemgetter
from typing import NamedTuple

from ..model import RegionHit
from ..records import new_region_hit
from ..resources import LEVEL_DEPTH, VILLAGE_LEVEL, Division, Resources
from .matcher import Hit, Matcher

# A short form followed by one of these names a landmark, not the region (泸定桥).
_LANDMARK_AFTER = frozenset("桥山湖河江路街镇乡村寺塔渠")
_OWN_WORKS = ("年鉴", "志", "大事记", "地情", "史话", "简史")
# A short form followed by one of these names a river (嫩江左岸: 嫩江, not 嫩江市) or a
# border port (霍尔果斯口岸: not 霍尔果斯市).
_RIVER_AFTER = (
    *("左岸", "右岸", "沿岸", "两岸", "流域", "上游", "中游", "下游", "干流", "支流"),
    "口岸",
)
# How a village-level unit's name ends (three of NBS's kinds), and how long one runs.
_VILLAGE_ENDINGS = ("村", "社区", "嘎查")
_VILLAGE_WINDOW = 12
# A village's name followed by one of these names a street or a bridge (新村路).
_STREET_AFTER = frozenset("路街巷桥")
# A village named again without its township must be this long (东村 is in 广东村镇).
_BARE_VILLAGE_LENGTH = 3
# A country's name followed by this names a people (蒙古族, 朝鲜族), not the country.
_PEOPLE = "族"
_KIND_RANK = {"full": 0, "former": 1, "short": 2}
# 中国 is a place only when the text treats it as one; in this genre it is
# almost always part of a name (中国地方志…) or of a phrase (中国式现代化).
_NEVER_REGION = frozenset({"CN"})


_Candidates = tuple[tuple[str, str], ...]  # (adcode, kind) for one name
_SURFACE = itemgetter(2)  # Hit.surface
_HIT_START = attrgetter("start")  # RegionHit's
_HIT_END = attrgetter("end")


@cache
def region_matcher(resources: Resources) -> Matcher[tuple[tuple[str, str], ...]]:
    return Matcher(
        (name, tuple(c for c in candidates if c[0] not in _NEVER_REGION))
        for name, candidates in resources.region_names.items()
    )


def context_provinces(
    hits: list[Hit[tuple[tuple[str, str], ...]]], resources: Resources
) -> tuple[str, ...]:
    """The provinces a document is about: those its unambiguous region names belong to.

    ``hits`` are ``region_matcher``'s.
    """
    votes = _province_votes(resources)
    # Every vote is a province code (never empty): filter(None, …) drops the names without.
    counts: Counter[str] = Counter(filter(None, map(votes.get, map(_SURFACE, hits))))
    if not counts:
        return ()
    top = counts.most_common(1)[0][1]
    return tuple(p for p, n in counts.most_common() if n >= max(2, top * 0.25))


@cache
def _province_votes(resources: Resources) -> dict[str, str]:
    """The province each unambiguous region name counts for (a full name, or a province's)."""
    votes: dict[str, str] = {}
    for name, candidates in region_matcher(resources).items():
        codes = {code for code, _ in candidates}
        if len(codes) != 1:
            continue
        code, kind = candidates[0]
        division = resources.divisions[code]
        if division.level == "country":
            continue
        if kind == "full" or division.level == "province":
            votes[name] = division.province
    return votes


class Following(NamedTuple):
    """What of the text after a region name decides whether it names the region."""

    landmark: bool  # a landmark's word follows (泸定桥): a short form names the landmark
    own_work: bool  # a work of the region follows (西湖年鉴): even a common word names it


# Indexed by landmark + 2 * own_work: made once, not for every name in a text.
_FOLLOWINGS = [Following(landmark=bool(i & 1), own_work=bool(i & 2)) for i in range(4)]


def _acceptable(
    surface: str,
    code: str,
    kind: str,
    following: Following,
    provinces: tuple[str, ...],
    res: Resources,
) -> bool:
    division = res.divisions[code]
    if kind != "short" and (len(surface) > 2 or division.province in provinces):
        return True
    if surface in res.ambiguous_short_names and not following.own_work:
        return False  # 中原, 西湖: common words, unless a work of the region follows (西湖年鉴)
    if division.level in ("province", "country"):
        return True
    if following.landmark:
        return False
    return division.province in provinces


def choose(
    surface: str,
    candidates: tuple[tuple[str, str], ...],
    following: Following,
    provinces: tuple[str, ...],
    res: Resources,
) -> tuple[str, str] | None:
    kept = [(c, k) for c, k in candidates if _acceptable(surface, c, k, following, provinces, res)]
    if not kept:
        return None

    def rank(item: tuple[str, str]) -> tuple[int, int, int]:
        division: Division = res.divisions[item[0]]
        in_context = (
            provinces.index(division.province) if division.province in provinces else len(provinces)
        )
        return (_KIND_RANK[item[1]], in_context, LEVEL_DEPTH.get(division.level, 4))

    kept.sort(key=rank)
    best = kept[0]
    rivals = [c for c in kept[1:] if rank(c) == rank(best)]
    if rivals and res.divisions[best[0]].province not in provinces:
        return None  # the same name in several provinces, none of them the document's
    return best


@cache
def _by_level(resources: Resources) -> dict[str, tuple[_Candidates, _Candidates]]:
    """Each name's candidates above township level, and its townships (which need a county)."""
    divisions = resources.divisions
    return {
        name: (
            tuple(c for c in candidates if divisions[c[0]].level != "township"),
            tuple(c for c in candidates if divisions[c[0]].level == "township"),
        )
        for name, candidates in region_matcher(resources).items()
    }


# What a name above township level that is not a word of its own is: a country's
# name (a region if a word starts there), dropped, or kept.
_COUNTRY, _DROP, _KEEP = "country", "drop", "keep"


@cache
def _inside_word(resources: Resources) -> dict[str, str]:
    """For each name, ``_choose_all``'s rule when it sits inside a word (decided once)."""
    divisions = resources.divisions
    rules: dict[str, str] = {}
    for name, (upper, _) in _by_level(resources).items():
        if any(divisions[code].level == "country" for code, _ in upper):
            rules[name] = _COUNTRY
        elif all(kind == "short" for _, kind in upper) or len(name) == 2:
            rules[name] = _DROP
        else:
            rules[name] = _KEEP
    return rules


@lru_cache(maxsize=65536)
def _chosen(
    surface: str, following: Following, provinces: tuple[str, ...], resources: Resources
) -> tuple[str, str] | None:
    """``choose`` for a name above township level (cached: a name, what follows it and
    the document's provinces decide, and names repeat)."""
    return choose(surface, _by_level(resources)[surface][0], following, provinces, resources)


def _choose_all(
    raw: Sequence[Hit[_Candidates]],
    text: str,
    provinces: tuple[str, ...],
    resources: Resources,
    boundaries: frozenset[int] | None = None,
    counties: frozenset[str] | None = None,
) -> list[RegionHit]:
    """Resolve each name to one division.

    Townships repeat across the country (城关镇), so one counts only under a
    county the text names: anywhere in it for a full name, right before it
    for a short form (乐清市柳市).  The counties are those the text itself
    names and ``counties`` (those the rest of a document names, when the text
    is a name in it).
    """
    divisions = resources.divisions
    by_level = _by_level(resources)
    inside_word = _inside_word(resources)
    hits: list[RegionHit] = []
    chosen_ends: dict[int, str] = {}  # where a chosen name ends -> its division
    county_hits: list[RegionHit] = []
    townships: list[tuple[Hit[_Candidates], _Candidates]] = []
    for hit in raw:
        upper, lower = by_level[hit.surface]
        if lower:
            townships.append((hit, lower))
        if not upper:
            continue
        if boundaries is not None and (hit.start not in boundaries or hit.end not in boundaries):
            # A short form inside a word (普洱茶, 全州范围) is not the region.
            rule = inside_word[hit.surface]
            if rule is _COUNTRY:
                if hit.start not in boundaries:
                    continue  # 海地 in 沿海地区 (but 美国 in 美国国会 is a word start)
            elif rule is _DROP:
                continue
        after = text[hit.end : hit.end + 3]
        landmark = after[:1] in _LANDMARK_AFTER or after.startswith(_RIVER_AFTER)
        following = _FOLLOWINGS[landmark + 2 * after.startswith(_OWN_WORKS)]
        chosen = _chosen(hit.surface, following, provinces, resources)
        if chosen is not None and len(upper) > 1:
            # 枣庄市市中区: the division named right before it says which 市中区 it is (of
            # a name taken as a region at all: not 西湖 in 杭州市西湖十景).
            before = chosen_ends.get(hit.start)
            for candidate in upper:
                if before is not None and divisions[candidate[0]].parent == before:
                    chosen = candidate
                    break
        if (
            chosen is not None
            and text.startswith(_PEOPLE, hit.end)
            and divisions[chosen[0]].level == "country"
        ):
            continue  # 蒙古族, 朝鲜族, 哈萨克族: a people of China, not the country
        if chosen is not None:
            region = new_region_hit(hit.start, hit.end, hit.surface, chosen[0], chosen[1])
            hits.append(region)
            chosen_ends[hit.end] = chosen[0]
            if divisions[chosen[0]].level == "county":
                county_hits.append(region)
    if not county_hits and not townships:
        return hits  # in order already: raw comes by start, longest first
    taken = {(h.start, h.end) for h in hits}
    ends = {h.end: h.adcode for h in hits}  # before townships' short forms join them
    for county_hit in county_hits:
        shorts = resources.township_short_names(county_hit.adcode)
        if not shorts:
            continue
        for size in (4, 3, 2):
            code = shorts.get(text[county_hit.end : county_hit.end + size])
            if code is not None:
                end = county_hit.end + size
                hits.append(
                    new_region_hit(county_hit.end, end, text[county_hit.end : end], code, "short")
                )
                taken.add((county_hit.end, end))
                break
    if townships:
        named = frozenset(h.adcode for h in county_hits)
        if counties:
            named |= counties
        for hit, options in townships:
            for code, kind in options:
                parent = divisions[code].parent
                if ends.get(hit.start) == parent or (kind == "full" and parent in named):
                    if (hit.start, hit.end) not in taken:
                        hits.append(new_region_hit(hit.start, hit.end, hit.surface, code, kind))
                    break
    hits += _villages_after(hits, text, resources)
    # by start, longest first (two stable sorts: no Python key function per hit)
    hits.sort(key=_HIT_END, reverse=True)
    hits.sort(key=_HIT_START)
    return hits


def _villages_after(hits: list[RegionHit], text: str, resources: Resources) -> list[RegionHit]:
    """Villages named right after their township (堂街镇临沣寨村), or after their county
    when no other village of the county has that name (郏县临沣寨村).

    Villages repeat even more than townships (大寨村: dozens), so one is read
    only where its township or county says which it is.
    """
    divisions = resources.divisions
    villages = divisions.villages
    if villages is None:
        return []
    # where a full name starts (郏县堂街镇): a village right after the county is not read
    # there; a township's short form (乌审旗乌审召 of 乌审召嘎查) does not stop it
    starts = {h.start for h in hits if h.kind != "short"}
    found: list[RegionHit] = []
    for hit in hits:
        window = text[hit.end : hit.end + _VILLAGE_WINDOW]
        if not any(ending in window for ending in _VILLAGE_ENDINGS):
            continue
        level = divisions[hit.adcode].level
        if level == "township":
            village = _village_at(window, hit.adcode, villages.in_township)
        elif level == "county" and hit.end not in starts:  # not 郏县堂街镇
            village = _village_at(window, hit.adcode, villages.in_county)
        else:
            continue
        if village is not None:
            name, code = village
            found.append(new_region_hit(hit.end, hit.end + len(name), name, code, "full"))
    return found


def _village_at(
    window: str, place: str, lookup: Callable[[str, str], str | None]
) -> tuple[str, str] | None:
    """The longest village of ``place`` (``lookup``) that ``window`` starts with, not a
    street's name (新村路)."""
    best: tuple[str, str] | None = None
    for ending in _VILLAGE_ENDINGS:
        at = window.find(ending, 1)
        while at >= 0:
            name = window[: at + len(ending)]
            if best is None or len(name) > len(best[0]):
                code = lookup(place, name)
                if code is not None and window[len(name) : len(name) + 1] not in _STREET_AFTER:
                    best = (name, code)
            at = window.find(ending, at + 1)
    return best


def _bare_villages(hits: list[RegionHit], text: str, resources: Resources) -> list[RegionHit]:
    """The villages ``hits`` hold, named again elsewhere in ``text`` without their
    township (《临沣寨村志》 after 堂街镇临沣寨村)."""
    divisions = resources.divisions
    villages = {h.surface: h.adcode for h in hits if divisions[h.adcode].level == VILLAGE_LEVEL}
    if not villages:
        return []
    taken = {(h.start, h.adcode) for h in hits}
    found: list[RegionHit] = []
    for name, code in villages.items():
        if len(name) < _BARE_VILLAGE_LENGTH:
            continue
        at = text.find(name)
        while at >= 0:
            if (at, code) not in taken and text[at + len(name) : at + len(name) + 1] not in (
                _STREET_AFTER
            ):
                found.append(new_region_hit(at, at + len(name), name, code, "full"))
            at = text.find(name, at + len(name))
    return found


def find_regions(
    text: str, resources: Resources, boundaries: frozenset[int] | None = None
) -> tuple[list[RegionHit], tuple[str, ...]]:
    """All region names in ``text`` (overlapping), and the document's context provinces.

    ``boundaries`` are the token boundaries of the text: a short form counts
    only where it is a word of its own.
    """
    raw = list(region_matcher(resources).find_all(text))
    provinces = context_provinces(raw, resources)
    hits = _choose_all(raw, text, provinces, resources, boundaries)
    bare = _bare_villages(hits, text, resources)
    if bare:
        hits += bare
        hits.sort(key=_HIT_END, reverse=True)
        hits.sort(key=_HIT_START)
    return hits, provinces


def longest_regions(hits: list[RegionHit]) -> list[RegionHit]:
    """Leftmost-longest, non-overlapping region names."""
    out: list[RegionHit] = []
    end = -1
    for hit in sorted(hits, key=lambda h: (h.start, -(h.end - h.start))):
        if hit.start >= end:
            out.append(hit)
            end = hit.end
    return out


def regions_in(
    name: str,
    resources: Resources,
    provinces: tuple[str, ...],
    counties: frozenset[str] = frozenset(),
) -> tuple[RegionHit, ...]:
    """Regions named inside an entity name, leftmost-longest.

    ``provinces``: the document's context provinces, in order; ``counties``:
    county codes the document names, under which a township inside the name
    may be read.
    """
    # Keyed on the part of the context that concerns the name, the cache serves
    # documents about other places too.
    parents = _names_in(name, resources).township_counties
    return _regions_in(
        name,
        resources,
        provinces_concerning(name, resources, provinces),
        counties & parents if parents else parents,
    )


def provinces_concerning(
    name: str, resources: Resources, provinces: tuple[str, ...]
) -> tuple[str, ...]:
    """Those of a document's context ``provinces`` that can change what ``regions_in``
    reads in ``name``: the provinces of its region names' candidates, in their order
    (``choose`` compares candidates by that order alone)."""
    own = _names_in(name, resources).provinces
    if own.isdisjoint(provinces):
        return ()
    if len(provinces) == 1:
        return provinces
    return tuple(p for p in provinces if p in own)


@lru_cache(maxsize=65536)
def _regions_in(
    name: str, resources: Resources, provinces: tuple[str, ...], counties: frozenset[str]
) -> tuple[RegionHit, ...]:
    raw = _names_in(name, resources).hits
    if not raw:
        return ()
    return tuple(longest_regions(_choose_all(raw, name, provinces, resources, counties=counties)))


class _NameRegions(NamedTuple):
    """The region names inside a name, and what of a document's context can decide
    which regions they are (``regions_in``)."""

    hits: tuple[Hit[_Candidates], ...]
    #: the provinces of the divisions above township level the names may be
    provinces: frozenset[str]
    #: the counties of the townships whose full names they are (a township is read
    #: only under a county the document names)
    township_counties: frozenset[str]


_NO_REGIONS = _NameRegions((), frozenset(), frozenset())
# Sets of codes, shared by the names that give the same (most give one province):
# the cache below holds tens of thousands of names.
_SHARED_SETS: dict[frozenset[str], frozenset[str]] = {}


@lru_cache(maxsize=65536)
def _names_in(name: str, resources: Resources) -> _NameRegions:
    """Every region name inside ``name`` (cached apart from ``regions_in``, whose key holds
    the document's provinces and counties: the same names come back in other documents)."""
    hits = tuple(region_matcher(resources).find_all(name))
    if not hits:
        return _NO_REGIONS
    by_level = _by_level(resources)
    divisions = resources.divisions
    provinces = frozenset(
        divisions[code].province for hit in hits for code, _ in by_level[hit.surface][0]
    )
    parents = frozenset(
        filter(
            None,
            (
                divisions[code].parent
                for hit in hits
                for code, kind in by_level[hit.surface][1]
                if kind == "full"
            ),
        )
    )
    return _NameRegions(
        hits,
        _SHARED_SETS.setdefault(provinces, provinces),
        _SHARED_SETS.setdefault(parents, parents),
    )
