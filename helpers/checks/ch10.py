"""Checks for the exercises of chapter 10, "Running many simulations".

Expected weights come from calculations that do not use Brian or the sweep helper:
spike steps from :mod:`helpers.pacemakers` (Brian's arithmetic repeated in numpy) and
weights from the event-by-event reference :func:`helpers.stdp.stdp_reference`. The
chunk plan is checked with integer arithmetic.
"""
from __future__ import annotations

import math

import numpy as np
from brian2 import Hz, ms, second

from . import Feedback, as_numbers, compare_numbers, correct, not_yet, unanswered
from ..pacemakers import pacemaker_spike_steps
from ..stdp import THREAD_RULE, stdp_reference

#: Exercise 10.1: the grid (200 Hz carrier, 1 s).
PHASE_BEATS = [-20, -10, 10, 20]
PHASES = [0.0, 0.5]
#: Exercise 10.2.
RULE_BEATS = [10, 50]
TAUPOSTS_MS = [10, 20, 40]
#: Exercise 10.3: the campaign (carriers x beats x phases x seeds) and the cluster.
CAMPAIGN = {"carrier": 4, "beat": 25, "phase": 8, "seed": 5}
N_WORKERS = 20
MIN_CHUNK = 50


def _weight(carrier_hz, beat_hz, phase=0.0, rule=THREAD_RULE, duration=1 * second) -> float:
    pre = pacemaker_spike_steps(carrier_hz * Hz, duration)
    post = pacemaker_spike_steps((carrier_hz + beat_hz) * Hz, duration, phase=phase)
    return stdp_reference(pre, post, rule=rule)


def expected_phase_sweep() -> np.ndarray:
    """Exercise 10.1: final weights, shape (beats, phases)."""
    return np.array([[_weight(200, b, p) for p in PHASES] for b in PHASE_BEATS])


def expected_rule_sweep() -> np.ndarray:
    """Exercise 10.2: final weights, shape (beats, taupost values)."""
    return np.array([[_weight(200, b, rule=THREAD_RULE.replace(taupost=t * ms)) for t in TAUPOSTS_MS]
                     for b in RULE_BEATS])


def _squeezed(answer, name, shape, hint):
    """``answer`` as floats of the given shape; single-value dimensions (the carrier) are dropped."""
    values = as_numbers(answer, name, hint=hint)
    if isinstance(values, Feedback):
        return values
    values = np.squeeze(values)
    if values.shape == shape[::-1] and shape[0] != shape[1]:
        return not_yet(f"`{name}` has shape {values.shape}, the dimensions the other way round. The grid's "
                       f"order gives the Dataset's order: beats first, then the second parameter. {hint}")
    if values.shape != shape:
        return not_yet(f"`{name}` should hold {shape[0]} x {shape[1]} weights (shape {shape}), but it has shape "
                       f"{values.shape}. {hint}")
    return values


def check_phase_sweep(final_w) -> Feedback:
    """Exercise 10.1: ``final_w`` of the 200 Hz carrier, beats [-20, -10, 10, 20] Hz x phases [0, 0.5], 1 s."""
    hint = ("Sweep {'carrier': [200]*Hz, 'beat': [-20, -10, 10, 20]*Hz, 'phase': [0, 0.5]} for 1 second "
            "and pass ds.final_w.")
    w = _squeezed(final_w, "final_w", (4, 2), hint)
    if isinstance(w, Feedback):
        return w
    expected = expected_phase_sweep()
    if np.allclose(w[:, 1], w[:, 0], atol=1e-9) and not np.allclose(expected[:, 1], expected[:, 0], atol=1e-9):
        return not_yet("both columns hold the same weights, as if the phase were 0 in both. Put 'phase' in "
                       "the grid: it sets the post neuron's initial x.")
    result = compare_numbers(w, expected, name="final_w", atol=1e-9, rtol=0, hint=hint)
    if not result:
        return result
    return correct("the eight weights match the event-by-event reference to 1e-9. The post neuron's "
                   "starting phase changes them, but all eight end below the starting 0.5.")


def check_rule_sweep(final_w) -> Feedback:
    """Exercise 10.2: ``final_w`` for beats [10, 50] Hz x taupost [10, 20, 40] ms, carrier 200 Hz, 1 s."""
    hint = ("Sweep {'carrier': [200]*Hz, 'beat': [10, 50]*Hz, 'taupost': [10, 20, 40]*ms} for 1 second "
            "and pass ds.final_w.")
    w = _squeezed(final_w, "final_w", (2, 3), hint)
    if isinstance(w, Feedback):
        return w
    swapped = np.array([[_weight(200, b, rule=THREAD_RULE.replace(taupre=t * ms)) for t in TAUPOSTS_MS]
                        for b in RULE_BEATS])
    if np.allclose(w, swapped, atol=1e-9, rtol=0):
        return not_yet("these are the weights for a swept taupre. The exercise sweeps taupost (the "
                       "depression side of the window).")
    result = compare_numbers(w, expected_rule_sweep(), name="final_w", atol=1e-9, rtol=0, hint=hint)
    if not result:
        return result
    return correct("the six weights match the event-by-event reference to 1e-9. A longer taupost "
                   "keeps the depression window's area but spreads it out.")


def expected_chunks(chunk_size: int) -> int:
    """Exercise 10.3: how many chunks the campaign is cut into with ``chunk_size``."""
    return math.ceil(math.prod(CAMPAIGN.values()) / chunk_size)


def check_chunk_plan(chunk_size, n_chunks) -> Feedback:
    """Exercise 10.3: a chunk size for the campaign on 20 workers, and the number of chunks it gives."""
    missing = unanswered(chunk_size=chunk_size, n_chunks=n_chunks)
    if missing is not None:
        return missing
    size = as_numbers(chunk_size, "chunk_size", shape=(), hint="Give one whole number, e.g. 80.")
    if isinstance(size, Feedback):
        return size
    count = as_numbers(n_chunks, "n_chunks", shape=(), hint="Give one whole number.")
    if isinstance(count, Feedback):
        return count
    if size != round(float(size)) or count != round(float(count)) or size < 1:
        return not_yet("`chunk_size` and `n_chunks` are whole numbers of conditions and chunks (at least 1).")
    size, count = int(round(float(size))), int(round(float(count)))
    n = math.prod(CAMPAIGN.values())
    if count == n // size and n % size:
        return not_yet(f"{n} conditions in chunks of {size} leave a last, smaller chunk: round up "
                       "(math.ceil), not down.")
    if count != expected_chunks(size):
        return not_yet(f"with chunk_size = {size}, the {n} conditions make math.ceil({n}/{size}) chunks.")
    if size < MIN_CHUNK:
        return not_yet(f"chunks of {size} conditions are too small: each network pays its fixed cost "
                       f"(about a second) for only {size} conditions. Aim for at least {MIN_CHUNK}.")
    if count < 2 * N_WORKERS:
        return not_yet(f"{count} chunks for {N_WORKERS} workers: some workers get one chunk or none, and a "
                       "slow or lost chunk holds up the end. Give every worker at least two.")
    return correct(f"{count} chunks of at most {size} conditions: every worker gets at least two, and each "
                   "network's fixed cost is spread over many conditions.")
