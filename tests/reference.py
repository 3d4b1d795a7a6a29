"""Slow, obviously-correct references used only by the tests: a LIF integrator and the
Hodgkin–Huxley rates as published.

One neuron, one step at a time, plain Python floats: the same exact
per-step solution as the engine (exponential relaxation towards the step's
steady state, threshold crossing located inside the step, refractory period
ending at t_spike + t_ref inside a step), written as directly as possible.
"""

from __future__ import annotations

import math

import numpy as np


def reference_lif(V_inf, tau, V_th, V_reset, t_ref, V0, dt):
    """Integrate one neuron; ``V_inf`` and ``tau`` are per-step sequences.

    Returns the potential at the grid times and the list of spike times.
    """
    n_steps = len(V_inf)
    V = np.empty(n_steps)
    spikes = []
    v = V0
    ref_end = -math.inf
    for k in range(n_steps):
        t = k * dt
        V[k] = V_reset if ref_end > t else v
        t_end_step = t + dt
        now = t
        if ref_end > now:
            if ref_end >= t_end_step:
                v = V_reset
                continue
            now = ref_end
            v = V_reset
        # integrate from `now` to the end of the step, possibly spiking (repeatedly)
        while True:
            vi, ta = V_inf[k], tau[k]
            v_end = vi + (v - vi) * math.exp(-(t_end_step - now) / ta)
            # a steady state at or below threshold is approached, never crossed (v_end may
            # round to V_th itself when the steady state is V_th)
            if v_end < V_th or (vi <= V_th and v <= V_th):
                v = v_end
                break
            t_spike = now + ta * math.log((v - vi) / (V_th - vi))
            t_spike = min(max(t_spike, now), t_end_step)
            spikes.append(t_spike)
            ref_end = t_spike + t_ref
            v = V_reset
            if ref_end >= t_end_step:
                break
            now = ref_end
    return V, spikes


def hh_published_rates(v: float) -> tuple[float, ...]:
    """The six Hodgkin–Huxley rates (alpha_n, beta_n, alpha_m, beta_m, alpha_h, beta_h; 1/s)
    at ``v`` mV, straight from the published formulas (Dayan & Abbott 2001, ch. 5), with
    plain exp (well conditioned at |v + 55|, |v + 40| >= 0.5 mV)."""
    return tuple(
        1e3 * r
        for r in (
            0.01 * (v + 55) / (1 - math.exp(-(v + 55) / 10)),
            0.125 * math.exp(-(v + 65) / 80),
            0.1 * (v + 40) / (1 - math.exp(-(v + 40) / 10)),
            4 * math.exp(-(v + 65) / 18),
            0.07 * math.exp(-(v + 65) / 20),
            1 / (1 + math.exp(-(v + 35) / 10)),
        )
    )
