// LIF Lab's browser engine: lif_core for one neuron, in plain JavaScript (no dependencies).
//
// For live previews: a chart recomputes its traces while a slider is dragged, then draws them
// with Plotly.react. It mirrors lif_core (SI units inside, Float64Array outputs):
//   LIFEngine.params(p)                  LIFParams: the same limits, the same messages
//   LIFEngine.simulate(p, options)       simulate(): the exact step, or forward Euler
//   LIFEngine.fi_curve(p, I, options)    fi_curve(): rate = 1 / mean ISI
//   LIFEngine.theory.*                   lif_core.theory's closed forms, and dV/dt
//   LIFEngine.stimulus.*                 the deterministic waveforms of lif_core.stimulus
//   LIFEngine.downsample / even_indices  lif_figures.style: the same points as the figures
//   LIFEngine.from_si / rounded          lif_core.units and lif_figures.style.rounded
// Names follow the Python ones (snake_case), so each call maps to one in lif_core. Bad input
// throws an Error whose message equals lif_core's ValueError message. Random inputs (Poisson
// trains, noise) are never drawn here: Python sends them as data.
//
// It is a script, not an ES module: it can be put in front of lab_chart.js inside the chart
// component's module, and Node loads it for the tests (tests/test_js_engine.py).

const LIFEngine = (() => {
  "use strict";

  // ------------------------------------------------------------ Python-style numbers

  // Python's repr() of a float: the shortest round-trip digits, as "0.0001", "1e-05", "2.0".
  function repr(x) {
    if (Number.isNaN(x)) return "nan";
    if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
    if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
    const [base, e10 = "0"] = String(Math.abs(x)).split("e");
    const [whole, frac = ""] = base.split(".");
    let digits = whole + frac;
    let point = whole.length + Number(e10); // the decimal point follows this many digits
    const lead = digits.length - digits.replace(/^0+/, "").length;
    digits = digits.slice(lead).replace(/0+$/, "");
    point -= lead;
    const sign = x < 0 ? "-" : "";
    const exp = point - 1;
    if (exp < -4 || exp >= 16) {
      const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
      return `${sign}${m}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
    }
    if (point <= 0) return `${sign}0.${"0".repeat(-point)}${digits}`;
    if (point >= digits.length) return `${sign}${digits.padEnd(point, "0")}.0`;
    return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
  }

  // Python's format(x, ".{precision}g").
  function formatG(x, precision = 6) {
    if (!Number.isFinite(x)) return repr(x);
    if (x === 0) return Object.is(x, -0) ? "-0" : "0";
    const [mant, e10] = x.toExponential(precision - 1).split("e");
    const exp = Number(e10);
    const strip = (s) => (s.includes(".") ? s.replace(/0+$/, "").replace(/\.$/, "") : s);
    if (exp >= -4 && exp < precision) return strip(x.toFixed(precision - 1 - exp));
    return `${strip(mant)}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
  }

  // Python's repr() of any value (for the "got ..." of a value that is not a number).
  function reprValue(v) {
    if (typeof v === "number") return repr(v);
    if (typeof v === "string") return `'${v.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
    return String(v);
  }

  // Python's round() and numpy's rint: halves go to the even neighbour.
  function roundHalfEven(x) {
    const r = Math.round(x);
    return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
  }

  // ------------------------------------------------------------ checks (lif_core._validate)

  const isList = (v) => Array.isArray(v) || ArrayBuffer.isView(v);

  function asNumber(name, v) {
    if (typeof v === "number") return v;
    if (typeof v === "boolean") return Number(v);
    if (v === null || v === undefined) return NaN; // numpy reads None as nan
    throw new Error(`${name} must be a finite number, got ${reprValue(v)}`);
  }

  // check_finite: a number, or every value of a list, is finite. Returns the number.
  function checkFinite(name, v) {
    if (isList(v)) {
      for (let i = 0; i < v.length; i++) checkFinite(name, v[i]);
      return v;
    }
    const x = asNumber(name, v);
    if (!Number.isFinite(x)) throw new Error(`${name} must be a finite number, got ${repr(x)}`);
    return x;
  }

  // check_range: low <= x (low < x if lowOpen) and x <= high, for a number or a list.
  function checkRange(name, v, { low = null, high = null, lowOpen = false, unit = "" } = {}) {
    const values = isList(v) ? v : [v];
    for (let i = 0; i < values.length; i++) {
      const x = values[i];
      const bad =
        (low !== null && (lowOpen ? x <= low : x < low)) || (high !== null && x > high);
      if (!bad) continue;
      const u = unit ? ` ${unit}` : "";
      const parts = [];
      if (low !== null) parts.push(`${name} ${lowOpen ? ">" : ">="} ${formatG(low)}${u}`);
      if (high !== null) parts.push(`${name} <= ${formatG(high)}${u}`);
      throw new Error(`${name} = ${repr(x)}${u} is out of range (allowed: ${parts.join(" and ")})`);
    }
  }

  function checkKeys(what, given, known) {
    for (const key of Object.keys(given || {})) {
      if (!known.includes(key)) {
        throw new TypeError(`${what} got an unexpected keyword argument '${key}'`);
      }
    }
  }

  // ------------------------------------------------------------ parameters (lif_core.params)

  const DEFAULTS = Object.freeze({
    R: 10e6, C: 1e-9, E_L: -65e-3, V_th: -50e-3, V_reset: -65e-3, t_ref: 2e-3,
  });
  const FIELDS = Object.keys(DEFAULTS);

  /** LIFParams(**p), validated: a frozen {R, C, E_L, V_th, V_reset, t_ref, tau, rheobase}. */
  function params(p = {}) {
    checkKeys("LIFParams.__init__()", p, [...FIELDS, "tau", "rheobase"]);
    const q = {};
    for (const f of FIELDS) {
      const v = p[f] === undefined ? DEFAULTS[f] : p[f];
      if (isList(v)) {
        throw new Error(`${f} must be a number (the browser engine simulates one neuron)`);
      }
      q[f] = checkFinite(f, v);
    }
    checkRange("R", q.R, { low: 0, lowOpen: true, unit: "Ω" });
    checkRange("C", q.C, { low: 0, lowOpen: true, unit: "F" });
    checkRange("t_ref", q.t_ref, { low: 0, unit: "s" });
    if (q.V_reset >= q.V_th) {
      throw new Error(
        `V_reset = ${repr(q.V_reset)} V must be below V_th = ${repr(q.V_th)} V ` +
          "(allowed: V_reset < V_th)",
      );
    }
    q.tau = q.R * q.C;
    q.rheobase = (q.V_th - q.E_L) / q.R;
    return Object.freeze(q);
  }

  // ------------------------------------------------------------ inputs (lif_core.simulation)

  /** Number of steps, round(duration / dt), after simulate()'s checks of dt and duration. */
  function n_steps(duration, dt) {
    checkFinite("duration", duration);
    checkFinite("dt", dt);
    checkRange("dt", dt, { low: 0, lowOpen: true, unit: "s" });
    checkRange("duration", duration, { low: 0, lowOpen: true, unit: "s" });
    if (dt > duration) {
      throw new Error(
        `dt = ${repr(dt)} s is longer than duration = ${repr(duration)} s ` +
          "(allowed: dt <= duration)",
      );
    }
    return Math.max(1, roundHalfEven(duration / dt));
  }

  // An input as a number (constant) or a Float64Array with one value per step.
  function asInput(name, value, n) {
    checkFinite(name, value);
    if (!isList(value)) return asNumber(name, value);
    if (value.length !== n) {
      throw new Error(
        `${name} has ${value.length} values but the simulation has ${n} time steps ` +
          "(duration / dt); give one value per step, or shape (n_neurons, 1) for one " +
          "constant per neuron",
      );
    }
    return value instanceof Float64Array ? value : Float64Array.from(value);
  }

  // Synapses as lists of inputs and reversal potentials. With E_syn a number, g_syn is one
  // synapse (a number or one value per step); with E_syn an Array, g_syn is an Array with one
  // entry per synapse (each a number or one value per step), like lif_core's lists.
  function synapses(g_syn, E_syn, n) {
    if (g_syn === undefined && E_syn === undefined) return [[], []];
    const manyE = Array.isArray(E_syn);
    const Es = E_syn === undefined ? [] : manyE ? E_syn : [E_syn];
    const gList = g_syn === undefined ? [] : manyE && Array.isArray(g_syn) ? g_syn : [g_syn];
    if (gList.length !== Es.length) {
      throw new Error(
        `g_syn has ${gList.length} synapses but E_syn has ${Es.length} reversal potentials ` +
          "(give one E_syn per conductance)",
      );
    }
    const gs = [];
    for (let i = 0; i < gList.length; i++) {
      const label = gList.length === 1 ? "g_syn" : `g_syn[${i}]`;
      const g = asInput(label, gList[i], n);
      checkRange(label, g, { low: 0, unit: "S" });
      checkFinite("E_syn", Es[i]);
      if (isList(Es[i])) {
        throw new Error(`E_syn must be one number per synapse, got shape (${Es[i].length},)`);
      }
      gs.push(g);
    }
    return [gs, Es.map(Number)];
  }

  // Scratch buffers reused from call to call (no allocation per step, little per call).
  let bufVinf = new Float64Array(0);
  let bufTau = new Float64Array(0);
  let bufA = new Float64Array(0);
  let bufSpikes = new Float64Array(256);
  const grow = (buf, n) => (buf.length >= n ? buf : new Float64Array(Math.max(n, 2 * buf.length)));

  // The drive as per-step steady state V_inf and time constant tau (lif_core's _Drive):
  // V_inf = (E_L/R + sum g E_syn + I) / (1/R + sum g), tau = C / (1/R + sum g).
  // Constant input gives numbers; input that varies, views of the scratch buffers.
  function drive(p, I, gs, Es, n, dt) {
    const { R, C, E_L } = p;
    let vinf, tau;
    if (typeof I === "number" && gs.every((g) => typeof g === "number")) {
      let vi = E_L + R * I, ta = R * C;
      if (gs.length > 0) {
        let g_total = 1.0 / R, d = E_L / R + I;
        for (let j = 0; j < gs.length; j++) {
          g_total = g_total + gs[j];
          d = d + gs[j] * Es[j];
        }
        vi = d / g_total;
        ta = C / g_total;
      }
      vinf = Float64Array.of(vi);
      tau = Float64Array.of(ta);
    } else {
      bufVinf = grow(bufVinf, n);
      bufTau = grow(bufTau, n);
      vinf = bufVinf.subarray(0, n);
      tau = bufTau.subarray(0, n);
      if (gs.length === 0) {
        for (let k = 0; k < n; k++) vinf[k] = E_L + R * I[k];
        tau.fill(R * C);
      } else {
        // vinf holds the drive E_L/R + I + sum g E_syn, tau the total conductance, then both
        // become V_inf and tau, in lif_core's order of operations
        if (typeof I === "number") vinf.fill(E_L / R + I);
        else for (let k = 0; k < n; k++) vinf[k] = E_L / R + I[k];
        tau.fill(1.0 / R);
        for (let j = 0; j < gs.length; j++) {
          const g = gs[j], E = Es[j];
          if (typeof g === "number") {
            for (let k = 0; k < n; k++) {
              tau[k] = tau[k] + g;
              vinf[k] = vinf[k] + g * E;
            }
          } else {
            for (let k = 0; k < n; k++) {
              tau[k] = tau[k] + g[k];
              vinf[k] = vinf[k] + g[k] * E;
            }
          }
        }
        for (let k = 0; k < n; k++) {
          const g_total = tau[k];
          vinf[k] = vinf[k] / g_total;
          tau[k] = C / g_total;
        }
      }
    }
    let V_max = -Infinity, tau_min = Infinity, tauConstant = true;
    for (let k = 0; k < vinf.length; k++) {
      if (vinf[k] > V_max) V_max = vinf[k];
      if (tau[k] < tau_min) tau_min = tau[k];
      if (tau[k] !== tau[0]) tauConstant = false;
    }
    // one-step propagators a = exp(-dt / tau), shared when tau does not change
    let a;
    if (tauConstant) {
      a = Float64Array.of(Math.exp(-dt / tau[0]));
    } else {
      bufA = grow(bufA, n);
      a = bufA.subarray(0, n);
      a[0] = Math.exp(-dt / tau[0]);
      for (let k = 1; k < n; k++) a[k] = tau[k] === tau[k - 1] ? a[k - 1] : Math.exp(-dt / tau[k]);
    }
    return { vinf, tau, a, V_max, tau_min };
  }

  const MAX_SPIKES_PER_STEP = 10;

  // The shortest inter-spike interval the drive can give (s): t_ref + T at the largest
  // steady state and the shortest time constant (lif_core's _check_spike_density).
  function shortestISI(d, V_th, V_reset, t_ref) {
    const V = d.V_max;
    const T = V > V_th ? d.tau_min * Math.log((V - V_reset) / (V - V_th)) : Infinity;
    return t_ref + T;
  }

  function refuseDense(worst, dt) {
    const limit = dt / MAX_SPIKES_PER_STEP;
    if (!(worst < limit)) return;
    throw new Error(
      `the input drives the neuron to fire every ${formatG(worst, 3)} s, more than ` +
        `${MAX_SPIKES_PER_STEP} spikes per time step dt = ${formatG(dt)} s (allowed: at most ` +
        `${MAX_SPIKES_PER_STEP} per step); lower the input, or use a refractory period ` +
        `t_ref >= ${formatG(limit)} s`,
    );
  }

  // The largest double below x (numpy's nextafter(x, -inf)), for x finite.
  function below(x) {
    if (x === 0) return -Number.MIN_VALUE;
    const f = new Float64Array([x]);
    const b = new BigInt64Array(f.buffer);
    b[0] += x > 0 ? -1n : 1n;
    return f[0];
  }

  // ------------------------------------------------------------ integrators

  function pushSpike(count, t) {
    if (count >= bufSpikes.length) {
      const bigger = new Float64Array(2 * bufSpikes.length);
      bigger.set(bufSpikes);
      bufSpikes = bigger;
    }
    bufSpikes[count] = t;
    return count + 1;
  }

  // The exact step (lif_core's _integrate_exact, one neuron): over each step the input is
  // constant, V relaxes as V_inf + (V - V_inf) exp(-t / tau). A crossing of V_th inside the
  // step happens at now + tau ln((V - V_inf) / (V_th - V_inf)); the refractory period ends at
  // t_spike + t_ref inside a step, the rest of which is integrated (it can fire again when
  // t_ref < dt). V and refr (null: not recorded) get the values at the grid times k dt.
  // Spikes go to bufSpikes; returns their number.
  function integrateExact(d, V_th, V_reset, t_ref, V0, dt, n, V, refr) {
    const { vinf, tau, a } = d;
    const cv = vinf.length === 1, ca = a.length === 1;
    const V_top = Number.isFinite(V_th) ? below(V_th) : Infinity;
    const t_stop = n * dt;
    let v = V0, ref_end = -Infinity, count = 0;
    for (let k = 0; k < n; k++) {
      const t = k * dt;
      if (V !== null) {
        const held = ref_end > t;
        refr[k] = held ? 1 : 0;
        V[k] = held ? V_reset : v < V_th ? v : V_top;
      }
      const t_end = t + dt;
      const vi = cv ? vinf[0] : vinf[k];
      let now = t;
      let v_end;
      if (ref_end > t) {
        if (ref_end >= t_end) {
          v = V_reset;
          continue;
        }
        now = ref_end;
        v = V_reset;
        v_end = vi + (v - vi) * Math.exp(-(t_end - now) / (cv ? tau[0] : tau[k]));
      } else {
        v_end = vi + (v - vi) * (ca ? a[0] : a[k]);
      }
      // a round-off step past V_th whose steady state is not above it is no spike (lif_core)
      while (v_end >= V_th && vi > V_th) {
        const ta = cv ? tau[0] : tau[k];
        let t_spike = now + ta * Math.log((v - vi) / (V_th - vi));
        t_spike = Math.min(Math.max(t_spike, now), t_end);
        if (t_spike < t_stop) count = pushSpike(count, t_spike);
        ref_end = t_spike + t_ref;
        v = V_reset;
        if (ref_end >= t_end) {
          v_end = V_reset;
          break;
        }
        now = ref_end;
        v_end = vi + (v - vi) * Math.exp(-(t_end - now) / ta);
      }
      v = v_end;
    }
    return count;
  }

  // Forward Euler with spikes on the grid (lif_core's _integrate_euler): the teaching
  // comparison. V[k+1] = V[k] + dt / tau (V_inf - V[k]); a spike at (k+1) dt when
  // V[k+1] >= V_th, then V is held at V_reset for round(t_ref / dt) steps.
  function integrateEuler(d, V_th, V_reset, t_ref, V0, dt, n, V, refr) {
    const { vinf, tau } = d;
    const cv = vinf.length === 1;
    const hold_steps = roundHalfEven(t_ref / dt);
    let v = V0, hold = 0, count = 0;
    for (let k = 0; k < n; k++) {
      V[k] = v;
      refr[k] = hold > 0 ? 1 : 0;
      let v_next = cv ? v + (dt / tau[0]) * (vinf[0] - v) : v + (dt / tau[k]) * (vinf[k] - v);
      if (hold > 0) v_next = V_reset;
      hold = Math.max(hold - 1, 0);
      if (v_next >= V_th) {
        count = pushSpike(count, (k + 1) * dt);
        v_next = V_reset;
        hold = hold_steps;
      }
      v = v_next;
    }
    return count;
  }

  // ------------------------------------------------------------ simulate, fi_curve

  const rateFromSpikes = (count, first, last) => (count < 2 ? 0.0 : (count - 1) / (last - first));

  // _default_V0: rest, or the reset if rest is not below threshold (it fires at once).
  const defaultV0 = (p) => (p.E_L < p.V_th ? p.E_L : p.V_reset);

  // An input (a number or one value per step) as one value per step.
  function perStep(x, n) {
    return typeof x === "number" ? new Float64Array(n).fill(x) : x;
  }

  /**
   * What simulate() returns (SI units, one neuron): V (Float64Array) at t[k] = k dt,
   * refractory (Uint8Array, 1 while held at V_reset), spike_times (Float64Array, not on the
   * grid), E_syn, dt, n_steps, method, params. Computed when first read: t, I and g_syn (one
   * value per step), I_R, I_C, I_syn (A).
   */
  class SimulationResult {
    constructor(fields) {
      Object.assign(this, fields);
    }

    /** Time grid k dt (s). */
    get t() {
      if (!this._t) {
        this._t = new Float64Array(this.n_steps);
        for (let k = 0; k < this.n_steps; k++) this._t[k] = k * this.dt;
      }
      return this._t;
    }

    /** Injected current on [t_k, t_k + dt) (A). */
    get I() {
      return (this._I = perStep(this._I, this.n_steps));
    }

    /** Synaptic conductances (S), one Float64Array per synapse. */
    get g_syn() {
      return (this._g = this._g.map((g) => perStep(g, this.n_steps)));
    }

    /** Leak current (V - E_L) / R (A). */
    get I_R() {
      if (!this._I_R) {
        const { V, params: p } = this;
        this._I_R = new Float64Array(V.length);
        for (let k = 0; k < V.length; k++) this._I_R[k] = (V[k] - p.E_L) / p.R;
      }
      return this._I_R;
    }

    /** Synaptic currents -g (V - E_syn) (A), one Float64Array per synapse. */
    get I_syn() {
      if (!this._I_syn) {
        const V = this.V;
        this._I_syn = this.g_syn.map((g, j) => {
          const E = this.E_syn[j], out = new Float64Array(V.length);
          for (let k = 0; k < V.length; k++) out[k] = -g[k] * (V[k] - E);
          return out;
        });
      }
      return this._I_syn;
    }

    /** Capacitive current C dV/dt = I - I_R + sum I_syn (A); 0 while refractory. */
    get I_C() {
      if (!this._I_C) {
        const { I, I_R, I_syn, refractory } = this;
        const out = new Float64Array(I.length);
        for (let k = 0; k < out.length; k++) {
          let total = I[k] - I_R[k];
          for (let j = 0; j < I_syn.length; j++) total = total + I_syn[j][k];
          out[k] = refractory[k] ? 0.0 : total;
        }
        this._I_C = out;
      }
      return this._I_C;
    }

    /** Firing rate (Hz) as the inverse mean inter-spike interval; 0 with < 2 spikes. */
    rate() {
      const s = this.spike_times;
      return rateFromSpikes(s.length, s[0], s[s.length - 1]);
    }
  }

  const SIMULATE_OPTIONS = ["I", "g_syn", "E_syn", "duration", "dt", "V0", "method", "spiking"];

  /**
   * simulate(params, {I, g_syn, E_syn, duration, dt, V0, method, spiking}) for one neuron.
   * I (A) and g_syn (S) are numbers or one value per step; E_syn (V) a number, or an Array
   * with g_syn an Array of the same length for several synapses. Defaults as lif_core:
   * I = 0, duration = 1 s, dt = 1e-4 s, V0 = E_L (V_reset if E_L >= V_th), "exact", spiking.
   * Returns a SimulationResult.
   */
  function simulate(p, options = {}) {
    checkKeys("simulate()", options, SIMULATE_OPTIONS);
    const {
      I = 0.0, g_syn, E_syn, duration = 1.0, dt = 1e-4, V0 = null, method = "exact",
      spiking = true,
    } = options;
    p = params(p);
    if (method !== "exact" && method !== "euler") {
      throw new Error(`method = ${reprValue(method)} is not known (allowed: 'exact' or 'euler')`);
    }
    const n = n_steps(duration, dt);
    const I_in = asInput("I", I, n);
    const [gs, Es] = synapses(g_syn, E_syn, n);
    let v0;
    if (V0 === null || V0 === undefined) {
      v0 = spiking ? defaultV0(p) : p.E_L;
    } else {
      if (isList(V0)) {
        throw new Error("V0 must be a number (the browser engine simulates one neuron)");
      }
      v0 = checkFinite("V0", V0);
    }
    const V_th = spiking ? p.V_th : Infinity;
    if (spiking && v0 >= V_th) {
      throw new Error(`V0 = ${repr(v0)} V must be below V_th (allowed: V0 < V_th when spiking)`);
    }
    const d = drive(p, I_in, gs, Es, n, dt);
    const V = new Float64Array(n);
    const refractory = new Uint8Array(n);
    let count;
    if (method === "exact") {
      if (p.t_ref < dt / MAX_SPIKES_PER_STEP) {
        refuseDense(shortestISI(d, V_th, p.V_reset, p.t_ref), dt);
      }
      count = integrateExact(d, V_th, p.V_reset, p.t_ref, v0, dt, n, V, refractory);
    } else {
      count = integrateEuler(d, V_th, p.V_reset, p.t_ref, v0, dt, n, V, refractory);
    }
    return new SimulationResult({
      V, refractory, spike_times: bufSpikes.slice(0, count), E_syn: Es, dt, n_steps: n, method,
      params: p, _I: I_in, _g: gs,
    });
  }

  // The spikes of constant input in closed form: the exact solution crosses V_th first at
  // t_1 = tau ln((V0 - V_inf) / (V_th - V_inf)), then every t_ref + T (lif_core computes the
  // same train for constant input, _State.train). Returns [count, t_1, t_count] before t_stop.
  function regularTrain(d, p, v0, t_stop) {
    const vi = d.vinf[0], ta = d.tau[0];
    if (!(vi > p.V_th)) return [0, NaN, NaN];
    const t1 = ta * Math.log((v0 - vi) / (p.V_th - vi));
    if (!(t1 < t_stop)) return [0, NaN, NaN];
    const period = p.t_ref + ta * Math.log((p.V_reset - vi) / (p.V_th - vi));
    let m = Math.floor((t_stop - t1) / period); // spikes after the first
    while (m > 0 && !(t1 + m * period < t_stop)) m--;
    while (t1 + (m + 1) * period < t_stop) m++;
    return [m + 1, t1, t1 + m * period];
  }

  /**
   * fi_curve(params, I, {duration, dt, g_syn, E_syn}): the simulated f–I curve.
   * Each current (A) drives the neuron from E_L (V_reset if E_L >= V_th) for duration (s,
   * default 1) with an optional constant conductance g_syn (S) reversing at E_syn (V).
   * Returns {I, rate, n_spikes, duration}: rate (Hz) = (n - 1) / (t_n - t_1), 0 with fewer
   * than two spikes. The exact solution's spike train is counted in closed form (O(1) per
   * current); {stepped: true} runs the exact step instead (the same spikes, for the tests).
   */
  function fi_curve(p, I, options = {}) {
    checkKeys("fi_curve()", options, ["duration", "dt", "g_syn", "E_syn", "stepped"]);
    const { duration = 1.0, dt = 1e-4, g_syn = 0.0, E_syn = 0.0, stepped = false } = options;
    p = params(p);
    const currents = Float64Array.from(isList(I) ? I : [I]);
    const n = n_steps(duration, dt);
    checkFinite("I", I);
    checkFinite("g_syn", g_syn);
    checkRange("g_syn", g_syn, { low: 0, unit: "S" });
    checkFinite("E_syn", E_syn);
    const gs = g_syn !== 0 ? [g_syn] : [];
    const drives = Array.from(currents, (Ik) => drive(p, Ik, gs, [E_syn], n, dt));
    if (p.t_ref < dt / MAX_SPIKES_PER_STEP) {
      let worst = Infinity;
      for (const d of drives) worst = Math.min(worst, shortestISI(d, p.V_th, p.V_reset, p.t_ref));
      refuseDense(worst, dt);
    }
    const rate = new Float64Array(currents.length);
    const n_spikes = new Int32Array(currents.length);
    const v0 = defaultV0(p);
    for (let i = 0; i < currents.length; i++) {
      let count, first, last;
      if (stepped) {
        count = integrateExact(drives[i], p.V_th, p.V_reset, p.t_ref, v0, dt, n, null, null);
        [first, last] = [bufSpikes[0], bufSpikes[count - 1]];
      } else {
        [count, first, last] = regularTrain(drives[i], p, v0, n * dt);
      }
      n_spikes[i] = count;
      rate[i] = rateFromSpikes(count, first, last);
    }
    return { I: currents, rate, n_spikes, duration };
  }

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
    firing_rate: vectorize((p, I, g = 0.0, E_syn = 0.0) => {
      const T = timeToThreshold(p, I, g, E_syn);
      return Number.isFinite(T) ? 1.0 / (p.t_ref + T) : 0.0;
    }),
    /** (R I + E_L - (V_th + V_reset)/2) / (tau (V_th - V_reset)) (Hz), t_ref ignored. */
    firing_rate_asymptote: vectorize(
      (p, I) => (p.R * I + p.E_L - (p.V_th + p.V_reset) / 2) / (p.tau * (p.V_th - p.V_reset)),
    ),
    /** The phase line dV/dt = (V_inf - V) / tau (V/s); with g: (V_inf(g) - V) / tau_eff. */
    dV_dt: vectorize((p, V, I = 0.0, g = 0.0, E_syn = 0.0) =>
      g === 0 ? (steadyState(p, I) - V) / p.tau : (gSteady(p, g, E_syn, I) - V) / gTau(p, g),
    ),
  };

  // ------------------------------------------------------------ waveforms (lif_core.stimulus)

  /** Start times k dt of the steps (s). */
  function time_grid(duration, dt) {
    const n = n_steps(duration, dt);
    const t = new Float64Array(n);
    for (let k = 0; k < n; k++) t[k] = k * dt;
    return t;
  }

  const clip = (x, lo, hi) => Math.min(Math.max(x, lo), hi);

  const stimulus = {
    time_grid,
    /** amplitude (A or S) on every step. */
    constant(amplitude, duration, dt) {
      checkFinite("amplitude", amplitude);
      return new Float64Array(n_steps(duration, dt)).fill(amplitude);
    },
    /** amplitude on [onset, onset + width); a partly covered step gets its covered fraction. */
    pulse(amplitude, onset, width, duration, dt) {
      checkFinite("amplitude", amplitude);
      checkFinite("onset", onset);
      checkRange("onset", onset, { low: 0, unit: "s" });
      if (width !== Infinity) {
        checkFinite("width", width);
        checkRange("width", width, { low: 0, lowOpen: true, unit: "s" });
      }
      const t = time_grid(duration, dt);
      const off = onset + width;
      return t.map((tk) => (amplitude * (clip(tk + dt, onset, off) - clip(tk, onset, off))) / dt);
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
    synaptic_conductance,
  };

  /**
   * Conductance (S) of presynaptic events at spike_times (s), at the start of each step:
   * exponential g_max exp(-(t - t_s)/tau_syn) or alpha g_max (t - t_s)/tau_syn
   * exp(1 - (t - t_s)/tau_syn), for t >= t_s, over 20 tau_syn; events add.
   */
  function synaptic_conductance(spike_times, g_max, tau_syn, duration, dt, kind = "exponential") {
    checkFinite("g_max", g_max);
    checkRange("g_max", g_max, { low: 0, unit: "S" });
    checkFinite("tau_syn", tau_syn);
    checkRange("tau_syn", tau_syn, { low: 0, lowOpen: true, unit: "s" });
    if (kind !== "exponential" && kind !== "alpha") {
      throw new Error(`kind = ${reprValue(kind)} is not known (allowed: 'exponential' or 'alpha')`);
    }
    const spikes = isList(spike_times) ? spike_times : [spike_times];
    checkFinite("spike_times", spikes);
    const t = time_grid(duration, dt);
    const n = t.length;
    const g = new Float64Array(n);
    const window = Math.ceil((20 * tau_syn) / dt) + 1;
    const alpha = kind === "alpha";
    const decay = Math.exp(-dt / tau_syn);
    for (const t_s of spikes) {
      if (!(t_s >= 0 && t_s < t[n - 1] + dt)) continue;
      const start = Math.ceil(t_s / dt - 1e-9); // first grid point at or after the spike
      const stop = Math.min(start + window, n);
      let e = 0.0;
      for (let k = start; k < stop; k++) {
        const s = (t[k] - t_s) / tau_syn;
        // exp(-s): computed every 32 steps, by the one-step decay in between (~1e-14 relative)
        e = (k - start) % 32 === 0 ? Math.exp(-s) : e * decay;
        g[k] += alpha ? s * Math.E * e : e;
      }
    }
    for (let k = 0; k < n; k++) g[k] = g_max * g[k];
    return g;
  }

  // ------------------------------------------------------------ drawing (lif_figures.style)

  const MAX_POINTS = 1500;
  const HALF_POINTS = 800;

  /** Indices downsample() keeps: each bucket's min and max, in time order (Int32Array). */
  function downsample_indices(y, max_points = MAX_POINTS) {
    const n = y.length;
    if (n <= max_points) return Int32Array.from({ length: n }, (_, i) => i);
    const buckets = Math.floor(max_points / 2);
    const step = n / buckets; // numpy's linspace(0, n, buckets + 1).astype(int)
    const keep = new Int32Array(2 * buckets);
    let m = 0;
    for (let b = 0; b < buckets; b++) {
      const lo = Math.trunc(b * step);
      const hi = b + 1 === buckets ? n : Math.trunc((b + 1) * step);
      let iMin = lo, iMax = lo; // numpy's argmin / argmax: the first extreme (or NaN)
      for (let i = lo + 1; i < hi && y[iMin] === y[iMin]; i++) if (!(y[i] >= y[iMin])) iMin = i;
      for (let i = lo + 1; i < hi && y[iMax] === y[iMax]; i++) if (!(y[i] <= y[iMax])) iMax = i;
      const first = Math.min(iMin, iMax), second = Math.max(iMin, iMax);
      if (m === 0 || first !== keep[m - 1]) keep[m++] = first;
      if (second !== keep[m - 1]) keep[m++] = second;
    }
    return keep.slice(0, m);
  }

  /** Values of a list at the given indices (Float64Array). */
  const take = (values, indices) => Float64Array.from(indices, (i) => values[i]);

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

  const each = (x, f) => (isList(x) ? Float64Array.from(x, f) : f(x));
  /** value (in unit) to SI. */
  const to_si = (x, unit) => { const c = factor(unit); return each(x, (v) => v * c); };
  /** SI value to unit. */
  const from_si = (x, unit) => { const c = factor(unit); return each(x, (v) => v / c); };
  /** lif_figures.style.rounded: values already in unit, rounded to DECIMALS[unit] (half even). */
  function rounded(x, unit) {
    const c = 10 ** DECIMALS[unit];
    return each(x, (v) => roundHalfEven(v * c) / c);
  }

  return Object.freeze({
    params, DEFAULTS, simulate, fi_curve, n_steps, theory: Object.freeze(theory),
    stimulus: Object.freeze(stimulus), downsample, downsample_indices, even_indices, take,
    MAX_POINTS, HALF_POINTS, MAX_SPIKES_PER_STEP, UNITS, DECIMALS, to_si, from_si, rounded,
    SimulationResult, _repr: repr, _formatG: formatG,
  });
})();

globalThis.LIFEngine = LIFEngine;
if (typeof module !== "undefined" && module.exports) module.exports = LIFEngine;
