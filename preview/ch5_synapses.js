// Chapter 5 previews: one presynaptic train through a current-based and a conductance-based
// synapse (lif_core.analysis.synapses.synapse_demo), drawn as lif_figures.synapses
// .presynaptic_figure and synapse_response_figure ("current", "conductance").
//
// A regular train is computed here (stimulus.regular_spike_train, as Python). A Poisson
// train is random: Python sends the train of every value of the rate slider as `data`
// ({rates, times, trains}: the train at rates[k] is times[start .. start + count) sorted,
// [start, count] = trains[k]; see lab_cache.poisson_trains). The conductance is the exact
// step mean of the kernels (stimulus.synaptic_conductance). The readouts stay Python's.
(() => {
  const E = globalThis.LIFEngine;
  const D = globalThis.LIFDraw;
  const mV = (x) => x / E.UNITS.mV;
  const ms = (x) => x / E.UNITS.ms;

  // synapse_demo's default time step (s)
  const DT = 1e-4;
  // lif_figures.style: chart widths (px) and the label font; the response figure's height
  // and its own top margin before the legend's room is reserved
  const HALF_WIDTH = 554;
  const LABEL_FONT = 16;
  const RESPONSE_HEIGHT = 640;
  const RESPONSE_TOP = D.MARGIN_T;

  // The Poisson train Python drew for this rate (lab_cache.poisson_trains).
  function poissonTrain(data, rate) {
    const k = data.rates.findIndex((r) => Math.abs(r - rate) <= 1e-9 * Math.max(1.0, rate));
    if (k < 0) throw new Error(`no Poisson train for rate = ${E._repr(rate)} Hz`);
    const [start, count] = data.trains[k];
    return Float64Array.from(data.times.slice(start, start + count)).sort();
  }

  // lif_core.analysis.synapses.sign_changes(t, x, active = g > 0)
  function signChanges(t, x, g) {
    const out = [];
    for (let k = 0; k + 1 < x.length; k++) {
      if (!(Math.sign(x[k]) * Math.sign(x[k + 1]) < 0)) continue;
      if (!(g[k] > 0 && g[k + 1] > 0)) continue;
      const x0 = x[k];
      const x1 = x[k + 1];
      out.push(t[k] + ((t[k + 1] - t[k]) * x0) / (x0 - x1));
    }
    return Float64Array.from(out);
  }

  // lif_core.analysis.synapses.synapse_demo
  function compute(inp, fixed, data) {
    const p = LIFLive.neuron(inp);
    const { rate, g_max, tau_syn, E_syn, I_bias } = inp;
    const duration = fixed.duration;
    let pre;
    if (fixed.poisson) pre = poissonTrain(data, rate);
    else if (rate > 0) {
      // first event one interval in, so the response starts from rest
      pre = E.stimulus.regular_spike_train(rate, duration, Math.min(1.0 / rate, 0.02));
    } else pre = new Float64Array(0);
    const g = E.stimulus.synaptic_conductance(pre, g_max, tau_syn, duration, DT);
    const E_L = p.E_L;
    const I_current = g.map((v) => -v * (E_L - E_syn));
    const V0 = E_L < p.V_th ? E_L : p.V_reset; // analysis.spiking.start_potential
    // both neurons as lif_core's one simulation of two: the current-based one with a zero
    // conductance (the same sums), the conductance-based one with the constant current
    const cur = E.simulate(p, {
      I: I_current.map((v) => I_bias + v), g_syn: new Float64Array(g.length), E_syn,
      duration, dt: DT, V0,
    });
    const con = E.simulate(p, { I: I_bias, g_syn: g, E_syn, duration, dt: DT, V0 });
    const V1 = con.V;
    const I_cond = g.map((v, k) => -v * (V1[k] - E_syn));
    return {
      p, t: con.t, dt: con.dt, pre, g, E_syn,
      V: { current: cur.V, conductance: V1 },
      I_syn: { current: I_current, conductance: I_cond },
      drive: {
        current: new Float64Array(g.length).fill(E_L - E_syn),
        conductance: V1.map((v) => v - E_syn),
      },
      crossings: signChanges(con.t, I_cond, g),
    };
  }

  // lif_figures.synapses.synapse_color
  const synapseColor = (rec, fixed) =>
    rec.E_syn > rec.p.E_L ? fixed.colors.exc : fixed.colors.inh;

  function recolored(figure, name, color) {
    const tr = figure.data.find((d) => d.name === name);
    return tr ? { line: { ...tr.line, color } } : {};
  }

  // The record in display units, converted once per frame for the three charts.
  function shown(rec) {
    if (!rec.shown) {
      const I = {
        current: D.inUnit(rec.I_syn.current, "nA"),
        conductance: D.inUnit(rec.I_syn.conductance, "nA"),
      };
      rec.shown = {
        t: D.inUnit(rec.t, "ms"),
        t_end: ms(rec.t[rec.t.length - 1] + rec.dt),
        g: D.inUnit(rec.g, "nS"),
        V: {
          current: D.inUnit(rec.V.current, "mV"),
          conductance: D.inUnit(rec.V.conductance, "mV"),
        },
        drive: {
          current: D.inUnit(rec.drive.current, "mV"),
          conductance: D.inUnit(rec.drive.conductance, "mV"),
        },
        I,
        I_range: extent([I.current, I.conductance, [0.0]]),
      };
    }
    return rec.shown;
  }

  const extent = (arrays) => {
    let lo = Infinity;
    let hi = -Infinity;
    for (const a of arrays) {
      for (let k = 0; k < a.length; k++) {
        const v = a[k];
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
    }
    return [lo, hi];
  };

  // lif_figures.synapses.presynaptic_figure
  function presynaptic(rec, inp, fixed, figure) {
    const { t, t_end, g } = shown(rec);
    const top = Math.max(extent([g, [0.0]])[1], 1e-3);
    const color = synapseColor(rec, fixed);
    return {
      traces: {
        "conductance g(t)": {
          ...D.thinned(t, g, E.MAX_POINTS),
          ...recolored(figure, "conductance g(t)", color),
        },
        "presynaptic spikes": {
          x: D.inUnit(rec.pre, "ms"),
          y: new Float64Array(rec.pre.length).fill(1.12 * top),
        },
      },
      layout: {
        xaxis: { ...figure.layout.xaxis, range: [0.0, t_end] },
        yaxis: { ...figure.layout.yaxis, range: [0.0, 1.25 * top] },
      },
    };
  }

  const positive = (x) => x.map((v) => (v > 0 ? v : 0.0));
  const negative = (x) => x.map((v) => (v < 0 ? v : 0.0));

  // lif_figures.synapses.synapse_response_figure, both models sharing their axis ranges
  function response(model) {
    return (rec, inp, fixed, figure) => {
      const p = rec.p;
      const s = shown(rec);
      const { t, t_end } = s;
      const E_syn = mV(rec.E_syn);
      const half = E.HALF_POINTS;
      const color = synapseColor(rec, fixed);
      const level = (y) => ({ x: [0.0, t_end], y: [y, y] });
      const I = s.I[model];
      const traces = {
        V: D.thinned(t, s.V[model], half, "mV"),
        E_syn: { ...level(E_syn), ...recolored(figure, "E_syn", color) },
        "threshold V_th": level(mV(p.V_th)),
        [model === "conductance" ? "V − E_syn" : "E_L − E_syn (frozen)"]: D.thinned(
          t, s.drive[model], half, "mV",
        ),
        "inward (depolarising)": D.thinned(t, positive(I), half),
        "outward (hyperpolarising)": D.thinned(t, negative(I), half),
      };
      // Python draws the crossings only when there are some: the preview empties its
      // markers when they vanish, and cannot add them to a figure that had none
      if (model === "conductance") {
        const tc = D.inUnit(rec.crossings, "ms");
        traces["V crosses E_syn"] = { x: tc, y: new Float64Array(tc.length).fill(E_syn) };
        traces["sign changes"] = { x: tc, y: new Float64Array(tc.length) };
      }

      const pad = 2.0;
      const near = 10.0;
      let [lo, hi] = extent([s.V.current, s.V.conductance, [mV(p.V_th)]]);
      const annotations = {};
      const notes = {};
      let legendY = 1.02;
      if (lo - near <= E_syn && E_syn <= hi + near) {
        lo = Math.min(lo, E_syn);
        hi = Math.max(hi, E_syn);
        if ((figure.layout.annotations || []).length) annotations[0] = { visible: false };
      } else {
        const above = E_syn > hi;
        // Python's f"{E_syn:.0f}" (the slider's whole millivolts: no ties to round)
        const text = `E_syn = ${E_syn.toFixed(0)} mV, ${above ? "above" : "below"} this range`;
        annotations[0] = {
          x: 0.0, y: above ? 1.0 : 0.0, text: text.replace(/-/g, "−"), showarrow: false,
          xref: "x", yref: "y domain", xanchor: "left", yanchor: above ? "bottom" : "top",
          font: { size: LABEL_FONT, color }, visible: true,
        };
        notes[0] = { axis: "yaxis", value: E_syn }; // hidden while a drag shows E_syn
        // lift the legend over the note (paper units: plot height, margins 80 + 60)
        if (above) legendY = 1.0 + (1.8 * LABEL_FONT) / (RESPONSE_HEIGHT - 140);
      }
      let [d_lo, d_hi] = extent([s.drive.conductance, [s.drive.current[0]]]);
      if (d_lo - near <= 0.0 && 0.0 <= d_hi + near) {
        d_lo = Math.min(d_lo, 0.0);
        d_hi = Math.max(d_hi, 0.0);
      }
      const [i_lo, i_hi] = s.I_range;
      const span = Math.max(i_hi - i_lo, 1e-3);

      const data = figure.data.map((tr) => ({ ...tr, ...(traces[tr.name] || {}) }));
      const lay = figure.layout;
      const top = D.legendTop(figure, data, { width: HALF_WIDTH, top: RESPONSE_TOP, legendY });
      const x = (name) => ({ ...lay[name], range: [0.0, t_end] });
      return {
        traces,
        annotations,
        notes,
        layout: {
          legend: { ...lay.legend, y: legendY },
          margin: { ...lay.margin, t: top },
          xaxis: x("xaxis"),
          xaxis2: x("xaxis2"),
          xaxis3: x("xaxis3"),
          yaxis: { ...lay.yaxis, range: [lo - pad, hi + pad] },
          yaxis2: { ...lay.yaxis2, range: [d_lo - pad, d_hi + pad] },
          yaxis3: { ...lay.yaxis3, range: [i_lo - 0.08 * span, i_hi + 0.08 * span] },
        },
      };
    };
  }

  LIFLive.recipe("synapses", {
    compute,
    // the driving force and the current slide and scale with E_syn: their axes hold still
    // through a drag of E_syn (lab_preview.js, holdAxes)
    hold: { E_syn: ["yaxis2", "yaxis3"] },
    views: {
      presynaptic,
      current: response("current"),
      conductance: response("conductance"),
    },
  });
})();
