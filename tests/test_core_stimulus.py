"""Stimulus waveforms: grid, charge, statistics and reproducibility."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

from lif_core import stimulus

DT = 1e-4


def test_pulse_delivers_exact_charge_even_off_grid():
    I = stimulus.pulse(2e-9, onset=0.01234, width=0.0205, duration=0.1, dt=DT)
    assert I.shape == (1000,)
    assert I.sum() * DT == pytest.approx(2e-9 * 0.0205, rel=1e-12)
    assert I[:123].max() == 0 and I[124:325].min() == pytest.approx(2e-9)


def test_step_is_a_pulse_to_the_end():
    I = stimulus.step(1e-9, onset=0.05, duration=0.1, dt=DT)
    assert I[:500].max() == 0
    np.testing.assert_allclose(I[500:], 1e-9, rtol=1e-9)


def test_ramp_and_sinusoid_values():
    r = stimulus.ramp(0.0, 1e-9, duration=0.1, dt=DT)
    assert r[0] == pytest.approx(0.5e-12) and r[-1] == pytest.approx(1e-9 - 0.5e-12)
    s = stimulus.sinusoid(1e-9, 10.0, duration=0.1, dt=DT, offset=0.5e-9)
    assert s.mean() == pytest.approx(0.5e-9, abs=1e-14)
    assert s.max() == pytest.approx(1.5e-9, rel=1e-6)


def test_ou_noise_has_the_requested_statistics_and_is_seeded():
    x = stimulus.ou_noise(1e-9, 0.2e-9, 5e-3, duration=10.0, dt=DT, seed=7)
    assert x.mean() == pytest.approx(1e-9, abs=0.02e-9)
    assert x.std() == pytest.approx(0.2e-9, rel=0.05)
    lag = int(5e-3 / DT)
    c = np.corrcoef(x[:-lag], x[lag:])[0, 1]
    assert c == pytest.approx(np.exp(-1), abs=0.05)  # correlation time tau_noise
    np.testing.assert_array_equal(x, stimulus.ou_noise(1e-9, 0.2e-9, 5e-3, 10.0, DT, seed=7))
    many = stimulus.ou_noise(0.0, 1.0, 5e-3, 0.1, DT, seed=1, n=3)
    assert many.shape == (3, 1000) and not np.allclose(many[0], many[1])


def test_spike_trains():
    reg = stimulus.regular_spike_train(50.0, 1.0)
    np.testing.assert_allclose(np.diff(reg), 0.02)
    np.testing.assert_allclose(
        stimulus.regular_spike_train(50.0, 0.1, start=0.005), 0.005 + np.arange(5) * 0.02
    )
    assert stimulus.regular_spike_train(0.0, 1.0).size == 0
    a = stimulus.poisson_spike_train(100.0, 20.0, seed=3)
    assert abs(len(a) - 2000) <= 3 * math.sqrt(2000)  # Poisson count: mean 2000, SD 45
    assert np.all(np.diff(a) >= 0) and a.min() >= 0 and a.max() < 20.0
    np.testing.assert_array_equal(a, stimulus.poisson_spike_train(100.0, 20.0, seed=3))
    assert not np.array_equal(a[:50], stimulus.poisson_spike_train(100.0, 20.0, seed=4)[:50])


def test_poisson_trains_have_exponential_intervals():
    """Over 20 seeds: counts with mean rate·T and variance rate·T, ISIs with CV 1."""
    counts = np.array([stimulus.poisson_spike_train(50.0, 10.0, seed=s).size for s in range(20)])
    # mean of 20 counts: SD sqrt(500 / 20) = 5; Fano factor 1 within its sampling error
    assert abs(counts.mean() - 500) <= 3 * 5
    assert 0.4 < counts.var(ddof=1) / counts.mean() < 1.9  # chi2(19)/19: 1 % to 99 %
    isi = np.diff(stimulus.poisson_spike_train(200.0, 50.0, seed=1))  # ~10 000 intervals
    assert isi.mean() == pytest.approx(1 / 200, rel=3 / math.sqrt(isi.size))
    assert isi.std() / isi.mean() == pytest.approx(1.0, abs=0.04)
    # memoryless: P(ISI > 2/rate) = e^-2
    assert np.mean(isi > 2 / 200) == pytest.approx(math.exp(-2), abs=0.015)


@pytest.mark.parametrize("kind", ["exponential", "alpha"])
def test_synaptic_conductance_kernels(kind):
    g = stimulus.synaptic_conductance([0.01], 2e-9, 5e-3, duration=0.1, dt=DT, kind=kind)
    t = np.arange(1000) * DT
    # the kernel's exact mean over each step [t, t + dt)
    s0, s1 = np.clip((t - 0.01) / 5e-3, 0, None), np.clip((t + DT - 0.01) / 5e-3, 0, None)
    if kind == "exponential":
        expected = (np.exp(-s0) - np.exp(-s1)) * 5e-3 / DT
    else:
        expected = ((1 + s0) * np.exp(-s0) - (1 + s1) * np.exp(-s1)) * np.e * 5e-3 / DT
    np.testing.assert_allclose(g, 2e-9 * expected, rtol=1e-9, atol=1e-24)
    assert np.all(g[:100] == 0) and g[100] > 0
    peak_at = t[np.argmax(g)]
    assert peak_at == pytest.approx(0.01 if kind == "exponential" else 0.015, abs=DT)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: stimulus.pulse(1e-9, -0.1, 0.01, 0.1, DT), "onset = -0.1"),
        (lambda: stimulus.pulse(1e-9, 0.0, 0.0, 0.1, DT), "width = 0.0"),
        (lambda: stimulus.ou_noise(0, -1e-9, 5e-3, 0.1, DT), "sigma = -1e-09"),
        (lambda: stimulus.ou_noise(0, 1e-9, 0.0, 0.1, DT), "tau_noise = 0.0"),
        (lambda: stimulus.poisson_spike_train(-5.0, 1.0), "rate = -5.0"),
        (lambda: stimulus.synaptic_conductance([0.01], 1e-9, 5e-3, 0.1, DT, "beta"), "kind"),
        (lambda: stimulus.synaptic_conductance([np.nan], 1e-9, 5e-3, 0.1, DT), "spike_times"),
        (lambda: stimulus.constant(1e-9, 0.1, 0.0), "dt = 0.0"),
    ],
)
def test_bad_stimulus_arguments(call, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        call()
