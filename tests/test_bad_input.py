"""Nothing silently wrong: every public helper refuses bad input with a clear message.

The suite walks EVERY public name of every ``helpers`` module (``__all__``; the exercise
checks in ``helpers.checks`` have their own tests). Each callable has an entry in
:data:`REGISTRY`: one valid call (tiny durations, so the suite stays fast) and, for each
argument, the kind of value it takes. Every argument is then replaced in turn by the bad
values of its kind (negative, zero, NaN, inf, wrong unit, missing unit, a unit where a plain
number is wanted, mixed units, mismatched lengths, empty, a string or ``None``, a wrong
shape, a rate a time step cannot represent, a run too long for a plain-Python loop, a
duration shorter than one time step), and the call must

- raise ``TypeError`` or ``ValueError`` from the helpers' own code (not from deep inside
  numpy or Brian) with a message that names the argument, or
- for a value that is legitimately valid for that argument (a zero lag, a negative
  voltage, an empty spike train), return a correct result; a duration shorter than ``dt``
  must behave as in Brian, which runs one step.

A public callable without an entry (or an explicit exemption with a reason) fails
:func:`test_registry_covers_every_public_callable`, so a new helper cannot skip the rules.
"""
from __future__ import annotations

import importlib
import os
import pkgutil
import re
import signal
import traceback
from dataclasses import dataclass, field, fields, is_dataclass
from typing import Any, Callable

import numpy as np
import pytest
from brian2 import Hz, Quantity, mV, ms, second, volt

import helpers

#: Every module of the package except the exercise checks (tested in tests/test_checks_*.py).
MODULES = sorted(m.name for m in pkgutil.iter_modules(helpers.__path__) if m.name != "checks")
HELPERS_DIR = os.path.dirname(os.path.abspath(helpers.__file__))
NAN, INF = float("nan"), float("inf")
DT = 0.1 * ms

# ------------------------------------------------------------------------------------- bad values

#: The classes of bad input, in the order they are reported.
CLASSES = ["negative", "zero", "nan", "inf", "wrong_unit", "missing_unit", "unit_for_plain", "mixed_units",
           "mismatched", "empty", "str", "none", "shape", "not_whole", "unrepresentable", "too_long",
           "shorter_than_dt"]


