"""Chapter 4: the refractory period caps the firing rate; the f–I curve."""

import numpy as np
import streamlit as st

import lab_cache
import lab_ui
from lif_core import LIFParams

params = lab_ui.page_setup("4 · Refractory period and the f–I curve")


# The charts' live previews: the f–I chart follows both current sliders, the V(t) trace the
# operating current; both follow the sidebar's neuron.
PREVIEW_FI = lab_ui.Preview(
    "fi",
    "curve",
    {"I_max": "fi_Imax", "I_op": "fi_I"},
    fixed={"n": lab_cache.FI_POINTS, "duration": lab_cache.FI_DURATION},
)
PREVIEW_TRACE = lab_ui.Preview(
    "fi_operating", "trace", {"I_op": "fi_I"}, fixed={"duration": lab_cache.FI_TRACE_DURATION}
)


# A fragment: a change of its widgets reruns only this part (the sidebar reruns the page).
@st.fragment
def fi_explorer(params: LIFParams) -> None:
    """Current sliders, the f–I curve and the V(t) trace at the operating point, readouts."""
    c1, c2 = st.columns(2)
    with c1:
        I_max = lab_ui.slider(
            "Largest current on the f–I curve",
            "fi_Imax",
            2.0,
            40.0,
            20.0,
            0.5,
            "nA",
            help="Right end of the f–I chart. Large currents show the ceiling 1/t_ref.",
        )
    with c2:
        I_op = lab_ui.slider(
            "Operating current I",
            "fi_I",
            0.0,
            40.0,
            3.0,
            0.1,
            "nA",
            help="The star on the f–I curve; the V(t) trace on the right is at this current.",
        )

    fig_fi = lab_cache.fi_chart(params, I_max, I_op)
    fig_trace, point = lab_cache.operating_view(params, I_op)

    left, right = st.columns([1, 1], gap="medium")
    with left:
        # Pin: the t_ref curve (closed form and simulated points) stays as a faded reference
        fig_fi = lab_ui.pinned(
            fig_fi,
            "fi_curve",
            PREVIEW_FI,
            lambda p, **inputs: lab_cache.fi_chart(p, **inputs),
            ("theory, t_ref = * ms", "simulated, t_ref = * ms"),
            heading=f"**f–I curve:** t_ref = {lab_ui.fmt(point.t_ref, 'ms')} and t_ref = 0",
        )
        lab_ui.chart(
            fig_fi,
            key="fi_curve",
            alt="f–I curve: simulated rates (points) over the closed-form curves (dashed), with "
            "and without refractory period, rheobase, ceiling and linear asymptote",
            preview=PREVIEW_FI,
        )
        if lab_ui.fires_without_input(params):
            st.info(
                "The rheobase is negative here (E_L above V_th): the neuron already fires at "
                "I = 0, so both curves start above zero; their rise from the rheobase lies at "
                "negative currents, left of this chart.",
                icon=":material/info:",
            )
        st.caption(
            f"Points: exact simulation, {lab_cache.FI_POINTS} currents × "
            f"{lab_ui.fmt(lab_cache.FI_DURATION, 'ms', 0)} in one vectorised pass per curve "
            "(rate = 1 / mean ISI, 0 with fewer than two spikes). "
            "Dashed: closed form."
        )
    with right:
        st.markdown(f"**V(t) at the operating current I = {lab_ui.fmt(point.I, 'nA')}**")
        if fig_trace is None:
            st.info(
                "At this current the neuron would fire every "
                f"{lab_ui.fmt(point.isi, 'ms', 4)}, faster than the "
                "simulation's time step can resolve; only the closed form is shown. "
                "Give it a refractory period in the sidebar, or lower the current.",
                icon="ℹ️",
            )
        else:
            lab_ui.chart(
                fig_trace,
                key="fi_trace",
                alt="Membrane potential at the operating current, with threshold, reset and the "
                "refractory periods highlighted",
                preview=PREVIEW_TRACE,
            )
        st.caption(
            f"Interval = t_ref + T = {lab_ui.fmt(point.t_ref, 'ms')} + "
            + ("∞" if not np.isfinite(point.T) else lab_ui.fmt(point.T, "ms", 2))
            + ". Thick orange segments: refractory periods, V clamped at V_reset. Short "
            "vertical lines mark the spike times (the LIF model has no spike shape)."
        )
    m1, m2, m3, m4, m5 = st.columns(5)
    m1.metric(
        "Rate (theory)",
        f"{point.rate_theory:.1f} Hz",
        help="f = 1/(t_ref + T) at the operating current, with the sidebar t_ref.",
    )
    m2.metric(
        "Rate (simulated)",
        f"{point.rate_sim:.1f} Hz",
        help="1 / mean inter-spike interval of the "
        f"{lab_ui.fmt(lab_cache.FI_TRACE_DURATION, 'ms', 0)} trace; "
        "0 with fewer than two spikes.",
    )
    m3.metric(
        "Charging time T",
        "∞ (never fires)" if not np.isfinite(point.T) else lab_ui.fmt(point.T, "ms", 2),
        help="Time from V_reset to V_th: τ ln((V∞ − V_reset)/(V∞ − V_th)).",
    )
    m4.metric(
        "Share of ISI refractory",
        "–" if np.isnan(point.refractory_fraction) else f"{100 * point.refractory_fraction:.0f} %",
        help="t_ref / (t_ref + T): how much of each interval the neuron spends clamped.",
    )
    m5.metric(
        "Ceiling 1/t_ref",
        "none (t_ref = 0)" if not np.isfinite(point.ceiling) else f"{point.ceiling:.0f} Hz",
        help="The rate can approach but never exceed one spike per refractory period.",
    )


