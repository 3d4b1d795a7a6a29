"""LIF Lab's chart element: a plotly.js graph that is updated in place when its figure changes.

``st.plotly_chart`` (Streamlit 1.67) gives a chart a new element id whenever its figure
changes, so the browser unmounts the old chart and builds a new one with
``Plotly.newPlot``, then draws it a second time to apply the chart theme. This element
is a Streamlit custom component (``st.components.v2``) with a fixed key: it stays
mounted, and its script (``lab_chart.js``) updates the graph with ``Plotly.react``, which
recomputes only what changed. In headless Chromium, building chapter 5's three charts
takes 323 ms, updating them 184 ms (docs/hosting.md has an A/B run of
``benchmarks/latency.py``).

plotly.js is plotly's "basic" bundle (scatter, bar and pie traces, every layout feature;
LIF Lab draws only scatter traces) from npm's ``plotly.js-basic-dist-min``, at the version
the installed ``plotly`` package targets. It is a quarter of the full bundle the package
ships (1.2 MB instead of 4.8 MB), and a fresh browser on a 2-core machine runs it in
0.4-0.6 s instead of 1.6-2.3 s: the difference lands directly on the time to a student's
first chart. No internet is needed.

It is vendored gzip-compressed in ``static/`` (``static/README.md``), where Streamlit's
static file serving (``server.enableStaticServing`` in ``.streamlit/config.toml``) sends it
as it is: 0.4 MB per student and no work for the server (Streamlit compresses other static
files on the fly for every request: 250-550 ms of CPU each for the full plotly.js). The
browser decompresses it (``DecompressionStream``). The app writes nothing, so it runs
from a read-only checkout. If ``plotly`` is upgraded without vendoring the matching
bundle, the package's full bundle is compressed into ``static/`` at import and used
instead.

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

__all__ = [
    "BASIC_PLOTLY_JS",
    "PACKAGE_PLOTLY_JS",
    "PLOTLY_JS_URL",
    "PLOTLY_JS_VERSION",
    "STATIC_PLOTLY_JS",
    "ensure_plotly_js",
    "plotly_chart",
    "shared_scripts",
]

HERE = Path(__file__).resolve().parent

#: The plotly.js version the installed ``plotly`` package builds figures for.
PLOTLY_JS_VERSION = get_plotlyjs_version()

#: plotly.js basic bundle of that version, vendored gzip-compressed (``static/README.md``).
BASIC_PLOTLY_JS = HERE / "static" / f"plotly-basic-{PLOTLY_JS_VERSION}.min.js.gz"

#: plotly.js as shipped in the ``plotly`` Python package (every trace type).
PACKAGE_PLOTLY_JS = Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"

#: The gzip-compressed plotly.js the charts load: the vendored basic bundle, or else a
#: compressed copy of the package's bundle (not in git). The version in the name keeps
#: browsers from using a cached copy of another version.
STATIC_PLOTLY_JS = (
    BASIC_PLOTLY_JS
    if BASIC_PLOTLY_JS.exists()
    else HERE / "static" / f"plotly-{PLOTLY_JS_VERSION}.min.js.gz"
)

#: Its URL, relative to the app's address.
PLOTLY_JS_URL = f"app/static/{STATIC_PLOTLY_JS.name}"


def ensure_plotly_js(source: Path = PACKAGE_PLOTLY_JS, target: Path = STATIC_PLOTLY_JS) -> Path:
    """Make sure the app's static folder holds the compressed plotly.js the charts load.

    Nothing to do when the vendored basic bundle is in use (it is committed compressed).
    Otherwise the package's bundle is compressed into ``target``, once.

    Parameters
    ----------
    source : pathlib.Path
        The plotly.js to compress if ``target`` is missing (:data:`PACKAGE_PLOTLY_JS`).
    target : pathlib.Path
        The served, gzip-compressed file (:data:`STATIC_PLOTLY_JS`). It is written under
        another name first and then renamed (0.3 s for the full bundle), so processes
        starting at the same time never serve half a file.

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

#: The scripts every chart uses, in order: the exact LIF engine (mirrors lif_core, tested
#: against it; its closed forms, waveforms, units and downsampling), the canvas layer, the
#: preview controller, the drag layer and the chapters' preview recipes.
SHARED_SCRIPTS = (
    "lif_engine.js",
    "lif_engine_draw.js",
    "lab_canvas_draw.js",
    "lab_canvas.js",
    "lab_preview.js",
    "lab_drag.js",
    *sorted(str(p.relative_to(HERE)) for p in (HERE / "preview").glob("*.js")),
)

#: The chart element's own script (a module: it draws one chart with the shared scripts).
ELEMENT_SCRIPT = "lab_chart.js"

#: Run after the shared scripts: the charts that mounted first wait for them.
_SCRIPTS_READY = """
for (const ready of globalThis.__lifScriptsWaiting || []) ready();
globalThis.__lifScriptsWaiting = [];
export default function () {}
"""

#: The module of the page's shared-scripts element.
SHARED_JS = (
    "\n".join((HERE / name).read_text(encoding="utf-8") for name in SHARED_SCRIPTS) + _SCRIPTS_READY
)

# A component's script travels inside every element message that mounts it. With the shared
# scripts (250 kB) in each chart's script, every rerun sent them once per chart: 0.65 MB per
# key press on chapter 4, 0.5 MB on chapter 5 (medians of the websocket frames), for one
# student on a school network. They are an element of their own, mounted once per page
# (layout.page_frame) with a message that never changes, which Streamlit's message cache
# sends to a browser only the first time (later runs send its hash). The charts' script is
# only the element (22 kB) and waits for the shared scripts if it runs first.
# The graph lives in the page's DOM, not a shadow root: plotly.js styles its toolbar and
# hover labels with rules it adds to the document's <head>.
_scripts = st.components.v2.component("lif_lab_scripts", js=SHARED_JS, isolate_styles=False)
_component = st.components.v2.component(
    "lif_lab_chart",
    js=(HERE / ELEMENT_SCRIPT).read_text(encoding="utf-8"),
    isolate_styles=False,
)


def shared_scripts() -> None:
    """Mount the scripts the charts share (once per page run, before any chart; hidden)."""
    _scripts(key="lif-scripts")


def plotly_chart(
    fig: Any,
    key: str,
    config: dict[str, Any],
    alt: str,
    preview: dict[str, Any] | None = None,
    export: dict[str, Any] | None = None,
) -> None:
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
    preview : dict, optional
        What the chart needs to redraw itself while a slider is dragged (``lab.live.spec``).
    export : dict, optional
        ``{"file", "caption"}`` for the chart's image and data buttons (``lab.export``);
        without it the chart has none.
    """
    meta = json.dumps(
        {
            "config": config,
            "alt": alt,
            "key": key,
            "plotly_js": PLOTLY_JS_URL,
            "preview": preview,
            "export": export,
        }
    )
    # One JSON document, sent as bytes: plotly's JSON of the figure goes in as it is
    # (plotly's encoder writes numpy arrays, json's does not), and Streamlit forwards
    # bytes untouched (it scans a dict's values for dataframes, which imports pandas).
    payload = '{"figure": ' + pio.to_json(fig, validate=False) + ", " + meta[1:]
    _component(data=payload.encode(), key=f"lif-chart-{key}", width="stretch")
