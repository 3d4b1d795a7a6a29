"""The analyses of chapters 1-3 (lif_core.analysis.membrane, .spiking) against the closed forms.

Run on a neuron whose numbers tell formulas apart (V_reset ≠ E_L, τ ≠ 10 ms, R ≠ 10 MΩ,
t_ref not a multiple of dt) as well as on the default one.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lif_core import LIFParams, theory
from lif_core.analysis import membrane as mem
from lif_core.analysis import spiking as spk

P = LIFParams()  # Dayan & Abbott: E_L = V_reset = -65 mV, V_th = -50 mV, R = 10 MΩ, τ = 10 ms
#: A neuron that tells formulas apart: τ = 12 ms, rheobase 0.85 nA, V_reset ≠ E_L, t_ref off grid.
Q = LIFParams(R=20e6, C=0.6e-9, E_L=-68e-3, V_th=-51e-3, V_reset=-61e-3, t_ref=2.35e-3)


# --------------------------------------------------------------------------- chapter 1


@pytest.mark.parametrize("p", [P, Q], ids=["default", "odd"])
def test_pulse_simulation_matches_the_closed_form_piece_by_piece(p):
    exp = mem.pulse_experiment(p, 1.3e-9, 0.02, 0.03)
    assert np.max(np.abs(exp.V - exp.V_theory)) < 1e-12
    tau = float(p.tau)
    V_inf = p.E_L + p.R * 1.3e-9
    assert exp.V_inf == pytest.approx(V_inf, rel=1e-12)
    # by hand: rest, charging towards V_inf, discharging from V_end back to E_L
    V_end = V_inf + (p.E_L - V_inf) * math.exp(-0.03 / tau)
    assert exp.V_end == pytest.approx(V_end, rel=1e-12)
    t = exp.t
    expected = np.where(
        t < 0.02,
        p.E_L,
        np.where(
            t < 0.05,
            V_inf + (p.E_L - V_inf) * np.exp(-(t - 0.02) / tau),
            p.E_L + (V_end - p.E_L) * np.exp(-(t - 0.05) / tau),
        ),
    )
    np.testing.assert_allclose(exp.V_theory, expected, rtol=0, atol=1e-12)
    # the window: the pulse and five time constants (at least 20 ms) of discharge
    assert t[-1] + (t[1] - t[0]) == pytest.approx(0.05 + max(5 * tau, 0.02))
    assert exp.I[(t >= 0.02) & (t < 0.05)] == pytest.approx(1.3e-9)
    assert np.all(exp.I[(t < 0.02) | (t >= 0.05)] == 0.0)


def test_pulse_marks_one_tau_after_each_switch():
    exp = mem.pulse_experiment(Q, 2e-9, 0.02, 0.06)
    V_inf = Q.E_L + Q.R * 2e-9
    assert exp.t_63_on == pytest.approx(0.02 + Q.tau)
    assert (exp.V_63_on - Q.E_L) / (V_inf - Q.E_L) == pytest.approx(1 - math.exp(-1))
    assert exp.t_63_off == pytest.approx(0.08 + Q.tau)
    assert (exp.V_end - exp.V_63_off) / (exp.V_end - Q.E_L) == pytest.approx(1 - math.exp(-1))
    assert mem.ONE_MINUS_INV_E == pytest.approx(0.6321205588)


def test_pulse_shorter_than_tau_has_no_charging_mark():
    exp = mem.pulse_experiment(Q, 1e-9, 0.02, 0.005)
    assert math.isnan(exp.t_63_on) and math.isnan(exp.V_63_on)
    assert math.isfinite(exp.t_63_off)
    assert exp.V_end < exp.V_inf


def test_resistive_and_capacitive_currents_each_follow_their_own_physics():
    """I_R from the drawn V by Ohm's law; I_C = C dV/dt by finite differences of V."""
    exp = mem.pulse_experiment(Q, 1.5e-9, 0.02, 0.06)
    np.testing.assert_allclose(exp.I_R, (exp.V - Q.E_L) / Q.R, rtol=0, atol=1e-21)
    dt = exp.t[1] - exp.t[0]
    # central difference of V at the grid midpoints against the mean of I_C over the step:
    # both are C dV/dt to O(dt^2) (|V'''| τ^2 ~ |V - V_inf|), away from the switches
    dVdt = np.diff(exp.V) / dt
    I_C_mid = (exp.I_C[:-1] + exp.I_C[1:]) / 2
    smooth = np.diff(exp.I) == 0
    bound = 1.5e-9 * (dt / Q.tau) ** 2  # amplitude × (dt/τ)^2
    np.testing.assert_allclose(Q.C * dVdt[smooth], I_C_mid[smooth], rtol=0, atol=bound)
    on = (exp.t >= 0.02) & (exp.t < 0.08)
    assert exp.I_C[on][0] == pytest.approx(1.5e-9, rel=1e-9)  # all charges the capacitor first
    assert exp.I_R[on][-1] == pytest.approx(1.5e-9 * (1 - math.exp(-0.06 / Q.tau)), rel=1e-6)


