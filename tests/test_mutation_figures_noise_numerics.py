"""lif_figures.noise, .numerics and .spiking: what the charts draw, where the other figure
tests leave it open (surviving mutants of a mutmut run over lif_figures).

Every check reads the chart as drawn (tests/figure_reader.py): coordinates in display units
(ms, mV, nA, Hz), reference lines, axis ranges a reader sees. Records are small and built
here (a few ms each), so the file runs in a couple of seconds.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
from figure_reader import Chart

from lif_core import LIFParams
from lif_core.analysis import noise as nz
from lif_core.analysis import numerics as num
from lif_core.analysis import spiking as spk
from lif_figures import noise as fno
from lif_figures import numerics as fnum
from lif_figures import spiking as fsp
from lif_figures.style import FULL_WIDTH, HALF_WIDTH

#: The odd neuron of tests/figure_cases.py: tau = 12 ms, rheobase 0.85 nA, V_reset != E_L.
Q = LIFParams(R=20e6, C=0.6e-9, E_L=-68e-3, V_th=-51e-3, V_reset=-61e-3, t_ref=2.35e-3)


def _inside(values, rng: tuple[float, float]) -> bool:
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    return bool(np.all((v >= min(rng)) & (v <= max(rng))))


# =========================================================================== noise: trials


def _trials(n_trials: int = 12, **kw) -> nz.Trials:
    args = dict(I_mean=1.0e-9, sigma_V=3e-3, tau_s=2e-3, duration=0.3, seed=3)
    args.update(kw)
    params = args.pop("params", Q)
    return nz.noisy_trials(params, n_trials=n_trials, **args)


def test_trials_reference_lines_run_from_zero_to_the_end_of_the_trial() -> None:
    """Threshold, reset and mean input are drawn across the whole trial, as the time axis."""
    tr = _trials()
    chart = Chart(fno.trials_figure(tr))
    t_end = (tr.t[-1] + tr.dt) * 1e3
    for name in ("threshold V_th", "reset V_reset", "mean input μ"):
        np.testing.assert_allclose(chart[name].x, [0.0, t_end], rtol=1e-12, err_msg=name)
    assert chart.axis_range("xaxis") == pytest.approx((0.0, t_end))
    assert chart.hline("threshold V_th") == pytest.approx(-51.0)
    assert chart.hline("reset V_reset") == pytest.approx(-61.0)
    assert chart.hline("mean input μ") == pytest.approx(-68.0 + 20.0)  # E_L + R·I, mV


def test_trial_one_has_one_upright_mark_per_spike_above_threshold() -> None:
    tr = _trials()
    spikes_ms = tr.spike_times[0] * 1e3
    assert spikes_ms.size >= 3
    segs = Chart(fno.trials_figure(tr))["spikes, trial 1"].segments()
    assert len(segs) == spikes_ms.size
    for (x, y), t in zip(segs, spikes_ms, strict=True):
        np.testing.assert_allclose(x, [t, t], atol=1e-3)
        np.testing.assert_allclose(y, [-51.0, -51.0 + fno.SPIKE_HEIGHT_MV])


def test_the_reset_line_stays_in_view_when_V_never_comes_near_it() -> None:
    """Subthreshold trial (no spike, no reset) with V_reset far below: the line is still shown."""
    params = LIFParams(R=10e6, C=1e-9, E_L=-65e-3, V_th=-50e-3, V_reset=-80e-3, t_ref=2e-3)
    tr = _trials(n_trials=2, params=params, I_mean=0.7e-9, sigma_V=1e-3, duration=0.2)
    assert tr.spike_times[0].size == 0
    chart = Chart(fno.trials_figure(tr))
    assert chart["V, trial 1"].y.min() > -70.0  # far above the reset
    lo, hi = chart.axis_range("yaxis")
    assert lo < chart.hline("reset V_reset") == -80.0 < hi


def test_the_mean_input_line_stays_in_view_when_it_is_below_everything_else() -> None:
    """A hyperpolarising current, no noise, a short trial: V decays towards μ without reaching
    it, and μ is below V_reset; its line must still be inside the V panel."""
    params = LIFParams(R=10e6, C=2e-9, E_L=-65e-3, V_th=-50e-3, V_reset=-70e-3, t_ref=2e-3)
    tr = _trials(n_trials=1, params=params, I_mean=-1e-9, sigma_V=0.0, duration=0.02)
    chart = Chart(fno.trials_figure(tr))
    mu = chart.hline("mean input μ")
    assert mu == pytest.approx(-75.0)
    assert chart["V, trial 1"].y.min() > mu + 3.0
    lo, hi = chart.axis_range("yaxis")
    assert lo < mu < hi


def test_raster_shows_the_first_forty_trials_by_default() -> None:
    """The default ``max_trials`` is the design: at most 40 rows in the raster."""
    tr = _trials(n_trials=45, duration=0.1)
    chart = Chart(fno.trials_figure(tr))
    x, row, _ = chart["raster"].ticks()
    assert tr.spike_times[40].size > 0  # trial 41 fires, yet is not drawn
    assert x.size == sum(tr.spike_times[k].size for k in range(1, 40))
    assert row.max() == 40.0
    assert chart.axis_range("yaxis2") == (40.5, 0.5)
    assert chart.layout["yaxis2"]["tickvals"] == [1, 40]


@pytest.mark.parametrize("n", [1, 12])
def test_raster_ticks_fill_most_of_their_row_without_touching_the_next(n: int) -> None:
    """Each tick spans 80 % of its row (a lone trial is not a dotted line; neighbouring
    rows stay apart), in a line wide enough to see from the back of a lecture hall."""
    chart = Chart(fno.trials_figure(_trials(n_trials=n)))
    for name in ("raster, trial 1", *(("raster",) if n > 1 else ())):
        x, _, half = chart[name].ticks()
        assert x.size > 0 and np.allclose(half, 0.4, rtol=1e-12), name
        assert chart[name].width == 1.5 and chart[name].raw["connectgaps"] is False, name


@pytest.mark.parametrize("how", ["one trial", "max_trials=1"])
def test_a_raster_of_one_trial_draws_only_trial_one_labelled_1(how: str) -> None:
    if how == "one trial":
        fig = fno.trials_figure(_trials(n_trials=1))
    else:
        fig = fno.trials_figure(_trials(n_trials=3), max_trials=1)
    chart = Chart(fig)
    assert chart["raster"].x.size == 0 and chart["raster"].y.size == 0
    x, row, _ = chart["raster, trial 1"].ticks()
    assert x.size > 0 and np.all(row == 1.0)
    assert chart.axis_range("yaxis2") == (1.5, 0.5)
    ticks = chart.layout["yaxis2"]["tickvals"]
    assert 1 in ticks and _inside(ticks, chart.axis_range("yaxis2"))


def test_a_raster_of_two_trials_labels_both() -> None:
    chart = Chart(fno.trials_figure(_trials(n_trials=5), max_trials=2))
    assert chart.layout["yaxis2"]["tickvals"] == [1, 2]
    assert chart.axis_range("yaxis2") == (2.5, 0.5)


# =========================================================================== noise: ISI histogram


def _hist() -> nz.ISIHistogram:
    """Few intervals, each alone in its bin (found by seed; checked in the tests)."""
    return nz.isi_histogram(_trials(n_trials=1, I_mean=1.2e-9, duration=0.15, seed=2))


def test_isi_marker_lines_stand_on_the_axis_and_reach_the_top() -> None:
    h = _hist()
    chart = Chart(fno.isi_histogram_figure(h))
    lo, top = chart.axis_range("yaxis")
    assert lo == 0.0
    for name in ("mean ISI", "t_ref"):
        np.testing.assert_array_equal(chart[name].y, [0.0, top], err_msg=name)
    assert chart.vline("mean ISI") == pytest.approx(h.mean_isi * 1e3)
    assert chart.vline("t_ref") == pytest.approx(2.35)


def test_the_tallest_bar_fills_most_of_the_histogram_even_with_one_interval_per_bin() -> None:
    h = _hist()
    assert h.n_isi >= 2 and int(np.max(h.counts)) == 1
    chart = Chart(fno.isi_histogram_figure(h))
    bars = chart["intervals"]
    _, top = chart.axis_range("yaxis")
    assert bars.y.max() <= top
    assert bars.y.max() / top >= 0.8


# =========================================================================== noise: rate and CV


def _curves() -> nz.RateCurves:
    return nz.rate_curves(
        Q, 2e-3, seed=4, n_currents=4, n_trials=2, duration=0.3, sigmas_V=(2e-3, 4e-3), n_theory=9
    )


def _all_within(chart: Chart, axis_range: tuple[float, float]) -> None:
    """Every drawn y value, and every error bar's end, is inside ``axis_range``."""
    for tr in chart.traces:
        if tr.name in ("rheobase", "Poisson (CV = 1)"):
            continue
        y = tr.y
        err = tr.raw.get("error_y")
        ends = [y]
        if err:
            e = np.asarray(err["array"], dtype=float)
            ends += [y + e, y - e]
        for v in ends:
            assert _inside(v, axis_range), (tr.name, v, axis_range)


