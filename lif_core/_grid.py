"""The simulation's time grid: how many steps a duration takes, and where they end.

Steps start at ``k * dt``. A ``duration`` that is not a multiple of ``dt`` is
simulated exactly: the last step is shorter and ends at ``duration``.
"""

from __future__ import annotations

import math

import numpy as np

from lif_core._validate import check_finite, check_range

#: ``duration / dt`` within this relative distance of a whole number n counts as n steps.
_GRID_RTOL = 1e-9


def _n_steps(duration: float, dt: float) -> int:
    """Number of time steps: ``duration / dt`` rounded up (the last step may be shorter).

    A ``duration`` within round-off (relative ``1e-9``) of a multiple ``n dt``
    gives exactly ``n`` steps of ``dt``; otherwise there are ``ceil(duration / dt)``
    steps and the last one ends at ``duration``.
    """
    check_finite("duration", duration)
    check_finite("dt", dt)
    check_range("dt", dt, low=0.0, low_open=True, unit="s")
    check_range("duration", duration, low=0.0, low_open=True, unit="s")
    if dt > duration * (1 + _GRID_RTOL):
        raise ValueError(
            f"dt = {dt!r} s is longer than duration = {duration!r} s (allowed: dt <= duration)"
        )
    ratio = duration / dt
    whole = round(ratio)
    if abs(ratio - whole) <= _GRID_RTOL * max(whole, 1):
        return max(1, whole)
    return math.ceil(ratio)


def _end_time(duration: float, dt: float, n_steps: int) -> float:
    """Where the last step ends: ``n_steps * dt``, or ``duration`` if that is shorter."""
    return min(float(duration), n_steps * dt)


def _step_ends(duration: float, dt: float) -> tuple[np.ndarray, np.ndarray]:
    """Start and end (s) of every simulation step; the last one ends at ``duration``."""
    n_steps = _n_steps(duration, dt)
    t = np.arange(n_steps) * dt
    stop = t + dt
    stop[-1] = _end_time(duration, dt, n_steps)
    return t, stop
