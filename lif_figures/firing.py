"""Figures for chapter 4 (refractory period, f–I curve) and the f–I part of chapter 6.

Pure functions: they take SI numbers, arrays and :class:`lif_core.simulate`
results and return plotly figures (or small named records of the numbers they
draw, in display units). The closed-form curves come from
:mod:`lif_core.theory`; every conversion for display goes through
:func:`lif_core.units.from_si`. Nothing here imports streamlit.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy as np
import plotly.graph_objects as go

from lif_core import fi_curve, simulate, theory
from lif_core.params import LIFParams
from lif_figures._units import _fmt, _ms, _mV, _nA, _nS
from lif_figures.spec import FigureSpec, scatter
from lif_figures.style import (
    COLORS,
    DASH_THEORY,
    LABEL_FONT,
    MAX_POINTS,
    downsample,
)

__all__ = [
    "FigureSpec",
    "InhibitionCondition",
    "InhibitionSummary",
    "OperatingPoint",
    "fi_current_range",
    "fi_figure",
    "inhibition_conditions",
    "inhibition_fi_figure",
    "inhibition_summary",
    "mean_rate",
    "operating_point",
    "operating_trace",
    "scatter",
    "simulated_fi",
    "start_potential",
    "theory_currents",
    "voltage_trace_figure",
]

X_CURRENT = "current (nA)"
Y_RATE = "rate (Hz)"
X_TIME = "time (ms)"
Y_V = "membrane potential V (mV)"

#: Height of the spike marks drawn above threshold in V(t) charts (mV).
SPIKE_HEIGHT_MV = 10.0

#: Reference rate at which the f–I shift and gain of inhibition are measured (Hz).
REFERENCE_RATE = 100.0


def _mV_text(V: float) -> str:
    """A potential (V) as label text in mV, with a true minus sign."""
    return f"{_fmt(_mV(V))} mV".replace("-", "−")


def theory_currents(rheobases: Sequence[float] | float, I_max: float, n: int = 400) -> np.ndarray:
    """Currents at which to draw closed-form f–I curves (A).

    A uniform grid on ``[0, I_max]`` plus points crowded just above each
    rheobase, where the rate rises with infinite slope.

    Parameters
    ----------
    rheobases : float or sequence of float
        Rheobase current(s) of the curves to draw (A).
    I_max : float
        Largest current (A), > 0.
    n : int
        Number of uniform grid points.

    Returns
    -------
    ndarray
        Sorted, unique currents (A).
    """
    parts = [np.linspace(0.0, I_max, n)]
    for rh in np.atleast_1d(np.asarray(rheobases, dtype=float)):
        if 0.0 <= rh < I_max:
            span = I_max - rh
            parts.append(rh + span * np.geomspace(1e-7, 0.05, 40))
            parts.append([rh])
    grid = np.unique(np.concatenate(parts))
    return grid[(grid >= 0.0) & (grid <= I_max)]


#: Simulated f–I points are computed only where the closed-form rate gives at most this many
#: spikes per time step; the simulator refuses inputs far beyond what its grid resolves.
MAX_SPIKES_PER_STEP = 5.0


def simulated_fi(
    params: LIFParams,
    currents: np.ndarray,
    *,
    duration: float,
    dt: float = 1e-4,
    g_syn: float = 0.0,
    E_syn: float = 0.0,
) -> np.ndarray:
    """Simulated f–I rates (Hz) in one vectorised :func:`lif_core.fi_curve` pass.

    Parameters
    ----------
    params : LIFParams
        Neuron parameters.
    currents : ndarray
        Constant currents (A).
    duration, dt : float
        Simulated time per current and time step (s).
    g_syn, E_syn : float
        Optional tonic conductance (S) and its reversal potential (V).

    Returns
    -------
    ndarray
        Rate at each current (Hz); ``nan`` where the closed-form rate exceeds
        :data:`MAX_SPIKES_PER_STEP` spikes per ``dt`` (extreme sidebar settings
        without refractoriness), so those points are simply not drawn.
    """
    currents = np.asarray(currents, dtype=float)
    expected = np.asarray(theory.firing_rate(params, currents, g_syn, E_syn), dtype=float)
    ok = expected * dt <= MAX_SPIKES_PER_STEP
    rates = np.full(currents.shape, np.nan)
    if np.any(ok):
        fc = fi_curve(params, currents[ok], duration=duration, dt=dt, g_syn=g_syn, E_syn=E_syn)
        rates[ok] = fc.rate
    return rates


def start_potential(params: LIFParams) -> float:
    """Initial potential for a spiking simulation (V): ``E_L``, or ``V_reset`` if ``E_L >= V_th``.

    A neuron whose resting potential is at or above threshold fires on its own;
    it is started as if it had just spiked, since :func:`lif_core.simulate`
    needs ``V0 < V_th``.
    """
    return float(params.E_L) if params.E_L < params.V_th else float(params.V_reset)


def mean_rate(spike_times: np.ndarray) -> float:
    """Firing rate as 1 / mean inter-spike interval (Hz); 0 with fewer than 2 spikes.

    Parameters
    ----------
    spike_times : ndarray
        Spike times of one neuron (s).
    """
    spike_times = np.asarray(spike_times, dtype=float)
    if spike_times.size < 2:
        return 0.0
    return float(1.0 / np.mean(np.diff(spike_times)))


class OperatingPoint(NamedTuple):
    """The numbers describing firing at one constant current, in display units."""

    I_nA: float  #: injected current (nA)
    V_inf_mV: float  #: steady state without threshold (mV)
    rheobase_nA: float  #: rheobase (nA)
    T_ms: float  #: time from reset to threshold (ms); inf below rheobase
    t_ref_ms: float  #: refractory period (ms)
    isi_ms: float  #: inter-spike interval t_ref + T (ms); inf below rheobase
    rate_theory_hz: float  #: closed-form rate with refractoriness (Hz)
    rate_noref_hz: float  #: closed-form rate with t_ref = 0 (Hz)
    rate_sim_hz: float  #: simulated rate, 1 / mean ISI (Hz)
    ceiling_hz: float  #: 1 / t_ref (Hz); inf when t_ref = 0
    refractory_pct: (
        float  #: share of each interval spent refractory, t_ref / ISI (%); nan if silent
    )


def operating_point(
    params: LIFParams, I_op: float, spike_times: np.ndarray | None = None
) -> OperatingPoint:
    """Closed-form (and optionally simulated) firing at a constant current.

    Parameters
    ----------
    params : LIFParams
        Neuron parameters.
    I_op : float
        Constant current (A).
    spike_times : ndarray, optional
        Simulated spike times at this current (s), for the simulated rate.

    Returns
    -------
    OperatingPoint
        Numbers in display units (nA, mV, ms, Hz).
    """
    T = theory.time_to_threshold(params, I_op)
    t_ref = float(params.t_ref)
    return OperatingPoint(
        I_nA=float(_nA(I_op)),
        V_inf_mV=float(_mV(theory.steady_state(params, I_op))),
        rheobase_nA=float(_nA(params.rheobase)),
        T_ms=float(_ms(T)),
        t_ref_ms=float(_ms(t_ref)),
        isi_ms=float(_ms(t_ref + T)),
        rate_theory_hz=float(theory.firing_rate(params, I_op)),
        rate_noref_hz=float(theory.firing_rate(params.replace(t_ref=0.0), I_op)),
        rate_sim_hz=mean_rate(spike_times) if spike_times is not None else float("nan"),
        ceiling_hz=1.0 / t_ref if t_ref > 0 else math.inf,
        refractory_pct=100.0 * t_ref / (t_ref + T) if math.isfinite(T) else math.nan,
    )


def operating_trace(
    params: LIFParams, I_op: float, duration: float, dt: float = 1e-4
) -> tuple[Any, OperatingPoint]:
    """Simulate one neuron at a constant current and describe its firing.

    Parameters
    ----------
    params : LIFParams
        Neuron parameters.
    I_op : float
        Constant current (A).
    duration, dt : float
        Simulated time and time step (s).

    Returns
    -------
    result : SimulationResult or None
        The simulation (starting at :func:`start_potential`); None when the
        closed-form rate exceeds :data:`MAX_SPIKES_PER_STEP` spikes per ``dt``,
        which the simulator refuses (possible only without refractoriness).
    point : OperatingPoint
        Closed-form and simulated numbers at ``I_op`` (``rate_sim_hz`` is nan
        without a simulation).
    """
    if theory.firing_rate(params, I_op) * dt > MAX_SPIKES_PER_STEP:
        return None, operating_point(params, I_op)
    result = simulate(params, I=I_op, duration=duration, dt=dt, V0=start_potential(params))
    return result, operating_point(params, I_op, result.spike_times[0])


#: Outline of simulated points: invisible on a light background, a light rim that lifts
#: the dark Okabe-Ito blue and green off a dark one.
_RIM = dict(width=1, color="rgba(255,255,255,0.6)")


def _segment(x: list[float], y: list[float], name: str, color: str, dash: str) -> dict[str, Any]:
    """A straight reference line from ``(x[0], y[0])`` to ``(x[1], y[1])``."""
    return scatter(
        x=x,
        y=y,
        mode="lines",
        name=name,
        line=dict(color=color, width=2, dash=dash),
        hoverinfo="name",
    )


def _vline(
    x: float, y0: float, y1: float, name: str, color: str, dash: str = "dot"
) -> dict[str, Any]:
    return _segment([x, x], [y0, y1], name, color, dash)


def _hline(
    y: float, x0: float, x1: float, name: str, color: str, dash: str = "dot"
) -> dict[str, Any]:
    return _segment([x0, x1], [y, y], name, color, dash)


def fi_figure(
    params: LIFParams,
    I_max: float,
    I_sim: np.ndarray | None = None,
    rate_sim: np.ndarray | None = None,
    rate_sim_noref: np.ndarray | None = None,
    *,
    I_op: float | None = None,
    height: int = 460,
) -> go.Figure:
    """f–I curve with and without refractoriness: simulated points over the closed form.

    Parameters
    ----------
    params : LIFParams
        Neuron parameters; ``params.t_ref`` is the "with refractoriness" case.
    I_max : float
        Largest current shown (A).
    I_sim : ndarray, optional
        Currents of the simulated points (A).
    rate_sim, rate_sim_noref : ndarray, optional
        Simulated rates at ``I_sim`` with ``params.t_ref`` and with ``t_ref = 0`` (Hz).
    I_op : float, optional
        Operating current (A), marked on the closed-form curve.
    height : int
        Figure height (px).

    Returns
    -------
    go.Figure
        Traces (by name): ``"theory, t_ref = … ms"`` and ``"theory, t_ref = 0"``
        (dashed), ``"simulated, t_ref = … ms"`` and ``"simulated, t_ref = 0"``
        (markers), ``"asymptote, t_ref = 0"``, ``"rheobase …"``,
        ``"ceiling 1/t_ref = … Hz"`` (only when ``t_ref > 0``) and
        ``"operating point"``.
    """
    noref = params.replace(t_ref=0.0)
    t_ref = float(params.t_ref)
    rh = float(params.rheobase)
    if I_op is not None:
        I_max = max(I_max, I_op)
    I_grid = theory_currents(rh, I_max)
    f_ref = np.asarray(theory.firing_rate(params, I_grid), dtype=float)
    f_noref = np.asarray(theory.firing_rate(noref, I_grid), dtype=float)
    asym = np.asarray(theory.firing_rate_asymptote(params, I_grid), dtype=float)
    x = _nA(I_grid)

    top = max(f_ref.max(initial=0.0), f_noref.max(initial=0.0), 10.0)
    for r in (rate_sim, rate_sim_noref):
        if r is not None and np.size(r):
            top = max(top, float(np.nanmax(r)))
    if t_ref > 0:
        # keep the ceiling in view; the t_ref = 0 curve may leave the chart (it has no bound)
        top = min(top, 1.3 / t_ref)
    y_max = 1.08 * top

    tref_label = f"t_ref = {_fmt(_ms(t_ref))} ms"
    fig = FigureSpec(X_CURRENT, Y_RATE, height=height)
    if I_sim is not None:
        xs = _nA(np.asarray(I_sim, dtype=float))
        if rate_sim_noref is not None:
            fig.add(
                scatter(
                    x=xs,
                    y=np.asarray(rate_sim_noref, dtype=float),
                    mode="markers",
                    name="simulated, t_ref = 0",
                    marker=dict(
                        color=COLORS["alt"], size=8, symbol="square", opacity=0.85, line=_RIM
                    ),
                )
            )
        if rate_sim is not None:
            fig.add(
                scatter(
                    x=xs,
                    y=np.asarray(rate_sim, dtype=float),
                    mode="markers",
                    name=f"simulated, {tref_label}",
                    marker=dict(color=COLORS["spike"], size=9, opacity=0.85, line=_RIM),
                )
            )
    fig.add(
        scatter(
            x=x,
            y=f_noref,
            mode="lines",
            name="theory, t_ref = 0",
            line=dict(color=COLORS["alt"], dash=DASH_THEORY, width=2.5),
        )
    )
    fig.add(
        scatter(
            x=x,
            y=f_ref,
            mode="lines",
            name=f"theory, {tref_label}",
            line=dict(color=COLORS["theory"], dash=DASH_THEORY, width=3),
        )
    )
    keep = asym >= 0
    fig.add(
        scatter(
            x=x[keep],
            y=asym[keep],
            mode="lines",
            name="asymptote, t_ref = 0",
            line=dict(color=COLORS["reset"], dash="dot", width=2),
        )
    )
    # rheobase and ceiling are labelled on the chart, not in the legend
    label = dict(font=dict(size=LABEL_FONT), bgcolor="rgba(128,128,128,0.12)")
    rh_name = f"rheobase {_fmt(_nA(rh))} nA"
    fig.add({**_vline(_nA(rh), 0.0, y_max, rh_name, COLORS["threshold"]), "showlegend": False})
    fig.annotate(_nA(rh), y_max, rh_name, xanchor="left", yanchor="top", xshift=4, **label)
    if t_ref > 0:
        ceiling = 1.0 / t_ref
        name = f"ceiling 1/t_ref = {_fmt(ceiling)} Hz"
        fig.add({**_hline(ceiling, 0.0, _nA(I_max), name, COLORS["I_C"]), "showlegend": False})
        if ceiling <= y_max:
            fig.annotate(
                _nA(I_max), ceiling, name, xanchor="right", yanchor="bottom", yshift=2, **label
            )
    if I_op is not None:
        fig.add(
            scatter(
                x=[_nA(I_op)],
                y=[theory.firing_rate(params, I_op)],
                mode="markers",
                name="operating point",
                cliponaxis=False,  # whole star also at the largest current (chart edge)
                marker=dict(
                    color=COLORS["marker"],
                    size=18,
                    symbol="star",
                    line=dict(color=COLORS["V"], width=1.5),
                ),
            )
        )
    fig.xaxis(range=[0.0, _nA(I_max)])
    fig.yaxis(range=[0.0, y_max])
    fig.update(hovermode="closest")
    return fig.figure()


def _runs(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start and stop indices (stop exclusive) of the runs of True in ``mask``."""
    m = np.concatenate(([False], np.asarray(mask, dtype=bool), [False]))
    d = np.diff(m.astype(np.int8))
    return np.flatnonzero(d == 1), np.flatnonzero(d == -1)


