"""The pair-based STDP rule of Brian's STDP tutorial, as used in the forum thread.

The synapse model (:data:`STDP_EQS`, :data:`STDP_ON_PRE`, :data:`STDP_ON_POST`; ``gmax``,
``taupre``, ``taupost``, ``dApre``, ``dApost`` are constants)::

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

The rule's constants live in one :class:`PairRule`; :data:`THREAD_RULE` holds the thread's
values (``taupre = taupost = 20 ms``, ``dApre = 0.02``, depression 5 % stronger:
``dApost = -dApre*taupre/taupost*1.05``), and every helper uses it by default, with
``w0 = 0.5`` (:data:`THREAD_W0`) and ``gmax = 1`` (:data:`THREAD_GMAX`).

- :func:`stdp_window`: the weight change caused by one isolated pre/post pair.
- :func:`stdp_reference`: the weight after a whole pair of spike trains, computed
  event by event in plain Python (no Brian network), in the order Brian uses. Its
  JavaScript twin, ``replayPairRule`` in ``vendor/site/_static/offline/book/beat-experiment.js``
  (see :mod:`helpers.live`), runs the live figures in the reader's browser.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
from brian2 import Quantity, ms, second
from brian2.units.fundamentalunits import get_dimensions

from .events import replay_trace_rule
from .validation import require_plain_number, require_positive_duration, require_quantity, require_weight_bounds

__all__ = [
    "STDP_EQS", "STDP_ON_PRE", "STDP_ON_POST",
    "PairRule", "THREAD_RULE", "THREAD_W0", "THREAD_GMAX", "checked_rule",
    "stdp_window", "StdpTrace", "stdp_reference",
]

#: The synapse model of Brian's STDP tutorial (constants come from the namespace).
STDP_EQS = """
w : 1
dApre/dt = -Apre / taupre : 1 (event-driven)
dApost/dt = -Apost / taupost : 1 (event-driven)
"""
#: At a pre-synaptic spike: the pre trace jumps, then the post trace depresses ``w``.
STDP_ON_PRE = """
Apre += dApre
w = clip(w + Apost, 0, gmax)
"""
#: At a post-synaptic spike: the post trace jumps, then the pre trace potentiates ``w``.
STDP_ON_POST = """
Apost += dApost
w = clip(w + Apre, 0, gmax)
"""

#: The thread's initial weight and the largest weight (the rule clips ``w`` to ``[0, gmax]``).
THREAD_W0 = 0.5
THREAD_GMAX = 1.0


@dataclass(frozen=True)
class PairRule:
    """The constants of the pair rule: trace time constants and jump sizes.

    Attributes:
        taupre, taupost: decay time constants of ``Apre`` and ``Apost`` (Brian times).
        dApre: the jump of ``Apre`` at each pre spike (potentiation step, a plain number).
        depression_ratio: how much stronger depression is than potentiation; the jump of
            ``Apost`` is ``dApost = -dApre*taupre/taupost*depression_ratio`` (1.05 in the thread).

    Example:
        >>> from brian2 import ms
        >>> THREAD_RULE.dApost
        -0.021
        >>> THREAD_RULE.replace(taupost=40*ms).dApost  # depression step halves, its area stays
        -0.0105
    """

    taupre: Quantity
    taupost: Quantity
    dApre: float
    depression_ratio: float

    @property
    def dApost(self) -> float:
        """The jump of ``Apost`` at each post spike: ``-dApre*taupre/taupost*depression_ratio``."""
        return -self.dApre * float(self.taupre / self.taupost) * self.depression_ratio

    def replace(self, **changes) -> "PairRule":
        """A copy with some constants changed, e.g. ``THREAD_RULE.replace(dApre=0.01)``."""
        return dataclasses.replace(self, **changes)

    def checked(self) -> "PairRule":
        """Return self after checking units and values; raise with a clear message otherwise."""
        require_positive_duration(self.taupre, "taupre")
        require_positive_duration(self.taupost, "taupost")
        require_plain_number(self.dApre, "dApre", example=0.02)
        ratio = require_plain_number(self.depression_ratio, "depression_ratio", example=1.05)
        if ratio < 0:
            raise ValueError(f"depression_ratio must be >= 0 (the sign of dApost is built in): got {ratio!r}.")
        return self

    def namespace(self, gmax: float) -> dict:
        """The constants as a Brian namespace for :data:`STDP_EQS` (``gmax`` added)."""
        return {"taupre": self.taupre, "taupost": self.taupost, "dApre": float(self.dApre),
                "dApost": self.dApost, "gmax": float(gmax)}

    def brian_model(self, gmax: float) -> tuple[str, str, str, dict]:
        """``(model, on_pre, on_post, namespace)`` for a Brian ``Synapses`` with this rule."""
        return STDP_EQS, STDP_ON_PRE, STDP_ON_POST, self.namespace(gmax)


#: The thread's rule: taupre = taupost = 20 ms, dApre = 0.02, depression 5 % stronger.
THREAD_RULE = PairRule(taupre=20 * ms, taupost=20 * ms, dApre=0.02, depression_ratio=1.05)


def checked_rule(rule) -> PairRule:
    """``rule.checked()``, with a clear message when ``rule`` is not a :class:`PairRule`."""
    if not isinstance(rule, PairRule):
        raise TypeError(f"rule must be a PairRule such as THREAD_RULE (or THREAD_RULE.replace(dApre=0.01)): "
                        f"got {rule!r}.")
    return rule.checked()


def stdp_window(lag, rule=THREAD_RULE):
    """Weight change caused by one isolated pre/post spike pair (no clipping).

    Args:
        lag: ``t_post - t_pre``, a Brian time (one value or an array).
        rule: the rule's constants (default :data:`THREAD_RULE`).

    Returns:
        A plain float (or numpy array of the shape of ``lag``):
        ``dApre*exp(-lag/taupre)`` for ``lag >= 0`` and ``dApost*exp(lag/taupost)`` for
        ``lag < 0``.

    ``lag == 0`` counts as pre-then-post (``+dApre``): when both spikes fall in the same
    time step, Brian runs the synapse's pre pathway (which adds ``dApre`` to ``Apre``)
    before its post pathway (which adds ``Apre`` to ``w``).

    Example:
        >>> from brian2 import ms
        >>> round(stdp_window(10*ms), 6), round(stdp_window(-10*ms), 6)
        (0.012131, -0.012737)
    """
    lag = require_quantity(lag, second, "lag")
    rule = checked_rule(rule)
    lag_s = np.asarray(lag, dtype=float)
    if not np.all(np.isfinite(lag_s)):
        raise ValueError(f"lag must be finite: got {lag!r}.")
    with np.errstate(over="ignore"):
        potentiation = rule.dApre * np.exp(-np.abs(lag_s) / float(rule.taupre))
        depression = rule.dApost * np.exp(-np.abs(lag_s) / float(rule.taupost))
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


def stdp_reference(pre_spike_steps, post_spike_steps, dt=0.1 * ms, *, rule=THREAD_RULE, w0=THREAD_W0,
                   gmax=THREAD_GMAX, record=False):
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
        rule: the rule's constants (default :data:`THREAD_RULE`).
        w0: initial weight (plain number between 0 and ``gmax``).
        gmax: largest allowed weight.
        record: if True, return a :class:`StdpTrace` with the weight after every event.

    Returns:
        The final weight (a float), or a :class:`StdpTrace` when ``record=True``.

    Example:
        A pre spike at 0 ms and a post spike at 10 ms potentiate by ``0.02*exp(-10/20)``:

        >>> from brian2 import ms
        >>> round(stdp_reference([0], [100], 0.1*ms), 6)
        0.512131
    """
    rule = checked_rule(rule)
    w0, gmax = require_weight_bounds(w0, gmax)
    dApre, dApost = float(rule.dApre), rule.dApost
    _check_jump_sizes(dApre, dApost)

    def on_pre(traces, w):  # traces = [Apre, Apost]
        traces[0] += dApre
        return min(max(w + traces[1], 0.0), gmax)

    def on_post(traces, w):
        traces[1] += dApost
        return min(max(w + traces[0], 0.0), gmax)

    replay = replay_trace_rule(pre_spike_steps, post_spike_steps, dt, taus=[rule.taupre, rule.taupost],
                               on_pre=on_pre, on_post=on_post, w0=w0, record=record)
    if not record:
        return replay.final_w
    labels = np.where(replay.is_post, "post", "pre")
    return StdpTrace(final_w=replay.final_w, steps=replay.steps, kinds=labels, w=replay.w,
                     dt=float(dt), w0=w0)


#: Largest trace jump accepted: beyond it the sum of many jumps can overflow to inf or NaN.
MAX_JUMP = 1e6


def _check_jump_sizes(*jumps: float) -> None:
    if any(abs(j) > MAX_JUMP for j in jumps):
        raise ValueError(f"trace jumps larger than {MAX_JUMP:g} in size make the weight overflow: got "
                         f"{', '.join(f'{j:g}' for j in jumps)}. Weights and steps are of order 1 "
                         "(dApre = 0.02 in the thread).")
