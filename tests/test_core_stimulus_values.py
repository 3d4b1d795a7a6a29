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
