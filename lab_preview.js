// LIF Lab's live previews: charts follow a slider while its thumb moves (lab/live.py).
//
// Streamlit's slider sends its value to Python only on release or a key press. Its thumb is
// a native <input type="range"> whose aria-valuetext changes with its value (a held arrow key);
// during a pointer drag lab_drag.js moves the thumb itself and hands the value over with
// setLive. This script watches those inputs (one MutationObserver for the page) and, at most
// once per animation frame, recomputes the live traces of every chart that depends on a moved
// slider, with the exact engine (lif_engine.js) and the chart's recipe (preview/*.js), then
// redraws it (on the canvas layer of lab_canvas.js, else with Plotly.react). Nothing is sent to the server during a drag; on release
// Streamlit reruns the page and Python's figure replaces the preview.
//
// A chart registers itself (lab_chart.js) with its figure and its preview spec:
//   {recipe, view, inputs: {name: {key, scale, value}}, fixed, data}
// An input bound to a slider takes the slider's live display value times `scale` (to SI);
// while that equals `value` (the value Python computed with) the chart shows Python's figure.
//
// A recipe is LIFLive.recipe(name, {compute(inputs, fixed, data), views: {view: draw}}):
// `compute` returns a record (memoised per frame, shared by the recipe's charts), and
// `draw(record, inputs, fixed, figure)` returns a patch {traces: {name: {x, y, ...}},
// shapes: {index: {...}}, annotations: {index: {...}}, layout: {...}} in display units
// (and notes: {annotation index: {axis, value}}, see hideNotesInView)
// (or {data: [trace, ...], ...}: every trace, when their number or names change),
// equal to what the Python builder draws for the same values (tested in the browser tests).
// Plain script (no export): concatenated with the other shared scripts into one module
// (lab_chart.py, SHARED_SCRIPTS).

