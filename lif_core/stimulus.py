"""Input waveforms on the simulation's time grid (SI units).

Every waveform function returns a float array with one value per time step of
:func:`lif_core.simulate` (``n_steps = round(duration / dt)``; value ``k``
applies on ``[k dt, (k + 1) dt)``). Random inputs take a ``seed`` and are
reproducible.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from lif_core._validate import check_finite, check_range
from lif_core.simulation import _n_steps

__all__ = [
    "constant",
    "ou_noise",
    "poisson_spike_train",
    "pulse",
    "ramp",
    "regular_spike_train",
    "sinusoid",
    "step",
    "synaptic_conductance",
    "time_grid",
]


def time_grid(duration: float, dt: float) -> np.ndarray:
    """Start times ``k * dt`` of the simulation steps (s).

    Parameters
    ----------
    duration : float
        Simulated time (s), > 0.
    dt : float
        Time step (s), 0 < dt <= duration.
    """
    return np.arange(_n_steps(duration, dt)) * dt


def constant(amplitude: float, duration: float, dt: float) -> np.ndarray:
    """A constant input of ``amplitude`` (A, or S for a conductance)."""
    check_finite("amplitude", amplitude)
    return np.full(_n_steps(duration, dt), float(amplitude))


def pulse(amplitude: float, onset: float, width: float, duration: float, dt: float) -> np.ndarray:
    """A rectangular pulse: ``amplitude`` on ``[onset, onset + width)``, zero elsewhere.

    Parameters
    ----------
    amplitude : float
        Height of the pulse (A).
    onset : float
        Start of the pulse (s), >= 0.
    width : float
        Duration of the pulse (s), > 0; ``inf`` gives a step.
    duration, dt : float
        Simulated time and time step (s).

    Notes
    -----
    A step that starts or ends inside a time step is spread over that step by
    its covered fraction, so the total charge :math:`amplitude \\cdot width`
    is exact.
    """
    check_finite("amplitude", amplitude)
    check_finite("onset", onset)
    check_range("onset", onset, low=0.0, unit="s")
    if not (isinstance(width, float) and np.isinf(width) and width > 0):
        check_finite("width", width)
        check_range("width", width, low=0.0, low_open=True, unit="s")
    t = time_grid(duration, dt)
    start = np.clip(t, onset, onset + width)
    stop = np.clip(t + dt, onset, onset + width)
    return amplitude * (stop - start) / dt


def step(amplitude: float, onset: float, duration: float, dt: float) -> np.ndarray:
    """A step to ``amplitude`` (A) at time ``onset`` (s) that lasts to the end."""
    return pulse(amplitude, onset, np.inf, duration, dt)


def ramp(start: float, stop: float, duration: float, dt: float) -> np.ndarray:
    """A linear ramp from ``start`` to ``stop`` (A) over the whole duration.

    The value of each step is the ramp's mean over that step.
    """
    check_finite("start", start)
    check_finite("stop", stop)
    t = time_grid(duration, dt) + dt / 2
    return start + (stop - start) * t / (len(t) * dt)


def sinusoid(
    amplitude: float,
    frequency: float,
    duration: float,
    dt: float,
    offset: float = 0.0,
    phase: float = 0.0,
) -> np.ndarray:
    """``offset + amplitude * sin(2 pi frequency t + phase)`` (A).

    Parameters
    ----------
    amplitude : float
        Amplitude (A).
    frequency : float
        Frequency (Hz), >= 0.
    duration, dt : float
        Simulated time and time step (s).
    offset : float
        Constant added (A).
    phase : float
        Phase at t = 0 (rad).
    """
    for name, value in (("amplitude", amplitude), ("offset", offset), ("phase", phase)):
        check_finite(name, value)
    check_finite("frequency", frequency)
    check_range("frequency", frequency, low=0.0, unit="Hz")
    t = time_grid(duration, dt) + dt / 2
    return offset + amplitude * np.sin(2 * np.pi * frequency * t + phase)


def ou_noise(
    mean: float,
    sigma: float,
    tau_noise: float,
    duration: float,
    dt: float,
    seed: int = 0,
    n: int | None = None,
) -> np.ndarray:
    """Ornstein–Uhlenbeck noise: a current fluctuating around ``mean``.

    Parameters
    ----------
    mean : float
        Mean (A).
    sigma : float
        Stationary standard deviation (A), >= 0.
    tau_noise : float
        Correlation time (s), > 0.
    duration, dt : float
        Simulated time and time step (s).
    seed : int
        Seed of the random generator (same seed, same noise).
    n : int, optional
        Number of independent traces; the result then has shape ``(n, n_steps)``.

    Notes
    -----
    .. math:: \\tau_{noise}\\,dx = -(x - \\mu)\\,dt + \\sigma\\sqrt{2\\tau_{noise}}\\,dW,

    sampled exactly on the grid: :math:`x_{k+1} = \\mu + (x_k - \\mu)\\rho +
    \\sigma\\sqrt{1 - \\rho^2}\\,\\xi_k` with :math:`\\rho = e^{-dt/\\tau_{noise}}`,
    started from the stationary distribution.
    """
    check_finite("mean", mean)
    check_finite("sigma", sigma)
    check_range("sigma", sigma, low=0.0, unit="A")
    check_finite("tau_noise", tau_noise)
    check_range("tau_noise", tau_noise, low=0.0, low_open=True, unit="s")
    n_steps = _n_steps(duration, dt)
    rows = 1 if n is None else int(n)
    if rows < 1:
        raise ValueError(f"n = {n!r} must be a positive number of traces (allowed: n >= 1)")
    rng = np.random.default_rng(seed)
    xi = rng.standard_normal((rows, n_steps))
    rho = np.exp(-dt / tau_noise)
    # x_k = rho^k x_0 + sqrt(1-rho^2) sum_{j<k} rho^{k-1-j} xi_j, computed in blocks
    x = np.empty((rows, n_steps))
    x[:, 0] = xi[:, 0]
    scale = np.sqrt(1.0 - rho**2)
    block = 256
    powers = rho ** np.arange(block + 1)
    lower = np.tril(rho ** (np.arange(block)[:, None] - np.arange(block)[None, :]))
    prev = x[:, 0]
    start = 1
    while start < n_steps:
        stop = min(start + block, n_steps)
        m = stop - start
        x[:, start:stop] = (
            prev[:, None] * powers[1 : m + 1] + scale * xi[:, start:stop] @ lower[:m, :m].T
        )
        prev = x[:, stop - 1]
        start = stop
    out = mean + sigma * x
    return out[0] if n is None else out


def regular_spike_train(rate: float, duration: float, start: float = 0.0) -> np.ndarray:
    """Evenly spaced spike times (s) at ``rate`` (Hz) from ``start`` up to ``duration``."""
    check_finite("rate", rate)
    check_range("rate", rate, low=0.0, unit="Hz")
    check_finite("start", start)
    if rate == 0:
        return np.zeros(0)
    return np.arange(start, duration, 1.0 / rate)


def poisson_spike_train(rate: float, duration: float, seed: int = 0) -> np.ndarray:
    """Spike times (s) of a homogeneous Poisson process at ``rate`` (Hz), reproducible by seed."""
    check_finite("rate", rate)
    check_range("rate", rate, low=0.0, unit="Hz")
    check_finite("duration", duration)
    check_range("duration", duration, low=0.0, low_open=True, unit="s")
    rng = np.random.default_rng(seed)
    count = rng.poisson(rate * duration)
    return np.sort(rng.uniform(0.0, duration, count))


def synaptic_conductance(
    spike_times: Any,
    g_max: float,
    tau_syn: float,
    duration: float,
    dt: float,
    kind: str = "exponential",
) -> np.ndarray:
    """Conductance (S) produced by presynaptic spikes, one value per time step.

    Parameters
    ----------
    spike_times : array_like
        Presynaptic spike times (s).
    g_max : float
        Peak conductance of one event (S), >= 0.
    tau_syn : float
        Synaptic time constant (s), > 0.
    duration, dt : float
        Simulated time and time step (s).
    kind : {"exponential", "alpha"}
        Time course of one event.

    Returns
    -------
    ndarray
        ``g`` at the start of each step (S); events add linearly.

    Notes
    -----
    Exponential: :math:`g(t) = g_{max}\\,e^{-(t - t_s)/\\tau_{syn}}`;
    alpha: :math:`g(t) = g_{max}\\,\\frac{t - t_s}{\\tau_{syn}}\\,e^{1 - (t - t_s)/\\tau_{syn}}`
    (peak ``g_max`` at ``tau_syn`` after the spike), for :math:`t \\ge t_s`.
    """
    check_finite("g_max", g_max)
    check_range("g_max", g_max, low=0.0, unit="S")
    check_finite("tau_syn", tau_syn)
    check_range("tau_syn", tau_syn, low=0.0, low_open=True, unit="s")
    if kind not in ("exponential", "alpha"):
        raise ValueError(f"kind = {kind!r} is not known (allowed: 'exponential' or 'alpha')")
    spikes = np.asarray(spike_times, dtype=float).ravel()
    check_finite("spike_times", spikes)
    t = time_grid(duration, dt)
    g = np.zeros_like(t)
    spikes = spikes[(spikes >= 0) & (spikes < t[-1] + dt)]
    # each event adds its kernel over a finite window (20 tau_syn: < 1e-6 of the peak left)
    window = int(np.ceil(20 * tau_syn / dt)) + 1
    first = np.ceil(spikes / dt - 1e-9).astype(int)  # first grid point at or after the spike
    for start, t_s in zip(first, spikes, strict=True):
        stop = min(start + window, len(t))
        if start >= stop:
            continue
        s = (t[start:stop] - t_s) / tau_syn
        kernel = np.exp(-s) if kind == "exponential" else s * np.exp(1.0 - s)
        g[start:stop] += kernel
    return g_max * g
