"""Checks for the exercises of chapter 8, "Where a binaural beat is made".

The expected answers come from closed forms and plain numpy, never from Brian:
the vector strength of a jittered train (``sin(pi a)/(pi a)``), the coincidence estimate
``VS_L * VS_R * (1 + 2 cos(2 pi f dt))/3`` computed from the student's own nerve spikes, and
Rayleigh's test (``P(VS > x) = exp(-N x**2)`` for unlocked spikes).
"""
from __future__ import annotations

import numpy as np
from brian2 import second

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


def coincidence_estimate(pathway) -> float:
    """VS_L * VS_R * (1 + 2 cos(2 pi f dt)) / 3 from a pathway's nerve spikes (f: mean carrier)."""
    left, right = float(pathway.left_freq), float(pathway.right_freq)
    a = _vs(np.asarray(pathway.left_spike_times), left)
    b = _vs(np.asarray(pathway.right_spike_times), right)
    return a * b * (1 + 2 * np.cos(2 * np.pi * (left + right) / 2 * _DT)) / 3


def check_modified_beat(vs_beat_20, estimate_20, pathway_20) -> Feedback:
    """Exercise 8.2: detector vector strength at a 20 Hz beat, and the coincidence estimate."""
    hint = "Both are plain numbers between 0 and 1."
    measured = as_numbers(vs_beat_20, "vs_beat_20", shape=(), hint=hint)
    if isinstance(measured, Feedback):
        return measured
    estimate = as_numbers(estimate_20, "estimate_20", shape=(), hint=hint)
    if isinstance(estimate, Feedback):
        return estimate
    needed = ("left_freq", "right_freq", "left_spike_times", "right_spike_times", "detector_spike_times")
    if not all(hasattr(pathway_20, name) for name in needed):
        return not_yet("pathway_20 should be what run_binaural_pathway(400*Hz, 420*Hz, ...) returns.")
    left, right = float(pathway_20.left_freq), float(pathway_20.right_freq)
    if (left, right) != (400.0, 420.0):
        return not_yet(f"pathway_20 was run with {left:g} Hz and {right:g} Hz: use 400*Hz and 420*Hz.")
    det = np.asarray(pathway_20.detector_spike_times, dtype=float)
    if det.size == 0:
        return not_yet("pathway_20 has no detector spikes: run it for longer, e.g. 1*second.")
    expected = _vs(det, 20.0)
    expected_estimate = coincidence_estimate(pathway_20)
    if abs(float(measured) - _vs(det, 40.0)) < 1e-9 and abs(expected - _vs(det, 40.0)) > 1e-6:
        return not_yet("vs_beat_20 is the vector strength at 40 Hz: the beat is now 420 - 400 = 20 Hz.")
    if abs(float(measured) - expected) > 1e-6:
        return not_yet("vs_beat_20 should be vector_strength(pathway_20.detector_spike_times, 20*Hz).")
    if abs(float(estimate) - expected_estimate) > 1e-6:
        return not_yet("estimate_20 should be VS_left * VS_right * (1 + 2*cos(2*pi*f*dt))/3, with each ear's "
                       "vector strength at its own tone, f = 410 Hz and dt = 0.1 ms.")
    tolerance = 3 / np.sqrt(2 * det.size)
    verdict = "within" if abs(expected - expected_estimate) < tolerance + 0.05 * expected_estimate else "outside"
    return correct(f"at a 20 Hz beat the detectors lock with {expected:.3f}; the estimate says "
                   f"{expected_estimate:.3f} ({verdict} the tolerance derived in the chapter).")


def rayleigh_limit(n, p=1e-3) -> float:
    """The vector strength that n unlocked spikes exceed with probability p."""
    return float(np.sqrt(-np.log(p) / n))


def _test_trains():
    """(times in seconds, frequency, expected verdict) for the design exercise."""
    rng = np.random.default_rng(80)
    f = 40.0
    trains = [
        (np.arange(100) / f, f, True),  # perfectly locked
        (np.sort(rng.random(2000)), f, False),  # uniform
        (np.sort(rng.random(50)), f, False),  # few uniform spikes
    ]
    # weakly locked: rate 1 + m cos, thinned; VS about m/2 = 0.1 with 3000 spikes (limit 0.048)
    t = np.sort(rng.random(12000))
    keep = rng.random(t.size) < (1 + 0.2 * np.cos(2 * np.pi * f * t)) / 1.2 * 0.3
    trains.append((t[keep], f, True))
    # locked but to another frequency
    trains.append((np.arange(400) / 410.0, f, None))
    out = []
    for times, freq, verdict in trains:
        if verdict is None:
            verdict = _vs(times, freq) > rayleigh_limit(times.size)
        out.append((times, freq, verdict))
    return out


def check_phase_locking_test(is_phase_locked) -> Feedback:
    """Exercise 8.3: a function that applies Rayleigh's test at p = 0.001."""
    if is_phase_locked is Ellipsis or is_phase_locked is None:
        return not_yet("`is_phase_locked` has no value yet. Replace the `...` with your function.")
    if not callable(is_phase_locked):
        return not_yet("is_phase_locked should be a function: def is_phase_locked(spike_times, frequency): ...")
    for times, f, verdict in _test_trains():
        try:
            answer = is_phase_locked(times * second, f * 1 / second)
        except Exception as exc:  # noqa: BLE001 - a student's function may fail in any way
            return not_yet(f"is_phase_locked raised {type(exc).__name__}: {exc}. It receives spike times "
                           "with a unit (seconds) and a frequency in Hz.")
        if not isinstance(answer, (bool, np.bool_)):
            return not_yet(f"is_phase_locked should return True or False: got {answer!r:.40}.")
        if bool(answer) != verdict:
            vs = _vs(times, f)
            limit = rayleigh_limit(times.size)
            return not_yet(f"for {times.size} spikes with vector strength {vs:.3f} at {f:g} Hz the answer should "
                           f"be {verdict}: the limit is sqrt(ln(1000)/N) = {limit:.3f}.")
    return correct("your test agrees with Rayleigh's criterion on locked, unlocked and weakly locked trains.")
