"""A live explorer of the beat experiment: sliders that redraw spike rasters and the weight.

Chapter 5 runs the binaural-beat experiment in Brian (one pre and one post pacemaker
per condition, joined by an STDP synapse that does not drive the post neuron). This
module lets a reader move sliders for the pre rate, the beat (post rate = pre rate +
beat), the duration and the post neuron's initial phase, and see at once

- the spike rasters of both neurons (first ``raster_window`` of the run), and
- the synaptic weight over the whole run.

**Where the numbers come from.** A redraw must feel instant (well under 0.1 s), and
building and running a Brian network takes longer than that. So each redraw computes
the experiment with the book's plain-numpy path instead of Brian:
:func:`helpers.pacemakers.pacemaker_spike_steps` gives the exact time steps at which
Brian's pacemakers spike, and :func:`helpers.stdp.stdp_reference` applies the STDP rule
event by event. Chapter 5's explorer section and ``tests/test_widgets.py`` check that
this path gives Brian's weights (to about 1e-9).

Layout of the module:

- :func:`explorer_frame`: compute what one redraw shows (pure function, no widgets).
- :func:`frame_from_brian`: the same, read from a Brian result of
  :func:`helpers.beats.run_beat_experiment` (used for the static slider and the checks).
- :func:`make_figure`, :func:`draw_frame`, :func:`render_png`: the figure, built once and
  updated in place (updating is much faster than drawing a new figure).
- :class:`BeatExplorer`: the sliders, the figure and the callback :func:`redraw`.

Nothing here runs on import: no figure, no widget, no Brian object.
"""
from __future__ import annotations

import base64
import functools
import html
import io
from dataclasses import dataclass

import numpy as np
from brian2 import Hz, ms, second
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from .beats import BeatResult
from .clock import n_steps, require_step_budget
from .pacemakers import effective_rate, pacemaker_spike_steps, require_pacemaker_rates
from .stdp import THREAD_GMAX, THREAD_RULE, THREAD_W0, stdp_reference
from .validation import (
    as_finite_quantity,
    require_plain_number,
    require_positive_duration,
    require_whole_number,
)

#: The sliders' ranges: (min, max, step) of the pre rate (Hz), the beat (Hz), the duration (s), the phase.
PRE_RATE_RANGE, BEAT_RANGE, DURATION_RANGE, PHASE_RANGE = (100, 400, 5), (-50, 50, 1), (0.1, 3, 0.1), (0, 0.95, 0.05)

__all__ = [
    "ExplorerFrame",
    "explorer_frame",
    "frame_from_brian",
    "make_figure",
    "draw_frame",
    "render_png",
    "BeatExplorer",
    "redraw",
]


@dataclass(frozen=True, eq=False)
class ExplorerFrame:
    """Everything one redraw shows, in plain numbers (times in ms, rates in Hz).

    Attributes:
        pre_rate_hz, post_rate_hz: requested rates.
        eff_pre_hz, eff_post_hz: the rates the pacemakers really have with this dt.
        duration_ms: length of the run. phase: initial x of the post neuron.
        pre_ms, post_ms: spike times of the pre and post neuron (ms, whole run).
        w_t_ms, w: the weight curve: ``w[k]`` holds from ``w_t_ms[k]`` to ``w_t_ms[k+1]``.
        final_w: the weight at the end of the run.
        source: ``"numpy reference"`` or ``"Brian"``, said in the figure title.
    """

    pre_rate_hz: float
    post_rate_hz: float
    eff_pre_hz: float
    eff_post_hz: float
    duration_ms: float
    phase: float
    pre_ms: np.ndarray
    post_ms: np.ndarray
    w_t_ms: np.ndarray
    w: np.ndarray
    final_w: float
    source: str

    @property
    def eff_beat_hz(self) -> float:
        """The beat the pacemakers really produce (Hz)."""
        return self.eff_post_hz - self.eff_pre_hz

    def summary(self) -> str:
        """One line of plain text: rates, beat, spike counts and the final weight."""
        return (
            f"pre {self.pre_rate_hz:g} Hz (runs at {self.eff_pre_hz:.2f} Hz), "
            f"post {self.post_rate_hz:g} Hz (runs at {self.eff_post_hz:.2f} Hz), "
            f"beat {self.eff_beat_hz:.2f} Hz; {self.pre_ms.size} pre and {self.post_ms.size} post spikes "
            f"in {self.duration_ms:g} ms; weight {self.w[0]:g} -> {self.final_w:.4f}"
        )


