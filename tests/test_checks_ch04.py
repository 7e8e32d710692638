"""The chapter 4 exercise checks accept right answers and explain wrong ones."""
import math

import numpy as np
from brian2 import ms, second

from helpers.checks import ch04
from helpers.stdp import stdp_reference, stdp_window

LAGS = np.array([-40, -10, -2, 2, 10, 40]) * ms


def test_window_matches_helper_formula():
    assert np.allclose(ch04.window(np.asarray(LAGS / second)), stdp_window(LAGS), rtol=1e-12)


def test_window_right_and_wrong_answers():
    right = stdp_window(LAGS)
    assert ch04.check_window(right).correct
    assert ch04.check_window(list(right)).correct
    finals = ch04.check_window(0.5 + right)
    assert not finals.correct and "final weights" in finals.message
    flipped = ch04.check_window(stdp_window(-LAGS))
    assert not flipped.correct and "t_post - t_pre" in flipped.message
    reversed_order = ch04.check_window(right[::-1])       # symmetric lags: the same as flipped signs
    assert not reversed_order.correct and "from -40 ms to +40 ms" in reversed_order.message
    close = ch04.check_window(right * 1.01)
    assert not close.correct and "right shape" in close.message
    assert not ch04.check_window(right[:3]).correct
    assert "no value yet" in ch04.check_window(...).message


def test_train_expected_agrees_with_event_reference():
    """The check's closed form agrees with the independent event-by-event reference."""
    for k, T_steps in enumerate((250, 1000)):
        pre = 100 + np.arange(20) * T_steps
        reference = stdp_reference(pre, pre - 50) - 0.5
        assert math.isclose(ch04.expected_train()[k], reference, rel_tol=1e-10)


def test_train_right_and_wrong_answers():
    right = ch04.expected_train()
    assert ch04.check_train(right).correct
    naive = ch04.check_train(np.full(2, 20 * stdp_window(-5 * ms)))
    assert not naive.correct and "20 x W(-5 ms)" in naive.message
    finals = ch04.check_train(0.5 + right)
    assert not finals.correct and "final weights" in finals.message
    positive = ch04.check_train([ch04.repeated_pairings(20, T, 5e-3) for T in (0.025, 0.1)])
    assert not positive.correct and "lag +5 ms" in positive.message
    swapped = ch04.check_train(right[::-1])
    assert not swapped.correct and "wrong order" in swapped.message
    assert not ch04.check_train(right + 0.01).correct
    assert "no value yet" in ch04.check_train(...).message


def test_balance_lag_right_answers():
    assert ch04.check_balance_lag(9.8 * ms).correct          # first negative lag on the 0.1 ms grid
    assert ch04.check_balance_lag(9.7 * ms).correct          # last positive lag
    assert ch04.check_balance_lag(ch04.balance_lag_exact() * second).correct
    assert abs(ch04.balance_lag_exact() * 1e3 - 9.7165) < 1e-4


def test_balance_lag_wrong_answers():
    half = ch04.check_balance_lag(10 * ms)
    assert not half.correct and "T/2" in half.message
    limit = ch04.check_balance_lag(9.52 * ms)
    assert not limit.correct and "very many pairings" in limit.message
    ten = ch04.check_balance_lag(ch04.balance_lag_exact(10) * second)
    assert not ten.correct and "10 pairings" in ten.message
    unitless = ch04.check_balance_lag(9.8)
    assert not unitless.correct and "unit" in unitless.message
    assert not ch04.check_balance_lag(5 * ms).correct
    assert "no value yet" in ch04.check_balance_lag(...).message


def test_repeated_pairings_refuses_lags_outside_the_period():
    import pytest
    with pytest.raises(ValueError, match="needs"):
        ch04.repeated_pairings(10, 0.02, 0.03)


def test_balance_lag_nan_and_text_are_not_yet():
    import numpy as np
    assert "nan or inf" in ch04.check_balance_lag(np.nan * ms).message
    assert "is text" in ch04.check_balance_lag("9.8 ms").message
    assert "should be one number" in ch04.check_balance_lag([9.8, 9.7] * ms).message
