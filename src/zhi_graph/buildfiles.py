"""Write a build to disk: graph.trig (a graph per document) and graph.ttl (the union).

Each document's graph is written by the task that makes it (``document_graph``,
with ``rdf.turtle``, the bytes pyoxigraph would write: rdflib's Turtle writer
took four minutes for the 810,000 triples of a 3 MB corpus); the corpus files
are put together from them without parsing them again.  Triples are sorted,
so two builds of the same input are byte-identical.  Files are written next to
their destination and renamed into place: an interrupted or failed build
leaves the previous output intact and no partial file behind.
"""

from __future__ import annotations

import bisect
import contextlib
import errno
import functools
import io
import itertools
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import IO, NamedTuple, TypeVar

import lz4.frame
import pyoxigraph as ox

from .atomicfiles import write_failed, write_named, write_streamed
from .cachedb import BlobAddress, Blobs
from .errors import OutputError
from .rdf import turtle
from .rdf.build import OWN_FROM, OWN_UNTIL, PREFIXES, Nodes, sorted_lines, split_subjects
from .rdf.columns import Table, subjects_of, tables

T = TypeVar("T")


# --- Corpus builds: each document's named graph as TriG, and the lines it shares.


class DocumentGraph(NamedTuple):
    """One document's graph as a build writes it (``document_graph``)."""

    #: N-Triples lines, sorted, of the subjects other documents may share (entities):
    #: what the union needs merged line by line
    run: bytes
    #: the named graph as written in graph.trig, without the prefix lines
    trig: bytes
    #: the byte span in ``trig`` of the statements of the document's own subjects
    own: tuple[int, int]


@functools.cache
def _terms() -> turtle.Terms:
    """The Turtle forms of terms, shared by the documents a process writes (the
    vocabulary and many entities recur)."""
    return turtle.Terms(PREFIXES)


def document_graph(
    name: str, nodes: Nodes, grouped: tuple[list[Table], list[str]] | None = None
) -> DocumentGraph:
    """One document's graph (``rdf.build.document_nodes``), named ``name``: its TriG block
    and the lines for the union; made by the task that makes the graph, so that
    workers write them in parallel and the cache keeps them.  ``grouped`` is
    ``rdf.columns.tables`` of all its nodes, when the caller has it already; its tables
    may hold nodes ``nodes`` lacks (``rdf.build.nodes_and_tables``)."""
    terms = _terms()
    grouped = grouped or tables(nodes, nodes)
    before, own, after = split_subjects(subjects_of(nodes, grouped))
    written = turtle.statement_texts(terms, nodes, grouped, "\t")
    head = turtle.graph_open(terms, f"<{name}>").encode("utf-8")
    first = "".join(map(written.__getitem__, before)).encode("utf-8")
    middle = "".join(map(written.__getitem__, own)).encode("utf-8")
    last = "".join(map(written.__getitem__, after)).encode("utf-8")
    start = len(head) + len(first)
    trig = b"".join([head, first, middle, last, turtle.GRAPH_CLOSE.encode("ascii")])
    run = sorted_lines(nodes, before + after, grouped).encode("utf-8")
    return DocumentGraph(run, trig, (start, start + len(middle)))


# Sorted runs merged at once; more are merged in rounds, so a corpus of any
# size never holds more than this many files open.
_FAN_IN = 128


def _unique_merge(runs: Sequence[Iterable[list[bytes]]]) -> Iterator[bytes]:
    """The lines of sorted runs, merged, each once, in chunks of many lines (each
    line ending with a line break).

    Each run comes as blocks of sorted lines, without their line breaks.  Merging
    line by line (``heapq.merge``) cost a Python step per line, a large part of
    the serial time a build spends on graph.ttl; instead, every round takes
    from each run all its lines up to the least of the runs' last buffered
    lines (found by bisection), and sorts and de-duplicates them at once.  No
    line a later round takes can sort before that bound, so the chunks come
    out in order; and the run whose block ended there is read on, so every
    round makes progress.
    """
    blocks: list[list[bytes]] = []
    starts: list[int] = []
    readers: list[Iterator[list[bytes]]] = []
    for run in runs:
        reader = iter(run)
        block = _next_block(reader)
        if block is not None:
            blocks.append(block)
            starts.append(0)
            readers.append(reader)
    while blocks:
        bound = min(block[-1] for block in blocks)
        taken: set[bytes] = set()
        for i, block in enumerate(blocks):
            end = bisect.bisect_right(block, bound, starts[i])
            taken.update(block[starts[i] : end])
            starts[i] = end
        yield b"\n".join(sorted(taken)) + b"\n"
        for i in reversed(range(len(blocks))):
            if starts[i] == len(blocks[i]):
                block = _next_block(readers[i])
                if block is None:
                    del blocks[i], starts[i], readers[i]
                else:
                    blocks[i], starts[i] = block, 0


