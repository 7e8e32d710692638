"""Exercise checks at the edges of what they accept, written to kill mutants that survived
`make mutation` (issue 15).

The expected values are computed here without the checks' own code and without Brian:
the long-run drift of exercise 5.3 from the whole-step periods of the pacemakers, and the
EPSP of chapter 6 maximised numerically on a fine grid (not from the closed-form peak the
check uses). Each test puts answers just inside and just outside a documented tolerance,
or on the wrong side of a documented slip, and checks the verdict.
"""
import numpy as np
import pytest
from brian2 import Hz, mV, ms

from helpers.checks import ch05, ch06

# --- exercise 5.3: the phase-averaged drift ------------------------------------------------------

#: f_pre*f_post*(dApre*taupre + dApost*taupost) with whole-step periods at dt = 0.1 ms: 200 Hz
#: (50 steps) against 205, 210, 225, 250 Hz (49, 48, 45 and 40 steps); dApost = -1.05*dApre.
DRIFT = 200 * (1e4 / np.array([49, 48, 45, 40])) * (0.02 - 0.021) * 0.02


def test_design_drift_accepts_twenty_percent_and_no_more():
    assert ch05.check_design_drift(DRIFT).correct
    assert ch05.check_design_drift(DRIFT * 1.19).correct
    assert ch05.check_design_drift(DRIFT * 0.81).correct
    for factor in (1.21, 0.79):
        assert not ch05.check_design_drift(DRIFT * factor).correct


def test_design_drift_names_the_beat_that_is_off():
    answer = DRIFT.copy()
    answer[2] *= 1.5  # the 25 Hz beat
    feedback = ch05.check_design_drift(answer)
    assert not feedback.correct and "25 Hz beat" in feedback.message


@pytest.mark.parametrize("duration", [2, 5, 10])
def test_design_drift_recognises_a_total_change_over_a_few_seconds(duration):
    feedback = ch05.check_design_drift(DRIFT * duration)
    assert not feedback.correct and f"over {duration} s" in feedback.message


def test_design_drift_recognises_weights_stuck_at_the_lower_bound():
    # started at w0 = 0.5 with gmax = 1: after 1 s the weight sits at 0, a "drift" of -0.5
    stuck = ch05.check_design_drift([-0.5, -0.5, -0.49, -0.5])
    assert not stuck.correct and "lower bound" in stuck.message
    # drifts larger than 0.5 per second cannot come from a weight that started at 0.5 and stopped at 0
    assert "lower bound" not in ch05.check_design_drift([-0.5, -0.51, -0.9, -1.0]).message


def test_design_drift_flags_a_positive_fifty_hz_drift_only():
    positive = ch05.check_design_drift([DRIFT[0], DRIFT[1], DRIFT[2], 0.5])
    assert not positive.correct and "positive drift for the 50 Hz beat" in positive.message
    zero = ch05.check_design_drift([DRIFT[0], DRIFT[1], DRIFT[2], 0.0])
    assert not zero.correct and "positive drift" not in zero.message


# --- chapter 6: the EPSP, the threshold weight and the switch frequency ---------------------------

E_L, V_TH, J, TAU_S = -70e-3, -55e-3, 10e-3, 2e-3


def numeric_peak(weight, tau_m):
    """(time, height) of the largest EPSP value on a 10 ns grid, then refined by a parabola."""
    t = np.arange(1, 2_000_000) * 1e-8  # 0 .. 20 ms
    v = weight * J * TAU_S / (tau_m - TAU_S) * (np.exp(-t / tau_m) - np.exp(-t / TAU_S))
    k = int(np.argmax(v))
    a, b, c = v[k - 1], v[k], v[k + 1]
    shift = 0.5 * (a - c) / (a - 2 * b + c)
    return t[k] + shift * 1e-8, b - 0.25 * (a - c) * shift


T_PEAK, HEIGHT = numeric_peak(0.8, 10e-3)  # about 4.02 ms and 1.12 mV


def test_one_epsp_tolerances():
    assert ch06.check_one_epsp(HEIGHT * 1e3 * mV, T_PEAK * 1e3 * ms).correct
    assert ch06.check_one_epsp(HEIGHT * (1 - 1e-4) * 1e3 * mV, T_PEAK * 1e3 * ms).correct  # grid maximum
    assert not ch06.check_one_epsp(HEIGHT * (1 - 5e-4) * 1e3 * mV, T_PEAK * 1e3 * ms).correct
    assert ch06.check_one_epsp(HEIGHT * 1e3 * mV, (T_PEAK + 0.45e-4) * 1e3 * ms).correct  # within half a step
    assert ch06.check_one_epsp(HEIGHT * 1e3 * mV, (T_PEAK - 0.45e-4) * 1e3 * ms).correct
    early = ch06.check_one_epsp(HEIGHT * 1e3 * mV, (T_PEAK - 0.55e-4) * 1e3 * ms)
    assert not early.correct and "after the onset" in early.message
    late = ch06.check_one_epsp(HEIGHT * 1e3 * mV, (T_PEAK + 1.8e-4) * 1e3 * ms)
    assert not late.correct and "after the onset" in late.message
    for from_spike in (T_PEAK + 0.55e-4, T_PEAK + 1e-4, T_PEAK + 1.45e-4):  # a step later than the onset
        slip = ch06.check_one_epsp(HEIGHT * 1e3 * mV, from_spike * 1e3 * ms)
        assert not slip.correct and "time since the test spike" in slip.message


