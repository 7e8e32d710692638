"""pytest plugin: nbval also compares the figures a notebook stores.

nbval 0.11 skips ``image/png`` and ``image/jpeg`` outputs when it compares a re-executed
cell with the notebook (``IPyNbFile.skip_compare``), so a chapter whose stored figure was
replaced by another figure still passed strict nbval. This plugin closes that gap inside
the same nbval run (no notebook runs twice): after nbval has executed a cell and compared
its text outputs, every stored figure of that cell is compared with the figure the
re-execution drew, in order, by the root-mean-square difference of their pixels (the
measure of ``matplotlib.testing.compare.compare_images``, on the 0-255 colour scale).

It applies exactly where nbval compares outputs: not to cells marked
``NBVAL_IGNORE_OUTPUT`` / ``nbval-ignore-output``, ``NBVAL_SKIP``, or stored unrun, and
only to cells marked ``NBVAL_CHECK_OUTPUT`` under ``--nbval-lax``.

Load it with ``-p tests.nbval_figures`` (the Makefile's ``NBVAL_ARGS`` does), from the
repository root. ``--nbval-figure-tol=RMS`` changes the tolerance.

Tolerance: RMS 1.0, i.e. an invisible change of one colour level on every pixel. Measured
(Linux x86-64, matplotlib 3.10.8 as pinned, November 2026):

- the same chapters run twice here, and here against the notebooks as stored on another
  machine (a different CPU: it prints some floats differently in the last digit): all 20
  cell figures byte-identical, RMS 0. With the pinned matplotlib, figures are drawn with
  its own FreeType and its own DejaVu fonts, whatever fonts the machine has;
- the one cross-machine difference seen: chapter 5b's slider frames (spike rasters drawn
  from those last-digit floats, antialiased slightly differently): RMS 0.06 to 0.17;
- a figure swapped for the most similar figure of the same size in the book: RMS 39.8 to
  58; two frames of the beat explorer (same layout, other data): 30.7 to 47.7;
- small edits of chapter 1's figure: star marker 12 -> 10 pt 2.25, dots recoloured 5.2,
  half the dots dropped 5.9, x label reworded 7.4, grey curve removed 9.3, legend
  removed 15.1, red star removed 16.1, legend moved 21.4;
- the same chapters drawn with other rendering settings (what another matplotlib or a
  personal matplotlibrc would do): line antialiasing off RMS 0 to 20.6, text antialiasing
  off 9.4 to 15.4, other font hinting 11 to 33 (glyph widths change, so the layout moves
  by a pixel and every line with it), another font 35 to 54.

So no tolerance absorbs a change of rendering without also letting a removed curve
through: rendering is kept identical instead, by the pinned matplotlib (and no personal
matplotlibrc; the report header names the one in use). The tolerance of 1 is 6 times the
largest rounding difference seen between machines and below every visible edit above.
"""
from __future__ import annotations

import base64
import binascii
import io
import tempfile
from pathlib import Path

import numpy as np
import pytest

DEFAULT_TOLERANCE = 1.0
IMAGE_MIMES = ("image/png", "image/jpeg")
HOW_TO_FIX = (
    "If you changed this figure on purpose, run `make refresh` to store the new outputs, "
    "look at the new figure, and commit the notebook. Otherwise the code no longer draws "
    "the figure the book shows: find out why before refreshing (compare stored.png and "
    "new.png). If many figures fail at once although no code changed, this machine draws "
    "differently: use the pinned matplotlib (`make venv`) and no personal matplotlibrc "
    "(the report header names the rc file in use)."
)


def pytest_addoption(parser):
    group = parser.getgroup("nbval", "Jupyter Notebook validation")
    group.addoption(
        "--nbval-figure-tol", action="store", type=float, default=DEFAULT_TOLERANCE,
        help="largest RMS pixel difference (0-255 scale) allowed between a stored figure "
             f"and the re-executed one (default {DEFAULT_TOLERANCE}; tests/nbval_figures.py says why)",
    )


def pytest_report_header(config):
    if config.option.nbval or config.option.nbval_lax:
        try:
            import matplotlib
            drawn_by = f"; matplotlib {matplotlib.__version__}, rc file {matplotlib.matplotlib_fname()}"
        except ImportError:
            drawn_by = ""
        return (f"nbval figures: stored {' and '.join(IMAGE_MIMES)} outputs compared, "
                f"RMS tolerance {config.option.nbval_figure_tol:g} (tests/nbval_figures.py){drawn_by}")
    return None


# ---------------------------------------------------------------------------------------
# Image comparison, usable on its own.


