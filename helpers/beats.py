"""The binaural-beat experiment: many pre/post pacemaker pairs with STDP, in one network.

Chapter 5 writes this network out in full first; this module packages it for sweeps.
Each *condition* is one pair of pacemakers: a pre-synaptic neuron at a carrier rate
and a post-synaptic neuron at a (slightly) different rate, joined by one synapse with
the STDP rule of :mod:`helpers.stdp`. The synapse learns but does not act on the post
neuron, so both spike trains are fixed by their rates and the weight change measures
the plasticity rule alone (the experiment suggested in the forum thread).

All conditions run side by side in a single Brian network: one ``NeuronGroup`` of
``2*N`` pacemakers (the first ``N`` are pre, the last ``N`` post) and one ``Synapses``
object connecting pre ``i`` to post ``i``. That is far faster than building one
network per condition (see ``benchmarks/bench_beats.py``).
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
from brian2 import (
    Clock,
    Hz,
    Network,
    NeuronGroup,
    Quantity,
    SpikeMonitor,
    StateMonitor,
    Synapses,
    ms,
    second,
)
from brian2.units.fundamentalunits import get_dimensions

from .pacemakers import PACEMAKER_EQS, effective_rate, require_pacemaker_rates
from .stdp import STDP_EQS, STDP_ON_POST, STDP_ON_PRE, THREAD_GMAX, THREAD_RULE, THREAD_W0, PairRule, checked_rule
from .validation import (
    as_plain_array,
    require_flag,
    require_positive_duration,
    require_same_length,
    require_weight_bounds,
)

__all__ = ["BeatResult", "run_beat_experiment"]

#: Relative difference between requested and effective rate (or beat) that triggers a warning.
MISMATCH_TOLERANCE = 0.01


def _hz(values) -> Quantity:
    return Quantity(np.asarray(values, dtype=float), dim=get_dimensions(Hz))


@dataclass(frozen=True, eq=False)
class BeatResult:
    """What :func:`run_beat_experiment` measured. Condition ``i`` is pre ``i`` -> post ``i``.

    Attributes:
        pre_rates, post_rates: the requested rates (Brian quantities in Hz), one per condition.
        effective_pre_rates, effective_post_rates: the rates the pacemakers really have with
            this ``dt``: ``1/(steps per period * dt)`` (Hz).
        duration: the simulated time. dt: the time step.
        final_w: weight of each synapse at the end of the run (float array, length N).
        t: recording times (Brian quantity, one per time step) or ``None`` without recording.
        w: weight trajectories, shape (N, number of steps), or ``None`` without recording.
            Like any ``StateMonitor``, column ``k`` is the weight at the *start* of step ``k``.
        pre_spike_counts, post_spike_counts: spikes per neuron (int64 arrays, length N).
        pre_spike_times, post_spike_times: tuples of N Brian time arrays, one per condition.
        pre_phase, post_phase: initial value of ``x`` of each pre and post pacemaker.
        w0, gmax: initial weight and upper bound. rule: the pair rule's constants (:class:`helpers.stdp.PairRule`).
    """

    pre_rates: Quantity
    post_rates: Quantity
    effective_pre_rates: Quantity
    effective_post_rates: Quantity
    duration: Quantity
    dt: Quantity
    final_w: np.ndarray
    t: Quantity | None
    w: np.ndarray | None
    pre_spike_counts: np.ndarray
    post_spike_counts: np.ndarray
    pre_spike_times: tuple = field(repr=False)
    post_spike_times: tuple = field(repr=False)
    pre_phase: np.ndarray = field(repr=False)
    post_phase: np.ndarray = field(repr=False)
    w0: float
    gmax: float
    rule: PairRule

    @property
    def n_conditions(self) -> int:
        """Number of pre/post pairs simulated."""
        return int(self.final_w.size)

    @property
    def effective_beats(self) -> Quantity:
        """``effective_post_rates - effective_pre_rates``: the beat the pacemakers really produce (Hz)."""
        return self.effective_post_rates - self.effective_pre_rates

    @property
    def drift_per_second(self) -> np.ndarray:
        """Average weight change per second of simulated time: ``(final_w - w0)/duration``."""
        return (self.final_w - self.w0) / float(self.duration / second)


def _phase_array(phase, n: int, name: str) -> np.ndarray:
    """Initial values of x: one number for all conditions or one per condition, each in [0, 1)."""
    arr = as_plain_array(phase, name, example="0.25 or [0, 0.5]")
    if arr.size == 1:
        arr = np.full(n, arr[0])
    if arr.size != n:
        raise ValueError(f"{name} must be one number or one number per condition ({n}): got {arr.size} values.")
    if np.any(arr < 0) or np.any(arr >= 1):
        raise ValueError(f"{name} values must lie in [0, 1) (x starts there and spikes when x > 1): got {phase!r}.")
    return arr


def _warn_about_mismatch(pre, post, eff_pre, eff_post, dt) -> None:
    """One UserWarning listing conditions whose effective rate or beat is off by more than 1 %."""
    pre, post = np.asarray(pre, dtype=float), np.asarray(post, dtype=float)
    eff_pre, eff_post = np.asarray(eff_pre, dtype=float), np.asarray(eff_post, dtype=float)
    rate_off = (np.abs(eff_pre - pre) > MISMATCH_TOLERANCE * pre) | (np.abs(eff_post - post) > MISMATCH_TOLERANCE * post)
    beat, eff_beat = post - pre, eff_post - eff_pre
    beat_off = np.abs(eff_beat - beat) > MISMATCH_TOLERANCE * np.abs(beat)
    bad = np.flatnonzero(rate_off | beat_off)
    if bad.size == 0:
        return
    shown = "; ".join(
        f"{pre[i]:g}/{post[i]:g} Hz runs at {eff_pre[i]:.2f}/{eff_post[i]:.2f} Hz (beat {eff_beat[i]:.2f} Hz "
        f"instead of {beat[i]:g} Hz)" for i in bad[:3]
    )
    more = f" and {bad.size - 3} more" if bad.size > 3 else ""
    warnings.warn(
        f"With dt = {float(dt) * 1e3:g} ms a pacemaker's period is a whole number of time steps, so "
        f"{bad.size} condition(s) do not run at the requested rates: {shown}{more}. Read the real rates "
        "from effective_pre_rates/effective_post_rates, choose rates whose period is a whole number of "
        "steps, or use a smaller dt.",
        UserWarning,
        stacklevel=3,
    )


def run_beat_experiment(pre_rates, post_rates, duration, *, rule=THREAD_RULE, w0=THREAD_W0, gmax=THREAD_GMAX,
                        dt=0.1 * ms, pre_phase=0.0, post_phase=0.0, record_weights=False,
                        warn_mismatch=False) -> BeatResult:
    """Simulate N pre/post pacemaker pairs with STDP synapses that do not drive the post cell.

    Args:
        pre_rates: rate of each pre-synaptic pacemaker, e.g. ``[200, 200, 200]*Hz``
            (a single rate is used for every condition).
        post_rates: rate of each post-synaptic pacemaker, e.g. ``[250, 220, 210]*Hz``.
        duration: simulated time, e.g. ``1*second``.
        rule: the pair rule's constants (default :data:`helpers.stdp.THREAD_RULE`, the thread's).
        w0: initial weight of every synapse (between 0 and ``gmax``).
        gmax: largest weight; the rule clips ``w`` to ``[0, gmax]``.
        dt: time step of the network's own clock (default 0.1 ms).
        pre_phase, post_phase: initial value of ``x`` of the pre / post pacemakers, in [0, 1):
            one number for all or one per condition. Default 0, as in the thread.
        record_weights: record ``w`` at every step (``result.t``, ``result.w``); off by default
            because a long sweep's trajectories take a lot of memory.
        warn_mismatch: warn (``UserWarning``) when an effective rate, or the effective beat
            ``post - pre``, differs from the requested one by more than 1 % (chapter 5 explains why).

    Returns:
        A :class:`BeatResult`.

    Raises:
        TypeError: a rate, duration or time constant without a unit.
        ValueError: non-positive rates or duration, lists of different lengths, a rate
            above ``1/(2*dt)``, phases outside [0, 1), ``w0`` outside ``[0, gmax]``.

    Example:
        The thread's three conditions (200 Hz against 250, 220 and 210 Hz) for one second:

        >>> from brian2 import Hz, second
        >>> result = run_beat_experiment(200*Hz, [250, 220, 210]*Hz, 1*second)
        >>> result.post_spike_counts
        array([250, 217, 208])
        >>> result.final_w.round(4)
        array([0.5243, 0.    , 0.    ])
    """
    dt = require_positive_duration(dt, "dt")
    duration = require_positive_duration(duration, "duration")
    pre = require_pacemaker_rates(pre_rates, dt, "pre_rates")
    post = require_pacemaker_rates(post_rates, dt, "post_rates")
    if pre.size == 1 and post.size > 1:  # one carrier for every condition
        pre = _hz(np.full(post.size, float(pre[0])))
    if post.size == 1 and pre.size > 1:
        post = _hz(np.full(pre.size, float(post[0])))
    n = require_same_length(pre_rates=pre, post_rates=post)
    rule = checked_rule(rule)
    w0_f, gmax_f = require_weight_bounds(w0, gmax)
    pre_x0 = _phase_array(pre_phase, n, "pre_phase")
    post_x0 = _phase_array(post_phase, n, "post_phase")
    record_weights = require_flag(record_weights, "record_weights")
    warn_mismatch = require_flag(warn_mismatch, "warn_mismatch")

    eff_pre = effective_rate(pre, dt)
    eff_post = effective_rate(post, dt)
    if warn_mismatch:
        _warn_about_mismatch(pre, post, eff_pre, eff_post, dt)

    # --- the network: 2N pacemakers, N one-to-one STDP synapses, monitors -------------------
    clock = Clock(dt)  # the network's own clock: no dependence on defaultclock
    neurons = NeuronGroup(2 * n, PACEMAKER_EQS, threshold="x > 1", reset="x = 0", method="euler",
                          clock=clock)
    neurons.rate = np.concatenate([np.asarray(pre), np.asarray(post)]) * Hz
    neurons.x = np.concatenate([pre_x0, post_x0])
    synapses = Synapses(neurons[:n], neurons[n:], STDP_EQS, on_pre=STDP_ON_PRE, on_post=STDP_ON_POST,
                        namespace=rule.namespace(gmax_f), clock=clock)
    synapses.connect(j="i")  # pre i -> post i: one synapse per condition
    synapses.w = w0_f
    spikes = SpikeMonitor(neurons)
    objects = [neurons, synapses, spikes]
    weights = None
    if record_weights:
        weights = StateMonitor(synapses, "w", record=True, clock=clock)
        objects.append(weights)
    net = Network(*objects)
    net.run(duration, namespace={})

    # Every array is copied: from brian2 2.10 on, a monitor's arrays are views onto memory
    # that is freed with the network, and these results outlive it.
    trains = {i: Quantity(np.array(times, dtype=float), dim=get_dimensions(second))
              for i, times in spikes.spike_trains().items()}
    counts = np.array(spikes.count[:], dtype=np.int64)
    return BeatResult(
        pre_rates=pre,
        post_rates=post,
        effective_pre_rates=eff_pre,
        effective_post_rates=eff_post,
        duration=duration,
        dt=dt,
        final_w=np.array(synapses.w[:], dtype=float),
        t=Quantity(np.array(weights.t[:], dtype=float), dim=get_dimensions(second)) if record_weights else None,
        w=np.array(weights.w[:], dtype=float) if record_weights else None,
        pre_spike_counts=counts[:n].copy(),
        post_spike_counts=counts[n:].copy(),
        pre_spike_times=tuple(trains[i] for i in range(n)),
        post_spike_times=tuple(trains[n + i] for i in range(n)),
        pre_phase=pre_x0,
        post_phase=post_x0,
        w0=w0_f,
        gmax=gmax_f,
        rule=rule,
    )