def explorer_frame(pre_rate, post_rate, duration, phase=0.0, *, dt=0.1 * ms, rule=THREAD_RULE, w0=THREAD_W0,
                   gmax=THREAD_GMAX) -> ExplorerFrame:
    """Compute one redraw of the explorer with the plain-numpy path (no Brian network).

    Args:
        pre_rate, post_rate: pacemaker rates, Brian quantities such as ``200*Hz``.
        duration: length of the run, e.g. ``1*second``.
        phase: initial value of the post neuron's ``x``, a number in [0, 1) (the pre
            neuron starts at 0, as in the thread).
        dt: the time step Brian would use.
        rule, w0, gmax: the pair rule, initial weight and upper bound, as in
            :func:`helpers.stdp.stdp_reference`.

    Returns:
        An :class:`ExplorerFrame`. Its weights equal those of
        ``run_beat_experiment([pre_rate], [post_rate], duration, post_phase=phase)``.
    """
    dt = require_positive_duration(dt, "dt")
    for name, rate in (("pre_rate", pre_rate), ("post_rate", post_rate)):
        if np.ndim(rate) != 0:
            raise ValueError(f"{name} must be one rate such as 200*Hz, not an array: got {rate!r}.")
        require_pacemaker_rates(rate, dt, name)
    duration = require_positive_duration(duration, "duration")
    pre_steps = pacemaker_spike_steps(pre_rate, duration, dt=dt)
    post_steps = pacemaker_spike_steps(post_rate, duration, dt=dt, phase=phase)
    trace = stdp_reference(pre_steps, post_steps, dt=dt, rule=rule, w0=w0, gmax=gmax, record=True)
    dt_ms = float(dt / ms)
    duration_ms = float(duration / ms)
    # A step curve: w0 from t = 0, then the weight after each event from that event's time on.
    w_t_ms = np.concatenate([[0.0], trace.steps * dt_ms, [duration_ms]])
    w = np.concatenate([[trace.w0], trace.w, [trace.final_w]])
    return ExplorerFrame(
        pre_rate_hz=float(pre_rate / Hz),
        post_rate_hz=float(post_rate / Hz),
        eff_pre_hz=float(effective_rate(pre_rate, dt) / Hz),
        eff_post_hz=float(effective_rate(post_rate, dt) / Hz),
        duration_ms=duration_ms,
        phase=float(phase),
        pre_ms=pre_steps * dt_ms,
        post_ms=post_steps * dt_ms,
        w_t_ms=w_t_ms,
        w=w,
        final_w=trace.final_w,
        source="numpy reference",
    )


