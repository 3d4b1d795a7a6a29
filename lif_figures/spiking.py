"""Figures for chapter 3: threshold, reset and the resulting spike train.

:func:`spiking_figure` draws a :class:`lif_core.analysis.spiking.SpikingExperiment`: the
membrane potential with threshold and reset lines, a spike raster under it and the injected
current at the bottom, as one read-only figure assembled from plain dicts
(:class:`lif_figures.spec.FigureSpec`). Nothing here imports streamlit or computes physics.
"""

from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go

from lif_core.analysis.spiking import SpikingExperiment
from lif_core.units import from_si, to_si
from lif_figures.spec import FigureSpec, markers, scatter
from lif_figures.style import (
    COLORS,
    DASH_THEORY,
    DECIMALS,
    FULL_WIDTH,
    MAX_POINTS,
    downsample,
    rounded,
)

__all__ = [
    "COSMETIC_PEAK",
    "X_TIME",
    "Y_CURRENT",
    "Y_RASTER",
    "Y_V",
    "spiking_figure",
]

X_TIME = "time (ms)"
Y_V = "membrane potential V (mV)"
Y_RASTER = "spikes"
Y_CURRENT = "current (nA)"

#: Peak of the drawn (cosmetic, not simulated) action potential (V).
COSMETIC_PEAK = float(to_si(20.0, "mV"))

#: Most spikes drawn as raster ticks or cosmetic spikes.
MAX_SPIKES_DRAWN = MAX_POINTS // 4


def _every(n: int, limit: int) -> int:
    return max(1, math.ceil(n / limit))


def ordinal(k: int) -> str:
    """``k`` as an English ordinal, for "every 2nd spike": 1st, 2nd, 3rd, 4th, 11th, 22nd."""
    suffix = "th" if k % 100 in (11, 12, 13) else {1: "st", 2: "nd", 3: "rd"}.get(k % 10, "th")
    return f"{k}{suffix}"


def _floor_mV(values: np.ndarray) -> np.ndarray:
    """Potentials (mV) rounded down to ``DECIMALS["mV"]``, so no sample is drawn on threshold."""
    scale = 10.0 ** DECIMALS["mV"]
    return np.floor(np.asarray(values, dtype=float) * scale) / scale


def spiking_figure(
    exp: SpikingExperiment, *, cosmetic_spikes: bool = False, height: int = 480
) -> go.Figure:
    """V(t) with threshold and reset, the spike raster under it, and the current below.

    Parameters
    ----------
    exp : SpikingExperiment
        From :func:`lif_core.analysis.spiking.spiking_experiment`.
    cosmetic_spikes : bool
        Draw a stylised action potential (up to +20 mV) at each threshold
        crossing. It is drawn, not simulated: the LIF model only resets.
    height : int
        Figure height (px).

    Returns
    -------
    go.Figure
        Read-only (see :class:`lif_figures.spec.SpecFigure`). Three rows
        sharing the time axis: V (``yaxis``), spikes (``yaxis2``), current
        (``yaxis3``); the time title is on the bottom axis (``xaxis3``). V and
        I are reduced with :func:`lif_figures.style.downsample` (at most
        ``MAX_POINTS`` points, every reset kept).
    """
    p = exp.params
    fig = FigureSpec(
        X_TIME,
        Y_V,
        height=height,
        y_titles=(Y_V, Y_RASTER, Y_CURRENT),
        row_heights=(0.62, 0.1, 0.28),
        spacing=0.035,
        width=FULL_WIDTH,
    )
    t_ms = from_si(exp.t, "ms")
    xs, ys = downsample(t_ms, from_si(exp.V, "mV"), MAX_POINTS)
    fig.add(
        scatter(
            x=rounded(xs, "ms"),
            y=_floor_mV(ys),
            mode="lines",
            name="simulated V(t)",
            line=dict(color=COLORS["V"], width=3),
        )
    )
    spikes_ms = from_si(exp.spike_times, "ms")
    if cosmetic_spikes and len(spikes_ms):
        k = _every(len(spikes_ms), MAX_SPIKES_DRAWN)
        shown = spikes_ms[::k]
        peak, th, reset = (float(from_si(v, "mV")) for v in (COSMETIC_PEAK, p.V_th, p.V_reset))
        sx = np.repeat(rounded(shown, "ms"), 4)
        sx[3::4] = np.nan  # a gap between spikes
        sy = np.tile(rounded([th, peak, reset, np.nan], "mV"), len(shown))
        fig.add(
            scatter(
                x=sx,
                y=sy,
                mode="lines",
                name="drawn spike (not simulated)" + (f", every {ordinal(k)}" if k > 1 else ""),
                line=dict(color=COLORS["spike"], width=2),
                hoverinfo="skip",
            )
        )
    t_span = [float(t_ms[0]), float(t_ms[-1])]
    for value, name, color in (
        (p.V_th, "threshold V_th", COLORS["threshold"]),
        (p.V_reset, "reset V_reset", COLORS["reset"]),
    ):
        shown_mV = float(from_si(value, "mV"))
        fig.add(
            scatter(
                x=t_span,
                y=[shown_mV, shown_mV],
                mode="lines",
                name=f"{name} = {shown_mV:.0f} mV".replace("-", "−"),
                line=dict(color=color, width=2.5, dash="dot"),
                hoverinfo="skip",
            )
        )
    # raster
    k = _every(len(spikes_ms), MAX_SPIKES_DRAWN)
    ticks = np.ascontiguousarray(spikes_ms[::k])
    fig.add(
        markers(
            ticks,
            np.zeros(len(ticks)),
            name=f"spikes ({len(spikes_ms)})" + (f", every {ordinal(k)} drawn" if k > 1 else ""),
            marker=dict(symbol="line-ns", size=26, line=dict(color=COLORS["spike"], width=3)),
            hovertemplate="spike at %{x:.2f} ms<extra></extra>",
        ),
        row=2,
    )
    # current
    xi, yi = downsample(t_ms, from_si(exp.I, "nA"), MAX_POINTS)
    fig.add(
        scatter(
            x=rounded(xi, "ms"),
            y=rounded(yi, "nA"),
            mode="lines",
            name="injected I",
            line=dict(color=COLORS["I"], width=3),
        ),
        row=3,
    )
    rheobase_nA = float(from_si(exp.rheobase, "nA"))
    fig.add(
        scatter(
            x=t_span,
            y=[rheobase_nA, rheobase_nA],
            mode="lines",
            name=f"rheobase {rheobase_nA:.2f} nA",
            line=dict(color=COLORS["threshold"], width=2, dash=DASH_THEORY),
        ),
        row=3,
    )
    fig.yaxis(2, showticklabels=False, showgrid=False, range=[-1, 1])
    i_max = max(float(np.max(yi)), rheobase_nA, 0.0)
    i_min = min(float(np.min(yi)), 0.0)
    pad = 0.12 * max(i_max - i_min, 0.5)
    fig.yaxis(3, range=[i_min - pad, i_max + pad])
    return fig.figure()
