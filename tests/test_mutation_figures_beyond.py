"""Mutation-driven checks of chapter 7's charts (lif_figures.beyond) that other tests leave open.

Each test reads a chart back in display units (tests/figure_reader.py) and pins what a reader
sees: reference lines that span the whole time axis, spikes drawn to threshold and reset
however crowded, labels that point at what they name, axis ranges that show every curve
(and keep a sensible view when nothing fires), and drawn numbers kept short.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
from figure_cases import figure
from figure_reader import Chart

from lif_core.analysis import beyond
from lif_core.analysis.adaptation import adaptation
from lif_core.analysis.dendrites import dendritic_input
from lif_core.models.compartments import TwoCompartmentParams
from lif_figures import beyond as figs
from lif_figures.beyond._draw import _trace
from lif_figures.style import DECIMALS, HALF_POINTS, LABEL_FONT


def assert_decimals(values, decimals: int) -> None:
    """Drawn numbers carry no more than ``decimals`` decimals (short JSON numbers)."""
    arr = np.asarray(values, dtype=float)
    arr = arr[np.isfinite(arr)]
    assert arr.size
    np.testing.assert_array_equal(np.round(arr, decimals), arr)


def assert_spans_time_axis(chart: Chart, name: str, axis: str = "xaxis") -> None:
    """A horizontal reference line drawn from the left edge of the time axis to its right edge."""
    lo, hi = chart.axis_range(axis)
    assert lo == 0.0
    assert chart[name].x == pytest.approx([lo, hi], abs=1e-12), name


def assert_resets_at(drawn, spikes_ms, top_mV: float, bottom_mV: float) -> None:
    """At each spike time the trace goes up to ``top`` and straight down to ``bottom``."""
    for t in spikes_ms:
        at = np.flatnonzero(np.abs(drawn.x - t) <= 1e-3)
        ys = drawn.y[at]
        assert np.any(np.abs(ys - top_mV) <= 1e-3), (t, ys)
        assert np.any(np.abs(ys - bottom_mV) <= 1e-3), (t, ys)


# ------------------------------------------------------------------ _trace: spikes and budget


def _sawtooth(n: int, dt: float, spikes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A grid trace that climbs from -70 mV towards -50 mV between the given spike times."""
    t = np.arange(n) * dt
    last = np.concatenate(([0.0], spikes))[np.searchsorted(spikes, t)]
    V = -0.070 + 0.020 * np.clip((t - last) / 4e-3, 0.0, 0.999)
    return t, V


def test_trace_with_more_spikes_than_the_budget_allows_stays_in_display_units() -> None:
    """When the spikes alone would overflow the point budget, the whole trace is reduced:
    still at most ``budget`` points, in ms and mV (rounded as the chart rounds them),
    spanning the record, drawn up to threshold and down to the reset, without gaps."""
    dt = 1e-4
    spikes = (np.arange(350) + 0.37) * 1.1e-3  # 350 spikes: 700 points, more than 800 - 200
    t, V = _sawtooth(4000, dt, spikes)
    x, y = _trace(t, V, spikes, -0.050, -0.070, HALF_POINTS)
    assert x.size == y.size
    assert 0.8 * HALF_POINTS <= x.size <= HALF_POINTS
    assert np.all(np.isfinite(x)) and np.all(np.isfinite(y))
    assert np.all(np.diff(x) >= 0.0)
    assert x[0] == 0.0 and t[-1] * 1e3 - 5.0 < x[-1] <= t[-1] * 1e3  # ms, to the end
    assert y.max() == pytest.approx(-50.0) and y.min() == pytest.approx(-70.0)  # mV
    assert_decimals(x, DECIMALS["ms"])
    assert_decimals(y, DECIMALS["mV"])


def test_trace_keeps_every_spike_of_a_burst_at_the_budget_edge() -> None:
    """Room for exactly 200 grid points: the grid is reduced and then every spike inserted,
    so spikes 0.05 ms apart (a burst) are all drawn, each up to threshold and down to reset."""
    dt = 1e-5
    first = (np.arange(25) + 0.5) * 4e-3
    spikes = np.sort(np.concatenate([first, first + 5e-5]))  # 25 doublets, 50 spikes
    t, V = _sawtooth(10_000, dt, spikes)
    budget = 2 * spikes.size + 200
    x, y = _trace(t, V, spikes, -0.050, -0.070, budget)
    assert x.size <= budget
    assert np.count_nonzero(y == -50.0) == spikes.size
    assert_resets_at(SimpleNamespace(x=x, y=y), np.round(spikes * 1e3, 3), -50.0, -70.0)


# ------------------------------------------------------------------ adaptation