def _values(kind: str) -> dict[str, Any]:
    """The bad values for an argument of the given kind, by class."""
    common = {"str": "abc", "none": None}
    if kind in ("duration", "time_param"):  # one positive time
        values = {"negative": -1 * ms, "zero": 0 * ms, "nan": NAN * ms, "inf": INF * second,
                  "wrong_unit": 5 * Hz, "missing_unit": 0.01, "empty": np.array([]) * ms,
                  "shape": [1, 2] * ms, **common}
        if kind == "duration":  # the length of a run
            values["shorter_than_dt"] = 0.04 * ms
        return values
    if kind == "time":  # one time that may be zero or negative (a lag)
        return {"negative": -10 * ms, "zero": 0 * ms, "nan": NAN * ms, "inf": INF * ms, "wrong_unit": 5 * Hz,
                "missing_unit": 0.01, "empty": np.array([]) * ms, "shape": [1, 2] * ms, **common}
    if kind == "times":  # an array of times
        return {"negative": [-10, 5] * ms, "zero": [0, 0] * ms, "nan": [1, NAN] * ms, "inf": [1, INF] * ms,
                "wrong_unit": [1, 2] * Hz, "missing_unit": [0.001, 0.002], "mixed_units": [1 * ms, 5 * Hz],
                "empty": np.array([]) * ms, "shape": [[1, 2], [3, 4]] * ms, **common}
    if kind == "rate":  # one rate
        return {"negative": -200 * Hz, "zero": 0 * Hz, "nan": NAN * Hz, "inf": INF * Hz, "wrong_unit": 5 * ms,
                "missing_unit": 200, "empty": np.array([]) * Hz, "shape": [200, 250] * Hz,
                "unrepresentable": 6000 * Hz, **common}
    if kind == "rates":  # one rate per condition
        return {"negative": [200, -200] * Hz, "zero": [200, 0] * Hz, "nan": [200, NAN] * Hz,
                "inf": [200, INF] * Hz, "wrong_unit": [5, 6] * ms, "missing_unit": [200, 250],
                "mixed_units": [200 * Hz, 5 * ms], "empty": np.array([]) * Hz, "shape": [[200, 250]] * Hz,
                "unrepresentable": [200, 6000] * Hz, **common}
    if kind == "voltage":  # one voltage
        return {"negative": -80 * mV, "zero": 0 * mV, "nan": NAN * mV, "inf": INF * mV, "wrong_unit": 5 * ms,
                "missing_unit": -70, "empty": np.array([]) * mV, "shape": [-70, -60] * mV, **common}
    if kind == "voltages":  # voltages, one or many
        return {"negative": [-80, -75] * mV, "zero": 0 * mV, "nan": [-70, NAN] * mV, "inf": [-70, INF] * mV,
                "wrong_unit": 5 * ms, "missing_unit": [-70, -60], "mixed_units": [-70 * mV, 5 * ms],
                "empty": np.array([]) * mV, **common}
    if kind == "plain":  # one plain number
        return {"negative": -0.5, "zero": 0.0, "nan": NAN, "inf": INF, "unit_for_plain": 0.5 * mV,
                "str": "0.5", "none": None, "shape": [0.1, 0.2], "empty": []}
    if kind == "plains":  # plain numbers, one or many
        return {"negative": [0.5, -0.5], "zero": [0.0], "nan": [0.5, NAN], "inf": [0.5, INF],
                "unit_for_plain": [0.5, 1.0] * mV, "mixed_units": [0.5, 1 * mV], "empty": [], "str": "0.5",
                "none": None, "shape": [[0.5, 1.0], [1.5, 2.0]]}
    if kind == "phase":  # an initial x of a pacemaker, in [0, 1)
        return {"negative": -0.25, "zero": 0.0, "nan": NAN, "inf": INF, "unit_for_plain": 0.5 * mV,
                "str": "0.5", "none": None, "shape": [0.1, 0.2], "not_whole": 1.0}
    if kind == "spikes":  # one neuron's spike train: steps or times
        return {"negative": [-1, 5], "zero": [0], "nan": [1.0, NAN], "inf": [1.0, INF],
                "wrong_unit": [1, 2] * Hz, "missing_unit": [0.0012, 0.0034], "mixed_units": [1 * ms, 5 * Hz],
                "empty": [], "shape": [[1, 2], [3, 4]], "not_whole": [0.15, 0.3] * ms, "str": "1, 2",
                "none": None}
    if kind == "count":  # a positive whole number
        return {"negative": -3, "zero": 0, "nan": NAN, "inf": INF, "unit_for_plain": 3 * ms, "shape": [2, 3],
                "not_whole": 2.5, **common}
    if kind == "index":  # a whole number >= 0
        return {"negative": -1, "nan": NAN, "inf": INF, "unit_for_plain": 1 * ms, "shape": [0, 1],
                "not_whole": 0.5, **common}
    if kind == "bool":
        return {"str": "no", "none": None}
    if kind == "callable":
        return {"str": "w + 1", "none": None}
    if kind == "text":  # a string
        return {"str": 5, "none": None, "empty": ""}
    if kind == "object":  # an object made by another helper
        return {"str": "abc", "none": None}
    if kind == "objects":  # a non-empty list of such objects
        return {"str": "abc", "none": None, "empty": []}
    if kind == "pair_rule":
        from helpers.stdp import THREAD_RULE
        return {"missing_unit": THREAD_RULE.replace(taupre=20), "nan": THREAD_RULE.replace(dApre=NAN),
                "unit_for_plain": THREAD_RULE.replace(dApre=0.02 * mV),
                "negative": THREAD_RULE.replace(taupost=-20 * ms), **common}
    if kind == "triplet_rule":
        from helpers.triplet import VISUAL_CORTEX_MINIMAL as V
        return {"missing_unit": V.replace(tau_plus=16.8), "nan": V.replace(A3_plus=NAN),
                "unit_for_plain": V.replace(A2_minus=7.1e-3 * mV), "negative": V.replace(A2_minus=-7.1e-3),
                **common}
    if kind == "taus":  # a list of positive times
        return {"negative": [20, -5] * ms, "zero": [0] * ms, "nan": [NAN] * ms, "inf": [INF] * ms,
                "wrong_unit": [5] * Hz, "missing_unit": [20], "mixed_units": [20 * ms, 5 * Hz],
                "shape": [[20, 30]] * ms, **common}
    if kind == "figsize":
        return {"negative": (-8.0, 3.6), "zero": (0, 3.6), "nan": (NAN, 3.6), "inf": (INF, 3.6),
                "unit_for_plain": (8 * ms, 3.6), "shape": (8.0,), **common}
    raise KeyError(kind)


# ------------------------------------------------------------------------------------- registry


@dataclass
class Arg:
    """How one argument is tested.

    kind: selects the bad values (see :func:`_values`).
    valid: classes that are legitimately valid for this argument, each mapped to a check of
        the result (``None``: only "returns without error").
    names: words one of which the message must contain (default: the argument's name).
    extra: more bad values, by class, for this argument only.
    skip: classes that do not apply, with the reason.
    """

    kind: str
    valid: dict = field(default_factory=dict)
    names: tuple = ()
    extra: dict = field(default_factory=dict)
    skip: dict = field(default_factory=dict)


@dataclass
class Entry:
    """A public callable: a valid call and how each argument is tested.

    args: a valid call, arguments by name. params: how each tested argument is tested.
    exempt: arguments not tested, with the reason. one_step: for ``shorter_than_dt``, a key
        of the result that must equal the key of the same call with ``duration = dt``.
    """

    args: Callable[[], dict]
    params: dict
    exempt: dict = field(default_factory=dict)
    one_step: Callable | None = None


_CACHE: dict = {}


def _cached(key, make):
    if key not in _CACHE:
        _CACHE[key] = make()
    return _CACHE[key]


def _pre(traces, w):
    traces[0] += 0.02
    return w


def _post(traces, w):
    return w + traces[0]


def _isclose(expected, **kw):
    return lambda result: np.allclose(np.asarray(result, dtype=float), expected, **kw)


def _no_nan(result):
    return not np.any(np.isnan(np.asarray(result, dtype=float)))


