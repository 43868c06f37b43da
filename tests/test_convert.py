"""zhi_graph.convert and `zhi-graph export`: every RDF export round-trips.

Each RDF file is parsed back by rdflib and by an independent parser (Raptor's
``rapper`` for Turtle, TriG, N-Quads, N-Triples and RDF/XML; pyoxigraph's
JSON-LD parser for JSON-LD) and must be isomorphic to the source: graph by
graph for the syntaxes with named graphs, the union for the others.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from typer.testing import CliRunner

from zhi_graph.cli import app
from zhi_graph.convert import ExportFormat, export
from zhi_graph.errors import InputError
from zhi_graph.graphfile import Syntax

# rdflib's parsers still reach for its own deprecated Dataset API.
pytestmark = [
    pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning"),
    pytest.mark.filterwarnings("ignore:Dataset.default_context is deprecated:DeprecationWarning"),
]


def rapper() -> str:
    """Raptor's parser: skipped when missing on a developer's machine, a failure in CI."""
    found = shutil.which("rapper")
    if found is None:
        message = "rapper not found; install it with `apt-get install raptor2-utils`"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return found


RDFLIB_FORMAT = {
    Syntax.TURTLE: "turtle",
    Syntax.TRIG: "trig",
    Syntax.NQUADS: "nquads",
    Syntax.NTRIPLES: "nt",
    Syntax.JSONLD: "json-ld",
    Syntax.RDFXML: "xml",
}
RAPPER_FORMAT = {
    Syntax.TURTLE: "turtle",
    Syntax.TRIG: "trig",
    Syntax.NQUADS: "nquads",
    Syntax.NTRIPLES: "ntriples",
    Syntax.RDFXML: "rdfxml",
}


def source_dataset(folder: Path) -> Dataset:
    dataset = Dataset()
    dataset.parse(folder / "graph.trig", format="trig")
    return dataset


def named_graphs(dataset: Dataset) -> dict[str, Graph]:
    """Graph name -> graph, for every graph holding triples (the default one included)."""
    found = {}
    for graph in dataset.graphs():
        if len(graph):
            found[str(graph.identifier)] = Graph().__iadd__(graph)
    return found


def union(dataset: Dataset) -> Graph:
    graph = Graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        graph.add((s, p, o))
    return graph


def assert_same(parsed: Dataset, source: Dataset, syntax: Syntax) -> None:
    if syntax.has_graphs:
        ours, theirs = named_graphs(parsed), named_graphs(source)
        assert sorted(ours) == sorted(theirs)
        assert all(name.startswith("https://w3id.org/zhi-graph/id/document/") for name in ours)
        for name, graph in theirs.items():
            assert isomorphic(ours[name], graph), name
    else:
        assert isomorphic(union(parsed), union(source))


def exported(folder: Path, syntax: Syntax, tmp_path: Path) -> Path:
    destination = tmp_path / f"graph.{syntax.value}"
    export(folder, ExportFormat(syntax.value), destination)
    return destination


@pytest.mark.parametrize("syntax", list(Syntax), ids=str)
def test_rdflib_reads_back_the_same_graphs(
    build_folder: Path, syntax: Syntax, tmp_path: Path
) -> None:
    path = exported(build_folder, syntax, tmp_path)
    parsed = Dataset()
    parsed.parse(path, format=RDFLIB_FORMAT[syntax])
    assert len(list(parsed.quads((None, None, None, None)))) > 100
    assert_same(parsed, source_dataset(build_folder), syntax)


@pytest.mark.parametrize("syntax", [s for s in Syntax if s in RAPPER_FORMAT], ids=str)
def test_rapper_reads_back_the_same_graphs(
    build_folder: Path, syntax: Syntax, tmp_path: Path
) -> None:
    path = exported(build_folder, syntax, tmp_path)
    done = subprocess.run(
        [rapper(), "-q", "-i", RAPPER_FORMAT[syntax], "-o", "nquads", str(path)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Error" not in done.stderr, done.stderr
    parsed = Dataset()
    parsed.parse(data=done.stdout, format="nquads")
    assert_same(parsed, source_dataset(build_folder), syntax)


def test_pyoxigraph_expands_the_jsonld_to_the_same_graphs(
    build_folder: Path, tmp_path: Path
) -> None:
    path = exported(build_folder, Syntax.JSONLD, tmp_path)
    quads = ox.parse(path=path, format=ox.RdfFormat.JSON_LD)
    nquads = ox.serialize(quads, format=ox.RdfFormat.N_QUADS)
    assert nquads is not None
    parsed = Dataset()
    parsed.parse(data=nquads.decode("utf-8"), format="nquads")
    assert_same(parsed, source_dataset(build_folder), Syntax.JSONLD)


def test_jsonld_is_compacted_with_the_published_context(
    two_document_build: Path, tmp_path: Path
) -> None:
    path = exported(two_document_build, Syntax.JSONLD, tmp_path)
    document = json.loads(path.read_text(encoding="utf-8"))
    published = json.loads(
        (Path(__file__).parent.parent / "ontology" / "context.jsonld").read_text(encoding="utf-8")
    )
    assert document["@context"] == published["@context"]
    graphs = document["graph"]
    assert len(graphs) == 2 and all(set(g) == {"id", "graph"} for g in graphs)
    text = path.read_text(encoding="utf-8")
    for key in ('"label"', '"altLabel"', '"receivedAward"', '"year"', '"evidence"', '"type"'):
        assert key in text
    assert "柳州年鉴（2022）" in text  # Chinese as written, not \\u escapes
    assert "http://www.w3.org/2000/01/rdf-schema#label" not in text
    assert '"Yearbook"' in text and '"2024"' in text


def test_turtle_export_is_the_build_turtle_byte_for_byte(
    build_folder: Path, tmp_path: Path
) -> None:
    path = exported(build_folder, Syntax.TURTLE, tmp_path)
    assert path.read_bytes() == (build_folder / "graph.ttl").read_bytes()
    head = path.read_text(encoding="utf-8").splitlines()[:3]
    assert all(line.startswith("@prefix ") for line in head)


@pytest.mark.parametrize("fmt", list(ExportFormat), ids=str)
def test_exporting_twice_gives_identical_bytes(
    two_document_build: Path, fmt: ExportFormat, tmp_path: Path
) -> None:
    one, two = tmp_path / f"one{fmt.suffix}", tmp_path / f"two{fmt.suffix}"
    export(two_document_build, fmt, one)
    export(two_document_build, fmt, two)
    if fmt is ExportFormat.CSV:
        for name in ("entities.csv", "relations.csv", "awards.csv"):
            assert (one / name).read_bytes() == (two / name).read_bytes()
    else:
        assert one.read_bytes() == two.read_bytes()


@pytest.mark.parametrize("syntax", list(Syntax), ids=str)
def test_an_export_can_be_exported_again(
    two_document_build: Path, syntax: Syntax, tmp_path: Path
) -> None:
    """Any graph file is an input: exporting the export gives the same bytes."""
    first = exported(two_document_build, syntax, tmp_path)
    again = tmp_path / "again" / first.name
    export(first, ExportFormat(syntax.value), again)
    assert again.read_bytes() == first.read_bytes()


# rdflib made unimportable, then the command line.
_WITHOUT_RDFLIB = """
import sys
sys.modules["rdflib"] = None
from zhi_graph.cli import app
sys.argv[0] = "zhi-graph"
app()
"""


@pytest.mark.parametrize(
    "fmt", [ExportFormat(s.value) for s in Syntax if s is not Syntax.JSONLD], ids=str
)
def test_an_rdf_export_imports_rdflib_only_for_json_ld(
    two_document_build: Path, fmt: ExportFormat, tmp_path: Path
) -> None:
    """rdflib takes a tenth of a second to import: of the RDF syntaxes, only JSON-LD is
    written with it (the tables of csv, GraphML and GEXF name rdflib's terms)."""
    target = tmp_path / f"graph{fmt.suffix}"
    arguments = ["export", str(two_document_build), "-o", str(target), "--format", fmt.value]
    done = subprocess.run(
        [sys.executable, "-c", _WITHOUT_RDFLIB, *arguments],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert target.exists()


# --- the command ------------------------------------------------------------------


def test_export_defaults_to_turtle_and_says_what_it_wrote(
    runner: CliRunner, two_document_build: Path, tmp_path: Path
) -> None:
    target = tmp_path / "graph.ttl"
    result = runner.invoke(app, ["export", str(two_document_build), "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert f"from {two_document_build / 'graph.trig'}" in result.stdout
    assert f"wrote {target}" in result.stdout
    assert Graph().parse(target, format="turtle")


def test_export_csv_writes_three_tables_into_a_folder(
    runner: CliRunner, two_document_build: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "tables"
    result = runner.invoke(
        app, ["export", str(two_document_build), "--format", "csv", "-o", str(folder)]
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in folder.iterdir()) == [
        "awards.csv",
        "entities.csv",
        "relations.csv",
    ]


@pytest.mark.parametrize(
    ("args", "code", "words"),
    [
        pytest.param(["--format", "pdf"], 2, "unknown format 'pdf'", id="unknown-format"),
        pytest.param([], 2, "no graph.trig in this folder", id="folder-without-build"),
    ],
)
def test_export_input_errors_exit_2_with_one_clear_line(
    runner: CliRunner, tmp_path: Path, args: list[str], code: int, words: str
) -> None:
    folder = tmp_path / "empty"
    folder.mkdir()
    result = runner.invoke(app, ["export", str(folder), *args, "-o", str(tmp_path / "x.ttl")])
    assert result.exit_code == code
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and words in lines[0]
    assert not (tmp_path / "x.ttl").exists()


@pytest.mark.parametrize(
    ("name", "words"),
    [
        pytest.param("graph.pdf", "unknown graph file suffix '.pdf'", id="unknown-suffix"),
        pytest.param("graph.ttl", "cannot parse the graph as TURTLE", id="broken-turtle"),
        pytest.param("graph.jsonld", "cannot parse the graph as JSONLD", id="broken-jsonld"),
    ],
)
def test_export_of_an_unreadable_graph_file_exits_2_naming_it(
    runner: CliRunner, tmp_path: Path, name: str, words: str
) -> None:
    source = tmp_path / name
    source.write_text("this is not { a graph", encoding="utf-8")
    result = runner.invoke(app, ["export", str(source), "-o", str(tmp_path / "out.nt")])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {source}: {words}")


@pytest.mark.parametrize("fmt", ["ttl", "csv", "gexf"])
def test_export_to_an_unwritable_place_exits_4(
    runner: CliRunner, two_document_build: Path, tmp_path: Path, fmt: str
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    target = blocker / "inside" / "graph"
    result = runner.invoke(app, ["export", str(two_document_build), "-f", fmt, "-o", str(target)])
    assert result.exit_code == 4, result.output
    assert result.stderr.startswith("error: ")
    assert str(blocker) in result.stderr
    assert blocker.read_text(encoding="utf-8") == "not a folder"


@pytest.mark.parametrize("fmt", ["jsonld", "csv"])
def test_a_failed_export_leaves_the_previous_files_and_no_partial_one(
    runner: CliRunner,
    two_document_build: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    fmt: str,
) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    target = folder / ("tables" if fmt == "csv" else "graph.jsonld")
    previous = folder / "tables" / "entities.csv" if fmt == "csv" else target
    previous.parent.mkdir(exist_ok=True)
    previous.write_text("previous export", encoding="utf-8")
    before = sorted(folder.rglob("*"))

    def full_disk(source: str, destination: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    result = runner.invoke(app, ["export", str(two_document_build), "-f", fmt, "-o", str(target)])

    assert result.exit_code == 4
    assert "No space left on device" in result.stderr
    assert previous.read_text(encoding="utf-8") == "previous export"
    assert sorted(folder.rglob("*")) == before  # no temporary file left behind


def test_export_to_an_existing_folder_asks_for_a_file_name(
    runner: CliRunner, two_document_build: Path, tmp_path: Path
) -> None:
    result = runner.invoke(
        app, ["export", str(two_document_build), "-f", "nt", "-o", str(tmp_path)]
    )
    assert result.exit_code == 4
    assert "graph.nt" in result.stderr


def test_graph_names_are_document_iris(two_document_build: Path, tmp_path: Path) -> None:
    path = exported(two_document_build, Syntax.NQUADS, tmp_path)
    names = {line.rsplit(" ", 2)[-2] for line in path.read_text(encoding="utf-8").splitlines()}
    assert len(names) == 2
    assert all(
        URIRef(n.strip("<>")).startswith("https://w3id.org/zhi-graph/id/document/") for n in names
    )


def test_every_jsonld_key_of_a_build_is_a_context_term(build_folder: Path, tmp_path: Path) -> None:
    """No full IRI and no prefixed name as a key: the context covers all a build writes."""
    path = exported(build_folder, Syntax.JSONLD, tmp_path)
    document = json.loads(path.read_text(encoding="utf-8"))
    context = document.pop("@context")
    keys: set[str] = set()

    def walk(value: object) -> None:
        if isinstance(value, dict):
            keys.update(value)
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(document)
    assert keys and all(key in context or key.startswith("@") for key in keys), sorted(
        k for k in keys if k not in context
    )


@pytest.mark.parametrize("syntax", list(Syntax), ids=str)
def test_datatypes_survive_every_export(
    two_document_build: Path, syntax: Syntax, tmp_path: Path
) -> None:
    """Offsets stay xsd:nonNegativeInteger and years xsd:gYear (pyoxigraph's store would
    turn the offsets into xsd:integer, so the writers must not go through it)."""
    parsed = Dataset()
    parsed.parse(exported(two_document_build, syntax, tmp_path), format=RDFLIB_FORMAT[syntax])
    types = {
        (str(p).rsplit("#", 1)[-1], str(o.datatype).rsplit("#", 1)[-1])
        for _, p, o, _ in parsed.quads((None, None, None, None))
        if isinstance(o, Literal) and o.datatype is not None
    }
    assert types == {
        ("startOffset", "nonNegativeInteger"),
        ("endOffset", "nonNegativeInteger"),
        ("characterCount", "nonNegativeInteger"),
        ("year", "gYear"),
    }


@pytest.mark.parametrize(
    ("name", "suffix"), [("jsonld", ".jsonld"), ("TTL", ".ttl"), (" nquads ", ".nq")]
)
def test_the_library_takes_a_format_by_its_name(
    build_folder: Path, tmp_path: Path, name: str, suffix: str
) -> None:
    target = tmp_path / f"graph{suffix}"
    report = export(build_folder, name, target)
    assert report.files == [target] and target.stat().st_size > 0


def test_the_library_names_the_formats_for_an_unknown_one(
    build_folder: Path, tmp_path: Path
) -> None:
    with pytest.raises(InputError, match="unknown format 'pdf'; choose one of ttl, trig"):
        export(build_folder, "pdf", tmp_path / "graph.pdf")
    assert not (tmp_path / "graph.pdf").exists()
