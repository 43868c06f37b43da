"""Find every occurrence of many literal names in a text, quickly.

Built on ahocorasick-rs (the Rust ``aho-corasick`` crate): one pass over the
text finds every name of a gazetteer of tens of thousands. A Python loop over
positions cost more than jieba's whole segmentation; pyahocorasick, which
looks a character up among a node's children one by one, spent 0.4 µs a
character at the root of the 39,000 region names, fourteen times as long.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from operator import itemgetter
from typing import Generic, NamedTuple, TypeVar

import ahocorasick_rs

T = TypeVar("T")
_START = itemgetter(1)
_END = itemgetter(2)


class Hit(NamedTuple, Generic[T]):
    """One occurrence (a NamedTuple: a document has tens of thousands)."""

    start: int
    end: int
    surface: str
    payload: T


class Matcher(Generic[T]):
    """``names`` and their payloads (the first for a name given twice), found in texts.

    ``once``: the matcher searches one text only (a document's own names), so
    its automaton is the one quickest to build, a noncontiguous NFA, not the
    one quickest to search: for the names of a document, one fifth less time
    to build and search than the default.

    ``longest``: the matcher is for ``find_longest`` only, which its automaton
    then does itself (leftmost-longest matching): no overlapping occurrence is
    reported, sorted and dropped again in Python.
    """

    def __init__(
        self,
        names: Iterable[tuple[str, T]],
        min_length: int = 2,
        *,
        once: bool = False,
        longest: bool = False,
    ) -> None:
        self._payloads: dict[str, T] = {}
        for name, payload in names:
            if len(name) >= max(1, min_length):
                self._payloads.setdefault(name, payload)
        self._names = list(self._payloads)
        self._values = list(self._payloads.values())
        self._automaton = None
        self._longest = longest
        if self._names:
            implementation = ahocorasick_rs.Implementation.NoncontiguousNFA if once else None
            kind = (
                ahocorasick_rs.MatchKind.LeftmostLongest
                if longest
                else ahocorasick_rs.MatchKind.Standard
            )
            self._automaton = ahocorasick_rs.AhoCorasick(
                self._names, matchkind=kind, implementation=implementation
            )

    def __contains__(self, name: str) -> bool:
        return name in self._payloads

    def get(self, name: str) -> T | None:
        return self._payloads.get(name)

    def items(self) -> Iterable[tuple[str, T]]:
        """Each name and its payload."""
        return self._payloads.items()

    def find_all(self, text: str) -> Iterator[Hit[T]]:
        """Every occurrence, by start and longest first at each start, overlapping allowed."""
        if self._automaton is None:
            return iter(())
        if self._longest:
            raise ValueError("a matcher made for find_longest finds no overlapping names")
        found = self._automaton.find_matches_as_indexes(text, overlapping=True)
        # (index, start, end): longest first, then (a stable sort) by start
        found.sort(key=_END, reverse=True)
        found.sort(key=_START)
        names, values, new = self._names, self._values, tuple.__new__
        return iter([new(Hit, (start, end, names[i], values[i])) for i, start, end in found])

    def find_unordered(self, text: str) -> list[tuple[int, int, T]]:
        """Every occurrence as (start, end, payload), overlapping allowed, in no set order:
        no ``Hit`` made, no sorting (a suffix's occurrences are a hundred a document)."""
        if self._automaton is None:
            return []
        if self._longest:
            raise ValueError("a matcher made for find_longest finds no overlapping names")
        values = self._values
        return [
            (start, end, values[i])
            for i, start, end in self._automaton.find_matches_as_indexes(text, overlapping=True)
        ]

    def find_longest(self, text: str) -> Iterator[Hit[T]]:
        """Leftmost-longest occurrences that do not overlap."""
        if self._longest:
            if self._automaton is None:
                return
            names, values, new = self._names, self._values, tuple.__new__
            for i, start, end in self._automaton.find_matches_as_indexes(text):
                yield new(Hit, (start, end, names[i], values[i]))
            return
        end = 0
        for hit in self.find_all(text):
            if hit.start >= end:
                yield hit
                end = hit.end
