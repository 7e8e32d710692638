"""The student edition hides every solution, keeps every exercise, and still runs.

The edition is generated afresh into a temporary folder (no earlier `make student` needed).
The chapter list is discovered, not fixed: every ``chapters/NN_*.ipynb`` is covered, and a
chapter with fewer than three exercises fails.
"""
from __future__ import annotations

import copy
import importlib.util
import re
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = ROOT / "chapters"

_spec = importlib.util.spec_from_file_location("make_student_edition", ROOT / "tools" / "make_student_edition.py")
mse = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = mse  # dataclasses look their module up there
_spec.loader.exec_module(mse)

CHAPTER_PATHS = mse.chapter_notebooks(CHAPTERS)      # NN_*.ipynb: each needs >= 3 exercises
NOTEBOOK_PATHS = mse.book_notebooks(CHAPTERS)       # chapters plus companions (e.g. 05b_*)
MIN_EXERCISES = 3
EXERCISE_DIRECTIVE = re.compile(r"```\{exercise\}")


@pytest.fixture(scope="module")
def edition(tmp_path_factory):
    """The student edition of every chapter, written into a fresh temporary folder."""
    out = tmp_path_factory.mktemp("student")
    summaries = mse.make_student_edition(CHAPTERS, out)
    return out, summaries


def _solution_cells(nb):
    return [nb.cells[i] for i in mse.solution_cell_indices(nb)]


def _check_cells(nb):
    """The check cell of each exercise: the first code cell after each ``{solution-end}``."""
    checks = []
    for index, cell in enumerate(nb.cells):
        if mse.is_solution_end(cell):
            following = [c for c in nb.cells[index + 1:] if c.cell_type == "code"]
            if following:
                checks.append(following[0])
    return checks


def leaked_lines(source_nb, student_nb) -> list[str]:
    """Lines of solution cells that appear in the student notebook.

    A line counts when it says something (at least 8 characters once stripped, not only a
    comment or fence) and cannot legitimately be in the student edition, i.e. it does not
    occur anywhere in the chapter's non-solution cells.
    """
    drop = set(mse.solution_cell_indices(source_nb))
    allowed_text = "\n".join(c.source for i, c in enumerate(source_nb.cells) if i not in drop)
    student_text = "\n".join(c.source for c in student_nb.cells)
    leaks = []
    for cell in _solution_cells(source_nb):
        for line in cell.source.splitlines():
            stripped = line.strip()
            if len(stripped) < 8 or stripped.startswith("```") or stripped.startswith(":class:"):
                continue
            if stripped in allowed_text:
                continue
            if stripped in student_text:
                leaks.append(stripped)
    return leaks


def test_chapters_are_found():
    assert CHAPTER_PATHS, "no chapter notebooks found"
    assert all(p.name[:2].isdigit() for p in CHAPTER_PATHS)
    assert set(CHAPTER_PATHS) <= set(NOTEBOOK_PATHS)


def test_every_chapter_is_written_and_nothing_else(edition):
    out, summaries = edition
    assert sorted(p.name for p in out.glob("*.ipynb")) == [p.name for p in NOTEBOOK_PATHS]
    assert [s.name for s in summaries] == [p.name for p in NOTEBOOK_PATHS]
    assert (out / "README.md").is_file()


@pytest.mark.parametrize("path", NOTEBOOK_PATHS, ids=lambda p: p.stem)
def test_no_solution_leaks(edition, path):
    out, _ = edition
    source = nbformat.read(path, as_version=4)
    student = nbformat.read(out / path.name, as_version=4)
    if path in CHAPTER_PATHS:
        assert _solution_cells(source), f"{path.name} has no solutions to remove"
    assert leaked_lines(source, student) == []
    text = "\n".join(c.source for c in student.cells)
    assert "solution-start" not in text and "solution-end" not in text
    assert not any("solution" in c.get("metadata", {}).get("tags", []) for c in student.cells)
    for cell in student.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None


