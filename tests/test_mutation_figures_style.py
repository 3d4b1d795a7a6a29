"""The layout every LIF Lab chart starts from (``lif_figures.style``), as a reader sees it.

``style.new_figure`` is the layout of every chart (``FigureSpec`` starts from it); these
tests call it directly and check what it decides: axis titles, lecture-size fonts, margins
that match the room ``legend_top_margin`` reserves, a horizontal legend above the plot on
its left, a transparent background, a faint horizontal grid, a unified hover box. They also
pin the legend-room estimate (``legend_height``) at the edges of plotly.js's wrapping rule,
and the contracts of ``even_indices`` and ``rounded``.

Values that are Streamlit's chart theme (title 16 px bold at the left edge with a 4 px pad,
margin pad 4 px, axis-title standoffs 8 / 10 px, no vertical grid), which ``new_figure``
repeats so the charts look as they did with ``theme="streamlit"``, have no named constant:
those literals are the design and are written out here.
"""

from __future__ import annotations

import inspect

import numpy as np
import plotly.graph_objects as go
import pytest
from figure_reader import Chart

from lif_figures import spec, style

X, Y = "time (ms)", "V (mV)"


def _layout(**kwargs) -> dict:
    return Chart(style.new_figure(X, Y, **kwargs)).layout


# ------------------------------------------------------------------ axes and titles


def test_axes_carry_their_titles_with_units():
    chart = Chart(style.new_figure(X, Y))
    assert chart.titles["xaxis"] == X
    assert chart.titles["yaxis"] == Y


def test_a_bare_new_figure_is_a_default_chart():
    """``new_figure`` without options has the height and legend of a default ``FigureSpec``."""
    defaults = inspect.signature(spec.FigureSpec).parameters
    layout = _layout()
    assert layout["height"] == defaults["height"].default
    assert layout["showlegend"] is defaults["legend"].default is True


def test_height_and_legend_are_the_callers():
    layout = _layout(height=512, legend=False)
    assert layout["height"] == 512
    assert layout["showlegend"] is False
    assert _layout(legend=True)["showlegend"] is True


def test_a_title_is_shown_bold_at_the_left_edge_like_the_legend():
    """Streamlit's chart theme: a bold (CSS 700) 16 px title, left-aligned with a 4 px pad,
    starting where the legend starts."""
    layout = _layout(title="at 2 nA")
    title = layout["title"]
    assert title["text"] == "at 2 nA"
    assert (title["x"], title["xanchor"]) == (layout["legend"]["x"], "left") == (0, "left")
    assert title["pad"] == {"l": 4}
    assert title["font"] == {"size": 16, "weight": 700}
    assert title["font"]["size"] >= style.TICK_FONT  # readable in the lecture hall


def test_an_untitled_chart_has_no_title():
    """No title object at all (``FigureSpec`` drops an empty one; nothing to colour or draw)."""
    assert not _layout().get("title")
    assert not _layout(title=None).get("title")


# ------------------------------------------------------------------ margins


@pytest.mark.parametrize("title", [None, "a titled chart"])
def test_margins_hold_labels_and_the_top_matches_the_reserved_room(title):
    """Left/bottom hold the lecture-size tick labels and titles (named constants); the top is
    what ``legend_top_margin`` reserves for a chart without legend entries (title or not)."""
    margin = _layout(title=title)["margin"]
    assert (margin["l"], margin["r"], margin["b"]) == (
        style.MARGIN_L,
        style.MARGIN_R,
        style.MARGIN_B,
    )
    w, h = style.HALF_WIDTH, 300
    if title:
        assert margin["t"] == style.legend_top_margin([], w, h, title=True) > style.MARGIN_T
    else:
        assert margin["t"] == style.legend_top_margin([], w, h) == style.MARGIN_T
    assert margin["pad"] == 4  # Streamlit's chart theme: ticks 4 px off the plot


# ------------------------------------------------------------------ fonts and colours


def test_text_is_lecture_size_in_the_app_font():
    layout = _layout()
    assert layout["font"] == {"size": style.FONT_SIZE, "family": style.FONT_FAMILY}
    assert layout["hoverlabel"]["font"]["size"] == style.LEGEND_FONT
    assert layout["legend"]["font"]["size"] == style.LEGEND_FONT
    for axis in ("xaxis", "yaxis"):
        assert layout[axis]["tickfont"]["size"] == style.TICK_FONT
        assert layout[axis]["title"]["font"]["size"] == style.TITLE_FONT


def test_lecture_fonts_sets_the_hover_label_size():
    fig = style.lecture_fonts(go.Figure())
    assert fig.layout.hoverlabel.font.size == style.LEGEND_FONT >= 16


def test_background_is_transparent_so_the_page_theme_shows():
    layout = _layout()
    for key in ("paper_bgcolor", "plot_bgcolor"):
        assert style._rgba(layout[key])[3] == 0, key


@pytest.mark.parametrize("theme", list(style.THEMES))
def test_grid_and_zero_line_are_faint_grey_in_either_theme(theme):
    """Horizontal grid lines to read values off, no vertical ones (Streamlit's theme), no
    vertical zero line; grid and y zero line one translucent grey, faint on both pages."""
    layout = _layout()
    x, y = layout["xaxis"], layout["yaxis"]
    assert (x["showgrid"], x["zeroline"], y["showgrid"]) == (False, False, True)
    grid = y["gridcolor"]
    assert x["gridcolor"] == x["zerolinecolor"] == y["zerolinecolor"] == grid
    r, g, b, a = style._rgba(grid)
    assert r == g == b and 0 < a < 1
    assert 1.1 < style.contrast_ratio(grid, style.THEMES[theme]["background"]) < 2


