"""helpers.sweeps: sweeps of the beat experiment, serially and on a 2-worker Dask cluster.

Weights are checked against the event-by-event reference (``helpers.stdp.stdp_reference``
with spike steps from ``helpers.pacemakers``), never against Brian itself. The Dask tests
share one LocalCluster of two worker processes (one thread each); durations are short.
"""
import os
import signal
import threading
import time

import numpy as np
import pytest
import xarray as xr
from brian2 import Hz, ms, second

import helpers.sweeps as sweeps
from helpers.pacemakers import pacemaker_spike_steps
from helpers.stdp import THREAD_RULE, stdp_reference
from helpers.sweeps import SweepError, condition_seed, run_sweep

DUR = 0.2 * second
GRID = {"carrier": [200, 300] * Hz, "beat": [-10, 20] * Hz, "phase": [0, 0.5], "seed": [0, 1],
        "taupre": [10, 20] * ms}
N_CHUNKS = 4  # chunk_size=8: each taupre value has 16 conditions -> 2 chunks


def reference_w(ds, **where):
    """stdp_reference for one condition of a sweep's Dataset (spike steps from helpers.pacemakers)."""
    cond = ds.sel(**where)
    carrier, beat = float(cond.carrier) * Hz, float(cond.beat) * Hz
    rule = THREAD_RULE.replace(taupre=float(cond.taupre) * ms) if "taupre" in ds.dims else THREAD_RULE
    phase = float(cond.phase) if "phase" in ds.dims else 0.0
    pre = pacemaker_spike_steps(carrier, DUR, phase=float(cond.pre_phase))
    post = pacemaker_spike_steps(carrier + beat, DUR, phase=phase)
    return stdp_reference(pre, post, rule=rule), pre.size, post.size


@pytest.fixture(scope="module")
def serial():
    return run_sweep(GRID, duration=DUR, chunk_size=8)


@pytest.fixture(scope="module")
def client():
    distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       dashboard_address=None)
    client = distributed.Client(cluster)
    yield client
    client.close()
    cluster.close()


def test_dataset_layout_coordinates_and_units(serial):
    assert serial.final_w.dims == ("carrier", "beat", "phase", "seed", "taupre")
    assert serial.final_w.shape == (2, 2, 2, 2, 2)
    assert serial.carrier.values.tolist() == [200, 300] and serial.carrier.attrs["units"] == "Hz"
    assert serial.taupre.values.tolist() == [10, 20] and serial.taupre.attrs["units"] == "ms"
    assert serial.seed.dtype == np.int64 and serial.phase.attrs["units"] == "1"
    assert serial.attrs["duration_s"] == 0.2 and serial.attrs["target"] == "numpy"


@pytest.mark.parametrize("where", [dict(carrier=200, beat=-10, phase=0, seed=0, taupre=10),
                                   dict(carrier=300, beat=20, phase=0.5, seed=1, taupre=20),
                                   dict(carrier=200, beat=20, phase=0.5, seed=0, taupre=20),
                                   dict(carrier=300, beat=-10, phase=0, seed=1, taupre=10)])
def test_final_w_and_counts_match_the_event_by_event_reference(serial, where):
    w, n_pre, n_post = reference_w(serial, **where)
    cond = serial.sel(**where)
    assert abs(float(cond.final_w) - w) < 1e-9
    assert int(cond.pre_spike_count) == n_pre and int(cond.post_spike_count) == n_post


def test_seeds_come_from_the_parameters_not_from_chunks_or_order(serial):
    expected = np.random.default_rng(condition_seed({"carrier": 300 * Hz, "beat": 20 * Hz, "phase": 0.5,
                                                     "seed": 1, "taupre": 20 * ms})).random()
    assert float(serial.pre_phase.sel(carrier=300, beat=20, phase=0.5, seed=1, taupre=20)) == expected
    assert np.unique(serial.pre_phase.values).size == serial.pre_phase.size  # every condition its own start
    other = run_sweep({"taupre": [20, 10] * ms, "seed": [1, 0], "phase": [0.5, 0], "beat": [20, -10] * Hz,
                       "carrier": [300, 200] * Hz}, duration=DUR, chunk_size=6)
    same = other.transpose(*serial.dims).sortby(list(serial.dims))
    assert same.final_w.values.tobytes() == serial.final_w.values.tobytes()
    assert same.pre_phase.values.tobytes() == serial.pre_phase.values.tobytes()


