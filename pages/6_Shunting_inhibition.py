"""Chapter 6: shunting inhibition divides PSPs below threshold but shifts the f–I curve."""

import math

import streamlit as st

import lab_cache
import lab_ui
from lif_core import LIFParams
from lif_core.analysis import inhibition
from lif_core.units import from_si

params = lab_ui.page_setup("6 · Shunting inhibition")


def _mV(x: float, digits: int = 2) -> str:
    """A potential difference (V) as signed text in mV, with a true minus sign (+ on 0)."""
    value = float(from_si(x, "mV"))
    if round(value, digits) == 0:
        return f"+{0:.{digits}f} mV"  # round-off of either sign shows as +0.00, not −0.00
    return f"{value:+.{digits}f} mV".replace("-", "−")


def _fi_caption(params: LIFParams, dE_hyp: float) -> str:
    """What the f–I chart shows: a shift to the right needs E_inh below the threshold."""
    E_inh = {"shunting": params.E_L, "hyperpolarising": params.E_L + dE_hyp}
    not_below = [
        f"{kind} one (E_inh = {lab_ui.fmt(E, 'mV', 0)})"
        for kind, E in E_inh.items()
        if E >= params.V_th
    ]
    if not not_below:
        return (
            "Firing rates: both kinds of inhibition shift the curve to the right "
            "(subtractive); neither divides its slope."
        )
    return (
        "Firing rates: inhibition shifts the curve to the right only if its reversal potential "
        f"lies below the threshold. Here the {' and the '.join(not_below)} "
        f"{'is' if len(not_below) == 1 else 'are'} not below V_th = "
        f"{lab_ui.fmt(params.V_th, 'mV', 0)}: near threshold such a conductance pulls V up, "
        "and the rheobase moves by g_inh·(V_th − E_inh) ≤ 0: to the left, or not at all. "
        "Neither divides the slope."
    )


def _table_caption(params: LIFParams, ratios: list[float], rheobase: float) -> str:
    """The table's caption, true for every setting (``ratios``: slope ratios at the reference)."""
    ref = f"{inhibition.REFERENCE_RATE:.0f} Hz"
    text = f"Compared with no inhibition (rheobase {lab_ui.fmt(rheobase, 'nA', 2)}). "
    if params.t_ref > 0 and any(math.isnan(r) for r in ratios):
        return text + (
            f"A dash (–): with t_ref = {lab_ui.fmt(params.t_ref, 'ms')} the rate never "
            f"reaches {ref} (its ceiling 1/t_ref is {lab_ui.fmt(1.0 / params.t_ref, 'Hz', 0)}), "
            f"so there is no current, shift or slope at {ref} to compare; set t_ref below "
            f"{lab_ui.fmt(1.0 / inhibition.REFERENCE_RATE, 'ms', 0)} to see them. The rheobase "
            "columns still compare the curves."
        )
    text += "A divisive effect would show as a slope ratio below 1"
    if all(round(r, 2) >= 1.0 for r in ratios):
        return text + (
            "; both ratios are at or above 1, so the inhibition does not divide the rate: it "
            "shifts the curve (see the shift columns)."
        )
    return text + "."


# The charts' live previews: each chart follows the sliders it depends on (and the sidebar's
# neuron); the constants of the analyses come from lif_core.analysis.inhibition.
_SH_EVENT = {
    "t_inh_on": inhibition.T_INH_ON,
    "t_exc": inhibition.T_EXC,
    "E_exc": inhibition.E_EXC,
    "tau_exc": inhibition.TAU_EXC,
    "duration": inhibition.SHUNT_DURATION,
}
PREVIEW_TRACES = lab_ui.Preview(
    "shunting", "traces", {"g_exc": "sh_ge", "g_inh": "sh_gi", "dE_inh": "sh_dEi"}, _SH_EVENT
)
_SH_COMPARISON = {
    **_SH_EVENT,
    "g_exc_grid": inhibition.EPSP_G_EXC,
    "n_sim": lab_cache.SH_FI_POINTS,
    "fi_duration": lab_cache.SH_FI_DURATION,
    "reference_rate": inhibition.REFERENCE_RATE,
}
PREVIEW_EPSP = lab_ui.Preview(
    "inhibition",
    "epsp",
    {"g_inh": "sh_gi", "dE_hyp": "sh_dEh", "g_exc": "sh_ge"},
    _SH_COMPARISON,
)
PREVIEW_FI = lab_ui.Preview(
    "inhibition", "fi", {"g_inh": "sh_gi", "dE_hyp": "sh_dEh"}, _SH_COMPARISON
)


