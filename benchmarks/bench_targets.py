"""Benchmark: Brian's numpy, Cython and C++ standalone targets on one large beat network.

Run by hand with `make bench` (or `.venv/bin/python benchmarks/bench_targets.py`).
One network of 5,000 pacemaker pairs with STDP (helpers.beats.run_beat_experiment), 1 s.
Prints each target's time as a ratio to the numpy run: Cython's first run (it compiles
unless Brian's cache already holds the code) and a second run from the cache; C++
standalone's compile-and-run and a rerun of the compiled program (``device.run``).
Spike counts must be identical and weights within 1e-12 of numpy's (compiled code uses
-ffast-math), or the script fails.
"""
import shutil
import tempfile
import time
import warnings

import numpy as np
from brian2 import BrianLogger, Hz, device, prefs, second, set_device

from helpers.beats import run_beat_experiment

N = 5000
DURATION = 1 * second
RNG = np.random.default_rng(2026)
PRE = RNG.uniform(150, 450, N)
POST = PRE + RNG.uniform(-40, 40, N)


def run():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return run_beat_experiment(PRE * Hz, POST * Hz, DURATION)


def timed(label, times, results):
    start = time.perf_counter()
    results[label] = run()
    times[label] = time.perf_counter() - start


def main() -> None:
    BrianLogger.log_level_warn()
    times, results = {}, {}
    for target in ("numpy", "cython"):
        prefs.codegen.target = target
        timed(f"{target}, first run", times, results)
        timed(f"{target}, second run", times, results)
    prefs.codegen.target = "numpy"

    build_dir = tempfile.mkdtemp(prefix="bench_standalone_")
    set_device("cpp_standalone", directory=build_dir)
    try:
        timed("cpp_standalone, compile + run", times, results)
        start = time.perf_counter()
        device.run()
        times["cpp_standalone, rerun (no compile)"] = time.perf_counter() - start
    finally:
        device.reinit()
        set_device("runtime")
        shutil.rmtree(build_dir, ignore_errors=True)

    ref = results["numpy, second run"]
    print(f"one network of {N} beat conditions, {float(DURATION / second):g} s simulated")
    base = times["numpy, second run"]
    for label, sec in times.items():
        print(f"  {label:34s} {sec / base:7.2f} x numpy  ({base / sec:6.2f} x as fast)")
    for label, res in results.items():
        counts_same = np.array_equal(res.pre_spike_counts, ref.pre_spike_counts) and np.array_equal(
            res.post_spike_counts, ref.post_spike_counts)
        diff = float(np.max(np.abs(res.final_w - ref.final_w)))
        if not counts_same or diff > 1e-12:
            raise SystemExit(f"{label}: spike counts identical {counts_same}, largest weight difference {diff:.2e}")
    print("  spike counts identical and weights within 1e-12 on every target")


if __name__ == "__main__":
    main()
