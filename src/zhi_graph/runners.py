"""Where the work of a build runs: this process, a pool of processes, or a Dask cluster.

Every runner maps a module-level function over argument tuples and yields
results as they complete, with a bounded number of tasks in flight: a corpus
is streamed through, never held whole in memory.  Task functions take and
return plain bytes and small records, so that the same task runs in a forked
worker or on another machine.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from itertools import islice
from typing import Any, Protocol, TypeVar

from .errors import InputError

T = TypeVar("T")

# Tasks queued per worker: enough to keep every worker busy, few enough that
# the documents waiting in memory stay a small multiple of the worker count.
_IN_FLIGHT_PER_WORKER = 3
# How long to wait for a Dask scheduler to answer before giving up.
CONNECT_TIMEOUT = "20s"


class Runner(Protocol):
    workers: int
    local: bool  # tasks run on this machine: they can read and write its files

    def map(self, task: Callable[..., T], arguments: Iterable[tuple[Any, ...]]) -> Iterator[T]:
        """Yield ``task(*args)`` for every argument tuple, in completion order."""
        ...

    def close(self) -> None: ...


def call(task: Callable[..., T], *arguments: Any) -> T:
    """``task(*arguments)``: a task that runs another, so that one ``map`` runs tasks
    of several kinds at once (each argument tuple names its own)."""
    return task(*arguments)


class InlineRunner:
    """One worker: this process. No start-up cost; what a small corpus wants."""

    workers = 1
    local = True

    def map(self, task: Callable[..., T], arguments: Iterable[tuple[Any, ...]]) -> Iterator[T]:
        for args in arguments:
            yield task(*args)

    def close(self) -> None:
        pass


def default_workers() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


_PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int) -> None:
    """Have the kernel kill this worker when the build that started it dies.

    A pool's workers wait for tasks on a pipe whose other end they inherited
    themselves, so a build killed with SIGKILL (no chance to shut its pool
    down) would leave them waiting forever.  Linux only; elsewhere a no-op.
    """
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the build died before the request was made
        os._exit(1)


class PoolRunner:
    """A pool of worker processes on this machine.

    Workers are forked where the platform allows it, after ``warm_up`` has
    loaded the dictionaries, so every worker shares one copy of them instead
    of loading its own.
    """

    local = True

    def __init__(self, workers: int, warm_up: Callable[[], object] | None = None) -> None:
        self.workers = workers
        methods = multiprocessing.get_all_start_methods()
        context: multiprocessing.context.BaseContext
        if "fork" in methods and warm_up is not None:
            warm_up()
            context = multiprocessing.get_context("fork")
        else:
            context = multiprocessing.get_context("spawn")
        self._pool = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=context,
            initializer=die_with_parent,
            initargs=(os.getpid(),),
        )

    def map(self, task: Callable[..., T], arguments: Iterable[tuple[Any, ...]]) -> Iterator[T]:
        limit = self.workers * _IN_FLIGHT_PER_WORKER
        pending: set[Future[T]] = set()
        queue = iter(arguments)
        exhausted = False
        while True:
            while not exhausted and len(pending) < limit:
                try:
                    args = next(queue)
                except StopIteration:
                    exhausted = True
                    break
                pending.add(self._pool.submit(task, *args))
            if not pending:
                return
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                yield future.result()

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


class DaskRunner:
    """Tasks on a Dask distributed cluster (``distributed``), given its scheduler's address.

    Workers need zhi-graph installed, nothing else: documents travel to them
    as bytes and results come back as bytes, so no shared file system is
    assumed.
    """

    local = False  # its workers may be other machines, with other files

    def __init__(self, address: str) -> None:
        try:
            from distributed import Client
        except ImportError as exc:
            raise InputError(
                "--scheduler needs the Dask distributed package; "
                "install it with `pip install 'zhi-graph[distributed]'`"
            ) from exc
        try:
            self._client = Client(address, timeout=CONNECT_TIMEOUT)
        except (OSError, TimeoutError) as exc:
            raise InputError(f"cannot reach the Dask scheduler at {address} ({exc})") from exc
        except (ValueError, TypeError) as exc:  # not an address distributed can parse
            raise InputError(
                f"--scheduler {address!r} is not a scheduler's address ({exc}); "
                "give one such as tcp://HOST:8786"
            ) from exc
        self.workers = max(1, sum(self._client.nthreads().values()))

    def map(self, task: Callable[..., T], arguments: Iterable[tuple[Any, ...]]) -> Iterator[T]:
        from distributed import as_completed

        queue = iter(arguments)
        completed = as_completed()
        for args in islice(queue, self.workers * _IN_FLIGHT_PER_WORKER):
            completed.add(self._client.submit(task, *args, pure=False))
        for future in completed:
            result: T = future.result()
            future.release()
            following = next(queue, None)
            if following is not None:
                completed.add(self._client.submit(task, *following, pure=False))
            yield result

    def close(self) -> None:
        self._client.close()


def make_runner(
    workers: int | None,
    scheduler: str | None,
    warm_up: Callable[[], object] | None = None,
    tasks: int | None = None,
) -> Runner:
    """The runner for a build; a pool only when there are several tasks to share."""
    if scheduler:
        return DaskRunner(scheduler)
    count = default_workers() if workers is None else workers
    if count < 1:
        raise InputError(f"--workers must be at least 1, not {count}")
    if tasks is not None:
        count = min(count, tasks)
    if count <= 1:
        return InlineRunner()
    return PoolRunner(count, warm_up)
