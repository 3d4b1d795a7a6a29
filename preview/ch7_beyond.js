// Chapter 7 previews: what the LIF leaves out. Each recipe runs its section's analysis (the
// richer model, HH, AdEx or two compartments, and its LIF twin under the same input:
// preview/ch7_core.js, as lif_core.analysis.beyond / adaptation / dendrites) and draws the
// chart as lif_figures.beyond draws it. Python sends what is slow or fixed: the HH membrane,
// its resting state and its LIF twins, the AdEx preset, the two-compartment cell (`fixed`).
// The HH f–I curve (computed once per process) is not recomputed: only the star of the
// chosen current moves on it. The sidebar neuron plays no part on this page.
(() => {
  const E = globalThis.LIFEngine;
  const core = () => globalThis.LIFBeyondCore; // preview/ch7_core.js (loaded after this file)
  const searchsorted = (...args) => core().searchsorted(...args);
  // a recipe: the analysis `name` of ch7_core.js and its charts
  const recipe = (key, name, views) =>
    LIFLive.recipe(key, { compute: (inp, fixed) => core()[name](inp, fixed), views });
  const LABEL = { font: { size: 16 }, bgcolor: "rgba(128,128,128,0.12)" }; // _draw._LABEL

  // ------------------------------------------------------------------ helpers

  // lif_core.units.from_si and lif_figures.style.rounded, arrays in plain loops (the engine's
  // take Float64Array.from with a callback: ~15x slower on the 10 000 values of a trace)
  const isArray = (x) => Array.isArray(x) || ArrayBuffer.isView(x);
  function fromSI(x, unit) {
    if (!isArray(x)) return E.from_si(x, unit);
    const c = E.UNITS[unit];
    const out = new Float64Array(x.length);
    for (let i = 0; i < x.length; i++) out[i] = x[i] / c;
    return out;
  }
  function rounded(x, unit) {
    const c = 10 ** E.DECIMALS[unit];
    const out = new Float64Array(x.length);
    for (let i = 0; i < x.length; i++) {
      const v = x[i] * c;
      const r = Math.round(v); // numpy's rint: halves to the even neighbour
      out[i] = (r - v === 0.5 && r % 2 !== 0 ? r - 1 : r) / c;
    }
    return out;
  }

  const ms = (x) => fromSI(x, "ms");
  const mV = (x) => fromSI(x, "mV");
  const nA = (x) => fromSI(x, "nA");
  const pA = (x) => fromSI(x, "pA");
  const minus = (s) => s.replace(/-/g, "−");
  const signed = (x, digits) => (x >= 0 ? "+" : "-") + Math.abs(x).toFixed(digits);
  const round = (x, decimals) => {
    const c = 10 ** decimals;
    const r = Math.round(x * c);
    return (r - x * c === 0.5 && r % 2 !== 0 ? r - 1 : r) / c;
  };

  // lif_figures.beyond._draw._with_resets: each spike drawn at its time, up to top, down to bottom
  function withResets(t, V, spikes, top, bottom) {
    if (!spikes.length) return { t, V };
    const at = Array.from(spikes, (s) => searchsorted(t, s)); // np.insert's positions
    const ts = [];
    const vs = [];
    let j = 0;
    for (let i = 0; i <= t.length; i++) {
      for (; j < spikes.length && at[j] <= i; j++) {
        ts.push(spikes[j], spikes[j]);
        vs.push(top, bottom);
      }
      if (i < t.length) {
        ts.push(t[i]);
        vs.push(V[i]);
      }
    }
    return { t: ts, V: vs };
  }

  // _draw._trace: a spiking trace (ms, mV) in at most `budget` points, every spike kept
  function spiking(t, V, spikes, top, bottom, budget = E.MAX_POINTS) {
    const room = budget - 2 * spikes.length;
    if (room >= 200) {
      const d = E.downsample(t, V, room);
      const r = withResets(d.x, d.y, spikes, top, bottom);
      return { x: rounded(ms(r.t), "ms"), y: rounded(mV(r.V), "mV") };
    }
    const r = withResets(t, V, spikes, top, bottom);
    const d = E.downsample(ms(r.t), mV(r.V), budget);
    return { x: rounded(d.x, "ms"), y: rounded(d.y, "mV") };
  }

  // _draw._smooth: a smooth trace (ms, mV), min/max buckets
  function smooth(t, V, budget = E.HALF_POINTS) {
    const d = E.downsample(ms(t), mV(V), budget);
    return { x: rounded(d.x, "ms"), y: rounded(d.y, "mV") };
  }

  const ref = (x0, x1, y) => ({ x: [x0, x1], y: [y, y] });

  // A full annotation (every property a chart's notes use), so that a patch replaces
  // whatever note the figure had at that index.
  function note(x, y, text, props = {}) {
    return {
      x, y, text, showarrow: false, xref: "x", yref: "y", xanchor: "auto", yanchor: "auto",
      xshift: 0, yshift: 0, visible: true, ...props,
    };
  }

  // Patch entries for `items` (by index) and hidden entries for the figure's other ones.
  function listPatch(items, existing) {
    const out = {};
    items.forEach((item, i) => (out[i] = item));
    for (let i = items.length; i < (existing || []).length; i++) out[i] = { visible: false };
    return out;
  }

  const pulseName = (amplitude) => minus(`pulse ${E._formatG(nA(amplitude), 3)} nA`);

  // ------------------------------------------------------------------ 1 spike shape

  // lif_figures.beyond.spike_shape_figure
  function spikeView(rec, inp, fixed, figure) {
    const { hh, lif, twin } = rec;
    const spikes = lif.spike_times;
    const tEnd = ms(hh.t[hh.t.length - 1]);
    const V_th = mV(twin.V_th);
    const traces = {
      HH: smooth(hh.t, hh.V, E.MAX_POINTS),
      "LIF twin": spiking(lif.t, lif.V, spikes, twin.V_th, twin.V_reset),
      "LIF threshold V_th": ref(0.0, tEnd, V_th),
      "LIF spike": { x: rounded(ms(spikes), "ms"), y: Array.from(spikes, () => V_th) },
      "HH peak": { x: [], y: [] },
      "HH half width": { x: [], y: [] },
    };
    const notes = [];
    if (Number.isFinite(rec.peak)) {
      const peak = mV(rec.peak);
      const tPeak = ms(rec.t_peak);
      traces["HH peak"] = { x: [tPeak], y: [peak] };
      notes.push(
        note(tPeak, peak, minus(`peak ${signed(peak, 0)} mV`), {
          xanchor: "left", yanchor: "middle", xshift: 10, ...LABEL,
        }),
      );
      const half = mV(0.5 * (rec.V_rest + rec.peak));
      const up = ms(rec.up);
      const down = up + ms(rec.half_width);
      traces["HH half width"] = { x: [up, down], y: [half, half] };
      notes.push(
        note(down, half, `width ${ms(rec.half_width).toFixed(2)} ms`, {
          xanchor: "left", xshift: 6, ...LABEL,
        }),
      );
      notes.push(
        note(ms(rec.t_ahp), mV(rec.V_rest + rec.ahp), minus(`AHP ${signed(mV(rec.ahp), 0)} mV`), {
          xanchor: "left", yanchor: "top", xshift: 6, ...LABEL,
        }),
      );
    }
    const name = pulseName(rec.amplitude);
    notes.push(
      note(ms(rec.onset), 0.0, name, {
        yref: "y domain", xanchor: "left", yanchor: "bottom", xshift: 2, ...LABEL,
      }),
    );
    return {
      traces,
      shapes: { 0: { x0: ms(rec.onset), x1: ms(rec.onset + rec.width), name } },
      annotations: listPatch(notes, figure.layout.annotations),
    };
  }

  recipe("bx_spike", "spikeShape", { figure: spikeView });

  // ------------------------------------------------------------------ 2 adaptation

  // lif_figures.beyond.adaptation_figure (three rows)
  function adaptationView(rec, inp, fixed, figure) {
    const { p, twin, adex, lif } = rec;
    const tEnd = ms(rec.duration);
    const V_T = mV(p.V_T);
    const V_th = mV(twin.V_th);
    const w = pA(adex.w);
    const d = E.downsample(ms(adex.t), w, E.MAX_POINTS);
    let lo = 0.0;
    let hi = 0.0;
    for (const v of w) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    const pad = Math.max(1.0, 0.08 * (hi - lo));
    const L = figure.layout;
    return {
      traces: {
        AdEx: spiking(adex.t, adex.V, adex.spikes, p.V_peak, p.V_r),
        "AdEx V_T": ref(0.0, tEnd, V_T),
        "LIF twin": spiking(lif.t, lif.V, lif.spike_times, twin.V_th, twin.V_reset),
        "LIF threshold V_th": ref(0.0, tEnd, V_th),
        w: { x: rounded(d.x, "ms"), y: Array.from(d.y, (v) => round(v, 2)) },
      },
      layout: {
        yaxis: { ...L.yaxis, range: [mV(p.E_L) - 5.0, mV(p.V_peak) + 5.0] },
        yaxis2: { ...L.yaxis2, range: [mV(twin.E_L) - 3.0, V_th + 3.0] },
        yaxis3: { ...L.yaxis3, range: [lo - pad, hi + pad] },
      },
    };
  }

  const diff = (s) => Array.from({ length: Math.max(s.length - 1, 0) }, (_, i) => s[i + 1] - s[i]);

  // lif_figures.beyond.isi_figure (log y)
  function intervalsView(rec, inp, fixed, figure) {
    const series = [diff(rec.adex.spikes), diff(rec.lif.spike_times)].map((isi) =>
      isi.map((v) => round(ms(v), 4)),
    );
    const traces = {};
    ["AdEx", "LIF twin"].forEach((name, i) => {
      traces[name] = { x: series[i].map((_, k) => k + 1), y: series[i] };
    });
    const shown = [...series[0], ...series[1]];
    const L = figure.layout;
    let x;
    let y;
    if (shown.length) {
      const lo = Math.min(...shown);
      const hi = Math.max(...shown);
      y = [Math.log10(lo / 1.5), Math.log10(hi * 1.5)];
      x = [0.5, Math.max(series[0].length, series[1].length) + 0.5];
    } else {
      y = [0.0, 3.0];
      x = [0.5, 10.5];
    }
    return { traces, layout: { xaxis: { ...L.xaxis, range: x }, yaxis: { ...L.yaxis, range: y } } };
  }

  recipe("bx_adapt", "adaptation", { traces: adaptationView, intervals: intervalsView });

  // ------------------------------------------------------------------ 3 ringing, rebound

  // lif_figures.beyond.hh._pair_figure's traces up to t_max
  function pairTraces(hh, lif, twin, tMax, restLine, rest) {
    const last = searchsorted(hh.t, tMax, true);
    const lifLast = searchsorted(lif.t, tMax, true);
    const spikes = lif.spike_times.filter((s) => s <= tMax);
    const traces = {
      HH: smooth(hh.t.subarray(0, last), hh.V.subarray(0, last)),
      "LIF twin": spiking(
        lif.t.subarray(0, lifLast), lif.V.subarray(0, lifLast), spikes, twin.V_th, twin.V_reset,
        E.HALF_POINTS,
      ),
    };
    if (restLine) traces.rest = ref(0.0, ms(tMax), mV(rest));
    return traces;
  }

  // lif_figures.beyond.ringing_figure (t_max 40 ms)
  function ringingView(rec, inp, fixed, figure) {
    const tMax = 40e-3;
    const rest = rec.V_rest;
    const swing = Math.max(rec.ringPeak, rec.lifPeak, 0.5e-3);
    const lo = mV(rest + Math.min(rec.ringUnder, 0.0)) - 0.15 * mV(swing);
    const hi = mV(rest + swing) + 0.15 * mV(swing);
    const notes = [];
    if (rec.ringUnder < 0) {
      const k = rec.kUnder;
      notes.push(
        note(ms(rec.hhSmall.t[k]), mV(rec.hhSmall.V[k]),
          minus(`undershoot ${mV(rec.ringUnder).toFixed(2)} mV`),
          { xanchor: "left", yanchor: "top", xshift: 6, ...LABEL }),
      );
    }
    const L = figure.layout;
    return {
      traces: pairTraces(rec.hhSmall, rec.lifSmall, rec.twin, tMax, true, rest),
      shapes: {
        0: { x0: ms(rec.onset), x1: ms(rec.onset + rec.smallWidth), name: pulseName(rec.small) },
      },
      annotations: listPatch(notes, L.annotations),
      layout: { yaxis: { ...L.yaxis, range: [lo, hi] } },
    };
  }

  // lif_figures.beyond.rebound_figure
  function reboundView(rec, inp, fixed, figure) {
    const hh = rec.hhHyper;
    const tMax = hh.t[hh.t.length - 1];
    const traces = pairTraces(hh, rec.lifHyper, rec.twin, tMax, false, rec.V_rest);
    const V_th = mV(rec.twin.V_th);
    traces["LIF threshold V_th"] = ref(0.0, ms(tMax), V_th);
    const notes = rec.rebound.length
      ? [note(ms(rec.rebound[0]), 30.0, "rebound spike", {
        xanchor: "left", yanchor: "bottom", xshift: 10, ...LABEL,
      })]
      : [];
    return {
      traces,
      shapes: {
        0: { x0: ms(rec.onset), x1: ms(rec.onset + rec.hyperWidth), name: pulseName(rec.hyper) },
      },
      annotations: listPatch(notes, figure.layout.annotations),
    };
  }

  recipe("bx_ring", "ringing", { ringing: ringingView, rebound: reboundView });

  // ------------------------------------------------------------------ 4 f–I

  // lif_figures.beyond.fi_classes_figure: the curves are Python's, the star moves
  function curvesView(rec) {
    const x = nA(rec.I);
    return { traces: { "this current": { x: [x, x], y: [rec.hhRate, rec.lifRate] } } };
  }

  // lif_figures.beyond.fi_trace_figure
  function traceView(rec) {
    const { hh, lif, twin } = rec;
    const tEnd = ms(hh.t[hh.t.length - 1]);
    return {
      traces: {
        HH: smooth(hh.t, hh.V, E.MAX_POINTS),
        LIF: spiking(lif.t, lif.V, lif.spike_times, twin.V_th, twin.V_reset),
        "LIF threshold V_th": ref(0.0, tEnd, mV(twin.V_th)),
      },
    };
  }

  recipe("bx_fi", "operating", { curves: curvesView, trace: traceView });

  // ------------------------------------------------------------------ 5 compartments

  const relative = (V, E_L) => Float64Array.from(V, (v) => v - E_L);

  // lif_figures.beyond.dendrite_figure
  function dendriteView(rec, inp, fixed, figure) {
    const { t, soma, dend, lif, p } = rec;
    const peaksT = [ms(rec.tSomaPeakSoma), ms(rec.tSomaPeakDend)];
    const peaksV = [mV(rec.somaPeakSoma), mV(rec.somaPeakDend)];
    const top = Math.max(peaksV[0], mV(rec.dendPeak), mV(rec.pointPeak));
    const L = figure.layout;
    const text = `${rec.attenuation.toFixed(1)}× smaller, ${ms(rec.delay).toFixed(1)} ms later`;
    return {
      traces: {
        "soma, input at soma": smooth(t, relative(soma.V_s, p.E_L)),
        "soma, input at dendrite": smooth(t, relative(dend.V_s, p.E_L)),
        "dendrite, input at dendrite": smooth(t, relative(dend.V_d, p.E_L)),
        "LIF (one compartment)": smooth(lif.t, relative(lif.V, p.E_L)),
        "peaks at the soma": {
          x: peaksT.map((v) => round(v, 3)),
          y: peaksV.map((v) => round(v, 4)),
        },
      },
      shapes: {
        0: { x0: ms(rec.onset), x1: ms(rec.onset + rec.width), name: pulseName(rec.amplitude) },
      },
      annotations: { 0: { x: peaksT[1], y: peaksV[1], text } },
      layout: { yaxis: { ...L.yaxis, range: [-0.05 * top, 1.12 * top] } },
    };
  }

  recipe("bx_dend", "dendritic", { figure: dendriteView });
})();
