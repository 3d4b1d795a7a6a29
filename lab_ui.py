"""Streamlit helpers shared by every LIF Lab page: the neuron sidebar and the page widgets.

Every page (and ``app.py``) calls :func:`page_setup` first. It draws the
sidebar: the story's pages as links (:data:`NAV`, replacing Streamlit's
automatic page list; each link carries the current values in its URL) and the
"Neuron" panel, whose sliders are bound to the URL
(``bind="query-params"``) and kept for the whole session
(``persist_state="session"``), so parameter values survive page switches and
a link copied from the address bar reopens the app with the same values.

Streamlit 1.67 silently drops a bound query value it cannot use (text, ``nan``,
``inf``, out of range, repeated) and shows the widget default. This module
reads ``st.query_params`` *before* creating the widgets and tells the student
when a value from the link was not used, so a typo in a shared link is never
silently "corrected".

Streamlit is imported only here, in :mod:`lab_cache`, :mod:`lab_chart` (the chart
element) and the page files. Unit conversion goes through :mod:`lif_core.units`.
"""

from __future__ import annotations

import gc
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import streamlit as st
from streamlit.elements import exception as _st_exception
from streamlit.errors import StreamlitAPIException, StreamlitPageNotFoundError
from streamlit.runtime.scriptrunner import get_script_run_ctx

import lab_chart
from lif_core import theory
from lif_core.params import PRESETS, LIFParams
from lif_core.units import from_si, to_si
from lif_figures.spec import display_figure

__all__ = [
    "NAV",
    "NEURON_SLIDERS",
    "NavPage",
    "SliderSpec",
    "chart",
    "checkbox",
    "choice",
    "default_display_values",
    "fires_without_input",
    "fmt",
    "in_fragment_rerun",
    "link_query",
    "metric",
    "nav_link",
    "page_setup",
    "predict",
    "slider",
    "try_this",
]

_DEFAULTS = LIFParams()

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


@dataclass(frozen=True)
class SliderSpec:
    """One sidebar slider: the parameter it sets and its range in display units.

    Attributes
    ----------
    key : str
        Field of :class:`lif_core.LIFParams`; also the widget key and URL query parameter.
    label : str
        Slider label (Markdown; the unit is appended).
    unit : str
        Display unit, a key of :data:`lif_core.units.UNITS`.
    min_value, max_value, step : float
        Range and step in display units.
    help : str
        Tooltip.
    """

    key: str
    label: str
    unit: str
    min_value: float
    max_value: float
    step: float
    help: str

    @property
    def default(self) -> float:
        """Default value in display units (from ``LIFParams()``)."""
        return _to_display(getattr(_DEFAULTS, self.key), self.unit, self.step)


#: The sidebar "Neuron" panel, in display order. Ranges are physiologically plausible
#: for a point-neuron model of a cortical cell (tau = R*C from 0.1 ms to 400 ms).
NEURON_SLIDERS: tuple[SliderSpec, ...] = (
    SliderSpec(
        "R",
        "Membrane resistance $R$",
        "MΩ",
        1.0,
        200.0,
        1.0,
        "Leak (input) resistance. A current I moves the steady state by R·I: 10 MΩ × 1 nA = 10 mV.",
    ),
    SliderSpec(
        "C",
        "Membrane capacitance $C$",
        "nF",
        0.1,
        2.0,
        0.05,
        "About 1 µF/cm² of membrane: 1 nF is a cell of roughly 0.1 mm² surface.",
    ),
    SliderSpec(
        "E_L",
        "Resting potential $E_L$",
        "mV",
        -90.0,
        -50.0,
        1.0,
        "Leak reversal potential: where V settles without input.",
    ),
    SliderSpec(
        "V_th",
        "Threshold $V_{th}$",
        "mV",
        -70.0,
        -30.0,
        1.0,
        "When V reaches the threshold the model emits a spike and resets.",
    ),
    SliderSpec(
        "V_reset",
        "Reset potential $V_{reset}$",
        "mV",
        -90.0,
        -40.0,
        1.0,
        "V is set to this value after each spike. Must be below the threshold.",
    ),
    SliderSpec(
        "t_ref",
        "Refractory period $t_{ref}$",
        "ms",
        0.0,
        20.0,
        0.5,
        "After a spike V is held at the reset for this long.",
    ),
)

