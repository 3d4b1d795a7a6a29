"""Presenter mode: the page as a teacher projects it, switched on by a toggle or a link.

``?present=true`` in a link (or the "Presenter mode" toggle next to the page heading, which
writes it into the address bar) opens LIF Lab ready for a lecture hall:

- the prose is folded away (:func:`prose` draws it in closed expanders, one click away);
- the sidebar starts collapsed, and a compact strip under the heading lists the neuron's
  parameters (open the sidebar to change them);
- the main area uses the whole width, slider labels are 18 px or more, and the charts are
  drawn with 18 px text or more and thicker lines (:func:`lif_figures.spec.display_figure`
  with ``presenting=True``).

The toggle is bound to the URL and kept for the session like every LIF Lab widget, and the
links between pages carry it (:func:`lab.nav.link_query`).
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from lab.links import _run_state
from lab.neuron import NEURON_SLIDERS
from lif_core.params import LIFParams

__all__ = [
    "PRESENTER_CSS",
    "PRESENT_KEY",
    "parameter_strip",
    "presenter_toggle",
    "presenting",
    "prose",
    "wanted",
]

#: Widget key and URL query parameter of presenter mode (``?present=true``).
PRESENT_KEY = "present"

#: Extra style in presenter mode: the whole width, large widget labels.
PRESENTER_CSS = """<style>
[data-testid="stMainBlockContainer"] { padding-left: 1rem; padding-right: 1rem; }
[data-testid="stMainBlockContainer"] [data-testid="stVerticalBlock"] { gap: 0.6rem; }
[data-testid="stMainBlockContainer"] h1 { font-size: 1.6rem; }
[data-testid="stMainBlockContainer"] [data-testid="stWidgetLabel"] p,
[data-testid="stMainBlockContainer"] [data-testid="stWidgetLabel"] span,
[data-testid="stMainBlockContainer"] [data-testid="stRadio"] label p,
[data-testid="stMainBlockContainer"] [data-testid="stCheckbox"] label p {
  font-size: 1.2rem !important; line-height: 1.35;
}
[data-testid="stMainBlockContainer"] [data-testid="stSliderThumbValue"] { font-size: 1.1rem; }
[data-testid="stMainBlockContainer"] [data-testid="stMetricLabel"] p { font-size: 1.1rem; }
.st-key-lif-strip p { font-size: 1.1rem; }
</style>"""


def wanted() -> bool:
    """Whether this run is in presenter mode, read before any widget exists.

    The toggle's state if it has one this session, else the link's ``present`` value (a
    teacher's link opens in presenter mode before the toggle is drawn).
    """
    if PRESENT_KEY in st.session_state:
        return bool(st.session_state[PRESENT_KEY])
    raw = st.query_params.get_all(PRESENT_KEY)
    return len(raw) == 1 and raw[0].lower() in ("true", "1")


def presenter_toggle() -> bool:
    """The "Presenter mode" toggle (bound to the URL, kept for the session); returns its state."""
    on = st.toggle(
        "Presenter mode",
        value=False,
        key=PRESENT_KEY,
        help="For a projector: charts with large text and thick lines, the explanations "
        "folded away, the sidebar closed (its values are listed under the heading). It is "
        "part of the link: share the address to open LIF Lab in presenter mode.",
        bind="query-params",
        persist_state="session",
    )
    _run_state()["presenting"] = bool(on)
    return bool(on)


def presenting() -> bool:
    """Whether the page is in presenter mode (this run)."""
    run = _run_state()
    if "presenting" in run:
        return bool(run["presenting"])
    return wanted()


def prose(label: str) -> Any:
    """A block for explanations, equations, questions: shown in place, folded in presenter mode.

    Parameters
    ----------
    label : str
        What the block holds, e.g. ``"The idea and the equations"``: the label of the
        (closed) expander that holds it in presenter mode.

    Returns
    -------
    streamlit container
        Use it with ``with`` or call ``.columns(...)`` on it.
    """
    if presenting():
        return st.expander(label, expanded=False, icon=":material/menu_book:")
    return st.container()


def _value_text(spec, value: float) -> str:
    decimals = len(f"{spec.step:.10f}".rstrip("0").split(".")[1]) if spec.step < 1 else 0
    return f"{value:.{decimals}f} {spec.unit}".replace("-", "−")


def parameter_strip(box, values: dict[str, float], params: LIFParams) -> None:
    """The neuron's parameters in one line (presenter mode: the sidebar is closed).

    Parameters
    ----------
    box : streamlit container
        Where to draw the strip (a placeholder under the heading).
    values : dict
        The sidebar sliders' display values (``{"R": 10.0, ...}``).
    params : LIFParams
        The neuron the page computes with (for τ).
    """
    parts = [
        f"{spec.key} = {_value_text(spec, values[spec.key])}"
        for spec in NEURON_SLIDERS
        if spec.key in values
    ]
    tau = f"τ = {params.tau * 1e3:.1f} ms"
    with box.container(key="lif-strip"):
        st.markdown(
            "**Neuron** " + " · ".join([*parts[:2], tau, *parts[2:]]),
            help="Open the sidebar (arrow at the top left) to change the neuron.",
        )
