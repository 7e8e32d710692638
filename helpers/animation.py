"""A slider over precomputed figures that works in the rendered book: no kernel, no network.

Live ipywidgets need a running Python kernel: in the static HTML book their sliders
move but nothing is recomputed. matplotlib's ``FuncAnimation.to_jshtml()`` instead
renders every frame in advance and embeds them as images with a small JavaScript
player, so a reader of the book can drag a slider and see another (precomputed) figure.

:func:`frames_slider_html` turns a list of :class:`helpers.widgets.ExplorerFrame` (one per
beat frequency, say) into such a player, and fixes three things about matplotlib's HTML:

- the element ids contain a random ``uuid4`` (``_anim_img3f2a...``), so the HTML would
  differ on every run and a notebook showing it could never pass the strict ``nbval``
  check: the ids are replaced by a fixed name given by the caller;
- it loads Font Awesome from a public CDN, which an offline book must not do: that
  ``<link>`` is removed (the book's theme already ships Font Awesome for the icons);
- the image has no ``alt`` text and the slider no label: both are added.
"""
from __future__ import annotations

import re

from brian2 import ms
from matplotlib.animation import FuncAnimation

from .validation import require_whole_number
from .widgets import ExplorerFrame, draw_frame, make_figure

__all__ = ["frames_slider_html"]

_ID = re.compile(r"_anim_img([0-9a-f]{32})")
_CDN_LINK = re.compile(r'<link rel="stylesheet"\s+href="https://[^"]*font-awesome[^"]*">\s*')
_SAFE_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


def frames_slider_html(frames, *, anim_id: str, alt: str, slider_label: str, raster_window=250 * ms,
                       fps: int = 2) -> str:
    """HTML of a slider that steps through one precomputed figure per frame.

    Args:
        frames: a non-empty list of :class:`helpers.widgets.ExplorerFrame` (for example
            one per beat frequency, from :func:`helpers.widgets.frame_from_brian`).
        anim_id: a fixed name for the player's element ids (letters, digits, ``_``; it
            must be unique on the page), e.g. ``"beats"``.
        alt: alt text of the image, saying what the figures show.
        slider_label: accessible label of the slider, e.g. ``"Beat frequency"``.
        raster_window: how much of the start of the run the raster panel shows.
        fps: frames per second when the reader presses play.

    Returns:
        A string of HTML; show it with ``IPython.display.HTML``. The same frames and
        arguments always give the same string.
    """
    if isinstance(frames, ExplorerFrame):
        frames = [frames]
    if isinstance(frames, (str, bytes)) or not hasattr(frames, "__iter__"):
        raise TypeError(f"frames must be a list of ExplorerFrame (one per slider position): got {frames!r:.80}.")
    frames = list(frames)
    if not frames:
        raise ValueError("frames is empty: give at least one ExplorerFrame (one per slider position).")
    if not all(isinstance(frame, ExplorerFrame) for frame in frames):
        raise TypeError("frames must hold ExplorerFrame objects (from helpers.widgets.explorer_frame or "
                        f"frame_from_brian): got {frames!r:.80}.")
    for name, text in (("anim_id", anim_id), ("alt", alt), ("slider_label", slider_label)):
        if not isinstance(text, str):
            raise TypeError(f"{name} must be text (a str): got {text!r}.")
    fps = require_whole_number(fps, "fps", minimum=1, example=2)
    if not _SAFE_NAME.match(anim_id or ""):
        raise ValueError(f"anim_id must start with a letter and hold only letters, digits and _ "
                         f"(it becomes part of element ids and a JavaScript name): got {anim_id!r}.")
    if not alt or not alt.strip():
        raise ValueError("alt must describe what the figures show, for readers who cannot see them.")
    if not slider_label or not slider_label.strip():
        raise ValueError("slider_label must say what the slider chooses, e.g. 'Beat frequency'.")

    fig, artists = make_figure(raster_window)
    anim = FuncAnimation(fig, lambda k: draw_frame(artists, frames[k]), frames=len(frames), repeat=False)
    html = anim.to_jshtml(fps=fps, embed_frames=True, default_mode="once")

    random_ids = set(_ID.findall(html))
    if len(random_ids) != 1:
        raise RuntimeError(f"expected one animation id in matplotlib's HTML, found {len(random_ids)}: "
                           "matplotlib's to_jshtml format has changed; update helpers/animation.py.")
    html = html.replace(random_ids.pop(), anim_id)
    html, n_links = _CDN_LINK.subn("", html)
    if n_links != 1 or "https://" in html:
        raise RuntimeError("could not remove the Font Awesome CDN link from matplotlib's HTML: "
                           "its format has changed; update helpers/animation.py.")
    alt_attr = alt.replace("&", "&amp;").replace('"', "&quot;")
    label_attr = slider_label.replace("&", "&amp;").replace('"', "&quot;")
    html = html.replace(f'<img id="_anim_img{anim_id}">', f'<img id="_anim_img{anim_id}" alt="{alt_attr}">', 1)
    html = html.replace(f'<input id="_anim_slider{anim_id}" type="range"',
                        f'<input id="_anim_slider{anim_id}" aria-label="{label_attr}" type="range"', 1)
    if f'alt="{alt_attr}"' not in html or f'aria-label="{label_attr}"' not in html:
        raise RuntimeError("could not add alt text and slider label to matplotlib's HTML; "
                           "update helpers/animation.py.")
    return html
