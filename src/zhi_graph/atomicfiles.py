"""Files written whole or not at all: each is written beside its destination and
renamed into place, and a build's outputs are staged in a folder and renamed
into place together.  An interrupted or failed write leaves the previous file
intact and no partial file behind.

Apart from ``buildfiles``, which writes the graphs: this is all that a build
of unchanged files, a table or a page needs of writing.
"""

from __future__ import annotations

import errno
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from .errors import OutputError

#: Temporary files are named ``.<name>.<random>`` + this, beside their destination.
TEMPORARY_SUFFIX = ".tmp"


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, then rename it into place."""
    write_streamed(path, lambda stream: stream.write(data))


def write_streamed(path: Path, write: Callable[[IO[bytes]], object]) -> None:
    write_named(path, lambda stream, _: write(stream))


def write_named(path: Path, write: Callable[[IO[bytes], Path], object]) -> None:
    """``write_streamed``, with the temporary file's path given to ``write`` too (for
    another process to write into)."""
    handle, temporary = tempfile.mkstemp(
        prefix=f".{path.name}.", suffix=TEMPORARY_SUFFIX, dir=path.parent
    )
    try:
        with os.fdopen(handle, "wb") as stream:
            write(stream, Path(temporary))
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
    """Write one file atomically (see ``atomic_write``); return its path."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, data)
    except OSError as exc:
        raise OutputError(f"cannot write the file ({write_failed(exc)})", path) from exc
    return path
