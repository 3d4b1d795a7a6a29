"""Core defects of issue 15: durations off the grid, Euler's instability and refractory length,
large conductances without numpy warnings, per-current conductances in fi_curve, vectorised
Ornstein–Uhlenbeck noise."""

from __future__ import annotations

import math
import os
import re
import warnings

import numpy as np
import pytest

from lif_core import LIFParams, NumericalInstabilityWarning, fi_curve, simulate, stimulus, theory
from tests.reference import reference_lif

DT = 1e-4
P = LIFParams(V_reset=-70e-3, t_ref=2.05e-3)  # V_reset != E_L, t_ref off the grid


def _current_for_first_spike(p, T1):
    """The constant current whose first spike from rest comes at T1: V_inf from the closed form."""
    x = math.exp(-T1 / p.tau)  # V_th = V_inf + (E_L - V_inf) x
    V_inf = (p.V_th - p.E_L * x) / (1 - x)
    return (V_inf - p.E_L) / p.R


# ---------------------------------------------------------------- duration not a multiple of dt


def test_a_duration_off_the_grid_is_simulated_exactly_with_a_shorter_last_step():
    dt = 0.3e-3
    I = _current_for_first_spike(P, 0.95e-3)  # the first spike falls in the last, short step
    res = simulate(P, I=I, duration=1e-3, dt=dt)
    np.testing.assert_allclose(res.t, [0.0, 0.3e-3, 0.6e-3, 0.9e-3], rtol=0, atol=1e-18)
    assert res.duration == 1e-3
    assert res.spike_times[0] == pytest.approx([0.95e-3], rel=1e-9)
    # stopping before the crossing: no spike, though the last grid step would end at 1.2 ms
    short = simulate(P, I=I, duration=0.93e-3, dt=dt)
    assert short.V.shape == (1, 4) and short.duration == 0.93e-3
    assert short.spike_times[0].size == 0
    assert fi_curve(P, [I], duration=1e-3, dt=dt).n_spikes[0] == 1
    euler = simulate(P, I=I, duration=1e-3, dt=dt, method="euler")
    assert euler.duration == 1e-3 and euler.V.shape == (1, 4)


def test_durations_within_round_off_of_the_grid_count_as_multiples():
    res = simulate(P, duration=0.3, dt=0.1)  # 0.3 / 0.1 = 2.9999999999999996
    assert res.V.shape == (1, 3) and res.duration == pytest.approx(0.3)
    assert stimulus.time_grid(1.0, 1e-4).size == 10_000
    assert stimulus.time_grid(1e-3, 0.3e-3).size == 4


def test_waveforms_cover_a_shorter_last_step_by_its_own_length():
    duration, dt = 1e-3, 0.3e-3  # steps of 0.3, 0.3, 0.3 and 0.1 ms
    lengths = np.array([0.3e-3, 0.3e-3, 0.3e-3, 0.1e-3])
    I = stimulus.pulse(2e-9, onset=0.5e-3, width=0.45e-3, duration=duration, dt=dt)
    assert I.size == 4
    assert np.sum(I * lengths) == pytest.approx(2e-9 * 0.45e-3, rel=1e-12)  # exact charge
    assert I[3] == pytest.approx(2e-9 * 0.05e-3 / 0.1e-3)  # covers 0.05 of the last 0.1 ms
    r = stimulus.ramp(0.0, 1e-9, duration, dt)  # the mean of the ramp over each step
    np.testing.assert_allclose(r, 1e-9 * np.array([0.15, 0.45, 0.75, 0.95]), rtol=1e-12)
    g = stimulus.synaptic_conductance([0.95e-3], 1e-9, 1e-3, duration, dt)
    assert g[3] == pytest.approx(1e-9 * 1e-3 * (1 - math.exp(-0.05)) / 0.1e-3, rel=1e-12)


# ---------------------------------------------------------------- forward Euler


