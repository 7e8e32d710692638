"""Chapter 7's claims: the triplet rule in Brian equals the plain-Python reference, the
reference equals hand calculations, and the frequency dependence is as the chapter says.
Also the chapter's formula for the mean change under Poisson timing."""
import dataclasses
import math

import numpy as np
import pytest
from brian2 import Hz, Network, NeuronGroup, Synapses, ms, second
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.pacemakers import PACEMAKER_EQS, pacemaker_spike_steps
from helpers.pairing import pair_sum_weight_change, pairing_spike_steps, run_pairing_protocol
from helpers.triplet import (
    TRIPLET_EQS,
    TRIPLET_ON_POST,
    TRIPLET_ON_PRE,
    VISUAL_CORTEX_MINIMAL,
    triplet_reference,
)

DT = 0.1 * ms
P = VISUAL_CORTEX_MINIMAL


# --- the reference against hand calculations ------------------------------------------

def test_minimal_rule_ignores_an_isolated_pre_post_pair():
    """A2_plus = 0: without an earlier post spike, pre -> post does not potentiate."""
    assert triplet_reference([100], [200], w0=0.5) == 0.5


def test_isolated_post_pre_pair_is_pair_depression():
    w = triplet_reference([300], [100], w0=0.5)
    assert w == pytest.approx(0.5 - P.A2_minus * math.exp(-20 / 33.7), rel=1e-14)


def test_post_pre_post_triplet_by_hand():
    """post at 0, pre at 10 ms, post at 20 ms: depression at the pre spike, triplet potentiation at the second post."""
    w = triplet_reference([100], [0, 200], w0=0.5, gmax=1.0)
    depression = P.A2_minus * math.exp(-10 / 33.7)
    potentiation = math.exp(-10 / 16.8) * P.A3_plus * math.exp(-20 / 114)  # r1 * A3+ * o2 (before its jump)
    assert w == pytest.approx(0.5 - depression + potentiation, rel=1e-14)


def test_full_rule_terms_by_hand():
    """All four amplitudes non-zero: pre, pre, post, pre."""
    params = dataclasses.replace(P, A2_plus=0.004, A3_minus=0.002)
    w = triplet_reference([0, 50, 300], [100], w0=0.5, rule=params)
    r1 = math.exp(-10 / 16.8) + math.exp(-5 / 16.8)                 # at the post spike (10 ms)
    up = r1 * (0.004 + P.A3_plus * 0.0)                               # o2 = 0 before the first post spike
    r2 = math.exp(-30 / 101) + math.exp(-25 / 101)                   # at the last pre spike (30 ms)
    down = math.exp(-20 / 33.7) * (P.A2_minus + 0.002 * r2)
    assert w == pytest.approx(0.5 + up - down, rel=1e-13)


def test_tau_x_does_not_matter_when_A3_minus_is_zero():
    pre, post = pairing_spike_steps(30 * Hz, -10 * ms, 20)
    other = dataclasses.replace(P, tau_x=5 * ms)
    assert triplet_reference(pre, post, rule=other) == triplet_reference(pre, post)


def test_clipping():
    pre, post = pairing_spike_steps(50 * Hz, 10 * ms, 30)
    assert triplet_reference(pre, post, w0=0.5, gmax=0.6) == 0.6
    assert triplet_reference(pre, post, w0=0.5, gmax=np.inf) > 0.8


# --- Brian against the reference --------------------------------------------------------

@pytest.mark.parametrize("lag, wmax", [(10 * ms, 1.0), (-10 * ms, 1.0), (0 * ms, 1.0), (4 * ms, np.inf),
                                       (10 * ms, 0.7), (-10 * ms, np.inf)])
def test_brian_triplet_pairing_equals_reference(lag, wmax):
    freqs = [10, 25, 40, 50] * Hz
    result = run_pairing_protocol(freqs, lag, 30, gmax=wmax, rule=P)
    for k, f in enumerate(freqs):
        pre, post = pairing_spike_steps(f, lag, 30)
        assert result.final_w[k] == pytest.approx(triplet_reference(pre, post, gmax=wmax), abs=1e-12)


def test_brian_triplet_on_pacemakers_equals_reference():
    """The chapter's beat network with the triplet synapse, against pacemaker spikes computed in numpy."""
    pre_rates = np.array([200, 200, 250, 20, 25])
    post_rates = np.array([250, 210, 200, 25, 20])
    n = len(pre_rates)
    group = NeuronGroup(2 * n, PACEMAKER_EQS, threshold="x > 1", reset="x = 0", method="euler", dt=DT)
    group.rate = np.concatenate([pre_rates, post_rates]) * Hz
    namespace = P.namespace(gmax=1.0)
    syn = Synapses(group[:n], group[n:], TRIPLET_EQS, on_pre=TRIPLET_ON_PRE, on_post=TRIPLET_ON_POST,
                   namespace=namespace, dt=DT)
    syn.connect(j="i")
    syn.w = 0.5
    Network(group, syn).run(300 * ms, namespace={})
    for k in range(n):
        pre = pacemaker_spike_steps(pre_rates[k] * Hz, 300 * ms, DT)
        post = pacemaker_spike_steps(post_rates[k] * Hz, 300 * ms, DT)
        assert syn.w[k] == pytest.approx(triplet_reference(pre, post, DT), abs=1e-12)


# --- the chapter's frequency claims --------------------------------------------------------