# A fragment: a change of its widgets reruns only this part (the sidebar reruns the page).
@st.fragment
def shunting_explorer(params: LIFParams) -> None:
    """Both experiments: sliders, the three charts and readouts (g_inh drives both)."""
    st.markdown("##### Below threshold: E alone, I alone, E and I together")
    c1, c2, c3 = st.columns(3)
    with c1:
        g_exc = lab_ui.slider(
            "Excitatory peak conductance g_exc",
            "sh_ge",
            0.0,
            100.0,
            30.0,
            1.0,
            "nS",
            help=f"One AMPA-like event (E_exc = 0 mV, τ = 5 ms) at "
            f"{lab_ui.fmt(inhibition.T_EXC, 'ms', 0)}.",
        )
    with c2:
        g_inh = lab_ui.slider(
            "Inhibitory conductance g_inh",
            "sh_gi",
            0.0,
            300.0,
            100.0,
            5.0,
            "nS",
            help=f"Tonic, switched on at {lab_ui.fmt(inhibition.T_INH_ON, 'ms', 0)}. The leak "
            "conductance 1/R is 100 nS for R = 10 MΩ.",
        )
    with c3:
        dE_inh = lab_ui.slider(
            "E_inh − E_L",
            "sh_dEi",
            -30.0,
            15.0,
            0.0,
            1.0,
            "mV",
            help="Reversal potential of the inhibition relative to rest. 0: pure shunting; "
            "negative: hyperpolarising.",
        )

    fig_traces, demo = lab_cache.shunting_view(params, g_exc, g_inh, dE_inh)

    lab_ui.chart(
        fig_traces,
        key="sh_traces",
        alt="Membrane potential for excitation alone, inhibition alone, both together and the "
        "linear sum of the two, with the conductances below",
        preview=PREVIEW_TRACES,
    )
    compared = (
        f"The EPSP with inhibition is {demo.epsp_ratio:.2f} × the EPSP alone (measured from "
        "the baseline at its onset)"
        if math.isfinite(demo.epsp_ratio)
        else "With no excitation (g_E = 0) there is no EPSP to compare"
    )
    st.caption(
        f"Passive membrane (no threshold). {compared}; "
        f"a steady input would be scaled by g_L/(g_L + g_inh) = τ_eff/τ = "
        f"{demo.conductance_ratio:.2f}. A brief input is divided less: its charge lands on the "
        f"capacitor faster than the extra leak can drain it."
    )

    m = st.columns(6)
    m[0].metric("Peak E alone", _mV(demo.peak_E), help="Largest V − E_L after the EPSP onset.")
    m[1].metric(
        "Peak I alone",
        _mV(0.0 if abs(demo.peak_I) < 5e-6 else demo.peak_I),
        help="Largest deflection V − E_L of I alone in the same window (signed).",
    )
    m[2].metric("Linear sum", _mV(demo.linear), help="peak(E alone) + peak(I alone).")
    m[3].metric("Peak E and I together", _mV(demo.peak_EI))
    m[4].metric(
        "Non-linearity",
        _mV(demo.nonlinear),
        delta=(
            f"{100 * demo.nonlinear_fraction:+.0f} % of E alone".replace("-", "−")
            if math.isfinite(demo.nonlinear_fraction)
            else None
        ),
        delta_color="off",
        delta_arrow="off",
        help="peak(E+I) − (peak(E) + peak(I)). Zero for linear summation.",
    )
    m[5].metric(
        "τ_eff",
        lab_ui.fmt(demo.tau_eff, "ms"),
        delta=f"τ = {lab_ui.fmt(demo.tau, 'ms')}",
        delta_color="off",
        delta_arrow="off",
        help="Effective time constant C/(1/R + g_inh) while the inhibition is on.",
    )

    st.markdown("##### Divide or subtract? Shunting versus hyperpolarising inhibition")
    dE_hyp = lab_ui.slider(
        "Hyperpolarising inhibition: E_inh − E_L",
        "sh_dEh",
        -30.0,
        -1.0,
        -15.0,
        1.0,
        "mV",
        help="Reversal potential of the hyperpolarising inhibition compared below; "
        "the shunting one is at E_L. Both use g_inh from above.",
    )
    fig_epsp, fig_fi, table, rheobase = lab_cache.comparison_view(params, g_inh, dE_hyp, g_exc)

    left, right = st.columns(2, gap="medium")
    with left:
        lab_ui.chart(
            fig_epsp,
            key="sh_epsp",
            alt="Peak depolarisation against excitatory conductance without inhibition, with "
            "shunting and with hyperpolarising inhibition",
            preview=PREVIEW_EPSP,
        )
        st.caption(
            "Below threshold: shunting scales the response down (a divisive, "
            "multiplicative effect through the origin); hyperpolarising inhibition also "
            "moves it down (subtractive)."
        )
    with right:
        lab_ui.chart(
            fig_fi,
            key="sh_fi",
            alt="f–I curves without inhibition, with shunting and with hyperpolarising "
            "inhibition: simulated points over the closed form (dashed)",
            preview=PREVIEW_FI,
        )
        st.caption(
            f"Points: simulated ({lab_cache.SH_FI_POINTS} currents × "
            f"{lab_ui.fmt(lab_cache.SH_FI_DURATION, 'ms', 0)}); dashed: closed form. "
            + _fi_caption(params, dE_hyp)
        )

    st.markdown(table)
    summary = lab_cache.inhibition_comparison(params, g_inh, dE_hyp).summary  # cached: no rerun
    st.caption(_table_caption(params, [s.gain_ratio for s in summary[1:]], rheobase))


