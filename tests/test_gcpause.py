import gc
from collections.abc import Iterator

import pytest

from zhi_graph.gcpause import without_gc
from zhi_graph.recognize import recognize
from zhi_graph.relate import relate
from zhi_graph.resolve import resolve
from zhi_graph.segment import segment


@pytest.fixture
def collector_on() -> Iterator[None]:
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


@without_gc
def _state() -> bool:
    return gc.isenabled()


@without_gc
def _fails() -> None:
    raise ValueError("stage failed")


def test_the_collector_is_off_during_the_stage_and_on_after(collector_on: None) -> None:
    assert _state() is False
    assert gc.isenabled()


def test_the_collector_comes_back_after_an_error(collector_on: None) -> None:
    with pytest.raises(ValueError, match="stage failed"):
        _fails()
    assert gc.isenabled()


def test_a_collector_switched_off_by_the_caller_stays_off(collector_on: None) -> None:
    gc.disable()
    assert _state() is False
    assert not gc.isenabled()


@pytest.mark.parametrize("stage", [segment, recognize, resolve, relate])
def test_every_extraction_stage_pauses_the_collector(stage: object) -> None:
    assert getattr(stage, "__wrapped__", None) is not None
