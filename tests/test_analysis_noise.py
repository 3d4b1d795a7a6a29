"""Chapter 8's analyses: simulated noisy trials against the Siegert / Fourcaud–Brunel theory.

Tolerances come from the statistics of each run:

- rate: 3 standard errors (spread between trials) + the renewal bias of the estimator,
  |CV² - 1| / (2 n) of the rate with n spikes per trial (lif_core.noise.isi_statistics) +
  the order of the first term the Fourcaud–Brunel expansion neglects, (tau_s/tau) times the
  rate (its coefficient measured here is at most 0.4: the README's table);
- CV: 3 jackknife standard errors + 1/n of the CV for the intervals cut off by the end of a
  trial (a Poisson train with 15 intervals per window comes out 2 % low) + (tau_s/tau) times
  the CV for the same expansion (the CV theory is the white-noise formula at the shifted
  bounds).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from mutation_aware import shared_scope

from lif_core import LIFParams, noise, theory
from lif_core.analysis import noise as an

P = LIFParams(R=10e6, C=1e-9, E_L=-65e-3, V_th=-50e-3, V_reset=-60e-3, t_ref=2e-3)

#: (mean current A, sigma_V V, tau_s s, trials, trial length s): fluctuation-driven (two) and
#: mean-driven (one), tau_s / tau = 0.02-0.05.
POINTS = {
    "below rheobase, 3 mV": (1.2e-9, 3e-3, 0.5e-3, 80, 1.0),
    "below rheobase, 4 mV": (0.9e-9, 4e-3, 0.2e-3, 40, 2.0),
    "above rheobase, 2 mV": (1.8e-9, 2e-3, 0.5e-3, 80, 1.0),
}


@pytest.fixture(scope=shared_scope)
def runs() -> dict[str, an.Trials]:
    return {
        name: an.noisy_trials(P, I, s, ts, n_trials=n, duration=T, seed=11)
        for name, (I, s, ts, n, T) in POINTS.items()
    }


@pytest.mark.parametrize("name", list(POINTS))
def test_simulated_rate_matches_the_theory_within_its_statistics(runs, name):
    tr = runs[name]
    st = tr.stats
    per_trial = st.n_isi / st.n_trains
    bias = abs(st.cv**2 - 1) / (2 * per_trial) * st.rate
    expansion = tr.setting.tau_ratio * tr.rate_theory
    assert abs(st.rate - tr.rate_theory) <= 3 * st.rate_se + bias + expansion
    assert st.rate_se < 0.03 * st.rate  # the test has power: a few % resolution


@pytest.mark.parametrize("name", list(POINTS))
def test_simulated_cv_matches_the_theory_within_its_statistics(runs, name):
    tr = runs[name]
    st = tr.stats
    per_trial = st.n_isi / st.n_trains
    tol = 3 * st.cv_se + st.cv / per_trial + tr.setting.tau_ratio * tr.cv_theory
    assert abs(st.cv - tr.cv_theory) <= tol
    assert tol < 0.2 * st.cv


def test_regimes_fluctuation_driven_cv_near_one_mean_driven_small(runs):
    below = runs["below rheobase, 4 mV"]
    above = runs["above rheobase, 2 mV"]
    assert an.regime(P, below.setting).label == "fluctuation-driven"
    assert an.regime(P, above.setting).mean_driven
    assert below.stats.cv > 0.8 and above.stats.cv < 0.4
    # without noise the first would be silent: it fires because of the fluctuations
    assert theory.firing_rate(P, below.setting.I_mean) == 0.0 and below.stats.rate > 5.0


def test_the_correction_matters_the_simulation_is_far_from_the_white_noise_rate(runs):
    tr = runs["below rheobase, 3 mV"]
    st = tr.stats
    assert abs(st.rate - tr.rate_white) > 10 * st.rate_se  # white noise: about 20 % higher
    assert abs(st.rate - tr.rate_theory) < abs(st.rate - tr.rate_white) / 3


def test_the_theory_fails_when_tau_s_is_comparable_to_tau():
    """tau_s = 5 ms, tau = 10 ms: the simulated rate is significantly off the corrected theory."""
    tr = an.noisy_trials(P, 1.2e-9, 3e-3, 5e-3, n_trials=80, duration=1.0, seed=11)
    st = tr.stats
    per_trial = st.n_isi / st.n_trains
    bias = abs(st.cv**2 - 1) / (2 * per_trial) * st.rate
    assert st.rate - tr.rate_theory > 4 * st.rate_se + bias  # measured about +15 %


def test_same_seed_same_trials_and_unit_noise_rescales():
    kw = dict(n_trials=5, duration=0.3, seed=4)
    a = an.noisy_trials(P, 1.0e-9, 3e-3, 1e-3, **kw)
    b = an.noisy_trials(P, 1.0e-9, 3e-3, 1e-3, unit=an.unit_noise(1e-3, 5, 0.3, 4), **kw)
    c = an.noisy_trials(P, 1.0e-9, 3e-3, 1e-3, n_trials=5, duration=0.3, seed=5)
    for x, y in zip(a.spike_times, b.spike_times, strict=True):
        np.testing.assert_array_equal(x, y)
    assert any(
        x.size != y.size or not np.array_equal(x, y)
        for x, y in zip(a.spike_times, c.spike_times, strict=True)
    )
    unit = an.unit_noise(1e-3, 3, 0.3, 4)
    assert unit.shape == (3, 3000)
    assert abs(unit.mean()) < 0.2 and abs(unit.std() - 1) < 0.2


def test_noise_setting_converts_sigma_V_to_the_current_and_the_intensity():
    s = an.noise_setting(P, 1e-9, 2e-3, 2e-3)
    assert s.sigma_I == pytest.approx(2e-3 / P.R * math.sqrt((P.tau + 2e-3) / 2e-3))
    assert s.sigma == pytest.approx(s.sigma_I * P.R * math.sqrt(2 * 2e-3 / P.tau))
    assert s.mu == pytest.approx(P.E_L + P.R * 1e-9) and s.tau_ratio == pytest.approx(0.2)


def test_isi_histogram_holds_every_interval(runs):
    tr = runs["below rheobase, 3 mV"]
    h = an.isi_histogram(tr)
    assert int(h.counts.sum()) + h.beyond == h.n_isi == tr.stats.n_isi
    assert h.edges[0] == 0.0 and h.counts[h.edges[1:] <= P.t_ref].sum() == 0  # none < t_ref
    assert h.mean_isi == pytest.approx(np.mean(tr.stats.isi))


def test_rate_curves_rows_deterministic_and_noisy():
    rc = an.rate_curves(P, 0.5e-3, seed=2, n_currents=4, n_trials=3, duration=0.5, n_theory=9)
    assert rc.rate.shape == (4, 4) and rc.sigma_V[0] == 0.0
    # no noise: fi_curve against the closed form, exact
    np.testing.assert_allclose(rc.rate[0], theory.firing_rate(P, rc.currents), atol=1e-9)
    np.testing.assert_array_equal(rc.rate_se[0], 0.0)
    assert np.all(np.isnan(rc.cv[0]))
    # theory rows are the corrected Siegert rate of each amplitude
    for k, s in enumerate(rc.sigma_V):
        np.testing.assert_allclose(
            rc.rate_theory[k], noise.firing_rate(P, rc.I_theory, s, 0.5e-3), rtol=1e-12
        )
    # CV only where a trial holds enough intervals: never at a few spikes per trial
    assert np.all(np.isnan(rc.cv[1:][rc.rate[1:] * rc.duration < 5]))
    assert np.isfinite(rc.cv[1:]).any()
    assert rc.tau_ratio == pytest.approx(0.05)
