"""Benchmark: how long one redraw of the live beat explorer takes, against a Brian re-run.

Run by hand with `make bench` (or `.venv/bin/python benchmarks/bench_redraw.py`).
A redraw (helpers.widgets.redraw: the numpy pacemaker + STDP calculation, updating the
figure and encoding it as PNG) must feel instant: the book's target is a median under
100 ms. For comparison the script times the obvious alternative, re-running the same
single condition in Brian (run_beat_experiment, numpy target) for every slider move, and
prints the ratio. It also checks that both give the same final weight.
"""
import time

import numpy as np
from brian2 import BrianLogger, Hz, prefs, second

from helpers.beats import run_beat_experiment
from helpers.widgets import BeatExplorer

TARGET_MS = 100
# Slider moves as a reader might make them: (slider name, value), cycling through all four.
MOVES = [("beat", 10), ("beat", 20), ("phase", 0.25), ("beat", -15), ("duration", 2.0), ("pre_rate", 250),
         ("beat", 33), ("phase", 0.5), ("duration", 0.5), ("beat", 0), ("pre_rate", 180), ("beat", 47)] * 3
N_BRIAN = 5


def main() -> None:
    prefs.codegen.target = "numpy"
    BrianLogger.log_level_warn()
    explorer = BeatExplorer()  # builds the figure and draws once (warm-up)

    redraw_times = []
    for name, value in MOVES:
        start = time.perf_counter()
        getattr(explorer, name).value = value  # the slider's observer runs the redraw
        redraw_times.append(time.perf_counter() - start)
    assert explorer.redraws == len(MOVES) + 1, "every slider move should have redrawn once"
    frame = explorer.frame

    pre, post = frame.pre_rate_hz * Hz, frame.post_rate_hz * Hz
    duration = frame.duration_ms / 1000 * second
    run_beat_experiment(pre, post, duration, post_phase=frame.phase, record_weights=True)  # warm-up
    brian_times = []
    for _ in range(N_BRIAN):
        start = time.perf_counter()
        result = run_beat_experiment(pre, post, duration, post_phase=frame.phase, record_weights=True)
        brian_times.append(time.perf_counter() - start)
    same = abs(result.final_w[0] - frame.final_w) < 1e-9

    redraw_ms = 1000 * float(np.median(redraw_times))
    brian_ms = 1000 * float(np.median(brian_times))
    print(f"live explorer redraw: median {redraw_ms:6.1f} ms over {len(MOVES)} slider moves "
          f"(max {1000 * max(redraw_times):.1f} ms)")
    print(f"Brian re-run of the same condition ({frame.duration_ms:g} ms, numpy target): "
          f"median {brian_ms:6.1f} ms over {N_BRIAN} runs")
    print(f"ratio Brian / redraw: {brian_ms / redraw_ms:.1f}")
    print(f"same final weight (to 1e-9): {same}")
    ok = redraw_ms < TARGET_MS and same
    print(f"target: median redraw under {TARGET_MS} ms -> {'met' if ok else 'NOT met'}")
    if not ok:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
