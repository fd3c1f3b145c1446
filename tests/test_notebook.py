"""The organiser walkthrough runs from top to bottom, as an organiser would run it."""

from __future__ import annotations

import os
import subprocess
import tomllib
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "notebooks" / "organiser_walkthrough.ipynb"


@pytest.mark.slow
def test_walkthrough_runs_top_to_bottom() -> None:
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    assert all(not cell.get("outputs") for cell in notebook.cells if cell.cell_type == "code"), (
        "commit it clean"
    )
    NotebookClient(notebook, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(NOTEBOOK.parent)}}).execute()  # fmt: skip
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert any("image/png" in o.get("data", {}) for o in outputs), "the pictures are shown"


def test_make_notebook_installs_a_kernel_and_opens_the_walkthrough() -> None:
    """`make run` installs only what planning needs; `make notebook` adds what opening the walkthrough needs."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    names = {requirement.split(">")[0] for requirement in project["optional-dependencies"]["notebook"]}
    assert {"jupyterlab", "ipykernel", "pandas"} <= names
    assert "pandas" not in {requirement.split(">")[0] for requirement in project["dependencies"]}
    # Run as its own make, not as a sub-make of `make test`, which would add "Entering directory" lines.
    alone = {k: v for k, v in os.environ.items() if k not in {"MAKEFLAGS", "MFLAGS", "MAKELEVEL"}}
    steps = subprocess.run(
        ["make", "--no-print-directory", "-n", "-B", "notebook"], cwd=ROOT, env=alone, check=True,
        capture_output=True, text=True,
    ).stdout.splitlines()
    assert ".venv/bin/pip install --quiet -e '.[notebook]'" in steps
    assert steps[-1] == ".venv/bin/jupyter lab notebooks/organiser_walkthrough.ipynb"
