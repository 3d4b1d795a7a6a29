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
from lif_figures.style import COLORS, LABEL_FONT

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


def test_the_second_neuron_of_a_population_with_its_own_threshold():
    chart = Chart(firing.voltage_trace_figure(pair_result(), neuron=1))
    assert chart.hline("threshold V_th") == pytest.approx(-45.0)
    assert chart.hline("reset V_reset") == pytest.approx(-56.0)
    assert chart["refractory period"].y[0] == pytest.approx(-56.0)


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


QF = LIFParams(R=20e6, C=0.6e-9, E_L=-68e-3, V_th=-51e-3, V_reset=-61e-3, t_ref=2.35e-3)


def rate_noref_by_hand(p: LIFParams, I: float) -> float:
    V_inf = p.E_L + p.R * I
    return 1 / (p.R * p.C * np.log((V_inf - p.V_reset) / (V_inf - p.V_th)))


def test_the_t_ref_0_label_left_of_where_the_asymptote_leaves_a_wide_chart():
    """Exit at ~6 of 10 nA (past 45 %): the label ends a label height left of the asymptote's
    exit, measured along its slope 1/(C (V_th − V_reset)) = 166.7 Hz/nA."""
    chart = Chart(firing.fi_figure(fa.fi_curves(QF, 10e-9)))
    y_max = chart.axis_range("yaxis")[1]
    assert y_max == pytest.approx(1.08 * 2 / QF.t_ref)  # two ceilings
    slope = 1e-9 / (QF.C * (QF.V_th - QF.V_reset))  # Hz per nA
    asym = chart["asymptote, t_ref = 0"]
    assert (asym.y[-1] - asym.y[-2]) / (asym.x[-1] - asym.x[-2]) == pytest.approx(slope, rel=1e-6)
    x_exit = asym.x[-1] - (asym.y[-1] - y_max) / slope
    assert 0.45 * 10 < x_exit < 10
    label = chart.annotation("t_ref = 0 ↗")
    assert label["text"] == f"t_ref = 0 ↗ {rate_noref_by_hand(QF, 10e-9):.0f} Hz at 10 nA"
    assert label["x"] == pytest.approx(x_exit - 1.25 * 0.08 * y_max / slope, rel=1e-6)
    assert label["y"] == pytest.approx(y_max)
    # the ceiling's label sits below its line: the t_ref curve stays well under it here
    ceiling = chart.annotation("ceiling 1/t_ref")
    assert (ceiling["yanchor"], ceiling["yshift"]) == ("top", -2)


def test_on_a_longer_chart_the_labels_move_to_the_right_end():
    """20 nA: the t_ref = 0 curve leaves before 45 % (label at the right end), and the t_ref
    curve comes close to the ceiling (its label goes above the line)."""
    chart = Chart(firing.fi_figure(fa.fi_curves(QF, 20e-9)))
    label = chart.annotation("t_ref = 0 ↗")
    assert (label["x"], label["xanchor"]) == (pytest.approx(20.0), "right")
    ceiling = chart.annotation("ceiling 1/t_ref")
    assert (ceiling["yanchor"], ceiling["yshift"]) == ("bottom", 2)


def test_simulated_points_above_the_curves_stay_on_the_chart():
    """A simulated rate above every closed-form rate (below the cap) raises the axis to it."""
    curves = fa.fi_curves(QF, 3e-9)
    top = float(curves.rate_noref.max())
    assert top < 2 / QF.t_ref
    pts = fa.FIPoints(
        I=np.array([1e-9, 3e-9]),
        rate=np.array([np.nan, 0.0]),
        rate_noref=np.array([np.nan, 1.05 * top]),
        duration=0.5,
    )
    chart = Chart(firing.fi_figure(fa.fi_curves(QF, 3e-9, pts)))
    assert chart.axis_range("yaxis")[1] == pytest.approx(1.08 * 1.05 * top)
    conds = inh.inhibition_conditions(QF, 10e-9, -10e-3)
    fi = inh.inhibition_fi(QF, conds, 3e-9, n_sim=3, duration=0.05)
    high = 1.1 * max(float(r.max()) for r in fi.rates)
    fi = fi._replace(rates_sim=(np.array([np.nan, np.nan, high]), *fi.rates_sim[1:]))
    chart = Chart(firing.inhibition_fi_figure(fi))
    assert chart.axis_range("yaxis")[1] == pytest.approx(1.08 * high)


def test_the_t_ref_0_label_is_anchored_at_its_right_end_in_the_curve_colour():
    """The label left of the asymptote ends (xanchor "right") a label height before it, hangs
    from the top of the chart and is written in the t_ref = 0 curve's colour."""
    chart = Chart(firing.fi_figure(fa.fi_curves(QF, 10e-9)))
    label = chart.annotation("t_ref = 0 ↗")
    assert label["x"] < 10.0 * 0.9  # the branch left of the asymptote, not at the right end
    assert (label["xanchor"], label["yanchor"]) == ("right", "top")
    assert label["font"] == {"size": LABEL_FONT, "color": COLORS["alt"]}
    assert chart["theory, t_ref = 0"].color == COLORS["alt"]


def test_a_shared_threshold_with_per_neuron_resets_draws_the_second_neuron():
    """V_th one number for all, V_reset one per neuron: neuron 1 gets the shared threshold."""
    p = PAIR.replace(V_th=-50e-3)
    result = simulate(p, I=np.array([[1.5e-9], [1.8e-9]]), duration=0.05)
    assert result.spike_times[1].size > 0
    chart = Chart(firing.voltage_trace_figure(result, neuron=1))
    assert chart.hline("threshold V_th") == pytest.approx(-50.0)
    assert chart.hline("reset V_reset") == pytest.approx(-56.0)
    assert chart["spikes"].x[0] == pytest.approx(result.spike_times[1][0] * 1e3)


def test_a_silent_neuron_with_a_1_Hz_ceiling_gets_the_ceiling_label_below_its_line():
    """t_ref = 1 s (ceiling 1 Hz, axis to 2.16 Hz), every current below the rheobase: the
    rate stays at 0, far more than a label's height under the line, so the label hangs below."""
    curves = fa.fi_curves(QF.replace(t_ref=1.0), 0.5e-9)
    assert curves.rate.max() == 0.0
    chart = Chart(firing.fi_figure(curves))
    assert chart.axis_range("yaxis") == pytest.approx((0.0, 1.08 * 2.0))
    assert chart.hline("ceiling 1/t_ref = 1 Hz") == pytest.approx(1.0)
    ceiling = chart.annotation("ceiling 1/t_ref")
    assert (ceiling["y"], ceiling["yanchor"], ceiling["yshift"]) == (pytest.approx(1.0), "top", -2)
