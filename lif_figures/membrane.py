"""Figures for chapters 1 and 2: the passive membrane as an RC circuit and its equilibrium.

The builders draw the records of :mod:`lif_core.analysis.membrane` (simulation and closed
forms, SI units) as plotly figures in display units (:func:`lif_core.units.from_si`). They
assemble plain dicts (:class:`lif_figures.spec.FigureSpec`) and return read-only figures;
these half-width charts draw at most :data:`lif_figures.style.HALF_POINTS` points per trace,
rounded to :data:`lif_figures.style.DECIMALS`. Nothing here imports streamlit or computes
physics.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import plotly.graph_objects as go

from lif_core.analysis.membrane import PulseExperiment, Relaxation
from lif_core.units import from_si, to_si
from lif_figures._units import _ms, _mV, _nA
from lif_figures.spec import FigureSpec, markers, scatter
from lif_figures.style import COLORS, DASH_THEORY, HALF_POINTS, LABEL_FONT, even_indices, rounded

__all__ = [
    "X_TIME",
    "X_V",
    "Y_CURRENT",
    "Y_DVDT",
    "Y_V",
    "phase_line_figure",
    "rc_currents_figure",
    "rc_voltage_figure",
    "relaxation_figure",
]

X_TIME = "time (ms)"
Y_V = "membrane potential V (mV)"
Y_CURRENT = "current (nA)"
X_V = "membrane potential V (mV)"
Y_DVDT = "dV/dt (mV/ms)"


#: Smallest voltage span (mV) of a V(t) chart, so a flat trace is not drawn at round-off scale.
MIN_SPAN_MV = 2.0
#: Smallest current span (nA) of the current chart, for the same reason.
MIN_SPAN_NA = 0.2


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
        From :func:`lif_core.analysis.membrane.pulse_experiment`.
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
        (exp.t_63_on, exp.V_63_on, "τ: 63 %", "middle right"),
        (exp.t_63_off, exp.V_63_off, "τ: 63 %", "top right"),
    ):
        if math.isfinite(t_mark) and exp.amplitude != 0:
            marks_x.append(float(_ms(t_mark)))
            marks_y.append(float(_mV(V_mark)))
            labels.append(text)
            # right next to its marker, on the side away from the trace: under the rising
            # trace, above the falling one (a negative pulse mirrors the picture)
            up = exp.amplitude >= 0
            positions.append(where if up else {"top right": "bottom right"}.get(where, where))
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


def rc_currents_figure(exp: PulseExperiment, *, height: int = 400) -> go.Figure:
    """I(t), I_R(t) and I_C(t); the dashed sum I_R + I_C lies on top of I.

    Parameters
    ----------
    exp : PulseExperiment
        From :func:`lif_core.analysis.membrane.pulse_experiment`.
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


def _rate_display(dVdt: Any) -> Any:
    """dV/dt in V/s -> mV per ms."""
    return from_si(np.asarray(dVdt) * to_si(1.0, "ms"), "mV")


def phase_line_figure(rel: Relaxation, *, height: int = 430) -> go.Figure:
    """dV/dt against V: a straight line through the stable fixed point, with flow arrows.

    Parameters
    ----------
    rel : Relaxation
        From :func:`lif_core.analysis.membrane.relaxation_experiment`.
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
            name=_minus(f"stable fixed point V∞ = {v_inf:.1f} mV"),
            legendrank=1,
            marker=dict(color=COLORS["marker"], size=20, line=dict(color=COLORS["V"], width=2)),
        )
    )
    if abs(rel.V_inf - float(p.E_L)) > 1e-6:
        fig.add(
            markers(
                [float(_mV(p.E_L))],
                [0.0],
                name=_minus(f"E_L = {_mV(p.E_L):.0f} mV (rest at I = 0)"),
                marker=dict(
                    color="rgba(0,0,0,0)", size=16, line=dict(color=COLORS["reset"], width=3)
                ),
            )
        )
    fig.add(
        markers(
            _mV(rel.starts),
            _rate_display(rel.dVdt_starts),
            name="starting points",
            showlegend=False,
            marker=dict(color=COLORS["V"], size=10, symbol="circle-open", line=dict(width=3)),
        )
    )
    return fig.figure()


def relaxation_figure(rel: Relaxation, *, height: int = 430) -> go.Figure:
    """Trajectories released from several potentials, all relaxing to V∞.

    Parameters
    ----------
    rel : Relaxation
        From :func:`lif_core.analysis.membrane.relaxation_experiment`.
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
            name=_minus(f"fixed point V∞ = E_L + R·I = {v_inf:.1f} mV"),
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
