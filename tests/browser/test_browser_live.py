"""Live previews in a real browser: charts follow a slider while it is dragged.

For every chapter (discovered, so a new chapter is covered without editing this file):

- every chart has a preview (its recipe is known to the page's script), unless it is in
  :data:`NO_PREVIEW` with the reason;
- the preview, computed in the browser at the values Python used, draws the same data as
  Python's figure: every trace's x and y, every shape and label, to the display rounding;
- dragging a page slider with the mouse redraws a chart during the drag, sends nothing to
  the server until the release, and exactly one message after it; then Python's figure is
  shown, equal to the preview at the released value;
- a sidebar slider drives the preview of the chapter's charts too (chapters that use the
  sidebar neuron).
"""

from __future__ import annotations

import math

import pytest
from liflab_browser import CHAPTERS, open_page, slider_keys, slider_value, wait_idle

pytestmark = pytest.mark.browser

#: Charts without a live preview, and why (they change on release only).
NO_PREVIEW: dict[str, str] = {}

#: Chapters whose charts do not use the sidebar neuron (their LIF is a "twin" of a richer
#: model, or the page has its own neuron).
SIDEBAR_FREE = {"What_the_LIF_leaves_out"}

CHARTS_JS = """() => [...LIFLive.charts.entries()].filter(([k, e]) => e.graph.isConnected)
  .map(([k, e]) => ({
    key: k,
    recipe: e.spec ? e.spec.recipe : null,
    sliders: e.spec ? [...new Set(Object.values(e.spec.inputs).map(b => b.key))] : [],
  }))"""

#: The preview at the values Python computed with, against Python's figure: a list of
#: differences (empty when equal to the display rounding).
COMPARE_JS = r"""(key) => {
  const entry = LIFLive.charts.get(key);
  const preview = LIFLive.previewFigure(key, {});
  const figure = entry.figure;
  const out = [];
  const close = (a, b, what) => {
    if (a === b) return;
    const x = Number(a), y = Number(b);
    if (a === null || b === null || a === undefined || b === undefined) {
      if (!((a === null || a === undefined || Number.isNaN(x)) &&
            (b === null || b === undefined || Number.isNaN(y)))) out.push(`${what}: ${a} vs ${b}`);
      return;
    }
    if (typeof a === "string" || typeof b === "string") {
      if (String(a) !== String(b)) out.push(`${what}: ${a} vs ${b}`);
      return;
    }
    const tol = 1.01e-3 + 1e-9 * Math.max(Math.abs(x), Math.abs(y));
    if (!(Math.abs(x - y) <= tol)) out.push(`${what}: ${a} vs ${b}`);
  };
  const arr = (v) => (v === undefined || v === null) ? [] : Array.from(v);
  if (preview.data.length !== figure.data.length) {
    out.push(`traces ${preview.data.length} vs ${figure.data.length}`);
  }
  figure.data.forEach((tr, i) => {
    const p = preview.data[i] || {};
    if (p.name !== tr.name) out.push(`trace ${i}: ${p.name} vs ${tr.name}`);
    for (const c of ["x", "y"]) {
      const a = arr(p[c]), b = arr(tr[c]);
      if (a.length !== b.length) {
        out.push(`${tr.name}.${c}: ${a.length} vs ${b.length} points`);
        continue;
      }
      for (let k = 0; k < a.length && out.length < 20; k++) {
        close(a[k], b[k], `${tr.name}.${c}[${k}]`);
      }
    }
  });
  for (const part of ["shapes", "annotations"]) {
    const a = preview.layout[part] || [], b = figure.layout[part] || [];
    if (a.length !== b.length) out.push(`${part}: ${a.length} vs ${b.length}`);
    b.forEach((item, i) => {
      for (const f of ["x0", "x1", "y0", "y1", "x", "y", "text", "name"]) {
        if (f in item) close((a[i] || {})[f], item[f], `${part}[${i}].${f}`);
      }
    });
  }
  for (const ax of Object.keys(figure.layout).filter((k) => /^[xy]axis\d*$/.test(k))) {
    const a = (preview.layout[ax] || {}).range, b = figure.layout[ax].range;
    if (b) { close(a && a[0], b[0], `${ax}.range[0]`); close(a && a[1], b[1], `${ax}.range[1]`); }
  }
  return out.slice(0, 20);
}"""