def _mark(**kw) -> fno.OperatingMark:
    args = dict(I_mean=1.2e-9, rate=30.0, rate_se=2.0, cv=0.6, cv_se=0.05, sigma_V=2e-3)
    args.update(kw)
    return fno.OperatingMark(**args)


@pytest.mark.parametrize("case", ["theory above the points", "error bars above the theory"])
def test_rate_curves_keep_every_curve_point_and_error_bar_in_view(case: str) -> None:
    c = _curves()
    if case == "theory above the points":  # e.g. a poor fit: theory 40 % above the data
        c = dataclasses.replace(c, rate_theory=c.rate_theory * 1.4)
    else:  # few trials: standard errors half the rate
        c = dataclasses.replace(c, rate_se=0.5 * c.rate)
    chart = Chart(fno.rate_curves_figure(c))
    _all_within(chart, chart.axis_range("yaxis"))


def test_rate_curves_keep_the_operating_star_and_its_error_bar_in_view() -> None:
    c = _curves()
    top = float(max(np.nanmax(c.rate_theory), np.nanmax(c.rate + c.rate_se)))
    mark = _mark(rate=1.5 * top, rate_se=0.3 * top)
    chart = Chart(fno.rate_curves_figure(c, mark))
    star = chart["this setting (simulated)"]
    assert star.x.tolist() == [1.2] and star.y.tolist() == [1.5 * top]
    _all_within(chart, chart.axis_range("yaxis"))


