"""lif_figures.membrane: the relaxation chart's fixed-point line spans the whole trace.

Read from the drawn figure in display units (ms, mV); V∞ = E_L + R I written out by hand.
"""

from __future__ import annotations

import numpy as np
import pytest
from figure_reader import Chart

from lif_core import LIFParams
from lif_core.analysis import membrane as mem
from lif_core.units import to_si
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


# ---------------------------------------------------------------- chapter 1: scales, labels


def padded_extent(chart: Chart) -> tuple[float, float]:
    """The y range plotly's autorange gives the drawn lines and level shapes (1/18 a side)."""
    y = np.concatenate([t.y for t in chart.traces])
    lo, hi = float(np.nanmin(y)), float(np.nanmax(y))
    levels = chart.shape_hlines()
    if levels:
        lo, hi = min(lo, *levels), max(hi, *levels)
    pad = (hi - lo) / 18
    return lo - pad, hi + pad


P = LIFParams()  # R = 10 MΩ, E_L = −65 mV


def test_a_rise_of_exactly_2_mV_keeps_its_own_padded_scale():
    """0.2 nA × 10 MΩ = 2 mV exactly (slider values): the 2 mV floor is not needed, so the
    lines at E_L and V∞ are not pushed to the chart's edges; 1.5 mV gets the 2 mV window."""
    exp = mem.pulse_experiment(P, to_si(0.2, "nA"), 0.02, 0.06)
    chart = Chart(membrane.rc_voltage_figure(exp))
    assert sorted(chart.shape_hlines()) == [-65.0, -63.0]
    assert chart.axis_range("yaxis") == pytest.approx(padded_extent(chart))
    assert chart.axis_range("yaxis")[0] < -65.0 - 0.1
    small = Chart(membrane.rc_voltage_figure(mem.pulse_experiment(P, 0.15e-9, 0.02, 0.06)))
    assert small.axis_range("yaxis") == pytest.approx((-65.0 + 0.75 - 1.0, -65.0 + 0.75 + 1.0))


@pytest.mark.parametrize(
    ("amplitude_nA", "fixed"),
    [(0.08, True), (0.1, False), (0.3, False)],
)
def test_the_current_scale_is_fixed_only_for_currents_below_0_1_nA(amplitude_nA, fixed):
    """Below 0.1 nA the chart shows ±0.1 nA; from 0.1 nA (the slider's 0.1 nA reaches it
    exactly) on it shows the currents' own extent, so a 0.3 nA pulse is not cut off."""
    exp = mem.pulse_experiment(P, to_si(amplitude_nA, "nA"), 0.02, 0.06)
    chart = Chart(membrane.rc_currents_figure(exp))
    assert np.nanmax(chart["injected I"].y) == pytest.approx(amplitude_nA)
    expected = (-0.1, 0.1) if fixed else padded_extent(chart)
    assert chart.axis_range("yaxis") == pytest.approx(expected)


def test_a_zero_pulse_labels_its_one_line_as_a_rising_pulse_would():
    """I = 0: V∞ = E_L, one line with both labels, V∞ above it and E_L below (as for I > 0)."""
    chart = Chart(membrane.rc_voltage_figure(mem.pulse_experiment(Q, 0.0, 0.02, 0.06)))
    assert chart.shape_hlines() == pytest.approx([-68.0, -68.0])
    assert chart.annotation("V∞")["yanchor"] == "bottom"
    assert chart.annotation("E_L")["yanchor"] == "top"
