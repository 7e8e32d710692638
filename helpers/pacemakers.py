"""Pacemaker neurons: when Brian's ``dx/dt = rate`` neuron spikes, computed without Brian.

The forum thread (see the book's introduction) builds neurons that fire at a chosen
rate from the model::

    dx/dt = rate : 1
    rate : 1/second (constant)
    threshold='x>1', reset='x=0', method='euler'

Each time step Brian's numpy code computes ``x = (dt*rate) + x`` in float64, then
tests ``x > 1`` and, for a spike, sets ``x = 0``. The spike is labelled with the
*start* time of that step. Because ``x`` only grows in whole increments of
``dt*rate``, the interval between spikes is a whole number of steps: the neuron
cannot fire at exactly 220 Hz with dt = 0.1 ms; it fires every 46 steps
(4.6 ms, about 217.4 Hz).

This module repeats Brian's arithmetic step for step in numpy, so that tests and
chapters can say in advance, to the time step, when a pacemaker will spike:

- :func:`pacemaker_spike_steps`: the step indices of all spikes during ``run(duration)``.
- :func:`spike_count`: how many spikes that is.
- :func:`steps_per_period`: the number of steps between two spikes.
- :func:`effective_rate`: the rate the pacemaker really has, ``1/(steps per period * dt)``.

The book's live figures repeat this arithmetic in JavaScript (``pacemakerSpikeSteps``,
``effectiveRate`` in ``vendor/site/_static/offline/book/beat-experiment.js``, see
:mod:`helpers.live`); ``tests/browser/test_live_figures.py`` checks that both agree.

Everything takes Brian quantities (``200*Hz``, ``1*second``, ``0.1*ms``) and
refuses plain numbers with a message that says what to do.
"""
from __future__ import annotations

import numpy as np
from brian2 import Hz, Quantity, ms
from brian2.units.fundamentalunits import get_dimensions

from .clock import n_steps, require_step_budget
from .validation import require_plain_number, require_positive_duration, require_representable_rates

__all__ = [
    "PACEMAKER_EQS",
    "steps_per_period",
    "pacemaker_spike_steps",
    "spike_count",
    "effective_rate",
    "all_offset_phases",
    "require_pacemaker_rates",
]

#: The pacemaker model of the thread: x climbs at ``rate`` and the neuron spikes when x > 1
#: (with ``threshold='x > 1'``, ``reset='x = 0'``, ``method='euler'``).
PACEMAKER_EQS = """
dx/dt = rate : 1
rate : 1/second (constant)
"""

#: Accumulate ``x`` in blocks of this many steps (keeps memory small for slow rates).
_BLOCK = 65536


#: Longest period (in steps) these functions will compute, to stop runaway loops.
MAX_PERIOD_STEPS = 10**9


def require_pacemaker_rates(rates, dt, name: str = "rates") -> Quantity:
    """Check pacemaker rates for a clock of step ``dt``; return them as a 1-D Brian array in Hz.

    A rate must carry a unit, be positive and finite, be at most ``1/(2*dt)`` (a regular
    rhythm needs at least two steps per period) and not be so low that one period takes
    more than ``10**9`` steps.

    Example:
        >>> from brian2 import Hz, ms
        >>> require_pacemaker_rates(200*Hz, 0.1*ms)
        array([200.]) * hertz
    """
    rates = require_representable_rates(rates, dt, name)
    rates_hz = np.asarray(rates, dtype=float)
    too_slow = rates_hz * float(dt) * MAX_PERIOD_STEPS < 1.0
    if np.any(too_slow):
        raise ValueError(
            f"{name} contains {rates_hz[too_slow][0]:g} Hz, so low that one period would take more than "
            f"{MAX_PERIOD_STEPS:.0e} time steps of {float(dt) * 1e3:g} ms. Use a higher rate or a larger dt."
        )
    return rates


