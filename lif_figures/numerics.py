"""Figures for the page "How the simulator works": they draw the records of
:mod:`lif_core.analysis.numerics` and compute nothing.

- :func:`method_trace_figure`: one integrator's V on the grid over the closed form;
- :func:`error_figure`: the error of every integrator against ``dt`` on log–log axes.

Simulated data are solid (with a marker at each grid point when they are few), the closed
form dashed. Nothing here imports streamlit.
"""

from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go

from lif_core.analysis.numerics import (
    BOTH_ON_GRID,
    ENGINE,
    EULER,
    GRID_CROSSING,
    GRID_REFRACTORY,
    ClosedFormTrace,
    ErrorSweep,
    MethodTrace,
)
from lif_figures._units import _ms, _mV
from lif_figures.spec import FigureSpec, scatter
from lif_figures.style import (
    COLORS,
    DASH_THEORY,
    HALF_WIDTH,
    LABEL_FONT,
    MAX_POINTS,
    OKABE_ITO,
    downsample,
)

__all__ = ["INTEGRATOR_STYLES", "error_figure", "method_trace_figure", "trace_y_range"]

X_TIME = "time (ms)"
Y_V = "V (mV)"
X_DT = "time step dt (ms)"
Y_RATE_ERROR = "|rate error| (Hz)"
Y_FIRST_ERROR = "|first spike time error| (ms)"

#: Colour, marker symbol and dash of each integrator (colour is never the only cue).
INTEGRATOR_STYLES: dict[str, tuple[str, str, str]] = {
    ENGINE.name: (COLORS["V"], "circle", "solid"),
    GRID_CROSSING.name: (OKABE_ITO["green"], "square", "solid"),
    GRID_REFRACTORY.name: (OKABE_ITO["sky_blue"], "diamond-open", "dot"),
    BOTH_ON_GRID.name: (OKABE_ITO["black"], "triangle-up", "solid"),
    EULER.name: (OKABE_ITO["purple"], "x", "solid"),
}
_SHORT = {i.name: i.short for i in (ENGINE, GRID_CROSSING, GRID_REFRACTORY, BOTH_ON_GRID, EULER)}

#: Grid points are marked when a trace has at most this many.
_MARK_POINTS = 250

#: Height of the spike marks above threshold (mV).
_SPIKE_MV = 6.0


def trace_y_range(theory: ClosedFormTrace, V_th: float) -> tuple[float, float]:
    """A y range (mV) holding the closed form and the spike marks, shared by side-by-side charts."""
    lo = float(_mV(np.min(theory.V))) - 3.0
    return lo, float(_mV(V_th)) + _SPIKE_MV + 2.0


def _spike_marks(times: np.ndarray, V_th_mV: float, name: str, color: str, dash: str, group: str):
    sx = np.repeat(_ms(np.asarray(times, dtype=float)), 3)
    sx[2::3] = np.nan
    sy = np.tile([V_th_mV, V_th_mV + _SPIKE_MV, np.nan], len(times))
    return scatter(
        x=sx,
        y=sy,
        mode="lines",
        name=name,
        line=dict(color=color, width=2, dash=dash),
        connectgaps=False,
        hoverinfo="x",
        legendgroup=group,
        showlegend=False,
    )


def method_trace_figure(
    trace: MethodTrace,
    theory: ClosedFormTrace,
    V_th: float,
    *,
    y_range: tuple[float, float] | None = None,
    height: int = 400,
) -> go.Figure:
    """One integrator's V at the grid times over the closed form, spikes marked above threshold.

    Parameters
    ----------
    trace : MethodTrace
        The integrator's run (:func:`lif_core.analysis.numerics.method_trace`).
    theory : ClosedFormTrace
        The exact solution over the same time.
    V_th : float
        Threshold (V).
    y_range : tuple of float, optional
        y range (mV); by default :func:`trace_y_range`.
    height : int
        Figure height (px).

    Returns
    -------
    go.Figure
        ``"closed form"`` (dashed) and its ``"closed-form spikes"`` (dotted marks);
        the integrator's V named by its short name (solid, a marker at each grid point when
        there are at most 250) and its ``"spikes"`` (solid marks); ``"threshold V_th"``
        (labelled on the chart). Only the closed form and the integrator are in the legend.
    """
    color, _, _ = INTEGRATOR_STYLES[trace.integrator.name]
    V_th_mV = float(_mV(V_th))
    t_end = float(_ms(theory.t[-1]))
    fig = FigureSpec(X_TIME, Y_V, height=height)
    fig.add(
        scatter(
            x=_ms(theory.t),
            y=_mV(theory.V),
            mode="lines",
            name="closed form",
            legendgroup="theory",
            line=dict(color=COLORS["theory"], width=2.5, dash=DASH_THEORY),
        )
    )
    xs, ys = downsample(_ms(trace.t), _mV(trace.V), MAX_POINTS)
    few = trace.t.size <= _MARK_POINTS
    fig.add(
        scatter(
            x=xs,
            y=ys,
            mode="lines+markers" if few else "lines",
            name=trace.integrator.short,
            legendgroup="method",
            line=dict(color=color, width=2),
            marker=dict(color=color, size=5),
        )
    )
    if theory.spike_times.size:
        fig.add(
            _spike_marks(
                theory.spike_times, V_th_mV, "closed-form spikes", COLORS["theory"], "dot", "theory"
            )
        )
    if trace.spike_times.size:
        fig.add(_spike_marks(trace.spike_times, V_th_mV, "spikes", color, "solid", "method"))
    fig.add(
        scatter(
            x=[0.0, t_end],
            y=[V_th_mV, V_th_mV],
            mode="lines",
            name="threshold V_th",
            showlegend=False,
            line=dict(color=COLORS["threshold"], width=2, dash="dashdot"),
            hoverinfo="name",
        )
    )
    fig.annotate(0.0, V_th_mV, "V_th", xanchor="left", yanchor="bottom", font=dict(size=LABEL_FONT))
    lo, hi = y_range if y_range is not None else trace_y_range(theory, V_th)
    fig.yaxis(range=[lo, hi])
    fig.xaxis(range=[0.0, t_end])
    return fig.figure()


