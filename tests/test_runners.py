import pytest

from zhi_graph.errors import InputError
from zhi_graph.runners import InlineRunner, PoolRunner, make_runner


@pytest.mark.parametrize(
    ("workers", "tasks", "kind", "count"),
    [
        (1, 10, InlineRunner, 1),
        (2, 1, InlineRunner, 1),  # one task: no pool to start
        (2, 10, PoolRunner, 2),
        (3, 2, PoolRunner, 2),  # no more workers than tasks
    ],
)
def test_a_pool_only_when_there_is_work_to_share(
    workers: int, tasks: int, kind: type, count: int
) -> None:
    runner = make_runner(workers, None, tasks=tasks)
    try:
        assert isinstance(runner, kind)
        assert runner.workers == count
        assert runner.local  # this machine's processes: they write the cache themselves
    finally:
        runner.close()


def test_no_workers_is_a_clear_error() -> None:
    with pytest.raises(InputError, match="--workers must be at least 1, not 0"):
        make_runner(0, None)


@pytest.mark.parametrize("address", ["not-an-address", "tcp://"])
def test_a_scheduler_address_that_is_none_is_a_clear_error(address: str) -> None:
    with pytest.raises(InputError, match="is not a scheduler's address"):
        make_runner(None, address)
