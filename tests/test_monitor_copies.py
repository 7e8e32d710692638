"""Recorded data outlives its network intact.

From brian2 2.10 on, ``mon.t[:]``, ``mon.w[:]`` and similar reads of monitor variables are
views onto memory that Brian frees together with the network: kept past it, they read
whatever is written there next (seen: ``[4.6e-310, 5.9e+67, ...]``), at random. Every helper
that returns recorded data therefore copies it. Each test here runs a helper, lets its
network go, collects garbage several times while other arrays and another network take
the freed memory, and only then compares the returned data with an independent reference
(the event-by-event STDP reference, the pacemakers' analytic steps, the exact EPSP).
brian2 2.9.0 (Python 3.11) does not make such views; the tests pass there too.
"""
import gc

import numpy as np
import pytest
from brian2 import Hz, Network, NeuronGroup, SpikeMonitor, StateMonitor, mV, ms, second

from helpers.beats import run_beat_experiment
from helpers.epsp import epsp_shape, measure_epsp
from helpers.lif import reference_spike_times
from helpers.pacemakers import pacemaker_spike_steps
from helpers.pairing import pairing_spike_steps, run_pairing_protocol
from helpers.stdp import stdp_reference

DT = 0.1 * ms
SENTINEL = -1.2345e300


def _reuse_freed_memory():
    """Collect garbage, then fill freed memory: new arrays of many sizes, another network.

    Returns what it allocated; keep it alive until the comparison is done.
    """
    kept = []
    for _ in range(3):
        gc.collect()
        kept.append([np.full(n, SENTINEL) for n in (1, 8, 64, 512, 4096, 32_768, 262_144)])
        group = NeuronGroup(8, "dx/dt = 333*Hz : 1", threshold="x > 1", reset="x = 0", method="euler")
        spikes = SpikeMonitor(group)
        trace = StateMonitor(group, "x", record=True)
        Network(group, spikes, trace).run(50 * ms)
        kept.append(np.array(trace.x[:]))
        del group, spikes, trace
    gc.collect()
    return kept


def _steps(times):
    return np.round(np.asarray(times / DT)).astype(np.int64)


def test_beat_experiment_times_weights_and_trains_survive_the_network():
    pre, post = [200, 250, 150] * Hz, [217, 242, 150] * Hz
    phases = np.array([0.0, 0.3, 0.7])
    duration = 300 * ms
    result = run_beat_experiment(pre, post, duration, post_phase=phases, record_weights=True,
                                 warn_mismatch=False)
    kept = _reuse_freed_memory()
    n_steps = int(round(float(duration / DT)))
    assert np.array_equal(_steps(result.t), np.arange(n_steps))
    for k in range(3):
        pre_steps = pacemaker_spike_steps(pre[k], duration)
        post_steps = pacemaker_spike_steps(post[k], duration, phase=phases[k])
        assert np.array_equal(_steps(result.pre_spike_times[k]), pre_steps)
        assert np.array_equal(_steps(result.post_spike_times[k]), post_steps)
        assert result.pre_spike_counts[k] == pre_steps.size
        assert result.post_spike_counts[k] == post_steps.size
        reference = stdp_reference(pre_steps, post_steps, DT, record=True)
        # column j of a StateMonitor: the weight at the start of step j
        assert np.max(np.abs(result.w[k] - reference.w_at_steps(np.arange(n_steps)))) < 1e-9
        assert result.final_w[k] == pytest.approx(reference.final_w, abs=1e-9)
    assert len(kept) == 6


def test_epsp_traces_survive_the_network():
    weights = [0.25, 0.5, 1.0]
    result = measure_epsp(weights, record=True)
    kept = _reuse_freed_memory()
    for row, w in enumerate(weights):
        exact = epsp_shape(result.t, w)
        recorded = result.v[row] - (-70 * mV)
        assert np.max(np.abs(np.asarray((recorded - exact) / mV))) < 1e-9
    assert not np.any(result.fired)
    assert len(kept) == 6


def test_pairing_weights_survive_the_network():
    freqs, lag, n = [10, 40] * Hz, 10 * ms, 20
    result = run_pairing_protocol(freqs, lag, n)
    kept = _reuse_freed_memory()
    for k, f in enumerate(freqs):
        pre, post = pairing_spike_steps(f, lag, n)
        assert result.final_w[k] == pytest.approx(stdp_reference(pre, post, DT), abs=1e-12)
    assert len(kept) == 6


def _spike_times_from_a_function(drives):
    """The way tests (and students) return what a SpikeMonitor recorded: copied."""
    group = NeuronGroup(len(drives), "dv/dt = (I - v)/(20*ms) : 1\nI : 1 (constant)",
                        threshold="v > 1", reset="v = 0", method="exact")
    group.I = drives
    spikes = SpikeMonitor(group)
    Network(group, spikes).run(200 * ms)
    return spikes.t[:].copy(), np.array(spikes.i[:])  # copies: the network goes with this frame


def test_spike_times_returned_from_a_function_survive_the_network():
    drives = [1.2, 1.5, 3.0]
    t, i = _spike_times_from_a_function(drives)
    kept = _reuse_freed_memory()
    reference = reference_spike_times(drives, 20 * ms, 200 * ms)
    for k in range(len(drives)):
        assert np.allclose(np.asarray(t[i == k] / second), reference[k], rtol=0, atol=1e-12)
    assert len(kept) == 6
