"""lif_core.noise and lif_core.analysis.noise: values, shapes, messages and edge cases that the
other noise tests leave open (issue 16, surviving mutants).

scipy is an independent reference here only (lif_core is numpy only).
"""

from __future__ import annotations

import dataclasses
import math
from fractions import Fraction

import numpy as np
import pytest
import scipy.integrate as si
import scipy.special as sp
from refusals import whole

from lif_core import LIFParams, simulate
from lif_core import noise as nz
from lif_core.analysis import noise as anz

# V_reset != E_L, t_ref off the 0.1 ms grid
P = LIFParams(R=10e6, C=1e-9, E_L=-65e-3, V_th=-50e-3, V_reset=-60e-3, t_ref=2.35e-3)


def _siegert_ref(mu: float, sigma: float, tau: float, V_th: float, V_reset: float, t_ref: float):
    """Siegert rate by scipy's erfcx and adaptive quadrature."""
    lo, hi = (V_reset - mu) / sigma, (V_th - mu) / sigma
    integral = si.quad(lambda u: sp.erfcx(-u), lo, hi, epsabs=0, epsrel=1e-13, limit=400)[0]
    return 1.0 / (t_ref + tau * math.sqrt(math.pi) * integral)


def _cv_ref(mu: float, sigma: float, tau: float, V_th: float, V_reset: float, t_ref: float):
    """Brunel's white-noise CV by scipy's nested adaptive quadrature."""
    a, b = (V_reset - mu) / sigma, (V_th - mu) / sigma

    def inner(x: float) -> float:
        f = lambda y: sp.erfcx(-y) ** 2 * math.exp(-y * y)  # noqa: E731
        return si.quad(f, -np.inf, x, epsabs=0, epsrel=1e-12)[0]

    D = si.quad(lambda x: math.exp(x * x) * inner(x), a, b, epsabs=0, epsrel=1e-11, limit=200)[0]
    nu = _siegert_ref(mu, sigma, tau, V_th, V_reset, t_ref)
    return math.sqrt(2 * math.pi * D) * nu * tau


# --------------------------------------------------------------------------- conversions


def test_sigma_current_and_its_inverse_match_the_closed_forms() -> None:
    """sigma_I = sigma_V / R * sqrt((tau + tau_s) / tau_s) and back, with distinct values."""
    sV, tau, ts, R = 3e-3, 20e-3, 4e-3, 50e6
    s_I = nz.sigma_current(sV, tau, ts, R)
    assert s_I == pytest.approx(sV / R * math.sqrt((tau + ts) / ts), rel=1e-14)
    assert nz.sigma_V_of_current(2e-10, tau, ts, R) == pytest.approx(
        R * 2e-10 * math.sqrt(ts / (tau + ts)), rel=1e-14
    )
    arr = nz.sigma_current(np.array([1e-3, 2e-3]), tau, np.array([1e-3, 8e-3]), R)
    np.testing.assert_allclose(
        arr, [1e-3 / R * math.sqrt(21.0), 2e-3 / R * math.sqrt(28e-3 / 8e-3)], rtol=1e-14
    )
    assert nz.diffusion_sigma(3e-3, tau, ts) == pytest.approx(
        math.sqrt(2) * 3e-3 * math.sqrt(1 + ts / tau), rel=1e-14
    )


def test_isi_cv_is_siegert_cv_at_sqrt2_sigma_V_and_checks_its_noise() -> None:
    I, sV = 1.2e-9, 2.5e-3
    mu = P.E_L + P.R * I
    cv = nz.isi_cv(P, I, sV)
    assert isinstance(cv, float)
    assert cv == pytest.approx(_cv_ref(mu, math.sqrt(2) * sV, P.tau, P.V_th, P.V_reset, P.t_ref))
    arr = nz.isi_cv(P, np.array([[1.0e-9, 1.2e-9]]), sV)
    assert arr.shape == (1, 2) and arr[0, 1] == pytest.approx(cv, rel=1e-12)
    with pytest.raises(
        ValueError, match=whole("sigma_V = -0.001 V is out of range (allowed: sigma_V >= 0 V)")
    ):
        nz.isi_cv(P, I, -1e-3)


