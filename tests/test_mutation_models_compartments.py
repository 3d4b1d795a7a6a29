"""lif_core.models.compartments: refusals, the propagator near equal eigenvalues and the record
of a run, left open by test_models_compartments.py (surviving mutants).

References are closed forms: exp(At) of A = [[0, c], [c, 0]] is [[cosh ct, sinh ct],
[sinh ct, cosh ct]]; two identical compartments (C, g) coupled by g_c split into a sum mode
(τ = C/g) and a difference mode (τ = C/(g + 2 g_c)), so a current step I into the soma gives
V_s - E_L = (sum + diff)/2 and V_d - E_L = (sum - diff)/2 with sum = I/g (1 - e^{-tg/C}) and
diff = I/(g + 2 g_c) (1 - e^{-t(g + 2 g_c)/C}).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from refusals import whole

from lif_core import stimulus
from lif_core.models.compartments import (
    TwoCompartmentParams,
    expm2,
    simulate_two_compartment,
)

C, G, GC = 0.5e-9, 25e-9, 40e-9
EQUAL = TwoCompartmentParams(C_s=C, C_d=C, g_s=G, g_d=G, g_c=GC)


def _soma_step(I: float, t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(V_s - E_L, V_d - E_L) of EQUAL for a step I into the soma at t = 0 (mode closed form)."""
    total = I / G * (1 - np.exp(-t * G / C))
    diff = I / (G + 2 * GC) * (1 - np.exp(-t * (G + 2 * GC) / C))
    return (total + diff) / 2, (total - diff) / 2


# ------------------------------------------------------------------ parameter refusals


@pytest.mark.parametrize(
    ("field", "unit"), [("C_s", "F"), ("C_d", "F"), ("g_s", "S"), ("g_d", "S")]
)
def test_zero_capacitance_or_leak_is_refused_with_its_unit(field, unit):
    """The message names the parameter, the value with its SI unit and the open range."""
    with pytest.raises(
        ValueError,
        match=whole(f"{field} = 0.0 {unit} is out of range (allowed: {field} > 0 {unit})"),
    ):
        TwoCompartmentParams(**{field: 0.0})


def test_negative_coupling_is_refused_in_siemens():
    with pytest.raises(
        ValueError, match=whole("g_c = -1e-09 S is out of range (allowed: g_c >= 0 S)")
    ):
        TwoCompartmentParams(g_c=-1e-9)


def test_zero_coupling_is_allowed():
    """g_c = 0 is the closed end of its range: two separate cells."""
    assert TwoCompartmentParams(g_c=0.0).g_c == 0.0


@pytest.mark.parametrize("field", ["C_s", "g_c", "E_L"])
def test_an_array_parameter_is_refused_with_its_shape(field):
    """Positive, finite arrays pass the range checks; the shape check names them."""
    value = np.array([1e-9, 2e-9]) if field != "E_L" else np.array([-0.07, -0.06])
    with pytest.raises(ValueError, match=whole(f"{field} must be a number, got shape (2,)")):
        TwoCompartmentParams(**{field: value})


# ------------------------------------------------------------------ expm2


@pytest.mark.parametrize(("c", "t"), [(1.0, 0.99e-4), (2.0, 0.4999e-4), (1.0, 0.5e-4)])
def test_expm2_is_exact_just_below_the_series_switch(c, t):
    """δt < 1e-4 takes the series for sinh(δt)/δ; it must stay exact to round-off there.

    A = [[0, c], [c, 0]] has δ = c, so exp(At) = [[cosh ct, sinh ct], [sinh ct, cosh ct]].
    """
    E = expm2(np.array([[0.0, c], [c, 0.0]]), t)
    assert E[0, 1] == pytest.approx(math.sinh(c * t), rel=1e-15, abs=0)
    assert E[1, 0] == pytest.approx(math.sinh(c * t), rel=1e-15, abs=0)
    assert E[0, 0] == pytest.approx(math.cosh(c * t), rel=1e-15, abs=0)


