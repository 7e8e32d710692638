"""Live figures in the built book: sliders computed by JavaScript, checked against Python.

The book's live figures (helpers/live.py writes them, vendor/site/_static/offline/book/
beat-experiment.js draws them) recompute Brian's pacemakers and pair rule in the page.
These tests open the built book in headless Chromium (offline, see conftest.py) and check:

- the hook ``window.beatExperiment.run`` against the Python reference
  (``helpers.pacemakers.pacemaker_spike_steps`` + ``helpers.stdp.stdp_reference``, through
  ``helpers.live.run_reference``) for 60 random parameter sets: identical spike steps and
  counts, final weight within 1e-12;
- every live figure: its sliders have names with units and work with the keyboard, every
  slider changes the figure and the text line, slider settings give the Python numbers,
  and it fits a 390 px wide phone screen, without console errors or serious axe findings.
"""
from __future__ import annotations

import numpy as np
import pytest
from brian2 import Hz, ms, second

from helpers import live
from helpers.pacemakers import effective_rate
from helpers.stdp import stdp_reference, stdp_window

from .conftest import BOOK_HTML, book_pages, unavailable
from .test_book_pages import _not_allowed
from .test_figure_check import decode_data_uri, figure_problems

pytestmark = pytest.mark.browser

LIVE_MARK = 'class="beat-live"'
DTS = [0.1 * 0.001, 0.05 * 0.001, 0.01 * 0.001]  # float(0.1*ms), float(0.05*ms), float(0.01*ms)
TOLERANCE = 1e-12


def _live_pages() -> list[str]:
    return [p for p in book_pages() if LIVE_MARK in (BOOK_HTML / p).read_text(encoding="utf-8")]


def _figure_pages(kind: str) -> list[str]:
    mark = f'data-live="{kind}"'
    return [p for p in _live_pages() if mark in (BOOK_HTML / p).read_text(encoding="utf-8")]


def _skip_if_none(page_path: str, what: str):
    if page_path == "<none>":
        pytest.skip(f"no {what} in this build")


def random_cases(n: int = 60, seed: int = 2026) -> list[dict]:
    """Parameter sets for run(): rates 5 to 500 Hz, all three dt, coincident spikes included.

    Every third case has the post rate equal to the pre rate or a multiple of it with
    phase 0, so pre and post spikes fall in the same time steps (the case Brian orders
    pre before post); the others draw both rates and the phase at random.
    """
    rng = np.random.default_rng(seed)
    cases = []
    for k in range(n):
        pre = float(rng.integers(50, 5001)) / 10
        if k % 3 == 0:
            post = min(pre * int(rng.integers(1, 4)), 500.0)
            phase = 0.0
        else:
            post = float(rng.integers(50, 5001)) / 10
            phase = float(rng.integers(0, 100)) / 100
        tau = float(rng.integers(5, 51)) * 0.001
        cases.append({"pre_rate": pre, "post_rate": post, "duration": float(rng.integers(1, 31)) / 10,
                      "phase": phase, "dt": DTS[k % 3], "taupre": tau, "taupost": tau,
                      "dApre": float(rng.integers(1, 51)) / 1000,
                      "depression_ratio": float(rng.integers(80, 121)) / 100})
    return cases


@pytest.fixture(scope="module")
def hook_page(open_page):
    """A page of the book with the module loaded: the explorer page if built, else any page
    (html_js_files loads beat-experiment.js on every page)."""
    pages = book_pages()
    if not pages:
        unavailable(f"no pages found in {BOOK_HTML}: build the book first")
    explorer = [p for p in pages if "beat_explorer" in p]
    page, visit = open_page((explorer or pages)[0])
    assert page.evaluate("() => typeof (window.beatExperiment || {}).run") == "function", (
        "window.beatExperiment.run is missing: is offline/book/beat-experiment.js in html_js_files?")
    return page, visit


_RUN_ALL = """cases => cases.map(c => {
  const r = window.beatExperiment.run(c);
  return {final_w: r.final_w, pre_count: r.pre_count, post_count: r.post_count,
          pre_steps: r.pre_steps, post_steps: r.post_steps};
})"""