def frame_from_brian(result, i: int) -> ExplorerFrame:
    """The explorer frame of condition ``i`` of a :func:`helpers.beats.run_beat_experiment` result.

    The result must have been run with ``record_weights=True``. The weight curve is the
    ``StateMonitor`` trace (one value per time step) followed by the final weight.
    """
    if not isinstance(result, BeatResult):
        raise TypeError(f"result must be what run_beat_experiment(..., record_weights=True) returns: got {result!r:.80}.")
    if result.w is None:
        raise ValueError("This result has no weight trajectories: run run_beat_experiment(..., "
                         "record_weights=True).")
    i = require_whole_number(i, "i", example=0)
    if not i < result.n_conditions:
        raise ValueError(f"condition i={i} does not exist: the result has {result.n_conditions} "
                         f"conditions (0 to {result.n_conditions - 1}).")
    duration_ms = float(result.duration / ms)
    return ExplorerFrame(
        pre_rate_hz=float(result.pre_rates[i] / Hz),
        post_rate_hz=float(result.post_rates[i] / Hz),
        eff_pre_hz=float(result.effective_pre_rates[i] / Hz),
        eff_post_hz=float(result.effective_post_rates[i] / Hz),
        duration_ms=duration_ms,
        phase=float(result.post_phase[i]),
        pre_ms=np.asarray(result.pre_spike_times[i] / ms),
        post_ms=np.asarray(result.post_spike_times[i] / ms),
        w_t_ms=np.concatenate([np.asarray(result.t / ms), [duration_ms]]),
        w=np.concatenate([result.w[i], [result.final_w[i]]]),
        final_w=float(result.final_w[i]),
        source="Brian",
    )


def make_figure(raster_window=250 * ms, *, figsize=(8.0, 3.6), dpi=72):
    """Build the explorer figure once: a raster panel and a weight panel.

    Returns:
        ``(figure, artists)``: a matplotlib ``Figure`` with an Agg canvas (not managed by
        pyplot, so it never shows up by itself in a notebook) and a dict of the artists
        that :func:`draw_frame` updates.
    """
    raster_window = require_positive_duration(raster_window, "raster_window")
    if isinstance(figsize, (str, bytes)) or figsize is None or np.ndim(figsize) != 1 or len(figsize) != 2:
        raise TypeError(f"figsize must be (width, height) in inches, e.g. (8.0, 3.6): got {figsize!r}.")
    width, height = (require_plain_number(size, "figsize", example=8.0) for size in figsize)
    if not (width > 0 and height > 0):
        raise ValueError(f"figsize must be two positive numbers (inches), e.g. (8.0, 3.6): got {figsize!r}.")
    dpi = require_whole_number(dpi, "dpi", minimum=10, example=72)
    fig = Figure(figsize=figsize, dpi=dpi, layout="constrained")
    FigureCanvasAgg(fig)
    ax_r, ax_w = fig.subplots(2, 1, height_ratios=[1, 1.4])
    window_ms = float(raster_window / ms)
    pre_lines = ax_r.eventplot([[]], lineoffsets=1, linelengths=0.8, colors="C0")[0]
    post_lines = ax_r.eventplot([[]], lineoffsets=0, linelengths=0.8, colors="C1")[0]
    ax_r.set_xlim(0, window_ms)
    ax_r.set_ylim(-0.6, 1.6)
    ax_r.set_yticks([0, 1], ["post", "pre"])
    ax_r.set_xlabel(f"time (ms), first {window_ms:g} ms")
    (w_line,) = ax_w.plot([], [], drawstyle="steps-post", color="C2")
    ax_w.set_ylim(-0.02, 1.02)
    ax_w.set_ylabel("weight w")
    ax_w.set_xlabel("time (ms)")
    ax_w.axhline(0.5, color="0.7", lw=0.8, ls="--")
    title = fig.suptitle("pre 000.0 Hz, post 000.0 Hz, beat -00.0 Hz: weight 0.5 -> 0.000 (numpy reference)",
                         fontsize=10)
    # Let the constrained layout place the axes once, then freeze it: redoing the layout on
    # every redraw would nearly double the time a redraw takes.
    fig.canvas.draw()
    fig.set_layout_engine("none")
    return fig, {"pre": pre_lines, "post": post_lines, "w": w_line, "ax_w": ax_w, "title": title,
                 "window_ms": window_ms}


