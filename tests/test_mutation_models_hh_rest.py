"""Hodgkin–Huxley rates, resting state and run bookkeeping (lif_core.models.hh), third pass.

Covers: the published alpha_n and alpha_m just off their removable singularities (scalar
calls) and exactly on them (array calls, no 0/0 warning); rates computed in double precision
for float32 potentials; the refusal of a non-finite current by resting_state; the resting
state vectorised over currents (fields shaped like I, Python floats for a number, each a fixed
point of the published steady I–V curve); the shape of a single run and the parameters it
records; a float32 starting state run in double precision by the many-condition engine.

Written against mutation-testing survivors of lif_core.models.hh; each check is a published
formula, an independent computation, a shape or dtype the caller gets, or the exact text of
a refusal.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from refusals import whole

from lif_core.models.hh import (
    SCALAR_MAX,
    HHParams,
    HHState,
    gate_rates,
    resting_state,
    simulate_hh,
    steady_current,
)
from tests.reference import hh_published_rates

P = HHParams()


def _published_gates(V: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Steady-state gates n, m, h at ``V`` (volts, away from -55 and -40 mV)."""
    rates = np.array([hh_published_rates(v) for v in np.atleast_1d(V) * 1e3]).T
    an, bn, am, bm, ah, bh = rates
    return an / (an + bn), am / (am + bm), ah / (ah + bh)


# ------------------------------------------------------------------ rates


@pytest.mark.parametrize("v", [-55.5, -54.5, -40.5, -39.5])
def test_scalar_rates_half_a_millivolt_off_the_singularities_follow_the_formula(v: float):
    """0.5 mV from -55 or -40 mV, x / (1 - e^(-x/10)) is 10 + x/2 + x^2/120: the quadratic
    term is 2e-4 of the value, so a series cut after x/2 is far off; the published formula
    (1 - e^(-0.05) is computed to ~2e-15 relative) must hold to 1e-12."""
    got = gate_rates(v * 1e-3)
    assert np.array(got) == pytest.approx(np.array(hh_published_rates(v)), rel=1e-12)


def test_array_rates_exactly_at_the_singularities_are_the_limits_without_warnings():
    """At exactly -55 and -40 mV alpha_n and alpha_m are 0/0; their limits are 0.1 and 1 per
    ms. The array version must give them, and no 'invalid value' warning on the way."""
    V = np.array([-55e-3, -40e-3])
    assert V[0] / 1e-3 + 55.0 == 0.0 and V[1] / 1e-3 + 40.0 == 0.0  # exactly on them
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        an, _, am, _, _, _ = gate_rates(V)
    assert an[0] == pytest.approx(100.0, rel=1e-12)
    assert am[1] == pytest.approx(1000.0, rel=1e-12)


def test_float32_potentials_give_double_precision_rates():
    """float32 potentials are read as the numbers they hold and the rates are computed in
    float64: the same values (to 1e-15) as for those numbers in double precision."""
    V32 = np.array([-70e-3, -65e-3, -30e-3, 10e-3], dtype=np.float32)
    got = gate_rates(V32)
    expected = gate_rates(V32.astype(float))
    for g, e in zip(got, expected, strict=True):
        assert g.dtype == np.float64
        np.testing.assert_allclose(g, e, rtol=1e-15, atol=0)


# ------------------------------------------------------------------ resting state


@pytest.mark.parametrize(
    ("I", "message"),
    [
        (math.nan, "I must be a finite number, got nan"),
        (np.array([0.0, math.inf]), "I must be a finite number, got inf"),
    ],
)
def test_resting_state_refuses_a_non_finite_current_by_name(I: object, message: str):
    with pytest.raises(ValueError, match=whole(message)):
        resting_state(P, I)


def test_resting_state_of_one_current_is_four_python_floats():
    """A number in, numbers out (the app writes them to JSON): V = -65.0 mV at I = 0."""
    rest = resting_state(P, 0.0)
    assert all(type(x) is float for x in rest)
    assert rest.V == pytest.approx(-65e-3, abs=0.01e-3)


def test_resting_state_is_vectorised_over_the_current():
    """Four currents, hyperpolarising to just below rheobase: each field has I's shape, each
    entry is the one-current answer, V is a root of the steady I–V curve (to 1e-18 A: the
    slope there is ~1e-7 S, so 1e-17 V of round-off is ~1e-24 A) and the gates are the
    published steady-state values at that V (to 1e-12, round-off of the rate formulas)."""
    I = np.array([-5e-9, 0.0, 2e-9, 6e-9])
    rest = resting_state(P, I)
    assert isinstance(rest, HHState)
    for x in rest:
        assert isinstance(x, np.ndarray) and x.shape == I.shape
    for k, current in enumerate(I):
        one = resting_state(P, float(current))
        assert [float(x[k]) for x in rest] == pytest.approx(list(one), rel=1e-14, abs=0)
    np.testing.assert_allclose(steady_current(P, rest.V), I, rtol=0, atol=1e-18)
    assert np.all(np.diff(rest.V) > 0)  # more current, higher rest
    for got, expected in zip(rest[1:], _published_gates(rest.V), strict=True):
        np.testing.assert_allclose(got, expected, rtol=1e-12)


# ------------------------------------------------------------------ runs


def test_single_run_has_one_condition_and_records_its_parameters():
    """A number for I and the default start: one condition (leading axis 1), the parameters
    object itself and the step."""
    p = P.replace(temperature=10.0)
    run = simulate_hh(p, 2e-9, duration=1e-3, dt=5e-5)
    assert run.V.shape == run.n.shape == run.m.shape == run.h.shape == (1, 21)
    assert run.I.shape == (1, 20)
    assert len(run.spike_times) == 1
    assert run.params is p
    assert run.dt == 5e-5


def test_many_condition_run_from_a_float32_state_is_computed_in_double_precision():
    """SCALAR_MAX + 2 conditions run in one numpy pass. Started from float32 numbers, the run
    is the same, bit for bit, as from those numbers in float64 (same inputs, same arithmetic):
    the state is read as the values it holds, then everything is double precision."""
    count = SCALAR_MAX + 2
    V0 = np.linspace(-70e-3, -50e-3, count).astype(np.float32)
    rest = resting_state(P, 0.0)
    state32 = HHState(
        V0,
        np.full(count, rest.n, dtype=np.float32),
        np.full(count, rest.m, dtype=np.float32),
        np.full(count, rest.h, dtype=np.float32),
    )
    state64 = HHState(*(x.astype(float) for x in state32))
    I = np.full((count, 1), 10e-9)  # above rheobase: every condition spikes
    run32 = simulate_hh(P, I, duration=15e-3, state0=state32)
    run64 = simulate_hh(P, I, duration=15e-3, state0=state64)
    assert all(s.size >= 1 for s in run64.spike_times)
    fields32 = (run32.V, run32.n, run32.m, run32.h)
    fields64 = (run64.V, run64.n, run64.m, run64.h)
    for a, b in zip(fields32, fields64, strict=True):
        assert a.dtype == np.float64
        assert np.array_equal(a, b)
    for a, b in zip(run32.spike_times, run64.spike_times, strict=True):
        assert np.array_equal(a, b)
