"""Extraction stages run with Python's cyclic garbage collector paused.

A stage makes tens of thousands of tuples, records and lists per document;
each 700 of them that outlive their line start a collection of the young
objects, and every tenth of those a larger one. On the 1 MB benchmark corpus
those collections were 15 % of extraction time, and they find next to
nothing: the stages' objects hold no reference cycles and are freed by
reference counting. Paused for the length of a stage, the collector catches
up (once) when the stage returns.

A build's main process keeps what it has gathered (the linking's state, the
summaries, the cache's entries) until the build ends; ``kept_aside`` moves
it out of the collector's sight as it grows.
"""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


def without_gc(stage: Callable[P, R]) -> Callable[P, R]:
    """``stage`` with the cyclic collector off while it runs (as it was after, even on error)."""

    @functools.wraps(stage)
    def paused(*args: P.args, **kwargs: P.kwargs) -> R:
        if not gc.isenabled():
            return stage(*args, **kwargs)
        gc.disable()
        try:
            return stage(*args, **kwargs)
        finally:
            gc.enable()

    return paused


@contextmanager
def kept_aside() -> Iterator[Callable[[], None]]:
    """A function to call whenever what is alive now will stay alive (``gc.freeze``);
    on leaving the block, every frozen object is in the collector's sight again
    (``gc.unfreeze``: also the dictionaries ``segment`` froze, which matters
    little, as the extraction stages pause the collector anyway).

    The collector's full collections rescan everything that survived the
    younger ones: in a 10 MB build's main process, six of them rescanned the
    growing linking state and took 2.2 s (5 % of the build), 88 middle ones
    another 0.6 s; frozen after each document, 0.3-0.9 s in all.  Objects kept
    aside are still freed by reference counting when the build lets go of
    them; a reference cycle that was already garbage when kept aside waits
    for the block's end to be collected.
    """
    try:
        yield gc.freeze
    finally:
        gc.unfreeze()