def _check_rate(rate, dt) -> float:
    """Validate one rate (a Brian quantity in Hz) and return it in Hz as a float."""
    if np.ndim(rate) != 0:
        raise ValueError(f"rate must be a single rate such as 200*Hz, not an array: got {rate!r}.")
    return float(np.asarray(require_pacemaker_rates(rate, dt, "rate"))[0])


def _check_phase(phase) -> float:
    """The initial value of ``x``: a plain number in [0, 1)."""
    value = require_plain_number(phase, "phase", example=0.25)
    if not (0.0 <= value < 1.0):
        raise ValueError(f"phase must be in [0, 1) (x starts at this value and spikes when x > 1): "
                         f"got {value!r}.")
    return value


def _first_crossing(increment: float, start: float, max_steps: int) -> int | None:
    """Number of additions ``x = increment + x`` (from ``x = start``) until ``x > 1``.

    The additions are done one after the other in float64, as Brian does them
    (``numpy.cumsum`` adds sequentially, left to right). Returns ``None`` when ``x``
    has not passed 1 after ``max_steps`` additions.
    """
    x = start
    done = 0
    # First guess the answer, (1 - start)/increment, so one short block usually suffices.
    guess = int(min(_BLOCK, max(0.0, (1.0 - start) / increment) * 1.001 + 16))
    while done < max_steps:
        block = min(guess if done == 0 else _BLOCK, max_steps - done)
        seq = np.empty(block + 1)
        seq[0] = x
        seq[1:] = increment
        xs = np.cumsum(seq)[1:]  # xs[k] = value after k+1 additions in this block
        above = np.flatnonzero(xs > 1.0)
        if above.size:
            return done + int(above[0]) + 1
        x = float(xs[-1])
        done += block
    return None


def _increment(rate_hz: float, dt_s: float) -> float:
    """``dt*rate`` exactly as Brian's numpy code computes it (float64 product)."""
    return float(np.float64(dt_s) * np.float64(rate_hz))


def steps_per_period(rate, dt=0.1 * ms) -> int:
    """Number of time steps between two spikes of a pacemaker (after a reset to 0).

    Args:
        rate: the requested rate, a Brian quantity such as ``220*Hz``.
        dt: the simulation time step.

    Returns:
        The integer ``k`` such that, starting from ``x = 0``, ``x`` first exceeds 1 after
        ``k`` steps. For 220 Hz and dt = 0.1 ms, ``k = 46``.

    Example:
        >>> from brian2 import Hz
        >>> steps_per_period(220*Hz)
        46
    """
    dt = require_positive_duration(dt, "dt")
    rate_hz = _check_rate(rate, dt)
    k = _first_crossing(_increment(rate_hz, float(dt)), 0.0, 2 * MAX_PERIOD_STEPS)
    return int(k)


def pacemaker_spike_steps(rate, duration, dt=0.1 * ms, phase=0.0) -> np.ndarray:
    """Time-step indices at which Brian's pacemaker spikes during ``run(duration)``.

    Step ``i`` covers the time from ``i*dt`` to ``(i+1)*dt``; a spike found in step ``i``
    is recorded by a ``SpikeMonitor`` at time ``i*dt``.

    Args:
        rate: the requested rate, e.g. ``200*Hz`` (at most ``1/(2*dt)``).
        duration: the length of the run, e.g. ``1*second``.
        dt: the simulation time step (default 0.1 ms, Brian's default).
        phase: the initial value of ``x``, a plain number in [0, 1). With ``phase = 0``
            (Brian's default initial value) the first spike comes after one full period.

    Returns:
        A 1-D integer numpy array of step indices, in increasing order.

    Example:
        >>> from brian2 import Hz, ms
        >>> pacemaker_spike_steps(220*Hz, 20*ms)
        array([ 45,  91, 137, 183])
    """
    dt = require_positive_duration(dt, "dt")
    rate_hz = _check_rate(rate, dt)
    duration = require_positive_duration(duration, "duration")
    steps_total = require_step_budget(n_steps(duration, dt), f"duration={duration!r} at dt={dt!r}")
    x0 = _check_phase(phase)
    increment = _increment(rate_hz, float(dt))
    first = _first_crossing(increment, x0, steps_total)
    if first is None:
        return np.zeros(0, dtype=np.int64)
    first_step = first - 1  # the k-th addition happens in step k-1
    period = _first_crossing(increment, 0.0, steps_total + 1)
    if period is None:  # x will not reach 1 again during the run
        return np.array([first_step], dtype=np.int64)
    return np.arange(first_step, steps_total, period, dtype=np.int64)