const LIFLive = (() => {
  const recipes = new Map();
  const charts = new Map(); // chart key -> {graph, spec, figure}
  const live = new Map(); // slider key -> live display value
  // frames: preview frames; redraws: charts redrawn (canvas: of those, drawn on the canvas
  // layer of lab_canvas.js instead of by Plotly.react)
  const stats = {
    frames: 0, redraws: 0, canvas: 0, compute: [], draw: [], errors: [], keys: new Set(),
  };
  let scheduled = false;
  let observer = null;

  function recipe(name, definition) {
    recipes.set(name, definition);
  }

  const NEURON = ["R", "C", "E_L", "V_th", "V_reset", "t_ref"];
  const AXIS_KEY = /^[xy]axis\d*$/;

  // The neuron of a chart's inputs as engine parameters (validated as LIFParams is).
  function neuron(inputs) {
    const p = {};
    for (const k of NEURON) p[k] = inputs[k];
    return globalThis.LIFEngine.params(p);
  }

  // The widget key of the Streamlit element holding `el` (its "st-key-<key>" class).
  function keyOf(el) {
    const box = el.closest('[class*="st-key-"]');
    if (!box) return null;
    for (const c of box.classList) if (c.startsWith("st-key-")) return c.slice(7);
    return null;
  }

  function onMutations(records) {
    let moved = false;
    for (const r of records) {
      const el = r.target;
      if (!(el instanceof HTMLInputElement) || el.type !== "range") continue;
      const key = keyOf(el);
      const value = parseFloat(el.value);
      // a slider the drag layer moves (lab_drag.js) has its value from there: Streamlit
      // re-renders it with its old value mid-drag and right after the release
      if (globalThis.LIFDrag && globalThis.LIFDrag.owns(key, value)) continue;
      if (key === null || !Number.isFinite(value) || live.get(key) === value) continue;
      live.set(key, value);
      stats.keys.add(key);
      moved = true;
    }
    if (moved) schedule();
  }

  // A slider's live value set by lab_drag.js, which moves the thumb itself during a drag.
  function setLive(key, value) {
    if (!Number.isFinite(value) || live.get(key) === value) return;
    live.set(key, value);
    stats.keys.add(key);
    schedule();
  }

  function install() {
    if (observer) return;
    observer = new MutationObserver(onMutations);
    observer.observe(document.body, {
      attributes: true,
      subtree: true,
      attributeFilter: ["aria-valuetext"],
    });
  }

  function schedule() {
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(frame);
  }

  // The spec's inputs in SI with the live slider values, and whether any of them moved.
  function resolve(spec, overrides) {
    const inputs = {};
    let moved = false;
    for (const [name, b] of Object.entries(spec.inputs)) {
      const shown = overrides && b.key in overrides ? overrides[b.key] : live.get(b.key);
      let value = b.value;
      if (shown !== undefined) {
        const si = shown * b.scale;
        if (Math.abs(si - b.value) > 1e-9 * Math.max(Math.abs(b.value), Math.abs(si))) {
          value = si;
          moved = true;
        }
      }
      inputs[name] = value;
    }
    return { inputs, moved };
  }

  // The patch a chart's recipe draws for `inputs` (a compute memo shared within a frame).
  function patchFor(entry, inputs, memo) {
    const { spec } = entry;
    const r = recipes.get(spec.recipe);
    if (!r) throw new Error(`no preview recipe ${spec.recipe}`);
    const id = spec.recipe + JSON.stringify(inputs) + JSON.stringify(spec.fixed);
    let record = memo.get(id);
    if (record === undefined) {
      record = r.compute(inputs, spec.fixed || {}, spec.data || {});
      memo.set(id, record);
    }
    return r.views[spec.view](record, inputs, spec.fixed || {}, entry.figure);
  }

  function frame() {
    scheduled = false;
    const memo = new Map();
    const t0 = performance.now();
    const todo = [];
    for (const entry of charts.values()) {
      if (!entry.spec || !entry.graph.isConnected) continue;
      const { inputs, moved } = resolve(entry.spec);
      const sig = JSON.stringify(inputs);
      if (!moved) {
        // back at Python's values: show Python's figure again if a preview is drawn
        if (entry.previewing) todo.push([entry, null]);
        continue;
      }
      if (sig === entry.drawnSig) continue;
      try {
        holdAxes(entry, inputs, memo);
        todo.push([entry, patchFor(entry, inputs, memo)]);
        entry.drawnSig = sig;
      } catch (error) {
        stats.errors.push(String(error && error.message ? error.message : error));
      }
    }
    const t1 = performance.now();
    if (!todo.length) return;
    stats.frames += 1;
    stats.compute.push(t1 - t0);
    const Plotly = window.Plotly;
    if (!Plotly) return;
    const drawn = todo.map(([entry, patch]) => {
      const fig = patch
        ? lighter(entry, apply(entry.figure, patch, entry), patch.notes)
        : entry.figure;
      entry.previewing = patch !== null;
      if (!patch) entry.drawnSig = undefined;
      stats.redraws += 1;
      entry.graph.__lifPreview = patch ? fig : null;
      // only some traces' data moved: the canvas layer draws them (lab_canvas.js)
      const C = globalThis.LIFCanvas;
      const plan = C ? C.plan(entry, fig) : null;
      if (plan && C.render(entry, plan)) {
        stats.canvas += 1;
        return null;
      }
      if (C) C.reacted(entry, fig.data, fig.layout);
      const layout = withHeight(entry.graph, fig.layout);
      return Plotly.react(entry.graph, fig.data, layout);
    });
    Promise.all(drawn).then(() => stats.draw.push(performance.now() - t1));
  }

  // ------------------------------------------------------------------ axes held for a drag

  // A recipe may name axes that hold one range through a whole drag of one of its inputs
  // (`hold: {input: [axis key, ...]}`): chapter 5's driving force V - E_syn and synaptic
  // current slide and scale with E_syn, so each new range made plotly redraw the chart
  // (measured, benchmarks/live_drag.py: 12-14 of 180 frames redrawn by plotly in a drag).
  // At the first frame that moves such an input, the chart is computed at the slider's two
  // ends as well, and the axis takes the range that fits all three: the trace then slides
  // across a still axis (what a student should see: the driving force follows E_syn), and
  // every frame of the drag is drawn on the canvas layer. The release brings Python's
  // ranges back.
  function sliderEnds(key) {
    const box = document.querySelector(`.st-key-${CSS.escape(key)} input[type="range"]`);
    if (!box) return null;
    const ends = [parseFloat(box.min), parseFloat(box.max)];
    return ends.every(Number.isFinite) ? ends : null;
  }

  function holdAxes(entry, inputs, memo) {
    const { spec } = entry;
    const hold = (recipes.get(spec.recipe) || {}).hold;
    if (!hold) return;
    for (const [name, axes] of Object.entries(hold)) {
      const b = spec.inputs[name];
      if (!b || inputs[name] === b.value || entry.heldFor === name) continue;
      const ends = sliderEnds(b.key);
      if (!ends) continue;
      const held = {};
      for (const end of [inputs[name], ...ends.map((v) => v * b.scale)]) {
        let fig;
        try {
          fig = apply(entry.figure, patchFor(entry, { ...inputs, [name]: end }, memo));
        } catch {
          continue; // an end the engine refuses: the drag's ranges grow as before there
        }
        for (const k of axes) {
          const r = fig.layout[k] && fig.layout[k].range;
          if (!r) continue;
          held[k] = held[k] ? [Math.min(held[k][0], r[0]), Math.max(held[k][1], r[1])] : r;
        }
      }
      entry.heldFor = name;
      entry.held = held;
      Object.assign(entry.shownRanges, held);
    }
  }

  // the height the chart element draws at (full screen, room for its legend: lab_chart.js)
  function withHeight(graph, layout) {
    return globalThis.LIFChart ? globalThis.LIFChart.layoutFor(graph, layout) : layout;
  }

  // ------------------------------------------------------------------ lighter drag frames

  //: Points per previewed trace while dragging (min and max per bucket: spikes and resets
  //: survive); the release brings Python's full figure back. Measured: plotly's redraw, not
  //: the physics, sets the frame rate, and it grows with the points drawn.
  const DRAG_POINTS = 400;

  // A drag frame: long traces thinned, and axis ranges kept while the data stay inside them
  // and fill enough of them (half, less once the drag has grown the axis): a change of range makes plotly redraw the whole chart,
  // while data that only move inside it are drawn on the canvas layer (lab_canvas.js). Data
  // outgrowing a range move it with room to spare ahead (HEADROOM of the data's span), so that
  // a drag onwards stays on the canvas (measured, benchmarks/live_drag.py: 0.3 of the old span
  // redrew chapter 5's charts with plotly on 26 of 114 frames); the release brings Python's
  // ranges back.
  const HEADROOM = 0.6;
  const MAX_ROOM = 2.4;
  const BEHIND = 0.1;
  const f64 = (a) => (a instanceof Float64Array ? a : Float64Array.from(a, Number));

  // Thinning keeps each x bucket's min and max of y: right for a curve over ascending x, wrong
  // for marks that jump back (a raster's ticks, row after row) or have gaps (NaN)
  function ascending(x) {
    for (let k = 1; k < x.length; k++) if (!(x[k] >= x[k - 1])) return false;
    return x.length === 0 || x[0] === x[0];
  }

  function lighter(entry, fig, notes) {
    const E = globalThis.LIFEngine;
    const untouched = new Set(entry.figure.data); // Python's traces (pins...): drawn as they are
    const data = fig.data.map((tr) => {
      if (untouched.has(tr) || !tr.x || !tr.y || tr.x.length <= DRAG_POINTS) return tr;
      if (tr.mode === "markers" || !ascending(tr.x)) return tr;
      const { x, y } = E.downsample(f64(tr.x), f64(tr.y), DRAG_POINTS);
      return { ...tr, x, y };
    });
    const layout = { ...fig.layout };
    const shown = entry.shownRanges || {};
    const grown = entry.rangeGrowths || {};
    const padded = new Set(((layout.meta && layout.meta.autorange) || []).filter((k) => k[0] === "y"));
    for (const k of Object.keys(layout)) {
      if (!AXIS_KEY.test(k) || !layout[k] || !layout[k].range) continue;
      const [lo, hi] = layout[k].range;
      // a y axis Python ranged from the data pads them by 1/18 of their span (autorange):
      // the data themselves lie inside by 1/20 of the range; they may use that padding
      const pad = padded.has(k) ? (hi - lo) / 20 : 0;
      const old = shown[k];
      if (!old) {
        shown[k] = [lo, hi];
        continue;
      }
      const span = Math.max(old[1] - old[0], 1e-12);
      const tol = 1e-9 * span;
      // an axis the drag keeps pushing gets more room each time: HEADROOM, twice, four times
      // its data's span... (at most MAX_ROOM); the data may then fill less of it
      const ahead = Math.min(HEADROOM * 2 ** (grown[k] || 0), MAX_ROOM);
      const fill = Math.min(0.5, 0.8 / (1 + ahead + BEHIND));
      const inside = lo + pad >= old[0] - tol && hi - pad <= old[1] + tol;
      if (inside && (hi - lo >= fill * span || (entry.held && entry.held[k]))) {
        layout[k] = { ...layout[k], range: old }; // data still inside: keep the axis still
      } else if (inside) {
        shown[k] = [lo, hi]; // the data shrank to a small part of the range: fit them again
      } else {
        // room ahead on the side the data left by, a little behind on the other: a range that
        // slides (chapter 5's driving force V - E_syn as E_syn moves) or grows (chapter 1's
        // time axis as R grows) is redrawn once per HEADROOM of its span, not on every step.
        // The room is shared by how far each side went out: the figure's padding moves the
        // other side a hair too, and room on both would leave the data under half the range.
        const d = Math.max(hi - lo, 1e-12);
        const below = Math.max(0, old[0] - lo);
        const above = Math.max(0, hi - old[1]);
        const room = (ahead * d) / (below + above);
        grown[k] = (grown[k] || 0) + 1;
        const range = [
          below > tol ? lo - room * below : Math.max(old[0], lo - BEHIND * d),
          above > tol ? hi + room * above : Math.min(old[1], hi + BEHIND * d),
        ];
        shown[k] = range;
        layout[k] = { ...layout[k], range };
      }
    }
    entry.shownRanges = shown;
    entry.rangeGrowths = grown;
    hideNotesInView(layout, notes);
    return { data, layout };
  }

  // A recipe's note about a value outside an axis (chapter 5: "E_syn = −90 mV, below this
  // range") names it in its patch, `notes: {annotation index: {axis, value}}`. The drag may
  // keep an axis wider than the data (above), with the value in view: then the note, which
  // would contradict the chart, is hidden until the release brings Python's range back.
  function hideNotesInView(layout, notes) {
    if (!notes || !layout.annotations) return;
    const items = layout.annotations.slice();
    for (const [i, { axis, value }] of Object.entries(notes)) {
      const range = layout[axis] && layout[axis].range;
      const item = items[+i];
      if (!item || item.visible === false || !range) continue;
      if (Math.min(...range) <= value && value <= Math.max(...range)) {
        items[+i] = { ...item, visible: false };
      }
    }
    layout.annotations = items;
  }

  // ------------------------------------------------------------------ applying a patch

  // A pinned curve (lif_figures.spec.with_pins): legend group "pin 1", "pin 2"...
  const isPin = (tr) => typeof tr.legendgroup === "string" && /^pin \d+$/.test(tr.legendgroup);

  function apply(figure, patch) {
    // patch.data: the whole list of traces, for a chart whose traces come and go with the
    // values or share a name (each built on Python's trace, see preview/_common.js)
    // (Python's pinned curves, lif_figures.spec.with_pins, stay drawn under them as they are)
    const data = patch.data
      ? [...figure.data.filter(isPin), ...patch.data.filter((tr) => !isPin(tr))]
      : figure.data.map((tr) => {
        const upd = patch.traces && patch.traces[tr.name];
        return upd ? { ...tr, ...upd } : tr;
      });
    const layout = { ...figure.layout };
    for (const [k, v] of Object.entries(patch.layout || {})) {
      // an axis patch (a range) keeps the axis' title and style
      const axis = /^[xy]axis\d*$/.test(k) && layout[k] && v && typeof v === "object";
      layout[k] = axis ? { ...layout[k], ...v } : v;
    }
    for (const part of ["shapes", "annotations"]) {
      if (!patch[part]) continue;
      const items = (layout[part] || []).slice();
      for (const [i, upd] of Object.entries(patch[part])) items[+i] = { ...items[+i], ...upd };
      layout[part] = items;
    }
    autorange(data, layout);
    return { data, layout };
  }

  // FigureSpec._fix_ranges (lif_figures/spec.py) for the axes Python ranged from the data
  // (listed in layout.meta.autorange): x spans the data, y the data padded by 1/18.
  function autorange(data, layout) {
    const names = layout.meta && layout.meta.autorange;
    if (!names) return;
    for (const name of names) {
      const id = name[0] + name.slice(5);
      const letter = name[0];
      const group = [id];
      for (const k of Object.keys(layout)) {
        if (/^[xy]axis\d*$/.test(k) && layout[k] && layout[k].matches === id) {
          group.push(k[0] + k.slice(5));
        }
      }
      let lo = Infinity;
      let hi = -Infinity;
      const see = (v) => {
        if (typeof v === "number" && Number.isFinite(v)) {
          if (v < lo) lo = v;
          if (v > hi) hi = v;
        }
      };
      for (const tr of data) {
        if (!group.includes(tr[`${letter}axis`] || letter)) continue;
        const values = tr[letter];
        if (values) for (const v of values) see(v);
        if (tr.fill === `tozero${letter}`) see(0);
      }
      for (const s of layout.shapes || []) {
        if (group.includes(s[`${letter}ref`] || letter) && `${letter}0` in s) {
          see(s[`${letter}0`]);
          see(s[`${letter}1`]);
        }
      }
      if (!(lo <= hi)) continue;
      const span = hi - lo;
      if (letter === "y" || span === 0) {
        const pad = span > 0 ? span / 18 : Math.max(Math.abs(lo) * 0.05, 1.0);
        lo -= pad;
        hi += pad;
      }
      layout[name] = { ...layout[name], range: [lo, hi] };
    }
  }

  // ------------------------------------------------------------------ charts

  // Large data comes once per session ({$ref, $value}); later specs hold only {$ref}.
  const kept = new Map();

  function resolveData(spec) {
    if (!spec || !spec.data) return spec;
    const data = {};
    for (const [k, v] of Object.entries(spec.data)) {
      if (v && typeof v === "object" && "$ref" in v) {
        if ("$value" in v) kept.set(v.$ref, v.$value);
        if (!kept.has(v.$ref)) {
          stats.errors.push(`preview data ${k} is missing (${v.$ref}): reload the page`);
          return null; // no preview for this chart until the page is reloaded
        }
        data[k] = kept.get(v.$ref);
      } else {
        data[k] = v;
      }
    }
    return { ...spec, data };
  }

  function register(graph, spec, figure) {
    install();
    spec = resolveData(spec);
    const key = graph.dataset.key;
    const entry = charts.get(key) || {};
    Object.assign(entry, { graph, spec, figure, previewing: false, drawnSig: undefined });
    // plotly is about to draw Python's figure (lab_chart.js): the canvas layer starts from it
    if (globalThis.LIFCanvas) globalThis.LIFCanvas.reacted(entry, figure.data, figure.layout);
    // a drag keeps Python's axis ranges while the data stay inside them (lighter)
    entry.shownRanges = {};
    entry.rangeGrowths = {};
    entry.held = null;
    entry.heldFor = undefined;
    for (const [k, v] of Object.entries(figure.layout || {})) {
      if (AXIS_KEY.test(k) && v && Array.isArray(v.range)) entry.shownRanges[k] = v.range.slice();
    }
    charts.set(key, entry);
    graph.__lifPreview = null;
    // a slider still away from the values of this figure (e.g. mid-drag): preview again
    if (spec && resolve(spec).moved) schedule();
  }

  // The figure a chart's preview draws at the given slider values (display units, by key;
  // missing keys: the sliders' live values): for tests and benchmarks.
  function previewFigure(chartKey, overrides = {}) {
    const entry = charts.get(chartKey);
    if (!entry || !entry.spec) return null;
    const { inputs } = resolve(entry.spec, overrides);
    return apply(entry.figure, patchFor(entry, inputs, new Map()));
  }

  return Object.freeze({
    recipe, neuron, register, previewFigure, setLive, keyOf, stats, live, charts,
  });
})();

globalThis.LIFLive = LIFLive;
