"""What the chapter 4-6 charts draw, in display units, against their records and theory.

Each named trace's x and y are read back (tests/figure_reader.py) and compared with the
record it was drawn from and with closed forms written out here: simulated f–I markers at
x in nA and y in Hz, the t_ref = 0 markers drawing the t_ref = 0 data, conductances in nS,
every reference line at its value. Neurons tell formulas apart (V_reset ≠ E_L, t_ref off
the grid, E_syn ≠ 0).
"""

from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go
import pytest
from figure_reader import Chart, assert_drawn_from
from mutation_aware import shared_scope

from lif_core import LIFParams, simulate
from lif_core.analysis import firing as fa
from lif_core.analysis import inhibition as inh
from lif_core.analysis import synapses as syn
from lif_figures import firing, synapses
from lif_figures.style import COLORS, DASH_THEORY, HALF_POINTS, MAX_POINTS

#: τ = 12 ms, rheobase 0.85 nA, V_reset ≠ E_L, t_ref = 2.35 ms (off the 0.1 ms grid).
Q = LIFParams(R=20e6, C=0.6e-9, E_L=-68e-3, V_th=-51e-3, V_reset=-61e-3, t_ref=2.35e-3)


def rate_by_hand(p, I_nA, g_nS=0.0, E_syn_mV=0.0, t_ref=None):
    """f (Hz) = 1/(t_ref + τ_eff ln((V∞ − V_reset)/(V∞ − V_th))), from display units."""
    I = np.asarray(I_nA, dtype=float) * 1e-9
    g, E = g_nS * 1e-9, E_syn_mV * 1e-3
    g_tot = 1 / p.R + g
    V_inf = (p.E_L / p.R + g * E + I) / g_tot
    tau = p.C / g_tot
    t_ref = p.t_ref if t_ref is None else t_ref
    with np.errstate(divide="ignore", invalid="ignore"):
        T = tau * np.log((V_inf - p.V_reset) / (V_inf - p.V_th))
        return np.where(V_inf > p.V_th, 1 / (t_ref + T), 0.0)


def assert_valid(fig: go.Figure) -> None:
    """The figure passes plotly's full validation and no trace exceeds MAX_POINTS."""
    go.Figure(fig.to_dict())
    assert max(len(t.x) for t in Chart(fig).traces) <= MAX_POINTS


# ------------------------------------------------------------------------------ chapter 4


@pytest.fixture(scope=shared_scope)
def fi():
    pts = fa.fi_points(Q, 20e-9, 41, duration=0.5)
    return fa.fi_curves(Q, 20e-9, pts, I_op=3e-9)


def test_fi_chart_draws_each_curve_from_its_own_data(fi):
    chart = Chart(firing.fi_figure(fi))
    chart.assert_names(
        {
            "simulated, t_ref = 0",
            "simulated, t_ref = 2.35 ms",
            "theory, t_ref = 0",
            "theory, t_ref = 2.35 ms",
            "asymptote, t_ref = 0",
            "rheobase 0.85 nA",
            "ceiling 1/t_ref = 426 Hz",
            "operating point",
        }
    )
    assert chart.titles == {"xaxis": "current (nA)", "yaxis": "rate (Hz)"}
    # closed forms in nA and Hz: with t_ref, without it, and the linear asymptote
    th = chart["theory, t_ref = 2.35 ms"]
    np.testing.assert_allclose(th.x, fi.I * 1e9)
    np.testing.assert_allclose(th.y, rate_by_hand(Q, th.x), rtol=1e-12)
    th0 = chart["theory, t_ref = 0"]
    np.testing.assert_allclose(th0.y, rate_by_hand(Q, th0.x, t_ref=0.0), rtol=1e-12)
    asym = chart["asymptote, t_ref = 0"]
    slope = (Q.R * asym.x * 1e-9 + Q.E_L - (Q.V_th + Q.V_reset) / 2) / (Q.tau * 10e-3)
    np.testing.assert_allclose(asym.y, slope, rtol=1e-9)
    # drawn only where it is positive: from R I = (V_th + V_reset)/2 − E_L, I = 0.6 nA
    assert np.all(asym.y >= 0) and asym.x[0] == pytest.approx(0.6, abs=0.06)
    # simulated markers: the t_ref markers on the t_ref curve, the t_ref = 0 ones on theirs
    sim, sim0 = chart["simulated, t_ref = 2.35 ms"], chart["simulated, t_ref = 0"]
    np.testing.assert_allclose(sim.x, np.linspace(0, 20, 41))
    np.testing.assert_allclose(sim0.x, sim.x)
    for tr, t_ref in ((sim, Q.t_ref), (sim0, 0.0)):
        f = rate_by_hand(Q, tr.x, t_ref=t_ref)
        ok = f > 4.0
        np.testing.assert_allclose(tr.y[ok], f[ok], rtol=1e-9)
        assert np.all(tr.y[tr.x <= 0.85] == 0.0)
        assert tr.mode == "markers"
    # styles: theory dashed, simulation as markers, t_ref = 0 in the second colour
    assert th.dash == th0.dash == DASH_THEORY and asym.dash == "dot"
    assert th0.color == sim0.color == COLORS["alt"]
    assert th.color == COLORS["theory"] and sim.color == COLORS["spike"]


