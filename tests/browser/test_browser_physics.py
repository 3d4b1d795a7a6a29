"""What the browser draws is right: chart data read back from plotly, checked against the
slider values shown on the page and the closed-form physics (not against lif_core).

Every chapter has a check here, run again after a keyboard change of a slider. A chapter
that is renamed or missing fails (no skip): the list of chapters is the page contract's.

Units on the page: MΩ, nF, mV, ms, nA, nS, Hz, so R·I is in mV (MΩ·nA), τ = R·C in ms
(MΩ·nF), the rheobase (V_th − E_L)/R in nA and a conductance times a potential g·E in pA.
"""

from __future__ import annotations

import itertools
import math
import re

import pytest
from liflab_browser import CHAPTERS, chart, exceptions, open_page, press_slider, slider_value, trace

pytestmark = pytest.mark.browser

PATHS = {p.url_path for p in CHAPTERS}


def _require(path: str) -> None:
    """The chapter exists: a renamed or missing page fails instead of skipping."""
    assert path in PATHS, f"page /{path} does not exist; chapters: {sorted(PATHS)}"


def _plateau_check(page) -> None:
    R, C, E_L = (slider_value(page, k) for k in ("R", "C", "E_L"))
    I, onset, width = (slider_value(page, k) for k in ("rc_amp", "rc_onset", "rc_width"))
    tau = R * C
    plateau = E_L + R * I
    fig = chart(page, "rc_voltage")
    sim = trace(fig, "simulated V")
    during = [v for t, v in zip(sim["x"], sim["y"], strict=True) if onset <= t <= onset + width]
    assert during, "no simulated point inside the pulse"
    reached = max(during) if I > 0 else min(during)
    # exponential approach: at the end of the pulse the gap is R·I·exp(-width/tau)
    gap = abs(R * I) * math.exp(-width / tau)
    assert abs(reached - plateau) <= gap + 0.02, (
        f"V during the pulse peaks at {reached:.3f} mV; E_L + R·I = {plateau:.3f} mV "
        f"(R={R} MΩ, I={I} nA, E_L={E_L} mV, tau={tau} ms, allowed gap {gap:.3f} mV)"
    )
    # ... from one side: V never overshoots the plateau
    assert (reached - plateau) * math.copysign(1, I) <= 1e-6, "V overshoots E_L + R·I"
    lines = [s["y0"] for s in fig["shapes"] if s["type"] == "line" and s["y0"] == s["y1"]]
    assert any(math.isclose(y, plateau, abs_tol=1e-6) for y in lines), (
        f"no horizontal line at E_L + R·I = {plateau} mV; lines at {lines}"
    )
    before = [v for t, v in zip(sim["x"], sim["y"], strict=True) if t < onset]
    assert all(math.isclose(v, E_L, abs_tol=1e-6) for v in before), "V not at rest before onset"


def test_rc_charging_plateau_is_E_L_plus_R_I_after_keyboard_changes(app_server, page):
    """Page 1: the drawn V(t) settles at E_L + R·I, for the amplitude and R set by keys."""
    _require("Membrane_RC_circuit")
    open_page(page, app_server.url, "Membrane_RC_circuit")
    _plateau_check(page)
    I0 = slider_value(page, "rc_amp")
    press_slider(page, "rc_amp", "ArrowRight", times=3)
    assert math.isclose(slider_value(page, "rc_amp"), I0 + 0.3, abs_tol=1e-9)
    _plateau_check(page)
    R0 = slider_value(page, "R")
    press_slider(page, "R", "ArrowRight", times=2)
    assert slider_value(page, "R") == R0 + 2
    _plateau_check(page)
    assert not exceptions(page)


def _rheobase_shown(page) -> float:
    """The rheobase readout of the sidebar ("Rheobase = 1.50 nA"), in nA."""
    text = page.locator('[data-testid="stSidebar"]').inner_text().replace("−", "-")
    m = re.search(r"Rheobase\s*=?\s*(-?\d+(?:\.\d+)?)\s*nA", text)
    assert m, f"no rheobase readout in the sidebar: {text[:500]!r}"
    return float(m.group(1))


