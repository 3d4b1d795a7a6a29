"""The cached computations behind chapter 8 (noise) and the numerics page.

As in :mod:`lab_cache`: ``st.cache_resource`` for figures (one shared, read-only object
per setting, handed to every session without a copy), ``st.cache_data`` for arrays and
records that several figures share, every cache bounded by ``max_entries``.

What is cached separately, so that a slider change recomputes only what it changes:

- chapter 8: the unit noise of the trials depends on the correlation time and the seed
  only (a new mean current or amplitude rescales it); the rate and CV curves on the
  neuron, the correlation time and the seed (not on the mean current or the amplitude,
  which only move the operating point drawn on them);
- numerics page: the error-against-dt sweep depends on the neuron and the current, not
  on the slider's dt, which only moves a marker.
"""

from __future__ import annotations

import base64
import math
from typing import Any, NamedTuple

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from lif_core import LIFParams
from lif_core.analysis import noise as noise_analysis
from lif_core.analysis import numerics
from lif_figures import noise as noise_figures
from lif_figures import numerics as numerics_figures
from lif_figures.style import FULL_WIDTH

#: Parameter sets kept per cached function (each figure entry: ~0.1-0.3 MB).
ENTRIES = 32
#: Unit-noise samples kept (each 3.2 MB: TRIALS x TRIAL_DURATION / dt values).
NOISE_ENTRIES = 8

# --------------------------------------------------------------------------- chapter 8

#: Trials of the V(t) / raster / ISI view, and their length (s).
TRIALS = 40
TRIAL_DURATION = 1.0
#: Rate and CV curves: simulated currents, trials per point and their length (s).
CURVE_CURRENTS = 11
CURVE_TRIALS = 6
CURVE_DURATION = 1.0


@st.cache_data(max_entries=NOISE_ENTRIES, show_spinner=False)
def _unit_noise(tau_s: float, seed: int) -> np.ndarray:
    """The trials' unit OU noise (mean 0, sd 1) for a correlation time (s) and seed."""
    return noise_analysis.unit_noise(tau_s, TRIALS, TRIAL_DURATION, seed)


@st.cache_resource(max_entries=NOISE_ENTRIES, show_spinner=False)
def noise_preview(tau_s: float, seed: int) -> dict[str, Any]:
    """The trials' noise for the live preview (``preview/ch8_noise.js``), as data.

    The standard normal draws ξ of the unit OU noise, recovered from it by the recursion
    of :func:`lif_core.stimulus.ou_noise` (``u[0] = ξ[0]``, ``u[k] = ρ u[k-1] +
    sqrt(1 - ρ²) ξ[k]``, ``ρ = exp(-dt / tau_s)``): the browser rebuilds the noise at
    any correlation time from them. float32, little-endian, base64, one trial after the
    other: 40 × 10 000 values, 2.1 MB of text (float32 moves a spike time by ~1e-10 s,
    far below the 1 µs the charts show).
    """
    u = _unit_noise(tau_s, seed)
    dt = noise_analysis.DT
    rho = math.exp(-dt / tau_s)
    xi = np.empty_like(u)
    xi[:, 0] = u[:, 0]
    xi[:, 1:] = (u[:, 1:] - rho * u[:, :-1]) / math.sqrt(-math.expm1(-2.0 * dt / tau_s))
    return {
        "noise_id": f"{seed}:{tau_s!r}",
        "n_steps": u.shape[1],
        "xi": base64.b64encode(xi.astype("<f4").tobytes()).decode("ascii"),
    }


class TrialsView(NamedTuple):
    """Chapter 8 at one setting: the two figures and the record of the trials."""

    trials_figure: go.Figure
    isi_figure: go.Figure
    trials: noise_analysis.Trials
    regime: noise_analysis.Regime


