"""AdEx and Hodgkin–Huxley models: refusals word for word, the AdEx resting state above V_T,
the exact mean of ln u, and the many-condition (numpy) HH engine at its edges.

Written against mutation-testing survivors of lif_core.models.adex and lif_core.models.hh;
every check is a value a reader can derive without the code (a closed form, a published
number, an independent quadrature) or the exact text of a refusal.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
from refusals import whole
from scipy.optimize import brentq

from lif_core.models import adex, hh
from lif_core.models.adex import PRESETS, AdExParams, simulate_adex
from lif_core.models.hh import SCALAR_MAX, HHParams, HHState, simulate_hh

# ------------------------------------------------------------------ AdEx refusals


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"C": 0.0}, "C = 0.0 F is out of range (allowed: C > 0 F)"),
        ({"g_L": 0.0}, "g_L = 0.0 S is out of range (allowed: g_L > 0 S)"),
        (
            {"Delta_T": 0.02},
            "Delta_T = 0.02 V is out of range (allowed: Delta_T >= 0.0001 V and Delta_T <= 0.01 V)",
        ),
        ({"tau_w": 0.0}, "tau_w = 0.0 s is out of range (allowed: tau_w > 0 s)"),
        ({"b": -1e-12}, "b = -1e-12 A is out of range (allowed: b >= 0 A)"),
        ({"a": -2e-9}, "a = -2e-09 S is out of range (allowed: a > -2e-09 S)"),
        ({"V_peak": -0.05}, "V_peak = -0.05 V is out of range (allowed: V_peak > -0.05 V)"),
        ({"V_r": 0.0}, "V_r = 0.0 V is out of range (allowed: V_r <= -1e-06 V)"),
        ({"C": math.nan}, "C must be a finite number, got nan"),
        ({"C": np.array([40e-12, 50e-12])}, "C must be a number, got shape (2,)"),
    ],
)
def test_adex_refusal_names_the_parameter_its_value_range_and_unit(changes, message):
    """The whole message: name, value, the allowed range, in F, S, V, s, A.

    Each open bound is tried at the bound itself (C = 0, a = -g_L, V_peak = V_T), so
    an open range that became closed would let the value through.
    """
    with pytest.raises(ValueError, match="^" + re.escape(message) + "$"):
        AdExParams(**changes)


def test_adex_values_at_the_closed_edges_are_allowed():
    """Delta_T from 0.1 to 10 mV inclusive, b = 0, V_r one microvolt below V_peak."""
    assert AdExParams(Delta_T=1e-4).Delta_T == 1e-4
    assert AdExParams(Delta_T=1e-2).Delta_T == 1e-2
    assert AdExParams(b=0.0).b == 0.0
    assert AdExParams(V_r=-1e-6).V_r == -1e-6


# ------------------------------------------------------------------ AdEx resting state above V_T


def _adex_rest(p: AdExParams, I: float) -> float:
    """Stable resting potential: (g_L + a)(V - E_L) - g_L Delta_T e^((V - V_T)/Delta_T) = I.

    Solved below the top of that I–V curve, V* = V_T + Delta_T ln((g_L + a)/g_L).
    """
    V_star = p.V_T + p.Delta_T * math.log((p.g_L + p.a) / p.g_L)

    def f(V):
        return (
            (p.g_L + p.a) * (V - p.E_L) - p.g_L * p.Delta_T * math.exp((V - p.V_T) / p.Delta_T) - I
        )

    return brentq(f, p.E_L, V_star, xtol=1e-15)


def test_adex_rests_above_V_T_at_the_closed_form_steady_state():
    """With a = 10 nS the resting branch reaches above V_T (to V* = V_T + 2 mV ln 6), and with
    a fast tau_w = 2 ms it is stable there (trace of the Jacobian g_L (e^x - 1) / C - 1/tau_w < 0
    up to V*). From 1 mV below it the run settles on the closed-form fixed point,
    w = a (V - E_L), without a spike."""
    p = AdExParams(a=10e-9, tau_w=2e-3, b=0.0)
    I = 245e-12  # between I(V_T) = 236 pA and the rheobase 259 pA
    V_rest = _adex_rest(p, I)
    assert p.V_T < V_rest < p.V_T + p.Delta_T * math.log(6.0)
    w_rest = p.a * (V_rest - p.E_L)
    run = simulate_adex(p, I, duration=1.0, V0=V_rest - 1e-3, w0=w_rest)
    assert run.spike_times[0].size == 0
    assert run.V[0, -1] == pytest.approx(V_rest, abs=1e-9)
    assert run.w[0, -1] == pytest.approx(w_rest, rel=1e-7)


def test_adex_started_at_its_rest_above_V_T_stays_there():
    """The fixed point is a fixed point of the integrator too (u constant over a step)."""
    p = AdExParams(a=10e-9, tau_w=2e-3, b=0.0)
    I = 245e-12
    V_rest = _adex_rest(p, I)
    run = simulate_adex(p, I, duration=0.05, V0=V_rest, w0=p.a * (V_rest - p.E_L))
    assert np.abs(run.V[0] - V_rest).max() < 1e-12
    assert np.abs(run.w[0] - p.a * (V_rest - p.E_L)).max() < 1e-20


def _quadrature_mean_log(u0: float, u1: float) -> float:
    """Mean of ln u for u linear from u0 to u1, by 64-point Gauss–Legendre quadrature."""
    x, wts = np.polynomial.legendre.leggauss(64)
    u = 0.5 * (u0 + u1) + 0.5 * (u0 - u1) * x
    return float(0.5 * np.sum(wts * np.log(u)))


@pytest.mark.parametrize(
    ("u0", "u1"),
    [(1.0, 0.5), (0.3, 0.2999), (1e-5, 1e-6), (2e-4, 1e-4), (0.5, 0.5), (0.7, 0.7 - 1e-12)],
)
def test_mean_log_is_the_exact_mean_over_the_step(u0, u1):
    """_mean_log (the w drive over a u step) equals the average of ln u along the step."""
    assert adex._mean_log(u0, u1) == pytest.approx(_quadrature_mean_log(u0, u1), abs=1e-9)


def test_adex_strong_drive_fires_as_the_fine_step_reference():
    """The tonic preset at 3 nA (h R I / (Delta_T tau_m) > 1 at the default step): the u form
    takes substeps where its step would be unstable. It used to fire no spike at all here;
    now the count is within 2 of the 1 µs reference in 5 ms, the first spike within a step."""
    p = PRESETS["tonic"].params
    coarse = simulate_adex(p, 3e-9, duration=5e-3).spike_times[0]
    fine = simulate_adex(p, 3e-9, duration=5e-3, dt=1e-6).spike_times[0]
    assert fine.size == 16
    assert abs(coarse.size - fine.size) <= 2
    assert abs(coarse[0] - fine[0]) <= 1e-4


@pytest.mark.parametrize("I", [20e-9, 30e-9, 100e-9])
def test_adex_far_beyond_the_presets_still_runs_and_converges(I):
    """b = 0 and tens of nA (tau_m = 20 ms, R = 500 MΩ: R I of 10-50 V): a step from below
    V_T overshot V_peak by far and the loop stalled on spikes of no length (30 nA never
    returned). Now it runs, and the rate at the default step is within 30 % of a 0.1 µs step's."""
    p = AdExParams(b=0.0)
    coarse = simulate_adex(p, I, duration=1e-3).spike_times[0]
    fine = simulate_adex(p, I, duration=1e-3, dt=1e-7).spike_times[0]
    assert np.all(np.diff(coarse) > 0) and coarse.size > 10
    assert abs(coarse.size - fine.size) <= 0.3 * fine.size


