"""The student edition hides every solution, keeps every exercise, still runs, and never
destroys a student's work.

Two editions are checked:

- a fresh one, generated into a temporary folder (structure, leaks, and the slow test that
  runs every student notebook);
- the one `make student` writes: the tests run the tool exactly as `make student` does (no
  arguments, default output ``student/``), which in a fresh clone creates it and in a
  working copy updates it without touching a notebook a student changed, and then read what
  is on disk. A notebook a student changed is the student's work (it may well contain their
  answers), so it is reported as skipped, not checked.

Leaks are looked for everywhere outside the solution cells, source chapter included: a
solution line quoted as a hint in the exercise text, pasted above the answer cell or into
any other cell is a leak (see :func:`secret_lines` for the lines that do not count).

The chapter list is discovered, not fixed: every ``chapters/NN_*.ipynb`` is covered, and a
chapter with fewer than three exercises fails.
"""
from __future__ import annotations

import copy
import functools
import hashlib
import importlib.util
import json
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
STUDENT_EXERCISE = re.compile(r"^### Exercise ", re.M)   # what the edition makes of the directive
BOOK_INDEX = mse.myst_markdown.book_index(CHAPTERS, notebooks={p.name for p in NOTEBOOK_PATHS})


@pytest.fixture(scope="module")
def edition(tmp_path_factory):
    """The student edition of every chapter, written into a fresh temporary folder."""
    out = tmp_path_factory.mktemp("student")
    result = mse.make_student_edition(CHAPTERS, out)
    return out, result.summaries


@pytest.fixture(scope="module")
def written_edition():
    """The edition `make student` writes: the tool run as the Makefile runs it, then read
    from its real output folder. Returns the folder and the names the tool vouches for
    (written or already up to date, i.e. not changed by a student)."""
    assert mse.main([]) == 0
    out = mse.DEFAULT_OUT
    manifest = json.loads((out / mse.MANIFEST).read_text(encoding="utf-8"))["files"]
    untouched = {name for name, digest in manifest.items()
                 if (out / name).is_file() and hashlib.sha256((out / name).read_bytes()).hexdigest() == digest}
    return out, untouched


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


# --- the leak detector ------------------------------------------------------------------

FENCE_OR_OPTION = re.compile(r"^(`{3,}|~{3,}|:[\w-]+:)")    # ```{solution-start} ..., :class: dropdown
IMPORT = re.compile(r"^(import\s|from\s+\S+\s+import\s)")
TRAILING_COMMENT = re.compile(r"\s+#.*$")
STUB_NAME = re.compile(r"^\s*([A-Za-z_]\w*)\s*=\s*\.\.\.", re.M)
ASSIGNED = re.compile(r"^\(?\s*([A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)*)\s*,?\s*\)?\s*(?:[-+*/%@&|^]|//|\*\*)?=(?!=)")
MIN_CHARS = 12   # shorter lines (plt.show(), S.w = 0.5, run(40*ms)) are too generic to count


@functools.lru_cache(maxsize=None)
def _compact(text: str) -> str:
    """Whitespace-insensitive form: runs of white space become one space, kept only between
    two word characters (so `a = b` and `a=b` match, `use x` stays two words)."""
    text = re.sub(r"\s+", " ", text)
    return re.sub(r"(?<!\w) | (?!\w)", "", text).strip()


def exercise_layout(nb):
    """Split a chapter's non-solution code into teaching code and exercise cells.

    An exercise runs from its ``{exercise}`` markdown cell to its check (the first code cell
    after its ``{solution-end}``); its stub, check and any other cell in between are
    exercise cells. Every other non-solution code cell is teaching code: what the chapter
    shows the student anyway.

    Returns:
        (indices of teaching code cells, {solution cell index: the exercise's answer names}),
        the answer names being the names its stubs set to ``...``.
    """
    drop = set(mse.solution_cell_indices(nb))
    teaching, answers = [], {}
    in_exercise, ended, names = False, False, set()
    for index, cell in enumerate(nb.cells):
        if index not in drop and cell.cell_type == "markdown" and EXERCISE_DIRECTIVE.search(cell.source):
            in_exercise, ended, names = True, False, set()
        if index in drop:
            answers[index] = names          # filled in by the stubs above it
            ended = ended or mse.is_solution_end(cell)
            continue
        if cell.cell_type != "code":
            continue
        if mse.is_stub(cell):
            names |= set(STUB_NAME.findall(cell.source))
        elif in_exercise:
            if ended:                       # the check: it closes the exercise
                in_exercise, ended, names = False, False, set()
        else:
            teaching.append(index)
    return teaching, answers


