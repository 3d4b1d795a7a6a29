"""Mutation-driven checks of the teaching integrator's last step and of the exact engine's edges.

Covers survivors of mutmut in ``lif_core.analysis.grid_integrator.teaching_run`` (releases
inside the last step, a potential reaching threshold exactly at a grid time, the in-step
spike time near rheobase) and in ``lif_core._exact`` (a spike exactly at the end of the run,
several neurons restarted at once whose extrapolated trajectory was above threshold before
their segment began). Values are checked against the closed-form LIF solution
(``T = tau ln((V_inf - V_start) / (V_inf - V_th))``), the step-by-step reference in
``tests/reference.py``, or the consistency of a run's own outputs (spike times against the
recorded refractory mask). Parameters keep the formulas apart: V_reset != E_L, t_ref off the
grid.
"""

from __future__ import annotations

import math

import numpy as np

from lif_core import LIFParams, simulate, theory
from lif_core.analysis import grid_integrator as gi
from tests.reference import reference_lif

P = LIFParams(R=10e6, C=1e-9, E_L=-65e-3, V_th=-50e-3, V_reset=-60e-3, t_ref=2.05e-3)
TAU = 10e-3


def _charge(V_inf: float, V_start: float) -> float:
    """Closed-form time from ``V_start`` to ``V_th`` under a constant steady state ``V_inf``."""
    return TAU * math.log((V_inf - V_start) / (V_inf - float(P.V_th)))


# --------------------------------------------------------------------------- teaching_run


def test_engine_four_spikes_per_step_stops_at_the_end_of_the_run() -> None:
    """Engine, period ``t_ref + T`` = dt / 4: every grid time falls inside a refractory period.

    Each release is then inside a step and the neuron fires again within that step, also
    past the end of the run. The run must stop at its duration with the closed-form train
    ``T1 + m (t_ref + T)`` (4 spikes per step, below the limit of 10), not keep firing.
    """
    I, t_ref = 10e-9, 1e-3
    V_inf = float(P.E_L) + float(P.R) * I
    T1, T = _charge(V_inf, float(P.E_L)), _charge(V_inf, float(P.V_reset))
    period = t_ref + T
    dt = 4 * period
    # the grid time after the 4th spike lies inside its refractory period (the case tested)
    assert T1 + 3 * period < dt < T1 + 3 * period + t_ref
    n = 3
    expected = [T1 + m * period for m in range(4 * n + 1) if T1 + m * period < n * dt]
    assert len(expected) == 4 * n
    run = gi.teaching_run(P.replace(t_ref=t_ref), I, dt, n * dt, gi.ENGINE)
    # a few float operations per spike: round-off far below 1e-12 s
    np.testing.assert_allclose(run.spike_times, expected, rtol=0, atol=1e-12)


def test_grid_crossing_fires_every_step_when_t_ref_plus_T_is_dt() -> None:
    """Crossing on the grid, ``t_ref + T`` = dt: after each release V reaches V_th at the grid time.

    The spike is emitted at the first grid time at which ``V >= V_th`` (module docstring):
    released at ``k dt + t_ref``, the neuron is at threshold exactly at ``(k + 1) dt`` and
    fires there, once per step after the first (grid-snapped) spike. (The potential computed
    at that grid time lands on V_th to the last bit for these values of t_ref; a rule with
    ``V > V_th`` would fire every second step, at half the rate.)
    """
    I = 10e-9
    V_inf = float(P.E_L) + float(P.R) * I
    T1, T = _charge(V_inf, float(P.E_L)), _charge(V_inf, float(P.V_reset))
    n = 6
    for t_ref in (0.2e-3, 0.37e-3, 1e-3):
        dt = t_ref + T
        k1 = math.ceil(T1 / dt)
        assert 0.05 < k1 - T1 / dt < 0.95  # the first spike is clearly inside a step
        run = gi.teaching_run(P.replace(t_ref=t_ref), I, dt, n * dt, gi.GRID_CROSSING)
        expected = [k * dt for k in range(k1, n)]
        # grid times k dt: equal up to the round-off of k * dt
        np.testing.assert_allclose(run.spike_times, expected, rtol=0, atol=1e-15)


