"""Figures for chapter 4 (refractory period, f–I curve) and the f–I part of chapter 6.

The builders draw records of :mod:`lif_core.analysis.firing` and
:mod:`lif_core.analysis.inhibition` (and :class:`lif_core.SimulationResult`) in display
units (:func:`lif_core.units.from_si`). They compute no physics and never import streamlit.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import plotly.graph_objects as go

from lif_core.analysis.firing import FICurves
from lif_core.analysis.inhibition import InhibitionCondition, InhibitionFI
from lif_core.params import LIFParams
from lif_figures._units import _fmt, _ms, _mV, _nA, _nS
from lif_figures.spec import FigureSpec, scatter
from lif_figures.style import (
    COLORS,
    DASH_THEORY,
    LABEL_FONT,
    MAX_POINTS,
    downsample,
)

__all__ = [
    "CONDITION_COLORS",
    "condition_label",
    "fi_figure",
    "inhibition_fi_figure",
    "voltage_trace_figure",
]

X_CURRENT = "current (nA)"
Y_RATE = "rate (Hz)"
X_TIME = "time (ms)"
Y_V = "membrane potential V (mV)"

#: Height of the spike marks drawn above threshold in V(t) charts (mV).
SPIKE_HEIGHT_MV = 10.0


def _mV_text(V: float) -> str:
    """A potential (V) as label text in mV, with a true minus sign."""
    return f"{_fmt(_mV(V))} mV".replace("-", "−")


#: Outline of simulated points: invisible on a light background, a light rim that lifts
#: the dark Okabe-Ito blue and green off a dark one.
_RIM = dict(width=1, color="rgba(255,255,255,0.6)")


def _segment(x: list[float], y: list[float], name: str, color: str, dash: str) -> dict[str, Any]:
    """A straight reference line from ``(x[0], y[0])`` to ``(x[1], y[1])``."""
    return scatter(
        x=x,
        y=y,
        mode="lines",
        name=name,
        line=dict(color=color, width=2, dash=dash),
        hoverinfo="name",
    )


def _vline(
    x: float, y0: float, y1: float, name: str, color: str, dash: str = "dot"
) -> dict[str, Any]:
    return _segment([x, x], [y0, y1], name, color, dash)


def _hline(
    y: float, x0: float, x1: float, name: str, color: str, dash: str = "dot"
) -> dict[str, Any]:
    return _segment([x0, x1], [y, y], name, color, dash)


#: The f–I chart shows rates up to this multiple of the ceiling 1/t_ref: the t_ref = 0 curve
#: (which has no bound) may leave the top, where a label says where it goes.
FI_TOP_CEILINGS = 2.0

#: Height of a label on the f–I chart, as a share of its rate range (for placing labels
#: clear of the curves: 22 px of a ~300 px plot).
_LABEL_SHARE = 0.08


def _exit(x: np.ndarray, y: np.ndarray, y_max: float) -> float | None:
    """Where a rising curve ``y(x)`` first reaches ``y_max`` (interpolated), or None."""
    above = np.flatnonzero(y >= y_max)
    if above.size == 0:
        return None
    k = int(above[0])
    if k == 0:
        return float(x[0])
    x0, x1, y0, y1 = x[k - 1], x[k], y[k - 1], y[k]
    return float(x0 + (x1 - x0) * (y_max - y0) / (y1 - y0)) if y1 != y0 else float(x1)


def fi_figure(curves: FICurves, *, height: int = 460) -> go.Figure:
    """f–I curve with and without refractoriness: simulated points over the closed form.

    Parameters
    ----------
    curves : FICurves
        From :func:`lif_core.analysis.firing.fi_curves`.
    height : int
        Figure height (px).

    Returns
    -------
    go.Figure
        Traces (by name): ``"theory, t_ref = … ms"`` and ``"theory, t_ref = 0"``
        (dashed; the legend entries of the two curves), ``"simulated, t_ref = … ms"`` and
        ``"simulated, t_ref = 0"`` (markers, hollow squares for t_ref = 0, in the legend group
        of their curve), ``"asymptote, t_ref = 0"`` (dotted, drawn over the points),
        ``"rheobase …"``, ``"ceiling 1/t_ref = … Hz"`` (only when ``t_ref > 0``) and
        ``"operating point"`` (with an operating current).

    Notes
    -----
    With ``t_ref > 0`` the rate axis ends at :data:`FI_TOP_CEILINGS` times the ceiling (or
    at the highest rate, if lower), so the ceiling and the bend towards it fill the chart;
    the t_ref = 0 curve and its asymptote may leave the top, and a label at the exit says
    how high the curve climbs by the last current. Labels sit where no curve passes: the
    rheobase to the left of its line (no rate there but 0), rotated; the ceiling below its
    line at the right end, or above it there when the t_ref curve comes too close.
    """
    t_ref = float(curves.params.t_ref)
    rh = curves.rheobase
    I_max = curves.I_max
    x = _nA(curves.I)
    pts = curves.points

    top = max(curves.rate.max(initial=0.0), curves.rate_noref.max(initial=0.0), 10.0)
    if pts is not None:
        for r in (pts.rate, pts.rate_noref):
            if np.any(np.isfinite(r)):
                top = max(top, float(np.nanmax(r)))
    if t_ref > 0:
        # the ceiling and the bend towards it fill the chart; t_ref = 0 may leave the top
        top = min(top, FI_TOP_CEILINGS * curves.ceiling)
    y_max = 1.08 * top

    tref_label = f"t_ref = {_fmt(_ms(t_ref))} ms"
    fig = FigureSpec(X_CURRENT, Y_RATE, height=height)
    if pts is not None:
        xs = _nA(pts.I)
        fig.add(
            scatter(
                x=xs,
                y=pts.rate_noref,
                mode="markers",
                name="simulated, t_ref = 0",
                legendgroup="t_ref = 0",
                showlegend=False,
                # hollow: the asymptote and the dashed closed form show through
                marker=dict(color=COLORS["alt"], size=8, symbol="square-open", line=dict(width=2)),
            )
        )
        fig.add(
            scatter(
                x=xs,
                y=pts.rate,
                mode="markers",
                name=f"simulated, {tref_label}",
                legendgroup="t_ref",
                showlegend=False,
                marker=dict(color=COLORS["spike"], size=9, opacity=0.85, line=_RIM),
            )
        )
    fig.add(
        scatter(
            x=x,
            y=curves.rate_noref,
            mode="lines",
            name="theory, t_ref = 0",
            legendgroup="t_ref = 0",
            line=dict(color=COLORS["alt"], dash=DASH_THEORY, width=2.5),
        )
    )
    fig.add(
        scatter(
            x=x,
            y=curves.rate,
            mode="lines",
            name=f"theory, {tref_label}",
            legendgroup="t_ref",
            line=dict(color=COLORS["theory"], dash=DASH_THEORY, width=3),
        )
    )
    keep = curves.asymptote >= 0
    fig.add(
        scatter(
            x=x[keep],
            y=curves.asymptote[keep],
            mode="lines",
            name="asymptote, t_ref = 0",
            line=dict(color=COLORS["reset"], dash="dot", width=3),
        )
    )
    # rheobase and ceiling are labelled on the chart, not in the legend, where no curve is
    label = dict(font=dict(size=LABEL_FONT), bgcolor="rgba(128,128,128,0.12)")
    rh_name = f"rheobase {_fmt(_nA(rh))} nA"
    fig.add({**_vline(_nA(rh), 0.0, y_max, rh_name, COLORS["threshold"]), "showlegend": False})
    if rh > 0:
        # left of the line every rate is 0: the label reads upwards there, from the top
        fig.annotate(
            _nA(rh),
            y_max,
            rh_name,
            xanchor="right",
            yanchor="top",
            xshift=-2,
            textangle=-90,
            **label,
        )
    if t_ref > 0:
        name = f"ceiling 1/t_ref = {_fmt(curves.ceiling)} Hz"
        fig.add(
            {**_hline(curves.ceiling, 0.0, _nA(I_max), name, COLORS["I_C"]), "showlegend": False}
        )
        if curves.ceiling <= y_max:
            # below the line at the right end, unless the t_ref curve is too close there
            below = curves.rate.max(initial=0.0) < curves.ceiling - _LABEL_SHARE * y_max
            fig.annotate(
                _nA(I_max),
                curves.ceiling,
                name,
                xanchor="right",
                yanchor="top" if below else "bottom",
                yshift=-2 if below else 2,
                **label,
            )
    # where the t_ref = 0 curve leaves the chart, and how high it climbs: a label in the top
    # band, right of the exit if there is room, else left of the asymptote (above-left of
    # the rising lines nothing is drawn)
    gone = _exit(x, curves.rate_noref, y_max)
    if gone is not None and gone < _nA(I_max):
        text = f"t_ref = 0 ↗ {curves.rate_noref[-1]:.0f} Hz at {_fmt(_nA(I_max))} nA"
        note = dict(yanchor="top", font=dict(size=LABEL_FONT, color=COLORS["alt"]))
        if gone <= 0.45 * _nA(I_max):
            fig.annotate(_nA(I_max), y_max, text, xanchor="right", **note)
        else:
            a = curves.asymptote
            slope = (a[-1] - a[-2]) / (x[-1] - x[-2])  # Hz per nA
            x_a = _exit(x, a, y_max)
            x_a = gone if x_a is None else min(x_a, gone)
            fig.annotate(
                x_a - 1.25 * _LABEL_SHARE * y_max / slope, y_max, text, xanchor="right", **note
            )
    if curves.I_op is not None:
        fig.add(
            scatter(
                x=[_nA(curves.I_op)],
                y=[curves.rate_op],
                mode="markers",
                name="operating point",
                cliponaxis=False,  # whole star also at the largest current (chart edge)
                marker=dict(
                    color=COLORS["marker"],
                    size=18,
                    symbol="star",
                    line=dict(color=COLORS["V"], width=1.5),
                ),
            )
        )
    fig.xaxis(range=[0.0, _nA(I_max)])
    fig.yaxis(range=[0.0, y_max])
    fig.update(hovermode="closest")
    return fig.figure()


def _runs(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start and stop indices (stop exclusive) of the runs of True in ``mask``."""
    m = np.concatenate(([False], np.asarray(mask, dtype=bool), [False]))
    d = np.diff(m.astype(np.int8))
    return np.flatnonzero(d == 1), np.flatnonzero(d == -1)


