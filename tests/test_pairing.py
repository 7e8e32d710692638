"""Chapter 6's pairing protocol, checked against calculations that do not use Brian.

The pairing protocol in Brian equals the event-by-event reference ``stdp_reference`` and
the sum of the STDP window over all pairs; the endless-train formula (a geometric series)
equals a long train summed pair by pair, also with unequal time constants.
"""
import numpy as np
import pytest
from brian2 import Hz, ms, second

from helpers.pairing import (
    pair_sum_weight_change,
    pairing_spike_steps,
    run_pairing_protocol,
    steady_state_change_per_pairing,
)
from helpers.stdp import THREAD_RULE, stdp_reference, stdp_window

DT = 0.1 * ms
#: Unequal time constants and amplitudes: a formula that swaps taupre and taupost fails here.
UNEQUAL = THREAD_RULE.replace(taupre=12 * ms, taupost=31 * ms, dApre=0.015, depression_ratio=0.9)


# --- the pairing protocol ------------------------------------------------------------------

def test_pairing_steps_have_exact_lags():
    pre, post = pairing_spike_steps(30 * Hz, 10 * ms, 10)
    assert np.all(post - pre == 100)
    assert pre[0] == 100
    periods = np.diff(pre)
    assert set(periods.tolist()) <= {333, 334}  # 33.33 ms rounded to the grid
    pre, post = pairing_spike_steps(20 * Hz, -10 * ms, 3, start=20 * ms)
    assert list(pre) == [200, 700, 1200] and list(post) == [100, 600, 1100]


@pytest.mark.parametrize("lag", [10 * ms, -10 * ms, 3 * ms])
def test_brian_pairing_equals_event_reference_and_pair_sum(lag):
    freqs = [10, 20, 35, 50] * Hz
    result = run_pairing_protocol(freqs, lag, 25)
    for k, f in enumerate(freqs):
        pre, post = pairing_spike_steps(f, lag, 25)
        reference = stdp_reference(pre, post, DT, w0=0.5)
        assert result.final_w[k] == pytest.approx(reference, abs=1e-12)
        assert result.final_w[k] - 0.5 == pytest.approx(pair_sum_weight_change(pre * DT, post * DT), abs=1e-12)


def test_pair_sum_is_the_window_for_one_pair():
    assert pair_sum_weight_change([10] * ms, [20] * ms) == pytest.approx(0.02 * np.exp(-0.5), rel=1e-14)
    assert pair_sum_weight_change([20] * ms, [10] * ms) == pytest.approx(-0.021 * np.exp(-0.5), rel=1e-14)


@pytest.mark.parametrize("rule", [THREAD_RULE, UNEQUAL], ids=["thread", "unequal"])
@pytest.mark.parametrize("f", [10, 25, 40, 47.5, 50])
@pytest.mark.parametrize("lag_ms", [10, -10, 4])
def test_endless_train_formula_equals_a_long_train(f, lag_ms, rule):
    """The change per pairing deep inside a train: difference between 300 and 200 pairings,
    summed pair by pair in numpy (no geometric series)."""
    T = 1 / f
    def total(n):
        pre = np.arange(n) * T + 0.05
        return pair_sum_weight_change(pre * second, (pre + lag_ms * 1e-3) * second, rule=rule)
    per_pairing = (total(300) - total(200)) / 100
    assert steady_state_change_per_pairing(f * Hz, lag_ms * ms, rule=rule) == pytest.approx(
        per_pairing, rel=1e-9, abs=1e-15)


def test_pair_sum_with_unequal_time_constants_is_the_window_by_hand():
    expected = 0.015 * np.exp(-10 / 12) - 0.015 * 12 / 31 * 0.9 * np.exp(-20 / 31)
    assert pair_sum_weight_change([0, 30] * ms, [10] * ms, rule=UNEQUAL) == pytest.approx(expected, rel=1e-13)


def test_brian_pairing_with_unequal_time_constants_equals_reference():
    result = run_pairing_protocol([15, 45] * Hz, 6 * ms, 20, rule=UNEQUAL, w0=0.3)
    for k, f in enumerate([15, 45] * Hz):
        pre, post = pairing_spike_steps(f, 6 * ms, 20)
        assert result.final_w[k] == pytest.approx(stdp_reference(pre, post, DT, rule=UNEQUAL, w0=0.3), abs=1e-12)


def test_plus_and_minus_ten_ms_are_the_same_train_at_50_hz():
    up = steady_state_change_per_pairing(50 * Hz, 10 * ms)
    down = steady_state_change_per_pairing(50 * Hz, -10 * ms)
    assert up == pytest.approx(down, rel=1e-12)
    assert up < 0  # depression wins with dApost = -1.05*dApre
    at_10 = steady_state_change_per_pairing(10 * Hz, 10 * ms)
    assert at_10 == pytest.approx(stdp_window(10 * ms) / (1 - np.exp(-5)) - 0.021 * np.exp(-4.5) / (1 - np.exp(-5)))


def test_switch_frequency_of_the_chapter():
    f_switch = 1 / (20e-3 + 20e-3 * np.log(1.05))
    assert f_switch == pytest.approx(47.674, abs=1e-3)
    assert steady_state_change_per_pairing(f_switch * Hz, 10 * ms) == pytest.approx(0, abs=1e-15)
    assert steady_state_change_per_pairing((f_switch - 1) * Hz, 10 * ms) > 0
    assert steady_state_change_per_pairing((f_switch + 1) * Hz, 10 * ms) < 0



def test_bad_input_is_refused_with_a_useful_message():
    with pytest.raises(ValueError, match="whole number of time steps"):
        pairing_spike_steps(20 * Hz, 10.05 * ms, 3)
    with pytest.raises(ValueError, match="not shorter than the period"):
        pairing_spike_steps(100 * Hz, 10 * ms, 3)
    with pytest.raises(TypeError, match="needs a unit"):
        pairing_spike_steps(20, 10 * ms, 3)
    with pytest.raises(ValueError, match="positive whole number"):
        pairing_spike_steps(20 * Hz, 10 * ms, 0)
    with pytest.raises(ValueError, match="1/\\(2\\*dt\\)"):
        pairing_spike_steps(15000 * Hz, 0 * ms, 6)   # would give duplicate steps
    with pytest.raises(ValueError, match="times >= 0"):
        pairing_spike_steps(20 * Hz, 10 * ms, 3, start=-10 * ms)
    with pytest.raises(TypeError, match="PairRule"):
        run_pairing_protocol([20] * Hz, 10 * ms, 3, rule="thread")
