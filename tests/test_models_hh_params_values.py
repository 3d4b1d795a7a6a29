"""lif_core.models.hh.HHParams: the allowed ranges at their edges, and what a refusal says
(the parameter, its value, the range and its unit: F/m², S/m², V, °C, m²).
"""

from __future__ import annotations

import re

import numpy as np
import pytest

from lif_core.models.hh import HHParams


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"C_m": 0.0}, "C_m = 0.0 F/m² is out of range (allowed: C_m > 0 F/m²)"),
        ({"g_Na": -1.0}, "g_Na = -1.0 S/m² is out of range (allowed: g_Na >= 0 S/m²)"),
        ({"g_K": -1.0}, "g_K = -1.0 S/m² is out of range (allowed: g_K >= 0 S/m²)"),
        ({"g_L": 0.0}, "g_L = 0.0 S/m² is out of range (allowed: g_L > 0 S/m²)"),
        (
            {"E_L": -0.2},
            "E_L = -0.2 V is out of range (allowed: E_L >= -0.15 V and E_L <= 0.15 V)",
        ),
        (
            {"E_K": 0.16},
            "E_K = 0.16 V is out of range (allowed: E_K >= -0.15 V and E_K <= 0.15 V)",
        ),
        (
            {"temperature": -1.0},
            "temperature = -1.0 °C is out of range "
            "(allowed: temperature >= 0 °C and temperature <= 40 °C)",
        ),
        ({"area": 0.0}, "area = 0.0 m² is out of range (allowed: area > 0 m²)"),
        ({"g_Na": np.array([1.0, 2.0])}, "g_Na must be a number, got shape (2,)"),
        ({"E_Na": -0.077, "E_K": -0.077}, "E_Na = -0.077 V must be above E_K = -0.077 V"),
    ],
)
def test_a_refusal_names_the_parameter_its_value_and_the_range(changes, message):
    with pytest.raises(ValueError, match="^" + re.escape(message)):
        HHParams(**changes)


def test_values_at_the_edges_of_the_ranges_are_allowed():
    """No sodium (a passive patch), half a S/m², −150 mV, 0.5 °C: all valid."""
    assert HHParams(g_Na=0.0).g_Na == 0.0
    assert HHParams(g_Na=0.5, g_K=0.5).g_K == 0.5
    assert HHParams(E_L=-0.15).E_L == -0.15
    assert HHParams(E_K=-0.15).E_K == -0.15
    p = HHParams(temperature=0.5)
    assert p.phi == pytest.approx(3.0 ** ((0.5 - 6.3) / 10))