def _fingerprint(result, ignore=()):
    """A comparable form of a result: dataclasses field by field, arrays as float lists."""
    if is_dataclass(result):
        return tuple((f.name, _fingerprint(getattr(result, f.name))) for f in fields(result)
                     if f.name not in ignore)
    if isinstance(result, (list, tuple)):
        return tuple(_fingerprint(r) for r in result)
    if isinstance(result, (np.ndarray, Quantity, float, int, np.number)):
        return tuple(np.round(np.atleast_1d(np.asarray(result, dtype=float)), 12).tolist())
    return repr(result)


T = Arg("time_param")
DUR = Arg("duration")
V_OK = {"negative": None, "zero": None}  # a voltage may be anything finite


def _registry() -> dict[str, Entry]:
    from helpers.stdp import THREAD_RULE
    from helpers.triplet import VISUAL_CORTEX_MINIMAL

    rule_pair = Arg("pair_rule", names=("rule", "taupre", "taupost", "dApre", "depression_ratio"))
    rule_triplet = Arg("triplet_rule", names=("rule", "tau_plus", "A3_plus", "A2_minus"))
    w0 = Arg("plain", valid={"zero": None})
    gmax = Arg("plain", valid={"inf": None})
    dt_rates = Arg("time_param", extra={"unrepresentable": 10 * ms}, names=("dt", "rate"))
    weight_bounds = {"w0": w0, "gmax": gmax}
    spikes_ok = {"zero": None, "empty": None}
    label = "a label for messages, written by helper code (any text is fine)"
    r = {}

    # --- validation
    r["validation.require_quantity"] = Entry(
        lambda: dict(value=10 * ms, unit=second, name="tau"),
        {"value": Arg("time", names=("tau",), valid={"negative": None, "zero": None, "nan": None, "inf": None,
                                                     "empty": None, "shape": None},
                      extra={"mixed_units": [1 * ms, 5 * Hz]})},
        exempt={"unit": "the expected unit, written by helper code", "name": label})
    r["validation.as_finite_quantity"] = Entry(
        lambda: dict(value=-70 * mV, unit=volt, name="E_L", single=True),
        {"value": Arg("voltage", names=("E_L",), valid={"negative": None, "zero": None})},
        exempt={"unit": "the expected unit, written by helper code", "name": label,
                "single": "an option written by helper code"})
    r["validation.require_positive"] = Entry(
        lambda: dict(value=5 * ms, name="window"),
        {"value": Arg("time", names=("window",), valid={"wrong_unit": None, "missing_unit": None, "shape": None})},
        exempt={"name": label})
    r["validation.require_positive_duration"] = Entry(
        lambda: dict(duration=10 * ms, name="duration"), {"duration": T}, exempt={"name": label})
    r["validation.as_rate_array"] = Entry(
        lambda: dict(rates=[200, 250] * Hz, name="rates"),
        {"rates": Arg("rates", skip={"unrepresentable": "no time step given"})}, exempt={"name": label})
    r["validation.require_same_length"] = Entry(
        lambda: dict(pre_rates=[1, 2] * Hz, post_rates=[3, 4] * Hz),
        {"pre_rates": Arg("object", extra={"mismatched": [1, 2, 3] * Hz}),
         "post_rates": Arg("object", extra={"mismatched": [1] * Hz})})
    r["validation.require_representable_rates"] = Entry(
        lambda: dict(rates=[200, 250] * Hz, dt=DT, name="rates"),
        {"rates": Arg("rates"), "dt": dt_rates}, exempt={"name": label})
    r["validation.require_plain_number"] = Entry(
        lambda: dict(value=0.5, name="w0", example=0.5),
        {"value": Arg("plain", names=("w0",), valid={"negative": None, "zero": None})},
        exempt={"name": label, "example": label})
    r["validation.require_weight_bounds"] = Entry(lambda: dict(w0=0.5, gmax=1.0), dict(weight_bounds))
    r["validation.as_plain_values"] = Entry(
        lambda: dict(values=[[0, 1], [2, 3]], name="drive", example="2"),
        {"values": Arg("plains", names=("drive",), valid={"negative": None, "zero": None, "empty": None,
                                                          "shape": None})},
        exempt={"name": label, "example": label})
    r["validation.require_whole_number"] = Entry(
        lambda: dict(value=3, name="n_pairs", minimum=1, example=3),
        {"value": Arg("count", names=("n_pairs",))},
        exempt={"name": label, "example": label, "minimum": "a bound written by helper code"})
    r["validation.require_flag"] = Entry(lambda: dict(value=True, name="record"),
                                         {"value": Arg("bool", names=("record",))}, exempt={"name": label})
    r["validation.as_plain_array"] = Entry(
        lambda: dict(values=[0.25, 0.5], name="weights"),
        {"values": Arg("plains", names=("weights",), valid={"negative": None, "zero": None})},
        exempt={"name": label, "example": label})

    # --- clock
    r["clock.n_steps"] = Entry(
        lambda: dict(duration=1.24 * ms, dt=DT), {"duration": DUR, "dt": T}, one_step=lambda n: n)
    r["clock.whole_steps"] = Entry(
        lambda: dict(time=-10 * ms, dt=DT, name="lag"),
        {"time": Arg("time", names=("lag",), valid={"negative": _isclose(-100), "zero": _isclose(0)},
                     extra={"not_whole": 1.05 * ms}), "dt": T},
        exempt={"name": label, "example": label})
    r["clock.require_step_budget"] = Entry(
        lambda: dict(steps=10, what="duration=1*ms"),
        {"steps": Arg("count", names=("steps", "duration"), valid={"zero": None},
                      extra={"too_long": 10**8})},
        exempt={"what": label})

    # --- monitors
    r["monitors.relaxation"] = Entry(
        lambda: dict(t=[0, 1] * ms, v0=-70, v_target=1, tau=10 * ms),
        {"t": Arg("times", valid={"negative": _no_nan, "zero": _isclose(-70), "empty": None, "shape": None}),
         "v0": Arg("plain", valid={"negative": None, "zero": None, "shape": None},
                   extra={"wrong_unit": -70 * mV, "mismatched": [0.1, 0.2, 0.3]},
                   skip={"unit_for_plain": "v0 may be a voltage when v_target is one (see wrong_unit)"},
                   names=("v0", "v_target")),
         "v_target": Arg("plain", valid={"negative": None, "zero": None, "shape": None},
                         extra={"wrong_unit": 1 * mV, "mismatched": [0.1, 0.2, 0.3]},
                         skip={"unit_for_plain": "see wrong_unit"}, names=("v0", "v_target")),
         "tau": T})
    r["monitors.student_model_reference"] = Entry(
        lambda: dict(weights=[0.001], duration=3 * ms, tau=10 * ms, dt=DT, delay=2 * ms, v_init=-70.0,
                     v_threshold=-55.0, v_reset=-70.0, v_target=1.0),
        {"weights": Arg("plains", valid={"negative": None, "zero": None}),
         "duration": Arg("duration", extra={"too_long": 1e5 * second}),
         "tau": T, "dt": T,
         "delay": Arg("time", valid={"zero": None}, extra={"not_whole": 0.25 * ms}),
         "v_init": Arg("plain", valid=V_OK), "v_threshold": Arg("plain", valid=V_OK),
         "v_reset": Arg("plain", valid=V_OK), "v_target": Arg("plain", valid=V_OK)},
        one_step=lambda res: _fingerprint(res))

    # --- lif
    scale = {"E_L": Arg("voltage", valid={"negative": None}, names=("E_L", "V_th")),
             "V_th": Arg("voltage", valid={"zero": None}, names=("E_L", "V_th"))}
    drive = Arg("plains", valid={"negative": None, "zero": None, "empty": None, "shape": None})
    refractory = Arg("time", valid={"zero": None})
    r["lif.to_abstract"] = Entry(
        lambda: dict(v=-62.5 * mV, E_L=-70 * mV, V_th=-55 * mV),
        {"v": Arg("voltages", valid={"negative": None, "zero": None, "empty": None}), **scale})
    r["lif.to_biophysical"] = Entry(
        lambda: dict(v_a=0.5, E_L=-70 * mV, V_th=-55 * mV),
        {"v_a": Arg("plains", valid={"negative": None, "zero": None, "empty": None, "shape": None}), **scale})
    for name in ("analytic_period", "analytic_rate"):
        r[f"lif.{name}"] = Entry(lambda: dict(drive=2.0, tau=10 * ms, refractory=2 * ms),
                                 {"drive": drive, "tau": T, "refractory": refractory})
    r["lif.refractory_steps"] = Entry(lambda: dict(refractory=2 * ms, dt=DT), {"refractory": refractory, "dt": T})
    r["lif.step_grid_period"] = Entry(lambda: dict(drive=2.0, tau=10 * ms, dt=DT, refractory=2 * ms),
                                      {"drive": drive, "tau": T, "dt": T, "refractory": refractory})
    r["lif.simulated_period_bounds"] = Entry(
        lambda: dict(drive=2.0, tau=10 * ms, dt=DT, refractory=2 * ms),
        {"drive": drive, "tau": T, "dt": T,
         "refractory": Arg("time", valid={"zero": None}, extra={"not_whole": 0.25 * ms})})
    r["lif.rate_error_bound"] = Entry(
        lambda: dict(rate=[50, 100] * Hz, dt=DT, refractory=2 * ms),
        {"rate": Arg("rates", valid={"zero": None, "empty": None, "shape": None},
                     extra={"unrepresentable": [50, 20000] * Hz}),
         "dt": T, "refractory": Arg("time", valid={"zero": None}, extra={"not_whole": 0.25 * ms})})
    r["lif.reference_spike_times"] = Entry(
        lambda: dict(drive=[2.0], tau=10 * ms, duration=8 * ms, dt=DT, refractory=0 * ms, v_reset=0.0,
                     v_start=0.99),  # spikes in step 0, so that a one-step run is told from no run
        {"drive": Arg("plains", valid={"negative": None, "zero": None}), "tau": T, "duration": Arg("duration", extra={"too_long": 1e5 * second}), "dt": T,
         "refractory": refractory, "v_reset": Arg("plain", valid=V_OK), "v_start": Arg("plain", valid=V_OK)},
        one_step=lambda res: _fingerprint(res))

    # --- pacemakers
    rate = Arg("rate")
    r["pacemakers.steps_per_period"] = Entry(lambda: dict(rate=220 * Hz, dt=DT), {"rate": rate, "dt": dt_rates})
    for name in ("pacemaker_spike_steps", "spike_count"):
        r[f"pacemakers.{name}"] = Entry(
            lambda: dict(rate=220 * Hz, duration=20 * ms, dt=DT, phase=0.99),  # spikes in step 0
            {"rate": rate, "duration": Arg("duration", extra={"too_long": 1e5 * second}), "dt": dt_rates,
             "phase": Arg("phase", valid={"zero": None})},
            one_step=lambda res: _fingerprint(res))
    r["pacemakers.effective_rate"] = Entry(lambda: dict(rate=[220, 210] * Hz, dt=DT),
                                           {"rate": Arg("rates"), "dt": dt_rates})
    r["pacemakers.all_offset_phases"] = Entry(lambda: dict(rate=220 * Hz, dt=DT), {"rate": rate, "dt": dt_rates})
    r["pacemakers.require_pacemaker_rates"] = Entry(lambda: dict(rates=[200, 250] * Hz, dt=DT, name="rates"),
                                                    {"rates": Arg("rates"), "dt": dt_rates},
                                                    exempt={"name": label})

    # --- events
    r["events.as_spike_steps"] = Entry(
        lambda: dict(spikes=[45, 91], dt=DT, name="pre"),
        {"spikes": Arg("spikes", names=("pre",), valid=spikes_ok), "dt": T}, exempt={"name": label})
    r["events.replay_trace_rule"] = Entry(
        lambda: dict(pre_spike_steps=[0], post_spike_steps=[10], dt=DT, taus=[20 * ms], on_pre=_pre,
                     on_post=_post, w0=0.5, record=False),
        {"pre_spike_steps": Arg("spikes", valid=spikes_ok), "post_spike_steps": Arg("spikes", valid=spikes_ok),
         "dt": T, "taus": Arg("taus", valid={"empty": None}), "on_pre": Arg("callable"),
         "on_post": Arg("callable"), "w0": Arg("plain", valid=V_OK), "record": Arg("bool")})

    # --- stdp, triplet
    r["stdp.checked_rule"] = Entry(lambda: dict(rule=THREAD_RULE), {"rule": rule_pair})
    r["stdp.stdp_window"] = Entry(
        lambda: dict(lag=10 * ms, rule=THREAD_RULE),
        {"lag": Arg("times", valid={"negative": None, "zero": _isclose(0.02), "empty": None, "shape": None}),
         "rule": rule_pair})
    r["stdp.stdp_reference"] = Entry(
        lambda: dict(pre_spike_steps=[0], post_spike_steps=[100], dt=DT, rule=THREAD_RULE, w0=0.5, gmax=1.0,
                     record=False),
        {"pre_spike_steps": Arg("spikes", valid={"zero": None, "empty": _isclose(0.5)}),
         "post_spike_steps": Arg("spikes", valid={"zero": None, "empty": _isclose(0.5)}),
         "dt": T, "rule": rule_pair, **weight_bounds, "record": Arg("bool")})
    r["triplet.checked_triplet_rule"] = Entry(lambda: dict(rule=VISUAL_CORTEX_MINIMAL), {"rule": rule_triplet})
    r["triplet.triplet_reference"] = Entry(
        lambda: dict(pre_spike_steps=[0], post_spike_steps=[100, 200], dt=DT, rule=VISUAL_CORTEX_MINIMAL,
                     w0=0.5, gmax=1.0),
        {"pre_spike_steps": Arg("spikes", valid={"zero": None, "empty": _isclose(0.5)}),
         "post_spike_steps": Arg("spikes", valid={"zero": None, "empty": _isclose(0.5)}),
         "dt": T, "rule": rule_triplet, **weight_bounds})

    # --- epsp
    cell = {"J": Arg("voltage", valid={"zero": None}), "tau_m": T, "tau_s": T,
            "synapse": Arg("text", extra={"str": 5, "not_whole": "alpha"})}
    r["epsp.epsp_shape"] = Entry(
        lambda: dict(t=[1, 2] * ms, weight=1.0, synapse="exponential", J=10 * mV, tau_m=10 * ms, tau_s=2 * ms),
        {"t": Arg("times", valid={"negative": None, "zero": _isclose([0, 0]), "empty": None, "shape": None}),
         "weight": Arg("plain", valid={"zero": None}), **cell})
    r["epsp.epsp_peak"] = Entry(
        lambda: dict(weights=[0.5, 1.0], synapse="exponential", J=10 * mV, tau_m=10 * ms, tau_s=2 * ms),
        {"weights": Arg("plains", valid={"zero": None}), **cell})
    r["epsp.measure_epsp"] = Entry(
        lambda: dict(weights=[0.5], synapse="exponential", J=10 * mV, tau_m=10 * ms, tau_s=2 * ms,
                     E_L=-70 * mV, V_th=-55 * mV, test_time=1 * ms, window=6 * ms, dt=DT, record=False),
        {"weights": Arg("plains", valid={"zero": None}), **cell, **scale,
         "test_time": Arg("time", valid={"zero": None}, extra={"not_whole": 1.05 * ms}),
         "window": T, "dt": T, "record": Arg("bool")})

    # --- pairing
    protocol = {"lag": Arg("time", valid={"negative": None, "zero": None}, extra={"not_whole": 1.05 * ms}),
                "n_pairs": Arg("count"), "dt": Arg("time_param", extra={"unrepresentable": 40 * ms}),
                "start": Arg("time", valid={"zero": None}, extra={"not_whole": 1.05 * ms})}
    r["pairing.pairing_spike_steps"] = Entry(
        lambda: dict(frequency=20 * Hz, lag=10 * ms, n_pairs=3, dt=DT, start=10 * ms),
        {"frequency": Arg("rate"), **protocol})
    r["pairing.run_pairing_protocol"] = Entry(
        lambda: dict(frequencies=[50] * Hz, lag=10 * ms, n_pairs=2, rule=THREAD_RULE, dt=DT, start=10 * ms,
                     w0=0.5, gmax=1.0),
        {"frequencies": Arg("rates"), **protocol, "rule": Arg("pair_rule", names=rule_pair.names), **weight_bounds})
    r["pairing.pair_sum_weight_change"] = Entry(
        lambda: dict(pre_times=[0, 50] * ms, post_times=[10] * ms, rule=THREAD_RULE),
        {"pre_times": Arg("times", valid={"negative": None, "zero": None, "empty": _isclose(0)}),
         "post_times": Arg("times", valid={"negative": None, "zero": None, "empty": _isclose(0)}),
         "rule": rule_pair})
    r["pairing.steady_state_change_per_pairing"] = Entry(
        lambda: dict(frequency=10 * Hz, lag=10 * ms, rule=THREAD_RULE),
        {"frequency": Arg("rates", skip={"unrepresentable": "a formula, no time step"}),
         "lag": Arg("time", valid={"negative": None, "zero": None}), "rule": rule_pair})

    # --- beats
    phases = Arg("phase", valid={"zero": None}, extra={"mismatched": [0.1, 0.2, 0.3], "shape": [[0.1, 0.2]]})
    r["beats.run_beat_experiment"] = Entry(
        lambda: dict(pre_rates=[200, 200] * Hz, post_rates=[250, 220] * Hz, duration=5 * ms, rule=THREAD_RULE, w0=0.5,
                     gmax=1.0, dt=DT, pre_phase=0.0, post_phase=0.0, record_weights=False, warn_mismatch=False),
        {"pre_rates": Arg("rates", extra={"mismatched": [200, 200, 200] * Hz}, names=("pre_rates", "post_rates")),
         "post_rates": Arg("rates", extra={"mismatched": [250, 250, 250] * Hz}, names=("pre_rates", "post_rates")),
         "duration": DUR, "rule": rule_pair, **weight_bounds, "dt": Arg("time_param", extra={"unrepresentable": 10 * ms},
                                                                       names=("dt", "pre_rates", "post_rates")),
         "pre_phase": phases, "post_phase": phases,
         "record_weights": Arg("bool"), "warn_mismatch": Arg("bool")},
        one_step=lambda res: _fingerprint(res, ignore=("duration",)))

    # --- sweeps
    g = {"carrier": [200] * Hz, "beat": [10, 20] * Hz}
    r["sweeps.run_sweep"] = Entry(
        lambda: dict(grid=dict(g), duration=5 * ms, client=None, store=None, chunk_size=100, dt=DT, w0=0.5,
                     gmax=1.0, target="numpy", progress=False),
        {"grid": Arg("object", extra={
            "empty": {}, "missing_unit": {**g, "carrier": [200, 300]}, "wrong_unit": {**g, "beat": [10] * ms},
            "negative": {**g, "carrier": [-200] * Hz}, "nan": {**g, "beat": [NAN] * Hz},
            "inf": {**g, "carrier": [INF] * Hz}, "unit_for_plain": {**g, "phase": [0.5] * mV},
            "mixed_units": {**g, "carrier": [200 * Hz, 5 * ms]}, "shape": {**g, "carrier": [[200]] * Hz},
            "not_whole": {**g, "seed": [0.5]}, "unrepresentable": {**g, "carrier": [6000] * Hz}}),
         "duration": DUR, "dt": Arg("time_param", extra={"unrepresentable": 10 * ms}, names=("dt", "carrier")),
         "client": Arg("object", valid={"none": None}), "store": Arg("text", valid={"none": None}),
         "chunk_size": Arg("count"), **weight_bounds, "target": Arg("text", extra={"not_whole": "cpp_standalone"}),
         "progress": Arg("bool")},
        one_step=lambda ds: (ds.final_w.values.tolist(), ds.post_spike_count.values.tolist()))
    r["sweeps.condition_seed"] = Entry(
        lambda: dict(condition={"carrier": 200 * Hz, "beat": 5 * Hz, "seed": 1}),
        {"condition": Arg("object", names=("condition", "carrier", "beat", "seed"), extra={
            "empty": {}, "missing_unit": {"carrier": 200}, "wrong_unit": {"beat": 5 * ms},
            "nan": {"carrier": NAN * Hz}, "unit_for_plain": {"seed": 1 * ms}, "shape": {"carrier": [200, 300] * Hz},
            "not_whole": {"seed": 0.5}, "mismatched": {"carier": 200 * Hz}})})

    # --- auditory
    tone = {"left_freq": Arg("rate"), "right_freq": Arg("rate"),
            "duration": Arg("time_param", extra={"shorter_than_dt": 0.04 * ms, "not_whole": 1 * ms}),
            "mute": Arg("text", valid={"none": None}, extra={"not_whole": "both"})}
    r["auditory.inner_hair_cell"] = Entry(
        lambda: dict(left_freq=400 * Hz, right_freq=440 * Hz, duration=5 * ms, mute=None), tone)
    r["auditory.vector_strength"] = Entry(
        lambda: dict(spike_times=[0, 2.5] * ms, frequency=400 * Hz),
        {"spike_times": Arg("times", valid={"negative": _isclose(1.0), "zero": _isclose(1.0)}),
         "frequency": Arg("rate", skip={"unrepresentable": "a formula, no time step"})})
    small = dict(left_freq=400 * Hz, right_freq=440 * Hz, duration=5 * ms, seed=0, mute=None, n_fibres=4,
                 n_detectors=2, inputs_per_side=2)
    r["auditory.run_binaural_pathway"] = Entry(
        lambda: dict(small),
        {**tone, "seed": Arg("index"), "n_fibres": Arg("count", extra={"mismatched": 1}),
         "n_detectors": Arg("count"), "inputs_per_side": Arg("count", extra={"mismatched": 5})})

    def _pathway():
        from helpers.auditory import run_binaural_pathway
        return _cached("pathway", lambda: run_binaural_pathway(**small))

    r["auditory.run_downstream_stdp"] = Entry(
        lambda: dict(pathway=_pathway(), pair_rule=THREAD_RULE, triplet_rule=VISUAL_CORTEX_MINIMAL, w0=0.5,
                     gmax=1.0, J=1.2 * mV, poisson=False, seed=0),
        {"pathway": Arg("object"), "pair_rule": rule_pair, "triplet_rule": rule_triplet, **weight_bounds,
         "J": Arg("voltage"), "poisson": Arg("bool"), "seed": Arg("index")})

    # --- live
    live_duration = Arg("time_param", extra={"shorter_than_dt": 0.04 * ms})
    r["live.javascript_source"] = Entry(lambda: {}, {})
    r["live.load_javascript"] = Entry(lambda: {}, {})
    r["live.beat_explorer"] = Entry(
        lambda: dict(pre_rate=200 * Hz, beat=20 * Hz, duration=1 * second, phase=0.0, dt=DT, rule=THREAD_RULE),
        {"pre_rate": Arg("rate"), "beat": Arg("rate", valid={"zero": None}), "duration": live_duration,
         "phase": Arg("phase", valid={"zero": None}), "dt": T, "rule": rule_pair})
    r["live.rate_explorer"] = Entry(lambda: dict(pre_rate=200 * Hz, beat=20 * Hz, dt=DT),
                                    {"pre_rate": Arg("rate"), "beat": Arg("rate", valid={"zero": None}), "dt": T})
    r["live.window_explorer"] = Entry(lambda: dict(lag=5 * ms),
                                      {"lag": Arg("time", valid={"negative": None, "zero": None})})
    run = {"pre_rate": 200, "post_rate": 220, "duration": 0.01}
    r["live.run_reference"] = Entry(
        lambda: dict(params=dict(run)),
        {"params": Arg("object", names=("params", "pre_rate", "duration"),
                       extra={"empty": {}, "unit_for_plain": {**run, "pre_rate": 200 * Hz},
                              "nan": {**run, "duration": NAN}, "negative": {**run, "pre_rate": -200},
                              "mixed_units": {**run, "dt": 0.1 * ms}})})
    return r


