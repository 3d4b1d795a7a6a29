"""The story's pages, in order, and links between them that carry the current values."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import streamlit as st
from streamlit.errors import StreamlitPageNotFoundError

from lab.links import _BOUND, _url_text
from lab.neuron import NEURON_SLIDERS
from lab.present import PRESENT_KEY

__all__ = ["NAV", "NavPage", "link_query", "nav_link"]


@dataclass(frozen=True)
class NavPage:
    """One entry of the sidebar navigation.

    Attributes
    ----------
    path : str
        Page file, relative to ``app.py`` (the form ``st.page_link`` takes).
    label : str
        Link text: the chapter number and the idea of the chapter.
    prefix : str or None
        Key prefix of the page's own URL-bound widgets (``"rc_"`` for ``rc_amp``...),
        so a link to the page can carry their values; ``None`` for the start page.
    """

    path: str
    label: str
    prefix: str | None


#: The story, in order: the sidebar navigation and the start page's chapter list.
#: Replaces Streamlit's automatic navigation, which would label the start page "app".
NAV: tuple[NavPage, ...] = (
    NavPage("app.py", "LIF Lab · start", None),
    NavPage("pages/1_Membrane_RC_circuit.py", "1 · The membrane is an RC circuit", "rc_"),
    NavPage(
        "pages/2_Resting_equilibrium.py", "2 · Resting potential is a stable equilibrium", "eq_"
    ),
    NavPage("pages/3_Threshold_and_spikes.py", "3 · Threshold and reset: spikes", "th_"),
    NavPage("pages/4_Refractory_period_f-I.py", "4 · Refractory period and the f–I curve", "fi_"),
    NavPage("pages/5_Synaptic_conductances.py", "5 · Synapses are conductances", "syn_"),
    NavPage("pages/6_Shunting_inhibition.py", "6 · Shunting inhibition", "sh_"),
    NavPage("pages/7_What_the_LIF_leaves_out.py", "7 · What the LIF leaves out", "bx_"),
    NavPage("pages/8_Noise_and_irregular_firing.py", "8 · Noise and irregular firing", "nz_"),
    NavPage("pages/9_How_the_simulator_works.py", "9 · How the simulator works", "num_"),
)
_NAV_BY_PATH = {n.path: n for n in NAV}


def link_query(page: NavPage | str) -> dict[str, str]:
    """The URL query that carries the current settings to ``page``.

    ``st.page_link`` clears the query string unless it is given one. The query
    holds every sidebar value that differs from its default, and the values of
    ``page``'s own URL-bound widgets set earlier in the session (those of other
    pages stay out of its address bar, as on a page the student opens by hand).

    Parameters
    ----------
    page : NavPage or str
        An entry of :data:`NAV`, or its ``path``.

    Returns
    -------
    dict
        ``{key: text}``, e.g. ``{"R": "40", "rc_amp": "2.5"}``; empty for all defaults.
    """
    entry = _NAV_BY_PATH[page] if isinstance(page, str) else page
    state = st.session_state
    query: dict[str, str] = {}
    for spec in NEURON_SLIDERS:
        if spec.key in state and state[spec.key] != spec.default:
            query[spec.key] = _url_text(float(state[spec.key]))
    if state.get(PRESENT_KEY):  # presenter mode stays on from page to page
        query[PRESENT_KEY] = "true"
    if entry.prefix is not None:
        for key, default_text in state.get(_BOUND, {}).items():
            if key.startswith(entry.prefix) and key in state:
                text = _url_text(state[key])
                if text != default_text:
                    query[key] = text
    return query


def nav_link(page: NavPage | str, label: str | None = None, **kwargs: Any) -> bool:
    """``st.page_link`` to a LIF Lab page that carries the current settings in its URL.

    Parameters
    ----------
    page : NavPage or str
        An entry of :data:`NAV`, or its ``path``.
    label : str, optional
        Link text (Markdown); defaults to the entry's label.
    **kwargs
        Passed on to ``st.page_link`` (``icon``, ``help``...).

    Returns
    -------
    bool
        False if the page is not part of a running multipage app (a page file run
        on its own, e.g. ``AppTest.from_file("pages/...")``); nothing is drawn then.
    """
    entry = _NAV_BY_PATH[page] if isinstance(page, str) else page
    try:
        st.page_link(
            entry.path,
            label=entry.label if label is None else label,
            query_params=link_query(entry) or None,
            **kwargs,
        )
    except StreamlitPageNotFoundError:
        return False
    return True


#: Sidebar page links truncate a long label with "…" on one line; the chapter titles
#: are sentences, so they wrap instead (style-only ``st.html`` takes no space).
_NAV_CSS = """<style>
[data-testid="stSidebar"] [data-testid="stPageLink"] span,
[data-testid="stSidebar"] [data-testid="stPageLink"] p {
  white-space: normal; overflow: visible; text-overflow: clip; line-height: 1.35;
}
</style>"""


def _draw_nav(box: Any) -> None:
    """The story's pages as links, in order, into ``box`` (top of the sidebar)."""
    with box:
        for entry in NAV:
            if not nav_link(entry):
                return  # not inside the app (page run on its own): no navigation
        st.html(_NAV_CSS)
        st.divider()


def _hide_default_nav() -> None:
    """Hide Streamlit's automatic page list; :data:`NAV` replaces it.

    ``client.showSidebarNavigation`` can be set from a script. Streamlit reads it
    when a run starts, so the first run of a fresh server process sets it and
    reruns once; every later run of every session starts with it off.
    """
    if st.get_option("client.showSidebarNavigation") is not False:
        st.set_option("client.showSidebarNavigation", False)
        st.rerun()
