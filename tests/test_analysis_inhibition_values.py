"""Chapter 6's analysis (lif_core.analysis.inhibition): peaks, baselines and edge cases.

Closed forms are written out by hand here: under a tonic conductance g with reversal E the
passive membrane relaxes to V_rest = (E_L/R + g E)/(1/R + g) with τ_eff = C/(1/R + g).
Hyperpolarising inhibition (E < E_L) tells "deflection from rest" and "from the pre-event
baseline" apart, which shunting inhibition (E = E_L) cannot.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from lif_core import LIFParams, theory
from lif_core.analysis import inhibition as inh

Q = LIFParams(R=20e6, C=0.6e-9, E_L=-68e-3, V_th=-51e-3, V_reset=-61e-3, t_ref=2.35e-3)


def tonic(p: LIFParams, g: float, E: float) -> tuple[float, float]:
    """(V_rest, τ_eff) under a tonic conductance g (S) with reversal E (V)."""
    g_tot = 1 / p.R + g
    return (p.E_L / p.R + g * E) / g_tot, p.C / g_tot


def inhibited_rest_at(p: LIFParams, g: float, E: float, t: float) -> float:
    """V at time t of the passive membrane, at E_L until the conductance switches on."""
    V_rest, tau_eff = tonic(p, g, E)
    return V_rest + (p.E_L - V_rest) * math.exp(-(t - inh.T_INH_ON) / tau_eff)


def rate_by_hand(p: LIFParams, I: float, g: float, E: float) -> float:
    V_rest, tau_eff = tonic(p, g, E)
    V_inf = V_rest + I / (1 / p.R + g)
    return 1 / (p.t_ref + tau_eff * math.log((V_inf - p.V_reset) / (V_inf - p.V_th)))


@pytest.mark.parametrize("t_ref", [0.0, 2.35e-3])
def test_current_for_rate_inverts_the_closed_form(t_ref):
    p = Q.replace(t_ref=t_ref)
    g, E = 10e-9, -75e-3
    I = inh.current_for_rate(p, g, E, 80.0)
    assert math.isfinite(I)
    assert rate_by_hand(p, I, g, E) == pytest.approx(80.0, rel=1e-9)


def test_summary_when_no_current_reaches_the_reference_rate():
    """t_ref = 15 ms caps the rate at 66.7 Hz, below the 100 Hz reference: no shift, no gain."""
    p = Q.replace(t_ref=15e-3)
    assert 1 / p.t_ref < inh.REFERENCE_RATE
    conds = inh.inhibition_conditions(p, 10e-9, -10e-3)
    rows = inh.inhibition_summary(p, conds)
    for row, c in zip(rows, conds, strict=True):
        assert math.isnan(row.I_ref) and math.isnan(row.shift_ref)
        assert math.isnan(row.gain_ref) and math.isnan(row.gain_ratio)
        V_rest, tau_eff = tonic(p, c.g, c.E_syn)
        assert row.V_rest == pytest.approx(V_rest)
        assert row.tau_eff == pytest.approx(tau_eff)
        assert row.rheobase == pytest.approx((p.V_th - V_rest) * (1 / p.R + c.g))


def test_inhibition_comparison_simulates_for_the_duration_asked_for():
    """A 20 ms run holds no two spikes of a neuron firing below 50 Hz: those points read 0."""
    comp = inh.inhibition_comparison(Q, 10e-9, -10e-3, n_sim=41, duration=0.02)
    slow_points = 0
    for c, rates in zip(comp.conditions, comp.fi.rates_sim, strict=True):
        for I, rate in zip(comp.fi.I_sim, rates, strict=True):
            f = rate_by_hand(Q, I, c.g, c.E_syn) if I > theory.rheobase(Q, c.g, c.E_syn) else 0.0
            if 0.0 < f < 50.0:
                slow_points += 1
                assert rate == 0.0
    assert slow_points >= 2


def test_inhibition_fi_uses_the_time_step_asked_for():
    """No refractoriness, ~250 kHz: 2.5 spikes per 10 µs step, too many for 0.1 ms steps."""
    p = Q.replace(t_ref=0.0)
    conds = inh.inhibition_conditions(p, 10e-9, -10e-3)
    fi = inh.inhibition_fi(p, conds[:1], 1.5e-6, n_sim=2, duration=0.005, dt=1e-5)
    f = rate_by_hand(p, 1.5e-6, 0.0, 0.0)
    assert 1e5 < f < 5e5
    assert fi.rates_sim[0][-1] == pytest.approx(f, rel=1e-3)


def test_shunting_is_the_default_inhibition_of_the_demo():
    demo = inh.shunting_demo(Q, 20e-9, 20e-9)
    assert demo.E_inh == Q.E_L
    assert demo.V_rest_inh == pytest.approx(Q.E_L)
    assert demo.peak_I == pytest.approx(0.0, abs=1e-12)


def test_shunting_demo_uses_the_time_step_asked_for():
    demo = inh.shunting_demo(Q, 20e-9, 20e-9, -10e-3, dt=5e-5)
    np.testing.assert_allclose(np.diff(demo.t), 5e-5)
    assert demo.t.size == demo.g_exc.size == demo.V["E"].size
    ref = inh.shunting_demo(Q, 20e-9, 20e-9, -10e-3)
    assert demo.peak_E == pytest.approx(ref.peak_E, rel=0.02)


def test_the_demo_membrane_is_passive_above_threshold():
    """A strong event lifts V past V_th with no spike and no reset."""
    demo = inh.shunting_demo(Q, 150e-9, 0.0)
    assert demo.peak_E > Q.V_th - Q.E_L
    assert demo.V["E"].max() > Q.V_th


@pytest.mark.parametrize("dt", [1e-4, 5e-4])
def test_hyperpolarising_inhibition_peaks_and_baselines(dt):
    """At dt = 0.5 ms the event time 60 ms is a grid time exactly (at 0.1 ms it is not)."""
    g_inh, dE = 20e-9, -15e-3
    E_inh = Q.E_L + dE
    demo = inh.shunting_demo(Q, 30e-9, g_inh, dE, dt=dt)
    # E alone starts from rest: its EPSP is its peak deflection
    assert demo.epsp_E == pytest.approx(demo.peak_E, rel=1e-9)
    # I alone keeps relaxing down towards V_rest: its largest deflection is the last sample
    V_end = inhibited_rest_at(Q, g_inh, E_inh, demo.t[-1])
    assert demo.peak_I < 0
    assert demo.peak_I == pytest.approx(V_end - Q.E_L, rel=1e-6)
    # with inhibition the EPSP is measured from the inhibited pre-event baseline
    baseline = inhibited_rest_at(Q, g_inh, E_inh, inh.T_EXC)
    assert baseline < Q.E_L
    assert demo.epsp_EI == pytest.approx(demo.peak_EI - (baseline - Q.E_L), rel=1e-6)
    # the linear prediction adds the (negative) inhibitory deflection
    assert demo.linear == pytest.approx(demo.peak_E + demo.peak_I)
    assert demo.linear < demo.peak_E


def test_no_excitation_gives_no_ratios():
    demo = inh.shunting_demo(Q, 0.0, 20e-9, -10e-3)
    assert demo.peak_E == pytest.approx(0.0, abs=1e-12)
    assert demo.epsp_E == pytest.approx(0.0, abs=1e-12)
    assert math.isnan(demo.nonlinear_fraction)
    assert math.isnan(demo.epsp_ratio)


@pytest.mark.parametrize("dt", [1e-4, 5e-4])
def test_epsp_curves_without_excitation_read_the_baseline_at_the_event(dt):
    """g_exc = 0 under hyperpolarising inhibition: the highest point is at T_EXC itself."""
    conds = inh.inhibition_conditions(Q, 20e-9, -15e-3)
    curves = inh.epsp_curves(Q, np.array([0.0, 40e-9]), conds, dt=dt)
    assert curves.peak["none"][0] == pytest.approx(0.0, abs=1e-12)
    assert curves.peak["shunting"][0] == pytest.approx(0.0, abs=1e-12)
    hyp = conds[2]
    baseline = inhibited_rest_at(Q, hyp.g, hyp.E_syn, inh.T_EXC)
    assert curves.peak["hyperpolarising"][0] == pytest.approx(baseline - Q.E_L, rel=1e-7)
    # a finer step gives nearly the same curves (exact integration of the step means)
    fine = inh.epsp_curves(Q, np.array([0.0, 40e-9]), conds, dt=5e-5)
    for kind in curves.peak:
        np.testing.assert_allclose(fine.peak[kind], curves.peak[kind], rtol=0.05, atol=1e-6)
