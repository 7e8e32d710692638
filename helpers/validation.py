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
    "as_finite_quantity",
    "require_positive",
    "require_positive_duration",
    "as_rate_array",
    "require_same_length",
    "require_representable_rates",
    "require_plain_number",
    "require_weight_bounds",
    "as_plain_values",
    "as_plain_array",
    "require_whole_number",
    "require_flag",
]


def _unit_example(unit) -> str:
    """A short example of a value with the dimensions of ``unit``, for messages."""
    examples = {get_dimensions(second): "10*ms", get_dimensions(Hz): "200*Hz", get_dimensions(volt): "-70*mV",
                get_dimensions(amp): "1*nA"}
    return examples.get(get_dimensions(unit), f"1*{unit!s}")


def _describe(value) -> str:
    """``repr`` of a value for a message, with its type when that is not obvious."""
    text = repr(value) if len(repr(value)) <= 80 else repr(value)[:77] + "..."
    if value is None or isinstance(value, (str, bytes, Quantity, np.ndarray, float, int)):
        return text
    return f"{text} (a {type(value).__name__})"


def _floats(value) -> np.ndarray | None:
    """``value`` as a float array, or ``None`` if it is not a number or an array of numbers
    (text, ``None``, other objects)."""
    if isinstance(value, (str, bytes)) or value is None:
        return None
    try:
        return np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return None


def _from_list(value, name: str, example: str):
    """A list or tuple of Brian quantities, e.g. ``[200*Hz, 250*Hz]``, as one Brian array.

    Anything else is returned unchanged. A list that mixes quantities with different
    units, or quantities with plain numbers, is refused.
    """
    if not isinstance(value, (list, tuple)) or not any(isinstance(v, Quantity) for v in value):
        return value
    dims = {get_dimensions(v) for v in value}
    if len(dims) > 1 or not all(isinstance(v, Quantity) for v in value):
        raise TypeError(f"{name} mixes values with different units (or with and without a unit): got "
                        f"{_describe(value)}. Give every value the same unit, e.g. {example}.")
    try:
        return Quantity(value)
    except Exception:  # e.g. nested lists of different lengths
        raise ValueError(f"{name} must be a flat list of values such as {example}: got {_describe(value)}.") from None


def require_quantity(value, unit, name: str) -> Quantity:
    """Return ``value`` as a Brian quantity with the dimensions of ``unit``.

    A list of quantities such as ``[10*ms, 20*ms]`` is turned into one Brian array.
    Only the unit is checked (see :func:`as_finite_quantity` for values too).

    Args:
        value: the argument to check, e.g. ``10*ms``.
        unit: a Brian unit giving the expected dimensions, e.g. ``second``, ``Hz``, ``mV``.
        name: the argument's name, used in the error message.

    Raises:
        TypeError: ``value`` is a plain number or array (no unit attached), is not a number
            at all, mixes units, or has the wrong dimensions.

    Example:
        >>> from brian2 import ms, second
        >>> require_quantity([10*ms, 20*ms], second, "taus")
        array([10., 20.]) * msecond
    """
    example = _unit_example(unit)
    value = _from_list(value, name, example)
    if not isinstance(value, Quantity) and _floats(value) is None:
        raise TypeError(f"{name} must be a value with a unit, for example {example}: got {_describe(value)}.")
    if not isinstance(value, Quantity) or have_same_dimensions(value, 1):
        raise TypeError(f"{name} needs a unit: got {_describe(value)}, a plain number without a unit. "
                        f"Multiply it by a Brian unit, for example {example}.")
    if not have_same_dimensions(value, unit):
        raise TypeError(f"{name} has the wrong unit: got {_describe(value)}, but it should be like {example}.")
    return value


def as_finite_quantity(value, unit, name: str, *, single: bool = False) -> Quantity:
    """Return ``value`` as a Brian quantity with the unit of ``unit``, every element finite.

    Args:
        value: one value or an array (or a list of quantities), e.g. ``[0, 5]*ms``.
        unit: a Brian unit giving the expected dimensions.
        name: the argument's name, for messages.
        single: require exactly one value (not an array).

    Raises:
        TypeError: as :func:`require_quantity`.
        ValueError: NaN or infinity, or an array where one value is wanted.

    Example:
        >>> from brian2 import mV, volt
        >>> as_finite_quantity(-70*mV, volt, "E_L", single=True)
        -70. * mvolt
    """
    value = require_quantity(value, unit, name)
    example = _unit_example(unit)
    if single and np.ndim(value) != 0:
        raise ValueError(f"{name} must be one value such as {example}, not an array: got {_describe(value)}.")
    if not np.all(np.isfinite(np.asarray(value, dtype=float))):
        raise ValueError(f"{name} must be finite (no NaN or inf): got {_describe(value)}.")
    return value