def spike_count(rate, duration, dt=0.1 * ms, phase=0.0) -> int:
    """Number of spikes Brian's pacemaker fires during ``run(duration)``.

    Arguments as in :func:`pacemaker_spike_steps`.

    Example:
        In 1 second with dt = 0.1 ms, 200/250/220/210 Hz give 200/250/217/208 spikes:

        >>> from brian2 import Hz, second
        >>> [spike_count(rate*Hz, 1*second) for rate in (200, 250, 220, 210)]
        [200, 250, 217, 208]
    """
    return int(pacemaker_spike_steps(rate, duration, dt=dt, phase=phase).size)


def effective_rate(rate, dt=0.1 * ms) -> Quantity:
    """The rate a pacemaker really fires at: ``1/(steps_per_period * dt)``.

    Args:
        rate: one requested rate or an array of rates (Brian quantities in Hz).
        dt: the simulation time step.

    Returns:
        A Brian quantity in Hz with the shape of ``rate``. For dt = 0.1 ms,
        220 Hz gives 1/(46*0.1 ms) = 217.39 Hz and 210 Hz gives 1/(48*0.1 ms) = 208.33 Hz.

    Example:
        >>> from brian2 import Hz
        >>> effective_rate([220, 210]*Hz)
        array([217.39130435, 208.33333333]) * hertz
    """
    dt = require_positive_duration(dt, "dt")
    scalar = not (isinstance(rate, (list, tuple)) or np.ndim(rate) > 0)
    rates = require_pacemaker_rates(rate, dt, "rate")
    rates_hz = np.asarray(rates, dtype=float)
    cache: dict[float, int] = {}
    periods = np.empty(rates_hz.size, dtype=np.int64)
    for idx, r in enumerate(rates_hz):
        if r not in cache:
            cache[r] = _first_crossing(_increment(r, float(dt)), 0.0, 2 * MAX_PERIOD_STEPS)
        periods[idx] = cache[r]
    eff = 1.0 / (periods * float(dt))
    if scalar:
        return Quantity(float(eff[0]), dim=get_dimensions(Hz))
    return Quantity(eff, dim=get_dimensions(Hz))


def all_offset_phases(rate, dt=0.1 * ms) -> np.ndarray:
    """Initial values of ``x`` that make the first spike fall on each step of one period.

    A pacemaker with a period of ``k`` steps can be started so that its first spike comes
    in step 0, 1, ..., or ``k-1``: these are all the timings it can have relative to
    another neuron on the same time grid. Entry ``j`` of the result is
    ``1 - (j + 0.5)*rate*dt`` (0 for the last one), half an increment below the value
    that would make ``x`` pass 1 in step ``j``, so the first spike is in step ``j``.

    Args:
        rate: one requested rate (Brian quantity in Hz).
        dt: the time step.

    Returns:
        A float array of length ``steps_per_period(rate, dt)``, values in [0, 1).
    """
    dt = require_positive_duration(dt, "dt")
    period = steps_per_period(rate, dt)
    increment = _increment(_check_rate(rate, dt), float(dt))
    phases = 1.0 - (np.arange(period) + 0.5) * increment
    return np.clip(phases, 0.0, np.nextafter(1.0, 0.0))