def voltage_trace_figure(
    result: Any,
    *,
    neuron: int = 0,
    title: str | None = None,
    height: int = 460,
) -> go.Figure:
    """Membrane potential of one simulated neuron, with threshold, reset and refractory periods.

    Parameters
    ----------
    result : SimulationResult
        Output of :func:`lif_core.simulate`.
    neuron : int
        Row of the result to draw.
    title : str, optional
        Chart title.
    height : int
        Figure height (px).

    Returns
    -------
    go.Figure
        Traces (by name): ``"V"`` (solid, ``COLORS["V"]``, at most ``MAX_POINTS``
        points), ``"threshold V_th"``, ``"reset V_reset"``,
        ``"refractory period"`` and ``"spikes"`` (drawn as lines
        above threshold; the LIF model itself has no spike shape).
    """
    p = result.params
    t = np.asarray(result.t)
    V = np.asarray(result.V)[neuron]
    # a population's parameters may differ per neuron: this neuron's (one value: everyone's)
    V_th, V_reset = (
        float(np.ravel(v)[neuron] if np.size(v) > 1 else np.ravel(v)[0])
        for v in (p.V_th, p.V_reset)
    )
    spikes = np.asarray(result.spike_times[neuron], dtype=float)
    t_end = _ms(t[-1] + result.dt)

    fig = FigureSpec(X_TIME, Y_V, title=title, height=height)
    xs, ys = downsample(_ms(t), _mV(V), MAX_POINTS)
    fig.add(scatter(x=xs, y=ys, mode="lines", name="V", line=dict(color=COLORS["V"], width=2.5)))

    starts, stops = _runs(np.asarray(result.refractory)[neuron])
    if starts.size:
        n = starts.size
        rx = np.full(3 * n, np.nan)
        rx[0::3] = _ms(t[starts])
        rx[1::3] = _ms(t[stops - 1] + result.dt)
        ry = np.full(3 * n, np.nan)
        ry[0::3] = _mV(V_reset)
        ry[1::3] = _mV(V_reset)
        fig.add(
            scatter(
                x=rx,
                y=ry,
                mode="lines",
                name="refractory period",
                line=dict(color=COLORS["marker"], width=7),
                connectgaps=False,
            )
        )
    top = _mV(V_th) + SPIKE_HEIGHT_MV
    if spikes.size:
        n = spikes.size
        sx = np.full(3 * n, np.nan)
        sx[0::3] = _ms(spikes)
        sx[1::3] = _ms(spikes)
        sy = np.full(3 * n, np.nan)
        sy[0::3] = _mV(V_th)
        sy[1::3] = top
        fig.add(
            scatter(
                x=sx,
                y=sy,
                mode="lines",
                name="spikes",
                line=dict(color=COLORS["spike"], width=1.5),
                connectgaps=False,
                hoverinfo="x",
            )
        )
    fig.add(_hline(_mV(V_th), 0.0, t_end, "threshold V_th", COLORS["threshold"], "dashdot"))
    fig.add(_hline(_mV(V_reset), 0.0, t_end, "reset V_reset", COLORS["reset"], "dot"))
    y_lo = min(float(np.min(ys)), _mV(V_reset)) - 3.0
    fig.yaxis(range=[y_lo, top + 3.0])
    fig.xaxis(range=[0.0, t_end])
    return fig.figure()


