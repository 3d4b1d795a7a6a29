"""Chapter 7: what the LIF leaves out. Each section puts an LIF beside a richer model."""

import streamlit as st

import lab_cache_beyond as cache
import lab_ui
from lif_core.analysis.patterns import PATTERNS
from lif_core.models.adex import PRESETS
from lif_core.units import from_si

lab_ui.page_setup("7 · What the LIF leaves out")
lab_ui.uses_neuron(False)  # each section has its own LIF twin; exports list no sidebar neuron

st.markdown(
    "The LIF does not spike: it declares a spike at a threshold. Here it meets richer models "
    "(solid lines) **under the same input**; the LIF is dotted."
)


def _hh_preview(recipe: str, view: str, sliders: dict[str, str]) -> lab_ui.Preview:
    """A chart's live preview: its section's sliders drive it (``preview/ch7_beyond.js``),
    from the HH membrane Python sends; the sidebar neuron plays no part on this page."""
    return lab_ui.Preview(recipe, view, sliders, cache.hh_preview(), neuron=False)


PREVIEW_SPIKE = {"amplitude": "bx_amp", "width": "bx_width"}
PREVIEW_RING = {"small": "bx_ring", "hyper": "bx_hyp", "hyper_width": "bx_hypw"}
PREVIEW_DEND = lab_ui.Preview(
    "bx_dend", "figure", {"g_c": "bx_gc", "width": "bx_dw"}, cache.cell_preview(), neuron=False
)


def _mV(x: float, digits: int = 1) -> str:
    return f"{from_si(x, 'mV'):+.{digits}f} mV".replace("-", "−")


# --------------------------------------------------------------------------- spike shape


@st.fragment
def spike_section() -> None:
    """Hodgkin–Huxley action potential against the LIF's threshold and reset."""
    st.subheader("1 · Spike shape: a real action potential", anchor="spike-shape")
    controls, chart = st.columns([1, 3], gap="medium")
    with controls:
        amplitude = lab_ui.slider(
            "Pulse amplitude",
            "bx_amp",
            0.0,
            30.0,
            12.0,
            0.5,
            "nA",
            help="A current pulse from 2 ms, into both models (1 nA = 1 µA/cm² here).",
        )
        width = lab_ui.slider("Pulse duration", "bx_width", 0.2, 5.0, 1.0, 0.1, "ms")
        view = cache.spike_view(amplitude, width)
        rec = view.record
        fired = rec.hh.spike_times[0].size > 0
    with chart:
        lab_ui.chart(
            view.figure,
            key="bx_spike",
            preview=_hh_preview("bx_spike", "figure", PREVIEW_SPIKE),
            alt="Membrane potential of the Hodgkin–Huxley model (solid) and of its LIF twin "
            "(dotted) after the same current pulse",
        )
        st.caption(
            "In every section the LIF is the richer model's *twin*: same rest, capacitance, "
            "input resistance and rheobase. The sidebar neuron is not used on this page."
        )
    m = st.columns(3)
    m[0].metric("HH peak", _mV(rec.peak) if fired else "no spike", help="Highest V of the HH.")
    m[1].metric(
        "HH width at half height",
        lab_ui.fmt(rec.half_width, "ms", 2) if fired else "–",
        help="Time spent above the level halfway between rest and peak.",
    )
    m[2].metric(
        "HH afterhyperpolarisation",
        _mV(rec.ahp) if fired else "–",
        help="Lowest V after the peak, relative to rest: potassium channels still open.",
    )
    text, eq = lab_ui.prose("The Hodgkin–Huxley model").columns([1, 1], gap="large")
    with text:
        st.markdown(
            r"""
In the Hodgkin–Huxley (HH) model the spike is made by ion channels. Depolarisation opens
sodium channels (gate $m$, fast): sodium rushes in and $V$ shoots **above 0 mV**. Within a
millisecond the sodium channels inactivate (gate $h$) and potassium channels open (gate
$n$, slower): $V$ falls back, **below rest**, towards $E_K = -77$ mV, and recovers over
several milliseconds. The LIF keeps only the moment the spike starts: its dotted trace
reaches $V_{th}$, a spike is *declared* (✕) and $V$ is reset. Squid axon at 6.3 °C,
0.1 mm² of membrane (C = 1 nF); its twin has $R$ = 0.86 MΩ, τ = 0.86 ms.
"""
        )
    with eq:
        st.latex(
            r"\begin{aligned}C\frac{dV}{dt} &= -I_{Na} - I_K - g_L(V-E_L) + I\\"
            r"I_{Na} &= \bar g_{Na}\,m^3h\,(V-E_{Na})\\"
            r"I_K &= \bar g_K\,n^4\,(V-E_K)\end{aligned}"
        )
        st.latex(r"\frac{dx}{dt} = \alpha_x(V)\,(1-x) - \beta_x(V)\,x")


