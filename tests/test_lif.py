"""Chapter 2's claims about the two unit systems and the firing rate, checked independently.

- The change of variables: round trips (hypothesis), known points, bad input.
- The analytic period against a fine-step numerical integration of the ODE (not the formula).
- Brian's f-I curve (many drives in one group, one network) against the analytic rate, with
  the tolerance derived from dt, against the derived step-grid period, and against a numpy
  event-by-event reference.
- The abstract and biophysical forms in one network: identical spike times and traces.
"""
import numpy as np
import pytest
from brian2 import (Hz, Network, NeuronGroup, Quantity, SpikeMonitor, StateMonitor, Synapses, mV, ms,
                    second, volt)
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.clock import n_steps
from helpers.lif import (analytic_period, analytic_rate, rate_error_bound, reference_spike_times,
                         refractory_steps, simulated_period_bounds, step_grid_period, to_abstract,
                         to_biophysical)

TAU = 10 * ms
DT = 0.1 * ms
E_L = -70 * mV
V_TH = -55 * mV

# ---------------------------------------------------------------- change of variables

voltages_mv = st.floats(min_value=-200, max_value=200, allow_nan=False, allow_infinity=False)
rests_mv = st.floats(min_value=-100, max_value=0, allow_nan=False, allow_infinity=False)
gaps_mv = st.floats(min_value=0.01, max_value=100, allow_nan=False, allow_infinity=False)
abstract_values = st.floats(min_value=-50, max_value=50, allow_nan=False, allow_infinity=False)


@settings(max_examples=200, deadline=None)
@given(v=voltages_mv, rest=rests_mv, gap=gaps_mv)
def test_biophysical_round_trip(v, rest, gap):
    e_l, v_th, volts = rest * mV, (rest + gap) * mV, v * mV
    back = to_biophysical(to_abstract(volts, e_l, v_th), e_l, v_th)
    # each of the four operations rounds relative to at most |v| + |E_L| (in volts)
    scale = (abs(v) + abs(rest)) * 1e-3
    assert abs(float((back - volts) / volt)) <= 1e-14 * scale


@settings(max_examples=200, deadline=None)
@given(a=abstract_values, rest=rests_mv, gap=gaps_mv)
def test_abstract_round_trip(a, rest, gap):
    e_l, v_th = rest * mV, (rest + gap) * mV
    back = to_abstract(to_biophysical(a, e_l, v_th), e_l, v_th)
    # rounding of v = E_L + a*gap is relative to the larger of |E_L| and |a*gap|, then divided by gap
    tolerance = 1e-14 * (abs(rest) + abs(a) * gap) / gap + 1e-290  # (+ underflow of tiny a*gap)
    assert abs(back - a) <= tolerance


def test_known_points_and_array_forms():
    assert to_abstract(E_L, E_L, V_TH) == 0
    assert to_abstract(V_TH, E_L, V_TH) == 1
    values = to_abstract([-70, -62.5, -55, -40] * mV, E_L, V_TH)
    assert isinstance(values, np.ndarray) and not isinstance(values, Quantity)
    assert np.allclose(values, [0, 0.5, 1, 2], rtol=0, atol=1e-14)
    assert isinstance(to_abstract(-60 * mV, E_L, V_TH), float)
    back = to_biophysical([0, 1, 2], E_L, V_TH)
    assert back.dim == volt.dim
    assert np.allclose(np.asarray(back / mV), [-70, -55, -40])
    # a reset below rest (the chapter's table)
    assert to_abstract(-75 * mV, E_L, V_TH) == pytest.approx(-1 / 3)


@pytest.mark.parametrize("call, name", [
    (lambda: to_abstract(-70, E_L, V_TH), "v"),
    (lambda: to_abstract(-70 * mV, -70, V_TH), "E_L"),
    (lambda: to_abstract(-70 * mV, E_L, -55), "V_th"),
    (lambda: to_biophysical(0.5, -70, V_TH), "E_L"),
    (lambda: to_biophysical(0.5, E_L, -55), "V_th"),
])
def test_voltage_without_unit_is_refused_with_mv_example(call, name):
    with pytest.raises(TypeError, match=rf"{name} needs a unit.*Multiply it by a Brian unit, for example -70\*mV"):
        call()


