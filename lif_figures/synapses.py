"""Figures for chapters 5 and 6: synapses as conductances, and shunting inhibition.

The builders draw the records of :mod:`lif_core.analysis.synapses` (current- versus
conductance-based synapse) and :mod:`lif_core.analysis.inhibition` (shunting inhibition
below threshold) in display units (:func:`lif_core.units.from_si`). They compute no physics
and never import streamlit.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import plotly.graph_objects as go

from lif_core.analysis.inhibition import EPSPCurves, ShuntingDemo
from lif_core.analysis.synapses import MODELS, SynapseDemo
from lif_core.params import LIFParams
from lif_figures._units import _ms, _mV, _nA, _nS
from lif_figures.firing import CONDITION_COLORS, condition_label
from lif_figures.membrane import MIN_SPAN_MV
from lif_figures.spec import FigureSpec, scatter
from lif_figures.style import (
    COLORS,
    FULL_WIDTH,
    HALF_POINTS,
    HALF_WIDTH,
    LABEL_FONT,
    LEGEND_FONT,
    MARGIN_B,
    MAX_POINTS,
    TICK_FONT,
    downsample,
    rounded,
)

__all__ = [
    "epsp_curves_figure",
    "presynaptic_figure",
    "shunting_figure",
    "synapse_color",
    "synapse_response_figure",
]

X_TIME = "time (ms)"
Y_V = "membrane potential V (mV)"
Y_DRIVE = "driving force V − E_syn (mV)"
Y_CURRENT = "current (nA)"
Y_G = "conductance (nS)"
Y_DEFLECTION = "peak V − E_L (mV)"
X_GEXC = "excitatory peak conductance (nS)"


def _line(
    x: Any,
    y: Any,
    name: str,
    color: str,
    *,
    dash: str | None = None,
    width: float = 2,
    max_points: int = MAX_POINTS,
    unit: str | None = None,
    **kw: Any,
) -> dict[str, Any]:
    """A line thinned to ``max_points`` (each pixel column's min and max).

    With ``unit``, the samples kept are chosen on the values rounded to the display's
    precision (:data:`~lif_figures.style.DECIMALS`), and drawn as they are: in a flat
    stretch (a membrane at rest) round-off noise of 1e-17 V would otherwise pick them, and
    the live preview, computed in the browser, could not keep the same ones.
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    picked = y if unit is None else rounded(y, unit)
    keep, _ = downsample(np.arange(y.size), picked, max_points)
    xs, ys = x[keep], y[keep]
    line = dict(color=color, width=width)
    if dash is not None:
        line["dash"] = dash
    return scatter(x=xs, y=ys, mode="lines", name=name, line=line, **kw)


def _level(
    y: float, t_end: float, name: str, color: str, dash: str, width: float
) -> dict[str, Any]:
    """A horizontal reference line at ``y`` across the time axis ``[0, t_end]``."""
    return scatter(
        x=[0.0, t_end],
        y=[y, y],
        mode="lines",
        name=name,
        line=dict(color=color, dash=dash, width=width),
    )


def _stacked_figure(
    y_titles: Sequence[str],
    row_heights: Sequence[float],
    *,
    title: str | None,
    height: int,
    width: int = HALF_WIDTH,
) -> FigureSpec:
    """A LIF Lab chart with rows sharing the time axis (titled on the bottom row only)."""
    fig = FigureSpec(
        X_TIME,
        y_titles[0],
        title=title,
        height=height,
        y_titles=y_titles,
        row_heights=row_heights,
        width=width,
    )
    for row in range(1, len(y_titles) + 1):
        fig.yaxis(row, title=dict(font=dict(size=TICK_FONT)))
    return fig


# --------------------------------------------------------------------------------------
# chapter 5: current-based versus conductance-based synapse


def synapse_color(params: LIFParams, E_syn: float) -> str:
    """Excitatory colour if the synapse depolarises the neuron at rest, else inhibitory."""
    return COLORS["exc"] if E_syn > params.E_L else COLORS["inh"]


def presynaptic_figure(demo: SynapseDemo, *, height: int = 330) -> go.Figure:
    """Presynaptic spikes (ticks) and the synaptic conductance they produce.

    Returns
    -------
    go.Figure
        Traces ``"conductance g(t)"`` (nS) and ``"presynaptic spikes"``.
    """
    fig = FigureSpec(X_TIME, Y_G, height=height, width=FULL_WIDTH)
    g_nS = _nS(demo.g)
    fig.add(
        _line(
            _ms(demo.t),
            g_nS,
            "conductance g(t)",
            synapse_color(demo.params, demo.E_syn),
            fill="tozeroy",
        )
    )
    top = max(float(np.max(g_nS, initial=0.0)), 1e-3)
    fig.add(
        scatter(
            x=_ms(demo.pre_spikes),
            y=np.full(demo.pre_spikes.size, 1.12 * top),
            mode="markers",
            name="presynaptic spikes",
            marker=dict(symbol="line-ns-open", size=14, line=dict(width=2, color=COLORS["spike"])),
            hoverinfo="x",
        )
    )
    fig.xaxis(range=[0.0, _ms(demo.t[-1] + demo.dt)])
    fig.yaxis(range=[0.0, 1.25 * top])
    return fig.figure()


def _split_sign(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return np.where(x > 0, x, 0.0), np.where(x < 0, x, 0.0)


def synapse_response_figure(demo: SynapseDemo, model: str, *, height: int = 640) -> go.Figure:
    """Membrane potential, driving force and synaptic current for one synapse model.

    Parameters
    ----------
    demo : SynapseDemo
        From :func:`synapse_demo`.
    model : {"current", "conductance"}
        Which synapse to draw. Both figures of a demo share their axis ranges.
    height : int
        Figure height (px).

    Returns
    -------
    go.Figure
        Three rows sharing the time axis: ``"V"`` with ``"E_syn"`` (and
        ``"V crosses E_syn"`` markers for the conductance model); the driving
        force (``"V − E_syn"`` or the frozen ``"E_L − E_syn (frozen)"``); the
        synaptic current split into ``"inward (depolarising)"`` and
        ``"outward (hyperpolarising)"``, with ``"sign changes"`` markers.
    """
    if model not in MODELS:
        raise ValueError(f"model = {model!r} is not known (allowed: {', '.join(MODELS)})")
    p = demo.params
    t = _ms(demo.t)
    t_end = _ms(demo.t[-1] + demo.dt)
    E_syn = _mV(demo.E_syn)
    fig = _stacked_figure(
        [Y_V, "V − E_syn (mV)", Y_CURRENT], [0.45, 0.25, 0.30], title=None, height=height
    )
    V = _mV(demo.V[model])
    fig.add(_line(t, V, "V", COLORS["V"], max_points=HALF_POINTS, unit="mV"), row=1)
    fig.add(_level(E_syn, t_end, "E_syn", synapse_color(p, demo.E_syn), "dashdot", 2), row=1)
    fig.add(_level(_mV(p.V_th), t_end, "threshold V_th", COLORS["threshold"], "dot", 1.5), row=1)
    drive = _mV(demo.drive[model])
    if model == "conductance":
        drive_name = "V − E_syn"
        dash = None
    else:
        drive_name = "E_L − E_syn (frozen)"
        dash = "dash"
    fig.add(
        _line(t, drive, drive_name, COLORS["I_R"], dash=dash, max_points=HALF_POINTS, unit="mV"),
        row=2,
    )

    I_nA = _nA(demo.I_syn[model])
    pos, neg = _split_sign(I_nA)
    fig.add(
        _line(
            t,
            pos,
            "inward (depolarising)",
            COLORS["exc"],
            width=1.5,
            fill="tozeroy",
            max_points=HALF_POINTS,
        ),
        row=3,
    )
    fig.add(
        _line(
            t,
            neg,
            "outward (hyperpolarising)",
            COLORS["inh"],
            width=1.5,
            fill="tozeroy",
            max_points=HALF_POINTS,
        ),
        row=3,
    )
    if model == "conductance" and demo.crossings.size:
        tc = _ms(demo.crossings)
        fig.add(
            scatter(
                x=tc,
                y=np.full(tc.size, E_syn),
                mode="markers",
                name="V crosses E_syn",
                # thin ticks: dense crossings (a spike and its reset cross twice) stay apart
                marker=dict(
                    symbol="line-ns-open", size=12, color=COLORS["marker"], line=dict(width=1.5)
                ),
            ),
            row=1,
        )
        fig.add(
            scatter(
                x=tc,
                y=np.zeros(tc.size),
                mode="markers",
                name="sign changes",
                marker=dict(
                    symbol="line-ns-open", size=12, color=COLORS["marker"], line=dict(width=1.5)
                ),
            ),
            row=3,
        )

    # shared ranges for the two models, so the side-by-side charts compare directly;
    # E_syn is kept in view only when it is near the voltage range (else it is labelled)
    pad, near = 2.0, 10.0
    V_all = np.concatenate([_mV(v) for v in demo.V.values()] + [[_mV(p.V_th)]])
    lo, hi = float(V_all.min()), float(V_all.max())
    if lo - near <= E_syn <= hi + near:
        lo, hi = min(lo, E_syn), max(hi, E_syn)
    else:
        above = E_syn > hi
        fig.annotate(
            0.0,
            1.0 if above else 0.0,
            f"E_syn = {E_syn:.0f} mV, {'above' if above else 'below'} this range".replace("-", "−"),
            xanchor="left",
            yanchor="bottom" if above else "top",
            yref="y domain",
            font=dict(size=LABEL_FONT, color=synapse_color(p, demo.E_syn)),
        )
        if above:  # lift the legend over the note (paper units: plot height, about)
            plot_height = height - MARGIN_B - 80
            fig.update(legend=dict(y=1.0 + 1.8 * LABEL_FONT / plot_height))
    fig.yaxis(1, range=[lo - pad, hi + pad])
    d_all = _mV(np.concatenate([demo.drive["conductance"], demo.drive["current"][:1]]))
    d_lo, d_hi = float(d_all.min()), float(d_all.max())
    if d_lo - near <= 0.0 <= d_hi + near:
        d_lo, d_hi = min(d_lo, 0.0), max(d_hi, 0.0)
    fig.yaxis(2, range=[d_lo - pad, d_hi + pad])
    I_all = np.concatenate([_nA(i) for i in demo.I_syn.values()] + [[0.0]])
    span = max(float(I_all.max() - I_all.min()), 1e-3)
    fig.yaxis(3, range=[float(I_all.min()) - 0.08 * span, float(I_all.max()) + 0.08 * span])
    fig.xaxis(range=[0.0, t_end])
    fig.update(legend=dict(font=dict(size=LEGEND_FONT)))
    return fig.figure()


# --------------------------------------------------------------------------------------
# chapter 6: shunting inhibition below threshold

#: Colour and dash of each trace of the shunting figure.
_SHUNT_STYLE = {
    "E": (COLORS["exc"], None),
    "I": (COLORS["inh"], None),
    "E+I": (COLORS["V"], None),
    "E + I (sum)": (COLORS["reset"], "dot"),
}
_SHUNT_NAMES = {
    "E": "E alone",
    "I": "I alone",
    "E+I": "E and I together",
    "E + I (sum)": "linear sum (E alone + I alone)",
}


def shunting_figure(demo: ShuntingDemo, *, height: int = 480) -> go.Figure:
    """E alone, I alone, E and I together, and the linear sum; conductances below.

    Returns
    -------
    go.Figure
        Top row (``"membrane potential V (mV)"``): ``"E alone"``, ``"I alone"``,
        ``"E and I together"`` (``COLORS["V"]``), ``"linear sum (E alone + I alone)"``
        (dotted), ``"E_inh"`` and ``"E_L (rest)"``; bottom row (``"conductance (nS)"``):
        ``"g_exc"`` and ``"g_inh"``.
    """
    p = demo.params
    t = _ms(demo.t)
    t_end = _ms(demo.t[-1] + demo.dt)
    fig = _stacked_figure([Y_V, Y_G], [0.7, 0.3], title=None, height=height, width=FULL_WIDTH)
    for key in ("E", "I", "E + I (sum)", "E+I"):
        color, dash = _SHUNT_STYLE[key]
        fig.add(
            _line(
                t,
                _mV(demo.V[key]),
                _SHUNT_NAMES[key],
                color,
                dash=dash,
                width=3.5 if key == "E+I" else 2.5,
                max_points=HALF_POINTS,
                unit="mV",
            ),
            row=1,
        )
    fig.add(_level(_mV(demo.E_inh), t_end, "E_inh", COLORS["inh"], "dashdot", 1.5), row=1)
    fig.add(_level(_mV(p.E_L), t_end, "E_L (rest)", COLORS["reset"], "dot", 1), row=1)
    # no input (g_exc = g_inh = 0, or E_inh = E_L): V is flat; show MIN_SPAN_MV around it,
    # not its round-off (the autorange would span 1e-12 mV)
    V_all = np.concatenate([_mV(v) for v in demo.V.values()] + [_mV([demo.E_inh, p.E_L])])
    lo, hi = float(V_all.min()), float(V_all.max())
    if hi - lo < MIN_SPAN_MV:
        mid = (lo + hi) / 2
        fig.yaxis(1, range=[mid - MIN_SPAN_MV / 2, mid + MIN_SPAN_MV / 2])
    # inhibition first, so the brief excitatory event is drawn on top of it
    fig.add(
        _line(t, _nS(demo.g_inh), "g_inh", COLORS["inh"], fill="tozeroy", max_points=HALF_POINTS),
        row=2,
    )
    fig.add(
        _line(t, _nS(demo.g_exc), "g_exc", COLORS["exc"], fill="tozeroy", max_points=HALF_POINTS),
        row=2,
    )
    fig.xaxis(range=[0.0, t_end])
    fig.update(legend=dict(font=dict(size=LEGEND_FONT)))
    return fig.figure()


#: Excitatory peak conductances of the subthreshold input–output curves (S).


def epsp_curves_figure(
    curves: EPSPCurves, params: LIFParams, *, g_mark: float | None = None, height: int = 460
) -> go.Figure:
    """Peak depolarisation against excitatory conductance: divisive versus subtractive.

    Returns
    -------
    go.Figure
        One solid line per condition (named by its label) and, if ``g_mark`` is
        given, a vertical ``"your g_exc"`` guide.
    """
    fig = FigureSpec(X_GEXC, Y_DEFLECTION, height=height)
    x = _nS(curves.g_exc)
    lo = hi = 0.0
    for c in curves.conditions:
        y = _mV(curves.peak[c.kind])
        lo, hi = min(lo, float(y.min())), max(hi, float(y.max()))
        fig.add(
            scatter(
                x=x,
                y=y,
                mode="lines",
                name=condition_label(params, c),
                line=dict(color=CONDITION_COLORS[c.kind], width=3),
            )
        )
    if g_mark is not None:
        fig.add(
            scatter(
                x=[_nS(g_mark)] * 2,
                y=[lo, hi],
                mode="lines",
                name="your g_exc",
                line=dict(color=COLORS["reset"], dash="dot", width=1.5),
            )
        )
    fig.update(hovermode="closest")
    return fig.figure()
