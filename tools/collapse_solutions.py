"""Solutions start collapsed in JupyterLab: mark every solution cell as hidden.

Usage (from the book's folder)::

    .venv/bin/python tools/collapse_solutions.py chapters/*.ipynb     # mark them
    .venv/bin/python tools/collapse_solutions.py --check chapters/*.ipynb   # only report

JupyterLab (and Notebook 7) read the standard cell metadata ``jupyter.source_hidden`` and
``jupyter.outputs_hidden``: a cell with them shows as a thin collapsed bar until the reader
clicks it. This tool sets, for every solution cell of a chapter (the cells between a
``{solution-start}`` and its ``{solution-end}`` marker, and every cell tagged ``solution``,
found exactly as ``tools/make_student_edition.py`` finds them):

- ``metadata.jupyter.source_hidden = true`` (code and markdown);
- ``metadata.jupyter.outputs_hidden = true`` on code cells (an output can give the answer away).

A ``{solution-start}`` or ``{solution-end}`` cell that holds only its marker stays visible:
jupyterlab-myst renders it as "Start of Solution to Exercise 1" / "End of Solution", so the
reader sees where the collapsed solution is. A marker cell that also holds solution text is
collapsed. Nothing else changes: the book (myst-nb) ignores these
keys, nbval does not compare metadata, and the notebook's JSON is written as nbformat writes
it (as the refresh does). Only notebooks that need a change are written.
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_student_edition as mse  # noqa: E402  (tools/, next to this file)


def _only_a_marker(cell) -> bool:
    """A ``{solution-start}`` or ``{solution-end}`` cell that holds nothing but the directive
    and its options."""
    if not (mse.is_solution_start(cell) or mse.is_solution_end(cell)):
        return False
    rest = [line for line in cell.source.splitlines()
            if line.strip() and not line.lstrip().startswith(("```", "~~~", ":::"))
            and not re.match(r"^\s*:[\w-]+:", line)]
    return not rest


def solution_cells_to_hide(nb) -> list[int]:
    """Indices of the cells that start collapsed: every solution cell except the marker
    cells that hold only the marker. jupyterlab-myst renders those as "Start of Solution to
    Exercise 1" and "End of Solution", so the reader sees where the solution is; collapsed,
    they would show their raw first line instead."""
    return [i for i in mse.solution_cell_indices(nb) if not _only_a_marker(nb.cells[i])]


def not_collapsed(nb) -> list[int]:
    """Indices of solution cells that would not start collapsed."""
    missing = []
    for i in solution_cells_to_hide(nb):
        cell = nb.cells[i]
        jupyter = cell.get("metadata", {}).get("jupyter", {})
        if not jupyter.get("source_hidden") or (cell.cell_type == "code" and not jupyter.get("outputs_hidden")):
            missing.append(i)
    return missing


def collapse(nb) -> int:
    """Mark every solution cell of ``nb`` hidden, in place. Returns how many cells changed."""
    changed = 0
    for i in not_collapsed(nb):
        cell = nb.cells[i]
        jupyter = cell.metadata.setdefault("jupyter", {})
        jupyter["source_hidden"] = True
        if cell.cell_type == "code":
            jupyter["outputs_hidden"] = True
        changed += 1
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--check", action="store_true", help="report, change nothing (exit 1 if any)")
    args = parser.parse_args(argv)
    status = 0
    for path in args.notebooks:
        nb = nbformat.read(path, as_version=4)
        try:
            if args.check:
                missing = not_collapsed(nb)
                if missing:
                    status = 1
                    print(f"{path}: solution cells not collapsed: {missing}")
                continue
            changed = collapse(nb)
        except mse.StudentEditionError as err:
            print(f"{path}: {err}", file=sys.stderr)
            status = 1
            continue
        if changed:
            nbformat.write(nb, path)
        print(f"{path}: {changed} solution cells marked collapsed")
    return status


if __name__ == "__main__":
    sys.exit(main())
