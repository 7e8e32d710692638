"""Chapter 1: what Brian recorded, checked against calculations that do not use Brian.

- ``relaxation``: the exact solution of ``dv/dt = (v_target - v)/tau``.
- ``student_model_reference``: the student's P -> Q model from the forum thread,
  stepped event by event in plain numpy, in the same order Brian uses within a time
  step. The tests and the exercise checks compare Brian's numbers with it.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from brian2 import ms, second

from .validation import require_positive_duration, require_quantity

__all__ = ["relaxation", "StudentModelResult", "student_model_reference"]


def relaxation(t, v0, v_target, tau):
    """Exact solution of ``dv/dt = (v_target - v)/tau`` started at ``v(0) = v0``.

    Args:
        t: time(s) since the start, a Brian time (e.g. ``100*ms`` or ``M.t``).
        v0: initial value; a plain number for an abstract model, or a voltage.
        v_target: the value ``v`` relaxes towards, same unit as ``v0``.
        tau: membrane time constant, a Brian time.

    Returns:
        ``v(t)``, with the unit of ``v0``.
    """
    t = require_quantity(t, second, "t")
    tau = require_positive_duration(tau, "tau")
    return v_target + (v0 - v_target) * np.exp(-np.asarray(t / tau, dtype=float))


@dataclass(frozen=True)
class StudentModelResult:
    """Result of :func:`student_model_reference` (all voltages in the model's abstract units).

    Attributes:
        final_v: ``Q.v`` at the end of the run, one value per weight.
        last_recorded_v: what a default ``StateMonitor`` would hold last (time ``T - dt``).
        p_spike_times: the spike times of the pre-synaptic neuron ``P`` in seconds.
    """

    final_v: np.ndarray
    last_recorded_v: np.ndarray
    p_spike_times: np.ndarray


def student_model_reference(weights, duration=1 * second, tau=10 * ms, dt=0.1 * ms, delay=2 * ms,
                            v_init=-70.0, v_threshold=-55.0, v_reset=-70.0, v_target=1.0):
    """Step the forum thread's P -> Q model in numpy, one time step at a time.

    The model: both neurons follow ``dv/dt = (v_target - v)/tau`` (integrated exactly),
    start at ``v_init``; ``P`` spikes when ``v > v_threshold`` and resets to ``v_reset``;
    each ``P`` spike adds ``weight`` to ``Q.v`` after ``delay``. ``Q`` has no threshold.
    Within one step, as in Brian's default schedule: a ``StateMonitor`` records, the
    state is advanced, the threshold is tested, delayed spikes arrive, ``P`` resets.
    (``P``'s refractory period of 2 ms in the thread never matters: after a reset ``P``
    needs ``tau*ln(71/56)``, about 2.37 ms, to reach threshold again.)

    Args:
        weights: the jump of ``Q.v`` per ``P`` spike, one simulation per weight (plain numbers).
        duration, tau, dt, delay: Brian times.

    Returns:
        A :class:`StudentModelResult`.
    """
    duration = require_positive_duration(duration)
    tau = require_positive_duration(tau, "tau")
    dt = require_positive_duration(dt, "dt")
    delay = require_quantity(delay, second, "delay")
    weights = np.atleast_1d(np.asarray(weights, dtype=float))
    n_steps = int(round(float(duration / dt)))
    delay_steps = int(round(float(delay / dt)))
    decay = np.exp(-float(dt / tau))

    v_p = v_init
    v_q = np.full(weights.shape, v_init, dtype=float)
    spike_steps = []
    arrival_steps = set()
    last_recorded = v_q.copy()
    for step in range(n_steps):
        last_recorded = v_q.copy()  # 'start' slot: a StateMonitor records before the update
        v_p = v_target + (v_p - v_target) * decay  # 'groups': exact update over one step
        v_q = v_target + (v_q - v_target) * decay
        p_spikes = v_p > v_threshold  # 'thresholds'
        if p_spikes:
            spike_steps.append(step)
            arrival_steps.add(step + delay_steps)
        if step in arrival_steps:  # 'synapses': spikes whose delay has run out arrive
            v_q = v_q + weights
        if p_spikes:  # 'resets'
            v_p = v_reset
    return StudentModelResult(
        final_v=v_q,
        last_recorded_v=last_recorded,
        p_spike_times=np.array(spike_steps, dtype=float) * float(dt),
    )
