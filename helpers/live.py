"""Live figures: sliders that recompute the book's experiments in the reader's browser.

A web page has no Python behind it, so a slider made with ipywidgets moves but changes
nothing there. The live figures of this module are computed by JavaScript instead, in
the page itself: ``vendor/site/_static/offline/book/beat-experiment.js`` (the *module*)
repeats, step by step and in float64, the arithmetic of :mod:`helpers.pacemakers`
(``pacemaker_spike_steps``, ``effective_rate``), of :func:`helpers.clock.n_steps` and of
the pair rule of :func:`helpers.stdp.stdp_reference` (event by event, as
:func:`helpers.events.replay_trace_rule` does it). The header of the JavaScript file
names, for each of its functions, the Python function it mirrors; the browser tests
(``tests/browser/test_live_figures.py``) check that both give the same spikes and weights.

A notebook cell shows a live figure as a small piece of HTML: a ``<div class="beat-live">``
that lists its sliders (name, label with unit, range, start value) and a one-line script
that asks the module to draw it. Where the module runs, the div becomes sliders, a line of
text and a canvas; where it does not, the div shows a sentence saying what it would show.

- In the rendered book the module is loaded on every page (``html_js_files`` in
  ``_config.yml``); it does nothing on a page without live figures.
- In Jupyter, run :func:`load_javascript` once (the chapters do this in a cell whose
  output the book does not show), then display the figures.

Figures, one per idea:

- :func:`beat_explorer`: the beat experiment of chapter 5 (rasters and weight).
- :func:`rate_explorer`: requested and effective rates and beats (chapter 3).
- :func:`window_explorer`: one pre/post pair, its traces and the STDP window (chapter 4).

:func:`run_reference` is the Python twin of the JavaScript hook
``window.beatExperiment.run``: given the same dictionary it returns the same spikes and
weight, computed by the book's Python reference (tests hand the same numbers to both).

Every function here returns an object that displays itself; nothing runs on import.
"""
from __future__ import annotations

import html
import json
import math
from dataclasses import asdict, dataclass
from pathlib import Path

from brian2 import Hz, ms, second

from .pacemakers import pacemaker_spike_steps
from .stdp import THREAD_GMAX, THREAD_RULE, THREAD_W0, checked_rule, stdp_reference
from .validation import as_finite_quantity, require_plain_number, require_positive_duration

__all__ = [
    "JS_FILE",
    "Slider",
    "LiveFigure",
    "javascript_source",
    "load_javascript",
    "beat_explorer",
    "rate_explorer",
    "window_explorer",
    "run_reference",
]

#: The JavaScript module, as the book serves it (``_static/offline/book/`` in the site).
JS_FILE = (Path(__file__).resolve().parents[1] / "vendor" / "site" / "_static" / "offline"
           / "book" / "beat-experiment.js")

#: The time steps the live figures offer, in ms.
DT_CHOICES_MS = (0.1, 0.05, 0.01)


@dataclass(frozen=True)
class Slider:
    """One slider of a live figure.

    Attributes:
        name: the value's name in the JavaScript figure (e.g. ``"pre_rate"``).
        label: the slider's accessible name, with its unit (e.g. ``"pre rate (Hz)"``).
        unit: the unit read out after the value (``"Hz"``), or ``""``.
        min, max, step: the slider's range and step (``None`` for a slider over choices).
        value: the start value.
        choices: for a slider over a few values (the time step), those values.
    """

    name: str
    label: str
    unit: str
    min: float | None
    max: float | None
    step: float | None
    value: float
    choices: tuple[float, ...] | None = None


def _decimals(step: float) -> int:
    text = repr(float(step))
    return len(text.split(".")[1].rstrip("0")) if "." in text else 0


def _slider(name, label, unit, low, high, step, value, what) -> Slider:
    """A slider starting at ``value``, refused unless ``value`` is one of its positions.

    A browser silently moves a start value that is off the slider's range or grid: the
    figure would then show something else than the notebook asked for.
    """
    if not (low - 1e-9 <= value <= high + 1e-9):
        raise ValueError(f"{what} must be between {low:g} and {high:g} {unit}".rstrip() +
                         f" (the range of its slider): got {value:g}.")
    position = (value - low) / step
    if abs(position - round(position)) > 1e-6:
        raise ValueError(f"{what} must be a multiple of {step:g} {unit}".rstrip() +
                         f" (the step of its slider): got {value:g}.")
    return Slider(name, label, unit, low, high, step, round(value, _decimals(step)))


