import gc
from collections.abc import Iterator
from pathlib import Path

import pytest

from zhi_graph.gcpause import kept_aside, without_gc
from zhi_graph.pipeline import _Linking, build
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


def test_what_is_kept_aside_is_frozen_until_the_block_ends() -> None:
    gc.unfreeze()
    with kept_aside() as keep_aside:
        assert gc.get_freeze_count() == 0
        kept = [object() for _ in range(10)]
        keep_aside()
        assert gc.get_freeze_count() > len(kept)
    assert gc.get_freeze_count() == 0


def test_what_is_kept_aside_comes_back_after_an_error() -> None:
    with pytest.raises(ValueError, match="build failed"), kept_aside() as keep_aside:
        keep_aside()
        raise ValueError("build failed")
    assert gc.get_freeze_count() == 0


def test_a_build_keeps_its_state_aside_only_while_it_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    frozen_during: list[int] = []
    offer = _Linking.offer

    def offer_and_look(self: _Linking, key: str, summary: object) -> None:
        offer(self, key, summary)  # type: ignore[arg-type]
        frozen_during.append(gc.get_freeze_count())

    monkeypatch.setattr(_Linking, "offer", offer_and_look)
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text("四川省地方志工作办公室编纂《成都年鉴》。", encoding="utf-8")
    build([tmp_path], tmp_path / "out", workers=1, html=False)
    # what the first document left (its summary, the linking's state) was kept aside
    # before the second came
    assert frozen_during[1] > frozen_during[0]
    assert gc.get_freeze_count() == 0
