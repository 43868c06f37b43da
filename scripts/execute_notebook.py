"""Execute notebooks/researcher.ipynb in place, so that the committed copy shows its outputs.

    .venv/bin/python scripts/execute_notebook.py

Cells are run in the venv's ``python3`` kernel without timing metadata, so
that two runs on the same code write the same outputs (tests/test_notebook.py
checks that the committed text outputs match a fresh run).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import nbformat
from nbclient import NotebookClient

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "researcher.ipynb"


def execute(path: Path = NOTEBOOK) -> Any:
    """The notebook at ``path``, executed (raises ``CellExecutionError`` if a cell fails)."""
    notebook = nbformat.read(path, as_version=4)  # type: ignore[no-untyped-call]
    client = NotebookClient(
        notebook,
        kernel_name="python3",
        timeout=600,
        record_timing=False,
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()
    return notebook


if __name__ == "__main__":
    nbformat.write(execute(), NOTEBOOK)
    print(f"executed {NOTEBOOK}")
