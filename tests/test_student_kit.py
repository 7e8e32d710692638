"""The student kit, the web book's downloads and the chapters in JupyterLab:

- the kit (tools/student_kit.py) holds every notebook of the book as plain Markdown with no
  solution, the whole helpers package next to them (importable from the kit's folder with
  nothing installed), a README, the licences and a reader requirements.txt derived from the
  book's, without test or book-building tools;
- every notebook that leaves the book has no MyST role, directive, label or solution wording
  (the notebooks are discovered: chapters/*.ipynb);
- the Sphinx extension (_ext/student_downloads.py) replaces the downloadable notebooks of a
  built site by their student versions and writes the kit;
- binder/ has the reader requirements and the Python version, without a jupyterlab pin;
- every solution cell of the chapters starts collapsed in JupyterLab
  (tools/collapse_solutions.py).

Running the kit's notebooks in a fresh environment on another Python is the CI command
``tools/student_kit.py test --python ...`` (minutes, so not a unit test).
"""
from __future__ import annotations

import importlib.util
import io
import re
import subprocess
import sys
import zipfile
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]


def _load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


kit = _load("student_kit", ROOT / "tools" / "student_kit.py")
collapse = _load("collapse_solutions", ROOT / "tools" / "collapse_solutions.py")
mse = kit.mse
mm = mse.myst_markdown

NOTEBOOKS = sorted(ROOT.glob("chapters/*.ipynb"))
TOOLS_NOT_FOR_READERS = ["pytest", "nbval", "hypothesis", "jupyter-book", "sphinx", "jupytext",
                         "playwright", "axe-playwright", "mutmut", "ruff", "nbconvert"]


@pytest.fixture(scope="module")
def kit_dir(tmp_path_factory):
    """The kit, built from the book as it is now and unzipped."""
    where = tmp_path_factory.mktemp("kit")
    with zipfile.ZipFile(io.BytesIO(kit.kit_zip_bytes())) as archive:
        names = archive.namelist()
        assert all(n.startswith(kit.KIT_FOLDER + "/") for n in names), "the zip must hold one folder"
        archive.extractall(where)
    return where / kit.KIT_FOLDER


def test_every_notebook_of_the_book_is_in_the_kit_next_to_helpers(kit_dir):
    expected = {p.name for p in mse.book_notebooks(ROOT / "chapters")}
    assert expected and {p.name for p in kit_dir.glob("*.ipynb")} == expected
    for name in ["README.md", "requirements.txt", "LICENSE", "LICENSE-TEXT.md", "helpers/__init__.py"]:
        assert (kit_dir / name).is_file(), name


def test_the_whole_helpers_package_is_in_the_kit(kit_dir):
    for source in (ROOT / "helpers").rglob("*.py"):
        rel = source.relative_to(ROOT)
        assert (kit_dir / rel).read_bytes() == source.read_bytes(), f"{rel} missing or different"
    assert (kit_dir / "helpers" / "checks").is_dir()
    assert not list(kit_dir.rglob("__pycache__"))


def test_helpers_import_from_the_kit_folder_without_installing(kit_dir):
    """A kernel starts in the notebook's folder: `import helpers` finds the kit's copy (and
    would without the book's environment: the book's .venv has it installed, so the test
    checks which copy was imported)."""
    result = subprocess.run(
        [sys.executable, "-c", "import helpers, helpers.checks; print(helpers.__file__)"],
        cwd=kit_dir, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert Path(result.stdout.strip()).resolve().is_relative_to(kit_dir.resolve())


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_notebook_leaving_the_book_has_myst_or_a_solution(kit_dir, path):
    """Every notebook that leaves the book (kit, student edition, download: one converter)
    has plain Markdown and no solution."""
    if path not in mse.book_notebooks(ROOT / "chapters"):
        pytest.skip(f"{path.name} is not a notebook of the book")
    nb = nbformat.read(kit_dir / path.name, as_version=4)
    for number, cell in enumerate(nb.cells):
        tags = cell.get("metadata", {}).get("tags", [])
        assert "solution" not in tags, f"{path.name} cell {number} is a solution"
        if cell.cell_type == "markdown":
            assert mm.leftovers(cell.source) == [], f"{path.name} markdown cell {number}"
        else:
            assert cell.outputs == [] and cell.execution_count is None
    source = nbformat.read(path, as_version=4)
    exercises = sum("{exercise}" in c.source for c in source.cells if c.cell_type == "markdown")
    headings = sum(bool(re.search(r"^### Exercise ", c.source, re.M))
                   for c in nb.cells if c.cell_type == "markdown")
    assert headings == exercises, f"{path.name}: {exercises} exercises, {headings} headings"


def test_the_first_cell_link_to_running_becomes_plain_text():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(
        "**Running this notebook yourself.** ... see [Running the notebooks](sec-running).")]
    book = mm.book_index(ROOT / "chapters")
    student = mse.student_notebook(nb, "01_x.ipynb", book)
    assert student.cells[0].source.endswith("see Running the notebooks.")


