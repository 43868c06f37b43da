"""The research questions of queries/: each gives its expected answer on the sample graph.

Table-driven: ``queries/NAME.rq`` is run through ``GraphStore`` and its answer
compared with ``tests/cases/queries/NAME.{tsv,txt,ttl}`` (see the README
there for how each answer was checked against the text and the gold files).
"""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest
from typer.testing import CliRunner, Result

from zhi_graph.cli import app
from zhi_graph.sparql import QueryFile, bundled_queries, result_table, run_query
from zhi_graph.store import GraphStore, open_store

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "tests" / "cases" / "queries"
HENAN = ROOT / "tests" / "cases" / "henan_briefing" / "input.txt"
QUERIES = {query.name: query for query in bundled_queries()}
TWO_DOCUMENTS = sorted(path.stem for path in (CASES / "two_documents").iterdir())


@pytest.fixture(scope="module")
def sample_store(sample_build: tuple[Result, Path]) -> GraphStore:
    result, out = sample_build
    assert result.exit_code == 0, result.output
    return open_store(out)


@pytest.fixture(scope="module")
def two_document_store(
    runner: CliRunner, sample_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> GraphStore:
    out = tmp_path_factory.mktemp("two-documents")
    result = runner.invoke(app, ["build", str(sample_path), str(HENAN), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return open_store(out)


def _cells(row: list[str]) -> tuple[str, ...]:
    # GROUP_CONCAT leaves the order of the names open: compare them as sets.
    return tuple("、".join(sorted(cell.split("、"))) for cell in row)


def answer_matches(store: GraphStore, query: QueryFile, folder: Path) -> None:
    result = run_query(store, query.sparql)
    if isinstance(result, ox.QueryBoolean):
        expected = (folder / f"{query.name}.txt").read_text(encoding="utf-8").strip()
        assert str(bool(result)).lower() == expected
    elif isinstance(result, ox.QueryTriples):
        expected_ttl = (folder / f"{query.name}.ttl").read_bytes()
        expected_triples = {q.triple for q in ox.parse(expected_ttl, format=ox.RdfFormat.TURTLE)}
        assert set(result) == expected_triples
    else:
        lines = (folder / f"{query.name}.tsv").read_text(encoding="utf-8").splitlines()
        header, *rows = (line.split("\t") for line in lines)
        table = result_table(result)
        assert table.columns == header
        assert [_cells(row) for row in table.text_rows()] == [_cells(row) for row in rows]


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_question_answers_on_the_sample(sample_store: GraphStore, name: str) -> None:
    answer_matches(sample_store, QUERIES[name], CASES)


@pytest.mark.parametrize("name", TWO_DOCUMENTS)
def test_question_answers_on_two_documents(two_document_store: GraphStore, name: str) -> None:
    answer_matches(two_document_store, QUERIES[name], CASES / "two_documents")


def test_there_are_enough_questions_and_each_has_an_answer() -> None:
    assert len(QUERIES) >= 15
    answers = {path.stem for path in CASES.iterdir() if path.suffix in (".tsv", ".txt", ".ttl")}
    assert answers == set(QUERIES)
    assert set(TWO_DOCUMENTS) <= set(QUERIES)


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_each_question_is_stated_in_chinese_and_english(name: str) -> None:
    query = QUERIES[name]
    first_lines = query.sparql.splitlines()[:2]
    assert first_lines == [f"# zh: {query.title_zh}", f"# en: {query.title_en}"]
    assert re.search(r"[\u4e00-\u9fff]", query.title_zh)
    assert re.fullmatch(
        r"[\x20-\x7e\u00a0-\u024f\u2010-\u2027\u3000-\u303f\u4e00-\u9fff（）、，]+", query.title_en
    )
    assert re.search(r"[A-Za-z]{3}", query.title_en)


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("region_subgraph", ox.QueryTriples),
        ("chengdu_national_yearbook_award", ox.QueryBoolean),
        ("yearbook_awards", ox.QuerySolutions),
    ],
)
def test_the_questions_cover_every_kind_of_result(
    sample_store: GraphStore, name: str, kind: type
) -> None:
    assert isinstance(run_query(sample_store, QUERIES[name].sparql), kind)