def test_expm2_of_a_float32_matrix_is_computed_in_double_precision():
    """A float32 matrix is a real 2×2 matrix: its exponential is as exact as in float64."""
    A = np.array([[-1.3, 0.4], [0.7, -2.1]], dtype=np.float32)
    A64 = A.astype(float)  # the same numbers, exactly
    term, series = np.eye(2), np.eye(2)
    for k in range(1, 60):
        term = term @ (A64 * 0.7) / k
        series = series + term
    assert expm2(A, 0.7) == pytest.approx(series, rel=1e-12, abs=1e-14)


# ------------------------------------------------------------------ simulate_two_compartment


def test_without_input_both_compartments_stay_at_rest():
    run = simulate_two_compartment(EQUAL, duration=0.01, dt=1e-4)
    assert run.V_s.shape == run.V_d.shape == (1, 101)
    assert np.all(run.V_s == EQUAL.E_L)
    assert np.all(run.V_d == EQUAL.E_L)


def test_a_somatic_step_alone_matches_the_mode_closed_form():
    """I_dend left out means no dendritic input."""
    run = simulate_two_compartment(EQUAL, 0.3e-9, duration=0.08, dt=1e-4)
    xs, xd = _soma_step(0.3e-9, run.t)
    assert run.V_s.shape == (1, 801)
    assert run.V_s[0] - EQUAL.E_L == pytest.approx(xs, rel=1e-10, abs=1e-16)
    assert run.V_d[0] - EQUAL.E_L == pytest.approx(xd, rel=1e-10, abs=1e-16)


def test_a_dendritic_step_alone_by_keyword_mirrors_the_somatic_one():
    """I_soma left out means no somatic input; equal halves swap roles."""
    run = simulate_two_compartment(EQUAL, I_dend=0.3e-9, duration=0.08, dt=1e-4)
    xs, xd = _soma_step(0.3e-9, run.t)
    assert run.V_d[0] - EQUAL.E_L == pytest.approx(xs, rel=1e-10, abs=1e-16)
    assert run.V_s[0] - EQUAL.E_L == pytest.approx(xd, rel=1e-10, abs=1e-16)


def test_the_record_keeps_the_injected_currents_and_the_step():
    dt, duration = 1e-4, 0.02
    pulse = stimulus.pulse(1e-9, 5e-3, 2e-3, duration, dt)
    column = np.array([[0.1e-9], [0.2e-9]])
    run = simulate_two_compartment(EQUAL, pulse, column, duration=duration, dt=dt)
    n = pulse.size
    assert run.I_s.shape == run.I_d.shape == (2, n)
    assert np.array_equal(run.I_s, np.vstack([pulse, pulse]))
    assert np.array_equal(run.I_d, np.vstack([np.full(n, 0.1e-9), np.full(n, 0.2e-9)]))
    assert run.dt == dt
    assert run.t == pytest.approx(np.arange(n + 1) * dt, abs=1e-18)
    assert run.params is EQUAL


def test_params_of_another_kind_are_refused_by_type_name():
    with pytest.raises(ValueError, match=whole("params must be a TwoCompartmentParams, got dict")):
        simulate_two_compartment({"C_s": 1e-9}, duration=1e-3, dt=1e-4)


@pytest.mark.parametrize("name", ["I_soma", "I_dend"])
def test_a_current_of_the_wrong_length_is_refused_by_name(name):
    with pytest.raises(
        ValueError,
        match=whole(
            f"{name} has 5 values but the simulation has 10 time steps (ceil(duration / dt)); "
            "give one value per step, or shape (n_neurons, 1) for one constant per neuron"
        ),
    ):
        simulate_two_compartment(EQUAL, **{name: np.zeros(5)}, duration=1e-3, dt=1e-4)


@pytest.mark.parametrize("name", ["I_soma", "I_dend"])
def test_a_non_finite_current_is_refused_by_name(name):
    with pytest.raises(ValueError, match=whole(f"{name} must be a finite number, got nan")):
        simulate_two_compartment(EQUAL, **{name: math.nan}, duration=1e-3, dt=1e-4)
