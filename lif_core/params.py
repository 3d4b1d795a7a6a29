"""Parameters of the leaky integrate-and-fire neuron, in SI units.

The names follow the textbook and NEST (``iaf_psc_delta``): ``R`` membrane
resistance, ``C`` membrane capacitance, ``E_L`` leak reversal (resting)
potential, ``V_th`` threshold, ``V_reset`` reset potential, ``t_ref`` absolute
refractory period.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any

import numpy as np

from lif_core._validate import check_finite, check_range

__all__ = ["PRESETS", "LIFParams", "Preset"]


@dataclass(frozen=True)
class LIFParams:
    """Parameters of one LIF neuron (or of many, when fields are arrays).

    Every field may be a float or a 1-D array with one value per neuron; the
    arrays broadcast along the leading neuron axis of :func:`lif_core.simulate`.

    Parameters
    ----------
    R : float or ndarray
        Membrane (leak) resistance (Ω), > 0.
    C : float or ndarray
        Membrane capacitance (F), > 0.
    E_L : float or ndarray
        Leak reversal potential, the resting potential without input (V).
    V_th : float or ndarray
        Spike threshold (V).
    V_reset : float or ndarray
        Potential the membrane is reset to after a spike (V), < ``V_th``.
    t_ref : float or ndarray
        Absolute refractory period (s), >= 0.

    Raises
    ------
    ValueError
        If a value is not a finite number or is outside its allowed range; the
        message names the parameter, its value and the allowed range.

    Notes
    -----
    Between spikes the membrane potential obeys

    .. math:: \\tau \\frac{dV}{dt} = -(V - E_L) + R I(t), \\qquad \\tau = R C.

    When ``V`` reaches ``V_th`` a spike is emitted, ``V`` is set to
    ``V_reset`` and held there for ``t_ref``.

    Examples
    --------
    >>> p = LIFParams()
    >>> round(p.tau * 1e3, 6)  # ms
    10.0
    """

    R: Any = 10e6
    C: Any = 1e-9
    E_L: Any = -65e-3
    V_th: Any = -50e-3
    V_reset: Any = -65e-3
    t_ref: Any = 2e-3

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            check_finite(f.name, value)
            if np.ndim(value) > 1:
                raise ValueError(
                    f"{f.name} must be a number or a 1-D array (one value per neuron), "
                    f"got an array of shape {np.shape(value)}"
                )
        check_range("R", self.R, low=0.0, low_open=True, unit="Ω")
        check_range("C", self.C, low=0.0, low_open=True, unit="F")
        check_range("t_ref", self.t_ref, low=0.0, unit="s")
        below = np.asarray(self.V_reset) >= np.asarray(self.V_th)
        if np.any(below):
            V_reset = _first(self.V_reset, below)
            V_th = _first(self.V_th, below)
            raise ValueError(
                f"V_reset = {V_reset!r} V must be below V_th = {V_th!r} V (allowed: V_reset < V_th)"
            )

    @property
    def tau(self) -> Any:
        """Membrane time constant ``tau = R * C`` (s)."""
        return self.R * self.C

    @property
    def rheobase(self) -> Any:
        """Smallest constant current that ever makes the neuron fire (A).

        Notes
        -----
        :math:`I_{rh} = (V_{th} - E_L) / R`. Below it the steady state
        :math:`E_L + R I` stays under threshold. If ``E_L >= V_th`` the neuron
        fires without input and the rheobase is negative.
        """
        return (self.V_th - self.E_L) / self.R

    @property
    def n_neurons(self) -> int:
        """Number of neurons these parameters describe (1 for scalar fields)."""
        sizes = {np.size(getattr(self, f.name)) for f in fields(self)} - {1}
        if len(sizes) > 1:
            raise ValueError(f"parameter arrays have different lengths: {sorted(sizes)}")
        return sizes.pop() if sizes else 1

    def replace(self, **changes: Any) -> LIFParams:
        """Return a copy with some fields changed (validated again)."""
        return replace(self, **changes)

    def as_arrays(self, n: int) -> dict[str, np.ndarray]:
        """Fields broadcast to float arrays of shape ``(n,)``."""
        out = {}
        for f in fields(self):
            value = np.asarray(getattr(self, f.name), dtype=float)
            try:
                out[f.name] = np.broadcast_to(value, (n,)).copy()
            except ValueError:
                raise ValueError(
                    f"{f.name} has {value.size} values but the simulation has {n} neurons"
                ) from None
        return out


def _first(value: Any, mask: np.ndarray) -> float:
    arr = np.broadcast_to(np.asarray(value, dtype=float), mask.shape)
    return float(arr[mask][0]) if arr.ndim else float(arr)


@dataclass(frozen=True)
class Preset:
    """A named parameter set with the literature source it comes from."""

    name: str
    source: str
    params: LIFParams


PRESETS: dict[str, Preset] = {
    p.name: p
    for p in (
        Preset(
            name="Dayan & Abbott",
            source=(
                "Dayan & Abbott, Theoretical Neuroscience (2001), ch. 5: E_L = V_reset = -65 mV, "
                "V_th = -50 mV, tau = 10 ms, R = 10 MΩ (t_ref = 2 ms added here)"
            ),
            params=LIFParams(R=10e6, C=1e-9, E_L=-65e-3, V_th=-50e-3, V_reset=-65e-3, t_ref=2e-3),
        ),
        Preset(
            name="Gerstner et al.",
            source=(
                "Gerstner, Kistler, Naud & Paninski, Neuronal Dynamics (2014), LIF exercises: "
                "E_L = -70 mV, V_reset = -65 mV, V_th = -50 mV, R = 10 MΩ, tau = 8 ms, t_ref = 2 ms"
            ),
            params=LIFParams(R=10e6, C=0.8e-9, E_L=-70e-3, V_th=-50e-3, V_reset=-65e-3, t_ref=2e-3),
        ),
        Preset(
            name="Fast cortical (no refractoriness)",
            source=(
                "Dayan & Abbott (2001) values with t_ref = 0: shows the f–I curve without a "
                "ceiling, growing towards its linear asymptote"
            ),
            params=LIFParams(R=10e6, C=1e-9, E_L=-65e-3, V_th=-50e-3, V_reset=-65e-3, t_ref=0.0),
        ),
    )
}
