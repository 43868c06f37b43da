"""Recognise entity mentions: Segmented -> Recognized.

Each recogniser proposes candidates with a priority; overlapping candidates
are settled by priority, then length, so that a title beats the region named
inside it and a full institution name beats its suffix.
"""

from __future__ import annotations

from operator import attrgetter

from ..gcpause import without_gc
from ..model import AwardZone, EntityType, Mention, Recognized, Segmented
from ..records import new_mention
from ..resources import Resources
from .awards import find_award_candidates, find_award_zones, find_quoted
from .context import Candidate, DocContext
from .names import find_branches, find_lexicon, find_suffix_names, find_templates
from .persons import find_persons
from .regions import longest_regions
from .titles import find_cell_titles, find_masthead, find_titles

__all__ = ["DocContext", "recognize", "select"]


def candidates(ctx: DocContext, zones: list[AwardZone]) -> list[Candidate]:
    found: list[Candidate] = [
        *find_titles(ctx),
        *find_cell_titles(ctx),
        *find_masthead(ctx),
        *find_award_candidates(ctx, zones),
        *find_quoted(ctx, zones),
        *find_branches(ctx),
        *find_lexicon(ctx),
        *find_templates(ctx),
        *find_suffix_names(ctx),
        *find_persons(ctx),
    ]
    divisions = ctx.resources.divisions
    region = EntityType.REGION
    for hit in longest_regions(ctx.region_hits):
        # make_mention's arguments, spelled out: a document names hundreds of regions.
        found.append(
            Candidate(
                new_mention(
                    region,
                    hit.start,
                    hit.end,
                    hit.surface,
                    divisions[hit.adcode].name or hit.surface,
                    _GAZETTEER_SOURCE.get(hit.kind) or f"gazetteer-{hit.kind}",
                    None,
                    hit.adcode,
                ),
                50,
            )
        )
    return found


_GAZETTEER_SOURCE = {kind: f"gazetteer-{kind}" for kind in ("full", "short", "former")}


def select(found: list[Candidate]) -> list[Mention]:
    """Keep the best non-overlapping candidates; nested ones may sit inside accepted ones."""

    # Titles, quotes and award lists first; then names, longest first; regions last.
    # (The keys made in one comprehension, not by a key function called per candidate.)
    keys = [
        (
            0 if c.priority >= 80 else 1 if c.priority > 50 else 2,
            m.start - m.end,
            -c.priority,
            m.start,
            i,
        )
        for i, c in enumerate(found)
        for m in (c.mention,)
    ]
    keys.sort()
    ordered = [found[key[4]] for key in keys]
    length = max(
        max([c.mention.end for c in found], default=0),
        max([c.claim[1] for c in found if c.claim], default=0),
    )
    # owner[i]: which accepted mention covers character i (0 = none), so that
    # overlap tests cost the length of a mention, not the number accepted.
    owner = [0] * length
    kept: list[Mention] = []
    for number, candidate in enumerate(ordered, 1):
        m = candidate.mention
        if candidate.nested:
            # inside one accepted mention (wholly), or touching none
            covering = set(owner[m.start : m.end])
            if len(covering) > 1 or (covering != {0} and 0 in covering):
                continue
        else:
            start = min(m.start, candidate.claim[0]) if candidate.claim else m.start
            end = max(m.end, candidate.claim[1]) if candidate.claim else m.end
            span = owner[start:end]
            if not span or any(span):  # empty, or overlapping an accepted mention
                continue
            owner[start:end] = [number] * (end - start)
        kept.append(m)
    return sorted(kept, key=_SPAN)


_SPAN = attrgetter("start", "end")


#: The source of a mention ``coordinated`` makes: its span is the whole coordination.
COORDINATED = "coordinated"


def coordinated(ctx: DocContext, kept: list[Mention]) -> list[Mention]:
    """``kept`` and the bodies that a coordination of regions shares one name ending among.

    安吉县、德清县地方志办公室 names two offices: the name recognised is the last
    one's (德清县地方志办公室); each region listed before it with 、, of the same
    level, makes another (安吉县地方志办公室). Its mention spans from that region
    to the end of the name, which is where the text says it, and is the span of
    no other mention. A name made from a template (绵阳市、德阳市人民政府) takes
    the listed region's full name where the last one's stands in its label.
    """
    text, divisions = ctx.text, ctx.resources.divisions
    region_ending = {
        m.end: m for m in kept if m.type is EntityType.REGION and m.adcode in divisions
    }
    found: list[Mention] = []
    for m in kept:
        if m.type not in _COORDINATED_TYPES or m.source not in _SHARED_SOURCES:
            continue
        heads = [h for h in ctx.hits_starting(m.start) if h.end < m.end]
        if not heads:
            continue
        head = max(heads, key=lambda h: h.end)
        named = divisions[head.adcode]
        ending = m.surface[head.end - m.start :]
        if m.source == "suffix" and m.label != m.surface:
            continue  # a label of its own (an ordinal cut off): no pattern to share
        if m.source == "template" and named.name not in m.label:
            continue
        start = m.start
        while start > 0 and text[start - 1] == "、":
            before = region_ending.get(start - 1)
            if before is None or before.adcode is None:
                break
            listed = divisions[before.adcode]
            if listed.level != named.level:
                break
            written = before.surface + ending
            if m.source == "template":
                label = m.label.replace(named.name, listed.name, 1)
                aliases = (written,) if written != label else ()
            else:
                label, aliases = written, ()
            span = text[before.start : m.end]
            found.append(
                new_mention(m.type, before.start, m.end, span, label, COORDINATED, aliases=aliases)
            )
            start = before.start
    return sorted([*kept, *found], key=_SPAN) if found else kept


_SHARED_SOURCES = frozenset({"suffix", "template"})
_COORDINATED_TYPES = frozenset({EntityType.INSTITUTION, EntityType.VENUE})


@without_gc
def recognize(segmented: Segmented, resources: Resources) -> Recognized:
    """Segmented -> Recognized: every entity mention, with the document's context provinces."""
    ctx = DocContext.build(segmented, resources)
    zones = find_award_zones(ctx)
    return Recognized(
        segmented=segmented,
        mentions=tuple(coordinated(ctx, select(candidates(ctx, zones)))),
        context_provinces=ctx.provinces,
        region_hits=tuple(ctx.region_hits),
        award_zones=tuple(zones),
    )
