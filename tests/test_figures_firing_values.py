"""lif_figures.firing: the V(t) chart of one neuron of a population, its title, reference
lines and range; and where a rising f–I curve leaves the chart (the "t_ref = 0" label).

Values are read from the drawn figure (``figure_reader``) in display units (ms, mV) and
compared with the parameters of the neuron drawn.
"""

from __future__ import annotations

import numpy as np
import pytest
from figure_reader import Chart

from lif_core import LIFParams, simulate
from lif_core.analysis import firing as fa
from lif_core.analysis import inhibition as inh
from lif_figures import firing

#: Two neurons with different thresholds and resets (V_reset ≠ E_L), t_ref off the grid.
PAIR = LIFParams(
    R=20e6,
    C=0.6e-9,
    E_L=-68e-3,
    V_th=np.array([-51e-3, -45e-3]),
    V_reset=np.array([-61e-3, -56e-3]),
    t_ref=2.35e-3,
)


def pair_result():
    return simulate(PAIR, I=np.array([[1.5e-9], [1.8e-9]]), duration=0.08)


def test_a_population_trace_draws_its_neurons_threshold_and_reset():
    result = pair_result()
    assert result.spike_times[0].size > 1
    chart = Chart(firing.voltage_trace_figure(result))
    assert chart.hline("threshold V_th") == pytest.approx(-51.0)
    assert chart.hline("reset V_reset") == pytest.approx(-61.0)
    assert chart["refractory period"].y[0] == pytest.approx(-61.0)


@pytest.mark.xfail(
    strict=True,
    reason="lif_figures bug: voltage_trace_figure(neuron=k) draws neuron k's V but the "
    "threshold, reset, refractory bars and spike marks of neuron 0",
)
def test_the_second_neuron_of_a_population_with_its_own_threshold():
    chart = Chart(firing.voltage_trace_figure(pair_result(), neuron=1))
    assert chart.hline("threshold V_th") == pytest.approx(-45.0)
    assert chart.hline("reset V_reset") == pytest.approx(-56.0)


def test_the_title_and_the_reference_lines_across_the_whole_trace():
    p = LIFParams(R=20e6, C=0.6e-9, E_L=-68e-3, V_th=-51e-3, V_reset=-61e-3, t_ref=2.35e-3)
    result = simulate(p, I=2e-9, duration=0.05)
    chart = Chart(firing.voltage_trace_figure(result, title="at 2 nA"))
    title = chart.layout["title"]
    assert (title["text"] if isinstance(title, dict) else title) == "at 2 nA"
    for name, dash in (("threshold V_th", "dashdot"), ("reset V_reset", "dot")):
        assert chart[name].x.tolist() == pytest.approx([0.0, 50.0])
        assert chart[name].dash == dash


def test_a_reset_below_every_drawn_potential_stays_on_the_chart():
    """Below rheobase, V_reset = −75 mV < E_L: V never goes there, the reset line must show."""
    p = LIFParams(R=20e6, C=0.6e-9, E_L=-68e-3, V_th=-51e-3, V_reset=-75e-3, t_ref=2e-3)
    result = simulate(p, I=0.5e-9, duration=0.05)
    assert result.spike_times[0].size == 0
    chart = Chart(firing.voltage_trace_figure(result))
    lo, hi = chart.axis_range("yaxis")
    assert lo == pytest.approx(-75.0 - 3.0)
    assert hi == pytest.approx(-51.0 + 10.0 + 3.0)


@pytest.mark.parametrize(
    ("x", "y", "y_max", "expected"),
    [
        ([0.0, 1.0, 2.0, 3.0], [0.0, 10.0, 20.0, 40.0], 15.0, 1.5),
        ([0.0, 1.0, 2.0, 3.0], [0.0, 10.0, 20.0, 40.0], 30.0, 2.5),
        ([1.0, 2.0, 4.0], [5.0, 6.0, 9.0], 8.0, 2.0 + 2.0 * 2.0 / 3.0),
        ([2.0, 3.0], [50.0, 60.0], 40.0, 2.0),  # already above at the first point
        ([2.0, 3.0, 4.0], [5.0, 7.0, 9.0], 10.0, None),  # never reaches it
    ],
)
def test_where_a_rising_curve_first_reaches_the_top(x, y, y_max, expected):
    got = firing._exit(np.array(x), np.array(y), y_max)
    assert got == (None if expected is None else pytest.approx(expected))


def test_an_f_i_chart_without_firing_keeps_a_10_hz_axis():
    """Every current below the rheobase: all rates 0, the axis still shows 0-10 Hz (+8 %)."""
    p = LIFParams(R=20e6, C=0.6e-9, E_L=-68e-3, V_th=-51e-3, V_reset=-61e-3, t_ref=2.35e-3)
    curves = fa.fi_curves(p, 0.5e-9)  # rheobase 0.85 nA
    assert curves.rate_noref.max() == 0.0
    chart = Chart(firing.fi_figure(curves))
    assert chart.axis_range("yaxis") == pytest.approx((0.0, 10.8))
    assert chart.axis_range("xaxis") == pytest.approx((0.0, 0.5))


def test_an_inhibition_f_i_chart_without_firing_keeps_a_10_hz_axis():
    p = LIFParams(R=20e6, C=0.6e-9, E_L=-68e-3, V_th=-51e-3, V_reset=-61e-3, t_ref=2.35e-3)
    conditions = inh.inhibition_conditions(p, 10e-9, -10e-3)
    fi = inh.inhibition_fi(p, conditions, 0.5e-9, n_sim=3, duration=0.05)  # rheobases > 0.85 nA
    assert all(r.max() == 0.0 for r in fi.rates)
    chart = Chart(firing.inhibition_fi_figure(fi))
    assert chart.axis_range("yaxis") == pytest.approx((0.0, 10.8))
    assert chart.axis_range("xaxis") == pytest.approx((0.0, 0.5))


def test_the_rheobase_label_only_when_there_is_room_left_of_its_line():
    """Rest at threshold (rheobase 0): the line is the axis itself and gets no label."""
    p = LIFParams(R=20e6, C=0.6e-9, E_L=-51e-3, V_th=-51e-3, V_reset=-61e-3, t_ref=2.35e-3)
    at_zero = Chart(firing.fi_figure(fa.fi_curves(p, 2e-9)))
    assert at_zero.vline("rheobase 0 nA") == 0.0
    assert not any(str(a["text"]).startswith("rheobase") for a in at_zero.annotations)
    shifted = Chart(firing.fi_figure(fa.fi_curves(p.replace(E_L=-68e-3), 2e-9)))
    assert shifted.annotation("rheobase 0.85 nA")["x"] == pytest.approx(0.85)
