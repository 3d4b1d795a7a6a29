"""Display-unit shorthands shared by the figure builders (private to :mod:`lif_figures`).

Every conversion goes through :func:`lif_core.units.from_si`, the one place that
converts units; these only name the display unit once.
"""

from __future__ import annotations

from typing import Any

from lif_core.units import from_si


def _ms(x: Any) -> Any:
    """Time (s) in ms."""
    return from_si(x, "ms")


def _mV(x: Any) -> Any:
    """Potential (V) in mV."""
    return from_si(x, "mV")


def _nA(x: Any) -> Any:
    """Current (A) in nA."""
    return from_si(x, "nA")


def _nS(x: Any) -> Any:
    """Conductance (S) in nS."""
    return from_si(x, "nS")


def _fmt(x: float, digits: int = 3) -> str:
    """A number with ``digits`` significant figures, without trailing zeros."""
    return f"{x:.{digits}g}"
