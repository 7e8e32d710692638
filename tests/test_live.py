"""Tests of helpers.live and of the JavaScript module it displays (beat-experiment.js).

The JavaScript is checked twice against the Python reference it mirrors: here under
Node.js (fast, part of `make unit`; skipped when `node` is not installed) and in headless
Chromium by tests/browser/test_live_figures.py (the real thing, in the built book).
"""
from __future__ import annotations

import html
import json
import re
import shutil
import subprocess

import numpy as np
import pytest
from brian2 import Hz, ms, second

from helpers import clock, events, live, pacemakers, stdp
from helpers.pacemakers import effective_rate, pacemaker_spike_steps
from helpers.stdp import THREAD_RULE, stdp_reference, stdp_window

NODE = shutil.which("node")
DTS = [0.1 * 0.001, 0.05 * 0.001, 0.01 * 0.001]  # what Brian computes for 0.1*ms etc.


# ---------------------------------------------------------------------------------------
# The HTML a notebook stores.


def _div_attrs(figure) -> dict:
    match = re.search(r'<div class="beat-live" data-live="(\w+)" data-description="([^"]*)" '
                      r'data-sliders="([^"]*)">', figure.html())
    assert match, figure.html()[:200]
    return {"kind": match[1], "description": html.unescape(match[2]),
            "sliders": json.loads(html.unescape(match[3]))}


def test_html_is_the_same_on_every_call():
    assert live.beat_explorer().html() == live.beat_explorer().html()
    assert live.beat_explorer()._repr_html_() == live.beat_explorer().html()


@pytest.mark.parametrize("figure, kind, names", [
    (live.beat_explorer(), "explorer", ["pre_rate", "beat", "duration", "phase", "dApre", "tau", "ratio", "dt"]),
    (live.rate_explorer(), "rates", ["pre_rate", "beat", "dt"]),
    (live.window_explorer(), "window", ["lag"]),
])
def test_html_lists_sliders_with_units_and_a_description(figure, kind, names):
    attrs = _div_attrs(figure)
    assert attrs["kind"] == kind
    assert [s["name"] for s in attrs["sliders"]] == names
    for spec in attrs["sliders"]:
        if spec["unit"]:
            assert f"({spec['unit']})" in spec["label"], spec  # the accessible name says the unit
        if "choices" in spec:
            assert spec["value"] in spec["choices"]
        else:
            assert spec["min"] <= spec["value"] <= spec["max"]
    assert len(attrs["description"].split()) > 20
    assert "window.beatExperiment" in figure.html()  # the script that draws it
    assert "beat-live-fallback" in figure.html()     # and what shows where it cannot run


def test_start_values_reach_the_sliders():
    attrs = _div_attrs(live.beat_explorer(250 * Hz, -12.5 * Hz, 2.5 * second, 0.35, dt=0.01 * ms,
                                          rule=THREAD_RULE.replace(taupre=30 * ms, taupost=30 * ms,
                                                                   dApre=0.01, depression_ratio=0.9)))
    values = {s["name"]: s["value"] for s in attrs["sliders"]}
    assert values == {"pre_rate": 250, "beat": -12.5, "duration": 2.5, "phase": 0.35, "dApre": 0.01,
                      "tau": 30, "ratio": 0.9, "dt": 0.01}
    assert _div_attrs(live.window_explorer(-7 * ms))["sliders"][0]["value"] == -7


@pytest.mark.parametrize("call, error, words", [
    (lambda: live.beat_explorer(200), TypeError, "needs a unit"),
    (lambda: live.beat_explorer(pre_rate=600 * Hz), ValueError, "between 100 and 500"),
    (lambda: live.beat_explorer(beat=0.3 * Hz), ValueError, "multiple of 0.5"),
    (lambda: live.beat_explorer(duration=20 * second), ValueError, "between 0.1 and 10"),
    (lambda: live.beat_explorer(phase=1.0), ValueError, "between 0 and 0.99"),
    (lambda: live.beat_explorer(phase=0.5 * ms), TypeError, "phase"),
    (lambda: live.beat_explorer(dt=0.2 * ms), ValueError, "one of 0.1*ms, 0.05*ms, 0.01*ms"),
    (lambda: live.beat_explorer(rule=THREAD_RULE.replace(taupost=40 * ms)), ValueError, "must be equal"),
    (lambda: live.beat_explorer(rule=THREAD_RULE.replace(dApre=0.2)), ValueError, "rule.dApre"),
    (lambda: live.rate_explorer(20 * Hz), ValueError, "between 60 and 500"),
    (lambda: live.window_explorer(5), TypeError, "needs a unit"),
    (lambda: live.window_explorer(0.05 * ms), ValueError, "multiple of 0.1"),
])
def test_bad_start_values_are_refused_with_a_clear_message(call, error, words):
    with pytest.raises(error, match=re.escape(words)):
        call()


