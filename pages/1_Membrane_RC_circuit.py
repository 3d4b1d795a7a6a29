"""Chapter 1: the membrane as an RC circuit (passive membrane, current pulse)."""

import streamlit as st

import lab_cache
import lab_ui
from lif_core import LIFParams
from lif_figures import circuit

params = lab_ui.page_setup("1 · The membrane is an RC circuit")


# The charts' live previews: the pulse sliders and the sidebar's neuron drive them.
_PULSE_SLIDERS = {"amplitude": "rc_amp", "onset": "rc_onset", "width": "rc_width"}
PREVIEW_V = lab_ui.Preview("pulse", "voltage", _PULSE_SLIDERS)
PREVIEW_I = lab_ui.Preview("pulse", "currents", _PULSE_SLIDERS)


# A fragment: moving a pulse slider reruns only this part (not the sidebar and the text),
# so the server sends two charts instead of the whole page. The sidebar still reruns all.
@st.fragment
def pulse_explorer(params: LIFParams) -> None:
    """Pulse sliders and the two charts they drive."""
    c1, c2, c3 = st.columns(3)
    with c1:
        amplitude = lab_ui.slider(
            "Pulse amplitude I",
            "rc_amp",
            -3.0,
            3.0,
            1.0,
            0.1,
            "nA",
            help="Positive current flows into the cell and depolarises it.",
        )
    with c2:
        onset = lab_ui.slider("Pulse onset", "rc_onset", 0.0, 100.0, 20.0, 1.0, "ms")
    with c3:
        width = lab_ui.slider("Pulse duration", "rc_width", 1.0, 200.0, 60.0, 1.0, "ms")

    fig_v, fig_i = lab_cache.pulse_figures(params, amplitude, onset, width)
    left, right = st.columns(2, gap="medium")
    with left:
        fig_v = lab_ui.pinned(
            fig_v,
            "rc_voltage",
            PREVIEW_V,
            lambda p, **inputs: lab_cache.pulse_figures(p, **inputs)[0],
            ("simulated V(t)",),
            heading="**Membrane potential V(t)**",
        )
        lab_ui.chart(fig_v, key="rc_voltage", preview=PREVIEW_V)
    with right:
        st.markdown("**Where the current goes:** I = I_R + I_C at every moment")
        lab_ui.chart(fig_i, key="rc_currents", preview=PREVIEW_I)


pulse_explorer(params)

if lab_ui.fires_without_input(params):
    st.info(
        "This chapter's membrane has no threshold yet (chapter 3 adds it), so here V settles "
        "at E_L; with its threshold below E_L, the neuron would fire instead.",
        icon=":material/info:",
    )

text, drawing = lab_ui.prose("The idea and the equations").columns([3, 2], gap="large")
with text:
    st.markdown(
        r"""
The cell membrane is a thin insulating sheet between two salty, conducting solutions:
a **capacitor** $C$. Ion channels that are always open let charge leak through it: a
**resistor** $R$, in series with a battery $E_L$, the potential at which the leak current
vanishes. A current $I$ injected into the cell has two ways to go: it charges the capacitor
($I_C = C\,dV/dt$) or leaks out through the resistor ($I_R = (V - E_L)/R$). At first almost
all of it charges the capacitor, so $V$ rises; the higher $V$, the more leaks out, until
all of it leaks and $V$ stops at $E_L + R\,I$. The speed of this approach is set by the
**membrane time constant** $\tau = RC$.
"""
    )
    st.latex(r"I = I_R + I_C = \frac{V - E_L}{R} + C\,\frac{dV}{dt}")
    st.latex(r"\Longrightarrow\quad \tau\,\frac{dV}{dt} = -(V - E_L) + R\,I, \qquad \tau = RC")
    st.latex(r"V(t) = V_\infty + (V_0 - V_\infty)\,e^{-t/\tau}, \qquad V_\infty = E_L + R\,I")
with drawing:
    st.markdown(circuit.circuit_svg(), unsafe_allow_html=True)
    st.caption(
        f"Equivalent circuit of a patch of membrane. With the sidebar values: "
        f"τ = RC = {lab_ui.fmt(params.tau, 'ms')}."
    )


notice, question = lab_ui.prose("What to notice, and a question").columns(2, gap="medium")
with notice:
    lab_ui.try_this(
        """
- One **τ** after the switch (orange diamonds) V has covered **63 %** of the way; after
  3τ, 95 %. Change **R** or **C** in the sidebar: only their product τ = RC sets the speed.
- The plateau is **E_L + R·I**: double the amplitude or R and the plateau moves twice as far;
  C does not change it.
- At the onset all of the current charges the capacitor (I_C = I, I_R = 0); at the plateau
  all of it leaks (I_R = I). When the pulse ends, I_C = −I_R: the capacitor discharges
  through the leak.
- Make the pulse shorter than τ: V never reaches the plateau. The membrane *filters* fast
  inputs.
"""
    )
with question:
    lab_ui.predict(
        "rc_q1",
        "A current pulse switches on. **After one time constant τ**, how far has V moved "
        "from E_L towards its plateau E_L + R·I?",
        ["about 37 %", "50 %", "about 63 %", "all the way: it is there"],
        2,
        r"""
$V(\tau) - E_L = R I\,(1 - e^{-1}) \approx 0.632\,R I$. The approach is exponential, so it
never quite *arrives*: each further τ removes another 63 % of what is left (95 % after 3τ,
99 % after 5τ). The 37 % is what is left after one τ, and the time to get half way is
$\tau \ln 2 \approx 0.69\,\tau$.
""",
    )
