"""The cached computations behind the chapter pages: parameters in, figures and numbers out.

Each function runs a :mod:`lif_core` simulation, builds the chapter's figures with
:mod:`lif_figures` and returns them with the numbers the page shows. They are cached
per parameter set:

- ``st.cache_resource`` for figures: one shared, read-only object per parameter set,
  handed to every session without a copy (``st.cache_data`` would unpickle each figure
  on every hit). The figures are never modified after they are built.
- ``st.cache_data`` for small arrays that several figures share.

``max_entries`` bounds the memory of a server that a whole class explores at once
(``benchmarks/load.py`` measures it).

Why a module and not the page files: a decorator in a page runs on every full rerun,
and Streamlit's cache decorators read the function's source to key it (~1 ms each);
here they run once per process.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from lif_core import LIFParams
from lif_figures import firing, membrane, spiking, synapses

#: Parameter sets kept per cached function (each entry: a few charts, ~0.1-0.5 MB).
ENTRIES = 32

# --------------------------------------------------------------------------- chapter 1


@st.cache_resource(max_entries=ENTRIES, show_spinner=False)
def pulse_figures(
    params: LIFParams, amplitude: float, onset: float, width: float
) -> tuple[go.Figure, go.Figure]:
    """Chapter 1: V(t) and the currents I, I_R, I_C for one current pulse (SI inputs)."""
    exp = membrane.pulse_experiment(params, amplitude, onset, width)
    return membrane.rc_voltage_figure(exp), membrane.rc_currents_figure(exp)


# --------------------------------------------------------------------------- chapter 2


@st.cache_resource(max_entries=ENTRIES, show_spinner=False)
def equilibrium_figures(params: LIFParams, current: float) -> tuple[go.Figure, go.Figure, float]:
    """Chapter 2: phase line, relaxation figure and the fixed point V_inf (V)."""
    rel = membrane.relaxation_experiment(params, current)
    return membrane.phase_line_figure(rel), membrane.relaxation_figure(rel), float(rel.V_inf)


# --------------------------------------------------------------------------- chapter 3


@st.cache_resource(max_entries=ENTRIES, show_spinner=False)
def spiking_run(
    params: LIFParams, amplitude: float, kind: str, onset: float, cosmetic: bool
) -> tuple[go.Figure, dict[str, Any]]:
    """Chapter 3: the V(t)/raster/current figure and its readouts (SI) for one input."""
    exp = spiking.spiking_experiment(params, amplitude, kind, onset)
    fig = spiking.spiking_figure(exp, cosmetic_spikes=cosmetic)
    summary = {
        "n_spikes": len(exp.spike_times),
        "rate": exp.rate,
        "isi": exp.isi,
        "rate_theory": exp.rate_theory,
        "rheobase": exp.rheobase,
        "above": exp.above_rheobase,
    }
    return fig, summary


# --------------------------------------------------------------------------- chapter 4

#: Simulated f–I points: number of currents and simulated time per current (s).
FI_POINTS = 41
FI_DURATION = 0.5
#: Length of the V(t) trace at the operating point (s).
FI_TRACE_DURATION = 0.15


@st.cache_data(max_entries=ENTRIES, show_spinner=False)
def fi_points(params: LIFParams, I_max: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Simulated f–I points (A, Hz) with the sidebar t_ref and with t_ref = 0."""
    currents = np.linspace(0.0, I_max, FI_POINTS)
    with_ref = firing.simulated_fi(params, currents, duration=FI_DURATION)
    no_ref = firing.simulated_fi(params.replace(t_ref=0.0), currents, duration=FI_DURATION)
    return currents, with_ref, no_ref


@st.cache_resource(max_entries=ENTRIES, show_spinner=False)
def fi_chart(params: LIFParams, I_max: float, I_op: float) -> go.Figure:
    """Chapter 4: the f–I figure with the operating point ``I_op`` (A) marked."""
    currents, rate_ref, rate_noref = fi_points(params, I_max)
    return firing.fi_figure(params, I_max, currents, rate_ref, rate_noref, I_op=I_op)


@st.cache_resource(max_entries=ENTRIES, show_spinner=False)
def operating_view(
    params: LIFParams, I_op: float
) -> tuple[go.Figure | None, firing.OperatingPoint]:
    """Chapter 4: V(t) at the operating current (None if too fast to simulate), its numbers."""
    result, point = firing.operating_trace(params, I_op, FI_TRACE_DURATION)
    return (None if result is None else firing.voltage_trace_figure(result)), point


# --------------------------------------------------------------------------- chapter 5

#: Simulated time (s) and seed of the Poisson train.
SYN_DURATION = 0.5
SYN_SEED = 0


