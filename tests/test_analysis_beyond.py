"""Chapter 7's analyses (lif_core.analysis.beyond, .adaptation, .patterns, .features).

Each record is checked against the models and theory: the LIF twins match what they
claim (rest, input resistance, rheobase, top rate), the same stimulus reaches both
models, and the differences the chapter teaches are there in the numbers: the HH spike
overshoots, the HH rings and fires on rebound while the LIF relaxes monotonically, the
HH f–I curve jumps while the LIF's is continuous, dendritic input arrives smaller and
later, adaptation lengthens the AdEx's intervals while the twin's stay equal. The
pattern rule is tested on synthetic trains, one per pattern; the feature table's
"tested" entries are checked here.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from mutation_aware import shared_scope

from lif_core import stimulus, theory
from lif_core.analysis import beyond as B  # noqa: N812
from lif_core.analysis.adaptation import adaptation, adex_lif_twin
from lif_core.analysis.dendrites import dendritic_input
from lif_core.analysis.features import FEATURES, MODELS, SECTIONS
from lif_core.analysis.patterns import PATTERNS, classify_pattern, isi_period
from lif_core.models.adex import PRESETS, simulate_adex
from lif_core.models.hh import DT_HH, resting_state, simulate_hh

# ------------------------------------------------------------------ twins


def test_hh_twin_matches_rest_resistance_and_rheobase():
    twin = B.hh_lif_twin()
    rest = resting_state(B.HH).V
    assert twin.E_L == pytest.approx(rest) and twin.V_reset == pytest.approx(rest)
    assert twin.C == pytest.approx(1e-9) and twin.t_ref == pytest.approx(2e-3)
    # a small DC step moves the HH by R_twin * I (input resistance, 0.857 MΩ)
    dI = 0.05e-9
    V_new = resting_state(B.HH, dI).V
    assert (V_new - rest) / dI == pytest.approx(twin.R, rel=0.01)
    assert twin.R == pytest.approx(0.857e6, rel=1e-3)
    assert twin.rheobase == pytest.approx(B.HH_ONSET, rel=1e-12)


def test_rate_twin_shares_rheobase_and_the_rate_at_20_nA():
    twin, rate_twin = B.hh_lif_twin(), B.hh_rate_twin()
    assert rate_twin.rheobase == pytest.approx(twin.rheobase, rel=1e-12)
    assert (rate_twin.V_th, rate_twin.R) == pytest.approx((twin.V_th, twin.R))
    assert theory.firing_rate(rate_twin, B.HH_TOP_CURRENT) == pytest.approx(B.HH_TOP_RATE)
    assert rate_twin.tau == pytest.approx(25.5e-3, abs=0.1e-3)
    # the fast twin climbs from 0 too steeply to see: 50 Hz within 0.1 % of its rheobase
    assert theory.firing_rate(twin, 1.001 * twin.rheobase) > 50.0
    assert theory.firing_rate(rate_twin, 1.001 * twin.rheobase) < 6.0


def test_hh_top_rate_constant_is_measured():
    run = simulate_hh(B.HH, B.HH_TOP_CURRENT, duration=0.5)
    assert B.hh_rate(run.spike_times[0], 0.25) == pytest.approx(B.HH_TOP_RATE, abs=0.2)


def test_adex_twin_has_the_adex_rheobase():
    for preset in PRESETS.values():
        p = preset.params
        twin = adex_lif_twin(p)
        assert twin.rheobase == pytest.approx(p.rheobase, rel=1e-12)
        assert (twin.R, twin.C, twin.E_L, twin.t_ref) == pytest.approx((p.R, p.C, p.E_L, 0.0))


# ------------------------------------------------------------------ spike shape


def test_spike_shape_record_overshoot_width_and_ahp():
    rec = B.spike_shape(12e-9)
    assert rec.V_rest == pytest.approx(-65e-3, abs=0.01e-3)
    assert 35e-3 < rec.peak < 45e-3
    assert 1.0e-3 < rec.half_width < 2.0e-3
    assert -13e-3 < rec.ahp < -8e-3  # undershoot to about -76 mV, near E_K = -77 mV
    assert rec.t_peak < rec.t_ahp
    # same stimulus: both runs saw the same current
    assert rec.hh.I[0] == pytest.approx(rec.lif.I[0])
    # LIF: crossing time of its threshold during the pulse, by the closed form
    twin = rec.lif_params
    V_inf = twin.E_L + twin.R * 12e-9
    t_cross = rec.onset + twin.tau * math.log((V_inf - twin.E_L) / (V_inf - twin.V_th))
    assert rec.lif.spike_times[0] == pytest.approx([t_cross], abs=1e-9)


def test_weak_pulse_fires_hh_later_and_not_the_lif():
    """Spike latency (feature I): weaker pulses fire later; 7.5 nA is below the twin's reach."""
    strong, weak = B.spike_shape(12e-9), B.spike_shape(7.5e-9)
    assert weak.hh.spike_times[0][0] > strong.hh.spike_times[0][0] + 1e-3
    assert weak.lif.spike_times[0].size == 0


