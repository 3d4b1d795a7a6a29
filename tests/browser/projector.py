"""Measure what a class sees on the first screen of a page (issue 13), in the browser.

:data:`MEASURE_JS` runs in the page (scrolled to the top) and returns, for the window:

- ``first_screen``: whether the page's first chart (its graph) and the page sliders before
  it in the page (the sliders that drive it) lie wholly inside the window, and which do not;
- ``clipped``: elements whose content does not fit their box: equations wider than their
  column (what KaTeX drew, not its clipped MathML copy), readouts, labels and buttons cut
  by an ellipsis or an overflow, text running past the right edge of the main area or the
  window (inside a box that scrolls sideways, a wide table, it is reachable, not cut), and
  chart text (labels, legend, axis titles) outside its chart;
- ``plots``: each chart's plotting area (plotly's ``_fullLayout._size.h``) over its height;
- ``contrast``: the WCAG contrast ratio of every visible text (body, captions, labels,
  readouts, sidebar) and of every chart text (ticks, axis titles, legend, labels over their
  own tint) against what is drawn behind it, the smallest of each kind, and those below
  4.5:1. Disabled controls are exempt (as in WCAG).

Contrast follows WCAG 2.x: relative luminance of sRGB colours, (L1 + 0.05) / (L2 + 0.05);
a colour with alpha (or under an element's opacity) is blended over its background first.
"""

from __future__ import annotations

#: The windows of two common projectors and of a phone.
VIEWPORTS = {
    "1024x768": {"width": 1024, "height": 768},
    "1280x720": {"width": 1280, "height": 720},
    "390x844": {"width": 390, "height": 844},
}

#: WCAG AA for normal text.
MIN_CONTRAST = 4.5

#: Smallest share of a chart's height its plotting area must have.
MIN_PLOT_FRACTION = 0.65

#: Collapses Streamlit's sidebar (its own button) and waits until the main area is wider.
COLLAPSE_SIDEBAR_JS = """async () => {
  const main = document.querySelector('[data-testid="stMain"]');
  const sidebar = document.querySelector('[data-testid="stSidebar"]');
  const open = () => sidebar && sidebar.getBoundingClientRect().right > 10
    && sidebar.getAttribute('aria-expanded') !== 'false';
  if (!open()) return true; // closed already (Streamlit remembers it from the last page)
  const before = main.getBoundingClientRect().width;
  const button = document.querySelector('[data-testid="stSidebarCollapseButton"] button');
  if (!button) return false;
  button.click();
  for (let k = 0; k < 100; k++) {
    await new Promise((r) => setTimeout(r, 50));
    if (main.getBoundingClientRect().width > before + 100 && !open()) return true;
  }
  return false;
}"""

