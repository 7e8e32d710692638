"""The beat explorer (helpers.widgets) and the static slider (helpers.animation).

- The explorer's fast numpy path gives Brian's spikes and weights (one Brian network
  with several conditions is the independent reference).
- Two claims the explorer page makes are checked against formulas for the all-to-all
  STDP rule with regular spike trains.
- The widgets are driven as a reader would: set a slider, check that what is drawn changed
  to the right data.
- The static slider's HTML is deterministic, offline and labelled.
"""
import math
import re

import numpy as np
import pytest
from brian2 import Hz, ms, second

from helpers.animation import frames_slider_html
from helpers.beats import run_beat_experiment
from helpers.pacemakers import pacemaker_spike_steps
from helpers.widgets import BeatExplorer, explorer_frame, frame_from_brian

DAPRE = 0.02
DAPOST = -DAPRE * 1.05
TAU = 20.0  # ms


# --------------------------------------------------------------------------- fast path = Brian

CONDITIONS = [  # pre Hz, post Hz, post phase
    (200, 250, 0.0),
    (200, 220, 0.0),
    (200, 200, 0.5),
    (150, 140, 0.3),
    (300, 333, 0.85),
]


@pytest.fixture(scope="module")
def brian_run():
    pre = [c[0] for c in CONDITIONS] * Hz
    post = [c[1] for c in CONDITIONS] * Hz
    phase = [c[2] for c in CONDITIONS]
    return run_beat_experiment(pre, post, 0.6 * second, post_phase=phase, record_weights=True)


@pytest.mark.parametrize("i", range(len(CONDITIONS)))
def test_numpy_frame_equals_brian(brian_run, i):
    pre, post, phase = CONDITIONS[i]
    fast = explorer_frame(pre * Hz, post * Hz, 0.6 * second, phase)
    slow = frame_from_brian(brian_run, i)
    np.testing.assert_allclose(fast.pre_ms, slow.pre_ms, atol=1e-9)
    np.testing.assert_allclose(fast.post_ms, slow.post_ms, atol=1e-9)
    assert fast.final_w == pytest.approx(slow.final_w, abs=1e-9)
    # Brian records w at the start of every step; the fast curve is a step function of events.
    # Compare on whole time steps (0.1 ms), so float rounding of times cannot shift an event.
    brian_steps = np.rint(slow.w_t_ms[:-1] / 0.1).astype(int)
    event_steps = np.rint(fast.w_t_ms[1:-1] / 0.1).astype(int)
    n_before = np.searchsorted(event_steps, brian_steps, side="left")  # events strictly before
    np.testing.assert_allclose(fast.w[n_before], slow.w[:-1], atol=1e-9)
    assert (fast.eff_pre_hz, fast.eff_post_hz) == pytest.approx((slow.eff_pre_hz, slow.eff_post_hz))


# --------------------------------------------------------------------------- claims vs formulas


def test_zero_beat_same_step_drift_matches_formula():
    """Beat 0, phase 0: pre and post spike in the same step (pre handled first).

    In period n (n = 0, 1, ...) the pre spike adds the decayed sum of the n earlier post
    traces, dApost*q*(1 - q**n)/(1 - q), and the post spike the pre traces including the
    one just made, dApre*(1 - q**(n+1))/(1 - q), with q = exp(-T/tau). Every step is
    positive for T = 5 ms, so w climbs until it is clipped at 1 (the page says so).
    """
    frame = explorer_frame(200 * Hz, 200 * Hz, 1 * second, 0.0)
    q = math.exp(-5.0 / TAU)
    after_post = np.concatenate([[0.5], frame.w[1:-1][1::2]])  # events alternate pre, post
    n = np.arange(after_post.size - 1)
    expected = (DAPOST * q * (1 - q**n) + DAPRE * (1 - q ** (n + 1))) / (1 - q)
    below = after_post[1:] < 1.0  # before the clip at gmax
    assert below.sum() > 10 and np.all(expected > 0)
    np.testing.assert_allclose(np.diff(after_post)[below], expected[below], rtol=1e-9)
    assert frame.final_w == 1.0


def test_half_period_phase_drift_matches_formula():
    """Beat 0, post phase 0.5: post spikes 2.5 ms before and after each pre spike.

    Each period then changes w by (dApre + dApost)*exp(-2.5/20)/(1 - exp(-5/20)), about
    -0.004: 200 periods take w from 0.5 to the floor 0 (the page says so).
    """
    frame = explorer_frame(200 * Hz, 200 * Hz, 1 * second, 0.5)
    assert frame.post_ms[0] == pytest.approx(2.4) and frame.pre_ms[0] == pytest.approx(4.9)
    expected = (DAPRE + DAPOST) * math.exp(-2.5 / TAU) / (1 - math.exp(-5 / TAU))
    after_pre = frame.w[1:-1][1::2]  # events alternate post, pre; w after each pre spike
    steps = np.diff(after_pre)
    settled = steps[60:80]  # traces built up, weight not yet at the floor
    np.testing.assert_allclose(settled, expected, rtol=1e-6)
    assert expected == pytest.approx(-0.00399, abs=1e-5)
    assert frame.final_w < 0.06


# --------------------------------------------------------------------------- driving the widgets


@pytest.fixture
def explorer():
    return BeatExplorer(pre_rate=200 * Hz, beat=50 * Hz, duration=1 * second, phase=0.0)


def _positions(artist):
    return np.asarray(artist.get_positions())


