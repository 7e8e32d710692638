"""Claims that chapter 9's prose makes about its four conditions, checked with the chapter's
settings (seeds 0-4, 1 s, 40 detectors, J = 1.2 mV, w0 = 0.5, gmax = 1).

The statistics are recomputed here with plain formulas (standard error with n - 1), and each
test names the sentence it supports. The criteria are the ones the chapter writes down before
running: a difference counts when it exceeds twice the standard error of the difference.
"""
import math

import numpy as np
import pytest
from brian2 import Hz, second

from helpers.auditory import run_binaural_pathway, run_downstream_stdp

SEEDS = range(5)
NAMES = ["beat", "no beat", "one ear", "Poisson"]


@pytest.fixture(scope="module")
def table():
    out = {name: {"pair": [], "triplet": [], "post": [], "inputs": []} for name in NAMES}
    for s in SEEDS:
        runs = {"beat": run_binaural_pathway(400 * Hz, 440 * Hz, 1 * second, seed=s),
                "no beat": run_binaural_pathway(400 * Hz, 400 * Hz, 1 * second, seed=s),
                "one ear": run_binaural_pathway(400 * Hz, 440 * Hz, 1 * second, seed=s, mute="right")}
        for name in NAMES:
            r = run_downstream_stdp(runs["beat" if name == "Poisson" else name], poisson=name == "Poisson", seed=s)
            out[name]["pair"].append(r.pair_dw)
            out[name]["triplet"].append(r.triplet_dw)
            out[name]["post"].append(r.pair_post_count)
            out[name]["inputs"].append(r.input_count)
    return out


def mean_se(values):
    n = len(values)
    m = math.fsum(values) / n
    return m, math.sqrt(math.fsum((v - m) ** 2 for v in values) / (n - 1) / n)


def difference(table, rule, a, b):
    (ma, sa), (mb, sb) = mean_se(table[a][rule]), mean_se(table[b][rule])
    return ma - mb, math.hypot(sa, sb)


def test_beat_does_not_exceed_no_beat(table):
    # "With the pair rule the no-beat condition potentiates slightly more than the beat
    # ...; with the triplet rule the two are the same."
    for rule in ("pair", "triplet"):
        diff, se = difference(table, rule, "beat", "no beat")
        assert diff < 2 * se, (rule, diff, se)
    diff, se = difference(table, "pair", "beat", "no beat")
    assert diff < 0


def test_timing_matters_with_the_pair_rule(table):
    # "the beat potentiates more than Poisson spikes at the same mean rate ... about 2.3
    # standard errors"
    diff, se = difference(table, "pair", "beat", "Poisson")
    assert diff > 2 * se
    # same mean input: the Poisson trains carry the beat condition's spike count
    for a, b in zip(table["beat"]["inputs"], table["Poisson"]["inputs"]):
        assert abs(a - b) < 4 * math.sqrt(a)


def test_one_ear_changes_nothing(table):
    # "the downstream neuron never does [fire], and no weight changes"
    assert table["one ear"]["post"] == [0] * len(SEEDS)
    assert np.all(np.array(table["one ear"]["pair"]) == 0)
    assert np.all(np.array(table["one ear"]["triplet"]) == 0)


def test_triplet_rule_reaches_the_bound(table):
    # "The triplet rule drives almost every synapse to its bound ... in every condition in
    # which the neuron fires"
    for name in ("beat", "no beat"):
        assert mean_se(table[name]["triplet"])[0] > 0.45


def test_no_beat_drives_the_neuron_harder(table):
    # Going deeper: the no-beat condition drives the detectors (and the neuron) harder.
    assert np.mean(table["no beat"]["post"]) > 1.5 * np.mean(table["beat"]["post"])
