"""Pattern rule, adaptation and dendrite records: every branch, boundary and field.

:func:`lif_core.analysis.patterns.classify_pattern` is checked on hand-made spike trains
whose intervals are exact binary fractions, so each threshold of the rule (transient
silence, 4 spikes, second half of the step, burst ratio 1/3, delay 1.1 x and 100 ms,
adapting 1.3 x) can be hit exactly, on and beside its boundary, and every field of the
report is compared. :func:`isi_period` is checked on its length, tolerance and
``max_period`` limits. :func:`adaptation` and :func:`dendritic_input` are checked to pass
their arguments on (duration, dt, params) and against the passive RC closed form.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from lif_core.analysis.adaptation import adaptation
from lif_core.analysis.dendrites import dendritic_input
from lif_core.analysis.patterns import PatternReport, classify_pattern, isi_period
from lif_core.models.adex import PRESETS
from lif_core.models.compartments import TwoCompartmentParams


def assert_report(
    rep: PatternReport,
    pattern: str,
    times: np.ndarray,
    period: int,
    steady_isi: float,
    onset: float = 0.0,
) -> None:
    """Compare every field of ``rep`` with the expected ones (``times`` inside the step)."""
    t = np.asarray(times, dtype=float) - onset
    assert rep.pattern == pattern
    assert isinstance(rep.n_spikes, int) or isinstance(rep.n_spikes, np.integer)
    assert rep.n_spikes == t.size
    if t.size:
        assert rep.latency == pytest.approx(t[0], abs=1e-15)
    else:
        assert isinstance(rep.latency, float) and math.isnan(rep.latency)
    assert isinstance(rep.isi, np.ndarray)
    assert rep.isi.dtype == np.float64
    np.testing.assert_allclose(rep.isi, np.diff(t), rtol=0, atol=1e-15)
    assert rep.isi.shape == (max(t.size - 1, 0),)
    assert isinstance(rep.period, int)
    assert rep.period == period
    assert isinstance(rep.steady_isi, float)
    if math.isnan(steady_isi):
        assert math.isnan(rep.steady_isi)
    else:
        assert rep.steady_isi == pytest.approx(steady_isi, rel=1e-12)


# ----------------------------------------------------------------------- isi_period


def test_isi_period_zero_tolerance_exact_repeat() -> None:
    """Identical intervals repeat with period 1 even with zero tolerance."""
    assert isi_period([0.25, 0.25, 0.25], tolerance=0.0) == 1
    assert isi_period([0.25, 0.5, 0.25, 0.5, 0.25], tolerance=0.0) == 2


def test_isi_period_needs_two_groups_plus_one() -> None:
    """A group must appear twice plus one interval: 4 intervals cannot show period 2."""
    assert isi_period([0.1, 0.2, 0.1, 0.2]) == 0
    assert isi_period([0.1, 0.2, 0.1, 0.2, 0.1]) == 2


def test_isi_period_max_period_limit() -> None:
    """``max_period`` is the largest period tried, inclusive."""
    assert isi_period([0.1, 0.1, 0.1], max_period=1) == 1
    assert isi_period([0.1, 0.2, 0.1, 0.2, 0.1], max_period=2) == 2
    assert isi_period([0.1, 0.2, 0.1, 0.2, 0.1], max_period=1) == 0
    triplet = [0.1, 0.1, 0.3] * 2 + [0.1]
    assert isi_period(triplet, max_period=2) == 0
    assert isi_period(triplet, max_period=3) == 3


def test_isi_period_unsigned_integer_intervals() -> None:
    """Intervals given as unsigned sample counts are compared as numbers (no wrap-around)."""
    counts = np.array([100, 99, 100], dtype=np.uint8)
    assert isi_period(counts) == 1
    assert isi_period(counts.astype(float)) == 1


# --------------------------------------------------------------- classify_pattern: args


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"onset": float("nan")}, "onset must be a finite number, got nan"),
        ({"duration": float("inf")}, "duration must be a finite number, got inf"),
        (
            {"duration": 0.0},
            "duration = 0.0 s is out of range (allowed: duration > 0 s)",
        ),
        (
            {"spike_times": [0.1, float("nan")]},
            "spike_times must be a finite number, got nan",
        ),
    ],
)
def test_classify_pattern_argument_messages(kwargs: dict, message: str) -> None:
    """Bad arguments raise ValueError naming the argument, its value and range."""
    args = {"spike_times": [0.1], "onset": 0.0, "duration": 1.0} | kwargs
    with pytest.raises(ValueError) as err:
        classify_pattern(**args)
    assert str(err.value) == message


def test_classify_pattern_window_is_closed() -> None:
    """Spikes at the onset and at the end of the step count; those outside do not."""
    onset, duration = 1.0, 2.0
    inside = np.array([1.0, 1.5, 2.0, 2.5, 3.0])
    spikes = np.concatenate([[0.5, 0.75], inside, [3.25, 3.5]])
    rep = classify_pattern(spikes, onset, duration)
    assert_report(rep, "tonic", inside, 1, 0.5, onset=onset)


def test_classify_pattern_integer_times_give_float_intervals() -> None:
    """Integer spike times (s) still give float intervals."""
    rep = classify_pattern([1, 2, 3, 4, 5], 0, 6)
    assert_report(rep, "tonic", np.array([1.0, 2.0, 3.0, 4.0, 5.0]), 1, 1.0)


# ----------------------------------------------------------- classify_pattern: branches


def test_silent_report() -> None:
    """No spike in the step: silent, with nan latency and steady ISI, period -1."""
    rep = classify_pattern([], 0.0, 1.0)
    assert_report(rep, "silent", np.array([]), -1, float("nan"))
    rep = classify_pattern([2.0], 0.0, 1.0)
    assert_report(rep, "silent", np.array([]), -1, float("nan"))


def test_single_early_spike_is_transient() -> None:
    """One spike early in the step, then silence: transient (no interval to compare)."""
    rep = classify_pattern([0.125], 0.0, 1.0)
    assert_report(rep, "transient", np.array([0.125]), -1, float("nan"))


def test_single_late_spike_is_too_few() -> None:
    """One spike in the second half: not transient, too few spikes."""
    rep = classify_pattern([0.625], 0.0, 1.0)
    assert_report(rep, "too few spikes", np.array([0.625]), -1, float("nan"))


def test_long_interval_keeps_train_from_being_transient() -> None:
    """The silence after the last spike must also exceed 5 x the longest interval."""
    times = np.array([0.0, 0.25])
    rep = classify_pattern(times, 0.0, 1.0)  # silence 0.75 < 5 * 0.25
    assert_report(rep, "too few spikes", times, -1, float("nan"))


def test_transient_between_five_and_six_longest() -> None:
    """A silence of 5.6 x the longest ISI (and > half the step) is transient."""
    times = np.array([0.0, 0.125, 0.25])
    rep = classify_pattern(times, 0.0, 0.95)  # silence 0.7 = 5.6 x 0.125
    assert_report(rep, "transient", times, -1, float("nan"))


def test_transient_threshold_is_half_the_step_strictly() -> None:
    """Silence of exactly half the step is not transient; a little more is."""
    times = np.arange(9) * 0.125  # 0 ... 1.0, in a 2 s step: silence exactly 1.0
    rep = classify_pattern(times, 0.0, 2.0)
    assert rep.pattern == "tonic"
    assert_report(rep, "tonic", times, 1, 0.125)
    rep = classify_pattern(times[:-1], 0.0, 2.0)  # silence 1.125 > 1.0
    assert_report(rep, "transient", times[:-1], -1, float("nan"))


def test_three_spikes_too_few_four_enough() -> None:
    """Three spikes (not transient) are too few; four are classified."""
    times = np.array([0.125, 0.25, 0.375, 0.5])
    rep = classify_pattern(times[:3], 0.0, 0.5)
    assert_report(rep, "too few spikes", times[:3], -1, float("nan"))
    rep = classify_pattern(times, 0.0, 0.625)
    assert_report(rep, "tonic", times, 1, 0.125)


def test_steady_intervals_start_in_second_half() -> None:
    """Steady ISIs are those starting at or after T/2 (median over them)."""
    # 4 s step: the intervals starting at t >= 2.0 (the one at exactly 2.0 included)
    # are 0.5, 0.5, 0.125, 0.125: median 0.3125, no period among only four.
    times = np.array([0.0, 1.0, 2.0, 2.5, 3.0, 3.125, 3.25])
    rep = classify_pattern(times, 0.0, 4.0)
    assert_report(rep, "tonic", times, 0, 0.3125)


def test_steady_fallback_is_last_three_intervals() -> None:
    """Fewer than 3 intervals start in the second half: the last three are steady."""
    isi = np.array([0.125, 0.25, 0.375, 0.5, 0.625])
    times = np.concatenate([[0.0], np.cumsum(isi)])  # 0 ... 1.875
    rep = classify_pattern(times, 0.0, 2.0)  # only the last interval starts after 1.0
    assert_report(rep, "adapting", times, 0, 0.5)


def test_irregular_needs_five_steady_intervals() -> None:
    """Five steady intervals that do not repeat: irregular (period 0)."""
    isi = [0.5, 0.5, 0.15, 0.1, 0.2, 0.13, 0.17]
    times = np.round(np.concatenate([[0.0], np.cumsum(isi)]), 12)
    assert np.sum(times[:-1] >= 1.0) == 5  # in a 2 s step
    rep = classify_pattern(times, 0.0, 2.0)
    assert_report(rep, "irregular", times, 0, float(np.median(np.diff(times)[-5:])))


def test_four_irregular_steady_intervals_are_not_irregular() -> None:
    """With only four steady intervals irregularity is not judged."""
    isi = [0.5, 0.5, 0.15, 0.1, 0.2, 0.13]
    times = np.round(np.concatenate([[0.0], np.cumsum(isi)]), 12)
    rep = classify_pattern(times, 0.0, 2.0)
    assert_report(rep, "tonic", times, 0, float(np.median(np.diff(times)[-4:])))


def test_regular_bursting_doublets() -> None:
    """Doublets (period 2, short/long under 1/3) are regular bursting."""
    isi = np.array([0.0625, 0.5] * 8)
    times = np.concatenate([[0.0], np.cumsum(isi)])
    rep = classify_pattern(times, 0.0, float(times[-1]) + 0.125)
    assert_report(rep, "regular bursting", times, 2, 0.5)


def test_period_two_without_burst_ratio_is_not_bursting() -> None:
    """Alternating intervals within a factor 3 are not bursts."""
    isi = np.array([0.25, 0.375] * 8)
    times = np.concatenate([[0.0], np.cumsum(isi)])
    rep = classify_pattern(times, 0.0, float(times[-1]) + 0.125)
    assert_report(rep, "adapting", times, 2, 0.375)


def test_burst_ratio_boundary_is_strict() -> None:
    """Short interval exactly a third of the long one: not a burst."""
    assert (1 / 3) * 0.375 == 0.125
    isi = np.array([0.125, 0.375] * 8)
    times = np.concatenate([[0.0], np.cumsum(isi)])
    rep = classify_pattern(times, 0.0, float(times[-1]) + 0.125)
    assert_report(rep, "adapting", times, 2, 0.375)


def test_delayed_report() -> None:
    """First spike after 1.1 x the longest ISI and 100 ms: delayed."""
    times = np.array([0.5, 0.625, 0.75, 0.875, 1.0])
    rep = classify_pattern(times, 0.0, 1.0)
    assert_report(rep, "delayed", times, 1, 0.125)


def test_delay_boundary_is_strict() -> None:
    """Latency exactly 100 ms (> 1.1 x the ISIs) is not yet delayed."""
    times = np.array([0.1, 0.125, 0.15, 0.175, 0.2])
    rep = classify_pattern(times, 0.0, 0.25)
    assert rep.latency == 0.1
    assert rep.pattern == "tonic"


def test_initial_burst_report() -> None:
    """Two intervals under a third of the steady ISI, then regular: initial burst."""
    times = np.array([0.0, 0.03125, 0.0625, 0.5, 1.0, 1.5, 2.0])
    rep = classify_pattern(times, 0.0, 2.0)
    assert_report(rep, "initial burst", times, 1, 0.5)


def test_initial_burst_boundary_is_strict() -> None:
    """Burst intervals of exactly a third of the steady ISI do not make a burst."""
    assert (1 / 3) * 0.375 == 0.125
    times = np.array([0.0, 0.125, 0.25, 0.625, 1.0, 1.375, 1.75])
    rep = classify_pattern(times, 0.0, 1.75)
    assert rep.steady_isi == 0.375
    assert rep.pattern != "initial burst"


def test_adapting_report_uses_last_against_first() -> None:
    """The last interval against the first decides adapting."""
    times = np.array([0.0, 0.25, 0.75, 1.25, 1.75])  # ISIs 0.25, 0.5, 0.5, 0.5
    rep = classify_pattern(times, 0.0, 2.0)
    assert_report(rep, "adapting", times, 1, 0.5)


def test_adapting_ratio_boundary_is_inclusive() -> None:
    """Last ISI exactly 1.3 x the first: adapting."""
    first = 3 / 256
    times = np.array([0.0, first, 2 * first, 3 * first, 3 * first + 1.3 * first])
    isi = np.diff(times)
    assert isi[-1] == 1.3 * isi[0]
    rep = classify_pattern(times, 0.0, float(times[-1]) + first)
    assert_report(rep, "adapting", times, 0, first)


def test_long_second_last_interval_is_not_adapting() -> None:
    """Only the last interval counts: a long one before it does not make adapting."""
    times = np.array([0.0, 0.25, 0.5, 0.875, 1.125])  # ISIs 0.25, 0.25, 0.375, 0.25
    rep = classify_pattern(times, 0.0, 1.25)
    assert_report(rep, "tonic", times, 0, 0.25)


# ----------------------------------------------------------------------- adaptation


def test_adaptation_unknown_preset_message() -> None:
    """An unknown preset names the allowed ones, comma separated."""
    with pytest.raises(ValueError) as err:
        adaptation("chattering")
    allowed = ", ".join(PRESETS)
    assert str(err.value) == f"preset = 'chattering' is not known (allowed: {allowed})"


def test_adaptation_passes_duration_and_dt() -> None:
    """Both models run for ``duration`` at step ``dt``; the preset is recorded."""
    rec = adaptation("tonic", duration=0.3, dt=5e-5)
    assert rec.preset == "tonic"
    assert rec.duration == 0.3
    for t in (rec.adex.t, rec.lif.t):
        assert np.diff(t) == pytest.approx(5e-5, rel=1e-9)
        assert t[-1] == pytest.approx(0.3, abs=1e-4)


# ------------------------------------------------------------------------ dendrites


def test_dendritic_input_uses_given_params() -> None:
    """The cell passed in is used; the point neuron merges its two compartments."""
    cell = TwoCompartmentParams(C_s=0.3e-9, C_d=0.9e-9, g_s=20e-9, g_d=30e-9, E_L=-0.07)
    rec = dendritic_input(10e-9, params=cell)
    pt = rec.point
    assert pt.R == pytest.approx(1.0 / 50e-9, rel=1e-12)
    assert pt.C == pytest.approx(1.2e-9, rel=1e-12)
    assert pt.E_L == -0.07
    assert pt.V_th == pytest.approx(-0.07 + 1.0, rel=1e-12)
    assert pt.V_reset == -0.07
    # Its response to the pulse is the RC closed form from rest E_L.
    tau = pt.R * pt.C
    peak = 1e-9 * pt.R * (1.0 - math.exp(-2e-3 / tau))
    assert rec.point_peak == pytest.approx(peak, rel=1e-9)
    assert rec.t_point_peak == pytest.approx(5e-3 + 2e-3, abs=1e-12)
    assert rec.point_V[0] == -0.07
    # The dendrite, fed directly, peaks above rest by at least the soma's peak.
    dend = float((rec.result.V_d[1] - cell.E_L).max())
    assert rec.dend_peak_from_dend == pytest.approx(dend, rel=1e-12)
    assert 0.0 < rec.soma_peak_from_dend < rec.dend_peak_from_dend < 0.1


def test_dendritic_input_passes_dt() -> None:
    """Both simulations use the given time step."""
    rec = dendritic_input(25e-9, amplitude=1e-9, dt=5e-5, duration=0.05)
    assert np.diff(rec.result.t) == pytest.approx(5e-5, rel=1e-9)
    assert np.diff(rec.point_t) == pytest.approx(5e-5, rel=1e-9)


def test_point_neuron_has_no_threshold() -> None:
    """A pulse that depolarises the point neuron by > 1 V is still the linear response."""
    rec = dendritic_input(25e-9, amplitude=1e-6)
    pt = rec.point
    tau = pt.R * pt.C
    peak = 1e-6 * pt.R * (1.0 - math.exp(-2e-3 / tau))
    assert peak > 1.0
    assert rec.point_peak == pytest.approx(peak, rel=1e-9)
    assert rec.t_point_peak == pytest.approx(7e-3, abs=1e-12)
