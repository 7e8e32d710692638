"""helpers.stdp agrees with the analytic STDP window and with Brian's event-driven synapses.

Three independent sides meet here:
- the analytic window ``dApre*exp(-lag/taupre)`` / ``dApost*exp(lag/taupost)``;
- the event-by-event numpy reference ``stdp_reference`` (no Brian network);
- Brian networks written out in this file (the thread's network, and a vectorized one
  with random parameters per synapse), independent of ``helpers.beats``.
"""
import numpy as np
import pytest
from brian2 import Hz, Network, NeuronGroup, SpikeMonitor, StateMonitor, Synapses, ms, second
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.pacemakers import pacemaker_spike_steps
from helpers.pairing import pair_sum_weight_change
from helpers.stdp import THREAD_RULE, PairRule, stdp_reference, stdp_window

DT = 0.1 * ms
TOL = 1e-9


# --- the analytic window ------------------------------------------------------------------

def test_window_formula_and_sign_convention():
    lags = np.array([-30, -5, -0.1, 0, 0.1, 5, 30]) * ms
    expected = np.where(np.asarray(lags) >= 0, 0.02 * np.exp(-np.asarray(lags) / 0.02),
                        -0.021 * np.exp(np.asarray(lags) / 0.02))
    np.testing.assert_allclose(stdp_window(lags), expected, rtol=1e-12)
    assert stdp_window(0 * ms) == pytest.approx(0.02)  # simultaneous counts as pre-then-post
    assert THREAD_RULE.dApost == pytest.approx(-0.021)
    rule = THREAD_RULE.replace(taupre=10 * ms, taupost=30 * ms, dApre=0.01)
    assert stdp_window(-10 * ms, rule) == pytest.approx(
        -0.01 * 10 / 30 * 1.05 * np.exp(-10 / 30))


def test_isolated_pairs_match_window():
    rng = np.random.default_rng(3)
    for _ in range(200):
        pre = int(rng.integers(0, 2000))
        post = int(rng.integers(0, 2000))
        taupre, taupost = rng.uniform(2, 50) * ms, rng.uniform(2, 50) * ms
        dApre = rng.uniform(0.001, 0.05)
        rule = THREAD_RULE.replace(taupre=taupre, taupost=taupost, dApre=dApre)
        w = stdp_reference([pre], [post], rule=rule)
        expected = 0.5 + stdp_window((post - pre) * DT, rule)
        assert w == pytest.approx(expected, abs=1e-12)


def test_well_separated_pairs_add_up():
    # Pairs 1 s apart (50 time constants): each adds one window value.
    lag_steps = 70  # post 7 ms after pre
    pre = np.arange(5) * 10000
    w = stdp_reference(pre, pre + lag_steps, w0=0.2)
    assert w == pytest.approx(0.2 + 5 * 0.02 * np.exp(-7 / 20), abs=1e-12)


def test_all_to_all_interaction_formula():
    # Two pre spikes at 0 and 5 ms, one post at 10 ms: the post collects both traces.
    w = stdp_reference([0, 50], [100])
    assert w == pytest.approx(0.5 + 0.02 * (np.exp(-10 / 20) + np.exp(-5 / 20)), abs=1e-12)
    # One post at 0, pre spikes at 5 and 10 ms: each pre adds the decayed post trace.
    w = stdp_reference([50, 100], [0])
    assert w == pytest.approx(0.5 - 0.021 * (np.exp(-5 / 20) + np.exp(-10 / 20)), abs=1e-12)


def test_clipping_after_every_update():
    # 60 potentiating pairs (post 0.1 ms after pre), 1 s apart, from w0 = 0.9 would reach
    # 0.9 + 60*0.0199 = 2.09 without clipping; with clipping w stays at gmax = 1. A final
    # depressing pair (post 0.1 ms *before* pre) then lowers w from 1, not from 2.09.
    pre = np.arange(60) * 10000
    w = stdp_reference(np.append(pre, 600001), np.append(pre + 1, 600000), w0=0.9)
    assert w == pytest.approx(1.0 + stdp_window(-0.1 * ms), abs=1e-12)
    assert stdp_reference([0], [], w0=0.01) == 0.01  # a pre spike alone changes nothing
    assert stdp_reference([10], [0], w0=0.01) == 0.0  # depression clipped at 0