# --------------------------------------------------------------------------- argument checks


@pytest.mark.parametrize("func", [nz.siegert_rate, nz.siegert_cv])
def test_siegert_functions_refuse_non_positive_sigma_with_a_full_message(func) -> None:
    for bad in (0.0, -2e-3):
        with pytest.raises(
            ValueError, match=whole(f"sigma = {bad!r} V is out of range (allowed: sigma > 0 V)")
        ):
            func(-55e-3, bad, P.tau, P.V_th, P.V_reset, P.t_ref)
    with pytest.raises(
        ValueError, match=whole("sigma = 0.0 V is out of range (allowed: sigma > 0 V)")
    ):
        func(np.array([-55e-3, -52e-3]), np.array([1e-3, 0.0]), P.tau, P.V_th, P.V_reset, 0.0)


def test_firing_rate_refuses_bad_noise_with_full_messages() -> None:
    cases = [
        ((-1e-3, 0.0), "sigma_V = -0.001 V is out of range (allowed: sigma_V >= 0 V)"),
        ((math.nan, 0.0), "sigma_V must be a finite number, got nan"),
        ((1e-3, -2e-3), "tau_s = -0.002 s is out of range (allowed: tau_s >= 0 s)"),
        ((1e-3, math.inf), "tau_s must be a finite number, got inf"),
    ]
    for (sV, ts), text in cases:
        with pytest.raises(ValueError, match=whole(text)):
            nz.firing_rate(P, 1e-9, sV, ts)


def test_isi_statistics_refuses_a_non_positive_window_with_a_full_message() -> None:
    with pytest.raises(
        ValueError, match=whole("window = 0.0 s is out of range (allowed: window > 0 s)")
    ):
        nz.isi_statistics([np.array([0.1, 0.2])], 1.0, window=0.0)


# --------------------------------------------------------------------------- rate and CV values


def test_scalar_inputs_give_python_floats_and_arrays_keep_their_shape() -> None:
    args = (P.tau, P.V_th, P.V_reset, P.t_ref)
    r = nz.siegert_rate(-52e-3, 3e-3, *args)
    c = nz.siegert_cv(-52e-3, 3e-3, *args)
    f = nz.firing_rate(P, 1.3e-9, 2e-3, 1e-3)
    for x in (r, c, f):
        assert type(x) is float
    mu = np.linspace(-60e-3, -45e-3, 6).reshape(2, 3)
    rates = nz.siegert_rate(mu, 3e-3, *args)
    cvs = nz.siegert_cv(mu, 3e-3, *args)
    assert rates.shape == (2, 3) and cvs.shape == (2, 3)
    assert rates[1, 2] == pytest.approx(_siegert_ref(mu[1, 2], 3e-3, *args), rel=1e-9)
    assert cvs[0, 1] == pytest.approx(nz.siegert_cv(mu[0, 1], 3e-3, *args), rel=1e-14)


def test_cv_with_the_threshold_bound_between_zero_and_one() -> None:
    """y_th = (V_th - mu) / sigma in (0, 1): the scaling exp(-max(y_th, 0)^2) must be exact."""
    for mu, sigma in ((-52e-3, 4e-3), (-50.5e-3, 2e-3), (-51e-3, 1.5e-3)):
        b = (P.V_th - mu) / sigma
        assert 0.0 < b < 1.0
        cv = nz.siegert_cv(mu, sigma, P.tau, P.V_th, P.V_reset, P.t_ref)
        ref = _cv_ref(mu, sigma, P.tau, P.V_th, P.V_reset, P.t_ref)
        assert cv == pytest.approx(ref, rel=1e-9)