_SPEC = {s.key: s for s in NEURON_SLIDERS}


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

# Session-state keys used internally (underscore: never bound to the URL).
_RUN = "_lab_run"  # per-run scratch: link snapshot, notice container
_NOTICES = "_lab_notices"  # page title -> {widget key: notice about its link value}
_PRESET = "_lab_preset"
_BOUND = "_lab_bound"  # URL-bound page widget key -> its default as URL text


# --------------------------------------------------------------------------- helpers


def _decimals(step: float) -> int:
    """Number of decimals needed to show multiples of ``step``."""
    text = f"{step:.10f}".rstrip("0")
    return len(text.split(".")[1]) if "." in text else 0


def _to_display(value_si: float, unit: str, step: float) -> float:
    """SI value -> display units, rounded to the slider's step precision."""
    return round(float(from_si(value_si, unit)), _decimals(step) + 2)


def _fmt(value: float, step: float) -> str:
    return f"{value:.{_decimals(step)}f}"


def _quote(text: str, limit: int = 40) -> str:
    """A link value shown safely as inline code (no Markdown injection)."""
    text = text.replace("`", "'").replace("\n", " ")
    if len(text) > limit:
        text = text[:limit] + "…"
    return f"`{text}`" if text else "an empty value"


def default_display_values() -> dict[str, float]:
    """Default sidebar values in display units, by key (``{"R": 10.0, ...}``)."""
    return {s.key: s.default for s in NEURON_SLIDERS}


def _run_state() -> dict[str, Any]:
    return st.session_state.setdefault(_RUN, {})


def _link_problem(raw: list[str], min_value: float, max_value: float, unit: str) -> str | None:
    """Why Streamlit will not use a numeric link value, or ``None`` if it will.

    This mirrors what Streamlit 1.67 does with a value for a bound slider: it
    parses it with ``float()`` and drops it if that fails, if it is not finite,
    outside ``[min_value, max_value]`` or repeated. The widget's value is not
    compared: on same-page reruns ``st.query_params`` is not refreshed and may
    hold a value the student has since changed.
    """
    if len(raw) != 1:
        return f"appears {len(raw)} times in the link"
    try:
        number = float(raw[0])
    except ValueError:
        return "is not a number"
    if not math.isfinite(number):
        return "is not a finite number"
    if number < min_value or number > max_value:
        return f"is outside the allowed range {min_value:g} to {max_value:g} {unit}".rstrip()
    return None


def _add_notice(key: str, text: str) -> None:
    """Note an unusable link value for the widget ``key``, kept until dismissed.

    All notices of a page share one box at its top (:func:`_draw_notices`), one line per
    widget: a later link's notice about the same widget replaces the earlier one.
    """
    title = _run_state().get("title", "")
    notices: dict[str, dict[str, str]] = st.session_state.setdefault(_NOTICES, {})
    page_notices = notices.setdefault(title, {})
    if page_notices.get(key) == text:
        return
    page_notices[key] = text
    _draw_notices()


def in_fragment_rerun() -> bool:
    """Whether this run reruns only a fragment (``st.fragment``) rather than the page.

    Elements outside the fragment, such as the notice box at the top of the page, cannot
    be written to then; notices raised during a fragment rerun are drawn on the next
    full run (they are kept in the session state).
    """
    ctx = get_script_run_ctx()
    return bool(ctx is not None and ctx.fragment_ids_this_run)


def _draw_notices() -> None:
    """(Re)draw the page's link notices as one warning box, a line per widget."""
    if in_fragment_rerun():
        return
    run = _run_state()
    notices = st.session_state.get(_NOTICES, {}).get(run.get("title", ""), {})
    if not notices:
        return
    lines = "\n".join(f"- {line}" for line in notices.values())
    text = f"**Some values in the link could not be used:**\n{lines}"
    box = run.get("notice_box")
    target = box if box is not None else st
    target.warning(text, icon=":material/link_off:")
    slot = run.get("dismiss_slot")
    if slot is not None and not run.get("dismiss_drawn"):
        run["dismiss_drawn"] = True
        slot.button("Dismiss link notices", key="_lab_dismiss", on_click=_dismiss_notices)