def test_a_slowly_firing_neuron_is_drawn_on_a_ten_hertz_scale() -> None:
    """Rates of a few Hz are drawn on a 0–10 Hz axis (plus a little headroom), so they look
    small, not full-scale; 10 Hz is the design's smallest scale."""
    c = _curves()
    scale = 3.0 / float(max(np.nanmax(c.rate_theory), np.nanmax(c.rate + c.rate_se)))
    slow = dataclasses.replace(
        c, rate=c.rate * scale, rate_se=c.rate_se * scale, rate_theory=c.rate_theory * scale
    )
    chart = Chart(fno.rate_curves_figure(slow))
    lo, hi = chart.axis_range("yaxis")
    assert lo == 0.0 and 10.0 <= hi <= 11.0
    _all_within(chart, (lo, hi))


@pytest.mark.parametrize("kind", ["rate", "cv"])
def test_rheobase_line_stands_on_the_axis_and_reaches_the_top(kind: str) -> None:
    c = _curves()
    build = fno.rate_curves_figure if kind == "rate" else fno.cv_curves_figure
    chart = Chart(build(c, _mark()))
    lo, top = chart.axis_range("yaxis")
    assert lo == 0.0
    np.testing.assert_array_equal(chart["rheobase"].y, [0.0, top])
    assert chart.vline("rheobase") == pytest.approx(0.85)


def test_poisson_line_spans_the_current_axis_at_cv_1() -> None:
    c = _curves()
    chart = Chart(fno.cv_curves_figure(c))
    x1 = c.currents[-1] * 1e9
    np.testing.assert_allclose(chart["Poisson (CV = 1)"].x, [0.0, x1], rtol=1e-12)
    assert chart.hline("Poisson (CV = 1)") == 1.0
    assert chart.axis_range("xaxis") == pytest.approx((0.0, x1))


