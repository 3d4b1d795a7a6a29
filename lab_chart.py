"""LIF Lab's chart element: a plotly.js graph that is updated in place when its figure changes.

``st.plotly_chart`` (Streamlit 1.67) gives a chart a new element id whenever its figure
changes, so the browser unmounts the old chart and builds a new one with
``Plotly.newPlot``, then draws it a second time to apply the chart theme. This element
is a Streamlit custom component (``st.components.v2``) with a fixed key: it stays
mounted, and its script (``lab_chart.js``) updates the graph with ``Plotly.react``, which
recomputes only what changed. In headless Chromium, building chapter 5's three charts
takes 323 ms, updating them 184 ms (docs/hosting.md has an A/B run of
``benchmarks/latency.py``).

plotly.js is the copy shipped with the installed ``plotly`` Python package, so the charts
need no internet and always match the plotly version the figures are built with. It is
served gzip-compressed from ``static/`` (Streamlit's static file serving,
``server.enableStaticServing`` in ``.streamlit/config.toml``): 1.5 MB instead of 4.8 MB
for each student, and no work for the server. (Streamlit compresses other static files
on the fly for every request: 250-550 ms of CPU each for plotly.js.) The browser
decompresses it (``DecompressionStream``).

Streamlit is imported only here, in :mod:`lab_ui`, :mod:`lab_cache` and the pages.
"""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path
from typing import Any

import plotly
import plotly.io as pio
import streamlit as st
from plotly.offline import get_plotlyjs_version

__all__ = ["PLOTLY_JS", "PLOTLY_JS_URL", "STATIC_PLOTLY_JS", "ensure_plotly_js", "plotly_chart"]

HERE = Path(__file__).resolve().parent

#: plotly.js as shipped in the ``plotly`` Python package.
PLOTLY_JS = Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"

#: The compressed copy Streamlit serves (``/app/static/plotly-<version>.min.js.gz``); not in
#: git. The version in the name keeps browsers from using a cached copy of another version.
STATIC_PLOTLY_JS = HERE / "static" / f"plotly-{get_plotlyjs_version()}.min.js.gz"

#: Its URL, relative to the app's address.
PLOTLY_JS_URL = f"app/static/{STATIC_PLOTLY_JS.name}"


def ensure_plotly_js(source: Path = PLOTLY_JS, target: Path = STATIC_PLOTLY_JS) -> Path:
    """Write the gzip-compressed copy of plotly.js into the app's static folder, once.

    Parameters
    ----------
    source : pathlib.Path
        plotly.js of the installed ``plotly`` package.
    target : pathlib.Path
        The served copy, named after the plotly.js version; written only if missing
        (about 0.5 s). It is written under another name first and then renamed, so
        processes starting at the same time never serve half a file.

    Returns
    -------
    pathlib.Path
        ``target``.
    """
    if target.exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    partial.write_bytes(gzip.compress(source.read_bytes(), compresslevel=9, mtime=0))
    partial.replace(target)
    return target


ensure_plotly_js()

_component = st.components.v2.component(
    "lif_lab_chart",
    js=(HERE / "lab_chart.js").read_text(encoding="utf-8"),
    # The graph lives in the page's DOM, not a shadow root: plotly.js styles its
    # toolbar and hover labels with rules it adds to the document's <head>.
    isolate_styles=False,
)


def plotly_chart(fig: Any, key: str, config: dict[str, Any], alt: str) -> None:
    """Show ``fig`` in a chart that keeps its place on the page from one rerun to the next.

    Parameters
    ----------
    fig : plotly.graph_objects.Figure
        The figure as it is to be drawn (``lif_figures.spec.display_figure``).
    key : str
        Unique on the page; the element's identity, so it must not depend on the data.
    config : dict
        plotly.js config (toolbar buttons, PNG export options).
    alt : str
        Text alternative for screen readers (the graph's ``aria-label``).
    """
    meta = json.dumps({"config": config, "alt": alt, "key": key, "plotly_js": PLOTLY_JS_URL})
    # One JSON document, sent as bytes: plotly's JSON of the figure goes in as it is
    # (plotly's encoder writes numpy arrays, json's does not), and Streamlit forwards
    # bytes untouched (it scans a dict's values for dataframes, which imports pandas).
    payload = '{"figure": ' + pio.to_json(fig, validate=False) + ", " + meta[1:]
    _component(data=payload.encode(), key=f"lif-chart-{key}", width="stretch")
