"""helpers.pacemakers predicts Brian's pacemaker spikes to the time step.

The independent side is a Brian network of pacemakers (one neuron per tested rate),
run once for many rates; the helper repeats Brian's float64 arithmetic in numpy.
"""
from fractions import Fraction

import numpy as np
import pytest
from brian2 import Hz, Network, NeuronGroup, SpikeMonitor, ms, second
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.clock import n_steps
from helpers.pacemakers import (
    effective_rate,
    pacemaker_spike_steps,
    spike_count,
    steps_per_period,
)

EQS = """
dx/dt = rate : 1
rate : 1/second (constant)
"""


def brian_spike_steps(rates_hz, phases, duration, dt):
    """Run one Brian network with one pacemaker per rate; return each neuron's spike steps."""
    group = NeuronGroup(len(rates_hz), EQS, threshold="x>1", reset="x=0", method="euler", dt=dt)
    group.rate = np.asarray(rates_hz) * Hz
    group.x = np.asarray(phases)
    mon = SpikeMonitor(group)
    net = Network(group, mon)
    net.run(duration)
    trains = mon.spike_trains()
    return [np.round(np.asarray(trains[i] / dt)).astype(np.int64) for i in range(len(rates_hz))], group


def test_thread_rates_bit_exact_and_counts():
    rates = [200, 250, 220, 210]
    brian, _ = brian_spike_steps(rates, np.zeros(4), 1 * second, 0.1 * ms)
    for rate, expected in zip(rates, brian):
        assert np.array_equal(pacemaker_spike_steps(rate * Hz, 1 * second), expected)
    assert [spike_count(r * Hz, 1 * second) for r in rates] == [200, 250, 217, 208]
    assert [len(b) for b in brian] == [200, 250, 217, 208]


def test_random_rates_and_phases_bit_exact():
    rng = np.random.default_rng(20261126)
    rates = np.concatenate([rng.uniform(1, 5000, 150), rng.uniform(150, 300, 150),
                            np.arange(180, 320)])  # every whole rate in the range the book uses
    phases = np.concatenate([np.zeros(150), rng.uniform(0, 1, 150), np.zeros(140)])
    brian, _ = brian_spike_steps(rates, phases, 0.5 * second, 0.1 * ms)
    mismatches = [r for r, p, b in zip(rates, phases, brian)
                  if not np.array_equal(pacemaker_spike_steps(r * Hz, 0.5 * second, phase=p), b)]
    assert mismatches == []


def test_other_dt_and_duration_bit_exact():
    rng = np.random.default_rng(7)
    rates = rng.uniform(50, 9000, 60)
    phases = rng.uniform(0, 1, 60)
    dt = 0.05 * ms
    duration = 123.456 * ms  # not a whole number of steps: Brian rounds the step count up
    brian, group = brian_spike_steps(rates, phases, duration, dt)
    assert n_steps(duration, dt) == int(group.clock.timestep[:]) == 2470  # 2469.12 steps, rounded up
    for r, p, b in zip(rates, phases, brian):
        assert np.array_equal(pacemaker_spike_steps(r * Hz, duration, dt=dt, phase=p), b)


def test_floating_point_accumulation_matters():
    # In exact arithmetic 50 increments of 200 Hz * 0.1 ms reach exactly 1, which is not > 1,
    # so the period would be 51 steps (196 Hz). Brian adds the increment once per step
    # (method='euler': x = x + dt*rate), rounding to float64 every time: after 50 steps x is
    # 1.0000000000000004 > 1, so the neuron really spikes every 50 steps (200 Hz).
    # Not the built-in sum(): from Python 3.12 on it is compensated, and sum([0.02]*50) == 1.0.
    assert Fraction(1, 10_000) * 200 * 50 == 1
    dt, rate = float(0.1 * ms), float(200 * Hz)
    x = 0.0
    for _ in range(49):
        x += dt * rate
    assert x < 1
    x += dt * rate
    assert x == 1.0000000000000004
    # Brian's own accumulation: 50 steps of the pacemaker equation with no threshold.
    group = NeuronGroup(1, EQS, method="euler", dt=0.1 * ms)
    group.rate = 200 * Hz
    Network(group).run(5 * ms)
    assert float(group.x[0]) == x
    assert steps_per_period(200 * Hz) == 50
    assert float(effective_rate(200 * Hz)) == pytest.approx(200.0, rel=1e-12)


def test_effective_rate_formula():
    eff = effective_rate([250, 220, 210] * Hz)
    np.testing.assert_allclose(np.asarray(eff), [1 / (40e-4), 1 / (46e-4), 1 / (48e-4)], rtol=1e-12)
    assert np.ndim(effective_rate(220 * Hz)) == 0
    assert float(effective_rate(220 * Hz)) == pytest.approx(217.391304, rel=1e-6)
    assert float(effective_rate(210 * Hz)) == pytest.approx(208.333333, rel=1e-6)


