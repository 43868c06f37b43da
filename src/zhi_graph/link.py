"""Link entities across documents: the summaries of a corpus -> one label per entity.

Within a document ``resolve`` already made one entity of every name it goes
by.  Across documents the same name gives the same IRI by construction
(``rdf.iri``: a hash of the scope and the name), so 成都市 or 中国地方志指导小组
in forty briefings is one node.  What this stage adds is the aliases: a
document that only says 四川省地方志办 and another that writes
四川省地方志工作办公室 and defines the short form are about one office, and
both documents must then give it one IRI and one label.

A region's chronicle office links by the region: 四川省地方志工作办公室 in one
document and 四川省地方志办 in another are one office
(``data/lexicon/chronicle_office_forms.txt`` lists the endings).

Names are compared within a type and a scope (``Entity.scope``), so relative
names (省委宣传部) never link across provinces.  Persons and regions are left
alone: regions have administrative codes, and two people who share a name in
two documents are not known to be one person.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping

from .model import DocumentSummary, EntitySummary, EntityType
from .resources import Resources
from .text.keys import is_relative_name, name_key

# An alias shorter than this (方志馆, 年鉴社) names too many things to link on.
MIN_ALIAS_LENGTH = 4
_LINKED_TYPES = frozenset(
    {EntityType.INSTITUTION, EntityType.PUBLICATION, EntityType.VENUE, EntityType.AWARD}
)

#: document sha256 -> entity key -> the label that entity takes in the whole corpus
Relabels = dict[str, dict[str, str]]


def _names_of(
    type_: EntityType,
    scope: str | None,
    label: str,
    aliases: tuple[str, ...],
    resources: Resources,
) -> tuple[str, ...]:
    """The names an entity links by, sorted."""
    names = {name_key(label)}
    names.update(
        key
        for key in map(name_key, aliases)
        if len(key) >= MIN_ALIAS_LENGTH
        # 省档案馆 as an alias of 四川省档案馆 is that only in its own document.
        and (scope is not None or not is_relative_name(key))
    )
    if type_ is EntityType.INSTITUTION:
        for name in list(names):
            office = office_of(name, resources)
            if office:
                names.add(f"chronicle-office:{office}")
    return tuple(sorted(names))


def office_of(name: str, resources: Resources) -> str | None:
    """The region whose chronicle office ``name`` is, if it is one: 四川省方志办 -> 510000."""
    for cut in range(min(len(name) - 1, 12), 1, -1):
        if name[cut:] not in resources.chronicle_office_forms:
            continue
        regions = {adcode for adcode, _ in resources.region_names.get(name[:cut], ())}
        if not regions:
            continue  # 四川省地方 + 志办: the cut is inside the ending
        # 鼓楼区方志办 names no one office: several counties are called 鼓楼区.
        return regions.pop() if len(regions) == 1 else None
    return None


class _Groups:
    """Union-find over entities that never puts two entities of one document together.

    ``resolve`` already decided which names in a document are one entity;
    linking only joins documents, so a union that would make two of one
    document's entities one is refused.
    """

    def __init__(self, owners: list[tuple[str, EntitySummary]]) -> None:
        self.parent: list[int] = []
        # entity -> its document and itself: the linker's list, not a copy (a 50 MB
        # corpus has half a million entities to link)
        self._owners = owners
        # root -> document -> the index of its entity, for groups of two or more: most
        # entities stay alone, and a dictionary each cost a corpus's build 100 MB per
        # 50 MB.  (A file's copy is the same document, with the same entity keys: it
        # joins the groups of the first and adds no member.)
        self._members: dict[int, dict[str, int]] = {}

    def add(self) -> int:
        """A new group of one: the entity ``owners`` holds at the index returned."""
        self.parent.append(len(self.parent))
        return len(self.parent) - 1

    def find(self, i: int) -> int:
        root = i
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[i] != root:
            self.parent[i], i = root, self.parent[i]
        return root

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        if rb < ra:
            ra, rb = rb, ra
        owners = self._owners
        left = self._members.get(ra)
        if left is not None and rb not in self._members:
            # Most unions bring a group one more document's entity (``Linker.add``):
            # the general case below would make a dictionary of it to pour in.
            document, entity = owners[rb]
            held = left.get(document)
            if held is None:
                left[document] = rb
            elif owners[held][1].key != entity.key:
                return
            self.parent[rb] = ra
            return
        left, right = self._members_of(ra), self._members_of(rb)
        # Groups of an entity named in hundreds of documents meet small ones:
        # the smaller is walked, and poured into the larger.
        small, large = (left, right) if len(left) < len(right) else (right, left)
        for document, i in small.items():
            held = large.get(document)
            if held is not None and owners[held][1].key != owners[i][1].key:
                return
        self.parent[rb] = ra
        large.update(small)
        self._members[ra] = large
        self._members.pop(rb, None)

    def shared(self) -> Iterable[dict[str, int]]:
        """The groups of entities of two documents or more: document -> its entity's index."""
        return self._members.values()

    def _members_of(self, root: int) -> dict[str, int]:
        found = self._members.get(root)
        if found is None:
            return {self._owners[root][0]: root}
        return found


def _canonical(labels: Mapping[str, int]) -> str:
    """The label most documents use; then the longest, the fullest form; then the first."""
    return min(labels, key=lambda label: (-labels[label], -len(label), label))


