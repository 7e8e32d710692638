"""Checks for the exercises of chapter 0, "Just enough Python and numpy for this book".

Each exercise works on a few small numbers given in its text (spike times in ms, two
firing rates, a weight trace). The expected answers below are written out by hand or
computed with plain Python arithmetic, never with the notebook's own code, so a check
agrees with an answer only if the answer is right.
"""
from __future__ import annotations

import numpy as np

from . import Feedback, as_numbers, compare_numbers, correct, not_yet, unanswered

# The spike times (ms) most exercises of the chapter start from.
SPIKE_TIMES_MS = (3.1, 7.4, 12.0, 18.2, 25.9)


def check_rate(rate) -> Feedback:
    """0.1: 30 spikes in 0.25 seconds is 120 spikes per second."""
    hint = "Divide the number of spikes by the duration in seconds: n_spikes / duration."
    values = as_numbers(rate, "rate", shape=(), hint=hint)
    if isinstance(values, Feedback):
        return values
    if np.isclose(values, 30 * 0.25, rtol=1e-9):
        return not_yet("`rate` is the product of the two numbers; a rate is spikes *divided by* time.")
    return compare_numbers(values, 120.0, name="rate", hint=hint)


def check_fstring_line(line) -> Feedback:
    """0.2: ``f'lag {lag_ms:3d} ms: dw = {dw:+.5f}'`` with lag_ms = 7, dw = 0.00082085."""
    expected = "lag   7 ms: dw = +0.00082"
    missing = unanswered(line=line)
    if missing is not None:
        return missing
    if not isinstance(line, str):
        return not_yet(f"`line` should be text (a string made with an f-string), got a "
                       f"{type(line).__name__}. Start it with f'lag ...'.")
    if line == expected:
        return correct(f"`line` reads {expected!r}.")
    if line.strip() == expected.replace("   7", " 7"):
        return not_yet("the lag is not padded: `{lag_ms:3d}` gives it three characters, "
                       "so two spaces come before the 7.")
    if "+" not in line:
        return not_yet("the sign is missing: a `+` in the format spec (`{dw:+.5f}`) always "
                       "prints the sign.")
    if "0.00082085" in line or "+0.001" in line.split("=")[-1]:
        return not_yet("the number of decimals is not right: `.5f` prints five digits after "
                       "the point.")
    return not_yet(f"`line` should read {expected!r} exactly (spaces included), but it reads "
                   f"{line[:60]!r}. Use f'lag {{lag_ms:3d}} ms: dw = {{dw:+.5f}}'.")


def check_last_and_first(last_spike, first_three) -> Feedback:
    """0.3: the last spike time (25.9 ms) and the first three (3.1, 7.4, 12.0 ms)."""
    missing = unanswered(last_spike=last_spike, first_three=first_three)
    if missing is not None:
        return missing
    last = as_numbers(last_spike, "last_spike", shape=(),
                      hint="Index 0 is the first item; index -1 is the last one.")
    if isinstance(last, Feedback):
        return last
    if np.isclose(last, SPIKE_TIMES_MS[-2], rtol=1e-12):
        return not_yet("`last_spike` is the next-to-last time. `spike_times[-1]` is the last one.")
    result = compare_numbers(last, SPIKE_TIMES_MS[-1], name="last_spike",
                             hint="Index 0 is the first item; index -1 is the last one.")
    if not result:
        return result
    first = as_numbers(first_three, "first_three",
                       hint="A slice `spike_times[:3]` takes items 0, 1 and 2.")
    if isinstance(first, Feedback):
        return first
    if first.shape == (2,) or first.shape == (4,):
        return not_yet(f"`first_three` holds {first.shape[0]} values. A slice stops *before* "
                       "its end index: `spike_times[:3]` gives three items.")
    result = compare_numbers(first, SPIKE_TIMES_MS[:3], name="first_three",
                             hint="A slice `spike_times[:3]` takes items 0, 1 and 2.")
    if not result:
        return result
    return correct("`last_spike` and `first_three` match the spike times.")


def check_intervals(intervals) -> Feedback:
    """0.4: the four intervals between consecutive spike times, in ms."""
    t = SPIKE_TIMES_MS
    expected = [t[1] - t[0], t[2] - t[1], t[3] - t[2], t[4] - t[3]]  # 4.3, 4.6, 6.2, 7.7
    hint = ("Loop over pairs of neighbours: "
            "for earlier, later in zip(spike_times[:-1], spike_times[1:]).")
    values = as_numbers(intervals, "intervals", hint=hint)
    if isinstance(values, Feedback):
        return values
    if values.shape == (4,) and np.allclose(values, [-x for x in expected], rtol=1e-9):
        return not_yet("every interval has the wrong sign: subtract the earlier time from the later one.")
    return compare_numbers(values, expected, name="intervals", hint=hint)


def check_late_spikes(late_spikes) -> Feedback:
    """0.5: the spike times after 10 ms, with a list comprehension."""
    hint = "Keep a time only if it is later than 10 ms: [t for t in spike_times if t > 10]."
    values = as_numbers(late_spikes, "late_spikes", hint=hint)
    if isinstance(values, Feedback):
        return values
    if values.shape == (2,) and np.allclose(values, SPIKE_TIMES_MS[:2], rtol=1e-12):
        return not_yet("these are the *early* spikes: the condition should be `t > 10`.")
    return compare_numbers(values, [12.0, 18.2, 25.9], name="late_spikes", hint=hint)


