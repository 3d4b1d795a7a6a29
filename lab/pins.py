"""Pin and compare: keep a chart's curve as a faded reference while the sliders move on.

What a teacher does on the blackboard ("before / after"): the **Pin** button above a chart
keeps its current curve(s), drawn faded and labelled with the parameters that differ from
the current ones, while the student keeps dragging. Up to :data:`MAX_PINS` pins per chart
(the oldest goes first); the **✕** button beside it clears them. Pins live in the link
(``?pin_<chart key>=R:20;rc_amp:1.5``, one value per pin, display units), so a shared link
shows the same comparison.

A pin stores the values of the sliders the chart's preview depends on (:class:`lab.live
.Preview`); the pinned curve is computed by Python like the chart itself (the page passes
the function that builds the figure), so it is exact, and the live preview leaves it alone.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import streamlit as st

from lab.links import _add_notice, _run_state
from lab.live import _SLIDERS, Preview
from lab.neuron import NEURON_SLIDERS
from lif_core.params import LIFParams
from lif_core.units import to_si
from lif_figures.spec import with_pins

__all__ = ["MAX_PINS", "pinned"]

#: Pins kept per chart.
MAX_PINS = 3

_NEURON = {s.key: s for s in NEURON_SLIDERS}


def _state_key(chart_key: str) -> str:
    return f"_lab_pins_{chart_key}"


def _url_key(chart_key: str) -> str:
    return f"pin_{chart_key}"


def _encode(values: dict[str, float]) -> str:
    return ";".join(f"{k}:{v:.10g}" for k, v in values.items())


def _decode(text: str, keys: Sequence[str]) -> dict[str, float] | None:
    """``"R:20;rc_amp:1.5"`` -> values; None if it is not a pin of these sliders."""
    out: dict[str, float] = {}
    for part in text.split(";"):
        key, sep, value = part.partition(":")
        if not sep or key not in keys:
            return None
        try:
            number = float(value)
        except ValueError:
            return None
        if not math.isfinite(number):
            return None
        out[key] = number
    return out or None


def _current(keys: Sequence[str]) -> dict[str, float]:
    """The display values of the sliders ``keys`` in this run."""
    sliders = _run_state().get(_SLIDERS, {})
    out = {}
    for key in keys:
        if key in _NEURON:
            out[key] = float(st.session_state.get(key, _NEURON[key].default))
        elif key in sliders:
            out[key] = sliders[key][1]
    return out


def _short(key: str, symbols: dict[str, str]) -> str:
    """A slider's name in a pin label: the symbol of a neuron slider; else the symbol that
    ends its label ("Operating current I"), else the preview's name for it (``I_max``)."""
    if key in _NEURON:
        return key
    label = _run_state().get(_SLIDERS + "_labels", {}).get(key, key)
    last = label.split()[-1] if label.split() else key
    if len(last) <= 2 or "_" in last:
        return last
    return symbols.get(key, label)


def _label(
    number: int, pin: dict[str, float], now: dict[str, float], symbols: dict[str, str]
) -> str:
    sliders = _run_state().get(_SLIDERS, {})
    parts = []
    for key, value in pin.items():
        if key in now and not math.isclose(value, now[key], rel_tol=1e-9, abs_tol=1e-12):
            unit = _NEURON[key].unit if key in _NEURON else sliders.get(key, ("", 0))[0]
            parts.append(f"{_short(key, symbols)} = {value:g} {unit}".strip().replace("-", "−"))
    return f"pin {number}: " + (", ".join(parts) if parts else "as now")


def _write_url(chart_key: str, pins: list[dict[str, float]]) -> None:
    if pins:
        st.query_params[_url_key(chart_key)] = [_encode(p) for p in pins]
    elif _url_key(chart_key) in st.query_params:
        del st.query_params[_url_key(chart_key)]


def _pin(chart_key: str, keys: Sequence[str]) -> None:
    pins = st.session_state.setdefault(_state_key(chart_key), [])
    pins.append(_current(keys))
    del pins[:-MAX_PINS]
    _write_url(chart_key, pins)


