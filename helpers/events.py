"""Spike trains as time steps, replayed through a trace-based plasticity rule in Brian's order.

Both plasticity rules of the book (the pair rule of :mod:`helpers.stdp` and the triplet
rule of :mod:`helpers.triplet`) keep *traces*: numbers that jump at a spike and decay
exponentially in between. Their plain-Python references share one loop,
:func:`replay_trace_rule`, which

- merges the pre- and post-synaptic spikes into one list of events, sorted by time step,
  with the pre spike first when both fall in the same step (Brian runs a ``Synapses``
  object's pre pathway before its post pathway);
- decays every trace exactly between two events (``trace *= exp(-elapsed/tau)``);
- hands each event to the rule, which updates its traces and returns the new weight.

:func:`as_spike_steps` is the one validator of spike trains given as step indices or times.

Example:
    A pre spike in step 0 and a post spike 10 steps later, with one trace that jumps by
    0.02 at the pre spike and is added to ``w`` at the post spike:

    >>> from brian2 import ms
    >>> def on_pre(traces, w):
    ...     traces[0] += 0.02
    ...     return w
    >>> def on_post(traces, w):
    ...     return w + traces[0]
    >>> replay = replay_trace_rule([0], [10], 0.1*ms, taus=[20*ms], on_pre=on_pre,
    ...                            on_post=on_post, w0=0.5)
    >>> round(replay.final_w, 6)  # 0.5 + 0.02*exp(-1 ms/20 ms)
    0.519025
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import numpy as np
from brian2 import Quantity, second
from brian2.units.fundamentalunits import get_dimensions, have_same_dimensions

from .validation import require_flag, require_plain_number, require_positive_duration, require_quantity

__all__ = ["as_spike_steps", "Replay", "replay_trace_rule"]


def as_spike_steps(spikes, dt, name: str) -> np.ndarray:
    """One neuron's spikes as a strictly increasing array of time-step indices.

    Args:
        spikes: whole step indices (``[45, 91]``) or Brian times (``[4.5, 9.1]*ms``, e.g.
            ``M.t[M.i == 0]``), each a whole number of steps ``dt`` (up to float round-off).
        dt: the time step (a Brian time).
        name: the argument's name, for messages.

    Returns:
        A 1-D ``int64`` array; empty if there are no spikes.

    Example:
        >>> from brian2 import ms
        >>> as_spike_steps([4.5, 9.1]*ms, 0.1*ms, "pre")
        array([45, 91])
    """
    dt_s = float(require_positive_duration(dt, "dt"))
    if isinstance(spikes, (str, bytes)) or spikes is None:
        raise TypeError(f"{name} must be spike steps (e.g. [45, 91]) or spike times (e.g. [4.5, 9.1]*ms): "
                        f"got {spikes!r}.")
    if isinstance(spikes, (list, tuple)) and any(isinstance(s, Quantity) for s in spikes):
        spikes = require_quantity(spikes, second, name)  # e.g. [4.5*ms, 9.1*ms]
    if isinstance(spikes, Quantity) and not get_dimensions(spikes).is_dimensionless:
        if not have_same_dimensions(spikes, second):
            raise TypeError(f"{name} must be time-step indices (integers) or spike times such as "
                            f"M.t[M.i == 0]: got a value with unit {get_dimensions(spikes)}.")
        times = np.atleast_1d(np.asarray(spikes, dtype=float))
        if not np.all(np.isfinite(times)):
            raise ValueError(f"{name} must hold finite times: got {spikes!r}.")
        exact = times / dt_s
        steps = np.round(exact).astype(np.int64)
        off_grid = np.abs(exact - steps) > 1e-6
        if np.any(off_grid):
            raise ValueError(f"{name} holds a time that is not a whole number of time steps of dt = "
                             f"{dt_s * 1e3:g} ms ({float(times[off_grid][0]) * 1e3:g} ms); a neuron can only "
                             "spike on the step grid. Give times such as M.t[M.i == 0], or whole step indices.")
    else:
        try:
            arr = np.atleast_1d(np.asarray(spikes))
            if arr.size and not np.issubdtype(arr.dtype, np.integer):
                arr = arr.astype(float)
        except (TypeError, ValueError):
            raise TypeError(f"{name} must be spike steps (e.g. [45, 91]) or spike times "
                            f"(e.g. [4.5, 9.1]*ms): got {spikes!r}.") from None
        if arr.size and not np.issubdtype(arr.dtype, np.integer):
            if not np.all(np.isfinite(arr)) or not np.all(arr == np.round(arr)):
                raise TypeError(f"{name} must hold whole time-step indices (e.g. [45, 91]) or Brian "
                                f"times (e.g. [4.5, 9.1]*ms): got {arr[:5]!r}...")
        steps = arr.astype(np.int64)
    if steps.ndim != 1:
        raise ValueError(f"{name} must be a flat list of spike steps for one neuron: got shape {steps.shape}.")
    if steps.size and steps[0] < 0:
        raise ValueError(f"{name} contains a negative time step ({steps[0]}); steps count from 0.")
    if np.any(np.diff(steps) <= 0):
        raise ValueError(f"{name} must be strictly increasing: one neuron spikes at most once per time "
                         "step. Sort the spikes, and give each neuron's spikes separately.")
    return steps


def _trace_time_constants(taus) -> list[float]:
    """``taus`` (a list of positive Brian times) in seconds."""
    if isinstance(taus, Quantity) and np.ndim(taus) == 0:
        taus = [taus]
    if isinstance(taus, (str, bytes)) or taus is None or np.ndim(taus) != 1:
        raise TypeError(f"taus must be a flat list of time constants, one per trace, e.g. [20*ms]: got {taus!r}.")
    taus = require_quantity(list(taus), second, "taus") if len(taus) else []
    for tau in taus:
        require_positive_duration(tau, "taus")
    return [float(tau) for tau in taus]


@dataclass(frozen=True)
class Replay:
    """What :func:`replay_trace_rule` computed.

    Attributes:
        final_w: the weight after the last event.
        steps: time-step index of each event (int array), in the order processed.
        is_post: False for a pre spike, True for a post spike (one per event).
        w: the weight right after each event (float array), or ``None`` unless recorded.
    """

    final_w: float
    steps: np.ndarray
    is_post: np.ndarray
    w: np.ndarray | None


Update = Callable[[list, float], float]


def replay_trace_rule(pre_spike_steps, post_spike_steps, dt, *, taus, on_pre: Update, on_post: Update,
                      w0: float, record: bool = False) -> Replay:
    """Replay two spike trains, event by event, through a rule with exponentially decaying traces.

    Args:
        pre_spike_steps, post_spike_steps: spike step indices or times (validated with
            :func:`as_spike_steps`).
        dt: the time step (a Brian time); event ``k`` happens at ``k*dt``.
        taus: one decay time constant per trace (Brian times). All traces start at 0.
        on_pre, on_post: ``update(traces, w) -> new w``; each may change the list ``traces``
            in place. They run after the traces have decayed to the event's time.
        w0: the initial weight (a plain number).
        record: keep the weight after every event (``Replay.w``).

    Returns:
        A :class:`Replay`.
    """
    dt_s = float(require_positive_duration(dt, "dt"))
    pre = as_spike_steps(pre_spike_steps, dt, "pre_spike_steps")
    post = as_spike_steps(post_spike_steps, dt, "post_spike_steps")
    taus_s = _trace_time_constants(taus)
    for name, update in (("on_pre", on_pre), ("on_post", on_post)):
        if not callable(update):
            raise TypeError(f"{name} must be a function update(traces, w) -> new w: got {update!r}.")
    w0 = require_plain_number(w0, "w0")
    record = require_flag(record, "record")
    steps = np.concatenate([pre, post])
    is_post = np.concatenate([np.zeros(pre.size, dtype=bool), np.ones(post.size, dtype=bool)])
    order = np.lexsort((is_post, steps))  # by step; within a step, pre (False) first
    steps, is_post = steps[order], is_post[order]

    traces = [0.0] * len(taus_s)
    w = w0
    last_t = 0.0
    w_after = np.empty(steps.size) if record else None
    for n, (step, post_event) in enumerate(zip(steps.tolist(), is_post.tolist())):
        t = step * dt_s
        if t != last_t:
            elapsed = t - last_t
            for k, tau in enumerate(taus_s):
                traces[k] *= math.exp(-elapsed / tau)
            last_t = t
        w = on_post(traces, w) if post_event else on_pre(traces, w)
        if record:
            w_after[n] = w
    return Replay(final_w=float(w), steps=steps, is_post=is_post, w=w_after)
