"""Extraction stages run with Python's cyclic garbage collector paused.

A stage makes tens of thousands of tuples, records and lists per document;
each 700 of them that outlive their line start a collection of the young
objects, and every tenth of those a larger one. On the 1 MB benchmark corpus
those collections were 15 % of extraction time, and they find next to
nothing: the stages' objects hold no reference cycles and are freed by
reference counting. Paused for the length of a stage, the collector catches
up (once) when the stage returns.
"""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable
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
