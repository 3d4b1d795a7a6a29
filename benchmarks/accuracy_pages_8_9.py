"""Accuracy behind chapter 8 and the numerics page. Prints tables; not a test.

    python benchmarks/accuracy_pages_8_9.py [--trials 200] [--duration 2]

1. Noise: simulated rate and CV (``--trials`` trials of ``--duration`` s, dt = 0.1 ms, one
   simulate pass per row) against the Siegert rate with the Fourcaud–Brunel correction and
   the white-noise CV at the shifted bounds, at several (mean current, sigma_V, tau_s); also
   the white-noise rate with the same sigma_V (the tau_s -> 0 limit). Errors in % of theory,
   "z" in standard errors of the simulation. Default neuron (tau = 10 ms).
2. Numerics: log–log slopes of the rate and first-spike errors against dt (31 steps from
   1 µs to 2 ms) for every integrator, the engine's largest errors, and the largest rate
   error of a clock-driven simulator (both roundings) at dt = 0.1 ms, t_ref = 2.05 ms.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from lif_core import LIFParams, noise, theory
from lif_core.analysis import noise as an
from lif_core.analysis import numerics as nm

P = LIFParams()
POINTS = [(1.2e-9, 3e-3), (0.8e-9, 4e-3), (1.8e-9, 2e-3), (2.5e-9, 1e-3)]
TAUS = [0.2e-3, 0.5e-3, 1e-3, 2e-3, 5e-3]


def noise_table(trials: int, duration: float) -> None:
    print(
        "| I (nA) | σ_V (mV) | τ_s (ms) | rate sim (Hz) | FB theory | error | z | white σ_V | "
        "CV sim | CV theory | error | z |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for I, s in POINTS:
        white = noise.firing_rate(P, I, s)
        for ts in TAUS:
            tr = an.noisy_trials(P, I, s, ts, n_trials=trials, duration=duration, seed=7)
            st = tr.stats
            err = 100 * (st.rate / tr.rate_theory - 1)
            z = (st.rate - tr.rate_theory) / st.rate_se
            cerr = 100 * (st.cv / tr.cv_theory - 1)
            cz = (st.cv - tr.cv_theory) / st.cv_se
            print(
                f"| {I * 1e9:.1f} | {s * 1e3:.0f} | {ts * 1e3:.1f} | {st.rate:.2f} ± "
                f"{st.rate_se:.2f} | {tr.rate_theory:.2f} | {err:+.1f} % | {z:+.1f} | "
                f"{white:.2f} | {st.cv:.3f} | {tr.cv_theory:.3f} | {cerr:+.1f} % | {cz:+.1f} |",
                flush=True,
            )


def numerics_table() -> None:
    sweep = nm.error_sweep(P, 2e-9)
    print("\nError against dt, default neuron, I = 2 nA (63.0 Hz), dt 1 µs - 2 ms:\n")
    print("| integrator | rate-error slope | first-spike-error slope | largest rate error (Hz) |")
    print("|---|---|---|---|")
    for integ in nm.INTEGRATORS:
        first = sweep.first_spike_slope.get(integ.name, math.nan)
        print(
            f"| {integ.name} | {sweep.rate_slope[integ.name]:.2f} | "
            f"{'–' if math.isnan(first) else f'{first:.2f}'} | "
            f"{np.max(sweep.rate_error[integ.name]):.2g} |"
        )
    engine = nm.ENGINE.name
    print(
        f"\nengine: largest first-spike error {np.max(sweep.first_spike_error[engine]):.2g} s "
        f"(1 ulp of T1 = {sweep.first_spike_floor:.2g} s)"
    )
    p = LIFParams(t_ref=2.05e-3)
    worst = 0.0
    for I in np.linspace(1.05 * p.rheobase, 20e-9, 300):
        s = nm.teaching_run(p, I, 1e-4, 1.0, nm.BOTH_ON_GRID).spike_times
        worst = max(worst, theory.firing_rate(p, I) - (s.size - 1) / (s[-1] - s[0]))
    print(
        f"clock-driven (both on the grid), dt = 0.1 ms, t_ref = 2.05 ms, rheobase-20 nA: "
        f"up to {worst:.1f} Hz below the closed form"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=200)
    parser.add_argument("--duration", type=float, default=2.0)
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.2f}; {args.trials} trials x {args.duration} s\n")
    noise_table(args.trials, args.duration)
    numerics_table()


if __name__ == "__main__":
    main()
