"""Chapter 6: shunting inhibition, below threshold and on the firing rate.

Below threshold an inhibitory conductance with its reversal potential at rest divides
excitatory responses (E and I no longer add linearly); on an LIF's firing rate it mostly
shifts the f–I curve to the right (Holt & Koch 1997). Each function returns a record in SI
units that :mod:`lif_figures.synapses` and :mod:`lif_figures.firing` draw.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy as np

from lif_core import stimulus, theory
from lif_core.analysis.firing import simulated_fi, theory_currents
from lif_core.params import LIFParams
from lif_core.simulation import simulate
from lif_core.units import from_si, to_si

__all__ = [
    "CONDITION_KINDS",
    "EPSP_G_EXC",
    "E_EXC",
    "REFERENCE_RATE",
    "SHUNT_DURATION",
    "TAU_EXC",
    "T_EXC",
    "T_INH_ON",
    "EPSPCurves",
    "InhibitionComparison",
    "InhibitionCondition",
    "InhibitionFI",
    "InhibitionSummary",
    "ShuntingDemo",
    "current_for_rate",
    "epsp_curves",
    "fi_current_range",
    "inhibition_comparison",
    "inhibition_conditions",
    "inhibition_fi",
    "inhibition_summary",
    "shunting_demo",
]

#: Timing of the shunting demo (s): inhibition switched on, excitatory event, end.
T_INH_ON = 0.02
T_EXC = 0.06
SHUNT_DURATION = 0.14
#: An EPSP smaller than this (V) is none: the ratios built on it are not defined.
_NO_EPSP = 1e-9
#: AMPA-like excitatory event used in chapter 6: reversal potential (V), decay (s).
E_EXC = 0.0
TAU_EXC = 5e-3
#: Excitatory peak conductances of the subthreshold input–output curves (S).
EPSP_G_EXC = np.linspace(0.0, 100e-9, 26)
#: Reference rate at which the f–I shift and gain of inhibition are measured (Hz).
REFERENCE_RATE = 100.0
#: The kinds of tonic inhibition compared, in order.
CONDITION_KINDS = ("none", "shunting", "hyperpolarising")


class InhibitionCondition(NamedTuple):
    """One tonic inhibitory condition (SI units)."""

    kind: str  #: "none", "shunting" (E_inh = E_L) or "hyperpolarising" (E_inh < E_L)
    g: float  #: tonic inhibitory conductance (S)
    E_syn: float  #: its reversal potential (V)


def inhibition_conditions(
    params: LIFParams, g_inh: float, dE_hyp: float
) -> tuple[InhibitionCondition, InhibitionCondition, InhibitionCondition]:
    """No inhibition, shunting inhibition (E_inh = E_L) and hyperpolarising inhibition.

    Parameters
    ----------
    params : LIFParams
        Neuron parameters.
    g_inh : float
        Tonic inhibitory conductance of both inhibited conditions (S).
    dE_hyp : float
        Reversal potential of the hyperpolarising inhibition relative to rest,
        ``E_inh - E_L`` (V), negative.

    Returns
    -------
    tuple of InhibitionCondition
        ``(none, shunting, hyperpolarising)``.
    """
    E_L = float(params.E_L)
    return (
        InhibitionCondition("none", 0.0, E_L),
        InhibitionCondition("shunting", float(g_inh), E_L),
        InhibitionCondition("hyperpolarising", float(g_inh), E_L + float(dE_hyp)),
    )


def fi_current_range(params: LIFParams, conditions: Sequence[InhibitionCondition]) -> float:
    """A current range (A) that shows every condition's rheobase and some firing above it.

    Twice the largest rheobase (at least 2 nA), rounded up to a whole nA.
    """
    rh = max(float(theory.rheobase(params, c.g, c.E_syn)) for c in conditions)
    I_max_nA = float(from_si(max(2.0 * rh, 2e-9), "nA"))
    return float(to_si(math.ceil(round(I_max_nA, 9)), "nA"))


def current_for_rate(params: LIFParams, g: float, E_syn: float, rate: float) -> float:
    """Smallest constant current (A) that fires at ``rate`` (Hz) in closed form; nan if none.

    Notes
    -----
    Inverts :math:`f = 1/(t_{ref} + \\tau_{eff}\\ln q)` with
    :math:`q = (V_\\infty - V_{reset})/(V_\\infty - V_{th})`:
    :math:`V_\\infty = (q V_{th} - V_{reset})/(q - 1)` with
    :math:`q = e^{(1/f - t_{ref})/\\tau_{eff}}`, then
    :math:`I = (1/R + g) V_\\infty - E_L/R - g E_{syn}`. No current reaches
    :math:`f \\ge 1/t_{ref}`.
    """
    if params.t_ref > 0 and rate >= 1.0 / params.t_ref:
        return math.nan
    _, tau_eff = theory.conductance_steady_state(params, g, E_syn)
    T = 1.0 / rate - params.t_ref
    # (q V_th - V_reset)/(q - 1), written without the cancellation of nearly equal terms
    V_inf = params.V_th + (params.V_th - params.V_reset) / math.expm1(T / float(tau_eff))
    return float(V_inf * (1.0 / params.R + g) - params.E_L / params.R - g * E_syn)


class InhibitionSummary(NamedTuple):
    """How one inhibitory condition changes the f–I curve (SI units)."""

    kind: str  #: the condition's kind
    rheobase: float  #: rheobase (A)
    rheobase_shift: float  #: rheobase minus that without inhibition (A)
    I_ref: float  #: current that gives the reference rate (A); nan if never reached
    shift_ref: float  #: I_ref minus that without inhibition (A)
    gain_ref: float  #: slope df/dI at the reference rate (Hz/A)
    gain_ratio: float  #: that slope divided by the slope without inhibition
    tau_eff: float  #: effective membrane time constant (s)
    V_rest: float  #: resting potential with this conductance (V)


def inhibition_summary(
    params: LIFParams,
    conditions: Sequence[InhibitionCondition],
    reference_rate: float = REFERENCE_RATE,
) -> list[InhibitionSummary]:
    """Shift and gain change of the f–I curve under each condition (closed form).

    Parameters
    ----------
    params : LIFParams
        Neuron parameters.
    conditions : sequence of InhibitionCondition
        The first one is the reference (normally "no inhibition").
    reference_rate : float
        Rate at which the horizontal shift and the slope are measured (Hz).

    Returns
    -------
    list of InhibitionSummary
        One per condition.

    Notes
    -----
    A pure shift (subtractive inhibition) moves the curve right and keeps its
    slope (``gain_ratio`` = 1); a divisive effect would lower the slope
    (``gain_ratio`` < 1). The slope is the closed form
    :func:`lif_core.theory.firing_rate_slope`.
    """
    out = []
    base_I = base_gain = base_rh = math.nan
    for k, c in enumerate(conditions):
        rh = float(theory.rheobase(params, c.g, c.E_syn))
        I_ref = current_for_rate(params, c.g, c.E_syn, reference_rate)
        if math.isfinite(I_ref):
            gain = float(theory.firing_rate_slope(params, I_ref, c.g, c.E_syn))
        else:
            gain = math.nan
        V_rest, tau_eff = theory.conductance_steady_state(params, c.g, c.E_syn)
        if k == 0:
            base_I, base_gain, base_rh = I_ref, gain, rh
        out.append(
            InhibitionSummary(
                kind=c.kind,
                rheobase=rh,
                rheobase_shift=rh - base_rh,
                I_ref=I_ref,
                shift_ref=I_ref - base_I,
                gain_ref=gain,
                gain_ratio=gain / base_gain if base_gain else math.nan,
                tau_eff=float(tau_eff),
                V_rest=float(V_rest),
            )
        )
    return out


class InhibitionFI(NamedTuple):
    """f–I curves under tonic inhibition: closed form and simulated points (SI units)."""

    params: LIFParams
    conditions: tuple[InhibitionCondition, ...]
    I_max: float  #: right end of the chart (A)
    I: np.ndarray  #: currents of the closed-form curves (A)
    rates: tuple[np.ndarray, ...]  #: closed-form rate per condition (Hz)
    rheobases: tuple[float, ...]  #: rheobase per condition (A)
    I_sim: np.ndarray  #: currents of the simulated points (A)
    rates_sim: tuple[np.ndarray, ...]  #: simulated rate per condition (Hz)
    reference_rate: float  #: rate at which shifts are measured (Hz)


def inhibition_fi(
    params: LIFParams,
    conditions: Sequence[InhibitionCondition],
    I_max: float,
    *,
    n_sim: int = 31,
    duration: float = 0.5,
    dt: float = 1e-4,
    reference_rate: float = REFERENCE_RATE,
) -> InhibitionFI:
    """Closed-form and simulated f–I curves under each condition, one pass per condition."""
    rh = tuple(float(theory.rheobase(params, c.g, c.E_syn)) for c in conditions)
    grid = theory_currents(rh, I_max)
    currents = np.linspace(0.0, I_max, n_sim)
    return InhibitionFI(
        params=params,
        conditions=tuple(conditions),
        I_max=float(I_max),
        I=grid,
        rates=tuple(
            np.asarray(theory.firing_rate(params, grid, c.g, c.E_syn), dtype=float)
            for c in conditions
        ),
        rheobases=rh,
        I_sim=currents,
        rates_sim=tuple(
            simulated_fi(params, currents, duration=duration, dt=dt, g_syn=c.g, E_syn=c.E_syn)
            for c in conditions
        ),
        reference_rate=float(reference_rate),
    )


class ShuntingDemo(NamedTuple):
    """E alone, I alone and E+I on a passive membrane, and how they sum (SI units).

    Peaks are deflections from rest, ``V − E_L``, after the excitatory event.
    """

    t: np.ndarray  #: time grid (s)
    dt: float  #: time step (s)
    params: LIFParams
    g_exc: np.ndarray  #: excitatory conductance (S)
    g_inh: np.ndarray  #: inhibitory conductance (S), a step switched on at T_INH_ON
    E_inh: float  #: inhibitory reversal potential (V)
    V: dict[str, np.ndarray]  #: "E", "I", "E+I" -> V (V); "E + I (sum)" linear prediction
    peak_E: float  #: peak of V − E_L with E alone (V)
    peak_I: float  #: largest deflection V − E_L with I alone, signed (V)
    peak_EI: float  #: peak of V − E_L with E and I together (V)
    linear: float  #: peak(E) + peak(I), the linear prediction (V)
    nonlinear: float  #: peak(E+I) − (peak(E) + peak(I)) (V)
    nonlinear_fraction: float  #: that difference as a fraction of peak(E)
    epsp_E: float  #: EPSP amplitude from the pre-event baseline, E alone (V)
    epsp_EI: float  #: EPSP amplitude from the pre-event baseline, with inhibition (V)
    epsp_ratio: float  #: epsp_EI / epsp_E (the divisive factor)
    conductance_ratio: float  #: g_L / (g_L + g_inh) = tau_eff / tau (steady-state factor)
    tau: float  #: membrane time constant without inhibition (s)
    tau_eff: float  #: with the inhibitory conductance (s)
    V_rest_inh: float  #: resting potential with the inhibitory conductance (V)


def _exc_event(g_max: Any, duration: float, dt: float) -> np.ndarray:
    """Conductance of one AMPA-like event at ``T_EXC`` per peak value in ``g_max`` (S)."""
    return stimulus.synaptic_conductance([T_EXC], 1.0, TAU_EXC, duration, dt) * np.reshape(
        np.asarray(g_max, dtype=float), (-1, 1)
    )


def shunting_demo(
    params: LIFParams,
    g_exc: float,
    g_inh: float,
    dE_inh: float = 0.0,
    *,
    duration: float = SHUNT_DURATION,
    dt: float = 1e-4,
) -> ShuntingDemo:
    """An excitatory event with and without a tonic inhibitory conductance, below threshold.

    Parameters
    ----------
    params : LIFParams
        Neuron parameters (simulated as a passive membrane: no threshold).
    g_exc : float
        Peak conductance of the AMPA-like excitatory event at ``T_EXC`` (S).
    g_inh : float
        Inhibitory conductance, switched on at ``T_INH_ON`` and kept (S).
    dE_inh : float
        Inhibitory reversal potential relative to rest, ``E_inh − E_L`` (V);
        0 is pure shunting inhibition.
    duration, dt : float
        Simulated time and time step (s).

    Notes
    -----
    ``peak_I`` is the signed deflection of largest size of I alone after the
    excitatory event. Linear summation would give ``peak(E+I) = peak(E) + peak(I)``.
    The steady-state factor is :math:`\\tau_{eff}/\\tau = g_L/(g_L + g_{inh})`.
    """
    E_L = float(params.E_L)
    E_inh = E_L + dE_inh
    gE = _exc_event(g_exc, duration, dt)[0]
    gI = stimulus.step(g_inh, T_INH_ON, duration, dt)
    zero = np.zeros_like(gE)
    res = simulate(
        params,
        I=0.0,
        g_syn=[np.stack([gE, zero, gE]), np.stack([zero, gI, gI])],
        E_syn=[E_EXC, E_inh],
        duration=duration,
        dt=dt,
        spiking=False,
    )
    V_E, V_I, V_EI = res.V
    window = res.t >= T_EXC
    k0 = int(np.argmax(window))
    dev_E, dev_I, dev_EI = (v[window] - E_L for v in (V_E, V_I, V_EI))
    peak_E = float(dev_E.max())
    peak_I = float(dev_I[np.argmax(np.abs(dev_I))])
    peak_EI = float(dev_EI.max())
    linear = peak_E + peak_I
    nonlinear = peak_EI - linear
    epsp_E = float(V_E[window].max() - V_E[k0])
    epsp_EI = float(V_EI[window].max() - V_EI[k0])
    V_rest, tau_eff = theory.conductance_steady_state(params, g_inh, E_inh)
    # without excitation the "EPSP" is round-off (about 1e-15 V): no ratio to show
    excited = g_exc > 0
    return ShuntingDemo(
        t=res.t,
        dt=res.dt,
        params=params,
        g_exc=gE,
        g_inh=gI,
        E_inh=E_inh,
        V={"E": V_E, "I": V_I, "E+I": V_EI, "E + I (sum)": V_E + V_I - E_L},
        peak_E=peak_E,
        peak_I=peak_I,
        peak_EI=peak_EI,
        linear=linear,
        nonlinear=nonlinear,
        nonlinear_fraction=nonlinear / peak_E if excited and peak_E > _NO_EPSP else math.nan,
        epsp_E=epsp_E,
        epsp_EI=epsp_EI,
        epsp_ratio=epsp_EI / epsp_E if excited and epsp_E > _NO_EPSP else math.nan,
        conductance_ratio=float(tau_eff / params.tau),
        tau=float(params.tau),
        tau_eff=float(tau_eff),
        V_rest_inh=float(V_rest),
    )


class EPSPCurves(NamedTuple):
    """Peak depolarisation against excitatory strength under each inhibitory condition."""

    g_exc: np.ndarray  #: excitatory peak conductances (S)
    peak: dict[str, np.ndarray]  #: condition kind -> peak V − E_L after the event (V)
    conditions: tuple[InhibitionCondition, ...]


def epsp_curves(
    params: LIFParams,
    g_exc: np.ndarray,
    conditions: Sequence[InhibitionCondition],
    *,
    duration: float = SHUNT_DURATION,
    dt: float = 1e-4,
) -> EPSPCurves:
    """Subthreshold input–output curves, one vectorised passive simulation.

    Parameters
    ----------
    params : LIFParams
        Neuron parameters (passive membrane).
    g_exc : ndarray
        Excitatory peak conductances (S).
    conditions : sequence of InhibitionCondition
        Tonic inhibition (switched on at ``T_INH_ON``) for each curve.
    duration, dt : float
        Simulated time and time step (s).
    """
    g_exc = np.asarray(g_exc, dtype=float)
    K, n_cond = g_exc.size, len(conditions)
    gE = np.tile(_exc_event(g_exc, duration, dt), (n_cond, 1))
    # one inhibitory synapse per condition, non-zero only on that condition's rows
    g_inh = []
    for j, c in enumerate(conditions):
        gI = np.zeros_like(gE)
        gI[j * K : (j + 1) * K] = stimulus.step(c.g, T_INH_ON, duration, dt)
        g_inh.append(gI)
    res = simulate(
        params,
        I=0.0,
        g_syn=[gE, *g_inh],
        E_syn=[E_EXC, *(c.E_syn for c in conditions)],
        duration=duration,
        dt=dt,
        spiking=False,
    )
    window = res.t >= T_EXC
    peak_all = res.V[:, window].max(axis=1) - params.E_L
    peaks = {c.kind: peak_all[j * K : (j + 1) * K] for j, c in enumerate(conditions)}
    return EPSPCurves(g_exc=g_exc, peak=peaks, conditions=tuple(conditions))


class InhibitionComparison(NamedTuple):
    """No, shunting and hyperpolarising inhibition compared (chapter 6's lower half)."""

    conditions: tuple[InhibitionCondition, ...]
    epsp: EPSPCurves
    fi: InhibitionFI
    summary: list[InhibitionSummary]


def inhibition_comparison(
    params: LIFParams,
    g_inh: float,
    dE_hyp: float,
    *,
    n_sim: int = 31,
    duration: float = 0.5,
) -> InhibitionComparison:
    """Subthreshold curves, f–I curves and the shift/gain summary for the three conditions.

    Parameters
    ----------
    params : LIFParams
        Neuron parameters.
    g_inh : float
        Tonic inhibitory conductance (S).
    dE_hyp : float
        Hyperpolarising reversal potential relative to rest (V).
    n_sim, duration : int, float
        Simulated f–I points per condition and simulated time per point (s).
    """
    conditions = inhibition_conditions(params, g_inh, dE_hyp)
    I_max = fi_current_range(params, conditions)
    return InhibitionComparison(
        conditions=conditions,
        epsp=epsp_curves(params, EPSP_G_EXC, conditions),
        fi=inhibition_fi(params, conditions, I_max, n_sim=n_sim, duration=duration),
        summary=inhibition_summary(params, conditions),
    )