def test_cv_operating_star_sits_at_its_current_and_cv_and_stays_in_view() -> None:
    chart = Chart(fno.cv_curves_figure(_curves(), _mark(I_mean=1.3e-9, cv=1.4, cv_se=0.2)))
    star = chart["this setting (simulated)"]
    assert star.x.tolist() == pytest.approx([1.3]) and star.y.tolist() == [1.4]
    assert star.raw["error_y"]["array"] == [0.2]
    _all_within(chart, chart.axis_range("yaxis"))


@pytest.mark.parametrize("kind", ["rate", "cv"])
def test_an_unknown_standard_error_draws_no_error_bar(kind: str) -> None:
    """One trial has no standard error (nan): the star gets a zero-length bar, not a made-up
    one, nor a nan that the chart's JSON turns into null."""
    mark = _mark(rate_se=math.nan, cv_se=math.nan)
    build = fno.rate_curves_figure if kind == "rate" else fno.cv_curves_figure
    star = Chart(build(_curves(), mark))["this setting (simulated)"]
    assert star.raw["error_y"]["array"] == [0.0]


# =========================================================================== numerics: traces


def _comparison() -> num.TraceComparison:
    return num.trace_comparison(Q, 2e-9, 0.5e-3, 0.08)


@pytest.mark.parametrize("side", ["exact", "euler"])
def test_spike_marks_rise_from_threshold_at_each_spike(side: str) -> None:
    comp = _comparison()
    trace = getattr(comp, side)
    chart = Chart(fnum.method_trace_figure(trace, comp.theory, Q.V_th))
    for name, times in (
        ("spikes", trace.spike_times),
        ("closed-form spikes", comp.theory.spike_times),
    ):
        assert times.size >= 2
        segs = chart[name].segments()
        assert len(segs) == times.size, name
        for (x, y), t in zip(segs, times * 1e3, strict=True):
            np.testing.assert_allclose(x, [t, t], rtol=1e-12)
            np.testing.assert_allclose(y, [-51.0, -51.0 + fnum._SPIKE_MV])


def test_method_trace_threshold_runs_over_the_whole_time_axis() -> None:
    comp = _comparison()
    chart = Chart(fnum.method_trace_figure(comp.exact, comp.theory, Q.V_th))
    t_end = comp.theory.t[-1] * 1e3
    np.testing.assert_allclose(chart["threshold V_th"].x, [0.0, t_end], rtol=1e-12)
    assert chart.axis_range("xaxis") == pytest.approx((0.0, t_end))


def test_method_trace_uses_a_given_y_range() -> None:
    """Side-by-side charts share one y range, passed in; the chart must use it."""
    comp = _comparison()
    chart = Chart(fnum.method_trace_figure(comp.exact, comp.theory, Q.V_th, y_range=(-90, -30)))
    assert chart.axis_range("yaxis") == (-90.0, -30.0)


@pytest.mark.parametrize("duration, marked", [(0.025, True), (0.0251, False)])
def test_grid_points_are_marked_up_to_the_limit_and_not_beyond(duration, marked) -> None:
    trace = num.method_trace(Q, 2e-9, 1e-4, duration, num.EULER)
    assert trace.t.size == fnum._MARK_POINTS + (0 if marked else 1)
    theory = num.closed_form_trace(Q, 2e-9, duration)
    drawn = Chart(fnum.method_trace_figure(trace, theory, Q.V_th))[num.EULER.short]
    assert drawn.mode == ("lines+markers" if marked else "lines")


# =========================================================================== numerics: errors


def _sweep(dts=(1e-5, 1e-4, 1e-3)) -> num.ErrorSweep:
    return num.error_sweep(Q, 2e-9, dts=np.array(dts))


def _with_errors(sw: num.ErrorSweep, top: float, floor: float = 1e-10) -> num.ErrorSweep:
    """``sw`` with rate errors from ``floor`` to ``top`` (Hz) on every integrator."""
    errs = {k: np.geomspace(floor, top, sw.dt.size) for k in sw.rate_error}
    return dataclasses.replace(sw, rate_error=errs, rate_floor=floor)


