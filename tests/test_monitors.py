"""Chapter 1's claims, checked against calculations that do not use Brian."""
import numpy as np
import pytest
from brian2 import Network, NeuronGroup, SpikeMonitor, StateMonitor, Synapses, mV, ms, second

from helpers.monitors import relaxation, student_model_reference

TAU = 10 * ms
STUDENT_WEIGHTS = [0.00082085, 0.00086726, 0.00091173, 0.00095847, 0.00100761]
# The last value of each trace the student posted in the forum thread (M.v[-1][-1]).
STUDENT_POSTED_LAST_VALUES = [1.00318134, 1.00336121, 1.00353356, 1.00371471, 1.00390516]


def test_relaxation_matches_its_differential_equation():
    t = np.linspace(0, 50, 501) * ms
    v = relaxation(t, -70, 1, TAU)
    assert v[0] == pytest.approx(-70)
    # central difference of v against (1 - v)/tau
    dv_dt = np.gradient(v, float(t[1] - t[0]))
    assert np.allclose(dv_dt[1:-1], ((1 - v) / float(TAU))[1:-1], rtol=2e-3)


def test_monitor_lags_group_by_one_step_against_exact_solution():
    group = NeuronGroup(1, "dv/dt = (1 - v)/tau : 1", method="exact", namespace={"tau": TAU})
    group.v = -70
    at_start = StateMonitor(group, "v", record=True)
    at_end = StateMonitor(group, "v", record=True, when="end")
    Network(group, at_start, at_end).run(100 * ms)
    assert at_start.v.shape == (1, 1000)
    assert float(at_start.t[-1] / ms) == pytest.approx(99.9)
    assert at_start.v[0, -1] == pytest.approx(relaxation(99.9 * ms, -70, 1, TAU), abs=1e-13)
    assert group.v[0] == pytest.approx(relaxation(100 * ms, -70, 1, TAU), abs=1e-13)
    assert at_end.v[0, -1] == group.v[0]
    assert float(at_end.t[-1] / ms) == pytest.approx(99.9)  # labels stay at step starts
    assert abs(at_start.v[0, -1] - group.v[0]) > 1e-6


def _brian_student_model(weights, duration=1 * second):
    n = len(weights)
    eqs = "dv/dt = (1 - v)/tau : 1"
    pre = NeuronGroup(n, eqs, threshold="v > -55", reset="v = -70", refractory=2 * ms, method="exact")
    post = NeuronGroup(n, eqs, method="exact")
    pre.v = -70
    post.v = -70
    syn = Synapses(pre, post, "w : 1", on_pre="v_post += w", delay=2 * ms)
    syn.connect(j="i")
    syn.w = weights
    trace = StateMonitor(post, "v", record=True)
    spikes = SpikeMonitor(pre)
    Network(pre, post, syn, trace, spikes).run(duration, namespace={"tau": TAU})
    return np.array(post.v[:]), np.array(trace.v[:, -1]), spikes


def test_reference_reproduces_the_digits_the_student_posted():
    ref = student_model_reference(STUDENT_WEIGHTS, duration=1 * second, tau=TAU)
    assert np.allclose(ref.last_recorded_v, STUDENT_POSTED_LAST_VALUES, atol=5e-9)


def test_one_network_matches_event_by_event_reference():
    final_v, last_recorded, spikes = _brian_student_model(STUDENT_WEIGHTS)
    ref = student_model_reference(STUDENT_WEIGHTS, duration=1 * second, tau=TAU)
    assert np.max(np.abs(final_v - ref.final_v)) < 1e-12
    assert np.max(np.abs(last_recorded - ref.last_recorded_v)) < 1e-12
    p_times = spikes.t[spikes.i == 0] / second
    assert np.allclose(p_times, ref.p_spike_times)
    assert len(ref.p_spike_times) == 416  # 1 s / 2.4 ms, as the chapter states


def test_p_period_follows_from_the_exact_crossing_time():
    ref = student_model_reference([0.0], duration=100 * ms, tau=TAU)
    crossing = float(TAU) * np.log(71 / 56)
    # crossed during the step that starts at floor(crossing/dt)*dt, i.e. 2.3 ms, then every 24 steps
    assert ref.p_spike_times[0] == pytest.approx(np.floor(crossing / 1e-4) * 1e-4)
    assert np.allclose(np.diff(ref.p_spike_times), 2.4e-3)


def test_reference_rejects_missing_units():
    with pytest.raises(TypeError, match="tau needs a unit"):
        student_model_reference([0.001], tau=10)


@pytest.mark.parametrize("duration", [2.34 * ms, 4.34 * ms, 4.35 * ms, 0.04 * ms, 0.1 * ms],
                         ids=lambda d: f"{float(d / ms):g}ms")
def test_reference_takes_as_many_steps_as_brian(duration):
    # P first spikes in step 23 (label 2.3 ms) and its input reaches Q in step 43. 2.34 ms and
    # 4.34 ms are 23.4 and 43.4 steps: Brian runs 24 and 44, so both events are inside the run.
    # A duration shorter than dt is one step in Brian.
    weights = [0.001, 0.5]
    final_v, last_recorded, spikes = _brian_student_model(weights, duration)
    ref = student_model_reference(weights, duration=duration, tau=TAU)
    assert np.max(np.abs(final_v - ref.final_v)) < 1e-12
    assert np.max(np.abs(last_recorded - ref.last_recorded_v)) < 1e-12
    assert np.allclose(np.asarray(spikes.t[spikes.i == 0] / second), ref.p_spike_times, rtol=0, atol=1e-12)
    if duration == 2.34 * ms:
        assert np.allclose(ref.p_spike_times, [2.3e-3])
    if duration == 4.34 * ms:  # the arrival in the last step raised Q by the weight
        assert ref.final_v[1] - ref.final_v[0] == pytest.approx(0.499, abs=1e-12)


def test_audit_holes_are_closed():
    with pytest.raises(TypeError, match="weights are plain numbers"):
        student_model_reference([1] * mV)  # was: silently 0.001
    with pytest.raises(ValueError, match="delay must be zero or positive"):
        student_model_reference([0.001], delay=-2 * ms)
    with pytest.raises(ValueError, match="duration=.* would take 1e\\+09 time steps"):
        student_model_reference([0.001], duration=1e5 * second)  # was: a loop of 1e9 steps
    with pytest.raises(TypeError, match="v_reset is a plain number"):
        student_model_reference([0.001], v_reset=-70 * mV)
