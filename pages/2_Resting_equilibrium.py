"""Chapter 2: the resting potential is a stable fixed point; a current moves it."""

import streamlit as st

import lab_cache
import lab_ui
from lif_core import LIFParams
from lif_core.analysis.membrane import DEFAULT_STARTS

params = lab_ui.page_setup("2 · Resting potential is a stable equilibrium")


# The charts' live previews: the current slider and the sidebar's neuron drive them.
_CURRENT, _STARTS = {"I": "eq_I"}, {"starts": DEFAULT_STARTS}
PREVIEW_PHASE = lab_ui.Preview("relaxation", "phase", _CURRENT, fixed=_STARTS)
PREVIEW_RELAX = lab_ui.Preview("relaxation", "relax", _CURRENT, fixed=_STARTS)


# A fragment: a change of its widgets reruns only this part (the sidebar reruns the page).
@st.fragment
def equilibrium_explorer(params: LIFParams) -> None:
    """Current slider, fixed-point readout and the two charts."""
    current = lab_ui.slider(
        "Constant injected current I",
        "eq_I",
        -3.0,
        3.0,
        0.0,
        0.1,
        "nA",
        help="Moves the fixed point by R·I. Negative current hyperpolarises the cell.",
    )
    fig_phase, fig_relax, v_inf = lab_cache.equilibrium_figures(params, current)
    st.markdown(
        f"Fixed point: **V∞ = E_L + R·I = {lab_ui.fmt(v_inf, 'mV')}** "
        f"(E_L = {lab_ui.fmt(params.E_L, 'mV', 0)}, τ = {lab_ui.fmt(params.tau, 'ms')})."
    )
    if v_inf > params.V_th:
        st.info(
            f"V∞ is above the threshold V_th = {lab_ui.fmt(params.V_th, 'mV', 0)}. The membrane "
            "on this page has no threshold, so it settles at V∞; the neuron with its threshold "
            "never gets there: it reaches V_th first and fires, again and again (chapter 3). "
            "V∞ is then not a resting potential.",
            icon=":material/info:",
        )
    left, right = st.columns(2, gap="medium")
    with left:
        st.markdown("**Phase line:** dV/dt against V; arrows show where V goes")
        lab_ui.chart(fig_phase, key="eq_phase", preview=PREVIEW_PHASE)
    with right:
        st.markdown("**Seven starting potentials** all relax to V∞")
        lab_ui.chart(fig_relax, key="eq_relax", preview=PREVIEW_RELAX)


equilibrium_explorer(params)

text, eq = lab_ui.prose("The idea and the equations").columns([3, 2], gap="large")
with text:
    st.markdown(
        r"""
Why does a neuron sit at its resting potential? Read the membrane equation as a rule for
the **velocity** of $V$: the right-hand side says how fast $V$ changes at each value of $V$.
It is a straight line with slope $-1/\tau$ that crosses zero at $V_\infty = E_L + R\,I$.
Above $V_\infty$ the velocity is negative and $V$ falls; below it, $V$ rises. So every
trajectory heads for $V_\infty$, and a small push away from it is undone: a **stable fixed
point**. Without input it is the resting potential $E_L$; a constant current $I$ moves
it to $E_L + R\,I$. This *phase line* picture is how we will later read threshold
and firing.
"""
    )
with eq:
    st.latex(r"\frac{dV}{dt} = \frac{-(V - E_L) + R\,I}{\tau} = -\,\frac{V - V_\infty}{\tau}")
    st.latex(r"V_\infty = E_L + R\,I")
    st.latex(r"V(t) = V_\infty + (V_0 - V_\infty)\,e^{-t/\tau}")

notice, question = lab_ui.prose("What to notice, and a question").columns(2, gap="medium")
with notice:
    lab_ui.try_this(
        """
- Every trajectory reaches V∞ with the **same time constant τ**, whatever its start: the
  phase line is straight, so the distance to V∞ shrinks by 63 % every τ.
- Move the current: the line slides up or down, the fixed point moves to **E_L + R·I**, and
  the trajectories follow. Nothing else about the picture changes.
- Change **C**: the slope of the line (−1/τ) changes, but the fixed point does not.
- Can you find a current that puts V∞ above the threshold (−50 mV by default)? That is the
  **rheobase**, and the next chapter starts there.
"""
    )
with question:
    lab_ui.predict(
        "eq_q1",
        "The default neuron (E_L = −65 mV, R = 10 MΩ) gets a constant current of "
        "**+1 nA**. Where does V settle?",
        [
            "−65 mV: the membrane always returns to E_L",
            "−55 mV",
            "−50 mV, the threshold",
            "nowhere: it keeps rising while the current flows",
        ],
        1,
        r"""
The fixed point is $V_\infty = E_L + R I = -65\,\text{mV} + 10\,\text{M}\Omega \times
1\,\text{nA} = -55\,\text{mV}$. The current does not make V grow forever because the
leak current $(V - E_L)/R$ grows with V until it carries all of the injected current.
""",
    )
