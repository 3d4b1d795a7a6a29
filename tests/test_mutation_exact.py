"""Targeted checks of the exact block engine ``lif_core._exact``.

Each test pins behaviour that a surviving mutmut mutant of ``_exact.py`` changed.
Spike times and potentials are compared with closed forms (exponential
charging, ``T = tau ln((V_inf - V_reset) / (V_inf - V_th))``) or with an
independent event-by-event reference written here, for piecewise-constant
input: one steady state ``V_inf`` and time constant ``tau`` per step.
"""

from __future__ import annotations

import math
import re
import warnings

import numpy as np
import pytest

from lif_core import LIFParams, simulate, stimulus
from tests.reference import reference_lif


def _reference(
    v_inf: np.ndarray,
    tau: np.ndarray,
    dt: float,
    V0: float,
    V_th: float,
    V_reset: float,
    t_ref: float,
) -> tuple[list[float], np.ndarray]:
    """Spike times and grid potentials of the step-by-step reference (tests/reference.py)."""
    V, spikes = reference_lif(v_inf, tau, V_th, V_reset, t_ref, V0, dt)
    return spikes, V


def _lif_steps(p: LIFParams, I: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per-step ``V_inf = E_L + R I`` and ``tau = R C`` for a current-driven neuron."""
    return p.E_L + p.R * np.asarray(I, float), np.full(len(I), p.R * p.C)


# --------------------------------------------------------------------------
# _State.restart: the end of a refractory period inside a block
# --------------------------------------------------------------------------


def test_restart_uses_the_steady_state_of_the_step_where_refractoriness_ends() -> None:
    """Two steps (a block of K = 2): the refractory period ends inside step 1.

    The input is stronger in step 1 than in step 0, so after the refractory
    period the neuron fires again within step 1 at ``t_end + T`` with
    ``T = tau ln((V_inf1 - V_reset) / (V_inf1 - V_th))`` for step 1's ``V_inf1``
    (with step 0's ``V_inf0`` it would not reach threshold in the step at all).
    """
    p = LIFParams(E_L=-65e-3, V_th=-50e-3, V_reset=-70e-3, t_ref=4.3e-3)
    dt, V0 = 5e-3, -51e-3
    I = np.array([2.0e-9, 6.0e-9])  # V_inf = -45 mV, then -5 mV
    res = simulate(p, I=I, duration=2 * dt, dt=dt, V0=V0)
    tau = p.R * p.C
    v0, v1 = p.E_L + p.R * I
    t1 = tau * math.log((V0 - v0) / (p.V_th - v0))
    assert t1 < dt  # the first spike is in step 0
    t_end = t1 + p.t_ref
    assert dt < t_end < 2 * dt  # refractoriness ends inside step 1
    t2 = t_end + tau * math.log((p.V_reset - v1) / (p.V_th - v1))
    assert t2 < 2 * dt
    # a third spike fits as well: every t_ref + T from then on
    t3 = t2 + p.t_ref + tau * math.log((p.V_reset - v1) / (p.V_th - v1))
    expected = [t for t in (t1, t2, t3) if t < 2 * dt]
    np.testing.assert_allclose(res.spike_times[0], expected, rtol=1e-12)
    ref_spikes, _ = _reference(*_lif_steps(p, I), dt, V0, p.V_th, p.V_reset, p.t_ref)
    np.testing.assert_allclose(res.spike_times[0], ref_spikes, rtol=1e-12)


def test_refractory_period_ending_a_rounding_hair_before_the_block_end() -> None:
    """A refractory period ending one ulp before the end of a block stays refractory to the end.

    With dt = 0.3 ms and a block of K = 100 steps, ``(t_end - t0) / dt`` of the
    float just below ``K dt`` rounds up to K: the end lies in step K - 1, not in
    a step past the block. The neuron spikes once and is refractory on every
    later grid point.
    """
    dt, K = 3e-4, 100
    I = 3e-9 + 1e-11 * np.sin(np.arange(K))  # not constant: no closed-form train
    base = LIFParams(V_reset=-70e-3)
    t1 = float(simulate(base, I=I, duration=K * dt, dt=dt).spike_times[0][0])
    target = float(np.nextafter(K * dt, 0.0))
    assert int(target / dt) == K  # the rounding this test is about
    # a t_ref with t1 + t_ref == target exactly
    t_ref = target - t1
    for _ in range(8):
        if t1 + t_ref == target:
            break
        t_ref = float(np.nextafter(t_ref, math.inf if t1 + t_ref < target else 0.0))
    assert t1 + t_ref == target
    p = LIFParams(V_reset=-70e-3, t_ref=t_ref)
    res = simulate(p, I=I, duration=K * dt, dt=dt)
    np.testing.assert_array_equal(res.spike_times[0], [t1])
    k1 = math.ceil(t1 / dt)
    assert res.refractory[0, k1:].all() and not res.refractory[0, :k1].any()
    np.testing.assert_array_equal(res.V[0, k1:], p.V_reset)


def _steps(
    p: LIFParams, I: np.ndarray, g: np.ndarray, E_syn: float
) -> tuple[np.ndarray, np.ndarray]:
    """Per-step ``V_inf`` and ``tau`` with a current and one conductance (both step-constant)."""
    g_total = 1.0 / p.R + np.asarray(g, float)
    v_inf = (p.E_L / p.R + np.asarray(I, float) + g * E_syn) / g_total
    return v_inf, p.C / g_total


def test_restart_uses_the_time_constant_of_the_step_where_refractoriness_ends() -> None:
    """A conductance switched on in step 1 shortens ``tau_eff`` there (block of K = 2 steps).

    After the refractory period, which ends inside step 1, the neuron relaxes
    from ``V_reset`` with step 1's ``tau_eff = C / (1/R + g)`` towards
    ``V_inf = (E_L/R + I + g E_syn) / (1/R + g)`` and fires after
    ``tau_eff ln((V_inf - V_reset) / (V_inf - V_th))``; with step 0's
    ``tau = R C`` the second spike would come after the end.
    """
    p = LIFParams(E_L=-65e-3, V_th=-50e-3, V_reset=-70e-3, t_ref=4.3e-3)
    dt, V0, E_syn = 5e-3, -51e-3, 20e-3
    I = np.array([2e-9, 2e-9])
    g = np.array([0.0, 100e-9])
    res = simulate(p, I=I, g_syn=g, E_syn=E_syn, duration=2 * dt, dt=dt, V0=V0)
    v_inf, tau = _steps(p, I, g, E_syn)
    assert tau[1] < tau[0]
    t1 = tau[0] * math.log((V0 - v_inf[0]) / (p.V_th - v_inf[0]))
    t2 = t1 + p.t_ref + tau[1] * math.log((p.V_reset - v_inf[1]) / (p.V_th - v_inf[1]))
    assert t1 < dt < t1 + p.t_ref and t2 < 2 * dt
    np.testing.assert_allclose(res.spike_times[0], [t1, t2], rtol=1e-12)
    ref_spikes, _ = _reference(v_inf, tau, dt, V0, p.V_th, p.V_reset, p.t_ref)
    np.testing.assert_allclose(res.spike_times[0], ref_spikes, rtol=1e-12)


def test_restart_towards_a_steady_state_exactly_at_threshold_does_not_fire() -> None:
    """After refractoriness the neuron relaxes to ``V_inf == V_th`` exactly and never fires.

    Binary-exact parameters make ``V_inf = E_L + R I`` equal ``V_th`` in floating
    point; the step is 50 ``tau`` long, so the potential reaches ``V_inf`` (to
    the last bit) by the step's end. Approaching the threshold is not crossing
    it: one spike only, and the neuron is free (not refractory) at the next
    grid point, with ``V`` just below ``V_th``.
    """
    R, C = 2.0**24, 2.0**-31  # tau = R C = 2**-7 s
    p = LIFParams(R=R, C=C, E_L=-(2.0**-4), V_th=-3 * 2.0**-6, V_reset=-(2.0**-3), t_ref=0.0)
    tau = R * C
    dt = 50 * tau
    I_th = 2.0**-30  # E_L + R I_th == V_th exactly
    assert p.E_L + R * I_th == p.V_th
    V0 = -0.05
    I = np.array([4e-9, I_th, 0.0])
    v_inf = p.E_L + R * I
    t1 = tau * math.log((V0 - v_inf[0]) / (p.V_th - v_inf[0]))
    t_ref = 1.1 * dt - t1  # refractoriness ends 0.1 dt into step 1
    p = LIFParams(R=R, C=C, E_L=p.E_L, V_th=p.V_th, V_reset=p.V_reset, t_ref=t_ref)
    res = simulate(p, I=I, duration=3 * dt, dt=dt, V0=V0)
    np.testing.assert_allclose(res.spike_times[0], [t1], rtol=1e-12)
    np.testing.assert_array_equal(res.refractory[0], [False, True, False])
    assert res.V[0, 2] < p.V_th
    np.testing.assert_allclose(res.V[0, 2], p.V_th, rtol=0, atol=1e-15)


def test_restart_reaching_threshold_exactly_at_the_step_end_fires() -> None:
    """``V`` reaching ``V_th`` exactly (to the last bit) at the end of a step is a spike.

    After refractoriness (ending inside step 1) the potential relaxes from
    ``V_reset`` towards ``V_inf > V_th`` and reaches ``V_th`` at the step's end:
    the spike is there, ``t_end + tau ln((V_inf - V_reset) / (V_inf - V_th))``.
    In step 2 the input is off, so a touch not counted would never be made up.
    The refractory periods are picked (among neighbours one ulp apart) so that
    the step's exact propagator lands on ``V_th`` to the last bit.
    """
    p0 = LIFParams(E_L=-65e-3, V_th=-50e-3, V_reset=-52e-3, t_ref=1e-3)
    dt, V0 = 5e-3, -51e-3
    I = np.array([2e-9, 2e-9, 0.0])
    t1 = float(simulate(p0, I=I, duration=3 * dt, dt=dt, V0=V0).spike_times[0][0])
    v_inf, tau = p0.E_L + p0.R * 2e-9, p0.R * p0.C
    T = tau * math.log((p0.V_reset - v_inf) / (p0.V_th - v_inf))
    # refractory periods around the one whose remainder of step 1 takes exactly T
    t_ref = (2 * dt - T - t1) + np.arange(-3000, 3000) * np.spacing(2 * dt - T - t1)
    rel = t1 + t_ref
    rest = 2 * dt - rel
    v = v_inf + (p0.V_reset - v_inf) * np.exp(-rest / tau)
    t_ref = t_ref[v == p0.V_th][:4]
    assert t_ref.size > 0
    p = LIFParams(E_L=p0.E_L, V_th=p0.V_th, V_reset=p0.V_reset, t_ref=t_ref)
    res = simulate(p, I=I, duration=3 * dt, dt=dt, V0=V0)
    for spikes in res.spike_times:
        assert len(spikes) == 2
        np.testing.assert_allclose(spikes, [t1, 2 * dt], rtol=1e-12)


# --------------------------------------------------------------------------
# _State.train: constant input over a block, spike train in closed form
# --------------------------------------------------------------------------

#: Binary-exact parameters: ``E_L + R * I_TH == V_TH`` in floating point, tau = 2**-7 s.
R_X, C_X = 2.0**24, 2.0**-31
E_L_X, V_TH_X, V_RESET_X = -(2.0**-4), -3 * 2.0**-6, -(2.0**-3)
I_TH = 2.0**-30


def test_closed_form_train_towards_a_steady_state_at_threshold_frees_the_neuron() -> None:
    """Constant input with ``V_inf == V_th`` exactly: after refractoriness the neuron is free.

    One spike (a kick in the last step of block 0), then block 1 holds the input
    at rheobase exactly. The potential relaxes from ``V_reset`` towards ``V_th``,
    ``V(t) = V_th + (V_reset - V_th) exp(-(t - t_end) / tau)``, and never fires;
    the grid shows that relaxation, not a neuron stuck in refractoriness.
    """
    tau = R_X * C_X
    dt, K = tau, 200  # dt / tau = 1: blocks of 200 steps
    t_ref = 1.5 * dt
    p = LIFParams(R=R_X, C=C_X, E_L=E_L_X, V_th=V_TH_X, V_reset=V_RESET_X, t_ref=t_ref)
    I = np.zeros(2 * K)
    I[K - 1] = 4e-9
    I[K:] = I_TH
    res = simulate(p, I=I, duration=2 * K * dt, dt=dt)
    v_inf, taus = _lif_steps(p, I)
    assert v_inf[K] == p.V_th
    spikes, V_ref = _reference(v_inf, taus, dt, p.E_L, p.V_th, p.V_reset, t_ref)
    assert len(spikes) == 1
    np.testing.assert_allclose(res.spike_times[0], spikes, rtol=1e-12)
    t_end = spikes[0] + t_ref
    free = res.t >= t_end
    assert free[K:].sum() > 190
    np.testing.assert_array_equal(res.refractory[0], ~free & (res.t > spikes[0]))
    expected = p.V_th + (p.V_reset - p.V_th) * np.exp(-(res.t[free] - t_end) / tau)
    np.testing.assert_allclose(res.V[0, free], expected, rtol=0, atol=1e-13)
    np.testing.assert_allclose(res.V[0], V_ref, rtol=0, atol=1e-13)


# --------------------------------------------------------------------------
# the whole engine against the event-driven reference: a batch of neurons
# --------------------------------------------------------------------------


def _batch_inputs(n_steps: int, dt: float) -> tuple[LIFParams, np.ndarray, np.ndarray, float]:
    """Six neurons, each with its own current and conductance over time.

    Row 0 has constant input (a closed-form train in every block), row 1 is
    constant from step 256 on (flat only in later blocks), row 5 only up to
    step 256 (flat in the first block only; its conductance stays off until
    step 512, so in the second block only its current varies), the others
    vary stepwise; row 4 gets a huge current in pulses and ``t_ref < dt``:
    several spikes per step.
    ``t_ref`` is off the grid and ``V_reset != E_L``; the conductance has
    ``E_syn = -80 mV``.
    """
    k = np.arange(n_steps)
    I = np.empty((6, n_steps))
    I[0] = 2.2e-9
    I[1] = np.where(k < 256, 1.5e-9 + 1e-9 * ((k // 37) % 2), 2.6e-9)
    I[2] = 1.6e-9 + 1.5e-9 * ((k // 53) % 3)
    I[3] = 3.0e-9 + 2e-9 * np.sin(k / 40.0)
    I[4] = np.where((k // 90) % 2 == 0, 1e-6, 0.5e-9)
    I[5] = np.where(k < 256, 2.5e-9, 2.5e-9 + 0.3e-9 * np.cos(k / 7.0))
    g = np.zeros((6, n_steps))
    g[2] = 20e-9 * ((k // 70) % 2)
    g[3] = 5e-9 * (1 + np.cos(k / 25.0))
    g[5] = np.where((k < 512) | (k % 200 < 100), 0.0, 15e-9)
    t_ref = np.array([2.3e-3, 1.7e-3, 0.37e-3, 3.05e-3, 0.06e-3, 1.234e-3])
    p = LIFParams(E_L=-65e-3, V_th=-50e-3, V_reset=-68e-3, t_ref=t_ref)
    return p, I, g, -80e-3


def _check_against_reference(
    p: LIFParams, I: np.ndarray, g: np.ndarray, E_syn: float, dt: float, V0: np.ndarray
) -> None:
    n, n_steps = I.shape
    res = simulate(p, I=I, g_syn=g, E_syn=E_syn, duration=n_steps * dt, dt=dt, V0=V0)
    pa = p.as_arrays(n)
    for i in range(n):
        pi = LIFParams(
            R=pa["R"][i], C=pa["C"][i], E_L=pa["E_L"][i], V_th=pa["V_th"][i],
            V_reset=pa["V_reset"][i], t_ref=pa["t_ref"][i],
        )  # fmt: skip
        v_inf, tau = _steps(pi, I[i], g[i], E_syn)
        spikes, V_ref = _reference(v_inf, tau, dt, V0[i], pi.V_th, pi.V_reset, pi.t_ref)
        assert len(res.spike_times[i]) == len(spikes), i
        np.testing.assert_allclose(res.spike_times[i], spikes, rtol=1e-9, atol=1e-13)
        np.testing.assert_allclose(res.V[i], V_ref, rtol=0, atol=1e-9)


def test_batch_of_neurons_matches_the_event_driven_reference_over_two_blocks() -> None:
    """512 steps of 0.1 ms: two blocks of 256 steps, spikes, resets and restarts in both."""
    dt = 1e-4
    p, I, g, E_syn = _batch_inputs(512, dt)
    V0 = np.array([-60e-3, -65e-3, -55e-3, -51e-3, -70e-3, -50.5e-3])
    _check_against_reference(p, I, g, E_syn, dt, V0)


def test_batch_of_neurons_matches_the_event_driven_reference_over_three_blocks() -> None:
    """700 steps: three blocks, the last one padded past the end."""
    dt = 1e-4
    p, I, g, E_syn = _batch_inputs(700, dt)
    V0 = np.array([-52e-3, -66e-3, -58e-3, -50.1e-3, -60e-3, -64e-3])
    _check_against_reference(p, I, g, E_syn, dt, V0)


def test_many_neurons_run_in_several_chunks_give_the_same_trains_as_a_few() -> None:
    """102 copies of the six neurons over 12 blocks: chunks of 10 blocks, then 2; same physics.

    With many neurons the engine processes the blocks in chunks that fit in
    the CPU cache; the block start times and step offsets must carry over, so
    every copy fires exactly like the six-neuron run (one chunk; its first
    blocks are checked against the reference above).
    """
    dt, n_steps, copies = 1e-4, 12 * 256, 17
    p, I, g, E_syn = _batch_inputs(n_steps, dt)
    V0 = np.array([-52e-3, -66e-3, -58e-3, -50.1e-3, -60e-3, -64e-3])
    few = simulate(p, I=I, g_syn=g, E_syn=E_syn, duration=n_steps * dt, dt=dt, V0=V0)
    pa = p.as_arrays(6)
    many_p = LIFParams(**{name: np.tile(pa[name], copies) for name in pa})
    many = simulate(
        many_p,
        I=np.tile(I, (copies, 1)),
        g_syn=np.tile(g, (copies, 1)),
        E_syn=E_syn,
        duration=n_steps * dt,
        dt=dt,
        V0=np.tile(V0, copies),
    )
    for i in range(6 * copies):
        np.testing.assert_allclose(many.spike_times[i], few.spike_times[i % 6], rtol=1e-12)
    np.testing.assert_allclose(many.V, np.tile(few.V, (copies, 1)), rtol=0, atol=1e-12)
    np.testing.assert_array_equal(many.refractory, np.tile(few.refractory, (copies, 1)))


# --------------------------------------------------------------------------
# _flat_blocks: which blocks get the closed-form train
# --------------------------------------------------------------------------


def test_input_equal_at_block_start_middle_and_end_is_not_taken_as_constant() -> None:
    """A dip in the input between the samples of the cheap flatness check is integrated.

    One block of 301 steps (two neurons: the block is the whole run). The
    current (neuron 0) or the conductance (neuron 1, ``E_syn = 0``) has the
    same value at steps 0, 150 and 300 but differs in steps 60..119; the
    spike train follows that dip, as the event-driven reference says.
    """
    dt, n_steps = 1e-4, 301
    k = np.arange(n_steps)
    dip = (k >= 60) & (k < 120)
    I = np.array([np.where(dip, 0.8e-9, 2.6e-9), np.full(n_steps, 3.0e-9)])
    g = np.array([np.zeros(n_steps), np.where(dip, 40e-9, 0.0)])
    p = LIFParams(E_L=-65e-3, V_th=-50e-3, V_reset=-60e-3, t_ref=0.73e-3)
    V0 = np.array([-55e-3, -58e-3])
    res = simulate(p, I=I, g_syn=g, E_syn=0.0, duration=n_steps * dt, dt=dt, V0=V0)
    for i in range(2):
        v_inf, tau = _steps(p, I[i], g[i], 0.0)
        spikes, V_ref = _reference(v_inf, tau, dt, V0[i], p.V_th, p.V_reset, p.t_ref)
        assert len(spikes) >= 3
        np.testing.assert_allclose(res.spike_times[i], spikes, rtol=1e-9)
        np.testing.assert_allclose(res.V[i], V_ref, rtol=0, atol=1e-9)


# --------------------------------------------------------------------------
# _block_size: stiff conductances (large dt / tau_eff per step)
# --------------------------------------------------------------------------


def _stiff_case(
    g_lo: float,
    g_hi: float,
    n_steps: int,
    t_ref: float,
    E_syn: float = -40e-3,
    I_on: float = 0.2e-9,
) -> None:
    """One neuron, a conductance switching every 5 steps, a current ``I_on`` in every other 25.

    With the default ``E_syn`` above threshold the neuron fires throughout.
    """
    dt = 1e-4
    k = np.arange(n_steps)
    g = np.where((k // 5) % 2 == 0, g_lo, g_hi)
    I = np.where((k // 25) % 2 == 0, 0.2e-9, I_on)
    p = LIFParams(E_L=-65e-3, V_th=-50e-3, V_reset=-62e-3, t_ref=t_ref)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no overflow or division by zero on the way
        res = simulate(p, I=I, g_syn=g, E_syn=E_syn, duration=n_steps * dt, dt=dt)
    v_inf, tau = _steps(p, I, g, E_syn)
    spikes, V_ref = _reference(v_inf, tau, dt, p.E_L, p.V_th, p.V_reset, p.t_ref)
    assert len(spikes) > 20
    assert np.all(np.isfinite(res.V))
    np.testing.assert_allclose(res.spike_times[0], spikes, rtol=1e-9)
    np.testing.assert_allclose(res.V[0], V_ref, rtol=0, atol=1e-9)


def test_stiff_conductance_over_many_steps_keeps_the_block_decay_bounded() -> None:
    """``dt / tau_eff`` ~ 0.5 per step for 2048 steps: the potential still follows the reference.

    The decay over a whole block would underflow ``exp`` (beyond ~745); the
    engine splits the run into blocks of at most 200 / (dt / tau_eff) steps.
    """
    _stiff_case(4e-6, 5e-6, 2048, 2.05e-3)


def test_very_stiff_conductance_takes_one_step_per_block() -> None:
    """``dt / tau_eff`` ~ 500 per step: ``V`` reaches each step's ``V_inf`` within the step.

    The propagator of two such steps underflows to 0; one step per block keeps
    it finite. The neuron fires every ``t_ref`` plus a sub-microsecond rise.
    """
    _stiff_case(5e-3, 6e-3, 400, 0.25e-3)


def test_moderately_stiff_conductance_with_two_steps_per_block() -> None:
    """``dt / tau_eff`` ~ 80 per step: blocks of two steps, each following the reference.

    ``E_syn = -55 mV`` is below threshold: the neuron fires only while a 6 uA
    current lifts ``V_inf`` above it, and sits near ``E_syn`` in between.
    """
    _stiff_case(7e-4, 8e-4, 150, 0.37e-3, E_syn=-55e-3, I_on=6e-6)


# --------------------------------------------------------------------------
# _assemble: refractory starts and free starts at the same grid point
# --------------------------------------------------------------------------


def test_refractory_mask_follows_the_spike_times_with_t_ref_below_dt() -> None:
    """Strong drive and ``t_ref < dt``: several spikes per step, each step ends free again.

    At each grid time ``t_k`` a neuron is refractory exactly when its last
    spike before ``t_k`` lies less than ``t_ref`` back; there ``V = V_reset``,
    elsewhere ``V < V_th``. (A refractory start and a free start often fall
    on the same grid point: the free one, the later event, decides.)
    """
    rng = np.random.default_rng(1)
    n, n_steps, dt = 20, 100, 1e-4
    t_ref = rng.uniform(0.01e-3, 0.09e-3, n)
    I = rng.uniform(0.5e-6, 2e-6, (n, 1)) * np.ones((1, n_steps))
    I[:, ::7] *= 0.99  # not constant: the block search, not the closed-form train
    p = LIFParams(E_L=-65e-3, V_th=-50e-3, V_reset=-68e-3, t_ref=t_ref)
    res = simulate(p, I=I, duration=n_steps * dt, dt=dt)
    for i in range(n):
        s = res.spike_times[i]
        assert len(s) > n_steps // 2
        last = np.searchsorted(s, res.t, side="left") - 1
        expected = (last >= 0) & (s[np.maximum(last, 0)] + t_ref[i] > res.t)
        np.testing.assert_array_equal(res.refractory[i], expected)
    assert np.all(res.V[res.refractory] == p.V_reset)
    assert np.all(res.V[~res.refractory] < p.V_th)


# --------------------------------------------------------------------------
# _check_spike_density: more than 10 spikes per step is refused, per neuron
# --------------------------------------------------------------------------


def _density_message(isi: float, dt: float) -> str:
    return (
        f"the input drives the neuron to fire every {isi:.3g} s, more than 10 spikes per "
        f"time step dt = {dt:g} s (allowed: at most 10 per step); lower the input, or use a "
        f"refractory period t_ref >= {dt / 10:g} s"
    )


def test_too_many_spikes_per_step_is_refused_with_the_shortest_interval() -> None:
    """``t_ref = 0``, strong current: interval ``T = tau ln((V_inf - V_reset) / (V_inf - V_th))``.

    The fastest neuron's interval (5 uA, ``V_inf`` ~ 50 V) is named.
    """
    p = LIFParams(E_L=-65e-3, V_th=-50e-3, V_reset=-60e-3, t_ref=0.0)
    dt = 1e-4
    I = np.array([[2e-6], [5e-6]])
    v_inf = p.E_L + p.R * 5e-6
    T = p.R * p.C * math.log((v_inf - p.V_reset) / (v_inf - p.V_th))
    assert T < dt / 10
    with pytest.raises(ValueError, match=f"^{re.escape(_density_message(T, dt))}$"):
        simulate(p, I=I, duration=10 * dt, dt=dt)


def test_the_fastest_step_decides_even_the_first_one() -> None:
    """A current that is strong only in step 0 is refused; in step 1 only, likewise."""
    p = LIFParams(E_L=-65e-3, V_th=-50e-3, V_reset=-60e-3, t_ref=0.0)
    dt = 1e-4
    for k in (0, 1):
        I = np.full(10, 1e-9)
        I[k] = 5e-6
        with pytest.raises(ValueError, match="more than 10 spikes per time step"):
            simulate(p, I=I, duration=10 * dt, dt=dt)


def test_a_short_time_constant_in_one_step_is_refused() -> None:
    """A conductance with ``E_syn = V_inf`` only shortens ``tau_eff``; in one step that suffices.

    ``V_inf`` stays at 35 mV; with ``tau = RC = 10 ms`` the interval is 1.1 ms
    (allowed at dt = 0.1 ms), with ``g = 100 uS`` in step 3 it is ~1.1 us.
    """
    p = LIFParams(E_L=-65e-3, V_th=-50e-3, V_reset=-60e-3, t_ref=0.0)
    dt, I0 = 1e-4, 10e-9
    E_syn = p.E_L + p.R * I0
    g = np.zeros(10)
    simulate(p, I=I0, g_syn=g, E_syn=E_syn, duration=10 * dt, dt=dt)  # allowed
    g[3] = 100e-6
    tau_min = p.C / (1 / p.R + 100e-6)
    T = tau_min * math.log((E_syn - p.V_reset) / (E_syn - p.V_th))
    with pytest.raises(ValueError, match=f"^{re.escape(_density_message(T, dt))}$"):
        simulate(p, I=I0, g_syn=g, E_syn=E_syn, duration=10 * dt, dt=dt)


def test_each_neuron_is_checked_with_its_own_drive_and_refractory_period() -> None:
    """A fast neuron with ``t_ref = dt`` next to a slow one with ``t_ref = 0``: both allowed.

    Neither fires more than 10 spikes per step. The slow neuron's interval is
    ``T = tau ln((V_inf - V_reset) / (V_inf - V_th))`` with its own ``V_inf``
    and ``tau`` -- not the fast neuron's far larger ``V_inf`` (first run) or
    far shorter ``tau_eff`` (second run, a 100 uS conductance) -- and it fires
    every ``T``.
    """
    p = LIFParams(E_L=-65e-3, V_th=-50e-3, V_reset=-60e-3, t_ref=np.array([1e-4, 0.0]))
    dt, tau = 1e-4, 10e-3
    for I0, g0 in ((5e-6, 0.0), (5e-6, 100e-6)):
        I = np.array([[I0], [3e-9]])
        g = np.array([[g0], [0.0]])
        res = simulate(p, I=I, g_syn=g, E_syn=0.0, duration=0.05, dt=dt)
        v_inf = -65e-3 + 10e6 * 3e-9
        T = tau * math.log((v_inf + 60e-3) / (v_inf + 50e-3))
        assert len(res.spike_times[1]) > 5
        np.testing.assert_allclose(np.diff(res.spike_times[1]), T, rtol=1e-9)
        assert len(res.spike_times[0]) > 300


def test_steady_states_at_or_below_threshold_pass_the_check_quietly() -> None:
    """``t_ref = 0``: ``V_inf`` between ``V_reset`` and ``V_th``, or exactly ``V_th``, never fires.

    No spike, and no floating-point warning (the logarithm of such a neuron
    is not needed: it does not fire).
    """
    tau = R_X * C_X
    p = LIFParams(R=R_X, C=C_X, E_L=E_L_X, V_th=V_TH_X, V_reset=-(2.0**-4) - 0.01, t_ref=0.0)
    I = np.array([[I_TH], [0.5 * I_TH]])  # V_inf = V_th exactly; between V_reset and V_th
    res = simulate(p, I=I, duration=20 * tau, dt=tau / 10)
    assert [len(s) for s in res.spike_times] == [0, 0]
    np.testing.assert_allclose(res.V[:, -1], E_L_X + R_X * I[:, 0], rtol=0, atol=1e-9)


# --------------------------------------------------------------------------
# exact synaptic events: sub-steps inside the steps of crossings and restarts
# --------------------------------------------------------------------------


def test_exact_synaptic_events_match_the_engine_at_one_microsecond() -> None:
    """Six neurons share one train of exponential synaptic events (``E_syn = 0``).

    Several blocks of 256 steps; ``t_ref`` off the grid, one below ``dt``.
    Inside the steps where a neuron crosses threshold or leaves refractoriness
    the engine integrates the events at their exact times, so at dt = 0.1 ms
    every spike lies within 1 us of the same input integrated at dt = 1 us
    (with only the step means of the conductance, errors reach 30 us).
    """
    T = 0.2
    t_ref = np.array([2.05e-3, 2.05e-3, 0.05e-3, 1.3e-3, 0.37e-3, 2.05e-3])
    p = LIFParams(V_reset=-60e-3, t_ref=t_ref)
    I = np.array([[0.8e-9], [1.0e-9], [1.2e-9], [1.5e-9], [2.0e-9], [2.5e-9]])
    pre = stimulus.poisson_spike_train(1000.0, T, seed=5)
    g = stimulus.SynapticConductance(pre, 3e-9, 5e-3)
    fine = simulate(p, I=I, g_syn=g, E_syn=0.0, duration=T, dt=1e-6)
    coarse = simulate(p, I=I, g_syn=g, E_syn=0.0, duration=T, dt=1e-4)
    for i in range(6):
        assert len(coarse.spike_times[i]) == len(fine.spike_times[i]) >= 7
        np.testing.assert_allclose(coarse.spike_times[i], fine.spike_times[i], rtol=0, atol=1e-6)
    assert np.all(coarse.V[coarse.refractory] == p.V_reset)


# --------------------------------------------------------------------------
# odds and ends: a silent neuron, a conductance so large that exp underflows
# --------------------------------------------------------------------------


def test_a_silent_last_neuron_keeps_its_empty_spike_train() -> None:
    """Below rheobase (``R I < V_th - E_L``) the last neuron never fires; the first one does."""
    p = LIFParams(V_reset=-60e-3)
    I = np.array([[2e-9], [1e-9]])  # R I = 20 mV and 10 mV
    res = simulate(p, I=I, duration=0.05, dt=1e-4)
    assert len(res.spike_times) == 2
    assert len(res.spike_times[0]) > 1 and len(res.spike_times[1]) == 0
    np.testing.assert_allclose(res.V[1, -1], -65e-3 + 10e-3 * (1 - math.exp(-4.99)), atol=1e-12)


def test_a_huge_conductance_holds_v_at_its_reversal_potential_without_warnings() -> None:
    """``dt / tau_eff`` ~ 1700 per step: the step propagator ``exp(-dt/tau_eff)`` underflows to 0.

    ``V`` equals the steady state after every step: ``E_syn`` below threshold
    (no spike), and ``E_syn = V_th`` exactly (binary-exact values: still no
    spike, the threshold is approached, not crossed). No floating-point
    warning on the way.
    """
    g = 2.0**-7  # 7.8 mS: tau_eff = C / (1/R + g) ~ 6e-8 s
    p = LIFParams(R=R_X, C=C_X, E_L=V_TH_X, V_th=V_TH_X, V_reset=V_RESET_X)
    V0 = -0.06
    for E_syn in (-0.0625, V_TH_X):
        v_inf = (p.E_L / p.R + g * E_syn) / (1 / p.R + g)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            res = simulate(p, I=0.0, g_syn=g, E_syn=E_syn, duration=1e-3, dt=1e-4, V0=V0)
        assert len(res.spike_times[0]) == 0
        assert res.V[0, 0] == V0
        np.testing.assert_allclose(res.V[0, 1:], v_inf, rtol=0, atol=1e-15)
    assert (p.E_L / p.R + g * V_TH_X) / (1 / p.R + g) == V_TH_X


def test_an_input_resting_exactly_at_rheobase_fires_only_once_raised() -> None:
    """Two neurons whose input settles at ``E_L + R I == V_th`` exactly, then rises.

    Binary-exact values. The input is not constant (it starts lower), so the
    block search runs; after tens of ``tau`` the potential is at ``V_th`` to
    round-off on every grid point, yet a steady state at threshold is only
    approached: no spike while it lasts, ``V`` below ``V_th``. From step 600
    on the current is 1.5 times rheobase and both neurons fire at once and
    then regularly, as the event-driven reference says. (1000 steps of
    ``tau / 4``: two blocks of 800.)
    """
    tau = R_X * C_X
    dt, n_steps, k_on = tau / 4, 1000, 600
    p = LIFParams(R=R_X, C=C_X, E_L=E_L_X, V_th=V_TH_X, V_reset=V_RESET_X, t_ref=1e-3)
    I = np.full((2, n_steps), I_TH)
    I[0, 0] = 0.5 * I_TH
    I[1, :3] = 0.0
    I[:, k_on:] = 1.5 * I_TH
    V0 = np.array([-0.06, -0.055])
    res = simulate(p, I=I, duration=n_steps * dt, dt=dt, V0=V0)
    assert np.all(res.V < V_TH_X)
    np.testing.assert_allclose(res.V[:, k_on], V_TH_X, rtol=0, atol=1e-15)
    for i in range(2):
        v_inf, taus = _lif_steps(p, I[i])
        spikes, V_ref = _reference(v_inf, taus, dt, V0[i], p.V_th, p.V_reset, p.t_ref)
        assert len(spikes) > 5 and spikes[0] >= k_on * dt
        np.testing.assert_allclose(res.spike_times[i], spikes, rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(res.V[i], V_ref, rtol=0, atol=1e-12)


def test_constant_input_over_several_blocks_fires_and_relaxes_in_closed_form() -> None:
    """Five neurons, constant currents, 5000 steps (blocks of 1024): three fire, two do not.

    The subthreshold ones follow ``E_L + R I (1 - exp(-t / tau))`` across the
    block boundaries; the firing one spikes first after
    ``tau ln(R I / (R I - (V_th - E_L)))`` and then every
    ``t_ref + tau ln((V_inf - V_reset) / (V_inf - V_th))``.
    """
    p = LIFParams(V_reset=-60e-3, t_ref=2.05e-3)
    tau, dt, n_steps = 10e-3, 1e-4, 5000
    I = np.array([[1.0e-9], [2.0e-9], [1.4e-9], [2.5e-9], [3.0e-9]])
    res = simulate(p, I=I, duration=n_steps * dt, dt=dt)
    for i in (0, 2):
        assert len(res.spike_times[i]) == 0
        expected = -65e-3 + 10e6 * I[i, 0] * (1 - np.exp(-res.t / tau))
        np.testing.assert_allclose(res.V[i], expected, rtol=0, atol=1e-12)
    for i in (1, 3, 4):
        rI = 10e6 * I[i, 0]
        v_inf = -65e-3 + rI
        first = tau * math.log(rI / (rI - 15e-3))
        period = p.t_ref + tau * math.log((v_inf + 60e-3) / (v_inf + 50e-3))
        s = res.spike_times[i]
        assert len(s) > 20
        np.testing.assert_allclose(s, first + period * np.arange(len(s)), rtol=1e-9)


def test_a_refractory_period_ending_exactly_at_a_block_start_restarts_from_v_reset() -> None:
    """One neuron, blocks of 2048 steps; its refractory period ends exactly at step 2048.

    There the current drops below rheobase (3 nA -> 1 nA). From step 2048 on
    the neuron is free and relaxes from ``V_reset`` towards ``V_inf = -55 mV``,
    ``V(t) = V_inf + (V_reset - V_inf) exp(-(t - t_end) / tau)``, through the
    next block as well; it does not fire again.
    """
    dt, n_steps, m = 1e-4, 5000, 2048
    base = LIFParams(V_reset=-70e-3)
    k = np.arange(n_steps)
    I = np.where(k < m, 3e-9, 1e-9) + 1e-18 * np.sin(k)  # not constant: the block search
    t1 = float(simulate(base, I=I, duration=n_steps * dt, dt=dt).spike_times[0][0])
    t_ref = m * dt - t1
    assert t1 + t_ref == 1 * (m * dt)  # exactly the start of the second block
    p = LIFParams(V_reset=-70e-3, t_ref=t_ref)
    res = simulate(p, I=I, duration=n_steps * dt, dt=dt)
    np.testing.assert_array_equal(res.spike_times[0], [t1])
    assert not res.refractory[0, m + 1 :].any()  # (the flag at m itself is a matter of round-off)
    v_inf, tau = -55e-3, 10e-3
    expected = v_inf + (p.V_reset - v_inf) * np.exp(-(res.t[m:] - m * dt) / tau)
    np.testing.assert_allclose(res.V[0, m:], expected, rtol=0, atol=1e-12)
