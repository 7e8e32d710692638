"""The chapter 3 exercise checks accept right answers and explain wrong ones."""
import numpy as np
from brian2 import Hz, kHz, ms, second

from helpers.checks import ch03
from helpers.pacemakers import effective_rate, spike_count


def test_expected_values_agree_with_the_numpy_pacemaker():
    """The checks' exact-fraction answers agree with helpers.pacemakers (an independent route)."""
    assert ch03.expected_counts().tolist() == [spike_count(r * Hz, 1 * second) for r in (190, 230, 330)]
    assert ch03.expected_counts().tolist() == [188, 227, 322]
    fine = np.asarray(effective_rate([210, 220] * Hz, dt=0.01 * ms) / Hz)
    assert np.allclose(ch03.expected_fine_rates(), fine, rtol=1e-12)


def test_counts_right_answer_in_several_forms():
    assert ch03.check_counts(np.array([188, 227, 322])).correct
    assert ch03.check_counts([188, 227, 322]).correct
    assert repr(ch03.check_counts([188, 227, 322])).startswith("Correct")


def test_counts_wrong_answers_get_specific_hints():
    requested = ch03.check_counts([190, 230, 330])
    assert not requested.correct and "requested rates" in requested.message
    rates = ch03.check_counts(1 / (np.array([53, 44, 31]) * 1e-4))
    assert not rates.correct and "effective rates" in rates.message
    nearest = ch03.check_counts([10000 // 53, 10000 // 43, 10000 // 30])
    assert not nearest.correct and "rounded *up*" in nearest.message
    off_by_one = ch03.check_counts([189, 227, 322])
    assert not off_by_one.correct and off_by_one.message.startswith("`counts` has the right shape")
    assert not ch03.check_counts([188, 227]).correct
    unanswered = ch03.check_counts(...)
    assert not unanswered.correct and "no value yet" in unanswered.message


def test_fine_dt_right_answer():
    right = [1 / (477 * 0.01 * ms), 1 / (455 * 0.01 * ms)]
    fb = ch03.check_fine_dt_rates(np.array([float(r) for r in right]) * Hz)
    assert fb.correct
    in_khz = ch03.check_fine_dt_rates(np.array([float(r / kHz) for r in right]) * kHz)
    assert in_khz.correct                                   # any unit of rate is fine
    slightly_off = ch03.check_fine_dt_rates(np.array([209.7, 219.8]) * Hz)
    assert not slightly_off.correct and "right shape" in slightly_off.message


def test_fine_dt_wrong_answers_get_specific_hints():
    coarse = ch03.check_fine_dt_rates(np.array([1 / 4.8e-3, 1 / 4.6e-3]) * Hz)
    assert not coarse.correct and "dt=0.01*ms" in coarse.message
    requested = ch03.check_fine_dt_rates([210, 220] * Hz)
    assert not requested.correct and "requested rates" in requested.message
    swapped = ch03.check_fine_dt_rates(np.array([1 / 4.55e-3, 1 / 4.77e-3]) * Hz)
    assert not swapped.correct and "wrong order" in swapped.message
    unitless = ch03.check_fine_dt_rates(np.array([1 / 4.77e-3, 1 / 4.55e-3]))
    assert not unitless.correct and "unit" in unitless.message
    wrong_unit = ch03.check_fine_dt_rates(np.array([4.77, 4.55]) * ms)
    assert not wrong_unit.correct and "unit" in wrong_unit.message
    assert "no value yet" in ch03.check_fine_dt_rates(...).message


def test_beat_counts_accepts_every_exact_method():
    for answer in ([200, 220], [199, 219], [200, 221], np.array([200, 220])):
        fb = ch03.check_beat_counts(answer)
        assert fb.correct, answer
    assert "20 Hz" in ch03.check_beat_counts([200, 220]).message


def test_beat_counts_wrong_answers():
    plain = ch03.check_beat_counts([200, 217])
    assert not plain.correct and "46 steps" in plain.message
    swapped = ch03.check_beat_counts([220, 200])
    assert not swapped.correct and "wrong order" in swapped.message
    far = ch03.check_beat_counts([200, 208])
    assert not far.correct and "not within one spike" in far.message
    shape = ch03.check_beat_counts([200, 220, 240])
    assert not shape.correct and "two spike counts" in shape.message
    assert not ch03.check_beat_counts("many").correct
    assert "no value yet" in ch03.check_beat_counts(...).message


def test_beat_counts_nan_and_fractions_are_explained():
    nan = ch03.check_beat_counts([np.nan, np.nan])
    assert not nan.correct and "nan or inf" in nan.message and "-9223372036854775808" not in nan.message
    fraction = ch03.check_beat_counts([200, 220.5])
    assert not fraction.correct and "whole numbers" in fraction.message


def test_counts_refuse_a_unit():
    fb = ch03.check_counts([188, 227, 322] * Hz)
    assert not fb.correct and "plain number" in fb.message
