"""Figures saved inside widgets are real pictures, in the notebooks and on the built pages.

A saved ipywidgets explorer (chapter 5b's beat explorer, as long as it is one) stores its
figure in the notebook's widget state, for example as ``<img src="data:image/png;...">``
in an ``HTML`` widget's value. nbval never sees it (it is not a cell output) and the other
browser tests only check that sliders render, so an emptied or blank figure there passed
everything. Here:

- ``figure_problems`` says what is wrong with an image: not decodable, too small, blank
  (one colour, almost no ink), or without any coloured data drawn (axes only);
- unit tests (no browser) prove it rejects blank, tiny, broken and axes-only images, and
  check every figure saved in a chapter's displayed widgets, read from the notebook;
- the browser test opens every built page with saved widgets in Chromium and checks every
  image the widgets render: what its ``src`` holds, that Chromium decoded it, and a
  screenshot of it as painted on the page.

Both require that a displayed widget group with a slider (an explorer) shows at least one
figure: a saved explorer whose figure was emptied fails. Without saved widgets in the
chapters or the build, these tests skip.
"""
from __future__ import annotations

import base64
import binascii
import io
import re
from pathlib import Path

import numpy as np
import pytest

from .conftest import BOOK_HTML, ROOT, book_pages

CHAPTERS = ROOT / "chapters"
WIDGET_STATE_MIME = "application/vnd.jupyter.widget-state+json"
WIDGET_VIEW_MIME = "application/vnd.jupyter.widget-view+json"
DATA_URI = re.compile(r"^data:image/[a-z+.-]+;base64,(.*)$", re.S)

# Thresholds, set from the explorer's saved figures (576x259 px; 276-314 distinct colours;
# 11% of pixels carry ink; 6-7% are strongly coloured: the blue and orange rasters and
# weight line) and from matplotlib references: a blank figure has 1 colour and no ink, a
# figure with empty labelled axes has about 2% ink but not one coloured pixel.
MIN_WIDTH, MIN_HEIGHT = 200, 100    # px; the explorer draws 576x259
MIN_COLOURS = 8                     # distinct RGB values
MIN_INK = 0.01                      # fraction of pixels visibly darker than white
MIN_COLOURED = 0.005                # fraction of saturated pixels: data drawn in colour
INK_BELOW = 240                     # a pixel with a channel below this is ink
COLOURED_SPREAD = 60                # max - min channel above this is a colour, not a grey


def figure_problems(png: bytes, *, need_colour: bool = True) -> list[str]:
    """What makes ``png`` (image file bytes) not a real figure; empty if it is one.

    Transparent pixels count as white (the page behind a figure is white).
    """
    from PIL import Image, UnidentifiedImageError

    if not png:
        return ["the image is empty (0 bytes)"]
    try:
        img = Image.open(io.BytesIO(png))
        img.load()
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        return [f"the image cannot be decoded ({exc})"]
    problems = []
    if img.width < MIN_WIDTH or img.height < MIN_HEIGHT:
        problems.append(f"it is only {img.width}x{img.height} px (expected at least {MIN_WIDTH}x{MIN_HEIGHT})")
    rgba = img.convert("RGBA")
    on_white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
    on_white.alpha_composite(rgba)
    px = np.asarray(on_white.convert("RGB")).reshape(-1, 3).astype(int)
    colours = len(np.unique(px, axis=0))
    ink = float((px.min(axis=1) < INK_BELOW).mean())
    coloured = float(((px.max(axis=1) - px.min(axis=1)) > COLOURED_SPREAD).mean())
    if colours < MIN_COLOURS or ink < MIN_INK:
        problems.append(f"it is blank: {colours} distinct colour(s), {ink:.1%} of pixels with ink "
                        f"(expected at least {MIN_COLOURS} and {MIN_INK:.0%})")
    elif need_colour and coloured < MIN_COLOURED:
        problems.append(f"no data is drawn: only {coloured:.2%} of pixels are coloured "
                        f"(expected at least {MIN_COLOURED:.1%}; axes and labels alone are grey)")
    return problems


def decode_data_uri(src: str) -> bytes:
    """The bytes of a base64 ``data:image/...`` URI; b'' if it is not one."""
    m = DATA_URI.match(src or "")
    if not m:
        return b""
    try:
        return base64.b64decode(m.group(1), validate=False)
    except (binascii.Error, ValueError):
        return b""


# ---------------------------------------------------------------------------------------
# Unit tests of the check (no browser): it fails on what it must fail on.