def test_axes_grow_their_margin_rather_than_clip_labels():
    layout = _layout()
    assert layout["xaxis"]["automargin"] is True
    assert layout["yaxis"]["automargin"] is True


def test_axis_titles_stand_off_as_in_streamlits_theme():
    layout = _layout()
    assert layout["xaxis"]["title"]["standoff"] == 8
    assert layout["yaxis"]["title"]["standoff"] == 10


def test_hover_shows_every_curve_at_the_time_under_the_pointer():
    assert _layout()["hovermode"] == "x unified"


# ------------------------------------------------------------------ legend


def test_legend_is_a_row_above_the_plot_from_its_left_edge():
    """Horizontal, its bottom edge just above the plot (where ``legend_top_margin`` reserves
    room by default), starting at the plot's left edge; groups stacked ``_GROUP_GAP`` apart
    as ``legend_height`` assumes."""
    legend = _layout()["legend"]
    assert legend["orientation"] == "h"
    assert legend["yanchor"] == "bottom"
    entries = [("V", None), ("threshold V_th", None)]
    room = style.legend_top_margin(entries, style.HALF_WIDTH, 300)
    assert room == style.legend_top_margin(entries, style.HALF_WIDTH, 300, y=legend["y"])
    assert 1.0 <= legend["y"] <= 1.05
    assert (legend["xanchor"], legend["x"]) == ("left", 0)
    assert legend["tracegroupgap"] == style._GROUP_GAP


def test_legend_room_defaults_to_an_untitled_chart():
    assert style.legend_top_margin([], style.HALF_WIDTH, 300) == style.MARGIN_T
    entries = [("V", None)]
    untitled = style.legend_top_margin(entries, style.HALF_WIDTH, 300)
    assert untitled == style.legend_top_margin(entries, style.HALF_WIDTH, 300, title=False)
    assert style.legend_top_margin(entries, style.HALF_WIDTH, 300, title=True) > untitled


# ------------------------------------------------------------------ legend room estimate


def test_text_width_adds_up_and_nothing_takes_no_room():
    assert style._text_width("") == 0
    assert style._text_width("V_th mW") == pytest.approx(
        style._text_width("V_th") + style._text_width(" mW")
    )


ROW = style._ENTRY_HEIGHT + 2 * style._ENTRY_GAP  # a one-row legend (24 px + padding)


def test_each_ungrouped_entry_is_a_column_of_its_own_next_to_groups():
    """Two ungrouped entries beside a group sit side by side in one row, not stacked."""
    entries = [("a", "g1"), ("b", None), ("c", None)]
    assert style.legend_height(entries, 1000) == ROW


def test_grouped_entries_wrap_only_when_they_do_not_fit():
    """Groups "mmm" (70 + 5 px) and "mm" (60 + 5 px) fill exactly 140 px: one row; in
    139 px the second wraps (two rows, ``_GROUP_GAP`` apart)."""
    entries = [("mmm", "a"), ("mm", "b")]
    assert style.legend_height(entries, 140) == ROW
    two_rows = 2 * style._ENTRY_HEIGHT + style._GROUP_GAP + 2 * style._ENTRY_GAP
    assert style.legend_height(entries, 139) == two_rows


def test_a_wrapped_row_of_groups_starts_at_the_left_edge():
    """Groups of 75, 75 and 65 px in 140 px: the second wraps and the third, 75 + 65 px,
    still fits exactly next to it (two rows, not three)."""
    entries = [("mmm", "a"), ("mmm", "b"), ("mm", "c")]
    two_rows = 2 * style._ENTRY_HEIGHT + style._GROUP_GAP + 2 * style._ENTRY_GAP
    assert style.legend_height(entries, 140) == two_rows


def test_ungrouped_entries_need_their_widths_and_the_gaps_between_them():
    """Three 60 px entries ("mm" + symbol) need 3 * 60 + 2 * 5 = 190 px in one row (plotly.js:
    strictly narrower than the plot); in 188 px they take two rows of two columns."""
    entries = [("mm", None)] * 3
    assert style.legend_height(entries, 191) == ROW
    two_rows = 2 * style._ENTRY_HEIGHT + 2 * style._ENTRY_GAP
    assert style.legend_height(entries, 188) == two_rows


def test_a_row_exactly_as_wide_as_the_plot_does_not_fit():
    """plotly.js puts ungrouped entries in one row only if they are narrower than the plot:
    70 + 5 + 60 = 135 px in 135 px makes a grid of 75 px columns, one per row."""
    entries = [("mmm", None), ("mm", None)]
    assert style.legend_height(entries, 135) == 2 * style._ENTRY_HEIGHT + 2 * style._ENTRY_GAP
    assert style.legend_height(entries, 136) == ROW


# ------------------------------------------------------------------ point budgets


def test_even_indices_keep_every_sample_when_there_are_just_enough():
    np.testing.assert_array_equal(style.even_indices(800, 800, keep=[10, 11]), np.arange(800))


def test_rounded_gives_floats_that_can_hold_gaps():
    """Whole numbers in (counts, integer times) come out as float64, so a gap can be nan."""
    values = style.rounded(np.array([1, 2, 3]), "ms")
    assert values.dtype == np.float64
    values[1] = np.nan
    assert np.isnan(values[1])
    np.testing.assert_array_equal(style.rounded([1, None], "mV"), [1.0, np.nan])
