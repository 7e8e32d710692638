"""Brian's clock: how many time steps a run takes, and times that must fall on the step grid.

A network with time step ``dt`` advances in whole steps. ``run(duration)`` takes
:func:`n_steps` of them (Brian rounds ``duration/dt`` to the nearest whole number when it
is within 0.01 % of one, and rounds up otherwise), and a spike time, a lag or a test-spike
time given to a helper must be a whole number of steps (:func:`whole_steps`), or the
helper would silently move it.

Every helper that steps a model without Brian counts its steps with :func:`n_steps`, so it
takes exactly as many steps as Brian does.
"""
from __future__ import annotations

import numpy as np
from brian2 import ms, second

from .validation import as_finite_quantity, require_positive_duration, require_whole_number

__all__ = ["n_steps", "whole_steps", "require_step_budget", "MAX_STEPS"]

#: Most steps a plain-Python model stepper will take (about a minute of work; 1000 s at 0.1 ms).
MAX_STEPS = 10**7


def n_steps(duration, dt=0.1 * ms) -> int:
    """Number of time steps Brian takes for ``run(duration)`` with time step ``dt``.

    Brian rounds ``duration/dt`` to the nearest integer when that is exact up to
    0.01 % of a step, and rounds up otherwise (``Clock._calc_timestep``).

    Args:
        duration: a Brian time, e.g. ``1*second``.
        dt: the time step, a Brian time.

    Example:
        >>> from brian2 import ms
        >>> n_steps(1.24*ms), n_steps(1.25*ms), n_steps(0.05*ms)  # 12.4 steps: Brian runs 13
        (13, 13, 1)
    """
    duration = require_positive_duration(duration, "duration")
    dt = require_positive_duration(dt, "dt")
    duration_, dt_ = float(duration), float(dt)
    new_i = np.int64(np.round(duration_ / dt_))
    if new_i * dt_ == duration_ or abs(new_i * dt_ - duration_) / dt_ <= 1e-4:
        return int(new_i)
    return int(np.ceil(duration_ / dt_))


def whole_steps(time, dt, name: str, example: str = "10*ms") -> int:
    """``time/dt`` as an integer, refusing a time that is not a whole number of steps.

    Args:
        time: one Brian time (may be zero or negative, e.g. a lag).
        dt: the time step.
        name: the argument's name, for messages. example: a valid value, for messages.

    Example:
        >>> from brian2 import ms
        >>> whole_steps(-10*ms, 0.1*ms, "lag")
        -100
    """
    dt_s = float(require_positive_duration(dt, "dt"))
    time_s = float(as_finite_quantity(time, second, name, single=True))
    steps = int(round(time_s / dt_s))
    if abs(steps * dt_s - time_s) > 1e-6 * dt_s:
        raise ValueError(f"{name} ({time!r}) must be a whole number of time steps of dt = {dt_s * 1e3:g} ms, "
                         f"e.g. {example}.")
    return steps


def require_step_budget(steps: int, what: str) -> int:
    """Refuse more than :data:`MAX_STEPS` steps of a plain-Python loop, saying why.

    Args:
        steps: how many steps the loop would take (a whole number >= 0).
        what: what asks for them, for the message, e.g. ``"duration=1*second at dt=0.1*ms"``.

    Example:
        >>> require_step_budget(10000, "duration=1*second")
        10000
    """
    steps = require_whole_number(steps, "steps", minimum=0, example=10000)
    if steps > MAX_STEPS:
        raise ValueError(f"{what} would take {steps:.3g} time steps, more than this plain-Python model is "
                         f"allowed ({MAX_STEPS:.0e}, about a minute of work). Use a shorter duration or a "
                         "larger dt, or run the Brian network instead.")
    return steps
