"""Chapter 4's analysis (lif_core.analysis.firing): sampling, simulated time and time step.

Closed forms are written out by hand here. Without refractoriness a strong current fires at
100-500 kHz: more spikes per 0.1 ms step than the simulator takes, but few enough per 10 µs,
so these neurons tell whether the time step asked for is the one used.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from lif_core import LIFParams
from lif_core.analysis import firing as fa

Q = LIFParams(R=20e6, C=0.6e-9, E_L=-68e-3, V_th=-51e-3, V_reset=-61e-3, t_ref=2.35e-3)
Q0 = Q.replace(t_ref=0.0)


def rate_by_hand(p: LIFParams, I: float, g: float = 0.0, E_syn: float = 0.0) -> float:
    g_tot = 1 / p.R + g
    V_inf = (p.E_L / p.R + g * E_syn + I) / g_tot
    if V_inf <= p.V_th:
        return 0.0
    return 1 / (p.t_ref + p.C / g_tot * math.log((V_inf - p.V_reset) / (V_inf - p.V_th)))


@pytest.mark.parametrize("rh_fraction", [0.0, 0.3, 0.9])
def test_the_curve_is_sampled_densely_just_above_the_rheobase(rh_fraction):
    """At least 40 samples in the first 5 % of the way from the rheobase to I_max."""
    I_max = 2e-9
    rh = rh_fraction * I_max
    grid = fa.theory_currents(rh, I_max)
    assert grid[0] == 0.0 and grid[-1] == I_max and rh in grid
    near = grid[(grid > rh) & (grid <= rh + 0.05 * (I_max - rh))]
    assert near.size >= 40
    assert near[0] - rh < 1e-5 * (I_max - rh)


def test_simulated_fi_runs_for_the_duration_asked_for():
    """A 0.1 s run holds no two spikes of a neuron firing below 10 Hz: those points read 0."""
    rh = (Q.V_th - Q.E_L) / Q.R
    currents = rh * np.array([1 + 1e-7, 1 + 1e-6, 1.5])
    f = [rate_by_hand(Q, I) for I in currents]
    assert 2.0 < f[0] < f[1] < 10.0 < f[2]
    rates = fa.simulated_fi(Q, currents, duration=0.1)
    assert rates[0] == 0.0 and rates[1] == 0.0
    assert rates[2] == pytest.approx(f[2], rel=1e-3)


def test_simulated_fi_uses_the_time_step_asked_for():
    f = rate_by_hand(Q0, 1.5e-6)
    assert 1e5 < f < 5e5  # 1-5 spikes per 10 µs step, over 10 per 0.1 ms step
    rates = fa.simulated_fi(Q0, [1.5e-6], duration=0.003, dt=1e-5)
    assert rates[0] == pytest.approx(f, rel=1e-3)


def test_simulated_fi_leaves_out_points_over_5_spikes_per_step_with_the_synapse():
    """A shunting conductance slows the neuron below 5 spikes per step; E_syn = 0 would not."""
    g, E_syn, dt = 1e-6, Q0.E_L, 1e-4
    I = 2.8e-7
    f = rate_by_hand(Q0, I, g, E_syn)
    assert 4.0 < f * dt < 5.0  # simulated
    assert rate_by_hand(Q0, I, g, 0.0) * dt > 5.0  # not with an excitatory reversal
    I_fast = 1e-6
    assert rate_by_hand(Q0, I_fast, g, E_syn) * dt > 10.0  # left out (too fast to simulate)
    rates = fa.simulated_fi(Q0, [I, I_fast], duration=0.002, dt=dt, g_syn=g, E_syn=E_syn)
    assert rates[0] == pytest.approx(f, rel=1e-3)
    assert math.isnan(rates[1])


def test_fi_points_use_the_time_step_asked_for():
    f = rate_by_hand(Q0, 1.5e-6)
    pts = fa.fi_points(Q0, 1.5e-6, 2, duration=0.003, dt=1e-5)
    assert pts.rate[-1] == pytest.approx(f, rel=1e-3)
    assert pts.rate_noref[-1] == pytest.approx(f, rel=1e-3)
    assert pts.rate[0] == pts.rate_noref[0] == 0.0


def test_operating_trace_uses_the_time_step_asked_for():
    I = 1.2e-9
    result, point = fa.operating_trace(Q, I, 0.05, dt=5e-5)
    assert result.dt == pytest.approx(5e-5)
    np.testing.assert_allclose(np.diff(result.t), 5e-5)
    V_inf = Q.E_L + Q.R * I
    first = Q.R * Q.C * math.log((V_inf - Q.E_L) / (V_inf - Q.V_th))
    assert result.spike_times[0][0] == pytest.approx(first, rel=1e-4)
    assert point.rate_sim == pytest.approx(rate_by_hand(Q, I), rel=1e-3)
