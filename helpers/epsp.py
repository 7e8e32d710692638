"""Chapter 6: measuring an EPSP, and the pairing protocol that changes it.

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
- :func:`pairing_spike_steps`: the time steps of a pairing protocol (pre, then post ``lag`` later,
  repeated at a frequency).
- :func:`run_pairing_protocol`: that protocol for many frequencies in one Brian network,
  with the STDP rule of :mod:`helpers.stdp`.
- :func:`pair_sum_weight_change`: the weight change of the additive all-to-all rule as a sum
  of the STDP window over every pre/post pair (valid while ``w`` stays inside ``[0, gmax]``).
- :func:`steady_state_change_per_pairing`: that sum per pairing in an endless train.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from brian2 import (
    Clock,
    Hz,
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
from brian2.units.fundamentalunits import get_dimensions

from .beats import STDP_EQS, STDP_ON_POST, STDP_ON_PRE
from .pacemakers import n_steps
from .stdp import rule_parameters, stdp_window, weight_range
from .validation import as_rate_array, require_plain_number, require_positive_duration, require_quantity

__all__ = [
    "E_L", "V_TH", "TAU_M", "TAU_S", "J",
    "LIF_EQS", "SYNAPSE_ON_PRE",
    "epsp_shape", "epsp_peak", "EPSPMeasurement", "measure_epsp",
    "pairing_spike_steps", "PairingTrains", "pairing_trains", "run_plastic_synapses", "PairingResult", "run_pairing_protocol",
    "pair_sum_weight_change", "steady_state_change_per_pairing",
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
    """Plain-number weights as a 1-D float array (a unit is refused: ``w`` is a number)."""
    if isinstance(weights, Quantity) and not get_dimensions(weights).is_dimensionless:
        raise TypeError(f"{name} are plain numbers (the synapse's w, as in the STDP rule); the unit "
                        f"comes from J. Got {weights!r}: divide by the unit or pass numbers such as [0.25, 0.5].")
    try:
        arr = np.atleast_1d(np.asarray(weights, dtype=float))
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be numbers, e.g. [0.25, 0.5, 1.0]: got {weights!r}.") from None
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"{name} must be a flat, non-empty list of numbers: got shape {arr.shape}.")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite: got {weights!r}.")
    return arr


def _cell_parameters(J_, tau_m, tau_s):
    J_ = require_quantity(J_, volt, "J")
    if np.ndim(J_) != 0:
        raise ValueError(f"J must be one voltage such as 10*mV: got {J_!r}.")
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
    t = require_quantity(t, second, "t")
    w = require_plain_number(weight, "weight")
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
    if np.any(w < 0):
        raise ValueError("weights must be >= 0 for an excitatory synapse; a negative weight gives an IPSP.")
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
    """
    synapse = _check_synapse(synapse)
    J_, tau_m, tau_s = _cell_parameters(J, tau_m, tau_s)
    w = _weights(weights)
    E_L = require_quantity(E_L, volt, "E_L")
    V_th = require_quantity(V_th, volt, "V_th")
    if not float(V_th) > float(E_L):
        raise ValueError(f"V_th ({V_th!r}) must be above E_L ({E_L!r}); did you swap them?")
    test_time = require_quantity(test_time, second, "test_time")
    if float(test_time) < 0:
        raise ValueError(f"test_time must be >= 0: got {test_time!r}.")
    window = require_positive_duration(window, "window")
    dt = require_positive_duration(dt, "dt")
    test_step = int(round(float(test_time / dt)))
    if abs(test_step * float(dt) - float(test_time)) > 1e-6 * float(dt):
        raise ValueError(f"test_time ({test_time!r}) must be a whole number of time steps of dt = {dt!r}.")

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
    v = np.asarray(trace.v_[:, onset_step:], dtype=float)
    fired = np.asarray(spikes.count[:]) > 0
    depolarisation = v - float(E_L)
    peak_index = np.argmax(depolarisation, axis=1)
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


