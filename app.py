"""LIF Lab start page: the leaky integrate-and-fire neuron, how to use the app, references.

Run with ``streamlit run app.py``. The chapters live in ``pages/`` (automatic
multipage discovery, no ``st.navigation``); every page, this one included,
calls :func:`lab_ui.page_setup` first, so the sidebar navigation
(:data:`lab_ui.NAV`), the "Neuron" panel and its URL-bound values are the same
everywhere.
"""

import streamlit as st

import lab_ui

lab_ui.page_setup("LIF Lab")

st.markdown(
    "#### An interactive lab about the leaky integrate-and-fire neuron, "
    "the simplest model of a neuron that still spikes."
)

left, right = st.columns([3, 2], gap="large")
with left:
    st.markdown(
        """
In 1907 Louis **Lapicque** described the nerve membrane as a capacitor that is charged by
an input current and leaks through a resistor; when the voltage reaches a threshold, the
nerve "fires" and the voltage is reset. More than a century later this *leaky
integrate-and-fire* (LIF) model is still the workhorse of theoretical neuroscience: simple
enough to solve with pen and paper, rich enough to explain why neurons have a threshold
current and a maximal firing rate, and why inhibition that divides the responses below
threshold mostly shifts the firing rate instead.

Between spikes the membrane potential $V$ obeys one linear differential equation:
"""
    )
    st.latex(r"\tau\,\frac{dV}{dt} = -\,(V - E_L) + R\,I(t), \qquad \tau = R\,C")
    st.markdown(
        r"""
and when $V$ reaches the threshold $V_{th}$ the model emits a spike, sets $V$ to $V_{reset}$
and holds it there for the refractory period $t_{ref}$.
"""
    )
with right, st.container(border=True):
    st.markdown("#### Absolute V, or V relative to rest?")
    st.markdown(
        r"""
This app shows the **absolute** membrane potential, as measured with an electrode: rest is
around $E_L = -65$ mV. Many texts (and the notes this app grew from) write the potential
*relative to rest*, $u = V - E_L$, so that rest is $u = 0$ and "reset to 0" means
$V_{reset} = E_L$. The equations are the same; to translate, subtract $E_L$ from every
voltage. With the defaults, the threshold $V_{th} = -50$ mV is $u_{th} = 15$ mV above rest.
"""
    )

st.markdown("### How to use LIF Lab")
st.markdown(
    """
- **The sidebar sets the neuron** (R, C, E_L, V_th, V_reset, t_ref). It is the same on every
  page and keeps its values when you change chapter. The readouts show the time constant
  τ = RC and the rheobase, the smallest current that makes the neuron fire. Load a textbook
  preset, or go back with **Reset to defaults**.
- **Each chapter has its own sliders** above its charts. **Drag a slider and watch:** the
  charts follow the thumb while it moves (computed in your browser); when you let go, the
  exact simulation takes over. With the keyboard, click a slider and use the arrow keys
  (hold one to sweep). The sidebar's sliders move the chapter's charts the same way.
- **Pin and compare:** the **Pin** button above a chart (chapters 1 and 4) keeps its curve as a
  faded reference; move the sliders and compare (up to three pins, kept in the link;
  the **✕** beside it clears them).
- **Share what you see:** every setting is stored in the address bar. Copy the link and send it;
  it opens the same chapter with the same values. A value in a link that cannot be used
  (a typo, or outside the slider's range) is replaced by the default, and the page says so.
- **Charts:** hover to read values, drag to zoom, double-click to zoom out. Under each chart,
  *Image (PNG)* downloads it for your slides with a caption listing the values it was drawn
  with, *Data (CSV)* downloads its points, and *Full screen* shows it with its sliders (Esc to
  leave).
- **Presenter mode** (the toggle next to the heading) is for a projector: large chart text,
  thick lines, the explanations folded away and the sidebar closed. It is part of the link,
  so a link you share opens in it.
- **Predict, then check:** each chapter asks a question. Commit to a guess first; the answer
  appears only then.
"""
)

st.markdown("### The story, chapter by chapter")
BLURBS = {
    "pages/1_Membrane_RC_circuit.py": "the membrane as a capacitor in parallel with a leak: "
    "charging and discharging with time constant τ = RC, and where the injected current goes.",
    "pages/2_Resting_equilibrium.py": "why the membrane returns to rest: a stable fixed point, "
    "and how a constant current moves it to E_L + R·I.",
    "pages/3_Threshold_and_spikes.py": "add a threshold and a reset: the neuron fires regularly "
    "once the current exceeds the rheobase.",
    "pages/4_Refractory_period_f-I.py": "how the firing rate grows with the current, and the "
    "ceiling set by the refractory period.",
    "pages/5_Synaptic_conductances.py": "synapses open conductances: the synaptic current "
    "depends on V and reverses at E_syn.",
    "pages/6_Shunting_inhibition.py": "inhibition with a reversal potential at rest: it barely "
    "moves V, yet divides responses and shifts the f–I curve.",
    "pages/7_What_the_LIF_leaves_out.py": "the LIF beside richer models under the same input: "
    "real spikes, adaptation and bursting, ringing and rebound, class 2 firing, dendrites.",
    "pages/8_Noise_and_irregular_firing.py": "a fluctuating input: irregular spikes, firing "
    "below the rheobase, and the theory of the noisy neuron's rate and CV.",
    "pages/9_How_the_simulator_works.py": "why this simulator matches the formulas to 13 "
    "digits: the exact propagator against forward Euler, refinement by refinement.",
}
for entry in lab_ui.NAV[1:]:
    col_link, col_text = st.columns([2, 3], vertical_alignment="center")
    with col_link:
        lab_ui.nav_link(entry, label=f"**{entry.label}**", icon=":material/menu_book:")
    col_text.markdown(BLURBS[entry.path])

st.markdown("### References")
st.markdown(
    """
- Lapicque L (1907). Recherches quantitatives sur l'excitation électrique des nerfs traitée
  comme une polarisation. *J Physiol Pathol Gén* 9:620–635.
- Brunel N, van Rossum MCW (2007). Lapicque's 1907 paper: from frogs to integrate-and-fire.
  *Biol Cybern* 97:337–339.
- Abbott LF (1999). Lapicque's introduction of the integrate-and-fire model neuron (1907).
  *Brain Res Bull* 50:303–304.
- Gerstner W, Kistler WM (2002). *Spiking Neuron Models.* Cambridge University Press, §4.1
  (integrate-and-fire model).
- Dayan P, Abbott LF (2001). *Theoretical Neuroscience.* MIT Press, ch. 5 (model neurons).
- Gerstner W, Kistler WM, Naud R, Paninski L (2014). *Neuronal Dynamics.* Cambridge University
  Press, ch. 1.
- Holt GR, Koch C (1997). Shunting inhibition does not have a divisive effect on firing rates.
  *Neural Comput* 9:1001–1013.
"""
)
