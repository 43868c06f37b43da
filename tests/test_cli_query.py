"""``zhi-graph query``: formats, --file, --store, errors (exit code and output)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import Graph
from rich.cells import cell_len
from typer.testing import CliRunner, Result

from zhi_graph.cli import app

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ROOT / "queries"
COUNT_YEARBOOKS = "SELECT (COUNT(*) AS ?n) WHERE { ?x a zhi:Yearbook }"


@pytest.fixture(scope="module")
def out(sample_build: tuple[Result, Path]) -> Path:
    result, folder = sample_build
    assert result.exit_code == 0, result.output
    return folder


def query(runner: CliRunner, *args: str) -> Result:
    return runner.invoke(app, ["query", *args])


def test_default_table_aligns_chinese_labels(runner: CliRunner, out: Path) -> None:
    result = query(runner, str(out), "--file", str(QUERIES / "yearbook_awards.rq"))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[-1] == "(15 rows)"
    rows = [line for line in lines if "年鉴（" in line]
    assert len(rows) == 15
    assert any("成都年鉴（2023）" in r and "中国精品年鉴" in r for r in rows)
    # rich counts a Chinese character as two columns: every row ends at the same column,
    # and the column separators are at the same display positions in every row.
    assert len({cell_len(line) for line in lines[:-1]}) == 1
    separators = {
        tuple(cell_len(line[:i]) for i, ch in enumerate(line) if ch == "│") for line in rows
    }
    assert len(separators) == 1
    assert result.stderr == ""


def test_table_shows_prefixed_names_and_plain_literals(runner: CliRunner, out: Path) -> None:
    sparql = (
        "SELECT ?r ?label ?level WHERE "
        '{ ?r zhi:adcode "510100" ; rdfs:label ?label ; zhi:level ?level }'
    )
    result = query(runner, str(out), sparql)
    assert result.exit_code == 0, result.output
    assert "region:510100" in result.stdout
    assert "成都市" in result.stdout and "@zh" not in result.stdout
    assert "zhi:PrefectureLevel" in result.stdout
    assert result.stdout.rstrip().endswith("(1 row)")


@pytest.mark.parametrize(
    ("fmt", "check"),
    [
        ("csv", lambda s: s.splitlines()[:2] == ["n", "17"]),
        ("tsv", lambda s: s.splitlines()[0] == "?n" and s.splitlines()[1].startswith("17")),
        ("json", lambda s: json.loads(s)["results"]["bindings"][0]["n"]["value"] == "17"),
        ("xml", lambda s: "<sparql" in s and ">17</literal>" in s),
    ],
)
def test_select_formats(runner: CliRunner, out: Path, fmt: str, check: object) -> None:
    result = query(runner, str(out), COUNT_YEARBOOKS, "--format", fmt)
    assert result.exit_code == 0, result.output
    assert callable(check) and check(result.stdout), result.stdout


@pytest.mark.parametrize(
    ("sparql", "expected"),
    [("ASK { ?x a zhi:Yearbook }", "true"), ("ASK { ?x a zhi:Nothing }", "false")],
)
def test_ask_prints_true_or_false(runner: CliRunner, out: Path, sparql: str, expected: str) -> None:
    result = query(runner, str(out), sparql)
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{expected}\n"


def test_construct_prints_turtle_with_prefixes(runner: CliRunner, out: Path) -> None:
    result = query(runner, str(out), "--file", str(QUERIES / "region_subgraph.rq"))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("@prefix ")
    assert "region:510100" in result.stdout
    graph = Graph().parse(data=result.stdout, format="turtle")
    assert len(graph) == 35


def test_construct_as_rdf_xml(runner: CliRunner, out: Path) -> None:
    result = query(
        runner, str(out), "--file", str(QUERIES / "region_subgraph.rq"), "--format", "rdfxml"
    )
    assert result.exit_code == 0, result.output
    assert len(Graph().parse(data=result.stdout, format="xml")) == 35


def test_describe_prints_turtle(runner: CliRunner, out: Path) -> None:
    result = query(runner, str(out), "DESCRIBE region:510107", "--format", "ntriples")
    assert result.exit_code == 0, result.output
    assert (
        "<https://w3id.org/zhi-graph/id/region/510107> "
        '<http://www.w3.org/2000/01/rdf-schema#label> "武侯区"@zh .' in result.stdout
    )


def test_graph_file_and_folder_give_the_same_answer(runner: CliRunner, out: Path) -> None:
    answers = {
        query(runner, str(source), COUNT_YEARBOOKS, "--format", "csv").stdout_bytes
        for source in (out, out / "graph.trig", out / "graph.ttl")
    }
    assert answers == {b"n\r\n17\r\n"}


def test_store_is_loaded_then_reopened_without_the_graph(
    runner: CliRunner, out: Path, tmp_path: Path
) -> None:
    store = tmp_path / "store"
    first = query(runner, str(out), COUNT_YEARBOOKS, "--store", str(store), "--format", "csv")
    assert first.exit_code == 0, first.output
    assert (store / "manifest.json").is_file()
    again = query(runner, "--store", str(store), COUNT_YEARBOOKS, "--format", "csv")
    assert again.exit_code == 0, again.output
    assert again.stdout_bytes == first.stdout_bytes == b"n\r\n17\r\n"
    from_file = query(
        runner, "--store", str(store), "--file", str(QUERIES / "chengdu_national_yearbook_award.rq")
    )
    assert from_file.stdout == "true\n"


def test_syntax_error_gives_line_and_column_and_exit_2(runner: CliRunner, out: Path) -> None:
    result = query(runner, str(out), "SELECT ?x WHERE {\n  ?x a zhi:Yearbook .\n  FILTER(?x = }")
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("error: SPARQL syntax error: error at 3:")
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["OUT"], "no query"),
        (["OUT", "ASK {}", "extra"], "too many arguments"),
        (["--file", "QUERIES/yearbook_awards.rq"], "give a build folder"),
        (["OUT", "--file", "QUERIES/missing.rq"], "no such query file"),
        (["OUT/missing", "ASK {}"], "no such file or folder"),
        (
            ["OUT", "CONSTRUCT WHERE { ?s zhi:adcode ?c }", "--format", "csv"],
            "cannot be written as csv",
        ),
        (["OUT", "ASK {}", "--format", "turtle"], "cannot be written as turtle"),
        (["--store", "EMPTY", "ASK {}"], "no zhi-graph store"),
    ],
)
def test_usage_errors_exit_2_with_one_line(
    runner: CliRunner, out: Path, tmp_path: Path, args: list[str], message: str
) -> None:
    (tmp_path / "empty").mkdir()
    args = [
        a.replace("OUT", str(out))
        .replace("QUERIES", str(QUERIES))
        .replace("EMPTY", str(tmp_path / "empty"))
        for a in args
    ]
    result = query(runner, *args)
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and message in lines[0], result.stderr


def test_unknown_format_is_refused_by_the_option(runner: CliRunner, out: Path) -> None:
    result = query(runner, str(out), "ASK {}", "--format", "yaml")
    assert result.exit_code == 2
    assert "yaml" in result.stderr
