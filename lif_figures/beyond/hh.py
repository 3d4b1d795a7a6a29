"""Chapter 7 charts of the Hodgkin–Huxley sections: spike shape, ringing and rebound, f–I."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from lif_core.analysis.beyond import FIClasses, FIOperating, RingingRebound, SpikeShape
from lif_figures._units import _ms, _mV, _nA
from lif_figures.beyond._draw import (
    _LABEL,
    LIF_COLOR,
    LIF_DASH,
    RICH_COLOR,
    X_CURRENT,
    X_TIME,
    Y_RATE,
    Y_V,
    _lif_t,
    _line,
    _pulse_band,
    _ref,
    _smooth,
    _trace,
)
from lif_figures.spec import FigureSpec, scatter
from lif_figures.style import COLORS, FULL_WIDTH, HALF_POINTS, MAX_POINTS, rounded

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


def ringing_figure(rec: RingingRebound, *, height: int = 400, t_max: float = 40e-3) -> go.Figure:
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


def rebound_figure(rec: RingingRebound, *, height: int = 400) -> go.Figure:
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
