"""The working state of relation extraction for one document."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import cached_property

from ..model import (
    Entity,
    EntityType,
    Mention,
    PublicationSubtype,
    RegionHit,
    Relation,
    RelationKind,
    Resolved,
    Sentence,
    Span,
)
from ..recognize.regions import regions_in
from ..records import new_entity, new_mention, new_region_hit, new_relation, new_span
from ..resources import LEVEL_DEPTH, VILLAGE_LEVEL, Resources
from ..text.keys import name_key

_TOWNSHIP_PARENTS = frozenset({"county", "prefecture"})
# What, right after a region's name, makes the name about something else: a zone
# (哈尔滨新区, 青岛西海岸新区), a forest area, a city cluster, or a river's banks and
# basin (嫩江左岸: 嫩江 the river, not 嫩江市).
_PLACES_SOMETHING_ELSE = re.compile(
    r"[\u4e00-\u9fff]{0,4}?(?:新区|林区|开发区|高新区|示范区|试验区|实验区|自贸区|保税区|"
    r"合作区|经济区|城市群|都市圈|经济圈|经济带)"
    r"|(?:左岸|右岸|沿岸|两岸|流域|上游|中游|下游|干流|支流)"
)


def _about_themselves(name: str, hits: list[RegionHit]) -> list[RegionHit]:
    """The hits of ``name`` that its work is about: not those placing a zone, a river
    or a forest, nor those read inside that zone's own name (河北雄安新区年鉴: neither
    河北 nor the 安新 of 雄安, while 天津市滨海新区年鉴 keeps 滨海新区, a district)."""
    zones = []
    for hit in hits:
        zone = _PLACES_SOMETHING_ELSE.match(name, hit.end)
        if zone:
            zones.append(zone.span())
    return [
        h
        for h in hits
        if not _PLACES_SOMETHING_ELSE.match(name, h.end)
        and not any(start <= h.start and h.end < end for start, end in zones)
    ]


@dataclass
class Graph:
    resolved: Resolved
    resources: Resources
    entities: dict[str, Entity] = field(default_factory=dict)
    mentions: list[tuple[Mention, str]] = field(default_factory=list)
    relations: dict[tuple[RelationKind, str, str, int | None], Relation] = field(
        default_factory=dict
    )
    # Each notice's own title on a line of its own: its span and the bodies that issued
    # it (``triggers.add_document_titles``), for the awards it announces.
    own_titles: list[tuple[int, int, tuple[str, ...]]] = field(default_factory=list)

    @classmethod
    def start(cls, resolved: Resolved, resources: Resources) -> Graph:
        graph = cls(resolved, resources)
        graph.text = resolved.recognized.segmented.text
        graph.sentences = resolved.recognized.segmented.sentences
        graph.entities = {e.key: e for e in resolved.entities}
        pairs = zip(resolved.recognized.mentions, resolved.mention_keys, strict=True)
        graph.mentions = sorted(pairs, key=lambda p: (p[0].start, p[0].end))
        graph._starts = [m.start for m, _ in graph.mentions]
        graph._names = {}
        for entity in resolved.entities:
            for name in (entity.label, *entity.aliases):
                graph._names.setdefault((entity.type, name_key(name)), entity.key)
        return graph

    _starts: list[int] = field(default_factory=list)
    _names: dict[tuple[EntityType, str], str] = field(default_factory=dict)
    _named_cache: dict[tuple[tuple[str, ...], bool], tuple[str, list[RegionHit]] | None] = field(
        default_factory=dict
    )
    # The document's text and sentences, kept (``start``), not properties: rules read
    # them a hundred thousand times in a 10 MB corpus.
    text: str = ""
    sentences: tuple[Sentence, ...] = ()

    @property
    def provinces(self) -> tuple[str, ...]:
        return self.resolved.recognized.context_provinces

    @cached_property
    def counties(self) -> frozenset[str]:
        """Counties the document names, under which townships in names are read (and
        prefecture-level cities, for those with townships of their own: 东莞市石龙镇)."""
        divisions = self.resources.divisions
        return frozenset(
            h.adcode
            for h in self.resolved.recognized.region_hits
            if divisions[h.adcode].level in _TOWNSHIP_PARENTS
        )

    @cached_property
    def villages(self) -> dict[str, str]:
        """The villages the document names (after their township or county), by name:
        a name may then hold one alone (《临沣寨村志》, 大寨村村史馆)."""
        divisions = self.resources.divisions
        return {
            h.surface: h.adcode
            for h in self.resolved.recognized.region_hits
            if divisions[h.adcode].level == VILLAGE_LEVEL
        }

    def sentence_at(self, offset: int) -> Sentence:
        """``Segmented.sentence_at``, by bisection over the sentences' starts."""
        return self.sentences[max(0, bisect.bisect_right(self._sentence_starts, offset) - 1)]

    def mentions_between(self, start: int, end: int) -> list[tuple[Mention, str]]:
        """Mentions that start in [start, end), in order."""
        i = bisect.bisect_left(self._starts, start)
        return self.mentions[i : max(i, bisect.bisect_left(self._starts, end, i))]

    def first_mention_between(self, start: int, end: int) -> tuple[Mention, str] | None:
        """The first mention that starts in [start, end), if any."""
        i = bisect.bisect_left(self._starts, start)
        if i < len(self._starts) and self._starts[i] < end:
            return self.mentions[i]
        return None

    def sentence_index(self, sentence: Sentence) -> int:
        """Where ``sentence`` is in ``sentences`` (found by its start: they are in order)."""
        sentences = self.sentences
        i = bisect.bisect_left(self._sentence_starts, sentence.start)
        if i < len(sentences) and sentences[i] == sentence:
            return i
        return sentences.index(sentence)

    @cached_property
    def _sentence_starts(self) -> list[int]:
        return [s.start for s in self.sentences]

    def find(self, type_: EntityType, name: str) -> str | None:
        return self._names.get((type_, name_key(name)))

    def first_sentence(self, key: str) -> Span | None:
        entity = self.entities[key]
        if not entity.mentions:
            return None
        sentence = self.sentence_at(entity.mentions[0].start)
        return new_span(sentence.start, sentence.end)

    def add(
        self,
        kind: RelationKind,
        subject: str,
        obj: str,
        sentence: Span | None,
        year: int | None = None,
    ) -> None:
        if subject == obj:
            return
        key = (kind, subject, obj, year)
        if key not in self.relations:
            self.relations[key] = new_relation(kind, subject, obj, sentence, year)

    def region(self, adcode: str, mention: Mention | None = None) -> str:
        """The key of a region entity, created (with its parents) when first needed."""
        key = f"region:{adcode}"
        division = self.resources.divisions[adcode]
        if key not in self.entities:
            self.entities[key] = new_entity(
                key=key,
                type=EntityType.REGION,
                label=division.name,
                aliases=(),
                mentions=(mention,) if mention else (),
                adcode=adcode,
                parent=f"region:{division.parent}" if division.parent else None,
                level=division.level,
            )
        return key

    def institution(
        self, label: str, aliases: tuple[str, ...], container: Entity, surface: str
    ) -> str:
        """An institution named only inside another entity's name, made an entity."""
        key = f"institution:{name_key(label)}"
        if key not in self.entities:
            mention = None
            for inner in container.mentions:
                at = inner.surface.find(surface)
                # Not the container's whole span: a mention's IRI is its span.
                if at >= 0 and len(surface) < len(inner.surface):
                    start = inner.start + at
                    mention = new_mention(
                        type=EntityType.INSTITUTION,
                        start=start,
                        end=start + len(surface),
                        surface=surface,
                        label=label,
                        source="embedded",
                    )
                    break
            self.entities[key] = new_entity(
                key=key,
                type=EntityType.INSTITUTION,
                label=label,
                aliases=tuple(a for a in (*aliases, surface) if a != label),
                mentions=(mention,) if mention else (),
            )
        return key

    def publication(
        self,
        label: str,
        aliases: tuple[str, ...],
        span: tuple[int, int],
        source: str,
        subtype: PublicationSubtype,
    ) -> str:
        """A publication a rule of this stage reads from the text at ``span`` (a notice's
        own title, which the names inside it were recognised from), made an entity; or
        the one the document already names so."""
        found = self.find(EntityType.PUBLICATION, label)
        if found is not None:
            return found
        key = f"publication:{name_key(label)}"
        start, end = span
        mention = new_mention(
            type=EntityType.PUBLICATION,
            start=start,
            end=end,
            surface=self.text[start:end],
            label=label,
            source=source,
            subtype=subtype,
        )
        self.entities[key] = new_entity(
            key=key,
            type=EntityType.PUBLICATION,
            label=label,
            aliases=tuple(a for a in aliases if a != label),
            mentions=(mention,),
            subtype=subtype,
        )
        for name in (label, *aliases):
            self._names.setdefault((EntityType.PUBLICATION, name_key(name)), key)
        return key

    def region_named_in(
        self, entity: Entity, *, deepest: bool, as_subject: bool = False
    ) -> list[str]:
        """Regions named inside an entity's label (or, failing that, its aliases).

        ``as_subject``: only regions the name is about, not those that place a
        zone, a river or a forest it is about (哈尔滨新区年鉴, 嫩江左岸…).
        """
        found = self._regions_named((entity.label, *entity.aliases), deepest)
        if found is None:
            return []
        name, hits = found
        if as_subject:
            hits = _about_themselves(name, hits)
        keys = []
        for hit in hits:
            # the mention only serves a region entity not made yet
            known = f"region:{hit.adcode}" in self.entities
            keys.append(
                self.region(hit.adcode, None if known else self._embedded(entity, name, hit))
            )
        return keys

    def _regions_named(
        self, names: tuple[str, ...], deepest: bool
    ) -> tuple[str, list[RegionHit]] | None:
        """The first of ``names`` that names regions, and those regions (asked again and
        again of the same entities by the rules, so kept)."""
        cache_key = (names, deepest)
        if cache_key in self._named_cache:
            return self._named_cache[cache_key]
        divisions = self.resources.divisions
        found: tuple[str, list[RegionHit]] | None = None
        for name in names:
            hits = [
                h
                for h in regions_in(name, self.resources, self.provinces, self.counties)
                if divisions[h.adcode].level != "country" or h.start == 0
            ]
            if self.villages:
                hits = self._with_villages(name, hits)
            if not hits:
                continue
            if deepest:
                hits = [
                    max(
                        hits,
                        # (of two of one level, the first: 重庆市方志馆四川外国语大学分馆 is
                        # 重庆市's, 四川 only names its host)
                        key=lambda h: (LEVEL_DEPTH.get(divisions[h.adcode].level, 0), -h.start),
                    )
                ]
            found = (name, hits)
            break
        self._named_cache[cache_key] = found
        return found

    def _with_villages(self, name: str, hits: list[RegionHit]) -> list[RegionHit]:
        """``hits`` and the document's villages named alone in ``name``, in order."""
        found = list(hits)
        for village, code in self.villages.items():
            at = name.find(village)
            if at < 0:
                continue
            end = at + len(village)
            overlapping = [h for h in found if h.start < end and at < h.end]
            if all(at <= h.start and h.end <= end for h in overlapping):
                # the village's name holds the shorter names found in it (乌审 of 乌审召嘎查)
                found = [h for h in found if h not in overlapping]
                found.append(new_region_hit(at, end, village, code, "full"))
        found.sort(key=lambda h: h.start)
        return found

    def _embedded(self, entity: Entity, name: str, hit: object) -> Mention | None:
        """A mention of the region at its place inside one of the entity's mentions."""
        assert isinstance(hit, RegionHit)
        for mention in entity.mentions:
            at = mention.surface.find(hit.surface)
            # Not the entity's whole span (《四川省》): a mention's IRI is its span.
            if at >= 0 and len(hit.surface) < len(mention.surface):
                start = mention.start + at
                return new_mention(
                    type=EntityType.REGION,
                    start=start,
                    end=start + len(hit.surface),
                    surface=hit.surface,
                    label=self.resources.divisions[hit.adcode].name,
                    source="embedded",
                    adcode=hit.adcode,
                )
        return None
