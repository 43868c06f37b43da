"""Worker processes that run queries, so that a query over its time limit can be stopped.

A pyoxigraph query cannot be cancelled from Python once it runs.  Queries
therefore run in a pool of worker processes, each holding the on-disk store
open read-only (``store.open_read_only``); when a query exceeds its time limit
its worker is killed and a fresh one started in the background, while the
other workers go on answering.

With ``in_memory`` each worker instead loads the whole store into memory,
with the in-memory copy of the default graph that ``store.py`` describes:
queries run two to four times faster than from RocksDB on a large graph, at
the cost of the graph's memory in every worker and seconds of loading each
time a worker starts.  The pool writes the store out once, as N-Quads and
N-Triples in a folder of its own, for the workers to load.

Each worker also leaves the network where the system allows it (a network
namespace of its own, Linux only): even a federated query slipping past
``guard`` could reach no other server.

Workers run with mimalloc as their memory allocator where the system has it
(Debian's ``libmimalloc2.0``, preloaded with ``LD_PRELOAD``), asked to back
its memory with transparent huge pages.  Oxigraph's query evaluator allocates
and frees small blocks for every solution, every term it reads back and every
comparison of a sort, and it walks linked lists of quads spread over the
whole graph's memory: glibc's allocator and the processor's address
translation (4 KiB pages over gigabytes) took about half of a listing's time.
On the 1M-triple synthetic graph the research questions answer up to about
twice as fast (``benchmarks/serve_latency.md``).  Without mimalloc, glibc's
allocator is asked for huge pages instead (``glibc.malloc.hugetlb``), which
recovers part of that.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import logging
import multiprocessing as mp
import os
import queue
import shutil
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path

import pyoxigraph as ox

from .errors import InputError
from .results import UnknownFormat, write
from .store import QUERY_PREFIXES, may_name_a_graph, open_read_only

log = logging.getLogger("zhi_graph.serve")

_CLONE_NEWUSER = 0x10000000
_CLONE_NEWNET = 0x40000000
_START_TIMEOUT = 120.0
#: A request waits this long at least for a free worker (longer with a longer time limit).
QUEUE_WAIT = 30.0
#: The memory allocator the workers run with where the system has it (module docstring).
ALLOCATOR = "mimalloc"
# Guards os.environ while a worker is started (spawn copies the environment as it is).
_ENVIRONMENT = threading.Lock()


@dataclass(frozen=True)
class Job:
    """One query for a worker."""

    query: str
    wanted: tuple[str, ...]
    max_rows: int
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Answer:
    """A worker's answer: an HTTP status, and the body or an error message."""

    status: int
    media_type: str = "text/plain"
    body: bytes = b""
    rows: int = 0
    truncated: bool = False


class QueryTimeout(Exception):
    """The query ran past its time limit; its worker was stopped."""


class PoolBusy(Exception):
    """No worker became free within the time limit."""


def isolate_network() -> bool:
    """Move this process into a network namespace of its own, with no interfaces up.

    Returns whether that worked (Linux with namespaces allowed); elsewhere the
    process keeps the network and ``guard`` alone keeps queries off it.  Must
    run before the process starts threads.
    """
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        unshare = libc.unshare
    except (OSError, AttributeError):
        return False
    # As root a network namespace alone; otherwise inside a user namespace of its own.
    return any(unshare(flags) == 0 for flags in (_CLONE_NEWNET, _CLONE_NEWUSER | _CLONE_NEWNET))


def allocator_library() -> str | None:
    """The shared library of ``ALLOCATOR`` to preload into the workers, if the system has one."""
    return ctypes.util.find_library(ALLOCATOR)


def allocator_loaded() -> bool:
    """Whether ``ALLOCATOR`` is loaded into this process (read from /proc, so Linux only)."""
    try:
        maps = Path("/proc/self/maps").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    return f"lib{ALLOCATOR}" in maps


def worker_environment(library: str | None) -> dict[str, str]:
    """Environment variables for a worker: mimalloc's ``library`` preloaded and backed by
    huge pages, or, without it, glibc's allocator asked for huge pages."""
    if library is None:
        tunables = os.environ.get("GLIBC_TUNABLES")
        wanted = "glibc.malloc.hugetlb=1"
        return {"GLIBC_TUNABLES": f"{tunables}:{wanted}" if tunables else wanted}
    preloaded = os.environ.get("LD_PRELOAD")
    return {
        "LD_PRELOAD": f"{library}:{preloaded}" if preloaded else library,
        "MIMALLOC_LARGE_OS_PAGES": os.environ.get("MIMALLOC_LARGE_OS_PAGES", "1"),
    }


@contextlib.contextmanager
def _environment(variables: dict[str, str]) -> Iterator[None]:
    """Processes spawned inside start with ``variables`` set; os.environ is restored
    afterwards."""
    with _ENVIRONMENT:
        before = {name: os.environ.get(name) for name in variables}
        os.environ.update(variables)
        try:
            yield
        finally:
            for name, value in before.items():
                if value is None:
                    del os.environ[name]
                else:
                    os.environ[name] = value