spike_section()


# --------------------------------------------------------------------------- adaptation


def _slug(name: str) -> str:
    return name.replace(" ", "_")


@st.fragment
def adaptation_section() -> None:
    """AdEx firing patterns and adaptation against an LIF with the same rheobase."""
    st.subheader("2 · Adaptation and bursting", anchor="adaptation")
    names = list(PRESETS)
    preset = lab_ui.choice(
        "Firing pattern (AdEx preset, Neuronal Dynamics Table 6.1)",
        "bx_preset",
        names,
        index=names.index("adapting"),
        help="Each preset sets τ_m, a, τ_w, b, the reset and the step current. "
        + " ".join(f"**{p.name}**: {p.source}." for p in PRESETS.values()),
    )
    p = PRESETS[preset]
    slug = _slug(preset)
    controls, chart = st.columns([1, 3], gap="medium")
    with controls:
        a = lab_ui.slider(
            "Subthreshold adaptation a",
            f"bx_a_{slug}",
            -1.5,
            2.0,
            round(from_si(p.params.a, "nS"), 1),
            0.1,
            "nS",
            help="τ_w dw/dt = a (V − E_L) − w. Negative a feeds back positively.",
        )
        b = lab_ui.slider(
            "Spike-triggered jump b",
            f"bx_b_{slug}",
            0.0,
            100.0,
            round(from_si(p.params.b, "pA")),
            1.0,
            "pA",
            help="w jumps by b at every spike: the spike-triggered adaptation current.",
        )
        tau_w = lab_ui.slider(
            "Adaptation time constant τ_w",
            f"bx_tw_{slug}",
            10.0,
            300.0,
            round(from_si(p.params.tau_w, "ms")),
            5.0,
            "ms",
        )
        I_step = lab_ui.slider(
            "Step current I",
            f"bx_I_{slug}",
            0.0,
            150.0,
            round(from_si(p.I_step, "pA")),
            1.0,
            "pA",
            help="Switched on at t = 0 for 1 s, into the AdEx and into the LIF twin.",
        )
    view = cache.adaptation_view(preset, a, b, tau_w, I_step)
    rec = view.record
    sliders = {"a": f"bx_a_{slug}", "b": f"bx_b_{slug}", "tau_w": f"bx_tw_{slug}"}
    sliders["I_step"] = f"bx_I_{slug}"
    preview = {"sliders": sliders, "fixed": cache.adex_preview(preset), "neuron": False}
    with chart:
        lab_ui.chart(
            view.traces,
            key="bx_adapt",
            preview=lab_ui.Preview("bx_adapt", "traces", **preview),
            alt="AdEx membrane potential, its LIF twin and the adaptation current w over one "
            "second of a current step",
        )
    m = st.columns(4)
    m[0].metric(
        "AdEx pattern",
        rec.adex_pattern.pattern,
        help="Named from the spike times by the rule of lif_core.analysis.patterns: "
        + " → ".join(PATTERNS),
    )
    m[1].metric("LIF twin pattern", rec.lif_pattern.pattern)
    m[2].metric(
        "Spikes in 1 s",
        f"{rec.adex_pattern.n_spikes} vs {rec.lif_pattern.n_spikes}",
        help="AdEx vs LIF twin.",
    )
    m[3].metric(
        "Rheobase (both)",
        lab_ui.fmt(rec.params.rheobase, "pA", 1),
        help="The AdEx's rheobase with w at steady state; the LIF twin's threshold is set "
        "to give the same.",
    )
    left, right = st.columns([3, 2], gap="large")
    with left:
        lab_ui.chart(
            view.intervals,
            key="bx_isi",
            preview=lab_ui.Preview("bx_adapt", "intervals", **preview),
            alt="Interspike interval against interval number for the AdEx and the LIF twin",
        )
        st.caption(
            "Log scale: intervals inside a burst (ms) and pauses between bursts (tens of ms) "
            "both stay readable. The LIF twin's intervals are all equal."
        )
    with right:
        st.markdown(
            r"""
The adaptive exponential integrate-and-fire model (AdEx) adds two things to the LIF: an
exponential term that starts the spike (instead of a hard threshold) and an **adaptation
current** $w$. Every spike kicks $w$ up by $b$; between spikes $w$ relaxes with $\tau_w$
towards $a(V-E_L)$. A growing $w$ lengthens the intervals; a reset close to threshold
gives bursts. The LIF twin has the same rheobase but no $w$: it can only fire tonically.
"""
        )
        st.latex(
            r"\begin{aligned}C\frac{dV}{dt} = &-g_L(V-E_L) - w + I\\"
            r"&+ g_L\Delta_T\,e^{(V-V_T)/\Delta_T}\end{aligned}"
        )
        st.latex(r"\tau_w\frac{dw}{dt} = a\,(V-E_L) - w")
        st.latex(r"V_{peak}\!:\;\; V \to V_r,\;\; w \to w + b")


