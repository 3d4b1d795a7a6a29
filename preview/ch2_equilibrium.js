// Chapter 2 preview: the passive membrane released from several potentials under a constant
// current (lif_core.analysis.membrane.relaxation_experiment), drawn as
// lif_figures.membrane.phase_line_figure ("phase") and relaxation_figure ("relax").
// Inputs: the sidebar neuron and I (A); fixed: the starting potentials (V) Python used.
(() => {
  const E = globalThis.LIFEngine;
  const U = globalThis.LIFPreviewUtil;
  const COLORS = { V: "#0072B2", theory: "#E69F00", reset: "#999999" };

  function compute(inp, fixed) {
    const p = LIFLive.neuron(inp);
    const I = inp.I;
    const tau = p.tau;
    const V_inf = p.E_L + p.R * I; // theory.steady_state
    const starts = Float64Array.from(fixed.starts);
    const lo = Math.min(Math.min(...starts), V_inf) - 10e-3;
    const hi = Math.max(Math.max(...starts), V_inf) + 10e-3;
    const V_grid = U.linspace(lo, hi, 201);
    const dVdt = V_grid.map((V) => (V_inf - V) / tau); // tau dV/dt = V_inf - V
    const duration = Math.max(5 * tau, 5e-3);
    const dt = duration / 2000; // exact integration: the step only sets the sampling
    const runs = Array.from(starts, (V0) =>
      E.simulate(p, { I, duration, dt, V0, spiking: false }),
    );
    return {
      p, I, V_inf, V_grid, dVdt, starts,
      dVdt_starts: starts.map((V) => (V_inf - V) / tau),
      t: runs[0].t,
      V: runs.map((r) => r.V),
    };
  }

  const mV = (x) => (typeof x === "number" ? E.from_si(x, "mV") : U.fromSI(x, "mV"));
  const ms = (x) => (typeof x === "number" ? E.from_si(x, "ms") : U.fromSI(x, "ms"));
  // membrane._rate_display: V/s -> mV/ms
  const rate = (x) => U.fromSI(x.map((v) => v * E.to_si(1.0, "ms")), "mV");

  function phase(rec, inputs, fixed, figure) {
    const x = mV(rec.V_grid);
    const v_inf = mV(rec.V_inf);
    const e_l = mV(rec.p.E_L);
    // flow arrows on the V axis, pointing towards the fixed point
    const span = x[x.length - 1] - x[0];
    const length = span / 14;
    const arrows = [];
    for (const xa of U.linspace(x[0] + span / 16, x[x.length - 1] - span / 16, 8)) {
      const gap = xa - v_inf;
      if (Math.abs(gap) < 1.2 * length || Math.abs(xa - e_l) < 0.8 * length) continue;
      const direction = gap > 0 ? -1.0 : 1.0;
      arrows.push({
        x: xa + (direction * length) / 2, y: 0.0, text: "", showarrow: true, xref: "x", yref: "y",
        ax: xa - (direction * length) / 2, ay: 0.0, axref: "x", ayref: "y",
        arrowhead: 2, arrowsize: 1.3, arrowwidth: 3, arrowcolor: COLORS.theory,
      });
    }
    const data = [
      U.trace(figure, "dV/dt", null, {
        x: U.rounded(x, "mV"),
        y: U.rounded(rate(rec.dVdt), "mV/ms"),
      }),
      U.trace(figure, "stable fixed point", null, {
        x: [v_inf], y: [0.0], name: U.minus(`stable fixed point V∞ = ${U.fixed(v_inf, 1)} mV`),
      }),
    ];
    if (Math.abs(rec.V_inf - rec.p.E_L) > 1e-6) {
      data.push(
        U.trace(
          figure,
          "E_L = ",
          {
            type: "scatter", mode: "markers",
            marker: { color: "rgba(0,0,0,0)", size: 16, line: { color: COLORS.reset, width: 3 } },
          },
          { x: [e_l], y: [0.0], name: U.minus(`E_L = ${U.fixed(e_l, 0)} mV (rest at I = 0)`) },
        ),
      );
    }
    data.push(
      U.trace(figure, "starting points", null, { x: mV(rec.starts), y: rate(rec.dVdt_starts) }),
    );
    const margin = U.legendMargin(data, figure.layout, U.HALF_WIDTH);
    return { data, layout: { annotations: arrows, margin } };
  }

  function relax(rec, inputs, fixed, figure) {
    const idx = E.even_indices(rec.t.length, E.HALF_POINTS);
    const x = U.rounded(ms(U.take(rec.t, idx)), "ms");
    const sims = figure.data.filter((tr) => tr.name === "simulated V(t)");
    const data = rec.V.map((V, i) => ({ ...sims[i], x, y: U.rounded(mV(U.take(V, idx)), "mV") }));
    const v_inf = mV(rec.V_inf);
    const t_end = ms(rec.t[rec.t.length - 1]);
    data.push(
      U.trace(figure, "fixed point", null, {
        x: [ms(rec.t[0]), t_end],
        y: [v_inf, v_inf],
        name: U.minus(`fixed point V∞ = E_L + R·I = ${U.fixed(v_inf, 1)} mV`),
      }),
    );
    // the dotted line at t = tau (always in the window: it lasts max(5 tau, 5 ms))
    const tau_ms = ms(rec.p.tau);
    const shown = tau_ms <= t_end;
    const layout = figure.layout;
    return {
      data,
      layout: {
        shapes: shown ? [{ ...layout.shapes[0], x0: tau_ms, x1: tau_ms }] : [],
        annotations: shown ? [{ ...layout.annotations[0], x: tau_ms }] : [],
        margin: U.legendMargin(data, layout, U.HALF_WIDTH),
      },
    };
  }

  LIFLive.recipe("relaxation", { compute, views: { phase, relax } });
})();
