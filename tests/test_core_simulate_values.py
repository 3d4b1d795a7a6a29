"""simulate / fi_curve (lif_core/simulation.py): whole messages, result fields and forward
Euler against a plain loop written from its docstring.

The neuron tells the formulas apart: V_reset ≠ E_L, t_ref off the grid, E_syn ≠ 0; durations
that are not a multiple of dt have a shorter last step.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

from lif_core import LIFParams, fi_curve, simulate, theory

DT = 1e-4
Q = LIFParams(R=20e6, C=0.6e-9, E_L=-68e-3, V_th=-51e-3, V_reset=-61e-3, t_ref=2.24e-3)


def _refused(message: str, **kwargs) -> None:
    kwargs = {"duration": 0.1, "dt": DT, **kwargs}
    params = kwargs.pop("params", Q)
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        simulate(params, **kwargs)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"params": {"R": 1e7}}, "params must be a LIFParams, got dict"),
        ({"method": "rk4"}, "method = 'rk4' is not known (allowed: 'exact' or 'euler')"),
        (
            {"I": np.ones(7)},
            "I has 7 values but the simulation has 1000 time steps (ceil(duration / dt)); give "
            "one value per step, or shape (n_neurons, 1) for one constant per neuron",
        ),
        (
            {"I": np.ones((2, 3, 1))},
            "I has shape (2, 3, 1); allowed: a number, (1000,), (n_neurons, 1) or "
            "(n_neurons, 1000)",
        ),
        (
            {"I": np.ones((2, 7))},
            "I has shape (2, 7); allowed: a number, (1000,), (n_neurons, 1) or (n_neurons, 1000)",
        ),
        ({"I": math.nan}, "I must be a finite number, got nan"),
        (
            {"g_syn": [1e-9, 2e-9], "E_syn": [0.0]},
            "g_syn has 2 synapses but E_syn has 1 reversal potentials "
            "(give one E_syn per conductance)",
        ),
        (
            {"g_syn": [], "E_syn": [0.0]},
            "g_syn has 0 synapses but E_syn has 1 reversal potentials "
            "(give one E_syn per conductance)",
        ),
        (
            {"g_syn": -1e-9, "E_syn": 0.0},
            "g_syn = -1e-09 S is out of range (allowed: g_syn >= 0 S)",
        ),
        (
            {"g_syn": [1e-9, -2e-9], "E_syn": [0.0, -80e-3]},
            "g_syn[1] = -2e-09 S is out of range (allowed: g_syn[1] >= 0 S)",
        ),
        (
            {"g_syn": np.ones(7) * 1e-9, "E_syn": 0.0},
            "g_syn has 7 values but the simulation has 1000 time steps (ceil(duration / dt)); "
            "give one value per step, or shape (n_neurons, 1) for one constant per neuron",
        ),
        ({"g_syn": 1e-9, "E_syn": math.nan}, "E_syn must be a finite number, got nan"),
        (
            {"g_syn": [1e-9], "E_syn": [np.zeros(2)]},
            "E_syn must be one number per synapse, got shape (2,)",
        ),
        ({"V0": math.nan}, "V0 must be a finite number, got nan"),
        (
            {"V0": np.full((2, 1), -0.07)},
            "V0 must be a number or one value per neuron, got shape (2, 1)",
        ),
        (
            {"V0": np.array([-0.07, -0.04, -0.03])},
            "V0 = -0.04 V must be below V_th (allowed: V0 < V_th when spiking)",
        ),
        ({"V0": Q.V_th}, "V0 = -0.051 V must be below V_th (allowed: V0 < V_th when spiking)"),
        (
            {"I": np.ones((3, 1)), "V0": np.zeros(2) - 0.07},
            "inputs and parameters disagree on the number of neurons: [2, 3]",
        ),
        (
            {"I": np.ones((3, 1)), "g_syn": np.ones((2, 1)) * 1e-9, "E_syn": 0.0},
            "inputs and parameters disagree on the number of neurons: [2, 3]",
        ),
    ],
)
def test_bad_arguments_are_refused_with_the_whole_message(kwargs, message):
    _refused(message, **kwargs)


def test_fi_curve_refuses_bad_shapes_with_the_whole_message():
    with pytest.raises(
        ValueError, match=re.escape("I must be a 1-D array of currents, got shape (2, 2)")
    ):
        fi_curve(Q, np.ones((2, 2)) * 1e-9)
    message = "g_syn has shape (3,); allowed: a number, or one value per current, shape (2,) like I"
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        fi_curve(Q, [1e-9, 2e-9], g_syn=np.ones(3) * 1e-9)
    with pytest.raises(ValueError, match=re.escape("E_syn has shape (1,); allowed")):
        fi_curve(Q, [1e-9, 2e-9], g_syn=1e-9, E_syn=[0.0])
    with pytest.raises(ValueError, match=r"^E_syn must be a finite number, got nan$"):
        fi_curve(Q, [1e-9, 2e-9], g_syn=1e-9, E_syn=math.nan)
    with pytest.raises(ValueError, match=r"^g_syn = -1e-09 S is out of range"):
        fi_curve(Q, [1e-9, 2e-9], g_syn=[1e-9, -1e-9])


def test_passive_and_spiking_starts_and_the_fields_of_the_result():
    above = Q.replace(E_L=-45e-3)  # rest above threshold
    passive = simulate(above, duration=0.0105, dt=DT, spiking=False)
    assert passive.V[0, 0] == above.E_L  # no threshold: starts at rest, not at V_reset
    assert np.all(passive.V[0] == above.E_L) and passive.spike_times[0].size == 0
    driven = simulate(Q, I=2e-9, duration=0.0105, dt=DT, spiking=False)
    assert driven.V[0].max() > Q.V_th  # no threshold
    assert driven.V[0, 0] == Q.E_L
    spiking = simulate(above, duration=0.03, dt=DT)
    assert spiking.V[0, 0] == above.V_reset  # at rest above threshold it would fire at once
    assert spiking.spike_times[0].size > 0
    # a V0 per neuron, above threshold allowed without a threshold
    two = simulate(Q, V0=[-0.07, -0.04], duration=0.0105, dt=DT, spiking=False)
    np.testing.assert_array_equal(two.V[:, 0], [-0.07, -0.04])
    one = simulate(Q, V0=-0.06, duration=0.0105, dt=DT, spiking=False)
    assert one.V[0, 0] == -0.06 and one.V.shape == (1, 105)
    # the fields
    g = np.full(105, 2e-9)
    res = simulate(Q, I=np.array([[1e-9], [2e-9]]), g_syn=[g], E_syn=[-10e-3], duration=0.0105)
    assert res.dt == DT and isinstance(res.dt, float)
    assert res.duration == 0.0105 and res.method == "exact" and res.params is Q
    assert res.E_syn == (-10e-3,) and res.n_neurons == 2
    assert res.I.shape == (2, 105) and res.refractory.shape == (2, 105)
    np.testing.assert_array_equal(res.I[:, 50], [1e-9, 2e-9])
    assert len(res.g_syn) == 1 and res.g_syn[0].shape == (2, 105)
    np.testing.assert_array_equal(res.g_syn[0][1], g)
    np.testing.assert_array_equal(res.t, np.arange(105) * DT)
    assert simulate(Q, duration=0.01, method="euler").method == "euler"


def test_rates_are_the_inverse_mean_interval_and_zero_below_two_spikes():
    I = np.array([[0.0], [0.95e-9], [1.5e-9]])  # rheobase 0.85 nA: 0, 1 and many spikes
    res = simulate(Q, I=I, duration=0.2, dt=DT)
    counts = [s.size for s in res.spike_times]
    assert counts[0] == 0 and counts[2] > 10
    rates = res.rates()
    assert rates[0] == 0.0
    spikes = res.spike_times[2]
    assert rates[2] == pytest.approx((spikes.size - 1) / (spikes[-1] - spikes[0]), rel=1e-12)
    assert rates[2] == pytest.approx(theory.firing_rate(Q, 1.5e-9), rel=1e-9)
    one = simulate(Q, I=0.9e-9, duration=0.05, dt=DT)  # T = 34.7 ms from rest, then 31 ms
    assert one.spike_times[0].size == 1 and one.rates()[0] == 0.0
    fi = fi_curve(Q, [0.9e-9, 1.5e-9], duration=0.05)
    np.testing.assert_array_equal(fi.n_spikes, [1, one_count(1.5e-9)])
    assert fi.rate[0] == 0.0 and fi.duration == 0.05


def one_count(I: float) -> int:
    return simulate(Q, I=I, duration=0.05, dt=DT).spike_times[0].size


def test_fi_curve_with_a_conductance_per_current_is_theory():
    I = np.array([1.5e-9, 2.0e-9, 3.0e-9])
    g = np.array([0.0, 5e-9, 10e-9])
    E = np.array([-80e-3, 0.0, -20e-3])
    fi = fi_curve(Q, I, duration=1.0, g_syn=g, E_syn=E)
    np.testing.assert_allclose(fi.rate, theory.firing_rate(Q, I, g, E), rtol=1e-9)
    np.testing.assert_array_equal(fi.I, I)
    # one conductance for all currents
    fi = fi_curve(Q, I, duration=1.0, g_syn=5e-9, E_syn=-20e-3)
    np.testing.assert_allclose(fi.rate, theory.firing_rate(Q, I, 5e-9, -20e-3), rtol=1e-9)


def _euler_by_hand(p, I, duration, dt):
    """Forward Euler as the docstring of simulation._integrate_euler states it."""
    n_steps = math.ceil(duration / dt - 1e-9)
    V_inf = p.E_L + p.R * I
    hold_steps = round(p.t_ref / dt)
    v, hold = p.E_L, 0
    V, refr, spikes = [], [], []
    for k in range(n_steps):
        V.append(v)
        refr.append(hold > 0)
        t_next = min((k + 1) * dt, duration)
        v_next = v + (t_next - k * dt) / p.tau * (V_inf - v)
        if hold > 0:
            v_next = p.V_reset
        hold = max(hold - 1, 0)
        if v_next >= p.V_th:
            spikes.append(t_next)
            v_next = p.V_reset
            hold = hold_steps
        v = v_next
    return np.array(V), np.array(refr), np.array(spikes)


@pytest.mark.parametrize("t_ref", [2.24e-3, 2.26e-3, 0.0])
def test_forward_euler_is_the_loop_of_its_docstring(t_ref):
    p = Q.replace(t_ref=t_ref)  # 22.4 steps: held 22 steps; 22.6: 23
    duration, I = 0.10025, 1.6e-9  # the last step is a quarter step
    res = simulate(p, I=I, duration=duration, dt=DT, method="euler")
    V, refr, spikes = _euler_by_hand(p, I, duration, DT)
    assert spikes.size > 5
    np.testing.assert_allclose(res.V[0], V, rtol=1e-12)
    np.testing.assert_array_equal(res.refractory[0], refr)
    np.testing.assert_allclose(res.spike_times[0], spikes, rtol=1e-12)
    # held at V_reset for round(t_ref / dt) steps after each spike: 22, 23 or none
    first = int(np.argmax(res.refractory[0]))
    held = int(np.argmin(res.refractory[0, first:])) if first else 0
    assert held == {2.24e-3: 22, 2.26e-3: 23, 0.0: 0}[t_ref]
    assert np.all(res.V[0, res.refractory[0]] == p.V_reset)


def test_forward_euler_on_several_neurons_fires_each_at_its_own_steps():
    I = np.array([[1.2e-9], [1.6e-9], [0.5e-9]])
    res = simulate(Q, I=I, duration=0.1, dt=DT, method="euler")
    for i in range(3):
        V, refr, spikes = _euler_by_hand(Q, float(I[i, 0]), 0.1, DT)
        np.testing.assert_allclose(res.V[i], V, rtol=1e-12)
        np.testing.assert_array_equal(res.refractory[i], refr)
        np.testing.assert_allclose(res.spike_times[i], spikes, rtol=1e-12)
    assert res.spike_times[2].size == 0 and res.spike_times[1].size > res.spike_times[0].size


def test_the_euler_warning_gives_the_factor_and_the_way_out():
    p = LIFParams(C=4e-12)  # tau = 40 µs
    with pytest.warns(RuntimeWarning) as caught:
        simulate(p, I=1e-9, duration=0.01, dt=DT, method="euler", spiking=False)
    assert str(caught[0].message) == (
        "dt = 0.1 ms is more than 2 τ_eff = 0.08 ms: forward Euler is unstable (each step "
        "multiplies the distance to the steady state by 1 - dt/τ_eff = -1.5, so V oscillates "
        "with a growing amplitude); use dt < 2 τ_eff, or method='exact'"
    )


def test_integer_inputs_are_recorded_as_floats():
    # I = 0 and an int conductance array: the result's inputs are float arrays like any other
    res = simulate(Q, I=0, g_syn=np.zeros(100, dtype=int), E_syn=0, duration=0.01, dt=DT)
    assert res.I.dtype == np.float64 and res.g_syn[0].dtype == np.float64
    assert res.E_syn == (0.0,) and isinstance(res.E_syn[0], float)
    np.testing.assert_allclose(res.V[0], Q.E_L, rtol=1e-12)


def test_rest_exactly_at_threshold_starts_at_the_reset():
    p = Q.replace(E_L=Q.V_th)  # rest at threshold: it would fire at once, so start at V_reset
    res = simulate(p, duration=0.05, dt=DT)
    assert res.V[0, 0] == p.V_reset
    # V_inf = V_th is never crossed from below: no spike, V climbs from V_reset towards V_th
    assert res.spike_times[0].size == 0 and np.all(np.diff(res.V[0]) > 0)
    assert fi_curve(p, [0.0, 2e-9], duration=0.05).rate[1] == pytest.approx(
        theory.firing_rate(p, 2e-9), rel=1e-9
    )
    with pytest.raises(ValueError, match=r"^I must be a finite number, got nan$"):
        fi_curve(Q, [1e-9, math.nan])


def _relaxation_by_hand(p, g, E_syn, V0, dt):
    """The exact step recursion for a conductance constant within each step."""
    V = [V0]
    for gk in g[:-1]:
        g_total = 1 / p.R + gk
        V_inf, tau = (p.E_L / p.R + gk * E_syn) / g_total, p.C / g_total
        V.append(V_inf + (V[-1] - V_inf) * math.exp(-dt / tau))
    return np.array(V)


@pytest.mark.parametrize("scale", [0.6, 60.0])  # g up to 0.9 / R: below the leak
def test_a_fast_varying_conductance_over_thousands_of_steps_is_the_exact_recursion(scale):
    # tau_eff = 0.1 ms or less = dt: the steps must be blocked so that the decay over a block
    # stays far from exp overflow; a block of 2048 steps decays by e^-2048 or more
    p = LIFParams(R=20e6, C=10e-12, E_L=-70e-3, V_th=-50e-3, V_reset=-60e-3, t_ref=2.3e-3)
    n = 3000
    g = scale / p.R * (1 + 0.5 * (np.arange(n) % 2))  # alternating, never constant
    res = simulate(p, g_syn=g, E_syn=-20e-3, V0=-80e-3, duration=n * DT, dt=DT, spiking=False)
    assert np.all(np.isfinite(res.V))
    np.testing.assert_allclose(res.V[0], _relaxation_by_hand(p, g, -20e-3, -80e-3, DT), rtol=1e-9)
