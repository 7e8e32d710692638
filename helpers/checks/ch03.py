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
from brian2 import Hz

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


def check_beat_counts(beat_counts) -> Feedback:
    """Exercise 3.3: spike counts in one second of neurons meant to fire at 200 and 220 Hz.

    Any method is accepted whose counts are within one spike of 200 and 220 (whether the
    spike at the very start or end of the second is included depends on the method).
    """
    values = as_numbers(beat_counts, "beat_counts", shape=(2,),
                        hint="Give two spike counts, e.g. `monitor.count[:]` for two neurons (200 Hz first).")
    if isinstance(values, Feedback):
        return values
    if not np.array_equal(values, np.round(values)):
        return not_yet(f"`beat_counts` should be whole numbers of spikes, got {values.tolist()}. "
                       "Count the spikes: `monitor.count[:]`.")
    quantized = np.array([STEPS_PER_SECOND // 50, STEPS_PER_SECOND // period_steps(220, STEPS_PER_SECOND)])
    if np.array_equal(values, quantized):
        return not_yet("200 and 217 spikes: this is the plain pacemaker, whose 220 Hz is rounded to a period "
                       "of 46 steps. Change the method (a threshold on time, a SpikeGeneratorGroup, or a "
                       "reset that keeps the overshoot, `x -= 1`).")
    if np.all(np.abs(values[::-1] - BEAT_RATES) <= 1):
        return not_yet("the counts are in the wrong order: the 200 Hz neuron first.")
    if not np.all(np.abs(values - BEAT_RATES) <= 1):
        return not_yet(f"the counts {values.astype(int).tolist()} are not within one spike of 200 and 220. "
                       "Did you run for exactly 1*second with dt = 0.1 ms?")
    return correct(f"{int(values[0])} and {int(values[1])} spikes: the beat is "
                   f"{int(values[1] - values[0])} Hz, as intended.")