def test_any_real_number_type_is_accepted_as_a_float() -> None:
    """Exact rationals (scalars or lists of them) are read as the floats they stand for."""
    args = (P.tau, P.V_th, P.V_reset, P.t_ref)
    mu = [Fraction(-52, 1000), Fraction(-48, 1000)]
    s, ts = Fraction(3, 1000), [Fraction(1, 1000), Fraction(2, 1000)]
    mu_f = np.array([-52e-3, -48e-3])
    np.testing.assert_allclose(
        nz.siegert_rate(mu, s, *args, ts),
        nz.siegert_rate(mu_f, 3e-3, *args, np.array([1e-3, 2e-3])),
        rtol=1e-14,
    )
    np.testing.assert_allclose(
        nz.siegert_cv(mu, [s, s], *args), nz.siegert_cv(mu_f, 3e-3, *args), rtol=1e-14
    )
    assert nz.firing_rate(P, Fraction(13, 10**10), Fraction(2, 1000), Fraction(1, 1000)) == (
        pytest.approx(nz.firing_rate(P, 1.3e-9, 2e-3, 1e-3), rel=1e-14)
    )


def test_firing_rate_mixes_noisy_and_noiseless_entries() -> None:
    I = np.array([1.0e-9, 2.0e-9, 1.0e-9])
    sV = np.array([0.0, 0.0, 2e-3])
    out = nz.firing_rate(P, I, sV, 1e-3)
    assert out.dtype == np.float64 and out.shape == (3,)
    assert out[0] == 0.0  # below rheobase (1.5 nA), no noise
    assert out[1] == pytest.approx(1 / (P.t_ref + P.tau * math.log(15 / 5)), rel=1e-12)
    shifted = nz.siegert_rate(
        P.E_L + P.R * 1e-9,
        nz.diffusion_sigma(2e-3, P.tau, 1e-3),
        P.tau,
        P.V_th,
        P.V_reset,
        P.t_ref,
        1e-3,
    )
    assert out[2] == pytest.approx(shifted, rel=1e-14)


# --------------------------------------------------------------------------- spike statistics


def test_no_trains_and_empty_trains_give_zero_rate_and_no_intervals() -> None:
    none = nz.isi_statistics([], 1.0, window=0.1)
    assert none.n_trains == 0 and none.n_isi == 0 and none.isi.shape == (0,)
    assert none.rate == 0.0 and math.isnan(none.rate_se) and math.isnan(none.cv)
    empty = nz.isi_statistics([np.array([]), np.array([])], 1.0, window=0.1)
    assert empty.rate == 0.0 and empty.n_isi == 0 and empty.isi.shape == (0,)


def test_two_intervals_already_give_a_cv() -> None:
    st = nz.isi_statistics([np.array([0.1, 0.2, 0.5])], 1.0, window=0.25)
    assert st.cv == pytest.approx(0.5, rel=1e-12)  # intervals 0.1, 0.3: std 0.1, mean 0.2
    assert math.isnan(nz.isi_statistics([np.array([0.1, 0.2])], 1.0, window=0.25).cv)


def test_default_t_start_is_zero_and_windows_tile_the_whole_trial() -> None:
    st = nz.isi_statistics([np.array([0.05, 0.3, 0.35, 0.8])], 1.0, window=0.25)
    assert st.t_start == 0.0 and st.n_windows == 4 and st.window == 0.25
    # counts per window 1, 2, 0, 1: mean 1, variance 2/3
    assert st.fano == pytest.approx(2 / 3, rel=1e-12)


def test_integer_spike_times_give_float_intervals() -> None:
    st = nz.isi_statistics([[1, 3, 6], [2, 4]], 10, window=5)
    assert st.isi.dtype == np.float64
    np.testing.assert_array_equal(st.isi, [2.0, 3.0, 2.0])
    assert st.mean_isi == pytest.approx(7 / 3) and st.rate == pytest.approx(3 / 17)


