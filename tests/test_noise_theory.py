"""lif_core.noise: erfcx, the Siegert rate, the Fourcaud–Brunel shift, the white-noise CV, the
noise-amplitude conversions and the spike-train statistics, against scipy and known limits.

scipy is used here only, as an independent reference (lif_core is numpy only).
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
import scipy.integrate as si
import scipy.special as sp

from lif_core import LIFParams, simulate, stimulus, theory
from lif_core import noise as nz

P = LIFParams(R=10e6, C=1e-9, E_L=-65e-3, V_th=-50e-3, V_reset=-60e-3, t_ref=2e-3)


# --------------------------------------------------------------------------- erfcx


def test_erfcx_matches_scipy_to_a_few_ulp_over_the_whole_range():
    x = np.concatenate(
        [
            np.linspace(-26.0, 30.0, 20001),
            -np.geomspace(1e-12, 26.0, 500),
            np.geomspace(1e-12, 1e12, 500),
            [0.0],
        ]
    )
    rel = np.abs(nz.erfcx(x) / sp.erfcx(x) - 1.0)
    assert rel.max() < 4e-15, x[rel.argmax()]
    assert nz.erfcx(0.0) == pytest.approx(1.0, abs=1e-15)
    assert isinstance(nz.erfcx(1.5), float)


# --------------------------------------------------------------------------- Siegert rate


def siegert_reference(mu, sigma, tau, V_th, V_reset, t_ref):
    """The Siegert formula evaluated independently: scipy's erfcx and adaptive quadrature."""
    a, b = (V_reset - mu) / sigma, (V_th - mu) / sigma
    cuts = sorted({a, b, 0.0} if a < 0 < b else {a, b})
    integral = sum(
        si.quad(lambda u: sp.erfcx(-u), lo, hi, epsabs=0, epsrel=1e-13, limit=400)[0]
        for lo, hi in itertools.pairwise(cuts)
    )
    return 1.0 / (t_ref + tau * math.sqrt(math.pi) * integral)


@pytest.mark.parametrize(
    ("mu_mV", "sigma_mV"),
    [(-55, 4), (-50, 2), (-45, 1), (-62, 6), (-30, 0.5), (-58, 1.5), (-40, 20), (-57, 1.0)],
)
def test_siegert_rate_matches_an_independent_quadrature(mu_mV, sigma_mV):
    mu, sigma = mu_mV * 1e-3, sigma_mV * 1e-3
    rate = nz.siegert_rate(mu, sigma, P.tau, P.V_th, P.V_reset, P.t_ref)
    ref = siegert_reference(mu, sigma, P.tau, P.V_th, P.V_reset, P.t_ref)
    assert rate == pytest.approx(ref, rel=1e-11)


def test_siegert_rate_tends_to_the_deterministic_rate_as_the_noise_vanishes():
    mu = P.E_L + P.R * 2.5e-9  # 10 mV above threshold
    f0 = theory.firing_rate(P, 2.5e-9)
    err = [
        abs(nz.siegert_rate(mu, s, P.tau, P.V_th, P.V_reset, P.t_ref) / f0 - 1)
        for s in (4e-4, 1e-4)
    ]
    assert err[1] < 1e-4
    assert err[0] / err[1] == pytest.approx(16.0, rel=0.05)  # second order in sigma


@pytest.mark.parametrize("b", [6.0, 8.0, 12.0, 20.0])
def test_far_below_threshold_the_rate_is_kramers_escape(b):
    """For (V_th - mu)/sigma = b >> 1: nu = b exp(-b^2) / (tau sqrt(pi)) (1 + O(1/b^2))."""
    sigma = 1e-3
    mu = P.V_th - b * sigma
    rate = nz.siegert_rate(mu, sigma, P.tau, P.V_th, P.V_reset, 0.0)
    kramers = b * math.exp(-b * b) / (P.tau * math.sqrt(math.pi))
    assert abs(rate / kramers - 1) < 1.0 / b**2
    assert rate > 0


def test_rate_is_finite_and_ordered_from_deep_silence_to_saturation():
    mu = np.linspace(-120e-3, 50e-3, 200)
    rate = nz.siegert_rate(mu, 1e-3, P.tau, P.V_th, P.V_reset, P.t_ref)
    assert np.all(np.isfinite(rate)) and np.all(np.diff(rate) >= 0)
    assert rate[0] == 0.0  # exp(-b^2) underflows: silence
    assert rate[-1] < 1 / P.t_ref


