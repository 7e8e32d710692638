"""Benchmark: conditions per second of a sweep, serially and on a 2-worker Dask LocalCluster.

Run by hand with `make bench` (or `.venv/bin/python benchmarks/bench_sweeps.py`).
The sweep (chapter 10's kind: carriers x beats x phases x seeds, 1 s each, numpy target)
is cut into chunks of 100 conditions, one network per chunk. Prints conditions per second
both ways and their ratio (at most 2 on two cores, less when the machine is busy), and
checks that both ways give the same Dataset bit for bit.
"""
import time

import numpy as np
from brian2 import BrianLogger, Hz, prefs, second
from distributed import Client, LocalCluster

from helpers.sweeps import run_sweep

GRID = {"carrier": [200, 300, 400, 500] * Hz, "beat": np.arange(-24, 26, 2) * Hz,
        "phase": [0, 0.25, 0.5, 0.75], "seed": [0, 1]}
DURATION = 1 * second
CHUNK = 100


def main() -> None:
    prefs.codegen.target = "numpy"
    BrianLogger.log_level_warn()
    n = int(np.prod([len(v) for v in GRID.values()]))
    run_sweep({"carrier": [200] * Hz, "beat": [10] * Hz}, duration=0.01 * second)  # warm-up

    start = time.perf_counter()
    serial = run_sweep(GRID, duration=DURATION, chunk_size=CHUNK)
    t_serial = time.perf_counter() - start

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        run_sweep({"carrier": [200] * Hz, "beat": [10, 20] * Hz}, duration=0.01 * second, chunk_size=1,
                  client=client)  # warm-up: both workers import Brian
        start = time.perf_counter()
        parallel = run_sweep(GRID, duration=DURATION, chunk_size=CHUNK, client=client)
        t_parallel = time.perf_counter() - start

    same = parallel.identical(serial)
    print(f"sweep of {n} conditions ({-(-n // CHUNK)} chunks of <= {CHUNK}), {float(DURATION / second):g} s each")
    print(f"  serial:             {n / t_serial:8.1f} conditions/s")
    print(f"  2 Dask workers:     {n / t_parallel:8.1f} conditions/s")
    print(f"  ratio 2 workers / serial: {t_serial / t_parallel:.2f}x")
    print(f"  identical Datasets: {same}")
    if not same:
        raise SystemExit("serial and parallel sweeps differ")


if __name__ == "__main__":
    main()
