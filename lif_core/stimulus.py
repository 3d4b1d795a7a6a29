"""Input waveforms on the simulation's time grid (SI units).

Every waveform function returns a float array with one value per time step of
:func:`lif_core.simulate`: ``n_steps = ceil(duration / dt)`` (a duration within
round-off of a multiple of ``dt`` counts as that multiple), and value ``k``
applies on ``[k dt, (k + 1) dt)``; when ``duration`` is not a multiple of
``dt`` the last step is shorter and ends at ``duration``. A value is the
input's mean over its step where that is known in closed form (pulses, ramps,
synaptic conductances), so the charge a step delivers is exact. Random inputs
take a ``seed`` and are reproducible.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from lif_core._grid import _n_steps, _step_ends
from lif_core._validate import check_finite, check_range

__all__ = [
    "SynapticConductance",
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
    is exact. A step the pulse covers completely gets exactly ``amplitude``
    (not ``amplitude * h / h``, which can be an ulp off), so the plateau is
    constant input to the engine.
    """
    check_finite("amplitude", amplitude)
    check_finite("onset", onset)
    check_range("onset", onset, low=0.0, unit="s")
    if not (isinstance(width, float) and np.isinf(width) and width > 0):
        check_finite("width", width)
        check_range("width", width, low=0.0, low_open=True, unit="s")
    t, t_stop = _step_ends(duration, dt)
    start = np.clip(t, onset, onset + width)
    stop = np.clip(t_stop, onset, onset + width)
    out = amplitude * (stop - start) / (t_stop - t)
    out[(start == t) & (stop == t_stop)] = amplitude  # fully covered steps
    return out


def step(amplitude: float, onset: float, duration: float, dt: float) -> np.ndarray:
    """A step to ``amplitude`` (A) at time ``onset`` (s) that lasts to the end."""
    return pulse(amplitude, onset, np.inf, duration, dt)


def ramp(start: float, stop: float, duration: float, dt: float) -> np.ndarray:
    """A linear ramp from ``start`` to ``stop`` (A) over the whole duration.

    The value of each step is the ramp's mean over that step.
    """
    check_finite("start", start)
    check_finite("stop", stop)
    t, t_stop = _step_ends(duration, dt)
    return start + (stop - start) * (t + t_stop) / (2 * t_stop[-1])


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
    t, t_stop = _step_ends(duration, dt)
    t = (t + t_stop) / 2  # the middle of each step
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
    # x[k] = rho x[k-1] + sigma sqrt(1 - rho^2) xi[k], from x[0] = sigma xi[0] (stationary)
    xi[:, 0] *= sigma
    xi[:, 1:] *= sigma * np.sqrt(-np.expm1(-2 * dt / tau_noise))  # sqrt(1 - rho^2), accurate
    x = _linear_recursion(rho, xi)
    x += mean
    return x[0] if n is None else x


#: Largest decay ``-ln(rho) * steps`` within one block of :func:`_linear_recursion`:
#: keeps ``rho**-steps`` (at most e^200 ~ 1e87) far from overflow.
_MAX_BLOCK_DECAY = 200.0


def _linear_recursion(rho: float, u: np.ndarray) -> np.ndarray:
    """Solve ``x[0] = u[:, 0]``, ``x[k] = rho x[k-1] + u[:, k]`` along the last axis, in place.

    Vectorised over blocks of steps: within a block that starts from ``x[s]``,
    :math:`x_{s+j} = \\rho^j (x_s + \\sum_{i=1}^{j} \\rho^{-i} u_{s+i})`, one
    cumulative sum. The block length keeps :math:`\\rho^{-j}` below e^200, so
    the result equals the step-by-step recursion to round-off (a few ulp of the
    largest term). When one step decays by more than e^-1, the blocks would be
    short; then the recursion is doubled instead, ``x[k] += rho^s x[k - s]`` for
    ``s = 1, 2, 4, ...`` until ``rho^s`` underflows to 0 (at most ~10 passes).
    ``u`` (float, 2-D) is overwritten with ``x`` and returned.
    """
    m = u.shape[1]
    decay = -math.log(rho) if rho > 0 else math.inf
    if decay > 1.0:
        shift, factor = 1, rho
        while shift < m and factor > 0.0:
            u[:, shift:] += factor * u[:, :-shift]  # the right side is evaluated first
            shift, factor = 2 * shift, factor * factor
        return u
    block = m - 1 if decay * (m - 1) <= _MAX_BLOCK_DECAY else int(_MAX_BLOCK_DECAY / decay)
    block = max(1, block)
    j = np.arange(1, block + 1)
    grow = np.exp(decay * j)  # rho^-j
    shrink = np.exp(-decay * j)  # rho^j
    start = 0
    while start < m - 1:
        stop = min(start + block, m - 1)
        b = stop - start
        seg = u[:, start + 1 : stop + 1]
        seg *= grow[:b]
        np.cumsum(seg, axis=1, out=seg)
        seg += u[:, start : start + 1]
        seg *= shrink[:b]
        start = stop
    return u


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


