// LIF Lab's light drag frames: the moving curves drawn on a canvas over the plotly chart.
//
// Why not Plotly.react on every frame (measured with benchmarks/live_drag.py, README "Live
// drag"): in headless Chromium without a GPU, one Plotly.react of a LIF Lab chart takes
// 55-75 ms and even a bare Plotly.react loop of a minimal chart reaches only 1-12 frames per
// second here; plotly's redraw (axes, legend, every trace's SVG) is the limit, not the
// physics (under 4 ms). plotly has no cheaper call for new data: restyle and animate also
// recompute and redraw the subplot. So while a slider is dragged and only the *data* of some
// traces change (same traces and styles, same legend, same axes), the preview hides those
// traces' SVG and draws them on a canvas laid over the plot, with plotly's own axis mappings
// and the styles plotly drew them with (read from their SVG: colour, width, dash, marker
// symbol; lab_canvas_draw.js draws). A shape or an annotation that only moves is shifted in
// place, a line or rectangle that changes size is drawn on the canvas, arrows without text
// that come, go or turn are all drawn on the canvas, and a legend label or
// an annotation's plain text that changes is rewritten in place. Anything else (a trace added,
// a new style, an axis range) is a Plotly.react frame as before. On release Python's figure
// is drawn by plotly and the canvas is cleared.
//
// LIFCanvas.reacted(entry, data, layout): what plotly was last asked to draw for a chart.
// LIFCanvas.plan(entry, figure): how to show `figure` without plotly, or null.
// LIFCanvas.render(entry, plan), LIFCanvas.clear(entry).
// Plain script (no export): concatenated before lab_preview.js (lab_chart.py).

