"""Live previews of chapters 5 and 6 during a drag: frames, compute and draw time per frame.

Headless Chromium (1600x1000) opens each chapter and drags a slider with the mouse for one
second of wall time (a move every 16 ms; moves the busy browser acknowledges late are
fewer, not later), then releases it. Printed per drag, for each chart it
changes: the frames the chart was redrawn during the drag (plotly's ``_fullData`` replaced,
seen at every animation frame), and for the drag as a whole the JavaScript compute time per
frame (``LIFLive.stats.compute``: every chart's recipe in that frame, after a warm-up that
compiles them) and the draw time per
frame (``LIFLive.stats.draw``: ``Plotly.react`` of every chart redrawn in that frame),
median and 90th percentile; messages sent to the server during the drag (must be 0) and
after the release (must be 1); and the renderer's limit: a bare ``Plotly.react`` loop
redrawing the same charts with two preview figures in turn (ms per frame). Then, per chart,
the recipe alone (``previewFigure``: compute and patch of that one chart) at 40 values along
the drag.

Run::

    python benchmarks/live_drag_5_6.py
    python benchmarks/live_drag_5_6.py --repeat 3

The machine's load average is printed: other processes on the same cores inflate everything.
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

from liflab_browser import (  # noqa: E402 (path set above)
    CHROMIUM,
    CHROMIUM_ARGS,
    VIEWPORT,
    open_url,
    slider_bounds,
    slider_value,
    wait_idle,
)
from load_server import StreamlitServer  # noqa: E402

#: (page, slider) drags: each chapter's slider that moves all its charts, one more, and R.
DRAGS = [
    ("Synaptic_conductances", "syn_E", -120.0),
    ("Synaptic_conductances", "syn_rate", 120.0),
    ("Synaptic_conductances", "R", 40.0),
    ("Shunting_inhibition", "sh_gi", 120.0),
    ("Shunting_inhibition", "sh_ge", 120.0),
    ("Shunting_inhibition", "R", 40.0),
]

#: Counts every chart's redraws (a new ``_fullData``) at every animation frame.
COUNTER_JS = r"""() => {
  const last = new Map(), count = {};
  let on = true;
  const tick = () => {
    for (const gd of document.querySelectorAll('.js-plotly-plot')) {
      const key = gd.dataset.key;
      if (last.has(gd) && last.get(gd) !== gd._fullData) count[key] = (count[key] || 0) + 1;
      last.set(gd, gd._fullData);
    }
    if (on) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
  window.__lifCount = { stop: () => { on = false; return count; } };
  LIFLive.stats.compute.length = 0;
  LIFLive.stats.draw.length = 0;
}"""

#: The recipe alone for one chart: previewFigure at n values of a slider (ms each).
RECIPE_JS = r"""([chart, key, lo, hi, n]) => {
  const out = [];
  for (let i = 0; i < n; i++) {
    const v = lo + ((hi - lo) * i) / (n - 1);
    const t0 = performance.now();
    LIFLive.previewFigure(chart, { [key]: v });
    out.push(performance.now() - t0);
  }
  return out;
}"""


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    return s[min(len(s) - 1, int(q * len(s)))]


def drag(page, key: str, pixels: float, seconds: float = 1.0) -> int:
    """Press the slider's thumb and move it by ``pixels`` over ``seconds`` of wall time.

    A move every 16 ms to where the thumb should be at that moment: a browser busy drawing
    acknowledges moves late, and the drag still ends after ``seconds`` (as a hand would).
    Returns the number of moves.
    """
    thumb = page.locator(f'.st-key-{key} [data-testid="stSliderThumbValue"]').locator("..")
    thumb.scroll_into_view_if_needed()
    box = thumb.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    t0 = time.perf_counter()
    moves = 0
    while (elapsed := time.perf_counter() - t0) < seconds:
        page.mouse.move(x + pixels * elapsed / seconds, y)
        moves += 1
        page.wait_for_timeout(16)
    page.mouse.move(x + pixels, y)
    return moves + 1


#: The renderer's limit: ``Plotly.react`` of the same charts, alternating between two preview
#: figures, one frame after the other (ms per frame, median).
BARE_JS = r"""async ([charts, key, a, b, n]) => {
  const figs = charts.map((c) => [LIFLive.previewFigure(c, {[key]: a}),
                                  LIFLive.previewFigure(c, {[key]: b})]);
  const graphs = charts.map((c) => LIFLive.charts.get(c).graph);
  const frames = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await Promise.all(graphs.map((g, c) =>
      Plotly.react(g, figs[c][i % 2].data, figs[c][i % 2].layout)));
    await new Promise((r) => requestAnimationFrame(r));
    frames.push(performance.now() - t0);
  }
  return frames.sort((p, q) => p - q)[n >> 1];
}"""


def run(page, sent: list[int], url: str, path: str, key: str, pixels: float) -> dict:
    open_url(page, f"{url}/{path}")
    charts = page.evaluate(
        """(key) => [...LIFLive.charts.entries()]
             .filter(([k, e]) => e.graph.isConnected && e.spec &&
                     Object.values(e.spec.inputs).some((b) => b.key === key))
             .map(([k]) => k)""",
        key,
    )
    lo, hi, _ = slider_bounds(page, key)
    start = slider_value(page, key)
    for c in charts:  # compile the recipes first (a cold first frame costs ~50 ms more)
        page.evaluate(RECIPE_JS, [c, key, lo, hi, 5])
    page.evaluate(COUNTER_JS)
    n_sent = len(sent)
    t0 = page.evaluate("() => performance.now()")
    moves = drag(page, key, pixels)
    frames = page.evaluate("() => window.__lifCount.stop()")
    seconds = (page.evaluate("() => performance.now()") - t0) / 1e3
    stats = page.evaluate(
        "() => ({compute: LIFLive.stats.compute.slice(), draw: LIFLive.stats.draw.slice(),"
        " errors: LIFLive.stats.errors.slice()})"
    )
    during = len(sent) - n_sent
    end = slider_value(page, key)
    page.mouse.up()
    page.wait_for_timeout(300)
    wait_idle(page)
    after = len(sent) - n_sent - during
    # the recipe alone, chart by chart, along the same range of values
    recipe = {
        c: page.evaluate(RECIPE_JS, [c, key, min(start, end), max(start, end), 40]) for c in charts
    }
    bare = page.evaluate(BARE_JS, [charts, key, start, end, 10])
    return {
        "path": path,
        "key": key,
        "range": (start, end, lo, hi),
        "charts": charts,
        "frames": {c: frames.get(c, 0) for c in charts},
        "seconds": seconds,
        "moves": moves,
        "bare": bare,
        "compute": stats["compute"],
        "draw": stats["draw"],
        "errors": stats["errors"],
        "sent": (during, after),
        "recipe": recipe,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=1, help="drags of each slider")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    print(f"load average before: {os.getloadavg()}")
    with StreamlitServer() as server, sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        context = browser.new_context(viewport=VIEWPORT)
        page = context.new_page()
        sent: list[int] = []  # websocket messages the page sends (every navigation's socket)
        page.on("websocket", lambda ws: ws.on("framesent", lambda f: sent.append(1)))
        rows = []
        for _ in range(args.repeat):
            for path, key, pixels in DRAGS:
                rows.append(run(page, sent, server.url, path, key, pixels))
        browser.close()
    print(
        f"\n{'page':<22} {'slider':<8} {'values':<14} {'drag s':>6} {'moves':>5}  "
        f"{'frames drawn per chart':<50} {'compute ms/frame':<17} {'draw ms/frame':<15} "
        f"{'bare react':<11} sent"
    )
    print(
        f"{'':<22} {'':<8} {'':<14} {'':>6} {'':>5}  {'':<50} {'p50 / p90':<17} "
        f"{'p50 / p90':<15} {'ms/frame':<11} drag/release"
    )
    for r in rows:
        start, end, _, _ = r["range"]
        frames = ", ".join(f"{c} {n}" for c, n in r["frames"].items())
        comp = f"{_pct(r['compute'], 0.5):.1f} / {_pct(r['compute'], 0.9):.1f}"
        draw = f"{_pct(r['draw'], 0.5):.0f} / {_pct(r['draw'], 0.9):.0f}"
        print(
            f"{r['path']:<22} {r['key']:<8} {f'{start:g} -> {end:g}':<14} "
            f"{r['seconds']:>6.2f} {r['moves']:>5}  {frames:<50} "
            f"{comp:<17} {draw:<15} {r['bare']:<11.0f} {r['sent'][0]}/{r['sent'][1]}"
            + (f"  errors: {r['errors'][:2]}" if r["errors"] else "")
        )
    print("\nrecipe alone (previewFigure of one chart, compute + patch), ms: p50 / p90")
    for r in rows:
        for c, times in r["recipe"].items():
            print(
                f"  {r['path']:<22} {r['key']:<8} {c:<16} "
                f"{statistics.median(times):.2f} / {_pct(times, 0.9):.2f}"
            )
    print(f"\nload average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