def test_euler_warns_when_dt_is_more_than_two_tau_and_diverges():
    p = LIFParams(C=4e-12)  # tau = 40 µs: dt = 0.1 ms is 2.5 tau
    with pytest.warns(NumericalInstabilityWarning) as caught:
        res = simulate(p, I=1e-9, duration=0.05, dt=DT, method="euler", spiking=False)
    assert len(caught) == 1  # the instability warning only, no numpy overflow warning
    message = str(caught[0].message)
    assert message.startswith(
        "dt = 0.1 ms is more than 2 τ_eff = 0.08 ms: forward Euler is unstable"
    )
    assert "-1.5" in message  # the factor 1 - dt/τ_eff per step
    if "MUTANT_UNDER_TEST" not in os.environ:  # mutmut calls through its own trampoline
        assert caught[0].filename == __file__  # points at the caller's line
    assert issubclass(NumericalInstabilityWarning, RuntimeWarning)
    # each step multiplies the distance to V_inf by -1.5
    V_inf = p.E_L + p.R * 1e-9
    np.testing.assert_allclose((res.V[0, 1:30] - V_inf) / (res.V[0, :29] - V_inf), -1.5)
    assert np.max(np.abs(res.V[0, np.isfinite(res.V[0])])) > 1e50


def test_euler_under_a_conductance_warns_with_tau_eff():
    g = 30e-6  # tau_eff = C / (1/R + g) = 1 nF / 30.1 µS = 33 µs
    with pytest.warns(NumericalInstabilityWarning, match=re.escape("2 τ_eff = 0.06645 ms")):
        simulate(P, g_syn=g, E_syn=0.0, duration=0.01, dt=DT, method="euler")


def test_stable_euler_and_the_exact_method_do_not_warn():
    p = LIFParams(C=6e-12)  # tau = 60 µs: dt = 0.1 ms is 1.67 tau, oscillating but stable
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        res = simulate(p, I=1e-9, duration=0.05, dt=DT, method="euler", spiking=False)
        exact = simulate(LIFParams(C=4e-12), I=1e-9, duration=0.05, dt=DT, spiking=False)
    assert abs(res.V[0, -1] - (p.E_L + p.R * 1e-9)) < 1e-9
    assert exact.V[0, -1] == pytest.approx(-65e-3 + 10e-3, rel=1e-12)


def _euler_steps_to_threshold(p, I, v):
    """Forward Euler by hand: the number of steps from v until V >= V_th."""
    V_inf = p.E_L + p.R * I
    m = 0
    while v < p.V_th:
        v = v + DT / p.tau * (V_inf - v)
        m += 1
    return m


@pytest.mark.parametrize(("t_ref", "hold"), [(2.04e-3, 20), (2.06e-3, 21)])
def test_euler_holds_the_reset_for_round_t_ref_over_dt_steps(t_ref, hold):
    p = P.replace(t_ref=t_ref)
    I = 2e-9
    res = simulate(p, I=I, duration=0.1, dt=DT, method="euler")
    first = _euler_steps_to_threshold(p, I, p.E_L)  # 138 steps from rest
    m = _euler_steps_to_threshold(p, I, p.V_reset)  # 161 steps from the reset
    assert (first, m) == (138, 161)
    spikes = res.spike_times[0]
    assert spikes[0] == pytest.approx(first * DT, rel=1e-12)
    np.testing.assert_allclose(np.diff(spikes), (hold + m) * DT, rtol=1e-9)
    # after the spike at grid point `first`: refractory for `hold` grid points, V at the reset
    # for one more, from which it integrates again
    refr = np.flatnonzero(res.refractory[0, : first + hold + m])
    np.testing.assert_array_equal(refr, np.arange(first, first + hold))
    assert np.all(res.V[0, first : first + hold + 1] == p.V_reset)
    assert res.V[0, first + hold + 1] == pytest.approx(
        p.V_reset + DT / p.tau * (p.E_L + p.R * I - p.V_reset), rel=1e-12
    )
    assert res.V[0, first - 1] < p.V_th


# ---------------------------------------------------------------- large conductances