shunting_explorer(params)

text, eq = lab_ui.prose("The idea and the equations").columns([3, 2], gap="large")
with text:
    st.markdown(
        r"""
An inhibitory synapse whose reversal potential sits **at the resting potential** passes no
current at rest, so opening it does not move $V$ at all. It is not idle, though: it adds
conductance. Any other input now leaks away faster, so excitatory responses shrink, by
roughly the factor $g_L/(g_L + g_{inh})$, and decay with the shorter $\tau_{eff}$. This
**shunting inhibition** acts *divisively* below threshold, and inputs stop adding up: the
response to E and I together is smaller than the sum of the responses to each alone. On the
firing rate of an LIF neuron, however, the same conductance mostly **shifts the f–I curve
to the right** rather than dividing it (Holt & Koch 1997): it raises the rheobase by
$g_{inh}\,(V_{th} - E_{inh})$ but does not flatten it: at a given rate the curve is, if
anything, steeper, because $\tau_{eff}$ is shorter.
"""
    )
with eq:
    st.latex(
        r"\begin{aligned}C\frac{dV}{dt} = &-\frac{V - E_L}{R} - g_{exc}(t)\,(V - E_{exc})\\"
        r"&- g_{inh}\,(V - E_{inh}) + I\end{aligned}"
    )
    st.latex(
        r"V_\infty = \frac{E_L/R + g_{inh}E_{inh} + I}{1/R + g_{inh}}, \qquad "
        r"\tau_{eff} = \frac{C}{1/R + g_{inh}}"
    )
    st.latex(r"I_{rh} = (1/R + g_{inh})\,V_{th} - E_L/R - g_{inh}E_{inh}")

notice, question = lab_ui.prose("What to notice, and a question").columns(2, gap="medium")
with notice:
    lab_ui.try_this(
        """
- With the defaults (E_inh = E_L), **I alone does nothing** to V, yet the EPSP with
  inhibition is clearly smaller and shorter than alone: the non-linearity is negative.
- Double g_exc: both EPSPs grow by about the same factor (a little less than double, as
  V rises towards E_exc), so their ratio hardly changes. That is division: in the left
  chart below the shunted curve is a scaled copy for small g_exc, and close to one above
  (with the defaults its ratio creeps from 0.74 to 0.76 at 100 nS).
- Set **E_inh − E_L = −15 mV**: now I alone hyperpolarises, and E+I is closer to the
  linear sum, but still below it: the extra conductance is still there.
- In the f–I chart, compare the shunting curve with no inhibition: it starts later, and it
  is no flatter: at 100 Hz it is a little steeper (slope ratio 1.17 with the defaults), because
  τ_eff is shorter. Raise g_inh to 300 nS: a bigger shift, and the slope at 100 Hz about
  doubles. Shunting shifts the rate; it does not divide it.
"""
    )
with question:
    lab_ui.predict(
        "sh_q1",
        "Shunting inhibition (E_inh = E_L) scales EPSPs down below threshold. What does the "
        "same tonic conductance do to the **f–I curve** of the LIF neuron?",
        [
            "Divides it: every rate is scaled by the same factor",
            "Shifts it to the right, with about the same slope",
            "Nothing: it passes no current at rest",
            "Shifts it to the left",
        ],
        1,
        r"""
To fire, $V$ must reach $V_{th}$, where the shunting conductance *does* pass current:
$g_{inh}(V_{th} - E_L)$ outward. The input must supply that much extra, so the rheobase
grows by $g_{inh}(V_{th} - E_{inh})$ (1.5 nA for 100 nS and 15 mV). Far above threshold the
rate depends on how fast the input charges $C$, and the extra current the conductance
takes is nearly constant, so the curve is *shifted*, not divided (Holt & Koch 1997,
*Neural Computation* 9:1001). Division below threshold and subtraction above it are both
consequences of the same conductance.
""",
    )
