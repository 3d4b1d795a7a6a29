"""Exact, vectorised simulation of leaky integrate-and-fire neurons.

Between spikes the LIF is linear. For input that is constant within a time
step (current ``I`` and conductances ``g``), the membrane potential over the
step is an exact exponential relaxation towards the step's steady state
``V_inf`` with the step's effective time constant ``tau_eff``. This module
integrates with that exact propagator, finds threshold crossings *inside* a
step by inverting the exponential, and ends the refractory period at exactly
``t_spike + t_ref``, integrating only the remainder of that step. Spike times
are therefore not snapped to the grid, and simulated firing rates agree with
the closed-form theory to round-off. Synaptic conductances given as presynaptic
events (:class:`~lif_core.stimulus.SynapticConductance`) enter every step with
their exact mean, and are integrated on sub-steps inside the steps where a
neuron crosses threshold or leaves refractoriness.

Speed comes from advancing many steps per numpy call: the step recursion
``V[k+1] = a[k] V[k] + b[k]`` is solved over a block of K steps with cumulative
sums, for every neuron at once; crossings are then located per block and only
the neurons that spiked are restarted after their refractory period.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from typing import Any

import numpy as np

from lif_core._grid import _end_time, _n_steps
from lif_core._validate import check_finite, check_range
from lif_core.params import LIFParams
from lif_core.stimulus import KernelGrid, SynapticConductance

__all__ = ["FICurve", "NumericalInstabilityWarning", "SimulationResult", "fi_curve", "simulate"]

#: Sub-steps per step where the engine integrates exact conductances inside a step
#: (a threshold crossing, the end of a refractory period).
_SUBSTEPS = 16

#: The largest decay ``sum(dt / tau_eff)`` allowed within one block. Keeps the
#: cumulative propagator ``P = exp(-sum dt/tau_eff)`` far from under/overflow.
_MAX_BLOCK_DECAY = 200.0


@dataclass(frozen=True)
class SimulationResult:
    """What :func:`simulate` returns (SI units, leading axis = neuron).

    Attributes
    ----------
    t : ndarray, shape (n_steps,)
        Time grid (s), ``t[k] = k * dt``.
    V : ndarray, shape (n_neurons, n_steps)
        Membrane potential at the grid times (V).
    spike_times : tuple of ndarray
        One array of spike times (s) per neuron; not snapped to the grid.
    refractory : ndarray of bool, shape (n_neurons, n_steps)
        True where the neuron is held at ``V_reset``.
    I : ndarray, shape (n_neurons, n_steps)
        Injected current (A), value on ``[t[k], t[k] + dt)`` (the last step ends
        at ``duration``).
    g_syn : tuple of ndarray
        Synaptic conductances (S), one ``(n_neurons, n_steps)`` array each.
    E_syn : tuple of float
        Reversal potential of each synapse (V).
    params : LIFParams
        The neuron parameters used.
    dt : float
        Time step (s).
    method : str
        ``"exact"`` or ``"euler"``.
    duration : float
        Simulated time (s), the end of the last step: ``n_steps * dt``, or
        less when the requested duration is not a multiple of ``dt`` (the last
        step is then shorter than ``dt``).

    Notes
    -----
    Current balance: :math:`I + \\sum_i I_{syn,i} = I_R + I_C` with
    :math:`I_R = (V - E_L)/R`, :math:`I_C = C\\,dV/dt` and
    :math:`I_{syn,i} = -g_i (V - E_{syn,i})`, at every grid time outside
    refractoriness (while clamped, :math:`dV/dt = 0` and the clamp takes the rest).
    """

    t: np.ndarray
    V: np.ndarray
    spike_times: tuple[np.ndarray, ...]
    refractory: np.ndarray
    I: np.ndarray
    g_syn: tuple[np.ndarray, ...]
    E_syn: tuple[float, ...]
    params: LIFParams
    dt: float
    method: str
    duration: float

    @property
    def n_neurons(self) -> int:
        """Number of simulated neurons."""
        return self.V.shape[0]

    def _column(self, name: str) -> np.ndarray:
        return np.asarray(getattr(self.params, name), dtype=float).reshape(-1, 1)

    @property
    def I_R(self) -> np.ndarray:
        """Leak (resistor) current ``(V - E_L) / R`` (A), shape like ``V``."""
        return (self.V - self._column("E_L")) / self._column("R")

    @property
    def I_syn(self) -> tuple[np.ndarray, ...]:
        """Synaptic currents ``-g (V - E_syn)`` (A), one array per synapse."""
        return tuple(-g * (self.V - E) for g, E in zip(self.g_syn, self.E_syn, strict=True))

    @property
    def I_C(self) -> np.ndarray:
        """Capacitive current ``C dV/dt`` (A); zero while refractory (V is clamped)."""
        total = self.I - self.I_R
        for current in self.I_syn:
            total = total + current
        return np.where(self.refractory, 0.0, total)

    def rates(self) -> np.ndarray:
        """Firing rate per neuron (Hz) as the inverse mean inter-spike interval.

        Zero for a neuron with fewer than two spikes. See :func:`fi_curve`.
        """
        return np.array([_rate_from_spikes(s) for s in self.spike_times])


@dataclass(frozen=True)
class FICurve:
    """A simulated f–I curve.

    Attributes
    ----------
    I : ndarray
        The constant currents (A).
    rate : ndarray
        Steady-state firing rate at each current (Hz): inverse mean inter-spike interval.
    n_spikes : ndarray of int
        Number of spikes counted at each current.
    duration : float
        Simulated time per current (s).
    """

    I: np.ndarray
    rate: np.ndarray
    n_spikes: np.ndarray
    duration: float


def _default_V0(p: dict[str, np.ndarray]) -> np.ndarray:
    """Start at rest, or at the reset if rest is not below threshold (it fires at once)."""
    return np.where(p["E_L"] < p["V_th"], p["E_L"], p["V_reset"])


def _rate_from_spikes(spikes: np.ndarray) -> float:
    if len(spikes) < 2:
        return 0.0
    return (len(spikes) - 1) / (spikes[-1] - spikes[0])


# --------------------------------------------------------------------------
# input handling
# --------------------------------------------------------------------------


def _as_input(name: str, value: Any, n_steps: int) -> np.ndarray:
    """Shape an input as ``(n_neurons or 1, n_steps or 1)`` and check it."""
    check_finite(name, value)
    arr = np.asarray(value, dtype=float)
    if arr.ndim == 0:
        return arr.reshape(1, 1)
    if arr.ndim == 1:
        if arr.shape[0] != n_steps:
            raise ValueError(
                f"{name} has {arr.shape[0]} values but the simulation has {n_steps} time steps "
                f"(duration / dt); give one value per step, or shape (n_neurons, 1) for one "
                f"constant per neuron"
            )
        return arr.reshape(1, n_steps)
    if arr.ndim == 2 and arr.shape[1] in (1, n_steps):
        return arr
    raise ValueError(
        f"{name} has shape {arr.shape}; allowed: a number, ({n_steps},), (n_neurons, 1) "
        f"or (n_neurons, {n_steps})"
    )


def _synapses(
    g_syn: Any, E_syn: Any, n_steps: int, duration: float, dt: float
) -> tuple[list[np.ndarray], list[float], dict[int, KernelGrid]]:
    """Normalise one or several synapses to lists of conductances and reversal potentials.

    A :class:`~lif_core.stimulus.SynapticConductance` becomes its step means
    (shape ``(1, n_steps)``); its kernel on the grid is returned as well, by
    synapse index, for the sub-step integration inside a step.
    """
    many = isinstance(g_syn, (list, tuple))
    g_list = list(g_syn) if many else [g_syn]
    if isinstance(E_syn, (list, tuple)):
        E_list = list(E_syn)
    else:
        E_list = [E_syn]
    if many and not g_list and not E_list:
        return [], [], {}
    if len(g_list) != len(E_list):
        raise ValueError(
            f"g_syn has {len(g_list)} synapses but E_syn has {len(E_list)} reversal potentials "
            f"(give one E_syn per conductance)"
        )
    gs, Es, exact = [], [], {}
    for i, (g, E) in enumerate(zip(g_list, E_list, strict=True)):
        label = "g_syn" if len(g_list) == 1 else f"g_syn[{i}]"
        if isinstance(g, SynapticConductance):
            exact[i] = g.on_grid(duration, dt)
            garr = exact[i].means.reshape(1, n_steps)
        else:
            garr = _as_input(label, g, n_steps)
            check_range(label, garr, low=0.0, unit="S")
        check_finite("E_syn", E)
        if np.ndim(E) != 0:
            raise ValueError(f"E_syn must be one number per synapse, got shape {np.shape(E)}")
        gs.append(garr)
        Es.append(float(E))
    return gs, Es, exact


# --------------------------------------------------------------------------
# public API
# --------------------------------------------------------------------------


def simulate(
    params: LIFParams,
    I: Any = 0.0,
    g_syn: Any = (),
    E_syn: Any = (),
    *,
    duration: float = 1.0,
    dt: float = 1e-4,
    V0: Any = None,
    method: str = "exact",
    spiking: bool = True,
) -> SimulationResult:
    """Simulate one or many LIF neurons driven by currents and conductances.

    Parameters
    ----------
    params : LIFParams
        Neuron parameters; array-valued fields give one neuron each.
    I : float or ndarray
        Injected current (A): a number, one value per time step ``(n_steps,)``,
        one constant per neuron ``(n_neurons, 1)``, or ``(n_neurons, n_steps)``.
    g_syn : float, ndarray, SynapticConductance, or sequence of them
        Synaptic conductance(s) (S), >= 0: an array shaped like ``I`` (constant
        within each step, e.g. the step means from
        :func:`~lif_core.stimulus.synaptic_conductance`), or a
        :class:`~lif_core.stimulus.SynapticConductance` (presynaptic events,
        one trace shared by all neurons), whose events act at their exact
        times (see Notes). Several synapses are given as a list, with a list of
        the same length for ``E_syn``.
    E_syn : float or sequence of float
        Reversal potential of each synapse (V).
    duration : float
        Simulated time (s), > 0. If it is not a multiple of ``dt`` (beyond
        round-off, relative 1e-9), the last step is shorter and ends exactly
        at ``duration``; there are ``ceil(duration / dt)`` steps.
    dt : float
        Time step (s), 0 < dt <= duration. Inputs are constant within a step.
    V0 : float or ndarray, optional
        Initial membrane potential (V); default ``E_L`` (``V_reset`` for a
        neuron whose rest is at or above threshold). Must be below ``V_th``
        when spiking.
    method : {"exact", "euler"}
        ``"exact"``: exponential propagator, in-step threshold crossings, exact
        end of refractoriness. ``"euler"``: forward Euler with spikes and
        refractoriness on the grid, kept only as a teaching comparison.
    spiking : bool
        If False, there is no threshold: a passive RC membrane.

    Returns
    -------
    SimulationResult
        Time grid, potential, spike times, refractory mask and inputs; current
        components as properties.

    Raises
    ------
    ValueError
        For invalid arguments, naming the argument, its value and the allowed range.

    Notes
    -----
    .. math:: C \\frac{dV}{dt} = -\\frac{V - E_L}{R} - \\sum_i g_i(t)\\,(V - E_{syn,i}) + I(t)

    With ``I`` and ``g`` constant over a step this is
    :math:`\\tau_{eff}\\,dV/dt = -(V - V_\\infty)` with
    :math:`\\tau_{eff} = C/(1/R + \\sum g_i)` and
    :math:`V_\\infty = \\tau_{eff}(E_L/R + \\sum g_i E_{syn,i} + I)/C`, solved exactly:
    :math:`V(t) = V_\\infty + (V(t_k) - V_\\infty)\\,e^{-(t - t_k)/\\tau_{eff}}`.
    A crossing of ``V_th`` inside the step happens at
    :math:`t_k + \\tau_{eff}\\ln\\frac{V(t_k) - V_\\infty}{V_{th} - V_\\infty}`.

    A conductance array is taken as constant within each step, which is exact
    for step-constant input and second order in ``dt`` for the step means of a
    synaptic conductance. A :class:`~lif_core.stimulus.SynapticConductance`
    enters the grid with its exact step means as well, and in the steps where
    a neuron crosses threshold or leaves refractoriness, the engine integrates
    ``_SUBSTEPS`` = 16 sub-steps, each with the exact mean conductance over it:
    spike times then agree with a 1 µs reference to under a microsecond at
    dt = 0.1 ms (``benchmarks/synaptic_accuracy.py``).

    ``method="euler"`` warns (:class:`NumericalInstabilityWarning`) when
    ``dt > 2 tau_eff`` somewhere: forward Euler then diverges, and is run as asked.

    Examples
    --------
    >>> from lif_core import LIFParams, simulate
    >>> res = simulate(LIFParams(), I=2e-9, duration=0.2)
    >>> len(res.spike_times[0]) > 0
    True
    """
    if not isinstance(params, LIFParams):
        raise ValueError(f"params must be a LIFParams, got {type(params).__name__}")
    if method not in ("exact", "euler"):
        raise ValueError(f"method = {method!r} is not known (allowed: 'exact' or 'euler')")
    n_steps = _n_steps(duration, dt)
    I_arr = _as_input("I", I, n_steps)
    gs, Es, exact = _synapses(g_syn, E_syn, n_steps, duration, dt)

    shapes = [I_arr.shape[0], *(g.shape[0] for g in gs), params.n_neurons]
    if V0 is not None:
        check_finite("V0", V0)
        if np.ndim(V0) > 1:
            raise ValueError(
                f"V0 must be a number or one value per neuron, got shape {np.shape(V0)}"
            )
        shapes.append(np.size(V0))
    sizes = set(shapes) - {1}
    if len(sizes) > 1:
        raise ValueError(
            f"inputs and parameters disagree on the number of neurons: {sorted(sizes)}"
        )
    n = sizes.pop() if sizes else 1
    p = params.as_arrays(n)
    if V0 is None:
        V0_arr = _default_V0(p) if spiking else p["E_L"].copy()
    else:
        V0_arr = np.broadcast_to(np.asarray(V0, float), (n,)).copy()
    V_th = p["V_th"] if spiking else np.full(n, np.inf)
    if spiking and np.any(V0_arr >= V_th):
        bad = float(V0_arr[V0_arr >= V_th][0])
        raise ValueError(f"V0 = {bad!r} V must be below V_th (allowed: V0 < V_th when spiking)")

    drive = _Drive(p, I_arr, gs, Es, exact)
    integrate = _integrate_exact if method == "exact" else _integrate_euler
    t_end = _end_time(duration, dt, n_steps)
    V, refr, spikes = integrate(drive, V_th, p["V_reset"], p["t_ref"], V0_arr, dt, n_steps, t_end)

    full = (n, n_steps)
    return SimulationResult(
        t=np.arange(n_steps) * dt,
        V=V,
        spike_times=spikes,
        refractory=refr,
        I=np.broadcast_to(I_arr, full),
        g_syn=tuple(np.broadcast_to(g, full) for g in gs),
        E_syn=tuple(Es),
        params=params,
        dt=float(dt),
        method=method,
        duration=t_end,
    )


def fi_curve(
    params: LIFParams,
    I: Any,
    *,
    duration: float = 1.0,
    dt: float = 1e-4,
    g_syn: Any = 0.0,
    E_syn: Any = 0.0,
) -> FICurve:
    """Simulated firing rate for many constant currents, in one vectorised pass.

    Parameters
    ----------
    params : LIFParams
        Neuron parameters (scalar fields).
    I : array_like
        Constant currents (A), one neuron each.
    duration : float
        Simulated time per current (s).
    dt : float
        Time step (s).
    g_syn : float or array_like
        Optional constant synaptic conductance (S), >= 0, e.g. a tonic
        inhibition: one number for all currents, or one per current (shape like ``I``).
    E_syn : float or array_like
        Its reversal potential (V): one number, or one per current (shape like ``I``).

    Returns
    -------
    FICurve
        Currents, rates (Hz) and spike counts.

    Notes
    -----
    The rate is the inverse of the mean inter-spike interval,
    :math:`f = (n - 1)/(t_n - t_1)`, which is the steady-state rate
    :math:`1/(t_{ref} + T)` of the theory. A spike count divided by the
    duration would be off by up to ``1/duration`` and would include the
    start-up transient (the first spike starts from ``E_L``, not from
    ``V_reset``). Rates below about ``1/duration`` cannot be measured: a
    current with fewer than two spikes gets rate 0.
    """
    I_arr = np.atleast_1d(np.asarray(I, dtype=float))
    if I_arr.ndim != 1:
        raise ValueError(f"I must be a 1-D array of currents, got shape {I_arr.shape}")
    res = _fi_simulate(params, I_arr, duration, dt, g_syn, E_syn)
    rates = np.array([_rate_from_spikes(s) for s in res])
    counts = np.array([len(s) for s in res])
    return FICurve(I=I_arr, rate=rates, n_spikes=counts, duration=float(duration))


def _fi_simulate(params, I_arr, duration, dt, g_syn, E_syn) -> tuple[np.ndarray, ...]:
    n_steps = _n_steps(duration, dt)
    check_finite("I", I_arr)
    n = I_arr.size
    g = _per_current("g_syn", g_syn, n)
    check_range("g_syn", g, low=0.0, unit="S")
    E = _per_current("E_syn", E_syn, n)
    p = params.as_arrays(n)
    gs, Es = ([g], [E]) if np.any(g) else ([], [])
    drive = _Drive(p, I_arr[:, None], gs, Es)
    t_end = _end_time(duration, dt, n_steps)
    *_, spikes = _integrate_exact(
        drive, p["V_th"], p["V_reset"], p["t_ref"], _default_V0(p), dt, n_steps, t_end, False
    )
    return spikes


def _per_current(name: str, value: Any, n: int) -> np.ndarray:
    """A number, or one value per current (shape like ``I``), as a column ``(1 or n, 1)``."""
    check_finite(name, value)
    arr = np.asarray(value, dtype=float)
    if arr.ndim == 0:
        return arr.reshape(1, 1)
    if arr.shape != (n,):
        raise ValueError(
            f"{name} has shape {arr.shape}; allowed: a number, or one value per current, "
            f"shape ({n},) like I"
        )
    return arr.reshape(n, 1)


# --------------------------------------------------------------------------
# integrators
# --------------------------------------------------------------------------


class _Drive:
    """The inputs of a simulation as per-step steady state and time constant.

    With ``I`` and conductances ``g_i`` constant over a step, the membrane
    relaxes towards ``V_inf = (E_L/R + sum g_i E_i + I) / (1/R + sum g_i)`` with
    ``tau = C / (1/R + sum g_i)``. Computed per chunk of steps, on demand.
    """

    def __init__(
        self,
        p: dict[str, np.ndarray],
        I: np.ndarray,
        gs: list,
        Es: list,
        exact: dict[int, KernelGrid] | None = None,
    ) -> None:
        self.p, self.I, self.gs, self.Es = p, I, gs, Es
        self.exact = exact or {}
        self.constant = all(x.shape[1] == 1 for x in (I, *gs))
        self.n_steps = max(x.shape[1] for x in (I, *gs))

    def max_decay(self, dt: float) -> float:
        """An upper bound of ``dt / tau`` over all steps and neurons."""
        g_max = 1.0 / self.p["R"] + sum(float(np.max(g)) for g in self.gs)
        return float(np.max(dt * g_max / self.p["C"]))

    def at(self, s0: int, s1: int) -> tuple[np.ndarray, np.ndarray]:
        """``V_inf`` and ``tau`` for steps ``s0 .. s1 - 1``, shape ``(n or 1, steps or 1)``."""

        def cut(x: np.ndarray) -> np.ndarray:
            return x if x.shape[1] == 1 else x[:, s0:s1]

        R, C, E_L = (self.p[k][:, None] for k in ("R", "C", "E_L"))
        if not self.gs:
            return E_L + R * cut(self.I), R * C
        g_total = 1.0 / R
        drive = E_L / R + cut(self.I)
        for g, E in zip(self.gs, self.Es, strict=True):
            g = cut(g)
            g_total = g_total + g
            drive = drive + g * E
        return drive / g_total, C / g_total

    def substeps(self, i, k, t_lo, t_hi, v, V_th) -> tuple[np.ndarray, np.ndarray]:
        """Integrate neurons ``i`` from ``v`` at ``t_lo`` to ``t_hi`` (in step ``k``) on sub-steps.

        Used only with exact conductances (:class:`~lif_core.stimulus.SynapticConductance`):
        ``[t_lo, t_hi]`` is cut into ``_SUBSTEPS`` equal sub-steps, each with the
        exact mean conductance over it (the other inputs are constant within the
        step), and integrated exactly. Returns the first threshold crossing (NaN
        if none) and the potential at ``t_hi``.
        """
        k = np.minimum(k, self.n_steps - 1)  # padding after the last step repeats it

        def at(x: np.ndarray) -> np.ndarray:
            rows = i if x.shape[0] > 1 else np.zeros_like(i)
            return x[rows, k if x.shape[1] > 1 else 0][:, None]

        grid = t_lo[:, None] + (t_hi - t_lo)[:, None] * (np.arange(_SUBSTEPS + 1) / _SUBSTEPS)
        h = np.diff(grid, axis=1)
        R, C, E_L = (self.p[name][i][:, None] for name in ("R", "C", "E_L"))
        g_total = 1.0 / R
        drive = E_L / R + at(self.I)
        with np.errstate(invalid="ignore", divide="ignore"):  # h = 0: a remainder of length 0
            for j, (g, E) in enumerate(zip(self.gs, self.Es, strict=True)):
                if j in self.exact:
                    g = np.diff(self.exact[j].integral(k, grid), axis=1) / h
                    g[~np.isfinite(g)] = 0.0
                else:
                    g = at(g)
                g_total = g_total + g
                drive = drive + g * E
        V_inf, tau = drive / g_total, C / g_total
        V = np.empty(grid.shape)
        V[:, 0] = v
        log_P = np.cumsum(-h / tau, axis=1)  # propagator from t_lo to each sub-step end
        if log_P[:, -1].min() > -_MAX_BLOCK_DECAY:  # V = P (v + cumsum((1 - a) V_inf / P))
            P = np.exp(log_P)
            np.cumsum(-np.expm1(-h / tau) * V_inf / P, axis=1, out=V[:, 1:])
            V[:, 1:] += V[:, :1]
            V[:, 1:] *= P
        else:  # a very short tau_eff: one sub-step after the other
            a = np.exp(-h / tau)
            for j in range(_SUBSTEPS):
                V[:, j + 1] = V_inf[:, j] + (V[:, j] - V_inf[:, j]) * a[:, j]
        crossed = (V[:, 1:] >= V_th[:, None]) & (V_inf > V_th[:, None])
        j = crossed.argmax(axis=1)
        rows = np.arange(j.size)
        has = crossed[rows, j]
        t_cross = np.full(j.size, np.nan)
        if has.any():
            r, jr = rows[has], j[has]
            vi, vs = V_inf[r, jr], V[r, jr]
            below = vs < V_th[has]  # else the sub-step starts at threshold: cross there
            ratio = np.where(below, (vs - vi) / np.where(below, V_th[has] - vi, 1.0), 1.0)
            frac = tau[r, jr] * np.log(ratio)
            t_cross[has] = grid[r, jr] + np.clip(frac, 0.0, h[r, jr])
        return t_cross, V[:, -1]


def _block_size(decay: float, n: int, n_steps: int, constant: bool = False) -> int:
    """Steps per block: long for few neurons or constant input (fewer Python rounds).

    Bounded so that the decay over a block stays within ``_MAX_BLOCK_DECAY``.
    """
    k_max = 2048 if n <= 4 else 1024 if constant else 256
    by_decay = int(_MAX_BLOCK_DECAY / decay)
    return int(max(1, min(k_max, by_decay, n_steps)))


def _block_propagators(V_inf, tau, n, n_blocks, K, n_steps, dt):
    """Per-block response ``V[j] = Q[j] + P[j] * V[0]`` for every grid j = 0..K of a block.

    ``P[..., j]`` is the product of the one-step propagators from the block
    start to grid j and ``Q[..., j]`` the response from zero. A constant time
    constant gives ``P = a**j`` shared by all blocks (size-1 block axis), and a
    constant input the closed form ``Q = V_inf (1 - P)``; otherwise the
    recursion ``V[j+1] = a[j] V[j] + (1 - a[j]) V_inf[j]`` is summed with a
    cumulative sum, ``Q = P * cumsum((1 - a) V_inf / P)``. Also returns
    ``V_inf`` and ``tau`` shaped ``(n, blocks or 1, K or 1)``.
    """
    padded = n_blocks * K

    def blocks(x: np.ndarray) -> np.ndarray:
        x = np.broadcast_to(x, (n, x.shape[1]))
        if x.shape[1] == 1:
            return x[:, :, None]  # (n, 1, 1): the same in every block and step
        if padded > n_steps:
            x = np.concatenate([x, np.repeat(x[:, -1:], padded - n_steps, axis=1)], axis=1)
        return x.reshape(n, n_blocks, K)

    Vinf_b, tau_b = blocks(V_inf), blocks(tau)
    log_a = -dt / tau_b  # log of the one-step propagator a = exp(-dt / tau)
    if tau_b.shape[2] == 1:  # constant time constant: P is a power series
        P = np.exp(log_a * np.arange(K + 1))  # (n, 1, K+1)
        if Vinf_b.shape[2] == 1:  # constant input too: closed form
            return P, Vinf_b * (1.0 - P), Vinf_b, tau_b
    else:
        P = np.empty((n, n_blocks, K + 1))
        P[:, :, 0] = 1.0
        np.exp(np.cumsum(log_a, axis=-1), out=P[:, :, 1:])
    P_steps = P[:, :, 1:]
    Q = np.empty((n, n_blocks, K + 1))
    Q[:, :, 0] = 0.0
    if K == 1:  # one step per block (a very short tau_eff): no sum, and P may underflow
        Q[:, :, 1] = -np.expm1(log_a[:, :, 0]) * Vinf_b[:, :, 0]
        return P, Q, Vinf_b, tau_b
    np.cumsum(-np.expm1(log_a) / P_steps * Vinf_b, axis=-1, out=Q[:, :, 1:])
    Q[:, :, 1:] *= P_steps
    return P, Q, Vinf_b, tau_b


def _integrate_exact(
    drive: _Drive,
    V_th: np.ndarray,
    V_reset: np.ndarray,
    t_ref: np.ndarray,
    V0: np.ndarray,
    dt: float,
    n_steps: int,
    t_end: float,
    record: bool = True,
) -> tuple[np.ndarray | None, np.ndarray | None, tuple[np.ndarray, ...]]:
    """Exact integration of ``dV/dt = -(V - V_inf[k]) / tau[k]`` with threshold and reset.

    Returns the potential and refractory mask on the grid (or None if not
    ``record``) and the spike times per neuron before ``t_end`` (the end of the
    last step, which may be shorter than ``dt``).

    Within a block of K steps, a free segment that starts at grid m with value
    v is ``V[j] = Q[j] + P[j] * c`` with ``c = (v - Q[m]) / P[m]``. It reaches
    the threshold at the first ``j > m`` with ``c >= H[j] = (V_th - Q[j]) / P[j]``,
    so one comparison per grid point finds the next crossing of every neuron.
    Blocks are processed in chunks small enough to stay in the CPU cache.
    """
    n = len(V0)
    _check_spike_density(drive, V_th, V_reset, t_ref, dt, n_steps)
    K = _block_size(drive.max_decay(dt), n, n_steps, drive.constant)
    n_blocks = -(-n_steps // K)
    per_chunk = max(1, _CHUNK_ELEMENTS // (n * (K + 1)))
    state = _State(V0.astype(float).copy(), np.full(n, -np.inf), V_th, V_reset, t_ref, dt, K)
    if drive.exact:
        state.exact = drive
    V_out = np.empty((n, n_steps)) if record else None
    refr_out = np.empty((n, n_steps), dtype=bool) if record else None
    if drive.constant:
        blocks = _block_propagators(*drive.at(0, 1), n, 1, K, K, dt)
    for c0 in range(0, n_blocks, per_chunk):
        c1 = min(n_blocks, c0 + per_chunk)
        s0, s1 = c0 * K, min(c1 * K, n_steps)
        if not drive.constant:
            blocks = _block_propagators(*drive.at(s0, s1), n, c1 - c0, K, s1 - s0, dt)
        segments = state.run_chunk(blocks, c0, c1, record)
        if record:
            _assemble(
                blocks, segments, n, c1 - c0, K, V_th, V_reset, V_out[:, s0:s1], refr_out[:, s0:s1]
            )
    # the last block may run past the end (padding, or a last step shorter than dt):
    # drop what happened there
    kept = [t < t_end for t in state.spike_t]
    spike_i = [i[m] for i, m in zip(state.spike_i, kept, strict=True)]
    spike_t = [t[m] for t, m in zip(state.spike_t, kept, strict=True)]
    return V_out, refr_out, _split_spikes(n, spike_i, spike_t)


_EMPTY_SEGMENTS = (np.zeros(0, dtype=int), np.zeros(0, dtype=int), np.zeros(0))

#: More spikes than this within one time step is outside what the engine is for.
_MAX_SPIKES_PER_STEP = 10


def _check_spike_density(drive, V_th, V_reset, t_ref, dt, n_steps) -> None:
    """Refuse inputs that would fire more than ``_MAX_SPIKES_PER_STEP`` spikes per step.

    Only possible when ``t_ref`` is shorter than a fraction of ``dt``; the
    shortest inter-spike interval is ``t_ref + tau ln((V_inf - V_reset) / (V_inf - V_th))``
    at the largest steady state and shortest time constant.
    """
    limit = dt / _MAX_SPIKES_PER_STEP
    if np.all(t_ref >= limit):
        return
    V_inf, tau = drive.at(0, n_steps)
    V_max = np.max(np.broadcast_to(V_inf, (len(V_th), V_inf.shape[1])), axis=1)
    tau_min = np.min(np.broadcast_to(tau, (len(V_th), tau.shape[1])), axis=1)
    fires = V_max > V_th
    with np.errstate(divide="ignore", invalid="ignore"):
        T = np.where(fires, tau_min * np.log((V_max - V_reset) / (V_max - V_th)), np.inf)
    isi = t_ref + T
    if np.any(isi < limit):
        worst = float(np.min(isi))
        raise ValueError(
            f"the input drives the neuron to fire every {worst:.3g} s, more than "
            f"{_MAX_SPIKES_PER_STEP} spikes per time step dt = {dt:g} s (allowed: at most "
            f"{_MAX_SPIKES_PER_STEP} per step); lower the input, or use a refractory period "
            f"t_ref >= {limit:g} s"
        )


#: Elements per array in one chunk of blocks (2 MB of float64: stays in the L2/L3 cache).
_CHUNK_ELEMENTS = 256 * 1024


class _State:
    """Per-neuron state carried from block to block, and the spike record."""

    def __init__(self, V_start, ref_end, V_th, V_reset, t_ref, dt, K):
        self.V_start = V_start  # potential at the current block start (if free)
        self.ref_end = ref_end  # absolute time at which refractoriness ends
        self.V_th, self.V_reset, self.t_ref = V_th, V_reset, t_ref
        self.dt, self.K = dt, K
        self.exact: _Drive | None = None  # with exact conductances: sub-steps inside a step
        self.spike_i: list[np.ndarray] = []
        self.spike_t: list[np.ndarray] = []

    def run_chunk(self, blocks, c0: int, c1: int, record: bool):
        """Advance every neuron through blocks ``c0 .. c1 - 1``.

        Returns the segment starts (neuron, grid index within the chunk,
        constant c; NaN for refractory) when ``record``.
        """
        P, Q, Vinf_b, tau_b = blocks
        H = _threshold_constants(P, Q, self.V_th)
        flat = _flat_blocks(Vinf_b, tau_b)
        n, K, dt = len(self.V_start), self.K, self.dt
        V_th, t_ref, ref_end, V_start = self.V_th, self.t_ref, self.ref_end, self.V_start
        cols = np.arange(K + 1)
        all_neurons = np.arange(n)
        seg_i: list[np.ndarray] = []
        seg_k: list[np.ndarray] = []
        seg_c: list[np.ndarray] = []
        t_block = K * dt
        for b in range(c1 - c0):
            t0 = (c0 + b) * t_block
            Pb = P[:, b if P.shape[1] > 1 else 0]
            Qb = Q[:, b if Q.shape[1] > 1 else 0]
            Hb = H[:, b if H.shape[1] > 1 else 0]
            Vb = Vinf_b[:, b if Vinf_b.shape[1] > 1 else 0]
            tb = tau_b[:, b if tau_b.shape[1] > 1 else 0]
            fb = flat[:, b if flat.shape[1] > 1 else 0]
            free0 = ref_end <= t0
            if record:
                seg_i.append(all_neurons)
                seg_k.append(np.full(n, b * K))
                seg_c.append(np.where(free0, V_start, np.nan))
            # active neurons: index, first grid index of their free segment, constant c
            ai = np.flatnonzero(free0)
            am = np.zeros(ai.size, dtype=int)
            ac = V_start[ai]
            pending = np.flatnonzero(~free0 & (ref_end < t0 + t_block))
            while True:
                if pending.size and fb.any():
                    # constant input in this block: the rest of the spike train in closed form
                    regular = fb[pending]
                    ei, ek, ec = self.train(pending[regular], t0, Vb, tb, Pb, Qb, record)
                    if record and ei.size:
                        seg_i.append(ei)
                        seg_k.append(b * K + ek)
                        seg_c.append(ec)
                    pending = pending[~regular]
                if pending.size:
                    ri, rm, rc = self.restart(pending, t0, (c0 + b) * K, Vb, tb, Pb, Qb)
                    if ri.size:
                        if record:
                            seg_i.append(ri)
                            seg_k.append(b * K + rm)
                            seg_c.append(rc)
                        ai = np.concatenate([ai, ri])
                        am = np.concatenate([am, rm])
                        ac = np.concatenate([ac, rc])
                if ai.size and fb.any():
                    # constant input whose steady state is not above threshold: V approaches
                    # it from below and cannot cross in this block. (Skips the round-off
                    # retries of a neuron driven exactly at rheobase, one per grid point.)
                    never = fb[ai] & (Vb[ai, 0] <= V_th[ai])
                    if never.any():
                        qi = ai[never]
                        V_start[qi] = Qb[qi, K] + Pb[qi, K] * ac[never]
                        ai, am, ac = ai[~never], am[~never], ac[~never]
                if ai.size == 0:
                    break
                k, has = _first_crossing(Hb, ai, am, ac, cols, n)
                if not has.all():
                    quiet = ~has
                    qi = ai[quiet]
                    V_start[qi] = Qb[qi, K] + Pb[qi, K] * ac[quiet]
                    if not has.any():
                        break
                    ai, k, ac = ai[has], k[has], ac[has]
                km = k - 1
                v_inf = Vb[ai, km if Vb.shape[1] > 1 else 0]
                spurious = v_inf <= V_th[ai]
                if spurious.any():
                    # round-off put V at threshold in a step whose steady state is not above
                    # it (a neuron driven exactly at rheobase): no spike, search on from k
                    keep = ~spurious
                    retry = (ai[spurious], k[spurious], ac[spurious])
                    ai, k, km, ac, v_inf = ai[keep], k[keep], km[keep], ac[keep], v_inf[keep]
                else:
                    retry = None
                V_prev = Qb[ai, km] + Pb[ai, km] * ac
                tau_k = tb[ai, km if tb.shape[1] > 1 else 0]
                frac = tau_k * np.log((V_prev - v_inf) / (V_th[ai] - v_inf))
                t_spike = t0 + km * dt + np.minimum(np.maximum(frac, 0.0), dt)
                if self.exact is not None:
                    # the conductance varies within the step: find the crossing on
                    # sub-steps (at the step's end if they stay below threshold: the
                    # step's end is then within O(dt^2) of the crossing)
                    t_lo = t0 + km * dt
                    t_cross, _ = self.exact.substeps(
                        ai, (c0 + b) * K + km, t_lo, t_lo + dt, V_prev, V_th[ai]
                    )
                    t_spike = np.where(np.isnan(t_cross), t_lo + dt, t_cross)
                self.spike_i.append(ai)
                self.spike_t.append(t_spike)
                ref_end[ai] = t_spike + t_ref[ai]
                if record:
                    seg_i.append(ai)
                    seg_k.append(b * K + k)
                    seg_c.append(np.full(ai.size, np.nan))
                pending = ai[ref_end[ai] < t0 + t_block]
                if retry is not None:
                    ai, am, ac = retry
                elif pending.size == 0:
                    break
                else:
                    ai, am, ac = ai[:0], am[:0], ac[:0]
        return seg_i, seg_k, seg_c

    def train(self, neurons, t0, Vb, tb, Pb, Qb, record=True):
        """Spikes of neurons whose input is constant over the block, in closed form.

        Each neuron leaves refractoriness at ``ref_end``; with constant input it
        then reaches threshold after ``T = tau ln((V_reset - V_inf)/(V_th - V_inf))``
        and, from then on, every ``t_ref + T``: the same exact solution the block
        search would find, one period at a time, computed for the whole block at
        once. Records the spikes, updates the state at the block end and returns
        the segment starts inside the block (neuron, grid index, c; NaN = refractory).
        """
        K, dt = self.K, self.dt
        t_end = t0 + K * dt
        i = neurons
        V_th, V_reset, t_ref = self.V_th[i], self.V_reset[i], self.t_ref[i]
        v_inf, tau = Vb[i, 0], tb[i, 0]
        first = self.ref_end[i]  # end of the current refractory period
        with np.errstate(divide="ignore", invalid="ignore"):
            T = np.where(v_inf > V_th, tau * np.log((V_reset - v_inf) / (V_th - v_inf)), np.inf)
        period = t_ref + T
        # spikes at first + T + m * period, m = 0, 1, ... before the block ends
        room = t_end - first - T  # -inf for a neuron that never reaches threshold
        count = np.zeros(i.size, dtype=int)
        fires = room > 0
        count[fires] = np.ceil(room[fires] / period[fires])
        rep = np.repeat(np.arange(i.size), count)
        m = np.arange(rep.size) - np.repeat(np.cumsum(count) - count, count)
        ts = first[rep] + T[rep] + m * period[rep]
        inside = ts < t_end  # guard the ceil against round-off
        rep, ts = rep[inside], ts[inside]
        self.spike_i.append(i[rep])
        self.spike_t.append(ts)
        if not record:
            has = np.bincount(rep, minlength=i.size) > 0
            last_spike = np.full(i.size, -np.inf)
            np.maximum.at(last_spike, rep, ts)
            last_end = np.where(has, last_spike + t_ref, first)
            self._finish_block(i, last_end, t_end, v_inf, V_reset, tau)
            return _EMPTY_SEGMENTS
        # refractory periods end at `first` and after every spike; a free segment
        # starts at the grid point after each end, unless the next spike comes first
        ends = np.concatenate([first, ts + t_ref[rep]])
        owner = np.concatenate([np.arange(i.size), rep])
        next_spike = ends + T[owner]
        j = np.floor((ends - t0) / dt).astype(int)
        grid = t0 + (j + 1) * dt
        frees = (ends < t_end) & (next_spike >= grid)
        fo, fj, fe = owner[frees], j[frees] + 1, ends[frees]
        fj = np.minimum(fj, K)
        v = v_inf[fo] + (V_reset[fo] - v_inf[fo]) * np.exp(-(t0 + fj * dt - fe) / tau[fo])
        last_end = np.full(i.size, -np.inf)
        np.maximum.at(last_end, owner, ends)
        self._finish_block(i, last_end, t_end, v_inf, V_reset, tau)
        # segment starts for the output
        k_ref = np.floor((ts - t0) / dt).astype(int) + 1
        inner = fj < K
        fo, fj, v = fo[inner], fj[inner], v[inner]
        c = (v - Qb[i[fo], fj]) / Pb[i[fo], fj]
        # refractory starts first, free starts after them (a free start at the same grid
        # point as a refractory start means the period ended within that step)
        return (
            np.concatenate([i[rep], i[fo]]),
            np.concatenate([k_ref, fj]),
            np.concatenate([np.full(rep.size, np.nan), c]),
        )

    def _finish_block(self, i, last_end, t_end, v_inf, V_reset, tau) -> None:
        """State at the block end after a closed-form train: still refractory, or free."""
        still = last_end >= t_end
        self.ref_end[i] = np.where(still, last_end, -np.inf)
        f = ~still
        V_end = v_inf[f] + (V_reset[f] - v_inf[f]) * np.exp(-(t_end - last_end[f]) / tau[f])
        self.V_start[i[f]] = V_end

    def restart(self, neurons, t0, step0, Vb, tb, Pb, Qb):
        """Free neurons whose refractory period ends inside the current block.

        The period ends at ``ref_end`` inside step ``j``; the remainder of that
        step is integrated exactly from ``V_reset`` (on sub-steps with exact
        conductances, whose mean over the remainder differs from the step's).
        If the threshold is crossed again within the remainder (possible when
        ``t_ref`` < dt), the spike is recorded and the procedure repeats. Neurons
        that become free exactly at the block end get their value in ``V_start``.
        Returns the free segments that start inside the block (neuron, grid
        index, constant c).
        """
        K, dt = self.K, self.dt
        V_th, V_reset, ref_end = self.V_th, self.V_reset, self.ref_end
        out_i, out_m, out_c = [], [], []
        i = neurons
        while i.size:
            rel = ref_end[i] - t0
            j = np.minimum((rel / dt).astype(int), K - 1)
            v_inf = Vb[i, j if Vb.shape[1] > 1 else 0]
            tau_j = tb[i, j if tb.shape[1] > 1 else 0]
            rest = np.maximum((j + 1) * dt - rel, 0.0)
            exact = self.exact is not None
            if exact:
                t_cross, v = self.exact.substeps(
                    i, step0 + j, ref_end[i], t0 + (j + 1) * dt, V_reset[i], V_th[i]
                )
                again = ~np.isnan(t_cross)
            else:
                v = v_inf + (V_reset[i] - v_inf) * np.exp(-rest / tau_j)
                again = (v >= V_th[i]) & (v_inf > V_th[i])
            ok = ~again
            fi, fj, fv = i[ok], j[ok] + 1, v[ok]
            ref_end[fi] = -np.inf
            at_end = fj == K
            if at_end.any():
                self.V_start[fi[at_end]] = fv[at_end]
                inner = ~at_end
                fi, fj, fv = fi[inner], fj[inner], fv[inner]
            out_i.append(fi)
            out_m.append(fj)
            out_c.append((fv - Qb[fi, fj]) / Pb[fi, fj])
            if not again.any():
                break
            si = i[again]
            if exact:
                ts = t_cross[again]
            else:
                va = v_inf[again]
                frac = tau_j[again] * np.log((V_reset[si] - va) / (V_th[si] - va))
                ts = ref_end[si] + np.minimum(np.maximum(frac, 0.0), rest[again])
            self.spike_i.append(si)
            self.spike_t.append(ts)
            ref_end[si] = ts + self.t_ref[si]
            i = si[ref_end[si] < t0 + K * dt]
        if len(out_i) == 1:
            return out_i[0], out_m[0], out_c[0]
        return np.concatenate(out_i), np.concatenate(out_m), np.concatenate(out_c)


def _first_crossing(Hb, ai, am, ac, cols, n):
    """First grid index after ``am`` where each active neuron's ``c >= H``.

    Returns the index and whether there is one. With most neurons active, one
    comparison over the whole block array (inactive rows get ``c = -inf``)
    is cheaper than gathering the active rows. Grid points at or before a
    segment's start are excluded only for the few rows whose first hit lies there.
    """
    if 2 * ai.size > n:
        c_full = np.full(n, -np.inf)
        c_full[ai] = ac
        crossed = Hb <= c_full[:, None]
        m = np.zeros(n, dtype=int)
        m[ai] = am
    else:
        crossed = Hb[ai] <= ac[:, None]
        m = am
    rows = np.arange(crossed.shape[0])
    k = crossed.argmax(axis=1)
    has = crossed[rows, k]
    early = has & (k <= m)  # a hit before the segment started: look again after it
    if early.any():
        sub = crossed[early] & (cols > m[early, None])
        k_sub = sub.argmax(axis=1)
        k[early] = k_sub
        has[early] = sub[np.arange(k_sub.size), k_sub]
    if 2 * ai.size > n:
        return k[ai], has[ai]
    return k, has


def _flat_blocks(Vinf_b: np.ndarray, tau_b: np.ndarray) -> np.ndarray:
    """``(n, blocks)`` booleans: True where a neuron's input is constant over a block."""
    flat = np.ones(Vinf_b.shape[:2], dtype=bool)
    for x in (Vinf_b, tau_b):
        if x.shape[2] > 1:
            # cheap first look (three samples per block), full check only if needed
            x_flat = (x[:, :, 0] == x[:, :, -1]) & (x[:, :, 0] == x[:, :, x.shape[2] // 2])
            if x_flat.any():
                x_flat &= x.min(axis=-1) == x.max(axis=-1)
            flat = flat & x_flat if flat.shape == x_flat.shape else flat[:, :1] & x_flat
    return flat


def _threshold_constants(P, Q, V_th) -> np.ndarray:
    """``H = (V_th - Q) / P``: a segment with constant c is at threshold where c >= H.

    Column 0 is ``inf``: a segment starts below threshold, so it cannot cross
    at its first grid point. Where one step's decay ``dt / tau`` exceeds ~745
    (a conductance of ~10 mS and more), ``P`` underflows to 0 and ``V = Q``
    whatever ``c``: then ``H`` is ``-inf`` (at or above threshold) or ``+inf``.
    """
    H = np.subtract(V_th[:, None, None], Q)
    with np.errstate(divide="ignore", invalid="ignore"):  # P == 0: H = +-inf, intended
        H /= P
    H[np.isnan(H)] = -np.inf  # 0 / 0: V = Q = V_th, at threshold
    H[:, :, 0] = np.inf
    return H


def _assemble(blocks, segments, n, n_blocks, K, V_th, V_reset, V_out, refr_out) -> None:
    """Write the potential and refractory mask of a chunk from its segment starts.

    Segments are sorted by neuron and grid index (a later entry at the same
    grid point wins: free after a refractory period that ended within the
    step); each constant is repeated over its segment, then ``V = Q + P * c``,
    and ``V_reset`` where refractory (c is NaN).
    """
    P, Q, _, _ = blocks
    seg_i, seg_k, seg_c = segments
    width = n_blocks * K
    i = np.concatenate(seg_i)
    k = np.concatenate(seg_k)
    key = i * (width + 1) + k
    order = np.argsort(key, kind="stable")
    key, i, k = key[order], i[order], k[order]
    c = np.concatenate(seg_c)[order]
    last = np.append(key[1:] != key[:-1], True)
    i, k, c = i[last], k[last], c[last]
    stop = np.append(k[1:], width)
    stop[np.append(i[1:] != i[:-1], True)] = width  # each neuron's last segment ends the chunk
    V = np.repeat(c, stop - k).reshape(n, n_blocks, K)  # the constant c of every step
    refr = np.isnan(V)
    V *= P[:, :, :K]
    V += Q[:, :, :K]
    # round-off can put a value a few ulp above V_th where c < H said "no crossing"
    np.minimum(V, np.nextafter(V_th, -np.inf)[:, None, None], out=V)
    steps = V_out.shape[1]
    refr = refr.reshape(n, width)[:, :steps]
    np.copyto(V_out, V.reshape(n, width)[:, :steps])
    np.copyto(V_out, V_reset[:, None], where=refr)
    refr_out[...] = refr


def _split_spikes(n: int, spike_i: Sequence[np.ndarray], spike_t: Sequence[np.ndarray]):
    if not spike_i:
        return tuple(np.zeros(0) for _ in range(n))
    ii = np.concatenate(spike_i)
    tt = np.concatenate(spike_t)
    order = np.argsort(ii, kind="stable")  # each neuron's spikes were appended in time order
    counts = np.bincount(ii, minlength=n)
    return tuple(np.split(tt[order], np.cumsum(counts)[:-1]))


class NumericalInstabilityWarning(RuntimeWarning):
    """A numerical method is used outside its stability limit (results grow without bound)."""


def _integrate_euler(drive, V_th, V_reset, t_ref, V0, dt, n_steps, t_end):
    """Forward Euler with grid-snapped spikes: the teaching comparison.

    ``V[k+1] = V[k] + h_k / tau[k] * (V_inf[k] - V[k])`` with ``h_k = dt``
    (the last step: up to ``t_end``); a spike is emitted at ``t[k+1]`` when
    ``V[k+1] >= V_th``, after which ``V`` is held at ``V_reset`` for
    ``round(t_ref / dt)`` steps. Its error grows with ``dt``, and it is unstable
    for ``dt > 2 tau``: each step multiplies the distance to ``V_inf`` by
    ``1 - dt/tau``, which is below -1 there. That case is integrated as asked
    (the divergence is the lesson) with a :class:`NumericalInstabilityWarning`.
    """
    n = len(V0)
    V_inf, tau = drive.at(0, n_steps)
    V_inf = np.broadcast_to(V_inf, (n, n_steps))
    tau = np.broadcast_to(tau, (n, n_steps))
    tau_min = float(np.min(tau))
    unstable = dt > 2 * tau_min
    if unstable:
        warnings.warn(
            f"dt = {dt * 1e3:.4g} ms is more than 2 τ_eff = {2 * tau_min * 1e3:.4g} ms: "
            f"forward Euler is unstable (each step multiplies the distance to the steady "
            f"state by 1 - dt/τ_eff = {1 - dt / tau_min:.3g}, so V oscillates with a growing "
            f"amplitude); use dt < 2 τ_eff, or method='exact'",
            NumericalInstabilityWarning,
            stacklevel=3,
        )
    V = np.empty((n, n_steps))
    refr = np.zeros((n, n_steps), dtype=bool)
    hold_steps = np.rint(t_ref / dt).astype(int)
    hold = np.zeros(n, dtype=int)
    v = V0.astype(float).copy()
    spike_i, spike_t = [], []
    # a diverging run overflows to inf and nan: that is the expected outcome, warned above
    with np.errstate(over="ignore", invalid="ignore") if unstable else nullcontext():
        for k in range(n_steps):
            V[:, k] = v
            refr[:, k] = hold > 0
            t_next = min((k + 1) * dt, t_end)
            v_next = v + (t_next - k * dt) / tau[:, k] * (V_inf[:, k] - v)
            v_next = np.where(hold > 0, V_reset, v_next)
            hold = np.maximum(hold - 1, 0)
            fired = v_next >= V_th
            if fired.any():
                idx = np.flatnonzero(fired)
                spike_i.append(idx)
                spike_t.append(np.full(idx.size, t_next))
                v_next[idx] = V_reset[idx]
                hold[idx] = hold_steps[idx]
            v = v_next
    return V, refr, _split_spikes(n, spike_i, spike_t)
