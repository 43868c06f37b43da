"""zhi_graph.rdf.columns: a graph's nodes grouped by shape, their objects as columns."""

from __future__ import annotations

import pytest

from zhi_graph.rdf.columns import Table, sorted_objects, tables, triple_total

Nodes = dict[str, dict[str, list[str]]]

CASES: list[tuple[str, Nodes, list[Table], list[str]]] = [
    (
        "one shape, one object each",
        {"<a>": {"<p>": ["1"], "<q>": ["2"]}, "<b>": {"<p>": ["3"], "<q>": ["4"]}},
        [Table(("<p>", "<q>"), (1, 1), ["<a>", "<b>"], [["1", "3"], ["2", "4"]])],
        [],
    ),
    (
        "the same predicates in another order: another shape",
        {"<a>": {"<p>": ["1"], "<q>": ["2"]}, "<b>": {"<q>": ["4"], "<p>": ["3"]}},
        [
            Table(("<p>", "<q>"), (1, 1), ["<a>"], [["1"], ["2"]]),
            Table(("<q>", "<p>"), (1, 1), ["<b>"], [["4"], ["3"]]),
        ],
        [],
    ),
    (
        "two objects of a predicate in every node",
        {"<a>": {"<p>": ["2", "1"]}, "<b>": {"<p>": ["3", "4"]}},
        [Table(("<p>",), (2,), ["<a>", "<b>"], [["2", "1", "3", "4"]])],
        [],
    ),
    (
        "one shape, different numbers of objects: a table for each",
        {"<a>": {"<p>": ["1"]}, "<b>": {"<p>": ["2", "3"]}, "<c>": {"<p>": ["4"]}},
        [
            Table(("<p>",), (1,), ["<a>", "<c>"], [["1", "4"]]),
            Table(("<p>",), (2,), ["<b>"], [["2", "3"]]),
        ],
        [],
    ),
    (
        "no predicate, or a predicate without objects: left over",
        {"<a>": {}, "<b>": {"<p>": []}, "<c>": {"<p>": ["1"]}},
        [Table(("<p>",), (1,), ["<c>"], [["1"]])],
        ["<a>", "<b>"],
    ),
]


@pytest.mark.parametrize(
    ("nodes", "expected", "rest"),
    [(n, e, r) for _, n, e, r in CASES],
    ids=[name for name, *_ in CASES],
)
def test_nodes_are_grouped_by_shape(nodes: Nodes, expected: list[Table], rest: list[str]) -> None:
    found, left = tables(nodes, sorted(nodes))
    assert sorted(found) == sorted(expected)
    assert sorted(left) == rest


@pytest.mark.parametrize(
    ("nodes", "triples"),
    [
        (n, sum(len(objects) for values in n.values() for objects in values.values()))
        for _, n, *_ in CASES
    ],
    ids=[name for name, *_ in CASES],
)
def test_the_triples_are_counted_from_the_tables(nodes: Nodes, triples: int) -> None:
    assert triple_total(nodes, tables(nodes, sorted(nodes))) == triples


def test_only_the_given_subjects_are_grouped() -> None:
    nodes = {"<a>": {"<p>": ["1"]}, "<b>": {"<p>": ["2"]}}
    assert tables(nodes, ["<b>"]) == ([Table(("<p>",), (1,), ["<b>"], [["2"]])], [])


def test_a_table_with_one_object_each_is_single() -> None:
    assert Table(("<p>", "<q>"), (1, 1), [], [[], []]).single
    assert not Table(("<p>", "<q>"), (1, 2), [], [[], []]).single


@pytest.mark.parametrize(
    ("column", "count", "expected"),
    [
        (["b", "a", "c"], 1, ["b", "a", "c"]),
        (["b", "a", "c", "d"], 2, ["a", "b", "c", "d"]),
        (["c", "b", "a", "f", "e", "d"], 3, ["a", "b", "c", "d", "e", "f"]),
    ],
)
def test_each_nodes_objects_are_sorted(column: list[str], count: int, expected: list[str]) -> None:
    assert sorted_objects(column, count) == expected
