"""The live previews of chapters 7-9 under Node: every chart's preview against Python's figure.

At settings other than the pages' defaults (the browser tests check those), each chart's
preview spec is built as its page builds it and the recipe's figure is compared with the
figure the page's cached view draws there, by the browser tests' own comparison
(``tests/js/run_preview.js``): every trace, shape, label and axis range to the display
rounding. The richer models the browser runs for chapter 7 (``preview/ch7_core.js``)
and the Siegert rate of chapter 8 (``preview/ch8_theory.js``) are checked against
lif_core's numbers directly. One Node process for the file (~5 s with the figures).

Without Node the tests are skipped, unless ``CI=true`` (then they fail), as in
``tests/test_js_engine.py``.
"""

from __future__ import annotations

import json
import logging
import math
import os

import numpy as np
import pytest

import lab_cache_beyond as beyond_cache
import lab_cache_noise as noise_cache
from lab.neuron import NEURON_SLIDERS
from lif_core import LIFParams, noise, stimulus
from lif_core.analysis import beyond
from lif_core.models.adex import PRESETS, AdExParams, simulate_adex
from lif_core.models.compartments import TwoCompartmentParams, simulate_two_compartment
from lif_core.models.hh import simulate_hh
from lif_figures import beyond as beyond_figures
from tests.js.engine_cases import find_node
from tests.js.preview_cases import Case, Expr, run_cases, spec

IN_CI = os.environ.get("CI", "").lower() == "true"
nA, mV, ms = 1e-9, 1e-3, 1e-3

#: V_reset below E_L, t_ref off the grid, tau = 8 ms: tells the formulas apart.
OTHER = LIFParams(R=20e6, C=0.4e-9, E_L=-70 * mV, V_th=-52 * mV, V_reset=-72 * mV, t_ref=2.05 * ms)

logging.getLogger("streamlit").setLevel(logging.ERROR)  # "no runtime" notes of the caches


@pytest.fixture(scope="module", autouse=True)
def node() -> str:
    path = find_node()
    if path is None:
        reason = "preview tests skipped: Node is not installed (apt-get install nodejs)"
        if IN_CI:
            pytest.fail(reason.replace("skipped", "cannot run with CI=true"), pytrace=False)
        pytest.skip(reason)
    return path


# --------------------------------------------------------------------------- chapter 7


def _chapter_7() -> list[Case]:
    hh = beyond_cache.hh_preview()
    cases = []
    for amp, width in [(7 * nA, 1 * ms), (0.0, 1 * ms), (30 * nA, 5 * ms)]:
        sliders = {"amplitude": ("bx_amp", "nA", amp), "width": ("bx_width", "ms", width)}
        fig = beyond_cache.spike_view(amp, width).figure
        cases.append(
            Case(
                f"spike {amp} {width}",
                "bx_spike",
                spec("bx_spike", "figure", sliders, fixed=hh),
                fig,
            )
        )
    for preset, a, b, tau_w, I in [
        ("adapting", 0.3 * nA, 0.0, 50 * ms, 100e-12),
        ("regular bursting", -1.0 * nA, 30e-12, 200 * ms, 40e-12),
        ("transient", 1.0 * nA, 10e-12, 100 * ms, 55e-12),
    ]:
        slug = preset.replace(" ", "_")
        sliders = {
            "a": (f"bx_a_{slug}", "nS", a),
            "b": (f"bx_b_{slug}", "pA", b),
            "tau_w": (f"bx_tw_{slug}", "ms", tau_w),
            "I_step": (f"bx_I_{slug}", "pA", I),
        }
        view = beyond_cache.adaptation_view(preset, a, b, tau_w, I)
        fixed = beyond_cache.adex_preview(preset)
        for key, chart, fig in (
            ("bx_adapt", "traces", view.traces),
            ("bx_isi", "intervals", view.intervals),
        ):
            cases.append(
                Case(f"{chart} {preset}", key, spec("bx_adapt", chart, sliders, fixed=fixed), fig)
            )
    for small, hyper, width in [(3.3 * nA, -2.5 * nA, 3 * ms), (0.5 * nA, -15 * nA, 30 * ms)]:
        sliders = {
            "small": ("bx_ring", "nA", small),
            "hyper": ("bx_hyp", "nA", hyper),
            "hyper_width": ("bx_hypw", "ms", width),
        }
        view = beyond_cache.ringing_view(small, hyper, width)
        for key, chart, fig in (
            ("bx_ring_chart", "ringing", view.ringing),
            ("bx_rebound_chart", "rebound", view.rebound),
        ):
            cases.append(
                Case(f"{chart} {small}", key, spec("bx_ring", chart, sliders, fixed=hh), fig)
            )
    classes = beyond.fi_classes(n=3)  # the curve is Python's data: a short one will do
    for I in (5.5 * nA, 6.5 * nA, 13.7 * nA):
        op = beyond.fi_operating(I)
        sliders = {"I": ("bx_I", "nA", I)}
        for key, chart, fig in (
            ("bx_fi", "curves", beyond_figures.fi_classes_figure(classes, op)),
            ("bx_fi_trace", "trace", beyond_figures.fi_trace_figure(op)),
        ):
            cases.append(Case(f"{chart} {I}", key, spec("bx_fi", chart, sliders, fixed=hh), fig))
    for g_c, width in [(1e-9, 0.5 * ms), (77e-9, 13.5 * ms)]:
        sliders = {"g_c": ("bx_gc", "nS", g_c), "width": ("bx_dw", "ms", width)}
        fig = beyond_cache.dendrite_view(g_c, width).figure
        fixed = beyond_cache.cell_preview()
        cases.append(
            Case(f"dendrite {g_c}", "bx_dend", spec("bx_dend", "figure", sliders, fixed=fixed), fig)
        )
    return cases


