"""Edge cases of the core helpers, written to kill mutants that survived `make mutation` (issue 15).

Every expected value comes from an independent calculation that needs no Brian network, so
these tests also run in the mutation subset (tests/mutation_subset.py):

- Brian's pacemaker update written out as a plain Python loop (``x = dt*rate + x``, spike and
  reset when ``x > 1``, as ``helpers.pacemakers`` describes it);
- Brian's own ``Clock._calc_timestep`` for the number of steps of a run;
- the STDP window and the trace rules worked out by hand for two or three spikes.
"""
import math

import numpy as np
import pytest
from brian2 import Clock, Hz, ms, second

from helpers.clock import n_steps, whole_steps
from helpers.events import as_spike_steps, replay_trace_rule
from helpers.pacemakers import (
    all_offset_phases,
    effective_rate,
    pacemaker_spike_steps,
    spike_count,
    steps_per_period,
)
from helpers.pairing import pairing_spike_steps, steady_state_change_per_pairing
from helpers.stdp import THREAD_RULE, stdp_reference


def loop_pacemaker(rate_hz, dt_s, n, x0=0.0):
    """The thread's pacemaker stepped as Brian's numpy code does it: one float64 addition per step."""
    x, increment, spikes = x0, float(np.float64(dt_s) * np.float64(rate_hz)), []
    for step in range(n):
        x = increment + x
        if x > 1.0:
            spikes.append(step)
            x = 0.0
    return spikes


# --- pacemakers ----------------------------------------------------------------------------

CASES = [(200, 0.1 * ms, 0.0), (220, 0.1 * ms, 0.37), (97, 0.1 * ms, 0.999), (1234.5, 0.05 * ms, 0.5),
         (4999, 0.1 * ms, 0.0), (3, 0.1 * ms, 0.25)]


@pytest.mark.parametrize("rate, dt, phase", CASES)
def test_spike_steps_equal_the_step_by_step_loop(rate, dt, phase):
    duration = 87.3 * ms  # not a whole number of 0.1 ms steps: Brian rounds the step count up
    n = Clock(dt=dt)._calc_timestep(float(duration))
    expected = loop_pacemaker(rate, float(dt), int(n), phase)
    steps = pacemaker_spike_steps(rate * Hz, duration, dt=dt, phase=phase)
    assert steps.tolist() == expected
    assert spike_count(rate * Hz, duration, dt=dt, phase=phase) == len(expected)


@pytest.mark.parametrize("rate, dt", [(200, 0.1 * ms), (220, 0.1 * ms), (1234.5, 0.05 * ms), (97, 0.02 * ms)])
def test_period_and_effective_rate_from_the_loop(rate, dt):
    spikes = loop_pacemaker(rate, float(dt), 4 * int(1 / (rate * float(dt))) + 10)
    period = spikes[1] - spikes[0]
    assert spikes[0] == period - 1  # from x = 0 the first spike ends the first period
    assert steps_per_period(rate * Hz, dt) == period
    assert float(effective_rate(rate * Hz, dt)) == pytest.approx(1 / (period * float(dt)), rel=1e-14)


@pytest.mark.parametrize("rate, dt", [(200, 0.1 * ms), (220, 0.1 * ms), (1234.5, 0.05 * ms), (97, 0.05 * ms)])
def test_all_offset_phases_put_the_first_spike_on_every_step_of_a_period(rate, dt):
    """Entry j is 1 - (j + 0.5)*rate*dt (at least 0), and starting there the first spike is in step j."""
    phases = all_offset_phases(rate * Hz, dt)
    increment = rate * float(dt)
    period = loop_pacemaker(rate, float(dt), 10**5)[0] + 1
    assert phases.size == period
    np.testing.assert_allclose(phases, np.maximum(0.0, 1.0 - (np.arange(period) + 0.5) * increment),
                               rtol=0, atol=1e-12)
    assert np.all((phases >= 0) & (phases < 1))
    firsts = [loop_pacemaker(rate, float(dt), period + 1, p)[0] for p in phases]
    assert firsts == list(range(period))


# --- Brian's clock ---------------------------------------------------------------------------

@pytest.mark.parametrize("dt", [0.1 * ms, 0.05 * ms, 0.3 * ms])
def test_n_steps_is_brians_step_count(dt):
    """Within 0.01 % of a whole number of steps Brian rounds to it, otherwise it rounds up."""
    clock = Clock(dt=dt)
    for whole in (1, 7, 12, 1000):
        for frac in (0.0, 3e-5, 9e-5, 1.1e-4, 2e-4, 0.4, 0.5, 0.6, 0.9998, 0.99995, -3e-5, -9e-5, -2e-4):
            duration = (whole + frac) * float(dt)
            assert n_steps(duration * second, dt) == int(clock._calc_timestep(duration)), (whole, frac)


