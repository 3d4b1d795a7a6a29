"""lif_figures.spec, what the mutation run showed untested: presenter mode (text sizes, line
widths, nothing else changed), the top margin kept for a legend above the plot, the ranges
fixed on the server (log and category axes, fills, flat lines), multi-row axes and labels.
"""

from __future__ import annotations

import copy
from typing import Any

import numpy as np
import plotly.graph_objects as go
import pytest
from figure_reader import Chart

from lif_figures.spec import FigureSpec, display_figure, markers, scatter
from lif_figures.style import (
    HALF_WIDTH,
    MARGIN_L,
    MARGIN_R,
    MARGIN_T,
    PRESENTER_FONTS,
    PRESENTER_LINE_SCALE,
    TICK_FONT,
    legend_height,
    new_figure,
)

RED, BLUE, GREEN = "#d62728", "#1f77b4", "#2ca02c"

#: plotly's default width (px) of a scatter line: what a curve drawn without a width shows.
PLOTLY_LINE_WIDTH = 2


# ---------------------------------------------------------------------------- presenter mode
def lecture_chart():
    """A two-row chart with every kind of text and line presenter mode must enlarge.

    Some sizes are set above the presenter sizes on purpose (they must stay), one trace is a
    bar chart drawn first (not a scatter), and the line styles cover a width given as int and
    as float, a colour without a width, and curves with no line style at all.
    """
    spec = FigureSpec("time (ms)", "V (mV)", title="A lecture chart", y_titles=["V (mV)", "I (nA)"])
    spec.yaxis(2, tickfont=dict(size=PRESENTER_FONTS["tick"] + 6, color=GREEN))
    spec.xaxis(2, title=dict(font=dict(size=PRESENTER_FONTS["title"] + 4, color=BLUE)))
    spec.update(legend=dict(font=dict(size=PRESENTER_FONTS["legend"] + 5)))
    spec.add({"type": "bar", "x": [1.0, 2.0], "y": [3.0, 4.0], "name": "counts"}, row=2)
    spec.add(scatter(x=[0.0, 5.0], y=[-70.0, -50.0], name="V", line=dict(color=RED, width=2)))
    spec.add(scatter(x=[0.0, 5.0], y=[-60.0, -55.0], name="w", mode="lines", line={"width": 1.25}))
    spec.add(scatter(x=[0.0, 5.0], y=[-65.0, -66.0], name="E_L", mode="lines", line={"color": RED}))
    spec.add(scatter(x=[0.0, 5.0], y=[-61.0, -62.0], name="bare", mode="lines"))
    spec.add(scatter(x=[0.0, 5.0], y=[-63.0, -64.0], name="no mode"))
    spec.add(markers([1.0], [-52.0], name="spike", marker=dict(color=BLUE)))
    spec.add(
        markers(
            [2.0, 3.0],
            [-58.0, -57.0],
            name="labels",
            mode="markers+text",
            text=["a", "b"],
            textfont=dict(size=12, color=RED),
        )
    )
    spec.add(
        scatter(
            x=[4.0],
            y=[-56.0],
            mode="text",
            text=["big"],
            name="big label",
            textfont=dict(size=PRESENTER_FONTS["label"] + 8, color=BLUE),
        )
    )
    spec.hline(-50.0, label="threshold", line=dict(color=RED, width=1.5, dash="dot"))
    spec.hline(1.0, row=2, line=dict(color=BLUE, dash="dash"))  # a line style without a width
    spec.vrect(1.0, 2.0, fillcolor=GREEN, opacity=0.2, line=dict(width=0))
    spec.vrect(3.0, 4.0, fillcolor=GREEN, opacity=0.2)  # no line style at all
    spec.annotate(1.0, -55.0, "small note", font=dict(size=11, color=RED))
    spec.annotate(2.0, -54.0, "big note", font=dict(size=PRESENTER_FONTS["label"] + 10))
    spec.annotate(3.0, -53.0, "plain note")
    return spec.figure()


