"""The build cache: what was extracted from each file, kept between builds.

Entries are keyed by the file's content hash and by the extractor's
fingerprint: a hash of zhi-graph's code and of every data file it reads.  An
unchanged file under an unchanged extractor is never extracted twice; a new
version of the code or the lexicon starts a fresh cache.  The cache lives in
the output folder (``OUT/.cache/``) because it belongs to that build: a file
edited or deleted since the last build simply has no entry used, and entries
no build used are removed at the end.

Entries are pickles written by this build for this build: the cache folder is
as trusted as the output folder itself, and nothing else reads it.

A document has two entries, a file each: its extraction (the summary linking
reads, then the packed result) and its RDF (counts and sizes, the TriG
block, then the N-Triples run the merge streams).  Each file is one create:
on the ext4 disks builds ran on, creating a file cost 0.5-1 ms of the
kernel's time once many files had been deleted nearby, and the five files a
document once had took 1.2-2.4 s of a 10 MB build.

A build may be killed at any moment, so an entry is never trusted on its name
alone: each file is written beside its place and renamed (never seen half
written), a header names the size of what follows it, and an entry whose
sizes disagree or whose compressed data does not decompress is made again.
Entries are not synced to disk one by one (thousands of fsyncs would slow
every build): after a power cut an entry may be empty, which the size check
catches.  Temporary files a killed build left are deleted by the
next build's ``prune``.  ``lock`` keeps two builds out of one folder at once.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import json
import os
import pickle
import shutil
import struct
import tempfile
from collections import Counter
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import NamedTuple

import lz4.frame

from .errors import OutputError
from .export import TEMPORARY_SUFFIX, write_failed
from .model import DocumentSummary, EntityRow
from .resources import package_root

CACHE_FOLDER = ".cache"
LOCK_FILE = "lock"
#: Opens an extraction entry: the size of the packed summary that follows it.
_EXTRACT_HEAD = struct.Struct("<Q")
#: Opens an RDF entry: triples, the TriG block's size, the run's, own statements' span.
_RDF_HEAD = struct.Struct("<5Q")


@cache
def extractor_fingerprint() -> str:
    """A hash of the package's code and data: what decides what extraction yields."""
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent
    root = package_root()
    files = sorted(package.rglob("*.py")) + sorted(
        p for folder in ("data", "ontology") for p in (root / folder).rglob("*") if p.is_file()
    )
    for path in files:
        if "__pycache__" in path.parts:
            continue
        digest.update(str(path.relative_to(path.parents[1])).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


# Temporary names are this process's own (its id and a count): a build writes
# thousands of entries, and tempfile.mkstemp's random names cost a tenth of a
# second of the build's main process per 10 MB of text.
_NUMBERS = itertools.count()


def _write_beside(path: Path, data: bytes) -> None:
    """Write next to ``path`` and rename: a killed build leaves no partial entry."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}-{next(_NUMBERS)}{TEMPORARY_SUFFIX}")
    try:
        handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:  # left by a killed build whose id this process has now
        handle, name = tempfile.mkstemp(
            prefix=f".{path.name}.", suffix=TEMPORARY_SUFFIX, dir=path.parent
        )
        temporary = Path(name)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _remove_if_empty(lock: Path, folders: list[Path]) -> None:
    """Remove the lock and the ``folders`` a build created, if it wrote nothing else."""
    if [p.name for p in lock.parent.iterdir()] != [lock.name]:
        return
    lock.unlink(missing_ok=True)
    for folder in folders:  # the cache folder, then the output folder
        try:
            folder.rmdir()
        except OSError:
            return  # not empty: something was written after all


def compress(data: bytes) -> bytes:
    """An LZ4 frame of ``data``, with a checksum of the content: a damaged entry
    fails to decompress (lz4 raises RuntimeError) rather than read back as other data."""
    return bytes(lz4.frame.compress(data, content_checksum=True))


def decompress(data: bytes) -> bytes:
    return bytes(lz4.frame.decompress(data))


def pack(value: object) -> bytes:
    return compress(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))


def unpack(data: bytes) -> object:
    return pickle.loads(decompress(data))


class CachedSummary(NamedTuple):
    """A document's summary as the cache keeps it: its entities still pickled rows.

    Only linking reads the entities, and a build of documents linked before
    takes the linking from the cache: unpickling the rows of a corpus's
    hundreds of thousands of entities, and making records of them, was most
    of a no-change rebuild's time.  ``summary`` makes them.
    """

    path: str
    sha256: str
    characters: int
    relations: tuple[tuple[str, int], ...]
    entity_rows: bytes  # the pickled tuple of ``model.EntityRow``s

    @classmethod
    def of(cls, summary: DocumentSummary) -> CachedSummary:
        path, sha256, characters, entities, relations = summary.rows()
        rows = pickle.dumps(entities, protocol=pickle.HIGHEST_PROTOCOL)
        return cls(path, sha256, characters, relations, rows)

    def summary(self) -> DocumentSummary:
        entities: tuple[EntityRow, ...] = pickle.loads(self.entity_rows)
        return DocumentSummary.from_rows(
            self.path, self.sha256, self.characters, entities, self.relations
        )


class RdfEntry(NamedTuple):
    """A document's RDF as the cache keeps it (``export.DocumentGraph``, LZ4 frames)."""

    path: Path
    #: the TriG block's frame's byte span in ``path``; the run's frame follows it to the end
    trig: tuple[int, int]
    triples: int
    #: the byte span of the document's own statements in the (decompressed) TriG block
    own: tuple[int, int]


class CacheAddress(NamedTuple):
    """A build's cache as a task on the same machine opens it to write its own entry:
    a worker that writes what it made saves the build's one process from taking
    the bytes back and writing them, while the other workers wait for it."""

    out: str
    fingerprint: str

    def open(self) -> BuildCache:
        return BuildCache(Path(self.out), self.fingerprint)


class BuildCache:
    """``OUT/.cache/<fingerprint>/``: extraction results, summaries and RDF per document,
    and the last linking."""

    def __init__(self, out: Path, fingerprint: str | None = None) -> None:
        self.root = out / CACHE_FOLDER
        self.fingerprint = fingerprint or extractor_fingerprint()
        self.folder = self.root / self.fingerprint
        self._used: set[Path] = set()
        self._folders: set[Path] = set()  # made by this build

    def address(self) -> CacheAddress:
        return CacheAddress(str(self.root.parent), self.fingerprint)

    def _path(self, kind: str, key: str, suffix: str) -> Path:
        path = self.folder / kind / f"{key}{suffix}"
        self._used.add(path)
        return path

    def entry_path(self, key: str) -> Path:
        """A document's extraction: its summary, then its packed result."""
        return self._path("extract", key, ".lz4")

    def manifest_path(self) -> Path:
        """What the last build's outputs were made of (``pipeline``: unchanged builds)."""
        path = self.folder / "build.json"
        self._used.add(path)
        return path

    def rdf_path(self, key: str) -> Path:
        """A document's RDF: a header (``_RDF_HEAD``), its TriG block, its N-Triples run."""
        return self._path("rdf", key, ".lz4")

    def links_path(self, key: str) -> Path:
        return self._path("link", key, ".pickle.lz4")

    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        """Hold the output folder for one build; another build into it fails at once.

        The lock is the kernel's (``flock``), so a killed build releases it.
        """
        try:
            import fcntl
        except ImportError:  # not on POSIX: no lock
            yield
            return
        path = self.root / LOCK_FILE
        created = [folder for folder in (self.root, self.root.parent) if not folder.exists()]
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            handle = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise OutputError(
                f"cannot write the output folder ({write_failed(exc)})", self.root.parent
            ) from exc
        try:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as exc:
                raise OutputError(
                    "another build is writing this folder; wait for it to finish or choose "
                    "another --out",
                    self.root.parent,
                ) from exc
            yield
        except BaseException:
            if created:  # a first build that failed leaves no folder behind
                _remove_if_empty(path, created)
            raise
        finally:
            os.close(handle)

    def summary(self, key: str) -> CachedSummary | None:
        """The summary of a document extracted before, if its entry is whole."""
        try:
            with self.entry_path(key).open("rb") as stream:
                (head,) = _EXTRACT_HEAD.unpack(stream.read(_EXTRACT_HEAD.size))
                found = unpack(stream.read(head))
                result_size = os.fstat(stream.fileno()).st_size - _EXTRACT_HEAD.size - head
            if not (isinstance(found, tuple) and len(found) == 2):
                return None
            data, size = found
            summary = CachedSummary(*data)
            if not isinstance(summary.entity_rows, bytes):
                return None
        except (
            OSError,
            EOFError,
            KeyError,
            ValueError,
            TypeError,
            RuntimeError,
            pickle.UnpicklingError,
            struct.error,
        ):
            return None  # a missing or damaged entry is extracted again
        return summary if size == result_size else None

    def store(self, key: str, summary: DocumentSummary, result: bytes) -> None:
        # The summary names the result's size: an entry cut short is not taken.
        head = pack((CachedSummary.of(summary), len(result)))
        self._write(self.entry_path(key), b"".join([_EXTRACT_HEAD.pack(len(head)), head, result]))

    def keep(self, key: str) -> None:
        """Count a document's entry, written by a task (``store``), as used by this build."""
        self.entry_path(key)

    def result_bytes(self, key: str) -> bytes:
        """The packed result of a document's entry (``summary`` found the entry whole)."""
        with self.entry_path(key).open("rb") as stream:
            (head,) = _EXTRACT_HEAD.unpack(stream.read(_EXTRACT_HEAD.size))
            stream.seek(head, os.SEEK_CUR)  # past the summary, which linking read
            return stream.read()

    def rdf_entry(self, key: str) -> RdfEntry | None:
        """A document's cached RDF, or None when there is no whole entry."""
        path = self.rdf_path(key)
        try:
            with path.open("rb") as stream:
                head = stream.read(_RDF_HEAD.size)
                size = os.fstat(stream.fileno()).st_size - _RDF_HEAD.size
            count, trig_size, run_size, start, end = _RDF_HEAD.unpack(head)
        except (OSError, struct.error):
            return None
        if trig_size + run_size != size:
            return None  # a truncated or emptied entry is converted again
        return RdfEntry(path, (_RDF_HEAD.size, _RDF_HEAD.size + trig_size), count, (start, end))

    def store_rdf(
        self, key: str, run: bytes, trig: bytes, count: int, own: tuple[int, int]
    ) -> RdfEntry:
        """A document's N-Triples run and TriG block, compressed (``export.DocumentGraph``),
        behind a header with their sizes."""
        path = self.rdf_path(key)
        head = _RDF_HEAD.pack(count, len(trig), len(run), *own)
        self._write(path, b"".join([head, trig, run]))
        return RdfEntry(path, (_RDF_HEAD.size, _RDF_HEAD.size + len(trig)), count, own)

    def links(self, key: str) -> tuple[dict[str, dict[str, str]], Counter[str]] | None:
        """The labels linking gave the documents whose keys hash to ``key``, and their
        graph's entities by type, if kept."""
        try:
            found = unpack(self.links_path(key).read_bytes())
        except (OSError, EOFError, ValueError, RuntimeError, pickle.UnpicklingError):
            return None
        if not (isinstance(found, tuple) and len(found) == 2):
            return None
        relabels, entities = found
        if not (isinstance(relabels, dict) and isinstance(entities, dict)):
            return None
        return relabels, Counter(entities)

    def store_links(
        self,
        key: str,
        relabels: Mapping[str, Mapping[str, str]],
        entities: Mapping[str, int],
    ) -> None:
        self._write(self.links_path(key), pack((dict(relabels), dict(entities))))

    def write_manifest(self, manifest: Mapping[str, object]) -> None:
        self._write(self.manifest_path(), json.dumps(manifest, indent=1).encode())

    def forget_manifest(self) -> None:
        """Before outputs are replaced: until the new manifest is written, no build
        may take the outputs for those of any manifest."""
        try:
            self.manifest_path().unlink(missing_ok=True)
        except OSError as exc:
            raise OutputError(
                f"cannot write the build cache ({write_failed(exc)})", self.folder
            ) from exc

    def _write(self, path: Path, data: bytes) -> None:
        try:
            if path.parent not in self._folders:  # one mkdir per folder, not per entry
                path.parent.mkdir(parents=True, exist_ok=True)
                self._folders.add(path.parent)
            _write_beside(path, data)
        except OSError as exc:
            raise OutputError(
                f"cannot write the build cache ({write_failed(exc)})", self.folder
            ) from exc

    def prune(self, *, entries: bool = True) -> int:
        """Delete every entry this build did not use, and older extractors' caches.

        Without ``entries``, for a build that used the last one's outputs without
        opening an entry: delete only older extractors' caches and the temporary
        files of killed builds (each a write that never became an entry).
        """
        removed = 0
        if not self.root.is_dir():
            return 0
        for other in self.root.iterdir():
            if other != self.folder and other.name != LOCK_FILE:
                shutil.rmtree(other, ignore_errors=True) if other.is_dir() else other.unlink()
                removed += 1
        # Strings and os.walk: pathlib's rglob and Path hashing cost a no-change
        # rebuild of 10 MB a fifth of its time.
        used = {str(path) for path in self._used}
        for directory, _, names in os.walk(self.folder):
            for name in names:
                path = os.path.join(directory, name)
                if path not in used and (entries or name.endswith(TEMPORARY_SUFFIX)):
                    with contextlib.suppress(FileNotFoundError):
                        os.unlink(path)
                    removed += 1
        return removed
