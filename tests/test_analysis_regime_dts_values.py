"""lif_core.analysis.noise.regime (mean- vs fluctuation-driven) and numerics.default_dts.

The mean free potential is mu = E_L + R I_mean, computed here by hand; the neuron has
V_reset ≠ E_L so that mu is not confused with the reset.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from lif_core import LIFParams
from lif_core.analysis import noise as noise_an
from lif_core.analysis import numerics as num

Q = LIFParams(R=20e6, C=0.6e-9, E_L=-68e-3, V_th=-51e-3, V_reset=-61e-3, t_ref=2.35e-3)


def current_for_mu(mu: float) -> float:
    return (mu - Q.E_L) / Q.R


@pytest.mark.parametrize("sigma_V", [2e-3, 0.5])
def test_regime_below_and_above_threshold_with_noise(sigma_V):
    below = noise_an.noise_setting(Q, current_for_mu(-57e-3), sigma_V, 2e-3)
    assert below.mu == pytest.approx(-57e-3)
    r = noise_an.regime(Q, below)
    assert r.mean_driven is False and r.label == "fluctuation-driven"
    assert r.distance == pytest.approx(6e-3 / sigma_V)
    above = noise_an.noise_setting(Q, current_for_mu(-47e-3), sigma_V, 2e-3)
    r = noise_an.regime(Q, above)
    assert r.mean_driven is True and r.label == "mean-driven"
    assert r.distance == pytest.approx(-4e-3 / sigma_V)


def test_regime_without_noise():
    r = noise_an.regime(Q, noise_an.noise_setting(Q, current_for_mu(-57e-3), 0.0, 2e-3))
    assert r.distance == math.inf and r.label == "fluctuation-driven"
    r = noise_an.regime(Q, noise_an.noise_setting(Q, current_for_mu(-47e-3), 0.0, 2e-3))
    assert r.distance == -math.inf and r.label == "mean-driven"


def test_regime_exactly_at_threshold_is_not_mean_driven():
    """mu = V_th: without noise V only approaches threshold, so it never fires."""
    setting = noise_an.noise_setting(Q, 0.0, 0.0, 2e-3)
    setting = type(setting)(**{**setting.__dict__, "mu": float(Q.V_th)})
    r = noise_an.regime(Q, setting)
    assert r.mean_driven is False and r.label == "fluctuation-driven"
    assert r.distance == 0.0


@pytest.mark.parametrize(("R", "top"), [(20e6, 2e-3), (5e6, 0.6e-3)])
def test_default_dts_span_three_decades_up_to_2_ms_or_tau_over_5(R, top):
    """τ = 12 ms: up to 2 ms; τ = 3 ms: up to τ/5 = 0.6 ms."""
    dts = num.default_dts(Q.replace(R=R))
    assert dts.size == 31
    assert dts[-1] == pytest.approx(top)
    assert dts[0] == pytest.approx(top / 2000)
    np.testing.assert_allclose(dts[1:] / dts[:-1], 2000 ** (1 / 30))
