"""Chapter 8's figures draw their records, in display units (mV, ms, nA), theory dashed.

Read with tests/figure_reader.py; every figure is also checked against a fully validated
plotly copy (what Streamlit sends is what plotly.js would read).
"""

from __future__ import annotations

import numpy as np
import pytest
from figure_reader import Chart
from mutation_aware import shared_scope
from test_figures_style import assert_reads_like_a_validated_copy, font_problems

from lif_core import LIFParams, noise
from lif_core.analysis import noise as an
from lif_figures import noise as fig_noise
from lif_figures.style import COLORS, DASH_THEORY

P = LIFParams(R=10e6, C=1e-9, E_L=-65e-3, V_th=-50e-3, V_reset=-60e-3, t_ref=2e-3)


@pytest.fixture(scope=shared_scope)
def trials() -> an.Trials:
    return an.noisy_trials(P, 1.2e-9, 3e-3, 0.5e-3, n_trials=12, duration=0.5, seed=3)


@pytest.fixture(scope=shared_scope)
def curves() -> an.RateCurves:
    return an.rate_curves(P, 0.5e-3, seed=3, n_currents=5, n_trials=3, duration=0.5, n_theory=21)


def test_trials_figure_draws_trial_one_and_the_raster_in_ms_and_mV(trials):
    fig = fig_noise.trials_figure(trials)
    chart = Chart(fig)
    chart.assert_names(
        {
            "V, trial 1",
            "spikes, trial 1",
            "threshold V_th",
            "reset V_reset",
            "mean input μ",
            "raster",
            "raster, trial 1",
        }
    )
    V = chart["V, trial 1"]
    assert V.y.max() == pytest.approx(trials.V.max() * 1e3, abs=1e-3)  # extremes kept
    assert V.y.min() == pytest.approx(trials.V.min() * 1e3, abs=1e-3)
    assert V.x[-1] == pytest.approx(trials.t[-1] * 1e3) and V.dash is None
    assert chart.hline("threshold V_th") == -50.0 and chart.hline("reset V_reset") == -60.0
    mu = chart["mean input μ"]
    assert chart.hline("mean input μ") == pytest.approx(-53.0) and mu.dash == DASH_THEORY
    first = chart["raster, trial 1"]
    x, row, half = first.ticks()
    np.testing.assert_allclose(x, trials.spike_times[0] * 1e3, atol=1e-3)
    assert (
        np.all(row == 1.0)
        and np.allclose(half, fig_noise.RASTER_TICK, rtol=1e-12)
        and first.yaxis == "y2"
    )
    assert first.mode == "lines" and first.color == COLORS["V"]
    rest = chart["raster"]
    x, row, half = rest.ticks()
    for k in range(1, 12):  # trial k + 1's spikes, in its row
        np.testing.assert_allclose(x[row == k + 1], trials.spike_times[k] * 1e3, atol=1e-3)
    assert x.size == sum(s.size for s in trials.spike_times[1:]) and np.allclose(
        half, 0.4, rtol=1e-12
    )
    marks = chart["spikes, trial 1"].segments()
    assert [seg[0][0] for seg in marks] == pytest.approx(
        (trials.spike_times[0] * 1e3).tolist(), abs=1e-3
    )
    assert chart.titles == {"yaxis": "V (mV)", "xaxis2": "time (ms)", "yaxis2": "trial"}
    assert_reads_like_a_validated_copy(fig)
    assert not font_problems(fig.to_dict())


def test_isi_histogram_figure_draws_the_counts_and_the_mean(trials):
    hist = an.isi_histogram(trials, n_bins=20)
    fig = fig_noise.isi_histogram_figure(hist)
    chart = Chart(fig)
    bars = chart["intervals"]
    np.testing.assert_allclose(bars.x, (hist.edges[:-1] + hist.edges[1:]) / 2 * 1e3, atol=1e-3)
    np.testing.assert_array_equal(bars.y, hist.counts)
    assert chart.vline("mean ISI") == pytest.approx(hist.mean_isi * 1e3)
    assert chart.vline("t_ref") == pytest.approx(2.0)
    assert chart.annotation("mean ").get("text").endswith(f"CV {hist.cv:.2f}")
    assert chart.axis_range("xaxis") == pytest.approx((0.0, hist.edges[-1] * 1e3))
    assert_reads_like_a_validated_copy(fig)


def test_rate_curves_figure_points_over_dashed_theory(curves, trials):
    mark = fig_noise.OperatingMark(1.2e-9, 17.0, 0.5, 0.7, 0.02, 3e-3)
    fig = fig_noise.rate_curves_figure(curves, mark)
    chart = Chart(fig)
    labels = ["0 mV", "1 mV", "2 mV", "4 mV"]
    chart.assert_names(
        {*labels, *(f"simulated, {x}" for x in labels), "this setting (simulated)", "rheobase"}
    )
    for k, label in enumerate(labels):
        th = chart[label]
        assert th.dash == DASH_THEORY
        np.testing.assert_allclose(th.x, curves.I_theory * 1e9)
        # theory in Hz, from an independent call of the formula
        want = noise.firing_rate(P, curves.I_theory, curves.sigma_V[k], 0.5e-3)
        np.testing.assert_allclose(th.y, want, rtol=1e-12)
        sim = chart[f"simulated, {label}"]
        assert sim.mode == "markers"
        np.testing.assert_allclose(sim.x, curves.currents * 1e9)
        np.testing.assert_array_equal(sim.y, curves.rate[k])
        np.testing.assert_allclose(sim.raw["error_y"]["array"], np.nan_to_num(curves.rate_se[k]))
    star = chart["this setting (simulated)"]
    assert star.x.tolist() == [1.2] and star.y.tolist() == [17.0]
    assert chart.vline("rheobase") == pytest.approx(1.5)
    assert chart.titles == {"xaxis": "mean current (nA)", "yaxis": "rate (Hz)"}
    assert_reads_like_a_validated_copy(fig)
    assert not font_problems(fig.to_dict())


def test_cv_curves_figure(curves):
    fig = fig_noise.cv_curves_figure(curves)
    chart = Chart(fig)
    assert "simulated, 0 mV" not in chart  # no intervals to speak of without noise
    for k, label in enumerate(["1 mV", "2 mV", "4 mV"], start=1):
        np.testing.assert_array_equal(chart[f"simulated, {label}"].y, curves.cv[k])
        np.testing.assert_allclose(chart[label].y, curves.cv_theory[k])
        assert chart[label].dash == DASH_THEORY
    # the theory: CV near 1 far below threshold, falling above it
    four = chart["4 mV"].y
    assert four[0] == pytest.approx(1.0, abs=0.02) and four[-1] < 0.5
    assert chart.hline("Poisson (CV = 1)") == 1.0
    assert chart.titles == {"xaxis": "mean current (nA)", "yaxis": "CV of the intervals"}
    assert_reads_like_a_validated_copy(fig)


def test_sigma_labels():
    assert fig_noise.sigma_label(0.0) == "0 mV" and fig_noise.sigma_label(2.5e-3) == "2.5 mV"
