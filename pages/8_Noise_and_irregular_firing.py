"""Chapter 8: noise makes the LIF fire irregularly, and below its rheobase."""

import math

import streamlit as st

import lab_cache_noise
import lab_ui
from lif_core import LIFParams
from lif_core.analysis import noise as noise_analysis

params = lab_ui.page_setup("8 · Noise and irregular firing")

#: The noise seed lives in the link like a slider value (``?nz_seed=7``).
SEED_KEY, SEED_DEFAULT, SEED_MAX = "nz_seed", 1, 9999

#: Preset settings: button label -> (mean current nA, sigma_V mV).
PRESETS = {
    "Fluctuation-driven: below rheobase": (1.2, 3.0),
    "Mean-driven: above rheobase": (2.5, 1.0),
}


def _new_sample() -> None:
    """Another noise sample: the next seed (the link changes with it)."""
    seed = int(st.session_state.get(SEED_KEY, SEED_DEFAULT))
    st.session_state[SEED_KEY] = (seed + 1) % (SEED_MAX + 1)


def _apply_preset(I_mean: float, sigma_V: float) -> None:
    st.session_state["nz_I"] = I_mean
    st.session_state["nz_sV"] = sigma_V


def seed_input() -> int:
    """The noise seed: a whole number in the link, so the same link shows the same trials."""
    return lab_ui.integer(
        "Seed",
        SEED_KEY,
        0,
        SEED_MAX,
        SEED_DEFAULT,
        help="The random numbers of the noise. The same seed (it is in the link) gives the "
        "same trials; **New sample** draws new ones.",
    )


