"""Link entities across documents: the summaries of a corpus -> one label per entity.

Within a document ``resolve`` already made one entity of every name it goes
by.  Across documents the same name gives the same IRI by construction
(``rdf.iri``: a hash of the scope and the name), so 成都市 or 中国地方志指导小组
in forty briefings is one node.  What this stage adds is the aliases: a
document that only says 四川省地方志办 and another that writes
四川省地方志工作办公室 and defines the short form are about one office, and
both documents must then give it one IRI and one label.

Names are compared within a type and a scope (``Entity.scope``), so relative
names (省委宣传部) never link across provinces.  Persons and regions are left
alone: regions have administrative codes, and two people who share a name in
two documents are not known to be one person.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping

from .model import DocumentSummary, EntitySummary, EntityType
from .text.keys import name_key

# An alias shorter than this (方志馆, 年鉴社) names too many things to link on.
MIN_ALIAS_LENGTH = 4
_LINKED_TYPES = frozenset(
    {EntityType.INSTITUTION, EntityType.PUBLICATION, EntityType.VENUE, EntityType.AWARD}
)

#: document sha256 -> entity key -> the label that entity takes in the whole corpus
Relabels = dict[str, dict[str, str]]


def _names(entity: EntitySummary) -> set[str]:
    names = {name_key(entity.label)}
    names.update(name_key(a) for a in entity.aliases if len(name_key(a)) >= MIN_ALIAS_LENGTH)
    return names


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def find(self, i: int) -> int:
        self.parent.setdefault(i, i)
        root = i
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[i] != root:
            self.parent[i], i = root, self.parent[i]
        return root

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _canonical(labels: Counter[str]) -> str:
    """The label most documents use; then the longest, the fullest form; then the first."""
    return min(labels, key=lambda label: (-labels[label], -len(label), label))


def link(summaries: Iterable[DocumentSummary]) -> Relabels:
    """For every entity whose corpus-wide label differs from its own, that label."""
    members: list[tuple[str, EntitySummary]] = []
    groups = _UnionFind()
    first_with_name: dict[tuple[EntityType, str | None, str], int] = {}
    for summary in summaries:
        for entity in summary.entities:
            if entity.type not in _LINKED_TYPES:
                continue
            index = len(members)
            members.append((summary.sha256, entity))
            groups.find(index)
            for name in _names(entity):
                seen = first_with_name.setdefault((entity.type, entity.scope, name), index)
                groups.union(seen, index)
    labels: dict[int, Counter[str]] = defaultdict(Counter)
    documents_with_label: set[tuple[int, str, str]] = set()
    for index, (sha, entity) in enumerate(members):
        root = groups.find(index)
        # Count documents, not entities: one document's duplicates are one vote.
        if (root, sha, entity.label) not in documents_with_label:
            documents_with_label.add((root, sha, entity.label))
            labels[root][entity.label] += 1
    relabels: Relabels = {}
    for index, (sha, entity) in enumerate(members):
        canonical = _canonical(labels[groups.find(index)])
        if canonical != entity.label:
            relabels.setdefault(sha, {})[entity.key] = canonical
    return relabels


def relabels_for(relabels: Mapping[str, Mapping[str, str]], sha256: str) -> dict[str, str]:
    return dict(relabels.get(sha256, {}))
