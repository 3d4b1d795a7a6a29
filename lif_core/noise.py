"""The LIF neuron driven by noise: first-passage theory and spike-train statistics (SI units).

The membrane equation with a fluctuating input current :math:`I(t) = I_{mean} + \\xi(t)`,

.. math:: \\tau\\,\\frac{dV}{dt} = -(V - E_L) + R\\,I_{mean} + R\\,\\xi(t),

where ``xi`` is an Ornstein–Uhlenbeck (OU) current with standard deviation ``sigma_I`` and
correlation time ``tau_s`` (:func:`lif_core.stimulus.ou_noise`). Three ways of saying how
strong the noise is, and the conversions between them:

- ``sigma_I`` (A): the standard deviation of the noise current;
- ``sigma_V`` (V): the standard deviation of the *free* membrane potential (no threshold),
  what a student sees in V(t): :math:`\\sigma_V^2 = (R\\sigma_I)^2\\,\\tau_s/(\\tau + \\tau_s)`;
- ``sigma`` (V): the noise intensity of Brunel (2000) and Fourcaud & Brunel (2002),
  :math:`\\tau\\,dV/dt = -(V - \\mu) + \\sigma\\sqrt{\\tau}\\,\\eta(t)` with unit white noise
  :math:`\\eta`; an OU current has the same low-frequency power when
  :math:`\\sigma = R\\sigma_I\\sqrt{2\\tau_s/\\tau}`. For white noise
  :math:`\\sigma_V = \\sigma/\\sqrt 2`.

The mean firing rate for white noise is the Siegert formula (Amit & Brunel 1997; Brunel
2000), with :math:`\\mu = E_L + R I_{mean}`:

.. math:: \\frac{1}{\\nu} = t_{ref} + \\tau\\sqrt{\\pi}
          \\int_{(V_{reset}-\\mu)/\\sigma}^{(V_{th}-\\mu)/\\sigma}
          e^{u^2}\\,(1 + \\mathrm{erf}\\,u)\\,du,

and :math:`e^{u^2}(1 + \\mathrm{erf}\\,u) = \\mathrm{erfcx}(-u)`. For an OU input with a short
correlation time, Fourcaud & Brunel (2002) shift both bounds by
:math:`(\\alpha/2)\\sqrt{\\tau_s/\\tau}` with :math:`\\alpha = \\sqrt2\\,|\\zeta(1/2)|`; the
expansion is in powers of :math:`\\sqrt{\\tau_s/\\tau}` and fails when ``tau_s`` is
comparable to ``tau``. The coefficient of variation of the inter-spike intervals for white
noise is Brunel (2000), eq. A.7:

.. math:: CV^2 = 2\\pi(\\nu\\tau)^2\\int_{y_r}^{y_{th}} e^{x^2}\\,dx
          \\int_{-\\infty}^{x} e^{y^2}(1 + \\mathrm{erf}\\,y)^2\\,dy.

The integrals are evaluated stably by :mod:`lif_core._integrals` (Gauss–Legendre quadrature
after substitutions that keep every factor finite; :func:`erfcx`, Weideman's expansion, since
numpy has no ``erf``); the tests check them against ``scipy`` to 1e-11.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from lif_core import theory
from lif_core._integrals import cv_integral, erfcx, rate_integral
from lif_core._validate import check_finite, check_range
from lif_core.params import LIFParams

__all__ = [
    "ALPHA",
    "ISIStats",
    "diffusion_sigma",
    "erfcx",
    "firing_rate",
    "isi_cv",
    "isi_statistics",
    "siegert_cv",
    "siegert_rate",
    "sigma_V_of_current",
    "sigma_current",
]

#: :math:`\zeta(1/2)`, Riemann's zeta function at 1/2.
_ZETA_HALF = -1.4603545088095868

#: Fourcaud & Brunel's (2002) constant :math:`\alpha = \sqrt2\,|\zeta(1/2)| \approx 2.0652`.
ALPHA = math.sqrt(2.0) * abs(_ZETA_HALF)

ArrayLike = Any

# --------------------------------------------------------------------------- noise amplitude


def sigma_current(sigma_V: ArrayLike, tau: ArrayLike, tau_s: ArrayLike, R: ArrayLike) -> Any:
    """Standard deviation of an OU current that gives the free membrane a given ``sigma_V`` (A).

    Parameters
    ----------
    sigma_V : float or ndarray
        Standard deviation of the free membrane potential (V), >= 0.
    tau : float or ndarray
        Membrane time constant ``R C`` (s), > 0.
    tau_s : float or ndarray
        Correlation time of the OU current (s), > 0.
    R : float or ndarray
        Membrane resistance (Ω), > 0.

    Returns
    -------
    float or ndarray
        :math:`\\sigma_I = \\frac{\\sigma_V}{R}\\sqrt{\\frac{\\tau + \\tau_s}{\\tau_s}}` (A).

    Notes
    -----
    The membrane low-pass filters the current: an OU current of variance
    :math:`\\sigma_I^2` (correlation :math:`e^{-|t|/\\tau_s}`) gives the free potential the
    variance :math:`(R\\sigma_I)^2\\,\\tau_s/(\\tau + \\tau_s)`.
    """
    return np.asarray(sigma_V) / np.asarray(R) * np.sqrt((np.asarray(tau) + tau_s) / tau_s)


def sigma_V_of_current(sigma_I: ArrayLike, tau: ArrayLike, tau_s: ArrayLike, R: ArrayLike) -> Any:
    """Standard deviation of the free membrane potential under an OU current (V).

    The inverse of :func:`sigma_current`:
    :math:`\\sigma_V = R\\sigma_I\\sqrt{\\tau_s/(\\tau + \\tau_s)}`.
    """
    return np.asarray(R) * np.asarray(sigma_I) * np.sqrt(tau_s / (np.asarray(tau) + tau_s))


def diffusion_sigma(sigma_V: ArrayLike, tau: ArrayLike, tau_s: ArrayLike = 0.0) -> Any:
    """Brunel's noise intensity ``sigma`` (V) for a free-membrane standard deviation ``sigma_V``.

    Parameters
    ----------
    sigma_V : float or ndarray
        Standard deviation of the free membrane potential (V).
    tau : float or ndarray
        Membrane time constant (s).
    tau_s : float or ndarray
        Correlation time of the OU current (s); 0 for white noise.

    Returns
    -------
    float or ndarray
        :math:`\\sigma = R\\sigma_I\\sqrt{2\\tau_s/\\tau}
        = \\sqrt2\\,\\sigma_V\\sqrt{1 + \\tau_s/\\tau}`,
        the intensity of the white noise with the same low-frequency power (Fourcaud &
        Brunel 2002 keep this fixed as ``tau_s`` changes). :math:`\\sqrt2\\,\\sigma_V` for white
        noise: mind the :math:`\\sqrt2`.
    """
    return math.sqrt(2.0) * np.asarray(sigma_V) * np.sqrt(1.0 + np.asarray(tau_s) / tau)


# --------------------------------------------------------------------------- rate and CV


def _bounds(mu, sigma, tau, V_th, V_reset, tau_s):
    """Integration bounds ``(V_reset - mu)/sigma, (V_th - mu)/sigma``, shifted for ``tau_s``."""
    shift = ALPHA / 2.0 * np.sqrt(np.asarray(tau_s, dtype=float) / tau)
    return (V_reset - mu) / sigma + shift, (V_th - mu) / sigma + shift


def siegert_rate(
    mu: ArrayLike,
    sigma: ArrayLike,
    tau: float,
    V_th: float,
    V_reset: float,
    t_ref: float,
    tau_s: ArrayLike = 0.0,
) -> Any:
    """Mean firing rate of the LIF under white (or short-correlated) noise (Hz).

    Parameters
    ----------
    mu : float or ndarray
        Mean free membrane potential :math:`E_L + R I_{mean}` (V).
    sigma : float or ndarray
        Noise intensity (V), > 0; :math:`\\sqrt2\\,\\sigma_V` for white noise
        (:func:`diffusion_sigma`).
    tau : float
        Membrane time constant (s).
    V_th, V_reset : float
        Threshold and reset (V).
    t_ref : float
        Refractory period (s).
    tau_s : float or ndarray
        Noise correlation time (s); 0 (white noise) gives the Siegert formula, > 0 adds the
        Fourcaud–Brunel shift of both bounds by :math:`(\\alpha/2)\\sqrt{\\tau_s/\\tau}`.

    Returns
    -------
    float or ndarray
        Rate (Hz), broadcast over ``mu``, ``sigma`` and ``tau_s``.

    Notes
    -----
    .. math:: \\frac{1}{\\nu} = t_{ref} + \\tau\\sqrt\\pi\\int_{y_r}^{y_{th}}
              \\mathrm{erfcx}(-u)\\,du,\\quad y = \\frac{V - \\mu}{\\sigma}
              + \\frac{\\alpha}{2}\\sqrt{\\frac{\\tau_s}{\\tau}}

    Exact for white noise (up to ~1e-13 quadrature error); for ``tau_s > 0`` the first
    order of an expansion in :math:`\\sqrt{\\tau_s/\\tau}`.
    """
    mu, sigma, tau_s = np.broadcast_arrays(
        *(np.asarray(x, dtype=float) for x in (mu, sigma, tau_s))
    )
    check_range("sigma", sigma, low=0.0, low_open=True, unit="V")
    a, b = _bounds(mu, sigma, tau, V_th, V_reset, tau_s)
    M_neg, M_pos = rate_integral(a.ravel(), b.ravel())
    bp2 = np.maximum(b.ravel(), 0.0) ** 2
    with np.errstate(over="ignore"):
        T = tau * math.sqrt(math.pi) * (M_neg + np.exp(bp2) * M_pos)
    rate = (1.0 / (t_ref + T)).reshape(mu.shape)
    return rate if rate.ndim else float(rate)


def siegert_cv(
    mu: ArrayLike,
    sigma: ArrayLike,
    tau: float,
    V_th: float,
    V_reset: float,
    t_ref: float,
) -> Any:
    """Coefficient of variation of the inter-spike intervals under white noise.

    Parameters are those of :func:`siegert_rate` (white noise only).

    Returns
    -------
    float or ndarray
        CV = standard deviation / mean of the ISI; tends to 1 deep below threshold
        (rare, Poisson-like escapes) and to 0 for weak noise far above it.

    Notes
    -----
    .. math:: CV^2 = 2\\pi(\\nu\\tau)^2\\int_{y_r}^{y_{th}} e^{x^2}dx
              \\int_{-\\infty}^x e^{y^2}(1 + \\mathrm{erf}\\,y)^2\\,dy

    (Brunel 2000, appendix). Both the double integral and :math:`1/\\nu` grow like
    :math:`e^{y_{th}^2}`; they are computed scaled by it, so the ratio stays finite for any
    bounds.
    """
    mu, sigma = np.broadcast_arrays(*(np.asarray(x, dtype=float) for x in (mu, sigma)))
    check_range("sigma", sigma, low=0.0, low_open=True, unit="V")
    a, b = _bounds(mu, sigma, tau, V_th, V_reset, 0.0)
    a, b = a.ravel(), b.ravel()
    M_neg, M_pos = rate_integral(a, b)
    D_neg, D_1, D_2 = cv_integral(a, b)
    bp2 = np.maximum(b, 0.0) ** 2
    s = np.exp(-bp2)  # exp(-b^2) for b > 0, else 1; underflows to 0 harmlessly
    numer = D_neg * s * s + D_1 * s + D_2
    denom = t_ref / tau * s + math.sqrt(math.pi) * (M_neg * s + M_pos)
    cv = np.sqrt(2.0 * math.pi * numer) / denom
    cv = cv.reshape(mu.shape)
    return cv if cv.ndim else float(cv)


def _check_noise(sigma_V: ArrayLike, tau_s: ArrayLike) -> None:
    check_finite("sigma_V", sigma_V)
    check_range("sigma_V", sigma_V, low=0.0, unit="V")
    check_finite("tau_s", tau_s)
    check_range("tau_s", tau_s, low=0.0, unit="s")


def firing_rate(
    params: LIFParams,
    I_mean: ArrayLike,
    sigma_V: ArrayLike,
    tau_s: ArrayLike = 0.0,
) -> Any:
    """Mean firing rate of a LIF neuron under a noisy current (Hz).

    Parameters
    ----------
    params : LIFParams
        Neuron parameters (scalar fields).
    I_mean : float or ndarray
        Mean current (A).
    sigma_V : float or ndarray
        Standard deviation of the free membrane potential (V), >= 0; 0 gives the
        deterministic rate :func:`lif_core.theory.firing_rate`.
    tau_s : float or ndarray
        Correlation time of the OU noise current (s), >= 0; 0 is white noise.

    Returns
    -------
    float or ndarray
        Siegert rate (white noise) with the Fourcaud–Brunel correction for ``tau_s > 0``,
        at :math:`\\mu = E_L + R I_{mean}` and :math:`\\sigma` from :func:`diffusion_sigma`.
    """
    _check_noise(sigma_V, tau_s)
    I_mean, sigma_V, tau_s = np.broadcast_arrays(
        *(np.asarray(x, dtype=float) for x in (I_mean, sigma_V, tau_s))
    )
    tau = float(params.tau)
    quiet = sigma_V == 0
    out = np.asarray(theory.firing_rate(params, I_mean), dtype=float).copy()
    if np.any(~quiet):
        out[~quiet] = siegert_rate(
            params.E_L + params.R * I_mean[~quiet],
            diffusion_sigma(sigma_V[~quiet], tau, tau_s[~quiet]),
            tau,
            params.V_th,
            params.V_reset,
            params.t_ref,
            tau_s[~quiet],
        )
    return out if out.ndim else float(out)


def isi_cv(params: LIFParams, I_mean: ArrayLike, sigma_V: ArrayLike) -> Any:
    """CV of the inter-spike intervals under white noise (:func:`siegert_cv`).

    Parameters
    ----------
    params : LIFParams
        Neuron parameters (scalar fields).
    I_mean : float or ndarray
        Mean current (A).
    sigma_V : float or ndarray
        Standard deviation of the free membrane potential (V), > 0.

    Returns
    -------
    float or ndarray
        The CV, with :math:`\\sigma = \\sqrt2\\,\\sigma_V`.
    """
    _check_noise(sigma_V, 0.0)
    return siegert_cv(
        params.E_L + params.R * np.asarray(I_mean, dtype=float),
        diffusion_sigma(sigma_V, float(params.tau)),
        float(params.tau),
        params.V_th,
        params.V_reset,
        params.t_ref,
    )


# --------------------------------------------------------------------------- spike statistics


@dataclass(frozen=True)
class ISIStats:
    """Statistics of a set of spike trains (SI units).

    Attributes
    ----------
    rate : float
        Spikes after each train's first spike per time after it (Hz), pooled over trains.
    rate_se : float
        Standard error of ``rate`` from the spread between trains (Hz); nan with < 2 trains.
    mean_isi : float
        Mean inter-spike interval (s), pooled; nan without intervals.
    cv : float
        Coefficient of variation of the pooled intervals (std / mean); nan with < 2.
    cv_se : float
        Standard error of ``cv`` by the jackknife over trains; nan with < 2 trains.
    fano : float
        Fano factor of the spike counts in windows of length ``window``: variance / mean.
    window : float
        Length of the counting windows (s).
    t_start : float
        Counting windows tile ``[t_start, duration)``.
    n_isi : int
        Number of intervals.
    n_windows : int
        Number of counting windows.
    n_trains : int
        Number of spike trains (trials).
    isi : ndarray
        All intervals (s), train after train.
    """

    rate: float
    rate_se: float
    mean_isi: float
    cv: float
    cv_se: float
    fano: float
    window: float
    t_start: float
    n_isi: int
    n_windows: int
    n_trains: int
    isi: np.ndarray


def _renewal_rate(counts: np.ndarray, spans: np.ndarray) -> float:
    total = float(np.sum(spans))
    return float(np.sum(counts)) / total if total > 0 else 0.0


def _cv(isi: np.ndarray) -> float:
    return float(np.std(isi) / np.mean(isi)) if isi.size >= 2 else math.nan


def isi_statistics(
    spike_times: Sequence[np.ndarray],
    duration: float,
    *,
    window: float,
    t_start: float = 0.0,
) -> ISIStats:
    """Rate, inter-spike-interval statistics and Fano factor of many trials.

    Parameters
    ----------
    spike_times : sequence of ndarray
        Spike times of each trial (s), sorted, within ``[0, duration)``.
    duration : float
        Length of each trial (s).
    window : float
        Length of the spike-count windows for the Fano factor (s), > 0.
    t_start : float
        Start of the first counting window (s): skips the start-up from rest.

    Returns
    -------
    ISIStats

    Notes
    -----
    The rate counts the spikes after each trial's first spike over the time after it,
    summed over trials: the first spike of a trial starts from rest, every later one from
    the reset, a renewal point (exactly so for white noise). For a renewal process the
    expected count after the first spike is :math:`t/\\langle ISI\\rangle + (CV^2 - 1)/2`,
    so the estimate is off by at most :math:`|CV^2 - 1|/(2n)` of the rate with ``n`` spikes
    per trial. The Fano factor tends to :math:`CV^2` for long windows (renewal process).
    """
    check_range("window", window, low=0.0, low_open=True, unit="s")
    trains = [np.asarray(s, dtype=float) for s in spike_times]
    isis = [np.diff(s) for s in trains]
    isi = np.concatenate(isis) if isis else np.zeros(0)
    counts = np.array([max(s.size - 1, 0) for s in trains], dtype=float)
    spans = np.array([duration - s[0] if s.size else 0.0 for s in trains])
    rate = _renewal_rate(counts, spans)
    n = len(trains)
    if n >= 2 and np.sum(spans) > 0:
        # ratio estimator: its standard error from the spread of counts - rate * spans
        resid = counts - rate * spans
        rate_se = float(np.sqrt(n / (n - 1) * np.sum(resid**2)) / np.sum(spans))
    else:
        rate_se = math.nan
    cv = _cv(isi)
    if n >= 2 and isi.size >= 3:
        # jackknife over trials: leave one trial's intervals out at a time
        sizes = np.array([x.size for x in isis])
        s1, s2 = float(np.sum(isi)), float(np.sum(isi**2))
        p1 = np.array([np.sum(x) for x in isis])
        p2 = np.array([np.sum(x**2) for x in isis])
        m = isi.size - sizes
        ok = m >= 2
        mean = (s1 - p1[ok]) / m[ok]
        var = (s2 - p2[ok]) / m[ok] - mean**2
        loo = np.sqrt(np.maximum(var, 0.0)) / mean
        k = loo.size
        spread = np.sum((loo - loo.mean()) ** 2)
        cv_se = float(np.sqrt((k - 1) / k * spread)) if k >= 2 else math.nan
    else:
        cv_se = math.nan
    n_win = math.floor((duration - t_start) / window + 1e-9)
    if n_win >= 1 and trains:
        edges = t_start + window * np.arange(n_win + 1)
        per = np.stack([np.histogram(s, edges)[0] for s in trains]).ravel().astype(float)
        ok = per.size > 1 and per.mean() > 0
        fano = float(np.var(per, ddof=1) / np.mean(per)) if ok else math.nan
    else:
        per = np.zeros(0)
        fano = math.nan
    return ISIStats(
        rate=rate,
        rate_se=rate_se,
        mean_isi=float(np.mean(isi)) if isi.size else math.nan,
        cv=cv,
        cv_se=cv_se,
        fano=fano,
        window=float(window),
        t_start=float(t_start),
        n_isi=int(isi.size),
        n_windows=int(per.size),
        n_trains=n,
        isi=isi,
    )
