"""Find every occurrence of many literal names in a text, quickly.

Built on pyahocorasick's Aho–Corasick automaton (C): one pass over the text
finds every name of a gazetteer of tens of thousands, where a Python loop
over positions cost more than jieba's whole segmentation.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Generic, TypeVar

import ahocorasick

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Hit(Generic[T]):
    start: int
    end: int
    surface: str
    payload: T


class Matcher(Generic[T]):
    def __init__(self, names: Iterable[tuple[str, T]], min_length: int = 2) -> None:
        self._payloads: dict[str, T] = {}
        for name, payload in names:
            if len(name) >= max(1, min_length):
                self._payloads.setdefault(name, payload)
        self._automaton = ahocorasick.Automaton()
        for name in self._payloads:
            self._automaton.add_word(name, name)
        if self._payloads:
            self._automaton.make_automaton()

    def __contains__(self, name: str) -> bool:
        return name in self._payloads

    def get(self, name: str) -> T | None:
        return self._payloads.get(name)

    def find_all(self, text: str) -> Iterator[Hit[T]]:
        """Every occurrence, by start and longest first at each start, overlapping allowed."""
        if not self._payloads:
            return
        found = [(end + 1 - len(name), end + 1, name) for end, name in self._automaton.iter(text)]
        found.sort(key=lambda f: (f[0], f[0] - f[1]))
        payloads = self._payloads
        for start, end, name in found:
            yield Hit(start, end, name, payloads[name])

    def find_longest(self, text: str) -> Iterator[Hit[T]]:
        """Leftmost-longest occurrences that do not overlap."""
        end = 0
        for hit in self.find_all(text):
            if hit.start >= end:
                yield hit
                end = hit.end
