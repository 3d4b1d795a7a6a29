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
