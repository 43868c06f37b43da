"""zhi_graph.export: the corpus merge writes the union of the documents' graphs, in order."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from zhi_graph import graphfile
from zhi_graph.export import document_graph
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