def test_adaptation_reference_lines_span_the_run_and_twin_resets() -> None:
    """V_T (row 1) and the LIF threshold (row 2) run across the whole step; the LIF twin
    is drawn up to its threshold and down to its reset at each of its spikes."""
    rec = adaptation("initial burst")
    chart = Chart(figs.adaptation_figure(rec))
    t_end = rec.duration * 1e3
    for name, axis in (("AdEx V_T", "xaxis"), ("LIF threshold V_th", "xaxis2")):
        assert chart[name].x == pytest.approx([0.0, t_end]), name
        assert chart.axis_range(axis) == pytest.approx((0.0, t_end))
    spikes = rec.lif.spike_times[0]
    assert spikes.size >= 5
    lif = rec.lif_params
    assert_resets_at(
        chart["LIF twin"], np.round(spikes * 1e3, 3), lif.V_th * 1e3, lif.V_reset * 1e3
    )
    # the adaptation current in pA, to 0.01 pA (the literal resolution is the design: w
    # swings over tens of pA, so two decimals keep the chart's numbers short)
    w = chart["w"]
    assert w.y.max() == pytest.approx(rec.adex.w[0].max() * 1e12, abs=0.005)
    assert_decimals(w.y, 2)


def test_adaptation_w_axis_without_adaptation_is_one_pA_around_zero() -> None:
    """a = b = 0: w stays 0, and its row still shows a readable ±1 pA around zero
    (1 pA is the design's smallest padding), not an empty or lopsided axis."""
    rec = adaptation("tonic", a=0.0, b=0.0)
    assert np.all(rec.adex.w[0] == 0.0)
    chart = Chart(figs.adaptation_figure(rec))
    assert chart.axis_range("yaxis3") == pytest.approx((-1.0, 1.0))


def test_adaptation_w_axis_pads_both_sides_by_8_percent_of_the_swing() -> None:
    """a < 0: w swings below and above zero; the row is padded by the same 8 % of w's
    whole swing (the design's margin) below its lowest and above its highest value."""
    rec = adaptation("tonic", a=-1.5e-9)
    w = rec.adex.w[0] * 1e12  # pA
    assert w.min() < -10.0 and w.max() > 40.0
    lo, hi = Chart(figs.adaptation_figure(rec)).axis_range("yaxis3")
    span = w.max() - w.min()
    assert w.min() - lo == pytest.approx(0.08 * span)
    assert hi - w.max() == pytest.approx(0.08 * span)


def test_isi_chart_height_follows_the_argument() -> None:
    """The page sizes the interval chart: the height it asks for is the height drawn."""
    fig = figs.isi_figure(adaptation("initial burst"), height=300)
    assert fig.layout.height == 300


def test_isi_chart_without_intervals_keeps_a_default_view() -> None:
    """No current, no spikes: the chart still draws (no error) and shows a log interval
    axis of 1 ms to 1 s over intervals 1 to 10 (the literal default view is the design)."""
    rec = adaptation("initial burst", I_step=0.0)
    assert rec.adex_isi.size == 0 and rec.lif_isi.size == 0
    chart = Chart(figs.isi_figure(rec))
    assert chart.layout["yaxis"]["type"] == "log"
    assert chart.axis_range("yaxis") == (0.0, 3.0)
    assert chart.axis_range("xaxis") == (0.5, 10.5)


# ------------------------------------------------------------------ dendrites


@pytest.mark.parametrize(
    "cell",
    [
        TwoCompartmentParams(C_d=2e-9, g_d=100e-9),  # big dendrite: the soma's own peak is highest
        TwoCompartmentParams(C_d=0.1e-9, g_d=5e-9),  # small dendrite: its local peak is highest
    ],
)
def test_dendrite_y_range_fits_the_highest_curve(cell) -> None:
    """The y axis ends 12 % above the highest curve drawn, whichever it is, and 5 % of it
    below zero (the literal margins are the design), so no curve is cut off."""
    rec = dendritic_input(20e-9, params=cell)
    chart = Chart(figs.dendrite_figure(rec))
    highest = max(tr.y[np.isfinite(tr.y)].max() for tr in chart.traces)
    lo, hi = chart.axis_range("yaxis")
    assert hi == pytest.approx(1.12 * highest, rel=1e-3)
    assert lo == pytest.approx(-0.05 * highest, rel=1e-3)


def test_dendrite_peak_markers_in_display_units() -> None:
    """The peak markers sit at the record's peaks, in ms (rounded like every time on the
    chart) and mV (0.1 µV: the literal 4 decimals are the design for sub-mV peaks)."""
    rec = dendritic_input(15e-9, dt=1.25e-5)  # a peak at 19.1625 ms: needs the ms rounding
    peaks = Chart(figs.dendrite_figure(rec))["peaks at the soma"]
    assert peaks.x == pytest.approx(
        [rec.t_soma_peak_from_soma * 1e3, rec.t_soma_peak_from_dend * 1e3], abs=6e-4
    )
    assert peaks.y == pytest.approx(
        [rec.soma_peak_from_soma * 1e3, rec.soma_peak_from_dend * 1e3], abs=5e-5
    )
    assert_decimals(peaks.x, DECIMALS["ms"])
    assert_decimals(peaks.y, 4)


