"""The chapter 0 exercise checks accept right answers and explain wrong ones.

The right answers are written the way a student would compute them, in plain Python and
numpy; the wrong ones are the slips each check names (a sign, an off-by-one slice, the
wrong axis, seconds instead of milliseconds, ...).
"""
import numpy as np
import pytest
from brian2 import ms, mV

from helpers.checks import ch00

SPIKES = [3.1, 7.4, 12.0, 18.2, 25.9]


def test_rate():
    assert ch00.check_rate(30 / 0.25).correct
    assert "divided by" in ch00.check_rate(30 * 0.25).message
    assert not ch00.check_rate(120 * mV).correct
    assert not ch00.check_rate(0.25 / 30).correct
    assert "no value yet" in ch00.check_rate(...).message


def test_fstring_line():
    lag_ms, dw = 7, 0.00082085
    assert ch00.check_fstring_line(f'lag {lag_ms:3d} ms: dw = {dw:+.5f}').correct
    assert "padded" in ch00.check_fstring_line(f'lag {lag_ms} ms: dw = {dw:+.5f}').message
    assert "sign" in ch00.check_fstring_line(f'lag {lag_ms:3d} ms: dw = {dw:.5f}').message
    assert "decimals" in ch00.check_fstring_line(f'lag {lag_ms:3d} ms: dw = {dw:+.3f}').message
    assert "decimals" in ch00.check_fstring_line(f'lag {lag_ms:3d} ms: dw = {dw:+}').message
    for bad in (..., None, 0.00082, ["lag"], "", "something else"):
        assert not ch00.check_fstring_line(bad).correct


def test_last_and_first():
    assert ch00.check_last_and_first(SPIKES[-1], SPIKES[:3]).correct
    assert ch00.check_last_and_first(np.array(SPIKES)[-1], np.array(SPIKES)[:3]).correct
    assert "next-to-last" in ch00.check_last_and_first(SPIKES[-2], SPIKES[:3]).message
    assert "stops *before*" in ch00.check_last_and_first(SPIKES[-1], SPIKES[:2]).message
    assert "stops *before*" in ch00.check_last_and_first(SPIKES[-1], SPIKES[:4]).message
    assert not ch00.check_last_and_first(SPIKES[0], SPIKES[:3]).correct
    assert not ch00.check_last_and_first(SPIKES[-1], SPIKES[1:4]).correct
    assert "no value yet" in ch00.check_last_and_first(SPIKES[-1], ...).message


def test_intervals():
    intervals = []
    for earlier, later in zip(SPIKES[:-1], SPIKES[1:]):
        intervals.append(later - earlier)
    assert ch00.check_intervals(intervals).correct
    assert ch00.check_intervals(np.diff(SPIKES)).correct
    assert "wrong sign" in ch00.check_intervals([-x for x in intervals]).message
    assert not ch00.check_intervals(intervals[:3]).correct
    assert not ch00.check_intervals(SPIKES).correct


def test_late_spikes():
    assert ch00.check_late_spikes([t for t in SPIKES if t > 10]).correct
    assert "early" in ch00.check_late_spikes([t for t in SPIKES if t < 10]).message
    assert not ch00.check_late_spikes([t for t in SPIKES if t > 5]).correct


def test_rates_from_function():
    def firing_rate(n_spikes, duration=1.0):
        return n_spikes / duration

    assert ch00.check_rates_from_function([firing_rate(200), firing_rate(42, duration=0.5)]).correct
    assert "duration" in ch00.check_rates_from_function([200, 42]).message
    assert not ch00.check_rates_from_function([200, 21]).correct
    assert not ch00.check_rates_from_function(firing_rate).correct  # the function, not its results


def test_beat():
    rates_hz = {'pre': 200, 'post': 250}
    assert ch00.check_beat(rates_hz['post'] - rates_hz['pre']).correct
    assert "negative" in ch00.check_beat(-50).message
    assert not ch00.check_beat(rates_hz).correct  # the whole dict
    assert not ch00.check_beat(450).correct


def test_safe_intervals():
    assert ch00.check_safe_intervals([250.0, 200.0]).correct
    assert not ch00.check_safe_intervals([250.0, 0.0, 200.0]).correct  # the empty window kept
    assert not ch00.check_safe_intervals([0.25, 0.2]).correct  # seconds
    assert not ch00.check_safe_intervals([250.0, np.inf, 200.0]).correct


def test_mean_interval():
    times = np.array(SPIKES)
    assert ch00.check_mean_interval(np.mean(times[1:] - times[:-1])).correct
    assert "four intervals" in ch00.check_mean_interval((25.9 - 3.1) / 5).message
    assert "mean spike *time*" in ch00.check_mean_interval(np.mean(times)).message
    assert not ch00.check_mean_interval(times[1:] - times[:-1]).correct  # not averaged


def test_window_count():
    times = np.array(SPIKES)
    assert ch00.check_window_count(np.sum((times >= 5) & (times < 20))).correct
    assert "Both must hold" in ch00.check_window_count(np.sum((times >= 5) | (times < 20))).message
    assert "Both must hold" in ch00.check_window_count(np.sum(times >= 5)).message
    assert not ch00.check_window_count((times >= 5) & (times < 20)).correct  # the mask itself


def test_beat_table():
    pre = np.repeat([200, 250], 3)
    post = np.tile([200, 210, 220], 2)
    table = (post - pre).reshape(2, 3)
    assert ch00.check_beat_table(table, np.mean(table, axis=1)).correct
    assert "wrong sign" in ch00.check_beat_table(-table, np.mean(-table, axis=1)).message
    assert "per column" in ch00.check_beat_table(table, np.mean(table, axis=0)).message
    assert not ch00.check_beat_table((post - pre).reshape(3, 2), [10, -40]).correct
    transposed = (np.tile([200, 210, 220], 2) - np.repeat([200, 250], 3)).reshape(2, 3).T
    assert not ch00.check_beat_table(transposed, [10, -40]).correct
    assert not ch00.check_beat_table(table, np.mean(table)).correct


def test_window_counts():
    times = np.array(SPIKES)
    edges = np.array([0, 10, 20, 30])
    window = np.searchsorted(edges, times, side='right') - 1
    counts = np.zeros(3, dtype=int)
    np.add.at(counts, window, 1)
    assert ch00.check_window_counts(counts).correct
    assert ch00.check_window_counts(np.histogram(times, edges)[0]).correct
    once = np.zeros(3, dtype=int)
    once[window] += 1  # repeated indices add only once
    assert not ch00.check_window_counts(once).correct


def test_intervals_ms():
    spikes = np.array([3.1, 7.4, 12.0]) * ms
    assert ch00.check_intervals_ms(np.diff(spikes) / ms).correct
    assert "seconds" in ch00.check_intervals_ms(np.asarray(np.diff(spikes))).message
    assert "unit" in ch00.check_intervals_ms(np.diff(spikes)).message  # still a quantity


@pytest.mark.parametrize("check", [getattr(ch00, name) for name in dir(ch00) if name.startswith("check_")])
def test_no_answer_yet(check):
    n_args = check.__code__.co_argcount
    feedback = check(*([...] * n_args))
    assert not feedback.correct and "no value yet" in feedback.message