def test_whole_steps_accepts_round_off_and_refuses_a_part_of_a_step():
    assert whole_steps(0.3 * ms, 0.1 * ms, "lag") == 3  # 0.3/0.1 = 2.9999999999999996 in floats
    assert whole_steps(-2.5 * ms, 0.5 * ms, "lag") == -5
    assert whole_steps((7 + 1e-8) * 0.1 * ms, 0.1 * ms, "lag") == 7
    for off in (1e-4, 0.01, 0.5, -0.3):
        with pytest.raises(ValueError, match="whole number of time steps"):
            whole_steps((7 + off) * 0.1 * ms, 0.1 * ms, "lag")


# --- spike trains and the event loop ----------------------------------------------------------

def test_spike_times_become_steps_and_off_grid_times_are_refused():
    assert as_spike_steps([0.3, 0.7, 2.9] * ms, 0.1 * ms, "pre").tolist() == [3, 7, 29]
    assert as_spike_steps(np.array([3, 7]) * 0.05 * ms, 0.05 * ms, "pre").tolist() == [3, 7]
    assert as_spike_steps([(7 + 1e-9) * 0.1] * ms, 0.1 * ms, "pre").tolist() == [7]
    for off in (1e-4, 0.3, 0.5):
        with pytest.raises(ValueError, match="not a whole number of time steps"):
            as_spike_steps([(7 + off) * 0.1] * ms, 0.1 * ms, "pre")


def test_replay_decays_each_trace_with_its_own_time_constant():
    """Two traces, tau 5 ms and 40 ms: a pre spike at 1 ms, post spikes at 3 ms and 9 ms."""
    def on_pre(traces, w):
        traces[0] += 1.0
        traces[1] += 2.0
        return w

    def on_post(traces, w):
        return w + traces[0] + 10 * traces[1]

    replay = replay_trace_rule([10], [30, 90], 0.1 * ms, taus=[5 * ms, 40 * ms], on_pre=on_pre,
                               on_post=on_post, w0=0.25, record=True)
    first = math.exp(-2 / 5) + 20 * math.exp(-2 / 40)
    second_ = math.exp(-8 / 5) + 20 * math.exp(-8 / 40)
    assert replay.w.tolist() == pytest.approx([0.25, 0.25 + first, 0.25 + first + second_], rel=1e-14)
    assert replay.final_w == pytest.approx(0.25 + first + second_, rel=1e-14)
    assert replay.steps.tolist() == [10, 30, 90] and replay.is_post.tolist() == [False, True, True]
    assert replay_trace_rule([10], [30], 0.1 * ms, taus=[5 * ms, 40 * ms], on_pre=on_pre, on_post=on_post,
                             w0=0.25).w is None  # nothing recorded unless asked


def test_replay_handles_pre_first_within_a_step_and_a_spike_at_time_zero():
    seen = []

    def on_pre(traces, w):
        seen.append(("pre", traces[0]))
        traces[0] += 1.0
        return w

    def on_post(traces, w):
        seen.append(("post", traces[0]))
        return w + traces[0]

    replay = replay_trace_rule([0, 20], [0, 20], 0.1 * ms, taus=[10 * ms], on_pre=on_pre, on_post=on_post, w0=0.0)
    decay = math.exp(-2 / 10)
    assert seen == [("pre", 0.0), ("post", 1.0), ("pre", pytest.approx(decay, rel=1e-14)),
                    ("post", pytest.approx(decay + 1, rel=1e-14))]
    assert replay.final_w == pytest.approx(2 + decay, rel=1e-14)


# --- the pair rule and the pairing protocol ------------------------------------------------------

def test_stdp_reference_with_unequal_time_constants_by_hand():
    rule = THREAD_RULE.replace(taupre=8 * ms, taupost=30 * ms, dApre=0.01, depression_ratio=1.2)
    d_post = -0.01 * 8 / 30 * 1.2
    # post at 0, pre at 5 ms (depression), post at 12 ms (potentiation by the pre trace only)
    w = stdp_reference([50], [0, 120], rule=rule, w0=0.4)
    assert w == pytest.approx(0.4 + d_post * math.exp(-5 / 30) + 0.01 * math.exp(-7 / 8), rel=1e-13)