def test_an_empty_train_adds_no_time_to_the_rate() -> None:
    st = nz.isi_statistics([np.array([0.1, 0.2, 0.3]), np.array([])], 1.0, window=0.1)
    assert st.rate == pytest.approx(2 / 0.9, rel=1e-12)


def test_two_trains_give_a_rate_error_and_a_jackknife_cv_error() -> None:
    a, b = np.array([0.1, 0.3, 0.35, 0.5]), np.array([0.2, 0.6, 0.7])
    st = nz.isi_statistics([a, b], 1.0, window=0.5)
    counts, spans = np.array([3.0, 2.0]), np.array([0.9, 0.8])
    rate = 5 / 1.7
    assert st.rate == pytest.approx(rate, rel=1e-12)
    se = math.sqrt(2 * np.sum((counts - rate * spans) ** 2)) / 1.7
    assert st.rate_se == pytest.approx(se, rel=1e-12)

    def cv(x: np.ndarray) -> float:
        d = np.diff(x)
        return float(np.std(d) / np.mean(d))

    # two leave-one-out CVs: the jackknife error is half their difference
    assert st.cv_se == pytest.approx(abs(cv(a) - cv(b)) / 2, rel=1e-12)


def test_one_train_has_no_rate_error() -> None:
    st = nz.isi_statistics([np.array([0.1, 0.3, 0.4, 0.7])], 1.0, window=0.5)
    assert math.isnan(st.rate_se) and math.isnan(st.cv_se)


def test_three_intervals_in_three_trains_give_a_jackknife_error() -> None:
    trains = [np.array([0.1, 0.2]), np.array([0.3, 0.6]), np.array([0.0, 0.4])]
    st = nz.isi_statistics(trains, 1.0, window=0.5)
    isi = np.array([0.1, 0.3, 0.4])
    loo = []
    for i in range(3):
        rest = np.delete(isi, i)
        loo.append(np.std(rest) / np.mean(rest))
    loo = np.array(loo)
    expected = math.sqrt(2 / 3 * np.sum((loo - loo.mean()) ** 2))
    assert st.n_isi == 3 and st.cv_se == pytest.approx(expected, rel=1e-12)


def test_jackknife_needs_two_leave_one_out_cvs() -> None:
    """Leaving out the long train keeps one interval: no CV, so only one estimate, no error."""
    st = nz.isi_statistics([np.array([0.1, 0.3]), np.array([0.1, 0.2, 0.4, 0.5])], 1.0, window=0.5)
    assert st.n_isi == 4 and math.isfinite(st.cv) and math.isnan(st.cv_se)


# --------------------------------------------------------------------------- analysis.noise


def test_noise_setting_keeps_every_unit() -> None:
    s = anz.noise_setting(P, 1.2e-9, 2e-3, 3e-3)
    assert (s.I_mean, s.sigma_V, s.tau_s) == (1.2e-9, 2e-3, 3e-3)
    assert s.tau_ratio == pytest.approx(0.3)


def _reference_run(I: float, sV: float, ts: float, n: int, dur: float, seed: int, dt: float):
    setting = anz.noise_setting(P, I, sV, ts)
    unit = anz.unit_noise(ts, n, dur, seed, dt)
    return simulate(P, I=I + setting.sigma_I * unit, duration=dur, dt=dt)


