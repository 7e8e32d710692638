"""Checks for the exercises of chapter 2, "One leaky integrate-and-fire neuron in two unit systems".

The expected answers come from formulas (the change of variables, the analytic period
``tau*ln(drive/(drive - 1))`` and its inverse, the step-grid period derived in the
chapter) and from :func:`helpers.lif.reference_spike_times`, which steps the neuron in
plain numpy. None of them runs the notebook's Brian code.
"""
from __future__ import annotations

import functools

import numpy as np
from brian2 import Hz, Quantity, mV, ms, second

from . import Feedback, as_numbers, compare_numbers, correct, not_yet, unanswered
from ..lif import analytic_period, reference_spike_times, step_grid_period

DT = 0.1 * ms

# Exercise 2.1: the neuron to convert.
EX1_E_L = -65 * mV
EX1_V_TH = -50 * mV
EX1_V_RESET = -75 * mV
EX1_I_CONST = 18 * mV
EX1_TAU = 20 * ms
EX1_REFRACTORY = 3 * ms
EX1_DURATION = 300 * ms

# Exercise 2.2: the f-I curve to simulate.
EX2_DRIVES = np.array([1.5, 2.0, 3.0, 4.0])
EX2_TAU = 20 * ms
EX2_REFRACTORY = 5 * ms
EX2_DURATION = 500 * ms

# Exercise 2.3: the neuron to design.
EX3_TARGET = 30 * Hz
EX3_E_L = -70 * mV
EX3_V_TH = -55 * mV
EX3_TAU = 10 * ms
EX3_REFRACTORY = 2 * ms


def _gap(E_L, V_th) -> float:
    return float((V_th - E_L) / mV)


@functools.cache  # computed once: a step-by-step run of 300 ms
def ex1_expected():
    """The abstract reset, the abstract drive and the spike times (seconds, read-only) of exercise 2.1."""
    gap = _gap(EX1_E_L, EX1_V_TH)
    reset_a = float((EX1_V_RESET - EX1_E_L) / mV) / gap
    drive_a = float(EX1_I_CONST / mV) / gap
    times = reference_spike_times(drive_a, EX1_TAU, EX1_DURATION, dt=DT, refractory=EX1_REFRACTORY,
                                  v_reset=reset_a, v_start=0.0)[0]
    times.flags.writeable = False
    return reset_a, drive_a, times