def _fi_check(page) -> None:
    R, C = slider_value(page, "R"), slider_value(page, "C")
    E_L, V_th, V_reset = (slider_value(page, k) for k in ("E_L", "V_th", "V_reset"))
    t_ref = slider_value(page, "t_ref")
    tau = R * C
    rheobase = (V_th - E_L) / R
    shown = _rheobase_shown(page)
    assert math.isclose(shown, rheobase, abs_tol=0.006), (
        f"sidebar shows rheobase {shown} nA, (V_th - E_L)/R = {rheobase:.4f} nA"
    )

    def rate(I: float, tr: float) -> float:
        v_inf = E_L + R * I
        if v_inf <= V_th:
            return 0.0
        return 1e3 / (tr + tau * math.log((v_inf - V_reset) / (v_inf - V_th)))

    fig = chart(page, "fi_curve")
    checked = 0
    for tr in fig["data"]:
        name = tr["name"] or ""
        if not name.startswith(("theory", "simulated")):
            continue
        t_ref_trace = 0.0 if name.endswith("t_ref = 0") else t_ref
        for I, f in zip(tr["x"], tr["y"], strict=True):
            if I is None or f is None:
                continue
            if I < rheobase * (1 - 1e-9):
                assert f == 0, f"{name}: {f} Hz at {I} nA, below the rheobase {rheobase} nA"
                checked += 1
            expected = rate(I, t_ref_trace)
            if name.startswith("theory") or expected >= 10:
                assert math.isclose(f, expected, rel_tol=0.01, abs_tol=1e-6), (
                    f"{name}: {f} Hz at {I} nA, closed form {expected:.3f} Hz"
                )
    assert checked > 0, "no point below the rheobase was drawn"
    line = trace(fig, "rheobase")
    assert all(math.isclose(x, rheobase, rel_tol=1e-9) for x in line["x"]), line["x"]
    if t_ref > 0:
        ceiling = trace(fig, "ceiling")
        assert all(math.isclose(y, 1e3 / t_ref, rel_tol=1e-9) for y in ceiling["y"])


def test_fi_curve_is_zero_below_the_rheobase_shown(app_server, page):
    """Page 4: f–I points and curves are 0 below the sidebar's rheobase and match f(I)."""
    _require("Refractory_period_f-I")
    open_page(page, app_server.url, "Refractory_period_f-I")
    _fi_check(page)
    press_slider(page, "V_th", "ArrowRight", times=2)
    _fi_check(page)
    press_slider(page, "R", "ArrowLeft")
    _fi_check(page)
    assert not exceptions(page)


def _points(tr) -> list[tuple[float, float]]:
    return [
        (x, y) for x, y in zip(tr["x"], tr["y"], strict=True) if x is not None and y is not None
    ]


def _neuron(page) -> dict[str, float]:
    return {k: slider_value(page, k) for k in ("R", "C", "E_L", "V_th", "V_reset", "t_ref")}


def _equilibrium_check(page) -> None:
    n = _neuron(page)
    I = slider_value(page, "eq_I")
    tau = n["R"] * n["C"]
    v_inf = n["E_L"] + n["R"] * I
    phase = chart(page, "eq_phase")
    fixed = trace(phase, "stable fixed point")
    assert math.isclose(fixed["x"][0], v_inf, abs_tol=1e-6) and fixed["y"][0] == 0
    pts = _points(trace(phase, "dV/dt"))
    assert len(pts) > 100
    for V, dVdt in pts:  # τ dV/dt = V∞ − V, in mV/ms
        assert math.isclose(dVdt, (v_inf - V) / tau, abs_tol=2e-4), (V, dVdt, v_inf, tau)
    relax = chart(page, "eq_relax")
    sims = [tr for tr in relax["data"] if tr["name"] == "simulated V(t)"]
    assert len(sims) == 7
    for tr in sims:
        (t0, V0), *_ = _points(tr)
        for t, V in _points(tr)[::25]:
            expected = v_inf + (V0 - v_inf) * math.exp(-(t - t0) / tau)
            assert math.isclose(V, expected, abs_tol=2e-3), (t, V, expected)
    line = trace(relax, "fixed point")
    assert all(math.isclose(y, v_inf, abs_tol=1e-6) for y in line["y"])


