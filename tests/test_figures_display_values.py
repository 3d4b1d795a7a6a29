"""lif_figures.spec.display_figure: the theme's colours on a bare figure and on one with its
own fonts, an unknown theme read as light, the template dropped, presenter mode's lines.
"""

from __future__ import annotations

import plotly.graph_objects as go
import pytest

from lif_figures.spec import display_figure
from lif_figures.style import PRESENTER_LINE_SCALE, THEMES


def layout_of(fig) -> dict:
    return fig.to_dict()["layout"] if hasattr(fig, "to_dict") else fig.layout


def test_a_bare_figure_gets_the_light_theme_without_a_template():
    fig = go.Figure(go.Scatter(x=[0, 1], y=[0, 1], name="a"), layout=dict(title="only text"))
    for theme in (None, "light", "sepia"):
        layout = layout_of(display_figure(fig, theme))
        light = THEMES["light"]
        assert "template" not in layout
        assert layout["font"]["color"] == light["text"]
        assert layout["legend"]["font"]["color"] == light["legend"]
        assert layout["hoverlabel"]["font"]["color"] == light["text"]
        assert layout["hoverlabel"]["bgcolor"] == light["hover_bg"]
        assert list(layout["colorway"]) == light["colorway"]
        assert layout["title"]["text"] == "only text"
        assert layout["title"]["font"]["color"] == light["title"]


def test_the_dark_theme_keeps_the_figures_own_font_sizes():
    fig = go.Figure(go.Scatter(x=[0, 1], y=[0, 1], name="a"))
    fig.update_layout(
        title=dict(text="T", font=dict(size=21)),
        font=dict(size=13),
        legend=dict(font=dict(size=15)),
        hoverlabel=dict(font=dict(size=17)),
    )
    layout = layout_of(display_figure(fig, "dark"))
    dark = THEMES["dark"]
    assert layout["title"]["text"] == "T"
    assert layout["title"]["font"] == {"size": 21, "color": dark["title"]}
    assert layout["font"] == {"size": 13, "color": dark["text"]}
    assert layout["legend"]["font"] == {"size": 15, "color": dark["legend"]}
    assert layout["hoverlabel"]["font"] == {"size": 17, "color": dark["text"]}
    assert list(layout["colorway"]) == dark["colorway"]


def test_presenter_mode_thickens_the_lines():
    fig = go.Figure(go.Scatter(x=[0, 1], y=[0, 1], name="a", line=dict(width=2, color="#123456")))
    shown = display_figure(fig, "light", presenting=True)
    assert shown.data[0].line.width == pytest.approx(2 * PRESENTER_LINE_SCALE)
    assert shown.data[0].line.color == "#123456"
    assert display_figure(fig, "light").data[0].line.width == 2