def voltage_trace_figure(
    result: Any,
    *,
    neuron: int = 0,
    title: str | None = None,
    height: int = 460,
) -> go.Figure:
    """Membrane potential of one simulated neuron, with threshold, reset and refractory periods.

    Parameters
    ----------
    result : SimulationResult
        Output of :func:`lif_core.simulate`.
    neuron : int
        Row of the result to draw.
    title : str, optional
        Chart title.
    height : int
        Figure height (px).

    Returns
    -------
    go.Figure
        Traces (by name): ``"V"`` (solid, ``COLORS["V"]``, at most ``MAX_POINTS``
        points), ``"threshold V_th"``, ``"reset V_reset"``,
        ``"refractory period"`` and ``"spikes"`` (drawn as lines
        above threshold; the LIF model itself has no spike shape).
    """
    p = result.params
    t = np.asarray(result.t)
    V = np.asarray(result.V)[neuron]
    V_th = float(np.ravel(p.V_th)[0] if np.ndim(p.V_th) else p.V_th)
    V_reset = float(np.ravel(p.V_reset)[0] if np.ndim(p.V_reset) else p.V_reset)
    spikes = np.asarray(result.spike_times[neuron], dtype=float)
    t_end = _ms(t[-1] + result.dt)

    fig = FigureSpec(X_TIME, Y_V, title=title, height=height)
    xs, ys = downsample(_ms(t), _mV(V), MAX_POINTS)
    fig.add(scatter(x=xs, y=ys, mode="lines", name="V", line=dict(color=COLORS["V"], width=2.5)))

    starts, stops = _runs(np.asarray(result.refractory)[neuron])
    if starts.size:
        n = starts.size
        rx = np.full(3 * n, np.nan)
        rx[0::3] = _ms(t[starts])
        rx[1::3] = _ms(t[stops - 1] + result.dt)
        ry = np.full(3 * n, np.nan)
        ry[0::3] = _mV(V_reset)
        ry[1::3] = _mV(V_reset)
        fig.add(
            scatter(
                x=rx,
                y=ry,
                mode="lines",
                name="refractory period",
                line=dict(color=COLORS["marker"], width=7),
                connectgaps=False,
            )
        )
    top = _mV(V_th) + SPIKE_HEIGHT_MV
    if spikes.size:
        n = spikes.size
        sx = np.full(3 * n, np.nan)
        sx[0::3] = _ms(spikes)
        sx[1::3] = _ms(spikes)
        sy = np.full(3 * n, np.nan)
        sy[0::3] = _mV(V_th)
        sy[1::3] = top
        fig.add(
            scatter(
                x=sx,
                y=sy,
                mode="lines",
                name="spikes",
                line=dict(color=COLORS["spike"], width=1.5),
                connectgaps=False,
                hoverinfo="x",
            )
        )
    fig.add(_hline(_mV(V_th), 0.0, t_end, "threshold V_th", COLORS["threshold"], "dashdot"))
    fig.add(_hline(_mV(V_reset), 0.0, t_end, "reset V_reset", COLORS["reset"], "dot"))
    y_lo = min(float(np.min(ys)), _mV(V_reset)) - 3.0
    fig.yaxis(range=[y_lo, top + 3.0])
    fig.xaxis(range=[0.0, t_end])
    return fig.figure()


