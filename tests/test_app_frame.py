"""The shared frame (lab_ui + app.py) in Streamlit's AppTest.

Covers: the start page; the sidebar navigation (labels in story order on every page,
links that carry the current values); every sidebar slider at its minimum and maximum; values
from the link; unusable link values (text, nan, inf, out of range, repeated,
empty) falling back to the default with a visible notice; the preset picker;
the reset button; an impossible neuron (V_reset >= V_th); the predict-then-reveal
widget; the unit-formatting helper.
"""

from __future__ import annotations

import urllib.parse
from pathlib import Path

import pytest
import streamlit as st
from sidebar_defaults import SIDEBAR_DEFAULTS

import lab_ui
from lif_core import PRESETS
from lif_core.units import from_si

ROOT = Path(__file__).resolve().parents[1]
HOME = "app.py"
SPIKES = "pages/3_Threshold_and_spikes.py"
#: Sidebar slider labels, as the link notices name them.
LABELS = {spec.key: spec.label for spec in lab_ui.NEURON_SLIDERS}


def sidebar_values(at) -> dict[str, float]:
    return {key: at.slider(key=key).value for key in SIDEBAR_DEFAULTS}


def readouts(at) -> str:
    return " ".join(m.value for m in at.sidebar.markdown)


# --------------------------------------------------------------------------- start page


def test_start_page_renders(apptest, run_page):
    at = run_page(HOME)
    apptest.assert_no_exception(at)
    assert at.title[0].value == "LIF Lab"
    text = " ".join(m.value for m in at.markdown)
    for needle in (
        "Lapicque",
        "Brunel",
        "Biol Cybern* 97:337",
        "Abbott LF (1999)",
        "Brain Res Bull* 50:303",
        "Spiking Neuron Models",
        "§4.1",
        "Dayan P, Abbott LF (2001)",
        "Neuronal Dynamics",
        "relative to rest",
        "address bar",
        "PNG",
    ):
        assert needle in text, needle
    assert sidebar_values(at) == SIDEBAR_DEFAULTS
    assert "10.0 ms" in readouts(at) and "1.50 nA" in readouts(at)
    assert not apptest.warnings_text(at)


# --------------------------------------------------------------------------- navigation

#: URL path of each page (file name without the number prefix; "" for the start page).
URL_PATHS = ["", *(Path(e.path).stem.split("_", 1)[1] for e in lab_ui.NAV[1:])]


def nav_links(at) -> list:
    """The page links at the top of the sidebar (protos: label, page, query_string)."""
    return [el.proto for el in at.sidebar.get("page_link")]


def link_query(link) -> dict[str, str]:
    return dict(urllib.parse.parse_qsl(link.query_string))


def test_nav_table_matches_the_page_files():
    chapters = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "pages").glob("[0-9]*.py"))
    assert [entry.path for entry in lab_ui.NAV] == ["app.py", *chapters]
    assert lab_ui.NAV[0].label == "LIF Lab · start"
    # each label starts with its file's chapter number ("4 · ...", pages/4_...)
    numbers = [Path(entry.path).stem.split("_")[0] for entry in lab_ui.NAV[1:]]
    assert [entry.label.split(" · ")[0] for entry in lab_ui.NAV[1:]] == numbers


@pytest.mark.parametrize("entry", lab_ui.NAV, ids=[e.path for e in lab_ui.NAV])
def test_navigation_on_every_page_in_story_order(apptest, entry):
    """Every page shows the same seven links, in story order, with readable labels."""
    at = apptest.make_app(HOME)
    at.run()
    if entry.path != HOME:
        at.switch_page(entry.path).run()
    apptest.assert_no_exception(at)
    links = nav_links(at)
    assert [link.label for link in links] == [e.label for e in lab_ui.NAV]
    assert [link.page for link in links] == URL_PATHS
    if entry.path != HOME:
        assert at.title[0].value == entry.label  # the heading is the link's label
    # Streamlit's automatic page list (which calls the start page "app") is switched off
    assert st.get_option("client.showSidebarNavigation") is False