def test_fi_chart_reference_lines_and_operating_point(fi):
    chart = Chart(firing.fi_figure(fi))
    y_top = chart.axis_range("yaxis")[1]
    assert chart.vline("rheobase 0.85 nA") == pytest.approx(0.85)
    assert chart["rheobase 0.85 nA"].y.tolist() == pytest.approx([0.0, y_top])
    assert chart.hline("ceiling 1/t_ref = 426 Hz") == pytest.approx(1 / 2.35e-3)
    assert chart["ceiling 1/t_ref = 426 Hz"].x.tolist() == pytest.approx([0.0, 20.0])
    assert not chart["rheobase 0.85 nA"].showlegend
    assert not chart["ceiling 1/t_ref = 426 Hz"].showlegend
    # labelled on the chart where no curve is: the rheobase left of its line (every rate is
    # 0 there), reading upwards from the top; the ceiling under its line at the right end
    rh, ceil = chart.annotation("rheobase"), chart.annotation("ceiling")
    assert (rh["x"], rh["y"]) == pytest.approx((0.85, y_top))
    assert (rh["xanchor"], rh["yanchor"], rh["textangle"]) == ("right", "top", -90)
    assert (ceil["x"], ceil["y"]) == pytest.approx((20.0, 1 / 2.35e-3))
    # this t_ref curve comes within a label's height (8 % of the range) of the ceiling by
    # 20 nA, so the label goes above the line, where the t_ref = 0 curve has left the chart
    assert chart["theory, t_ref = 2.35 ms"].y.max() > 1 / 2.35e-3 - 0.08 * y_top
    assert ceil["yanchor"] == "bottom"
    th0 = chart["theory, t_ref = 0"]
    assert np.interp(1 / 2.35e-3 + 0.08 * y_top, th0.y, th0.x) < 0.45 * 20.0
    # the default neuron's curve stays far below its 500 Hz ceiling: the label goes under it
    default = Chart(firing.fi_figure(fa.fi_curves(LIFParams(), 20e-9)))
    assert default["theory, t_ref = 2 ms"].y.max() < 500.0 - 0.08 * default.axis_range()[1]
    assert default.annotation("ceiling")["yanchor"] == "top"
    star = chart["operating point"]
    assert (star.x[0], star.y[0]) == pytest.approx((3.0, float(rate_by_hand(Q, 3.0))))
    # ranges: the whole current range; rates up to twice the ceiling (or the highest rate)
    assert chart.axis_range("xaxis") == (0.0, 20.0)
    assert y_top == pytest.approx(
        1.08 * min(max(fi.rate_noref.max(), 10.0), firing.FI_TOP_CEILINGS / Q.t_ref)
    )