def test_firing_rate_uses_sqrt2_sigma_V_and_the_deterministic_rate_without_noise():
    I = np.array([0.5e-9, 1.0e-9, 3.0e-9])
    got = nz.firing_rate(P, I, 2e-3)
    want = [
        siegert_reference(P.E_L + P.R * i, math.sqrt(2) * 2e-3, P.tau, P.V_th, P.V_reset, P.t_ref)
        for i in I
    ]
    np.testing.assert_allclose(got, want, rtol=1e-11)
    np.testing.assert_array_equal(nz.firing_rate(P, I, 0.0), theory.firing_rate(P, I))


# --------------------------------------------------------------------------- Fourcaud–Brunel


def test_alpha_is_sqrt2_times_abs_zeta_one_half():
    assert nz.ALPHA == pytest.approx(math.sqrt(2) * abs(sp.zeta(0.5)), rel=1e-14)
    assert nz.ALPHA == pytest.approx(2.0652, abs=1e-4)


def test_correlated_noise_raises_threshold_and_reset_by_alpha_half_sqrt_tau_ratio():
    """FB 2002: the rate with tau_s is the white-noise rate with both bounds shifted up by
    (alpha/2) sqrt(tau_s/tau) sigma, sigma the intensity R sigma_I sqrt(2 tau_s / tau)."""
    I, tau_s = 1.2e-9, 1e-3
    sigma_I = nz.sigma_current(3e-3, P.tau, tau_s, P.R)
    sigma = P.R * sigma_I * math.sqrt(2 * tau_s / P.tau)
    shift = 2.0652 / 2 * math.sqrt(tau_s / P.tau) * sigma
    mu = P.E_L + P.R * I
    ref = siegert_reference(mu, sigma, P.tau, P.V_th + shift, P.V_reset + shift, P.t_ref)
    assert nz.firing_rate(P, I, 3e-3, tau_s) == pytest.approx(ref, rel=1e-4)
    # the shift lowers the rate, and vanishes like sqrt(tau_s): white noise is the limit
    white = nz.firing_rate(P, I, 3e-3)
    drop = [white - nz.firing_rate(P, I, 3e-3, ts) for ts in (1e-6, 1e-8)]
    assert drop[0] > 0 and drop[0] / drop[1] == pytest.approx(10.0, rel=0.01)


# --------------------------------------------------------------------------- CV


def cv_reference(mu, sigma, tau, V_th, V_reset, t_ref):
    """Brunel's CV formula by scipy's nested adaptive quadrature (moderate bounds only)."""
    a, b = (V_reset - mu) / sigma, (V_th - mu) / sigma

    def inner(x):
        return si.quad(
            lambda y: sp.erfcx(-y) ** 2 * math.exp(-y * y), -np.inf, x, epsabs=0, epsrel=1e-12
        )[0]

    D = si.quad(lambda x: math.exp(x * x) * inner(x), a, b, epsabs=0, epsrel=1e-11, limit=200)[0]
    nu = siegert_reference(mu, sigma, tau, V_th, V_reset, t_ref)
    return math.sqrt(2 * math.pi * D) * nu * tau


@pytest.mark.parametrize(("mu_mV", "sigma_mV"), [(-55, 4), (-50, 2), (-45, 1.5), (-58, 3)])
def test_cv_matches_an_independent_double_quadrature(mu_mV, sigma_mV):
    mu, sigma = mu_mV * 1e-3, sigma_mV * 1e-3
    cv = nz.siegert_cv(mu, sigma, P.tau, P.V_th, P.V_reset, P.t_ref)
    assert cv == pytest.approx(cv_reference(mu, sigma, P.tau, P.V_th, P.V_reset, P.t_ref), rel=1e-9)


def test_cv_tends_to_one_far_below_threshold_and_to_the_small_noise_limit_above():
    for b in (6.0, 10.0, 30.0):
        assert nz.siegert_cv(P.V_th - b * 1e-3, 1e-3, P.tau, P.V_th, P.V_reset, 0.0) == (
            pytest.approx(1.0, abs=1e-5)
        )
    # weak noise far above threshold: Var T = (sigma^2 tau^2 / 2)(1/(mu-V_th)^2 - 1/(mu-V_r)^2)
    mu = P.E_L + P.R * 2.5e-9
    T = theory.time_to_threshold(P, 2.5e-9)
    errs = []
    for s in (2e-4, 5e-5):
        var = s * s * P.tau**2 / 2 * (1 / (mu - P.V_th) ** 2 - 1 / (mu - P.V_reset) ** 2)
        cv = nz.siegert_cv(mu, s, P.tau, P.V_th, P.V_reset, 0.0)
        errs.append(abs(cv / (math.sqrt(var) / T) - 1))
    assert errs[1] < 1e-4 and errs[0] / errs[1] == pytest.approx(16.0, rel=0.1)


