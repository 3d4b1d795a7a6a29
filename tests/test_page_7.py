"""Chapter 7 ("What the LIF leaves out") renders in AppTest and its widgets drive its charts.

Checks: no exception and no warning with a clean link; eight charts with their axis
titles; the readouts are the analyses' numbers; moving a slider (or choosing a preset)
changes the chart it drives; values in the URL reopen the page with them; a garbage link
value falls back with a notice; the predict question reveals only after a guess.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from figure_reader import Chart
from mutation_aware import shared_scope
from streamlit.testing.v1 import AppTest
from test_figures_style import font_problems

from lif_figures import spec, style

ROOT = Path(__file__).resolve().parents[1]
PAGE = "pages/7_What_the_LIF_leaves_out.py"

#: Axis titles of the eight charts, in page order.
TITLES = [
    {"time (ms)", "membrane potential V (mV)"},
    {"AdEx V (mV)", "LIF V (mV)", "w (pA)", "time (ms)"},
    {"interval number", "interspike interval (ms)"},
    {"time (ms)", "membrane potential V (mV)"},
    {"time (ms)", "membrane potential V (mV)"},
    {"current (nA)", "rate (Hz)"},
    {"time (ms)", "membrane potential V (mV)"},
    {"time (ms)", "depolarisation V − E_L (mV)"},
]

SLIDERS = {"bx_amp": 12.0, "bx_width": 1.0, "bx_ring": 2.0, "bx_hyp": -5.0, "bx_hypw": 10.0}


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def charts(apptest, at) -> list[Chart]:
    return [Chart(fig) for fig in apptest.plotly_figures(at)]


@pytest.fixture(scope=shared_scope)
def page():
    """One run at the defaults, shared by the read-only checks."""
    at = AppTest.from_file(str(ROOT / PAGE), default_timeout=60)
    at.run()
    return at


def test_page_renders_with_its_charts_and_readouts(apptest, page):
    apptest.assert_no_exception(page)
    assert not page.warning
    found = charts(apptest, page)
    assert [set(c.titles.values()) for c in found] == TITLES
    shown = metrics(page)
    assert shown["HH peak"] == "+39.6 mV"
    assert shown["HH width at half height"] == "1.46 ms"
    assert shown["AdEx pattern"] == "adapting" and shown["LIF twin pattern"] == "tonic"
    assert shown["HH onset"] == "6.26 nA" and shown["Bistable up to"] == "9.78 nA"
    assert shown["Attenuation at the soma"] == "4.7×"
    for key, value in SLIDERS.items():
        assert page.slider(key=key).value == pytest.approx(value)
    assert page.radio(key="bx_preset").value == "adapting"
    assert page.slider(key="bx_b_adapting").value == 5.0
    text = " ".join(m.value for m in page.markdown)
    assert "What to notice" in text and "Predict, then check" in text
    assert "| A | **tonic spiking**" in text  # the feature table
    assert len(page.get("latex")) >= 6


def test_every_chart_is_lecture_hall_sized_and_ready_for_a_cheap_update(apptest, page):
    for k, fig in enumerate(apptest.plotly_figures(page)):
        assert not font_problems(fig), (k, font_problems(fig))
        layout = fig["layout"]
        assert "template" not in layout and spec.ranges_fixed(layout), k
        assert layout["font"]["color"] == style.THEMES["light"]["text"]


def test_spike_slider_changes_the_spike_chart(apptest, run_page):
    at = run_page(PAGE)
    before = charts(apptest, at)[0]
    at.slider(key="bx_amp").set_value(5.0).run()
    apptest.assert_no_exception(at)
    after = charts(apptest, at)[0]
    assert before["HH"].y.max() > 30.0
    assert after["HH"].y.max() < -50.0  # 5 nA for 1 ms: below threshold, no spike
    assert after["LIF spike"].x.size == 0
    assert metrics(at)["HH peak"] == "no spike"


def test_preset_choice_brings_its_own_sliders_and_pattern(apptest, run_page):
    at = run_page(PAGE)
    at.radio(key="bx_preset").set_value("regular bursting").run()
    apptest.assert_no_exception(at)
    assert at.slider(key="bx_a_regular_bursting").value == pytest.approx(-0.5)
    assert at.slider(key="bx_I_regular_bursting").value == pytest.approx(65.0)
    assert metrics(at)["AdEx pattern"] == "regular bursting"
    isi = charts(apptest, at)[2]["AdEx"].y
    assert isi.max() / isi.min() > 10  # bursts and pauses
    at.slider(key="bx_I_regular_bursting").set_value(30.0).run()
    assert metrics(at)["AdEx pattern"] == "irregular"


def test_dendrite_and_ringing_sliders(apptest, run_page):
    at = run_page(PAGE)
    at.slider(key="bx_gc").set_value(200.0).run()
    assert metrics(at)["Attenuation at the soma"] == "1.8×"
    dend = charts(apptest, at)[7]
    assert dend["soma, input at dendrite"].y.max() == pytest.approx(1.566, abs=0.01)
    at.slider(key="bx_hypw").set_value(3.0).run()
    rebound = charts(apptest, at)[4]
    assert rebound["HH"].y.max() < 0.0  # 3 ms of inhibition: no rebound spike
    assert "no rebound spike" in " ".join(m.value for m in at.markdown)


def test_link_values_reopen_the_page(apptest, run_page):
    at = run_page(PAGE, {"bx_I": "5.5", "bx_preset": "delayed", "bx_gc": "50"})
    apptest.assert_no_exception(at)
    assert not at.warning
    assert at.slider(key="bx_I").value == pytest.approx(5.5)
    fi = charts(apptest, at)[5]
    star = fi["this current"]
    assert star.x == pytest.approx([5.5, 5.5]) and star.y[0] == 0.0  # one spike, then rest
    assert metrics(at)["AdEx pattern"] == "delayed"
    trace = charts(apptest, at)[6]
    assert np.count_nonzero(np.diff(np.sign(trace["HH"].y)) > 0) == 1  # a single spike


def test_garbage_link_value_falls_back_with_a_notice(apptest, run_page):
    at = run_page(PAGE, {"bx_amp": "abc", "bx_preset": "chattering"})
    apptest.assert_no_exception(at)
    assert at.slider(key="bx_amp").value == 12.0
    assert at.radio(key="bx_preset").value == "adapting"
    assert len(at.warning) >= 1


def test_predict_question_reveals_only_after_a_guess(run_page):
    at = run_page(PAGE)
    guess = at.radio(key="bx_q1_guess")
    guess.set_value(guess.options[2]).run()
    assert not at.success
    at.button(key="bx_q1_reveal").click().run()
    assert at.success