# --------------------------------------------------------------------------------------
# chapter 6: f–I under shunting and hyperpolarising inhibition


class InhibitionCondition(NamedTuple):
    """One inhibitory condition for an f–I comparison (SI units)."""

    label: str  #: legend label
    g: float  #: tonic inhibitory conductance (S)
    E_syn: float  #: its reversal potential (V)
    color: str  #: colour of its curve and points


def inhibition_conditions(
    params: LIFParams, g_inh: float, dE_hyp: float
) -> tuple[InhibitionCondition, InhibitionCondition, InhibitionCondition]:
    """No inhibition, shunting inhibition (E_inh = E_L) and hyperpolarising inhibition.

    Parameters
    ----------
    params : LIFParams
        Neuron parameters.
    g_inh : float
        Tonic inhibitory conductance of both inhibited conditions (S).
    dE_hyp : float
        Reversal potential of the hyperpolarising inhibition relative to rest,
        ``E_inh - E_L`` (V), negative.

    Returns
    -------
    tuple of InhibitionCondition
        ``(none, shunting, hyperpolarising)``.
    """
    E_L = float(params.E_L)
    E_hyp = E_L + dE_hyp
    g_label = f"{_fmt(_nS(g_inh))} nS"
    return (
        InhibitionCondition("no inhibition", 0.0, E_L, COLORS["V"]),
        InhibitionCondition(
            f"shunting: {g_label}, E_inh = E_L = {_mV_text(E_L)}", g_inh, E_L, COLORS["alt"]
        ),
        InhibitionCondition(
            f"hyperpolarising: {g_label}, E_inh = {_mV_text(E_hyp)}",
            g_inh,
            E_hyp,
            COLORS["inh"],
        ),
    )


