"""The chapter 8 exercise checks accept right answers (computed here independently of the
checks: with cos and sin instead of complex numbers, and with Brian for the pathway) and
explain the common wrong ones."""
import numpy as np
import pytest
from brian2 import Hz, ms, second

from helpers.auditory import run_binaural_pathway, vector_strength
from helpers.checks import ch08


def vs(times, f):
    phase = 2 * np.pi * f * np.asarray(times)
    return float(np.sqrt(np.mean(np.cos(phase)) ** 2 + np.mean(np.sin(phase)) ** 2))


def jittered():
    rng = np.random.default_rng(8)
    return np.arange(400) / 400 + 1e-3 * (rng.random(400) - 0.5)


def test_jittered_train_right_and_slips():
    measured, formula = vs(jittered(), 400), np.sin(np.pi * 0.4) / (np.pi * 0.4)
    assert ch08.check_jittered_train(measured, formula).correct
    assert "pi inside" in ch08.check_jittered_train(measured, np.sin(0.4) / 0.4).message
    assert not ch08.check_jittered_train(measured + 0.01, formula).correct
    assert not ch08.check_jittered_train(measured, formula + 0.01).correct
    assert "no value yet" in ch08.check_jittered_train(..., formula).message
    assert not ch08.check_jittered_train(measured * Hz, formula).correct
    # the two agree within the derived chance scatter
    assert abs(measured - formula) < 3 / np.sqrt(2 * 400)


@pytest.fixture(scope="module")
def pathway_20():
    return run_binaural_pathway(400 * Hz, 420 * Hz, 1 * second, seed=0)


def estimate(a, b, f):
    return a * b * (1 + 2 * np.cos(2 * np.pi * f * 1e-4)) / 3


def test_modified_beat_right_and_slips(pathway_20):
    det = pathway_20.detector_spike_times
    measured = vs(det, 20)
    a, b = vs(pathway_20.left_spike_times, 400), vs(pathway_20.right_spike_times, 420)
    est = estimate(a, b, 410)
    fb = ch08.check_modified_beat(measured, est, a, b)
    assert fb.correct, fb
    assert "20 Hz" in ch08.check_modified_beat(vs(det, 40), est, a, b).message
    assert "multiply" in ch08.check_modified_beat(measured, a * b, a, b).message
    assert not ch08.check_modified_beat(measured, estimate(a, b, 420), a, b).correct
    assert not ch08.check_modified_beat(measured, est, vs(pathway_20.left_spike_times, 420), b).correct
    assert "between 0 and 1" in ch08.check_modified_beat(1.5, est, a, b).message
    assert not ch08.check_modified_beat(measured + 0.2, est, a, b).correct
    # the 20 Hz beat agrees with the estimate within three standard errors plus 5 %
    assert abs(measured - est) < 3 / np.sqrt(2 * len(det)) + 0.05 * est
    assert len(det) >= 2000  # the check's tolerance assumes at least 2000 detector spikes
    assert vector_strength(det, 20 * Hz) == pytest.approx(measured, abs=1e-12)


def duration(a, b, rate):
    v = estimate(a, b, 1420)
    return np.log(1000) / v**2 / (40 * rate)


def test_design_duration_right_and_slips():
    a, b, rate = 0.055, 0.052, 70.8
    t = duration(a, b, rate)
    assert ch08.check_design_duration(t * second, a, b, rate * Hz).correct
    assert "number of spikes" in ch08.check_design_duration(t * 40 * rate * second, a, b, rate * Hz).message
    assert "one detector" in ch08.check_design_duration(t * 40 * second, a, b, rate * Hz).message
    assert not ch08.check_design_duration(t * 1.01 * second, a, b, rate * Hz).correct
    assert "weak" in ch08.check_design_duration(t * second, 0.43, b, rate * Hz).message
    assert not ch08.check_design_duration(t, a, b, rate * Hz).correct  # no unit
    assert not ch08.check_design_duration(t * second, a, b, rate).correct  # no unit


def common_cases():
    """Right answers and near misses for tests/test_checks_common.py (no Brian)."""
    rng = np.random.default_rng(8)
    measured = vs(np.arange(400) / 400 + 1e-3 * (rng.random(400) - 0.5), 400)
    formula = np.sin(np.pi * 0.4) / (np.pi * 0.4)
    a, b = 0.43, 0.41
    est = estimate(a, b, 410)
    tol = 3 / np.sqrt(4000) + 0.05 * est
    ah, bh, rate = 0.055, 0.052, 70.8
    t = duration(ah, bh, rate)
    return {
        "check_jittered_train": ((measured, formula), [
            ("measured off by 1e-6", (measured + 1e-6, formula), False),
            ("measured within round-off", (measured + 1e-12, formula), True),
            ("formula off by 1e-5", (measured, formula + 1e-5), False)]),
        "check_modified_beat": ((est, est, a, b), [
            ("simulation at 0.9 of the tolerance", (est + 0.9 * tol, est, a, b), True),
            ("simulation beyond the tolerance", (est + 1.1 * tol, est, a, b), False),
            ("estimate off by 1e-5", (est, est + 1e-5, a, b), False)]),
        "check_design_duration": ((t * second, ah, bh, rate * Hz), [
            ("duration within round-off", (t * (1 + 1e-9) * second, ah, bh, rate * Hz), True),
            ("duration 1e-5 off", (t * (1 + 1e-5) * second, ah, bh, rate * Hz), False)]),
    }
