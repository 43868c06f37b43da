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

A document has two entries, rows of one SQLite database (``cachedb``, which
says why not a file each): its extraction (the summary linking reads, then
the packed result) and its RDF (counts, the TriG block, then the N-Triples
run the merge streams).  The last linking and the manifest of the last
build's outputs are files beside it, one each a build.

A build may be killed at any moment, so an entry is never trusted on its key
alone: a row is written in one transaction (never seen half written), the
summary names the size of the result and the RDF row its blobs' sizes, and
an entry whose sizes disagree or whose compressed data does not decompress
is made again; a database that no longer reads as one is replaced by an
empty one.  Nothing is synced to disk (thousands of syncs would slow every
build): a power cut may cost the cache, never the outputs.  Files a killed
build left half written are deleted by the next build's ``prune``.
``lock`` keeps two builds out of one folder at once.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import itertools
import json
import os
import pickle
import shutil
import sqlite3
import tempfile
from collections import Counter
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import NamedTuple

import lz4.frame

from . import cachedb, usercache
from .atomicfiles import TEMPORARY_SUFFIX, write_failed
from .cachedb import BlobAddress
from .errors import OutputError
from .model import DocumentSummary, pack_entities
from .resources import package_root

CACHE_FOLDER = ".cache"
LOCK_FILE = "lock"


@cache
def extractor_fingerprint() -> str:
    """A hash of the package's code and data: what decides what extraction yields.

    Hashing the 14 MB of files is a tenth of what a build of unchanged files
    does, so the hash is kept in the user cache under the files' names, sizes,
    inodes and change times: the files are read again only when one of them
    was written since.  The change time, not only the modification time: an
    installer may give every file one fixed modification time (reproducible
    wheels), but the kernel sets the change time when the file is written.
    """
    files = _extractor_files()
    stamps = []
    for path, name in files:
        stat = path.stat()
        stamps.append((name, stat.st_size, stat.st_ino, stat.st_mtime_ns, stat.st_ctime_ns))
    key = usercache.key_of(stamps)
    kept = usercache.load(_FINGERPRINT, key)
    if isinstance(kept, str):
        return kept
    digest = hashlib.sha256()
    for path, name in files:
        digest.update(name.encode())
        digest.update(path.read_bytes())
    fingerprint = digest.hexdigest()[:16]
    usercache.store(_FINGERPRINT, key, fingerprint)
    return fingerprint


_FINGERPRINT = "extractor-fingerprint"


def _extractor_files() -> list[tuple[Path, str]]:
    """The package's modules and data files, each with its name under the project root."""
    package = Path(__file__).resolve().parent
    root = package_root()
    files = sorted(package.rglob("*.py")) + sorted(
        p for folder in ("data", "ontology") for p in (root / folder).rglob("*") if p.is_file()
    )
    return [
        (path, str(path.relative_to(path.parents[1])))
        for path in files
        if "__pycache__" not in path.parts
    ]


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
    """An LZ4 frame of ``data``, with a checksum of each compressed block: a damaged
    entry fails to decompress (lz4 raises RuntimeError) rather than read back as
    other data.  Checksums of the blocks, not of the content: they catch the same
    damage and hash only the stored bytes, a seventh as many for graph text (the
    content's took 2% of a build)."""
    return bytes(lz4.frame.compress(data, block_checksum=True))


def decompress(data: bytes) -> bytes:
    return bytes(lz4.frame.decompress(data))


def pack(value: object) -> bytes:
    return compress(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))


def unpack(data: bytes) -> object:
    return pickle.loads(decompress(data))


class CachedSummary(NamedTuple):
    """A document's summary as the cache keeps it: its entities still packed.

    Only linking reads the entities, and a build of documents linked before
    takes the linking from the cache: reading a corpus's hundreds of thousands
    of entities, and making records of them, was most of a no-change rebuild's
    time.  ``summary`` makes them.
    """

    path: str
    sha256: str
    characters: int
    relations: tuple[tuple[str, int], ...]
    entities: bytes  # ``model.pack_entities``

    @classmethod
    def of(cls, summary: DocumentSummary) -> CachedSummary:
        return cls(
            summary.path,
            summary.sha256,
            summary.characters,
            summary.relations,
            pack_entities(summary.entities),
        )

    def summary(self) -> DocumentSummary:
        return DocumentSummary.unpacked(
            self.path, self.sha256, self.characters, self.entities, self.relations
        )


class RdfEntry(NamedTuple):
    """A document's RDF as the cache keeps it (``export.DocumentGraph``, LZ4 frames): a row
    of the cache's database."""

    key: str
    database: str
    row: int
    triples: int
    #: the byte span of the document's own statements in the (decompressed) TriG block
    own: tuple[int, int]

    @property
    def trig(self) -> BlobAddress:
        return BlobAddress(self.database, "rdf", "trig", self.row)

    @property
    def run(self) -> BlobAddress:
        return BlobAddress(self.database, "rdf", "run", self.row)