def _next_block(reader: Iterator[list[bytes]]) -> list[bytes] | None:
    """The run's next block with a line in it (a line longer than a block spans
    several), or None at its end."""
    for block in reader:
        if block:
            return block
    return None


# Bytes of a run decompressed at once: lines are split from blocks of this size (faster
# than reading a compressed file line by line), and a merge of _FAN_IN runs holds no more.
_BLOCK = 1 << 18


class Run(NamedTuple):
    """A sorted run of N-Triples lines in a file of its own: one LZ4 frame (a path as
    a string: tasks take runs)."""

    path: str


#: A sorted run: a file (a merge's), or a document's, kept in the build cache.
RunSource = Run | BlobAddress


def _blocks_of(run: RunSource, blobs: Blobs) -> Iterator[list[bytes]]:
    """A sorted run's lines, without their line breaks, a block's worth at a time.

    No line of a run is the start of another (each ends its triple with " ."), so
    the lines sort without their breaks as they sort with them."""
    with contextlib.ExitStack() as stack:
        if isinstance(run, BlobAddress):
            raw: IO[bytes] = stack.enter_context(blobs.open(run))  # type: ignore[arg-type]
        else:
            raw = stack.enter_context(open(run.path, "rb"))
        source = stack.enter_context(lz4.frame.open(raw, "rb"))
        rest = b""
        while block := source.read(_BLOCK):
            lines = (rest + block).split(b"\n")
            rest = lines.pop()
            yield lines
        if rest:
            yield [rest]


def _merged_lines(
    runs: Sequence[RunSource],
    scratch: Path,
    blobs: Blobs,
    start: bytes | None = None,
    stop: bytes | None = None,
) -> Iterator[bytes]:
    """Every line of the sorted runs from ``start`` up to ``stop`` (all by default), once,
    in order (in chunks of many lines); merged in rounds of ``_FAN_IN``, so no more
    than that many runs are open at once."""
    level = [_lines_between(_blocks_of(s, blobs), start, stop) for s in runs]
    round_number = 0
    while len(level) > _FAN_IN:
        merged: list[Iterator[list[bytes]]] = []
        for i in range(0, len(level), _FAN_IN):
            target = scratch / f"merge-{round_number}-{i}.nt.lz4"
            with lz4.frame.open(target, "wb") as sink:
                sink.writelines(_unique_merge(level[i : i + _FAN_IN]))
            merged.append(_blocks_of(Run(str(target)), blobs))
        level = merged
        round_number += 1
    yield from _unique_merge(level)


def _lines_between(
    blocks: Iterator[list[bytes]], start: bytes | None, stop: bytes | None
) -> Iterator[list[bytes]]:
    """The blocks of a sorted run cut to the lines from ``start`` up to ``stop``."""
    for lines in blocks:
        if start is not None:
            if not lines or lines[-1] < start:
                continue
            lines = lines[bisect.bisect_left(lines, start) :]
            start = None  # the run is sorted: every later line comes after it too
        if stop is not None and lines and lines[-1] >= stop:
            yield lines[: bisect.bisect_left(lines, stop)]
            return
        yield lines


class Merged(NamedTuple):
    """A group of runs merged (``merge_runs``): the run, and the subject of a line every
    ``_SAMPLE_BYTES`` of it, in order, to cut the union into ranges of like size."""

    target: str
    samples: list[bytes]


# A merged run names a subject every this many bytes: about 250 from the 10 MB
# benchmark corpus, enough to cut its union into ranges within a few per cent.
_SAMPLE_BYTES = 1 << 17


