"""Chapter 7, adaptation and bursting: an AdEx firing pattern beside an LIF with its rheobase.

:func:`adaptation` runs an AdEx preset (:data:`lif_core.models.adex.PRESETS`), with its
adaptation parameters ``a``, ``b``, ``tau_w`` and step current optionally changed, and
the AdEx's LIF twin (:func:`adex_lif_twin`) under the same current step, and names both
firing patterns (:func:`lif_core.analysis.patterns.classify_pattern`).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from lif_core import simulate
from lif_core.analysis.patterns import PatternReport, classify_pattern
from lif_core.models.adex import DT_ADEX, PRESETS, AdExParams, AdExResult, simulate_adex
from lif_core.params import LIFParams
from lif_core.simulation import SimulationResult

__all__ = ["ADAPTATION_DURATION", "Adaptation", "adaptation", "adex_lif_twin"]

#: Length of the current step, which starts at t = 0 (s).
ADAPTATION_DURATION = 1.0


def adex_lif_twin(params: AdExParams) -> LIFParams:
    """The LIF with the AdEx's E_L, R and C and the same rheobase, reset to rest.

    ``V_th = E_L + R * I_rh`` with the AdEx rheobase :attr:`AdExParams.rheobase`,
    ``V_reset = E_L`` (the AdEx reset ``V_r`` may lie above that threshold), no
    refractory period. It has no adaptation variable: what is left is a tonic neuron.
    """
    V_th = params.E_L + params.R * params.rheobase
    return LIFParams(
        R=params.R, C=params.C, E_L=params.E_L, V_th=V_th, V_reset=params.E_L, t_ref=0.0
    )


class Adaptation(NamedTuple):
    """An AdEx firing pattern and the LIF twin under one current step (SI units).

    The step of amplitude ``I_step`` runs from t = 0 to ``duration``.
    ``adex_isi`` and ``lif_isi`` are the interspike intervals (s), in order.
    """

    preset: str
    params: AdExParams
    lif_params: LIFParams
    I_step: float
    duration: float
    adex: AdExResult
    lif: SimulationResult
    adex_pattern: PatternReport
    lif_pattern: PatternReport

    @property
    def adex_isi(self) -> np.ndarray:
        """AdEx interspike intervals (s)."""
        return np.diff(self.adex.spike_times[0])

    @property
    def lif_isi(self) -> np.ndarray:
        """LIF interspike intervals (s)."""
        return np.diff(self.lif.spike_times[0])


def adaptation(
    preset: str,
    *,
    a: float | None = None,
    b: float | None = None,
    tau_w: float | None = None,
    I_step: float | None = None,
    duration: float = ADAPTATION_DURATION,
    dt: float = DT_ADEX,
) -> Adaptation:
    """Run an AdEx preset (parameters optionally changed) and its LIF twin.

    Parameters
    ----------
    preset : str
        A key of :data:`lif_core.models.adex.PRESETS`.
    a, b, tau_w : float, optional
        Adaptation coupling (S), spike-triggered jump (A), time constant (s);
        default the preset's.
    I_step : float, optional
        Step current (A); default the preset's.
    duration, dt : float
        Step length and time step (s).
    """
    if preset not in PRESETS:
        raise ValueError(f"preset = {preset!r} is not known (allowed: {', '.join(PRESETS)})")
    chosen = PRESETS[preset]
    changes = {k: v for k, v in (("a", a), ("b", b), ("tau_w", tau_w)) if v is not None}
    params = chosen.params.replace(**changes)
    I = chosen.I_step if I_step is None else float(I_step)
    adex = simulate_adex(params, I, duration=duration, dt=dt)
    twin = adex_lif_twin(params)
    lif = simulate(twin, I=I, duration=duration, dt=dt)
    return Adaptation(
        preset=preset,
        params=params,
        lif_params=twin,
        I_step=I,
        duration=duration,
        adex=adex,
        lif=lif,
        adex_pattern=classify_pattern(adex.spike_times[0], 0.0, duration),
        lif_pattern=classify_pattern(lif.spike_times[0], 0.0, duration),
    )
