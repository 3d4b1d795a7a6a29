"""Streamlit helpers shared by every LIF Lab page (the facade of the :mod:`lab` package).

Every page (and ``app.py``) calls :func:`page_setup` first: it draws the page heading, the
sidebar (the story's pages as links, and the "Neuron" panel of sliders bound to the URL and
kept for the session) and notices about unusable values in the link. A page then reads like
a description of its UI, with the widgets, readouts, charts and questions below. The code
lives in the :mod:`lab` package, split by concern; pages import only this module.
"""

from __future__ import annotations

import gc

from lab.export import uses_neuron
from lab.links import in_fragment_rerun
from lab.nav import NAV, NavPage, link_query, nav_link
from lab.neuron import NEURON_SLIDERS, SliderSpec, default_display_values
from lab.pins import pinned
from lab.present import presenting, prose
from lab.questions import predict, try_this
from lab.sidebar import ERROR_MESSAGE, FAVICON_SVG, fires_without_input, page_setup
from lab.widgets import (
    CHART_CONFIG,
    Preview,
    chart,
    checkbox,
    choice,
    fmt,
    integer,
    metric,
    slider,
)

__all__ = [
    "CHART_CONFIG",
    "ERROR_MESSAGE",
    "FAVICON_SVG",
    "NAV",
    "NEURON_SLIDERS",
    "NavPage",
    "Preview",
    "SliderSpec",
    "chart",
    "checkbox",
    "choice",
    "default_display_values",
    "fires_without_input",
    "fmt",
    "in_fragment_rerun",
    "integer",
    "link_query",
    "metric",
    "nav_link",
    "page_setup",
    "pinned",
    "predict",
    "presenting",
    "prose",
    "slider",
    "try_this",
    "uses_neuron",
]

# pandas is not imported: no page needs it, and importing it took 0.7 s of a fresh server's
# first page (lab_chart sends bytes so that Streamlit does not import it to look for
# dataframes).
# Everything imported so far (streamlit, plotly, numpy) lives as long as the process:
# gc.freeze() moves it out of the cyclic garbage collector's view, so Python's automatic
# full collections stay cheap instead of walking ~80 000 long-lived objects (~80 ms).
gc.freeze()