def _assigned_names(line: str) -> set[str]:
    match = ASSIGNED.match(line)
    return {n.strip() for n in match.group(1).split(",")} if match else set()


def secret_lines(nb) -> list[str]:
    """The lines of ``nb``'s solutions that must not appear anywhere outside them.

    Every line of a solution cell (code or prose) counts, except lines that are trivially
    generic: blank lines, comments (a trailing ``# ...`` is cut off first), directive fences
    and options, imports, lines of fewer than ``MIN_CHARS`` non-blank characters, and lines
    the chapter's teaching code also contains, white space aside (the solution reuses what
    the chapter showed: the model's equations, a call's keyword arguments). An answer line, one that assigns a name
    the exercise's stub sets to ``...``, always counts, however short or common.
    """
    teaching, answers = exercise_layout(nb)
    taught = "\n".join(nb.cells[index].source for index in teaching)
    secrets = []
    for index in mse.solution_cell_indices(nb):
        cell = nb.cells[index]
        for raw in cell.source.splitlines():
            line = raw.strip()
            if cell.cell_type == "code":
                line = TRAILING_COMMENT.sub("", line)
            if not line or line.startswith("#") or FENCE_OR_OPTION.match(line):
                continue
            is_answer = cell.cell_type == "code" and bool(_assigned_names(line) & answers[index])
            if not is_answer and (IMPORT.match(line) or len(re.sub(r"\s", "", line)) < MIN_CHARS
                                  or _occurs(line, taught)):
                continue
            if line not in secrets:
                secrets.append(line)
    return secrets


@functools.lru_cache(maxsize=None)
def _needle(line: str) -> re.Pattern:
    """``line`` compacted, as a pattern that does not match inside a longer name."""
    needle = _compact(line)
    word = re.compile(r"\w")
    return re.compile((r"(?<![\w.])" if word.match(needle[:1]) else "") + re.escape(needle)
                      + (r"(?!\w)" if word.match(needle[-1:]) else ""))


def _occurs(line: str, text: str) -> bool:
    return _needle(line).search(_compact(text)) is not None


def leaked_lines(source_nb, student_nb) -> list[str]:
    """The secret lines of ``source_nb``'s solutions (see :func:`secret_lines`) that occur
    anywhere in ``student_nb``: markdown or code, whitespace ignored. Since the student
    edition keeps every non-solution cell of the chapter, a hint in the chapter's own
    exercise text or a solution pasted above the answer cell is found too."""
    texts = [cell.source for cell in student_nb.cells]
    return [line for line in secret_lines(source_nb) if any(_occurs(line, text) for text in texts)]


def edition_leaks(chapters: Path, out: Path, names=None) -> dict[str, list[str]]:
    """Leaks of every notebook (or of ``names``) of the edition written to ``out``."""
    found = {}
    for path in mse.book_notebooks(chapters):
        if names is None or path.name in names:
            leaks = leaked_lines(nbformat.read(path, as_version=4), nbformat.read(out / path.name, as_version=4))
            if leaks:
                found[path.name] = leaks
    return found


def _answer_lines(nb, index) -> list[str]:
    _, answers = exercise_layout(nb)
    return [TRAILING_COMMENT.sub("", ln.strip()) for ln in nb.cells[index].source.splitlines()
            if _assigned_names(ln.strip()) & answers[index]]


# --- the real chapters ------------------------------------------------------------------

def test_chapters_are_found():
    assert CHAPTER_PATHS, "no chapter notebooks found"
    assert all(p.name[:2].isdigit() for p in CHAPTER_PATHS)
    assert set(CHAPTER_PATHS) <= set(NOTEBOOK_PATHS)


def test_every_chapter_is_written_and_nothing_else(edition):
    out, summaries = edition
    assert sorted(p.name for p in out.glob("*.ipynb")) == [p.name for p in NOTEBOOK_PATHS]
    assert [s.name for s in summaries] == [p.name for p in NOTEBOOK_PATHS]
    assert (out / "README.md").is_file()


