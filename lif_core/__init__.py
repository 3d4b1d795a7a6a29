"""lif_core: the physics of LIF Lab (numpy only, SI units).

``from lif_core import LIFParams, simulate, fi_curve, theory`` gives the
parameters, the exact simulator, the vectorised f–I curve and the closed forms.
"""

from lif_core import stimulus, theory, units
from lif_core.params import PRESETS, LIFParams, Preset
from lif_core.simulation import (
    FICurve,
    NumericalInstabilityWarning,
    SimulationResult,
    fi_curve,
    simulate,
)

__all__ = [
    "PRESETS",
    "FICurve",
    "LIFParams",
    "NumericalInstabilityWarning",
    "Preset",
    "SimulationResult",
    "fi_curve",
    "simulate",
    "stimulus",
    "theory",
    "units",
]
