"""Benchmark: 100 beat conditions in one network versus 100 networks of one condition.

Run by hand with `make bench` (or `.venv/bin/python benchmarks/bench_beats.py`).
Prints both wall-clock times and their ratio; the book's claim is a ratio of at least 30.
Both ways must give the same final weights (checked here to the last bit).
"""
import time
import warnings

import numpy as np
from brian2 import BrianLogger, Hz, prefs, second

from helpers.beats import run_beat_experiment

N_CONDITIONS = 100
DURATION = 1 * second
TARGET_RATIO = 30


def main() -> None:
    prefs.codegen.target = "numpy"
    BrianLogger.log_level_warn()
    post_rates = np.linspace(150, 250, N_CONDITIONS) * Hz
    pre_rate = 200 * Hz
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # many of these rates are not whole-step periods
        run_beat_experiment(pre_rate, post_rates[:2], 10 * DURATION / 1000)  # warm-up (imports, parsing)

        start = time.perf_counter()
        together = run_beat_experiment(pre_rate, post_rates, DURATION)
        t_one_network = time.perf_counter() - start

        start = time.perf_counter()
        separate = [run_beat_experiment(pre_rate, rate, DURATION).final_w[0] for rate in post_rates]
        t_many_networks = time.perf_counter() - start

    same = np.array_equal(together.final_w, np.array(separate))
    ratio = t_many_networks / t_one_network
    print(f"{N_CONDITIONS} conditions, {float(DURATION / second):g} s each, numpy target")
    print(f"  one network with all conditions:   {t_one_network:7.2f} s")
    print(f"  one network per condition (loop):  {t_many_networks:7.2f} s")
    print(f"  ratio: {ratio:.1f}x (target >= {TARGET_RATIO}x)")
    print(f"  identical final weights: {same}")
    if not same:
        raise SystemExit("the two ways gave different weights")


if __name__ == "__main__":
    main()
