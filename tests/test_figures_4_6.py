"""Figure builders and the numbers behind chapters 4-6 (lif_figures.firing, lif_figures.synapses).

Checked against the closed forms of lif_core.theory: f–I zero below rheobase, the ceiling
1/t_ref, the t_ref = 0 linear asymptote, shunting shifts the f–I curve to the right without
dividing its slope, divides subthreshold responses, and the conductance-based synaptic
current changes sign exactly where V crosses E_syn.
"""

from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go
import pytest

from lif_core import LIFParams, fi_curve, simulate, theory
from lif_figures import firing, synapses
from lif_figures.style import COLORS, DASH_THEORY, MAX_POINTS

P = LIFParams()  # Dayan & Abbott: E_L = V_reset = -65 mV, V_th = -50 mV, tau = 10 ms, R = 10 MΩ


def by_name(fig: go.Figure) -> dict[str, go.Scatter]:
    return {tr.name: tr for tr in fig.data}


def axis_titles(fig: go.Figure, row: int = 1) -> tuple[str, str]:
    sx = "" if row == 1 else str(row)
    return fig.layout[f"xaxis{sx}"].title.text, fig.layout[f"yaxis{sx}"].title.text


def assert_valid_and_small(fig: go.Figure) -> None:
    """The figure passes plotly's full validation and no trace exceeds MAX_POINTS."""
    go.Figure(fig.to_dict())  # raises on any invalid property
    for tr in fig.data:
        if tr.x is not None:
            assert len(tr.x) <= MAX_POINTS, tr.name


def finite(x) -> np.ndarray:
    x = np.asarray(x, dtype=float)
    return x[np.isfinite(x)]


# ------------------------------------------------------------------------------ chapter 4


@pytest.fixture(scope="module")
def fi_sim():
    currents = np.linspace(0.0, 20e-9, 41)
    return (
        currents,
        fi_curve(P, currents, duration=0.5).rate,
        fi_curve(P.replace(t_ref=0.0), currents, duration=0.5).rate,
    )


def test_fi_figure_traces_axes_and_styles(fi_sim):
    currents, rate, rate0 = fi_sim
    fig = firing.fi_figure(P, 20e-9, currents, rate, rate0, I_op=3e-9)
    assert axis_titles(fig) == ("current (nA)", "rate (Hz)")
    traces = by_name(fig)
    assert {
        "theory, t_ref = 2 ms",
        "theory, t_ref = 0",
        "simulated, t_ref = 2 ms",
        "simulated, t_ref = 0",
        "asymptote, t_ref = 0",
        "rheobase 1.5 nA",
        "ceiling 1/t_ref = 500 Hz",
        "operating point",
    } <= set(traces)
    for name in ("theory, t_ref = 2 ms", "theory, t_ref = 0"):
        assert traces[name].line.dash == DASH_THEORY
        assert traces[name].mode == "lines"
    for name in ("simulated, t_ref = 2 ms", "simulated, t_ref = 0"):
        assert traces[name].mode == "markers"
    # rheobase and ceiling are labelled on the chart itself
    notes = {a.text for a in fig.layout.annotations}
    assert {"rheobase 1.5 nA", "ceiling 1/t_ref = 500 Hz"} <= notes
    assert_valid_and_small(fig)


def test_fi_theory_is_zero_below_rheobase_and_stays_under_the_ceiling():
    fig = firing.fi_figure(P, 40e-9)
    tr = by_name(fig)["theory, t_ref = 2 ms"]
    x, y = np.asarray(tr.x), np.asarray(tr.y)
    assert np.all(y[x <= 1.5] == 0.0)
    assert np.all(y[x > 1.5 + 1e-9] > 0.0)
    assert np.all(np.diff(y) >= 0.0)
    assert y.max() < 500.0
    # 40 nA: T = tau ln(400/385) = 0.382 ms, f = 1/(2 ms + T) = 419.8 Hz: most of the way up
    assert y[-1] == pytest.approx(1.0 / (2e-3 + 10e-3 * math.log(400 / 385)), rel=1e-9)
    assert np.all(np.asarray(by_name(fig)["ceiling 1/t_ref = 500 Hz"].y) == 500.0)
    assert np.all(np.asarray(by_name(fig)["rheobase 1.5 nA"].x) == pytest.approx(1.5))


