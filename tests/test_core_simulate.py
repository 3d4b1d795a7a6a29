"""The exact engine against the closed forms, a step-by-step reference, and bad input."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lif_core import LIFParams, fi_curve, simulate, stimulus, theory
from tests.reference import reference_lif

DT = 1e-4
P = LIFParams()  # Dayan & Abbott values, t_ref = 2 ms


# ---------------------------------------------------------------- accuracy vs theory


@pytest.mark.parametrize("t_ref", [2e-3, 2.05e-3, 0.0, 1.234e-3])
def test_fi_curve_matches_theory_from_zero_to_ten_rheobases(t_ref):
    """t_ref a multiple of dt (2 ms), not a multiple (2.05, 1.234 ms), and zero."""
    p = P.replace(t_ref=t_ref)
    I = np.linspace(0.0, 10 * p.rheobase, 200)  # does not hit the rheobase exactly
    sim = fi_curve(p, I, duration=1.0, dt=DT)
    expected = theory.firing_rate(p, I)
    assert np.max(np.abs(sim.rate - expected)) <= 0.05
    below = I <= p.rheobase
    assert below.sum() >= 10
    assert np.all(sim.rate[below] == 0.0)
    assert np.all(sim.n_spikes[below] == 0)
    assert expected.max() > 300 if t_ref else expected.max() > 900  # the test reaches high rates


def test_fi_curve_under_a_constant_conductance_matches_theory():
    g, E_syn = 20e-9, -65e-3  # shunting conductance at rest
    I = np.linspace(0.0, 10 * P.rheobase, 120)
    sim = fi_curve(P, I, duration=1.0, dt=DT, g_syn=g, E_syn=E_syn)
    expected = theory.firing_rate(P, I, g, E_syn)
    assert np.max(np.abs(sim.rate - expected)) <= 0.05
    assert np.all(sim.rate[I <= theory.rheobase(P, g, E_syn)] == 0.0)


def test_exactly_at_rheobase_the_neuron_is_silent_in_theory_and_simulation():
    p = LIFParams(R=10e6, E_L=-65e-3, V_th=-50e-3)
    I = p.rheobase
    assert theory.steady_state(p, I) <= p.V_th  # at threshold, not above, in floating point
    assert theory.firing_rate(p, I) == 0.0
    assert fi_curve(p, [I], duration=2.0).n_spikes[0] == 0


@pytest.mark.parametrize("V0", [-65e-3, -80e-3, -52e-3])
def test_charging_curve_matches_closed_form(V0):
    I = 1.2e-9  # V_inf = -53 mV, below threshold
    res = simulate(P, I=I, duration=0.1, dt=DT, V0=V0)
    expected = theory.charging(P, res.t, I, V0=V0)
    assert np.max(np.abs(res.V[0] - expected) / np.abs(expected)) <= 1e-9
    assert res.spike_times[0].size == 0


def test_discharging_after_a_pulse_matches_closed_form():
    I = stimulus.pulse(2e-9, onset=0.01, width=0.03, duration=0.1, dt=DT)
    res = simulate(P, I=I, duration=0.1, dt=DT, spiking=False)
    t = res.t
    on = (t >= 0.01) & (t <= 0.04)
    V_on = theory.charging(P, t[on] - 0.01, 2e-9)
    np.testing.assert_allclose(res.V[0, on], V_on, rtol=1e-9)
    V_peak = theory.charging(P, 0.03, 2e-9)
    off = t >= 0.04
    V_off = theory.charging(P, t[off] - 0.04, 0.0, V0=V_peak)
    np.testing.assert_allclose(res.V[0, off], V_off, rtol=1e-9)


def test_constant_conductance_relaxes_to_the_steady_state_with_tau_eff():
    g, E_syn = 15e-9, 0.0
    res = simulate(P, g_syn=g, E_syn=E_syn, duration=0.05, dt=DT, spiking=False)
    V_inf, tau_eff = theory.conductance_steady_state(P, g, E_syn)
    expected = V_inf + (P.E_L - V_inf) * np.exp(-res.t / tau_eff)
    assert np.max(np.abs(res.V[0] - expected) / np.abs(expected)) <= 1e-9


def test_constant_conductance_spiking_has_the_theoretical_isi():
    g, E_syn = 30e-9, 0.0
    res = simulate(P, g_syn=g, E_syn=E_syn, duration=1.0, dt=DT)
    isi = np.diff(res.spike_times[0])
    expected = P.t_ref + theory.time_to_threshold(P, 0.0, g, E_syn)
    np.testing.assert_allclose(isi, expected, rtol=1e-9)


def test_regular_firing_isis_are_exact_for_t_ref_not_a_multiple_of_dt():
    p = P.replace(t_ref=2.05e-3)
    res = simulate(p, I=3e-9, duration=1.0, dt=DT)
    isi = np.diff(res.spike_times[0])
    np.testing.assert_allclose(isi, p.t_ref + theory.time_to_threshold(p, 3e-9), rtol=1e-9)
    first = theory.time_to_threshold(p.replace(V_reset=p.E_L), 3e-9)  # from rest at t=0
    assert res.spike_times[0][0] == pytest.approx(first, rel=1e-9)


# ---------------------------------------------------------------- vs step-by-step reference


def _reference(p, V_inf, tau, V0=None):
    return reference_lif(V_inf, tau, p.V_th, p.V_reset, p.t_ref, p.E_L if V0 is None else V0, DT)


@pytest.mark.parametrize("t_ref", [0.0, 0.37e-4, 2.05e-3])
def test_noise_driven_neurons_match_the_reference(t_ref):
    p = P.replace(t_ref=t_ref)
    I = stimulus.ou_noise(1.8e-9, 0.8e-9, 3e-3, 0.3, DT, seed=3, n=4)
    res = simulate(p, I=I, duration=0.3, dt=DT)
    for i in range(4):
        V, spikes = _reference(p, p.E_L + p.R * I[i], np.full(I.shape[1], p.tau))
        assert len(spikes) == len(res.spike_times[i]) > 3
        np.testing.assert_allclose(res.spike_times[i], spikes, rtol=0, atol=1e-12)
        np.testing.assert_allclose(res.V[i], V, rtol=0, atol=1e-12)


@pytest.mark.parametrize("t_ref", [0.0, 2e-3])
def test_two_conductance_synapses_match_the_reference(t_ref):
    p = P.replace(t_ref=t_ref)
    T = 0.4
    ge = stimulus.synaptic_conductance(stimulus.poisson_spike_train(2000, T, 1), 4e-9, 5e-3, T, DT)
    gi = stimulus.synaptic_conductance(
        stimulus.poisson_spike_train(300, T, 2), 3e-9, 10e-3, T, DT, kind="alpha"
    )
    res = simulate(p, I=0.5e-9, g_syn=[ge, gi], E_syn=[0.0, -75e-3], duration=T, dt=DT)
    g_total = 1 / p.R + ge + gi
    V_inf = (p.E_L / p.R + 0.5e-9 + ge * 0.0 + gi * -75e-3) / g_total
    V, spikes = _reference(p, V_inf, p.C / g_total)
    assert len(spikes) == len(res.spike_times[0]) > 10
    np.testing.assert_allclose(res.spike_times[0], spikes, rtol=0, atol=1e-12)
    np.testing.assert_allclose(res.V[0], V, rtol=0, atol=1e-12)


@pytest.mark.parametrize("t_ref", [0.0, 0.37e-4, 2.05e-3])
def test_piecewise_constant_input_matches_the_reference(t_ref):
    """Steps and pulses: blocks of constant input use the closed-form spike train."""
    p = P.replace(t_ref=t_ref)
    I = (
        stimulus.step(2e-9, 0.0123, 0.3, DT)
        + stimulus.pulse(6e-9, 0.1, 0.05, 0.3, DT)
        + stimulus.pulse(-3e-9, 0.2, 0.0301, 0.3, DT)
    )
    res = simulate(p, I=I, duration=0.3, dt=DT)
    V, spikes = _reference(p, p.E_L + p.R * I, np.full(I.size, p.tau))
    assert len(res.spike_times[0]) == len(spikes) > 20
    np.testing.assert_allclose(res.spike_times[0], spikes, rtol=0, atol=1e-12)
    np.testing.assert_allclose(res.V[0], V, rtol=0, atol=1e-12)


def test_several_spikes_inside_one_step_when_t_ref_is_zero():
    p = P.replace(t_ref=0.0)
    I = 200e-9  # drives a spike every ~0.07 ms, shorter than dt
    res = simulate(p, I=I, duration=0.01, dt=DT)
    _, spikes = _reference(p, np.full(100, p.E_L + p.R * I), np.full(100, p.tau))
    assert len(res.spike_times[0]) == len(spikes) > 100
    np.testing.assert_allclose(res.spike_times[0], spikes, atol=1e-12)


# ---------------------------------------------------------------- currents, shapes, euler


def test_current_components_add_up_to_the_input():
    I = stimulus.pulse(1e-9, 0.01, 0.02, 0.05, DT)
    g = stimulus.synaptic_conductance([0.005, 0.02], 5e-9, 3e-3, 0.05, DT)
    res = simulate(P, I=I, g_syn=g, E_syn=0.0, duration=0.05, dt=DT, spiking=False)
    np.testing.assert_allclose(res.I_R + res.I_C, res.I + res.I_syn[0], atol=1e-18)


def test_capacitive_current_is_C_dV_dt():
    I = stimulus.pulse(1e-9, 0.01, 0.02, 0.05, DT)
    res = simulate(P, I=I, duration=0.05, dt=DT, spiking=False)
    dVdt = np.gradient(res.V[0], DT)  # central differences of the exact trajectory
    smooth = np.convolve(np.abs(np.diff(I, prepend=0)), np.ones(3), mode="same") == 0
    smooth[[0, -1]] = False
    assert smooth.sum() > 400
    np.testing.assert_allclose((P.C * dVdt)[smooth], res.I_C[0, smooth], rtol=0, atol=2e-12)


def test_synaptic_current_changes_sign_at_the_reversal_potential():
    res = simulate(P, I=1.4e-9, g_syn=2e-9, E_syn=-60e-3, duration=0.05, dt=DT, spiking=False)
    below = res.V[0] < -60e-3
    assert below.any() and (~below).any()
    assert np.all(res.I_syn[0][0, below] > 0) and np.all(res.I_syn[0][0, ~below] <= 0)


def test_parameters_and_inputs_broadcast_over_neurons():
    p = LIFParams(R=np.array([10e6, 20e6]))
    res = simulate(p, I=np.array([[1e-9], [2e-9]]), duration=0.1, dt=DT, spiking=False)
    assert res.V.shape == (2, 1000) and res.n_neurons == 2
    np.testing.assert_allclose(res.V[1, -1], theory.charging(p.replace(R=20e6), 0.0999, 2e-9))


def test_euler_converges_to_the_exact_solution_in_proportion_to_dt():
    I = 1.2e-9
    errors = []
    for dt in (4e-4, 2e-4, 1e-4, 0.5e-4):
        res = simulate(P, I=I, duration=0.05, dt=dt, method="euler", spiking=False)
        errors.append(np.max(np.abs(res.V[0] - theory.charging(P, res.t, I))))
    ratios = np.array(errors[:-1]) / np.array(errors[1:])
    np.testing.assert_allclose(ratios, 2.0, rtol=0.1)  # first order
    assert errors[-1] < 1e-4


def test_euler_spike_times_are_snapped_to_the_grid():
    res = simulate(P, I=3e-9, duration=0.1, dt=DT, method="euler")
    steps = res.spike_times[0] / DT
    np.testing.assert_allclose(steps, np.round(steps), atol=1e-9)
    exact = simulate(P, I=3e-9, duration=0.1, dt=DT)
    assert not np.allclose(res.spike_times[0][:3], exact.spike_times[0][:3], atol=1e-6)


# ---------------------------------------------------------------- properties


params_strategy = st.builds(
    lambda R, C, E_L, dth, dre, t_ref: LIFParams(
        R=R * 1e6,
        C=C * 1e-9,
        E_L=E_L * 1e-3,
        V_th=(E_L + dth) * 1e-3,
        V_reset=(E_L + dth - dre) * 1e-3,
        t_ref=t_ref * 1e-3,
    ),
    R=st.floats(1, 500),
    C=st.floats(0.05, 2),
    E_L=st.floats(-90, -50),
    dth=st.floats(0.5, 40),
    dre=st.floats(0.5, 40),
    t_ref=st.floats(0, 10),
)


@settings(max_examples=60, deadline=None)
@given(p=params_strategy, I=st.floats(-5, 20), sigma=st.floats(0, 5), seed=st.integers(0, 9))
def test_simulations_stay_finite_below_threshold_and_clamped(p, I, sigma, seed):
    drive = stimulus.ou_noise(I * 1e-9, sigma * 1e-9, 5e-3, 0.1, DT, seed=seed)
    try:
        res = simulate(p, I=drive, duration=0.1, dt=DT)
    except ValueError as error:  # refused: more than 10 spikes per step, said clearly
        assert "spikes per time step" in str(error) and p.t_ref < DT / 10
        return
    assert np.all(np.isfinite(res.V))
    assert np.all(res.V < p.V_th)
    assert np.all(res.V[res.refractory] == p.V_reset)
    spikes = res.spike_times[0]
    assert np.all(np.diff(spikes) >= p.t_ref - 1e-12)
    for s in spikes:  # clamped for the whole refractory period after each spike
        inside = (res.t > s) & (res.t < s + p.t_ref)
        assert np.all(res.refractory[0, inside])


@settings(max_examples=25, deadline=None)
@given(p=params_strategy)
def test_rates_are_monotone_in_current_and_bounded_by_one_over_t_ref(p):
    I = np.linspace(0, 10 * max(p.rheobase, 0.0) + 1e-9, 40)
    try:
        rate = fi_curve(p, I, duration=0.2, dt=DT).rate
    except ValueError as error:  # refused: more than 10 spikes per step, said clearly
        assert "spikes per time step" in str(error) and p.t_ref < DT / 10
        return
    assert np.all(np.isfinite(rate))
    assert np.all(np.diff(rate) >= -1e-6)
    if p.t_ref > 0:
        assert np.all(rate <= 1 / p.t_ref + 1e-9)


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("kwargs", "fragments"),
    [
        ({"dt": 0.0}, ["dt = 0.0", "dt > 0"]),
        ({"dt": -1e-4}, ["dt = -0.0001", "dt > 0"]),
        ({"dt": 0.5, "duration": 0.1}, ["dt = 0.5", "duration = 0.1", "dt <= duration"]),
        ({"duration": 0.0}, ["duration = 0.0", "duration > 0"]),
        ({"dt": math.nan}, ["dt", "finite", "nan"]),
        ({"I": np.ones(7)}, ["I has 7 values", "1000 time steps"]),
        ({"I": math.nan}, ["I", "finite", "nan"]),
        ({"I": np.array([0.0, math.inf])}, ["I", "finite", "inf"]),
        ({"g_syn": -1e-9, "E_syn": 0.0}, ["g_syn = -1e-09", "g_syn >= 0"]),
        ({"g_syn": [1e-9, 2e-9], "E_syn": [0.0]}, ["2 synapses", "1 reversal"]),
        ({"g_syn": 1e-9, "E_syn": math.nan}, ["E_syn", "finite"]),
        ({"V0": -40e-3}, ["V0 = -0.04", "V0 < V_th"]),
        ({"method": "rk4"}, ["method = 'rk4'", "'exact' or 'euler'"]),
        ({"I": np.ones((3, 1)), "V0": np.zeros(2) - 0.07}, ["number of neurons", "2, 3"]),
    ],
)
def test_bad_arguments_give_a_clear_value_error(kwargs, fragments):
    kwargs = {"duration": 0.1, "dt": DT, **kwargs}
    with pytest.raises(ValueError) as info:
        simulate(P, **kwargs)
    for fragment in fragments:
        assert fragment in str(info.value)


def test_a_neuron_resting_above_threshold_starts_at_reset_and_fires():
    p = LIFParams(E_L=-45e-3, V_th=-50e-3, V_reset=-60e-3, t_ref=2e-3)
    res = simulate(p, duration=0.2, dt=DT)
    assert res.V[0, 0] == p.V_reset
    isi = np.diff(res.spike_times[0])
    np.testing.assert_allclose(isi, 1 / theory.firing_rate(p, 0.0), rtol=1e-9)
    fi = fi_curve(p, [0.0, 1e-9], duration=0.5)
    np.testing.assert_allclose(fi.rate, theory.firing_rate(p, np.array([0.0, 1e-9])), atol=1e-6)


def test_absurd_firing_rates_are_refused_clearly():
    p = P.replace(t_ref=0.0)
    with pytest.raises(ValueError, match="spikes per time step"):
        simulate(p, I=1e-3, duration=0.1, dt=DT)  # 1 mA: V_inf = 10 kV
    # a refractory period bounds it: one spike per t_ref + T, T ~ tau (V_th - V_reset) / (R I)
    res = simulate(p.replace(t_ref=DT), I=1e-3, duration=0.01, dt=DT)
    isi = np.diff(res.spike_times[0])
    T = p.tau * math.log((1e4 - p.V_reset) / (1e4 - p.V_th))
    np.testing.assert_allclose(isi, DT + T, rtol=1e-9)
    assert res.spike_times[0].size == pytest.approx(0.01 / (DT + T), abs=1)


def test_bad_fi_curve_arguments():
    with pytest.raises(ValueError, match="I must be a finite number"):
        fi_curve(P, [1e-9, math.nan])
    with pytest.raises(ValueError, match="g_syn = -1e-09"):
        fi_curve(P, [1e-9], g_syn=-1e-9)
    with pytest.raises(ValueError, match="dt"):
        fi_curve(P, [1e-9], dt=2.0)