def check_conversion(reset_a, drive_a, spikes_a, spikes_b) -> Feedback:
    """Exercise 2.1: convert a neuron to abstract units and simulate both forms in one network.

    Args:
        reset_a: the abstract reset value (a plain number).
        drive_a: the abstract drive (a plain number).
        spikes_a, spikes_b: the spike times (with units) of the abstract and the
            biophysical neuron, e.g. ``mon_a.t[:]`` and ``mon_b.t[:]``.
    """
    missing = unanswered(reset_a=reset_a, drive_a=drive_a, spikes_a=spikes_a, spikes_b=spikes_b)
    if missing is not None:
        return missing
    plain = "Abstract values are plain numbers: a voltage difference divided by the gap V_th - E_L (mV/mV)."
    reset = as_numbers(reset_a, "reset_a", shape=(), hint=plain)
    if isinstance(reset, Feedback):
        return reset
    drive = as_numbers(drive_a, "drive_a", shape=(), hint=plain)
    if isinstance(drive, Feedback):
        return drive
    times = "Give the spike times with their unit, e.g. mon_a.t[:] and mon_b.t[:]."
    t_a = as_numbers(spikes_a, "spikes_a", unit=second, hint=times)
    if isinstance(t_a, Feedback):
        return t_a
    t_b = as_numbers(spikes_b, "spikes_b", unit=second, hint=times)
    if isinstance(t_b, Feedback):
        return t_b
    gap = _gap(EX1_E_L, EX1_V_TH)
    exp_reset, exp_drive, exp_times = ex1_expected()

    def close(value, target) -> bool:
        return bool(np.isclose(value, target, rtol=1e-6, atol=0))

    # Common slips with the reset.
    v_reset, e_l, v_th = (float(x / mV) for x in (EX1_V_RESET, EX1_E_L, EX1_V_TH))
    if close(reset, -exp_reset):
        return not_yet("`reset_a` has the wrong sign. The gap is V_th - E_L = +15 mV (threshold minus rest), "
                       "and the reset lies below rest, so its abstract value is negative.")
    if close(reset, v_reset / gap):
        return not_yet("`reset_a` is V_reset/(V_th - E_L): first shift by E_L, then divide: "
                       "(V_reset - E_L)/(V_th - E_L).")
    if close(reset, (v_reset - e_l) / v_th):
        return not_yet("`reset_a` was divided by V_th; divide by the gap V_th - E_L instead.")
    if not close(reset, exp_reset):
        return not_yet("`reset_a` is not (V_reset - E_L)/(V_th - E_L) for V_reset = -75 mV, E_L = -65 mV, "
                       "V_th = -50 mV.")
    # Common slips with the drive.
    i_const = float(EX1_I_CONST / mV)
    if close(drive, (i_const - e_l) / gap):
        return not_yet("`drive_a` treats I_const as a voltage level and shifts it by E_L. I_const is added "
                       "to E_L in the equation (v relaxes towards E_L + I_const), so it is already a "
                       "distance from rest: just divide it by V_th - E_L.")
    if close(drive, i_const / v_th) or close(drive, i_const / abs(v_th)):
        return not_yet("`drive_a` was divided by V_th; divide I_const by the gap V_th - E_L = 15 mV.")
    if not close(drive, exp_drive):
        return not_yet("`drive_a` is not I_const/(V_th - E_L) for I_const = 18 mV and a 15 mV gap.")
    # The simulation.
    t_a, t_b = np.atleast_1d(t_a), np.atleast_1d(t_b)
    if t_a.shape != t_b.shape or not np.array_equal(t_a, t_b):
        return not_yet(f"the two forms spiked at different times ({t_a.size} and {t_b.size} spikes). Check "
                       "that the biophysical neuron starts at E_L and the abstract one at 0, that both use "
                       "refractory=3*ms and (unless refractory), and that both run in the same network.")
    if t_a.shape == exp_times.shape and np.allclose(t_a, exp_times, rtol=0, atol=1e-9):
        return correct(f"reset {exp_reset:.4f}, drive {exp_drive:g}, and the two forms spike at the same "
                       f"{len(exp_times)} times, which match an independent step-by-step calculation.")
    no_clamp = reference_spike_times(exp_drive, EX1_TAU, EX1_DURATION, dt=DT, refractory=0 * ms,
                                     v_reset=exp_reset)[0]
    if t_a.shape == no_clamp.shape and np.allclose(t_a, no_clamp, rtol=0, atol=1e-9):
        return not_yet("the spike times are those of a neuron without a refractory period. Give both groups "
                       "refractory=3*ms and mark the equation (unless refractory).")
    return not_yet(f"both forms agree with each other, but not with the expected {len(exp_times)} spikes in "
                   "300 ms. Check tau = 20 ms, refractory=3*ms with (unless refractory), the reset value, "
                   "and that v starts at rest (0 or E_L).")


def ex2_expected():
    """The simulated rates (Hz, floats) of exercise 2.2, from the step-grid period."""
    return 1.0 / np.asarray(step_grid_period(EX2_DRIVES, EX2_TAU, DT, EX2_REFRACTORY), dtype=float)


@functools.cache  # computed once: a step-by-step run of 500 ms
def ex2_counted_rates() -> np.ndarray:
    """A common wrong answer to exercise 2.2: spike counts in 500 ms divided by 500 ms (Hz, read-only)."""
    trains = reference_spike_times(EX2_DRIVES, EX2_TAU, EX2_DURATION, dt=DT, refractory=EX2_REFRACTORY)
    counted = np.array([len(t) for t in trains]) / float(EX2_DURATION)
    counted.flags.writeable = False
    return counted


def check_fI_rates(rates) -> Feedback:
    """Exercise 2.2: simulated rates for drives 1.5, 2, 3, 4 with tau = 20 ms, refractory 5 ms."""
    hint = ("Use one group with `I : 1 (constant)`, tau = 20 ms, refractory=5*ms with "
            "(unless refractory), and take 1/(interval between consecutive spikes).")
    values = as_numbers(rates, "rates", unit=Hz, shape=(4,), hint=hint)
    if isinstance(values, Feedback):
        return values
    analytic = 1.0 / np.asarray(analytic_period(EX2_DRIVES, EX2_TAU, EX2_REFRACTORY), dtype=float)
    if np.allclose(values, analytic, rtol=1e-9):
        return not_yet("these are the analytic rates 1/(t_ref + tau*ln(I/(I-1))). The exercise asks for the "
                       "rates your simulation produces: measure the interval between spikes.")
    crossing_steps = np.floor(np.asarray(analytic_period(EX2_DRIVES, EX2_TAU), dtype=float) / float(DT)) + 1
    no_clamp = 1.0 / (np.maximum(crossing_steps, 50) * float(DT))  # v integrates while refractory
    no_ref = 1.0 / np.asarray(step_grid_period(EX2_DRIVES, EX2_TAU, DT, 0 * ms), dtype=float)
    if np.allclose(values, no_clamp, rtol=1e-6) or np.allclose(values, no_ref, rtol=1e-6):
        return not_yet("these are the rates of a neuron whose v is not held during a refractory period "
                       "(for these drives the climb takes longer than 5 ms, so a refractory period that "
                       "only blocks the threshold changes nothing). Give the group refractory=5*ms and "
                       "mark the equation (unless refractory).")
    if np.allclose(values, ex2_counted_rates(), rtol=1e-6):
        return not_yet("you counted spikes and divided by 500 ms. The count also includes the first, "
                       "shorter interval from the start and misses the unfinished one at the end. Use "
                       "the interval between two consecutive spikes: 1/np.diff(spike_times).")
    return compare_numbers(values, ex2_expected(), name="rates", rtol=1e-6, hint=hint)


