"""Accuracy of synaptic input at dt = 0.1 ms against a fine reference (issue 15). Prints a table.

    python benchmarks/synaptic_accuracy.py [--duration 1.0] [--dt-ref 1e-6]

One neuron driven by a Poisson presynaptic train through an exponential or an
alpha conductance, excitatory (E_syn = 0 mV) or inhibitory (E_syn = -80 mV),
passive (no output spikes) or spiking. Each case is simulated by the same
engine (``lif_core.simulate``) at dt = 0.1 ms and, as the reference, at
``--dt-ref`` (1 µs) with events at their exact times; the table shows the
largest |ΔV| at the coarse grid points (where both runs are outside
refractoriness) and the largest spike-time error.

"before": the conductance sampled at the start of each step, an event acting
from the next grid point (``lif_core.stimulus.synaptic_conductance`` up to
issue 15, copied below); "step means": today's ``synaptic_conductance``, the
exact mean over each step, given to ``simulate`` as an array; "exact events":
``stimulus.SynapticConductance`` given to ``simulate`` (step means on the grid,
sub-steps with exact conductances where the neuron crosses threshold or leaves
refractoriness). A second table gives the convergence order without output
spikes.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from lif_core import LIFParams, simulate, stimulus

DT = 1e-4
P = LIFParams(V_reset=-60e-3, t_ref=2.05e-3)  # V_reset != E_L, t_ref off the grid

#: (name, kind, E_syn (V), g_max (S), tau_syn (s), presynaptic rate (Hz), bias current (A))
CASES = [
    ("exponential, excitatory", "exponential", 0.0, 3e-9, 5e-3, 1000.0, 1.0e-9),
    ("exponential, inhibitory", "exponential", -80e-3, 4e-9, 10e-3, 500.0, 2.4e-9),
    ("alpha, excitatory", "alpha", 0.0, 1.5e-9, 2e-3, 1500.0, 1.0e-9),
    ("alpha, inhibitory", "alpha", -80e-3, 1.5e-9, 5e-3, 800.0, 2.4e-9),
]


def sampled_conductance(spike_times, g_max, tau_syn, duration, dt, kind="exponential"):
    """The conductance before issue 15: sampled at each step's start, cut after 20 tau_syn."""
    n = round(duration / dt)
    t = np.arange(n) * dt
    g = np.zeros(n)
    spikes = np.asarray(spike_times, dtype=float)
    spikes = spikes[(spikes >= 0) & (spikes < t[-1] + dt)]
    window = int(np.ceil(20 * tau_syn / dt)) + 1
    first = np.ceil(spikes / dt - 1e-9).astype(int)
    for start, t_s in zip(first, spikes, strict=True):
        stop = min(start + window, n)
        if start >= stop:
            continue
        s = (t[start:stop] - t_s) / tau_syn
        g[start:stop] += np.exp(-s) if kind == "exponential" else s * np.exp(1.0 - s)
    return g_max * g


def exact_events(spike_times, g_max, tau_syn, duration, dt, kind="exponential"):
    """The conductance itself: events at their exact times, sub-steps inside a step."""
    return stimulus.SynapticConductance(spike_times, g_max, tau_syn, kind)


def run(case, duration, dt, spiking, conductance):
    _, kind, E_syn, g_max, tau_syn, rate, bias = case
    pre = stimulus.poisson_spike_train(rate, duration, seed=11)
    g = conductance(pre, g_max, tau_syn, duration, dt, kind)
    I = bias if spiking else 0.0
    return simulate(P, I=I, g_syn=g, E_syn=E_syn, duration=duration, dt=dt, spiking=spiking)


def errors(coarse, fine):
    """Max |ΔV| (V) at the coarse grid points, max spike-time error (s), spike counts."""
    step = round(coarse.dt / fine.dt)
    V_f = fine.V[0, ::step][: coarse.V.shape[1]]
    free = ~coarse.refractory[0] & ~fine.refractory[0, ::step][: coarse.V.shape[1]]
    dV = float(np.max(np.abs(coarse.V[0, free] - V_f[free])))
    s_c, s_f = coarse.spike_times[0], fine.spike_times[0]
    if s_f.size == 0:
        return dV, 0.0 if s_c.size == 0 else np.inf, s_c.size, s_f.size
    # each reference spike against the nearest coarse spike (counts agree in every case here)
    nearest = np.abs(s_c[:, None] - s_f[None, :]).min(axis=0) if s_c.size else np.inf
    return dV, float(np.max(nearest)), s_c.size, s_f.size


def _fmt(err, spiking):
    dV, dt_spike, n_sim, n_ref = err
    spike = f"{dt_spike * 1e6:9.3f}" if spiking else f"{'-':>9s}"
    if spiking and n_sim != n_ref:
        spike = f"{'n=' + str(n_sim):>9s}"
    return f"{dV * 1e3:10.5f} {spike}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=1.0)
    parser.add_argument("--dt-ref", type=float, default=1e-6)
    args = parser.parse_args()
    T = args.duration
    t_start = time.perf_counter()
    print(
        f"max |ΔV| (mV) and spike-time error (µs) at dt = {DT * 1e3:g} ms against the same "
        f"engine at dt = {args.dt_ref * 1e6:g} µs (exact events), {T:g} s per case"
    )
    methods = [
        ("before (start sample)", sampled_conductance),
        ("after (step means)", stimulus.synaptic_conductance),
        ("after (exact events)", exact_events),
    ]
    head = " ".join(f"{name:>20s}" for name, _ in methods)
    print(f"{'case':32s} {'spikes':>6s} {head}")
    print(f"{'':32s} {'':6s} " + " ".join(f"{'|ΔV| mV':>10s} {'spike µs':>9s}" for _ in methods))
    for case in CASES:
        for spiking in (False, True):
            fine = run(case, T, args.dt_ref, spiking, exact_events)
            cells = [_fmt(errors(run(case, T, DT, spiking, m), fine), spiking) for _, m in methods]
            name = case[0] + (", spiking" if spiking else "")
            n = f"{fine.spike_times[0].size}" if spiking else "-"
            print(f"{name:32s} {n:>6s} " + " ".join(cells))
    steps = np.array([4e-4, 2e-4, 1e-4, 5e-5])
    print(
        "\nconvergence order of max |ΔV| without output spikes (least-squares slope of "
        f"log error against log dt, dt = {', '.join(f'{x * 1e3:g}' for x in steps)} ms)"
    )
    print(f"{'case':32s} {'before':>8s} {'after':>8s}")
    for case in CASES:
        fine = run(case, T, args.dt_ref, False, exact_events)
        orders = []
        for _, method in methods[:2]:
            err = [errors(run(case, T, dt, False, method), fine)[0] for dt in steps]
            orders.append(np.polyfit(np.log(steps), np.log(err), 1)[0])
        print(f"{case[0]:32s} {orders[0]:8.2f} {orders[1]:8.2f}")
    print(f"({time.perf_counter() - t_start:.1f} s)")


if __name__ == "__main__":
    main()