MEASURE_JS = r"""
() => {
  const W = window.innerWidth, H = window.innerHeight;
  const main = document.querySelector('[data-testid="stMain"]');
  const mainRect = main.getBoundingClientRect();
  const root = document.querySelector('[data-testid="stApp"]');
  const visible = (el) => {
    const s = getComputedStyle(el);
    if (s.display === 'none' || s.visibility === 'hidden' || Number(s.opacity) === 0) {
      return false;
    }
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0;
  };
  const keyOf = (el) => {
    const box = el.closest('[class*="st-key-"]');
    if (!box) return null;
    for (const c of box.classList) if (c.startsWith('st-key-')) return c.slice(7);
    return null;
  };
  const describe = (el) => {
    const text = (el.innerText || el.textContent || '').trim().replace(/\s+/g, ' ');
    const t = Array.from(text).slice(0, 50).join('');
    const id = el.dataset.testid ? `[${el.dataset.testid}]` : '';
    const key = keyOf(el) ? `(${keyOf(el)})` : '';
    return `${el.tagName.toLowerCase()}${id}${key}` + (t ? ` "${t}"` : '');
  };
  const inside = (r) =>
    r.top >= -0.5 && r.left >= -0.5 && r.bottom <= H + 0.5 && r.right <= W + 0.5;

  // ---- first screen: the first chart and the page sliders before it
  const graphs = [...main.querySelectorAll('.lif-chart')].filter(visible);
  const first = graphs[0] || null;
  const sliders = [...main.querySelectorAll('[data-testid="stSlider"]')].filter(visible);
  const before = first
    ? sliders.filter((s) => s.compareDocumentPosition(first) & Node.DOCUMENT_POSITION_FOLLOWING)
    : [];
  const outside = [];
  if (first && !inside(first.getBoundingClientRect())) outside.push(`chart ${first.dataset.key}`);
  for (const s of before) {
    if (!inside(s.getBoundingClientRect())) outside.push(`slider ${keyOf(s)}`);
  }
  const rect = first ? first.getBoundingClientRect() : null;
  const firstScreen = {
    chart: first ? first.dataset.key : null,
    top: rect ? rect.top : null,
    bottom: rect ? rect.bottom : null,
    sliders: before.map(keyOf),
    ok: !!first && outside.length === 0,
    outside,
  };

  // ---- content that does not fit its box
  const clipped = [];
  const seen = new Set();
  const add = (el, why) => {
    if (seen.has(el)) return;
    seen.add(el);
    clipped.push(`${describe(el)}: ${why}`);
  };
  for (const html of root.querySelectorAll('.katex-html')) {
    const box = html.closest('.katex-display') || html.closest('.katex');
    if (!visible(box)) continue;
    let left = Infinity, right = -Infinity;
    for (const part of html.children) {
      const r = part.getBoundingClientRect();
      if (r.width) { left = Math.min(left, r.left); right = Math.max(right, r.right); }
    }
    if (!(right > left)) continue;
    const br = box.getBoundingClientRect();
    const holder = box.closest('[data-testid="stMarkdownContainer"]') || box.parentElement;
    const column = holder.getBoundingClientRect();
    const edge = {left: Math.max(br.left, column.left), right: Math.min(br.right, column.right)};
    const over = Math.max(right - edge.right, edge.left - left);
    if (over > 1) {
      const wide = Math.round(right - left);
      add(box, `equation ${wide}px wide runs ${Math.round(over)}px past its box`);
    }
  }
  // inside a box that scrolls sideways (a wide table): reachable by scrolling, not cut
  const inScroller = (el) => {
    for (let e = el.parentElement; e && e !== main; e = e.parentElement) {
      const o = getComputedStyle(e).overflowX;
      if ((o === 'auto' || o === 'scroll') && e.scrollWidth > e.clientWidth) return true;
    }
    return false;
  };
  const TEXT = [
    '[data-testid="stMetricValue"]', '[data-testid="stMetricValue"] *',
    '[data-testid="stMetricLabel"]', '[data-testid="stMetricLabel"] *',
    '[data-testid="stMetricDelta"]', '[data-testid="stMetricDelta"] *',
    '[data-testid="stWidgetLabel"]', '[data-testid="stWidgetLabel"] *',
    '[data-testid="stMarkdownContainer"]', '[data-testid="stCaptionContainer"]',
    '[data-testid="stSliderThumbValue"]', '[data-testid="stTickBarMin"]',
    '[data-testid="stTickBarMax"]', 'button', 'h1', 'h2', 'h3', 'h4', 'h5', 'th', 'td',
  ].join(', ');
  for (const el of root.querySelectorAll(TEXT)) {
    if (!visible(el) || el.closest('.katex-mathml')) continue;
    const s = getComputedStyle(el);
    const r = el.getBoundingClientRect();
    const hides = s.overflowX !== 'visible' || s.textOverflow === 'ellipsis';
    const scrolls = s.overflowX === 'auto' || s.overflowX === 'scroll';
    if (hides && !scrolls && el.scrollWidth > el.clientWidth + 1) {
      add(el, `content ${el.scrollWidth}px cut to ${el.clientWidth}px`);
    } else if (!el.closest('[data-testid="stSidebar"]') && !inScroller(el)
               && r.right > Math.min(W, mainRect.right) + 1) {
      add(el, `runs ${Math.round(r.right - Math.min(W, mainRect.right))}px past the right edge`);
    }
  }
  const CHART_TEXT = '.annotation-text, .legendtext, [class*="xtitle"], [class*="ytitle"]';
  for (const g of graphs) {
    const gr = g.getBoundingClientRect();
    for (const t of g.querySelectorAll(CHART_TEXT)) {
      const r = t.getBoundingClientRect();
      if (r.width === 0) continue;
      const out = r.left < gr.left - 1 || r.right > gr.right + 1
        || r.top < gr.top - 1 || r.bottom > gr.bottom + 1;
      if (out) add(t, `chart ${g.dataset.key}: text outside its chart`);
    }
  }

  // ---- plot area
  const plots = graphs.map((g) => {
    const L = g._fullLayout;
    return {key: g.dataset.key, fraction: L ? L._size.h / L.height : null,
            height: L ? L.height : null, plot: L ? L._size.h : null};
  });

  // ---- contrast
  const parse = (c) => {
    const m = c && c.match(/rgba?\(([^)]+)\)/);
    if (!m) return null;
    const p = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  };
  // the colours under an element: its ancestors drawn behind it (an absolutely placed label,
  // e.g. a slider's value over its thumb, is not on the thumb's colour)
  const backgroundOf = (el) => {
    const layers = [];
    const r0 = el.getBoundingClientRect();
    const cx = r0.left + r0.width / 2, cy = r0.top + r0.height / 2;
    for (let e = el; e; e = e.parentElement) {
      const r = e.getBoundingClientRect();
      const under = r.left <= cx && cx <= r.right && r.top <= cy && cy <= r.bottom;
      if (e !== el && !under && r.width < 80 && r.height < 80) continue;
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c[3] > 0) { layers.push(c); if (c[3] >= 1) break; }
    }
    let bg = [255, 255, 255];
    for (const c of layers.reverse()) bg = bg.map((v, i) => v * (1 - c[3]) + c[i] * c[3]);
    return bg;
  };
  const lum = (rgb) => {
    const [r, g, b] = rgb.map((v) => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const ratio = (fg, bg) => {
    const a = lum(fg), b = lum(bg);
    return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  };
  const blend = (c, bg, alpha) => bg.map((v, i) => v * (1 - alpha) + c[i] * alpha);
  const body = [], chart = [];
  const ownText = (el) => [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
  const SKIP = '.katex, .js-plotly-plot, [data-testid="stToolbar"], [data-testid="stDecoration"],'
    + ' [data-baseweb="tooltip"], [role="tooltip"]';
  const BODY = 'p, li, span, div, label, h1, h2, h3, h4, h5, a, th, td, small, strong, em, code';
  for (const el of root.querySelectorAll(BODY)) {
    if (!ownText(el) || !visible(el) || el.closest(SKIP)) continue;
    const box = el.getBoundingClientRect();
    if (box.bottom < 0 || box.right < 0) continue; // off screen until focused (a skip link)
    // inactive controls are exempt from WCAG's contrast rule (a button before its choice)
    if (el.closest('button:disabled, [aria-disabled="true"], [disabled]')) continue;
    const c = parse(getComputedStyle(el).color);
    if (!c) continue;
    let alpha = c[3];
    for (let e = el; e && e !== root; e = e.parentElement) {
      alpha *= Number(getComputedStyle(e).opacity);
    }
    if (alpha < 0.05) continue; // not shown (e.g. a slider's range, until hovered)
    const bg = backgroundOf(el);
    body.push({text: describe(el), ratio: ratio(blend(c, bg, alpha), bg)});
  }
  for (const g of graphs) {
    const page = backgroundOf(g);
    for (const t of g.querySelectorAll('.main-svg text')) {
      if (!t.textContent.trim() || t.closest('.hoverlayer, .modebar')) continue;
      if (t.getBoundingClientRect().width === 0) continue;
      // a label's own tint (plotly's annotation background) lies between it and the page
      let bg = page;
      const note = t.closest('.annotation');
      const tint = note && note.querySelector('rect.bg');
      if (tint) {
        const c = parse(getComputedStyle(tint).fill);
        if (c) bg = blend(c, page, c[3] * Number(getComputedStyle(tint).fillOpacity || 1));
      }
      const s = getComputedStyle(t);
      const c = parse(s.fill);
      if (!c) continue;
      const alpha = c[3] * Number(s.fillOpacity || 1) * Number(s.opacity || 1);
      const text = Array.from(t.textContent.trim()).slice(0, 40).join('');
      chart.push({text: `${g.dataset.key}: "${text}"`, ratio: ratio(blend(c, bg, alpha), bg)});
    }
  }
  const lowest = (list) => list.reduce((m, x) => (m === null || x.ratio < m.ratio ? x : m), null);
  const low = [...body, ...chart].filter((x) => x.ratio < 4.5);
  return {
    viewport: {width: W, height: H},
    first_screen: firstScreen,
    clipped,
    plots,
    contrast: {
      body: lowest(body),
      chart: lowest(chart),
      low: low.slice(0, 30).map((x) => `${x.text} ${x.ratio.toFixed(2)}`),
    },
  };
}
"""