def _log_range(values: np.ndarray) -> list[float]:
    """A log10 axis range around the positive finite ``values``, padded by a fifth of a decade."""
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v) & (v > 0)]
    if v.size == 0:
        return [-1.0, 1.0]
    return [math.log10(v.min()) - 0.2, math.log10(v.max()) + 0.2]


def error_figure(
    sweep: ErrorSweep,
    kind: str,
    *,
    dt_mark: float | None = None,
    height: int = 420,
    width: int = HALF_WIDTH,
) -> go.Figure:
    """Error against ``dt`` on log–log axes, one line per integrator, round-off floor dotted.

    Parameters
    ----------
    sweep : ErrorSweep
        From :func:`lif_core.analysis.numerics.error_sweep`.
    kind : {"rate", "first_spike"}
        Which error to draw: the steady-state rate (Hz) or the first spike time (ms).
    dt_mark : float, optional
        A time step to mark with a vertical line (s), e.g. the slider's.
    height, width : int
        Figure height (px) and the width it is laid out for (room for the legend).

    Returns
    -------
    go.Figure
        One trace per integrator, named by its short name (errors below round-off are
        drawn at the round-off floor); ``"round-off"`` (dotted, labelled on the chart) and
        ``"dt on the slider"`` (vertical). The fitted slopes are in ``sweep``.
    """
    if kind == "rate":
        errors, floor = sweep.rate_error, sweep.rate_floor
        y_title = Y_RATE_ERROR
    elif kind == "first_spike":
        errors = {k: _ms(v) for k, v in sweep.first_spike_error.items()}
        floor = float(_ms(sweep.first_spike_floor))
        y_title = Y_FIRST_ERROR
    else:
        raise ValueError(f"kind = {kind!r} is not known (allowed: 'rate', 'first_spike')")
    x = _ms(sweep.dt)
    fig = FigureSpec(X_DT, y_title, height=height, width=width)
    drawn = []
    for name, err in errors.items():
        color, symbol, dash = INTEGRATOR_STYLES[name]
        y = np.maximum(np.asarray(err, dtype=float), floor)
        drawn.append(y)
        fig.add(
            scatter(
                x=x,
                y=y,
                mode="lines+markers",
                name=_SHORT[name],
                line=dict(color=color, width=2, dash=dash),
                marker=dict(color=color, size=7, symbol=symbol),
            )
        )
    y_lo, y_hi = _log_range(np.concatenate([*drawn, [floor]]))
    y_lo -= 1.0  # room for the round-off label under its line
    fig.add(
        scatter(
            x=[float(x[0]), float(x[-1])],
            y=[floor, floor],
            mode="lines",
            name="round-off",
            showlegend=False,
            line=dict(color=COLORS["reset"], width=2, dash="dot"),
            hoverinfo="name",
        )
    )
    fig.annotate(
        math.log10(float(x[0])),
        math.log10(floor),
        "round-off (1 ulp)",
        xanchor="left",
        yanchor="top",
        font=dict(size=LABEL_FONT),
    )
    if dt_mark is not None:
        m = float(_ms(dt_mark))
        fig.add(
            scatter(
                x=[m, m],
                y=[10**y_lo, 10**y_hi],
                mode="lines",
                name="dt on the slider",
                showlegend=False,
                line=dict(color=COLORS["marker"], width=2, dash="dash"),
                hoverinfo="name",
            )
        )
        fig.annotate(
            math.log10(m),  # annotations on a log axis take log10 coordinates
            0.5,
            "slider dt",
            yref="paper",
            xanchor="left",
            yanchor="middle",
            xshift=4,
            font=dict(size=LABEL_FONT),
        )
    fig.xaxis(type="log", range=_log_range(x), dtick=1)
    fig.yaxis(
        type="log",
        range=[y_lo, y_hi],
        dtick=2 if y_hi - y_lo > 8 else 1,
        exponentformat="power",
    )
    # power-of-ten tick labels (10⁻¹⁴) are wider than the default left margin holds
    fig.update(hovermode="closest", margin=dict(l=105))
    return fig.figure()
