"""The adaptive exponential integrate-and-fire model (AdEx; Brette & Gerstner 2005).

.. math::

    C \\frac{dV}{dt} = -g_L (V - E_L) + g_L \\Delta_T e^{(V - V_T)/\\Delta_T} - w + I, \\qquad
    \\tau_w \\frac{dw}{dt} = a (V - E_L) - w,

and when V reaches ``V_peak``: V -> V_r, w -> w + b. SI units (V, s, A, S, F).

:data:`PRESETS` are the firing patterns of Gerstner, Kistler, Naud & Paninski (2014),
*Neuronal Dynamics*, Table 6.1 (after Naud et al. 2008), with two documented changes.

Numerical method (:func:`simulate_adex`)
----------------------------------------
The exponential term makes V blow up in finite time at each spike: a fixed-step method
in V either overshoots wildly or needs tiny steps there. Below ``V_T`` the state is
advanced in V with Heun's method (second order; the exponential is at most
``g_L Delta_T`` there). At and above ``V_T`` it is advanced in
``u = exp(-(V - V_T) / Delta_T)`` instead, which obeys

.. math:: \\tau_m \\frac{du}{dt} = -1 - u\\,\\frac{E_L - V_T + R(I - w)}{\\Delta_T} - u \\ln u

(:math:`\\tau_m = C/g_L`, :math:`R = 1/g_L`): smooth and bounded through the upswing,
with ``du/dt -> -1/tau_m`` as V -> infinity. The spike happens when ``u`` falls to
``u_peak = exp(-(V_peak - V_T)/Delta_T)`` (about 1e-11 for V_peak = 0 mV); its time
is interpolated linearly in u inside the step, where u is nearly linear in time.
V is then reset, w jumps by b, and the rest of the step is integrated from there.
Tests bound the effect of halving dt on spike times.

Under drives far stronger than the presets' (R I of volts), the u form takes substeps where
its Heun step would be unstable (``h |c - ln u - 1| / tau_m <= 1``), and a step from below
``V_T`` that would overshoot ``V_peak`` is shortened to reach ``V_T`` first. More than
:data:`MAX_SPIKES_PER_STEP` spikes in one step are refused with a ``ValueError``.

A single condition runs as a plain-float loop (about 1–2 µs per step).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields, replace
from typing import Any

import numpy as np

from lif_core._validate import check_finite, check_range
from lif_core.simulation import _as_input, _n_steps

__all__ = [
    "DT_ADEX",
    "PRESETS",
    "AdExParams",
    "AdExPreset",
    "AdExResult",
    "simulate_adex",
]

#: Default time step of the AdEx simulations (s): 0.1 ms.
DT_ADEX = 1e-4


@dataclass(frozen=True)
class AdExParams:
    """Parameters of one AdEx neuron (SI units).

    Parameters
    ----------
    C : float
        Membrane capacitance (F), > 0.
    g_L : float
        Leak conductance (S), > 0.
    E_L : float
        Leak reversal (resting) potential (V).
    V_T : float
        Threshold of the exponential term, the "rheobase threshold" (V).
    Delta_T : float
        Slope factor, the sharpness of spike initiation (V), 0.1 to 10 mV.
    a : float
        Subthreshold adaptation coupling (S), > −g_L (a < 0 feeds back positively).
    tau_w : float
        Adaptation time constant (s), > 0.
    b : float
        Spike-triggered jump of the adaptation current (A), >= 0.
    V_r : float
        Reset potential (V), < V_peak.
    V_peak : float
        Cut-off where a spike is declared and V reset (V), > V_T.

    Raises
    ------
    ValueError
        Naming the parameter, its value and the allowed range.
    """

    C: float = 40e-12
    g_L: float = 2e-9
    E_L: float = -70e-3
    V_T: float = -50e-3
    Delta_T: float = 2e-3
    a: float = 0.0
    tau_w: float = 30e-3
    b: float = 60e-12
    V_r: float = -55e-3
    V_peak: float = 0.0

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            check_finite(f.name, value)
            if np.ndim(value) != 0:
                raise ValueError(f"{f.name} must be a number, got shape {np.shape(value)}")
        check_range("C", self.C, low=0.0, low_open=True, unit="F")
        check_range("g_L", self.g_L, low=0.0, low_open=True, unit="S")
        check_range("Delta_T", self.Delta_T, low=1e-4, high=1e-2, unit="V")
        check_range("tau_w", self.tau_w, low=0.0, low_open=True, unit="s")
        check_range("b", self.b, low=0.0, unit="A")
        check_range("a", self.a, low=-self.g_L, low_open=True, unit="S")
        check_range("V_peak", self.V_peak, low=self.V_T, low_open=True, unit="V")
        check_range("V_r", self.V_r, high=self.V_peak - 1e-6, unit="V")

    @property
    def tau_m(self) -> float:
        """Membrane time constant ``C / g_L`` (s)."""
        return self.C / self.g_L

    @property
    def R(self) -> float:
        """Membrane resistance ``1 / g_L`` (Ω)."""
        return 1.0 / self.g_L

    @property
    def rheobase(self) -> float:
        """Smallest constant current without a resting state (A).

        Notes
        -----
        With w at its steady state ``a (V - E_L)``, a resting state needs
        :math:`I = (g_L + a)(V - E_L) - g_L \\Delta_T e^{(V - V_T)/\\Delta_T}`,
        whose maximum over V is at :math:`V^* = V_T + \\Delta_T \\ln((g_L + a)/g_L)`:
        :math:`I_{rh} = (g_L + a)(V^* - E_L - \\Delta_T)`.
        """
        g = self.g_L + self.a
        V_star = self.V_T + self.Delta_T * math.log(g / self.g_L)
        return g * (V_star - self.E_L - self.Delta_T)

    def replace(self, **changes: Any) -> AdExParams:
        """A copy with some fields changed (validated again)."""
        return replace(self, **changes)

    @classmethod
    def from_table(
        cls, tau_m: float, a: float, tau_w: float, b: float, V_r: float, **common: Any
    ) -> AdExParams:
        """Parameters from a row of *Neuronal Dynamics* Table 6.1 (SI units).

        The table gives ``tau_m``, ``a``, ``tau_w``, ``b`` and the reset ``u_r``; its
        caption fixes E_L = −70 mV, R = 500 MΩ, V_T = −50 mV, Delta_T = 2 mV, so that
        C = tau_m / R and g_L = 1/R. ``common`` overrides those (e.g. ``V_peak``).
        """
        base = {"E_L": -70e-3, "V_T": -50e-3, "Delta_T": 2e-3, "V_peak": 0.0, "R": 500e6}
        base.update(common)
        R = base.pop("R")
        return cls(C=tau_m / R, g_L=1.0 / R, a=a, tau_w=tau_w, b=b, V_r=V_r, **base)


@dataclass(frozen=True)
class AdExPreset:
    """A named firing pattern: parameters, the step current that shows it, and its source."""

    name: str
    params: AdExParams
    I_step: float  # A
    source: str


_BOOK = "Gerstner et al. (2014), Neuronal Dynamics, Table 6.1"


def _preset(
    name: str, tau_m: float, a: float, tau_w: float, b: float, V_r: float, I: float, note: str = ""
) -> AdExPreset:
    params = AdExParams.from_table(tau_m * 1e-3, a * 1e-9, tau_w * 1e-3, b * 1e-12, V_r * 1e-3)
    source = (
        f"{_BOOK}: τ_m = {tau_m:g} ms, a = {a:g} nS, τ_w = {tau_w:g} ms, b = {b:g} pA, "
        f"u_r = {V_r:g} mV, step {I:g} pA"
    )
    return AdExPreset(name, params, I * 1e-12, source + (f" ({note})" if note else ""))


#: The seven firing patterns, in the order of Table 6.1. The rows were checked against
#: transcriptions of the book's table (the published ones disagree on the adapting row's
#: τ_m, 20 or 200 ms: with 200 ms the 65 pA step gives six evenly spaced spikes in 1 s, no
#: adaptation, so 20 ms it is). Two changes, each noted in its source: "irregular" resets to
#: −47 instead of −46 mV (at −46 mV the row bursts regularly, 5 spikes every 80 ms, with this
#: integrator and with forward Euler alike; irregular firing lives in thin bands between
#: burst lengths, Naud et al. 2008), and "transient" is driven by 55 instead of 65 pA (65 pA
#: is above this row's rheobase of 56.4 pA, so it can never stop firing).
PRESETS: dict[str, AdExPreset] = {
    p.name: p
    for p in (
        _preset("tonic", 20, 0.0, 30, 60, -55, 65),
        _preset("adapting", 20, 0.0, 100, 5, -55, 65),
        _preset("initial burst", 5, 0.5, 100, 7, -51, 65),
        _preset("regular bursting", 5, -0.5, 100, 7, -46, 65),
        _preset("irregular", 9.9, -0.5, 100, 7, -47, 65, "u_r changed from −46 mV, see PRESETS"),
        _preset("transient", 10, 1.0, 100, 10, -60, 55, "step changed from 65 pA, see PRESETS"),
        _preset("delayed", 5, -1.0, 100, 10, -60, 25),
    )
}


@dataclass(frozen=True)
class AdExResult:
    """What :func:`simulate_adex` returns (SI units, leading axis = condition).

    Attributes
    ----------
    t : ndarray, shape (n_steps + 1,)
        Grid times (s).
    V : ndarray, shape (n_conditions, n_steps + 1)
        Membrane potential at the grid times (V); the upswing to ``V_peak`` happens
        between grid points, at the spike times.
    w : ndarray, shape (n_conditions, n_steps + 1)
        Adaptation current (A).
    I : ndarray, shape (n_conditions, n_steps)
        Injected current (A) on ``[t[k], t[k] + dt)``.
    spike_times : tuple of ndarray
        Times at which V reached ``V_peak`` (s), one array per condition.
    params : AdExParams
    dt : float
    """

    t: np.ndarray
    V: np.ndarray
    w: np.ndarray
    I: np.ndarray
    spike_times: tuple[np.ndarray, ...]
    params: AdExParams
    dt: float


def simulate_adex(
    params: AdExParams,
    I: Any = 0.0,
    *,
    duration: float,
    dt: float = DT_ADEX,
    V0: float | None = None,
    w0: float = 0.0,
) -> AdExResult:
    """Simulate AdEx neurons under injected currents (method: see the module docstring).

    Parameters
    ----------
    params : AdExParams
        Neuron parameters.
    I : float or ndarray
        Injected current (A): a number, ``(n_steps,)``, ``(n, 1)`` or ``(n, n_steps)``,
        as for :func:`lif_core.simulate`. Several conditions run one after the other.
    duration : float
        Simulated time (s), > 0.
    dt : float
        Time step (s), 0 < dt <= 0.2 ms (default 0.1 ms).
    V0, w0 : float, optional
        Initial potential (V, default ``E_L``; below ``V_peak``) and adaptation current (A).

    Returns
    -------
    AdExResult
    """
    if not isinstance(params, AdExParams):
        raise ValueError(f"params must be an AdExParams, got {type(params).__name__}")
    n_steps = _n_steps(duration, dt)
    check_range("dt", dt, low=0.0, low_open=True, high=2e-4, unit="s")
    I_arr = _as_input("I", I, n_steps)
    V_start = params.E_L if V0 is None else V0
    check_finite("V0", V_start)
    check_range("V0", V_start, high=params.V_peak - 1e-6, unit="V")
    check_finite("w0", w0)
    count = I_arr.shape[0]
    I_full = np.broadcast_to(I_arr, (count, n_steps)).astype(float)
    V = np.empty((count, n_steps + 1))
    w = np.empty((count, n_steps + 1))
    spikes = []
    for i in range(count):
        Vs, ws, sp = _run(params, I_full[i], float(V_start), float(w0), float(dt))
        V[i] = Vs
        w[i] = ws
        spikes.append(np.asarray(sp, dtype=float))
    return AdExResult(
        t=np.arange(n_steps + 1) * dt,
        V=V,
        w=w,
        I=I_full,
        spike_times=tuple(spikes),
        params=params,
        dt=float(dt),
    )


def _mean_log(u0: float, u1: float) -> float:
    """Mean of ``ln u`` over a step in which u goes linearly from ``u0`` to ``u1`` (> 0).

    Exact for linear u, so the adaptation current integrates the logarithmic blow-up of V
    at a spike (V = V_T - Delta_T ln u) without the first-order error of the trapezoid rule.
    """
    d = u0 - u1
    if abs(d) <= 1e-9 * u0:
        return math.log(0.5 * (u0 + u1))
    return (u0 * math.log(u0) - u0 - u1 * math.log(u1) + u1) / d


def _heun_w(w: float, l1: float, h: float, drive_end: float, tau_w: float) -> float:
    """w after a Heun step of length ``h`` (s): ``tau_w dw/dt = a (V - E_L) - w``.

    ``l1`` is dw/dt at the start (A/s) and ``drive_end`` = a (V - E_L) (A) at the step's
    end, with V at its predicted end value. The local error is O(h^3) (second order).
    """
    return w + 0.5 * h * (l1 + (drive_end - (w + h * l1)) / tau_w)


#: More spikes than this in one time step are refused (as lif_core.simulate does): the
#: drive is beyond what the step resolves, and the loop would all but stall.
MAX_SPIKES_PER_STEP = 10


def _run(
    p: AdExParams, I: np.ndarray, V: float, w: float, dt: float
) -> tuple[list[float], list[float], list[float]]:
    """One neuron in plain floats: Heun in V below V_T, in u above (see the module).

    In the u form, w's drive ``a (V - E_L)`` is integrated with the exact mean of
    ``ln u`` over the step (:func:`_mean_log`). A step whose Heun update takes u below
    ``u_peak`` is shortened to the crossing, found by three Newton iterations on the
    step length, so spike times are second order in dt.
    """
    exp, log = math.exp, math.log
    tau_m, R, E_L, V_T, D = p.tau_m, p.R, p.E_L, p.V_T, p.Delta_T
    a, tau_w, b, V_r, V_peak = p.a, p.tau_w, p.b, p.V_r, p.V_peak
    u_peak = exp(-(V_peak - V_T) / D)
    log_u_peak = log(u_peak)
    Vs, ws = [V], [w]
    spikes: list[float] = []
    for step, current in enumerate(I.tolist()):
        RI = R * current
        left = dt  # time left in this step
        fired = 0  # spikes in this step
        while left > 0.0:
            h = left
            l1 = (a * (V - E_L) - w) / tau_w
            if V < V_T:
                # Heun in V; the exponent is capped only against an absurd overshoot.
                k1 = (E_L - V + D * exp((V - V_T) / D) - R * w + RI) / tau_m
                Vp = V + h * k1
                wp = w + h * l1
                k2 = (E_L - Vp + D * exp(min((Vp - V_T) / D, 60.0)) - R * wp + RI) / tau_m
                V_new = V + 0.5 * h * (k1 + k2)
                w_new = _heun_w(w, l1, h, a * (Vp - E_L), tau_w)
                if V_new < V_peak:
                    V, w, left = V_new, w_new, 0.0
                    continue
                if V + h * k1 > V_T:
                    # a drive far beyond the presets' overshoots the peak in one step (the
                    # capped exponential makes k2 absurd): a shorter step, Euler's time to
                    # V_T, ending at V_T (the u form takes over); w by Heun over it. (V's own
                    # corrector could land it far past V_peak when w changes fast.) As
                    # V < V_T here, the test implies k1 > 0 and 0 < h_new < h.
                    h = (V_T - V) / k1
                    V, w = V_T, _heun_w(w, l1, h, a * (V_T - E_L), tau_w)
                    left -= h
                    continue
                # reached only with w far from its course (a huge w0, a tiny tau_w); linear
                frac = (V_peak - V) / (V_new - V)
                w_spike = w + frac * (w_new - w)
            else:
                # Heun in u = exp(-(V - V_T)/D): tau_m du/dt = -1 + c u - u ln u.
                u = exp(-(V - V_T) / D)
                c = (V_T - E_L + R * w - RI) / D
                # a substep where the step would be unstable: |h df/du| <= 1, with
                # df/du = (c - ln u - 1) / tau_m (a strong current makes c large)
                stiff = abs(c - log(u) - 1.0) / tau_m
                if stiff * h > 1.0:
                    h = 1.0 / stiff
                k1 = (-1.0 + c * u - u * log(u)) / tau_m
                up = u + h * k1
                wp = w + h * l1
                lp = log(up) if up > u_peak else log_u_peak  # past the peak: V held at V_peak
                k2 = (-1.0 + (V_T - E_L + R * wp - RI) / D * up - up * lp) / tau_m
                u_new = u + 0.5 * h * (k1 + k2)
                if u_new > u_peak:
                    drive = a * (V_T - D * _mean_log(u, u_new) - E_L)
                    w = w + h * (drive - 0.5 * (w + wp)) / tau_w
                    V, left = V_T - D * log(u_new), left - h if h < left else 0.0
                    continue
                frac = (u - u_peak) / (u - u_new)
                for _ in range(3):  # Newton on the step length, slope frozen
                    hf = frac * h
                    up = u + hf * k1
                    wp = w + hf * l1
                    lp = log(up) if up > u_peak else log_u_peak
                    k2 = (-1.0 + (V_T - E_L + R * wp - RI) / D * up - up * lp) / tau_m
                    frac -= (u + 0.5 * hf * (k1 + k2) - u_peak) / (0.5 * h * (k1 + k2))
                frac = min(max(frac, 0.0), 1.0)
                drive = a * (V_T - D * _mean_log(u, u_peak) - E_L)
                w_spike = w + frac * h * (drive - 0.5 * (w + wp)) / tau_w
            # a spike inside this (sub)step: reset, jump, integrate the rest of the step
            spikes.append((step + 1) * dt - left + frac * h)
            V, w = V_r, w_spike + b
            left -= frac * h  # (the per-step cap below ends a loop of spikes at frac = 0)
            fired += 1
            if fired > MAX_SPIKES_PER_STEP or not math.isfinite(spikes[-1]):
                raise ValueError(
                    f"I = {current:g} A fires more than {MAX_SPIKES_PER_STEP} spikes per time "
                    f"step dt = {dt:g} s (allowed: at most {MAX_SPIKES_PER_STEP} per step); "
                    "lower the current or dt"
                )
        Vs.append(V)
        ws.append(w)
    return Vs, ws, spikes
