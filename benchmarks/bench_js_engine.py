"""Speed of lif_engine.js under Node, and its agreement with lif_core. Prints tables; not a test.

    python benchmarks/bench_js_engine.py [--repeat 200] [--cases 1000]

Speed: each case runs ``repeat`` times in one Node process after 30 warm-up runs (so V8 has
compiled it, as during a drag); the table shows the median and the fastest run, and the
throughput in steps per millisecond. The engine is loaded as the browser loads it
(``tests/js/load_engine.js``: lif_engine.js + lif_engine_draw.js). Inputs that a preview
receives as data (a Poisson train) are made in Python; the waveforms the engine computes itself
(pulse, conductances) are timed apart. Agreement: ``cases`` hypothesis-generated simulations
(and a quarter as many f–I curves, closed forms and refused inputs) compared with lif_core
(``tests/js/engine_cases.py``).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lif_core import stimulus  # noqa: E402
from tests.js.engine_cases import Agreement, check_pairs, find_node, generated_pairs  # noqa: E402

# One case: [label, steps per run, function body returning nothing]. `E` is LIFEngine, `D` the
# data from Python, `P` the Dayan & Abbott neuron (t_ref = 2 ms), `P0` the same with t_ref = 0,
# `G` chapter 1's neuron of the tests (tau = 8 ms), dt = 0.1 ms.
CASES = [
    ("exact step, constant current, 1 s", 10_000, "E.simulate(P, {I: 2e-9, duration: 1})"),
    (
        "exact step, current per step (pulse), 1 s",
        10_000,
        "E.simulate(P, {I: D.pulse, duration: 1})",
    ),
    (
        "chapter 1: pulse + passive run, 80.07 ms (off the grid, 801 steps)",
        801,
        "E.simulate(G, {I: E.stimulus.pulse(2e-9, 0.01005, 0.03002, 0.08007, 1e-4),"
        " duration: 0.08007, spiking: false}).I_C",
    ),
    (
        "exact step, two conductances + current, 1 s",
        10_000,
        "E.simulate(P, {I: 1e-9, g_syn: [D.gE, D.gI], E_syn: [0, -0.08], duration: 1})",
    ),
    (
        "  ... and I_R, I_C, I_syn",
        10_000,
        "const r = E.simulate(P, {I: 1e-9, g_syn: [D.gE, D.gI], E_syn: [0, -0.08], duration: 1});"
        " r.I_C;",
    ),
    (
        "chapter 5 frame: step means of 400 events + simulate, 1 s",
        10_000,
        "E.simulate(P, {I: 1.2e-9, g_syn: E.stimulus.synaptic_conductance(D.trainX, 6e-9, 5e-3,"
        " 1, 1e-4), E_syn: 0, duration: 1})",
    ),
    (
        "  ... the same events exact (SynapticConductance, sub-steps)",
        10_000,
        "E.simulate(P, {I: 1.2e-9, g_syn: E.stimulus.SynapticConductance(D.trainX, 6e-9, 5e-3),"
        " E_syn: 0, duration: 1})",
    ),
    ("forward Euler, constant current, 1 s", 10_000, "E.simulate(P, {I: 2e-9, method: 'euler'})"),
    (
        "f–I, 41 currents × 0.5 s (chapter 4)",
        41 * 5_000,
        "E.fi_curve(P, D.currents, {duration: 0.5})",
    ),
    (
        "  ... stepped (the exact step, no closed form)",
        41 * 5_000,
        "E.fi_curve(P, D.currents, {duration: 0.5, stepped: true})",
    ),
    (
        "f–I, 41 × 0.5 s, t_ref = 0",
        41 * 5_000,
        "E.fi_curve(P0, D.currents, {duration: 0.5})",
    ),
    (
        "f–I, 3 × 31 currents × 0.5 s, 20 nS (chapter 6)",
        93 * 5_000,
        "for (const E_syn of [-0.065, -0.08, 0]) "
        "E.fi_curve(P, D.currents31, {duration: 0.5, g_syn: 20e-9, E_syn})",
    ),
    (
        "  ... stepped",
        93 * 5_000,
        "for (const E_syn of [-0.065, -0.08, 0]) "
        "E.fi_curve(P, D.currents31, {duration: 0.5, g_syn: 20e-9, E_syn, stepped: true})",
    ),
    (
        "f–I, 31 currents × 0.5 s, g_syn per current",
        31 * 5_000,
        "E.fi_curve(P, D.currents31, {duration: 0.5, g_syn: D.g31, E_syn: -0.065})",
    ),
    (
        "closed forms: f, df/dI, T over 31 currents",
        31,
        "E.theory.firing_rate(P, D.currents31); E.theory.firing_rate_slope(P, D.currents31);"
        " E.theory.time_to_threshold(P, D.currents31)",
    ),
    (
        "waveforms: pulse + step means of 800 and 200 events, 1 s",
        3 * 10_000,
        "E.stimulus.pulse(2e-9, 0.1, 0.3, 1, 1e-4);"
        " E.stimulus.synaptic_conductance(D.trainE, 3e-9, 5e-3, 1, 1e-4);"
        " E.stimulus.synaptic_conductance(D.trainI, 4e-9, 10e-3, 1, 1e-4, 'alpha')",
    ),
    ("downsample 10 000 → 1500 points", 10_000, "E.downsample(D.t, D.V, 1500)"),
]

SCRIPT = r"""
const { performance } = require("perf_hooks");
const E = require(process.argv[1]);
const input = JSON.parse(require("fs").readFileSync(0, "utf8"));
const D = {};
for (const [k, v] of Object.entries(input.data)) D[k] = Float64Array.from(v);
const P = E.params({});
const P0 = E.params({ t_ref: 0 });
const G = E.params({ C: 0.8e-9, E_L: -0.07 });
D.pulse = E.stimulus.pulse(2e-9, 0.1, 0.3, 1, 1e-4);
D.gE = E.stimulus.synaptic_conductance(D.trainE, 3e-9, 5e-3, 1, 1e-4);
D.gI = E.stimulus.synaptic_conductance(D.trainI, 4e-9, 10e-3, 1, 1e-4, "alpha");
const trace = E.simulate(P, { I: 2e-9 });
D.t = trace.t;
D.V = trace.V;
const out = [];
for (const [label, body] of input.cases) {
  const f = new Function("E", "D", "P", "P0", "G", body);
  for (let i = 0; i < 30; i++) f(E, D, P, P0, G);
  const times = [];
  for (let i = 0; i < input.repeat; i++) {
    const t0 = performance.now();
    f(E, D, P, P0, G);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  out.push([label, times[Math.floor(times.length / 2)], times[0]]);
}
process.stdout.write(JSON.stringify(out));
"""


def speed_table(node: str, repeat: int) -> None:
    """Time every case in one Node process and print the table."""
    currents = [i * 5e-9 / 40 for i in range(41)]
    data = {
        "trainE": stimulus.poisson_spike_train(800, 1.0, seed=1).tolist(),
        "trainI": stimulus.poisson_spike_train(200, 1.0, seed=2).tolist(),
        "trainX": stimulus.poisson_spike_train(400, 1.0, seed=3).tolist(),
        "currents": currents,
        "currents31": [i * 8e-9 / 30 for i in range(31)],
        "g31": [i * 40e-9 / 30 for i in range(31)],
    }
    payload = json.dumps(
        {"data": data, "cases": [[label, body] for label, _, body in CASES], "repeat": repeat}
    )
    proc = subprocess.run(
        [node, "-e", SCRIPT, str(ROOT / "tests" / "js" / "load_engine.js")],
        input=payload,
        capture_output=True,
        text=True,
        check=True,
    )
    rows = json.loads(proc.stdout)
    print(f"\n## Speed (median and fastest of {repeat} runs, after 30 warm-up runs)\n")
    print("| case | steps | median (ms) | fastest (ms) | steps / ms (median) |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for (label, median, fastest), (_, steps, _) in zip(rows, CASES, strict=True):
        rate = steps / median if median > 0 else float("inf")
        print(f"| {label} | {steps:,} | {median:.3f} | {fastest:.3f} | {rate:,.0f} |")


def agreement_table(n: int) -> None:
    """Compare ``n`` generated simulations (and n/4 of the other kinds) with lif_core."""
    t0 = time.perf_counter()
    groups = generated_pairs(n_sim=n, n_fi=max(1, n // 4), n_theory=max(1, n // 40), n_bad=n // 4)
    print(f"\n## Agreement with lif_core ({time.perf_counter() - t0:.0f} s to generate)\n")
    print(
        "| kind | pairs | agree | refused by both | warned by both | spikes | max abs ΔV (V) "
        "| max abs Δt_spike (s) | max rate diff (rel.) | max closed-form diff (rel.) |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for kind, pairs in groups.items():
        a = Agreement()
        failures = check_pairs(pairs, a)
        print(
            f"| {kind} | {len(pairs)} | {len(pairs) - len(failures)} | {a.refused} | {a.warned} "
            f"| {a.spikes} "
            f"| {a.max_dV:.1e} | {a.max_dspike:.1e} | {a.max_drate:.1e} | {a.max_rel:.1e} |"
        )
        for line in failures[:5]:
            print(f"  - {line[:400]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=200, help="timed runs per case")
    parser.add_argument("--cases", type=int, default=1000, help="generated simulations (0: skip)")
    args = parser.parse_args()
    node = find_node()
    if node is None:
        sys.exit("Node is not installed (apt-get install nodejs)")
    version = subprocess.run([node, "--version"], capture_output=True, text=True).stdout.strip()
    print(f"Node {version}, load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    speed_table(node, args.repeat)
    if args.cases:
        agreement_table(args.cases)


if __name__ == "__main__":
    main()
