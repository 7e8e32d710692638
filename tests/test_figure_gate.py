"""The figure gate can fail: a stored figure swapped for another one is caught by nbval.

nbval on its own skips images; `tests/nbval_figures.py` (loaded by the Makefile's
``NBVAL_ARGS``) compares them. Here we copy the start of chapter 1, up to its first figure,
repeat the figure cell three times, and run nbval on it with exactly the Makefile's
``NBVAL_ARGS`` (one kernel, so the chapter's start runs only once):

- the untouched figure cell passes (the gate is not broken: a fresh run redraws the same
  figure);
- the copy whose stored figure is replaced by the most similar figure of the same size from
  another chapter fails, naming the cell and the RMS and saying how to fix it (the gate is
  not vacuous);
- the copy whose stored figure is deleted (its text kept) fails too: the cell now draws one
  figure more than the notebook stores.

Only the figure cell's outputs are compared: the cells before it run (they build what the
figure shows) but are stored unrun, so this test is about figures, whatever their printed
numbers do (`tests/test_nbval_gate.py` guards those).
"""
from __future__ import annotations

import copy
import re
import shlex
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = ROOT / "chapters"
CHAPTER = CHAPTERS / "01_reading_what_brian_recorded.ipynb"
ANSI = re.compile(r"\x1b\[[0-9;]*m")

sys.path.insert(0, str(ROOT))  # `tests.nbval_figures`, as `-p tests.nbval_figures` finds it
from tests.nbval_figures import DEFAULT_TOLERANCE, decode_image, figures, image_rms  # noqa: E402


def makefile_nbval_args() -> list[str]:
    """``NBVAL_ARGS`` as make itself expands it."""
    out = subprocess.run(
        ["make", "-s", "--no-print-directory", "-C", str(ROOT),
         "--eval=_print_nbval_args: ; @echo $(NBVAL_ARGS)", "_print_nbval_args"],
        capture_output=True, text=True, check=True,
    )
    return shlex.split(out.stdout)


def _figure_cell(nb) -> int:
    return next(i for i, c in enumerate(nb.cells) if c.cell_type == "code" and figures(c.outputs))


def _most_similar_other_figure(own_png: str):
    """The stored figure of another chapter with the same pixel size that is closest to
    ``own_png``: the hardest swap to notice. Returns ``(base64 png, where, rms)``."""
    own = decode_image(own_png)
    best = None
    for path in sorted(CHAPTERS.glob("*.ipynb")):
        if path == CHAPTER:
            continue
        for k, cell in enumerate(nbformat.read(path, as_version=4).cells):
            for mime, data in figures(cell.get("outputs")):
                other = decode_image(data)
                if mime == "image/png" and other.shape == own.shape:
                    rms = image_rms(own, other)
                    if best is None or rms < best[2]:
                        best = (data, f"{path.name} cell {k}", rms)
    if best is None:
        pytest.fail(f"no other chapter stores a figure of the size of {CHAPTER.name}'s first "
                    f"figure ({own.shape[1]}x{own.shape[0]}); pick another donor figure")
    return best


def _run_nbval(notebook: Path) -> str:
    """`make nbval` on one notebook: from the repository root, as the Makefile runs it
    (NBVAL_ARGS holds paths relative to the root)."""
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", *makefile_nbval_args(), str(notebook)],
        capture_output=True, text=True, cwd=ROOT, timeout=900,
    )
    return ANSI.sub("", proc.stdout + proc.stderr)


def _section(output: str, cell_num: int) -> str:
    """The failure report of one cell of the gate notebook."""
    m = re.search(rf"_+ \S*::Cell {cell_num} _+\n(.*?)(?=\n_{{3,}} |\n={{3,}} )",
                  output, re.S)
    return m.group(1) if m else ""


def test_makefile_loads_the_figure_plugin():
    args = makefile_nbval_args()
    assert "-p" in args and "tests.nbval_figures" in args, (
        f"NBVAL_ARGS in the Makefile no longer loads the figure comparison: {args}")


@pytest.mark.slow
def test_swapped_or_missing_figure_fails_nbval(tmp_path):
    nb = nbformat.read(CHAPTER, as_version=4)
    target = _figure_cell(nb)
    nb.cells = [c for c in nb.cells[: target + 1] if c.cell_type == "code"]
    for cell in nb.cells[:-1]:  # run, but do not compare: only the figure is under test
        cell.execution_count = None
        cell.outputs = []
    figure_cell = nb.cells[-1]
    (mime, own_png), = figures(figure_cell.outputs)

    # The figure cell three times in a row (each run draws the same figure again):
    # as stored, with its stored figure swapped, and with its stored figure deleted.
    donor_png, donor, donor_rms = _most_similar_other_figure(own_png)
    assert donor_rms > 2 * DEFAULT_TOLERANCE, (
        f"the closest other figure ({donor}) differs by RMS {donor_rms:.1f} only: "
        "the tolerance would not leave a safe margin")
    swapped, missing = copy.deepcopy(figure_cell), copy.deepcopy(figure_cell)
    next(o for o in swapped.outputs if mime in o.get("data", {}))["data"][mime] = donor_png
    # the text "<Figure size ...>" stays, so nbval alone sees no change
    del next(o for o in missing.outputs if mime in o.get("data", {}))["data"][mime]
    swapped["id"], missing["id"] = "figure-gate-swapped", "figure-gate-missing"
    nb.cells += [swapped, missing]
    n = len(nb.cells)  # nbval numbers code cells from 0: intact n-3, swapped n-2, missing n-1
    notebook = tmp_path / "figure_gate.ipynb"
    nbformat.write(nb, notebook)

    output = _run_nbval(notebook)
    assert "nbval figures:" in output, "the figure plugin was not loaded:\n" + output[-3000:]

    failed = set(re.findall(r"^FAILED \S*::Cell (\d+)", output, re.M))
    assert failed == {str(n - 2), str(n - 1)}, (
        f"expected the swapped (Cell {n - 2}) and missing (Cell {n - 1}) figures to fail and "
        f"everything else, the intact figure (Cell {n - 3}) included, to pass:\n" + output[-6000:])
    assert re.search(r"\b2 failed, \d+ passed\b", output), output[-3000:]

    report = _section(output, n - 2)
    assert f"Cell {n - 2}: Cell figures differ ({notebook}, code cell {n - 2})" in report, report
    rms = float(re.search(r"RMS difference ([\d.]+) > tolerance", report).group(1))
    # nbval compared the donor with a fresh redraw of our figure, which the intact cell shows
    # to be within the tolerance of our stored figure: the RMS can move by at most that much.
    assert rms == pytest.approx(donor_rms, abs=DEFAULT_TOLERANCE)
    assert "make refresh" in report and "{stored,new,diff}.png" in report

    report = _section(output, n - 1)
    assert "stores 0 figure(s) for this cell, the re-executed cell drew 1" in report, report
    assert "make refresh" in report
