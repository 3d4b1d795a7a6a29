"""LIF Lab on a projector and a phone (issue 13): what the first screen of every page shows.

At 1024×768 and 1280×720 (two common projectors, the sidebar open and closed) and 390×844
(a phone), every page is opened scrolled to the top, and measured (``projector.py``):

- the first screen holds a whole chart and the page sliders before it (chapters);
- nothing is cut or runs past its box: equations, readouts, labels, buttons, chart text;
- every chart's plotting area is at least 65 % of its height;
- every text, on the page and in the charts, has a contrast of at least 4.5:1 (WCAG AA),
  in the light theme at every size and in the dark theme at 1280×720.

Presenter mode (``?present=true``) is checked at 1280×720: the sidebar closed with the
neuron listed under the heading, the explanations folded, chart text and slider labels of
at least 18 px. A screenshot of each first screen is saved in ``artifacts/screenshots/``
(``LIFLAB_UPDATE_SCREENSHOTS=1`` also writes them, reduced to 256 colours, into
``docs/screenshots/``), and a table of the measurements in ``artifacts/projector.md``.
"""

from __future__ import annotations

import json
import os

import pytest
from liflab_browser import ARTIFACTS, PAGES, ROOT, open_page
from projector import (
    COLLAPSE_SIDEBAR_JS,
    MEASURE_JS,
    MIN_CONTRAST,
    MIN_PLOT_FRACTION,
    VIEWPORTS,
)

pytestmark = pytest.mark.browser

SHOTS = ARTIFACTS / "screenshots" / "projector"
DOCS = ROOT / "docs" / "screenshots"
UPDATE = os.environ.get("LIFLAB_UPDATE_SCREENSHOTS") == "1"

#: (viewport, sidebar, theme) of each run: every size in the light theme, the projectors
#: with the sidebar closed too, and the dark theme at 1280×720.
RUNS = [
    ("1024x768", "open", "light"),
    ("1024x768", "closed", "light"),
    ("1280x720", "open", "light"),
    ("1280x720", "closed", "light"),
    ("390x844", "auto", "light"),
    ("1280x720", "open", "dark"),
]


def _run_id(run: tuple[str, str, str]) -> str:
    size, sidebar, theme = run
    return f"{size}-{theme}" + ("" if sidebar in ("open", "auto") else "-sidebar-closed")


def _save_shot(page, name: str, filename: str) -> None:
    folder = SHOTS / name
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / filename
    page.screenshot(path=str(path))
    assert path.stat().st_size > 5_000
    if UPDATE:
        from PIL import Image

        target = DOCS / name
        target.mkdir(parents=True, exist_ok=True)
        Image.open(path).convert("RGB").quantize(256).save(target / filename, optimize=True)


def _problems(pg, m: dict, *, theme: str) -> list[str]:
    """What a page's measurement ``m`` breaks of issue 13's rules."""
    out = []
    fs = m["first_screen"]
    if pg.url_path and not fs["ok"]:
        out.append(f"first screen lacks {fs['outside'] or 'a chart'}")
    out += [f"clipped: {c}" for c in m["clipped"]]
    for p in m["plots"]:
        if p["fraction"] is None or p["fraction"] < MIN_PLOT_FRACTION:
            out.append(f"chart {p['key']}: plot area {p['fraction']} of its height")
    for kind in ("body", "chart"):
        low = m["contrast"][kind]
        if low is not None and low["ratio"] < MIN_CONTRAST:
            out.append(f"{theme} {kind} text {low['text']} has contrast {low['ratio']:.2f}")
    return out


def _row(pg, m: dict) -> dict:
    fractions = [p["fraction"] for p in m["plots"] if p["fraction"] is not None]
    contrasts = [m["contrast"][k]["ratio"] for k in ("body", "chart") if m["contrast"][k]]
    return {
        "page": pg.id,
        "first_screen_chart": bool(m["first_screen"]["ok"]) if pg.url_path else None,
        "clipped": len(m["clipped"]),
        "plot_fraction": round(min(fractions), 3) if fractions else None,
        "contrast": round(min(contrasts), 2) if contrasts else None,
    }


