"""Live previews in headless Chromium: frames per second while a slider is dragged.

For every chapter (and a sidebar slider on chapter 1), a scripted 1 s mouse drag of a slider
(60 moves, one per 16.7 ms; the chapter's previewed slider with the most steps, far enough
for 60 value changes where the track allows, see ``_drag_once``) measures:

- px: the drag's length; values: how many times the slider's value changed (the drag layer,
  ``lab_drag.js``, counts them): no more frames than that can be drawn;
- frames: chart redraw rounds the preview drew during the drag; drag s: how long the 60 moves
  took (a page that cannot keep up stretches the drag); frames per second = frames / drag s;
- compute ms per frame (the JS engine and recipes): the mean, which the target is checked on,
  and the median (the first frame of a drag can take 15-65 ms: a chart whose axes hold
  through the drag computes its slider's two ends then) and draw ms per frame (the canvas layer
  of ``lab_canvas.js`` where only data move, else ``Plotly.react``), and how many chart
  redraws the canvas layer drew (the others: why plotly had to, after the table);
- messages sent to the server during the drag (must be 0) and after the release (must be 1);
- release -> Python's figures shown (ms);
- the renderer's own limit: a bare ``Plotly.react`` loop redrawing the same figures (two
  preview states in turn) for 1 s, in the same page, frames per second.

Then, in the same run: key press -> every numpy chart redrawn, p50 per chapter, against the
baseline app (``benchmarks/baseline_app.py``) drawing the same number of charts with the same
point counts; and cold start (fresh server, fresh browser context, deep link -> first chart)
against the baseline app's.

Targets: >= 30 frames per second on every chapter, >= 0.8x the bare loop's frame rate,
compute <= 4 ms per frame; key press <= 1.3x the same-charts baseline; cold start <= 1.2x.

Run::

    python benchmarks/live_drag.py                      # every chapter
    python benchmarks/live_drag.py --pages Membrane_RC_circuit --presses 10

Timings are noisy on a shared machine: the load average is printed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests" / "browser"))

from latency import cold_start, measure_page  # noqa: E402 (path set above)
from liflab_browser import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    VIEWPORT,
    open_url,
    slider_keys,
    wait_idle,
)
from load_server import ROOT, StreamlitServer, discover_pages  # noqa: E402
from playwright.sync_api import TimeoutError as PlaywrightTimeout  # noqa: E402

TARGET_FPS = 30.0
TARGET_BARE = 0.8
TARGET_COMPUTE_MS = 4.0
TARGET_RATIO = 1.3
TARGET_COLD = 1.2

CHARTS_JS = """() => [...LIFLive.charts.entries()].filter(([k, e]) => e.graph.isConnected && e.spec)
  .map(([k, e]) => ({key: k, sliders: [...new Set(Object.values(e.spec.inputs).map(b => b.key))],
                     points: e.figure.data.reduce((n, t) => n + (t.x ? t.x.length : 0), 0)}))"""

#: A bare Plotly.react loop on the charts that `key` drives: two preview states in turn.
BARE_JS = """async ([key, a, b, ms]) => {
  const entries = [...LIFLive.charts.entries()].filter(([k, e]) => e.graph.isConnected && e.spec
      && Object.values(e.spec.inputs).some(i => i.key === key));
  const figs = entries.map(([k, e]) => [e.graph, LIFLive.previewFigure(k, {[key]: a}),
                                        LIFLive.previewFigure(k, {[key]: b})]);
  let frames = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < ms) {
    await new Promise(r => requestAnimationFrame(r));
    await Promise.all(figs.map(([g, fa, fb]) => {
      const f = frames % 2 ? fb : fa;
      return Plotly.react(g, f.data, f.layout);
    }));
    frames += 1;
  }
  const dt = performance.now() - t0;
  // back to Python's figures
  await Promise.all(entries.map(([k, e]) => Plotly.react(e.graph, e.figure.data, e.figure.layout)));
  return frames / dt * 1e3;
}"""


def _drag_once(
    page, key: str, pixels: float | None = None, duration_ms: float = 1000.0, moves: int = 60
):
    """Drag the slider's thumb over ``duration_ms``; return the measurements.

    ``pixels``: how far (signed); default: far enough for ``moves`` value changes (at least
    200 px), towards the end of the track with more room and at most 90 % of that room, so
    that the value does not stop at an end mid-drag. A coarse slider whose room from where it
    stands holds fewer steps is first sent to one end (Home or End key, committed and redrawn
    before the drag): otherwise the drag could not ask for 30 frames a second (chapter 2's
    current slider, 60 steps over 1100 px, gave 11 values in a 200 px drag).
    """
    thumb = page.locator(f'.st-key-{key} [data-testid="stSliderThumbValue"]').locator("..")
    track = page.locator(f'.st-key-{key} [data-testid="stSlider"] [style*="touch-action"]').first
    thumb.scroll_into_view_if_needed()

    def where():
        box, t = thumb.bounding_box(), track.bounding_box()
        x = box["x"] + box["width"] / 2
        return x, box["y"] + box["height"] / 2, t["x"] + t["width"] - x, x - t["x"], t["width"]

    x, y, right, left, width = where()
    if pixels is None:
        wanted = max(200.0, moves * width / _steps(page, key))
        if 0.9 * max(right, left) < wanted and 0.9 * width > 0.9 * max(right, left) + 1:
            page.locator(f'.st-key-{key} input[type="range"]').first.focus()
            page.keyboard.press("Home" if right >= left else "End")
            page.wait_for_timeout(300)
            wait_idle(page)
            page.wait_for_timeout(300)
            x, y, right, left, width = where()
        pixels = min(0.9 * max(right, left), wanted) * (1 if right >= left else -1)
    sent = page._liflab_sent
    before = page.evaluate(
        "() => ({frames: LIFLive.stats.frames, c: LIFLive.stats.compute.length,"
        " d: LIFLive.stats.draw.length, t: performance.now(), redraws: LIFLive.stats.redraws,"
        " canvas: LIFLive.stats.canvas, why: {...LIFCanvas.why.counts},"
        " values: LIFDrag.stats.values})"
    )
    n0 = len(sent)
    page.mouse.move(x, y)
    page.mouse.down()
    t_start = time.perf_counter()
    for i in range(1, moves + 1):
        page.mouse.move(x + pixels * i / moves, y)
        target = t_start + duration_ms / 1e3 * i / moves
        time.sleep(max(0.0, target - time.perf_counter()))
    elapsed = time.perf_counter() - t_start
    page.wait_for_timeout(100)  # the last frame's draw
    after = page.evaluate(
        "([c, d]) => ({frames: LIFLive.stats.frames, compute: LIFLive.stats.compute.slice(c),"
        " draw: LIFLive.stats.draw.slice(d), errors: LIFLive.stats.errors.slice(0, 3),"
        " t: performance.now(), redraws: LIFLive.stats.redraws, canvas: LIFLive.stats.canvas,"
        " why: {...LIFCanvas.why.counts}, values: LIFDrag.stats.values})",
        [before["c"], before["d"]],
    )
    during = len(sent) - n0
    t_up = page.evaluate("() => performance.now()")
    page.mouse.up()
    # release -> every previewed chart shows Python's figure again, drawn after the release
    # (read in the same evaluation: a rerun may re-mount the charts right after)
    release = float("nan")
    try:
        release = page.wait_for_function(
            """([t, key]) => {
                 const es = [...LIFLive.charts.values()].filter(e => e.graph.isConnected && e.spec
                   && Object.values(e.spec.inputs).some(i => i.key === key));
                 const done = es.length && es.every(
                   e => !e.previewing && (e.graph.__lifDrawnAt || 0) > t);
                 return done ? Math.max(...es.map(e => e.graph.__lifDrawnAt)) - t : false;
               }""",
            arg=[t_up, key],
            timeout=20_000,
        ).json_value()
    except PlaywrightTimeout:
        # a chart the slider drives that was not redrawn: name it, measure the rest
        stale = page.evaluate(
            """([t, key]) => [...LIFLive.charts.entries()].filter(([k, e]) => e.graph.isConnected
                 && e.spec && Object.values(e.spec.inputs).some(i => i.key === key)
                 && (e.previewing || (e.graph.__lifDrawnAt || 0) <= t))
                 .map(([k, e]) => k + (e.previewing ? ' (still previewing)' : ''))""",
            [t_up, key],
        )
        print(f"  release: not redrawn within 20 s: {stale}", file=sys.stderr)
    page.wait_for_timeout(500)
    frames = after["frames"] - before["frames"]
    why = {k: n - before["why"].get(k, 0) for k, n in after["why"].items()}
    return {
        "redraws": after["redraws"] - before["redraws"],
        "canvas": after["canvas"] - before["canvas"],
        "why": {k: n for k, n in why.items() if n},
        "frames": frames,
        "values": after["values"] - before["values"],
        "pixels": pixels,
        "elapsed": elapsed,
        "fps": frames / elapsed,
        "compute": statistics.mean(after["compute"]) if after["compute"] else float("nan"),
        "compute_max": max(after["compute"]) if after["compute"] else float("nan"),
        "compute_p50": statistics.median(after["compute"]) if after["compute"] else float("nan"),
        "draw": statistics.mean(after["draw"]) if after["draw"] else float("nan"),
        "sent_during": during,
        "sent_after": len(sent) - n0 - during,
        "release_ms": release,
        "errors": after["errors"],
    }


def _steps(page, key: str) -> float:
    """How many steps a slider has from its minimum to its maximum."""
    lo, hi, step = (
        float(page.locator(f'.st-key-{key} input[type="range"]').first.get_attribute(a))
        for a in ("min", "max", "step")
    )
    return (hi - lo) / step


def drag_page(browser, url: str, sidebar_key: str | None = None) -> dict:
    """Open a chapter, drag its first previewed page slider (or ``sidebar_key``)."""
    ctx = browser.new_context(viewport=VIEWPORT)
    page = ctx.new_page()
    page._liflab_sent = []  # websocket messages the page sends
    page.on("websocket", lambda ws: ws.on("framesent", lambda f: page._liflab_sent.append(1)))
    try:
        open_url(page, url)
        page.wait_for_timeout(500)
        charts = page.evaluate(CHARTS_JS)
        driven = {k for c in charts for k in c["sliders"]}
        if sidebar_key is None:
            keys = [k for k in slider_keys(page, sidebar=False) if k in driven]
            if not keys:
                return {"error": "no page slider drives a preview"}
            # the slider with the most steps: its value changes on (nearly) every move
            key = max(keys, key=lambda k: _steps(page, k))
        else:
            key = sidebar_key
        row = _drag_once(page, key)
        row["key"] = key
        row["charts"] = sum(1 for c in charts if key in c["sliders"])
        value = float(page.locator(f'.st-key-{key} input[type="range"]').first.input_value())
        step = float(page.locator(f'.st-key-{key} input[type="range"]').first.get_attribute("step"))
        row["bare_fps"] = page.evaluate(BARE_JS, [key, value, value - 5 * step, 1000])
        row["points"] = [c["points"] for c in charts]
        return row
    finally:
        ctx.close()


def main(argv: list[str] | None = None) -> int:
    from playwright.sync_api import sync_playwright

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--pages", nargs="*", help="URL paths (default: every chapter)")
    ap.add_argument("--presses", type=int, default=12, help="key presses per page (latency)")
    ap.add_argument("--no-latency", action="store_true", help="frames only")
    args = ap.parse_args(argv)
    app = ROOT / "app.py"
    pages = args.pages or [p.url_path for p in discover_pages(str(app)) if p.url_path]
    load = os.getloadavg()
    print(f"load average before the run: {load[0]:.2f} (1 min) on {os.cpu_count()} cores")
    ok = True
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        with StreamlitServer(app) as server:
            for p in pages:  # warm the server (imports, first runs)
                ctx = browser.new_context(viewport=VIEWPORT)
                open_url(ctx.new_page(), f"{server.url}/{p}")
                ctx.close()
            rows = []
            for p in pages:
                rows.append((p, drag_page(browser, f"{server.url}/{p}")))
            rows.append(
                (f"{pages[0]} (sidebar R)", drag_page(browser, f"{server.url}/{pages[0]}", "R"))
            )
        print()
        print(
            "| page | slider | charts | px | values | frames | drag s | fps | bare fps | fps/bare "
            "| compute ms mean / p50 (max) | draw ms | canvas / redraws | sent during / after "
            "| release → numpy ms |"
        )
        print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
        for name, r in rows:
            if "error" in r:
                print(f"| {name} | – | – | {r['error']} |")
                ok = False
                continue
            ratio = r["fps"] / r["bare_fps"] if r["bare_fps"] else float("nan")
            print(
                f"| {name} | {r['key']} | {r['charts']} | {r['pixels']:+.0f} | {r['values']} "
                f"| {r['frames']} | {r['elapsed']:.2f} | {r['fps']:.1f} "
                f"| {r['bare_fps']:.1f} | {ratio:.2f} "
                f"| {r['compute']:.2f} / {r['compute_p50']:.2f} ({r['compute_max']:.1f}) "
                f"| {r['draw']:.1f} "
                f"| {r['canvas']} / {r['redraws']} "
                f"| {r['sent_during']} / {r['sent_after']} | {r['release_ms']:.0f} |"
            )
            ok &= r["fps"] >= TARGET_FPS and ratio >= TARGET_BARE
            ok &= r["compute"] <= TARGET_COMPUTE_MS and r["sent_during"] == 0
            ok &= r["sent_after"] == 1 and not r["errors"]
            if r["errors"]:
                print(f"  errors: {r['errors']}")
        # why the redraws that were not drawn on the canvas layer needed plotly
        for name, r in rows:
            if r.get("why"):
                print(f"  {name}: drawn by plotly because of {r['why']}")
        if args.no_latency:
            return 0 if ok else 1
        # key press -> numpy charts, against the same-charts baseline; cold starts
        print()
        print("| page | charts (points) | p50 ms | baseline p50 ms | ratio |")
        print("|---|---|---|---|---|")
        with StreamlitServer(app) as server, StreamlitServer(HERE / "baseline_app.py") as base:
            for name, r in rows[:-1]:
                if "error" in r:
                    continue
                points = ",".join(str(n) for n in r["points"])
                for url in (f"{server.url}/{name}", f"{base.url}/?points={points}"):
                    ctx = browser.new_context(viewport=VIEWPORT)
                    open_url(ctx.new_page(), url)
                    ctx.close()
                mine = measure_page(browser, f"{server.url}/{name}", name, args.presses, 0.3)
                theirs = measure_page(
                    browser, f"{base.url}/?points={points}", "baseline", args.presses, 0.3
                )
                ratio = mine.pct(50) / theirs.pct(50)
                ok &= ratio <= TARGET_RATIO
                print(
                    f"| {name} | {len(r['points'])} ({points}) | {mine.pct(50):.0f} "
                    f"| {theirs.pct(50):.0f} | {ratio:.2f} |"
                )
        cold = cold_start(browser, app, pages[0])
        cold_base = cold_start(browser, HERE / "baseline_app.py", "")
        ratio = cold["first_chart"] / cold_base["first_chart"]
        ok &= ratio <= TARGET_COLD
        print()
        print(
            f"cold start, first chart: {cold['first_chart']:.2f} s (baseline app "
            f"{cold_base['first_chart']:.2f} s): {ratio:.2f}x (target <= {TARGET_COLD}x)"
        )
        browser.close()
    print(f"\nall targets met: {ok}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
