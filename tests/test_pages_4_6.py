"""Chapters 4-6 render in Streamlit's AppTest: defaults, slider extremes, links, bad links.

Each page is run headless with ``AppTest.from_file``. The checks: no exception; every page
slider and every sidebar slider at its minimum and maximum still renders; the charts are
there with the right axis titles; values in the URL (``?fi_I=5.5``) reopen the page with
those values; unusable link values fall back to the defaults with a notice.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lab_chart_data import charts
from streamlit.testing.v1 import AppTest

from lif_core import LIFParams, theory

PAGES_DIR = Path(__file__).resolve().parents[1] / "pages"
SIDEBAR = ("R", "C", "E_L", "V_th", "V_reset", "t_ref")


class Page:
    def __init__(self, file: str, sliders: dict[str, float], titles: set[str], charts: int):
        self.file = file
        self.sliders = sliders  # page slider key -> default value (display units)
        self.titles = titles  # axis titles the page's charts must show
        self.charts = charts  # number of charts with the default settings


PAGES = {
    "fi": Page(
        "4_Refractory_period_f-I.py",
        {"fi_Imax": 20.0, "fi_I": 3.0},
        {"current (nA)", "rate (Hz)", "time (ms)", "membrane potential V (mV)"},
        2,
    ),
    "syn": Page(
        "5_Synaptic_conductances.py",
        {"syn_rate": 20.0, "syn_g": 20.0, "syn_tau": 5.0, "syn_E": 0.0, "syn_I": 1.2},
        {
            "time (ms)",
            "conductance (nS)",
            "membrane potential V (mV)",
            "V − E_syn (mV)",
            "current (nA)",
        },
        3,
    ),
    "sh": Page(
        "6_Shunting_inhibition.py",
        {"sh_ge": 30.0, "sh_gi": 100.0, "sh_dEi": 0.0, "sh_dEh": -15.0},
        {
            "time (ms)",
            "membrane potential V (mV)",
            "conductance (nS)",
            "excitatory peak conductance (nS)",
            "peak V − E_L (mV)",
            "current (nA)",
            "rate (Hz)",
        },
        3,
    ),
}


def run_page(name: str, **query: str) -> AppTest:
    at = AppTest.from_file(str(PAGES_DIR / PAGES[name].file), default_timeout=30)
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


def chart_specs(at: AppTest) -> list[dict]:
    return [chart["figure"] for chart in charts(at)]


def axis_titles(spec: dict) -> set[str]:
    layout = spec["layout"]
    return {
        layout[k]["title"]["text"]
        for k in layout
        if k.startswith(("xaxis", "yaxis")) and layout[k].get("title", {}).get("text")
    }


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def assert_renders(at: AppTest, name: str) -> None:
    assert not at.exception, [e.message for e in at.exception]
    specs = chart_specs(at)
    assert len(specs) >= 1
    titles = set().union(*(axis_titles(s) for s in specs))
    assert titles <= PAGES[name].titles | {""}, titles - PAGES[name].titles


@pytest.mark.parametrize("name", list(PAGES))
def test_page_renders_with_defaults(name):
    at = run_page(name)
    page = PAGES[name]
    assert not at.exception
    keys = {s.key for s in at.slider}
    assert set(page.sliders) | set(SIDEBAR) <= keys
    for key, default in page.sliders.items():
        assert at.slider(key=key).value == pytest.approx(default)
    specs = chart_specs(at)
    assert len(specs) == page.charts
    assert set().union(*(axis_titles(s) for s in specs)) == page.titles
    text = " ".join(m.value for m in at.markdown)
    assert "What to notice" in text and "Predict, then check" in text
    assert len(at.get("latex")) >= 1
    assert not at.warning  # no notices with a clean link


SLIDER_CASES = [(name, key) for name, page in PAGES.items() for key in [*page.sliders, *SIDEBAR]]


@pytest.mark.parametrize(("name", "key"), SLIDER_CASES, ids=[f"{n}-{k}" for n, k in SLIDER_CASES])
def test_slider_extremes_render(name, key):
    at = run_page(name)
    slider = at.slider(key=key)
    for value in (slider.min, slider.max):
        at.slider(key=key).set_value(value).run()
        assert_renders(at, name)
        assert at.slider(key=key).value == pytest.approx(value)


def test_fi_page_numbers_follow_the_theory():
    at = run_page("fi", fi_I="5.5")
    assert at.slider(key="fi_I").value == pytest.approx(5.5)
    shown = metrics(at)
    expected = theory.firing_rate(LIFParams(), 5.5e-9)
    assert shown["Rate (theory)"] == f"{expected:.1f} Hz"
    assert shown["Rate (simulated)"] == f"{expected:.1f} Hz"
    assert shown["Ceiling 1/t_ref"] == "500 Hz"
    fi = chart_specs(at)[0]
    star = next(tr for tr in fi["data"] if tr.get("name") == "operating point")
    assert star["x"][0] == pytest.approx(5.5)


def test_fi_page_without_refractoriness_explains_the_missing_ceiling():
    at = run_page("fi", t_ref="0")
    assert not at.exception
    assert metrics(at)["Ceiling 1/t_ref"] == "none (t_ref = 0)"
    assert any("coincide" in i.value for i in at.info)


def test_fi_page_beyond_what_the_grid_resolves_shows_theory_only():
    # tiny capacitance, reset 1 mV under threshold, no refractoriness: a spike every 2.6 µs
    at = run_page("fi", C="0.1", V_reset="-51", t_ref="0", fi_I="40", fi_Imax="40")
    assert not at.exception
    assert any("faster than the simulation" in i.value for i in at.info)
    assert len(chart_specs(at)) == 1  # the f–I chart (theory) is still there


def test_synapse_page_link_and_presets():
    at = run_page("syn", syn_E="-57", syn_tau="10", syn_I="1.8", syn_train="Poisson")
    assert not at.exception
    assert at.slider(key="syn_E").value == -57.0
    assert at.radio(key="syn_train").value == "Poisson"
    assert int(metrics(at)["Sign changes of I_syn"]) > 0
    # AMPA preset: E_syn 0 mV, tau 5 ms; no sign changes then
    at.button(key="syn_preset_0").click().run()
    assert not at.exception
    assert at.slider(key="syn_E").value == 0.0 and at.slider(key="syn_tau").value == 5.0
    assert metrics(at)["Sign changes of I_syn"] == "0"
    at.button(key="syn_preset_1").click().run()
    assert at.slider(key="syn_E").value == -75.0 and at.slider(key="syn_tau").value == 10.0
    assert_renders(at, "syn")
    at.radio(key="syn_train").set_value("regular").run()
    assert_renders(at, "syn")


def test_synapse_page_unresolvable_input_warns_instead_of_failing():
    at = run_page(
        "syn", C="0.1", V_reset="-51", t_ref="0", syn_g="50", syn_E="20", syn_I="3",
        syn_rate="100", syn_tau="30",
    )  # fmt: skip
    assert not at.exception
    assert any("cannot be simulated" in w.value for w in at.warning)


def test_shunting_page_numbers():
    at = run_page("sh")
    shown = metrics(at)
    assert shown["Peak I alone"] == "+0.00 mV"  # shunting: no effect on V by itself
    assert shown["Non-linearity"].startswith("−")  # sublinear
    assert shown["τ_eff"] == "5.0 ms"  # C / (1/R + g_inh) = 1 nF / 200 nS
    (table,) = [m.value for m in at.markdown if m.value.startswith("| inhibition |")]
    header, _, *rows = [
        [c.strip() for c in line.strip("|").split("|")] for line in table.splitlines()
    ]
    column = {
        name: [float(r[i].replace("−", "-")) for r in rows]
        for i, name in enumerate(header)
        if i > 0
    }
    assert column["rheobase (nA)"] == [3.0, 4.5]
    assert all(ratio >= 1.0 for ratio in column["slope ratio at 100 Hz"])  # shifted, not divided
    # without inhibition E and I add linearly
    at.slider(key="sh_gi").set_value(0.0).run()
    assert metrics(at)["Non-linearity"] in ("+0.00 mV", "−0.00 mV")


def test_shunting_page_without_excitation_shows_no_ratio():
    """g_E = 0 (the slider's minimum): no EPSP, so no ratio and no percentage (not nan)."""
    at = run_page("sh", sh_ge="0")
    assert not at.exception
    (caption,) = [c.value for c in at.caption if "Passive membrane" in c.value]
    assert "there is no EPSP to compare" in caption and "nan" not in caption
    shown = {m.label: m for m in at.metric}
    assert shown["Peak E alone"].value == "+0.00 mV"
    assert not shown["Non-linearity"].delta  # no "+nan %"


LINKS = {
    "fi": {"fi_Imax": "12.5", "fi_I": "7.3"},
    "syn": {"syn_rate": "35", "syn_g": "12.5", "syn_tau": "8", "syn_E": "-70", "syn_I": "0.5"},
    "sh": {"sh_ge": "55", "sh_gi": "150", "sh_dEi": "-10", "sh_dEh": "-25"},
}


@pytest.mark.parametrize("name", list(PAGES))
def test_link_values_reopen_the_page(name):
    at = run_page(name, **LINKS[name])
    assert_renders(at, name)
    for key, value in LINKS[name].items():
        assert at.slider(key=key).value == pytest.approx(float(value))
    assert not at.warning


@pytest.mark.parametrize("garbage", ["abc", "nan", "1e9", ""])
@pytest.mark.parametrize("name", list(PAGES))
def test_garbage_link_values_fall_back_to_defaults(name, garbage):
    page = PAGES[name]
    at = run_page(name, **dict.fromkeys(page.sliders, garbage))
    assert_renders(at, name)
    for key, default in page.sliders.items():
        assert at.slider(key=key).value == pytest.approx(default)
    if garbage:
        assert at.warning  # the student is told the link value was not used


@pytest.mark.parametrize(("name", "key"), [("fi", "fi_q1"), ("syn", "syn_q1"), ("sh", "sh_q1")])
def test_predict_question_reveals_only_after_a_guess(name, key):
    at = run_page(name)
    assert not at.success and not at.error
    guess = at.radio(key=f"{key}_guess")
    guess.set_value(guess.options[1]).run()
    assert not at.success  # still hidden
    at.button(key=f"{key}_reveal").click().run()
    assert not at.exception
    assert at.success  # option 1 is the right answer on all three pages
