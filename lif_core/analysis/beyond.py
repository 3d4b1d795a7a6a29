"""Chapter 7, what the LIF leaves out: each section puts an LIF beside a richer model.

Every function here runs the richer model and an LIF under the *same* stimulus and
returns one small record (SI units) for the figure builders in
:mod:`lif_figures.beyond`:

- :func:`spike_shape`: a Hodgkin–Huxley action potential against the LIF's
  threshold-and-reset (:class:`SpikeShape`);
- :func:`ringing_and_rebound`: a small pulse (HH rings, the LIF relaxes) and a
  hyperpolarising pulse (HH fires a rebound spike, the LIF cannot)
  (:class:`RingingRebound`);
- :func:`fi_classes` and :func:`fi_operating`: class 2 (HH) against class 1 (LIF)
  f–I curves and the traces at one current (:class:`FIClasses`, :class:`FIOperating`);
- adaptation and bursting (AdEx) are in :mod:`lif_core.analysis.adaptation`, soma
  versus dendrite input in :mod:`lif_core.analysis.dendrites`.

The LIF in each section is the richer model's **twin** (:func:`hh_lif_twin`,
:func:`lif_core.analysis.adaptation.adex_lif_twin`): the same resting potential,
capacitance and input resistance, and the same rheobase, so that the differences come
from what the LIF leaves out. The f–I comparison uses :func:`hh_rate_twin`, which also
matches the HH's rate at 20 nA.
"""

from __future__ import annotations

import functools
import math
from dataclasses import replace
from typing import NamedTuple

import numpy as np

from lif_core import simulate, stimulus, theory
from lif_core._validate import check_range
from lif_core.models.hh import (
    DT_HH,
    HHParams,
    HHResult,
    resting_state,
    simulate_hh,
    stability,
    steady_current,
)
from lif_core.params import LIFParams
from lif_core.simulation import SimulationResult

__all__ = [
    "FI_PROTOCOL",
    "HH",
    "HH_ONSET",
    "HH_ONSET_RATE",
    "HH_TOP_CURRENT",
    "HH_TOP_RATE",
    "FIClasses",
    "FIOperating",
    "RingingRebound",
    "SpikeShape",
    "fi_classes",
    "fi_operating",
    "hh_lif_twin",
    "hh_rate",
    "hh_rate_twin",
    "hopf_current",
    "ringing_and_rebound",
    "spike_shape",
]

#: The Hodgkin–Huxley membrane of this chapter: 1952 squid axon at 6.3 °C, 0.1 mm²
#: (C = 1 nF; 1 nA is 1 µA/cm²).
HH = HHParams()

#: Smallest DC step (A) that makes the default HH fire repetitively (protocol:
#: :data:`FI_PROTOCOL`); measured by bisection in ``tests/test_models_hh.py``.
HH_ONSET = 6.26e-9
#: Its firing rate just above the onset (Hz): the jump of a class 2 neuron.
HH_ONSET_RATE = 51.0
#: Right end of the f–I chart (A) and the HH's rate there (Hz, tested).
HH_TOP_CURRENT = 20e-9
HH_TOP_RATE = 86.4

#: How the HH f–I curve is measured.
FI_PROTOCOL = (
    "from rest, a DC step at t = 0; rate = 1 / mean interval of the spikes in the second "
    "half of a 0.5 s run, 0 with fewer than two spikes there (a single spike at the onset "
    "counts as 0 Hz)"
)

#: Duration and skipped transient of the f–I protocol (s), and its time step.
FI_DURATION, FI_SKIP, FI_DT = 0.5, 0.25, 5e-5


def hh_rate(spike_times: np.ndarray, skip: float) -> float:
    """Rate (Hz) as 1 / mean interval of the spikes after ``skip`` (s); 0 with fewer than 2."""
    s = np.asarray(spike_times)[np.asarray(spike_times) >= skip]
    if s.size < 2:
        return 0.0
    return float((s.size - 1) / (s[-1] - s[0]))


#: Refractory period of the LIF twins (s): the app's default.
TWIN_T_REF = 2e-3