def _dt_slider(dt) -> Slider:
    dt = require_positive_duration(dt, "dt")
    dt_ms = float(dt / ms)
    match = [c for c in DT_CHOICES_MS if math.isclose(c, dt_ms, rel_tol=1e-9)]
    if not match:
        raise ValueError(f"dt must be one of {', '.join(f'{c:g}*ms' for c in DT_CHOICES_MS)} "
                         f"(the positions of the time-step slider): got {dt!r}.")
    return Slider("dt", "time step dt (ms)", "ms", None, None, None, match[0], DT_CHOICES_MS)


class LiveFigure:
    """A figure with sliders, drawn and recomputed by the JavaScript module.

    Display it as the last line of a cell (or with ``display``). Its HTML is the same on
    every run (no random ids), so a notebook showing it passes the strict nbval check.

    Attributes:
        kind: which figure of the module draws it (``"explorer"``, ``"rates"``, ``"window"``).
        sliders: its :class:`Slider` list, in the order shown.
        description: what the figure shows, in words: the canvas's text alternative and the
            sentence shown where JavaScript does not run.
    """

    def __init__(self, kind: str, sliders: list[Slider], description: str):
        self.kind = kind
        self.sliders = tuple(sliders)
        self.description = description

    def html(self) -> str:
        """The HTML of the figure: a ``div`` describing it and a script that draws it."""
        spec = json.dumps([{k: v for k, v in asdict(s).items() if v is not None} for s in self.sliders],
                          separators=(",", ":"))
        fallback = (f"Live figure: {self.description} It is drawn by JavaScript in your "
                    "browser. In the web version of the book it appears here by itself; in "
                    "Jupyter, run the cell with <code>live.load_javascript()</code> first, then "
                    "this cell again.")
        return (f'<div class="beat-live" data-live="{self.kind}" '
                f'data-description="{html.escape(self.description)}" '
                f'data-sliders="{html.escape(spec)}">\n'
                f'<p class="beat-live-fallback">{fallback}</p>\n</div>\n'
                "<script>(function (s) { var b = window.beatExperiment; "
                "if (b && s) { b.mount(s.previousElementSibling); } })(document.currentScript);</script>\n")

    def _repr_html_(self) -> str:
        return self.html()

    def __repr__(self) -> str:
        names = ", ".join(s.name for s in self.sliders)
        return f"<live figure '{self.kind}' (sliders: {names}), drawn by JavaScript in the browser>"


def javascript_source() -> str:
    """The text of the JavaScript module (the file the book serves)."""
    return JS_FILE.read_text(encoding="utf-8")


class LiveJavaScript:
    """Displays the JavaScript module in Jupyter, which then runs it (see :func:`load_javascript`)."""

    TEXT = ("The JavaScript of the live figures (beat-experiment.js). Jupyter runs it when this "
            "cell runs; a notebook opened without running shows this text instead.")

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"application/javascript": javascript_source(), "text/plain": self.TEXT}

    def __repr__(self) -> str:
        return self.TEXT


def load_javascript() -> LiveJavaScript:
    """Load the live figures' JavaScript into Jupyter: show the result in a cell.

    Run it once per notebook, before the first live figure. (The rendered book loads the
    same file itself, so chapters hide this cell's output there.)

    Example:
        >>> print(load_javascript())
        The JavaScript of the live figures (beat-experiment.js). Jupyter runs it when this cell runs; a notebook opened without running shows this text instead.
    """
    return LiveJavaScript()


_EXPLORER_DESCRIPTION = (
    "the beat experiment with sliders. Top: spike rasters of the pre-synaptic neuron (blue, "
    "upper row) and the post-synaptic neuron (orange, lower row) over the first 250 ms. "
    "Bottom: the synaptic weight over the whole run, from 0.5 (dashed line). The line of text "
    "above the figure gives the effective rates and beat, the spike counts and the final weight.")