# --------------------------------------------------------------------------------------
# chapter 6: f–I under shunting and hyperpolarising inhibition

#: Colour of each kind of inhibition (its curves and points).
CONDITION_COLORS = {
    "none": COLORS["V"],
    "shunting": COLORS["alt"],
    "hyperpolarising": COLORS["inh"],
}


def condition_label(params: LIFParams, condition: InhibitionCondition) -> str:
    """Legend label of an inhibitory condition, e.g. ``"shunting: 40 nS, E_inh = E_L = −65 mV"``."""
    if condition.kind == "none":
        return "no inhibition"
    g_label = f"{_fmt(_nS(condition.g))} nS"
    if condition.kind == "shunting":
        return f"shunting: {g_label}, E_inh = E_L = {_mV_text(params.E_L)}"
    return f"{condition.kind}: {g_label}, E_inh = {_mV_text(condition.E_syn)}"


def inhibition_fi_figure(fi: InhibitionFI, *, height: int = 460) -> go.Figure:
    """f–I curves under several tonic inhibitory conductances: theory dashed, simulation as points.

    Parameters
    ----------
    fi : InhibitionFI
        From :func:`lif_core.analysis.inhibition.inhibition_fi`.
    height : int
        Figure height (px).

    Returns
    -------
    go.Figure
        For each condition a dashed closed-form curve named by its label (the
        legend entry) and a ``"simulated: <label>"`` marker trace in its colour;
        a dotted guide at the reference rate when the curves reach it.
    """
    x = _nA(fi.I)
    fig = FigureSpec(X_CURRENT, Y_RATE, height=height)
    y_top = 10.0
    for k, c in enumerate(fi.conditions):
        label = condition_label(fi.params, c)
        color = CONDITION_COLORS[c.kind]
        f = fi.rates[k]
        y_top = max(y_top, float(f.max(initial=0.0)))
        fig.add(
            scatter(
                x=x,
                y=f,
                mode="lines",
                name=label,
                legendgroup=str(k),
                line=dict(color=color, dash=DASH_THEORY, width=2.5),
            )
        )
        r = fi.rates_sim[k]
        if np.any(np.isfinite(r)):
            y_top = max(y_top, float(np.nanmax(r)))
        fig.add(
            scatter(
                x=_nA(fi.I_sim),
                y=r,
                mode="markers",
                name=f"simulated: {label}",
                legendgroup=str(k),
                showlegend=False,
                marker=dict(color=color, size=8),
            )
        )
    if fi.reference_rate < y_top:
        fig.add(
            _hline(
                fi.reference_rate,
                0.0,
                _nA(fi.I_max),
                f"{_fmt(fi.reference_rate)} Hz",
                COLORS["reset"],
            )
        )
    fig.xaxis(range=[0.0, _nA(fi.I_max)])
    fig.yaxis(range=[0.0, 1.08 * y_top])
    fig.update(hovermode="closest")
    return fig.figure()