def test_cv_is_finite_for_extreme_bounds():
    mu = np.array([-300e-3, -80e-3, 0.0, 100e-3])
    cv = nz.siegert_cv(mu, 0.5e-3, P.tau, P.V_th, P.V_reset, P.t_ref)
    assert np.all(np.isfinite(cv)) and cv[0] == pytest.approx(1.0) and cv[-1] < 0.01


# --------------------------------------------------------------------------- conversions


def test_sigma_conversions_round_trip_and_mind_the_sqrt2():
    s_I = nz.sigma_current(2e-3, P.tau, 5e-3, P.R)
    assert nz.sigma_V_of_current(s_I, P.tau, 5e-3, P.R) == pytest.approx(2e-3, rel=1e-14)
    assert nz.diffusion_sigma(2e-3, P.tau) == pytest.approx(math.sqrt(2) * 2e-3)
    # the intensity is R sigma_I sqrt(2 tau_s / tau) for any tau_s
    assert nz.diffusion_sigma(2e-3, P.tau, 5e-3) == pytest.approx(
        P.R * s_I * math.sqrt(2 * 5e-3 / P.tau), rel=1e-14
    )


def test_the_free_membrane_under_ou_current_has_the_standard_deviation_sigma_V():
    """A passive membrane driven by the OU current of sigma_current(sigma_V) fluctuates
    with sigma_V: measured over 24 independent traces (tolerance 4 standard errors)."""
    sigma_V, tau_s, dt, T = 2e-3, 5e-3, 1e-4, 1.2
    s_I = nz.sigma_current(sigma_V, P.tau, tau_s, P.R)
    current = stimulus.ou_noise(0.0, s_I, tau_s, T, dt, seed=3, n=24)
    res = simulate(P, I=current, duration=T, dt=dt, V0=P.E_L, spiking=False)
    per_trace = np.std(res.V[:, 1000:] - P.E_L, axis=1)  # after 10 tau
    se = np.std(per_trace, ddof=1) / math.sqrt(per_trace.size)
    assert abs(per_trace.mean() - sigma_V) < 4 * se + 1e-3 * sigma_V


def test_bad_noise_arguments_name_the_parameter():
    with pytest.raises(ValueError, match="sigma_V"):
        nz.firing_rate(P, 1e-9, -1e-3)
    with pytest.raises(ValueError, match="tau_s"):
        nz.firing_rate(P, 1e-9, 1e-3, -1e-3)
    with pytest.raises(ValueError, match="sigma"):
        nz.siegert_rate(-0.06, 0.0, P.tau, P.V_th, P.V_reset, P.t_ref)
    with pytest.raises(ValueError, match="window"):
        nz.isi_statistics([np.array([0.1, 0.2])], 1.0, window=0.0)


# --------------------------------------------------------------------------- statistics


def test_isi_statistics_of_a_regular_train():
    trains = [np.arange(0.005, 1.0, 0.02) + 0.001 * k for k in range(4)]
    st = nz.isi_statistics(trains, 1.0, window=0.1, t_start=0.1)
    assert st.mean_isi == pytest.approx(0.02) and st.cv == pytest.approx(0.0, abs=1e-9)
    assert st.rate == pytest.approx(49 / (1.0 - np.mean([t[0] for t in trains])), rel=1e-12)
    assert st.n_isi == 4 * 49 and st.n_windows == 4 * 9 and st.n_trains == 4
    assert st.fano == pytest.approx(0.0, abs=1e-12)  # 5 spikes in every 100 ms window
    assert st.isi.size == st.n_isi


def test_isi_statistics_of_poisson_trains_have_cv_and_fano_near_one():
    rng = np.random.default_rng(5)
    rate, T, n = 40.0, 5.0, 40
    trains = [np.sort(rng.uniform(0, T, rng.poisson(rate * T))) for _ in range(n)]
    st = nz.isi_statistics(trains, T, window=0.25)
    assert abs(st.rate - rate) < 4 * st.rate_se
    assert abs(st.cv - 1.0) < 4 * st.cv_se + 1.0 / 200  # window bias ~ 1/(intervals per train)
    # the Fano factor of Poisson counts is 1 with standard error ~ sqrt(2 / windows)
    assert abs(st.fano - 1.0) < 4 * math.sqrt(2 / st.n_windows)
    assert 0 < st.rate_se < 0.05 * rate


def test_isi_statistics_without_spikes():
    st = nz.isi_statistics([np.zeros(0), np.array([0.5])], 1.0, window=0.1)
    assert st.rate == 0.0 and st.n_isi == 0 and math.isnan(st.cv) and math.isnan(st.mean_isi)