def test_noisy_trials_on_a_coarse_grid_match_a_direct_simulation() -> None:
    dt, dur, ts = 2e-4, 0.3, 2e-3
    tr = anz.noisy_trials(P, 1.6e-9, 2e-3, ts, n_trials=3, duration=dur, seed=7, dt=dt)
    ref = _reference_run(1.6e-9, 2e-3, ts, 3, dur, 7, dt)
    assert tr.dt == dt and tr.duration == pytest.approx(dur) and tr.seed == 7
    assert tr.t.size == round(dur / dt) and tr.t[1] - tr.t[0] == pytest.approx(dt)
    np.testing.assert_array_equal(tr.V, ref.V[0])
    np.testing.assert_array_equal(tr.refractory, ref.refractory[0])
    assert not np.array_equal(ref.refractory[0], ref.refractory[1])
    assert tr.stats.t_start == anz.FANO_WINDOW and tr.stats.window == anz.FANO_WINDOW
    assert tr.stats.n_windows == 3 * 2
    # white noise of the same intensity: sigma_V = sigma / sqrt 2, no Fourcaud-Brunel shift
    sigma = nz.diffusion_sigma(2e-3, P.tau, ts)
    white = nz.siegert_rate(P.E_L + P.R * 1.6e-9, sigma, P.tau, P.V_th, P.V_reset, P.t_ref)
    assert tr.rate_white == pytest.approx(white, rel=1e-12)


def test_cv_theory_uses_the_shifted_bounds() -> None:
    ts = 2e-3
    tr = anz.noisy_trials(P, 1.3e-9, 3e-3, ts, n_trials=1, duration=0.05, seed=1)
    sigma = math.sqrt(2) * 3e-3 * math.sqrt(1 + ts / P.tau)
    shift = nz.ALPHA / 2 * math.sqrt(ts / P.tau)
    # bounds (V - mu)/sigma + shift are those of the mean mu - shift * sigma
    mu = P.E_L + P.R * 1.3e-9 - shift * sigma
    ref = _cv_ref(mu, sigma, P.tau, P.V_th, P.V_reset, P.t_ref)
    assert tr.cv_theory == pytest.approx(ref, rel=1e-9)


def test_cv_theory_without_noise_is_zero_above_and_nan_at_or_below_rheobase() -> None:
    Q = LIFParams(R=1e7, C=1e-9, E_L=-0.0625, V_th=-0.0500, V_reset=-0.06, t_ref=2e-3)
    I_rh = 1.25e-9
    assert Q.E_L + Q.R * I_rh == Q.V_th
    at = anz.noisy_trials(Q, I_rh, 0.0, 1e-3, n_trials=1, duration=0.02, seed=1)
    above = anz.noisy_trials(Q, 1.5e-9, 0.0, 1e-3, n_trials=1, duration=0.02, seed=1)
    assert math.isnan(at.cv_theory) and above.cv_theory == 0.0


def test_a_trial_shorter_than_a_step_lasts_one_step() -> None:
    tr = anz.noisy_trials(P, 0.0, 1e-3, 1e-3, n_trials=1, duration=0.3e-4, seed=1)
    assert tr.duration == pytest.approx(anz.DT, rel=1e-12) and tr.t.size == 1


def test_isi_histogram_without_intervals_spans_a_tenth_of_a_second() -> None:
    tr = anz.noisy_trials(P, 0.0, 0.0, 1e-3, n_trials=1, duration=0.2, seed=1)
    h = anz.isi_histogram(tr, n_bins=5)
    assert h.edges[-1] == 0.1 and h.n_isi == 0 and h.beyond == 0 and h.counts.sum() == 0


def test_isi_histogram_draws_intervals_at_its_last_edge() -> None:
    tr = anz.noisy_trials(P, 0.0, 0.0, 1e-3, n_trials=1, duration=0.2, seed=1)
    times = np.concatenate([np.arange(101) / 1024, 100 / 1024 + np.arange(1, 4) * 1.0])
    stats = nz.isi_statistics([times], 4.0, window=0.5)
    h = anz.isi_histogram(dataclasses.replace(tr, stats=stats), n_bins=8)
    assert h.edges[-1] == pytest.approx(1.0, rel=1e-12)  # the 99 % quantile, three 1 s intervals
    assert h.beyond == 0 and h.counts.sum() == h.n_isi == 103
    assert h.fano == stats.fano and h.cv == stats.cv and h.mean_isi == stats.mean_isi