@pytest.mark.parametrize("kind", ["rate", "first_spike"])
def test_round_off_line_spans_every_time_step(kind: str) -> None:
    sw = _sweep()
    chart = Chart(fnum.error_figure(sw, kind))
    np.testing.assert_allclose(chart["round-off"].x, [1e-2, 1.0], rtol=1e-12)


def test_slider_dt_line_runs_the_full_height_of_the_log_axis() -> None:
    chart = Chart(fnum.error_figure(_sweep(), "rate", dt_mark=1e-4))
    line = chart["dt on the slider"]
    assert chart.vline("dt on the slider") == pytest.approx(0.1)
    np.testing.assert_allclose(np.log10(line.y), chart.axis_range("yaxis"), rtol=1e-12)


@pytest.mark.parametrize(
    "top, dtick",
    [(1e-6, 1), (0.00039810717055349735, 1), (1e-3, 2), (1.0, 2)],
    ids=["5.4 decades", "exactly 8 decades", "8.4 decades", "11.4 decades"],
)
def test_error_axis_labels_every_decade_up_to_eight_then_every_other(top, dtick) -> None:
    """Up to 8 decades on the y axis each power of ten is labelled; beyond, every other one
    (the labels would crowd the 420 px chart). The axis spans the errors plus 0.2 decade
    either side and one more decade under the round-off line for its label."""
    chart = Chart(fnum.error_figure(_with_errors(_sweep(), top), "rate"))
    lo, hi = chart.axis_range("yaxis")
    decades = math.log10(top / 1e-10) + 1.4
    assert hi - lo == pytest.approx(decades, abs=1e-12)
    if dtick == 1 and decades == pytest.approx(8.0):
        assert hi - lo == 8.0  # the boundary itself
    assert chart.layout["yaxis"]["dtick"] == dtick


def test_an_error_chart_laid_out_full_width_gives_its_legend_fewer_rows() -> None:
    """Five integrators in the legend: at full width they take less room above the plot."""
    sw = _sweep()
    top = {
        w: Chart(fnum.error_figure(sw, "rate", width=w)).layout["margin"]["t"]
        for w in (HALF_WIDTH, FULL_WIDTH)
    }
    assert top[FULL_WIDTH] < top[HALF_WIDTH]


def test_a_never_reached_first_spike_does_not_blow_up_the_error_axis() -> None:
    """tau = 1 s, just above rheobase: the grid integrators' runs end before the first spike
    (infinite error, not drawn); the axis still frames the finite errors."""
    params = LIFParams(R=10e6, C=1e-7, E_L=-65e-3, V_th=-50e-3, V_reset=-60e-3, t_ref=2e-3)
    sw = num.error_sweep(params, 1.5001e-9, np.array([1e-3, 2e-3]))
    assert any(np.isinf(v).all() for v in sw.first_spike_error.values())
    chart = Chart(fnum.error_figure(sw, "first_spike"))
    lo, hi = chart.axis_range("yaxis")
    assert math.isfinite(lo) and math.isfinite(hi)
    finite = np.concatenate([tr.finite()[1] for tr in chart.traces])
    assert _inside(np.log10(finite), (lo, hi))
    assert hi - lo < 8.0


def test_a_single_time_step_is_framed_on_the_dt_axis() -> None:
    sw = _sweep(dts=(2e-5,))
    chart = Chart(fnum.error_figure(sw, "rate"))
    lo, hi = chart.axis_range("xaxis")
    assert lo < math.log10(0.02) < hi and hi - lo < 1.0


def test_a_silent_neuron_gets_an_empty_error_axis_from_a_hundredth_to_ten() -> None:
    """Below rheobase there is no error to draw: the y axis falls back to 10⁻¹…10¹ (one decade
    either side of 1, the design's neutral range) with the decade under it kept for the
    round-off label, i.e. 10⁻²…10¹."""
    sw = num.error_sweep(Q, 0.5e-9, np.array([1e-4, 1e-3]))
    assert sw.rate_theory == 0.0
    chart = Chart(fnum.error_figure(sw, "rate"))
    assert chart.axis_range("yaxis") == (-2.0, 1.0)


