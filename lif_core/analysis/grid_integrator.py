"""A teaching integrator: the LIF on a grid, with each of the engine's refinements switchable.

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

from lif_core import theory
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
    "Integrator",
    "TeachingRun",
    "integrator_for",
    "teaching_run",
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
        rest = g * dt - t_free
        # a release inside the last step may still cross again before the end (same step)
        refires_last = g == n_steps and rest > 0 and inside and charge_time(v) <= rest
        if g >= n_steps and not refires_last:
            break
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
        # a segment ends at its spike: the refractory range that starts after it (not one
        # that ended by g0: a spike on a grid time with t_ref = 0 gives the backwards range
        # (g0 + 1, g0), released at g0 itself, which must not cut the segment after it)
        ends = [k0 for k0, k1 in refr if k0 > g0 and k1 > g0]
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


def integrator_for(crossing_inside: bool, refractory_exact: bool) -> Integrator:
    """The exact-propagator integrator with these refinements on or off."""
    for integ in (ENGINE, GRID_CROSSING, GRID_REFRACTORY, BOTH_ON_GRID):
        if (integ.crossing_inside, integ.refractory_exact) == (crossing_inside, refractory_exact):
            return integ
    raise AssertionError("unreachable")