def link(summaries: Iterable[DocumentSummary], resources: Resources) -> Relabels:
    """For every entity whose corpus-wide label differs from its own, that label."""
    linker = Linker(resources)
    for summary in summaries:
        linker.add(summary)
    return linker.relabels()


class Linker:
    """``link`` fed one summary at a time (``add``, in the corpus's order), so that a
    build links each document as its extraction returns, while workers extract the
    next, instead of linking the whole corpus between the two phases."""

    def __init__(self, resources: Resources) -> None:
        self._resources = resources
        self._members: list[tuple[str, EntitySummary]] = []
        self._groups = _Groups(self._members)
        self._first_with_name: dict[tuple[EntityType, str | None, str], int] = {}
        # Each entity once, however many documents name it: members hold every
        # document's, and unpickled summaries give each document its own copy
        # (half the linked entities of the benchmark corpus are such repeats).
        self._shared: dict[EntitySummary, EntitySummary] = {}
        # document -> where its entities are in ``_members`` (a file's copies: each)
        self._spans: dict[str, list[tuple[int, int]]] = {}
        # The names of each entity, worked out once however many documents name it: a
        # bounded cache of them (16,384) missed 95,000 times for the 57,000 distinct
        # entities of the 50 MB benchmark corpus, a quarter of adding its summaries.
        self._names: dict[tuple[EntityType, str | None, str, tuple[str, ...]], tuple[str, ...]] = {}

    def add(self, summary: DocumentSummary) -> None:
        groups, first_with_name, shared = self._groups, self._first_with_name, self._shared
        known = self._names
        start = len(self._members)
        for entity in summary.entities:
            if entity.type not in _LINKED_TYPES:
                continue
            entity = shared.setdefault(entity, entity)
            index = groups.add()
            self._members.append((summary.sha256, entity))
            type_, scope = entity.type, entity.scope
            named = (type_, scope, entity.label, entity.aliases)
            names = known.get(named)
            if names is None:
                names = known[named] = _names_of(*named, self._resources)
            joined = index
            for name in names:
                seen = first_with_name.setdefault((type_, scope, name), index)
                # (an entity's names are most often first seen by one entity: one union)
                if seen != index and seen != joined:
                    groups.union(seen, index)
                    joined = seen
        self._spans.setdefault(summary.sha256, []).append((start, len(self._members)))

    def members(self) -> list[tuple[str, EntitySummary]]:
        """Every entity added that linking may relabel, with its document's hash."""
        return self._members

    def entities_of(self, document: str) -> list[EntitySummary]:
        """The entities added of a document (by its hash), in the order added: those of
        each copy, when several files have its bytes."""
        return [
            entity
            for start, end in self._spans.get(document, ())
            for _, entity in self._members[start:end]
        ]

    def relabels(self) -> Relabels:
        """The labels of the summaries added so far (see ``link``).

        Only the groups of two or more are read, not every entity of the
        corpus: the others keep their labels (0.1-0.2 s of the build's serial
        time at 50 MB).
        """
        members = self._members
        relabels: Relabels = {}
        for group in self._groups.shared():
            # Counts documents, not entities: a group holds one entity of each.
            canonical = _canonical(Counter(members[i][1].label for i in group.values()))
            for document, i in group.items():
                entity = members[i][1]
                if entity.label != canonical:
                    relabels.setdefault(document, {})[entity.key] = canonical
        for document, changed in relabels.items():
            # Copies of a file are one document: each of its entities once (twice, the
            # copies' entities were taken for two entities given one label).
            entities = {entity.key: entity for entity in self.entities_of(document)}
            _keep_apart(list(entities.values()), changed)
        return {document: changed for document, changed in relabels.items() if changed}


def _keep_apart(entities: list[EntitySummary], changed: dict[str, str]) -> None:
    """Undo relabels that would give two entities of one document one IRI.

    Two groups refused a union (``_Groups``) can still choose the same label,
    or a label the document gives another of its entities; an entity then
    keeps its own label, which ``resolve`` made unique.

    Only the relabelled entities are looked at closely: the others keep labels
    that ``resolve`` already kept apart, and a document has a hundred or more
    entities, most of which keep theirs.
    """
    wanted: dict[tuple[EntityType, str], list[str]] = defaultdict(list)
    types = {entity.key: entity.type for entity in entities}
    for key, label in changed.items():
        wanted[(types[key], name_key(label))].append(key)
    # Which entities go by a name some relabelled entity would take as its label.
    named: dict[tuple[EntityType, str], set[str]] = {}
    for entity in entities:
        for name in (entity.label, *entity.aliases):
            found = (entity.type, name_key(name))
            if found in wanted:
                named.setdefault(found, set()).add(entity.key)
    for found, keys in wanted.items():
        for key in keys:
            if named.get(found, {key}) - {key}:
                del changed[key]
    kept = {
        (entity.type, entity.scope, name_key(entity.label))
        for entity in entities
        if entity.key not in changed
    }
    relabelled = [entity for entity in entities if entity.key in changed]
    while True:
        owners: dict[tuple[EntityType, str | None, str], list[EntitySummary]] = defaultdict(list)
        for entity in relabelled:
            owners[(entity.type, entity.scope, name_key(changed[entity.key]))].append(entity)
        undone = [
            entity
            for owner, group in owners.items()
            if len(group) > 1 or owner in kept
            for entity in group
        ]
        if not undone:
            return
        for entity in undone:
            del changed[entity.key]
            kept.add((entity.type, entity.scope, name_key(entity.label)))
        relabelled = [entity for entity in relabelled if entity.key in changed]
