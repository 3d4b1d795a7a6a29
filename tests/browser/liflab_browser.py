"""Helpers for driving LIF Lab in Playwright: wait for runs, read sliders and chart data.

Shared by the browser tests and ``benchmarks/latency.py``. Conventions (Streamlit 1.67):

- ``[data-testid="stApp"]`` carries ``data-test-script-state``: ``running`` while the script
  runs, ``notRunning`` once it has finished;
- every keyed widget sits in a container with the CSS class ``st-key-<key>``; a slider's
  keyboard-focusable element is its ``input[type=range]``;
- a LIF Lab chart (``lab_chart.js``) is a graph div ``.lif-chart`` whose ``data-key`` is the
  chart's key; plotly makes it a ``.js-plotly-plot`` holding the data it drew in
  ``_fullData`` (typed arrays decoded) and the layout in ``_fullLayout``. ``Plotly.react``
  replaces ``_fullData`` with a new array whenever it redraws, which is how a redraw is seen.
"""

from __future__ import annotations

import json
import math
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
CHROMIUM = Path(os.environ.get("LIFLAB_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1600, "height": 1000}


@dataclass(frozen=True)
class Page:
    """One page of the app: its file and its URL path (no leading slash, ``""`` = start)."""

    file: Path
    url_path: str

    @property
    def id(self) -> str:
        """Short name for test ids and screenshot files."""
        return self.url_path or "start_page"


def discover_pages() -> list[Page]:
    """``app.py`` and ``pages/*.py`` in navigation order, with their URL paths.

    Streamlit sorts page files by leading number and strips it (and the separator after it)
    to build the URL path: ``pages/3_Threshold_and_spikes.py`` -> ``/Threshold_and_spikes``.
    """
    pages = [Page(ROOT / "app.py", "")]

    def key(p: Path) -> tuple[float, str]:
        m = re.match(r"^(\d+)", p.stem)
        return (float(m.group(1)) if m else float("inf"), p.stem.lower())

    for f in sorted((ROOT / "pages").glob("*.py"), key=key):
        if not f.name.startswith("_"):
            pages.append(Page(f, re.sub(r"^\d*[_ -]*", "", f.stem)))
    return pages


PAGES = discover_pages()
CHAPTERS = [p for p in PAGES if p.url_path]


APP_IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'

#: Init script (runs before the app's own code): records when the page's websockets last
#: received a message, so "the run's messages have all arrived" can be seen even when the
#: script-state attribute flips running -> notRunning too fast to be observed.
WS_HOOK_JS = r"""
(() => {
  const W = window.WebSocket;
  if (!W || W.__liflab) return;
  window.__liflabWs = {last: null, count: 0};
  class Hooked extends W {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', () => {
        window.__liflabWs.last = performance.now(); window.__liflabWs.count += 1;
      });
    }
  }
  Hooked.__liflab = true;
  window.WebSocket = Hooked;
})();
"""

#: Installs ``window.__liflab``: after ``arm()``, records the first key press, every
#: running -> notRunning transition of the script, and every chart redraw (a new
#: ``_fullData`` array), with ``performance.now()`` times.
TRACKER_JS = r"""
() => {
  if (window.__liflab) return;
  const t = {armed: false};
  const app = () => document.querySelector('[data-testid="stApp"]');
  new MutationObserver(() => {
    if (!t.armed) return;
    const s = app().getAttribute('data-test-script-state');
    const now = performance.now();
    if (s === 'running') { if (t.runStart === null) t.runStart = now; t.sawRunning = true; }
    if (s === 'notRunning' && t.sawRunning) { t.runEnd = now; t.sawRunning = false; }
  }).observe(document.body, {attributes: true, subtree: true,
                             attributeFilter: ['data-test-script-state']});
  t.arm = () => {
    t.last = new Map();
    for (const g of document.querySelectorAll('.js-plotly-plot')) t.last.set(g, g._fullData);
    t.changed = new Set();
    t.keyTime = null; t.runStart = null; t.runEnd = null; t.sawRunning = false;
    t.firstChange = null; t.lastChange = null; t.armed = true;
    document.addEventListener('keydown', () => {
      if (t.keyTime === null) t.keyTime = performance.now();
    }, {capture: true, once: true});
    const tick = () => {
      const now = performance.now();
      for (const g of document.querySelectorAll('.js-plotly-plot')) {
        if (g._fullData && t.last.get(g) !== g._fullData) {
          t.last.set(g, g._fullData); t.changed.add(g);
          if (t.firstChange === null) t.firstChange = now;
          t.lastChange = now;
        }
      }
      if (t.armed) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  };
  t.status = () => ({
    keyTime: t.keyTime, runStart: t.runStart, runEnd: t.runEnd,
    wsLast: window.__liflabWs && window.__liflabWs.count > t.wsCount0
            ? window.__liflabWs.last : null,
    firstChange: t.firstChange, lastChange: t.lastChange, changed: t.changed.size,
    charts: document.querySelectorAll('.js-plotly-plot').length, now: performance.now(),
    idle: app().getAttribute('data-test-script-state') === 'notRunning',
  });
  t.disarm = () => { t.armed = false; return t.status(); };
  window.__liflab = t;
}
"""

#: Every chart's drawn traces (typed arrays as plain arrays) and a few layout facts.
CHARTS_JS = r"""
() => [...document.querySelectorAll('.js-plotly-plot')].map(gd => {
  const arr = (a) => (a === undefined || a === null) ? null
      : (ArrayBuffer.isView(a) || Array.isArray(a)) ? Array.from(a, v =>
          (typeof v === 'number' && !Number.isFinite(v)) ? null : v) : a;
  const L = gd._fullLayout || {};
  // plotly fills empty titles with placeholders ("Click to enter ...", "<b></b>"): drop them
  const text = (t) => {
    const s = (t === undefined || t === null) ? '' : String(t).replace(/<[^>]*>/g, '').trim();
    return (s === '' || s.startsWith('Click to enter')) ? null : s;
  };
  const axisTitle = (ax) => ax && ax.title ? text(ax.title.text) : null;
  const axes = {};
  for (const k of Object.keys(L)) {
    if (/^[xy]axis\d*$/.test(k)) axes[k] = {title: axisTitle(L[k]),
                                            range: L[k].range ? Array.from(L[k].range) : null};
  }
  return {
    key: gd.dataset.key || (gd.closest('[class*="st-key-"]') || {className: ''}).className
           .split(' ').filter(c => c.startsWith('st-key-')).map(c => c.slice(7))[0] || null,
    title: L.title ? text(L.title.text) : null,
    axes,
    shapes: (L.shapes || []).map(s => ({type: s.type, x0: s.x0, x1: s.x1, y0: s.y0, y1: s.y1,
                                         xref: s.xref, yref: s.yref})),
    annotations: (L.annotations || []).map(a => a.text),
    data: (gd._fullData || []).map(tr => ({
      name: tr.name, type: tr.type, mode: tr.mode, visible: tr.visible,
      x: arr(tr.x), y: arr(tr.y), xaxis: tr.xaxis, yaxis: tr.yaxis,
      dash: tr.line ? tr.line.dash : null,
    })),
  };
})
"""

#: The element containers of the charts on a page: LIF Lab's (keys ``lif-chart-<key>``,
#: see ``lab_chart.py``) and ``st.plotly_chart``'s (the baseline app of the benchmarks).
CHART_ELEMENTS = '[class*="st-key-lif-chart-"], [data-testid="stPlotlyChart"]'

#: True once every chart on the page has been drawn (svg present, data decoded). While
#: an element's code is still loading, its container holds an ``stSkeleton``.
CHARTS_DRAWN_JS = r"""
() => {
  if (document.querySelector('[data-testid="stMain"] [data-testid="stSkeleton"]')) return false;
  const els = [...document.querySelectorAll(__CHART_ELEMENTS__)];
  return els.every(el => {
    const gd = el.querySelector('.js-plotly-plot');
    return gd && gd._fullData && gd._fullLayout && el.querySelector('.main-svg');
  });
}
""".replace("__CHART_ELEMENTS__", json.dumps(CHART_ELEMENTS))


def wait_idle(page, timeout: float = 30_000) -> None:
    """Wait until the script has finished and every chart on the page is drawn."""
    page.wait_for_selector(APP_IDLE, timeout=timeout)
    page.wait_for_function(CHARTS_DRAWN_JS, timeout=timeout)


def open_page(page, base_url: str, path: str = "", query: str = "", timeout=60_000) -> None:
    """Navigate to ``base_url/path?query`` and wait until the page is fully drawn."""
    open_url(page, f"{base_url}/{path}" + (f"?{query}" if query else ""), timeout)


def install_hooks(page) -> None:
    """Add the websocket hook to a tab (once; it applies from its next navigation)."""
    if not getattr(page, "_liflab_hooked", False):
        page.add_init_script(WS_HOOK_JS)
        page._liflab_hooked = True


def open_url(page, url: str, timeout: float = 60_000) -> None:
    """Navigate to ``url`` and wait until the page is fully drawn."""
    install_hooks(page)
    page.goto(url, wait_until="domcontentloaded", timeout=timeout)
    wait_idle(page, timeout)
    page.evaluate(TRACKER_JS)


def charts(page) -> list[dict[str, Any]]:
    """The data and layout every chart on the page has drawn, in page order."""
    return page.evaluate(CHARTS_JS)


def chart(page, key: str) -> dict[str, Any]:
    """The drawn chart with element key ``key``."""
    found = [c for c in charts(page) if c["key"] == key]
    assert found, f"no chart with key {key!r}; keys: {[c['key'] for c in charts(page)]}"
    return found[0]


def trace(chart_data: dict[str, Any], name_start: str) -> dict[str, Any]:
    """The first trace of a chart whose name starts with ``name_start``."""
    for tr in chart_data["data"]:
        if (tr["name"] or "").startswith(name_start):
            return tr
    names = [tr["name"] for tr in chart_data["data"]]
    raise AssertionError(f"no trace named {name_start!r}...; traces: {names}")


def slider_keys(page, sidebar: bool | None = None) -> list[str]:
    """Keys of the sliders on the page (``sidebar``: only those in / outside the sidebar)."""
    return page.evaluate(
        """(sidebar) => [...document.querySelectorAll('[data-testid="stSlider"]')]
          .filter(el => sidebar === null ||
                        !!el.closest('[data-testid="stSidebar"]') === sidebar)
          .map(el => (el.closest('[class*="st-key-"]') || {className: ''}).className
               .split(' ').filter(c => c.startsWith('st-key-')).map(c => c.slice(7))[0])
          .filter(k => k)""",
        sidebar,
    )


def slider_value(page, key: str) -> float:
    """Current value of the slider with widget key ``key`` (display units)."""
    return float(page.locator(f'.st-key-{key} input[type="range"]').first.input_value())


def slider_values(page) -> dict[str, float]:
    """Every keyed slider's value."""
    return {k: slider_value(page, k) for k in slider_keys(page)}


def slider_bounds(page, key: str) -> tuple[float, float, float]:
    """(min, max, step) of a slider."""
    el = page.locator(f'.st-key-{key} input[type="range"]').first
    return tuple(float(el.get_attribute(a)) for a in ("min", "max", "step"))


def press_slider(
    page,
    key: str,
    press: str = "ArrowRight",
    times: int = 1,
    timeout: float = 30_000,
    quiet_ms: float = 200,
    redraw: bool = True,
) -> dict[str, float]:
    """Focus a slider, press a key ``times`` times, and wait for the reruns and redraws.

    Done means: the slider shows its new value, the script is idle, at least one chart was
    redrawn (unless ``redraw`` is False: a slider no chart on the page depends on), and for
    ``quiet_ms`` no chart was redrawn and no websocket message arrived.

    Returns
    -------
    dict
        Times in ms from the first key press: ``run_end`` (the run's last websocket
        message, or the script state turning idle, whichever is later),
        ``first_redraw``, ``last_redraw`` (last chart redrawn; the interaction latency);
        ``changed`` charts redrawn out of ``charts``.
    """
    lo, hi, step = slider_bounds(page, key)
    value = slider_value(page, key)
    sign = {"ArrowRight": 1, "ArrowUp": 1, "ArrowLeft": -1, "ArrowDown": -1}.get(press, 0)
    expected = min(max(value + sign * step * times, lo), hi)
    page.evaluate(TRACKER_JS)
    page.evaluate("() => window.__liflab.arm()")
    page.locator(f'.st-key-{key} input[type="range"]').first.focus()
    for _ in range(times):
        page.keyboard.press(press)
    page.wait_for_function(
        """([key, expected, quiet, redraw]) => {
             const el = document.querySelector(`.st-key-${key} input[type="range"]`);
             if (!el || Math.abs(parseFloat(el.value) - expected) > 1e-9) return false;
             const s = window.__liflab.status();
             const last = Math.max(s.lastChange, s.runEnd || 0, s.wsLast || 0);
             return s.idle && (s.changed > 0 || !redraw) && s.now - last > quiet;
           }""",
        arg=[key, expected, quiet_ms, redraw],
        timeout=timeout,
        polling="raf",
    )
    wait_idle(page, timeout)
    s = page.evaluate("() => window.__liflab.disarm()")
    done = [x for x in (s["runEnd"], s["wsLast"]) if x is not None]
    return {
        "run_end": (max(done) - s["keyTime"]) if done else float("nan"),
        "first_redraw": (s["firstChange"] - s["keyTime"]) if s["changed"] else float("nan"),
        "last_redraw": (s["lastChange"] - s["keyTime"]) if s["changed"] else float("nan"),
        "changed": s["changed"],
        "charts": s["charts"],
    }


def exceptions(page) -> list[str]:
    """Texts of the exception boxes on the page (empty when there is none)."""
    return page.locator('[data-testid="stException"]').all_inner_texts()


def alerts(page) -> list[str]:
    """Texts of the warning/info/error boxes and toasts on the page."""
    return page.locator('[data-testid="stAlert"], [data-testid="stToast"]').all_inner_texts()


def full_page_screenshot(page, path) -> None:
    """Screenshot the whole page, including what is scrolled out of view.

    Streamlit scrolls its main area inside a container, so Playwright's ``full_page`` sees
    only the window; the viewport is stretched to the content height for the shot.
    """
    size = page.viewport_size
    height = page.evaluate(
        """() => Math.max(...['[data-testid="stMain"]', '[data-testid="stAppViewContainer"]',
                               '[data-testid="stSidebarContent"]']
              .map(s => document.querySelector(s)).filter(e => e)
              .map(e => e.scrollHeight), document.body.scrollHeight)"""
    )
    page.set_viewport_size({"width": size["width"], "height": min(int(height) + 20, 12000)})
    try:
        wait_idle(page)
        page.wait_for_timeout(300)  # plotly relayouts on resize
        page.screenshot(path=str(path), full_page=True)
    finally:
        page.set_viewport_size(size)


def close(a: float, b: float, rel: float = 1e-9, abs_tol: float = 1e-9) -> bool:
    """``math.isclose`` that treats two NaNs / None as equal."""
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=rel, abs_tol=abs_tol)


def chart_differences(a: list[dict], b: list[dict], rel: float = 1e-9) -> list[str]:
    """Readable differences between two :func:`charts` results (empty when they agree)."""
    diffs: list[str] = []
    if len(a) != len(b):
        return [f"{len(a)} charts vs {len(b)}"]
    for ca, cb in zip(a, b, strict=True):
        where = f"chart {ca['key']}"
        for field in ("key", "title", "axes", "annotations", "shapes"):
            if ca[field] != cb[field]:
                diffs.append(f"{where}: {field} {ca[field]!r} != {cb[field]!r}")
        if len(ca["data"]) != len(cb["data"]):
            diffs.append(f"{where}: {len(ca['data'])} traces vs {len(cb['data'])}")
            continue
        for ta, tb in zip(ca["data"], cb["data"], strict=True):
            tw = f"{where} trace {ta['name']!r}"
            for field in ("name", "type", "mode", "visible", "dash"):
                if ta[field] != tb[field]:
                    diffs.append(f"{tw}: {field} {ta[field]!r} != {tb[field]!r}")
            for axis in ("x", "y"):
                xa, xb = ta[axis] or [], tb[axis] or []
                if len(xa) != len(xb):
                    diffs.append(f"{tw}: {axis} has {len(xa)} points vs {len(xb)}")
                    continue
                bad = [
                    i
                    for i, (u, v) in enumerate(zip(xa, xb, strict=True))
                    if not (
                        u == v
                        or (
                            isinstance(u, float | int)
                            and isinstance(v, float | int)
                            and close(u, v, rel=rel)
                        )
                    )
                ]
                if bad:
                    i = bad[0]
                    diffs.append(
                        f"{tw}: {axis} differs at {len(bad)} points, first [{i}] "
                        f"{xa[i]!r} != {xb[i]!r}"
                    )
    return diffs
