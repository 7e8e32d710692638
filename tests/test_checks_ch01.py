"""The chapter 1 exercise checks accept right answers and explain wrong ones."""
import numpy as np
from brian2 import ms, second

from helpers.checks import ch01
from helpers.monitors import relaxation


def test_last_vs_final_right_answer():
    fb = ch01.check_last_vs_final(relaxation(49.9 * ms, 0, 1, 20 * ms), relaxation(50 * ms, 0, 1, 20 * ms))
    assert fb.correct and repr(fb).startswith("Correct")


def test_last_vs_final_swapped_answer_gets_specific_hint():
    fb = ch01.check_last_vs_final(relaxation(50 * ms, 0, 1, 20 * ms), relaxation(49.9 * ms, 0, 1, 20 * ms))
    assert not fb.correct and "swapped" in fb.message


def test_last_vs_final_whole_trace_is_refused():
    fb = ch01.check_last_vs_final(np.zeros(500), 0.9)
    assert not fb.correct and "one number" in fb.message


def test_last_vs_final_wrong_row():
    fb = ch01.check_last_vs_final(relaxation(49.9 * ms, 0, 1, 10 * ms), relaxation(50 * ms, 0, 1, 20 * ms))
    assert not fb.correct and "tau_m = 10 ms" in fb.message


def test_last_vs_final_unanswered():
    fb = ch01.check_last_vs_final(..., ...)
    assert not fb.correct and "no value yet" in fb.message


def test_subset_trace_right_and_wrong():
    times = np.arange(500) * 0.1 * ms
    assert ch01.check_subset_trace(relaxation(times, 0, 1, 40 * ms)).correct
    wrong = ch01.check_subset_trace(relaxation(times, 0, 1, 20 * ms))
    assert not wrong.correct and "M[2].v" in wrong.message
    assert not ch01.check_subset_trace(np.zeros(200)).correct


def test_half_times_right_early_and_unitless():
    right = [3.5, 7.0, 13.9, 27.8] * ms
    assert ch01.check_half_times(right).correct
    early = ch01.check_half_times(right - 0.1 * ms)
    assert not early.correct and "one step" in early.message
    unitless = ch01.check_half_times(np.array([3.5, 7.0, 13.9, 27.8]) * 1e-3)
    assert not unitless.correct and "unit" in unitless.message
    assert not ch01.check_half_times([1, 2, 3, 4] * second).correct


def test_last_vs_final_none_and_text_are_not_yet_without_raising():
    both = ch01.check_last_vs_final(None, None)
    assert not both.correct and "`last_recorded` and `final_value` have no value yet" in both.message
    text = ch01.check_last_vs_final("0.9175", relaxation(50 * ms, 0, 1, 20 * ms))
    assert not text.correct and "is text" in text.message


def test_plain_number_answers_refuse_a_unit():
    fb = ch01.check_last_vs_final(relaxation(49.9 * ms, 0, 1, 20 * ms) * second, relaxation(50 * ms, 0, 1, 20 * ms))
    assert not fb.correct and "plain number" in fb.message
