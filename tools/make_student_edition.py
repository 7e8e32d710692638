"""Write the student edition of the book: every chapter notebook without its solutions.

Usage (from the book's folder; `make student` runs exactly this, `make student FORCE=1`
adds ``--force``)::

    .venv/bin/python tools/make_student_edition.py [--chapters chapters] [--out student] [--force]

For every notebook of the book (the chapters ``chapters/NN_*.ipynb`` and companion
notebooks such as ``05b_*.ipynb``) it writes a copy to the output folder with the solutions
removed, following the exercise pattern of CONTRIBUTING.md:

- every cell tagged ``solution`` is dropped;
- every cell from a markdown cell containing ``{solution-start}`` up to and including the
  markdown cell containing ``{solution-end}`` is dropped;
- a markdown cell holding a one-piece ``{solution}`` directive is dropped too (the pattern
  does not use it, but it would show a solution if someone did);
- all outputs and execution counts are cleared, so the student runs everything themselves;
- exercise stubs (tag ``exercise-stub``) and the check cells after them stay;
- every markdown cell becomes plain Markdown (``tools/myst_markdown.py``): exercises become
  headings such as "### Exercise 3.2 (modify): title", glossary terms and citations plain
  text, admonitions and dropdowns quoted boxes with a bold title, labels disappear and links
  to labels point to the right notebook, so classic Jupyter, Colab and VS Code show it
  properly. Markup it cannot convert, or any MyST or solution wording left afterwards, is
  refused with a message naming the notebook and cell.

The notebooks import ``helpers`` (checks included), which the book's virtual environment
installs, so nothing else from the book is needed to run them. Other files in the chapters
folder that are not notebooks or pages (images, data) are copied alongside, in case a
chapter reads them. A README explains how to open the notebooks.

Students work in the output folder (``student/`` at the top of the book, git-ignored, and
outside ``_build`` so ``make clean`` never touches it), so this tool never destroys work:

- it records the SHA-256 of every file it writes in ``.student-edition.json`` in the output
  folder; on a later run, a file whose content no longer matches its record (the student
  edited it, or ran it and saved the outputs) is left as it is, and the tool says which files
  it kept and how to get a fresh copy;
- a file it finds but never wrote (no record) is kept too, unless it is byte-for-byte what
  it would write;
- it deletes only files it wrote itself, unchanged, whose chapter is gone from the book;
- ``--force`` replaces the edited files too, but first renames each to ``NAME.mine.ipynb``
  (``NAME.mine-2.ipynb``, ... if that exists), so even then nothing is lost.

A notebook whose markers do not pair up (a start without an end, an end without a start)
is refused with a message naming the cell, because guessing could leak a solution.
"""
from __future__ import annotations

import argparse
import copy
import fcntl
import hashlib
import json
import os
import sys
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent))
import myst_markdown  # noqa: E402  (tools/myst_markdown.py, next to this file)

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "student"               # git-ignored; outside _build so `make clean` keeps it
LEGACY_OUT = ROOT / "_build" / "student"     # where earlier versions of this tool wrote
MANIFEST = ".student-edition.json"           # name -> SHA-256 of the bytes this tool wrote
LOCK = ".student-edition.lock"               # two runs at once take turns
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

1. From the book's folder run `make student-lab`. The first time it installs the book's
   Python environment (including the `helpers` package that the notebooks and their checks
   import); every time, it brings this folder up to date and opens it in JupyterLab.
   Without `make`: `.venv/bin/jupyter lab student` from the book's folder, or any Jupyter
   that uses the book's `.venv`.
   Work here, in `student/`, and not in `chapters/`: the chapters show the solutions.
2. Run a chapter from the top, cell by cell. The outputs are empty on purpose.
3. At each exercise, replace every `...` in the answer cell with your code, run it, then run
   the check cell below it. It prints `Correct: ...` or `Not yet: ...` with a hint.

## Your work is safe

- `make student` and `make student-lab` never overwrite a notebook you changed. They
  remember a fingerprint of every file they wrote (in the hidden file
  `.student-edition.json`), leave every file that no longer matches it alone, and tell you
  which ones they kept.
- `make clean` does not touch this folder.
- To get a fresh copy of a chapter (for example after the book was updated), rename your
  notebook (for example to `01_reading_what_brian_recorded_mine.ipynb`) or delete it, then
  run `make student` again. `make student FORCE=1` refreshes every chapter at once and
  keeps each of your versions beside it as `NAME.mine.ipynb`.

The full book, solutions included, is built by `make book`.
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


