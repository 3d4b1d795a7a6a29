"""LIF Lab in a real browser: every page draws, deep links, keyboard, links, screenshots.

These tests drive ``streamlit run app.py`` with headless Chromium (fixtures in
``conftest.py``). They are generic over the pages: every ``pages/*.py`` is discovered, so a
new chapter is covered without editing this file. Two chapters also get physics checks on
the data the browser actually drew (``test_browser_physics.py``).
"""

from __future__ import annotations

import math
import urllib.parse

import page_contract
import pytest
from liflab_browser import (
    CHAPTERS,
    CHART_ELEMENTS,
    PAGES,
    ROOT,
    SCREENSHOTS,
    VIEWPORT,
    alerts,
    chart_differences,
    charts,
    exceptions,
    full_page_screenshot,
    open_page,
    open_url,
    press_slider,
    slider_bounds,
    slider_keys,
    slider_value,
    slider_values,
)
from playwright.sync_api import expect

from lif_core import LIFParams
from lif_core.units import from_si
from lif_figures.style import THEMES

pytestmark = pytest.mark.browser

DEFAULTS = LIFParams()
#: Sidebar sliders (URL keys) and their display units, as in the CONTRACT.
NEURON_UNITS = {"R": "MΩ", "C": "nF", "E_L": "mV", "V_th": "mV", "V_reset": "mV", "t_ref": "ms"}


def _default(key: str) -> float:
    return float(from_si(getattr(DEFAULTS, key), NEURON_UNITS[key]))


def _assert_healthy(page, where: str, min_charts: int, page_file: str | None = None) -> list[dict]:
    errs = exceptions(page)
    assert not errs, f"{where}: exception shown on the page:\n" + "\n".join(errs)
    drawn = charts(page)
    n_elements = page.locator(CHART_ELEMENTS).count()
    assert len(drawn) == n_elements, f"{where}: {n_elements} chart elements, {len(drawn)} drawn"
    assert len(drawn) >= min_charts, f"{where}: expected a chart, found none"
    for c in drawn:
        assert c["data"], f"{where}: chart {c['key']} has no traces"
    if page_file is not None:
        # the page's contract: every chart, its axis titles, and its traces drawn with data
        as_drawn = [
            (
                c["key"],
                {k: {"title": {"text": a["title"]}} for k, a in c["axes"].items() if a["title"]},
                [
                    (
                        tr["name"] or "",
                        sum(
                            1
                            for x, y in zip(tr["x"] or [], tr["y"] or [], strict=False)
                            if x is not None and y is not None
                        ),
                    )
                    for tr in c["data"]
                ],
            )
            for c in drawn
        ]
        assert page_contract.problems(page_file, as_drawn) == [], where
    return drawn


#: Margins (px) that plotly had to grow beyond what a chart was sent with, per chart.
MARGINS_GROWN_JS = """() => [...document.querySelectorAll('.js-plotly-plot')].flatMap((g, i) => {
  const sent = g.layout.margin || {}, drawn = g._fullLayout._size;
  return ['l', 't', 'b', 'r'].filter(k => sent[k] !== undefined && drawn[k] > sent[k] + 0.5)
    .map(k => `chart ${i} ${k}: ${sent[k]} -> ${drawn[k]}`);
})"""


def _nav_paths(page) -> list[str]:
    """URL paths of the navigation links in the sidebar (Streamlit's list or page links)."""
    links = '[data-testid="stSidebarNav"] a, [data-testid="stSidebar"] [data-testid="stPageLink"] a'
    # the sidebar can arrive after the charts on a cold server's first page: wait for it
    # (fails after 15 s if a link is missing)
    expect(page.locator(links)).to_have_count(len(PAGES), timeout=15_000)
    return page.locator(links).evaluate_all(
        "els => els.map(e => (e.getAttribute('href') || '').split('?')[0].replace(/^\\//, ''))"
    )


