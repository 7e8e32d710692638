"""Parameter sweeps of the beat experiment: chunks of conditions, serially or on a Dask cluster.

Chapter 10 writes the pieces out; this module puts them together. A *grid* maps
parameter names to 1-D arrays; the sweep runs every combination (their product):

==================  ======  =================================================================
name                unit    meaning
==================  ======  =================================================================
``carrier``         Hz      rate of the pre-synaptic pacemaker (required)
``beat``            Hz      post rate minus pre rate (required; may be zero or negative)
``phase``           --      initial ``x`` of the post pacemaker, in [0, 1) (default 0)
``seed``            --      a replicate number; with it, the pre pacemaker starts at a random
                            ``x`` drawn from :func:`condition_seed` (default: ``x = 0``)
``taupre``          time    the rule's constants (:class:`helpers.stdp.PairRule`); default:
``taupost``         time    those of :data:`helpers.stdp.THREAD_RULE`
``dApre``           --
``depression_ratio`` --
==================  ======  =================================================================

Conditions that share the rule's constants are cut into *chunks* of at most
``chunk_size`` conditions, and each chunk runs as ONE network of
:func:`helpers.beats.run_beat_experiment` (many conditions side by side, chapter 5's
lesson). Chunks are independent: they run one after the other in this process, or in
parallel on the workers of a ``dask.distributed.Client``. The random start of a
condition depends only on its parameter values, so the result does not depend on the
chunk, the worker or the order. With ``store=`` each finished chunk is written to a
netCDF file at once, and a rerun computes only the chunks that are missing.
"""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import numpy as np
import xarray as xr
from brian2 import Hz, Quantity, ms, prefs, second
from brian2.units.fundamentalunits import get_dimensions, have_same_dimensions

from .beats import run_beat_experiment
from .pacemakers import require_pacemaker_rates
from .stdp import THREAD_GMAX, THREAD_RULE, THREAD_W0
from .validation import (as_plain_array, require_flag, require_positive_duration,
                         require_weight_bounds, require_whole_number)

__all__ = ["SWEEP_PARAMETERS", "SweepError", "condition_seed", "run_sweep"]

#: Every parameter a grid may sweep: name -> (Brian unit or None for a plain number, unit label).
SWEEP_PARAMETERS = {
    "carrier": (Hz, "Hz"), "beat": (Hz, "Hz"), "phase": (None, "1"), "seed": (None, "1"),
    "taupre": (ms, "ms"), "taupost": (ms, "ms"), "dApre": (None, "1"), "depression_ratio": (None, "1"),
}
_RULE_NAMES = ("taupre", "taupost", "dApre", "depression_ratio")
_EXAMPLES = {"carrier": "[200, 400]*Hz", "beat": "[-10, 5, 20]*Hz", "phase": "[0, 0.25, 0.5]",
             "seed": "[0, 1, 2]", "taupre": "[10, 20]*ms", "taupost": "[20, 40]*ms",
             "dApre": "[0.01, 0.02]", "depression_ratio": "[1.0, 1.05]"}
_STORE_MANIFEST = "sweep.json"


class SweepError(RuntimeError):
    """A chunk of a sweep failed; the message names the parameter values of that chunk."""


# ---------------------------------------------------------------------------- checking the grid