def fi_current_range(params: LIFParams, conditions: Sequence[InhibitionCondition]) -> float:
    """A current range (A) that shows every condition's rheobase and some firing above it.

    Twice the largest rheobase (at least 2 nA), rounded up to a whole nA.
    """
    rh = max(float(theory.rheobase(params, c.g, c.E_syn)) for c in conditions)
    I_max = max(2.0 * rh, 2e-9)
    return math.ceil(_nA(I_max)) * 1e-9


class InhibitionSummary(NamedTuple):
    """How one inhibitory condition changes the f–I curve (display units)."""

    label: str
    rheobase_nA: float  #: rheobase (nA)
    rheobase_shift_nA: float  #: rheobase minus that without inhibition (nA)
    I_ref_nA: float  #: current that gives REFERENCE_RATE (nA); nan if never reached
    shift_ref_nA: float  #: I_ref minus that without inhibition (nA)
    gain_ref: float  #: slope df/dI at REFERENCE_RATE (Hz/nA)
    gain_ratio: float  #: that slope divided by the slope without inhibition
    tau_eff_ms: float  #: effective membrane time constant (ms)
    V_rest_mV: float  #: resting potential with this conductance (mV)


def _current_for_rate(params: LIFParams, g: float, E_syn: float, rate: float) -> float:
    """Smallest current (A) that gives ``rate`` in closed form; nan if unreachable."""
    if params.t_ref > 0 and rate >= 1.0 / params.t_ref:
        return math.nan
    # invert f = 1 / (t_ref + tau_eff ln((V_inf - V_reset)/(V_inf - V_th))) for V_inf
    _, tau_eff = theory.conductance_steady_state(params, g, E_syn)
    T = 1.0 / rate - params.t_ref
    q = math.exp(T / float(tau_eff))  # (V_inf - V_reset) / (V_inf - V_th)
    V_inf = (q * params.V_th - params.V_reset) / (q - 1.0)
    g_tot = 1.0 / params.R + g
    return float(V_inf * g_tot - params.E_L / params.R - g * E_syn)


