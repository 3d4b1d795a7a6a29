"""Figures for chapter 7, what the LIF leaves out: each draws a record of
:mod:`lif_core.analysis.beyond` or :mod:`lif_core.analysis.adaptation`, and only draws.

In every chart the richer model (HH, AdEx, two compartments) is a solid line and the
LIF a dotted one (``LIF_DASH``), in different colours too; reference lines are thin and
labelled. Potentials in mV, times in ms, currents in nA, adaptation currents in pA.
Figures are read-only (:class:`lif_figures.spec.SpecFigure`). Nothing here imports
streamlit.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import plotly.graph_objects as go

from lif_core.analysis.adaptation import Adaptation
from lif_core.analysis.beyond import (
    DendriticInput,
    FIClasses,
    FIOperating,
    RingingRebound,
    SpikeShape,
)
from lif_core.units import from_si
from lif_figures._units import _ms, _mV, _nA
from lif_figures.spec import FigureSpec, scatter
from lif_figures.style import (
    COLORS,
    FULL_WIDTH,
    HALF_POINTS,
    LABEL_FONT,
    MAX_POINTS,
    downsample,
    rounded,
)

__all__ = [
    "LIF_COLOR",
    "LIF_DASH",
    "RICH_COLOR",
    "X_CURRENT",
    "X_SPIKE",
    "X_TIME",
    "Y_ISI",
    "Y_RATE",
    "Y_V",
    "Y_W",
    "adaptation_figure",
    "dendrite_figure",
    "fi_classes_figure",
    "fi_trace_figure",
    "isi_figure",
    "rebound_figure",
    "ringing_figure",
    "spike_shape_figure",
]

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


# --------------------------------------------------------------------------- spike shape


def spike_shape_figure(rec: SpikeShape, *, height: int = 340) -> go.Figure:
    """HH action potential and the LIF twin's threshold-and-reset on one time axis.

    Traces: ``"HH"`` (solid), ``"LIF twin"`` (dotted, reset drawn at the spike time),
    ``"LIF threshold V_th"`` (reference), ``"LIF spike"`` (markers where the LIF declares
    its spikes), and, when HH fires, ``"HH peak"`` and ``"HH half width"`` (labelled on
    the chart, not in the legend). The pulse is a shaded band, labelled.
    """
    fig = FigureSpec(X_TIME, Y_V, height=height, width=FULL_WIDTH)
    lif = rec.lif_params
    x, y = _smooth(rec.hh.t, rec.hh.V[0], MAX_POINTS)
    fig.add(_line(x, y, "HH", RICH_COLOR, width=4))
    spikes = rec.lif.spike_times[0]
    lx, ly = _trace(_lif_t(rec.lif), rec.lif.V[0], spikes, lif.V_th, lif.V_reset)
    fig.add(_line(lx, ly, "LIF twin", LIF_COLOR, dash=LIF_DASH, width=4))
    t_end = float(_ms(rec.hh.t[-1]))
    V_th = float(_mV(lif.V_th))
    fig.add(_ref(0.0, t_end, V_th, V_th, "LIF threshold V_th", COLORS["threshold"], "dashdot"))
    fig.add(
        scatter(
            x=rounded(_ms(spikes), "ms"),
            y=np.full(spikes.size, V_th),
            mode="markers",
            name="LIF spike",
            marker=dict(color=LIF_COLOR, size=14, symbol="x-thin", line=dict(width=3)),
        )
    )
    if np.isfinite(rec.peak):
        peak = float(_mV(rec.peak))
        fig.add(
            scatter(
                x=[float(_ms(rec.t_peak))],
                y=[peak],
                mode="markers",
                name="HH peak",
                showlegend=False,
                marker=dict(color=RICH_COLOR, size=12, symbol="triangle-down"),
            )
        )
        fig.annotate(
            float(_ms(rec.t_peak)),
            peak,
            f"peak {peak:+.0f} mV".replace("-", "−"),
            xanchor="left",
            yanchor="middle",
            xshift=10,
            **_LABEL,
        )
        half = float(_mV(0.5 * (rec.V_rest + rec.peak)))
        up = _half_crossing(rec)  # the half-width bar, from the measured crossings
        down = up + float(_ms(rec.half_width))
        width_text = f"width {float(_ms(rec.half_width)):.2f} ms"
        fig.add(
            _line([up, down], [half, half], "HH half width", COLORS["theory"], width=3)
            | {"showlegend": False}
        )
        fig.annotate(down, half, width_text, xanchor="left", xshift=6, **_LABEL)
        fig.annotate(
            float(_ms(rec.t_ahp)),
            float(_mV(rec.V_rest + rec.ahp)),
            f"AHP {float(_mV(rec.ahp)):+.0f} mV".replace("-", "−"),
            xanchor="left",
            yanchor="top",
            xshift=6,
            **_LABEL,
        )
    _pulse_band(fig, rec.onset, rec.width, rec.amplitude, legend=False)
    fig.xaxis(range=[0.0, t_end])
    fig.yaxis(range=[-85.0, 55.0])
    return fig.figure()


def _half_crossing(rec: SpikeShape) -> float:
    """Time (ms) of the upward crossing of the half-amplitude level (linear interpolation)."""
    t, V = rec.hh.t, rec.hh.V[0]
    level = 0.5 * (rec.V_rest + rec.peak)
    k = int(np.flatnonzero((V[:-1] < level) & (V[1:] >= level))[0])
    return float(_ms(t[k] + (level - V[k]) / (V[k + 1] - V[k]) * (t[k + 1] - t[k])))


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


# --------------------------------------------------------------------------- ringing, rebound


def _pair_figure(
    hh, lif_res, lif_params, onset, width, amplitude, rest, *, height, t_max, y_range, rest_line
):
    fig = FigureSpec(X_TIME, Y_V, height=height)
    fig.update(margin=dict(l=100))  # room for tick labels such as "−64.5" at small swings
    last = int(np.searchsorted(hh.t, t_max, side="right"))
    x, y = _smooth(hh.t[:last], hh.V[0, :last])
    fig.add(_line(x, y, "HH", RICH_COLOR, width=4))
    lif_last = int(np.searchsorted(lif_res.t, t_max, side="right"))
    lx, ly = _trace(
        lif_res.t[:lif_last],
        lif_res.V[0, :lif_last],
        lif_res.spike_times[0][lif_res.spike_times[0] <= t_max],
        lif_params.V_th,
        lif_params.V_reset,
        HALF_POINTS,
    )
    fig.add(_line(lx, ly, "LIF twin", LIF_COLOR, dash=LIF_DASH, width=4))
    if rest_line:
        r = float(_mV(rest))
        fig.add(_ref(0.0, float(_ms(t_max)), r, r, "rest", COLORS["reset"]))
    _pulse_band(fig, onset, width, amplitude)
    fig.xaxis(range=[0.0, float(_ms(t_max))])
    if y_range is not None:
        fig.yaxis(range=y_range)
    return fig


def ringing_figure(rec: RingingRebound, *, height: int = 360, t_max: float = 40e-3) -> go.Figure:
    """The small pulse: HH (solid) rings around rest, the LIF twin (dotted) relaxes.

    Traces ``"HH"``, ``"LIF twin"``, ``"rest"``, the pulse band; the HH's undershoot below
    rest is labelled.
    """
    rest = rec.V_rest
    swing = max(rec.ring_peak, rec.lif_peak, 0.5e-3)
    lo = float(_mV(rest + min(rec.ring_undershoot, 0.0))) - 0.15 * float(_mV(swing))
    hi = float(_mV(rest + swing)) + 0.15 * float(_mV(swing))
    fig = _pair_figure(
        rec.small,
        rec.small_lif,
        rec.lif_params,
        rec.onset,
        rec.small_width,
        rec.small_amplitude,
        rest,
        height=height,
        t_max=t_max,
        y_range=[lo, hi],
        rest_line=True,
    )
    after = rec.small.t >= rec.onset + rec.small_width
    k = int(np.flatnonzero(after)[np.argmin(rec.small.V[0][after])])
    if rec.ring_undershoot < 0:
        fig.annotate(
            float(_ms(rec.small.t[k])),
            float(_mV(rec.small.V[0, k])),
            f"undershoot {float(_mV(rec.ring_undershoot)):.2f} mV".replace("-", "−"),
            xanchor="left",
            yanchor="top",
            xshift=6,
            **_LABEL,
        )
    return fig.figure()


def rebound_figure(rec: RingingRebound, *, height: int = 360) -> go.Figure:
    """The hyperpolarising pulse: HH (solid) fires on release, the LIF twin (dotted) cannot.

    Traces ``"HH"``, ``"LIF twin"``, ``"LIF threshold V_th"``, the pulse band; a rebound
    spike is labelled.
    """
    t_max = float(rec.hyper.t[-1])
    fig = _pair_figure(
        rec.hyper,
        rec.hyper_lif,
        rec.lif_params,
        rec.onset,
        rec.hyper_width,
        rec.hyper_amplitude,
        rec.V_rest,
        height=height,
        t_max=t_max,
        y_range=[-95.0, 50.0],
        rest_line=False,
    )
    V_th = float(_mV(rec.lif_params.V_th))
    fig.add(
        _ref(
            0.0, float(_ms(t_max)), V_th, V_th, "LIF threshold V_th", COLORS["threshold"], "dashdot"
        )
    )
    if rec.rebound_spikes.size:
        fig.annotate(
            float(_ms(rec.rebound_spikes[0])),
            30.0,
            "rebound spike",
            xanchor="left",
            yanchor="bottom",
            xshift=10,
            **_LABEL,
        )
    return fig.figure()


# --------------------------------------------------------------------------- f–I


def fi_classes_figure(
    rec: FIClasses, op: FIOperating | None = None, *, height: int = 420
) -> go.Figure:
    """HH (class 2: markers and solid line, broken at the jump) and LIF (class 1, dotted).

    Traces: ``"HH"`` (simulated), ``"LIF"`` (closed form), ``"HH onset"`` (reference,
    labelled on the chart), ``"this current"`` (markers on both, when ``op`` is
    given); the bistable range ``[onset, hopf]`` is a shaded band named ``"HH bistable"``.
    """
    fig = FigureSpec(X_CURRENT, Y_RATE, height=height)
    x = _nA(rec.currents)
    y = np.round(rec.hh_rate, 3)
    firing = y > 0
    # break the line between the last silent and the first firing current: a jump, not a ramp
    k = int(np.argmax(firing)) if firing.any() else x.size
    lx = np.concatenate([x[:k], [np.nan], x[k:]])
    ly = np.concatenate([y[:k], [np.nan], y[k:]])
    fig.add(
        scatter(
            x=lx,
            y=ly,
            mode="lines+markers",
            name="HH",
            line=dict(color=RICH_COLOR, width=3),
            marker=dict(color=RICH_COLOR, size=8),
            connectgaps=False,
        )
    )
    fig.add(
        _line(
            _nA(rec.lif_currents),
            np.round(rec.lif_rate, 3),
            "LIF",
            LIF_COLOR,
            dash=LIF_DASH,
            width=4,
        )
    )
    top = 1.15 * max(float(np.max(rec.hh_rate)), float(np.max(rec.lif_rate)), 10.0)
    onset = float(_nA(rec.onset))
    fig.add(_ref(onset, onset, 0.0, top, "HH onset", COLORS["threshold"]) | {"showlegend": False})
    fig.annotate(
        onset,
        top,
        f"HH onset {onset:.2f} nA: jump to {rec.onset_rate:.0f} Hz",
        xanchor="left",
        yanchor="top",
        xshift=4,
        **_LABEL,
    )
    hopf = float(_nA(rec.hopf))
    if np.isfinite(hopf):
        fig.vrect(
            onset,
            min(hopf, float(x[-1])),
            fillcolor=COLORS["marker"],
            opacity=0.12,
            line=dict(width=0),
            name="HH bistable",
            showlegend=True,
        )
    if op is not None:
        fig.add(
            scatter(
                x=[float(_nA(op.I))] * 2,
                y=[op.hh_rate, op.lif_rate],
                mode="markers",
                name="this current",
                cliponaxis=False,
                marker=dict(
                    color=COLORS["marker"],
                    size=16,
                    symbol="star",
                    line=dict(color=COLORS["V"], width=1.5),
                ),
            )
        )
    fig.xaxis(range=[0.0, float(x[-1])])
    fig.yaxis(range=[0.0, top])
    fig.update(hovermode="closest")
    return fig.figure()


def fi_trace_figure(op: FIOperating, *, height: int = 420) -> go.Figure:
    """HH (solid) and the f–I LIF (dotted) under the operating current, from rest.

    Traces ``"HH"``, ``"LIF"`` (resets at its spike times), ``"LIF threshold V_th"``.
    """
    lif = op.lif_params
    fig = FigureSpec(X_TIME, Y_V, height=height)
    x, y = _smooth(op.hh.t, op.hh.V[0], MAX_POINTS)
    fig.add(_line(x, y, "HH", RICH_COLOR, width=2.5))
    lx, ly = _trace(_lif_t(op.lif), op.lif.V[0], op.lif.spike_times[0], lif.V_th, lif.V_reset)
    fig.add(_line(lx, ly, "LIF", LIF_COLOR, dash=LIF_DASH, width=3))
    t_end = float(_ms(op.hh.t[-1]))
    V_th = float(_mV(lif.V_th))
    fig.add(_ref(0.0, t_end, V_th, V_th, "LIF threshold V_th", COLORS["threshold"], "dashdot"))
    fig.xaxis(range=[0.0, t_end])
    fig.yaxis(range=[-85.0, 55.0])
    return fig.figure()


# --------------------------------------------------------------------------- compartments


def dendrite_figure(rec: DendriticInput, *, height: int = 400) -> go.Figure:
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
        f"{rec.attenuation:.1f}× smaller, {float(_ms(rec.delay)):.1f} ms later",
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