#: Public callables that are not walked, with the reason.
EXEMPT = {
    "monitors.StudentModelResult": "a result record, built by student_model_reference",
    "events.Replay": "a result record, built by replay_trace_rule",
    "stdp.PairRule": "the rule's constants; every function that takes rule= checks them (checked_rule), "
                     "and the registry tests bad rules at each of those",
    "stdp.StdpTrace": "a result record, built by stdp_reference",
    "triplet.TripletParameters": "the rule's constants; checked by checked_triplet_rule wherever used",
    "epsp.EPSPMeasurement": "a result record, built by measure_epsp",
    "pairing.PairingResult": "a result record, built by run_pairing_protocol",
    "beats.BeatResult": "a result record, built by run_beat_experiment",
    "sweeps.SweepError": "an exception class, raised by run_sweep when a chunk fails",
    "live.Slider": "a record of one slider, built by the live explorers from checked values",
    "live.LiveFigure": "built by beat_explorer, rate_explorer and window_explorer from checked values",
    "auditory.PathwayResult": "a result record, built by run_binaural_pathway",
    "auditory.DownstreamResult": "a result record, built by run_downstream_stdp",
}


def _public_callables() -> list[str]:
    names = []
    for module in MODULES:
        mod = importlib.import_module(f"helpers.{module}")
        names += [f"{module}.{name}" for name in mod.__all__ if callable(getattr(mod, name))]
    return names