@pytest.mark.parametrize("pg", PAGES, ids=[p.id for p in PAGES])
def test_every_page_draws_all_charts_without_errors(app_server, page, pg):
    """Each page opens, draws every chart with data, shows no exception, and lists every
    page in story order in the navigation; a full-page screenshot is saved."""
    open_page(page, app_server.url, pg.url_path)
    page_file = pg.file.relative_to(ROOT).as_posix()
    _assert_healthy(
        page, f"/{pg.url_path}", min_charts=1 if pg.url_path else 0, page_file=page_file
    )
    assert _nav_paths(page) == [p.url_path for p in PAGES]
    # at 1600 px the charts arrive with room for their legends and axis labels: plotly did
    # not have to grow a margin, which would redraw the chart on every update
    grown = page.evaluate(MARGINS_GROWN_JS)
    assert not grown, f"/{pg.url_path}: plotly grew margins (side: sent -> drawn) {grown}"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shot = SCREENSHOTS / f"{PAGES.index(pg)}_{pg.id}.png"
    full_page_screenshot(page, shot)
    assert shot.stat().st_size > 10_000


@pytest.mark.parametrize("pg", PAGES, ids=[p.id for p in PAGES])
def test_deep_link_is_the_first_request_to_a_fresh_server(fresh_server, page, pg):
    """A link with parameters, opened before anyone else used the server, works fully."""
    open_page(page, fresh_server.url, pg.url_path, "R=40&V_th=-45")
    _assert_healthy(page, f"fresh /{pg.url_path}", min_charts=1 if pg.url_path else 0)
    assert slider_value(page, "R") == 40
    assert slider_value(page, "V_th") == -45
    # the page itself, not the start page or a "page not found", and the full navigation
    assert urllib.parse.urlsplit(page.url).path == f"/{pg.url_path}"
    assert _nav_paths(page) == [p.url_path for p in PAGES]
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(page.url).query)
    assert query.get("R") == ["40"] and query.get("V_th") == ["-45"], page.url


#: Chapters whose charts do not depend on the sidebar neuron (chapter 7 compares richer
#: models with their own LIF twins).
SIDEBAR_FREE = {"What_the_LIF_leaves_out"}


@pytest.mark.parametrize("pg", CHAPTERS, ids=[p.id for p in CHAPTERS])
def test_keyboard_change_and_address_bar_reproduce_the_view(app_server, context, pg):
    """Keyboard on a page slider and a sidebar slider redraws; the URL reopens the same view.

    The first page slider goes one step right (or left at its maximum), R one step right.
    The address bar is then opened in a new tab: every slider value and every number drawn
    in every chart must be the same.
    """
    page = context.new_page()
    open_page(page, app_server.url, pg.url_path)
    before = charts(page)
    page_sliders = slider_keys(page, sidebar=False)
    assert page_sliders, f"/{pg.url_path} has no keyed page slider"
    key = page_sliders[0]
    _lo, hi, step = slider_bounds(page, key)
    value = slider_value(page, key)
    press = "ArrowLeft" if value + step > hi + 1e-9 else "ArrowRight"
    timing = press_slider(page, key, press)
    expected = value + (step if press == "ArrowRight" else -step)
    assert math.isclose(slider_value(page, key), expected, abs_tol=step / 100)
    assert timing["changed"] >= 1, "no chart was redrawn after the key press"
    assert charts(page) != before, "charts unchanged after moving a slider"

    r0 = slider_value(page, "R")
    press_slider(page, "R", "ArrowRight", redraw=pg.url_path not in SIDEBAR_FREE)
    assert slider_value(page, "R") == r0 + 1
    _assert_healthy(page, f"/{pg.url_path} after changes", min_charts=1)

    url = page.url
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)
    assert query.get("R") == [f"{r0 + 1:g}"], url
    assert key in query, f"{key} missing from the address bar {url}"
    values, drawn = slider_values(page), charts(page)

    other = context.new_page()
    open_url(other, url)
    assert slider_values(other) == values
    diffs = chart_differences(drawn, charts(other))
    assert not diffs, "the link does not reproduce the charts:\n" + "\n".join(diffs)
    other.close()
    page.close()


