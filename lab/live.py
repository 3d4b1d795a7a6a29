"""Live previews: what a chart needs to redraw itself in the browser while a slider moves.

``st.slider`` (Streamlit 1.67) sends its value to Python only on release (or a key press):
measured, a 1 s drag sends 0 messages, and the app reruns once after it. Its thumb is a
native ``input[type=range]`` that the browser updates on every pointer move (its
``aria-valuetext`` changes 30 times in a 30-step drag). So LIF Lab keeps Streamlit's slider
(URL binding, keyboard, screen-reader labels, help, themes, presets and AppTest all stay as
they are) and adds the preview in the browser: the chart element (``lab_chart.js``) watches
the sliders its chart depends on and, on every animation frame in which one of them moved,
recomputes the chart's live traces with the JavaScript engine (``lif_engine.js``) and a
small *recipe* (``lab_preview.js``), and redraws them. During a pointer drag (mouse, pen,
finger) ``lab_drag.js`` moves the slider's thumb itself and hands the value over, because
Streamlit's slider re-rendering on every move costs 17-21 ms a move here; Streamlit sees the
whole drag as one move at the release and commits the value as usual. The charts are
redrawn: the traces whose data only moved on a canvas laid over the chart
(``lab_canvas.js``; plotly's own redraw is too slow for every frame here), with text-less
annotation arrows that come, go or turn, and axes that keep their range while the data stay
inside (an axis the drag keeps pushing gets more room each time); the rest with
``Plotly.react``. On release Python reruns as before and its figure replaces the preview;
until the slider shows the released value the preview keeps it (Streamlit re-renders the
slider once with its old value first, which would flash the charts back).

A :class:`Preview` names the recipe, which slider drives which input, the inputs that stay
fixed, and data the browser must not redraw at random (Poisson spike times, noise samples):
those come from Python, so preview and numpy see the same input. :func:`spec` turns it into
the JSON the chart element receives, with every bound value in SI units and the factor that
converts the slider's display value to SI (:data:`lif_core.units.UNITS`, the one place
where units are converted: the browser only multiplies by it).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import streamlit as st

from lab.links import _run_state
from lab.neuron import NEURON_SLIDERS
from lif_core.params import LIFParams
from lif_core.units import UNITS
from lif_figures.style import COLORS, THEMES, readable

__all__ = ["Preview", "register_slider", "spec"]

#: Run-state entry: slider key -> (display unit, display value) of this run's sliders.
_SLIDERS = "live_sliders"


@dataclass(frozen=True)
class Preview:
    """How a chart previews itself while a slider is dragged.

    Attributes
    ----------
    recipe : str
        Name of the computation in ``lab_preview.js`` (e.g. ``"pulse"``).
    view : str
        Which of the recipe's charts this is (e.g. ``"voltage"``).
    sliders : mapping of str to str
        Recipe input name -> key of the page slider that sets it (SI inside the recipe).
    fixed : mapping of str to Any
        Recipe inputs that no slider moves (SI numbers, strings, booleans).
    data : mapping of str to Any
        Arrays the recipe must use as they are (SI), e.g. Poisson spike times.
    neuron : bool
        Whether the sidebar's neuron parameters (R, C, E_L, V_th, V_reset, t_ref) are inputs.
    """

    recipe: str
    view: str
    sliders: Mapping[str, str] = field(default_factory=dict)
    fixed: Mapping[str, Any] = field(default_factory=dict)
    data: Mapping[str, Any] = field(default_factory=dict)
    neuron: bool = True


def register_slider(key: str, unit: str, value: float, label: str | None = None) -> None:
    """Remember a page slider's unit, value (and label) for the previews and pins of a run."""
    run = _run_state()
    run.setdefault(_SLIDERS, {})[key] = (unit, float(value))
    if label is not None:
        run.setdefault(_SLIDERS + "_labels", {})[key] = label


def _plain(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        return value.astype(float).tolist()
    if isinstance(value, (np.floating, np.integer)):
        return value.item()
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def spec(
    preview: Preview | None, params: LIFParams | None, theme: str | None = None
) -> dict[str, Any] | None:
    """The JSON a chart element gets for its preview, or None (no preview).

    Parameters
    ----------
    preview : Preview or None
        The chart's preview.
    params : LIFParams or None
        The neuron the page computed with. None when the sidebar holds an impossible
        combination (the page fell back to the defaults): then there is no preview, since
        the sidebar sliders do not describe the neuron drawn.
    theme : {"light", "dark"} or None
        The page's theme: label colours drawn by a recipe are shaded for it as
        :func:`lif_figures.spec.display_figure` shades Python's (``fixed["_shade"]``).

    Returns
    -------
    dict or None
        ``{"recipe", "view", "inputs": {name: {"key", "scale", "value"}}, "fixed", "data"}``.
    """
    if preview is None:
        return None
    inputs: dict[str, dict[str, Any]] = {}
    if preview.neuron:
        if params is None:
            return None
        for s in NEURON_SLIDERS:
            inputs[s.key] = {
                "key": s.key,
                "scale": UNITS[s.unit],
                "value": float(getattr(params, s.key)),
            }
    sliders = _run_state().get(_SLIDERS, {})
    for name, key in preview.sliders.items():
        if key not in sliders:
            raise ValueError(f"preview input {name!r}: no slider {key!r} on this page (yet)")
        unit, shown = sliders[key]
        inputs[name] = {"key": key, "scale": UNITS[unit], "value": shown * UNITS[unit]}
    background = THEMES.get(theme or "light", THEMES["light"])["background"]
    shade = {c: readable(c, background) for c in sorted(set(COLORS.values()))}
    return {
        "recipe": preview.recipe,
        "view": preview.view,
        "inputs": inputs,
        "fixed": {**_plain(dict(preview.fixed)), "_shade": shade},
        "data": {k: _once(_plain(v)) for k, v in preview.data.items()},
    }


#: Data larger than this (characters of JSON) is sent once per session (:func:`_once`).
LARGE = 20_000
#: Session-state entry: ids of the large data the browser already holds.
_SENT = "_lab_live_sent"


def _once(value: Any) -> Any:
    """Large data goes to the browser once per session; later specs refer to it by id.

    A chart's spec is sent with every rerun of its fragment. Chapter 8's noise sample is
    2 MB of text: sent at every release it would cost a student on a slow school network
    about a second, and the server a copy per message. The browser keeps what it got
    (``LIFLive``, one page load = one session), keyed by the data's hash.
    """
    text = json.dumps(value, separators=(",", ":"))
    if len(text) < LARGE:
        return value
    ref = hashlib.sha1(text.encode()).hexdigest()[:20]
    sent = st.session_state.setdefault(_SENT, set())
    if ref in sent:
        return {"$ref": ref}
    sent.add(ref)
    return {"$ref": ref, "$value": value}