adaptation_section()


# --------------------------------------------------------------------------- ringing, rebound


@st.fragment
def ringing_section() -> None:
    """A small pulse and a hyperpolarising pulse into HH and its LIF twin."""
    st.subheader("3 · Ringing and rebound", anchor="ringing")
    c1, c2, c3 = st.columns(3)
    with c1:
        small = lab_ui.slider("Small pulse (1 ms)", "bx_ring", 0.5, 5.0, 2.0, 0.1, "nA")
    with c2:
        hyper = lab_ui.slider("Hyperpolarising pulse", "bx_hyp", -15.0, 0.0, -5.0, 0.5, "nA")
    with c3:
        hyper_width = lab_ui.slider("Its duration", "bx_hypw", 1.0, 30.0, 10.0, 1.0, "ms")
    view = cache.ringing_view(small, hyper, hyper_width)
    rec = view.record
    left, right = st.columns(2, gap="medium")
    with left:
        st.markdown(
            f"**A small pulse:** HH rings at {rec.ring_frequency:.0f} Hz "
            f"(undershoot {_mV(rec.ring_undershoot, 2)}), the LIF relaxes"
        )
        lab_ui.chart(
            view.ringing,
            key="bx_ring_chart",
            preview=_hh_preview("bx_ring", "ringing", PREVIEW_RING),
            alt="HH and LIF twin after a small depolarising pulse: HH oscillates around rest, "
            "the LIF returns monotonically",
        )
    with right:
        if rec.rebound_spikes.size:
            after = rec.rebound_spikes[0] - rec.onset - rec.hyper_width
            what = f"HH fires a rebound spike {lab_ui.fmt(after, 'ms')} after the release"
        else:
            what = "no rebound spike at this strength"
        st.markdown(f"**Release from inhibition:** {what}; the LIF cannot")
        lab_ui.chart(
            view.rebound,
            key="bx_rebound_chart",
            preview=_hh_preview("bx_ring", "rebound", PREVIEW_RING),
            alt="HH and LIF twin during and after a hyperpolarising pulse",
        )
    st.markdown(
        r"""
Below threshold the LIF is a plain RC circuit: after any input it slides back to rest
without overshooting. The HH membrane has slow gates that push back: a small
depolarisation turns on potassium and turns off sodium a little, so $V$ swings below rest
and back, a **damped oscillation** (its resting state is a *focus*, not a node). After a
hyperpolarisation the sodium inactivation gate $h$ has opened further and potassium has
closed: on release the membrane is more excitable than at rest and fires a **rebound
spike** (anode-break excitation) with no excitatory input at all.
"""
    )


