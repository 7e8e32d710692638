"""Checks for the exercises of chapter 9, "STDP downstream of the beat".

The expected answers are plain-numpy statistics written out here (mean, standard error with
``n - 1``, Cohen's d with the pooled standard deviation) and a vector strength computed with
complex numbers, never the notebook's own code or Brian.
"""
from __future__ import annotations

import numpy as np
from brian2 import second

from . import Feedback, as_numbers, correct, not_yet

#: Exercise 9.1 and 9.2: mean weight changes of five seeds (plain numbers), two conditions.
EXAMPLE_A = np.array([0.031, 0.052, 0.018, 0.044, 0.039])
EXAMPLE_B = np.array([0.012, -0.004, 0.020, 0.006, 0.001])


def _mean_se(values):
    values = np.asarray(values, dtype=float)
    n = values.size
    mean = np.sum(values) / n
    sd = np.sqrt(np.sum((values - mean) ** 2) / (n - 1))
    return mean, sd / np.sqrt(n), sd


def check_mean_and_se(mean_a, se_a) -> Feedback:
    """Exercise 9.1: mean and standard error of EXAMPLE_A."""
    mean = as_numbers(mean_a, "mean_a", shape=(), hint="A plain number.")
    if isinstance(mean, Feedback):
        return mean
    se = as_numbers(se_a, "se_a", shape=(), hint="A plain number.")
    if isinstance(se, Feedback):
        return se
    m, s, sd = _mean_se(EXAMPLE_A)
    if abs(float(mean) - m) > 1e-9:
        return not_yet(f"mean_a should be the mean of the five values of EXAMPLE_A ({m:.4f}).")
    n = EXAMPLE_A.size
    if abs(float(se) - sd) < 1e-9:
        return not_yet("se_a is the standard deviation: divide it by sqrt(n) for the standard error of the mean.")
    if abs(float(se) - np.std(EXAMPLE_A) / np.sqrt(n)) < 1e-9:
        return not_yet("se_a uses np.std with its default ddof=0; a sample's standard deviation divides by "
                       "n - 1: np.std(values, ddof=1).")
    if abs(float(se) - s) > 1e-9:
        return not_yet("se_a should be np.std(values, ddof=1) / np.sqrt(len(values)).")
    return correct(f"mean {m:.4f}, standard error {s:.4f}.")


def check_effect_size(d_ab) -> Feedback:
    """Exercise 9.2: Cohen's d of EXAMPLE_A against EXAMPLE_B, with the pooled standard deviation."""
    d = as_numbers(d_ab, "d_ab", shape=(), hint="A plain number.")
    if isinstance(d, Feedback):
        return d
    ma, _, sa = _mean_se(EXAMPLE_A)
    mb, _, sb = _mean_se(EXAMPLE_B)
    na, nb = EXAMPLE_A.size, EXAMPLE_B.size
    pooled = np.sqrt(((na - 1) * sa**2 + (nb - 1) * sb**2) / (na + nb - 2))
    expected = (ma - mb) / pooled
    if abs(float(d) + expected) < 1e-6:
        return not_yet("d_ab has the wrong sign: it is (mean of A - mean of B) / pooled standard deviation.")
    if abs(float(d) - expected) > 1e-6:
        return not_yet(f"d_ab should be (mean A - mean B) / s_pooled with s_pooled = sqrt(((nA-1) sA^2 + "
                       f"(nB-1) sB^2) / (nA + nB - 2)) and standard deviations with ddof=1: about {expected:.2f}.")
    return correct(f"d = {expected:.2f}: the difference of the means is {expected:.1f} pooled standard deviations.")


def _vs(times, frequency) -> float:
    times = np.asarray(times, dtype=float)
    return float(np.abs(np.sum(np.exp(2j * np.pi * frequency * times))) / times.size)


def check_jitter_control(jittered, original, duration) -> Feedback:
    """Exercise 9.3: a control with the same spikes, jittered so that the 40 Hz beat is gone."""
    orig = as_numbers(original, "original", unit=second, hint="Spike times with a unit, e.g. seconds.")
    if isinstance(orig, Feedback):
        return orig
    jit = as_numbers(jittered, "jittered", unit=second, hint="Spike times with a unit, e.g. seconds.")
    if isinstance(jit, Feedback):
        return jit
    dur = as_numbers(duration, "duration", unit=second, shape=(), hint="One time, e.g. 1*second.")
    if isinstance(dur, Feedback):
        return dur
    orig, jit = np.ravel(orig), np.ravel(jit)
    if jit.size != orig.size:
        return not_yet(f"jittered has {jit.size} spikes, original {orig.size}: move every spike, drop none.")
    if np.any(jit < 0) or np.any(jit >= float(dur)):
        return not_yet("some jittered spikes fall outside [0, duration): wrap them around with % duration.")
    if np.array_equal(np.sort(jit), np.sort(orig)):
        return not_yet("jittered is the original train: add a random shift to every spike.")
    limit = np.sqrt(np.log(1000) / jit.size)
    before, after = _vs(orig, 40.0), _vs(jit, 40.0)
    if after > limit:
        return not_yet(f"the jittered train still locks to 40 Hz (vector strength {after:.3f}, chance limit "
                       f"{limit:.3f}): make the jitter at least one beat period (25 ms) wide.")
    return correct(f"same {jit.size} spikes, vector strength at 40 Hz down from {before:.3f} to {after:.3f} "
                   f"(chance limit {limit:.3f}).")
