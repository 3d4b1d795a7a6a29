"""The frame of every page: :func:`page_setup` draws the heading, the sidebar and notices.

The sidebar holds the story's pages as links (:data:`lab.nav.NAV`, replacing Streamlit's
automatic page list; each link carries the current values in its URL) and the "Neuron"
panel, whose sliders are bound to the URL (``bind="query-params"``) and kept for the whole
session (``persist_state="session"``), so parameter values survive page switches and a link
copied from the address bar reopens the app with the same values.
"""

from __future__ import annotations

import math
from typing import Any

import streamlit as st
from streamlit.elements import exception as _st_exception

from lab import layout, present
from lab.links import (
    _RUN,
    _check_link_value,
    _decimals,
    _draw_notices,
    _fmt,
    _keep,
    _restore_in_url,
    _to_display,
)
from lab.nav import _draw_nav, _hide_default_nav
from lab.neuron import _DEFAULTS, NEURON_SLIDERS, default_display_values
from lab.widgets import fmt
from lif_core import theory
from lif_core.params import PRESETS, LIFParams
from lif_core.units import to_si

__all__ = ["ERROR_MESSAGE", "FAVICON_SVG", "fires_without_input", "page_setup"]

#: The browser tab's icon, a lightning bolt drawn inline: Streamlit sends an SVG string as a
#: data URL, so the icon needs no request. (``":material/bolt:"`` made every page load fetch
#: it from fonts.gstatic.com: a broken icon and a failed request in a classroom offline.)
FAVICON_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24">'
    '<path d="M14 1 3 14h7.5L9 23l12-14h-7.5z" fill="#E69F00" stroke="#5c3d00" '
    'stroke-width="1.2" stroke-linejoin="round"/></svg>'
)

#: What students see instead of an exception's message and traceback when a page fails:
#: ``client.showErrorDetails = "none"`` (.streamlit/config.toml) makes Streamlit show its
#: generic text, replaced here by LIF Lab's own, and the full traceback still goes to the
#: server's log. (Streamlit's generic text speaks of data leaks and Streamlit Cloud.)
ERROR_MESSAGE = (
    "Sorry, something went wrong on this page. Try undoing your last change or pressing "
    "'Reset to defaults' in the sidebar; reloading the page starts it afresh. If it happens "
    "again, tell your teacher what you changed: the details were written to the server's log."
)
_st_exception._GENERIC_UNCAUGHT_EXCEPTION_TEXT = ERROR_MESSAGE


_PRESET = "_lab_preset"


def _apply_values(values: dict[str, float]) -> None:
    for key, value in values.items():
        st.session_state[key] = value


def _apply_preset() -> None:
    name = st.session_state.get(_PRESET)
    if name is None or name not in PRESETS:
        return
    params = PRESETS[name].params
    _apply_values(
        {s.key: _to_display(getattr(params, s.key), s.unit, s.step) for s in NEURON_SLIDERS}
    )
    st.session_state[_PRESET] = None  # the picker is an action, not a state


def _reset_defaults() -> None:
    _apply_values(default_display_values())


def _matching_preset(values: dict[str, float]) -> str | None:
    for name, preset in PRESETS.items():
        p = preset.params
        if all(
            math.isclose(values[s.key], _to_display(getattr(p, s.key), s.unit, s.step))
            for s in NEURON_SLIDERS
        ):
            return name
    return None


def fires_without_input(params: LIFParams) -> bool:
    """Whether the neuron fires with no input at all: its resting potential is above threshold.

    Then :math:`V` heads for :math:`E_L`, meets :math:`V_{th}` on the way and fires, again
    and again; the rheobase :math:`(V_{th} - E_L)/R` is negative.
    """
    return bool(params.E_L > params.V_th)


def _rest_vs_threshold(params: LIFParams) -> None:
    """Say what a resting potential at or above the threshold means (main area of the page)."""
    E_L, V_th = fmt(params.E_L, "mV", 0), fmt(params.V_th, "mV", 0)
    if fires_without_input(params):
        st.warning(
            f"**This neuron fires on its own.** Its resting potential E_L = {E_L} is above its "
            f"threshold V_th = {V_th}, so it never rests: with no input at all, V heads for "
            f"E_L, reaches the threshold on the way and fires, "
            f"{fmt(theory.firing_rate(params, 0.0), 'Hz', 0)} with these values. Its rheobase "
            f"(V_th − E_L)/R = {fmt(params.rheobase, 'nA', 2)} is negative: only a "
            f"hyperpolarising current below that keeps it silent. Real neurons rest below "
            f"threshold: lower E_L or raise V_th in the sidebar.",
            icon=":material/warning:",
        )
    elif params.E_L == params.V_th:
        st.info(
            f"**Resting exactly at threshold:** E_L = V_th = {V_th}. Without input, V creeps "
            f"up to the threshold but never quite reaches it; the smallest positive current "
            f"makes the neuron fire (rheobase 0 nA).",
            icon=":material/info:",
        )


