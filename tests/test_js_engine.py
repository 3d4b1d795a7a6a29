"""lif_engine.js (the browser engine of the live previews) against lif_core, under Node.

Every chapter's computation with fixed parameters that tell the formulas apart, then
hypothesis-generated parameter sets; each group runs in one Node process
(``tests/js/run_engine.js``, harness in ``tests/js/engine_cases.py``). Tolerances (issue 12):
|ΔV| <= 1e-9 V, spike times within 1e-9 s, equal spike counts, closed forms and waveforms
to 1e-12 relative, refused inputs with lif_core's message word for word.

Without Node (``node``, Debian's ``nodejs``) the tests are skipped, unless ``CI=true``: then
they fail, so a CI run cannot pass without them.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
from pathlib import Path

import numpy as np
import pytest
from mutation_aware import shared_scope

from lif_core import LIFParams, NumericalInstabilityWarning, fi_curve, simulate, stimulus
from lif_core.analysis.membrane import choose_dt, pulse_experiment
from lif_core.stimulus import SynapticConductance
from lif_figures.style import downsample, even_indices, rounded
from tests.js.engine_cases import (
    ENGINE_FILES,
    Agreement,
    Pair,
    call,
    check_pairs,
    close,
    encode,
    equal,
    fi_pair,
    find_node,
    generated_pairs,
    js,
    pair_problems,
    run_engine,
    simulation_pair,
    stimulus_pair,
    theory_pairs,
)

IN_CI = os.environ.get("CI", "").lower() == "true"
DT = 1e-4
mV, ms, nA, nS = 1e-3, 1e-3, 1e-9, 1e-9

#: Gerstner et al.: V_reset (−65 mV) above E_L (−70 mV), tau = 8 ms.
GERSTNER = LIFParams(R=10e6, C=0.8e-9, E_L=-70 * mV, V_th=-50 * mV, V_reset=-65 * mV, t_ref=2 * ms)
#: V_reset below E_L and t_ref off the grid.
LOW_RESET = LIFParams(E_L=-65 * mV, V_th=-50 * mV, V_reset=-72 * mV, t_ref=2.05 * ms)
#: tau = 0.5 ms and t_ref < dt: at 20 nA it fires ~1.4 times per 0.1 ms step.
FAST = LIFParams(R=10e6, C=0.05e-9, E_L=-65 * mV, V_th=-50 * mV, V_reset=-60 * mV, t_ref=0.03 * ms)


@pytest.fixture(scope="module", autouse=True)
def node() -> str:
    path = find_node()
    if path is None:
        reason = "JS engine tests skipped: Node is not installed (apt-get install nodejs)"
        if IN_CI:
            pytest.fail(reason.replace("skipped", "cannot run with CI=true"), pytrace=False)
        pytest.skip(reason)
    return path


# --------------------------------------------------------------------------- chapters


#: Chapter 1's pulse: onset and width (s), off the grid.
CH1_PULSE = (10.05 * ms, 30.02 * ms)
#: Presynaptic events exactly on grid points k dt (dt = 0.1 ms).
ON_GRID = np.arange(200, 5000, 173) * DT


def _ch1_window(p: LIFParams, onset: float, width: float) -> tuple[float, float]:
    """Duration and dt of chapter 1's pulse experiment (pulse + 5 tau, clipped to 20 ms..1 s)."""
    tau = float(p.tau)
    duration = onset + width + min(max(5 * tau, 20e-3), 1.0)
    return duration, choose_dt(tau, duration)


def _dropped_spike_duration() -> float:
    """A duration that ends inside a step, before the spike LOW_RESET fires in it at 2.2 nA."""
    t_s = simulate(LOW_RESET, I=2.2 * nA, duration=0.1, dt=5e-5).spike_times[0][3]
    k = math.floor(t_s / 5e-5)
    return k * 5e-5 + 0.5 * (t_s - k * 5e-5)


DROPPED_SPIKE_DURATION = _dropped_spike_duration()

#: Presynaptic events at their exact times: (neuron, I, SynapticConductance, E_syn, duration).
#: Each fires, with spike times that differ from the step means' by > 0.1 µs.
EXACT_CASES = {
    "ch5 exact events, excitatory": (
        GERSTNER,
        1.8 * nA,
        SynapticConductance(stimulus.regular_spike_train(40.0, 0.5, 0.02), 20 * nS, 5 * ms),
        -10 * mV,
        0.5,
    ),
    "ch5 exact events, inhibitory alpha": (
        GERSTNER,
        2.5 * nA,
        SynapticConductance(
            stimulus.poisson_spike_train(80.0, 0.5, seed=0), 8 * nS, 10 * ms, "alpha"
        ),
        -80 * mV,
        0.5,
    ),
    # t_ref < dt: the neuron fires again inside the sub-stepped rest of a step
    "exact events, t_ref < dt": (
        FAST,
        10 * nA,
        SynapticConductance(stimulus.poisson_spike_train(300.0, 0.1, seed=4), 50 * nS, 2 * ms),
        0.0,
        0.1,
    ),
    "ch5 exact events on the grid, alpha": (
        LOW_RESET,
        1.4 * nA,
        SynapticConductance(ON_GRID, 10 * nS, 3 * ms, "alpha"),
        0.0,
        0.5,
    ),
}
#: Poisson events through a synapse faster than dt (0.03 ms at dt = 0.1 ms).
SHORT_TAU_SYN = (stimulus.poisson_spike_train(300.0, 0.2345, seed=5), 100 * nS, 0.03 * ms)
TWO_SYNAPSES = [
    SynapticConductance(stimulus.poisson_spike_train(400.0, 0.2345, seed=6), 8 * nS, 4 * ms),
    stimulus.synaptic_conductance(
        stimulus.poisson_spike_train(100.0, 0.2345, seed=5), 5 * nS, 8 * ms, 0.2345, DT, "alpha"
    ),
]


