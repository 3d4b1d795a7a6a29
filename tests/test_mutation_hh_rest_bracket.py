"""The reach of the Hodgkin–Huxley resting-state search (lif_core.models.hh.resting_state).

Covers: the bracket [−100, +50] mV widened by 100 mV a side up to ten times, i.e. out to
[−1.1, +1.05] V. A current whose rest lies well inside that reach (−1.0, −1.05, +1.0,
+1.04 V) gets that rest, a fixed point of the steady I–V curve; a current whose rest lies
beyond it, just (−1.15, +1.1 V) or far (−1.5, +1.5 V), on either side, is refused with the
exact message naming ``I``.

Written against mutation-testing survivors of ``resting_state`` (the bracket's start, its
widening step and the number of widenings); each check is a potential the caller asked for
through its current, or the exact text of a refusal.
"""

from __future__ import annotations

import pytest
from refusals import whole

from lif_core.models.hh import HHParams, resting_state, steady_current


@pytest.mark.parametrize("V", [-1.0, -1.05, 1.0, 1.04])
def test_a_rest_inside_the_widened_bracket_is_found(V: float) -> None:
    params = HHParams()
    I = float(steady_current(params, V))  # the current that holds the membrane at V
    rest = resting_state(params, I)
    # the steady I-V curve increases monotonically, so V is the one rest; 60 halvings of a
    # bracket at most 2.15 V wide leave round-off (about 1e-16 V), far inside 1e-12 V
    assert rest.V == pytest.approx(V, rel=0, abs=1e-12)
    # at rest the ionic current balances I (the curve's slope is ~0.3 µA/V here: 1e-12 V
    # of round-off in V is below 1e-18 A)
    assert float(steady_current(params, rest.V)) == pytest.approx(I, rel=0, abs=1e-15)


@pytest.mark.parametrize("V", [-1.15, -1.5, 1.1, 1.5])
def test_a_rest_beyond_the_widened_bracket_is_refused_by_name(V: float) -> None:
    params = HHParams()
    I = float(steady_current(params, V))  # holds the membrane 50 mV or more outside the reach
    message = (
        f"I = {I} A holds the membrane beyond [-1100, +1050] mV: "
        "no resting state in the model's range"
    )
    with pytest.raises(ValueError, match=whole(message)):
        resting_state(params, I)