def test_hook_matches_the_python_reference(hook_page):
    """60 random parameter sets: identical spikes and counts, final weight within 1e-12."""
    page, visit = hook_page
    cases = random_cases()
    results = page.evaluate(_RUN_ALL, cases)
    worst, coincident, dts = 0.0, 0, set()
    for case, got in zip(cases, results):
        ref = live.run_reference(case)
        assert (got["pre_count"], got["post_count"]) == (ref["pre_count"], ref["post_count"]), case
        assert got["pre_steps"] == ref["pre_steps"] and got["post_steps"] == ref["post_steps"], case
        worst = max(worst, abs(got["final_w"] - ref["final_w"]))
        coincident += bool(set(ref["pre_steps"]) & set(ref["post_steps"]))
        dts.add(case["dt"])
    print(f"\nbeatExperiment.run vs Python reference: {len(cases)} cases, spike counts and steps "
          f"identical, largest final-weight difference {worst:.2e}")
    assert worst <= TOLERANCE, worst
    assert coincident >= 15 and dts == set(DTS), (coincident, dts)
    assert not _not_allowed(visit.page_errors + visit.console_errors)


def test_hook_returns_the_promised_keys_and_defaults(hook_page):
    page, _ = hook_page
    got = page.evaluate("() => { const r = window.beatExperiment.run("
                        "{pre_rate: 200, post_rate: 220, duration: 1, phase: 0, dt: 0.0001});"
                        " return [r.final_w, r.pre_count, r.post_count]; }")
    ref = live.run_reference({"pre_rate": 200, "post_rate": 220, "duration": 1})
    assert got[1:] == [ref["pre_count"], ref["post_count"]] == [200, 217]
    assert abs(got[0] - ref["final_w"]) <= TOLERANCE
    message = page.evaluate("() => { try { window.beatExperiment.run({pre_rate: 200}); }"
                            " catch (e) { return e.message; } }")
    assert "duration" in message


# ---------------------------------------------------------------------------------------
# The live figures on the pages.

_FIGURES = """() => [...document.querySelectorAll('.beat-live')].map(el => ({
  kind: el.dataset.live, mounted: el.dataset.mounted === 'true',
  fallback: !!el.querySelector('.beat-live-fallback'),
  canvas: (el.querySelector('canvas[role=img]') || {}).ariaLabel || '',
  live: (el.querySelector('.bl-summary') || {}).ariaLive || '',
  text: (el.querySelector('.bl-summary') || {}).textContent || '',
  sliders: [...el.querySelectorAll('input[type=range]')].map(i => ({
    name: i.name, label: i.labels.length ? i.labels[0].textContent : '',
    valuetext: i.getAttribute('aria-valuetext') || ''}))
}))"""


@pytest.mark.parametrize("live_page", _live_pages() or ["<none>"])
def test_live_figures_are_drawn_with_names_and_text(open_page, live_page):
    _skip_if_none(live_page, "live figure")
    page, visit = open_page(live_page)
    figures = page.evaluate(_FIGURES)
    assert figures
    for fig in figures:
        assert fig["mounted"] and not fig["fallback"], fig
        assert len(fig["canvas"].split()) >= 10, fig["canvas"]   # a real text alternative
        assert fig["live"] == "polite" and fig["text"].strip(), fig
        assert fig["sliders"], fig
        for s in fig["sliders"]:
            assert s["label"].strip() and s["valuetext"].strip(), s
            unit = s["valuetext"].split()[-1]
            if unit in ("Hz", "s", "ms"):
                assert f"({unit})" in s["label"], s   # the accessible name says the unit
    assert not _not_allowed(visit.page_errors + visit.console_errors)


@pytest.mark.parametrize("live_page", _live_pages() or ["<none>"])
def test_live_figures_are_real_pictures(open_page, live_page):
    """Every live canvas, as drawn, is a real figure: decodable, not blank, data drawn in colour."""
    _skip_if_none(live_page, "live figure")
    page, visit = open_page(live_page)
    containers = page.locator(".beat-live")
    assert containers.count() >= 1
    for k in range(containers.count()):
        el = containers.nth(k)
        el.scroll_into_view_if_needed()
        png = decode_data_uri(el.evaluate("el => el.querySelector('canvas').toDataURL('image/png')"))
        problems = figure_problems(png)
        assert not problems, f"{live_page}, live figure {k} ({el.get_attribute('data-live')}): " + "; ".join(problems)
    assert not _not_allowed(visit.page_errors + visit.console_errors)


_SNAPSHOT = """el => {
  const url = el.querySelector('canvas').toDataURL();
  let h = 0;
  for (let i = 0; i < url.length; i++) { h = (h * 31 + url.charCodeAt(i)) | 0; }
  return {canvas: h, text: el.querySelector('.bl-summary').textContent,
          redraws: el.beatLive.redraws};
}"""


