"""lif_core._validate: what a refusal says when the value was given as an integer.

The message shows the value as the float it is checked as (``-5.0``, not ``-5``), with its
unit and the allowed range, whatever type the caller passed.
"""

from __future__ import annotations

import pytest

from lif_core import LIFParams
from lif_core._validate import check_range
from lif_core.models.hh import HHParams


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"R": -5}, "R = -5.0 Ω is out of range (allowed: R > 0 Ω)"),
        ({"C": 0}, "C = 0.0 F is out of range (allowed: C > 0 F)"),
        ({"t_ref": -1}, "t_ref = -1.0 s is out of range (allowed: t_ref >= 0 s)"),
    ],
)
def test_an_integer_out_of_range_is_shown_as_the_float_it_is_checked_as(fields, message):
    with pytest.raises(ValueError) as err:
        LIFParams(**fields)
    assert str(err.value) == message


def test_both_bounds_are_named_with_the_unit():
    with pytest.raises(ValueError) as err:
        check_range("p", 3, low=0.0, high=1.0, unit="Hz")
    assert str(err.value) == "p = 3.0 Hz is out of range (allowed: p >= 0 Hz and p <= 1 Hz)"


def test_the_upper_bound_itself_is_allowed():
    """HH at 40 °C (the top of its range) is accepted; 40.5 °C is refused, by name."""
    assert HHParams(temperature=40.0).temperature == 40.0
    with pytest.raises(ValueError) as err:
        HHParams(temperature=40.5)
    assert str(err.value) == (
        "temperature = 40.5 °C is out of range "
        "(allowed: temperature >= 0 °C and temperature <= 40 °C)"
    )
