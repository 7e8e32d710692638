"""Checks for the exercises of chapter 1, "Reading what Brian recorded".

The expected answers come from the exact solution ``v(t) = 1 - exp(-t/tau)`` of
``dv/dt = (1 - v)/tau`` with ``v(0) = 0`` (see :func:`helpers.monitors.relaxation`),
not from a Brian simulation.
"""
from __future__ import annotations

import numpy as np
from brian2 import ms, second

from . import Feedback, compare_numbers, correct, not_yet
from ..monitors import relaxation

DT = 0.1 * ms


def check_last_vs_final(last_recorded, final_value) -> Feedback:
    """Exercise 1.1: the neuron with tau = 20 ms after ``run(50*ms)``.

    ``last_recorded`` must be the state at 49.9 ms (a monitor records before each update),
    ``final_value`` the state at 50 ms.
    """
    expected_last = relaxation(50 * ms - DT, 0, 1, 20 * ms)
    expected_final = relaxation(50 * ms, 0, 1, 20 * ms)
    for name, answer in (("last_recorded", last_recorded), ("final_value", final_value)):
        if np.ndim(answer) not in (0,) and answer is not Ellipsis:
            return not_yet(f"`{name}` should be one number, but it has shape {np.shape(answer)}. "
                           "Index the monitor with two indices, e.g. M.v[row, column].")
    if last_recorded is not Ellipsis and final_value is not Ellipsis:
        if np.isclose(float(last_recorded), expected_final, rtol=1e-9) and \
                np.isclose(float(final_value), expected_last, rtol=1e-9):
            return not_yet("the two values are swapped: the monitor's last value is the older one (49.9 ms).")
        if np.isclose(float(last_recorded), relaxation(50 * ms - DT, 0, 1, 10 * ms), rtol=1e-9):
            return not_yet("`last_recorded` belongs to the neuron with tau_m = 10 ms. Rows are "
                           "numbered from 0: the 20 ms neuron is row 1.")
    result = compare_numbers(last_recorded, expected_last, name="last_recorded",
                             hint="It should be the value at 49.9 ms of the tau_m = 20 ms neuron: M.v[1, -1].")
    if not result:
        return result
    result = compare_numbers(final_value, expected_final, name="final_value",
                             hint="Read the group after the run: G.v[1] is the state at 50 ms.")
    if not result:
        return result
    return correct("the monitor's last value is the state at 49.9 ms and the group holds the state at 50 ms.")


def check_subset_trace(trace_tau40) -> Feedback:
    """Exercise 1.2: the recorded trace (500 values) of the neuron with tau = 40 ms."""
    times = np.arange(500) * DT
    expected = relaxation(times, 0, 1, 40 * ms)
    if trace_tau40 is not Ellipsis and np.shape(trace_tau40) == (500,):
        wrong_neuron = relaxation(times, 0, 1, 20 * ms)
        if np.allclose(np.asarray(trace_tau40, dtype=float), wrong_neuron, rtol=1e-9):
            return not_yet("this is the trace of neuron 1 (tau_m = 20 ms), which you were not meant to record. "
                           "With record=[0, 2], use M[2].v (neuron number) or M.v[1] (second recorded row).")
    return compare_numbers(trace_tau40, expected, name="trace_tau40", rtol=1e-9,
                           hint="With record=[0, 2], neuron 2 is the second recorded row: M.v[1], or M[2].v.")


def check_half_times(half_times) -> Feedback:
    """Exercise 1.3: first recording time with ``v >= 0.5`` for tau = 5, 10, 20, 40 ms.

    Expected: the first multiple of dt at or after ``tau*ln(2)``.
    """
    taus = np.array([5, 10, 20, 40]) * 1e-3
    steps = np.ceil(taus * np.log(2) / float(DT))
    expected = steps * float(DT) * second
    if half_times is not Ellipsis and np.shape(half_times) == (4,):
        try:
            earlier = np.allclose(np.asarray(half_times / second, dtype=float),
                                  np.asarray((expected - DT) / second, dtype=float), rtol=1e-9)
        except Exception:  # no unit: compare_numbers below gives the message
            earlier = False
        if earlier:
            return not_yet("each time is one step (0.1 ms) early. A threshold/SpikeMonitor labels the "
                           "crossing with the start of the step; the exercise asks when the monitor first "
                           "shows v >= 0.5.")
    return compare_numbers(half_times, expected, name="half_times", unit=second, rtol=1e-9,
                           hint="For each row of M.v find the first column with v >= 0.5 "
                                "(np.argmax(M.v >= 0.5, axis=1)) and look up M.t at that column.")