def _charts(page) -> list[dict]:
    return page.evaluate(CHARTS_JS)


def _thumb_centre(page, key: str) -> tuple[float, float]:
    thumb = page.locator(f'.st-key-{key} [data-testid="stSliderThumbValue"]').locator("..")
    thumb.scroll_into_view_if_needed()
    box = thumb.bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def _drag(page, key: str, pixels: float, steps: int = 60) -> None:
    """Press the slider's thumb and move it by ``pixels`` in ``steps`` mouse moves."""
    thumb = page.locator(f'.st-key-{key} [data-testid="stSliderThumbValue"]').locator("..")
    thumb.scroll_into_view_if_needed()
    box = thumb.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    for i in range(1, steps + 1):
        page.mouse.move(x + pixels * i / steps, y)
        page.wait_for_timeout(16)
    _LAST_MOUSE.update(x=x + pixels, y=y)


#: While dragging, the charts whose data only moved are drawn on the canvas layer
#: (lab_canvas.js): each solid line (or marker) it drew must be on the canvas where the
#: preview's data put it (plotly's axis mapping), in its colour, and the trace's SVG hidden.
#: Returns the number of traces checked and the problems found.
CANVAS_JS = r"""() => {
  const out = {checked: 0, arrows: 0, problems: []};
  for (const [key, e] of LIFLive.charts.entries()) {
    if (!e.graph.isConnected || !e.canvasPlan) continue;
    const canvas = e.graph.__lifCanvas;
    const ratio = canvas.width / e.graph._fullLayout.width;
    const img = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height);
    const at = (x, y) => {
      const i = (Math.round(y * ratio) * canvas.width + Math.round(x * ratio)) * 4;
      return img.data.slice(i, i + 4);
    };
    for (const d of e.canvasPlan.traces) {
      for (const el of d.hide) {
        if (el.style.visibility !== "hidden") out.problems.push(`${key} ${d.name}: SVG shown`);
      }
      // a solid line's colour, else a marker's fill or outline colour
      const dash = d.line && d.line.strokeDasharray;
      const solid = d.line && parseFloat(d.line.strokeWidth) >= 1 && (!dash || dash === "none");
      const m = d.marker && d.marker.style;
      const colors = (solid ? [d.line.stroke] : m ? [m.fill, m.stroke] : [])
        .filter((v) => /^rgb/.test(v || "")).map((v) => v.match(/\d+/g).map(Number));
      if (!colors.length) continue;
      const n = Math.min(d.x.length, d.y.length);
      let tried = 0, hit = 0;
      for (let s = 1; s <= 9 && n > 1; s++) {
        const k = Math.floor(s * (n - 1) / 10);
        const px = d.xa._offset + d.xa.c2p(+d.x[k]);
        const py = d.ya._offset + d.ya.c2p(+d.y[k]);
        if (!(px > d.xa._offset + 3 && px < d.xa._offset + d.xa._length - 3 &&
              py > d.ya._offset + 3 && py < d.ya._offset + d.ya._length - 3)) continue;
        tried += 1;
        let found = false;
        for (let dx = -3; dx <= 3 && !found; dx++) {
          for (let dy = -3; dy <= 3 && !found; dy++) {
            const p = at(px + dx, py + dy);
            found = p[3] > 128 && colors.some(
              (c) => Math.abs(p[0] - c[0]) + Math.abs(p[1] - c[1]) + Math.abs(p[2] - c[2]) < 90);
          }
        }
        hit += found;
      }
      if (!tried) continue;
      out.checked += 1;
      if (hit < 0.6 * tried) out.problems.push(`${key} ${d.name}: ${hit} of ${tried} points drawn`);
    }
    // text-less arrows drawn on the canvas: each tip at its annotation's (x, y) of the
    // previewed figure, in the arrow's colour at the line's middle and inside the head
    const a = e.canvasPlan.arrows;
    if (a) {
      for (const el of a.hide) {
        if (el.style.visibility !== "hidden") out.problems.push(`${key}: an arrow's SVG shown`);
      }
      const fl0 = e.graph._fullLayout;
      const want = e.graph.__lifPreview.layout.annotations.filter(
        (n) => n.showarrow === true && n.text === "");
      if (want.length !== a.draw.length) {
        out.problems.push(`${key}: ${a.draw.length} arrows drawn, ${want.length} in the figure`);
      }
      const color = (a.line.stroke.match(/\d+/g) || []).map(Number);
      a.draw.forEach(({tip, tail}, k) => {
        const n = want[k] || {};
        const px = (v) => fl0.xaxis._offset + fl0.xaxis.c2p(v);
        const tx = px(n.x), ty = fl0.yaxis._offset + fl0.yaxis.c2p(n.y), hx = px(n.ax);
        const off = Math.max(Math.abs(tip[0] - tx), Math.abs(tip[1] - ty), Math.abs(tail[0] - hx));
        if (!(off <= 0.5)) {
          out.problems.push(`${key} arrow ${k}: drawn at ${tip}, ${tail}, not ${[tx, ty]}, ${hx}`);
        }
        const len = Math.hypot(tip[0] - tail[0], tip[1] - tail[1]);
        if (!(len > a.back + 2)) return;
        const ux = (tip[0] - tail[0]) / len, uy = (tip[1] - tail[1]) / len;
        const mid = (len - a.back) / 2;
        for (const d of [mid, len - 0.6 * a.back]) {
          const p = at(tail[0] + ux * d, tail[1] + uy * d);
          const ok = p[3] > 128 && Math.abs(p[0] - color[0]) + Math.abs(p[1] - color[1]) +
            Math.abs(p[2] - color[2]) < 90;
          if (!ok) out.problems.push(`${key} arrow ${k}: no ink ${d.toFixed(1)} px from its tail`);
        }
        out.checked += 1;
        out.arrows += 1;
      });
    }
    // a horizontal line shape shifted in place sits at its new value on the axis
    const fl = e.graph._fullLayout;
    const top = e.graph.getBoundingClientRect().top;
    for (const m of e.canvasPlan.moves) {
      const s = m.now;
      if (m.part !== "shapes" || m.shape || s.y0 !== s.y1 || !/^y\d*$/.test(fl.shapes[m.i].yref)) {
        continue;
      }
      const ya = fl[`yaxis${fl.shapes[m.i].yref.slice(1)}`];
      const want = ya._offset + ya.c2p(s.y0);
      const box = m.els[0].getBoundingClientRect();
      const got = box.top + box.height / 2 - top;
      out.checked += 1;
      if (Math.abs(got - want) > 2) out.problems.push(`${key} shape ${m.i}: ${got}, not ${want}`);
    }
  }
  return out;
}"""

