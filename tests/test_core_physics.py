"""The engine against its own physics, on neurons and inputs that tell formulas apart.

- Each current is checked against its own law: I_R = (V − E_L)/R from V, I_syn = −g (V − E_syn)
  in magnitude, I_C = C dV/dt by finite differences of V (to the tolerance the step allows),
  not as the residual they are computed from.
- The path where a neuron fires again within the same step (t_ref < dt) under time-varying
  input, against the independent step-by-step reference (tests/reference.py).
- Property-based: generated neurons with V_reset ≠ E_L, t_ref off the grid or below dt,
  E_syn ≠ 0, against the reference.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from lif_core import LIFParams, fi_curve, simulate, stimulus
from tests.reference import reference_lif

DT = 1e-4
#: τ = 12 ms, rheobase 0.85 nA, V_reset ≠ E_L, t_ref = 2.35 ms (off the grid).
Q = LIFParams(R=20e6, C=0.6e-9, E_L=-68e-3, V_th=-51e-3, V_reset=-61e-3, t_ref=2.35e-3)


def _drive(p, I, g=(), E=()):
    """Per-step V_inf and τ_eff of a neuron under current I and conductances g (reversal E)."""
    g_total = 1 / p.R + sum(g, np.zeros_like(I))
    V_inf = (p.E_L / p.R + I + sum((gi * Ei for gi, Ei in zip(g, E, strict=True)), 0.0)) / g_total
    return V_inf, p.C / g_total


# ---------------------------------------------------------------- currents


def test_each_current_follows_its_own_law():
    T = 0.08
    I = stimulus.pulse(1.1e-9, 0.01, 0.04, T, DT)
    g = stimulus.synaptic_conductance([0.005, 0.02, 0.021], 6e-9, 3e-3, T, DT)
    E_syn = -80e-3
    res = simulate(Q, I=I, g_syn=g, E_syn=E_syn, duration=T, dt=DT, spiking=False)
    V = res.V[0]
    # I_R: Ohm's law across the leak, from V and E_L (not V_reset)
    np.testing.assert_allclose(res.I_R[0], (V - Q.E_L) / Q.R, rtol=1e-12, atol=0)
    # I_syn: conductance times driving force, in magnitude and sign
    I_syn = res.I_syn[0][0]
    np.testing.assert_allclose(I_syn, -g * (V - E_syn), rtol=1e-12, atol=0)
    assert I_syn.min() < -0.05e-9  # V above E_syn = -80 mV: an outward current
    assert np.all(I_syn[g > 0] < 0)
    # I_C = C dV/dt: the step's mean slope (V[k+1] - V[k])/dt against dV/dt at the step's start.
    # Within a step V relaxes exponentially with τ_eff, so the two differ by the factor
    # (1 - e^-a)/a, a = dt/τ_eff: at most a/2 relative.
    _, tau_eff = _drive(Q, I, [g], [E_syn])
    slope = Q.C * np.diff(V) / DT
    start = res.I_C[0, :-1]
    a = DT / tau_eff[:-1]
    np.testing.assert_allclose(slope, start * (-np.expm1(-a)) / a, rtol=1e-9, atol=1e-21)
    assert np.max(np.abs(start)) > 0.5e-9


def test_capacitive_current_is_zero_while_clamped_and_c_dv_dt_otherwise():
    res = simulate(Q, I=3e-9, duration=0.05, dt=DT)
    I_C = res.I_C[0]
    assert res.refractory[0].sum() > 20
    assert np.all(I_C[res.refractory[0]] == 0.0)
    free = ~res.refractory[0]
    V_inf = Q.E_L + Q.R * 3e-9
    np.testing.assert_allclose(I_C[free], Q.C * (V_inf - res.V[0, free]) / Q.tau, rtol=1e-12)


# ---------------------------------------------------------------- firing, refractoriness


def test_regular_firing_from_rest_then_from_reset_with_t_ref_off_the_grid():
    I = 2.3e-9
    res = simulate(Q, I=I, duration=0.2, dt=DT)
    V_inf = Q.E_L + Q.R * I
    first = Q.tau * math.log((V_inf - Q.E_L) / (V_inf - Q.V_th))  # from rest
    T = Q.tau * math.log((V_inf - Q.V_reset) / (V_inf - Q.V_th))  # from the reset
    s = res.spike_times[0]
    assert s[0] == pytest.approx(first, rel=1e-12)
    np.testing.assert_allclose(np.diff(s), Q.t_ref + T, rtol=1e-10)
    # clamped exactly on [t_s, t_s + t_ref); after that, charging from V_reset
    t = res.t
    for ts in s[:-1]:
        inside = (t >= ts) & (t < ts + Q.t_ref)
        assert np.all(res.refractory[0, inside]) and np.all(res.V[0, inside] == Q.V_reset)
        k = np.flatnonzero(t >= ts + Q.t_ref)[0]
        expected = V_inf + (Q.V_reset - V_inf) * math.exp(-(t[k] - ts - Q.t_ref) / Q.tau)
        assert res.V[0, k] == pytest.approx(expected, abs=1e-12)
        assert not res.refractory[0, k]


@pytest.mark.parametrize("t_ref", [0.0, 0.37e-4])
def test_refiring_within_a_step_under_noisy_input_matches_the_reference(t_ref):
    """A strong noisy drive fires several times per 0.1 ms step: the in-step restart path."""
    p = Q.replace(t_ref=t_ref)
    T = 0.03
    I = stimulus.ou_noise(200e-9, 60e-9, 1e-3, T, DT, seed=11, n=2)
    res = simulate(p, I=I, duration=T, dt=DT)
    for i in range(2):
        V_inf, tau = _drive(p, I[i])
        V, spikes = reference_lif(V_inf, tau, p.V_th, p.V_reset, p.t_ref, p.E_L, DT)
        assert len(res.spike_times[i]) == len(spikes) > 400
        np.testing.assert_allclose(res.spike_times[i], spikes, rtol=0, atol=1e-12)
        np.testing.assert_allclose(res.V[i], V, rtol=0, atol=1e-12)
        per_step = np.bincount((np.asarray(spikes) / DT).astype(int))
        assert np.sum(per_step >= 2) > 100  # many steps hold two or more spikes
    # more than one spike per step on average: a crossing snapped to the step end would lose them
    assert len(res.spike_times[0]) > T / DT


def test_the_refire_path_under_conductance_input_matches_the_reference():
    p = Q.replace(t_ref=0.37e-4)
    T = 0.03
    ge = stimulus.synaptic_conductance(
        stimulus.poisson_spike_train(4000, T, 5), 300e-9, 2e-3, T, DT
    )
    res = simulate(p, I=20e-9, g_syn=ge, E_syn=0.0, duration=T, dt=DT)
    V_inf, tau = _drive(p, np.full(ge.size, 20e-9), [ge], [0.0])
    V, spikes = reference_lif(V_inf, tau, p.V_th, p.V_reset, p.t_ref, p.E_L, DT)
    assert len(res.spike_times[0]) == len(spikes) > 300
    np.testing.assert_allclose(res.spike_times[0], spikes, rtol=0, atol=1e-12)
    np.testing.assert_allclose(res.V[0], V, rtol=0, atol=1e-12)


@pytest.mark.parametrize("E_syn", [0.0, -80e-3])
def test_fi_curve_under_a_conductance_with_its_reversal_potential(E_syn):
    g = 10e-9  # rheobase 0.34 nA (E_syn = 0) and 1.14 nA (E_syn = -80 mV)
    I = np.linspace(0.0, 8e-9, 33)  # 0.25 nA apart
    sim = fi_curve(Q, I, duration=1.0, g_syn=g, E_syn=E_syn)
    g_tot = 1 / Q.R + g
    V_inf = (Q.E_L / Q.R + g * E_syn + I) / g_tot
    with np.errstate(divide="ignore", invalid="ignore"):
        T = Q.C / g_tot * np.log((V_inf - Q.V_reset) / (V_inf - Q.V_th))
        f = np.where(V_inf > Q.V_th, 1 / (Q.t_ref + T), 0.0)
        first = Q.C / g_tot * np.log((V_inf - Q.E_L) / (V_inf - Q.V_th))
        expected_n = np.where(f > 2.0, np.floor((1.0 - first) * f) + 1, 0)
    ok = f > 2.0
    assert ok.sum() >= 8 and (~ok).sum() >= 2
    np.testing.assert_allclose(sim.rate[ok], f[ok], rtol=1e-9)
    assert np.all(sim.rate[V_inf <= Q.V_th] == 0.0)
    # the spike count: the first spike from rest, then one per period
    np.testing.assert_array_equal(sim.n_spikes[ok], expected_n[ok])


# ---------------------------------------------------------------- properties


neurons = st.builds(
    lambda R, C, E_L, dth, dre, t_ref: LIFParams(
        R=R * 1e6,
        C=C * 1e-9,
        E_L=E_L * 1e-3,
        V_th=(E_L + dth) * 1e-3,
        V_reset=(E_L + dth - dre) * 1e-3,  # anywhere below threshold, rarely at E_L
        t_ref=t_ref * 1e-3,
    ),
    R=st.floats(2, 300),
    C=st.floats(0.05, 2),
    E_L=st.floats(-90, -50),
    dth=st.floats(1, 40),
    dre=st.floats(0.5, 45),
    t_ref=st.one_of(st.floats(0, 0.1), st.floats(0.1, 5)),  # below dt, and off the grid
)


@settings(max_examples=40, deadline=None)
@given(
    p=neurons,
    mean=st.floats(0, 4),
    sigma=st.floats(0, 3),
    g_max=st.floats(0, 60),
    E_syn=st.floats(-90, 20),
    seed=st.integers(0, 99),
)
def test_any_neuron_and_input_match_the_reference(p, mean, sigma, g_max, E_syn, seed):
    T = 0.05
    rh = max(p.rheobase, 0.1e-9)
    I = stimulus.ou_noise(mean * rh, sigma * rh, 2e-3, T, DT, seed=seed)
    pre = stimulus.poisson_spike_train(400.0, T, seed=seed + 1)
    g = stimulus.synaptic_conductance(pre, g_max * 1e-9, 3e-3, T, DT)
    try:
        res = simulate(p, I=I, g_syn=g, E_syn=E_syn * 1e-3, duration=T, dt=DT)
    except ValueError as error:  # more than 10 spikes per step: refused, said clearly
        assert "spikes per time step" in str(error)
        assume(False)
    V_inf, tau = _drive(p, I, [g], [E_syn * 1e-3])
    V0 = p.E_L if p.E_L < p.V_th else p.V_reset
    V, spikes = reference_lif(V_inf, tau, p.V_th, p.V_reset, p.t_ref, V0, DT)
    assert len(res.spike_times[0]) == len(spikes)
    np.testing.assert_allclose(res.spike_times[0], spikes, rtol=0, atol=1e-9)
    np.testing.assert_allclose(res.V[0], V, rtol=0, atol=1e-9)
