"""Server time per chart of chapter 8 (noise) and the numerics page, without caches.

    python benchmarks/bench_noise.py [--repeat 7]

Each row is one cached computation of ``lab_cache_noise`` run directly (analysis plus
figure building), at the pages' default settings, ``repeat`` times after one warm-up run:
the cost a slider change pays when its value is new. Which slider pays which row:

- chapter 8, mean current or sigma_V: "trials" (the unit noise is cached per tau_s, seed);
- chapter 8, tau_s or a new seed: "unit noise" + "trials" + "rate / CV curves";
- numerics page, dt or a refinement: "traces"; current: "traces" + "error sweep".
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from lif_core import LIFParams
from lif_core.analysis import noise as an
from lif_core.analysis import numerics as nm
from lif_figures import noise as fn
from lif_figures import numerics as fnum
from lif_figures.style import FULL_WIDTH

P = LIFParams()
I_NOISE, SIGMA_V, TAU_S, SEED = 1.2e-9, 3e-3, 0.5e-3, 1  # chapter 8 defaults
I_NUM, DT = 2e-9, 1e-3  # numerics page defaults
TRIALS, CURVE_CURRENTS, CURVE_TRIALS = 40, 11, 6  # lab_cache_noise


def _cases():
    unit = an.unit_noise(TAU_S, TRIALS, 1.0, SEED)

    def trials():
        tr = an.noisy_trials(
            P, I_NOISE, SIGMA_V, TAU_S, n_trials=TRIALS, duration=1.0, seed=SEED, unit=unit
        )
        fn.trials_figure(tr)
        fn.isi_histogram_figure(an.isi_histogram(tr))

    def curves():
        rc = an.rate_curves(
            P, TAU_S, seed=SEED + 1, n_currents=CURVE_CURRENTS, n_trials=CURVE_TRIALS
        )
        fn.rate_curves_figure(rc)
        fn.cv_curves_figure(rc)

    def traces():
        comp = nm.trace_comparison(P, I_NUM, DT, 0.08)
        fnum.method_trace_figure(comp.exact, comp.theory, P.V_th)
        fnum.method_trace_figure(comp.euler, comp.theory, P.V_th)

    def sweep():
        sw = nm.error_sweep(P, I_NUM)
        fnum.error_figure(sw, "rate", dt_mark=DT, width=FULL_WIDTH)
        fnum.error_figure(sw, "first_spike", dt_mark=DT, width=FULL_WIDTH)

    return [
        ("ch. 8 unit noise (40 x 1 s OU)", lambda: an.unit_noise(TAU_S, TRIALS, 1.0, SEED)),
        ("ch. 8 trials: V(t) + raster, ISI histogram (40 x 1 s)", trials),
        ("ch. 8 rate / CV curves (3 x 11 x 6 trials x 1 s)", curves),
        ("numerics traces: exact + Euler at dt (2 charts)", traces),
        ("numerics error sweep: 31 dt x 5 integrators (2 charts)", sweep),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    load = os.getloadavg()[0]
    print(f"load average {load:.2f} on {os.cpu_count()} cores; median of {args.repeat}\n")
    print("| computation | median ms | fastest ms |")
    print("|---|---|---|")
    for name, fn_ in _cases():
        fn_()
        times = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            fn_()
            times.append(1e3 * (time.perf_counter() - t0))
        print(f"| {name} | {statistics.median(times):.1f} | {min(times):.1f} |")


if __name__ == "__main__":
    main()
