"""Chapter 7, compartments: the same input into the soma or into the dendrite.

:func:`dendritic_input` runs the passive two-compartment neuron
(:mod:`lif_core.models.compartments`) with one current pulse into the soma and the same
pulse into the dendrite, and the point neuron (the LIF's single compartment) beside them.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from lif_core import simulate, stimulus
from lif_core.models.compartments import (
    TwoCompartmentParams,
    TwoCompartmentResult,
    simulate_two_compartment,
)
from lif_core.params import LIFParams

__all__ = ["DendriticInput", "dendritic_input"]


class DendriticInput(NamedTuple):
    """One current pulse into the soma, or into the dendrite, of the two-compartment cell.

    ``result`` has two conditions: 0 = input at the soma, 1 = input at the dendrite.
    ``point_V`` is the same pulse into the point neuron (the LIF's one compartment: the
    two compartments merged, the limit of infinite coupling), without threshold.
    Peaks are depolarisations from rest (V), at times in s.
    """

    result: TwoCompartmentResult
    point: LIFParams
    point_t: np.ndarray
    point_V: np.ndarray
    amplitude: float
    onset: float
    width: float
    soma_peak_from_soma: float
    t_soma_peak_from_soma: float
    soma_peak_from_dend: float
    t_soma_peak_from_dend: float
    dend_peak_from_dend: float
    point_peak: float
    t_point_peak: float

    @property
    def attenuation(self) -> float:
        """Somatic peak for input at the soma / for the same input at the dendrite.

        ``inf`` when dendritic input does not reach the soma at all (``g_c = 0``).
        """
        if self.soma_peak_from_dend <= 0.0:
            return float("inf")
        return self.soma_peak_from_soma / self.soma_peak_from_dend

    @property
    def delay(self) -> float:
        """How much later the somatic peak comes for dendritic input (s)."""
        return self.t_soma_peak_from_dend - self.t_soma_peak_from_soma


def dendritic_input(
    g_c: float,
    width: float = 2e-3,
    *,
    amplitude: float = 1e-9,
    onset: float = 5e-3,
    duration: float = 0.1,
    dt: float = 1e-4,
    params: TwoCompartmentParams | None = None,
) -> DendriticInput:
    """The same pulse into the soma and into the dendrite; the point neuron beside them.

    Parameters
    ----------
    g_c : float
        Coupling conductance (S), >= 0 (replaces ``params.g_c``).
    width : float
        Pulse duration (s), > 0.
    amplitude, onset, duration, dt : float
        Pulse amplitude (A), start, simulated time and time step (s).
    params : TwoCompartmentParams, optional
        The cell (default :class:`TwoCompartmentParams`).
    """
    base = TwoCompartmentParams() if params is None else params
    p = base.replace(g_c=g_c)
    I = stimulus.pulse(amplitude, onset, width, duration, dt)
    zero = np.zeros_like(I)
    res = simulate_two_compartment(
        p, np.vstack([I, zero]), np.vstack([zero, I]), duration=duration, dt=dt
    )
    point = LIFParams(
        R=1.0 / (p.g_s + p.g_d), C=p.C_s + p.C_d, E_L=p.E_L, V_th=p.E_L + 1.0, V_reset=p.E_L
    )
    lif = simulate(point, I=I, duration=duration, dt=dt, spiking=False)
    vs = res.V_s - p.E_L
    k0, k1 = int(np.argmax(vs[0])), int(np.argmax(vs[1]))
    kp = int(np.argmax(lif.V[0]))
    return DendriticInput(
        result=res,
        point=point,
        point_t=lif.t,
        point_V=lif.V[0],
        amplitude=amplitude,
        onset=onset,
        width=width,
        soma_peak_from_soma=float(vs[0, k0]),
        t_soma_peak_from_soma=float(res.t[k0]),
        soma_peak_from_dend=float(vs[1, k1]),
        t_soma_peak_from_dend=float(res.t[k1]),
        dend_peak_from_dend=float((res.V_d[1] - p.E_L).max()),
        point_peak=float(lif.V[0, kp] - p.E_L),
        t_point_peak=float(lif.t[kp]),
    )