def _clear(chart_key: str) -> None:
    st.session_state[_state_key(chart_key)] = []
    _write_url(chart_key, [])


def _pins_from_link(chart_key: str, keys: Sequence[str]) -> list[dict[str, float]]:
    raw = _run_state().get("link", {}).get(_url_key(chart_key))
    if raw is None:
        return st.session_state.get(_state_key(chart_key), [])
    pins, bad = [], []
    for text in raw:
        pin = _decode(text, keys)
        (pins if pin is not None else bad).append(pin if pin is not None else text)
    if bad:
        _add_notice(
            _url_key(chart_key),
            f"**Pinned curves**: the link's pin {', '.join(repr(b) for b in bad)} names no "
            "slider of this chart or holds no number; it is left out.",
        )
    pins = pins[-MAX_PINS:]
    st.session_state[_state_key(chart_key)] = pins
    return pins


def _inputs(preview: Preview, pin: dict[str, float]) -> tuple[LIFParams, dict[str, float]]:
    """The neuron and the page inputs (SI) of a pin; missing values: the current ones."""
    sliders = _run_state().get(_SLIDERS, {})
    neuron = {}
    for s in NEURON_SLIDERS:
        shown = pin.get(s.key, float(st.session_state.get(s.key, s.default)))
        neuron[s.key] = float(to_si(shown, s.unit))
    inputs = {}
    for name, key in preview.sliders.items():
        unit, shown = sliders[key]
        inputs[name] = float(to_si(pin.get(key, shown), unit))
    return LIFParams(**neuron), inputs


def pinned(
    fig: Any,
    chart_key: str,
    preview: Preview,
    figure_for: Callable[..., Any],
    traces: Sequence[str],
    heading: str = "",
) -> Any:
    """The Pin / Clear buttons of a chart, and ``fig`` with its pinned curves drawn faded.

    Parameters
    ----------
    fig : plotly.graph_objects.Figure
        The chart as it is now.
    chart_key : str
        The chart's key (as given to :func:`lab.widgets.chart`).
    preview : Preview
        The chart's preview: which sliders (and the sidebar neuron) a pin records.
    figure_for : callable
        ``figure_for(params, **inputs)`` builds the chart for a pin's neuron and page
        inputs (SI, named as in ``preview.sliders``), e.g. a cached ``lab_cache`` call.
    traces : sequence of str
        Names of the traces a pin keeps (the curves to compare); ``fnmatch`` patterns allowed.
    heading : str, optional
        The chart's heading (markdown), drawn in one row with the buttons so that the pin
        controls cost no height on the projector's first screen.

    Returns
    -------
    plotly.graph_objects.Figure
        ``fig`` itself without pins, else a new figure with the pinned traces.
    """
    keys = [s.key for s in NEURON_SLIDERS] if preview.neuron else []
    keys += list(preview.sliders.values())
    pins = _pins_from_link(chart_key, keys)
    row = st.container(horizontal=True, vertical_alignment="center", gap="small")
    if heading:
        row.markdown(heading, width="content")
    row.button(
        ":material/push_pin: Pin",
        key=f"{chart_key}_pin",
        on_click=_pin,
        args=(chart_key, keys),
        help=f"Keep this curve, faded, to compare with (up to {MAX_PINS}; kept in the link).",
    )
    if pins:
        row.button(
            ":material/close:",
            key=f"{chart_key}_clear",
            on_click=_clear,
            args=(chart_key,),
            help="Clear: remove the pinned curves.",
        )
    if not pins:
        return fig
    now = _current(keys)
    pinned_figs = []
    for number, pin in enumerate(pins, start=1):
        try:
            params, inputs = _inputs(preview, pin)
            label = _label(number, pin, now, {k: n for n, k in preview.sliders.items()})
            pinned_figs.append((label, figure_for(params, **inputs)))
        except ValueError as error:
            st.caption(f"Pin {number} cannot be drawn: {error}")
    return with_pins(fig, pinned_figs, traces)