def _resolve(qualname: str):
    module, name = qualname.split(".")
    return getattr(importlib.import_module(f"helpers.{module}"), name)


REGISTRY = _registry()


def cases():
    """Every (function, argument, class) case: ``(qualname, arg, cls, value, expect)``.

    ``expect`` is ``"error"``, ``("valid", check)`` or ``"one_step"``.
    """
    out = []
    for qualname, entry in REGISTRY.items():
        for arg, spec in entry.params.items():
            values = {**_values(spec.kind), **spec.extra}
            for cls in CLASSES:
                if cls not in values or cls in spec.skip:
                    continue
                if cls == "shorter_than_dt" and spec.kind == "duration":
                    expect = "one_step"
                elif cls in spec.valid:
                    expect = ("valid", spec.valid[cls])
                else:
                    expect = "error"
                out.append((qualname, arg, cls, values[cls], expect))
    return out


class Hang(Exception):
    pass


def _alarm(signum, frame):
    raise Hang()


def _raised_in_helpers(exc: BaseException) -> bool:
    """True when the innermost frame of the traceback is in the helpers package."""
    frames = traceback.extract_tb(exc.__traceback__)
    return bool(frames) and os.path.abspath(frames[-1].filename).startswith(HELPERS_DIR)


def _names_argument(message: str, names) -> bool:
    return any(re.search(rf"(?<![A-Za-z0-9_]){re.escape(n)}(?![A-Za-z0-9_])", message) for n in names)


