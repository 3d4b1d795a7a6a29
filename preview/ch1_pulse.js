// Chapter 1 preview: a current pulse into the passive membrane (lif_core.analysis.membrane
// .pulse_experiment, drawn as lif_figures.membrane.rc_voltage_figure / rc_currents_figure).
(() => {
  const E = globalThis.LIFEngine;
  const NICE_DT = [1e-4, 5e-5, 2e-5, 1e-5, 5e-6];
  const minus = (s) => s.replace(/-/g, "−");

  // lif_core.analysis.membrane.choose_dt
  function chooseDt(tau, duration, maxSteps = 50000) {
    let dt = NICE_DT[NICE_DT.length - 1];
    for (const d of NICE_DT) {
      if (d <= tau / 10) {
        dt = d;
        break;
      }
    }
    while (duration / dt > maxSteps && dt < NICE_DT[0]) dt = NICE_DT[NICE_DT.indexOf(dt) - 1];
    return dt;
  }

  function compute(inp) {
    const p = LIFLive.neuron(inp);
    const { amplitude, onset, width } = inp;
    const tau = p.tau;
    const duration = onset + width + Math.min(Math.max(5 * tau, 20e-3), 1.0);
    const dt = chooseDt(tau, duration);
    const I = E.stimulus.pulse(amplitude, onset, width, duration, dt);
    const res = E.simulate(p, { I, duration, dt, spiking: false });
    const t = res.t;
    const V_inf = p.E_L + p.R * amplitude;
    const charge = (s, V0, target) => target + (V0 - target) * Math.exp(-s / tau);
    const V_end = charge(width, p.E_L, V_inf);
    const off = onset + width;
    const V_theory = t.map((tk) =>
      tk < onset ? p.E_L : tk < off ? charge(tk - onset, p.E_L, V_inf) : charge(tk - off, V_end, p.E_L),
    );
    const last = t[t.length - 1];
    return {
      p, amplitude, onset, width, t, I, V: res.V, V_theory, I_R: res.I_R, I_C: res.I_C, V_inf, V_end,
      t_on: tau <= width ? onset + tau : NaN,
      V_on: tau <= width ? charge(tau, p.E_L, V_inf) : NaN,
      t_off: off + tau <= last ? off + tau : NaN,
      V_off: off + tau <= last ? charge(tau, V_end, p.E_L) : NaN,
    };
  }

  // lif_figures.membrane._pulse_indices: both sides of each switch of the current
  function indices(rec) {
    const keep = [];
    for (let k = 0; k + 1 < rec.I.length; k++) if (rec.I[k + 1] !== rec.I[k]) keep.push(k, k + 1);
    return E.even_indices(rec.t.length, E.HALF_POINTS, keep);
  }

  const ms = (x) => E.rounded(E.from_si(x, "ms"), "ms");
  const mV = (x) => E.rounded(E.from_si(x, "mV"), "mV");
  const nA = (x) => E.rounded(E.from_si(x, "nA"), "nA");

  function voltage(rec) {
    const idx = indices(rec);
    const x = ms(E.take(rec.t, idx));
    const up = rec.amplitude >= 0;
    const vInf = E.from_si(rec.V_inf, "mV");
    const eL = E.from_si(rec.p.E_L, "mV");
    const marks = { x: [], y: [], text: [], textposition: [] };
    for (const [t, V, text, where] of [
      [rec.t_on, rec.V_on, "τ: 63 %", "middle right"],
      [rec.t_off, rec.V_off, "τ: 63 %", "top right"],
    ]) {
      if (Number.isFinite(t) && rec.amplitude !== 0) {
        marks.x.push(E.from_si(t, "ms"));
        marks.y.push(E.from_si(V, "mV"));
        marks.text.push(text);
        marks.textposition.push(up || where !== "top right" ? where : "bottom right");
      }
    }
    // lif_figures.membrane: a zero (or tiny) pulse shows at least MIN_SPAN_MV = 2 mV
    const lo = Math.min(eL, vInf);
    const hi = Math.max(eL, vInf);
    const layout = { meta: { autorange: ["xaxis", "yaxis"] } };
    if (hi - lo < 2.0) {
      const mid = (lo + hi) / 2;
      layout.yaxis = { range: [mid - 1, mid + 1] };
      layout.meta = { autorange: ["xaxis"] };
    }
    return {
      traces: {
        "simulated V(t)": { x, y: mV(E.take(rec.V, idx)) },
        "closed form": { x, y: mV(E.take(rec.V_theory, idx)) },
        "one τ after the switch": marks,
      },
      shapes: {
        0: { y0: vInf, y1: vInf },
        1: { y0: eL, y1: eL },
        2: {
          x0: E.from_si(rec.onset, "ms"),
          x1: E.from_si(rec.onset + rec.width, "ms"),
          name: minus(`pulse ${E._formatG(E.from_si(rec.amplitude, "nA"), 2)} nA`),
        },
      },
      annotations: {
        0: {
          y: vInf,
          text: minus(`V∞ = E_L + R·I = ${vInf.toFixed(1)} mV`),
          yanchor: up ? "bottom" : "top",
        },
        1: { y: eL, text: minus(`E_L = ${eL.toFixed(0)} mV`), yanchor: up ? "top" : "bottom" },
      },
      layout,
    };
  }

  function currents(rec) {
    const idx = indices(rec);
    const x = ms(E.take(rec.t, idx));
    const sum = rec.I_R.map((v, k) => v + rec.I_C[k]);
    // MIN_SPAN_NA = 0.2 nA: no current shows ±0.1 nA, not the round-off of I_R and I_C
    let peak = 0;
    for (const a of [rec.I, rec.I_R, rec.I_C]) for (const v of a) peak = Math.max(peak, Math.abs(v));
    const small = E.from_si(peak, "nA") < 0.1;
    return {
      layout: small
        ? { yaxis: { range: [-0.1, 0.1] }, meta: { autorange: ["xaxis"] } }
        : { meta: { autorange: ["xaxis", "yaxis"] } },
      traces: {
        "injected I": { x, y: nA(E.take(rec.I, idx)) },
        "I_R = (V−E_L)/R": { x, y: nA(E.take(rec.I_R, idx)) },
        "I_C = C·dV/dt": { x, y: nA(E.take(rec.I_C, idx)) },
        "I_R + I_C": { x, y: nA(E.take(sum, idx)) },
      },
    };
  }

  LIFLive.recipe("pulse", { compute, views: { voltage, currents } });
})();