def test_equilibrium_is_E_L_plus_R_I_and_the_phase_line_has_slope_minus_one_over_tau(
    app_server, page
):
    """Page 2: the fixed point, the phase line and every trajectory, after key presses."""
    _require("Resting_equilibrium")
    open_page(page, app_server.url, "Resting_equilibrium")
    _equilibrium_check(page)
    press_slider(page, "eq_I", "ArrowRight", times=4)
    _equilibrium_check(page)
    press_slider(page, "C", "ArrowLeft", times=3)
    _equilibrium_check(page)
    assert not exceptions(page)


def _threshold_check(page) -> None:
    n = _neuron(page)
    I = slider_value(page, "th_amp")
    tau = n["R"] * n["C"]
    fig = chart(page, "th_trace")
    th, reset = trace(fig, "threshold V_th"), trace(fig, "reset V_reset")
    assert all(math.isclose(y, n["V_th"], abs_tol=1e-6) for y in th["y"])
    assert all(math.isclose(y, n["V_reset"], abs_tol=1e-6) for y in reset["y"])
    V = [y for _, y in _points(trace(fig, "simulated V(t)"))]
    assert max(V) < n["V_th"] and min(V) >= min(n["V_reset"], n["E_L"]) - 1e-3
    current = [y for _, y in _points(trace(fig, "injected I"))]
    assert math.isclose(max(current), I, abs_tol=1e-4)
    spikes = [x for x, _ in _points(trace(fig, "spikes"))]
    v_inf = n["E_L"] + n["R"] * I
    if v_inf <= n["V_th"]:
        assert not spikes
        return
    T = tau * math.log((v_inf - n["V_reset"]) / (v_inf - n["V_th"]))
    isi = [b - a for a, b in itertools.pairwise(spikes)]
    assert len(isi) >= 3
    for d in isi[1:]:  # after the first interval (from rest): t_ref + T
        assert math.isclose(d, n["t_ref"] + T, abs_tol=2e-3), (d, n["t_ref"] + T)


def test_spikes_come_every_t_ref_plus_T_between_the_drawn_threshold_and_reset(app_server, page):
    """Page 3: threshold and reset lines at the sidebar values, ISIs from the closed form."""
    _require("Threshold_and_spikes")
    open_page(page, app_server.url, "Threshold_and_spikes")
    _threshold_check(page)
    press_slider(page, "th_amp", "ArrowRight", times=5)
    _threshold_check(page)
    press_slider(page, "V_reset", "ArrowRight", times=4)
    _threshold_check(page)
    press_slider(page, "t_ref", "ArrowRight", times=3)
    _threshold_check(page)
    assert not exceptions(page)


def _synapse_check(page) -> None:
    n = _neuron(page)
    rate, g_max, tau_syn, E_syn = (
        slider_value(page, k) for k in ("syn_rate", "syn_g", "syn_tau", "syn_E")
    )
    pre = chart(page, "syn_pre")
    ticks = [x for x, _ in _points(trace(pre, "presynaptic spikes"))]
    # a regular train: one event every 1/rate from min(1/rate, 20 ms) to the end (500 ms)
    first = min(1e3 / rate, 20.0)
    expected_ticks = [first + k * 1e3 / rate for k in range(int((500 - first) * rate / 1e3) + 1)]
    expected_ticks = [t for t in expected_ticks if t < 500.0]
    assert len(ticks) == len(expected_ticks)
    assert all(math.isclose(a, b, abs_tol=1e-6) for a, b in zip(ticks, expected_ticks, strict=True))
    # the conductance: events add up; each drawn as its mean over the 0.1 ms step after it
    g = [y for _, y in _points(trace(pre, "conductance g(t)"))]
    step = tau_syn / 0.1 * (1 - math.exp(-0.1 / tau_syn))
    peak = g_max * step / (1 - math.exp(-1e3 / rate / tau_syn))
    assert math.isclose(max(g), peak, rel_tol=2e-3), (max(g), peak)
    for key in ("syn_current", "syn_conductance"):
        fig = chart(page, key)
        line = trace(fig, "E_syn")
        assert all(math.isclose(y, E_syn, abs_tol=1e-6) for y in line["y"])
    frozen = trace(chart(page, "syn_current"), "E_L − E_syn")
    assert all(math.isclose(y, n["E_L"] - E_syn, abs_tol=1e-6) for y in frozen["y"])
    # conductance-based: the drawn driving force is the drawn V minus E_syn, point by point
    fig = chart(page, "syn_conductance")
    V = dict(_points(trace(fig, "V")))
    drive = dict(_points(trace(fig, "V − E_syn")))
    shared = set(V) & set(drive)
    assert len(shared) > 50
    assert all(math.isclose(drive[t], V[t] - E_syn, abs_tol=2e-6) for t in shared)


