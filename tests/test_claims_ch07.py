"""Claims of chapter 7 ("Testing the hypothesis") about the controls of the pair rule.

Independent of the notebook's code: expectations are double sums over every pair of time
steps (a full matrix, not the chapter's sum over lags), pacemaker spikes come from
``helpers.pacemakers.pacemaker_spike_steps`` and weight changes are pair sums of the window,
which equal the rule's event-by-event reference while no bound is touched (checked here on a
sample against ``helpers.stdp.stdp_reference``).
"""
import json
import re
from pathlib import Path

import numpy as np
import pytest
from brian2 import Hz, ms

from helpers.pacemakers import all_offset_phases, pacemaker_spike_steps, steps_per_period
from helpers.stdp import THREAD_RULE, stdp_reference

DAPRE, DAPOST = THREAD_RULE.dApre, THREAD_RULE.dApost  # 0.02, -0.021
TAU = 20e-3  # s, taupre = taupost
DT = 1e-4  # s
N = 2000  # steps in 200 ms
CARRIER = 200
BEATS = (250, 220, 210)
NOTEBOOK = Path(__file__).parents[1] / "chapters" / "07_testing_the_hypothesis.ipynb"


def window(lag_steps):
    """The thread's window on the grid; a pair in the same step counts as pre-before-post."""
    lag = np.asarray(lag_steps, dtype=float)
    return np.where(lag >= 0, DAPRE * np.exp(-lag * DT / TAU), DAPOST * np.exp(lag * DT / TAU))


_ALL_STEPS = np.arange(N)
_ALL_PAIRS = float(np.sum(window(_ALL_STEPS[None, :] - _ALL_STEPS[:, None])))  # post - pre


def grid_expectation(p_pre, p_post):
    """Mean change when every step holds a spike with probability p, independently."""
    return p_pre * p_post * _ALL_PAIRS


def continuous_expectation(nu_pre, nu_post, T=0.2):
    """The continuous-time formula: nu_pre nu_post * integral of W(s) (T - |s|) ds."""
    side = [a * TAU * (T - TAU * (1 - np.exp(-T / TAU))) for a in (DAPRE, DAPOST)]
    return nu_pre * nu_post * (side[0] + side[1])


def pair_sum(pre_steps, post_steps):
    return float(np.sum(window(np.asarray(post_steps)[None, :] - np.asarray(pre_steps)[:, None])))


def all_timings(pre_rate, post_rate, fixed_pre=False):
    """Pair sums for every timing of the post pacemaker and (unless fixed_pre) of the pre one."""
    pre_phases = [0.0] if fixed_pre else all_offset_phases(pre_rate * Hz)
    pre_trains = [pacemaker_spike_steps(pre_rate * Hz, 200 * ms, phase=ph) for ph in pre_phases]
    post_trains = [pacemaker_spike_steps(post_rate * Hz, 200 * ms, phase=ph)
                   for ph in all_offset_phases(post_rate * Hz)]
    return np.array([pair_sum(pre, post) for pre in pre_trains for post in post_trains])


def test_pair_sum_is_the_rule_while_no_bound_is_touched():
    for phase_pre, phase_post in ((0.0, 0.0), (0.37, 0.81), (0.9, 0.05)):
        pre = pacemaker_spike_steps(200 * Hz, 200 * ms, phase=phase_pre)
        post = pacemaker_spike_steps(250 * Hz, 200 * ms, phase=phase_post)
        w = stdp_reference(pre, post, 0.1 * ms, w0=10, gmax=20)
        assert w - 10 == pytest.approx(pair_sum(pre, post), abs=1e-12)


def test_grid_expectation_for_poisson_spikes_is_about_11_percent_smaller_than_continuous_time():
    grid = [grid_expectation(CARRIER * DT, post * DT) for post in BEATS]
    continuous = [continuous_expectation(CARRIER, post) for post in BEATS]
    assert np.round(grid, 4).tolist() == [-0.1595, -0.1404, -0.134]  # printed by the chapter
    assert np.round(continuous, 3).tolist() == [-0.18, -0.158, -0.151]  # the Going deeper box
    smaller = 1 - np.array(grid) / np.array(continuous)
    assert np.allclose(smaller, smaller[0]) and 0.113 < smaller[0] < 0.115  # "11.4 %"


def test_all_timings_of_both_pacemakers_give_exactly_the_grid_expectation():
    """Each step holds a spike in exactly one of the k timings: the average is p = 1/k."""
    expected_printed = {250: -0.1595, 220: -0.1387, 210: -0.1329}
    for post in BEATS:
        forward = all_timings(CARRIER, post)
        reverse = all_timings(post, CARRIER)
        expected = grid_expectation(1 / steps_per_period(CARRIER * Hz), 1 / steps_per_period(post * Hz))
        assert len(forward) == 50 * steps_per_period(post * Hz)
        assert forward.mean() == pytest.approx(expected, rel=1e-12)
        assert reverse.mean() == pytest.approx(expected, rel=1e-12)  # symmetric in the two rates
        assert round(expected, 4) == expected_printed[post]


def test_spread_over_timings_as_printed():
    spreads = [all_timings(CARRIER, post).std() for post in BEATS]
    assert np.round(spreads, 3).tolist() == [0.140, 0.070, 0.088]


def test_a_fixed_pre_pacemaker_makes_an_edge_effect():
    """Pre at x = 0, averaged over the post timings only: more depression than Poisson."""
    pre = pacemaker_spike_steps(200 * Hz, 200 * ms)
    assert pre[0] == 49 and pre[-1] == N - 1  # almost a period in; the very last step
    fixed = [all_timings(CARRIER, post, fixed_pre=True).mean() for post in BEATS]
    assert np.round(fixed, 3).tolist() == [-0.260, -0.226, -0.217]
    for post, value in zip(BEATS, fixed):
        assert value < grid_expectation(1 / 50, 1 / steps_per_period(post * Hz)) - 0.08


def test_poisson_trials_agree_with_the_grid_formula_within_the_stated_errors():
    """The chapter: within 1.2 standard errors (the trials themselves come from Brian)."""
    cells = json.loads(NOTEBOOK.read_text())["cells"]
    text = "".join("".join(out.get("text", "")) for cell in cells if cell["cell_type"] == "code"
                   for out in cell.get("outputs", []))
    found = re.findall(r"200 -> (\d+) Hz, Poisson: mean ([-+]\d\.\d+) \+- (\d\.\d+)", text)
    assert [int(post) for post, _, _ in found] == list(BEATS)
    for post, mean, sem in found:
        distance = abs(float(mean) - grid_expectation(CARRIER * DT, int(post) * DT)) / float(sem)
        assert distance <= 1.25
