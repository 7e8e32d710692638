"""Is a picture a real figure? A check for the figures the book draws, and tests of the check.

A live figure (tests/browser/test_live_figures.py) is drawn by JavaScript on a canvas; a bug
can leave it blank, or with labelled axes and no data, while every slider still "works".
``figure_problems`` says what is wrong with an image: not decodable, too small, blank (one
colour, almost no ink), or without any coloured data drawn (axes only). The unit tests here
(no browser) prove it rejects blank, tiny, broken and axes-only images and accepts a figure
with data; test_live_figures.py applies it to every live canvas in Chromium.
"""
from __future__ import annotations

import base64
import binascii
import io
import re

import numpy as np

DATA_URI = re.compile(r"^data:image/[a-z+.-]+;base64,(.*)$", re.S)

# Thresholds, set from the former saved explorer figures (576x259 px; 276-314 distinct colours;
# 11% of pixels carry ink; 6-7% strongly coloured: the blue and orange rasters and weight line) and from matplotlib references: a blank figure has 1 colour and no ink, a
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