@pytest.mark.parametrize("g", [1e-3, 10e-3])
def test_large_conductances_match_the_closed_form_without_warnings(g):
    E_syn = 0.0
    V_inf, tau_eff = theory.conductance_steady_state(P, g, E_syn)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any numpy overflow / divide warning fails
        passive = simulate(P, g_syn=g, E_syn=E_syn, duration=0.01, dt=DT, spiking=False)
        spiking = simulate(P, g_syn=g, E_syn=E_syn, duration=0.1, dt=DT)
        fi = fi_curve(P, [0.0, 1e-9], g_syn=g, E_syn=-55e-3, duration=0.2, dt=DT)
        fi_fire = fi_curve(P, [0.0, 1e-9], g_syn=g, E_syn=E_syn, duration=0.2, dt=DT)
        g_steps = np.where(np.arange(500) % 3 == 0, 0.0, g)  # on and off every few steps
        varying = simulate(P, I=0.5e-9, g_syn=g_steps, E_syn=E_syn, duration=0.05, dt=DT)
    expected = V_inf + (P.E_L - V_inf) * np.exp(-passive.t / tau_eff)
    np.testing.assert_allclose(passive.V[0], expected, rtol=1e-12, atol=1e-18)
    isi = P.t_ref + theory.time_to_threshold(P, 0.0, g, E_syn)
    assert len(spiking.spike_times[0]) > 40
    np.testing.assert_allclose(np.diff(spiking.spike_times[0]), isi, rtol=1e-9)
    assert np.all(fi.rate == 0.0)  # held at -55 mV, below threshold
    np.testing.assert_allclose(
        fi_fire.rate, theory.firing_rate(P, [0.0, 1e-9], g, E_syn), rtol=1e-9
    )
    g_total = 1 / P.R + g_steps
    V_ref, spikes_ref = reference_lif(
        (P.E_L / P.R + 0.5e-9) / g_total, P.C / g_total, P.V_th, P.V_reset, P.t_ref, P.E_L, DT
    )
    assert len(spikes_ref) == len(varying.spike_times[0]) > 5
    np.testing.assert_allclose(varying.spike_times[0], spikes_ref, rtol=0, atol=1e-12)
    np.testing.assert_allclose(varying.V[0], V_ref, rtol=0, atol=1e-12)


# ---------------------------------------------------------------- fi_curve with one g per current


def test_fi_curve_takes_one_conductance_per_current():
    I = np.linspace(0.5e-9, 6e-9, 12)
    g = np.linspace(0.0, 60e-9, 12)
    fi = fi_curve(P, I, duration=1.0, dt=DT, g_syn=g, E_syn=-65e-3)
    expected = theory.firing_rate(P, I, g, -65e-3)
    assert np.count_nonzero(expected) >= 5 and np.count_nonzero(expected == 0) >= 2
    np.testing.assert_allclose(fi.rate, expected, rtol=0, atol=1e-9)
    E = np.linspace(-80e-3, 0.0, 12)  # and one reversal potential per current
    fi_E = fi_curve(P, I, duration=1.0, dt=DT, g_syn=20e-9, E_syn=E)
    np.testing.assert_allclose(fi_E.rate, theory.firing_rate(P, I, 20e-9, E), rtol=0, atol=1e-9)


@pytest.mark.parametrize(
    ("kwargs", "fragments"),
    [
        ({"g_syn": np.ones(3) * 1e-9}, ["g_syn has shape (3,)", "shape (4,) like I"]),
        ({"g_syn": np.ones((4, 1)) * 1e-9}, ["g_syn has shape (4, 1)", "shape (4,) like I"]),
        ({"E_syn": np.zeros(5)}, ["E_syn has shape (5,)", "shape (4,) like I"]),
        ({"g_syn": np.array([1e-9, -1e-9, 0, 0])}, ["g_syn = -1e-09", "g_syn >= 0"]),
    ],
)
def test_fi_curve_refuses_conductances_of_the_wrong_shape(kwargs, fragments):
    with pytest.raises(ValueError) as info:
        fi_curve(P, np.ones(4) * 1e-9, duration=0.1, **kwargs)
    for fragment in fragments:
        assert fragment in str(info.value)


# ---------------------------------------------------------------- Ornstein–Uhlenbeck noise


@pytest.mark.parametrize("tau_noise", [5e-3, 0.3e-3, 0.05e-3, 1e-6])
def test_ou_noise_equals_the_step_by_step_recursion(tau_noise):
    mean, sigma = 1e-9, 0.3e-9
    x = stimulus.ou_noise(mean, sigma, tau_noise, 0.5, DT, seed=4, n=3)
    xi = np.random.default_rng(4).standard_normal((3, 5000))  # the same draws, in order
    rho = math.exp(-DT / tau_noise)
    scale = math.sqrt(1 - rho**2)
    for row in range(3):
        v = xi[row, 0]
        expected = [v]
        for k in range(1, 5000):
            v = rho * v + scale * xi[row, k]
            expected.append(v)
        np.testing.assert_allclose(
            x[row], mean + sigma * np.array(expected), rtol=0, atol=1e-12 * sigma
        )
    one = stimulus.ou_noise(mean, sigma, tau_noise, 0.5, DT, seed=4)
    assert one.shape == (5000,)
    np.testing.assert_array_equal(one, x[0])  # the first of n traces is the single trace
