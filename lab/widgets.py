"""Page widgets bound to the URL, readouts and charts."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import streamlit as st

import lab_chart
from lab.export import export_spec, register_setting
from lab.links import (
    _add_notice,
    _check_link_value,
    _decimals,
    _fmt,
    _keep,
    _link_notice,
    _register,
    _restore_in_url,
    _run_state,
)
from lab.live import Preview, register_slider, spec
from lab.present import presenting
from lif_core.units import from_si, to_si
from lif_figures.spec import display_figure

__all__ = [
    "CHART_CONFIG",
    "Preview",
    "chart",
    "checkbox",
    "choice",
    "fmt",
    "integer",
    "metric",
    "slider",
]


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
    register_slider(key, unit, shown, label)
    register_setting(key, label, f"{_fmt(shown, step)} {unit}")
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
    register_setting(key, label, str(picked))
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
    register_setting(key, label, "on" if state else "off")
    return bool(state)


def integer(
    label: str, key: str, min_value: int, max_value: int, value: int, help: str | None = None
) -> int:
    """A whole number (e.g. a random seed) bound to the URL and kept for the session.

    Like :func:`slider`: links to its page carry it, it survives page switches, and a
    value in the link that cannot be used falls back to ``value`` with a notice.
    """
    _register(key, value)
    _restore_in_url(_keep(key, value))
    number = st.number_input(
        label,
        min_value=int(min_value),
        max_value=int(max_value),
        value=int(value),
        step=1,
        key=key,
        help=help,
        bind="query-params",
        persist_state="session",
    )
    _check_link_value(key, label, min_value, max_value, "", str(value))
    register_setting(key, label, str(int(number)))
    return int(number)


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


#: Plotly config for every chart. The toolbar's camera is replaced by LIF Lab's own image
#: export (``lab_chart.js``: 2x, with a caption listing the values, see :mod:`lab.export`);
#: ``toImageButtonOptions`` still names the file and the scale it uses.
CHART_CONFIG: dict[str, Any] = {
    "displaylogo": False,
    "modeBarButtonsToRemove": ["lasso2d", "select2d", "toImage"],
    "toImageButtonOptions": {"format": "png", "scale": 2, "filename": "lif-lab"},
}


def chart(fig: Any, key: str, *, alt: str | None = None, preview: Preview | None = None) -> None:
    """Show a plotly figure with the app's config, and its image and data export buttons.

    Parameters
    ----------
    fig : plotly.graph_objects.Figure
        The figure, from a :mod:`lif_figures` builder.
    key : str
        Unique on the page: the chart's identity from one rerun to the next
        (:func:`lab_chart.plotly_chart`); also names the exported PNG file.
    alt : str, optional
        Text alternative for screen readers; defaults to the figure's title or axis titles.
    preview : Preview, optional
        How the chart redraws itself in the browser while a slider it depends on is
        dragged (:mod:`lab.live`); without one it changes when the slider is released.
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
    run = _run_state()
    live = spec(preview, run.get("params"), st.context.theme.type)
    shown = display_figure(fig, st.context.theme.type, presenting=presenting())
    lab_chart.plotly_chart(shown, key, config, alt, live, export_spec(key, alt))
