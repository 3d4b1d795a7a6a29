"""What the chapter 1-3 charts draw, in display units, against their records and theory.

Each named trace's x and y are read back (tests/figure_reader.py) and compared with the
record it was drawn from and with closed forms written out here, so a unit slip (V on a
mV axis), a swapped pair of traces, a dropped reference line or a wrong data source fails.
The neuron tells formulas apart (V_reset ≠ E_L, τ = 12 ms, R = 20 MΩ).
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from figure_reader import Chart, assert_drawn_from
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mutation_aware import shared_scope

from lif_core import LIFParams
from lif_core.analysis import membrane as mem
from lif_core.analysis import spiking as spk
from lif_figures import circuit, membrane, spiking
from lif_figures.style import COLORS, DASH_THEORY, DECIMALS, HALF_POINTS, MAX_POINTS

#: τ = 12 ms, rheobase 0.85 nA, V_reset ≠ E_L.
Q = LIFParams(R=20e6, C=0.6e-9, E_L=-68e-3, V_th=-51e-3, V_reset=-61e-3, t_ref=2.35e-3)
TAU_MS = 12.0


def assert_rounded(values, unit: str) -> None:
    """Drawn numbers carry no more than ``DECIMALS[unit]`` decimals (short JSON numbers)."""
    arr = np.asarray(values, dtype=float)
    arr = arr[np.isfinite(arr)]
    np.testing.assert_array_equal(np.round(arr, DECIMALS[unit]), arr)


def pulse_by_hand_mV(t_ms, amplitude_nA, onset_ms, width_ms, p=Q):
    """Closed-form V (mV) of the passive membrane under a rectangular pulse."""
    E_L, V_inf = p.E_L * 1e3, p.E_L * 1e3 + p.R * amplitude_nA * 1e-9 * 1e3
    tau = p.tau * 1e3
    off = onset_ms + width_ms
    V_end = V_inf + (E_L - V_inf) * math.exp(-width_ms / tau)
    t = np.asarray(t_ms, dtype=float)
    # each branch is evaluated everywhere (overflowing where unused), used where it holds
    with np.errstate(over="ignore", invalid="ignore"):
        return _pulse_pieces(t, E_L, V_inf, V_end, tau, onset_ms, off)


def _pulse_pieces(t, E_L, V_inf, V_end, tau, onset_ms, off):
    return np.where(
        t < onset_ms,
        E_L,
        np.where(
            t < off,
            V_inf + (E_L - V_inf) * np.exp(-(t - onset_ms) / tau),
            E_L + (V_end - E_L) * np.exp(-(t - off) / tau),
        ),
    )


# --------------------------------------------------------------------------- chapter 1


@pytest.fixture(scope=shared_scope)
def pulse():
    return mem.pulse_experiment(Q, 1.3e-9, 0.02, 0.03)  # V∞ = -68 + 26 = -42 mV


def test_rc_voltage_chart_draws_simulation_and_closed_form_in_mV(pulse):
    chart = Chart(membrane.rc_voltage_figure(pulse))
    chart.assert_names({"simulated V(t)", "closed form", "one τ after the switch"})
    assert chart.titles == {"xaxis": "time (ms)", "yaxis": "membrane potential V (mV)"}
    sim, theo = chart["simulated V(t)"], chart["closed form"]
    # drawn from the record's samples, in ms and mV
    assert_drawn_from(sim, pulse.t * 1e3, pulse.V * 1e3, atol_x=1e-3, atol_y=1e-3)
    assert_drawn_from(theo, pulse.t * 1e3, pulse.V_theory * 1e3, atol_x=1e-3, atol_y=1e-3)
    # and both are the closed form
    for tr in (sim, theo):
        np.testing.assert_allclose(tr.y, pulse_by_hand_mV(tr.x, 1.3, 20.0, 30.0), atol=1e-3)
        assert tr.x[0] == 0.0 and tr.x[-1] == pytest.approx(1e3 * pulse.t[-1], abs=1e-3)
        assert_rounded(tr.x, "ms")
        assert_rounded(tr.y, "mV")
    # the peak (end of the pulse) is drawn
    assert sim.y.max() == pytest.approx(1e3 * pulse.V_end, abs=1e-3)
    # simulated solid in the membrane colour, theory dashed
    assert sim.dash is None and sim.color == COLORS["V"]
    assert theo.dash == DASH_THEORY and theo.color == COLORS["theory"]


def test_rc_voltage_chart_marks_tau_and_labels_v_inf_and_rest(pulse):
    chart = Chart(membrane.rc_voltage_figure(pulse))
    marks = chart["one τ after the switch"]
    np.testing.assert_allclose(marks.x, [20.0 + TAU_MS, 50.0 + TAU_MS])
    V_inf = -42.0
    V_end = V_inf + (-68.0 - V_inf) * math.exp(-30 / TAU_MS)
    on = -68.0 + (V_inf + 68.0) * (1 - math.exp(-1))
    off = V_end + (-68.0 - V_end) * (1 - math.exp(-1))
    np.testing.assert_allclose(marks.y, [on, off])
    # short labels right beside their markers, on the side away from the trace: under the
    # rising trace, above the falling one; mirrored for a negative pulse
    assert list(marks.raw["text"]) == ["τ: 63 %", "τ: 63 %"]
    assert list(marks.raw["textposition"]) == ["middle right", "top right"]
    down = Chart(membrane.rc_voltage_figure(mem.pulse_experiment(Q, -1e-9, 0.02, 0.03)))
    assert list(down["one τ after the switch"].raw["textposition"]) == [
        "middle right",
        "bottom right",
    ]
    # the pulse is a shaded band from onset to end, a legend entry in nA
    (band,) = [s for s in chart.shapes if s["type"] == "rect"]
    assert (band["x0"], band["x1"]) == pytest.approx((20.0, 50.0))
    assert band["name"] == "pulse 1.3 nA" and band["showlegend"]
    # V∞ and E_L as lines across the plot, labelled with their values
    assert sorted(chart.shape_hlines()) == pytest.approx([-68.0, V_inf])
    assert chart.annotation("V∞")["text"] == "V∞ = E_L + R·I = −42.0 mV"
    assert chart.annotation("E_L")["text"] == "E_L = −68 mV"
    assert chart.annotation("V∞")["y"] == pytest.approx(V_inf)
    assert chart.annotation("E_L")["y"] == pytest.approx(-68.0)


def test_labels_sit_on_the_outer_side_of_the_lines_for_both_signs():
    for amplitude, v_inf, e_l in ((1e-9, "bottom", "top"), (-1e-9, "top", "bottom")):
        chart = Chart(membrane.rc_voltage_figure(mem.pulse_experiment(Q, amplitude, 0.02, 0.06)))
        assert chart.annotation("V∞")["yanchor"] == v_inf, amplitude
        assert chart.annotation("E_L")["yanchor"] == e_l, amplitude
        marks = chart["one τ after the switch"]
        expected = ["middle right", "top right" if amplitude > 0 else "bottom right"]
        assert list(marks.raw["textposition"]) == expected
    neg = Chart(membrane.rc_voltage_figure(mem.pulse_experiment(Q, -1e-9, 0.02, 0.06)))
    assert next(s for s in neg.shapes if s["type"] == "rect")["name"] == "pulse −1 nA"


def test_rc_currents_chart_draws_each_current_by_its_own_physics(pulse):
    volt = Chart(membrane.rc_voltage_figure(pulse))
    chart = Chart(membrane.rc_currents_figure(pulse))
    chart.assert_names({"injected I", "I_R = (V−E_L)/R", "I_C = C·dV/dt", "I_R + I_C"})
    assert chart.titles == {"xaxis": "time (ms)", "yaxis": "current (nA)"}
    I, I_R, I_C, total = (
        chart[n] for n in ("injected I", "I_R = (V−E_L)/R", "I_C = C·dV/dt", "I_R + I_C")
    )
    V = volt["simulated V(t)"]
    for tr in (I, I_R, I_C, total):  # every trace on the V chart's samples
        np.testing.assert_array_equal(tr.x, V.x)
        assert_rounded(tr.y, "nA")
    # the injected current: 1.3 nA during [20, 50) ms, 0 elsewhere, and the edges kept sharp
    np.testing.assert_allclose(I.y, np.where((I.x >= 20.0) & (I.x < 50.0), 1.3, 0.0))
    # I_R by Ohm's law from the drawn V: (V − E_L)/R, mV / MΩ = nA
    np.testing.assert_allclose(I_R.y, (V.y + 68.0) / 20.0, atol=2e-4)
    # I_C = C dV/dt: at the samples, the exact dV/dt of the closed form, (V∞ − V)/τ
    V_inf_step = np.where((I.x >= 20.0) & (I.x < 50.0), -42.0, -68.0)
    np.testing.assert_allclose(I_C.y, 0.6 * (V_inf_step - V.y) / TAU_MS, atol=2e-4)  # nF·mV/ms
    np.testing.assert_allclose(total.y, I.y, atol=2e-4)
    assert total.dash == DASH_THEORY and I_R.color == COLORS["I_R"] and I_C.color == COLORS["I_C"]


def test_a_zero_pulse_has_a_readable_scale_and_nothing_to_mark():
    exp = mem.pulse_experiment(Q, 0.0, 0.02, 0.06)
    volt = Chart(membrane.rc_voltage_figure(exp))
    lo, hi = volt.axis_range("yaxis")
    assert hi - lo == pytest.approx(membrane.MIN_SPAN_MV) and (lo + hi) / 2 == pytest.approx(-68.0)
    assert "one τ after the switch" not in volt
    cur = Chart(membrane.rc_currents_figure(exp))
    assert cur.axis_range("yaxis") == pytest.approx((-0.1, 0.1))
    # a real pulse: its own extent, padded as plotly's autorange pads lines (1/18 per side)
    real = mem.pulse_experiment(Q, 0.5e-9, 0.02, 0.06)
    for chart in (
        Chart(membrane.rc_voltage_figure(real)),
        Chart(membrane.rc_currents_figure(real)),
    ):
        y = np.concatenate([t.y for t in chart.traces])
        y_lo, y_hi = np.nanmin(y), np.nanmax(y)
        shapes = chart.shape_hlines()
        if shapes:
            y_lo, y_hi = min(y_lo, *shapes), max(y_hi, *shapes)
        pad = (y_hi - y_lo) / 18
        assert chart.axis_range("yaxis") == pytest.approx((y_lo - pad, y_hi + pad))


def test_long_runs_are_thinned_to_one_point_per_pixel_with_sharp_edges():
    slow = Q.replace(R=200e6, C=2e-9)  # τ = 400 ms: 13 000 samples
    exp = mem.pulse_experiment(slow, 1e-9, 0.1, 0.2)
    assert len(exp.t) > MAX_POINTS
    volt = Chart(membrane.rc_voltage_figure(exp))
    cur = Chart(membrane.rc_currents_figure(exp))
    assert (
        max(len(t.x) for t in volt.traces + cur.traces if t.name != "one τ after the switch")
        <= HALF_POINTS
    )
    injected = cur["injected I"]
    jumps = np.flatnonzero(np.diff(injected.y) != 0)
    assert injected.x[jumps] == pytest.approx([100.0 - 0.1, 300.0 - 0.1])  # dt = 0.1 ms
    assert injected.x[jumps + 1] == pytest.approx([100.0, 300.0])
    assert volt["simulated V(t)"].y.max() == pytest.approx(1e3 * exp.V_end, abs=1e-3)
    assert_drawn_from(volt["simulated V(t)"], exp.t * 1e3, exp.V * 1e3, atol_x=1e-3, atol_y=1e-3)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    R=st.floats(1e6, 200e6),
    C=st.floats(0.1e-9, 2e-9),
    amplitude=st.floats(-3e-9, 3e-9),
    onset=st.integers(0, 100),
    width=st.integers(1, 200),
)
def test_rc_charts_draw_the_closed_form_for_any_slider_values(R, C, amplitude, onset, width):
    p = Q.replace(R=R, C=C)
    exp = mem.pulse_experiment(p, amplitude, onset * 1e-3, width * 1e-3)
    chart = Chart(membrane.rc_voltage_figure(exp))
    sim = chart["simulated V(t)"]
    expected = pulse_by_hand_mV(sim.x, amplitude * 1e9, onset, width, p)
    np.testing.assert_allclose(sim.y, expected, atol=1e-3 + 1e-9 * abs(R * amplitude) * 1e3)
    for fig in (membrane.rc_voltage_figure(exp), membrane.rc_currents_figure(exp)):
        assert max(len(t.x) for t in Chart(fig).traces) <= MAX_POINTS


# --------------------------------------------------------------------------- chapter 2


@pytest.fixture(scope=shared_scope)
def relax():
    return mem.relaxation_experiment(Q, 0.7e-9)  # V∞ = -68 + 14 = -54 mV


def test_phase_line_chart_draws_dv_dt_in_mV_per_ms(relax):
    chart = Chart(membrane.phase_line_figure(relax))
    chart.assert_names(
        {
            "dV/dt = (V∞ − V)/τ",
            "stable fixed point V∞ = −54.0 mV",
            "E_L = −68 mV (rest at I = 0)",
            "starting points",
        }
    )
    assert chart.titles == {"xaxis": "membrane potential V (mV)", "yaxis": "dV/dt (mV/ms)"}
    line = chart["dV/dt = (V∞ − V)/τ"]
    np.testing.assert_allclose(line.x, np.round(relax.V_grid * 1e3, 3))
    np.testing.assert_allclose(line.y, (-54.0 - line.x) / TAU_MS, atol=1e-4)
    assert line.x[0] == pytest.approx(-100.0) and line.x[-1] == pytest.approx(-20.0)
    assert_rounded(line.y, "mV/ms")
    fp = chart["stable fixed point V∞ = −54.0 mV"]
    assert (fp.x[0], fp.y[0]) == pytest.approx((-54.0, 0.0))
    rest = chart["E_L = −68 mV (rest at I = 0)"]
    assert (rest.x[0], rest.y[0]) == pytest.approx((-68.0, 0.0))
    starts = chart["starting points"]
    np.testing.assert_allclose(starts.x, np.arange(-90, -29, 10))
    np.testing.assert_allclose(starts.y, (-54.0 - starts.x) / TAU_MS)
    assert chart.shape_hlines() == [0.0]


def test_flow_arrows_point_to_the_fixed_point(relax):
    chart = Chart(membrane.phase_line_figure(relax))
    arrows = [a for a in chart.annotations if a.get("showarrow")]
    assert len(arrows) >= 4
    for a in arrows:
        assert a["y"] == a["ay"] == 0.0
        assert (a["x"] - a["ax"]) * (-54.0 - a["ax"]) > 0  # head nearer the fixed point
        assert abs(a["x"] - a["ax"]) == pytest.approx(80.0 / 14)
        assert abs(a["ax"] + 54.0) > 0.6 * 80.0 / 14 and abs(a["x"] - (-68.0)) > 0
    # no E_L marker when the current is zero (the fixed point is E_L)
    at_rest = Chart(membrane.phase_line_figure(mem.relaxation_experiment(Q, 0.0)))
    assert not any(n.startswith("E_L") for n in at_rest.names)


def test_relaxation_chart_draws_each_start_relaxing_to_v_inf(relax):
    chart = Chart(membrane.relaxation_figure(relax))
    assert chart.titles == {"xaxis": "time (ms)", "yaxis": "membrane potential V (mV)"}
    sims = [t for t in chart.traces if t.name == "simulated V(t)"]
    assert len(sims) == 7 and [t.showlegend for t in sims] == [True] + [False] * 6
    fixed = chart["fixed point V∞ = E_L + R·I = −54.0 mV"]
    assert chart.hline(fixed.name) == pytest.approx(-54.0) and fixed.dash == DASH_THEORY
    for start, tr in zip(np.arange(-90, -29, 10), sims, strict=True):
        expected = -54.0 + (start + 54.0) * np.exp(-tr.x / TAU_MS)
        np.testing.assert_allclose(tr.y, expected, atol=1e-3)
        assert tr.y[0] == pytest.approx(start)
        assert len(tr.x) <= HALF_POINTS < len(relax.t)
        assert tr.x[-1] == pytest.approx(1e3 * relax.t[-1])
        assert_rounded(tr.y, "mV")
    assert chart.shape_vlines() == [pytest.approx(TAU_MS)]
    assert chart.annotation("t = τ")["x"] == pytest.approx(TAU_MS)


# --------------------------------------------------------------------------- chapter 3


@pytest.fixture(scope=shared_scope)
def spiking_run():
    return spk.spiking_experiment(Q, 2.3e-9, "step", onset=0.1)


def test_spiking_chart_draws_v_spikes_and_current_on_three_rows(spiking_run):
    exp = spiking_run
    chart = Chart(spiking.spiking_figure(exp))
    n = exp.spike_times.size
    chart.assert_names(
        {
            "simulated V(t)",
            "threshold V_th = −51 mV",
            "reset V_reset = −61 mV",
            f"spikes ({n})",
            "injected I",
            "rheobase 0.85 nA",
        }
    )
    assert chart.titles == {
        "yaxis": "membrane potential V (mV)",
        "yaxis2": "spikes",
        "yaxis3": "current (nA)",
        "xaxis3": "time (ms)",
    }
    V = chart["simulated V(t)"]
    assert (V.xaxis, V.yaxis) == ("x", "y")
    # thinned to extremes, every point a sample (floored to 1 µV so none sits on threshold)
    assert_drawn_from(V, exp.t * 1e3, exp.V * 1e3, atol_x=1e-3, atol_y=1e-3 + 1e-9)
    assert V.y.max() < -51.0 and V.y.min() == pytest.approx(-68.0, abs=1.01e-3)
    assert chart.hline("threshold V_th = −51 mV") == pytest.approx(-51.0)
    assert chart.hline("reset V_reset = −61 mV") == pytest.approx(-61.0)
    raster = chart[f"spikes ({n})"]
    assert (raster.xaxis, raster.yaxis) == ("x2", "y2")
    np.testing.assert_allclose(raster.x, exp.spike_times * 1e3)
    assert np.all(raster.y == 0.0)
    I = chart["injected I"]
    assert (I.xaxis, I.yaxis) == ("x3", "y3")
    assert_drawn_from(I, exp.t * 1e3, exp.I * 1e9, atol_x=1e-3, atol_y=1e-4)
    assert I.y.max() == pytest.approx(2.3) and I.y.min() == 0.0
    assert chart.hline("rheobase 0.85 nA") == pytest.approx(0.85)
    assert chart["rheobase 0.85 nA"].yaxis == "y3"
    assert_rounded(V.x, "ms")
    assert_rounded(I.y, "nA")


def test_spiking_chart_layout_stacks_rows_and_fits_the_current(spiking_run):
    chart = Chart(spiking.spiking_figure(spiking_run))
    lay = chart.layout
    assert lay["xaxis"]["matches"] == lay["xaxis2"]["matches"] == "x3"
    assert lay["yaxis"]["domain"][0] > lay["yaxis2"]["domain"][1]
    assert lay["yaxis2"]["domain"][0] > lay["yaxis3"]["domain"][1]
    assert chart.axis_range("yaxis2") == (-1.0, 1.0)
    pad = 0.12 * 2.3
    assert chart.axis_range("yaxis3") == pytest.approx((-pad, 2.3 + pad))
    # V axis: from the lowest drawn value to the threshold, padded like plotly's autorange
    lo, hi = chart.axis_range("yaxis")
    assert lo < -68.0 < -51.0 < hi


def test_cosmetic_spikes_are_drawn_from_threshold_to_20_mV_to_reset(spiking_run):
    exp = spiking_run
    chart = Chart(spiking.spiking_figure(exp, cosmetic_spikes=True))
    drawn = chart["drawn spike (not simulated)"]
    segments = drawn.segments()
    assert len(segments) == exp.spike_times.size
    for (x, y), ts in zip(segments, exp.spike_times, strict=True):
        np.testing.assert_allclose(x, round(ts * 1e3, 3))
        np.testing.assert_allclose(y, [-51.0, 20.0, -61.0])
    plain = Chart(spiking.spiking_figure(exp))
    assert not any(n.startswith("drawn spike") for n in plain.names)


def test_dense_firing_draws_every_nth_spike_within_budget():
    p = Q.replace(t_ref=0.0, R=200e6, C=0.1e-9)  # τ = 20 ms, very strong drive
    exp = spk.spiking_experiment(p, 10e-9, "constant")
    n = exp.spike_times.size
    k = math.ceil(n / (MAX_POINTS // 4))
    assert k > 1
    chart = Chart(spiking.spiking_figure(exp, cosmetic_spikes=True))
    raster = chart[f"spikes ({n}), every {spiking.ordinal(k)} drawn"]
    np.testing.assert_allclose(raster.x, exp.spike_times[::k] * 1e3)
    drawn = chart[f"drawn spike (not simulated), every {spiking.ordinal(k)}"]
    assert len(drawn.segments()) == len(raster.x)
    assert max(len(t.x) for t in chart.traces) <= MAX_POINTS


# --------------------------------------------------------------------------- circuit


def test_circuit_svg_is_valid_and_theme_neutral():
    svg = circuit.circuit_svg()
    root = ET.fromstring(svg)  # well-formed XML
    assert root.tag.endswith("svg")
    text = "".join(root.itertext())
    for label in ("I", "C", "R", "E", "V", "inside", "outside"):
        assert label in text
    assert "currentColor" in svg  # takes the page's text colour (light and dark theme)
    assert "<script" not in svg.lower() and "href" not in svg.lower()
    assert 'style="max-width: 560px' in svg or "560" in root.get("style", "") + svg[:300]
