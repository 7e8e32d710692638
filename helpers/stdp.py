"""The STDP rule of Brian's STDP tutorial, as used in the forum thread, computed without Brian.

The synapse model (``gmax``, ``taupre``, ``taupost``, ``dApre``, ``dApost`` are constants)::

    w : 1
    dApre/dt = -Apre/taupre : 1 (event-driven)
    dApost/dt = -Apost/taupost : 1 (event-driven)
    on_pre:  Apre += dApre;  w = clip(w + Apost, 0, gmax)
    on_post: Apost += dApost; w = clip(w + Apre, 0, gmax)

Each pre-synaptic spike leaves a trace ``Apre`` that decays with ``taupre``; a later
post-synaptic spike adds the remaining trace to ``w`` (potentiation). Each post spike
leaves a negative trace ``Apost`` that a later pre spike adds to ``w`` (depression).
Because every spike adds to a trace, each pre spike interacts with *all* earlier post
spikes and each post spike with *all* earlier pre spikes (an additive, all-to-all rule).

The thread uses ``taupre = taupost = 20 ms``, ``gmax = 1``, ``dApre = 0.02``,
``dApost = -dApre*taupre/taupost*1.05`` and ``w = 0.5`` at the start. In this module
``dApost=None`` always means that last formula.

- :func:`stdp_window`: the weight change caused by one isolated pre/post pair.
- :func:`stdp_reference`: the weight after a whole pair of spike trains, computed
  event by event in plain Python (no Brian network), in the order Brian uses.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from brian2 import Quantity, ms, second
from brian2.units.fundamentalunits import get_dimensions, have_same_dimensions

from .validation import require_plain_number, require_positive_duration, require_quantity

__all__ = ["default_dApost", "rule_parameters", "weight_range", "stdp_window", "StdpTrace", "stdp_reference"]


def default_dApost(dApre=0.02, taupre=20 * ms, taupost=20 * ms) -> float:
    """The thread's depression step: ``dApost = -dApre*taupre/taupost*1.05``.

    The factor 1.05 makes depression slightly stronger than potentiation, so the rule's
    window has a slightly negative total area (``dApre*taupre + dApost*taupost < 0``).
    """
    taupre = require_positive_duration(taupre, "taupre")
    taupost = require_positive_duration(taupost, "taupost")
    return -require_plain_number(dApre, "dApre") * float(taupre / taupost) * 1.05


def rule_parameters(taupre, taupost, dApre, dApost):
    """The rule's constants as floats: ``(taupre_s, taupost_s, dApre, dApost)``, times in seconds.

    Checks units and values; ``dApost=None`` means the thread's ``-dApre*taupre/taupost*1.05``.
    """
    taupre = require_positive_duration(taupre, "taupre")
    taupost = require_positive_duration(taupost, "taupost")
    dApre = require_plain_number(dApre, "dApre")
    if dApost is None:
        dApost = default_dApost(dApre, taupre, taupost)
    dApost = require_plain_number(dApost, "dApost")
    return float(taupre), float(taupost), dApre, dApost


def weight_range(w0, gmax):
    """Check the initial weight and its ceiling; return ``(w0, gmax)`` as floats.

    Raises:
        TypeError: either has a unit or is not a number.
        ValueError: ``gmax <= 0`` or ``w0`` outside ``[0, gmax]``.
    """
    gmax_f = require_plain_number(gmax, "gmax", example=1.0)
    if gmax_f <= 0:
        raise ValueError(f"gmax is the largest weight and must be positive: got {gmax!r}.")
    w0_f = require_plain_number(w0, "w0")
    if not 0.0 <= w0_f <= gmax_f:
        raise ValueError(f"w0 must lie between 0 and gmax = {gmax_f:g} (the rule clips to that range): got {w0!r}.")
    return w0_f, gmax_f


def stdp_window(lag, taupre=20 * ms, taupost=20 * ms, dApre=0.02, dApost=None):
    """Weight change caused by one isolated pre/post spike pair (no clipping).

    Args:
        lag: ``t_post - t_pre``, a Brian time (one value or an array).
        taupre, taupost: decay time constants of the traces ``Apre`` and ``Apost``.
        dApre: the jump of ``Apre`` at each pre spike (potentiation amplitude).
        dApost: the jump of ``Apost`` at each post spike; ``None`` means
            ``-dApre*taupre/taupost*1.05``.

    Returns:
        A plain float (or numpy array of the shape of ``lag``):
        ``dApre*exp(-lag/taupre)`` for ``lag >= 0`` and ``dApost*exp(lag/taupost)`` for
        ``lag < 0``.

    ``lag == 0`` counts as pre-then-post (``+dApre``): when both spikes fall in the same
    time step, Brian runs the synapse's pre pathway (which adds ``dApre`` to ``Apre``)
    before its post pathway (which adds ``Apre`` to ``w``).
    """
    lag = require_quantity(lag, second, "lag")
    taupre_s, taupost_s, dApre, dApost = rule_parameters(taupre, taupost, dApre, dApost)
    lag_s = np.asarray(lag, dtype=float)
    with np.errstate(over="ignore"):
        potentiation = dApre * np.exp(-np.abs(lag_s) / taupre_s)
        depression = dApost * np.exp(-np.abs(lag_s) / taupost_s)
    result = np.where(lag_s >= 0, potentiation, depression)
    return float(result) if result.ndim == 0 else result


@dataclass(frozen=True)
class StdpTrace:
    """The full history computed by ``stdp_reference(..., record=True)``.

    Attributes:
        final_w: the weight after the last event.
        steps: time-step index of each event (int array), in the order processed.
        kinds: ``'pre'`` or ``'post'`` for each event.
        w: the weight right after each event (float array, same length as ``steps``).
        dt: the time step in seconds (a float).
        w0: the initial weight.
    """

    final_w: float
    steps: np.ndarray
    kinds: np.ndarray
    w: np.ndarray
    dt: float
    w0: float

    @property
    def times(self) -> Quantity:
        """Event times (Brian quantity in seconds): step index times dt."""
        return Quantity(self.steps * self.dt, dim=get_dimensions(second))

    def w_at_steps(self, steps) -> np.ndarray:
        """The weight at the *start* of each given time step, before that step's events.

        This is what a ``StateMonitor(synapses, 'w', record=True)`` shows in its column
        for step ``k``: the weight after all events of steps ``0 .. k-1``.
        """
        steps = np.asarray(steps)
        n_done = np.searchsorted(self.steps, steps, side="left")  # events strictly before each step
        with_start = np.concatenate([[self.w0], self.w])
        return with_start[n_done]


def _as_steps(spikes, dt_s: float, name: str) -> np.ndarray:
    """Spike step indices from integer steps or from Brian times (rounded to the grid)."""
    if isinstance(spikes, Quantity) and not get_dimensions(spikes).is_dimensionless:
        if not have_same_dimensions(spikes, second):
            raise TypeError(f"{name} must be time-step indices (integers) or spike times such as "
                            f"M.t[M.i == 0]: got a value with unit {get_dimensions(spikes)}.")
        steps = np.round(np.asarray(spikes, dtype=float) / dt_s).astype(np.int64)
    else:
        arr = np.asarray(spikes)
        if arr.size and not np.issubdtype(arr.dtype, np.integer):
            if not np.all(np.isfinite(arr)) or not np.all(arr == np.round(arr)):
                raise TypeError(f"{name} must hold whole time-step indices (e.g. [45, 91]) or Brian "
                                f"times (e.g. [4.5, 9.1]*ms): got {arr[:5]!r}...")
        steps = arr.astype(np.int64)
    steps = np.atleast_1d(steps)
    if steps.ndim != 1:
        raise ValueError(f"{name} must be a flat list of spike steps for one neuron: got shape {steps.shape}.")
    if steps.size and steps[0] < 0:
        raise ValueError(f"{name} contains a negative time step ({steps[0]}); steps count from 0.")
    if np.any(np.diff(steps) <= 0):
        raise ValueError(f"{name} must be strictly increasing: one neuron spikes at most once per time "
                         "step. Sort the spikes, and give each neuron's spikes separately.")
    return steps


def stdp_reference(pre_spike_steps, post_spike_steps, dt=0.1 * ms, *, w0=0.5, gmax=1.0, taupre=20 * ms,
                   taupost=20 * ms, dApre=0.02, dApost=None, record=False):
    """Weight of one STDP synapse after the given pre and post spikes, event by event.

    The calculation follows the rule's definition, not Brian's code:

    - Between events the traces decay exactly: ``Apre`` is multiplied by
      ``exp(-elapsed/taupre)``, ``Apost`` by ``exp(-elapsed/taupost)``.
    - A pre spike: ``Apre += dApre``, then ``w = clip(w + Apost, 0, gmax)``.
    - A post spike: ``Apost += dApost``, then ``w = clip(w + Apre, 0, gmax)``.
    - Within one time step, the pre spike is handled before the post spike (Brian runs
      the pre pathway of a ``Synapses`` object before its post pathway).
    - The synapse does not act on the post neuron, so the spike trains are given.

    Args:
        pre_spike_steps: time-step indices of the pre-synaptic spikes (integers,
            strictly increasing), or their times as a Brian quantity (e.g. ``M.t[M.i == 0]``).
        post_spike_steps: the same for the post-synaptic spikes.
        dt: the time step (a Brian time); event ``k`` happens at time ``k*dt``.
        w0: initial weight (plain number between 0 and ``gmax``).
        gmax: largest allowed weight.
        taupre, taupost: trace time constants (Brian times).
        dApre: jump of ``Apre`` at each pre spike.
        dApost: jump of ``Apost`` at each post spike; ``None`` means ``-dApre*taupre/taupost*1.05``.
        record: if True, return a :class:`StdpTrace` with the weight after every event.

    Returns:
        The final weight (a float), or a :class:`StdpTrace` when ``record=True``.
    """
    dt = require_positive_duration(dt, "dt")
    dt_s = float(dt)
    taupre_s, taupost_s, dApre, dApost = rule_parameters(taupre, taupost, dApre, dApost)
    w0, gmax = weight_range(w0, gmax)
    pre = _as_steps(pre_spike_steps, dt_s, "pre_spike_steps")
    post = _as_steps(post_spike_steps, dt_s, "post_spike_steps")

    # Merge the two trains: sort by step, and within a step put 'pre' (0) before 'post' (1).
    steps = np.concatenate([pre, post])
    kinds = np.concatenate([np.zeros(pre.size, dtype=np.int8), np.ones(post.size, dtype=np.int8)])
    order = np.lexsort((kinds, steps))
    steps, kinds = steps[order], kinds[order]

    w = w0
    a_pre = 0.0
    a_post = 0.0
    last_t = 0.0
    w_after = np.empty(steps.size)
    for n, (step, kind) in enumerate(zip(steps.tolist(), kinds.tolist())):
        t = step * dt_s
        elapsed = t - last_t
        if elapsed != 0.0:
            a_pre *= math.exp(-elapsed / taupre_s)
            a_post *= math.exp(-elapsed / taupost_s)
            last_t = t
        if kind == 0:  # pre spike
            a_pre += dApre
            w = min(max(w + a_post, 0.0), gmax)
        else:  # post spike
            a_post += dApost
            w = min(max(w + a_pre, 0.0), gmax)
        w_after[n] = w
    if not record:
        return float(w)
    labels = np.where(kinds == 0, "pre", "post")
    return StdpTrace(final_w=float(w), steps=steps, kinds=labels, w=w_after, dt=dt_s, w0=w0)
