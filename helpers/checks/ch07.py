"""Checks for the exercises of chapter 7, "Testing the hypothesis".

The expected answers are computed event by event in plain Python, without Brian:
spike times from :func:`helpers.pacemakers.pacemaker_spike_steps` (Brian's pacemaker
arithmetic repeated in numpy) or :func:`helpers.pairing.pairing_spike_steps`, and weights from
:func:`helpers.stdp.stdp_reference` (the thread's pair rule) or
:func:`helpers.triplet.triplet_reference` (the triplet rule).
"""
from __future__ import annotations

import numpy as np
from brian2 import Hz, ms, second

from . import Feedback, as_numbers, correct, not_yet, unanswered
from ..pairing import pairing_spike_steps
from ..pacemakers import pacemaker_spike_steps
from ..stdp import stdp_reference
from ..triplet import triplet_reference

_DT = 0.1 * ms


#: The hint added to every "Not yet" about the form of an answer.
WEIGHTS = "Weights and their changes are plain numbers (no unit), one per condition, e.g. a numpy array."


def reversed_pairing_changes(frequencies=(10, 40), n_pairs=30, w0=0.5) -> np.ndarray:
    """Triplet rule, -10 ms pairings: weight change at each frequency (numpy reference)."""
    changes = []
    for f in frequencies:
        pre, post = pairing_spike_steps(f * Hz, -10 * ms, n_pairs, dt=_DT)
        changes.append(triplet_reference(pre, post, _DT, w0=w0) - w0)
    return np.array(changes)


def check_reversed_pairing(dw_reversed_pairing) -> Feedback:
    """Exercise 7.1: triplet rule, 30 pairings at -10 ms, 10 and 40 Hz: the two weight changes."""
    arr = as_numbers(dw_reversed_pairing, "dw_reversed_pairing", shape=(2,), hint=WEIGHTS)
    if isinstance(arr, Feedback):
        return arr
    expected = reversed_pairing_changes()
    if np.allclose(arr, expected, rtol=1e-9, atol=1e-12):
        return correct(f"with the triplet rule, post-before-pre pairing changes the weight by {expected[0]:+.4f} "
                       f"at 10 Hz but {expected[1]:+.4f} at 40 Hz: at high frequency it potentiates.")
    if np.allclose(arr, expected + 0.5, rtol=1e-9):
        return not_yet("these are the final weights. The exercise asks for the changes: subtract w0 = 0.5.")
    forward = []
    for f in (10, 40):
        pre, post = pairing_spike_steps(f * Hz, 10 * ms, 30, dt=_DT)
        forward.append(triplet_reference(pre, post, _DT) - 0.5)
    if np.allclose(arr, forward, rtol=1e-9, atol=1e-12):
        return not_yet("these are the changes for +10 ms (pre before post). The exercise asks for lag = -10*ms.")
    pair_rule = []
    for f in (10, 40):
        pre, post = pairing_spike_steps(f * Hz, -10 * ms, 30, dt=_DT)
        pair_rule.append(stdp_reference(pre, post, _DT) - 0.5)
    if np.allclose(arr, pair_rule, rtol=1e-9, atol=1e-12):
        return not_yet("these are the changes of the thread's pair rule. Use the triplet rule "
                       "(run_pairing_protocol with rule=VISUAL_CORTEX_MINIMAL, or the TRIPLET_EQS synapse).")
    return not_yet("not the right changes yet. Run 30 pairings with lag=-10*ms at 10 and 40 Hz with the "
                   "triplet rule (w0 = 0.5, wmax = 1) and report final_w - w0.")