@functools.lru_cache(maxsize=8)
def hh_lif_twin(params: HHParams = HH) -> LIFParams:
    """The LIF twin of an HH membrane: what an LIF can match of it below threshold.

    - ``E_L``: the HH resting potential; ``C``: its capacitance;
    - ``R``: its input resistance at rest, 1 / slope of the steady-state I–V curve
      (what a small DC step measures: 0.857 MΩ for the default membrane, τ = 0.86 ms);
    - ``V_th``: chosen so that the rheobase is the HH's onset, ``E_L + R * HH_ONSET``
      (−59.6 mV); ``V_reset = E_L``; ``t_ref`` = 2 ms.

    The onset is that of the default HH (:data:`HH_ONSET`); for other parameters only
    ``E_L``, ``R`` and ``C`` follow them.
    """
    V_rest = float(resting_state(params, 0.0).V)
    dV = 1e-6
    slope = (steady_current(params, V_rest + dV) - steady_current(params, V_rest - dV)) / (2 * dV)
    R = 1.0 / float(slope)
    return LIFParams(
        R=R, C=params.C, E_L=V_rest, V_th=V_rest + R * HH_ONSET, V_reset=V_rest, t_ref=TWIN_T_REF
    )


@functools.lru_cache(maxsize=8)
def hh_rate_twin(params: HHParams = HH) -> LIFParams:
    """The LIF of the f–I comparison: the twin's rheobase, and the HH's rate at 20 nA.

    An LIF reset to rest has :math:`f(I) = 1/(t_{ref} + \\tau \\ln(I/(I - I_{rh})))`: its
    f–I curve depends only on ``tau``, ``t_ref`` and the rheobase. The twin of
    :func:`hh_lif_twin` has the HH's fast membrane (τ = 0.86 ms), so its rate climbs from
    0 within a few pA of its rheobase, too steeply to see on a chart. This one keeps the
    twin's rest, resistance, threshold (hence rheobase) and t_ref, and takes the
    capacitance that makes it fire at :data:`HH_TOP_RATE` at :data:`HH_TOP_CURRENT`
    (τ = 25.5 ms): the two curves start at the same current and end at the same rate.
    """
    twin = hh_lif_twin(params)
    tau = (1.0 / HH_TOP_RATE - twin.t_ref) / math.log(
        HH_TOP_CURRENT / (HH_TOP_CURRENT - twin.rheobase)
    )
    return twin.replace(C=tau / twin.R)


def _lif_run(lif: LIFParams, I: np.ndarray, duration: float, dt: float) -> SimulationResult:
    return simulate(lif, I=I, duration=duration, dt=dt)


# --------------------------------------------------------------------------- spike shape


class SpikeShape(NamedTuple):
    """An HH action potential and the LIF twin's threshold-and-reset, same current pulse.

    Potentials in V, times in s. ``peak``, ``half_width``, ``ahp`` are nan if HH does not
    fire. ``half_width``: time above the level halfway between rest and peak
    (crossings interpolated); ``ahp``: lowest V after the peak minus rest (negative).
    """

    hh: HHResult
    lif: SimulationResult
    lif_params: LIFParams
    amplitude: float
    onset: float
    width: float
    V_rest: float
    peak: float
    t_peak: float
    half_width: float
    ahp: float
    t_ahp: float


def _crossing_times(t: np.ndarray, V: np.ndarray, level: float) -> tuple[float, float]:
    """First upward and first following downward crossing of ``level`` (linear interpolation)."""
    above = V >= level
    up = np.flatnonzero(~above[:-1] & above[1:])
    if up.size == 0:
        return math.nan, math.nan
    k = up[0]
    t_up = t[k] + (level - V[k]) / (V[k + 1] - V[k]) * (t[k + 1] - t[k])
    down = np.flatnonzero(above[k + 1 : -1] & ~above[k + 2 :])
    if down.size == 0:
        return t_up, math.nan
    j = k + 1 + down[0]
    t_down = t[j] + (level - V[j]) / (V[j + 1] - V[j]) * (t[j + 1] - t[j])
    return float(t_up), float(t_down)


def spike_shape(
    amplitude: float,
    width: float = 1e-3,
    *,
    onset: float = 2e-3,
    duration: float = 25e-3,
    dt: float = DT_HH,
    params: HHParams = HH,
) -> SpikeShape:
    """HH and its LIF twin under one rectangular current pulse.

    Parameters
    ----------
    amplitude : float
        Pulse amplitude (A).
    width : float
        Pulse duration (s), > 0.
    onset, duration, dt : float
        Pulse start, simulated time and time step (s).
    params : HHParams
        The HH membrane; the LIF is :func:`hh_lif_twin` of it.
    """
    check_range("width", width, low=0.0, low_open=True, unit="s")
    I = stimulus.pulse(amplitude, onset, width, duration, dt)
    hh = simulate_hh(params, I, duration=duration, dt=dt)
    lif_params = hh_lif_twin(params)
    lif = _lif_run(lif_params, I, duration, dt)
    V = hh.V[0]
    V_rest = float(V[0])
    nan = math.nan
    peak = t_peak = half_width = ahp = t_ahp = nan
    if hh.spike_times[0].size:
        k = int(np.argmax(V))
        peak, t_peak = float(V[k]), float(hh.t[k])
        up, down = _crossing_times(hh.t, V, 0.5 * (V_rest + peak))
        half_width = down - up
        j = k + int(np.argmin(V[k:]))
        ahp, t_ahp = float(V[j] - V_rest), float(hh.t[j])
    return SpikeShape(
        hh, lif, lif_params, amplitude, onset, width, V_rest, peak, t_peak, half_width, ahp, t_ahp
    )