# --------------------------------------------------------------------------- chapter 8


def _chapter_8(params: LIFParams, I: float, sigma_V: float, tau_s: float, seed: int) -> list[Case]:
    view = noise_cache.trials_view(params, I, sigma_V, tau_s, seed)
    rate_fig, cv_fig, _ = noise_cache.curves_view(params, I, sigma_V, tau_s, seed)
    sample = noise_cache.noise_preview(tau_s, seed)
    named = {"noise_id": sample["noise_id"], "n_steps": sample["n_steps"]}
    at = {"tau_s": tau_s, **{s.key: float(getattr(params, s.key)) for s in NEURON_SLIDERS}}
    sliders = {
        "I_mean": ("nz_I", "nA", I),
        "sigma_V": ("nz_sV", "mV", sigma_V),
        "tau_s": ("nz_tau", "ms", tau_s),
    }
    fixed = {"curves_at": at}
    return [
        Case(
            f"{key} {I} {sigma_V} {tau_s}",
            key,
            spec("noise", chart, sliders, fixed=fixed, data=data, neuron=params),
            fig,
        )
        for key, chart, fig, data in (
            ("nz_trials", "trials", view.trials_figure, sample),
            ("nz_isi", "isi", view.isi_figure, named),
            ("nz_rate", "rate", rate_fig, named),
            ("nz_cv", "cv", cv_fig, named),
        )
    ]


# --------------------------------------------------------------------------- page 9


def _page_9(params: LIFParams, I: float, dt: float, inside: bool, off_grid: bool) -> list[Case]:
    view = noise_cache.numerics_view(params, I, dt, inside, off_grid)
    rate_fig, first_fig, sweep = noise_cache.error_view(params, I, dt)
    sliders = {"dt": ("num_dt", "ms", dt), "I": ("num_I", "nA", I)}
    fixed = {"crossing_inside": inside, "refractory_exact": off_grid}
    charts = [("num_exact", "exact", view.exact_figure), ("num_euler", "euler", view.euler_figure)]
    if sweep.rate_theory > 0:
        charts += [
            ("num_rate_error", "rate_error", rate_fig),
            ("num_first_error", "first_error", first_fig),
        ]
    return [
        Case(
            f"{key} {I} {dt} {inside} {off_grid}",
            key,
            spec("numerics", chart, sliders, fixed=fixed, neuron=params),
            fig,
        )
        for key, chart, fig in charts
    ]


