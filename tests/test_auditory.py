"""helpers.auditory: vector strength against closed forms, the pathway against an analytic
coincidence estimate, the controls flat, and reproducibility for a seed.

Tolerances are derived, not tuned:

- The vector strength ``R`` of ``N`` spikes is the length of the mean of ``N`` unit arrows.
  For independent spikes whose expected vector strength is ``r``, each component of the mean
  has a standard deviation of at most ``1/sqrt(2N)``; we allow three of them.
- For spikes with no locking at all, ``N*R**2`` is exponentially distributed (Rayleigh's
  test): ``P(R > x) = exp(-N x**2)``. "Flat" means below ``x = sqrt(ln(1000)/N)``, which
  random spikes exceed once in a thousand runs.
- The coincidence estimate is a low-rate limit: a detector that fired is refractory (and
  its traces reset) for about ``refractory + 2 dt``, which removes a fraction
  ``rate * (refractory + 2 dt)`` of the coincidences, more at the peaks of the beat than
  at its troughs. We allow that fraction of the estimate on top of the statistical error.
"""
from __future__ import annotations

import numpy as np
import pytest
from brian2 import Hz, ms, mV, second

from helpers.auditory import (
    DETECTOR_PARAMS,
    SAMPLERATE,
    inner_hair_cell,
    run_binaural_pathway,
    run_downstream_stdp,
    vector_strength,
)

DT = float(1 / SAMPLERATE)


def rayleigh_limit(n, p=1e-3):
    """Vector strength that ``n`` unlocked spikes exceed with probability ``p``."""
    return np.sqrt(-np.log(p) / n)


def coincidence_estimate(vs_left, vs_right, carrier):
    """Detector vector strength at the beat, for Poisson inputs locked with vs_left, vs_right.

    Input rates ``L(t) = L0 (1 + 2 a cos(w_L t))`` and ``R(t) = R0 (1 + 2 b cos(w_R t))``
    (a and b are the vector strengths). A detector fires when a left and a right spike fall
    at most one step apart (lags -dt, 0, dt), so its rate is proportional to
    ``sum over s of L(t) R(t + s)``, whose component at ``w_R - w_L`` has relative amplitude
    ``2 a b (1 + 2 cos(w dt)) / 3``: the vector strength is half of that.
    """
    return vs_left * vs_right * (1 + 2 * np.cos(2 * np.pi * carrier * DT)) / 3


# ------------------------------------------------------------------ vector strength


def test_vector_strength_of_a_perfectly_locked_train_is_one():
    times = (np.arange(200) / 400.0 + 0.3e-3) * second  # one spike per period, same phase
    assert vector_strength(times, 400 * Hz) == pytest.approx(1.0, abs=1e-12)


@pytest.mark.parametrize("width", [0.1, 0.25, 0.5, 0.9])
def test_vector_strength_of_phases_spread_over_an_arc(width):
    # N phases evenly spread over an arc of width 2*pi*width, one spike per cycle:
    # |sum exp(i phi)| / N = sin(N theta / 2) / (N sin(theta / 2)), theta = 2 pi width / N.
    n, f = 400, 250.0
    phases = 2 * np.pi * width * (np.arange(n) / n - 0.5)
    times = (np.arange(n) + phases / (2 * np.pi)) / f
    theta = 2 * np.pi * width / n
    expected = np.sin(n * theta / 2) / (n * np.sin(theta / 2))
    assert vector_strength(times * second, f * Hz) == pytest.approx(expected, abs=1e-10)


def test_vector_strength_of_jittered_train_matches_its_closed_form():
    # Uniform jitter of +-a/2 of a period: expected vector strength sinc(a) = sin(pi a)/(pi a).
    rng = np.random.default_rng(3)
    n, f, a = 20000, 400.0, 0.4
    times = (np.arange(n) + a * (rng.random(n) - 0.5)) / f
    expected = np.sin(np.pi * a) / (np.pi * a)
    assert abs(vector_strength(times * second, f * Hz) - expected) < 3 / np.sqrt(2 * n)


