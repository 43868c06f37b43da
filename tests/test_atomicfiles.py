"""zhi_graph.atomicfiles: files are replaced whole or left as they were."""

from __future__ import annotations

import errno
from pathlib import Path
from typing import IO

import pytest

from zhi_graph.atomicfiles import (
    STAGING_PREFIX,
    TEMPORARY_SUFFIX,
    atomic_write,
    commit,
    remove_leftovers,
    staging,
    write_failed,
    write_file,
    write_streamed,
)
from zhi_graph.errors import OutputError


def _names(folder: Path) -> set[str]:
    return {path.name for path in folder.iterdir()}


def test_a_write_replaces_the_file_and_leaves_nothing_beside_it(tmp_path: Path) -> None:
    target = tmp_path / "graph.ttl"
    target.write_bytes(b"old")
    atomic_write(target, b"new")
    assert target.read_bytes() == b"new"
    assert _names(tmp_path) == {"graph.ttl"}


def test_a_write_that_fails_halfway_leaves_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "graph.ttl"
    target.write_bytes(b"old")

    def half_then_fail(stream: IO[bytes]) -> None:
        stream.write(b"half of the n")
        raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(OSError):
        write_streamed(target, half_then_fail)
    assert target.read_bytes() == b"old"
    assert _names(tmp_path) == {"graph.ttl"}


def test_write_file_makes_the_folder_and_names_the_file_when_it_cannot(tmp_path: Path) -> None:
    written = write_file(tmp_path / "views" / "page.html", b"<html>")
    assert written.read_bytes() == b"<html>"
    blocker = tmp_path / "a-file"
    blocker.write_bytes(b"")
    with pytest.raises(OutputError) as raised:
        write_file(blocker / "page.html", b"<html>")
    assert raised.value.path == blocker / "page.html"


@pytest.mark.parametrize(
    ("number", "says"),
    [
        (errno.ENOSPC, "the disk is full; free some space or choose another --out"),
        (errno.EACCES, "make the folder writable or choose another --out"),
        (errno.EROFS, "make the folder writable or choose another --out"),
        (errno.EIO, "; check the folder"),
    ],
)
def test_a_failed_write_is_explained_with_its_fix(number: int, says: str) -> None:
    assert says in write_failed(OSError(number, "reason"))


def test_leftovers_of_killed_builds_are_removed_and_nothing_else(tmp_path: Path) -> None:
    (tmp_path / f"{STAGING_PREFIX}abc").mkdir()
    (tmp_path / f"{STAGING_PREFIX}abc" / "graph.ttl").write_bytes(b"x")
    (tmp_path / f".graph.ttl.k2j{TEMPORARY_SUFFIX}").write_bytes(b"x")
    kept = {
        "graph.ttl",
        f".notes.txt.k2j{TEMPORARY_SUFFIX}",  # not one of the outputs named
        "graph.ttl.tmp",  # no leading dot: not a temporary file of ours
    }
    for name in kept:
        (tmp_path / name).write_bytes(b"x")
    assert remove_leftovers(tmp_path, ["graph.ttl", "graph.trig"]) == 2
    assert _names(tmp_path) == kept
    assert remove_leftovers(tmp_path / "missing", ["graph.ttl"]) == 0


def test_staged_files_are_renamed_into_place_together(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with staging(out) as folder:
        for name in ("graph.ttl", "graph.trig"):
            (folder / name).write_bytes(name.encode())
        files = commit(folder, out, ["graph.ttl", "graph.trig"])
    assert files == [out / "graph.ttl", out / "graph.trig"]
    assert _names(out) == {"graph.ttl", "graph.trig"}
    assert (out / "graph.trig").read_bytes() == b"graph.trig"


def test_an_error_inside_the_staging_folder_names_the_output(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with pytest.raises(OutputError) as raised, staging(out) as folder:
        raise OutputError("cannot write the graph", folder / "graph.ttl")
    assert raised.value.path == out / "graph.ttl"
    assert _names(out) == set()  # the staging folder is gone
