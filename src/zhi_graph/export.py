"""Write a build to disk: graph.trig (a graph per document) and graph.ttl (the union).

Serialisation goes through pyoxigraph (Rust): rdflib's Turtle writer took four
minutes for the 810,000 triples of a 3 MB corpus.  Triples are sorted first, so
two builds of the same input are byte-identical.  Files are written next to
their destination and renamed into place: an interrupted or failed build
leaves the previous output intact and no partial file behind.
"""

from __future__ import annotations

import bisect
import errno
import gzip
import heapq
import io
import itertools
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, cast

import pyoxigraph as ox

from . import graphfile
from .errors import OutputError
from .namespaces import ID
from .rdf.build import PREFIXES

#: Temporary files are named ``.<name>.<random>`` + this, beside their destination.
TEMPORARY_SUFFIX = ".tmp"


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, then rename it into place."""
    _write_streamed(path, lambda stream: stream.write(data))


def _write_streamed(path: Path, write: Callable[[IO[bytes]], object]) -> None:
    handle, temporary = tempfile.mkstemp(
        prefix=f".{path.name}.", suffix=TEMPORARY_SUFFIX, dir=path.parent
    )
    try:
        with os.fdopen(handle, "wb") as stream:
            write(stream)
            # On disk before the rename: after a power cut the name must not point
            # to a file whose data never reached the disk (a rename is not a barrier
            # for the data on every file system).  A killed process needs no fsync.
            stream.flush()
            os.fsync(stream.fileno())
        # mkstemp makes the file private; a graph is meant to be shared as files usually are.
        os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def sync_folder(folder: Path) -> None:
    """Make the renames into ``folder`` durable (its entries reach the disk)."""
    try:
        handle = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return  # not on this platform (Windows cannot open a folder)
    try:
        os.fsync(handle)
    except OSError:
        pass  # some file systems cannot sync a folder; the renames are still atomic
    finally:
        os.close(handle)


def write_failed(exc: OSError) -> str:
    """Why a write failed, with the fix, for an ``OutputError``'s message."""
    if exc.errno == errno.ENOSPC:
        return "the disk is full; free some space or choose another --out"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"{exc.strerror}; make the folder writable or choose another --out"
    return f"{exc.strerror or exc}; check the folder"


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


# --- A build's outputs are written into a staging folder inside OUT, then renamed
# into OUT together: a failed build (full disk, bad input) changes none of them.

STAGING_PREFIX = ".staging-"


@contextmanager
def staging(out: Path) -> Iterator[Path]:
    """A fresh folder inside ``out`` for new outputs, removed with whatever is left in it."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        folder = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=out))
    except OSError as exc:
        raise OutputError(f"cannot write the output folder ({write_failed(exc)})", out) from exc
    try:
        yield folder
    except OutputError as exc:
        # Name the output the user knows, not the staging folder (deleted by now).
        if exc.path is None or not exc.path.is_relative_to(folder):
            raise
        raise OutputError(exc.message, out / exc.path.relative_to(folder)) from exc
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def commit(folder: Path, out: Path, names: Sequence[str]) -> list[Path]:
    """Rename the files ``names`` of a staging folder into ``out``; sync ``out``."""
    try:
        for name in names:
            os.replace(folder / name, out / name)
    except OSError as exc:
        raise OutputError(f"cannot write the output folder ({write_failed(exc)})", out) from exc
    sync_folder(out)
    return [out / name for name in names]


def remove_leftovers(out: Path, names: Sequence[str]) -> int:
    """Delete what builds killed mid-write left in ``out``: staging folders and the
    temporary files of the outputs ``names``.  Only under the build lock."""
    removed = 0
    if not out.is_dir():
        return 0
    for path in out.iterdir():
        stale = path.name.startswith(STAGING_PREFIX) or (
            path.name.endswith(TEMPORARY_SUFFIX)
            and any(path.name.startswith(f".{name}.") for name in names)
        )
        if stale:
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
            removed += 1
    return removed


def write_file(path: Path, data: bytes) -> Path:
    """Write one file atomically (see ``_atomic_write``); return its path."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, data)
    except OSError as exc:
        raise OutputError(f"cannot write the file ({write_failed(exc)})", path) from exc
    return path


