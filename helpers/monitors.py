"""Chapter 1: what Brian recorded, checked against calculations that do not use Brian.

- ``relaxation``: the exact solution of ``dv/dt = (v_target - v)/tau``.
- ``student_model_reference``: the student's P -> Q model from the forum thread,
  stepped event by event in plain numpy, in the same order Brian uses within a time
  step. The tests and the exercise checks compare Brian's numbers with it.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from brian2 import Quantity, ms, second
from brian2.units.fundamentalunits import get_dimensions, have_same_dimensions

from .clock import n_steps, require_step_budget, whole_steps
from .validation import as_finite_quantity, as_plain_array, as_plain_values, require_plain_number, require_positive_duration

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
    t = as_finite_quantity(t, second, "t")
    tau = require_positive_duration(tau, "tau")
    v0 = _level(v0, "v0")
    v_target = _level(v_target, "v_target")
    try:
        np.broadcast_shapes(np.shape(t), np.shape(v0), np.shape(v_target))
    except ValueError:
        raise ValueError(f"t, v0 and v_target must be single values or arrays of matching shapes: got shapes "
                         f"{np.shape(t)}, {np.shape(v0)} and {np.shape(v_target)}.") from None
    if not have_same_dimensions(v0, v_target):
        raise TypeError(f"v0 and v_target must have the same unit (both plain numbers for an abstract model, or "
                        f"both voltages): got v0={v0!r} and v_target={v_target!r}.")
    return v_target + (v0 - v_target) * np.exp(-np.asarray(t / tau, dtype=float))


def _level(value, name: str):
    """A value of v: plain numbers or a Brian quantity, finite, not empty (a list becomes an array)."""
    if isinstance(value, (list, tuple)) and any(isinstance(v, Quantity) for v in value):
        value = as_finite_quantity(value, next(v for v in value if isinstance(v, Quantity)), name)
    if isinstance(value, Quantity) and not get_dimensions(value).is_dimensionless:
        as_finite_quantity(value, value, name)
    else:
        plain = as_plain_values(value, name, example="-70 (or -70*mV)")
        if isinstance(value, (list, tuple)):
            value = plain
    if np.size(value) == 0:
        raise ValueError(f"{name} is empty: give a value such as -70 (or -70*mV).")
    return value


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
        duration: how long to run; Brian's step count (:func:`helpers.clock.n_steps`), so a
            duration that is not a whole number of steps gives one more step, as in Brian.
        tau, dt: Brian times. delay: a Brian time >= 0, a whole number of steps.
        v_init, v_threshold, v_reset, v_target: plain numbers (the model's abstract units).

    Returns:
        A :class:`StudentModelResult`.

    Example:
        >>> from brian2 import ms
        >>> student_model_reference([0.001], duration=5*ms).p_spike_times  # P spikes every 2.4 ms
        array([0.0023, 0.0047])
    """
    weights = as_plain_array(weights, "weights", example="[0.0008, 0.001]")
    duration = require_positive_duration(duration)
    tau = require_positive_duration(tau, "tau")
    dt = require_positive_duration(dt, "dt")
    delay_steps = whole_steps(delay, dt, "delay", example="2*ms")
    if delay_steps < 0:
        raise ValueError(f"delay must be zero or positive (a spike cannot arrive before it is sent): got {delay!r}.")
    v_init, v_threshold, v_reset, v_target = (require_plain_number(value, name, example=example) for value, name, example
                                              in [(v_init, "v_init", -70.0), (v_threshold, "v_threshold", -55.0),
                                                  (v_reset, "v_reset", -70.0), (v_target, "v_target", 1.0)])
    n_steps_total = require_step_budget(n_steps(duration, dt), f"duration={duration!r} at dt={dt!r}")
    decay = np.exp(-float(dt / tau))

    v_p = v_init
    v_q = np.full(weights.shape, v_init, dtype=float)
    spike_steps = []
    arrival_steps = set()
    last_recorded = v_q.copy()
    for step in range(n_steps_total):
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
