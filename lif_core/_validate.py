"""Argument checks shared by the core: clear ``ValueError`` messages."""

from __future__ import annotations

from typing import Any

import numpy as np


def check_finite(name: str, value: Any) -> None:
    """Raise ``ValueError`` unless ``value`` is a real number (or array) with no NaN/inf."""
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a finite number, got {value!r}") from None
    if not np.all(np.isfinite(arr)):
        bad = float(arr[~np.isfinite(arr)].flat[0]) if arr.ndim else arr.item()
        raise ValueError(f"{name} must be a finite number, got {bad!r}")


def check_range(
    name: str,
    value: Any,
    *,
    low: float | None = None,
    high: float | None = None,
    low_open: bool = False,
    unit: str = "",
) -> None:
    """Raise ``ValueError`` naming ``name``, its value and the range if out of range."""
    arr = np.asarray(value, dtype=float)
    bad = np.zeros(arr.shape, dtype=bool)
    if low is not None:
        bad |= (arr <= low) if low_open else (arr < low)
    if high is not None:
        bad |= arr > high
    if np.any(bad):
        shown = float(arr[bad].flat[0]) if arr.ndim else arr.item()
        u = f" {unit}" if unit else ""
        parts = []
        if low is not None:
            parts.append(f"{name} {'>' if low_open else '>='} {low:g}{u}")
        if high is not None:
            parts.append(f"{name} <= {high:g}{u}")
        raise ValueError(f"{name} = {shown!r}{u} is out of range (allowed: {' and '.join(parts)})")