def test_choose_dt_resolves_tau_and_divides_a_millisecond():
    assert mem.choose_dt(10e-3, 0.1) == 1e-4
    assert mem.choose_dt(0.9e-3, 0.1) == 5e-5
    assert mem.choose_dt(0.1e-3, 0.1) == 1e-5
    assert mem.choose_dt(0.04e-3, 0.1) == 5e-6
    # a long run falls back to the largest step that keeps it within max_steps
    assert mem.choose_dt(0.1e-3, 1.0) == 2e-5  # 1e-5 would need 100 000 steps: 50 000
    assert mem.choose_dt(0.1e-3, 1.0, max_steps=10**6) == 1e-5
    assert mem.choose_dt(0.2e-3, 0.2) == 2e-5


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    R=st.floats(1e6, 200e6),
    C=st.floats(0.1e-9, 2e-9),
    E_L=st.floats(-90e-3, -50e-3),
    amplitude=st.floats(-3e-9, 3e-9),
    onset=st.integers(0, 100),
    width=st.integers(1, 200),
)
def test_pulse_experiment_any_slider_values(R, C, E_L, amplitude, onset, width):
    p = P.replace(R=R, C=C, E_L=E_L)
    exp = mem.pulse_experiment(p, amplitude, onset * 1e-3, width * 1e-3)
    assert np.max(np.abs(exp.V - exp.V_theory)) < 1e-12 + 1e-9 * abs(R * amplitude)
    assert exp.V_inf == pytest.approx(E_L + R * amplitude)


# --------------------------------------------------------------------------- chapter 2


@pytest.mark.parametrize("p", [P, Q], ids=["default", "odd"])
def test_phase_line_is_straight_through_the_fixed_point(p):
    rel = mem.relaxation_experiment(p, 0.7e-9)
    V_inf = p.E_L + p.R * 0.7e-9
    assert rel.V_inf == pytest.approx(V_inf)
    np.testing.assert_allclose(rel.dVdt, (V_inf - rel.V_grid) / p.tau, rtol=1e-12)
    np.testing.assert_allclose(rel.dVdt_starts, (V_inf - rel.starts) / p.tau, rtol=1e-12)
    # the grid spans every start and the fixed point with 10 mV to spare
    assert rel.V_grid[0] == pytest.approx(min(rel.starts.min(), V_inf) - 10e-3)
    assert rel.V_grid[-1] == pytest.approx(max(rel.starts.max(), V_inf) + 10e-3)
    np.testing.assert_allclose(rel.starts, np.arange(-90, -29, 10) * 1e-3)


@pytest.mark.parametrize("p", [P, Q], ids=["default", "odd"])
def test_trajectories_relax_exactly_to_the_fixed_point(p):
    rel = mem.relaxation_experiment(p, -0.4e-9)
    t = rel.t
    expected = rel.V_inf + (rel.starts[:, None] - rel.V_inf) * np.exp(-t[None, :] / p.tau)
    np.testing.assert_allclose(rel.V, expected, rtol=0, atol=1e-12)
    np.testing.assert_allclose(rel.V_theory, expected, rtol=0, atol=1e-12)
    # five time constants (at least 5 ms), sampled 2000 times
    assert len(t) == 2000
    assert t[-1] + (t[1] - t[0]) == pytest.approx(max(5 * p.tau, 5e-3))


