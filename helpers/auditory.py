"""Chapters 8 and 9: where a binaural beat is made, and STDP downstream of it.

Chapter 8 writes this pathway out in full first; this module packages it so that the
controls and chapter 9's many runs take one line each. The chain, for each ear:

1. the sound: a pure tone (``brian2hears.tone``) sampled at :data:`SAMPLERATE`;
2. the cochlea: one gammatone filter (``brian2hears.Gammatone``) whose centre frequency
   is the middle of the two tones, the same for both ears;
3. the inner hair cell: half-wave rectification, compression (power 1/3) and a low-pass
   of five first-order stages at 770 Hz (``brian2hears.LowPass``), the low-pass of
   Breebaart et al. (2001), which sets how phase locking fades at high carriers
   (brian2hears steps each stage with forward Euler: at 10 kHz sampling its roll-off is
   gentler than the analog filter's, ``tests/test_auditory.py`` checks the exact gain);
4. auditory-nerve fibres: Poisson-like neurons (``rand() < rate*dt``) whose rate follows
   the hair-cell output, with a refractory period, so their spikes phase-lock to the tone;
5. binaural coincidence detectors (a model of the superior olive): each receives
   :data:`INPUTS_PER_SIDE` fibres from each ear. A spike from the left ear sets a trace
   ``gl`` to 1, one from the right ear sets ``gr`` to 1; both decay with 0.5 ms and the
   detector fires when ``gl + gr > 1.4``: only when a left and a right spike arrive at
   most one time step apart (0.1 ms), never from one ear alone.

Functions: :func:`inner_hair_cell` (steps 1 to 3), :func:`run_binaural_pathway` (1 to 5),
:func:`vector_strength`, and :func:`run_downstream_stdp` (chapter 9's post-synaptic neuron,
driven by the detectors through plastic synapses; pair and triplet rule side by side).
brian2hears is imported by name, inside the functions: ``from brian2hears import *`` would
replace Brian's ``prefs``.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from brian2 import (Clock, Hz, Network, NeuronGroup, Quantity, SpikeGeneratorGroup, SpikeMonitor, Synapses,
                    TimedArray, kHz, mV, ms, second, volt)
from brian2.units.fundamentalunits import get_dimensions

from .stdp import THREAD_GMAX, THREAD_RULE, THREAD_W0, checked_rule
from .triplet import VISUAL_CORTEX_MINIMAL, checked_triplet_rule
from .validation import (as_finite_quantity, require_flag, require_positive, require_positive_duration,
                         require_weight_bounds, require_whole_number)

__all__ = ["SAMPLERATE", "IHC_CUTOFF", "IHC_STAGES", "FIBRE_PARAMS", "DETECTOR_PARAMS", "POST_PARAMS",
           "inner_hair_cell", "vector_strength", "PathwayResult", "run_binaural_pathway",
           "DownstreamResult", "run_downstream_stdp"]

#: The sound's sampling rate; the whole pathway runs with time step ``1/SAMPLERATE`` = 0.1 ms.
SAMPLERATE = 10 * kHz
#: Corner frequency and number of first-order stages of the hair cell's low-pass.
IHC_CUTOFF = 770 * Hz
IHC_STAGES = 5
#: Nerve fibres: ``rate = spont + gain*ihc``, refractory period.
FIBRE_PARAMS = {"r_spont": 20 * Hz, "r_gain": 425 * Hz, "refractory": 0.75 * ms}
#: Coincidence detectors: trace time constant, threshold on ``gl + gr``, refractory period.
DETECTOR_PARAMS = {"tau_c": 0.5 * ms, "theta": 1.4, "refractory": 0.5 * ms}
#: Chapter 9's post-synaptic LIF neuron.
POST_PARAMS = {"tau_m": 10 * ms, "E_L": -70 * mV, "V_th": -55 * mV, "V_r": -70 * mV,
               "refractory": 2 * ms}

_MUTE = (None, "left", "right")


def _hz(value) -> Quantity:
    return Quantity(np.asarray(value, dtype=float), dim=get_dimensions(Hz))


def _seconds(value) -> Quantity:  # times without a unit (seconds) -> a Brian array
    return Quantity(np.asarray(value, dtype=float), dim=get_dimensions(second))


def _tone_frequency(freq, name: str) -> Quantity:
    """One positive frequency below half the sampling rate."""
    freq = require_positive(as_finite_quantity(freq, Hz, name, single=True), name)
    nyquist = float(SAMPLERATE) / 2
    if float(freq) >= nyquist:
        raise ValueError(f"{name} = {float(freq):g} Hz is at or above half the sampling rate "
                         f"({nyquist:g} Hz): the sampled tone would not be that tone. "
                         "Use a lower frequency (binaural beats need carriers below about 1.5 kHz).")
    return freq


def _mute(mute):
    if mute is not None and not isinstance(mute, str):
        raise TypeError(f"mute must be None, 'left' or 'right': got {mute!r}.")
    if mute not in _MUTE:
        raise ValueError(f"mute must be None (both ears hear their tone), 'left' or 'right': got {mute!r}.")
    return mute


def _checked_sound(left_freq, right_freq, duration, mute):
    left = _tone_frequency(left_freq, "left_freq")
    right = _tone_frequency(right_freq, "right_freq")
    duration = require_positive_duration(duration, "duration")
    shortest = 1 / min(float(left), float(right))
    if float(duration) < shortest:
        raise ValueError(f"duration = {float(duration) * 1e3:g} ms is shorter than one period of the "
                         f"lower tone ({shortest * 1e3:g} ms): there is no tone to hear. "
                         "Use at least a few periods, e.g. duration=100*ms.")
    return left, right, duration, _mute(mute)


def _ihc(left, right, duration, mute) -> np.ndarray:
    # Imported here, by name: importing helpers must not load brian2hears or touch prefs.
    from brian2hears import FunctionFilterbank, Gammatone, LowPass, Sound, silence, tone

    ears = [np.asarray(silence(duration, samplerate=SAMPLERATE) if mute == ear else
                       tone(freq, duration, samplerate=SAMPLERATE))[:, 0]
            for ear, freq in (("left", left), ("right", right))]
    sound = Sound(ears, samplerate=SAMPLERATE)
    centre = (float(left) + float(right)) / 2 if mute is None else float(right if mute == "left" else left)
    cochlea = Gammatone(sound, [centre, centre] * Hz)
    hair_cell = FunctionFilterbank(cochlea, lambda x: np.clip(x, 0, None) ** (1 / 3))
    for _ in range(IHC_STAGES):
        hair_cell = LowPass(hair_cell, float(IHC_CUTOFF))
    return np.array(hair_cell.process(), dtype=float)


def inner_hair_cell(left_freq, right_freq, duration, *, mute=None) -> np.ndarray:
    """The hair-cell output of each ear: tone -> gammatone -> rectify, compress, low-pass.

    Args:
        left_freq, right_freq: the tone in each ear, e.g. ``400*Hz`` and ``440*Hz``.
        duration: length of the sound, at least one period of the lower tone.
        mute: ``None`` (both ears hear their tone), ``'left'`` or ``'right'`` (that ear hears silence).

    Returns:
        A plain array of shape ``(samples, 2)``: column 0 the left ear, column 1 the right,
        one row per sample at :data:`SAMPLERATE`.

    Example:
        >>> from brian2 import Hz, ms
        >>> inner_hair_cell(400*Hz, 440*Hz, 50*ms).shape
        (500, 2)
    """
    left, right, duration, mute = _checked_sound(left_freq, right_freq, duration, mute)
    return _ihc(left, right, duration, mute)


def vector_strength(spike_times, frequency) -> float:
    """How strongly spikes lock to a frequency: ``|mean(exp(2j*pi*f*t))|``, between 0 and 1.

    Each spike becomes a unit arrow at its phase ``2*pi*f*t``; the vector strength is the
    length of the average arrow (Goldberg and Brown, 1969). Spikes all at one phase give 1;
    spikes spread evenly over the cycle give 0; ``N`` random spikes give about ``1/sqrt(N)``.

    Args:
        spike_times: spike times with a unit, e.g. ``[0, 2.5, 5]*ms`` (any order; pool
            several neurons by concatenating their times).
        frequency: the frequency to test, e.g. ``400*Hz``.

    Raises:
        ValueError: no spikes (the vector strength is not defined), a frequency <= 0.

    Example:
        >>> from brian2 import Hz, ms
        >>> vector_strength([0, 2.5, 5, 7.5]*ms, 400*Hz)  # one spike per period, same phase
        1.0
        >>> round(vector_strength([0, 1.25]*ms, 400*Hz), 12)  # opposite phases
        0.0
    """
    times = as_finite_quantity(spike_times, second, "spike_times")
    freq = require_positive(as_finite_quantity(frequency, Hz, "frequency", single=True), "frequency")
    times = np.asarray(times, dtype=float)
    if times.ndim != 1:
        raise ValueError(f"spike_times must be a flat list of times: got shape {times.shape}.")
    if times.size == 0:
        raise ValueError("spike_times is empty: the vector strength of no spikes is not defined.")
    phase = 2 * np.pi * float(freq) * times
    strength = np.hypot(np.mean(np.cos(phase)), np.mean(np.sin(phase)))
    return float(min(strength, 1.0))


@dataclass(frozen=True, eq=False)
class PathwayResult:
    """What :func:`run_binaural_pathway` recorded. Times are Brian quantities in seconds.

    Attributes:
        left_freq, right_freq, duration, mute, seed: the call's arguments.
        beat: ``|left_freq - right_freq|`` (0 Hz when one ear is muted).
        left_spike_times, left_fibre_indices (right_...): every fibre spike of that ear, its fibre.
        detector_spike_times, detector_indices: every detector spike, all detectors pooled.
        n_fibres, n_detectors, inputs_per_side: the sizes of the pathway.
    """

    left_freq: Quantity
    right_freq: Quantity
    duration: Quantity
    mute: object
    seed: int
    beat: Quantity
    left_spike_times: Quantity
    left_fibre_indices: np.ndarray
    right_spike_times: Quantity
    right_fibre_indices: np.ndarray
    detector_spike_times: Quantity
    detector_indices: np.ndarray
    n_fibres: int
    n_detectors: int
    inputs_per_side: int

    @property
    def detector_rate(self) -> Quantity:
        """Mean firing rate of one detector."""
        return _hz(len(self.detector_indices) / (self.n_detectors * float(self.duration)))


def run_binaural_pathway(left_freq, right_freq, duration, *, seed=0, mute=None, n_fibres=100,
                         n_detectors=40, inputs_per_side=3) -> PathwayResult:
    """Two tones, one per ear -> hair cells -> nerve fibres -> binaural coincidence detectors.

    Args:
        left_freq, right_freq: the tone in each ear, e.g. ``400*Hz`` and ``440*Hz``
            (each below half of :data:`SAMPLERATE`).
        duration: simulated time, at least one period of the lower tone, e.g. ``1*second``.
        seed: seeds the fibres' random spikes and the wiring (a whole number >= 0).
        mute: ``None``, ``'left'`` or ``'right'``: silence one ear (the one-ear control).
        n_fibres: auditory-nerve fibres per ear.
        n_detectors: coincidence detectors.
        inputs_per_side: fibres of each ear wired to each detector (at most ``n_fibres``).

    Returns:
        A :class:`PathwayResult`.

    Example:
        >>> from brian2 import Hz, ms
        >>> r = run_binaural_pathway(400*Hz, 440*Hz, 100*ms, n_fibres=20, n_detectors=5)
        >>> r.beat
        40. * hertz
        >>> r.detector_spike_times.dim == ms.dim
        True
    """
    left, right, duration, mute = _checked_sound(left_freq, right_freq, duration, mute)
    seed = require_whole_number(seed, "seed", example=0)
    n_fibres = require_whole_number(n_fibres, "n_fibres", minimum=1, example=100)
    n_detectors = require_whole_number(n_detectors, "n_detectors", minimum=1, example=40)
    k = require_whole_number(inputs_per_side, "inputs_per_side", minimum=1, example=3)
    if k > n_fibres:
        raise ValueError(f"inputs_per_side = {k} is more than n_fibres = {n_fibres}: a detector "
                         "cannot receive more fibres than an ear has.")
    return _run_pathway(left, right, duration, mute, seed, n_fibres, n_detectors, k)


def _run_pathway(left, right, duration, mute, seed, n_fibres, n_detectors, k) -> PathwayResult:
    from brian2 import seed as brian_seed

    ihc = TimedArray(_ihc(left, right, duration, mute), dt=1 / SAMPLERATE)
    clock = Clock(1 / SAMPLERATE)
    brian_seed(seed)
    fibres = NeuronGroup(2 * n_fibres, "rate = r_spont + r_gain * ihc(t, ear) : Hz\near : integer (constant)",
                         threshold="rand() < rate * dt", refractory=FIBRE_PARAMS["refractory"], method="exact",
                         clock=clock, namespace={"ihc": ihc, "r_spont": FIBRE_PARAMS["r_spont"],
                                                 "r_gain": FIBRE_PARAMS["r_gain"]})
    fibres.ear = np.repeat([0, 1], n_fibres)
    detectors = NeuronGroup(n_detectors, "dgl/dt = -gl / tau_c : 1\ndgr/dt = -gr / tau_c : 1",
                            threshold="gl + gr > theta", reset="gl = 0\ngr = 0",
                            refractory=DETECTOR_PARAMS["refractory"], method="exact", clock=clock,
                            namespace={"tau_c": DETECTOR_PARAMS["tau_c"], "theta": DETECTOR_PARAMS["theta"]})
    rng = np.random.default_rng(seed)
    post = np.repeat(np.arange(n_detectors), k)
    wiring = []
    for ear, trace in ((fibres[:n_fibres], "gl"), (fibres[n_fibres:], "gr")):
        syn = Synapses(ear, detectors, on_pre=f"{trace} = 1", clock=clock)
        syn.connect(i=np.concatenate([rng.choice(n_fibres, k, replace=False) for _ in range(n_detectors)]), j=post)
        wiring.append(syn)
    fibre_spikes = SpikeMonitor(fibres)
    detector_spikes = SpikeMonitor(detectors)
    net = Network(fibres, detectors, *wiring, fibre_spikes, detector_spikes)
    net.run(duration, namespace={})

    # Copies: from brian2 2.10 on, monitor arrays are views freed with the network.
    t = np.array(fibre_spikes.t_[:], dtype=float)
    i = np.array(fibre_spikes.i[:], dtype=np.int64)
    is_left = i < n_fibres
    return PathwayResult(
        left_freq=left, right_freq=right, duration=duration, mute=mute, seed=seed,
        beat=_hz(0.0 if mute is not None else abs(float(left) - float(right))),
        left_spike_times=_seconds(t[is_left]), left_fibre_indices=i[is_left],
        right_spike_times=_seconds(t[~is_left]), right_fibre_indices=i[~is_left] - n_fibres,
        detector_spike_times=_seconds(np.array(detector_spikes.t_[:], dtype=float)),
        detector_indices=np.array(detector_spikes.i[:], dtype=np.int64),
        n_fibres=n_fibres, n_detectors=n_detectors, inputs_per_side=k)


@dataclass(frozen=True, eq=False)
class DownstreamResult:
    """What :func:`run_downstream_stdp` measured.

    Attributes:
        pair_w, triplet_w: final weight of each detector's synapse; pair_post_count,
        triplet_post_count: post spikes; input_count: input spikes (all pooled); w0;
        poisson: True when the inputs were Poisson trains instead of the detectors' spikes.
    """

    pair_w: np.ndarray
    triplet_w: np.ndarray
    pair_post_count: int
    triplet_post_count: int
    input_count: int
    w0: float
    poisson: bool

    @property
    def pair_dw(self) -> float:  # mean weight change, pair rule
        return float(np.mean(self.pair_w) - self.w0)

    @property
    def triplet_dw(self) -> float:  # mean weight change, triplet rule
        return float(np.mean(self.triplet_w) - self.w0)


def _poisson_steps(n_inputs, n_spikes, steps, rng):
    """Homogeneous Poisson trains on the step grid with ``n_spikes`` spikes expected in all."""
    step, index = np.nonzero(rng.random((steps, n_inputs)) < n_spikes / (n_inputs * steps))
    return index, step


def run_downstream_stdp(pathway, *, pair_rule=THREAD_RULE, triplet_rule=VISUAL_CORTEX_MINIMAL, w0=THREAD_W0,
                        gmax=THREAD_GMAX, J=1.2 * mV, poisson=False, seed=0) -> DownstreamResult:
    """Detectors -> plastic synapses that drive a LIF neuron; one neuron per rule, one network.

    Each detector of ``pathway`` connects to a post-synaptic LIF neuron (:data:`POST_PARAMS`)
    through a synapse whose weight ``w`` both drives it (``v_post += J*w``) and learns
    (the pair rule, or the triplet rule in a second, identical neuron).

    Args:
        pathway: a :class:`PathwayResult` (its detectors' spikes are replayed).
        pair_rule, triplet_rule: the rules' constants.
        w0, gmax: initial weight and upper bound.
        J: the voltage jump of a weight-1 synapse, e.g. ``1.2*mV``.
        poisson: replace each detector's spikes by a Poisson train with the same expected
            count over all detectors (the timing control).
        seed: seeds the Poisson trains (a whole number >= 0).

    Example:
        >>> from brian2 import Hz, ms
        >>> p = run_binaural_pathway(400*Hz, 440*Hz, 50*ms, n_fibres=20, n_detectors=5)
        >>> r = run_downstream_stdp(p)
        >>> r.pair_w.shape
        (5,)
    """
    if not isinstance(pathway, PathwayResult):
        raise TypeError(f"pathway must be what run_binaural_pathway returns: got {pathway!r:.60}.")
    pair_rule = checked_rule(pair_rule)
    triplet_rule = checked_triplet_rule(triplet_rule)
    w0_f, gmax_f = require_weight_bounds(w0, gmax)
    J = require_positive(as_finite_quantity(J, volt, "J", single=True), "J")
    poisson = require_flag(poisson, "poisson")
    seed = require_whole_number(seed, "seed", example=0)
    dt = 1 / SAMPLERATE
    n = pathway.n_detectors
    steps = int(round(float(pathway.duration / dt)))
    if poisson:
        index, step = _poisson_steps(n, len(pathway.detector_indices), steps, np.random.default_rng(seed))
    else:
        index = pathway.detector_indices
        step = np.round(np.asarray(pathway.detector_spike_times) / float(dt)).astype(np.int64)
    clock = Clock(dt)
    inputs = SpikeGeneratorGroup(n, index, step * dt, clock=clock)
    post = NeuronGroup(2, "dv/dt = (E_L - v) / tau_m : volt (unless refractory)", threshold="v > V_th",
                       reset="v = V_r", refractory=POST_PARAMS["refractory"], method="exact", clock=clock,
                       namespace={k: POST_PARAMS[k] for k in ("tau_m", "E_L", "V_th", "V_r")})
    post.v = POST_PARAMS["E_L"]
    objects = [inputs, post]
    synapses = []
    for target, rule in ((0, pair_rule), (1, triplet_rule)):
        model, on_pre, on_post, namespace = rule.brian_model(gmax_f)
        syn = Synapses(inputs, post[target:target + 1], model, on_pre=on_pre + "\nv_post += J * w",
                       on_post=on_post, clock=clock, namespace={**namespace, "J": J})
        syn.connect()
        syn.w = w0_f
        synapses.append(syn)
        objects.append(syn)
    counts = SpikeMonitor(post)
    objects.append(counts)
    Network(*objects).run(pathway.duration, namespace={})
    post_counts = np.array(counts.count[:], dtype=np.int64)
    return DownstreamResult(pair_w=np.array(synapses[0].w[:], dtype=float),
                            triplet_w=np.array(synapses[1].w[:], dtype=float), pair_post_count=int(post_counts[0]),
                            triplet_post_count=int(post_counts[1]), input_count=len(index), w0=w0_f, poisson=poisson)
