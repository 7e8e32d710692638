"""Chapter 3's claims ("Neurons that fire at a rate you choose"), checked against
calculations that do not use Brian: exact fractions, closed formulas, and the plain-numpy
step-by-step pacemaker of helpers.pacemakers. Every Brian network is an explicit Network."""
import math
from fractions import Fraction

import numpy as np
import pytest
from brian2 import (Hz, Network, NeuronGroup, PoissonGroup, SpikeGeneratorGroup, SpikeMonitor, ms, second,
                    seed)

from helpers.pacemakers import effective_rate, pacemaker_spike_steps, steps_per_period

PACEMAKER_EQS = """
dx/dt = rate : 1
rate : 1/second (constant)
"""
DT = 0.1 * ms
THREAD_RATES = [200, 250, 220, 210]


def _pacemakers(rates_hz, duration, dt=DT, reset="x = 0"):
    group = NeuronGroup(len(rates_hz), PACEMAKER_EQS, threshold="x > 1", reset=reset, method="euler", dt=dt)
    group.rate = rates_hz * Hz
    monitor = SpikeMonitor(group)
    Network(group, monitor).run(duration)
    return monitor


def _steps(times, dt=DT):
    return np.round(np.asarray(times / dt)).astype(int)


def test_thread_rates_give_200_250_217_208_spikes():
    monitor = _pacemakers(np.array(THREAD_RATES), 1 * second)
    assert monitor.count[:].tolist() == [200, 250, 217, 208]
    trains = monitor.spike_trains()
    for k, rate in enumerate(THREAD_RATES):
        # every spike on exactly the step the numpy re-implementation predicts
        assert np.array_equal(_steps(trains[k]), pacemaker_spike_steps(rate * Hz, 1 * second))


def test_period_is_ceil_of_one_over_rate_dt_when_not_whole():
    """The chapter's rule k = ceil(1/(rate dt)), with exact fractions, for 50 ... 500 Hz."""
    rates = np.arange(50, 501)
    monitor = _pacemakers(rates, 50 * ms)
    trains = monitor.spike_trains()
    checked = 0
    for k, rate in enumerate(rates):
        exact = Fraction(10_000, int(rate))           # 1/(rate*dt) with dt = 0.1 ms
        period = np.diff(_steps(trains[k]))
        assert np.all(period == period[0])
        if exact.denominator != 1:
            assert period[0] == math.ceil(exact)
            checked += 1
        else:  # whole number: n or n + 1 depending on rounding (the floating-point subtlety)
            assert period[0] in (exact.numerator, exact.numerator + 1)
        assert period[0] == steps_per_period(rate * Hz)
    assert checked > 400


def test_effective_rate_never_exceeds_request_and_obeys_bound():
    rates = np.arange(50, 501) * Hz
    eff = effective_rate(rates)
    shortfall = np.asarray((rates - eff) / Hz)
    bound = np.asarray((rates - rates / (1 + rates * DT)) / Hz)
    assert np.all(shortfall >= -1e-9)
    assert np.all(shortfall <= bound + 1e-9)
    assert shortfall.max() == pytest.approx(499 - 1 / (21 * 1e-4))   # 499 Hz -> 21 steps, 476.19 Hz
    assert np.argmax(shortfall) == 499 - 50


def test_thread_beats_are_17_and_8_hz():
    eff = np.asarray(effective_rate([200, 220, 210] * Hz) / Hz)
    assert eff[1] - eff[0] == pytest.approx(1 / 4.6e-3 - 200)   # 17.39 Hz instead of 20
    assert eff[2] - eff[0] == pytest.approx(1 / 4.8e-3 - 200)   # 8.33 Hz instead of 10


def test_floating_point_subtlety_125_hz_takes_81_steps_200_hz_50():
    monitor = _pacemakers(np.array([125, 200]), 100 * ms)
    trains = monitor.spike_trains()
    assert np.diff(_steps(trains[0]))[0] == 81
    assert np.diff(_steps(trains[1]))[0] == 50
    # and the reason: the float sum of 80 increments of dt*125 does not exceed 1
    increment = float(DT) * 125
    total = 0.0
    for _ in range(80):
        total = increment + total
    assert not total > 1
    total = 0.0
    for _ in range(50):
        total = float(DT) * 200 + total
    assert total > 1


