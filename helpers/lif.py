"""Chapter 2: one leaky integrate-and-fire (LIF) neuron in two unit systems.

The same neuron can be written in *biophysical* units (a voltage ``v_b`` in volts, leak
potential ``E_L``, threshold ``V_th``) or in *abstract* units (a number ``v_a``, with 0 at
rest and 1 at threshold). The change of variables between them is

    v_a = (v_b - E_L) / (V_th - E_L)        and back        v_b = E_L + v_a * (V_th - E_L).

- ``to_abstract`` and ``to_biophysical``: that change of variables, refusing voltages
  without units.
- ``analytic_period`` and ``analytic_rate``: the exact firing period and rate of the
  abstract neuron ``dv/dt = (drive - v)/tau``, threshold ``v > 1``, reset ``v = 0``,
  with a refractory period during which ``v`` is held at the reset value.
- ``step_grid_period``, ``simulated_period_bounds`` and ``rate_error_bound``: what a
  simulation with time step ``dt`` produces instead. Chapter 2 derives these from the
  order in which Brian updates, tests and resets a neuron within one time step; the tests
  check them against Brian.
"""
from __future__ import annotations

import numpy as np
from brian2 import Hz, Quantity, ms, second, volt
from brian2.units.fundamentalunits import have_same_dimensions

from .clock import n_steps, require_step_budget
from .validation import as_finite_quantity, as_plain_values, require_plain_number, require_positive_duration

__all__ = [
    "to_abstract",
    "to_biophysical",
    "analytic_period",
    "analytic_rate",
    "refractory_steps",
    "step_grid_period",
    "simulated_period_bounds",
    "rate_error_bound",
    "reference_spike_times",
]


def _check_scale(E_L, V_th):
    """Validate ``E_L`` and ``V_th`` (voltages, threshold above rest) and return them."""
    E_L = as_finite_quantity(E_L, volt, "E_L", single=True)
    V_th = as_finite_quantity(V_th, volt, "V_th", single=True)
    gap = np.asarray(V_th - E_L, dtype=float)
    if np.any(gap == 0):
        raise ValueError(
            f"V_th equals E_L (both {E_L!r}): the scale V_th - E_L is zero, so there is no abstract "
            "unit to convert to. Give a threshold above the leak potential, e.g. E_L=-70*mV, V_th=-55*mV."
        )
    if np.any(gap < 0):
        raise ValueError(
            f"V_th ({V_th!r}) is below E_L ({E_L!r}). A leaky integrate-and-fire neuron rests below its "
            "threshold, so V_th must be larger than E_L (e.g. E_L=-70*mV, V_th=-55*mV). Did you swap them?"
        )
    return E_L, V_th


def _plain(values):
    """A float, or a numpy array of floats, from a plain (or dimensionless) value."""
    arr = np.asarray(values, dtype=float)
    return arr[()] if arr.ndim == 0 else arr


def to_abstract(v, E_L, V_th):
    """Convert a membrane potential from volts to abstract units.

    Abstract units put 0 at the leak (resting) potential ``E_L`` and 1 at the threshold
    ``V_th``: ``v_a = (v - E_L)/(V_th - E_L)``.

    Args:
        v: membrane potential(s), a Brian voltage such as ``-62.5*mV`` or a recorded trace ``M.v``.
        E_L: leak (resting) potential, a Brian voltage, e.g. ``-70*mV``.
        V_th: firing threshold, a Brian voltage above ``E_L``, e.g. ``-55*mV``.

    Returns:
        The abstract value(s): a plain float (one value) or a numpy array of floats, no unit.

    Raises:
        TypeError: ``v``, ``E_L`` or ``V_th`` has no unit (multiply it by ``mV``) or is not a voltage.
        ValueError: ``V_th`` equals ``E_L`` or is below it.

    Example:
        >>> from brian2 import mV
        >>> to_abstract(-62.5*mV, E_L=-70*mV, V_th=-55*mV)  # 0.5 up to rounding
        np.float64(0.5000000000000002)
    """
    v = as_finite_quantity(v, volt, "v")
    E_L, V_th = _check_scale(E_L, V_th)
    return _plain((v - E_L) / (V_th - E_L))