class CacheAddress(NamedTuple):
    """A build's cache as a task on the same machine opens it to write its own entry:
    a worker that writes what it made saves the build's one process from taking
    the bytes back and writing them, while the other workers wait for it."""

    out: str
    fingerprint: str
    #: one build's: a process opens the cache once for all the tasks of that build
    build: str

    def open(self) -> BuildCache:
        key = (os.getpid(), self)
        opened = _OPENED.get(key)
        if opened is None:
            for earlier in _OPENED.values():  # an earlier build's
                earlier.close()
            _OPENED.clear()
            opened = _OPENED[key] = BuildCache(Path(self.out), self.fingerprint)
        return opened


_OPENED: dict[tuple[int, CacheAddress], BuildCache] = {}
_BUILDS = itertools.count()


class BuildCache:
    """``OUT/.cache/<fingerprint>/``: extraction results, summaries and RDF per document
    (rows of ``cachedb.DATABASE``), and the last linking."""

    def __init__(self, out: Path, fingerprint: str | None = None) -> None:
        self.root = out / CACHE_FOLDER
        self.fingerprint = fingerprint or extractor_fingerprint()
        self.folder = self.root / self.fingerprint
        self.database = cachedb.database_path(self.folder)
        self._used: set[Path] = set()  # files: the manifest and the linking
        self._used_extractions: set[str] = set()
        self._used_rdf: set[str] = set()
        self._connection: sqlite3.Connection | None = None
        self._pid = 0
        self._build = f"{os.getpid()}-{next(_BUILDS)}"

    def address(self) -> CacheAddress:
        return CacheAddress(str(self.root.parent), self.fingerprint, self._build)

    def close(self) -> None:
        """Close this process's connection, and the one its tasks opened here
        (``CacheAddress.open``); a later use opens them again."""
        if self._connection is not None and self._pid == os.getpid():
            self._connection.close()
        self._connection = None
        opened = _OPENED.pop((os.getpid(), self.address()), None)
        if opened is not None and opened is not self:
            opened.close()

    def _db(self, *, create: bool) -> sqlite3.Connection | None:
        """This process's connection; None when there is no database yet and ``create``
        is not set (a lookup in a cache nothing was written to)."""
        if self._connection is not None and self._pid == os.getpid():
            return self._connection
        # A connection made before a fork stays the parent's: the child makes its own.
        self._connection = None
        if not create and not os.path.exists(self.database):
            return None
        self.folder.mkdir(parents=True, exist_ok=True)
        try:
            self._connection = cachedb.connect(self.folder)
        except cachedb.Damaged:
            # Not a database any more (a power cut): the cache only saves work.
            cachedb.remove(self.folder)
            self._connection = cachedb.connect(self.folder)
        self._pid = os.getpid()
        return self._connection

    def _path(self, kind: str, key: str, suffix: str) -> Path:
        path = self.folder / kind / f"{key}{suffix}"
        self._used.add(path)
        return path

    def manifest_path(self) -> Path:
        """What the last build's outputs were made of (``pipeline``: unchanged builds)."""
        path = self.folder / "build.json"
        self._used.add(path)
        return path

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
            self.close()
            if created:  # a first build that failed leaves no folder behind
                _remove_if_empty(path, created)
            raise
        finally:
            self.close()
            os.close(handle)

    def _lookup(self, query: str, key: str) -> tuple[object, ...] | None:
        """The row ``query`` finds for ``key``; None when there is none, or none readable."""
        try:
            connection = self._db(create=False)
            if connection is None:
                return None
            row: tuple[object, ...] | None = connection.execute(query, (key,)).fetchone()
        except (sqlite3.Error, OSError):
            return None  # a damaged database: what it held is made again
        return row

    def summary(self, key: str) -> CachedSummary | None:
        """The summary of a document extracted before, if its entry is whole."""
        self._used_extractions.add(key)
        row = self._lookup("SELECT summary, length(result) FROM extraction WHERE key = ?", key)
        if row is None:
            return None
        head, result_size = row
        try:
            assert isinstance(head, bytes)
            found = unpack(head)
            if not (isinstance(found, tuple) and len(found) == 2):
                return None
            data, size = found
            summary = CachedSummary(*data)
            if not isinstance(summary.entities, bytes):
                return None
        except (
            AssertionError,
            EOFError,
            KeyError,
            ValueError,
            TypeError,
            RuntimeError,
            pickle.UnpicklingError,
        ):
            return None  # a damaged entry is extracted again
        return summary if size == result_size else None

    def store(self, key: str, summary: DocumentSummary, result: bytes) -> None:
        # The summary names the result's size: an entry cut short is not taken.
        head = pack((CachedSummary.of(summary), len(result)))
        self._used_extractions.add(key)
        self._write(
            "INSERT OR REPLACE INTO extraction (key, summary, result) VALUES (?, ?, ?)",
            (key, head, result),
        )

    def keep(self, key: str) -> None:
        """Count a document's entry, written by a task (``store``), as used by this build."""
        self._used_extractions.add(key)

    def result_bytes(self, key: str) -> bytes:
        """The packed result of a document's entry (``summary`` found the entry whole)."""
        row = self._lookup("SELECT result FROM extraction WHERE key = ?", key)
        if row is None or not isinstance(row[0], bytes):
            raise OutputError(
                "a document's entry cannot be read back from the build cache; "
                "check the disk, then build again",
                self.folder / cachedb.DATABASE,
            )
        return row[0]

    def rdf_entry(self, key: str) -> RdfEntry | None:
        """A document's cached RDF, or None when there is no whole entry."""
        self._used_rdf.add(key)
        row = self._lookup(
            "SELECT id, triples, own_start, own_end, trig_size = length(trig)"
            " AND run_size = length(run) FROM rdf WHERE key = ?",
            key,
        )
        if row is None or not row[4]:
            return None  # a damaged entry is converted again
        number, triples, start, end, _ = row
        assert isinstance(number, int) and isinstance(triples, int)
        assert isinstance(start, int) and isinstance(end, int)
        return RdfEntry(key, self.database, number, triples, (start, end))

    def store_rdf(
        self, key: str, run: bytes, trig: bytes, count: int, own: tuple[int, int]
    ) -> RdfEntry:
        """A document's N-Triples run and TriG block, compressed (``export.DocumentGraph``),
        with their sizes."""
        self._used_rdf.add(key)
        number = self._write(
            "INSERT OR REPLACE INTO rdf (key, triples, own_start, own_end, trig_size, run_size,"
            " trig, run) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            (key, count, *own, len(trig), len(run), trig, run),
        )
        return RdfEntry(key, self.database, number, count, own)

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
        self._write_file(self.links_path(key), pack((dict(relabels), dict(entities))))

    def write_manifest(self, manifest: Mapping[str, object]) -> None:
        self._write_file(self.manifest_path(), json.dumps(manifest, indent=1).encode())

    def forget_manifest(self) -> None:
        """Before outputs are replaced: until the new manifest is written, no build
        may take the outputs for those of any manifest."""
        try:
            self.manifest_path().unlink(missing_ok=True)
        except OSError as exc:
            raise OutputError(
                f"cannot write the build cache ({write_failed(exc)})", self.folder
            ) from exc

    def _write(self, statement: str, values: tuple[object, ...]) -> int:
        """Run an INSERT of one row (its transaction: a killed build leaves no part of
        it); give back what it returns, if anything (the row's id)."""
        try:
            connection = self._db(create=True)
            assert connection is not None
            found = connection.execute(statement, values).fetchone()
        except OSError as exc:
            raise OutputError(
                f"cannot write the build cache ({write_failed(exc)})", self.folder
            ) from exc
        except sqlite3.Error as exc:
            raise self._write_error(exc) from exc
        return int(found[0]) if found else 0

    def _write_error(self, exc: sqlite3.Error) -> OutputError:
        return OutputError(f"cannot write the build cache ({_why(exc, self.folder)})", self.folder)

    def _write_file(self, path: Path, data: bytes) -> None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            _write_beside(path, data)
        except OSError as exc:
            raise OutputError(
                f"cannot write the build cache ({write_failed(exc)})", self.folder
            ) from exc

    def prune(self, *, entries: bool = True) -> int:
        """Delete every entry this build did not use, and older extractors' caches;
        give back how many files and rows went.

        Without ``entries``, for a build that used the last one's outputs without
        opening an entry: delete only older extractors' caches and the temporary
        files of killed builds (each a write that never became a file).
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
        kept = set(cachedb.FILES)
        for directory, _, names in os.walk(self.folder):
            for name in names:
                path = os.path.join(directory, name)
                if name in kept and directory == str(self.folder):
                    continue
                if path not in used and (entries or name.endswith(TEMPORARY_SUFFIX)):
                    with contextlib.suppress(FileNotFoundError):
                        os.unlink(path)
                    removed += 1
        if entries:
            removed += self._prune_rows()
        self.close()
        return removed

    def _prune_rows(self) -> int:
        """Delete the rows this build did not use, and give their pages back to the disk."""
        try:
            connection = self._db(create=False)
            if connection is None:
                return 0
            removed = 0
            for table, used in (
                ("extraction", self._used_extractions),
                ("rdf", self._used_rdf),
            ):
                keys = [key for (key,) in connection.execute(f"SELECT key FROM {table}")]
                gone = [(key,) for key in keys if key not in used]
                if gone:
                    connection.executemany(f"DELETE FROM {table} WHERE key = ?", gone)
                    removed += len(gone)
            if removed:
                connection.execute("PRAGMA incremental_vacuum")
        except sqlite3.Error as exc:
            raise self._write_error(exc) from exc
        return removed


def _why(exc: sqlite3.Error, folder: Path) -> str:
    """Why SQLite could not write the cache, with the fix (``export.write_failed``'s words)."""
    if cachedb.disk_full(exc, folder):
        return write_failed(OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)))
    if cachedb.is_damage(exc):
        return f"{exc}; delete the .cache folder and build again"
    return f"{exc}; check the folder"