def test_without_refractoriness_the_rate_approaches_the_linear_asymptote():
    fig = firing.fi_figure(P, 40e-9)
    f0 = by_name(fig)["theory, t_ref = 0"]
    asym = theory.firing_rate_asymptote(P, np.asarray(f0.x) * 1e-9)
    x, y = np.asarray(f0.x), np.asarray(f0.y)
    rel = np.abs(y - asym) / asym
    far = x >= 10.0
    assert rel[far][-1] < 1e-3  # 40 nA: within 0.1 %
    assert np.all(np.diff(rel[far]) < 0)  # and ever closer
    assert y[-1] > 2000.0  # no ceiling: far above 1/t_ref of the other curve


def test_simulated_fi_points_match_the_closed_form(fi_sim):
    currents, rate, rate0 = fi_sim
    for p, r in ((P, rate), (P.replace(t_ref=0.0), rate0)):
        f = theory.firing_rate(p, currents)
        measurable = f > 4.0  # at least two spikes in 0.5 s
        np.testing.assert_allclose(r[measurable], f[measurable], rtol=1e-6)
        assert np.all(r[currents <= P.rheobase] == 0.0)


def test_operating_point_star_sits_on_the_theory_curve():
    fig = firing.fi_figure(P, 10e-9, I_op=3e-9)
    star = by_name(fig)["operating point"]
    assert star.x[0] == pytest.approx(3.0)
    assert star.y[0] == pytest.approx(theory.firing_rate(P, 3e-9))
    # an operating current beyond the range widens the chart instead of vanishing
    wide = firing.fi_figure(P, 5e-9, I_op=12e-9)
    assert wide.layout.xaxis.range[1] == pytest.approx(12.0)


def test_no_ceiling_without_refractoriness():
    fig = firing.fi_figure(P.replace(t_ref=0.0), 10e-9)
    assert not any(name.startswith("ceiling") for name in by_name(fig))


def test_operating_point_numbers():
    op = firing.operating_point(P, 3e-9)
    T = 10e-3 * math.log(30 / 15)  # V_inf = -35 mV: ln((-35+65)/(-35+50))
    assert op.T_ms == pytest.approx(T * 1e3)
    assert op.isi_ms == pytest.approx(2.0 + T * 1e3)
    assert op.rate_theory_hz == pytest.approx(1.0 / (2e-3 + T))
    assert op.rate_noref_hz == pytest.approx(1.0 / T)
    assert op.ceiling_hz == pytest.approx(500.0)
    assert op.refractory_pct == pytest.approx(100 * 2e-3 / (2e-3 + T))
    silent = firing.operating_point(P, 1e-9)
    assert math.isinf(silent.T_ms) and silent.rate_theory_hz == 0.0
    assert math.isnan(silent.refractory_pct)


def test_operating_trace_and_voltage_figure():
    result, op = firing.operating_trace(P, 3e-9, 0.15)
    assert op.rate_sim_hz == pytest.approx(op.rate_theory_hz, rel=1e-6)
    fig = firing.voltage_trace_figure(result)
    assert axis_titles(fig) == ("time (ms)", "membrane potential V (mV)")
    traces = by_name(fig)
    assert traces["V"].line.color == COLORS["V"]
    assert traces["V"].line.dash is None  # simulated: solid
    # one refractory segment (held at V_reset, t_ref long) and one spike mark per spike
    n_spikes = len(result.spike_times[0])
    seg = np.asarray(traces["refractory period"].x, dtype=float).reshape(-1, 3)
    assert len(seg) == n_spikes
    widths = seg[:, 1] - seg[:, 0]
    # on the grid: the clamp covers the steps that start inside [t_spike, t_spike + t_ref);
    # the last one may be cut by the end of the simulation
    assert np.all(np.abs(widths[:-1] - 2.0) <= 0.1 + 1e-9)
    assert widths[-1] <= 2.0 + 0.1
    assert np.all(np.asarray(traces["refractory period"].y)[0::3] == -65.0)
    assert len(np.asarray(traces["spikes"].x).reshape(-1, 3)) == n_spikes
    assert_valid_and_small(fig)


