"""What every recogniser needs to know about one document, computed once."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from itertools import groupby
from operator import attrgetter
from typing import NamedTuple

from ..model import EntityType, Mention, PublicationSubtype, RegionHit, Segmented
from ..records import new_mention
from ..resources import Resources, Suffix
from ..text import patterns
from .regions import find_regions

_START = attrgetter("start")

# Characters that end a name on its left: punctuation and separators.
BOUNDARY = frozenset("，。、；：！？（）《》〈〉“”‘’〔〕【】[]()\n\t —…,.;:!?•+＋")


class Candidate(NamedTuple):
    """A proposed mention and how much the rule that made it is trusted (a NamedTuple:
    a document has tens of thousands)."""

    mention: Mention
    priority: int
    # A nested candidate may sit inside another accepted mention (a title
    # inside a title, a host institution inside a branch museum's name).
    nested: bool = False
    # Text the candidate keeps other candidates out of, beyond its own span
    # (“苏州史志”微信公众号: no 微信 venue inside the descriptor).
    claim: tuple[int, int] | None = None


@dataclass
class DocContext:
    segmented: Segmented
    resources: Resources
    region_hits: list[RegionHit] = field(default_factory=list)  # sorted by start
    provinces: tuple[str, ...] = ()
    # Indexes of region_hits, so that a lookup near one offset does not scan the
    # whole document (quadratic in a large one).
    _hit_starts: list[int] = field(default_factory=list, init=False, repr=False)
    _by_start: dict[int, list[RegionHit]] = field(default_factory=dict, init=False, repr=False)
    _by_end: dict[int, list[RegionHit]] = field(default_factory=dict, init=False, repr=False)
    #: the normalised text (kept, not a property: the finders read it a hundred
    #: thousand times in a 10 MB corpus)
    text: str = field(default="", init=False, repr=False)
    #: every occurrence of a body's or a venue's name ending, as (start, end, (type,
    #: suffix)): found once by ``names.suffix_hits`` for the finders that read them
    suffixes: list[tuple[int, int, tuple[EntityType, Suffix]]] | None = field(
        default=None, init=False, repr=False
    )

    def __post_init__(self) -> None:
        self.text = self.segmented.text
        self._hit_starts = list(map(_START, self.region_hits))
        # region_hits are sorted by start: each start's hits are a run of them.
        self._by_start = {start: list(run) for start, run in groupby(self.region_hits, _START)}
        by_end = self._by_end
        for hit in self.region_hits:
            if hit.end in by_end:
                by_end[hit.end].append(hit)
            else:
                by_end[hit.end] = [hit]

    def hits_starting(self, offset: int) -> list[RegionHit]:
        """Region hits that start at ``offset``, in document order."""
        return self._by_start.get(offset, [])

    def hits_ending(self, offset: int) -> list[RegionHit]:
        """Region hits that end at ``offset``, in document order."""
        return self._by_end.get(offset, [])

    def hits_between(self, lower: int, upper: int) -> list[RegionHit]:
        """Region hits that start in [lower, upper), in document order."""
        return self.region_hits[
            bisect.bisect_left(self._hit_starts, lower) : bisect.bisect_left(
                self._hit_starts, upper
            )
        ]

    @classmethod
    def build(cls, segmented: Segmented, resources: Resources) -> DocContext:
        hits, provinces = find_regions(segmented.text, resources, segmented.boundaries)
        return cls(segmented, resources, hits, provinces)

    @property
    def token_starts(self) -> tuple[int, ...]:
        return self.segmented.token_starts

    def token_at(self, offset: int) -> tuple[int, int]:
        """(start, end) of the jieba token that covers ``offset``."""
        i = bisect.bisect_right(self.token_starts, offset) - 1
        if i < 0:
            return offset, offset + 1
        return self.segmented.token_span(i)

    def province(self) -> str | None:
        return self.provinces[0] if self.provinces else None

    def nearest_region(
        self, offset: int, level: str, window: int = 400, kind: str = ""
    ) -> str | None:
        """The closest region of ``level`` named before ``offset`` in the same paragraph
        (else, for a province, the document's); ``kind``: a word its name must end with
        (自治区: 自治区地方志办 is not 云南省's office, however near 云南省 is named).
        A city's form with no city named in a part of the document about 北京市, 天津市,
        上海市 or 重庆市 is the municipality's (市委, 市方志办)."""
        lower = max(0, offset - window)
        lower = self.text.rfind("\n", lower, offset) + 1 or lower  # the paragraph's start
        divisions = self.resources.divisions
        best: str | None = None
        for hit in self.hits_between(lower, offset):
            division = divisions[hit.adcode]
            if division.level == level:
                if division.name.endswith(kind):
                    best = hit.adcode
            elif level == "prefecture" and division.level == "county" and division.parent:
                parent = divisions.get(division.parent)
                if (
                    parent is not None
                    and parent.level == "prefecture"
                    and parent.name.endswith(kind)
                ):
                    best = parent.adcode
        if best is None and level == "province":
            return self._section_province(offset, kind)
        if best is None and level == "prefecture" and kind != "自治区":
            # 市委, 市档案馆 in a document of 北京市, 天津市, 上海市 or 重庆市: the
            # municipality's, whose districts are its cities' peers
            province = self._section_province(offset, "市")
            if province is not None and province == self._section_province(offset, ""):
                return province
            # 抄送：市委办公室… in a city office's document: the city its head names
            return self._home_region("prefecture", kind)
        if best is None and level == "county":
            # 优秀：县财政局、县教育局 in a county office's bulletin: the county its head names
            return self._home_region("county", kind)
        return best

    def _home_region(self, level: str, kind: str) -> str | None:
        """The one region of ``level`` the document's head names (苏州市地方志办公室文件,
        宣恩县史志办公室编), if it names one and no other."""
        divisions = self.resources.divisions
        found = {
            hit.adcode
            for hit in self.hits_between(0, min(len(self.text), _HEAD))
            if divisions[hit.adcode].level == level and divisions[hit.adcode].name.endswith(kind)
        }
        return found.pop() if len(found) == 1 else None

    def _section_province(self, offset: int, kind: str) -> str | None:
        """The province of the part of the document ``offset`` is in: that of the places
        named last before it (a document about two provinces treats one, then the other),
        if it is one of the document's; else the document's first."""
        divisions = self.resources.divisions
        provinces = [p for p in self.provinces if divisions[p].name.endswith(kind)]
        if len(provinces) > 1:
            for hit in reversed(self.hits_between(max(0, offset - _SECTION), offset)):
                province = divisions[hit.adcode].province
                if province in provinces:
                    return province
        return provinces[0] if provinces else None


# How far back the places that tell a part's province are looked for, and how much of
# a document is its head (masthead, number, title).
_SECTION = 2000
_HEAD = 200


def make_mention(
    type_: EntityType,
    text: str,
    start: int,
    end: int,
    source: str,
    *,
    label: str | None = None,
    aliases: tuple[str, ...] = (),
    subtype: PublicationSubtype | None = None,
    adcode: str | None = None,
    online: bool = False,
) -> Mention:
    surface = text[start:end]
    label = label or surface
    return new_mention(
        type_,
        start,
        end,
        surface,
        label,
        source,
        subtype,
        adcode,
        tuple([a for a in dict.fromkeys(aliases) if a and a != label]) if aliases else (),
        online,
    )


def is_cjk(ch: str) -> bool:
    """Whether the character ``ch`` is one of ``patterns.CJK``'s ideographs.

    Compared, not matched with ``patterns.CJK_CHAR``: it is asked tens of
    thousands of times a document.
    """
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" or "\uf900" <= ch <= "\ufaff"


def masthead_line(text: str, title_start: int) -> tuple[int, int] | None:
    """The line a notice's masthead names its issuer on, above its title at
    ``title_start``: the first one up, within a masthead's few lines, that is neither
    blank, nor the document's number, nor 文件 alone (its start and end offsets)."""
    end = title_start - 1
    seen = 0
    while end > 0 and seen < patterns.MASTHEAD_LINES:
        start = text.rfind("\n", 0, end) + 1
        line = text[start:end].strip()
        line_end, end = end, start - 1
        if not line:
            continue
        seen += 1
        if patterns.DOCUMENT_NUMBER.fullmatch(line) or line == "文件":
            continue
        return start, line_end
    return None