def test_pairing_steps_round_each_period_to_the_grid_and_keep_the_lag():
    pre, post = pairing_spike_steps(30 * Hz, -4 * ms, 4, dt=0.05 * ms, start=5 * ms)
    period_steps = 1 / (30 * 0.05e-3)  # 666.67 steps
    assert pre.tolist() == [100 + round(k * period_steps) for k in range(4)]
    assert (post - pre).tolist() == [-80] * 4
    pre, post = pairing_spike_steps(20 * Hz, -10 * ms, 2, start=10 * ms)  # first post spike at t = 0
    assert post.tolist() == [0, 500]
    with pytest.raises(ValueError, match="times >= 0"):
        pairing_spike_steps(20 * Hz, -10 * ms, 2, start=9.9 * ms)
    pre, post = pairing_spike_steps(50 * Hz, 19.9 * ms, 2)  # the longest lag shorter than the period
    assert (post - pre).tolist() == [199, 199]
    for lag in (20 * ms, -20 * ms):
        with pytest.raises(ValueError, match="not shorter than the period"):
            pairing_spike_steps(50 * Hz, lag, 2, start=30 * ms)


def test_steady_state_lag_of_a_whole_period_is_lag_zero():
    """lag = -T (or +T) puts each post spike on a pre spike: pre-then-post at lag 0 by convention."""
    T, tau = 0.02, 0.02
    zero = 0.02 / (1 - math.exp(-T / tau)) - 0.021 * math.exp(-T / tau) / (1 - math.exp(-T / tau))
    for lag in (0 * ms, -20 * ms, 20 * ms, -40 * ms):
        assert steady_state_change_per_pairing(50 * Hz, lag) == pytest.approx(zero, rel=1e-12)
    both = steady_state_change_per_pairing([50, 10] * Hz, -20 * ms)
    assert both.shape == (2,) and both[0] == pytest.approx(zero, rel=1e-12)


def test_effective_rate_carries_hertz():
    from brian2.units.fundamentalunits import have_same_dimensions
    assert have_same_dimensions(effective_rate(220 * Hz), Hz)
    assert have_same_dimensions(effective_rate([220, 210] * Hz), Hz)


def test_a_period_longer_than_one_block_of_steps():
    """0.1 Hz at 0.1 ms: x needs 100001 additions of 1e-5 (float round-off), more than one 65536-step block."""
    period = loop_pacemaker(0.1, 1e-4, 100010)[0] + 1
    assert period == steps_per_period(0.1 * Hz) == 100001
    assert pacemaker_spike_steps(0.1 * Hz, 25 * second).tolist() == [100000, 200001]


def test_slowest_rate_and_largest_step_budget_accepted():
    from helpers.clock import MAX_STEPS, require_step_budget
    from helpers.pacemakers import require_pacemaker_rates
    # a period of 1/(rate*dt) steps may be up to 1e9 steps: 1.5e-5 Hz at 0.1 ms is 6.7e8 steps
    assert float(require_pacemaker_rates(1.5e-5 * Hz, 0.1 * ms)[0]) == pytest.approx(1.5e-5)
    with pytest.raises(ValueError, match="more than 1e\\+09 time steps"):
        require_pacemaker_rates(0.5e-5 * Hz, 0.1 * ms)
    assert require_step_budget(0, "nothing") == 0
    assert require_step_budget(MAX_STEPS, "the most") == MAX_STEPS
    with pytest.raises(ValueError, match="time steps"):
        require_step_budget(MAX_STEPS + 1, "one too many")


def test_spike_trains_in_other_spellings():
    from brian2 import Quantity
    assert as_spike_steps([4.5 * ms, 9.1 * ms], 0.1 * ms, "pre").tolist() == [45, 91]  # a list of times
    assert as_spike_steps(Quantity([3, 7]), 0.1 * ms, "pre").tolist() == [3, 7]  # dimensionless: steps
    assert as_spike_steps([], 0.1 * ms, "pre").size == 0
    with pytest.raises(TypeError, match="spike steps"):
        as_spike_steps(None, 0.1 * ms, "pre")


def test_steady_state_lag_just_short_of_a_period_is_post_before_pre():
    """Only float round-off (1e-12 s) counts as a whole period; 5 ns short of it is a post-pre pair."""
    T, tau, gap = 0.02, 0.02, 5e-9
    expected = (0.02 * np.exp(-(T - gap) / tau) - 0.021 * np.exp(-gap / tau)) / (1 - np.exp(-T / tau))
    assert steady_state_change_per_pairing(50 * Hz, (T - gap) * second) == pytest.approx(expected, rel=1e-9)
    with pytest.raises(ValueError, match="not an array"):
        steady_state_change_per_pairing(50 * Hz, [10, 20] * ms)


