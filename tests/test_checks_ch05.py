"""The chapter 5 exercise checks accept right answers and explain the common wrong ones.

Right answers are produced here by Brian runs (the helpers' network) or by the
reference, and wrong answers by the mistakes the checks are meant to recognise.
"""
import warnings

import numpy as np
from brian2 import Hz, ms, second

from helpers.beats import run_beat_experiment
from helpers.checks import ch05
from helpers.pacemakers import pacemaker_spike_steps
from helpers.stdp import stdp_reference


def run(*args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return run_beat_experiment(*args, **kwargs)


def test_reproduce_right_answer_from_brian():
    res = run(200 * Hz, 230 * Hz, 300 * ms)
    fb = ch05.check_reproduce_230(int(res.post_spike_counts[0]), float(res.final_w[0]))
    assert fb.correct and "68 post spikes" in fb.message


def test_reproduce_wrong_answers():
    res = run(200 * Hz, 230 * Hz, 300 * ms, record_weights=True)
    n, w = int(res.post_spike_counts[0]), float(res.final_w[0])
    requested = ch05.check_reproduce_230(69, w)
    assert not requested.correct and "227.3 Hz" in requested.message
    monitor_last = ch05.check_reproduce_230(n, float(res.w[0, -1]))
    assert not monitor_last.correct and "last column" in monitor_last.message
    assert not ch05.check_reproduce_230(n, 0.5).correct
    assert not ch05.check_reproduce_230(70, w).correct
    assert "Replace every `...`" in ch05.check_reproduce_230(..., ...).message
    assert not ch05.check_reproduce_230(np.zeros(3), w).correct


def test_shifted_phase_right_and_wrong():
    right = run(200 * Hz, 250 * Hz, 1 * second, post_phase=0.1).final_w[0]
    fb = ch05.check_shifted_phase(right)
    assert fb.correct and "0.0460" in fb.message
    unshifted = ch05.check_shifted_phase(run(200 * Hz, 250 * Hz, 1 * second).final_w[0])
    assert not unshifted.correct and "x = 0" in unshifted.message
    wrong_neuron = ch05.check_shifted_phase(run(200 * Hz, 250 * Hz, 1 * second, pre_phase=0.1).final_w[0])
    assert not wrong_neuron.correct and "pre neuron" in wrong_neuron.message
    assert not ch05.check_shifted_phase(...).correct
    assert not ch05.check_shifted_phase(0.3).correct


def test_shifted_phase_expected_value_matches_reference_without_helpers_beats():
    expected = stdp_reference(pacemaker_spike_steps(200 * Hz, 1 * second),
                              pacemaker_spike_steps(250 * Hz, 1 * second, phase=0.1))
    assert ch05.check_shifted_phase(expected).correct
    assert not ch05.check_shifted_phase(expected + 1e-6).correct


def _design(duration, n_phases, **params):
    beats = np.array([5, 10, 25, 50])
    phases = np.arange(n_phases) / n_phases
    res = run(200 * Hz, np.repeat(200 + beats, n_phases) * Hz, duration,
              post_phase=np.tile(phases, 4), record_weights=False, **params)
    return res.drift_per_second.reshape(4, n_phases).mean(axis=1)


def test_design_accepts_sound_designs():
    assert ch05.check_design_drift(_design(1 * second, 32, w0=50, gmax=100)).correct
    assert ch05.check_design_drift(_design(1 * second, 16, w0=50, gmax=100)).correct
    assert ch05.check_design_drift(_design(2 * second, 16, w0=500, gmax=1000)).correct


def test_design_recognises_common_mistakes():
    clipped = ch05.check_design_drift(_design(1 * second, 16))  # thread's bounds: stuck at 0
    assert not clipped.correct and "bound" in clipped.message
    single_phase = ch05.check_design_drift(_design(1 * second, 1, w0=50, gmax=100))
    assert not single_phase.correct and "phases" in single_phase.message
    total = ch05.check_design_drift(_design(2 * second, 16, w0=50, gmax=100) * 2)
    assert not total.correct and "Divide by the duration" in total.message
    coarse = ch05.check_design_drift(_design(1 * second, 8, w0=50, gmax=100))
    assert not coarse.correct
    assert not ch05.check_design_drift(...).correct
    assert "4 values" in ch05.check_design_drift([1.0, 2.0]).message


def test_design_expected_values_follow_the_formula():
    expected = ch05.expected_long_run_drift()
    f_post = np.array([1 / 49e-4, 1 / 48e-4, 1 / 45e-4, 250.0])  # whole-step periods of 205..250 Hz
    np.testing.assert_allclose(expected, 200 * f_post * (0.02 - 0.021) * 0.02, rtol=1e-12)


def test_reproduce_nan_and_inf_are_not_yet_without_raising():
    for bad in (np.nan, np.inf, -np.inf):
        fb = ch05.check_reproduce_230(bad, bad)
        assert not fb.correct and "nan or inf" in fb.message
    fb = ch05.check_reproduce_230(68, "0.2416")
    assert not fb.correct and "is text" in fb.message