def to_biophysical(v_a, E_L, V_th):
    """Convert abstract membrane potential(s) back to volts.

    The inverse of :func:`to_abstract`: ``v = E_L + v_a * (V_th - E_L)``.

    Args:
        v_a: abstract value(s), plain numbers (0 = rest, 1 = threshold).
        E_L: leak (resting) potential, a Brian voltage, e.g. ``-70*mV``.
        V_th: firing threshold, a Brian voltage above ``E_L``, e.g. ``-55*mV``.

    Returns:
        The membrane potential(s) as a Brian quantity in volts.

    Raises:
        TypeError: ``E_L`` or ``V_th`` has no unit, or ``v_a`` already carries a unit.
        ValueError: ``V_th`` equals ``E_L`` or is below it.

    Example:
        >>> from brian2 import mV
        >>> to_biophysical(0.5, E_L=-70*mV, V_th=-55*mV)
        -62.5 * mvolt
    """
    if isinstance(v_a, Quantity) and not have_same_dimensions(v_a, 1):
        raise TypeError(
            f"v_a should be an abstract value without a unit (0 = rest, 1 = threshold), but got {v_a!r}. "
            "If it is already a voltage there is nothing to convert; to go the other way use "
            "to_abstract(v, E_L, V_th)."
        )
    E_L, V_th = _check_scale(E_L, V_th)
    v_a = as_plain_values(v_a, "v_a", example="0.5 or [0, 0.5, 1]")
    return E_L + v_a * (V_th - E_L)


def _check_drive(drive):
    """Return the abstract drive as a float array; refuse a drive with a unit."""
    if isinstance(drive, Quantity) and not have_same_dimensions(drive, 1):
        raise TypeError(
            f"drive is the abstract drive, a plain number such as 2 (threshold = 1), but got {drive!r}. "
            "To convert a biophysical drive such as I_const = 30*mV, divide it by the "
            "rest-to-threshold gap: I_const/(V_th - E_L)."
        )
    return as_plain_values(drive, "drive", example="2 or [1.5, 2, 3]")


def _check_refractory(refractory):
    """Return ``refractory`` if it is one time >= 0, e.g. ``2*ms`` or ``0*ms``."""
    refractory = as_finite_quantity(refractory, second, "refractory", single=True)
    if float(refractory) < 0:
        raise ValueError(f"refractory must be zero or positive, e.g. 2*ms: got {refractory!r}.")
    return refractory


def analytic_period(drive, tau, refractory=0 * ms):
    """Exact inter-spike interval of the abstract LIF neuron with constant drive.

    The neuron ``dv/dt = (drive - v)/tau`` starts at the reset value 0 (after being held
    there for the refractory period) and spikes when ``v`` reaches 1. Solving
    ``drive*(1 - exp(-T/tau)) = 1`` gives ``T = tau*ln(drive/(drive - 1))``, so the
    period is ``refractory + tau*ln(drive/(drive - 1))``.

    Args:
        drive: abstract drive(s), plain numbers (the value ``v`` relaxes to; 1 = threshold).
        tau: membrane time constant, a Brian time such as ``10*ms``.
        refractory: time ``v`` is held at the reset value after a spike, a Brian time (default 0 ms).

    Returns:
        The period(s) in seconds (a Brian quantity); infinite where ``drive <= 1``
        (the neuron never reaches threshold).
    """
    drive = _check_drive(drive)
    tau = require_positive_duration(tau, "tau")
    refractory = _check_refractory(refractory)
    with np.errstate(divide="ignore", invalid="ignore"):
        crossing = np.where(drive > 1, float(tau) * np.log(drive / (drive - 1)), np.inf)
    return Quantity(crossing + float(refractory), dim=second.dim)


def analytic_rate(drive, tau, refractory=0 * ms):
    """Exact firing rate ``1/period`` of the abstract LIF neuron, in Hz.

    Args:
        drive: abstract drive(s), plain numbers (1 = threshold).
        tau: membrane time constant, a Brian time such as ``10*ms``.
        refractory: refractory period, a Brian time (default 0 ms).

    Returns:
        The rate(s) as a Brian quantity in Hz; 0 Hz where ``drive <= 1``.
    """
    period = np.asarray(analytic_period(drive, tau, refractory), dtype=float)
    return Quantity(1.0 / period, dim=Hz.dim)


