"""Chapter 5: synapses are conductances; the synaptic current reverses at E_syn."""

import re

import numpy as np
import streamlit as st

import lab_cache
import lab_ui
from lif_core import LIFParams
from lif_figures.style import COLORS

params = lab_ui.page_setup("5 · Synapses are conductances")

#: Preset synapses: button label -> slider values (E_syn mV, tau_syn ms, constant current nA).
#: The current puts V where the synapse type matters: just below threshold for AMPA,
#: firing for the GABA synapses (so V sweeps the range between reset and threshold).
PRESETS = {
    "Excitatory: AMPA (0 mV, 5 ms)": (0.0, 5.0, 1.2),
    "Inhibitory: GABA_A (−75 mV, 10 ms)": (-75.0, 10.0, 1.8),
    "Depolarising GABA (−57 mV, 10 ms)": (-57.0, 10.0, 1.8),
}


def _too_fast(err: ValueError) -> str:
    """The simulator's refusal (:func:`lif_core.simulate`) in a student's words.

    The engine refuses inputs that would fire more than 10 spikes within one time step
    (0.1 ms here), which needs t_ref = 0; its message gives the interval in seconds.
    """
    found = re.search(r"fire every ([0-9.eE+-]+) s", str(err))
    if found is None:  # some other refusal: show it as it is
        return f"This combination cannot be simulated: {err}"
    isi = float(found[1])
    every = f"{isi * 1e6:.1f} µs" if isi < 1e-3 else lab_ui.fmt(isi, "ms", 2)
    return (
        f"**This combination cannot be simulated:** the neuron would fire every {every}, more "
        "than 10 spikes within one time step of the simulation (0.1 ms): with t_ref = 0 "
        "nothing stops it from firing again at once. To fix it, raise **Refractory period "
        "t_ref** in the sidebar (0.5 ms is enough), or move **Reset potential V_reset** "
        "further below the threshold, or give the neuron less input: lower **Peak "
        "conductance g_max**, **Presynaptic rate** or **Constant current I**."
    )


def _apply_preset(E_syn: float, tau_syn: float, I_bias: float) -> None:
    st.session_state["syn_E"] = E_syn
    st.session_state["syn_tau"] = tau_syn
    st.session_state["syn_I"] = I_bias


# The charts' live previews: the synapse sliders and the sidebar's neuron drive them. A
# Poisson train is random: the preview gets the train of every value of the rate slider
# (0-100 Hz in steps of 1 Hz), so it draws what Python will draw on release.
_SYN_SLIDERS = {
    "rate": "syn_rate",
    "g_max": "syn_g",
    "tau_syn": "syn_tau",
    "E_syn": "syn_E",
    "I_bias": "syn_I",
}
_SYN_RATES = tuple(np.arange(0.0, 101.0))


def _syn_preview(view: str, poisson: bool) -> lab_ui.Preview:
    """The live preview of one of the three charts ("presynaptic", "current", "conductance")."""
    fixed = {
        "poisson": poisson,
        "duration": lab_cache.SYN_DURATION,
        "colors": {"exc": COLORS["exc"], "inh": COLORS["inh"]},
    }
    data = (
        lab_cache.poisson_trains(_SYN_RATES, lab_cache.SYN_DURATION, lab_cache.SYN_SEED)
        if poisson
        else {}
    )
    return lab_ui.Preview("synapses", view, _SYN_SLIDERS, fixed, data)


# The presets stay outside the fragment: a press sets three of its sliders and reruns the
# page, and a slider change does not re-send the buttons (45 websocket messages per change
# with them in the fragment, 37 without).
with st.container(horizontal=True, vertical_alignment="center", key="syn_presets"):
    st.markdown("**Synapse presets:**", width="content")
    for k, (label, values) in enumerate(PRESETS.items()):
        st.button(
            label,
            key=f"syn_preset_{k}",
            on_click=_apply_preset,
            args=values,
            help="Sets E_syn, τ_syn and the constant current.",
        )