def check_rates_from_function(rates) -> Feedback:
    """0.6: ``[firing_rate(200), firing_rate(42, duration=0.5)]`` is ``[200.0, 84.0]``."""
    hint = ("The function should return n_spikes / duration, with duration=1.0 as the "
            "default value of its keyword argument.")
    values = as_numbers(rates, "rates", shape=(2,), hint=hint)
    if isinstance(values, Feedback):
        return values
    if np.allclose(values, [200.0, 42.0], rtol=1e-9):
        return not_yet("the second rate ignores the duration: did the function use its "
                       "`duration` argument? 42 spikes in 0.5 s is 84 per second.")
    return compare_numbers(values, [200.0, 84.0], name="rates", hint=hint)


def check_beat(beat_hz) -> Feedback:
    """0.7: the beat of the rates stored under 'pre' (200) and 'post' (250): 50 Hz."""
    hint = "Look both rates up by their keys: rates_hz['post'] - rates_hz['pre']."
    values = as_numbers(beat_hz, "beat_hz", shape=(), hint=hint)
    if isinstance(values, Feedback):
        return values
    if np.isclose(values, -50.0):
        return not_yet("`beat_hz` is negative: subtract the pre rate from the post rate.")
    return compare_numbers(values, 50.0, name="beat_hz", hint=hint)


def check_safe_intervals(mean_intervals) -> Feedback:
    """0.8: 1000/count (ms) for the counts 4, 0, 5, skipping the window without spikes."""
    hint = ("Put the division in a `try:` block and skip the window in "
            "`except ZeroDivisionError:` (e.g. with `continue`).")
    values = as_numbers(mean_intervals, "mean_intervals", hint=hint)
    if isinstance(values, Feedback):
        return values
    return compare_numbers(values, [1000 / 4, 1000 / 5], name="mean_intervals", hint=hint)


def check_mean_interval(mean_interval) -> Feedback:
    """0.9: the mean of the four intervals, (25.9 - 3.1)/4 = 5.7 ms."""
    hint = "Subtract the shifted slices, times[1:] - times[:-1], and take np.mean of the result."
    values = as_numbers(mean_interval, "mean_interval", shape=(), hint=hint)
    if isinstance(values, Feedback):
        return values
    if np.isclose(values, (25.9 - 3.1) / 5, rtol=1e-9):
        return not_yet("five spikes have only four intervals between them: divide by 4, "
                       "or take the mean of the four differences.")
    if np.isclose(values, np.mean(SPIKE_TIMES_MS), rtol=1e-9):
        return not_yet("this is the mean spike *time*; the exercise asks for the mean interval.")
    return compare_numbers(values, (25.9 - 3.1) / 4, name="mean_interval", hint=hint)


def check_window_count(n_in_window) -> Feedback:
    """0.10: spikes at 5 ms or later and before 20 ms: 7.4, 12.0 and 18.2, so 3."""
    hint = "Combine two masks with &, each in parentheses: (times >= 5) & (times < 20)."
    values = as_numbers(n_in_window, "n_in_window", shape=(), hint=hint)
    if isinstance(values, Feedback):
        return values
    if np.isclose(values, 5) or np.isclose(values, 4):
        return not_yet("that counts spikes that satisfy only one of the two conditions. "
                       "Both must hold: combine the masks with &.")
    return compare_numbers(values, 3.0, name="n_in_window", hint=hint)


def check_beat_table(beat_table, row_means) -> Feedback:
    """0.11: post - pre for pre in (200, 250) and post in (200, 210, 220), as a 2 x 3 table."""
    missing = unanswered(beat_table=beat_table, row_means=row_means)
    if missing is not None:
        return missing
    expected = [[post - pre for post in (200, 210, 220)] for pre in (200, 250)]
    hint = "np.repeat the pre rates, np.tile the post rates, subtract and .reshape(2, 3)."
    table = as_numbers(beat_table, "beat_table", shape=(2, 3), hint=hint)
    if isinstance(table, Feedback):
        return table
    if np.allclose(table, -np.array(expected)):
        return not_yet("every beat has the wrong sign: subtract pre from post.")
    result = compare_numbers(table, expected, name="beat_table", hint=hint)
    if not result:
        return result
    row_hint = "One mean per row (per pre rate): np.mean(beat_table, axis=1)."
    means = as_numbers(row_means, "row_means", hint=row_hint)
    if isinstance(means, Feedback):
        return means
    if means.shape == (3,):
        return not_yet("`row_means` holds one mean per column (axis=0). "
                       "axis=1 averages along each row: one mean per pre rate.")
    return compare_numbers(means, [10.0, -40.0], name="row_means", hint=row_hint)


def check_window_counts(counts) -> Feedback:
    """0.12: spikes per 10 ms window [0, 10), [10, 20), [20, 30): 2, 2, 1."""
    hint = ("Find each spike's window with np.searchsorted(edges, times, side='right') - 1, "
            "then add 1 per spike with np.add.at(counts, window, 1).")
    values = as_numbers(counts, "counts", shape=(3,), hint=hint)
    if isinstance(values, Feedback):
        return values
    return compare_numbers(values, [2.0, 2.0, 1.0], name="counts", hint=hint)


def check_intervals_ms(intervals_ms) -> Feedback:
    """0.13: the intervals of 3.1, 7.4, 12.0 ms as plain numbers in ms: 4.3 and 4.6."""
    hint = "Divide the quantity by the unit you want: np.diff(spike_times) / ms."
    values = as_numbers(intervals_ms, "intervals_ms", shape=(2,), hint=hint)
    if isinstance(values, Feedback):
        return values
    if np.allclose(values, [0.0043, 0.0046], rtol=1e-9):
        return not_yet("these numbers are in seconds (what a trailing underscore gives). "
                       "Divide by ms to get them in milliseconds.")
    return compare_numbers(values, [7.4 - 3.1, 12.0 - 7.4], name="intervals_ms", hint=hint)