def test_no_spike_no_shape_numbers():
    rec = B.spike_shape(1e-9)
    assert math.isnan(rec.peak) and math.isnan(rec.half_width)


# ------------------------------------------------------------------ ringing and rebound


def test_hh_rings_and_rebounds_the_lif_does_neither():
    rec = B.ringing_and_rebound(2e-9, -5e-9, 10e-3)
    assert 1e-3 < rec.ring_peak < 3e-3  # a small, subthreshold pulse
    assert rec.ring_undershoot < -0.2 * rec.ring_peak  # HH swings below rest
    assert rec.lif_undershoot > -1e-12  # the LIF never goes below rest
    assert rec.lif_peak > 0.5 * rec.ring_peak
    assert rec.ring_frequency == pytest.approx(61.0, abs=1.0)
    assert rec.rebound_spikes.size == 1 and rec.lif_rebound_spikes.size == 0
    assert rec.rebound_spikes[0] > rec.onset + rec.hyper_width
    # the LIF relaxes monotonically after the small pulse
    after = rec.small_lif.V[0][rec.small_lif.t >= rec.onset + rec.small_width]
    assert np.all(np.diff(after) <= 1e-15)


def test_weak_hyperpolarisation_gives_no_rebound():
    rec = B.ringing_and_rebound(1e-9, -1e-9, 10e-3)
    assert rec.rebound_spikes.size == 0


def test_ringing_rejects_a_depolarising_hyperpolarising_pulse():
    with pytest.raises(ValueError, match="hyper_amplitude"):
        B.ringing_and_rebound(1e-9, 2e-9, 10e-3)


# ------------------------------------------------------------------ f–I classes


@pytest.fixture(scope=shared_scope)
def fi():
    return B.fi_classes(I_max=10e-9, n=11)  # 0, 1, ..., 10 nA


def test_hh_jumps_the_lif_rises_from_zero(fi):
    rates = dict(zip(np.round(fi.currents * 1e9).astype(int), fi.hh_rate, strict=True))
    assert all(rates[i] == 0.0 for i in range(7) if i / 1e9 < B.HH_ONSET)
    assert rates[7] > 40.0  # the first current above onset already fires fast: class 2
    # LIF: the closed form starts at exactly 0 at the rheobase and rises continuously
    k = int(np.searchsorted(fi.lif_currents, fi.lif_params.rheobase))
    assert fi.lif_rate[k] == 0.0
    assert 0.0 < fi.lif_rate[k + 1] < 20.0
    steps = np.diff(fi.lif_rate[k + 1 :])
    assert np.all(steps > 0) and steps.max() < 10.0  # continuous on the chart's grid
    assert fi.hopf == pytest.approx(9.78e-9, abs=0.02e-9)
    assert fi.onset < fi.hopf


def test_hh_onset_rate_constant_is_measured():
    run = simulate_hh(B.HH, B.HH_ONSET + 0.02e-9, duration=1.0)
    assert B.hh_rate(run.spike_times[0], 0.5) == pytest.approx(B.HH_ONSET_RATE, abs=1.5)


def test_fi_curve_time_step_is_fine_enough():
    """The f–I protocol runs at 0.05 ms: rates within 0.2 Hz of 0.025 ms."""
    for I in (7e-9, 15e-9):
        coarse = simulate_hh(B.HH, I, duration=B.FI_DURATION, dt=B.FI_DT)
        fine = simulate_hh(B.HH, I, duration=B.FI_DURATION, dt=DT_HH)
        assert B.hh_rate(coarse.spike_times[0], B.FI_SKIP) == pytest.approx(
            B.hh_rate(fine.spike_times[0], B.FI_SKIP), abs=0.2
        )


def test_operating_point_rates():
    op = B.fi_operating(8e-9)
    assert op.hh_rate == pytest.approx(62.4, abs=1.0)
    assert op.lif_params == B.hh_rate_twin()
    assert op.lif_rate == pytest.approx(theory.firing_rate(op.lif_params, 8e-9), rel=1e-6)


def test_accommodation_slow_ramp_is_silent_where_a_step_fires():
    """Feature R for HH: a ramp to 8 nA over 0.5 s never fires; a step to 8 nA does."""
    T = 0.6
    t = stimulus.time_grid(T, DT_HH)
    ramp = np.minimum(t / 0.5, 1.0) * 8e-9
    assert simulate_hh(B.HH, ramp, duration=T).spike_times[0].size == 0
    assert simulate_hh(B.HH, 8e-9, duration=T).spike_times[0].size > 10


# ------------------------------------------------------------------ compartments


def test_dendritic_input_record():
    rec = dendritic_input(25e-9, 2e-3)
    assert rec.attenuation == pytest.approx(4.72, abs=0.05)
    assert rec.delay == pytest.approx(10e-3, abs=0.5e-3)
    # the point neuron (LIF) gets the charge 2 pC on 1 nF, minus the leak: under 2 mV
    assert 1.5e-3 < rec.point_peak < 2e-3
    # stronger coupling: less attenuation, less delay, towards the point neuron
    strong = dendritic_input(400e-9, 2e-3)
    assert strong.attenuation < 1.5 and strong.delay < 2e-3
    assert strong.soma_peak_from_dend == pytest.approx(rec.point_peak, rel=0.35)
    # long inputs are attenuated less than brief ones (the dendrite filters)
    assert dendritic_input(25e-9, 20e-3).attenuation < rec.attenuation
    # steady state of a long input: the transfer resistance ratio
    p = rec.result.params
    R = p.input_resistance
    long = dendritic_input(25e-9, 0.3, duration=0.35)
    assert long.attenuation == pytest.approx(R[0, 0] / R[0, 1], rel=1e-3)


