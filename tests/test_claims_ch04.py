"""Chapter 4's claims ("The STDP rule"), checked against calculations that do not use Brian:
the exponential window formula, the closed forms for regularly repeated pairings, the
event-by-event reference helpers.stdp.stdp_reference (all-to-all), and a small event-by-event
nearest-neighbour reference written below. Every Brian network is an explicit Network."""
import math

import numpy as np
import pytest
from brian2 import Hz, Network, NeuronGroup, SpikeGeneratorGroup, SpikeMonitor, StateMonitor, Synapses, ms, second

from helpers.pacemakers import pacemaker_spike_steps
from helpers.stdp import stdp_reference, stdp_window

TAU = 0.020
DAPRE = 0.02
DAPOST = -DAPRE * 1.05
W0 = 0.5
NAMESPACE = {"taupre": 20 * ms, "taupost": 20 * ms, "gmax": 1.0, "dApre": DAPRE, "dApost": DAPOST}
STDP_EQS = """
w : 1
dApre/dt = -Apre/taupre : 1 (event-driven)
dApost/dt = -Apost/taupost : 1 (event-driven)
"""
ALL_PRE = "Apre += dApre\nw = clip(w + Apost, 0, gmax)"
ALL_POST = "Apost += dApost\nw = clip(w + Apre, 0, gmax)"
NEAREST_PRE = "Apre = dApre\nw = clip(w + Apost, 0, gmax)"
NEAREST_POST = "Apost = dApost\nw = clip(w + Apre, 0, gmax)"


def _pairs_network(index, pre_times_s, post_times_s, n, duration, nearest=False):
    """One pre/post SpikeGeneratorGroup pair per condition, one STDP synapse each; final weights."""
    pre = SpikeGeneratorGroup(n, index, np.asarray(pre_times_s) * second)
    post = SpikeGeneratorGroup(n, index, np.asarray(post_times_s) * second)
    syn = Synapses(pre, post, STDP_EQS, on_pre=NEAREST_PRE if nearest else ALL_PRE,
                   on_post=NEAREST_POST if nearest else ALL_POST, namespace=NAMESPACE)
    syn.connect(j="i")
    syn.w = W0
    Network(pre, post, syn).run(duration)
    return syn.w[:].copy()


def _window_formula(lag_s):
    lag_s = np.asarray(lag_s, dtype=float)
    return np.where(lag_s >= 0, DAPRE * np.exp(-lag_s / TAU), DAPOST * np.exp(lag_s / TAU))


def _s_n(N, q):
    return (N - (N + 1) * q + q ** (N + 1)) / (1 - q) ** 2


def closed_form(N, T, s):
    """All-to-all total for N pairings (pre k*T, post k*T + s), 0 <= s < T, no clipping."""
    S = _s_n(N, math.exp(-T / TAU))
    return DAPRE * math.exp(-s / TAU) * S + DAPOST * math.exp(s / TAU) * (S - N)


def nearest_closed_form(N, T, s):
    return N * DAPRE * math.exp(-s / TAU) + (N - 1) * DAPOST * math.exp(-(T - s) / TAU)


def nearest_reference(pre_steps, post_steps, dt=1e-4, w0=W0, gmax=1.0):
    """Event-by-event symmetric nearest-spike rule, in plain Python.

    Each post spike adds dApre*exp(-(t - t_last_pre)/tau) for the latest pre spike at or
    before it (same step counts: pre is processed first); each pre spike adds
    dApost*exp(-(t - t_last_post)/tau) for the latest post spike strictly before it.
    Clipped to [0, gmax] after each event.
    """
    events = sorted([(int(s), 0) for s in pre_steps] + [(int(s), 1) for s in post_steps])
    w, last_pre, last_post = w0, None, None
    for step, kind in events:
        t = step * dt
        if kind == 0:
            if last_post is not None:
                w += DAPOST * math.exp(-(t - last_post) / TAU)
            last_pre = t
        else:
            if last_pre is not None:
                w += DAPRE * math.exp(-(t - last_pre) / TAU)
            last_post = t
        w = min(max(w, 0.0), gmax)
    return w