def test_fi_chart_says_where_the_unbounded_curve_leaves_it(fi):
    """The t_ref = 0 curve leaves the top: a label there gives its rate at the last current,
    placed above-left of the rising lines (or in the free top-right corner), and the
    simulated points share a legend entry with their curve (one entry per curve)."""
    chart = Chart(firing.fi_figure(fi))
    y_top = chart.axis_range("yaxis")[1]
    th0 = chart["theory, t_ref = 0"]
    assert th0.y.max() > y_top  # it does leave
    label = chart.annotation("t_ref = 0 ↗")
    assert label["text"] == f"t_ref = 0 ↗ {rate_by_hand(Q, 20.0, t_ref=0.0):.0f} Hz at 20 nA"
    assert label["y"] == pytest.approx(y_top) and label["yanchor"] == "top"
    exit_x = np.interp(y_top, th0.y, th0.x)
    asym = chart["asymptote, t_ref = 0"]
    asym_exit = np.interp(y_top, asym.y, asym.x)
    if label["xanchor"] == "right" and label["x"] < 20.0:
        # left of both lines, a label's height below the top still clear of the asymptote
        assert label["x"] < min(exit_x, asym_exit)
        assert np.interp(label["x"], asym.x, asym.y) < y_top - 0.08 * y_top
    else:
        assert exit_x <= 0.45 * 20.0
    # legend: one entry per curve (the dashed closed form), the points in its group
    for sim, theory in (
        ("simulated, t_ref = 0", "theory, t_ref = 0"),
        ("simulated, t_ref = 2.35 ms", "theory, t_ref = 2.35 ms"),
    ):
        assert chart[sim].showlegend is False
        assert chart[sim].raw["legendgroup"] == chart[theory].raw["legendgroup"]
    # hollow t_ref = 0 squares: the asymptote and the dashed curve show through them
    assert chart["simulated, t_ref = 0"].raw["marker"]["symbol"] == "square-open"


def test_fi_chart_ceiling_label_goes_above_when_the_curve_comes_close():
    """A long refractory period: the t_ref curve nearly reaches its ceiling by 40 nA."""
    p = Q.replace(t_ref=10e-3)
    chart = Chart(firing.fi_figure(fa.fi_curves(p, 40e-9)))
    y_top = chart.axis_range("yaxis")[1]
    assert chart["theory, t_ref = 10 ms"].y.max() > 100.0 - 0.08 * y_top
    ceil = chart.annotation("ceiling")
    assert ceil["yanchor"] == "bottom" and ceil["x"] == pytest.approx(40.0)
    # above the line at the right end the t_ref = 0 curve has long left the chart
    th0 = chart["theory, t_ref = 0"]
    assert np.interp(y_top, th0.y, th0.x) < 0.45 * 40.0


def test_fi_chart_without_refractoriness_or_points():
    free = Q.replace(t_ref=0.0)
    chart = Chart(firing.fi_figure(fa.fi_curves(free, 10e-9)))
    chart.assert_names(
        {"theory, t_ref = 0", "theory, t_ref = 0 ms", "asymptote, t_ref = 0", "rheobase 0.85 nA"}
    )
    assert not any(a["text"].startswith("ceiling") for a in chart.annotations)
    np.testing.assert_allclose(
        chart["theory, t_ref = 0 ms"].y, rate_by_hand(free, chart["theory, t_ref = 0 ms"].x)
    )
    # an operating current beyond the range widens the chart instead of vanishing
    wide = Chart(firing.fi_figure(fa.fi_curves(Q, 5e-9, I_op=12e-9)))
    assert wide.axis_range("xaxis")[1] == pytest.approx(12.0)
    assert wide["operating point"].x[0] == pytest.approx(12.0)


def test_voltage_trace_chart_draws_v_refractory_periods_and_spikes():
    result, _ = fa.operating_trace(Q, 3e-9, 0.15)
    chart = Chart(firing.voltage_trace_figure(result))
    chart.assert_names({"V", "refractory period", "spikes", "threshold V_th", "reset V_reset"})
    assert chart.titles == {"xaxis": "time (ms)", "yaxis": "membrane potential V (mV)"}
    V = chart["V"]
    assert_drawn_from(V, result.t * 1e3, result.V[0] * 1e3, atol_x=1e-9, atol_y=1e-9)
    assert V.color == COLORS["V"] and V.dash is None
    spikes = result.spike_times[0]
    # one refractory segment per spike at V_reset, from the first clamped grid point to the
    # end of the last clamped step: t_ref = 2.35 ms rounded to the grid (2.3 or 2.4 ms)
    segs = chart["refractory period"].segments()
    assert len(segs) == spikes.size
    for (x, y), ts in zip(segs, spikes, strict=True):
        assert y.tolist() == pytest.approx([-61.0, -61.0])
        assert x[0] == pytest.approx(math.ceil(ts * 1e4) / 10)  # first grid point after t_s
        if x[1] < 150.0 - 1e-9:
            assert x[1] - x[0] in (pytest.approx(2.3), pytest.approx(2.4))
            assert abs(x[1] - (ts * 1e3 + 2.35)) <= 0.1 + 1e-9
    marks = chart["spikes"].segments()
    assert len(marks) == spikes.size
    for (x, y), ts in zip(marks, spikes, strict=True):
        assert x.tolist() == pytest.approx([ts * 1e3] * 2)
        assert y.tolist() == pytest.approx([-51.0, -41.0])
    assert chart.hline("threshold V_th") == pytest.approx(-51.0)
    assert chart.hline("reset V_reset") == pytest.approx(-61.0)
    assert chart["threshold V_th"].x.tolist() == pytest.approx([0.0, 150.0])
    assert chart.axis_range("yaxis") == pytest.approx((-68.0 - 3.0, -41.0 + 3.0))
    assert chart.axis_range("xaxis") == pytest.approx((0.0, 150.0))
    assert_valid(firing.voltage_trace_figure(result))


