"""`make refresh` is all or nothing and never overwrites changes git does not have;
`make clean` removes only what is regenerated; the Makefile passes FORCE=1 on.

Everything runs on tiny notebooks in temporary git repositories and on a copy of the
Makefile in a temporary folder: the real chapters are never touched.
"""
from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]

_spec = importlib.util.spec_from_file_location("refresh_notebooks", ROOT / "tools" / "refresh_notebooks.py")
rn = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = rn
_spec.loader.exec_module(rn)

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
needs_make = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


class Log:
    """Collects what the tool prints (stdout and stderr together)."""

    def __init__(self):
        self.lines = []

    def __call__(self, *args, file=None, flush=False):
        self.lines.append(" ".join(str(a) for a in args))

    @property
    def text(self):
        return "\n".join(self.lines)


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)


def _notebook(*sources: str, tags: dict[int, list[str]] | None = None):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# A tiny chapter")]
    for index, source in enumerate(sources):
        cell = nbformat.v4.new_code_cell(source)
        cell.metadata["tags"] = (tags or {}).get(index, [])
        nb.cells.append(cell)
    nb.metadata["language_info"] = {"name": "python", "version": "3.11.7"}
    return nb


GOOD = ("import pathlib\nprint(pathlib.Path('data.txt').read_text().strip())",   # only works in its folder
        "1/0",                                                                  # tagged raises-exception
        "print(6 * 7)")


@pytest.fixture
def repo(tmp_path):
    """A git repository with two committed notebooks in a subfolder: ``good.ipynb`` runs (it
    reads a file next to it, and has a cell meant to fail), ``bad.ipynb`` fails in cell 3."""
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "config", "user.email", "test@example.org")
    _git(tmp_path, "config", "user.name", "Test")
    chapters = tmp_path / "chapters"
    chapters.mkdir()
    (chapters / "data.txt").write_text("read from the notebook's folder\n")
    nbformat.write(_notebook(*GOOD, tags={1: ["raises-exception"]}), chapters / "good.ipynb")
    nbformat.write(_notebook("x = 1", "y = x + 1\nundefined_name"), chapters / "bad.ipynb")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-q", "-m", "notebooks")
    return chapters


@needs_git
def test_a_full_refresh_writes_outputs_as_before(repo):
    """Staged changes are safe in git's index, so the refresh goes ahead; the notebook runs in
    its own folder, in the python3 kernel, and is saved without timings or Python version."""
    good = repo / "good.ipynb"
    nb = nbformat.read(good, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("print('added, then staged')"))
    nbformat.write(nb, good)
    _git(repo, "add", "good.ipynb")
    log = Log()
    assert rn.refresh_all([good], log=log) == 0, log.text
    saved = nbformat.read(good, as_version=4)
    code = [c for c in saved.cells if c.cell_type == "code"]
    assert code[0].outputs[0]["text"] == "read from the notebook's folder\n"
    assert code[1].outputs[0]["ename"] == "ZeroDivisionError"
    assert code[2].outputs[0]["text"] == "42\n" and code[3].outputs[0]["text"] == "added, then staged\n"
    assert saved.metadata["kernelspec"]["name"] == "python3"
    assert saved.metadata["language_info"] == {"name": "python"}
    assert all("execution" not in c.metadata for c in code)
    assert f"refreshed {good}" in log.text


@needs_git
def test_one_failing_notebook_means_none_is_written(repo):
    good, bad = repo / "good.ipynb", repo / "bad.ipynb"
    before = {p: p.read_bytes() for p in (good, bad)}
    log = Log()
    assert rn.refresh_all([good, bad], log=log) == 1
    assert {p: p.read_bytes() for p in (good, bad)} == before, "a notebook was written although one failed"
    assert f"{bad}: cell 2 failed" in log.text and "starts with `y = x + 1`" in log.text
    assert "NameError: name 'undefined_name' is not defined" in log.text
    assert "no notebook was written" in log.text and str(good) not in log.text.split("FAILED")[-1]


@needs_git
@pytest.mark.parametrize("change", ["edited", "untracked", "no git"])
def test_notebooks_with_changes_git_does_not_have_are_refused(repo, tmp_path_factory, change):
    good = repo / "good.ipynb"
    if change == "edited":
        good.write_text(good.read_text().replace("6 * 7", "6 * 9"))
    elif change == "untracked":
        good = repo / "new_chapter.ipynb"
        nbformat.write(_notebook("print(1)"), good)
    else:
        good = tmp_path_factory.mktemp("not_a_repo") / "loose.ipynb"
        nbformat.write(_notebook("print(1)"), good)
    before = good.read_bytes()
    log = Log()
    assert rn.refresh_all([repo / "bad.ipynb", good], log=log) == 2
    assert good.read_bytes() == before
    assert "running" not in log.text, "notebooks were run although the refresh was refused"
    assert str(good) in log.text and str(repo / "bad.ipynb") not in log.text.split("\n", 1)[1]
    assert "git add" in log.text and "FORCE=1" in log.text