def test_vector_strength_of_random_spikes_is_below_rayleigh_limit():
    rng = np.random.default_rng(4)
    times = np.sort(rng.random(5000)) * second
    assert vector_strength(times, 40 * Hz) < rayleigh_limit(5000)


def test_vector_strength_refuses_no_spikes():
    with pytest.raises(ValueError, match="empty"):
        vector_strength([] * ms, 40 * Hz)


# ------------------------------------------------------------------ the hair cell


def test_hair_cell_of_a_muted_ear_is_silent_and_the_other_is_not():
    out = inner_hair_cell(400 * Hz, 440 * Hz, 50 * ms, mute="right")
    assert out.shape == (500, 2)
    assert np.all(out[:, 1] == 0)
    assert np.mean(out[:, 0]) > 0.1


def test_hair_cell_low_pass_removes_the_fine_structure_of_high_tones():
    # Before the low-pass, the rectified and compressed tone has the same shape at every
    # frequency; five first-order stages then scale its fundamental by |H(f)|**5 and leave
    # its mean alone. brian2hears' LowPass is the forward-Euler filter
    # y[n] = (1 - k) y[n-1] + k x[n-1], k = 2 pi fc dt, with |H| = k / |1 - (1 - k) e^{-i w dt}|
    # (at 10 kHz sampling noticeably flatter than the analog 1/sqrt(1 + (f/fc)^2)).
    def ac_over_dc(f):
        out = inner_hair_cell(f * Hz, f * Hz, 200 * ms)[1000:, 0]  # after the filters ring up
        t = (1000 + np.arange(len(out))) * DT
        return np.abs(np.mean(out * np.exp(-2j * np.pi * f * t))) / np.mean(out)

    low, high = ac_over_dc(400), ac_over_dc(1600)
    k = 2 * np.pi * 770 * DT

    def gain(f):
        return (k / np.abs(1 - (1 - k) * np.exp(-2j * np.pi * f * DT))) ** 5

    assert high / low == pytest.approx(gain(1600) / gain(400), rel=0.1)


# ------------------------------------------------------------------ the pathway


@pytest.fixture(scope="module")
def runs():
    one = 1 * second
    return {
        "beat": run_binaural_pathway(400 * Hz, 440 * Hz, one),
        "no_beat": run_binaural_pathway(400 * Hz, 400 * Hz, one),
        "one_ear": run_binaural_pathway(400 * Hz, 440 * Hz, one, mute="right"),
        "high": run_binaural_pathway(1400 * Hz, 1440 * Hz, one),
    }


def test_result_fields(runs):
    r = runs["beat"]
    assert r.beat == 40 * Hz
    assert r.detector_spike_times.dim == second.dim
    assert len(r.detector_spike_times) == len(r.detector_indices)
    assert np.all(np.diff(np.asarray(r.detector_spike_times)) >= 0)
    assert set(np.unique(r.left_fibre_indices)) <= set(range(r.n_fibres))
    assert set(np.unique(r.right_fibre_indices)) <= set(range(r.n_fibres))
    assert runs["one_ear"].beat == 0 * Hz


def test_nerve_fibres_phase_lock_and_locking_falls_with_carrier(runs):
    low = vector_strength(runs["beat"].left_spike_times, 400 * Hz)
    high = vector_strength(runs["high"].left_spike_times, 1400 * Hz)
    assert low > 0.3
    assert high < low / 4


def test_detector_modulation_matches_the_coincidence_estimate(runs):
    r = runs["beat"]
    a = vector_strength(r.left_spike_times, r.left_freq)
    b = vector_strength(r.right_spike_times, r.right_freq)
    estimate = coincidence_estimate(a, b, (400 + 440) / 2)
    n = len(r.detector_indices)
    measured = vector_strength(r.detector_spike_times, r.beat)
    dead = float(r.detector_rate) * (float(DETECTOR_PARAMS["refractory"]) + 2 * DT)
    tolerance = 3 / np.sqrt(2 * n) + estimate * dead
    assert abs(measured - estimate) < tolerance, (measured, estimate, tolerance)
    assert measured > rayleigh_limit(n)


