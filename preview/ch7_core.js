// Chapter 7 for the live previews, lif_core's side: the richer models (as lif_core.models)
// and the analyses that run them beside the LIF twin (as lif_core.analysis.beyond,
// adaptation and dendrites), step for step as in Python; the charts are drawn by
// preview/ch7_beyond.js. Exposed as globalThis.LIFBeyondCore:
//   hh(params, I, state0, dt)             models.hh: the staggered exponential (Rush–Larsen)
//                                          scheme of _run_scalar, spikes at 0 mV crossings
//   adex(params, I, duration, dt)         models.adex: Heun in V below V_T, in
//                                          u = exp(-(V - V_T)/Delta_T) above (_run)
//   adexRheobase(params)                  AdExParams.rheobase
//   twoCompartment(params, Is, Id, dt)    models.compartments: the exact propagator
//   spikeShape, adaptation, ringing,      the sections' analyses: (slider inputs, what
//   operating, dendritic                  Python sent) -> a record (SI)
// Plain-float loops in the order of operations of the Python loops, so the results equal
// lif_core's to round-off (tests/test_preview_7_9.py). The models' parameters come from
// Python (the page sends them): nothing here validates them again.
(() => {
  const E = globalThis.LIFEngine;
  const DT_HH = 25e-6; // lif_core.models.hh.DT_HH
  const DT_ADEX = 1e-4; // lif_core.models.adex.DT_ADEX
  const { exp, expm1, log } = Math;

  // ------------------------------------------------------------------ Hodgkin–Huxley

  /**
   * models.hh._run_scalar: one membrane. `hh`: {C_m, g_Na, g_K, g_L, E_Na, E_K, E_L, phi,
   * area} (SI); `I`: current per step (A); `state0`: [V, n, m, h]. Returns {V} (Float64Array,
   * n + 1 grid values) and {spikes} (upward crossings of 0 mV, interpolated).
   */
  function hh(p, I, state0, dt) {
    const dtK = dt * (p.phi * 1e3);
    const { g_Na: gNa, g_K: gK, g_L: gL, E_Na: ENa, E_K: EK, E_L: EL } = p;
    const invArea = 1.0 / p.area;
    const decayV = dt / p.C_m;
    let [V, n, m, h] = state0;
    const n_steps = I.length;
    const Vs = new Float64Array(n_steps + 1);
    Vs[0] = V;
    const spikes = [];
    for (let step = 0; step < n_steps; step++) {
      const v = V * 1e3;
      let x = v + 55.0;
      const an = 0.01 * (Math.abs(x) < 1e-6 ? 10.0 + x / 2.0 : x / -expm1(-x / 10.0));
      const bn = 0.125 * exp(-(v + 65.0) / 80.0);
      x = v + 40.0;
      const am = 0.1 * (Math.abs(x) < 1e-6 ? 10.0 + x / 2.0 : x / -expm1(-x / 10.0));
      const bm = 4.0 * exp(-(v + 65.0) / 18.0);
      const ah = 0.07 * exp(-(v + 65.0) / 20.0);
      const bh = 1.0 / (1.0 + exp(-(v + 35.0) / 10.0));
      let s = an + bn;
      n = an / s + (n - an / s) * exp(-dtK * s);
      s = am + bm;
      m = am / s + (m - am / s) * exp(-dtK * s);
      s = ah + bh;
      h = ah / s + (h - ah / s) * exp(-dtK * s);
      const gna = gNa * m * m * m * h;
      const gk = gK * n * n * n * n;
      const g = gna + gk + gL;
      const V_inf = (gna * ENa + gk * EK + gL * EL + I[step] * invArea) / g;
      const V_new = V_inf + (V - V_inf) * exp(-decayV * g);
      if (V < 0.0 && 0.0 <= V_new) spikes.push((step + (0.0 - V) / (V_new - V)) * dt);
      V = V_new;
      Vs[step + 1] = V;
    }
    return { V: Vs, spikes };
  }

  // ------------------------------------------------------------------ AdEx

  /** AdExParams.rheobase (A): with w at steady state, the largest current without rest. */
  function adexRheobase(p) {
    const g = p.g_L + p.a;
    const V_star = p.V_T + p.Delta_T * log(g / p.g_L);
    return g * (V_star - p.E_L - p.Delta_T);
  }

  // models.adex._mean_log: the mean of ln u over a step where u goes linearly from u0 to u1
  function meanLog(u0, u1) {
    const d = u0 - u1;
    if (Math.abs(d) <= 1e-9 * u0) return log(0.5 * (u0 + u1));
    return (u0 * log(u0) - u0 - u1 * log(u1) + u1) / d;
  }

  const MAX_SPIKES_PER_STEP = 10; // models.adex.MAX_SPIKES_PER_STEP

  /**
   * models.adex._run: one neuron from V = E_L, w = 0 under a constant current I (A).
   * `p`: {C, g_L, E_L, V_T, Delta_T, a, tau_w, b, V_r, V_peak} (SI). Returns {V, w}
   * (Float64Array, n + 1 grid values) and {spikes} (times V reached V_peak).
   */
  function adex(p, I, duration, dt) {
    const n_steps = E.n_steps(duration, dt);
    const tau_m = p.C / p.g_L;
    const R = 1.0 / p.g_L;
    const { E_L, V_T, Delta_T: D, a, tau_w, b, V_r, V_peak } = p;
    const u_peak = exp(-(V_peak - V_T) / D);
    const log_u_peak = log(u_peak);
    let V = E_L;
    let w = 0.0;
    const Vs = new Float64Array(n_steps + 1);
    const ws = new Float64Array(n_steps + 1);
    Vs[0] = V;
    ws[0] = w;
    const spikes = [];
    const RI = R * I;
    for (let step = 0; step < n_steps; step++) {
      let left = dt;
      let fired = 0;
      while (left > 0.0) {
        let h = left;
        const l1 = (a * (V - E_L) - w) / tau_w;
        let frac;
        let wSpike;
        if (V < V_T) {
          const k1 = (E_L - V + D * exp((V - V_T) / D) - R * w + RI) / tau_m;
          const Vp = V + h * k1;
          const wp = w + h * l1;
          const k2 = (E_L - Vp + D * exp(Math.min((Vp - V_T) / D, 60.0)) - R * wp + RI) / tau_m;
          const V_new = V + 0.5 * h * (k1 + k2);
          const w_new = w + 0.5 * h * (l1 + (a * (Vp - E_L) - wp) / tau_w);
          if (V_new < V_peak) {
            V = V_new;
            w = w_new;
            left = 0.0;
            continue;
          }
          if (V + h * k1 > V_T) {
            // a drive far beyond the presets': a shorter step, Euler's time to V_T, ending
            // at V_T; w by Heun over it (as adex._run). V < V_T here, so k1 > 0.
            h = (V_T - V) / k1;
            const wq = w + h * l1;
            V = V_T;
            w = w + 0.5 * h * (l1 + (a * (V_T - E_L) - wq) / tau_w);
            left -= h;
            continue;
          }
          frac = (V_peak - V) / (V_new - V);
          wSpike = w + frac * (w_new - w);
        } else {
          const u = exp(-(V - V_T) / D);
          const c = (V_T - E_L + R * w - RI) / D;
          const stiff = Math.abs(c - log(u) - 1.0) / tau_m; // substep where Heun is unstable
          if (stiff * h > 1.0) h = 1.0 / stiff;
          const k1 = (-1.0 + c * u - u * log(u)) / tau_m;
          let up = u + h * k1;
          let wp = w + h * l1;
          let lp = up > u_peak ? log(up) : log_u_peak;
          let k2 = (-1.0 + ((V_T - E_L + R * wp - RI) / D) * up - up * lp) / tau_m;
          const u_new = u + 0.5 * h * (k1 + k2);
          if (u_new > u_peak) {
            const drive = a * (V_T - D * meanLog(u, u_new) - E_L);
            w = w + (h * (drive - 0.5 * (w + wp))) / tau_w;
            V = V_T - D * log(u_new);
            left = h < left ? left - h : 0.0;
            continue;
          }
          frac = (u - u_peak) / (u - u_new);
          for (let i = 0; i < 3; i++) {
            const hf = frac * h;
            up = u + hf * k1;
            wp = w + hf * l1;
            lp = up > u_peak ? log(up) : log_u_peak;
            k2 = (-1.0 + ((V_T - E_L + R * wp - RI) / D) * up - up * lp) / tau_m;
            frac -= (u + 0.5 * hf * (k1 + k2) - u_peak) / (0.5 * h * (k1 + k2));
          }
          frac = Math.min(Math.max(frac, 0.0), 1.0);
          const drive = a * (V_T - D * meanLog(u, u_peak) - E_L);
          wSpike = w + (frac * h * (drive - 0.5 * (w + wp))) / tau_w;
        }
        spikes.push((step + 1) * dt - left + frac * h);
        V = V_r;
        w = wSpike + b;
        left -= frac * h;
        fired += 1;
        if (fired > MAX_SPIKES_PER_STEP || !Number.isFinite(spikes[spikes.length - 1])) {
          throw new Error(
            `I = ${E._formatG(I)} A fires more than ${MAX_SPIKES_PER_STEP} spikes per time step ` +
              `dt = ${E._formatG(dt)} s (allowed: at most ${MAX_SPIKES_PER_STEP} per step); lower the current or dt`,
          );
        }
      }
      Vs[step + 1] = V;
      ws[step + 1] = w;
    }
    return { V: Vs, w: ws, spikes };
  }

  // ------------------------------------------------------------------ two compartments

  /** models.compartments.expm2: exp(A t) of a 2×2 matrix [[a00, a01], [a10, a11]]. */
  function expm2(A, t) {
    const [[a00, a01], [a10, a11]] = A;
    const m = 0.5 * (a00 + a11);
    const d2 = 0.25 * (a00 - a11) ** 2 + a01 * a10;
    const delta = Math.sqrt(d2);
    const x = delta * t;
    const sinhc = x < 1e-4 ? t * (1.0 + (x * x) / 6.0 + x ** 4 / 120.0) : Math.sinh(x) / delta;
    const e = exp(m * t);
    const c = Math.cosh(x);
    return [
      [e * (c + sinhc * (a00 - m)), e * (0.0 + sinhc * a01)],
      [e * (0.0 + sinhc * a10), e * (c + sinhc * (a11 - m))],
    ];
  }

  // numpy.linalg.solve for 2×2 systems (LU with partial pivoting, as LAPACK's gesv)
  function solve2(A, M) {
    let [[a00, a01], [a10, a11]] = A;
    let [r0, r1] = M;
    if (Math.abs(a10) > Math.abs(a00)) {
      [a00, a01, a10, a11] = [a10, a11, a00, a01];
      [r0, r1] = [r1, r0];
    }
    const l = a10 / a00;
    const u11 = a11 - l * a01;
    const X = [[0.0, 0.0], [0.0, 0.0]];
    for (const j of [0, 1]) {
      X[1][j] = (r1[j] - l * r0[j]) / u11;
      X[0][j] = (r0[j] - a01 * X[1][j]) / a00;
    }
    return X;
  }

  /**
   * models.compartments.simulate_two_compartment for one condition: `p` {C_s, C_d, g_s,
   * g_d, g_c, E_L} (SI), currents per step into the soma and the dendrite (A). Returns
   * {V_s, V_d} (Float64Array, n + 1 grid values from rest).
   */
  function twoCompartment(p, Is, Id, dt) {
    const A = [
      [-(p.g_s + p.g_c) / p.C_s, p.g_c / p.C_s],
      [p.g_c / p.C_d, -(p.g_d + p.g_c) / p.C_d],
    ];
    const P = expm2(A, dt);
    const B = [1.0 / p.C_s, 1.0 / p.C_d];
    const PB = [
      [(P[0][0] - 1.0) * B[0], P[0][1] * B[1]],
      [P[1][0] * B[0], (P[1][1] - 1.0) * B[1]],
    ];
    const Q = solve2(A, PB);
    const n = Is.length;
    const V_s = new Float64Array(n + 1);
    const V_d = new Float64Array(n + 1);
    let xs = 0.0;
    let xd = 0.0;
    V_s[0] = p.E_L;
    V_d[0] = p.E_L;
    for (let k = 0; k < n; k++) {
      const ds = Q[0][0] * Is[k] + Q[0][1] * Id[k];
      const dd = Q[1][0] * Is[k] + Q[1][1] * Id[k];
      [xs, xd] = [P[0][0] * xs + P[0][1] * xd + ds, P[1][0] * xs + P[1][1] * xd + dd];
      V_s[k + 1] = xs + p.E_L;
      V_d[k + 1] = xd + p.E_L;
    }
    return { V_s, V_d };
  }

  // ------------------------------------------------------------------ helpers

  function grid(n, dt) {
    const t = new Float64Array(n + 1);
    for (let k = 0; k <= n; k++) t[k] = k * dt;
    return t;
  }

  function argmax(a, from = 0, to = a.length) {
    let k = from;
    for (let i = from + 1; i < to; i++) if (a[i] > a[k]) k = i;
    return k;
  }

  function argmin(a, from = 0, to = a.length) {
    let k = from;
    for (let i = from + 1; i < to; i++) if (a[i] < a[k]) k = i;
    return k;
  }

  function searchsorted(sorted, x, right = false) {
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (right ? sorted[mid] <= x : sorted[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  // the LIF twin's run: V at the grid times and its spikes
  const lifRun = (p, I, duration, dt) => E.simulate(p, { I, duration, dt });

  // beyond.hh_rate: 1 / mean interval of the spikes after `skip` (Hz)
  function hhRate(spikes, skip) {
    const s = spikes.filter((x) => x >= skip);
    return s.length < 2 ? 0.0 : (s.length - 1) / (s[s.length - 1] - s[0]);
  }

  function hhRun(fixed, I, dt) {
    const res = hh(fixed.hh, I, fixed.rest, dt);
    res.t = grid(I.length, dt);
    return res;
  }

  // beyond._crossing_times: first upward and next downward crossing of `level`
  function crossings(t, V, level) {
    const above = (k) => V[k] >= level;
    let k = -1;
    for (let i = 0; i + 1 < V.length; i++) {
      if (!above(i) && above(i + 1)) {
        k = i;
        break;
      }
    }
    if (k < 0) return [NaN, NaN];
    const up = t[k] + ((level - V[k]) / (V[k + 1] - V[k])) * (t[k + 1] - t[k]);
    for (let j = k + 1; j + 1 < V.length; j++) {
      if (above(j) && !above(j + 1)) {
        return [up, t[j] + ((level - V[j]) / (V[j + 1] - V[j])) * (t[j + 1] - t[j])];
      }
    }
    return [up, NaN];
  }

  // beyond.spike_shape (onset 2 ms, 25 ms at DT_HH)
  function spikeShape(inp, fixed) {
    const { amplitude, width } = inp;
    const onset = 2e-3;
    const duration = 25e-3;
    const I = E.stimulus.pulse(amplitude, onset, width, duration, DT_HH);
    const hh = hhRun(fixed, I, DT_HH);
    const twin = E.params(fixed.twin);
    const lif = lifRun(twin, I, duration, DT_HH);
    const V = hh.V;
    const rec = { hh, lif, twin, amplitude, onset, width, V_rest: V[0], peak: NaN };
    if (hh.spikes.length) {
      const k = argmax(V);
      rec.peak = V[k];
      rec.t_peak = hh.t[k];
      const [up, down] = crossings(hh.t, V, 0.5 * (rec.V_rest + rec.peak));
      rec.up = up;
      rec.half_width = down - up;
      const j = argmin(V, k);
      rec.ahp = V[j] - rec.V_rest;
      rec.t_ahp = hh.t[j];
    }
    return rec;
  }

  // lif_core.analysis.adaptation.adaptation: the preset with a, b, tau_w and the step (1 s)
  function adaptation(inp, fixed) {
    const p = { ...fixed.adex, a: inp.a, b: inp.b, tau_w: inp.tau_w };
    const I = inp.I_step;
    const duration = 1.0;
    const run = adex(p, I, duration, DT_ADEX);
    run.t = grid(run.V.length - 1, DT_ADEX);
    const R = 1.0 / p.g_L;
    // adaptation.adex_lif_twin: the AdEx's E_L, R, C and rheobase, reset to rest, no t_ref
    const twin = E.params({
      R, C: p.C, E_L: p.E_L, V_th: p.E_L + R * adexRheobase(p), V_reset: p.E_L, t_ref: 0.0,
    });
    const lif = lifRun(twin, I, duration, DT_ADEX);
    return { p, twin, adex: run, lif, duration };
  }

  // beyond.ringing_and_rebound (1 ms small pulse, both pulses from 5 ms, 60 ms at DT_HH)
  function ringing(inp, fixed) {
    const { small, hyper, hyper_width: hyperWidth } = inp;
    const onset = 5e-3;
    const smallWidth = 1e-3;
    const duration = 60e-3;
    const Is = E.stimulus.pulse(small, onset, smallWidth, duration, DT_HH);
    const Ih = E.stimulus.pulse(hyper, onset, hyperWidth, duration, DT_HH);
    const twin = E.params(fixed.twin);
    const rec = {
      twin, onset, small, hyper, smallWidth, hyperWidth,
      hhSmall: hhRun(fixed, Is, DT_HH),
      hhHyper: hhRun(fixed, Ih, DT_HH),
      lifSmall: lifRun(twin, Is, duration, DT_HH),
      lifHyper: lifRun(twin, Ih, duration, DT_HH),
    };
    const V = rec.hhSmall.V;
    rec.V_rest = V[0];
    const after = searchsorted(rec.hhSmall.t, onset + smallWidth); // t >= onset + width
    rec.kUnder = argmin(V, after);
    rec.ringPeak = V[argmax(V)] - rec.V_rest;
    rec.ringUnder = V[rec.kUnder] - rec.V_rest;
    const lv = rec.lifSmall.V;
    rec.lifPeak = lv[argmax(lv)] - twin.E_L;
    const end = onset + hyperWidth;
    rec.rebound = rec.hhHyper.spikes.filter((s) => s >= end);
    return rec;
  }

  // beyond.fi_operating: both models under a DC step from rest, 0.2 s
  function operating(inp, fixed) {
    const { I } = inp;
    const duration = 0.2;
    const n = E.n_steps(duration, DT_HH);
    const hh = hhRun(fixed, new Float64Array(n).fill(I), DT_HH);
    const twin = E.params(fixed.rate_twin);
    const lif = lifRun(twin, I, duration, DT_HH);
    return {
      I, hh, lif, twin,
      hhRate: hhRate(hh.spikes, 0.1),
      lifRate: E.theory.firing_rate(twin, I),
    };
  }

  // lif_core.analysis.dendrites.dendritic_input (1 nA from 5 ms, 100 ms at 0.1 ms)
  function dendritic(inp, fixed) {
    const p = { ...fixed.cell, g_c: inp.g_c };
    const amplitude = 1e-9;
    const onset = 5e-3;
    const duration = 0.1;
    const dt = 1e-4;
    const I = E.stimulus.pulse(amplitude, onset, inp.width, duration, dt);
    const zero = new Float64Array(I.length);
        const soma = twoCompartment(p, I, zero, dt);
    const dend = twoCompartment(p, zero, I, dt);
    const t = grid(I.length, dt);
    const point = E.params({
      R: 1.0 / (p.g_s + p.g_d), C: p.C_s + p.C_d, E_L: p.E_L, V_th: p.E_L + 1.0, V_reset: p.E_L,
    });
    const lif = E.simulate(point, { I, duration, dt, spiking: false });
    const k0 = argmax(soma.V_s);
    const k1 = argmax(dend.V_s);
    const kp = argmax(lif.V);
    let dendPeak = -Infinity;
    for (const v of dend.V_d) dendPeak = Math.max(dendPeak, v - p.E_L);
    const rec = {
      p, t, soma, dend, lif, amplitude, onset, width: inp.width,
      somaPeakSoma: soma.V_s[k0] - p.E_L,
      tSomaPeakSoma: t[k0],
      somaPeakDend: dend.V_s[k1] - p.E_L,
      tSomaPeakDend: t[k1],
      dendPeak,
      pointPeak: lif.V[kp] - p.E_L,
    };
    rec.attenuation = rec.somaPeakSoma / rec.somaPeakDend;
    rec.delay = rec.tSomaPeakDend - rec.tSomaPeakSoma;
    return rec;
  }

  globalThis.LIFBeyondCore = Object.freeze({
    hh, adex, adexRheobase, expm2, twoCompartment, searchsorted,
    spikeShape, adaptation, ringing, operating, dendritic,
  });
})();
