"""Targeted checks of lif_core.simulation, lif_core.stimulus and lif_core._integrals.

Each test pins behaviour that a surviving mutmut mutant changed: closed forms,
independent quadrature references, shapes of array-valued parameters, and the
exact ``ValueError`` messages of invalid arguments.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from scipy import integrate, special

from lif_core import LIFParams, fi_curve, simulate
from lif_core._integrals import _decay_length, cv_integral, rate_integral
from lif_core.simulation import _Drive
from lif_core.stimulus import SynapticConductance, _linear_recursion, pulse

# --------------------------------------------------------------------------
# stimulus.pulse: messages name the argument
# --------------------------------------------------------------------------


def test_pulse_rejects_non_finite_onset_by_name() -> None:
    """A NaN onset is reported as ``onset``."""
    with pytest.raises(ValueError, match=r"^onset must be a finite number, got nan$"):
        pulse(1e-9, float("nan"), 0.01, 0.1, 1e-3)


@pytest.mark.parametrize(
    ("width", "shown"), [(float("nan"), "nan"), (-math.inf, "-inf")], ids=["nan", "-inf"]
)
def test_pulse_rejects_non_finite_width_by_name(width: float, shown: str) -> None:
    """Only ``+inf`` is an allowed infinite width; NaN and ``-inf`` name ``width``."""
    with pytest.raises(ValueError, match=rf"^width must be a finite number, got {shown}$"):
        pulse(1e-9, 0.0, width, 0.1, 1e-3)


def test_pulse_infinite_width_is_a_step() -> None:
    """``width = inf`` gives a step from the onset on (spread over the onset's step)."""
    out = pulse(2.0, 0.0025, math.inf, 0.01, 1e-3)
    expected = np.array([0, 0, 1.0, 2, 2, 2, 2, 2, 2, 2])
    np.testing.assert_allclose(out, expected, rtol=1e-12)


# --------------------------------------------------------------------------
# stimulus._linear_recursion against the step-by-step recursion
# --------------------------------------------------------------------------


def _recursion_reference(rho: float, u: np.ndarray) -> np.ndarray:
    x = u.copy()
    for k in range(1, x.shape[1]):
        x[:, k] = rho * x[:, k - 1] + u[:, k]
    return x


@pytest.mark.parametrize(
    ("rho", "m"),
    [(0.0, 7), (1.0, 9), (math.exp(-1.0), 202), (math.exp(-0.5), 1001), (0.2, 50)],
    ids=["rho0", "rho1", "block-boundary", "blocks", "doubling"],
)
def test_linear_recursion_matches_step_by_step(rho: float, m: int) -> None:
    """``x[k] = rho x[k-1] + u[k]`` for an underflowed (0), unit and block-split ``rho``."""
    rng = np.random.default_rng(3)
    u = rng.normal(size=(2, m))
    expected = _recursion_reference(rho, u)
    got = _linear_recursion(rho, u.copy())
    np.testing.assert_allclose(got, expected, rtol=1e-10, atol=1e-12)


# --------------------------------------------------------------------------
# simulation: array parameters, defaults, argument errors
# --------------------------------------------------------------------------


def test_resistor_current_with_per_neuron_parameters() -> None:
    """``I_R = (V - E_L) / R`` uses each neuron's own ``E_L`` and ``R`` (column per neuron)."""
    params = LIFParams(R=[1e7, 2e7, 5e7], E_L=[-0.065, -0.070, -0.060], V_reset=-0.068)
    res = simulate(params, I=1e-10, duration=0.005, dt=1e-4, spiking=False)
    E_L = np.array([-0.065, -0.070, -0.060])[:, None]
    R = np.array([1e7, 2e7, 5e7])[:, None]
    assert res.I_R.shape == (3, 50)
    np.testing.assert_allclose(res.I_R, (res.V - E_L) / R, rtol=1e-12)
    # current balance: C dV/dt = I - I_R, with V(t) = E_L + R I (1 - exp(-t/tau))
    tau = R * 1e-9
    dVdt = 1e-10 * R / tau * np.exp(-res.t / tau)
    np.testing.assert_allclose(res.I_C, 1e-9 * dVdt, rtol=1e-9, atol=1e-22)


def test_simulate_default_duration_is_one_second() -> None:
    """Without ``duration`` a simulation lasts 1 s (10000 steps of 0.1 ms)."""
    res = simulate(LIFParams(), I=0.0)
    assert res.duration == pytest.approx(1.0)
    assert res.V.shape == (1, 10000)


def test_synapse_list_without_reversal_potentials_is_rejected() -> None:
    """One conductance and an empty ``E_syn`` list is an error, not "no synapse"."""
    msg = (
        r"^g_syn has 1 synapses but E_syn has 0 reversal potentials "
        r"\(give one E_syn per conductance\)$"
    )
    with pytest.raises(ValueError, match=msg):
        simulate(LIFParams(), I=0.0, g_syn=[1e-9], E_syn=[], duration=0.01)


def test_fi_curve_default_reversal_potential_is_zero() -> None:
    """``fi_curve`` with a tonic conductance and no ``E_syn`` uses ``E_syn = 0 V``."""
    p = LIFParams()
    I = np.array([1.0e-9, 2.0e-9])
    default = fi_curve(p, I, duration=0.3, g_syn=5e-9)
    zero = fi_curve(p, I, duration=0.3, g_syn=5e-9, E_syn=0.0)
    plus = fi_curve(p, I, duration=0.3, g_syn=5e-9, E_syn=1.0)
    np.testing.assert_array_equal(default.rate, zero.rate)
    assert np.all(plus.rate > zero.rate)


def test_fi_curve_currents_are_float() -> None:
    """Integer currents come back as a float array (SI amperes)."""
    fc = fi_curve(LIFParams(), [0, 0], duration=0.05)
    assert fc.I.dtype == np.float64
    np.testing.assert_array_equal(fc.rate, [0.0, 0.0])


# --------------------------------------------------------------------------
# simulation._Drive.substeps: exact sub-step integration, closed forms
# --------------------------------------------------------------------------


def _drive(g: float, E: float, I: float = 0.0) -> tuple[_Drive, float, float]:
    """A one-neuron drive with a constant conductance, and its ``V_inf`` and ``tau``.

    A second, event-driven synapse without events (zero conductance) makes it a
    drive with exact conductances, on a grid of 10 ms steps over 50 ms.
    """
    p = LIFParams(V_reset=-0.07).as_arrays(1)
    R, C, E_L = p["R"][0], p["C"][0], p["E_L"][0]
    silent = SynapticConductance([], g_max=1e-9, tau_syn=0.005).on_grid(0.05, 0.01)
    drive = _Drive(
        p,
        np.full((1, 1), I),
        [np.full((1, 1), g), silent.means.reshape(1, -1)],
        [E, -0.08],
        exact={1: silent},
    )
    g_total = 1.0 / R + g
    return drive, (E_L / R + I + g * E) / g_total, C / g_total


def _run(drive: _Drive, t_lo: float, t_hi: float, v: float, V_th: float):
    """``substeps`` for the one neuron in step 1 (10-20 ms)."""
    one = np.array
    t_cross, v_end = drive.substeps(
        one([0]), one([1]), one([t_lo]), one([t_hi]), one([v]), one([V_th])
    )
    return t_cross[0], v_end[0]


@pytest.mark.parametrize(
    ("g", "length"),
    [(1e-8, 0.01), (3e-3, 1e-4), (3e-3, 3e-4)],
    ids=["slow", "stiff", "very-stiff"],
)
def test_substeps_end_value_and_crossing_closed_form(g: float, length: float) -> None:
    """``V(t_hi)`` and the crossing time follow the exponential relaxation exactly.

    ``g = 3 mS`` makes ``tau_eff`` ~0.33 µs, so a 0.1 ms interval decays by e^-300 (and
    0.3 ms by e^-900, beyond the float range): the sub-steps are then integrated one
    after the other (the stiff branch).
    """
    drive, V_inf, tau = _drive(g, E=0.0, I=3e-9)
    assert V_inf > -0.05
    t_lo, v = 0.01, -0.07
    t_hi = t_lo + length
    _, v_end = _run(drive, t_lo, t_hi, v, np.inf)  # no threshold
    expected = V_inf + (v - V_inf) * math.exp(-(t_hi - t_lo) / tau)
    assert v_end == pytest.approx(expected, rel=1e-12)
    t_cross, _ = _run(drive, t_lo, t_hi, v, -0.05)
    t_expected = t_lo + tau * math.log((v - V_inf) / (-0.05 - V_inf))
    assert t_expected < t_hi
    assert t_cross == pytest.approx(t_expected, rel=0, abs=1e-9 * tau)


def test_substeps_stiff_potential_on_every_substep() -> None:
    """Stiff branch, moderate decay per sub-step (e^-13): V relaxes sub-step by sub-step."""
    drive, V_inf, tau = _drive(1e-8, E=0.0)
    t_lo, v = 0.01, -0.07
    _, v_end = _run(drive, t_lo, t_lo + 16 * 13.0 * tau, v, np.inf)
    expected = V_inf + (v - V_inf) * math.exp(-16 * 13.0)
    assert v_end == pytest.approx(expected, rel=1e-13)


def test_substeps_stiff_crossing_in_a_later_substep() -> None:
    """Stiff branch: a threshold e^-20 below ``V_inf`` is crossed at ``t_lo + 20 tau``.

    With e^-13 per sub-step that is inside the second sub-step, not the first.
    """
    drive, V_inf, tau = _drive(1e-8, E=0.0, I=3e-9)
    t_lo, v = 0.01, -0.07
    V_th = V_inf + (v - V_inf) * math.exp(-20.0)
    t_cross, _ = _run(drive, t_lo, t_lo + 16 * 13.0 * tau, v, V_th)
    assert t_cross == pytest.approx(t_lo + 20.0 * tau, rel=0, abs=1e-5 * tau)


def test_substeps_steady_state_at_threshold_never_crosses() -> None:
    """``V_inf == V_th``: V only approaches threshold, so there is no crossing."""
    drive, V_inf, _tau = _drive(3e-3, E=0.0)
    t_cross, v_end = _run(drive, 0.01, 0.0101, -0.07, V_inf)
    assert v_end == pytest.approx(V_inf, rel=1e-15)
    assert math.isnan(t_cross)


def test_substeps_starting_at_threshold_cross_at_the_start() -> None:
    """A neuron at threshold with ``V_inf`` above it crosses at ``t_lo`` (also for h = 0)."""
    drive, V_inf, _tau = _drive(1e-8, E=0.0, I=3e-9)
    assert V_inf > -0.05
    for t_hi in (0.0101, 0.01):
        t_cross, _ = _run(drive, 0.01, t_hi, -0.05, -0.05)
        assert t_cross == 0.01


# --------------------------------------------------------------------------
# _integrals against scipy quadrature
# --------------------------------------------------------------------------


def _rate_reference(a: float, b: float) -> tuple[float, float]:
    top = min(b, 0.0)
    neg = integrate.quad(lambda u: special.erfcx(-u), a, top, epsabs=0, epsrel=1e-13)[0]
    neg = neg if a < top else 0.0
    bp = max(b, 0.0)
    lo = max(a, 0.0)

    def f(u: float) -> float:
        return math.exp(u * u - bp * bp) * (1.0 + math.erf(u))

    pos = integrate.quad(f, lo, bp, epsabs=0, epsrel=1e-13, limit=200)[0] if bp > lo else 0.0
    return neg, pos


@pytest.mark.parametrize(
    ("a", "b"),
    [(-3.0, 1.5), (0.5, 2.0), (-1.0, 8.0), (-2.0, -0.5), (0.0, 6.9), (0.0, 10.0)],
)
def test_rate_integral_matches_quadrature(a: float, b: float) -> None:
    """Both scaled parts of ``∫_a^b erfcx(-u) du`` agree with adaptive quadrature."""
    M_neg, M_pos = rate_integral(np.array([a]), np.array([b]))
    neg, pos = _rate_reference(a, b)
    np.testing.assert_allclose(M_neg, [neg], rtol=1e-12, atol=1e-300)
    np.testing.assert_allclose(M_pos, [pos], rtol=1e-12, atol=1e-300)


def _L_reference(x: float) -> float:
    def f(y: float) -> float:
        return math.exp(y * y - x * x) * (1.0 + math.erf(y)) ** 2

    return integrate.quad(f, 0.0, x, epsabs=0, epsrel=1e-13, limit=200)[0] if x > 0 else 0.0


def _cv_reference(a: float, b: float) -> tuple[float, float, float]:
    """``D_neg``, ``G(0) D_1`` and ``D_2`` of :func:`cv_integral` by nested quadrature."""

    def G(x: float) -> float:  # ∫_{-inf}^x exp(x^2 - y^2) erfcx(-y)^2 dy, x <= 0
        def f(y: float) -> float:
            return math.exp(x * x - y * y) * special.erfcx(-y) ** 2

        return integrate.quad(f, -np.inf, x, epsabs=0, epsrel=1e-13, limit=200)[0]

    top = min(b, 0.0)
    D_neg = integrate.quad(G, a, top, epsabs=0, epsrel=1e-12)[0] if a < top else 0.0
    bp, c = max(b, 0.0), max(a, 0.0)
    G0 = G(0.0)
    # D_1 = ∫_c^bp exp(x^2 - bp^2) dx, in closed form with Dawson's function
    D_1 = special.dawsn(bp) - math.exp(c * c - bp * bp) * special.dawsn(c)

    def f2(x: float) -> float:
        return math.exp(2.0 * (x * x - bp * bp)) * _L_reference(x)

    D_2 = integrate.quad(f2, c, bp, epsabs=0, epsrel=1e-12, limit=200)[0] if bp > c else 0.0
    return D_neg, G0 * D_1, D_2


@pytest.mark.parametrize(
    ("a", "b"), [(-2.0, 1.0), (0.5, 1.5), (-0.5, 6.0), (0.0, 8.0), (0.0, 5.0), (0.2, 7.0)]
)
def test_cv_integral_matches_quadrature(a: float, b: float) -> None:
    """The three scaled parts of the CV double integral agree with nested quadrature."""
    got = cv_integral(np.array([a]), np.array([b]))
    ref = _cv_reference(a, b)
    for part, expected in zip(got, ref, strict=True):
        np.testing.assert_allclose(part, [expected], rtol=1e-12, atol=1e-300)


def test_integrals_broadcast_over_2d_bounds() -> None:
    """2-D bounds give 2-D parts equal to the element-wise results."""
    a = np.array([[-2.0, 0.5, -0.5], [0.0, -1.0, 0.2]])
    b = np.array([[1.0, 1.5, 3.0], [2.0, -0.2, 7.5]])
    for fn in (rate_integral, cv_integral):
        parts = fn(a, b)
        flat = fn(a.ravel(), b.ravel())
        for part, ref in zip(parts, flat, strict=True):
            assert part.shape == (2, 3)
            np.testing.assert_allclose(part, ref.reshape(2, 3), rtol=1e-14)


def test_decay_length_closed_form_and_no_warning() -> None:
    """``w = b - sqrt(b^2 - cut/rate)`` when ``rate b^2 > cut``, else ``b``; inf is quiet."""
    b = np.array([1.0, 5.0, 8.0, np.inf])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        w1 = _decay_length(b, 1.0)
        w2 = _decay_length(b, 2.0)
    np.testing.assert_allclose(w1[:3], [1.0, 5.0, 8.0 - math.sqrt(64.0 - 45.0)], rtol=1e-14)
    np.testing.assert_allclose(
        w2[:3], [1.0, 5.0 - math.sqrt(2.5), 8.0 - math.sqrt(64.0 - 22.5)], rtol=1e-14
    )
