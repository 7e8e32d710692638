"""The strict nbval gate can fail: a stored number that no longer matches is caught.

We copy the start of chapter 1, change one digit in one stored output, and run nbval on
it the way `make test` does. The untouched copy must pass and the altered copy must fail
on exactly that cell, so the gate is neither broken nor vacuous.
"""
import copy
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
CHAPTER = ROOT / "chapters" / "01_reading_what_brian_recorded.ipynb"
STORED_LINE = "shape of M.v: (1, 10000)"


def _run_nbval(notebook: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval", "--nbval-current-env", "-p", "no:cacheprovider",
         "--nbval-sanitize-with", str(ROOT / "tests" / "nbval_sanitize.cfg"), str(notebook)],
        capture_output=True, text=True, cwd=notebook.parent, timeout=600,
    )


@pytest.mark.slow
def test_altered_stored_number_fails_nbval(tmp_path):
    nb = nbformat.read(CHAPTER, as_version=4)
    code_cells = [i for i, c in enumerate(nb.cells) if c.cell_type == "code"]
    target = next(i for i in code_cells
                  if any(STORED_LINE in o.get("text", "") for o in nb.cells[i].outputs))
    nb.cells = nb.cells[: target + 1]  # the chapter's start, up to the cell we alter

    intact = tmp_path / "intact.ipynb"
    nbformat.write(nb, intact)
    ok = _run_nbval(intact)
    assert ok.returncode == 0, ok.stdout[-3000:]

    altered_nb = copy.deepcopy(nb)
    out = next(o for o in altered_nb.cells[target].outputs if STORED_LINE in o.get("text", ""))
    out["text"] = out["text"].replace("(1, 10000)", "(1, 10001)")
    altered = tmp_path / "altered.ipynb"
    nbformat.write(altered_nb, altered)
    bad = _run_nbval(altered)
    assert bad.returncode != 0
    assert "1 failed" in bad.stdout
    assert "10001" in bad.stdout and "Cell outputs differ" in bad.stdout