def _assert_clean_edition(source, student, name):
    assert leaked_lines(source, student) == [], f"{name}: solution lines visible in the student edition"
    text = "\n".join(c.source for c in student.cells)
    assert "solution-start" not in text and "solution-end" not in text
    assert not any("solution" in c.get("metadata", {}).get("tags", []) for c in student.cells)
    for cell in student.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None


@pytest.mark.parametrize("path", NOTEBOOK_PATHS, ids=lambda p: p.stem)
def test_no_solution_leaks(edition, path):
    out, _ = edition
    source = nbformat.read(path, as_version=4)
    student = nbformat.read(out / path.name, as_version=4)
    if path in CHAPTER_PATHS:
        assert _solution_cells(source), f"{path.name} has no solutions to remove"
    _assert_clean_edition(source, student, path.name)


@pytest.mark.parametrize("path", NOTEBOOK_PATHS, ids=lambda p: p.stem)
def test_the_edition_is_plain_markdown(edition, path):
    """No MyST role, directive, label, link to a label or page, or solution wording."""
    out, _ = edition
    student = nbformat.read(out / path.name, as_version=4)
    for number, cell in enumerate(student.cells):
        if cell.cell_type == "markdown":
            assert mse.myst_markdown.leftovers(cell.source) == [], f"{path.name} markdown cell {number}"


@pytest.mark.parametrize("path", NOTEBOOK_PATHS, ids=lambda p: p.stem)
def test_the_edition_make_student_wrote_leaks_nothing(written_edition, path):
    out, untouched = written_edition
    if path.name not in untouched:
        pytest.skip(f"{out / path.name} was changed by a student since `make student` wrote it: "
                    "it is their work, not checked")
    source = nbformat.read(path, as_version=4)
    student = nbformat.read(out / path.name, as_version=4)
    _assert_clean_edition(source, student, f"{out / path.name}")
    # what is on disk is what the tool makes from the chapter now
    expected = mse.student_notebook(source, path.name, BOOK_INDEX)
    assert [c.source for c in student.cells] == [c.source for c in expected.cells]


def test_the_edition_make_student_wrote_has_its_readme(written_edition):
    out, untouched = written_edition
    assert out == ROOT / "student"
    if "README.md" in untouched:
        assert (out / "README.md").read_text(encoding="utf-8") == mse.README


@pytest.mark.parametrize("path", CHAPTER_PATHS, ids=lambda p: p.stem)
def test_every_solution_has_lines_the_detector_looks_for(path):
    """Each exercise's solution has at least one answer line (it sets a stub's name), so a
    solution pasted anywhere, even into the teaching code, is found."""
    nb = nbformat.read(path, as_version=4)
    _, answers = exercise_layout(nb)
    by_exercise = {}
    for index, names in answers.items():
        if nb.cells[index].cell_type == "code":
            by_exercise.setdefault(id(names), []).extend(_answer_lines(nb, index))
    assert len(by_exercise) >= MIN_EXERCISES
    assert all(by_exercise.values()), f"{path.name}: a solution sets none of its stub's names"


def _exercise_cells(nb):
    """(exercise markdown index, stub index, first solution code index) of each exercise."""
    found = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown" and EXERCISE_DIRECTIVE.search(cell.source):
            stub = next(i for i in range(index, len(nb.cells)) if mse.is_stub(nb.cells[i]))
            solution = next(i for i in range(stub, len(nb.cells))
                            if nb.cells[i].cell_type == "code" and "solution" in mse._tags(nb.cells[i]))
            found.append((index, stub, solution))
    return found


