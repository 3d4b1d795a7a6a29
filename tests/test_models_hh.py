"""The Hodgkin–Huxley membrane (lif_core.models.hh) against the literature and by convergence.

Literature values checked (1952 squid axon, rest near −65 mV, 6.3 °C; Dayan & Abbott 2001,
ch. 5; Rinzel & Miller 1980 for the bifurcations): rest −65.0 mV; a pulse-evoked spike
peaks above 0 mV (near +40 mV), lasts about a millisecond and undershoots towards E_K;
repetitive firing starts for DC steps between 6 and 10 µA/cm² at a nonzero rate (class 2),
here at 6.26 µA/cm² and 51 Hz with the protocol of lif_core.analysis.beyond.FI_PROTOCOL;
the resting state loses stability at 9.78 µA/cm² (Hopf); in between the membrane is
bistable. The patch has 1e-3 cm², so 1 nA is 1 µA/cm².

Convergence (staggered exponential scheme): halving dt from 0.025 ms moves the spike time
by less than 5 µs, and each halving divides the change by about 4 (second order).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from lif_core import stimulus
from lif_core.analysis.beyond import FI_DT, FI_DURATION, FI_SKIP, HH_ONSET, hh_rate, hopf_current
from lif_core.models import hh
from lif_core.models.hh import DT_HH, HHParams, HHState, resting_state, simulate_hh
from tests.reference import hh_published_rates

P = HHParams()


def pulse_run(amplitude: float, dt: float = DT_HH, width: float = 1e-3, params=P):
    I = stimulus.pulse(amplitude, 2e-3, width, 25e-3, dt)
    return simulate_hh(params, I, duration=25e-3, dt=dt)


# ------------------------------------------------------------------ parameters and rates


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("g_L", 0.0, "g_L > 0"),
        ("C_m", -1e-2, "C_m > 0"),
        ("temperature", 50.0, "temperature <= 40"),
        ("area", 0.0, "area > 0"),
        ("E_K", 0.2, "E_K <= 0.15"),
        ("g_Na", math.nan, "finite"),
    ],
)
def test_bad_parameters_name_value_and_range(field, value, words):
    with pytest.raises(ValueError, match=field) as err:
        HHParams(**{field: value})
    assert words in str(err.value)


def test_reversal_order_is_checked():
    with pytest.raises(ValueError, match=r"E_Na .* must be above E_K"):
        HHParams(E_Na=-80e-3)


def test_defaults_are_the_textbook_squid_axon_in_si():
    assert P.C == pytest.approx(1e-9)  # 1 µF/cm² × 1e-3 cm²
    assert P.g_Na / 10 == pytest.approx(120.0)  # S/m² -> mS/cm²
    assert P.phi == 1.0
    assert HHParams(temperature=16.3).phi == pytest.approx(3.0)


def test_rates_at_the_removable_singularities_are_the_limits():
    assert hh.gate_rates(-55e-3)[0] == pytest.approx(100.0, rel=1e-9)  # alpha_n: 0.1 per ms
    assert hh.gate_rates(-40e-3)[2] == pytest.approx(1000.0, rel=1e-9)  # alpha_m: 1 per ms
    # continuous through them, scalar and array versions alike
    near = np.array([-55e-3 - 1e-9, -55e-3 + 1e-9, -40e-3 - 1e-9, -40e-3 + 1e-9])
    rates = hh.gate_rates(near)
    assert rates[0][:2] == pytest.approx([100.0, 100.0], rel=1e-6)
    assert rates[2][2:] == pytest.approx([1000.0, 1000.0], rel=1e-6)
    assert hh.gate_rates(float(near[0]))[0] == pytest.approx(rates[0][0], rel=1e-12)


def test_rates_match_the_formulas_at_a_generic_potential():
    v = -30.0  # mV
    got = hh.gate_rates(v * 1e-3, phi=2.0)
    assert np.array(got) == pytest.approx(2 * np.array(hh_published_rates(v)), rel=1e-12)


# ------------------------------------------------------------------ rest and stability


def test_rest_is_minus_65_mV_and_holds_without_current():
    rest = resting_state(P)
    assert rest.V == pytest.approx(-65e-3, abs=0.01e-3)
    assert hh.steady_current(P, rest.V) == pytest.approx(0.0, abs=1e-18)
    run = simulate_hh(P, 0.0, duration=50e-3)
    assert np.ptp(run.V) < 1e-9  # it stays there (gates start at steady state)
    assert run.spike_times[0].size == 0


def test_rest_is_a_stable_focus_that_rings_at_61_Hz():
    ev = hh.stability(P, 0.0)
    assert np.all(ev.real < 0)
    pair = ev[ev.imag != 0]
    assert pair.size == 2
    assert abs(pair[0].imag) / (2 * np.pi) == pytest.approx(61.0, abs=0.5)


def test_hopf_at_9_78_uA_per_cm2():
    I_hopf = hopf_current(P)
    assert I_hopf == pytest.approx(9.78e-9, abs=0.02e-9)
    assert hh.stability(P, I_hopf - 0.05e-9)[0].real < 0 < hh.stability(P, I_hopf + 0.05e-9)[0].real


# ------------------------------------------------------------------ the action potential


def test_pulse_evoked_spike_shape_matches_the_literature():
    run = pulse_run(12e-9)
    V = run.V[0]
    assert run.spike_times[0].size == 1
    peak = V.max()
    assert 35e-3 < peak < 45e-3  # overshoot above 0 mV (about +40 mV)
    rest = V[0]
    half = 0.5 * (rest + peak)
    above = run.t[V >= half]
    assert 1.0e-3 < above[-1] - above[0] < 2.0e-3  # about a millisecond at half amplitude
    ahp = V[np.argmax(V) :].min()
    assert P.E_K < ahp < rest - 5e-3  # undershoots towards E_K
    # the spike time is the interpolated upward crossing of 0 mV
    k = int(np.flatnonzero((V[:-1] < 0) & (V[1:] >= 0))[0])
    t_cross = run.t[k] + (0 - V[k]) / (V[k + 1] - V[k]) * DT_HH
    assert run.spike_times[0][0] == pytest.approx(t_cross, abs=1e-15)


def test_spike_time_converges_at_second_order():
    times = [pulse_run(12e-9, dt=DT_HH / 2**k).spike_times[0][0] for k in range(4)]
    changes = np.abs(np.diff(times))
    assert changes[0] < 5e-6  # halving 0.025 ms moves the spike by < 5 µs
    ratios = changes[:-1] / changes[1:]
    assert np.all((ratios > 3.0) & (ratios < 5.5)), ratios


def test_warmer_axon_fires_narrower_spikes():
    def half_width(params):
        run = pulse_run(20e-9, dt=DT_HH / 2, params=params)
        V = run.V[0]
        half = 0.5 * (V[0] + V.max())
        above = run.t[V >= half]
        return above[-1] - above[0]

    assert half_width(P.replace(temperature=18.5)) < 0.5 * half_width(P)


def test_scalar_and_vector_engines_agree():
    currents = np.linspace(0.0, 16e-9, hh.SCALAR_MAX + 1)  # more than SCALAR_MAX: numpy pass
    I = np.array([stimulus.pulse(c, 2e-3, 3e-3, 20e-3, DT_HH) for c in currents])
    together = simulate_hh(P, I, duration=20e-3)
    for i in (0, 4, len(currents) - 1):
        alone = simulate_hh(P, I[i], duration=20e-3)
        assert np.abs(together.V[i] - alone.V[0]).max() < 1e-12
        assert together.spike_times[i] == pytest.approx(alone.spike_times[0], abs=1e-15)
    assert together.spike_times[0].size == 0 and together.spike_times[-1].size >= 1


def test_bad_inputs_are_refused():
    with pytest.raises(ValueError, match="dt"):
        simulate_hh(P, 0.0, duration=0.01, dt=1e-3)
    with pytest.raises(ValueError, match="I has 3 values"):
        simulate_hh(P, [1.0, 2.0, 3.0], duration=0.01)
    with pytest.raises(ValueError, match="params must be an HHParams"):
        simulate_hh(object(), 0.0, duration=0.01)


# ------------------------------------------------------------------ class 2 excitability


def protocol_rate(I: float) -> float:
    run = simulate_hh(P, I, duration=FI_DURATION, dt=FI_DT)
    return hh_rate(run.spike_times[0], FI_SKIP)


def test_class_2_onset_jumps_to_a_nonzero_rate():
    """Onset 6.26 µA/cm² (within the literature's 6–10) at about 51 Hz: no low rates."""
    below = protocol_rate(HH_ONSET - 0.02e-9)
    above = protocol_rate(HH_ONSET + 0.02e-9)
    assert below == 0.0
    assert 45.0 < above < 56.0
    assert 6e-9 < HH_ONSET < 10e-9


def test_onset_below_and_single_spike_phasic_response():
    run = simulate_hh(P, 4e-9, duration=0.3)
    assert run.spike_times[0].size == 1  # one spike at the onset, then rest


def test_bistable_between_onset_and_hopf():
    """At 8 µA/cm² a step from rest fires, the resting state of 8 µA/cm² persists."""
    stepped = simulate_hh(P, 8e-9, duration=0.3)
    assert stepped.spike_times[0].size > 10
    rest8 = resting_state(P, 8e-9)
    nudged = HHState(rest8.V + 0.5e-3, rest8.n, rest8.m, rest8.h)
    held = simulate_hh(P, 8e-9, duration=0.3, state0=nudged)
    assert held.spike_times[0].size == 0
    assert abs(held.V[0, -1] - rest8.V) < 0.1e-3  # the nudge dies out
