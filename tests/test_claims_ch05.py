"""Claims of chapter 5's explorer page, checked against formulas for the all-to-all pair rule.

With beat 0 (pre and post at 200 Hz) the spike trains are regular and the weight after
each spike follows a geometric series. The weights come from the event-by-event reference
(``helpers.stdp.stdp_reference``, checked against Brian in test_stdp_reference.py), the
spikes from ``helpers.pacemakers.pacemaker_spike_steps``; the expected values are formulas.
"""
import math

import numpy as np
import pytest
from brian2 import Hz, ms, second

from helpers.pacemakers import pacemaker_spike_steps
from helpers.stdp import THREAD_RULE, stdp_reference

DAPRE = THREAD_RULE.dApre
DAPOST = THREAD_RULE.dApost
TAU = 20.0  # ms, taupre = taupost
DT = 0.1 * ms


def _beat_zero(post_phase: float):
    pre = pacemaker_spike_steps(200 * Hz, 1 * second, DT)
    post = pacemaker_spike_steps(200 * Hz, 1 * second, DT, phase=post_phase)
    return pre, post, stdp_reference(pre, post, DT, record=True)


def test_zero_beat_same_step_drift_matches_formula():
    """Beat 0, phase 0: pre and post spike in the same step (pre handled first).

    In period n (n = 0, 1, ...) the pre spike adds the decayed sum of the n earlier post
    traces, dApost*q*(1 - q**n)/(1 - q), and the post spike the pre traces including the
    one just made, dApre*(1 - q**(n+1))/(1 - q), with q = exp(-T/tau). Every step is
    positive for T = 5 ms, so w climbs until it is clipped at 1 (the page says so).
    """
    pre, post, trace = _beat_zero(0.0)
    assert np.array_equal(pre, post)
    assert list(trace.kinds[:4]) == ["pre", "post", "pre", "post"]
    q = math.exp(-5.0 / TAU)
    after_post = np.concatenate([[0.5], trace.w[1::2]])
    n = np.arange(after_post.size - 1)
    expected = (DAPOST * q * (1 - q**n) + DAPRE * (1 - q ** (n + 1))) / (1 - q)
    below = after_post[1:] < 1.0  # before the clip at gmax
    assert below.sum() > 10 and np.all(expected > 0)
    np.testing.assert_allclose(np.diff(after_post)[below], expected[below], rtol=1e-9)
    assert trace.final_w == 1.0


def test_half_period_phase_drift_matches_formula():
    """Beat 0, post phase 0.5: post spikes 2.5 ms before and after each pre spike.

    Each period then changes w by (dApre + dApost)*exp(-2.5/20)/(1 - exp(-5/20)), about
    -0.004: 200 periods take w from 0.5 to the floor 0 (the page says so).
    """
    pre, post, trace = _beat_zero(0.5)
    assert post[0] * 0.1 == pytest.approx(2.4) and pre[0] * 0.1 == pytest.approx(4.9)
    expected = (DAPRE + DAPOST) * math.exp(-2.5 / TAU) / (1 - math.exp(-5 / TAU))
    after_pre = trace.w[1::2]  # events alternate post, pre; w after each pre spike
    assert list(trace.kinds[:2]) == ["post", "pre"]
    settled = np.diff(after_pre)[60:80]  # traces built up, weight not yet at the floor
    np.testing.assert_allclose(settled, expected, rtol=1e-6)
    assert expected == pytest.approx(-0.00399, abs=1e-5)
    assert trace.final_w < 0.06
