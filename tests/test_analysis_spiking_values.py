"""Chapter 3's analysis (lif_core.analysis.spiking): edge cases of the rate and the start.

Closed forms are written out by hand here. Neurons tell formulas apart: V_reset ≠ E_L,
t_ref off the time grid, a resting potential at threshold.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from lif_core import LIFParams, theory
from lif_core.analysis import spiking as spk

#: V_reset ≠ E_L, t_ref = 2.35 ms (off the 0.05 ms grid), τ = 12 ms.
Q = LIFParams(R=20e6, C=0.6e-9, E_L=-68e-3, V_th=-51e-3, V_reset=-61e-3, t_ref=2.35e-3)


def time_to_threshold(p: LIFParams, I: float, V0: float) -> float:
    """τ ln((V∞ − V0)/(V∞ − V_th)), V∞ = E_L + R I."""
    V_inf = p.E_L + p.R * I
    return p.R * p.C * math.log((V_inf - V0) / (V_inf - p.V_th))


def test_two_spikes_give_the_rate_of_their_one_interval():
    assert spk.mean_rate(np.array([0.1, 0.35])) == pytest.approx(4.0)
    assert spk.mean_rate([0.0, 0.1, 0.3]) == pytest.approx(1 / 0.15)
    assert spk.mean_rate([0.2]) == 0.0


def test_a_neuron_resting_at_threshold_starts_from_reset():
    """E_L = V_th: the neuron starts as if it had just fired (V0 = V_reset), not at E_L."""
    p = Q.replace(E_L=Q.V_th)
    assert spk.start_potential(p) == p.V_reset
    I = 0.2e-9
    exp = spk.spiking_experiment(p, I, "constant", duration=0.2)
    assert exp.V0 == p.V_reset
    assert exp.V[0] == pytest.approx(p.V_reset)
    # first spike: from V_reset (not from E_L) up to V_th, under V∞ = E_L + R I
    assert exp.spike_times[0] == pytest.approx(time_to_threshold(p, I, p.V_reset), rel=1e-4)


def test_the_default_input_is_a_constant_current_from_t_0():
    exp = spk.spiking_experiment(Q, 1.5e-9, duration=0.1)
    assert exp.kind == "constant"
    assert exp.amplitude == pytest.approx(1.5e-9)
    np.testing.assert_allclose(exp.I, 1.5e-9)
    assert exp.spike_times[0] == pytest.approx(time_to_threshold(Q, 1.5e-9, Q.E_L), rel=1e-4)


def test_the_default_step_switches_on_inside_the_default_window():
    exp = spk.spiking_experiment(Q, 1.5e-9, "step")
    assert 0.0 < exp.onset < exp.duration
    assert exp.I[0] == 0.0 and exp.I[-1] == pytest.approx(1.5e-9)
    assert exp.spike_times.size > 2
    first = exp.onset + time_to_threshold(Q, 1.5e-9, Q.E_L)
    assert exp.spike_times[0] == pytest.approx(first, rel=1e-3)


def test_a_rate_below_1_hz_still_reports_its_interval():
    """Slow membrane just above rheobase: one ISI of ~1.25 s, rate 0.8 Hz."""
    p = LIFParams(R=1e9, C=0.2e-9, E_L=-70e-3, V_th=-50e-3, V_reset=-60e-3, t_ref=2.5e-3)
    I = (p.V_th - p.E_L + 0.03e-3) / p.R
    isi = p.t_ref + time_to_threshold(p, I, p.V_reset)
    assert 1.0 < isi < 1.5
    exp = spk.spiking_experiment(p, I, "constant", duration=3.2, dt=1e-3)
    assert exp.spike_times.size >= 2
    assert exp.rate == pytest.approx(1 / isi, rel=1e-3)
    assert exp.isi == pytest.approx(isi, rel=1e-3)


def test_a_current_exactly_at_rheobase_is_not_above_it():
    """At I = (V_th − E_L)/R the membrane only approaches threshold: no steady firing."""
    rh = float(theory.rheobase(Q))
    assert rh == pytest.approx((Q.V_th - Q.E_L) / Q.R)
    at = spk.spiking_experiment(Q, rh, "constant", duration=0.1)
    assert at.rheobase == rh
    assert at.above_rheobase is False
    assert at.rate_theory == 0.0
    above = spk.spiking_experiment(Q, 1.01 * rh, "constant", duration=0.1)
    assert above.above_rheobase is True
