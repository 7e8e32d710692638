"""Checks for the exercises of chapter 4, "The STDP rule".

The expected answers come from formulas for the trace-based additive all-to-all rule of
the thread (``taupre = taupost = 20 ms``, ``dApre = 0.02``, ``dApost = -1.05*dApre``),
written out here with plain numpy, not from a Brian simulation:

- the window ``W(lag) = dApre*exp(-lag/tau)`` for ``lag >= 0``, ``dApost*exp(lag/tau)`` otherwise;
- for ``N`` regular pairings (period ``T``, lag ``s`` with ``|s| < T``), the sum of ``W``
  over all pre/post pairs, ``S_N(q) = sum_{m<N} (N-m) q**m`` with ``q = exp(-T/tau)``.
"""
from __future__ import annotations

import math

import numpy as np
from brian2 import ms

from . import Feedback, as_numbers, compare_numbers, correct, not_yet

TAU = 0.020          # s, taupre = taupost
DAPRE = 0.02
DAPOST = -DAPRE * 1.05
W0 = 0.5

#: Lags of exercise 4.1 (ms).
WINDOW_LAGS_MS = (-40, -10, -2, 2, 10, 40)
#: Exercise 4.2: lag (ms), number of pairings, periods (ms).
TRAIN_LAG_MS = -5
TRAIN_N = 20
TRAIN_PERIODS_MS = (25, 100)
#: Exercise 4.3: number of pairings and period (ms).
BALANCE_N = 50
BALANCE_PERIOD_MS = 20
#: Accepted distance (ms) between the answer and the exact balance lag (the lag grid is 0.1 ms).
BALANCE_TOLERANCE_MS = 0.1


def window(lag_s):
    """Weight change of one isolated pair, ``lag_s = t_post - t_pre`` in seconds (plain floats)."""
    lag_s = np.asarray(lag_s, dtype=float)
    return np.where(lag_s >= 0, DAPRE * np.exp(-lag_s / TAU), DAPOST * np.exp(lag_s / TAU))


def s_n(N: int, q: float) -> float:
    """``sum_{m=0}^{N-1} (N - m) q**m``, in closed form."""
    return (N - (N + 1) * q + q ** (N + 1)) / (1 - q) ** 2


def repeated_pairings(N: int, T_s: float, s_s: float) -> float:
    """Total all-to-all weight change (no clipping) of ``N`` pairings: pre at ``k*T``, post at ``k*T + s``.

    Valid for ``-T < s < T`` (times in seconds).
    """
    if not -T_s < s_s < T_s:
        raise ValueError("the closed form needs |s| < T")
    S = s_n(N, math.exp(-T_s / TAU))
    if s_s >= 0:
        return DAPRE * math.exp(-s_s / TAU) * S + DAPOST * math.exp(s_s / TAU) * (S - N)
    return DAPOST * math.exp(s_s / TAU) * S + DAPRE * math.exp(-s_s / TAU) * (S - N)


def balance_lag_exact(N: int = BALANCE_N, T_s: float = BALANCE_PERIOD_MS * 1e-3) -> float:
    """The lag (s) in (0, T) at which ``repeated_pairings`` is zero: ``-tau/2 ln(1.05 (S_N - N)/S_N)``."""
    S = s_n(N, math.exp(-T_s / TAU))
    return -TAU / 2 * math.log(-DAPOST / DAPRE * (S - N) / S)


def check_window(dw) -> Feedback:
    """Exercise 4.1: weight changes for lags -40, -10, -2, 2, 10, 40 ms, in that order."""
    hint = ("One pre/post pair per lag, synapses.connect(j='i'), post spike at "
            "t_pre + lag, and `dw = synapses.w[:] - w0` after the run.")
    values = as_numbers(dw, "dw", shape=(6,), hint=hint)
    if isinstance(values, Feedback):
        return values
    lags = np.array(WINDOW_LAGS_MS) * 1e-3
    expected = window(lags)
    if np.allclose(values, W0 + expected, rtol=1e-9):
        return not_yet("these are the final weights. The exercise asks for the changes: subtract the "
                       "initial weight, `synapses.w[:] - w0`.")
    if np.allclose(values, window(-lags), rtol=1e-9):
        # (the lags are symmetric, so this is also the right list in reverse order)
        return not_yet("the signs are the wrong way round: a lag is t_post - t_pre, so a positive lag "
                       "means the post spike comes later (potentiation). Put the post spike at t_pre + lag, "
                       "and list the lags from -40 ms to +40 ms.")
    return compare_numbers(values, expected, name="dw", rtol=1e-9, atol=1e-15, hint=hint)


