"""A chart's export in a real browser: the image with its caption and the data as CSV.

The buttons under chapter 5's conductance-based chart (three rows, several axes) and
chapter 1's voltage chart (one pair of axes) are clicked at non-default values; the CSV
must hold every drawn point of every trace as plotly drew it, under a header naming the
page, the chart, the neuron and the page's settings with their units, and the link; the PNG
must be the chart at twice its size with the caption under it.
"""

from __future__ import annotations

import csv
import io
import math
import struct

import pytest
from liflab_browser import chart, open_page

pytestmark = pytest.mark.browser


def _download(page, key: str, action: str):
    bar = page.locator(f'.lif-chart[data-key="{key}"]').locator("xpath=..")
    with page.expect_download() as info:
        bar.locator(f'.lif-chart-actions [data-action="{action}"]').click()
    return info.value


def _drawn_points(drawn: dict) -> dict[str, list[tuple[float, float]]]:
    out = {}
    for tr in drawn["data"]:
        pts = [
            (x, y)
            for x, y in zip(tr["x"] or [], tr["y"] or [], strict=False)
            if x is not None and y is not None
        ]
        out.setdefault(tr["name"], []).extend(pts)
    return out


def test_csv_holds_every_drawn_point_under_a_header_with_the_values(app_server, browser_ctx):
    page = browser_ctx.new_page()
    open_page(page, app_server.url, "Synaptic_conductances", "R=20&syn_E=-57&syn_I=1.8")
    text = _download(page, "syn_conductance", "csv").path().read_text(encoding="utf-8")
    header = [line for line in text.splitlines() if line.startswith("#")]
    assert header[0].startswith("# LIF Lab · 5 · Synapses are conductances: Conductance-based")
    assert "R = 20 MΩ" in header[1] and "E_L = −65 mV" in header[1]
    assert "Reversal potential E_syn = −57 mV" in header[2]
    assert "Constant current I = 1.80 nA" in header[2]
    assert header[3].startswith("# Link: ") and "syn_E=-57" in header[3]
    rows = list(csv.reader(io.StringIO("\n".join(text.splitlines()[len(header) :]))))
    # several axes: each row names its x and y quantity with the unit
    assert rows[0] == ["series", "x", "y", "x quantity (unit)", "y quantity (unit)"]
    got: dict[str, list[tuple[float, float]]] = {}
    units = {}
    for name, x, y, xq, yq in rows[1:]:
        got.setdefault(name, []).append((float(x), float(y)))
        units[name] = (xq, yq)
    assert units["V"] == ("time (ms)", "membrane potential V (mV)")
    assert units["V − E_syn"] == ("time (ms)", "V − E_syn (mV)")
    assert units["inward (depolarising)"] == ("time (ms)", "current (nA)")
    drawn = _drawn_points(chart(page, "syn_conductance"))
    assert set(got) == {name for name, pts in drawn.items() if pts}
    for name, pts in drawn.items():
        assert len(got.get(name, [])) == len(pts), name
        for (a, b), (c, d) in zip(got[name], pts, strict=True):
            assert math.isclose(a, c, abs_tol=1e-9) and math.isclose(b, d, abs_tol=1e-9)
    page.close()


def test_png_is_the_chart_at_twice_its_size_with_the_caption_under_it(app_server, browser_ctx):
    page = browser_ctx.new_page()
    open_page(page, app_server.url, "Membrane_RC_circuit", "rc_amp=2")
    download = _download(page, "rc_voltage", "png")
    assert download.suggested_filename == "lif-lab-rc_voltage.png"
    data = download.path().read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    w, h = page.evaluate(
        """() => { const g = document.querySelector('.lif-chart[data-key="rc_voltage"]');
                   return [g._fullLayout.width, g._fullLayout.height]; }"""
    )
    assert width == 2 * w
    # the caption: at least four lines of 15 px (x2) under the chart
    assert height >= 2 * h + 4 * 2 * 15
    # the same caption lines as the CSV, from the page
    csv_text = _download(page, "rc_voltage", "csv").path().read_text(encoding="utf-8")
    assert "# Settings: Pulse amplitude I = 2.0 nA; Pulse onset = 20 ms" in csv_text
    assert csv_text.splitlines()[4] == "series,time (ms),membrane potential V (mV)"
    page.close()


@pytest.fixture
def browser_ctx(playwright_chromium):
    ctx = playwright_chromium.new_context(
        viewport={"width": 1280, "height": 720}, accept_downloads=True
    )
    ctx.set_default_timeout(30_000)
    yield ctx
    ctx.close()
