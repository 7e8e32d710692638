"""Input checks shared by every helper.

Each function either returns a clean value or raises an error whose message names
the argument, says what was wrong and shows how to fix it. Helpers call these at
their boundary, so a reader who passes ``200`` instead of ``200*Hz`` learns why
right away instead of meeting a confusing failure deep inside Brian.
"""
from __future__ import annotations

import numpy as np
from brian2 import Hz, Quantity, amp, second, volt
from brian2.units.fundamentalunits import get_dimensions, have_same_dimensions

__all__ = [
    "require_quantity",
    "require_positive",
    "require_positive_duration",
    "as_rate_array",
    "require_same_length",
    "require_representable_rates",
    "require_plain_number",
    "require_weight_bounds",
    "as_plain_array",
]


def _unit_example(unit) -> str:
    """A short example of a value with the dimensions of ``unit``, for messages."""
    examples = {
        get_dimensions(second): "10*ms",
        get_dimensions(Hz): "200*Hz",
        get_dimensions(volt): "-70*mV",
        get_dimensions(amp): "1*nA",
    }
    return examples.get(get_dimensions(unit), f"1*{unit!s}")


def require_quantity(value, unit, name: str) -> Quantity:
    """Return ``value`` as a Brian quantity with the dimensions of ``unit``.

    Args:
        value: the argument to check, e.g. ``10*ms``.
        unit: a Brian unit giving the expected dimensions, e.g. ``second``, ``Hz``, ``mV``.
        name: the argument's name, used in the error message.

    Raises:
        TypeError: ``value`` is a plain number or array (no unit attached) or has
            the wrong dimensions.
    """
    if not isinstance(value, Quantity) or have_same_dimensions(value, 1):
        raise TypeError(
            f"{name} needs a unit: got {value!r}, a plain number without a unit. "
            f"Multiply it by a Brian unit, for example {_unit_example(unit)}."
        )
    if not have_same_dimensions(value, unit):
        raise TypeError(
            f"{name} has the wrong unit: got {value!r}, but it should be like {_unit_example(unit)}."
        )
    return value


def require_positive(value: Quantity, name: str) -> Quantity:
    """Raise ``ValueError`` unless every element of ``value`` is finite and > 0."""
    arr = np.asarray(value)
    if arr.size == 0:
        raise ValueError(f"{name} is empty: give at least one value.")
    if not np.all(np.isfinite(arr)) or np.any(arr <= 0):
        raise ValueError(f"{name} must be positive and finite: got {value!r}.")
    return value


def require_positive_duration(duration, name: str = "duration") -> Quantity:
    """Check that ``duration`` is one positive time, e.g. ``1*second``.

    Raises:
        TypeError: no unit or not a time.
        ValueError: zero, negative, not finite, or more than one value.
    """
    duration = require_quantity(duration, second, name)
    if np.ndim(duration) != 0:
        raise ValueError(f"{name} must be a single time such as 1*second, not an array: got {duration!r}.")
    return require_positive(duration, name)


def as_rate_array(rates, name: str = "rates") -> Quantity:
    """Return ``rates`` as a 1-D Brian array in Hz, every element positive.

    A single rate such as ``200*Hz`` becomes an array of length one.

    Raises:
        TypeError: no unit (``[200, 250]`` instead of ``[200, 250]*Hz``) or not a rate.
        ValueError: a rate that is zero, negative or not finite.
    """
    if isinstance(rates, (list, tuple)) and rates and all(isinstance(r, Quantity) for r in rates):
        rates = Quantity(rates)  # a list of quantities, e.g. [200*Hz, 250*Hz]
    rates = require_quantity(rates, Hz, name)
    rates = Quantity(np.atleast_1d(np.asarray(rates, dtype=float)), dim=get_dimensions(Hz))
    if rates.ndim != 1:
        raise ValueError(f"{name} must be a flat list of rates, one per condition: got shape {rates.shape}.")
    return require_positive(rates, name)


def require_plain_number(value, name: str, example: float = 0.5) -> float:
    """Return ``value`` as one finite float; refuse a quantity with a unit.

    Weights, trace increments and pacemaker phases are plain numbers in this book.

    Raises:
        TypeError: a value with a physical unit, or something that is not one number.
        ValueError: NaN or infinity.
    """
    if isinstance(value, Quantity) and not have_same_dimensions(value, 1):
        raise TypeError(f"{name} is a plain number without a unit (like the weight w): got {value!r}. "
                        f"Drop the unit, e.g. {name}={example!r}.")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be one number, e.g. {example!r}: got {value!r}.") from None
    if not np.isfinite(number):
        raise ValueError(f"{name} must be finite: got {value!r}.")
    return number


