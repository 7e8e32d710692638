"""Checks for the exercises of chapter 3, "Neurons that fire at a rate you choose".

The expected answers come from the whole-step rule for a pacemaker ``dx/dt = rate``
with threshold ``x > 1`` and reset ``x = 0``: the period is ``ceil(1/(rate*dt))`` steps
when ``1/(rate*dt)`` is not a whole number (all rates used in the exercises are chosen
so that it is not). The arithmetic is done with exact fractions, not with Brian.
"""
from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
from brian2 import Hz, second

from . import Feedback, as_numbers, compare_numbers, correct, not_yet

#: Rates of exercise 3.1 (Hz) and the run length (steps of 0.1 ms in one second).
COUNT_RATES = (190, 230, 330)
STEPS_PER_SECOND = 10_000
#: Rates of exercise 3.2 (Hz), simulated with dt = 0.01 ms (100 000 steps per second).
FINE_RATES = (210, 220)
FINE_STEPS_PER_SECOND = 100_000
#: Rates of exercise 3.3 (Hz).
BEAT_RATES = (200, 220)


def period_steps(rate_hz: int, steps_per_second: int) -> int:
    """Whole steps per period, ``ceil(1/(rate*dt))``, with exact fractions.

    Only valid when ``steps_per_second/rate_hz`` is not a whole number (then the
    floating-point subtlety of the chapter decides); the exercises avoid that case.
    """
    exact = Fraction(steps_per_second, rate_hz)
    if exact.denominator == 1:
        raise ValueError(f"{rate_hz} Hz gives a whole number of steps per period; the rule is ambiguous there.")
    return math.ceil(exact)