def _chapter_pairs() -> list[Pair]:
    pairs = []
    # 1: a current pulse into the passive membrane (onset and width off the grid), V_reset != E_L,
    # on chapter 1's window (pulse + 5 tau: 80.07 ms, off the grid, the last step 0.07 dt)
    duration, dt = _ch1_window(GERSTNER, *CH1_PULSE)
    pulse = (2 * nA, *CH1_PULSE, duration, dt)
    pairs.append(
        simulation_pair(
            "ch1 RC pulse",
            GERSTNER,
            {"I": js("stimulus.pulse", *pulse)},
            I=stimulus.pulse(*pulse),
            duration=duration,
            dt=dt,
            spiking=False,
        )
    )
    # a pulse that ends inside the short last step
    inside = (-1.5 * nA, 3 * ms, 96.66 * ms, 0.09997, DT)
    pairs.append(
        simulation_pair(
            "ch1 pulse ending in the short last step",
            LOW_RESET,
            {"I": js("stimulus.pulse", *inside)},
            I=stimulus.pulse(*inside),
            duration=0.09997,
            dt=DT,
            spiking=False,
        )
    )
    # 2: relaxation from several potentials (dt = duration / 2000, as the chapter)
    for V0 in (-80 * mV, -65 * mV, -40 * mV):
        pairs.append(
            simulation_pair(
                f"ch2 relaxation from {V0 / mV:g} mV",
                GERSTNER,
                I=0.8 * nA,
                duration=40 * ms,
                dt=40 * ms / 2000,
                V0=V0,
                spiking=False,
            )
        )
    # 3: threshold and reset under a constant and a step current
    pairs.append(simulation_pair("ch3 constant", LOW_RESET, I=2.2 * nA, duration=0.5, dt=5e-5))
    # off the grid: a spike after `duration` but inside the last step's full dt is dropped
    pairs.append(
        simulation_pair(
            "ch3 constant, the last step ends before a spike",
            LOW_RESET,
            I=2.2 * nA,
            duration=DROPPED_SPIKE_DURATION,
            dt=5e-5,
        )
    )
    step = (2.5 * nA, 100.03 * ms, 0.5, 5e-5)
    pairs.append(
        simulation_pair(
            "ch3 step",
            LOW_RESET,
            {"I": js("stimulus.step", *step)},
            I=stimulus.step(*step),
            duration=0.5,
            dt=5e-5,
        )
    )
    # a spike 0.4 ms before the end of lif_core's first block of 2048 steps, then no input
    late = (3 * nA, 9.54 * ms, 195 * ms, 0.3, DT)
    pairs.append(
        simulation_pair(
            "ch3 pulse ends inside a refractory period",
            LIFParams(),
            {"I": js("stimulus.pulse", *late)},
            I=stimulus.pulse(*late),
            duration=0.3,
            dt=DT,
        )
    )
    # V_inf = V_th in binary: V reaches it (to the last bit, dt > tau ln 2) and must not fire
    at_threshold = LIFParams(
        R=2.0**24, C=5e-12, E_L=-0.0625, V_th=-0.046875, V_reset=-0.07, t_ref=2 * ms
    )
    held = np.where(np.arange(16000) < 15000, 2.0**-30, 0.0)  # then V relaxes back to rest
    pairs.append(
        simulation_pair("ch3 V_inf = V_th exactly", at_threshold, I=held, duration=1.6, dt=DT)
    )
    rest_above = LIFParams(E_L=-45 * mV, V_th=-50 * mV, V_reset=-60 * mV, t_ref=2 * ms)
    pairs.append(simulation_pair("ch3 rest above threshold", rest_above, duration=0.2, dt=DT))
    pairs.append(
        simulation_pair("ch3 exactly at rheobase", LOW_RESET, I=LOW_RESET.rheobase, duration=0.5)
    )
    for how, stepped in (("", False), (", stepped", True)):
        pairs.append(
            fi_pair(
                "ch3 f–I, duration off the grid" + how,
                LOW_RESET,
                np.linspace(0.0, 5 * nA, 21),
                stepped,
                duration=DROPPED_SPIKE_DURATION,
                dt=5e-5,
            )
        )
    # 4: f–I with t_ref off the grid, without refractoriness, and t_ref < dt; operating point
    # (each f–I curve twice: the closed-form count and the exact step)
    currents = np.linspace(0.0, 5 * nA, 41)
    noref = LOW_RESET.replace(t_ref=0.0)
    for how, stepped in (("", False), (", stepped", True)):
        pairs += [
            fi_pair("ch4 f–I t_ref 2.05 ms" + how, LOW_RESET, currents, stepped, duration=0.5),
            fi_pair("ch4 f–I t_ref 0" + how, noref, currents, stepped, duration=0.5),
            fi_pair("ch4 f–I t_ref < dt" + how, FAST, currents * 4, stepped, duration=0.5),
        ]
    pairs.append(simulation_pair("ch4 trace t_ref < dt", FAST, I=20 * nA, duration=0.15, dt=DT))
    pairs.append(simulation_pair("ch4 trace", LOW_RESET, I=3 * nA, duration=0.15, dt=DT))
    # 5: conductance synapses, E_syn != 0: excitatory (regular train), inhibitory (alpha, data)
    train = js("stimulus.regular_spike_train", 40.0, 0.5, 0.02)
    g_exc = js("stimulus.synaptic_conductance", train, 5 * nS, 5 * ms, 0.5, DT)
    g_exc_py = stimulus.synaptic_conductance(
        stimulus.regular_spike_train(40.0, 0.5, 0.02), 5 * nS, 5 * ms, 0.5, DT
    )
    pairs.append(
        simulation_pair(
            "ch5 excitatory E_syn = -10 mV",
            GERSTNER,
            {"g_syn": g_exc},
            I=1.5 * nA,
            g_syn=g_exc_py,
            E_syn=-10 * mV,
            duration=0.5,
            dt=DT,
        )
    )
    poisson = stimulus.poisson_spike_train(80.0, 0.5, seed=0)  # sent as data
    g_inh = js("stimulus.synaptic_conductance", poisson, 8 * nS, 10 * ms, 0.5, DT, "alpha")
    g_inh_py = stimulus.synaptic_conductance(poisson, 8 * nS, 10 * ms, 0.5, DT, "alpha")
    pairs.append(
        simulation_pair(
            "ch5 inhibitory E_syn = -80 mV",
            GERSTNER,
            {"g_syn": g_inh},
            I=2.5 * nA,
            g_syn=g_inh_py,
            E_syn=-80 * mV,
            duration=0.5,
            dt=DT,
        )
    )
    current_based = 1.5 * nA - g_exc_py * (float(GERSTNER.E_L) - (-10 * mV))
    pairs.append(
        simulation_pair("ch5 current-based", GERSTNER, I=current_based, duration=0.5, dt=DT)
    )
    # 6: shunting (E_inh = E_L) and hyperpolarising inhibition with an excitatory event
    P = LIFParams()
    gE = js("stimulus.synaptic_conductance", [60 * ms], 30 * nS, 5 * ms, 0.14, DT)
    gE_py = stimulus.synaptic_conductance([60 * ms], 30 * nS, 5 * ms, 0.14, DT)
    for label, E_inh in (("shunting", float(P.E_L)), ("hyperpolarising", float(P.E_L) - 15 * mV)):
        gI = js("stimulus.step", 20 * nS, 20 * ms, 0.14, DT)
        gI_py = stimulus.step(20 * nS, 20 * ms, 0.14, DT)
        pairs.append(
            simulation_pair(
                f"ch6 {label} E+I",
                P,
                {"g_syn": [gE, gI]},
                g_syn=[gE_py, gI_py],
                E_syn=[0.0, E_inh],
                duration=0.14,
                dt=DT,
                spiking=False,
            )
        )
        for how, stepped in (("", False), (", stepped", True)):
            pairs.append(
                fi_pair(
                    f"ch6 f–I under {label} inhibition{how}",
                    P,
                    np.linspace(0, 8 * nA, 31),
                    stepped,
                    duration=0.5,
                    g_syn=20 * nS,
                    E_syn=E_inh,
                )
            )
    pairs.append(
        simulation_pair(
            "ch6 spiking under two constant conductances",
            LOW_RESET,
            I=4 * nA,
            g_syn=[3 * nS, 10 * nS],
            E_syn=[0.0, -75 * mV],
            duration=0.3,
        )
    )
    # 5 and 6 with presynaptic events at their exact times (SynapticConductance: sub-steps
    # where V crosses threshold or leaves refractoriness), and step means of events on the grid
    for label, (p, I, syn, E, duration) in EXACT_CASES.items():
        pairs.append(simulation_pair(label, p, I=I, g_syn=syn, E_syn=E, duration=duration, dt=DT))
    on_grid = (ON_GRID, 6 * nS, 3 * ms, 0.5, DT)
    for kind in ("exponential", "alpha"):
        pairs.append(
            simulation_pair(
                f"ch5 step means of events on the grid, {kind}",
                LOW_RESET,
                {"g_syn": js("stimulus.synaptic_conductance", *on_grid, kind)},
                I=1.2 * nA,
                g_syn=stimulus.synaptic_conductance(*on_grid, kind),
                E_syn=0.0,
                duration=0.5,
                dt=DT,
            )
        )
    short = SHORT_TAU_SYN
    pairs.append(
        simulation_pair(
            "step means, tau_syn < dt, duration off the grid",
            LOW_RESET,
            {"g_syn": js("stimulus.synaptic_conductance", *short, 0.2345, DT)},
            I=1.6 * nA,
            g_syn=stimulus.synaptic_conductance(*short, 0.2345, DT),
            E_syn=0.0,
            duration=0.2345,
            dt=DT,
        )
    )
    pairs.append(
        simulation_pair(
            "exact events and step means together, duration off the grid",
            LOW_RESET,
            I=1.2 * nA,
            g_syn=TWO_SYNAPSES,
            E_syn=[0.0, -80 * mV],
            duration=0.2345,
            dt=DT,
        )
    )
    # 6 with one inhibitory conductance (and reversal potential) per current
    g_each = np.linspace(0.0, 40 * nS, 31)
    for how, stepped in (("", False), (", stepped", True)):
        pairs += [
            fi_pair(
                "ch6 f–I, g_syn per current" + how,
                P,
                np.linspace(0, 8 * nA, 31),
                stepped,
                duration=0.5,
                g_syn=g_each,
                E_syn=float(P.E_L),
            ),
            fi_pair(
                "ch6 f–I, g_syn and E_syn per current" + how,
                P,
                np.linspace(0, 8 * nA, 31),
                stepped,
                duration=0.5,
                g_syn=g_each[::-1],
                E_syn=np.linspace(-80 * mV, -60 * mV, 31),
            ),
        ]
    # the grid: a duration within 1e-9 of a multiple of dt is that multiple; dt a hair longer
    # than duration is one step
    pairs.append(
        simulation_pair(
            "duration a hair past 3000 dt: 3000 steps",
            LOW_RESET,
            I=2.2 * nA,
            duration=0.3 * (1 + 3e-10),
            dt=DT,
        )
    )
    pairs.append(
        simulation_pair(
            "dt a hair longer than duration: one step",
            LOW_RESET,
            I=2.2 * nA,
            duration=0.1,
            dt=0.1 * (1 + 5e-10),
        )
    )
    # forward Euler, the teaching comparison; t_ref / dt = 2.5 steps rounds half to even
    pairs.append(
        simulation_pair("Euler spiking", LOW_RESET, I=2.2 * nA, duration=0.3, method="euler")
    )
    half = 2.0**-14  # dt, so that t_ref / dt is 2.5 exactly
    pairs.append(
        simulation_pair(
            "Euler, t_ref = 2.5 dt",
            LOW_RESET.replace(t_ref=2.5 * half),
            I=3 * nA,
            duration=0.1,
            dt=half,
            method="euler",
        )
    )
    duration, dt = _ch1_window(GERSTNER, *CH1_PULSE)
    pairs.append(
        simulation_pair(
            "Euler passive pulse, the last step shorter",
            GERSTNER,
            I=stimulus.pulse(2 * nA, *CH1_PULSE, duration, dt),
            duration=duration,
            dt=dt,
            method="euler",
            spiking=False,
        )
    )
    # dt > 2 tau: forward Euler diverges, and both warn with the same message
    for spiking in (False, True):
        pairs.append(
            simulation_pair(
                f"Euler unstable, dt = 2.4 tau, spiking={spiking}",
                FAST,
                I=1 * nA,
                duration=0.0502,
                dt=1.2e-3,
                method="euler",
                spiking=spiking,
            )
        )
    return pairs


