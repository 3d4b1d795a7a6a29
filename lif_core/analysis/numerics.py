"""How the simulator works: the exact propagator against forward Euler, refinement by refinement.

For a constant current the LIF has a closed form (:mod:`lif_core.theory`), so every
integrator can be scored exactly: its firing rate and first spike time against the formula.
The integrators are the engine itself (:func:`lif_core.simulate`, :func:`lif_core.fi_curve`)
and the teaching integrator of :mod:`lif_core.analysis.grid_integrator`, which runs forward
Euler as the engine does and lets each of the engine's two refinements (threshold crossing
inside the step, refractory period ending off the grid) be turned off.

- :func:`closed_form_trace`: the exact V(t), finely sampled;
- :func:`trace_comparison`: V on the grid of the exact propagator and of forward Euler at
  one ``dt``, with their rate and first-spike errors;
- :func:`error_sweep`: those errors for every integrator over three decades of ``dt``, and
  the slopes of the log–log lines. Everything is SI.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from lif_core import fi_curve, simulate, theory
from lif_core.analysis.grid_integrator import (
    _GRID_EPS,
    BOTH_ON_GRID,
    ENGINE,
    EULER,
    FIRST_SPIKE_INTEGRATORS,
    GRID_CROSSING,
    GRID_REFRACTORY,
    INTEGRATORS,
    Integrator,
    TeachingRun,
    integrator_for,
    teaching_run,
)
from lif_core.params import LIFParams

__all__ = [
    "BOTH_ON_GRID",
    "ENGINE",
    "EULER",
    "FIRST_SPIKE_INTEGRATORS",
    "GRID_CROSSING",
    "GRID_REFRACTORY",
    "INTEGRATORS",
    "ClosedFormTrace",
    "ErrorSweep",
    "Integrator",
    "MethodTrace",
    "TeachingRun",
    "TraceComparison",
    "closed_form_trace",
    "default_dts",
    "error_sweep",
    "first_spike_theory",
    "integrator_for",
    "loglog_slope",
    "method_trace",
    "teaching_run",
    "trace_comparison",
]


def _steps(duration: float, dt: float) -> float:
    """``duration`` rounded up to a whole number of steps ``dt`` (s)."""
    return max(1, math.ceil(duration / dt - _GRID_EPS)) * dt


def _rate(spike_times: np.ndarray) -> float:
    """Inverse mean inter-spike interval (Hz), as :func:`lif_core.fi_curve`; 0 with < 2 spikes."""
    if spike_times.size < 2:
        return 0.0
    return float((spike_times.size - 1) / (spike_times[-1] - spike_times[0]))


def _first(spike_times: np.ndarray) -> float:
    return float(spike_times[0]) if spike_times.size else math.inf


# --------------------------------------------------------------------------- closed form


@dataclass(frozen=True)
class ClosedFormTrace:
    """The exact solution under a constant current, finely sampled (SI units).

    Attributes
    ----------
    t, V : ndarray
        Sample times (s) and potential (V), including both sides of every reset.
    spike_times : ndarray
        Exact spike times (s).
    rate : float
        Steady-state rate :func:`lif_core.theory.firing_rate` (Hz).
    first_spike : float
        Time of the first spike from the start potential (s); inf if it never fires.
    """

    t: np.ndarray
    V: np.ndarray
    spike_times: np.ndarray
    rate: float
    first_spike: float


def closed_form_trace(
    params: LIFParams, I: float, duration: float, n_points: int = 1200
) -> ClosedFormTrace:
    """The closed-form V(t) from ``E_L`` (or ``V_reset``) under a constant current ``I`` (A).

    Notes
    -----
    :math:`V(t) = V_\\infty + (V_0 - V_\\infty)e^{-(t - t_0)/\\tau}` from each start
    :math:`t_0` (0, then every end of refractoriness) to the next spike, ``V_reset``
    during :math:`t_{ref}`; spikes at :math:`T_1 + n(t_{ref} + T)` with
    :math:`T_1 = \\tau\\ln\\frac{V_\\infty - V_0}{V_\\infty - V_{th}}`.
    """
    tau, V_th, V_reset = float(params.tau), float(params.V_th), float(params.V_reset)
    t_ref = float(params.t_ref)
    V_inf = float(theory.steady_state(params, I))
    V0 = float(params.E_L) if params.E_L < V_th else V_reset
    T1 = first_spike_theory(params, I)
    if math.isfinite(T1):
        period = t_ref + float(theory.time_to_threshold(params, I))
        spikes = T1 + period * np.arange(max(0, math.ceil((duration - T1) / period)))
        spikes = spikes[spikes < duration]
    else:
        spikes = np.zeros(0)
    t = np.union1d(np.linspace(0.0, duration, n_points), spikes + t_ref)
    t = t[(t <= duration) & ~np.isin(t, spikes)]
    k = np.searchsorted(spikes, t, side="right")  # spikes before t
    last = np.concatenate([[-np.inf], spikes])[k]  # the latest spike before t (-inf: none)
    start = np.where(k > 0, last + t_ref, 0.0)
    v_start = np.where(k > 0, V_reset, V0)
    V = np.where(t < start, V_reset, V_inf + (v_start - V_inf) * np.exp(-(t - start) / tau))
    # each spike: V reaches V_th and is reset at the same time (two points)
    pos = np.repeat(np.searchsorted(t, spikes), 2)
    t = np.insert(t, pos, np.repeat(spikes, 2))
    V = np.insert(V, pos, np.tile([V_th, V_reset], spikes.size))
    return ClosedFormTrace(t, V, spikes, float(theory.firing_rate(params, I)), T1)


def first_spike_theory(params: LIFParams, I: float) -> float:
    """Closed-form time of the first spike from ``E_L`` (``V_reset`` if ``E_L >= V_th``) (s).

    :math:`T_1 = \\tau\\ln\\frac{V_\\infty - V_0}{V_\\infty - V_{th}}`; inf below rheobase.
    """
    V_th = float(params.V_th)
    V_inf = float(theory.steady_state(params, I))
    V0 = float(params.E_L) if params.E_L < V_th else float(params.V_reset)
    if V_inf <= V_th:
        return math.inf
    return float(params.tau) * math.log((V_inf - V0) / (V_inf - V_th))


# --------------------------------------------------------------------------- method traces


@dataclass(frozen=True)
class MethodTrace:
    """One integrator at one ``dt``: its V on the grid and how far it is from the formula.

    Attributes
    ----------
    integrator : Integrator
        The method.
    dt : float
        Time step (s).
    t, V : ndarray
        Grid times (s) and potential (V) over the trace.
    spike_times : ndarray
        Its spike times within the trace (s).
    rate : float
        Its steady-state rate over :data:`RATE_DURATION` (Hz), 1 / mean ISI.
    rate_error : float
        ``rate`` minus the closed form (Hz).
    first_spike : float
        Its first spike time (s); inf if none.
    first_spike_error : float
        ``first_spike`` minus the closed form (s); nan if either is missing.
    unstable : bool
        Forward Euler with ``dt > 2 tau``: every step multiplies the distance from
        ``V_inf`` by ``1 - dt/tau < -1``.
    """

    integrator: Integrator
    dt: float
    t: np.ndarray
    V: np.ndarray
    spike_times: np.ndarray
    rate: float
    rate_error: float
    first_spike: float
    first_spike_error: float
    unstable: bool


#: Simulated time over which the rate of a method is measured (s).
RATE_DURATION = 1.0
#: The engine's rate is exact from any two spikes: in the sweep it runs for this many
#: intervals (at most RATE_DURATION), which keeps a run at dt = 1 µs short.
ENGINE_INTERVALS = 10


def method_trace(
    params: LIFParams, I: float, dt: float, duration: float, integrator: Integrator
) -> MethodTrace:
    """Run ``integrator`` at ``dt`` and score it against the closed form.

    Parameters
    ----------
    params : LIFParams
        Neuron parameters.
    I : float
        Constant current (A).
    dt : float
        Time step (s).
    duration : float
        Length of the V(t) trace (s); the rate is measured over :data:`RATE_DURATION`.
    integrator : Integrator
        :data:`ENGINE` runs :func:`lif_core.simulate` and :func:`lif_core.fi_curve`
        themselves; the others :func:`teaching_run`.

    Returns
    -------
    MethodTrace
    """
    rate_theory = float(theory.firing_rate(params, I))
    if integrator == ENGINE:
        res = simulate(params, I=I, duration=_steps(duration, dt), dt=dt)
        t, V, spikes = res.t, res.V[0], res.spike_times[0]
        fc = fi_curve(params, [I], duration=_steps(RATE_DURATION, dt), dt=dt)
        rate, first = float(fc.rate[0]), _first(spikes)
    else:
        run = teaching_run(params, I, dt, _steps(duration, dt), integrator, record=True)
        t, V, spikes = run.t, run.V, run.spike_times
        long = teaching_run(params, I, dt, _steps(RATE_DURATION, dt), integrator)
        rate, first = _rate(long.spike_times), _first(long.spike_times)
    T1 = first_spike_theory(params, I)
    both = math.isfinite(first) and math.isfinite(T1)
    return MethodTrace(
        integrator=integrator,
        dt=float(dt),
        t=t,
        V=V,
        spike_times=spikes,
        rate=rate,
        rate_error=rate - rate_theory,
        first_spike=first,
        first_spike_error=first - T1 if both else math.nan,
        unstable=integrator.update == "euler" and dt > 2.0 * float(params.tau),
    )


@dataclass(frozen=True)
class TraceComparison:
    """The exact propagator (refinements as chosen) and forward Euler at one ``dt``.

    Attributes
    ----------
    exact : MethodTrace
        Exact propagator with the chosen refinements (:data:`ENGINE` if both are on).
    euler : MethodTrace
        Forward Euler.
    theory : ClosedFormTrace
        The closed form over the same time.
    I : float
        Constant current (A).
    """

    exact: MethodTrace
    euler: MethodTrace
    theory: ClosedFormTrace
    I: float


def trace_comparison(
    params: LIFParams,
    I: float,
    dt: float,
    duration: float,
    *,
    crossing_inside: bool = True,
    refractory_exact: bool = True,
) -> TraceComparison:
    """V(t) of the exact propagator and of forward Euler at ``dt``, over the closed form.

    Parameters
    ----------
    params : LIFParams
        Neuron parameters.
    I : float
        Constant current (A).
    dt : float
        Time step (s).
    duration : float
        Length of the traces (s).
    crossing_inside, refractory_exact : bool
        The exact propagator's two refinements (both on: the engine).
    """
    integ = integrator_for(crossing_inside, refractory_exact)
    return TraceComparison(
        exact=method_trace(params, I, dt, duration, integ),
        euler=method_trace(params, I, dt, duration, EULER),
        theory=closed_form_trace(params, I, _steps(duration, dt)),
        I=float(I),
    )


# --------------------------------------------------------------------------- error against dt


@dataclass(frozen=True)
class ErrorSweep:
    """Errors of each integrator against the closed form over a range of ``dt`` (SI units).

    Attributes
    ----------
    dt : ndarray
        Time steps (s), increasing.
    rate_theory : float
        Closed-form rate (Hz); 0 below rheobase (then every error is nan).
    first_spike_theory : float
        Closed-form first spike time (s).
    rate_error : dict of str to ndarray
        ``|rate - rate_theory|`` (Hz) by integrator name, one per ``dt``.
    first_spike_error : dict of str to ndarray
        ``|first spike - first_spike_theory|`` (s) by integrator name (only the
        integrators whose first spike depends on ``dt``: not the refractory refinement).
    rate_slope, first_spike_slope : dict of str to float
        Slope of the least-squares line through ``log(error)`` against ``log(dt)``
        (:func:`loglog_slope`); 1 means first order.
    rate_floor, first_spike_floor : float
        Round-off level: one unit in the last place of the closed-form value.
    """

    dt: np.ndarray
    rate_theory: float
    first_spike_theory: float
    rate_error: dict[str, np.ndarray]
    first_spike_error: dict[str, np.ndarray]
    rate_slope: dict[str, float]
    first_spike_slope: dict[str, float]
    rate_floor: float
    first_spike_floor: float


def loglog_slope(dt: np.ndarray, error: np.ndarray) -> float:
    """Slope of ``log(error)`` against ``log(dt)`` by least squares over the nonzero errors.

    The errors of grid-snapped methods jump with ``dt`` (a spike is up to one step
    late), so the slope is that of their envelope, close to 1 for a first-order
    method; nan with fewer than three nonzero errors.
    """
    dt, error = np.asarray(dt, dtype=float), np.asarray(error, dtype=float)
    ok = np.isfinite(error) & (error > 0)
    if ok.sum() < 3:
        return math.nan
    return float(np.polyfit(np.log(dt[ok]), np.log(error[ok]), 1)[0])


def default_dts(params: LIFParams, n: int = 31) -> np.ndarray:
    """Time steps for :func:`error_sweep`: three decades up to ``min(2 ms, tau/5)`` (s)."""
    top = min(2e-3, float(params.tau) / 5.0)
    return np.geomspace(top / 2000.0, top, n)


def error_sweep(params: LIFParams, I: float, dts: np.ndarray | None = None) -> ErrorSweep:
    """Rate and first-spike-time errors of every integrator against ``dt``.

    Parameters
    ----------
    params : LIFParams
        Neuron parameters.
    I : float
        Constant current (A).
    dts : ndarray, optional
        Time steps (s); default :func:`default_dts`.

    Returns
    -------
    ErrorSweep

    Notes
    -----
    The engine is run through :func:`lif_core.fi_curve` (rate over :data:`ENGINE_INTERVALS`
    intervals, at most :data:`RATE_DURATION`)
    and :func:`lif_core.simulate` (first spike); the other integrators through
    :func:`teaching_run`.
    """
    dts = np.sort(np.asarray(default_dts(params) if dts is None else dts, dtype=float))
    rate0 = float(theory.firing_rate(params, I))
    T1 = first_spike_theory(params, I)
    rate_err: dict[str, np.ndarray] = {}
    first_err: dict[str, np.ndarray] = {}
    for integ in INTEGRATORS:
        r = np.full(dts.size, np.nan)
        f = np.full(dts.size, np.nan)
        if rate0 > 0:
            for k, dt in enumerate(dts):
                if integ == ENGINE:
                    span = min(RATE_DURATION, T1 + (ENGINE_INTERVALS + 1) / rate0)
                    fc = fi_curve(params, [I], duration=_steps(span, dt), dt=dt)
                    rate = float(fc.rate[0])
                    res = simulate(params, I=I, duration=_steps(T1 + 2 * dt, dt), dt=dt)
                    first = _first(res.spike_times[0])
                else:
                    run = teaching_run(params, I, dt, _steps(RATE_DURATION, dt), integ)
                    rate, first = _rate(run.spike_times), _first(run.spike_times)
                r[k] = abs(rate - rate0)
                f[k] = abs(first - T1)
        rate_err[integ.name] = r
        if integ in FIRST_SPIKE_INTEGRATORS:
            first_err[integ.name] = f
    return ErrorSweep(
        dt=dts,
        rate_theory=rate0,
        first_spike_theory=T1,
        rate_error=rate_err,
        first_spike_error=first_err,
        rate_slope={k: loglog_slope(dts, v) for k, v in rate_err.items()},
        first_spike_slope={k: loglog_slope(dts, v) for k, v in first_err.items()},
        rate_floor=float(np.spacing(rate0)) if rate0 > 0 else math.nan,
        first_spike_floor=float(np.spacing(T1)) if math.isfinite(T1) else math.nan,
    )
