"""Chapter 8, noise and irregular firing: simulated trials, their statistics and the theory.

A LIF neuron driven by a mean current plus Ornstein–Uhlenbeck (OU) noise
(:func:`lif_core.stimulus.ou_noise`). The noise amplitude is given as ``sigma_V``, the
standard deviation of the free membrane potential, converted to the noise current with
:func:`lif_core.noise.sigma_current`. Many trials run in one :func:`lif_core.simulate`
pass (one neuron per trial). Every random draw comes from a seed.

One function per chart or readout, each returning a small named record (SI units):
:func:`noisy_trials` (V(t) of one trial, the raster, the ISI statistics),
:func:`isi_histogram`, :func:`rate_curves` (rate and CV against the mean current for
several noise amplitudes, simulated over theory) and :func:`regime`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from lif_core import fi_curve, noise, simulate, stimulus
from lif_core.params import LIFParams

__all__ = [
    "CURVE_SIGMAS_V",
    "DT",
    "FANO_WINDOW",
    "MIN_INTERVALS_PER_TRIAL",
    "VALID_TAU_RATIO",
    "ISIHistogram",
    "NoiseSetting",
    "RateCurves",
    "Regime",
    "Trials",
    "curve_currents",
    "isi_histogram",
    "noise_setting",
    "noisy_trials",
    "rate_curves",
    "regime",
    "unit_noise",
]

#: Time step of every noisy simulation (s).
DT = 1e-4
#: Counting windows of the Fano factor (s), tiling the trial after a start-up of this length.
FANO_WINDOW = 0.1
#: Noise amplitudes ``sigma_V`` of the rate and CV curves (V); 0 (no noise) is added.
CURVE_SIGMAS_V = (1e-3, 2e-3, 4e-3)
#: Above this ratio ``tau_s / tau`` the Fourcaud–Brunel correction is not expected to hold.
VALID_TAU_RATIO = 0.1
#: A CV is reported only with at least this many intervals per trial on average: with fewer,
#: the intervals that fit in a trial are the shorter ones and the CV comes out too low
#: (for a Poisson process observed in 1 s windows at 3 Hz, by about 18 %).
MIN_INTERVALS_PER_TRIAL = 10


def _grid_duration(duration: float, dt: float) -> float:
    """``duration`` as a whole number of steps (s)."""
    return max(1, round(duration / dt)) * dt


@dataclass(frozen=True)
class NoiseSetting:
    """A mean current with OU noise, in every unit the theory uses (SI).

    Attributes
    ----------
    I_mean : float
        Mean current (A).
    sigma_V : float
        Standard deviation of the free membrane potential (V).
    tau_s : float
        Correlation time of the noise current (s).
    sigma_I : float
        Standard deviation of the noise current (A).
    mu : float
        Mean free membrane potential ``E_L + R I_mean`` (V).
    sigma : float
        Brunel's noise intensity (V) (:func:`lif_core.noise.diffusion_sigma`).
    tau_ratio : float
        ``tau_s / tau``: the Fourcaud–Brunel correction assumes it is small.
    """

    I_mean: float
    sigma_V: float
    tau_s: float
    sigma_I: float
    mu: float
    sigma: float
    tau_ratio: float


def noise_setting(params: LIFParams, I_mean: float, sigma_V: float, tau_s: float) -> NoiseSetting:
    """The noise described by a mean current, ``sigma_V`` (V) and a correlation time (s)."""
    tau = float(params.tau)
    return NoiseSetting(
        I_mean=float(I_mean),
        sigma_V=float(sigma_V),
        tau_s=float(tau_s),
        sigma_I=float(noise.sigma_current(sigma_V, tau, tau_s, params.R)),
        mu=float(params.E_L + params.R * I_mean),
        sigma=float(noise.diffusion_sigma(sigma_V, tau, tau_s)),
        tau_ratio=float(tau_s / tau),
    )


def unit_noise(tau_s: float, n: int, duration: float, seed: int, dt: float = DT) -> np.ndarray:
    """``n`` independent OU traces of mean 0 and standard deviation 1, shape ``(n, n_steps)``.

    The noise current of a setting is ``I_mean + sigma_I * unit_noise(...)``: the same
    sample at any mean and amplitude (``lif_core.stimulus.ou_noise`` is linear in both).
    """
    return stimulus.ou_noise(0.0, 1.0, tau_s, _grid_duration(duration, dt), dt, seed=seed, n=n)


# --------------------------------------------------------------------------- trials


@dataclass(frozen=True)
class Trials:
    """Many trials of one noisy setting, simulated in one pass (SI units).

    Attributes
    ----------
    params : LIFParams
        Neuron parameters.
    setting : NoiseSetting
        Mean current and noise.
    t : ndarray
        Time grid (s).
    V : ndarray
        Membrane potential of the first trial (V), shape ``(n_steps,)``.
    refractory : ndarray of bool
        Refractory mask of the first trial.
    spike_times : tuple of ndarray
        Spike times of every trial (s).
    stats : lif_core.noise.ISIStats
        Rate, ISI mean and CV, Fano factor over all trials.
    rate_theory : float
        Siegert rate with the Fourcaud–Brunel correction (Hz).
    rate_white : float
        Siegert rate for white noise of the same ``sigma`` (Hz), without the correction.
    cv_theory : float
        Brunel's white-noise CV with the same shifted bounds as the rate (an
        approximation for ``tau_s > 0``); 0 without noise above rheobase.
    duration, dt : float
        Length of each trial and time step (s).
    seed : int
        Seed of the noise.
    """

    params: LIFParams
    setting: NoiseSetting
    t: np.ndarray
    V: np.ndarray
    refractory: np.ndarray
    spike_times: tuple[np.ndarray, ...]
    stats: noise.ISIStats
    rate_theory: float
    rate_white: float
    cv_theory: float
    duration: float
    dt: float
    seed: int

    @property
    def n_trials(self) -> int:
        """Number of trials."""
        return len(self.spike_times)


def _cv_theory(params: LIFParams, I_mean, sigma_V, tau_s) -> np.ndarray:
    """White-noise CV at the Fourcaud–Brunel-shifted bounds; 0 / nan without noise."""
    I_mean, sigma_V = np.broadcast_arrays(np.asarray(I_mean, float), np.asarray(sigma_V, float))
    tau = float(params.tau)
    out = np.where(params.E_L + params.R * I_mean > params.V_th, 0.0, np.nan)
    noisy = sigma_V > 0
    if np.any(noisy):
        sigma = noise.diffusion_sigma(sigma_V[noisy], tau, tau_s)
        shift = noise.ALPHA / 2.0 * math.sqrt(tau_s / tau) * sigma
        out[noisy] = noise.siegert_cv(
            params.E_L + params.R * I_mean[noisy] - shift,
            sigma,
            tau,
            params.V_th,
            params.V_reset,
            params.t_ref,
        )
    return out


def noisy_trials(
    params: LIFParams,
    I_mean: float,
    sigma_V: float,
    tau_s: float,
    *,
    n_trials: int,
    duration: float,
    seed: int,
    unit: np.ndarray | None = None,
    dt: float = DT,
) -> Trials:
    """Simulate ``n_trials`` trials of a noisy current in one pass and summarise them.

    Parameters
    ----------
    params : LIFParams
        Neuron parameters (scalar fields).
    I_mean : float
        Mean current (A).
    sigma_V : float
        Standard deviation of the free membrane potential (V), >= 0.
    tau_s : float
        Noise correlation time (s), > 0.
    n_trials : int
        Number of trials (independent noise).
    duration : float
        Length of each trial (s).
    seed : int
        Seed of the noise.
    unit : ndarray, optional
        The unit noise ``unit_noise(tau_s, n_trials, duration, seed, dt)``, if already
        computed (it does not depend on ``I_mean`` or ``sigma_V``).
    dt : float
        Time step (s).

    Returns
    -------
    Trials
    """
    setting = noise_setting(params, I_mean, sigma_V, tau_s)
    duration = _grid_duration(duration, dt)
    if unit is None:
        unit = unit_noise(tau_s, n_trials, duration, seed, dt)
    current = setting.I_mean + setting.sigma_I * unit
    res = simulate(params, I=current, duration=duration, dt=dt)
    stats = noise.isi_statistics(res.spike_times, duration, window=FANO_WINDOW, t_start=FANO_WINDOW)
    return Trials(
        params=params,
        setting=setting,
        t=res.t,
        V=res.V[0],
        refractory=res.refractory[0],
        spike_times=res.spike_times,
        stats=stats,
        rate_theory=float(noise.firing_rate(params, I_mean, sigma_V, tau_s)),
        rate_white=float(noise.firing_rate(params, I_mean, setting.sigma / math.sqrt(2.0))),
        cv_theory=float(_cv_theory(params, I_mean, sigma_V, tau_s)),
        duration=float(duration),
        dt=float(dt),
        seed=int(seed),
    )


# --------------------------------------------------------------------------- ISI histogram


@dataclass(frozen=True)
class ISIHistogram:
    """The inter-spike intervals of all trials, binned (SI units).

    Attributes
    ----------
    edges : ndarray
        Bin edges (s), from 0.
    counts : ndarray of int
        Intervals per bin.
    mean_isi, cv, fano : float
        From :class:`lif_core.noise.ISIStats`.
    t_ref : float
        Refractory period (s): no interval is shorter.
    n_isi : int
        Number of intervals.
    beyond : int
        Intervals longer than the last edge (not drawn).
    """

    edges: np.ndarray
    counts: np.ndarray
    mean_isi: float
    cv: float
    fano: float
    t_ref: float
    n_isi: int
    beyond: int


def isi_histogram(trials: Trials, n_bins: int = 40) -> ISIHistogram:
    """Bin the intervals of ``trials`` from 0 to four mean intervals (at least the longest 99 %)."""
    isi = trials.stats.isi
    if isi.size:
        top = max(4.0 * float(np.mean(isi)), float(np.quantile(isi, 0.99)))
    else:
        top = 0.1
    edges = np.linspace(0.0, top, n_bins + 1)
    counts, _ = np.histogram(isi, edges)
    return ISIHistogram(
        edges=edges,
        counts=counts,
        mean_isi=trials.stats.mean_isi,
        cv=trials.stats.cv,
        fano=trials.stats.fano,
        t_ref=float(trials.params.t_ref),
        n_isi=trials.stats.n_isi,
        beyond=int(np.sum(isi > top)),
    )


# --------------------------------------------------------------------------- rate curves


@dataclass(frozen=True)
class RateCurves:
    """Rate and CV against the mean current for several noise amplitudes (SI units).

    Attributes
    ----------
    currents : ndarray
        Mean currents of the simulated points (A).
    sigma_V : ndarray
        Noise amplitudes (V), the first one 0 (no noise).
    rate, rate_se : ndarray
        Simulated rate and its standard error (Hz), shape ``(len(sigma_V), len(currents))``;
        the noiseless row is :func:`lif_core.fi_curve` (se 0).
    cv, cv_se : ndarray
        Simulated CV of the intervals and its standard error; nan for the noiseless row and
        with fewer than :data:`MIN_INTERVALS_PER_TRIAL` intervals per trial.
    I_theory : ndarray
        Currents of the theory curves (A).
    rate_theory : ndarray
        Siegert rate with the Fourcaud–Brunel correction, ``(len(sigma_V), len(I_theory))``.
    cv_theory : ndarray
        White-noise CV at the same shifted bounds (an approximation for ``tau_s > 0``).
    tau_s : float
        Noise correlation time (s).
    tau_ratio : float
        ``tau_s / tau``.
    rheobase : float
        Rheobase without noise (A).
    n_trials, duration : int, float
        Trials per simulated point and their length (s).
    """

    currents: np.ndarray
    sigma_V: np.ndarray
    rate: np.ndarray
    rate_se: np.ndarray
    cv: np.ndarray
    cv_se: np.ndarray
    I_theory: np.ndarray
    rate_theory: np.ndarray
    cv_theory: np.ndarray
    tau_s: float
    tau_ratio: float
    rheobase: float
    n_trials: int
    duration: float


def curve_currents(params: LIFParams, n: int) -> np.ndarray:
    """``n`` mean currents from 0 to twice the rheobase (at least 1 nA) (A)."""
    top = max(2.0 * float(params.rheobase), 1e-9)
    return np.linspace(0.0, top, n)


def rate_curves(
    params: LIFParams,
    tau_s: float,
    *,
    seed: int,
    n_currents: int = 11,
    n_trials: int = 6,
    duration: float = 1.0,
    sigmas_V: tuple[float, ...] = CURVE_SIGMAS_V,
    n_theory: int = 61,
    dt: float = DT,
) -> RateCurves:
    """Simulated rate and CV against the mean current, for several ``sigma_V``, over theory.

    Parameters
    ----------
    params : LIFParams
        Neuron parameters.
    tau_s : float
        Noise correlation time (s).
    seed : int
        Seed of the noise (every point has its own, independent traces).
    n_currents, n_trials : int
        Simulated currents, and trials per current and amplitude.
    duration : float
        Length of each trial (s).
    sigmas_V : tuple of float
        Noise amplitudes (V); 0 (no noise) is added first.
    n_theory : int
        Currents of the theory curves.
    dt : float
        Time step (s).

    Returns
    -------
    RateCurves

    Notes
    -----
    All noisy points run in one :func:`lif_core.simulate` pass (one neuron per trial,
    current and amplitude).
    """
    duration = _grid_duration(duration, dt)
    currents = curve_currents(params, n_currents)
    sig = np.array([0.0, *sigmas_V])
    k, n = len(sigmas_V), n_currents
    unit = unit_noise(tau_s, k * n * n_trials, duration, seed, dt)
    sI = np.array([noise.sigma_current(s, float(params.tau), tau_s, params.R) for s in sigmas_V])
    I_mean = np.repeat(np.tile(currents, k), n_trials)  # amplitude, current, trial
    amp = np.repeat(np.repeat(sI, n), n_trials)
    res = simulate(params, I=I_mean[:, None] + amp[:, None] * unit, duration=duration, dt=dt)
    rate = np.zeros((k + 1, n))
    rate_se = np.zeros((k + 1, n))
    cv = np.full((k + 1, n), np.nan)
    cv_se = np.full((k + 1, n), np.nan)
    rate[0] = fi_curve(params, currents, duration=duration, dt=dt).rate
    for i in range(k):
        for j in range(n):
            start = (i * n + j) * n_trials
            st = noise.isi_statistics(
                res.spike_times[start : start + n_trials], duration, window=FANO_WINDOW
            )
            rate[i + 1, j], rate_se[i + 1, j] = st.rate, st.rate_se
            if st.n_isi >= MIN_INTERVALS_PER_TRIAL * n_trials:
                cv[i + 1, j], cv_se[i + 1, j] = st.cv, st.cv_se
    I_theory = np.linspace(0.0, currents[-1], n_theory)
    rate_theory = np.array(
        [np.asarray(noise.firing_rate(params, I_theory, s, tau_s), dtype=float) for s in sig]
    )
    cv_theory = np.array([_cv_theory(params, I_theory, s, tau_s) for s in sig])
    return RateCurves(
        currents=currents,
        sigma_V=sig,
        rate=rate,
        rate_se=rate_se,
        cv=cv,
        cv_se=cv_se,
        I_theory=I_theory,
        rate_theory=rate_theory,
        cv_theory=cv_theory,
        tau_s=float(tau_s),
        tau_ratio=float(tau_s / params.tau),
        rheobase=float(params.rheobase),
        n_trials=int(n_trials),
        duration=float(duration),
    )


# --------------------------------------------------------------------------- regime


@dataclass(frozen=True)
class Regime:
    """Where a setting sits: driven by the mean or by the fluctuations (SI units).

    Attributes
    ----------
    mean_driven : bool
        The mean free potential ``mu`` is above threshold: the neuron fires without noise.
    distance : float
        ``(V_th - mu) / sigma_V``: how many free-membrane standard deviations the
        threshold lies above the mean (negative when mean-driven; inf without noise below).
    label : str
        ``"mean-driven"`` or ``"fluctuation-driven"``.
    """

    mean_driven: bool
    distance: float
    label: str


def regime(params: LIFParams, setting: NoiseSetting) -> Regime:
    """Classify a setting as mean-driven (supra-threshold) or fluctuation-driven (sub-)."""
    gap = float(params.V_th) - setting.mu
    mean_driven = gap < 0
    if setting.sigma_V > 0:
        distance = gap / setting.sigma_V
    else:
        distance = math.copysign(math.inf, gap) if gap else 0.0
    return Regime(
        mean_driven=mean_driven,
        distance=distance,
        label="mean-driven" if mean_driven else "fluctuation-driven",
    )
