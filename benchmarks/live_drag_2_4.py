"""Live previews of chapters 2-4 during a scripted 1 s mouse drag, per chart.

For each chapter (2, 3, 4) headless Chromium at 1600x1000 opens the page at its defaults and
drags, with the mouse, a page slider (chapter 2: the current; 3: the current; 4: the
operating current, which drives both charts, and the f–I chart's right end) and then the
sidebar's R, each for about 1 s (60 moves, 16 ms apart: ``_drag`` of the browser tests).
Printed per drag: its duration, the frames the preview drew (``LIFLive.stats.frames``), the
JS compute per frame (``LIFLive.stats.compute``: the recipes of every chart redrawn in the
frame) and the draw per frame (``LIFLive.stats.draw``: ``Plotly.react`` of those charts,
until drawn); per chart, its redraws during the drag and the synchronous part of its
``Plotly.react`` (ms, median), and the messages sent to the server during the drag (must be
0) and after the release (must be 1).

Run::

    python benchmarks/live_drag_2_4.py

The machine's load average is printed: other processes on the same cores inflate the times.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests" / "browser"))

from liflab_browser import CHROMIUM, CHROMIUM_ARGS, VIEWPORT, open_url, wait_idle  # noqa: E402
from load_server import StreamlitServer  # noqa: E402

#: (page, slider key, drag in px): the drags timed.
DRAGS = [
    ("Resting_equilibrium", "eq_I", 500.0),  # a full-width slider: ~18 px per step
    ("Resting_equilibrium", "R", 40.0),
    ("Threshold_and_spikes", "th_amp", 120.0),
    ("Threshold_and_spikes", "R", 40.0),
    ("Refractory_period_f-I", "fi_I", 120.0),
    ("Refractory_period_f-I", "fi_Imax", 120.0),
    ("Refractory_period_f-I", "R", 40.0),
]

#: Times the synchronous part of every Plotly.react, by chart key.
PROBE_JS = """() => {
  if (window.__lifProbe) return;
  const probe = new Map();
  const P = window.Plotly;
  const react = P.react;
  P.react = function (gd, ...rest) {
    const t0 = performance.now();
    const out = react.call(this, gd, ...rest);
    const key = gd.dataset && gd.dataset.key;
    if (!probe.has(key)) probe.set(key, []);
    probe.get(key).push(performance.now() - t0);
    return out;
  };
  window.__lifProbe = probe;
}"""

STATS_JS = """() => ({
  frames: LIFLive.stats.frames, compute: LIFLive.stats.compute.slice(),
  draw: LIFLive.stats.draw.slice(), errors: LIFLive.stats.errors.slice(),
  react: Object.fromEntries([...window.__lifProbe.entries()].map(([k, v]) => [k, v.slice()])),
})"""


def drag(page, key: str, pixels: float, steps: int = 60) -> float:
    """Press the slider's thumb and move it by ``pixels`` in ``steps`` moves; seconds taken."""
    thumb = page.locator(f'.st-key-{key} [data-testid="stSliderThumbValue"]').locator("..")
    thumb.scroll_into_view_if_needed()
    box = thumb.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    t0 = time.perf_counter()
    for i in range(1, steps + 1):
        page.mouse.move(x + pixels * i / steps, y)
        page.wait_for_timeout(16)
    return time.perf_counter() - t0


def measure(browser, url: str, key: str, pixels: float) -> dict:
    ctx = browser.new_context(viewport=VIEWPORT)
    page = ctx.new_page()
    sent: list[int] = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda f: sent.append(1)))
    open_url(page, url)
    page.evaluate(PROBE_JS)
    value = f'() => parseFloat(document.querySelector(".st-key-{key} input[type=range]").value)'
    start = page.evaluate(value)
    before = page.evaluate(STATS_JS)
    n0 = len(sent)
    seconds = drag(page, key, pixels)
    page.wait_for_timeout(100)  # the last frame's draw
    after = page.evaluate(STATS_JS)
    end = page.evaluate(value)
    during = len(sent) - n0
    page.mouse.up()
    page.wait_for_timeout(300)
    wait_idle(page)
    release = len(sent) - n0 - during
    ctx.close()
    compute = after["compute"][len(before["compute"]) :]
    draw = after["draw"][len(before["draw"]) :]
    return {
        "seconds": seconds,
        "moved": f"{start:g} → {end:g}",
        "frames": after["frames"] - before["frames"],
        "compute": compute,
        "draw": draw,
        "react": {k: v[len(before["react"].get(k, [])) :] for k, v in after["react"].items()},
        "errors": after["errors"],
        "during": during,
        "release": release,
    }


def main() -> int:
    from playwright.sync_api import sync_playwright

    load = os.getloadavg()
    print(
        f"load average before: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} cores"
    )
    rows = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            with StreamlitServer() as server:
                for page_path in dict.fromkeys(p for p, _, _ in DRAGS):  # warm the server
                    ctx = browser.new_context(viewport=VIEWPORT)
                    open_url(ctx.new_page(), f"{server.url}/{page_path}")
                    ctx.close()
                for page_path, key, pixels in DRAGS:
                    rows.append(
                        (page_path, key, measure(browser, f"{server.url}/{page_path}", key, pixels))
                    )
        finally:
            browser.close()

    def med(v: list[float]) -> float:
        return statistics.median(v) if v else float("nan")

    def top(v: list[float]) -> float:
        return max(v, default=float("nan"))

    print()
    print(
        "| page | slider (from → to) | drag s | frames | fps | compute ms/frame (median, max) "
        "| draw ms/frame (median, max) | chart: redraws, react ms (median) | sent during / after |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for page_path, key, r in rows:
        charts = "; ".join(
            f"{k}: {len(v)}, {med(v):.1f}" for k, v in sorted(r["react"].items()) if v
        )
        fps = r["frames"] / r["seconds"]
        print(
            f"| /{page_path} | {key} ({r['moved']}) | {r['seconds']:.2f} | {r['frames']} "
            f"| {fps:.0f} | {med(r['compute']):.2f}, {top(r['compute']):.2f} "
            f"| {med(r['draw']):.1f}, {top(r['draw']):.1f} | {charts} "
            f"| {r['during']} / {r['release']} |"
        )
        for e in r["errors"]:
            print(f"  error: {e}")
    load = os.getloadavg()
    print(f"\nload average after: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
