"""Write the student edition of the book: every chapter notebook without its solutions.

Usage (from the book's folder; `make student` runs exactly this)::

    .venv/bin/python tools/make_student_edition.py [--chapters chapters] [--out _build/student]

For every notebook of the book (the chapters ``chapters/NN_*.ipynb`` and companion
notebooks such as ``05b_*.ipynb``) it writes a copy to the output folder with the solutions
removed, following the exercise pattern of CONTRIBUTING.md:

- every cell tagged ``solution`` is dropped;
- every cell from a markdown cell containing ``{solution-start}`` up to and including the
  markdown cell containing ``{solution-end}`` is dropped;
- a markdown cell holding a one-piece ``{solution}`` directive is dropped too (the pattern
  does not use it, but it would show a solution if someone did);
- all outputs and execution counts are cleared, so the student runs everything themselves;
- exercise stubs (tag ``exercise-stub``) and the check cells after them stay.

The notebooks import ``helpers`` (checks included), which the book's virtual environment
installs, so nothing else from the book is needed to run them. Other files in the chapters
folder that are not notebooks or pages (images, data) are copied alongside, in case a
chapter reads them. A README explains how to open the notebooks.

A notebook whose markers do not pair up (a start without an end, an end without a start)
is refused with a message naming the cell, because guessing could leak a solution.
"""
from __future__ import annotations

import argparse
import copy
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
CHAPTER_GLOB = "[0-9][0-9]_*.ipynb"          # a chapter: NN_short_title.ipynb (CONTRIBUTING.md)
NOTEBOOK_GLOB = "[0-9][0-9]*.ipynb"          # chapters plus companions such as 05b_beat_explorer.ipynb
START_MARK = "{solution-start}"
END_MARK = "{solution-end}"
ONE_PIECE_SOLUTION = "```{solution}"

README = """\
# Student edition

These are the chapter notebooks of *Beats, spikes and plasticity* with the exercise
solutions taken out. Everything else is there: the text, the code of each chapter, an
answer cell for each exercise (its names are set to `...`) and a check cell after it.

How to work with them:

1. From the book's folder run `make lab` once (it installs the book's Python environment,
   including the `helpers` package that the notebooks and their checks import), or open
   these notebooks in any Jupyter that uses the book's `.venv`.
2. Run a chapter from the top, cell by cell. The outputs are empty on purpose.
3. At each exercise, replace every `...` in the answer cell with your code, run it, then run
   the check cell below it. It prints `Correct: ...` or `Not yet: ...` with a hint.

The full book, with the solutions behind "Solution" buttons, is built by `make book`.
"""


class StudentEditionError(ValueError):
    """A chapter notebook whose solution markers cannot be removed safely."""


@dataclass(frozen=True)
class Summary:
    """What was removed from one chapter, for the report printed by :func:`main`."""

    name: str
    cells_in: int
    cells_out: int
    solution_cells_removed: int
    exercise_stubs: int


def _tags(cell) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def is_solution_start(cell) -> bool:
    return cell.cell_type == "markdown" and START_MARK in cell.source


def is_solution_end(cell) -> bool:
    return cell.cell_type == "markdown" and END_MARK in cell.source


def is_one_piece_solution(cell) -> bool:
    return cell.cell_type == "markdown" and ONE_PIECE_SOLUTION in cell.source


def is_stub(cell) -> bool:
    return cell.cell_type == "code" and "exercise-stub" in _tags(cell)