def _press_until_the_figure_changes(page, el, slider, presses: int = 10) -> tuple[dict, dict, dict]:
    """Focus ``slider`` and press an arrow key (away from the end it sits at) until the canvas
    changes, at most ``presses`` times. Returns the snapshots before, after the first press
    and at the end. (One step of a rate slider may not change the figure at all: 200 and
    201 Hz both spike every 50 steps of 0.1 ms, as chapter 3 explains.)"""
    key = "ArrowLeft" if slider.evaluate("i => i.value === i.max") else "ArrowRight"
    before = el.evaluate(_SNAPSHOT)
    slider.focus()
    page.keyboard.press(key)
    first = last = el.evaluate(_SNAPSHOT)
    for _ in range(presses - 1):
        if last["canvas"] != before["canvas"]:
            break
        page.keyboard.press(key)
        last = el.evaluate(_SNAPSHOT)
    return before, first, last


@pytest.mark.parametrize("live_page", _live_pages() or ["<none>"])
def test_every_slider_changes_figure_and_text_from_the_keyboard(open_page, live_page):
    """Focus each slider and press an arrow key: every press redraws, and within a few presses
    both the canvas and the text line change."""
    _skip_if_none(live_page, "live figure")
    page, visit = open_page(live_page)
    containers = page.locator(".beat-live")
    for k in range(containers.count()):
        el = containers.nth(k)
        if el.get_attribute("data-live") == "explorer":
            # Start where the weight has not yet reached a bound, so every slider moves it.
            el.locator("input[name=duration]").fill("0.3")
        sliders = el.locator("input[type=range]")
        for n in range(sliders.count()):
            slider = sliders.nth(n)
            slider.scroll_into_view_if_needed()
            before, first, last = _press_until_the_figure_changes(page, el, slider)
            name = slider.get_attribute("name")
            assert first["redraws"] == before["redraws"] + 1, f"{live_page}: {name} did not redraw"
            assert last["text"] != before["text"], f"{live_page}: {name} left the text unchanged"
            assert last["canvas"] != before["canvas"], f"{live_page}: {name} left the figure unchanged"
    assert not _not_allowed(visit.page_errors + visit.console_errors)


_STATE = """el => ({params: el.beatLive.params, text: el.querySelector('.bl-summary').textContent,
  final_w: el.beatLive.result.final_w, pre_count: el.beatLive.result.pre_count,
  post_count: el.beatLive.result.post_count})"""


@pytest.mark.parametrize("explorer_page", _figure_pages("explorer") or ["<none>"])
def test_explorer_slider_settings_give_the_python_numbers(open_page, explorer_page):
    """Set all eight sliders at random, ten times: the explorer shows the reference's numbers."""
    _skip_if_none(explorer_page, "beat explorer")
    page, visit = open_page(explorer_page)
    el = page.locator('.beat-live[data-live="explorer"]').first
    rng = np.random.default_rng(5)
    choices = {"pre_rate": np.arange(100, 501), "beat": np.arange(-100, 101) / 2,
               "duration": np.arange(1, 31) / 10, "phase": np.arange(0, 100) / 100,
               "dApre": np.arange(1, 51) / 1000, "tau": np.arange(5, 51),
               "ratio": np.arange(80, 121) / 100, "dt": [0, 1, 2]}
    worst = 0.0
    for k in range(10):
        for name, values in choices.items():
            value = values[k % 3] if name == "dt" else rng.choice(values)
            el.locator(f"input[name={name}]").fill(f"{value:g}")
        state = el.evaluate(_STATE)
        assert state["params"]["dt"] == DTS[k % 3]
        ref = live.run_reference(state["params"])
        assert (state["pre_count"], state["post_count"]) == (ref["pre_count"], ref["post_count"])
        worst = max(worst, abs(state["final_w"] - ref["final_w"]))
        assert f"{state['pre_count']} pre and {state['post_count']} post spikes" in state["text"]
        assert f"to {state['final_w']:.6f}." in state["text"]
    assert worst <= TOLERANCE, worst
    assert not _not_allowed(visit.page_errors + visit.console_errors)


@pytest.mark.parametrize("rates_page", _figure_pages("rates") or ["<none>"])
def test_rate_figure_gives_the_python_effective_rates(open_page, rates_page):
    _skip_if_none(rates_page, "rate figure")
    page, _ = open_page(rates_page)
    el = page.locator('.beat-live[data-live="rates"]').first
    for pre, beat, dt_index in [(200, 20, 0), (220, -10.5, 1), (499, 1, 2), (60, -50, 0), (125, 0, 0)]:
        el.locator("input[name=pre_rate]").fill(str(pre))
        el.locator("input[name=beat]").fill(str(beat))
        el.locator("input[name=dt]").fill(str(dt_index))
        r = el.evaluate("el => el.beatLive.result")
        dt = DTS[dt_index]
        assert r["eff_pre_rate"] == float(effective_rate(pre * Hz, dt * second) / Hz)
        assert r["eff_post_rate"] == float(effective_rate((pre + beat) * Hz, dt * second) / Hz)