def test_one_epsp_recognises_the_slips_a_little_off_too():
    potential = ch06.check_one_epsp((E_L + HEIGHT) * 1e3 * 1.0005 * mV, T_PEAK * 1e3 * ms)
    assert not potential.correct and "subtract E_L" in potential.message
    jump = ch06.check_one_epsp(0.8 * J * 1e3 * 1.0005 * mV, T_PEAK * 1e3 * ms)
    assert not jump.correct and "w*J = 8 mV" in jump.message
    since_start = ch06.check_one_epsp(HEIGHT * 1e3 * mV, 8.5 * ms)
    assert not since_start.correct and "since the start of the run" in since_start.message
    at_eight = ch06.check_one_epsp(HEIGHT * 1e3 * mV, 8 * ms)
    assert not at_eight.correct and "since the start" not in at_eight.message


def test_threshold_weight_window():
    expected = (V_TH - E_L) / numeric_peak(1.0, 20e-3)[1]  # about 19.37
    assert expected == pytest.approx(19.37, abs=0.01)
    for factor in (1.0, 1 - 0.9e-4, 1 + 1.9e-3):
        assert ch06.check_threshold_weight(expected * factor).correct, factor
    for factor in (1 - 1.2e-4, 1 + 2.1e-3):
        assert not ch06.check_threshold_weight(expected * factor).correct, factor
    chapter = (V_TH - E_L) / numeric_peak(1.0, 10e-3)[1]
    assert "tau_m = 10 ms" in ch06.check_threshold_weight(chapter * 1.0015).message
    assert "jump synapse" in ch06.check_threshold_weight(1.5 * 1.0015).message


def test_switch_frequency_window_and_slips():
    expected = 1 / (2 * 10e-3 + 20e-3 * np.log(1.05))  # T = 2*lag + tau*ln(1.05): 47.67 Hz
    assert ch06.check_switch_frequency(expected * Hz).correct
    assert ch06.check_switch_frequency((expected + 0.29) * Hz).correct
    assert ch06.check_switch_frequency((expected - 0.29) * Hz).correct
    assert not ch06.check_switch_frequency((expected - 0.31) * Hz).correct
    assert "a little high" in ch06.check_switch_frequency((expected + 0.31) * Hz).message
    assert "a little high" in ch06.check_switch_frequency(52 * Hz).message
    assert "not right yet" in ch06.check_switch_frequency(52.01 * Hz).message
    assert "50 Hz is where" in ch06.check_switch_frequency(50.15 * Hz).message


# --- chapter 4: the formulas behind the checks, against brute-force sums over all pairs ------------

from helpers.checks import ch04  # noqa: E402


def brute_force_pairs(N, T, s, tau=0.02, d_pre=0.02, d_post=-0.021):
    """Sum of the window over every pre/post pair of N pairings (pre at k*T, post at k*T + s)."""
    lags = (np.arange(N)[None, :] * T + s) - np.arange(N)[:, None] * T  # post j minus pre i
    return float(np.sum(np.where(lags >= 0, d_pre * np.exp(-lags / tau), d_post * np.exp(lags / tau))))


def test_s_n_is_the_weighted_geometric_sum():
    for N, q in ((1, 0.3), (2, 0.5), (20, 0.29), (50, 0.37)):
        assert ch04.s_n(N, q) == pytest.approx(sum((N - m) * q**m for m in range(N)), rel=1e-12)


@pytest.mark.parametrize("N, T, s", [(20, 0.025, -0.005), (20, 0.1, -0.005), (50, 0.02, 0.0),
                                     (50, 0.02, 0.0042), (7, 0.03, 0.0299), (7, 0.03, -0.0299)])
def test_repeated_pairings_equals_the_sum_over_all_pairs(N, T, s):
    assert ch04.repeated_pairings(N, T, s) == pytest.approx(brute_force_pairs(N, T, s), rel=1e-12)


def test_repeated_pairings_refuses_a_lag_of_a_whole_period():
    for s in (0.02, -0.02):
        with pytest.raises(ValueError, match="needs"):
            ch04.repeated_pairings(5, 0.02, s)


def test_window_at_lag_zero_is_potentiation():
    """Same time step: Brian runs the pre pathway first, so lag 0 counts as pre-then-post."""
    assert float(ch04.window(0.0)) == pytest.approx(0.02)
    assert float(ch04.window(-1e-4)) == pytest.approx(-0.021 * np.exp(-1e-4 / 0.02))


def test_balance_lag_makes_fifty_pairings_cancel():
    lag = ch04.balance_lag_exact()
    assert 0 < lag < 0.02
    assert brute_force_pairs(50, 0.02, lag) == pytest.approx(0, abs=1e-12)
    assert ch04.check_balance_lag(lag * 1e3 * ms).correct
    assert ch04.check_balance_lag((lag * 1e3 + 0.09) * ms).correct  # the lag grid is 0.1 ms
    assert not ch04.check_balance_lag((lag * 1e3 + 0.12) * ms).correct


def test_balance_lag_recognises_the_usual_slips():
    lo, hi = 0.0, 0.0199  # the balance lag of 10 pairings, by bisection on the brute-force sum
    for _ in range(60):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if brute_force_pairs(10, 0.02, mid) > 0 else (lo, mid)
    ten_pairings_ms = lo * 1e3  # about 10.63 ms
    endless_ms = 10 - 10 * np.log(1.05)  # T/2 - tau/2*ln(1.05) for an endless train: 9.51 ms
    assert "fewer neighbours" in ch04.check_balance_lag((endless_ms + 0.04) * ms).message
    assert "10 pairings" in ch04.check_balance_lag((ten_pairings_ms + 0.04) * ms).message
    assert "T/2 = 10 ms" in ch04.check_balance_lag(10.04 * ms).message
    for far in (8.0, 11.5):
        assert "more than 0.1 ms away" in ch04.check_balance_lag(far * ms).message
