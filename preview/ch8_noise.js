// Chapter 8 previews: noise and irregular firing (lif_core.analysis.noise, drawn as
// lif_figures.noise). The noise is Python's: the trials chart's spec carries the standard
// normal draws ξ of its 40 unit Ornstein–Uhlenbeck traces (float32, base64), from which
// the unit noise at any correlation time is the exact recursion of
// lif_core.stimulus.ou_noise, u[0] = ξ[0], u[k] = ρ u[k-1] + sqrt(1 - ρ²) ξ[k]. The other
// charts name the same sample by its id. Every trial runs through LIFEngine.simulate.
//
// Charts: V(t) of trial 1 over the raster, the ISI histogram (as noisy_trials /
// isi_histogram), and the rate and CV curves: their simulated points (198 noisy trials of
// 1 s, hundreds of ms in numpy) stay Python's and are hidden while the neuron or the
// correlation time they were simulated for is moved, and so are the CV theory curves (a
// double integral, too slow for a frame); the rate theory (lif_core.noise,
// preview/ch8_theory.js) and the star of this setting follow every slider.
(() => {
  const E = globalThis.LIFEngine;
  const DT = 1e-4; // analysis.noise.DT
  const DURATION = 1.0; // lab_cache_noise.TRIAL_DURATION
  const FANO_WINDOW = 0.1; // analysis.noise.FANO_WINDOW (the rate skips nothing)
  const SPIKE_HEIGHT_MV = 8.0; // lif_figures.noise.SPIKE_HEIGHT_MV
  const RASTER_TICK = 0.4; // lif_figures.noise.RASTER_TICK
  const SIGMAS_V = [0.0, 1e-3, 2e-3, 4e-3]; // 0 and analysis.noise.CURVE_SIGMAS_V
  const N_THEORY = 61;

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
  const fmt3 = (x) => E._formatG(x, 3); // lif_figures._units._fmt
  const fixed2 = (x) => (Number.isNaN(x) ? "nan" : x.toFixed(2));

  // ------------------------------------------------------------------ the noise sample

  const samples = new Map(); // noise id -> Float32Array of ξ, trial after trial

  function normals(data) {
    const id = data.noise_id;
    if (samples.has(id)) return samples.get(id);
    let text = data.xi;
    if (text === undefined) {
      // another chart of the page carries the sample (lab_preview's registered charts)
      for (const entry of LIFLive.charts.values()) {
        const d = entry.spec && entry.spec.data;
        if (d && d.noise_id === id && d.xi !== undefined) text = d.xi;
      }
    }
    if (text === undefined) throw new Error(`noise sample ${id} is not on the page`);
    const binary = atob(text);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    const xi = new Float32Array(bytes.buffer);
    samples.clear(); // one sample at a time
    samples.set(id, xi);
    return xi;
  }

  // analysis.noise.unit_noise at tau_s, trial r: u[0] = xi[0], u[k] = rho u[k-1] + scale xi[k]
  // (trialSpikes runs the same recurrence inline for the trials whose V is not drawn)
  function unitRow(xi, r, n, rho, scale) {
    const u = new Float64Array(n);
    const x = xi.subarray(r * n, (r + 1) * n);
    u[0] = x[0];
    for (let k = 1; k < n; k++) u[k] = rho * u[k - 1] + scale * x[k];
    return u;
  }

  // ------------------------------------------------------------------ statistics

  const sum = (a) => a.reduce((s, v) => s + v, 0.0);
  const mean = (a) => sum(a) / a.length;

  // lif_core.noise.isi_statistics: rate (renewal), its se, mean ISI, CV and its jackknife se
  function isiStatistics(trains, duration) {
    const isis = trains.map((s) => Array.from(s).slice(1).map((v, i) => v - s[i]));
    const isi = isis.flat();
    const counts = trains.map((s) => Math.max(s.length - 1, 0));
    const spans = trains.map((s) => (s.length ? duration - s[0] : 0.0));
    const total = sum(spans);
    const rate = total > 0 ? sum(counts) / total : 0.0;
    const n = trains.length;
    let rate_se = NaN;
    if (n >= 2 && total > 0) {
      const resid = counts.map((c, i) => (c - rate * spans[i]) ** 2);
      rate_se = Math.sqrt((n / (n - 1)) * sum(resid)) / total;
    }
    let cv = NaN;
    if (isi.length >= 2) {
      const m = mean(isi);
      cv = Math.sqrt(mean(isi.map((v) => (v - m) ** 2))) / m;
    }
    let cv_se = NaN;
    if (n >= 2 && isi.length >= 3) {
      const s1 = sum(isi);
      const s2 = sum(isi.map((v) => v * v));
      const loo = [];
      for (const x of isis) {
        const m = isi.length - x.length;
        if (m < 2) continue;
        const mu = (s1 - sum(x)) / m;
        const variance = (s2 - sum(x.map((v) => v * v))) / m - mu * mu;
        loo.push(Math.sqrt(Math.max(variance, 0.0)) / mu);
      }
      const k = loo.length;
      if (k >= 2) {
        const lm = mean(loo);
        cv_se = Math.sqrt(((k - 1) / k) * sum(loo.map((v) => (v - lm) ** 2)));
      }
    }
    return { rate, rate_se, mean_isi: isi.length ? mean(isi) : NaN, cv, cv_se, isi };
  }

  // numpy.quantile(values, q), method "linear"
  function quantile(values, q) {
    const s = Float64Array.from(values).sort();
    const n = s.length;
    const virtual = n * q + (1 + q * (1 - 1 - 1)) - 1;
    if (virtual >= n - 1) return s[n - 1];
    const lo = Math.floor(virtual);
    const g = virtual - lo;
    const [a, b] = [s[lo], s[lo + 1]];
    const d = b - a;
    return g >= 0.5 ? b - d * (1 - g) : a + d * g;
  }

  // analysis.noise.isi_histogram (40 bins from 0)
  function histogram(isi, nBins = 40) {
    const top = isi.length ? Math.max(4.0 * mean(isi), quantile(isi, 0.99)) : 0.1;
    const edges = new Float64Array(nBins + 1);
    const step = top / nBins;
    for (let k = 0; k <= nBins; k++) edges[k] = k * step;
    edges[nBins] = top;
    const counts = new Float64Array(nBins);
    for (const v of isi) {
      if (!(v >= 0 && v <= top)) continue;
      let lo = 0;
      let hi = nBins; // the last edge <= v (numpy: left-closed bins, the last one closed)
      while (hi - lo > 1) {
        const mid = (lo + hi) >> 1;
        if (edges[mid] <= v) lo = mid;
        else hi = mid;
      }
      counts[lo] += 1;
    }
    return { edges, counts };
  }

  // ------------------------------------------------------------------ compute

  // Spike times of one trial: LIFEngine's exact step (integrateExact) for an input E_L + R I
  // that changes every step and no conductance, in one loop without recording V. For the 39
  // trials whose V is not drawn: 1.2 ms for all of them here, against 6.5 ms through the
  // engine's simulate (which checks each of the 10 000 input values and allocates per call).
  // The unit noise u of trial `x` (its normal sample) is made on the way, as unitRow makes it
  // (the same operations, so the same numbers): storing 40 rows of it for every new
  // correlation time cost 3.8 ms of a 12 ms frame while the correlation time was dragged.
  function trialSpikes(p, I_mean, sigma_I, x, rho, scale, dt) {
    const { E_L, R, tau, V_th, V_reset, t_ref } = p;
    const n = x.length;
    const a = Math.exp(-dt / tau);
    const tStop = n * dt;
    const out = [];
    let v = E_L < V_th ? E_L : V_reset;
    let refEnd = -Infinity;
    let u = 0;
    for (let k = 0; k < n; k++) {
      u = k === 0 ? x[0] : rho * u + scale * x[k];
      const t = k * dt;
      const tEnd = t + dt;
      const vi = E_L + R * (I_mean + sigma_I * u);
      let now = t;
      let vEnd;
      if (refEnd > t) {
        if (refEnd >= tEnd) {
          v = V_reset;
          continue;
        }
        now = refEnd;
        v = V_reset;
        vEnd = vi + (v - vi) * Math.exp(-(tEnd - now) / tau);
      } else {
        vEnd = vi + (v - vi) * a;
      }
      while (vEnd >= V_th && vi > V_th) {
        let tSpike = now + tau * Math.log((v - vi) / (V_th - vi));
        tSpike = Math.min(Math.max(tSpike, now), tEnd);
        if (tSpike < tStop) out.push(tSpike);
        refEnd = tSpike + t_ref;
        v = V_reset;
        if (refEnd >= tEnd) {
          vEnd = V_reset;
          break;
        }
        now = refEnd;
        vEnd = vi + (v - vi) * Math.exp(-(tEnd - now) / tau);
      }
      v = vEnd;
    }
    return out;
  }

  function compute(inp, fixed, data) {
    const p = LIFLive.neuron(inp);
    const { I_mean, sigma_V, tau_s } = inp;
    const sigma_I = (sigma_V / p.R) * Math.sqrt((p.tau + tau_s) / tau_s); // noise.sigma_current
    const duration = Math.max(1, Math.round(DURATION / DT)) * DT;
    const xi = normals(data);
    const n = data.n_steps;
    const trialCount = Math.floor(xi.length / n);
    const rho = Math.exp(-DT / tau_s);
    const scale = Math.sqrt(-Math.expm1((-2 * DT) / tau_s));
    // every trial at once through the engine's checks (the same refusals as lif_core),
    // trial 1 through the engine itself (its V is drawn), the others through trialSpikes
    if (p.t_ref < DT / E.MAX_SPIKES_PER_STEP) {
      let top = -Infinity;
      for (let r = 0; r < trialCount; r++) {
        for (const u of unitRow(xi, r, n, rho, scale)) top = Math.max(top, I_mean + sigma_I * u);
      }
      E.simulate(p, { I: top, duration: DT, dt: DT });
    }
    const u0 = unitRow(xi, 0, n, rho, scale);
    const I = new Float64Array(n);
    for (let k = 0; k < n; k++) I[k] = I_mean + sigma_I * u0[k];
    const res = E.simulate(p, { I, duration, dt: DT });
    const first = { t: res.t, V: res.V };
    const trains = [res.spike_times];
    for (let r = 1; r < trialCount; r++) {
      trains.push(trialSpikes(p, I_mean, sigma_I, xi.subarray(r * n, (r + 1) * n), rho, scale, DT));
    }
    const stats = isiStatistics(trains, duration);
    const rec = { p, I_mean, sigma_V, tau_s, duration, first, trains, stats };
    rec.hist = histogram(stats.isi);
    const at = fixed.curves_at;
    const same = (a, b) => Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));
    rec.curvesCurrent = Object.entries(at).every(([k, v]) => same(k === "tau_s" ? tau_s : p[k], v));
    let theory = null;
    Object.defineProperty(rec, "theory", {
      get() {
        if (theory === null) theory = curveTheory(p, tau_s);
        return theory;
      },
    });
    return rec;
  }

  // analysis.noise.rate_curves' rate theory (Siegert with the Fourcaud–Brunel correction)
  let theoryKey = null;
  let theoryValue = null;
  function curveTheory(p, tau_s) {
    const key = JSON.stringify([p, tau_s]);
    if (key === theoryKey) return theoryValue;
    const T = globalThis.LIFNoiseTheory;
    // analysis.noise.curve_currents ends at `top`; the theory's currents: linspace(0, top, 61)
    const top = Math.max(2.0 * p.rheobase, 1e-9);
    const I = new Float64Array(N_THEORY);
    const dI = top / (N_THEORY - 1);
    for (let k = 0; k < N_THEORY; k++) I[k] = k * dI;
    I[N_THEORY - 1] = top;
    const rate = SIGMAS_V.map((s) => Float64Array.from(I, (x) => T.firingRate(p, x, s, tau_s)));
    theoryKey = key;
    theoryValue = { I, rate, top };
    return theoryValue;
  }

  // ------------------------------------------------------------------ drawing

  // lif_figures.noise._ticks: a vertical tick from y0(i) to y1(i) at each x[i], as one line
  // trace (x, x, NaN per tick)
  function ticks(x, y0, y1) {
    const tx = [];
    const ty = [];
    x.forEach((xi, i) => {
      tx.push(xi, xi, NaN);
      ty.push(y0(i), y1(i), NaN);
    });
    return { x: tx, y: ty };
  }

  // lif_figures.noise.trials_figure
  function trialsView(rec, inp, fixed, figure) {
    const { p, first, trains } = rec;
    const tEnd = ms(first.t[first.t.length - 1] + DT);
    const V_th = mV(p.V_th);
    const V_reset = mV(p.V_reset);
    const mu = mV(p.E_L + p.R * rec.I_mean);
    const d = E.downsample(ms(first.t), mV(first.V), E.MAX_POINTS);
    const top = V_th + SPIKE_HEIGHT_MV;
    const spikes = ticks(rounded(ms(trains[0]), "ms"), () => V_th, () => top);
    let low = Infinity;
    for (const v of d.y) low = Math.min(low, v);
    const lo = Math.min(low, V_reset, mu) - 2.0;
    const n = Math.min(trains.length, 40);
    const raster = (k0, k1) => {
      const x = [];
      const row = [];
      for (let k = k0; k < k1; k++) {
        for (const s of trains[k]) {
          x.push(s);
          row.push(k + 1.0);
        }
      }
      return ticks(rounded(ms(x), "ms"), (i) => row[i] - RASTER_TICK, (i) => row[i] + RASTER_TICK);
    };
    return {
      traces: {
        "V, trial 1": { x: rounded(d.x, "ms"), y: rounded(d.y, "mV") },
        "spikes, trial 1": spikes,
        "threshold V_th": { x: [0.0, tEnd], y: [V_th, V_th] },
        "reset V_reset": { x: [0.0, tEnd], y: [V_reset, V_reset] },
        "mean input μ": { x: [0.0, tEnd], y: [mu, mu] },
        raster: raster(1, n),
        "raster, trial 1": raster(0, 1),
      },
      annotations: { 0: { x: tEnd, y: V_th }, 1: { x: tEnd, y: V_reset } },
      layout: {
        yaxis: { ...figure.layout.yaxis, range: [lo, top + 2.0] },
        xaxis: { ...figure.layout.xaxis, range: [0.0, tEnd] },
        xaxis2: { ...figure.layout.xaxis2, range: [0.0, tEnd] },
      },
    };
  }

  // lif_figures.noise.isi_histogram_figure
  function isiView(rec, inp, fixed, figure) {
    const { edges, counts } = rec.hist;
    const e = ms(edges);
    const centers = Float64Array.from({ length: counts.length }, (_, k) => (e[k] + e[k + 1]) / 2.0);
    let most = 0.0;
    for (const c of counts) most = Math.max(most, c);
    const yTop = 1.15 * Math.max(most, 1.0);
    const r = ms(rec.p.t_ref);
    const traces = {
      intervals: { x: rounded(centers, "ms"), y: counts, width: e[1] - e[0] },
      "mean ISI": { x: [], y: [] },
      t_ref: { x: [r, r], y: [0.0, yTop] },
    };
    const annotations = {};
    const notes = (figure.layout.annotations || []).length;
    if (Number.isFinite(rec.stats.mean_isi)) {
      const m = ms(rec.stats.mean_isi);
      traces["mean ISI"] = { x: [m, m], y: [0.0, yTop] };
      annotations[0] = {
        x: m, y: yTop, text: `mean ${fmt3(m)} ms, CV ${fixed2(rec.stats.cv)}`, visible: true,
      };
    } else if (notes) {
      annotations[0] = { visible: false };
    }
    return {
      traces,
      annotations,
      layout: {
        xaxis: { ...figure.layout.xaxis, range: [0.0, e[e.length - 1]] },
        yaxis: { ...figure.layout.yaxis, range: [0.0, yTop] },
      },
    };
  }

  const sigmaLabel = (s) => `${fmt3(mV(s))} mV`; // lif_figures.noise.sigma_label

  // the curves of rate_curves_figure / cv_curves_figure: theory moves, points hide when stale
  function curveTraces(rec, figure, which) {
    const traces = {};
    let peak = -Infinity; // nanmax of the drawn theory
    if (rec.curvesCurrent) {
      for (const tr of figure.data) {
        if (SIGMAS_V.some((s) => sigmaLabel(s) === tr.name)) {
          for (const v of tr.y) if (Number.isFinite(v)) peak = Math.max(peak, v);
        }
      }
      return { traces, peak, top: null };
    }
    const th = rec.theory;
    SIGMAS_V.forEach((s, k) => {
      // the CV theory (Brunel's double integral: 50-150 ms for the four curves here) is
      // redrawn on release; the rate theory (2 ms) follows the drag
      const y = which === "rate" ? th.rate[k] : [];
      traces[sigmaLabel(s)] = { x: which === "rate" ? nA(th.I) : [], y };
      for (const v of y) if (Number.isFinite(v)) peak = Math.max(peak, v);
      // hidden, in Python's error-bar style (a style that differs makes plotly redraw)
      const name = `simulated, ${sigmaLabel(s)}`;
      const drawn = figure.data.find((tr) => tr.name === name);
      const style = (drawn && drawn.error_y) || { type: "data" };
      traces[name] = { x: [], y: [], error_y: { ...style, array: [] } };
    });
    return { traces, peak, top: nA(th.top) };
  }

  // the simulated points' top (rate + se) as Python drew them (the figure's own arrays)
  function pointsTop(figure) {
    let top = -Infinity;
    for (const tr of figure.data) {
      if (!String(tr.name).startsWith("simulated, ")) continue;
      const se = (tr.error_y && tr.error_y.array) || [];
      tr.y.forEach((v, k) => {
        const t = v + (Number.isFinite(se[k]) ? se[k] : 0.0);
        if (Number.isFinite(t)) top = Math.max(top, t);
      });
    }
    return top;
  }

  function star(x, y, err) {
    const array = [Number.isFinite(err) ? err : 0.0];
    return { x: [x], y: [y], error_y: { type: "data", array, thickness: 2 } };
  }

  // lif_figures.noise.rate_curves_figure with this setting's star
  function rateView(rec, inp, fixed, figure) {
    const { traces, peak, top } = curveTraces(rec, figure, "rate");
    const s = rec.stats;
    let yTop = Math.max(peak, rec.curvesCurrent ? pointsTop(figure) : -Infinity, 10.0);
    yTop = Math.max(yTop, s.rate + (Number.isFinite(s.rate_se) ? s.rate_se : 0.0)) * 1.08;
    traces["this setting (simulated)"] = star(nA(rec.I_mean), s.rate, s.rate_se);
    const rh = nA(rec.p.rheobase);
    traces.rheobase = { x: [rh, rh], y: [0.0, yTop] };
    const L = figure.layout;
    const x1 = top === null ? L.xaxis.range[1] : top;
    return {
      traces,
      annotations: { 0: { x: rh, y: yTop } },
      layout: {
        xaxis: { ...L.xaxis, range: [0.0, x1] },
        yaxis: { ...L.yaxis, range: [0.0, yTop] },
      },
    };
  }

  // lif_figures.noise.cv_curves_figure with this setting's star
  function cvView(rec, inp, fixed, figure) {
    const { traces, top } = curveTraces(rec, figure, "cv");
    const s = rec.stats;
    const L = figure.layout;
    const x1 = top === null ? L.xaxis.range[1] : top;
    traces["Poisson (CV = 1)"] = { x: [0.0, x1], y: [1.0, 1.0] };
    let yTop = 1.25;
    if (Number.isFinite(s.cv)) {
      yTop = Math.max(yTop, s.cv + (Number.isFinite(s.cv_se) ? s.cv_se : 0.0) + 0.05);
      traces["this setting (simulated)"] = star(nA(rec.I_mean), s.cv, s.cv_se);
    } else {
      traces["this setting (simulated)"] = { x: [], y: [] };
    }
    const rh = nA(rec.p.rheobase);
    traces.rheobase = { x: [rh, rh], y: [0.0, yTop] };
    return {
      traces,
      annotations: { 0: { x: x1, y: 1.0 } },
      layout: {
        xaxis: { ...L.xaxis, range: [0.0, x1] },
        yaxis: { ...L.yaxis, range: [0.0, yTop] },
      },
    };
  }

  LIFLive.recipe("noise", {
    compute,
    views: { trials: trialsView, isi: isiView, rate: rateView, cv: cvView },
  });
})();