def test_long_traces_are_downsampled():
    result = simulate(P, I=3e-9, duration=1.0)  # 10 000 samples
    fig = firing.voltage_trace_figure(result)
    assert len(by_name(fig)["V"].x) <= MAX_POINTS


def test_a_neuron_resting_above_threshold_starts_from_reset():
    p = P.replace(E_L=-45e-3)
    assert firing.start_potential(p) == p.V_reset
    assert firing.start_potential(P) == P.E_L
    result, op = firing.operating_trace(p, 0.0, 0.1)
    assert result.V[0, 0] == pytest.approx(p.V_reset)
    assert op.rate_theory_hz > 0  # fires without input
    assert op.rate_sim_hz == pytest.approx(op.rate_theory_hz, rel=1e-6)


def test_theory_currents_crowd_just_above_the_rheobase():
    grid = firing.theory_currents([1.5e-9, 3e-9], 10e-9)
    assert grid[0] == 0.0 and grid[-1] == 10e-9
    assert np.all(np.diff(grid) > 0)
    assert 1.5e-9 in grid and 3e-9 in grid
    assert np.sum((grid > 1.5e-9) & (grid < 1.6e-9)) >= 20


# ------------------------------------------------------------------------------ chapter 5


def test_sign_changes_interpolates_zero_crossings():
    t = np.linspace(0.0, 1.0, 1001)
    x = np.sin(2 * np.pi * 3 * t + 0.1)
    crossings = synapses.sign_changes(t, x)
    expected = (np.arange(1, 7) * np.pi - 0.1) / (2 * np.pi * 3)
    np.testing.assert_allclose(crossings, expected, atol=1e-5)
    active = t < 0.5
    assert np.all(synapses.sign_changes(t, x, active) < 0.5)


@pytest.fixture(scope="module")
def depolarising_gaba():
    # E_syn between reset and threshold, neuron firing: V crosses E_syn on every cycle
    return synapses.synapse_demo(P, 20.0, 20e-9, 10e-3, -57e-3, 1.8e-9)


def test_conductance_current_reverses_where_v_crosses_e_syn(depolarising_gaba):
    d = depolarising_gaba
    assert d.crossings.size > 10
    I_c = d.I_syn["conductance"]
    np.testing.assert_allclose(I_c, -d.g * (d.V["conductance"] - d.E_syn))
    # at each crossing V is on opposite sides of E_syn at the neighbouring grid points
    k = np.searchsorted(d.t, d.crossings)
    above = d.V["conductance"] > d.E_syn
    assert np.all(above[k - 1] != above[k])
    # inward below E_syn, outward above it (where the synapse is open)
    open_ = d.g > 1e-12
    assert np.all(I_c[open_ & ~above] >= 0.0)
    assert np.all(I_c[open_ & above] <= 0.0)
    # the current-based synapse never changes sign
    I_i = d.I_syn["current"]
    assert np.all(I_i >= 0.0)  # E_syn above E_L: always depolarising
    assert synapses.sign_changes(d.t, I_i, open_).size == 0


def test_current_based_synapse_uses_the_driving_force_at_rest():
    d = synapses.synapse_demo(P, 40.0, 10e-9, 5e-3, 0.0, 0.0)
    np.testing.assert_allclose(d.I_syn["current"], d.g * (0.0 - P.E_L))
    # same input, same simulation otherwise: the conductance model feels a smaller drive
    assert np.all(d.I_syn["conductance"] <= d.I_syn["current"] + 1e-18)
    assert d.mean_current["conductance"] < d.mean_current["current"]


