"""Chapter 6: the pairing protocol, and what the pair rule predicts for it.

In a pairing experiment the experimenter makes a pre-synaptic cell fire and, ``lag``
later, the post-synaptic cell, and repeats the pair at a chosen frequency. Here the
spikes come from two ``SpikeGeneratorGroup``\\ s and the synapse only learns: it does not
act on the post cell, whose spikes are imposed.

- :func:`pairing_spike_steps`: the time steps of one protocol (pre, then post ``lag``
  later, repeated at a frequency).
- :func:`run_pairing_protocol`: that protocol for many frequencies in ONE Brian network,
  with the pair rule of :mod:`helpers.stdp` or the triplet rule of :mod:`helpers.triplet`.
- :func:`pair_sum_weight_change`: the pair rule's weight change as a sum of the STDP
  window over every pre/post pair (valid while ``w`` stays inside ``[0, gmax]``).
- :func:`steady_state_change_per_pairing`: that sum per pairing deep inside an endless train.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from brian2 import Clock, Hz, Network, Quantity, SpikeGeneratorGroup, Synapses, ms, second

from .clock import whole_steps
from .stdp import THREAD_GMAX, THREAD_RULE, THREAD_W0, checked_rule, stdp_window
from .triplet import TripletParameters, checked_triplet_rule
from .validation import (
    as_finite_quantity,
    as_rate_array,
    require_positive_duration,
    require_representable_rates,
    require_weight_bounds,
)

__all__ = [
    "pairing_spike_steps", "PairingResult", "run_pairing_protocol",
    "pair_sum_weight_change", "steady_state_change_per_pairing",
]

#: Most spikes one protocol may ask for (a bound on memory and time; 10**6 pairs at 0.1 ms is 100 s).
MAX_PAIRS = 10**6


def _n_pairs(n_pairs) -> int:
    if isinstance(n_pairs, bool) or not isinstance(n_pairs, (int, np.integer, float, np.floating)) \
            or not np.isfinite(n_pairs) or int(n_pairs) != n_pairs or n_pairs < 1:
        raise ValueError(f"n_pairs must be a positive whole number such as 30: got {n_pairs!r}.")
    if n_pairs > MAX_PAIRS:
        raise ValueError(f"n_pairs = {n_pairs} is more than {MAX_PAIRS:g} pairings; split the protocol "
                         "into shorter ones.")
    return int(n_pairs)


def _protocol(frequencies, lag, n_pairs, dt, start, name="frequencies"):
    """Validate a protocol's arguments once: ``(rates_hz, lag_steps, n_pairs, dt, start_step)``."""
    dt = require_positive_duration(dt, "dt")
    dt_s = float(dt)
    freqs = require_representable_rates(frequencies, dt, name)
    if name == "frequency" and freqs.size != 1:
        raise ValueError(f"frequency must be a single rate such as 20*Hz: got {frequencies!r}.")
    lag_steps = whole_steps(lag, dt, "lag")
    start_step = whole_steps(start, dt, "start")
    if start_step < 0 or start_step + lag_steps < 0:
        raise ValueError("start must be late enough that the first pre and post spikes are at times >= 0 "
                         f"(start >= {max(0.0, -float(lag)) * 1e3:g} ms).")
    rates_hz = np.asarray(freqs, dtype=float)
    shortest_period = 1.0 / (rates_hz.max() * dt_s)
    if abs(lag_steps) >= shortest_period:
        raise ValueError(f"|lag| = {abs(lag_steps) * dt_s * 1e3:g} ms is not shorter than the period "
                         f"1/frequency = {1e3 / rates_hz.max():g} ms, so the pairs would overlap or swap. "
                         "Use a lower frequency or a shorter lag.")
    return rates_hz, lag_steps, _n_pairs(n_pairs), dt, start_step


def _steps(rate_hz: float, lag_steps: int, n_pairs: int, dt_s: float, start_step: int):
    pre = start_step + np.round(np.arange(n_pairs) * (1.0 / (rate_hz * dt_s))).astype(np.int64)
    return pre, pre + lag_steps