#: After the release: no canvas ink, no trace, fill or shape of plotly's left hidden.
CANVAS_CLEAR_JS = r"""() => [...LIFLive.charts.entries()].filter(([k, e]) => e.graph.isConnected)
  .map(([k, e]) => {
    const c = e.graph.__lifCanvas;
    let ink = 0;
    if (c && c.width) {
      const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
      for (let i = 3; i < d.length; i += 4) ink += d[i] > 0;
    }
    const hidden = e.graph.querySelectorAll(
      'g.trace[style*="hidden"], path.js-fill[style*="hidden"], .shapelayer [style*="hidden"]'
    ).length;
    return {key: k, ink, hidden, plan: Boolean(e.canvasPlan)};
  }).filter(r => r.ink || r.hidden || r.plan)"""


WHY_JS = "() => LIFCanvas.why.counts"

#: After a release at performance.now() = t: every chart the slider drives was redrawn by
#: Python's figure (not previewing, drawn after t).
RELEASED_JS = """([t, key]) => [...LIFLive.charts.values()]
  .filter(e => e.graph.isConnected && e.spec
               && Object.values(e.spec.inputs).some(i => i.key === key))
  .every(e => !e.previewing && (e.graph.__lifDrawnAt || 0) > t)"""


def _move_back(page, pixels: float) -> None:
    """Move the pressed mouse back by ``pixels`` (two moves) and let a frame be drawn."""
    x, y = _LAST_MOUSE["x"], _LAST_MOUSE["y"]  # where _drag left the mouse
    for i in (1, 2):
        page.mouse.move(x - pixels * i / 2, y)
        page.wait_for_timeout(50)
    page.wait_for_timeout(300)