CHAPTERS = _chapter_pairs()


@pytest.fixture(scope=shared_scope)
def chapter_problems() -> dict[str, list[str]]:
    """Every chapter pair, in one Node run."""
    agreement = Agreement()
    problems = pair_problems(CHAPTERS, agreement)
    assert agreement.cases == len(CHAPTERS)
    assert agreement.warned == 2  # unstable Euler, passive and spiking
    return {p.name: found for p, found in zip(CHAPTERS, problems, strict=True)}


@pytest.mark.parametrize("name", [p.name for p in CHAPTERS])
def test_chapter_computation_agrees_with_lif_core(name, chapter_problems):
    assert chapter_problems[name] == []


def test_the_chapter_cases_spike_where_they_should():
    """The fixed cases exercise what they are named for (so agreement means something)."""
    fast = simulate(FAST, I=20 * nA, duration=0.15, dt=DT)
    assert np.min(np.diff(fast.spike_times[0])) < DT  # several spikes within one step
    assert simulate(LOW_RESET, I=LOW_RESET.rheobase, duration=0.5).spike_times[0].size == 0
    fi = fi_curve(LOW_RESET, np.linspace(0.0, 5 * nA, 41), duration=0.5)
    assert fi.n_spikes[0] == 0 and fi.n_spikes[-1] > 50