def _axis(name, values, dt) -> np.ndarray:
    """One axis of the grid as a 1-D float array in SI units (or plain numbers)."""
    unit, _ = SWEEP_PARAMETERS[name]
    label, example = f"grid['{name}']", _EXAMPLES[name]
    if unit is None:
        arr = as_plain_array(values, label, example=example)
        if np.ndim(values) > 1:
            raise ValueError(f"{label} must be a flat list such as {example}: got shape {np.shape(values)}.")
    else:
        if isinstance(values, (list, tuple)) and len(values) == 0 or np.size(values) == 0:
            raise ValueError(f"{label} is empty: give at least one value, e.g. {example}.")
        if isinstance(values, (list, tuple)) and all(isinstance(v, Quantity) for v in values):
            if len({get_dimensions(v) for v in values}) > 1:
                raise TypeError(f"{label} mixes values with different units: got {values!r}. Use one unit, "
                                f"e.g. {example}.")
            values = Quantity(values)
        if not isinstance(values, Quantity):
            raise TypeError(f"{label} needs a unit: got {values!r}. Multiply by a Brian unit, e.g. {example}.")
        if not have_same_dimensions(values, unit):
            raise TypeError(f"{label} has the wrong unit: got {values!r}, but it should be like {example}.")
        arr = np.asarray(values, dtype=float)
        if arr.ndim != 1:
            raise ValueError(f"{label} must be a flat list such as {example}: got shape {arr.shape}.")
        if not np.all(np.isfinite(arr)):
            raise ValueError(f"{label} must be finite (no NaN or inf): got {values!r}.")
    if name == "carrier":
        require_pacemaker_rates(arr * Hz, dt, label)
    elif name in ("taupre", "taupost") and np.any(arr <= 0):
        raise ValueError(f"{label} must be positive time constants such as {example}: got {values!r}.")
    elif name == "phase" and (np.any(arr < 0) or np.any(arr >= 1)):
        raise ValueError(f"{label} values are initial values of x and must lie in [0, 1): got {values!r}.")
    elif name == "seed":
        for v in arr:
            require_whole_number(float(v), label, minimum=0, example=1)
    elif name == "depression_ratio" and np.any(arr < 0):
        raise ValueError(f"{label} must be >= 0 (the sign of dApost is built in): got {values!r}.")
    if np.unique(arr).size != arr.size:
        raise ValueError(f"{label} lists a value more than once: got {values!r}. Give each value once.")
    return arr


def _checked_grid(grid, dt) -> dict[str, np.ndarray]:
    """The grid as {name: float array in SI}, in the grid's order; refuses anything unclear."""
    if not isinstance(grid, dict):
        raise TypeError(f"grid must be a dict of parameter name -> values, e.g. "
                        f"{{'carrier': [200]*Hz, 'beat': [5, 10]*Hz}}: got {grid!r}.")
    unknown = [k for k in grid if k not in SWEEP_PARAMETERS]
    if unknown:
        raise ValueError(f"grid has an unknown parameter {unknown[0]!r}. A grid may sweep "
                         f"{', '.join(SWEEP_PARAMETERS)}; check the spelling.")
    missing = [k for k in ("carrier", "beat") if k not in grid]
    if missing:
        raise ValueError(f"grid needs {' and '.join(repr(k) for k in missing)} (the pre rate and the post "
                         f"rate minus the pre rate), e.g. {{'carrier': [200]*Hz, 'beat': [5, 10]*Hz}}.")
    axes = {name: _axis(name, values, dt) for name, values in grid.items()}
    post = (axes["carrier"][:, None] + axes["beat"][None, :]).ravel()
    if np.any(post <= 0):
        raise ValueError("grid: carrier + beat (the post rate) must be positive, but the grid contains "
                         f"carrier {axes['carrier'].min():g} Hz with beat {axes['beat'].min():g} Hz. "
                         "Use smaller negative beats or higher carriers.")
    require_pacemaker_rates(post * Hz, dt, "carrier + beat (the post rate) in grid")
    return axes


# ---------------------------------------------------------------------------- seeds and chunks

def _seed_from_si(values: dict[str, float]) -> int:
    text = ";".join(f"{name}={float(values[name])!r}" for name in sorted(values))
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "little")