def _write_table(name: str, rows: list[dict]) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / "projector.json"
    table = json.loads(path.read_text()) if path.exists() else {}
    table[name] = rows
    path.write_text(json.dumps(table, indent=1, ensure_ascii=False))
    lines = [
        "| run | page | first-screen chart | clipped | plot area (min) | contrast (min) |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for run, entries in sorted(table.items()):
        for r in entries:
            first = {True: "yes", False: "no", None: "–"}[r["first_screen_chart"]]
            lines.append(
                f"| {run} | {r['page']} | {first} | {r['clipped']} | "
                f"{r['plot_fraction'] if r['plot_fraction'] is not None else '–'} | "
                f"{r['contrast']} |"
            )
    (ARTIFACTS / "projector.md").write_text("\n".join(lines) + "\n")


@pytest.mark.parametrize("run", RUNS, ids=[_run_id(r) for r in RUNS])
def test_first_screen_of_every_page(app_server, playwright_chromium, run):
    size, sidebar, theme = run
    name = _run_id(run)
    ctx = playwright_chromium.new_context(viewport=VIEWPORTS[size], color_scheme=theme)
    ctx.set_default_timeout(30_000)
    problems: dict[str, list[str]] = {}
    rows = []
    try:
        page = ctx.new_page()
        for k, pg in enumerate(PAGES):
            open_page(page, app_server.url, pg.url_path)
            if sidebar == "closed":
                assert page.evaluate(COLLAPSE_SIDEBAR_JS), "the sidebar did not close"
            page.wait_for_timeout(400)  # equations fitted, charts resized to their column
            m = page.evaluate(MEASURE_JS)
            rows.append(_row(pg, m))
            found = _problems(pg, m, theme=theme)
            if found:
                problems[f"/{pg.url_path}"] = found
            _save_shot(page, name, f"{k}_{pg.id}.png")
    finally:
        ctx.close()
        _write_table(name, rows)
    assert not problems, json.dumps(problems, indent=1, ensure_ascii=False)


#: Sizes (px) of chart text and slider labels in presenter mode, read from the page.
PRESENTER_JS = r"""() => {
  const main = document.querySelector('[data-testid="stMain"]');
  const chart = [...main.querySelectorAll('.lif-chart .main-svg text')]
    .filter((t) => t.textContent.trim() && !t.closest('.hoverlayer, .modebar'))
    .map((t) => parseFloat(getComputedStyle(t).fontSize));
  const label = '[data-testid="stSlider"] [data-testid="stWidgetLabel"] p';
  const labels = [...main.querySelectorAll(label)]
    .map((p) => parseFloat(getComputedStyle(p).fontSize));
  const sidebar = document.querySelector('[data-testid="stSidebar"]');
  return {
    chart: Math.min(...chart),
    labels: Math.min(...labels),
    sidebar_shown: sidebar ? sidebar.getBoundingClientRect().right > 50 : false,
    strip: (document.querySelector('.st-key-lif-strip') || {innerText: ''}).innerText,
    folded: [...main.querySelectorAll('[data-testid="stExpander"] details')]
      .map((d) => d.open === false),
    lines: [...main.querySelectorAll('.lif-chart .scatterlayer .js-line')]
      .map((p) => parseFloat(getComputedStyle(p).strokeWidth)),
  };
}"""


def test_presenter_mode_from_a_link(app_server, playwright_chromium):
    """A teacher's link (``?present=true``) opens every chapter ready for the projector."""
    ctx = playwright_chromium.new_context(viewport=VIEWPORTS["1280x720"])
    ctx.set_default_timeout(30_000)
    problems = {}
    try:
        page = ctx.new_page()
        open_page(page, app_server.url, "Membrane_RC_circuit")
        normal = page.evaluate(PRESENTER_JS)
        for k, pg in enumerate(p for p in PAGES if p.url_path):
            open_page(page, app_server.url, pg.url_path, "present=true")
            page.wait_for_timeout(400)
            shown = page.evaluate(PRESENTER_JS)
            m = page.evaluate(MEASURE_JS)
            found = _problems(pg, m, theme="light")
            if shown["chart"] < 18 or shown["labels"] < 18:
                found.append(f"chart text {shown['chart']} px, slider labels {shown['labels']} px")
            if shown["sidebar_shown"]:
                found.append("the sidebar is open")
            if "R = 10 MΩ" not in shown["strip"] or "τ = 10.0 ms" not in shown["strip"]:
                found.append(f"no parameter strip: {shown['strip']!r}")
            if not shown["folded"] or not all(shown["folded"]):
                found.append(f"explanations not folded: {shown['folded']}")
            if found:
                problems[f"/{pg.url_path}"] = found
            _save_shot(page, "1280x720-presenter", f"{k + 1}_{pg.id}.png")
        # thicker lines than the same chapter's normal view
        open_page(page, app_server.url, "Membrane_RC_circuit", "present=true")
        assert max(page.evaluate(PRESENTER_JS)["lines"]) >= 1.5 * max(normal["lines"]) - 0.01
        assert normal["chart"] < 18  # the normal view is the smaller one
        # the links between pages keep presenter mode
        href = page.locator('[data-testid="stSidebar"] a[href*="Resting_equilibrium"]').first
        assert "present=true" in (href.get_attribute("href") or "")
    finally:
        ctx.close()
    assert not problems, json.dumps(problems, indent=1, ensure_ascii=False)


def test_screenshots_are_in_the_docs():
    """Not a browser test of its own: the docs hold a screenshot of every page at each size
    (``LIFLAB_UPDATE_SCREENSHOTS=1 python -m pytest tests/browser/test_browser_projector.py``
    writes them)."""
    for run in [*RUNS, ("1280x720", "presenter", "light")]:
        name = "1280x720-presenter" if run[1] == "presenter" else _run_id(run)
        pages = [p for p in PAGES if p.url_path] if run[1] == "presenter" else PAGES
        for k, pg in enumerate(pages):
            n = k + 1 if run[1] == "presenter" else k
            assert (DOCS / name / f"{n}_{pg.id}.png").exists(), (name, pg.id)
