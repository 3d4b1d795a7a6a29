"""The time grid (lif_core/_grid.py) through the public API: step counts, where the last step
ends, and the messages for a bad duration or dt.

The counts are checked at the edges of the round-off rule (``duration / dt`` within a relative
1e-9 of a whole number counts as that number), where a changed comparison or tolerance gives
one step more or less.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

from lif_core import LIFParams, simulate
from lif_core.stimulus import pulse, ramp, time_grid

P = LIFParams()


@pytest.mark.parametrize(
    ("duration", "dt", "n"),
    [
        (1.0, 1e-4, 10000),
        (0.3, 0.1, 3),  # 0.3 / 0.1 = 2.9999999999999996: round-off, three steps
        (0.25, 0.1, 3),  # not a multiple: ceil, the last step is shorter
        (0.1, 0.1, 1),  # dt = duration: one step
        (1e-3 * (1 + 5e-10), 1e-3, 1),  # within round-off above one step
        (10e-3 * (1 + 5e-10), 1e-3, 10),  # within round-off above 10 steps
        (10e-3 * (1 + 5e-9), 1e-3, 11),  # beyond round-off: one more (tiny) step
        (10e-3 * (1 - 5e-9), 1e-3, 10),  # just short of 10 steps: still 10
        (1e-3 * (1 + 1.5e-9), 1e-3, 2),  # 1.5e-9 above one step: beyond round-off
    ],
)
def test_number_of_steps(duration, dt, n):
    t = time_grid(duration, dt)
    assert t.size == n
    np.testing.assert_array_equal(t, np.arange(n) * dt)


def test_a_ratio_exactly_at_the_tolerance_counts_as_whole():
    # 1e-9 * 1953125 is 2**-9 exactly, so duration / dt - 1953125 equals the tolerance itself
    whole = 1953125
    assert 1e-9 * whole == 2**-9
    assert time_grid(whole + 2**-9, 1.0).size == whole
    assert time_grid(whole + 2**-8, 1.0).size == whole + 1


def test_dt_a_hair_longer_than_duration_is_one_step_and_beyond_is_refused():
    duration = 1e-3
    assert time_grid(duration, duration * (1 + 1e-9)).size == 1  # the tolerance itself
    assert time_grid(duration, duration * (1 + 0.5e-9)).size == 1
    dt = duration * (1 + 2e-9)
    message = f"dt = {dt!r} s is longer than duration = {duration!r} s (allowed: dt <= duration)"
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        time_grid(duration, dt)
    with pytest.raises(ValueError, match=re.escape("dt = 0.2 s is longer than duration = 0.1 s")):
        simulate(P, duration=0.1, dt=0.2)


@pytest.mark.parametrize(
    ("duration", "dt", "message"),
    [
        (0.0, 1e-4, "duration = 0.0 s is out of range (allowed: duration > 0 s)"),
        (-1.0, 1e-4, "duration = -1.0 s is out of range (allowed: duration > 0 s)"),
        (1.0, 0.0, "dt = 0.0 s is out of range (allowed: dt > 0 s)"),
        (1.0, -1e-4, "dt = -0.0001 s is out of range (allowed: dt > 0 s)"),
        (math.nan, 1e-4, "duration must be a finite number, got nan"),
        (math.inf, 1e-4, "duration must be a finite number, got inf"),
        (1.0, math.nan, "dt must be a finite number, got nan"),
        (1.0, math.inf, "dt must be a finite number, got inf"),
    ],
)
def test_bad_duration_or_dt_is_refused_by_name(duration, dt, message):
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        time_grid(duration, dt)
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        simulate(P, duration=duration, dt=dt)


@pytest.mark.parametrize(
    ("duration", "dt", "end"),
    [
        (0.25, 0.1, 0.25),
        (0.3, 0.1, 0.3),
        (1.0, 1e-4, 1.0),
        (0.1, 0.1, 0.1),
        (10e-3 * (1 + 5e-10), 1e-3, 10 * 1e-3),  # round-off above 10 steps: they end at 10 dt
    ],
)
def test_the_last_step_ends_at_the_duration(duration, dt, end):
    res = simulate(P, I=0.0, duration=duration, dt=dt, spiking=False)
    assert res.duration == end  # exactly: not n_steps * dt (0.30000000000000004)
    assert res.t.size == time_grid(duration, dt).size


def test_a_shorter_last_step_gets_the_mean_of_a_pulse_and_a_ramp():
    # steps [0, 0.1), [0.1, 0.2), [0.2, 0.25): a pulse on [0.15, 0.22) covers half of the
    # second step and 0.02 of the 0.05 s of the last one
    np.testing.assert_allclose(pulse(2.0, 0.15, 0.07, 0.25, 0.1), [0.0, 1.0, 0.8], rtol=1e-12)
    # a ramp from 0 to 1 over 0.25 s: the mean over each step is its midpoint / 0.25
    np.testing.assert_allclose(ramp(0.0, 1.0, 0.25, 0.1), [0.2, 0.6, 0.9], rtol=1e-12)


def test_a_shorter_last_step_is_integrated_for_its_own_length():
    # a passive membrane charging for 0.25 s on steps of 0.1 s: the spike-free exact
    # engine must advance the last step by 0.05 s, not 0.1 s; one more step of the same
    # grid (0.3 s) shows the value the membrane reaches 0.05 s later
    I = 1e-9
    V_inf = P.E_L + P.R * I
    res = simulate(P, I=I, duration=0.25, dt=0.1, spiking=False)
    np.testing.assert_allclose(res.V[0], V_inf + (P.E_L - V_inf) * np.exp(-res.t / P.tau))
    # spikes: the first after T from rest (V_reset = E_L here), then one every t_ref + T,
    # and none after the end of the shorter last step (12.5 ms, not 20 ms)
    assert P.V_reset == P.E_L
    I = 10e-9
    strong = simulate(P, I=I, duration=0.0125, dt=0.01)
    V_inf = P.E_L + P.R * I
    T = P.tau * math.log((V_inf - P.E_L) / (V_inf - P.V_th))
    expected = T + (P.t_ref + T) * np.arange(20)
    expected = expected[expected < 0.0125]
    assert 3 <= expected.size < 20
    np.testing.assert_allclose(strong.spike_times[0], expected, rtol=1e-9)
