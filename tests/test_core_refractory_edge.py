"""A refractory period that ends exactly on a grid point restarts from V_reset.

lif_core's exact engine works in blocks of steps. A refractory period ending exactly at a
block start used to resume from the potential the neuron had at the start of the block
before (a stale value, e.g. E_L instead of V_reset). With presynaptic events at their exact
times and t_ref = 0 this happens by itself: a spike whose crossing the sub-steps do not
confirm is put at the end of its step, often the last step of a block.
"""

from __future__ import annotations

import math

import numpy as np

from lif_core import LIFParams, simulate, stimulus, theory

DT = 1e-4
N_STEPS = 3000
#: V_reset != E_L, so a stale potential from before the spike (E_L) shows.
P = LIFParams(V_reset=-70e-3)
I_ON = 3e-9


def test_a_refractory_period_ending_on_any_grid_point_restarts_from_v_reset():
    # the input is not constant (a pulse plus a tiny ripple), so no block is integrated in
    # closed form; the first spike does not depend on t_ref
    I = stimulus.pulse(I_ON, 0.05, 1.0, N_STEPS * DT, DT) + 1e-18 * np.sin(np.arange(N_STEPS))
    t_1 = float(simulate(P, I=I, duration=N_STEPS * DT, dt=DT).spike_times[0][0])
    # one neuron per grid point m: its refractory period ends exactly at m dt
    m = np.arange(math.ceil(t_1 / DT) + 1, N_STEPS - 400)
    t_ref = m * DT - t_1
    exact = t_1 + t_ref == m * DT
    m, t_ref = m[exact], t_ref[exact]
    assert m.size > 1000  # some of them are block starts, whatever the block size
    params = LIFParams(
        R=P.R, C=P.C, E_L=P.E_L, V_th=P.V_th, V_reset=P.V_reset, t_ref=np.asarray(t_ref)
    )
    res = simulate(params, I=I, duration=N_STEPS * DT, dt=DT)
    rows = np.arange(m.size)
    # (to round-off: an end a last bit before m dt leaves a remainder of ~1e-19 s to integrate)
    np.testing.assert_allclose(res.V[rows, m], float(P.V_reset), rtol=0, atol=1e-12)
    # free from m dt on: one step later V has relaxed from V_reset towards V_inf = E_L + R I
    after = theory.charging(P, DT, I_ON, V0=P.V_reset)
    np.testing.assert_allclose(res.V[rows, m + 1], after, rtol=0, atol=1e-12)
    # the second spike comes T = tau ln((V_inf - V_reset) / (V_inf - V_th)) after m dt
    T = float(theory.time_to_threshold(P, I_ON))
    second = np.array([s[1] for s in res.spike_times])
    np.testing.assert_allclose(second, m * DT + T, rtol=0, atol=1e-9)
