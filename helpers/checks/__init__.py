"""Exercise checks, one module per chapter: ``from helpers.checks import ch01``.

Each check takes the student's answer, compares it with an answer computed
independently (a formula or a plain-numpy reference, not the notebook's own code)
and returns a :class:`Feedback`. In a notebook the feedback shows as one line:
``Correct: ...`` or ``Not yet: ...`` followed by a hint.

Every check reads each answer with :func:`as_numbers` before comparing it. That one
function turns an answer that cannot be right (still ``...``, text, nan, the wrong
unit, the wrong shape, ...) into a "Not yet" that says what is wrong, so a check never
crashes on a student's answer and never calls nan "Correct".

In a notebook, :func:`unanswered` (which :func:`as_numbers` calls) also looks at the
cell run just before the check: if it stopped with an error, the variables still
hold the previous attempt, so every check says "Not yet" instead of judging them.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass

import numpy as np
from brian2 import Quantity
from brian2.units.fundamentalunits import get_unit, have_same_dimensions

__all__ = ["Feedback", "correct", "not_yet", "answer_cell_failed", "unanswered", "as_numbers", "compare_numbers"]


@dataclass(frozen=True)
class Feedback:
    """The verdict of one exercise check.

    Attributes:
        correct: True when the answer is right.
        message: what was checked, and a hint when the answer is not right yet.
    """

    correct: bool
    message: str

    def __repr__(self) -> str:
        return ("Correct: " if self.correct else "Not yet: ") + self.message

    __str__ = __repr__

    def __bool__(self) -> bool:
        return self.correct


def correct(message: str) -> Feedback:
    return Feedback(True, message)


def not_yet(message: str) -> Feedback:
    return Feedback(False, message)


def _is_empty(answer) -> bool:
    """True for ``[]``, an empty array, ``""`` ...; False for a single number."""
    try:
        return len(answer) == 0
    except Exception:  # a single number has no length
        return False


def _short(answer) -> str:
    """The start of ``repr(answer)``, for messages."""
    try:
        text = repr(answer)
    except Exception:
        text = type(answer).__name__
    return text if len(text) <= 40 else text[:37] + "..."


def answer_cell_failed() -> Feedback | None:
    """A "Not yet" if the cell run just before this one stopped with an error.

    While a cell runs, IPython's ``last_execution_succeeded`` and
    ``last_execution_result`` still describe the cell run before it: for a check
    cell, the student's answer cell. If that cell raised (or did not parse), the
    answer variables still hold the previous attempt (or a stub), so judging them
    would judge the wrong code. Outside IPython (a script, pytest) this is None.
    """
    ipython = sys.modules.get("IPython")  # never imported here: no IPython, no shell
    shell = ipython.get_ipython() if ipython is not None else None
    if shell is None or getattr(shell, "last_execution_succeeded", True) is not False:
        return None
    result = getattr(shell, "last_execution_result", None)
    error = getattr(result, "error_in_exec", None) or getattr(result, "error_before_exec", None)
    # The first public class: Python 3.13 reports an unfinished line as the private
    # _IncompleteInputError, a SyntaxError to the student.
    public = next((c.__name__ for c in type(error).__mro__ if not c.__name__.startswith("_")),
                  type(error).__name__)
    kind = f" ({public})" if error is not None else ""
    return not_yet(f"your answer cell stopped with an error{kind}; fix it and run it again "
                   "before checking.")


def unanswered(**answers) -> Feedback | None:
    """A "Not yet" if an answer is still ``...`` (or None, or empty); None if every answer has a value.

    Pass the answers by name, and test the result with ``is not None`` (a "Not yet" is falsy)::

        missing = unanswered(reset_a=reset_a, drive_a=drive_a)
        if missing is not None:
            return missing

    In a notebook it first refuses to judge when the answer cell just run raised
    (see :func:`answer_cell_failed`).
    """
    failed = answer_cell_failed()
    if failed is not None:
        return failed
    missing = [f"`{name}`" for name, answer in answers.items() if answer is None or answer is Ellipsis]
    if len(missing) == 1:
        return not_yet(f"{missing[0]} has no value yet. Replace the `...` with your code.")
    if missing:
        names = ", ".join(missing[:-1]) + " and " + missing[-1]
        return not_yet(f"{names} have no value yet. Replace every `...` with your code.")
    for name, answer in answers.items():
        if _is_empty(answer):
            return not_yet(f"`{name}` is empty: it holds no values. Check the code that fills it.")
    return None


def as_numbers(answer, name: str, *, unit=None, shape=None, hint: str = ""):
    """Read an answer as an array of finite floats, or say why it cannot be read.

    Use it like this in a check::

        values = as_numbers(dw, "dw", shape=(6,))
        if isinstance(values, Feedback):  # the answer cannot be right: pass the "Not yet" on
            return values

    Args:
        answer: the student's value.
        name: the variable name the exercise asked for, used in messages.
        unit: a Brian unit such as ``ms`` if the answer must carry a unit of that kind;
            the numbers are then returned in that unit. ``None``: the answer must be a
            plain number (no physical unit).
        shape: the shape the answer must have, ``()`` for one number, ``(4,)`` for four
            values; ``None`` accepts any shape.
        hint: what to try, added to every "Not yet".

    Returns:
        A float numpy array (a 0-d array for one number) without nan or inf, or a
        "Not yet" :class:`Feedback`.
    """
    def refuse(problem: str) -> Feedback:
        return not_yet(f"`{name}` {problem} {hint}".strip())

    missing = unanswered(**{name: answer})
    if missing is not None:
        return missing
    if isinstance(answer, (str, bytes)):
        return refuse(f"is text ({_short(answer)}), not a number.")
    try:
        quantity = Quantity(answer)  # also reads a list of quantities, or G.v without [:]
        numeric = quantity.dtype.kind in "biuf"  # booleans, integers, floats
    except Exception:  # a dict, a ragged list, mixed units, ...
        numeric = False
    if not numeric:
        return refuse(f"should be a number or an array of numbers, got {_short(answer)}.")
    if unit is None:
        if not have_same_dimensions(quantity, 1):
            return refuse(f"carries a unit ({get_unit(quantity.dim)!s}) but should be a plain number: "
                          "drop the unit.")
        values = np.asarray(quantity, dtype=float)
    elif have_same_dimensions(quantity, 1):
        return refuse(f"has no unit, but it should carry a unit like {unit!s}. Keep Brian's units, "
                      "e.g. use `G.v[:]` rather than `G.v_[:]`.")
    elif not have_same_dimensions(quantity, unit):
        return refuse(f"has the wrong kind of unit ({get_unit(quantity.dim)!s}): it should carry a unit "
                      f"like {unit!s}.")
    else:
        with np.errstate(over="ignore"):  # e.g. 1e306 s is too large in ms: inf, refused below
            values = np.asarray(quantity / unit, dtype=float)
    if shape is not None and values.shape != tuple(shape):
        wanted = ("be one number" if shape == () else
                  f"hold {shape[0]} values" if len(shape) == 1 else f"have shape {shape}")
        got = "it is one number" if values.ndim == 0 else f"it has shape {values.shape}"
        return refuse(f"should {wanted}, but {got}.")
    if not np.all(np.isfinite(values)):
        return refuse("contains nan or inf, which cannot be checked. Look for a division by zero, "
                      "or a mean or max of an empty array.")
    return values


def compare_numbers(answer, expected, *, name: str, unit=None, rtol: float = 1e-9, atol: float = 0.0,
                    hint: str = "") -> Feedback:
    """Compare a numeric answer (number or array) with the expected value.

    Args:
        answer: the student's value.
        expected: the independently computed value (a Brian quantity when ``unit`` is given).
        name: the variable name the exercise asked for, used in messages.
        unit: if given, the answer must carry this kind of unit (a Brian unit such as ``mV``).
        rtol, atol: tolerances as in ``numpy.allclose`` (``atol`` in ``unit``).
        hint: what to try when the answer is wrong.
    """
    expected = np.asarray(expected if unit is None else expected / unit, dtype=float)
    values = as_numbers(answer, name, unit=unit, shape=expected.shape, hint=hint)
    if isinstance(values, Feedback):
        return values
    if not np.allclose(values, expected, rtol=rtol, atol=atol):
        return not_yet(f"`{name}` has the right shape but not the right value. {hint}".strip())
    return correct(f"`{name}` matches the independent calculation.")
