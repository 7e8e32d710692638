"""Checks for the exercises of chapter 1, "Reading what Brian recorded".

The expected answers come from the exact solution ``v(t) = 1 - exp(-t/tau)`` of
``dv/dt = (1 - v)/tau`` with ``v(0) = 0`` (see :func:`helpers.monitors.relaxation`),
not from a Brian simulation.
"""
from __future__ import annotations

import numpy as np
from brian2 import ms, second

from . import Feedback, as_numbers, compare_numbers, correct, not_yet, unanswered
from ..monitors import relaxation

DT = 0.1 * ms


def check_last_vs_final(last_recorded, final_value) -> Feedback:
    """Exercise 1.1: the neuron with tau = 20 ms after ``run(50*ms)``.

    ``last_recorded`` must be the state at 49.9 ms (a monitor records before each update),
    ``final_value`` the state at 50 ms.
    """
    missing = unanswered(last_recorded=last_recorded, final_value=final_value)
    if missing is not None:
        return missing
    last = as_numbers(last_recorded, "last_recorded", shape=(),
                      hint="Index the monitor with two indices, e.g. M.v[row, column].")
    if isinstance(last, Feedback):
        return last
    final = as_numbers(final_value, "final_value", shape=(), hint="Read one neuron of the group, e.g. G.v[row].")
    if isinstance(final, Feedback):
        return final
    expected_last = relaxation(50 * ms - DT, 0, 1, 20 * ms)
    expected_final = relaxation(50 * ms, 0, 1, 20 * ms)
    if np.isclose(last, expected_final, rtol=1e-9) and np.isclose(final, expected_last, rtol=1e-9):
        return not_yet("the two values are swapped: the monitor's last value is the older one (49.9 ms).")
    if np.isclose(last, relaxation(50 * ms - DT, 0, 1, 10 * ms), rtol=1e-9):
        return not_yet("`last_recorded` belongs to the neuron with tau_m = 10 ms. Rows are "
                       "numbered from 0: the 20 ms neuron is row 1.")
    result = compare_numbers(last, expected_last, name="last_recorded",
                             hint="It should be the value at 49.9 ms of the tau_m = 20 ms neuron: M.v[1, -1].")
    if not result:
        return result
    result = compare_numbers(final, expected_final, name="final_value",
                             hint="Read the group after the run: G.v[1] is the state at 50 ms.")
    if not result:
        return result
    return correct("the monitor's last value is the state at 49.9 ms and the group holds the state at 50 ms.")


def check_subset_trace(trace_tau40) -> Feedback:
    """Exercise 1.2: the recorded trace (500 values) of the neuron with tau = 40 ms."""
    hint = "With record=[0, 2], neuron 2 is the second recorded row: M.v[1], or M[2].v."
    values = as_numbers(trace_tau40, "trace_tau40", shape=(500,), hint=hint)
    if isinstance(values, Feedback):
        return values
    times = np.arange(500) * DT
    if np.allclose(values, relaxation(times, 0, 1, 20 * ms), rtol=1e-9):
        return not_yet("this is the trace of neuron 1 (tau_m = 20 ms), which you were not meant to record. "
                       "With record=[0, 2], use M[2].v (neuron number) or M.v[1] (second recorded row).")
    return compare_numbers(values, relaxation(times, 0, 1, 40 * ms), name="trace_tau40", rtol=1e-9, hint=hint)


def check_half_times(half_times) -> Feedback:
    """Exercise 1.3: first recording time with ``v >= 0.5`` for tau = 5, 10, 20, 40 ms.

    Expected: the first multiple of dt at or after ``tau*ln(2)``.
    """
    hint = ("For each row of M.v find the first column with v >= 0.5 "
            "(np.argmax(M.v >= 0.5, axis=1)) and look up M.t at that column.")
    values = as_numbers(half_times, "half_times", unit=second, shape=(4,), hint=hint)
    if isinstance(values, Feedback):
        return values
    taus = np.array([5, 10, 20, 40]) * 1e-3
    expected = np.ceil(taus * np.log(2) / float(DT)) * float(DT)  # in seconds
    if np.allclose(values, expected - float(DT), rtol=1e-9):
        return not_yet("each time is one step (0.1 ms) early. A threshold/SpikeMonitor labels the "
                       "crossing with the start of the step; the exercise asks when the monitor first "
                       "shows v >= 0.5.")
    return compare_numbers(values, expected, name="half_times", rtol=1e-9, hint=hint)