@pytest.mark.parametrize("path", CHAPTER_PATHS, ids=lambda p: p.stem)
def test_detector_flags_solutions_planted_in_the_real_chapters(path):
    """The detector can fail on the real chapters: for each exercise, a copy of the chapter
    with (1) the whole solution pasted above the answer cell, (2) one answer line quoted as a
    hint in the exercise text (spaced differently), (3) the solution pasted into the
    chapter's first code cell, is flagged."""
    original = nbformat.read(path, as_version=4)
    assert leaked_lines(original, mse.student_notebook(original, path.name, BOOK_INDEX)) == []
    for exercise, stub, solution in _exercise_cells(original):
        answer_lines = _answer_lines(original, solution)
        solution_source = original.cells[solution].source

        pasted = copy.deepcopy(original)
        pasted.cells.insert(stub, nbformat.v4.new_code_cell(solution_source))
        leaks = leaked_lines(pasted, mse.student_notebook(pasted, path.name, BOOK_INDEX))
        assert set(answer_lines) <= set(leaks), f"{path.name}: pasted solution of cell {solution} not flagged"

        hinted = copy.deepcopy(original)
        quoted = max(answer_lines, key=len)
        hinted.cells[exercise].source += f"\n\nHint: try `{quoted.replace(' = ', '=')}`  here."
        assert quoted in leaked_lines(hinted, mse.student_notebook(hinted, path.name, BOOK_INDEX)), f"{path.name}: hint not flagged"

        in_teaching = copy.deepcopy(original)
        first_code = next(i for i, c in enumerate(in_teaching.cells) if c.cell_type == "code")
        in_teaching.cells[first_code].source += "\n" + solution_source
        leaks = leaked_lines(in_teaching, mse.student_notebook(in_teaching, path.name, BOOK_INDEX))
        assert set(answer_lines) <= set(leaks), f"{path.name}: solution pasted into teaching code not flagged"


@pytest.mark.parametrize("path", CHAPTER_PATHS, ids=lambda p: p.stem)
def test_each_chapter_keeps_at_least_three_exercises_with_their_checks(edition, path):
    out, _ = edition
    source = nbformat.read(path, as_version=4)
    student = nbformat.read(out / path.name, as_version=4)
    exercises = [c for c in student.cells if c.cell_type == "markdown" and STUDENT_EXERCISE.search(c.source)]
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
        nbformat.v4.new_code_cell("import numpy as np\nx = 1\nstart_scope()\nmodel = build_the_model(tau=10)"),
        nbformat.v4.new_markdown_cell("```{exercise} Reproduce: toy\n:label: ex-toy\n```"),
        nbformat.v4.new_code_cell("answer = ...", metadata={"tags": ["exercise-stub"]}),
        nbformat.v4.new_markdown_cell("```{solution-start} ex-toy\n:class: dropdown\n```"),
        nbformat.v4.new_code_cell("import numpy as np\nstart_scope()\nmodel = build_the_model(tau=10)\n"
                                  "# the formula from the text\nhelper_value = secret_formula(42)\n"
                                  "answer = helper_value  # the answer\nplt.show()",
                                  metadata={"tags": ["solution"]}),
        nbformat.v4.new_markdown_cell("Because the secret formula is quadratic."),
        nbformat.v4.new_markdown_cell("```{solution-end}\n```"),
        nbformat.v4.new_code_cell("check(answer)"),
        nbformat.v4.new_code_cell("shown_solution = 'tagged only'", metadata={"tags": ["solution"]}),
    ]
    nb.cells[0].outputs = [nbformat.v4.new_output("stream", text="1\n")]
    nb.cells[0].execution_count = 3
    return nb


TOY_SECRETS = ["helper_value = secret_formula(42)", "answer = helper_value",
               "Because the secret formula is quadratic.", "shown_solution = 'tagged only'"]


def test_toy_notebook_loses_solutions_and_keeps_stub_and_check():
    student = mse.student_notebook(_toy_notebook())
    sources = [c.source for c in student.cells]
    assert sources == [_toy_notebook().cells[0].source, "### Exercise 1 (reproduce): toy",
                       "answer = ...", "check(answer)"]
    assert student.cells[0].outputs == [] and student.cells[0].execution_count is None


def test_detector_skips_only_generic_lines():
    """Imports, comments, plt.show(), fences and code the chapter teaches do not count;
    everything else of the solution does, and the clean toy passes."""
    nb = _toy_notebook()
    assert secret_lines(nb) == TOY_SECRETS
    assert leaked_lines(nb, mse.student_notebook(nb)) == []


def test_detector_flags_a_solution_line_quoted_as_a_hint():
    nb = _toy_notebook()
    nb.cells[1].source = ("```{exercise} Reproduce: toy\n:label: ex-toy\n\n"
                          "Hint: start from `helper_value=secret_formula( 42 )`.\n```")
    assert leaked_lines(nb, mse.student_notebook(nb)) == ["helper_value = secret_formula(42)"]


