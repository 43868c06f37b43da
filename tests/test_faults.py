"""Faults mid-build: a build killed at any moment, a full disk, an unwritable folder.

A real ``zhi-graph build`` process rebuilds an output folder that holds the
previous build (corpus A) from edited documents (corpus B) and is sent SIGKILL
at seeded random moments: after a delay drawn over the build's measured
duration, once its worker processes run, and once it has begun writing its
outputs.  Every time, each output must be A's or B's file byte for byte (so it
parses, validates and answers queries as they do), no worker may outlive the
build, and the next build must complete and equal a clean build of B.

The full-disk and read-only tests mount a small tmpfs (root or a user
namespace is needed): they skip where mounting is not allowed, and fail when
``CI=true``.  The permission test runs the build as ``nobody`` (``setpriv``).
"""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest

from conftest import SAMPLE
from zhi_graph.atomicfiles import STAGING_PREFIX, TEMPORARY_SUFFIX, commit
from zhi_graph.cache import CACHE_FOLDER, compress, decompress
from zhi_graph.cachedb import DATABASE
from zhi_graph.pipeline import OUTPUTS, build
from zhi_graph.validate import validate_file

CLI = Path(sys.executable).with_name("zhi-graph")
SEED = 20261126
# Kill points of each kind: after a delay from the start, while the workers
# extract, and while the outputs are written.
KILLS_ANYTIME, KILLS_EXTRACTING, KILLS_WRITING = 6, 4, 6
# A kill that comes after the build has ended is tried again this often, each time
# after half the delay.
RETRIES = 2


