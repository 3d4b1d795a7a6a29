"""Every chart on every page is readable from the back of a lecture hall, and looks as built.

Streamlit's plotly theme sets 12-14 px fonts on axes and legends explicitly, which
overrides ``layout.font``; :func:`lif_figures.style.new_figure` therefore sets tick,
axis-title and legend sizes explicitly. These tests read the figures each page sends
(AppTest) and check the sizes, so a builder that bypasses ``new_figure`` is caught.

The builders assemble plain dicts (:mod:`lif_figures.spec`) instead of plotly's validated
objects; the last tests check that what is sent is what a fully validated figure would send.
"""

from __future__ import annotations

import base64
import json

import figure_cases
import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
import pytest
from plotly.subplots import make_subplots

from lif_core import LIFParams
from lif_core.analysis import membrane as mem
from lif_figures import membrane, spec, style

PAGES = [
    "pages/1_Membrane_RC_circuit.py",
    "pages/2_Resting_equilibrium.py",
    "pages/3_Threshold_and_spikes.py",
    "pages/4_Refractory_period_f-I.py",
    "pages/5_Synaptic_conductances.py",
    "pages/6_Shunting_inhibition.py",
]

#: Smallest font size (px) for text in a chart.
MIN_PX = 16


def _size(node: dict, *path: str) -> float | None:
    for key in path:
        if not isinstance(node, dict) or key not in node:
            return None
        node = node[key]
    return node


def font_problems(fig: dict) -> list[str]:
    """Texts of a figure (JSON dict) whose font size is unset or below :data:`MIN_PX`."""
    layout = fig["layout"]
    problems = []
    for name, axis in layout.items():
        if not name.startswith(("xaxis", "yaxis")) or not isinstance(axis, dict):
            continue
        title = _size(axis, "title", "text")
        if title:
            size = _size(axis, "title", "font", "size")
            if size is None or size < MIN_PX:
                problems.append(f"{name} title {title!r}: {size}")
        if axis.get("showticklabels", True):
            size = _size(axis, "tickfont", "size")
            if size is None or size < MIN_PX:
                problems.append(f"{name} ticks: {size}")
    if layout.get("showlegend", True) and any(tr.get("showlegend", True) for tr in fig["data"]):
        size = _size(layout, "legend", "font", "size")
        if size is None or size < MIN_PX:
            problems.append(f"legend: {size}")
    for note in layout.get("annotations", []):
        size = _size(note, "font", "size")
        if size is not None and size < MIN_PX:  # unset: layout.font (18 px), not themed
            problems.append(f"annotation {note.get('text')!r}: {size}")
    return problems


@pytest.mark.parametrize("path", PAGES)
def test_every_chart_has_lecture_hall_fonts(apptest, run_page, path):
    at = run_page(path)
    apptest.assert_no_exception(at)
    figures = apptest.plotly_figures(at)
    assert figures
    for k, fig in enumerate(figures):
        assert not font_problems(fig), (path, k, font_problems(fig))


@pytest.mark.parametrize("path", PAGES)
def test_every_chart_is_sent_ready_for_a_cheap_update(apptest, run_page, path):
    """No plotly template (a new one makes plotly.js redraw from scratch) and no axis
    left to the browser's autorange; see :func:`lif_figures.spec.display_figure`."""
    at = run_page(path)
    apptest.assert_no_exception(at)
    for k, fig in enumerate(apptest.plotly_figures(at)):
        layout = fig["layout"]
        assert "template" not in layout, (path, k)
        assert spec.ranges_fixed(layout), (path, k, "an axis is autoranged")
        assert layout["font"]["color"] == style.THEMES["light"]["text"]


