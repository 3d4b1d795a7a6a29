"""The AdEx model (lif_core.models.adex): parameters, accuracy, and the seven firing patterns.

Accuracy, with a reference run at dt = 2 µs: at the default dt = 0.1 ms every spike of the
first 0.3 s is within 0.02 ms of the reference for the six non-chaotic presets (measured:
0.3–10 µs), and each halving of dt divides the error by about 4 (second order). Halving
dt from 0.1 to 0.05 ms moves every spike time of the 1 s step by less than 0.03 ms
(measured: at most 17 µs, regular bursting). The "irregular" preset is chaotic: its
spike times do not converge, only its pattern is stable. Below threshold the AdEx
matches the exact solution of its linear limit (V_T far above) to 2e-5 mV.

Pattern rule (lif_core.analysis.patterns.classify_pattern, applied to the 1 s step):
silent (no spike) -> transient (silence after the last spike > half the step and > 5 × the
longest ISI) -> too few spikes (< 4) -> irregular (steady ISIs, those starting in the
second half, repeat with no period of 1–10 within 5 %) -> regular bursting (period >= 2
with shortest < longest / 3) -> delayed (latency > 1.1 × longest ISI and 100 ms) -> initial burst
(the first 2+ ISIs < steady ISI / 3) -> adapting (last ISI >= 1.3 × first) -> tonic.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from mutation_aware import shared_scope

from lif_core.analysis.patterns import classify_pattern
from lif_core.models.adex import DT_ADEX, PRESETS, AdExParams, simulate_adex
from lif_core.models.compartments import expm2

REGULAR = ["tonic", "adapting", "initial burst", "regular bursting", "transient", "delayed"]


# ------------------------------------------------------------------ parameters


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"g_L": 0.0}, "g_L > 0"),
        ({"Delta_T": 0.0}, "Delta_T >= 0.0001"),
        ({"V_peak": -60e-3}, "V_peak > -0.05"),
        ({"a": -3e-9}, "a > -2e-09"),
        ({"b": -1e-12}, "b >= 0"),
        ({"tau_w": 0.0}, "tau_w > 0"),
        ({"V_r": 0.0}, "V_r <="),
    ],
)
def test_bad_parameters_name_value_and_range(changes, words):
    name = next(iter(changes))
    with pytest.raises(ValueError, match=name) as err:
        AdExParams(**changes)
    assert words in str(err.value)


def test_table_rows_become_si_parameters():
    p = PRESETS["initial burst"].params  # τ_m = 5 ms, R = 500 MΩ
    assert p.C == pytest.approx(10e-12)
    assert p.g_L == pytest.approx(2e-9)
    assert (p.a, p.tau_w, p.b, p.V_r) == pytest.approx((0.5e-9, 0.1, 7e-12, -51e-3))
    assert p.tau_m == pytest.approx(5e-3)
    assert PRESETS["delayed"].I_step == pytest.approx(25e-12)


def test_rheobase_formula_separates_silence_from_firing():
    p = PRESETS["adapting"].params  # a = 0: I_rh = g_L (V_T - E_L - Δ_T) = 36 pA
    assert p.rheobase == pytest.approx(2e-9 * 18e-3)
    assert simulate_adex(p, 0.99 * p.rheobase, duration=2.0).spike_times[0].size == 0
    assert simulate_adex(p, 1.02 * p.rheobase, duration=2.0).spike_times[0].size > 0
    q = PRESETS["transient"].params  # a = 1 nS moves the maximum of the I–V curve
    assert q.rheobase == pytest.approx(3e-9 * (2e-3 * math.log(1.5) + 20e-3 - 2e-3))


# ------------------------------------------------------------------ accuracy


def test_subthreshold_matches_the_exact_linear_solution():
    """With V_T far above, the AdEx is linear in (V, w): compare with exp(A t)."""
    p = AdExParams(C=100e-12, g_L=5e-9, V_T=0.2, V_peak=0.25, a=1e-9, tau_w=50e-3, b=0.0)
    I = 50e-12
    A = np.array([[-p.g_L / p.C, -1 / p.C], [p.a / p.tau_w, -1 / p.tau_w]])
    x_inf = -np.linalg.solve(A, np.array([I / p.C, 0.0]))
    errors = []
    for dt in (1e-4, 5e-5):
        run = simulate_adex(p, I, duration=0.1, dt=dt)
        exact = [(x_inf - expm2(A, t) @ x_inf)[0] + p.E_L for t in run.t]
        errors.append(np.abs(run.V[0] - exact).max())
    assert errors[0] < 2e-8  # V (volts): 2e-5 mV
    assert errors[0] / errors[1] == pytest.approx(4.0, rel=0.15)


@pytest.fixture(scope=shared_scope)
def references():
    return {
        name: simulate_adex(
            PRESETS[name].params, PRESETS[name].I_step, duration=0.3, dt=2e-6
        ).spike_times[0]
        for name in REGULAR
    }


@pytest.mark.parametrize("name", REGULAR)
def test_spike_times_converge_at_second_order(name, references):
    ref = references[name]
    errors = []
    for dt in (DT_ADEX, DT_ADEX / 2):
        run = simulate_adex(PRESETS[name].params, PRESETS[name].I_step, duration=0.3, dt=dt)
        assert run.spike_times[0].size == ref.size
        errors.append(np.abs(run.spike_times[0] - ref).max())
    assert errors[0] < 0.02e-3  # within 0.02 ms of the 2 µs reference at dt = 0.1 ms
    assert 3.0 < errors[0] / errors[1] < 5.5  # second order


def test_the_cutoff_hardly_matters():
    """From 0 to +20 mV the exponential runaway takes a few µs: spike times barely move."""
    pr = PRESETS["adapting"]
    a = simulate_adex(pr.params, pr.I_step, duration=0.5).spike_times[0]
    b = simulate_adex(pr.params.replace(V_peak=20e-3), pr.I_step, duration=0.5).spike_times[0]
    assert a.size == b.size and np.abs(a - b).max() < 0.01e-3


def test_reset_and_jump_at_each_spike():
    pr = PRESETS["tonic"]
    run = simulate_adex(pr.params, pr.I_step, duration=0.2)
    t_spike = run.spike_times[0][0]
    k = int(np.ceil(t_spike / DT_ADEX))  # first grid point after the spike
    assert run.V[0, k] < pr.params.V_T  # V was reset (and has not yet recovered)
    assert run.w[0, k] - run.w[0, k - 1] == pytest.approx(pr.params.b, rel=0.05)
    assert np.all(run.V[0] < pr.params.V_peak)


def test_bad_inputs_are_refused():
    p = AdExParams()
    with pytest.raises(ValueError, match="dt"):
        simulate_adex(p, 0.0, duration=0.1, dt=1e-3)
    with pytest.raises(ValueError, match="V0"):
        simulate_adex(p, 0.0, duration=0.1, V0=0.01)


# ------------------------------------------------------------------ firing patterns


@pytest.mark.parametrize("name", list(PRESETS))
def test_each_preset_produces_its_named_pattern(name):
    pr = PRESETS[name]
    run = simulate_adex(pr.params, pr.I_step, duration=1.0)
    report = classify_pattern(run.spike_times[0], 0.0, 1.0)
    assert report.pattern == name
    # and again at half the time step: the pattern is not a numerical accident
    fine = simulate_adex(pr.params, pr.I_step, duration=1.0, dt=DT_ADEX / 2)
    assert classify_pattern(fine.spike_times[0], 0.0, 1.0).pattern == name
    if name != "irregular":  # chaotic: its spike times do not converge
        moved = np.abs(run.spike_times[0] - fine.spike_times[0])
        assert moved.max() < 0.03e-3  # halving dt moves no spike by 0.03 ms or more


def test_irregular_is_sensitive_and_the_book_row_bursts():
    """The irregular preset's intervals change with dt (chaos); at u_r = -46 mV it bursts."""
    pr = PRESETS["irregular"]
    a = simulate_adex(pr.params, pr.I_step, duration=1.0).spike_times[0]
    b = simulate_adex(pr.params, pr.I_step, duration=1.0, dt=DT_ADEX / 2).spike_times[0]
    n = min(a.size, b.size)
    assert np.abs(a[:n] - b[:n]).max() > 1e-3
    book = simulate_adex(pr.params.replace(V_r=-46e-3), pr.I_step, duration=1.0)
    assert classify_pattern(book.spike_times[0], 0.0, 1.0).pattern == "regular bursting"


def test_transient_row_fires_on_at_the_books_65_pA():
    """65 pA is above the transient row's rheobase (56.4 pA), so it never stops."""
    pr = PRESETS["transient"]
    assert pr.params.rheobase < 65e-12
    run = simulate_adex(pr.params, 65e-12, duration=1.0)
    assert run.spike_times[0][-1] > 0.9  # still firing at the end of the step
    assert classify_pattern(run.spike_times[0], 0.0, 1.0).pattern != "transient"