def test_the_new_grid_and_synapse_cases_exercise_what_they_are_named_for():
    """Off-grid durations, exact events, fast synapses and unstable Euler do what they say."""
    # chapter 1's window is off the grid (801 steps, the last 0.07 dt), and the pair computes
    # exactly what the chapter's analysis draws
    duration, dt = _ch1_window(GERSTNER, *CH1_PULSE)
    ch1 = pulse_experiment(GERSTNER, 2 * nA, *CH1_PULSE)
    assert ch1.t.size == math.ceil(duration / dt) == 801 and duration < ch1.t.size * dt
    I = stimulus.pulse(2 * nA, *CH1_PULSE, duration, dt)
    ours = simulate(GERSTNER, I=I, duration=duration, dt=dt, spiking=False)
    np.testing.assert_array_equal(ch1.V, ours.V[0])
    # the off-grid duration ends 0.5 of the way to a spike that a full last step would keep
    kept = simulate(LOW_RESET, I=2.2 * nA, duration=math.ceil(DROPPED_SPIKE_DURATION / 5e-5) * 5e-5)
    cut = simulate(LOW_RESET, I=2.2 * nA, duration=DROPPED_SPIKE_DURATION, dt=5e-5)
    assert kept.spike_times[0].size == cut.spike_times[0].size + 1
    assert kept.spike_times[0][-1] > cut.duration == DROPPED_SPIKE_DURATION
    # events exactly on grid points, some of which t / dt rounds down into the step before
    assert np.any(np.floor(ON_GRID / DT) != np.round(ON_GRID / DT))
    # exact events: they fire, and not where the step means do (so the sub-steps are tested)
    for label, (p, I, syn, E, duration) in EXACT_CASES.items():
        exact = simulate(p, I=I, g_syn=syn, E_syn=E, duration=duration).spike_times[0]
        means = simulate(
            p, I=I, g_syn=syn.step_means(duration, DT), E_syn=E, duration=duration
        ).spike_times[0]
        assert exact.size > 5, label
        n = min(exact.size, means.size)
        assert exact.size != means.size or np.max(np.abs(exact[:n] - means[:n])) > 1e-7, label
        if p is FAST:  # fires twice in one step, often
            assert np.sum(np.diff(np.floor(exact / DT)) == 0) > 100
    both = simulate(
        LOW_RESET, I=1.2 * nA, g_syn=TWO_SYNAPSES, E_syn=[0.0, -80 * mV], duration=0.2345
    )
    assert both.spike_times[0].size > 5
    # tau_syn < dt: one step's decay exceeds e^-1 (lif_core's doubling recursion)
    assert DT / SHORT_TAU_SYN[2] > 1
    # forward Euler at dt = 2.4 tau diverges
    with pytest.warns(NumericalInstabilityWarning):
        wild = simulate(FAST, I=1 * nA, duration=0.0502, dt=1.2e-3, method="euler", spiking=False)
    assert np.max(np.abs(wild.V)) > 1.0