def draw_frame(artists: dict, frame: ExplorerFrame) -> None:
    """Put one frame's data into the figure's artists (no new figure, no new axes)."""
    if not isinstance(artists, dict) or not {"pre", "post", "w", "ax_w", "title", "window_ms"} <= set(artists):
        raise TypeError(f"artists must be the dict that make_figure() returns second: got {artists!r:.80}.")
    if not isinstance(frame, ExplorerFrame):
        raise TypeError(f"frame must be an ExplorerFrame (from explorer_frame or frame_from_brian): got {frame!r:.80}.")
    window = artists["window_ms"]
    artists["pre"].set_positions(frame.pre_ms[frame.pre_ms < window])
    artists["post"].set_positions(frame.post_ms[frame.post_ms < window])
    artists["w"].set_data(frame.w_t_ms, frame.w)
    artists["ax_w"].set_xlim(0, frame.duration_ms)
    artists["title"].set_text(
        f"pre {frame.eff_pre_hz:.1f} Hz, post {frame.eff_post_hz:.1f} Hz, beat {frame.eff_beat_hz:.1f} Hz: "
        f"weight {frame.w[0]:g} -> {frame.final_w:.3f} ({frame.source})"
    )


def render_png(fig) -> bytes:
    """The figure as PNG bytes (what the explorer shows).

    Draws the figure once on its Agg canvas and encodes the pixels with Pillow (which
    matplotlib itself uses): ``fig.savefig`` would draw the figure twice.
    """
    from PIL import Image

    if not isinstance(fig, Figure):
        raise TypeError(f"fig must be a matplotlib Figure, e.g. the first value make_figure() returns: got {fig!r:.80}.")
    canvas = fig.canvas
    canvas.draw()
    width, height = canvas.get_width_height(physical=True)
    image = Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    buf = io.BytesIO()
    image.save(buf, format="png")
    return buf.getvalue()