def test_long_voltage_traces_keep_every_reset():
    result = simulate(Q, I=3e-9, duration=1.0)  # 10 000 samples
    chart = Chart(firing.voltage_trace_figure(result))
    V = chart["V"]
    assert len(V.x) <= MAX_POINTS
    assert_drawn_from(V, result.t * 1e3, result.V[0] * 1e3)
    assert np.sum(np.isclose(V.y, -61.0)) >= result.spike_times[0].size


# ------------------------------------------------------------------------------ chapter 5


@pytest.fixture(scope=shared_scope)
def gaba():
    """E_syn = -57 mV between reset and threshold, neuron firing: V crosses E_syn each cycle."""
    return syn.synapse_demo(Q, 20.0, 20e-9, 10e-3, -57e-3, 1.4e-9)


def test_presynaptic_chart_draws_the_conductance_in_nS(gaba):
    d = gaba
    chart = Chart(synapses.presynaptic_figure(d))
    chart.assert_names({"conductance g(t)", "presynaptic spikes"})
    assert chart.titles == {"xaxis": "time (ms)", "yaxis": "conductance (nS)"}
    g = chart["conductance g(t)"]
    assert_drawn_from(g, d.t * 1e3, d.g * 1e9)
    # a regular 20 Hz train through τ_syn = 10 ms: the events add up to g_max/(1 − e^−5),
    # drawn as the mean over the 0.1 ms step after each event, a factor τ/dt (1 − e^(−dt/τ))
    step_mean = 10e-3 / 1e-4 * (1 - math.exp(-1e-4 / 10e-3))
    assert g.y.max() == pytest.approx(20.0 / (1 - math.exp(-5)) * step_mean, rel=1e-9)
    ticks = chart["presynaptic spikes"]
    np.testing.assert_allclose(ticks.x, d.pre_spikes * 1e3)
    assert np.all(ticks.y == pytest.approx(1.12 * g.y.max()))
    assert g.color == COLORS["exc"]  # E_syn above rest: depolarising at rest
    assert chart.axis_range("yaxis") == pytest.approx((0.0, 1.25 * g.y.max()))
    inhibitory = syn.synapse_demo(Q, 20.0, 20e-9, 10e-3, -80e-3, 1.4e-9)
    assert Chart(synapses.presynaptic_figure(inhibitory))["conductance g(t)"].color == COLORS["inh"]


@pytest.mark.parametrize("model", ["current", "conductance"])
def test_synapse_response_chart_draws_v_drive_and_current(gaba, model):
    d = gaba
    chart = Chart(synapses.synapse_response_figure(d, model))
    drive_name = "V − E_syn" if model == "conductance" else "E_L − E_syn (frozen)"
    expected = {
        "V",
        "E_syn",
        "threshold V_th",
        drive_name,
        "inward (depolarising)",
        "outward (hyperpolarising)",
    }
    if model == "conductance":
        expected |= {"V crosses E_syn", "sign changes"}
    chart.assert_names(expected)
    assert chart.titles == {
        "yaxis": "membrane potential V (mV)",
        "yaxis2": "V − E_syn (mV)",
        "yaxis3": "current (nA)",
        "xaxis3": "time (ms)",
    }
    assert_drawn_from(chart["V"], d.t * 1e3, d.V[model] * 1e3)
    assert chart.hline("E_syn") == pytest.approx(-57.0)
    assert chart.hline("threshold V_th") == pytest.approx(-51.0)
    drive = chart[drive_name]
    assert drive.yaxis == "y2"
    if model == "conductance":
        assert_drawn_from(drive, d.t * 1e3, (d.V[model] + 57e-3) * 1e3)
        assert drive.dash is None
    else:
        assert np.all(drive.y == pytest.approx(-68.0 + 57.0))
        assert drive.dash == "dash"
    # the synaptic current, split by sign, in nA
    I = d.I_syn[model] * 1e9
    pos, neg = chart["inward (depolarising)"], chart["outward (hyperpolarising)"]
    assert_drawn_from(pos, d.t * 1e3, np.where(I > 0, I, 0.0))
    assert_drawn_from(neg, d.t * 1e3, np.where(I < 0, I, 0.0))
    assert pos.yaxis == neg.yaxis == "y3"
    if model == "conductance":
        assert np.any(neg.y < -0.01) and np.any(pos.y > 0.01)
        cross = chart["V crosses E_syn"]
        np.testing.assert_allclose(cross.x, d.crossings * 1e3)
        assert np.all(cross.y == pytest.approx(-57.0))
        signs = chart["sign changes"]
        np.testing.assert_allclose(signs.x, d.crossings * 1e3)
        assert np.all(signs.y == 0.0) and signs.yaxis == "y3"
    else:
        assert np.all(neg.y == 0.0)  # E_L below E_syn: the frozen current is always inward