_LAST_MOUSE: dict[str, float] = {"x": 0.0, "y": 0.0}


@pytest.fixture
def sent(page):
    """Websocket messages the page sends (a list that grows)."""
    frames: list[int] = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda f: frames.append(1)))
    return frames


@pytest.mark.parametrize("pg", CHAPTERS, ids=[p.id for p in CHAPTERS])
def test_every_chart_previews_what_python_draws(app_server, page, pg):
    open_page(page, app_server.url, pg.url_path)
    charts = _charts(page)
    assert charts, f"/{pg.url_path}: no chart registered with the live preview"
    for c in charts:
        if c["key"] in NO_PREVIEW:
            assert c["recipe"] is None
            continue
        assert c["recipe"], f"{c['key']}: no live preview (add one, or list it in NO_PREVIEW)"
        diff = page.evaluate(COMPARE_JS, c["key"])
        assert diff == [], f"{c['key']}: preview differs from Python's figure: {diff}"
        if pg.url_path not in SIDEBAR_FREE:
            assert {"R", "C", "E_L"} <= set(c["sliders"]), c


@pytest.mark.parametrize("pg", CHAPTERS, ids=[p.id for p in CHAPTERS])
def test_dragging_a_page_slider_redraws_during_the_drag_and_commits_once(
    app_server, page, sent, pg
):
    open_page(page, app_server.url, pg.url_path)
    driven = {k for c in _charts(page) for k in c["sliders"]}
    keys = [k for k in slider_keys(page, sidebar=False) if k in driven]
    assert keys, f"/{pg.url_path}: no page slider drives a preview"
    key = keys[0]
    before = page.evaluate("() => [LIFLive.stats.redraws, LIFLive.stats.canvas]")
    n_sent = len(sent)
    _drag(page, key, 120.0)
    # a little way back: the data stay inside the axes the drag grew (a canvas frame)
    _move_back(page, 4.0)
    during, canvas = (
        a - b
        for a, b in zip(
            page.evaluate("() => [LIFLive.stats.redraws, LIFLive.stats.canvas]"),
            before,
            strict=True,
        )
    )
    errors = page.evaluate("() => LIFLive.stats.errors")
    assert not errors, errors
    assert during >= 3, f"{key}: {during} chart redraws during the drag"
    assert canvas >= 1, f"{key}: no redraw on the canvas layer ({page.evaluate(WHY_JS)})"
    drawn = page.evaluate(CANVAS_JS)
    assert drawn["problems"] == [], drawn
    assert drawn["checked"] >= 1, f"{key}: no line on the canvas at the end of the drag"
    assert len(sent) == n_sent, f"{key}: {len(sent) - n_sent} messages sent during the drag"
    released = page.evaluate("(k) => LIFLive.live.get(k)", key)
    t_up = page.evaluate("() => performance.now()")
    page.mouse.up()
    page.wait_for_timeout(300)
    wait_idle(page)
    # every chart the slider drives shows Python's figure, drawn after the release
    page.wait_for_function(RELEASED_JS, arg=[t_up, key], timeout=20_000)
    assert len(sent) - n_sent == 1, f"{key}: {len(sent) - n_sent} messages after the release"
    assert page.evaluate(CANVAS_CLEAR_JS) == []  # plotly's figure alone again
    # the value Python received is the one the preview showed last (lab_drag.js computes it
    # as Streamlit's slider does)
    assert slider_value(page, key) == pytest.approx(released, rel=1e-12, abs=1e-12)
    # Python's figure at the released value is what the preview drew there
    for c in _charts(page):
        if c["recipe"]:
            assert page.evaluate(COMPARE_JS, c["key"]) == [], c["key"]


