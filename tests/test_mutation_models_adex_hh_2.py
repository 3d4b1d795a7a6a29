"""AdEx and Hodgkin–Huxley runs, second pass: the refusals of simulate_adex / simulate_hh /
stability word for word, what a run returns by default, the HH gates at the removable
singularities of alpha_n and alpha_m, the 0 mV crossing rule of a single run, the HH
linearisation against an independent Jacobian, and the AdEx spike bookkeeping (w jumps by
b at the reported spike time, inside the step that shows the reset).

Written against mutation-testing survivors of lif_core.models.adex and lif_core.models.hh;
each check is a closed form, a published value, an independent computation or the exact
text of a refusal.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from refusals import whole
from scipy.optimize import brentq

from lif_core.models.adex import AdExParams, simulate_adex
from lif_core.models.hh import DT_HH, HHParams, HHState, simulate_hh, stability

# ------------------------------------------------------------------ AdEx refusals


def test_adex_refuses_hh_parameters_by_their_type_name():
    with pytest.raises(ValueError, match=whole("params must be an AdExParams, got HHParams")):
        simulate_adex(HHParams(), 0.0, duration=1e-3)


def test_adex_dt_above_0_2_ms_is_refused_with_the_whole_range():
    """dt = 0.3 ms: the message gives both bounds, 0 < dt <= 0.2 ms, in seconds."""
    message = "dt = 0.0003 s is out of range (allowed: dt > 0 s and dt <= 0.0002 s)"
    with pytest.raises(ValueError, match=whole(message)):
        simulate_adex(AdExParams(), 0.0, duration=3e-3, dt=3e-4)
    assert simulate_adex(AdExParams(), 0.0, duration=2e-3, dt=2e-4).dt == 2e-4


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"I": math.nan}, "I must be a finite number, got nan"),
        ({"V0": math.nan}, "V0 must be a finite number, got nan"),
        ({"w0": math.inf}, "w0 must be a finite number, got inf"),
        ({"V0": 0.0}, "V0 = 0.0 V is out of range (allowed: V0 <= -1e-06 V)"),
    ],
)
def test_adex_start_and_input_refusals_name_the_argument(kwargs, message):
    """V0 at V_peak (0 mV) is refused: it must start at least 1 µV below."""
    with pytest.raises(ValueError, match=whole(message)):
        simulate_adex(AdExParams(), duration=1e-3, **kwargs)


def test_adex_started_one_microvolt_below_V_peak_fires_at_once():
    """At V_peak - 1 µV, dV/dt ~ Delta_T e^((V - V_T)/Delta_T) / tau_m ~ 7e9 V/s: the spike
    is within 1e-12 s of the start, and the trace shows the reset."""
    p = AdExParams()
    run = simulate_adex(p, 0.0, duration=1e-3, V0=p.V_peak - 1e-6)
    assert run.spike_times[0][0] == pytest.approx(0.0, abs=1e-12)
    assert run.V[0, 1] < p.V_T


def test_adex_default_input_is_no_current():
    """Without I the neuron relaxes from E_L to its rest, where the leak balances the
    exponential term: V - E_L = Delta_T e^((V - V_T)/Delta_T) ~ 2 mV e^-10 = 91 nV, as
    E_L + 91 nV (1 - e^(-t/tau_m)). (g_L = 1 kS, C = 20 F: tau_m = 20 ms and a 1 A current
    would move it by 1 mV, so any default current shows without a blow-up.)"""
    p = AdExParams(g_L=1e3, C=20.0, a=0.0, b=0.0)
    run = simulate_adex(p, duration=5e-3)
    assert np.all(run.I == 0.0)
    shift = brentq(lambda x: x - p.Delta_T * math.exp((p.E_L + x - p.V_T) / p.Delta_T), 0, 1e-6)
    expected = p.E_L + shift * -np.expm1(-run.t / p.tau_m)
    assert np.abs(run.V[0] - expected).max() < 1e-11
    assert run.spike_times[0].size == 0


def test_adex_result_records_its_parameters_and_step():
    p = AdExParams(b=10e-12)
    run = simulate_adex(p, 100e-12, duration=2e-3, dt=5e-5)
    assert run.params is p
    assert run.dt == 5e-5
    assert run.t[-1] == pytest.approx(2e-3)


# ------------------------------------------------------------------ AdEx spike bookkeeping


def test_adex_overshooting_step_places_the_spike_inside_it_and_w_jumps_by_b_there():
    """tau_m = 0.2 ms = dt with Delta_T = 10 mV: one step from E_L overshoots V_peak.
    The spike is reported inside that step, and with a = 0 the adaptation current obeys
    tau_w dw/dt = -w exactly, so after the step w = w0 e^(-dt/tau_w) + b e^(-(dt - t_s)/tau_w)
    at the reported spike time t_s (second-order steps: to ~1e-3 pA here)."""
    p = AdExParams(C=0.4e-12, g_L=2e-9, Delta_T=10e-3, tau_w=30e-3, b=60e-12, a=0.0)
    dt, w0 = 2e-4, 100e-12
    run = simulate_adex(p, 200e-12, duration=dt, dt=dt, w0=w0)
    (t_s,) = run.spike_times[0]
    assert 0.0 < t_s <= dt
    assert p.V_r < run.V[0, 1] < p.V_peak  # reset to V_r = -55 mV and rising again
    expected = w0 * math.exp(-dt / p.tau_w) + p.b * math.exp(-(dt - t_s) / p.tau_w)
    assert run.w[0, 1] == pytest.approx(expected, abs=1e-14)


def test_adex_each_spike_lies_in_the_step_whose_end_shows_its_jump_of_b():
    """tau_m = 1 ms, 0.5 nA, dt = 0.2 ms (a hard, coarse regime: 13 spikes in 20 ms, some
    at a step's very end). With a = 0 the w trace jumps by b once per spike: the spikes
    counted in (t_k, t_k+1] equal the jumps seen at t_k+1."""
    p = AdExParams(C=2e-12, a=0.0)
    run = simulate_adex(p, 5e-10, duration=0.02, dt=2e-4)
    spikes = run.spike_times[0]
    assert spikes.size >= 10
    # round-off of (step + 1) dt - left + frac h is ~1e-14 steps; a spike may lie 1e-10 steps
    # into its step (one does here: V was -2 mV, just below V_peak, at the step's start)
    step = np.ceil(spikes / run.dt - 1e-12).astype(int)
    counted = np.bincount(step, minlength=run.t.size)[1:]
    jumps = np.rint((run.w[0, 1:] - run.w[0, :-1] * math.exp(-run.dt / p.tau_w)) / p.b)
    assert counted.tolist() == jumps.astype(int).tolist()
    assert spikes.max() <= run.t[-1]


# ------------------------------------------------------------------ HH refusals and defaults

P = HHParams()


def test_hh_refuses_adex_parameters_by_their_type_name():
    with pytest.raises(ValueError, match=whole("params must be an HHParams, got AdExParams")):
        simulate_hh(AdExParams(), 0.0, duration=1e-3)


def test_hh_dt_above_0_1_ms_is_refused_with_the_whole_range():
    message = "dt = 0.0002 s is out of range (allowed: dt > 0 s and dt <= 0.0001 s)"
    with pytest.raises(ValueError, match=whole(message)):
        simulate_hh(P, 0.0, duration=2e-3, dt=2e-4)
    assert simulate_hh(P, 0.0, duration=1e-3, dt=1e-4).dt == 1e-4


@pytest.mark.parametrize(
    ("state0", "message"),
    [
        (HHState(math.nan, 0.3, 0.05, 0.6), "state0.V must be a finite number, got nan"),
        (HHState(-65e-3, math.inf, 0.05, 0.6), "state0.n must be a finite number, got inf"),
        ((-65e-3, 0.3, 0.05), "zip() argument 2 is shorter than argument 1"),
        (
            HHState(np.full(3, -65e-3), 0.3, 0.05, 0.6),
            "I and state0 disagree on the number of conditions: [2, 3]",
        ),
    ],
)
def test_hh_initial_state_refusals(state0, message):
    """A state of three numbers is refused before any work (it needs V, n, m, h)."""
    with pytest.raises(ValueError, match=whole(message)):
        simulate_hh(P, np.zeros((2, 1)), duration=1e-3, state0=state0)


def test_hh_conditions_can_come_from_the_initial_state_alone():
    """Three starting potentials under one current: three runs, each from its own V."""
    V0 = np.array([-70e-3, -65e-3, -60e-3])
    run = simulate_hh(P, 0.0, duration=1e-3, state0=HHState(V0, 0.3177, 0.0529, 0.5961))
    assert run.V.shape == (3, run.t.size)
    assert run.V[:, 0].tolist() == V0.tolist()


def test_hh_default_input_is_no_current_and_rest_has_the_published_gates():
    """Without I the axon sits at its rest, -65.0 mV, with n = 0.3177, m = 0.0529,
    h = 0.5961 (Hodgkin & Huxley 1952 rates, Dayan & Abbott ch. 5) in every recorded gate."""
    run = simulate_hh(P, duration=5e-3)
    assert np.all(run.I == 0.0)
    assert run.spike_times[0].size == 0
    assert np.abs(run.V[0] * 1e3 + 65.0).max() < 0.05
    for gate, value in ((run.n, 0.3177), (run.m, 0.0529), (run.h, 0.5961)):
        assert np.isfinite(gate).all()
        assert np.abs(gate[0] - value).max() < 3e-4


# ------------------------------------------------------------------ HH gates at the singularities


def _alpha(scale: float, x: float) -> float:
    """Published alpha in 1/ms: scale * x / (1 - e^(-x/10)), limit 10 * scale at x = 0."""
    return scale * (10.0 if x == 0.0 else x / -math.expm1(-x / 10.0))


def _first_gate_step(V0: float, gate: str) -> tuple[float, float]:
    """Gate after one step from 0 (single run) and its exact relaxation at frozen V0:
    x1 = x_inf (1 - e^(-dt (alpha + beta))), with the published rates."""
    v = V0 * 1e3
    dt_ms = DT_HH * 1e3
    if gate == "n":
        a, b = _alpha(0.01, v + 55.0), 0.125 * math.exp(-(v + 65.0) / 80.0)
        state0 = HHState(V0, 0.0, 0.05, 0.6)
    else:
        a, b = _alpha(0.1, v + 40.0), 4.0 * math.exp(-(v + 65.0) / 18.0)
        state0 = HHState(V0, 0.3, 0.0, 0.6)
    run = simulate_hh(P, 0.0, duration=DT_HH, state0=state0)
    got = (run.n if gate == "n" else run.m)[0, 1]
    return got, a / (a + b) * -math.expm1(-dt_ms * (a + b))


@pytest.mark.parametrize("gate", ["n", "m"])
@pytest.mark.parametrize("offset_mV", [0.0, 9e-7, -9e-7, 3e-7])
def test_hh_gate_step_at_the_removable_singularity(gate, offset_mV):
    """alpha_n at -55 mV and alpha_m at -40 mV are 0/0; their limits are 0.1 and 1 per ms
    and within 1 nV of those points they follow x / (1 - e^(-x/10)) = 10 + x/2 + ...
    The first gate step from 0 is the exact relaxation with those rates (to 1e-13)."""
    V0 = ((-55.0 if gate == "n" else -40.0) + offset_mV) / 1e3
    got, expected = _first_gate_step(V0, gate)
    assert got == pytest.approx(expected, rel=1e-12)


# ------------------------------------------------------------------ HH 0 mV crossing, single run


def test_hh_single_run_starting_at_0_mV_has_not_crossed():
    state0 = HHState(0.0, 0.0, 1.0, 1.0)
    run = simulate_hh(P, 0.0, duration=0.5e-3, state0=state0)
    assert run.V[0, 1] > 0.0
    assert run.spike_times[0].size == 0


def test_hh_single_run_landing_exactly_on_0_mV_has_crossed():
    """A passive patch with E_L = 0 mV and tau = 3e-12 s reaches 0 mV exactly in one step."""
    p = HHParams(g_Na=0.0, g_K=0.0, E_L=0.0, C_m=1e-11)
    run = simulate_hh(p, 0.0, duration=0.1e-3, state0=HHState(-65e-3, 0.3, 0.05, 0.6))
    assert run.V[0, 1] == 0.0
    assert run.spike_times[0].tolist() == [DT_HH]


# ------------------------------------------------------------------ HH linearisation


def _rates_and_slopes(V: float, phi: float) -> list[tuple[float, float, float, float]]:
    """(alpha, beta, d alpha/dV, d beta/dV) of n, m, h in 1/s and 1/(V s), from the published
    rate functions, differentiated by complex step (exact to round-off)."""
    fns = [
        (lambda v: 0.01 * (v + 55) / (1 - np.exp(-(v + 55) / 10)),
         lambda v: 0.125 * np.exp(-(v + 65) / 80)),
        (lambda v: 0.1 * (v + 40) / (1 - np.exp(-(v + 40) / 10)),
         lambda v: 4.0 * np.exp(-(v + 65) / 18)),
        (lambda v: 0.07 * np.exp(-(v + 65) / 20),
         lambda v: 1.0 / (1 + np.exp(-(v + 35) / 10))),
    ]  # fmt: skip
    v, hstep, k = V * 1e3, 1e-20, phi * 1e3
    out = []
    for fa, fb in fns:
        da = (fa(v + 1j * hstep).imag / hstep) * 1e3
        db = (fb(v + 1j * hstep).imag / hstep) * 1e3
        out.append((k * fa(v).real, k * fb(v).real, k * da, k * db))
    return out


def _reference_eigenvalues(p: HHParams, I: float) -> np.ndarray:
    """Rest from the steady I–V curve (brentq), then the analytic Jacobian."""

    def gates(V):
        return [a / (a + b) for a, b, _, _ in _rates_and_slopes(V, 1.0)]

    def i_ss(V):
        n, m, h = gates(V)
        return (
            p.g_Na * m**3 * h * (V - p.E_Na) + p.g_K * n**4 * (V - p.E_K) + p.g_L * (V - p.E_L)
        ) * p.area - I

    V = brentq(i_ss, -0.1, 0.05, xtol=1e-16)
    n, m, h = gates(V)
    r = _rates_and_slopes(V, p.phi)
    C = p.C_m
    J = np.zeros((4, 4))
    J[0] = [
        -(p.g_Na * m**3 * h + p.g_K * n**4 + p.g_L) / C,
        -4 * p.g_K * n**3 * (V - p.E_K) / C,
        -3 * p.g_Na * m**2 * h * (V - p.E_Na) / C,
        -p.g_Na * m**3 * (V - p.E_Na) / C,
    ]
    for i, (x, (a, b, da, db)) in enumerate(zip((n, m, h), r, strict=True), start=1):
        J[i, 0] = da * (1 - x) - db * x
        J[i, i] = -(a + b)
    ev = np.linalg.eigvals(J)
    return ev[np.argsort(-ev.real)]


@pytest.mark.parametrize(
    ("temperature", "I"), [(6.3, None), (6.3, 2e-9), (18.5, 0.0), (30.0, -1e-9)]
)
def test_hh_stability_matches_the_analytic_jacobian(temperature, I):
    """Eigenvalues at rest equal those of the Jacobian derived by hand from the published
    equations (rates x 3^((T - 6.3)/10)); without I the rest is the one without current,
    stable, with a damped ringing."""
    p = P.replace(temperature=temperature)
    got = stability(p) if I is None else stability(p, I)
    expected = _reference_eigenvalues(p, 0.0 if I is None else I)
    assert np.abs(got - expected).max() < 1e-5 * np.abs(expected).max()
    if I is None:
        assert np.all(got.real < 0)
        assert np.abs(got.imag).max() > 0


def test_hh_stability_refuses_a_non_finite_current_by_name():
    with pytest.raises(ValueError, match=whole("I must be a finite number, got nan")):
        stability(P, math.nan)
