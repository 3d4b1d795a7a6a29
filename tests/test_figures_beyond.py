"""Chapter 7's charts (lif_figures.beyond): what is drawn, in display units, against the records.

Every chart is read back with tests/figure_reader.py: each named trace's x/y (ms, mV, nA,
pA, Hz) against the record it was drawn from and against theory, the reference lines,
the axis titles, and the line styles that tell the LIF (dotted) from the richer model
(solid) without colour.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import pytest
from figure_reader import Chart
from mutation_aware import shared_scope
from test_figures_style import assert_reads_like_a_validated_copy

from lif_core import theory
from lif_core.analysis import beyond
from lif_core.analysis.adaptation import adaptation
from lif_core.analysis.dendrites import dendritic_input
from lif_figures import beyond as figs
from lif_figures.style import MAX_POINTS


def valid(fig) -> Chart:
    go.Figure(fig.to_dict())  # full plotly validation
    assert_reads_like_a_validated_copy(fig)  # the dicts sent are what plotly would store
    chart = Chart(fig)
    for tr in chart.traces:
        assert tr.x.size <= MAX_POINTS, tr.name  # point budget, spike points included
    return chart


def assert_styles(chart: Chart, rich: list[str], lif: list[str]) -> None:
    """The richer model solid, the LIF dotted: distinguishable without colour."""
    for name in rich:
        assert chart[name].dash is None, name
    for name in lif:
        assert chart[name].dash == figs.LIF_DASH, name
    assert {chart[n].color for n in rich}.isdisjoint({chart[n].color for n in lif})


@pytest.fixture(scope=shared_scope)
def spike():
    return beyond.spike_shape(12e-9)


def test_spike_shape_chart(spike):
    chart = valid(figs.spike_shape_figure(spike))
    chart.assert_names(
        {"HH", "LIF twin", "LIF threshold V_th", "LIF spike", "HH peak", "HH half width"}
    )
    assert chart.titles == {"xaxis": "time (ms)", "yaxis": "membrane potential V (mV)"}
    assert_styles(chart, ["HH"], ["LIF twin"])
    hh = chart["HH"]
    assert hh.y.max() == pytest.approx(spike.peak * 1e3, abs=1e-3)  # peak kept, in mV
    assert hh.x[-1] == pytest.approx(25.0)  # ms
    assert chart.hline("LIF threshold V_th") == pytest.approx(spike.lif_params.V_th * 1e3, abs=1e-9)
    # the LIF's spike: declared at threshold, at its crossing time, reset straight down
    t_spike = spike.lif.spike_times[0][0] * 1e3
    assert chart["LIF spike"].x == pytest.approx([t_spike], abs=1e-3)
    lif = chart["LIF twin"]
    at = np.flatnonzero(np.abs(lif.x - t_spike) < 1e-3)
    assert lif.y[at] == pytest.approx(
        [spike.lif_params.V_th * 1e3, spike.lif_params.V_reset * 1e3], abs=1e-3
    )
    bar = chart["HH half width"]
    assert bar.x[1] - bar.x[0] == pytest.approx(spike.half_width * 1e3, abs=1e-3)
    assert bar.y[0] == pytest.approx(0.5 * (spike.V_rest + spike.peak) * 1e3, abs=1e-9)
    assert chart["HH peak"].y == pytest.approx([spike.peak * 1e3])
    assert chart.annotation("peak +40 mV") and chart.annotation("AHP −11 mV")
    assert chart.annotation("pulse 12 nA")


def test_spike_shape_chart_without_a_spike():
    chart = valid(figs.spike_shape_figure(beyond.spike_shape(1e-9)))
    assert "HH peak" not in chart and chart["LIF spike"].x.size == 0
    assert chart["HH"].y.max() < -50.0


@pytest.fixture(scope=shared_scope)
def bursting():
    return adaptation("regular bursting")


def test_adaptation_chart_rows_and_spikes(bursting):
    chart = valid(figs.adaptation_figure(bursting))
    chart.assert_names({"AdEx", "AdEx V_T", "LIF twin", "LIF threshold V_th", "w"})
    assert chart.titles["yaxis"] == "AdEx V (mV)"
    assert chart.titles["yaxis2"] == "LIF V (mV)"
    assert chart.titles["yaxis3"] == "w (pA)"
    assert chart.titles["xaxis3"] == "time (ms)"
    assert_styles(chart, ["AdEx"], ["LIF twin"])
    adex = chart["AdEx"]
    # every spike is drawn from V_peak (0 mV) down to the reset (-46 mV) at its own time
    tops = adex.x[adex.y == 0.0]
    assert tops.size == bursting.adex.spike_times[0].size
    assert tops == pytest.approx(np.round(bursting.adex.spike_times[0] * 1e3, 3), abs=1e-3)
    assert adex.y.min() >= -70.0 - 1e-9
    assert chart["w"].y.max() == pytest.approx(bursting.adex.w[0].max() * 1e12, abs=0.01)  # pA
    assert chart["w"].yaxis == "y3" and chart["LIF twin"].yaxis == "y2"
    assert chart.hline("AdEx V_T") == pytest.approx(-50.0)
    assert chart.hline("LIF threshold V_th") == pytest.approx(
        bursting.lif_params.V_th * 1e3, abs=1e-9
    )


def test_isi_chart_against_the_spike_times(bursting):
    chart = valid(figs.isi_figure(bursting))
    chart.assert_names({"AdEx", "LIF twin"})
    assert chart.titles == {"xaxis": "interval number", "yaxis": "interspike interval (ms)"}
    assert chart.layout["yaxis"]["type"] == "log"
    assert_styles(chart, ["AdEx"], ["LIF twin"])
    adex = chart["AdEx"]
    assert adex.x == pytest.approx(np.arange(1, bursting.adex_isi.size + 1))
    assert adex.y == pytest.approx(bursting.adex_isi * 1e3, abs=1e-4)
    # the twin fires tonically at its closed-form rate
    lif = chart["LIF twin"]
    expected = 1e3 / theory.firing_rate(bursting.lif_params, bursting.I_step)
    assert lif.y == pytest.approx(np.full(lif.y.size, expected), abs=1e-3)
    lo, hi = chart.axis_range("yaxis")
    assert 10**lo < adex.y.min() and 10**hi > adex.y.max()


@pytest.fixture(scope=shared_scope)
def ring():
    return beyond.ringing_and_rebound(2e-9, -5e-9, 10e-3)


def test_ringing_chart(ring):
    chart = valid(figs.ringing_figure(ring))
    chart.assert_names({"HH", "LIF twin", "rest"})
    assert_styles(chart, ["HH"], ["LIF twin"])
    assert chart.hline("rest") == pytest.approx(ring.V_rest * 1e3, abs=1e-9)
    hh, lif = chart["HH"], chart["LIF twin"]
    assert hh.x[-1] <= 40.0 + 1e-9 and lif.x[-1] <= 40.0 + 1e-9
    assert hh.y.min() == pytest.approx((ring.V_rest + ring.ring_undershoot) * 1e3, abs=1e-3)
    assert lif.y.min() == pytest.approx(ring.lif_params.E_L * 1e3, abs=1e-3)  # never below
    assert chart.annotation("undershoot −0.43 mV")
    band = [s for s in chart.shapes if s.get("type") == "rect"]
    assert band[0]["name"] == "pulse 2 nA" and band[0]["showlegend"] is True
    assert (band[0]["x0"], band[0]["x1"]) == pytest.approx((5.0, 6.0))


def test_rebound_chart(ring):
    chart = valid(figs.rebound_figure(ring))
    chart.assert_names({"HH", "LIF twin", "LIF threshold V_th"})
    assert chart["HH"].y.max() > 30.0  # the rebound spike is drawn
    assert chart["LIF twin"].y.max() < ring.lif_params.V_th * 1e3
    assert chart["LIF twin"].y.min() == pytest.approx(
        (ring.lif_params.E_L + ring.lif_params.R * ring.hyper_amplitude) * 1e3, abs=0.01
    )
    assert chart.annotation("rebound spike")
    band = [s for s in chart.shapes if s.get("type") == "rect"]
    assert len(band) == 1 and (band[0]["x0"], band[0]["x1"]) == pytest.approx((5.0, 15.0))
    assert band[0]["name"] == "pulse −5 nA"


@pytest.fixture(scope=shared_scope)
def fi():
    return beyond.fi_classes(I_max=10e-9, n=11), beyond.fi_operating(8e-9)


def test_fi_chart(fi):
    classes, op = fi
    chart = valid(figs.fi_classes_figure(classes, op))
    chart.assert_names({"HH", "LIF", "HH onset", "this current"})
    assert chart.titles == {"xaxis": "current (nA)", "yaxis": "rate (Hz)"}
    assert_styles(chart, ["HH"], ["LIF"])
    assert not chart["HH onset"].showlegend
    assert chart.annotation("HH onset 6.26 nA: jump to 51 Hz")
    hh = chart["HH"]
    x, y = hh.finite()
    assert x == pytest.approx(classes.currents * 1e9)
    assert y == pytest.approx(classes.hh_rate, abs=1e-3)
    # the line is broken at the jump: a gap between the last silent and first firing current
    gap = int(np.flatnonzero(np.isnan(hh.x))[0])
    assert hh.y[gap - 1] == 0.0 and hh.y[gap + 1] > 40.0
    lif = chart["LIF"]
    assert lif.y == pytest.approx(theory.firing_rate(classes.lif_params, lif.x * 1e-9), abs=1e-3)
    assert chart.vline("HH onset") == pytest.approx(6.26)
    assert chart["this current"].y == pytest.approx([op.hh_rate, op.lif_rate])
    band = [s for s in chart.shapes if s.get("type") == "rect"]
    assert (band[0]["x0"], band[0]["x1"]) == pytest.approx((6.26, classes.hopf * 1e9))


def test_fi_trace_chart(fi):
    _, op = fi
    chart = valid(figs.fi_trace_figure(op))
    chart.assert_names({"HH", "LIF", "LIF threshold V_th"})
    assert_styles(chart, ["HH"], ["LIF"])
    assert chart["HH"].x[-1] == pytest.approx(200.0)
    assert chart["HH"].y.max() > 30.0


def test_dendrite_chart():
    rec = dendritic_input(25e-9, 2e-3)
    chart = valid(figs.dendrite_figure(rec))
    chart.assert_names(
        {
            "soma, input at soma",
            "soma, input at dendrite",
            "dendrite, input at dendrite",
            "LIF (one compartment)",
            "peaks at the soma",
        }
    )
    assert chart.titles["yaxis"] == "depolarisation V − E_L (mV)"
    assert_styles(
        chart, ["soma, input at soma", "soma, input at dendrite"], ["LIF (one compartment)"]
    )
    soma = chart["soma, input at soma"]
    dend = chart["soma, input at dendrite"]
    assert soma.y.max() == pytest.approx(rec.soma_peak_from_soma * 1e3, abs=1e-3)
    assert dend.y.max() == pytest.approx(rec.soma_peak_from_dend * 1e3, abs=1e-3)
    peaks = chart["peaks at the soma"]
    assert peaks.x == pytest.approx(
        [rec.t_soma_peak_from_soma * 1e3, rec.t_soma_peak_from_dend * 1e3], abs=1e-3
    )
    assert chart["LIF (one compartment)"].y.max() == pytest.approx(rec.point_peak * 1e3, abs=1e-3)
    assert chart.annotation("4.7× smaller, 10.0 ms later")


def test_an_uncoupled_dendrite_is_drawn_with_a_note_not_a_crash():
    """With g_c = 0 (allowed by the model) dendritic input never reaches the soma: the
    attenuation is infinite and the chart says so instead of dividing by zero."""
    from lif_core.analysis.dendrites import dendritic_input
    from lif_figures.beyond.dendrites import dendrite_figure

    rec = dendritic_input(0.0)
    assert rec.soma_peak_from_dend == 0.0 and rec.soma_peak_from_soma > 0.0
    assert rec.attenuation == float("inf")
    fig = dendrite_figure(rec)
    assert [a.text for a in fig.layout.annotations] == ["does not reach the soma (no coupling)"]
    coupled = dendritic_input(5e-9)
    assert coupled.attenuation == coupled.soma_peak_from_soma / coupled.soma_peak_from_dend > 1.0