def inhibition_summary(
    params: LIFParams,
    conditions: Sequence[InhibitionCondition],
    reference_rate: float = REFERENCE_RATE,
) -> list[InhibitionSummary]:
    """Shift and gain change of the f–I curve under each condition (closed form).

    Parameters
    ----------
    params : LIFParams
        Neuron parameters.
    conditions : sequence of InhibitionCondition
        The first one is the reference (normally "no inhibition").
    reference_rate : float
        Rate at which the horizontal shift and the slope are measured (Hz).

    Returns
    -------
    list of InhibitionSummary
        One per condition, in display units.

    Notes
    -----
    A pure shift (subtractive inhibition) moves the curve right and keeps its
    slope (``gain_ratio`` = 1); a divisive effect would lower the slope
    (``gain_ratio`` < 1).
    """
    out = []
    base_I = base_gain = base_rh = math.nan
    for k, c in enumerate(conditions):
        rh = float(theory.rheobase(params, c.g, c.E_syn))
        I_ref = _current_for_rate(params, c.g, c.E_syn, reference_rate)
        if math.isfinite(I_ref):
            dI = 1e-3 * max(abs(I_ref), 1e-12)
            df = theory.firing_rate(params, I_ref + dI, c.g, c.E_syn) - theory.firing_rate(
                params, I_ref - dI, c.g, c.E_syn
            )
            gain = float(df / (2 * _nA(dI)))
        else:
            gain = math.nan
        V_rest, tau_eff = theory.conductance_steady_state(params, c.g, c.E_syn)
        if k == 0:
            base_I, base_gain, base_rh = I_ref, gain, rh
        out.append(
            InhibitionSummary(
                label=c.label,
                rheobase_nA=float(_nA(rh)),
                rheobase_shift_nA=float(_nA(rh - base_rh)),
                I_ref_nA=float(_nA(I_ref)),
                shift_ref_nA=float(_nA(I_ref - base_I)),
                gain_ref=gain,
                gain_ratio=gain / base_gain if base_gain else math.nan,
                tau_eff_ms=float(_ms(tau_eff)),
                V_rest_mV=float(_mV(V_rest)),
            )
        )
    return out


