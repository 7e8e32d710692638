"""helpers.beats: the vectorized beat experiment against independent predictions.

Spike steps come from ``helpers.pacemakers`` (numpy, checked bit-exact against Brian in
test_pacemakers.py) and weights from ``helpers.stdp.stdp_reference`` (plain Python).
"""
import warnings

import numpy as np
import pytest
from brian2 import Hz, ms, second

from helpers.beats import BeatResult, run_beat_experiment
from helpers.pacemakers import effective_rate, pacemaker_spike_steps, spike_count
from helpers.stdp import THREAD_RULE, stdp_reference

DT = 0.1 * ms
TOL = 1e-9


def quiet_run(*args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return run_beat_experiment(*args, **kwargs)


def test_thread_pairs_final_weights_counts_and_rates():
    res = quiet_run(200 * Hz, [250, 220, 210] * Hz, 1 * second, record_weights=True)
    np.testing.assert_allclose(res.final_w, [0.5243, 0.0, 0.0], atol=5e-5)
    assert res.pre_spike_counts.tolist() == [200, 200, 200]
    assert res.post_spike_counts.tolist() == [spike_count(r * Hz, 1 * second) for r in (250, 220, 210)]
    np.testing.assert_allclose(np.asarray(res.effective_post_rates), [250, 1 / 46e-4, 1 / 48e-4], rtol=1e-12)
    np.testing.assert_allclose(np.asarray(res.effective_beats), [50, 1 / 46e-4 - 200, 1 / 48e-4 - 200], rtol=1e-12)
    diffs = []
    for k, rate in enumerate((250, 220, 210)):
        trace = stdp_reference(pacemaker_spike_steps(200 * Hz, 1 * second),
                               pacemaker_spike_steps(rate * Hz, 1 * second), record=True)
        diffs.append(abs(res.final_w[k] - trace.final_w))
        diffs.append(np.max(np.abs(res.w[k] - trace.w_at_steps(np.arange(10000)))))
    print(f"run_beat_experiment, thread pairs: largest |Brian - reference| = {max(diffs):.3g}")
    assert max(diffs) < TOL


@pytest.mark.parametrize("seed", [1, 2])
def test_random_conditions_with_phases_and_parameters(seed):
    rng = np.random.default_rng(seed)
    n = 25
    pre = rng.uniform(100, 400, n)
    post = pre + rng.uniform(-40, 40, n)
    pre_phase, post_phase = rng.uniform(0, 1, n), rng.uniform(0, 1, n)
    duration = float(rng.uniform(0.2, 1.0)) * second
    rule = THREAD_RULE.replace(taupre=float(rng.uniform(5, 30)) * ms, taupost=float(rng.uniform(5, 30)) * ms,
                               dApre=float(rng.uniform(0.005, 0.03)))
    params = dict(w0=float(rng.uniform(0.1, 0.9)), gmax=float(rng.uniform(1, 2)), rule=rule)
    res = quiet_run(pre * Hz, post * Hz, duration, pre_phase=pre_phase, post_phase=post_phase,
                    record_weights=False, **params)
    assert res.t is None and res.w is None
    diffs = []
    for k in range(n):
        pre_steps = pacemaker_spike_steps(pre[k] * Hz, duration, phase=pre_phase[k])
        post_steps = pacemaker_spike_steps(post[k] * Hz, duration, phase=post_phase[k])
        assert np.array_equal(np.round(np.asarray(res.pre_spike_times[k] / DT)).astype(int), pre_steps)
        assert np.array_equal(np.round(np.asarray(res.post_spike_times[k] / DT)).astype(int), post_steps)
        diffs.append(abs(res.final_w[k] - stdp_reference(pre_steps, post_steps, **params)))
    print(f"run_beat_experiment seed {seed}: largest |Brian - reference| = {max(diffs):.3g}")
    assert max(diffs) < TOL
    assert res.rule == rule
    assert rule.dApost == pytest.approx(-rule.dApre * float(rule.taupre / rule.taupost) * 1.05)


def test_result_fields_shapes_and_dtypes():
    res = quiet_run([200, 200, 200, 200] * Hz, [250, 220, 210, 190] * Hz, 50 * ms, record_weights=True)
    assert isinstance(res, BeatResult) and res.n_conditions == 4
    assert res.final_w.shape == (4,) and res.final_w.dtype == np.float64
    assert res.w.shape == (4, 500) and res.t.shape == (500,)
    assert float(res.t[-1] / ms) == pytest.approx(49.9)
    np.testing.assert_array_equal(res.w[:, 0], 0.5)
    for name in ("pre_spike_counts", "post_spike_counts"):
        arr = getattr(res, name)
        assert arr.shape == (4,) and np.issubdtype(arr.dtype, np.integer)
    assert len(res.pre_spike_times) == len(res.post_spike_times) == 4
    assert res.effective_pre_rates.shape == (4,)
    np.testing.assert_allclose(np.asarray(res.effective_post_rates),
                               np.asarray(effective_rate([250, 220, 210, 190] * Hz)))
    np.testing.assert_allclose(res.drift_per_second, (res.final_w - 0.5) / 0.05)
    with pytest.raises(Exception):
        res.final_w = None  # frozen


def test_single_rate_is_shared_by_all_conditions():
    res = quiet_run(200 * Hz, [250, 220] * Hz, 20 * ms)
    assert np.asarray(res.pre_rates).tolist() == [200, 200]
    res = quiet_run([200, 210] * Hz, 250 * Hz, 20 * ms)
    assert np.asarray(res.post_rates).tolist() == [250, 250]


@pytest.mark.parametrize("kwargs, error, pattern", [
    (dict(pre_rates=[200, 200], post_rates=[250, 220]), TypeError, r"needs a unit.*200\*Hz"),
    (dict(pre_rates=200 * Hz, post_rates=[250, 220]), TypeError, "needs a unit"),
    (dict(pre_rates=200 * ms, post_rates=250 * Hz), TypeError, "wrong unit"),
    (dict(pre_rates=[200, -5] * Hz, post_rates=[250, 220] * Hz), ValueError, "positive"),
    (dict(pre_rates=[200, 0] * Hz, post_rates=[250, 220] * Hz), ValueError, "positive"),
    (dict(pre_rates=[200, 200] * Hz, post_rates=[250, 220, 210] * Hz), ValueError, "same length"),
    (dict(duration=0 * second), ValueError, "duration must be positive"),
    (dict(duration=-1 * second), ValueError, "duration must be positive"),
    (dict(duration=1), TypeError, "duration needs a unit"),
    (dict(post_rates=[250, 6000] * Hz), ValueError, "lower rate or a smaller dt"),
    (dict(post_rates=[250, 600] * Hz, dt=1 * ms), ValueError, "lower rate or a smaller dt"),
    (dict(w0=1.5), ValueError, "between 0 and gmax"),
    (dict(rule=THREAD_RULE.replace(taupre=20)), TypeError, "taupre needs a unit"),
    (dict(rule="thread"), TypeError, "PairRule"),
    (dict(post_phase=1.2), ValueError, r"\[0, 1\)"),
    (dict(post_phase=[0.1, 0.2, 0.3]), ValueError, "one number per condition"),
])
def test_bad_input_is_refused_with_a_message(kwargs, error, pattern):
    args = dict(pre_rates=[200, 200] * Hz, post_rates=[250, 220] * Hz, duration=10 * ms)
    args.update(kwargs)
    with pytest.raises(error, match=pattern):
        quiet_run(args.pop("pre_rates"), args.pop("post_rates"), args.pop("duration"), **args)


def test_mismatch_warning_fires_for_220_not_for_200():
    with pytest.warns(UserWarning, match=r"220 Hz runs at 200.00/217.39 Hz"):
        run_beat_experiment(200 * Hz, 220 * Hz, 10 * ms, warn_mismatch=True)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        run_beat_experiment(200 * Hz, 200 * Hz, 10 * ms, warn_mismatch=True)
        run_beat_experiment(200 * Hz, 250 * Hz, 10 * ms, warn_mismatch=True)
        run_beat_experiment(200 * Hz, 220 * Hz, 10 * ms)  # off by default
    assert [str(w.message) for w in caught if issubclass(w.category, UserWarning)
            and "requested rates" in str(w.message)] == []


def test_beat_mismatch_warns_even_when_rates_are_within_one_percent():
    # 210 Hz runs at 208.33 Hz (0.8 % off) but the beat is 8.33 Hz instead of 10 Hz (17 % off).
    with pytest.warns(UserWarning, match="beat 8.33 Hz instead of 10 Hz"):
        run_beat_experiment(200 * Hz, 210 * Hz, 10 * ms, warn_mismatch=True)


def test_independent_of_defaultclock_and_global_namespace():
    from brian2 import defaultclock
    old = defaultclock.dt
    try:
        defaultclock.dt = 1 * ms  # a different global clock must not matter
        taupre = 1 * second  # a global with the same name as a model constant must not leak in  # noqa: F841
        res = quiet_run(200 * Hz, 250 * Hz, 1 * second)
    finally:
        defaultclock.dt = old
    assert res.final_w[0] == pytest.approx(0.5243, abs=5e-5)


def _all_offset_runs(pre_rates_hz, post_rates_hz, duration, **params):
    """Run every post timing (all_offset_phases) of each condition in one network."""
    from helpers.pacemakers import all_offset_phases
    pre, post, phases, owner = [], [], [], []
    for c, (a, b) in enumerate(zip(pre_rates_hz, post_rates_hz)):
        p = all_offset_phases(b * Hz)
        pre += [a] * p.size
        post += [b] * p.size
        phases += list(p)
        owner += [c] * p.size
    res = quiet_run(np.array(pre) * Hz, np.array(post) * Hz, duration, post_phase=np.array(phases),
                    record_weights=False, **params)
    return res, np.array(owner)


def test_all_offset_average_equals_direct_sum_and_is_close_to_formula():
    # Averaged over all k timings of the post pacemaker, every step holds a post spike in exactly
    # one timing, so the mean weight change (no clipping) is (1/k) * sum over pre spikes a and all
    # steps b of W((b - a)*dt). This sum is computed here directly from the window.
    from helpers.pacemakers import steps_per_period
    from helpers.stdp import stdp_window
    carriers = [100, 200, 200, 200, 300]
    posts = [126, 205, 223, 250, 331]
    duration = 1 * second
    n = 10000
    res, owner = _all_offset_runs(carriers, posts, duration, w0=50, gmax=100)
    for c, (a, b) in enumerate(zip(carriers, posts)):
        measured = np.mean(res.final_w[owner == c] - 50)
        pre_steps = pacemaker_spike_steps(a * Hz, duration)
        lags = (np.arange(n)[None, :] - pre_steps[:, None]) * DT
        direct = stdp_window(lags).sum() / steps_per_period(b * Hz)
        assert measured == pytest.approx(direct, abs=TOL)
        # close to the continuous-time formula f_pre*f_post*(dApre*taupre + dApost*taupost)
        formula = float(effective_rate(a * Hz) * effective_rate(b * Hz)) * (0.02 - 0.021) * 0.02
        assert measured < 0 and 0.85 < measured / formula < 1.15


def test_phase_averaged_drift_ratio_does_not_depend_on_beat():
    carriers = [150] * 5
    posts = [152, 157, 163, 171, 190]
    res, owner = _all_offset_runs(carriers, posts, 1 * second, w0=50, gmax=100)
    drift = np.array([res.drift_per_second[owner == c].mean() for c in range(5)])
    formula = np.asarray(effective_rate([150] * 5 * Hz) * effective_rate(np.array(posts) * Hz)) * (-2e-5)
    ratio = drift / formula
    np.testing.assert_allclose(ratio, ratio[0], rtol=1e-9)


def test_long_run_phase_averaged_drift_matches_the_time_grid_formula():
    """Chapter 5's claim: on the 0.1 ms grid the long-run drift is about 10 % weaker than the
    continuous formula f_pre*f_post*(dApre*taupre + dApost*taupost).

    Averaged over every grid offset of the post train, each pre spike meets post spikes at
    lags k*dt with probability 1/b per lag (b = post period in steps), so it contributes
    (dApre*sum_{k>=0} q**k + dApost*sum_{k>=1} q**k)/b with q = exp(-dt/tau). The slope between
    2 s and 5 s removes the start/end transient. Weights are kept far from the bounds.
    """
    from helpers.pacemakers import all_offset_phases, steps_per_period

    dt, tau, dApre, dApost = 1e-4, 0.02, 0.02, -0.021
    pre_rate, post_rate = 200 * Hz, 250 * Hz
    b = steps_per_period(post_rate)
    q = np.exp(-dt / tau)
    per_pre_spike = (dApre / (1 - q) + dApost * q / (1 - q)) / b
    grid_drift = 200 * per_pre_spike  # pre spikes per second (200 Hz is exactly 50 steps)
    continuous_drift = 200 * 250 * (dApre * tau + dApost * tau)

    def mean_final(duration):
        pre = pacemaker_spike_steps(pre_rate, duration)
        finals = [stdp_reference(pre, pacemaker_spike_steps(post_rate, duration, phase=p), w0=50.0, gmax=100.0)
                  for p in all_offset_phases(post_rate)]
        return np.mean(finals)

    slope = (mean_final(5 * second) - mean_final(2 * second)) / 3.0
    assert slope == pytest.approx(grid_drift, rel=0.01)
    assert grid_drift / continuous_drift == pytest.approx(0.8975, abs=0.001)
