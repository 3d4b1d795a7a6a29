"""Every chart on every page is readable from the back of a lecture hall.

Streamlit's plotly theme sets 12-14 px fonts on axes and legends explicitly, which
overrides ``layout.font``; :func:`lif_figures.style.new_figure` therefore sets tick,
axis-title and legend sizes explicitly. These tests read the figures each page sends
(AppTest) and check the sizes, so a builder that bypasses ``new_figure`` is caught.
"""

from __future__ import annotations

import plotly.graph_objects as go
import pytest
from plotly.subplots import make_subplots

from lif_figures import style

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
