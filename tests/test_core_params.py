"""LIFParams: derived quantities, presets and validation messages."""

from __future__ import annotations

import math

import numpy as np
import pytest

from lif_core import PRESETS, LIFParams


def test_tau_and_rheobase_follow_from_the_fields():
    p = LIFParams(R=20e6, C=0.5e-9, E_L=-70e-3, V_th=-52e-3)
    assert p.tau == pytest.approx(10e-3, rel=1e-12)
    assert p.rheobase == pytest.approx(18e-3 / 20e6, rel=1e-12)


def test_presets_cite_a_source_and_match_the_textbook_values():
    da = PRESETS["Dayan & Abbott"].params
    assert (da.E_L, da.V_reset, da.V_th) == (-65e-3, -65e-3, -50e-3)
    assert da.tau == pytest.approx(10e-3) and da.R == 10e6
    gk = PRESETS["Gerstner et al."].params
    assert (gk.E_L, gk.V_reset, gk.V_th, gk.t_ref) == (-70e-3, -65e-3, -50e-3, 2e-3)
    assert gk.tau == pytest.approx(8e-3)
    for preset in PRESETS.values():
        assert "(20" in preset.source  # a year in parentheses: the literature source


@pytest.mark.parametrize(
    ("changes", "fragments"),
    [
        ({"R": 0.0}, ["R = 0.0", "R > 0"]),
        ({"R": -5e6}, ["R = -5000000.0", "R > 0"]),
        ({"C": -1e-9}, ["C = -1e-09", "C > 0"]),
        ({"t_ref": -1e-3}, ["t_ref = -0.001", "t_ref >= 0"]),
        ({"V_reset": -50e-3}, ["V_reset = -0.05", "V_th = -0.05", "V_reset < V_th"]),
        ({"V_reset": -40e-3}, ["V_reset = -0.04", "V_reset < V_th"]),
        ({"E_L": math.nan}, ["E_L", "finite", "nan"]),
        ({"V_th": math.inf}, ["V_th", "finite", "inf"]),
        ({"C": "1 nF"}, ["C", "finite", "1 nF"]),
        ({"R": np.ones((2, 2))}, ["R", "1-D"]),
    ],
)
def test_invalid_parameters_name_the_parameter_value_and_range(changes, fragments):
    with pytest.raises(ValueError) as info:
        LIFParams(**changes)
    for fragment in fragments:
        assert fragment in str(info.value)


def test_replace_validates_again():
    with pytest.raises(ValueError, match="V_reset"):
        LIFParams().replace(V_th=-70e-3)


def test_array_fields_describe_several_neurons():
    p = LIFParams(R=np.array([10e6, 20e6, 40e6]))
    assert p.n_neurons == 3
    np.testing.assert_allclose(p.tau, [10e-3, 20e-3, 40e-3])
    with pytest.raises(ValueError, match="different lengths"):
        _ = LIFParams(R=np.array([1e7, 2e7]), C=np.array([1e-9, 1e-9, 1e-9])).n_neurons