def test_no_seed_axis_means_the_thread_start():
    ds = run_sweep({"carrier": [200] * Hz, "beat": [50, 20, 10] * Hz}, duration=1 * second)
    assert np.all(ds.pre_phase.values == 0)
    np.testing.assert_allclose(ds.final_w.values[0], [0.5243, 0, 0], atol=5e-5)


def test_two_workers_give_the_serial_result_bit_for_bit(serial, client):
    parallel = run_sweep(GRID, duration=DUR, chunk_size=8, client=client)
    assert parallel.identical(serial)
    assert parallel.final_w.values.tobytes() == serial.final_w.values.tobytes()


def test_a_killed_worker_loses_and_changes_nothing(serial, client, tmp_path):
    pids = client.run(os.getpid)
    box = {}
    thread = threading.Thread(target=lambda: box.setdefault(
        "ds", run_sweep(GRID, duration=DUR, chunk_size=4, client=client, store=tmp_path / "s")))
    thread.start()
    killed = None
    deadline = time.time() + 60
    while killed is None and time.time() < deadline:
        busy = [addr for addr, keys in client.processing().items() if keys and addr in pids]
        if busy:
            killed = pids[busy[0]]
            os.kill(killed, signal.SIGKILL)  # mid-chunk: no chunk of 0.3 s simulated time ends this fast
        time.sleep(0.05)
    thread.join(timeout=240)
    assert killed is not None and not thread.is_alive()
    assert box["ds"].final_w.values.tobytes() == serial.final_w.values.tobytes()
    assert box["ds"].identical(serial)
    client.wait_for_workers(2, timeout=60)
    assert killed not in client.run(os.getpid).values()  # the nanny started a new worker process


def _patcher(failing):
    """A function that makes (or stops making) chunks with a 300 Hz carrier fail, in the process
    that runs it. Nested, so that Dask sends it to the workers by value."""

    def patch():
        import numpy
        import helpers.beats
        import helpers.sweeps

        real = helpers.beats.run_beat_experiment

        def failing_experiment(*args, **kwargs):
            if numpy.any(numpy.asarray(args[0]) == 300):
                raise FloatingPointError("simulated failure")
            return real(*args, **kwargs)

        helpers.sweeps.run_beat_experiment = failing_experiment if failing else real

    return patch


@pytest.mark.parametrize("on_dask", [False, True])
def test_a_failing_chunk_stops_the_sweep_and_names_its_values(on_dask, request, monkeypatch, tmp_path):
    if on_dask:
        client = request.getfixturevalue("client")
        client.run(_patcher(True))
    else:
        client = None
        monkeypatch.setattr(sweeps, "run_beat_experiment", sweeps.run_beat_experiment)  # undone afterwards
        _patcher(True)()
    try:
        with pytest.raises(SweepError) as info:
            run_sweep(GRID, duration=DUR, chunk_size=8, client=client, store=tmp_path / "s")
    finally:
        if on_dask:
            client.run(_patcher(False))
    message = str(info.value)
    assert "carrier = 300 Hz" in message and "FloatingPointError: simulated failure" in message
    assert "carrier = 300 Hz; beat = " in message and "; taupre = " in message
    written = sorted(p.name for p in (tmp_path / "s").glob("chunk-*.nc"))
    assert len(written) < N_CHUNKS  # the failed chunks are not in the store


