"""Drawing helpers shared by the chapter 7 charts (private to :mod:`lif_figures.beyond`)."""

from __future__ import annotations

from typing import Any

import numpy as np

from lif_core.units import from_si
from lif_figures._units import _ms, _mV, _nA
from lif_figures.spec import FigureSpec, scatter
from lif_figures.style import (
    COLORS,
    HALF_POINTS,
    LABEL_FONT,
    MAX_POINTS,
    downsample,
    rounded,
)

X_TIME = "time (ms)"
X_CURRENT = "current (nA)"
X_SPIKE = "interval number"
Y_V = "membrane potential V (mV)"
Y_W = "w (pA)"
Y_ISI = "interspike interval (ms)"
Y_RATE = "rate (Hz)"

#: The richer model: solid, the app's membrane-potential blue.
RICH_COLOR = COLORS["V"]
#: The LIF: dotted, green.
LIF_COLOR = COLORS["alt"]
LIF_DASH = "dot"
#: A second trace of the richer model (dendritic input, the AdEx's w).
SECOND_COLOR = COLORS["exc"]

_LABEL = dict(font=dict(size=LABEL_FONT), bgcolor="rgba(128,128,128,0.12)")


def _pA(x: Any) -> Any:
    return from_si(x, "pA")


def _line(x, y, name: str, color: str, *, dash: str | None = None, width: float = 3, **kw):
    line = dict(color=color, width=width)
    if dash is not None:
        line["dash"] = dash
    return scatter(x=x, y=y, mode="lines", name=name, line=line, **kw)


def _ref(x0: float, x1: float, y0: float, y1: float, name: str, color: str, dash: str = "dot"):
    """A thin straight reference line as a named trace (hover shows its name)."""
    return _line([x0, x1], [y0, y1], name, color, dash=dash, width=1.5, hoverinfo="name")


def _with_resets(
    t: np.ndarray, V: np.ndarray, spikes: np.ndarray, top: float, bottom: float
) -> tuple[np.ndarray, np.ndarray]:
    """A trace sampled on a grid, with each spike drawn at its own time (SI in, SI out).

    At a spike time the trace goes up to ``top`` (threshold or V_peak) and straight down
    to ``bottom`` (the reset), so the reset is vertical and at the right time instead of
    a slope between two grid samples.
    """
    if spikes.size == 0:
        return t, V
    k = np.searchsorted(t, spikes)
    ts = np.insert(t, np.repeat(k, 2), np.repeat(spikes, 2))
    vs = np.insert(V, np.repeat(k, 2), np.tile([top, bottom], spikes.size))
    return ts, vs


def _trace(t, V, spikes, top, bottom, budget=MAX_POINTS):
    """Display arrays (ms, mV) of a spiking trace, at most ``budget`` points.

    The grid samples are reduced first (min/max buckets), then every spike is inserted,
    so no spike is lost to the reduction, however close together (bursts); only when
    the spikes alone would exceed the budget is the whole trace reduced instead.
    """
    t, V, spikes = np.asarray(t), np.asarray(V), np.asarray(spikes)
    room = budget - 2 * spikes.size
    if room >= 200:
        x, y = downsample(t, V, room)
        ts, vs = _with_resets(x, y, spikes, top, bottom)
        return rounded(_ms(ts), "ms"), rounded(_mV(vs), "mV")
    ts, vs = _with_resets(t, V, spikes, top, bottom)
    x, y = downsample(_ms(ts), _mV(vs), budget)
    return rounded(x, "ms"), rounded(y, "mV")


def _smooth(t, V, budget=HALF_POINTS):
    """Display arrays (ms, mV) of a smooth trace (min/max buckets keep any spike)."""
    x, y = downsample(_ms(np.asarray(t)), _mV(np.asarray(V)), budget)
    return rounded(x, "ms"), rounded(y, "mV")


def _pulse_band(
    fig: FigureSpec, onset: float, width: float, amplitude: float, *, legend: bool = True
) -> None:
    """Shade the pulse; in the legend, or labelled at the bottom of the band."""
    name = f"pulse {_nA(amplitude):.3g} nA".replace("-", "−")
    fig.vrect(
        float(_ms(onset)),
        float(_ms(onset + width)),
        fillcolor=COLORS["I"],
        opacity=0.15,
        line=dict(width=0),
        name=name,
        showlegend=legend,
    )
    if not legend:
        fig.annotate(
            float(_ms(onset)),
            0.0,
            name,
            yref="y domain",
            xanchor="left",
            yanchor="bottom",
            xshift=2,
            **_LABEL,
        )


def _lif_t(res) -> np.ndarray:
    """Grid times of an LIF result (its V is sampled at the start of each step)."""
    return np.asarray(res.t)
