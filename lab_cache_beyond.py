"""The cached computations behind chapter 7 (what the LIF leaves out): SI values in, figures out.

As in :mod:`lab_cache`: ``st.cache_resource`` hands every session the same read-only
figures and records for a setting; ``max_entries`` bounds the memory. The HH f–I curve
depends on no slider: it is computed once per process (about 1 s of CPU, the one
computation of the chapter above 50 ms; ``benchmarks/bench_core.py`` measures it).
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any, NamedTuple

import plotly.graph_objects as go
import streamlit as st

from lif_core.analysis import adaptation as adapt
from lif_core.analysis import beyond, dendrites
from lif_core.analysis.features import FEATURES, MODELS, Support
from lif_core.models.adex import PRESETS
from lif_core.models.compartments import TwoCompartmentParams
from lif_core.models.hh import resting_state
from lif_figures import beyond as figs

#: Settings kept per cached function (each entry: one or two charts, ~0.1-0.3 MB).
ENTRIES = 32


class SpikeView(NamedTuple):
    figure: go.Figure
    record: beyond.SpikeShape


@st.cache_resource(max_entries=ENTRIES, show_spinner=False)
def spike_view(amplitude: float, width: float) -> SpikeView:
    """Spike shape: HH and its LIF twin under one current pulse (A, s)."""
    rec = beyond.spike_shape(amplitude, width)
    return SpikeView(figs.spike_shape_figure(rec), rec)


class AdaptationView(NamedTuple):
    traces: go.Figure
    intervals: go.Figure
    record: adapt.Adaptation


@st.cache_resource(max_entries=ENTRIES, show_spinner=False)
def adaptation_view(preset: str, a: float, b: float, tau_w: float, I_step: float) -> AdaptationView:
    """Adaptation and bursting: an AdEx preset with a, b, tau_w, I (SI) and its LIF twin."""
    rec = adapt.adaptation(preset, a=a, b=b, tau_w=tau_w, I_step=I_step)
    return AdaptationView(figs.adaptation_figure(rec), figs.isi_figure(rec), rec)


class RingingView(NamedTuple):
    ringing: go.Figure
    rebound: go.Figure
    record: beyond.RingingRebound


@st.cache_resource(max_entries=ENTRIES, show_spinner=False)
def ringing_view(small: float, hyper: float, hyper_width: float) -> RingingView:
    """Ringing and rebound: a small pulse and a hyperpolarising one (A, A, s)."""
    rec = beyond.ringing_and_rebound(small, hyper, hyper_width)
    return RingingView(figs.ringing_figure(rec), figs.rebound_figure(rec), rec)


@st.cache_resource(max_entries=1, show_spinner="Simulating the HH f–I curve (once)…")
def fi_curves() -> beyond.FIClasses:
    """The HH and LIF f–I curves: no slider changes them, so once per process."""
    return beyond.fi_classes()


class FIView(NamedTuple):
    curves: go.Figure
    trace: go.Figure
    classes: beyond.FIClasses
    operating: beyond.FIOperating


@st.cache_resource(max_entries=ENTRIES, show_spinner=False)
def fi_view(I_op: float) -> FIView:
    """f–I, class 1 and class 2: both curves with the operating current ``I_op`` (A)."""
    classes = fi_curves()
    op = beyond.fi_operating(I_op)
    return FIView(figs.fi_classes_figure(classes, op), figs.fi_trace_figure(op), classes, op)


class DendriteView(NamedTuple):
    figure: go.Figure
    record: dendrites.DendriticInput


@st.cache_resource(max_entries=ENTRIES, show_spinner=False)
def dendrite_view(g_c: float, width: float) -> DendriteView:
    """Compartments: one pulse into the soma or into the dendrite (S, s)."""
    rec = dendrites.dendritic_input(g_c, width)
    return DendriteView(figs.dendrite_figure(rec), rec)


def _si(record: Any) -> dict[str, float]:
    """A parameter dataclass as a dict of SI numbers (for a live preview's ``fixed``)."""
    return {f.name: float(getattr(record, f.name)) for f in fields(record)}


@st.cache_resource(max_entries=1, show_spinner=False)
def hh_preview() -> dict[str, Any]:
    """What the live previews of the HH sections need (``preview/ch7_beyond.js``), SI.

    The membrane (with its temperature factor ``phi``), its resting state ``[V, n, m, h]``
    and its LIF twins (:func:`~lif_core.analysis.beyond.hh_lif_twin`, and
    :func:`~lif_core.analysis.beyond.hh_rate_twin` of the f–I section): the browser runs
    the HH from there rather than solving for them again.
    """
    hh = beyond.HH
    return {
        "hh": {**_si(hh), "phi": hh.phi},
        "rest": [float(x) for x in resting_state(hh, 0.0)],
        "twin": _si(beyond.hh_lif_twin(hh)),
        "rate_twin": _si(beyond.hh_rate_twin(hh)),
    }


def adex_preview(preset: str) -> dict[str, Any]:
    """An AdEx preset's parameters for the live preview (SI); the sliders set a, b, tau_w."""
    return {"adex": _si(PRESETS[preset].params)}


def cell_preview() -> dict[str, Any]:
    """The two-compartment cell of the compartments section for the live preview (SI)."""
    return {"cell": _si(TwoCompartmentParams())}


_MARK = {
    "shown": "✓",
    "tested": "✓ (tested)",
    "literature": "✓ (lit.)",
    "no": "✗",
    "unknown": "?",
}


def _cell(support: Support) -> str:
    text = _MARK[support.status]
    if support.section is not None and support.status != "unknown":
        text = f"[{text}](#{support.section})"
    if support.note:
        text += f" <small>{support.note}</small>"
    return text


@st.cache_data(max_entries=1, show_spinner=False)
def features_markdown() -> str:
    """Izhikevich's twenty features as a Markdown table, linking to the page's sections."""
    header = "| | feature | " + " | ".join(MODELS) + " |"
    rule = "|---|---|" + "---|" * len(MODELS)
    rows = [
        f"| {f.letter} | **{f.name}**: {f.description} | "
        + " | ".join(_cell(getattr(f, m)) for m in MODELS)
        + " |"
        for f in FEATURES
    ]
    return "\n".join([header, rule, *rows])
