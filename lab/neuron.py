"""The sidebar's neuron sliders: which parameter each sets, its unit, range and default."""

from __future__ import annotations

from dataclasses import dataclass

from lab.links import _to_display
from lif_core.params import LIFParams

__all__ = ["NEURON_SLIDERS", "SliderSpec", "default_display_values"]

_DEFAULTS = LIFParams()


@dataclass(frozen=True)
class SliderSpec:
    """One sidebar slider: the parameter it sets and its range in display units.

    Attributes
    ----------
    key : str
        Field of :class:`lif_core.LIFParams`; also the widget key and URL query parameter.
    label : str
        Slider label (Markdown; the unit is appended).
    unit : str
        Display unit, a key of :data:`lif_core.units.UNITS`.
    min_value, max_value, step : float
        Range and step in display units.
    help : str
        Tooltip.
    """

    key: str
    label: str
    unit: str
    min_value: float
    max_value: float
    step: float
    help: str

    @property
    def default(self) -> float:
        """Default value in display units (from ``LIFParams()``)."""
        return _to_display(getattr(_DEFAULTS, self.key), self.unit, self.step)


#: The sidebar "Neuron" panel, in display order. Ranges are physiologically plausible
#: for a point-neuron model of a cortical cell (tau = R*C from 0.1 ms to 400 ms).
NEURON_SLIDERS: tuple[SliderSpec, ...] = (
    SliderSpec(
        "R",
        "Membrane resistance $R$",
        "MΩ",
        1.0,
        200.0,
        1.0,
        "Leak (input) resistance. A current I moves the steady state by R·I: 10 MΩ × 1 nA = 10 mV.",
    ),
    SliderSpec(
        "C",
        "Membrane capacitance $C$",
        "nF",
        0.1,
        2.0,
        0.05,
        "About 1 µF/cm² of membrane: 1 nF is a cell of roughly 0.1 mm² surface.",
    ),
    SliderSpec(
        "E_L",
        "Resting potential $E_L$",
        "mV",
        -90.0,
        -50.0,
        1.0,
        "Leak reversal potential: where V settles without input.",
    ),
    SliderSpec(
        "V_th",
        "Threshold $V_{th}$",
        "mV",
        -70.0,
        -30.0,
        1.0,
        "When V reaches the threshold the model emits a spike and resets.",
    ),
    SliderSpec(
        "V_reset",
        "Reset potential $V_{reset}$",
        "mV",
        -90.0,
        -40.0,
        1.0,
        "V is set to this value after each spike. Must be below the threshold.",
    ),
    SliderSpec(
        "t_ref",
        "Refractory period $t_{ref}$",
        "ms",
        0.0,
        20.0,
        0.5,
        "After a spike V is held at the reset for this long.",
    ),
)

_SPEC = {s.key: s for s in NEURON_SLIDERS}


def default_display_values() -> dict[str, float]:
    """Default sidebar values in display units, by key (``{"R": 10.0, ...}``)."""
    return {s.key: s.default for s in NEURON_SLIDERS}
