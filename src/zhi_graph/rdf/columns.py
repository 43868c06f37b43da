"""A graph's nodes grouped by shape, their objects as columns, for work in bulk.

Most nodes of a document's graph are alike: every mention has the same
predicates with one object each, and so has every relation statement.  Taken
one by one, a node costs Python more in bookkeeping (a loop turn, a look-up
per predicate, a call per check) than its few triples are worth.  Grouped by
shape, the objects of one predicate form a column that built-ins written in C
(``map``, ``zip``, ``str.join``, a regular expression over the joined column)
go through at once: ``rdf.turtle`` writes such tables, ``rdf.conformance``
checks them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import chain
from operator import itemgetter
from typing import NamedTuple

#: A graph by subject: subject -> predicate -> objects, all N-Triples terms, each triple once.
Nodes = Mapping[str, Mapping[str, Sequence[str]]]

_FIRST = itemgetter(0)


class Table(NamedTuple):
    """Nodes of one shape: the same predicates (in the same order), and as many objects
    of each in every node (``counts``: one mostly; two types for a kind of publication)."""

    predicates: tuple[str, ...]
    counts: tuple[int, ...]
    subjects: list[str]
    #: the objects of ``predicates[i]``: ``counts[i]`` of them for each subject in turn
    #: (``columns[i][j]`` is the object of ``subjects[j]`` when there is one each)
    columns: list[list[str]]

    @property
    def single(self) -> bool:
        """Whether every node has one object of each predicate."""
        return all(count == 1 for count in self.counts)


def tables(nodes: Nodes, subjects: Iterable[str]) -> tuple[list[Table], list[str]]:
    """The nodes of ``subjects`` as tables, one per shape (the predicates, in the order
    the node has them), and the subjects left over: those with no predicate, and those
    of a shape whose nodes have different numbers of objects of some predicate."""
    by_shape: dict[tuple[str, ...], list[str]] = {}
    for subject in subjects:
        shape = tuple(nodes[subject])
        members = by_shape.get(shape)
        if members is None:
            by_shape[shape] = [subject]
        else:
            members.append(subject)
    found: list[Table] = []
    rest: list[str] = []
    for shape, members in by_shape.items():
        table = _table(nodes, shape, members)
        if table is not None:
            found.append(table)
            continue
        # Nodes of one shape with different numbers of objects (an entity with one type
        # or two): one table per numbers.
        by_counts: dict[tuple[int, ...], list[str]] = {}
        for subject in members:
            by_counts.setdefault(tuple(map(len, nodes[subject].values())), []).append(subject)
        for counts, alike in by_counts.items():
            table = _table(nodes, shape, alike) if 0 not in counts else None
            if table is None:
                rest.extend(alike)
            else:
                found.append(table)
    return found, rest


def _table(nodes: Nodes, shape: tuple[str, ...], members: list[str]) -> Table | None:
    """The nodes ``members``, all of ``shape``, as a table; None when some have more
    objects of a predicate than others, or none."""
    if not shape:
        return None
    values = list(map(nodes.__getitem__, members))
    if len(shape) == 1:
        lists = [list(map(itemgetter(shape[0]), values))]
    else:
        lists = list(map(list, zip(*map(itemgetter(*shape), values), strict=True)))
    lengths = [set(map(len, column)) for column in lists]
    if any(len(counts) != 1 or 0 in counts for counts in lengths):
        return None
    counts = tuple(min(counts) for counts in lengths)
    columns = [
        list(map(_FIRST, column)) if count == 1 else list(chain.from_iterable(column))
        for column, count in zip(lists, counts, strict=True)
    ]
    return Table(shape, counts, members, columns)


def sorted_objects(column: list[str], count: int) -> list[str]:
    """A table's column with ``count`` objects of each node, each node's sorted."""
    if count == 1:
        return column
    return list(
        chain.from_iterable(sorted(column[i : i + count]) for i in range(0, len(column), count))
    )


def triple_total(nodes: Nodes, grouped: tuple[list[Table], list[str]]) -> int:
    """The triples of the nodes ``grouped`` holds (``tables`` of them): a table's are
    its subjects times its objects per subject, without a look at each node."""
    in_tables = sum(len(table.subjects) * sum(table.counts) for table in grouped[0])
    return in_tables + sum(len(objects) for s in grouped[1] for objects in nodes[s].values())


def table_nodes(table: Table) -> Iterator[tuple[str, dict[str, list[str]]]]:
    """The nodes of ``table``, by subject and predicate (``Nodes``'s items)."""
    for j, subject in enumerate(table.subjects):
        yield (
            subject,
            {
                predicate: column[j * count : (j + 1) * count]
                for predicate, column, count in zip(
                    table.predicates, table.columns, table.counts, strict=True
                )
            },
        )


def subjects_of(nodes: Nodes, grouped: tuple[list[Table], list[str]]) -> list[str]:
    """The subjects of ``nodes`` and of the tables ``grouped`` holds, sorted (tables may
    hold nodes ``nodes`` lacks: ``rdf.build.nodes_and_tables``'s mentions)."""
    # A table's nodes are all in ``nodes`` or none is (``tables`` makes tables of nodes).
    apart = [table.subjects for table in grouped[0] if table.subjects[0] not in nodes]
    return sorted([*nodes, *chain.from_iterable(apart)])