def pacemaker_pair_weights(pre_rates, post_rates, duration, *, pre_phase=0.0, post_phase=0.0) -> np.ndarray:
    """Final weights of the thread's pair rule for pacemaker pairs (numpy reference, w0 = 0.5)."""
    out = []
    phases = np.broadcast_to(np.asarray(post_phase, dtype=float), (len(post_rates),))
    for pre, post, phase in zip(pre_rates, post_rates, phases):
        pre_steps = pacemaker_spike_steps(pre * Hz, duration, _DT, phase=pre_phase)
        post_steps = pacemaker_spike_steps(post * Hz, duration, _DT, phase=float(phase))
        out.append(stdp_reference(pre_steps, post_steps, _DT))
    return np.array(out)


def check_low_carrier(final_w_low, final_w_low_reversed) -> Feedback:
    """Exercise 7.2: pair rule, 5 s, pre 20 Hz / post 25, 22, 21 Hz, and the reversed order."""
    missing = unanswered(final_w_low=final_w_low, final_w_low_reversed=final_w_low_reversed)
    if missing is not None:
        return missing
    forward = as_numbers(final_w_low, "final_w_low", shape=(3,), hint=WEIGHTS)
    if isinstance(forward, Feedback):
        return forward
    backward = as_numbers(final_w_low_reversed, "final_w_low_reversed", shape=(3,), hint=WEIGHTS)
    if isinstance(backward, Feedback):
        return backward
    expected_forward = pacemaker_pair_weights([20, 20, 20], [25, 22, 21], 5 * second)
    expected_backward = pacemaker_pair_weights([25, 22, 21], [20, 20, 20], 5 * second)
    if np.allclose(forward, expected_backward, rtol=1e-9) and np.allclose(backward, expected_forward, rtol=1e-9):
        return not_yet("the two answers are swapped: in `final_w_low` the pre-synaptic pacemaker is the "
                       "slower one (20 Hz).")
    if not np.allclose(forward, expected_forward, rtol=1e-9, atol=1e-12):
        return not_yet("`final_w_low` is not right yet: pre at 20 Hz, post at 25, 22 and 21 Hz, 5 seconds, "
                       "the thread's rule, w0 = 0.5, both phases 0.")
    if not np.allclose(backward, expected_backward, rtol=1e-9, atol=1e-12):
        return not_yet("`final_w_low` is right, but `final_w_low_reversed` is not yet: swap the rates "
                       "(pre 25, 22, 21 Hz; post 20 Hz).")
    return correct("at a 20 Hz carrier the changes are small and of both signs, in both orders: "
                   f"{np.round(expected_forward, 4)} and reversed {np.round(expected_backward, 4)}.")


PHASES = np.round(np.arange(10) * 0.1, 1)


def check_phase_average(phase_mean) -> Feedback:
    """Exercise 7.3: mean final weight over post phases 0, 0.1, ..., 0.9 (200/250 Hz, 200 ms)."""
    value = as_numbers(phase_mean, "phase_mean", shape=(),
                       hint="Average the ten final weights, e.g. result.final_w.mean().")
    if isinstance(value, Feedback):
        return value
    weights = pacemaker_pair_weights([200] * 10, [250] * 10, 200 * ms, post_phase=PHASES)
    expected = float(np.mean(weights))
    if np.isclose(value, weights[0], rtol=1e-9):
        return not_yet("this is the result for phase 0 alone, the thread's case. Give the post pacemakers "
                       "the ten starting values x = 0, 0.1, ..., 0.9 (post_phase=...) and average.")
    if np.isclose(value, expected - 0.5, rtol=1e-9):
        return not_yet("this is the mean change. The exercise asks for the mean final weight: add w0 = 0.5.")
    if not np.isclose(value, expected, rtol=1e-9, atol=1e-12):
        return not_yet("not the right mean yet. One network, ten conditions: pre 200 Hz (phase 0), post 250 Hz "
                       "with post_phase = 0, 0.1, ..., 0.9, 200 ms, the thread's rule; average final_w.")
    return correct(f"averaged over the starting phase the weight ends at {expected:.4f}, not at "
                   f"{weights[0]:.4f} as with phase 0: the thread's result depended on the phase.")