def test_fixed_ranges_are_what_autorange_gives_line_traces():
    """x: the extent of the data and shapes; y: padded by 1/18 of the span, as plotly pads."""
    fig = spec.FigureSpec("t (ms)", "V (mV)", y_titles=["V (mV)", "I (nA)"])
    fig.add(spec.scatter(x=np.array([0.0, 10.0, 11.0]), y=np.array([-70.0, -52.0, np.nan])))
    fig.add(spec.scatter(x=[5.0, 20.0], y=[0.0, 2.0], fill="tozeroy"), row=2)
    fig.hline(-50.0, label="threshold")
    layout = fig.figure().to_dict()["layout"]
    assert layout["xaxis2"]["range"] == [0.0, 20.0]  # the bottom axis, shared by both rows
    assert "range" not in layout["xaxis"] and layout["xaxis"]["matches"] == "x2"
    assert layout["yaxis"]["range"] == pytest.approx([-70 - 20 / 18, -50 + 20 / 18])
    assert layout["yaxis2"]["range"] == pytest.approx([-1 / 9, 2 + 1 / 9])
    assert spec.ranges_fixed(layout)
    assert not spec.ranges_fixed({"xaxis": {"range": [0, 1]}, "yaxis": {}})
    words = spec.FigureSpec("condition", "rate (Hz)")
    words.add(spec.scatter(x=["none", "shunting"], y=[10.0, 5.0]))
    layout = words.figure().to_dict()["layout"]  # text on x: a category axis, left to plotly
    assert "range" not in layout["xaxis"] and layout["yaxis"]["range"] == pytest.approx(
        [5 - 5 / 18, 10 + 5 / 18]
    )


def test_new_figure_sets_the_sizes_explicitly():
    fig = style.new_figure("time (ms)", "rate (Hz)")
    assert fig.layout.xaxis.tickfont.size == style.TICK_FONT >= MIN_PX
    assert fig.layout.yaxis.title.font.size == style.TITLE_FONT >= MIN_PX
    assert fig.layout.legend.font.size == style.LEGEND_FONT >= MIN_PX
    assert not font_problems(fig.to_plotly_json())


def test_lecture_fonts_reaches_axes_added_later():
    fig = make_subplots(rows=2, cols=1, figure=style.new_figure("t", "V"))
    fig.update_yaxes(title_text="g", row=2, col=1)
    assert fig.layout.yaxis2.title.font.size is None  # make_subplots adds bare axes
    style.lecture_fonts(fig)
    assert fig.layout.yaxis2.title.font.size == style.TITLE_FONT
    assert fig.layout.xaxis2.tickfont.size == style.TICK_FONT
    assert isinstance(fig, go.Figure)


def test_even_indices_keep_the_ends_and_the_switches():
    idx = style.even_indices(13_000, style.HALF_POINTS, keep=[999, 1000, 2999, 3000])
    assert len(idx) <= style.HALF_POINTS and np.all(np.diff(idx) > 0)
    assert {0, 999, 1000, 2999, 3000, 12_999} <= set(idx.tolist())
    assert np.max(np.diff(idx)) <= 2 * 13_000 / style.HALF_POINTS  # evenly spread
    np.testing.assert_array_equal(style.even_indices(5, 800), np.arange(5))


def test_rounded_keeps_nan_and_gives_short_numbers():
    values = style.rounded([-64.12345678, np.nan], "mV")
    assert values.flags.c_contiguous and np.isnan(values[1])
    assert json.dumps(values[0]) == "-64.123"


# ---------------------------------------------------------------- fast assembly (lif_figures.spec)