def ex3_expected_I_const() -> Quantity:
    """The constant input (in volts) that makes the exercise 2.3 neuron fire at 30 Hz analytically."""
    crossing = 1.0 / float(EX3_TARGET) - float(EX3_REFRACTORY)
    drive = 1.0 / (1.0 - np.exp(-crossing / float(EX3_TAU)))
    return drive * (EX3_V_TH - EX3_E_L)


def check_design_30Hz(I_const_30, rate_30) -> Feedback:
    """Exercise 2.3: the constant input for 30 Hz and the rate the simulation then produces.

    Args:
        I_const_30: the constant input, a Brian voltage.
        rate_30: the simulated rate with that input, a Brian rate.
    """
    missing = unanswered(I_const_30=I_const_30, rate_30=rate_30)
    if missing is not None:
        return missing
    expected = ex3_expected_I_const()
    gap = float((EX3_V_TH - EX3_E_L) / mV)
    abstract = as_numbers(I_const_30, "I_const_30", shape=())
    if not isinstance(abstract, Feedback) and np.isclose(abstract, float(expected / mV) / gap, rtol=1e-3):
        return not_yet("`I_const_30` is the abstract drive. Multiply it by the gap V_th - E_L to get millivolts.")
    answer_mv = as_numbers(I_const_30, "I_const_30", unit=mV, shape=(),
                           hint="It should be a voltage such as 15.7*mV.")
    if isinstance(answer_mv, Feedback):
        return answer_mv
    rate = as_numbers(rate_30, "rate_30", unit=Hz, shape=(),
                      hint="It should be a rate such as 1/np.diff(spike_monitor.t[:])[0].")
    if isinstance(rate, Feedback):
        return rate
    no_ref = gap / (1.0 - np.exp(-(1.0 / float(EX3_TARGET)) / float(EX3_TAU)))
    if np.isclose(answer_mv, float((EX3_E_L + expected) / mV), rtol=1e-3):
        return not_yet("`I_const_30` is the level v relaxes to, E_L + I_const. The input itself is that "
                       "level minus E_L.")
    if np.isclose(answer_mv, no_ref, rtol=1e-4):
        return not_yet("this drive gives 30 Hz without a refractory period. The 2 ms refractory period is "
                       "part of each period: solve tau*ln(I/(I-1)) = 1/(30 Hz) - 2 ms.")
    if not np.isclose(answer_mv, float(expected / mV), rtol=1e-3):
        return not_yet("`I_const_30` does not give 30 Hz. Invert the period: I = 1/(1 - exp(-T/tau)) with "
                       "T = 1/(30 Hz) - t_ref, then multiply by V_th - E_L.")
    # The rate the student's own drive produces on the 0.1 ms grid.
    drive = float(answer_mv) / gap
    grid_rate = 1.0 / float(step_grid_period(drive, EX3_TAU, DT, EX3_REFRACTORY))
    if np.isclose(rate, 30.0, rtol=1e-9) and not np.isclose(grid_rate, 30.0, rtol=1e-9):
        return not_yet("`rate_30` is exactly the target. Measure it from the simulation: the interval "
                       "between two consecutive spikes is a whole number of 0.1 ms steps.")
    result = compare_numbers(rate, grid_rate, name="rate_30", rtol=1e-6,
                             hint="Simulate the biophysical neuron with your I_const_30 (refractory=2*ms, "
                                  "(unless refractory)) and take 1/(interval between consecutive spikes).")
    if not result:
        return result
    return correct(f"I_const = {float(answer_mv):.4f} mV gives 30 Hz on paper, and the simulation fires at "
                   f"{grid_rate:.4f} Hz: its period is a whole number of time steps.")
