"""The chapter 10 exercise checks accept right answers and explain the common wrong ones.

Right answers come from the sweep helper (Brian runs); the checks compare them with the
event-by-event reference, so these tests also tie the two together.
"""
import numpy as np
from brian2 import Hz, ms, second

from helpers.checks import ch10
from helpers.sweeps import run_sweep


def test_phase_sweep_right_answer_from_a_sweep():
    ds = run_sweep({"carrier": [200] * Hz, "beat": ch10.PHASE_BEATS * Hz, "phase": ch10.PHASES},
                   duration=1 * second)
    fb = ch10.check_phase_sweep(ds.final_w)
    assert fb.correct, fb.message
    assert ch10.check_phase_sweep(ds.final_w.values[0]).correct  # the carrier dropped by hand


def test_phase_sweep_wrong_answers():
    right = ch10.expected_phase_sweep()
    transposed = ch10.check_phase_sweep(right.T)
    assert not transposed.correct and "other way round" in transposed.message
    no_phase = ch10.check_phase_sweep(np.repeat(right[:, :1], 2, axis=1))
    assert not no_phase.correct and "'phase' in the grid" in no_phase.message
    assert not ch10.check_phase_sweep(right[:3]).correct
    assert not ch10.check_phase_sweep(right + 1e-6).correct
    assert "Replace the `...`" in ch10.check_phase_sweep(...).message
    assert not ch10.check_phase_sweep("0.5").correct


def test_rule_sweep_right_and_wrong():
    ds = run_sweep({"carrier": [200] * Hz, "beat": ch10.RULE_BEATS * Hz, "taupost": ch10.TAUPOSTS_MS * ms},
                   duration=1 * second)
    assert ch10.check_rule_sweep(ds.final_w).correct
    taupre = run_sweep({"carrier": [200] * Hz, "beat": ch10.RULE_BEATS * Hz, "taupre": ch10.TAUPOSTS_MS * ms},
                       duration=1 * second)
    fb = ch10.check_rule_sweep(taupre.final_w)
    assert not fb.correct and "taupre" in fb.message
    assert not ch10.check_rule_sweep(ch10.expected_rule_sweep() * (1 + 1e-6)).correct


def test_chunk_plan():
    n = 4000
    assert ch10.check_chunk_plan(100, 40).correct
    assert ch10.check_chunk_plan(80, 50).correct
    assert ch10.check_chunk_plan(60, 67).correct  # 4000/60 rounded up
    rounded_down = ch10.check_chunk_plan(60, 66)
    assert not rounded_down.correct and "round up" in rounded_down.message
    too_small = ch10.check_chunk_plan(10, n // 10)
    assert not too_small.correct and "too small" in too_small.message
    too_big = ch10.check_chunk_plan(400, 10)
    assert not too_big.correct and "at least two" in too_big.message
    assert not ch10.check_chunk_plan(80, 49).correct
    assert not ch10.check_chunk_plan(80.5, 50).correct
    assert not ch10.check_chunk_plan(80 * ms, 50).correct
    assert "Replace every `...`" in ch10.check_chunk_plan(..., ...).message


def _shifted(values, index, shift):
    out = np.array(values, dtype=float)
    out.reshape(-1)[index] += shift
    return out


def common_cases():
    """Right answers and near misses for tests/test_checks_common.py (no Brian). Weights are
    checked to an absolute 1e-9; the chunk plan is whole numbers with limits 50..100 per chunk."""
    cases = {}
    for name, right in (("check_phase_sweep", ch10.expected_phase_sweep()),
                        ("check_rule_sweep", ch10.expected_rule_sweep())):
        cases[name] = ((right,), [("one weight + 3e-9", (_shifted(right, 0, 3e-9),), False),
                                  ("one weight - 3e-9", (_shifted(right, -1, -3e-9),), False),
                                  ("one weight + 1e-10", (_shifted(right, -1, 1e-10),), True)])
    cases["check_chunk_plan"] = ((80, 50), [("100 per chunk, 40 chunks", (100, 40), True),
                                            ("50 per chunk, 80 chunks", (50, 80), True),
                                            ("49 per chunk", (49, 82), False),
                                            ("103 per chunk: 39 chunks", (103, 39), False),
                                            ("one chunk too few", (80, 49), False)])
    return cases