def _plain(obj):
    """A decoded JSON value with plotly's typed arrays (``{"dtype", "bdata"}``) as lists."""
    if isinstance(obj, dict):
        if "bdata" in obj and "dtype" in obj:
            values = np.frombuffer(base64.b64decode(obj["bdata"]), dtype=obj["dtype"])
            if "shape" in obj:
                values = values.reshape([int(n) for n in str(obj["shape"]).split(",")])
            return [None if v != v else v for v in values.tolist()]  # NaN is null in JSON
        return {k: _plain(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_plain(v) for v in obj]
    return obj


def assert_reads_like_a_validated_copy(fig: go.Figure) -> None:
    """What Streamlit sends (``to_json(fig.to_dict())``) equals a fully validated copy's JSON.

    ``go.Figure(fig)`` validates every property as it reads them through plotly's objects
    (``fig.data``, ``fig.layout``), so this also checks that the objects and the dicts of a
    :class:`lif_figures.spec.SpecFigure` agree, and that the dicts hold no shorthand or
    empty value that plotly.js would read differently.
    """
    sent = json.loads(pio.to_json(fig.to_dict(), validate=False))
    validated = json.loads(pio.to_json(go.Figure(fig), validate=False))
    # A copy gets plotly's default template; LIF Lab's figures carry none (display_figure).
    assert "template" not in sent["layout"]
    validated["layout"].pop("template", None)
    assert _plain(sent) == _plain(validated)


def _spec_with_everything() -> spec.FigureSpec:
    fig = spec.FigureSpec("time (ms)", "V (mV)", y_titles=["V (mV)", "I (nA)"])
    fig.add(spec.scatter(x=np.arange(3.0), y=np.array([1.0, np.nan, 2.0]), mode="lines", name="V"))
    fig.add(spec.markers([1.0], [0.5], name="m", marker=dict(size=9)), row=2)
    fig.hline(1.5, label="plateau", label_position="bottom right", line=dict(dash="dot"))
    fig.vline(1.0, row=2, label="τ", line=dict(color="#E69F00", width=1.5))
    fig.vrect(0.5, 1.5, fillcolor="#999999", opacity=0.1, line=dict(width=0), name="pulse")
    fig.annotate(2.0, 1.0, "note", row=2)
    return fig


def test_spec_figure_is_a_plotly_figure_readable_as_usual():
    fig = _spec_with_everything().figure()
    assert isinstance(fig, go.Figure)
    go.Figure(fig.to_dict())  # full validation: raises on any invalid property
    assert_reads_like_a_validated_copy(fig)
    assert fig.layout.xaxis2.title.text == "time (ms)" and fig.layout.yaxis2.title.text == "I (nA)"
    assert [tr.name for tr in fig.data] == ["V", "m"] and fig.data[1].yaxis == "y2"
    assert [sh.type for sh in fig.layout.shapes] == ["line", "line", "rect"]
    assert fig.layout.shapes[2].name == "pulse"
    assert fig.layout.annotations[2].yref == "y2"


def test_to_dict_hands_out_the_figure_without_copying():
    """Streamlit calls ``to_dict`` on every rerun: no deep copy, no base64 encoding."""
    fig = _spec_with_everything().figure()
    first, second = fig.to_dict(), fig.to_dict()
    assert first is not second  # callers may add keys at the top level
    assert first["data"][0] is second["data"][0] and first["layout"] is second["layout"]
    assert isinstance(first["data"][0]["x"], np.ndarray)
    assert '"x":[0.0,1.0,2.0]' in pio.to_json(first, validate=False)


@pytest.mark.parametrize("theme", ["light", "dark", None])
def test_display_figure_colours_text_for_the_theme_and_leaves_the_figure_alone(theme):
    """``display_figure`` sets the theme's text colours and drops the template."""
    builder = spec.FigureSpec("time (ms)", "V (mV)", title="A titled chart")
    builder.add(spec.scatter(x=np.arange(3.0), y=np.arange(3.0), mode="lines", name="V"))
    fig = builder.figure()
    before = json.dumps(
        _plain(json.loads(pio.to_json(fig.to_dict(), validate=False))), sort_keys=True
    )

    shown = spec.display_figure(fig, theme)

    colors = style.THEMES[theme or "light"]
    layout = shown.to_dict()["layout"]
    assert "template" not in layout
    assert layout["font"]["color"] == colors["text"]
    assert layout["font"]["family"] == style.FONT_FAMILY
    assert layout["legend"]["font"] == {"size": style.LEGEND_FONT, "color": colors["legend"]}
    assert layout["title"]["font"]["color"] == colors["title"]
    assert layout["title"]["text"] == "A titled chart"
    assert layout["hoverlabel"]["bgcolor"] == colors["hover_bg"]
    assert layout["hoverlabel"]["font"] == {"size": style.LEGEND_FONT, "color": colors["text"]}
    assert shown.data[0].name == "V" and shown.to_dict()["data"][0] is fig.to_dict()["data"][0]
    go.Figure(shown.to_dict())  # full validation
    # the cached builder figure is shared between sessions: it must not change
    after = json.loads(pio.to_json(fig.to_dict(), validate=False))
    assert json.dumps(_plain(after), sort_keys=True) == before
    assert "color" not in fig.to_dict()["layout"]["font"]


@pytest.mark.parametrize("position", ["top right", "bottom right", "top left", "bottom left"])
def test_lines_and_bands_are_placed_like_plotly_places_them(position):
    """``FigureSpec.hline / vline / vrect`` draw what ``add_hline / add_vline / add_vrect`` draw."""
    ours = spec.FigureSpec("t", "V")
    ours.hline(-55.0, label="V∞", label_position=position, line=dict(color="#E69F00", dash="dot"))
    ours.vline(10.0, label="t = τ", label_position=position, line=dict(width=1.5))
    ours.vrect(20.0, 80.0, fillcolor="#999999", opacity=0.12, line=dict(width=0))
    theirs = go.Figure()
    theirs.add_hline(
        y=-55.0,
        line=dict(color="#E69F00", dash="dot"),
        annotation_text="V∞",
        annotation_position=position,
    )
    theirs.add_vline(
        x=10.0, line=dict(width=1.5), annotation_text="t = τ", annotation_position=position
    )
    theirs.add_vrect(x0=20.0, x1=80.0, fillcolor="#999999", opacity=0.12, line_width=0)
    mine = ours.figure().to_dict()["layout"]
    expected = theirs.to_dict()["layout"]
    assert mine["shapes"] == expected["shapes"]
    assert mine["annotations"] == expected["annotations"]


@pytest.mark.parametrize("name", list(figure_cases.CASES))
def test_every_figure_is_valid_and_sent_as_built(name):
    """Every builder returns a SpecFigure that reads like a fully validated copy."""
    fig = figure_cases.figure(name)
    assert isinstance(fig, spec.SpecFigure)
    go.Figure(fig.to_dict())  # full validation: raises on any invalid property
    assert_reads_like_a_validated_copy(fig)
    assert not font_problems(json.loads(pio.to_json(fig.to_dict(), validate=False)))


@pytest.mark.parametrize("name", list(figure_cases.CASES))
def test_every_figure_takes_the_fast_json_path(name):
    """orjson (plotly's JSON engine when installed) encodes the arrays directly.

    An object array (``None`` gaps) or a strided view would make plotly fall back
    to cleaning the whole figure in Python first.
    """
    import orjson  # a runtime requirement (requirements.txt): no skip

    orjson.dumps(figure_cases.figure(name).to_dict(), option=orjson.OPT_SERIALIZE_NUMPY)


# Legend room: measured in Chromium at 1600 px (half-width chart: plot area 449 px wide).
MEASURED_LEGENDS = [
    # entries, plot width (px), rows plotly drew
    (["simulated V(t)", "closed form", "one τ after the switch", "pulse 1 nA"], 449, 2),
    (["stable fixed point V∞ = -65.0 mV", "dV/dt = (V∞ − V)/τ"], 449, 1),
    (["V", "refractory (held at V_reset)", "spikes", "threshold V_th", "reset V_reset"], 449, 3),
    (
        [
            "no inhibition",
            "shunting: 100 nS, E_inh = E_L = −65 mV",
            "hyperpolarising: 100 nS, E_inh = −80 mV",
            "your g_exc",
        ],
        449,
        4,
    ),
    (
        [
            "simulated V(t)",
            "threshold V_th = -50 mV",
            "reset V_reset = -65 mV",
            "spikes (31)",
            "injected I",
            "rheobase 1.50 nA",
        ],
        1035,
        1,
    ),
]


@pytest.mark.parametrize(("names", "width", "rows"), MEASURED_LEGENDS)
def test_legend_height_matches_what_plotly_drew(names, width, rows):
    """24 px per row plus 10 px padding, with plotly's wrapping rule."""
    entries = [(name, None) for name in names]
    assert style.legend_height(entries, width) == 24 * rows + 10


def test_legend_groups_stack_their_entries():
    entries = [("a", "g1"), ("b", "g1"), ("c", None)]
    assert style.legend_height(entries, 1000) == 2 * 24 + 10  # g1 is a column of two
    assert style.legend_height([], 1000) == 0


def layout_data(exp):
    return [t for t in membrane.rc_voltage_figure(exp).to_dict()["data"] if t.get("name")]


def test_figures_reserve_room_for_legend_and_labels():
    """The top margin holds the legend (plus 2 % of the plot and 12 px, as plotly needs);
    left and bottom hold the lecture-size tick labels and titles, and no more."""
    exp = mem.pulse_experiment(LIFParams(), 1e-9, 0.02, 0.06)
    layout = membrane.rc_voltage_figure(exp).to_dict()["layout"]
    margin = layout["margin"]
    assert (margin["l"], margin["b"]) == (style.MARGIN_L, style.MARGIN_B) == (72, 60)
    entries = [(t["name"], t.get("legendgroup")) for t in layout_data(exp)]
    shapes = [sh for sh in layout.get("shapes", []) if sh.get("showlegend")]
    entries += [(sh["name"], sh.get("legendgroup")) for sh in shapes]
    entries = [(n, g) for n, g in entries if g is not None]
    assert [name for name, _ in entries] == [
        "simulated V(t)",
        "closed form",
        "one τ after the switch",
        "pulse 1 nA",
    ]
    plot_height = layout["height"] - style.MARGIN_T - margin["b"]
    need = style.legend_height(entries, style.HALF_WIDTH - 92) + 0.02 * plot_height + 12
    assert need <= margin["t"] <= need + 1


def test_legend_entries_flow_instead_of_a_grid():
    """Every legend entry gets a legend group of its own (plotly.js lets groups flow in rows,
    each as wide as its text; ungrouped entries would form a grid as wide as the longest):
    four entries of 60-200 px take two rows of 300 px, not four."""
    fig = spec.FigureSpec("t (ms)", "V (mV)")
    for name in ("a very long legend entry name", "short", "mid-sized entry", "x"):
        fig.add(spec.scatter(x=[0.0, 1.0], y=[0.0, 1.0], mode="lines", name=name))
    fig.add(spec.scatter(x=[0.0], y=[0.0], name="hidden", showlegend=False))
    data = fig.figure().to_dict()["data"]
    groups = [t.get("legendgroup") for t in data]
    assert groups[:4] == ["~0", "~1", "~2", "~3"] and groups[4] is None
    entries = [(t["name"], t["legendgroup"]) for t in data[:4]]
    flowing = style.legend_height(entries, 300)
    grid = style.legend_height([(n, None) for n, _ in entries], 300)
    assert flowing == 2 * 24 + style._GROUP_GAP + 10 and grid == 4 * 24 + 10


def test_plot_area_keeps_two_thirds_of_the_chart_at_the_assumed_width():
    """At the width a chart is laid out for, its legend and axes leave the plot at least
    65 % of the height (the browser grows a chart whose legend wraps more: lab_chart.js)."""
    import figure_cases

    low = {}
    for name in figure_cases.CASES:
        layout = figure_cases.figure(name).to_dict()["layout"]
        m = layout["margin"]
        low[name] = round((layout["height"] - m["t"] - m["b"]) / layout["height"], 3)
    assert {k: v for k, v in low.items() if v < 0.65} == {}