def test_shunting_synapse_at_rest_does_nothing_without_other_input():
    d = synapses.synapse_demo(P, 50.0, 30e-9, 10e-3, P.E_L, 0.0)
    assert np.all(d.I_syn["current"] == 0.0)
    np.testing.assert_allclose(d.V["conductance"], P.E_L, atol=1e-12)
    np.testing.assert_allclose(d.V["current"], P.E_L, atol=1e-12)


def test_poisson_train_is_reproducible_and_regular_train_is_regular():
    a = synapses.synapse_demo(P, 30.0, 10e-9, 5e-3, 0.0, 1e-9, poisson=True, seed=0)
    b = synapses.synapse_demo(P, 30.0, 10e-9, 5e-3, 0.0, 1e-9, poisson=True, seed=0)
    np.testing.assert_array_equal(a.pre_spikes, b.pre_spikes)
    r = synapses.synapse_demo(P, 20.0, 10e-9, 5e-3, 0.0, 1e-9)
    np.testing.assert_allclose(np.diff(r.pre_spikes), 0.05)
    none = synapses.synapse_demo(P, 0.0, 10e-9, 5e-3, 0.0, 1e-9)
    assert none.pre_spikes.size == 0 and np.all(none.g == 0.0)


def test_presynaptic_figure(depolarising_gaba):
    d = depolarising_gaba
    fig = synapses.presynaptic_figure(d)
    assert axis_titles(fig) == ("time (ms)", "conductance (nS)")
    traces = by_name(fig)
    assert len(traces["presynaptic spikes"].x) == d.pre_spikes.size
    # events add up: a regular train at 20 Hz with tau_syn = 10 ms peaks at g_max/(1 - e^-5);
    # the chart shows the mean over each step (events on the grid): x (1 - e^-x)/x, x = dt/tau_syn
    x = d.dt / 10e-3
    peak = 20.0 / (1 - math.exp(-5)) * -math.expm1(-x) / x
    assert max(traces["conductance g(t)"].y) == pytest.approx(peak, rel=1e-6)
    assert_valid_and_small(fig)


@pytest.mark.parametrize("model", ["current", "conductance"])
def test_synapse_response_figure(depolarising_gaba, model):
    d = depolarising_gaba
    fig = synapses.synapse_response_figure(d, model)
    assert fig.layout.yaxis.title.text == "membrane potential V (mV)"
    assert fig.layout.yaxis2.title.text == "V − E_syn (mV)"
    assert axis_titles(fig, 3) == ("time (ms)", "current (nA)")
    traces = by_name(fig)
    assert traces["V"].line.color == COLORS["V"]
    assert {"E_syn", "inward (depolarising)", "outward (hyperpolarising)"} <= set(traces)
    if model == "conductance":
        assert len(traces["sign changes"].x) == d.crossings.size
        assert np.all(np.asarray(traces["sign changes"].y) == 0.0)
        assert np.all(np.asarray(traces["V crosses E_syn"].y) == pytest.approx(-57.0))
        assert "V − E_syn" in traces
    else:
        assert "sign changes" not in traces
        drive = np.asarray(traces["E_L − E_syn (frozen)"].y)
        assert np.all(drive == pytest.approx(-65.0 + 57.0))
    # both panels share their ranges so they compare side by side
    other = synapses.synapse_response_figure(d, "current" if model == "conductance" else model)
    assert fig.layout.yaxis.range == other.layout.yaxis.range
    assert_valid_and_small(fig)


def test_far_away_reversal_potential_is_labelled_not_squeezed_in():
    d = synapses.synapse_demo(P, 20.0, 20e-9, 5e-3, 0.0, 1.2e-9)  # AMPA, E_syn = 0 mV
    fig = synapses.synapse_response_figure(d, "conductance")
    assert fig.layout.yaxis.range[1] < -40.0
    assert any("E_syn = 0 mV" in a.text for a in fig.layout.annotations)


