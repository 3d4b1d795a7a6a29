"""Speed of the lif_core engine (issue 2 and 15 targets). Prints a table; not a test.

    python benchmarks/bench_core.py [--repeat 15]

Each case is run ``repeat`` times after one warm-up run; the table shows the
median and the fastest wall-clock time, and the median CPU time of this
process (less sensitive to other load on a shared machine).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from lif_core import LIFParams, fi_curve, simulate, stimulus, theory
from lif_core.models import adex, compartments, hh

DT = 1e-4
DURATION = 1.0


def _cases():
    p = LIFParams()  # Dayan & Abbott values, t_ref = 2 ms
    currents = np.linspace(0.0, 10 * p.rheobase, 200)
    noise = stimulus.ou_noise(1.6e-9, 0.5e-9, 5e-3, DURATION, DT, seed=1, n=200)
    exc = stimulus.SynapticConductance(stimulus.poisson_spike_train(800, DURATION, 1), 3e-9, 5e-3)
    inh = stimulus.SynapticConductance(
        stimulus.poisson_spike_train(200, DURATION, seed=2), 4e-9, 10e-3, kind="alpha"
    )
    g_exc, g_inh = exc.step_means(DURATION, DT), inh.step_means(DURATION, DT)
    p_odd = p.replace(t_ref=2.05e-3)  # not a multiple of dt
    return [
        (
            "fi_curve 200 currents x 1 s",
            100.0,
            lambda: fi_curve(p, currents, duration=DURATION, dt=DT),
        ),
        (
            "fi_curve 200 x 1 s, t_ref=2.05 ms",
            100.0,
            lambda: fi_curve(p_odd, currents, duration=DURATION, dt=DT),
        ),
        (
            # chapter 6: a tonic shunt doubles the rheobase to 3 nA, which is on the grid
            "fi_curve 31 x 1 s, g_syn 100 nS, rheobase on the grid",
            100.0,
            lambda: fi_curve(
                p, np.linspace(0.0, 10e-9, 31), duration=DURATION, dt=DT, g_syn=100e-9, E_syn=p.E_L
            ),
        ),
        (
            # issue 15: generating the noise took 122 ms of 187 (matrix products)
            "ou_noise 200 traces x 1 s",
            50.0,
            lambda: stimulus.ou_noise(1.6e-9, 0.5e-9, 5e-3, DURATION, DT, seed=1, n=200),
        ),
        (
            "simulate 200 neurons x 1 s, OU noise",
            50.0,
            lambda: simulate(p, I=noise, duration=DURATION, dt=DT),
        ),
        (
            "simulate 1 trace x 1 s, 2 conductances",
            5.0,
            lambda: simulate(
                p, g_syn=[g_exc, g_inh], E_syn=[0.0, -75e-3], duration=DURATION, dt=DT
            ),
        ),
        (
            # events at their exact times: step means and sub-steps (issue 15); 2 nA makes
            # it fire (~40 Hz), which is where the sub-steps cost
            "simulate 1 x 1 s, 2 event inputs + 2 nA",
            25.0,
            lambda: simulate(
                p, I=2e-9, g_syn=[exc, inh], E_syn=[0.0, -75e-3], duration=DURATION, dt=DT
            ),
        ),
        # chapter 7 models (benchmarks/bench_beyond.py times the chapter's charts)
        (
            "HH 1 s, dt 0.025 ms, 1 membrane at 8 nA",
            150.0,
            lambda: hh.simulate_hh(hh.HHParams(), 8e-9, duration=DURATION),
        ),
        (
            "AdEx 1 s, dt 0.1 ms, 7 patterns in turn",
            350.0,  # 50 ms each
            lambda: [
                adex.simulate_adex(q.params, q.I_step, duration=DURATION)
                for q in adex.PRESETS.values()
            ],
        ),
        (
            "two-compartment 200 ms, dt 0.1 ms, 2 inputs",
            5.0,
            lambda: compartments.simulate_two_compartment(
                compartments.TwoCompartmentParams(),
                [[1e-9], [0.0]],
                [[0.0], [1e-9]],
                duration=0.2,
                dt=DT,
            ),
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"dt = {DT * 1e3:g} ms, duration = {DURATION:g} s, repeats = {args.repeat}")
    print(f"load average (1, 5, 15 min): {load} on {os.cpu_count()} cores")
    print(f"{'case':42s} {'median ms':>10s} {'min ms':>8s} {'cpu ms':>8s} {'target':>7s}  ok")
    for name, target, run in _cases():
        run()
        wall, cpu = [], []
        for _ in range(args.repeat):
            w0, c0 = time.perf_counter(), time.process_time()
            run()
            wall.append((time.perf_counter() - w0) * 1e3)
            cpu.append((time.process_time() - c0) * 1e3)
        med = float(np.median(wall))
        print(
            f"{name:42s} {med:10.1f} {min(wall):8.1f} {np.median(cpu):8.1f} {target:7.0f}  "
            f"{'yes' if med <= target else 'NO'}"
        )
    p = LIFParams()
    currents = np.linspace(0.0, 10 * p.rheobase, 200)
    for t_ref in (2e-3, 2.05e-3):
        q = p.replace(t_ref=t_ref)
        err = np.max(np.abs(fi_curve(q, currents).rate - theory.firing_rate(q, currents)))
        print(f"accuracy: t_ref = {t_ref * 1e3:g} ms, max |f_sim - f_theory| = {err:.2e} Hz")


if __name__ == "__main__":
    main()
