"""notebooks/researcher.ipynb runs from top to bottom in the venv's own kernel.

CI fails if any cell fails. The chart needs a CJK font for its Chinese labels
(Debian ``fonts-noto-cjk``): without one the notebook still runs, and this
test skips its font check locally but fails it when ``CI=true``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import cast

import nbformat
import pytest
from jupyter_client.kernelspec import KernelSpecManager
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "notebooks" / "researcher.ipynb"


def test_kernel_is_this_python() -> None:
    """``python3`` must resolve to the venv: ipykernel installed there, no stray kernelspec."""
    spec = KernelSpecManager().get_kernel_spec("python3")
    executable = spec.argv[0]
    # jupyter_client starts a spec whose argv[0] is "python" with sys.executable.
    assert executable == "python" or Path(executable).resolve() == Path(sys.executable).resolve()
    assert Path(spec.resource_dir).resolve().is_relative_to(Path(sys.prefix).resolve())


@pytest.fixture(scope="module")
def executed() -> nbformat.NotebookNode:
    notebook = nbformat.read(NOTEBOOK, as_version=4)  # type: ignore[no-untyped-call]
    client = NotebookClient(
        notebook,
        kernel_name="python3",
        timeout=600,
        record_timing=False,
        resources={"metadata": {"path": str(NOTEBOOK.parent)}},
    )
    client.execute()  # raises CellExecutionError, naming the cell, if any cell fails
    return cast(nbformat.NotebookNode, notebook)


def outputs(notebook: nbformat.NotebookNode) -> list[nbformat.NotebookNode]:
    return [out for cell in notebook.cells if cell.cell_type == "code" for out in cell.outputs]


def test_every_cell_runs(executed: nbformat.NotebookNode) -> None:
    assert not [out for out in outputs(executed) if out.output_type == "error"]
    code_cells = [cell for cell in executed.cells if cell.cell_type == "code"]
    assert all(cell.execution_count for cell in code_cells)


def test_tables_and_chart_are_shown(executed: nbformat.NotebookNode) -> None:
    html = [
        out.data["text/html"] for out in outputs(executed) if "text/html" in out.get("data", {})
    ]
    assert len(html) >= 6  # pandas DataFrames
    assert any("成都年鉴（2023）" in table and "中国精品年鉴" in table for table in html)
    assert any("阿坝藏族羌族自治州" in table and "2021" in table for table in html)
    assert sum("image/png" in out.get("data", {}) for out in outputs(executed)) == 1


def test_chart_has_a_cjk_font(executed: nbformat.NotebookNode) -> None:
    text = "".join(out.get("text", "") for out in outputs(executed) if out.output_type == "stream")
    assert "CJK font:" in text
    if "CJK font: none found" in text:
        if os.environ.get("CI") == "true":
            pytest.fail("no CJK font for the notebook's chart: install Debian fonts-noto-cjk")
        pytest.skip("no CJK font installed (Debian fonts-noto-cjk); the chart's labels are boxes")


def test_committed_notebook_is_executed_and_matches_a_fresh_run(
    executed: nbformat.NotebookNode,
) -> None:
    """The committed outputs are what the notebook prints today (images aside).

    After a change that alters an answer: .venv/bin/python scripts/execute_notebook.py
    """
    committed = nbformat.read(NOTEBOOK, as_version=4)  # type: ignore[no-untyped-call]

    def texts(notebook: nbformat.NotebookNode) -> list[str]:
        return [
            out.get("text", "") + out.get("data", {}).get("text/plain", "")
            for out in outputs(notebook)
        ]

    assert texts(committed) == texts(executed)