def test_unknown_model_is_rejected(depolarising_gaba):
    with pytest.raises(ValueError, match="model"):
        synapses.synapse_response_figure(depolarising_gaba, "voltage")


# ------------------------------------------------------------------------------ chapter 6


@pytest.fixture(scope="module")
def shunt():
    return synapses.shunting_demo(P, 30e-9, 100e-9, 0.0)


def test_shunting_inhibition_alone_does_not_move_v_but_divides_the_epsp(shunt):
    s = shunt
    assert abs(s.peak_I_mV) < 1e-6
    np.testing.assert_allclose(s.V["I"], P.E_L, atol=1e-12)
    assert s.peak_EI_mV < s.peak_E_mV
    assert s.linear_mV == pytest.approx(s.peak_E_mV + s.peak_I_mV)
    assert s.nonlinear_mV == pytest.approx(s.peak_EI_mV - s.linear_mV)
    assert s.nonlinear_mV < -0.5  # clearly sublinear
    assert s.nonlinear_pct == pytest.approx(100 * s.nonlinear_mV / s.peak_E_mV)
    # a brief EPSP is divided, but less than a steady input would be
    assert s.conductance_ratio == pytest.approx(0.5)
    assert s.conductance_ratio < s.epsp_ratio < 1.0
    np.testing.assert_allclose(s.V["E + I (sum)"], s.V["E"] + s.V["I"] - P.E_L)


def test_shunting_numbers_match_the_closed_forms(shunt):
    V_inf, tau_eff = theory.conductance_steady_state(P, 100e-9, P.E_L)
    assert shunt.tau_eff_ms == pytest.approx(tau_eff * 1e3) == pytest.approx(5.0)
    assert shunt.tau_ms == pytest.approx(10.0)
    assert shunt.V_rest_inh_mV == pytest.approx(V_inf * 1e3)


def test_without_inhibition_summation_is_linear():
    s = synapses.shunting_demo(P, 30e-9, 0.0, 0.0)
    assert s.nonlinear_mV == pytest.approx(0.0, abs=1e-9)
    assert s.epsp_ratio == pytest.approx(1.0)


def test_hyperpolarising_inhibition_moves_v_to_its_steady_state():
    s = synapses.shunting_demo(P, 30e-9, 100e-9, -15e-3)
    V_inf, _ = theory.conductance_steady_state(P, 100e-9, P.E_L - 15e-3)
    assert s.peak_I_mV == pytest.approx((V_inf - P.E_L) * 1e3, abs=0.01)  # -7.5 mV
    assert s.nonlinear_mV < 0.0


def test_shunting_figure(shunt):
    fig = synapses.shunting_figure(shunt)
    assert fig.layout.yaxis.title.text == "membrane potential V (mV)"
    assert axis_titles(fig, 2) == ("time (ms)", "conductance (nS)")
    traces = by_name(fig)
    assert {
        "E alone",
        "I alone",
        "E and I together",
        "linear sum (E alone + I alone)",
        "g_exc",
        "g_inh",
    } <= set(traces)
    assert traces["E and I together"].line.color == COLORS["V"]
    assert max(traces["E and I together"].y) == pytest.approx(-65.0 + shunt.peak_EI_mV, abs=0.05)
    assert_valid_and_small(fig)


def test_epsp_curves_shunting_divides_hyperpolarising_subtracts():
    conds = firing.inhibition_conditions(P, 100e-9, -15e-3)
    c = synapses.epsp_curves(P, synapses.EPSP_G_EXC, conds)
    none, shunting, hyper = (c.peak[k.label] for k in conds)
    assert none[0] == pytest.approx(0.0, abs=1e-9) and shunting[0] == pytest.approx(0.0, abs=1e-9)
    assert hyper[0] == pytest.approx(-7.5, abs=0.01)  # offset: subtractive
    ratio = shunting[1:] / none[1:]
    assert np.all(ratio < 1.0)
    assert np.ptp(ratio) < 0.05 * ratio.mean()  # nearly one factor: divisive
    fig = synapses.epsp_curves_figure(c, g_mark=30e-9)
    assert axis_titles(fig) == ("excitatory peak conductance (nS)", "peak V − E_L (mV)")
    assert {k.label for k in conds} | {"your g_exc"} <= set(by_name(fig))
    assert_valid_and_small(fig)


