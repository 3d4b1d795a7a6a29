"""lif_figures.synapses: the presynaptic chart's scale follows the drawn conductance, even a
small one (below 1 nS) or none at all; its ticks sit just above the highest conductance.
"""

from __future__ import annotations

import numpy as np
import pytest
from figure_reader import Chart

from lif_core import LIFParams
from lif_core.analysis import inhibition as inh
from lif_core.analysis import synapses as syn
from lif_figures import synapses
from lif_figures.style import COLORS

Q = LIFParams(R=20e6, C=0.6e-9, E_L=-68e-3, V_th=-51e-3, V_reset=-61e-3, t_ref=2.35e-3)


def test_a_small_conductance_sets_the_scale():
    demo = syn.synapse_demo(Q, 20.0, 0.3e-9, 5e-3, 0.0, duration=0.2)
    chart = Chart(synapses.presynaptic_figure(demo))
    g = chart["conductance g(t)"]
    top = float(np.max(g.y))
    assert 0.2 < top < 0.3 + 1e-9  # nS, the step means of 0.3 nS events
    assert chart.axis_range("yaxis") == pytest.approx((0.0, 1.25 * top))
    ticks = chart["presynaptic spikes"]
    np.testing.assert_allclose(ticks.x, demo.pre_spikes * 1e3)
    np.testing.assert_allclose(ticks.y, 1.12 * top)


def test_no_presynaptic_spikes_keep_a_positive_scale():
    demo = syn.synapse_demo(Q, 0.0, 2e-9, 5e-3, 0.0, duration=0.1)
    chart = Chart(synapses.presynaptic_figure(demo))
    assert np.all(chart["conductance g(t)"].y == 0.0)
    assert chart.axis_range("yaxis") == pytest.approx((0.0, 1.25e-3))


def test_the_g_exc_guide_spans_the_drawn_curves_even_below_1_mV():
    """Weak excitation (peaks < 1 mV): the guide runs from the lowest to the highest curve."""
    conds = inh.inhibition_conditions(Q, 20e-9, -5e-3)
    curves = inh.epsp_curves(Q, np.linspace(0.0, 1e-9, 5), conds)
    chart = Chart(synapses.epsp_curves_figure(curves, Q, g_mark=0.5e-9))
    drawn = [chart[t.name].y for t in chart.traces if t.name != "your g_exc"]
    lo = min(0.0, min(float(y.min()) for y in drawn))
    hi = max(0.0, max(float(y.max()) for y in drawn))
    assert 0.0 < hi < 1.0 and lo < 0.0  # mV
    guide = chart["your g_exc"]
    assert guide.x.tolist() == pytest.approx([0.5, 0.5])
    assert guide.y.tolist() == pytest.approx([lo, hi])


def test_the_shunting_chart_reference_levels_run_across_the_whole_time_axis():
    demo = inh.shunting_demo(Q, 20e-9, 20e-9, -10e-3)
    chart = Chart(synapses.shunting_figure(demo))
    t_end = (demo.t[-1] + demo.dt) * 1e3
    assert chart.hline("E_inh") == pytest.approx((Q.E_L - 10e-3) * 1e3)
    assert chart.hline("E_L (rest)") == pytest.approx(Q.E_L * 1e3)
    for name in ("E_inh", "E_L (rest)"):
        assert chart[name].x.tolist() == pytest.approx([0.0, t_end])


# ------------------------------------------------------- chapter 5: the synapse response chart


def quiet(E_syn: float, params: LIFParams = Q):
    """No presynaptic spike (rate 0): V stays at E_L = −68 mV, the drive at E_L − E_syn."""
    return syn.synapse_demo(params, 0.0, 2e-9, 5e-3, E_syn, duration=0.05)


def test_a_synapse_reversing_at_rest_is_drawn_as_inhibitory():
    """E_syn = E_L does not depolarise the neuron at rest (shunting): the inhibitory colour."""
    at_rest = syn.synapse_demo(Q, 20.0, 2e-9, 5e-3, Q.E_L, duration=0.1)
    assert Chart(synapses.presynaptic_figure(at_rest))["conductance g(t)"].color == COLORS["inh"]
    chart = Chart(synapses.synapse_response_figure(at_rest, "conductance"))
    assert chart["E_syn"].color == COLORS["inh"]
    above = syn.synapse_demo(Q, 20.0, 2e-9, 5e-3, Q.E_L + 1e-3, duration=0.1)
    assert Chart(synapses.presynaptic_figure(above))["conductance g(t)"].color == COLORS["exc"]


def test_an_unknown_model_is_refused_with_the_allowed_ones():
    with pytest.raises(ValueError, match=r"\(allowed: current, conductance\)$"):
        synapses.synapse_response_figure(quiet(-70e-3), "voltage")