def expected_counts() -> np.ndarray:
    """Spike counts in one second at dt = 0.1 ms for 190, 230 and 330 Hz: [188, 227, 322]."""
    return np.array([STEPS_PER_SECOND // period_steps(r, STEPS_PER_SECOND) for r in COUNT_RATES])


def expected_fine_rates() -> np.ndarray:
    """Effective rates (Hz, plain floats) of 210 and 220 Hz pacemakers at dt = 0.01 ms."""
    return np.array([FINE_STEPS_PER_SECOND / period_steps(r, FINE_STEPS_PER_SECOND) for r in FINE_RATES])


def check_counts(counts) -> Feedback:
    """Exercise 3.1: spike counts in one second of pacemakers at 190, 230 and 330 Hz (dt = 0.1 ms)."""
    hint = ("Run three pacemakers (190, 230, 330 Hz) for 1*second with the default dt "
            "and read `monitor.count[:]`.")
    values = as_numbers(counts, "counts", shape=(3,), hint=hint)
    if isinstance(values, Feedback):
        return values
    if np.array_equal(values, np.array(COUNT_RATES, dtype=float)):
        return not_yet("these are the requested rates, not what the neurons did. Count the spikes "
                       "with a SpikeMonitor (`monitor.count[:]`): the period is a whole number of steps.")
    quantized_rates = np.array([STEPS_PER_SECOND / period_steps(r, STEPS_PER_SECOND) for r in COUNT_RATES])
    if np.allclose(values, quantized_rates, rtol=1e-6):
        return not_yet("these are the effective rates 1/(k*dt). The exercise asks for the number of "
                       "spikes in one second, a whole number: `monitor.count[:]`.")
    nearest = np.array([STEPS_PER_SECOND // round(Fraction(STEPS_PER_SECOND, r)) for r in COUNT_RATES])
    if np.array_equal(values, nearest):
        return not_yet("these counts belong to periods rounded to the *nearest* step. The neuron spikes "
                       "in the first step with x > 1, so the period is rounded *up*: ceil(1/(rate*dt)).")
    return compare_numbers(values, expected_counts(), name="counts", rtol=0, atol=0, hint=hint)


def check_fine_dt_rates(effective_rates) -> Feedback:
    """Exercise 3.2: effective rates of 210 and 220 Hz pacemakers at dt = 0.01 ms, as a quantity in Hz."""
    hint = ("With dt = 0.01 ms the period is ceil(1/(rate*dt)) steps of 0.01 ms; "
            "measure 1/(t[1] - t[0]) from each neuron's spike train.")
    in_hz = as_numbers(effective_rates, "effective_rates", unit=Hz, shape=(2,), hint=hint)
    if isinstance(in_hz, Feedback):
        return in_hz
    expected = expected_fine_rates()
    coarse = np.array([STEPS_PER_SECOND / period_steps(r, STEPS_PER_SECOND) for r in FINE_RATES])
    if np.allclose(in_hz, coarse, rtol=1e-6):
        return not_yet("these are the rates at the default dt = 0.1 ms (208.33 and 217.39 Hz). Give "
                       "the group its own step: NeuronGroup(..., dt=0.01*ms).")
    if np.allclose(in_hz, FINE_RATES, rtol=1e-9):
        return not_yet("these are the requested rates. Measure them: one over the interval between "
                       "two spikes of each neuron.")
    if np.allclose(in_hz[::-1], expected, rtol=1e-6):
        return not_yet("the two rates are in the wrong order: 210 Hz first, then 220 Hz.")
    return compare_numbers(in_hz, expected, name="effective_rates", rtol=1e-6, hint=hint)


def _train_problem(times: np.ndarray, rate_hz: int) -> str | None:
    """Why ``times`` (seconds) cannot be one second of spikes at ``rate_hz`` on average, or None.

    The spikes of any exact-mean method (a threshold on time, a SpikeGeneratorGroup, a
    reset that keeps the overshoot) lie on the 0.1 ms grid, inside the run, and within one
    step of a perfectly regular train at the requested rate: ``t_m - m/rate`` takes values
    in a range no wider than one step. A plain pacemaker drifts away from that train.
    """
    dt = 1 / STEPS_PER_SECOND
    steps = times / dt
    if not np.allclose(steps, np.round(steps), rtol=0, atol=1e-6):
        return ("are not all on Brian's time grid (whole multiples of dt = 0.1 ms). Give the spike "
                "times a SpikeMonitor recorded, e.g. `monitor.spike_trains()[0]`.")
    steps = np.round(steps)
    if steps.min() < 0 or steps.max() >= STEPS_PER_SECOND:
        return "lie outside the run: a run of 1*second records spikes from 0 ms to 999.9 ms."
    if np.any(np.diff(steps) <= 0):
        return "are not in increasing order, or two fall in the same step: give one neuron's spike train."
    period = STEPS_PER_SECOND / rate_hz
    if steps[0] > period + 1 or steps[-1] < STEPS_PER_SECOND - period - 1:
        return ("do not cover the whole second (a spike is missing at the start or the end). "
                "Run for exactly 1*second and give all the spikes.")
    drift = steps - np.arange(steps.size) * period  # t_m - m/rate, in steps
    if np.ptp(drift) > 1 + 1e-6:
        return (f"drift away from a regular train at {rate_hz} Hz: {steps.size} spikes, with "
                f"intervals of {sorted(set(np.diff(steps).astype(int).tolist()))[:4]} steps.")
    return None


def check_beat_trains(times_200, times_220) -> Feedback:
    """Exercise 3.3: the spike trains (times with units) of neurons meant to fire at 200 and 220 Hz.

    Any method is accepted whose spikes lie on the 0.1 ms grid within the one-second run
    and stay within one step of a regular train at exactly the requested rate (so the
    count is 199, 200 or 201 and 219, 220 or 221, depending on whether the method spikes
    at the very start). Typed-in counts are not spike trains and are refused.
    """
    hint = ("Give each neuron's spike times as Brian recorded them, e.g. "
            "`times_200 = monitor.spike_trains()[0]`.")
    trains = []
    for name, answer in (("times_200", times_200), ("times_220", times_220)):
        values = as_numbers(answer, name, unit=second, hint=hint)
        if isinstance(values, Feedback):
            return values
        if values.ndim != 1 or values.size < 2:
            return not_yet(f"`{name}` should be one neuron's spike times, a 1-d array of many times "
                           f"(it has shape {values.shape}). {hint}")
        trains.append(values)
    if _train_problem(trains[0], 220) is None and _train_problem(trains[1], 200) is None:
        return not_yet("the trains are in the wrong order: the 200 Hz neuron first.")
    plain_220 = np.arange(1, STEPS_PER_SECOND // period_steps(220, STEPS_PER_SECOND) + 1)
    plain_220 = plain_220 * period_steps(220, STEPS_PER_SECOND) - 1  # the plain pacemaker's steps
    if trains[1].size == plain_220.size and np.allclose(trains[1] * STEPS_PER_SECOND, plain_220):
        return not_yet("these are the spikes of the plain pacemaker: 217 spikes, one every 46 steps, so "
                       "220 Hz became 217.39 Hz. Change the method (a threshold on time, a "
                       "SpikeGeneratorGroup, or a reset that keeps the overshoot, `x -= 1`).")
    for name, values, rate in (("times_200", trains[0], 200), ("times_220", trains[1], 220)):
        problem = _train_problem(values, rate)
        if problem is not None:
            return not_yet(f"the spike times in `{name}` {problem}")
    counts = [t.size for t in trains]
    return correct(f"{counts[0]} and {counts[1]} spikes, each within one time step of a regular "
                   f"train at 200 and 220 Hz: the beat is {counts[1] - counts[0]} Hz, as intended.")