def test_closed_forms_agree_to_1e_12():
    pairs = []
    for name, p in (("Gerstner", GERSTNER), ("low reset", LOW_RESET), ("fast", FAST)):
        I = np.linspace(-1 * nA, 10 * nA, 45)  # through the rheobase, not on it
        pairs += theory_pairs(name, p, I, 20 * nS, -80 * mV)
        pairs += theory_pairs(name + " shunt", p, I, 50 * nS, float(p.E_L))
    assert check_pairs(pairs) == []


# --------------------------------------------------------------------------- generated


def test_generated_cases_agree_with_lif_core():
    """Hypothesis-generated parameter sets, inputs, synapses, V0, methods, one Node run."""
    groups = generated_pairs(n_sim=80, n_fi=20, n_theory=8, n_bad=30)
    pairs = [p for group in groups.values() for p in group]
    agreement = Agreement()
    failures = check_pairs(pairs, agreement)
    assert failures == [], "\n".join(failures[:10])
    assert agreement.cases > 80 and agreement.spikes > 1000


# --------------------------------------------------------------------------- refusals


P = LIFParams()
BAD_PARAMS = [
    {"R": 0.0},
    {"R": -1e6},
    {"C": 0.0},
    {"C": math.nan},
    {"E_L": math.inf},
    {"V_th": -math.inf},
    {"t_ref": -1e-3},
    {"V_reset": -50 * mV},
    {"V_reset": -40 * mV, "V_th": -41.5 * mV},
    {"R": "abc"},
]
BAD_SIMULATE = [
    {"dt": 0.0},
    {"dt": -1e-4},
    {"dt": 0.5, "duration": 0.1},
    {"dt": 5e-5, "duration": 2e-5},  # Python writes 5e-05 and 2e-05
    {"duration": 0.0},
    {"dt": math.nan},
    {"duration": math.inf},
    {"I": np.ones(7)},
    {"I": math.nan},
    {"I": np.array([0.0, math.inf] + [0.0] * 998)},
    {"g_syn": -1e-9, "E_syn": 0.0},
    {"g_syn": [1e-9, 2e-9], "E_syn": [0.0]},
    {"g_syn": [1e-9, -2e-9], "E_syn": [0.0, -0.08]},
    {"g_syn": 1e-9},
    {"E_syn": 0.0},
    {"g_syn": 1e-9, "E_syn": math.nan},
    {"V0": -40 * mV},
    {"V0": -50 * mV},
    {"V0": math.nan},
    {"method": "rk4"},
    # the grid: dt longer than duration beyond 1e-9 relative; ceil(duration / dt) inputs
    {"dt": 0.1 * (1 + 3e-9), "duration": 0.1},
    {"I": np.ones(1000), "duration": 0.10005},
    {"g_syn": [1e-9], "E_syn": [[0.0, 1.0]]},
]