def run_job(store: ox.Store, job: Job, default_graph: ox.Store | None = None) -> Answer:
    """Run one query against ``store`` and write its result (the worker's whole job).

    ``default_graph``, a copy of the store's default graph alone, answers the
    queries that name no graph, in the query or in the request.
    """
    if (
        default_graph is not None
        and not job.default_graphs
        and not job.named_graphs
        and not may_name_a_graph(job.query)
    ):
        store = default_graph
    try:
        if job.default_graphs:
            result = store.query(
                job.query,
                prefixes=QUERY_PREFIXES,
                default_graph=[ox.NamedNode(g) for g in job.default_graphs],
                named_graphs=[ox.NamedNode(g) for g in job.named_graphs] or None,
            )
        else:
            # The store's default graph is the merged union of the documents
            # (store.py): Oxigraph's own union flag would repeat shared triples.
            result = store.query(
                job.query,
                prefixes=QUERY_PREFIXES,
                named_graphs=[ox.NamedNode(g) for g in job.named_graphs] or None,
            )
        written = write(result, job.wanted, job.max_rows)
    except SyntaxError as exc:
        return Answer(400, body=f"SPARQL syntax error: {exc}\n".encode())
    except (ValueError, UnknownFormat) as exc:
        return Answer(400, body=f"{exc}\n".encode())
    except OSError as exc:
        return Answer(500, body=f"the store failed to answer: {exc}\n".encode())
    return Answer(200, written.media_type, written.body, written.rows, written.truncated)


def limit_memory(max_bytes: int | None) -> None:
    """Cap this process's address space, so that one query cannot exhaust the machine.

    A query that needs more (a sort over a cross product, say) fails to
    allocate and its worker dies; the pool answers 503 and replaces it.
    """
    if max_bytes is None:
        return
    try:
        import resource
    except ImportError:  # not on POSIX: no cap
        return
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    wanted = max_bytes if hard == resource.RLIM_INFINITY else min(max_bytes, hard)
    resource.setrlimit(resource.RLIMIT_AS, (wanted, hard))


