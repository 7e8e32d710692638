"""Chapter 7: the triplet STDP rule of Pfister and Gerstner (2006), in Brian and in numpy.

The rule keeps four traces, each jumping by 1 at a spike and decaying exponentially:
``r1`` (time constant ``tau_plus``) and ``r2`` (``tau_x``) for the pre-synaptic neuron,
``o1`` (``tau_minus``) and ``o2`` (``tau_y``) for the post-synaptic neuron. Then

- at a pre-synaptic spike:  ``w -= o1*(A2_minus + A3_minus*r2)``, then ``r1 += 1``, ``r2 += 1``;
- at a post-synaptic spike: ``w += r1*(A2_plus + A3_plus*o2)``, then ``o1 += 1``, ``o2 += 1``.

The slow traces ``r2`` and ``o2`` are read *before* their own spike is added, so the
``A3`` terms need a third spike: ``A3_plus`` rewards a pre -> post pairing more when the post
neuron has fired recently (a post-pre-post or pre-post-post triplet). Because every spike
adds to the traces, this is the *all-to-all* version of the rule.

:data:`VISUAL_CORTEX_MINIMAL` is the paper's minimal all-to-all parameter set fitted to
visual-cortex data: ``A2_plus = 0``, ``A3_minus = 0``, ``A3_plus = 6.5e-3``,
``A2_minus = 7.1e-3``, ``tau_plus = 16.8 ms``, ``tau_minus = 33.7 ms``, ``tau_y = 114 ms``.
With ``A3_minus = 0`` the trace ``r2`` plays no role, so ``tau_x`` may have any value.

- :class:`TripletParameters`, :data:`VISUAL_CORTEX_MINIMAL`: the rule's constants.
- :data:`TRIPLET_EQS`, :data:`TRIPLET_ON_PRE`, :data:`TRIPLET_ON_POST`: the Brian synapse model.
  The pairing protocol of chapter 6 runs it with
  ``helpers.pairing.run_pairing_protocol(..., rule=VISUAL_CORTEX_MINIMAL)``.
- :func:`triplet_reference`: the same rule event by event in plain Python (no Brian).
"""
from __future__ import annotations

import dataclasses
from dataclasses import asdict, dataclass

from brian2 import ms

from .events import replay_trace_rule
from .stdp import THREAD_GMAX, THREAD_W0
from .validation import require_plain_number, require_positive_duration, require_weight_bounds

__all__ = [
    "TripletParameters", "VISUAL_CORTEX_MINIMAL",
    "TRIPLET_EQS", "TRIPLET_ON_PRE", "TRIPLET_ON_POST",
    "checked_triplet_rule", "triplet_reference",
]


@dataclass(frozen=True)
class TripletParameters:
    """Amplitudes (plain numbers) and time constants (Brian times) of the triplet rule.

    Example:
        >>> VISUAL_CORTEX_MINIMAL.replace(A2_plus=1e-3).A2_plus
        0.001
    """

    A2_plus: float
    A3_plus: float
    A2_minus: float
    A3_minus: float
    tau_plus: object
    tau_x: object
    tau_minus: object
    tau_y: object

    def replace(self, **changes) -> "TripletParameters":
        """A copy with some constants changed, e.g. ``VISUAL_CORTEX_MINIMAL.replace(A3_plus=0)``."""
        return dataclasses.replace(self, **changes)

    def checked(self) -> "TripletParameters":
        """Return self after checking units and signs; raise with a clear message otherwise."""
        for name in ("tau_plus", "tau_x", "tau_minus", "tau_y"):
            require_positive_duration(getattr(self, name), name)
        for name in ("A2_plus", "A3_plus", "A2_minus", "A3_minus"):
            value = getattr(self, name)
            if isinstance(value, bool) or require_plain_number(value, name, example=5e-3) < 0:
                raise ValueError(f"{name} must be a plain number >= 0 (the rule's signs are built in): got {value!r}.")
        return self

    def namespace(self, gmax: float) -> dict:
        """The parameters as a Brian namespace (names as in :data:`TRIPLET_EQS`, ``gmax`` added)."""
        return {**asdict(self), "gmax": float(gmax)}

    def brian_model(self, gmax: float) -> tuple[str, str, str, dict]:
        """``(model, on_pre, on_post, namespace)`` for a Brian ``Synapses`` with this rule."""
        return TRIPLET_EQS, TRIPLET_ON_PRE, TRIPLET_ON_POST, self.namespace(gmax)


