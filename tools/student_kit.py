"""The student kit: the book's notebooks, without solutions, in a zip that runs on its own.

Usage (from the book's folder)::

    .venv/bin/python tools/student_kit.py build [--out _build/student-kit.zip]
    .venv/bin/python tools/student_kit.py requirements          # print the reader requirements
    .venv/bin/python tools/student_kit.py binder                # write binder/requirements.txt
    .venv/bin/python tools/student_kit.py test --python /path/to/python3.12 [--keep]

The zip holds one folder, ``beats-spikes-plasticity-student-kit/``, with

- every notebook of the book (``chapters/NN*.ipynb``) as the student edition writes it
  (``tools/make_student_edition.py``: no solutions, no outputs, plain Markdown), at the top
  of the folder;
- the ``helpers`` package, whole (the exercise checks included), next to them: a notebook's
  kernel starts in the notebook's folder, so ``import helpers`` works without installing
  anything;
- ``requirements.txt`` for readers: only what the notebooks import plus JupyterLab, with the
  versions (and per-Python environment markers) taken from the book's ``requirements.txt``,
  so they never drift apart (see :data:`READER_PACKAGES`); no test or book-building tools;
- ``README.md`` (how to install and open it), ``LICENSE`` and ``LICENSE-TEXT.md``.

``test`` builds the kit into a temporary folder, creates a fresh virtual environment there
with the given Python, installs the kit's ``requirements.txt`` (nothing else), and executes
every notebook in that environment with nbclient, from the kit's folder, up to (not
including) its first cell tagged ``exercise-stub`` (a notebook without one runs whole). It
fails loudly with the notebook, the cell and the error, and prints the time it took.

The web book offers the same zip (``_ext/student_downloads.py`` writes it into the site as
``student-kit.zip`` at the end of every HTML build).
"""
from __future__ import annotations

import argparse
import io
import re
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_student_edition as mse  # noqa: E402  (tools/, next to this file)

ROOT = Path(__file__).resolve().parents[1]
KIT_FOLDER = "beats-spikes-plasticity-student-kit"
DEFAULT_OUT = ROOT / "_build" / "student-kit.zip"

# What a reader needs, by package name: the book's requirements.txt gives the versions and
# environment markers (every line of each package is copied, so per-Python pins carry over).
READER_PACKAGES = [
    "brian2", "numpy", "cython", "scipy", "matplotlib", "jupyterlab", "ipykernel",
    # chapters 8-10 (hearing models, sweeps on Dask saved as netCDF through scipy)
    "brian2hears", "dask", "distributed", "xarray",
]
# Packages a reader needs that the book's requirements.txt may not list (yet): used only
# when it has no line for them, and named in the output. Cython is optional (pip's choice
# for brian2 is right unless the book pins it).
PENDING = {
    "brian2hears": "brian2hears==0.9.2",
    "dask": "dask==2026.8.0",
    "distributed": "distributed==2026.8.0",
    "xarray": "xarray==2026.9.0",
}
OPTIONAL = {"cython"}

REQUIREMENT_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")

KIT_README = """\
# Beats, spikes and plasticity: student kit

The chapters of *Beats, spikes and plasticity: learning Brian 2 through one research
question* as Jupyter notebooks, ready to run. The exercise solutions are not in this kit;
they are in the web book. Each exercise has a cell for your answer (replace each `...`)
and a check cell below it that prints `Correct: ...` or `Not yet: ...` with a hint.

## Install (once)

You need Python 3.11, 3.12 or 3.13. In a terminal, in this folder:

```bash
python3 -m venv .venv              # a private Python environment for the book
source .venv/bin/activate          # on Windows: .venv\\Scripts\\activate
pip install -r requirements.txt    # Brian, numpy, matplotlib, JupyterLab, ...
```

`requirements.txt` picks the newest Brian for your Python (2.9.0 on 3.11, 2.10.1 on 3.12,
2.11.0 on 3.13).

## Work

```bash
source .venv/bin/activate          # on Windows: .venv\\Scripts\\activate
jupyter lab
```

Open a chapter (`01_reading_what_brian_recorded.ipynb` first) and run its cells from the
top, in order. The outputs are empty on purpose: you produce them.

## If `import helpers` fails

The notebooks import `helpers`, the book's small package of shared code and exercise
checks, from the `helpers/` folder next to them. A notebook's kernel starts in the
notebook's own folder, so keep the notebooks in this folder, next to `helpers/`. A notebook
downloaded from a page of the web book belongs here too: save it into this folder.

## Licence

Code (the `helpers` package and the code in the notebooks): MIT licence, see `LICENSE`.
Text and figures: Creative Commons Attribution 4.0 International (CC BY 4.0), see
`LICENSE-TEXT.md`.
"""


class KitError(RuntimeError):
    """The kit cannot be built, or a notebook of the kit failed."""


# --- requirements -----------------------------------------------------------------------