def test_nav_links_carry_the_sidebar_values(apptest):
    """Links carry every non-default sidebar value, from the link and set by hand."""
    at = apptest.make_app(HOME, {"R": "40"})
    at.run()
    for link in nav_links(at):
        assert link_query(link) == {"R": "40"}, link.label
    at.slider(key="C").set_value(0.5).run()
    at.slider(key="R").set_value(10.0).run()  # back to its default: not in the links
    for link in nav_links(at):
        assert link_query(link) == {"C": "0.5"}, link.label


def test_nav_link_carries_the_target_pages_own_values(apptest):
    """A link to a chapter carries the values its own sliders had; other chapters' stay out."""
    at = apptest.make_app(HOME)
    at.run()
    at.switch_page("pages/1_Membrane_RC_circuit.py").run()
    at.slider(key="rc_amp").set_value(2.5).run()
    at.switch_page("pages/3_Threshold_and_spikes.py").run()
    at.radio(key="th_kind").set_value("step").run()
    apptest.assert_no_exception(at)
    queries = {link.page: link_query(link) for link in nav_links(at)}
    assert queries["Membrane_RC_circuit"] == {"rc_amp": "2.5"}
    assert queries["Threshold_and_spikes"] == {"th_kind": "step"}
    assert queries[""] == {} and queries["Resting_equilibrium"] == {}
    # and the value is still there when the student comes back
    at.switch_page("pages/1_Membrane_RC_circuit.py").run()
    assert at.slider(key="rc_amp").value == 2.5


def test_start_page_lists_the_chapters_with_links(apptest, run_page):
    at = run_page(HOME, {"t_ref": "5"})
    body = [el.proto for el in at.main.get("page_link")]
    assert [link.page for link in body] == URL_PATHS[1:]
    assert [link.label for link in body] == [f"**{e.label}**" for e in lab_ui.NAV[1:]]
    assert all(link_query(link) == {"t_ref": "5"} for link in body)


def test_page_run_on_its_own_has_no_navigation(apptest, run_page):
    """Outside the multipage app (a page file run alone) the links cannot resolve: none drawn."""
    at = run_page(SPIKES)
    apptest.assert_no_exception(at)
    assert nav_links(at) == []


def test_sidebar_slider_ranges_match_lab_ui():
    specs = {s.key: s for s in lab_ui.NEURON_SLIDERS}
    assert set(specs) == set(SIDEBAR_DEFAULTS)
    for key, default in SIDEBAR_DEFAULTS.items():
        assert specs[key].default == default
        assert specs[key].min_value <= default <= specs[key].max_value


def test_every_sidebar_slider_at_min_and_max(apptest):
    """Each sidebar slider at its extremes (the others at defaults) renders a working page."""
    at = apptest.make_app(SPIKES)
    at.run()
    for spec in lab_ui.NEURON_SLIDERS:
        for value in (spec.min_value, spec.max_value):
            at.slider(key=spec.key).set_value(value).run()
            apptest.assert_no_exception(at)
            assert at.slider(key=spec.key).value == value
            assert len(apptest.plotly_figures(at)) == 1, (spec.key, value)
        at.slider(key=spec.key).set_value(spec.default).run()


# --------------------------------------------------------------------------- links


def test_link_values_reopen_the_page(apptest, run_page):
    at = run_page(HOME, {"R": "40", "C": "0.5", "t_ref": "5"})
    apptest.assert_no_exception(at)
    vals = sidebar_values(at)
    assert vals["R"] == 40.0 and vals["C"] == 0.5 and vals["t_ref"] == 5.0
    assert "20.0 ms" in readouts(at)  # tau = 40 MΩ * 0.5 nF
    assert "0.38 nA" in readouts(at)  # rheobase = 15 mV / 40 MΩ
    assert not apptest.warnings_text(at)
    assert at.query_params["R"] == "40"


