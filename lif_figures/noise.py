"""Figures for chapter 8, noise and irregular firing: they draw the records of
:mod:`lif_core.analysis.noise` and compute nothing.

- :func:`trials_figure`: V(t) of one trial over a raster of all trials;
- :func:`isi_histogram_figure`: the inter-spike intervals of all trials;
- :func:`rate_curves_figure` and :func:`cv_curves_figure`: rate and CV against the mean
  current for several noise amplitudes, simulated points over theory.

Simulated data are solid lines or markers, theory dashed; every value goes through
:mod:`lif_figures._units` to mV, ms, nA. Nothing here imports streamlit.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import plotly.graph_objects as go

from lif_core.analysis.noise import ISIHistogram, RateCurves, Trials
from lif_figures._units import _fmt, _ms, _mV, _nA
from lif_figures.spec import FigureSpec, scatter
from lif_figures.style import (
    COLORS,
    DASH_THEORY,
    LABEL_FONT,
    MAX_POINTS,
    OKABE_ITO,
    downsample,
    rounded,
)

__all__ = [
    "SIGMA_STYLES",
    "OperatingMark",
    "cv_curves_figure",
    "isi_histogram_figure",
    "rate_curves_figure",
    "sigma_label",
    "trials_figure",
]

X_TIME = "time (ms)"
Y_V = "V (mV)"
Y_TRIAL = "trial"
X_CURRENT = "mean current (nA)"
Y_RATE = "rate (Hz)"
Y_CV = "CV of the intervals"
X_ISI = "inter-spike interval (ms)"
Y_COUNT = "intervals"

#: Height of the spike marks drawn above threshold (mV).
SPIKE_HEIGHT_MV = 8.0

#: Colour and marker of each noise amplitude, by position (0 = no noise): colour is never
#: the only cue.
SIGMA_STYLES: tuple[tuple[str, str], ...] = (
    (OKABE_ITO["grey"], "circle"),
    (OKABE_ITO["blue"], "square"),
    (OKABE_ITO["green"], "diamond"),
    (OKABE_ITO["vermillion"], "triangle-up"),
    (OKABE_ITO["purple"], "pentagon"),
)

#: Half the height of a raster tick, in rows (trials): a tick spans 80 % of its row.
RASTER_TICK = 0.4

_LABEL = dict(font=dict(size=LABEL_FONT), bgcolor="rgba(128,128,128,0.12)")


def sigma_label(sigma_V: float) -> str:
    """Legend text of a noise amplitude (V), under the legend title σ_V: ``"2 mV"``, ``"0 mV"``."""
    return f"{_fmt(_mV(sigma_V))} mV"


def _ticks(x: np.ndarray, y0: float | np.ndarray, y1: float | np.ndarray):
    """Vertical ticks from ``y0`` to ``y1`` at each ``x``, as one line trace's x and y.

    One path with NaN gaps (``x, x, nan`` per tick): plotly draws a marker as an SVG element
    of its own, which made the 2000-spike raster twice as slow to draw (165 ms against 81 ms
    a redraw of the chart, headless Chromium here).
    """
    x = np.asarray(x, dtype=float)
    tx = np.repeat(x, 3)
    tx[2::3] = np.nan
    ty = np.empty(3 * x.size)
    ty[0::3] = y0
    ty[1::3] = y1
    ty[2::3] = np.nan
    return tx, ty


def _hline(y: float, x0: float, x1: float, name: str, color: str, dash: str, legend: bool):
    return scatter(
        x=[x0, x1],
        y=[y, y],
        mode="lines",
        name=name,
        showlegend=legend,
        line=dict(color=color, width=2, dash=dash),
        hoverinfo="name",
    )


def trials_figure(trials: Trials, *, height: int = 460, max_trials: int = 40) -> go.Figure:
    """V(t) of the first trial with threshold, reset and mean input; a raster of all trials.

    Parameters
    ----------
    trials : Trials
        From :func:`lif_core.analysis.noise.noisy_trials`.
    height : int
        Figure height (px).
    max_trials : int
        Most trials drawn in the raster (the first ones).

    Returns
    -------
    go.Figure
        Two rows sharing the time axis. Row 1 (``yaxis``): ``"V, trial 1"`` (solid,
        reduced with :func:`~lif_figures.style.downsample`), ``"spikes, trial 1"`` (marks
        above threshold), ``"threshold V_th"`` and ``"reset V_reset"`` (labelled on the
        chart) and ``"mean input μ"`` (dashed, ``E_L + R·I``: where V would hover without
        threshold). Only V and the mean input are in the legend.
        Row 2 (``yaxis2``): ``"raster, trial 1"`` (top row, in the colour of V) and
        ``"raster"`` (the other trials), one row of ticks per trial: each spike a vertical
        line from ``trial - RASTER_TICK`` to ``trial + RASTER_TICK`` (x: the spike time,
        three points per spike, the third NaN; see :func:`_ticks`).
    """
    p = trials.params
    t_ms = _ms(trials.t)
    t_end = float(_ms(trials.t[-1] + trials.dt))
    V_th, V_reset, mu = float(_mV(p.V_th)), float(_mV(p.V_reset)), float(_mV(trials.setting.mu))
    fig = FigureSpec(
        X_TIME,
        Y_V,
        height=height,
        y_titles=(Y_V, Y_TRIAL),
        row_heights=(0.58, 0.42),
        spacing=0.06,
    )
    xs, ys = downsample(t_ms, _mV(trials.V), MAX_POINTS)
    fig.add(
        scatter(
            x=rounded(xs, "ms"),
            y=rounded(ys, "mV"),
            mode="lines",
            name="V, trial 1",
            line=dict(color=COLORS["V"], width=2),
        )
    )
    top = V_th + SPIKE_HEIGHT_MV
    first = np.asarray(trials.spike_times[0], dtype=float)
    if first.size:
        sx, sy = _ticks(rounded(_ms(first), "ms"), V_th, top)
        fig.add(
            scatter(
                x=sx,
                y=sy,
                mode="lines",
                name="spikes, trial 1",
                line=dict(color=COLORS["spike"], width=1.5),
                connectgaps=False,
                hoverinfo="x",
                showlegend=False,
            )
        )
    fig.add(_hline(V_th, 0.0, t_end, "threshold V_th", COLORS["threshold"], "dashdot", False))
    fig.add(_hline(V_reset, 0.0, t_end, "reset V_reset", COLORS["reset"], "dot", False))
    fig.add(_hline(mu, 0.0, t_end, "mean input μ", COLORS["theory"], DASH_THEORY, True))
    for y, text, anchor in ((V_th, "V_th", "bottom"), (V_reset, "V_reset", "top")):
        fig.annotate(t_end, y, text, xanchor="right", yanchor=anchor, font=dict(size=LABEL_FONT))
    lo = min(float(np.min(ys)), V_reset, mu) - 2.0
    fig.yaxis(1, range=[lo, top + 2.0])

    n = min(trials.n_trials, max_trials)
    for k0, k1, name, color in (
        (1, n, "raster", OKABE_ITO["black"]),
        (0, 1, "raster, trial 1", COLORS["V"]),
    ):
        rows = [np.asarray(trials.spike_times[k], dtype=float) for k in range(k0, k1)]
        rx = np.concatenate(rows) if rows else np.zeros(0)
        ry = (
            np.concatenate([np.full(r.size, k0 + i + 1.0) for i, r in enumerate(rows)])
            if rows
            else np.zeros(0)
        )
        tx, ty = _ticks(rounded(_ms(rx), "ms"), ry - RASTER_TICK, ry + RASTER_TICK)
        fig.add(
            scatter(
                x=tx,
                y=ty,
                mode="lines",
                name=name,
                showlegend=False,
                line=dict(color=color, width=1.5),
                connectgaps=False,
                hovertemplate="trial %{y:.0f}, spike at %{x:.1f} ms<extra></extra>",
            ),
            row=2,
        )
    fig.yaxis(2, range=[n + 0.5, 0.5], showgrid=False, tickvals=[1, n] if n > 1 else [1])
    fig.xaxis(range=[0.0, t_end])
    return fig.figure()


def isi_histogram_figure(hist: ISIHistogram, *, height: int = 460) -> go.Figure:
    """Histogram of the inter-spike intervals, with the mean interval and ``t_ref`` marked.

    Returns
    -------
    go.Figure
        ``"intervals"`` (bars, x = bin centres in ms, y = count), ``"mean ISI"``
        (a vertical line, labelled with the mean and the CV) and ``"t_ref"`` (dotted).
    """
    edges = _ms(hist.edges)
    centers = (edges[:-1] + edges[1:]) / 2.0
    fig = FigureSpec(X_ISI, Y_COUNT, height=height)
    fig.add(
        {
            "type": "bar",
            "x": rounded(centers, "ms"),
            "y": np.asarray(hist.counts, dtype=float),
            "width": float(edges[1] - edges[0]),
            "name": "intervals",
            "marker": {"color": COLORS["V"], "line": {"width": 0}},
            "hovertemplate": "%{y} intervals near %{x:.1f} ms<extra></extra>",
        }
    )
    y_top = 1.15 * max(float(np.max(hist.counts, initial=0)), 1.0)
    if np.isfinite(hist.mean_isi):
        m = float(_ms(hist.mean_isi))
        fig.add(
            scatter(
                x=[m, m],
                y=[0.0, y_top],
                mode="lines",
                name="mean ISI",
                line=dict(color=COLORS["theory"], width=3, dash="dash"),
                hoverinfo="name",
            )
        )
        fig.annotate(
            m,
            y_top,
            f"mean {_fmt(m)} ms, CV {hist.cv:.2f}",
            xanchor="left",
            yanchor="top",
            xshift=4,
            **_LABEL,
        )
    r = float(_ms(hist.t_ref))
    fig.add(
        scatter(
            x=[r, r],
            y=[0.0, y_top],
            mode="lines",
            name="t_ref",
            line=dict(color=COLORS["reset"], width=2, dash="dot"),
            hoverinfo="name",
        )
    )
    fig.xaxis(range=[0.0, float(edges[-1])])
    fig.yaxis(range=[0.0, y_top])
    fig.update(bargap=0.05, showlegend=False, hovermode="closest")
    return fig.figure()


class OperatingMark(NamedTuple):
    """The operating point drawn on the curves (SI)."""

    I_mean: float  #: mean current (A)
    rate: float  #: simulated rate (Hz)
    rate_se: float  #: its standard error (Hz)
    cv: float  #: simulated CV
    cv_se: float  #: its standard error
    sigma_V: float  #: noise amplitude (V)


def _curves(
    curves: RateCurves,
    sim: np.ndarray,
    sim_se: np.ndarray,
    theory: np.ndarray,
    y_title: str,
    height: int,
    skip_noiseless_points: bool,
) -> tuple[FigureSpec, float]:
    """Theory curves and simulated points per amplitude; returns the spec and the rheobase (nA)."""
    fig = FigureSpec(X_CURRENT, y_title, height=height)
    x_th = _nA(curves.I_theory)
    x_sim = _nA(curves.currents)
    for k, s in enumerate(curves.sigma_V):
        color, symbol = SIGMA_STYLES[k % len(SIGMA_STYLES)]
        label = sigma_label(float(s))
        fig.add(
            scatter(
                x=x_th,
                y=np.asarray(theory[k], dtype=float),
                mode="lines",
                name=label,
                legendgroup=str(k),
                line=dict(color=color, dash=DASH_THEORY, width=2.5),
            )
        )
        if k == 0 and skip_noiseless_points:
            continue
        fig.add(
            scatter(
                x=x_sim,
                y=np.asarray(sim[k], dtype=float),
                mode="markers",
                name=f"simulated, {label}",
                legendgroup=str(k),
                showlegend=False,
                marker=dict(color=color, size=9, symbol=symbol, line=dict(width=0)),
                error_y=dict(
                    type="data", array=np.nan_to_num(sim_se[k]), color=color, thickness=1.5
                ),
            )
        )
    fig.update(legend=dict(title=dict(text="σ_V")))
    rh = float(_nA(curves.rheobase))
    return fig, rh


def _operating(fig: FigureSpec, x: float, y: float, err: float, name: str) -> None:
    fig.add(
        scatter(
            x=[x],
            y=[y],
            mode="markers",
            name=name,
            cliponaxis=False,
            showlegend=False,
            marker=dict(
                color=COLORS["marker"], size=17, symbol="star", line=dict(color="black", width=1)
            ),
            error_y=dict(type="data", array=[err if np.isfinite(err) else 0.0], thickness=2),
        )
    )


def rate_curves_figure(
    curves: RateCurves, operating: OperatingMark | None = None, *, height: int = 440
) -> go.Figure:
    """Rate against mean current for several noise amplitudes: points over theory.

    Returns
    -------
    go.Figure
        Per amplitude: a dashed theory curve named by :func:`sigma_label` (Siegert with the
        Fourcaud–Brunel correction) and a marker trace ``"simulated, <label>"`` with error
        bars (±1 standard error); ``"rheobase"`` (vertical, dotted) and, with
        ``operating``, ``"this setting (simulated)"`` (a star with its error bar).
    """
    fig, rh = _curves(
        curves, curves.rate, curves.rate_se, curves.rate_theory, Y_RATE, height, False
    )
    y_top = max(
        float(np.nanmax(curves.rate_theory)),
        float(np.nanmax(curves.rate + curves.rate_se)),
        10.0,
    )
    if operating is not None:
        y_top = max(y_top, operating.rate + np.nan_to_num(operating.rate_se))
        _operating(
            fig,
            float(_nA(operating.I_mean)),
            operating.rate,
            operating.rate_se,
            "this setting (simulated)",
        )
    y_top *= 1.08
    fig.add(
        {
            **scatter(
                x=[rh, rh],
                y=[0.0, y_top],
                mode="lines",
                name="rheobase",
                line=dict(color=COLORS["threshold"], width=2, dash="dot"),
                hoverinfo="name",
            ),
            "showlegend": False,
        }
    )
    fig.annotate(rh, y_top, "rheobase", xanchor="right", yanchor="top", xshift=-4, **_LABEL)
    fig.xaxis(range=[0.0, float(_nA(curves.currents[-1]))])
    fig.yaxis(range=[0.0, y_top])
    fig.update(hovermode="closest")
    return fig.figure()


def cv_curves_figure(
    curves: RateCurves, operating: OperatingMark | None = None, *, height: int = 440
) -> go.Figure:
    """CV of the intervals against mean current: points over theory, CV = 1 marked.

    Returns
    -------
    go.Figure
        Per noisy amplitude: a dashed theory curve named by :func:`sigma_label` (Brunel's
        white-noise CV at the bounds shifted as for the rate) and markers
        ``"simulated, <label>"`` (±1 standard error); the noiseless curve (CV = 0 above
        rheobase) has no points. ``"Poisson (CV = 1)"`` (dotted), ``"rheobase"`` and, with
        ``operating``, ``"this setting (simulated)"``.
    """
    fig, rh = _curves(curves, curves.cv, curves.cv_se, curves.cv_theory, Y_CV, height, True)
    x1 = float(_nA(curves.currents[-1]))
    fig.add(
        scatter(
            x=[0.0, x1],
            y=[1.0, 1.0],
            mode="lines",
            name="Poisson (CV = 1)",
            showlegend=False,
            line=dict(color=COLORS["reset"], width=2, dash="dot"),
            hoverinfo="name",
        )
    )
    fig.annotate(x1, 1.0, "Poisson, CV = 1", xanchor="right", yanchor="bottom", **_LABEL)
    y_top = 1.25
    if operating is not None and np.isfinite(operating.cv):
        y_top = max(y_top, operating.cv + np.nan_to_num(operating.cv_se) + 0.05)
        _operating(
            fig,
            float(_nA(operating.I_mean)),
            operating.cv,
            operating.cv_se,
            "this setting (simulated)",
        )
    fig.add(
        {
            **scatter(
                x=[rh, rh],
                y=[0.0, y_top],
                mode="lines",
                name="rheobase",
                line=dict(color=COLORS["threshold"], width=2, dash="dot"),
                hoverinfo="name",
            ),
            "showlegend": False,
        }
    )
    fig.xaxis(range=[0.0, x1])
    fig.yaxis(range=[0.0, y_top])
    fig.update(hovermode="closest")
    return fig.figure()
