"""Chapters 1-2's analysis (lif_core.analysis.membrane): time step, window and 63 % points.

Closed forms are written out by hand here: V(t) = V∞ + (V0 − V∞) e^(−t/τ). Neurons with
τ from 1 ms to 1.2 s reach the window's limits (20 ms to 1 s of discharge after the pulse).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from lif_core import LIFParams
from lif_core.analysis import membrane as mem

#: V_reset ≠ E_L (ignored here: passive), τ = 12 ms.
Q = LIFParams(R=20e6, C=0.6e-9, E_L=-68e-3, V_th=-51e-3, V_reset=-61e-3, t_ref=2.35e-3)


def relax(V_inf: float, V0: float, t, tau: float):
    return V_inf + (V0 - V_inf) * np.exp(-np.asarray(t) / tau)


def test_choose_dt_allows_exactly_max_steps_and_no_more():
    # τ = 0.8 ms: 0.05 ms resolves it; 2.5 s at 0.05 ms is exactly 50 000 steps
    assert mem.choose_dt(8e-4, 2.5) == 5e-5
    # half a step more: the next coarser step, 0.1 ms
    assert mem.choose_dt(8e-4, 2.500025) == 1e-4
    # τ = 0.5 ms, 3 s: 60 000 steps at 0.05 ms, so 0.1 ms
    assert mem.choose_dt(5e-4, 3.0) == 1e-4
    assert mem.choose_dt(5e-4, 2.0) == 5e-5


@pytest.mark.timeout(20)
def test_choose_dt_never_goes_coarser_than_0_1_ms():
    """A long window on a fast membrane keeps 0.1 ms, even if that is > 50 000 steps."""
    assert mem.choose_dt(1e-3, 10.0) == 1e-4
    assert mem.choose_dt(5e-5, 10.0) == 1e-4


def test_the_discharge_window_is_at_most_1_s():
    """τ = 0.3 s: five time constants (1.5 s) are cut to 1 s after the pulse."""
    p = LIFParams(R=3e8, C=1e-9)
    exp = mem.pulse_experiment(p, 20e-12, 0.01, 0.05)
    dt = exp.t[1] - exp.t[0]
    assert exp.t[-1] == pytest.approx(0.01 + 0.05 + 1.0, abs=1.5 * dt)
    V_end = relax(p.E_L + p.R * 20e-12, p.E_L, 0.05, 0.3)
    k = np.searchsorted(exp.t, 0.06 + 0.5)
    assert exp.V[k] == pytest.approx(relax(p.E_L, V_end, exp.t[k] - 0.06, 0.3), abs=1e-9)


def test_a_pulse_exactly_one_tau_long_shows_its_63_percent_point():
    tau = float(Q.tau)
    I = 0.4e-9
    exp = mem.pulse_experiment(Q, I, 0.005, tau)
    assert exp.t_63_on == pytest.approx(0.005 + tau)
    V_63 = Q.E_L + (1 - math.exp(-1)) * Q.R * I
    assert exp.V_63_on == pytest.approx(V_63, abs=1e-9)
    assert exp.V_end == pytest.approx(V_63, abs=1e-9)
    # and one τ after the end it is back 63 % of the way to rest
    assert exp.t_63_off == pytest.approx(0.005 + 2 * tau)
    assert exp.V_63_off == pytest.approx(Q.E_L + math.exp(-1) * (V_63 - Q.E_L), abs=1e-9)


def test_the_discharge_63_percent_point_only_inside_the_window():
    """τ = 1.2 s: one τ after the pulse lies beyond the 1 s of discharge shown."""
    p = LIFParams(R=1.2e9, C=1e-9)
    exp = mem.pulse_experiment(p, 5e-12, 0.01, 0.2)
    assert exp.t[-1] < 0.01 + 0.2 + 1.2
    assert math.isnan(exp.t_63_off) and math.isnan(exp.V_63_off)
    assert math.isnan(exp.t_63_on) and math.isnan(exp.V_63_on)  # the pulse is shorter than τ


@pytest.mark.parametrize("R", [9.999e8, 9.9985e8])
def test_the_discharge_63_percent_point_at_the_last_sample(R):
    """τ just under 1 s: one τ after the pulse is the last sample, or between the last two."""
    p = LIFParams(R=R, C=1e-9)
    tau = float(p.tau)
    exp = mem.pulse_experiment(p, 5e-12, 0.01, 0.05)
    assert exp.t[-2] < 0.06 + tau <= exp.t[-1]
    assert exp.t_63_off == pytest.approx(0.06 + tau)
    V_end = relax(p.E_L + p.R * 5e-12, p.E_L, 0.05, tau)
    assert exp.V_63_off == pytest.approx(p.E_L + math.exp(-1) * (V_end - p.E_L), abs=1e-12)


def test_pulse_theory_after_a_long_rest_on_a_fast_membrane():
    """τ = 1 ms, pulse at 1 s: rest before it (no overflow of e^(t/τ)), then the closed form."""
    p = LIFParams(R=1e6, C=1e-9, E_L=-70e-3)
    I, onset, width = 5e-9, 1.0, 0.9
    t = np.linspace(0.0, 2.5, 2501)
    V = mem.pulse_response_theory(p, I, onset, width, t)
    np.testing.assert_allclose(V[t < onset], p.E_L)
    on = (t >= onset) & (t < onset + width)
    np.testing.assert_allclose(V[on], relax(p.E_L + p.R * I, p.E_L, t[on] - onset, 1e-3))
    V_end = relax(p.E_L + p.R * I, p.E_L, width, 1e-3)
    off = t >= onset + width
    np.testing.assert_allclose(V[off], relax(p.E_L, V_end, t[off] - onset - width, 1e-3))


def test_relaxation_without_current_heads_for_rest():
    rel = mem.relaxation_experiment(Q)
    assert rel.I == 0.0
    assert rel.V_inf == pytest.approx(Q.E_L)
    np.testing.assert_allclose(rel.V[:, -1], Q.E_L, atol=0.01 * 40e-3)  # 5 τ: within e^-5
    np.testing.assert_allclose(rel.dVdt_starts, (Q.E_L - rel.starts) / Q.tau)


def test_relaxation_records_its_current():
    rel = mem.relaxation_experiment(Q, 0.3e-9, starts=[-80e-3, -40e-3])
    assert rel.I == pytest.approx(0.3e-9)
    assert rel.V_inf == pytest.approx(Q.E_L + Q.R * 0.3e-9)
    V = relax(rel.V_inf, np.array([[-80e-3], [-40e-3]]), rel.t[None, :], float(Q.tau))
    np.testing.assert_allclose(rel.V, V, atol=1e-9)