def test_link_values_reach_the_simulation(apptest, run_page):
    at = run_page(SPIKES, {"V_th": "-40", "V_reset": "-70"})
    apptest.assert_no_exception(at)
    (fig,) = apptest.plotly_figures(at)
    assert apptest.trace(fig, "threshold")["y"][0] == pytest.approx(-40.0)
    assert apptest.trace(fig, "reset")["y"][0] == pytest.approx(-70.0)


BAD_VALUES = {
    "text": ("abc", "is not a number"),
    "nan": ("nan", "is not a finite number"),
    "inf": ("inf", "is not a finite number"),
    "-inf": ("-inf", "is not a finite number"),
    "too big": ("1e9", "outside the allowed range"),
    "too small": ("0", "outside the allowed range"),
    "empty": ("", "is not a number"),
    "repeated": (["20", "30"], "appears 2 times"),
}


@pytest.mark.parametrize("case", BAD_VALUES)
def test_garbage_in_the_link_gives_default_and_notice(apptest, run_page, case):
    value, reason = BAD_VALUES[case]
    at = run_page(HOME, {"R": value})
    apptest.assert_no_exception(at)
    assert at.slider(key="R").value == SIDEBAR_DEFAULTS["R"]
    notes = [w for w in apptest.warnings_text(at) if "**Membrane resistance $R$**:" in w]
    assert len(notes) == 1, apptest.warnings_text(at)
    assert reason in notes[0]
    assert "using the default 10 MΩ" in notes[0]
    assert "R" not in at.query_params  # Streamlit removed the unusable value


@pytest.mark.parametrize("key", list(SIDEBAR_DEFAULTS))
def test_garbage_for_every_sidebar_key(apptest, run_page, key):
    """A bad value for one key falls back to its default; a good one beside it is kept."""
    other, good = ("C", 0.5) if key != "C" else ("R", 20.0)
    at = run_page(SPIKES, {key: "oops", other: str(good)})
    apptest.assert_no_exception(at)
    assert at.slider(key=key).value == SIDEBAR_DEFAULTS[key]
    assert at.slider(key=other).value == good
    assert any(f"**{LABELS[key]}**:" in w for w in apptest.warnings_text(at))
    assert len(apptest.plotly_figures(at)) == 1


def test_markdown_in_a_link_is_shown_as_code(apptest, run_page):
    at = run_page(HOME, {"C": "**bold** [x](http://e.com)`"})
    (note,) = [w for w in apptest.warnings_text(at) if "**Membrane capacitance $C$**:" in w]
    assert "`**bold** [x](http://e.com)'`" in note


def test_notice_stays_until_dismissed(apptest):
    at = apptest.make_app(HOME, {"t_ref": "-1"})
    at.run()
    assert any("**Refractory period $t_{ref}$**:" in w for w in apptest.warnings_text(at))
    at.slider(key="R").set_value(20.0).run()  # a later rerun: still visible
    assert any("**Refractory period $t_{ref}$**:" in w for w in apptest.warnings_text(at))
    at.button(key="_lab_dismiss").click().run()
    apptest.assert_no_exception(at)
    assert not any("**Refractory period $t_{ref}$**:" in w for w in apptest.warnings_text(at))


# --------------------------------------------------------------------------- presets, reset


@pytest.mark.parametrize("name", list(PRESETS))
def test_preset_picker_sets_all_sliders(apptest, name):
    at = apptest.make_app(HOME)
    at.run()
    at.selectbox(key="_lab_preset").select(name).run()
    apptest.assert_no_exception(at)
    p = PRESETS[name].params
    vals = sidebar_values(at)
    for spec in lab_ui.NEURON_SLIDERS:
        expected = float(from_si(getattr(p, spec.key), spec.unit))
        assert vals[spec.key] == pytest.approx(expected), spec.key
    captions = " ".join(c.value for c in at.sidebar.caption)
    assert f"**{name}** preset" in captions and PRESETS[name].source in captions
    assert at.selectbox(key="_lab_preset").value is None  # the picker is an action
    # the preset's values are in the link
    if p.E_L != -65e-3:
        assert at.query_params["E_L"] == f"{from_si(p.E_L, 'mV'):g}"