def condition_seed(condition) -> int:
    """The random seed of one condition, computed from its parameter values alone.

    The same values give the same seed on any machine, in any worker and in any order.

    Args:
        condition: a dict of one value per parameter of the grid (all of them, no more),
            e.g. ``{'carrier': 200*Hz, 'beat': 5*Hz, 'seed': 1}``.

    Example:
        >>> from brian2 import Hz
        >>> condition_seed({'carrier': 200*Hz, 'beat': 5*Hz, 'seed': 1})
        4749233736644691966
    """
    if not isinstance(condition, dict) or not condition:
        raise TypeError(f"condition must be a dict of one value per parameter, e.g. "
                        f"{{'carrier': 200*Hz, 'beat': 5*Hz}}: got {condition!r}.")
    unknown = [k for k in condition if k not in SWEEP_PARAMETERS]
    if unknown:
        raise ValueError(f"condition has an unknown parameter {unknown[0]!r}; known: {', '.join(SWEEP_PARAMETERS)}.")
    values = {}
    for name, value in condition.items():
        if np.ndim(value) != 0:
            raise ValueError(f"condition['{name}'] must be one value, not an array: got {value!r}.")
        values[name] = float(_axis(name, [value], 0.1 * ms)[0])
    return _seed_from_si(values)


def _chunks(axes: dict[str, np.ndarray], chunk_size: int) -> list[np.ndarray]:
    """Flat condition indices (C order over the grid), cut into chunks that share the rule's constants."""
    shape = tuple(a.size for a in axes.values())
    index = np.arange(int(np.prod(shape))).reshape(shape)
    rule_dims = [d for d, name in enumerate(axes) if name in _RULE_NAMES]
    other = [d for d in range(len(shape)) if d not in rule_dims]
    moved = np.transpose(index, rule_dims + other).reshape(int(np.prod([shape[d] for d in rule_dims])), -1)
    return [group[start:start + chunk_size] for group in moved for start in range(0, group.size, chunk_size)]


def _describe(names, table: np.ndarray) -> str:
    """The parameter values of a chunk, for messages: 'carrier = 200 Hz, beat = 5, 10 Hz, ...'."""
    parts = []
    for k, name in enumerate(names):
        unit, label = SWEEP_PARAMETERS[name]
        scale = 1e3 if label == "ms" else 1.0
        vals = np.unique(table[:, k]) * scale
        shown = ", ".join(f"{v:g}" for v in vals[:6]) + (", ..." if vals.size > 6 else "")
        parts.append(f"{name} = {shown}" + ("" if label == "1" else f" {label}"))
    return "; ".join(parts)


def _run_chunk(task: dict) -> dict:
    """Simulate one chunk as one network. Runs in this process or on a Dask worker."""
    names, table = task["names"], task["table"]
    try:
        col = {name: table[:, k] for k, name in enumerate(names)}
        n = table.shape[0]
        pre_x = np.zeros(n)
        if "seed" in col:
            pre_x = np.array([np.random.default_rng(_seed_from_si(dict(zip(names, row)))).random()
                              for row in table])
        rule = THREAD_RULE.replace(**{name: (col[name][0] * second if name.startswith("tau") else float(col[name][0]))
                                      for name in _RULE_NAMES if name in col})
        old_target = prefs.codegen.target
        prefs.codegen.target = task["target"]
        try:
            result = run_beat_experiment(col["carrier"] * Hz, (col["carrier"] + col["beat"]) * Hz,
                                         task["duration"] * second, rule=rule, w0=task["w0"], gmax=task["gmax"],
                                         dt=task["dt"] * second, pre_phase=pre_x,
                                         post_phase=col.get("phase", np.zeros(n)))
        finally:
            prefs.codegen.target = old_target
    except Exception as exc:
        raise SweepError(f"chunk {task['number']} of the sweep failed ({type(exc).__name__}: {exc}). "
                         f"Its parameter values: {_describe(names, table)}.") from exc
    return {"number": task["number"], "index": task["index"], "final_w": result.final_w,
            "pre_spike_count": result.pre_spike_counts, "post_spike_count": result.post_spike_counts,
            "pre_phase": pre_x}


# ---------------------------------------------------------------------------- the store

