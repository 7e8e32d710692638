"""Chapter 6's EPSP claims, checked against calculations that do not use Brian.

The EPSP Brian produces equals the closed-form solution at every recorded time, and its
peak equals the peak formula (which is checked here against a numerical maximisation and
against the differential equation itself). The pairing protocol is in test_pairing.py.
"""
import numpy as np
import pytest
from brian2 import mV, ms, volt

from helpers.epsp import epsp_peak, epsp_shape, measure_epsp

DT = 0.1 * ms


# --- the exact EPSP --------------------------------------------------------------------

@pytest.mark.parametrize("tau_m, tau_s", [(10 * ms, 2 * ms), (20 * ms, 5 * ms), (15 * ms, 15 * ms)])
def test_shape_solves_the_membrane_equations(tau_m, tau_s):
    """u = v - E_L must satisfy tau_m u' = -u + I with I = wJ exp(-t/tau_s), u(0) = 0."""
    w, J = 0.7, 10 * mV
    t = np.linspace(0, 60, 60001) * ms
    u = np.asarray(epsp_shape(t, w, J=J, tau_m=tau_m, tau_s=tau_s) / mV)
    h = float((t[1] - t[0]) / ms)
    du = np.gradient(u, h)
    current = w * float(J / mV) * np.exp(-np.asarray(t / tau_s))
    residual = float(tau_m / ms) * du - (-u + current)
    assert u[0] == 0
    assert np.max(np.abs(residual[1:-1])) < 1e-5


def test_jump_shape_is_an_exponential_decay():
    t = np.array([0, 5, 10, 30]) * ms
    u = epsp_shape(t, 0.5, synapse="jump", J=1 * mV, tau_m=10 * ms)
    assert np.allclose(np.asarray(u / mV), 0.5 * np.exp(-np.array([0, 0.5, 1, 3])), rtol=1e-14)
    assert float(epsp_shape(-1 * ms, 0.5, synapse="jump") / mV) == 0.0


@pytest.mark.parametrize("tau_m, tau_s", [(10 * ms, 2 * ms), (20 * ms, 2 * ms), (12 * ms, 12 * ms), (5 * ms, 8 * ms)])
def test_peak_formula_matches_numerical_maximum(tau_m, tau_s):
    t = np.linspace(0, 80, 800001) * ms
    u = np.asarray(epsp_shape(t, 1.0, tau_m=tau_m, tau_s=tau_s) / mV)
    k = np.argmax(u)
    t_peak, height = epsp_peak(1.0, tau_m=tau_m, tau_s=tau_s)
    assert abs(float(t_peak / ms) - float(t[k] / ms)) < 2e-4
    assert float(height / mV) == pytest.approx(u[k], rel=1e-9)


def test_peak_is_continuous_at_equal_time_constants():
    equal = epsp_peak(1.0, tau_m=10 * ms, tau_s=10 * ms)[1]
    nearly = epsp_peak(1.0, tau_m=10 * ms, tau_s=10 * ms * (1 + 1e-7))[1]
    assert float(equal / mV) == pytest.approx(10 / np.e, rel=1e-12)
    assert float(nearly / mV) == pytest.approx(float(equal / mV), rel=1e-6)


def test_chapter_numbers():
    t_peak, height = epsp_peak(1.0)
    assert float(t_peak / ms) == pytest.approx(2.5 * np.log(5), rel=1e-12)   # 4.0236 ms
    assert float(height / mV) == pytest.approx(10 * 0.2 ** 1.25, rel=1e-12)  # 1.3375 mV
    critical = float((15 * mV) / height)
    assert critical == pytest.approx(11.2151, abs=1e-4)
    slow = float((15 * mV) / epsp_peak(1.0, tau_m=20 * ms)[1])
    assert slow == pytest.approx(19.3732, abs=1e-4)


# --- Brian against the formula -------------------------------------------------------------

@pytest.mark.parametrize("synapse", ["exponential", "jump"])
def test_measured_traces_equal_the_exact_solution(synapse):
    weights = [0.25, 0.5, 1.0, 1.4]  # the jump of 1.4*10 mV stays below the 15 mV to threshold
    m = measure_epsp(weights, synapse=synapse, record=True)
    assert float(m.onset / ms) == pytest.approx(10.1)
    for row, w in enumerate(weights):
        exact = epsp_shape(m.t, w, synapse=synapse)
        recorded = m.v[row] - (-70 * mV)
        assert np.max(np.abs(np.asarray((recorded - exact) / mV))) < 1e-9
    assert not np.any(m.fired)


def test_measured_amplitude_is_the_grid_maximum_just_below_the_exact_peak():
    weights = np.array([0.3, 0.8, 1.7])
    m = measure_epsp(weights)
    exact = np.asarray(epsp_peak(weights)[1] / mV)
    measured = np.asarray(m.amplitude / mV)
    assert np.all(measured <= exact)
    assert np.allclose(measured, exact, rtol=5e-5)
    # the maximum over the grid times 0, dt, 2 dt, ... of the exact solution
    grid = np.arange(0, 600) * DT
    grid_max = np.array([np.max(np.asarray(epsp_shape(grid, w) / mV)) for w in weights])
    assert np.allclose(measured, grid_max, rtol=1e-10)
    assert np.allclose(np.asarray(m.peak_time / ms), 4.0)


def test_amplitude_is_proportional_to_weight_until_threshold():
    critical = float((15 * mV) / epsp_peak(1.0)[1])
    weights = np.array([0.5, 5.0, critical - 0.01, critical + 0.01, 14.0])
    m = measure_epsp(weights)
    assert list(m.fired) == [False, False, False, True, True]
    ratio = np.asarray(m.amplitude[:3] / mV) / weights[:3]
    assert np.allclose(ratio, ratio[0], rtol=1e-12)
    assert np.all(np.isnan(np.asarray(m.amplitude[3:] / mV)))


def test_test_spike_time_moves_the_onset():
    m = measure_epsp([1.0], test_time=25 * ms, record=True)
    assert float(m.onset / ms) == pytest.approx(25.1)
    assert float(m.amplitude[0] / mV) == pytest.approx(float(measure_epsp([1.0]).amplitude[0] / mV), rel=1e-12)


# --- bad input ---------------------------------------------------------------------------

def test_bad_input_is_refused_with_a_useful_message():
    with pytest.raises(TypeError, match="plain numbers"):
        measure_epsp([1, 2] * mV)
    with pytest.raises(TypeError, match="J needs a unit"):
        measure_epsp([1.0], J=10)
    with pytest.raises(ValueError, match="synapse must be"):
        measure_epsp([1.0], synapse="alpha")
    with pytest.raises(ValueError, match="swap"):
        measure_epsp([1.0], E_L=-50 * mV, V_th=-55 * mV)
    with pytest.raises(ValueError, match="whole number of time steps"):
        measure_epsp([1.0], test_time=10.05 * ms)
    with pytest.raises(ValueError, match="IPSP"):
        measure_epsp([-1.0])
    with pytest.raises(ValueError, match="before the EPSP has peaked"):
        measure_epsp([1.0], window=2 * ms)
    with pytest.raises(TypeError, match="t needs a unit"):
        epsp_shape(5, 1.0)
    with pytest.raises(ValueError, match="IPSP"):
        epsp_peak(-1.0)
    assert isinstance(epsp_peak(1.0)[1], type(1 * volt))
