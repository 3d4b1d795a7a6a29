// LIF Lab's browser engine, second part: what the charts draw besides the simulated V(t).
//
//   LIFEngine.theory.*                   lif_core.theory's closed forms, and dV/dt
//   LIFEngine.stimulus.*                 lif_core.stimulus's deterministic waveforms, the exact
//                                        step-mean conductance, SynapticConductance
//   LIFEngine.downsample / even_indices  lif_figures.style: the same points as the figures
//   LIFEngine.from_si / rounded          lif_core.units and lif_figures.style.rounded
//
// Loaded after lif_engine.js (concatenated behind it, or the next <script>): it uses that
// file's LIFEngine and its checks (LIFEngine._internal), adds these names and freezes
// LIFEngine. See lif_engine.js for the whole API and how the two files are loaded.

(() => {
  "use strict";
  const E = LIFEngine;
  const { params, n_steps, end_time } = E;
  const { repr, formatG, reprValue, roundHalfEven, isList, checkFinite, checkRange } = E._internal;

  // ------------------------------------------------------------ closed forms (lif_core.theory)

  // f(p, ...args) for numbers; a Float64Array when an argument is a list (one value each).
  function vectorize(f) {
    return (p, ...args) => {
      p = params(p);
      const n = args.reduce((m, x) => (isList(x) ? x.length : m), -1);
      if (n < 0) return f(p, ...args);
      const out = new Float64Array(n);
      const row = args.slice();
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < args.length; j++) row[j] = isList(args[j]) ? args[j][i] : args[j];
        out[i] = f(p, ...row);
      }
      return out;
    };
  }

  const steadyState = (p, I = 0.0) => p.E_L + p.R * I;
  const gSteady = (p, g, E_syn, I = 0.0) => (p.E_L / p.R + g * E_syn + I) / (1.0 / p.R + g);
  const gTau = (p, g) => p.C / (1.0 / p.R + g);

  function timeToThreshold(p, I, g = 0.0, E_syn = 0.0) {
    const V_inf = gSteady(p, g, E_syn, I);
    if (!(V_inf > p.V_th)) return Infinity;
    return gTau(p, g) * Math.log((V_inf - p.V_reset) / (V_inf - p.V_th));
  }

  function firingRate(p, I, g = 0.0, E_syn = 0.0) {
    const T = timeToThreshold(p, I, g, E_syn);
    return Number.isFinite(T) ? 1.0 / (p.t_ref + T) : 0.0;
  }

  function firingRateSlope(p, I, g = 0.0, E_syn = 0.0) {
    const V_inf = gSteady(p, g, E_syn, I);
    if (!(V_inf > p.V_th)) return 0.0;
    const g_tot = 1.0 / p.R + g, f = firingRate(p, I, g, E_syn);
    return (
      (f * f * p.C * (p.V_th - p.V_reset)) /
      (g_tot * g_tot * (V_inf - p.V_reset) * (V_inf - p.V_th))
    );
  }

  const theory = {
    /** V_inf = E_L + R I (V). */
    steady_state: vectorize(steadyState),
    /** V(t) = V_inf + (V0 - V_inf) exp(-t / tau), V0 = E_L by default (V). */
    charging: vectorize((p, t, I = 0.0, V0 = null) => {
      const v0 = V0 === null || V0 === undefined ? p.E_L : V0;
      const V_inf = steadyState(p, I);
      return V_inf + (v0 - V_inf) * Math.exp(-t / p.tau);
    }),
    /** I_rh = (1/R + g) V_th - E_L/R - g E_syn (A). */
    rheobase: vectorize(
      (p, g = 0.0, E_syn = 0.0) => (1.0 / p.R + g) * p.V_th - p.E_L / p.R - g * E_syn,
    ),
    /** {V_inf, tau_eff}: (E_L/R + g E_syn + I) / (1/R + g) (V) and C / (1/R + g) (s). */
    conductance_steady_state: (p, g, E_syn, I = 0.0) => ({
      V_inf: vectorize(gSteady)(p, g, E_syn, I),
      tau_eff: vectorize((q, gg) => gTau(q, gg))(p, g),
    }),
    /** T = tau_eff ln((V_inf - V_reset) / (V_inf - V_th)) (s); Infinity if V_inf <= V_th. */
    time_to_threshold: vectorize(timeToThreshold),
    /** f = 1 / (t_ref + T) (Hz); 0 at and below the rheobase. */
    firing_rate: vectorize(firingRate),
    /** df/dI = f^2 C (V_th - V_reset) / (g_tot^2 (V_inf - V_reset)(V_inf - V_th)) (Hz/A). */
    firing_rate_slope: vectorize(firingRateSlope),
    /** (R I + E_L - (V_th + V_reset)/2) / (tau (V_th - V_reset)) (Hz), t_ref ignored. */
    firing_rate_asymptote: vectorize(
      (p, I) => (p.R * I + p.E_L - (p.V_th + p.V_reset) / 2) / (p.tau * (p.V_th - p.V_reset)),
    ),
    /** The phase line dV/dt = (V_inf - V) / tau (V/s); with g: (V_inf(g) - V) / tau_eff. */
    dV_dt: vectorize((p, V, I = 0.0, g = 0.0, E_syn = 0.0) =>
      g === 0 ? (steadyState(p, I) - V) / p.tau : (gSteady(p, g, E_syn, I) - V) / gTau(p, g),
    ),
  };

  // ------------------------------------------------------------ synaptic kernels (KernelGrid)

  // The kernel of one event, integrated over its first y time constants:
  // exponential 1 - e^-y, alpha 1 - (1 + y) e^-y (in units of tau_syn, before the factor e).
  const insideKernel = (alpha, y) => (alpha ? -Math.expm1(-y) - y * Math.exp(-y) : -Math.expm1(-y));

  // Integral over x time constants from a grid point of the events before it (kernel sums
  // A = sum e^-s and, alpha, B = sum s e^-s at the grid point), lif_core's KernelGrid._carried.
  function carried(alpha, A, B, x) {
    const decay = -Math.expm1(-x);
    return alpha ? B * decay + A * (decay - x * Math.exp(-x)) : A * decay;
  }

  // lif_core.stimulus._linear_recursion, in place: x[0] = u[0], x[k] = rho x[k-1] + u[k], by
  // the same arithmetic (blocks x[s+j] = rho^j (x[s] + sum_i rho^-i u[s+i]) whose rho^-j stays
  // below e^200, or doubling when a step decays by more than e^-1), so both round alike
  // (a cumulative sum over tens of thousands of steps is ~1e-12 off the plain recursion).
  const powerCache = new Map(); // decay -> {grow, shrink}: a drag keeps tau_syn and dt
  function powers(decay, block) {
    let hit = powerCache.get(decay);
    if (!hit || hit.grow.length < block) {
      hit = { grow: new Float64Array(block), shrink: new Float64Array(block) };
      for (let j = 1; j <= block; j++) {
        hit.grow[j - 1] = Math.exp(decay * j); // rho^-j and rho^j as numpy computes them
        hit.shrink[j - 1] = Math.exp(-decay * j);
      }
      if (powerCache.size >= 4) powerCache.delete(powerCache.keys().next().value);
      powerCache.set(decay, hit);
    }
    return hit;
  }

  function linearRecursion(rho, u) {
    const m = u.length;
    const decay = rho > 0 ? -Math.log(rho) : Infinity;
    if (decay > 1.0) {
      for (let shift = 1, factor = rho; shift < m && factor > 0.0; shift *= 2, factor *= factor) {
        for (let k = m - 1; k >= shift; k--) u[k] += factor * u[k - shift]; // old u[k - shift]
      }
      return u;
    }
    const block = Math.max(1, decay * (m - 1) <= 200 ? m - 1 : Math.trunc(200 / decay));
    const { grow, shrink } = powers(decay, block);
    for (let start = 0; start < m - 1; start += block) {
      const b = Math.min(block, m - 1 - start), base = u[start];
      let sum = 0;
      for (let j = 1; j <= b; j++) {
        sum += u[start + j] * grow[j - 1];
        u[start + j] = (sum + base) * shrink[j - 1];
      }
    }
    return u;
  }

  /**
   * A SynapticConductance on one simulation grid (lif_core.stimulus.KernelGrid): the exact
   * mean over each step (means, S) and, at every grid point t_k, the kernel sums over the
   * events before it, A_k = sum e^-s, B_k = sum s e^-s (s = (t_k - t_s) / tau_syn), from the
   * exact recursion A_{k+1} = rho A_k + sum_{step k} e^-d, B_{k+1} = rho (B_k + eta A_k) +
   * sum_{step k} d e^-d (rho = e^-eta, eta = dt / tau_syn, d: event to step end). O(steps +
   * events), no cut-off.
   */
  class KernelGrid {
    constructor(syn, duration, dt) {
      const n = n_steps(duration, dt);
      const t_last = end_time(duration, dt, n);
      const tau = syn.tau_syn, alpha = syn.kind === "alpha";
      const all = syn.spike_times;
      let lo = 0, hi = all.length; // events in [0, t_last): a slice of the sorted times
      while (lo < hi && !(all[lo] >= 0)) lo++;
      while (hi > lo && !(all[hi - 1] < t_last)) hi--;
      const events = all.subarray(lo, hi);
      const first = new Int32Array(n + 1); // index of the first event in step k
      const A = new Float64Array(n), B = alpha ? new Float64Array(n) : null;
      const inside = new Float64Array(n);
      // each step's events, summed in order: into A[k + 1], B[k + 1] (then the recursions)
      for (let k = 0, e = 0; k < n; k++) {
        const stop = k === n - 1 ? t_last : k * dt + dt;
        first[k] = e;
        let sumA = 0, sumB = 0, sumIn = 0;
        for (; e < events.length && Math.min(Math.trunc(events[e] / dt), n - 1) === k; e++) {
          const d = Math.max((stop - events[e]) / tau, 0.0);
          const ed = Math.exp(-d);
          sumA += ed;
          sumB += d * ed;
          sumIn += insideKernel(alpha, d);
        }
        inside[k] = sumIn;
        if (k + 1 < n) {
          A[k + 1] = sumA;
          if (alpha) B[k + 1] = sumB;
        }
        first[k + 1] = e;
      }
      const rho = Math.exp(-dt / tau), rhoEta = rho * (dt / tau);
      linearRecursion(rho, A);
      if (alpha) {
        for (let k = 1; k < n; k++) B[k] = rhoEta * A[k - 1] + B[k];
        linearRecursion(rho, B);
      }
      const factor = syn.g_max * (alpha ? Math.E : 1.0);
      const means = new Float64Array(n);
      let lastX = NaN, decay = 0, decayX = 0;
      for (let k = 0; k < n; k++) {
        const t = k * dt, stop = k === n - 1 ? t_last : t + dt;
        const x = (stop - t) / tau; // one of a few values: its exponentials are cached
        if (x !== lastX) {
          lastX = x;
          decay = -Math.expm1(-x);
          decayX = decay - x * Math.exp(-x);
        }
        const c = alpha ? B[k] * decay + A[k] * decayX : A[k] * decay;
        means[k] = (factor * (c + inside[k])) / x;
      }
      Object.assign(this, { syn, dt, events, first, A, B, means, alpha, factor });
    }

    /** The integral of g (S s) from t_k to each of the times in t (inside step k) into out. */
    integral(k, t, out) {
      const { syn, alpha, events, first, A, B } = this;
      const tau = syn.tau_syn, t_k = k * this.dt;
      for (let q = 0; q < t.length; q++) {
        let events_in = 0;
        for (let j = first[k]; j < first[k + 1]; j++) {
          const y = (t[q] - events[j]) / tau;
          if (y > 0) events_in += insideKernel(alpha, y);
        }
        const total = carried(alpha, A[k], alpha ? B[k] : 0, (t[q] - t_k) / tau) + events_in;
        out[q] = this.factor * tau * total;
      }
    }
  }

  // ------------------------------------------------------------ waveforms (lif_core.stimulus)

  /** Start times k dt of the steps (s). */
  function time_grid(duration, dt) {
    const n = n_steps(duration, dt);
    const t = new Float64Array(n);
    for (let k = 0; k < n; k++) t[k] = k * dt;
    return t;
  }

  const clip = (x, lo, hi) => Math.min(Math.max(x, lo), hi);

  /**
   * SynapticConductance(spike_times, g_max, tau_syn, kind = "exponential"), with or without
   * `new`: presynaptic events (s) of peak g_max (S), exponential g_max e^(-(t - t_s)/tau_syn)
   * or alpha g_max (t - t_s)/tau_syn e^(1 - (t - t_s)/tau_syn); events add. As g_syn of
   * simulate() its events act at their exact times; step_means(duration, dt) (S).
   */
  function SynapticConductance(spike_times, g_max, tau_syn, kind = "exponential") {
    if (!(this instanceof SynapticConductance)) {
      return new SynapticConductance(spike_times, g_max, tau_syn, kind);
    }
    checkFinite("g_max", g_max);
    checkRange("g_max", g_max, { low: 0, unit: "S" });
    checkFinite("tau_syn", tau_syn);
    checkRange("tau_syn", tau_syn, { low: 0, lowOpen: true, unit: "s" });
    if (kind !== "exponential" && kind !== "alpha") {
      throw new Error(`kind = ${reprValue(kind)} is not known (allowed: 'exponential' or 'alpha')`);
    }
    const spikes = isList(spike_times) ? spike_times : [spike_times];
    checkFinite("spike_times", spikes);
    this.spike_times = Float64Array.from(spikes).sort();
    Object.assign(this, { g_max: Number(g_max), tau_syn: Number(tau_syn), kind });
    Object.freeze(this);
  }
  SynapticConductance.prototype.on_grid = function (duration, dt) {
    return new KernelGrid(this, duration, dt);
  };
  SynapticConductance.prototype.step_means = function (duration, dt) {
    return this.on_grid(duration, dt).means;
  };

  const stimulus = {
    time_grid,
    /** amplitude (A or S) on every step. */
    constant(amplitude, duration, dt) {
      checkFinite("amplitude", amplitude);
      return new Float64Array(n_steps(duration, dt)).fill(amplitude);
    },
    /**
     * amplitude on [onset, onset + width): exactly amplitude on the steps it covers, the
     * covered fraction of a step it covers in part (each step's own length: the charge is
     * exact), 0 elsewhere.
     */
    pulse(amplitude, onset, width, duration, dt) {
      checkFinite("amplitude", amplitude);
      checkFinite("onset", onset);
      checkRange("onset", onset, { low: 0, unit: "s" });
      if (width !== Infinity) {
        checkFinite("width", width);
        checkRange("width", width, { low: 0, lowOpen: true, unit: "s" });
      }
      const n = n_steps(duration, dt);
      const t_last = end_time(duration, dt, n);
      const off = onset + width;
      const out = new Float64Array(n);
      for (let k = 0; k < n; k++) {
        const t = k * dt, stop = k === n - 1 ? t_last : t + dt;
        const a = clip(t, onset, off), b = clip(stop, onset, off);
        out[k] = a === t && b === stop ? amplitude : (amplitude * (b - a)) / (stop - t);
      }
      return out;
    },
    /** A step to amplitude (A) at onset (s), lasting to the end. */
    step(amplitude, onset, duration, dt) {
      return stimulus.pulse(amplitude, onset, Infinity, duration, dt);
    },
    /** Spike times (s) every 1 / rate from start up to duration (numpy's arange). */
    regular_spike_train(rate, duration, start = 0.0) {
      checkFinite("rate", rate);
      checkRange("rate", rate, { low: 0, unit: "Hz" });
      checkFinite("start", start);
      if (rate === 0) return new Float64Array(0);
      const step = 1.0 / rate;
      const n = Math.max(0, Math.ceil((duration - start) / step));
      const out = new Float64Array(n);
      const delta = start + step - start; // numpy fills start + i * (x[1] - x[0])
      for (let i = 0; i < n; i++) out[i] = i === 1 ? start + step : start + i * delta;
      return out;
    },
    /**
     * The exact mean conductance (S) over each step of presynaptic events at spike_times (s):
     * each event counts from its exact time inside its step, no cut-off (see
     * SynapticConductance for the kernels; kind "exponential" or "alpha").
     */
    synaptic_conductance(spike_times, g_max, tau_syn, duration, dt, kind = "exponential") {
      return SynapticConductance(spike_times, g_max, tau_syn, kind).step_means(duration, dt);
    },
    SynapticConductance,
  };


  // ------------------------------------------------------------ drawing (lif_figures.style)

  const MAX_POINTS = 1500;
  const HALF_POINTS = 800;

  /** Indices downsample() keeps: each bucket's min and max, in time order (Int32Array). */
  function downsample_indices(values, max_points = MAX_POINTS) {
    const n = values.length;
    if (n <= max_points) return Int32Array.from({ length: n }, (_, i) => i);
    // extremes are found at 6 decimals (numpy's round(y, 6), half to even), as in
    // lif_figures.style.downsample: round-off on a flat stretch does not pick the sample
    // (plain loops: Float64Array.from with a function is several times slower, and this runs
    // on every drag frame)
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) y[i] = roundHalfEven(values[i] * 1e6) / 1e6;
    const buckets = Math.floor(max_points / 2);
    const step = n / buckets; // numpy's linspace(0, n, buckets + 1).astype(int)
    const keep = new Int32Array(2 * buckets);
    let m = 0;
    for (let b = 0; b < buckets; b++) {
      const lo = Math.trunc(b * step);
      const hi = b + 1 === buckets ? n : Math.trunc((b + 1) * step);
      // numpy's argmin / argmax: the first extreme, or the first NaN (which then stays)
      let iMin = lo, iMax = lo, yMin = y[lo], yMax = y[lo];
      for (let i = lo + 1; i < hi && yMin === yMin && yMax === yMax; i++) {
        const v = y[i];
        if (!(v >= yMin)) { iMin = i; yMin = v; }
        if (!(v <= yMax)) { iMax = i; yMax = v; }
      }
      const first = Math.min(iMin, iMax), second = Math.max(iMin, iMax);
      if (m === 0 || first !== keep[m - 1]) keep[m++] = first;
      if (second !== keep[m - 1]) keep[m++] = second;
    }
    return keep.slice(0, m);
  }

  /** Values of a list at the given indices (Float64Array). */
  function take(values, indices) {
    const out = new Float64Array(indices.length);
    for (let k = 0; k < indices.length; k++) out[k] = values[indices[k]];
    return out;
  }

  /** downsample(x, y, max_points) of lif_figures.style: {x, y}, the inputs if short. */
  function downsample(x, y, max_points = MAX_POINTS) {
    if (y.length <= max_points) return { x, y };
    const keep = downsample_indices(y, max_points);
    return { x: take(x, keep), y: take(y, keep) };
  }

  /** even_indices(n, max_points, keep) of lif_figures.style: sorted unique (Int32Array). */
  function even_indices(n, max_points, keep = []) {
    if (n <= max_points) return Int32Array.from({ length: n }, (_, i) => i);
    const extra = new Set(Array.from(keep, (i) => Math.min(Math.max(Math.trunc(i), 0), n - 1)));
    const m = max_points - extra.size;
    const all = new Set(extra);
    if (m === 1) all.add(0); // numpy's linspace of one point is its start
    const step = (n - 1) / (m - 1); // numpy's round(linspace(0, n - 1, m))
    for (let i = 0; m > 1 && i < m; i++) all.add(i === m - 1 ? n - 1 : roundHalfEven(i * step));
    return Int32Array.from(all).sort();
  }

  // ------------------------------------------------------------ units (lif_core.units)

  const UNITS = Object.freeze({
    V: 1.0, mV: 1e-3, s: 1.0, ms: 1e-3, "Ω": 1.0, "MΩ": 1e6, F: 1.0, nF: 1e-9, pF: 1e-12,
    A: 1.0, nA: 1e-9, pA: 1e-12, S: 1.0, nS: 1e-9, Hz: 1.0,
  });
  const DECIMALS = Object.freeze({ ms: 3, mV: 3, nA: 4, "mV/ms": 4 });

  function factor(unit) {
    if (!(unit in UNITS)) {
      throw new Error(`unknown unit ${reprValue(unit)} (known: ${Object.keys(UNITS).join(", ")})`);
    }
    return UNITS[unit];
  }

  // f of a number, or of each value of a list (a plain loop: Float64Array.from with a function
  // is several times slower, and previews convert thousands of values per drag frame)
  function each(x, f) {
    if (!isList(x)) return f(x);
    const out = new Float64Array(x.length);
    for (let k = 0; k < x.length; k++) out[k] = f(x[k]);
    return out;
  }
  /** value (in unit) to SI. */
  const to_si = (x, unit) => { const c = factor(unit); return each(x, (v) => v * c); };
  /** SI value to unit. */
  const from_si = (x, unit) => { const c = factor(unit); return each(x, (v) => v / c); };
  /** lif_figures.style.rounded: values already in unit, rounded to DECIMALS[unit] (half even). */
  function rounded(x, unit) {
    const c = 10 ** DECIMALS[unit];
    return each(x, (v) => roundHalfEven(v * c) / c);
  }

  Object.assign(E, {
    theory: Object.freeze(theory), stimulus: Object.freeze(stimulus), KernelGrid, downsample,
    downsample_indices, even_indices, take, MAX_POINTS, HALF_POINTS, UNITS, DECIMALS, to_si,
    from_si, rounded, _repr: repr, _formatG: formatG,
  });
  Object.freeze(E);
})();
