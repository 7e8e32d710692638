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


def test_modified_beat_right_and_slips(pathway_20):
    det = pathway_20.detector_spike_times
    measured = vs(det, 20)
    a, b = vs(pathway_20.left_spike_times, 400), vs(pathway_20.right_spike_times, 420)
    estimate = a * b * (1 + 2 * np.cos(2 * np.pi * 410 * 1e-4)) / 3
    fb = ch08.check_modified_beat(measured, estimate, pathway_20)
    assert fb.correct, fb
    assert "20 Hz" in ch08.check_modified_beat(vs(det, 40), estimate, pathway_20).message
    assert not ch08.check_modified_beat(measured, a * b, pathway_20).correct
    assert not ch08.check_modified_beat(measured, estimate, "pathway").correct
    other = run_binaural_pathway(400 * Hz, 440 * Hz, 100 * ms, n_fibres=20, n_detectors=5)
    assert "420" in ch08.check_modified_beat(measured, estimate, other).message
    # the 20 Hz beat agrees with the estimate within three standard errors plus 5 %
    assert abs(measured - estimate) < 3 / np.sqrt(2 * len(det)) + 0.05 * estimate
    assert vector_strength(det, 20 * Hz) == pytest.approx(measured, abs=1e-12)


def test_phase_locking_test_right_and_slips():
    def right(spike_times, frequency):
        n = len(spike_times)
        return bool(vs(np.asarray(spike_times), float(frequency)) > np.sqrt(np.log(1000) / n))

    assert ch08.check_phase_locking_test(right).correct
    assert "no value yet" in ch08.check_phase_locking_test(...).message
    assert not ch08.check_phase_locking_test(lambda t, f: True).correct
    assert not ch08.check_phase_locking_test(lambda t, f: vs(np.asarray(t), float(f)) > 0.5).correct
    assert not ch08.check_phase_locking_test(lambda t, f: 1 / 0).correct
    assert not ch08.check_phase_locking_test(lambda t, f: "yes").correct
    assert not ch08.check_phase_locking_test(42).correct
