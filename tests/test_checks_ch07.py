"""The chapter 7 exercise checks accept right answers (computed here with Brian, independently
of the checks' plain-Python references) and explain the common wrong ones."""
import numpy as np
import pytest
from brian2 import Hz, ms, second

from helpers.beats import run_beat_experiment
from helpers.checks import ch07
from helpers.pairing import run_pairing_protocol
from helpers.triplet import VISUAL_CORTEX_MINIMAL


@pytest.fixture(scope="module")
def reversed_pairing():
    return run_pairing_protocol([10, 40] * Hz, -10 * ms, 30, rule=VISUAL_CORTEX_MINIMAL).change


def test_reversed_pairing_right(reversed_pairing):
    fb = ch07.check_reversed_pairing(reversed_pairing)
    assert fb.correct and repr(fb).startswith("Correct")
    assert reversed_pairing[0] < 0 < reversed_pairing[1]


def test_reversed_pairing_slips(reversed_pairing):
    finals = ch07.check_reversed_pairing(reversed_pairing + 0.5)
    assert not finals.correct and "subtract w0" in finals.message
    forward_changes = run_pairing_protocol([10, 40] * Hz, 10 * ms, 30, rule=VISUAL_CORTEX_MINIMAL).change
    forward = ch07.check_reversed_pairing(forward_changes)
    assert not forward.correct and "+10 ms" in forward.message
    pair = ch07.check_reversed_pairing(run_pairing_protocol([10, 40] * Hz, -10 * ms, 30).change)
    assert not pair.correct and "pair rule" in pair.message
    assert "2 values" in ch07.check_reversed_pairing(reversed_pairing[:1]).message
    assert "no value yet" in ch07.check_reversed_pairing(...).message
    assert "plain numbers" in ch07.check_reversed_pairing(reversed_pairing * Hz).message
    assert not ch07.check_reversed_pairing(reversed_pairing * 1.01).correct


@pytest.fixture(scope="module")
def low_carrier():
    low = run_beat_experiment([20, 20, 20, 25, 22, 21] * Hz, [25, 22, 21, 20, 20, 20] * Hz, 5 * second,
                              record_weights=False, warn_mismatch=False)
    return low.final_w[:3], low.final_w[3:]


def test_low_carrier(low_carrier):
    forward, backward = low_carrier
    assert ch07.check_low_carrier(forward, backward).correct
    swapped = ch07.check_low_carrier(backward, forward)
    assert not swapped.correct and "swapped" in swapped.message
    half = ch07.check_low_carrier(forward, forward)
    assert not half.correct and "final_w_low_reversed" in half.message
    wrong = ch07.check_low_carrier(forward + 0.01, backward)
    assert not wrong.correct and "20 Hz" in wrong.message
    assert "no value yet" in ch07.check_low_carrier(forward, ...).message


def test_phase_average():
    scan = run_beat_experiment([200] * Hz, np.full(10, 250) * Hz, 200 * ms, post_phase=np.arange(10) * 0.1,
                               record_weights=False)
    right = ch07.check_phase_average(scan.final_w.mean())
    assert right.correct
    only_zero = ch07.check_phase_average(scan.final_w[0])
    assert not only_zero.correct and "phase 0 alone" in only_zero.message
    change = ch07.check_phase_average(scan.final_w.mean() - 0.5)
    assert not change.correct and "add w0" in change.message
    assert not ch07.check_phase_average(0.3).correct
    assert not ch07.check_phase_average(...).correct
    assert "should be one number" in ch07.check_phase_average(scan.final_w).message


def test_nan_and_text_are_not_yet():
    nan = ch07.check_reversed_pairing([np.nan, 0.05])
    assert not nan.correct and "nan or inf" in nan.message
    text = ch07.check_low_carrier(["0.5", "0.5", "0.5"], [0.5, 0.5, 0.5])
    assert not text.correct and "array of numbers" in text.message
    both = ch07.check_low_carrier(..., None)
    assert not both.correct and "`final_w_low` and `final_w_low_reversed` have no value yet" in both.message
    assert "should be one number" in ch07.check_phase_average([[0.26]]).message