@pytest.mark.parametrize("path", CHAPTER_PATHS, ids=lambda p: p.stem)
def test_each_chapter_keeps_at_least_three_exercises_with_their_checks(edition, path):
    out, _ = edition
    source = nbformat.read(path, as_version=4)
    student = nbformat.read(out / path.name, as_version=4)
    exercises = [c for c in student.cells if c.cell_type == "markdown" and EXERCISE_DIRECTIVE.search(c.source)]
    stubs = [c for c in student.cells if mse.is_stub(c)]
    checks = _check_cells(source)
    assert len(exercises) >= MIN_EXERCISES, f"{path.name} has {len(exercises)} exercises, needs {MIN_EXERCISES}"
    assert len(stubs) >= MIN_EXERCISES, f"{path.name} keeps {len(stubs)} exercise stubs, needs {MIN_EXERCISES}"
    assert len(stubs) == len([c for c in source.cells if mse.is_stub(c)])
    assert len(checks) >= len(exercises), f"{path.name}: not every exercise has a check after its solution"
    student_sources = [c.source for c in student.cells if c.cell_type == "code"]
    for check in checks:
        assert check.source in student_sources, f"check cell missing from the student edition: {check.source!r}"
        assert "solution" not in check.get("metadata", {}).get("tags", [])
    # every stub's value is still `...` (the student's job)
    for stub in stubs:
        assert "..." in stub.source


def _run_student_notebook(path: Path, out: Path) -> list[str]:
    """Run the student edition of chapter ``path`` in a fresh kernel: every code cell up to
    the first stub, then only the stubs and the check cells (what a student runs to try an
    exercise). Returns the text each check cell printed; raises if any executed cell fails."""
    source = nbformat.read(path, as_version=4)
    check_sources = {c.source for c in _check_cells(source)}
    nb = nbformat.read(out / path.name, as_version=4)
    first_stub = next(i for i, c in enumerate(nb.cells) if mse.is_stub(c))
    client = NotebookClient(nb, timeout=300, kernel_name="python3", record_timing=False,
                            resources={"metadata": {"path": str(out)}})
    verdicts = []
    with client.setup_kernel():
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            if index >= first_stub and not (mse.is_stub(cell) or cell.source in check_sources):
                continue
            client.execute_cell(cell, index)  # raises CellExecutionError if the cell fails
            if cell.source in check_sources:
                texts = [o.get("data", {}).get("text/plain", "") or o.get("text", "") for o in cell.outputs]
                verdicts.append(" ".join(texts))
    return verdicts


@pytest.fixture(scope="module")
def student_runs(edition):
    """Run every chapter's student notebook, two kernels at a time (kernels are separate
    processes, so two threads keep both cores busy). Maps path -> verdicts or the exception."""
    out, _ = edition

    def run(path):
        try:
            return _run_student_notebook(path, out)
        except Exception as err:  # reported by the test of that chapter
            return err

    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(zip(CHAPTER_PATHS, pool.map(run, CHAPTER_PATHS)))


@pytest.mark.slow
@pytest.mark.parametrize("path", CHAPTER_PATHS, ids=lambda p: p.stem)
def test_student_notebook_runs_and_untouched_stubs_are_not_yet(student_runs, path):
    verdicts = student_runs[path]
    if isinstance(verdicts, Exception):
        raise verdicts
    assert len(verdicts) >= MIN_EXERCISES
    for verdict in verdicts:
        assert "Not yet" in verdict, f"an untouched stub was not reported as 'Not yet': {verdict!r}"


# --- the tool and the leak detector can fail -------------------------------------------

def _toy_notebook():
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell("x = 1"),
        nbformat.v4.new_markdown_cell("```{exercise} Reproduce: toy\n:label: ex-toy\n```"),
        nbformat.v4.new_code_cell("answer = ...", metadata={"tags": ["exercise-stub"]}),
        nbformat.v4.new_markdown_cell("```{solution-start} ex-toy\n:class: dropdown\n```"),
        nbformat.v4.new_code_cell("answer = secret_formula(42)", metadata={"tags": ["solution"]}),
        nbformat.v4.new_markdown_cell("Because the secret formula is quadratic."),
        nbformat.v4.new_markdown_cell("```{solution-end}\n```"),
        nbformat.v4.new_code_cell("check(answer)"),
        nbformat.v4.new_code_cell("shown_solution = 'tagged only'", metadata={"tags": ["solution"]}),
    ]
    nb.cells[0].outputs = [nbformat.v4.new_output("stream", text="1\n")]
    nb.cells[0].execution_count = 3
    return nb