@pytest.mark.parametrize("bad", BAD_PARAMS, ids=str)
def test_bad_parameters_are_refused_with_lif_core_message(bad):
    with pytest.raises(ValueError) as info:
        LIFParams(**bad)
    (got,) = run_engine([call("params", {**encode(P), **encode(bad)})])
    assert got.error == str(info.value)


def _refusals() -> list[tuple[str, Pair]]:
    noref = P.replace(t_ref=0.0)
    out = []
    # with t_ref = 0, 1 mA fires more than 10 spikes per step
    for p, bad in [(P, b) for b in BAD_SIMULATE] + [(noref, {"I": 1e-3})]:
        kwargs = {"duration": 0.1, "dt": DT, **bad}
        out.append(
            Pair(
                str(bad), lambda p=p, k=kwargs: simulate(p, **k), call("simulate", p, kwargs), equal
            )
        )
    fi_bad = [
        ({"I": [1e-9, math.nan]}, {}),
        ({"I": [1e-9]}, {"g_syn": -1e-9}),
        ({"I": [1e-9]}, {"dt": 2.0}),
        ({"I": [1e-9]}, {"E_syn": math.inf}),
        ({"I": [1e-9, 1e-3]}, {"duration": 0.1}),  # t_ref = 0: too many spikes per step
        # one conductance and reversal potential per current
        ({"I": [1e-9, 2e-9]}, {"g_syn": [1e-9, 2e-9, 3e-9]}),
        ({"I": [1e-9, 2e-9]}, {"g_syn": [[1e-9, 2e-9]]}),
        ({"I": [1e-9, 2e-9]}, {"E_syn": [0.0]}),
        ({"I": [1e-9, 2e-9]}, {"g_syn": [1e-9, -1e-9]}),
        ({"I": [1e-9, 2e-9]}, {"g_syn": [1e-9, 2e-9], "E_syn": [0.0, math.nan]}),
        ({"I": [[1e-9, 2e-9]]}, {}),
    ]
    for args, kwargs in fi_bad:
        I = args["I"]  # a list: a nested one reaches the engine nested
        out.append(
            Pair(
                f"fi_curve {args} {kwargs}",
                lambda I=I, k=kwargs: fi_curve(noref, I, **k),
                call("fi_curve", noref, I, kwargs),
                equal,
            )
        )
    waveforms = [
        ("pulse", (math.nan, 0.01, 0.02, 0.1, DT)),
        ("pulse", (1e-9, -0.01, 0.02, 0.1, DT)),
        ("pulse", (1e-9, 0.01, 0.0, 0.1, DT)),
        ("constant", (1e-9, 0.1, 0.2)),
        ("regular_spike_train", (-5.0, 0.5)),
        ("synaptic_conductance", ([0.01], -1e-9, 5e-3, 0.1, DT)),
        ("synaptic_conductance", ([0.01], 1e-9, 0.0, 0.1, DT)),
        ("synaptic_conductance", ([0.01, math.nan], 1e-9, 5e-3, 0.1, DT)),
        ("synaptic_conductance", ([0.01], 1e-9, 5e-3, 0.1, DT, "beta")),
        ("synaptic_conductance", ([0.01], 1e-9, 5e-3, 0.1, 0.1 * (1 + 2e-9))),
        ("pulse", (1e-9, 0.01, 0.02, 0.1, 0.1 * (1 + 2e-9))),
        ("SynapticConductance", ([0.01], -1e-9, 5e-3)),
        ("SynapticConductance", ([0.01], 1e-9, -5e-3, "alpha")),
        ("SynapticConductance", ([0.01], 1e-9, 5e-3, "beta")),
        ("SynapticConductance", ([0.01, math.inf], 1e-9, 5e-3)),
    ]
    for fn, args in waveforms:
        out.append(
            Pair(
                f"{fn}{args}",
                lambda fn=fn, a=args: getattr(stimulus, fn)(*a),
                call("stimulus." + fn, *args),
                equal,
            )
        )
    return [(pair.name, pair) for pair in out]


def test_bad_arguments_are_refused_with_lif_core_message():
    pairs = [pair for _, pair in _refusals()]
    agreement = Agreement()
    assert check_pairs(pairs, agreement) == []
    assert agreement.refused == len(pairs)  # every one of them is refused, by both