def _plain(value: Any) -> Any:
    """``value`` with arrays as lists, for comparing figure dicts."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | np.ndarray):
        return [_plain(v) for v in value]
    return value


def _without_sizes(value: Any, key: str = "") -> Any:
    """``value`` without the font sizes and line widths presenter mode may change (and without
    the dicts that held nothing else)."""
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            if (k == "size" and key.endswith("font")) or (k == "width" and key == "line"):
                continue
            v = _without_sizes(v, k)
            if v != {}:
                out[k] = v
        return out
    if isinstance(value, list):
        return [_without_sizes(v, key) for v in value]
    return value


def _size(font: dict[str, Any] | None) -> float:
    return (font or {}).get("size") or 0


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_presenter_mode_changes_only_text_sizes_and_line_widths(theme):
    """Everything else a reader sees (colours of the theme and of the curves, axis titles,
    the legend's place, hover label, every trace in its order) stays as on the page, and the
    figure is still a valid plotly figure; the builder's (cached) figure is not touched."""
    fig = lecture_chart()
    before = copy.deepcopy(_plain(fig.to_dict()))
    page = _plain(display_figure(fig, theme).to_dict())
    shown = display_figure(fig, theme, presenting=True)
    big = _plain(shown.to_dict())
    assert _plain(fig.to_dict()) == before
    assert [t.get("name") for t in big["data"]] == [t.get("name") for t in page["data"]]
    assert _without_sizes(big) == _without_sizes(page)
    go.Figure(big)  # validates: no property plotly does not know


def test_presenter_text_is_at_least_the_presenter_sizes_and_larger_text_stays():
    """On a projector no chart text is smaller than ``PRESENTER_FONTS``; text the chart already
    draws larger keeps its size."""
    fig = lecture_chart()
    page = display_figure(fig, "light").to_dict()["layout"]
    big = display_figure(fig, "light", presenting=True).to_dict()["layout"]
    axes = [k for k in big if k.startswith(("xaxis", "yaxis"))]
    assert sorted(axes) == ["xaxis", "xaxis2", "yaxis", "yaxis2"]
    for key in axes:
        want_tick = max(_size(page[key].get("tickfont")), PRESENTER_FONTS["tick"])
        assert big[key]["tickfont"]["size"] == want_tick, key
        want_title = max(_size(page[key]["title"].get("font")), PRESENTER_FONTS["title"])
        assert big[key]["title"]["font"]["size"] == want_title, key
    assert big["yaxis2"]["tickfont"]["size"] == PRESENTER_FONTS["tick"] + 6
    assert big["xaxis2"]["title"]["font"]["size"] == PRESENTER_FONTS["title"] + 4
    assert big["yaxis"]["tickfont"]["size"] == PRESENTER_FONTS["tick"] > TICK_FONT
    assert big["legend"]["font"]["size"] == PRESENTER_FONTS["legend"] + 5
    assert big["hoverlabel"]["font"]["size"] >= PRESENTER_FONTS["legend"]
    assert big["font"]["size"] >= PRESENTER_FONTS["label"]
    notes = {a["text"]: a for a in big["annotations"]}
    assert notes["small note"]["font"]["size"] == PRESENTER_FONTS["label"]
    assert notes["big note"]["font"]["size"] == PRESENTER_FONTS["label"] + 10
    assert notes["plain note"]["font"]["size"] == PRESENTER_FONTS["label"]
    assert notes["threshold"]["font"]["size"] == PRESENTER_FONTS["label"]


def test_presenter_mode_without_a_legend_size_or_hover_font_raises_them_too():
    """A figure whose legend and hover label set no size (plotly's 12 px) still reaches the
    presenter sizes."""
    fig = go.Figure(go.Scatter(x=[0, 1], y=[0, 1], name="a"))
    fig.update_layout(
        font=dict(size=10), xaxis=dict(title=dict(text="t (ms)")), yaxis=dict(showgrid=True)
    )
    big = display_figure(fig, "dark", presenting=True).to_dict()["layout"]
    assert big["font"]["size"] == PRESENTER_FONTS["label"]
    assert big["legend"]["font"]["size"] == PRESENTER_FONTS["legend"]
    assert big["hoverlabel"]["font"]["size"] == PRESENTER_FONTS["legend"]
    assert big["xaxis"]["title"]["text"] == "t (ms)"
    assert big["xaxis"]["title"]["font"]["size"] == PRESENTER_FONTS["title"]
    assert big["yaxis"]["tickfont"]["size"] == PRESENTER_FONTS["tick"]


def test_presenter_trace_text_is_at_least_the_label_size():
    chart = Chart(display_figure(lecture_chart(), "light", presenting=True))
    labels = chart["labels"].raw["textfont"]
    assert labels["size"] == PRESENTER_FONTS["label"]
    assert chart["big label"].raw["textfont"]["size"] == PRESENTER_FONTS["label"] + 8
    for name in ("V", "bare", "spike"):  # no text drawn: no text font added
        assert "textfont" not in chart[name].raw


def test_presenter_lines_are_presenter_line_scale_times_thicker():
    """Curves and reference lines are ``PRESENTER_LINE_SCALE`` times as thick as on the page;
    a curve drawn with plotly's default width gets that default scaled; bars and shapes
    without a drawn outline are left alone."""
    fig = lecture_chart()
    page = Chart(display_figure(fig, "light"))
    big = Chart(display_figure(fig, "light", presenting=True))
    for name in ("V", "w"):
        assert big[name].width == pytest.approx(page[name].width * PRESENTER_LINE_SCALE)
    for name in ("bare", "no mode"):
        assert page[name].width is None
        assert big[name].width == pytest.approx(PLOTLY_LINE_WIDTH * PRESENTER_LINE_SCALE)
    assert big["E_L"].color == RED  # its own style is kept
    assert big["counts"].raw == page["counts"].raw
    assert big.traces[0].name == "counts"
    widths = [(s.get("line") or {}).get("width") for s in big.shapes]
    page_widths = [(s.get("line") or {}).get("width") for s in page.shapes]
    assert page_widths == [1.5, None, 0, None]
    assert widths == [pytest.approx(1.5 * PRESENTER_LINE_SCALE), None, 0, None]
    assert "line" not in big.shapes[3]


def test_a_coloured_curve_without_a_width_is_thickened_too():
    """A curve with a line colour (or dash) but no width is drawn 2 px wide by plotly: in
    presenter mode it is ``PRESENTER_LINE_SCALE`` times that and keeps its colour."""
    spec = FigureSpec("time (ms)", "V (mV)")
    spec.add(scatter(x=[0.0, 1.0], y=[0.0, 1.0], name="V", line={"color": RED, "dash": "dot"}))
    big = Chart(display_figure(spec.figure(), "light", presenting=True))
    assert big["V"].width == pytest.approx(PLOTLY_LINE_WIDTH * PRESENTER_LINE_SCALE)
    assert (big["V"].color, big["V"].dash) == (RED, "dot")


# ---------------------------------------------------------------------------- legend room
def legend_chart(*, legend: dict[str, Any] | None = None, **margin: int) -> FigureSpec:
    spec = FigureSpec("time (ms)", "V (mV)")
    for k in range(8):
        spec.add(scatter(x=[0.0, 1.0], y=[k, k + 1.0], name=f"membrane potential, run {k}"))
    if legend:
        spec.update(legend=legend)
    if margin:
        spec.update(margin=margin)
    return spec


def top_margin(spec: FigureSpec) -> int:
    return spec.figure().to_dict()["layout"]["margin"]["t"]


def test_a_legend_above_the_plot_gets_room_in_the_top_margin():
    """Eight long entries need several rows above the plot; with the legend's bottom right on
    the plot's top edge (y = 1) the room is kept too."""
    assert top_margin(legend_chart()) > MARGIN_T + 2 * 24
    assert top_margin(legend_chart(legend=dict(y=1.0))) > MARGIN_T + 2 * 24


@pytest.mark.parametrize(
    "legend",
    [
        dict(y=0.9),  # inside the plot
        dict(yanchor="top", y=1.0),  # hanging down into the plot from its top edge
        dict(traceorder="reversed"),  # not the layout the estimate models: plotly sizes it
    ],
)
def test_a_legend_not_above_the_plot_leaves_the_top_margin_alone(legend):
    assert top_margin(legend_chart(legend=legend)) == MARGIN_T


def test_a_larger_top_margin_set_by_the_chart_is_kept():
    assert top_margin(legend_chart(t=400)) == 400


def test_a_legend_that_just_fits_the_plot_width_takes_one_row():
    """The plot is the chart's width less the left and right margins: two entries whose
    estimated widths just fit it take one row, as one entry does."""
    plot_width = HALF_WIDTH - MARGIN_L - MARGIN_R
    k = 1
    while legend_height([("o" * (k + 1), "a"), ("o" * (k + 1), "b")], plot_width) < 2 * 24:
        k += 1
    assert legend_height([("o" * (k + 1), "a"), ("o" * (k + 1), "b")], plot_width - 2) >= 2 * 24

    def margin_with(names):
        spec = FigureSpec("time (ms)", "V (mV)")
        for name in names:
            spec.add(scatter(x=[0.0, 1.0], y=[0.0, 1.0], name=name))
        return top_margin(spec)

    assert margin_with(["o" * k, "o" * k]) == margin_with(["o" * k])
    assert margin_with(["o" * (k + 1), "o" * (k + 1)]) > margin_with(["o" * k])


def _entries_chart(kind: str, names: list[str], group: str | None = None) -> FigureSpec:
    spec = FigureSpec("time (ms)", "V (mV)")
    spec.add(scatter(x=[0.0, 1.0], y=[0.0, 1.0], name="V", legendgroup=group or "V"))
    for k, name in enumerate(names):
        extra = {"legendgroup": group} if group else {}
        if kind == "trace":
            spec.add(scatter(x=[0.0, 1.0], y=[k, k], name=name, **extra))
        else:
            spec.vrect(k, k + 0.5, name=name, showlegend=True, fillcolor=GREEN, **extra)
    return spec


def test_a_shape_legend_entry_takes_the_room_of_the_same_trace_entry():
    """A band with a legend entry sits in the legend like a curve of the same name: in its
    own group, or in the group it names (one column with the curve of that group)."""
    names = ["stimulus on", "a much longer name for the second band", "x", "refractory period"]
    for group in (None, "V"):
        as_traces = top_margin(_entries_chart("trace", names, group))
        as_shapes = top_margin(_entries_chart("shape", names, group))
        assert as_shapes == as_traces, group
    only = FigureSpec("time (ms)", "V (mV)")
    only.add(scatter(x=[0.0, 1.0], y=[0.0, 1.0], showlegend=False))
    for k, name in enumerate(names * 2):
        only.vrect(k, k + 0.5, name=name, showlegend=True)
    traces = FigureSpec("time (ms)", "V (mV)")
    for k, name in enumerate(names * 2):
        traces.add(scatter(x=[k, k + 0.5], y=[0.0, 1.0], name=name))
    assert top_margin(only) == top_margin(traces)


def test_named_shapes_without_a_legend_entry_take_no_legend_room():
    plain = legend_chart()
    named = legend_chart()
    for k in range(8):
        named.hline(float(k), name=f"reference level number {k}")
    assert top_margin(named) == top_margin(plain)


# ---------------------------------------------------------------------------- ranges
def test_log_and_category_axes_are_left_to_plotly():
    """A log axis's range is in decades and a category axis's in category numbers: a range
    from the data's values would hide the data, so those axes keep no server range."""
    spec = FigureSpec("dt (ms)", "error (mV)")
    spec.xaxis(type="log")
    spec.add(scatter(x=[1e-3, 1e-2, 1e-1], y=[0.5, 1.0, 2.0], name="error"))
    layout = spec.figure().to_dict()["layout"]
    assert "range" not in layout["xaxis"]
    assert layout["yaxis"]["range"][0] < 0.5  # the linear axis is ranged
    spec = FigureSpec("model", "rate (Hz)")
    spec.yaxis(type="category")
    spec.add(scatter(x=[0.0, 1.0, 2.0], y=[10, 20, 30], name="rate"))
    layout = spec.figure().to_dict()["layout"]
    assert "range" not in layout["yaxis"]
    assert layout["xaxis"]["range"] == [0.0, 2.0]


def test_a_fill_to_zero_keeps_zero_in_view():
    """A conductance drawn filled down to zero shows the whole fill, zero included."""
    spec = FigureSpec("time (ms)", "g (nS)")
    spec.add(scatter(x=[0.0, 10.0], y=[5.0, 8.0], name="g_exc", fill="tozeroy"))
    lo, hi = Chart(spec.figure()).axis_range("yaxis")
    assert lo < 0.0 and hi > 8.0


def test_a_shape_without_axis_references_is_in_view():
    """plotly places a shape without ``xref`` / ``yref`` on the x and y axes: it is ranged in."""
    spec = FigureSpec("time (ms)", "V (mV)")
    spec.add(scatter(x=[0.0, 10.0], y=[-70.0, -60.0], name="V"))
    spec.shape(type="line", x0=-5.0, x1=20.0, y0=-40.0, y1=-40.0)
    chart = Chart(spec.figure())
    assert chart.axis_range("xaxis") == (-5.0, 20.0)
    lo, hi = chart.axis_range("yaxis")
    assert lo < -70.0 and hi > -40.0


def test_x_axes_show_exactly_the_data_and_a_single_time_is_widened():
    spec = FigureSpec("time (ms)", "V (mV)")
    spec.add(scatter(x=[0.0, 1.0], y=[0.0, 2.0], name="V"))
    assert Chart(spec.figure()).axis_range("xaxis") == (0.0, 1.0)
    spec = FigureSpec("time (ms)", "V (mV)")
    spec.add(markers([3.0], [0.0], name="spike"))
    lo, hi = Chart(spec.figure()).axis_range("xaxis")
    assert lo < 3.0 < hi


@pytest.mark.parametrize(("level", "pad"), [(-65.0, 3.25), (0.0, 1.0), (4.0, 1.0)])
def test_a_flat_line_is_padded_as_the_live_preview_pads_it(level, pad):
    """A flat line at ``level`` sits mid-axis, padded by 5 % of its value but at least 1 unit.

    The literals are the design: ``lab_preview.js`` ranges the live preview's axes with the
    same rule (``Math.max(Math.abs(lo) * 0.05, 1.0)``), and the axis must not jump when the
    server's chart replaces the preview.
    """
    spec = FigureSpec("time (ms)", "V (mV)")
    spec.add(scatter(x=[0.0, 10.0], y=[level, level], name="E_L"))
    assert Chart(spec.figure()).axis_range("yaxis") == pytest.approx((level - pad, level + pad))


# ---------------------------------------------------------------------------- rows and labels
def two_rows() -> FigureSpec:
    return FigureSpec("time (ms)", "V (mV)", y_titles=["V (mV)", "I (nA)"])


def test_styling_one_row_leaves_the_other_rows_alone():
    spec = two_rows()
    spec.xaxis(1, showgrid=True, tickfont=dict(color=RED))
    spec.yaxis(2, tickfont=dict(color=BLUE), title=dict(font=dict(color=BLUE)))
    layout = spec.figure().to_dict()["layout"]
    assert layout["xaxis"]["showgrid"] is True
    assert layout["xaxis2"]["showgrid"] is False
    assert "color" not in layout["xaxis2"]["tickfont"]
    assert "color" not in layout["yaxis"]["tickfont"]
    assert "color" not in layout["yaxis"]["title"]["font"]
    assert layout["yaxis2"]["title"]["font"]["color"] == BLUE
    assert layout["yaxis"]["title"]["text"] == "V (mV)"
    assert layout["yaxis2"]["title"]["text"] == "I (nA)"


def test_labels_of_lines_on_the_second_row_are_placed_on_that_row():
    spec = two_rows()
    spec.hline(1.5, row=2, label="I_rh")
    spec.vline(3.0, row=2, label="onset")
    chart = Chart(spec.figure())
    assert chart.annotation("I_rh")["yref"] == "y2"
    assert chart.annotation("I_rh")["y"] == 1.5
    assert chart.annotation("onset")["xref"] == "x2"
    assert chart.annotation("onset")["x"] == 3.0


def test_a_chart_without_a_height_is_as_tall_as_the_style_default():
    assert FigureSpec("t", "V").figure().layout.height == new_figure("t", "V").layout.height


def test_a_bar_trace_reads_as_a_bar():
    """Code reading a chart's traces (``fig.data``) gets each trace as its own type: the bin
    width of a histogram is readable."""
    spec = FigureSpec("ISI (ms)", "count")
    spec.add({"type": "bar", "x": [1.0, 3.0], "y": [2.0, 5.0], "width": 2.0, "name": "intervals"})
    fig = spec.figure()
    assert isinstance(fig.data[0], go.Bar)
    assert fig.data[0].width == 2.0
