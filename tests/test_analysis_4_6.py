"""The analyses of chapters 4-6 (lif_core.analysis.firing, .synapses, .inhibition) vs theory.

Closed forms are written out here by hand (not called from lif_core.theory) where the
analysis itself uses lif_core.theory, so a wrong formula cannot agree with itself. Neurons
tell formulas apart: V_reset ≠ E_L, t_ref not a multiple of dt, E_syn ≠ 0.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from mutation_aware import shared_scope

from lif_core import LIFParams, fi_curve, theory
from lif_core.analysis import firing as fa
from lif_core.analysis import inhibition as inh
from lif_core.analysis import synapses as syn

P = LIFParams()  # Dayan & Abbott: E_L = V_reset = -65 mV, V_th = -50 mV, R = 10 MΩ, τ = 10 ms
#: τ = 12 ms, rheobase 0.85 nA, V_reset ≠ E_L, t_ref = 2.35 ms (off the 0.1 ms grid).
Q = LIFParams(R=20e6, C=0.6e-9, E_L=-68e-3, V_th=-51e-3, V_reset=-61e-3, t_ref=2.35e-3)


def rate_by_hand(p: LIFParams, I, g: float = 0.0, E_syn: float = 0.0, t_ref=None):
    """f = 1 / (t_ref + τ_eff ln((V∞ − V_reset)/(V∞ − V_th))), 0 at and below rheobase."""
    I = np.asarray(I, dtype=float)
    g_tot = 1 / p.R + g
    V_inf = (p.E_L / p.R + g * E_syn + I) / g_tot
    tau = p.C / g_tot
    t_ref = p.t_ref if t_ref is None else t_ref
    with np.errstate(divide="ignore", invalid="ignore"):
        T = tau * np.log((V_inf - p.V_reset) / (V_inf - p.V_th))
        return np.where(V_inf > p.V_th, 1 / (t_ref + T), 0.0)


# ------------------------------------------------------------------------------ chapter 4


@pytest.mark.parametrize("p", [P, Q], ids=["default", "odd"])
def test_fi_points_are_the_closed_form_with_and_without_refractoriness(p):
    pts = fa.fi_points(p, 12e-9, 25, duration=0.5)
    np.testing.assert_allclose(pts.I, np.linspace(0, 12e-9, 25))
    assert pts.duration == 0.5
    for rates, t_ref in ((pts.rate, p.t_ref), (pts.rate_noref, 0.0)):
        f = rate_by_hand(p, pts.I, t_ref=t_ref)
        measurable = f > 4.0  # two spikes in 0.5 s
        np.testing.assert_allclose(rates[measurable], f[measurable], rtol=1e-9)
        assert np.all(rates[pts.I <= p.rheobase] == 0.0)
    assert np.all(pts.rate <= pts.rate_noref)


def test_fi_points_leave_out_what_the_grid_cannot_resolve():
    p = P.replace(t_ref=0.0)
    rates = fa.simulated_fi(p, np.array([2e-9, 10e-3]), duration=0.1)  # 10 mA: ~1e7 Hz
    assert rates[0] == pytest.approx(rate_by_hand(p, 2e-9), rel=1e-9)
    assert np.isnan(rates[1])
    assert fa.MAX_SPIKES_PER_STEP == 5.0


def test_simulated_fi_under_a_conductance():
    currents = np.linspace(0, 8e-9, 9)
    r = fa.simulated_fi(Q, currents, duration=0.5, g_syn=30e-9, E_syn=-80e-3)
    f = rate_by_hand(Q, currents, 30e-9, -80e-3)
    ok = f > 4.0
    assert ok.sum() >= 4
    np.testing.assert_allclose(r[ok], f[ok], rtol=1e-9)


@pytest.mark.parametrize("p", [P, Q], ids=["default", "odd"])
def test_fi_curves_hold_both_closed_forms_and_the_asymptote(p):
    curves = fa.fi_curves(p, 20e-9, I_op=3e-9)
    I = curves.I
    np.testing.assert_allclose(curves.rate, rate_by_hand(p, I), rtol=1e-12)
    np.testing.assert_allclose(curves.rate_noref, rate_by_hand(p, I, t_ref=0.0), rtol=1e-12)
    slope = (p.R * I + p.E_L - (p.V_th + p.V_reset) / 2) / (p.tau * (p.V_th - p.V_reset))
    np.testing.assert_allclose(curves.asymptote, slope, rtol=1e-12, atol=1e-9)
    assert curves.rheobase == pytest.approx((p.V_th - p.E_L) / p.R)
    assert curves.ceiling == pytest.approx(1 / p.t_ref)
    assert curves.I_op == 3e-9 and curves.I_max == 20e-9
    assert curves.rate_op == pytest.approx(float(rate_by_hand(p, 3e-9)), rel=1e-12)
    assert curves.points is None
    # the grid: 0 to I_max, crowded just above the rheobase
    assert I[0] == 0.0 and I[-1] == 20e-9 and np.all(np.diff(I) > 0)
    assert curves.rheobase in I
    assert np.sum((I > curves.rheobase) & (I < curves.rheobase + 0.05 * 20e-9)) >= 40


def test_fi_curves_widen_to_the_operating_current_and_lose_the_ceiling_without_t_ref():
    wide = fa.fi_curves(Q, 5e-9, I_op=12e-9)
    assert wide.I_max == 12e-9 and wide.I[-1] == 12e-9
    free = fa.fi_curves(Q.replace(t_ref=0.0), 5e-9)
    assert math.isinf(free.ceiling) and math.isnan(free.rate_op) and free.I_op is None


def test_theory_currents_crowd_above_every_rheobase_in_range():
    grid = fa.theory_currents([1.5e-9, 3e-9, 20e-9], 10e-9, n=50)
    assert grid[0] == 0.0 and grid[-1] == 10e-9 and np.all(np.diff(grid) > 0)
    assert 1.5e-9 in grid and 3e-9 in grid and 20e-9 not in grid
    for rh in (1.5e-9, 3e-9):
        near = (grid > rh) & (grid <= rh + 0.05 * (10e-9 - rh))
        assert near.sum() >= 40
        assert grid[near][0] == pytest.approx(rh + 1e-7 * (10e-9 - rh))
    assert np.sum(np.isin(np.linspace(0, 10e-9, 50), grid)) == 50


def test_operating_point_by_hand():
    op = fa.operating_point(Q, 3e-9)
    V_inf = Q.E_L + Q.R * 3e-9  # -8 mV
    T = Q.tau * math.log((V_inf - Q.V_reset) / (V_inf - Q.V_th))
    assert op.I == 3e-9 and op.V_inf == pytest.approx(V_inf)
    assert op.rheobase == pytest.approx(0.85e-9)
    assert op.T == pytest.approx(T, rel=1e-12)
    assert op.t_ref == Q.t_ref and op.isi == pytest.approx(Q.t_ref + T)
    assert op.rate_theory == pytest.approx(1 / (Q.t_ref + T))
    assert op.rate_noref == pytest.approx(1 / T)
    assert op.ceiling == pytest.approx(1 / 2.35e-3)
    assert op.refractory_fraction == pytest.approx(Q.t_ref / (Q.t_ref + T))
    assert math.isnan(op.rate_sim)
    silent = fa.operating_point(Q, 0.5e-9)
    assert math.isinf(silent.T) and math.isinf(silent.isi) and silent.rate_theory == 0.0
    assert math.isnan(silent.refractory_fraction)
    assert math.isinf(fa.operating_point(Q.replace(t_ref=0.0), 3e-9).ceiling)


def test_operating_trace_simulates_from_rest_and_measures_the_rate():
    result, op = fa.operating_trace(Q, 3e-9, 0.15)
    assert result.V[0, 0] == Q.E_L and result.t[-1] == pytest.approx(0.15 - 1e-4)
    assert op.rate_sim == pytest.approx(op.rate_theory, rel=1e-9)
    spikes = result.spike_times[0]
    assert op.rate_sim == pytest.approx((spikes.size - 1) / (spikes[-1] - spikes[0]))
    # a neuron resting above threshold starts from its reset
    p = Q.replace(E_L=-45e-3)
    result, op = fa.operating_trace(p, 0.0, 0.1)
    assert result.V[0, 0] == p.V_reset and op.rate_theory > 0
    assert op.rate_sim == pytest.approx(op.rate_theory, rel=1e-9)
    # too fast for the grid: no simulation, the closed form only
    none, op = fa.operating_trace(P.replace(t_ref=0.0), 10e-3, 0.1)
    assert none is None and op.rate_theory > 5 / 1e-4 and math.isnan(op.rate_sim)


# ------------------------------------------------------------------------------ chapter 5


def test_sign_changes_interpolates_zero_crossings():
    t = np.linspace(0.0, 1.0, 1001)
    x = np.sin(2 * np.pi * 3 * t + 0.1)
    expected = (np.arange(1, 7) * np.pi - 0.1) / (2 * np.pi * 3)
    np.testing.assert_allclose(syn.sign_changes(t, x), expected, atol=1e-5)
    assert np.all(syn.sign_changes(t, x, t < 0.5) < 0.5)
    assert syn.sign_changes(t, x, t < 0.5).size == 3
    # linear interpolation: exact for a straight line
    assert syn.sign_changes(np.array([0.0, 1.0]), np.array([-1.0, 3.0]))[0] == 0.25


@pytest.fixture(scope=shared_scope)
def gaba():
    """E_syn between reset and threshold, neuron firing: V crosses E_syn on every cycle."""
    return syn.synapse_demo(Q, 20.0, 20e-9, 10e-3, -57e-3, 1.4e-9)


def test_conductance_synapse_current_follows_v_and_reverses_at_e_syn(gaba):
    d = gaba
    I_c = d.I_syn["conductance"]
    np.testing.assert_allclose(I_c, -d.g * (d.V["conductance"] - (-57e-3)), rtol=1e-12)
    np.testing.assert_allclose(d.drive["conductance"], d.V["conductance"] + 57e-3, rtol=1e-12)
    assert d.crossings.size > 10
    k = np.searchsorted(d.t, d.crossings)
    above = d.V["conductance"] > d.E_syn
    assert np.all(above[k - 1] != above[k])
    open_ = d.g > 1e-12
    assert np.all(I_c[open_ & ~above] > 0.0) and np.all(I_c[open_ & above] < 0.0)
    assert d.mean_current["conductance"] == pytest.approx(np.mean(I_c))


def test_current_synapse_injects_g_times_the_driving_force_at_rest(gaba):
    d = gaba
    # E_L = -68 mV, E_syn = -57 mV: the frozen drive E_L - E_syn = -11 mV, current inward
    np.testing.assert_allclose(d.I_syn["current"], d.g * 11e-3, rtol=1e-12)
    np.testing.assert_allclose(d.drive["current"], -11e-3, rtol=1e-12)
    assert d.mean_current["current"] == pytest.approx(np.mean(d.g) * 11e-3)
    assert syn.sign_changes(d.t, d.I_syn["current"], d.g > 0).size == 0
    # both models fire, and their spike times are the simulation's
    assert d.spikes["current"].size > 0 and d.spikes["conductance"].size > 0


def test_regular_train_conductance_by_hand():
    d = syn.synapse_demo(Q, 25.0, 8e-9, 4e-3, 0.0, 0.0)
    np.testing.assert_allclose(np.diff(d.pre_spikes), 0.04)
    assert d.pre_spikes[0] == pytest.approx(0.02)  # min(1/rate, 20 ms)
    # each step holds the exact mean of the kernels over the step, an event counting from
    # its own time: 8 nS·τ/dt·(e^(-a/τ) - e^(-b/τ)) over [a, b] after the event
    g = np.zeros_like(d.t)
    for ts in d.pre_spikes:
        a = np.clip(d.t - ts, 0.0, None)
        b = np.clip(d.t + 1e-4 - ts, 0.0, None)
        g += 8e-9 * 4e-3 / 1e-4 * (np.exp(-a / 4e-3) - np.exp(-b / 4e-3))
    np.testing.assert_allclose(d.g, g, rtol=1e-9, atol=1e-21)
    assert d.E_syn == 0.0 and d.I_bias == 0.0 and d.dt == 1e-4


def test_excitatory_conductance_drives_less_than_its_frozen_current():
    d = syn.synapse_demo(Q, 40.0, 10e-9, 5e-3, 0.0, 0.0)
    np.testing.assert_allclose(d.I_syn["current"], d.g * (0.0 - Q.E_L), rtol=1e-12)
    assert np.all(d.I_syn["conductance"] <= d.I_syn["current"] + 1e-18)
    assert d.mean_current["conductance"] < d.mean_current["current"]


def test_synapse_at_rest_with_no_other_input_moves_nothing():
    d = syn.synapse_demo(Q, 50.0, 30e-9, 10e-3, Q.E_L, 0.0)
    assert np.all(d.I_syn["current"] == 0.0)
    np.testing.assert_allclose(d.V["conductance"], Q.E_L, atol=1e-12)


def test_poisson_train_is_seeded_and_a_zero_rate_is_silent():
    a = syn.synapse_demo(Q, 30.0, 10e-9, 5e-3, 0.0, 1e-9, poisson=True, seed=3)
    b = syn.synapse_demo(Q, 30.0, 10e-9, 5e-3, 0.0, 1e-9, poisson=True, seed=3)
    c = syn.synapse_demo(Q, 30.0, 10e-9, 5e-3, 0.0, 1e-9, poisson=True, seed=4)
    np.testing.assert_array_equal(a.pre_spikes, b.pre_spikes)
    assert not np.array_equal(a.pre_spikes, c.pre_spikes)
    none = syn.synapse_demo(Q, 0.0, 10e-9, 5e-3, 0.0, 1e-9)
    assert none.pre_spikes.size == 0 and np.all(none.g == 0.0)


# ------------------------------------------------------------------------------ chapter 6


@pytest.fixture(scope=shared_scope)
def shunt():
    return inh.shunting_demo(Q, 30e-9, 50e-9, 0.0)


def test_shunting_alone_does_not_move_v_but_divides_the_epsp(shunt):
    s = shunt
    assert abs(s.peak_I) < 1e-12
    np.testing.assert_allclose(s.V["I"], Q.E_L, atol=1e-12)
    assert s.peak_EI < s.peak_E
    assert s.linear == pytest.approx(s.peak_E + s.peak_I)
    assert s.nonlinear == pytest.approx(s.peak_EI - s.linear)
    assert s.nonlinear < -0.5e-3
    assert s.nonlinear_fraction == pytest.approx(s.nonlinear / s.peak_E)
    # g_L = 50 nS, g_inh = 50 nS: a steady input is halved; a brief EPSP less so
    assert s.conductance_ratio == pytest.approx(0.5)
    assert s.conductance_ratio < s.epsp_ratio < 1.0
    assert s.epsp_ratio == pytest.approx(s.epsp_EI / s.epsp_E)
    np.testing.assert_allclose(s.V["E + I (sum)"], s.V["E"] + s.V["I"] - Q.E_L)


def test_shunting_numbers_by_hand(shunt):
    g_tot = 1 / Q.R + 50e-9
    assert shunt.tau == pytest.approx(12e-3)
    assert shunt.tau_eff == pytest.approx(Q.C / g_tot) == pytest.approx(6e-3)
    assert shunt.V_rest_inh == pytest.approx(Q.E_L)
    assert shunt.E_inh == Q.E_L
    # the conductances: a step of g_inh at T_INH_ON, one exponential event at T_EXC
    t = shunt.t
    np.testing.assert_allclose(shunt.g_inh, np.where(t >= inh.T_INH_ON - 1e-12, 50e-9, 0.0))
    after = t >= inh.T_EXC - 1e-12
    # the exact mean of the event's kernel over each 0.1 ms step
    a = t[after] - 0.06
    mean = 30e-9 * 5e-3 / 1e-4 * (np.exp(-a / 5e-3) - np.exp(-(a + 1e-4) / 5e-3))
    np.testing.assert_allclose(shunt.g_exc[after], mean, rtol=1e-7)
    assert np.all(shunt.g_exc[~after] == 0.0)
    assert t[-1] + shunt.dt == pytest.approx(inh.SHUNT_DURATION)


def test_epsp_alone_matches_an_independent_fine_step_integration(shunt):
    """Peak of the EPSP from a plain 1 µs forward-Euler loop (independent of the engine)."""
    dt = 1e-6
    t = np.arange(0.0, 0.14, dt)
    g = np.where(t >= 0.06, 30e-9 * np.exp(-(t - 0.06) / 5e-3), 0.0)
    V = np.empty_like(t)
    v = Q.E_L
    for k in range(t.size):
        V[k] = v
        v += dt / Q.C * (-(v - Q.E_L) / Q.R - g[k] * (v - 0.0))
    # the engine holds g at its value at the start of each 0.1 ms step: ~1 % of the peak
    assert shunt.peak_E == pytest.approx(V.max() - Q.E_L, rel=0.03)


def test_hyperpolarising_inhibition_settles_at_its_steady_state():
    s = inh.shunting_demo(Q, 30e-9, 50e-9, -16e-3)
    V_rest = (Q.E_L / Q.R + 50e-9 * (Q.E_L - 16e-3)) / (1 / Q.R + 50e-9)  # -76 mV
    assert s.V_rest_inh == pytest.approx(V_rest)
    assert s.peak_I == pytest.approx(V_rest - Q.E_L, abs=0.02e-3)
    assert s.E_inh == pytest.approx(Q.E_L - 16e-3)
    assert s.nonlinear < 0.0


def test_without_inhibition_summation_is_linear():
    s = inh.shunting_demo(Q, 30e-9, 0.0, 0.0)
    assert s.nonlinear == pytest.approx(0.0, abs=1e-12)
    assert s.epsp_ratio == pytest.approx(1.0) and s.conductance_ratio == 1.0


def test_inhibition_conditions():
    none, shunting, hyper = inh.inhibition_conditions(Q, 40e-9, -12e-3)
    assert (none.kind, shunting.kind, hyper.kind) == inh.CONDITION_KINDS
    assert none.g == 0.0 and shunting.g == hyper.g == 40e-9
    assert shunting.E_syn == Q.E_L and hyper.E_syn == pytest.approx(Q.E_L - 12e-3)


def test_fi_current_range_shows_every_rheobase():
    conds = inh.inhibition_conditions(Q, 40e-9, -12e-3)
    # rheobases: 0.85, 0.85 + 40 nS·17 mV = 1.53, 0.85 + 40 nS·29 mV = 2.01 nA -> 2·2.01 -> 5 nA
    assert inh.fi_current_range(Q, conds) == pytest.approx(5e-9)
    weak = inh.inhibition_conditions(Q, 0.0, -12e-3)
    assert inh.fi_current_range(Q, weak) == pytest.approx(2e-9)  # at least 2 nA


def test_epsp_curves_shunting_divides_hyperpolarising_subtracts():
    conds = inh.inhibition_conditions(Q, 50e-9, -16e-3)
    c = inh.epsp_curves(Q, inh.EPSP_G_EXC, conds)
    none, shunting, hyper = (c.peak[k] for k in inh.CONDITION_KINDS)
    assert none[0] == pytest.approx(0.0, abs=1e-12) and shunting[0] == pytest.approx(0.0, abs=1e-12)
    assert hyper[0] == pytest.approx(-8e-3, abs=0.02e-3)  # offset: subtractive
    ratio = shunting[1:] / none[1:]
    assert np.all(ratio < 1.0) and np.ptp(ratio) < 0.05 * ratio.mean()
    # each curve is the shunting demo's peak at that conductance
    demo = inh.shunting_demo(Q, inh.EPSP_G_EXC[10], 50e-9, -16e-3)
    assert hyper[10] == pytest.approx(demo.peak_EI, rel=1e-9)
    np.testing.assert_allclose(c.g_exc, np.linspace(0, 100e-9, 26))


def test_inhibition_summary_by_hand():
    conds = inh.inhibition_conditions(Q, 40e-9, -12e-3)
    base, shunting, hyper = inh.inhibition_summary(Q, conds)
    assert base.rheobase == pytest.approx(0.85e-9)
    assert shunting.rheobase_shift == pytest.approx(40e-9 * (Q.V_th - Q.E_L))
    assert hyper.rheobase_shift == pytest.approx(40e-9 * (Q.V_th - Q.E_L + 12e-3))
    assert base.rheobase_shift == 0.0 and base.shift_ref == 0.0 and base.gain_ratio == 1.0
    for s, c in zip((base, shunting, hyper), conds, strict=True):
        assert s.kind == c.kind
        assert float(rate_by_hand(Q, s.I_ref, c.g, c.E_syn)) == pytest.approx(100.0, rel=1e-9)
        h = 1e-13
        slope = (
            rate_by_hand(Q, s.I_ref + h, c.g, c.E_syn) - rate_by_hand(Q, s.I_ref - h, c.g, c.E_syn)
        ) / (2 * h)
        assert s.gain_ref == pytest.approx(float(slope), rel=1e-4)
        assert s.tau_eff == pytest.approx(Q.C / (1 / Q.R + c.g))
        assert s.V_rest == pytest.approx((Q.E_L / Q.R + c.g * c.E_syn) / (1 / Q.R + c.g))
    assert 0.0 < shunting.shift_ref < hyper.shift_ref
    assert shunting.shift_ref == pytest.approx(shunting.I_ref - base.I_ref)
    assert shunting.gain_ratio == pytest.approx(shunting.gain_ref / base.gain_ref)
    assert shunting.gain_ratio >= 1.0 and hyper.gain_ratio >= 1.0


def test_current_for_rate_inverts_the_rate_and_stops_at_the_ceiling():
    for rate in (20.0, 100.0, 300.0):  # (far below 20 Hz the forward map is ill-conditioned)
        I = inh.current_for_rate(Q, 20e-9, -75e-3, rate)
        assert float(rate_by_hand(Q, I, 20e-9, -75e-3)) == pytest.approx(rate, rel=1e-9)
    assert math.isnan(inh.current_for_rate(Q, 0.0, 0.0, 1 / Q.t_ref))
    assert math.isnan(inh.current_for_rate(Q, 0.0, 0.0, 500.0))
    summary = inh.inhibition_summary(
        Q.replace(t_ref=10e-3), inh.inhibition_conditions(Q, 40e-9, -12e-3)
    )
    assert all(math.isnan(s.I_ref) and math.isnan(s.gain_ratio) for s in summary)


def test_inhibition_fi_has_closed_forms_and_simulated_points_per_condition():
    conds = inh.inhibition_conditions(Q, 40e-9, -12e-3)
    fi = inh.inhibition_fi(Q, conds, 5e-9, n_sim=11, duration=0.5)
    assert fi.conditions == conds and fi.I_max == 5e-9 and fi.reference_rate == 100.0
    np.testing.assert_allclose(fi.I_sim, np.linspace(0, 5e-9, 11))
    for k, c in enumerate(conds):
        np.testing.assert_allclose(fi.rates[k], rate_by_hand(Q, fi.I, c.g, c.E_syn), rtol=1e-12)
        assert fi.rheobases[k] == pytest.approx(
            (1 / Q.R + c.g) * Q.V_th - Q.E_L / Q.R - c.g * c.E_syn
        )
        assert fi.rheobases[k] in fi.I
        f = rate_by_hand(Q, fi.I_sim, c.g, c.E_syn)
        ok = f > 4.0
        assert ok.sum() >= 3
        np.testing.assert_allclose(fi.rates_sim[k][ok], f[ok], rtol=1e-9)
        direct = fi_curve(Q, fi.I_sim, duration=0.5, g_syn=c.g, E_syn=c.E_syn).rate
        np.testing.assert_allclose(fi.rates_sim[k], direct)


def test_inhibition_comparison_bundles_the_three_analyses():
    comp = inh.inhibition_comparison(Q, 40e-9, -12e-3, n_sim=7, duration=0.3)
    assert [c.kind for c in comp.conditions] == list(inh.CONDITION_KINDS)
    assert comp.fi.I_max == pytest.approx(5e-9) and comp.fi.I_sim.size == 7
    assert set(comp.epsp.peak) == set(inh.CONDITION_KINDS)
    assert [s.kind for s in comp.summary] == list(inh.CONDITION_KINDS)
    assert comp.summary[1].rheobase == pytest.approx(theory.rheobase(Q, 40e-9, Q.E_L))


def test_inhibition_never_divides_the_slope_at_a_fixed_rate_even_close_to_threshold():
    """A fast neuron whose reset sits 1 mV below threshold: under 100 nS the reference rate
    is reached 1e-10 V above threshold, where a finite difference cannot resolve the slope
    (it used to give a slope ratio of 0.11); the closed form can."""
    p = LIFParams(R=10e6, C=0.1e-9, E_L=-65e-3, V_th=-50e-3, V_reset=-51e-3, t_ref=2e-3)
    conds = inh.inhibition_conditions(p, 100e-9, -15e-3)
    base, shunting, hyper = inh.inhibition_summary(p, conds)
    assert shunting.gain_ratio > 1.0 and hyper.gain_ratio > 1.0
    assert shunting.gain_ref == pytest.approx(
        theory.firing_rate_slope(p, shunting.I_ref, 100e-9, p.E_L)
    )
    # without inhibition the point is well conditioned: the finite difference agrees
    h = 1e-7 * base.I_ref
    fd = (rate_by_hand(p, base.I_ref + h) - rate_by_hand(p, base.I_ref - h)) / (2 * h)
    assert base.gain_ref == pytest.approx(float(fd), rel=1e-3)