def test_an_interrupted_sweep_resumes_with_only_the_missing_chunks(serial, monkeypatch, tmp_path):
    calls = []
    real = sweeps.run_beat_experiment

    def interrupted(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise KeyboardInterrupt  # the reader stops the kernel during chunk 3
        return real(*args, **kwargs)

    monkeypatch.setattr(sweeps, "run_beat_experiment", interrupted)
    with pytest.raises(KeyboardInterrupt):
        run_sweep(GRID, duration=DUR, chunk_size=8, store=tmp_path / "s")
    assert len(list((tmp_path / "s").glob("chunk-*.nc"))) == 2
    assert not list((tmp_path / "s").glob(".*tmp"))
    calls.clear()
    monkeypatch.setattr(sweeps, "run_beat_experiment", lambda *a, **k: calls.append(1) or real(*a, **k))
    resumed = run_sweep(GRID, duration=DUR, chunk_size=8, store=tmp_path / "s")
    assert len(calls) == N_CHUNKS - 2
    assert resumed.identical(serial)
    calls.clear()
    again = run_sweep(GRID, duration=DUR, chunk_size=8, store=tmp_path / "s")
    assert calls == [] and again.identical(serial)


def test_a_store_of_another_sweep_is_refused(tmp_path):
    run_sweep({"carrier": [200] * Hz, "beat": [10] * Hz}, duration=5 * ms, store=tmp_path / "s")
    with pytest.raises(ValueError, match="different sweep.*new folder"):
        run_sweep({"carrier": [200] * Hz, "beat": [20] * Hz}, duration=5 * ms, store=tmp_path / "s")


@pytest.mark.parametrize("grid, error, words", [
    ({"carrier": np.array([]) * Hz, "beat": [10] * Hz}, ValueError, "grid['carrier'] is empty"),
    ({"carrier": [200] * Hz, "beat": [10] * Hz, "phase": []}, ValueError, "grid['phase']"),
    ({"carrier": [200] * Hz, "beats": [10] * Hz}, ValueError, "unknown parameter 'beats'"),
    ({"carrier": [200, 300], "beat": [10] * Hz}, TypeError, "grid['carrier'] needs a unit"),
    ({"carrier": [200] * Hz, "beat": [10] * ms}, TypeError, "grid['beat'] has the wrong unit"),
    ({"carrier": [200] * Hz, "beat": [10] * Hz, "taupre": [10, 20]}, TypeError, "grid['taupre'] needs a unit"),
    ({"carrier": [200] * Hz, "beat": [10] * Hz, "phase": [0.5] * ms}, TypeError, "grid['phase']"),
    ({"carrier": [200] * Hz, "beat": [10, 10] * Hz}, ValueError, "more than once"),
    ({"carrier": [200] * Hz, "beat": [-250] * Hz}, ValueError, "post rate"),
    ({"carrier": [200] * Hz, "beat": [10] * Hz, "phase": [1.0]}, ValueError, "[0, 1)"),
    ({"carrier": [200] * Hz, "beat": [10] * Hz, "seed": [0.5]}, ValueError, "whole number"),
    ({"carrier": [200] * Hz}, ValueError, "grid needs 'beat'"),
    ([200, 210], TypeError, "grid must be a dict"),
])
def test_invalid_grids_are_refused_before_any_work(grid, error, words, monkeypatch, tmp_path):
    monkeypatch.setattr(sweeps, "run_beat_experiment", lambda *a, **k: pytest.fail("work started"))
    with pytest.raises(error) as info:
        run_sweep(grid, duration=DUR, store=tmp_path / "s")
    assert words in str(info.value)
    assert not (tmp_path / "s").exists()


def test_saved_to_netcdf_and_loaded_back_unchanged(serial, tmp_path):
    serial.to_netcdf(tmp_path / "sweep.nc", engine="scipy")
    loaded = xr.load_dataset(tmp_path / "sweep.nc", engine="scipy")
    assert loaded.final_w.values.tobytes() == serial.final_w.values.tobytes()
    assert loaded.carrier.attrs["units"] == "Hz"
