"""Figures for chapters 1 and 2: the passive membrane as an RC circuit and its equilibrium.

Each chart comes in two steps (optuna ``_edf`` style): a function that
computes the numbers (simulation with :func:`lif_core.simulate`, closed forms
from :mod:`lif_core.theory`) and returns a small record in SI units, and a
builder that draws that record as a plotly figure in display units
(:func:`lif_core.units.from_si`). The builders assemble plain dicts
(:class:`lif_figures.spec.FigureSpec`) and return read-only figures; these
half-width charts draw at most :data:`lif_figures.style.HALF_POINTS` points per
trace, rounded to :data:`lif_figures.style.DECIMALS`. Nothing here imports
streamlit.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import plotly.graph_objects as go

from lif_core import simulate, stimulus, theory
from lif_core.params import LIFParams
from lif_core.units import from_si, to_si
from lif_figures._units import _ms, _mV, _nA
from lif_figures.spec import FigureSpec, markers, scatter
from lif_figures.style import COLORS, DASH_THEORY, HALF_POINTS, LABEL_FONT, even_indices, rounded

__all__ = [
    "ONE_MINUS_INV_E",
    "X_TIME",
    "X_V",
    "Y_CURRENT",
    "Y_DVDT",
    "Y_V",
    "PulseExperiment",
    "Relaxation",
    "choose_dt",
    "phase_line_figure",
    "pulse_experiment",
    "pulse_response_theory",
    "rc_currents_figure",
    "rc_voltage_figure",
    "relaxation_experiment",
    "relaxation_figure",
]

X_TIME = "time (ms)"
Y_V = "membrane potential V (mV)"
Y_CURRENT = "current (nA)"
X_V = "membrane potential V (mV)"
Y_DVDT = "dV/dt (mV/ms)"

#: Fraction of the way to the target covered after one time constant.
ONE_MINUS_INV_E = 1.0 - math.exp(-1.0)

#: Smallest voltage span (mV) of a V(t) chart, so a flat trace is not drawn at round-off scale.
MIN_SPAN_MV = 2.0
#: Smallest current span (nA) of the current chart, for the same reason.
MIN_SPAN_NA = 0.2

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


def _pulse_indices(exp: PulseExperiment) -> np.ndarray:
    """Samples drawn of a pulse experiment: at most ``HALF_POINTS``, both sides of each switch.

    Every trace of both chapter 1 charts uses the same samples, so the dashed
    ``I_R + I_C`` lies point by point on ``I`` and the pulse edges stay vertical.
    """
    switches = np.flatnonzero(np.diff(exp.I) != 0)
    return even_indices(len(exp.t), HALF_POINTS, np.concatenate([switches, switches + 1]))


def _minus(text: str) -> str:
    """``text`` with true minus signs."""
    return text.replace("-", "−")


def rc_voltage_figure(exp: PulseExperiment, *, height: int = 420) -> go.Figure:
    """V(t) during and after the pulse: simulation (solid), closed form (dashed), τ marks.

    Parameters
    ----------
    exp : PulseExperiment
        From :func:`pulse_experiment`.
    height : int
        Figure height (px).

    Returns
    -------
    go.Figure
        Read-only (see :class:`lif_figures.spec.SpecFigure`). Traces (by name):
        ``"simulated V(t)"`` (solid), ``"closed form"`` (dashed), and
        ``"one τ after the switch"`` (markers) when the pulse lasts a time
        constant; shapes: dotted lines at V∞ and E_L, labelled on their outer
        side, and the pulse interval shaded (a legend entry).
    """
    p = exp.params
    fig = FigureSpec(X_TIME, Y_V, height=height)
    idx = _pulse_indices(exp)
    t_ms = rounded(_ms(exp.t[idx]), "ms")
    fig.add(
        scatter(
            x=t_ms,
            y=rounded(_mV(exp.V[idx]), "mV"),
            mode="lines",
            name="simulated V(t)",
            line=dict(color=COLORS["V"], width=4),
        )
    )
    fig.add(
        scatter(
            x=t_ms,
            y=rounded(_mV(exp.V_theory[idx]), "mV"),
            mode="lines",
            name="closed form",
            line=dict(color=COLORS["theory"], width=3, dash=DASH_THEORY),
        )
    )
    # plateau and rest, labelled on their outer side (away from the trace between them)
    up = exp.amplitude >= 0
    fig.hline(
        float(_mV(exp.V_inf)),
        line=dict(color=COLORS["theory"], width=1.5, dash="dot"),
        label=_minus(f"V∞ = E_L + R·I = {_mV(exp.V_inf):.1f} mV"),
        label_position="top right" if up else "bottom right",
    )
    fig.hline(
        float(_mV(p.E_L)),
        line=dict(color=COLORS["reset"], width=1.5, dash="dot"),
        label=_minus(f"E_L = {_mV(p.E_L):.0f} mV"),
        label_position="bottom right" if up else "top right",
    )
    # one time constant after switching on / off: 63 % of the way
    marks_x, marks_y, labels = [], [], []
    positions = []
    for t_mark, V_mark, text, where in (
        (exp.t_63_on, exp.V_63_on, "τ: 63 % charged", "middle right"),
        (exp.t_63_off, exp.V_63_off, "τ: 63 % discharged", "bottom left"),
    ):
        if math.isfinite(t_mark) and exp.amplitude != 0:
            marks_x.append(float(_ms(t_mark)))
            marks_y.append(float(_mV(V_mark)))
            labels.append(text)
            # a negative pulse mirrors the picture: the discharge label goes right of its
            # marker, under the recovering trace, clear of E_L and the pulse label
            positions.append(where if exp.amplitude >= 0 else "middle right")
    if marks_x:
        fig.add(
            markers(
                marks_x,
                marks_y,
                mode="markers+text",
                text=labels,
                textposition=positions,
                textfont=dict(size=LABEL_FONT),
                cliponaxis=False,
                marker=dict(color=COLORS["marker"], size=16, symbol="diamond", line=dict(width=0)),
                name="one τ after the switch",
                hovertemplate="%{text}<br>t = %{x:.1f} ms<br>V = %{y:.2f} mV<extra></extra>",
            )
        )
    # the pulse interval, shaded
    fig.vrect(
        float(_ms(exp.onset)),
        float(_ms(exp.onset + exp.width)),
        fillcolor=COLORS["I"],
        opacity=0.12,
        line=dict(width=0),
        # in the legend, not on the chart: no label position is clear of the trace for
        # every amplitude, sign and width
        name=_minus(f"pulse {_nA(exp.amplitude):.2g} nA"),
        showlegend=True,
    )
    # a zero (or tiny) pulse: show at least 2 mV, not the round-off of a flat line
    lo = min(float(_mV(p.E_L)), float(_mV(exp.V_inf)))
    hi = max(float(_mV(p.E_L)), float(_mV(exp.V_inf)))
    if hi - lo < MIN_SPAN_MV:
        mid = (lo + hi) / 2
        fig.yaxis(range=[mid - MIN_SPAN_MV / 2, mid + MIN_SPAN_MV / 2])
    return fig.figure()


def rc_currents_figure(exp: PulseExperiment, *, height: int = 360) -> go.Figure:
    """I(t), I_R(t) and I_C(t); the dashed sum I_R + I_C lies on top of I.

    Parameters
    ----------
    exp : PulseExperiment
        From :func:`pulse_experiment`.
    height : int
        Figure height (px).

    Returns
    -------
    go.Figure
        Read-only (see :class:`lif_figures.spec.SpecFigure`). Traces (by name):
        ``"injected I"``, ``"I_R = (V−E_L)/R"``, ``"I_C = C·dV/dt"`` and the
        dashed ``"I_R + I_C"``, all on the same time samples.
    """
    fig = FigureSpec(X_TIME, Y_CURRENT, height=height)
    idx = _pulse_indices(exp)
    t_ms = rounded(_ms(exp.t[idx]), "ms")
    for values, name, line, extra in (
        (exp.I, "injected I", dict(color=COLORS["I"], width=8), dict(opacity=0.6)),
        (exp.I_R, "I_R = (V−E_L)/R", dict(color=COLORS["I_R"], width=3), {}),
        (exp.I_C, "I_C = C·dV/dt", dict(color=COLORS["I_C"], width=3), {}),
        (
            exp.I_R + exp.I_C,
            "I_R + I_C",
            dict(color=COLORS["theory"], width=3, dash=DASH_THEORY),
            {},
        ),
    ):
        y = rounded(_nA(values[idx]), "nA")
        fig.add(scatter(x=t_ms, y=y, mode="lines", name=name, line=line, **extra))
    # no current: show ±MIN_SPAN_NA / 2, not the round-off of I_R and I_C (1e-14 nA)
    peak = float(np.max(np.abs(_nA(np.concatenate([exp.I, exp.I_R, exp.I_C])))))
    if peak < MIN_SPAN_NA / 2:
        fig.yaxis(range=[-MIN_SPAN_NA / 2, MIN_SPAN_NA / 2])
    return fig.figure()


# --------------------------------------------------------------------------- chapter 2


#: Default starting potentials of the relaxation experiment (V).
DEFAULT_STARTS = tuple(float(to_si(v, "mV")) for v in (-90, -80, -70, -60, -50, -40, -30))


@dataclass(frozen=True)
class Relaxation:
    """Phase line and trajectories of the passive membrane under a constant current (SI).

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
    V, V_theory : ndarray, shape (n_starts, n_steps)
        Simulated and closed-form trajectories (V).
    """

    params: LIFParams
    I: float
    V_inf: float
    V_grid: np.ndarray
    dVdt: np.ndarray
    starts: np.ndarray
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
        t=res.t,
        V=res.V,
        V_theory=np.asarray(V_theory),
    )


def _rate_display(dVdt: Any) -> Any:
    """dV/dt in V/s -> mV per ms."""
    return from_si(np.asarray(dVdt) * to_si(1.0, "ms"), "mV")


def phase_line_figure(rel: Relaxation, *, height: int = 460) -> go.Figure:
    """dV/dt against V: a straight line through the stable fixed point, with flow arrows.

    Parameters
    ----------
    rel : Relaxation
        From :func:`relaxation_experiment`.
    height : int
        Figure height (px).

    Returns
    -------
    go.Figure
        Read-only (see :class:`lif_figures.spec.SpecFigure`). Traces (by name):
        the line ``"dV/dt = (V∞ − V)/τ"``, the marker ``"stable fixed point V∞
        = ..."``, the marker ``"E_L = ..."`` when it differs from V∞, and the
        ``"starting points"``; a line at dV/dt = 0 and flow arrows
        (annotations) pointing towards the fixed point.
    """
    p = rel.params
    fig = FigureSpec(X_V, Y_DVDT, height=height)
    x = _mV(rel.V_grid)
    fig.add(
        scatter(
            x=rounded(x, "mV"),
            y=rounded(_rate_display(rel.dVdt), "mV/ms"),
            mode="lines",
            name="dV/dt = (V∞ − V)/τ",
            line=dict(color=COLORS["V"], width=4),
        )
    )
    fig.hline(0.0, line=dict(color=COLORS["reset"], width=1.5))
    # flow arrows on the V axis, pointing towards the fixed point
    v_inf = float(_mV(rel.V_inf))
    span = float(x[-1] - x[0])
    length = span / 14
    for xa in np.linspace(x[0] + span / 16, x[-1] - span / 16, 8):
        gap = xa - v_inf
        if abs(gap) < 1.2 * length or abs(xa - float(_mV(p.E_L))) < 0.8 * length:
            continue  # keep the fixed point and the E_L marker clear
        direction = -1.0 if gap > 0 else 1.0
        fig.annotate(
            float(xa + direction * length / 2),
            0.0,
            "",
            ax=float(xa - direction * length / 2),
            ay=0.0,
            axref="x",
            ayref="y",
            showarrow=True,
            arrowhead=2,
            arrowsize=1.3,
            arrowwidth=3,
            arrowcolor=COLORS["theory"],
        )
    fig.add(
        markers(
            [v_inf],
            [0.0],
            name=f"stable fixed point V∞ = {v_inf:.1f} mV",
            legendrank=1,
            marker=dict(color=COLORS["marker"], size=20, line=dict(color=COLORS["V"], width=2)),
        )
    )
    if abs(rel.V_inf - float(p.E_L)) > 1e-6:
        fig.add(
            markers(
                [float(_mV(p.E_L))],
                [0.0],
                name=f"E_L = {_mV(p.E_L):.0f} mV (rest at I = 0)",
                marker=dict(
                    color="rgba(0,0,0,0)", size=16, line=dict(color=COLORS["reset"], width=3)
                ),
            )
        )
    fig.add(
        markers(
            _mV(rel.starts),
            _rate_display((rel.V_inf - rel.starts) / p.tau),
            name="starting points",
            showlegend=False,
            marker=dict(color=COLORS["V"], size=10, symbol="circle-open", line=dict(width=3)),
        )
    )
    return fig.figure()


def relaxation_figure(rel: Relaxation, *, height: int = 460) -> go.Figure:
    """Trajectories released from several potentials, all relaxing to V∞.

    Parameters
    ----------
    rel : Relaxation
        From :func:`relaxation_experiment`.
    height : int
        Figure height (px).

    Returns
    -------
    go.Figure
        Read-only (see :class:`lif_figures.spec.SpecFigure`). One
        ``"simulated V(t)"`` trace per start (legend group ``"sim"``, at most
        ``HALF_POINTS`` points each), the dashed ``"fixed point V∞ = ..."``, and
        a dotted line at t = τ when it falls in the window.
    """
    fig = FigureSpec(X_TIME, Y_V, height=height)
    idx = even_indices(len(rel.t), HALF_POINTS)
    t_ms = rounded(_ms(rel.t[idx]), "ms")
    for i, V in enumerate(rel.V):
        fig.add(
            scatter(
                x=t_ms,
                y=rounded(_mV(V[idx]), "mV"),
                mode="lines",
                name="simulated V(t)",
                legendgroup="sim",
                showlegend=i == 0,
                line=dict(color=COLORS["V"], width=3),
                hovertemplate=f"start {_mV(rel.starts[i]):.0f} mV<br>"
                + "t = %{x:.1f} ms<br>V = %{y:.1f} mV<extra></extra>",
            )
        )
    v_inf = float(_mV(rel.V_inf))
    t_end = float(_ms(rel.t[-1]))
    fig.add(
        scatter(
            x=[float(_ms(rel.t[0])), t_end],
            y=[v_inf, v_inf],
            mode="lines",
            name=f"fixed point V∞ = E_L + R·I = {v_inf:.1f} mV",
            line=dict(color=COLORS["theory"], width=3, dash=DASH_THEORY),
        )
    )
    tau_ms = float(_ms(rel.params.tau))
    if tau_ms <= t_end:
        fig.vline(
            tau_ms,
            line=dict(color=COLORS["marker"], width=1.5, dash="dot"),
            label="t = τ",
            label_position="top right",
        )
    return fig.figure()