def test_wrong_unit_and_unit_on_abstract_value_are_refused():
    with pytest.raises(TypeError, match="wrong unit"):
        to_abstract(5 * ms, E_L, V_TH)
    with pytest.raises(TypeError, match="abstract value without a unit"):
        to_biophysical(-60 * mV, E_L, V_TH)


def test_equal_or_swapped_threshold_is_refused():
    with pytest.raises(ValueError, match="V_th equals E_L"):
        to_abstract(-60 * mV, E_L, E_L)
    with pytest.raises(ValueError, match="V_th equals E_L"):
        to_biophysical(0.5, V_TH, V_TH)
    with pytest.raises(ValueError, match="swap"):
        to_abstract(-60 * mV, V_TH, E_L)


def test_recorded_trace_converts():
    group = NeuronGroup(1, "dv/dt = (E_L - v)/tau : volt", method="exact",
                        namespace={"E_L": E_L, "tau": TAU})
    group.v = -55 * mV
    trace = StateMonitor(group, "v", record=True)
    Network(group, trace).run(5 * ms)
    converted = to_abstract(trace.v[0], E_L, V_TH)
    expected = np.exp(-np.asarray(trace.t / TAU))  # relaxes from 1 to 0
    assert converted.shape == (50,)
    assert np.allclose(converted, expected, rtol=0, atol=1e-12)


# ---------------------------------------------------------------- analytic period and rate

def _crossing_time_rk4(drives, tau_s, h=1e-6, t_max=0.1):
    """First time v(t) >= 1 for tau dv/dt = I - v, v(0) = 0, by RK4 with step h and linear interpolation."""
    drives = np.asarray(drives, dtype=float)
    f = lambda v: (drives - v) / tau_s  # noqa: E731
    v = np.zeros_like(drives)
    crossing = np.full(drives.shape, np.inf)
    t = 0.0
    while t < t_max and np.any(np.isinf(crossing)):
        k1 = f(v)
        k2 = f(v + h / 2 * k1)
        k3 = f(v + h / 2 * k2)
        k4 = f(v + h * k3)
        new = v + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
        hit = np.isinf(crossing) & (new >= 1) & (v < 1)
        crossing[hit] = t + h * (1 - v[hit]) / (new[hit] - v[hit])
        v, t = new, t + h
    return crossing


def test_analytic_period_matches_numerical_integration():
    drives = np.array([1.02, 1.1, 1.5, 2.0, 3.0, 7.5])
    numerical = _crossing_time_rk4(drives, 0.010)
    assert np.allclose(np.asarray(analytic_period(drives, TAU) / second), numerical, rtol=1e-6)


def test_analytic_rate_values_and_subthreshold_drive():
    assert float(analytic_period(2, TAU) / ms) == pytest.approx(10 * np.log(2))
    assert float(analytic_rate(2, TAU, refractory=2 * ms) / Hz) == pytest.approx(1 / (0.002 + 0.01 * np.log(2)))
    rates = analytic_rate([0.5, 1.0, 1.5], TAU)
    assert np.asarray(rates / Hz)[:2].tolist() == [0.0, 0.0]
    assert np.isinf(float(analytic_period(1.0, TAU)))
    # rate rises with drive and is capped by the refractory period
    r = np.asarray(analytic_rate(np.linspace(1.01, 1000, 50), TAU, refractory=2 * ms) / Hz)
    assert np.all(np.diff(r) > 0) and np.all(r < 500)


def test_analytic_rate_refuses_bad_input():
    with pytest.raises(TypeError, match="divide it by the rest-to-threshold gap"):
        analytic_rate(30 * mV, TAU)
    with pytest.raises(TypeError, match="tau needs a unit"):
        analytic_rate(2, 10)
    with pytest.raises(TypeError, match="refractory needs a unit"):
        analytic_rate(2, TAU, refractory=2)
    with pytest.raises(ValueError, match="zero or positive"):
        analytic_rate(2, TAU, refractory=-1 * ms)


def test_rate_error_bound_is_about_r_squared_dt():
    r = np.array([10, 50, 100]) * Hz
    for ref in (0 * ms, 2 * ms):
        bound = np.asarray(rate_error_bound(r, DT, refractory=ref) / Hz)
        assert np.allclose(bound, np.asarray(r / Hz) ** 2 * 1e-4, rtol=0.011)
    assert float(rate_error_bound(0 * Hz, DT) / Hz) == 0.0