def _address_space() -> int:
    """This process's address space in bytes now (0 where /proc does not tell)."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 0
    return pages * os.sysconf("SC_PAGE_SIZE")


_QUADS = "quads.nq"
_DEFAULT_GRAPH = "default-graph.nt"


def write_memory_image(folder: Path, into: Path) -> None:
    """Write the store in ``folder`` out for in-memory workers: all quads, and the
    default graph alone."""
    store = open_read_only(folder)
    store.dump(output=into / _QUADS, format=ox.RdfFormat.N_QUADS)
    store.dump(
        output=into / _DEFAULT_GRAPH, format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()
    )


def _load_memory_image(image: Path) -> tuple[ox.Store, ox.Store]:
    whole, default_graph = ox.Store(), ox.Store()
    whole.bulk_load(path=image / _QUADS, format=ox.RdfFormat.N_QUADS)
    default_graph.bulk_load(path=image / _DEFAULT_GRAPH, format=ox.RdfFormat.N_TRIPLES)
    return whole, default_graph


def _worker_main(
    connection: Connection, folder: str, max_memory: int | None, image: str | None
) -> None:
    isolated = isolate_network()
    default_graph: ox.Store | None = None
    try:
        if image is None:
            limit_memory(max_memory)
            store = open_read_only(Path(folder))
        else:
            store, default_graph = _load_memory_image(Path(image))
            # The cap is for queries: it comes on top of the graph just loaded.
            limit_memory(None if max_memory is None else _address_space() + max_memory)
    except (InputError, OSError, SyntaxError) as exc:
        connection.send(("failed", str(exc)))
        return
    connection.send(("ready", (isolated, allocator_loaded())))
    while True:
        try:
            job = connection.recv()
        except (EOFError, OSError):
            return
        connection.send(run_job(store, job, default_graph))


@dataclass(eq=False)
class _Worker:
    process: BaseProcess
    connection: Connection
    isolated: bool = field(default=False)
    fast_allocator: bool = field(default=False)

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.connection.close()


class WorkerPool:
    """``size`` worker processes over the store in ``folder``; ``run`` gives a job to a free one.

    One more worker is kept started and idle as a spare, so that a worker
    killed for running too long is replaced at once, not after the seconds a
    new process takes to start (longest exactly when the server is busy).
    With ``in_memory`` every worker holds the graph in memory, and with
    ``fast_allocator`` every worker runs with mimalloc and huge pages where the
    system has them (module docstring); ``allocator`` then names mimalloc.
    """

    def __init__(
        self,
        folder: Path,
        size: int,
        max_memory: int | None = None,
        *,
        in_memory: bool = False,
        fast_allocator: bool = True,
    ) -> None:
        self.folder = folder
        self.size = size
        self.max_memory = max_memory
        library = allocator_library() if fast_allocator else None
        self._environment = worker_environment(library) if fast_allocator else {}
        self._image: Path | None = None
        if in_memory:
            self._image = Path(tempfile.mkdtemp(prefix="zhi-graph-image-"))
            try:
                write_memory_image(folder, self._image)
            except OSError as exc:
                shutil.rmtree(self._image, ignore_errors=True)
                raise InputError(f"cannot write the graph out for the workers ({exc})") from exc
        self._context = mp.get_context("spawn")
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._spares: queue.Queue[_Worker] = queue.Queue()
        self._lock = threading.Lock()
        self._workers: set[_Worker] = set()
        self._closed = False
        self.network_isolated = True
        self.allocator: str | None = ALLOCATOR if library is not None else None
        # A worker that loads the graph into memory takes seconds per million triples.
        self._start_timeout = _START_TIMEOUT * (5 if in_memory else 1)
        try:
            started = [self._start() for _ in range(size + 1)]
            for worker in started:
                self._await_ready(worker)
        except BaseException:
            self.close()
            raise
        for worker in started[:size]:
            self._idle.put(worker)
        self._spares.put(started[size])

    def _start(self) -> _Worker:
        ours, theirs = self._context.Pipe()
        process = self._context.Process(
            target=_worker_main,
            args=(
                theirs,
                str(self.folder),
                self.max_memory,
                None if self._image is None else str(self._image),
            ),
            daemon=True,
            name="zhi-query",
        )
        with _environment(self._environment):
            process.start()
        theirs.close()
        worker = _Worker(process, ours)
        with self._lock:
            self._workers.add(worker)
        return worker

    def _await_ready(self, worker: _Worker) -> None:
        try:
            started = worker.connection.poll(self._start_timeout)
            if not started:
                worker.stop()
                raise InputError(
                    "a query worker did not start; is the store readable?", self.folder
                )
            state, detail = worker.connection.recv()
        except (EOFError, OSError) as exc:  # the worker died, or the pool was closed meanwhile
            hints = ["see the messages above"]
            if self.max_memory is not None:
                hints.append(
                    f"the memory cap of {self.max_memory >> 20} MiB may be too small: the "
                    "store's cache alone reserves several hundred MiB (--max-memory)"
                )
            hints.append(
                "a Python script that opens the endpoint must keep its code under "
                '`if __name__ == "__main__":`'
            )
            raise InputError(
                "a query worker failed to start; " + "; ".join(hints), self.folder
            ) from exc
        if state != "ready":
            worker.stop()
            raise InputError(f"a query worker cannot open the store: {detail}", self.folder)
        isolated, fast_allocator = detail
        worker.isolated, worker.fast_allocator = bool(isolated), bool(fast_allocator)
        self.network_isolated = self.network_isolated and worker.isolated
        if not worker.fast_allocator:
            self.allocator = None

    def _replace(self, dead: _Worker) -> None:
        with self._lock:
            self._workers.discard(dead)
        dead.stop()
        try:
            self._idle.put(self._spares.get_nowait())
        except queue.Empty:
            self._top_up(self._idle)
            return
        self._top_up(self._spares)

    def _top_up(self, into: queue.Queue[_Worker]) -> None:
        if self._closed:
            return
        try:
            fresh = self._start()
            self._await_ready(fresh)
        except InputError as exc:
            if not self._closed:
                log.error("cannot start a query worker: %s", exc)
            return
        if self._closed:
            fresh.stop()
            return
        into.put(fresh)

    def run(self, job: Job, timeout: float) -> Answer:
        """Run ``job`` on the next free worker, stopping it after ``timeout`` seconds.

        Waiting for a free worker does not count against the query's time limit;
        it is limited to ``max(timeout, QUEUE_WAIT)``.  Raises ``PoolBusy`` when no worker
        becomes free in time, ``QueryTimeout`` when the query runs too long (its
        worker is then killed and replaced in the background).
        """
        try:
            worker = self._idle.get(timeout=max(timeout, QUEUE_WAIT))
        except queue.Empty:
            raise PoolBusy from None
        try:
            worker.connection.send(job)
            if worker.connection.poll(timeout):
                answer: Answer = worker.connection.recv()
                self._idle.put(worker)
                return answer
        except (EOFError, OSError):
            log.error("a query worker died (pid %s); starting another", worker.process.pid)
            self._discard(worker)
            cap = f" of {self.max_memory >> 20} MiB" if self.max_memory else ""
            return Answer(
                503,
                body=(
                    "the query worker stopped while answering, most likely because the query "
                    f"needed more than the memory limit{cap}; narrow it down or add a LIMIT\n"
                ).encode(),
            )
        self._discard(worker)
        raise QueryTimeout

    def _discard(self, worker: _Worker) -> None:
        # Killed at once so that the runaway query stops using a core now.
        if worker.process.is_alive():
            worker.process.kill()
        threading.Thread(target=self._replace, args=(worker,), daemon=True).start()

    def close(self) -> None:
        self._closed = True
        with self._lock:
            workers = list(self._workers)
            self._workers.clear()
        for worker in workers:
            worker.stop()
        if self._image is not None:
            shutil.rmtree(self._image, ignore_errors=True)
