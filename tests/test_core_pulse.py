"""stimulus.pulse: fully covered steps carry exactly the amplitude, partly covered ones their
covered fraction (the charge is exact), on grids whose last step is shorter than dt.

Before this was pinned, a fully covered step got ``amplitude * h / h``, an ulp off the
amplitude in about one step in eight, so a pulse's plateau was never constant input (the
engine's closed-form spike trains for constant blocks, and lif_engine.js, never saw it as such).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from lif_core import stimulus

DT_CHOICES = (1e-4, 5e-5, 3e-5, 2e-5, 7e-5)


def _cases(n: int = 300) -> list[tuple[float, float, float, float, float]]:
    """(amplitude, onset, width, duration, dt) with everything off the grid, some steps."""
    rng = np.random.default_rng(11)
    cases = []
    for _ in range(n):
        dt = float(rng.choice(DT_CHOICES))
        duration = float(rng.uniform(0.005, 0.3))  # almost never a multiple of dt
        onset = float(rng.uniform(0.0, duration / 2))
        width = float(rng.uniform(3 * dt, duration)) if rng.random() < 0.8 else math.inf
        cases.append((float(rng.uniform(-5e-9, 5e-9)), onset, width, duration, dt))
    return cases


CASES = _cases()


def _grid(duration: float, dt: float, n: int) -> tuple[np.ndarray, np.ndarray]:
    t = np.arange(n) * dt
    stop = t + dt
    stop[-1] = min(duration, n * dt)
    return t, stop


def test_fully_covered_steps_carry_exactly_the_amplitude():
    covered = 0
    for amplitude, onset, width, duration, dt in CASES:
        p = stimulus.pulse(amplitude, onset, width, duration, dt)
        t, stop = _grid(duration, dt, p.size)
        full = (t >= onset) & (stop <= onset + width)
        covered += int(full.sum())
        assert np.all(p[full] == amplitude), (amplitude, onset, width, duration, dt)
        assert np.all(p[(stop <= onset) | (t >= onset + width)] == 0.0)
    assert covered > 100_000  # the cases have long plateaus


def test_partly_covered_steps_carry_their_fraction_and_the_charge_is_exact():
    for amplitude, onset, width, duration, dt in CASES:
        p = stimulus.pulse(amplitude, onset, width, duration, dt)
        t, stop = _grid(duration, dt, p.size)
        h = stop - t
        end = min(onset + width, stop[-1])
        # the charge delivered equals amplitude x (covered time), to round-off
        assert np.sum(p * h) == pytest.approx(amplitude * (end - onset), rel=1e-9, abs=1e-24)
        k_on = int(np.searchsorted(stop, onset, side="right"))  # the step holding the onset
        if t[k_on] < onset:
            covered = min(stop[k_on], onset + width) - onset
            assert p[k_on] == pytest.approx(amplitude * covered / h[k_on], rel=1e-9)


def test_the_short_last_step_of_an_off_grid_duration_is_covered_fully():
    # 1 ms at dt = 0.3 ms: steps of 0.3, 0.3, 0.3 and 0.1 ms, all inside the pulse
    p = stimulus.pulse(2e-9, 0.0, 5e-3, 1e-3, 3e-4)
    assert p.size == 4 and np.all(p == 2e-9)
    # the pulse ends 0.05 ms into the last (0.1 ms) step: half of it is covered
    half = stimulus.pulse(2e-9, 0.0, 0.95e-3, 1e-3, 3e-4)
    assert half[:3].tolist() == [2e-9] * 3 and half[3] == pytest.approx(1e-9, rel=1e-9)


def test_a_step_from_time_zero_is_the_constant_input():
    for amplitude, _, _, duration, dt in CASES[:50]:
        np.testing.assert_array_equal(
            stimulus.step(amplitude, 0.0, duration, dt),
            stimulus.constant(amplitude, duration, dt),
        )