def _open_store(store, manifest: dict) -> Path:
    """The store folder, created if needed; refuses a folder that holds a different sweep."""
    if not isinstance(store, (str, os.PathLike)) or not str(store):
        raise TypeError(f"store must be a folder name such as 'results/sweep1' (or None): got {store!r}.")
    path = Path(store)
    if path.exists() and not path.is_dir():
        raise ValueError(f"store must be a folder, but {str(path)!r} is a file. Choose a folder name.")
    path.mkdir(parents=True, exist_ok=True)
    file = path / _STORE_MANIFEST
    if file.exists():
        if json.loads(file.read_text()) != manifest:
            raise ValueError(f"store {str(path)!r} holds the chunks of a different sweep (another grid, "
                             "duration, dt, chunk_size or rule). Use a new folder for this sweep.")
    else:
        file.write_text(json.dumps(manifest))
    return path


def _chunk_file(path: Path, number: int) -> Path:
    return path / f"chunk-{number:05d}.nc"


def _write_chunk(path: Path, out: dict) -> None:
    data = xr.Dataset({key: ("condition", np.asarray(out[key])) for key in
                       ("index", "final_w", "pre_spike_count", "post_spike_count", "pre_phase")})
    tmp = path / f".chunk-{out['number']:05d}.nc.tmp"
    data.to_netcdf(tmp, engine="scipy")
    os.replace(tmp, _chunk_file(path, out["number"]))  # a file is either complete or absent


def _read_chunk(path: Path, number: int) -> dict:
    data = xr.load_dataset(_chunk_file(path, number), engine="scipy")
    out = {key: data[key].values for key in data.data_vars}
    return {**out, "number": number}


# ---------------------------------------------------------------------------- the sweep

def _dataset(axes, results, duration, dt, w0, gmax, target) -> xr.Dataset:
    shape = tuple(a.size for a in axes.values())
    dims = tuple(axes)
    data = {key: np.empty(int(np.prod(shape)), dtype=dtype) for key, dtype in
            (("final_w", float), ("pre_spike_count", np.int64), ("post_spike_count", np.int64),
             ("pre_phase", float))}
    for out in results:
        for key, flat in data.items():
            flat[np.asarray(out["index"], dtype=np.int64)] = np.asarray(out[key], dtype=flat.dtype)
    coords = {}
    for name, values in axes.items():
        label = SWEEP_PARAMETERS[name][1]
        shown = values * 1e3 if label == "ms" else (values.astype(np.int64) if name == "seed" else values)
        coords[name] = (name, shown, {"units": label})
    described = {"final_w": ("weight at the end of the run", "1"),
                 "pre_spike_count": ("spikes of the pre pacemaker", "1"),
                 "post_spike_count": ("spikes of the post pacemaker", "1"),
                 "pre_phase": ("initial x of the pre pacemaker", "1")}
    variables = {key: (dims, flat.reshape(shape), {"long_name": described[key][0], "units": described[key][1]})
                 for key, flat in data.items()}
    attrs = {"experiment": "helpers.beats.run_beat_experiment", "duration_s": float(duration),
             "dt_s": float(dt), "w0": w0, "gmax": gmax, "target": target}
    return xr.Dataset(variables, coords=coords, attrs=attrs)