def _png(draw) -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5.76, 2.59), dpi=100)
    draw(fig, ax)
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    plt.close(fig)
    return buf.getvalue()


def _plain_png(size, colour, mode="RGB") -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new(mode, size, colour).save(buf, format="png")
    return buf.getvalue()


def test_check_rejects_blank_tiny_broken_and_empty_images():
    assert "blank" in " ".join(figure_problems(_plain_png((576, 259), "white")))
    assert "blank" in " ".join(figure_problems(_plain_png((576, 259), (0, 0, 0, 0), "RGBA")))  # transparent
    assert "blank" in " ".join(figure_problems(_plain_png((576, 259), (31, 119, 180))))  # one colour
    assert "only 1x1 px" in " ".join(figure_problems(_plain_png((1, 1), "white")))
    assert figure_problems(b"") == ["the image is empty (0 bytes)"]
    assert "cannot be decoded" in figure_problems(b"\x89PNG\r\n\x1a\n not really")[0]
    assert figure_problems(decode_data_uri("data:image/png;base64,")) == ["the image is empty (0 bytes)"]

    def axes_only(fig, ax):
        ax.set_xlabel("time (ms)")
        ax.set_ylabel("weight")

    def blank_figure(fig, ax):
        ax.set_axis_off()

    assert "no data is drawn" in " ".join(figure_problems(_png(axes_only)))
    assert "blank" in " ".join(figure_problems(_png(blank_figure)))


def test_check_accepts_a_figure_with_data():
    def lines(fig, ax):
        ax.plot([0, 1, 2], [0.5, 0.7, 0.2], color="C0")
        ax.plot([0, 2], [0.1, 0.9], "|", color="C1", markersize=20)
        ax.set_xlabel("time (ms)")

    assert figure_problems(_png(lines)) == []


def saved_widget_figures(nb) -> list[tuple[str, bool, list[bytes]]]:
    """For each widget a notebook cell displays: ``(model id, has a slider, figures)``.

    Follows the saved widget state from each displayed view through its children. Figures
    are the images of ``<img src="data:...">`` in widget values and of ``Image`` widgets
    (``b''`` where an ``<img>`` holds no data URI).
    """
    state = nb.metadata.get("widgets", {}).get(WIDGET_STATE_MIME, {}).get("state", {})
    shown = [o["data"][WIDGET_VIEW_MIME]["model_id"]
             for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
             if WIDGET_VIEW_MIME in o.get("data", {})]
    found = []
    for root in shown:
        todo, seen, slider, images = [root], set(), False, []
        while todo:
            model_id = todo.pop()
            if model_id in seen or model_id not in state:
                continue
            seen.add(model_id)
            model = state[model_id]
            slider |= "Slider" in model.get("model_name", "")
            todo += [c.removeprefix("IPY_MODEL_") for c in model["state"].get("children", [])]
            images += [decode_data_uri(src) for src in
                       re.findall(r'<img\b[^>]*\bsrc="([^"]*)"', str(model["state"].get("value", "")))]
            if model.get("model_name") == "ImageModel":
                images += [base64.b64decode(b.get("data", "")) for b in model.get("buffers", [])
                           if b.get("path") == ["value"]]
        found.append((root, slider, images))
    return found


def saved_widget_problems(nb, name: str) -> list[str]:
    """What is wrong with the figures saved in the widgets notebook ``nb`` displays."""
    problems = []
    for model_id, slider, images in saved_widget_figures(nb):
        where = f"{name}, saved widget {model_id[:8]}"
        if slider and not images:
            problems.append(f"{where}: has sliders but saves no figure (emptied?)")
        for k, png in enumerate(images, start=1):
            found = figure_problems(png)
            if found:
                problems.append(f"{where}, figure {k} of {len(images)}: " + "; ".join(found))
    return problems