def solution_cell_indices(nb) -> list[int]:
    """Indices of every cell the student edition must drop.

    Raises:
        StudentEditionError: a ``{solution-start}`` without its ``{solution-end}`` (or the
            reverse), or a stub inside a solution block.
    """
    drop: list[int] = []
    open_at: int | None = None
    for index, cell in enumerate(nb.cells):
        if is_solution_start(cell):
            if open_at is not None:
                raise StudentEditionError(
                    f"cell {index} starts a solution but the solution started in cell {open_at} "
                    "has no {solution-end} yet. Close each solution before the next one.")
            open_at = index
        if open_at is not None:
            if is_stub(cell):
                raise StudentEditionError(
                    f"cell {index} is an exercise stub inside the solution started in cell {open_at}; "
                    "move the stub above the {solution-start} cell.")
            drop.append(index)
            if is_solution_end(cell):
                open_at = None
            continue
        if is_solution_end(cell):
            raise StudentEditionError(
                f"cell {index} ends a solution that never started: add a {{solution-start}} "
                "cell before it, or remove it.")
        if "solution" in _tags(cell) or is_one_piece_solution(cell):
            if is_stub(cell):
                raise StudentEditionError(f"cell {index} is tagged both 'solution' and 'exercise-stub'.")
            drop.append(index)
    if open_at is not None:
        raise StudentEditionError(
            f"the solution started in cell {open_at} has no {{solution-end}} cell; add one after "
            "the solution, otherwise the rest of the chapter would be dropped.")
    return drop


def student_notebook(nb):
    """Return a copy of notebook ``nb`` without solutions and without outputs."""
    drop = set(solution_cell_indices(nb))
    out = copy.deepcopy(nb)
    cells = []
    for index, cell in enumerate(out.cells):
        if index in drop:
            continue
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        cells.append(cell)
    out.cells = cells
    out.metadata.pop("widgets", None)  # saved widget views belong to the stored outputs
    return out


def chapter_notebooks(chapters: Path) -> list[Path]:
    """Every chapter notebook ``NN_*.ipynb`` in ``chapters``, in chapter order."""
    return sorted(chapters.glob(CHAPTER_GLOB))


def book_notebooks(chapters: Path) -> list[Path]:
    """Every notebook of the book in ``chapters``: chapters and companions (``05b_*``), in order."""
    return sorted(chapters.glob(NOTEBOOK_GLOB))


def _support_files(chapters: Path) -> list[Path]:
    """Files in ``chapters`` a notebook might read: not notebooks, pages or hidden files."""
    files = []
    for path in sorted(chapters.rglob("*")):
        rel = path.relative_to(chapters)
        if path.is_dir() or any(part.startswith(".") or part == "__pycache__" for part in rel.parts):
            continue
        if path.suffix in {".ipynb", ".md", ".py", ".pyc"}:
            continue
        files.append(path)
    return files


def make_student_edition(chapters: Path, out: Path) -> list[Summary]:
    """Write the student edition of every chapter in ``chapters`` to ``out``.

    Stale notebooks from an earlier run are removed first, so ``out`` holds exactly the
    current chapters.
    """
    notebooks = book_notebooks(chapters)
    if not chapter_notebooks(chapters):
        raise StudentEditionError(f"no chapter notebooks ({CHAPTER_GLOB}) found in {chapters}.")
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.ipynb"):
        old.unlink()
    summaries = []
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        try:
            student = student_notebook(nb)
        except StudentEditionError as err:
            raise StudentEditionError(f"{path.name}: {err}") from None
        nbformat.validate(student)
        nbformat.write(student, out / path.name)
        summaries.append(Summary(
            name=path.name,
            cells_in=len(nb.cells),
            cells_out=len(student.cells),
            solution_cells_removed=len(nb.cells) - len(student.cells),
            exercise_stubs=sum(is_stub(c) for c in student.cells),
        ))
    for path in _support_files(chapters):
        target = out / path.relative_to(chapters)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)
    (out / "README.md").write_text(README, encoding="utf-8")
    return summaries


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chapters", type=Path, default=ROOT / "chapters", help="folder with NN_*.ipynb")
    parser.add_argument("--out", type=Path, default=ROOT / "_build" / "student", help="output folder")
    args = parser.parse_args(argv)
    try:
        summaries = make_student_edition(args.chapters, args.out)
    except StudentEditionError as err:
        print(f"student edition not written: {err}", file=sys.stderr)
        return 1
    for s in summaries:
        print(f"{s.name}: {s.cells_in} cells -> {s.cells_out} "
              f"({s.solution_cells_removed} solution cells removed, {s.exercise_stubs} exercise stubs)")
    try:
        shown = args.out.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        shown = args.out
    print(f"student edition: {len(summaries)} notebooks in {shown}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
