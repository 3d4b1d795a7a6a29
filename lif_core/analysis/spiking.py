"""Chapter 3: threshold, reset and the resulting spike train.

:func:`spiking_experiment` simulates the LIF neuron under a constant or step current and
measures rate and inter-spike interval, in a record (SI units) that
:mod:`lif_figures.spiking` draws.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from lif_core import stimulus, theory
from lif_core.params import LIFParams
from lif_core.simulation import simulate

__all__ = ["KINDS", "SpikingExperiment", "mean_rate", "spiking_experiment", "start_potential"]

#: Kinds of input current on the chapter 3 page.
KINDS = ("constant", "step")


def start_potential(params: LIFParams) -> float:
    """Initial potential for a spiking simulation (V): ``E_L``, or ``V_reset`` if ``E_L >= V_th``.

    A neuron whose resting potential is at or above threshold fires on its own;
    it is started as if it had just spiked, since :func:`lif_core.simulate`
    needs ``V0 < V_th``.
    """
    return float(params.E_L) if params.E_L < params.V_th else float(params.V_reset)


def mean_rate(spike_times: np.ndarray) -> float:
    """Firing rate as 1 / mean inter-spike interval (Hz); 0 with fewer than 2 spikes.

    Parameters
    ----------
    spike_times : ndarray
        Spike times of one neuron (s).
    """
    spike_times = np.asarray(spike_times, dtype=float)
    if spike_times.size < 2:
        return 0.0
    return float(1.0 / np.mean(np.diff(spike_times)))


@dataclass(frozen=True)
class SpikingExperiment:
    """A LIF neuron under a constant or step current, and what it did (SI units).

    Attributes
    ----------
    params : LIFParams
        Neuron parameters.
    kind : str
        ``"constant"`` (on from t = 0) or ``"step"`` (switched on at ``onset``).
    amplitude : float
        Current (A).
    onset : float
        When the current is switched on (s); 0 for ``"constant"``.
    duration : float
        Simulated time (s).
    t, V, I : ndarray
        Time grid (s), membrane potential (V), injected current (A).
    spike_times : ndarray
        Spike times (s).
    isi : float
        Mean inter-spike interval (s); ``nan`` with fewer than two spikes.
    rate : float
        Measured rate, ``1 / isi`` (Hz); 0 with fewer than two spikes.
    rate_theory : float
        Steady-state rate from :func:`lif_core.theory.firing_rate` (Hz).
    rheobase : float
        ``(V_th - E_L) / R`` (A).
    above_rheobase : bool
        Whether ``amplitude`` exceeds the rheobase (the neuron keeps firing).
    V0 : float
        Starting potential (V): ``E_L``, or ``V_reset`` if ``E_L`` is not below threshold.
    """

    params: LIFParams
    kind: str
    amplitude: float
    onset: float
    duration: float
    t: np.ndarray
    V: np.ndarray
    I: np.ndarray
    spike_times: np.ndarray
    isi: float
    rate: float
    rate_theory: float
    rheobase: float
    above_rheobase: bool
    V0: float


def spiking_experiment(
    params: LIFParams,
    amplitude: float,
    kind: str = "constant",
    onset: float = 0.1,
    duration: float = 0.5,
    dt: float = 5e-5,
) -> SpikingExperiment:
    """Simulate the LIF neuron under a constant or step current.

    Parameters
    ----------
    params : LIFParams
        Neuron parameters.
    amplitude : float
        Current (A).
    kind : {"constant", "step"}
        Constant from t = 0, or a step switched on at ``onset``.
    onset : float
        Step onset (s); ignored for ``"constant"``.
    duration : float
        Simulated time (s).
    dt : float
        Time step (s).

    Notes
    -----
    The neuron starts at ``E_L``. If ``E_L >= V_th`` (a neuron that fires
    without input) it starts at ``V_reset`` instead. The rate is the inverse
    mean inter-spike interval, so the first interval from rest does not count.
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")
    if kind == "constant":
        onset = 0.0
        current: Any = stimulus.constant(amplitude, duration, dt)
    else:
        current = stimulus.step(amplitude, onset, duration, dt)
    V0 = start_potential(params)
    res = simulate(params, current, duration=duration, dt=dt, V0=V0)
    spikes = np.asarray(res.spike_times[0], dtype=float)
    rate = mean_rate(spikes)
    isi = 1.0 / rate if rate > 0 else float("nan")
    rheobase = float(theory.rheobase(params))
    return SpikingExperiment(
        params=params,
        kind=kind,
        amplitude=float(amplitude),
        onset=float(onset),
        duration=float(duration),
        t=res.t,
        V=res.V[0],
        I=res.I[0],
        spike_times=spikes,
        isi=isi,
        rate=rate,
        rate_theory=float(theory.firing_rate(params, amplitude)),
        rheobase=rheobase,
        above_rheobase=bool(amplitude > rheobase),
        V0=V0,
    )
