"""The chapter 2 exercise checks accept right answers and explain wrong ones.

Right answers are produced the way a student would: with Brian, in one network.
"""
import numpy as np
import pytest
from brian2 import Hz, Network, NeuronGroup, Quantity, SpikeMonitor, mV, ms, second

from helpers.checks import ch02

# ---------------------------------------------------------------- exercise 2.1


def _simulate_ex1(reset_a, drive_a, refractory=3 * ms, unless_refractory=True):
    flag = " (unless refractory)" if unless_refractory else ""
    ns = {"E_L": -65 * mV, "V_th": -50 * mV, "V_reset": -75 * mV, "I_const": 18 * mV,
          "drive_a": drive_a, "reset_a": reset_a}
    g_a = NeuronGroup(1, f"dv/dt = (drive_a - v)/(20*ms) : 1{flag}", threshold="v > 1",
                      reset="v = reset_a", refractory=refractory, method="exact", namespace=ns)
    g_b = NeuronGroup(1, f"dv/dt = (E_L - v + I_const)/(20*ms) : volt{flag}", threshold="v > V_th",
                      reset="v = V_reset", refractory=refractory, method="exact", namespace=ns)
    g_a.v = 0
    g_b.v = -65 * mV
    m_a, m_b = SpikeMonitor(g_a), SpikeMonitor(g_b)
    Network(g_a, g_b, m_a, m_b).run(300 * ms)
    # Copies: from brian2 2.10 on, m.t[:] is a view onto memory freed with the network.
    return m_a.t[:].copy(), m_b.t[:].copy()


@pytest.fixture(scope="module")
def ex1_right():
    reset_a, drive_a = (-75 + 65) / 15, 18 / 15
    return (reset_a, drive_a) + _simulate_ex1(reset_a, drive_a)


def test_conversion_right_answer(ex1_right):
    fb = ch02.check_conversion(*ex1_right)
    assert fb.correct and repr(fb).startswith("Correct") and "6 times" in fb.message


def test_conversion_unanswered():
    fb = ch02.check_conversion(..., ..., ..., ...)
    assert not fb.correct and "no value yet" in fb.message


@pytest.mark.parametrize("reset_a, phrase", [
    (2 / 3, "wrong sign"),
    (-75 / 15, "first shift by E_L"),
    (-10 / -50, "divided by V_th"),
    (0.0, "is not (V_reset - E_L)"),
])
def test_conversion_wrong_reset(ex1_right, reset_a, phrase):
    _, drive_a, s_a, s_b = ex1_right
    fb = ch02.check_conversion(reset_a, drive_a, s_a, s_b)
    assert not fb.correct and phrase in fb.message


@pytest.mark.parametrize("drive_a, phrase", [
    ((18 + 65) / 15, "treats I_const as a voltage level"),
    (18 / -50, "divided by V_th"),
    (18 / 50, "divided by V_th"),
    (2.0, "is not I_const/(V_th - E_L)"),
])
def test_conversion_wrong_drive(ex1_right, drive_a, phrase):
    reset_a, _, s_a, s_b = ex1_right
    fb = ch02.check_conversion(reset_a, drive_a, s_a, s_b)
    assert not fb.correct and phrase in fb.message


def test_conversion_value_with_unit_is_refused(ex1_right):
    _, drive_a, s_a, s_b = ex1_right
    fb = ch02.check_conversion(-10 * mV / 15, drive_a, s_a, s_b)  # mV/15 still a voltage
    assert not fb.correct and "carries a unit" in fb.message


def test_conversion_spike_times_without_unit_or_mismatched(ex1_right):
    reset_a, drive_a, s_a, s_b = ex1_right
    fb = ch02.check_conversion(reset_a, drive_a, np.asarray(s_a), np.asarray(s_b))
    assert not fb.correct and "with their unit" in fb.message
    fb = ch02.check_conversion(reset_a, drive_a, s_a, s_b[:-1])
    assert not fb.correct and "different times" in fb.message


def test_conversion_without_refractory_clamp_is_recognised():
    reset_a, drive_a = (-75 + 65) / 15, 18 / 15
    s_a, s_b = _simulate_ex1(reset_a, drive_a, refractory=False)
    fb = ch02.check_conversion(reset_a, drive_a, s_a, s_b)
    assert not fb.correct and "without a refractory period" in fb.message


def test_conversion_other_simulation_mistake_gets_general_hint():
    reset_a, drive_a = (-75 + 65) / 15, 18 / 15
    s_a, s_b = _simulate_ex1(reset_a, drive_a, refractory=6 * ms)
    fb = ch02.check_conversion(reset_a, drive_a, s_a, s_b)
    assert not fb.correct and "both forms agree with each other" in fb.message


# ---------------------------------------------------------------- exercise 2.2

def _simulate_ex2(refractory=5 * ms, unless_refractory=True, tau=20 * ms):
    flag = " (unless refractory)" if unless_refractory else ""
    group = NeuronGroup(4, f"""dv/dt = (I - v)/tau : 1{flag}
                              I : 1 (constant)""", threshold="v > 1", reset="v = 0",
                        refractory=refractory, method="exact", namespace={"tau": tau})
    group.I = [1.5, 2, 3, 4]
    spikes = SpikeMonitor(group)
    Network(group, spikes).run(500 * ms)
    trains = spikes.spike_trains()
    isi_rates = Quantity([1 / np.diff(trains[i])[0] for i in range(4)])
    counted = Quantity([len(trains[i]) / (500 * ms) for i in range(4)])
    return isi_rates, counted


def test_fI_right_answer_from_brian():
    rates, _ = _simulate_ex2()
    fb = ch02.check_fI_rates(rates)
    assert fb.correct, fb.message