def test_rate_curves_shapes_grid_and_fields() -> None:
    dt, dur, ts = 2e-4, 0.2, 1e-3
    rc = anz.rate_curves(
        P,
        ts,
        seed=3,
        n_currents=3,
        n_trials=2,
        duration=dur,
        sigmas_V=(2e-3,),
        n_theory=5,
        dt=dt,
    )
    for a in (rc.rate, rc.rate_se, rc.cv, rc.cv_se):
        assert a.shape == (2, 3)
    assert rc.tau_s == ts and rc.n_trials == 2 and rc.duration == pytest.approx(dur)
    assert rc.I_theory[-1] == rc.currents[-1] and rc.I_theory.size == 5
    assert rc.rate_theory.dtype == np.float64 and rc.rate_theory.shape == (2, 5)
    assert rc.cv_theory.shape == (2, 5)
    fi = anz.fi_curve(P, rc.currents, duration=dur, dt=dt).rate
    np.testing.assert_array_equal(rc.rate[0], fi)
    # the noisy rows come from the same unit noise on the coarse grid
    unit = anz.unit_noise(ts, 3 * 2, dur, 3, dt)
    sI = nz.sigma_current(2e-3, P.tau, ts, P.R)
    I = np.repeat(rc.currents, 2)[:, None] + sI * unit
    res = simulate(P, I=I, duration=dur, dt=dt)
    st = nz.isi_statistics(res.spike_times[4:6], dur, window=anz.FANO_WINDOW)
    assert rc.rate[1, 2] == st.rate and rc.rate_se[1, 2] == st.rate_se


def test_rate_curves_report_a_cv_from_exactly_ten_intervals_per_trial() -> None:
    """Weak noise at twice the rheobase: 11 regular spikes in 85 ms (first at tau ln 2, then
    every t_ref + tau ln(5/3)), so exactly 10 intervals: enough for a CV; in 78 ms, 9 are not."""
    kw = {"seed": 1, "n_currents": 2, "n_trials": 1, "sigmas_V": (1e-6,), "n_theory": 3}
    ten = anz.rate_curves(P, 1e-3, duration=0.085, **kw)
    nine = anz.rate_curves(P, 1e-3, duration=0.078, **kw)
    assert ten.rate[1, 1] == pytest.approx(10 / (0.085 - P.tau * math.log(2)), rel=1e-3)
    assert nine.rate[1, 1] == pytest.approx(9 / (0.078 - P.tau * math.log(2)), rel=1e-3)
    assert 0.0 < ten.cv[1, 1] < 1e-3 and math.isnan(nine.cv[1, 1])


def test_rate_curves_defaults() -> None:
    """11 currents, 6 trials of 1 s each by default."""
    rc = anz.rate_curves(P, 1e-3, seed=2)
    assert rc.currents.size == 11 and rc.n_trials == 6 and rc.duration == pytest.approx(1.0)
    assert rc.rate.shape == (4, 11) and rc.tau_ratio == pytest.approx(0.1)


def test_the_noiseless_row_is_the_fi_curve_of_the_same_trials() -> None:
    """Just above rheobase (1.048 rh) the second spike comes after ~60 ms: a 50 ms trial has
    one spike, hence rate 0 (a 1 s fi_curve would give ~34 Hz)."""
    dt, dur = 2e-4, 0.05
    rc = anz.rate_curves(
        P, 1e-3, seed=4, n_currents=22, n_trials=1, duration=dur, sigmas_V=(1e-3,), dt=dt
    )
    assert rc.currents[11] == pytest.approx(P.rheobase * 22 / 21, rel=1e-12)
    assert rc.rate[0, 11] == 0.0 and rc.rate[0, 12] > 0.0
    np.testing.assert_array_equal(
        rc.rate[0], anz.fi_curve(P, rc.currents, duration=dur, dt=dt).rate
    )
