// Chapter 4 previews: the f–I curve with and without refractoriness and the firing at one
// operating current (lif_core.analysis.firing.fi_points / fi_curves / operating_trace), drawn
// as lif_figures.firing.fi_figure (recipe "fi", view "curve") and voltage_trace_figure
// (recipe "fi_operating", view "trace").
// "fi": inputs the sidebar neuron, I_max (A, the slider's right end of the chart) and I_op
// (A); fixed n (simulated currents) and duration (s per current), lab_cache's FI_POINTS and
// FI_DURATION. "fi_operating": the sidebar neuron and I_op; fixed duration (s).
(() => {
  const E = globalThis.LIFEngine;
  const U = globalThis.LIFPreviewUtil;
  const DT = 1e-4; // the analyses' default time step (s)
  const MAX_SPIKES_PER_STEP = 5.0; // lif_core.analysis.firing.MAX_SPIKES_PER_STEP
  // lif_figures.style.COLORS of the traces Python may not have drawn at its values
  const COLORS = { I_C: "#CC79A7", marker: "#E69F00", spike: "#0072B2", alt: "#009E73" };
  const SPIKE_HEIGHT_MV = 10.0; // lif_figures.firing.SPIKE_HEIGHT_MV

  const withoutRef = (p) => E.params({ ...p, t_ref: 0.0 });

  // firing.simulated_fi: rates (Hz) of the closed-form spike train of the exact solution
  // (LIFEngine.fi_curve, equal to stepping for constant input); nan where the closed-form
  // rate exceeds MAX_SPIKES_PER_STEP spikes per step (not simulated, not drawn).
  function simulatedFI(p, currents, duration) {
    const expected = E.theory.firing_rate(p, currents);
    const ok = [];
    for (let i = 0; i < currents.length; i++) {
      if (expected[i] * DT <= MAX_SPIKES_PER_STEP) ok.push(i);
    }
    const rates = new Float64Array(currents.length).fill(NaN);
    if (ok.length) {
      const fc = E.fi_curve(p, ok.map((i) => currents[i]), { duration, dt: DT });
      ok.forEach((i, j) => (rates[i] = fc.rate[j]));
    }
    return rates;
  }

  // firing.theory_currents: a uniform grid on [0, I_max] plus points crowded above the rheobase
  function theoryCurrents(rh, I_max, n = 400) {
    const parts = [...U.linspace(0.0, I_max, n)];
    if (rh >= 0.0 && rh < I_max) {
      const span = I_max - rh;
      // numpy.geomspace(1e-7, 0.05, 40): 10 ** linspace(log10(start), log10(stop)), ends exact
      const logs = U.linspace(Math.log10(1e-7), Math.log10(0.05), 40);
      for (let i = 0; i < 40; i++) {
        const g = i === 0 ? 1e-7 : i === 39 ? 0.05 : 10 ** logs[i];
        parts.push(rh + span * g);
      }
      parts.push(rh);
    }
    const grid = Float64Array.from(new Set(parts)).sort();
    return grid.filter((I) => I >= 0.0 && I <= I_max);
  }

  function computeCurve(inp, fixed) {
    const p = LIFLive.neuron(inp);
    const p0 = withoutRef(p);
    const currents = U.linspace(0.0, inp.I_max, fixed.n); // lab_cache.fi_points: slider I_max
    const I_max = Math.max(inp.I_max, inp.I_op); // fi_curves: extended to the operating point
    const rh = p.rheobase;
    const grid = theoryCurrents(rh, I_max);
    return {
      p, I_max, I: grid, rh,
      rate: E.theory.firing_rate(p, grid),
      rate_noref: E.theory.firing_rate(p0, grid),
      asymptote: E.theory.firing_rate_asymptote(p, grid),
      ceiling: p.t_ref > 0 ? 1.0 / p.t_ref : Infinity,
      points: {
        I: currents,
        rate: simulatedFI(p, currents, fixed.duration),
        rate_noref: simulatedFI(p0, currents, fixed.duration),
      },
      I_op: inp.I_op,
      rate_op: E.theory.firing_rate(p, inp.I_op),
    };
  }

  // lif_figures.firing: the rate axis spans FI_TOP_CEILINGS ceilings; a label's height as a
  // share of the rate range; where a rising curve first reaches y_max (interpolated)
  const FI_TOP_CEILINGS = 2.0;
  const LABEL_SHARE = 0.08;
  const LABEL_FONT = 16;
  function exitAt(x, y, yMax) {
    let k = -1;
    for (let i = 0; i < y.length; i++) {
      if (y[i] >= yMax) {
        k = i;
        break;
      }
    }
    if (k < 0) return null;
    if (k === 0) return x[0];
    const [x0, x1, y0, y1] = [x[k - 1], x[k], y[k - 1], y[k]];
    return y1 !== y0 ? x0 + ((x1 - x0) * (yMax - y0)) / (y1 - y0) : x1;
  }

  const unit = (u) => (x) => (typeof x === "number" ? E.from_si(x, u) : U.fromSI(x, u));
  const nA = unit("nA");
  const ms = unit("ms");
  const mV = unit("mV");
  const maxOf = (values, start) => values.reduce((m, v) => (v > m ? v : m), start);

  function curve(rec, inputs, fixed, figure) {
    const t_ref = rec.p.t_ref;
    const pts = rec.points;
    let top = Math.max(maxOf(rec.rate, 0.0), maxOf(rec.rate_noref, 0.0), 10.0);
    for (const r of [pts.rate, pts.rate_noref]) {
      const finite = r.filter(Number.isFinite);
      if (finite.length) top = Math.max(top, maxOf(finite, -Infinity));
    }
    // the ceiling and the bend towards it fill the chart; t_ref = 0 may leave the top
    if (t_ref > 0) top = Math.min(top, FI_TOP_CEILINGS * rec.ceiling);
    const y_max = 1.08 * top;
    const tref_label = `t_ref = ${U.general(ms(t_ref), 3)} ms`;
    const x = nA(rec.I);
    const xs = nA(pts.I);
    const keepX = [];
    const keepY = [];
    rec.asymptote.forEach((a, i) => {
      if (a >= 0) {
        keepX.push(x[i]);
        keepY.push(a);
      }
    });
    const rh = nA(rec.rh);
    const I_max = nA(rec.I_max);
    const rh_name = `rheobase ${U.general(rh, 3)} nA`;
    // Python's traces in its order: simulated and theory without and with t_ref, the
    // asymptote, the rheobase, [the ceiling], the operating point (last)
    const at = (i, values) => ({ ...figure.data[i], ...values });
    const data = [
      at(0, { x: xs, y: pts.rate_noref }),
      at(1, { x: xs, y: pts.rate, name: `simulated, ${tref_label}` }),
      at(2, { x, y: rec.rate_noref }),
      at(3, { x, y: rec.rate, name: `theory, ${tref_label}` }),
      at(4, { x: keepX, y: keepY }),
      at(5, { x: [rh, rh], y: [0.0, y_max], name: rh_name }),
    ];
    // the labels where no curve passes (lif_figures.firing.fi_figure): the rheobase left of
    // its line, rotated; the ceiling below its line at the right end (above it if the t_ref
    // curve comes close); where the t_ref = 0 curve leaves the top, how high it climbs
    const notes = figure.layout.annotations || [];
    const find = (prefix) => notes.find((a) => String(a.text).startsWith(prefix));
    const tint = { font: { size: LABEL_FONT }, bgcolor: "rgba(128,128,128,0.12)" };
    const plain = { showarrow: false, xref: "x", yref: "y" };
    const annotations = [];
    if (rec.rh > 0) {
      const style = find("rheobase") || {
        ...plain, ...tint, xanchor: "right", yanchor: "top", xshift: -2, textangle: -90,
      };
      annotations.push({ ...style, x: rh, y: y_max, text: rh_name });
    }
    if (t_ref > 0) {
      const name = `ceiling 1/t_ref = ${U.general(rec.ceiling, 3)} Hz`;
      const style = {
        type: "scatter", mode: "lines", line: { color: COLORS.I_C, width: 2, dash: "dot" },
        hoverinfo: "name", showlegend: false,
      };
      data.push(
        U.trace(figure, "ceiling", style, {
          x: [0.0, I_max], y: [rec.ceiling, rec.ceiling], name,
        }),
      );
      if (rec.ceiling <= y_max) {
        const below = maxOf(rec.rate, 0.0) < rec.ceiling - LABEL_SHARE * y_max;
        const label = find("ceiling") || { ...plain, ...tint, xanchor: "right" };
        annotations.push({
          ...label, x: I_max, y: rec.ceiling, text: name,
          yanchor: below ? "top" : "bottom", yshift: below ? -2 : 2,
        });
      }
    }
    const gone = exitAt(x, rec.rate_noref, y_max);
    if (gone !== null && gone < I_max) {
      const last = rec.rate_noref[rec.rate_noref.length - 1];
      const text = `t_ref = 0 ↗ ${U.fixed(last, 0)} Hz at ${U.general(I_max, 3)} nA`;
      const color = fixed._shade[COLORS.alt] || COLORS.alt;
      const style = find("t_ref = 0 ↗") || { ...plain };
      const note = {
        ...style, text, y: y_max, xanchor: "right", yanchor: "top",
        font: { ...(style.font || {}), size: LABEL_FONT, color },
      };
      if (gone <= 0.45 * I_max) {
        annotations.push({ ...note, x: I_max });
      } else {
        const a = rec.asymptote;
        const n = a.length;
        const slope = (a[n - 1] - a[n - 2]) / (x[n - 1] - x[n - 2]); // Hz per nA
        const xa = exitAt(x, a, y_max);
        const x_exit = xa === null ? gone : Math.min(xa, gone);
        annotations.push({ ...note, x: x_exit - (1.25 * LABEL_SHARE * y_max) / slope });
      }
    }
    data.push(at(figure.data.length - 1, { x: [nA(rec.I_op)], y: [rec.rate_op] }));
    const layout = figure.layout;
    return {
      data,
      layout: {
        annotations,
        margin: U.legendMargin(data, layout, U.HALF_WIDTH),
        xaxis: { ...layout.xaxis, range: [0.0, I_max] },
        yaxis: { ...layout.yaxis, range: [0.0, y_max] },
      },
    };
  }

  // firing.operating_trace: null when the closed-form rate exceeds MAX_SPIKES_PER_STEP
  // spikes per step (Python then shows no V(t) chart: the preview draws it empty)
  function computeTrace(inp, fixed) {
    const p = LIFLive.neuron(inp);
    if (E.theory.firing_rate(p, inp.I_op) * DT > MAX_SPIKES_PER_STEP) return { p, result: null };
    const V0 = p.E_L < p.V_th ? p.E_L : p.V_reset; // spiking.start_potential
    const result = E.simulate(p, { I: inp.I_op, duration: fixed.duration, dt: DT, V0 });
    return { p, result };
  }

  function trace(rec, inputs, fixed, figure) {
    const res = rec.result;
    if (res === null) {
      return { data: figure.data.map((tr) => ({ ...tr, x: [], y: [] })) };
    }
    const p = rec.p;
    const t = res.t;
    const n = t.length;
    const t_end = ms(t[n - 1] + res.dt);
    const v = E.downsample(ms(t), mV(res.V), E.MAX_POINTS);
    const data = [{ ...figure.data[0], x: v.x, y: v.y }]; // "V"
    // refractory periods: runs of the refractory flag, from t[start] to t[stop - 1] + dt
    const rx = [];
    const ry = [];
    const reset = mV(p.V_reset);
    for (let k = 0; k < n; k++) {
      if (!res.refractory[k] || (k > 0 && res.refractory[k - 1])) continue;
      let stop = k;
      while (stop < n && res.refractory[stop]) stop++;
      rx.push(ms(t[k]), ms(t[stop - 1] + res.dt), NaN);
      ry.push(reset, reset, NaN);
    }
    if (rx.length) {
      const style = {
        type: "scatter", mode: "lines", line: { color: COLORS.marker, width: 7 },
        connectgaps: false,
      };
      data.push(
        U.trace(figure, "refractory period", style, { x: rx, y: ry, name: "refractory period" }),
      );
    }
    const th = mV(p.V_th);
    const top = th + SPIKE_HEIGHT_MV;
    if (res.spike_times.length) {
      const sx = [];
      const sy = [];
      for (const s of ms(res.spike_times)) {
        sx.push(s, s, NaN);
        sy.push(th, top, NaN);
      }
      const style = {
        type: "scatter", mode: "lines", line: { color: COLORS.spike, width: 1.5 },
        connectgaps: false, hoverinfo: "x",
      };
      data.push(U.trace(figure, "spikes", style, { x: sx, y: sy, name: "spikes" }));
    }
    data.push(U.trace(figure, "threshold V_th", null, { x: [0.0, t_end], y: [th, th] }));
    data.push(U.trace(figure, "reset V_reset", null, { x: [0.0, t_end], y: [reset, reset] }));
    const y_lo = Math.min(Math.min(...v.y), reset) - 3.0;
    const layout = figure.layout;
    return {
      data,
      layout: {
        margin: U.legendMargin(data, layout, U.HALF_WIDTH),
        xaxis: { ...layout.xaxis, range: [0.0, t_end] },
        yaxis: { ...layout.yaxis, range: [y_lo, top + 3.0] },
      },
    };
  }

  LIFLive.recipe("fi", { compute: computeCurve, views: { curve } });
  LIFLive.recipe("fi_operating", { compute: computeTrace, views: { trace } });
})();