def test_detector_flags_the_whole_solution_pasted_above_the_stub():
    nb = _toy_notebook()
    nb.cells.insert(2, nbformat.v4.new_code_cell(nb.cells[4].source))
    assert leaked_lines(nb, mse.student_notebook(nb)) == TOY_SECRETS[:2]


def test_detector_flags_an_answer_line_anywhere_even_in_teaching_code():
    nb = _toy_notebook()
    nb.cells[0].source += "\nanswer = helper_value"
    assert leaked_lines(nb, mse.student_notebook(nb)) == ["answer = helper_value"]


def test_detector_flags_what_the_tool_would_let_through():
    """Leaks in the student notebook itself (a tool bug): solution code or prose copied in."""
    nb = _toy_notebook()
    student = mse.student_notebook(nb)
    student.cells[-1].source = "answer = helper_value\ncheck(answer)"
    assert leaked_lines(nb, student) == ["answer = helper_value"]
    student.cells.append(nbformat.v4.new_markdown_cell("Because the secret formula is quadratic."))
    assert "Because the secret formula is quadratic." in leaked_lines(nb, student)


def test_detector_reads_the_written_edition(tmp_path):
    """End to end: a chapter whose exercise text quotes its solution, through the tool, is
    flagged in the edition on disk; the clean chapter next to it is not."""
    chapters, out = tmp_path / "chapters", tmp_path / "out"
    chapters.mkdir()
    nbformat.write(_toy_chapter("x = 1", "check(answer{k})"), chapters / "01_clean.ipynb")
    leaky = _toy_chapter("x = 1", "check(answer{k})")
    leaky.cells[1].source += "\nHint: `answer0 = 1000 + 0` works."
    nbformat.write(leaky, chapters / "02_leaky.ipynb")
    mse.make_student_edition(chapters, out)
    assert edition_leaks(chapters, out) == {"02_leaky.ipynb": ["answer0 = 1000 + 0"]}


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
            nbformat.v4.new_code_cell(f"answer{k} = 1000 + {k}", metadata={"tags": ["solution"]}),
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


# --- a student's work survives every rerun ----------------------------------------------

@pytest.fixture
def book(tmp_path):
    """A toy book: two chapters and a data file; ``out`` is where the edition goes."""
    chapters = tmp_path / "chapters"
    chapters.mkdir()
    nbformat.write(_toy_chapter("x = 1", "check(answer{k})"), chapters / "01_one.ipynb")
    nbformat.write(_toy_chapter("y = 2", "check(answer{k})"), chapters / "02_two.ipynb")
    (chapters / "rates.csv").write_text("1,2\n")
    return chapters, tmp_path / "student"


def _student_edits(path: Path, text: str = "answer0 = 1000  # my answer") -> bytes:
    nb = nbformat.read(path, as_version=4)
    next(c for c in nb.cells if mse.is_stub(c)).source = text
    nb.cells[0].outputs = [nbformat.v4.new_output("stream", text="ran it\n")]
    nbformat.write(nb, path)
    return path.read_bytes()


def _update_chapter(chapters: Path, name: str, body: str) -> None:
    nbformat.write(_toy_chapter(body, "check(answer{k})"), chapters / name)


def test_a_rerun_keeps_the_notebook_a_student_edited(book, capsys):
    chapters, out = book
    assert mse.main(["--chapters", str(chapters), "--out", str(out)]) == 0
    mine = _student_edits(out / "01_one.ipynb")
    _update_chapter(chapters, "01_one.ipynb", "x = 10  # the book changed")
    _update_chapter(chapters, "02_two.ipynb", "y = 20  # the book changed")
    capsys.readouterr()

    assert mse.main(["--chapters", str(chapters), "--out", str(out)]) == 0
    said = capsys.readouterr().out
    assert (out / "01_one.ipynb").read_bytes() == mine, "the student's edit was overwritten"
    assert "y = 20" in (out / "02_two.ipynb").read_text(), "the unedited chapter was not updated"
    assert "01_one.ipynb  <- the book has a newer version" in said
    assert "rename your file" in said and "make student FORCE=1" in said and "--out" in said

    # and again: the record still says "edited", so a third run keeps it too
    result = mse.make_student_edition(chapters, out)
    assert result.kept == ["01_one.ipynb"] and (out / "01_one.ipynb").read_bytes() == mine

    # deleting it is how to get a fresh copy
    (out / "01_one.ipynb").unlink()
    result = mse.make_student_edition(chapters, out)
    assert "01_one.ipynb" in result.written and "x = 10" in (out / "01_one.ipynb").read_text()


