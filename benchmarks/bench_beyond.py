"""Server time of each chapter 7 chart at its default settings (issue 14: <= 50 ms). Prints a table.

    python benchmarks/bench_beyond.py [--repeat 15]

Each row is what ``lab_cache_beyond`` computes when a slider lands on a value not seen
before: the analysis (simulations) and the figure builder, without Streamlit's cache.
One warm-up run, then ``repeat`` runs; median and fastest wall-clock time, and the median
CPU time of this process (less sensitive to other load on a shared machine). The HH f–I
curve depends on no slider: the page computes it once per process (last row, one run).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from lif_core.analysis import adaptation, beyond, dendrites
from lif_figures import beyond as figs

TARGET_MS = 50.0


def _cases(classes: beyond.FIClasses):
    def spike():
        rec = beyond.spike_shape(12e-9, 1e-3)
        return figs.spike_shape_figure(rec)

    def adapt(preset):
        def run():
            rec = adaptation.adaptation(preset)
            return figs.adaptation_figure(rec), figs.isi_figure(rec)

        return run

    def ringing():
        rec = beyond.ringing_and_rebound(2e-9, -5e-9, 10e-3)
        return figs.ringing_figure(rec), figs.rebound_figure(rec)

    def fi():
        op = beyond.fi_operating(8e-9)
        return figs.fi_classes_figure(classes, op), figs.fi_trace_figure(op)

    def dendrite():
        return figs.dendrite_figure(dendrites.dendritic_input(25e-9, 2e-3))

    cases = [("1 spike shape: HH + LIF 25 ms, 1 chart", spike)]
    cases += [
        (f"2 adaptation '{name}': AdEx + LIF 1 s, 2 charts", adapt(name))
        for name in ("adapting", "regular bursting", "irregular")
    ]
    cases += [
        ("3 ringing + rebound: 2 x (HH + LIF) 60 ms, 2 charts", ringing),
        ("4 f–I at 8 nA: HH + LIF 200 ms, 2 charts", fi),
        ("5 compartments: 2 inputs + LIF 100 ms, 1 chart", dendrite),
    ]
    return cases


def _time(run, repeat: int) -> tuple[float, float, float]:
    run()
    wall, cpu = [], []
    for _ in range(repeat):
        w0, c0 = time.perf_counter(), time.process_time()
        run()
        wall.append((time.perf_counter() - w0) * 1e3)
        cpu.append((time.process_time() - c0) * 1e3)
    return float(np.median(wall)), min(wall), float(np.median(cpu))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.2f} (1 min); repeats = {args.repeat}")
    w0, c0 = time.perf_counter(), time.process_time()
    classes = beyond.fi_classes()
    fi_wall, fi_cpu = (time.perf_counter() - w0) * 1e3, (time.process_time() - c0) * 1e3
    print(f"{'chart (default settings)':56s} {'median ms':>9s} {'min ms':>7s} {'cpu ms':>7s}  ok")
    for name, run in _cases(classes):
        med, fastest, cpu = _time(run, args.repeat)
        ok = "yes" if med <= TARGET_MS else "NO"
        print(f"{name:56s} {med:9.1f} {fastest:7.1f} {cpu:7.1f}  {ok}")
    print(
        f"{'HH f–I curve, 41 currents x 0.5 s (once per process)':56s} "
        f"{fi_wall:9.1f} {fi_wall:7.1f} {fi_cpu:7.1f}  once"
    )


if __name__ == "__main__":
    main()