# --- types and edge cases the docstrings promise ---------------------------------------------------

def test_scalar_in_scalar_out():
    assert isinstance(steady_state_change_per_pairing(10 * Hz, 10 * ms), float)
    from helpers.stdp import stdp_window
    assert isinstance(stdp_window(10 * ms), float)
    assert stdp_window([10, -10] * ms).shape == (2,)


def test_steady_state_lag_of_three_periods_with_round_off():
    """-100 ms is exactly -3 periods at 30 Hz, but np.mod leaves L = T - 7e-18 s: still lag 0."""
    T, tau = 1 / 30, 0.02
    zero = (0.02 - 0.021 * np.exp(-T / tau)) / (1 - np.exp(-T / tau))
    assert steady_state_change_per_pairing(30 * Hz, -100 * ms) == pytest.approx(zero, rel=1e-12)


def test_step_arrays_are_int64_and_flags_are_bool():
    assert as_spike_steps([4.5, 9.1] * ms, 0.1 * ms, "pre").dtype == np.int64
    floats = as_spike_steps([45.0, 91.0], 0.1 * ms, "pre")  # whole numbers given as floats
    assert floats.dtype == np.int64 and floats.tolist() == [45, 91]
    pre, post = pairing_spike_steps(30 * Hz, 10 * ms, 3)
    assert pre.dtype == np.int64 and post.dtype == np.int64
    replay = replay_trace_rule([0], [5], 0.1 * ms, taus=[20 * ms], on_pre=lambda t, w: w,
                               on_post=lambda t, w: w, w0=0.5)
    assert replay.is_post.dtype == bool and replay.steps.dtype == np.int64


def test_trace_time_constants_in_every_spelling():
    def on_pre(traces, w):
        traces[0] += 1.0
        return w

    def on_post(traces, w):
        return w + traces[0]

    expected = 0.5 + math.exp(-1 / 20)
    for taus in (20 * ms, [20 * ms], [20] * ms):
        replay = replay_trace_rule([0], [10], 0.1 * ms, taus=taus, on_pre=on_pre, on_post=on_post, w0=0.5)
        assert replay.final_w == pytest.approx(expected, rel=1e-14), taus
    two = replay_trace_rule([0], [10], 0.1 * ms, taus=[20, 40] * ms, on_pre=on_pre, on_post=on_post, w0=0.5)
    assert two.final_w == pytest.approx(expected, rel=1e-14)
    none = replay_trace_rule([0], [10], 0.1 * ms, taus=[], on_pre=lambda t, w: w, on_post=lambda t, w: w, w0=0.5)
    assert none.final_w == 0.5  # a rule with no traces


def test_pairing_accepts_its_smallest_and_largest_protocols():
    pre, post = pairing_spike_steps(20 * Hz, 10 * ms, 2, start=0 * ms)  # first pre spike at t = 0
    assert pre.tolist() == [0, 500] and post.tolist() == [100, 600]
    pre, _ = pairing_spike_steps(20 * Hz, 10 * ms, 1)
    assert pre.tolist() == [100]
    from helpers.pairing import MAX_PAIRS
    pre, _ = pairing_spike_steps(20 * Hz, 10 * ms, MAX_PAIRS)
    assert pre.size == MAX_PAIRS and pre[-1] == 100 + 500 * (MAX_PAIRS - 1)
    for bad in (0, 2.5, MAX_PAIRS + 1):
        with pytest.raises(ValueError, match="n_pairs"):
            pairing_spike_steps(20 * Hz, 10 * ms, bad)
    with pytest.raises(ValueError, match="single rate"):
        pairing_spike_steps([20, 30] * Hz, 10 * ms, 3)


def test_very_slow_pacemakers_need_several_blocks_of_steps():
    """0.05 Hz: 200001 steps per period (three 65536-step blocks); 0.1 Hz does not spike within 8 s."""
    assert steps_per_period(0.05 * Hz) == loop_pacemaker(0.05, 1e-4, 200010)[0] + 1
    assert pacemaker_spike_steps(0.1 * Hz, 8 * second).size == 0  # its first spike would be at 10 s


def test_jump_sizes_beyond_a_million_are_refused():
    with pytest.raises(ValueError, match="trace jumps"):
        stdp_reference([0], [10], rule=THREAD_RULE.replace(dApre=2e6, depression_ratio=0.0))
    with pytest.raises(ValueError, match="trace jumps"):
        stdp_reference([0], [10], rule=THREAD_RULE.replace(depression_ratio=1e9))
