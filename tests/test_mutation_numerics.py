"""Mutation-driven checks of the teaching integrator and the numerics analyses.

Every value is checked against an independent reference: the closed-form spike recursion
of each integrator, a plain clock-driven step loop, or hand-computed numbers. Parameters
tell the formulas apart: V_reset != E_L, t_ref off the grid, dyadic numbers where an
equality to the last bit matters.
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest

from lif_core import LIFParams
from lif_core.analysis import grid_integrator as gi
from lif_core.analysis import numerics as nm

P = LIFParams(R=10e6, C=1e-9, E_L=-65e-3, V_th=-50e-3, V_reset=-60e-3, t_ref=2.05e-3)
TAU = 10e-3
EXACT = [gi.ENGINE, gi.GRID_CROSSING, gi.GRID_REFRACTORY, gi.BOTH_ON_GRID]


def _times(p: LIFParams, I: float) -> tuple[float, float]:
    """Closed-form first spike (from E_L, or V_reset if E_L >= V_th) and reset-to-threshold time."""
    V_inf = float(p.E_L) + float(p.R) * I
    V0 = float(p.E_L) if p.E_L < p.V_th else float(p.V_reset)
    tau = float(p.R) * float(p.C)
    T1 = tau * math.log((V_inf - V0) / (V_inf - float(p.V_th)))
    T = tau * math.log((V_inf - float(p.V_reset)) / (V_inf - float(p.V_th)))
    return T1, T


def _reference_spikes(p: LIFParams, I: float, dt: float, n: int, integ: gi.Integrator) -> list:
    """Spike times of an exact-propagator integrator from the closed-form recursion."""
    T1, T = _times(p, I)
    t_ref = float(p.t_ref)

    def snap(t: float) -> float:
        return math.ceil(t / dt - 1e-9) * dt

    s = T1 if integ.crossing_inside else snap(T1)
    out = []
    while s < n * dt:
        out.append(s)
        release = s + t_ref if integ.refractory_exact else snap(s + t_ref)
        if integ.crossing_inside:
            s = release + T
        elif integ.refractory_exact:
            s = snap(release + T)
        else:
            s = release + math.ceil(T / dt - 1e-9) * dt
    return out


# --------------------------------------------------------------------------- _first_at_or_above


def _at(v0: float, V_inf: float, a: float, j: int) -> float:
    return V_inf + a**j * (v0 - V_inf)


def test_first_at_or_above_range_of_j() -> None:
    """j runs over 1..n_max: none for n_max = 0, the first step counts, the last one too."""
    assert gi._first_at_or_above(0.0, 1.0, 0.5, 0.25, 0) is None
    assert gi._first_at_or_above(0.0, 1.0, 0.5, 0.25, 1) == 1  # at(1) = 0.5
    assert gi._first_at_or_above(0.0, 1.0, 0.5, 0.75, 2) == 2  # at(2) = 0.75 exactly
    assert gi._first_at_or_above(0.0, 1.0, 0.5, 0.75, 1) is None
    assert gi._first_at_or_above(0.0, 1.0, 0.5, 0.875, 3) == 3
    assert gi._first_at_or_above(0.0, 1.0, 0.5, 0.875, 2) is None


def test_first_at_or_above_start_at_threshold_and_steady_state_at_threshold() -> None:
    """Starting on threshold still gives j = 1; V_inf == V_th never reaches it."""
    assert gi._first_at_or_above(0.5, 1.0, 0.5, 0.5, 4) == 1
    assert gi._first_at_or_above(0.0, 0.5, 0.5, 0.5, 100) is None
    assert gi._first_at_or_above(0.0, 0.25, 0.5, 0.5, 100) is None


def test_first_at_or_above_zero_factor() -> None:
    """Euler with dt = tau (a = 0) lands on V_inf in one step."""
    assert gi._first_at_or_above(-1.0, 1.0, 0.0, 0.5, 3) == 1
    assert gi._first_at_or_above(-1.0, 0.25, 0.0, 0.5, 3) is None


def test_first_at_or_above_huge_horizon_is_one_logarithm() -> None:
    """a close to 1: the answer (~7e11 steps) comes from the logarithm, not a walk or array."""
    a = math.exp(-1e-12)
    j = gi._first_at_or_above(0.0, 1.0, a, 0.5, 10**15)
    assert j is not None and 6e11 < j < 8e11
    assert _at(0.0, 1.0, a, j) >= 0.5 > _at(0.0, 1.0, a, j - 1)


class _CountingFloat(float):
    """A float that counts how often it is raised to a power (V(j) evaluations)."""

    def __init__(self, value: float) -> None:
        self.powers = 0

    def __pow__(self, other):  # type: ignore[override]
        self.powers += 1
        return float(self) ** other


@pytest.mark.parametrize(
    ("v0", "V_inf", "a", "k"),
    [
        (-0.831405702961694, 0.3042436114241851, 0.8229309264943321, 1),
        (-0.15256626306276733, 0.7873971570789526, 0.5670477578120883, 3),
        (-0.9694100169664465, 0.12290127489411473, 0.9498123013481303, 5),
        (-0.29923043478646505, 0.7827960513453905, 0.9999999979541068, 109748806),
    ],
)
def test_first_at_or_above_logarithm_overshoots(v0: float, V_inf: float, a: float, k: int) -> None:
    """V_th = V(k) exactly, where the logarithm's round-off puts the crossing just above k."""
    V_th = _at(v0, V_inf, a, k)
    x = math.log((V_inf - v0) / (V_inf - V_th)) / -math.log(a)
    assert math.ceil(x) == k + 1  # the case under test
    counted = _CountingFloat(a)
    assert gi._first_at_or_above(v0, V_inf, counted, V_th, 2 * k + 50) == k
    assert counted.powers <= 5  # a step back, not a walk from j = 1 (no timing: counted)
    assert gi._first_at_or_above(v0, V_inf, a, V_th, k) == k