def test_garbage_link_opens_on_defaults_with_a_notice(app_server, page):
    """R=abc, V_th=nan, t_ref=1e9: defaults are used, a notice names them, nothing breaks."""
    target = next((p for p in CHAPTERS if p.url_path == "Threshold_and_spikes"), None)
    path = target.url_path if target else (CHAPTERS[0].url_path if CHAPTERS else "")
    open_page(page, app_server.url, path, "R=abc&V_th=nan&t_ref=1e9")
    _assert_healthy(page, f"/{path} with garbage", min_charts=1 if path else 0)
    for key in ("R", "V_th", "t_ref"):
        assert math.isclose(slider_value(page, key), _default(key)), key
    notices = "\n".join(alerts(page))
    for label in ("Membrane resistance", "Threshold", "Refractory period"):  # R, V_th, t_ref
        assert label in notices, f"no visible notice about {label}; alerts: {notices!r}"
    visible = page.locator('[data-testid="stAlert"]').first
    assert visible.is_visible()


#: Fill colours of each chart's first y tick label and first legend entry.
TEXT_COLOURS_JS = """() => [...document.querySelectorAll('.js-plotly-plot')].map(g => {
  const fill = (sel) => {
    const el = g.querySelector(sel);
    return el ? getComputedStyle(el).fill : null;
  };
  return {tick: fill('.ytick text'), legend: fill('.legendtext')};
})"""


def _rgb(hex_colour: str) -> str:
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgb({r}, {g}, {b})"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_chart_text_follows_the_light_or_dark_theme(app_server, playwright_chromium, scheme):
    """Charts are sent without a plotly template, coloured on the server for the page's theme.

    In a browser set to dark mode (Streamlit then picks its dark theme), tick labels and
    legend text must have the dark theme's colours, and the light theme's otherwise.
    """
    ctx = playwright_chromium.new_context(viewport=VIEWPORT, color_scheme=scheme)
    try:
        page = ctx.new_page()
        open_page(page, app_server.url, "Synaptic_conductances")
        colours = page.evaluate(TEXT_COLOURS_JS)
        assert colours
        theme = THEMES[scheme]
        for k, c in enumerate(colours):
            assert c["tick"] == _rgb(theme["text"]), (scheme, k, c)
            assert c["legend"] in (None, _rgb(theme["legend"])), (scheme, k, c)
    finally:
        ctx.close()


