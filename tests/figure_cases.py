"""One catalogue of every chart LIF Lab draws: each figure builder on records worth checking.

Shared by the tests that must cover every builder (validated copy, fonts, the style
snapshot). ``BUILDERS`` lists each builder a case uses; ``test_figure_snapshots`` checks
that every public ``*_figure`` function of ``lif_figures`` appears, so a new builder cannot
be forgotten here.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import plotly.graph_objects as go
from mutation_aware import cache

from lif_core import LIFParams
from lif_core.analysis import adaptation as adapt
from lif_core.analysis import beyond, dendrites
from lif_core.analysis import firing as fa
from lif_core.analysis import inhibition as inh
from lif_core.analysis import membrane as mem
from lif_core.analysis import noise as nz
from lif_core.analysis import numerics as num
from lif_core.analysis import spiking as spk
from lif_core.analysis import synapses as syn
from lif_figures import beyond as bx
from lif_figures import firing, membrane, noise, numerics, spiking, synapses

#: A neuron that tells formulas apart: τ = 12 ms, rheobase 0.85 nA, V_reset ≠ E_L, t_ref off grid.
Q = LIFParams(R=20e6, C=0.6e-9, E_L=-68e-3, V_th=-51e-3, V_reset=-61e-3, t_ref=2.35e-3)
P = LIFParams()


def _conds():
    return inh.inhibition_conditions(Q, 40e-9, -12e-3)


#: record name -> how to compute it (each computed when a case first needs it).
RECORDS: dict[str, Callable[[], object]] = {
    "pulse": lambda: mem.pulse_experiment(Q, 1.3e-9, 0.02, 0.03),
    "pulse_negative": lambda: mem.pulse_experiment(Q, -1e-9, 0.02, 0.06),
    "pulse_default": lambda: mem.pulse_experiment(P, 1e-9, 0.02, 0.06),
    "relaxation": lambda: mem.relaxation_experiment(Q, 0.7e-9),
    "spiking": lambda: spk.spiking_experiment(Q, 2.3e-9, "step", onset=0.1),
    "spiking_dense": lambda: spk.spiking_experiment(
        Q.replace(t_ref=0.0, R=200e6, C=0.1e-9), 10e-9, "constant"
    ),
    "fi": lambda: fa.fi_curves(Q, 20e-9, fa.fi_points(Q, 20e-9, 41, duration=0.5), I_op=3e-9),
    "fi_noref": lambda: fa.fi_curves(Q.replace(t_ref=0.0), 10e-9),
    "trace": lambda: fa.operating_trace(Q, 3e-9, 0.15)[0],
    "gaba": lambda: syn.synapse_demo(Q, 20.0, 20e-9, 10e-3, -57e-3, 1.4e-9),
    "ampa": lambda: syn.synapse_demo(Q, 20.0, 20e-9, 5e-3, 0.0, 1.2e-9),
    "shunt": lambda: inh.shunting_demo(Q, 30e-9, 50e-9, -6e-3),
    "epsp": lambda: inh.epsp_curves(Q, inh.EPSP_G_EXC, _conds()),
    "inh_fi": lambda: inh.inhibition_fi(Q, _conds(), 5e-9, n_sim=11, duration=0.5),
    # chapter 7 (the sidebar neuron plays no part)
    "spike": lambda: beyond.spike_shape(12e-9, 1e-3),
    "adapt": lambda: adapt.adaptation("initial burst"),
    "ring": lambda: beyond.ringing_and_rebound(0.5e-9, -3e-9, 5e-3),
    "fi_classes": lambda: beyond.fi_classes(n=13),
    "fi_operating": lambda: beyond.fi_operating(8e-9),
    "dendrite": lambda: dendrites.dendritic_input(20e-9),
    # chapter 8 and the numerics page, on the odd neuron
    "trials": lambda: nz.noisy_trials(Q, 1.0e-9, 3e-3, 2e-3, n_trials=12, duration=1.0, seed=3),
    "rate_curves": lambda: nz.rate_curves(Q, 2e-3, seed=4, n_currents=5, n_trials=3, duration=0.5),
    "methods": lambda: num.trace_comparison(Q, 2e-9, 0.5e-3, 0.08),
    "sweep": lambda: num.error_sweep(Q, 2e-9, dts=np.geomspace(1e-5, 1e-3, 7)),
}


@cache
def _r(name: str):
    return RECORDS[name]()


#: case name -> (builder name, function returning the figure).
CASES: dict[str, tuple[str, Callable[[], go.Figure]]] = {
    "rc_voltage": ("membrane.rc_voltage_figure", lambda: membrane.rc_voltage_figure(_r("pulse"))),
    "rc_voltage, negative pulse": (
        "membrane.rc_voltage_figure",
        lambda: membrane.rc_voltage_figure(_r("pulse_negative")),
    ),
    "rc_currents": (
        "membrane.rc_currents_figure",
        lambda: membrane.rc_currents_figure(_r("pulse")),
    ),
    "phase_line": (
        "membrane.phase_line_figure",
        lambda: membrane.phase_line_figure(_r("relaxation")),
    ),
    "relaxation": (
        "membrane.relaxation_figure",
        lambda: membrane.relaxation_figure(_r("relaxation")),
    ),
    "spiking": ("spiking.spiking_figure", lambda: spiking.spiking_figure(_r("spiking"))),
    "spiking, drawn spikes, every kth": (
        "spiking.spiking_figure",
        lambda: spiking.spiking_figure(_r("spiking_dense"), cosmetic_spikes=True),
    ),
    "fi": ("firing.fi_figure", lambda: firing.fi_figure(_r("fi"))),
    "fi, no refractoriness": ("firing.fi_figure", lambda: firing.fi_figure(_r("fi_noref"))),
    "voltage_trace": (
        "firing.voltage_trace_figure",
        lambda: firing.voltage_trace_figure(_r("trace")),
    ),
    "presynaptic": (
        "synapses.presynaptic_figure",
        lambda: synapses.presynaptic_figure(_r("gaba")),
    ),
    "synapse, current": (
        "synapses.synapse_response_figure",
        lambda: synapses.synapse_response_figure(_r("gaba"), "current"),
    ),
    "synapse, conductance": (
        "synapses.synapse_response_figure",
        lambda: synapses.synapse_response_figure(_r("gaba"), "conductance"),
    ),
    "synapse, far E_syn": (
        "synapses.synapse_response_figure",
        lambda: synapses.synapse_response_figure(_r("ampa"), "conductance"),
    ),
    "shunting": ("synapses.shunting_figure", lambda: synapses.shunting_figure(_r("shunt"))),
    "epsp_curves": (
        "synapses.epsp_curves_figure",
        lambda: synapses.epsp_curves_figure(_r("epsp"), Q, g_mark=30e-9),
    ),
    "inhibition_fi": (
        "firing.inhibition_fi_figure",
        lambda: firing.inhibition_fi_figure(_r("inh_fi")),
    ),
    "spike_shape": ("beyond.hh.spike_shape_figure", lambda: bx.spike_shape_figure(_r("spike"))),
    "adaptation": (
        "beyond.adaptation.adaptation_figure",
        lambda: bx.adaptation_figure(_r("adapt")),
    ),
    "isi": ("beyond.adaptation.isi_figure", lambda: bx.isi_figure(_r("adapt"))),
    "ringing": ("beyond.hh.ringing_figure", lambda: bx.ringing_figure(_r("ring"))),
    "rebound": ("beyond.hh.rebound_figure", lambda: bx.rebound_figure(_r("ring"))),
    "fi_classes": (
        "beyond.hh.fi_classes_figure",
        lambda: bx.fi_classes_figure(_r("fi_classes"), _r("fi_operating")),
    ),
    "fi_classes_trace": (
        "beyond.hh.fi_trace_figure",
        lambda: bx.fi_trace_figure(_r("fi_operating")),
    ),
    "dendrite": ("beyond.dendrites.dendrite_figure", lambda: bx.dendrite_figure(_r("dendrite"))),
    "noise_trials": ("noise.trials_figure", lambda: noise.trials_figure(_r("trials"))),
    "isi_histogram": (
        "noise.isi_histogram_figure",
        lambda: noise.isi_histogram_figure(nz.isi_histogram(_r("trials"))),
    ),
    "rate_curves": (
        "noise.rate_curves_figure",
        lambda: noise.rate_curves_figure(_r("rate_curves"), _mark()),
    ),
    "cv_curves": (
        "noise.cv_curves_figure",
        lambda: noise.cv_curves_figure(_r("rate_curves"), _mark()),
    ),
    "method_exact": (
        "numerics.method_trace_figure",
        lambda: numerics.method_trace_figure(_r("methods").exact, _r("methods").theory, Q.V_th),
    ),
    "method_euler": (
        "numerics.method_trace_figure",
        lambda: numerics.method_trace_figure(_r("methods").euler, _r("methods").theory, Q.V_th),
    ),
    "error_rate": (
        "numerics.error_figure",
        lambda: numerics.error_figure(_r("sweep"), "rate", dt_mark=1e-4),
    ),
    "error_first_spike": (
        "numerics.error_figure",
        lambda: numerics.error_figure(_r("sweep"), "first_spike", dt_mark=1e-4),
    ),
}


def _mark() -> noise.OperatingMark:
    stats = _r("trials").stats
    return noise.OperatingMark(1.0e-9, stats.rate, stats.rate_se, stats.cv, stats.cv_se, 3e-3)


#: Every builder the catalogue covers (``module.function``).
BUILDERS = {builder for builder, _ in CASES.values()}


@cache
def figure(name: str) -> go.Figure:
    """The figure of case ``name`` (built once per test session; read-only)."""
    return CASES[name][1]()