def run_sweep(grid, *, duration, client=None, store=None, chunk_size=100, dt=0.1 * ms, w0=THREAD_W0,
              gmax=THREAD_GMAX, target="numpy", progress=False) -> xr.Dataset:
    """Run the beat experiment for every combination of the grid's values.

    Args:
        grid: parameter name -> 1-D values (see the module's table), e.g.
            ``{'carrier': [200, 400]*Hz, 'beat': [5, 10, 20]*Hz, 'phase': [0, 0.5]}``.
        duration: simulated time of each condition, e.g. ``1*second``.
        client: a ``dask.distributed.Client`` to run the chunks on its workers, or None
            (default) to run them one after the other in this process.
        store: a folder; each finished chunk is written there as a netCDF file, and a rerun
            with the same arguments loads those chunks instead of computing them again.
        chunk_size: at most this many conditions per network (default 100).
        dt: the time step (default 0.1 ms). w0, gmax: initial and largest weight.
        target: Brian's code-generation target in every chunk, ``'numpy'`` (default) or ``'cython'``.
        progress: print one ``#`` per finished chunk.

    Returns:
        An ``xarray.Dataset`` with one dimension per grid entry (in the grid's order,
        coordinates in the units of their ``units`` attribute) and the variables
        ``final_w``, ``pre_spike_count``, ``post_spike_count`` and ``pre_phase``.

    Raises:
        TypeError, ValueError: an invalid grid or argument, before any work starts.
        SweepError: a chunk failed; the message names its parameter values.

    Example:
        >>> from brian2 import Hz, second
        >>> ds = run_sweep({'carrier': [200]*Hz, 'beat': [50, 20, 10]*Hz}, duration=1*second)
        >>> ds.final_w.values.round(4)
        array([[0.5243, 0.    , 0.    ]])
    """
    dt = require_positive_duration(dt, "dt")
    duration = require_positive_duration(duration, "duration")
    axes = _checked_grid(grid, dt)
    chunk_size = require_whole_number(chunk_size, "chunk_size", minimum=1, example=100)
    w0, gmax = require_weight_bounds(w0, gmax)
    if target not in ("numpy", "cython"):
        raise ValueError(f"target must be 'numpy' or 'cython' (cpp_standalone runs one network per process, "
                         f"see chapter 10): got {target!r}.")
    progress = require_flag(progress, "progress")
    if client is not None and not hasattr(client, "submit"):
        raise TypeError(f"client must be a dask.distributed.Client or None: got {client!r}.")
    names = list(axes)
    mesh = np.stack([m.ravel() for m in np.meshgrid(*axes.values(), indexing="ij")], axis=1)
    chunks = _chunks(axes, chunk_size)
    tasks = [{"number": k, "index": idx, "names": names, "table": mesh[idx], "duration": float(duration),
              "dt": float(dt), "w0": w0, "gmax": gmax, "target": target} for k, idx in enumerate(chunks)]
    path = None
    if store is not None:
        manifest = {"grid": {n: a.tolist() for n, a in axes.items()}, "duration": float(duration),
                    "dt": float(dt), "w0": w0, "gmax": gmax, "target": target, "chunk_size": chunk_size}
        path = _open_store(store, manifest)
    results = [_read_chunk(path, t["number"]) for t in tasks if path and _chunk_file(path, t["number"]).exists()]
    todo = [t for t in tasks if not (path and _chunk_file(path, t["number"]).exists())]
    if progress:
        print(f"{mesh.shape[0]} conditions in {len(tasks)} chunks: {len(results)} loaded from the store, "
              f"{len(todo)} to compute", flush=True)
    for out in _computed(todo, client):
        if path is not None:
            _write_chunk(path, out)
        results.append(out)
        if progress:
            print("#", end="", flush=True)
    if progress:
        print(" done", flush=True)
    return _dataset(axes, results, duration, dt, w0, gmax, target)


def _computed(tasks: list[dict], client):
    """Yield each chunk's result as soon as it is finished; stop everything at the first failure."""
    if client is None:
        for task in tasks:
            yield _run_chunk(task)
        return
    from distributed import as_completed

    futures = client.map(_run_chunk, tasks, pure=False)
    task_of = {f.key: t for f, t in zip(futures, tasks)}
    try:
        for future in as_completed(futures):
            try:
                yield future.result()
            except SweepError:
                raise
            except Exception as exc:  # e.g. KilledWorker after repeated crashes
                task = task_of[future.key]
                raise SweepError(f"chunk {task['number']} of the sweep failed ({type(exc).__name__}: {exc}). "
                                 f"Its parameter values: {_describe(task['names'], task['table'])}.") from exc
    finally:
        client.cancel(futures)
