"""Claims that chapter 10 ("Running many simulations") makes in its prose and figure,
checked against independent calculations (spike steps from helpers.pacemakers, weights from
the event-by-event reference helpers.stdp.stdp_reference) or against the sweep's store."""
import math

import numpy as np
from brian2 import Hz, ms, second

from helpers.checks import ch10
from helpers.pacemakers import effective_rate, pacemaker_spike_steps
from helpers.stdp import stdp_reference
from helpers.sweeps import condition_seed, run_sweep

#: The chapter's cluster sweep.
GRID = {"carrier": [200, 300, 400] * Hz, "beat": np.arange(-25, 26, 5) * Hz, "phase": [0, 0.25, 0.5, 0.75],
        "seed": [0, 1, 2]}


def _chunk_files(store):
    return sorted(p.name for p in store.glob("chunk-*.nc"))


def test_the_cluster_sweep_has_396_conditions_in_4_chunks_and_300_hz_spans_two(tmp_path):
    ds = run_sweep(GRID, duration=0.1 * ms, chunk_size=100, store=tmp_path / "s")  # one step: cheap
    assert ds.final_w.size == 396 == 3 * 11 * 4 * 3
    assert len(_chunk_files(tmp_path / "s")) == 4
    # 300 Hz conditions are flat indices 132..263: chunks 1 (100..199) and 2 (200..299)
    assert {i // 100 for i in range(132, 264)} == {1, 2}


def test_one_chunk_per_taupost_value(tmp_path):
    run_sweep({"carrier": [200] * Hz, "beat": [10, 50] * Hz, "taupost": [10, 20, 40] * ms},
              duration=0.1 * ms, store=tmp_path / "s")
    assert len(_chunk_files(tmp_path / "s")) == 3


def test_chunk_plan_arithmetic():
    n = math.prod(ch10.CAMPAIGN.values())
    assert n == 4000 and n // (2 * ch10.N_WORKERS) == 100
    assert ch10.expected_chunks(80) == 50


def _reference_weight(carrier, beat, phase, seed):
    pre_x = np.random.default_rng(condition_seed({"carrier": carrier * Hz, "beat": beat * Hz, "phase": phase,
                                                  "seed": seed})).random()
    pre = pacemaker_spike_steps(carrier * Hz, 1 * second, phase=pre_x)
    post = pacemaker_spike_steps((carrier + beat) * Hz, 1 * second, phase=phase)
    return stdp_reference(pre, post)


def test_the_figure_every_nonzero_beat_ends_below_the_start_on_average():
    """The figure and its text: after 1 s the mean weight (over phases and seeds) is below the
    starting 0.5 for every non-zero beat and every carrier; a zero beat at 200 Hz ends above it.
    Computed with the reference, without Brian."""
    beats = np.arange(-25, 26, 5)
    for c in (200, 300, 400):
        mean = np.array([np.mean([_reference_weight(c, b, p, s) for p in GRID["phase"] for s in range(3)])
                         for b in beats])
        assert np.all(mean[beats != 0] < 0.5), (c, mean)
        if c == 200:
            assert mean[beats == 0][0] > 0.5


def test_the_figure_high_ends_only_where_the_effective_beat_is_zero():
    """The text under the figure: conditions end near gmax only where the effective beat is zero
    (295 Hz fires every 34 steps like 300 Hz; 405-415 Hz every 25 steps like 400 Hz)."""
    steps = {r: 1 / float(np.asarray(effective_rate([r] * Hz, 0.1 * ms))[0]) / 1e-4 for r in (295, 300, 405, 415)}
    assert round(steps[295]) == round(steps[300]) == 34 and round(steps[405]) == round(steps[415]) == 25
    zero_beat = {(c, b) for c in (200, 300, 400) for b in range(-25, 26, 5)
                 if np.asarray(effective_rate([c + b] * Hz, 0.1 * ms))[0] == np.asarray(effective_rate([c] * Hz,
                                                                                                       0.1 * ms))[0]}
    assert zero_beat == {(200, 0), (300, -5), (300, 0), (400, 0), (400, 5), (400, 10), (400, 15)}
    high = {(c, b) for c in (200, 300, 400) for b in range(-25, 26, 5)
            if max(_reference_weight(c, b, p, s) for p in GRID["phase"] for s in range(3)) > 0.9}
    assert high <= zero_beat and {(300, -5), (400, 5), (400, 10), (400, 15)} <= high