@pytest.mark.parametrize(
    ("v0", "V_inf", "a", "k"),
    [
        (-0.2390375550874244, 0.525020719218505, 0.5588414331318594, 4),
        (-0.237719917542058, 0.10189544801599963, 0.7159507668846217, 4),
    ],
)
def test_first_at_or_above_logarithm_undershoots(v0: float, V_inf: float, a: float, k: int) -> None:
    """V_th one ulp above V(k-1): the logarithm says k-1, the answer is k."""
    V_th = math.nextafter(_at(v0, V_inf, a, k - 1), math.inf)
    x = math.log((V_inf - v0) / (V_inf - V_th)) / -math.log(a)
    assert math.ceil(x) == k - 1  # the case under test
    assert gi._first_at_or_above(v0, V_inf, a, V_th, 50) == k
    assert gi._first_at_or_above(v0, V_inf, a, V_th, k) == k
    assert gi._first_at_or_above(v0, V_inf, a, V_th, k - 1) is None


def test_first_at_or_above_oscillating_euler() -> None:
    """a < 0 (Euler, dt > tau): V_j = 1 - 2 (-2)^j = 5, -7, 17, -31, 65 ... checked one by one."""
    assert gi._first_at_or_above(-1.0, 1.0, -2.0, 11.0, 3) == 3
    assert gi._first_at_or_above(-1.0, 1.0, -2.0, 11.0, 2) is None
    assert gi._first_at_or_above(-1.0, 1.0, -2.0, 11.0, 9) == 3
    assert gi._first_at_or_above(-1.0, 1.0, -2.0, 5.0, 9) == 1  # equal to threshold
    assert gi._first_at_or_above(-1.0, 1.0, -2.0, 17.0, 9) == 3
    assert gi._first_at_or_above(-1.0, 1.0, -2.0, 100.0, 4) is None
    # starting at threshold: j = 0 does not count; V_j = 1 + 10 (-2)^j = -19, 41
    assert gi._first_at_or_above(11.0, 1.0, -2.0, 11.0, 5) == 2
    # a = -1: V_j = 1, -1, 1 ...: on threshold at j = 1
    assert gi._first_at_or_above(-1.0, 0.0, -1.0, 1.0, 4) == 1


