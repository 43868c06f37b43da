"""The build cache's entries, in one SQLite database (``cache.BuildCache`` decides what).

A document has two entries: its extraction (the summary linking reads, then
the packed result) and its RDF (counts, the TriG block and the N-Triples run
the merge streams).  They were two files a document.  On the ext4 disks the
builds ran on, creating a file cost 0.5-0.8 ms of the kernel's time whenever
many files had been deleted in the minutes before (a build's ``prune``, or
an output folder removed), so that the entries of a 10 MB corpus took 0.5 s
to write out of a 12 s build; rows of one database cost about a tenth of
that, and a corpus of thousands of documents keeps one file instead of
thousands.

Writers (the build's process, and pool workers that store what they made)
each hold one connection; the database runs in WAL mode, so they write one
at a time while others read.  It is never synced (``synchronous=OFF``): a
killed build loses at most the row it was writing (SQLite's journal undoes
it), and a power cut may damage the file, which the next build finds
unreadable and replaces with an empty one, as it would a damaged entry: the
cache only ever saves work.  Each row's blobs are LZ4 frames with a content
checksum, so a damaged page reads back as an error, not as other data.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

#: The database inside a cache folder (``cache.BuildCache.folder``); SQLite keeps its
#: write-ahead log and shared index beside it, under this name + ``-wal`` and ``-shm``.
DATABASE = "entries.sqlite"
#: The database's file and those SQLite keeps beside it: a prune leaves them be.
FILES = tuple(DATABASE + suffix for suffix in ("", "-wal", "-shm", "-journal"))

# A writer waits this long for another to finish its row (each takes milliseconds).
_BUSY_SECONDS = 120.0

_SCHEMA = (
    # Freed pages go back to the file system on ``shrink``, not only to later rows.
    "PRAGMA auto_vacuum = INCREMENTAL",
    "CREATE TABLE IF NOT EXISTS extraction ("
    "id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE,"
    " summary BLOB NOT NULL, result BLOB NOT NULL)",
    # The blobs' sizes are kept apart from them: a row whose blob no longer has its
    # size was damaged (by a power cut) and is made again.
    "CREATE TABLE IF NOT EXISTS rdf ("
    "id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, triples INTEGER NOT NULL,"
    " own_start INTEGER NOT NULL, own_end INTEGER NOT NULL,"
    " trig_size INTEGER NOT NULL, run_size INTEGER NOT NULL,"
    " trig BLOB NOT NULL, run BLOB NOT NULL)",
)


class Damaged(Exception):
    """The database cannot be read as one (a power cut, or not ours)."""


def connect(folder: Path) -> sqlite3.Connection:
    """A connection to ``folder``'s database, made with its tables if new.

    Raises ``Damaged`` when the file is not a readable database, and
    ``sqlite3.OperationalError`` (or OSError) when it cannot be written.
    """
    connection = sqlite3.connect(
        folder / DATABASE, timeout=_BUSY_SECONDS, isolation_level=None, check_same_thread=False
    )
    try:
        connection.execute("PRAGMA synchronous = OFF")
        deadline = time.monotonic() + _BUSY_SECONDS
        while True:
            try:
                _prepare(connection)
                break
            except sqlite3.OperationalError as exc:
                # Workers that open a new database at once: SQLite answers the one that
                # asks to change its journal while another does "busy" without waiting.
                if exc.sqlite_errorname != "SQLITE_BUSY" or time.monotonic() > deadline:
                    raise
                time.sleep(0.01)
    except sqlite3.DatabaseError as exc:
        connection.close()
        if is_damage(exc):
            raise Damaged(str(exc)) from exc
        raise
    return connection


def _prepare(connection: sqlite3.Connection) -> None:
    """The tables, and the write-ahead log, of a database that may be new."""
    (mode,) = connection.execute("PRAGMA journal_mode").fetchone()
    if mode != "wal":
        connection.execute("PRAGMA journal_mode = WAL")
    for statement in _SCHEMA:
        connection.execute(statement)


def is_damage(exc: sqlite3.Error) -> bool:
    """Whether ``exc`` says the database file is damaged (rather than unwritable)."""
    return getattr(exc, "sqlite_errorname", "") in ("SQLITE_CORRUPT", "SQLITE_NOTADB")


def remove(folder: Path) -> None:
    """Delete ``folder``'s database and SQLite's files beside it."""
    for name in FILES:
        (folder / name).unlink(missing_ok=True)


# Free space below which a failed write is taken for a full disk.
_NEARLY_FULL = 1 << 20


def disk_full(exc: sqlite3.Error, folder: Path) -> bool:
    """Whether ``exc`` came of a full disk: SQLite says so when its own file cannot grow,
    but a write into its log or shared index that fails for want of space is an
    input/output error like any other; the disk's free space tells."""
    name = getattr(exc, "sqlite_errorname", "")
    if name == "SQLITE_FULL":
        return True
    if not name.startswith("SQLITE_IOERR"):
        return False
    try:
        stats = os.statvfs(folder)
    except OSError:
        return False
    return stats.f_bavail * stats.f_frsize < _NEARLY_FULL


class BlobAddress(NamedTuple):
    """Where a blob lives: the database file, the table and column, and the row."""

    database: str
    table: str
    column: str
    row: int


class Blobs:
    """Read-only connections, one per database, for one thread; closed on exit.

    A merge reads up to a hundred and more runs of one database at once: one
    connection serves them all (a connection each held three files open).
    """

    def __init__(self) -> None:
        self._connections: dict[str, sqlite3.Connection] = {}

    def __enter__(self) -> Blobs:
        return self

    def __exit__(self, *_: object) -> None:
        for connection in self._connections.values():
            connection.close()
        self._connections.clear()

    @contextmanager
    def open(self, address: BlobAddress) -> Iterator[sqlite3.Blob]:
        connection = self._connections.get(address.database)
        if connection is None:
            connection = sqlite3.connect(
                address.database, timeout=_BUSY_SECONDS, check_same_thread=False
            )
            self._connections[address.database] = connection
        blob = connection.blobopen(address.table, address.column, address.row, readonly=True)
        try:
            yield blob
        finally:
            blob.close()

    def read(self, address: BlobAddress) -> bytes:
        with self.open(address) as blob:
            return blob.read()


def database_path(folder: Path) -> str:
    return os.fspath(folder / DATABASE)