def student_notebook(nb, name: str = "notebook.ipynb", book: myst_markdown.BookIndex | None = None):
    """Return a copy of notebook ``nb`` (file name ``name``) without solutions, without
    outputs, and with plain Markdown in its markdown cells.

    ``book`` (from :func:`myst_markdown.book_index`) resolves labels, exercise numbers and
    citations across the book; without it, only the notebook's own labels are known.

    Raises:
        StudentEditionError: unpaired solution markers, MyST markup that cannot be
            converted, or markup or solution wording left after the conversion.
    """
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
    if book is None:
        book = myst_markdown.BookIndex(notebooks={name})
    try:
        myst_markdown.convert_notebook(out, name, book)
    except myst_markdown.MystConversionError as err:
        raise StudentEditionError(str(err)) from None
    for number, cell in enumerate(out.cells):
        if cell.cell_type == "markdown" and (found := myst_markdown.leftovers(cell.source)):
            raise StudentEditionError(f"{name}: markdown cell {number} still has {found[0]}")
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


@dataclass
class Edition:
    """What one run did, for the report printed by :func:`main`. Names are relative to the
    output folder."""

    summaries: list[Summary] = field(default_factory=list)
    written: list[str] = field(default_factory=list)     # new or updated files
    unchanged: list[str] = field(default_factory=list)   # already exactly as they would be written
    kept: list[str] = field(default_factory=list)        # edited by the student: left alone
    outdated: list[str] = field(default_factory=list)    # kept, and the book has a newer version
    backups: dict[str, str] = field(default_factory=dict)  # --force: edited file -> where it was moved
    removed: list[str] = field(default_factory=list)     # unedited files of chapters gone from the book


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _atomic_write(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` so that no reader ever sees half a file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _backup_path(target: Path) -> Path:
    """``01_x.ipynb`` -> ``01_x.mine.ipynb`` (or ``.mine-2``, ``.mine-3`` ... if taken)."""
    candidate = target.with_name(f"{target.stem}.mine{target.suffix}")
    number = 2
    while candidate.exists():
        candidate = target.with_name(f"{target.stem}.mine-{number}{target.suffix}")
        number += 1
    return candidate


def _read_manifest(out: Path) -> dict[str, str]:
    path = out / MANIFEST
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        files = data["files"]
        if isinstance(files, dict) and all(isinstance(v, str) for v in files.values()):
            return dict(files)
    except (ValueError, KeyError, TypeError):
        pass
    # An unreadable record protects nothing: every existing file then counts as edited.
    print(f"warning: {path} is unreadable; every existing file is treated as edited and kept.",
          file=sys.stderr)
    return {}


def _write_manifest(out: Path, files: dict[str, str]) -> None:
    text = json.dumps({"about": "SHA-256 of each file tools/make_student_edition.py wrote here; "
                                "a file that differs from its record was edited and is never overwritten.",
                       "files": dict(sorted(files.items()))}, indent=1) + "\n"
    _atomic_write(out / MANIFEST, text.encode("utf-8"))


@contextmanager
def _locked(out: Path):
    """Hold an exclusive lock on the output folder (two runs at once take turns)."""
    with open(out / LOCK, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _install(out: Path, name: str, data: bytes, manifest: dict[str, str], force: bool,
             edition: Edition) -> None:
    """Write ``data`` to ``out/name`` unless that would destroy a change someone made there."""
    target = out / name
    new_hash = _sha256(data)
    if target.exists():
        current = _sha256(target.read_bytes())
        if current == new_hash:
            manifest[name] = new_hash
            edition.unchanged.append(name)
            return
        if manifest.get(name) != current:  # not what this tool wrote: someone's work
            if not force:
                edition.kept.append(name)
                if manifest.get(name) != new_hash:
                    edition.outdated.append(name)
                return
            backup = _backup_path(target)
            target.rename(backup)
            edition.backups[name] = str(backup.relative_to(out))
    _atomic_write(target, data)
    manifest[name] = new_hash
    edition.written.append(name)


def _notebook_bytes(nb) -> bytes:
    text = nbformat.writes(nb)
    return (text if text.endswith("\n") else text + "\n").encode("utf-8")


def _refuse_dangerous_out(chapters: Path, out: Path) -> None:
    chapters_r, out_r = chapters.resolve(), out.resolve()
    if out_r == chapters_r or chapters_r in out_r.parents:
        raise StudentEditionError(
            f"the output folder {out} is inside the chapters folder {chapters}; choose another --out "
            "(the default is student/ at the top of the book).")
    if out_r in chapters_r.parents:
        raise StudentEditionError(
            f"the output folder {out} contains the chapters folder {chapters}; choose another --out "
            "(the default is student/ at the top of the book).")


def make_student_edition(chapters: Path, out: Path, force: bool = False) -> Edition:
    """Write the student edition of every chapter in ``chapters`` to ``out``.

    Files someone changed since this tool wrote them are kept (see the module docstring);
    with ``force`` they are moved aside to ``NAME.mine.ipynb`` and replaced.

    Raises:
        StudentEditionError: no chapters, unpaired solution markers, or an output folder
            that overlaps the chapters folder. Nothing is written then.
    """
    notebooks = book_notebooks(chapters)
    if not chapter_notebooks(chapters):
        raise StudentEditionError(f"no chapter notebooks ({CHAPTER_GLOB}) found in {chapters}.")
    _refuse_dangerous_out(chapters, out)
    # Build everything in memory first: a refused chapter means nothing is written.
    files: dict[str, bytes] = {}
    edition = Edition()
    book = myst_markdown.book_index(chapters, notebooks={p.name for p in notebooks})
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        try:
            student = student_notebook(nb, path.name, book)
        except StudentEditionError as err:
            message = str(err)
            raise StudentEditionError(message if message.startswith(path.name)
                                      else f"{path.name}: {message}") from None
        nbformat.validate(student)
        files[path.name] = _notebook_bytes(student)
        edition.summaries.append(Summary(
            name=path.name,
            cells_in=len(nb.cells),
            cells_out=len(student.cells),
            solution_cells_removed=len(nb.cells) - len(student.cells),
            exercise_stubs=sum(is_stub(c) for c in student.cells),
        ))
    for path in _support_files(chapters):
        files[path.relative_to(chapters).as_posix()] = path.read_bytes()
    files["README.md"] = README.encode("utf-8")

    out.mkdir(parents=True, exist_ok=True)
    with _locked(out):
        manifest = _read_manifest(out)
        for name, data in files.items():
            _install(out, name, data, manifest, force, edition)
        # Files this tool wrote for chapters that are gone: delete them if unedited.
        for name in sorted(set(manifest) - set(files)):
            target = out / name
            if not target.exists():
                del manifest[name]
            elif _sha256(target.read_bytes()) == manifest[name]:
                target.unlink()
                del manifest[name]
                edition.removed.append(name)
            else:
                edition.kept.append(name)  # its record stays, so it keeps counting as edited
        _write_manifest(out, manifest)
    return edition


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def report(edition: Edition, out: Path) -> str:
    """The text :func:`main` prints after a run: what was written, and what was kept and why."""
    lines = []
    for s in edition.summaries:
        lines.append(f"{s.name}: {s.cells_in} cells -> {s.cells_out} "
                     f"({s.solution_cells_removed} solution cells removed, {s.exercise_stubs} exercise stubs)")
    where = _shown(out)
    lines.append(f"student edition in {where}/: {len(edition.written)} written, "
                 f"{len(edition.unchanged)} already up to date, {len(edition.kept)} kept because you changed them.")
    for name, backup in edition.backups.items():
        lines.append(f"  replaced {name}; your version is now {where}/{backup}")
    for name in edition.removed:
        lines.append(f"  removed {name}: no longer part of the book, and you had not changed it")
    if edition.kept:
        lines.append("")
        lines.append("Kept as they are (changed since `make student` wrote them, so they hold your work):")
        for name in edition.kept:
            note = ("  <- the book has a newer version" if name in edition.outdated
                    else "" if name in {s.name for s in edition.summaries} or name == "README.md"
                    else "  <- no longer part of the book")
            lines.append(f"  {where}/{name}{note}")
        lines.append("To get a fresh copy of one, rename your file (to keep your work) or delete it, "
                     "then run `make student` again.")
        lines.append("`make student FORCE=1` replaces them all and keeps each of yours as NAME.mine.ipynb; "
                     "`--out OTHER_FOLDER` writes a complete fresh edition elsewhere.")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chapters", type=Path, default=ROOT / "chapters", help="folder with NN_*.ipynb")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder (default: student/)")
    parser.add_argument("--force", action="store_true",
                        help="also replace files you changed (each is first renamed to NAME.mine.ipynb)")
    args = parser.parse_args(argv)
    try:
        edition = make_student_edition(args.chapters, args.out, force=args.force)
    except StudentEditionError as err:
        print(f"student edition not written: {err}", file=sys.stderr)
        return 1
    print(report(edition, args.out))
    if args.out.resolve() == DEFAULT_OUT.resolve() and any(LEGACY_OUT.glob("*.ipynb")):
        print(f"\nNote: an older student edition is still in {_shown(LEGACY_OUT)}/. If you did any work "
              f"there, move those notebooks into {_shown(DEFAULT_OUT)}/ (it is outside _build, so "
              "`make clean` leaves it alone); `make clean` keeps the old folder too.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