def test_load_javascript_gives_the_module_to_jupyter_and_text_elsewhere():
    bundle = live.load_javascript()._repr_mimebundle_()
    assert bundle["application/javascript"] == live.JS_FILE.read_text(encoding="utf-8")
    assert "beat-experiment.js" in bundle["text/plain"]


def test_the_javascript_header_names_python_functions_that_exist():
    """The file's header is the cross-reference to the Python it mirrors: keep it true."""
    header = live.javascript_source().split("*/", 1)[0]
    modules = {"clock": clock, "pacemakers": pacemakers, "events": events, "stdp": stdp}
    pairs = re.findall(r"^ \*\s+\w+\s+helpers/(\w+)\.py\s+([\w.]+)", header, flags=re.MULTILINE)
    assert len(pairs) >= 8, pairs
    for module, name in pairs:
        obj = modules[module]
        for part in name.split("."):
            obj = getattr(obj, part)  # AttributeError if the Python function was renamed


# ---------------------------------------------------------------------------------------
# The JavaScript arithmetic under Node.js.

_NODE_RUNNER = """
global.window = {};
global.document = {readyState: "complete", querySelectorAll: function () { return []; }};
eval(require("fs").readFileSync(process.argv[1], "utf8"));
const api = window.beatExperiment;
const tasks = JSON.parse(require("fs").readFileSync(0, "utf8"));
const out = tasks.map(function (t) {
  try {
    if (t.op === "run") {
      const r = api.run(t.params);
      return {final_w: r.final_w, pre_count: r.pre_count, post_count: r.post_count,
              pre_steps: r.pre_steps, post_steps: r.post_steps};
    }
    if (t.op === "figure") {
      const f = api.figures[t.kind], r = f.compute(f.params(t.values), t.values);
      return {text: f.text(r)};
    }
    return {value: api[t.op].apply(null, t.args)};
  } catch (err) { return {error: err.message}; }
});
process.stdout.write(JSON.stringify(out));
"""


def run_node(tasks: list[dict]) -> list[dict]:
    if NODE is None:
        pytest.skip("node (Node.js) is not installed; the browser tests check the JavaScript instead")
    done = subprocess.run([NODE, "-e", _NODE_RUNNER, str(live.JS_FILE)], input=json.dumps(tasks),
                          capture_output=True, text=True, timeout=120, check=True)
    return json.loads(done.stdout)


def random_beat_cases(n: int, seed: int) -> list[dict]:
    """Parameter sets for run(): rates 5 to 500 Hz, every dt, coincident spikes included."""
    rng = np.random.default_rng(seed)
    cases = []
    for k in range(n):
        pre = float(rng.integers(50, 5001)) / 10
        post = [pre, 2 * pre, float(rng.integers(50, 5001)) / 10][k % 3]  # equal rates, harmonics
        post = min(post, 500.0)
        tau = float(rng.integers(5, 51)) * 0.001
        cases.append({"pre_rate": pre, "post_rate": post, "duration": float(rng.integers(1, 31)) / 10,
                      "phase": 0.0 if k % 4 == 0 else float(rng.integers(0, 100)) / 100,
                      "dt": DTS[k % 3], "taupre": tau, "taupost": tau,
                      "dApre": float(rng.integers(1, 51)) / 1000,
                      "depression_ratio": float(rng.integers(80, 121)) / 100})
    return cases


def reference(case: dict) -> tuple[np.ndarray, np.ndarray, float]:
    """The Python reference written out (not through live.run_reference, which is tested here)."""
    dt = case["dt"] * second
    pre = pacemaker_spike_steps(case["pre_rate"] * Hz, case["duration"] * second, dt=dt)
    post = pacemaker_spike_steps(case["post_rate"] * Hz, case["duration"] * second, dt=dt, phase=case["phase"])
    rule = THREAD_RULE.replace(taupre=case["taupre"] * second, taupost=case["taupost"] * second,
                               dApre=case["dApre"], depression_ratio=case["depression_ratio"])
    return pre, post, stdp_reference(pre, post, dt=dt, rule=rule)