# A fragment: a change of its widgets reruns only this part (the sidebar reruns the page).
@st.fragment
def synapse_explorer(params: LIFParams) -> None:
    """Synapse sliders and the three charts they drive."""
    # the presynaptic input first, the chart of its conductance under it
    c1, c2, c3, c4 = st.columns([1.1, 1, 1, 1])
    with c1:
        train = lab_ui.choice(
            "Presynaptic spike train",
            "syn_train",
            ["regular", "Poisson"],
            help=f"Poisson: random spike times with a fixed seed ({lab_cache.SYN_SEED}), "
            "the same on every run.",
        )
    with c2:
        rate = lab_ui.slider("Presynaptic rate", "syn_rate", 0.0, 100.0, 20.0, 1.0, "Hz")
    with c3:
        g_max = lab_ui.slider(
            "Peak conductance g_max",
            "syn_g",
            0.0,
            50.0,
            20.0,
            0.5,
            "nS",
            help="Conductance added by one presynaptic spike. The leak conductance 1/R is "
            "100 nS for R = 10 MΩ.",
        )
    with c4:
        tau_syn = lab_ui.slider(
            "Synaptic time constant τ_syn", "syn_tau", 1.0, 30.0, 5.0, 0.5, "ms"
        )
    presynaptic_box = st.container()

    # then the postsynaptic neuron: the reversal potential and a constant current
    c5, c6 = st.columns(2)
    with c5:
        E_syn = lab_ui.slider(
            "Reversal potential E_syn",
            "syn_E",
            -90.0,
            20.0,
            0.0,
            1.0,
            "mV",
            help="The synaptic current is zero at V = E_syn and changes sign there.",
        )
    with c6:
        I_bias = lab_ui.slider(
            "Constant current I",
            "syn_I",
            0.0,
            3.0,
            1.2,
            0.05,
            "nA",
            help="Injected into both neurons, to bring V near threshold (rheobase in the sidebar).",
        )

    try:
        view = lab_cache.synapse_view(
            params, rate, g_max, tau_syn, E_syn, I_bias, train == "Poisson"
        )
    except ValueError as err:  # inputs the simulator cannot resolve (extreme sidebar values)
        st.warning(_too_fast(err), icon="⚠️")
        return  # the rest of the page (explanations, question) still shows

    with presynaptic_box:
        lab_ui.chart(
            view.presynaptic,
            key="syn_pre",
            alt="Presynaptic spike times and the synaptic conductance they produce",
            preview=_syn_preview("presynaptic", train == "Poisson"),
        )

    left, right = st.columns(2, gap="medium")
    with left:
        st.markdown(r"**Current-based synapse**: $I_{syn} = -g(t)\,(E_L - E_{syn})$")
        lab_ui.chart(
            view.current_based,
            key="syn_current",
            alt="Current-based synapse: membrane potential, frozen driving force and "
            "synaptic current",
            preview=_syn_preview("current", train == "Poisson"),
        )
        m1, m2 = st.columns(2)
        m1.metric(
            f"Spikes in {lab_ui.fmt(lab_cache.SYN_DURATION, 'ms', 0)}", f"{view.spikes['current']}"
        )
        with m2:
            lab_ui.metric(
                "Mean synaptic current",
                view.mean_current["current"],
                "nA",
                3,
                help="Positive: inward, depolarising.",
            )
    with right:
        st.markdown(r"**Conductance-based synapse**: $I_{syn} = -g(t)\,(V - E_{syn})$")
        lab_ui.chart(
            view.conductance_based,
            key="syn_conductance",
            alt="Conductance-based synapse: membrane potential, driving force V − E_syn and "
            "synaptic current, with the times where the current changes sign",
            preview=_syn_preview("conductance", train == "Poisson"),
        )
        m3, m4, m5 = st.columns(3)
        m3.metric(
            f"Spikes in {lab_ui.fmt(lab_cache.SYN_DURATION, 'ms', 0)}",
            f"{view.spikes['conductance']}",
        )
        with m4:
            lab_ui.metric(
                "Mean synaptic current",
                view.mean_current["conductance"],
                "nA",
                3,
                help="Positive: inward, depolarising.",
            )
        m5.metric(
            "Sign changes of I_syn",
            f"{view.sign_changes}",
            help="Times where V crosses E_syn while the synapse is open (orange markers).",
        )