def inhibition_fi_figure(
    params: LIFParams,
    conditions: Sequence[InhibitionCondition],
    I_max: float,
    I_sim: np.ndarray | None = None,
    rates_sim: Sequence[np.ndarray] | None = None,
    *,
    reference_rate: float | None = REFERENCE_RATE,
    height: int = 460,
) -> go.Figure:
    """f–I curves under several tonic inhibitory conductances: theory dashed, simulation as points.

    Parameters
    ----------
    params : LIFParams
        Neuron parameters.
    conditions : sequence of InhibitionCondition
        Conditions to draw (e.g. from :func:`inhibition_conditions`).
    I_max : float
        Largest current shown (A).
    I_sim : ndarray, optional
        Currents of the simulated points (A).
    rates_sim : sequence of ndarray, optional
        Simulated rates at ``I_sim``, one array per condition (Hz).
    reference_rate : float, optional
        Draw a horizontal guide at this rate (Hz), where shifts are measured.
    height : int
        Figure height (px).

    Returns
    -------
    go.Figure
        For each condition a dashed closed-form curve named by its label (the
        legend entry) and a ``"simulated: <label>"`` marker trace in its colour.
    """
    rh = [float(theory.rheobase(params, c.g, c.E_syn)) for c in conditions]
    I_grid = theory_currents(rh, I_max)
    x = _nA(I_grid)
    fig = FigureSpec(X_CURRENT, Y_RATE, height=height)
    y_top = 10.0
    for k, c in enumerate(conditions):
        f = np.asarray(theory.firing_rate(params, I_grid, c.g, c.E_syn), dtype=float)
        y_top = max(y_top, float(f.max(initial=0.0)))
        fig.add(
            scatter(
                x=x,
                y=f,
                mode="lines",
                name=c.label,
                legendgroup=str(k),
                line=dict(color=c.color, dash=DASH_THEORY, width=2.5),
            )
        )
        if I_sim is not None and rates_sim is not None:
            r = np.asarray(rates_sim[k], dtype=float)
            if r.size:
                y_top = max(y_top, float(np.nanmax(r)))
            fig.add(
                scatter(
                    x=_nA(np.asarray(I_sim, dtype=float)),
                    y=r,
                    mode="markers",
                    name=f"simulated: {c.label}",
                    legendgroup=str(k),
                    showlegend=False,
                    marker=dict(color=c.color, size=8),
                )
            )
    if reference_rate is not None and reference_rate < y_top:
        fig.add(
            _hline(reference_rate, 0.0, _nA(I_max), f"{_fmt(reference_rate)} Hz", COLORS["reset"])
        )
    fig.xaxis(range=[0.0, _nA(I_max)])
    fig.yaxis(range=[0.0, 1.08 * y_top])
    fig.update(hovermode="closest")
    return fig.figure()
