"""Checks for the exercises of chapter 8, "Where a binaural beat is made".

The expected answers come from closed forms and plain numpy, never from Brian:
the vector strength of a jittered train (``sin(pi a)/(pi a)``), the coincidence estimate
``VS_L * VS_R * (1 + 2 cos(2 pi f dt))/3`` from the student's own fibre vector strengths, and
Rayleigh's test (``P(VS > x) = exp(-N x**2)`` for unlocked spikes) for the design exercise.
"""
from __future__ import annotations

import numpy as np
from brian2 import Hz, second

from . import Feedback, as_numbers, correct, not_yet

_DT = 1e-4  # the pathway's time step, 1/(10 kHz), in seconds

#: Exercise 8.1: 400 Hz, one spike per period for 1 s, uniform jitter of +-0.5 ms.
JITTER_RECIPE = {"frequency": 400.0, "n": 400, "jitter": 1e-3, "seed": 8}


def _vs(times, frequency) -> float:
    """|sum of unit arrows| / N, written with complex numbers (the notebook uses cos and sin)."""
    times = np.asarray(times, dtype=float)
    return float(np.abs(np.sum(np.exp(2j * np.pi * frequency * times))) / times.size)


def jittered_train() -> np.ndarray:
    """Exercise 8.1's spike times in seconds, built from :data:`JITTER_RECIPE`."""
    r = JITTER_RECIPE
    rng = np.random.default_rng(r["seed"])
    return np.arange(r["n"]) / r["frequency"] + r["jitter"] * (rng.random(r["n"]) - 0.5)


def check_jittered_train(vs_measured, vs_formula) -> Feedback:
    """Exercise 8.1: the vector strength of a jittered train, measured and from the closed form."""
    hint = "Both are plain numbers between 0 and 1."
    measured = as_numbers(vs_measured, "vs_measured", shape=(), hint=hint)
    if isinstance(measured, Feedback):
        return measured
    formula = as_numbers(vs_formula, "vs_formula", shape=(), hint=hint)
    if isinstance(formula, Feedback):
        return formula
    r = JITTER_RECIPE
    a = r["jitter"] * r["frequency"]  # the jitter's width as a fraction of a period
    expected_formula = np.sin(np.pi * a) / (np.pi * a)
    expected = _vs(jittered_train(), r["frequency"])
    if abs(float(formula) - expected_formula) > 1e-6:
        if abs(float(formula) - np.sin(a) / a) < 1e-6:
            return not_yet("vs_formula: the closed form is sin(pi*a)/(pi*a), with pi inside the sine.")
        return not_yet(f"vs_formula should be sin(pi*a)/(pi*a) with a = jitter width x frequency = {a:g}.")
    if abs(float(measured) - expected) > 1e-9:
        return not_yet("vs_measured differs from the vector strength of the train built with the recipe "
                       "(seed 8, one spike per period, jitter uniform in +-0.5 ms). Check the seed and "
                       "that the jitter is rng.random(n) - 0.5 times 1 ms.")
    return correct(f"vector strength {expected:.4f}, closed form {expected_formula:.4f}: they differ by "
                   f"{abs(expected - expected_formula):.4f}, within the 1/sqrt(2N) = "
                   f"{1 / np.sqrt(2 * r['n']):.3f} that 400 random spikes allow.")


def coincidence_estimate(vs_left, vs_right, carrier) -> float:
    """VS_L * VS_R * (1 + 2 cos(2 pi f dt)) / 3 for a detector with a 3-step window (f: mean carrier in Hz)."""
    return float(vs_left * vs_right * (1 + 2 * np.cos(2 * np.pi * carrier * _DT)) / 3)


def _read_vs(values):
    """Read (name, value) pairs as plain numbers between 0 and 1, or return a "Not yet"."""
    out = []
    for name, value in values:
        number = as_numbers(value, name, shape=(), hint="A vector strength is a plain number between 0 and 1.")
        if isinstance(number, Feedback):
            return number
        if not 0 <= float(number) <= 1:
            return not_yet(f"{name} = {float(number):g} is not between 0 and 1: a vector strength is the length "
                           "of a mean of unit arrows.")
        out.append(float(number))
    return out


