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
  /**
   * The figure's margin with the top Python reserves for the legend of `data` (the traces
   * drawn) in a chart laid out `width` px wide (the builder's FigureSpec width: HALF_WIDTH
   * 554 or FULL_WIDTH 1140), so a preview whose legend entries come, go or change keeps the
   * layout Python would give it. `layout` is Python's layout (its shapes' legend entries
   * count). The computation is LIFDraw.legendTop's (preview/_draw.js), with the builder's
   * top margin before the reservation (new_figure's: MARGIN_T, plus 40 px for a title).
   */
  function legendMargin(data, layout, width) {
    const title = Boolean(layout.title && layout.title.text);
    const top = globalThis.LIFDraw.MARGIN_T + (title ? 40 : 0);
    return { ...(layout.margin || {}), t: globalThis.LIFDraw.legendTop({ layout }, data, { width, top, title }) };
  }

  return Object.freeze({
    fixed, general, minus, linspace, trace, fromSI, rounded, take, legendMargin,
    HALF_WIDTH: 554, FULL_WIDTH: 1140,
  });
})();

globalThis.LIFPreviewUtil = LIFPreviewUtil;