def as_plain_array(values, name: str, example: str = "[0.25, 0.5]") -> np.ndarray:
    """Return ``values`` (one number or a flat list) as a non-empty 1-D array of finite floats.

    For weights, phases and other plain numbers given one per condition.

    Raises:
        TypeError: a value with a physical unit, or something that is not numbers.
        ValueError: empty, nested, NaN or infinite.

    Example:
        >>> as_plain_array(0.5, "weights")
        array([0.5])
    """
    if isinstance(values, Quantity) and not have_same_dimensions(values, 1):
        raise TypeError(f"{name} are plain numbers without a unit: got {values!r}. Divide by the unit or "
                        f"pass numbers such as {example}.")
    if isinstance(values, (str, bytes)) or values is None:
        raise TypeError(f"{name} must be numbers, e.g. {example}: got {values!r}.")
    try:
        arr = np.atleast_1d(np.asarray(values, dtype=float))
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be numbers, e.g. {example}: got {values!r}.") from None
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"{name} must be one number or a flat, non-empty list of numbers: got shape {arr.shape}.")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite (no NaN or inf): got {values!r}.")
    return arr


def require_same_length(**arrays) -> int:
    """Check that all keyword arguments have the same length and return it.

    Example: ``require_same_length(pre_rates=pre, post_rates=post)``.
    """
    lengths = {name: len(np.atleast_1d(np.asarray(a))) for name, a in arrays.items()}
    if len(set(lengths.values())) > 1:
        described = ", ".join(f"{name} has {n}" for name, n in lengths.items())
        raise ValueError(
            f"These inputs must have one entry per condition, but {described}. "
            "Give them the same length (repeat a value with e.g. [200]*3*Hz)."
        )
    return next(iter(lengths.values()))


def require_representable_rates(rates: Quantity, dt: Quantity, name: str = "rates") -> Quantity:
    """Refuse rates a clock with time step ``dt`` cannot represent.

    A neuron simulated with time step ``dt`` can spike at most once per step, and a
    regular rhythm needs at least two steps per period, so rates above ``1/(2*dt)``
    are refused (at dt = 0.1 ms that is 5000 Hz).
    """
    dt = require_positive_duration(dt, "dt")
    limit = 1 / (2 * dt)
    too_fast = np.asarray(rates) > float(limit)
    if np.any(too_fast):
        bad = np.asarray(rates)[too_fast]
        raise ValueError(
            f"{name} contains {bad[0]:g} Hz, more than 1/(2*dt) = {float(limit):g} Hz, which a time "
            f"step of dt = {float(dt) * 1e3:g} ms cannot represent. Use a lower rate or a smaller dt "
            "(for example dt=0.01*ms)."
        )
    return rates


def require_weight_bounds(w0, gmax) -> tuple[float, float]:
    """Check an initial weight and the weight's upper bound; return ``(w0, gmax)`` as floats.

    Both plasticity rules clip the weight to ``[0, gmax]``. ``gmax`` may be
    ``float('inf')`` for no upper bound; ``w0`` must be finite and inside the range.

    Raises:
        TypeError: either has a unit or is not a number.
        ValueError: ``gmax <= 0`` or NaN, or ``w0`` outside ``[0, gmax]``.

    Example:
        >>> require_weight_bounds(0.5, 1)
        (0.5, 1.0)
    """
    if isinstance(gmax, Quantity) and not have_same_dimensions(gmax, 1):
        raise TypeError(f"gmax is a plain number without a unit (like the weight w): got {gmax!r}. "
                        "Drop the unit, e.g. gmax=1.0.")
    try:
        gmax_f = float(gmax)
    except (TypeError, ValueError):
        raise TypeError(f"gmax must be one number, e.g. 1.0: got {gmax!r}.") from None
    if not gmax_f > 0:  # also catches NaN
        raise ValueError(f"gmax is the largest weight and must be positive (or float('inf') for no bound): "
                         f"got {gmax!r}.")
    w0_f = require_plain_number(w0, "w0")
    if not 0.0 <= w0_f <= gmax_f:
        raise ValueError(f"w0 must lie between 0 and gmax = {gmax_f:g} (the rule clips to that range): got {w0!r}.")
    return w0_f, gmax_f
