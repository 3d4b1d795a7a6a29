// LIF Lab's browser engine: lif_core for one neuron, in plain JavaScript (no dependencies).
//
// For live previews: a chart recomputes its traces while a slider is dragged, then draws them
// with Plotly.react. It mirrors lif_core (SI units inside, Float64Array outputs):
//   LIFEngine.params(p)                  LIFParams: the same limits, the same messages
//   LIFEngine.simulate(p, options)       simulate(): the exact step, or forward Euler
//   LIFEngine.fi_curve(p, I, options)    fi_curve(): rate = 1 / mean ISI, g_syn per current
//   LIFEngine.n_steps(duration, dt)      ceil(duration / dt), the last step may be shorter
//   LIFEngine.theory.*                   lif_core.theory's closed forms, and dV/dt
//   LIFEngine.stimulus.*                 the deterministic waveforms of lif_core.stimulus,
//                                        step-mean conductances and SynapticConductance
//   LIFEngine.downsample / even_indices  lif_figures.style: the same points as the figures
//   LIFEngine.from_si / rounded          lif_core.units and lif_figures.style.rounded
// Names follow the Python ones (snake_case), so each call maps to one in lif_core. Bad input
// throws an Error whose message equals lif_core's ValueError message. A warning lif_core
// gives (forward Euler unstable) is in the result's `warnings`, word for word. Random inputs
// (Poisson trains, noise) are never drawn here: Python sends them as data.
//
// Time grid: ceil(duration / dt) steps starting at k dt (a duration within 1e-9 relative of a
// multiple of dt is that multiple); when duration is off the grid the last step is shorter and
// ends at duration, and every waveform uses each step's own length, as lif_core does.
// Synaptic input: stimulus.synaptic_conductance gives each step's exact mean conductance (what
// chapters 5 and 6 simulate); stimulus.SynapticConductance (exact events) can be passed as
// g_syn, and is then integrated on 16 sub-steps inside the steps where the neuron crosses
// threshold or leaves refractoriness, like lif_core. Mirrored because it is small (~100 lines)
// and cheap: ~1 µs per spike on top of the step means (benchmarks/bench_js_engine.py).
//
// Two files, one engine (each stays readable): lif_engine.js (this file: Python-style numbers,
// checks, parameters, the time grid, the integrators, simulate, fi_curve) and
// lif_engine_draw.js (theory, stimulus with the synaptic kernels, downsampling, display
// units), which completes and freezes LIFEngine. Both are scripts, not ES modules, loaded in
// this order: concatenated (lif_engine.js + lif_engine_draw.js, then the other shared
// scripts: one ES module, the page's lif_lab_scripts element; lab_chart.py), or as two
// <script> tags. The tests load them the same
// way under Node (tests/js/load_engine.js concatenates ENGINE_FILES; tests/test_js_engine.py).

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

  // numpy's shape of a number or (nested) list, as Python prints it: "()", "(3,)", "(2, 3)".
  function shapeOf(v) {
    const dims = [];
    for (let x = v; isList(x); x = x[0]) dims.push(x.length);
    return dims.length === 1 ? `(${dims[0]},)` : `(${dims.join(", ")})`;
  }

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

  // ------------------------------------------------------------ time grid (lif_core._grid)

  const GRID_RTOL = 1e-9; // duration / dt this close to a whole number n is n steps

  /** Number of steps: ceil(duration / dt), or n if duration is within 1e-9 relative of n dt. */
  function n_steps(duration, dt) {
    checkFinite("duration", duration);
    checkFinite("dt", dt);
    checkRange("dt", dt, { low: 0, lowOpen: true, unit: "s" });
    checkRange("duration", duration, { low: 0, lowOpen: true, unit: "s" });
    if (dt > duration * (1 + GRID_RTOL)) {
      throw new Error(
        `dt = ${repr(dt)} s is longer than duration = ${repr(duration)} s ` +
          "(allowed: dt <= duration)",
      );
    }
    const ratio = duration / dt;
    const whole = roundHalfEven(ratio);
    if (Math.abs(ratio - whole) <= GRID_RTOL * Math.max(whole, 1)) return Math.max(1, whole);
    return Math.ceil(ratio);
  }

  /** Where the last step ends (s): n dt, or duration if that is shorter. */
  const end_time = (duration, dt, n) => Math.min(duration, n * dt);

  // ------------------------------------------------------------ inputs (lif_core.simulation)

  // An input as a number (constant) or a Float64Array with one value per step.
  function asInput(name, value, n) {
    checkFinite(name, value);
    if (!isList(value)) return asNumber(name, value);
    if (value.length !== n) {
      throw new Error(
        `${name} has ${value.length} values but the simulation has ${n} time steps ` +
          "(ceil(duration / dt)); give one value per step, or shape (n_neurons, 1) for one " +
          "constant per neuron",
      );
    }
    return value instanceof Float64Array ? value : Float64Array.from(value);
  }

  // A stimulus.SynapticConductance (lif_engine_draw.js): presynaptic events, known exactly.
  const isExact = (g) => g !== null && typeof g === "object" && typeof g.on_grid === "function";

  // Synapses as lists of inputs and reversal potentials, and the exact ones on the grid (by
  // index). With E_syn a number, g_syn is one synapse (a number, one value per step, or a
  // SynapticConductance); with E_syn an Array, g_syn is an Array with one entry per synapse.
  function synapses(g_syn, E_syn, n, duration, dt) {
    if (g_syn === undefined && E_syn === undefined) return [[], [], []];
    const manyE = Array.isArray(E_syn);
    const Es = E_syn === undefined ? [] : manyE ? E_syn : [E_syn];
    const gList = g_syn === undefined ? [] : manyE && Array.isArray(g_syn) ? g_syn : [g_syn];
    if (gList.length !== Es.length) {
      throw new Error(
        `g_syn has ${gList.length} synapses but E_syn has ${Es.length} reversal potentials ` +
          "(give one E_syn per conductance)",
      );
    }
    const gs = [], exact = [];
    for (let i = 0; i < gList.length; i++) {
      const label = gList.length === 1 ? "g_syn" : `g_syn[${i}]`;
      let g;
      if (isExact(gList[i])) {
        exact[i] = gList[i].on_grid(duration, dt);
        g = exact[i].means;
      } else {
        g = asInput(label, gList[i], n);
        checkRange(label, g, { low: 0, unit: "S" });
      }
      checkFinite("E_syn", Es[i]);
      if (isList(Es[i])) {
        throw new Error(`E_syn must be one number per synapse, got shape ${shapeOf(Es[i])}`);
      }
      gs.push(g);
    }
    return [gs, Es.map(Number), exact];
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

  // ------------------------------------------------------------ exact synaptic events

  const SUBSTEPS = 16;
  const MAX_BLOCK_DECAY = 200.0;
  const sub = {
    grid: new Float64Array(SUBSTEPS + 1), h: new Float64Array(SUBSTEPS),
    G: new Float64Array(SUBSTEPS + 1), gt: new Float64Array(SUBSTEPS),
    drv: new Float64Array(SUBSTEPS), vinf: new Float64Array(SUBSTEPS),
    tau: new Float64Array(SUBSTEPS), V: new Float64Array(SUBSTEPS + 1),
  };

  // lif_core's _Drive.substeps for one neuron: from v at t_lo to t_hi (inside step k) on 16
  // sub-steps, each with the exact mean conductance over it (the other inputs are the step's),
  // integrated exactly. Returns the first crossing of V_th (NaN if none); V at t_hi in sub.v.
  function substeps(ctx, k, t_lo, t_hi, v, V_th) {
    const { p, I, gs, Es, exact } = ctx;
    const { grid, h, G, gt, drv, vinf, tau, V } = sub;
    for (let j = 0; j <= SUBSTEPS; j++) grid[j] = t_lo + (t_hi - t_lo) * (j / SUBSTEPS);
    for (let j = 0; j < SUBSTEPS; j++) {
      h[j] = grid[j + 1] - grid[j];
      gt[j] = 1.0 / p.R;
      drv[j] = p.E_L / p.R + (typeof I === "number" ? I : I[k]);
    }
    for (let s = 0; s < gs.length; s++) {
      const E = Es[s];
      if (exact[s]) exact[s].integral(k, grid, G);
      for (let j = 0; j < SUBSTEPS; j++) {
        let g;
        if (exact[s]) {
          g = (G[j + 1] - G[j]) / h[j];
          if (!Number.isFinite(g)) g = 0.0; // h = 0: a remainder of length 0
        } else {
          g = typeof gs[s] === "number" ? gs[s] : gs[s][k];
        }
        gt[j] = gt[j] + g;
        drv[j] = drv[j] + g * E;
      }
    }
    let logP = 0;
    for (let j = 0; j < SUBSTEPS; j++) {
      vinf[j] = drv[j] / gt[j];
      tau[j] = p.C / gt[j];
      logP += -h[j] / tau[j];
    }
    V[0] = v;
    if (logP > -MAX_BLOCK_DECAY) {
      // V = P (v + cumsum((1 - a) V_inf / P)), P the propagator from t_lo (as lif_core)
      let lp = 0, sum = 0;
      for (let j = 0; j < SUBSTEPS; j++) {
        lp += -h[j] / tau[j];
        const P = Math.exp(lp);
        sum += (-Math.expm1(-h[j] / tau[j]) * vinf[j]) / P;
        V[j + 1] = (sum + v) * P;
      }
    } else {
      // a very short tau_eff: one sub-step after the other
      for (let j = 0; j < SUBSTEPS; j++) {
        V[j + 1] = vinf[j] + (V[j] - vinf[j]) * Math.exp(-h[j] / tau[j]);
      }
    }
    sub.v = V[SUBSTEPS];
    for (let j = 0; j < SUBSTEPS; j++) {
      if (!(V[j + 1] >= V_th && vinf[j] > V_th)) continue;
      const vi = vinf[j], vs = V[j];
      const ratio = vs < V_th ? (vs - vi) / (V_th - vi) : 1.0;
      return grid[j] + Math.min(Math.max(tau[j] * Math.log(ratio), 0.0), h[j]);
    }
    return NaN;
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

  // lif_core's steps per block (_block_size): 2048 for up to 4 neurons (1024 or 256 for more,
  // constant input or not), fewer when a block would decay by more than e^-200.
  function blockSize(decay, neurons, n, constant) {
    const k_max = neurons <= 4 ? 2048 : constant ? 1024 : 256;
    return Math.max(1, Math.min(k_max, Math.trunc(200.0 / decay), n));
  }

  // The largest decay dt / tau of a drive (lif_core's _Drive.max_decay).
  function maxDecay(p, gs, dt) {
    let g_max = 1.0 / p.R;
    for (const g of gs) g_max += typeof g === "number" ? g : g.reduce((x, y) => Math.max(x, y));
    return (dt * g_max) / p.C;
  }

  // The input is the same on steps k0 .. k1 - 1 (lif_core's _flat_blocks).
  function sameInput(vinf, tau, k0, k1) {
    for (let q = k0 + 1; q < k1; q++) if (vinf[q] !== vinf[k0] || tau[q] !== tau[k0]) return false;
    return true;
  }

  // The exact step (lif_core's _integrate_exact, one neuron): over each step the input is
  // constant, V relaxes as V_inf + (V - V_inf) exp(-t / tau). A crossing of V_th inside the
  // step happens at t_k + tau ln((V - V_inf) / (V_th - V_inf)); the refractory period ends at
  // t_spike + t_ref inside a step, the rest of which is integrated (it can fire again when
  // t_ref < dt). Every step lasts dt; spikes at or after t_stop (the end of a shorter last
  // step) are dropped, as in lif_core. With exact synaptic events (ctx.exact), the crossing
  // step and the rest of the step after a refractory period are integrated on sub-steps.
  // Times are computed as lif_core computes them, in blocks of K steps (t_k = t0 + j dt,
  // t0 = B K dt), and so is the step in which a refractory period ends (int((ref_end - t0)
  // / dt) in the first block that ends after it): when it ends within round-off of a grid
  // point (t_ref = 0 after a spike at a step's end), both engines take the same branch. In a
  // block whose input is constant (e.g. a last block of one step), lif_core restarts a neuron
  // by the closed-form train with the step's mean conductance, without sub-steps: so does this.
  // V and refr (null: not recorded) get the values at the grid times k dt. Spikes go to
  // bufSpikes; returns their number.
  function integrateExact(d, V_th, V_reset, t_ref, V0, dt, n, t_stop, K, V, refr, ctx = null) {
    const { vinf, tau, a } = d;
    const cv = vinf.length === 1, ca = a.length === 1;
    const V_top = Number.isFinite(V_th) ? below(V_th) : Infinity;
    const exact = ctx !== null && ctx.exact.length > 0;
    const t_block = K * dt;
    let v = V0, count = 0, t0 = 0; // t0: start of the current block
    let ref_end = -Infinity; // end of the refractory period (-inf: free)
    let restart = -1; // the step in which it ends, once known (-1: not yet)
    // the step of this block (at or after j) in which a refractory period ending at ref_end
    // ends, or -1 if it ends in a later block
    const locate = (k, j) => {
      if (!(ref_end < t0 + t_block)) return -1;
      return k - j + Math.max(Math.min(Math.trunc((ref_end - t0) / dt), K - 1), j);
    };
    let flat = false; // the block's input is constant: lif_core restarts by the closed form
    for (let k = 0; k < n; k++) {
      const j = k % K;
      if (j === 0) {
        t0 = (k / K) * t_block;
        if (exact) flat = sameInput(vinf, tau, k, Math.min(k + K, n));
        if (ref_end > -Infinity && restart < 0) {
          if (ref_end <= t0) [ref_end, v] = [-Infinity, V_reset]; // it ended at the block start
          else restart = locate(k, 0);
        }
      }
      const held = ref_end > -Infinity;
      if (V !== null) {
        refr[k] = held ? 1 : 0;
        V[k] = held ? V_reset : v < V_th ? v : V_top;
      }
      if (held && k !== restart) continue;
      const vi = cv ? vinf[0] : vinf[k];
      const ta = cv ? tau[0] : tau[k];
      const t_lo = t0 + j * dt;
      let v_end;
      if (!held) {
        v_end = vi + (v - vi) * (ca ? a[0] : a[k]);
        // a round-off step past V_th whose steady state is not above it is no spike (lif_core)
        if (!(v_end >= V_th && vi > V_th)) {
          v = v_end;
          continue;
        }
      }
      for (let fresh = !held; ; fresh = false) {
        // fresh: the step means cross V_th in this step; else the refractory period ends in it
        let t_spike;
        if (fresh && exact) {
          t_spike = substeps(ctx, k, t_lo, t_lo + dt, v, V_th);
          if (Number.isNaN(t_spike)) t_spike = t_lo + dt; // the means crossed, sub-steps not
        } else if (fresh) {
          const frac = ta * Math.log((v - vi) / (V_th - vi));
          t_spike = t_lo + Math.min(Math.max(frac, 0.0), dt);
        } else if (exact && !flat) {
          t_spike = substeps(ctx, k, ref_end, t0 + (j + 1) * dt, V_reset, V_th);
          if (Number.isNaN(t_spike)) v_end = sub.v;
        } else {
          const rest = Math.max((j + 1) * dt - (ref_end - t0), 0.0);
          v_end = vi + (V_reset - vi) * Math.exp(-rest / ta);
          const frac = ta * Math.log((V_reset - vi) / (V_th - vi));
          const again = v_end >= V_th && vi > V_th;
          t_spike = again ? ref_end + Math.min(Math.max(frac, 0.0), rest) : NaN;
        }
        if (Number.isNaN(t_spike)) {
          [ref_end, restart, v] = [-Infinity, -1, v_end]; // free from the next grid point on
          break;
        }
        if (t_spike < t_stop) count = pushSpike(count, t_spike);
        ref_end = t_spike + t_ref;
        restart = locate(k, j);
        if (restart !== k) break; // held from the next grid point on
      }
    }
    return count;
  }

  // Forward Euler with spikes on the grid (lif_core's _integrate_euler): the teaching
  // comparison. V[k+1] = V[k] + h_k / tau (V_inf - V[k]), h_k = min((k+1) dt, t_stop) - k dt;
  // a spike at the step's end when V[k+1] >= V_th, then V is held at V_reset for
  // round(t_ref / dt) steps.
  function integrateEuler(d, V_th, V_reset, t_ref, V0, dt, n, t_stop, V, refr) {
    const { vinf, tau } = d;
    const cv = vinf.length === 1;
    const hold_steps = roundHalfEven(t_ref / dt);
    let v = V0, hold = 0, count = 0;
    for (let k = 0; k < n; k++) {
      V[k] = v;
      refr[k] = hold > 0 ? 1 : 0;
      const t_next = Math.min((k + 1) * dt, t_stop);
      const h = t_next - k * dt;
      let v_next = cv ? v + (h / tau[0]) * (vinf[0] - v) : v + (h / tau[k]) * (vinf[k] - v);
      if (hold > 0) v_next = V_reset;
      hold = Math.max(hold - 1, 0);
      if (v_next >= V_th) {
        count = pushSpike(count, t_next);
        v_next = V_reset;
        hold = hold_steps;
      }
      v = v_next;
    }
    return count;
  }

  // lif_core's NumericalInstabilityWarning, word for word: forward Euler with dt > 2 tau_eff.
  function eulerWarning(dt, tau_min) {
    if (!(dt > 2 * tau_min)) return null;
    return (
      `dt = ${formatG(dt * 1e3, 4)} ms is more than 2 τ_eff = ${formatG(2 * tau_min * 1e3, 4)} ` +
      "ms: forward Euler is unstable (each step multiplies the distance to the steady state " +
      `by 1 - dt/τ_eff = ${formatG(1 - dt / tau_min, 3)}, so V oscillates with a growing ` +
      "amplitude); use dt < 2 τ_eff, or method='exact'"
    );
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
   * grid), E_syn, dt, n_steps, duration (the end of the last step), method, params, warnings
   * (lif_core's warning messages). Computed when first read: t, I and g_syn (one value per
   * step), I_R, I_C, I_syn (A).
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
   * I (A) and g_syn (S) are numbers or one value per step (g_syn also a SynapticConductance);
   * E_syn (V) a number, or an Array with g_syn an Array of the same length for several
   * synapses. Defaults as lif_core: I = 0, duration = 1 s, dt = 1e-4 s, V0 = E_L (V_reset if
   * E_L >= V_th), "exact", spiking. Returns a SimulationResult.
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
    const [gs, Es, exact] = synapses(g_syn, E_syn, n, duration, dt);
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
    const t_stop = end_time(duration, dt, n);
    const V = new Float64Array(n);
    const refractory = new Uint8Array(n);
    const warnings = [];
    let count;
    if (method === "exact") {
      if (p.t_ref < dt / MAX_SPIKES_PER_STEP) {
        refuseDense(shortestISI(d, V_th, p.V_reset, p.t_ref), dt);
      }
      const ctx = { p, I: I_in, gs, Es, exact };
      const K = blockSize(maxDecay(p, gs, dt), 1, n, false);
      count = integrateExact(d, V_th, p.V_reset, p.t_ref, v0, dt, n, t_stop, K, V, refractory, ctx);
    } else {
      const warning = eulerWarning(dt, d.tau_min);
      if (warning !== null) warnings.push(warning);
      count = integrateEuler(d, V_th, p.V_reset, p.t_ref, v0, dt, n, t_stop, V, refractory);
    }
    return new SimulationResult({
      V, refractory, spike_times: bufSpikes.slice(0, count), E_syn: Es, dt, n_steps: n,
      duration: t_stop, method, params: p, warnings, _I: I_in, _g: gs,
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

  // fi_curve's g_syn or E_syn: a number for all currents, or one value per current.
  function perCurrent(name, value, m) {
    checkFinite(name, value);
    if (!isList(value)) return asNumber(name, value);
    if (value.length !== m || isList(value[0])) {
      throw new Error(
        `${name} has shape ${shapeOf(value)}; allowed: a number, or one value per current, ` +
          `shape (${m},) like I`,
      );
    }
    return value;
  }

  const at = (x, i) => (typeof x === "number" ? x : x[i]);

  /**
   * fi_curve(params, I, {duration, dt, g_syn, E_syn}): the simulated f–I curve.
   * Each current (A) drives the neuron from E_L (V_reset if E_L >= V_th) for duration (s,
   * default 1) with an optional constant conductance g_syn (S) reversing at E_syn (V), each a
   * number or one value per current. Returns {I, rate, n_spikes, duration}: rate (Hz) =
   * (n - 1) / (t_n - t_1), 0 with fewer than two spikes. The exact solution's spike train is
   * counted in closed form (O(1) per current); {stepped: true} runs the exact step instead
   * (the same spikes, for the tests).
   */
  function fi_curve(p, I, options = {}) {
    checkKeys("fi_curve()", options, ["duration", "dt", "g_syn", "E_syn", "stepped"]);
    const { duration = 1.0, dt = 1e-4, g_syn = 0.0, E_syn = 0.0, stepped = false } = options;
    p = params(p);
    if (isList(I) && isList(I[0])) {
      throw new Error(`I must be a 1-D array of currents, got shape ${shapeOf(I)}`);
    }
    const currents = Float64Array.from(isList(I) ? I : [I]);
    const m = currents.length;
    const n = n_steps(duration, dt);
    checkFinite("I", I);
    const g = perCurrent("g_syn", g_syn, m);
    checkRange("g_syn", g, { low: 0, unit: "S" });
    const E = perCurrent("E_syn", E_syn, m);
    // like lif_core: with any conductance, every current gets the conductance form
    const anyG = isList(g) ? g.some((x) => x !== 0) : g !== 0;
    const drives = Array.from(currents, (Ik, i) =>
      drive(p, Ik, anyG ? [at(g, i)] : [], [at(E, i)], n, dt),
    );
    if (p.t_ref < dt / MAX_SPIKES_PER_STEP) {
      let worst = Infinity;
      for (const d of drives) worst = Math.min(worst, shortestISI(d, p.V_th, p.V_reset, p.t_ref));
      refuseDense(worst, dt);
    }
    const t_stop = end_time(duration, dt, n);
    const gTop = isList(g) ? g.reduce((x, y) => Math.max(x, y)) : g;
    const K = blockSize(maxDecay(p, anyG ? [gTop] : [], dt), m, n, true); // as lif_core's
    const rate = new Float64Array(m);
    const n_spikes = new Int32Array(m);
    const v0 = defaultV0(p);
    for (let i = 0; i < m; i++) {
      let count, first, last;
      if (stepped) {
        count = integrateExact(drives[i], p.V_th, p.V_reset, p.t_ref, v0, dt, n, t_stop, K, null);
        [first, last] = [bufSpikes[0], bufSpikes[count - 1]];
      } else {
        [count, first, last] = regularTrain(drives[i], p, v0, t_stop);
      }
      n_spikes[i] = count;
      rate[i] = rateFromSpikes(count, first, last);
    }
    return { I: currents, rate, n_spikes, duration };
  }

  // lif_engine_draw.js adds theory, stimulus and the drawing helpers, then freezes the whole.
  return {
    params, DEFAULTS, simulate, fi_curve, n_steps, end_time, MAX_SPIKES_PER_STEP, SUBSTEPS,
    SimulationResult,
    _internal: Object.freeze({
      repr, formatG, reprValue, roundHalfEven, isList, shapeOf, checkFinite, checkRange,
    }),
  };
})();

globalThis.LIFEngine = LIFEngine;
if (typeof module !== "undefined" && module.exports) module.exports = LIFEngine;
