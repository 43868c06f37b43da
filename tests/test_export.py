"""zhi_graph.export: the corpus merge writes the union of the documents' graphs, in order."""

from __future__ import annotations

import random
import shutil
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from zhi_graph import graphfile, pipeline
from zhi_graph.export import Run, _unique_merge, document_graph, run_groups
from zhi_graph.pipeline import build

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
    assert len(sources) == 5  # the copy's document node has both paths


def test_turtle_is_written_as_from_the_whole_graph_at_once(built: Path) -> None:
    """The merge gives the bytes that sorting the whole union in memory gives."""
    quads = graphfile.read_quads(built / "graph.trig")
    assert graphfile.serialize(quads, graphfile.Syntax.TURTLE) == (built / "graph.ttl").read_bytes()


def test_turtle_is_the_same_when_the_runs_are_merged_in_rounds(
    corpus: Path, built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # (the package exports a function named export: the module is looked up by name)
    monkeypatch.setattr(sys.modules["zhi_graph.export"], "_FAN_IN", 2)
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
    module = sys.modules["zhi_graph.export"]
    monkeypatch.setattr(module, "_MERGE_GROUP", group)
    monkeypatch.setattr(module, "_FAN_IN", fan_in)
    paths = [Path(f"{i:03d}.nt.lz4") for i in range(runs)]
    groups = run_groups(paths, workers)
    assert [len(group) for group in groups] == sizes
    assert [path for group in groups for path in group] == paths


def test_a_pools_workers_merge_the_runs_and_the_bytes_stay_the_same(
    corpus: Path, built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    merged: list[list[Run] | None] = []
    merge_in_workers = pipeline._merge_in_workers

    def recorded(*args: object) -> list[Run] | None:
        found = merge_in_workers(*args)  # type: ignore[arg-type]
        merged.append(found)
        return found

    monkeypatch.setattr(pipeline, "_merge_in_workers", recorded)
    build([corpus], tmp_path, workers=2, html=False)
    assert len(merged) == 1 and merged[0] is not None and len(merged[0]) == 2
    for name in ("graph.ttl", "graph.trig"):
        assert (tmp_path / name).read_bytes() == (built / name).read_bytes()
    # The groups were merged in the staging folder, which went with the build.
    assert not any(p.name.startswith(".staging-") for p in tmp_path.iterdir())


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