def check_modified_beat(vs_beat_20, estimate_20, vs_left_20, vs_right_20) -> Feedback:
    """Exercise 8.2: a 20 Hz beat (400/420 Hz): the detectors' vector strength and the estimate."""
    numbers = _read_vs([("vs_beat_20", vs_beat_20), ("estimate_20", estimate_20),
                        ("vs_left_20", vs_left_20), ("vs_right_20", vs_right_20)])
    if isinstance(numbers, Feedback):
        return numbers
    measured, estimate, a, b = numbers
    if not (0.3 < a < 0.6 and 0.3 < b < 0.6):
        return not_yet("vs_left_20 and vs_right_20 should be the fibres' locking to their own tones (about 0.4): "
                       "the left fibres at 400 Hz, the right fibres at 420 Hz.")
    expected = coincidence_estimate(a, b, 410.0)
    if abs(estimate - a * b) < 1e-9:
        return not_yet("estimate_20 is VS_left * VS_right: multiply by (1 + 2 cos(2 pi f dt))/3 with f = 410 Hz, "
                       "dt = 0.1 ms, the detector's window of three steps.")
    if abs(estimate - expected) > 1e-6:
        return not_yet(f"estimate_20 should be VS_left * VS_right * (1 + 2 cos(2 pi f dt))/3 with f = 410 Hz and "
                       f"dt = 0.1 ms: {expected:.4f} with your vector strengths.")
    # 40 detectors at about 60 Hz for 1 s: N >= 2000 spikes, chance scatter 1/sqrt(2N) <= 0.016;
    # three of those plus 5 % of the estimate for the detectors' refractoriness.
    tolerance = 3 / np.sqrt(2 * 2000) + 0.05 * expected
    if abs(measured - expected) > tolerance:
        if measured < 0.06:
            return not_yet("vs_beat_20 is near zero: measure the detectors' locking at the new beat, "
                           "420 - 400 = 20 Hz (not 40 Hz).")
        return not_yet(f"vs_beat_20 = {measured:.3f} is further from the estimate {expected:.3f} than the "
                       f"{tolerance:.3f} that chance and refractoriness allow. Use the detectors' spikes and 20*Hz.")
    return correct(f"at a 20 Hz beat the detectors lock with {measured:.3f}; the estimate says {expected:.3f}, "
                   f"within the tolerance of {tolerance:.3f}.")


def required_duration(vs_left, vs_right, detector_rate, n_detectors=40, carrier=1420.0, p=1e-3) -> float:
    """Seconds until the estimated beat locking exceeds Rayleigh's limit: N = ln(1/p) / VS**2 spikes."""
    vs_beat = coincidence_estimate(vs_left, vs_right, carrier)
    return float(np.log(1 / p) / vs_beat**2 / (detector_rate * n_detectors))


def check_design_duration(duration_needed, vs_left_high, vs_right_high, rate_high) -> Feedback:
    """Exercise 8.3: how long the 1400/1440 Hz condition must run before its beat could be detected."""
    numbers = _read_vs([("vs_left_high", vs_left_high), ("vs_right_high", vs_right_high)])
    if isinstance(numbers, Feedback):
        return numbers
    a, b = numbers
    rate = as_numbers(rate_high, "rate_high", unit=Hz, shape=(),
                      hint="One detector's mean rate with its unit, e.g. result.detector_rate.")
    if isinstance(rate, Feedback):
        return rate
    needed = as_numbers(duration_needed, "duration_needed", unit=second, shape=(),
                        hint="A time with its unit, e.g. 300*second.")
    if isinstance(needed, Feedback):
        return needed
    if a > 0.2 or b > 0.2:
        return not_yet("vs_left_high and vs_right_high should be the fibres' locking at 1400 and 1440 Hz, "
                       "which is weak (below 0.1).")
    if float(rate) <= 0:
        return not_yet("rate_high must be positive: the detectors of the too-high condition do fire.")
    expected = required_duration(a, b, float(rate))
    n_spikes = expected * float(rate) * 40
    if abs(float(needed) - n_spikes) < 1e-6 * n_spikes:
        return not_yet("duration_needed is a number of spikes: divide by the spikes per second of all 40 "
                       "detectors (40 x rate_high) to get a time.")
    if abs(float(needed) - expected * 40) < 1e-6 * expected * 40:
        return not_yet("duration_needed uses one detector's rate: all 40 detectors' spikes are pooled.")
    if abs(float(needed) - expected) > 1e-6 * expected:
        return not_yet(f"duration_needed should be N / (40 x rate_high) with N = ln(1000) / VS_beat**2 and VS_beat "
                       f"the coincidence estimate at 1420 Hz: {expected:.0f} s with your numbers.")
    return correct(f"about {expected:.0f} s of simulated sound ({n_spikes:.0f} detector spikes) before a beat this "
                   "weak would stand out from chance: at this carrier the beat is, for practical purposes, gone.")
