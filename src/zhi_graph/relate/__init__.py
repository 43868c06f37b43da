"""Relate entities: Resolved -> ExtractionResult.

Order matters only in that hosts take their branch's region after locatedIn
is known, and parent regions are added last, for every region any step made.
"""

from __future__ import annotations

from collections import defaultdict

from ..gcpause import without_gc
from ..model import EntityType, ExtractionResult, RelationKind, Resolved
from ..recognize import COORDINATED
from ..resolve import assign_scopes
from ..resources import Resources
from .awards import add_awards, share_conferrers
from .base import Graph
from .structural import (
    add_chronicle_conferrers,
    add_designation_givers,
    add_lexicon_conferrers,
    add_named_regions,
    add_prefixed_issuers,
    add_stated_locations,
    add_title_issuers,
    complete_regions,
    hosts_share_region,
)
from .triggers import (
    add_account_owners,
    add_branch_hosts,
    add_document_titles,
    add_masthead,
    add_series_contents,
    add_trigger_relations,
)
from .works import add_credited_makers, add_table_makers

__all__ = ["relate"]


def _drop_undated_duplicates(graph: Graph) -> None:
    """A headline's undated award is the same event the body dates: keep the dated one."""
    dated = {(k, s, o) for (k, s, o, y) in graph.relations if y is not None}
    for key in [k for k in graph.relations if k[3] is None and k[:3] in dated]:
        del graph.relations[key]


# Relations a sentence states of a body; those read from names (locatedIn,
# aboutRegion, partOf) each coordinated body has from its own label already.
_STATED = frozenset(RelationKind) - {
    RelationKind.LOCATED_IN,
    RelationKind.ABOUT_REGION,
    RelationKind.PART_OF,
}


def _share_with_coordinated(graph: Graph) -> None:
    """What a sentence says the last body of a coordination did, the others did too.

    In 成都市、绵阳市、德阳市地方志办公室获评先进集体 the award goes to all three
    offices, though the rules read it from the name nearest the verb (the one
    written whole: 德阳市地方志办公室, the others are ``recognize.coordinated``).
    """
    ending: dict[tuple[int, EntityType], str] = {}  # (end, type) -> the name written whole
    for mention, key in graph.mentions:
        if mention.source != COORDINATED:
            ending.setdefault((mention.end, mention.type), key)
    shared: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for mention, key in graph.mentions:
        last = ending.get((mention.end, mention.type)) if mention.source == COORDINATED else None
        if last is not None and last != key:
            shared[last].append((mention.start, mention.end, key))
    if not shared:
        return
    for relation in list(graph.relations.values()):
        if relation.kind not in _STATED or relation.sentence is None:
            continue
        sentence = relation.sentence
        for as_subject, last in ((True, relation.subject), (False, relation.object)):
            for start, end, key in shared.get(last, ()):
                if sentence.start <= start and end <= sentence.end:
                    subject, obj = (key, relation.object) if as_subject else (relation.subject, key)
                    graph.add(relation.kind, subject, obj, sentence, relation.year)


@without_gc
def relate(resolved: Resolved, resources: Resources) -> ExtractionResult:
    graph = Graph.start(resolved, resources)
    add_named_regions(graph)
    add_document_titles(graph)
    add_title_issuers(graph)
    add_prefixed_issuers(graph)
    add_stated_locations(graph)
    add_trigger_relations(graph)
    add_series_contents(graph)
    add_branch_hosts(graph)
    add_account_owners(graph)
    add_masthead(graph)
    add_table_makers(graph)
    add_credited_makers(graph)
    add_awards(graph)
    add_lexicon_conferrers(graph)
    add_chronicle_conferrers(graph)
    add_designation_givers(graph)
    share_conferrers(graph)
    hosts_share_region(graph)
    _share_with_coordinated(graph)
    complete_regions(graph)
    _drop_undated_duplicates(graph)
    segmented = resolved.recognized.segmented
    document = segmented.normalized.document
    # Scopes are settled last, once every step that adds entities has run.
    entities = assign_scopes(
        sorted(graph.entities.values(), key=lambda e: e.key),
        resolved.recognized.context_provinces,
        document.sha256,
    )
    return ExtractionResult(
        document=document,
        normalized=segmented.normalized,
        entities=entities,
        relations=tuple(graph.relations.values()),
        sentences=segmented.sentences,
    )
