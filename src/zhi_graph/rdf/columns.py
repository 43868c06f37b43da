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

from collections.abc import Iterable, Mapping, Sequence
from operator import itemgetter
from typing import NamedTuple

#: A graph by subject: subject -> predicate -> objects, all N-Triples terms, each triple once.
Nodes = Mapping[str, Mapping[str, Sequence[str]]]

_FIRST = itemgetter(0)
_ONE = {1}


class Table(NamedTuple):
    """Nodes of one shape: the same predicates (in the same order), one object each."""

    predicates: tuple[str, ...]
    subjects: list[str]
    #: ``columns[i][j]`` is the object of ``predicates[i]`` for ``subjects[j]``
    columns: list[list[str]]


def tables(nodes: Nodes, subjects: Iterable[str]) -> tuple[list[Table], list[str]]:
    """The nodes of ``subjects`` as tables, one per shape (the predicates, in the order
    the node has them), and the subjects left over: those with no predicate or with
    more or fewer than one object of some predicate."""
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
        if not shape:
            rest.extend(members)
            continue
        values = list(map(nodes.__getitem__, members))
        if len(shape) == 1:
            lists = [list(map(itemgetter(shape[0]), values))]
        else:
            lists = list(map(list, zip(*map(itemgetter(*shape), values), strict=True)))
        # One object each: every list in every column has length 1.
        if all(set(map(len, column)) == _ONE for column in lists):
            found.append(Table(shape, members, [list(map(_FIRST, column)) for column in lists]))
        else:
            rest.extend(members)
    return found, rest
