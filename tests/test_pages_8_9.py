"""Chapter 8 (noise) and the numerics page render in AppTest, react to their widgets, and the
seed in the link reproduces the same trials."""

from __future__ import annotations

import pytest
from figure_reader import Chart
from lab_chart_data import charts
from streamlit.testing.v1 import AppTest
from test_figures_style import font_problems

from lif_figures import spec

NOISE = "pages/8_Noise_and_irregular_firing.py"
NUMERICS = "pages/9_How_the_simulator_works.py"

TITLES = {
    NOISE: {
        "V (mV)",
        "trial",
        "time (ms)",
        "inter-spike interval (ms)",
        "intervals",
        "mean current (nA)",
        "rate (Hz)",
        "CV of the intervals",
    },
    NUMERICS: {
        "time (ms)",
        "V (mV)",
        "time step dt (ms)",
        "|rate error| (Hz)",
        "|first spike time error| (ms)",
    },
}
KEYS = {
    NOISE: ["nz_trials", "nz_isi", "nz_rate", "nz_cv"],
    NUMERICS: ["num_exact", "num_euler", "num_rate_error", "num_first_error"],
}


def by_key(at: AppTest) -> dict[str, Chart]:
    return {c["key"]: Chart(c["figure"]) for c in charts(at)}


@pytest.mark.parametrize("page", [NOISE, NUMERICS])
def test_page_renders_its_charts_with_lecture_hall_fonts(apptest, run_page, page):
    at = run_page(page)
    apptest.assert_no_exception(at)
    sent = charts(at)
    assert [c["key"] for c in sent] == KEYS[page]
    titles = set().union(*(set(Chart(c["figure"]).titles.values()) for c in sent))
    assert titles == TITLES[page]
    for c in sent:
        assert not font_problems(c["figure"]), c["key"]
        assert spec.ranges_fixed(c["figure"]["layout"]), c["key"]
    text = " ".join(m.value for m in at.markdown)
    assert "What to notice" in text and "Predict, then check" in text
    assert len(at.get("latex")) >= 5
    assert not at.warning


def test_noise_page_readouts_and_a_slider_change(apptest, run_page):
    at = run_page(NOISE)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Rate, theory"] == "18.1 Hz" and metrics["μ − V_th"] == "−3.0 mV"
    rate = float(metrics["Rate, simulated"].split()[0])
    assert 15.0 < rate < 21.0
    before = by_key(at)
    at.slider(key="nz_I").set_value(2.5).run()
    apptest.assert_no_exception(at)
    after = by_key(at)
    assert before["nz_trials"].hline("mean input μ") == pytest.approx(-53.0)
    assert after["nz_trials"].hline("mean input μ") == pytest.approx(-40.0)  # E_L + R I
    assert after["nz_rate"]["this setting (simulated)"].x.tolist() == [2.5]
    assert {m.label: m.value for m in at.metric}["μ − V_th"] == "10.0 mV"


def test_the_seed_in_the_link_reproduces_the_trials_and_new_sample_changes_them(apptest, run_page):
    first = by_key(run_page(NOISE, {"nz_seed": "7"}))["nz_trials"]["raster"].ticks()
    again = by_key(run_page(NOISE, {"nz_seed": "7"}))["nz_trials"]["raster"].ticks()
    assert first[0].tolist() == again[0].tolist() and first[1].tolist() == again[1].tolist()
    at = run_page(NOISE, {"nz_seed": "7"})
    assert at.number_input(key="nz_seed").value == 7
    at.button(key="nz_new").click().run()
    apptest.assert_no_exception(at)
    assert at.number_input(key="nz_seed").value == 8
    other = by_key(at)["nz_trials"]["raster"].ticks()[0]
    assert other.tolist() != first[0].tolist()
    assert by_key(run_page(NOISE, {"nz_seed": "8"}))["nz_trials"]["raster"].ticks()[0].tolist() == (
        other.tolist()
    )


def test_a_bad_seed_in_the_link_falls_back_with_a_notice(apptest, run_page):
    at = run_page(NOISE, {"nz_seed": "abc"})
    apptest.assert_no_exception(at)
    assert at.number_input(key="nz_seed").value == 1
    assert any("**Seed**" in w and "abc" in w for w in apptest.warnings_text(at))


def test_long_correlation_time_warns_that_the_theory_does_not_hold(apptest, run_page):
    at = run_page(NOISE, {"nz_tau": "5"})
    apptest.assert_no_exception(at)
    assert any("not expected to hold" in w for w in apptest.warnings_text(at))


def test_numerics_page_reacts_to_dt_and_to_the_refinements(apptest, run_page):
    at = run_page(NUMERICS)
    exact = by_key(at)["num_exact"]["exact (engine)"]
    assert exact.x[1] - exact.x[0] == pytest.approx(1.0)  # dt = 1 ms grid
    errors = {m.label for m in at.metric}
    assert "Rate error" in errors and "Slope, Euler" in errors
    at.slider(key="num_dt").set_value(0.5).run()
    apptest.assert_no_exception(at)
    charts_now = by_key(at)
    assert charts_now["num_exact"]["exact (engine)"].x[1] == pytest.approx(0.5)
    assert charts_now["num_rate_error"].vline("dt on the slider") == pytest.approx(0.5)
    at.checkbox(key="num_cross").uncheck().run()
    apptest.assert_no_exception(at)
    assert "crossing on grid" in by_key(at)["num_exact"]


def test_numerics_page_warns_when_euler_is_unstable(apptest, run_page):
    at = run_page(NUMERICS, {"num_dt": "22"})
    apptest.assert_no_exception(at)
    assert any("unstable" in w for w in apptest.warnings_text(at))


#: Page sliders at their ends (and, for the light numerics page, the sidebar's too).
EXTREMES = [
    (NOISE, "nz_I", 0.0),
    (NOISE, "nz_I", 4.0),
    (NOISE, "nz_sV", 0.0),
    (NOISE, "nz_sV", 8.0),
    (NUMERICS, "num_dt", 0.05),
    (NUMERICS, "num_dt", 25.0),
    (NUMERICS, "num_I", 0.0),
    (NUMERICS, "num_I", 10.0),
    *((NUMERICS, key, end) for key in ("R", "C", "E_L", "V_th", "t_ref") for end in ("min", "max")),
]


@pytest.mark.parametrize(
    ("page", "key", "value"), EXTREMES, ids=[f"{k}={v}" for _, k, v in EXTREMES]
)
def test_sliders_at_their_ends_render(apptest, run_page, page, key, value):
    at = run_page(page)
    slider = at.slider(key=key)
    value = {"min": slider.min, "max": slider.max}.get(value, value)
    slider.set_value(value).run()
    apptest.assert_no_exception(at)
    assert charts(at)


def test_the_noise_sample_goes_to_the_browser_once_per_session(apptest):
    """2 MB of noise for the live preview: sent with the first run, referred to after."""
    import json

    at = apptest.make_app(NOISE)
    at.run()

    def trials_chart():
        return next(c for c in apptest.charts(at) if c["key"] == "nz_trials")

    first = trials_chart()["preview"]["data"]
    big = [k for k, v in first.items() if isinstance(v, dict) and "$ref" in v]
    assert big and all("$value" in first[k] for k in big)
    assert len(json.dumps(first)) > 1_000_000
    at.slider(key="nz_I").set_value(1.5).run()
    later = trials_chart()["preview"]["data"]
    assert all(later[k] == {"$ref": first[k]["$ref"]} for k in big)
    assert len(json.dumps(later)) < 20_000