class SynapseView(NamedTuple):
    """Chapter 5 for one setting: three figures and the readouts."""

    presynaptic: go.Figure
    current_based: go.Figure
    conductance_based: go.Figure
    spikes: dict[str, int]  # model -> number of output spikes
    mean_current: dict[str, float]  # model -> mean synaptic current (A)
    sign_changes: int  # times I_syn changes sign (conductance-based)


@st.cache_resource(max_entries=ENTRIES, show_spinner=False)
def synapse_view(
    params: LIFParams,
    rate: float,
    g_max: float,
    tau_syn: float,
    E_syn: float,
    I_bias: float,
    poisson: bool,
) -> SynapseView:
    """Chapter 5: both synapse models driven by the same presynaptic train (SI inputs).

    Raises ``ValueError`` (not cached) for inputs the simulator cannot resolve.
    """
    demo = synapses.synapse_demo(
        params,
        rate,
        g_max,
        tau_syn,
        E_syn,
        I_bias,
        poisson=poisson,
        seed=SYN_SEED,
        duration=SYN_DURATION,
    )
    return SynapseView(
        synapses.presynaptic_figure(demo),
        synapses.synapse_response_figure(demo, "current"),
        synapses.synapse_response_figure(demo, "conductance"),
        {model: int(times.size) for model, times in demo.spikes.items()},
        {model: float(value) for model, value in demo.mean_current.items()},
        int(demo.crossings.size),
    )


# --------------------------------------------------------------------------- chapter 6

#: Simulated f–I points under inhibition: number of currents and time per current (s).
SH_FI_POINTS = 31
SH_FI_DURATION = 0.5


@st.cache_resource(max_entries=ENTRIES, show_spinner=False)
def shunting_view(
    params: LIFParams, g_exc: float, g_inh: float, dE_inh: float
) -> tuple[go.Figure, synapses.ShuntingDemo]:
    """Chapter 6: E alone, I alone and E+I on the passive membrane, figure and numbers."""
    demo = synapses.shunting_demo(params, g_exc, g_inh, dE_inh)
    return synapses.shunting_figure(demo), demo


@st.cache_data(max_entries=ENTRIES, show_spinner=False)
def inhibition_comparison(
    params: LIFParams, g_inh: float, dE_hyp: float
) -> tuple[
    tuple[firing.InhibitionCondition, ...],
    synapses.EPSPCurves,
    float,
    np.ndarray,
    list[np.ndarray],
    list[firing.InhibitionSummary],
]:
    """No / shunting / hyperpolarising inhibition: subthreshold and f–I curves, summary."""
    conditions = firing.inhibition_conditions(params, g_inh, dE_hyp)
    curves = synapses.epsp_curves(params, synapses.EPSP_G_EXC, conditions)
    I_max = firing.fi_current_range(params, conditions)
    currents = np.linspace(0.0, I_max, SH_FI_POINTS)
    rates = [
        firing.simulated_fi(params, currents, duration=SH_FI_DURATION, g_syn=c.g, E_syn=c.E_syn)
        for c in conditions
    ]
    summary = firing.inhibition_summary(params, conditions)
    return conditions, curves, I_max, currents, rates, summary


@st.cache_resource(max_entries=ENTRIES, show_spinner=False)
def comparison_view(
    params: LIFParams, g_inh: float, dE_hyp: float, g_exc: float
) -> tuple[go.Figure, go.Figure, str, float]:
    """Chapter 6: response curves (marked at ``g_exc``), f–I curves and the summary table.

    The table is Markdown, one row per kind of inhibition, compared with none, whose
    rheobase (nA) is the fourth item.
    """
    conditions, curves, I_max, currents, rates, summary = inhibition_comparison(
        params, g_inh, dE_hyp
    )
    ref = f"{firing.REFERENCE_RATE:.0f} Hz"
    header = (
        "inhibition",
        "rheobase (nA)",
        "rheobase shift (nA)",
        f"shift at {ref} (nA)",
        f"slope ratio at {ref}",
        "τ_eff (ms)",
        "rest (mV)",
    )
    rows = [
        (
            s.label,
            f"{s.rheobase_nA:.2f}",
            f"{s.rheobase_shift_nA:.2f}",
            f"{s.shift_ref_nA:.2f}",
            f"{s.gain_ratio:.2f}",
            f"{s.tau_eff_ms:.2f}",
            f"{s.V_rest_mV:.1f}".replace("-", "−"),
        )
        for s in summary[1:]
    ]
    table = "\n".join(
        "| " + " | ".join(cells) + " |"
        for cells in (header, ("---",) + ("---:",) * (len(header) - 1), *rows)
    )
    return (
        synapses.epsp_curves_figure(curves, g_mark=g_exc),
        firing.inhibition_fi_figure(params, conditions, I_max, currents, rates),
        table,
        float(summary[0].rheobase_nA),
    )
