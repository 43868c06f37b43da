"""zhi_graph.validate on graph files of every syntax, and `zhi-graph validate`'s report.

A deliberately broken graph (a region whose adcode is not a code) is written in
every RDF syntax; each must give the same violations, printed with the focus
node's label and IRI, the path as a prefixed name, the message and the severity.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph
from typer.testing import CliRunner

from zhi_graph.cli import app
from zhi_graph.convert import ExportFormat, export
from zhi_graph.graphfile import Syntax
from zhi_graph.validate import check, validate_file

pytestmark = pytest.mark.filterwarnings(
    "ignore:Dataset.default_context is deprecated:DeprecationWarning"
)

LIUZHOU = "https://w3id.org/zhi-graph/id/region/450200"


@pytest.fixture(scope="module")
def broken(two_document_build: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The two-document build with 柳州市's adcode broken, as TriG."""
    text = (two_document_build / "graph.trig").read_text(encoding="utf-8")
    assert text.count('zhi:adcode "450200"') >= 1
    path = tmp_path_factory.mktemp("broken") / "graph.trig"
    path.write_text(text.replace('zhi:adcode "450200"', 'zhi:adcode "4502"'), encoding="utf-8")
    return path


def written_as(source: Path, syntax: Syntax, folder: Path) -> Path:
    path = folder / f"graph{ExportFormat(syntax.value).suffix}"
    export(source, ExportFormat(syntax.value), path)
    return path


@pytest.mark.parametrize("syntax", list(Syntax), ids=str)
def test_every_syntax_gives_the_same_violations(
    broken: Path, syntax: Syntax, tmp_path: Path
) -> None:
    found = validate_file(written_as(broken, syntax, tmp_path))
    assert {(v.label, v.focus, v.path, v.severity) for v in found} == {
        ("柳州市", LIUZHOU, "", "Violation"),  # the IRI disagrees with the adcode
        ("柳州市", LIUZHOU, "zhi:adcode", "Violation"),  # not six or nine digits
    }
    assert found == validate_file(broken)


@pytest.mark.parametrize("syntax", list(Syntax), ids=str)
def test_validate_prints_each_violation_readably_and_exits_5(
    runner: CliRunner, broken: Path, syntax: Syntax, tmp_path: Path
) -> None:
    path = written_as(broken, syntax, tmp_path)
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 5
    blocks = result.stdout.strip().split("\n\n")
    assert len(blocks) == 2
    for block in blocks:
        lines = block.splitlines()
        assert lines[0] == f"[Violation] 柳州市 <{LIUZHOU}>"
        assert lines[1].startswith("    path: ") and lines[2].startswith("    message: ")
    assert "    path: zhi:adcode" in result.stdout
    assert "    path: (the node itself)" in result.stdout
    assert "(adcode 4502)" in result.stdout
    assert f"{path}: 2 violation(s)" in " ".join(result.stderr.split())


@pytest.mark.parametrize("fast", [True, False], ids=["fast", "pyshacl"])
def test_check_takes_a_graph_file_or_a_build_folder(
    broken: Path, two_document_build: Path, fast: bool
) -> None:
    assert check(broken, fast=fast) == validate_file(broken, fast=fast) != []
    assert check(two_document_build, fast=fast) == []


@pytest.mark.parametrize("syntax", list(Syntax), ids=str)
def test_a_good_graph_conforms_in_every_syntax(
    runner: CliRunner, two_document_build: Path, syntax: Syntax, tmp_path: Path
) -> None:
    path = written_as(two_document_build, syntax, tmp_path)
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"{path}: conforms"


def test_a_build_folder_is_validated_from_its_trig(
    runner: CliRunner, two_document_build: Path
) -> None:
    result = runner.invoke(app, ["validate", str(two_document_build)])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("graph.gexf", "unknown graph file suffix '.gexf'; give a file ending in one of .ttl"),
        ("graph", "unknown graph file suffix '(none)'"),
        ("graph.nt", "cannot parse the graph as NTRIPLES"),
        ("graph.rdf", "cannot parse the graph as RDFXML"),
    ],
)
def test_unreadable_files_exit_2_with_one_line(
    runner: CliRunner, tmp_path: Path, name: str, words: str
) -> None:
    path = tmp_path / name
    path.write_text("<a> <b> <c> <d> <e> .\n", encoding="utf-8")
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {path}: {words}")
    assert len(result.stderr.strip().splitlines()) == 1


SEVERITY_SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix zhi: <https://w3id.org/zhi-graph/ontology#> .
zhi:LongCodes a sh:NodeShape ; sh:targetClass zhi:Region ;
    sh:property [ sh:path zhi:adcode ; sh:minLength 9 ; sh:severity sh:Warning ;
                  sh:message "Short code." ] .
zhi:NoLevel a sh:NodeShape ; sh:targetClass zhi:Region ; sh:severity sh:Info ;
    sh:message "Region {$this} has no level." ;
    sh:sparql [ sh:select \"\"\"PREFIX zhi: <https://w3id.org/zhi-graph/ontology#>
        SELECT $this WHERE { $this a zhi:Region FILTER NOT EXISTS { $this zhi:level ?l } }\"\"\" ] .
"""
REGION = """
@prefix zhi: <https://w3id.org/zhi-graph/ontology#> .
<https://w3id.org/zhi-graph/id/region/450200> a zhi:Region ; zhi:adcode "450200" .
"""


@pytest.mark.parametrize("fast", [True, False], ids=["fast", "pyshacl"])
def test_severity_is_the_shapes_own(tmp_path: Path, fast: bool) -> None:
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(SEVERITY_SHAPES, encoding="utf-8")
    found = check(Graph().parse(data=REGION, format="turtle"), fast=fast, shapes=shapes)
    assert sorted((v.severity, v.path, v.message) for v in found) == [
        ("Info", "", f"Region {LIUZHOU} has no level."),
        ("Warning", "zhi:adcode", "Short code."),
    ]