# ------------------------------------------------------------------ adaptation


def test_adaptation_record_same_step_for_both():
    rec = adaptation("adapting")
    assert rec.adex_pattern.pattern == "adapting"
    assert rec.lif_pattern.pattern == "tonic"
    assert rec.adex.I[0] == pytest.approx(rec.lif.I[0])
    isi = rec.adex_isi
    assert np.all(np.diff(isi) > -1e-6)  # intervals lengthen
    assert isi[-1] / isi[0] > 1.5
    assert np.ptp(rec.lif_isi) < 1e-9  # the twin's intervals are all equal
    assert rec.lif_isi[0] == pytest.approx(1 / theory.firing_rate(rec.lif_params, rec.I_step))


def test_adaptation_parameters_reach_the_model():
    rec = adaptation("adapting", b=0.0)
    assert rec.params.b == 0.0 and rec.adex_pattern.pattern == "tonic"
    rec = adaptation("tonic", a=1e-9, tau_w=0.2, I_step=80e-12)
    assert (rec.params.a, rec.params.tau_w, rec.I_step) == (1e-9, 0.2, 80e-12)
    with pytest.raises(ValueError, match="preset"):
        adaptation("chattering")


def test_adex_class_1_near_rheobase():
    """Feature G for AdEx (a = 0): the rate goes to 0 continuously at the rheobase."""
    p = PRESETS["adapting"].params
    run = simulate_adex(p, 1.01 * p.rheobase, duration=3.0)
    assert 0.0 < B.hh_rate(run.spike_times[0], 1.5) < 3.0


def test_adex_rebound_spike_after_inhibition():
    """Feature M for AdEx: the 'transient' preset fires after -200 pA for 300 ms."""
    p = PRESETS["transient"].params
    I = stimulus.pulse(-200e-12, 0.05, 0.3, 0.6, 1e-4)
    spikes = simulate_adex(p, I, duration=0.6).spike_times[0]
    assert spikes.size == 1 and spikes[0] > 0.35


# ------------------------------------------------------------------ pattern rule


def train(intervals, latency=10e-3):
    return latency + np.concatenate([[0.0], np.cumsum(intervals)])


@pytest.mark.parametrize(
    ("spikes", "expected"),
    [
        (np.array([]), "silent"),
        (np.array([0.02, 0.05]), "transient"),
        (np.array([0.1, 0.5, 0.9]), "too few spikes"),
        (train([0.05] * 19), "tonic"),
        (train(np.linspace(0.02, 0.05, 25)), "adapting"),
        (train([0.003, 0.004] + [0.04] * 20), "initial burst"),
        (train([0.05] * 15, latency=0.2), "delayed"),
        (train([0.002, 0.002, 0.002, 0.06] * 12), "regular bursting"),
        (train(np.random.default_rng(1).uniform(0.005, 0.05, 40)), "irregular"),
    ],
)
def test_pattern_rule_on_synthetic_trains(spikes, expected):
    assert classify_pattern(spikes, 0.0, 1.0).pattern == expected


def test_pattern_rule_ignores_spikes_outside_the_step_and_knows_its_names():
    spikes = train([0.05] * 19) + 0.5
    assert classify_pattern(np.concatenate([[0.1], spikes]), 0.5, 1.0).pattern == "tonic"
    assert isi_period([1, 2, 1, 2, 1]) == 2 and isi_period([1, 2, 3, 4, 5]) == 0
    assert set(PATTERNS) >= {p for p in PRESETS}
    with pytest.raises(ValueError, match="duration"):
        classify_pattern([0.1], 0.0, 0.0)


# ------------------------------------------------------------------ feature table


def test_feature_table_is_izhikevichs_twenty():
    assert [f.letter for f in FEATURES] == [chr(ord("A") + k) for k in range(20)]
    names = {f.name for f in FEATURES}
    assert {"tonic spiking", "class 2 excitable", "rebound spike", "bistability"} <= names
    for f in FEATURES:
        for model in MODELS:
            support = getattr(f, model)
            assert support.status in ("shown", "tested", "literature", "no", "unknown")
            assert support.section is None or support.section in SECTIONS
            if support.status == "shown" and model != "LIF":
                assert support.section is not None, (f.name, model)
    # what Izhikevich (2004) lists for integrate-and-fire: A, G, L only
    assert [f.letter for f in FEATURES if f.LIF.has] == ["A", "G", "L"]
    hh = {f.letter for f in FEATURES if f.HH.has}
    assert {"A", "B", "H", "I", "J", "M", "P", "R"} <= hh and "G" not in hh and "L" not in hh