def pairing_spike_steps(frequency, lag, n_pairs, *, dt=0.1 * ms, start=10 * ms):
    """Time steps of a pairing protocol: a pre spike, then a post spike ``lag`` later, repeated.

    Pre spike ``k`` (``k = 0 .. n_pairs-1``) is at ``start + k/frequency``; its post spike at
    that time plus ``lag`` (a negative lag puts the post spike first). Times are rounded to
    the time grid of step ``dt``; the lag must be a whole number of steps, so every pair
    has exactly the requested lag even when the period is not a whole number of steps.

    Args:
        frequency: how often the pair is repeated, e.g. ``20*Hz`` (at most ``1/(2*dt)``).
        lag: ``t_post - t_pre`` within each pair, e.g. ``10*ms`` or ``-10*ms``.
        n_pairs: number of pairings (a positive integer).
        dt: the time step. start: time of the first pre spike (>= 0, and ``start + lag >= 0``).

    Returns:
        ``(pre_steps, post_steps)``: two integer numpy arrays of step indices.

    Example:
        >>> from brian2 import Hz, ms
        >>> pairing_spike_steps(20*Hz, 10*ms, 3)
        (array([ 100,  600, 1100]), array([ 200,  700, 1200]))
    """
    rates_hz, lag_steps, n, dt, start_step = _protocol(frequency, lag, n_pairs, dt, start, name="frequency")
    return _steps(float(rates_hz[0]), lag_steps, n, float(dt), start_step)


@dataclass(frozen=True, eq=False)
class PairingResult:
    """What :func:`run_pairing_protocol` computed; entry ``i`` belongs to ``frequencies[i]``.

    Attributes:
        frequencies: pairing frequencies (Brian quantity in Hz). lag: ``t_post - t_pre``.
        n_pairs: pairings per condition. w0: initial weight. final_w: weight after the protocol.
        duration: the simulated time (long enough for the slowest condition).
    """

    frequencies: Quantity
    lag: Quantity
    n_pairs: int
    w0: float
    final_w: np.ndarray
    duration: Quantity

    @property
    def change(self) -> np.ndarray:
        """``final_w - w0`` for each frequency."""
        return self.final_w - self.w0

    @property
    def change_per_pairing(self) -> np.ndarray:
        """``(final_w - w0)/n_pairs`` for each frequency."""
        return self.change / self.n_pairs


def run_pairing_protocol(frequencies, lag, n_pairs, *, rule=THREAD_RULE, dt=0.1 * ms, start=10 * ms,
                         w0=THREAD_W0, gmax=THREAD_GMAX) -> PairingResult:
    """The pairing protocol at several frequencies, one plastic synapse per frequency, in one network.

    Pre and post spikes come from two ``SpikeGeneratorGroup``\\ s (neuron ``c`` of each plays
    condition ``c``, with spike times from :func:`pairing_spike_steps`); synapse ``c`` joins
    pre ``c`` to post ``c``. The synapse only learns; it does not act on the post neuron.

    Args:
        frequencies: one pairing frequency per condition, e.g. ``[10, 20, 50]*Hz``.
        lag, n_pairs, dt, start: as in :func:`pairing_spike_steps`.
        rule: the plasticity rule: a :class:`helpers.stdp.PairRule` (default, the thread's
            :data:`helpers.stdp.THREAD_RULE`) or a :class:`helpers.triplet.TripletParameters`.
        w0, gmax: initial weight and upper bound (``gmax=float('inf')`` for no bound).

    Returns:
        A :class:`PairingResult`.

    Example:
        >>> from brian2 import Hz, ms
        >>> result = run_pairing_protocol([10, 40]*Hz, 10*ms, 20)
        >>> result.change_per_pairing.round(5)
        array([0.01199, 0.00373])
    """
    rule = checked_triplet_rule(rule) if isinstance(rule, TripletParameters) else checked_rule(rule)
    rates_hz, lag_steps, n, dt, start_step = _protocol(frequencies, lag, n_pairs, dt, start)
    w0, gmax = require_weight_bounds(w0, gmax)
    model, on_pre, on_post, namespace = rule.brian_model(gmax)

    dt_s = float(dt)
    pre_idx, pre_steps, post_idx, post_steps = [], [], [], []
    for condition, rate in enumerate(rates_hz):
        pre, post = _steps(float(rate), lag_steps, n, dt_s, start_step)
        pre_idx.append(np.full(n, condition))
        pre_steps.append(pre)
        post_idx.append(np.full(n, condition))
        post_steps.append(post)
    pre_steps, post_steps = np.concatenate(pre_steps), np.concatenate(post_steps)
    duration = (int(max(pre_steps.max(), post_steps.max())) + 1) * dt

    clock = Clock(dt)
    pre_group = SpikeGeneratorGroup(rates_hz.size, np.concatenate(pre_idx), pre_steps * dt, clock=clock)
    post_group = SpikeGeneratorGroup(rates_hz.size, np.concatenate(post_idx), post_steps * dt, clock=clock)
    synapses = Synapses(pre_group, post_group, model, on_pre=on_pre, on_post=on_post,
                        namespace=namespace, clock=clock)
    synapses.connect(j="i")
    synapses.w = w0
    Network(pre_group, post_group, synapses).run(duration, namespace={})
    final_w = np.array(synapses.w[:], dtype=float)  # a copy: it outlives the network
    return PairingResult(frequencies=rates_hz * Hz, lag=lag_steps * dt, n_pairs=n, w0=w0, final_w=final_w, duration=duration)