def test_window_brian_matches_formula_for_401_lags():
    lags = np.arange(-1000, 1001, 5) * 1e-4
    n = lags.size
    w = _pairs_network(np.arange(n), np.full(n, 0.15), 0.15 + lags, n, 300 * ms)
    dw = w - W0
    assert np.max(np.abs(dw - _window_formula(lags))) < 1e-15
    assert np.max(np.abs(dw - stdp_window(lags * second))) < 1e-15
    assert dw[lags == 0][0] == pytest.approx(DAPRE)         # simultaneous spikes count as pre-then-post
    assert dw[0] == pytest.approx(DAPOST * math.exp(-5))     # lag -100 ms
    # the window has a slightly negative area, as the chapter says (1.05)
    assert DAPRE * TAU + DAPOST * TAU < 0


def test_all_to_all_equals_sum_over_all_pairs_for_random_trains():
    """The principle behind the closed form, checked with the independent reference."""
    rng = np.random.default_rng(3)
    for _ in range(5):
        pre = np.unique(rng.integers(0, 3000, 12))
        post = np.unique(rng.integers(0, 3000, 12))
        total = sum(float(_window_formula((p - q) * 1e-4)) for q in pre for p in post)
        assert stdp_reference(pre, post, w0=0.5, gmax=10.0) - 0.5 == pytest.approx(total, abs=1e-12)


@pytest.mark.parametrize("N", [1, 2, 5, 10, 50])
@pytest.mark.parametrize("T_steps,s_steps", [(100, 50), (200, 50), (200, 0), (150, 120), (1000, 20)])
def test_closed_form_matches_event_reference(N, T_steps, s_steps):
    pre = np.arange(N) * T_steps + 10
    reference = stdp_reference(pre, pre + s_steps, w0=5.0, gmax=100.0) - 5.0   # far from the bounds
    assert closed_form(N, T_steps * 1e-4, s_steps * 1e-4) == pytest.approx(reference, rel=1e-10, abs=1e-14)


PERIODS_MS = [10, 15, 20, 30, 40, 60, 80, 100, 150, 200]


def _repeated(nearest):
    N, s = 10, 5e-3
    index, pre_t, post_t = [], [], []
    for k, T in enumerate(PERIODS_MS):
        times = 1e-3 + np.arange(N) * T * 1e-3
        index += [k] * N
        pre_t += list(times)
        post_t += list(times + s)
    return _pairs_network(index, pre_t, post_t, len(PERIODS_MS), 2010 * ms, nearest=nearest) - W0


def test_repeated_pairings_all_to_all_match_closed_form_and_N_times_single_only_when_apart():
    totals = _repeated(nearest=False)
    single = float(_window_formula(5e-3))
    for k, T in enumerate(PERIODS_MS):
        assert totals[k] == pytest.approx(closed_form(10, T * 1e-3, 5e-3), abs=1e-14)
    ratio = totals / (10 * single)
    by_T = dict(zip(PERIODS_MS, ratio))
    # "number x single change" holds to 0.5 % from T = 5 tau = 100 ms ...
    for T in (100, 150, 200):
        assert abs(by_T[T] - 1) < 5e-3
    assert abs(by_T[150] - 1) < 1e-3
    # ... and fails badly at 50 Hz and 100 Hz (the chapter prints 0.642 and 0.157)
    assert round(by_T[20], 3) == 0.642
    assert round(by_T[10], 3) == 0.157
    assert np.all(np.diff(ratio) > 0)


def test_repeated_pairings_nearest_match_nearest_closed_form():
    totals = _repeated(nearest=True)
    for k, T in enumerate(PERIODS_MS):
        assert totals[k] == pytest.approx(nearest_closed_form(10, T * 1e-3, 5e-3), abs=1e-14)
    all_to_all = _repeated(nearest=False)
    assert totals[PERIODS_MS.index(20)] < all_to_all[PERIODS_MS.index(20)]
    assert abs(totals[-1] - all_to_all[-1]) < 1e-5          # the schemes agree when pairings are far apart