class BeatExplorer:
    """Sliders for pre rate, beat, duration and phase, redrawing rasters and weight live.

    Display it as the last line of a notebook cell (``explorer``) or with ``display(...)``.
    Its text form is one fixed sentence, so a notebook that shows it re-runs with the same
    text output; the sliders and the figure live in the widget itself.

    Attributes:
        pre_rate, beat, duration, phase: the ``FloatSlider`` widgets (Hz, Hz, s, plain).
        figure_html: an ``ipywidgets.HTML`` holding the figure as an ``<img>`` with alt text
            (an ``ipywidgets.Image`` cannot carry alt text). summary: an ``HTML`` line of text.
        png: the PNG bytes shown now. frame: the :class:`ExplorerFrame` shown now.
        redraws: how many redraws happened.
    """

    TEXT = ("Beat explorer (live ipywidgets): move the sliders while this notebook runs in Jupyter; "
            "each move recomputes the experiment with the numpy reference and redraws the figure.")

    def __init__(self, pre_rate=200 * Hz, beat=50 * Hz, duration=1 * second, phase=0.0, *,
                 raster_window=250 * ms, dt=0.1 * ms):
        import ipywidgets as widgets  # imported here: `import helpers` stays light

        pre_rate = as_finite_quantity(pre_rate, Hz, "pre_rate", single=True)
        beat = as_finite_quantity(beat, Hz, "beat", single=True)
        duration = require_positive_duration(duration, "duration")
        phase = require_plain_number(phase, "phase", example=0.0)
        raster_window = require_positive_duration(raster_window, "raster_window")
        self.dt = require_positive_duration(dt, "dt")
        # Every slider position must work with this dt: check the fastest rate and the longest run now,
        # not in a slider callback later.
        fastest = (PRE_RATE_RANGE[1] + BEAT_RANGE[1]) * Hz
        try:
            require_pacemaker_rates(fastest, self.dt, f"The sliders' fastest rate (pre rate {PRE_RATE_RANGE[1]} Hz "
                                    f"+ beat {BEAT_RANGE[1]} Hz)")
        except ValueError as error:
            raise ValueError(f"dt = {float(self.dt) * 1e3:g} ms is too coarse for the explorer. {error}") from None
        require_step_budget(n_steps(DURATION_RANGE[1] * second, self.dt),
                            f"The duration slider's longest run ({DURATION_RANGE[1]} s) at dt={self.dt!r}")
        # A slider would silently clamp a start value outside its range: refuse it instead.
        for name, value, (low, high, _), unit in [("pre_rate", float(pre_rate / Hz), PRE_RATE_RANGE, "*Hz"),
                                                  ("beat", float(beat / Hz), BEAT_RANGE, "*Hz"),
                                                  ("duration", float(duration / second), DURATION_RANGE, "*second"),
                                                  ("phase", phase, PHASE_RANGE, "")]:
            if not low <= value <= high:
                raise ValueError(f"{name} must start between {low:g}{unit} and {high:g}{unit} (the range of "
                                 f"its slider): got {value:g}{unit}.")
        style = {"description_width": "11em"}
        layout = widgets.Layout(width="32em")
        self.pre_rate = widgets.FloatSlider(value=float(pre_rate / Hz), min=PRE_RATE_RANGE[0],
                                            max=PRE_RATE_RANGE[1], step=PRE_RATE_RANGE[2],
                                            description="pre rate (Hz)", style=style, layout=layout)
        self.beat = widgets.FloatSlider(value=float(beat / Hz), min=BEAT_RANGE[0], max=BEAT_RANGE[1],
                                        step=BEAT_RANGE[2],
                                        description="beat = post - pre (Hz)", style=style, layout=layout)
        self.duration = widgets.FloatSlider(value=float(duration / second), min=DURATION_RANGE[0],
                                            max=DURATION_RANGE[1], step=DURATION_RANGE[2],
                                            description="duration (s)", style=style, layout=layout)
        self.phase = widgets.FloatSlider(value=phase, min=PHASE_RANGE[0], max=PHASE_RANGE[1], step=PHASE_RANGE[2],
                                         description="post initial phase x0", style=style, layout=layout)
        self.sliders = (self.pre_rate, self.beat, self.duration, self.phase)
        self.summary = widgets.HTML()
        self.figure_html = widgets.HTML()
        self.png = b""
        self.fig, self.artists = make_figure(raster_window)
        self.frame = None
        self.redraws = 0
        self.widget = widgets.VBox([*self.sliders, self.summary, self.figure_html])
        callback = functools.partial(redraw, self)
        for slider in self.sliders:
            slider.observe(callback, names="value")
        redraw(self)

    def _repr_mimebundle_(self, **kwargs):
        bundle = self.widget._repr_mimebundle_(**kwargs)
        bundle["text/plain"] = self.TEXT
        return bundle


def redraw(explorer: BeatExplorer, change=None) -> ExplorerFrame:
    """The slider callback: recompute from the sliders' values and redraw the figure.

    Args:
        explorer: the :class:`BeatExplorer` whose sliders moved.
        change: the traitlets change record (unused: every slider is read anew).

    Returns:
        The new :class:`ExplorerFrame` (also stored as ``explorer.frame``).
    """
    if not isinstance(explorer, BeatExplorer):
        raise TypeError(f"explorer must be a BeatExplorer: got {explorer!r:.80}.")
    pre = explorer.pre_rate.value * Hz
    post = (explorer.pre_rate.value + explorer.beat.value) * Hz
    frame = explorer_frame(pre, post, explorer.duration.value * second, explorer.phase.value, dt=explorer.dt)
    draw_frame(explorer.artists, frame)
    explorer.png = render_png(explorer.fig)
    alt = (f"Top: spike rasters of the pre (blue) and post (orange) neuron over the first "
           f"{explorer.artists['window_ms']:g} ms. Bottom: the synaptic weight over the whole run. "
           f"{frame.summary()}.")
    explorer.figure_html.value = (f'<img src="data:image/png;base64,{base64.b64encode(explorer.png).decode()}" '
                                  f'alt="{html.escape(alt)}">')
    explorer.summary.value = f"<p>{frame.summary()}</p>"
    explorer.frame = frame
    explorer.redraws += 1
    return frame