def test_record_gives_history_and_monitor_view():
    trace = stdp_reference([0, 50, 100], [20, 100], record=True)
    assert list(trace.kinds) == ["pre", "post", "pre", "pre", "post"]  # pre before post in step 100
    assert list(trace.steps) == [0, 20, 50, 100, 100]
    assert trace.final_w == trace.w[-1]
    np.testing.assert_allclose(np.asarray(trace.times / ms), [0, 2, 5, 10, 10])
    # the weight at the start of step 100 excludes both events of step 100
    assert trace.w_at_steps([0, 21, 100, 101]).tolist() == [0.5, trace.w[1], trace.w[2], trace.w[4]]


def test_bad_input_messages():
    with pytest.raises(ValueError, match="strictly increasing"):
        stdp_reference([5, 3], [1])
    with pytest.raises(ValueError, match="negative"):
        stdp_reference([-1], [1])
    with pytest.raises(TypeError, match="whole time-step"):
        stdp_reference([1.5], [1])
    with pytest.raises(ValueError, match="between 0 and gmax"):
        stdp_reference([1], [2], w0=1.5)
    with pytest.raises(TypeError, match="unit"):
        stdp_reference([1], [2], rule=THREAD_RULE.replace(taupre=20))
    with pytest.raises(TypeError, match="unit"):
        stdp_window(5)
    with pytest.raises(TypeError, match="plain number"):
        stdp_reference([1], [2], rule=THREAD_RULE.replace(dApre=0.02 * ms))
    with pytest.raises(TypeError, match="PairRule"):
        stdp_reference([1], [2], rule=dict(dApre=0.02))


# --- Brian versus the reference -------------------------------------------------------------

def thread_network():
    """The forum thread's network, written out as in the thread (one network, three pairs)."""
    neurons = NeuronGroup(6, "dx/dt = rate : 1\nrate : 1/second (constant)",
                          threshold="x>1", reset="x=0", method="euler")
    pre, post = neurons[:3], neurons[3:]
    pre.rate = 200 / second
    post.rate = [250, 220, 210] / second
    namespace = dict(taupre=20 * ms, taupost=20 * ms, gmax=1, dApre=0.02, dApost=-0.02 * 1.05)
    syn = Synapses(pre, post, """w : 1
                   dApre/dt = -Apre / taupre : 1 (event-driven)
                   dApost/dt = -Apost / taupost : 1 (event-driven)""",
                   on_pre="Apre += dApre\nw = clip(w + Apost, 0, gmax)",
                   on_post="Apost += dApost\nw = clip(w + Apre, 0, gmax)", namespace=namespace)
    syn.connect(j="i")
    syn.w = 0.5
    mon = StateMonitor(syn, "w", record=True)
    net = Network(neurons, syn, mon)
    net.run(1 * second)
    return np.array(syn.w[:]), np.array(mon.w[:])


def test_thread_final_weights_and_trajectories():
    final, traj = thread_network()
    np.testing.assert_allclose(final, [0.5243, 0.0, 0.0], atol=5e-5)  # the values to 4 decimals
    pre = pacemaker_spike_steps(200 * Hz, 1 * second)
    diffs = []
    for k, rate in enumerate([250, 220, 210]):
        trace = stdp_reference(pre, pacemaker_spike_steps(rate * Hz, 1 * second), record=True)
        diffs.append(abs(final[k] - trace.final_w))
        diffs.append(np.max(np.abs(traj[k] - trace.w_at_steps(np.arange(10000)))))
    print(f"thread network: largest |Brian - reference| = {max(diffs):.3g}")
    assert max(diffs) < TOL


