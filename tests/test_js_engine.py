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

from lif_core import LIFParams, fi_curve, simulate, stimulus
from lif_figures.style import downsample, even_indices, rounded
from tests.js.engine_cases import (
    Agreement,
    Pair,
    call,
    check_pairs,
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


def _chapter_pairs() -> list[Pair]:
    pairs = []
    # 1: a current pulse into the passive membrane (onset and width off the grid), V_reset != E_L
    onset, width, duration = 10.05 * ms, 30.02 * ms, 80 * ms
    pulse = (2 * nA, onset, width, duration, DT)
    pairs.append(
        simulation_pair(
            "ch1 RC pulse",
            GERSTNER,
            {"I": js("stimulus.pulse", *pulse)},
            I=stimulus.pulse(*pulse),
            duration=duration,
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
    pairs.append(
        simulation_pair(
            "Euler passive pulse",
            GERSTNER,
            I=stimulus.pulse(*pulse),
            duration=duration,
            method="euler",
            spiking=False,
        )
    )
    return pairs


CHAPTERS = _chapter_pairs()


@pytest.fixture(scope="module")
def chapter_problems() -> dict[str, list[str]]:
    """Every chapter pair, in one Node run."""
    agreement = Agreement()
    problems = pair_problems(CHAPTERS, agreement)
    assert agreement.cases == len(CHAPTERS)
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
    ]
    for args, kwargs in fi_bad:
        I = np.array(args["I"])
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
        stimulus_pair("regular train", "regular_spike_train", 37.0, 0.5, 0.02),
        stimulus_pair("regular train, odd rate", "regular_spike_train", 1 / 0.0123, 0.731, 0.0037),
        stimulus_pair("regular train, rate 0", "regular_spike_train", 0.0, 0.5),
    ]
    for pair in exact:
        pair.compare = equal
    conductances = [  # exp in V8 and in numpy may differ in the last bit: 1e-12 relative
        stimulus_pair("exponential", "synaptic_conductance", spikes, 4e-9, 5e-3, 0.3, DT),
        stimulus_pair(
            "alpha", "synaptic_conductance", spikes, 4e-9, 7.3e-3, 0.3, 7e-5, kind="alpha"
        ),
        stimulus_pair("one event", "synaptic_conductance", [0.06], 30e-9, 5e-3, 0.14, DT),
        stimulus_pair(  # 39 563 steps: exp(-dt/tau_syn) is 5.6e-17 off, 39 563 times
            "long window", "synaptic_conductance", [0.01], 1e-9, 19.781e-3, 0.45, 1e-5
        ),
    ]
    assert check_pairs(exact + conductances) == []
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


def test_the_engine_runs_in_front_of_lab_chart_in_one_es_module(node, tmp_path):
    """lif_engine.js is a script: put before lab_chart.js it makes one ES module (no clash)."""
    root = Path(__file__).resolve().parents[1]
    module = tmp_path / "chart.mjs"
    module.write_text(
        (root / "lif_engine.js").read_text()
        + (root / "lab_chart.js").read_text()
        + "\nexport const rate = LIFEngine.theory.firing_rate({}, 2e-9);"
        + "\nexport const shared = globalThis.LIFEngine === LIFEngine;\n"
    )
    script = f"import({json.dumps(module.as_uri())}).then(m => "
    script += "console.log(JSON.stringify([typeof m.default, m.rate, m.shared])))"
    out = subprocess.run([node, "-e", script], capture_output=True, text=True, check=True)
    kind, rate, shared = json.loads(out.stdout)
    assert kind == "function" and shared
    assert rate == pytest.approx(1 / (2e-3 + 10e-3 * math.log(20 / 5)), rel=1e-12)
