"""Values bound to the URL: link checks and notices, values kept over page switches.

Streamlit 1.67 silently drops a bound query value it cannot use (text, ``nan``, ``inf``,
out of range, repeated) and shows the widget default. The page frame reads
``st.query_params`` *before* creating the widgets (:func:`lab.sidebar.page_setup`), and
the widgets check that snapshot (:func:`check_link_value`), so the student is told when a
value from the link was not used: a typo in a shared link is never silently "corrected".
All notices of a page share one box at its top, one line per widget, named by its label.
"""

from __future__ import annotations

import math
from typing import Any

import streamlit as st
from streamlit.errors import StreamlitAPIException
from streamlit.runtime.scriptrunner import get_script_run_ctx

from lif_core.units import from_si

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
