"""Mutation-driven checks of the engine's runs in lif_core.analysis.numerics.

:func:`~lif_core.analysis.numerics.method_trace` and
:func:`~lif_core.analysis.numerics.error_sweep` score the engine (:func:`lif_core.fi_curve`
for the rate, :func:`lif_core.simulate` for the first spike) against the closed form.
These tests pin the windows those runs use, where the existing tests leave them open:

- the rate is measured over :data:`RATE_DURATION` rounded up to whole steps, so a second
  spike inside the last step still gives the exact rate (method trace and sweep);
- the first spike is looked for up to the closed-form ``T1`` (plus two steps), however late
  (a slow membrane, ``T1`` > 1 s) or early (``T1`` < 0.1 ms, shorter than the default step);
- the sweep runs the engine for about :data:`ENGINE_INTERVALS` intervals only, which keeps
  its rate error at round-off even at microsecond steps.

Every expected value is the closed form of :mod:`lif_core.theory`; parameters keep
``V_reset != E_L`` and ``t_ref`` off the grid.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from lif_core import LIFParams, theory
from lif_core.analysis import numerics as nm

I_EDGE = 2e-9  # A: V_inf = -45 mV, T1 = 13.86 ms, T = 10.99 ms
DT_EDGE = 7e-4  # s: 1 s is not a whole number of steps; the window is 1429 steps = 1.0003 s
# t_ref chosen so that the second spike, T1 + t_ref + T, falls at 1.000149 s: after
# RATE_DURATION = 1 s, inside the last (whole) step of the measuring window
EDGE = LIFParams(R=10e6, C=1e-9, E_L=-65e-3, V_th=-50e-3, V_reset=-60e-3, t_ref=0.9753)


def _second_spike(p: LIFParams, I: float) -> float:
    return nm.first_spike_theory(p, I) + 1.0 / float(theory.firing_rate(p, I))


def test_edge_neuron_fires_its_second_spike_in_the_last_step() -> None:
    """The set-up of the two tests below: spike 2 after 1 s, within the whole-step window."""
    second = _second_spike(EDGE, I_EDGE)
    assert 1.0 < second < nm._steps(nm.RATE_DURATION, DT_EDGE)
    assert nm._steps(nm.RATE_DURATION, DT_EDGE) == pytest.approx(1.0003, abs=1e-12)


def test_method_trace_engine_rate_counts_a_spike_in_the_last_whole_step() -> None:
    """The engine's rate window is RATE_DURATION in whole steps, as for the teaching
    integrators: its two spikes give the exact rate 1 / (t_ref + T), not 'too few spikes'."""
    m = nm.method_trace(EDGE, I_EDGE, DT_EDGE, 0.05, nm.ENGINE)
    rate0 = float(theory.firing_rate(EDGE, I_EDGE))
    # the engine's crossing and refractory end are closed form: round-off only (~1e-15)
    assert m.rate == pytest.approx(rate0, rel=1e-9)
    assert abs(m.rate_error) < 1e-9 * rate0


def test_error_sweep_engine_rate_counts_a_spike_in_the_last_whole_step() -> None:
    """At ~1 Hz the sweep measures the engine over the whole RATE_DURATION (11 intervals
    would take 11 s), in whole steps: the spike at 1.00015 s counts, the error is round-off."""
    s = nm.error_sweep(EDGE, I_EDGE, np.array([DT_EDGE]))
    # 1 / (t_ref + tau ln 3), computed independently of lif_core.theory
    assert s.rate_theory == pytest.approx(1.0 / (0.9753 + 10e-3 * math.log(3.0)), rel=1e-12)
    # round-off of a rate from spike times ~1 s apart: a few ulps of ~1 Hz, far below 1e-9 Hz
    assert s.rate_error[nm.ENGINE.name][0] < 1e-9


def test_error_sweep_scores_an_engine_first_spike_later_than_one_second() -> None:
    """A slow membrane (tau = 1 s): the first spike comes at T1 = tau ln 4 = 1.386 s, after
    RATE_DURATION. The engine is still run up to it and scored: its error is round-off."""
    slow = LIFParams(R=10e6, C=1e-7, E_L=-65e-3, V_th=-50e-3, V_reset=-60e-3, t_ref=2.05e-3)
    s = nm.error_sweep(slow, I_EDGE, np.array([1e-3, 2e-3]))
    assert s.first_spike_theory == pytest.approx(math.log(4.0), rel=1e-12)
    engine = s.first_spike_error[nm.ENGINE.name]
    # closed-form crossing: round-off of a 1.4 s time is ~2e-16 s; 1e-12 s leaves room
    assert np.all(engine < 1e-12)
    # the teaching integrators run only RATE_DURATION: no first spike to score (inf)
    assert np.all(np.isinf(s.first_spike_error[nm.EULER.name]))


def test_error_sweep_scores_a_first_spike_earlier_than_the_default_step() -> None:
    """A fast membrane (tau = 100 µs) under 5 nA: T1 = tau ln(50/35) = 35.7 µs, and the engine's
    first-spike run (T1 + 2 dt, 60-80 µs) is shorter than simulate's default step of 0.1 ms.
    It runs at the sweep's dt and hits T1 to round-off."""
    fast = LIFParams(R=10e6, C=1e-11, E_L=-65e-3, V_th=-50e-3, V_reset=-60e-3, t_ref=2.05e-3)
    s = nm.error_sweep(fast, 5e-9, np.array([1e-5, 2e-5]))
    assert s.first_spike_theory == pytest.approx(1e-4 * math.log(50 / 35), rel=1e-12)
    # round-off of a 36 µs time is ~1e-20 s; 1e-15 s leaves room
    assert np.all(s.first_spike_error[nm.ENGINE.name] < 1e-15)
    # and the rate (engine over ~11 intervals of 2.075 ms) is exact too
    assert np.all(s.rate_error[nm.ENGINE.name] < 1e-9 * s.rate_theory)


def test_error_sweep_engine_rate_stays_at_round_off_at_microsecond_steps() -> None:
    """The sweep runs the engine for about ENGINE_INTERVALS intervals (~50 ms at 220 Hz), not a
    whole second: the few thousand exact steps keep the rate error within a few ulps, so the
    engine's line in the error plot stays on the round-off floor at the smallest dt."""
    p = LIFParams(R=10e6, C=1e-9, E_L=-65e-3, V_th=-50e-3, V_reset=-60e-3, t_ref=2.05e-3)
    s = nm.error_sweep(p, 5e-9, np.array([2.5e-6, 5e-6, 1e-5]))
    ulps = s.rate_error[nm.ENGINE.name] / s.rate_floor
    # ~11 intervals: 0-4 ulps here; a 1 s run (100 000-400 000 steps) drifts to 10-40 ulps
    assert np.all(ulps <= 8)