ringing_section()


# --------------------------------------------------------------------------- f–I


@st.fragment
def fi_section() -> None:
    """Class 1 (LIF) and class 2 (HH) f–I curves, and the traces at one current."""
    st.subheader("4 · f–I: class 1 and class 2", anchor="fi")
    I_op = lab_ui.slider(
        "DC current (step from rest)",
        "bx_I",
        0.0,
        20.0,
        8.0,
        0.1,
        "nA",
        help="The star on the f–I chart; the traces on the right are at this current.",
    )
    view = cache.fi_view(I_op)
    classes, op = view.classes, view.operating
    left, right = st.columns(2, gap="medium")
    with left:
        lab_ui.chart(
            view.curves,
            key="bx_fi",
            preview=_hh_preview("bx_fi", "curves", {"I": "bx_I"}),
            alt="f–I curves: HH jumps to about 50 Hz at its onset, the LIF rises from zero",
        )
        st.caption(
            f"HH: {classes.protocol}; {classes.currents.size} currents, computed once. "
            "LIF: closed form, for an LIF with the same rheobase and the same rate at 20 nA "
            "(τ = 25.5 ms, t_ref = 2 ms)."
        )
    with right:
        lab_ui.chart(
            view.trace,
            key="bx_fi_trace",
            preview=_hh_preview("bx_fi", "trace", {"I": "bx_I"}),
            alt="Membrane potential of HH and of the LIF at the chosen DC current",
        )
    m = st.columns(5)
    m[0].metric("HH onset", lab_ui.fmt(classes.onset, "nA", 2), help=classes.protocol)
    m[1].metric("HH rate at onset", f"{classes.onset_rate:.0f} Hz")
    m[2].metric(
        "Bistable up to",
        lab_ui.fmt(classes.hopf, "nA", 2),
        help="Above this current the HH resting state is unstable (linear stability: a Hopf "
        "bifurcation). Between the onset and here, rest and firing both persist: the HH is "
        "bistable.",
    )
    m[3].metric(
        "HH rate here",
        f"{op.hh_rate:.0f} Hz",
        help=f"At the DC current above: 1 / mean interval of the HH spikes after "
        f"{lab_ui.fmt(op.skip, 'ms', 0)}.",
    )
    m[4].metric("LIF rate here", f"{op.lif_rate:.0f} Hz", help="The LIF's closed form.")
    st.markdown(
        r"""
An LIF reset to rest fires at $f = 1/(t_{ref} + \tau\ln\frac{I}{I - I_{rh}})$: just above its
rheobase the logarithm is huge and the rate as low as you like. It is **class 1**
excitable. The HH model cannot fire slowly: below 6.26 nA it fires a spike (or a few) and
settles, above it fires repetitively at once at about 50 Hz. It is **class 2**. From 6.26 to
9.78 nA the HH is also **bistable**: a step from rest starts firing, but a current raised
slowly enough leaves it at rest (try it: a slow ramp is what *accommodation* means).
"""
    )


fi_section()


# --------------------------------------------------------------------------- compartments


