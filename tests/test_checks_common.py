"""Every exercise check, whatever the student passes: never an exception, never "Correct" for a
wrong answer, and a tolerance that is exactly as wide as intended.

The checks are discovered (every function named ``check_*`` in ``helpers/checks/chNN.py``), so a
new check fails ``test_every_check_is_covered`` until it gets a right answer in ``right_answers``
and near misses in ``near_misses``. The bad answers are built from the right answer of each
argument (its unit and shape), one argument at a time and all at once.
"""
from __future__ import annotations

import functools
import importlib
import importlib.util
import inspect
import pkgutil
import re
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest
from brian2 import Hz, Quantity, kHz, mV, ms, second
from brian2.units.fundamentalunits import get_dimensions, have_same_dimensions

import helpers.checks
from helpers.checks import Feedback, as_numbers, compare_numbers, unanswered
from helpers.lif import step_grid_period
from helpers.monitors import relaxation
from helpers.pacemakers import pacemaker_spike_steps
from helpers.stdp import stdp_reference


def _discover_checks() -> dict:
    """``{"ch01.check_last_vs_final": function, ...}`` for every chapter module."""
    found = {}
    for info in pkgutil.iter_modules(helpers.checks.__path__):
        if re.fullmatch(r"ch\d+\w*", info.name):
            module = importlib.import_module(f"helpers.checks.{info.name}")
            for name, function in inspect.getmembers(module, inspect.isfunction):
                if name.startswith("check_") and function.__module__ == module.__name__:
                    found[f"{info.name}.{name}"] = function
    return found


CHECKS = _discover_checks()
CH = {name.split(".")[0]: importlib.import_module(f"helpers.checks.{name.split('.')[0]}") for name in CHECKS}


