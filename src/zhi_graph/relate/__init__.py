"""Relate entities: Resolved -> ExtractionResult.

Order matters only in that hosts take their branch's region after locatedIn
is known, and parent regions are added last, for every region any step made.
"""

from __future__ import annotations

from ..gcpause import without_gc
from ..model import ExtractionResult, Resolved
from ..resolve import assign_scopes
from ..resources import Resources
from .awards import add_awards, share_conferrers
from .base import Graph
from .structural import (
    add_lexicon_conferrers,
    add_named_regions,
    add_stated_locations,
    add_title_issuers,
    complete_regions,
    hosts_share_region,
)
from .triggers import (
    add_account_owners,
    add_branch_hosts,
    add_masthead,
    add_trigger_relations,
)

__all__ = ["relate"]


def _drop_undated_duplicates(graph: Graph) -> None:
    """A headline's undated award is the same event the body dates: keep the dated one."""
    dated = {(k, s, o) for (k, s, o, y) in graph.relations if y is not None}
    for key in [k for k in graph.relations if k[3] is None and k[:3] in dated]:
        del graph.relations[key]


@without_gc
def relate(resolved: Resolved, resources: Resources) -> ExtractionResult:
    graph = Graph.start(resolved, resources)
    add_named_regions(graph)
    add_title_issuers(graph)
    add_stated_locations(graph)
    add_trigger_relations(graph)
    add_branch_hosts(graph)
    add_account_owners(graph)
    add_masthead(graph)
    add_awards(graph)
    add_lexicon_conferrers(graph)
    share_conferrers(graph)
    hosts_share_region(graph)
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
