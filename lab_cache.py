"""The cached computations behind the chapter pages: parameters in, figures and numbers out.

Each function runs a chapter's analysis (:mod:`lif_core.analysis`: parameters in, a record
out), draws the record with :mod:`lif_figures` and returns the figures with the numbers the
page shows. They are cached
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

import math
from typing import Any, NamedTuple

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from lif_core import LIFParams, stimulus
from lif_core.analysis import firing as fi_an
from lif_core.analysis import inhibition as inh_an
from lif_core.analysis import membrane as mem_an
from lif_core.analysis import spiking as spk_an
from lif_core.analysis import synapses as syn_an
from lif_core.units import from_si
from lif_figures import firing, membrane, spiking, synapses

#: Parameter sets kept per cached function (each entry: a few charts, ~0.1-0.5 MB).
ENTRIES = 32

# --------------------------------------------------------------------------- chapter 1


@st.cache_resource(max_entries=ENTRIES, show_spinner=False)
def pulse_figures(
    params: LIFParams, amplitude: float, onset: float, width: float
) -> tuple[go.Figure, go.Figure]:
    """Chapter 1: V(t) and the currents I, I_R, I_C for one current pulse (SI inputs)."""
    exp = mem_an.pulse_experiment(params, amplitude, onset, width)
    return membrane.rc_voltage_figure(exp), membrane.rc_currents_figure(exp)


# --------------------------------------------------------------------------- chapter 2


@st.cache_resource(max_entries=ENTRIES, show_spinner=False)
def equilibrium_figures(params: LIFParams, current: float) -> tuple[go.Figure, go.Figure, float]:
    """Chapter 2: phase line, relaxation figure and the fixed point V_inf (V)."""
    rel = mem_an.relaxation_experiment(params, current)
    return membrane.phase_line_figure(rel), membrane.relaxation_figure(rel), float(rel.V_inf)


# --------------------------------------------------------------------------- chapter 3


@st.cache_resource(max_entries=ENTRIES, show_spinner=False)
def spiking_run(
    params: LIFParams, amplitude: float, kind: str, onset: float, cosmetic: bool
) -> tuple[go.Figure, dict[str, Any]]:
    """Chapter 3: the V(t)/raster/current figure and its readouts (SI) for one input."""
    exp = spk_an.spiking_experiment(params, amplitude, kind, onset)
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
def fi_points(params: LIFParams, I_max: float) -> fi_an.FIPoints:
    """Simulated f–I points (A, Hz) with the sidebar t_ref and with t_ref = 0."""
    return fi_an.fi_points(params, I_max, FI_POINTS, duration=FI_DURATION)


@st.cache_resource(max_entries=ENTRIES, show_spinner=False)
def fi_chart(params: LIFParams, I_max: float, I_op: float) -> go.Figure:
    """Chapter 4: the f–I figure with the operating point ``I_op`` (A) marked."""
    curves = fi_an.fi_curves(params, I_max, fi_points(params, I_max), I_op)
    return firing.fi_figure(curves)


@st.cache_resource(max_entries=ENTRIES, show_spinner=False)
def operating_view(params: LIFParams, I_op: float) -> tuple[go.Figure | None, fi_an.OperatingPoint]:
    """Chapter 4: V(t) at the operating current (None if too fast to simulate), its numbers."""
    result, point = fi_an.operating_trace(params, I_op, FI_TRACE_DURATION)
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
    demo = syn_an.synapse_demo(
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


@st.cache_data(max_entries=ENTRIES, show_spinner=False)
def poisson_trains(rates: tuple[float, ...], duration: float, seed: int) -> dict[str, list]:
    """Every Poisson train the rate slider can ask for, for the live preview (``lab.live``).

    The browser does not draw random numbers: while the rate slider is dragged, the preview
    of chapter 5 uses the very train :func:`lif_core.stimulus.poisson_spike_train` gives at
    each slider value. numpy draws a train's size and then its times from one stream of
    uniform numbers, so the trains of different rates are mostly slices of the same stream:
    sent as that stream, the trains of all 101 rates take ~60 numbers instead of ~2600.

    Parameters
    ----------
    rates : tuple of float
        The slider's values (Hz).
    duration : float
        Length of the trains (s).
    seed : int
        Their seed.

    Returns
    -------
    dict
        ``{"rates": [...], "times": [...], "trains": [[start, count], ...]}``: the train at
        ``rates[k]`` is ``sorted(times[start:start + count])`` (s), checked here against
        ``poisson_spike_train`` for every rate; a train that is no slice of the stream is
        appended to ``times`` as it is.
    """
    trains = [stimulus.poisson_spike_train(rate, duration, seed=seed) for rate in rates]
    longest = max((t.size for t in trains), default=0)
    # numpy's uniform(0, duration) is 0 + duration * random(): the stream as spike times
    times = list(duration * np.random.default_rng(seed).random(longest + 32))
    slices: list[list[int]] = []
    for train in trains:
        n = train.size
        found = None
        for start in range(len(times) - n + 1):
            if np.array_equal(np.sort(times[start : start + n]), train):
                found = start
                break
        if found is None:
            found = len(times)
            times.extend(train.tolist())
        slices.append([found, n])
    return {"rates": [float(r) for r in rates], "times": times, "trains": slices}


# --------------------------------------------------------------------------- chapter 6

#: Simulated f–I points under inhibition: number of currents and time per current (s).
SH_FI_POINTS = 31
SH_FI_DURATION = 0.5


@st.cache_resource(max_entries=ENTRIES, show_spinner=False)
def shunting_view(
    params: LIFParams, g_exc: float, g_inh: float, dE_inh: float
) -> tuple[go.Figure, inh_an.ShuntingDemo]:
    """Chapter 6: E alone, I alone and E+I on the passive membrane, figure and numbers."""
    demo = inh_an.shunting_demo(params, g_exc, g_inh, dE_inh)
    return synapses.shunting_figure(demo), demo


@st.cache_data(max_entries=ENTRIES, show_spinner=False)
def inhibition_comparison(
    params: LIFParams, g_inh: float, dE_hyp: float
) -> inh_an.InhibitionComparison:
    """No / shunting / hyperpolarising inhibition: subthreshold and f–I curves, summary."""
    return inh_an.inhibition_comparison(
        params, g_inh, dE_hyp, n_sim=SH_FI_POINTS, duration=SH_FI_DURATION
    )


@st.cache_resource(max_entries=ENTRIES, show_spinner=False)
def comparison_view(
    params: LIFParams, g_inh: float, dE_hyp: float, g_exc: float
) -> tuple[go.Figure, go.Figure, str, float]:
    """Chapter 6: response curves (marked at ``g_exc``), f–I curves and the summary table.

    The table is Markdown, one row per kind of inhibition, compared with none, whose
    rheobase (A) is the fourth item.
    """
    comp = inhibition_comparison(params, g_inh, dE_hyp)
    ref = f"{inh_an.REFERENCE_RATE:.0f} Hz"
    header = (
        "inhibition",
        "rheobase (nA)",
        "rheobase shift (nA)",
        f"shift at {ref} (nA)",
        f"slope ratio at {ref}",
        "τ_eff (ms)",
        "rest (mV)",
    )

    def cell(value: float, unit: str | None, digits: int) -> str:
        # a shift or slope at the reference rate that does not exist (t_ref too long) is "–"
        if math.isnan(value):
            return "–"
        shown = value if unit is None else float(from_si(value, unit))
        return f"{shown:.{digits}f}".replace("-", "−")

    rows = [
        (
            firing.condition_label(params, c),
            cell(s.rheobase, "nA", 2),
            cell(s.rheobase_shift, "nA", 2),
            cell(s.shift_ref, "nA", 2),
            cell(s.gain_ratio, None, 2),
            cell(s.tau_eff, "ms", 2),
            cell(s.V_rest, "mV", 1),
        )
        for c, s in zip(comp.conditions[1:], comp.summary[1:], strict=True)
    ]
    table = "\n".join(
        "| " + " | ".join(cells) + " |"
        for cells in (header, ("---",) + ("---:",) * (len(header) - 1), *rows)
    )
    return (
        synapses.epsp_curves_figure(comp.epsp, params, g_mark=g_exc),
        firing.inhibition_fi_figure(comp.fi),
        table,
        float(comp.summary[0].rheobase),
    )
