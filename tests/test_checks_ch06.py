"""The chapter 6 exercise checks accept right answers and explain wrong ones."""
import numpy as np
from brian2 import Hz, mV, ms, second

from helpers.checks import ch06

# Exact values, written out: peak of 0.8*10 mV*(0.2)**1.25 at 2.5*ln(5) ms after the onset.
AMPLITUDE_08 = 0.8 * 10 * 0.2 ** 1.25 * mV
PEAK_TIME = 2.5 * np.log(5) * ms
W_THRESHOLD_SLOW = 15 / (10 * 0.1 ** (20 / 18))


def test_one_epsp_right_answers():
    assert ch06.check_one_epsp(AMPLITUDE_08, PEAK_TIME).correct
    # what a monitor on the 0.1 ms grid records: slightly lower, at 4.0 ms
    grid = ch06.check_one_epsp(1.06996953 * mV, 4.0 * ms)
    assert grid.correct and repr(grid).startswith("Correct")


def test_one_epsp_common_slips():
    absolute = ch06.check_one_epsp(-70 * mV + AMPLITUDE_08, PEAK_TIME)
    assert not absolute.correct and "subtract E_L" in absolute.message
    jump = ch06.check_one_epsp(8 * mV, PEAK_TIME)
    assert not jump.correct and "synaptic input" in jump.message
    since_start = ch06.check_one_epsp(AMPLITUDE_08, 14.1 * ms)
    assert not since_start.correct and "onset" in since_start.message
    late = ch06.check_one_epsp(AMPLITUDE_08, 5 * ms)
    assert not late.correct and "4.02" in late.message
    unitless = ch06.check_one_epsp(float(AMPLITUDE_08 / mV), PEAK_TIME)
    assert not unitless.correct and "unit" in unitless.message
    trace = ch06.check_one_epsp(np.zeros(10) * mV, PEAK_TIME)
    assert not trace.correct and "shape" in trace.message
    wrong_weight = ch06.check_one_epsp(AMPLITUDE_08 / 0.8, PEAK_TIME)
    assert not wrong_weight.correct


def test_one_epsp_refuses_a_peak_time_counted_from_the_spike():
    """The exercise asks for the time from the onset (10 ms + dt), not from the test spike."""
    # What the monitor records, computed without Brian: the exact EPSP on the 0.1 ms grid,
    # whose samples fall at 0, 0.1, 0.2, ... ms after the onset at 10.1 ms.
    t = np.arange(400) * 0.1e-3
    epsp = 0.8 * 10e-3 * 2 / 8 * (np.exp(-t / 10e-3) - np.exp(-t / 2e-3))
    biggest = np.argmax(epsp)
    amplitude = epsp[biggest] * 1e3 * mV
    from_onset = t[biggest] * second                 # 4.0 ms
    from_spike = from_onset + 0.1 * ms               # 4.1 ms: the same maximum, counted from 10 ms
    assert np.isclose(from_onset / ms, 4.0)
    assert ch06.check_one_epsp(amplitude, from_onset).correct
    refused = ch06.check_one_epsp(amplitude, from_spike)
    assert not refused.correct
    assert "time since the test spike" in refused.message and "onset" in refused.message
    # the exact peak time counted from the spike, too
    exact_from_spike = ch06.check_one_epsp(AMPLITUDE_08, PEAK_TIME + 0.1 * ms)
    assert not exact_from_spike.correct and "time since the test spike" in exact_from_spike.message
    # one step early is not the spike slip: the general hint
    early = ch06.check_one_epsp(amplitude, from_onset - 0.1 * ms)
    assert not early.correct and "4.02 ms after the onset" in early.message


def test_one_epsp_unanswered():
    fb = ch06.check_one_epsp(..., ...)
    assert not fb.correct and "no value yet" in fb.message
    assert "peak_time_08" in ch06.check_one_epsp(AMPLITUDE_08, ...).message


def test_threshold_weight():
    assert ch06.check_threshold_weight(W_THRESHOLD_SLOW).correct
    assert ch06.check_threshold_weight(19.3782).correct          # found by simulation on the grid
    fast = ch06.check_threshold_weight(15 / (10 * 0.2 ** 1.25))
    assert not fast.correct and "tau_m=20*ms" in fast.message
    jump = ch06.check_threshold_weight(1.5)
    assert not jump.correct and "jump synapse" in jump.message
    assert not ch06.check_threshold_weight(19.0).correct
    assert not ch06.check_threshold_weight(19.5).correct
    unit = ch06.check_threshold_weight(19.37 * mV)
    assert not unit.correct and "plain number" in unit.message
    assert not ch06.check_threshold_weight(...).correct


def test_switch_frequency():
    assert ch06.switch_frequency() == np.float64(1 / (0.02 + 0.02 * np.log(1.05)))
    assert ch06.check_switch_frequency(47.674 * Hz).correct
    naive = ch06.check_switch_frequency(50 * Hz)
    assert not naive.correct and "1.05" in naive.message
    short = ch06.check_switch_frequency(49.2 * Hz)
    assert not short.correct and "first pre spike" in short.message
    far = ch06.check_switch_frequency(30 * Hz)
    assert not far.correct and "Sweep" in far.message
    period = ch06.check_switch_frequency(20.976 * ms)
    assert not period.correct and "unit" in period.message
    assert not ch06.check_switch_frequency(47.674).correct
    assert not ch06.check_switch_frequency(...).correct
    assert not ch06.check_switch_frequency([47.674, 50] * Hz).correct
    assert ch06.check_switch_frequency(1 / (20.976 * ms)).correct  # 1/period is a frequency too
    assert not ch06.check_switch_frequency(1 * second).correct


def test_nan_inf_and_text_are_never_correct():
    nan_time = ch06.check_one_epsp(AMPLITUDE_08, np.nan * ms)
    assert not nan_time.correct and "nan or inf" in nan_time.message and "peaking nan" not in nan_time.message
    assert not ch06.check_one_epsp(np.inf * mV, PEAK_TIME).correct
    nan_rate = ch06.check_switch_frequency(np.nan * Hz)
    assert not nan_rate.correct and "nan or inf" in nan_rate.message
    text = ch06.check_threshold_weight("abc")
    assert not text.correct and "is text" in text.message
    assert not ch06.check_threshold_weight(np.inf).correct
