"""Chapter 5's analysis (lif_core.analysis.synapses): the train, the time step, the spikes.

Each model's spikes are checked against a separate one-neuron simulation of that model,
on a neuron with V_reset ≠ E_L and t_ref off the grid, and E_syn ≠ 0.
"""

from __future__ import annotations

import numpy as np
import pytest

from lif_core import LIFParams, simulate
from lif_core.analysis import synapses as syn

Q = LIFParams(R=20e6, C=0.6e-9, E_L=-68e-3, V_th=-51e-3, V_reset=-61e-3, t_ref=2.35e-3)


def test_sign_changes_only_where_the_mask_holds_on_both_sides():
    t = np.arange(6.0)
    x = np.array([1.0, -1.0, 1.0, -1.0, 1.0, -3.0])
    np.testing.assert_allclose(syn.sign_changes(t, x), [0.5, 1.5, 2.5, 3.5, 4.25])
    mask = [True, True, False, False, True, True]
    np.testing.assert_allclose(syn.sign_changes(t, x, mask), [0.5, 4.25])
    # a 0/1 mask means the same
    np.testing.assert_allclose(syn.sign_changes(t, x, [1, 1, 0, 0, 1, 1]), [0.5, 4.25])
    # a change from an active to an inactive sample does not count
    edges = [False, True, True, False, False, True]
    np.testing.assert_allclose(syn.sign_changes(t, x, edges), [1.5])


def test_a_regular_train_starts_one_interval_in_and_the_bias_defaults_to_zero():
    demo = syn.synapse_demo(Q, 100.0, 2e-9, 5e-3, 0.0)
    np.testing.assert_allclose(demo.pre_spikes, np.arange(0.01, 0.5 - 1e-9, 0.01))
    assert demo.I_bias == 0.0
    before = demo.t < 0.01
    for model in syn.MODELS:  # at rest until the first event
        np.testing.assert_allclose(demo.V[model][before], Q.E_L, atol=1e-12)


def test_a_train_slower_than_1_hz_has_its_event_at_20_ms():
    demo = syn.synapse_demo(Q, 0.5, 2e-9, 5e-3, 0.0, I_bias=0.1e-9)
    np.testing.assert_allclose(demo.pre_spikes, [0.02])
    assert demo.g.max() > 0


def test_the_time_step_asked_for_is_used():
    demo = syn.synapse_demo(Q, 40.0, 2e-9, 5e-3, 0.0, dt=5e-5, duration=0.2)
    assert demo.dt == pytest.approx(5e-5)
    np.testing.assert_allclose(np.diff(demo.t), 5e-5)
    assert demo.t.size == demo.g.size == demo.V["conductance"].size


def test_each_models_spikes_are_its_own():
    """E_syn = −20 mV, bias near rheobase: the two models fire differently."""
    E_syn, I_bias = -20e-3, 0.7e-9
    demo = syn.synapse_demo(Q, 80.0, 20e-9, 5e-3, E_syn, I_bias)
    cur = simulate(Q, I=I_bias - demo.g * (Q.E_L - E_syn), duration=0.5, dt=1e-4)
    cond = simulate(Q, I=I_bias, g_syn=demo.g, E_syn=E_syn, duration=0.5, dt=1e-4)
    assert cur.spike_times[0].size != cond.spike_times[0].size
    np.testing.assert_allclose(demo.spikes["current"], cur.spike_times[0], atol=1e-9)
    np.testing.assert_allclose(demo.spikes["conductance"], cond.spike_times[0], atol=1e-9)
    np.testing.assert_allclose(demo.V["conductance"], cond.V[0], atol=1e-9)
