"""The chapter 9 exercise checks accept right answers (computed here with plain formulas,
independently of the checks) and explain the common wrong ones."""
import math

import numpy as np
from brian2 import Hz, ms, second

from helpers.checks import ch09

A = [0.031, 0.052, 0.018, 0.044, 0.039]
B = [0.012, -0.004, 0.020, 0.006, 0.001]


def mean(x):
    return math.fsum(x) / len(x)


def sd(x):
    m = mean(x)
    return math.sqrt(math.fsum((v - m) ** 2 for v in x) / (len(x) - 1))


def test_mean_and_se():
    se = sd(A) / math.sqrt(5)
    assert ch09.check_mean_and_se(mean(A), se).correct
    assert "ddof" in ch09.check_mean_and_se(mean(A), np.std(A) / math.sqrt(5)).message
    assert "sqrt(n)" in ch09.check_mean_and_se(mean(A), sd(A)).message
    assert not ch09.check_mean_and_se(mean(A) + 1e-3, se).correct
    assert "no value yet" in ch09.check_mean_and_se(..., se).message


def test_effect_size():
    d = (mean(A) - mean(B)) / math.sqrt((sd(A) ** 2 + sd(B) ** 2) / 2)
    assert ch09.check_effect_size(d).correct
    assert "sign" in ch09.check_effect_size(-d).message
    assert not ch09.check_effect_size(d * 1.01).correct
    assert not ch09.check_effect_size(d * Hz).correct


def test_jitter_control():
    rng = np.random.default_rng(1)
    t = np.arange(0, 1, 0.025)  # one spike per beat period: locked at 40 Hz
    t = np.sort(np.concatenate([t + 1e-4 * k for k in range(50)])) % 1.0
    good = ((t + rng.uniform(-0.025, 0.025, t.size)) % 1.0) * second
    assert ch09.check_jitter_control(good, t * second, 1 * second).correct
    assert "25 ms" in ch09.check_jitter_control(((t + 0.001) % 1.0) * second, t * second, 1 * second).message
    assert "drop none" in ch09.check_jitter_control(good[:-1], t * second, 1 * second).message
    assert "outside" in ch09.check_jitter_control(good + 2 * second, t * second, 1 * second).message
    assert "original" in ch09.check_jitter_control(t * second, t * second, 1 * second).message
    assert not ch09.check_jitter_control(np.asarray(good), t * second, 1 * second).correct
    assert not ch09.check_jitter_control(good, t * second, 1000 * ms * Hz).correct


def common_cases():
    """Right answers and near misses for tests/test_checks_common.py."""
    se = sd(A) / math.sqrt(5)
    d = (mean(A) - mean(B)) / math.sqrt((sd(A) ** 2 + sd(B) ** 2) / 2)
    rng = np.random.default_rng(1)
    t = np.sort(np.concatenate([np.arange(0, 1, 0.025) + 1e-4 * k for k in range(50)])) % 1.0
    good = ((t + rng.uniform(-0.025, 0.025, t.size)) % 1.0) * second
    return {
        "check_mean_and_se": ((mean(A), se), [
            ("mean 1e-8 off", (mean(A) + 1e-8, se), False), ("se 1e-8 off", (mean(A), se + 1e-8), False),
            ("round-off", (mean(A) + 1e-12, se), True)]),
        "check_effect_size": ((d,), [("d 1e-5 off", (d + 1e-5,), False), ("round-off", (d * (1 + 1e-12),), True)]),
        "check_jitter_control": ((good, t * second, 1 * second), [
            ("a spike shifted by 1 ms", (((t + 0.001) % 1.0) * second, t * second, 1 * second), False),
            ("one spike dropped", (good[:-1], t * second, 1 * second), False)]),
    }
