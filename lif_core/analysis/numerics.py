"""How the simulator works: the exact propagator against forward Euler, refinement by refinement.

For a constant current the LIF has a closed form (:mod:`lif_core.theory`), so every
integrator can be scored exactly: its firing rate and first spike time against the formula.

:func:`teaching_run` is a small *teaching integrator* for one neuron under a constant
current. It integrates on the grid ``t_k = k dt`` like a clock-driven simulator and lets
each of the engine's two refinements be turned off:

- **threshold crossing inside the step** (on): the spike time is found by inverting the
  exponential, :math:`t_s = t_k + \\tau\\ln\\frac{V_k - V_\\infty}{V_{th} - V_\\infty}`;
  (off): the spike is emitted at the first grid time at which :math:`V \\ge V_{th}`, up to
  one step late;
- **refractory period ending off the grid** (on): the neuron is released at exactly
  :math:`t_s + t_{ref}` and the rest of that step is integrated exactly; (off): it is
  released at the first grid time at or after :math:`t_s + t_{ref}`, so the refractory
  period is rounded up to the grid (as in clock-driven simulators such as Brian2).

It also runs forward Euler, :math:`V_{k+1} = V_k + \\frac{dt}{\\tau}(V_\\infty - V_k)`, with
spikes on the grid and the refractory period rounded to ``round(t_ref / dt)`` steps,
exactly as :func:`lif_core.simulate` with ``method="euler"`` (the tests check them spike
for spike).

With constant input the step recursion :math:`V_{k+1} = V_\\infty + a\\,(V_k - V_\\infty)`
(:math:`a = e^{-dt/\\tau}` exact, :math:`a = 1 - dt/\\tau` Euler) has the closed form
:math:`V_{m+j} = V_\\infty + a^j (V_m - V_\\infty)`, so the integrator finds the first grid
point at or above threshold with one logarithm instead of a loop over steps: it is the same
integrator, fast enough to sweep ``dt`` over three decades. Everything is SI.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from lif_core import fi_curve, simulate, theory
from lif_core._validate import check_finite, check_range
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


@dataclass(frozen=True)
class Integrator:
    """One way of integrating the LIF on a grid.

    Attributes
    ----------
    name : str
        Label shown in readouts.
    short : str
        Short label for chart legends.
    update : str
        ``"exact"`` (exponential propagator) or ``"euler"`` (forward Euler).
    crossing_inside : bool
        Spike time found inside the step (True) or snapped to the next grid time (False).
    refractory_exact : bool
        Refractory period ends at exactly ``t_s + t_ref`` (True) or at a grid time (False).
    """

    name: str
    short: str
    update: str
    crossing_inside: bool
    refractory_exact: bool


#: The engine's method: both refinements on (:func:`lif_core.simulate`, ``method="exact"``).
ENGINE = Integrator("exact (both refinements)", "exact (engine)", "exact", True, True)
#: Exact propagator, spike snapped to the grid time after the crossing.
GRID_CROSSING = Integrator("exact, crossing on the grid", "crossing on grid", "exact", False, True)
#: Exact propagator, refractory period rounded up to the grid.
GRID_REFRACTORY = Integrator(
    "exact, refractory end on the grid", "refractory on grid", "exact", True, False
)
#: Exact propagator with neither refinement: a plain clock-driven simulator.
BOTH_ON_GRID = Integrator("exact, both on the grid", "both on grid", "exact", False, False)
#: Forward Euler as the engine runs it (spikes and refractoriness on the grid).
EULER = Integrator("forward Euler", "Euler", "euler", False, False)

INTEGRATORS: tuple[Integrator, ...] = (ENGINE, GRID_CROSSING, GRID_REFRACTORY, BOTH_ON_GRID, EULER)

#: The integrators whose first spike differs: the refractory period plays no part in it.
FIRST_SPIKE_INTEGRATORS: tuple[Integrator, ...] = (ENGINE, GRID_CROSSING, EULER)

#: Grid times are compared with a tolerance of this many steps (round-off in t / dt).
_GRID_EPS = 1e-9


# --------------------------------------------------------------------------- teaching integrator


@dataclass(frozen=True)
class TeachingRun:
    """Output of :func:`teaching_run` (SI units).

    Attributes
    ----------
    integrator : Integrator
        How it was integrated.
    dt, duration : float
        Time step and simulated time (s).
    spike_times : ndarray
        Spike times (s).
    t, V : ndarray or None
        Grid times (s) and the potential there (V), if recorded. At a grid spike the
        recorded value is ``V_reset`` (the neuron resets within that step).
    refractory : ndarray of bool or None
        True at grid times inside a refractory period, if recorded.
    """

    integrator: Integrator
    dt: float
    duration: float
    spike_times: np.ndarray
    t: np.ndarray | None
    V: np.ndarray | None
    refractory: np.ndarray | None


def _first_at_or_above(v0: float, V_inf: float, a: float, V_th: float, n_max: int) -> int | None:
    """Smallest ``j`` in ``1..n_max`` with ``V_inf + a**j (v0 - V_inf) >= V_th``, or None."""
    if n_max < 1:
        return None

    def at(j: int) -> float:
        return V_inf + a**j * (v0 - V_inf)

    if a > 0.0:
        if V_inf <= V_th:
            return None  # monotone approach to a steady state below threshold
        x = math.log((V_inf - v0) / (V_inf - V_th)) / -math.log(a)
        j = max(1, math.ceil(x))
        while j > 1 and at(j - 1) >= V_th:  # the logarithm's round-off, either way
            j -= 1
        while j <= n_max and at(j) < V_th:
            j += 1
        return j if j <= n_max else None
    # a <= 0: forward Euler with dt >= tau, V oscillates around V_inf: look step by step
    js = np.arange(1, n_max + 1)
    hit = V_inf + np.power(a, js) * (v0 - V_inf) >= V_th
    return int(js[np.argmax(hit)]) if hit.any() else None


def teaching_run(
    params: LIFParams,
    I: float,
    dt: float,
    duration: float,
    integrator: Integrator = ENGINE,
    *,
    record: bool = False,
) -> TeachingRun:
    """Integrate one LIF neuron under a constant current on a grid, refinements on or off.

    Parameters
    ----------
    params : LIFParams
        Neuron parameters (scalar fields).
    I : float
        Constant current (A).
    dt : float
        Time step (s), > 0. Forward Euler takes any ``dt`` (it is unstable above ``2 tau``).
    duration : float
        Simulated time (s); ``round(duration / dt)`` steps are run.
    integrator : Integrator
        One of :data:`INTEGRATORS`.
    record : bool
        Also return ``V`` and the refractory mask on the grid.

    Returns
    -------
    TeachingRun

    Notes
    -----
    Starts at ``E_L`` (``V_reset`` if ``E_L >= V_th``), as :func:`lif_core.simulate`.
    Each round starts a free segment at time ``t_free`` with value ``v`` (``V_reset``
    after a spike): the rest of the step if ``t_free`` is off the grid (exactly), then
    grid steps :math:`V_{g+j} = V_\\infty + a^j(V_g - V_\\infty)` up to the first grid
    point at or above threshold; the spike (inside the step, or at that grid time); the
    refractory period (see the module docstring). With both refinements on, spike times
    equal the closed form whatever ``dt``: the engine's method.
    """
    check_finite("I", I)
    check_finite("dt", dt)
    check_range("dt", dt, low=0.0, low_open=True, unit="s")
    check_finite("duration", duration)
    check_range("duration", duration, low=0.0, low_open=True, unit="s")
    if integrator.update not in ("exact", "euler"):
        raise ValueError(f"update = {integrator.update!r} is not known (allowed: exact, euler)")
    exact = integrator.update == "exact"
    if not exact and (integrator.crossing_inside or integrator.refractory_exact):
        raise ValueError("forward Euler runs with spikes and refractoriness on the grid only")
    tau = float(params.tau)
    V_inf = float(theory.steady_state(params, I))
    V_th, V_reset, t_ref = float(params.V_th), float(params.V_reset), float(params.t_ref)
    n_steps = max(1, round(duration / dt))
    a = math.exp(-dt / tau) if exact else 1.0 - dt / tau
    hold = round(t_ref / dt)  # Euler: refractory steps, as the engine
    inside = integrator.crossing_inside

    def charge_time(v: float) -> float:
        """Exact time from ``v`` to threshold (inf if never)."""
        if V_inf <= V_th:
            return math.inf
        return tau * math.log((V_inf - v) / (V_inf - V_th))

    spikes: list[float] = []
    free: list[tuple[int, float]] = []  # (grid index, V there) where a free segment starts
    refr: list[tuple[int, int]] = []  # grid index ranges [k0, k1) that are refractory
    t_free, v = 0.0, float(params.E_L) if params.E_L < V_th else V_reset
    while len(spikes) <= 10 * n_steps:
        # ---- the start of a free segment: the rest of a step if t_free is off the grid
        g = math.ceil(t_free / dt - _GRID_EPS)
        if g >= n_steps:
            break
        rest = g * dt - t_free
        k_spike = None  # grid index at or after the spike
        if rest > 0:
            if inside and charge_time(v) <= rest:
                t_s = t_free + charge_time(v)  # crosses again within the same step
                k_spike = g
            else:
                v = V_inf + (v - V_inf) * math.exp(-rest / tau)
                if not inside and v >= V_th:
                    t_s, k_spike = g * dt, g
        if k_spike is None:
            free.append((g, v))
            j = _first_at_or_above(v, V_inf, a, V_th, n_steps - g)
            if j is None:
                break
            k_spike = g + j
            if inside:
                t_s = g * dt + charge_time(v)
                t_s = min(max(t_s, (k_spike - 1) * dt), k_spike * dt)
            else:
                t_s = k_spike * dt
        spikes.append(t_s)
        # ---- refractory period: released at t_free with V = V_reset
        if not exact:
            t_free = k_spike * dt + hold * dt
        elif integrator.refractory_exact:
            t_free = t_s + t_ref
        else:
            t_free = math.ceil((t_s + t_ref) / dt - _GRID_EPS) * dt
        refr.append((k_spike, math.ceil(t_free / dt - _GRID_EPS)))
        v = V_reset
    else:
        raise ValueError(
            f"the neuron fires more than 10 spikes per time step dt = {dt:g} s; lower the "
            f"current or use a refractory period t_ref >= {dt / 10:g} s"
        )
    end = n_steps * dt
    spike_arr = np.array([s for s in spikes if s < end])
    if not record:
        return TeachingRun(integrator, float(dt), float(duration), spike_arr, None, None, None)
    t = np.arange(n_steps) * dt
    V = np.full(n_steps, V_reset)
    is_refr = np.zeros(n_steps, dtype=bool)
    starts = sorted(free)
    for i, (g0, v0) in enumerate(starts):
        stop = min(starts[i + 1][0] if i + 1 < len(starts) else n_steps, n_steps)
        # a segment ends at its spike: the refractory range that starts after it
        ends = [k0 for k0, _ in refr if k0 > g0]
        if ends:
            stop = min(stop, ends[0])
        if stop > g0:
            V[g0:stop] = V_inf + np.power(a, np.arange(stop - g0)) * (v0 - V_inf)
    for k0, k1 in refr:
        V[k0 : min(k1, n_steps)] = V_reset
        is_refr[k0 : min(k1, n_steps)] = True
        if k0 < n_steps and not inside:
            V[k0] = V_reset  # reset within the spike's step
    return TeachingRun(integrator, float(dt), float(duration), spike_arr, t, V, is_refr)


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
    start = np.where(k > 0, spikes[np.maximum(k - 1, 0)] + t_ref, 0.0)
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


def integrator_for(crossing_inside: bool, refractory_exact: bool) -> Integrator:
    """The exact-propagator integrator with these refinements on or off."""
    for integ in (ENGINE, GRID_CROSSING, GRID_REFRACTORY, BOTH_ON_GRID):
        if (integ.crossing_inside, integ.refractory_exact) == (crossing_inside, refractory_exact):
            return integ
    raise AssertionError("unreachable")


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
