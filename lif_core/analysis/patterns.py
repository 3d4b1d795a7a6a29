"""Name the firing pattern of a spike train evoked by a current step, from its intervals.

The names are those of *Neuronal Dynamics* (Gerstner et al. 2014, §6.2, after Naud et
al. 2008). The rule (:func:`classify_pattern`) looks only at the step onset and the spike
times, i.e. at the first-spike latency ``L`` and the interspike intervals (ISIs).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike

from lif_core._validate import check_finite, check_range

__all__ = ["PATTERNS", "PatternReport", "classify_pattern", "isi_period"]

#: Every name :func:`classify_pattern` can give.
PATTERNS = (
    "silent",
    "too few spikes",
    "transient",
    "irregular",
    "regular bursting",
    "delayed",
    "initial burst",
    "adapting",
    "tonic",
)

#: Two intervals "repeat" when they differ by at most this fraction of the larger one.
PERIOD_TOLERANCE = 0.05
#: Longest repeating group of intervals searched for (a burst of up to 10 spikes).
MAX_PERIOD = 10
#: A burst interval is shorter than this fraction of the steady (or the longest) interval.
BURST_RATIO = 1 / 3
#: "Delayed": the latency exceeds every later interval by this factor, and this time (s).
#: (A ratio alone would call any neuron that resets above rest "delayed": its first
#: interval, from rest, is its longest.)
DELAY_RATIO = 1.1
DELAY_MIN = 0.1
#: "Adapting": the last interval is at least this factor longer than the first.
ADAPT_RATIO = 1.3


class PatternReport(NamedTuple):
    """The pattern's name and the numbers the rule looked at (SI units)."""

    pattern: str
    n_spikes: int
    latency: float  # s, onset to first spike (nan without spikes)
    isi: np.ndarray  # s, all interspike intervals
    period: int  # repeating group of steady-state ISIs (0: none found, -1: not tested)
    steady_isi: float  # s, median steady-state ISI (nan if none)


def isi_period(isi: ArrayLike, tolerance: float = PERIOD_TOLERANCE, max_period: int = MAX_PERIOD):
    """Smallest p such that the interval sequence repeats every p intervals.

    ``isi[k + p]`` must match ``isi[k]`` within ``tolerance`` (relative to the larger of
    the two) for every k, and the sequence must hold the group at least twice plus one
    interval (``len(isi) >= 2 p + 1``). Returns 0 if no such p <= ``max_period`` exists.
    """
    isi = np.asarray(isi, dtype=float)
    for p in range(1, max_period + 1):
        if len(isi) < 2 * p + 1:
            break
        a, b = isi[p:], isi[:-p]
        if np.all(np.abs(a - b) <= tolerance * np.maximum(a, b)):
            return p
    return 0


def classify_pattern(spike_times: ArrayLike, onset: float, duration: float) -> PatternReport:
    """Name the pattern of the spikes evoked by a current step, by this rule, in order.

    Let ``L`` be the latency from the onset to the first spike, ``ISI`` the intervals,
    ``T`` the step's duration, and the *steady* intervals those that start in the second
    half of the step (or the last three, if fewer start there).

    1. **silent**: no spike.
    2. **transient**: the train stops: the silence from the last spike to the end of the
       step is longer than half the step and than 5 × the longest ISI.
    3. **too few spikes**: fewer than 4 spikes (and not transient): nothing to tell.
    4. **irregular**: the steady intervals do not repeat with any period of 1 to 10
       intervals (:func:`isi_period`, 5 % tolerance), when at least 5 are available.
    5. **regular bursting**: they repeat with a period p >= 2 in which the shortest
       interval is under a third of the longest (bursts of p spikes).
    6. **delayed**: ``L`` exceeds 1.1 × the longest ISI and 100 ms (the first spike
       comes late, later intervals are shorter).
    7. **initial burst**: the first two or more ISIs are each under a third of the steady
       ISI (a burst of three or more spikes, then regular firing).
    8. **adapting**: the last ISI is at least 1.3 × the first (intervals lengthen).
    9. **tonic**: otherwise (regular intervals from the start).

    Parameters
    ----------
    spike_times : array_like
        Spike times (s), increasing.
    onset : float
        Start of the current step (s).
    duration : float
        How long the step lasts (s), > 0; spikes outside ``[onset, onset + duration]``
        are ignored.

    Returns
    -------
    PatternReport
    """
    check_finite("onset", onset)
    check_finite("duration", duration)
    check_range("duration", duration, low=0.0, low_open=True, unit="s")
    t = np.asarray(spike_times, dtype=float)
    check_finite("spike_times", t)
    t = t[(t >= onset) & (t <= onset + duration)] - onset
    isi = np.diff(t)
    nan = float("nan")
    if t.size == 0:
        return PatternReport("silent", 0, nan, isi, -1, nan)
    L = float(t[0])
    longest = float(isi.max()) if isi.size else 0.0
    if duration - t[-1] > max(0.5 * duration, 5.0 * longest):
        return PatternReport("transient", t.size, L, isi, -1, nan)
    if t.size < 4:
        return PatternReport("too few spikes", t.size, L, isi, -1, nan)
    steady = isi[t[:-1] >= 0.5 * duration]
    if steady.size < 3:
        steady = isi[-3:]
    period = isi_period(steady)
    steady_isi = float(np.median(steady))
    if period == 0 and steady.size >= 5:
        return PatternReport("irregular", t.size, L, isi, 0, steady_isi)
    if period >= 2:
        group = steady[:period]
        if group.min() < BURST_RATIO * group.max():
            return PatternReport("regular bursting", t.size, L, isi, period, steady_isi)
    if L > max(DELAY_RATIO * longest, DELAY_MIN):
        return PatternReport("delayed", t.size, L, isi, period, steady_isi)
    if isi.size >= 3 and np.all(isi[:2] < BURST_RATIO * steady_isi):
        return PatternReport("initial burst", t.size, L, isi, period, steady_isi)
    if isi[-1] >= ADAPT_RATIO * isi[0]:
        return PatternReport("adapting", t.size, L, isi, period, steady_isi)
    return PatternReport("tonic", t.size, L, isi, period, steady_isi)
