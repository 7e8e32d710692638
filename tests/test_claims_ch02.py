"""Claims of chapter 2 about the student's model (chapter 1 links to them), checked without Brian.

Section "The student's mixed model, diagnosed": the student's `P`, `dv/dt = (1 - v)/tau : 1`
with tau = 10 ms, start and reset at -70 and threshold -55, is the abstract LIF neuron with
the voltage measured from -70 in units of the 15 "mV" gap: drive (1 - (-70))/15 = 71/15,
threshold 1, reset 0. Its 2 ms refractory period has no `(unless refractory)`, so it only
blocks the threshold test, and it ends before the next crossing: the neuron behaves as one
without a refractory period. The fixed pair of the same section fires with drive 2 and a
2 ms refractory period (with `(unless refractory)`).

The spike times come from :func:`helpers.lif.reference_spike_times`, which steps the neuron
in plain numpy in Brian's order within a time step.
"""
import numpy as np
from brian2 import ms, second

from helpers.lif import reference_spike_times, step_grid_period

TAU = 10 * ms
DT = 0.1 * ms
STUDENT_DRIVE = 71 / 15  # (1 - (-70)) / (-55 - (-70))


def test_students_P_fires_416_times_every_2_4_ms():
    times = reference_spike_times(STUDENT_DRIVE, TAU, 1 * second, dt=DT, refractory=0 * ms)[0]
    assert len(times) == 416
    assert np.allclose(times[:3], [2.3e-3, 4.7e-3, 7.1e-3], rtol=0, atol=1e-12)
    assert np.allclose(np.diff(times), 2.4e-3, rtol=0, atol=1e-12)
    assert np.isclose(float(step_grid_period(STUDENT_DRIVE, TAU, DT, 0 * ms) / ms), 2.4)


def test_students_P_crosses_after_tau_ln_71_56_in_the_24th_step():
    crossing = float(TAU / ms) * np.log(71 / 56)  # ms, from v(t) = 1 - 71 exp(-t/tau) = -55
    assert np.isclose(crossing, 2.37328186, rtol=0, atol=5e-9)
    assert int(np.floor(crossing / 0.1)) + 1 == 24  # seen at the end of the 24th step
    # The 2 ms refractory period is over before the crossing, so it never blocks a spike:
    assert crossing > 2.0


def test_fixed_pair_fires_112_times_in_one_second():
    times = reference_spike_times(2.0, TAU, 1 * second, dt=DT, refractory=2 * ms)[0]
    assert len(times) == 112
    assert np.allclose(np.diff(times), 8.9e-3, rtol=0, atol=1e-12)  # every 8.9 ms
