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
the neurons that spiked are restarted after their refractory period (the block
engine is in ``lif_core/_exact.py``; this module holds the public API, the
inputs, and forward Euler).
"""

from __future__ import annotations

import warnings
from contextlib import nullcontext
from dataclasses import dataclass
from typing import Any

import numpy as np

from lif_core._exact import _MAX_BLOCK_DECAY, _integrate_exact, _split_spikes
from lif_core._grid import _end_time, _n_steps
from lif_core._validate import check_finite, check_range
from lif_core.params import LIFParams
from lif_core.stimulus import KernelGrid, SynapticConductance

__all__ = ["FICurve", "NumericalInstabilityWarning", "SimulationResult", "fi_curve", "simulate"]

#: Sub-steps per step where the engine integrates exact conductances inside a step
#: (a threshold crossing, the end of a refractory period).
_SUBSTEPS = 16


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
                f"(ceil(duration / dt)); give one value per step, or shape (n_neurons, 1) for one "
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