@pytest.mark.parametrize("model", ["current", "conductance"])
def test_the_reversal_and_threshold_lines_run_across_the_whole_time_axis(model):
    demo = quiet(-70e-3)
    chart = Chart(synapses.synapse_response_figure(demo, model))
    t_end = (demo.t[-1] + demo.dt) * 1e3
    assert chart.hline("E_syn") == pytest.approx(-70.0)
    assert chart.hline("threshold V_th") == pytest.approx(-51.0)
    for name in ("E_syn", "threshold V_th"):
        assert chart[name].x.tolist() == pytest.approx([0.0, t_end])


@pytest.mark.parametrize(
    ("E_syn_mV", "lo", "hi"),
    [
        (-70.0, -70.0, -51.0),  # 2 mV below the lowest V: in view
        (-41.0, -68.0, -41.0),  # 10 mV above V_th (the top of V's range): in view
        (-77.0, -77.0, -51.0),  # 9 mV below
    ],
)
def test_a_reversal_potential_within_10_mV_of_the_drawn_range_is_kept_in_view(E_syn_mV, lo, hi):
    chart = Chart(synapses.synapse_response_figure(quiet(E_syn_mV * 1e-3), "conductance"))
    assert chart.axis_range("yaxis") == pytest.approx((lo - 2.0, hi + 2.0), abs=1e-6)
    assert not any(str(a["text"]).startswith("E_syn") for a in chart.annotations)


def test_a_reversal_potential_exactly_10_mV_above_the_range_is_still_in_view():
    """V_th = −60 mV, E_syn = −50 mV: in mV, V_th + 10 is E_syn to the last bit."""
    chart = Chart(
        synapses.synapse_response_figure(quiet(-50e-3, Q.replace(V_th=-60e-3)), "current")
    )
    assert chart.axis_range("yaxis") == pytest.approx((-68.0 - 2.0, -50.0 + 2.0), abs=1e-6)
    assert chart.annotations == []


@pytest.mark.parametrize(
    ("E_syn_mV", "text", "y", "yanchor"),
    [
        (-40.4, "E_syn = −40 mV, above this range", 1.0, "bottom"),  # 10.6 mV above V_th
        (-90.0, "E_syn = −90 mV, below this range", 0.0, "top"),
    ],
)
def test_a_far_reversal_potential_gets_a_note_on_its_side(E_syn_mV, text, y, yanchor):
    chart = Chart(synapses.synapse_response_figure(quiet(E_syn_mV * 1e-3), "conductance"))
    assert chart.axis_range("yaxis") == pytest.approx((-68.0 - 2.0, -51.0 + 2.0), abs=1e-6)
    note = chart.annotation("E_syn")
    assert note["text"] == text
    assert (note["y"], note["yanchor"], note["yref"]) == (y, yanchor, "y domain")


@pytest.mark.parametrize(
    ("E_syn_mV", "lo", "hi"),
    [
        (-75.0, 0.0, 7.0),  # drive E_L − E_syn = 7 mV: 0 is near, kept in view
        (-60.0, -8.0, 0.0),
        (-58.5, -9.5, 0.0),
        (-90.0, 22.0, 22.0),  # 22 mV: too far, the axis shows the drive only
    ],
)
def test_the_driving_force_axis_shows_zero_when_it_is_within_10_mV(E_syn_mV, lo, hi):
    demo = quiet(E_syn_mV * 1e-3)
    for model in ("current", "conductance"):
        chart = Chart(synapses.synapse_response_figure(demo, model))
        assert chart.axis_range("yaxis2") == pytest.approx((lo - 2.0, hi + 2.0), abs=1e-6)


@pytest.mark.parametrize("model", ["current", "conductance"])
def test_differences_below_the_display_precision_do_not_choose_the_samples(model):
    """V at rest before and long after the one event, shifted by ±1e-5 mV (under the
    0.001 mV drawn): the same samples are drawn for V and the driving force, as the
    browser preview keeps them."""
    demo = syn.synapse_demo(Q, 2.0, 2e-9, 5e-3, -75e-3)  # one event, at 20 ms
    rest = np.abs(demo.V["conductance"] - Q.E_L) < 1e-10
    assert rest.sum() > 1000
    rng = np.random.default_rng(2)
    shift = np.where(rest, rng.choice([-1e-8, 1e-8], rest.size), 0.0)
    V = {k: v + shift for k, v in demo.V.items()}
    shifted = demo._replace(V=V, drive={**demo.drive, "conductance": V["conductance"] - demo.E_syn})
    clean, other = (Chart(synapses.synapse_response_figure(d, model)) for d in (demo, shifted))
    drive = "V − E_syn" if model == "conductance" else "E_L − E_syn (frozen)"
    for name in ("V", drive):
        assert other[name].x.tolist() == clean[name].x.tolist(), name