def pair_sum_weight_change(pre_times, post_times, *, rule=THREAD_RULE):
    """Weight change of the additive all-to-all rule: the STDP window summed over ALL pairs.

    Every pre spike pairs with every post spike, and each pair adds
    ``stdp_window(t_post - t_pre)``. This equals the trace-based rule exactly as long as
    the weight never hits the clipping bounds 0 or ``gmax``.

    Args:
        pre_times, post_times: spike times (Brian quantities), e.g. ``steps*dt``.
        rule: the pair rule's constants (default :data:`helpers.stdp.THREAD_RULE`).

    Returns:
        The total change of ``w`` (a float).

    Example:
        >>> from brian2 import ms
        >>> round(pair_sum_weight_change([0, 50]*ms, [10]*ms), 6)  # +10 ms and -40 ms
        0.009289
    """
    rule = checked_rule(rule)
    pre = np.atleast_1d(np.asarray(as_finite_quantity(pre_times, second, "pre_times"), dtype=float))
    post = np.atleast_1d(np.asarray(as_finite_quantity(post_times, second, "post_times"), dtype=float))
    for name, times in (("pre_times", pre), ("post_times", post)):
        if times.ndim != 1:
            raise ValueError(f"{name} must be a flat list of spike times such as [0, 50]*ms: got shape {times.shape}.")
    lags = (post[None, :] - pre[:, None]) * second
    return float(np.sum(stdp_window(lags, rule)))


def steady_state_change_per_pairing(frequency, lag, *, rule=THREAD_RULE):
    """Weight change per pairing deep inside an endless pairing train (all-to-all pair rule).

    With period ``T = 1/frequency`` only ``lag mod T`` matters: a post spike ``lag`` after
    one pre spike is also ``T - lag`` before the next one. Summing the window over all
    earlier spikes (geometric series), for ``0 <= lag mod T = L < T``::

        dApre*exp(-L/taupre)/(1 - exp(-T/taupre)) + dApost*exp(-(T - L)/taupost)/(1 - exp(-T/taupost))

    (``L = 0`` counts as pre-then-post, as in :func:`helpers.stdp.stdp_window`.)

    Args:
        frequency: pairing frequency (one value or an array, Brian quantity in Hz).
        lag: ``t_post - t_pre`` within a pair (Brian time).
        rule: the pair rule's constants (default :data:`helpers.stdp.THREAD_RULE`).

    Returns:
        A float, or a numpy array with the shape of ``frequency``.

    Example:
        >>> from brian2 import Hz, ms
        >>> round(steady_state_change_per_pairing(10*Hz, 10*ms), 6)
        0.011978
    """
    scalar = np.ndim(frequency) == 0
    freqs = np.asarray(as_rate_array(frequency, "frequency"), dtype=float)
    lag = as_finite_quantity(lag, second, "lag", single=True)
    rule = checked_rule(rule)
    taupre_s, taupost_s = float(rule.taupre), float(rule.taupost)
    period = 1.0 / freqs
    L = np.mod(float(lag), period)
    L = np.where(np.isclose(L, period, rtol=0, atol=1e-12), 0.0, L)  # float round-off at the top
    potentiation = rule.dApre * np.exp(-L / taupre_s) / (1 - np.exp(-period / taupre_s))
    depression = rule.dApost * np.exp(-(period - L) / taupost_s) / (1 - np.exp(-period / taupost_s))
    result = potentiation + depression
    return float(result[0]) if scalar else result
