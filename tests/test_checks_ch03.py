"""The chapter 3 exercise checks accept right answers and explain wrong ones."""
import numpy as np
from brian2 import Hz, Network, NeuronGroup, SpikeMonitor, kHz, ms, second

from helpers.checks import ch03
from helpers.pacemakers import effective_rate, spike_count


def test_expected_values_agree_with_the_numpy_pacemaker():
    """The checks' exact-fraction answers agree with helpers.pacemakers (an independent route)."""
    assert ch03.expected_counts().tolist() == [spike_count(r * Hz, 1 * second) for r in (190, 230, 330)]
    assert ch03.expected_counts().tolist() == [188, 227, 322]
    fine = np.asarray(effective_rate([210, 220] * Hz, dt=0.01 * ms) / Hz)
    assert np.allclose(ch03.expected_fine_rates(), fine, rtol=1e-12)


def test_counts_right_answer_in_several_forms():
    assert ch03.check_counts(np.array([188, 227, 322])).correct
    assert ch03.check_counts([188, 227, 322]).correct
    assert repr(ch03.check_counts([188, 227, 322])).startswith("Correct")


def test_counts_wrong_answers_get_specific_hints():
    requested = ch03.check_counts([190, 230, 330])
    assert not requested.correct and "requested rates" in requested.message
    rates = ch03.check_counts(1 / (np.array([53, 44, 31]) * 1e-4))
    assert not rates.correct and "effective rates" in rates.message
    nearest = ch03.check_counts([10000 // 53, 10000 // 43, 10000 // 30])
    assert not nearest.correct and "rounded *up*" in nearest.message
    off_by_one = ch03.check_counts([189, 227, 322])
    assert not off_by_one.correct and off_by_one.message.startswith("`counts` has the right shape")
    assert not ch03.check_counts([188, 227]).correct
    unanswered = ch03.check_counts(...)
    assert not unanswered.correct and "no value yet" in unanswered.message


def test_fine_dt_right_answer():
    right = [1 / (477 * 0.01 * ms), 1 / (455 * 0.01 * ms)]
    fb = ch03.check_fine_dt_rates(np.array([float(r) for r in right]) * Hz)
    assert fb.correct
    in_khz = ch03.check_fine_dt_rates(np.array([float(r / kHz) for r in right]) * kHz)
    assert in_khz.correct                                   # any unit of rate is fine
    slightly_off = ch03.check_fine_dt_rates(np.array([209.7, 219.8]) * Hz)
    assert not slightly_off.correct and "right shape" in slightly_off.message


def test_fine_dt_wrong_answers_get_specific_hints():
    coarse = ch03.check_fine_dt_rates(np.array([1 / 4.8e-3, 1 / 4.6e-3]) * Hz)
    assert not coarse.correct and "dt=0.01*ms" in coarse.message
    requested = ch03.check_fine_dt_rates([210, 220] * Hz)
    assert not requested.correct and "requested rates" in requested.message
    swapped = ch03.check_fine_dt_rates(np.array([1 / 4.55e-3, 1 / 4.77e-3]) * Hz)
    assert not swapped.correct and "wrong order" in swapped.message
    unitless = ch03.check_fine_dt_rates(np.array([1 / 4.77e-3, 1 / 4.55e-3]))
    assert not unitless.correct and "unit" in unitless.message
    wrong_unit = ch03.check_fine_dt_rates(np.array([4.77, 4.55]) * ms)
    assert not wrong_unit.correct and "unit" in wrong_unit.message
    assert "no value yet" in ch03.check_fine_dt_rates(...).message


def _trains(reset="x -= 1", rates=(200, 220)):
    """One second of two pacemakers simulated by Brian (numpy target), as spike trains."""
    group = NeuronGroup(2, "dx/dt = rate : 1\nrate : 1/second (constant)", threshold="x > 1",
                        reset=reset, method="euler")
    group.rate = np.array(rates) * Hz
    monitor = SpikeMonitor(group)
    Network(group, monitor).run(1 * second)
    trains = monitor.spike_trains()
    return np.array(trains[0] / second) * second, np.array(trains[1] / second) * second


def _clock_trains(first_at_period=False):
    group = NeuronGroup(2, "period : second (constant)\nnext_spike : second",
                        threshold="t >= next_spike - dt/2", reset="next_spike += period", method="euler")
    group.period = 1 / (np.array([200, 220]) * Hz)
    group.next_spike = group.period[:] if first_at_period else 0 * ms
    monitor = SpikeMonitor(group)
    Network(group, monitor).run(1 * second)
    trains = monitor.spike_trains()
    return np.array(trains[0] / second) * second, np.array(trains[1] / second) * second


def _generator_times(rate):
    """Brian's SpikeGeneratorGroup rule floor(m/rate/dt + 0.001), computed without Brian."""
    return np.floor(np.arange(rate) * 10_000 / rate + 1e-3) * 0.1 * ms


def test_beat_trains_accepts_every_exact_method_simulated_by_brian():
    for trains in (_trains("x -= 1"), _clock_trains(), _clock_trains(first_at_period=True),
                   (_generator_times(200), _generator_times(220))):
        fb = ch03.check_beat_trains(*trains)
        assert fb.correct, fb
    assert "20 Hz" in ch03.check_beat_trains(*_trains("x -= 1")).message
    late_start = ch03.check_beat_trains(*_clock_trains(first_at_period=True))
    assert "199 and 219" in late_start.message


def test_beat_trains_refuses_typed_in_counts_and_the_plain_pacemaker():
    counts = ch03.check_beat_trains(200, 220)
    assert not counts.correct and "unit" in counts.message        # a count is not a spike train
    counts_s = ch03.check_beat_trains(200 * second, 220 * second)
    assert not counts_s.correct and "1-d array" in counts_s.message
    plain = ch03.check_beat_trains(*_trains("x = 0"))
    assert not plain.correct and "46 steps" in plain.message and "217" in plain.message
    ideal = ch03.check_beat_trains(np.arange(200) / 200 * second, np.arange(220) / 220 * second)
    assert not ideal.correct and "time grid" in ideal.message     # typed-in ideal times, not Brian's


def test_beat_trains_wrong_answers():
    t200, t220 = _trains("x -= 1")
    swapped = ch03.check_beat_trains(t220, t200)
    assert not swapped.correct and "wrong order" in swapped.message
    # the generator's train runs from 0 to 995.4 ms: without its last spike it stops 9.1 ms early
    generated = _generator_times(220)
    missing_end = ch03.check_beat_trains(t200, generated[:-1])
    assert not missing_end.correct and "whole second" in missing_end.message
    missing_start = ch03.check_beat_trains(t200, generated[2:])
    assert not missing_start.correct and "whole second" in missing_start.message
    longer = ch03.check_beat_trains(t200, np.append(np.asarray(t220), 1.2) * second)
    assert not longer.correct and "outside the run" in longer.message
    doubled = ch03.check_beat_trains(t200, np.sort(np.append(np.asarray(t220), np.asarray(t220[5]))) * second)
    assert not doubled.correct and "increasing" in doubled.message
    shifted = np.asarray(t220).copy()
    shifted[100] += 2e-4                                           # one spike two steps late
    drift = ch03.check_beat_trains(t200, shifted * second)
    assert not drift.correct and "drift" in drift.message
    in_ms = ch03.check_beat_trains(np.asarray(t200 / ms), np.asarray(t220 / ms))
    assert not in_ms.correct and "unit" in in_ms.message
    assert not ch03.check_beat_trains("many", t220).correct
    assert "no value yet" in ch03.check_beat_trains(..., ...).message


def test_beat_trains_nan_is_explained():
    t200, t220 = _trains("x -= 1")
    bad = np.asarray(t220).copy()
    bad[3] = np.nan
    nan = ch03.check_beat_trains(t200, bad * second)
    assert not nan.correct and "nan or inf" in nan.message


def test_counts_refuse_a_unit():
    fb = ch03.check_counts([188, 227, 322] * Hz)
    assert not fb.correct and "plain number" in fb.message