@settings(max_examples=60, deadline=None)
@given(rate=st.floats(0.5, 5000), phase=st.floats(0, 0.999999),
       duration_steps=st.integers(1, 20000))
def test_spike_train_structure(rate, phase, duration_steps):
    duration = duration_steps * 0.1 * ms
    steps = pacemaker_spike_steps(rate * Hz, duration, phase=phase)
    period = steps_per_period(rate * Hz)
    assert steps.dtype == np.int64
    assert np.all(np.diff(steps) == period)
    assert steps.size == 0 or (0 <= steps[0] < period and steps[-1] < n_steps(duration))
    assert steps.size == 0 or steps[-1] + period >= n_steps(duration)
    # a period of k steps means x needs k increments to pass 1: (k-1)*rate*dt <= 1 < (k+1)*rate*dt
    inc = rate * 1e-4
    assert (period - 1) * inc <= 1 + 1e-9 and (period + 1) * inc > 1 - 1e-9
    assert float(effective_rate(rate * Hz)) == pytest.approx(1 / (period * 1e-4), rel=1e-12)


def test_rejects_plain_numbers_with_advice():
    with pytest.raises(TypeError, match="200\\*Hz"):
        pacemaker_spike_steps(200, 1 * second)
    with pytest.raises(TypeError, match="unit"):
        spike_count(200 * Hz, 1)
    with pytest.raises(TypeError, match="unit"):
        effective_rate([200, 250])
    with pytest.raises(TypeError, match="wrong unit"):
        pacemaker_spike_steps(200 * ms, 1 * second)


def test_rejects_rates_too_high_for_dt():
    with pytest.raises(ValueError, match="lower rate or a smaller dt"):
        pacemaker_spike_steps(6000 * Hz, 1 * second)
    with pytest.raises(ValueError, match="lower rate or a smaller dt"):
        effective_rate([200, 5001] * Hz)
    assert spike_count(6000 * Hz, 10 * ms, dt=0.01 * ms) > 0  # fine with a smaller dt


def test_rejects_bad_values():
    with pytest.raises(ValueError, match="positive"):
        pacemaker_spike_steps(-5 * Hz, 1 * second)
    with pytest.raises(ValueError, match="positive"):
        pacemaker_spike_steps(200 * Hz, 0 * second)
    with pytest.raises(ValueError, match=r"\[0, 1\)"):
        pacemaker_spike_steps(200 * Hz, 1 * second, phase=1.0)
    with pytest.raises(ValueError, match="single rate"):
        pacemaker_spike_steps([200, 250] * Hz, 1 * second)
    with pytest.raises(ValueError, match="higher rate or a larger dt"):
        steps_per_period(1e-8 * Hz)


def test_all_offset_phases_give_every_first_spike_step_in_brian():
    from helpers.pacemakers import all_offset_phases
    rates = [200, 217, 250, 1234.5, 97]
    phases, owners = [], []
    for r in rates:
        p = all_offset_phases(r * Hz)
        assert p.size == steps_per_period(r * Hz) and np.all((p >= 0) & (p < 1))
        phases += list(p)
        owners += [r] * p.size
    brian, _ = brian_spike_steps(owners, phases, 0.2 * second, 0.1 * ms)
    for r in rates:
        firsts = [train[0] for train, owner in zip(brian, owners) if owner == r]
        assert firsts == list(range(steps_per_period(r * Hz)))


@settings(max_examples=60, deadline=None)
@given(rate=st.floats(1, 5000), phase=st.floats(0, 0.999999), dt_us=st.sampled_from([10, 50, 100]),
       duration_us=st.floats(1, 200000))
def test_spike_steps_invariants_for_any_duration(rate, phase, dt_us, duration_us):
    # Durations off the step grid and shorter than dt included: the run has n_steps(duration) steps.
    dt, duration = dt_us * 1e-3 * ms, duration_us * 1e-3 * ms
    if rate * float(dt) > 0.5:  # the rate this dt cannot represent is refused (tested elsewhere)
        return
    steps = pacemaker_spike_steps(rate * Hz, duration, dt=dt, phase=phase)
    total = n_steps(duration, dt)
    assert np.all(np.diff(steps) > 0)  # sorted, one spike per step at most
    assert steps.size == 0 or (steps[0] >= 0 and steps[-1] < total)  # within the run
    assert steps.size == spike_count(rate * Hz, duration, dt=dt, phase=phase)
    if steps.size > 1:  # after the first spike, x restarts from 0: a constant period
        assert np.all(np.diff(steps) == steps_per_period(rate * Hz, dt))
