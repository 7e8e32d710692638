"""Chapter 6: measuring an EPSP, the size of one synapse's effect on its target.

An *excitatory post-synaptic potential* (EPSP) is the bump in a post-synaptic cell's
membrane potential caused by **one** pre-synaptic spike, measured from rest. This module
uses a leaky integrate-and-fire (LIF) cell in biophysical units,

    dv/dt = (E_L - v + I)/tau_m : volt
    dI/dt = -I/tau_s            : volt      (synaptic input, in the voltage units of R*I)

and one of two synapses, both scaled by a plain-number weight ``w`` (the STDP weight):

- ``synapse='exponential'``: ``on_pre='I_post += w*J'``, an exponentially decaying
  synaptic current. Solving the two linear equations for a jump ``I(0) = w*J`` with
  ``v(0) = E_L`` gives, for ``tau_s != tau_m``,

      v(t) - E_L = w*J * tau_s/(tau_m - tau_s) * (exp(-t/tau_m) - exp(-t/tau_s)),

  which peaks at ``t* = tau_m*tau_s/(tau_m - tau_s) * ln(tau_m/tau_s)`` with amplitude
  ``w*J*(tau_s/tau_m)**(tau_m/(tau_m - tau_s))``. (For ``tau_s == tau_m`` the shape is
  ``w*J*(t/tau)*exp(-t/tau)``, peaking at ``t = tau`` with ``w*J/e``.)
- ``synapse='jump'``: ``on_pre='v_post += w*J'``, the thread's synapse with units: the
  potential jumps by ``w*J`` and decays, ``v(t) - E_L = w*J*exp(-t/tau_m)``.

Either way the EPSP is proportional to ``w`` as long as the cell stays below threshold.

Functions:

- :func:`epsp_shape`, :func:`epsp_peak`: the formulas above.
- :func:`measure_epsp`: one test spike onto one cell per weight, all weights in ONE network.

The protocol that changes the weight (pairing) is in :mod:`helpers.pairing`.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from brian2 import (
    Clock,
    Network,
    NeuronGroup,
    Quantity,
    SpikeGeneratorGroup,
    SpikeMonitor,
    StateMonitor,
    Synapses,
    mV,
    ms,
    second,
    volt,
)

from .clock import whole_steps
from .validation import as_finite_quantity, as_plain_array, require_flag, require_plain_number, require_positive_duration

__all__ = [
    "E_L", "V_TH", "TAU_M", "TAU_S", "J",
    "LIF_EQS", "SYNAPSE_ON_PRE",
    "epsp_shape", "epsp_peak", "EPSPMeasurement", "measure_epsp",
]

#: The chapter's biophysical cell and synapse (module constants, not Brian objects).
E_L = -70 * mV
V_TH = -55 * mV
TAU_M = 10 * ms
TAU_S = 2 * ms
J = 10 * mV

#: The post-synaptic cell: an LIF neuron with a synaptic input ``I`` in voltage units.
LIF_EQS = """
dv/dt = (E_L - v + I)/tau_m : volt
dI/dt = -I/tau_s : volt
"""

#: What one pre-synaptic spike does, for each kind of synapse.
SYNAPSE_ON_PRE = {
    "exponential": "I_post += w*J",
    "jump": "v_post += w*J",
}


def _check_synapse(synapse: str) -> str:
    if synapse not in SYNAPSE_ON_PRE:
        raise ValueError(f"synapse must be 'exponential' (a decaying synaptic current) or 'jump' "
                         f"(the potential jumps, as in the thread): got {synapse!r}.")
    return synapse


def _weights(weights, name: str = "weights") -> np.ndarray:
    """Plain-number weights >= 0 as a 1-D float array (a unit is refused: ``w`` is a number)."""
    arr = as_plain_array(weights, name, example="[0.25, 0.5, 1.0] (the unit comes from J)")
    if np.any(arr < 0):
        raise ValueError(f"{name} must be >= 0 for an excitatory synapse; a negative weight gives an IPSP.")
    return arr


def _cell_parameters(J_, tau_m, tau_s):
    J_ = as_finite_quantity(J_, volt, "J", single=True)
    if float(J_) < 0:
        raise ValueError(f"J must be zero or positive, e.g. 10*mV: an excitatory synapse raises the potential "
                         f"(a negative J would give an IPSP): got {J_!r}.")
    tau_m = require_positive_duration(tau_m, "tau_m")
    tau_s = require_positive_duration(tau_s, "tau_s")
    return J_, tau_m, tau_s


def _kernel(t_s: np.ndarray, tau_m: float, tau_s: float, synapse: str) -> np.ndarray:
    """EPSP of a unit input (in units of J) at times ``t_s`` in seconds; 0 before t = 0."""
    t_pos = np.clip(t_s, 0.0, None)
    if synapse == "jump":
        shape = np.exp(-t_pos / tau_m)
    elif np.isclose(tau_m, tau_s, rtol=1e-12):
        shape = (t_pos / tau_m) * np.exp(-t_pos / tau_m)
    else:
        shape = tau_s / (tau_m - tau_s) * (np.exp(-t_pos / tau_m) - np.exp(-t_pos / tau_s))
    return np.where(t_s >= 0, shape, 0.0)


def epsp_shape(t, weight=1.0, *, synapse="exponential", J=J, tau_m=TAU_M, tau_s=TAU_S):
    """The exact EPSP ``v(t) - E_L`` at time ``t`` after the input takes effect.

    Args:
        t: time(s) since the input took effect, a Brian time (scalar or array); 0 for t < 0.
        weight: the synapse weight ``w`` (a plain number).
        synapse: ``'exponential'`` (``I_post += w*J``) or ``'jump'`` (``v_post += w*J``).
        J: the voltage one unit of weight adds (to ``I`` or to ``v``), e.g. ``10*mV``.
        tau_m: membrane time constant. tau_s: synaptic time constant (ignored for ``'jump'``).

    Returns:
        A Brian voltage with the shape of ``t``.
    """
    synapse = _check_synapse(synapse)
    J_, tau_m, tau_s = _cell_parameters(J, tau_m, tau_s)
    t = as_finite_quantity(t, second, "t")
    w = require_plain_number(weight, "weight", example=1.0)
    if w < 0:
        raise ValueError(f"weight must be >= 0 for an excitatory synapse; a negative weight gives an IPSP: got {weight!r}.")
    shape = _kernel(np.asarray(t, dtype=float), float(tau_m), float(tau_s), synapse)
    return w * shape * J_


def epsp_peak(weights=1.0, *, synapse="exponential", J=J, tau_m=TAU_M, tau_s=TAU_S):
    """Time and size of the EPSP's maximum, from the exact solution.

    Args:
        weights: one weight or an array of weights (plain numbers, >= 0).
        synapse, J, tau_m, tau_s: as in :func:`epsp_shape`.

    Returns:
        ``(peak_time, amplitude)``: the time after the input took effect (a Brian time,
        the same for every weight) and ``w*J*factor`` (a Brian voltage, one per weight),
        with ``factor = (tau_s/tau_m)**(tau_m/(tau_m - tau_s))`` for the exponential
        synapse (``1/e`` when ``tau_s == tau_m``) and 1 for the jump.
    """
    synapse = _check_synapse(synapse)
    J_, tau_m, tau_s = _cell_parameters(J, tau_m, tau_s)
    scalar = np.ndim(weights) == 0
    w = _weights(weights)
    m, s = float(tau_m), float(tau_s)
    if synapse == "jump":
        t_peak, factor = 0.0, 1.0
    elif np.isclose(m, s, rtol=1e-12):
        t_peak, factor = m, np.exp(-1.0)
    else:
        t_peak = m * s / (m - s) * np.log(m / s)
        factor = (s / m) ** (m / (m - s))
    amplitude = w * factor * J_
    return t_peak * second, (amplitude[0] if scalar else amplitude)


@dataclass(frozen=True, eq=False)
class EPSPMeasurement:
    """What :func:`measure_epsp` measured; entry ``i`` belongs to ``weights[i]``.

    Attributes:
        weights: the weights tested (float array).
        amplitude: largest ``v - E_L`` recorded after the test spike (Brian voltage array);
            ``nan`` for a cell that fired, because its peak was cut off by the reset.
        peak_time: time of that maximum after the input took effect (Brian times).
        fired: True where the EPSP reached threshold and the cell spiked.
        test_time: when the pre-synaptic test spike was emitted.
        onset: when the input took effect: ``test_time + dt`` in a monitor's time labels
            (the spike is delivered at the end of the step in which it is emitted).
        t: recording times relative to ``onset`` (Brian times), or ``None``.
        v: recorded membrane potentials, shape (weights, steps), or ``None``.
    """

    weights: np.ndarray
    amplitude: Quantity
    peak_time: Quantity
    fired: np.ndarray
    test_time: Quantity
    onset: Quantity
    t: Quantity | None = field(default=None, repr=False)
    v: Quantity | None = field(default=None, repr=False)


def measure_epsp(weights, *, synapse="exponential", J=J, tau_m=TAU_M, tau_s=TAU_S, E_L=E_L, V_th=V_TH,
                 test_time=10 * ms, window=60 * ms, dt=0.1 * ms, record=False) -> EPSPMeasurement:
    """Send one test spike through one synapse per weight and measure each EPSP, in ONE network.

    The network: a ``SpikeGeneratorGroup`` with one neuron that spikes once at ``test_time``;
    ``len(weights)`` post-synaptic LIF cells (``LIF_EQS``, threshold ``v > V_th``, reset
    ``v = E_L``, all starting at rest); synapse ``i`` joins the generator to cell ``i`` with
    weight ``weights[i]``. A ``StateMonitor`` records ``v`` and a ``SpikeMonitor`` notes
    which cells fired.

    Args:
        weights: the weights to test, plain numbers, e.g. ``[0.25, 0.5, 1.0]``.
        synapse: ``'exponential'`` or ``'jump'`` (see the module docstring).
        J, tau_m, tau_s: synapse and membrane parameters (Brian quantities).
        E_L, V_th: rest (and reset) potential and threshold (Brian voltages, ``V_th > E_L``).
        test_time: when the test spike is emitted (a Brian time >= 0).
        window: how long to record after the test spike.
        dt: the time step of the network's own clock.
        record: keep the traces (``result.t``, ``result.v``).

    Returns:
        An :class:`EPSPMeasurement`.

    Example:
        >>> result = measure_epsp([0.5, 1.0])
        >>> result.amplitude  # about 1.34 mV per unit weight at tau_m = 10 ms, tau_s = 2 ms
        array([0.66873095, 1.33746191]) * mvolt
    """
    synapse = _check_synapse(synapse)
    J_, tau_m, tau_s = _cell_parameters(J, tau_m, tau_s)
    w = _weights(weights)
    E_L = as_finite_quantity(E_L, volt, "E_L", single=True)
    V_th = as_finite_quantity(V_th, volt, "V_th", single=True)
    if not float(V_th) > float(E_L):
        raise ValueError(f"V_th ({V_th!r}) must be above E_L ({E_L!r}); did you swap them?")
    window = require_positive_duration(window, "window")
    dt = require_positive_duration(dt, "dt")
    record = require_flag(record, "record")
    test_step = whole_steps(test_time, dt, "test_time")
    if test_step < 0:
        raise ValueError(f"test_time must be >= 0: got {test_time!r}.")

    clock = Clock(dt)
    namespace = {"E_L": E_L, "tau_m": tau_m, "tau_s": tau_s, "J": J_, "V_th": V_th}
    source = SpikeGeneratorGroup(1, [0], [test_step] * dt, clock=clock)
    cells = NeuronGroup(w.size, LIF_EQS, threshold="v > V_th", reset="v = E_L", method="exact",
                        clock=clock, namespace=namespace)
    cells.v = E_L
    syn = Synapses(source, cells, "w : 1", on_pre=SYNAPSE_ON_PRE[synapse], clock=clock, namespace=namespace)
    syn.connect(i=0, j=np.arange(w.size))
    syn.w = w
    trace = StateMonitor(cells, "v", record=True, clock=clock)
    spikes = SpikeMonitor(cells)
    net = Network(source, cells, syn, trace, spikes)
    net.run(test_step * dt + window, namespace={})

    onset_step = test_step + 1
    v = np.array(trace.v_[:, onset_step:], dtype=float)  # copies: they outlive the network
    fired = np.array(spikes.count[:]) > 0
    depolarisation = v - float(E_L)
    peak_index = np.argmax(depolarisation, axis=1) if v.shape[1] else np.zeros(w.size, dtype=int)
    cut_off = ~fired & (w > 0) & (peak_index >= v.shape[1] - 1)
    if np.any(cut_off):
        raise ValueError(f"window ({window!r}) ends before the EPSP has peaked, so its maximum cannot be "
                         "measured. Use a longer window, e.g. window=60*ms (a few membrane time constants).")
    amplitude = depolarisation[np.arange(w.size), peak_index]
    amplitude = np.where(fired, np.nan, amplitude)
    peak_time = np.where(fired, np.nan, peak_index * float(dt))
    t_rel = (np.arange(v.shape[1]) * float(dt)) * second
    return EPSPMeasurement(
        weights=w,
        amplitude=amplitude * volt,
        peak_time=peak_time * second,
        fired=fired,
        test_time=test_step * dt,
        onset=onset_step * dt,
        t=t_rel if record else None,
        v=v * volt if record else None,
    )