def test_refractory_steps_rounds_down_like_brian():
    assert refractory_steps(2 * ms, DT) == 20
    assert refractory_steps(1.25 * ms, DT) == 12
    assert refractory_steps(0 * ms, DT) == 0
    assert refractory_steps(0.05 * ms, DT) == 0


# ---------------------------------------------------------------- Brian f-I curve in one network

DRIVES = np.round(np.linspace(1.05, 5.0, 80), 2)
REFRACTORY_MS = [0.0, 1.2, 2.0]  # whole numbers of steps; 1.25 ms is tested separately
REFRACTORY = [r * ms for r in REFRACTORY_MS]


@pytest.fixture(scope="module")
def fI_sweep():
    """One group, one network: every drive for every refractory period, 100 ms."""
    n = len(DRIVES)
    group = NeuronGroup(n * len(REFRACTORY), """dv/dt = (I - v)/tau : 1 (unless refractory)
                                                I : 1 (constant)
                                                ref : second (constant)""",
                        threshold="v > 1", reset="v = 0", refractory="ref", method="exact",
                        namespace={"tau": TAU})
    group.I = np.tile(DRIVES, len(REFRACTORY))
    group.ref = Quantity(np.repeat([float(r) for r in REFRACTORY], n), dim=second.dim)
    spikes = SpikeMonitor(group)
    Network(group, spikes).run(100 * ms)
    trains = spikes.spike_trains()
    result = {}
    for j, ref in enumerate(REFRACTORY):
        rows = [np.asarray(trains[j * n + i] / second) for i in range(n)]
        result[float(ref / ms)] = rows
    return result


def test_precondition_no_crossing_falls_on_a_grid_point():
    # the strict inequalities of the derivation hold only if T/dt is not a whole number
    steps = np.asarray(analytic_period(DRIVES, TAU) / DT)
    assert np.min(np.abs(steps - np.round(steps))) > 1e-6


@pytest.mark.parametrize("ref_ms", REFRACTORY_MS, ids=lambda r: f"ref={r}ms")
def test_simulated_rates_within_derived_bound(fI_sweep, ref_ms):
    ref = ref_ms * ms
    trains = fI_sweep[ref_ms]
    assert min(len(t) for t in trains) >= 3
    periods = np.array([np.diff(t)[0] for t in trains])
    for t in trains:  # regular firing: every interval the same
        assert np.allclose(np.diff(t), np.diff(t)[0], rtol=0, atol=1e-12)
    low, high = simulated_period_bounds(DRIVES, TAU, DT, refractory=ref)
    eps = 1e-12  # spike times are multiples of dt computed in floating point
    assert np.all(periods > np.asarray(low) - eps) and np.all(periods <= np.asarray(high) + eps)

    analytic = np.asarray(analytic_rate(DRIVES, TAU, refractory=ref) / Hz)
    error = 1 / periods - analytic
    bound = np.asarray(rate_error_bound(analytic * Hz, DT, refractory=ref) / Hz)
    assert np.all(np.abs(error) <= bound * (1 + 1e-9))
    # the sign the derivation predicts: slower without a refractory period, faster with one
    if refractory_steps(ref, DT) >= 1:
        assert np.all(error > 0)
    else:
        assert np.all(error < 0)
    # the bound is tight, not a fudge factor: some drive comes close to it
    assert np.max(np.abs(error) / bound) > 0.9


@pytest.mark.parametrize("ref_ms", REFRACTORY_MS, ids=lambda r: f"ref={r}ms")
def test_simulated_period_equals_derived_step_grid_period(fI_sweep, ref_ms):
    ref = ref_ms * ms
    periods = np.array([np.diff(t)[0] for t in fI_sweep[ref_ms]])
    derived = np.asarray(step_grid_period(DRIVES, TAU, DT, refractory=ref))
    assert np.allclose(periods, derived, rtol=0, atol=1e-12)


def test_naive_rounding_up_fails_with_refractory_period(fI_sweep):
    # "the period is the analytic one rounded up" is true only without a refractory period
    periods = np.array([np.diff(t)[0] for t in fI_sweep[2.0]])
    analytic = np.asarray(analytic_period(DRIVES, TAU, refractory=2 * ms))
    assert np.all(periods < analytic)


