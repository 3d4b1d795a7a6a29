"""Closed forms checked against independent facts (not against themselves).

Every check runs on two neurons: the textbook default (V_reset = E_L) and one whose numbers
tell the formulas apart (V_reset ≠ E_L, τ = 12 ms, R = 20 MΩ); conductances have
E_syn ≠ 0, so a dropped g·E_syn term or a V_reset/E_L mix-up fails.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from lif_core import LIFParams, theory

P = LIFParams(R=10e6, C=1e-9, E_L=-65e-3, V_th=-50e-3, V_reset=-65e-3, t_ref=2e-3)
Q = LIFParams(R=20e6, C=0.6e-9, E_L=-68e-3, V_th=-51e-3, V_reset=-61e-3, t_ref=2.35e-3)
NEURONS = pytest.mark.parametrize("p", [P, Q], ids=["default", "odd"])


@NEURONS
def test_steady_state_is_E_L_plus_R_I(p):
    assert theory.steady_state(p, 0.7e-9) == pytest.approx(p.E_L + p.R * 0.7e-9, rel=1e-15)
    np.testing.assert_allclose(
        theory.steady_state(p, np.array([0.0, -1e-9])), [p.E_L, p.E_L - p.R * 1e-9]
    )


@NEURONS
def test_charging_covers_63_percent_at_tau_and_90_percent_at_tau_ln10(p):
    I = 1e-9
    V_inf = p.E_L + p.R * I
    at_tau = theory.charging(p, p.tau, I)
    assert (at_tau - p.E_L) / (V_inf - p.E_L) == pytest.approx(1 - 1 / math.e, rel=1e-12)
    at_90 = theory.charging(p, p.tau * math.log(10), I)
    assert (at_90 - p.E_L) / (V_inf - p.E_L) == pytest.approx(0.9, rel=1e-12)
    assert theory.charging(p, 0.0, I) == pytest.approx(p.E_L, rel=1e-15)  # starts at rest
    assert theory.charging(p, 0.0, I, V0=-80e-3) == pytest.approx(-80e-3, rel=1e-15)


@NEURONS
def test_charging_solves_the_membrane_equation(p):
    t = np.linspace(0, 0.05, 501)
    I = 0.7e-9
    V = theory.charging(p, t, I, V0=-80e-3)
    h = 1e-7
    dVdt = (theory.charging(p, t + h, I, V0=-80e-3) - theory.charging(p, t - h, I, V0=-80e-3)) / (
        2 * h
    )
    np.testing.assert_allclose(p.tau * dVdt, -(V - p.E_L) + p.R * I, atol=1e-9)


@NEURONS
def test_rheobase_is_where_the_steady_state_reaches_threshold(p):
    assert theory.steady_state(p, theory.rheobase(p)) == pytest.approx(p.V_th, abs=1e-15)
    assert theory.rheobase(p) == pytest.approx(p.rheobase)
    assert p.rheobase == pytest.approx((p.V_th - p.E_L) / p.R)


@NEURONS
def test_rate_is_zero_at_and_below_rheobase_and_saturates_at_one_over_t_ref(p):
    I = np.array([0.0, 0.5, 1.0]) * p.rheobase
    assert np.all(theory.firing_rate(p, I) == 0.0)
    assert theory.firing_rate(p, 1e-6) == pytest.approx(1 / p.t_ref, rel=0.01)
    assert theory.firing_rate(p, 1e-6) < 1 / p.t_ref


@NEURONS
def test_time_to_threshold_is_the_charging_time_from_reset(p):
    """T takes V from V_reset (not E_L) to V_th under the constant input."""
    I = 3e-9
    T = theory.time_to_threshold(p, I)
    assert theory.charging(p, T, I, V0=p.V_reset) == pytest.approx(p.V_th, abs=1e-12)
    assert theory.charging(p, 0.999 * T, I, V0=p.V_reset) < p.V_th
    assert theory.firing_rate(p, I) == pytest.approx(1 / (p.t_ref + T), rel=1e-15)
    assert math.isinf(theory.time_to_threshold(p, 0.5 * p.rheobase))
    assert math.isinf(theory.time_to_threshold(p, p.rheobase))


@NEURONS
def test_asymptote_approaches_the_rate_without_refractoriness(p):
    p0 = p.replace(t_ref=0.0)
    for factor, tol in ((50, 1e-2), (200, 1e-3)):
        I = factor * p.rheobase
        f = theory.firing_rate(p0, I)
        assert theory.firing_rate_asymptote(p0, I) == pytest.approx(f, rel=tol)
    # it is a straight line of slope R / (τ (V_th − V_reset)) in I, ignoring t_ref
    I = np.array([10e-9, 20e-9])
    a = theory.firing_rate_asymptote(p, I)
    assert (a[1] - a[0]) / 10e-9 == pytest.approx(p.R / (p.tau * (p.V_th - p.V_reset)))


@NEURONS
@pytest.mark.parametrize("E_syn", [0.0, -80e-3, 10e-3])
def test_conductance_steady_state_balances_the_currents(p, E_syn):
    g, I = 5e-9, 0.2e-9
    V_inf, tau_eff = theory.conductance_steady_state(p, g, E_syn, I)
    leak = (V_inf - p.E_L) / p.R
    syn = g * (V_inf - E_syn)
    assert leak + syn == pytest.approx(I, abs=1e-20)
    assert tau_eff == pytest.approx(p.C / (1 / p.R + g))
    # the conductance rheobase brings the steady state exactly to threshold
    I_rh = theory.rheobase(p, g, E_syn)
    assert theory.conductance_steady_state(p, g, E_syn, I_rh)[0] == pytest.approx(p.V_th, abs=1e-15)
    assert I_rh == pytest.approx(p.rheobase + g * (p.V_th - E_syn))
    # the rate under the conductance is the rate of its own steady state and τ_eff
    I = I_rh + 2e-9
    V_inf, tau_eff = theory.conductance_steady_state(p, g, E_syn, I)
    T = tau_eff * math.log((V_inf - p.V_reset) / (V_inf - p.V_th))
    assert theory.time_to_threshold(p, I, g, E_syn) == pytest.approx(T, rel=1e-12)
    assert theory.firing_rate(p, I, g, E_syn) == pytest.approx(1 / (p.t_ref + T), rel=1e-12)


def test_shunting_barely_moves_rest_but_shortens_tau():
    V_inf, tau_eff = theory.conductance_steady_state(P, 200e-9, P.E_L)  # 2x the leak (100 nS)
    assert V_inf == pytest.approx(P.E_L, abs=1e-15)
    assert tau_eff == pytest.approx(P.tau / 3)
    V_inf, tau_eff = theory.conductance_steady_state(Q, 50e-9, Q.E_L)  # equal to the leak
    assert V_inf == pytest.approx(Q.E_L, abs=1e-15)
    assert tau_eff == pytest.approx(Q.tau / 2)


def test_theory_broadcasts_over_currents_and_returns_floats_for_numbers():
    I = np.linspace(0, 5e-9, 7)
    f = theory.firing_rate(Q, I)
    assert f.shape == (7,) and isinstance(theory.firing_rate(Q, 2e-9), float)
    assert isinstance(theory.time_to_threshold(Q, 2e-9), float)
    np.testing.assert_allclose(f, [theory.firing_rate(Q, i) for i in I])


@NEURONS
@pytest.mark.parametrize(("g", "E_syn"), [(0.0, 0.0), (40e-9, -80e-3), (20e-9, 0.0)])
def test_the_slope_of_the_fi_curve_is_the_derivative_of_the_rate(p, g, E_syn):
    rh = float(theory.rheobase(p, g, E_syn))
    for I in (rh + 0.2e-9, rh + 1e-9, rh + 10e-9):
        h = 1e-6 * I
        fd = (theory.firing_rate(p, I + h, g, E_syn) - theory.firing_rate(p, I - h, g, E_syn)) / (
            2 * h
        )
        assert theory.firing_rate_slope(p, I, g, E_syn) == pytest.approx(fd, rel=1e-5)
    assert theory.firing_rate_slope(p, rh - 1e-12, g, E_syn) == 0.0
    assert theory.firing_rate_slope(p, rh - 1e-9, g, E_syn) == 0.0
    np.testing.assert_allclose(
        theory.firing_rate_slope(p, np.array([rh + 1e-9, rh - 1e-9]), g, E_syn),
        [theory.firing_rate_slope(p, rh + 1e-9, g, E_syn), 0.0],
    )