@dataclass(frozen=True, eq=False)
class SynapticConductance:
    """A conductance made of presynaptic events, known exactly in continuous time.

    Give it to :func:`lif_core.simulate` in place of a conductance array
    (``g_syn=[SynapticConductance(...)]``) and the engine applies every event
    at its exact time: on the grid it uses the conductance's exact mean over
    each step (as :func:`synaptic_conductance` returns), and inside the steps
    where the neuron crosses threshold or leaves refractoriness it integrates
    sub-steps with the exact mean conductance of each (see ``simulate``). One
    record is one conductance trace, shared by all simulated neurons.

    Parameters
    ----------
    spike_times : array_like
        Presynaptic spike times (s); those outside ``[0, duration)`` of a
        simulation are ignored.
    g_max : float
        Peak conductance of one event (S), >= 0.
    tau_syn : float
        Synaptic time constant (s), > 0.
    kind : {"exponential", "alpha"}
        Time course of one event.

    Notes
    -----
    Exponential: :math:`g(t) = g_{max}\\,e^{-(t - t_s)/\\tau_{syn}}`;
    alpha: :math:`g(t) = g_{max}\\,\\frac{t - t_s}{\\tau_{syn}}\\,e^{1 - (t - t_s)/\\tau_{syn}}`
    (peak ``g_max`` at ``tau_syn`` after the spike), for :math:`t \\ge t_s`;
    events add linearly.
    """

    spike_times: Any
    g_max: float
    tau_syn: float
    kind: str = "exponential"

    def __post_init__(self) -> None:
        check_finite("g_max", self.g_max)
        check_range("g_max", self.g_max, low=0.0, unit="S")
        check_finite("tau_syn", self.tau_syn)
        check_range("tau_syn", self.tau_syn, low=0.0, low_open=True, unit="s")
        if self.kind not in ("exponential", "alpha"):
            raise ValueError(
                f"kind = {self.kind!r} is not known (allowed: 'exponential' or 'alpha')"
            )
        spikes = np.asarray(self.spike_times, dtype=float).ravel()
        check_finite("spike_times", spikes)
        object.__setattr__(self, "spike_times", np.sort(spikes))
        object.__setattr__(self, "g_max", float(self.g_max))
        object.__setattr__(self, "tau_syn", float(self.tau_syn))

    def step_means(self, duration: float, dt: float) -> np.ndarray:
        """The conductance's exact mean over each simulation step (S), shape ``(n_steps,)``."""
        return self.on_grid(duration, dt).means

    def on_grid(self, duration: float, dt: float) -> KernelGrid:
        """The conductance on a simulation grid, with what the engine needs inside a step."""
        return KernelGrid(self, duration, dt)