def _dismiss_notices() -> None:
    title = _run_state().get("title", "")
    st.session_state.setdefault(_NOTICES, {}).pop(title, None)


def _link_notice(label: str, raw: list[str], problem: str, default_text: str) -> str:
    """One line of the link notice, naming the widget by its label as the page shows it."""
    shown = ", ".join(_quote(r) for r in raw) if raw else "an empty value"
    return (
        f"**{label}**: the link gives {shown}, which {problem}; using the default {default_text}."
    )


def _check_link_value(
    key: str, label: str, min_value: float, max_value: float, unit: str, default_text: str
) -> None:
    """Add a notice if the link (read before the widgets) had an unusable value for ``key``."""
    raw = _run_state().get("link", {}).get(key)
    if raw is None:
        return
    problem = _link_problem(raw, min_value, max_value, unit)
    if problem is None:
        return
    minus = str.maketrans("-", "−")  # numbers with a true minus sign, as in the readouts
    _add_notice(
        key, _link_notice(label, raw, problem.translate(minus), default_text.translate(minus))
    )


# --------------------------------------------------------------------------- callbacks


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


# --------------------------------------------------------------------------- page frame


def _url_number(value: float) -> str:
    return f"{value:.10g}"


def _url_text(value: Any) -> str:
    """A widget value as Streamlit 1.67 writes it into the URL (5.0 -> "5", True -> "true")."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and math.isfinite(value) and value == int(value):
        return str(int(value))
    return str(value)


def _register(key: str, default: Any) -> None:
    """Remember a page widget bound to the URL, so links to its page can carry its value."""
    st.session_state.setdefault(_BOUND, {})[key] = _url_text(default)


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


def _keep(key: str, default: float) -> dict[str, float]:
    """Carry a bound widget's value over a page switch, and keep it in the address bar.

    Measured in Streamlit 1.67 (multipage app, sidebar widget with the same key
    on every page): on the first page switch after a deep link, the values that
    came from the link (never touched by hand) are lost on the new page, and
    the new page's URL drops them, although ``persist_state="session"`` keeps
    values the student set by hand. Streamlit ties each binding to the page
    that registered it, and the sidebar widget of the old page still counts as
    active during the switch, so its value is only preserved after the new
    page has already rendered with the default.

    Two fixes, before the widget is created: re-assigning the current value
    through ``st.session_state`` keeps it (Streamlit treats it as set by code);
    and if the URL of this run lacks a non-default value, it is written back
    with ``st.query_params.update``. That is allowed only while no widget of
    this page is bound to the key, which is exactly the page-switch case; on
    other runs Streamlit refuses and keeps the URL itself.

    Returns
    -------
    dict
        ``{key: value}`` if the value must be written back into the URL (pass it
        to :func:`_restore_in_url`, batched, so the history gets one entry), else ``{}``.
    """
    if key not in st.session_state:
        return {}
    value = st.session_state[key]
    st.session_state[key] = value
    if value != default and key not in _run_state().get("link", {}):
        return {key: value}
    return {}


def _restore_in_url(values: dict[str, float]) -> None:
    """Write values missing from this run's URL back into it (see :func:`_keep`)."""
    if not values:
        return
    try:
        st.query_params.update({k: _url_number(v) for k, v in values.items()})
    except StreamlitAPIException:  # bound on this page: Streamlit keeps the URL itself
        pass


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
    st.set_page_config(page_title=f"{title} · LIF Lab", page_icon=FAVICON_SVG, layout="wide")
    _hide_default_nav()
    # Read the link before any bound widget exists: Streamlit drops invalid values.
    link = {k: st.query_params.get_all(k) for k in st.query_params}
    run: dict[str, Any] = {
        "title": title,
        "link": link,
    }
    st.session_state[_RUN] = run

    st.title(title)
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
    return params


# --------------------------------------------------------------------------- page widgets


