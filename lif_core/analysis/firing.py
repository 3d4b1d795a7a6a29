"""Chapter 4: the refractory period caps the firing rate; the f–I curve.

Simulated f–I points (one vectorised :func:`lif_core.fi_curve` pass per curve), the
closed-form curves with and without refractoriness, and the firing at one operating
current, as small records in SI units that :mod:`lif_figures.firing` draws.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from lif_core import theory
from lif_core.analysis.spiking import mean_rate, start_potential
from lif_core.params import LIFParams
from lif_core.simulation import SimulationResult, fi_curve, simulate

__all__ = [
    "MAX_SPIKES_PER_STEP",
    "FICurves",
    "FIPoints",
    "OperatingPoint",
    "fi_curves",
    "fi_points",
    "operating_point",
    "operating_trace",
    "simulated_fi",
    "theory_currents",
]

#: Simulated f–I points are computed only where the closed-form rate gives at most this many
#: spikes per time step; the simulator refuses inputs far beyond what its grid resolves.
MAX_SPIKES_PER_STEP = 5.0


def theory_currents(rheobases: Sequence[float] | float, I_max: float, n: int = 400) -> np.ndarray:
    """Currents at which to draw closed-form f–I curves (A).

    A uniform grid on ``[0, I_max]`` plus points crowded just above each
    rheobase, where the rate rises with infinite slope.

    Parameters
    ----------
    rheobases : float or sequence of float
        Rheobase current(s) of the curves to draw (A).
    I_max : float
        Largest current (A), > 0.
    n : int
        Number of uniform grid points.

    Returns
    -------
    ndarray
        Sorted, unique currents (A).
    """
    parts = [np.linspace(0.0, I_max, n)]
    for rh in np.atleast_1d(np.asarray(rheobases, dtype=float)):
        if 0.0 <= rh < I_max:
            span = I_max - rh
            parts.append(rh + span * np.geomspace(1e-7, 0.05, 40))
            parts.append([rh])
    grid = np.unique(np.concatenate(parts))
    return grid[(grid >= 0.0) & (grid <= I_max)]


def simulated_fi(
    params: LIFParams,
    currents: np.ndarray,
    *,
    duration: float,
    dt: float = 1e-4,
    g_syn: float = 0.0,
    E_syn: float = 0.0,
) -> np.ndarray:
    """Simulated f–I rates (Hz) in one vectorised :func:`lif_core.fi_curve` pass.

    Parameters
    ----------
    params : LIFParams
        Neuron parameters.
    currents : ndarray
        Constant currents (A).
    duration, dt : float
        Simulated time per current and time step (s).
    g_syn, E_syn : float
        Optional tonic conductance (S) and its reversal potential (V).

    Returns
    -------
    ndarray
        Rate at each current (Hz); ``nan`` where the closed-form rate exceeds
        :data:`MAX_SPIKES_PER_STEP` spikes per ``dt`` (extreme sidebar settings
        without refractoriness), so those points are simply not drawn.
    """
    currents = np.asarray(currents, dtype=float)
    expected = np.asarray(theory.firing_rate(params, currents, g_syn, E_syn), dtype=float)
    ok = expected * dt <= MAX_SPIKES_PER_STEP
    rates = np.full(currents.shape, np.nan)
    if np.any(ok):
        fc = fi_curve(params, currents[ok], duration=duration, dt=dt, g_syn=g_syn, E_syn=E_syn)
        rates[ok] = fc.rate
    return rates


@dataclass(frozen=True)
class FIPoints:
    """Simulated f–I points with the neuron's refractory period and without (SI units).

    Attributes
    ----------
    I : ndarray
        Constant currents (A).
    rate, rate_noref : ndarray
        Simulated rate (Hz, 1 / mean ISI) with ``params.t_ref`` and with ``t_ref = 0``;
        ``nan`` where the simulation was not run (see :func:`simulated_fi`).
    duration : float
        Simulated time per current (s).
    """

    I: np.ndarray
    rate: np.ndarray
    rate_noref: np.ndarray
    duration: float


def fi_points(
    params: LIFParams, I_max: float, n: int = 41, *, duration: float = 0.5, dt: float = 1e-4
) -> FIPoints:
    """Simulate ``n`` evenly spaced currents on ``[0, I_max]``, with and without t_ref.

    Parameters
    ----------
    params : LIFParams
        Neuron parameters.
    I_max : float
        Largest current (A).
    n : int
        Number of currents.
    duration, dt : float
        Simulated time per current and time step (s).
    """
    currents = np.linspace(0.0, I_max, n)
    return FIPoints(
        I=currents,
        rate=simulated_fi(params, currents, duration=duration, dt=dt),
        rate_noref=simulated_fi(params.replace(t_ref=0.0), currents, duration=duration, dt=dt),
        duration=float(duration),
    )


@dataclass(frozen=True)
class FICurves:
    """The f–I chart of chapter 4: closed forms, simulated points, references (SI units).

    Attributes
    ----------
    params : LIFParams
        Neuron parameters; ``params.t_ref`` is the "with refractoriness" case.
    I_max : float
        Right end of the chart (A): at least the operating current.
    I : ndarray
        Currents of the closed-form curves (A), crowded just above the rheobase.
    rate, rate_noref : ndarray
        Closed-form rate (Hz) with ``params.t_ref`` and with ``t_ref = 0``:
        :math:`f = 1/(t_{ref} + T)`, 0 at and below the rheobase.
    asymptote : ndarray
        Large-current linear asymptote of the ``t_ref = 0`` rate (Hz), same currents.
    rheobase : float
        :math:`(V_{th} - E_L)/R` (A).
    ceiling : float
        :math:`1/t_{ref}` (Hz); ``inf`` when ``t_ref = 0``.
    points : FIPoints or None
        Simulated points, if any.
    I_op : float or None
        Operating current (A), marked on the curve.
    rate_op : float
        Closed-form rate at ``I_op`` (Hz); ``nan`` without one.
    """

    params: LIFParams
    I_max: float
    I: np.ndarray
    rate: np.ndarray
    rate_noref: np.ndarray
    asymptote: np.ndarray
    rheobase: float
    ceiling: float
    points: FIPoints | None
    I_op: float | None
    rate_op: float


def fi_curves(
    params: LIFParams,
    I_max: float,
    points: FIPoints | None = None,
    I_op: float | None = None,
) -> FICurves:
    """Closed-form f–I curves with and without refractoriness up to ``I_max`` (or ``I_op``).

    Parameters
    ----------
    params : LIFParams
        Neuron parameters.
    I_max : float
        Largest current (A); extended to ``I_op`` if that is larger.
    points : FIPoints, optional
        Simulated points to show with the curves (:func:`fi_points`).
    I_op : float, optional
        Operating current (A).
    """
    if I_op is not None:
        I_max = max(I_max, I_op)
    rh = float(params.rheobase)
    grid = theory_currents(rh, I_max)
    t_ref = float(params.t_ref)
    return FICurves(
        params=params,
        I_max=float(I_max),
        I=grid,
        rate=np.asarray(theory.firing_rate(params, grid), dtype=float),
        rate_noref=np.asarray(theory.firing_rate(params.replace(t_ref=0.0), grid), dtype=float),
        asymptote=np.asarray(theory.firing_rate_asymptote(params, grid), dtype=float),
        rheobase=rh,
        ceiling=1.0 / t_ref if t_ref > 0 else math.inf,
        points=points,
        I_op=None if I_op is None else float(I_op),
        rate_op=math.nan if I_op is None else float(theory.firing_rate(params, I_op)),
    )


@dataclass(frozen=True)
class OperatingPoint:
    """The numbers describing firing at one constant current (SI units).

    Attributes
    ----------
    I : float
        Injected current (A).
    V_inf : float
        Steady state without threshold, ``E_L + R I`` (V).
    rheobase : float
        Rheobase (A).
    T : float
        Time from reset to threshold (s); ``inf`` at and below the rheobase.
    t_ref : float
        Refractory period (s).
    isi : float
        Inter-spike interval ``t_ref + T`` (s); ``inf`` at and below the rheobase.
    rate_theory, rate_noref : float
        Closed-form rate with ``t_ref`` and with ``t_ref = 0`` (Hz).
    rate_sim : float
        Simulated rate, 1 / mean ISI (Hz); ``nan`` without a simulation.
    ceiling : float
        ``1 / t_ref`` (Hz); ``inf`` when ``t_ref = 0``.
    refractory_fraction : float
        Share of each interval spent refractory, ``t_ref / ISI``; ``nan`` if silent.
    """

    I: float
    V_inf: float
    rheobase: float
    T: float
    t_ref: float
    isi: float
    rate_theory: float
    rate_noref: float
    rate_sim: float
    ceiling: float
    refractory_fraction: float


def operating_point(
    params: LIFParams, I_op: float, spike_times: np.ndarray | None = None
) -> OperatingPoint:
    """Closed-form (and optionally simulated) firing at a constant current.

    Parameters
    ----------
    params : LIFParams
        Neuron parameters.
    I_op : float
        Constant current (A).
    spike_times : ndarray, optional
        Simulated spike times at this current (s), for the simulated rate.

    Notes
    -----
    :math:`T = \\tau\\ln\\frac{V_\\infty - V_{reset}}{V_\\infty - V_{th}}`, ISI
    :math:`= t_{ref} + T`, :math:`f = 1/(t_{ref} + T)`.
    """
    T = float(theory.time_to_threshold(params, I_op))
    t_ref = float(params.t_ref)
    return OperatingPoint(
        I=float(I_op),
        V_inf=float(theory.steady_state(params, I_op)),
        rheobase=float(params.rheobase),
        T=T,
        t_ref=t_ref,
        isi=t_ref + T,
        rate_theory=float(theory.firing_rate(params, I_op)),
        rate_noref=float(theory.firing_rate(params.replace(t_ref=0.0), I_op)),
        rate_sim=mean_rate(spike_times) if spike_times is not None else math.nan,
        ceiling=1.0 / t_ref if t_ref > 0 else math.inf,
        refractory_fraction=t_ref / (t_ref + T) if math.isfinite(T) else math.nan,
    )


def operating_trace(
    params: LIFParams, I_op: float, duration: float, dt: float = 1e-4
) -> tuple[SimulationResult | None, OperatingPoint]:
    """Simulate one neuron at a constant current and describe its firing.

    Parameters
    ----------
    params : LIFParams
        Neuron parameters.
    I_op : float
        Constant current (A).
    duration, dt : float
        Simulated time and time step (s).

    Returns
    -------
    result : SimulationResult or None
        The simulation (starting at :func:`~lif_core.analysis.spiking.start_potential`);
        None when the closed-form rate exceeds :data:`MAX_SPIKES_PER_STEP` spikes per
        ``dt``, which the simulator refuses (possible only without refractoriness).
    point : OperatingPoint
        Closed-form and simulated numbers at ``I_op`` (``rate_sim`` is nan
        without a simulation).
    """
    if theory.firing_rate(params, I_op) * dt > MAX_SPIKES_PER_STEP:
        return None, operating_point(params, I_op)
    result: Any = simulate(params, I=I_op, duration=duration, dt=dt, V0=start_potential(params))
    return result, operating_point(params, I_op, result.spike_times[0])
