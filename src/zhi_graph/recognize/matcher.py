"""Find every occurrence of many literal names in a text, quickly.

A dictionary keyed by the first two characters narrows each position to the
few names that can start there; this keeps a scan linear in the text for
gazetteers of tens of thousands of names.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Generic, TypeVar

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
        self._singles: dict[str, T] = {}
        lengths: dict[str, set[int]] = defaultdict(set)
        for name, payload in names:
            if len(name) < max(1, min_length):
                continue
            if len(name) == 1:
                self._singles.setdefault(name, payload)
                continue
            self._payloads.setdefault(name, payload)
            lengths[name[:2]].add(len(name))
        self._lengths = {k: sorted(v, reverse=True) for k, v in lengths.items()}

    def __contains__(self, name: str) -> bool:
        return name in self._payloads

    def get(self, name: str) -> T | None:
        return self._payloads.get(name)

    def find_all(self, text: str) -> Iterator[Hit[T]]:
        """Every occurrence, longest first at each position, overlapping allowed."""
        payloads = self._payloads
        singles = self._singles
        for i in range(len(text)):
            sizes = self._lengths.get(text[i : i + 2])
            if sizes:
                for size in sizes:
                    surface = text[i : i + size]
                    if len(surface) == size and surface in payloads:
                        yield Hit(i, i + size, surface, payloads[surface])
            if singles and text[i] in singles:
                yield Hit(i, i + 1, text[i], singles[text[i]])

    def find_longest(self, text: str) -> Iterator[Hit[T]]:
        """Leftmost-longest occurrences that do not overlap."""
        end = 0
        for hit in self.find_all(text):
            if hit.start >= end:
                yield hit
                end = hit.end