# --------------------------------------------------------------------------- ringing, rebound


class RingingRebound(NamedTuple):
    """HH and the LIF twin after a small pulse and after a hyperpolarising pulse (SI).

    ``ring_*`` describe the small pulse: the HH's largest depolarisation and its
    undershoot below rest after the pulse (negative: it rings), the LIF's; the
    ringing frequency and decay time come from the linearised HH at rest
    (:func:`lif_core.models.hh.stability`). ``rebound_*``: spikes after the
    hyperpolarising pulse ends.
    """

    small: HHResult
    small_lif: SimulationResult
    hyper: HHResult
    hyper_lif: SimulationResult
    lif_params: LIFParams
    V_rest: float
    onset: float
    small_amplitude: float
    small_width: float
    hyper_amplitude: float
    hyper_width: float
    ring_peak: float
    ring_undershoot: float
    lif_peak: float
    lif_undershoot: float
    ring_frequency: float
    ring_decay: float
    rebound_spikes: np.ndarray
    lif_rebound_spikes: np.ndarray


def ringing_and_rebound(
    small_amplitude: float,
    hyper_amplitude: float,
    hyper_width: float,
    *,
    small_width: float = 1e-3,
    onset: float = 5e-3,
    duration: float = 60e-3,
    dt: float = DT_HH,
    params: HHParams = HH,
) -> RingingRebound:
    """A small current pulse and a hyperpolarising pulse, each into HH and its LIF twin.

    Parameters
    ----------
    small_amplitude : float
        Amplitude of the small pulse (A), e.g. 2 nA.
    hyper_amplitude : float
        Amplitude of the hyperpolarising pulse (A), <= 0.
    hyper_width : float
        Duration of the hyperpolarising pulse (s), > 0.
    small_width, onset, duration, dt : float
        Small pulse duration, common pulse start, simulated time, time step (s).
    """
    check_range("hyper_amplitude", hyper_amplitude, high=0.0, unit="A")
    check_range("hyper_width", hyper_width, low=0.0, low_open=True, unit="s")
    I_small = stimulus.pulse(small_amplitude, onset, small_width, duration, dt)
    I_hyper = stimulus.pulse(hyper_amplitude, onset, hyper_width, duration, dt)
    both = simulate_hh(params, np.vstack([I_small, I_hyper]), duration=duration, dt=dt)
    small = _row(both, 0)
    hyper = _row(both, 1)
    lif_params = hh_lif_twin(params)
    lifs = _lif_run(lif_params, np.vstack([I_small, I_hyper]), duration, dt)
    small_lif = _lif_row(lifs, 0)
    hyper_lif = _lif_row(lifs, 1)
    V_rest = float(small.V[0, 0])
    after = small.t >= onset + small_width
    after_lif = small_lif.t >= onset + small_width
    ev = stability(params, 0.0)
    pair = ev[np.abs(ev.imag) > 0]
    freq = float(abs(pair[0].imag) / (2 * np.pi)) if pair.size else 0.0
    decay = float(-1.0 / pair[0].real) if pair.size else math.nan
    end = onset + hyper_width
    return RingingRebound(
        small=small,
        small_lif=small_lif,
        hyper=hyper,
        hyper_lif=hyper_lif,
        lif_params=lif_params,
        V_rest=V_rest,
        onset=onset,
        small_amplitude=small_amplitude,
        small_width=small_width,
        hyper_amplitude=hyper_amplitude,
        hyper_width=hyper_width,
        ring_peak=float(small.V[0].max() - V_rest),
        ring_undershoot=float(small.V[0][after].min() - V_rest),
        lif_peak=float(small_lif.V[0].max() - lif_params.E_L),
        lif_undershoot=float(small_lif.V[0][after_lif].min() - lif_params.E_L),
        ring_frequency=freq,
        ring_decay=decay,
        rebound_spikes=hyper.spike_times[0][hyper.spike_times[0] >= end],
        lif_rebound_spikes=hyper_lif.spike_times[0][hyper_lif.spike_times[0] >= end],
    )