def test_preset_sources_listed(apptest):
    at = apptest.make_app(HOME)
    at.run()
    text = " ".join(m.value for m in at.sidebar.markdown)
    for preset in PRESETS.values():
        assert preset.source in text


def test_reset_button_restores_defaults(apptest):
    at = apptest.make_app(HOME, {"R": "40", "E_L": "-70"})
    at.run()
    at.slider(key="t_ref").set_value(10.0).run()
    assert sidebar_values(at) != SIDEBAR_DEFAULTS
    reset = next(b for b in at.sidebar.button if b.label == "Reset to defaults")
    reset.click().run()
    apptest.assert_no_exception(at)
    assert sidebar_values(at) == SIDEBAR_DEFAULTS


# --------------------------------------------------------------------------- impossible neuron


def test_impossible_combination_warns_and_uses_defaults(apptest, run_page):
    at = run_page(SPIKES, {"V_reset": "-45", "V_th": "-50"})
    apptest.assert_no_exception(at)
    (warning,) = [w for w in apptest.warnings_text(at) if "Impossible neuron" in w]
    assert "-45 mV" in warning and "-50 mV" in warning
    (fig,) = apptest.plotly_figures(at)  # the page still works, on the default neuron
    assert apptest.trace(fig, "reset")["y"][0] == pytest.approx(-65.0)
    assert "(defaults in use)" not in readouts(at)
    assert any("default neuron" in c.value for c in at.sidebar.caption)


def test_impossible_combination_by_hand_then_fixed(apptest):
    at = apptest.make_app(SPIKES)
    at.run()
    at.slider(key="V_reset").set_value(-40.0).run()
    assert any("Impossible neuron" in w for w in apptest.warnings_text(at))
    at.slider(key="V_th").set_value(-35.0).run()
    apptest.assert_no_exception(at)
    assert not any("Impossible neuron" in w for w in apptest.warnings_text(at))
    (fig,) = apptest.plotly_figures(at)
    assert apptest.trace(fig, "threshold")["y"][0] == pytest.approx(-35.0)


# --------------------------------------------------------------------------- predict


def test_predict_hides_the_answer_until_committed(apptest):
    at = apptest.make_app("pages/1_Membrane_RC_circuit.py")
    at.run()
    reveal = at.button(key="rc_q1_reveal")
    assert reveal.disabled  # no guess yet
    assert not at.success and not at.error
    assert not any("0.632" in m.value for m in at.markdown)  # explanation hidden
    at.radio(key="rc_q1_guess").set_value("50 %").run()
    assert not at.success and not at.error  # choosing is not committing
    at.button(key="rc_q1_reveal").click().run()
    apptest.assert_no_exception(at)
    assert "The answer is **about 63 %**" in at.error[0].value
    assert any("0.632" in m.value for m in at.markdown)
    assert at.radio(key="rc_q1_guess").disabled  # the guess is locked
    at.button(key="rc_q1_again").click().run()
    assert at.radio(key="rc_q1_guess").value is None
    at.radio(key="rc_q1_guess").set_value("about 63 %").run()
    at.button(key="rc_q1_reveal").click().run()
    assert "Right" in at.success[0].value


def test_predict_rejects_bad_answer_index():
    with pytest.raises(ValueError, match="answer_index"):
        lab_ui.predict("x", "q", ["a"], 3, "e")


# --------------------------------------------------------------------------- helpers


@pytest.mark.parametrize(
    ("value", "unit", "decimals", "text"),
    [
        (0.01, "ms", 1, "10.0 ms"),
        (-0.065, "mV", 0, "−65 mV"),
        (1.5e-9, "nA", 2, "1.50 nA"),
        (float("nan"), "ms", 1, "–"),
        (float("inf"), "Hz", 1, "∞ Hz"),
    ],
)
def test_fmt(value, unit, decimals, text):
    assert lab_ui.fmt(value, unit, decimals) == text