# ------------------------------------------------------------------ spike shape


def test_spike_shape_threshold_line_and_peak_marker() -> None:
    """The LIF threshold runs across the whole chart; the HH peak marker sits at the peak."""
    rec = beyond.spike_shape(12e-9, 1e-3)
    chart = Chart(figure("spike_shape"))
    assert_spans_time_axis(chart, "LIF threshold V_th")
    assert chart["HH peak"].x == pytest.approx([rec.t_peak * 1e3])
    assert chart["HH peak"].y == pytest.approx([rec.peak * 1e3])


def test_half_width_bar_starts_at_a_sample_on_the_half_level() -> None:
    """A sample exactly at the half level is where V reaches it (as in the half-width
    measurement of lif_core.analysis.beyond): the bar starts at that sample."""
    rec = beyond.spike_shape(12e-9, 1e-3)
    dt = 25e-6
    t = np.arange(1001) * dt
    rest, peak = -0.065, 0.035
    level = 0.5 * (rest + peak)
    V = np.full(t.size, rest)
    V[200:208] = [-0.040, level, 0.010, peak, 0.010, level, -0.040, -0.070]
    fake = rec._replace(
        hh=SimpleNamespace(t=t, V=V[None, :]),
        V_rest=rest,
        peak=peak,
        t_peak=float(t[203]),
        half_width=float(t[205] - t[201]),
        ahp=-0.005,
        t_ahp=float(t[207]),
    )
    bar = Chart(figs.spike_shape_figure(fake))["HH half width"]
    assert bar.x == pytest.approx([t[201] * 1e3, t[205] * 1e3], abs=1e-9)
    assert bar.y == pytest.approx([level * 1e3] * 2)


# ------------------------------------------------------------------ ringing and rebound


def test_ringing_rest_line_spans_the_window_and_range_fits_both_traces() -> None:
    """The rest line runs across the window; the y range holds the HH's and the LIF's
    whole excursion, with 15 % of the largest swing (the design's margin) beyond it."""
    rec = beyond.ringing_and_rebound(2e-9, -5e-9, 10e-3)
    chart = Chart(figs.ringing_figure(rec))
    assert_spans_time_axis(chart, "rest")
    assert chart.axis_range("xaxis")[1] == pytest.approx(40.0)
    lo, hi = chart.axis_range("yaxis")
    top = max(chart["HH"].y.max(), chart["LIF twin"].y.max())
    bottom = min(chart["HH"].y.min(), chart["LIF twin"].y.min())
    swing = top - chart.hline("rest")
    assert hi == pytest.approx(top + 0.15 * swing, abs=2e-3)
    assert lo == pytest.approx(bottom - 0.15 * swing, abs=2e-3)


def test_ringing_traces_reach_the_end_of_a_short_window() -> None:
    """With a 10 ms window, both traces are drawn up to the sample at 10 ms itself."""
    rec = beyond.ringing_and_rebound(2e-9, -5e-9, 10e-3)
    chart = Chart(figs.ringing_figure(rec, t_max=10e-3))
    assert chart["HH"].x[-1] == pytest.approx(10.0)
    assert chart["LIF twin"].x[-1] == pytest.approx(10.0)
    assert chart.axis_range("xaxis") == pytest.approx((0.0, 10.0))


def test_ringing_twin_that_fires_is_drawn_to_threshold_and_reset() -> None:
    """A pulse strong enough to make the LIF twin fire: its spike goes up to V_th and
    straight down to V_reset at the spike time."""
    rec = beyond.ringing_and_rebound(20e-9, -5e-9, 10e-3)
    spikes = rec.small_lif.spike_times[0]
    assert spikes.size == 1
    lif = rec.lif_params
    chart = Chart(figs.ringing_figure(rec))
    assert_resets_at(
        chart["LIF twin"], np.round(spikes * 1e3, 3), lif.V_th * 1e3, lif.V_reset * 1e3
    )


def test_undershoot_label_points_at_the_trough() -> None:
    """After a hyperpolarising 'small' pulse the lowest point is the pulse's last sample:
    the label sits there, at rest + undershoot, and reads that value."""
    rec = beyond.ringing_and_rebound(-2e-9, -5e-9, 10e-3)
    note = Chart(figs.ringing_figure(rec)).annotation("undershoot")
    assert note["y"] == pytest.approx((rec.V_rest + rec.ring_undershoot) * 1e3, abs=1e-9)
    assert note["x"] == pytest.approx((rec.onset + rec.small_width) * 1e3, abs=1e-6)
    assert note["text"] == f"undershoot −{abs(rec.ring_undershoot) * 1e3:.2f} mV"


