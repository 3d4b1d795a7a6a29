"""Figures for chapter 7, what the LIF leaves out: each draws a record of
:mod:`lif_core.analysis.beyond`, :mod:`~lif_core.analysis.adaptation` or
:mod:`~lif_core.analysis.dendrites`, and only draws (one module per part: :mod:`.hh`,
:mod:`.adaptation`, :mod:`.dendrites`; shared helpers in :mod:`._draw`).

In every chart the richer model (HH, AdEx, two compartments) is a solid line and the
LIF a dotted one (``LIF_DASH``), in different colours too; reference lines are thin and
labelled. Potentials in mV, times in ms, currents in nA, adaptation currents in pA.
Figures are read-only (:class:`lif_figures.spec.SpecFigure`). Nothing here imports
streamlit.
"""

from lif_figures.beyond._draw import (
    LIF_COLOR,
    LIF_DASH,
    RICH_COLOR,
    X_CURRENT,
    X_SPIKE,
    X_TIME,
    Y_ISI,
    Y_RATE,
    Y_V,
    Y_W,
)
from lif_figures.beyond.adaptation import adaptation_figure, isi_figure
from lif_figures.beyond.dendrites import dendrite_figure
from lif_figures.beyond.hh import (
    fi_classes_figure,
    fi_trace_figure,
    rebound_figure,
    ringing_figure,
    spike_shape_figure,
)

__all__ = [
    "LIF_COLOR",
    "LIF_DASH",
    "RICH_COLOR",
    "X_CURRENT",
    "X_SPIKE",
    "X_TIME",
    "Y_ISI",
    "Y_RATE",
    "Y_V",
    "Y_W",
    "adaptation_figure",
    "dendrite_figure",
    "fi_classes_figure",
    "fi_trace_figure",
    "isi_figure",
    "rebound_figure",
    "ringing_figure",
    "spike_shape_figure",
]