def require_positive(value: Quantity, name: str) -> Quantity:
    """Raise ``ValueError`` unless every element of ``value`` is finite and > 0.

    Only the sign is checked, not the unit (see :func:`require_quantity`).

    Example:
        >>> from brian2 import ms
        >>> require_positive(5*ms, "window")
        5. * msecond
    """
    arr = _floats(value)
    if arr is None:
        raise TypeError(f"{name} must be a number or an array of numbers: got {_describe(value)}.")
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
    rates = require_quantity(rates, Hz, name)  # also turns [200*Hz, 250*Hz] into one array
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
    if isinstance(value, (str, bytes)):
        raise TypeError(f"{name} must be one number, e.g. {example!r}, not text: got {value!r}.")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be one number, e.g. {example!r}: got {value!r}.") from None
    if not np.isfinite(number):
        raise ValueError(f"{name} must be a finite number such as {example!r}: got {value!r}.")
    return number


def as_plain_values(values, name: str, example: str = "[0.25, 0.5]") -> np.ndarray:
    """Return ``values`` (a number or an array of any shape) as finite floats without a unit.

    The shape is kept: one number gives a 0-d array. An empty array is allowed.

    Raises:
        TypeError: a value with a physical unit, or something that is not numbers.
        ValueError: NaN or infinite.

    Example:
        >>> as_plain_values([[0, 1], [2, 3]], "drive").shape
        (2, 2)
    """
    if isinstance(values, Quantity) and not have_same_dimensions(values, 1):
        raise TypeError(f"{name} are plain numbers without a unit: got {_describe(values)}. Divide by the unit or "
                        f"pass numbers such as {example}.")
    if isinstance(values, (list, tuple)) and any(isinstance(v, Quantity) and not have_same_dimensions(v, 1)
                                                 for v in values):
        raise TypeError(f"{name} are plain numbers without a unit, but this list holds values with units: "
                        f"got {_describe(values)}. Pass numbers such as {example}.")
    arr = _floats(values)
    if arr is None:
        raise TypeError(f"{name} must be numbers, e.g. {example}: got {_describe(values)}.")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite (no NaN or inf): got {_describe(values)}.")
    return arr


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
    arr = np.atleast_1d(as_plain_values(values, name, example))
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"{name} must be one number or a flat, non-empty list of numbers: got shape {arr.shape}.")
    return arr


def require_whole_number(value, name: str, *, minimum: int = 0, example: int = 3) -> int:
    """Return ``value`` as an ``int``, refusing anything but a whole number ``>= minimum``.

    ``3``, ``np.int64(3)`` and ``3.0`` are accepted; ``True``, ``2.5``, ``"3"``, ``3*ms`` are not.

    Raises:
        TypeError: not a number (text, ``None``, a bool, a value with a unit, an array).
        ValueError: not whole, not finite, or below ``minimum``.

    Example:
        >>> require_whole_number(3.0, "n_pairs", minimum=1)
        3
    """
    if isinstance(value, Quantity) and not have_same_dimensions(value, 1):
        raise TypeError(f"{name} is a plain whole number without a unit: got {value!r}. Use e.g. {name}={example}.")
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer, float, np.floating)):
        raise TypeError(f"{name} must be a whole number such as {example}: got {_describe(value)}.")
    if not np.isfinite(value) or value != int(value):
        raise ValueError(f"{name} must be a whole number such as {example}: got {value!r}.")
    if value < minimum:
        raise ValueError(f"{name} must be at least {minimum}: got {value!r}.")
    return int(value)


def require_flag(value, name: str) -> bool:
    """Return ``value`` if it is ``True`` or ``False``; refuse anything else (``"no"`` is not False).

    Example:
        >>> require_flag(False, "record")
        False
    """
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False: got {_describe(value)}.")
    return bool(value)


def require_same_length(**arrays) -> int:
    """Check that all keyword arguments have the same length and return it.

    Example: ``require_same_length(pre_rates=pre, post_rates=post)``.
    """
    for name, a in arrays.items():
        if isinstance(a, (str, bytes)) or a is None:
            raise TypeError(f"{name} must be a value or a list of values, one per condition: got {a!r}.")
    lengths = {name: len(np.atleast_1d(np.asarray(a))) for name, a in arrays.items()}
    if len(set(lengths.values())) > 1:
        described = ", ".join(f"{name} has {n}" for name, n in lengths.items())
        raise ValueError(
            f"These inputs must have one entry per condition, but {described}. "
            "Give them the same length (repeat a value with e.g. [200]*3*Hz)."
        )
    return next(iter(lengths.values()))


def require_representable_rates(rates, dt, name: str = "rates") -> Quantity:
    """Refuse rates a clock with time step ``dt`` cannot represent; return them as :func:`as_rate_array` does.

    A neuron simulated with time step ``dt`` can spike at most once per step, and a
    regular rhythm needs at least two steps per period, so rates above ``1/(2*dt)``
    are refused (at dt = 0.1 ms that is 5000 Hz).

    Example:
        >>> from brian2 import Hz, ms
        >>> require_representable_rates([200, 250]*Hz, 0.1*ms)
        array([200., 250.]) * hertz
    """
    dt = require_positive_duration(dt, "dt")
    rates = as_rate_array(rates, name)
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
        if isinstance(gmax, (str, bytes)):
            raise TypeError
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
