"""Presenter mode, export captions and the readable chart colours (issue 13), without a browser.

- ``lif_figures.export.caption_lines``: page and chart, neuron and settings with units,
  true minus signs;
- a page run in AppTest sends each chart with the caption of the values it used (link
  values included), and without the sidebar neuron on chapter 7;
- presenter mode from a link (``?present=true``): the explanations in closed expanders,
  the neuron in one line under the heading, charts with text of at least 18 px and lines
  1.5 times thicker; links to other pages carry it;
- ``display_figure`` shades text drawn in a curve's colour to a contrast of 4.5:1 on the
  light and the dark page, and leaves lines their colour.
"""

from __future__ import annotations

import pytest

import lab_ui
from lif_figures import style
from lif_figures.export import caption_lines, setting_text
from lif_figures.spec import FigureSpec, display_figure, scatter

RC = "pages/1_Membrane_RC_circuit.py"
BX = "pages/7_What_the_LIF_leaves_out.py"


def test_caption_lines_name_every_value_with_its_unit():
    lines = caption_lines(
        "1 · The membrane is an RC circuit",
        "Membrane potential",
        [("R", "10 MΩ"), ("E_L", "-65 mV")],
        [("Pulse amplitude I", "-1.5 nA"), ("Input current", "step")],
    )
    assert lines == [
        "LIF Lab · 1 · The membrane is an RC circuit: Membrane potential",
        "Neuron: R = 10 MΩ; E_L = −65 mV.",
        "Settings: Pulse amplitude I = −1.5 nA; Input current = step.",
    ]
    assert caption_lines("p", "c") == ["LIF Lab · p: c"]  # no neuron, no settings
    assert setting_text("V_th", "-50 mV") == "V_th = −50 mV"


def test_a_page_sends_each_chart_with_the_caption_of_its_values(apptest, run_page):
    at = run_page(RC, {"R": "40", "rc_amp": "-2.5", "rc_width": "80"})
    apptest.assert_no_exception(at)
    charts = apptest.charts(at)
    assert [c["key"] for c in charts] == ["rc_voltage", "rc_currents"]
    for c in charts:
        export = c["export"]
        assert export["file"] == f"lif-lab-{c['key']}"
        head, neuron, settings = export["caption"]
        assert head == f"LIF Lab · 1 · The membrane is an RC circuit: {c['alt']}"
        assert neuron == (
            "Neuron: R = 40 MΩ; C = 1.00 nF; E_L = −65 mV; V_th = −50 mV; V_reset = −65 mV; "
            "t_ref = 2.0 ms."
        )
        assert settings == (
            "Settings: Pulse amplitude I = −2.5 nA; Pulse onset = 20 ms; Pulse duration = 80 ms."
        )


def test_chapter_7_captions_leave_out_the_sidebar_neuron(apptest, run_page):
    at = run_page(BX)
    apptest.assert_no_exception(at)
    first = apptest.charts(at)[0]["export"]["caption"]
    assert not any(line.startswith("Neuron:") for line in first)
    assert first[1].startswith("Settings: Pulse amplitude = 12.0 nA; Pulse duration = 1.0 ms")


def test_presenter_mode_from_a_link_folds_the_prose_and_enlarges_the_charts(apptest, run_page):
    normal = run_page(RC)
    shown = run_page(RC, {"present": "true"})
    for at in (normal, shown):
        apptest.assert_no_exception(at)
    assert shown.toggle(key="present").value is True
    assert normal.toggle(key="present").value is False
    # the explanations and the question: in closed expanders, only in presenter mode (the
    # sidebar's "Preset sources" is one in both)
    folded = ["The idea and the equations", "What to notice, and a question"]
    assert [e.label for e in shown.expander if e.label != "Preset sources"] == folded
    assert [e.label for e in normal.expander if e.label != "Preset sources"] == []
    assert all(not e.proto.expanded for e in shown.expander)
    # the neuron in one line under the heading (the sidebar starts closed)
    strip = [m.value for m in shown.markdown if m.value.startswith("**Neuron**")]
    assert strip == [
        "**Neuron** R = 10 MΩ · C = 1.00 nF · τ = 10.0 ms · E_L = −65 mV · V_th = −50 mV · "
        "V_reset = −65 mV · t_ref = 2.0 ms"
    ]
    big, small = apptest.plotly_figures(shown)[0], apptest.plotly_figures(normal)[0]
    assert big["layout"]["xaxis"]["tickfont"]["size"] >= 18
    assert big["layout"]["legend"]["font"]["size"] >= 18
    assert small["layout"]["xaxis"]["tickfont"]["size"] < 18
    v_big = next(t for t in big["data"] if t["name"] == "simulated V(t)")
    v_small = next(t for t in small["data"] if t["name"] == "simulated V(t)")
    assert v_big["line"]["width"] == pytest.approx(1.5 * v_small["line"]["width"])
    assert v_big["y"] == v_small["y"]  # the same data


def test_links_between_pages_keep_presenter_mode():
    import streamlit as st

    st.session_state.clear()
    st.session_state["present"] = True
    assert lab_ui.link_query("pages/2_Resting_equilibrium.py")["present"] == "true"
    st.session_state["present"] = False
    assert "present" not in lab_ui.link_query("pages/2_Resting_equilibrium.py")
    st.session_state.clear()


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_text_in_a_curve_colour_is_shaded_to_be_readable(theme):
    """An orange label (2.3:1 on white) and a blue one (3.6:1 on the dark page) are shaded
    to 4.5:1; a vermillion label over its grey tint too; the lines keep their colours."""
    fig = FigureSpec("t (ms)", "V (mV)")
    for color in (style.COLORS["theory"], style.COLORS["V"], style.COLORS["alt"]):
        fig.add(
            scatter(
                x=[0.0, 1.0],
                y=[0.0, 1.0],
                mode="lines+text",
                name=color,
                text=["a", "b"],
                line=dict(color=color),
                textfont=dict(color=color),
            )
        )
        fig.annotate(0.5, 0.5, "label", font=dict(color=color))
    fig.annotate(
        0.2,
        0.2,
        "tinted",
        bgcolor="rgba(128,128,128,0.12)",
        font=dict(color=style.COLORS["threshold"]),
    )
    shown = display_figure(fig.figure(), theme).to_dict()
    background = style.THEMES[theme]["background"]
    for note in shown["layout"]["annotations"]:
        ratio = style.contrast_ratio(
            note["font"]["color"], note.get("bgcolor") or background, background
        )
        assert ratio >= style.MIN_CONTRAST, (note["text"], note["font"]["color"], ratio)
    for trace in shown["data"]:
        assert style.contrast_ratio(trace["textfont"]["color"], background) >= 4.5
        assert trace["line"]["color"] == trace["name"]  # the curve keeps its colour
    # a colour that is readable already is left as it is
    assert style.readable("#0072B2", "#ffffff") == "#0072B2"
    assert style.readable("#E69F00", "#0e1117") == "#E69F00"
    assert style.readable("#E69F00", "#ffffff") != "#E69F00"


def test_chart_text_colours_reach_wcag_aa_on_both_themes():
    for theme, colors in style.THEMES.items():
        for key in ("text", "legend", "title"):
            ratio = style.contrast_ratio(colors[key], colors["background"])
            assert ratio >= style.MIN_CONTRAST, (theme, key, ratio)
    # Streamlit's own light chart text, which this replaces, did not
    assert style.contrast_ratio("#808495", "#ffffff") == pytest.approx(3.72, abs=0.01)
