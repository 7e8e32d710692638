"""Exercise checks, one module per chapter: ``from helpers.checks import ch01``.

Each check takes the student's answer, compares it with an answer computed
independently (a formula or a plain-numpy reference, not the notebook's own code)
and returns a :class:`Feedback`. In a notebook the feedback shows as one line:
``Correct: ...`` or ``Not yet: ...`` followed by a hint.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from brian2 import Quantity
from brian2.units.fundamentalunits import have_same_dimensions

__all__ = ["Feedback", "correct", "not_yet", "compare_numbers"]


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


def compare_numbers(answer, expected, *, name: str, unit=None, rtol: float = 1e-9, atol: float = 0.0,
                    hint: str = "") -> Feedback:
    """Compare a numeric answer (number or array) with the expected value.

    Args:
        answer: the student's value.
        expected: the independently computed value (a Brian quantity when ``unit`` is given).
        name: the variable name the exercise asked for, used in messages.
        unit: if given, the answer must carry this unit (a Brian unit such as ``mV``).
        rtol, atol: tolerances as in ``numpy.allclose``.
        hint: what to try when the answer is wrong.
    """
    if answer is None or answer is Ellipsis:
        return not_yet(f"`{name}` has no value yet. Replace the `...` with your code.")
    if unit is not None:
        if not isinstance(answer, Quantity) or not have_same_dimensions(answer, unit):
            return not_yet(f"`{name}` should carry a unit like {unit!s}. Keep Brian's units, "
                           "e.g. use `G.v[:]` rather than `G.v_[:]`.")
        answer = np.asarray(answer / unit, dtype=float)
        expected = np.asarray(expected / unit, dtype=float)
    try:
        answer_arr = np.asarray(answer, dtype=float)
    except (TypeError, ValueError):
        return not_yet(f"`{name}` should be a number or an array of numbers, got {type(answer).__name__}.")
    expected_arr = np.asarray(expected, dtype=float)
    if answer_arr.shape != expected_arr.shape:
        return not_yet(f"`{name}` has shape {answer_arr.shape}, expected {expected_arr.shape}. {hint}".strip())
    if not np.allclose(answer_arr, expected_arr, rtol=rtol, atol=atol):
        return not_yet(f"`{name}` has the right shape but not the right value. {hint}".strip())
    return correct(f"`{name}` matches the independent calculation.")