def test_moving_the_beat_slider_redraws_with_the_new_post_train(explorer):
    before_png = explorer.png
    before_post = _positions(explorer.artists["post"])
    redraws = explorer.redraws
    explorer.beat.value = 10  # post 210 Hz
    assert explorer.redraws == redraws + 1
    expected_ms = pacemaker_spike_steps(210 * Hz, 1 * second) * 0.1
    np.testing.assert_allclose(_positions(explorer.artists["post"]), expected_ms[expected_ms < 250])
    assert not np.array_equal(before_post, _positions(explorer.artists["post"]))
    assert explorer.png != before_png and explorer.png.startswith(b"\x89PNG")
    x, y = explorer.artists["w"].get_data()
    assert y[-1] == explorer.frame.final_w
    assert explorer.frame.post_rate_hz == 210 and explorer.frame.eff_post_hz == pytest.approx(1e4 / 48)


def test_duration_phase_and_pre_rate_sliders(explorer):
    explorer.duration.value = 2.0
    assert explorer.artists["ax_w"].get_xlim() == (0.0, 2000.0)
    assert explorer.artists["w"].get_data()[0][-1] == 2000.0
    explorer.phase.value = 0.5
    post = _positions(explorer.artists["post"])
    expected = pacemaker_spike_steps(250 * Hz, 2 * second, phase=0.5) * 0.1
    np.testing.assert_allclose(post, expected[expected < 250])
    explorer.pre_rate.value = 100  # post follows: 100 + 50 Hz
    assert explorer.frame.pre_rate_hz == 100 and explorer.frame.post_rate_hz == 150
    assert _positions(explorer.artists["pre"])[0] == pytest.approx(9.9)  # first spike after 100 steps


def test_figure_html_carries_the_png_and_alt_text(explorer):
    import base64

    html = explorer.figure_html.value
    assert base64.b64encode(explorer.png).decode() in html
    alt = re.search(r'alt="([^"]*)"', html).group(1)
    assert "spike rasters" in alt and "weight" in alt
    explorer.beat.value = -20
    assert "runs at 178.57 Hz" in explorer.figure_html.value  # 180 Hz -> 56 steps
    assert "runs at 178.57 Hz" in explorer.summary.value


def test_text_form_is_fixed_and_the_widget_view_is_offered(explorer):
    bundle = explorer._repr_mimebundle_()
    assert bundle["text/plain"] == BeatExplorer.TEXT
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == explorer.widget.model_id
    explorer.beat.value = 7
    assert explorer._repr_mimebundle_()["text/plain"] == BeatExplorer.TEXT


# --------------------------------------------------------------------------- bad input


def test_bad_input_is_refused_with_a_hint():
    with pytest.raises(TypeError, match="needs a unit"):
        BeatExplorer(pre_rate=200)
    with pytest.raises(TypeError, match="needs a unit"):
        explorer_frame(200 * Hz, 250 * Hz, 1)
    with pytest.raises(ValueError, match=r"\[0, 1\)"):
        explorer_frame(200 * Hz, 250 * Hz, 1 * second, phase=1.2)
    with pytest.raises(TypeError, match="wrong unit"):
        explorer_frame(200 * Hz, 250 * ms, 1 * second)
    with pytest.raises(ValueError, match="range of its slider"):
        BeatExplorer(pre_rate=500 * Hz)
    with pytest.raises(ValueError, match="beat must start between -50"):
        BeatExplorer(beat=-80 * Hz)


def test_explorer_checks_dt_against_every_slider_position_at_construction():
    # 400 Hz + 50 Hz = 450 Hz is more than 1/(2*dt) = 250 Hz: refused now, not in a slider callback
    with pytest.raises(ValueError, match=r"dt = 2 ms is too coarse for the explorer.*450 Hz"):
        BeatExplorer(dt=2 * ms)
    with pytest.raises(ValueError, match=r"longest run \(3 s\).*time steps"):
        BeatExplorer(dt=1e-4 * ms)  # 3 s would be 3e7 steps of the numpy reference
    with pytest.raises(ValueError, match="raster_window must be positive"):
        BeatExplorer(raster_window=-1 * ms)


def test_frame_from_brian_refuses_missing_data(brian_run):
    with pytest.raises(ValueError, match="conditions"):
        frame_from_brian(brian_run, len(CONDITIONS))
    no_w = run_beat_experiment([200] * Hz, [250] * Hz, 20 * ms, record_weights=False)
    with pytest.raises(ValueError, match="record_weights=True"):
        frame_from_brian(no_w, 0)


# --------------------------------------------------------------------------- static slider


@pytest.fixture(scope="module")
def three_frames():
    return [explorer_frame(200 * Hz, (200 + b) * Hz, 0.3 * second) for b in (0, 25, 50)]


def test_slider_html_is_deterministic_offline_and_labelled(three_frames):
    kwargs = dict(anim_id="beats", alt="Three figures, one per beat.", slider_label="Beat frequency")
    html = frames_slider_html(three_frames, **kwargs)
    assert html == frames_slider_html(three_frames, **kwargs)
    assert "https://" not in html and "http://" not in html
    assert not re.search(r"[0-9a-f]{32}", html)  # no random uuid left
    assert 'id="_anim_imgbeats" alt="Three figures, one per beat."' in html
    assert 'aria-label="Beat frequency"' in html
    assert "new Array(3)" in html
    frames = re.findall(r'frames\[(\d+)\] = "data:image/png;base64,([^"]+)"', html)
    assert [int(k) for k, _ in frames] == [0, 1, 2]
    assert len({data for _, data in frames}) == 3  # three different pictures


def test_slider_html_refuses_bad_arguments(three_frames):
    with pytest.raises(ValueError, match="empty"):
        frames_slider_html([], anim_id="a", alt="x", slider_label="y")
    with pytest.raises(ValueError, match="anim_id"):
        frames_slider_html(three_frames, anim_id="1 bad", alt="x", slider_label="y")
    with pytest.raises(ValueError, match="alt"):
        frames_slider_html(three_frames, anim_id="a", alt=" ", slider_label="y")
