// Chapter 6 previews: shunting inhibition below threshold and on the firing rate.
//
// "shunting" mirrors lif_core.analysis.inhibition.shunting_demo (E alone, I alone, E and I
// together on the passive membrane), drawn as lif_figures.synapses.shunting_figure.
// "inhibition" mirrors epsp_curves (26 excitatory strengths x 3 conditions, each a passive
// simulation) and inhibition_fi (closed-form and simulated f–I curves), drawn as
// lif_figures.synapses.epsp_curves_figure and lif_figures.firing.inhibition_fi_figure.
// The module constants (timing, the excitatory event, the g_exc grid, the f–I points) come
// from Python in `fixed`. The table and the readouts stay Python's (on release).
(() => {
  const E = globalThis.LIFEngine;
  const D = globalThis.LIFDraw;
  const minus = (s) => s.replace(/-/g, "−");
  const fmt3 = (x) => E._formatG(x, 3); // lif_figures._units._fmt
  // SI to display units: numbers, or arrays (a plain loop, see LIFDraw.inUnit)
  const unit = (u) => (x) => (typeof x === "number" ? x / E.UNITS[u] : D.inUnit(x, u));
  const mV = unit("mV");
  const ms = unit("ms");
  const nS = unit("nS");
  const nA = unit("nA");

  // lif_figures.style.HALF_WIDTH: the width (px) the lower charts are laid out for, and
  // their top margin before the legend's room is reserved (style.new_figure, no title)
  const HALF_WIDTH = 554;
  const TOP = D.MARGIN_T;
  // lif_figures.membrane.MIN_SPAN_MV: the smallest span of a V(t) chart (mV)
  const MIN_SPAN_MV = 2.0;
  // the analyses' time step (shunting_demo, epsp_curves and inhibition_fi's default dt)
  const DT = 1e-4;

  // ------------------------------------------------------------------ numpy helpers

  // numpy.linspace(start, stop, num): k * step + start, the last point exactly stop
  function linspace(start, stop, num) {
    const out = new Float64Array(num);
    const step = (stop - start) / (num - 1);
    for (let k = 0; k < num; k++) out[k] = k * step + start;
    if (num > 1) out[num - 1] = stop;
    return out;
  }

  // numpy.geomspace(start, stop, num) for start, stop > 0
  function geomspace(start, stop, num) {
    const y = linspace(Math.log10(start), Math.log10(stop), num);
    const out = y.map((v) => 10 ** v);
    out[0] = start;
    out[num - 1] = stop;
    return out;
  }

  // ------------------------------------------------------------------ shunting_demo

  // The excitatory event of peak 1 S at t_exc (the conductance's step means), per grid.
  const eventCache = new Map();
  function excEvent(f) {
    const id = JSON.stringify([f.t_exc, f.tau_exc, f.duration]);
    if (!eventCache.has(id)) {
      eventCache.set(
        id,
        E.stimulus.synaptic_conductance([f.t_exc], 1.0, f.tau_exc, f.duration, DT),
      );
    }
    return eventCache.get(id);
  }

  const scaled = (base, g) => base.map((v) => v * g);

  // The inhibition switched on at t_inh_on (stimulus.step), kept for the last amplitudes.
  const steps = new Map();
  function stepOf(g, f) {
    const id = JSON.stringify([g, f.t_inh_on, f.duration]);
    if (!steps.has(id)) {
      if (steps.size > 8) steps.delete(steps.keys().next().value);
      steps.set(id, E.stimulus.step(g, f.t_inh_on, f.duration, DT));
    }
    return steps.get(id);
  }

  function shuntingDemo(inp, f) {
    const p = LIFLive.neuron(inp);
    const E_inh = p.E_L + inp.dE_inh;
    const gE = scaled(excEvent(f), inp.g_exc);
    const gI = stepOf(inp.g_inh, f);
    const run = (ge, gi) =>
      E.simulate(p, {
        I: 0.0, g_syn: [ge, gi], E_syn: [f.E_exc, E_inh], duration: f.duration, dt: DT,
        spiking: false,
      });
    const rE = run(gE, 0.0);
    const V_I = run(0.0, gI).V;
    const V_EI = run(gE, gI).V;
    const V_E = rE.V;
    const sum = V_E.map((v, k) => v + V_I[k] - p.E_L);
    return { p, t: rE.t, dt: rE.dt, E_inh, gE, gI, V: { E: V_E, I: V_I, "E+I": V_EI, sum } };
  }

  // ------------------------------------------------------------------ inhibition_conditions

  function conditions(p, inp) {
    return [
      { kind: "none", g: 0.0, E_syn: p.E_L },
      { kind: "shunting", g: inp.g_inh, E_syn: p.E_L },
      { kind: "hyperpolarising", g: inp.g_inh, E_syn: p.E_L + inp.dE_hyp },
    ];
  }

  // lif_figures.firing.condition_label
  function conditionLabel(p, c) {
    if (c.kind === "none") return "no inhibition";
    const gLabel = `${fmt3(nS(c.g))} nS`;
    const mvText = (V) => minus(`${fmt3(mV(V))} mV`);
    if (c.kind === "shunting") return `shunting: ${gLabel}, E_inh = E_L = ${mvText(p.E_L)}`;
    return `${c.kind}: ${gLabel}, E_inh = ${mvText(c.E_syn)}`;
  }

  // ------------------------------------------------------------------ epsp_curves

  // Peak V − E_L after the event for each g_exc of the grid and each condition (lif_core
  // runs all 78 as one vectorised passive simulation). Each is the exact step of the
  // passive membrane under the step means of the conductances, in lif_core's order of
  // operations, written as a plain loop (no arrays: E.simulate costs 0.2-0.5 ms each):
  // - the steps before the event carry no excitation: run once per condition, shared;
  // - the peak: once the excitation only decays (and so does the steady state V_inf, as
  //   E_exc lies above the inhibited rest), a V at or above its step's V_inf can only fall
  //   (V_{k+1} lies between V_inf,k and V_k, and V_inf,k+1 <= V_inf,k): the largest sample
  //   is known, and the remaining steps are not computed. The peaks are those of the full
  //   simulation (the same samples).
  function epspCurves(p, conds, f) {
    const base = excEvent(f);
    const n = base.length;
    const { R, C, E_L } = p;
    const invR = 1.0 / R;
    const drive0 = E_L / R;
    const E_exc = f.E_exc;
    let kw = 0; // the window t >= t_exc
    while (kw < n && !(kw * DT >= f.t_exc)) kw++;
    let k0 = 0; // no excitation before k0
    while (k0 < kw && base[k0] === 0) k0++;
    let kb = n - 1; // the excitation does not grow from kb on
    while (kb > 0 && base[kb - 1] >= base[kb]) kb--;
    const peak = {};
    for (const c of conds) {
      const gI = stepOf(c.g, f);
      const E_inh = c.E_syn;
      let ki = n - 1; // the inhibition is constant from ki on
      while (ki > 0 && gI[ki - 1] === gI[ki]) ki--;
      const kDecay = Math.max(kb, ki, kw);
      const gTail = gI[n - 1];
      const falls = E_exc >= (drive0 + gTail * E_inh) / (invR + gTail);
      let v0 = E_L;
      let top0 = -Infinity;
      for (let k = 0; k < k0; k++) {
        if (k >= kw && v0 > top0) top0 = v0;
        const gt = invR + 0.0 + gI[k];
        const vi = (drive0 + 0.0 * E_exc + gI[k] * E_inh) / gt;
        v0 = vi + (v0 - vi) * Math.exp(-DT / (C / gt));
      }
      const out = new Float64Array(f.g_exc_grid.length);
      f.g_exc_grid.forEach((g, j) => {
        let v = v0;
        let top = top0;
        for (let k = k0; k < n; k++) {
          if (k >= kw && v > top) top = v;
          const gE = base[k] * g;
          const gt = invR + gE + gI[k];
          const vi = (drive0 + gE * E_exc + gI[k] * E_inh) / gt;
          if (falls && k >= kDecay && v >= vi) break;
          v = vi + (v - vi) * Math.exp(-DT / (C / gt));
        }
        out[j] = top - E_L;
      });
      peak[c.kind] = out;
    }
    return peak;
  }

  // ------------------------------------------------------------------ inhibition_fi

  // lif_core.analysis.firing.theory_currents(rheobases, I_max, n = 400)
  function theoryCurrents(rheobases, I_max, n = 400) {
    const parts = [...linspace(0.0, I_max, n)];
    const near = geomspace(1e-7, 0.05, 40);
    for (const rh of rheobases) {
      if (rh >= 0.0 && rh < I_max) {
        const span = I_max - rh;
        for (const q of near) parts.push(rh + span * q);
        parts.push(rh);
      }
    }
    const grid = Float64Array.from(new Set(parts)).sort();
    return grid.filter((I) => I >= 0.0 && I <= I_max);
  }

  // lif_core.analysis.inhibition.fi_current_range: twice the largest rheobase (at least
  // 2 nA), rounded up to a whole nA (after rounding to 9 decimals, as Python's round)
  function currentRange(rheobases) {
    const I_max_nA = nA(Math.max(2.0 * Math.max(...rheobases), 2e-9));
    const r = Math.round(I_max_nA * 1e9) / 1e9;
    return Math.ceil(r) * 1e-9;
  }

  // lif_core.analysis.firing.simulated_fi: the rate of each current simulated for
  // `duration`; NaN where the closed form fires more than MAX_SPIKES_PER_STEP per step
  function simulatedFI(p, currents, g, E_syn, duration, dt) {
    const expected = E.theory.firing_rate(p, currents, g, E_syn);
    const rates = new Float64Array(currents.length).fill(NaN);
    const ok = [];
    currents.forEach((I, k) => {
      if (expected[k] * dt <= E.MAX_SPIKES_PER_STEP) ok.push(k);
    });
    if (ok.length) {
      const fc = E.fi_curve(
        p, ok.map((k) => currents[k]), { duration, dt, g_syn: g, E_syn },
      );
      ok.forEach((k, j) => {
        rates[k] = fc.rate[j];
      });
    }
    return rates;
  }

  function inhibitionFI(p, conds, f) {
    const rheobases = conds.map((c) => E.theory.rheobase(p, c.g, c.E_syn));
    const I_max = currentRange(rheobases);
    const I = theoryCurrents(rheobases, I_max);
    const I_sim = linspace(0.0, I_max, f.n_sim);
    return {
      I_max, I, I_sim, rheobases,
      rates: conds.map((c) => E.theory.firing_rate(p, I, c.g, c.E_syn)),
      rates_sim: conds.map((c) => simulatedFI(p, I_sim, c.g, c.E_syn, f.fi_duration, DT)),
    };
  }

  // ------------------------------------------------------------------ computing

  // The curves of the lower half depend on the neuron, g_inh and dE_hyp only: kept across
  // frames, so dragging g_exc (the chart's guide) or dE_inh costs nothing here.
  function cached(cache, id, make) {
    if (cache.id !== id) {
      cache.id = id;
      cache.value = make();
    }
    return cache.value;
  }
  const epspCache = {};
  const fiCache = {};

  function compute(inp, fixed) {
    const p = LIFLive.neuron(inp);
    const conds = conditions(p, inp);
    const id = JSON.stringify([p, inp.g_inh, inp.dE_hyp, fixed]);
    return {
      p, conds,
      get epsp() {
        return cached(epspCache, id, () => epspCurves(p, conds, fixed));
      },
      get fi() {
        return cached(fiCache, id, () => inhibitionFI(p, conds, fixed));
      },
    };
  }

  // ------------------------------------------------------------------ drawing

  const line = (x, y, max) => D.thinned(x, y, max);
  // lif_figures.synapses._line(..., unit="mV"): samples chosen on the rounded potentials
  const potential = (x, y, max) => D.thinned(x, y, max, "mV");

  // lif_figures.synapses.shunting_figure
  function traces(demo, inp, fixed, figure) {
    const t = ms(demo.t);
    const t_end = ms(demo.t[demo.t.length - 1] + demo.dt);
    const half = E.HALF_POINTS;
    const level = (y) => ({ x: [0.0, t_end], y: [y, y] });
    // a flat V (no input) is shown over MIN_SPAN_MV (the builder's rule), else autoranged
    const V = { E: mV(demo.V.E), I: mV(demo.V.I), sum: mV(demo.V.sum), EI: mV(demo.V["E+I"]) };
    let lo = Math.min(mV(demo.E_inh), mV(demo.p.E_L));
    let hi = Math.max(mV(demo.E_inh), mV(demo.p.E_L));
    for (const y of Object.values(V)) {
      for (let k = 0; k < y.length; k++) {
        if (y[k] < lo) lo = y[k];
        if (y[k] > hi) hi = y[k];
      }
    }
    const flat = hi - lo < MIN_SPAN_MV;
    // (in Python's order, so plotly sees no change of layout.meta while nothing changes)
    const ranged = (figure.layout.meta || {}).autorange || [];
    const autorange = ranged.filter((a) => a !== "yaxis" || !flat);
    if (!flat && !autorange.includes("yaxis")) autorange.unshift("yaxis");
    const mid = (lo + hi) / 2;
    const range = [mid - MIN_SPAN_MV / 2, mid + MIN_SPAN_MV / 2];
    const yaxis = flat ? { yaxis: { ...figure.layout.yaxis, range } } : {};
    return {
      traces: {
        "E alone": potential(t, V.E, half),
        "I alone": potential(t, V.I, half),
        "linear sum (E alone + I alone)": potential(t, V.sum, half),
        "E and I together": potential(t, V.EI, half),
        E_inh: level(mV(demo.E_inh)),
        "E_L (rest)": level(mV(demo.p.E_L)),
        g_inh: line(t, nS(demo.gI), half),
        g_exc: line(t, nS(demo.gE), half),
      },
      layout: {
        meta: { ...figure.layout.meta, autorange },
        xaxis: { ...figure.layout.xaxis, range: [0.0, t_end] },
        xaxis2: { ...figure.layout.xaxis2, range: [0.0, t_end] },
        ...yaxis,
      },
    };
  }

  // A patch that renames the figure's traces in order (their labels carry slider values),
  // and the legend's room for the new names.
  function renamed(figure, updates, width, top) {
    const patch = {};
    const data = figure.data.map((tr, i) => {
      const upd = updates[i] || {};
      patch[tr.name] = upd;
      return { ...tr, ...upd };
    });
    const margin = { ...figure.layout.margin, t: D.legendTop(figure, data, { width, top }) };
    return { traces: patch, margin };
  }

  // lif_figures.synapses.epsp_curves_figure (with the "your g_exc" guide)
  function epsp(rec, inp, fixed, figure) {
    const peaks = rec.epsp;
    const x = nS(fixed.g_exc_grid);
    let lo = 0.0;
    let hi = 0.0;
    const updates = rec.conds.map((c) => {
      const y = mV(peaks[c.kind]);
      for (const v of y) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
      return { x, y, name: conditionLabel(rec.p, c) };
    });
    const gx = nS(inp.g_exc);
    updates.push({ x: [gx, gx], y: [lo, hi] });
    const { traces: patch, margin } = renamed(figure, updates, HALF_WIDTH, TOP);
    return { traces: patch, layout: { margin } };
  }

  // lif_figures.firing.inhibition_fi_figure. Its guide at the reference rate is drawn when
  // the curves reach that rate; the preview empties it when they do not, and cannot add it
  // when Python's figure had none (it then stays away until the release).
  function fi(rec, inp, fixed, figure) {
    const r = rec.fi;
    const x = nA(r.I);
    const xs = nA(r.I_sim);
    let y_top = 10.0;
    const updates = [];
    rec.conds.forEach((c, k) => {
      const label = conditionLabel(rec.p, c);
      for (const v of r.rates[k]) y_top = Math.max(y_top, v);
      for (const v of r.rates_sim[k]) if (Number.isFinite(v)) y_top = Math.max(y_top, v);
      updates.push({ x, y: r.rates[k], name: label });
      updates.push({ x: xs, y: r.rates_sim[k], name: `simulated: ${label}` });
    });
    const I_max = nA(r.I_max);
    if (figure.data.length > updates.length) {
      const shown = fixed.reference_rate < y_top;
      const ref = fixed.reference_rate;
      updates.push(shown ? { x: [0.0, I_max], y: [ref, ref] } : { x: [], y: [] });
    }
    const { traces: patch, margin } = renamed(figure, updates, HALF_WIDTH, TOP);
    return {
      traces: patch,
      layout: {
        margin,
        xaxis: { ...figure.layout.xaxis, range: [0.0, I_max] },
        yaxis: { ...figure.layout.yaxis, range: [0.0, 1.08 * y_top] },
      },
    };
  }

  LIFLive.recipe("shunting", {
    compute: (inp, fixed) => shuntingDemo(inp, fixed),
    views: { traces },
  });
  LIFLive.recipe("inhibition", { compute, views: { epsp, fi } });
})();
