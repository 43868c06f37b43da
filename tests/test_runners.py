import functools
import os
import time
from pathlib import Path

from zhi_graph.runners import InlineRunner, PoolRunner, make_runner


def _record(folder: Path, what: str) -> None:
    (folder / f"{what}-{os.getpid()}-{time.monotonic_ns()}").touch()


def _pid(_: int) -> int:
    time.sleep(0.05)  # long enough that one worker cannot take every task
    return os.getpid()


def _recorded(folder: Path, what: str) -> list[int]:
    found = sorted(folder.glob(f"{what}-*"), key=lambda p: int(p.name.split("-")[2]))
    return [int(p.name.split("-")[1]) for p in found]


def test_a_single_worker_prepares_this_process_after_warming_it_up(tmp_path: Path) -> None:
    runner = make_runner(
        1,
        None,
        warm_up=functools.partial(_record, tmp_path, "warm"),
        tasks=5,
        prepare_inline=functools.partial(_record, tmp_path, "prepare"),
    )
    assert isinstance(runner, InlineRunner)
    assert _recorded(tmp_path, "warm") == [os.getpid()]
    assert _recorded(tmp_path, "prepare") == [os.getpid()]
    warmed = next(tmp_path.glob("warm-*")).name.split("-")[2]
    prepared = next(tmp_path.glob("prepare-*")).name.split("-")[2]
    assert int(warmed) < int(prepared)


def test_without_prepare_a_single_worker_does_not_warm_up_ahead(tmp_path: Path) -> None:
    make_runner(1, None, warm_up=functools.partial(_record, tmp_path, "warm"), tasks=5)
    assert _recorded(tmp_path, "warm") == []


def test_a_pool_leaves_this_process_unprepared(tmp_path: Path) -> None:
    runner = make_runner(
        2,
        None,
        warm_up=functools.partial(_record, tmp_path, "warm"),
        tasks=8,
        prepare_inline=functools.partial(_record, tmp_path, "prepare"),
    )
    try:
        assert isinstance(runner, PoolRunner)
        ran = set(runner.map(_pid, [(i,) for i in range(8)]))
    finally:
        runner.close()
    assert os.getpid() not in ran
    assert _recorded(tmp_path, "prepare") == []