def test_reader_requirements_come_from_the_book_and_leave_out_its_tools(kit_dir):
    text = (kit_dir / "requirements.txt").read_text()
    book = (ROOT / "requirements.txt").read_text()
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    names = {kit._normalise(re.match(r"[A-Za-z0-9._-]+", line).group()) for line in lines}
    for name in ["brian2", "numpy", "scipy", "matplotlib", "jupyterlab", "ipykernel"]:
        assert name in names, f"{name} missing from the kit's requirements"
    for tool in TOOLS_NOT_FOR_READERS:
        assert not any(n.startswith(tool) for n in names), f"{tool} is not for readers"
    _, pending = kit.reader_requirements()
    for line in lines:
        name = kit._normalise(re.match(r"[A-Za-z0-9._-]+", line).group())
        if name not in {kit._normalise(p) for p in pending}:
            assert line in book, f"{line!r} is not a line of the book's requirements.txt"
    brian = [line for line in lines if line.lower().startswith("brian2==")]
    assert len(brian) >= 1


def test_reader_requirements_keep_every_marker_line(tmp_path):
    requirements = tmp_path / "requirements.txt"
    requirements.write_text(
        'brian2==2.9.0; python_version < "3.12"\nbrian2==2.10.1; python_version == "3.12"\n'
        "numpy==2.3.5  # comment\npytest==9.0.2\nscipy==1\nmatplotlib==3\njupyterlab==4\n"
        "ipykernel==6\n-c constraints.txt\n")
    text, pending = kit.reader_requirements(requirements)
    assert 'brian2==2.9.0; python_version < "3.12"' in text
    assert 'brian2==2.10.1; python_version == "3.12"' in text
    assert "numpy==2.3.5\n" in text and "pytest" not in text and "constraints" not in text
    assert set(pending) == set(kit.PENDING)


def test_reader_requirements_refuse_a_missing_reader_package(tmp_path):
    requirements = tmp_path / "requirements.txt"
    requirements.write_text("numpy==2.3.5\n")
    with pytest.raises(kit.KitError, match="brian2"):
        kit.reader_requirements(requirements)


def test_the_kit_readme_says_how_to_install_and_what_to_do_without_helpers(kit_dir):
    readme = (kit_dir / "README.md").read_text()
    for needed in ["pip install -r requirements.txt", "jupyter lab", "3.11", "3.12", "3.13",
                   "helpers", "CC BY 4.0", "MIT"]:
        assert needed in readme
    assert mm.leftovers(readme) == []


def test_the_kit_zip_is_reproducible():
    assert kit.kit_zip_bytes() == kit.kit_zip_bytes()


# --- the web book's downloads ----------------------------------------------------------

def test_the_extension_replaces_downloads_and_writes_the_kit(tmp_path):
    ext = _load("student_downloads", ROOT / "_ext" / "student_downloads.py")
    sources = tmp_path / "_sources" / "chapters"
    sources.mkdir(parents=True)
    for path in mse.book_notebooks(ROOT / "chapters"):
        (sources / path.name).write_bytes(path.read_bytes())
    app = SimpleNamespace(srcdir=str(ROOT), outdir=str(tmp_path),
                          builder=SimpleNamespace(format="html"))
    ext.replace_downloads(app, None)
    for copied in sources.glob("*.ipynb"):
        nb = nbformat.read(copied, as_version=4)
        assert not mse.solution_cell_indices(nb)
        assert all(mm.leftovers(c.source) == [] for c in nb.cells if c.cell_type == "markdown")
    assert zipfile.is_zipfile(tmp_path / ext.KIT_NAME)


