"""Chapters 1-3 in Streamlit's AppTest: defaults, slider extremes, links, bad links, physics.

Each page is run headless with ``AppTest.from_file``. Checked: no exception; the
page's explanation, equation, "try this" box and question are there; every page
slider at its minimum and maximum renders; the charts have the right axis titles
and draw the numbers the theory predicts; values in the link reopen the page with
those values; unusable link values fall back to the defaults with a notice.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

RC = "pages/1_Membrane_RC_circuit.py"
EQ = "pages/2_Resting_equilibrium.py"
TH = "pages/3_Threshold_and_spikes.py"

#: page -> (page slider key -> (min, default, max) in display units), number of charts,
#: and the axis titles its charts must show.
PAGES = {
    RC: (
        {
            "rc_amp": (-3.0, 1.0, 3.0),
            "rc_onset": (0.0, 20.0, 100.0),
            "rc_width": (1.0, 60.0, 200.0),
        },
        2,
        {"time (ms)", "membrane potential V (mV)", "current (nA)"},
    ),
    EQ: (
        {"eq_I": (-3.0, 0.0, 3.0)},
        2,
        {"time (ms)", "membrane potential V (mV)", "dV/dt (mV/ms)"},
    ),
    TH: (
        {"th_amp": (0.0, 2.0, 10.0)},
        1,
        {"time (ms)", "membrane potential V (mV)", "spikes", "current (nA)"},
    ),
}


def titles(apptest, at) -> set[str]:
    return {t for fig in apptest.plotly_figures(at) for t in apptest.axis_titles(fig).values()}


@pytest.mark.parametrize("page", list(PAGES))
def test_page_renders_with_defaults(apptest, run_page, page):
    sliders, n_charts, expected_titles = PAGES[page]
    at = run_page(page)
    apptest.assert_no_exception(at)
    assert not apptest.warnings_text(at)
    assert len(apptest.plotly_figures(at)) == n_charts
    assert expected_titles <= titles(apptest, at)
    assert at.get("latex"), "governing equation missing"
    markdown = " ".join(m.value for m in at.markdown)
    assert "What to notice" in markdown and "Predict, then check" in markdown
    for key, (_, default, _) in sliders.items():
        assert at.slider(key=key).value == default


@pytest.mark.parametrize("page", list(PAGES))
def test_page_sliders_at_min_and_max(apptest, page):
    sliders, n_charts, expected_titles = PAGES[page]
    at = apptest.make_app(page)
    at.run()
    for key, (low, default, high) in sliders.items():
        for value in (low, high):
            at.slider(key=key).set_value(value).run()
            apptest.assert_no_exception(at)
            assert len(apptest.plotly_figures(at)) == n_charts, (key, value)
            assert expected_titles <= titles(apptest, at)
        at.slider(key=key).set_value(default).run()


@pytest.mark.parametrize("page", list(PAGES))
def test_page_slider_values_from_link(apptest, run_page, page):
    sliders, _, _ = PAGES[page]
    query = {key: f"{(low + high) / 2:g}" for key, (low, _, high) in sliders.items()}
    at = run_page(page, query)
    apptest.assert_no_exception(at)
    assert not apptest.warnings_text(at)
    for key, (low, _, high) in sliders.items():
        assert at.slider(key=key).value == pytest.approx((low + high) / 2)


@pytest.mark.parametrize("page", list(PAGES))
def test_page_slider_garbage_in_link(apptest, run_page, page):
    sliders, n_charts, _ = PAGES[page]
    bad = ["abc", "nan", "inf", "1e6"]
    query = {key: bad[i % len(bad)] for i, key in enumerate(sliders)}
    at = run_page(page, query)
    apptest.assert_no_exception(at)
    assert len(apptest.plotly_figures(at)) == n_charts
    for key, (_, default, _) in sliders.items():
        assert at.slider(key=key).value == default
        label = at.slider(key=key).label.rsplit(" (", 1)[0]  # the notice names the slider
        assert any(f"**{label}**:" in w for w in apptest.warnings_text(at)), key


@pytest.mark.parametrize("page", list(PAGES))
def test_page_keeps_working_with_impossible_neuron(apptest, run_page, page):
    _, n_charts, _ = PAGES[page]
    at = run_page(page, {"V_reset": "-40", "V_th": "-45"})
    apptest.assert_no_exception(at)
    assert any("Impossible neuron" in w for w in apptest.warnings_text(at))
    assert len(apptest.plotly_figures(at)) == n_charts


# --------------------------------------------------------------------------- chapter 1


def test_rc_page_draws_the_plateau(apptest, run_page):
    # 2 nA into 20 MΩ: plateau 40 mV above rest; a 200 ms pulse is 10 tau (tau = 20 ms)
    at = run_page(RC, {"R": "20", "rc_amp": "2", "rc_width": "200"})
    apptest.assert_no_exception(at)
    fig_v, fig_i = apptest.plotly_figures(at)
    V = apptest.numbers(apptest.trace(fig_v, "simulated")["y"])
    assert np.nanmax(V) == pytest.approx(-65 + 40, abs=40 * math.exp(-9.9))
    marks = apptest.trace(fig_v, "one τ")
    assert marks["x"][0] == pytest.approx(20 + 20)  # onset + tau (ms)
    I = apptest.numbers(apptest.trace(fig_i, "injected")["y"])
    assert np.nanmax(I) == pytest.approx(2.0)
    assert any("τ = RC = 20.0 ms" in c.value for c in at.caption)


def test_rc_circuit_drawing_present(run_page):
    at = run_page(RC)
    assert any("<svg" in m.value and "currentColor" in m.value for m in at.markdown)


# --------------------------------------------------------------------------- chapter 2


def test_equilibrium_current_moves_fixed_point(apptest, run_page):
    at = run_page(EQ, {"eq_I": "1"})
    apptest.assert_no_exception(at)
    phase, relax = apptest.plotly_figures(at)
    assert apptest.trace(phase, "stable fixed point")["x"][0] == pytest.approx(-55.0)
    assert apptest.trace(relax, "fixed point")["y"][0] == pytest.approx(-55.0)
    finals = [
        apptest.numbers(tr["y"])[-1] for tr in relax["data"] if tr.get("legendgroup") == "sim"
    ]
    assert len(finals) == 7
    assert np.allclose(finals, -55.0, atol=35 * math.exp(-4.9))
    assert any("−55.0 mV" in m.value for m in at.markdown)


# --------------------------------------------------------------------------- chapter 3


def metric(at, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def test_threshold_readouts_match_theory(apptest, run_page):
    at = run_page(TH, {"th_amp": "2"})
    apptest.assert_no_exception(at)
    # default neuron: V_inf = -45 mV, T = 10 ms * ln(20/5) = 13.9 ms; f = 1/(2 ms + T) = 63.0 Hz
    expected = 1 / (2e-3 + 10e-3 * math.log(20 / 5))
    assert metric(at, "Rate from theory") == f"{expected:.1f} Hz"
    assert metric(at, "Firing rate (simulated)") == f"{expected:.1f} Hz"
    assert metric(at, "Mean ISI") == f"{1e3 / expected:.1f} ms"
    assert metric(at, "I vs rheobase") == "above"


def test_threshold_below_rheobase(apptest, run_page):
    at = run_page(TH, {"th_amp": "1.4"})
    apptest.assert_no_exception(at)
    assert metric(at, "I vs rheobase") == "not above"
    assert metric(at, "Firing rate (simulated)") == "0.0 Hz"
    assert metric(at, "Mean ISI") == "–"
    (fig,) = apptest.plotly_figures(at)
    assert apptest.trace(fig, "spikes")["name"].startswith("spikes (0)")


def test_threshold_step_input_and_cosmetic_spikes(apptest):
    at = apptest.make_app(TH)
    at.run()
    assert "th_onset" not in [s.key for s in at.slider]  # constant: no onset slider
    at.radio(key="th_kind").set_value("step").run()
    apptest.assert_no_exception(at)
    at.slider(key="th_onset").set_value(400.0).run()
    (fig,) = apptest.plotly_figures(at)
    spikes = apptest.numbers(apptest.trace(fig, "spikes")["x"])
    assert len(spikes) and spikes.min() > 400.0
    assert not any(tr.get("name", "").startswith("drawn spike") for tr in fig["data"])
    at.checkbox(key="th_spikes").check().run()
    (fig,) = apptest.plotly_figures(at)
    assert np.nanmax(apptest.numbers(apptest.trace(fig, "drawn spike")["y"])) == pytest.approx(20.0)
    at.slider(key="th_onset").set_value(0.0).run()
    at.slider(key="th_onset").set_value(100.0).run()
    apptest.assert_no_exception(at)


def test_threshold_choice_and_checkbox_from_link(apptest, run_page):
    at = run_page(TH, {"th_kind": "step", "th_onset": "250", "th_spikes": "true"})
    apptest.assert_no_exception(at)
    assert at.radio(key="th_kind").value == "step"
    assert at.slider(key="th_onset").value == 250.0
    assert at.checkbox(key="th_spikes").value is True
    bad = run_page(TH, {"th_kind": "ramp", "th_spikes": "maybe"})
    apptest.assert_no_exception(bad)
    assert bad.radio(key="th_kind").value == "constant"
    assert bad.checkbox(key="th_spikes").value is False
    notes = " ".join(apptest.warnings_text(bad))
    assert "**Input current**:" in notes and "**Draw spikes**:" in notes


def test_charts_export_png_from_the_toolbar(apptest, run_page):
    at = run_page(RC)
    charts = apptest.charts(at)
    assert [chart["key"] for chart in charts] == ["rc_voltage", "rc_currents"]
    for chart in charts:
        config = chart["config"]
        assert config["toImageButtonOptions"]["format"] == "png"
        assert config["toImageButtonOptions"]["filename"] == f"lif-lab-{chart['key']}"
        assert chart["alt"]  # a text alternative for screen readers