@st.fragment
def dendrite_section() -> None:
    """A passive soma + dendrite: the same input at the two places."""
    st.subheader("5 · Compartments: where the input lands", anchor="dendrites")
    controls, chart = st.columns([1, 3], gap="medium")
    with controls:
        g_c = lab_ui.slider(
            "Coupling conductance g_c",
            "bx_gc",
            1.0,
            200.0,
            25.0,
            1.0,
            "nS",
            help="Conductance between soma and dendrite; each half leaks 25 nS.",
        )
        width = lab_ui.slider("Pulse duration", "bx_dw", 0.5, 50.0, 2.0, 0.5, "ms")
        view = cache.dendrite_view(g_c, width)
        rec = view.record
    with chart:
        lab_ui.chart(
            view.figure,
            key="bx_dend",
            preview=PREVIEW_DEND,
            alt="Somatic depolarisation for a pulse into the soma and into the dendrite, the "
            "dendrite's own response and the one-compartment LIF",
        )
    m = st.columns(2)
    m[0].metric(
        "Attenuation at the soma",
        f"{rec.attenuation:.1f}×",
        help="Somatic peak for input at the soma ÷ for the same input at the dendrite.",
    )
    m[1].metric(
        "Delay of the somatic peak",
        lab_ui.fmt(rec.delay, "ms", 1),
        help="How much later the soma peaks when the input lands on the dendrite.",
    )
    text, eq = lab_ui.prose("Compartments").columns([1, 1], gap="large")
    with text:
        st.markdown(
            r"""
The LIF is a **point neuron**: every input lands on the same single compartment. A real
dendrite is a second (third, hundredth…) compartment, connected to the soma through a
conductance $g_c$. A 1 nA pulse into the dendrite charges the dendrite first; the soma
only sees what flows through $g_c$, and it arrives **smaller and later**, spread out in
time. Strong coupling brings both back to the one-compartment LIF; long inputs are
attenuated less than brief ones.
"""
        )
    with eq:
        st.latex(
            r"\begin{aligned}C_s\frac{dV_s}{dt} = &-g_s(V_s-E_L)\\&+ g_c(V_d-V_s) + I_s"
            r"\end{aligned}"
        )
        st.latex(
            r"\begin{aligned}C_d\frac{dV_d}{dt} = &-g_d(V_d-E_L)\\&+ g_c(V_s-V_d) + I_d"
            r"\end{aligned}"
        )


dendrite_section()


# --------------------------------------------------------------------------- feature table

st.subheader("Izhikevich's twenty features", anchor="features")
st.markdown(
    "Izhikevich (2004, *IEEE Trans. Neural Netw.* 15:1063) lists twenty things real "
    "neurons do. ✓: shown on this page (linked), or checked by a test; ✓ (lit.): "
    "published, not checked here; ✗: the model cannot; ?: not established here."
)
st.markdown(cache.features_markdown(), unsafe_allow_html=True)

notice, question = lab_ui.prose("What to notice, and a question").columns(2, gap="medium")
with notice:
    lab_ui.try_this(
        """
- **Spike shape:** lower the pulse to 7 nA: the HH spike comes 3 ms later (spike
  latency) and the LIF no longer fires at all. The HH threshold is not a fixed voltage.
- **Adaptation:** in *adapting*, set b = 0: the intervals stop lengthening (tonic). In
  *regular bursting*, lower the step to 30 pA: the bursts break up (irregular).
- **Rebound:** shorten the hyperpolarising pulse to 3 ms: no rebound. The gates need time.
- **f–I:** put the current at 5.5 nA, then 6.5 nA: the HH goes from a single spike to
  55 Hz. The LIF goes from nothing to 12 Hz.
- **Compartments:** raise g_c to 200 nS: the attenuation drops to 1.8× and the delay to
  under 3 ms; the cell comes closer to the one-compartment LIF.
"""
    )
with question:
    lab_ui.predict(
        "bx_q1",
        "A neuron at rest receives a hyperpolarising current of −5 nA for 10 ms, then "
        "nothing. What does an LIF neuron do when the current stops, and what does the "
        "Hodgkin–Huxley model do?",
        [
            "Both return to rest without firing",
            "Both fire a spike",
            "The LIF returns to rest; the HH fires a spike",
            "The LIF fires a spike; the HH returns to rest",
        ],
        2,
        r"""
The LIF's only state is $V$: released from $-4.3$ mV below rest it charges back towards
$E_L$ and stops there, far from $V_{th}$. The HH membrane remembers the hyperpolarisation in
its gates: sodium inactivation $h$ has recovered (more sodium channels available) and
potassium activation $n$ has dropped. At release the same resting potential is now above
the (lowered) threshold, and the HH fires a **rebound spike**: chart 3, right.
""",
    )