@pytest.mark.parametrize("ref_ms", REFRACTORY_MS, ids=lambda r: f"ref={r}ms")
def test_brian_matches_event_by_event_reference(fI_sweep, ref_ms):
    reference = reference_spike_times(DRIVES, TAU, 100 * ms, dt=DT, refractory=ref_ms * ms)
    for brian_times, ref_times in zip(fI_sweep[ref_ms], reference):
        assert brian_times.shape == ref_times.shape
        assert np.allclose(brian_times, ref_times, rtol=0, atol=1e-12)


def test_refractory_not_on_the_grid_is_rounded_down_and_refused_by_the_bounds():
    group = NeuronGroup(1, "dv/dt = (2 - v)/tau : 1 (unless refractory)", threshold="v > 1",
                        reset="v = 0", refractory=1.25 * ms, method="exact", namespace={"tau": TAU})
    spikes = SpikeMonitor(group)
    Network(group, spikes).run(50 * ms)
    periods = np.diff(np.asarray(spikes.t / second))
    # 1.25 ms counts as 12 steps, the same as 1.2 ms
    assert np.allclose(periods, float(step_grid_period(2, TAU, DT, 1.25 * ms)), rtol=0, atol=1e-12)
    assert np.allclose(periods, float(step_grid_period(2, TAU, DT, 1.2 * ms)), rtol=0, atol=1e-12)
    with pytest.raises(ValueError, match="not a whole number of time steps.*refractory=12\\*dt"):
        rate_error_bound(100 * Hz, DT, refractory=1.25 * ms)
    with pytest.raises(ValueError, match="not a whole number of time steps"):
        simulated_period_bounds(2, TAU, DT, refractory=1.25 * ms)


def test_reference_with_reset_below_rest_matches_brian():
    group = NeuronGroup(1, "dv/dt = (1.2 - v)/(20*ms) : 1 (unless refractory)", threshold="v > 1",
                        reset="v = -2/3", refractory=3 * ms, method="exact")
    spikes = SpikeMonitor(group)
    Network(group, spikes).run(300 * ms)
    reference = reference_spike_times(1.2, 20 * ms, 300 * ms, refractory=3 * ms, v_reset=-2 / 3)[0]
    assert np.allclose(np.asarray(spikes.t / second), reference, rtol=0, atol=1e-12)
    assert len(reference) == 6


@pytest.mark.parametrize("duration", [1.24 * ms, 1.25 * ms, 0.05 * ms, 0.1 * ms, 5.55 * ms],
                         ids=lambda d: f"{float(d / ms):g}ms")
def test_reference_takes_as_many_steps_as_brian(duration):
    # 1.24 ms is 12.4 steps: Brian runs 13 (it rounds up), and drive 8.5 first crosses in the
    # step from 1.2 to 1.3 ms, so the spike at 1.2 ms is inside the run. Shorter than dt: one step,
    # in which drive 2000 spikes.
    drives = [8.5, 20.0, 3.0, 2000.0]
    group = NeuronGroup(len(drives), "dv/dt = (I - v)/tau : 1\nI : 1 (constant)", threshold="v > 1",
                        reset="v = 0", method="exact", namespace={"tau": TAU})
    group.I = drives
    spikes = SpikeMonitor(group)
    steps = StateMonitor(group, "v", record=0)  # one recording per step taken
    Network(group, spikes, steps).run(duration)
    trains = spikes.spike_trains()
    reference = reference_spike_times(drives, TAU, duration, dt=DT)
    for i, ref_times in enumerate(reference):
        assert np.allclose(np.asarray(trains[i] / second), ref_times, rtol=0, atol=1e-12), i
    assert len(steps.t) == n_steps(duration, DT)
    if duration == 1.24 * ms:
        assert np.allclose(reference[0], [1.2e-3])  # the spike a rounded 12-step run would miss
    if duration < DT:
        assert len(reference[3]) == 1  # one step, one spike


# ---------------------------------------------------------------- the two forms in one network