def test_run_reference_is_the_reference_written_out():
    for case in random_beat_cases(12, seed=3):
        pre, post, w = reference(case)
        got = live.run_reference(case)
        assert got == {"final_w": w, "pre_count": pre.size, "post_count": post.size,
                       "pre_steps": pre.tolist(), "post_steps": post.tolist()}
    defaults = live.run_reference({"pre_rate": 200, "post_rate": 220, "duration": 1})
    pre, post = pacemaker_spike_steps(200 * Hz, 1 * second), pacemaker_spike_steps(220 * Hz, 1 * second)
    assert defaults["final_w"] == stdp_reference(pre, post)


def test_node_run_gives_the_python_reference_spikes_and_weights():
    cases = random_beat_cases(90, seed=10)
    results = run_node([{"op": "run", "params": c} for c in cases])
    worst = 0.0
    for case, got in zip(cases, results):
        pre, post, w = reference(case)
        assert got["pre_steps"] == pre.tolist() and got["post_steps"] == post.tolist(), case
        assert (got["pre_count"], got["post_count"]) == (pre.size, post.size)
        worst = max(worst, abs(got["final_w"] - w))
    assert worst <= 1e-12, worst


def test_node_defaults_are_the_thread_rule_and_dt():
    got = run_node([{"op": "run", "params": {"pre_rate": 200, "post_rate": 220, "duration": 1}}])[0]
    pre = pacemaker_spike_steps(200 * Hz, 1 * second)
    post = pacemaker_spike_steps(220 * Hz, 1 * second)
    assert got["pre_steps"] == pre.tolist() and got["post_steps"] == post.tolist()
    assert abs(got["final_w"] - stdp_reference(pre, post)) <= 1e-12


def test_node_step_counts_and_effective_rates_match_python():
    durations = [0.00124, 0.00125, 0.00005, 1.0, 0.3, 0.7, 2.9, 10.0, 1.23456]
    tasks = [{"op": "nSteps", "args": [d, dt]} for d in durations for dt in DTS]
    rates = list(range(50, 501, 7)) + [125, 200, 250, 220, 210]
    tasks += [{"op": "effectiveRate", "args": [float(r), dt]} for r in rates for dt in DTS]
    got = iter(run_node(tasks))
    for d in durations:
        for dt in DTS:
            assert next(got)["value"] == clock.n_steps(d * second, dt * second), (d, dt)
    for r in rates:
        for dt in DTS:
            assert next(got)["value"] == float(effective_rate(r * Hz, dt * second) / Hz), (r, dt)


def test_node_window_and_dapost_match_python():
    lags = [-0.05, -0.01, -0.0001, 0.0, 0.0001, 0.005, 0.05]
    rule = THREAD_RULE.replace(taupost=40 * ms, depression_ratio=1.2)
    params = {"taupost": 0.04, "depression_ratio": 1.2}
    got = run_node([{"op": "stdpWindow", "args": [lag, params]} for lag in lags]
                   + [{"op": "dApost", "args": [params]}, {"op": "dApost", "args": [{}]}])
    for lag, g in zip(lags, got):
        assert abs(g["value"] - stdp_window(lag * second, rule)) <= 1e-15
    assert got[-2]["value"] == rule.dApost and got[-1]["value"] == THREAD_RULE.dApost


def test_node_refuses_bad_parameters_with_a_message():
    got = run_node([{"op": "run", "params": {"pre_rate": 200, "post_rate": 220}},
                    {"op": "run", "params": {"pre_rate": 6000, "post_rate": 220, "duration": 1}},
                    {"op": "run", "params": {"pre_rate": 200, "post_rate": 220, "duration": 1, "phase": 1}}])
    assert "duration" in got[0]["error"]
    assert "1/(2*dt)" in got[1]["error"]
    assert "phase" in got[2]["error"]


@pytest.mark.parametrize("figure", [live.beat_explorer(), live.rate_explorer(), live.window_explorer()],
                         ids=["explorer", "rates", "window"])
def test_node_every_slider_corner_computes(figure):
    """Each figure computes at both ends of every slider range (all combinations)."""
    sliders = _div_attrs(figure)["sliders"]
    ends = [s["choices"] if "choices" in s else [s["min"], s["max"]] for s in sliders]
    grid = np.array(np.meshgrid(*[range(len(e)) for e in ends])).reshape(len(ends), -1).T
    tasks = [{"op": "figure", "kind": figure.kind,
              "values": {s["name"]: ends[i][idx[i]] for i, s in enumerate(sliders)}} for idx in grid]
    for task, got in zip(tasks, run_node(tasks)):
        assert "error" not in got, (task, got)
        assert got["text"] and "NaN" not in got["text"] and "undefined" not in got["text"], got