@pytest.mark.parametrize("window_page", _figure_pages("window") or ["<none>"])
def test_window_figure_gives_the_python_weight_change(open_page, window_page):
    _skip_if_none(window_page, "STDP window figure")
    page, _ = open_page(window_page)
    el = page.locator('.beat-live[data-live="window"]').first
    for lag in [-50, -12.3, -0.1, 0, 0.1, 5, 37.7, 50]:
        el.locator("input[name=lag]").fill(str(lag))
        r = el.evaluate("el => ({w: el.beatLive.result.replay.final_w, steps: el.beatLive.result.lag_steps})")
        steps = round(lag * 10)
        assert r["steps"] == steps
        assert abs(r["w"] - stdp_reference([1000], [1000 + steps])) <= TOLERANCE
        assert abs(r["w"] - 0.5 - stdp_window(steps * 0.1 * ms)) <= TOLERANCE


@pytest.mark.parametrize("live_page", _live_pages() or ["<none>"])
def test_live_figures_fit_and_work_on_a_phone(open_page, live_page):
    """At 390 px wide: no live figure sticks out, sliders still work, axe finds nothing serious."""
    from axe_playwright_python.sync_playwright import Axe

    _skip_if_none(live_page, "live figure")
    page, visit = open_page(live_page)
    page.set_viewport_size({"width": 390, "height": 844})
    # The theme gives code blocks that now scroll sideways a tab stop, 300 ms after a resize.
    page.wait_for_function("""() => [...document.querySelectorAll('pre, div.highlight, .cell_output > .output')]
        .every(e => e.scrollWidth <= e.clientWidth || e.tabIndex === 0)""", timeout=5000)
    boxes = page.evaluate("""() => [...document.querySelectorAll('.beat-live')].map(el => {
        const r = el.getBoundingClientRect(), c = el.querySelector('canvas');
        return {right: r.right, left: r.left, overflow: el.scrollWidth - el.clientWidth,
                canvas: c.getBoundingClientRect().right,
                backing: c.width / (window.devicePixelRatio || 1), css: c.clientWidth}; })""")
    for box in boxes:
        assert box["left"] >= 0 and box["right"] <= 390 and box["canvas"] <= 390, box
        assert box["overflow"] <= 0, box
        assert abs(box["backing"] - box["css"]) <= 1, box  # redrawn at the new width
    el = page.locator(".beat-live").first
    slider = el.locator("input[type=range]").first
    slider.scroll_into_view_if_needed()
    before, first, last = _press_until_the_figure_changes(page, el, slider)
    assert first["redraws"] == before["redraws"] + 1
    assert last["text"] != before["text"] and last["canvas"] != before["canvas"]
    # Checked before axe runs: axe-core's own stylesheet preloading requests /basic.css (it
    # resolves the theme's @import "../basic.css" against the wrong folder).
    assert not _not_allowed(visit.page_errors + visit.console_errors)
    results = Axe().run(page)
    serious = [f"{v['id']} ({v['impact']}): {v['help']} -- e.g. {v['nodes'][0]['target']}"
               for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert not serious, f"{live_page} at 390 px: axe-core found:\n  " + "\n  ".join(serious)


@pytest.mark.parametrize("explorer_page", _figure_pages("explorer") or ["<none>"])
def test_explorer_reproduces_brians_table_on_the_same_page(open_page, explorer_page):
    """The page prints eleven final weights from a Brian run (pre 200 Hz, beats 0 to 50 Hz,
    phase 0, thread's rule, dt = 0.1 ms); the explorer set to each shows the same six digits."""
    _skip_if_none(explorer_page, "beat explorer")
    page, _ = open_page(explorer_page)
    table = [t for t in page.locator("pre").all_inner_texts()
             if t.lstrip().startswith("requested beat | effective beat")]
    if not table:
        pytest.skip("the explorer page prints no Brian table in this build")
    rows = [line.split("|") for line in table[0].splitlines()[1:] if line.count("|") == 2]
    assert len(rows) == 11, rows
    el = page.locator('.beat-live[data-live="explorer"]').first
    for name, value in [("pre_rate", "200"), ("phase", "0"), ("dApre", "0.02"), ("tau", "20"),
                        ("ratio", "1.05"), ("dt", "0"), ("duration", "1")]:
        el.locator(f"input[name={name}]").fill(value)
    for beat, effective, final in rows:
        el.locator("input[name=beat]").fill(beat.split()[0])
        text = el.locator(".bl-summary").text_content()
        assert f"effective beat {effective.split()[0]} Hz" in text, (beat, text)
        assert f"to {final.strip()}." in text, (beat, text)