@st.cache_resource(max_entries=ENTRIES, show_spinner=False)
def trials_view(
    params: LIFParams, I_mean: float, sigma_V: float, tau_s: float, seed: int
) -> TrialsView:
    """V(t) of trial 1 over the raster, and the ISI histogram, for one setting (SI inputs)."""
    trials = noise_analysis.noisy_trials(
        params,
        I_mean,
        sigma_V,
        tau_s,
        n_trials=TRIALS,
        duration=TRIAL_DURATION,
        seed=seed,
        unit=_unit_noise(tau_s, seed),
    )
    return TrialsView(
        noise_figures.trials_figure(trials),
        noise_figures.isi_histogram_figure(noise_analysis.isi_histogram(trials)),
        trials,
        noise_analysis.regime(params, trials.setting),
    )


@st.cache_data(max_entries=ENTRIES, show_spinner=False)
def _curves(params: LIFParams, tau_s: float, seed: int) -> noise_analysis.RateCurves:
    """Rate and CV against the mean current for the fixed amplitudes (the slow part)."""
    return noise_analysis.rate_curves(
        params,
        tau_s,
        seed=seed + 1,  # other draws than the trials'
        n_currents=CURVE_CURRENTS,
        n_trials=CURVE_TRIALS,
        duration=CURVE_DURATION,
    )


@st.cache_resource(max_entries=ENTRIES, show_spinner=False)
def curves_view(
    params: LIFParams, I_mean: float, sigma_V: float, tau_s: float, seed: int
) -> tuple[go.Figure, go.Figure, noise_analysis.RateCurves]:
    """The rate and CV curves with this setting's simulated point marked."""
    curves = _curves(params, tau_s, seed)
    st_ = trials_view(params, I_mean, sigma_V, tau_s, seed).trials.stats
    mark = noise_figures.OperatingMark(I_mean, st_.rate, st_.rate_se, st_.cv, st_.cv_se, sigma_V)
    return (
        noise_figures.rate_curves_figure(curves, mark),
        noise_figures.cv_curves_figure(curves, mark),
        curves,
    )


# --------------------------------------------------------------------------- numerics page

#: Length of the V(t) traces of the numerics page (s).
TRACE_DURATION = 0.08


class NumericsView(NamedTuple):
    """The numerics page at one setting: both traces and their record."""

    exact_figure: go.Figure
    euler_figure: go.Figure
    comparison: numerics.TraceComparison


@st.cache_resource(max_entries=ENTRIES, show_spinner=False)
def numerics_view(
    params: LIFParams, I: float, dt: float, crossing_inside: bool, refractory_exact: bool
) -> NumericsView:
    """Exact propagator (refinements as chosen) and forward Euler at ``dt`` (s), figures."""
    comp = numerics.trace_comparison(
        params,
        I,
        dt,
        TRACE_DURATION,
        crossing_inside=crossing_inside,
        refractory_exact=refractory_exact,
    )
    y_range = numerics_figures.trace_y_range(comp.theory, params.V_th)
    return NumericsView(
        numerics_figures.method_trace_figure(comp.exact, comp.theory, params.V_th, y_range=y_range),
        numerics_figures.method_trace_figure(comp.euler, comp.theory, params.V_th, y_range=y_range),
        comp,
    )


@st.cache_data(max_entries=ENTRIES, show_spinner=False)
def _sweep(params: LIFParams, I: float) -> numerics.ErrorSweep:
    """Errors of every integrator over three decades of dt (the slow part)."""
    return numerics.error_sweep(params, I)


@st.cache_resource(max_entries=ENTRIES, show_spinner=False)
def error_view(
    params: LIFParams, I: float, dt: float
) -> tuple[go.Figure, go.Figure, numerics.ErrorSweep]:
    """Rate and first-spike errors against dt (log–log), the slider's dt marked."""
    sweep = _sweep(params, I)
    return (
        numerics_figures.error_figure(sweep, "rate", dt_mark=dt, width=FULL_WIDTH),
        numerics_figures.error_figure(sweep, "first_spike", dt_mark=dt, width=FULL_WIDTH),
        sweep,
    )