def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def reader_requirements(requirements: Path = ROOT / "requirements.txt") -> tuple[str, list[str]]:
    """The kit's requirements.txt text, and the packages that came from :data:`PENDING`."""
    lines_by_name: dict[str, list[str]] = {}
    for line in requirements.read_text(encoding="utf-8").splitlines():
        stripped = line.split(" #", 1)[0].strip()
        m = REQUIREMENT_NAME.match(stripped)
        if not stripped or stripped.startswith(("#", "-")) or not m:
            continue
        lines_by_name.setdefault(_normalise(m.group(1)), []).append(stripped)
    out = ["# What the notebooks of the student kit need (no test or book-building tools).",
           "# Versions and per-Python markers come from the book's requirements.txt.",
           "# Install with:  pip install -r requirements.txt"]
    pending = []
    for name in READER_PACKAGES:
        found = lines_by_name.get(_normalise(name))
        if found:
            out += found
        elif name in PENDING:
            out.append(PENDING[name])
            pending.append(name)
        elif name not in OPTIONAL:
            raise KitError(f"the book's {requirements.name} has no line for {name!r}, which readers need")
    return "\n".join(out) + "\n", pending


BINDER = ROOT / "binder"
BINDER_EXTRA = ["jupyterlab-myst"]   # Binder opens the chapters: their MyST markup renders


def binder_requirements(requirements: Path = ROOT / "requirements.txt") -> str:
    """binder/requirements.txt: the reader requirements without a jupyterlab pin (repo2docker
    brings its own JupyterLab with notebook 7.4.7, which needs jupyterlab < 4.5), plus
    jupyterlab-myst, whose version comes from the book's requirements.txt."""
    reader, _ = reader_requirements(requirements)
    book = requirements.read_text(encoding="utf-8").splitlines()
    lines = ["# Binder (repo2docker): what the chapters need, from the book's requirements.txt",
             "# (written by `tools/student_kit.py binder`; do not edit by hand). No jupyterlab pin:",
             "# repo2docker's base environment brings JupyterLab with notebook 7.4.7 (jupyterlab < 4.5).",
             "# binder/postBuild installs the helpers package; runtime.txt names the Python."]
    lines += [line for line in reader.splitlines()
              if line and not line.startswith("#") and _normalise(REQUIREMENT_NAME.match(line).group(1)) != "jupyterlab"]
    for name in BINDER_EXTRA:
        found = [line.split(" #", 1)[0].strip() for line in book
                 if (m := REQUIREMENT_NAME.match(line)) and not line.lstrip().startswith("#")
                 and _normalise(m.group(1)) == _normalise(name)]
        if not found:
            raise KitError(f"the book's requirements.txt has no line for {name!r}")
        lines += found
    return "\n".join(lines) + "\n"


# --- the kit ----------------------------------------------------------------------------

def helpers_files(root: Path = ROOT) -> dict[str, bytes]:
    """Every source file of the helpers package (no caches), by path in the kit."""
    files = {}
    for path in sorted((root / "helpers").rglob("*")):
        rel = path.relative_to(root)
        if path.is_dir() or "__pycache__" in rel.parts or path.suffix in {".pyc", ".pyo"} \
                or any(part.startswith(".") for part in rel.parts):
            continue
        files[rel.as_posix()] = path.read_bytes()
    if "helpers/__init__.py" not in files:
        raise KitError(f"no helpers package in {root}")
    return files


def student_notebooks(chapters: Path = ROOT / "chapters") -> dict[str, bytes]:
    """The student edition of every notebook of the book, by file name (in memory)."""
    notebooks = mse.book_notebooks(chapters)
    if not notebooks:
        raise KitError(f"no notebooks in {chapters}")
    book = mse.myst_markdown.book_index(chapters, notebooks={p.name for p in notebooks})
    files = {}
    for path in notebooks:
        try:
            student = mse.student_notebook(nbformat.read(path, as_version=4), path.name, book)
        except mse.StudentEditionError as err:
            message = str(err)
            raise KitError(message if message.startswith(path.name) else f"{path.name}: {message}") from None
        nbformat.validate(student)
        files[path.name] = mse._notebook_bytes(student)
    for path in mse._support_files(chapters):
        files[path.relative_to(chapters).as_posix()] = path.read_bytes()
    return files


def kit_files(root: Path = ROOT) -> dict[str, bytes]:
    """Everything in the kit, by path inside its folder."""
    requirements, _ = reader_requirements(root / "requirements.txt")
    files = student_notebooks(root / "chapters")
    files.update(helpers_files(root))
    files["requirements.txt"] = requirements.encode("utf-8")
    files["README.md"] = KIT_README.encode("utf-8")
    for licence in ("LICENSE", "LICENSE-TEXT.md"):
        if (root / licence).exists():
            files[licence] = (root / licence).read_bytes()
    return files