# --------------------------------------------------------------------------- chapter 3


@pytest.mark.parametrize("p", [P, Q], ids=["default", "odd"])
def test_spiking_rate_and_isi_match_the_closed_form(p):
    I = 2.3e-9
    exp = spk.spiking_experiment(p, I, "constant")
    V_inf = p.E_L + p.R * I
    T = p.tau * math.log((V_inf - p.V_reset) / (V_inf - p.V_th))
    assert exp.rate_theory == pytest.approx(1 / (p.t_ref + T), rel=1e-12)
    assert exp.rate == pytest.approx(exp.rate_theory, rel=1e-9)
    assert exp.isi == pytest.approx(p.t_ref + T, rel=1e-9)
    np.testing.assert_allclose(np.diff(exp.spike_times), p.t_ref + T, rtol=1e-9)
    # the first spike comes from rest, not from the reset
    first = p.tau * math.log((V_inf - p.E_L) / (V_inf - p.V_th))
    assert exp.spike_times[0] == pytest.approx(first, rel=1e-9)
    assert exp.rheobase == pytest.approx((p.V_th - p.E_L) / p.R)
    assert exp.above_rheobase and exp.V0 == p.E_L
    assert exp.duration == 0.5 and exp.t[1] - exp.t[0] == pytest.approx(5e-5)


def test_below_and_at_rheobase_the_neuron_never_fires():
    for I in (0.8e-9, Q.rheobase):
        exp = spk.spiking_experiment(Q, I, "constant")
        assert not exp.above_rheobase
        assert exp.spike_times.size == 0 and exp.rate == 0.0 and math.isnan(exp.isi)
        assert exp.V.max() < Q.V_th


def test_one_spike_gives_no_rate():
    # a step just above rheobase late in the run: the first interval is longer than what is left
    exp = spk.spiking_experiment(Q, 0.9e-9, "step", onset=0.44)
    assert exp.spike_times.size <= 1 and exp.rate == 0.0 and math.isnan(exp.isi)


def test_step_current_starts_at_its_onset():
    exp = spk.spiking_experiment(Q, 3e-9, "step", onset=0.2)
    assert exp.onset == 0.2 and exp.kind == "step"
    assert np.all(exp.I[exp.t < 0.2] == 0.0)
    np.testing.assert_allclose(exp.I[exp.t >= 0.2], 3e-9, rtol=1e-9)
    V_inf = Q.E_L + Q.R * 3e-9
    first = 0.2 + Q.tau * math.log((V_inf - Q.E_L) / (V_inf - Q.V_th))
    assert exp.spike_times[0] == pytest.approx(first, rel=1e-9)
    constant = spk.spiking_experiment(Q, 3e-9, "constant", onset=0.2)
    assert constant.onset == 0.0 and np.all(constant.I == 3e-9)


def test_spontaneous_neuron_starts_at_reset():
    p = Q.replace(E_L=-45e-3)  # rests above threshold: fires without input
    exp = spk.spiking_experiment(p, 0.0, "constant")
    assert exp.V0 == p.V_reset and exp.V[0] == p.V_reset
    assert spk.start_potential(p) == p.V_reset and spk.start_potential(Q) == Q.E_L
    assert exp.rheobase < 0 and exp.above_rheobase
    assert exp.rate == pytest.approx(theory.firing_rate(p, 0.0), rel=1e-9)


def test_mean_rate_is_one_over_the_mean_interval():
    assert spk.mean_rate(np.array([0.1, 0.3, 0.4])) == pytest.approx(1 / 0.15)
    assert spk.mean_rate(np.array([0.1])) == 0.0
    assert spk.mean_rate(np.array([])) == 0.0


def test_unknown_input_kind_is_refused():
    with pytest.raises(ValueError, match=r"kind must be one of \('constant', 'step'\)"):
        spk.spiking_experiment(P, 1e-9, "ramp")
