"""lif_core.stimulus: ramp and sinusoid values with non-zero start, offset and phase, the
defaults, and what a refusal says (the argument, its value and its unit).

Expected values are the documented closed forms: a ramp's mean over each step, a sinusoid at
the middle of each step.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from lif_core import stimulus

DT = 1e-3


def test_ramp_from_a_non_zero_start():
    r = stimulus.ramp(1e-9, 3e-9, duration=0.1, dt=DT)
    assert r.size == 100
    mid = (np.arange(100) + 0.5) * DT
    np.testing.assert_allclose(r, 1e-9 + 2e-9 * mid / 0.1, rtol=1e-12)
    assert r.mean() == pytest.approx(2e-9)


def test_sinusoid_with_offset_and_phase():
    s = stimulus.sinusoid(2e-9, 10.0, duration=0.1, dt=DT, offset=0.5e-9, phase=math.pi / 3)
    mid = (np.arange(100) + 0.5) * DT
    np.testing.assert_allclose(s, 0.5e-9 + 2e-9 * np.sin(2 * np.pi * 10 * mid + math.pi / 3))
    assert s[0] == pytest.approx(0.5e-9 + 2e-9 * math.sin(math.pi / 3 + 2 * math.pi * 0.005))


def test_sinusoid_defaults_to_no_offset_and_no_phase():
    s = stimulus.sinusoid(1e-9, 5.0, duration=0.2, dt=DT)
    mid = (np.arange(200) + 0.5) * DT
    np.testing.assert_allclose(s, 1e-9 * np.sin(2 * np.pi * 5 * mid), atol=1e-24)
    assert s.mean() == pytest.approx(0.0, abs=1e-15)


def test_sinusoid_frequency_range():
    s = stimulus.sinusoid(1e-9, 0.5, duration=0.1, dt=DT)  # slower than 1 Hz is fine
    assert np.all(np.diff(s) > 0)  # the first tenth of a 2 s period rises
    np.testing.assert_allclose(stimulus.sinusoid(1e-9, 0.0, 0.01, DT, offset=2e-9), 2e-9)
    with pytest.raises(
        ValueError,
        match=r"^frequency = -1\.0 Hz is out of range \(allowed: frequency >= 0 Hz\)$",
    ):
        stimulus.sinusoid(1e-9, -1.0, duration=0.1, dt=DT)


def test_regular_train_starts_at_0_by_default():
    np.testing.assert_allclose(stimulus.regular_spike_train(20.0, 0.2), [0.0, 0.05, 0.1, 0.15])


@pytest.mark.parametrize(
    ("name", "call"),
    [
        ("amplitude", lambda: stimulus.constant(math.nan, 0.1, DT)),
        ("start", lambda: stimulus.ramp(math.inf, 0.0, 0.1, DT)),
        ("stop", lambda: stimulus.ramp(0.0, math.nan, 0.1, DT)),
        ("amplitude", lambda: stimulus.sinusoid(math.nan, 1.0, 0.1, DT)),
        ("offset", lambda: stimulus.sinusoid(1.0, 1.0, 0.1, DT, offset=math.inf)),
        ("phase", lambda: stimulus.sinusoid(1.0, 1.0, 0.1, DT, phase=math.nan)),
        ("frequency", lambda: stimulus.sinusoid(1.0, math.inf, 0.1, DT)),
        ("rate", lambda: stimulus.regular_spike_train(math.nan, 0.1)),
        ("start", lambda: stimulus.regular_spike_train(10.0, 0.1, start=math.inf)),
    ],
)
def test_a_non_finite_argument_is_refused_by_name(name, call):
    with pytest.raises(ValueError, match=rf"^{name} must be a finite number, got (nan|inf)$"):
        call()


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda: stimulus.poisson_spike_train(math.nan, 1.0),
            "rate must be a finite number, got nan",
        ),
        (
            lambda: stimulus.poisson_spike_train(-2.0, 1.0),
            "rate = -2.0 Hz is out of range (allowed: rate >= 0 Hz)",
        ),
        (
            lambda: stimulus.poisson_spike_train(5.0, math.inf),
            "duration must be a finite number, got inf",
        ),
        (
            lambda: stimulus.poisson_spike_train(5.0, 0.0),
            "duration = 0.0 s is out of range (allowed: duration > 0 s)",
        ),
        (
            lambda: stimulus.poisson_spike_train(5.0, -1.0),
            "duration = -1.0 s is out of range (allowed: duration > 0 s)",
        ),
        (
            lambda: stimulus.SynapticConductance([0.1], math.nan, 1e-3),
            "g_max must be a finite number, got nan",
        ),
        (
            lambda: stimulus.SynapticConductance([0.1], 1e-9, math.inf),
            "tau_syn must be a finite number, got inf",
        ),
        (
            lambda: stimulus.ou_noise(math.nan, 1e-9, 1e-3, 0.01, 1e-4),
            "mean must be a finite number, got nan",
        ),
        (
            lambda: stimulus.ou_noise(0.0, math.inf, 1e-3, 0.01, 1e-4),
            "sigma must be a finite number, got inf",
        ),
        (
            lambda: stimulus.ou_noise(0.0, -1e-9, 1e-3, 0.01, 1e-4),
            "sigma = -1e-09 A is out of range (allowed: sigma >= 0 A)",
        ),
        (
            lambda: stimulus.ou_noise(0.0, 1e-9, 0.0, 0.01, 1e-4),
            "tau_noise = 0.0 s is out of range (allowed: tau_noise > 0 s)",
        ),
        (
            lambda: stimulus.ou_noise(0.0, 1e-9, math.nan, 0.01, 1e-4),
            "tau_noise must be a finite number, got nan",
        ),
    ],
)
def test_what_a_refused_poisson_train_or_conductance_says(call, message):
    with pytest.raises(ValueError) as err:
        call()
    assert str(err.value) == message


def test_a_poisson_train_uses_seed_0_by_default():
    train = stimulus.poisson_spike_train(50.0, 1.0)
    assert train.size > 20
    np.testing.assert_array_equal(train, stimulus.poisson_spike_train(50.0, 1.0, seed=0))
    assert not np.array_equal(train, stimulus.poisson_spike_train(50.0, 1.0, seed=1))


def test_ou_noise_uses_seed_0_by_default():
    x = stimulus.ou_noise(1e-9, 0.2e-9, 5e-3, 0.1, 1e-4)
    np.testing.assert_array_equal(x, stimulus.ou_noise(1e-9, 0.2e-9, 5e-3, 0.1, 1e-4, seed=0))
    assert not np.array_equal(x, stimulus.ou_noise(1e-9, 0.2e-9, 5e-3, 0.1, 1e-4, seed=1))


def test_a_kernel_grid_integral_over_no_steps_is_empty():
    grid = stimulus.SynapticConductance([0.01, 0.02], 1e-9, 5e-3).on_grid(0.05, 1e-3)
    out = grid.integral(np.zeros(0, dtype=int), np.zeros((0, 3)))
    assert out.shape == (0, 3)
    one = grid.integral(np.array([20]), np.array([[0.020, 0.0205, 0.021]]))
    assert one[0, 0] == 0.0 and one[0, 2] > one[0, 1] > 0.0  # ∫ g dt grows from t_20


def test_a_synaptic_conductance_keeps_plain_floats_and_sorted_float_times():
    """Integers and float32 in, float64 out: the record computes in double precision."""
    syn = stimulus.SynapticConductance([2, 0, 1], np.float32(2e-9), 1)
    assert type(syn.g_max) is float and syn.g_max == float(np.float32(2e-9))
    assert type(syn.tau_syn) is float and syn.tau_syn == 1.0
    assert syn.spike_times.dtype == np.float64
    np.testing.assert_array_equal(syn.spike_times, [0.0, 1.0, 2.0])


def test_ou_noise_refuses_no_traces_in_its_own_words():
    """n = 0 traces: the message names n, its value and the allowed range."""
    with pytest.raises(
        ValueError, match=r"^n = 0 must be a positive number of traces \(allowed: n >= 1\)$"
    ):
        stimulus.ou_noise(0.0, 1e-9, 1e-3, 0.01, 1e-4, n=0)
