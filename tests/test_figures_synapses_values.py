"""lif_figures.synapses: the presynaptic chart's scale follows the drawn conductance, even a
small one (below 1 nS) or none at all; its ticks sit just above the highest conductance.
"""

from __future__ import annotations

import numpy as np
import pytest
from figure_reader import Chart

from lif_core import LIFParams
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
