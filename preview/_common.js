// Helpers shared by the preview recipes (preview/*.js): Python's number formatting, numpy's
// linspace, unit conversion and rounding as plain loops, and traces built on Python's own
// (for charts whose traces come and go).
// Plain script, concatenated before the recipes (lab_chart.py sorts preview/*.js: "_" first).
const LIFPreviewUtil = (() => {
  const E = globalThis.LIFEngine;

  // LIFEngine.from_si / rounded / take, as loops (Float64Array.from with a function costs
  // ~0.05 ms per 1000 values, as much as the simulation): the same arithmetic, the same bits.
  /** SI values to `unit` (x / factor, as lif_core.units.from_si). */
  function fromSI(x, unit) {
    const c = E.UNITS[unit];
    const out = new Float64Array(x.length);
    for (let i = 0; i < x.length; i++) out[i] = x[i] / c;
    return out;
  }

  /** lif_figures.style.rounded: rint(x 10^d) / 10^d, halves to even (values in `unit`). */
  function rounded(x, unit) {
    const c = 10 ** E.DECIMALS[unit];
    const out = new Float64Array(x.length);
    for (let i = 0; i < x.length; i++) {
      const y = x[i] * c;
      let r = Math.round(y);
      if (r - y === 0.5 && r % 2 !== 0) r -= 1;
      out[i] = r / c;
    }
    return out;
  }

  /** values[indices] (Float64Array). */
  function take(values, indices) {
    const out = new Float64Array(indices.length);
    for (let i = 0; i < indices.length; i++) out[i] = values[indices[i]];
    return out;
  }

  /** Python's f"{x:.{d}f}" (halves to even on the exact value, "-0.0" kept). */
  function fixed(x, d) {
    if (Number.isNaN(x)) return "nan";
    if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
    const sign = x < 0 || Object.is(x, -0) ? "-" : "";
    const a = Math.abs(x);
    let s = a.toFixed(d);
    if (a < 1e21) {
      const exact = a.toFixed(100);
      const point = exact.indexOf(".");
      const rest = exact.slice(point + 1 + d);
      if (/^50*$/.test(rest)) {
        // a tie: toFixed went up, Python goes to the even neighbour
        const down = exact.slice(0, d > 0 ? point + 1 + d : point);
        if (Number(down.slice(-1)) % 2 === 0) s = down;
      }
    }
    return sign + s;
  }

  /** Python's f"{x:.{p}g}": p significant digits, trailing zeros dropped. */
  function general(x, p = 6) {
    if (Number.isNaN(x)) return "nan";
    if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
    const sign = x < 0 || Object.is(x, -0) ? "-" : "";
    const a = Math.abs(x);
    if (a === 0) return `${sign}0`;
    let [mant, e10] = a.toExponential(p - 1).split("e");
    const exact = a.toExponential(100).split("e")[0].replace(".", "");
    if (/^50*$/.test(exact.slice(p))) {
      const down = exact.slice(0, p);
      if (Number(down.slice(-1)) % 2 === 0) {
        mant = p > 1 ? `${down[0]}.${down.slice(1)}` : down;
        e10 = a.toExponential(100).split("e")[1];
      }
    }
    const exp = Number(e10);
    const digits = mant.replace(".", "");
    const strip = (s) => (s.includes(".") ? s.replace(/0+$/, "").replace(/\.$/, "") : s);
    if (exp >= -4 && exp < p) {
      let s;
      if (exp >= 0) s = `${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
      else s = `0.${"0".repeat(-exp - 1)}${digits}`;
      return sign + strip(s);
    }
    const m = strip(digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits);
    return `${sign}${m}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
  }

  /** Hyphens as true minus signs (lif_figures' _minus). */
  const minus = (s) => s.replace(/-/g, "−");

  /** numpy.linspace(start, stop, n) (endpoint included): start + i * step, the last = stop. */
  function linspace(start, stop, n) {
    const out = new Float64Array(n);
    const step = (stop - start) / (n - 1);
    for (let i = 0; i < n; i++) out[i] = i * step + start;
    if (n > 1) out[n - 1] = stop;
    return out;
  }

  /**
   * A trace of the new figure, on Python's: the first trace of `figure` whose name starts
   * with `prefix` (its style), else `fallback` (the style Python gives it, for a trace
   * Python did not draw at its values), updated with `values` ({x, y, name, ...}).
   */
  function trace(figure, prefix, fallback, values) {
    const base = figure.data.find((tr) => String(tr.name).startsWith(prefix));
    return { ...(base || fallback), ...values };
  }

  // ---------------------------------------------------------------- the legend's room
  // lif_figures.style.legend_height / legend_top_margin and FigureSpec._reserve_legend_room:
  // the top margin Python reserves for a horizontal legend above the plot, so a preview whose
  // legend entries come, go or change keeps the layout Python would give it (and plotly does
  // not grow the margin itself, which draws the chart twice).
  const ENTRY_HEIGHT = 24;
  const ENTRY_SYMBOL = 40;
  const ENTRY_GAP = 5;
  const GROUP_GAP = 10;
  const NARROW = new Set("iljtfr.,:;'()|!I []-_/·");
  const WIDE = new Set("mwMW");

  function textWidth(text) {
    let width = 0.0;
    for (const c of text) {
      if (NARROW.has(c)) width += 4.9;
      else if (WIDE.has(c)) width += 10.0;
      else if (c >= "0" && c <= "9") width += 7.0;
      else if (c !== c.toLowerCase() && c === c.toUpperCase()) width += 9.0; // upper case
      else width += 8.2;
    }
    return width;
  }

  function legendHeight(entries, plotWidth) {
    if (!entries.length) return 0.0;
    const widths = entries.map(([name]) => ENTRY_SYMBOL + textWidth(name));
    const pad = 2 * ENTRY_GAP;
    if (entries.some(([, group]) => group)) {
      const groups = new Map();
      entries.forEach(([, group], k) => {
        const id = group ? group : `~${k}`;
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
    const sum = widths.reduce((a, b) => a + b, 0);
    if (sum + ENTRY_GAP * (widths.length - 1) < plotWidth) return ENTRY_HEIGHT + pad;
    const widest = Math.max(...widths);
    const column = widest + ENTRY_GAP;
    const perRow = Math.max(1, Math.floor((plotWidth - widest) / column) + 1);
    return ENTRY_HEIGHT * Math.ceil(widths.length / perRow) + pad;
  }

  /**
   * The figure's margin with the top Python reserves for the legend of `data` (the traces
   * drawn) in a chart laid out `width` px wide (the builder's FigureSpec width: HALF_WIDTH
   * 554 or FULL_WIDTH 1140). `layout` is Python's layout (its shapes' legend entries count).
   */
  function legendMargin(data, layout, width) {
    const margin = layout.margin || {};
    const legend = layout.legend || {};
    const y = legend.y === undefined ? 1.02 : legend.y;
    if (
      layout.showlegend === false || legend.orientation !== "h" || legend.yanchor !== "bottom" ||
      y < 1.0 || legend.traceorder
    ) {
      return margin;
    }
    const title = Boolean(layout.title && layout.title.text);
    const top = title ? 60 : 30; // new_figure's top margin, before the legend's room
    const entries = data
      .filter((t) => t.name && t.showlegend !== false)
      .map((t) => [String(t.name), t.legendgroup]);
    for (const s of layout.shapes || []) {
      if (s.showlegend && s.name) entries.push([String(s.name), s.legendgroup]);
    }
    const plotWidth = width - (margin.l === undefined ? 80 : margin.l) -
      (margin.r === undefined ? 80 : margin.r);
    const plotHeight = (layout.height || 450) - top - (margin.b === undefined ? 80 : margin.b);
    const height = legendHeight(entries, plotWidth);
    const need = height
      ? Math.ceil(height + Math.max(0.0, y - 1.0) * plotHeight + 12) + (title ? 30 : 0)
      : 30 + (title ? 30 : 0);
    return { ...margin, t: Math.max(top, need) };
  }

  return Object.freeze({
    fixed, general, minus, linspace, trace, fromSI, rounded, take, legendMargin,
    HALF_WIDTH: 554, FULL_WIDTH: 1140,
  });
})();

globalThis.LIFPreviewUtil = LIFPreviewUtil;
