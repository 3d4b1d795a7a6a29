"""The numerics page's analyses: the teaching integrator against the engine and a plain step
loop, Euler's first order, the engine's round-off floor, and what each refinement removes.

Parameters tell the formulas apart: V_reset != E_L, t_ref not a multiple of dt, t_ref < dt.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from mutation_aware import shared_scope

from lif_core import LIFParams, simulate, theory
from lif_core.analysis import numerics as nm

P = LIFParams(R=10e6, C=1e-9, E_L=-65e-3, V_th=-50e-3, V_reset=-60e-3, t_ref=2.05e-3)
CASES = [
    (P, 2.0e-9, 1e-4),
    (P, 4.0e-9, 3e-4),
    (P.replace(t_ref=0.03e-3), 2.5e-9, 1e-4),  # t_ref < dt
    (LIFParams(), 1.55e-9, 0.7e-3),  # just above rheobase, V_reset = E_L, t_ref = 2 ms
]
IDS = ["t_ref 2.05 ms", "dt 0.3 ms", "t_ref < dt", "near rheobase"]


def step_loop(p: LIFParams, I: float, dt: float, n_steps: int, integ: nm.Integrator):
    """Reference: the exact propagator one step at a time, as a clock-driven simulator does.

    Each step is integrated exactly from its start (or from the end of refractoriness inside
    it); a step whose end is at or above threshold holds a crossing, placed inside the step
    or at its end; the refractory period ends exactly or at the next grid time.
    """
    tau, V_th, V_reset, t_ref = p.tau, p.V_th, p.V_reset, p.t_ref
    V_inf = p.E_L + p.R * I
    v, release, spikes = p.E_L, -math.inf, []
    for k in range(n_steps):
        t0, t1 = k * dt, (k + 1) * dt
        if release >= t1:
            continue  # refractory for the whole step
        start = t0
        if release > t0:
            start, v = release, V_reset
        while True:
            v_end = V_inf + (v - V_inf) * math.exp(-(t1 - start) / tau)
            if v_end < V_th:
                v = v_end
                break
            if integ.crossing_inside:
                t_s = start + tau * math.log((V_inf - v) / (V_inf - V_th))
            else:
                t_s = t1
            spikes.append(t_s)
            release = t_s + t_ref
            if not integ.refractory_exact:
                release = math.ceil(release / dt - 1e-9) * dt
            v = V_reset
            if release >= t1 or not integ.crossing_inside:
                if release < t1:  # grid spike at t1 with a release before the next step
                    release = t1
                break
            start = release
    return np.array(spikes)


@pytest.mark.parametrize(("p", "I", "dt"), CASES, ids=IDS)
def test_teaching_integrator_with_both_refinements_is_the_engine(p, I, dt):
    res = simulate(p, I=I, duration=2000 * dt, dt=dt)
    run = nm.teaching_run(p, I, dt, 2000 * dt, nm.ENGINE, record=True)
    np.testing.assert_allclose(run.spike_times, res.spike_times[0], rtol=0, atol=1e-12)
    np.testing.assert_allclose(run.V, res.V[0], rtol=0, atol=1e-12)
    np.testing.assert_array_equal(run.refractory, res.refractory[0])


@pytest.mark.parametrize(("p", "I", "dt"), CASES, ids=IDS)
def test_teaching_euler_is_the_engines_euler(p, I, dt):
    res = simulate(p, I=I, duration=1000 * dt, dt=dt, method="euler")
    run = nm.teaching_run(p, I, dt, 1000 * dt, nm.EULER, record=True)
    np.testing.assert_allclose(run.spike_times, res.spike_times[0], rtol=0, atol=1e-12)
    np.testing.assert_allclose(run.V, res.V[0], rtol=0, atol=1e-12)
    np.testing.assert_array_equal(run.refractory, res.refractory[0])


@pytest.mark.parametrize("integ", [nm.GRID_CROSSING, nm.GRID_REFRACTORY, nm.BOTH_ON_GRID])
@pytest.mark.parametrize(("p", "I", "dt"), CASES, ids=IDS)
def test_grid_snapped_variants_equal_a_plain_step_loop(p, I, dt, integ):
    run = nm.teaching_run(p, I, dt, 1500 * dt, integ)
    ref = step_loop(p, I, dt, 1500, integ)
    assert run.spike_times.size == ref.size > 3
    np.testing.assert_allclose(run.spike_times, ref, rtol=0, atol=1e-12)


# --------------------------------------------------------------------------- orders


@pytest.fixture(scope=shared_scope)
def sweep() -> nm.ErrorSweep:
    return nm.error_sweep(P, 2.0e-9)


def test_forward_euler_is_first_order(sweep):
    dt = sweep.dt
    first = sweep.first_spike_error[nm.EULER.name]
    rate = sweep.rate_error[nm.EULER.name]
    assert nm.loglog_slope(dt, first) == pytest.approx(1.0, abs=0.15)
    assert nm.loglog_slope(dt, rate) == pytest.approx(1.0, abs=0.2)
    # bounded by the grid step and by the update's lead T dt / (2 tau) ...
    T1 = sweep.first_spike_theory
    assert np.all(first <= dt * max(1.0, T1 / (2 * P.tau)) * 1.05)
    # ... and not smaller order: over the finest decade the error stays a fraction of dt
    assert np.mean(first[:10] / dt[:10]) > 0.1


def test_the_engine_sits_at_round_off_at_every_dt(sweep):
    engine = nm.ENGINE.name
    assert np.all(sweep.rate_error[engine] <= 1000 * sweep.rate_floor)  # ~1e-11 Hz
    assert np.all(sweep.first_spike_error[engine] <= 1000 * sweep.first_spike_floor)
    assert math.isnan(sweep.rate_slope[engine]) or abs(sweep.rate_slope[engine]) < 0.5


def test_the_crossing_refinement_removes_the_first_spike_error(sweep):
    grid = sweep.first_spike_error[nm.GRID_CROSSING.name]
    assert np.all(grid <= sweep.dt * (1 + 1e-9)) and np.mean(grid / sweep.dt) > 0.2
    # the refractory refinement plays no part before the first spike
    for dt in sweep.dt[::6]:
        run = nm.teaching_run(P, 2.0e-9, dt, 0.05, nm.GRID_REFRACTORY)
        assert run.spike_times[0] == pytest.approx(sweep.first_spike_theory, abs=1e-15)


def test_each_rounding_costs_at_most_one_step_per_interval(sweep):
    """A spike or a release up to one step late: 0 <= f - f_sim <= f^2 dt per rounding."""
    f = sweep.rate_theory
    for integ, roundings in ((nm.GRID_CROSSING, 1), (nm.GRID_REFRACTORY, 1), (nm.BOTH_ON_GRID, 2)):
        err = sweep.rate_error[integ.name]
        assert np.all(err <= roundings * f * f * sweep.dt * (1 + 1e-6) + 1e-9), integ.name
        assert np.all(err > 0), integ.name  # never exact: t_ref is not a multiple of these dt
        assert nm.loglog_slope(sweep.dt, err) == pytest.approx(1.0, abs=0.2)


def test_refractory_rounding_costs_nothing_when_spikes_and_t_ref_are_on_the_grid():
    p = P.replace(t_ref=2e-3)
    a = nm.teaching_run(p, 3e-9, 1e-4, 0.5, nm.BOTH_ON_GRID).spike_times
    b = nm.teaching_run(p, 3e-9, 1e-4, 0.5, nm.GRID_CROSSING).spike_times
    np.testing.assert_array_equal(a, b)


def test_a_clock_driven_simulator_is_hertz_off_when_t_ref_is_off_the_grid():
    """The page's claim: both roundings at dt = 0.1 ms, t_ref = 2.05 ms, up to 18 Hz off."""
    p = LIFParams(t_ref=2.05e-3)
    currents = np.linspace(p.rheobase * 1.05, 20e-9, 120)
    errors = []
    for I in currents:
        s = nm.teaching_run(p, I, 1e-4, 1.0, nm.BOTH_ON_GRID).spike_times
        errors.append((s.size - 1) / (s[-1] - s[0]) - theory.firing_rate(p, I))
    worst = -min(errors)
    assert 15.0 < worst < 19.0 and max(errors) < 0