def _explorer_notebook(figure_html: str):
    """A notebook displaying a saved slider and an HTML widget holding ``figure_html``."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    state = {
        "box": {"model_name": "VBoxModel", "state": {"children": ["IPY_MODEL_slider", "IPY_MODEL_fig"]}},
        "slider": {"model_name": "FloatSliderModel", "state": {"value": 20.0}},
        "fig": {"model_name": "HTMLModel", "state": {"value": figure_html}},
    }
    nb.metadata["widgets"] = {WIDGET_STATE_MIME: {"state": state, "version_major": 2, "version_minor": 0}}
    nb.cells.append(nbformat.v4.new_code_cell("explorer", execution_count=1, outputs=[
        nbformat.v4.new_output("execute_result", {WIDGET_VIEW_MIME: {"model_id": "box"}, "text/plain": "x"},
                               execution_count=1)]))
    return nb


def test_saved_widget_check_catches_emptied_and_blank_figures():
    def lines(fig, ax):
        ax.plot([0, 1, 2], [0.5, 0.7, 0.2], color="C0")

    real = base64.b64encode(_png(lines)).decode()
    blank = base64.b64encode(_plain_png((576, 259), "white")).decode()
    assert saved_widget_problems(_explorer_notebook(f'<img src="data:image/png;base64,{real}" alt="a">'), "nb") == []
    assert "saves no figure" in " ".join(saved_widget_problems(_explorer_notebook(""), "nb"))
    assert "empty (0 bytes)" in " ".join(
        saved_widget_problems(_explorer_notebook('<img src="data:image/png;base64," alt="a">'), "nb"))
    assert "blank" in " ".join(
        saved_widget_problems(_explorer_notebook(f'<img src="data:image/png;base64,{blank}" alt="a">'), "nb"))


def _notebooks_with_saved_widgets() -> list[Path]:
    import nbformat

    return [p for p in sorted(CHAPTERS.glob("*.ipynb"))
            if saved_widget_figures(nbformat.read(p, as_version=4))]


@pytest.mark.parametrize("notebook", _notebooks_with_saved_widgets() or ["<none>"],
                         ids=lambda p: getattr(p, "name", str(p)))
def test_saved_widget_figures_in_notebook_are_real(notebook):
    """Every figure saved in a displayed widget is a real figure, and an explorer has one."""
    import nbformat

    if notebook == "<none>":
        pytest.skip("no chapter displays saved widgets")
    problems = saved_widget_problems(nbformat.read(notebook, as_version=4), notebook.name)
    assert not problems, ("\n".join(problems) + "\nFix what draws the figure, then run `make refresh` "
                          "so the notebook stores the widgets as drawn.")


# ---------------------------------------------------------------------------------------
# The built page, in Chromium.


def _widget_pages() -> list[str]:
    return [p for p in book_pages() if WIDGET_STATE_MIME in (BOOK_HTML / p).read_text(encoding="utf-8")]


@pytest.mark.browser
@pytest.mark.parametrize("widget_page", _widget_pages() or ["<none>"])
def test_saved_widget_figures_are_real_images(open_page, widget_page):
    """Every image a saved widget renders is a real figure, as stored and as painted, and
    every rendered widget group with a slider shows at least one."""
    if widget_page == "<none>":
        pytest.skip("no saved widgets in this build")
    page, visit = open_page(widget_page)
    bare = page.evaluate(
        "() => [...document.querySelectorAll('.jupyter-widgets')]"
        ".filter(w => !w.parentElement.closest('.jupyter-widgets'))"  # outermost widgets only
        ".filter(w => w.querySelector('input[type=range], .widget-slider, .slider'))"
        ".filter(w => !w.querySelector('img')).length")
    assert bare == 0, (f"{widget_page}: {bare} saved widget group(s) with sliders show no figure "
                       "(is the figure emptied in the widget state, or did it not render?)")
    images = page.locator(".jupyter-widgets img")
    n = images.count()
    for k in range(n):
        img = images.nth(k)
        img.scroll_into_view_if_needed()
        page.wait_for_function("i => i.complete", arg=img.element_handle(), timeout=5000)
        info = img.evaluate(
            "i => ({src: i.getAttribute('src') || '', w: i.naturalWidth, h: i.naturalHeight,"
            " shown_w: i.getBoundingClientRect().width, shown_h: i.getBoundingClientRect().height})")
        where = f"{widget_page}, widget image {k + 1} of {n} (src {info['src'][:40]!r}...)"
        if not info["src"].startswith("blob:"):  # an Image widget's src is a blob: URL
            assert DATA_URI.match(info["src"]), f"{where}: src is not a base64 data:image URI"
            problems = figure_problems(decode_data_uri(info["src"]))
            assert not problems, f"{where}, as stored: " + "; ".join(problems)
        assert info["w"] > 0 and info["h"] > 0, f"{where}: Chromium could not decode it"
        assert info["shown_w"] >= MIN_WIDTH and info["shown_h"] >= MIN_HEIGHT, (
            f"{where}: shown at only {info['shown_w']:.0f}x{info['shown_h']:.0f} px")
        problems = figure_problems(img.screenshot())
        assert not problems, f"{where}, as painted on the page: " + "; ".join(problems)
    assert not visit.blocked
