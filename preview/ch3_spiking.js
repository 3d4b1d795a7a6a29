// Chapter 3 preview: the LIF neuron under a constant or step current
// (lif_core.analysis.spiking.spiking_experiment), drawn as lif_figures.spiking.spiking_figure
// ("trace": V(t) with threshold and reset, the raster, the current).
// Inputs: the sidebar neuron, amplitude (A) and, for a step, onset (s); fixed: kind
// ("constant" or "step") and cosmetic (draw stylised spikes), which commit at once.
(() => {
  const E = globalThis.LIFEngine;
  const U = globalThis.LIFPreviewUtil;
  const SPIKE_COLOR = "#0072B2"; // COLORS["spike"]
  const DURATION = 0.5; // spiking_experiment's defaults (s)
  const DT = 5e-5;
  const COSMETIC_PEAK = E.to_si(20.0, "mV"); // lif_figures.spiking.COSMETIC_PEAK (V)
  const MAX_SPIKES_DRAWN = Math.floor(E.MAX_POINTS / 4);

  function compute(inp, fixed) {
    const p = LIFLive.neuron(inp);
    const { amplitude } = inp;
    let onset = 0.0;
    let I;
    if (fixed.kind === "constant") {
      I = E.stimulus.constant(amplitude, DURATION, DT);
    } else if (fixed.kind === "step") {
      onset = inp.onset;
      I = E.stimulus.step(amplitude, onset, DURATION, DT);
    } else {
      throw new Error(`kind must be one of ('constant', 'step'), got '${fixed.kind}'`);
    }
    const V0 = p.E_L < p.V_th ? p.E_L : p.V_reset; // spiking.start_potential
    const res = E.simulate(p, { I, duration: DURATION, dt: DT, V0 });
    return {
      p, amplitude, onset, t: res.t, V: res.V, I: res.I, spike_times: res.spike_times,
      rheobase: E.theory.rheobase(p),
    };
  }

  const every = (n, limit) => Math.max(1, Math.ceil(n / limit));
  // lif_figures.spiking.ordinal: 1st, 2nd, 3rd, 4th, 11th, 22nd
  const ordinal = (k) => {
    const tens = k % 100;
    const suffix =
      tens >= 11 && tens <= 13 ? "th" : { 1: "st", 2: "nd", 3: "rd" }[k % 10] || "th";
    return `${k}${suffix}`;
  };
  const mV = (x) => (typeof x === "number" ? E.from_si(x, "mV") : U.fromSI(x, "mV"));
  // spiking._floor_mV: rounded down, so no sample is drawn on the threshold
  const floorMV = (y) => y.map((v) => Math.floor(v * 1000.0) / 1000.0);
  const nth = (values, k) => values.filter((_, i) => i % k === 0);

  function trace(rec, inputs, fixed, figure) {
    const p = rec.p;
    const t_ms = U.fromSI(rec.t, "ms");
    const v = E.downsample(t_ms, mV(rec.V), E.MAX_POINTS);
    const data = [
      U.trace(figure, "simulated V(t)", null, { x: U.rounded(v.x, "ms"), y: floorMV(v.y) }),
    ];
    const spikes = U.fromSI(rec.spike_times, "ms");
    if (fixed.cosmetic && spikes.length) {
      const k = every(spikes.length, MAX_SPIKES_DRAWN);
      const shown = U.rounded(nth(spikes, k), "ms");
      const levels = U.rounded(Float64Array.of(mV(p.V_th), mV(COSMETIC_PEAK), mV(p.V_reset)), "mV");
      const x = [];
      const y = [];
      for (const s of shown) {
        x.push(s, s, s, NaN); // a gap between spikes
        y.push(levels[0], levels[1], levels[2], NaN);
      }
      const style = {
        type: "scatter", mode: "lines", line: { color: SPIKE_COLOR, width: 2 }, hoverinfo: "skip",
      };
      data.push(
        U.trace(figure, "drawn spike", style, {
          x, y, name: "drawn spike (not simulated)" + (k > 1 ? `, every ${ordinal(k)}` : ""),
        }),
      );
    }
    const t_span = [t_ms[0], t_ms[t_ms.length - 1]];
    for (const [value, name] of [
      [p.V_th, "threshold V_th"],
      [p.V_reset, "reset V_reset"],
    ]) {
      const shown = mV(value);
      data.push(
        U.trace(figure, name, null, {
          x: t_span, y: [shown, shown], name: U.minus(`${name} = ${U.fixed(shown, 0)} mV`),
        }),
      );
    }
    const k = every(spikes.length, MAX_SPIKES_DRAWN);
    const ticks = nth(spikes, k);
    data.push(
      U.trace(figure, "spikes (", null, {
        x: ticks,
        y: new Float64Array(ticks.length),
        name: `spikes (${spikes.length})` + (k > 1 ? `, every ${ordinal(k)} drawn` : ""),
      }),
    );
    const c = E.downsample(t_ms, U.fromSI(rec.I, "nA"), E.MAX_POINTS);
    data.push(
      U.trace(figure, "injected I", null, { x: U.rounded(c.x, "ms"), y: U.rounded(c.y, "nA") }),
    );
    const rh = E.from_si(rec.rheobase, "nA");
    data.push(
      U.trace(figure, "rheobase", null, {
        x: t_span, y: [rh, rh], name: `rheobase ${U.fixed(rh, 2)} nA`,
      }),
    );
    let yMax = -Infinity;
    let yMin = Infinity;
    for (const value of c.y) {
      if (value > yMax) yMax = value;
      if (value < yMin) yMin = value;
    }
    const i_max = Math.max(yMax, rh, 0.0);
    const i_min = Math.min(yMin, 0.0);
    const pad = 0.12 * Math.max(i_max - i_min, 0.5);
    return {
      data,
      layout: {
        yaxis3: { ...figure.layout.yaxis3, range: [i_min - pad, i_max + pad] },
        margin: U.legendMargin(data, figure.layout, U.FULL_WIDTH),
      },
    };
  }

  LIFLive.recipe("spiking", { compute, views: { trace } });
})();
