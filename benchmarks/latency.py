"""Interaction latency in a real browser: slider key press -> every chart redrawn.

For each page of LIF Lab (and, in the same run, the one-slider one-chart baseline app
``benchmarks/baseline_app.py``), headless Chromium at 1600x1000 opens the page, then presses
an arrow key on a page slider ``--presses`` times (default 20; the page's sliders in turn,
each moving one way, so every press asks for a parameter set not computed before, i.e. a cold
``st.cache_data``). The latency of a press is the time from the ``keydown`` event to the
last chart redrawn by it (plotly's ``_fullData`` replaced, seen at the next animation frame).
It includes the websocket round trip, the script rerun and plotly's redraw in the browser.

Also measured: *cold start* = a freshly started server and a fresh browser context (empty
cache) opening a chapter by deep link, from navigation start to the first chart drawn (and
to all charts drawn), plus the server's own boot time, and the same for the baseline app;
and the time to open each page in a fresh browser context (warm server).

Targets: p50 <= 250 ms on every page and <= 1.3x the baseline's p50; cold start <= 3 s.

Run::

    python benchmarks/latency.py               # all pages, 20 presses each
    python benchmarks/latency.py --presses 40 --pages Membrane_RC_circuit

The machine's load average is printed: other processes on the same cores inflate everything.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from playwright.sync_api import TimeoutError as PlaywrightTimeout

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests" / "browser"))

from liflab_browser import (  # noqa: E402 (path set above)
    CHARTS_DRAWN_JS,
    CHROMIUM,
    CHROMIUM_ARGS,
    VIEWPORT,
    charts,
    exceptions,
    open_url,
    press_slider,
    slider_bounds,
    slider_keys,
    slider_value,
)
from load_server import ROOT, StreamlitServer, discover_pages  # noqa: E402

TARGET_P50_MS = 250.0
TARGET_RATIO = 1.3
TARGET_COLD_S = 3.0


@dataclass
class PageLatency:
    """Latency of one page."""

    name: str
    charts: int
    open_ms: float
    presses: list[float] = field(default_factory=list)  # key -> last chart redrawn, ms
    run_end: list[float] = field(default_factory=list)  # key -> script finished, ms
    redrawn: list[int] = field(default_factory=list)  # charts redrawn per press
    errors: list[str] = field(default_factory=list)

    def pct(self, q: float, values: list[float] | None = None) -> float:
        """Percentile ``q`` of the press latencies (ms)."""
        v = self.presses if values is None else values
        return float(np.percentile(v, q)) if v else float("nan")


def _plan(page, n: int) -> list[tuple[str, str]]:
    """(slider key, arrow key) for ``n`` presses: page sliders in turn, each one way.

    Each slider moves in the direction with more room; a slider at the end of its range
    turns round. Sidebar sliders are used only when the page has none of its own.
    """
    keys = slider_keys(page, sidebar=False) or slider_keys(page, sidebar=True)
    state = {}
    for k in keys:
        lo, hi, step = slider_bounds(page, k)
        v = slider_value(page, k)
        state[k] = [v, lo, hi, step, 1 if hi - v >= v - lo else -1]
    plan = []
    for i in range(n):
        k = keys[i % len(keys)]
        v, lo, hi, step, d = state[k]
        if not lo - 1e-9 <= v + d * step <= hi + 1e-9:
            d = -d
        state[k] = [v + d * step, lo, hi, step, d]
        plan.append((k, "ArrowRight" if d > 0 else "ArrowLeft"))
    return plan


def measure_page(browser, url: str, name: str, presses: int, pause: float) -> PageLatency:
    """Open ``url`` in a fresh context and time ``presses`` slider key presses."""
    ctx = browser.new_context(viewport=VIEWPORT)
    page = ctx.new_page()
    try:
        t0 = time.perf_counter()
        open_url(page, url)
        open_ms = (time.perf_counter() - t0) * 1e3
        result = PageLatency(name, len(charts(page)), open_ms)
        plan = _plan(page, presses + 2)
        for i, (key, arrow) in enumerate(plan):
            try:
                timing = press_slider(page, key, arrow)
            except PlaywrightTimeout:
                status = page.evaluate("() => window.__liflab.status()")
                result.errors.append(f"press {i} on {key} ({arrow}) timed out: {status}")
                continue
            if i >= 2:  # two warm-up presses (first use of code paths, plotly's caches)
                result.presses.append(timing["last_redraw"])
                result.run_end.append(timing["run_end"])
                result.redrawn.append(timing["changed"])
            time.sleep(pause)
        result.errors += exceptions(page)
        return result
    finally:
        ctx.close()


def cold_start(browser, app: Path, path: str) -> dict[str, float]:
    """Fresh server + fresh browser context: deep link -> first chart / all charts (s).

    Also returns when the HTML document was loaded (``html``), and the server's boot time.
    """
    with StreamlitServer(app) as server:
        ctx = browser.new_context(viewport=VIEWPORT)
        page = ctx.new_page()
        try:
            t0 = time.perf_counter()
            page.goto(f"{server.url}/{path}?R=12", wait_until="commit")
            page.wait_for_selector(".js-plotly-plot .main-svg", timeout=60_000)
            first = time.perf_counter() - t0
            page.wait_for_selector(
                '[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=60_000
            )
            page.wait_for_function(CHARTS_DRAWN_JS, timeout=60_000)
            every = time.perf_counter() - t0
            marks = page.evaluate(
                """() => ({html: performance.getEntriesByType('navigation')[0]
                                  .domContentLoadedEventEnd})"""
            )
        finally:
            ctx.close()
        return {
            "server_boot": server.startup_seconds,
            "html": marks["html"] / 1e3,
            "first_chart": first,
            "all_charts": every,
        }


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; returns 0 when every target is met."""
    from playwright.sync_api import sync_playwright

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--presses", type=int, default=20, help="timed presses per page (20)")
    ap.add_argument("--pause", type=float, default=0.3, help="seconds between presses")
    ap.add_argument("--pages", nargs="*", help="URL paths (default: every page with a chart)")
    ap.add_argument("--app", default=str(ROOT / "app.py"))
    args = ap.parse_args(argv)

    load = os.getloadavg()
    print(f"load average before the run: {load[0]:.2f} (1 min) on {os.cpu_count()} cores")
    pages = args.pages
    if pages is None:
        pages = [p.url_path for p in discover_pages(args.app) if p.url_path]
    rows: list[PageLatency] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            cold = cold_start(browser, Path(args.app), pages[0] if pages else "")
            # the same for the baseline app: what any Streamlit page needs on this machine
            cold_base = cold_start(browser, HERE / "baseline_app.py", "")
            with (
                StreamlitServer(args.app) as app_server,
                StreamlitServer(HERE / "baseline_app.py") as base_server,
            ):
                # warm both servers (imports, first runs) before timing anything
                for url in [f"{app_server.url}/{p}" for p in pages] + [base_server.url]:
                    ctx = browser.new_context(viewport=VIEWPORT)
                    open_url(ctx.new_page(), url)
                    ctx.close()
                baseline = measure_page(
                    browser, base_server.url, "baseline (1 slider, 1 chart)", args.presses, 0.3
                )
                for p in pages:
                    rows.append(
                        measure_page(
                            browser, f"{app_server.url}/{p}", "/" + p, args.presses, args.pause
                        )
                    )
                    print(f"  {rows[-1].name}: p50 {rows[-1].pct(50):.0f} ms", file=sys.stderr)
                    # second baseline sample spread over the run, against drift in machine load
                extra = measure_page(browser, base_server.url, "baseline", args.presses, 0.3)
                baseline.presses += extra.presses
                baseline.run_end += extra.run_end
                baseline.redrawn += extra.redrawn
        finally:
            browser.close()

    base50 = baseline.pct(50)
    ok = True
    print()
    print(
        "| page | charts | open page ms | presses | p50 ms | p95 ms | max ms "
        "| script done p50 ms | charts redrawn | p50 / baseline | verdict |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for r in [baseline, *rows]:
        ratio = r.pct(50) / base50
        is_base = r is baseline
        good = is_base or (r.pct(50) <= TARGET_P50_MS and ratio <= TARGET_RATIO and not r.errors)
        ok &= good
        print(
            f"| {r.name} | {r.charts} | {r.open_ms:.0f} | {len(r.presses)} | {r.pct(50):.0f} "
            f"| {r.pct(95):.0f} | {max(r.presses):.0f} | {r.pct(50, r.run_end):.0f} "
            f"| {statistics.median(r.redrawn):.0f} of {r.charts} | {ratio:.2f} "
            f"| {'–' if is_base else ('ok' if good else 'MISS')} |"
        )
        for e in r.errors:
            print(f"  exception on {r.name}: {e[:300]}")
    cold_ok = cold["first_chart"] <= TARGET_COLD_S
    ok &= cold_ok
    print()
    print(
        f"cold start (fresh server, fresh browser, deep link to /{pages[0] if pages else ''}): "
        f"server boot {cold['server_boot']:.2f} s; navigation -> HTML {cold['html']:.2f} s, "
        f"-> first chart "
        f"{cold['first_chart']:.2f} s, -> all charts {cold['all_charts']:.2f} s "
        f"[{'ok' if cold_ok else 'MISS'} (first chart <= {TARGET_COLD_S:.0f} s)]"
    )
    print(
        f"cold start of the baseline app, same way: server boot {cold_base['server_boot']:.2f} s; "
        f"-> first chart {cold_base['first_chart']:.2f} s"
    )
    load = os.getloadavg()
    print(f"load average after the run: {load[0]:.2f} (1 min)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