# =========================================================================== spiking


def test_threshold_reset_and_rheobase_lines_span_the_whole_record() -> None:
    exp = spk.spiking_experiment(Q, 2.3e-9, "step", onset=0.1)
    chart = Chart(fsp.spiking_figure(exp))
    span = [exp.t[0] * 1e3, exp.t[-1] * 1e3]
    assert span[0] == 0.0
    for name in chart.names:
        if name.startswith(("threshold V_th", "reset V_reset", "rheobase")):
            np.testing.assert_allclose(chart[name].x, span, rtol=1e-12, err_msg=name)


def test_every_second_spike_is_drawn_and_said_so() -> None:
    """Between MAX_SPIKES_DRAWN and twice that many spikes, every 2nd is drawn; both the
    raster and the drawn spikes say so in their legend names."""
    params = Q.replace(t_ref=0.0, R=200e6, C=0.1e-9)
    exp = spk.spiking_experiment(params, 0.9e-9, "constant")
    n = len(exp.spike_times)
    assert fsp.MAX_SPIKES_DRAWN < n <= 2 * fsp.MAX_SPIKES_DRAWN
    chart = Chart(fsp.spiking_figure(exp, cosmetic_spikes=True))
    assert chart.starting("drawn spike").name.startswith("drawn spike (not simulated), every 2")
    raster = chart.starting("spikes (")
    assert raster.name.startswith(f"spikes ({n}), every 2")
    np.testing.assert_allclose(raster.x, exp.spike_times[::2] * 1e3)


def _current_panel(exp: spk.SpikingExperiment) -> tuple[Chart, float, float]:
    chart = Chart(fsp.spiking_figure(exp))
    drawn = [chart["injected I"].y, chart.starting("rheobase").y, [0.0]]
    v = np.concatenate([np.asarray(d, dtype=float) for d in drawn])
    return chart, float(v.min()), float(v.max())


@pytest.mark.parametrize(
    "params, amplitude, kind",
    [
        (Q, 0.5e-9, "step"),  # below rheobase: the rheobase line is the highest thing drawn
        (Q, -1.0e-9, "step"),  # hyperpolarising: current below zero
        (Q.replace(E_L=-45e-3), -1.0e-9, "constant"),  # fires at rest: rheobase < 0
    ],
    ids=["subthreshold step", "negative step", "negative rheobase"],
)
def test_current_panel_frames_the_current_the_rheobase_and_zero(params, amplitude, kind) -> None:
    """The current, its rheobase line and the zero level are all shown, fill at least 3/4 of
    the panel, and keep clear of its top and bottom edges (at least 5 % of the panel)."""
    exp = spk.spiking_experiment(params, amplitude, kind, onset=0.1, duration=0.2)
    chart, lo, hi = _current_panel(exp)
    r0, r1 = chart.axis_range("yaxis3")
    span = r1 - r0
    assert r0 < lo and hi < r1
    assert (hi - lo) / span >= 0.75
    assert (lo - r0) / span >= 0.05 and (r1 - hi) / span >= 0.05


def test_every_kth_legend_uses_english_ordinals() -> None:
    """The thinned raster and drawn spikes say "every 2nd", not "every 2th"."""
    params = Q.replace(t_ref=0.0, R=200e6, C=0.1e-9)
    exp = spk.spiking_experiment(params, 0.9e-9, "constant")
    chart = Chart(fsp.spiking_figure(exp, cosmetic_spikes=True))
    assert chart.starting("drawn spike").name.endswith(", every 2nd")
    assert chart.starting("spikes (").name.endswith(", every 2nd drawn")


@pytest.mark.parametrize(
    "k, text",
    [
        (1, "1st"),
        (2, "2nd"),
        (3, "3rd"),
        (4, "4th"),
        (11, "11th"),
        (12, "12th"),
        (13, "13th"),
        (21, "21st"),
        (22, "22nd"),
        (23, "23rd"),
        (101, "101st"),
        (111, "111th"),
        (112, "112th"),
    ],
)
def test_ordinal(k: int, text: str) -> None:
    assert fsp.ordinal(k) == text