def cases_in(folder: Path) -> dict:
    """Right answers and near misses that a chapter's own test file contributes.

    A file ``tests/test_checks_chNN.py`` may define ``common_cases()`` returning
    ``{"check_name": (right_args, [(description, args, should_pass), ...])}``; its entries
    are added to ``right_answers()`` and ``near_misses()`` as ``"chNN.check_name"``. That way
    a chapter's author covers a new check without editing this file.
    """
    found = {}
    for path in sorted(folder.glob("test_checks_ch*.py")):
        chapter = path.stem.removeprefix("test_checks_")
        spec = importlib.util.spec_from_file_location(f"_common_cases_{chapter}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        if hasattr(module, "common_cases"):
            for name, (right, near) in module.common_cases().items():
                found[f"{chapter}.{name}"] = (tuple(right), list(near))
    return found


@functools.cache
def chapter_cases() -> dict:
    return cases_in(Path(__file__).parent)


# ------------------------------------------------------------------ right answers

@functools.cache
def right_answers() -> dict:
    """One right answer (the arguments, as a tuple) per check, computed without Brian."""
    ch02, ch03, ch04, ch05, ch06, ch07 = (CH[f"ch0{k}"] for k in range(2, 8))
    spikes = ch02.ex1_expected()[2] * second
    i_const = ch02.ex3_expected_I_const()
    rate_30 = 1 / step_grid_period(float(i_const / (15 * mV)), 10 * ms, 0.1 * ms, 2 * ms)
    w_230 = stdp_reference(pacemaker_spike_steps(200 * Hz, 300 * ms), pacemaker_spike_steps(230 * Hz, 300 * ms))
    w_shifted = stdp_reference(pacemaker_spike_steps(200 * Hz, 1 * second),
                               pacemaker_spike_steps(250 * Hz, 1 * second, phase=0.1))
    phase_weights = ch07.pacemaker_pair_weights([200] * 10, [250] * 10, 200 * ms, post_phase=ch07.PHASES)
    ch00 = CH["ch00"]
    spike_times = np.array(ch00.SPIKE_TIMES_MS)
    return {
        "ch00.check_rate": (120.0,),
        "ch00.check_fstring_line": ("lag   7 ms: dw = +0.00082",),
        "ch00.check_last_and_first": (25.9, [3.1, 7.4, 12.0]),
        "ch00.check_intervals": (np.diff(spike_times),),
        "ch00.check_late_spikes": ([12.0, 18.2, 25.9],),
        "ch00.check_rates_from_function": ([200.0, 84.0],),
        "ch00.check_beat": (50,),
        "ch00.check_safe_intervals": ([250.0, 200.0],),
        "ch00.check_mean_interval": (np.mean(np.diff(spike_times)),),
        "ch00.check_window_count": (3,),
        "ch00.check_beat_table": (np.array([[0.0, 10, 20], [-50, -40, -30]]), np.array([10.0, -40.0])),
        "ch00.check_window_counts": (np.array([2.0, 2, 1]),),
        "ch00.check_intervals_ms": (np.diff(spike_times[:3]),),
        "ch01.check_last_vs_final": (relaxation(49.9 * ms, 0, 1, 20 * ms), relaxation(50 * ms, 0, 1, 20 * ms)),
        "ch01.check_subset_trace": (relaxation(np.arange(500) * 0.1 * ms, 0, 1, 40 * ms),),
        "ch01.check_half_times": ([3.5, 7.0, 13.9, 27.8] * ms,),
        "ch02.check_conversion": (-10 / 15, 18 / 15, spikes, spikes.copy()),
        "ch02.check_fI_rates": (ch02.ex2_expected() * Hz,),
        "ch02.check_design_30Hz": (i_const, rate_30),
        "ch03.check_counts": (np.array([188, 227, 322]),),
        "ch03.check_fine_dt_rates": (ch03.expected_fine_rates() * Hz,),
        # Brian's SpikeGeneratorGroup rule floor(m/rate/dt + 0.001) for spikes at m/rate
        "ch03.check_beat_trains": tuple(np.floor(np.arange(r) * 10_000 / r + 1e-3) * 0.1 * ms
                                        for r in (200, 220)),
        "ch04.check_window": (ch04.window(np.array(ch04.WINDOW_LAGS_MS) * 1e-3),),
        "ch04.check_train": (ch04.expected_train(),),
        "ch04.check_balance_lag": (9.8 * ms,),
        "ch05.check_reproduce_230": (68, w_230),
        "ch05.check_shifted_phase": (w_shifted,),
        "ch05.check_design_drift": (ch05.expected_long_run_drift(),),
        "ch06.check_one_epsp": (0.8 * 10 * 0.2 ** 1.25 * mV, 2.5 * np.log(5) * ms),
        "ch06.check_threshold_weight": (15 / (10 * 0.1 ** (20 / 18)),),
        "ch06.check_switch_frequency": (ch06.switch_frequency() * Hz,),
        "ch07.check_reversed_pairing": (ch07.reversed_pairing_changes(),),
        "ch07.check_low_carrier": (ch07.pacemaker_pair_weights([20] * 3, [25, 22, 21], 5 * second),
                                   ch07.pacemaker_pair_weights([25, 22, 21], [20] * 3, 5 * second)),
        "ch07.check_phase_average": (float(np.mean(phase_weights)),),
    } | {name: right for name, (right, _) in chapter_cases().items()}


# ------------------------------------------------------------------ near misses

def _one(values, index, factor=None, shift=None):
    """A copy of ``values`` with one element (or the only one) multiplied by ``factor`` or shifted."""
    out = values.copy() if isinstance(values, np.ndarray) else np.array(values, dtype=float)
    flat = out.reshape(-1)
    flat[index] = flat[index] * factor if factor is not None else flat[index] + shift
    return out if out.ndim else out[()]


def _replace(args, k, value):
    return args[:k] + (value,) + args[k + 1:]


@functools.cache
def near_misses() -> dict:
    """For each check: (description, arguments, should it be Correct?) just inside and just outside
    its tolerance. "Inside" is round-off for exact answers, or 90 % of a tolerance that exists by
    design (the 0.1 ms time grid, a 20 % sampling error, ...); "outside" is just beyond it."""
    R = right_answers()
    cases = {}

    def relative(name, rtol, *, design=False, index=-1):
        """Every argument of ``name`` multiplied by 1 +- 3*rtol (outside) and by 1 + rtol/10 or
        1 +- 0.9*rtol when the tolerance is by design (inside)."""
        args = R[name]
        out = []
        for k, arg in enumerate(args):
            out.append((f"arg {k} x (1 + 3 rtol)", _replace(args, k, _one(arg, index, 1 + 3 * rtol)), False))
            out.append((f"arg {k} x (1 - 3 rtol)", _replace(args, k, _one(arg, index, 1 - 3 * rtol)), False))
            inside = [0.9, -0.9] if design else [0.1]
            for f in inside:
                out.append((f"arg {k} x (1 + {f} rtol)", _replace(args, k, _one(arg, index, 1 + f * rtol)), True))
        return out

    for name in ("rate", "last_and_first", "intervals", "late_spikes", "rates_from_function", "beat",
                 "safe_intervals", "mean_interval", "window_count", "beat_table", "window_counts",
                 "intervals_ms"):
        cases[f"ch00.check_{name}"] = relative(f"ch00.check_{name}", 1e-9)
    line = R["ch00.check_fstring_line"][0]
    cases["ch00.check_fstring_line"] = [  # text: exactly this line, spaces included
        ("the line itself", (line,), True),
        ("one space fewer", (line.replace("   7", "  7"),), False),
        ("a trailing space", (line + " ",), False),
        ("four decimals", (line[:-1],), False),
        ("no sign", (line.replace("+", ""),), False),
    ]

    cases["ch01.check_last_vs_final"] = relative("ch01.check_last_vs_final", 1e-9)
    cases["ch01.check_subset_trace"] = relative("ch01.check_subset_trace", 1e-9)
    half = R["ch01.check_half_times"][0]
    cases["ch01.check_half_times"] = relative("ch01.check_half_times", 1e-9) + [
        ("one time a step late", (_one(half, 2, shift=0.1 * ms),), False)]

    # 2.1: reset and drive within 1e-6; spike times within 1e-9 s (both forms the same times).
    reset, drive, spikes, _ = R["ch02.check_conversion"]
    late = _one(spikes, 2, shift=3e-9 * second)
    step_late = _one(spikes, 2, shift=0.1 * ms)
    round_off = _one(spikes, 2, shift=1e-13 * second)
    cases["ch02.check_conversion"] = [
        ("reset x (1 + 3e-6)", (reset * (1 + 3e-6), drive, spikes, spikes), False),
        ("reset x (1 + 1e-7)", (reset * (1 + 1e-7), drive, spikes, spikes), True),
        ("drive x (1 - 3e-6)", (reset, drive * (1 - 3e-6), spikes, spikes), False),
        ("drive x (1 + 1e-7)", (reset, drive * (1 + 1e-7), spikes, spikes), True),
        ("one spike 3 ns late in both forms", (reset, drive, late, late.copy()), False),
        ("one spike a step late in both forms", (reset, drive, step_late, step_late.copy()), False),
        ("one spike 1e-13 s late in both forms", (reset, drive, round_off, round_off.copy()), True),
        ("one spike more in both forms", (reset, drive, np.append(np.asarray(spikes), 0.2999) * second,
                                          np.append(np.asarray(spikes), 0.2999) * second), False),
    ]
    cases["ch02.check_fI_rates"] = relative("ch02.check_fI_rates", 1e-6)

    # 2.3: I_const within 1e-3 (a rounded value is fine) with the rate that input gives on the grid.
    def design_30(i_factor):
        i_const = R["ch02.check_design_30Hz"][0] * i_factor
        return i_const, 1 / step_grid_period(float(i_const / (15 * mV)), 10 * ms, 0.1 * ms, 2 * ms)

    i_const, rate_30 = R["ch02.check_design_30Hz"]
    cases["ch02.check_design_30Hz"] = [
        ("I_const x (1 + 0.9e-3)", design_30(1 + 0.9e-3), True),
        ("I_const x (1 - 0.9e-3)", design_30(1 - 0.9e-3), True),
        ("I_const x (1 + 1.1e-3)", design_30(1 + 1.1e-3), False),
        ("I_const x (1 - 1.1e-3)", design_30(1 - 1.1e-3), False),
        ("rate x (1 + 3e-6)", (i_const, rate_30 * (1 + 3e-6)), False),
        ("rate x (1 + 1e-7)", (i_const, rate_30 * (1 + 1e-7)), True),
    ]

    counts = R["ch03.check_counts"][0]
    cases["ch03.check_counts"] = [
        ("as a list", (counts.tolist(),), True),
        ("one spike more", (_one(counts, 1, shift=1),), False),
        ("one spike fewer", (_one(counts, 0, shift=-1),), False),
        ("not a whole number", (_one(counts.astype(float), 0, shift=1e-6),), False),
    ]
    cases["ch03.check_fine_dt_rates"] = relative("ch03.check_fine_dt_rates", 1e-6)
    t200, t220 = R["ch03.check_beat_trains"]
    plain_220 = (np.arange(1, 218) * 46 - 1) * 0.1 * ms   # the plain pacemaker: 46-step periods
    cases["ch03.check_beat_trains"] = [  # on the grid, inside 1 s, within one step of m/rate
        ("first spike dropped (starts one period late)", (t200, t220[1:]), True),
        ("as lists of quantities", (list(t200), list(t220)), True),
        ("one spike two steps late", (t200, _one(t220, 100, shift=0.2 * ms)), False),
        ("one spike half a step late", (t200, _one(t220, 100, shift=0.05 * ms)), False),
        ("last spike dropped", (t200, t220[:-1]), False),
        ("the plain pacemaker's 217 spikes", (t200, plain_220), False),
        ("typed-in counts", (200, 220), False),
    ]

    cases["ch04.check_window"] = relative("ch04.check_window", 1e-9)
    cases["ch04.check_train"] = relative("ch04.check_train", 1e-6)
    exact = CH["ch04"].balance_lag_exact() * second
    cases["ch04.check_balance_lag"] = [  # within 0.1 ms (the lag grid) of the exact lag
        ("exact + 0.099 ms", (exact + 0.099 * ms,), True),
        ("exact - 0.099 ms", (exact - 0.099 * ms,), True),
        ("exact + 0.101 ms", (exact + 0.101 * ms,), False),
        ("exact - 0.101 ms", (exact - 0.101 * ms,), False),
    ]

    n, w = R["ch05.check_reproduce_230"]
    cases["ch05.check_reproduce_230"] = [
        ("one post spike fewer", (n - 1, w), False),
        ("one post spike more", (n + 1, w), False),
        ("w + 3e-9", (n, w + 3e-9), False),
        ("w - 3e-9", (n, w - 3e-9), False),
        ("w + 1e-10", (n, w + 1e-10), True),
    ]
    (w_shifted,) = R["ch05.check_shifted_phase"]
    cases["ch05.check_shifted_phase"] = [
        ("w + 3e-9", (w_shifted + 3e-9,), False),
        ("w - 3e-9", (w_shifted - 3e-9,), False),
        ("w + 1e-10", (w_shifted + 1e-10,), True),
    ]
    drift = R["ch05.check_design_drift"][0]
    cases["ch05.check_design_drift"] = [  # within 20 % of the long-run drift, for every beat
        ("one drift 19 % too strong", (_one(drift, 1, 1.19),), True),
        ("one drift 19 % too weak", (_one(drift, 2, 0.81),), True),
        ("one drift 21 % too strong", (_one(drift, 1, 1.21),), False),
        ("one drift 21 % too weak", (_one(drift, 2, 0.79),), False),
    ]

    amplitude, peak = R["ch06.check_one_epsp"]
    cases["ch06.check_one_epsp"] = [  # amplitude within 2e-4, peak time within half a step (0.05 ms)
        ("amplitude x (1 - 1.9e-4)", (amplitude * (1 - 1.9e-4), peak), True),
        ("amplitude x (1 - 2.1e-4)", (amplitude * (1 - 2.1e-4), peak), False),
        ("amplitude x (1 + 2.1e-4)", (amplitude * (1 + 2.1e-4), peak), False),
        ("peak on the grid (4.0 ms)", (amplitude, 4.0 * ms), True),
        ("peak + 0.045 ms", (amplitude, peak + 0.045 * ms), True),
        ("peak - 0.045 ms", (amplitude, peak - 0.045 * ms), True),
        ("peak + 0.055 ms", (amplitude, peak + 0.055 * ms), False),
        ("peak - 0.055 ms", (amplitude, peak - 0.055 * ms), False),
        ("grid peak counted from the spike (4.1 ms)", (amplitude, 4.1 * ms), False),
    ]
    (w_th,) = R["ch06.check_threshold_weight"]  # the exact threshold weight, 19.37
    cases["ch06.check_threshold_weight"] = [  # from 1e-4 below to 2e-3 above (the grid sees a lower peak)
        ("x (1 - 0.9e-4)", (w_th * (1 - 0.9e-4),), True),
        ("x (1 + 1.9e-3)", (w_th * (1 + 1.9e-3),), True),
        ("x (1 - 1.1e-4)", (w_th * (1 - 1.1e-4),), False),
        ("x (1 + 2.1e-3)", (w_th * (1 + 2.1e-3),), False),
    ]
    f_switch = R["ch06.check_switch_frequency"][0]
    cases["ch06.check_switch_frequency"] = [  # within 0.3 Hz
        ("+ 0.29 Hz", (f_switch + 0.29 * Hz,), True),
        ("- 0.29 Hz", (f_switch - 0.29 * Hz,), True),
        ("+ 0.31 Hz", (f_switch + 0.31 * Hz,), False),
        ("- 0.31 Hz", (f_switch - 0.31 * Hz,), False),
    ]

    cases["ch07.check_reversed_pairing"] = relative("ch07.check_reversed_pairing", 1e-9)
    cases["ch07.check_low_carrier"] = relative("ch07.check_low_carrier", 1e-9)
    cases["ch07.check_phase_average"] = relative("ch07.check_phase_average", 1e-9)
    for name, (_, near) in chapter_cases().items():
        cases[name] = near
    return cases


# ------------------------------------------------------------------ bad answers

def _with_unit_of(right, values):
    if isinstance(right, Quantity) and not have_same_dimensions(right, 1):
        return Quantity(values, dim=get_dimensions(right))
    return values


def bad_answers(right) -> dict:
    """``{class: [bad values]}`` built from one right answer (its unit and shape)."""
    if isinstance(right, str):  # a text answer (an f-string): everything that is not that text
        return {"Ellipsis": [...], "None": [None], "NaN": [np.nan], "inf": [np.inf], "-inf": [-np.inf],
                "string": ["abc", "", right.upper(), right + "\n"], "empty list": [[], np.array([])],
                "list of strings": [[right], list(right)], "dict": [{}, {"answer": right}],
                "ragged list": [[[1.0, 2.0], [3.0]]], "wrong unit": [1.0 * mV],
                "wrong shape": [np.array([right] * 2)]}
    shape = np.shape(right)
    plain = np.asarray(right, dtype=float)  # in SI units
    has_unit = isinstance(right, Quantity) and not have_same_dimensions(right, 1)
    bad = {"Ellipsis": [...], "None": [None]}
    for label, x in (("NaN", np.nan), ("inf", np.inf), ("-inf", -np.inf)):
        bad[label] = [_with_unit_of(right, np.full(shape, x) if shape else x)]
        if plain.size > 1:  # a single bad element among right ones
            bad[label].append(_with_unit_of(right, _one(plain, 0, shift=x)))
    bad["string"] = ["abc", "0.5", str(right)]
    bad["empty list"] = [[], np.array([]), _with_unit_of(right, np.array([]))]
    bad["list of strings"] = [["abc"] * max(plain.size, 1), [str(x) for x in plain.reshape(-1)]]
    bad["dict"] = [{}, {"answer": right}]
    bad["ragged list"] = [[[1.0, 2.0], [3.0]]]
    if has_unit:
        others = [unit for unit in (ms, Hz, mV) if not have_same_dimensions(right, unit)]
        bad["wrong unit"] = [Quantity(plain, dim=get_dimensions(unit)) for unit in others]
        bad["missing unit"] = [plain, np.asarray(right / right.get_best_unit(), dtype=float)]
    else:
        bad["wrong unit"] = [plain * mV, plain * Hz]
    if shape:
        bad["wrong shape"] = [right[:-1], _with_unit_of(right, np.stack([plain, plain])), right[0]]
    else:
        bad["wrong shape"] = [_with_unit_of(right, np.full(3, plain)), _with_unit_of(right, np.full((1, 1), plain))]
    return bad


BAD_CLASSES = ["Ellipsis", "None", "NaN", "inf", "-inf", "string", "empty list", "list of strings",
               "wrong unit", "missing unit", "wrong shape", "dict", "ragged list"]


def bad_calls(name: str, bad_class: str):
    """Argument tuples for one check: each argument replaced in turn, then all of them at once."""
    right = right_answers()[name]
    per_argument = [bad_answers(arg).get(bad_class, []) for arg in right]
    for k, values in enumerate(per_argument):
        for value in values:
            yield _replace(right, k, value)
    if len(right) > 1 and all(per_argument):
        yield tuple(values[0] for values in per_argument)


def _verdict(check, args):
    """The check's feedback, failing the test on an exception or a warning."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        feedback = check(*args)
    assert isinstance(feedback, Feedback), f"{check.__name__} returned {feedback!r}"
    assert feedback.message.strip(), f"{check.__name__}{args!r:.200} gave an empty message"
    return feedback


# ------------------------------------------------------------------ the tests

def test_every_check_is_covered():
    assert len(CHECKS) >= 21
    hint = "in right_answers() or in common_cases() of tests/test_checks_chNN.py"
    assert sorted(right_answers()) == sorted(CHECKS), f"give every check a right answer {hint}"
    assert sorted(near_misses()) == sorted(CHECKS), f"give every check near misses {hint}"
    for name, cases in near_misses().items():
        assert any(not should_pass for _, _, should_pass in cases), f"{name}: no near miss outside"
        for _, args, _ in cases:
            assert len(args) == len(inspect.signature(CHECKS[name]).parameters), name


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_right_answer_is_correct(name):
    feedback = _verdict(CHECKS[name], right_answers()[name])
    assert feedback.correct, feedback


@pytest.mark.parametrize("name, bad_class", [
    (name, bad_class) for name in sorted(CHECKS) for bad_class in BAD_CLASSES
    if name in right_answers() and any(bad_calls(name, bad_class))  # "missing unit" needs an answer with a unit
])
def test_bad_answer_is_not_yet(name, bad_class):
    for args in bad_calls(name, bad_class):
        feedback = _verdict(CHECKS[name], args)
        assert not feedback.correct, f"{name}{args!r:.200} said {feedback!r}"


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_near_misses(name):
    for description, args, should_pass in near_misses()[name]:
        feedback = _verdict(CHECKS[name], args)
        assert feedback.correct == should_pass, f"{name}, {description}: {feedback!r}"


# ------------------------------------------------------------------ the shared plumbing itself

def test_unanswered_names_every_missing_answer():
    assert unanswered(a=1.0, b=[2.0]) is None
    assert unanswered(a=0.0) is None  # zero is an answer
    assert "`a` has no value yet" in unanswered(a=..., b=1.0).message
    assert "`a`, `b` and `c` have no value yet" in unanswered(a=..., b=None, c=..., d=2).message
    for empty in ([], (), np.array([]), np.array([]) * ms, ""):
        assert "`a` is empty" in unanswered(a=empty).message


@pytest.mark.parametrize("answer, unit, expected", [
    (3, None, 3.0),
    (np.int64(3), None, 3.0),
    (True, None, 1.0),
    (5 * mV / mV, None, 5.0),
    ([1, 2], None, [1.0, 2.0]),
    (2 * ms, ms, 2.0),
    (2 * ms, second, 0.002),
    ([1 * ms, 2 * ms], ms, [1.0, 2.0]),
    (np.array([1, 2]) * kHz, Hz, [1000.0, 2000.0]),
])
def test_as_numbers_reads_numbers_in_the_requested_unit(answer, unit, expected):
    values = as_numbers(answer, "x", unit=unit)
    assert isinstance(values, np.ndarray) and values.dtype == float
    assert np.allclose(values, expected, rtol=1e-12)


@pytest.mark.parametrize("answer, unit, shape, phrase", [
    (..., None, None, "no value yet"),
    ("0.5", None, None, "is text"),
    (["0.5"], None, None, "should be a number or an array of numbers"),
    ([1, None], None, None, "should be a number or an array of numbers"),
    ([1j], None, None, "should be a number or an array of numbers"),
    ([[1, 2], [3]], None, None, "should be a number or an array of numbers"),
    ([1 * ms, 2 * Hz], ms, None, "should be a number or an array of numbers"),
    (3 * mV, None, None, "carries a unit (V) but should be a plain number"),
    (3.0, ms, None, "has no unit, but it should carry a unit like ms"),
    (3 * mV, ms, None, "has the wrong kind of unit (V): it should carry a unit like ms"),
    ([1, 2], None, (), "should be one number, but it has shape (2,)"),
    (1.0, None, (2,), "should hold 2 values, but it is one number"),
    ([[1.0]], None, (), "should be one number, but it has shape (1, 1)"),
    (np.nan, None, (), "contains nan or inf"),
    ([1.0, np.inf], None, None, "contains nan or inf"),
    (1e306 * second, ms, (), "contains nan or inf"),  # too large for a float in the unit asked for
])
def test_as_numbers_says_what_is_wrong(answer, unit, shape, phrase):
    feedback = as_numbers(answer, "x", unit=unit, shape=shape, hint="Try harder.")
    assert isinstance(feedback, Feedback) and not feedback.correct
    assert feedback.message.startswith("`x`") and phrase in feedback.message
    if phrase != "no value yet":
        assert feedback.message.endswith(" Try harder.")


def test_compare_numbers_messages():
    right = compare_numbers([1.0, 2.0], [1.0, 2.0], name="x")
    assert repr(right) == "Correct: `x` matches the independent calculation."  # stored in the notebooks
    wrong = compare_numbers([1.0, 2.1], [1.0, 2.0], name="x", hint="Hint.")
    assert wrong.message == "`x` has the right shape but not the right value. Hint."
    assert "should hold 2 values" in compare_numbers([1.0], [1.0, 2.0], name="x").message
    assert compare_numbers(2 * ms, 0.002 * second, name="t", unit=ms).correct
    assert not compare_numbers(2.0, 0.002 * second, name="t", unit=ms).correct
    assert not compare_numbers(np.nan, np.nan, name="x").correct  # nan never matches, not even nan


# ------------------------------------------------------------------ an answer cell that raised

class _FakeShell:
    """What a check sees of IPython: the state of the cell run before it."""

    def __init__(self, succeeded, error=None):
        self.last_execution_succeeded = succeeded
        self.last_execution_result = type("Result", (), {"error_in_exec": error, "error_before_exec": None})()


def _in_fake_ipython(monkeypatch, shell):
    fake = type(sys)("IPython")
    fake.get_ipython = lambda: shell
    monkeypatch.setitem(sys.modules, "IPython", fake)


def test_a_failed_answer_cell_is_never_judged(monkeypatch):
    """After a cell that raised, every check says so, whatever the (stale) answer holds."""
    _in_fake_ipython(monkeypatch, _FakeShell(False, ZeroDivisionError("division by zero")))
    for name, args in right_answers().items():
        if name not in CHECKS:  # covered by test_every_check_is_covered
            continue
        feedback = _verdict(CHECKS[name], args)
        assert not feedback.correct, name
        assert feedback.message == ("your answer cell stopped with an error (ZeroDivisionError); fix it and "
                                    "run it again before checking."), name
    assert "stopped with an error" in unanswered(a=1.0).message
    assert "stopped with an error" in as_numbers(1.0, "a").message


def test_a_successful_cell_or_no_shell_changes_nothing(monkeypatch):
    _in_fake_ipython(monkeypatch, _FakeShell(True))
    assert all(_verdict(CHECKS[name], args).correct for name, args in right_answers().items() if name in CHECKS)
    _in_fake_ipython(monkeypatch, None)  # IPython imported, but no shell running (a script, pytest)
    assert unanswered(a=1.0) is None
    monkeypatch.delitem(sys.modules, "IPython")  # IPython not even imported
    assert unanswered(a=1.0) is None and as_numbers(2.0, "a") == 2.0


def test_a_real_kernel_refuses_the_previous_attempt_after_a_failed_cell():
    """The mechanism in a real Jupyter kernel (nbclient): the check cell sees the state of the
    answer cell run just before it, including a syntax error, and judges again once it works."""
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    check = ("from helpers.checks import ch06\n"
             "from brian2 import mV, ms\n"
             "print(ch06.check_one_epsp(amplitude_08, peak_time_08))")
    right = ("import numpy as np\n"
             "amplitude_08 = 0.8 * 10 * 0.2 ** 1.25 * mV\n"
             "peak_time_08 = 2.5 * np.log(5) * ms")
    cells = [
        "from brian2 import mV, ms\namplitude_08 = ...\npeak_time_08 = ...",
        check,                                    # 1: stub, no answer yet
        right,
        check,                                    # 3: right answer, judged
        "amplitude_08 = 1 / 0",                   # raises: amplitude_08 keeps the right value
        check,                                    # 5: refused
        "amplitude_08 = (",                       # a syntax error
        check,                                    # 7: refused
        right,
        check,                                    # 9: judged again
    ]
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code) for code in cells])
    client = nbclient.NotebookClient(notebook, timeout=120, kernel_name="python3", allow_errors=True,
                                     resources={"metadata": {"path": str(Path(__file__).parents[1])}})
    client.execute()

    def printed(k):
        return "".join(out.get("text", "") for out in notebook.cells[k].outputs if out["output_type"] == "stream")

    assert printed(1).startswith("Not yet: `amplitude_08` and `peak_time_08` have no value yet")
    assert printed(3).startswith("Correct")
    assert printed(5).strip() == ("Not yet: your answer cell stopped with an error (ZeroDivisionError); fix it "
                                  "and run it again before checking.")
    assert printed(7).startswith("Not yet: your answer cell stopped with an error (SyntaxError)")
    assert printed(9).startswith("Correct")


def test_a_chapter_test_file_can_supply_right_answers_and_near_misses(tmp_path):
    (tmp_path / "test_checks_ch99.py").write_text(
        "def common_cases():\n"
        "    return {'check_x': ([1.0], [('a bit off', (1.1,), False)])}\n")
    (tmp_path / "test_checks_ch98.py").write_text("X = 1\n")  # no common_cases: nothing added
    assert cases_in(tmp_path) == {"ch99.check_x": ((1.0,), [("a bit off", (1.1,), False)])}
