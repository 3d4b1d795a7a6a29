"""Chapters 1 and 2: the passive membrane as an RC circuit, and its equilibrium.

Each function simulates with :func:`lif_core.simulate`, adds the closed forms of
:mod:`lif_core.theory` and returns a small record in SI units, which
:mod:`lif_figures.membrane` draws.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from lif_core import stimulus, theory
from lif_core.params import LIFParams
from lif_core.simulation import simulate
from lif_core.units import to_si

__all__ = [
    "DEFAULT_STARTS",
    "ONE_MINUS_INV_E",
    "PulseExperiment",
    "Relaxation",
    "choose_dt",
    "pulse_experiment",
    "pulse_response_theory",
    "relaxation_experiment",
]

#: Fraction of the way to the target covered after one time constant.
ONE_MINUS_INV_E = 1.0 - math.exp(-1.0)

_NICE_DT = (1e-4, 5e-5, 2e-5, 1e-5, 5e-6)  # all divide 1 ms: slider times fall on the grid


def choose_dt(tau: float, duration: float, max_steps: int = 50_000) -> float:
    """Time step (s) that resolves ``tau`` and keeps the run short.

    The largest of 0.1, 0.05, 0.02, 0.01, 0.005 ms that is at most ``tau / 10``,
    unless that needs more than ``max_steps`` steps for ``duration``. Every
    candidate divides 1 ms, so onsets and widths in whole ms fall on the grid.
    """
    for dt in _NICE_DT:
        if dt <= tau / 10:
            break
    while duration / dt > max_steps and dt < _NICE_DT[0]:
        dt = _NICE_DT[_NICE_DT.index(dt) - 1]
    return dt


# --------------------------------------------------------------------------- chapter 1


@dataclass(frozen=True)
class PulseExperiment:
    """A current pulse into the passive membrane: simulation and closed form (SI units).

    Attributes
    ----------
    params : LIFParams
        Neuron parameters (threshold ignored: ``spiking=False``).
    amplitude, onset, width : float
        Pulse height (A), start (s) and duration (s).
    t : ndarray
        Time grid (s).
    V, V_theory : ndarray
        Simulated and closed-form membrane potential (V).
    I, I_R, I_C : ndarray
        Injected, resistive and capacitive current (A); ``I = I_R + I_C``.
    V_inf : float
        Plateau the charging curve heads for, ``E_L + R * amplitude`` (V).
    V_end : float
        Closed-form potential at the end of the pulse (V).
    t_63_on, V_63_on : float
        One time constant after the onset and the potential there (63 % of the
        way to ``V_inf``); ``nan`` if the pulse ends before.
    t_63_off, V_63_off : float
        One time constant after the end of the pulse and the potential there
        (63 % of the way back to ``E_L``); ``nan`` if outside the window.
    """

    params: LIFParams
    amplitude: float
    onset: float
    width: float
    t: np.ndarray
    V: np.ndarray
    V_theory: np.ndarray
    I: np.ndarray
    I_R: np.ndarray
    I_C: np.ndarray
    V_inf: float
    V_end: float
    t_63_on: float
    V_63_on: float
    t_63_off: float
    V_63_off: float


def pulse_response_theory(
    params: LIFParams, amplitude: float, onset: float, width: float, t: Any
) -> np.ndarray:
    """Closed-form response of the passive membrane to a rectangular pulse (V).

    Rest before the onset, charging towards ``E_L + R I`` during the pulse,
    discharging back to ``E_L`` after it (:func:`lif_core.theory.charging`
    piece by piece).

    Parameters
    ----------
    params : LIFParams
        Neuron parameters.
    amplitude, onset, width : float
        Pulse height (A), start (s) and duration (s).
    t : ndarray
        Times (s).
    """
    t = np.asarray(t, dtype=float)
    off = onset + width
    V_end = float(theory.charging(params, width, amplitude))
    on_part = theory.charging(params, np.clip(t - onset, 0.0, None), amplitude)
    off_part = theory.charging(params, np.clip(t - off, 0.0, None), 0.0, V0=V_end)
    return np.where(t < onset, params.E_L, np.where(t < off, on_part, off_part))


def pulse_experiment(
    params: LIFParams, amplitude: float, onset: float, width: float
) -> PulseExperiment:
    """Simulate a current pulse into the passive membrane and its closed form.

    The window covers the pulse and about five time constants of discharge
    (between 20 ms and 1 s of it).

    Parameters
    ----------
    params : LIFParams
        Neuron parameters.
    amplitude : float
        Pulse height (A).
    onset : float
        Pulse start (s), >= 0.
    width : float
        Pulse duration (s), > 0.
    """
    tau = float(params.tau)
    duration = onset + width + min(max(5 * tau, 20e-3), 1.0)
    dt = choose_dt(tau, duration)
    current = stimulus.pulse(amplitude, onset, width, duration, dt)
    res = simulate(params, current, duration=duration, dt=dt, spiking=False)
    t = res.t
    V_inf = float(theory.steady_state(params, amplitude))
    V_end = float(theory.charging(params, width, amplitude))
    nan = float("nan")
    t_on = onset + tau if tau <= width else nan
    V_on = float(theory.charging(params, tau, amplitude)) if tau <= width else nan
    t_off = onset + width + tau if onset + width + tau <= t[-1] else nan
    V_off = (
        float(theory.charging(params, tau, 0.0, V0=V_end)) if onset + width + tau <= t[-1] else nan
    )
    return PulseExperiment(
        params=params,
        amplitude=amplitude,
        onset=onset,
        width=width,
        t=t,
        V=res.V[0],
        V_theory=pulse_response_theory(params, amplitude, onset, width, t),
        I=res.I[0],
        I_R=res.I_R[0],
        I_C=res.I_C[0],
        V_inf=V_inf,
        V_end=V_end,
        t_63_on=t_on,
        V_63_on=V_on,
        t_63_off=t_off,
        V_63_off=V_off,
    )


#: Default starting potentials of the relaxation experiment (V).
DEFAULT_STARTS = tuple(float(to_si(v, "mV")) for v in (-90, -80, -70, -60, -50, -40, -30))


@dataclass(frozen=True)
class Relaxation:
    """Phase line and trajectories of the passive membrane under a constant current (SI).

    The phase line is :math:`\\tau\\,dV/dt = V_\\infty - V` with :math:`V_\\infty = E_L + R I`:
    a straight line of slope :math:`-1/\\tau` through the stable fixed point.

    Attributes
    ----------
    params : LIFParams
        Neuron parameters.
    I : float
        Constant injected current (A).
    V_inf : float
        Fixed point ``E_L + R I`` (V).
    V_grid, dVdt : ndarray
        The phase line: potentials (V) and ``dV/dt`` there (V/s).
    starts : ndarray
        Starting potentials (V).
    t : ndarray
        Time grid (s).
    dVdt_starts : ndarray
        ``dV/dt`` at the starting potentials (V/s): where they sit on the phase line.
    V, V_theory : ndarray, shape (n_starts, n_steps)
        Simulated and closed-form trajectories (V).
    """

    params: LIFParams
    I: float
    V_inf: float
    V_grid: np.ndarray
    dVdt: np.ndarray
    starts: np.ndarray
    dVdt_starts: np.ndarray
    t: np.ndarray
    V: np.ndarray
    V_theory: np.ndarray


def relaxation_experiment(
    params: LIFParams,
    I: float = 0.0,
    starts: Sequence[float] = DEFAULT_STARTS,
) -> Relaxation:
    """Release the passive membrane from several potentials under a constant current.

    Parameters
    ----------
    params : LIFParams
        Neuron parameters (threshold ignored).
    I : float
        Constant injected current (A).
    starts : sequence of float
        Starting potentials (V).
    """
    tau = float(params.tau)
    V_inf = float(theory.steady_state(params, I))
    starts_arr = np.asarray(starts, dtype=float)
    lo = min(float(starts_arr.min()), V_inf) - 10e-3
    hi = max(float(starts_arr.max()), V_inf) + 10e-3
    V_grid = np.linspace(lo, hi, 201)
    dVdt = (V_inf - V_grid) / tau  # tau dV/dt = -(V - E_L) + R I = V_inf - V
    duration = max(5 * tau, 5e-3)
    dt = duration / 2000  # exact integration: the step only sets the sampling
    res = simulate(params, I, duration=duration, dt=dt, V0=starts_arr, spiking=False)
    V_theory = theory.charging(params, res.t[None, :], I, V0=starts_arr[:, None])
    return Relaxation(
        params=params,
        I=float(I),
        V_inf=V_inf,
        V_grid=V_grid,
        dVdt=dVdt,
        starts=starts_arr,
        dVdt_starts=(V_inf - starts_arr) / tau,
        t=res.t,
        V=res.V,
        V_theory=np.asarray(V_theory),
    )