# --------------------------------------------------------------------------- teaching_run checks


def test_teaching_run_messages() -> None:
    """Each bad argument is named with its value and the allowed range."""
    cases = [
        ({"I": math.nan}, "I must be a finite number, got nan"),
        ({"dt": math.inf}, "dt must be a finite number, got inf"),
        ({"dt": -1e-4}, "dt = -0.0001 s is out of range (allowed: dt > 0 s)"),
        ({"duration": math.nan}, "duration must be a finite number, got nan"),
        ({"duration": 0.0}, "duration = 0.0 s is out of range (allowed: duration > 0 s)"),
        ({"duration": -0.5}, "duration = -0.5 s is out of range (allowed: duration > 0 s)"),
    ]
    for kw, msg in cases:
        args = {"I": 2e-9, "dt": 1e-4, "duration": 0.01} | kw
        with pytest.raises(ValueError) as err:
            gi.teaching_run(P, args["I"], args["dt"], args["duration"])
        assert str(err.value) == msg


def test_teaching_run_integrator_messages() -> None:
    """An unknown update rule, and Euler with a refinement, are refused by name."""
    bad = gi.Integrator("rk4", "rk4", "rk4", True, True)
    with pytest.raises(ValueError) as err:
        gi.teaching_run(P, 2e-9, 1e-4, 0.01, bad)
    assert str(err.value) == "update = 'rk4' is not known (allowed: exact, euler)"
    euler_inside = gi.Integrator("e", "e", "euler", True, False)
    with pytest.raises(ValueError) as err:
        gi.teaching_run(P, 2e-9, 1e-4, 0.01, euler_inside)
    assert str(err.value) == "forward Euler runs with spikes and refractoriness on the grid only"


def test_teaching_run_too_many_spikes_message() -> None:
    """No refractory period and a huge current: ~100 spikes per step is refused."""
    p = P.replace(t_ref=0.0)
    with pytest.raises(ValueError) as err:
        gi.teaching_run(p, 1e-6, 1e-3, 0.01)
    assert str(err.value) == (
        "the neuron fires more than 10 spikes per time step dt = 0.001 s; lower the "
        "current or use a refractory period t_ref >= 0.0001 s"
    )


def test_teaching_run_fields_and_default_no_record() -> None:
    """The result carries its integrator, dt and duration; V is only recorded on request."""
    run = gi.teaching_run(P, 2e-9, 1e-4, 0.0123, gi.GRID_CROSSING)
    assert run.integrator is gi.GRID_CROSSING
    assert run.dt == 1e-4 and run.duration == 0.0123
    assert run.t is None and run.V is None and run.refractory is None
    rec = gi.teaching_run(P, 2e-9, 1e-4, 0.0123, gi.GRID_REFRACTORY, record=True)
    assert rec.integrator is gi.GRID_REFRACTORY
    assert rec.dt == 1e-4 and rec.duration == 0.0123
    assert rec.t is not None and rec.t.size == 123
    np.testing.assert_array_equal(rec.t, np.arange(123) * 1e-4)
    assert rec.refractory is not None and rec.refractory.dtype == np.bool_


def test_teaching_run_less_than_half_a_step_is_one_step() -> None:
    """duration < dt / 2 rounds to zero steps, run as one step."""
    run = gi.teaching_run(P, 2e-9, 1e-4, 0.3e-4, record=True)
    assert run.t is not None and run.V is not None
    np.testing.assert_array_equal(run.t, [0.0])
    assert run.V[0] == pytest.approx(-65e-3)


