"""Mutation-driven checks of lif_core.analysis.beyond and lif_core.analysis.inhibition.

Each test pins behaviour that the existing tests leave open: the exact validation
messages, the time step reaching the HH run, the resting potential read at t = 0,
the post-pulse window of the ringing record, the linearised ringing frequency and
decay (and their absence for an overdamped membrane), rebound spikes counted only
after the pulse, one-condition rows, the Hopf bisection's stopping rule, the f–I
grid, and the "no EPSP" guard of the shunting demo.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable

import numpy as np
import pytest

from lif_core import stimulus
from lif_core.analysis import beyond as B  # noqa: N812
from lif_core.analysis import inhibition as inh
from lif_core.models.hh import resting_state, stability
from lif_core.params import LIFParams

# ------------------------------------------------------------------ validation messages


def _message(call: Callable[[], object]) -> str:
    """The message of the ValueError that ``call`` raises."""
    with pytest.raises(ValueError) as exc:
        call()
    return str(exc.value)


def test_spike_shape_rejects_zero_width_with_exact_message() -> None:
    """A pulse of zero width is refused: name, value, unit and open range."""
    msg = _message(lambda: B.spike_shape(5e-9, 0.0))
    assert msg == "width = 0.0 s is out of range (allowed: width > 0 s)"


def test_spike_shape_rejects_negative_infinite_width_by_its_range() -> None:
    """-inf is out of range for spike_shape itself (before the pulse's finiteness check)."""
    msg = _message(lambda: B.spike_shape(5e-9, -math.inf))
    assert msg == "width = -inf s is out of range (allowed: width > 0 s)"


def test_ringing_rejects_depolarising_hyper_pulse_with_exact_message() -> None:
    """The 'hyperpolarising' pulse must be <= 0 A."""
    msg = _message(lambda: B.ringing_and_rebound(2e-9, 1e-9, 5e-3))
    assert msg == "hyper_amplitude = 1e-09 A is out of range (allowed: hyper_amplitude <= 0 A)"


def test_ringing_rejects_zero_hyper_width_with_exact_message() -> None:
    """The hyperpolarising pulse needs a positive duration."""
    msg = _message(lambda: B.ringing_and_rebound(2e-9, -5e-9, 0.0))
    assert msg == "hyper_width = 0.0 s is out of range (allowed: hyper_width > 0 s)"


def test_fi_classes_rejects_zero_top_current_with_exact_message() -> None:
    """An f–I chart needs a positive right end."""
    msg = _message(lambda: B.fi_classes(0.0))
    assert msg == "I_max = 0.0 A is out of range (allowed: I_max > 0 A)"


# ------------------------------------------------------------------ hh_rate, crossings


def test_hh_rate_keeps_spike_at_skip_and_needs_two_spikes() -> None:
    """A spike exactly at ``skip`` counts; two spikes give one interval."""
    # spikes at 0.1, 0.2, 0.4 s after skip = 0.1: 2 intervals over 0.3 s
    assert B.hh_rate(np.array([0.05, 0.1, 0.2, 0.4]), 0.1) == pytest.approx(2 / 0.3)
    # exactly two spikes: one interval of 0.1 s -> 10 Hz
    assert B.hh_rate(np.array([0.3, 0.4]), 0.25) == pytest.approx(10.0)
    assert B.hh_rate(np.array([0.3]), 0.25) == 0.0


def test_crossing_times_touching_level_is_zero_width() -> None:
    """A sample exactly at the level counts as reaching it (up and down there)."""
    t = np.array([0.0, 1.0, 2.0, 3.0])
    up, down = B._crossing_times(t, np.array([0.0, 1.0, 0.0, 0.0]), 1.0)
    assert (up, down) == (1.0, 1.0)


def test_crossing_times_skips_initial_segment_above_level() -> None:
    """Starting above the level is no upward crossing; the first real one is found."""
    t = np.array([0.0, 1.0, 2.0, 3.0])
    up, down = B._crossing_times(t, np.array([2.0, 0.0, 2.0, 0.0]), 1.0)
    assert up == pytest.approx(1.5) and down == pytest.approx(2.5)


# ------------------------------------------------------------------ spike shape


def test_spike_shape_uses_given_dt_and_rest_at_t0() -> None:
    """The HH runs on the caller's grid; V_rest is V at t = 0 even if the pulse starts there."""
    dt = 5e-5
    s = B.spike_shape(10e-9, 1e-3, onset=0.0, duration=10e-3, dt=dt)
    assert s.hh.t[1] - s.hh.t[0] == pytest.approx(dt)
    rest = float(resting_state(B.HH, 0.0).V)
    assert s.V_rest == pytest.approx(rest, abs=1e-9)
    assert s.V_rest == s.hh.V[0, 0]
    # the pulse depolarises from the first step on
    assert s.hh.V[0, 1] > s.V_rest + 1e-4


# ------------------------------------------------------------------ ringing and rebound


def test_ringing_uses_given_dt_and_rest_at_t0() -> None:
    """Both HH rows run at the caller's dt; V_rest is read at t = 0, before any drive."""
    dt = 5e-5
    r = B.ringing_and_rebound(2e-9, -5e-9, 2e-3, onset=0.0, duration=8e-3, dt=dt)
    assert r.small.t[1] - r.small.t[0] == pytest.approx(dt)
    rest = float(resting_state(B.HH, 0.0).V)
    assert r.V_rest == pytest.approx(rest, abs=1e-9)
    assert r.small.V[0, 1] > r.V_rest + 1e-5


def test_undershoot_window_starts_at_pulse_end_short_run() -> None:
    """Run stops 0.5 ms after the pulse: both models are still above rest there.

    The post-pulse minimum is then positive and sits at the last sample (still
    decaying); the rest before the pulse must not enter it.
    """
    r = B.ringing_and_rebound(2e-9, -5e-9, 5e-3, duration=6.5e-3)
    assert r.ring_undershoot > 1e-4
    assert r.ring_undershoot == pytest.approx(r.small.V[0, -1] - r.V_rest)
    assert r.lif_undershoot > 1e-4
    assert r.lif_undershoot == pytest.approx(r.small_lif.V[0, -1] - r.lif_params.E_L)


def test_undershoot_window_includes_pulse_end_sample() -> None:
    """A negative 'small' pulse: the lowest point after it is at its very end."""
    r = B.ringing_and_rebound(-2e-9, -5e-9, 5e-3, duration=20e-3)
    (k,) = np.flatnonzero(np.isclose(r.small.t, 6e-3, rtol=0, atol=1e-12))
    assert r.ring_undershoot == r.small.V[0, k] - r.V_rest
    assert r.small.V[0, k + 1] > r.small.V[0, k]
    assert r.lif_undershoot == r.small_lif.V[0, k] - r.lif_params.E_L
    assert r.small_lif.V[0, k + 1] > r.small_lif.V[0, k]


def test_ringing_frequency_and_decay_from_linearisation() -> None:
    """Default membrane: one complex pair -202.6 ± 383.2i /s -> 61.0 Hz, 4.93 ms."""
    r = B.ringing_and_rebound(2e-9, -5e-9, 5e-3, duration=10e-3)
    ev = stability(B.HH, 0.0)
    pair = ev[ev.imag != 0]
    assert pair.size == 2
    assert r.ring_frequency == pytest.approx(abs(pair[0].imag) / (2 * np.pi), rel=1e-12)
    assert r.ring_decay == pytest.approx(-1.0 / pair[0].real, rel=1e-12)
    assert r.ring_frequency == pytest.approx(383.2245 / (2 * np.pi), rel=1e-5)
    assert r.ring_decay == pytest.approx(1 / 202.63885, rel=1e-5)


def test_overdamped_membrane_has_no_ringing() -> None:
    """With a 100x leak every eigenvalue at rest is real: frequency 0, decay nan."""
    leaky = dataclasses.replace(B.HH, g_L=100.0)
    assert np.all(np.imag(stability(leaky, 0.0)) == 0)
    r = B.ringing_and_rebound(2e-9, -5e-9, 2e-3, duration=8e-3, params=leaky)
    assert r.ring_frequency == 0.0
    assert math.isnan(r.ring_decay)


def test_rebound_spikes_only_after_pulse_end() -> None:
    """A spontaneously firing HH (E_K = -60 mV): spikes during the pulse are not rebound."""
    firing = dataclasses.replace(B.HH, E_K=-0.06)
    r = B.ringing_and_rebound(2e-9, -1e-9, 40e-3, duration=60e-3, params=firing)
    end = 45e-3
    during = r.hyper.spike_times[0][r.hyper.spike_times[0] < end]
    assert during.size > 0
    assert r.rebound_spikes.size > 0
    assert np.all(r.rebound_spikes >= end)
    spikes = r.hyper.spike_times[0]
    np.testing.assert_array_equal(r.rebound_spikes, spikes[-r.rebound_spikes.size :])


def test_rows_are_single_conditions() -> None:
    """Each row is one condition: shape (1, N) for every trace, with its own current."""
    dt, onset, dur = 5e-5, 1e-3, 6e-3
    r = B.ringing_and_rebound(2e-9, -5e-9, 3e-3, onset=onset, duration=dur, dt=dt)
    small_I = stimulus.pulse(2e-9, onset, 1e-3, dur, dt)
    hyper_I = stimulus.pulse(-5e-9, onset, 3e-3, dur, dt)
    for res in (r.small, r.hyper):
        for arr in (res.V, res.n, res.m, res.h):
            assert arr.shape == (1, res.t.size)
        assert res.I.shape == (1, small_I.size)
        assert len(res.spike_times) == 1
    for res in (r.small_lif, r.hyper_lif):
        for arr in (res.V, res.refractory):
            assert arr.shape == (1, res.t.size)
        assert res.I.shape == (1, small_I.size)
        assert len(res.spike_times) == 1
    np.testing.assert_allclose(r.small.I[0], small_I)
    np.testing.assert_allclose(r.hyper.I[0], hyper_I)
    np.testing.assert_allclose(r.small_lif.I[0], small_I)
    np.testing.assert_allclose(r.hyper_lif.I[0], hyper_I)


# ------------------------------------------------------------------ Hopf, f–I


def test_hopf_found_just_above_it() -> None:
    """An upper end only 0.01 % above the Hopf point (Re λ ≈ 0.02 /s) still brackets it."""
    hopf = B.hopf_current()
    assert hopf == pytest.approx(9.7757e-9, rel=1e-4)
    assert B.hopf_current(high=hopf * 1.0001) == pytest.approx(hopf, abs=2e-12)


def test_hopf_bisection_stops_at_one_picoamp() -> None:
    """From [0, 2^14 pA] the halvings end on an interval of exactly 1 pA: its midpoint."""
    pA = 1e-12
    result = B.hopf_current(high=pA * 2**14)
    j = result / pA - 0.5
    assert j == pytest.approx(round(j), abs=1e-6)
    assert abs(result - B.hopf_current()) <= pA


def test_fi_classes_default_grid_and_protocol() -> None:
    """Default chart: 41 currents 0.5 nA apart from 0 to 20 nA; the protocol is recorded."""
    f = B.fi_classes()
    assert f.currents.size == 41
    assert f.currents[1] - f.currents[0] == pytest.approx(0.5e-9)
    assert f.protocol == B.FI_PROTOCOL


def test_fi_operating_records_skip() -> None:
    """The skipped transient is returned as given, and the rate uses it."""
    op = B.fi_operating(15e-9, duration=0.06, skip=0.02)
    assert op.skip == 0.02
    assert op.hh_rate == B.hh_rate(op.hh.spike_times[0], 0.02)
    assert op.hh_rate > 0


# ------------------------------------------------------------------ shunting demo

Q = LIFParams()


def test_shunting_tiny_epsp_has_no_ratio() -> None:
    """A positive but sub-nV EPSP (1e-18 S) counts as no EPSP: ratios are nan."""
    s = inh.shunting_demo(Q, 1e-18, 50e-9, 0.0)
    assert 0 < s.peak_E < 1e-9
    assert 0 < s.epsp_E < 1e-9
    assert math.isnan(s.nonlinear_fraction)
    assert math.isnan(s.epsp_ratio)


def test_barely_underdamped_membrane_still_rings_slowly() -> None:
    """Just below critical damping (leak raised until the pair nearly merges) the
    rest still has a complex pair of tiny imaginary part: a slow but nonzero ring."""
    lo, hi = 30.0, 100.0  # g_L (S/m²): complex pair at 30, all real at 100
    for _ in range(40):
        mid = 0.5 * (lo + hi)
        if np.any(stability(dataclasses.replace(B.HH, g_L=mid), 0.0).imag != 0):
            lo = mid
        else:
            hi = mid
    params = dataclasses.replace(B.HH, g_L=lo)
    ev = stability(params, 0.0)
    pair = ev[ev.imag != 0]
    assert pair.size == 2 and 0 < abs(pair[0].imag) < 1
    r = B.ringing_and_rebound(2e-9, -5e-9, 2e-3, duration=8e-3, params=params)
    assert r.ring_frequency == pytest.approx(abs(pair[0].imag) / (2 * np.pi), rel=1e-9)
    assert 0 < r.ring_frequency < 1
    assert r.ring_decay == pytest.approx(-1.0 / pair[0].real, rel=1e-9)