# --- the pairing protocol --------------------------------------------------------------------

def _single_rate(frequency, name="frequency") -> float:
    rates = as_rate_array(frequency, name)
    if rates.size != 1:
        raise ValueError(f"{name} must be a single rate such as 20*Hz: got {frequency!r}.")
    return float(rates[0])


def pairing_spike_steps(frequency, lag, n_pairs, *, dt=0.1 * ms, start=10 * ms):
    """Time steps of a pairing protocol: a pre spike, then a post spike ``lag`` later, repeated.

    Pre spike ``k`` (``k = 0 .. n_pairs-1``) is at ``start + k/frequency``; its post spike at
    that time plus ``lag`` (a negative lag puts the post spike first). Times are rounded to
    the time grid of step ``dt``; the lag must be a whole number of steps, so every pair
    has exactly the requested lag even when the period is not a whole number of steps.

    Args:
        frequency: how often the pair is repeated, e.g. ``20*Hz``.
        lag: ``t_post - t_pre`` within each pair, e.g. ``10*ms`` or ``-10*ms``.
        n_pairs: number of pairings (a positive integer).
        dt: the time step. start: time of the first pre spike (>= 0, and ``start + lag >= 0``).

    Returns:
        ``(pre_steps, post_steps)``: two integer numpy arrays of step indices.
    """
    f = _single_rate(frequency)
    lag = require_quantity(lag, second, "lag")
    dt = require_positive_duration(dt, "dt")
    start = require_quantity(start, second, "start")
    if int(n_pairs) != n_pairs or n_pairs < 1:
        raise ValueError(f"n_pairs must be a positive whole number: got {n_pairs!r}.")
    dt_s = float(dt)
    lag_steps = int(round(float(lag) / dt_s))
    if abs(lag_steps * dt_s - float(lag)) > 1e-6 * dt_s:
        raise ValueError(f"lag ({lag!r}) must be a whole number of time steps of dt = {dt!r}, e.g. 10*ms.")
    period_steps = 1.0 / (f * dt_s)
    if abs(lag_steps) >= period_steps:
        raise ValueError(f"|lag| = {abs(float(lag)) * 1e3:g} ms is not shorter than the period "
                         f"1/frequency = {1e3 / f:g} ms, so the pairs would overlap or swap. Use a lower "
                         "frequency or a shorter lag.")
    start_step = int(round(float(start) / dt_s))
    pre = start_step + np.round(np.arange(int(n_pairs)) * period_steps).astype(np.int64)
    post = pre + lag_steps
    if pre[0] < 0 or post[0] < 0:
        raise ValueError("start must be late enough that the first pre and post spikes are at times >= 0 "
                         f"(start >= {max(0.0, -float(lag)) * 1e3:g} ms).")
    return pre, post


@dataclass(frozen=True)
class PairingTrains:
    """Spike trains of one pairing protocol per frequency, ready for two ``SpikeGeneratorGroup``s.

    Attributes:
        pre_indices, pre_steps: neuron index (= condition) and time step of every pre spike.
        post_indices, post_steps: the same for the post spikes.
        duration: a run long enough to include the last spike (Brian time).
    """

    pre_indices: np.ndarray
    pre_steps: np.ndarray
    post_indices: np.ndarray
    post_steps: np.ndarray
    duration: object


def pairing_trains(frequencies, lag, n_pairs, *, dt=0.1 * ms, start=10 * ms) -> PairingTrains:
    """:func:`pairing_spike_steps` for every frequency, merged: condition ``c`` is neuron ``c``."""
    freqs = as_rate_array(frequencies, "frequencies")
    dt = require_positive_duration(dt, "dt")
    pre_idx, pre_steps, post_idx, post_steps = [], [], [], []
    # (no variable called `i` here: Brian would see it when resolving connect(j='i'))
    for condition, f in enumerate(np.asarray(freqs)):
        pre, post = pairing_spike_steps(f * Hz, lag, n_pairs, dt=dt, start=start)
        pre_idx.append(np.full(pre.size, condition))
        pre_steps.append(pre)
        post_idx.append(np.full(post.size, condition))
        post_steps.append(post)
    pre_all, post_all = np.concatenate(pre_steps), np.concatenate(post_steps)
    duration = (int(max(pre_all.max(), post_all.max())) + 1) * dt
    return PairingTrains(np.concatenate(pre_idx), pre_all, np.concatenate(post_idx), post_all, duration)