def test_a_rerun_with_nothing_new_rewrites_nothing(book):
    chapters, out = book
    first = mse.make_student_edition(chapters, out)
    assert sorted(first.written) == ["01_one.ipynb", "02_two.ipynb", "README.md", "rates.csv"]
    mine = _student_edits(out / "02_two.ipynb")
    second = mse.make_student_edition(chapters, out)
    assert second.written == [] and second.kept == ["02_two.ipynb"] and second.outdated == []
    assert (out / "02_two.ipynb").read_bytes() == mine


def test_force_replaces_but_keeps_the_students_version_beside_it(book):
    chapters, out = book
    mse.make_student_edition(chapters, out)
    mine = _student_edits(out / "01_one.ipynb")
    (out / "01_one.mine.ipynb").write_text("an older backup")
    result = mse.make_student_edition(chapters, out, force=True)
    assert result.backups == {"01_one.ipynb": "01_one.mine-2.ipynb"}
    assert (out / "01_one.mine-2.ipynb").read_bytes() == mine
    assert (out / "01_one.mine.ipynb").read_text() == "an older backup"
    assert "answer0 = ..." in (out / "01_one.ipynb").read_text()


def test_files_the_tool_never_wrote_are_kept_unless_identical(book):
    """No record (an edition from before the record existed, or the record deleted): a file
    that differs from what the tool would write is someone's work."""
    chapters, out = book
    mse.make_student_edition(chapters, out)
    mine = _student_edits(out / "01_one.ipynb")
    (out / mse.MANIFEST).unlink()
    result = mse.make_student_edition(chapters, out)
    assert result.kept == ["01_one.ipynb"] and (out / "01_one.ipynb").read_bytes() == mine
    assert sorted(result.unchanged) == ["02_two.ipynb", "README.md", "rates.csv"]


def test_a_chapter_gone_from_the_book_is_removed_only_if_unedited(book):
    chapters, out = book
    nbformat.write(_toy_chapter("z = 3", "check(answer{k})"), chapters / "03_three.ipynb")
    mse.make_student_edition(chapters, out)
    mine = _student_edits(out / "03_three.ipynb")
    (chapters / "03_three.ipynb").unlink()
    (chapters / "02_two.ipynb").unlink()
    (out / "my_notes.ipynb").write_text("a notebook of my own")
    result = mse.make_student_edition(chapters, out)
    assert result.removed == ["02_two.ipynb"] and not (out / "02_two.ipynb").exists()
    assert result.kept == ["03_three.ipynb"] and (out / "03_three.ipynb").read_bytes() == mine
    assert (out / "my_notes.ipynb").read_text() == "a notebook of my own"
    assert "no longer part of the book" in mse.report(result, out)


@pytest.mark.parametrize("where", ["chapters", "chapters/sub", "."])
def test_an_output_folder_overlapping_the_chapters_is_refused(book, where):
    chapters, _ = book
    before = {p: p.read_bytes() for p in chapters.rglob("*") if p.is_file()}
    with pytest.raises(mse.StudentEditionError, match="choose another --out"):
        mse.make_student_edition(chapters, chapters.parent / where)
    assert {p: p.read_bytes() for p in chapters.rglob("*") if p.is_file()} == before


def test_the_default_output_is_outside_build_and_git_ignored():
    assert mse.DEFAULT_OUT == ROOT / "student"
    assert "_build" not in mse.DEFAULT_OUT.relative_to(ROOT).parts
    ignored = (ROOT / ".gitignore").read_text().split()
    assert "/student/" in ignored or "student/" in ignored


def test_the_readme_sends_students_to_the_student_edition():
    readme = mse.README
    assert "make student-lab" in readme and "jupyter lab student" in readme
    assert not re.search(r"make lab\b", readme), "`make lab` opens the chapters, solutions included"
    assert "FORCE=1" in readme and "make clean" in readme