def test_unknown_names_are_refused_like_python_keywords():
    got = run_engine(
        [call("params", {"Vth": -0.05}), call("simulate", encode(P), {"g": 1e-9, "E_syn": 0.0})]
    )
    assert [(o.error_type, o.error) for o in got] == [
        ("TypeError", "LIFParams.__init__() got an unexpected keyword argument 'Vth'"),
        ("TypeError", "simulate() got an unexpected keyword argument 'g'"),
    ]


# --------------------------------------------------------------------------- waveforms, drawing


def test_waveforms_agree():
    rng = np.random.default_rng(3)
    spikes = np.sort(rng.uniform(-0.01, 0.31, 40))  # some outside the window
    exact = [  # the same operations as numpy: equal to the last bit
        stimulus_pair("constant", "constant", 1.3e-9, 0.1, DT),
        stimulus_pair("pulse off grid", "pulse", 2e-9, 10.05e-3, 30.02e-3, 0.1, DT),
        stimulus_pair("pulse inside one step", "pulse", 2e-9, 10.02e-3, 0.03e-3, 0.1, DT),
        stimulus_pair("step", "step", -1e-9, 0.03333, 0.1, 3e-5),
        # durations off the grid: the last step is shorter, covered fully, in part, or not
        stimulus_pair("pulse, short last step covered", "pulse", 2e-9, 0.0102, 1.0, 0.09997, DT),
        stimulus_pair(
            "pulse ends in the short last step", "pulse", 2e-9, 0.01, 0.08996, 0.09997, DT
        ),
        stimulus_pair("pulse, 1 ms at dt = 0.3 ms", "pulse", 1e-9, 0.0, 0.95e-3, 1e-3, 3e-4),
        stimulus_pair("step, off the grid", "step", 3e-9, 0.0123456, 0.0987654, 7e-5),
        stimulus_pair("regular train", "regular_spike_train", 37.0, 0.5, 0.02),
        stimulus_pair("regular train, odd rate", "regular_spike_train", 1 / 0.0123, 0.731, 0.0037),
        stimulus_pair("regular train, rate 0", "regular_spike_train", 0.0, 0.5),
    ]
    for pair in exact:
        pair.compare = equal
    on_grid = np.arange(0, 3000, 7) * DT  # events exactly at k dt, from t = 0
    last = [0.09991, 0.099925, 0.09996, 0.09997, 0.1]  # in the short last step, at and past its end
    crowded = np.sort(np.random.default_rng(4).uniform(0.05, 0.0503, 25))  # many in 3 steps
    conductances = [  # exp in V8 and in numpy may differ in the last bit: 1e-12 relative
        stimulus_pair("exponential", "synaptic_conductance", spikes, 4e-9, 5e-3, 0.3, DT),
        stimulus_pair("on the grid", "synaptic_conductance", on_grid, 4e-9, 5e-3, 0.3, DT),
        stimulus_pair(
            "on the grid, alpha", "synaptic_conductance", on_grid, 4e-9, 2e-3, 0.3, DT, kind="alpha"
        ),
        stimulus_pair("short last step", "synaptic_conductance", last, 4e-9, 5e-3, 0.09997, DT),
        stimulus_pair(
            "short last step, alpha", "synaptic_conductance", last, 4e-9, 5e-3, 0.09997, DT, "alpha"
        ),
        stimulus_pair("crowded steps", "synaptic_conductance", crowded, 1e-9, 1e-3, 0.1, DT),
        stimulus_pair(
            "tau_syn < dt", "synaptic_conductance", spikes, 4e-9, 0.03e-3, 0.3, DT, "alpha"
        ),
        stimulus_pair(
            "tau_syn = dt / 40, off the grid",
            "synaptic_conductance",
            spikes,
            4e-9,
            2.5e-6,
            0.29993,
            DT,
        ),
        stimulus_pair(  # one event, 40 000 steps of decay: no cut-off, no drift
            "long window, alpha", "synaptic_conductance", [0.0], 1e-9, 19.781e-3, 0.4, 1e-5, "alpha"
        ),
        stimulus_pair(
            "alpha", "synaptic_conductance", spikes, 4e-9, 7.3e-3, 0.3, 7e-5, kind="alpha"
        ),
        stimulus_pair("one event", "synaptic_conductance", [0.06], 30e-9, 5e-3, 0.14, DT),
        stimulus_pair(  # 39 563 steps: exp(-dt/tau_syn) is 5.6e-17 off, 39 563 times
            "long window", "synaptic_conductance", [0.01], 1e-9, 19.781e-3, 0.45, 1e-5
        ),
    ]
    unsorted = spikes[::-1].copy()  # SynapticConductance sorts its events
    for kind in ("exponential", "alpha"):
        conductances.append(
            Pair(
                f"SynapticConductance.step_means, {kind}",
                lambda k=kind: SynapticConductance(unsorted, 4e-9, 3e-3, k).step_means(0.2999, DT),
                call(
                    ".step_means",
                    js("stimulus.SynapticConductance", unsorted, 4e-9, 3e-3, kind),
                    0.2999,
                    DT,
                ),
                close(abs_=1e-30, scale=4e-9),
            )
        )
    agreement = Agreement()
    assert check_pairs(exact + conductances, agreement) == []
    assert agreement.max_rel < 1e-13  # relative to max(|g|, g_max)
    assert stimulus.regular_spike_train(1 / 0.0123, 0.731, 0.0037).size == 60