def test_pooled_nerve_input_has_no_beat(runs):
    r = runs["beat"]
    pooled = np.concatenate([np.asarray(r.left_spike_times), np.asarray(r.right_spike_times)])
    assert vector_strength(pooled * second, 40 * Hz) < rayleigh_limit(len(pooled))


@pytest.mark.parametrize("control", ["no_beat", "one_ear", "high"])
def test_controls_are_flat_at_40_hz(runs, control):
    r = runs[control]
    n = len(r.detector_indices)
    assert n > 100
    assert vector_strength(r.detector_spike_times, 40 * Hz) < rayleigh_limit(n)


def test_reproducible_for_a_seed_and_different_for_another():
    a = run_binaural_pathway(400 * Hz, 440 * Hz, 100 * ms, seed=5, n_fibres=20, n_detectors=5)
    b = run_binaural_pathway(400 * Hz, 440 * Hz, 100 * ms, seed=5, n_fibres=20, n_detectors=5)
    c = run_binaural_pathway(400 * Hz, 440 * Hz, 100 * ms, seed=6, n_fibres=20, n_detectors=5)
    assert np.array_equal(np.asarray(a.left_spike_times), np.asarray(b.left_spike_times))
    assert np.array_equal(np.asarray(a.detector_spike_times), np.asarray(b.detector_spike_times))
    assert not np.array_equal(np.asarray(a.left_spike_times), np.asarray(c.left_spike_times))


def test_detectors_never_fire_from_one_ear_alone():
    # With one ear muted and its fibres' spontaneous rate the only right-ear input, every
    # detector spike needs a right-ear spike at most one step before it.
    r = run_binaural_pathway(400 * Hz, 400 * Hz, 300 * ms, mute="right", n_fibres=30, n_detectors=10)
    right = np.round(np.asarray(r.right_spike_times) / DT).astype(int)
    for t in np.round(np.asarray(r.detector_spike_times) / DT).astype(int):
        assert np.any((t - right >= 1) & (t - right <= 3))


def test_inputs_per_side_cannot_exceed_fibres():
    with pytest.raises(ValueError, match="inputs_per_side"):
        run_binaural_pathway(400 * Hz, 440 * Hz, 10 * ms, n_fibres=2, inputs_per_side=3)


def test_carrier_above_half_the_sampling_rate_is_refused():
    with pytest.raises(ValueError, match="left_freq"):
        run_binaural_pathway(5000 * Hz, 440 * Hz, 10 * ms)


def test_duration_shorter_than_a_period_is_refused():
    with pytest.raises(ValueError, match="duration"):
        run_binaural_pathway(400 * Hz, 440 * Hz, 2 * ms)


# ------------------------------------------------------------------ downstream STDP


def test_downstream_poisson_control_keeps_the_input_count():
    p = run_binaural_pathway(400 * Hz, 440 * Hz, 300 * ms, n_fibres=40, n_detectors=20)
    d = run_downstream_stdp(p, poisson=True, seed=1)
    n = len(p.detector_indices)
    assert abs(d.input_count - n) < 4 * np.sqrt(n)
    assert d.pair_w.shape == (20,)


def test_downstream_weights_do_not_move_without_post_spikes():
    # A tiny J never brings the post neuron to threshold: no post spike, so both rules leave
    # w alone (the pair rule's depression reads Apost, the triplet rule's reads o1; both 0).
    p = run_binaural_pathway(400 * Hz, 440 * Hz, 200 * ms, n_fibres=40, n_detectors=20)
    d = run_downstream_stdp(p, J=0.01 * mV)
    assert d.pair_post_count == 0 and d.triplet_post_count == 0
    assert np.all(d.pair_w == 0.5) and np.all(d.triplet_w == 0.5)
