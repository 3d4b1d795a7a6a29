"""Chapter 7 chart of the compartments section: soma versus dendrite input."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from lif_core.analysis.dendrites import DendriticInput
from lif_figures._units import _ms, _mV
from lif_figures.beyond._draw import (
    _LABEL,
    LIF_COLOR,
    LIF_DASH,
    RICH_COLOR,
    SECOND_COLOR,
    X_TIME,
    _line,
    _pulse_band,
    _smooth,
)
from lif_figures.spec import FigureSpec, scatter
from lif_figures.style import COLORS

# --------------------------------------------------------------------------- compartments


def dendrite_figure(rec: DendriticInput, *, height: int = 480) -> go.Figure:
    """The same pulse into the soma or the dendrite, seen at the soma; the LIF beside them.

    Traces: ``"soma, input at soma"`` and ``"soma, input at dendrite"`` (solid),
    ``"dendrite, input at dendrite"`` (thin, dash-dot), ``"LIF (one compartment)"``
    (dotted), ``"peaks at the soma"`` (markers), the pulse band.
    """
    res = rec.result
    E_L = res.params.E_L
    fig = FigureSpec(X_TIME, "depolarisation V − E_L (mV)", height=height)
    for values, name, color, width, dash in (
        (res.V_s[0], "soma, input at soma", RICH_COLOR, 4, None),
        (res.V_s[1], "soma, input at dendrite", SECOND_COLOR, 4, None),
        (res.V_d[1], "dendrite, input at dendrite", COLORS["inh"], 2, "dashdot"),
    ):
        x, y = _smooth(res.t, values - E_L)
        fig.add(_line(x, y, name, color, dash=dash, width=width))
    px, py = _smooth(rec.point_t, rec.point_V - E_L)
    fig.add(_line(px, py, "LIF (one compartment)", LIF_COLOR, dash=LIF_DASH, width=4))
    peaks_t = [float(_ms(rec.t_soma_peak_from_soma)), float(_ms(rec.t_soma_peak_from_dend))]
    peaks_v = [float(_mV(rec.soma_peak_from_soma)), float(_mV(rec.soma_peak_from_dend))]
    fig.add(
        scatter(
            x=np.round(peaks_t, 3),
            y=np.round(peaks_v, 4),
            mode="markers",
            name="peaks at the soma",
            marker=dict(color=COLORS["marker"], size=13, symbol="diamond"),
        )
    )
    fig.annotate(
        peaks_t[1],
        peaks_v[1],
        f"{rec.attenuation:.1f}× smaller, {float(_ms(rec.delay)):.1f} ms later"
        if np.isfinite(rec.attenuation)
        else "does not reach the soma (no coupling)",
        showarrow=True,
        arrowhead=2,
        ax=90,
        ay=-60,
        xanchor="left",
        **_LABEL,
    )
    _pulse_band(fig, rec.onset, rec.width, rec.amplitude)
    t_end = float(_ms(res.t[-1]))
    fig.xaxis(range=[0.0, t_end])
    top = max(peaks_v[0], float(_mV(rec.dend_peak_from_dend)), float(_mV(rec.point_peak)))
    fig.yaxis(range=[-0.05 * top, 1.12 * top])
    return fig.figure()