def refractory_steps(refractory, dt):
    """The number of whole time steps Brian counts for a refractory period.

    Brian compares ``timestep(t - lastspike, dt) >= timestep(refractory, dt)``, where
    ``timestep(x, dt) = int((x + 1e-3*dt)/dt)``: a period that is not a multiple of ``dt``
    is rounded down to whole steps.

    Args:
        refractory: a Brian time, e.g. ``2*ms``.
        dt: the simulation time step, a Brian time, e.g. ``0.1*ms``.
    """
    refractory = _check_refractory(refractory)
    dt = require_positive_duration(dt, "dt")
    return int(np.floor((float(refractory) + 1e-3 * float(dt)) / float(dt)))


def step_grid_period(drive, tau, dt=0.1 * ms, refractory=0 * ms):
    """The inter-spike interval a Brian simulation with time step ``dt`` produces.

    For the abstract LIF neuron ``dv/dt = (drive - v)/tau : 1 (unless refractory)``,
    ``threshold='v > 1'``, ``reset='v = 0'``, ``method='exact'``. Chapter 2 derives it:
    after a reset, ``v`` is frozen for ``R - 1`` steps (``R`` = refractory period in steps,
    counted from the spike's time label, which is one step before the reset takes effect),
    and then needs ``floor(T/dt) + 1`` exact updates to get above 1, where
    ``T = tau*ln(drive/(drive - 1))``. So the period is
    ``(max(R - 1, 0) + floor(T/dt) + 1) * dt``.

    (If ``T/dt`` is within about 1e-12 of a whole number, rounding in the simulation can
    move the crossing by one step.)

    Args:
        drive: abstract drive(s), plain numbers, each above 1.
        tau: membrane time constant, a Brian time.
        dt: simulation time step, a Brian time (default 0.1 ms, Brian's default).
        refractory: refractory period, a Brian time (default 0 ms).

    Returns:
        The period(s) in seconds (a Brian quantity); infinite where ``drive <= 1``.
    """
    dt = require_positive_duration(dt, "dt")
    crossing = np.asarray(analytic_period(drive, tau), dtype=float)
    frozen = max(refractory_steps(refractory, dt) - 1, 0)
    with np.errstate(invalid="ignore"):
        steps = frozen + np.floor(crossing / float(dt)) + 1
    return Quantity(steps * float(dt), dim=second.dim)


def _whole_steps_refractory(refractory, dt):
    """Refuse a refractory period that is not a whole number of steps (Brian would round it down)."""
    steps = refractory_steps(refractory, dt)
    if not np.isclose(float(refractory), steps * float(dt), rtol=1e-9, atol=0):
        raise ValueError(
            f"refractory = {float(refractory) * 1e3:g} ms is not a whole number of time steps of "
            f"{float(dt) * 1e3:g} ms. Brian rounds it down to {steps} steps, so the analytic rate with "
            f"{float(refractory) * 1e3:g} ms is not the one being simulated. Use refractory={steps}*dt "
            "(or a multiple of dt) instead."
        )
    return steps


def simulated_period_bounds(drive, tau, dt=0.1 * ms, refractory=0 * ms):
    """The interval in which the simulated period must lie, from the analytic period.

    Without a refractory period (fewer than one step), the threshold crossing is noticed
    at the end of the step in which it happens, so the simulated period lies in
    ``(T, T + dt]``. With a refractory period of at least one step, Brian counts it from
    the spike's time label, one step before the reset takes effect, so the period lies in
    ``(T - dt, T]``. Here ``T = analytic_period(drive, tau, refractory)``.

    Args:
        drive, tau: as for :func:`analytic_period`.
        dt: the simulation time step, a Brian time.
        refractory: the refractory period, a Brian time that is a whole number of steps.

    Returns:
        ``(lower, upper)``, two Brian quantities in seconds.

    Raises:
        ValueError: ``refractory`` is not a whole number of steps.
    """
    dt = require_positive_duration(dt, "dt")
    refractory = _check_refractory(refractory)
    steps = _whole_steps_refractory(refractory, dt)
    period = analytic_period(drive, tau, refractory)
    if steps >= 1:
        return period - dt, period
    return period, period + dt