def test_the_book_is_configured_to_use_the_extension_and_links_the_kit():
    config = (ROOT / "_config.yml").read_text()
    assert re.search(r"local_extensions:\s*\n\s+student_downloads: _ext/", config)
    assert "use_download_button: true" in config
    assert "extra_footer" in config and "CC BY 4.0" in config and "MIT" in config
    intro = (ROOT / "chapters" / "intro.md").read_text()
    assert "(sec-running)=\n## Running the notebooks" in intro
    assert 'href="../student-kit.zip"' in intro


# --- binder -----------------------------------------------------------------------------

def test_binder_has_reader_requirements_and_a_python_version_without_a_jupyterlab_pin():
    binder = ROOT / "binder"
    runtime = (binder / "runtime.txt").read_text().strip()
    assert re.fullmatch(r"python-3\.1[1-3]", runtime)
    lines = [l for l in (binder / "requirements.txt").read_text().splitlines()
             if l.strip() and not l.startswith("#")]
    names = [kit._normalise(re.match(r"[A-Za-z0-9._-]+", l).group()) for l in lines]
    assert "jupyterlab" not in names, "repo2docker's notebook 7.4.7 needs jupyterlab < 4.5"
    assert (binder / "requirements.txt").read_text() == kit.binder_requirements(), (
        "binder/requirements.txt is out of date: .venv/bin/python tools/student_kit.py binder")
    reader, _ = kit.reader_requirements()
    for line in reader.splitlines():
        if line and not line.startswith("#") and not line.startswith("jupyterlab=="):
            assert line in lines, f"binder/requirements.txt lacks {line!r}"
    assert "pip install" in (binder / "postBuild").read_text()


# --- solutions start collapsed in JupyterLab -------------------------------------------

def _toy():
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("```{exercise} Modify: x\n:label: ex-x\n```"),
        nbformat.v4.new_code_cell("x = ...", metadata={"tags": ["exercise-stub"]}),
        nbformat.v4.new_markdown_cell("```{solution-start} ex-x\n:class: dropdown\n```"),
        nbformat.v4.new_code_cell("x = 1", metadata={"tags": ["solution"]}),
        nbformat.v4.new_markdown_cell("Because.\n\n```{solution-end}\n```"),
        nbformat.v4.new_code_cell("check(x)"),
        nbformat.v4.new_code_cell("y = 2", metadata={"tags": ["solution"]}),
    ]
    return nb


def test_collapse_marks_solution_cells_and_nothing_else():
    nb = _toy()
    nb.cells.insert(6, nbformat.v4.new_markdown_cell("```{solution-start} ex-x\n```"))
    nb.cells.insert(7, nbformat.v4.new_code_cell("x = 2"))
    nb.cells.insert(8, nbformat.v4.new_markdown_cell("```{solution-end}\n```"))
    assert collapse.not_collapsed(nb) == [3, 4, 7, 9]   # markers alone stay visible
    assert collapse.collapse(nb) == 4 and collapse.collapse(nb) == 0
    hidden = [i for i, c in enumerate(nb.cells) if c.metadata.get("jupyter", {}).get("source_hidden")]
    assert hidden == [3, 4, 7, 9]
    assert nb.cells[3].metadata["jupyter"]["outputs_hidden"] is True
    assert "outputs_hidden" not in nb.cells[4].metadata["jupyter"]   # markdown
    assert nb.cells[3].metadata["tags"] == ["solution"]


@pytest.mark.parametrize("path", [p for p in NOTEBOOKS if p.name[:2].isdigit()], ids=lambda p: p.stem)
def test_every_solution_cell_of_the_chapters_starts_collapsed(path):
    """Run `.venv/bin/python tools/collapse_solutions.py chapters/*.ipynb` after adding or
    editing a solution."""
    nb = nbformat.read(path, as_version=4)
    assert collapse.not_collapsed(nb) == [], (
        f"{path.name}: solution cells not collapsed; run "
        f".venv/bin/python tools/collapse_solutions.py {path.relative_to(ROOT)}")
