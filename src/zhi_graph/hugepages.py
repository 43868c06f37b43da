"""Back the dictionaries a build has loaded with 2 MiB pages (Linux transparent huge pages).

Extraction looks words up in a few large tables that are loaded once: jieba's
dictionary and part-of-speech tags, the tokenizer's own copy, the gazetteer
of every administrative division, the lexicons and the Aho–Corasick
automata, about 180 MB in all.  A document touches them all over, a few
hundred thousand times, and each lookup lands on a page that the processor's
address cache (TLB) no longer holds: on the virtual machines builds run on,
whose page walks are themselves translated, a cold lookup in jieba's tag
dictionary took 1–2 µs against 0.1 µs warm.  With the same tables on 2 MiB
pages (512 times fewer to translate) a cold lookup took 0.2–0.5 µs, and the
per-document path of the 1 MB benchmark corpus ran 7–24 % faster, the more
the slower the host was (``benchmarks/stages.py`` against the same with
``--no-huge-pages``, run at the same time).

Linux gives huge pages to memory that asks for them (``madvise``) when
``/sys/kernel/mm/transparent_hugepage/enabled`` is ``madvise`` or
``always``.  ``MADV_COLLAPSE`` (Linux 6.1) moves what is already loaded onto
them at once, copying it: 0.3–0.9 s for the 180 MB, so a build asks only when
it has enough text to extract to win that back, and only in a process that
extracts itself (``pipeline``).  Elsewhere, and where the kernel says no,
nothing changes: the contents of the memory are the same either way, only
how it is mapped.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

_Madvise = Callable[[int, int, int], int]

HUGE_PAGE = 2 * 1024 * 1024
_MADV_HUGEPAGE = 14
_MADV_COLLAPSE = 25
_MAPS = Path("/proc/self/maps")


class Backed(NamedTuple):
    """What ``back_with_huge_pages`` did: bytes marked for huge pages, and moved onto them."""

    marked: int
    collapsed: int


def private_anonymous_ranges(maps: str) -> list[tuple[int, int]]:
    """The 2 MiB-aligned parts of the writable private memory that no file backs
    (the heap and anonymous mappings: where Python and the Rust extensions keep
    their objects), from the text of ``/proc/PID/maps``.

    The stack is left out: it is small, and its end moves.
    """
    ranges = []
    for line in maps.splitlines():
        fields = line.split(maxsplit=5)
        if len(fields) < 5 or fields[1] != "rw-p":
            continue
        name = fields[5].strip() if len(fields) == 6 else ""
        if name and name != "[heap]":
            continue  # a file's pages, the stack, the kernel's [vvar] and the like
        low, high = (int(bound, 16) for bound in fields[0].split("-"))
        start = -(-low // HUGE_PAGE) * HUGE_PAGE
        end = high // HUGE_PAGE * HUGE_PAGE
        if end > start:
            ranges.append((start, end))
    return ranges


def back_with_huge_pages() -> Backed:
    """Ask Linux to map this process's loaded memory on huge pages, and to move it there now.

    Returns how many bytes were marked and moved; ``Backed(0, 0)`` off Linux
    or when the kernel refuses (no transparent huge pages, a kernel before
    6.1 marks without moving).
    """
    madvise = _madvise()
    if madvise is None:
        return Backed(0, 0)
    try:
        ranges = private_anonymous_ranges(_MAPS.read_text(encoding="ascii"))
    except OSError:
        return Backed(0, 0)
    marked = collapsed = 0
    for start, end in ranges:
        if madvise(start, end - start, _MADV_HUGEPAGE) != 0:
            continue
        marked += end - start
        # A page at a time: the kernel moves the others when one cannot be moved,
        # but says only that one failed.
        for page in range(start, end, HUGE_PAGE):
            if madvise(page, HUGE_PAGE, _MADV_COLLAPSE) == 0:
                collapsed += HUGE_PAGE
    return Backed(marked, collapsed)


def _madvise() -> _Madvise | None:
    if not sys.platform.startswith("linux"):
        return None
    import ctypes  # 5 ms with ctypes.util: for builds that move pages only
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
        madvise = libc.madvise
    except (OSError, AttributeError):
        return None
    madvise.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
    madvise.restype = ctypes.c_int
    function: _Madvise = madvise
    return function


class Mover:
    """Keeps this process's memory on huge pages as a build grows it.

    It moves the memory at once, and again each time ``grown`` has been told
    of ``every`` more bytes of work, and at ``move``: what a build keeps (its
    linking, the allocator's arenas that the next documents reuse) is
    allocated after the first move, on small pages.  Moving again copies only
    what is new; pages already moved are left as they are.
    """

    def __init__(self, every: int) -> None:
        self.every = every
        self.moved = 0  # bytes in all
        self._since = 0
        self.move()

    def grown(self, work: int) -> None:
        self._since += work
        if self._since >= self.every:
            self.move()

    def move(self) -> None:
        self._since = 0
        self.moved += back_with_huge_pages().collapsed