def rate_error_bound(rate, dt=0.1 * ms, refractory=0 * ms):
    """The largest possible ``|simulated rate - analytic rate|`` for analytic rate ``r``.

    The simulated period differs from ``1/r`` by less than one step, in the direction
    given by :func:`simulated_period_bounds`. Without a refractory period the simulated
    neuron is slower, by at most ``r - 1/(1/r + dt)``; with one it is faster, by at most
    ``1/(1/r - dt) - r``. Both are about ``r**2 * dt`` when ``r*dt`` is small.

    Args:
        rate: the analytic rate(s), a Brian quantity in Hz.
        dt: the simulation time step, a Brian time.
        refractory: the refractory period, a Brian time that is a whole number of steps.

    Returns:
        The bound(s), a Brian quantity in Hz.

    Raises:
        ValueError: ``refractory`` is not a whole number of steps, or (with a refractory
            period) a rate of ``1/dt`` or more.
    """
    rate = as_finite_quantity(rate, Hz, "rate")
    dt = require_positive_duration(dt, "dt")
    refractory = _check_refractory(refractory)
    r = np.asarray(rate, dtype=float)
    if np.any(r < 0):
        raise ValueError(f"rate must be zero or positive (an analytic firing rate): got {rate!r}.")
    step = float(dt)
    if _whole_steps_refractory(refractory, dt) >= 1:
        if np.any(r * step >= 1):
            raise ValueError(f"rate must be below 1/dt = {1 / step:g} Hz, got {rate!r}.")
        with np.errstate(divide="ignore"):  # r = 0: 1/r = inf, so the bound is 0
            bound = 1.0 / (1.0 / r - step) - r
    else:
        with np.errstate(divide="ignore"):
            bound = np.where(r > 0, r - 1.0 / (1.0 / np.where(r > 0, r, 1.0) + step), 0.0)
    return Quantity(bound, dim=Hz.dim)


def reference_spike_times(drive, tau, duration, dt=0.1 * ms, refractory=0 * ms, v_reset=0.0, v_start=0.0):
    """Step the abstract LIF neuron in plain numpy, in Brian's order within a time step.

    The model is ``dv/dt = (drive - v)/tau : 1 (unless refractory)`` with
    ``threshold='v > 1'``, ``reset='v = v_reset'``, ``refractory=refractory`` and
    ``method='exact'``. In each step starting at ``t = n*dt``: neurons whose refractory
    period is over (``n - n_last_spike >= R`` steps) are advanced exactly over one step,
    ``v <- drive + (v - drive)*exp(-dt/tau)``; a neuron that is not refractory and has
    ``v > 1`` spikes, labelled with time ``n*dt``; spiking neurons are reset. It uses no
    Brian code, so agreeing with it is evidence that Brian does what chapter 2 says.

    Args:
        drive: abstract drive(s), plain numbers, one neuron per value.
        tau: membrane time constant, a Brian time.
        duration: how long to simulate, a Brian time. Counted in steps as Brian does
            (:func:`helpers.clock.n_steps`): 1.24 ms at dt = 0.1 ms is 13 steps, and a duration
            shorter than ``dt`` is one step.
        dt: the time step, a Brian time (default 0.1 ms).
        refractory: refractory period, a Brian time (default 0 ms).
        v_reset, v_start: abstract reset value and initial value (plain numbers).

    Returns:
        A list with one numpy array of spike times in seconds per neuron.
    """
    drive = np.atleast_1d(_check_drive(drive))
    if drive.ndim != 1 or drive.size == 0:
        raise ValueError(f"drive must be one number or a flat, non-empty list (one neuron each): got shape {drive.shape}.")
    tau = require_positive_duration(tau, "tau")
    duration = require_positive_duration(duration, "duration")
    dt = require_positive_duration(dt, "dt")
    n_ref = refractory_steps(refractory, dt)
    v_reset = require_plain_number(v_reset, "v_reset", example=0.0)
    v_start = require_plain_number(v_start, "v_start", example=0.0)
    steps = require_step_budget(n_steps(duration, dt), f"duration={duration!r} at dt={dt!r}")
    decay = np.exp(-float(dt) / float(tau))
    v = np.full(drive.shape, v_start)
    last_spike = np.full(drive.shape, -10**9)
    spikes = [[] for _ in drive]
    for n in range(steps):
        free = (n - last_spike) >= n_ref
        v = np.where(free, drive + (v - drive) * decay, v)
        fired = np.flatnonzero((v > 1) & free)
        for i in fired:
            spikes[i].append(n)
        last_spike[fired] = n
        v[fired] = v_reset
    return [np.array(s, dtype=float) * float(dt) for s in spikes]