def beat_explorer(pre_rate=200 * Hz, beat=20 * Hz, duration=1 * second, phase=0.0, *, dt=0.1 * ms,
                  rule=THREAD_RULE) -> LiveFigure:
    """The live beat explorer of chapter 5: the start values of its eight sliders.

    Each move of a slider reruns ``window.beatExperiment.run`` in the browser: one pre
    pacemaker (starting at ``x = 0``), one post pacemaker at ``pre_rate + beat``
    (starting at ``x = phase``) and the pair rule, for the whole ``duration``.

    Args:
        pre_rate: 100 to 500 Hz, in steps of 1 Hz.
        beat: post rate minus pre rate, -50 to 50 Hz in steps of 0.5 Hz.
        duration: 0.1 to 10 s, in steps of 0.1 s.
        phase: the post neuron's initial ``x``, 0 to 0.99 in steps of 0.01.
        dt: 0.1, 0.05 or 0.01 ms.
        rule: a :class:`helpers.stdp.PairRule` with ``taupre == taupost`` (one slider for
            both, 5 to 50 ms), ``dApre`` from 0.001 to 0.05 and ``depression_ratio`` from
            0.8 to 1.2.

    Example:
        >>> from brian2 import Hz
        >>> beat_explorer(beat=30*Hz).kind
        'explorer'
        >>> [slider.name for slider in beat_explorer().sliders]
        ['pre_rate', 'beat', 'duration', 'phase', 'dApre', 'tau', 'ratio', 'dt']
    """
    rule = checked_rule(rule)
    if not math.isclose(float(rule.taupre), float(rule.taupost), rel_tol=1e-12):
        raise ValueError(f"the explorer has one slider for both trace time constants, so taupre and "
                         f"taupost must be equal: got {rule.taupre!r} and {rule.taupost!r}.")
    sliders = [
        _slider("pre_rate", "pre rate (Hz)", "Hz", 100, 500, 1,
                float(as_finite_quantity(pre_rate, Hz, "pre_rate", single=True) / Hz), "pre_rate"),
        _slider("beat", "beat: post rate minus pre rate (Hz)", "Hz", -50, 50, 0.5,
                float(as_finite_quantity(beat, Hz, "beat", single=True) / Hz), "beat"),
        _slider("duration", "duration (s)", "s", 0.1, 10, 0.1,
                float(require_positive_duration(duration, "duration") / second), "duration"),
        _slider("phase", "post initial phase x0 (0 to 1)", "", 0, 0.99, 0.01,
                require_plain_number(phase, "phase", example=0.25), "phase"),
        _slider("dApre", "potentiation step dApre", "", 0.001, 0.05, 0.001, float(rule.dApre), "rule.dApre"),
        _slider("tau", "trace time constant taupre = taupost (ms)", "ms", 5, 50, 1,
                float(rule.taupre / ms), "rule.taupre"),
        _slider("ratio", "depression ratio (depression / potentiation)", "", 0.8, 1.2, 0.01,
                float(rule.depression_ratio), "rule.depression_ratio"),
        _dt_slider(dt),
    ]
    return LiveFigure("explorer", sliders, _EXPLORER_DESCRIPTION)


_RATES_DESCRIPTION = (
    "pacemaker rates on the time grid, with sliders for the pre rate, the beat and dt. Top: "
    "requested minus effective rate against the requested rate from 50 to 550 Hz, a sawtooth "
    "that grows with the rate and with dt, with the pre (blue, solid) and post (orange, dashed) "
    "rates marked. Bottom: the effective beat against the requested beat for the chosen pre "
    "rate, a staircase around the grey diagonal, with the chosen beat marked. The line of text "
    "above the figure gives the periods in steps and the effective rates and beat.")


def rate_explorer(pre_rate=200 * Hz, beat=20 * Hz, *, dt=0.1 * ms) -> LiveFigure:
    """Live figure of chapter 3: requested against effective rates and beats.

    Args:
        pre_rate: 60 to 500 Hz, in steps of 1 Hz.
        beat: post rate minus pre rate, -50 to 50 Hz in steps of 0.5 Hz.
        dt: 0.1, 0.05 or 0.01 ms.

    Example:
        >>> from brian2 import Hz
        >>> rate_explorer(200*Hz, 20*Hz)
        <live figure 'rates' (sliders: pre_rate, beat, dt), drawn by JavaScript in the browser>
    """
    sliders = [
        _slider("pre_rate", "pre rate (Hz)", "Hz", 60, 500, 1,
                float(as_finite_quantity(pre_rate, Hz, "pre_rate", single=True) / Hz), "pre_rate"),
        _slider("beat", "beat: post rate minus pre rate (Hz)", "Hz", -50, 50, 0.5,
                float(as_finite_quantity(beat, Hz, "beat", single=True) / Hz), "beat"),
        _dt_slider(dt),
    ]
    return LiveFigure("rates", sliders, _RATES_DESCRIPTION)