@pytest.mark.parametrize(
    ("amplitude", "duration"),
    [
        (0.0, 60e-3),  # no pulse: V stays at rest, undershoot exactly 0
        (2e-9, 8e-3),  # the run ends before V falls back to rest: undershoot > 0
    ],
)
def test_no_undershoot_label_without_an_undershoot(amplitude, duration) -> None:
    """The undershoot label appears only when HH goes below rest after the pulse; the rest
    line then has 15 % of the swing below it (the design's margin)."""
    rec = beyond.ringing_and_rebound(amplitude, -5e-9, 1e-3, duration=duration)
    assert rec.ring_undershoot >= 0.0
    chart = Chart(figs.ringing_figure(rec))
    assert not [a for a in chart.annotations if "undershoot" in a["text"]]
    rest = chart.hline("rest")
    lo = chart.axis_range("yaxis")[0]
    swing = max(rec.ring_peak, rec.lif_peak, 0.5e-3) * 1e3
    assert lo == pytest.approx(rest - 0.15 * swing)
    assert lo < chart["HH"].y.min() and lo < chart["LIF twin"].y.min()


def test_rebound_threshold_line_label_and_trace_end() -> None:
    """The LIF threshold runs across the chart at V_th; HH is drawn to the run's last
    sample; the 'rebound spike' label sits at the first rebound spike, just right of it
    and above 30 mV (the literal anchor, 10 px to the right, is the design: beside the
    spike's top, which peaks near +40 mV), in the chart's label font."""
    rec = beyond.ringing_and_rebound(2e-9, -5e-9, 10e-3)
    chart = Chart(figs.rebound_figure(rec))
    assert_spans_time_axis(chart, "LIF threshold V_th")
    assert chart.hline("LIF threshold V_th") == pytest.approx(rec.lif_params.V_th * 1e3)
    assert chart["HH"].x[-1] == pytest.approx(rec.hyper.t[-1] * 1e3)
    note = chart.annotation("rebound spike")
    assert note["x"] == pytest.approx(rec.rebound_spikes[0] * 1e3)
    assert note["y"] == 30.0
    assert (note["xanchor"], note["yanchor"], note["xshift"]) == ("left", "bottom", 10)
    assert note["font"]["size"] == LABEL_FONT
    assert note["bgcolor"]


# ------------------------------------------------------------------ f–I


def test_fi_range_holds_the_faster_hh_and_onset_line_spans_it() -> None:
    """Up to 10 nA HH fires faster than the LIF: the y axis still holds the HH's rates, and
    the onset line runs from 0 Hz to the top of the axis; rates to 0.001 Hz (the literal
    3 decimals keep the numbers short)."""
    classes = beyond.fi_classes(I_max=10e-9, n=11)
    chart = Chart(figs.fi_classes_figure(classes))
    hh_top = np.nanmax(chart["HH"].y)
    assert hh_top > 1.5 * chart["LIF"].y.max()
    lo, hi = chart.axis_range("yaxis")
    assert lo == 0.0 and hi > hh_top
    assert chart["HH onset"].y == pytest.approx([0.0, hi])
    assert_decimals(chart["HH"].y, 3)
    assert_decimals(chart["LIF"].y, 3)


def test_fi_chart_where_nothing_fires_shows_ten_hertz() -> None:
    """Below both onsets: a 0–10 Hz view plus the chart's 15 % headroom (the literal 10 Hz
    floor is the design), the onset line spanning it."""
    classes = beyond.fi_classes(I_max=1e-9, n=3)
    assert not classes.hh_rate.any() and not classes.lif_rate.any()
    chart = Chart(figs.fi_classes_figure(classes))
    assert chart.axis_range("yaxis") == pytest.approx((0.0, 11.5))
    assert chart["HH onset"].y == pytest.approx([0.0, 11.5])


def test_fi_line_breaks_before_any_nonzero_rate() -> None:
    """The HH line is broken between the last silent current and the first that fires,
    even if that first rate is below 1 Hz."""
    classes = beyond.fi_classes(I_max=10e-9, n=11)
    rates = np.array(classes.hh_rate, dtype=float)
    first = int(np.flatnonzero(rates > 0)[0])
    rates[first - 1] = 0.5  # a slow firing at the current before the jump
    hh = Chart(figs.fi_classes_figure(classes._replace(hh_rate=rates)))["HH"]
    gap = int(np.flatnonzero(np.isnan(hh.y))[0])
    assert hh.y[gap - 1] == 0.0 and hh.y[gap + 1] == 0.5
