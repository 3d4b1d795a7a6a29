"""Izhikevich's (2004) twenty neuro-computational features, for the LIF, AdEx and HH models.

E. M. Izhikevich (2004). Which model to use for cortical spiking neurons? *IEEE
Transactions on Neural Networks* 15(5):1063–1070, Fig. 1 (features A–T) and Fig. 2
(which models show them). His table covers the integrate-and-fire model and
"Hodgkin–Huxley-type" models in general, which can show every feature with suitable
currents; the entries here are for the models *of this app*: the LIF of chapters 1–6,
the AdEx with the *Neuronal Dynamics* presets, and the 1952 squid-axon HH at 6.3 °C.

Each entry says how we know: ``"shown"`` on the chapter 7 page (``section`` names
where), ``"tested"`` (a test in ``tests/test_analysis_beyond.py`` checks it; not on a
chart), ``"literature"`` (the cited source; not checked here), ``"no"``, or
``"unknown"`` (not established here either way).
"""

from __future__ import annotations

from typing import Literal, NamedTuple

__all__ = ["FEATURES", "IZHIKEVICH_2004", "MODELS", "SECTIONS", "Feature", "Support"]

IZHIKEVICH_2004 = (
    "E. M. Izhikevich (2004), Which model to use for cortical spiking neurons? "
    "IEEE Trans. Neural Netw. 15:1063–1070"
)
_TB = "Touboul & Brette (2008), Biol. Cybern. 99:319–334"

#: The models compared, in table order.
MODELS = ("LIF", "AdEx", "HH")

#: Sections of the chapter 7 page: key -> heading (the page uses the key as its anchor).
SECTIONS = {
    "spike-shape": "Spike shape",
    "adaptation": "Adaptation and bursting",
    "ringing": "Ringing and rebound",
    "fi": "f–I: class 1 and class 2",
    "dendrites": "Compartments",
}

Status = Literal["shown", "tested", "literature", "no", "unknown"]


class Support(NamedTuple):
    """Whether one model shows one feature, how we know, and where the page shows it."""

    status: Status
    note: str = ""
    section: str | None = None  # a key of SECTIONS

    @property
    def has(self) -> bool | None:
        """True (shows it), False (does not) or None (unknown)."""
        if self.status == "unknown":
            return None
        return self.status != "no"


class Feature(NamedTuple):
    """One of Izhikevich's twenty features, with its letter in his Fig. 1."""

    letter: str
    name: str
    description: str
    LIF: Support
    AdEx: Support
    HH: Support


_NO = Support("no")
_UNKNOWN = Support("unknown")


FEATURES: tuple[Feature, ...] = (
    Feature(
        "A",
        "tonic spiking",
        "fires regularly while a DC current lasts",
        Support("shown", "chapters 3–4; the twin in every section", "adaptation"),
        Support("shown", "preset 'tonic'", "adaptation"),
        Support("shown", "above 6.26 nA", "fi"),
    ),
    Feature(
        "B",
        "phasic spiking",
        "one spike at the onset of a DC step, then silence",
        _NO,
        Support("shown", "preset 'transient'", "adaptation"),
        Support("shown", "e.g. a 4 nA step: one spike, then rest", "fi"),
    ),
    Feature(
        "C",
        "tonic bursting",
        "bursts of spikes, repeated while the input lasts",
        _NO,
        Support("shown", "preset 'regular bursting'", "adaptation"),
        _NO,
    ),
    Feature("D", "phasic bursting", "one burst at the onset of a step", _NO, _UNKNOWN, _NO),
    Feature(
        "E",
        "mixed mode",
        "an initial burst, then tonic spikes",
        _NO,
        Support("shown", "preset 'initial burst'", "adaptation"),
        _NO,
    ),
    Feature(
        "F",
        "spike-frequency adaptation",
        "intervals lengthen under a constant input",
        Support("no", "every interval equal", "adaptation"),
        Support("shown", "preset 'adapting'", "adaptation"),
        Support("no", "the squid axon has no slow current"),
    ),
    Feature(
        "G",
        "class 1 excitable",
        "fires at arbitrarily low rates just above rheobase",
        Support("shown", "continuous f–I curve", "fi"),
        Support("tested", "a = 0: rate → 0 at rheobase"),
        Support("no", "jumps to 51 Hz", "fi"),
    ),
    Feature(
        "H",
        "class 2 excitable",
        "starts firing at a nonzero rate",
        Support("no", "", "fi"),
        Support("literature", f"a large enough: {_TB}"),
        Support("shown", "onset 6.26 nA at 51 Hz", "fi"),
    ),
    Feature(
        "I",
        "spike latency",
        "the weaker the input, the later the spike",
        Support("no", "a pulse fires during it or never"),
        Support("shown", "preset 'delayed'", "adaptation"),
        Support("shown", "near-threshold pulses fire late", "spike-shape"),
    ),
    Feature(
        "J",
        "subthreshold oscillations",
        "the potential oscillates back to rest",
        Support("no", "monotone relaxation", "ringing"),
        Support("literature", f"for some a, τ_w: {_TB}"),
        Support("shown", "damped, 61 Hz", "ringing"),
    ),
    Feature(
        "K",
        "resonator",
        "prefers inputs at its ringing frequency",
        _NO,
        _UNKNOWN,
        Support("literature", f"rest is a focus: {IZHIKEVICH_2004.split(',')[0]}"),
    ),
    Feature(
        "L",
        "integrator",
        "adds inputs up; closer inputs add more",
        Support("shown", "chapters 1–2", None),
        _UNKNOWN,
        Support("no", "a resonator instead"),
    ),
    Feature(
        "M",
        "rebound spike",
        "fires when released from inhibition",
        Support("no", "relaxes back to rest", "ringing"),
        Support("tested", "preset 'transient', after −200 pA for 300 ms"),
        Support("shown", "anode-break excitation", "ringing"),
    ),
    Feature("N", "rebound burst", "a burst on release from inhibition", _NO, _UNKNOWN, _NO),
    Feature(
        "O",
        "threshold variability",
        "the threshold depends on recent input",
        Support("no", "fixed V_th"),
        _UNKNOWN,
        Support("shown", "after inhibition, no input is needed", "ringing"),
    ),
    Feature(
        "P",
        "bistability",
        "rest and repetitive firing coexist",
        _NO,
        _UNKNOWN,
        Support("shown", "6.26–9.78 nA", "fi"),
    ),
    Feature("Q", "depolarising after-potential", "V stays up after a spike", _NO, _UNKNOWN, _NO),
    Feature(
        "R",
        "accommodation",
        "a slow ramp fails to fire where a step fires",
        _NO,
        _UNKNOWN,
        Support("tested", "ramp to 8 nA over 0.5 s: silent; step: fires"),
    ),
    Feature(
        "S",
        "inhibition-induced spiking",
        "fires while inhibited",
        _NO,
        _UNKNOWN,
        _NO,
    ),
    Feature(
        "T",
        "inhibition-induced bursting",
        "bursts while inhibited",
        _NO,
        _UNKNOWN,
        _NO,
    ),
)
