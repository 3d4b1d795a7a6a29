"""Chapter 5: a presynaptic spike train through a current-based and a conductance-based synapse.

A current-based synapse injects ``g(t)·(E_syn − E_L)``, fixed by the driving force at rest;
a conductance-based synapse injects ``−g(t)·(V − E_syn)``, which follows the membrane
potential and reverses sign when ``V`` crosses ``E_syn``. :func:`synapse_demo` runs both in
one vectorised simulation and returns a record (SI units) that :mod:`lif_figures.synapses`
draws.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from lif_core import stimulus
from lif_core.analysis.spiking import start_potential
from lif_core.params import LIFParams
from lif_core.simulation import simulate

__all__ = ["MODELS", "SynapseDemo", "sign_changes", "synapse_demo"]

#: Models compared in chapter 5.
MODELS = ("current", "conductance")


class SynapseDemo(NamedTuple):
    """One presynaptic spike train through a current-based and a conductance-based synapse.

    All arrays are SI and share the time grid ``t``.
    """

    t: np.ndarray  #: time grid (s)
    dt: float  #: time step (s)
    params: LIFParams  #: neuron parameters
    pre_spikes: np.ndarray  #: presynaptic spike times (s)
    g: np.ndarray  #: synaptic conductance (S)
    E_syn: float  #: synaptic reversal potential (V)
    I_bias: float  #: constant injected current (A)
    V: dict[str, np.ndarray]  #: model -> membrane potential (V)
    I_syn: dict[str, np.ndarray]  #: model -> synaptic current, positive = depolarising (A)
    drive: dict[str, np.ndarray]  #: model -> driving force (V): V − E_syn, or E_L − E_syn frozen
    spikes: dict[str, np.ndarray]  #: model -> postsynaptic spike times (s)
    crossings: np.ndarray  #: times where the conductance-based current changes sign (s)
    mean_current: dict[str, float]  #: model -> time-averaged synaptic current (A)


def sign_changes(t: np.ndarray, x: np.ndarray, active: np.ndarray | None = None) -> np.ndarray:
    """Times where ``x`` changes sign, linearly interpolated between grid points.

    Parameters
    ----------
    t : ndarray
        Time grid (s).
    x : ndarray
        Signal on that grid (e.g. a synaptic current).
    active : ndarray of bool, optional
        Only count sign changes where ``active`` is True at both ends
        (e.g. where the conductance is non-zero).

    Returns
    -------
    ndarray
        Crossing times (s).
    """
    t = np.asarray(t, dtype=float)
    x = np.asarray(x, dtype=float)
    s = np.sign(x)
    k = np.flatnonzero(s[:-1] * s[1:] < 0)
    if active is not None:
        active = np.asarray(active, dtype=bool)
        k = k[active[k] & active[k + 1]]
    x0, x1 = x[k], x[k + 1]
    return t[k] + (t[k + 1] - t[k]) * x0 / (x0 - x1)


def synapse_demo(
    params: LIFParams,
    rate: float,
    g_max: float,
    tau_syn: float,
    E_syn: float,
    I_bias: float = 0.0,
    *,
    poisson: bool = False,
    seed: int = 0,
    duration: float = 0.5,
    dt: float = 1e-4,
) -> SynapseDemo:
    """Drive the neuron with one presynaptic train through both kinds of synapse.

    Parameters
    ----------
    params : LIFParams
        Neuron parameters.
    rate : float
        Presynaptic rate (Hz), >= 0.
    g_max : float
        Peak conductance of one synaptic event (S), >= 0.
    tau_syn : float
        Decay time constant of the exponential conductance (s), > 0.
    E_syn : float
        Synaptic reversal potential (V).
    I_bias : float
        Constant current injected into both neurons (A).
    poisson : bool
        Poisson spike train (fixed ``seed``) instead of a regular one.
    seed : int
        Seed of the Poisson train.
    duration, dt : float
        Simulated time and time step (s).

    Returns
    -------
    SynapseDemo
        Both models' potentials and synaptic currents, in one vectorised simulation.

    Notes
    -----
    Conductance-based: :math:`I_{syn} = -g(t)\\,(V - E_{syn})`.
    Current-based: the driving force is frozen at its value at rest,
    :math:`I_{syn} = -g(t)\\,(E_L - E_{syn})`, so the same event injects the
    same current whatever ``V`` is, and the current never changes sign.
    """
    if poisson:
        pre = stimulus.poisson_spike_train(rate, duration, seed=seed)
    else:
        # first event one interval in, so the response starts from rest
        pre = (
            stimulus.regular_spike_train(rate, duration, start=min(1.0 / rate, 0.02))
            if rate > 0
            else np.zeros(0)
        )
    g = stimulus.synaptic_conductance(pre, g_max, tau_syn, duration, dt)
    E_L = float(params.E_L)
    I_current = -g * (E_L - E_syn)
    n_steps = g.size
    I_inj = np.empty((2, n_steps))
    I_inj[0] = I_bias + I_current
    I_inj[1] = I_bias
    G = np.zeros((2, n_steps))
    G[1] = g
    res = simulate(
        params, I=I_inj, g_syn=G, E_syn=E_syn, duration=duration, dt=dt, V0=start_potential(params)
    )
    I_cond = -g * (res.V[1] - E_syn)
    return SynapseDemo(
        t=res.t,
        dt=res.dt,
        params=params,
        pre_spikes=pre,
        g=g,
        E_syn=float(E_syn),
        I_bias=float(I_bias),
        V={"current": res.V[0], "conductance": res.V[1]},
        I_syn={"current": I_current, "conductance": I_cond},
        drive={"current": np.full(n_steps, E_L - E_syn), "conductance": res.V[1] - E_syn},
        spikes={"current": res.spike_times[0], "conductance": res.spike_times[1]},
        crossings=sign_changes(res.t, I_cond, g > 0),
        mean_current={"current": float(np.mean(I_current)), "conductance": float(np.mean(I_cond))},
    )