@pytest.mark.parametrize(
    ("I", "dt", "t_ref", "duration"),
    [
        (2e-9, 1e-4, 2.05e-3, 0.1),
        (4e-9, 3e-4, 2.05e-3, 0.1),
        (10e-9, 2.5e-3, 0.13e-3, 0.045),  # several spikes per step
        (10e-9, 0.7e-3, 0.37e-3, 0.05),
    ],
)
@pytest.mark.parametrize("integ", EXACT)
def test_teaching_run_spikes_match_closed_form_recursion(
    I: float, dt: float, t_ref: float, duration: float, integ: gi.Integrator
) -> None:
    """Spike times of every exact integrator against the closed-form recursion, all of them."""
    p = P.replace(t_ref=t_ref)
    n = round(duration / dt)
    ref = _reference_spikes(p, I, dt, n, integ)
    run = gi.teaching_run(p, I, dt, duration, integ)
    assert run.spike_times.size == len(ref)
    np.testing.assert_allclose(run.spike_times, ref, rtol=0, atol=1e-12)


def test_teaching_run_engine_keeps_a_spike_after_a_release_in_the_last_step() -> None:
    """Engine, two spikes per step: the last step's second spike is kept, as the closed form.

    A release inside the last step used to end the run: 38 spikes instead of 39 (fixed).
    """
    p = P.replace(t_ref=0.13e-3)
    ref = _reference_spikes(p, 10e-9, 2.5e-3, 20, gi.ENGINE)
    run = gi.teaching_run(p, 10e-9, 2.5e-3, 0.05, gi.ENGINE)
    np.testing.assert_allclose(run.spike_times, ref, rtol=0, atol=1e-12)


@pytest.mark.parametrize("E_L", [-50e-3, -45e-3])
def test_teaching_run_start_at_reset_when_rest_is_not_below_threshold(E_L: float) -> None:
    """E_L >= V_th: the run starts at V_reset, so the first spike is tau ln(...) from V_reset."""
    p = P.replace(E_L=E_L)
    I = 1e-9
    V_inf = E_L + 10e6 * I
    T1 = TAU * math.log((V_inf - (-60e-3)) / (V_inf - (-50e-3)))
    run = gi.teaching_run(p, I, 1e-4, 0.05)
    assert run.spike_times[0] == pytest.approx(T1, abs=1e-12)
    assert nm.first_spike_theory(p, I) == pytest.approx(T1, abs=1e-15)
    cf = nm.closed_form_trace(p, I, 0.05)
    assert cf.V[0] == -60e-3
    assert cf.first_spike == pytest.approx(T1, abs=1e-15)


def test_teaching_run_spike_on_the_last_grid_time_is_outside() -> None:
    """A grid spike at t = n dt is outside the run [0, n dt)."""
    I, dt = 2e-9, 1e-4
    T1, _ = _times(P, I)
    k = math.ceil(T1 / dt)
    run = gi.teaching_run(P, I, dt, k * dt, gi.BOTH_ON_GRID)
    assert run.spike_times.size == 0
    run = gi.teaching_run(P, I, dt, (k + 1) * dt, gi.BOTH_ON_GRID)
    np.testing.assert_allclose(run.spike_times, [k * dt], rtol=0, atol=1e-15)


