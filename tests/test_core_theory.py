"""Closed forms checked against independent facts (not against themselves)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from lif_core import LIFParams, theory

P = LIFParams(R=10e6, C=1e-9, E_L=-65e-3, V_th=-50e-3, V_reset=-65e-3, t_ref=2e-3)


def test_charging_covers_63_percent_at_tau_and_90_percent_at_tau_ln10():
    I = 1e-9
    V_inf = P.E_L + P.R * I
    at_tau = theory.charging(P, P.tau, I)
    assert (at_tau - P.E_L) / (V_inf - P.E_L) == pytest.approx(1 - 1 / math.e, rel=1e-12)
    at_90 = theory.charging(P, P.tau * math.log(10), I)
    assert (at_90 - P.E_L) / (V_inf - P.E_L) == pytest.approx(0.9, rel=1e-12)


def test_charging_solves_the_membrane_equation():
    t = np.linspace(0, 0.05, 501)
    I = 0.7e-9
    V = theory.charging(P, t, I, V0=-80e-3)
    h = 1e-7
    dVdt = (theory.charging(P, t + h, I, V0=-80e-3) - theory.charging(P, t - h, I, V0=-80e-3)) / (
        2 * h
    )
    np.testing.assert_allclose(P.tau * dVdt, -(V - P.E_L) + P.R * I, atol=1e-9)


def test_rheobase_is_where_the_steady_state_reaches_threshold():
    assert theory.steady_state(P, theory.rheobase(P)) == pytest.approx(P.V_th, abs=1e-15)
    assert theory.rheobase(P) == pytest.approx(P.rheobase)


def test_rate_is_zero_at_and_below_rheobase_and_saturates_at_one_over_t_ref():
    I = np.array([0.0, 0.5, 1.0]) * P.rheobase
    assert np.all(theory.firing_rate(P, I) == 0.0)
    assert theory.firing_rate(P, 1e-6) == pytest.approx(1 / P.t_ref, rel=0.01)
    assert theory.firing_rate(P, 1e-6) < 1 / P.t_ref


def test_time_to_threshold_matches_the_charging_curve():
    I = 3e-9
    T = theory.time_to_threshold(P, I)
    assert theory.charging(P, T, I, V0=P.V_reset) == pytest.approx(P.V_th, abs=1e-12)


def test_asymptote_approaches_the_rate_without_refractoriness():
    p0 = P.replace(t_ref=0.0)
    I = 200 * P.rheobase
    f = theory.firing_rate(p0, I)
    assert theory.firing_rate_asymptote(p0, I) == pytest.approx(f, rel=1e-3)


def test_conductance_steady_state_balances_the_currents():
    g, E_syn, I = 5e-9, 0.0, 0.2e-9
    V_inf, tau_eff = theory.conductance_steady_state(P, g, E_syn, I)
    leak = (V_inf - P.E_L) / P.R
    syn = g * (V_inf - E_syn)
    assert leak + syn == pytest.approx(I, abs=1e-20)
    assert tau_eff == pytest.approx(P.C / (1 / P.R + g))
    # the conductance rheobase brings the steady state exactly to threshold
    I_rh = theory.rheobase(P, g, E_syn)
    V_at_rh, _ = theory.conductance_steady_state(P, g, E_syn, I_rh)
    assert V_at_rh == pytest.approx(P.V_th, abs=1e-15)


def test_shunting_barely_moves_rest_but_shortens_tau():
    V_inf, tau_eff = theory.conductance_steady_state(P, 200e-9, P.E_L)  # 2x the leak (100 nS)
    assert V_inf == pytest.approx(P.E_L, abs=1e-15)
    assert tau_eff == pytest.approx(P.tau / 3)
