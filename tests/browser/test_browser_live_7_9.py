"""Live previews of chapters 7-9 in a real browser, at slider values other than Python's.

``LIFLive.previewFigure(key, {slider: value})`` is the figure a chart's preview draws while
that slider is at that value (display units). Here those figures are checked against
physics and closed forms, not against Python's figure (``test_browser_live.py`` does that
at Python's values, ``tests/test_preview_7_9.py`` at many others under Node):

- page 9: at any dt the exact propagator's spikes are the closed form's, forward Euler's
  are not; the engine's errors sit at round-off while Euler's fall in proportion to dt;
- chapter 8: without noise every trial fires at the closed-form times, or never below the
  rheobase; the rate theory is lif_core's Siegert formula; the simulated rate of the
  trials agrees with it where the theory holds;
- chapter 7: the HH fires a real spike (overshoot, ~1 ms wide) and stays at rest without
  input; a short hyperpolarisation gives no rebound; class 2 (HH) against class 1 (LIF) at
  the onset; an AdEx without adaptation is tonic beside an LIF twin firing at its closed
  form; strong coupling brings the dendrite's input to the soma nearly whole.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from liflab_browser import open_page

from lif_core import LIFParams, noise, theory
from lif_core.analysis import beyond
from lif_core.analysis.adaptation import adex_lif_twin
from lif_core.models.adex import PRESETS
from tests.figure_reader import vertical_ticks

pytestmark = pytest.mark.browser

nA, mV, ms = 1e-9, 1e-3, 1e-3

#: The preview of a chart at some slider values: traces by name (x, y, error bars) and the
#: texts of the visible annotations.
PREVIEW_JS = """([key, over]) => {
  const f = LIFLive.previewFigure(key, over);
  const arr = (v) => (v === undefined || v === null) ? [] : Array.from(v);
  const traces = {};
  for (const t of f.data) {
    traces[t.name] = {x: arr(t.x), y: arr(t.y),
                      err: t.error_y ? arr(t.error_y.array) : []};
  }
  const notes = (f.layout.annotations || []).filter((a) => a.visible !== false)
    .map((a) => String(a.text));
  return {traces, notes, errors: LIFLive.stats.errors.slice()};
}"""


def _preview(page, key: str, **over: float) -> dict:
    out = page.evaluate(PREVIEW_JS, [key, over])
    assert out["errors"] == [], out["errors"]
    return out


def _marks(trace: dict) -> np.ndarray:
    """Times (ms) of spike marks drawn as [t, t, nan] triples."""
    x = np.array([v if v is not None else np.nan for v in trace["x"]], dtype=float)
    return x[0::3]


def _finite(values: list) -> np.ndarray:
    a = np.array([v if v is not None else np.nan for v in values], dtype=float)
    return a[np.isfinite(a)]


def _closed_form_spikes(p: LIFParams, I: float, duration: float) -> np.ndarray:
    """Spike times (s) of the LIF from E_L under a constant current: T1 + k (t_ref + T)."""
    V_inf = p.E_L + p.R * I
    T1 = p.tau * math.log((V_inf - p.E_L) / (V_inf - p.V_th))
    period = p.t_ref + float(theory.time_to_threshold(p, I))
    times = T1 + period * np.arange(int(duration / period) + 2)
    return times[times < duration]


# --------------------------------------------------------------------------- page 9


def test_numerics_previews_the_exact_and_the_euler_spikes_at_any_dt(app_server, page):
    open_page(page, app_server.url, "How_the_simulator_works")
    p = LIFParams()
    for dt in (3.0, 0.35):
        exact = _preview(page, "num_exact", num_dt=dt)["traces"]
        euler = _preview(page, "num_euler", num_dt=dt)["traces"]
        duration = math.ceil(80.0 / dt - 1e-9) * dt * ms
        expected = _closed_form_spikes(p, 2 * nA, duration) / ms
        # the engine's spikes are the closed form's at this dt, on and off the grid
        np.testing.assert_allclose(_marks(exact["spikes"]), expected, atol=1e-9)
        np.testing.assert_allclose(_marks(exact["closed-form spikes"]), expected, atol=1e-9)
        # Euler's first spike is off by a sizeable part of a step (first order)
        assert abs(_marks(euler["spikes"])[0] - expected[0]) > 0.05 * dt
        # the exact points sit on the closed form: V at every grid point below threshold
        assert max(exact["exact (engine)"]["y"]) < p.V_th / mV

    rate = _preview(page, "num_rate_error", num_I=3.0, num_dt=0.5)["traces"]
    dts = np.array(rate["Euler"]["x"])
    floor = rate["round-off"]["y"][0]
    rate0 = float(theory.firing_rate(p, 3 * nA))
    assert floor == pytest.approx(float(np.spacing(rate0)), rel=1e-12)
    # the engine is exact at every dt: its error is drawn on the round-off floor
    assert max(rate["exact (engine)"]["y"]) <= 64 * floor
    # forward Euler is first order: its error falls in proportion to dt
    euler = np.array(rate["Euler"]["y"])
    slope = np.polyfit(np.log(dts), np.log(euler), 1)[0]
    assert 0.85 < slope < 1.15
    assert rate["dt on the slider"]["x"] == [0.5, 0.5]


# --------------------------------------------------------------------------- chapter 8


def test_noise_previews_the_deterministic_limit_and_the_siegert_rate(app_server, page):
    open_page(page, app_server.url, "Noise_and_irregular_firing")
    p = LIFParams()
    # no noise, above the rheobase: every trial fires at the closed-form times
    trials = _preview(page, "nz_trials", nz_sV=0.0, nz_I=2.5)["traces"]
    expected = _closed_form_spikes(p, 2.5 * nA, 1.0) / ms
    x, rows, _ = vertical_ticks(trials["raster"]["x"], trials["raster"]["y"])
    assert sorted(set(rows)) == list(range(2, 41))
    for row in (2, 17, 40):
        np.testing.assert_allclose(x[rows == row], expected, atol=1.01e-3)
    x, rows, _ = vertical_ticks(trials["raster, trial 1"]["x"], trials["raster, trial 1"]["y"])
    np.testing.assert_allclose(x, expected, atol=1.01e-3)
    assert np.all(rows == 1.0)
    isi = _preview(page, "nz_isi", nz_sV=0.0, nz_I=2.5)["traces"]
    assert sum(isi["intervals"]["y"]) == 40 * (expected.size - 1)

    # no noise below the rheobase (1.5 nA): silence
    quiet = _preview(page, "nz_trials", nz_sV=0.0, nz_I=1.2)["traces"]
    assert quiet["raster"]["x"] == [] and quiet["raster, trial 1"]["x"] == []
    assert max(quiet["V, trial 1"]["y"]) < p.V_th / mV

    # the rate theory at another correlation time is lif_core's Siegert formula
    rate = _preview(page, "nz_rate", nz_tau=1.0, nz_I=1.2, nz_sV=3.0)["traces"]
    currents = np.array(rate["2 mV"]["x"]) * nA
    np.testing.assert_allclose(
        rate["2 mV"]["y"], noise.firing_rate(p, currents, 2 * mV, 1 * ms), rtol=1e-9
    )
    np.testing.assert_allclose(rate["0 mV"]["y"], theory.firing_rate(p, currents), rtol=1e-12)
    assert rate["simulated, 2 mV"]["x"] == []  # simulated at another tau_s: hidden
    # this setting's simulated rate (the star) agrees with the theory where it holds
    (I_star,), (rate_star,) = (
        rate["this setting (simulated)"]["x"],
        rate["this setting (simulated)"]["y"],
    )
    (se,) = rate["this setting (simulated)"]["err"]
    assert I_star == pytest.approx(1.2)
    expected_rate = float(noise.firing_rate(p, 1.2 * nA, 3 * mV, 1 * ms))
    assert abs(rate_star - expected_rate) < 4 * se + 0.03 * expected_rate, (
        rate_star,
        expected_rate,
    )
    assert rate_star > 5.0  # below the rheobase (1.5 nA), noise makes it fire


# --------------------------------------------------------------------------- chapter 7


def test_beyond_previews_the_richer_models_physics(app_server, page):
    open_page(page, app_server.url, "What_the_LIF_leaves_out")
    twin = beyond.hh_lif_twin()
    # no input: the HH stays at rest, nothing is declared
    quiet = _preview(page, "bx_spike", bx_amp=0.0)
    V = np.array(quiet["traces"]["HH"]["y"])
    assert np.ptp(V) < 0.01 and quiet["traces"]["LIF spike"]["x"] == []
    assert not any(n.startswith("peak") for n in quiet["notes"])
    # a strong pulse: a real action potential above 0 mV, about a millisecond wide
    strong = _preview(page, "bx_spike", bx_amp=20.0)
    assert max(strong["traces"]["HH"]["y"]) > 20.0
    assert strong["traces"]["LIF spike"]["y"][0] == pytest.approx(twin.V_th / mV)
    (width,) = [n for n in strong["notes"] if n.startswith("width")]
    assert 0.5 < float(width.split()[1]) < 2.0

    # a 3 ms hyperpolarisation: no rebound (the gates need time); 10 ms: a rebound spike
    assert "rebound spike" not in _preview(page, "bx_rebound_chart", bx_hypw=3.0)["notes"]
    rebound = _preview(page, "bx_rebound_chart", bx_hypw=10.0, bx_hyp=-5.0)
    assert "rebound spike" in rebound["notes"] and max(rebound["traces"]["HH"]["y"]) > 0

    # class 2 against class 1: below the onset the HH does not fire repetitively, just
    # above it jumps to ~50 Hz; the LIF's rate is its closed form
    rate_twin = beyond.hh_rate_twin()
    for I, low, high in ((5.5, 0.0, 0.0), (6.5, 45.0, 65.0)):
        star = _preview(page, "bx_fi", bx_I=I)["traces"]["this current"]
        assert low <= star["y"][0] <= high, (I, star)
        assert star["y"][1] == pytest.approx(
            float(theory.firing_rate(rate_twin, I * nA)), rel=1e-12
        )

    # an AdEx without adaptation (a = b = 0) fires tonically; its LIF twin at its closed form
    preset = PRESETS["adapting"]
    isi = _preview(page, "bx_isi", bx_b_adapting=0.0, bx_a_adapting=0.0)["traces"]
    adex = np.array(isi["AdEx"]["y"])
    assert adex.size > 10 and np.ptp(adex[1:]) < 0.01 * adex[-1]
    lif_twin = adex_lif_twin(preset.params.replace(a=0.0, b=0.0))
    period = float(theory.time_to_threshold(lif_twin, preset.I_step)) / ms
    np.testing.assert_allclose(isi["LIF twin"]["y"], period, atol=1.01e-4)

    # strong coupling: the dendrite's input reaches the soma nearly whole and soon
    dend = _preview(page, "bx_dend", bx_gc=200.0)
    (label,) = [n for n in dend["notes"] if "smaller" in n]
    assert label.startswith("1.8× smaller")
    peaks = dend["traces"]["peaks at the soma"]["y"]
    assert peaks[0] > peaks[1] > 0.5 * peaks[0]
    # the one-compartment LIF: R I (1 - exp(-w / tau)) at the end of the 2 ms pulse
    R, C = 1.0 / 50e-9, 1e-9
    top = R * 1 * nA * (1.0 - math.exp(-2 * ms / (R * C))) / mV
    assert max(dend["traces"]["LIF (one compartment)"]["y"]) == pytest.approx(top, abs=2e-3)
