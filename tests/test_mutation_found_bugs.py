"""Bugs that mutation testing showed (issue 16), each checked against physics:

- ``models.hh.resting_state`` searched only [−100, +50] mV and returned the edge when the rest
  lay outside (a leak reversal below −100 mV, a strong current): a "rest" that does not hold;
- ``analysis.grid_integrator.teaching_run(record=True)``: with ``t_ref = 0`` and a spike on a
  grid time, the drawn V kept the reset value one step too long (simulate and the closed form
  have the neuron charging again).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from refusals import whole

from lif_core import LIFParams, simulate
from lif_core.analysis import grid_integrator as gi
from lif_core.models.adex import AdExParams, simulate_adex
from lif_core.models.hh import HHParams, resting_state, steady_current


@pytest.mark.parametrize(
    ("params", "I"),
    [
        (HHParams(E_L=-0.12, E_K=-0.13), 0.0),  # rest near −120 mV
        (HHParams(), -30e-9),  # hyperpolarised to about −154 mV
        (HHParams(), 5e-6),  # depolarised to about +71 mV
    ],
)
def test_the_hh_resting_state_outside_the_first_bracket_holds_the_current(params, I):
    rest = resting_state(params, I)
    assert not (-0.1 <= rest.V <= 0.05)  # each case lies outside [−100, +50] mV
    # the membrane is at rest: the ionic current balances I (to the bisection's round-off)
    assert steady_current(params, rest.V) == pytest.approx(I, abs=1e-15)


def test_the_hh_resting_state_is_found_per_current_in_a_vector():
    I = np.array([-30e-9, 0.0, 5e-6])
    rest = resting_state(HHParams(), I)
    np.testing.assert_allclose(steady_current(HHParams(), rest.V), I, rtol=0, atol=1e-15)
    assert rest.V[0] < -0.1 and -0.1 < rest.V[1] < 0.05 and rest.V[2] > 0.05


def test_a_current_beyond_the_models_range_is_refused_by_name():
    with pytest.raises(
        ValueError,
        match=whole(
            "I = 1.0 A holds the membrane beyond [-1100, +1050] mV: no resting state in the "
            "model's range"
        ),
    ):
        resting_state(HHParams(), 1.0)


@pytest.mark.parametrize("integrator", [gi.ENGINE, gi.GRID_REFRACTORY], ids=lambda i: i.short)
def test_a_spike_on_a_grid_time_without_refractory_period_recharges_at_once(integrator):
    p = LIFParams(R=10e6, C=1e-9, E_L=-65e-3, V_th=-50e-3, V_reset=-60e-3, t_ref=0.0)
    I = 14.25e-9
    V_inf = p.E_L + p.R * I
    T1 = p.tau * math.log((V_inf - p.E_L) / (V_inf - p.V_th))
    dt = T1 / 2  # the first spike falls on the grid time 2 dt (to round-off)
    run = gi.teaching_run(p, I, dt, 8 * dt, integrator, record=True)
    assert run.spike_times[0] == pytest.approx(2 * dt, rel=1e-9)
    # released at 2 dt with V_reset: one step later V has charged towards V_inf
    expected = V_inf + (p.V_reset - V_inf) * math.exp(-dt / p.tau)
    assert run.V[2] == p.V_reset and not run.refractory.any()
    assert run.V[3] == pytest.approx(expected, abs=1e-12)  # -52.562 mV, not V_reset
    if integrator is gi.ENGINE:  # the exact engine draws simulate's trace
        sim = simulate(p, I=I, duration=8 * dt, dt=dt)
        np.testing.assert_allclose(run.V, sim.V[0], rtol=0, atol=1e-12)


def test_adex_with_a_huge_start_w_and_tiny_tau_w_is_refused_not_crashed():
    """w0 = 1 µA decaying with tau_w = 10 µs under 1.01 µA: the step to V_T used to land V far
    past V_peak (u = 0, "math domain error"); the drive fires ~70 spikes per 0.1 ms step
    (211 in 0.3 ms at dt = 1 µs), more than a step may hold: refused by name."""
    p = AdExParams(b=0.0, tau_w=1e-5)
    assert simulate_adex(p, 1.01e-6, duration=3e-4, w0=1e-6, dt=1e-6).spike_times[0].size > 150
    with pytest.raises(
        ValueError,
        match=whole(
            "I = 1.01e-06 A fires more than 10 spikes per time step dt = 0.0001 s (allowed: at "
            "most 10 per step); lower the current or dt"
        ),
    ):
        simulate_adex(p, 1.01e-6, duration=3e-4, w0=1e-6)