def test_flow_arrows_that_come_go_and_turn_are_drawn_on_the_canvas(app_server, page):
    """Chapter 2: as the fixed point moves, flow arrows are dropped near it, come back and
    turn; during the drag they are drawn on the canvas layer (lab_canvas.js arrowPlan), each
    where the previewed figure puts it, and plotly is not asked to redraw for them."""
    open_page(page, app_server.url, "Resting_equilibrium")
    before = page.evaluate(WHY_JS)
    arrows_js = (
        "() => { const p = LIFLive.charts.get('eq_phase').canvasPlan;"
        " return p && p.arrows ? p.arrows.draw.length : -1; }"
    )
    x, y = _thumb_centre(page, "eq_I")
    page.mouse.move(x, y)
    page.mouse.down()
    plan, drawn = -1, None
    # step by step until a frame whose arrows changed (one crosses or nears the fixed point)
    for i in range(1, 41):
        page.mouse.move(x + 10.0 * i, y)
        page.wait_for_timeout(60)
        plan = page.evaluate(arrows_js)
        if plan >= 0:
            drawn = page.evaluate(CANVAS_JS)
            break
    page.mouse.up()
    assert plan >= 4, f"the phase line's arrows are not on the canvas ({page.evaluate(WHY_JS)})"
    assert drawn["problems"] == [], drawn
    assert drawn["arrows"] == plan, drawn
    why = page.evaluate(WHY_JS)
    arrows_by_plotly = {k: n - before.get(k, 0) for k, n in why.items() if "annotations" in k}
    # the relaxation chart's tau label (text) still needs plotly when it comes or goes
    assert sum(arrows_by_plotly.values()) <= 2, arrows_by_plotly


def test_a_sidebar_slider_previews_on_the_chapter_charts(app_server, page, sent):
    open_page(page, app_server.url, "Membrane_RC_circuit")
    before = page.evaluate("() => LIFLive.stats.redraws")
    n_sent = len(sent)
    _drag(page, "R", 40.0, steps=30)
    assert page.evaluate("() => LIFLive.stats.redraws") - before >= 3
    assert len(sent) == n_sent
    assert math.isfinite(page.evaluate("() => LIFLive.live.get('R')"))
    page.mouse.up()
    page.wait_for_timeout(300)
    wait_idle(page)
    assert len(sent) - n_sent == 1


#: (page, chart, slider dragged, the pin's label after the drag, points of its first trace):
#: chapter 1's recipe patches traces by name, chapter 4's replaces the whole list of traces.
PIN_CASES = [
    ("Membrane_RC_circuit", "rc_voltage", "rc_amp", "pin 1: I = 1 nA", 100),
    ("Refractory_period_f-I", "fi_curve", "fi_Imax", "pin 1: I_max = 20 nA", 40),
]


@pytest.mark.parametrize(("url", "chart", "slider", "label", "points"), PIN_CASES)
def test_a_pinned_curve_survives_drags_and_is_in_the_link(
    app_server, page, sent, url, chart, slider, label, points
):
    open_page(page, app_server.url, url)
    page.locator(f".st-key-{chart}_pin button").first.click()
    page.mouse.move(5, 5)  # off the button, so its tooltip goes, as a person's pointer does
    wait_idle(page)
    page.wait_for_function(
        f"() => LIFLive.charts.get('{chart}').figure.data.some(t => t.name.startsWith('pin 1'))"
    )
    assert f"pin_{chart}=" in page.url
    pinned_js = f"""() => {{
      const g = LIFLive.charts.get('{chart}').graph;
      const t = g._fullData.find(t => t.name.startsWith('pin 1'));
      return t ? Array.from(t.y) : null;
    }}"""
    before = page.evaluate(pinned_js)
    assert before and len(before) > points
    redraws = page.evaluate("() => LIFLive.stats.redraws")
    _drag(page, slider, 80.0, steps=30)
    assert page.evaluate("() => LIFLive.stats.redraws") > redraws  # the preview is drawing
    assert page.evaluate(pinned_js) == before  # ... around the pinned curve, left as it was
    page.mouse.up()
    page.wait_for_timeout(300)
    wait_idle(page)
    names = page.evaluate(f"() => LIFLive.charts.get('{chart}').figure.data.map(t => t.name)")
    assert any(n.startswith(label) for n in names), names
    assert page.evaluate(pinned_js) == before
    assert f"pin_{chart}=" in page.url
