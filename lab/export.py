"""Export of a chart: an image with a caption, and its data, both with the values used.

Beside each chart the chart element (``lab_chart.js``) offers "Image (PNG)" (the chart on
the page's background with a caption under it) and "Data (CSV)" (every drawn point of every
named trace, the axis titles with their units as column headers). Both carry the lines of
:func:`lif_figures.export.caption_lines`, written here from the values this run used: the
sidebar neuron (unless the page says it does not use it) and the page's own sliders,
choices and checkboxes, in the order the page draws them. The link of the page (which
reproduces the chart) is added by the browser.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from lab.links import _decimals, _run_state
from lab.neuron import NEURON_SLIDERS
from lif_figures.export import caption_lines

__all__ = ["export_spec", "register_setting", "uses_neuron"]

#: Run-state entries: the page's settings so far (key -> (label, value text)), and whether
#: the page's charts use the sidebar neuron.
_SETTINGS = "export_settings"
_NEURON = "export_neuron"


def register_setting(key: str, label: str, value: str) -> None:
    """Remember a page widget's label and value (with its unit) for the captions."""
    _run_state().setdefault(_SETTINGS, {})[key] = (label, value)


def uses_neuron(used: bool) -> None:
    """Say whether this page's charts use the sidebar neuron (default: they do)."""
    _run_state()[_NEURON] = bool(used)


def _neuron_values() -> list[tuple[str, str]]:
    state = st.session_state
    out = []
    for spec in NEURON_SLIDERS:
        if spec.key in state:
            value = float(state[spec.key])
            out.append((spec.key, f"{value:.{_decimals(spec.step)}f} {spec.unit}"))
    return out


def export_spec(key: str, alt: str) -> dict[str, Any]:
    """What the chart element needs to export chart ``key``: a file name and the caption.

    Parameters
    ----------
    key : str
        The chart's key on its page.
    alt : str
        What the chart shows (its text alternative): the caption's first line.
    """
    run = _run_state()
    neuron = _neuron_values() if run.get(_NEURON, True) else []
    settings = list(run.get(_SETTINGS, {}).values())
    return {
        "file": f"lif-lab-{key}",
        "caption": caption_lines(run.get("title", "LIF Lab"), alt, neuron, settings),
    }