def missing(message: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def corpus_a() -> dict[str, str]:
    paragraphs = [p for p in SAMPLE.read_text(encoding="utf-8").split("\n") if p.strip()]
    return {f"{i:02d}.txt": "\n".join(paragraphs[i::6]) + "\n" for i in range(6)}


def corpus_b() -> dict[str, str]:
    """A with every document edited (all are extracted again) and one more document."""
    edited = {
        name: text + f"{2020 + i}年，《资阳年鉴（{2019 + i}）》荣获“四川省精品年鉴”。\n"
        for i, (name, text) in enumerate(corpus_a().items())
    }
    edited["06.txt"] = "南充市地方志办公室编纂《南充年鉴（2023）》，由四川人民出版社出版。\n"
    return edited


def put(docs: Path, files: dict[str, str]) -> None:
    shutil.rmtree(docs, ignore_errors=True)
    docs.mkdir(parents=True)
    for name, text in files.items():
        (docs / name).write_text(text, encoding="utf-8")


def outputs(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in OUTPUTS}


def manifest(out: Path) -> bytes | None:
    found = list((out / CACHE_FOLDER).glob("*/build.json"))
    return found[0].read_bytes() if found else None


def leftovers(out: Path) -> list[Path]:
    """Temporary files and staging folders anywhere under ``out``."""
    return [
        p
        for p in out.rglob("*")
        if p.name.endswith(TEMPORARY_SUFFIX) or p.name.startswith(STAGING_PREFIX)
    ]


def group_members(group: int) -> list[int]:
    """Processes still alive in a process group (the build and its workers)."""
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        if fields[0] != "Z" and int(fields[2]) == group:
            members.append(int(entry.name))
    return members


def _staging(out: Path) -> bool:
    try:
        return any(n.startswith(STAGING_PREFIX) for n in os.listdir(out))
    except OSError:
        return False


@dataclass
class Run:
    """What was seen of one build process: when its workers and its staging appeared."""

    seconds: float
    returncode: int | None
    workers_at: float | None = None
    staging_at: float | None = None
    killed_running: bool = False
    orphans: int = 0  # processes of the build still alive 5 s after it ended
    stderr: str = ""


def run_build(
    docs: Path, out: Path, *, kill_after: float | None = None, when: str = "start"
) -> Run:
    """Run `zhi-graph build` in a process group of its own; kill it ``kill_after``
    seconds after ``when`` (start, workers: once it has workers, staging: once it
    writes its outputs)."""
    started = time.monotonic()
    process = subprocess.Popen(
        [str(CLI), "build", str(docs), "--out", str(out), "--workers", "2"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    run = Run(0.0, None)
    deadline: float | None = started + kill_after if when == "start" and kill_after else None
    try:
        while process.poll() is None:
            now = time.monotonic()
            if run.workers_at is None and len(group_members(process.pid)) > 1:
                run.workers_at = now - started
                if when == "workers" and kill_after is not None:
                    deadline = now + kill_after
            if run.staging_at is None and _staging(out):
                run.staging_at = now - started
                if when == "staging" and kill_after is not None:
                    deadline = now + kill_after
            if deadline is not None and now >= deadline:
                run.killed_running = process.poll() is None
                process.kill()
                break
            time.sleep(0.005)
        _, stderr = process.communicate(timeout=300)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    run.seconds = time.monotonic() - started
    run.returncode = process.returncode
    # The build's workers are in its process group: none may outlive it.
    for _ in range(100):
        if not group_members(process.pid):
            break
        time.sleep(0.05)
    survivors = group_members(process.pid)
    run.orphans = len(survivors)
    for pid in survivors:
        os.kill(pid, signal.SIGKILL)
    run.stderr = stderr.decode("utf-8", "replace")
    return run


@dataclass(frozen=True)
class References:
    docs: Path  # holds corpus B
    previous: Path  # a complete build of A
    new: Path  # the build of B over A's build (what a killed build was making)
    clean: Path  # a clean build of B
    measured: Run  # the build of B, observed


@pytest.fixture(scope="module")
def references(tmp_path_factory: pytest.TempPathFactory) -> References:
    root = tmp_path_factory.mktemp("faults")
    docs = root / "docs"
    put(docs, corpus_a())
    first = run_build(docs, root / "previous")
    assert first.returncode == 0, first.stderr
    put(docs, corpus_b())
    shutil.copytree(root / "previous", root / "new")
    measured = run_build(docs, root / "new")
    assert measured.returncode == 0, measured.stderr
    assert measured.workers_at is not None and measured.staging_at is not None, measured
    build([docs], root / "clean", workers=1)
    return References(docs, root / "previous", root / "new", root / "clean", measured)


def test_the_reference_builds_are_usable_and_differ(references: References) -> None:
    previous, new = outputs(references.previous), outputs(references.new)
    assert new == outputs(references.clean)
    assert all(previous[name] != new[name] for name in OUTPUTS)
    for out in (references.previous, references.new):
        assert validate_file(out) == []
        query = subprocess.run(
            [str(CLI), "query", str(out), "ASK { ?s a zhi:Publication }"],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert query.returncode == 0 and "true" in query.stdout.lower(), query


def kill_points(measured: Run) -> list[tuple[str, float]]:
    """Seeded kill moments chosen from the measured build's timing."""
    rng = random.Random(SEED)
    assert measured.staging_at is not None
    writing = max(measured.seconds - measured.staging_at, 0.05)
    return (
        [("start", rng.uniform(0.2, measured.seconds)) for _ in range(KILLS_ANYTIME)]
        + [("workers", rng.uniform(0.0, 0.5)) for _ in range(KILLS_EXTRACTING)]
        + [("staging", rng.uniform(0.0, writing)) for _ in range(KILLS_WRITING)]
    )


def assert_usable(out: Path, references: References) -> str:
    """Each output is the previous build's or the new one's; return which ('A'/'B' each)."""
    previous, new = outputs(references.previous), outputs(references.new)
    state = ""
    for name in OUTPUTS:
        data = (out / name).read_bytes()
        assert data in (previous[name], new[name]), f"{name} is neither build's after a kill"
        state += "A" if data == previous[name] else "B"
    # A manifest vouches for every output: it may only be there with a whole build.
    found = manifest(out)
    if found is not None:
        assert (found, state) in (
            (manifest(references.previous), "AAA"),
            (manifest(references.new), "BBB"),
        ), state
    store = ox.Store()
    store.bulk_load(path=str(out / "graph.ttl"), format=ox.RdfFormat.TURTLE)
    assert len(store) > 0
    return state


def test_a_build_killed_at_any_moment_leaves_a_usable_output(
    references: References, tmp_path: Path
) -> None:
    seen = []
    for number, (when, delay) in enumerate(kill_points(references.measured)):
        out = tmp_path / f"out-{number}"
        shutil.copytree(references.previous, out)
        killed = run_build(references.docs, out, kill_after=delay, when=when)
        for _ in range(RETRIES):
            if killed.killed_running:
                break
            # The build ended before the kill, faster than the measured one (the
            # machine's load changed): the same kind of kill, sooner.
            delay /= 2
            shutil.rmtree(out)
            shutil.copytree(references.previous, out)
            killed = run_build(references.docs, out, kill_after=delay, when=when)
        assert killed.orphans == 0, f"workers outlived a build killed {when} + {delay:.2f} s"
        state = assert_usable(out, references)
        seen.append((when, round(delay, 2), killed.killed_running, state, len(leftovers(out))))
        # The next build completes and equals a clean build; nothing is left behind.
        build([references.docs], out, workers=1)
        assert outputs(out) == outputs(references.clean), (when, delay)
        assert manifest(out) == manifest(references.new)
        assert leftovers(out) == []
        shutil.rmtree(out)
    measured = references.measured
    print(
        f"\nmeasured build: {measured.seconds:.2f} s, workers at {measured.workers_at:.2f} s, "
        f"writing from {measured.staging_at:.2f} s"
    )
    print("kill points (kind, delay s, killed while running, outputs, leftovers):")
    for row in seen:
        print("  ", row)
    # The kill points did hit running builds, some of them while writing.
    assert sum(1 for row in seen if row[2]) >= len(seen) // 2, seen
    assert any(row[0] == "staging" and row[2] for row in seen), seen


# --- Deterministic faults, in process.


def test_a_build_stopped_between_its_renames_leaves_no_manifest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Between the first and the last rename the outputs are mixed: no manifest may
    vouch for them, so that the next build rewrites them all, even for old inputs."""
    docs, out = tmp_path / "docs", tmp_path / "out"
    put(docs, corpus_a())
    build([docs], out, workers=1)
    previous = outputs(out)
    put(docs, corpus_b())

    def dies_after_one_rename(folder: Path, target: Path, names: list[str]) -> list[Path]:
        commit(folder, target, names[:1])
        raise KeyboardInterrupt  # as good as a kill: nothing after this runs

    monkeypatch.setattr("zhi_graph.pipeline.commit", dies_after_one_rename)
    with pytest.raises(KeyboardInterrupt):
        build([docs], out, workers=1)
    monkeypatch.undo()
    mixed = outputs(out)
    assert mixed["graph.ttl"] != previous["graph.ttl"]
    assert mixed["graph.trig"] == previous["graph.trig"]
    assert manifest(out) is None
    put(docs, corpus_a())  # back to the inputs of the complete build
    report = build([docs], out, workers=1)
    assert not report.unchanged
    assert outputs(out) == previous


def _cut_file(part: float) -> Callable[[Path], None]:
    """Cut the cache's database file to ``part`` of its size (what a power cut can
    leave of a file never synced)."""

    def cut(folder: Path) -> None:
        database = folder / DATABASE
        data = database.read_bytes()
        database.write_bytes(data[: int(len(data) * part)])

    return cut


def _update(statement: str) -> Callable[[Path], None]:
    """Change the cache's rows as damaged pages would read."""

    def update(folder: Path) -> None:
        with contextlib.closing(sqlite3.connect(folder / DATABASE, isolation_level=None)) as db:
            db.execute(statement)

    return update


@pytest.mark.parametrize(
    ("damage", "extracted_again"),
    [
        (_cut_file(0), True),  # emptied
        (_cut_file(0.5), True),
        (_cut_file(0.01), True),  # the header page cut
        (lambda folder: (folder / DATABASE).write_bytes(b"not a database" * 100), True),
        (_update("UPDATE extraction SET result = substr(result, 1, length(result) - 3)"), True),
        (_update("UPDATE extraction SET summary = substr(summary, 1, 40)"), True),
        (_update("UPDATE extraction SET summary = zeroblob(length(summary))"), True),
        (_update("UPDATE rdf SET run = substr(run, 1, length(run) - 3)"), False),
        (_update("UPDATE rdf SET trig = substr(trig, 1, 60)"), False),
        (_update("UPDATE rdf SET trig = x'', run = x''"), False),
    ],
)
def test_a_damaged_cache_entry_is_not_trusted(
    tmp_path: Path, damage: Callable[[Path], None], extracted_again: bool
) -> None:
    """What a power cut could leave of the cache (a short file, damaged rows) is made
    again, not used."""
    docs, out = tmp_path / "docs", tmp_path / "out"
    put(docs, corpus_a())
    build([docs], out, workers=1)
    before = outputs(out)
    (folder,) = (out / CACHE_FOLDER).glob("*/")
    damage(folder)
    (folder / "build.json").unlink()
    report = build([docs], out, workers=1)
    assert outputs(out) == before
    assert (report.extracted == len(corpus_a())) is extracted_again
    # What the build made again is whole: the next build takes it all.
    (folder / "build.json").unlink()
    assert build([docs], out, workers=1).extracted == 0


@pytest.mark.parametrize("mask", [0x01, 0x10, 0x80, 0xFF])
def test_any_byte_of_an_entry_changed_fails_to_decompress(mask: int) -> None:
    """Damage the cut-off rows above miss: one byte changed anywhere in a frame,
    which LZ4 alone would mostly read back as other text."""
    data = ('document:ab\\/mention\\/1-2 zhi:text "四川省地方志办公室" .\n' * 40).encode()
    frame = compress(data)
    assert decompress(frame) == data
    for i in range(len(frame)):
        damaged = bytearray(frame)
        damaged[i] ^= mask
        with pytest.raises(RuntimeError):
            decompress(bytes(damaged))


def test_leftovers_of_a_killed_build_are_removed(tmp_path: Path) -> None:
    docs, out = tmp_path / "docs", tmp_path / "out"
    put(docs, corpus_a())
    build([docs], out, workers=1)
    stale = [
        out / f"{STAGING_PREFIX}abc" / "graph.ttl",
        out / f".graph.ttl.x1y2{TEMPORARY_SUFFIX}",
        next((out / CACHE_FOLDER).glob("*/link")) / f".k.pickle.lz4.q{TEMPORARY_SUFFIX}",
    ]
    for path in stale:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"half")
    kept = out / "notes.txt"  # not ours: left alone
    kept.write_text("mine")
    build([docs], out, workers=1)
    assert leftovers(out) == []
    assert kept.read_text() == "mine"


def test_two_builds_into_one_folder_at_once_is_a_clear_error(tmp_path: Path) -> None:
    docs, out = tmp_path / "docs", tmp_path / "out"
    put(docs, corpus_a())
    build([docs], out, workers=1)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl, sys, time; f = open(sys.argv[1], 'a'); "
            "fcntl.flock(f, fcntl.LOCK_EX); print('locked', flush=True); time.sleep(60)",
            str(out / CACHE_FOLDER / "lock"),
        ],
        stdout=subprocess.PIPE,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == b"locked\n"
        done = cli_build(docs, out)
    finally:
        holder.kill()
        holder.wait()
    assert done.returncode == 4
    assert done.stderr == (
        f"error: {out}: another build is writing this folder; wait for it to finish or "
        "choose another --out\n"
    )


# --- Full disk, read-only and unwritable folders: a real file system.


def cli_build(
    docs: Path, out: Path, *prefix: str, workers: int = 1
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*prefix, str(CLI), "build", str(docs), "--out", str(out), "--workers", str(workers)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        env={**os.environ, "COLUMNS": "200"},
    )


@pytest.fixture
def small_disk() -> Iterator[Path]:
    """A tmpfs of 8 MiB, unmounted afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="zhi-graph-disk-"))
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=8m,mode=0755", "zhi-graph-test", str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )
    if mounted.returncode != 0:
        folder.rmdir()
        missing(f"cannot mount a tmpfs ({mounted.stderr.strip()}); run the tests as root")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)
        folder.rmdir()


def fill(disk: Path, leave: int) -> Path:
    """Fill ``disk`` until ``leave`` bytes are free."""
    stats = os.statvfs(disk)
    free = stats.f_bavail * stats.f_frsize
    filler = disk / "filler"
    with filler.open("wb") as stream:
        stream.truncate(0)
        remaining = free - leave
        block = b"\0" * (1 << 20)
        while remaining > 0:
            stream.write(block[: min(remaining, len(block))])
            remaining -= len(block)
    return filler


@pytest.mark.parametrize("workers", [1, 2])  # two: the pool's workers write the graph files
@pytest.mark.parametrize("leave", [16 << 10, 700 << 10, 1600 << 10])
def test_a_full_disk_is_a_clear_error_and_loses_nothing(
    small_disk: Path, tmp_path: Path, leave: int, workers: int
) -> None:
    """16 KiB free fills up in the cache, 700 KiB and 1.6 MiB while writing the outputs."""
    docs, out = tmp_path / "docs", small_disk / "out"
    put(docs, corpus_a())
    first = cli_build(docs, out)
    assert first.returncode == 0, first.stderr
    previous, previous_manifest = outputs(out), manifest(out)
    put(docs, corpus_b())
    filler = fill(small_disk, leave)
    failed = cli_build(docs, out, workers=workers)
    assert failed.returncode == 4, failed.stderr
    lines = failed.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {out}"), failed.stderr
    assert "the disk is full; free some space or choose another --out" in lines[0]
    assert STAGING_PREFIX not in lines[0]  # the folder the user knows, not a temporary one
    assert outputs(out) == previous
    assert manifest(out) == previous_manifest
    assert leftovers(out) == []
    filler.unlink()
    done = cli_build(docs, out)
    assert done.returncode == 0, done.stderr
    build([docs], tmp_path / "clean", workers=1)
    assert outputs(out) == outputs(tmp_path / "clean")


def test_a_read_only_folder_is_a_clear_error(small_disk: Path, tmp_path: Path) -> None:
    docs, out = tmp_path / "docs", small_disk / "out"
    put(docs, corpus_a())
    assert cli_build(docs, out).returncode == 0
    previous = outputs(out)
    put(docs, corpus_b())
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    failed = cli_build(docs, out)
    assert failed.returncode == 4, failed.stderr
    assert failed.stderr == (
        f"error: {out}: cannot write the output folder (Read-only file system; "
        "make the folder writable or choose another --out)\n"
    )
    assert outputs(out) == previous


def test_an_output_path_that_is_a_file_is_a_clear_error(tmp_path: Path) -> None:
    docs, out = tmp_path / "docs", tmp_path / "out"
    put(docs, corpus_a())
    out.write_text("not a folder")
    failed = cli_build(docs, out)
    assert failed.returncode == 4, failed.stderr
    assert failed.stderr.startswith(f"error: {out}: cannot write the output folder (")
    assert len(failed.stderr.splitlines()) == 1
    assert out.read_text() == "not a folder"


def test_a_folder_the_user_may_not_write_is_a_clear_error() -> None:
    """As ``nobody``: root ignores the permission bits."""
    setpriv = shutil.which("setpriv")
    if setpriv is None or os.geteuid() != 0:
        missing("needs root and setpriv (util-linux) to run a build as another user")
    assert setpriv is not None
    root = Path(tempfile.mkdtemp(prefix="zhi-graph-perm-"))
    try:
        root.chmod(0o755)
        docs, out = root / "docs", root / "out"
        put(docs, corpus_a())
        build([docs], out, workers=1)
        previous = outputs(out)
        failed = cli_build(docs, out, setpriv, "--reuid=65534", "--regid=65534", "--clear-groups")
        assert failed.returncode == 4, failed.stderr
        assert failed.stderr == (
            f"error: {out}: cannot write the output folder (Permission denied; "
            "make the folder writable or choose another --out)\n"
        )
        assert outputs(out) == previous
    finally:
        shutil.rmtree(root)
