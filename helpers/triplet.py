"""Chapter 7: the triplet STDP rule of Pfister and Gerstner (2006), in Brian and in numpy.

The rule keeps four traces, each jumping by 1 at a spike and decaying exponentially:
``r1`` (time constant ``tau_plus``) and ``r2`` (``tau_x``) for the pre-synaptic neuron,
``o1`` (``tau_minus``) and ``o2`` (``tau_y``) for the post-synaptic neuron. Then

- at a pre-synaptic spike:  ``w -= o1*(A2_minus + A3_minus*r2)``, then ``r1 += 1``, ``r2 += 1``;
- at a post-synaptic spike: ``w += r1*(A2_plus + A3_plus*o2)``, then ``o1 += 1``, ``o2 += 1``.

The slow traces ``r2`` and ``o2`` are read *before* their own spike is added, so the
``A3`` terms need a third spike: ``A3_plus`` rewards a pre -> post pairing more when the post
neuron has fired recently (a post-pre-post or pre-post-post triplet). Because every spike
adds to the traces, this is the *all-to-all* version of the rule.

:data:`VISUAL_CORTEX_MINIMAL` is the paper's minimal all-to-all parameter set fitted to
visual-cortex data: ``A2_plus = 0``, ``A3_minus = 0``, ``A3_plus = 6.5e-3``,
``A2_minus = 7.1e-3``, ``tau_plus = 16.8 ms``, ``tau_minus = 33.7 ms``, ``tau_y = 114 ms``.
With ``A3_minus = 0`` the trace ``r2`` plays no role, so ``tau_x`` may have any value.

- :data:`TRIPLET_EQS`, :data:`TRIPLET_ON_PRE`, :data:`TRIPLET_ON_POST`: the Brian synapse model.
- :func:`run_triplet_pairing`: the pairing protocol of chapter 6 with this rule, one
  synapse per frequency, in one Brian network.
- :func:`triplet_reference`: the same rule event by event in plain Python (no Brian).
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np
from brian2 import ms

from .epsp import PairingResult, pairing_trains, run_plastic_synapses
from .validation import as_rate_array, require_positive_duration

__all__ = [
    "TripletParameters", "VISUAL_CORTEX_MINIMAL",
    "TRIPLET_EQS", "TRIPLET_ON_PRE", "TRIPLET_ON_POST",
    "run_triplet_pairing", "triplet_reference",
]


@dataclass(frozen=True)
class TripletParameters:
    """Amplitudes (plain numbers) and time constants (Brian times) of the triplet rule."""

    A2_plus: float
    A3_plus: float
    A2_minus: float
    A3_minus: float
    tau_plus: object
    tau_x: object
    tau_minus: object
    tau_y: object

    def namespace(self) -> dict:
        """The parameters as a Brian namespace (names as in :data:`TRIPLET_EQS`)."""
        return asdict(self)

    def checked(self) -> "TripletParameters":
        """Return self after checking units and signs; raise with a clear message otherwise."""
        for name in ("tau_plus", "tau_x", "tau_minus", "tau_y"):
            require_positive_duration(getattr(self, name), name)
        for name in ("A2_plus", "A3_plus", "A2_minus", "A3_minus"):
            value = getattr(self, name)
            if not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
                raise ValueError(f"{name} must be a plain number >= 0 (the rule's signs are built in): got {value!r}.")
        return self


#: Pfister & Gerstner (2006), minimal all-to-all model, visual-cortex data set.
VISUAL_CORTEX_MINIMAL = TripletParameters(
    A2_plus=0.0, A3_plus=6.5e-3, A2_minus=7.1e-3, A3_minus=0.0,
    tau_plus=16.8 * ms, tau_x=101 * ms, tau_minus=33.7 * ms, tau_y=114 * ms,
)

#: The Brian synapse model: weight and four event-driven traces.
TRIPLET_EQS = """
w : 1
dr1/dt = -r1/tau_plus : 1 (event-driven)
dr2/dt = -r2/tau_x : 1 (event-driven)
do1/dt = -o1/tau_minus : 1 (event-driven)
do2/dt = -o2/tau_y : 1 (event-driven)
"""
#: At a pre-synaptic spike: depression read from the post traces, then the pre traces jump.
TRIPLET_ON_PRE = """
w = clip(w - o1*(A2_minus + A3_minus*r2), 0, wmax)
r1 += 1
r2 += 1
"""
#: At a post-synaptic spike: potentiation read from the pre traces, then the post traces jump.
TRIPLET_ON_POST = """
w = clip(w + r1*(A2_plus + A3_plus*o2), 0, wmax)
o1 += 1
o2 += 1
"""


def _bounds(w0, wmax):
    try:
        w0, wmax = float(w0), float(wmax)
    except (TypeError, ValueError):
        raise TypeError(f"w0 and wmax are plain numbers: got w0={w0!r}, wmax={wmax!r}.") from None
    if not wmax > 0 or not 0.0 <= w0 <= wmax or math.isnan(w0):
        raise ValueError(f"need wmax > 0 and 0 <= w0 <= wmax: got w0={w0!r}, wmax={wmax!r}.")
    return w0, wmax


def run_triplet_pairing(frequencies, lag, n_pairs, *, params=VISUAL_CORTEX_MINIMAL, dt=0.1 * ms, start=10 * ms,
                        w0=0.5, wmax=1.0) -> PairingResult:
    """The pairing protocol with the triplet rule: one synapse per frequency, one network.

    The spikes are those of :func:`helpers.epsp.pairing_spike_steps`; two
    ``SpikeGeneratorGroup``\\ s play pre and post, neuron ``i`` for frequency ``i``, and
    synapse ``i`` (model :data:`TRIPLET_EQS`) joins them. The synapse only learns.

    Args:
        frequencies: pairing frequencies, e.g. ``[10, 20, 50]*Hz``.
        lag: ``t_post - t_pre`` within each pair (a whole number of steps, shorter than a period).
        n_pairs: pairings per frequency.
        params: a :class:`TripletParameters` (default :data:`VISUAL_CORTEX_MINIMAL`).
        dt, start: as in :func:`helpers.epsp.pairing_spike_steps`.
        w0, wmax: initial weight and upper bound (the weight is clipped to ``[0, wmax]``;
            pass ``wmax=float('inf')`` for no upper bound).

    Returns:
        A :class:`helpers.epsp.PairingResult`.
    """
    params = params.checked()
    freqs = as_rate_array(frequencies, "frequencies")
    dt = require_positive_duration(dt, "dt")
    w0, wmax = _bounds(w0, wmax)
    trains = pairing_trains(freqs, lag, n_pairs, dt=dt, start=start)
    namespace = params.namespace()
    namespace["wmax"] = wmax
    final_w = run_plastic_synapses(trains, TRIPLET_EQS, TRIPLET_ON_PRE, TRIPLET_ON_POST, namespace, w0, dt)
    return PairingResult(frequencies=freqs, lag=lag, n_pairs=int(n_pairs), w0=w0,
                         final_w=final_w, duration=trains.duration)


def _steps(spikes, name):
    arr = np.atleast_1d(np.asarray(spikes))
    if arr.size and (not np.issubdtype(arr.dtype, np.integer)):
        if not np.all(np.isfinite(arr)) or not np.all(arr == np.round(arr)):
            raise TypeError(f"{name} must be whole time-step indices, e.g. [100, 600]: got {arr[:5]!r}.")
    arr = arr.astype(np.int64)
    if arr.ndim != 1 or (arr.size and (arr[0] < 0 or np.any(np.diff(arr) <= 0))):
        raise ValueError(f"{name} must be a flat, strictly increasing list of step indices >= 0.")
    return arr


def triplet_reference(pre_spike_steps, post_spike_steps, dt=0.1 * ms, *, params=VISUAL_CORTEX_MINIMAL,
                      w0=0.5, wmax=1.0) -> float:
    """Weight after the given spike trains under the triplet rule, event by event (no Brian).

    Between events every trace decays exactly (``exp(-elapsed/tau)``). A pre spike
    applies ``w = clip(w - o1*(A2_minus + A3_minus*r2), 0, wmax)`` and then ``r1 += 1``,
    ``r2 += 1``; a post spike applies ``w = clip(w + r1*(A2_plus + A3_plus*o2), 0, wmax)``
    and then ``o1 += 1``, ``o2 += 1``. In a time step with both, the pre spike comes first
    (Brian runs a synapse's pre pathway before its post pathway).

    Args:
        pre_spike_steps, post_spike_steps: time-step indices of the spikes (increasing integers).
        dt: the time step; event ``k`` happens at ``k*dt``.
        params: a :class:`TripletParameters`. w0, wmax: initial weight and upper bound.

    Returns:
        The final weight (a float).
    """
    params = params.checked()
    dt_s = float(require_positive_duration(dt, "dt"))
    w, wmax = _bounds(w0, wmax)
    pre = _steps(pre_spike_steps, "pre_spike_steps")
    post = _steps(post_spike_steps, "post_spike_steps")
    steps = np.concatenate([pre, post])
    kinds = np.concatenate([np.zeros(pre.size, np.int8), np.ones(post.size, np.int8)])
    order = np.lexsort((kinds, steps))
    tau_plus, tau_x = float(params.tau_plus), float(params.tau_x)
    tau_minus, tau_y = float(params.tau_minus), float(params.tau_y)
    r1 = r2 = o1 = o2 = 0.0
    last = 0.0
    for step, kind in zip(steps[order].tolist(), kinds[order].tolist()):
        t = step * dt_s
        if t != last:
            elapsed = t - last
            r1 *= math.exp(-elapsed / tau_plus)
            r2 *= math.exp(-elapsed / tau_x)
            o1 *= math.exp(-elapsed / tau_minus)
            o2 *= math.exp(-elapsed / tau_y)
            last = t
        if kind == 0:
            w = min(max(w - o1 * (params.A2_minus + params.A3_minus * r2), 0.0), wmax)
            r1 += 1.0
            r2 += 1.0
        else:
            w = min(max(w + r1 * (params.A2_plus + params.A3_plus * o2), 0.0), wmax)
            o1 += 1.0
            o2 += 1.0
    return float(w)