def test_clipping_stops_weights_at_bounds_and_matches_reference():
    N, T = 40, 0.1
    times = 5e-3 + np.arange(N) * T
    index = [0] * N + [1] * N
    pre_t = list(times) * 2
    post_t = list(times + 2e-3) + list(times - 2e-3)
    pre = SpikeGeneratorGroup(2, index, np.asarray(pre_t) * second)
    post = SpikeGeneratorGroup(2, index, np.asarray(post_t) * second)
    syn = Synapses(pre, post, STDP_EQS, on_pre=ALL_PRE, on_post=ALL_POST, namespace=NAMESPACE)
    syn.connect(j="i")
    syn.w = W0
    mon = StateMonitor(syn, "w", record=True)
    Network(pre, post, syn, mon).run(N * T * second)
    assert syn.w[0] == 1.0 and syn.w[1] == 0.0
    steps = np.round(times / 1e-4).astype(int)
    assert syn.w[0] == stdp_reference(steps, steps + 20)
    assert syn.w[1] == stdp_reference(steps, steps - 20)
    # unclipped predictions printed by the chapter lie outside [0, 1]
    assert W0 + N * float(_window_formula(2e-3)) == pytest.approx(1.2238699344, abs=1e-9)
    assert W0 + N * float(_window_formula(-2e-3)) == pytest.approx(-0.2600634312, abs=1e-9)
    # before any bound is reached the weight follows the closed form (after 20 pairings)
    t20 = int(round((times[19] + 3e-3) / 1e-4))
    assert mon.w[0, t20] == pytest.approx(W0 + closed_form(20, T, 2e-3), abs=1e-12)
    # saturation times quoted in the figure's description: about 2.7 s and 2.6 s
    for k, bound in ((0, 1.0), (1, 0.0)):
        first = np.argmax(mon.w[k] == bound)
        # after that it stays at the bound, up to the tiny interactions with neighbouring pairings
        assert first > 0 and np.all(np.abs(mon.w[k, first:] - bound) < 1e-3)
        assert abs(mon.t[first] / second - (2.7 if k == 0 else 2.6)) < 0.06


def _thread_network():
    group = NeuronGroup(6, "dx/dt = rate : 1\nrate : 1/second (constant)", threshold="x > 1", reset="x = 0",
                        method="euler")
    group.rate = [200, 200, 200, 250, 220, 210] * Hz
    syn_all = Synapses(group[:3], group[3:], STDP_EQS, on_pre=ALL_PRE, on_post=ALL_POST, namespace=NAMESPACE)
    syn_nn = Synapses(group[:3], group[3:], STDP_EQS, on_pre=NEAREST_PRE, on_post=NEAREST_POST,
                      namespace=NAMESPACE)
    for syn in (syn_all, syn_nn):
        syn.connect(j="i")
        syn.w = W0
    spikes = SpikeMonitor(group)
    Network(group, syn_all, syn_nn, spikes).run(1 * second)
    return syn_all.w[:].copy(), syn_nn.w[:].copy(), spikes


def test_thread_pacemakers_under_both_schemes_match_event_references():
    w_all, w_nn, spikes = _thread_network()
    pre_steps = pacemaker_spike_steps(200 * Hz, 1 * second)
    expected_all, expected_nn = [], []
    for k, post_rate in enumerate([250, 220, 210]):
        post_steps = pacemaker_spike_steps(post_rate * Hz, 1 * second)
        # Brian's spikes are the predicted ones
        assert np.array_equal(np.round(np.asarray(spikes.spike_trains()[3 + k] / ms) * 10).astype(int), post_steps)
        expected_all.append(stdp_reference(pre_steps, post_steps))
        expected_nn.append(nearest_reference(pre_steps, post_steps))
    assert np.allclose(w_all, expected_all, atol=1e-12)
    assert np.allclose(w_nn, expected_nn, atol=1e-12)
    # the chapter's statements: all-to-all 0.52 / 0 / 0, nearest 1 / 0.60 / 0.44
    assert np.round(w_all, 6).tolist() == [0.524298, 0.0, 0.0]
    assert np.round(w_nn, 6).tolist() == [1.0, 0.596484, 0.44415]


def test_nearest_reference_agrees_with_closed_form():
    """The test's own nearest-neighbour reference is itself checked against the formula."""
    for T_steps, s_steps in ((100, 50), (200, 50), (400, 10)):
        pre = np.arange(10) * T_steps + 10
        total = nearest_reference(pre, pre + s_steps, w0=5.0, gmax=100.0) - 5.0
        assert total == pytest.approx(nearest_closed_form(10, T_steps * 1e-4, s_steps * 1e-4), rel=1e-12)


def test_all_to_all_weight_jumps_within_beat_and_ends_clipped_at_zero():
    """The chapter: for 200/220 Hz the run ends right after a pre spike that clips w to 0,
    while in the last 100 ms the weight exceeded 0.1 several times."""
    trace = stdp_reference(pacemaker_spike_steps(200 * Hz, 1 * second),
                           pacemaker_spike_steps(220 * Hz, 1 * second), record=True)
    assert trace.kinds[-1] == "pre" and trace.final_w == 0.0
    late = trace.steps >= 9000
    assert np.sum(trace.w[late] > 0.1) >= 3