_WINDOW_DESCRIPTION = (
    "one spike pair under the STDP rule, with a slider for the lag. Top: the STDP window, the "
    "weight change against the lag from -50 to 50 ms, with the chosen lag marked. Middle: the "
    "traces Apre (blue) and Apost (orange) over 200 ms, with the pre spike at 100 ms and the "
    "post spike at 100 ms plus the lag. Bottom: the weight over the same 200 ms, from 0.5. "
    "The line of text above the figure gives the trace the later spike finds and the weight change.")


def window_explorer(lag=5 * ms) -> LiveFigure:
    """Live figure of chapter 4: one pre/post pair at a chosen lag (thread's rule, dt = 0.1 ms).

    Args:
        lag: ``t_post - t_pre``, -50 to 50 ms in steps of 0.1 ms.

    Example:
        >>> from brian2 import ms
        >>> window_explorer(-5*ms)
        <live figure 'window' (sliders: lag), drawn by JavaScript in the browser>
    """
    lag_ms = float(as_finite_quantity(lag, second, "lag", single=True) / ms)
    sliders = [_slider("lag", "lag t_post minus t_pre (ms)", "ms", -50, 50, 0.1, lag_ms, "lag")]
    return LiveFigure("window", sliders, _WINDOW_DESCRIPTION)


def run_reference(params: dict) -> dict:
    """What ``window.beatExperiment.run(params)`` returns, computed by the Python reference.

    The argument is the dictionary the JavaScript hook takes, in plain SI numbers (the
    browser has no Brian units): ``pre_rate`` and ``post_rate`` in Hz, ``duration``,
    ``dt``, ``taupre`` and ``taupost`` in seconds, ``phase``, ``dApre``,
    ``depression_ratio``, ``w0`` and ``gmax`` plain; all but the first three are optional
    (0, 0.1 ms and the thread's rule). The numbers are given units here and passed to
    :func:`helpers.pacemakers.pacemaker_spike_steps` (the pre neuron starts at ``x = 0``,
    the post neuron at ``x = phase``) and :func:`helpers.stdp.stdp_reference`.

    Returns:
        ``{"final_w", "pre_count", "post_count", "pre_steps", "post_steps"}`` (step lists
        as Python lists of ints).

    Example:
        >>> result = run_reference({"pre_rate": 200, "post_rate": 220, "duration": 1})
        >>> result["pre_count"], result["post_count"], round(result["final_w"], 6)
        (200, 217, 0.0)
    """
    if not isinstance(params, dict):
        raise TypeError(f"params must be a dict such as {{'pre_rate': 200, 'post_rate': 220, 'duration': 1}}: "
                        f"got {params!r:.80}.")
    missing = [key for key in ("pre_rate", "post_rate", "duration") if params.get(key) is None]
    if missing:
        raise ValueError(f"params needs {', '.join(repr(k) for k in missing)} (plain numbers in Hz and seconds), "
                         "e.g. {'pre_rate': 200, 'post_rate': 220, 'duration': 1}.")

    def get(name, default):  # plain SI numbers, as the browser sends them
        if params.get(name) is None:
            return default
        return require_plain_number(params[name], f"params['{name}']", example=default if default is not None else 1)

    for key in ("pre_rate", "post_rate", "duration"):
        if get(key, None) <= 0:
            raise ValueError(f"params['{key}'] must be positive (in Hz or seconds): got {params[key]!r}.")
    dt = get("dt", 0.1 * 0.001) * second
    duration = get("duration", None) * second
    rule = THREAD_RULE.replace(taupre=get("taupre", float(THREAD_RULE.taupre)) * second,
                               taupost=get("taupost", float(THREAD_RULE.taupost)) * second,
                               dApre=get("dApre", THREAD_RULE.dApre),
                               depression_ratio=get("depression_ratio", THREAD_RULE.depression_ratio))
    pre = pacemaker_spike_steps(get("pre_rate", None) * Hz, duration, dt=dt)
    post = pacemaker_spike_steps(get("post_rate", None) * Hz, duration, dt=dt, phase=get("phase", 0.0))
    final_w = stdp_reference(pre, post, dt=dt, rule=rule, w0=get("w0", THREAD_W0), gmax=get("gmax", THREAD_GMAX))
    return {"final_w": final_w, "pre_count": int(pre.size), "post_count": int(post.size),
            "pre_steps": pre.tolist(), "post_steps": post.tolist()}