def outcome(qualname, arg, cls, value, expect, timeout=20):
    """Run one case; return ``(kind, detail)``.

    kind is "clear" (TypeError/ValueError from helpers naming the argument), "unnamed"
    (TypeError/ValueError that does not name it), "obscure" (another exception, or raised
    deep in numpy/Brian), "silent" (no error for bad input), "hang", "valid" (a valid input
    gave a correct result) or "wrong" (a valid input gave a wrong result or an error).
    """
    entry = REGISTRY[qualname]
    func = _resolve(qualname)
    kwargs = entry.args()
    kwargs[arg] = value
    names = entry.params[arg].names or (arg,)
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(timeout)
    try:
        result = func(**kwargs)
    except Hang:
        return "hang", f"no answer within {timeout} s"
    except (TypeError, ValueError) as exc:
        if expect != "error":
            return "wrong", f"{type(exc).__name__}: {exc}"
        if not _raised_in_helpers(exc):
            return "obscure", f"{type(exc).__name__} from {traceback.extract_tb(exc.__traceback__)[-1].filename}: {exc}"
        if not _names_argument(str(exc), names):
            return "unnamed", f"{type(exc).__name__}: {exc}"
        return "clear", f"{type(exc).__name__}: {exc}"
    except Exception as exc:  # noqa: BLE001 - classifying
        return ("obscure" if expect == "error" else "wrong"), f"{type(exc).__name__}: {exc}"
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
    if expect == "error":
        return "silent", f"returned {result!r:.200}"
    if expect == "one_step":
        one = func(**{**kwargs, arg: kwargs.get("dt", DT)})
        if entry.one_step is None:
            return "wrong", "no one_step key in the registry"
        same = entry.one_step(result) == entry.one_step(one)
        return ("valid", "same as one step") if same else ("wrong", f"{result!r:.200} differs from one step")
    check = expect[1]
    if check is None or check(result):
        return "valid", f"returned {result!r:.100}"
    return "wrong", f"returned {result!r:.200}"