def random_parameter_network(n, duration, rng):
    """n synapses, each with its own rates, phases and STDP parameters, in one Brian network."""
    pre_rates = rng.uniform(20, 600, n)
    post_rates = pre_rates + rng.uniform(-60, 60, n)
    post_rates = np.clip(post_rates, 5, None)
    pre_phase, post_phase = rng.uniform(0, 1, n), rng.uniform(0, 1, n)
    params = dict(taupre=rng.uniform(3, 40, n) * 1e-3, taupost=rng.uniform(3, 40, n) * 1e-3,
                  dApre=rng.uniform(0.002, 0.05, n), gmax=rng.uniform(0.5, 2, n))
    params["ratio"] = rng.uniform(0.8, 1.3, n)
    params["dApost"] = -params["dApre"] * (params["taupre"] / params["taupost"]) * params["ratio"]
    params["w0"] = rng.uniform(0, 1, n) * params["gmax"]
    neurons = NeuronGroup(2 * n, "dx/dt = rate : 1\nrate : 1/second (constant)",
                          threshold="x>1", reset="x=0", method="euler")
    neurons.rate = np.concatenate([pre_rates, post_rates]) * Hz
    neurons.x = np.concatenate([pre_phase, post_phase])
    syn = Synapses(neurons[:n], neurons[n:], """w : 1
                   taupre : second (constant)
                   taupost : second (constant)
                   dApre : 1 (constant)
                   dApost : 1 (constant)
                   gmax : 1 (constant)
                   dAprevar/dt = -Aprevar / taupre : 1 (event-driven)
                   dApostvar/dt = -Apostvar / taupost : 1 (event-driven)""",
                   on_pre="Aprevar += dApre\nw = clip(w + Apostvar, 0, gmax)",
                   on_post="Apostvar += dApost\nw = clip(w + Aprevar, 0, gmax)")
    syn.connect(j="i")
    syn.taupre = params["taupre"] * second
    syn.taupost = params["taupost"] * second
    for name in ("dApre", "dApost", "gmax"):
        setattr(syn, name, params[name])
    syn.w = params["w0"]
    spikes = SpikeMonitor(neurons)
    net = Network(neurons, syn, spikes)
    net.run(duration, namespace={})
    trains = spikes.spike_trains()
    return pre_rates, post_rates, pre_phase, post_phase, params, np.array(syn.w[:]), trains


@pytest.mark.parametrize("seed, duration", [(11, 0.3137 * second), (12, 0.77 * second), (13, 1.2 * second)])
def test_random_cases_brian_vs_reference(seed, duration):
    rng = np.random.default_rng(seed)
    n = 20
    pre_r, post_r, pre_p, post_p, params, final, trains = random_parameter_network(n, duration, rng)
    diffs = []
    for k in range(n):
        pre = pacemaker_spike_steps(pre_r[k] * Hz, duration, phase=pre_p[k])
        post = pacemaker_spike_steps(post_r[k] * Hz, duration, phase=post_p[k])
        # the reference uses spike steps predicted without Brian; they must be Brian's spikes
        assert np.array_equal(pre, np.round(np.asarray(trains[k] / DT)).astype(int))
        assert np.array_equal(post, np.round(np.asarray(trains[n + k] / DT)).astype(int))
        rule = PairRule(taupre=params["taupre"][k] * second, taupost=params["taupost"][k] * second,
                        dApre=params["dApre"][k], depression_ratio=params["ratio"][k])
        ref = stdp_reference(pre, post, rule=rule, w0=params["w0"][k], gmax=params["gmax"][k])
        diffs.append(abs(final[k] - ref))
    print(f"random cases seed {seed}: largest |Brian - reference| = {max(diffs):.3g}")
    assert max(diffs) < TOL
    # the cases are not trivial: some weights moved a lot, some hit a bound
    moved = np.abs(final - params["w0"])
    assert np.max(moved) > 0.05


# --- properties on random spike trains (hypothesis) --------------------------------------------


trains = st.lists(st.integers(0, 3000), max_size=12, unique=True).map(sorted)
unequal_rules = st.builds(
    lambda taupre, taupost, dApre, ratio: THREAD_RULE.replace(taupre=taupre * ms, taupost=taupost * ms,
                                                              dApre=dApre, depression_ratio=ratio),
    taupre=st.floats(1, 60), taupost=st.floats(1, 60), dApre=st.floats(0.001, 0.05), ratio=st.floats(0, 2))


@settings(max_examples=60, deadline=None)
@given(pre=trains, post=trains, rule=unequal_rules)
def test_reference_is_the_pair_sum_when_nothing_is_clipped(pre, post, rule):
    # Far from both bounds (gmax = inf, w0 above the largest possible depression) the trace rule
    # adds the window of every pre/post pair, whatever the two time constants.
    largest_step = max(abs(rule.dApre), abs(rule.dApost))
    w0 = 1.0 + len(pre) * len(post) * largest_step
    w = stdp_reference(pre, post, DT, rule=rule, w0=w0, gmax=float("inf"))
    expected = pair_sum_weight_change(np.array(pre) * DT, np.array(post) * DT, rule=rule)
    assert w - w0 == pytest.approx(expected, abs=1e-12 * w0)