def page_setup(title: str) -> LIFParams:
    """Set up a LIF Lab page and return the neuron parameters chosen in the sidebar.

    Call it first on every page. It configures the page (wide layout), draws the
    page heading, the sidebar "Neuron" panel (sliders bound to the URL and kept
    across pages, live tau and rheobase, preset picker with sources, reset
    button) and notices about unusable link values.

    Parameters
    ----------
    title : str
        Page title, shown as the heading and in the browser tab.

    Returns
    -------
    LIFParams
        Valid parameters in SI units. If the sidebar holds an impossible
        combination (``V_reset >= V_th``) a warning is shown and the defaults
        ``LIFParams()`` are returned, so the page keeps working.
    """
    presenting = present.wanted()
    st.set_page_config(
        page_title=f"{title} · LIF Lab",
        page_icon=FAVICON_SVG,
        layout="wide",
        # presenter mode: the sidebar is closed, its values listed under the heading
        initial_sidebar_state="collapsed" if presenting else "auto",
    )
    _hide_default_nav()
    # Read the link before any bound widget exists: Streamlit drops invalid values.
    link = {k: st.query_params.get_all(k) for k in st.query_params}
    run: dict[str, Any] = {
        "title": title,
        "link": link,
    }
    st.session_state[_RUN] = run

    layout.page_frame(presenting)
    with st.container(horizontal=True, vertical_alignment="center", key="lif-head"):
        st.title(title)
        presenting = present.presenter_toggle()
    if presenting:
        st.html(present.PRESENTER_CSS)
    strip = st.empty()
    run["notice_box"] = st.empty()
    run["dismiss_slot"] = st.empty()
    _draw_notices()

    missing: dict[str, float] = {}
    for spec in NEURON_SLIDERS:
        missing.update(_keep(spec.key, spec.default))
    _restore_in_url(missing)
    values: dict[str, float] = {}
    nav_box = st.sidebar.container()  # filled last: the links carry this run's values
    with st.sidebar:
        st.header("Neuron")
        for spec in NEURON_SLIDERS:
            values[spec.key] = st.slider(
                f"{spec.label} ({spec.unit})",
                min_value=spec.min_value,
                max_value=spec.max_value,
                value=spec.default,
                step=spec.step,
                format=f"%.{_decimals(spec.step)}f",
                key=spec.key,
                help=spec.help,
                bind="query-params",
                persist_state="session",
            )
        for spec in NEURON_SLIDERS:
            _check_link_value(
                spec.key,
                spec.label,
                spec.min_value,
                spec.max_value,
                spec.unit,
                f"{_fmt(spec.default, spec.step)} {spec.unit}",
            )

        si = {s.key: to_si(values[s.key], s.unit) for s in NEURON_SLIDERS}
        problem = None
        try:
            params = LIFParams(**si)
        except ValueError as err:
            problem = str(err)
            params = _DEFAULTS

        # Two short lines (not st.metric columns, which cut the values to "10.0 …" in a
        # 300 px sidebar); short enough that the help icon stays on the second line.
        st.markdown(
            f"τ = RC = **{fmt(params.tau, 'ms')}**  \n"
            f"Rheobase = **{fmt(params.rheobase, 'nA', 2)}**",
            help="**τ = RC**, the membrane time constant: V covers 63 % of the way to its "
            "target in one τ.  \n**Rheobase** (V_th − E_L)/R: the smallest constant current "
            "that makes the neuron fire.",
        )
        if problem is not None:
            st.caption("Readouts show the default neuron (see the warning).")
        elif fires_without_input(params):
            st.caption(
                f"**E_L above V_th: fires on its own**, "
                f"{fmt(theory.firing_rate(params, 0.0), 'Hz', 0)} with no input."
            )

        st.selectbox(
            "Load a textbook preset",
            options=list(PRESETS),
            index=None,
            placeholder="Choose a preset…",
            key=_PRESET,
            on_change=_apply_preset,
            help="Sets all sliders at once. Sources: "
            + "; ".join(f"**{p.name}**: {p.source}" for p in PRESETS.values()),
        )
        match = _matching_preset(values)
        if match is not None:
            st.caption(f"Current values: **{match}** preset. Source: {PRESETS[match].source}.")
        with st.expander("Preset sources"):
            for preset in PRESETS.values():
                st.markdown(f"**{preset.name}.** {preset.source}.")
        st.button("Reset to defaults", on_click=_reset_defaults, width="stretch")
        st.caption("Share the current settings by copying the link in the address bar.")
    _draw_nav(nav_box)
    if presenting:
        present.parameter_strip(strip, values, params)

    if problem is not None:
        st.warning(
            f"**Impossible neuron:** the reset potential V_reset = "
            f"{_fmt(values['V_reset'], 1.0)} mV must be below the threshold V_th = "
            f"{_fmt(values['V_th'], 1.0)} mV, otherwise the neuron would fire again at once. "
            f"This page uses the default neuron until you lower V_reset or raise V_th "
            f"in the sidebar.",
            icon=":material/warning:",
        )
    _rest_vs_threshold(params)
    # the neuron the page computes with, for the charts' live previews (none if impossible)
    run["params"] = params if problem is None else None
    return params