def test_lif_rate_formula_and_its_limit():
    """r_LIF = 1/(tau ln(I/(I-1))) with I = r tau tends to r - 1/(2 tau)."""
    r = 220.0
    for tau in (0.1, 1.0, 10.0):
        I = r * tau
        r_lif = 1 / (tau * math.log(I / (I - 1)))
        assert r_lif < r
        assert r_lif == pytest.approx(r - 1 / (2 * tau), abs=2 / (r * tau**2))
    # the values printed in the chapter's table
    assert 1 / (0.01 * math.log(2.2 / 1.2)) == pytest.approx(164.980, abs=5e-4)
    assert 1 / (1.0 * math.log(220 / 219)) == pytest.approx(219.500, abs=5e-4)


def test_brian_lif_fires_every_ceil_T_over_dt_steps():
    taus = np.array([10, 20, 100, 1000]) * 1e-3
    group = NeuronGroup(4, """dv/dt = (I - v)/tau_m : 1
                              I : 1 (constant)
                              tau_m : second (constant)""", threshold="v > 1", reset="v = 0", method="exact")
    group.tau_m = taus * second
    group.I = 220 * taus
    monitor = SpikeMonitor(group)
    Network(group, monitor).run(100 * ms)
    for k, tau in enumerate(taus):
        T = tau * math.log(220 * tau / (220 * tau - 1))
        intervals = np.diff(_steps(monitor.spike_trains()[k]))
        assert set(intervals.tolist()) == {math.ceil(T / 1e-4)}


def test_fix1_smaller_dt_rates_match_prediction_and_bound():
    for dt in (0.01 * ms, 0.001 * ms):
        monitor = _pacemakers(np.array(THREAD_RATES), 30 * ms, dt=dt)
        trains = monitor.spike_trains()
        for k, rate in enumerate(THREAD_RATES):
            measured = 1 / float(trains[k][1] - trains[k][0])
            assert measured == pytest.approx(float(effective_rate(rate * Hz, dt=dt)), rel=1e-9)
            assert rate - measured <= rate**2 * float(dt) + 1e-9
    # the whole-number cases that become unlucky at a smaller step
    assert steps_per_period(250 * Hz, dt=0.01 * ms) == 401
    assert steps_per_period(200 * Hz, dt=0.001 * ms) == 5001
    assert steps_per_period(250 * Hz, dt=0.001 * ms) == 4001   # 250 Hz loses accuracy at 0.001 ms too
    assert steps_per_period(200 * Hz, dt=0.01 * ms) == 500     # ... but not 200 Hz at 0.01 ms
    assert float(effective_rate(220 * Hz, dt=0.01 * ms)) == pytest.approx(1 / (455 * 1e-5))
    assert float(effective_rate(210 * Hz, dt=0.01 * ms)) == pytest.approx(1 / (477 * 1e-5))


def test_fix2_spike_generator_rounds_down_and_keeps_the_mean_rate():
    indices, times, expected = [], [], []
    for k, rate in enumerate(THREAD_RATES):
        m = np.arange(rate)                      # spikes at m/rate, m = 0 ... rate-1, all before 1 s
        indices.extend([k] * rate)
        times.extend(m / rate)
        # independent: Brian's documented rule, floor((t + 0.001 dt)/dt), in exact fractions
        expected.append(np.array([math.floor(Fraction(int(mm) * 10_000, rate) + Fraction(1, 1000)) for mm in m]))
    group = SpikeGeneratorGroup(4, indices, times * second)
    monitor = SpikeMonitor(group)
    Network(group, monitor).run(1 * second)
    assert monitor.count[:].tolist() == THREAD_RATES
    for k in range(4):
        assert np.array_equal(_steps(monitor.spike_trains()[k]), expected[k])
    assert set(np.diff(expected[2]).tolist()) == {45, 46}


