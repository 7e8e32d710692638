"""Checks for the exercises of chapter 5, "The binaural-beat experiment".

Expected answers come from calculations that do not use Brian: spike steps from
:mod:`helpers.pacemakers` (Brian's arithmetic repeated in numpy), weights from the
event-by-event reference :func:`helpers.stdp.stdp_reference`, and the rule's long-run
drift ``f_pre*f_post*(dApre*taupre + dApost*taupost)``.
"""
from __future__ import annotations

import numpy as np
from brian2 import Hz, ms, second

from . import Feedback, as_numbers, compare_numbers, correct, not_yet, unanswered
from ..pacemakers import effective_rate, pacemaker_spike_steps, spike_count
from ..stdp import THREAD_RULE, stdp_reference

DT = 0.1 * ms
TAU = 20 * ms
DAPRE = 0.02

#: Exercise 5.3: carrier and beats, and the relative tolerance accepted for a drift.
DESIGN_CARRIER = 200 * Hz
DESIGN_BEATS = [5, 10, 25, 50] * Hz
DESIGN_RTOL = 0.20


def check_reproduce_230(n_post_spikes, final_w) -> Feedback:
    """Exercise 5.1: pre at 200 Hz, post at 230 Hz, 300 ms, the thread's rule and w0 = 0.5.

    ``n_post_spikes`` must be the number of post spikes, ``final_w`` the synapse's weight
    at the end of the run (``S.w[0]``).
    """
    missing = unanswered(n_post_spikes=n_post_spikes, final_w=final_w)
    if missing is not None:
        return missing
    n = as_numbers(n_post_spikes, "n_post_spikes", shape=(), hint="Count the post spikes: post_mon.count[0].")
    if isinstance(n, Feedback):
        return n
    w = as_numbers(final_w, "final_w", shape=(), hint="Read the weight after the run: S.w[0].")
    if isinstance(w, Feedback):
        return w
    duration = 300 * ms
    expected_n = spike_count(230 * Hz, duration)
    trace = stdp_reference(pacemaker_spike_steps(200 * Hz, duration),
                           pacemaker_spike_steps(230 * Hz, duration), record=True)
    if n == 69:
        return not_yet("69 = 230 Hz x 0.3 s is what you asked for, not what Brian did. With dt = 0.1 ms "
                       "the post neuron fires every 44 steps (227.3 Hz). Count the spikes Brian "
                       "recorded: post_mon.count[0].")
    if n != expected_n:
        return not_yet("`n_post_spikes` should count the post neuron's spikes in 300 ms "
                       "(post_mon.count[0] or len(post_mon.t)).")
    if np.isclose(w, trace.w_at_steps([2999])[0], rtol=0, atol=1e-9):
        return not_yet("this is the monitor's last column, the weight at the start of the last step "
                       "(299.9 ms). A pre spike in that very step still changes w: read S.w[0] after the run.")
    result = compare_numbers(w, trace.final_w, name="final_w", atol=1e-9, rtol=0,
                             hint="Use the thread's rule with w0 = 0.5 and run(300*ms); read S.w[0].")
    if not result:
        return result
    return correct(f"{expected_n} post spikes (227.3 Hz, not 230 Hz) and a final weight of "
                   f"{trace.final_w:.4f}, the same as the event-by-event reference.")