def test_engine_near_rheobase_spike_lies_in_the_step_before_the_reset() -> None:
    """Engine, a current 1e-14 above rheobase: V_inf is 22 float steps (ulp) above V_th.

    V approaches V_th so slowly that one ulp of V is ~0.5 ms of time: the grid values and
    the logarithm may disagree by a few steps. The run must stay self-consistent: each spike
    lies inside the step that ends at the first grid point drawn reset (refractory), never
    after it, and within the conditioning tau * ulp(V_th) / (V_inf - V_th) of the closed form.
    """
    I = (float(P.V_th) - float(P.E_L)) / float(P.R) * (1 + 1e-14)
    V_inf = float(theory.steady_state(P, I))
    ulp = float(np.spacing(abs(float(P.V_th))))
    assert 0 < V_inf - float(P.V_th) < 100 * ulp  # just above rheobase, in float steps
    dt = 1e-4
    run = gi.teaching_run(P, I, dt, 1.0, gi.ENGINE, record=True)
    assert run.refractory is not None and run.V is not None
    refr = run.refractory
    rises = np.flatnonzero(refr[1:] & ~refr[:-1]) + 1  # grid points where a reset is drawn
    assert run.spike_times.size >= 2 and rises.size == run.spike_times.size
    for t_s, k in zip(run.spike_times, rises, strict=True):
        assert (k - 1) * dt < t_s <= k * dt, (t_s, k)
        assert run.V[k - 1] < float(P.V_th)
    # time that the exact solution moves when V_inf moves by one ulp: the honest tolerance
    cond = TAU * ulp / (V_inf - float(P.V_th))
    assert abs(run.spike_times[0] - _charge(V_inf, float(P.E_L))) <= cond


# --------------------------------------------------------------------------- exact engine


def test_simulate_spike_exactly_at_the_end_is_outside_the_run() -> None:
    """A run that ends exactly at a spike time reports the spikes before it: [0, duration).

    The times are the longer run's (checked against the closed form), so ending the run at one
    of them puts that spike exactly at the end; it is not reported, as the teaching
    integrator drops a spike on the last grid time.
    """
    I, dt = 2e-9, 1e-4
    long = simulate(P, I=I, duration=0.1, dt=dt).spike_times[0]
    V_inf = float(P.E_L) + float(P.R) * I
    T1, T = _charge(V_inf, float(P.E_L)), _charge(V_inf, float(P.V_reset))
    closed = [T1 + m * (float(P.t_ref) + T) for m in range(long.size)]
    np.testing.assert_allclose(long, closed, rtol=0, atol=1e-12)  # round-off only
    for i in range(3):
        end = float(long[i])
        res = simulate(P, I=I, duration=end, dt=dt)
        assert res.spike_times[0].size == i, end
        # the same spikes as the longer run up to round-off (blocks of another length)
        np.testing.assert_allclose(res.spike_times[0], long[:i], rtol=0, atol=1e-15)


def test_two_neurons_restarted_after_a_hyperpolarising_refractory_period() -> None:
    """Two neurons spike together, are held while a strong inhibitory current flows, then driven.

    During the refractory period V_inf = -165 mV is far below V_reset, so the free segment
    that starts at the release, extrapolated back into the refractory steps, lies above
    threshold: the engine must look for the next crossing only after the segment starts, for
    both neurons at once. After 8 ms they are driven differently (V_inf = -35 and -5 mV) and
    fire at different times; both trains must be the step-by-step reference's.
    """
    dt, n = 1e-4, 300
    t = np.arange(n) * dt
    on = np.where(t < 5e-3, 4e-9, -10e-9)  # fire at ~4.7 ms, then inhibition
    I = np.stack([np.where(t < 8e-3, on, 3e-9), np.where(t < 8e-3, on, 6e-9)])
    res = simulate(P, I=I, duration=n * dt, dt=dt)
    for row, spikes in zip(I, res.spike_times, strict=True):
        _, ref = reference_lif(
            float(P.E_L) + float(P.R) * row,
            np.full(n, TAU),
            float(P.V_th),
            float(P.V_reset),
            float(P.t_ref),
            float(P.E_L),
            dt,
        )
        assert len(ref) >= 3
        # both integrate the same exact per-step solution: round-off only
        np.testing.assert_allclose(spikes, ref, rtol=0, atol=1e-12)
