"""lif_core.models.adex: the Table 6.1 presets against the book, written out here by hand.

Gerstner et al. (2014), Neuronal Dynamics, Table 6.1: E_L = −70 mV, R = 500 MΩ,
V_T = −50 mV, Delta_T = 2 mV; each row gives τ_m (ms), a (nS), τ_w (ms), b (pA), u_r (mV)
and the step current (pA). The presets are built when the module is imported, so the
builder is also called here, where a test can see it.
"""

from __future__ import annotations

import pytest

from lif_core.models import adex


def close(x):
    """Equal to 1e-12 relative (pytest.approx's default absolute 1e-12 is too loose for pA)."""
    return pytest.approx(x, rel=1e-12, abs=0.0)


#: name: (τ_m ms, a nS, τ_w ms, b pA, u_r mV, step pA, note)
ROWS = {
    "tonic": (20, 0.0, 30, 60, -55, 65, ""),
    "adapting": (20, 0.0, 100, 5, -55, 65, ""),
    "initial burst": (5, 0.5, 100, 7, -51, 65, ""),
    "regular bursting": (5, -0.5, 100, 7, -46, 65, ""),
    "irregular": (9.9, -0.5, 100, 7, -47, 65, "u_r changed from −46 mV, see PRESETS"),
    "transient": (10, 1.0, 100, 10, -60, 55, "step changed from 65 pA, see PRESETS"),
    "delayed": (5, -1.0, 100, 10, -60, 25, ""),
}


def check_row(preset: adex.AdExPreset, name: str) -> None:
    tau_m, a, tau_w, b, u_r, step, note = ROWS[name]
    p = preset.params
    assert preset.name == name
    assert p.g_L == close(1 / 500e6)
    assert p.C == close(tau_m * 1e-3 / 500e6)
    assert p.C / p.g_L == close(tau_m * 1e-3)
    assert p.a == close(a * 1e-9)
    assert p.tau_w == close(tau_w * 1e-3)
    assert p.b == close(b * 1e-12)
    assert p.V_r == close(u_r * 1e-3)
    assert (p.E_L, p.V_T, p.Delta_T, p.V_peak) == close((-70e-3, -50e-3, 2e-3, 0.0))
    assert preset.I_step == close(step * 1e-12)
    source = (
        f"Gerstner et al. (2014), Neuronal Dynamics, Table 6.1: τ_m = {tau_m:g} ms, "
        f"a = {a:g} nS, τ_w = {tau_w:g} ms, b = {b:g} pA, u_r = {u_r:g} mV, step {step:g} pA"
    )
    assert preset.source == (f"{source} ({note})" if note else source)


@pytest.mark.parametrize("name", list(ROWS))
def test_each_preset_is_its_row_of_table_6_1(name):
    check_row(adex.PRESETS[name], name)  # as built at import
    note = ROWS[name][6]
    extra = (note,) if note else ()  # rows without a note use the default
    check_row(adex._preset(name, *ROWS[name][:6], *extra), name)  # built here


def test_the_presets_are_the_seven_rows_in_the_books_order():
    assert list(adex.PRESETS) == list(ROWS)


def test_from_table_takes_overrides_of_the_caption_values():
    p = adex.AdExParams.from_table(10e-3, 1e-9, 50e-3, 20e-12, -58e-3, R=100e6, V_peak=20e-3)
    assert p.g_L == close(1e-8)
    assert p.C == close(10e-3 / 100e6)
    assert p.V_peak == close(20e-3)
    assert (p.E_L, p.V_T, p.Delta_T) == close((-70e-3, -50e-3, 2e-3))
    assert (p.a, p.tau_w, p.b, p.V_r) == close((1e-9, 50e-3, 20e-12, -58e-3))
