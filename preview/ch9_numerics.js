// Page 9 preview: how the simulator works. The exact propagator (refinements as chosen) and
// forward Euler at the slider's dt over the closed form (lif_core.analysis.numerics
// .trace_comparison, drawn as lif_figures.numerics.method_trace_figure), and the errors of
// every integrator against dt (numerics.error_sweep, drawn as numerics.error_figure).
//
// The engine's runs use LIFEngine.simulate and LIFEngine.fi_curve; the teaching integrator
// (lif_core.analysis.grid_integrator.teaching_run: each refinement switchable, forward Euler
// as the engine runs it) is written out here, step for step as in Python. The sweep depends
// on the neuron and the current only, so it is kept while dt is dragged.
(() => {
  const E = globalThis.LIFEngine;
  const GRID_EPS = 1e-9; // grid_integrator._GRID_EPS
  const TRACE_DURATION = 0.08; // lab_cache_noise.TRACE_DURATION
  const RATE_DURATION = 1.0; // numerics.RATE_DURATION
  const ENGINE_INTERVALS = 10; // numerics.ENGINE_INTERVALS
  const MARK_POINTS = 250; // lif_figures.numerics._MARK_POINTS
  const SPIKE_MV = 6.0; // lif_figures.numerics._SPIKE_MV

  // grid_integrator's integrators: [name, short, update, crossing_inside, refractory_exact]
  const INTEGRATORS = [
    ["exact (both refinements)", "exact (engine)", "exact", true, true],
    ["exact, crossing on the grid", "crossing on grid", "exact", false, true],
    ["exact, refractory end on the grid", "refractory on grid", "exact", true, false],
    ["exact, both on the grid", "both on grid", "exact", false, false],
    ["forward Euler", "Euler", "euler", false, false],
  ].map(([name, short, update, inside, refrExact]) => ({ name, short, update, inside, refrExact }));
  const [ENGINE, , , , EULER] = INTEGRATORS;
  const FIRST_SPIKE = new Set([INTEGRATORS[0].name, INTEGRATORS[1].name, EULER.name]);

  // Python's round() and numpy's rint: halves to the even neighbour.
  function roundHalfEven(x) {
    const r = Math.round(x);
    return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
  }

  // numpy.spacing(x) for x > 0: the distance to the next larger double.
  function spacing(x) {
    const f = new Float64Array([x]);
    const b = new BigInt64Array(f.buffer);
    b[0] += 1n;
    return f[0] - x;
  }

  // numpy.linspace(start, stop, n) (endpoint included, last value exactly stop)
  function linspace(start, stop, n) {
    const out = new Float64Array(n);
    const step = (stop - start) / (n - 1);
    for (let k = 0; k < n; k++) out[k] = k * step + start;
    if (n > 1) out[n - 1] = stop;
    return out;
  }

  // numpy.searchsorted(sorted, x, side)
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

  // numerics._steps: duration rounded up to a whole number of steps dt (s)
  const steps = (duration, dt) => Math.max(1, Math.ceil(duration / dt - GRID_EPS)) * dt;
  const rateOf = (s) => (s.length < 2 ? 0.0 : (s.length - 1) / (s[s.length - 1] - s[0]));
  const firstOf = (s) => (s.length ? s[0] : Infinity);

  // ------------------------------------------------------------------ closed form

  function firstSpikeTheory(p, I) {
    const V_inf = p.E_L + p.R * I;
    const V0 = p.E_L < p.V_th ? p.E_L : p.V_reset;
    if (V_inf <= p.V_th) return Infinity;
    return p.tau * Math.log((V_inf - V0) / (V_inf - p.V_th));
  }

  // numerics.closed_form_trace: the exact V(t), finely sampled, both sides of every reset
  function closedFormTrace(p, I, duration, nPoints = 1200) {
    const { tau, V_th, V_reset, t_ref } = p;
    const V_inf = p.E_L + p.R * I;
    const V0 = p.E_L < V_th ? p.E_L : V_reset;
    const T1 = firstSpikeTheory(p, I);
    let spikes = [];
    if (Number.isFinite(T1)) {
      const period = t_ref + E.theory.time_to_threshold(p, I);
      const count = Math.max(0, Math.ceil((duration - T1) / period));
      for (let k = 0; k < count; k++) spikes.push(T1 + period * k);
      spikes = spikes.filter((s) => s < duration);
    }
    const spikeSet = new Set(spikes);
    const grid = Array.from(linspace(0.0, duration, nPoints));
    for (const s of spikes) grid.push(s + t_ref);
    const t = [...new Set(grid)]
      .sort((a, b) => a - b)
      .filter((x) => x <= duration && !spikeSet.has(x));
    const V = t.map((x) => {
      const k = searchsorted(spikes, x, true);
      const start = k > 0 ? spikes[k - 1] + t_ref : 0.0;
      const vStart = k > 0 ? V_reset : V0;
      return x < start ? V_reset : V_inf + (vStart - V_inf) * Math.exp(-(x - start) / tau);
    });
    const tOut = [];
    const VOut = [];
    let j = 0;
    for (let i = 0; i <= t.length; i++) {
      while (j < spikes.length && (i === t.length || spikes[j] <= t[i])) {
        tOut.push(spikes[j], spikes[j]);
        VOut.push(V_th, V_reset);
        j++;
      }
      if (i < t.length) {
        tOut.push(t[i]);
        VOut.push(V[i]);
      }
    }
    const rate = E.theory.firing_rate(p, I);
    return { t: tOut, V: VOut, spike_times: spikes, rate, first_spike: T1 };
  }

  // ------------------------------------------------------------------ teaching integrator

  // grid_integrator._first_at_or_above
  function firstAtOrAbove(v0, V_inf, a, V_th, nMax) {
    if (nMax < 1) return null;
    const at = (j) => V_inf + a ** j * (v0 - V_inf);
    if (a > 0.0) {
      if (V_inf <= V_th) return null;
      const x = Math.log((V_inf - v0) / (V_inf - V_th)) / -Math.log(a);
      let j = Math.max(1, Math.ceil(x));
      while (j > 1 && at(j - 1) >= V_th) j -= 1;
      while (j <= nMax && at(j) < V_th) j += 1;
      return j <= nMax ? j : null;
    }
    for (let j = 1; j <= nMax; j++) if (V_inf + a ** j * (v0 - V_inf) >= V_th) return j;
    return null;
  }

  // grid_integrator.teaching_run: one neuron, constant current, refinements on or off
  function teachingRun(p, I, dt, duration, integ, record = false) {
    const exact = integ.update === "exact";
    const { tau, V_th, V_reset, t_ref } = p;
    const V_inf = p.E_L + p.R * I;
    const nSteps = Math.max(1, roundHalfEven(duration / dt));
    const a = exact ? Math.exp(-dt / tau) : 1.0 - dt / tau;
    const hold = roundHalfEven(t_ref / dt);
    const inside = integ.inside;
    const chargeTime = (v) =>
      V_inf <= V_th ? Infinity : tau * Math.log((V_inf - v) / (V_inf - V_th));
    const spikes = [];
    const free = [];
    const refr = [];
    let tFree = 0.0;
    let v = p.E_L < V_th ? p.E_L : V_reset;
    let ended = false;
    while (spikes.length <= 10 * nSteps) {
      const g = Math.ceil(tFree / dt - GRID_EPS);
      const rest = g * dt - tFree;
      // a release inside the last step may still cross again before the end (same step)
      const refiresLast = g === nSteps && rest > 0 && inside && chargeTime(v) <= rest;
      if (g >= nSteps && !refiresLast) {
        ended = true;
        break;
      }
      let kSpike = null;
      let tS;
      if (rest > 0) {
        if (inside && chargeTime(v) <= rest) {
          tS = tFree + chargeTime(v);
          kSpike = g;
        } else {
          v = V_inf + (v - V_inf) * Math.exp(-rest / tau);
          if (!inside && v >= V_th) {
            tS = g * dt;
            kSpike = g;
          }
        }
      }
      if (kSpike === null) {
        free.push([g, v]);
        const j = firstAtOrAbove(v, V_inf, a, V_th, nSteps - g);
        if (j === null) {
          ended = true;
          break;
        }
        kSpike = g + j;
        if (inside) {
          tS = g * dt + chargeTime(v);
          tS = Math.min(Math.max(tS, (kSpike - 1) * dt), kSpike * dt);
        } else {
          tS = kSpike * dt;
        }
      }
      spikes.push(tS);
      if (!exact) tFree = kSpike * dt + hold * dt;
      else if (integ.refrExact) tFree = tS + t_ref;
      else tFree = Math.ceil((tS + t_ref) / dt - GRID_EPS) * dt;
      refr.push([kSpike, Math.ceil(tFree / dt - GRID_EPS)]);
      v = V_reset;
    }
    if (!ended) {
      throw new Error(
        `the neuron fires more than 10 spikes per time step dt = ${E._formatG(dt)} s; lower ` +
          `the current or use a refractory period t_ref >= ${E._formatG(dt / 10)} s`,
      );
    }
    const end = nSteps * dt;
    const spikeTimes = spikes.filter((s) => s < end);
    if (!record) return { spike_times: spikeTimes };
    const t = new Float64Array(nSteps);
    for (let k = 0; k < nSteps; k++) t[k] = k * dt;
    const V = new Float64Array(nSteps).fill(V_reset);
    const starts = free.slice().sort((x, y) => x[0] - y[0] || x[1] - y[1]);
    starts.forEach(([g0, v0], i) => {
      let stop = Math.min(i + 1 < starts.length ? starts[i + 1][0] : nSteps, nSteps);
      const after = refr.find(([k0]) => k0 > g0);
      if (after) stop = Math.min(stop, after[0]);
      for (let k = g0; k < stop; k++) V[k] = V_inf + a ** (k - g0) * (v0 - V_inf);
    });
    for (const [k0, k1] of refr) {
      for (let k = k0; k < Math.min(k1, nSteps); k++) V[k] = V_reset;
      if (k0 < nSteps && !inside) V[k0] = V_reset; // reset within the spike's step
    }
    return { spike_times: spikeTimes, t, V };
  }

  // numerics.method_trace (the trace: the rate is a readout, not drawn)
  function methodTrace(p, I, dt, duration, integ) {
    if (integ === ENGINE) {
      const res = E.simulate(p, { I, duration: steps(duration, dt), dt });
      return { integ, t: res.t, V: res.V, spike_times: res.spike_times };
    }
    const run = teachingRun(p, I, dt, steps(duration, dt), integ, true);
    return { integ, t: run.t, V: run.V, spike_times: run.spike_times };
  }

  // ------------------------------------------------------------------ error sweep

  // numpy.geomspace(start, stop, n) for 0 < start < stop
  function geomspace(start, stop, n) {
    const y = linspace(Math.log10(start), Math.log10(stop), n);
    const out = Float64Array.from(y, (v) => 10 ** v);
    out[0] = start;
    out[n - 1] = stop;
    return out;
  }

  // numerics.error_sweep over numerics.default_dts
  function errorSweep(p, I) {
    const top = Math.min(2e-3, p.tau / 5.0);
    const dts = geomspace(top / 2000.0, top, 31);
    const rate0 = E.theory.firing_rate(p, I);
    const T1 = firstSpikeTheory(p, I);
    const rateErr = {};
    const firstErr = {};
    for (const integ of INTEGRATORS) {
      const r = new Float64Array(dts.length).fill(NaN);
      const f = new Float64Array(dts.length).fill(NaN);
      if (rate0 > 0) {
        dts.forEach((dt, k) => {
          let rate;
          let first;
          if (integ === ENGINE) {
            const span = Math.min(RATE_DURATION, T1 + (ENGINE_INTERVALS + 1) / rate0);
            rate = E.fi_curve(p, [I], { duration: steps(span, dt), dt }).rate[0];
            const res = E.simulate(p, { I, duration: steps(T1 + 2 * dt, dt), dt });
            first = firstOf(res.spike_times);
          } else {
            const run = teachingRun(p, I, dt, steps(RATE_DURATION, dt), integ);
            rate = rateOf(run.spike_times);
            first = firstOf(run.spike_times);
          }
          r[k] = Math.abs(rate - rate0);
          f[k] = Math.abs(first - T1);
        });
      }
      rateErr[integ.name] = r;
      if (FIRST_SPIKE.has(integ.name)) firstErr[integ.name] = f;
    }
    return {
      dt: dts,
      rate_theory: rate0,
      rate_error: rateErr,
      first_spike_error: firstErr,
      rate_floor: rate0 > 0 ? spacing(rate0) : NaN,
      first_spike_floor: Number.isFinite(T1) ? spacing(T1) : NaN,
    };
  }

  // ------------------------------------------------------------------ compute

  // The sweep depends on the neuron and the current only: kept while dt is dragged.
  let sweepKey = null;
  let sweepValue = null;
  function sweepFor(p, I) {
    const key = JSON.stringify([p, I]);
    if (key !== sweepKey) {
      sweepValue = errorSweep(p, I);
      sweepKey = key;
    }
    return sweepValue;
  }

  function compute(inp, fixed) {
    const p = LIFLive.neuron(inp);
    const { I, dt } = inp;
    const integ =
      INTEGRATORS.slice(0, 4).find(
        (x) => x.inside === fixed.crossing_inside && x.refrExact === fixed.refractory_exact,
      );
    let traces = null;
    let sweep = null;
    return {
      p,
      I,
      dt,
      // numerics.trace_comparison, computed when a trace chart asks for it
      get traces() {
        if (traces === null) {
          traces = {
            exact: methodTrace(p, I, dt, TRACE_DURATION, integ),
            euler: methodTrace(p, I, dt, TRACE_DURATION, EULER),
            theory: closedFormTrace(p, I, steps(TRACE_DURATION, dt)),
          };
        }
        return traces;
      },
      get sweep() {
        if (sweep === null) sweep = sweepFor(p, I);
        return sweep;
      },
    };
  }

  // ------------------------------------------------------------------ drawing

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

  function spikeMarks(times, V_th_mV) {
    const x = [];
    const y = [];
    for (const s of times) {
      const m = ms(s);
      x.push(m, m, NaN);
      y.push(V_th_mV, V_th_mV + SPIKE_MV, NaN);
    }
    return { x, y };
  }

  // lif_figures.numerics.method_trace_figure with trace_y_range shared by both charts
  function traceView(which) {
    return (rec) => {
      const { p } = rec;
      const { theory } = rec.traces;
      const trace = rec.traces[which];
      const V_th_mV = mV(p.V_th);
      const tEnd = ms(theory.t[theory.t.length - 1]);
      const ds = E.downsample(ms(trace.t), mV(trace.V), E.MAX_POINTS);
      const few = trace.t.length <= MARK_POINTS;
      const lo = mV(Math.min(...theory.V)) - 3.0;
      const hi = V_th_mV + SPIKE_MV + 2.0;
      return {
        traces: {
          "closed form": { x: ms(theory.t), y: mV(theory.V) },
          [trace.integ.short]: { x: ds.x, y: ds.y, mode: few ? "lines+markers" : "lines" },
          "closed-form spikes": spikeMarks(theory.spike_times, V_th_mV),
          spikes: spikeMarks(trace.spike_times, V_th_mV),
          "threshold V_th": { x: [0.0, tEnd], y: [V_th_mV, V_th_mV] },
        },
        annotations: { 0: { x: 0.0, y: V_th_mV } },
        layout: { range: [lo, hi] },
      };
    };
  }

  // lif_figures.numerics._log_range
  function logRange(values) {
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of values) {
      if (Number.isFinite(v) && v > 0) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
    if (!(lo <= hi)) return [-1.0, 1.0];
    return [Math.log10(lo) - 0.2, Math.log10(hi) + 0.2];
  }

  // lif_figures.numerics.error_figure (kind "rate" or "first_spike", dt marked)
  function errorView(kind) {
    return (rec, inp, fixed, figure) => {
      const { sweep } = rec;
      let errors;
      let floor;
      if (kind === "rate") {
        errors = sweep.rate_error;
        floor = sweep.rate_floor;
      } else {
        errors = {};
        for (const [k, v] of Object.entries(sweep.first_spike_error)) errors[k] = ms(v);
        floor = ms(sweep.first_spike_floor);
      }
      const x = ms(sweep.dt);
      const traces = {};
      const drawn = [];
      for (const integ of INTEGRATORS) {
        if (!(integ.name in errors)) continue;
        // numpy.maximum: nan stays nan
        const y = Array.from(errors[integ.name], (e) => (Number.isNaN(e) ? e : Math.max(e, floor)));
        drawn.push(...y);
        traces[integ.short] = { x, y };
      }
      let [yLo, yHi] = logRange([...drawn, floor]);
      yLo -= 1.0;
      traces["round-off"] = { x: [x[0], x[x.length - 1]], y: [floor, floor] };
      const m = ms(rec.dt);
      traces["dt on the slider"] = { x: [m, m], y: [10 ** yLo, 10 ** yHi] };
      const L = figure.layout;
      return {
        traces,
        annotations: {
          0: { x: Math.log10(x[0]), y: Math.log10(floor) },
          1: { x: Math.log10(m) },
        },
        layout: {
          xaxis: { ...L.xaxis, range: logRange(x) },
          yaxis: { ...L.yaxis, range: [yLo, yHi], dtick: yHi - yLo > 8 ? 2 : 1 },
        },
      };
    };
  }

  // the y range of the trace charts goes to the y axis (kept with the figure's other props)
  function withAxis(view) {
    return (rec, inp, fixed, figure) => {
      const patch = view(rec, inp, fixed, figure);
      const { range } = patch.layout;
      patch.layout = {
        xaxis: { ...figure.layout.xaxis, range: [0.0, patch.traces["threshold V_th"].x[1]] },
        yaxis: { ...figure.layout.yaxis, range },
      };
      return patch;
    };
  }

  LIFLive.recipe("numerics", {
    compute,
    views: {
      exact: withAxis(traceView("exact")),
      euler: withAxis(traceView("euler")),
      rate_error: errorView("rate"),
      first_error: errorView("first_spike"),
    },
  });
})();
