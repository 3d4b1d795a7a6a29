"""The Hodgkin–Huxley (1952) squid giant axon, shifted so that rest is near −65 mV.

Parameters follow Dayan & Abbott (2001, ch. 5), at the temperature of Hodgkin and
Huxley's recordings, 6.3 °C (other temperatures scale every rate by
``Q10 = 3`` per 10 °C). The membrane is a patch of ``area`` (default 0.1 mm²,
so that C = 1 nF, the app's default capacitance, and 1 nA of injected current is
1 µA/cm²). SI units everywhere: V, s, A, F/m², S/m².

Numerical method: a staggered exponential (Rush–Larsen) scheme. The gates live
half a step ahead of V: from ``t - dt/2`` to ``t + dt/2`` each gate relaxes
exactly towards ``x_inf(V(t))`` with ``tau_x(V(t))``; then V relaxes exactly
over ``[t, t + dt]`` towards the steady state of the conductances at
``t + dt/2``. Each half is exact for frozen coefficients and the coefficients are
taken at the midpoint, so the scheme is second order (halving dt divides spike
time errors by about 4, tested) and unconditionally stable for the stiff gates.
Spikes are upward crossings of 0 mV, with the crossing time interpolated
linearly inside the step.

A few conditions run as plain-float loops (a few µs per step each); many
conditions (e.g. the currents of an f–I curve) run in one numpy pass. Both do
the same arithmetic (tested to agree to round-off).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields, replace
from typing import Any, NamedTuple

import numpy as np

from lif_core._validate import check_finite, check_range
from lif_core.simulation import _as_input, _n_steps

__all__ = [
    "DT_HH",
    "SPIKE_LEVEL",
    "HHParams",
    "HHResult",
    "HHState",
    "gate_rates",
    "resting_state",
    "simulate_hh",
    "stability",
    "steady_current",
]

#: Default time step of the HH simulations (s): 0.025 ms.
DT_HH = 25e-6

#: A spike is an upward crossing of this potential (V).
SPIKE_LEVEL = 0.0

#: Up to this many conditions run as plain-float loops, one after the other (~2.5 µs per
#: step each); more run in one numpy pass (~50 µs per step whatever their number).
SCALAR_MAX = 8

_MV = 1e-3  # volts per mV
_PER_MS = 1e3  # 1/s per 1/ms


@dataclass(frozen=True)
class HHParams:
    """Hodgkin–Huxley membrane parameters (SI units, per unit area except ``area``).

    Parameters
    ----------
    C_m : float
        Specific capacitance (F/m²), > 0. 1 µF/cm² = 1e-2 F/m².
    g_Na, g_K, g_L : float
        Maximal sodium, potassium and leak conductances (S/m²), >= 0
        (``g_L`` > 0). 120, 36, 0.3 mS/cm² = 1200, 360, 3 S/m².
    E_Na, E_K, E_L : float
        Reversal potentials (V), between −150 and +150 mV; E_Na > E_K.
    temperature : float
        Temperature (°C), 0 to 40. The rate functions are those measured at
        6.3 °C; at ``T`` they are multiplied by ``3 ** ((T - 6.3) / 10)``.
    area : float
        Membrane area (m²), > 0. Default 1e-7 m² (0.1 mm², 1e-3 cm²): C = 1 nF.

    Raises
    ------
    ValueError
        Naming the parameter, its value and the allowed range.

    Notes
    -----
    .. math::

        C_m \\frac{dV}{dt} = -\\bar g_{Na} m^3 h (V - E_{Na}) - \\bar g_K n^4 (V - E_K)
        - g_L (V - E_L) + I/A

    with each gate :math:`x \\in \\{m, h, n\\}` obeying
    :math:`dx/dt = \\phi\\,[\\alpha_x(V)(1 - x) - \\beta_x(V)\\,x]` (see :func:`gate_rates`).
    """

    C_m: float = 1e-2
    g_Na: float = 1200.0
    g_K: float = 360.0
    g_L: float = 3.0
    E_Na: float = 50e-3
    E_K: float = -77e-3
    E_L: float = -54.387e-3
    temperature: float = 6.3
    area: float = 1e-7

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            check_finite(f.name, value)
            if np.ndim(value) != 0:
                raise ValueError(f"{f.name} must be a number, got shape {np.shape(value)}")
        check_range("C_m", self.C_m, low=0.0, low_open=True, unit="F/m²")
        for name in ("g_Na", "g_K"):
            check_range(name, getattr(self, name), low=0.0, unit="S/m²")
        check_range("g_L", self.g_L, low=0.0, low_open=True, unit="S/m²")
        for name in ("E_Na", "E_K", "E_L"):
            check_range(name, getattr(self, name), low=-0.15, high=0.15, unit="V")
        if self.E_Na <= self.E_K:
            raise ValueError(
                f"E_Na = {self.E_Na!r} V must be above E_K = {self.E_K!r} V (allowed: E_Na > E_K)"
            )
        check_range("temperature", self.temperature, low=0.0, high=40.0, unit="°C")
        check_range("area", self.area, low=0.0, low_open=True, unit="m²")

    @property
    def C(self) -> float:
        """Capacitance of the patch (F)."""
        return self.C_m * self.area

    @property
    def phi(self) -> float:
        """Temperature factor of every rate, ``3 ** ((T - 6.3) / 10)`` (1 at 6.3 °C)."""
        return 3.0 ** ((self.temperature - 6.3) / 10.0)

    def replace(self, **changes: Any) -> HHParams:
        """A copy with some fields changed (validated again)."""
        return replace(self, **changes)


class HHState(NamedTuple):
    """State of one or many HH membranes, each field a float or an array."""

    V: Any  #: membrane potential (V)
    n: Any  #: potassium activation
    m: Any  #: sodium activation
    h: Any  #: sodium inactivation


# --------------------------------------------------------------------------- rate functions


def _vtrap(x: float) -> float:
    """``x / (1 - exp(-x / 10))`` (x in mV), continuous through its removable singularity."""
    if abs(x) < 1e-6:
        return 10.0 + x / 2.0
    return x / -math.expm1(-x / 10.0)


def _vtrap_array(x: np.ndarray) -> np.ndarray:
    small = np.abs(x) < 1e-6
    safe = np.where(small, 1.0, x)
    return np.where(small, 10.0 + x / 2.0, safe / -np.expm1(-safe / 10.0))


def gate_rates(V: Any, phi: float = 1.0) -> tuple[Any, Any, Any, Any, Any, Any]:
    """Opening and closing rates of the gates (1/s) at potential ``V`` (V).

    Parameters
    ----------
    V : float or ndarray
        Membrane potential (V).
    phi : float
        Temperature factor (:attr:`HHParams.phi`).

    Returns
    -------
    alpha_n, beta_n, alpha_m, beta_m, alpha_h, beta_h
        Rates in 1/s, shaped like ``V``.

    Notes
    -----
    With :math:`v` = V in mV, rates in 1/ms (Dayan & Abbott 2001, ch. 5):
    :math:`\\alpha_n = 0.01(v+55)/(1-e^{-(v+55)/10})`, :math:`\\beta_n = 0.125 e^{-(v+65)/80}`,
    :math:`\\alpha_m = 0.1(v+40)/(1-e^{-(v+40)/10})`, :math:`\\beta_m = 4 e^{-(v+65)/18}`,
    :math:`\\alpha_h = 0.07 e^{-(v+65)/20}`, :math:`\\beta_h = 1/(1+e^{-(v+35)/10})`.
    The singularities of :math:`\\alpha_n` and :math:`\\alpha_m` at −55 and −40 mV are
    removable (limits 0.1 and 1 per ms) and are evaluated by their series there.
    """
    k = phi * _PER_MS
    if isinstance(V, (int, float)):
        v = V / _MV
        return (
            k * 0.01 * _vtrap(v + 55.0),
            k * 0.125 * math.exp(-(v + 65.0) / 80.0),
            k * 0.1 * _vtrap(v + 40.0),
            k * 4.0 * math.exp(-(v + 65.0) / 18.0),
            k * 0.07 * math.exp(-(v + 65.0) / 20.0),
            k / (1.0 + math.exp(-(v + 35.0) / 10.0)),
        )
    v = np.asarray(V, dtype=float) / _MV
    return (
        k * 0.01 * _vtrap_array(v + 55.0),
        k * 0.125 * np.exp(-(v + 65.0) / 80.0),
        k * 0.1 * _vtrap_array(v + 40.0),
        k * 4.0 * np.exp(-(v + 65.0) / 18.0),
        k * 0.07 * np.exp(-(v + 65.0) / 20.0),
        k / (1.0 + np.exp(-(v + 35.0) / 10.0)),
    )


def _gates_inf(V: Any) -> tuple[Any, Any, Any]:
    an, bn, am, bm, ah, bh = gate_rates(V)
    return an / (an + bn), am / (am + bm), ah / (ah + bh)


def steady_current(params: HHParams, V: Any) -> Any:
    """Current (A) that holds the membrane at ``V`` with every gate at steady state.

    The steady-state I–V curve :math:`I(V) = A\\,[\\bar g_{Na} m_\\infty^3 h_\\infty (V - E_{Na})
    + \\bar g_K n_\\infty^4 (V - E_K) + g_L (V - E_L)]`. It increases monotonically
    with V for these parameters, so every current has exactly one resting state.
    """
    p = params
    n, m, h = _gates_inf(np.asarray(V, dtype=float))
    density = p.g_Na * m**3 * h * (V - p.E_Na) + p.g_K * n**4 * (V - p.E_K) + p.g_L * (V - p.E_L)
    return density * p.area


#: Times resting_state may widen its bracket by 100 mV a side.
_WIDEN = 10


def resting_state(params: HHParams, I: Any = 0.0) -> HHState:
    """The fixed point under a constant current ``I`` (A): V and the gates at steady state.

    Solved by bisection of :func:`steady_current` (60 halvings: exact to round-off), on
    [−100, +50] mV, widened by 100 mV a side where the rest lies outside (a leak reversal
    below −100 mV, a strong current), up to [−1.1, +1.05] V. Vectorised over ``I``. Whether
    it is stable is :func:`stability`'s question.

    Raises
    ------
    ValueError
        If ``I`` is not finite, or holds the membrane beyond [−1.1, +1.05] V.
    """
    check_finite("I", I)
    target = np.asarray(I, dtype=float)
    lo = np.full(target.shape, -0.1)
    hi = np.full(target.shape, 0.05)
    for _ in range(_WIDEN + 1):
        below = steady_current(params, lo) > target  # the rest lies below lo
        above = steady_current(params, hi) <= target  # ... or above hi
        if not (np.any(below) or np.any(above)):
            break
        lo = np.where(below, lo - 0.1, lo)
        hi = np.where(above, hi + 0.1, hi)
    else:
        raise ValueError(
            f"I = {I} A holds the membrane beyond [-1100, +1050] mV: "
            "no resting state in the model's range"
        )
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        above = steady_current(params, mid) > target
        hi = np.where(above, mid, hi)
        lo = np.where(above, lo, mid)
    V = 0.5 * (lo + hi)
    n, m, h = _gates_inf(V)
    if V.ndim == 0:
        return HHState(float(V), float(n), float(m), float(h))
    return HHState(V, n, m, h)


def _derivatives(params: HHParams, state: np.ndarray, I: float) -> np.ndarray:
    """Right-hand side of the four HH equations (SI) at ``state = [V, n, m, h]``."""
    p = params
    V, n, m, h = state
    an, bn, am, bm, ah, bh = gate_rates(float(V), p.phi)
    i_ion = p.g_Na * m**3 * h * (V - p.E_Na) + p.g_K * n**4 * (V - p.E_K) + p.g_L * (V - p.E_L)
    return np.array(
        [
            (I / p.area - i_ion) / p.C_m,
            an * (1 - n) - bn * n,
            am * (1 - m) - bm * m,
            ah * (1 - h) - bh * h,
        ]
    )


def stability(params: HHParams, I: float = 0.0) -> np.ndarray:
    """Eigenvalues (1/s) of the HH equations linearised at the resting state under ``I`` (A).

    The resting state is stable when every real part is negative. A complex pair
    means the membrane rings: it returns to rest in a damped oscillation of
    frequency ``|Im| / 2π``. The Jacobian is taken by central differences
    (steps of 1 µV and 1e-7 in the gates), sorted by decreasing real part.
    """
    check_finite("I", I)
    x0 = np.array(resting_state(params, float(I)), dtype=float)
    steps = np.array([1e-6, 1e-7, 1e-7, 1e-7])
    J = np.empty((4, 4))
    for j in range(4):
        d = np.zeros(4)
        d[j] = steps[j]
        J[:, j] = (
            _derivatives(params, x0 + d, float(I)) - _derivatives(params, x0 - d, float(I))
        ) / (2 * steps[j])
    ev = np.linalg.eigvals(J)
    return ev[np.argsort(-ev.real)]


# --------------------------------------------------------------------------- simulation


@dataclass(frozen=True)
class HHResult:
    """What :func:`simulate_hh` returns (SI units, leading axis = condition).

    Attributes
    ----------
    t : ndarray, shape (n_steps + 1,)
        Grid times (s), ``t[k] = k * dt``, from 0 to the end of the run.
    V : ndarray, shape (n_conditions, n_steps + 1)
        Membrane potential at the grid times (V).
    n, m, h : ndarray, shape (n_conditions, n_steps + 1)
        Gates; entry ``k`` holds the gate at ``t[k] - dt/2`` (staggered scheme), and
        entry 0 the initial value.
    I : ndarray, shape (n_conditions, n_steps)
        Injected current (A) on ``[t[k], t[k] + dt)``.
    spike_times : tuple of ndarray
        Upward crossings of :data:`SPIKE_LEVEL` (s), one array per condition.
    params : HHParams
    dt : float
        Time step (s).
    """

    t: np.ndarray
    V: np.ndarray
    n: np.ndarray
    m: np.ndarray
    h: np.ndarray
    I: np.ndarray
    spike_times: tuple[np.ndarray, ...]
    params: HHParams
    dt: float

    @property
    def final_state(self) -> HHState:
        """State at the end of the run, to continue it (gates half a step behind V)."""
        return HHState(self.V[:, -1], self.n[:, -1], self.m[:, -1], self.h[:, -1])


def simulate_hh(
    params: HHParams,
    I: Any = 0.0,
    *,
    duration: float,
    dt: float = DT_HH,
    state0: HHState | None = None,
) -> HHResult:
    """Simulate one or several HH membranes (staggered exponential scheme, see the module).

    Parameters
    ----------
    params : HHParams
        Membrane parameters.
    I : float or ndarray
        Injected current (A): a number, one value per step ``(n_steps,)``, one constant
        per condition ``(n, 1)`` or ``(n, n_steps)`` (as :func:`lif_core.simulate`).
    duration : float
        Simulated time (s), > 0.
    dt : float
        Time step (s), 0 < dt <= 0.1 ms (default 0.025 ms).
    state0 : HHState, optional
        Initial state, numbers or one value per condition; default the resting state
        without current (−65.0 mV for the default parameters).

    Returns
    -------
    HHResult
        Potential, gates, input and spike times.

    Raises
    ------
    ValueError
        For invalid arguments, naming the argument, its value and the allowed range.
    """
    if not isinstance(params, HHParams):
        raise ValueError(f"params must be an HHParams, got {type(params).__name__}")
    n_steps = _n_steps(duration, dt)
    check_range("dt", dt, low=0.0, low_open=True, high=1e-4, unit="s")
    I_arr = _as_input("I", I, n_steps)
    if state0 is None:
        state0 = resting_state(params, 0.0)
    for name, value in zip("Vnmh", state0, strict=True):
        check_finite(f"state0.{name}", value)
    sizes = {I_arr.shape[0], *(np.size(x) for x in state0)} - {1}
    if len(sizes) > 1:
        raise ValueError(f"I and state0 disagree on the number of conditions: {sorted(sizes)}")
    count = sizes.pop() if sizes else 1
    I_full = np.broadcast_to(I_arr, (count, n_steps)).astype(float)
    x0 = [np.broadcast_to(np.asarray(x, dtype=float), (count,)).copy() for x in state0]
    if count <= SCALAR_MAX:
        runs = [_run_scalar(params, I_full[i], [float(x[i]) for x in x0], dt) for i in range(count)]
        arrays = [np.array([run[j] for run in runs], dtype=float) for j in range(4)]
        spikes: tuple[np.ndarray, ...] = tuple(np.asarray(run[4], dtype=float) for run in runs)
    else:
        *arrays, spikes = _run_vector(params, I_full, x0, dt)
    return HHResult(
        t=np.arange(n_steps + 1) * dt,
        V=arrays[0],
        n=arrays[1],
        m=arrays[2],
        h=arrays[3],
        I=I_full,
        spike_times=spikes,
        params=params,
        dt=float(dt),
    )


def _run_scalar(
    p: HHParams, I: np.ndarray, x0: list[float], dt: float
) -> tuple[list[float], list[float], list[float], list[float], list[float]]:
    """One membrane in plain floats (the same arithmetic as :func:`_run_vector`)."""
    exp = math.exp
    expm1 = math.expm1
    k = p.phi * _PER_MS
    dt_k = dt * k  # rates below are per ms at 6.3 °C; dt_k turns them into step exponents
    gNa, gK, gL = p.g_Na, p.g_K, p.g_L
    ENa, EK, EL = p.E_Na, p.E_K, p.E_L
    inv_area = 1.0 / p.area
    decay_V = dt / p.C_m
    V, n, m, h = x0
    Vs, ns, ms, hs = [V], [n], [m], [h]
    spikes: list[float] = []
    for step, current in enumerate(I.tolist()):
        v = V * 1e3
        x = v + 55.0
        an = 0.01 * (10.0 + x / 2.0 if abs(x) < 1e-6 else x / -expm1(-x / 10.0))
        bn = 0.125 * exp(-(v + 65.0) / 80.0)
        x = v + 40.0
        am = 0.1 * (10.0 + x / 2.0 if abs(x) < 1e-6 else x / -expm1(-x / 10.0))
        bm = 4.0 * exp(-(v + 65.0) / 18.0)
        ah = 0.07 * exp(-(v + 65.0) / 20.0)
        bh = 1.0 / (1.0 + exp(-(v + 35.0) / 10.0))
        s = an + bn
        n = an / s + (n - an / s) * exp(-dt_k * s)
        s = am + bm
        m = am / s + (m - am / s) * exp(-dt_k * s)
        s = ah + bh
        h = ah / s + (h - ah / s) * exp(-dt_k * s)
        gna = gNa * m * m * m * h
        gk = gK * n * n * n * n
        g = gna + gk + gL
        V_inf = (gna * ENa + gk * EK + gL * EL + current * inv_area) / g
        V_new = V_inf + (V - V_inf) * exp(-decay_V * g)
        if V < SPIKE_LEVEL <= V_new:
            spikes.append((step + (SPIKE_LEVEL - V) / (V_new - V)) * dt)
        V = V_new
        Vs.append(V)
        ns.append(n)
        ms.append(m)
        hs.append(h)
    return Vs, ns, ms, hs, spikes


def _run_vector(
    p: HHParams, I: np.ndarray, x0: list[np.ndarray], dt: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, tuple[np.ndarray, ...]]:
    """Several membranes at once, one numpy pass per step."""
    count, n_steps = I.shape
    out = np.empty((4, count, n_steps + 1))
    V, n, m, h = (x.copy() for x in x0)
    out[:, :, 0] = V, n, m, h
    dt_k = dt * p.phi * _PER_MS
    J = I / p.area
    decay_V = dt / p.C_m
    spike_step: list[np.ndarray] = []
    spike_who: list[np.ndarray] = []
    for step in range(n_steps):
        v = V * 1e3
        an = 0.01 * _vtrap_array(v + 55.0)
        bn = 0.125 * np.exp(-(v + 65.0) / 80.0)
        am = 0.1 * _vtrap_array(v + 40.0)
        bm = 4.0 * np.exp(-(v + 65.0) / 18.0)
        ah = 0.07 * np.exp(-(v + 65.0) / 20.0)
        bh = 1.0 / (1.0 + np.exp(-(v + 35.0) / 10.0))
        s = an + bn
        n = an / s + (n - an / s) * np.exp(-dt_k * s)
        s = am + bm
        m = am / s + (m - am / s) * np.exp(-dt_k * s)
        s = ah + bh
        h = ah / s + (h - ah / s) * np.exp(-dt_k * s)
        gna = p.g_Na * m**3 * h
        gk = p.g_K * n**4
        g = gna + gk + p.g_L
        V_inf = (gna * p.E_Na + gk * p.E_K + p.g_L * p.E_L + J[:, step]) / g
        V_new = V_inf + (V - V_inf) * np.exp(-decay_V * g)
        crossed = np.flatnonzero((V < SPIKE_LEVEL) & (V_new >= SPIKE_LEVEL))
        if crossed.size:
            frac = (SPIKE_LEVEL - V[crossed]) / (V_new[crossed] - V[crossed])
            spike_step.append(step + frac)
            spike_who.append(crossed)
        V = V_new
        out[:, :, step + 1] = V, n, m, h
    if spike_step:
        who = np.concatenate(spike_who)
        when = np.concatenate(spike_step) * dt
        spikes = tuple(np.sort(when[who == i]) for i in range(count))
    else:
        spikes = tuple(np.zeros(0) for _ in range(count))
    return out[0], out[1], out[2], out[3], spikes