def test_synapse_charts_follow_rate_conductance_and_reversal_potential(app_server, page):
    """Page 5: presynaptic events, the summed conductance, E_syn and the driving forces."""
    _require("Synaptic_conductances")
    open_page(page, app_server.url, "Synaptic_conductances")
    _synapse_check(page)
    press_slider(page, "syn_E", "ArrowLeft", times=5)
    _synapse_check(page)
    press_slider(page, "syn_tau", "ArrowRight", times=4)
    _synapse_check(page)
    press_slider(page, "syn_rate", "ArrowRight", times=7)
    _synapse_check(page)
    assert not exceptions(page)


def _shunting_check(page) -> None:
    n = _neuron(page)
    g_exc, g_inh, dE = (slider_value(page, k) for k in ("sh_ge", "sh_gi", "sh_dEi"))
    fig = chart(page, "sh_traces")
    E_inh = trace(fig, "E_inh")
    assert all(math.isclose(y, n["E_L"] + dE, abs_tol=1e-6) for y in E_inh["y"])
    rest = trace(fig, "E_L (rest)")
    assert all(math.isclose(y, n["E_L"], abs_tol=1e-6) for y in rest["y"])
    gi = [y for _, y in _points(trace(fig, "g_inh"))]
    assert math.isclose(max(gi), g_inh, rel_tol=1e-9, abs_tol=1e-9)
    ge = [y for _, y in _points(trace(fig, "g_exc"))]
    step = 5.0 / 0.1 * (1 - math.exp(-0.1 / 5.0))  # τ_exc = 5 ms, mean over the first step
    assert math.isclose(max(ge), g_exc * step, rel_tol=1e-6, abs_tol=1e-9)
    # I alone settles at its steady state (E_L/R + g_inh E_inh)/(1/R + g_inh): G in µS = 1/MΩ
    g_L = 1 / n["R"] * 1e3  # nS
    v_rest = (g_L * n["E_L"] + g_inh * (n["E_L"] + dE)) / (g_L + g_inh)
    V_I = [y for _, y in _points(trace(fig, "I alone"))]
    assert math.isclose(V_I[-1], v_rest, abs_tol=0.05), (V_I[-1], v_rest)
    # f–I under inhibition: each dashed curve is zero up to its own rheobase, in nA
    dE_hyp = slider_value(page, "sh_dEh")
    fi = chart(page, "sh_fi")
    for name, E in (("no inhibition", None), ("shunting", n["E_L"]), ("hyperpolarising", None)):
        if name == "hyperpolarising":
            E = n["E_L"] + dE_hyp
        g = 0.0 if E is None else g_inh
        E = n["E_L"] if E is None else E
        rheobase = ((g_L + g) * n["V_th"] - g_L * n["E_L"] - g * E) * 1e-3  # nS·mV = pA
        tr = next(t for t in fi["data"] if (t["name"] or "").startswith(name))
        for I, f in _points(tr):
            if I < rheobase * (1 - 1e-6):
                assert f == 0, (name, I, f, rheobase)
            elif I > rheobase * (1 + 1e-3):
                assert f > 0, (name, I, f, rheobase)


def test_shunting_charts_follow_the_conductances_and_reversal_potentials(app_server, page):
    """Page 6: E_inh and rest lines, the conductance traces, I alone's steady state, and the
    rheobase of each f–I curve under inhibition."""
    _require("Shunting_inhibition")
    open_page(page, app_server.url, "Shunting_inhibition")
    _shunting_check(page)
    press_slider(page, "sh_dEi", "ArrowLeft", times=8)
    _shunting_check(page)
    press_slider(page, "sh_gi", "ArrowLeft", times=6)
    _shunting_check(page)
    press_slider(page, "sh_dEh", "ArrowLeft", times=5)
    _shunting_check(page)
    assert not exceptions(page)
