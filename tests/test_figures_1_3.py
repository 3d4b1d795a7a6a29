"""Figure builders of chapters 1-3 against the closed forms (no Streamlit involved).

The records returned by the ``*_experiment`` functions are checked against
``lif_core.theory``; the figures are checked for their traces, axis titles, point
budgets and for drawing the right numbers in display units.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET

import numpy as np
import plotly.graph_objects as go
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lif_core import LIFParams, theory
from lif_figures import circuit, membrane, spiking
from lif_figures.style import DASH_THEORY, DECIMALS, HALF_POINTS, MAX_POINTS

P = LIFParams()  # Dayan & Abbott: E_L = -65 mV, R = 10 MΩ, tau = 10 ms


def _n_points(fig: go.Figure) -> list[int]:
    return [len(tr.x) for tr in fig.data if tr.x is not None]


def _trace(fig: go.Figure, name_start: str):
    for tr in fig.data:
        if (tr.name or "").startswith(name_start):
            return tr
    raise AssertionError(f"no trace {name_start!r} in {[tr.name for tr in fig.data]}")


def exp_shapes(fig: go.Figure) -> list:
    return list(fig.layout.shapes)


def _finite(values) -> np.ndarray:
    arr = np.array([np.nan if v is None else v for v in values], dtype=float)
    return arr[np.isfinite(arr)]


def assert_rounded(values, unit: str) -> None:
    """Drawn numbers carry no more than ``DECIMALS[unit]`` decimals (short JSON numbers)."""
    arr = np.asarray(values, dtype=float)
    np.testing.assert_array_equal(np.round(arr, DECIMALS[unit]), arr)


# --------------------------------------------------------------------------- chapter 1


class TestPulseExperiment:
    def test_simulation_matches_closed_form(self):
        exp = membrane.pulse_experiment(P, 1e-9, 0.02, 0.06)
        assert np.max(np.abs(exp.V - exp.V_theory)) < 1e-9  # exact integration, volts

    def test_plateau_is_E_L_plus_R_I(self):
        # a pulse of 10 tau reaches the plateau E_L + R I = -55 mV to within e^-10
        exp = membrane.pulse_experiment(P, 1e-9, 0.01, 0.1)
        assert exp.V_inf == pytest.approx(-55e-3)
        at_end = exp.V[np.searchsorted(exp.t, 0.01 + 0.1) - 1]
        assert at_end == pytest.approx(-55e-3, abs=10e-3 * math.exp(-9.9))

    def test_63_percent_after_one_tau(self):
        exp = membrane.pulse_experiment(P, 2e-9, 0.02, 0.06)
        frac = (exp.V_63_on - P.E_L) / (exp.V_inf - P.E_L)
        assert frac == pytest.approx(1 - math.exp(-1))
        assert exp.t_63_on == pytest.approx(0.02 + P.tau)
        # discharge: 63 % of the way back to E_L one tau after the end
        back = (exp.V_end - exp.V_63_off) / (exp.V_end - P.E_L)
        assert back == pytest.approx(1 - math.exp(-1))
        assert exp.t_63_off == pytest.approx(0.08 + P.tau)

    def test_no_tau_mark_when_pulse_shorter_than_tau(self):
        exp = membrane.pulse_experiment(P, 1e-9, 0.02, 0.005)
        assert math.isnan(exp.t_63_on)
        assert exp.V_end < exp.V_inf  # never reaches the plateau

    def test_currents_add_up(self):
        exp = membrane.pulse_experiment(P, 1.5e-9, 0.02, 0.06)
        np.testing.assert_allclose(exp.I_R + exp.I_C, exp.I, atol=1e-15)
        on = (exp.t >= 0.02) & (exp.t < 0.08)
        assert exp.I_C[on][0] == pytest.approx(1.5e-9)  # all charges the capacitor at first
        assert exp.I_R[on][-1] == pytest.approx(1.5e-9, rel=0.01)  # all leaks at the end

    def test_pulse_response_theory_pieces(self):
        t = np.array([0.0, 0.019, 0.02 + P.tau, 0.08 + 5 * P.tau])
        V = membrane.pulse_response_theory(P, 1e-9, 0.02, 0.06, t)
        assert V[0] == V[1] == P.E_L
        assert V[2] == pytest.approx(theory.charging(P, P.tau, 1e-9))
        assert abs(V[3] - P.E_L) < 1e-4


class TestRCFigures:
    @pytest.fixture(scope="class")
    def exp(self):
        return membrane.pulse_experiment(P, 1e-9, 0.02, 0.1)

    def test_voltage_figure(self, exp):
        fig = membrane.rc_voltage_figure(exp)
        assert fig.layout.xaxis.title.text == "time (ms)"
        assert fig.layout.yaxis.title.text == "membrane potential V (mV)"
        sim = _trace(fig, "simulated")
        theo = _trace(fig, "closed form")
        assert sim.line.dash in (None, "solid")
        assert theo.line.dash == DASH_THEORY
        # plateau drawn in mV
        assert max(_finite(sim.y)) == pytest.approx(-55.0, abs=1e-3)
        assert min(_finite(sim.y)) == pytest.approx(-65.0, abs=1e-9)
        marks = _trace(fig, "one τ")
        assert marks.x[0] == pytest.approx(20.0 + 10.0)  # onset + tau, ms
        assert marks.y[0] == pytest.approx(-65 + 10 * (1 - math.exp(-1)))

    def test_currents_figure(self, exp):
        fig = membrane.rc_currents_figure(exp)
        assert fig.layout.yaxis.title.text == "current (nA)"
        assert fig.layout.xaxis.title.text == "time (ms)"
        total = _trace(fig, "I_R + I_C")
        injected = _trace(fig, "injected")
        assert total.line.dash == DASH_THEORY
        # the sum lies on top of I wherever both traces have a point
        total_at = dict(zip(total.x, total.y, strict=True))
        shared = [
            (y, total_at[x]) for x, y in zip(injected.x, injected.y, strict=True) if x in total_at
        ]
        assert len(shared) > 100
        np.testing.assert_allclose(*np.array(shared).T, atol=1e-9)
        assert max(_finite(injected.y)) == pytest.approx(1.0)  # nA

    def test_pulse_is_a_legend_entry(self, exp):
        (shape,) = [sh for sh in exp_shapes(membrane.rc_voltage_figure(exp)) if sh.type == "rect"]
        assert shape.showlegend and shape.name == "pulse 1 nA"
        assert (shape.x0, shape.x1) == pytest.approx((20.0, 120.0))

    def test_labels_on_the_outer_side_of_the_lines(self):
        """V∞ and E_L labels sit outside the band the trace moves in, for both signs."""
        # yanchor "bottom": the text stands on the line (above it)
        for amplitude, v_inf, e_l in ((1e-9, "bottom", "top"), (-1e-9, "top", "bottom")):
            fig = membrane.rc_voltage_figure(membrane.pulse_experiment(P, amplitude, 0.02, 0.06))
            notes = {a.text.split(" =")[0]: a for a in fig.layout.annotations}
            assert notes["V∞"].yanchor == v_inf, amplitude
            assert notes["E_L"].yanchor == e_l, amplitude
            assert "−" in notes["E_L"].text  # a true minus sign

    def test_zero_pulse_has_a_readable_scale(self):
        """No current: the axes span 2 mV and 0.2 nA, not the round-off of a flat line."""
        exp = membrane.pulse_experiment(P, 0.0, 0.02, 0.06)
        v_fig = membrane.rc_voltage_figure(exp)
        lo, hi = v_fig.layout.yaxis.range
        assert hi - lo == pytest.approx(membrane.MIN_SPAN_MV) and lo < -65 < hi
        assert not any(tr.name.startswith("one τ") for tr in v_fig.data)  # nothing to mark
        i_fig = membrane.rc_currents_figure(exp)
        assert tuple(i_fig.layout.yaxis.range) == pytest.approx((-0.1, 0.1))
        # a real pulse: the data's own extent, padded as plotly's autorange pads lines
        real = membrane.pulse_experiment(P, 0.5e-9, 0.02, 0.06)  # 5 mV, 0.5 nA
        for fig in (membrane.rc_voltage_figure(real), membrane.rc_currents_figure(real)):
            y = np.concatenate([np.asarray(tr.y, dtype=float) for tr in fig.data])
            y_lo, y_hi = np.nanmin(y), np.nanmax(y)
            lo, hi = fig.layout.yaxis.range
            assert lo < y_lo and hi > y_hi
            assert (y_hi - y_lo) * 20 / 18 <= hi - lo < (y_hi - y_lo) * 1.2

    def test_point_budget_for_long_runs(self):
        slow = P.replace(R=200e6, C=2e-9)  # tau = 400 ms: a long window
        exp = membrane.pulse_experiment(slow, 1e-9, 0.1, 0.2)
        assert len(exp.t) > MAX_POINTS
        for fig in (membrane.rc_voltage_figure(exp), membrane.rc_currents_figure(exp)):
            assert max(_n_points(fig)) <= MAX_POINTS

    def test_smooth_traces_fit_a_half_width_chart(self):
        """About one point per pixel of a half-width chart, with the pulse edges kept sharp."""
        slow = P.replace(R=200e6, C=2e-9)  # tau = 400 ms: 13 000 samples
        exp = membrane.pulse_experiment(slow, 1e-9, 0.1, 0.2)
        v_fig = membrane.rc_voltage_figure(exp)
        i_fig = membrane.rc_currents_figure(exp)
        assert max(_n_points(v_fig) + _n_points(i_fig)) <= HALF_POINTS
        # the injected current jumps between two consecutive samples, at onset and end
        injected = _trace(i_fig, "injected")
        x, y = np.asarray(injected.x), np.asarray(injected.y)
        jumps = np.flatnonzero(np.diff(y) != 0)
        assert x[jumps] == pytest.approx([100.0 - 0.1, 300.0 - 0.1])  # dt = 0.1 ms
        assert x[jumps + 1] == pytest.approx([100.0, 300.0])
        # the sample at the end of the pulse (the peak) is drawn
        sim = _trace(v_fig, "simulated")
        assert max(sim.y) == pytest.approx(1e3 * exp.V_end, abs=1e-3)
        # every trace of both charts shares the same samples
        assert all(np.array_equal(tr.x, injected.x) for tr in i_fig.data)
        assert np.array_equal(sim.x, injected.x)

    def test_drawn_numbers_are_rounded(self, exp):
        """1 µs, 1 µV and 0.1 pA: invisible, and the JSON sent prints short numbers."""
        v_fig = membrane.rc_voltage_figure(exp)
        for name in ("simulated", "closed form"):
            assert_rounded(_trace(v_fig, name).x, "ms")
            assert_rounded(_trace(v_fig, name).y, "mV")
        for tr in membrane.rc_currents_figure(exp).data:
            assert_rounded(tr.x, "ms")
            assert_rounded(tr.y, "nA")


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    R=st.floats(1e6, 200e6),
    C=st.floats(0.1e-9, 2e-9),
    amplitude=st.floats(-3e-9, 3e-9),
    onset=st.integers(0, 100),
    width=st.integers(1, 200),
)
def test_pulse_figures_any_slider_values(R, C, amplitude, onset, width):
    p = P.replace(R=R, C=C)
    exp = membrane.pulse_experiment(p, amplitude, onset * 1e-3, width * 1e-3)
    assert np.max(np.abs(exp.V - exp.V_theory)) < 1e-9 + 1e-9 * abs(R * amplitude)
    for fig in (membrane.rc_voltage_figure(exp), membrane.rc_currents_figure(exp)):
        assert max(_n_points(fig)) <= MAX_POINTS


# --------------------------------------------------------------------------- chapter 2


class TestRelaxation:
    @pytest.fixture(scope="class")
    def rel(self):
        return membrane.relaxation_experiment(P, 1e-9)

    def test_fixed_point_moves_to_E_L_plus_R_I(self, rel):
        assert rel.V_inf == pytest.approx(-55e-3)
        # phase line: zero at V_inf, slope -1/tau
        zero = np.interp(0.0, -rel.dVdt, rel.V_grid)
        assert zero == pytest.approx(rel.V_inf, abs=1e-9)
        slope = np.polyfit(rel.V_grid, rel.dVdt, 1)[0]
        assert slope == pytest.approx(-1 / P.tau)

    def test_trajectories_return_to_fixed_point(self, rel):
        np.testing.assert_allclose(rel.V, rel.V_theory, atol=1e-9)
        assert np.allclose(rel.V[:, 0], rel.starts)
        distance0 = np.abs(rel.starts - rel.V_inf)
        distance_end = np.abs(rel.V[:, -1] - rel.V_inf)
        assert np.all(distance_end <= distance0 * math.exp(-4.9) + 1e-12)

    def test_phase_line_figure(self, rel):
        fig = membrane.phase_line_figure(rel)
        assert fig.layout.xaxis.title.text == "membrane potential V (mV)"
        assert fig.layout.yaxis.title.text == "dV/dt (mV/ms)"
        fp = _trace(fig, "stable fixed point")
        assert fp.x[0] == pytest.approx(-55.0) and fp.y[0] == 0.0
        line = _trace(fig, "dV/dt")
        # mV/ms: at V = V_inf - 10 mV the velocity is 10 mV / 10 ms = +1 mV/ms
        assert np.interp(-65.0, line.x, line.y) == pytest.approx(1.0)
        # flow arrows point towards the fixed point
        arrows = [a for a in fig.layout.annotations if a.showarrow]
        assert len(arrows) >= 4
        for a in arrows:
            assert (a.x - a.ax) * (fp.x[0] - a.ax) > 0

    def test_relaxation_figure(self, rel):
        fig = membrane.relaxation_figure(rel)
        assert fig.layout.xaxis.title.text == "time (ms)"
        assert fig.layout.yaxis.title.text == "membrane potential V (mV)"
        sims = [tr for tr in fig.data if tr.legendgroup == "sim"]
        assert len(sims) == len(rel.starts)
        fixed = _trace(fig, "fixed point")
        assert fixed.line.dash == DASH_THEORY and fixed.y[0] == pytest.approx(-55.0)
        assert max(_n_points(fig)) <= HALF_POINTS < len(rel.t)
        for tr in sims:
            assert_rounded(tr.x, "ms")
            assert_rounded(tr.y, "mV")
        # thinned, not cut: from the start to the end of the run, at the simulated values
        assert [tr.y[0] for tr in sims] == pytest.approx(1e3 * rel.starts)
        assert sims[0].x[-1] == pytest.approx(1e3 * rel.t[-1])
        ends = [tr.y[-1] for tr in sims]
        np.testing.assert_allclose(ends, 1e3 * rel.V[:, -1], atol=0.5e-3)  # mV, rounded

    def test_phase_line_numbers_are_rounded(self, rel):
        line = _trace(membrane.phase_line_figure(rel), "dV/dt")
        assert_rounded(line.x, "mV")
        assert_rounded(line.y, "mV/ms")


# --------------------------------------------------------------------------- chapter 3


class TestSpiking:
    def test_rate_matches_theory(self):
        exp = spiking.spiking_experiment(P, 2e-9, "constant")
        assert exp.above_rheobase
        assert exp.rheobase == pytest.approx(1.5e-9)
        assert exp.rate == pytest.approx(theory.firing_rate(P, 2e-9), rel=1e-3)
        assert exp.isi == pytest.approx(1 / exp.rate_theory, rel=1e-3)

    def test_below_rheobase_never_fires(self):
        exp = spiking.spiking_experiment(P, 1.45e-9, "constant")
        assert not exp.above_rheobase
        assert len(exp.spike_times) == 0 and exp.rate == 0.0 and math.isnan(exp.isi)
        assert exp.V.max() < P.V_th

    def test_step_fires_only_after_onset(self):
        exp = spiking.spiking_experiment(P, 3e-9, "step", onset=0.2)
        assert exp.spike_times.min() > 0.2
        assert exp.I[exp.t < 0.2].max() == 0.0

    def test_spontaneous_neuron_starts_at_reset(self):
        p = P.replace(E_L=-45e-3, V_th=-50e-3, V_reset=-60e-3)  # fires without input
        exp = spiking.spiking_experiment(p, 0.0, "constant")
        assert exp.V0 == p.V_reset
        assert exp.rheobase < 0 and exp.above_rheobase and len(exp.spike_times) > 2

    def test_unknown_kind(self):
        with pytest.raises(ValueError, match="kind"):
            spiking.spiking_experiment(P, 1e-9, "ramp")

    def test_figure(self):
        exp = spiking.spiking_experiment(P, 2e-9, "constant")
        fig = spiking.spiking_figure(exp)
        assert fig.layout.yaxis.title.text == "membrane potential V (mV)"
        assert fig.layout.yaxis2.title.text == "spikes"
        assert fig.layout.yaxis3.title.text == "current (nA)"
        assert fig.layout.xaxis3.title.text == "time (ms)"
        assert _trace(fig, "threshold").y[0] == pytest.approx(-50.0)
        assert _trace(fig, "reset").y[0] == pytest.approx(-65.0)
        raster = _trace(fig, "spikes")
        np.testing.assert_allclose(raster.x, exp.spike_times * 1e3)
        assert _trace(fig, "rheobase").y[0] == pytest.approx(1.5)
        assert not any((tr.name or "").startswith("drawn spike") for tr in fig.data)
        V = _finite(_trace(fig, "simulated").y)
        assert V.max() < -50.0 and V.min() >= -65.0 - 1e-9
        assert max(_n_points(fig)) <= MAX_POINTS
        # the raster is the second row, under V, sharing the time axis
        assert raster.xaxis == "x2" and raster.yaxis == "y2"
        assert fig.layout.xaxis.matches == fig.layout.xaxis2.matches == "x3"
        assert fig.layout.yaxis.domain[0] > fig.layout.yaxis2.domain[1]
        assert fig.layout.yaxis2.domain[0] > fig.layout.yaxis3.domain[1]
        for name, unit in (("simulated", "mV"), ("injected", "nA")):
            assert_rounded(_trace(fig, name).x, "ms")
            assert_rounded(_trace(fig, name).y, unit)

    def test_cosmetic_spikes(self):
        exp = spiking.spiking_experiment(P, 2e-9, "constant")
        fig = spiking.spiking_figure(exp, cosmetic_spikes=True)
        drawn = _trace(fig, "drawn spike")
        assert np.nanmax(_finite(drawn.y)) == pytest.approx(20.0)
        assert len(_finite(drawn.x)) == 3 * len(exp.spike_times)

    def test_dense_firing_stays_within_budget(self):
        p = P.replace(t_ref=0.0, R=200e6, C=0.1e-9)  # tau = 20 ms, very strong drive
        exp = spiking.spiking_experiment(p, 10e-9, "constant")
        assert len(exp.spike_times) > MAX_POINTS // 4
        fig = spiking.spiking_figure(exp, cosmetic_spikes=True)
        assert max(_n_points(fig)) <= MAX_POINTS


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