@dataclass(frozen=True, eq=False)
class PairingResult:
    """What :func:`run_pairing_protocol` computed; entry ``i`` belongs to ``frequencies[i]``.

    Attributes:
        frequencies: pairing frequencies (Brian quantity in Hz). lag: ``t_post - t_pre``.
        n_pairs: pairings per condition. w0: initial weight. final_w: weight after the protocol.
        duration: the simulated time (long enough for the slowest condition).
    """

    frequencies: Quantity
    lag: Quantity
    n_pairs: int
    w0: float
    final_w: np.ndarray
    duration: Quantity

    @property
    def change(self) -> np.ndarray:
        """``final_w - w0`` for each frequency."""
        return self.final_w - self.w0

    @property
    def change_per_pairing(self) -> np.ndarray:
        """``(final_w - w0)/n_pairs`` for each frequency."""
        return self.change / self.n_pairs


def run_pairing_protocol(frequencies, lag, n_pairs, *, dt=0.1 * ms, start=10 * ms, w0=0.5, gmax=1.0,
                         taupre=20 * ms, taupost=20 * ms, dApre=0.02, dApost=None) -> PairingResult:
    """The pairing protocol at several frequencies, one STDP synapse per frequency, in one network.

    Pre and post spikes come from two ``SpikeGeneratorGroup``\\ s (neuron ``i`` of each plays
    condition ``i``, with spike times from :func:`pairing_spike_steps`); synapse ``i`` joins
    pre ``i`` to post ``i`` with the STDP rule of Brian's tutorial (:mod:`helpers.stdp`). The
    synapse only learns; it does not act on the post neuron, whose spikes are imposed, as in
    a pairing experiment where the experimenter makes the post cell fire.

    Args:
        frequencies: one pairing frequency per condition, e.g. ``[10, 20, 50]*Hz``.
        lag, n_pairs, dt, start: as in :func:`pairing_spike_steps`.
        w0, gmax, taupre, taupost, dApre, dApost: the STDP rule, as in
            :func:`helpers.stdp.stdp_reference` (``dApost=None`` is ``-1.05*dApre*taupre/taupost``).

    Returns:
        A :class:`PairingResult`.
    """
    freqs = as_rate_array(frequencies, "frequencies")
    dt = require_positive_duration(dt, "dt")
    taupre_s, taupost_s, dApre_f, dApost_f = rule_parameters(taupre, taupost, dApre, dApost)
    w0_f, gmax_f = weight_range(w0, gmax)
    trains = pairing_trains(freqs, lag, n_pairs, dt=dt, start=start)
    namespace = {"taupre": taupre_s * second, "taupost": taupost_s * second, "dApre": dApre_f,
                 "dApost": dApost_f, "gmax": gmax_f}
    final_w = run_plastic_synapses(trains, STDP_EQS, STDP_ON_PRE, STDP_ON_POST, namespace, w0_f, dt)
    return PairingResult(frequencies=freqs, lag=lag, n_pairs=int(n_pairs), w0=w0_f,
                         final_w=final_w, duration=trains.duration)