const LIFCanvas = (() => {
  const { canvasOf, clearCanvas, drawTrace, drawShape, drawArrows } = globalThis.LIFCanvasDraw;

  function sansParts(layout) {
    const rest = {};
    for (const [k, v] of Object.entries(layout || {})) {
      if (k !== "shapes" && k !== "annotations") rest[k] = v;
    }
    return JSON.stringify(rest);
  }

  // why the last frame that needed plotly did (benchmarks and tests read it)
  const why = { last: "", counts: {} };
  function no(reason) {
    why.last = reason;
    why.counts[reason] = (why.counts[reason] || 0) + 1;
    return null;
  }

  // equal as JSON, whatever the order of the keys (Python's dicts and the recipes' objects
  // list them in different orders: an error_y compared key by key in order differed on the
  // first preview frame after every figure from Python, and plotly redrew the chart)
  const sorted = (k, v) =>
    v && typeof v === "object" && !Array.isArray(v) && !ArrayBuffer.isView(v)
      ? Object.fromEntries(Object.keys(v).sort().map((n) => [n, v[n]]))
      : v;
  const same = (a, b) => a === b || JSON.stringify(a, sorted) === JSON.stringify(b, sorted);

  // plotly was asked to draw this figure: forget canvas drawings, remember it
  function reacted(entry, data, layout) {
    clear(entry);
    entry.reacted = { data, layout, sig: null };
  }

  // what may change between drag frames without plotly: data, not style
  const DATA_KEYS = new Set(["x", "y", "name", "text", "textposition", "width"]);
  const sansArray = (e) => (e && typeof e === "object" ? { ...e, array: undefined } : e);

  function styleChanges(a, b) {
    return Object.keys({ ...a, ...b }).filter((k) => {
      if (DATA_KEYS.has(k) && (k !== "width" || a.type === "bar")) return false;
      if (k === "error_y") return !same(sansArray(a[k]), sansArray(b[k]));
      return !same(a[k], b[k]);
    });
  }

  const axisOf = (fl, id) => fl[`${id[0]}axis${id.slice(1)}`];

  // pixel of a shape or annotation coordinate (axis, "paper" or "x domain" reference)
  function pixel(fl, ref, letter, v) {
    if (typeof v !== "number") return NaN;
    const s = fl._size;
    if (!ref || ref === "paper" || ref.endsWith(" domain")) {
      const ax = ref && ref.endsWith(" domain") ? axisOf(fl, ref.split(" ")[0]) : null;
      if (letter === "x") return ax ? ax._offset + v * ax._length : s.l + v * s.w;
      return ax ? ax._offset + (1 - v) * ax._length : s.t + (1 - v) * s.h;
    }
    const ax = axisOf(fl, ref);
    return ax ? ax._offset + ax.c2p(v) : NaN;
  }

  // the legend entry showing `name` (plain text, one match), to relabel in place
  function legendLabel(gd, name) {
    const hits = [...gd.querySelectorAll(".legend text.legendtext")].filter(
      (t) => t.textContent === String(name) && !t.children.length,
    );
    return hits.length === 1 ? hits[0] : null;
  }

  // A changed shape or annotation: shifted in place ({els, dx, dy, text}), a shape redrawn on
  // the canvas ({shape}), or null (plotly must draw it). A legend label that changes with it
  // is relabelled in place ({text}).
  function changeOf(gd, part, i, now, was) {
    const fl = gd._fullLayout;
    const full = fl[part] && fl[part][i];
    if (!full) return null;
    const coords = part === "shapes" ? ["x0", "x1", "y0", "y1"] : ["x", "y"];
    const label = part === "shapes" ? "name" : "text";
    const keys = new Set([...Object.keys(now), ...Object.keys(was)]);
    for (const k of keys) {
      if (!coords.includes(k) && k !== label && !same(now[k], was[k])) return null;
    }
    const selector = part === "shapes" ? ".shapelayer" : ".annotation";
    const found = [...gd.querySelectorAll(`${selector} [data-index="${i}"], ${selector}[data-index="${i}"]`)];
    // the outermost ones (a shape with a legend entry is a group around its path): shifting
    // both would move the path twice
    const els = found.filter((el) => !found.some((o) => o !== el && o.contains(el)));
    if (!els.length) return null;
    let text = null;
    const shown = part === "annotations" || full.showlegend === true;
    if (shown && !same(now[label], was[label])) {
      // plain text only: plotly's rich text (<b>, <sub>, line breaks) needs plotly
      if (/[<&]/.test(String(now[label]))) return null;
      const node = part === "shapes"
        ? legendLabel(gd, was[label])
        : els[0].querySelector("text.annotation-text");
      if (!node || node.children.length) return null;
      text = { node, value: String(now[label]) };
    }
    const at = (letter, n, item) => pixel(fl, full[`${letter}ref`], letter, item[n]);
    const shift = (letter, names) => {
      const d = names.map((n) => at(letter, n, now) - at(letter, n, was));
      return d.every(Number.isFinite) && Math.abs(d[0] - d[d.length - 1]) <= 0.5 ? d[0] : NaN;
    };
    const dx = shift("x", part === "shapes" ? ["x0", "x1"] : ["x"]);
    const dy = shift("y", part === "shapes" ? ["y0", "y1"] : ["y"]);
    if (Number.isFinite(dx) && Number.isFinite(dy)) return { part, i, now, els, dx, dy, text };
    if (part !== "shapes" || !["line", "rect"].includes(full.type)) return null;
    // a line or rectangle that changed size: drawn on the canvas with its SVG's style
    const path = els.find((el) => el.tagName === "path") || els[0].querySelector("path");
    if (!path) return null;
    const xy = ["x0", "y0", "x1", "y1"].map((n) => at(n[0], n, now));
    if (!xy.every(Number.isFinite)) return null;
    const clipTo = [full.xref, full.yref].map((ref) =>
      ref && ref !== "paper" && !ref.endsWith(" domain") ? axisOf(fl, ref) : null,
    );
    const shape = { type: full.type, xy, style: path.style, hide: els, clipTo };
    return { part, i, now, els: [], dx: 0, dy: 0, text, shape };
  }

  // Annotations that are only an arrow (no text), as chapter 2's flow arrows: when they come,
  // go or turn as a slider moves, plotly's drawn ones are hidden and all of them are drawn on
  // the canvas, in the style plotly drew the first one (its line, and its head's path, scale
  // and set-back read from the SVG). All arrows must share that style, else plotly draws.
  const ARROW_STYLE = [
    "arrowhead", "arrowsize", "arrowwidth", "arrowcolor", "opacity", "standoff", "arrowside",
    "startarrowhead", "startarrowsize", "startstandoff", "xref", "yref", "axref", "ayref",
  ];
  const isArrow = (a) => Boolean(a) && a.showarrow === true && a.text === "";
  const arrowStyle = (a) => JSON.stringify(ARROW_STYLE.map((k) => a[k]));

  function arrowPlan(gd, now, was) {
    const fl = gd._fullLayout;
    const drawn = was.map((a, i) => (isArrow(a) ? i : -1)).filter((i) => i >= 0);
    if (!drawn.length) return null;
    const style = arrowStyle(was[drawn[0]]);
    const arrows = now.filter(isArrow);
    if (![...drawn.map((i) => was[i]), ...arrows].every((a) => arrowStyle(a) === style)) return null;
    const full = fl.annotations && fl.annotations[drawn[0]];
    if (!full || full.arrowside !== "end") return null;
    const group = (i) => gd.querySelector(`.annotation[data-index="${i}"]`);
    const hide = drawn.map(group);
    if (!hide.every(Boolean)) return null;
    const arrowG = hide[0].querySelector(".annotation-arrow-g");
    const paths = arrowG ? arrowG.querySelectorAll("path") : [];
    if (paths.length !== 2) return null;
    const [line, head] = paths;
    const form = head.getAttribute("transform") || "";
    const at = /translate\(\s*([-\d.e+]+)[ ,]+([-\d.e+]+)\s*\)/.exec(form);
    const scale = /scale\(\s*([-\d.e+]+)/.exec(form);
    if (!at || !scale) return null;
    const tipOf = (a) => [pixel(fl, a.xref, "x", a.x), pixel(fl, a.yref, "y", a.y)];
    // the tail: in axis units (axref "x"...) or pixels from the tip (plotly's default)
    const tailOf = (a, tip) => [
      a.axref && a.axref !== "pixel" ? pixel(fl, a.axref, "x", a.ax) : tip[0] + a.ax,
      a.ayref && a.ayref !== "pixel" ? pixel(fl, a.ayref, "y", a.ay) : tip[1] + a.ay,
    ];
    const ref = tipOf(full);
    const back = Math.hypot(ref[0] - +at[1], ref[1] - +at[2]); // the head's set-back, px
    const draw = [];
    for (const a of arrows) {
      const tip = tipOf(a);
      const tail = tailOf(a, tip);
      if (![...tip, ...tail].every(Number.isFinite)) return null;
      draw.push({ tip, tail });
    }
    if (!Number.isFinite(back)) return null;
    return {
      hide,
      draw,
      back,
      opacity: [hide[0].style.opacity, arrowG.style.opacity], // the group's and the arrow's
      line: line.style,
      head: { path: new Path2D(head.getAttribute("d") || ""), scale: +scale[1], fill: head.style.fill },
    };
  }

  // what of a trace's SVG to hide and how to draw its new data, false (nothing drawn), or null
  function drawable(gd, i, trace) {
    const full = gd._fullData.find((t) => t.index === i);
    if (!full) return null;
    if (full.visible !== true) return false;
    const mode = full.type === "bar" ? "" : full.mode || "";
    if (full.type !== "scatter" && full.type !== "bar") return null;
    if (full.fill && full.fill !== "none" && full.fill !== "tozeroy") return null;
    if (full.line && full.line.shape && full.line.shape !== "linear") return null;
    if (full.error_x && full.error_x.visible) return null;
    // the trace's SVG group (plotly keeps the trace in the group's d3 datum)
    const group = [...gd.querySelectorAll("g.trace")].find((g) => {
      const d = g.__data__;
      return d && d[0] && d[0].trace && d[0].trace.uid === full.uid;
    });
    if (!group) return null;
    const hide = [group];
    let line = null;
    let marker = null;
    let fill = null;
    let bars = null;
    let errors = null;
    if (full.type === "bar") {
      const width = trace.width === undefined ? full.width : trace.width;
      const el = group.querySelector("path");
      if (full.orientation !== "v" || typeof width !== "number" || full.base != null || !el) {
        return null;
      }
      bars = { width, style: el.style };
    }
    if (full.error_y && full.error_y.visible) {
      const el = group.querySelector("g.errorbar path.yerror");
      const e = trace.error_y || full.error_y;
      if (!el || e.type !== "data" || e.symmetric === false || !e.array) return null;
      errors = { array: e.array, cap: +full.error_y.width || 0, style: el.style };
    }
    if (mode.includes("lines")) {
      const el = group.querySelector("path.js-line");
      if (!el) return null;
      line = el.style;
    }
    if (mode.includes("markers")) {
      const el = group.querySelector("path.point");
      if (!el) return null;
      marker = { path: new Path2D(el.getAttribute("d") || ""), style: el.style };
    }
    if (full.fill === "tozeroy") {
      const el = full._ownFill && full._ownFill.node && full._ownFill.node();
      if (!el || !el.isConnected) return null;
      fill = el.style;
      hide.push(el);
    }
    let text = null;
    if (mode.includes("text")) {
      const el = group.querySelector("g.textpoint text");
      if (!el) return null;
      const values = trace.text === undefined ? full.text : trace.text;
      const where = trace.textposition === undefined ? full.textposition : trace.textposition;
      text = { style: el.style, values, where, size: full.marker ? +full.marker.size || 0 : 0 };
    }
    const xa = axisOf(gd._fullLayout, full.xaxis || "x");
    const ya = axisOf(gd._fullLayout, full.yaxis || "y");
    if (!xa || !ya) return null;
    return {
      name: trace.name,
      x: trace.x || [],
      y: trace.y || [],
      xa,
      ya,
      clip: full.cliponaxis !== false,
      opacity: group.style.opacity === "" ? 1 : +group.style.opacity,
      line,
      marker,
      fill,
      text,
      bars,
      errors,
      hide,
    };
  }

  // How to show `fig` over what plotly drew for this chart, or null (plotly must draw it).
  function plan(entry, fig) {
    const gd = entry.graph;
    const r = entry.reacted;
    if (!r || gd.data !== r.data || !gd._fullLayout || !gd._fullData) return no("not drawn yet");
    if (!fig.data || fig.data.length !== r.data.length) return no("traces added or removed");
    restore(entry); // the SVG as plotly drew it (legend labels, shifts) to compare with
    if (r.sig === null) r.sig = sansParts(r.layout);
    if (sansParts(fig.layout) !== r.sig) {
      const keys = Object.keys({ ...fig.layout, ...r.layout }).filter(
        (k) => k !== "shapes" && k !== "annotations" && !same(fig.layout[k], r.layout[k]),
      );
      return no(`layout: ${keys.join(", ")}`);
    }
    const moving = [];
    const labels = [];
    for (let i = 0; i < fig.data.length; i++) {
      const a = fig.data[i];
      const b = r.data[i];
      if (a === b) continue;
      const changed = styleChanges(a, b);
      if (changed.length) return no(`trace ${i} (${a.name}): ${changed.join(", ")}`);
      moving.push(i);
      if (a.name !== b.name) {
        const full = gd._fullData.find((t) => t.index === i);
        if (full && full.showlegend === false) continue; // the name shows only in hover labels
        const node = /[<&]/.test(String(a.name)) ? null : legendLabel(gd, b.name);
        if (!node) return no(`trace ${i} (${a.name}): legend label`);
        labels.push({ node, value: String(a.name) });
      }
    }
    const moves = [];
    let arrows = null;
    for (const part of ["shapes", "annotations"]) {
      let now = fig.layout[part] || [];
      let was = r.layout[part] || [];
      let index = was.map((_, i) => i); // of each compared item in what plotly drew
      if (part === "annotations" && !same(now.filter(isArrow), was.filter(isArrow))) {
        arrows = arrowPlan(gd, now, was);
        if (!arrows) return no("annotations: arrows plotly must draw");
        index = index.filter((i) => !isArrow(was[i]));
        was = index.map((i) => was[i]);
        now = now.filter((a) => !isArrow(a));
      }
      if (now.length !== was.length) return no(`${part} added or removed`);
      for (let k = 0; k < now.length; k++) {
        if (same(now[k], was[k])) continue;
        // hidden before and after (a note lab_preview hides while its value is in view): no
        // change to draw, whatever else changed in it
        if (now[k] && was[k] && now[k].visible === false && was[k].visible === false) continue;
        const i = index[k];
        const m = changeOf(gd, part, i, now[k], was[k]);
        if (!m) {
          const keys = Object.keys({ ...now[k], ...was[k] }).filter((n) => !same(now[k][n], was[k][n]));
          return no(`${part} ${i} (${keys.join(", ")}): beyond a move`);
        }
        moves.push(m);
      }
    }
    const traces = [];
    for (const i of moving) {
      const d = drawable(gd, i, fig.data[i]);
      if (d === null) return no(`trace ${i} (${fig.data[i].name}): not drawable on the canvas`);
      if (d) traces.push(d);
    }
    return { traces, moves, labels, arrows };
  }

  function render(entry, p) {
    const gd = entry.graph;
    restore(entry);
    const undo = [];
    const hide = (el) => {
      undo.push(() => { el.style.visibility = ""; });
      el.style.visibility = "hidden";
    };
    const relabel = ({ node, value }) => {
      const old = node.textContent;
      undo.push(() => { node.textContent = old; });
      node.textContent = value;
    };
    const shapes = p.moves.filter((m) => m.shape);
    if (p.traces.length || shapes.length || (p.arrows && p.arrows.draw.length)) {
      const ctx = canvasOf(gd);
      if (!ctx) return false;
      for (const m of shapes) {
        m.shape.hide.forEach(hide);
        drawShape(ctx, m.shape);
      }
      for (const d of p.traces) {
        d.hide.forEach(hide);
        drawTrace(ctx, d);
      }
      if (p.arrows) drawArrows(ctx, p.arrows); // annotations lie above the traces
    } else {
      clearCanvas(gd);
    }
    if (p.arrows) p.arrows.hide.forEach(hide);
    for (const m of p.moves) {
      for (const el of m.els) {
        // before plotly's own transform (a CSS transform would replace it)
        const own = el.getAttribute("transform");
        undo.push(() => {
          if (own === null) el.removeAttribute("transform");
          else el.setAttribute("transform", own);
        });
        el.setAttribute("transform", `translate(${m.dx},${m.dy}) ${own || ""}`.trim());
      }
      if (m.text) relabel(m.text);
    }
    p.labels.forEach(relabel);
    entry.canvasUndo = undo;
    entry.canvasPlan = p; // what the canvas shows (browser tests read it)
    return true;
  }

  function restore(entry) {
    const undo = entry.canvasUndo || [];
    for (let k = undo.length - 1; k >= 0; k--) undo[k]();
    entry.canvasUndo = [];
    entry.canvasPlan = null;
  }

  // back to what plotly drew: canvas cleared, hidden traces shown, moved items put back
  function clear(entry) {
    restore(entry);
    if (entry.graph) clearCanvas(entry.graph);
  }

  return Object.freeze({ reacted, plan, render, clear, why });
})();

globalThis.LIFCanvas = LIFCanvas;