fi_explorer(params)

if params.t_ref == 0:
    st.info(
        "The refractory period is 0 in the sidebar, so the two f–I curves coincide and there "
        "is no ceiling. Raise **t_ref** in the sidebar to see the saturation.",
        icon="ℹ️",
    )

text, eq = lab_ui.prose("The idea and the equations").columns([3, 2], gap="large")
with text:
    st.markdown(
        r"""
After each spike a real neuron cannot fire again for a millisecond or two: its sodium
channels are inactivated. The LIF model mimics this with an **absolute refractory period**:
after a spike, $V$ is held at $V_{reset}$ for $t_{ref}$, then charges again. Every
inter-spike interval is therefore $t_{ref}$ plus the charging time $T$ from reset to
threshold, and the rate is $f = 1/(t_{ref} + T)$. Below the rheobase $T$ is infinite and
$f = 0$; just above it $T$ is long and the rate rises steeply. For large currents $T$
shrinks towards zero, so the rate saturates at the **ceiling $1/t_{ref}$**. Without
refractoriness there is no ceiling: the rate approaches a straight line, the **linear
asymptote**, and grows without bound.
"""
    )
with eq:
    st.latex(
        r"f(I) = \frac{1}{t_{ref} + \tau\ln\dfrac{E_L + RI - V_{reset}}{E_L + RI - V_{th}}}"
        r"\quad (I > I_{rh})"
    )
    st.latex(r"f \to \frac{1}{t_{ref}} \quad (I \to \infty)")
    st.latex(
        r"t_{ref} = 0:\quad f \approx \frac{RI + E_L - (V_{th} + V_{reset})/2}"
        r"{\tau\,(V_{th} - V_{reset})}"
    )


notice, question = lab_ui.prose("What to notice, and a question").columns(2, gap="medium")
with notice:
    lab_ui.try_this(
        """
- Put the operating current **just above the rheobase** (1.6 nA for the default neuron):
  the rate is low and almost all of each interval is charging time T.
- Move it to **15–20 nA**: T shrinks to about a millisecond (1.05 ms at 15 nA, 0.78 ms at
  20 nA), most of the interval is refractory, and the curve with refractoriness bends over
  towards the ceiling while the green one (t_ref = 0) keeps climbing along its grey dotted
  linear asymptote.
- Press **Pin** above the f–I chart, then set **t_ref = 10 ms** in the sidebar: the ceiling
  drops to 100 Hz, and the pinned t_ref = 2 ms curve stays faded behind for comparison. Set
  it to 0: the two curves coincide.
- The simulated points sit exactly on the dashed theory: the simulator finds each
  threshold crossing inside its time step, so the rates agree to round-off.
"""
    )
with question:
    lab_ui.predict(
        "fi_q1",
        "With t_ref = 2 ms, you raise a current that is already far above rheobase from "
        "10 nA to 20 nA. What happens to the firing rate?",
        [
            "It doubles",
            "It rises by less than double, approaching 500 Hz",
            "It stays exactly the same",
            "It exceeds 500 Hz",
        ],
        1,
        r"""
The interval is $t_{ref} + T$. Doubling the current roughly halves $T$, but $t_{ref}$ does
not change, so the interval shrinks by less than half: at 10 nA
$T \approx 1.6$ ms and $f \approx 1/(2 + 1.6)\,\text{ms} \approx 275$ Hz; at 20 nA
$T \approx 0.8$ ms and $f \approx 360$ Hz. The rate creeps towards $1/t_{ref} = 500$ Hz
but never reaches it. Without refractoriness it would follow the linear asymptote instead.
""",
    )