def slider(
    label: str,
    key: str,
    min_value: float,
    max_value: float,
    value: float,
    step: float,
    unit: str,
    help: str | None = None,
) -> float:
    """A page slider in display units, bound to the URL; returns the SI value.

    Parameters
    ----------
    label : str
        Label (Markdown); the unit is appended in parentheses.
    key : str
        Widget key and URL query parameter, page-prefixed (e.g. ``"rc_amp"``).
    min_value, max_value, value, step : float
        Range, default and step in ``unit``.
    unit : str
        Display unit, a key of :data:`lif_core.units.UNITS` (e.g. ``"nA"``).
    help : str, optional
        Tooltip.

    Returns
    -------
    float
        The chosen value in SI units (``lif_core.units.to_si(value, unit)``).
    """
    min_value, max_value, value, step = (float(x) for x in (min_value, max_value, value, step))
    _register(key, value)
    _restore_in_url(_keep(key, value))
    shown = st.slider(
        f"{label} ({unit})",
        min_value=min_value,
        max_value=max_value,
        value=value,
        step=step,
        format=f"%.{_decimals(step)}f",
        key=key,
        help=help,
        bind="query-params",
        persist_state="session",
    )
    _check_link_value(key, label, min_value, max_value, unit, f"{_fmt(value, step)} {unit}")
    return float(to_si(shown, unit))


def choice(
    label: str,
    key: str,
    options: Sequence[str],
    index: int = 0,
    help: str | None = None,
) -> str:
    """A page radio choice bound to the URL (``?key=<option>``); returns the option.

    A link value that is not one of ``options`` falls back to ``options[index]``
    with a visible notice.
    """
    _register(key, options[index])
    picked = st.radio(
        label,
        list(options),
        index=index,
        key=key,
        help=help,
        horizontal=True,
        bind="query-params",
        persist_state="session",
    )
    raw = _run_state().get("link", {}).get(key)
    if raw is not None and (len(raw) != 1 or raw[0] not in options):
        problem = f"is not one of {', '.join(repr(o) for o in options)}"
        _add_notice(key, _link_notice(label, raw, problem, repr(options[index])))
    return str(picked)


def checkbox(label: str, key: str, value: bool = False, help: str | None = None) -> bool:
    """A page checkbox bound to the URL (``?key=true``/``false``); returns its state."""
    _register(key, value)
    state = st.checkbox(
        label, value=value, key=key, help=help, bind="query-params", persist_state="session"
    )
    raw = _run_state().get("link", {}).get(key)
    if raw is not None and (len(raw) != 1 or raw[0].lower() not in ("true", "false")):
        problem = "is not `true` or `false`"
        _add_notice(key, _link_notice(label, raw, problem, f"`{str(value).lower()}`"))
    return bool(state)


def fmt(value_si: float, unit: str, decimals: int = 1) -> str:
    """An SI value as text in a display unit, e.g. ``fmt(0.01, "ms") == "10.0 ms"``.

    ``nan`` and ``inf`` are shown as "–" and "∞".
    """
    shown = float(from_si(value_si, unit))
    if math.isnan(shown):
        return "–"
    if math.isinf(shown):
        return f"{'−' if shown < 0 else ''}∞ {unit}"
    return f"{shown:.{decimals}f} {unit}".replace("-", "−")


def metric(
    label: str, value_si: float, unit: str, decimals: int = 1, help: str | None = None
) -> None:
    """A readout (``st.metric``) of an SI value shown in ``unit``."""
    st.metric(label, fmt(value_si, unit, decimals), help=help)


#: Plotly config for every chart: PNG export (2x, for slides) from the modebar.
CHART_CONFIG: dict[str, Any] = {
    "displaylogo": False,
    "modeBarButtonsToRemove": ["lasso2d", "select2d"],
    "toImageButtonOptions": {"format": "png", "scale": 2, "filename": "lif-lab"},
}