def test_charts_update_in_place_follow_the_column_and_go_full_screen(app_server, page):
    """A LIF Lab chart (``lab_chart.js``) is updated, not rebuilt, when a slider moves.

    The graph element must be the same object after the press (``Plotly.react`` on a
    mounted chart, not a new chart), and so must plotly's drawing in it (``Plotly.react``
    rebuilds the drawing with ``Plotly.newPlot`` when the config it is given differs from
    the graph's, e.g. holds a new function: twice the work per update). Its width must
    follow the window, and the toolbar's full-screen button must show it with its sliders
    (the rest of the page hidden), down to the bottom of the screen, and back.
    """
    open_page(page, app_server.url, "Membrane_RC_circuit")
    first = """() => [...document.querySelectorAll('.lif-chart')]
                 .map(g => [g, g.querySelector('.main-svg')])"""
    page.evaluate(f"() => {{ window.__first = ({first})(); }}")
    result = press_slider(page, "rc_amp")
    assert result["changed"] == 2
    same = page.evaluate(
        f"""() => ({first})().map(([g, svg], i) =>
                [g === window.__first[i][0], svg === window.__first[i][1]])"""
    )
    assert same == [[True, True], [True, True]], "a chart was rebuilt instead of updated"

    widths = (
        "() => [...document.querySelectorAll('.lif-chart')]"
        ".map(g => [g.clientWidth, g._fullLayout.width])"
    )
    wide = page.evaluate(widths)
    page.set_viewport_size({"width": 1300, "height": VIEWPORT["height"]})
    try:
        # Wait until every chart is narrower than before and drawn at its new width
        # (checking only "drawn width == element width" could pass before the resize).
        page.wait_for_function(
            f"""(wide) => ({widths})().every(([w, drawn], i) => w < wide[i][0] && w === drawn)""",
            arg=wide,
        )
    finally:
        page.set_viewport_size(VIEWPORT)

    graph = page.locator(".lif-chart").first
    graph.hover()
    graph.locator('.modebar-btn[data-title="Full screen"]').click()
    page.wait_for_function("() => document.fullscreenElement !== null")
    shown = """() => {
      const g = document.querySelector('.lif-chart');
      const seen = (el) => el.getBoundingClientRect().height > 0;
      const main = document.querySelector('[data-testid="stMain"]');
      const sliders = [...main.querySelectorAll('[data-testid="stSlider"]')]
        .filter(seen).map(s => s.getBoundingClientRect().bottom);
      const others = [...main.querySelectorAll('.lif-chart')].filter(seen);
      return {height: g._fullLayout.height, bottom: g.getBoundingClientRect().bottom,
              top: g.getBoundingClientRect().top, inner: window.innerHeight,
              sliders, charts: others.length,
              text: document.fullscreenElement.innerText.includes('What to notice')};
    }"""
    page.wait_for_function(
        f"() => {{ const s = ({shown})(); return s.bottom > s.inner - 20 && s.bottom <= s.inner; }}"
    )
    state = page.evaluate(shown)
    # the three pulse sliders above the chart, the chart down to the screen's bottom, alone
    assert len(state["sliders"]) == 3 and max(state["sliders"]) <= state["top"], state
    assert state["charts"] == 1 and not state["text"], state
    # a slider moved in full screen still redraws the chart
    press_slider(page, "rc_amp")
    assert page.evaluate("() => document.fullscreenElement !== null")
    page.evaluate("() => document.exitFullscreen()")
    page.wait_for_function(
        "() => document.querySelector('.lif-chart')._fullLayout.height < window.innerHeight"
    )
    # the marks go with the page's "fullscreenchange" event, which may come after the redraw
    page.wait_for_function("() => !document.querySelector('[data-lif-keep], [data-lif-path]')")


#: Each displayed equation's scale (font size) and drawn width, in page order.
EQUATIONS_JS = """() => [...document.querySelectorAll('.katex-display')].map(d => {
  const html = d.querySelector('.katex-html');
  let left = Infinity, right = -Infinity;
  for (const p of html.children) {
    const r = p.getBoundingClientRect();
    if (r.width) { left = Math.min(left, r.left); right = Math.max(right, r.right); }
  }
  const holder = d.closest('[data-testid="stElementContainer"]');
  return {size: d.querySelector('.katex').style.fontSize, width: right - left,
          room: holder.clientWidth};
})"""


@pytest.mark.parametrize("width", [1600, 390])
def test_equations_fit_their_column_and_do_not_creep(app_server, page, width):
    # chapter 3's equations sit in a column beside the text; the page script refits them
    # whenever Streamlit redraws (a slider drag: dozens of times). A refit must find the same
    # size: measuring the formula's own box made it shrink by 2 px per refit (363 -> 194 px).
    page.set_viewport_size({"width": width, "height": 900})
    open_page(page, app_server.url, "Threshold_and_spikes")
    page.wait_for_timeout(300)
    first = page.evaluate(EQUATIONS_JS)
    assert len(first) == 3
    for eq in first:
        assert eq["width"] <= eq["room"] + 1, eq  # fits (scaled down if needed)
    for _ in range(6):  # what a redraw does: the page script refits on <details> toggles
        page.evaluate("() => document.dispatchEvent(new Event('toggle'))")
        page.wait_for_timeout(50)
    assert page.evaluate(EQUATIONS_JS) == first