def checked_triplet_rule(rule) -> TripletParameters:
    """``rule.checked()``, with a clear message when ``rule`` is not a :class:`TripletParameters`."""
    if not isinstance(rule, TripletParameters):
        raise TypeError(f"rule must be a TripletParameters such as VISUAL_CORTEX_MINIMAL: got {rule!r}.")
    return rule.checked()


#: Pfister & Gerstner (2006), minimal all-to-all model, visual-cortex data set.
VISUAL_CORTEX_MINIMAL = TripletParameters(
    A2_plus=0.0, A3_plus=6.5e-3, A2_minus=7.1e-3, A3_minus=0.0,
    tau_plus=16.8 * ms, tau_x=101 * ms, tau_minus=33.7 * ms, tau_y=114 * ms,
)

#: The Brian synapse model: weight and four event-driven traces.
TRIPLET_EQS = """
w : 1
dr1/dt = -r1/tau_plus : 1 (event-driven)
dr2/dt = -r2/tau_x : 1 (event-driven)
do1/dt = -o1/tau_minus : 1 (event-driven)
do2/dt = -o2/tau_y : 1 (event-driven)
"""
#: At a pre-synaptic spike: depression read from the post traces, then the pre traces jump.
TRIPLET_ON_PRE = """
w = clip(w - o1*(A2_minus + A3_minus*r2), 0, gmax)
r1 += 1
r2 += 1
"""
#: At a post-synaptic spike: potentiation read from the pre traces, then the post traces jump.
TRIPLET_ON_POST = """
w = clip(w + r1*(A2_plus + A3_plus*o2), 0, gmax)
o1 += 1
o2 += 1
"""


def triplet_reference(pre_spike_steps, post_spike_steps, dt=0.1 * ms, *, rule=VISUAL_CORTEX_MINIMAL,
                      w0=THREAD_W0, gmax=THREAD_GMAX) -> float:
    """Weight after the given spike trains under the triplet rule, event by event (no Brian).

    Between events every trace decays exactly (``exp(-elapsed/tau)``). A pre spike
    applies ``w = clip(w - o1*(A2_minus + A3_minus*r2), 0, gmax)`` and then ``r1 += 1``,
    ``r2 += 1``; a post spike applies ``w = clip(w + r1*(A2_plus + A3_plus*o2), 0, gmax)``
    and then ``o1 += 1``, ``o2 += 1``. In a time step with both, the pre spike comes first
    (Brian runs a synapse's pre pathway before its post pathway).

    Args:
        pre_spike_steps, post_spike_steps: time-step indices of the spikes (increasing
            integers) or their times (Brian quantities).
        dt: the time step; event ``k`` happens at ``k*dt``.
        rule: a :class:`TripletParameters` (default :data:`VISUAL_CORTEX_MINIMAL`).
        w0, gmax: initial weight and upper bound (``gmax=float('inf')`` for no bound).

    Returns:
        The final weight (a float).

    Example:
        A post spike 10 ms after a pre spike; with ``A2_plus = 0`` the pairing alone does
        nothing, but a second post spike 10 ms later meets the pre trace *and* the first
        post spike's slow trace ``o2``:

        >>> from brian2 import ms
        >>> triplet_reference([0], [100], 0.1*ms)
        0.5
        >>> round(triplet_reference([0], [100, 200], 0.1*ms), 6)
        0.501811
    """
    rule = checked_triplet_rule(rule)
    w0, gmax = require_weight_bounds(w0, gmax)
    A2_plus, A3_plus, A2_minus, A3_minus = rule.A2_plus, rule.A3_plus, rule.A2_minus, rule.A3_minus

    def on_pre(traces, w):  # traces = [r1, r2, o1, o2]
        w = min(max(w - traces[2] * (A2_minus + A3_minus * traces[1]), 0.0), gmax)
        traces[0] += 1.0
        traces[1] += 1.0
        return w

    def on_post(traces, w):
        w = min(max(w + traces[0] * (A2_plus + A3_plus * traces[3]), 0.0), gmax)
        traces[2] += 1.0
        traces[3] += 1.0
        return w

    replay = replay_trace_rule(pre_spike_steps, post_spike_steps, dt,
                               taus=[rule.tau_plus, rule.tau_x, rule.tau_minus, rule.tau_y],
                               on_pre=on_pre, on_post=on_post, w0=w0)
    return replay.final_w