def kit_zip_bytes(root: Path = ROOT) -> bytes:
    """The kit as a zip (one top folder; fixed timestamps, so the same book gives the same bytes)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in sorted(kit_files(root).items()):
            info = zipfile.ZipInfo(f"{KIT_FOLDER}/{name}", date_time=(2026, 1, 1, 0, 0, 0))
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return buffer.getvalue()


def build(out: Path, root: Path = ROOT) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    data = kit_zip_bytes(root)
    tmp = out.with_name(f".{out.name}.tmp")
    tmp.write_bytes(data)
    tmp.replace(out)
    return out


# --- the test: a fresh environment runs every notebook up to its first exercise ---------

RUNNER = r'''
import sys, time
from pathlib import Path
import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

kit = Path(sys.argv[1])
failures = 0
for path in sorted(kit.glob("*.ipynb")):
    nb = nbformat.read(path, as_version=4)
    stop = next((i for i, c in enumerate(nb.cells)
                 if c.cell_type == "code" and "exercise-stub" in c.get("metadata", {}).get("tags", [])),
                len(nb.cells))
    nb.cells = nb.cells[:stop]
    code_cells = sum(c.cell_type == "code" for c in nb.cells)
    start = time.perf_counter()
    client = NotebookClient(nb, timeout=900, kernel_name="python3",
                            resources={"metadata": {"path": str(kit)}})
    try:
        client.execute()
    except CellExecutionError as err:
        failures += 1
        index = next((i for i, c in enumerate(nb.cells) if c.cell_type == "code"
                      and any(o.get("output_type") == "error" for o in c.get("outputs", []))), "?")
        source = nb.cells[index].source if index != "?" else ""
        print(f"FAILED {path.name}, cell {index} (of the first {stop}):\n{source}\n--- error ---\n{err}",
              flush=True)
        continue
    print(f"ok {path.name}: {code_cells} code cells up to cell {stop} "
          f"({'first exercise stub' if stop < len(nbformat.read(path, as_version=4).cells) else 'no exercise: whole notebook'}) "
          f"in {time.perf_counter() - start:.0f} s", flush=True)
sys.exit(1 if failures else 0)
'''


def _run(command: list[str], what: str, **kwargs) -> None:
    print(f"$ {' '.join(command)}", flush=True)
    result = subprocess.run(command, **kwargs)
    if result.returncode != 0:
        raise KitError(f"{what} failed (exit code {result.returncode}): {' '.join(command)}")


def test_kit(python: str, keep: bool = False, root: Path = ROOT) -> float:
    """Build the kit, install it into a fresh venv made with ``python``, run every notebook
    up to its first exercise stub. Returns the seconds it took; raises KitError on a failure."""
    start = time.perf_counter()
    workdir = Path(tempfile.mkdtemp(prefix="student-kit-test-"))
    try:
        with zipfile.ZipFile(io.BytesIO(kit_zip_bytes(root))) as archive:
            archive.extractall(workdir)
        kit = workdir / KIT_FOLDER
        venv = workdir / "venv"
        _run([python, "-m", "venv", str(venv)], "creating the virtual environment")
        vpython = str(venv / "bin" / "python")
        _run([vpython, "-c", "import sys; print('Python', sys.version.split()[0])"], "Python")
        _run([vpython, "-m", "pip", "install", "--quiet", "--upgrade", "pip"], "upgrading pip")
        _run([vpython, "-m", "pip", "install", "--quiet", "-r", str(kit / "requirements.txt")],
             "pip install -r requirements.txt")
        _run([vpython, "-c", "import brian2, numpy; print('brian2', brian2.__version__, 'numpy', numpy.__version__)"],
             "importing brian2")
        runner = workdir / "run_notebooks.py"
        runner.write_text(RUNNER, encoding="utf-8")
        # the kernel runs in the kit's folder, like a student's Jupyter; the book's own
        # folder is not on any path
        _run([vpython, str(runner), str(kit)], "running the kit's notebooks", cwd=kit)
    finally:
        if keep:
            print(f"kept {workdir}")
        else:
            import shutil
            shutil.rmtree(workdir, ignore_errors=True)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="write the kit zip")
    b.add_argument("--out", type=Path, default=DEFAULT_OUT)
    sub.add_parser("requirements", help="print the kit's requirements.txt")
    sub.add_parser("binder", help="write binder/requirements.txt from the book's requirements.txt")
    t = sub.add_parser("test", help="install the kit into a fresh venv and run every notebook "
                                    "up to its first exercise")
    t.add_argument("--python", required=True, help="the Python that creates the fresh venv")
    t.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args(argv)
    try:
        if args.command == "build":
            out = build(args.out)
            _, pending = reader_requirements()
            print(f"student kit written to {out} ({out.stat().st_size // 1024} kB)")
            if pending:
                print(f"note: {', '.join(pending)} not in requirements.txt; pinned from tools/student_kit.py PENDING")
        elif args.command == "binder":
            BINDER.mkdir(exist_ok=True)
            (BINDER / "requirements.txt").write_text(binder_requirements(), encoding="utf-8")
            print(f"wrote {BINDER / 'requirements.txt'}")
        elif args.command == "requirements":
            text, pending = reader_requirements()
            print(text, end="")
            if pending:
                print(f"# note: {', '.join(pending)} from tools/student_kit.py PENDING", file=sys.stderr)
        else:
            seconds = test_kit(args.python, keep=args.keep)
            print(f"student kit test passed with {args.python} in {seconds:.0f} s")
    except (KitError, mse.StudentEditionError) as err:
        print(f"student kit: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
