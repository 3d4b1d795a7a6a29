"""lif_figures.spec: pinned curves (names, groups, dashes, order), which layouts need no
autorange, and trace text made readable only where text is drawn.
"""

from __future__ import annotations

import plotly.graph_objects as go
import pytest

from lif_figures.spec import PIN_DASHES, display_figure, ranges_fixed, with_pins


def chart(tref_ms: float, color: str) -> go.Figure:
    return go.Figure(
        [
            go.Scatter(x=[0, 1], y=[0, tref_ms], name="V", line=dict(color=color, width=2)),
            go.Scatter(x=[0, 1], y=[5, 5], name="threshold"),
            go.Scatter(x=[0, 1], y=[1, 2], name=f"theory, t_ref = {tref_ms:g} ms"),
        ]
    )


def test_pinned_traces_come_first_faded_with_one_legend_entry_per_pin():
    now = chart(2, "#111111")
    pins = [("pin 1: R = 20 MΩ", chart(3, "#222222")), ("pin 2: C = 2 nF", chart(4, "#333333"))]
    fig = with_pins(now, pins, ["V", "theory, t_ref = * ms"])
    names = [t.name for t in fig.data]
    assert names == [
        "pin 1: R = 20 MΩ",
        "pin 1: R = 20 MΩ · theory, t_ref = 3 ms",
        "pin 2: C = 2 nF",
        "pin 2: C = 2 nF · theory, t_ref = 4 ms",
        "V",
        "threshold",
        "theory, t_ref = 2 ms",
    ]
    for k, pin in enumerate((fig.data[0:2], fig.data[2:4])):
        for j, trace in enumerate(pin):
            assert trace.legendgroup == f"pin {k + 1}"
            assert trace.showlegend is (j == 0)
            assert trace.opacity == pytest.approx(0.45)
            assert trace.hoverinfo == "name"
            assert trace.line.dash == PIN_DASHES[k]
    assert fig.data[0].line.color == "#222222" and fig.data[0].line.width == 2
    assert list(fig.data[0].y) == [0, 3]
    assert fig.data[4].line.dash is None  # the current curve is not restyled


def test_ranges_fixed():
    assert ranges_fixed({"xaxis": {"range": [0, 1]}, "yaxis": {"range": [0, 2]}})
    assert not ranges_fixed(
        {"xaxis": {"range": [0, 1]}, "yaxis": {"range": [0, 2], "autorange": True}}
    )
    assert ranges_fixed({"xaxis": {"range": [0, 1], "autorange": False}})
    assert not ranges_fixed({"xaxis": {"range": [0, 1]}, "yaxis": {}})
    assert not ranges_fixed({})
    # an axis that matches another takes that one's range, through a chain
    chained = {
        "xaxis": {"range": [0, 1]},
        "yaxis": {"range": [0, 1]},
        "yaxis2": {"matches": "y"},
        "yaxis3": {"matches": "y2"},
    }
    assert ranges_fixed(chained)
    assert not ranges_fixed({"xaxis": {"range": [0, 1]}, "xaxis2": {"matches": "x3"}})
    cycle = {"xaxis": {"matches": "x2"}, "xaxis2": {"matches": "x"}}
    assert not ranges_fixed(cycle)


def test_trace_text_is_darkened_only_where_text_is_drawn():
    fig = go.Figure(
        [
            go.Scatter(
                x=[0], y=[0], mode="markers+text", text=["a"], textfont=dict(color="#aaaaaa")
            ),
            go.Scatter(x=[0], y=[0], mode="lines", textfont=dict(color="#aaaaaa")),
            go.Scatter(
                x=[0, 1],
                y=[0, 1],
                mode="text",
                text=["b", "c"],
                textfont=dict(color=["#aaaaaa"] * 2),
            ),
        ]
    )
    shown = display_figure(fig, "light")
    assert shown.data[0].textfont.color == "#6e6e6e"  # 4.5:1 on white
    assert shown.data[1].textfont.color == "#aaaaaa"  # no text drawn
    assert list(shown.data[2].textfont.color) == ["#aaaaaa"] * 2  # per-point colours kept
