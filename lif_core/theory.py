"""Closed-form results for the LIF neuron (SI units), used as ground truth.

Every function accepts floats or numpy arrays and broadcasts like numpy.
The formulas are those of ``shared/GUIDE.md`` section 1 (Dayan & Abbott 2001,
ch. 5; Gerstner et al. 2014, ch. 1).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from lif_core.params import LIFParams

__all__ = [
    "charging",
    "conductance_steady_state",
    "firing_rate",
    "firing_rate_asymptote",
    "firing_rate_slope",
    "rheobase",
    "steady_state",
    "time_to_threshold",
]

ArrayLike = Any


def steady_state(params: LIFParams, I: ArrayLike = 0.0) -> ArrayLike:
    """Steady-state potential under a constant current (V).

    Parameters
    ----------
    params : LIFParams
        Neuron parameters.
    I : float or ndarray
        Constant injected current (A).

    Returns
    -------
    float or ndarray
        ``V_inf`` (V).

    Notes
    -----
    Setting :math:`dV/dt = 0` in :math:`\\tau\\,dV/dt = -(V - E_L) + R I` gives
    :math:`V_\\infty = E_L + R I`, a stable fixed point because :math:`dV/dt`
    is a straight line in ``V`` with slope :math:`-1/\\tau`.
    """
    return params.E_L + params.R * np.asarray(I, dtype=float)


def charging(params: LIFParams, t: ArrayLike, I: ArrayLike = 0.0, V0: ArrayLike = None) -> Any:
    """Subthreshold membrane potential under a constant current (V).

    Parameters
    ----------
    params : LIFParams
        Neuron parameters (the threshold is ignored: this is the passive membrane).
    t : float or ndarray
        Time since the current was switched on (s), >= 0.
    I : float or ndarray
        Constant current (A).
    V0 : float or ndarray, optional
        Potential at ``t = 0`` (V); defaults to ``E_L``.

    Returns
    -------
    ndarray
        ``V(t)`` (V).

    Notes
    -----
    .. math:: V(t) = V_\\infty + (V_0 - V_\\infty)\\,e^{-t/\\tau},
              \\quad V_\\infty = E_L + R I.

    At :math:`t = \\tau` the potential has covered :math:`1 - 1/e \\approx 63.2\\,\\%`
    of the way from ``V0`` to ``V_inf`` (charging, or discharging when ``I``
    is switched off).
    """
    V0 = params.E_L if V0 is None else V0
    V_inf = steady_state(params, I)
    return V_inf + (V0 - V_inf) * np.exp(-np.asarray(t, dtype=float) / params.tau)


def rheobase(params: LIFParams, g: ArrayLike = 0.0, E_syn: ArrayLike = 0.0) -> Any:
    """Smallest constant current that makes the neuron fire (A).

    Parameters
    ----------
    params : LIFParams
        Neuron parameters.
    g : float or ndarray
        Constant synaptic conductance (S), default 0.
    E_syn : float or ndarray
        Reversal potential of that conductance (V).

    Returns
    -------
    float or ndarray
        ``I_rh`` (A).

    Notes
    -----
    .. math:: I_{rh} = (1/R + g)\\,V_{th} - E_L/R - g\\,E_{syn},

    which is :math:`(V_{th} - E_L)/R` without conductance.
    """
    g = np.asarray(g, dtype=float)
    return (1.0 / params.R + g) * params.V_th - params.E_L / params.R - g * E_syn


def conductance_steady_state(
    params: LIFParams, g: ArrayLike, E_syn: ArrayLike, I: ArrayLike = 0.0
) -> tuple[Any, Any]:
    """Steady state and effective time constant under a constant conductance.

    Parameters
    ----------
    params : LIFParams
        Neuron parameters.
    g : float or ndarray
        Constant synaptic conductance (S), >= 0.
    E_syn : float or ndarray
        Synaptic reversal potential (V).
    I : float or ndarray
        Constant injected current (A).

    Returns
    -------
    V_inf : float or ndarray
        Steady-state potential (V).
    tau_eff : float or ndarray
        Effective membrane time constant (s).

    Notes
    -----
    With :math:`C\\,dV/dt = -(V - E_L)/R - g (V - E_{syn}) + I`,

    .. math:: V_\\infty = \\frac{E_L/R + g E_{syn} + I}{1/R + g}, \\qquad
              \\tau_{eff} = \\frac{C}{1/R + g}.

    A shunting conductance (``E_syn`` near ``E_L``) barely moves ``V_inf`` but
    shortens ``tau_eff`` and divides the response to other inputs.
    """
    g = np.asarray(g, dtype=float)
    g_total = 1.0 / params.R + g
    V_inf = (params.E_L / params.R + g * E_syn + np.asarray(I, dtype=float)) / g_total
    return V_inf, params.C / g_total


def time_to_threshold(
    params: LIFParams, I: ArrayLike, g: ArrayLike = 0.0, E_syn: ArrayLike = 0.0
) -> Any:
    """Time from ``V_reset`` to ``V_th`` under constant input (s); ``inf`` if never.

    Parameters
    ----------
    params : LIFParams
        Neuron parameters.
    I : float or ndarray
        Constant current (A).
    g, E_syn : float or ndarray
        Optional constant synaptic conductance (S) and its reversal potential (V).

    Returns
    -------
    float or ndarray
        ``T`` (s); ``inf`` where the steady state does not exceed threshold.

    Notes
    -----
    .. math:: T = \\tau_{eff}\\,\\ln\\frac{V_\\infty - V_{reset}}{V_\\infty - V_{th}}
              \\quad (V_\\infty > V_{th}).
    """
    V_inf, tau_eff = conductance_steady_state(params, g, E_syn, I)
    V_inf, tau_eff = np.broadcast_arrays(np.asarray(V_inf, float), np.asarray(tau_eff, float))
    fires = V_inf > params.V_th
    with np.errstate(divide="ignore", invalid="ignore"):
        T = tau_eff * np.log((V_inf - params.V_reset) / (V_inf - params.V_th))
    T = np.where(fires, T, np.inf)
    return T if T.ndim else float(T)


def firing_rate(params: LIFParams, I: ArrayLike, g: ArrayLike = 0.0, E_syn: ArrayLike = 0.0) -> Any:
    """Steady-state firing rate under constant input (Hz).

    Parameters
    ----------
    params : LIFParams
        Neuron parameters.
    I : float or ndarray
        Constant current (A).
    g, E_syn : float or ndarray
        Optional constant synaptic conductance (S) and its reversal potential (V).

    Returns
    -------
    float or ndarray
        ``f`` (Hz); exactly 0 at and below the rheobase.

    Notes
    -----
    .. math:: f = \\frac{1}{t_{ref} + T}, \\qquad
              T = \\tau_{eff}\\,\\ln\\frac{V_\\infty - V_{reset}}{V_\\infty - V_{th}},

    which saturates at :math:`1/t_{ref}` for large currents.
    """
    T = time_to_threshold(params, I, g, E_syn)
    with np.errstate(divide="ignore"):
        f = np.where(np.isfinite(T), 1.0 / (params.t_ref + np.asarray(T)), 0.0)
    return f if f.ndim else float(f)


def firing_rate_asymptote(params: LIFParams, I: ArrayLike) -> Any:
    """Large-current linear asymptote of the rate without refractoriness (Hz).

    Parameters
    ----------
    params : LIFParams
        Neuron parameters (``t_ref`` is ignored).
    I : float or ndarray
        Constant current (A).

    Returns
    -------
    float or ndarray
        Asymptotic rate (Hz).

    Notes
    -----
    For :math:`V_\\infty \\gg V_{th}`, expanding the logarithm in
    :math:`T` gives

    .. math:: f \\approx \\frac{R I + E_L - (V_{th} + V_{reset})/2}
                               {\\tau\\,(V_{th} - V_{reset})}.
    """
    drive = params.R * np.asarray(I, dtype=float) + params.E_L
    return (drive - (params.V_th + params.V_reset) / 2) / (
        params.tau * (params.V_th - params.V_reset)
    )


def firing_rate_slope(
    params: LIFParams, I: ArrayLike, g: ArrayLike = 0.0, E_syn: ArrayLike = 0.0
) -> Any:
    """Slope of the f–I curve, df/dI (Hz/A), in closed form; 0 at and below the rheobase.

    Parameters
    ----------
    params : LIFParams
        Neuron parameters.
    I : float or ndarray
        Constant current (A).
    g, E_syn : float or ndarray
        Optional constant synaptic conductance (S) and its reversal potential (V).

    Returns
    -------
    float or ndarray
        ``df/dI`` (Hz/A).

    Notes
    -----
    Differentiating :math:`f = 1/(t_{ref} + \\tau_{eff}\\ln q)` with
    :math:`q = (V_\\infty - V_{reset})/(V_\\infty - V_{th})` and
    :math:`dV_\\infty/dI = 1/g_{tot}`, :math:`g_{tot} = 1/R + g`:

    .. math:: \\frac{df}{dI} = \\frac{f^2\\,C\\,(V_{th} - V_{reset})}
              {g_{tot}^2\\,(V_\\infty - V_{reset})(V_\\infty - V_{th})}.
    """
    V_inf, _ = conductance_steady_state(params, g, E_syn, I)
    V_inf = np.asarray(V_inf, dtype=float)
    g_tot = 1.0 / params.R + np.asarray(g, dtype=float)
    f = np.asarray(firing_rate(params, I, g, E_syn), dtype=float)
    fires = V_inf > params.V_th
    with np.errstate(divide="ignore", invalid="ignore"):
        slope = (
            f**2
            * params.C
            * (params.V_th - params.V_reset)
            / (g_tot**2 * (V_inf - params.V_reset) * (V_inf - params.V_th))
        )
    slope = np.where(fires, slope, 0.0)
    return slope if slope.ndim else float(slope)
