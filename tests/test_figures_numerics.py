"""The numerics page's figures draw their records: traces in ms and mV, errors on log axes."""

from __future__ import annotations

import math

import numpy as np
import pytest
from figure_reader import Chart
from mutation_aware import shared_scope
from test_figures_style import assert_reads_like_a_validated_copy, font_problems

from lif_core import LIFParams, theory
from lif_core.analysis import numerics as nm
from lif_figures import numerics as fig_num
from lif_figures.style import DASH_THEORY

P = LIFParams(R=10e6, C=1e-9, E_L=-65e-3, V_th=-50e-3, V_reset=-60e-3, t_ref=2.05e-3)


@pytest.fixture(scope=shared_scope)
def comp() -> nm.TraceComparison:
    return nm.trace_comparison(P, 2e-9, 1e-3, 0.06, crossing_inside=False)


@pytest.mark.parametrize("side", ["exact", "euler"])
def test_method_trace_figure_draws_the_grid_values_over_the_closed_form(comp, side):
    trace = getattr(comp, side)
    fig = fig_num.method_trace_figure(trace, comp.theory, P.V_th)
    chart = Chart(fig)
    short = trace.integrator.short
    chart.assert_names({"closed form", "closed-form spikes", short, "spikes", "threshold V_th"})
    method = chart[short]
    np.testing.assert_allclose(method.x, trace.t * 1e3)
    np.testing.assert_allclose(method.y, trace.V * 1e3)
    assert method.dash is None and method.mode == "lines+markers"  # 60 grid points: marked
    cf = chart["closed form"]
    assert cf.dash == DASH_THEORY
    np.testing.assert_allclose(cf.y, comp.theory.V * 1e3)
    # spike marks start at the threshold at each spike time, in ms
    starts = [seg[0] for seg in chart["spikes"].segments()]
    assert [x[0] for x in starts] == pytest.approx((trace.spike_times * 1e3).tolist())
    cf_starts = [seg[0][0] for seg in chart["closed-form spikes"].segments()]
    assert cf_starts == pytest.approx((comp.theory.spike_times * 1e3).tolist())
    assert chart.hline("threshold V_th") == -50.0
    assert chart.titles == {"xaxis": "time (ms)", "yaxis": "V (mV)"}
    assert_reads_like_a_validated_copy(fig)
    assert not font_problems(fig.to_dict())


def test_grid_crossing_spikes_sit_on_grid_times_and_are_late(comp):
    spikes = comp.exact.spike_times * 1e3  # ms, dt = 1 ms
    np.testing.assert_allclose(spikes, np.round(spikes), atol=1e-9)
    assert np.all(spikes[: comp.theory.spike_times.size] >= 0)
    assert comp.exact.first_spike_error > 0


@pytest.fixture(scope=shared_scope)
def sweep() -> nm.ErrorSweep:
    return nm.error_sweep(P, 2e-9, np.geomspace(1e-6, 1e-3, 7))


def test_error_figure_is_log_log_with_the_errors_in_display_units(sweep):
    fig = fig_num.error_figure(sweep, "first_spike", dt_mark=1e-4)
    chart = Chart(fig)
    chart.assert_names(
        {"exact (engine)", "crossing on grid", "Euler", "round-off", "dt on the slider"}
    )
    assert fig.layout.xaxis.type == "log" and fig.layout.yaxis.type == "log"
    floor_ms = sweep.first_spike_floor * 1e3
    for integ in nm.FIRST_SPIKE_INTEGRATORS:
        drawn = chart[integ.short]
        np.testing.assert_allclose(drawn.x, sweep.dt * 1e3)
        want = np.maximum(sweep.first_spike_error[integ.name] * 1e3, floor_ms)
        np.testing.assert_allclose(drawn.y, want)
    assert chart.hline("round-off") == pytest.approx(floor_ms)
    assert chart.vline("dt on the slider") == pytest.approx(0.1)
    lo, hi = chart.axis_range("yaxis")  # log10 units
    assert lo <= math.log10(floor_ms) and hi >= math.log10(chart["Euler"].y.max())
    assert chart.titles == {
        "xaxis": "time step dt (ms)",
        "yaxis": "|first spike time error| (ms)",
    }
    assert_reads_like_a_validated_copy(fig)


def test_rate_error_figure_has_every_integrator(sweep):
    fig = fig_num.error_figure(sweep, "rate")
    chart = Chart(fig)
    for integ in nm.INTEGRATORS:
        want = np.maximum(sweep.rate_error[integ.name], sweep.rate_floor)
        np.testing.assert_allclose(chart[integ.short].y, want)
    assert chart.hline("round-off") == pytest.approx(sweep.rate_floor)
    assert sweep.rate_floor == pytest.approx(np.spacing(theory.firing_rate(P, 2e-9)))
    assert chart.titles["yaxis"] == "|rate error| (Hz)"
    with pytest.raises(ValueError, match="kind"):
        fig_num.error_figure(sweep, "voltage")
