"""Chapter 3: threshold and reset turn the leaky integrator into a spiking neuron."""

import streamlit as st

import lab_cache
import lab_ui
from lif_core import LIFParams
from lif_core.analysis import spiking

params = lab_ui.page_setup("3 · Threshold and reset: spikes")


def _trace_preview(kind: str, cosmetic: bool) -> lab_ui.Preview:
    """The chart's live preview: the current (and a step's onset) and the sidebar's neuron."""
    sliders = {"amplitude": "th_amp"} | ({"onset": "th_onset"} if kind == "step" else {})
    return lab_ui.Preview("spiking", "trace", sliders, fixed={"kind": kind, "cosmetic": cosmetic})


# A fragment: a change of its widgets reruns only this part (the sidebar reruns the page).
@st.fragment
def spike_explorer(params: LIFParams) -> None:
    """Input controls, the V(t) chart with its raster, and readouts."""
    c1, c2, c3, c4 = st.columns([1.2, 2, 2, 1], vertical_alignment="center")
    with c1:
        kind = lab_ui.choice(
            "Input current",
            "th_kind",
            spiking.KINDS,
            help="Constant: on from the start. Step: switched on at the onset time.",
        )
    with c4:
        cosmetic = lab_ui.checkbox(
            "Draw spikes",
            "th_spikes",
            value=False,
            help="Draws a stylised action potential at each threshold crossing. It is cosmetic: "
            "the LIF model only resets.",
        )
    with c2:
        amplitude = lab_ui.slider("Current I", "th_amp", 0.0, 10.0, 2.0, 0.05, "nA")
    with c3:
        if kind == "step":
            onset = lab_ui.slider("Step onset", "th_onset", 0.0, 400.0, 100.0, 5.0, "ms")
        else:
            onset = 0.0
            st.caption("A constant current is on from t = 0; choose *step* to set an onset.")

    fig, summary = lab_cache.spiking_run(params, amplitude, kind, onset, cosmetic)
    lab_ui.chart(fig, key="th_trace", preview=_trace_preview(kind, cosmetic))

    m1, m2, m3, m4 = st.columns(4)
    with m1:
        lab_ui.metric(
            "Firing rate (simulated)",
            summary["rate"],
            "Hz",
            help="1 / mean inter-spike interval; 0 with fewer than two spikes.",
        )
    with m2:
        lab_ui.metric(
            "Mean ISI",
            summary["isi"],
            "ms",
            help="Mean interval between consecutive spikes.",
        )
    with m3:
        lab_ui.metric(
            "Rate from theory",
            summary["rate_theory"],
            "Hz",
            help="f = 1/(t_ref + T), the steady state for a constant current.",
        )
    with m4:
        st.metric(
            "I vs rheobase",
            "above" if summary["above"] else "not above",
            delta=f"rheobase {lab_ui.fmt(summary['rheobase'], 'nA', 2)}",
            delta_color="off",
            delta_arrow="off",
            help="Rheobase I_rh = (V_th − E_L)/R: the smallest constant current that fires.",
        )

    if summary["rheobase"] < 0:
        st.info(
            f"With these sidebar values the neuron fires even without input (E_L above V_th): "
            f"every current on this slider is above its rheobase, "
            f"{lab_ui.fmt(summary['rheobase'], 'nA', 2)}.",
            icon=":material/info:",
        )


spike_explorer(params)

text, eq = lab_ui.prose("The idea and the equations").columns([3, 2], gap="large")
with text:
    st.markdown(
        r"""
The RC membrane on its own never fires: it just settles at $E_L + R\,I$. Lapicque's step
was to add a **threshold**: when $V$ reaches $V_{th}$ the model records a spike, **resets**
$V$ to $V_{reset}$ and holds it there for the refractory period $t_{ref}$. The spike itself
is not modelled, only its time. With a constant current the neuron then charges, fires,
resets and charges again: a regular spike train. It fires at all only if the fixed point
$E_L + R\,I$ lies above threshold, i.e. if the current exceeds the **rheobase**
$I_{rh} = (V_{th} - E_L)/R$.
"""
    )
with eq:
    st.latex(r"\tau\,\frac{dV}{dt} = -(V - E_L) + R\,I \quad (V < V_{th})")
    st.latex(
        r"V \ge V_{th} \;\Rightarrow\; \text{spike, } V \leftarrow V_{reset} "
        r"\text{ for } t_{ref}"
    )
    st.latex(
        r"T = \tau \ln\frac{E_L + RI - V_{reset}}{E_L + RI - V_{th}}, \quad "
        r"f = \frac{1}{t_{ref} + T}"
    )

notice, question = lab_ui.prose("What to notice, and a question").columns(2, gap="medium")
with notice:
    lab_ui.try_this(
        """
- Set the current just **above the rheobase** (shown at the bottom of the chart): the neuron
  fires slowly, because V crawls towards a fixed point barely above threshold. Just below,
  it never fires, however long you wait.
- Raise the current: spikes come faster, but never faster than one per t_ref (try a large
  t_ref in the sidebar).
- Move **V_reset** closer to the threshold: shorter trips, higher rate. Set V_reset above
  V_th and the app warns you: that neuron would be impossible.
- Tick *Draw spikes*: the tall spikes are decoration. The model only knows spike *times*.
"""
    )
with question:
    lab_ui.predict(
        "th_q1",
        "For the default neuron (E_L = −65 mV, V_th = −50 mV, R = 10 MΩ), what is the "
        "**smallest constant current** that makes it fire again and again?",
        ["0.15 nA", "1.5 nA", "15 nA", "any positive current, if you wait long enough"],
        1,
        r"""
The neuron fires only if its fixed point $E_L + R I$ is above threshold:
$I > I_{rh} = (V_{th} - E_L)/R = 15\,\text{mV} / 10\,\text{M}\Omega = 1.5\,\text{nA}$.
Below the rheobase, V settles under threshold and stays there, no matter how long you wait.
Just above it, the time to threshold $T$ grows without bound, so the rate starts from 0.
""",
    )
