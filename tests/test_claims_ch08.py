"""Claims that chapter 8's prose makes, checked against independent calculations.

Each claim names the sentence it supports. The pathway is run with the chapter's settings
(seed 0, 1 s, 100 fibres per ear, 40 detectors, 3 fibres per side); vector strengths are
recomputed here with complex numbers, and "locked" means above Rayleigh's p = 0.001 limit.
"""
import numpy as np
import pytest
from brian2 import Hz, ms, second

from helpers.auditory import run_binaural_pathway


def vs(times, f):
    return float(np.abs(np.mean(np.exp(2j * np.pi * f * np.asarray(times)))))


def limit(n):
    return np.sqrt(np.log(1000) / n)


@pytest.fixture(scope="module")
def runs():
    return {
        "beat": run_binaural_pathway(400 * Hz, 440 * Hz, 1 * second, seed=0),
        "no_beat": run_binaural_pathway(400 * Hz, 400 * Hz, 1 * second, seed=0),
        "one_ear": run_binaural_pathway(400 * Hz, 440 * Hz, 1 * second, seed=0, mute="right"),
        "high": run_binaural_pathway(1400 * Hz, 1440 * Hz, 1 * second, seed=0),
    }


def test_fibres_lock_to_their_own_tone_only(runs):
    # "The left fibres lock to their own tone (vector strength about 0.4) and not at all to
    # the other ear's tone."
    r = runs["beat"]
    assert 0.3 < vs(r.left_spike_times, 400) < 0.5
    assert 0.3 < vs(r.right_spike_times, 440) < 0.5
    assert vs(r.left_spike_times, 440) < limit(len(r.left_spike_times))


def test_locking_fades_above_one_and_a_half_kilohertz():
    # "Above about 1.5 kHz the hair cell's low-pass has smoothed the cycle away."
    low = run_binaural_pathway(400 * Hz, 400 * Hz, 300 * ms, n_fibres=30, n_detectors=1, seed=1)
    high = run_binaural_pathway(1600 * Hz, 1600 * Hz, 300 * ms, n_fibres=30, n_detectors=1, seed=1)
    assert vs(high.left_spike_times, 1600) < 0.1 < 0.4 < vs(low.left_spike_times, 400)


def test_only_the_beat_locks_to_40_hz(runs):
    # "Only the beat condition locks to 40 Hz; the three controls stay below the chance limit."
    for name, r in runs.items():
        n = len(r.detector_indices)
        locked = vs(r.detector_spike_times, 40) > limit(n)
        assert locked == (name == "beat"), name


def test_rates_of_the_controls(runs):
    # "The no-beat condition fires faster than the beat condition ... the one-ear condition
    # fires rarely."
    assert runs["no_beat"].detector_rate > 1.2 * runs["beat"].detector_rate
    assert runs["one_ear"].detector_rate < 0.25 * runs["beat"].detector_rate


def test_pooled_input_has_no_beat(runs):
    # "its vector strength at the beat is near zero"
    r = runs["beat"]
    pooled = np.concatenate([np.asarray(r.left_spike_times), np.asarray(r.right_spike_times)])
    assert vs(pooled, 40) < limit(pooled.size)


def test_detectors_fire_about_twice_as_often_at_the_peak_of_the_beat(runs):
    # "The detectors (bottom) fire about twice as often at one phase of the beat cycle as at
    # the opposite one." A rate r0 (1 + m cos) has vector strength m/2, so the ratio of peak
    # to trough is (1 + 2 VS) / (1 - 2 VS).
    v = vs(runs["beat"].detector_spike_times, 40)
    assert 1.5 < (1 + 2 * v) / (1 - 2 * v) < 2.5