def test_downsample_and_even_indices_pick_the_same_points():
    rng = np.random.default_rng(7)
    sims = [simulate(LOW_RESET, I=2.2 * nA, duration=d, dt=5e-5) for d in (0.5, 0.08)]
    traces = [s.V[0] for s in sims] + [
        rng.normal(size=4001),
        np.round(rng.normal(size=3001), 1),  # many ties
        np.where(rng.random(2500) < 0.01, np.nan, rng.normal(size=2500)),  # NaN
    ]
    pairs = []
    for i, y in enumerate(traces):
        x = np.arange(y.size) * 5e-5
        for max_points in (1500, 800, 37, 4):
            pairs.append(
                Pair(
                    f"downsample trace {i} to {max_points}",
                    lambda x=x, y=y, m=max_points: dict(
                        zip("xy", downsample(x, y, m), strict=True)
                    ),
                    call("downsample", x, y, max_points),
                    lambda e, g, a: equal(e["x"], g["x"], a) + equal(e["y"], g["y"], a),
                )
            )
    for n, max_points, keep in [
        (10000, 800, []),
        (2001, 800, [200, 201, 1400, 1401]),
        (999, 800, [3]),
        (5000, 1500, [-3, 0, 4999, 7000, 2500, 2500]),
        (12345, 17, [5, 6]),
    ]:
        pairs.append(
            Pair(
                f"even_indices({n}, {max_points}, {keep})",
                lambda n=n, m=max_points, k=keep: even_indices(n, m, k),
                call("even_indices", n, max_points, keep),
                equal,
            )
        )
    assert check_pairs(pairs) == []


def test_display_units_and_rounding_agree_exactly():
    V = simulate(LOW_RESET, I=2.2 * nA, duration=0.1).V[0]
    t = np.arange(1000) * 7e-5
    halves = np.array([0.0005, 0.0015, 0.0025, -0.0035, 1.0625, 2.5e-3])  # ties round to even
    pairs = [
        Pair(
            "V in mV",
            lambda: rounded(V / 1e-3, "mV"),
            call("rounded", js("from_si", V, "mV"), "mV"),
            equal,
        ),
        Pair(
            "t in ms",
            lambda: rounded(t / 1e-3, "ms"),
            call("rounded", js("from_si", t, "ms"), "ms"),
            equal,
        ),
        Pair("ties", lambda: rounded(halves, "mV"), call("rounded", halves, "mV"), equal),
        Pair("nA", lambda: np.asarray(2e-9) / 1e-9, call("from_si", 2e-9, "nA"), equal),
        Pair("to_si", lambda: np.asarray(-65.0) * 1e-3, call("to_si", -65.0, "mV"), equal),
    ]
    assert check_pairs(pairs) == []


# --------------------------------------------------------------------------- packaging


def test_the_shared_scripts_make_one_es_module_and_release_waiting_charts(node, tmp_path):
    """The engine, previews and layers (lab_chart.SHARED_JS) make one ES module (no clash).

    It defines the globals the chart element uses and runs the charts that were mounted
    before it (``lab_chart.js`` queues them in ``__lifScriptsWaiting``).
    """
    root = Path(__file__).resolve().parents[1]
    module = tmp_path / "scripts.mjs"
    # the element's module as lab_chart.py assembles it, with the few browser globals it
    # touches when it loads, and a chart that waits for it
    import lab_chart

    stubs = (
        "globalThis.document = {addEventListener() {}, head: {appendChild() {}},"
        " body: {}, createElement: () => ({style: {}, setAttribute() {}})};\n"
        "globalThis.__lifScriptsWaiting = [() => { globalThis.__ran = !!globalThis.LIFLive; }];\n"
    )
    module.write_text(
        stubs
        + lab_chart.SHARED_JS
        + "\nexport const rate = LIFEngine.theory.firing_rate({}, 2e-9);"
        + "\nexport const shared = globalThis.LIFEngine === LIFEngine && globalThis.__ran;\n"
    )
    script = f"import({json.dumps(module.as_uri())}).then(m => "
    script += "console.log(JSON.stringify([typeof m.default, m.rate, m.shared])))"
    out = subprocess.run([node, "-e", script], capture_output=True, text=True, check=True)
    kind, rate, shared = json.loads(out.stdout)
    assert kind == "function" and shared
    # the Node loader of the tests concatenates the same files in the same order
    loader = (root / "tests" / "js" / "load_engine.js").read_text()
    assert f"const ENGINE_FILES = {json.dumps(list(ENGINE_FILES))};" in loader
    assert rate == pytest.approx(1 / (2e-3 + 10e-3 * math.log(20 / 5)), rel=1e-12)
