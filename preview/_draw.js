// Drawing helpers for the live previews of chapters 5 and 6 (global LIFDraw).
//
// - LIFDraw.inUnit(x, unit): SI values in a display unit, x / UNITS[unit] as
//   lif_core.units.from_si (a plain loop: LIFEngine.from_si maps with Float64Array.from and
//   a closure, ~15x slower: 0.35 ms per 5000 values here, several per frame add up).
// - LIFDraw.thinned(x, y, max, unit): lif_figures.synapses._line's thinning: each pixel
//   column's min and max (LIFEngine.downsample_indices), chosen on y rounded to the
//   display's precision (lif_figures.style.DECIMALS[unit], as style.rounded) when a unit is
//   given; the values drawn are the unrounded ones.
// - LIFDraw.legendTop(figure, data, options): the top margin the builder reserves for the
//   legend (below), for recipes whose legend entries or legend position change.
//
// Legend room: a builder's FigureSpec reserves the top margin that holds its horizontal legend
// (lif_figures.spec.FigureSpec._reserve_legend_room with lif_figures.style.legend_top_margin):
// without it plotly grows the margin itself and draws the chart twice per update. When a
// preview renames a trace (a label with the slider's value) or moves the legend, it needs
// the margin Python would reserve: legendTop computes it with the same text widths.
// Plain script, loaded before the recipes (preview/*.js in sorted order: "_" sorts first).
(() => {
  const E = globalThis.LIFEngine;

  function inUnit(x, unit) {
    const c = E.UNITS[unit];
    const out = new Float64Array(x.length);
    for (let k = 0; k < x.length; k++) out[k] = x[k] / c;
    return out;
  }

  // style.rounded: numpy's round(y, decimals), halves to even (as LIFEngine.rounded)
  function rounded(y, decimals) {
    const c = 10 ** decimals;
    const out = new Float64Array(y.length);
    for (let k = 0; k < y.length; k++) {
      const s = y[k] * c;
      let r = Math.round(s);
      if (r - s === 0.5 && r % 2 !== 0) r -= 1;
      out[k] = r / c;
    }
    return out;
  }

  function thinned(x, y, max, unit = null) {
    if (y.length <= max) return { x, y };
    const keep = E.downsample_indices(unit === null ? y : rounded(y, E.DECIMALS[unit]), max);
    return { x: E.take(x, keep), y: E.take(y, keep) };
  }

  // lif_figures.style: entry height, symbol area, gap between entries and between groups
  const ENTRY_HEIGHT = 24;
  const ENTRY_SYMBOL = 40;
  const ENTRY_GAP = 5;
  const GROUP_GAP = 2; // legend.tracegroupgap
  const MARGIN_T = 18; // lif_figures.style.MARGIN_T: the top margin without legend or title
  const NARROW = new Set("iljtfr.,:;'()|!I []-_/·");
  const WIDE = new Set("mwMW");
  const WIDTH = { narrow: 4.9, wide: 10.0, upper: 9.0, digit: 7.0, other: 8.2 };
  const isDigit = (c) => /^\p{Nd}$/u.test(c);
  const isUpper = (c) => c.toUpperCase() === c && c.toLowerCase() !== c;

  // lif_figures.style._text_width: estimated width (px) of text in the legend font.
  function textWidth(text) {
    let width = 0.0;
    for (const c of text) {
      if (NARROW.has(c)) width += WIDTH.narrow;
      else if (WIDE.has(c)) width += WIDTH.wide;
      else if (isDigit(c)) width += WIDTH.digit;
      else if (isUpper(c)) width += WIDTH.upper;
      else width += WIDTH.other;
    }
    return width;
  }

  // lif_figures.style.legend_height: entries [name, legendgroup or null], plot width (px).
  function height(entries, plotWidth) {
    if (!entries.length) return 0.0;
    const widths = entries.map(([name]) => ENTRY_SYMBOL + textWidth(name));
    const pad = 2 * ENTRY_GAP;
    if (entries.some(([, group]) => group)) {
      const groups = new Map();
      entries.forEach(([, group], k) => {
        // an entry without a group is a group of its own (a key no group name can take:
        // a preview's new trace sits among Python's groups "~0", "~1"...)
        const id = group ? group : `\u0000${k}`;
        if (!groups.has(id)) groups.set(id, []);
        groups.get(id).push(widths[k]);
      });
      const rows = [];
      let x = 0.0;
      let rowHeight = 0.0;
      for (const members of groups.values()) {
        const column = Math.max(...members) + ENTRY_GAP;
        if (x > 0 && x + column > plotWidth) {
          rows.push(rowHeight);
          x = 0.0;
          rowHeight = 0.0;
        }
        x += column;
        rowHeight = Math.max(rowHeight, ENTRY_HEIGHT * members.length);
      }
      rows.push(rowHeight);
      return rows.reduce((a, b) => a + b, 0) + GROUP_GAP * (rows.length - 1) + pad;
    }
    const total = widths.reduce((a, b) => a + b, 0);
    if (total + ENTRY_GAP * (widths.length - 1) < plotWidth) return ENTRY_HEIGHT + pad;
    const widest = Math.max(...widths);
    const column = widest + ENTRY_GAP;
    const perRow = Math.max(1, Math.floor((plotWidth - widest) / column) + 1);
    return ENTRY_HEIGHT * Math.ceil(widths.length / perRow) + pad;
  }

  /**
   * The top margin (px) FigureSpec reserves for the legend of `figure` drawn with `data`
   * (the traces after the patch) and legend position `legendY`. `width` is the width the
   * builder lays the chart out for (HALF_WIDTH or FULL_WIDTH) and `top` its top margin
   * before the reservation (the builder's own margin.t).
   */
  function legendTop(figure, data, { width, top: baseTop, legendY = null, title = false }) {
    const layout = figure.layout;
    const legend = layout.legend || {};
    const y = legendY === null ? (legend.y === undefined ? 1.02 : legend.y) : legendY;
    const margin = layout.margin || {};
    if (layout.showlegend === false || legend.orientation !== "h") return margin.t;
    if (legend.yanchor !== "bottom" || y < 1.0 || legend.traceorder) return margin.t;
    const entries = data
      .filter((t) => t.name && t.showlegend !== false)
      .map((t) => [String(t.name), t.legendgroup || null]);
    for (const s of layout.shapes || []) {
      if (s.showlegend && s.name) entries.push([String(s.name), s.legendgroup || null]);
    }
    const plotWidth = width - (margin.l ?? 80) - (margin.r ?? 80);
    const plotHeight = (layout.height ?? 450) - baseTop - (margin.b ?? 80);
    const h = height(entries, plotWidth);
    const need = h
      ? Math.ceil(h + Math.max(0.0, y - 1.0) * plotHeight + 12) + (title ? 30 : 0)
      : MARGIN_T + (title ? 40 : 0);
    return Math.max(baseTop, need);
  }

  globalThis.LIFDraw = Object.freeze({
    inUnit, rounded, thinned, legendTop, textWidth, height, MARGIN_T,
  });
})();