def run_plastic_synapses(trains: PairingTrains, model, on_pre, on_post, namespace, w0, dt) -> np.ndarray:
    """Play ``trains`` through one-to-one plastic synapses in one network; return the final weights.

    Condition ``c`` is pre neuron ``c`` -> post neuron ``c``, both ``SpikeGeneratorGroup``s on a
    clock of step ``dt``. The synapses learn (``model``, ``on_pre``, ``on_post``, constants in
    ``namespace``) but act on nothing, so the spike trains stay as given.
    """
    n = int(trains.pre_indices.max()) + 1  # every condition has at least one pre spike
    clock = Clock(dt)
    pre_group = SpikeGeneratorGroup(n, trains.pre_indices, trains.pre_steps * dt, clock=clock)
    post_group = SpikeGeneratorGroup(n, trains.post_indices, trains.post_steps * dt, clock=clock)
    syn = Synapses(pre_group, post_group, model, on_pre=on_pre, on_post=on_post,
                   namespace=namespace, clock=clock)
    syn.connect(j="i")
    syn.w = w0
    Network(pre_group, post_group, syn).run(trains.duration, namespace={})
    return np.asarray(syn.w[:], dtype=float).copy()


def pair_sum_weight_change(pre_times, post_times, *, taupre=20 * ms, taupost=20 * ms, dApre=0.02, dApost=None):
    """Weight change of the additive all-to-all rule: the STDP window summed over ALL pairs.

    Every pre spike pairs with every post spike, and each pair adds
    ``stdp_window(t_post - t_pre)``. This equals the trace-based rule exactly as long as
    the weight never hits the clipping bounds 0 or ``gmax``.

    Args:
        pre_times, post_times: spike times (Brian quantities), e.g. ``steps*dt``.
        taupre, taupost, dApre, dApost: as in :func:`helpers.stdp.stdp_window`.

    Returns:
        The total change of ``w`` (a float).
    """
    pre_times = require_quantity(pre_times, second, "pre_times")
    post_times = require_quantity(post_times, second, "post_times")
    pre = np.atleast_1d(np.asarray(pre_times, dtype=float))
    post = np.atleast_1d(np.asarray(post_times, dtype=float))
    lags = (post[None, :] - pre[:, None]) * second
    return float(np.sum(stdp_window(lags, taupre=taupre, taupost=taupost, dApre=dApre, dApost=dApost)))


def steady_state_change_per_pairing(frequency, lag, *, taupre=20 * ms, taupost=20 * ms, dApre=0.02, dApost=None):
    """Weight change per pairing deep inside an endless pairing train (all-to-all rule).

    With period ``T = 1/frequency`` only ``lag mod T`` matters: a post spike ``lag`` after
    one pre spike is also ``T - lag`` before the next one. Summing the window over all
    earlier spikes (geometric series), for ``0 <= lag mod T = L < T``::

        dApre*exp(-L/taupre)/(1 - exp(-T/taupre)) + dApost*exp(-(T - L)/taupost)/(1 - exp(-T/taupost))

    (``L = 0`` counts as pre-then-post, as in :func:`helpers.stdp.stdp_window`.)

    Args:
        frequency: pairing frequency (one value or an array, Brian quantity in Hz).
        lag: ``t_post - t_pre`` within a pair (Brian time).
        taupre, taupost, dApre, dApost: as in :func:`helpers.stdp.stdp_window`.

    Returns:
        A float, or a numpy array with the shape of ``frequency``.
    """
    scalar = np.ndim(frequency) == 0
    freqs = np.asarray(as_rate_array(frequency, "frequency"), dtype=float)
    lag = require_quantity(lag, second, "lag")
    taupre_s, taupost_s, dApre_f, dApost_f = rule_parameters(taupre, taupost, dApre, dApost)
    period = 1.0 / freqs
    L = np.mod(float(lag), period)
    L = np.where(np.isclose(L, period, rtol=0, atol=1e-12), 0.0, L)  # float round-off at the top
    potentiation = dApre_f * np.exp(-L / taupre_s) / (1 - np.exp(-period / taupre_s))
    depression = dApost_f * np.exp(-(period - L) / taupost_s) / (1 - np.exp(-period / taupost_s))
    result = potentiation + depression
    return float(result[0]) if scalar else result
