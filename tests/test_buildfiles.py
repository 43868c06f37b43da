"""zhi_graph.buildfiles: the corpus merge writes the union of the documents' graphs, in order."""

from __future__ import annotations

import errno
import itertools
import os
import random
import shutil
import sqlite3
import sys
from pathlib import Path

import lz4.frame
import pyoxigraph as ox
import pytest

from zhi_graph import graphfile, pipeline
from zhi_graph.buildfiles import (
    Run,
    _append,
    _lines_between,
    _unique_merge,
    document_graph,
    graph_errors,
    merge_runs,
    run_groups,
    union_ranges,
)
from zhi_graph.errors import OutputError
from zhi_graph.pipeline import build
from zhi_graph.rdf.build import OWN_FROM, OWN_UNTIL

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "corpus" / "000_56e6aeb4e85b6bad.txt"
CASES = sorted((ROOT / "tests" / "cases").glob("*/input.txt"))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample, the test cases, and one of them again under another name (the same
    bytes: one document IRI, two graphs' worth of lines to merge)."""
    folder = tmp_path_factory.mktemp("corpus")
    shutil.copy(SAMPLE, folder / SAMPLE.name)
    for case in CASES:
        shutil.copy(case, folder / f"{case.parent.name}.txt")
    shutil.copy(CASES[0], folder / "copy.txt")
    return folder


def _triples(path: Path) -> set[tuple[str, str, str]]:
    return {
        (str(q.subject), q.predicate.value, str(q.object))
        for q in ox.parse(path=str(path), format=ox.RdfFormat.TRIG)
    }


@pytest.fixture(scope="module")
def built(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("out")
    build([corpus], out, workers=1, html=False)
    return out


def test_turtle_is_the_union_of_the_documents_graphs(built: Path) -> None:
    union = _triples(built / "graph.trig")
    assert union == _triples(built / "graph.ttl")
    sources = {o for _, p, o in union if p.endswith("#sourcePath")}
    # the sample and each case; the copy's document node has both paths
    assert len(sources) == 2 + len(CASES)


def test_turtle_is_written_as_from_the_whole_graph_at_once(built: Path) -> None:
    """The merge gives the bytes that sorting the whole union in memory gives."""
    quads = graphfile.read_quads(built / "graph.trig")
    assert graphfile.serialize(quads, graphfile.Syntax.TURTLE) == (built / "graph.ttl").read_bytes()


def test_turtle_is_the_same_when_the_runs_are_merged_in_rounds(
    corpus: Path, built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # (the package exports a function named export: the module is looked up by name)
    monkeypatch.setattr(sys.modules["zhi_graph.buildfiles"], "_FAN_IN", 2)
    build([corpus], tmp_path, workers=1, html=False)
    for name in ("graph.ttl", "graph.trig"):
        assert (tmp_path / name).read_bytes() == (built / name).read_bytes()


@pytest.mark.parametrize(
    ("runs", "workers", "group", "fan_in", "sizes"),
    [
        (0, 2, 32, 128, []),
        (1, 2, 32, 128, [1]),
        (5, 2, 32, 128, [3, 2]),
        (10, 3, 32, 128, [4, 4, 2]),
        (475, 2, 32, 128, [32] * 14 + [27]),  # no group above _MERGE_GROUP
        (9, 2, 32, 2, [2, 2, 2, 2, 1]),  # nor above the fan-in
    ],
)
def test_runs_are_cut_into_a_group_per_worker_at_least(
    runs: int,
    workers: int,
    group: int,
    fan_in: int,
    sizes: list[int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    module = sys.modules["zhi_graph.buildfiles"]
    monkeypatch.setattr(module, "_MERGE_GROUP", group)
    monkeypatch.setattr(module, "_FAN_IN", fan_in)
    paths = [Path(f"{i:03d}.nt.lz4") for i in range(runs)]
    groups = run_groups(paths, workers)
    assert [len(group) for group in groups] == sizes
    assert [path for group in groups for path in group] == paths


@pytest.mark.parametrize(
    ("workers", "settings"),
    [
        (2, {}),
        # a subject sampled every 256 bytes: the union is cut in as many ranges as workers
        (3, {"_SAMPLE_BYTES": 256}),
        # groups of two runs, merged by each range's task in rounds of two
        (2, {"_SAMPLE_BYTES": 256, "_MERGE_GROUP": 2, "_FAN_IN": 2}),
    ],
)
def test_a_pools_workers_write_the_graph_files_and_the_bytes_stay_the_same(
    workers: int,
    settings: dict[str, int],
    corpus: Path,
    built: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name, value in settings.items():  # forked workers inherit them
        monkeypatch.setattr(sys.modules["zhi_graph.buildfiles"], name, value)
    written: list[bool] = []
    graph_in_workers = pipeline._graph_in_workers

    def recorded(*args: object) -> bool:
        found = graph_in_workers(*args)  # type: ignore[arg-type]
        written.append(found)
        return found

    monkeypatch.setattr(pipeline, "_graph_in_workers", recorded)
    build([corpus], tmp_path, workers=workers, html=False)
    assert written == [True]
    for name in ("graph.ttl", "graph.trig"):
        assert (tmp_path / name).read_bytes() == (built / name).read_bytes()
    # The files were written in the staging folder, which went with the build.
    assert sorted(p.name for p in tmp_path.iterdir()) == [".cache", "graph.trig", "graph.ttl"]


def test_files_with_the_same_bytes_follow_in_path_order_whatever_the_cache_holds(
    tmp_path: Path,
) -> None:
    """The cache stores z.txt's graph before a.txt's when z.txt was built first; the
    files still list a.txt's graph first, as a fresh build does."""
    docs = tmp_path / "docs"
    docs.mkdir()
    text = CASES[0].read_bytes()
    (docs / "z.txt").write_bytes(text)
    grown, fresh = tmp_path / "grown", tmp_path / "fresh"
    build([docs], grown, workers=1, html=False)
    (docs / "a.txt").write_bytes(text)
    build([docs], grown, workers=1, html=False)
    build([docs], fresh, workers=1, html=False)
    trig = (grown / "graph.trig").read_text(encoding="utf-8")
    assert trig.index('schema:name "a.txt"') < trig.index('schema:name "z.txt"')
    for name in ("graph.ttl", "graph.trig"):
        assert (grown / name).read_bytes() == (fresh / name).read_bytes()


ENTITY = "<https://w3id.org/zhi-graph/id/award/1>"
DOCUMENT = "<https://w3id.org/zhi-graph/id/document/ab>"
MENTION = "<https://w3id.org/zhi-graph/id/document/ab/mention/1-2>"
REGION = "<https://w3id.org/zhi-graph/id/region/1>"
LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"


@pytest.mark.parametrize(
    ("before", "own", "after"),
    [
        ([ENTITY], [], []),
        ([ENTITY], [DOCUMENT, MENTION], [REGION]),
        ([], [DOCUMENT], [REGION]),
        ([], [], [REGION]),
    ],
)
def test_a_documents_graph_keeps_its_own_statements_apart(
    before: list[str], own: list[str], after: list[str]
) -> None:
    nodes = {subject: {LABEL: ['"x"']} for subject in [*after, *own, *before]}
    graph = document_graph("https://w3id.org/zhi-graph/id/document/ab", nodes)
    start, end = graph.own
    statements = graph.trig[start:end].decode()
    assert statements == "".join(f'\t{_turtle(s)} rdfs:label "x" .\n' for s in sorted(own))
    assert graph.trig.decode().startswith("document:ab {\n")
    assert graph.run.decode() == "".join(f'{s} {LABEL} "x" .\n' for s in [*before, *after])


def _turtle(subject: str) -> str:
    return {
        DOCUMENT: "document:ab",
        MENTION: "document:ab\\/mention\\/1-2",
    }[subject]


def _blocks(lines: list[bytes], size: int) -> list[list[bytes]]:
    return [lines[i : i + size] for i in range(0, len(lines), size)]


@pytest.mark.parametrize(
    ("runs", "size"),
    [
        ([[b"a", b"c"], [b"b", b"c", b"d"]], 1),
        ([[b"a", b"c"], [b"b", b"c", b"d"]], 10),
        ([[], [b"a"], []], 1),
        ([[b"x"], [b"x"], [b"x"]], 1),
        ([[b"a", b"b", b"c", b"d"], [b"e"]], 1),  # one run wholly first
        ([[b"e"], [b"a", b"b", b"c", b"d"]], 3),
        ([], 1),
    ],
)
def test_unique_merge_merges_sorted_runs_each_line_once(runs: list[list[bytes]], size: int) -> None:
    merged = list(_unique_merge([_blocks(run, size) for run in runs]))
    assert b"".join(merged) == b"".join(sorted({line + b"\n" for run in runs for line in run}))
    assert all(chunk.endswith(b"\n") for chunk in merged)  # whole lines, no empty chunk


def test_unique_merge_keeps_order_across_many_blocks_and_skips_empty_ones() -> None:
    rng = random.Random(7)
    runs = [sorted({f"{rng.randrange(500):04d}".encode() for _ in range(200)}) for _ in range(9)]
    blocked = [[[], *_blocks(run, rng.randrange(1, 40)), []] for run in runs]
    merged = b"".join(_unique_merge(blocked))
    assert merged == b"".join(sorted({line + b"\n" for run in runs for line in run}))


@pytest.mark.parametrize(
    ("start", "stop", "size", "expected"),
    [
        (None, None, 2, [b"a", b"b", b"c", b"d", b"e"]),
        (b"b", None, 2, [b"b", b"c", b"d", b"e"]),
        (b"bb", None, 1, [b"c", b"d", b"e"]),  # between lines
        (None, b"d", 2, [b"a", b"b", b"c"]),
        (b"b", b"d", 1, [b"b", b"c"]),
        (b"b", b"d", 10, [b"b", b"c"]),
        (b"f", None, 2, []),
        (None, b"a", 2, []),
    ],
)
def test_lines_between_cuts_a_run_to_a_range(
    start: bytes | None, stop: bytes | None, size: int, expected: list[bytes]
) -> None:
    blocks = _blocks([b"a", b"b", b"c", b"d", b"e"], size)
    assert [line for block in _lines_between(iter(blocks), start, stop) for line in block] == (
        expected
    )


ENTITIES = OWN_UNTIL.encode()  # the first subject after the documents' own would sort here


@pytest.mark.parametrize(
    ("samples", "count", "cuts"),
    [
        ([], 2, []),
        ([b"<a>"], 2, []),  # before the documents' own subjects: no cut among the entities
        ([ENTITIES + b"1>", ENTITIES + b"2>"], 2, [ENTITIES + b"2> "]),
        ([ENTITIES + b"2>", ENTITIES + b"1>"], 1, []),
        ([ENTITIES + b"1>"] * 6, 3, [ENTITIES + b"1> "]),  # one subject: one cut
        (
            [ENTITIES + f"{i}>".encode() for i in range(9)],
            3,
            [ENTITIES + b"3> ", ENTITIES + b"6> "],
        ),
    ],
)
def test_union_ranges_cut_the_entities_after_the_documents_by_samples(
    samples: list[bytes], count: int, cuts: list[bytes]
) -> None:
    bounds: list[bytes | None] = [ENTITIES, *cuts, None]
    assert union_ranges(samples, count) == [
        (None, OWN_FROM.encode()),
        *itertools.pairwise(bounds),
    ]


def test_merge_runs_names_the_subject_of_a_line_every_sample_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys.modules["zhi_graph.buildfiles"], "_SAMPLE_BYTES", 40)
    lines = [f"<s{i:02d}> <p> {'o' * (i % 7)} .".encode() for i in range(30)]
    runs = []
    for i, run in enumerate([lines[0::2], lines[1::2], lines[5:9]]):
        path = tmp_path / f"run-{i}.nt.lz4"
        path.write_bytes(lz4.frame.compress(b"".join(line + b"\n" for line in run)))
        runs.append(Run(str(path)))
    merged = merge_runs(runs, str(tmp_path / "merged.nt.lz4"))
    text = b"".join(line + b"\n" for line in lines)
    assert lz4.frame.decompress(Path(merged.target).read_bytes()) == text
    # the subject of the line holding byte 0, 40, 80, ...
    expected = [
        text[: text.index(b"\n", at) + 1].rsplit(b"\n", 2)[-2].split(b" ")[0]
        for at in range(0, len(text), 40)
    ]
    assert merged.samples == expected


def _refused(code: int) -> object:
    def copy_file_range(*_: object) -> int:
        raise OSError(code, os.strerror(code))

    return copy_file_range


def _one_byte_then_nothing() -> object:
    calls = []

    def copy_file_range(source: int, sink: int, count: int) -> int:
        calls.append(count)
        return os.write(sink, os.pread(source, 1, 0)) if len(calls) == 1 else 0

    return copy_file_range


@pytest.mark.parametrize(
    "replacement",
    [
        None,  # the kernel's copy
        _refused(errno.EXDEV),  # between two file systems, on old kernels
        _refused(errno.ENOSYS),
        _one_byte_then_nothing(),  # the rest through Python
        "missing",  # not on this platform
    ],
)
def test_append_copies_a_file_to_the_end_of_a_stream(
    replacement: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if replacement == "missing":
        monkeypatch.delattr(os, "copy_file_range", raising=False)
    elif replacement is not None:
        monkeypatch.setattr(os, "copy_file_range", replacement)
    data = bytes(range(256)) * 5000
    (tmp_path / "source").write_bytes(data)
    with open(tmp_path / "sink", "wb") as sink, open(tmp_path / "source", "rb") as source:
        sink.write(b"head")
        sink.flush()
        _append(source, sink)
    assert (tmp_path / "sink").read_bytes() == b"head" + data


def test_append_names_a_copy_that_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "copy_file_range", _refused(errno.EIO))
    (tmp_path / "source").write_bytes(b"x" * 10)
    with (
        open(tmp_path / "sink", "wb") as sink,
        open(tmp_path / "source", "rb") as source,
        pytest.raises(OSError, match="Input/output error"),
    ):
        _append(source, sink)


@pytest.mark.parametrize(
    ("raised", "says"),
    [
        (OSError(errno.ENOSPC, "No space left"), "cannot write the graph (the disk is full"),
        (OSError(errno.EACCES, "Permission denied"), "make the folder writable"),
        (sqlite3.DatabaseError("not a database"), "delete its .cache folder and build again"),
    ],
)
def test_a_failed_graph_write_names_the_folder_and_the_fix(
    tmp_path: Path, raised: Exception, says: str
) -> None:
    with pytest.raises(OutputError) as error, graph_errors(tmp_path):
        raise raised
    assert says in error.value.message
    assert error.value.path == tmp_path


def test_other_errors_pass_through_the_graph_writers() -> None:
    with pytest.raises(KeyError), graph_errors(Path("out")):
        raise KeyError("a bug, not the disk")