def expected_train() -> np.ndarray:
    """Exercise 4.2's answer: totals for N = 20 pairings at lag -5 ms, T = 25 ms and 100 ms."""
    return np.array([repeated_pairings(TRAIN_N, T * 1e-3, TRAIN_LAG_MS * 1e-3) for T in TRAIN_PERIODS_MS])


def check_train(dw_train) -> Feedback:
    """Exercise 4.2: total weight changes of 20 pairings at lag -5 ms, periods 25 ms and 100 ms."""
    hint = ("20 pairings: pre at t0 + k*T, post at t0 + k*T - 5 ms (t0 >= 5 ms), one pair "
            "per period, and run long enough for the last pre spike.")
    values = as_numbers(dw_train, "dw_train", shape=(2,), hint=hint)
    if isinstance(values, Feedback):
        return values
    expected = expected_train()
    naive = TRAIN_N * float(window(TRAIN_LAG_MS * 1e-3))
    if np.allclose(values, naive, rtol=1e-6):
        return not_yet("this is 20 x W(-5 ms), the answer if pairings did not interact. Simulate the "
                       "trains: at T = 25 ms each post spike also pairs with earlier pre spikes.")
    if np.allclose(values, W0 + expected, rtol=1e-9):
        return not_yet("these are final weights; subtract the initial weight w0 = 0.5.")
    positive_lag = np.array([repeated_pairings(TRAIN_N, T * 1e-3, -TRAIN_LAG_MS * 1e-3) for T in TRAIN_PERIODS_MS])
    if np.allclose(values, positive_lag, rtol=1e-6):
        return not_yet("these totals belong to lag +5 ms (pre first). Here the post spike comes 5 ms "
                       "*before* the pre spike.")
    if np.allclose(values[::-1], expected, rtol=1e-6):
        return not_yet("the two values are in the wrong order: T = 25 ms first.")
    return compare_numbers(values, expected, name="dw_train", rtol=1e-6, atol=1e-12, hint=hint)


def check_balance_lag(balance_lag) -> Feedback:
    """Exercise 4.3: the lag at which 50 pairings at 50 Hz leave the weight unchanged (a time)."""
    hint = "Find the first lag on a 0.1 ms grid where the total change is negative."
    answer_ms = as_numbers(balance_lag, "balance_lag", unit=ms, shape=(), hint=hint)
    if isinstance(answer_ms, Feedback):
        return answer_ms
    exact_ms = balance_lag_exact() * 1e3
    if abs(answer_ms - exact_ms) <= BALANCE_TOLERANCE_MS:
        return correct(f"the balance lag is {exact_ms:.2f} ms; your {float(answer_ms):.2f} ms is within "
                       f"{BALANCE_TOLERANCE_MS} ms of it.")
    if abs(answer_ms - BALANCE_PERIOD_MS / 2) < 0.05:
        return not_yet("T/2 = 10 ms would be the balance point if depression and potentiation were equally "
                       "strong. Here dApost is 5 % stronger, which moves the balance lag a little earlier.")
    if abs(answer_ms - balance_lag_exact(10**6) * 1e3) < 0.05:
        return not_yet("this is the limit for very many pairings. With 50 pairings the first and last "
                       "pairings have fewer neighbours; simulate 50 pairings.")
    if abs(answer_ms - balance_lag_exact(10) * 1e3) < 0.05:
        return not_yet("this is the balance lag for 10 pairings. The exercise asks for 50.")
    return not_yet(f"`balance_lag` is {float(answer_ms):.2f} ms, more than {BALANCE_TOLERANCE_MS} ms away from "
                   f"the lag where the total change is zero. {hint}")