def _row(res: HHResult, i: int) -> HHResult:
    """Condition ``i`` of a several-condition HH result, as a result of its own."""
    one = slice(i, i + 1)
    return replace(
        res,
        V=res.V[one],
        n=res.n[one],
        m=res.m[one],
        h=res.h[one],
        I=res.I[one],
        spike_times=(res.spike_times[i],),
    )


def _lif_row(res: SimulationResult, i: int) -> SimulationResult:
    """Neuron ``i`` of a several-neuron LIF result, as a result of its own."""
    one = slice(i, i + 1)
    return replace(
        res,
        V=res.V[one],
        spike_times=(res.spike_times[i],),
        refractory=res.refractory[one],
        I=res.I[one],
    )


# --------------------------------------------------------------------------- f–I curves


class FIClasses(NamedTuple):
    """HH (class 2) and LIF twin (class 1) f–I curves (A, Hz).

    ``hh_rate`` is simulated with :data:`FI_PROTOCOL`; ``lif_rate`` is the closed form of
    the LIF of :func:`hh_rate_twin` on the finer grid ``lif_currents``. ``onset``: the
    HH's onset (A) and ``onset_rate`` its rate there (Hz); ``hopf``: the current (A)
    above which the HH resting state is unstable. Between ``onset`` and ``hopf`` the HH is bistable:
    resting and firing both persist (which one depends on the history).
    """

    currents: np.ndarray
    hh_rate: np.ndarray
    lif_currents: np.ndarray
    lif_rate: np.ndarray
    lif_params: LIFParams
    onset: float
    onset_rate: float
    hopf: float
    protocol: str


def hopf_current(params: HHParams = HH, low: float = 0.0, high: float = 20e-9) -> float:
    """Current (A) where the HH resting state loses stability (bisection, to 1 pA).

    Below it every eigenvalue of :func:`lif_core.models.hh.stability` has a negative
    real part; above it a complex pair has crossed (a Hopf bifurcation; 9.78 µA/cm²
    for the default membrane).
    """
    if stability(params, high)[0].real < 0:
        return math.inf
    while high - low > 1e-12:
        mid = 0.5 * (low + high)
        if stability(params, mid)[0].real < 0:
            low = mid
        else:
            high = mid
    return 0.5 * (low + high)


def fi_classes(I_max: float = HH_TOP_CURRENT, n: int = 41, params: HHParams = HH) -> FIClasses:
    """The HH f–I curve (``n`` currents, one vectorised run) and the LIF twin's closed form.

    Cost: one numpy pass over :data:`FI_DURATION` at :data:`FI_DT` (about 1 s of CPU);
    the page computes it once per process.
    """
    check_range("I_max", I_max, low=0.0, low_open=True, unit="A")
    currents = np.linspace(0.0, I_max, n)
    res = simulate_hh(params, currents[:, None], duration=FI_DURATION, dt=FI_DT)
    rate = np.array([hh_rate(s, FI_SKIP) for s in res.spike_times])
    lif_params = hh_rate_twin(params)
    fine = np.linspace(0.0, I_max, 401)
    fine = np.union1d(fine, [lif_params.rheobase])
    return FIClasses(
        currents=currents,
        hh_rate=rate,
        lif_currents=fine,
        lif_rate=np.asarray(theory.firing_rate(lif_params, fine), dtype=float),
        lif_params=lif_params,
        onset=HH_ONSET,
        onset_rate=HH_ONSET_RATE,
        hopf=hopf_current(params),
        protocol=FI_PROTOCOL,
    )


class FIOperating(NamedTuple):
    """HH and the f–I LIF at one DC current (A): traces and steady rates (Hz).

    ``hh_rate``: 1 / mean interval of the HH spikes after ``skip`` (s); ``lif_rate``: the
    LIF's closed form (exact; a short trace holds too few of its slow spikes).
    """

    I: float
    hh: HHResult
    lif: SimulationResult
    hh_rate: float
    lif_rate: float
    skip: float
    lif_params: LIFParams


def fi_operating(
    I: float, *, duration: float = 0.2, skip: float = 0.1, params: HHParams = HH
) -> FIOperating:
    """Both models under the DC step ``I`` (A) from rest for ``duration`` (s)."""
    hh = simulate_hh(params, float(I), duration=duration, dt=DT_HH)
    lif_params = hh_rate_twin(params)
    lif = simulate(lif_params, I=float(I), duration=duration, dt=DT_HH)
    return FIOperating(
        I=float(I),
        hh=hh,
        lif=lif,
        hh_rate=hh_rate(hh.spike_times[0], skip),
        lif_rate=float(theory.firing_rate(lif_params, float(I))),
        skip=skip,
        lif_params=lif_params,
    )