def test_adex_more_than_ten_spikes_in_one_step_is_refused_by_name():
    with pytest.raises(
        ValueError,
        match=whole(
            "I = 1e-06 A fires more than 10 spikes per time step dt = 0.0001 s (allowed: at most "
            "10 per step); lower the current or dt"
        ),
    ):
        simulate_adex(AdExParams(), 1e-6, duration=1e-3)


# ------------------------------------------------------------------ HH, many conditions


P = HHParams()
MANY = SCALAR_MAX + 1  # more conditions than that run in one numpy pass


def test_hh_many_conditions_at_rest_have_the_published_gates_and_no_spikes():
    """Rest at −65 mV: n = 0.3177, m = 0.0529, h = 0.5961 (Hodgkin & Huxley 1952 rates)."""
    run = simulate_hh(P, np.zeros((MANY, 1)), duration=2e-3)
    assert len(run.spike_times) == MANY
    assert all(s.size == 0 for s in run.spike_times)
    assert run.n == pytest.approx(np.full_like(run.n, 0.3177), abs=3e-4)
    assert run.m == pytest.approx(np.full_like(run.m, 0.0529), abs=3e-4)
    assert run.h == pytest.approx(np.full_like(run.h, 0.5961), abs=3e-4)


def test_hh_many_conditions_agree_with_one_at_a_time_in_a_warm_axon():
    """At 18.5 °C (every rate × 3^1.22) the numpy pass and the single runs agree."""
    warm = P.replace(temperature=18.5)
    I = np.linspace(0.0, 30e-9, MANY)[:, None]
    together = simulate_hh(warm, I, duration=10e-3)
    for i in (0, MANY - 1):
        alone = simulate_hh(warm, float(I[i, 0]), duration=10e-3)
        assert np.abs(together.V[i] - alone.V[0]).max() < 1e-12
        assert np.abs(together.n[i] - alone.n[0]).max() < 1e-12
        assert together.spike_times[i] == pytest.approx(alone.spike_times[0], abs=1e-15)
    assert together.spike_times[-1].size >= 1


def test_hh_start_at_exactly_0_mV_is_not_a_crossing():
    """A spike is an upward crossing of 0 mV: a run that starts at 0 mV with the sodium
    gates open (rising towards E_Na) has not crossed, in the numpy pass as in single runs."""
    state0 = HHState(np.zeros(MANY), 0.0, 1.0, 1.0)
    run = simulate_hh(P, 0.0, duration=0.5e-3, state0=state0)
    assert run.V[0, 1] > 0.0  # it rises from 0 mV
    assert all(s.size == 0 for s in run.spike_times)
    single = simulate_hh(P, 0.0, duration=0.5e-3, state0=HHState(0.0, 0.0, 1.0, 1.0))
    assert single.spike_times[0].size == 0


def test_hh_landing_exactly_on_0_mV_is_a_crossing():
    """A passive patch (no Na, no K) with E_L = 0 mV and τ = C_m / g_L = 3e-12 s reaches
    exactly 0 mV in its first step: it crossed the spike level from below, at t = dt."""
    p = HHParams(g_Na=0.0, g_K=0.0, E_L=0.0, C_m=1e-11)
    state0 = HHState(np.full(MANY, -65e-3), 0.3, 0.05, 0.6)
    run = simulate_hh(p, 0.0, duration=0.1e-3, state0=state0)
    assert np.all(run.V[:, 1] == 0.0)
    assert [s.tolist() for s in run.spike_times] == [[hh.DT_HH]] * MANY