def test_balance_lag_of_50_pairings_at_50_hz():
    N, T = 50, 20e-3
    S = _s_n(N, math.exp(-T / TAU))
    s_star = -TAU / 2 * math.log(1.05 * (S - N) / S)
    assert closed_form(N, T, s_star) == pytest.approx(0, abs=1e-15)
    assert s_star * 1e3 == pytest.approx(9.71653, abs=1e-5)
    # Brian on a 0.1 ms grid of lags around s*: the sign changes between 9.7 and 9.8 ms
    lags_steps = np.arange(95, 100)
    times = 1e-3 + np.arange(N) * T
    index = np.repeat(np.arange(lags_steps.size), N)
    pre_t = np.tile(times, lags_steps.size)
    post_t = np.concatenate([times + s * 1e-4 for s in lags_steps])
    totals = _pairs_network(index, pre_t, post_t, lags_steps.size, 1020 * ms) - W0
    assert np.all(totals[lags_steps <= 97] > 0) and np.all(totals[lags_steps >= 98] < 0)
    for k, s in enumerate(lags_steps):
        assert totals[k] == pytest.approx(closed_form(N, T, s * 1e-4), abs=1e-12)
    # many pairings: the limit -tau/2 ln(1.05 q) = 9.52 ms, and the single pair never balances
    assert -TAU / 2 * math.log(1.05 * math.exp(-T / TAU)) * 1e3 == pytest.approx(9.5121, abs=1e-4)
    assert np.all(_window_formula(np.linspace(0, T, 50)) > 0)


def test_recorded_traces_and_weight_jumps_of_three_pairings():
    """The traces section: clock-driven traces recorded by a StateMonitor; w changes only at
    spikes, each time by the other side's trace summed over all earlier spikes (all-to-all);
    the big jumps are the single-pair window values up to 3.3e-4; the recorded traces are
    the exact exponential decays."""
    pre_ms, post_ms = [10, 130, 210], [20, 120, 212]
    pre = SpikeGeneratorGroup(1, [0, 0, 0], np.array(pre_ms) * ms)
    post = SpikeGeneratorGroup(1, [0, 0, 0], np.array(post_ms) * ms)
    eqs = STDP_EQS.replace("event-driven", "clock-driven")
    syn = Synapses(pre, post, eqs, on_pre=ALL_PRE, on_post=ALL_POST, method="exact", namespace=NAMESPACE)
    syn.connect()
    syn.w = W0
    mon = StateMonitor(syn, ["Apre", "Apost", "w"], record=0)
    Network(pre, post, syn, mon).run(300 * ms)
    w = np.asarray(mon.w[0])
    steps = np.flatnonzero(np.diff(w))
    spike_steps = sorted(10 * t for t in pre_ms + post_ms if t != 10)  # the first pre spike finds Apost = 0
    assert steps.tolist() == spike_steps
    pre_s, post_s = np.array(pre_ms) * 1e-3, np.array(post_ms) * 1e-3

    def expected_jump(t, side):
        if side == "post":  # adds Apre: every earlier pre spike, decayed
            return sum(DAPRE * math.exp(-(t - tp) / TAU) for tp in pre_s if tp <= t)
        return sum(DAPOST * math.exp(-(t - tq) / TAU) for tq in post_s if tq < t)

    for step in steps:
        t = step * 1e-4
        side = "post" if any(abs(t - tq) < 1e-9 for tq in post_s) else "pre"
        assert w[step + 1] - w[step] == pytest.approx(expected_jump(t, side), abs=1e-12)
    big = [w[s + 1] - w[s] for s in steps if abs(w[s + 1] - w[s]) > 1e-3]
    single = [stdp_window(10 * ms), stdp_window(-10 * ms), stdp_window(2 * ms)]
    assert np.max(np.abs(np.array(big) - single)) == pytest.approx(3.3e-4, abs=0.1e-4)
    # between spikes the recorded Apre decays exactly: ratio exp(-dt/tau) per step
    apre = np.asarray(mon.Apre[0])
    assert apre[500] / apre[499] == pytest.approx(math.exp(-1e-4 / TAU), rel=1e-12)
    assert apre.max() == pytest.approx(DAPRE + DAPRE * math.exp(-0.08 / TAU), rel=1e-3)