def test_both_synapse_charts_share_their_ranges(gaba):
    a = Chart(synapses.synapse_response_figure(gaba, "current"))
    b = Chart(synapses.synapse_response_figure(gaba, "conductance"))
    for axis in ("yaxis", "yaxis2", "yaxis3", "xaxis3"):
        assert a.axis_range(axis) == b.axis_range(axis)
    V_all = np.concatenate([gaba.V["current"], gaba.V["conductance"]]) * 1e3
    lo, hi = a.axis_range("yaxis")
    assert lo == pytest.approx(V_all.min() - 2.0) and hi == pytest.approx(-51.0 + 2.0)


def test_a_far_reversal_potential_is_labelled_not_squeezed_in():
    d = syn.synapse_demo(Q, 20.0, 20e-9, 5e-3, 0.0, 1.2e-9)  # AMPA, E_syn = 0 mV
    chart = Chart(synapses.synapse_response_figure(d, "conductance"))
    assert chart.axis_range("yaxis")[1] < -40.0
    note = chart.annotation("E_syn = 0 mV")
    assert note["text"] == "E_syn = 0 mV, above this range"


def test_unknown_synapse_model_is_refused(gaba):
    with pytest.raises(ValueError, match="model = 'voltage' is not known"):
        synapses.synapse_response_figure(gaba, "voltage")


# ------------------------------------------------------------------------------ chapter 6


@pytest.fixture(scope=shared_scope)
def shunt():
    return inh.shunting_demo(Q, 30e-9, 50e-9, -6e-3)


def test_shunting_chart_draws_each_response_and_the_conductances(shunt):
    s = shunt
    chart = Chart(synapses.shunting_figure(s))
    chart.assert_names(
        {
            "E alone",
            "I alone",
            "E and I together",
            "linear sum (E alone + I alone)",
            "E_inh",
            "E_L (rest)",
            "g_inh",
            "g_exc",
        }
    )
    assert chart.titles == {
        "yaxis": "membrane potential V (mV)",
        "yaxis2": "conductance (nS)",
        "xaxis2": "time (ms)",
    }
    t_ms = s.t * 1e3
    for name, key in (
        ("E alone", "E"),
        ("I alone", "I"),
        ("E and I together", "E+I"),
        ("linear sum (E alone + I alone)", "E + I (sum)"),
    ):
        assert_drawn_from(chart[name], t_ms, s.V[key] * 1e3)
        assert chart[name].yaxis == "y"
    assert chart["E and I together"].y.max() == pytest.approx(-68.0 + 1e3 * s.peak_EI, abs=1e-9)
    assert chart["linear sum (E alone + I alone)"].dash == "dot"
    assert chart["E and I together"].color == COLORS["V"]
    assert chart.hline("E_inh") == pytest.approx(-74.0)
    assert chart.hline("E_L (rest)") == pytest.approx(-68.0)
    g_inh, g_exc = chart["g_inh"], chart["g_exc"]
    assert g_inh.yaxis == g_exc.yaxis == "y2"
    assert_drawn_from(g_inh, t_ms, s.g_inh * 1e9)
    assert_drawn_from(g_exc, t_ms, s.g_exc * 1e9)
    step_mean = 5e-3 / 1e-4 * (1 - math.exp(-1e-4 / 5e-3))  # the event's first step
    assert g_inh.y.max() == pytest.approx(50.0) and g_exc.y.max() == pytest.approx(30.0 * step_mean)
    assert max(len(t.x) for t in chart.traces) <= HALF_POINTS
    assert chart.axis_range("xaxis") == pytest.approx((0.0, 140.0))