# --- Corpus builds: documents arrive as sorted N-Triples files, one per document.

# Sorted runs merged at once; more are merged in rounds, so a corpus of any
# size never holds more than this many files open.
_FAN_IN = 128


class _ChunkStream(io.RawIOBase):
    """A binary file over an iterator of byte strings, for pyoxigraph's streaming parser."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks = chunks
        self._rest = memoryview(b"")

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._rest:
            try:
                self._rest = memoryview(next(self._chunks))
            except StopIteration:
                return 0
        size = min(len(buffer), len(self._rest))
        buffer[:size] = self._rest[:size]
        self._rest = self._rest[size:]
        return size


# Lines joined into one chunk: Python handles chunks, not lines, after the merge.
_CHUNK_LINES = 4096


def _unique_merge(runs: Sequence[Iterable[bytes]]) -> Iterator[bytes]:
    """The lines of sorted runs, merged, each once, in chunks of many lines."""
    chunk: list[bytes] = []
    append = chunk.append
    previous = None
    for line in heapq.merge(*runs):
        if line != previous:
            append(line)
            previous = line
            if len(chunk) >= _CHUNK_LINES:
                yield b"".join(chunk)
                chunk.clear()
    if chunk:
        yield b"".join(chunk)


# Where document-scoped subjects (a document, its mentions and statements) sort:
# each document's own lines are one block of its run, and the blocks of all
# documents follow one another in the union in the order of the documents' IRIs.
# Only the lines before and after them (entities, shared between documents)
# need a line-by-line merge.
_OWN = f"<{ID}document/".encode()
_OWN_END = _OWN[:-1] + b"0"  # the first string after every one that starts with _OWN


def _own_block(data: bytes) -> tuple[int, int]:
    """Byte offsets of the document-scoped lines of a sorted run."""
    lines = data.splitlines(keepends=True)
    start = bisect.bisect_left(lines, _OWN)
    end = bisect.bisect_left(lines, _OWN_END, start)
    before = len(b"".join(lines[:start]))
    return before, before + len(b"".join(lines[start:end]))


# A part of a run to merge: its file, and the byte range of its uncompressed lines.
_Segment = tuple[Path, int, int | None]


def _lines_of(segment: _Segment) -> Iterator[bytes]:
    path, start, end = segment
    with gzip.open(path, "rb") as source:
        source.seek(start)
        if end is None:
            yield from source
            return
        remaining = end - start
        for line in source:
            if remaining <= 0:
                return
            remaining -= len(line)
            yield line


def _merged_lines(segments: Sequence[_Segment], scratch: Path, name: str) -> Iterator[bytes]:
    """Every line of the sorted segments, once, in order (in chunks of many lines);
    merged in rounds of ``_FAN_IN``, so no more than that many files are open at once."""
    level = list(segments)
    round_number = 0
    while len(level) > _FAN_IN:
        merged: list[_Segment] = []
        for i in range(0, len(level), _FAN_IN):
            target = scratch / f"{name}-{round_number}-{i}.nt.gz"
            with gzip.open(target, "wb", compresslevel=1) as sink:
                sink.writelines(_unique_merge([_lines_of(s) for s in level[i : i + _FAN_IN]]))
            merged.append((target, 0, None))
        level = merged
        round_number += 1
    yield from _unique_merge([_lines_of(s) for s in level])


def _own_lines(
    ordered: Sequence[tuple[str, Path]], blocks: dict[Path, tuple[int, int]]
) -> Iterator[bytes]:
    """The document-scoped lines of every run, in the order of the documents' IRIs.

    Documents with the same IRI (the same bytes under two paths) are merged."""
    for _, group in itertools.groupby(ordered, key=lambda part: part[0]):
        runs = [run for _, run in group]
        own = []
        for run in runs:
            start, end = blocks[run]
            own.append(gzip.decompress(run.read_bytes())[start:end])
        if len(own) == 1:
            yield own[0]
        else:
            yield from _unique_merge([block.splitlines(keepends=True) for block in own])


def _prefix_header() -> bytes:
    return b"".join(
        sorted(
            f"@prefix {prefix}: <{namespace}> .\n".encode()
            for prefix, namespace in PREFIXES.items()
        )
    )


def _body(data: bytes | None) -> bytes:
    """A serialisation without its prefix lines (they are written once, at the top)."""
    lines = (data or b"").split(b"\n")
    head = 0
    while head < len(lines) and lines[head].startswith(b"@prefix"):
        head += 1
    return b"\n".join(lines[head:])


class _SortedPrefixWriter(io.RawIOBase):
    """Passes a serialisation through, with its leading prefix lines put in a fixed order."""

    def __init__(self, target: IO[bytes]) -> None:
        self._target = target
        self._head: bytearray | None = bytearray()

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        chunk = bytes(data)
        if self._head is None:
            self._target.write(chunk)
            return len(chunk)
        self._head += chunk
        lines = bytes(self._head).split(b"\n")
        done = 0
        while done < len(lines) - 1 and lines[done].startswith(b"@prefix"):
            done += 1
        if done < len(lines) - 1:  # a complete line that is not a prefix: the head is over
            self._flush_head()
        return len(chunk)

    def _flush_head(self) -> None:
        if self._head is not None:
            self._target.write(graphfile.sorted_prefix_lines(bytes(self._head)))
            self._head = None

    def close(self) -> None:
        self._flush_head()
        super().close()


def document_trig(name: str, run: bytes) -> bytes:
    """One document's named graph as written in ``graph.trig`` (without the prefix lines),
    from its sorted N-Triples run; made by the task that makes the run, so that workers
    write it in parallel and the cache keeps it."""
    # N-Triples lines become N-Quads lines: a line's only unescaped line break is its
    # last, so " .\n" ends lines and nothing else.
    quads = run.replace(b" .\n", f" <{name}> .\n".encode())
    parsed = ox.parse(quads, format=ox.RdfFormat.N_QUADS)
    prefixes = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
    return _body(ox.serialize(parsed, format=ox.RdfFormat.TRIG, prefixes=prefixes))


def write_corpus_graph(parts: Sequence[tuple[str, Path, Path]], out: Path) -> list[Path]:
    """Write ``graph.trig`` and ``graph.ttl`` from per-document runs, streaming.

    ``parts`` gives each document's graph IRI, its gzip N-Triples run
    (``rdf.build.document_run``) and its gzip TriG block (``document_trig``).
    TriG takes the documents' blocks in IRI order; Turtle takes the union,
    merged from the sorted runs, so memory does not grow with the corpus and
    two builds of the same input are byte-identical.
    """
    prefixes = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
    ordered = sorted(parts)
    runs = [(name, run) for name, run, _ in ordered]

    def trig(stream: IO[bytes]) -> None:
        stream.write(_prefix_header())
        for _, _, block in ordered:
            stream.write(gzip.decompress(block.read_bytes()))

    def turtle(stream: IO[bytes]) -> None:
        blocks = {run: _own_block(gzip.decompress(run.read_bytes())) for _, run in runs}
        with tempfile.TemporaryDirectory(prefix=".merge-", dir=out) as scratch:
            folder = Path(scratch)
            before = [(run, 0, blocks[run][0]) for _, run in runs]
            after = [(run, blocks[run][1], None) for _, run in runs]
            lines = _ChunkStream(
                itertools.chain(
                    _merged_lines(before, folder, "before"),
                    _own_lines(runs, blocks),
                    _merged_lines(after, folder, "after"),
                )
            )
            triples = ox.parse(io.BufferedReader(lines, 1 << 16), format=ox.RdfFormat.N_TRIPLES)
            sink = _SortedPrefixWriter(stream)
            ox.serialize(
                triples, cast(IO[bytes], sink), format=ox.RdfFormat.TURTLE, prefixes=prefixes
            )
            sink.close()

    try:
        out.mkdir(parents=True, exist_ok=True)
        _write_streamed(out / "graph.trig", trig)
        _write_streamed(out / "graph.ttl", turtle)
    except OSError as exc:
        raise OutputError(f"cannot write the graph ({write_failed(exc)})", out) from exc
    return [out / "graph.ttl", out / "graph.trig"]
