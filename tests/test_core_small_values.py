"""Small core helpers' values (lif_core.units, .params, ._integrals, .theory): arrays, types
and the neuron a refusal names.

The f–I slope is checked against a finite difference of the closed-form rate written out by
hand, on a neuron with a conductance whose reversal is not 0.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from lif_core import LIFParams, theory
from lif_core._integrals import erfcx
from lif_core.units import from_si, to_si

Q = LIFParams(R=20e6, C=0.6e-9, E_L=-68e-3, V_th=-51e-3, V_reset=-61e-3, t_ref=2.35e-3)


def test_unit_conversion_of_arrays():
    np.testing.assert_allclose(to_si(np.array([-65.0, 20.0]), "mV"), [-0.065, 0.020])
    np.testing.assert_allclose(to_si([1.5, 3.0], "nA"), [1.5e-9, 3e-9])
    np.testing.assert_allclose(from_si(np.array([-0.065, 0.020]), "mV"), [-65.0, 20.0])
    np.testing.assert_allclose(to_si(np.array([10.0]), "MΩ"), [1e7])


def test_a_refused_population_names_the_neuron_whose_reset_is_not_below_threshold():
    with pytest.raises(ValueError, match=r"V_reset = -0\.045 V must be below V_th = -0\.05 V"):
        LIFParams(V_reset=np.array([-0.07, -0.045, -0.06]), V_th=np.array([-0.05, -0.05, -0.04]))
    with pytest.raises(ValueError, match=r"V_reset = -0\.05 V must be below V_th = -0\.05 V"):
        LIFParams(V_reset=-0.05, V_th=-0.05)


def test_erfcx_of_a_number_is_a_float():
    value = erfcx(0.5)
    assert isinstance(value, float)
    assert value == pytest.approx(math.exp(0.25) * math.erfc(0.5), rel=1e-14)
    assert erfcx(-1.0) == pytest.approx(math.exp(1.0) * math.erfc(-1.0), rel=1e-14)
    assert erfcx(0.0) == 1.0


def rate_by_hand(p: LIFParams, I: float, g: float, E_syn: float) -> float:
    g_tot = 1 / p.R + g
    V_inf = (p.E_L / p.R + g * E_syn + I) / g_tot
    if V_inf <= p.V_th:
        return 0.0
    return 1 / (p.t_ref + p.C / g_tot * math.log((V_inf - p.V_reset) / (V_inf - p.V_th)))


@pytest.mark.parametrize("E_syn", [None, -80e-3])
def test_fi_slope_is_the_derivative_of_the_rate_under_a_conductance(E_syn):
    g = 15e-9
    E = 0.0 if E_syn is None else E_syn  # the documented default reversal is 0 V
    rh = Q.V_th * (1 / Q.R + g) - Q.E_L / Q.R - g * E
    for I in (1.05 * rh, 1.5 * rh, 3 * rh):
        h = 1e-6 * I
        fd = (rate_by_hand(Q, I + h, g, E) - rate_by_hand(Q, I - h, g, E)) / (2 * h)
        slope = (
            theory.firing_rate_slope(Q, I, g)
            if E_syn is None
            else (theory.firing_rate_slope(Q, I, g, E_syn))
        )
        assert isinstance(slope, float)
        assert slope == pytest.approx(fd, rel=1e-5)


def test_fi_slope_is_0_at_and_below_the_rheobase_without_warnings():
    rh = (Q.V_th - Q.E_L) / Q.R
    assert theory.firing_rate_slope(Q, rh) == 0.0
    np.testing.assert_array_equal(theory.firing_rate_slope(Q, np.array([0.0, 0.5 * rh, rh])), 0)


def test_theory_defaults_are_no_current_and_a_reversal_of_0_V():
    """Without I the membrane rests at E_L; a conductance without E_syn reverses at 0 V."""
    assert theory.steady_state(Q) == pytest.approx(Q.E_L)
    t = np.array([0.0, 0.012, 0.024])
    np.testing.assert_allclose(
        theory.charging(Q, t, V0=-50e-3), Q.E_L + (-50e-3 - Q.E_L) * np.exp(-t / 0.012)
    )
    g = 15e-9
    g_tot = 1 / Q.R + g
    assert theory.rheobase(Q, g) == pytest.approx(Q.V_th * g_tot - Q.E_L / Q.R, rel=1e-12)
    I = 2e-9
    assert theory.firing_rate(Q, I, g) == pytest.approx(rate_by_hand(Q, I, g, 0.0), rel=1e-12)
    V_inf = (Q.E_L / Q.R + I) / g_tot
    T = Q.C / g_tot * math.log((V_inf - Q.V_reset) / (V_inf - Q.V_th))
    assert theory.time_to_threshold(Q, I, g) == pytest.approx(T, rel=1e-12)


def test_a_2_d_parameter_and_an_unknown_unit_are_refused_with_what_was_given():
    with pytest.raises(ValueError, match=r"^R must be .*got an array of shape \(2, 2\)$"):
        LIFParams(R=np.full((2, 2), 1e7))
    with pytest.raises(ValueError, match=r"^unknown unit 'furlong' \(known: V, mV, s, ms, "):
        to_si(1.0, "furlong")


def test_time_to_threshold_is_infinite_exactly_at_the_rheobase_without_warnings():
    rh = (Q.V_th - Q.E_L) / Q.R
    assert Q.E_L + Q.R * rh == Q.V_th  # this current puts V_inf exactly on threshold
    assert theory.time_to_threshold(Q, rh) == math.inf


def test_a_population_of_the_wrong_size_is_refused_with_both_sizes():
    p = LIFParams(R=np.array([1e7, 2e7, 3e7]))
    with pytest.raises(ValueError, match=r"R has 3 values but the simulation has 2 neurons"):
        p.as_arrays(2)