def test_epsp_curves_chart_draws_peaks_in_mV_against_nS():
    conds = inh.inhibition_conditions(Q, 50e-9, -16e-3)
    curves = inh.epsp_curves(Q, inh.EPSP_G_EXC, conds)
    chart = Chart(synapses.epsp_curves_figure(curves, Q, g_mark=30e-9))
    labels = [firing.condition_label(Q, c) for c in conds]
    assert labels == [
        "no inhibition",
        "shunting: 50 nS, E_inh = E_L = −68 mV",
        "hyperpolarising: 50 nS, E_inh = −84 mV",
    ]
    chart.assert_names({*labels, "your g_exc"})
    assert chart.titles == {
        "xaxis": "excitatory peak conductance (nS)",
        "yaxis": "peak V − E_L (mV)",
    }
    for c, label in zip(conds, labels, strict=True):
        tr = chart[label]
        np.testing.assert_allclose(tr.x, np.linspace(0, 100, 26))
        np.testing.assert_allclose(tr.y, curves.peak[c.kind] * 1e3)
        assert tr.color == firing.CONDITION_COLORS[c.kind]
    assert chart["hyperpolarising: 50 nS, E_inh = −84 mV"].y[0] == pytest.approx(-8.0, abs=0.02)
    assert chart.vline("your g_exc") == pytest.approx(30.0)
    ys = np.concatenate([curves.peak[k] for k in inh.CONDITION_KINDS]) * 1e3
    assert chart["your g_exc"].y.tolist() == pytest.approx([min(0.0, ys.min()), ys.max()])
    no_mark = Chart(synapses.epsp_curves_figure(curves, Q))
    assert "your g_exc" not in no_mark


def test_inhibition_fi_chart_draws_each_condition_from_its_own_data():
    conds = inh.inhibition_conditions(Q, 40e-9, -12e-3)
    fi = inh.inhibition_fi(Q, conds, 5e-9, n_sim=11, duration=0.5)
    chart = Chart(firing.inhibition_fi_figure(fi))
    labels = [firing.condition_label(Q, c) for c in conds]
    chart.assert_names({*labels, *(f"simulated: {x}" for x in labels), "100 Hz"})
    assert chart.titles == {"xaxis": "current (nA)", "yaxis": "rate (Hz)"}
    for c, label in zip(conds, labels, strict=True):
        g_nS, E_mV = c.g * 1e9, c.E_syn * 1e3
        th = chart[label]
        np.testing.assert_allclose(th.y, rate_by_hand(Q, th.x, g_nS, E_mV), rtol=1e-9)
        assert th.dash == DASH_THEORY and th.color == firing.CONDITION_COLORS[c.kind]
        sim = chart[f"simulated: {label}"]
        np.testing.assert_allclose(sim.x, np.linspace(0, 5, 11))
        f = rate_by_hand(Q, sim.x, g_nS, E_mV)
        ok = f > 4.0
        assert ok.sum() >= 3
        np.testing.assert_allclose(sim.y[ok], f[ok], rtol=1e-9)
        assert sim.mode == "markers" and not sim.showlegend
    assert chart.hline("100 Hz") == 100.0
    assert chart["100 Hz"].x.tolist() == pytest.approx([0.0, 5.0])
    top = max(max(np.nanmax(r) for r in fi.rates_sim), max(r.max() for r in fi.rates))
    assert chart.axis_range("yaxis") == pytest.approx((0.0, 1.08 * top))
    assert chart.axis_range("xaxis") == pytest.approx((0.0, 5.0))
    # a range whose rates stay below the reference rate gets no guide
    low = inh.inhibition_fi(Q, conds, 1e-9, n_sim=3, duration=0.2)
    assert "100 Hz" not in Chart(firing.inhibition_fi_figure(low))


def test_figures_do_not_share_mutable_layout_state(fi):
    a = firing.fi_figure(fi)
    a.update_layout(height=123)
    a.layout.xaxis.title.text = "changed"
    b = firing.fi_figure(fi)
    assert b.layout.height != 123
    assert b.layout.xaxis.title.text == "current (nA)"