def test_fix3_threshold_on_time_gives_nearest_steps_and_exact_counts():
    group = NeuronGroup(4, """period : second (constant)
                              next_spike : second""",
                        threshold="t >= next_spike - dt/2", reset="next_spike += period", method="euler")
    group.period = 1 / (np.array(THREAD_RATES) * Hz)
    group.next_spike = 0 * ms
    monitor = SpikeMonitor(group)
    Network(group, monitor).run(1 * second)
    assert monitor.count[:].tolist() == THREAD_RATES
    for k, rate in enumerate(THREAD_RATES):
        # nearest step to m/rate, exact fractions (no ties occur for these rates)
        nearest = [round(Fraction(m * 10_000, rate)) for m in range(rate)]
        assert np.array_equal(_steps(monitor.spike_trains()[k]), nearest)


def test_modulo_shortcut_fails_where_multiples_hit_the_grid():
    group = NeuronGroup(4, "period : second (constant)", threshold="(t % period) < dt", reset="", method="euler")
    group.period = 1 / (np.array(THREAD_RATES) * Hz)
    monitor = SpikeMonitor(group)
    Network(group, monitor).run(1 * second)
    counts = monitor.count[:].tolist()
    assert counts == [207, 277, 220, 209]
    # the same condition evaluated in plain numpy on t = n*dt reproduces Brian's spike steps
    n = np.arange(10_000)
    t = n * float(DT)
    for k, rate in enumerate(THREAD_RATES):
        period = 1 / float(rate)
        predicted = n[np.fmod(t, period) < float(DT)]
        assert np.array_equal(_steps(monitor.spike_trains()[k]), predicted)
    # 220 Hz: no multiple of the period lies on the grid, and the shortcut works
    assert counts[2] == 220


def test_keep_overshoot_reset_gives_exact_counts():
    monitor = _pacemakers(np.array([200, 220, 210]), 1 * second, reset="x -= 1")
    assert monitor.count[:].tolist() == [200, 220, 210]


def _poisson(seed_value, n=1000, rate=220 * Hz):
    seed(seed_value)
    group = PoissonGroup(n, rates=rate)
    monitor = SpikeMonitor(group)
    Network(group, monitor).run(1 * second)
    return monitor


def test_poisson_counts_mean_and_variance_within_statistical_bounds():
    monitor = _poisson(2026)
    counts = monitor.count[:].astype(float)
    n, p = 10_000, 0.022
    mean, var = n * p, n * p * (1 - p)
    se_mean = math.sqrt(var / counts.size)
    assert abs(counts.mean() - mean) < 4 * se_mean
    # sample variance of 1000 draws: relative standard error about sqrt(2/999) = 4.5 %
    assert abs(counts.var(ddof=1) / var - 1) < 4 * math.sqrt(2 / (counts.size - 1))
    # the printed numbers of the chapter (fixed seed, numpy target)
    assert round(counts.mean(), 2) == 219.55 and round(counts.var(ddof=1), 1) == 209.6


def test_poisson_isi_cv_and_sqrt_n_fluctuations():
    monitor = _poisson(2026)
    isis = np.concatenate([np.diff(np.asarray(tr / ms)) for tr in monitor.spike_trains().values()])
    cv = isis.std() / isis.mean()
    assert abs(cv - math.sqrt(1 - 0.022)) < 0.01
    assert abs(isis.mean() - 1000 / 220) < 4 * isis.std() / math.sqrt(isis.size)
    for window_ms in (10, 100, 1000):
        n_windows = 1000 // window_ms
        per_window = np.zeros((1000, n_windows))
        which = (np.asarray(monitor.t / ms) // window_ms).astype(int)
        np.add.at(per_window, (np.asarray(monitor.i[:]), which), 1)
        N = per_window.mean()
        assert per_window.std(ddof=1) == pytest.approx(math.sqrt(N * (1 - 0.022)), rel=0.06)


def test_poisson_with_same_seed_is_reproducible_and_other_seed_differs():
    first = _poisson(7, n=50).count[:]
    again = _poisson(7, n=50).count[:]
    other = _poisson(8, n=50).count[:]
    assert np.array_equal(first, again)
    assert not np.array_equal(first, other)