def test_abstract_and_biophysical_forms_agree_in_one_network():
    namespace = {"tau": TAU, "E_L": E_L, "V_th": V_TH, "I_const": 30 * mV}
    abstract = NeuronGroup(1, "dv/dt = (2 - v)/tau : 1 (unless refractory)", threshold="v > 1",
                           reset="v = 0", refractory=2 * ms, method="exact", namespace=namespace)
    biophysical = NeuronGroup(1, "dv/dt = (E_L - v + I_const)/tau : volt (unless refractory)",
                              threshold="v > V_th", reset="v = E_L", refractory=2 * ms, method="exact",
                              namespace=namespace)
    abstract.v = 0
    biophysical.v = E_L
    s_a, s_b = SpikeMonitor(abstract), SpikeMonitor(biophysical)
    m_a, m_b = StateMonitor(abstract, "v", record=True), StateMonitor(biophysical, "v", record=True)
    Network(abstract, biophysical, s_a, s_b, m_a, m_b).run(200 * ms)
    assert s_a.num_spikes == s_b.num_spikes == 22
    assert np.array_equal(np.asarray(s_a.t), np.asarray(s_b.t))
    assert np.max(np.abs(to_abstract(m_b.v[0], E_L, V_TH) - m_a.v[0])) < 1e-12
    # and both fire with the derived grid period of drive 30 mV / 15 mV = 2
    assert np.allclose(np.diff(np.asarray(s_a.t)), float(step_grid_period(2, TAU, DT, 2 * ms)), atol=1e-12)


def test_synaptic_jump_converts_without_shift():
    namespace = {"tau": TAU, "E_L": E_L, "w_a": 0.001, "w_b": 0.001 * (V_TH - E_L)}
    pre = NeuronGroup(1, "dv/dt = 1/(1*ms) : 1", threshold="v > 1", reset="v = 0", method="euler")
    q_a = NeuronGroup(1, "dv/dt = -v/tau : 1", method="exact", namespace=namespace)
    q_b = NeuronGroup(1, "dv/dt = (E_L - v)/tau : volt", method="exact", namespace=namespace)
    q_b.v = E_L
    s_a = Synapses(pre, q_a, on_pre="v_post += w_a", namespace=namespace)
    s_b = Synapses(pre, q_b, on_pre="v_post += w_b", namespace=namespace)
    s_a.connect()
    s_b.connect()
    Network(pre, q_a, q_b, s_a, s_b).run(50 * ms)
    assert q_a.v[0] > 0.001
    assert to_abstract(q_b.v[0], E_L, V_TH) == pytest.approx(q_a.v[0], rel=1e-9)


# ---------------------------------------------------------------- the student's mixed model

def test_student_mixed_model_period_and_silent_q():
    p = NeuronGroup(1, "dv/dt = (1 - v)/tau : 1", threshold="v > -55", reset="v = -70",
                    refractory=2 * ms, method="exact", namespace={"tau": TAU})
    q = NeuronGroup(1, "dv/dt = (1 - v)/tau : 1", refractory=2 * ms, method="exact", namespace={"tau": TAU})
    p.v = -70
    q.v = -70
    spikes = SpikeMonitor(p)
    Network(p, q, spikes).run(1 * second)
    crossing = 0.010 * np.log(71 / 56)
    period_steps = np.floor(crossing / 1e-4) + 1  # rounded up to the grid: 24 steps
    assert period_steps == 24
    assert np.allclose(np.diff(np.asarray(spikes.t)), period_steps * 1e-4, atol=1e-12)
    assert spikes.num_spikes == 416
    assert q.events == {}


def test_audit_holes_are_closed():
    with pytest.raises(TypeError, match="v_reset is a plain number"):
        reference_spike_times(2.0, TAU, 10 * ms, v_reset=-75 * mV)  # was: silently -0.075
    with pytest.raises(ValueError, match="rate must be finite"):
        rate_error_bound(float("nan") * Hz)  # was: 0 Hz
    with pytest.raises(ValueError, match="rate must be zero or positive"):
        rate_error_bound(-100 * Hz)
    with pytest.raises(ValueError, match="would take 1e\\+09 time steps"):
        reference_spike_times(2.0, TAU, 1e5 * second)  # was: a loop of 1e9 steps
    assert rate_error_bound(0 * Hz) == 0 * Hz  # a neuron that never fires: no error
    assert rate_error_bound(0 * Hz, refractory=2 * ms) == 0 * Hz