def chart(fig: Any, key: str, *, alt: str | None = None) -> None:
    """Show a plotly figure with the app's config (PNG export in the chart toolbar).

    Parameters
    ----------
    fig : plotly.graph_objects.Figure
        The figure, from a :mod:`lif_figures` builder.
    key : str
        Unique on the page: the chart's identity from one rerun to the next
        (:func:`lab_chart.plotly_chart`); also names the exported PNG file.
    alt : str, optional
        Text alternative for screen readers; defaults to the figure's title or axis titles.
    """
    config = dict(CHART_CONFIG)
    config["toImageButtonOptions"] = {
        **CHART_CONFIG["toImageButtonOptions"],
        "filename": f"lif-lab-{key}",
    }
    if alt is None:
        layout = fig.layout
        title = layout.title.text if layout.title and layout.title.text else None
        alt = title or f"Chart of {layout.yaxis.title.text} against {layout.xaxis.title.text}"
    # display_figure colours the chart for the page's light or dark theme.
    lab_chart.plotly_chart(display_figure(fig, st.context.theme.type), key, config, alt)


def try_this(markdown_text: str) -> None:
    """The "what to notice / try this" box of a chapter."""
    with st.container(border=True):
        st.markdown("#### :material/lightbulb: What to notice — try this")
        st.markdown(markdown_text)


def _reveal(key: str) -> None:
    st.session_state[f"{key}_revealed"] = True


def _try_again(key: str) -> None:
    st.session_state[f"{key}_revealed"] = False
    st.session_state[f"{key}_guess"] = None


def predict(
    key: str,
    question: str,
    options: Sequence[str],
    answer_index: int,
    explanation: str,
    *,
    on_reveal: Callable[[], None] | None = None,
) -> bool:
    """A predict-then-reveal question.

    The student picks an answer and commits with a button; only then are the
    right answer and the explanation shown. "Try again" clears the guess.

    Parameters
    ----------
    key : str
        Unique, page-prefixed key (e.g. ``"rc_q1"``).
    question : str
        The question (Markdown).
    options : sequence of str
        Possible answers.
    answer_index : int
        Index of the right answer in ``options``.
    explanation : str
        Why (Markdown, may contain LaTeX); shown after the reveal.
    on_reveal : callable, optional
        Extra callback run when the student commits.

    Returns
    -------
    bool
        Whether the answer is revealed.
    """
    if not 0 <= answer_index < len(options):
        raise ValueError(f"answer_index {answer_index} is not an index of {len(options)} options")
    guess_key, revealed_key = f"{key}_guess", f"{key}_revealed"
    revealed = bool(st.session_state.get(revealed_key, False))
    if revealed and st.session_state.get(guess_key) is None:
        revealed = False  # the guess was lost (e.g. state cleared): ask again
        st.session_state[revealed_key] = False

    def commit() -> None:
        _reveal(key)
        if on_reveal is not None:
            on_reveal()

    with st.container(border=True):
        st.markdown("#### :material/psychology_alt: Predict, then check")
        st.markdown(question)
        guess = st.radio(
            "Your prediction",
            list(options),
            index=None,
            key=guess_key,
            disabled=revealed,
            persist_state="session",
        )
        if not revealed:
            st.button(
                "Commit my guess and reveal the answer",
                key=f"{key}_reveal",
                disabled=guess is None,
                on_click=commit,
                type="primary",
            )
            if guess is None:
                st.caption("Pick an answer first; the answer stays hidden until you commit.")
            return False
        right = options[answer_index]
        if guess == right:
            st.success(f"Right: **{right}**", icon=":material/check_circle:")
        else:
            st.error(
                f"You predicted **{guess}**. The answer is **{right}**.", icon=":material/cancel:"
            )
        st.markdown(explanation)
        st.button("Try again", key=f"{key}_again", on_click=_try_again, args=(key,))
        return True


# pandas is not imported: no page needs it, and importing it took 0.7 s of a fresh server's
# first page (lab_chart sends bytes so that Streamlit does not import it to look for
# dataframes).
# Everything imported so far (streamlit, plotly, numpy) lives as long as the process:
# gc.freeze() moves it out of the cyclic garbage collector's view, so Python's automatic
# full collections stay cheap instead of walking ~80 000 long-lived objects (~80 ms).
gc.freeze()