def test_toy_notebook_loses_solutions_and_keeps_stub_and_check():
    student = mse.student_notebook(_toy_notebook())
    sources = [c.source for c in student.cells]
    assert sources == ["x = 1", "```{exercise} Reproduce: toy\n:label: ex-toy\n```", "answer = ...", "check(answer)"]
    assert student.cells[0].outputs == [] and student.cells[0].execution_count is None


def test_leak_detector_catches_a_leak():
    nb = _toy_notebook()
    leaky = copy.deepcopy(nb)
    leaky.cells[7].source = "answer = secret_formula(42)\ncheck(answer)"  # solution copied into the check
    student = mse.student_notebook(nb)
    student.cells[-1].source = leaky.cells[7].source
    assert leaked_lines(nb, student) == ["answer = secret_formula(42)"]
    student.cells.append(nbformat.v4.new_markdown_cell("Because the secret formula is quadratic."))
    assert "Because the secret formula is quadratic." in leaked_lines(nb, student)


@pytest.mark.parametrize("broken, message", [
    (lambda nb: nb.cells.pop(6), "no {solution-end}"),
    (lambda nb: nb.cells.pop(3), "never started"),
    (lambda nb: nb.cells.insert(5, nbformat.v4.new_code_cell("a = ...", metadata={"tags": ["exercise-stub"]})),
     "inside the solution"),
])
def test_unpaired_markers_are_refused(broken, message):
    nb = _toy_notebook()
    broken(nb)
    with pytest.raises(mse.StudentEditionError, match=re.escape(message)):
        mse.student_notebook(nb)


def test_no_chapters_is_an_error(tmp_path):
    with pytest.raises(mse.StudentEditionError, match="no chapter notebooks"):
        mse.make_student_edition(tmp_path, tmp_path / "out")


def _toy_chapter(body_source: str, check_source: str):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(body_source)]
    for k in range(MIN_EXERCISES):
        nb.cells += [
            nbformat.v4.new_markdown_cell(f"```{{exercise}} Toy {k}\n:label: ex-toy-{k}\n```"),
            nbformat.v4.new_code_cell(f"answer{k} = ...", metadata={"tags": ["exercise-stub"]}),
            nbformat.v4.new_markdown_cell(f"```{{solution-start}} ex-toy-{k}\n:class: dropdown\n```"),
            nbformat.v4.new_code_cell(f"answer{k} = {k}", metadata={"tags": ["solution"]}),
            nbformat.v4.new_markdown_cell("```{solution-end}\n```"),
            nbformat.v4.new_code_cell(check_source.format(k=k)),
        ]
    return nb


@pytest.mark.slow
def test_the_runner_reports_verdicts_and_failures(tmp_path):
    """The machinery of the execution test can fail: a check that does not say 'Not yet'
    is visible in the verdicts, and a failing chapter cell raises."""
    chapters, out = tmp_path / "chapters", tmp_path / "out"
    chapters.mkdir()
    check = "print('Not yet' if answer{k} is ... else 'Correct')"
    nbformat.write(_toy_chapter("x = 1", check), chapters / "01_toy.ipynb")
    nbformat.write(_toy_chapter("1/0", check), chapters / "02_broken.ipynb")
    mse.make_student_edition(chapters, out)
    verdicts = _run_student_notebook(chapters / "01_toy.ipynb", out)
    assert [v.strip() for v in verdicts] == ["Not yet"] * MIN_EXERCISES
    from nbclient.exceptions import CellExecutionError
    with pytest.raises(CellExecutionError, match="ZeroDivisionError"):
        _run_student_notebook(chapters / "02_broken.ipynb", out)