# A fragment: a change of its widgets reruns only this part (the sidebar reruns the page).
@st.fragment
def noise_explorer(params: LIFParams) -> None:
    """Noise sliders and seed, the trials, their statistics and the rate / CV curves."""
    c1, c2, c3, c4, c5 = st.columns([1, 1, 1, 0.45, 0.6], vertical_alignment="bottom")
    with c1:
        I_mean = lab_ui.slider(
            "Mean current I",
            "nz_I",
            0.0,
            4.0,
            1.2,
            0.05,
            "nA",
            help="The mean of the input current. The rheobase (sidebar) is where the neuron "
            "starts firing without noise.",
        )
    with c2:
        sigma_V = lab_ui.slider(
            "Noise σ_V",
            "nz_sV",
            0.0,
            8.0,
            3.0,
            0.1,
            "mV",
            help="Standard deviation of the free membrane potential (without threshold) that "
            "the noise produces: the size of the wiggles in V(t).",
        )
    with c3:
        tau_s = lab_ui.slider(
            "Correlation time τ_s",
            "nz_tau",
            0.2,
            20.0,
            0.5,
            0.1,
            "ms",
            help="How long the noise current keeps its value (Ornstein–Uhlenbeck process). "
            "Short: nearly white noise, where the theory holds.",
        )
    with c4:
        seed = seed_input()
    with c5:
        st.button(
            "New sample",
            key="nz_new",
            on_click=_new_sample,
            width="stretch",
            help="Draw new noise: the next seed (the link changes with it).",
        )

    try:
        view = lab_cache_noise.trials_view(params, I_mean, sigma_V, tau_s, seed)
        rate_fig, cv_fig, curves = lab_cache_noise.curves_view(params, I_mean, sigma_V, tau_s, seed)
    except ValueError as err:  # inputs the simulator refuses (extreme sidebar values)
        st.warning(f"This combination cannot be simulated: {err}", icon="⚠️")
        return  # the rest of the page (explanations, question) still shows
    trials, stats = view.trials, view.trials.stats

    # Live previews (preview/ch8_noise.js): the noise sliders and the sidebar neuron drive
    # every chart; the trials chart carries the noise sample, the others name it.
    noise = lab_cache_noise.noise_preview(tau_s, seed)
    neuron = {s.key: float(getattr(params, s.key)) for s in lab_ui.NEURON_SLIDERS}
    curves_at = {"tau_s": tau_s, **neuron}  # what the simulated curve points were run for
    sliders = {"I_mean": "nz_I", "sigma_V": "nz_sV", "tau_s": "nz_tau"}

    def preview(view: str, data: dict) -> lab_ui.Preview:
        """The live preview of one of the noise charts."""
        return lab_ui.Preview("noise", view, sliders, {"curves_at": curves_at}, data)

    named = {"noise_id": noise["noise_id"], "n_steps": noise["n_steps"]}

    left, right = st.columns([3, 2], gap="medium")
    with left:
        lab_ui.chart(
            view.trials_figure,
            key="nz_trials",
            preview=preview("trials", noise),
            alt="Membrane potential of one noisy trial with threshold, reset and mean input, "
            f"over a raster of {trials.n_trials} trials",
        )
    with right:
        lab_ui.chart(
            view.isi_figure,
            key="nz_isi",
            preview=preview("isi", named),
            alt="Histogram of the inter-spike intervals of all trials, mean interval marked",
        )

    se = f"± {stats.rate_se:.1f} Hz (1 standard error, spread between trials). "
    m1, m2, m3, m4, m5, m6 = st.columns(6)
    m1.metric(
        "Rate, simulated",
        f"{stats.rate:.1f} Hz",
        help=(se if math.isfinite(stats.rate_se) else "")
        + f"{trials.n_trials} trials × {lab_ui.fmt(trials.duration, 's', 0)}: spikes after "
        "each trial's first spike per time after it.",
    )
    m2.metric(
        "Rate, theory",
        f"{trials.rate_theory:.1f} Hz",
        help="Siegert formula with the Fourcaud–Brunel correction for the correlation time. "
        f"White noise with the same σ_V would give {trials.rate_white:.1f} Hz.",
    )
    few = stats.n_isi < noise_analysis.MIN_INTERVALS_PER_TRIAL * stats.n_trains
    m3.metric(
        "CV, simulated",
        "–" if stats.n_isi < 3 else f"{stats.cv:.2f}",
        help="Coefficient of variation of the intervals, std / mean: 0 for a clock, 1 for a "
        f"Poisson process. ± {stats.cv_se:.2f} (jackknife over trials).",
    )
    m4.metric(
        "CV, theory",
        f"{trials.cv_theory:.2f}" if math.isfinite(trials.cv_theory) else "–",
        help="Brunel's white-noise formula, threshold and reset shifted as for the rate (exact "
        "for white noise, an approximation for τ_s > 0).",
    )
    m5.metric(
        f"Fano, {lab_ui.fmt(noise_analysis.FANO_WINDOW, 'ms', 0)}",
        f"{stats.fano:.2f}" if math.isfinite(stats.fano) else "–",
        help="Variance / mean of the spike counts in windows of "
        f"{lab_ui.fmt(noise_analysis.FANO_WINDOW, 'ms', 0)} after the first one. For a "
        "renewal process it tends to CV² for long windows.",
    )
    gap_mV = trials.setting.mu - params.V_th
    m6.metric(
        "μ − V_th",
        lab_ui.fmt(gap_mV, "mV"),
        help="Mean input E_L + R·I minus the threshold: above 0 the neuron is mean-driven "
        "(fires without noise), below 0 fluctuation-driven.",
    )
    distance = view.regime.distance
    where = (
        f"the threshold is {distance:.1f} σ_V above the mean input"
        if math.isfinite(distance) and distance > 0
        else "the mean input is above the threshold"
        if view.regime.mean_driven
        else "without noise it never fires"
    )
    st.caption(
        f"**{view.regime.label.capitalize()}**: {where}."
        + (
            " Few intervals per trial: the simulated CV comes out too low (long intervals do "
            "not fit in a trial)."
            if few and stats.n_isi >= 3
            else ""
        )
    )

    ratio = trials.setting.tau_ratio
    st.markdown("##### Rate and irregularity against the mean current")
    left, right = st.columns(2, gap="medium")
    with left:
        lab_ui.chart(
            rate_fig,
            key="nz_rate",
            preview=preview("rate", named),
            alt="Firing rate against mean current for several noise amplitudes: simulated "
            "points over the theory (dashed)",
        )
    with right:
        lab_ui.chart(
            cv_fig,
            key="nz_cv",
            preview=preview("cv", named),
            alt="CV of the inter-spike intervals against mean current: simulated points over "
            "the theory (dashed), CV = 1 marked",
        )
    st.caption(
        f"Points: {curves.n_trials} trials × {lab_ui.fmt(curves.duration, 's', 0)} per point "
        "(independent noise), ± 1 standard error; all in one simulation pass. Dashed: theory "
        f"at τ_s = {lab_ui.fmt(tau_s, 'ms')}. Star: the setting above ({trials.n_trials} "
        "trials)."
    )
    if ratio > noise_analysis.VALID_TAU_RATIO:
        st.warning(
            f"τ_s/τ = {ratio:.2f}: the correlation time is not short compared with the membrane "
            "time constant, and the theory (an expansion in √(τ_s/τ)) is not expected to hold. "
            "Compare the points with the dashed curves.",
            icon=":material/warning:",
        )
    else:
        st.caption(
            f"τ_s/τ = {ratio:.2f}: short correlation time, where the Fourcaud–Brunel "
            "correction holds (within 2 % here for τ_s/τ ≤ 0.1)."
        )


noise_explorer(params)

st.markdown("### Two regimes")
st.markdown(
    "Cortical neurons are bombarded by thousands of synaptic inputs, so their input current "
    "**fluctuates**. With noise the LIF neuron fires irregularly, even when the mean current "
    "is below the rheobase, and a theory predicts its rate and its irregularity."
)
preset_cols = st.columns(len(PRESETS))
for k, (col, (label, values)) in enumerate(zip(preset_cols, PRESETS.items(), strict=True)):
    col.button(
        label,
        key=f"nz_preset_{k}",
        on_click=_apply_preset,
        args=values,
        help="Sets the mean current and the noise amplitude.",
        width="stretch",
    )