@needs_git
def test_what_counts_as_saved_in_git(repo):
    good = repo / "good.ipynb"
    assert rn.unsaved_in_git([good]) == []                       # committed
    good.write_text(good.read_text().replace("6 * 7", "6 * 9"))
    assert [u.reason for u in rn.unsaved_in_git([good])] == ["has changes that are neither committed nor staged"]
    _git(repo, "add", "good.ipynb")
    assert rn.unsaved_in_git([good]) == []                       # staged: `git checkout -- FILE` restores it
    (repo / ".gitignore").write_text("ignored.ipynb\n")
    nbformat.write(_notebook("print(1)"), repo / "ignored.ipynb")
    assert [u.reason for u in rn.unsaved_in_git([repo / "ignored.ipynb"])] == ["is not tracked by git (new, or ignored)"]


def _fake_execute(path):
    nb = nbformat.read(path, as_version=4)
    nb.cells[-1].outputs = [nbformat.v4.new_output("stream", text="fake run\n")]
    return nb


@needs_git
def test_force_rewrites_a_notebook_with_unstaged_changes(repo, monkeypatch):
    monkeypatch.setattr(rn, "execute", _fake_execute)
    good = repo / "good.ipynb"
    good.write_text(good.read_text().replace("6 * 7", "6 * 9"))
    assert rn.refresh_all([good], log=Log()) == 2
    assert rn.refresh_all([good], force=True, log=Log()) == 0
    assert "fake run" in good.read_text() and "6 * 9" in good.read_text()


@needs_git
def test_a_notebook_saved_while_the_refresh_runs_stops_every_write(repo, monkeypatch):
    good, bad = repo / "good.ipynb", repo / "bad.ipynb"

    def execute_while_someone_saves(path):
        if path == bad:
            bad.write_text(bad.read_text().replace("x = 1", "x = 2"))  # saved from Jupyter meanwhile
        return _fake_execute(path)

    monkeypatch.setattr(rn, "execute", execute_while_someone_saves)
    before_good = good.read_bytes()
    saved_by_someone = None
    log = Log()
    assert rn.refresh_all([good, bad], log=log) == 1
    saved_by_someone = bad.read_bytes()
    assert good.read_bytes() == before_good and b"x = 2" in saved_by_someone
    assert "changed on disk" in log.text and "No notebook was written" in log.text


def test_not_a_notebook_is_refused(tmp_path):
    log = Log()
    assert rn.refresh_all([tmp_path / "missing.ipynb"], log=log) == 2
    assert "not a notebook file" in log.text


# --- the Makefile ------------------------------------------------------------------------

@pytest.fixture
def book_copy(tmp_path):
    shutil.copy(ROOT / "Makefile", tmp_path / "Makefile")
    (tmp_path / "constraints").mkdir()
    for name in ["requirements.txt", "pyproject.toml", "constraints/py3.11.txt", "constraints/py3.12.txt",
                 "constraints/py3.13.txt"]:  # what the venv rule needs
        (tmp_path / name).write_text("")
    return tmp_path


def _make(folder: Path, *args: str) -> str:
    done = subprocess.run(["make", "--no-print-directory", *args], cwd=folder, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def _touch(path: Path, text: str = "x") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


@needs_make
def test_make_clean_removes_the_build_and_keeps_every_student_edition(book_copy):
    for rel in ["_build/html/index.html", "_build/.doctrees/x", "_build/jupyter_execute/a.ipynb",
                "_build/.jupyter_cache/db", "_build/student/01_x.ipynb", "student/01_x.ipynb"]:
        _touch(book_copy / rel, "my work")
    said = _make(book_copy, "clean")
    assert sorted(p.name for p in (book_copy / "_build").iterdir()) == ["student"]
    assert (book_copy / "_build/student/01_x.ipynb").read_text() == "my work"
    assert (book_copy / "student/01_x.ipynb").read_text() == "my work"
    assert "Keeping _build/student" in said
    shutil.rmtree(book_copy / "_build/student")
    _touch(book_copy / "_build/html/index.html")
    _make(book_copy, "clean")
    assert not (book_copy / "_build").exists()
    _make(book_copy, "clean")  # nothing to clean is fine


@needs_make
def test_make_passes_force_and_opens_the_student_edition(book_copy):
    """Dry runs (`make -n`) of the recipes: FORCE=1 becomes --force, and student-lab opens
    student/ (never the chapters, which hold the solutions)."""
    assert "--force" not in _make(book_copy, "-n", "refresh")
    assert "refresh_notebooks.py --force chapters/*.ipynb" in _make(book_copy, "-n", "refresh", "FORCE=1")
    assert "refresh_notebooks.py  chapters/03_x.ipynb" in _make(book_copy, "-n", "refresh",
                                                                 "NOTEBOOKS=chapters/03_x.ipynb")
    assert "make_student_edition.py --force" in _make(book_copy, "-n", "student", "FORCE=1")
    lab = _make(book_copy, "-n", "student-lab")
    assert "make_student_edition.py" in lab and "jupyter lab student" in lab
