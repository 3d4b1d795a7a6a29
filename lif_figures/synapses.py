"""Figures (and the small computations behind them) for chapters 5 and 6: synapses.

Chapter 5 compares a current-based synapse, whose current ``g(t)·(E_syn − E_L)``
is fixed by the driving force at rest, with a conductance-based synapse, whose
current ``−g(t)·(V − E_syn)`` follows the membrane potential and reverses sign
when ``V`` crosses ``E_syn``. Chapter 6 shows shunting inhibition: an
inhibitory conductance with ``E_syn`` at rest divides excitatory responses
below threshold, so E and I no longer add linearly.

Following the optuna ``_edf`` design, ``*_demo`` functions run
:func:`lif_core.simulate` and return a named record of the numbers (SI units,
plus a few display-unit summaries), and ``*_figure`` functions draw a record
into a plotly figure. Conversion for display goes through
:func:`lif_core.units.from_si`. Nothing here imports streamlit.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy as np
import plotly.graph_objects as go

from lif_core import simulate, stimulus, theory
from lif_core.params import LIFParams
from lif_figures._units import _ms, _mV, _nA, _nS
from lif_figures.firing import InhibitionCondition, start_potential
from lif_figures.spec import FigureSpec, scatter
from lif_figures.style import (
    COLORS,
    FULL_WIDTH,
    HALF_POINTS,
    HALF_WIDTH,
    LABEL_FONT,
    LEGEND_FONT,
    MAX_POINTS,
    TICK_FONT,
    downsample,
)

__all__ = [
    "EPSPCurves",
    "ShuntingDemo",
    "SynapseDemo",
    "epsp_curves",
    "epsp_curves_figure",
    "presynaptic_figure",
    "shunting_demo",
    "shunting_figure",
    "sign_changes",
    "synapse_color",
    "synapse_demo",
    "synapse_response_figure",
]

X_TIME = "time (ms)"
Y_V = "membrane potential V (mV)"
Y_DRIVE = "driving force V − E_syn (mV)"
Y_CURRENT = "current (nA)"
Y_G = "conductance (nS)"
Y_DEFLECTION = "peak V − E_L (mV)"
X_GEXC = "excitatory peak conductance (nS)"

#: Models compared in chapter 5.
MODELS = ("current", "conductance")


def _line(
    x: Any,
    y: Any,
    name: str,
    color: str,
    *,
    dash: str | None = None,
    width: float = 2,
    max_points: int = MAX_POINTS,
    **kw: Any,
) -> dict[str, Any]:
    xs, ys = downsample(np.asarray(x, dtype=float), np.asarray(y, dtype=float), max_points)
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


class SynapseDemo(NamedTuple):
    """One presynaptic spike train through a current-based and a conductance-based synapse.

    All arrays are SI and share the time grid ``t``.
    """

    t: np.ndarray  #: time grid (s)
    dt: float  #: time step (s)
    params: LIFParams  #: neuron parameters
    pre_spikes: np.ndarray  #: presynaptic spike times (s)
    g: np.ndarray  #: synaptic conductance (S)
    E_syn: float  #: synaptic reversal potential (V)
    I_bias: float  #: constant injected current (A)
    V: dict[str, np.ndarray]  #: model -> membrane potential (V)
    I_syn: dict[str, np.ndarray]  #: model -> synaptic current, positive = depolarising (A)
    spikes: dict[str, np.ndarray]  #: model -> postsynaptic spike times (s)
    crossings: np.ndarray  #: times where the conductance-based current changes sign (s)
    mean_current: dict[str, float]  #: model -> time-averaged synaptic current (A)


def sign_changes(t: np.ndarray, x: np.ndarray, active: np.ndarray | None = None) -> np.ndarray:
    """Times where ``x`` changes sign, linearly interpolated between grid points.

    Parameters
    ----------
    t : ndarray
        Time grid (s).
    x : ndarray
        Signal on that grid (e.g. a synaptic current).
    active : ndarray of bool, optional
        Only count sign changes where ``active`` is True at both ends
        (e.g. where the conductance is non-zero).

    Returns
    -------
    ndarray
        Crossing times (s).
    """
    t = np.asarray(t, dtype=float)
    x = np.asarray(x, dtype=float)
    s = np.sign(x)
    k = np.flatnonzero(s[:-1] * s[1:] < 0)
    if active is not None:
        active = np.asarray(active, dtype=bool)
        k = k[active[k] & active[k + 1]]
    x0, x1 = x[k], x[k + 1]
    return t[k] + (t[k + 1] - t[k]) * x0 / (x0 - x1)


def synapse_demo(
    params: LIFParams,
    rate: float,
    g_max: float,
    tau_syn: float,
    E_syn: float,
    I_bias: float = 0.0,
    *,
    poisson: bool = False,
    seed: int = 0,
    duration: float = 0.5,
    dt: float = 1e-4,
) -> SynapseDemo:
    """Drive the neuron with one presynaptic train through both kinds of synapse.

    Parameters
    ----------
    params : LIFParams
        Neuron parameters.
    rate : float
        Presynaptic rate (Hz), >= 0.
    g_max : float
        Peak conductance of one synaptic event (S), >= 0.
    tau_syn : float
        Decay time constant of the exponential conductance (s), > 0.
    E_syn : float
        Synaptic reversal potential (V).
    I_bias : float
        Constant current injected into both neurons (A).
    poisson : bool
        Poisson spike train (fixed ``seed``) instead of a regular one.
    seed : int
        Seed of the Poisson train.
    duration, dt : float
        Simulated time and time step (s).

    Returns
    -------
    SynapseDemo
        Both models' potentials and synaptic currents, in one vectorised simulation.

    Notes
    -----
    Conductance-based: :math:`I_{syn} = -g(t)\\,(V - E_{syn})`.
    Current-based: the driving force is frozen at its value at rest,
    :math:`I_{syn} = -g(t)\\,(E_L - E_{syn})`, so the same event injects the
    same current whatever ``V`` is, and the current never changes sign.
    """
    if poisson:
        pre = stimulus.poisson_spike_train(rate, duration, seed=seed)
    else:
        # first event one interval in, so the response starts from rest
        pre = (
            stimulus.regular_spike_train(rate, duration, start=min(1.0 / rate, 0.02))
            if rate > 0
            else np.zeros(0)
        )
    g = stimulus.synaptic_conductance(pre, g_max, tau_syn, duration, dt)
    E_L = float(params.E_L)
    I_current = -g * (E_L - E_syn)
    n_steps = g.size
    I_inj = np.empty((2, n_steps))
    I_inj[0] = I_bias + I_current
    I_inj[1] = I_bias
    G = np.zeros((2, n_steps))
    G[1] = g
    res = simulate(
        params, I=I_inj, g_syn=G, E_syn=E_syn, duration=duration, dt=dt, V0=start_potential(params)
    )
    I_cond = -g * (res.V[1] - E_syn)
    return SynapseDemo(
        t=res.t,
        dt=res.dt,
        params=params,
        pre_spikes=pre,
        g=g,
        E_syn=float(E_syn),
        I_bias=float(I_bias),
        V={"current": res.V[0], "conductance": res.V[1]},
        I_syn={"current": I_current, "conductance": I_cond},
        spikes={"current": res.spike_times[0], "conductance": res.spike_times[1]},
        crossings=sign_changes(res.t, I_cond, g > 0),
        mean_current={"current": float(np.mean(I_current)), "conductance": float(np.mean(I_cond))},
    )


def synapse_color(params: LIFParams, E_syn: float) -> str:
    """Excitatory colour if the synapse depolarises the neuron at rest, else inhibitory."""
    return COLORS["exc"] if E_syn > params.E_L else COLORS["inh"]


def presynaptic_figure(demo: SynapseDemo, *, height: int = 260) -> go.Figure:
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
    fig.add(_line(t, V, "V", COLORS["V"], max_points=HALF_POINTS), row=1)
    fig.add(_level(E_syn, t_end, "E_syn", synapse_color(p, demo.E_syn), "dashdot", 2), row=1)
    fig.add(_level(_mV(p.V_th), t_end, "threshold V_th", COLORS["threshold"], "dot", 1.5), row=1)
    if model == "conductance":
        drive = V - E_syn
        drive_name = "V − E_syn"
        dash = None
    else:
        drive = np.full_like(V, _mV(p.E_L) - E_syn)
        drive_name = "E_L − E_syn (frozen)"
        dash = "dash"
    fig.add(_line(t, drive, drive_name, COLORS["I_R"], dash=dash, max_points=HALF_POINTS), row=2)

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
                marker=dict(
                    symbol="circle-open", size=8, color=COLORS["marker"], line=dict(width=1.5)
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
                    symbol="x-thin-open", size=9, color=COLORS["marker"], line=dict(width=2)
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
        if above:  # lift the legend over the note (paper units: plot height, margins 80 + 60)
            fig.update(legend=dict(y=1.0 + 1.8 * LABEL_FONT / (height - 140)))
    fig.yaxis(1, range=[lo - pad, hi + pad])
    d_all = np.concatenate([_mV(demo.V["conductance"]) - E_syn, [_mV(p.E_L) - E_syn]])
    d_lo, d_hi = float(d_all.min()), float(d_all.max())
    if d_lo - near <= 0.0 <= d_hi + near:
        d_lo, d_hi = min(d_lo, 0.0), max(d_hi, 0.0)
    fig.yaxis(2, range=[d_lo - pad, d_hi + pad])
    I_all = np.concatenate([_nA(i) for i in demo.I_syn.values()] + [[0.0]])
    span = max(float(I_all.max() - I_all.min()), 1e-3)
    fig.yaxis(3, range=[float(I_all.min()) - 0.08 * span, float(I_all.max()) + 0.08 * span])
    fig.xaxis(range=[0.0, t_end])
    fig.update(margin=dict(l=80, r=30, t=80, b=75), legend=dict(font=dict(size=LEGEND_FONT)))
    return fig.figure()


# --------------------------------------------------------------------------------------
# chapter 6: shunting inhibition below threshold


#: Timing of the shunting demo (s): inhibition switched on, excitatory event, end.
T_INH_ON = 0.02
T_EXC = 0.06
SHUNT_DURATION = 0.14
#: AMPA-like excitatory event used in chapter 6.
E_EXC = 0.0
TAU_EXC = 5e-3


class ShuntingDemo(NamedTuple):
    """E alone, I alone and E+I on a passive membrane; numbers in display units."""

    t: np.ndarray  #: time grid (s)
    dt: float  #: time step (s)
    params: LIFParams
    g_exc: np.ndarray  #: excitatory conductance (S)
    g_inh: np.ndarray  #: inhibitory conductance (S), a step switched on at T_INH_ON
    E_inh: float  #: inhibitory reversal potential (V)
    V: dict[str, np.ndarray]  #: "E", "I", "E+I" -> V (V); "E + I (sum)" linear prediction
    peak_E_mV: float  #: peak of V − E_L with E alone (mV)
    peak_I_mV: float  #: largest deflection V − E_L with I alone, signed (mV)
    peak_EI_mV: float  #: peak of V − E_L with E and I together (mV)
    linear_mV: float  #: peak(E) + peak(I), the linear prediction (mV)
    nonlinear_mV: float  #: peak(E+I) − (peak(E) + peak(I)) (mV)
    nonlinear_pct: float  #: that difference in % of peak(E)
    epsp_E_mV: float  #: EPSP amplitude from the pre-event baseline, E alone (mV)
    epsp_EI_mV: float  #: EPSP amplitude from the pre-event baseline, with inhibition (mV)
    epsp_ratio: float  #: epsp_EI / epsp_E (the divisive factor)
    conductance_ratio: float  #: g_L / (g_L + g_inh) = tau_eff / tau (steady-state factor)
    tau_ms: float  #: membrane time constant without inhibition (ms)
    tau_eff_ms: float  #: with the inhibitory conductance (ms)
    V_rest_inh_mV: float  #: resting potential with the inhibitory conductance (mV)


def _exc_event(g_max: Any, duration: float, dt: float) -> np.ndarray:
    return stimulus.synaptic_conductance([T_EXC], 1.0, TAU_EXC, duration, dt) * np.reshape(
        np.asarray(g_max, dtype=float), (-1, 1)
    )


def shunting_demo(
    params: LIFParams,
    g_exc: float,
    g_inh: float,
    dE_inh: float = 0.0,
    *,
    duration: float = SHUNT_DURATION,
    dt: float = 1e-4,
) -> ShuntingDemo:
    """An excitatory event with and without a tonic inhibitory conductance, below threshold.

    Parameters
    ----------
    params : LIFParams
        Neuron parameters (simulated as a passive membrane: no threshold).
    g_exc : float
        Peak conductance of the AMPA-like excitatory event at ``T_EXC`` (S).
    g_inh : float
        Inhibitory conductance, switched on at ``T_INH_ON`` and kept (S).
    dE_inh : float
        Inhibitory reversal potential relative to rest, ``E_inh − E_L`` (V);
        0 is pure shunting inhibition.
    duration, dt : float
        Simulated time and time step (s).

    Returns
    -------
    ShuntingDemo
        Potentials and the summation numbers.

    Notes
    -----
    Peaks are deflections from rest, :math:`V - E_L`, after the excitatory
    event. ``peak_I`` is the signed deflection of largest size of I alone in
    that window. Linear summation would give ``peak(E+I) = peak(E) + peak(I)``.
    """
    E_L = float(params.E_L)
    E_inh = E_L + dE_inh
    gE = _exc_event(g_exc, duration, dt)[0]
    gI = stimulus.step(g_inh, T_INH_ON, duration, dt)
    zero = np.zeros_like(gE)
    G_E = np.stack([gE, zero, gE])
    G_I = np.stack([zero, gI, gI])
    res = simulate(
        params,
        I=0.0,
        g_syn=[G_E, G_I],
        E_syn=[E_EXC, E_inh],
        duration=duration,
        dt=dt,
        spiking=False,
    )
    V_E, V_I, V_EI = res.V
    V_sum = V_E + V_I - E_L
    window = res.t >= T_EXC
    k0 = int(np.argmax(window))
    dev_E, dev_I, dev_EI = (_mV(v[window] - E_L) for v in (V_E, V_I, V_EI))
    peak_E = float(dev_E.max())
    peak_I = float(dev_I[np.argmax(np.abs(dev_I))])
    peak_EI = float(dev_EI.max())
    linear = peak_E + peak_I
    nonlin = peak_EI - linear
    epsp_E = float(_mV(V_E[window].max() - V_E[k0]))
    epsp_EI = float(_mV(V_EI[window].max() - V_EI[k0]))
    V_rest, tau_eff = theory.conductance_steady_state(params, g_inh, E_inh)
    return ShuntingDemo(
        t=res.t,
        dt=res.dt,
        params=params,
        g_exc=gE,
        g_inh=gI,
        E_inh=E_inh,
        V={"E": V_E, "I": V_I, "E+I": V_EI, "E + I (sum)": V_sum},
        peak_E_mV=peak_E,
        peak_I_mV=peak_I,
        peak_EI_mV=peak_EI,
        linear_mV=linear,
        nonlinear_mV=nonlin,
        nonlinear_pct=100.0 * nonlin / peak_E if peak_E > 0 else math.nan,
        epsp_E_mV=epsp_E,
        epsp_EI_mV=epsp_EI,
        epsp_ratio=epsp_EI / epsp_E if epsp_E > 0 else math.nan,
        conductance_ratio=float(tau_eff / params.tau),
        tau_ms=float(_ms(params.tau)),
        tau_eff_ms=float(_ms(tau_eff)),
        V_rest_inh_mV=float(_mV(V_rest)),
    )


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


def shunting_figure(demo: ShuntingDemo, *, height: int = 560) -> go.Figure:
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
            ),
            row=1,
        )
    fig.add(_level(_mV(demo.E_inh), t_end, "E_inh", COLORS["inh"], "dashdot", 1.5), row=1)
    fig.add(_level(_mV(p.E_L), t_end, "E_L (rest)", COLORS["reset"], "dot", 1), row=1)
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
    fig.update(legend=dict(font=dict(size=LEGEND_FONT)), margin=dict(t=80))
    return fig.figure()


#: Excitatory peak conductances of the subthreshold input–output curves (S).
EPSP_G_EXC = np.linspace(0.0, 100e-9, 26)


class EPSPCurves(NamedTuple):
    """Peak depolarisation against excitatory strength under each inhibitory condition."""

    g_exc: np.ndarray  #: excitatory peak conductances (S)
    peak: dict[str, np.ndarray]  #: condition label -> peak V − E_L after the event (mV)
    conditions: tuple[InhibitionCondition, ...]


def epsp_curves(
    params: LIFParams,
    g_exc: np.ndarray,
    conditions: Sequence[InhibitionCondition],
    *,
    duration: float = SHUNT_DURATION,
    dt: float = 1e-4,
) -> EPSPCurves:
    """Subthreshold input–output curves, one vectorised passive simulation.

    Parameters
    ----------
    params : LIFParams
        Neuron parameters (passive membrane).
    g_exc : ndarray
        Excitatory peak conductances (S).
    conditions : sequence of InhibitionCondition
        Tonic inhibition (switched on at ``T_INH_ON``) for each curve.
    duration, dt : float
        Simulated time and time step (s).

    Returns
    -------
    EPSPCurves
        Peak of ``V − E_L`` after the excitatory event (mV) for each condition.
    """
    g_exc = np.asarray(g_exc, dtype=float)
    K, n_cond = g_exc.size, len(conditions)
    gE = np.tile(_exc_event(g_exc, duration, dt), (n_cond, 1))
    # one inhibitory synapse per condition, non-zero only on that condition's rows
    g_inh = []
    for j, c in enumerate(conditions):
        gI = np.zeros_like(gE)
        gI[j * K : (j + 1) * K] = stimulus.step(c.g, T_INH_ON, duration, dt)
        g_inh.append(gI)
    res = simulate(
        params,
        I=0.0,
        g_syn=[gE, *g_inh],
        E_syn=[E_EXC, *(c.E_syn for c in conditions)],
        duration=duration,
        dt=dt,
        spiking=False,
    )
    window = res.t >= T_EXC
    peak_all = _mV(res.V[:, window].max(axis=1) - params.E_L)
    peaks = {c.label: peak_all[j * K : (j + 1) * K] for j, c in enumerate(conditions)}
    return EPSPCurves(g_exc=g_exc, peak=peaks, conditions=tuple(conditions))


def epsp_curves_figure(
    curves: EPSPCurves, *, g_mark: float | None = None, height: int = 460
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
        y = curves.peak[c.label]
        lo, hi = min(lo, float(y.min())), max(hi, float(y.max()))
        fig.add(scatter(x=x, y=y, mode="lines", name=c.label, line=dict(color=c.color, width=3)))
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