text, eq = lab_ui.prose("The idea and the equations").columns([3, 2], gap="large")
with text:
    st.markdown(
        r"""
The noise current $\xi(t)$ is an Ornstein–Uhlenbeck process: Gaussian, with standard
deviation $\sigma_I$ and correlation time $\tau_s$, like the summed input of many synapses.
The membrane filters it; without a threshold $V$ would fluctuate around the **mean input**
$\mu = E_L + RI$ with standard deviation $\sigma_V$ (the slider).

- **Mean-driven** ($\mu > V_{th}$): the neuron fires even without noise. Noise only
  jitters the intervals: firing is regular, the CV is small.
- **Fluctuation-driven** ($\mu < V_{th}$): without noise the neuron would be silent.
  Each spike is a rare upward excursion, so the intervals are nearly random: CV near 1,
  like a Poisson process (a little below, because of the reset and $t_{ref}$). Much of
  cortex fires in this regime.

Noise therefore **smooths the f–I curve**: it fires below the rheobase and the sharp onset
disappears. For white noise the mean rate is the **Siegert formula** (first-passage time
of $V$ from reset to threshold; Amit & Brunel 1997, Brunel 2000), and the CV has a
formula of the same kind. Noise with a correlation time $\tau_s$ acts like white noise
with a threshold and a reset raised by $\frac{\alpha}{2}\sqrt{\tau_s/\tau}\,\sigma$
(Fourcaud & Brunel 2002): an expansion for $\tau_s \ll \tau$. Measured here: within
2 % of the simulation for $\tau_s \le 1$ ms ($\tau = 10$ ms), 6–18 % off at $\tau_s = 5$ ms.
"""
    )
with eq:
    st.latex(r"\tau\frac{dV}{dt} = -(V - E_L) + RI + R\,\xi(t)")
    st.latex(r"\sigma_V^2 = (R\sigma_I)^2\,\frac{\tau_s}{\tau + \tau_s}")
    st.latex(r"\frac{1}{\nu} = t_{ref} + \tau\sqrt{\pi}\int_{y_r}^{y_{th}} \Phi(u)\,du")
    st.latex(r"\Phi(u) = e^{u^2}\left(1 + \mathrm{erf}\,u\right)")
    st.latex(r"y = \frac{V - \mu}{\sigma} + \frac{\alpha}{2}\sqrt{\frac{\tau_s}{\tau}}")
    st.latex(r"\sigma = R\sigma_I\sqrt{2\tau_s/\tau}")
    st.latex(r"\alpha = \sqrt{2}\,|\zeta(\tfrac12)| \approx 2.07")
    st.latex(r"CV^2 = 2\pi(\nu\tau)^2\int_{y_r}^{y_{th}} e^{x^2} F(x)\,dx")
    st.latex(r"F(x) = \int_{-\infty}^{x} e^{y^2}(1 + \mathrm{erf}\,y)^2\,dy")

notice, question = lab_ui.prose("What to notice, and a question").columns(2, gap="medium")
with notice:
    lab_ui.try_this(
        """
- Start **below the rheobase** (the default, 1.2 nA with 1.5 nA rheobase): the neuron
  fires irregularly, the ISI histogram is broad and skewed, the CV is 0.6–0.7.
  Set **σ_V = 0**: it falls silent. Noise makes it fire.
- Press **Mean-driven**: the raster turns into nearly straight columns that slowly drift
  apart, the histogram is a narrow peak, the CV is below 0.1.
- On the rate chart, compare the curves: the more noise, the earlier and the smoother the
  rise. Far above the rheobase all curves meet: there noise hardly matters.
- Raise **τ_s** to 5 ms and beyond: the points leave the dashed theory, which assumes
  τ_s ≪ τ. Slow noise is not white noise.
- **New sample** draws new noise: the numbers move within their error bars. Copy the
  link: it reproduces exactly these trials.
"""
    )
with question:
    lab_ui.predict(
        "nz_q1",
        "The mean current is below the rheobase, so without noise the neuron never fires. "
        "With σ_V = 3 mV it fires at about 18 Hz. What coefficient of variation (CV) of the "
        "intervals do you expect?",
        [
            "Close to 0: the intervals are all the same",
            "Between 0.5 and 1: nearly as irregular as a Poisson process",
            "Exactly 0.5",
            "Well above 2",
        ],
        1,
        r"""
Below the rheobase the neuron waits, after each reset, for an upward fluctuation large
enough to reach the threshold. Such excursions come at random times, almost
independently of how long the neuron has already waited: the intervals are nearly
exponential, with CV near 1. The reset and the refractory period forbid very short
intervals, so the CV stays a little below 1 (about 0.67 at the default settings;
the theory gives 0.68). Above the rheobase the mean drive dominates and the CV drops
towards 0.
""",
    )

st.markdown(
    """
##### References
- Amit DJ, Brunel N (1997). Model of global spontaneous activity and local structured activity
  during delay periods in the cerebral cortex. *Cereb Cortex* 7:237–252.
- Brunel N (2000). Dynamics of sparsely connected networks of excitatory and inhibitory
  spiking neurons. *J Comput Neurosci* 8:183–208 (rate and CV, appendix).
- Fourcaud N, Brunel N (2002). Dynamics of the firing probability of noisy integrate-and-fire
  neurons. *Neural Comput* 14:2057–2110.
"""
)