def test_inhibition_conditions():
    none, shunting, hyper = firing.inhibition_conditions(P, 100e-9, -15e-3)
    assert none.g == 0.0
    assert shunting.g == hyper.g == 100e-9
    assert shunting.E_syn == P.E_L
    assert hyper.E_syn == pytest.approx(P.E_L - 15e-3)


def test_shunting_shifts_the_fi_curve_right_without_dividing_it():
    conds = firing.inhibition_conditions(P, 100e-9, -15e-3)
    summary = firing.inhibition_summary(P, conds)
    base, shunting, hyper = summary
    assert base.rheobase_nA == pytest.approx(1.5)
    assert shunting.rheobase_shift_nA == pytest.approx(100e-9 * 15e-3 * 1e9)  # g (V_th - E_L)
    assert hyper.rheobase_shift_nA == pytest.approx(100e-9 * 30e-3 * 1e9)
    assert 0.0 < shunting.shift_ref_nA < hyper.shift_ref_nA
    # at 100 Hz the slope is not divided: ratio at or above 1
    assert shunting.gain_ratio >= 1.0 and hyper.gain_ratio >= 1.0
    for s, c in zip(summary, conds, strict=True):
        assert theory.firing_rate(P, s.I_ref_nA * 1e-9, c.g, c.E_syn) == pytest.approx(100.0)
        assert s.tau_eff_ms == pytest.approx(
            theory.conductance_steady_state(P, c.g, c.E_syn)[1] * 1e3
        )
    # everywhere in the firing range, shunting needs more current for the same rate
    currents = np.linspace(0, 20e-9, 4001)
    f0 = theory.firing_rate(P, currents)
    f1 = theory.firing_rate(P, currents, 100e-9, P.E_L)
    assert np.all(f1 <= f0)
    assert np.all(f1[currents <= 3e-9] == 0.0)


def test_inhibition_fi_figure_with_simulated_points():
    conds = firing.inhibition_conditions(P, 100e-9, -15e-3)
    I_max = firing.fi_current_range(P, conds)
    assert I_max >= 2 * 4.5e-9  # twice the largest rheobase (hyperpolarising: 4.5 nA)
    currents = np.linspace(0.0, I_max, 31)
    rates = [fi_curve(P, currents, duration=0.5, g_syn=c.g, E_syn=c.E_syn).rate for c in conds]
    fig = firing.inhibition_fi_figure(P, conds, I_max, currents, rates)
    assert axis_titles(fig) == ("current (nA)", "rate (Hz)")
    traces = by_name(fig)
    for c, r in zip(conds, rates, strict=True):
        th = traces[c.label]
        assert th.line.dash == DASH_THEORY
        x, y = np.asarray(th.x), np.asarray(th.y)
        rh = theory.rheobase(P, c.g, c.E_syn) * 1e9
        assert np.all(y[x <= rh] == 0.0) and np.all(y[x > rh + 1e-9] > 0.0)
        sim = traces[f"simulated: {c.label}"]
        assert sim.mode == "markers"
        f = theory.firing_rate(P, currents, c.g, c.E_syn)
        ok = f > 4.0
        np.testing.assert_allclose(r[ok], f[ok], rtol=1e-6)
    assert_valid_and_small(fig)


def test_figures_do_not_share_mutable_layout_state():
    a = firing.fi_figure(P, 10e-9)
    a.update_layout(height=123)
    a.layout.xaxis.title.text = "changed"
    b = firing.fi_figure(P, 10e-9)
    assert b.layout.height != 123
    assert b.layout.xaxis.title.text == "current (nA)"
    assert len(finite(b.data[0].x)) > 0
