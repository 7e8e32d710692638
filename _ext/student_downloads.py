"""Sphinx extension: what the web book hands out carries no solutions and no raw MyST.

Jupyter Book's download button on a chapter page links to the page's source, copied by
Sphinx to ``_sources/chapters/NN_x.ipynb`` in the built site: the full notebook, solutions
included, with MyST markup a plain Jupyter shows raw. At the end of every HTML build this
extension

- replaces every ``_sources/**/*.ipynb`` with its student version (solutions and outputs
  removed, plain Markdown: ``tools/make_student_edition.py`` and ``tools/myst_markdown.py``);
- writes the student kit (``tools/student_kit.py``) to ``student-kit.zip`` at the top of the
  site, where the introduction's "Running the notebooks" section links to it.

Anything the student edition refuses (unpaired solution markers, markup it cannot convert)
fails the build with the notebook and cell named. Loaded by ``_config.yml``
(``sphinx: local_extensions: student_downloads: _ext/``).
"""
from __future__ import annotations

import sys
from pathlib import Path

from sphinx.errors import ExtensionError
from sphinx.util import logging

logger = logging.getLogger(__name__)

KIT_NAME = "student-kit.zip"


def _tools(srcdir: Path):
    tools = srcdir / "tools"
    if str(tools) not in sys.path:
        sys.path.insert(0, str(tools))
    import make_student_edition
    import student_kit

    return make_student_edition, student_kit


def replace_downloads(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    srcdir, outdir = Path(app.srcdir), Path(app.outdir)
    mse, kit = _tools(srcdir)
    import nbformat

    sources = outdir / "_sources"
    chapters = srcdir / "chapters"
    notebooks = mse.book_notebooks(chapters)
    book = mse.myst_markdown.book_index(chapters, notebooks={p.name for p in notebooks})
    replaced = 0
    for copied in sorted(sources.rglob("*.ipynb")):
        original = srcdir / copied.relative_to(sources)
        if not original.exists():
            raise ExtensionError(f"student_downloads: {copied} has no source notebook {original}")
        try:
            student = mse.student_notebook(nbformat.read(original, as_version=4), original.name, book)
        except mse.StudentEditionError as err:
            raise ExtensionError(f"student_downloads: {err}") from None
        copied.write_bytes(mse._notebook_bytes(student))
        replaced += 1
    try:
        kit.build(outdir / KIT_NAME, root=srcdir)
    except (kit.KitError, mse.StudentEditionError) as err:
        raise ExtensionError(f"student_downloads: the student kit: {err}") from None
    logger.info(f"student_downloads: {replaced} downloadable notebooks replaced by their student "
                f"versions; {KIT_NAME} written")


def setup(app):
    app.connect("build-finished", replace_downloads)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
