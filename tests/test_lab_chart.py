"""The chart element's plotly.js: the vendored basic bundle, and every chart fits in it."""

from __future__ import annotations

import gzip
import hashlib
import re
from pathlib import Path

import pytest

import lab_chart

ROOT = Path(__file__).resolve().parents[1]
PAGE_FILES = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "pages").glob("*.py"))

#: What plotly.js's basic bundle can draw: its trace types, and cartesian axes only.
BASIC_TRACE_TYPES = {"scatter", "bar", "pie"}
OTHER_SUBPLOTS = re.compile(r"^(polar|geo|scene|ternary|mapbox|map|smith)\d*$")


#: sha256 of npm's plotly.js-basic-dist-min 4.1.1 plotly-basic.min.js (static/README.md).
BASIC_BUNDLE_SHA256 = "99784e3abfb07b142a15e521a439e6d9addceadb3f79553fd24c72774f0649ba"


def test_charts_load_the_vendored_basic_bundle_of_plotlys_version():
    # Fails when plotly is upgraded without vendoring the matching basic bundle (the app
    # then falls back to the package's full bundle, 1.2-1.8 s slower to start), and in CI's
    # clean checkout when the bundle is not committed (the app writes only the fallback).
    assert lab_chart.STATIC_PLOTLY_JS == lab_chart.BASIC_PLOTLY_JS
    assert lab_chart.ensure_plotly_js() == lab_chart.BASIC_PLOTLY_JS
    assert lab_chart.PLOTLY_JS_URL == (
        f"app/static/plotly-basic-{lab_chart.PLOTLY_JS_VERSION}.min.js.gz"
    )
    bundle = gzip.decompress(lab_chart.BASIC_PLOTLY_JS.read_bytes())
    assert f"plotly.js (basic - minified) v{lab_chart.PLOTLY_JS_VERSION}".encode() in bundle[:200]
    assert hashlib.sha256(bundle).hexdigest() == BASIC_BUNDLE_SHA256


def test_served_copy_is_written_once_and_atomically(tmp_path):
    target = tmp_path / "static" / "plotly-test.min.js.gz"
    source = tmp_path / "plotly.js"
    source.write_text("window.Plotly = {};")
    assert lab_chart.ensure_plotly_js(source, target) == target
    assert gzip.decompress(target.read_bytes()) == b"window.Plotly = {};"
    source.write_text("changed")  # an existing copy is left alone
    lab_chart.ensure_plotly_js(source, target)
    assert gzip.decompress(target.read_bytes()) == b"window.Plotly = {};"
    assert [p.name for p in target.parent.iterdir()] == [target.name]  # no partial file left


@pytest.mark.parametrize("page", PAGE_FILES)
def test_every_chart_uses_only_what_the_basic_bundle_draws(apptest, run_page, page):
    at = run_page(page)
    apptest.assert_no_exception(at)
    figures = [chart["figure"] for chart in apptest.charts(at)]
    assert figures
    for fig in figures:
        assert {trace.get("type", "scatter") for trace in fig["data"]} <= BASIC_TRACE_TYPES
        assert not [key for key in fig["layout"] if OTHER_SUBPLOTS.match(key)]


@pytest.mark.parametrize("page", PAGE_FILES)
def test_the_charts_shared_scripts_are_one_element_before_the_charts(apptest, run_page, page):
    # the engine, previews and layers travel once per page in an element of their own, whose
    # message is the same at every run (Streamlit's message cache then sends it once per
    # browser); each chart carries only its own 20 kB script, not 270 kB (lab_chart.py)
    at = run_page(page)
    apptest.assert_no_exception(at)
    elements = [el.proto for el in at.get("bidi_component")]
    names = [p.component_name for p in elements]
    assert names.count("lif_lab_scripts") == 1
    assert "lif_lab_chart" in names
    assert names.index("lif_lab_scripts") < names.index("lif_lab_chart")
    shared = elements[names.index("lif_lab_scripts")]
    assert shared.js_content == lab_chart.SHARED_JS
    assert "const LIFEngine" in shared.js_content and "const LIFLive" in shared.js_content
    for chart in (p for p in elements if p.component_name == "lif_lab_chart"):
        assert chart.js_content == (ROOT / "lab_chart.js").read_text(encoding="utf-8")
        assert "const LIFEngine" not in chart.js_content
    # the same message at the next run (no data that changes)
    at.run()
    again = [
        el.proto for el in at.get("bidi_component") if el.proto.component_name == "lif_lab_scripts"
    ]
    assert [p.SerializeToString() for p in again] == [shared.SerializeToString()]