def _all_cases() -> list[Case]:
    cases = _chapter_7()
    cases += _chapter_8(OTHER, 0.6 * nA, 2 * mV, 1.3 * ms, 7)
    # weak noise, mean-driven: nearly regular. (Without noise every interval equals the mean
    # and sits on a bin edge of the histogram, 4 x mean / 40 bins: round-off picks the bin.)
    cases += _chapter_8(LIFParams(), 2.5 * nA, 0.3 * mV, 5 * ms, 3)
    for args in [
        (OTHER, 2 * nA, 0.3 * ms, False, True),
        (LIFParams(), 3 * nA, 2.5 * ms, True, False),
        (LIFParams(), 5 * nA, 25 * ms, False, False),  # Euler unstable (dt > 2 tau)
        (LIFParams(), 1 * nA, 1 * ms, True, True),  # below rheobase: no sweep
    ]:
        cases += _page_9(*args)
    return cases


def test_every_preview_draws_what_python_draws_away_from_the_defaults():
    cases = _all_cases()
    outcomes = run_cases(cases)
    problems = {
        c.name: o.error or o.diff for c, o in zip(cases, outcomes, strict=True) if o.error or o.diff
    }
    assert problems == {}
    assert len(cases) >= 40


def test_the_comparison_sees_a_preview_away_from_pythons_values():
    # the spec says 2.1 nA, the figure was drawn at 2 nA: the ringing chart must differ
    hh = beyond_cache.hh_preview()
    fig = beyond_cache.ringing_view(2 * nA, -5 * nA, 10 * ms).ringing
    sliders = {
        "small": ("bx_ring", "nA", 2.1 * nA),
        "hyper": ("bx_hyp", "nA", -5 * nA),
        "hyper_width": ("bx_hypw", "ms", 10 * ms),
    }
    case = Case(
        "ringing, other value", "bx_ring_chart", spec("bx_ring", "ringing", sliders, fixed=hh), fig
    )
    (out,) = run_cases([case])
    assert out.error is None
    # (the list of differences is capped: the HH trace, drawn first, fills it)
    assert any(d.startswith("HH.y[") for d in out.diff)


# --------------------------------------------------------------------------- the models


def _hh_call(amplitude: float, onset: float, width: float, duration: float) -> Expr:
    hh = beyond_cache.hh_preview()
    pulse = f"LIFEngine.stimulus.pulse({amplitude!r}, {onset!r}, {width!r}, {duration!r}, 25e-6)"
    return Expr(
        f"LIFBeyondCore.hh({json.dumps(hh['hh'])}, {pulse}, {json.dumps(hh['rest'])}, 25e-6)"
    )


def _adex_call(params, I: float, duration: float = 1.0) -> Expr:
    fields = ("C", "g_L", "E_L", "V_T", "Delta_T", "a", "tau_w", "b", "V_r", "V_peak")
    p = {k: float(getattr(params, k)) for k in fields}
    return Expr(f"LIFBeyondCore.adex({json.dumps(p)}, {I!r}, {duration!r}, 1e-4)")