synapse_explorer(params)

if lab_ui.fires_without_input(params):
    st.info(
        "With these sidebar values the neuron fires even without any input (E_L above V_th), "
        "so V never sits at rest here, and the comparisons below, which start from a neuron "
        "resting below threshold, do not hold.",
        icon=":material/info:",
    )

text, eq = lab_ui.prose("The idea and the equations").columns([3, 2], gap="large")
with text:
    st.markdown(
        r"""
A presynaptic spike opens ion channels in the postsynaptic membrane for a few milliseconds:
it adds a **conductance** $g(t)$, not a fixed current. The current through those channels
is driven by the distance between $V$ and the channels' **reversal potential** $E_{syn}$,
the potential at which the ions' electrical and chemical forces balance (Nernst). So the
same synapse injects a large current when $V$ is far from $E_{syn}$, none at $E_{syn}$,
and a current of the *opposite sign* on the other side of it. A **current-based** synapse,
the common simplification, freezes the driving force at its value at rest; it is linear,
but it misses these effects. Excitatory synapses (AMPA, $E_{syn} \approx 0$ mV) sit far
above the firing range, inhibitory ones (GABA$_A$, $E_{syn} \approx -75$ mV) below it.
"""
    )
with eq:
    st.latex(r"C\,\frac{dV}{dt} = -\frac{V - E_L}{R} + I + I_{syn}")
    st.latex(r"\text{conductance-based: } I_{syn} = -g(t)\,(V - E_{syn})")
    st.latex(r"\text{current-based: } I_{syn} = -g(t)\,(E_L - E_{syn})")
    st.latex(r"g(t) = g_{max} \sum_k e^{-(t - t_k)/\tau_{syn}}\quad (t \ge t_k)")

notice, question = lab_ui.prose("What to notice, and a question").columns(2, gap="medium")
with notice:
    lab_ui.try_this(
        """
- With the **AMPA** preset (the default), compare the two columns: near threshold the
  driving force V − E_syn is smaller than at rest, so the conductance-based synapse
  injects less current and here the neuron stays silent, while the current-based one,
  with its driving force frozen at rest, fires.
- Press **GABA_A**: now the conductance-based inhibition is the *stronger* one (mean
  current about twice as large), because near threshold V is far above E_syn. Set the
  constant current to 0: V sits at rest, 10 mV above E_syn, and the two models agree.
- Press **Depolarising GABA** (E_syn = −57 mV, between reset and threshold): the
  conductance-based current is **inward below E_syn and outward above it**. Every spike
  and reset carries V across E_syn, and the orange markers count the sign changes. The
  current-based model cannot do this: its current keeps one sign.
- Drag **E_syn** slowly from one end to the other and watch the conductance-based column:
  the driving force V − E_syn slides along its axis (the axes hold still while you drag),
  and the current below grows, shrinks and changes sign where E_syn passes V.
- Switch to a **Poisson** train: the same average rate, irregular timing.
"""
    )
with question:
    lab_ui.predict(
        "syn_q1",
        "A GABA_A synapse (E_syn = −75 mV) opens while the membrane sits at V = −80 mV "
        "(just after a strong hyperpolarisation). What does the synaptic current do?",
        [
            "It hyperpolarises the cell further: inhibition always pulls V down",
            "It depolarises the cell, pulling V up towards −75 mV",
            "Nothing: inhibitory synapses only act near threshold",
            "It makes the neuron fire",
        ],
        1,
        r"""
$I_{syn} = -g\,(V - E_{syn}) = -g\,(-80 - (-75))\,\text{mV} = +g \cdot 5\,\text{mV} > 0$:
an inward, **depolarising** current. A conductance always pulls $V$ towards its reversal
potential, from whichever side. "Inhibitory" describes where $E_{syn}$ lies relative to
the threshold (below it, so the synapse can never drive the cell to fire), not the sign
of the current. A current-based model would get the sign wrong here.
""",
    )