class KernelGrid:
    """A :class:`SynapticConductance` on the grid of one simulation (used by the engine).

    Holds the step means and, at every grid point ``t_k``, the kernel sums over
    the events before it, :math:`A_k = \\sum e^{-s}` and (alpha)
    :math:`B_k = \\sum s\\,e^{-s}`, :math:`s = (t_k - t_s)/\\tau_{syn}`. They
    follow the exact recursion :math:`A_{k+1} = \\rho A_k + \\sum_{\\rm step\\ k} e^{-d}`,
    :math:`B_{k+1} = \\rho (B_k + \\eta A_k) + \\sum_{\\rm step\\ k} d\\,e^{-d}`
    (:math:`\\rho = e^{-\\eta}`, :math:`\\eta = dt/\\tau_{syn}`, ``d`` the time from an
    event to the step's end in units of ``tau_syn``), solved in one vectorised
    pass: no event is cut off, and the cost is proportional to the number of
    steps plus the number of events.
    """

    def __init__(self, syn: SynapticConductance, duration: float, dt: float) -> None:
        t, t_stop = _step_ends(duration, dt)
        n_steps = t.size
        tau = syn.tau_syn
        events = syn.spike_times[(syn.spike_times >= 0) & (syn.spike_times < t_stop[-1])]
        k = np.minimum((events / dt).astype(int), n_steps - 1)  # each event's step
        self.syn, self.t, self.events, self.dt = syn, t, events, float(dt)
        #: index of the first event in step k (and later), k = 0 .. n_steps
        self.first = np.searchsorted(k, np.arange(n_steps + 1))
        d = np.clip((t_stop[k] - events) / tau, 0.0, None)
        rho = math.exp(-dt / tau)
        A = np.zeros((1, n_steps))
        A[0, 1:] = np.bincount(k, weights=np.exp(-d), minlength=n_steps)[:-1]
        self.A = _linear_recursion(rho, A)[0]
        if syn.kind == "alpha":
            B = np.zeros((1, n_steps))
            B[0, 1:] = (
                rho * (dt / tau) * self.A[:-1]
                + np.bincount(k, weights=d * np.exp(-d), minlength=n_steps)[:-1]
            )
            self.B = _linear_recursion(rho, B)[0]
        inside = np.bincount(k, weights=self._inside_kernel(d), minlength=n_steps)
        x = (t_stop - t) / tau
        self.means = syn.g_max * self._scale() * (self._carried(self.A, self._B(), x) + inside)
        self.means /= x

    def _scale(self) -> float:
        return math.e if self.syn.kind == "alpha" else 1.0

    def _B(self) -> np.ndarray | None:
        return self.B if self.syn.kind == "alpha" else None

    def _inside_kernel(self, y: np.ndarray) -> np.ndarray:
        """Integral of one event's kernel over its first ``y`` time constants."""
        if self.syn.kind == "exponential":
            return -np.expm1(-y)
        return -np.expm1(-y) - y * np.exp(-y)  # 1 - (1 + y) e^-y

    def _carried(self, A, B, x) -> np.ndarray:
        """Integral over ``x`` time constants from a grid point of the events before it."""
        decay = -np.expm1(-x)
        if B is None:
            return A * decay
        return B * decay + A * (decay - x * np.exp(-x))

    def integral(self, k: np.ndarray, t: np.ndarray) -> np.ndarray:
        """``∫ g dt`` (S s) from ``t_k`` to each ``t`` (shape ``(len(k), q)``, within step k)."""
        tau = self.syn.tau_syn
        x = (t - self.t[k][:, None]) / tau
        B = self.B[k][:, None] if self.syn.kind == "alpha" else None
        total = self._carried(self.A[k][:, None], B, x)
        lo, count = self.first[k], self.first[k + 1] - self.first[k]
        width = int(count.max()) if count.size else 0
        if width:
            j = np.arange(width)
            idx = np.minimum(lo[:, None] + j, self.events.size - 1)
            ev = np.where(j < count[:, None], self.events[idx], np.inf)  # (r, width)
            y = (t[:, :, None] - ev[:, None, :]) / tau
            after = y > 0
            total = total + np.where(after, self._inside_kernel(np.where(after, y, 0.0)), 0.0).sum(
                axis=-1
            )
        return self.syn.g_max * self._scale() * tau * total


def synaptic_conductance(
    spike_times: Any,
    g_max: float,
    tau_syn: float,
    duration: float,
    dt: float,
    kind: str = "exponential",
) -> np.ndarray:
    """Conductance (S) produced by presynaptic spikes: its exact mean over each time step.

    Parameters
    ----------
    spike_times : array_like
        Presynaptic spike times (s); those outside ``[0, duration)`` are ignored.
    g_max : float
        Peak conductance of one event (S), >= 0.
    tau_syn : float
        Synaptic time constant (s), > 0.
    duration, dt : float
        Simulated time and time step (s).
    kind : {"exponential", "alpha"}
        Time course of one event (see :class:`SynapticConductance`).

    Returns
    -------
    ndarray
        The mean of ``g(t)`` over each step ``[t_k, t_k + dt)`` (S): the kernel
        integrated exactly, each event counting from its exact time inside its
        step; events add linearly.

    Notes
    -----
    With these step means, the engine (which integrates a step's input exactly
    as if it were constant) is second-order accurate in ``dt`` at the grid
    points: each step's charge and conductance are exact, what remains is
    their timing inside the step. A threshold crossing inside a step is located
    as if the step's input were constant; for spike times exact to well under
    a microsecond, pass :class:`SynapticConductance` itself to ``simulate``.
    (Before issue 15 this returned ``g`` at the start of each step, an event
    acting from the next grid point: first order.)
    """
    return SynapticConductance(spike_times, g_max, tau_syn, kind).step_means(duration, dt)