# ------------------------------------------------------------------------------------- the tests


def test_registry_covers_every_public_callable():
    public = set(_public_callables())
    missing = public - set(REGISTRY) - set(EXEMPT)
    assert not missing, f"public helpers without a bad-input entry in tests/test_bad_input.py: {sorted(missing)}"
    stale = (set(REGISTRY) | set(EXEMPT)) - public
    assert not stale, f"entries for names that are not public (any more): {sorted(stale)}"
    assert all(reason.strip() for reason in EXEMPT.values())


def test_every_argument_is_tested_or_exempt():
    import inspect

    for qualname, entry in REGISTRY.items():
        func = _resolve(qualname)
        params = inspect.signature(func).parameters
        if any(p.kind is p.VAR_KEYWORD for p in params.values()):
            continue  # require_same_length(**arrays)
        untested = set(params) - set(entry.params) - set(entry.exempt)
        assert not untested, f"{qualname}: arguments without a bad-input spec: {sorted(untested)}"
        assert set(entry.args()) <= set(params), f"{qualname}: the valid call names unknown arguments"


@pytest.mark.parametrize("qualname", sorted(REGISTRY))
def test_valid_call_works(qualname):
    _resolve(qualname)(**REGISTRY[qualname].args())


_CASES = cases()


@pytest.mark.parametrize("qualname, arg, cls, value, expect", _CASES,
                         ids=[f"{q}-{a}-{c}" for q, a, c, _, _ in _CASES])
def test_bad_input(qualname, arg, cls, value, expect):
    kind, detail = outcome(qualname, arg, cls, value, expect)
    if expect == "error":
        assert kind == "clear", f"{qualname}({arg}=<{cls}>): {kind}: {detail}"
    else:
        assert kind == "valid", f"{qualname}({arg}=<{cls}>): {kind}: {detail}"
