"""The README's examples work: every SPARQL and Python block runs on a build of the sample.

Its SPARQL queries must each return rows, its Python blocks must run without
error, and CI must run the test command the README gives.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Graph

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
TEST_COMMAND = ".venv/bin/python -m pytest -q"


def blocks(language: str) -> list[str]:
    text = README.read_text(encoding="utf-8")
    return re.findall(rf"^```{language}\n(.*?)^```", text, re.MULTILINE | re.DOTALL)


@pytest.fixture(scope="module")
def out(sample_out: Path) -> Path:
    """The sample built once per session by ``zhi-graph build`` (tests/conftest.py)."""
    return sample_out


@pytest.fixture(scope="module")
def graph(out: Path) -> Graph:
    return Graph().parse(out / "graph.ttl", format="turtle")


def test_the_readme_has_examples() -> None:
    assert len(blocks("sparql")) >= 4
    assert len(blocks("python")) >= 2


@pytest.mark.parametrize("index", range(len(blocks("sparql"))))
def test_each_sparql_query_returns_rows(graph: Graph, index: int) -> None:
    rows = list(graph.query(blocks("sparql")[index]))
    assert rows, blocks("sparql")[index]
    assert all(value is not None for row in rows for value in list(row)[:2])  # type: ignore[arg-type]


@pytest.mark.parametrize("index", range(len(blocks("python"))))
def test_each_python_block_runs(
    out: Path, index: int, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code = blocks("python")[index].replace("out/graph.ttl", (out / "graph.ttl").as_posix())
    monkeypatch.chdir(ROOT)
    exec(compile(code, f"README.md python block {index}", "exec"), {"QUERY": blocks("sparql")[0]})
    assert capsys.readouterr().out.strip()


def test_ci_runs_the_test_command_of_the_readme() -> None:
    assert TEST_COMMAND in README.read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert any(line.strip().startswith(TEST_COMMAND) for line in ci.splitlines())


def test_the_readme_links_exist() -> None:
    text = README.read_text(encoding="utf-8")
    for target in re.findall(r"\]\(([^)#:]+)\)", text):
        assert (ROOT / target).exists() or target.startswith("../"), target
