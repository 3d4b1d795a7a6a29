"""lif_figures.membrane: the relaxation chart's fixed-point line spans the whole trace.

Read from the drawn figure in display units (ms, mV); V∞ = E_L + R I written out by hand.
"""

from __future__ import annotations

import pytest
from figure_reader import Chart

from lif_core import LIFParams
from lif_core.analysis import membrane as mem
from lif_figures import membrane

Q = LIFParams(R=20e6, C=0.6e-9, E_L=-68e-3, V_th=-51e-3, V_reset=-61e-3, t_ref=2.35e-3)


@pytest.mark.parametrize("I", [0.7e-9, -0.4e-9])
def test_the_fixed_point_line_runs_from_the_first_to_the_last_sample(I):
    rel = mem.relaxation_experiment(Q, I, starts=[-80e-3, -40e-3])
    chart = Chart(membrane.relaxation_figure(rel))
    V_inf = (Q.E_L + Q.R * I) * 1e3
    (fixed,) = [t for t in chart.traces if t.name.startswith("fixed point V∞")]
    assert chart.hline(fixed.name) == pytest.approx(V_inf)
    assert fixed.x.tolist() == pytest.approx([0.0, rel.t[-1] * 1e3])
    assert [t.x[-1] for t in chart.traces if t.name == "simulated V(t)"] == pytest.approx(
        [rel.t[-1] * 1e3] * 2
    )