def merge_runs(runs: Sequence[RunSource], target: str) -> Merged:
    """Merge sorted runs into one at ``target``, each line once.

    A task: a pool's workers merge the corpus's runs in groups at the same time,
    and the union's ranges are merged from the groups' runs
    (``write_union_range``).
    """
    samples: list[bytes] = []
    due = written = 0  # the offset of the next sample, and the bytes written so far
    with Blobs() as blobs, lz4.frame.open(target, "wb") as sink:
        for chunk in _unique_merge([_blocks_of(run, blobs) for run in runs]):
            sink.write(chunk)
            while due < written + len(chunk):
                # chunks end with a line break: the line holding byte `due` is in this one
                line = chunk.rfind(b"\n", 0, due - written) + 1
                samples.append(chunk[line : chunk.index(b" ", line)])
                due += _SAMPLE_BYTES
            written += len(chunk)
    return Merged(target, samples)


# Runs a worker merges in one task.  A task holds its runs' lines at once (a run
# of a document is one block): 128 runs of the 10 MB benchmark corpus took a
# worker to 110 MB, 32 runs to 45 MB, and the merge was no slower (0.6 s from
# the first task to the end of the final merge, against 0.7 s).
_MERGE_GROUP = 32


def run_groups(runs: Sequence[T], workers: int) -> list[list[T]]:
    """``runs`` cut into groups for ``merge_runs``: at least one per worker, none of
    more than ``_MERGE_GROUP``, all of about the same size."""
    if not runs:
        return []
    count = max(workers, -(-len(runs) // min(_MERGE_GROUP, _FAN_IN)))
    size = -(-len(runs) // count)
    return [list(runs[i : i + size]) for i in range(0, len(runs), size)]


class DocumentPart(NamedTuple):
    """A document's graph as the build cache keeps it (``DocumentGraph``, LZ4 frames)."""

    name: str  # the graph's IRI
    # Its file's path. Files with the same bytes share an IRI; their blocks follow in
    # path order, not the cache's storage order, which changes with the build's history.
    source: str
    trig: BlobAddress  # its TriG block
    run: BlobAddress  # its sorted run of the lines documents may share
    own: tuple[int, int]  # the span of its own statements in the decompressed block

    def trig_block(self, blobs: Blobs) -> bytes:
        return bytes(lz4.frame.decompress(blobs.read(self.trig)))


def _own_statements(blocks: Sequence[tuple[bytes, tuple[int, int]]]) -> bytes:
    """The Turtle statements of a document's own subjects, taken from its TriG block
    (one tab less indented), with the span of its own statements.

    Documents with the same IRI (the same bytes under two paths) come together
    and are merged: their statements are read back as lines and written again."""
    if len(blocks) == 1:
        block, (start, end) = blocks[0]
        # split and join: a fifth faster than bytes.replace (which searches, then copies)
        return b"\n".join(block[start + 1 : end].split(b"\n\t"))
    lines = sorted({line for block, own in blocks for line in _read_back(block, own)})
    text = io.BytesIO()
    writer = turtle.TurtleWriter(text, _private_terms())
    writer.write_lines(lines)
    writer.close()
    return text.getvalue()


def _private_terms() -> turtle.Terms:
    """Turtle forms for a thread of its own (``_terms`` is the main thread's)."""
    return turtle.Terms(PREFIXES)


def _read_back(block: bytes, own: tuple[int, int]) -> list[str]:
    """The N-Triples lines of the statements in ``block[own]`` (a TriG block's)."""
    start, end = own
    data = b"".join([_prefix_header(), b"<urn:x-zhi-graph:g> {\n", block[start:end], b"}\n"])
    quads = ox.parse(data, format=ox.RdfFormat.TRIG)
    text = ox.serialize((q.triple for q in quads), format=ox.RdfFormat.N_TRIPLES) or b""
    return text.decode("utf-8").splitlines(keepends=True)


def _prefix_header() -> bytes:
    return b"".join(
        sorted(
            f"@prefix {prefix}: <{namespace}> .\n".encode()
            for prefix, namespace in PREFIXES.items()
        )
    )


def _write_documents(
    ordered: Sequence[DocumentPart], trig: IO[bytes], own: IO[bytes], blobs: Blobs
) -> None:
    """graph.trig into ``trig``: the documents' TriG blocks, in IRI order (``ordered``);
    and the Turtle statements of each document's own subjects into ``own``."""
    trig.write(_prefix_header())
    for _, group in itertools.groupby(ordered, key=lambda part: part.name):
        blocks = []
        for part in group:
            block = part.trig_block(blobs)
            trig.write(block)
            blocks.append((block, part.own))
        own.write(_own_statements(blocks))


def write_corpus_graph(parts: Sequence[DocumentPart], out: Path) -> list[Path]:
    """Write ``graph.trig`` and ``graph.ttl`` from the documents' graphs, streaming, in
    this process (a pool's workers write them by parts: ``pipeline._graph_in_workers``).

    TriG takes the documents' blocks in IRI order.  Turtle takes the union: the
    lines documents may share (entities), merged from their sorted runs, and
    between them each document's own statements, cut from its TriG block; so
    memory does not grow with the corpus and two builds of the same input are
    byte-identical.

    The work is shared by two threads.  The merge is Python's; decompressing
    and writing blocks mostly runs outside the interpreter lock.  So once the
    union's lines that sort before the documents' own subjects are written,
    a second thread writes each TriG block into graph.trig and its own
    statements into graph.ttl, while this one merges the lines that sort after
    them into a scratch file, copied to the end of graph.ttl last.
    """
    ordered = sorted(parts)

    def union(stream: IO[bytes], scratch: Path) -> None:
        stream.write(_prefix_header())
        writer = turtle.TurtleWriter(stream, _terms())
        chunks = _merged_lines([part.run for part in ordered], scratch, blobs)
        after: list[str] = []
        for chunk in chunks:
            lines = chunk.decode("utf-8").splitlines(keepends=True)
            if lines[-1] < OWN_UNTIL:
                writer.write_lines(lines)
                continue
            # Every line sorts before the documents' own subjects or after them.
            cut = bisect.bisect_left(lines, OWN_UNTIL)
            writer.write_lines(lines[:cut])
            after = lines[cut:]
            break
        writer.close()

        def trig_and_own(trig: IO[bytes]) -> None:
            with Blobs() as own_blobs:  # the thread's own connections
                _write_documents(ordered, trig, stream, own_blobs)

        rest = scratch / "after.ttl"
        with ThreadPoolExecutor(1, thread_name_prefix="graph.trig") as pool:
            # Until it is done, the thread alone writes to graph.ttl's stream.
            written = pool.submit(write_streamed, out / "graph.trig", trig_and_own)
            with rest.open("wb") as sink:
                later = turtle.TurtleWriter(sink, _terms())
                later.write_lines(after)
                for chunk in chunks:
                    later.write_lines(chunk.decode("utf-8").splitlines(keepends=True))
                later.close()
        written.result()
        with rest.open("rb") as source:
            shutil.copyfileobj(source, stream, _BLOCK)

    with graph_errors(out):
        out.mkdir(parents=True, exist_ok=True)
        with (
            Blobs() as blobs,
            tempfile.TemporaryDirectory(prefix=".merge-", dir=out) as scratch,
        ):
            write_streamed(out / "graph.ttl", lambda stream: union(stream, Path(scratch)))
    return [out / "graph.ttl", out / "graph.trig"]


@contextlib.contextmanager
def graph_errors(folder: Path) -> Iterator[None]:
    """A failed write of the graph files into ``folder``, or a failed read of the cache's
    blobs they are made from, as an OutputError naming the folder and the fix."""
    try:
        yield
    except OSError as exc:
        raise OutputError(f"cannot write the graph ({write_failed(exc)})", folder) from exc
    except sqlite3.Error as exc:
        raise OutputError(
            f"cannot read the build cache ({exc}); delete its .cache folder and build again",
            folder,
        ) from exc


# --- The corpus files written by a pool's workers (``pipeline._graph_in_workers``).


def write_trig(parts: Sequence[DocumentPart], folder: str) -> None:
    """A task: write graph.trig into ``folder`` (the documents' TriG blocks in IRI order)."""

    def blocks(trig: IO[bytes]) -> None:
        trig.write(_prefix_header())
        with Blobs() as blobs:
            for part in sorted(parts):
                trig.write(part.trig_block(blobs))

    write_streamed(Path(folder) / "graph.trig", blocks)


def append_own_statements(parts: Sequence[DocumentPart], path: str) -> None:
    """A task: append the Turtle statements of the documents' own subjects, in IRI order,
    to the file ``path`` (graph.ttl being written, up to the entities before them)."""
    with Blobs() as blobs, open(path, "ab") as sink:
        for _, group in itertools.groupby(sorted(parts), key=lambda part: part.name):
            sink.write(_own_statements([(part.trig_block(blobs), part.own) for part in group]))


#: A range of the union's lines: from the first bytes (None: the first line) up to the
#: second (None: the last line).
Bounds = tuple[bytes | None, bytes | None]


def union_ranges(samples: Iterable[bytes], count: int) -> list[Bounds]:
    """The ranges the union is cut into: the lines that sort before the documents' own
    subjects, then those after them in ``count`` ranges of about as many bytes each,
    cut between subjects at the ``samples`` (``Merged``)."""
    own_from, own_until = OWN_FROM.encode(), OWN_UNTIL.encode()
    after = sorted(s for s in samples if s >= own_until)
    cuts: list[bytes | None] = [own_until]
    for i in range(1, count):
        if after:
            # A subject's lines start with it and a space: all of them go to the later range.
            cut = after[len(after) * i // count] + b" "
            if cut > (cuts[-1] or b""):
                cuts.append(cut)
    cuts.append(None)
    return [(None, own_from), *itertools.pairwise(cuts)]


def _write_range(runs: Sequence[RunSource], bounds: Bounds, sink: IO[bytes], folder: Path) -> None:
    """The union's Turtle statements of the lines of ``runs`` within ``bounds`` (merged
    in rounds in a scratch folder in ``folder`` when there are too many runs)."""
    start, stop = bounds
    with Blobs() as blobs, tempfile.TemporaryDirectory(prefix=".merge-", dir=folder) as scratch:
        writer = turtle.TurtleWriter(sink, _terms())
        for chunk in _merged_lines(runs, Path(scratch), blobs, start, stop):
            writer.write_lines(chunk.decode("utf-8").splitlines(keepends=True))
        writer.close()


def write_union_range(runs: Sequence[RunSource], bounds: Bounds, target: str) -> str:
    """A task: write the union's Turtle statements of the lines of ``runs`` within
    ``bounds`` to the file ``target``; give back ``target``."""
    with open(target, "wb") as sink:
        _write_range(runs, bounds, sink, Path(target).parent)
    return target


def write_union(
    folder: Path,
    runs: Sequence[RunSource],
    ranges: Sequence[Bounds],
    fill: Callable[[Path, Sequence[Bounds]], Sequence[str]],
) -> None:
    """Write graph.ttl into ``folder``: the prefixes and the union's range ``ranges[0]``
    (the entities before the documents' own subjects, a few), written here; then
    ``fill(path, ranges[1:])`` has the documents' own statements appended to the file
    at ``path`` and gives back the files of the other ranges, in order, which are
    copied after them."""

    def write(stream: IO[bytes], path: Path) -> None:
        stream.write(_prefix_header())
        _write_range(runs, ranges[0], stream, folder)
        stream.flush()  # before another process appends to the file
        written = fill(path, ranges[1:])
        stream.seek(0, os.SEEK_END)
        for name in written:
            with open(name, "rb") as source:
                _append(source, stream)

    write_named(folder / "graph.ttl", write)


def _append(source: IO[bytes], sink: IO[bytes]) -> None:
    """Copy ``source`` to the end of ``sink`` (flushed), in the kernel where it can
    (copy_file_range: no trip through a buffer of this process)."""
    size = os.fstat(source.fileno()).st_size
    copied = 0
    try:
        while copied < size:
            done = os.copy_file_range(source.fileno(), sink.fileno(), size - copied)
            if done == 0:
                break
            copied += done
    except (AttributeError, OSError) as exc:
        # Not on this platform or between these file systems: copy through Python.
        if copied or (isinstance(exc, OSError) and exc.errno not in _NO_KERNEL_COPY):
            raise
    if copied < size:
        source.seek(copied)
        shutil.copyfileobj(source, sink, _COPY_BLOCK)
        sink.flush()


_COPY_BLOCK = 1 << 20
# What copy_file_range says when the kernel cannot copy these files (old kernels, two
# file systems, file systems without it).
_NO_KERNEL_COPY = frozenset({errno.EXDEV, errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP})
