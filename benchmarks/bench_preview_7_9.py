"""Live previews of chapters 7-9 in a real browser: a scripted 1 s drag of each slider.

For each slider below, headless Chromium (1600x1000) opens its page, presses the slider's
thumb and moves it by ``--pixels`` in 60 mouse moves 16 ms apart (about 1 s), then
releases it. Printed per slider: the frames the preview drew during the drag (animation
frames with a redraw, ``LIFLive.stats.frames``) and per second, the charts redrawn, the JS
compute per frame (``LIFLive.stats.compute``: the recipes' physics and patches, all charts
of the frame) and the draw per frame (``LIFLive.stats.draw``: ``Plotly.react`` of the
frame's charts), as median and 90th percentile, and the messages sent to the server during
the drag (must be 0) and after the release (must be 1), and the time from the release to
the last message of the rerun (Python's figures and previews received). Then, per chart,
the size of its preview spec (the JSON the chart element receives besides the figure) and
of the figure.

Run::

    python benchmarks/bench_preview_7_9.py
    python benchmarks/bench_preview_7_9.py --pixels 200 --only nz_I num_dt

The machine's load average is printed: other processes on the same cores inflate the times.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests" / "browser"))

from liflab_browser import CHROMIUM, CHROMIUM_ARGS, VIEWPORT, open_page, wait_idle  # noqa: E402
from load_server import StreamlitServer  # noqa: E402

#: (page URL path, slider key) to drag; R is a sidebar slider. Chapter 1's pulse amplitude
#: (two light charts) is the reference: what the machine does in the same run.
DRAGS = [
    ("Membrane_RC_circuit", "rc_amp"),
    ("What_the_LIF_leaves_out", "bx_amp"),
    ("What_the_LIF_leaves_out", "bx_a_adapting"),
    ("What_the_LIF_leaves_out", "bx_ring"),
    ("What_the_LIF_leaves_out", "bx_I"),
    ("What_the_LIF_leaves_out", "bx_gc"),
    ("Noise_and_irregular_firing", "nz_I"),
    ("Noise_and_irregular_firing", "nz_tau"),
    ("Noise_and_irregular_firing", "R"),
    ("How_the_simulator_works", "num_dt"),
    ("How_the_simulator_works", "num_I"),
    ("How_the_simulator_works", "R"),
]

STATS_JS = """() => ({frames: LIFLive.stats.frames, redraws: LIFLive.stats.redraws,
  compute: LIFLive.stats.compute.length, draw: LIFLive.stats.draw.length,
  errors: LIFLive.stats.errors.length})"""

SIZES_JS = """() => [...LIFLive.charts.entries()].filter(([k, e]) => e.graph.isConnected)
  .map(([k, e]) => ({key: k, spec: e.spec ? JSON.stringify(e.spec).length : 0,
                     figure: JSON.stringify(e.figure).length}))"""


def drag(page, key: str, pixels: float, steps: int = 60) -> None:
    """Press the slider's thumb and move it by ``pixels`` in ``steps`` moves 16 ms apart."""
    thumb = page.locator(f'.st-key-{key} [data-testid="stSliderThumbValue"]').locator("..")
    thumb.scroll_into_view_if_needed()
    box = thumb.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    for i in range(1, steps + 1):
        page.mouse.move(x + pixels * i / steps, y)
        page.wait_for_timeout(16)


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    return s[min(len(s) - 1, int(q * len(s)))]


def measure(browser, url: str, path: str, key: str, pixels: float) -> dict:
    ctx = browser.new_context(viewport=VIEWPORT)
    page = ctx.new_page()
    sent: list[int] = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda f: sent.append(1)))
    open_page(page, url, path)
    page.wait_for_timeout(500)
    before = page.evaluate(STATS_JS)
    n0 = len(sent)
    t0 = page.evaluate("() => performance.now()")
    drag(page, key, pixels)
    page.wait_for_timeout(100)  # the last frame's draw
    t1 = page.evaluate("() => performance.now()")
    after = page.evaluate(STATS_JS)
    compute = page.evaluate(f"() => LIFLive.stats.compute.slice({before['compute']})")
    draw = page.evaluate(f"() => LIFLive.stats.draw.slice({before['draw']})")
    during = len(sent) - n0
    t_up = page.evaluate("() => performance.now()")
    page.mouse.up()
    page.wait_for_timeout(300)
    wait_idle(page)
    page.wait_for_timeout(1000)
    # the rerun's last message from the server (its figures and previews), after the release
    release = page.evaluate("() => window.__liflabWs.last") - t_up
    sizes = page.evaluate(SIZES_JS)
    ctx.close()
    frames = after["frames"] - before["frames"]
    return {
        "path": path,
        "key": key,
        "frames": frames,
        "fps": frames / ((t1 - t0) / 1000.0),
        "redraws": after["redraws"] - before["redraws"],
        "compute": compute,
        "draw": draw,
        "errors": after["errors"] - before["errors"],
        "sent_during": during,
        "sent_after": len(sent) - n0 - during,
        "release": release,
        "sizes": sizes,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pixels", type=float, default=120.0, help="drag distance (px)")
    ap.add_argument("--only", nargs="*", help="slider keys to drag (default: all)")
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    drags = [d for d in DRAGS if not args.only or d[1] in args.only]
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())} ({os.cpu_count()} cores)")
    rows, sizes = [], {}
    with StreamlitServer() as server, sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        for path, key in drags:
            r = measure(browser, server.url, path, key, args.pixels)
            rows.append(r)
            for s in r["sizes"]:
                sizes[(path, s["key"])] = s
        browser.close()
    print(
        f"\n{'page':<28}{'slider':<15}{'frames':>7}{'fps':>6}{'redraws':>8}"
        f"{'compute p50/p90 ms':>20}{'draw p50/p90 ms':>18}{'sent':>6}{'after':>6}{'errors':>7}"
        f"{'release ms':>11}"
    )
    for r in rows:
        c, d = r["compute"], r["draw"]
        print(
            f"{r['path'][:27]:<28}{r['key']:<15}{r['frames']:>7}{r['fps']:>6.1f}{r['redraws']:>8}"
            f"{statistics.median(c) if c else float('nan'):>11.1f}/{pct(c, 0.9):<8.1f}"
            f"{statistics.median(d) if d else float('nan'):>9.1f}/{pct(d, 0.9):<8.1f}"
            f"{r['sent_during']:>6}{r['sent_after']:>6}{r['errors']:>7}{r['release']:>11.0f}"
        )
    print(f"\n{'page':<28}{'chart':<18}{'preview spec':>14}{'figure':>12}")
    for (path, key), s in sizes.items():
        print(f"{path[:27]:<28}{key:<18}{s['spec'] / 1024:>11.1f} kB{s['figure'] / 1024:>9.1f} kB")
    print("\n" + json.dumps({"load": os.getloadavg()}))


if __name__ == "__main__":
    main()
