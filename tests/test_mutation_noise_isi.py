"""Fano factor windows of lif_core.noise.isi_statistics and the step of rate_curves' noiseless row.

Covers: a trial holding exactly one counting window (alone or after a start-up skip) still
gives a Fano factor over the trials; two windows of one trial already give one; one window of
one trial gives nan without a numpy warning; a window longer than the trial (or no trials at
all) gives no windows and a float nan Fano factor; lif_core.analysis.noise.rate_curves runs
its noiseless row at the caller's step, so trials shorter than the default 0.1 ms step work.

Written against mutation-testing survivors of lif_core.noise and lif_core.analysis.noise; each
expected value is counted by hand from the spike times given (variance with ddof = 1).
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

from lif_core import LIFParams
from lif_core import noise as nz
from lif_core.analysis import noise as anz

# V_reset != E_L, t_ref off the 0.1 ms grid
P = LIFParams(R=10e6, C=1e-9, E_L=-65e-3, V_th=-50e-3, V_reset=-60e-3, t_ref=2.35e-3)


# --------------------------------------------------------------------------- Fano factor


def test_one_window_per_trial_gives_a_fano_factor_over_the_trials() -> None:
    """Window = the whole 1 s trial: counts 2, 4, 3 in three trials, mean 3, variance 1."""
    trains = [np.array([0.1, 0.6]), np.array([0.1, 0.3, 0.5, 0.9]), np.array([0.2, 0.4, 0.8])]
    st = nz.isi_statistics(trains, 1.0, window=1.0)
    assert st.n_windows == 3
    assert st.fano == pytest.approx(1 / 3, rel=1e-12)  # exact counts: only round-off


def test_one_window_after_the_start_up_skip_counts_only_inside_it() -> None:
    """Skip 0.5 s, window 0.4 s: one window [0.5, 0.9) per trial (the last 0.1 s is left out).
    Counts inside it 1 and 3 (spikes before 0.5 s and at 0.95 s do not count): mean 2, var 2."""
    trains = [np.array([0.1, 0.2, 0.7, 0.95]), np.array([0.3, 0.55, 0.6, 0.85])]
    st = nz.isi_statistics(trains, 1.0, window=0.4, t_start=0.5)
    assert st.n_windows == 2 and st.t_start == 0.5
    assert st.fano == pytest.approx(1.0, rel=1e-12)


def test_two_windows_of_one_trial_give_a_fano_factor() -> None:
    """Counts 1 and 3 in the two halves of one trial: mean 2, variance 2, Fano factor 1."""
    st = nz.isi_statistics([np.array([0.2, 0.6, 0.7, 0.9])], 1.0, window=0.5)
    assert st.n_windows == 2
    assert st.fano == pytest.approx(1.0, rel=1e-12)


def test_one_window_of_one_trial_has_no_fano_factor_and_no_warning() -> None:
    """A single count has no variance: nan, without numpy's degrees-of-freedom warning."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        st = nz.isi_statistics([np.array([0.2, 0.6, 0.7])], 1.0, window=1.0)
    assert st.n_windows == 1 and math.isnan(st.fano)
    assert st.rate == pytest.approx(2 / 0.8, rel=1e-12)  # the rest is still computed


@pytest.mark.parametrize(
    ("trains", "window", "t_start"),
    [
        ([np.array([0.1, 0.3, 0.4])], 1.5, 0.0),
        ([], 0.1, 0.0),
        ([np.array([0.1]), np.array([])], 0.95, 0.1),
    ],
    ids=["window-longer-than-trial", "no-trains", "window-longer-than-after-the-skip"],
)
def test_no_counting_window_gives_zero_windows_and_a_nan_fano_factor(
    trains: list[np.ndarray], window: float, t_start: float
) -> None:
    """No window fits in [t_start, duration), or no trials: nothing counted, and the Fano
    factor is a float nan (page 8 tests it with math.isfinite and shows "–")."""
    st = nz.isi_statistics(trains, 1.0, window=window, t_start=t_start)
    assert st.n_windows == 0
    assert isinstance(st.fano, float) and math.isnan(st.fano)


# --------------------------------------------------------------------------- rate_curves


def test_rate_curves_run_trials_shorter_than_the_default_step() -> None:
    """50 µs trials at dt = 10 µs: the noiseless row is simulated at that dt too (at the
    default 0.1 ms step the trial would be refused as shorter than one step). No current can
    fire twice in 50 µs (t_ref = 2.35 ms), so every rate is 0."""
    rc = anz.rate_curves(
        P, 1e-3, seed=1, n_currents=3, n_trials=1, duration=5e-5, sigmas_V=(1e-3,), dt=1e-5
    )
    assert rc.duration == pytest.approx(5e-5, rel=1e-12)
    np.testing.assert_array_equal(rc.rate, np.zeros((2, 3)))