def check_shifted_phase(w_shifted) -> Feedback:
    """Exercise 5.2: the 200/250 Hz pair for 1 s with the post neuron starting at x = 0.1."""
    hint = ("Start from the chapter's network with pre at 200 Hz and post at 250 Hz, "
            "set the post neuron's x to 0.1, run(1*second), read S.w[0].")
    w = as_numbers(w_shifted, "w_shifted", shape=(), hint=hint)
    if isinstance(w, Feedback):
        return w
    pre = pacemaker_spike_steps(200 * Hz, 1 * second)
    expected = stdp_reference(pre, pacemaker_spike_steps(250 * Hz, 1 * second, phase=0.1))
    unshifted = stdp_reference(pre, pacemaker_spike_steps(250 * Hz, 1 * second))
    pre_shifted = stdp_reference(pacemaker_spike_steps(200 * Hz, 1 * second, phase=0.1),
                                 pacemaker_spike_steps(250 * Hz, 1 * second))
    if np.isclose(w, unshifted, atol=1e-9, rtol=0):
        return not_yet("this is the thread's result with both neurons starting at x = 0. "
                       "Set the post neuron's x to 0.1 before run(), e.g. neurons.x[1] = 0.1.")
    if np.isclose(w, pre_shifted, atol=1e-9, rtol=0):
        return not_yet("you shifted the pre neuron. The exercise shifts the post neuron (the second one).")
    result = compare_numbers(w, expected, name="w_shifted", atol=1e-9, rtol=0, hint=hint)
    if not result:
        return result
    return correct(f"w = {expected:.4f} instead of 0.5243: moving the post spikes by 4 steps removes the "
                   "exactly simultaneous spikes that tipped the thread's pair into potentiation.")


def expected_long_run_drift(beats=DESIGN_BEATS, carrier=DESIGN_CARRIER):
    """``f_pre*f_post*(dApre*taupre + dApost*taupost)`` per second with the *effective* rates."""
    f_pre = np.asarray(effective_rate(np.full(len(beats), float(carrier)) * Hz), dtype=float)
    f_post = np.asarray(effective_rate(np.asarray(carrier + beats, dtype=float) * Hz), dtype=float)
    area = DAPRE * float(TAU) + THREAD_RULE.dApost * float(TAU)  # in seconds
    return f_pre * f_post * area


def check_design_drift(drift_per_second) -> Feedback:
    """Exercise 5.3: the phase-averaged drift (per second) for beats of 5, 10, 25, 50 Hz on 200 Hz.

    Any sound design is accepted: the answer must be within 20 % of the rule's long-run drift
    ``f_pre*f_post*(dApre*taupre + dApost*taupost)`` (effective rates, thread's parameters).
    Common mistakes get a specific hint: weights stuck at the bounds, a single phase,
    a total change not divided by the duration.
    """
    answer = as_numbers(drift_per_second, "drift_per_second", shape=(4,),
                        hint="Give one drift per beat (5, 10, 25, 50 Hz), e.g. a numpy array.")
    if isinstance(answer, Feedback):
        return answer
    expected = expected_long_run_drift()
    if np.all(np.abs(answer) <= 0.5 + 1e-9) and np.any(np.isclose(answer, -0.5, atol=0.02)):
        return not_yet("some drifts are stuck near -0.5 per second: the weight went from 0.5 down to the "
                       "lower bound 0 and stopped. Give the weight room (e.g. w0 = 50, gmax = 100) so "
                       "that clip() never acts.")
    if answer[3] > 0:
        return not_yet("a positive drift for the 50 Hz beat is the special case of the thread: both neurons "
                       "start at x = 0, so some spikes coincide exactly. Average over many initial phases "
                       "of the post neuron (e.g. post_phase = np.arange(16)/16).")
    for duration in (2, 5, 10):
        if np.allclose(answer / duration, expected, rtol=DESIGN_RTOL):
            return not_yet(f"these look like total weight changes over {duration} s. Divide by the "
                           "duration to get a drift per second.")
    relative = np.abs(answer - expected) / np.abs(expected)
    if np.all(relative <= DESIGN_RTOL):
        return correct(f"every drift is negative and within {100 * DESIGN_RTOL:.0f} % of f_pre*f_post*(dApre*taupre + "
                       f"dApost*taupost) = {np.round(expected, 3).tolist()} per second: on average over "
                       "phases the beat barely matters, the rates and the window's area do.")
    worst = int(np.argmax(relative))
    return not_yet(f"the drift for the {float(DESIGN_BEATS[worst] / Hz):g} Hz beat is {answer[worst]:.3f} per "
                   f"second, {100 * relative[worst]:.0f} % away from the long-run value. Run at least 1 s, "
                   "average over at least 16 phases of the post neuron, keep the weight away from the "
                   "bounds, and divide the weight change by the duration.")
