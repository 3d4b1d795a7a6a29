"""What the browser draws is right: chart data read back from plotly, checked against the
slider values shown on the page and the closed-form physics (not against lif_core).

Units on the page: MΩ, nF, mV, ms, nA, Hz, so R·I is in mV (MΩ·nA), τ = R·C in ms
(MΩ·nF) and the rheobase (V_th − E_L)/R in nA.
"""

from __future__ import annotations

import math
import re

import pytest
from liflab_browser import CHAPTERS, chart, exceptions, open_page, press_slider, slider_value, trace

pytestmark = pytest.mark.browser

PATHS = {p.url_path for p in CHAPTERS}


def _require(path: str) -> None:
    if path not in PATHS:
        pytest.skip(f"page /{path} does not exist (yet)")


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