def test_the_browsers_hh_adex_and_compartments_equal_lif_core():
    hh_cases = [
        (12 * nA, 2 * ms, 1 * ms, 25 * ms),
        (-5 * nA, 5 * ms, 10 * ms, 60 * ms),
        (8 * nA, 0.0, 0.2, 0.2),
    ]
    exprs, expected = [], []
    for amp, onset, width, duration in hh_cases:
        I = stimulus.pulse(amp, onset, width, duration, 25e-6)
        res = simulate_hh(beyond.HH, I, duration=duration, dt=25e-6)
        exprs.append(_hh_call(amp, onset, width, duration))
        expected.append(("HH", res.V[0], res.spike_times[0], None, 1e-9))
    for name in ("tonic", "adapting", "initial burst", "regular bursting", "delayed"):
        preset = PRESETS[name]
        res = simulate_adex(preset.params, preset.I_step, duration=1.0, dt=1e-4)
        exprs.append(_adex_call(preset.params, preset.I_step))
        expected.append((f"AdEx {name}", res.V[0], res.spike_times[0], res.w[0], 1e-9))
    # drives far beyond the presets': the u form's substeps (tonic at 3 nA), the shortened
    # step to V_T (b = 0, 30 nA: R I = 15 V)
    for params, I, duration in (
        (PRESETS["tonic"].params, 3e-9, 5e-3),
        (AdExParams(b=0.0), 30e-9, 1e-3),
    ):
        res = simulate_adex(params, I, duration=duration, dt=1e-4)
        exprs.append(_adex_call(params, I, duration))
        expected.append((f"AdEx {I!r} A", res.V[0], res.spike_times[0], res.w[0], 1e-9))
    for g_c in (1e-9, 200e-9):
        cell = TwoCompartmentParams(g_c=g_c)
        I = stimulus.pulse(1 * nA, 5 * ms, 2 * ms, 0.1, 1e-4)
        res = simulate_two_compartment(cell, 0.0, I, duration=0.1, dt=1e-4)
        p = json.dumps(beyond_cache.cell_preview()["cell"] | {"g_c": g_c})
        js_pulse = "LIFEngine.stimulus.pulse(1e-9, 5e-3, 2e-3, 0.1, 1e-4)"
        call = f"LIFBeyondCore.twoCompartment({p}, new Float64Array(I.length), I, 1e-4)"
        exprs.append(Expr(f"((I) => {call})({js_pulse})"))
        expected.append(("two compartments", res.V_s[0], np.zeros(0), res.V_d[0], 1e-15))
    outcomes = run_cases(exprs)
    for (name, V, spikes, other, tol), out in zip(expected, outcomes, strict=True):
        assert out.error is None, (name, out.error)
        value = out.value
        assert np.max(np.abs(np.array(value.get("V", value.get("V_s")), dtype=float) - V)) <= tol, (
            name
        )
        js_spikes = np.array(value.get("spikes", []), dtype=float)
        assert js_spikes.size == spikes.size, name
        assert np.all(np.abs(js_spikes - spikes) <= 1e-9), name
        if other is not None:
            js_other = np.array(value.get("w", value.get("V_d")), dtype=float)
            assert np.max(np.abs(js_other - other)) <= 1e-21 + 1e-9 * np.max(np.abs(other)), name
    # the AdEx presets fire: the comparison is not of empty trains
    assert expected[3][2].size > 10 and expected[6][2].size > 30
    assert expected[8][2].size >= 10 and expected[9][2].size >= 20


def test_the_browsers_adex_refuses_a_step_of_more_than_ten_spikes_as_lif_core():
    with pytest.raises(ValueError) as refused:
        simulate_adex(AdExParams(), 1e-6, duration=1e-3, dt=1e-4)
    (out,) = run_cases([_adex_call(AdExParams(), 1e-6, 1e-3)])
    assert out.error is not None and f"Error: {refused.value}\n" in out.error  # (its stack follows)


def test_the_browsers_siegert_rate_equals_lif_core():
    settings = [
        (LIFParams(), 1.2 * nA, 3 * mV, 0.5 * ms),
        (LIFParams(), 0.0, 8 * mV, 20 * ms),
        (OTHER, 1.5 * nA, 1 * mV, 2 * ms),
        (OTHER, 0.2 * nA, 4 * mV, 0.2 * ms),  # far below threshold: a slow, rare escape
        (LIFParams(), 2.5 * nA, 0.0, 1 * ms),  # no noise: the closed form
    ]
    exprs = []
    for p, I, sigma_V, tau_s in settings:
        neuron = json.dumps({s.key: float(getattr(p, s.key)) for s in NEURON_SLIDERS})
        p_js = f"LIFEngine.params({neuron})"
        exprs.append(Expr(f"LIFNoiseTheory.firingRate({p_js}, {I!r}, {sigma_V!r}, {tau_s!r})"))
    for (p, I, sigma_V, tau_s), out in zip(settings, run_cases(exprs), strict=True):
        expected = float(noise.firing_rate(p, I, sigma_V, tau_s))
        assert out.error is None
        assert math.isclose(float(out.value), expected, rel_tol=1e-9, abs_tol=1e-12), (I, sigma_V)
    assert float(noise.firing_rate(OTHER, 0.2 * nA, 4 * mV, 0.2 * ms)) > 0.0