def _reference_changes(lag, freqs, rule):
    out = []
    for f in freqs:
        pre, post = pairing_spike_steps(f * Hz, lag, 30)
        out.append(rule(pre, post) - 0.5)
    return np.array(out)


def test_triplet_rule_potentiates_more_at_higher_frequency():
    freqs = np.arange(10, 51, 5)
    up = _reference_changes(10 * ms, freqs, triplet_reference)
    down = _reference_changes(-10 * ms, freqs, triplet_reference)
    assert np.all(np.diff(up) > 0) and np.all(up > 0)
    assert np.all(down[freqs <= 35] < 0) and np.all(down[freqs >= 40] > 0)   # sign change between 35 and 40 Hz


def test_pair_rule_potentiates_less_at_higher_frequency():
    from helpers.stdp import stdp_reference
    freqs = np.arange(10, 51, 5)
    up = _reference_changes(10 * ms, freqs, lambda a, b: stdp_reference(a, b, DT))
    down = _reference_changes(-10 * ms, freqs, lambda a, b: stdp_reference(a, b, DT))
    assert np.all(np.diff(up) < 0) and up[-1] < 0 < up[0]
    assert np.all(down < 0)


def test_brian_pair_and_triplet_runs_agree_with_references_for_the_chapter_table():
    freqs = [10, 35, 40, 50] * Hz
    pair = run_pairing_protocol(freqs, -10 * ms, 30)
    trip = run_pairing_protocol(freqs, -10 * ms, 30, rule=P)
    from helpers.stdp import stdp_reference
    for k, f in enumerate(freqs):
        pre, post = pairing_spike_steps(f, -10 * ms, 30)
        assert pair.final_w[k] == pytest.approx(stdp_reference(pre, post, DT), abs=1e-12)
        assert trip.final_w[k] == pytest.approx(triplet_reference(pre, post, DT), abs=1e-12)


# --- the chapter's Poisson formula ----------------------------------------------------------

def _poisson_formula(nu_pre, nu_post, T, dApre=0.02, dApost=-0.021, tau=0.02):
    side = lambda a: a * tau * (T - tau * (1 - math.exp(-T / tau)))
    return nu_pre * nu_post * (side(dApre) + side(dApost))


def test_poisson_formula_against_numpy_monte_carlo():
    """Mean of the all-pairs window sum over seeded numpy Poisson trains (no Brian)."""
    rng = np.random.default_rng(12345)
    T, nu_pre, nu_post = 0.2, 200.0, 250.0
    changes = []
    for _ in range(1500):
        pre = np.sort(rng.uniform(0, T, rng.poisson(nu_pre * T)))
        post = np.sort(rng.uniform(0, T, rng.poisson(nu_post * T)))
        changes.append(pair_sum_weight_change(pre * second, post * second))
    changes = np.array(changes)
    sem = changes.std() / np.sqrt(len(changes))
    expected = _poisson_formula(nu_pre, nu_post, T)
    assert expected == pytest.approx(-0.18, abs=0.001)
    assert abs(changes.mean() - expected) < 4 * sem
    assert sem < 0.015  # the test has power: the formula's -0.18 is > 10 standard errors from 0


# --- bad input ------------------------------------------------------------------------

def test_bad_input():
    with pytest.raises(ValueError, match=">= 0"):
        triplet_reference([1], [2], rule=dataclasses.replace(P, A2_minus=-0.1))
    with pytest.raises(TypeError, match="tau_y needs a unit"):
        triplet_reference([1], [2], rule=dataclasses.replace(P, tau_y=0.1))
    with pytest.raises(ValueError, match="w0 must lie between 0 and gmax"):
        triplet_reference([1], [2], w0=2.0)
    with pytest.raises(TypeError, match="whole time-step"):
        triplet_reference([1.5], [2])
    with pytest.raises(ValueError, match="strictly increasing"):
        triplet_reference([5, 3], [2])
    with pytest.raises(TypeError, match="needs a unit"):
        run_pairing_protocol([10, 20], 10 * ms, 5, rule=P)


# --- properties on random spike trains (hypothesis) --------------------------------------------

trains = st.lists(st.integers(0, 3000), max_size=12, unique=True).map(sorted)
amplitudes = st.floats(0, 0.5)
rules = st.builds(
    lambda a2p, a3p, a2m, a3m, taus: P.replace(A2_plus=a2p, A3_plus=a3p, A2_minus=a2m, A3_minus=a3m,
                                              tau_plus=taus[0] * ms, tau_x=taus[1] * ms,
                                              tau_minus=taus[2] * ms, tau_y=taus[3] * ms),
    amplitudes, amplitudes, amplitudes, amplitudes, st.tuples(*[st.floats(1, 150)] * 4))


@settings(max_examples=60, deadline=None)
@given(pre=trains, post=trains, rule=rules, gmax=st.floats(0.1, 2), fraction=st.floats(0, 1))
def test_weight_stays_between_zero_and_gmax(pre, post, rule, gmax, fraction):
    w = triplet_reference(pre, post, DT, rule=rule, w0=fraction * gmax, gmax=gmax)
    assert 0.0 <= w <= gmax


@settings(max_examples=40, deadline=None)
@given(pre=trains, post=trains, w0=st.floats(0, 1))
def test_zero_amplitudes_leave_the_weight_unchanged(pre, post, w0):
    silent = P.replace(A2_plus=0.0, A3_plus=0.0, A2_minus=0.0, A3_minus=0.0)
    assert triplet_reference(pre, post, DT, rule=silent, w0=w0) == w0