def decode_image(data) -> np.ndarray:
    """Pixels of a base64 image as nbformat stores it, the way matplotlib's compare_images
    loads a file: RGB when fully opaque, else RGBA. Raises ValueError if unreadable."""
    from PIL import Image

    if isinstance(data, list):  # nbformat allows multi-line strings stored as lists
        data = "".join(data)
    try:
        raw = base64.b64decode(data)
        img = Image.open(io.BytesIO(raw))
        img.load()
    except (binascii.Error, OSError, ValueError, TypeError) as exc:
        raise ValueError(f"not a readable image ({exc})") from exc
    if img.mode != "RGBA" or img.getextrema()[3][0] == 255:
        img = img.convert("RGB")
    return np.asarray(img)


def image_rms(stored: np.ndarray, new: np.ndarray) -> float:
    """Root-mean-square pixel difference, 0-255 scale (matplotlib's ``calculate_rms``).

    Raises ValueError if the images differ in size or channels."""
    if stored.shape != new.shape:
        raise ValueError(f"size differs: stored {_size(stored)}, new {_size(new)}")
    diff = stored.astype(np.int16) - new.astype(np.int16)
    return float(np.sqrt((diff.astype(float) ** 2).mean()))


def _size(a: np.ndarray) -> str:
    channels = {3: "RGB", 4: "RGBA"}.get(a.shape[2] if a.ndim == 3 else 1, "grey")
    return f"{a.shape[1]}x{a.shape[0]} {channels}"


def figures(outputs) -> list[tuple[str, object]]:
    """``(mime, base64 data)`` of every image in a list of cell outputs, in order."""
    found = []
    for out in outputs or []:
        data = out.get("data") or {}
        for mime in IMAGE_MIMES:
            if mime in data:
                found.append((mime, data[mime]))
    return found


def compare_figures(stored_outputs, new_outputs, tol: float) -> list[str]:
    """Problems found comparing the stored figures with the new ones (empty: all match)."""
    stored, new = figures(stored_outputs), figures(new_outputs)
    if len(stored) != len(new):
        return [f"the notebook stores {len(stored)} figure(s) for this cell, "
                f"the re-executed cell drew {len(new)}"]
    problems = []
    for k, ((mime_s, data_s), (mime_n, data_n)) in enumerate(zip(stored, new), start=1):
        where = f"figure {k} of {len(stored)}"
        if mime_s != mime_n:
            problems.append(f"{where}: stored as {mime_s}, re-executed as {mime_n}")
            continue
        try:
            a = decode_image(data_s)
        except ValueError as exc:
            problems.append(f"{where}: the stored figure is {exc}")
            continue
        try:
            b = decode_image(data_n)
        except ValueError as exc:
            problems.append(f"{where}: the re-executed figure is {exc}")
            continue
        try:
            rms = image_rms(a, b)
        except ValueError as exc:
            problems.append(f"{where} ({mime_s}): {exc}")
            continue
        if rms > tol:
            saved = _save_for_inspection(a, b)
            problems.append(f"{where} ({mime_s}): RMS difference {rms:.2f} > tolerance {tol:g} "
                            f"(0-255 colour scale).\n  Stored, new and difference images: {saved}")
    return problems


def _save_for_inspection(stored: np.ndarray, new: np.ndarray) -> str:
    from PIL import Image

    folder = Path(tempfile.mkdtemp(prefix="nbval-figure-"))
    Image.fromarray(stored).save(folder / "stored.png")
    Image.fromarray(new).save(folder / "new.png")
    diff = np.abs(stored.astype(np.int16) - new.astype(np.int16))[..., :3].max(axis=-1)
    Image.fromarray((255 - np.clip(diff * 4, 0, 255)).astype(np.uint8)).save(folder / "diff.png")
    return f"{folder}/{{stored,new,diff}}.png"


# ---------------------------------------------------------------------------------------
# The hook: after nbval's own runtest of each cell.


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    result = yield  # nbval executes the cell and compares its text; its failures pass through
    try:
        from nbval.plugin import IPyNbCell, NbCellError
    except ImportError:  # nbval not installed: nothing to do
        return result
    if not isinstance(item, IPyNbCell):
        return result
    # The same condition under which nbval compares outputs (IPyNbCell.runtest).
    if not item.options["check"] or item.cell.execution_count is None or item.test_outputs is None:
        return result
    problems = compare_figures(item.cell.outputs, item.test_outputs, item.config.option.nbval_figure_tol)
    if problems:
        path = Path(item.path)
        try:
            notebook = path.relative_to(item.config.rootpath)
        except ValueError:
            notebook = path
        raise NbCellError(
            item.cell_num,
            f"Cell figures differ ({notebook}, code cell {item.cell_num})",
            item.cell.source,
            "\n".join(f"- {p}" for p in problems) + "\n" + HOW_TO_FIX,
        )
    return result