# --------------------------------------------------------------------------- records


def test_closed_form_trace_resets_at_threshold_and_charges_in_between():
    cf = nm.closed_form_trace(P, 2e-9, 0.1)
    T = theory.time_to_threshold(P, 2e-9)
    T1 = nm.first_spike_theory(P, 2e-9)
    np.testing.assert_allclose(cf.spike_times, T1 + (P.t_ref + T) * np.arange(cf.spike_times.size))
    for ts in cf.spike_times:
        at = np.flatnonzero(cf.t == ts)
        assert cf.V[at].tolist() == [P.V_th, P.V_reset]  # reaches V_th, is reset
    first = cf.t < T1
    np.testing.assert_allclose(cf.V[first], theory.charging(P, cf.t[first], 2e-9), atol=1e-15)
    assert cf.rate == theory.firing_rate(P, 2e-9) and np.all(np.diff(cf.t) >= 0)


def test_trace_comparison_scores_both_methods():
    comp = nm.trace_comparison(P, 2e-9, 1e-3, 0.08)
    assert comp.exact.integrator == nm.ENGINE and abs(comp.exact.rate_error) < 1e-10
    assert abs(comp.exact.first_spike_error) < 1e-15
    assert comp.euler.first_spike_error != 0 and not comp.euler.unstable
    off = nm.trace_comparison(P, 2e-9, 1e-3, 0.08, crossing_inside=False)
    assert off.exact.integrator == nm.GRID_CROSSING and off.exact.first_spike_error > 0
    fast = nm.trace_comparison(P, 2e-9, 25e-3, 0.08)
    assert fast.euler.unstable and not fast.exact.unstable


def test_below_rheobase_the_closed_form_charges_towards_V_inf_without_spikes():
    cf = nm.closed_form_trace(P, 1e-9, 0.1)
    assert cf.spike_times.size == 0 and math.isinf(cf.first_spike) and cf.rate == 0.0
    np.testing.assert_allclose(cf.V, theory.charging(P, cf.t, 1e-9), atol=1e-15)
    comp = nm.trace_comparison(P, 1e-9, 1e-3, 0.05)
    assert comp.exact.spike_times.size == 0 and math.isnan(comp.exact.first_spike_error)


def test_below_rheobase_there_is_nothing_to_score():
    sw = nm.error_sweep(P, 1e-9, np.array([1e-4, 2e-4, 4e-4]))
    assert sw.rate_theory == 0.0 and math.isinf(sw.first_spike_theory)
    assert all(np.all(np.isnan(v)) for v in sw.rate_error.values())


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="dt"):
        nm.teaching_run(P, 2e-9, 0.0, 0.1)
    with pytest.raises(ValueError, match="Euler"):
        nm.teaching_run(P, 2e-9, 1e-4, 0.1, nm.Integrator("x", "x", "euler", True, False))
    with pytest.raises(ValueError, match="spikes per time step"):
        nm.teaching_run(P.replace(t_ref=0.0), 1e-6, 1e-3, 0.01)
