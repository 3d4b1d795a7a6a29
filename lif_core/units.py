"""The one place where SI values meet the friendly units shown to people.

The core computes in volts, seconds, ohms, farads, amperes and siemens. The
app shows mV, ms, MΩ, nF, nA and nS. Every conversion goes through
:func:`to_si` and :func:`from_si` with a unit from :data:`UNITS`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["UNITS", "from_si", "to_si"]

#: Display unit -> how many SI units one display unit is.
UNITS: dict[str, float] = {
    "V": 1.0,
    "mV": 1e-3,
    "s": 1.0,
    "ms": 1e-3,
    "Ω": 1.0,
    "MΩ": 1e6,
    "F": 1.0,
    "nF": 1e-9,
    "pF": 1e-12,
    "A": 1.0,
    "nA": 1e-9,
    "pA": 1e-12,
    "S": 1.0,
    "nS": 1e-9,
    "Hz": 1.0,
}


def _factor(unit: str) -> float:
    try:
        return UNITS[unit]
    except KeyError:
        raise ValueError(f"unknown unit {unit!r} (known: {', '.join(UNITS)})") from None


def to_si(value: Any, unit: str) -> Any:
    """Convert ``value`` given in ``unit`` (e.g. ``"mV"``) to SI (e.g. volts)."""
    factor = _factor(unit)
    if isinstance(value, (int, float)):
        return value * factor
    return np.asarray(value, dtype=float) * factor


def from_si(value: Any, unit: str) -> Any:
    """Convert an SI ``value`` (e.g. volts) to ``unit`` (e.g. ``"mV"``) for display."""
    factor = _factor(unit)
    if isinstance(value, (int, float)):
        return value / factor
    return np.asarray(value, dtype=float) / factor