def _step_loop(p: LIFParams, I: float, dt: float, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Clock-driven exact propagator, spikes and refractory end on the grid (V, refractory)."""
    V_inf = float(p.E_L) + float(p.R) * I
    a = math.exp(-dt / TAU)
    hold = math.ceil(float(p.t_ref) / dt - 1e-9)
    V, R = np.zeros(n), np.zeros(n, dtype=bool)
    v, until = float(p.E_L), 0
    for k in range(n):
        if k < until:
            V[k], R[k] = float(p.V_reset), True
            continue
        if k > 0 and v >= float(p.V_th):
            V[k], R[k] = float(p.V_reset), True
            until, v = k + hold, float(p.V_reset)
            continue
        V[k] = v
        v = V_inf + a * (v - V_inf)
    return V, R


@pytest.mark.parametrize(("I", "dt"), [(2e-9, 1e-4), (4e-9, 3e-4), (10e-9, 0.7e-3)])
def test_teaching_run_recorded_trace_matches_step_loop(I: float, dt: float) -> None:
    """Both refinements off: the recorded V and refractory mask are a clock-driven loop's."""
    n = 300
    V_ref, R_ref = _step_loop(P, I, dt, n)
    run = gi.teaching_run(P, I, dt, n * dt, gi.BOTH_ON_GRID, record=True)
    assert run.V is not None and run.refractory is not None
    np.testing.assert_array_equal(run.refractory, R_ref)
    np.testing.assert_allclose(run.V, V_ref, rtol=0, atol=1e-12)
    assert np.all(run.V[R_ref] == -60e-3)


@pytest.mark.parametrize(("I", "dt", "t_ref"), [(2e-9, 1e-4, 2.05e-3), (10e-9, 0.7e-3, 0.37e-3)])
def test_teaching_run_engine_trace_is_closed_form_on_grid(
    I: float, dt: float, t_ref: float
) -> None:
    """Engine, recorded: V on the grid is the closed form; V_reset from the spike's step on."""
    p = P.replace(t_ref=t_ref)
    n = 400
    run = gi.teaching_run(p, I, dt, n * dt, gi.ENGINE, record=True)
    assert run.V is not None and run.refractory is not None
    spikes = _reference_spikes(p, I, dt, n, gi.ENGINE)
    V_inf = -65e-3 + 10e6 * I
    for k in range(n):
        t = k * dt
        before = [s for s in spikes if s <= t + 1e-12]
        refr = any(
            math.ceil(s / dt - 1e-9) <= k < math.ceil((s + t_ref) / dt - 1e-9) for s in spikes
        )
        assert run.refractory[k] == refr, k
        if refr:
            assert run.V[k] == -60e-3
            continue
        if before:
            V = V_inf + (-60e-3 - V_inf) * math.exp(-(t - before[-1] - t_ref) / TAU)
        else:
            V = V_inf + (-65e-3 - V_inf) * math.exp(-t / TAU)
        assert run.V[k] == pytest.approx(V, abs=1e-12), k


def test_integrator_for_each_pair() -> None:
    """Each pair of refinements picks its integrator."""
    assert gi.integrator_for(True, True) is gi.ENGINE
    assert gi.integrator_for(False, True) is gi.GRID_CROSSING
    assert gi.integrator_for(True, False) is gi.GRID_REFRACTORY
    assert gi.integrator_for(False, False) is gi.BOTH_ON_GRID
    with pytest.raises(AssertionError, match=r"^unreachable$"):
        gi.integrator_for("yes", None)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- numerics


def test_steps_and_rate_helpers() -> None:
    """_steps rounds up to whole steps (at least one); _rate is 1 / mean ISI, 0 below 2 spikes."""
    assert nm._steps(0.4e-3, 1e-3) == 1e-3
    assert nm._steps(1.5e-3, 1e-3) == 2e-3
    assert nm._rate(np.array([])) == 0.0
    assert nm._rate(np.array([0.3])) == 0.0
    assert nm._rate(np.array([0.1, 0.35])) == pytest.approx(4.0)
    assert nm._rate(np.array([0.1, 0.2, 0.6])) == pytest.approx(4.0)


def test_first_spike_theory_at_rheobase_and_above() -> None:
    """V_inf == V_th exactly: never fires (inf); above it the closed form."""
    p = LIFParams(R=2.0**24, C=2.0**-30, E_L=-0.0625, V_th=-0.03125, V_reset=-0.046875, t_ref=0.0)
    I = 0.03125 / 2.0**24
    assert float(p.E_L) + float(p.R) * I == float(p.V_th)
    assert nm.first_spike_theory(p, I) == math.inf
    cf = nm.closed_form_trace(p, I, 0.01)
    assert cf.spike_times.size == 0 and cf.first_spike == math.inf


def test_closed_form_trace_against_pointwise_formula() -> None:
    """Every sample of the closed form is V from the latest release (or from E_L)."""
    I, duration = 3e-9, 0.08
    cf = nm.closed_form_trace(P, I, duration, n_points=300)
    T1, T = _times(P, I)
    t_ref = 2.05e-3
    spikes = [T1 + n * (t_ref + T) for n in range(100)]
    spikes = [s for s in spikes if s < duration]
    assert len(spikes) >= 3
    np.testing.assert_allclose(cf.spike_times, spikes, rtol=0, atol=1e-13)
    V_inf = -65e-3 + 10e6 * I
    n_spike_points = 0
    for t, V in zip(cf.t, cf.V, strict=True):
        if any(abs(t - s) < 1e-15 for s in spikes):
            n_spike_points += 1
            continue
        before = [s for s in spikes if s < t]
        if not before:
            ref = V_inf + (-65e-3 - V_inf) * math.exp(-t / TAU)
        elif t < before[-1] + t_ref:
            ref = -60e-3
        else:
            ref = V_inf + (-60e-3 - V_inf) * math.exp(-(t - before[-1] - t_ref) / TAU)
        assert V == pytest.approx(ref, abs=1e-12), t
    assert n_spike_points == 2 * len(spikes)
    # each release time is sampled, at V_reset
    for s in spikes:
        if s + t_ref <= duration:
            i = int(np.argmin(np.abs(cf.t - (s + t_ref))))
            assert cf.t[i] == pytest.approx(s + t_ref, abs=1e-15)
            assert cf.V[i] == pytest.approx(-60e-3, abs=1e-15)
    assert cf.t[0] == 0.0 and cf.t[-1] == duration
    assert np.all(np.diff(cf.t) >= 0)


def test_closed_form_trace_spike_at_end_and_on_a_sample() -> None:
    """A spike at t = duration is outside; a spike on a sample time appears once, as two points."""
    I = 2e-9
    T1, _ = _times(P, I)
    cf = nm.closed_form_trace(P, I, T1, n_points=50)
    assert cf.spike_times.size == 0
    assert cf.t[-1] == T1
    cf = nm.closed_form_trace(P, I, 2 * T1, n_points=3)  # samples 0, T1, 2 T1
    assert cf.spike_times[0] == T1
    assert int(np.sum(cf.t == T1)) == 2
    np.testing.assert_array_equal(cf.V[cf.t == T1], [-50e-3, -60e-3])


def test_closed_form_trace_ends_at_duration_with_release_after_it() -> None:
    """A release after the end adds no sample past the end."""
    I = 2e-9
    T1, _ = _times(P, I)
    duration = T1 + 1e-3  # release at T1 + 2.05 ms, after the end
    cf = nm.closed_form_trace(P, I, duration, n_points=20)
    assert cf.t[-1] == duration
    assert cf.t.size == 20 + 2


def test_method_trace_fields_and_errors() -> None:
    """dt, rate and first spike are stored; the errors are against the closed form."""
    I, dt = 2e-9, 1e-4
    mt = nm.method_trace(P, I, dt, 0.05, gi.GRID_CROSSING)
    T1, T = _times(P, I)
    ref = _reference_spikes(P, I, dt, 10000, gi.GRID_CROSSING)
    assert mt.dt == dt
    assert mt.first_spike == pytest.approx(ref[0], abs=1e-12)
    assert mt.first_spike_error == pytest.approx(ref[0] - T1, abs=1e-12)
    rate = (len(ref) - 1) / (ref[-1] - ref[0])
    assert mt.rate == pytest.approx(rate, rel=1e-12)
    assert mt.rate_error == pytest.approx(rate - 1 / (2.05e-3 + T), rel=1e-9)


def test_method_trace_no_spike_within_the_rate_window() -> None:
    """Just above rheobase (first spike after 1 s): no spike, so the first-spike error is nan."""
    p = P.replace(C=1e-7)  # tau = 1 s
    I = 1.51e-9
    T1 = nm.first_spike_theory(p, I)
    assert 1.0 < T1 < math.inf
    for integ in (gi.ENGINE, gi.GRID_CROSSING):
        mt = nm.method_trace(p, I, 1e-3, 0.01, integ)
        assert mt.first_spike == math.inf
        assert math.isnan(mt.first_spike_error)


def test_method_trace_euler_stability_limit() -> None:
    """Euler is unstable only above dt = 2 tau: 2 tau itself is marginal (a = -1)."""
    assert not nm.method_trace(P, 2e-9, 2 * TAU, 0.1, gi.EULER).unstable
    assert nm.method_trace(P, 2e-9, 2.2 * TAU, 0.1, gi.EULER).unstable


def test_trace_comparison_keeps_current() -> None:
    """The comparison records its current."""
    tc = nm.trace_comparison(P, 2e-9, 1e-4, 0.01)
    assert tc.I == 2e-9


def test_loglog_slope_three_points_and_exact_numbers() -> None:
    """Three nonzero errors are enough; exact rationals are taken as numbers."""
    dt = [1e-4, 2e-4, 4e-4]
    assert nm.loglog_slope(np.array(dt), np.array([1e-3, 2e-3, 4e-3])) == pytest.approx(1.0)
    assert math.isnan(nm.loglog_slope(np.array(dt), np.array([0.0, 2e-3, 4e-3])))
    fr_dt = [Fraction(1, 10000), Fraction(1, 5000), Fraction(1, 2500)]
    fr_err = [Fraction(1, 100), Fraction(4, 100), Fraction(16, 100)]
    assert nm.loglog_slope(fr_dt, np.array([1e-2, 4e-2, 16e-2])) == pytest.approx(2.0)
    assert nm.loglog_slope(np.array(dt), fr_err) == pytest.approx(2.0)


def test_error_sweep_fields() -> None:
    """Float time steps, sorted; a slope for every integrator; the round-off floors."""
    I = 2e-9
    dts = np.array([4e-4, 1e-4, 2e-4, 3e-4], dtype=np.float32)
    sw = nm.error_sweep(P, I, dts)
    assert sw.dt.dtype == np.float64
    np.testing.assert_array_equal(sw.dt, np.sort(dts.astype(float)))
    assert set(sw.first_spike_slope) == {i.name for i in gi.FIRST_SPIKE_INTEGRATORS}
    assert set(sw.rate_slope) == {i.name for i in gi.INTEGRATORS}
    assert 0.3 < sw.first_spike_slope[gi.EULER.name] < 2.0
    assert 0.3 < sw.rate_slope[gi.EULER.name] < 2.0
    assert sw.rate_floor == float(np.spacing(sw.rate_theory))
    assert sw.first_spike_floor == float(np.spacing(sw.first_spike_theory))


def test_error_sweep_slow_and_silent() -> None:
    """Below 1 Hz the errors are still measured; below rheobase they and the floors are nan."""
    I = 1.51e-9
    sw = nm.error_sweep(P.replace(C=1e-7), I, np.array([1e-3, 2e-3]))  # tau = 1 s
    assert 0.0 < sw.rate_theory < 1.0
    assert np.all(np.isfinite(sw.rate_error[gi.GRID_CROSSING.name]))
    assert sw.rate_floor == float(np.spacing(sw.rate_theory))
    sw = nm.error_sweep(P, 1e-9, np.array([1e-3, 2e-3]))
    assert sw.rate_theory == 0.0
    assert math.isnan(sw.rate_floor) and math.isnan(sw.first_spike_floor)
    assert np.all(np.isnan(sw.rate_error[gi.ENGINE.name]))


def test_teaching_run_ten_spikes_per_step_is_the_limit() -> None:
    """10 spikes per step on average are allowed (20 in 2 steps), one more is refused."""
    p = P.replace(t_ref=1e-5)
    run = gi.teaching_run(p, 1.2e-7, 1e-3, 2e-3)
    assert run.spike_times.size == 20
    _, T = _times(p, 1.2e-7)
    np.testing.assert_allclose(np.diff(run.spike_times), T + 1e-5, rtol=1e-9)
    with pytest.raises(ValueError, match="more than 10 spikes per time step"):
        gi.teaching_run(p, 1.21e-7, 1e-3, 2e-3)
