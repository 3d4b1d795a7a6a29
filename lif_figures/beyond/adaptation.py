"""Chapter 7 charts of the adaptation section: the AdEx pattern and its intervals."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from lif_core.analysis.adaptation import Adaptation
from lif_figures._units import _ms, _mV
from lif_figures.beyond._draw import (
    LIF_COLOR,
    LIF_DASH,
    RICH_COLOR,
    SECOND_COLOR,
    X_SPIKE,
    X_TIME,
    Y_ISI,
    Y_W,
    _lif_t,
    _line,
    _pA,
    _ref,
    _trace,
)
from lif_figures.spec import FigureSpec, scatter
from lif_figures.style import COLORS, FULL_WIDTH, MAX_POINTS, downsample, rounded

# --------------------------------------------------------------------------- adaptation


def adaptation_figure(rec: Adaptation, *, height: int = 520) -> go.Figure:
    """The AdEx pattern, the LIF twin and the adaptation current, one row each, shared time.

    Traces: ``"AdEx"`` (row 1, solid, spikes drawn to V_peak), ``"LIF twin"`` (row 2,
    dotted, resets at the spike times), ``"LIF threshold V_th"`` (row 2), ``"w"``
    (row 3, pA), and ``"AdEx V_T"`` (row 1, the exponential's threshold).
    """
    p, lif = rec.params, rec.lif_params
    fig = FigureSpec(
        X_TIME,
        "AdEx V (mV)",
        height=height,
        width=FULL_WIDTH,
        y_titles=["AdEx V (mV)", "LIF V (mV)", Y_W],
        row_heights=[0.42, 0.33, 0.25],
    )
    x, y = _trace(rec.adex.t, rec.adex.V[0], rec.adex.spike_times[0], p.V_peak, p.V_r)
    fig.add(_line(x, y, "AdEx", RICH_COLOR, width=2), row=1)
    t_end = float(_ms(rec.duration))
    V_T = float(_mV(p.V_T))
    fig.add(_ref(0.0, t_end, V_T, V_T, "AdEx V_T", COLORS["threshold"], "dashdot"), row=1)
    lx, ly = _trace(_lif_t(rec.lif), rec.lif.V[0], rec.lif.spike_times[0], lif.V_th, lif.V_reset)
    fig.add(_line(lx, ly, "LIF twin", LIF_COLOR, dash=LIF_DASH, width=2.5), row=2)
    V_th = float(_mV(lif.V_th))
    fig.add(
        _ref(0.0, t_end, V_th, V_th, "LIF threshold V_th", COLORS["threshold"], "dashdot"), row=2
    )
    wx, wy = downsample(_ms(rec.adex.t), _pA(rec.adex.w[0]), MAX_POINTS)
    fig.add(_line(rounded(wx, "ms"), np.round(wy, 2), "w", SECOND_COLOR, width=2.5), row=3)
    fig.xaxis(range=[0.0, t_end])
    fig.yaxis(row=1, range=[float(_mV(p.E_L)) - 5.0, float(_mV(p.V_peak)) + 5.0])
    fig.yaxis(row=2, range=[float(_mV(lif.E_L)) - 3.0, V_th + 3.0])
    w = _pA(rec.adex.w[0])
    lo, hi = float(min(w.min(), 0.0)), float(max(w.max(), 0.0))
    pad = max(1.0, 0.08 * (hi - lo))
    fig.yaxis(row=3, range=[lo - pad, hi + pad])
    fig.update(showlegend=False)
    return fig.figure()


def isi_figure(rec: Adaptation, *, height: int = 380) -> go.Figure:
    """Interspike interval against interval number: AdEx (solid) and LIF twin (dotted).

    Log scale: bursts (ms) and the pauses between them (tens of ms) both stay readable.
    Traces ``"AdEx"`` and ``"LIF twin"``; x counts intervals from 1.
    """
    fig = FigureSpec(X_SPIKE, Y_ISI, height=height)
    values = []
    for isi, name, color, dash, symbol in (
        (rec.adex_isi, "AdEx", RICH_COLOR, None, "circle"),
        (rec.lif_isi, "LIF twin", LIF_COLOR, LIF_DASH, "square"),
    ):
        n = np.arange(1, isi.size + 1)
        y = np.round(_ms(isi), 4)
        values.append(y)
        line = dict(color=color, width=2.5)
        if dash:
            line["dash"] = dash
        fig.add(
            scatter(
                x=n,
                y=y,
                mode="lines+markers",
                name=name,
                line=line,
                marker=dict(color=color, size=8, symbol=symbol),
            )
        )
    shown = np.concatenate([v for v in values if v.size]) if any(v.size for v in values) else None
    if shown is not None and shown.size:
        lo, hi = float(shown.min()), float(shown.max())
        fig.yaxis(type="log", range=[np.log10(lo / 1.5), np.log10(hi * 1.5)])
        n_max = max(v.size for v in values)
        fig.xaxis(range=[0.5, n_max + 0.5])
    else:
        fig.yaxis(type="log", range=[0.0, 3.0])
        fig.xaxis(range=[0.5, 10.5])
    fig.update(hovermode="closest")
    return fig.figure()