def test_fI_expected_matches_formula_within_bound():
    # the check's expected values are themselves within one step of the analytic period
    from helpers.lif import analytic_rate, rate_error_bound
    analytic = analytic_rate(ch02.EX2_DRIVES, 20 * ms, refractory=5 * ms)
    error = ch02.ex2_expected() - np.asarray(analytic / Hz)
    assert np.all(error > 0)
    assert np.all(error <= np.asarray(rate_error_bound(analytic, 0.1 * ms, refractory=5 * ms) / Hz))


def test_fI_analytic_rates_are_recognised():
    from helpers.lif import analytic_rate
    fb = ch02.check_fI_rates(analytic_rate([1.5, 2, 3, 4], 20 * ms, refractory=5 * ms))
    assert not fb.correct and "analytic rates" in fb.message


@pytest.mark.parametrize("kwargs", [{"unless_refractory": False}, {"refractory": False}])
def test_fI_refractory_without_effect_is_recognised(kwargs):
    rates, _ = _simulate_ex2(**kwargs)
    fb = ch02.check_fI_rates(rates)
    assert not fb.correct and "(unless refractory)" in fb.message and "refractory=5*ms" in fb.message


def test_fI_counted_spikes_are_recognised():
    _, counted = _simulate_ex2()
    fb = ch02.check_fI_rates(counted)
    assert not fb.correct and "counted spikes" in fb.message


def test_fI_wrong_tau_unitless_and_unanswered():
    rates, _ = _simulate_ex2(tau=10 * ms)
    fb = ch02.check_fI_rates(rates)
    assert not fb.correct and "right shape but not the right value" in fb.message
    right, _ = _simulate_ex2()
    fb = ch02.check_fI_rates(np.asarray(right / Hz))
    assert not fb.correct and "unit" in fb.message
    assert "no value yet" in ch02.check_fI_rates(...).message


# ---------------------------------------------------------------- exercise 2.3

def _simulate_ex3(i_const):
    ns = {"E_L": -70 * mV, "V_th": -55 * mV, "I_const": i_const, "tau": 10 * ms}
    group = NeuronGroup(1, "dv/dt = (E_L - v + I_const)/tau : volt (unless refractory)",
                        threshold="v > V_th", reset="v = E_L", refractory=2 * ms, method="exact", namespace=ns)
    group.v = -70 * mV
    spikes = SpikeMonitor(group)
    Network(group, spikes).run(1 * second)
    return 1 / np.diff(spikes.t[:])[0]


def test_design_right_answer_and_expected_value():
    # independent of the check: T = 1/30 Hz - 2 ms, drive = 1/(1 - exp(-T/tau)), times 15 mV
    i_const = 15 * mV / (1 - np.exp(-(1 / 30 - 0.002) / 0.010))
    assert float(ch02.ex3_expected_I_const() / mV) == pytest.approx(float(i_const / mV), rel=1e-12)
    rate = _simulate_ex3(i_const)
    fb = ch02.check_design_30Hz(i_const, rate)
    assert fb.correct, fb.message
    assert float(rate / Hz) == pytest.approx(1 / 0.0333)  # 333 steps of 0.1 ms


def test_design_rounded_drive_is_accepted_with_its_own_rate():
    i_const = 15.68 * mV
    fb = ch02.check_design_30Hz(i_const, _simulate_ex3(i_const))
    assert fb.correct, fb.message


def test_design_common_mistakes():
    right = ch02.ex3_expected_I_const()
    rate = _simulate_ex3(right)
    fb = ch02.check_design_30Hz(float(right / (15 * mV)), rate)
    assert not fb.correct and "abstract drive" in fb.message
    fb = ch02.check_design_30Hz(-70 * mV + right, rate)
    assert not fb.correct and "level v relaxes to" in fb.message
    no_ref = 15 * mV / (1 - np.exp(-(1 / 30) / 0.010))
    fb = ch02.check_design_30Hz(no_ref, _simulate_ex3(no_ref))
    assert not fb.correct and "without a refractory period" in fb.message
    fb = ch02.check_design_30Hz(20 * mV, rate)
    assert not fb.correct and "does not give 30 Hz" in fb.message
    fb = ch02.check_design_30Hz(right, 30 * Hz)
    assert not fb.correct and "exactly the target" in fb.message
    fb = ch02.check_design_30Hz(right, 29 * Hz)
    assert not fb.correct and "rate_30" in fb.message
    fb = ch02.check_design_30Hz(right, float(rate / Hz))
    assert not fb.correct and "unit" in fb.message
    assert "no value yet" in ch02.check_design_30Hz(..., ...).message


# ---------------------------------------------------------------- answers that cannot be read

def test_conversion_text_is_not_called_a_unit(ex1_right):
    _, drive_a, s_a, s_b = ex1_right
    fb = ch02.check_conversion("a", drive_a, s_a, s_b)
    assert not fb.correct and "is text ('a')" in fb.message and "carries a unit" not in fb.message


def test_conversion_nan_and_missing_answers(ex1_right):
    reset_a, drive_a, s_a, s_b = ex1_right
    assert "nan or inf" in ch02.check_conversion(np.nan, drive_a, s_a, s_b).message
    assert "nan or inf" in ch02.check_conversion(reset_a, drive_a, s_a * np.nan, s_b * np.nan).message
    fb = ch02.check_conversion(reset_a, ..., s_a, ...)
    assert not fb.correct and "`drive_a` and `spikes_b` have no value yet" in fb.message


def test_design_nan_rate_is_not_yet():
    fb = ch02.check_design_30Hz(ch02.ex3_expected_I_const(), np.nan * Hz)
    assert not fb.correct and "nan or inf" in fb.message
