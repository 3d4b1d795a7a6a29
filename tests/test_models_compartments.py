"""The passive two-compartment neuron (lif_core.models.compartments) against closed forms.

The propagator exp(A dt) is checked against its Taylor series and the defective case; the
simulation against (1) g_c = 0: two independent RC membranes, (2) two identical
compartments: the sum mode relaxes with τ = C/g and the difference mode with
C/(g + 2 g_c), exactly; (3) the steady state R = -A⁻¹B (symmetric: reciprocity); and it
is exact for any dt (results at dt and dt/2 agree on the shared grid to round-off).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from lif_core import stimulus
from lif_core.models.compartments import (
    TwoCompartmentParams,
    expm2,
    simulate_two_compartment,
)


def taylor_expm(A: np.ndarray, terms: int = 60) -> np.ndarray:
    out = np.eye(2)
    term = np.eye(2)
    for k in range(1, terms):
        term = term @ A / k
        out = out + term
    return out


@pytest.mark.parametrize(
    "A",
    [
        np.array([[-1.3, 0.4], [0.7, -2.1]]),
        np.array([[-0.5, 0.0], [0.0, -0.5]]),  # equal eigenvalues, diagonal
        np.array([[-2.0, 0.0], [3.0, -0.2]]),
    ],
)
def test_expm2_matches_the_taylor_series(A):
    for t in (0.01, 0.7, 2.0):
        assert expm2(A, t) == pytest.approx(taylor_expm(A * t), rel=1e-12, abs=1e-14)


def test_expm2_defective_matrix_is_exact():
    """A = [[-1, 1], [0, -1]] has one eigenvalue twice: exp(At) = e^{-t} [[1, t], [0, 1]]."""
    A = np.array([[-1.0, 1.0], [0.0, -1.0]])
    for t in (1e-6, 0.5, 3.0):
        assert expm2(A, t) == pytest.approx(
            math.exp(-t) * np.array([[1.0, t], [0.0, 1.0]]), rel=1e-12
        )


def test_expm2_refuses_complex_eigenvalues():
    with pytest.raises(ValueError, match="real eigenvalues"):
        expm2(np.array([[0.0, 1.0], [-1.0, 0.0]]), 1.0)


def test_uncoupled_compartments_are_two_rc_membranes():
    p = TwoCompartmentParams(C_s=0.3e-9, C_d=0.9e-9, g_s=10e-9, g_d=45e-9, g_c=0.0)
    I = 0.2e-9
    run = simulate_two_compartment(p, I, 0.0, duration=0.1, dt=1e-4)
    tau = p.C_s / p.g_s
    expected = p.E_L + I / p.g_s * (1 - np.exp(-run.t / tau))
    assert run.V_s[0] == pytest.approx(expected, abs=1e-15)
    assert np.all(run.V_d[0] == p.E_L)


def test_identical_compartments_split_into_sum_and_difference_modes():
    C, g, gc = 0.5e-9, 25e-9, 40e-9
    p = TwoCompartmentParams(C_s=C, C_d=C, g_s=g, g_d=g, g_c=gc)
    I = 0.3e-9  # step into the soma from t = 0
    run = simulate_two_compartment(p, I, 0.0, duration=0.08, dt=1e-4)
    xs, xd = run.V_s[0] - p.E_L, run.V_d[0] - p.E_L
    t = run.t
    sum_mode = I / g * (1 - np.exp(-t * g / C))
    diff_mode = I / (g + 2 * gc) * (1 - np.exp(-t * (g + 2 * gc) / C))
    assert xs + xd == pytest.approx(sum_mode, rel=1e-10, abs=1e-16)
    assert xs - xd == pytest.approx(diff_mode, rel=1e-10, abs=1e-16)
    assert sorted(p.rates) == pytest.approx(sorted([g / C, (g + 2 * gc) / C]))


def test_steady_state_is_the_transfer_resistance_and_reciprocal():
    p = TwoCompartmentParams(C_s=0.2e-9, C_d=0.8e-9, g_s=10e-9, g_d=30e-9, g_c=20e-9)
    R = p.input_resistance
    assert R[0, 1] == pytest.approx(R[1, 0], rel=1e-12)  # reciprocity
    into_soma = simulate_two_compartment(p, 0.1e-9, 0.0, duration=1.0, dt=1e-3)
    into_dend = simulate_two_compartment(p, 0.0, 0.1e-9, duration=1.0, dt=1e-3)
    assert into_soma.V_s[0, -1] - p.E_L == pytest.approx(R[0, 0] * 0.1e-9, rel=1e-9)
    assert into_dend.V_s[0, -1] - p.E_L == pytest.approx(R[0, 1] * 0.1e-9, rel=1e-9)
    # 1/R_00 by hand: soma leak in parallel with (coupling in series with dendrite leak)
    g_in = p.g_s + 1 / (1 / p.g_c + 1 / p.g_d)
    assert R[0, 0] == pytest.approx(1 / g_in, rel=1e-12)


def test_exact_for_any_time_step():
    p = TwoCompartmentParams()
    coarse_dt, fine_dt = 2e-4, 1e-4
    runs = []
    for dt in (coarse_dt, fine_dt):
        I = stimulus.pulse(1e-9, 4e-3, 2e-3, 0.05, dt)  # edges on both grids
        runs.append(simulate_two_compartment(p, 0.0, I, duration=0.05, dt=dt))
    coarse, fine = runs
    assert coarse.V_s[0] == pytest.approx(fine.V_s[0][::2], abs=1e-15)
    assert coarse.V_d[0] == pytest.approx(fine.V_d[0][::2], abs=1e-15)


def test_dendritic_input_arrives_smaller_and_later():
    p = TwoCompartmentParams()
    I = stimulus.pulse(1e-9, 5e-3, 2e-3, 0.1, 1e-4)
    run = simulate_two_compartment(p, np.vstack([I, 0 * I]), np.vstack([0 * I, I]), duration=0.1)
    soma_from_soma = run.V_s[0] - p.E_L
    soma_from_dend = run.V_s[1] - p.E_L
    assert soma_from_dend.max() < soma_from_soma.max() / 3
    assert run.t[np.argmax(soma_from_dend)] > run.t[np.argmax(soma_from_soma)] + 5e-3
    # equal compartments: what the dendrite sees of its own input is what the soma sees of its own
    assert run.V_d[1] - p.E_L == pytest.approx(soma_from_soma, abs=1e-15)


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [("C_s", 0.0, "C_s > 0"), ("g_c", -1e-9, "g_c >= 0"), ("g_d", math.inf, "finite")],
)
def test_bad_parameters_name_value_and_range(field, value, words):
    with pytest.raises(ValueError, match=field) as err:
        TwoCompartmentParams(**{field: value})
    assert words in str(err.value)


def test_condition_counts_must_agree():
    with pytest.raises(ValueError, match="disagree"):
        simulate_two_compartment(
            TwoCompartmentParams(), np.zeros((2, 10)), np.zeros((3, 10)), duration=1e-3, dt=1e-4
        )
