"""Harness for ``lif_engine.js``: the same computation in lif_core and under Node, compared.

A :class:`Pair` is one computation twice: a Python callable (lif_core's answer, or the
``ValueError`` it raises) and the same call of ``LIFEngine`` (see ``tests/js/run_engine.js``).
:func:`check_pairs` runs every JS call of a batch in one Node process and returns the
disagreements. Used by ``tests/test_js_engine.py`` and ``benchmarks/bench_js_engine.py``.

Tolerances (issue 12): |ΔV| <= 1e-9 V, spike times within 1e-9 s and equal counts,
closed forms to 1e-12 relative, error and warning messages equal.
"""

from __future__ import annotations

import base64
import json
import math
import shutil
import subprocess
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import numpy as np

from lif_core import LIFParams, fi_curve, simulate, stimulus, theory
from lif_core._grid import _n_steps
from lif_core.stimulus import SynapticConductance

ROOT = Path(__file__).resolve().parents[2]
RUNNER = ROOT / "tests" / "js" / "run_engine.js"
#: The engine's files, concatenated in this order (as tests/js/load_engine.js and the browser).
ENGINE_FILES = ("lif_engine.js", "lif_engine_draw.js")

TOL_V = 1e-9  # V
TOL_SPIKE = 1e-9  # s
TOL_REL = 1e-12  # closed forms and waveforms, relative


def find_node() -> str | None:
    """Path of the Node executable (``node``, or Debian's older name ``nodejs``), or None."""
    return shutil.which("node") or shutil.which("nodejs")


# --------------------------------------------------------------------------- transport


def encode(x: Any) -> Any:
    """Python values as the JSON ``run_engine.js`` decodes (float64 arrays as base64)."""
    if isinstance(x, LIFParams):
        return {f.name: float(getattr(x, f.name)) for f in fields(x)}
    if isinstance(x, SynapticConductance):  # the same events, built by the engine
        return encode(js("stimulus.SynapticConductance", x.spike_times, x.g_max, x.tau_syn, x.kind))
    if isinstance(x, np.ndarray):
        data = np.ascontiguousarray(x, dtype="<f8").tobytes()
        return {"f64": base64.b64encode(data).decode("ascii")}
    if isinstance(x, (float, np.floating)) and not math.isfinite(x):
        return {"num": "nan" if math.isnan(x) else ("inf" if x > 0 else "-inf")}
    if isinstance(x, np.floating):
        return float(x)
    if isinstance(x, (np.integer, np.bool_)):
        return x.item()
    if isinstance(x, dict):
        return {k: encode(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [encode(v) for v in x]
    return x


_TYPES = {"f64": "<f8", "u8": "u1", "i32": "<i4"}


def decode(x: Any) -> Any:
    """``run_engine.js``'s JSON back to Python (typed arrays as numpy arrays)."""
    if isinstance(x, list):
        return [decode(v) for v in x]
    if isinstance(x, dict):
        for tag, dtype in _TYPES.items():
            if tag in x:
                return np.frombuffer(base64.b64decode(x[tag]), dtype=dtype)
        if "num" in x:
            return float(x["num"])
        return {k: decode(v) for k, v in x.items()}
    return x


def call(fn: str, *args: Any, fields: list[str] | None = None) -> dict[str, Any]:
    """A call ``LIFEngine.<fn>(*args)``; ``fields``: the parts of a SimulationResult to return."""
    out: dict[str, Any] = {"fn": fn, "args": list(args)}
    if fields is not None:
        out["fields"] = fields
    return out


def js(fn: str, *args: Any) -> dict[str, Any]:
    """An argument computed in JS, ``LIFEngine.<fn>(*args)`` (as a preview would compute it)."""
    return {"call": {"fn": fn, "args": list(args)}}


@dataclass(frozen=True)
class Outcome:
    """What a JS call gave: a value, or an error message and its type."""

    value: Any = None
    error: str | None = None
    error_type: str | None = None


def run_engine(calls: list[dict[str, Any]], node: str | None = None) -> list[Outcome]:
    """Run ``calls`` in one Node process; one :class:`Outcome` each."""
    node = node or find_node()
    if node is None:
        raise RuntimeError("Node is not installed (node / nodejs not on PATH)")
    payload = json.dumps({"cases": encode(calls)})
    proc = subprocess.run(
        [node, str(RUNNER)], input=payload, capture_output=True, text=True, check=False
    )
    if proc.returncode != 0:
        raise RuntimeError(f"{RUNNER.name} failed ({proc.returncode}):\n{proc.stderr}")
    out = []
    for item in json.loads(proc.stdout):
        if "error" in item:
            out.append(Outcome(error=item["error"], error_type=item["type"]))
        else:
            out.append(Outcome(value=decode(item["ok"])))
    return out


# --------------------------------------------------------------------------- comparison


@dataclass
class Agreement:
    """Largest differences seen over the simulation pairs compared."""

    cases: int = 0
    refused: int = 0  # cases both refused with the same message
    warned: int = 0  # cases both warned about with the same message
    spikes: int = 0
    max_dV: float = 0.0
    max_dspike: float = 0.0
    max_drate: float = 0.0  # f–I rates, relative
    max_rel: float = 0.0  # closed forms and waveforms, relative

    def row(self) -> str:
        """The figures in one line."""
        return (
            f"{self.cases} cases ({self.refused} refused, {self.warned} warned about, by both, "
            f"with the same message), {self.spikes} spikes: "
            f"max |ΔV| {self.max_dV:.1e} V, max |Δt_spike| {self.max_dspike:.1e} s, "
            f"max f–I rate difference {self.max_drate:.1e} relative, "
            f"closed forms {self.max_rel:.1e} relative"
        )


Compare = Callable[[Any, Any, Agreement], list[str]]


@dataclass
class Pair:
    """One computation in lif_core (``python``) and in lif_engine.js (``js``)."""

    name: str
    python: Callable[[], Any]
    js: dict[str, Any]
    compare: Compare
    notes: dict[str, Any] = field(default_factory=dict)  # shown when they disagree


def check_pairs(pairs: list[Pair], agreement: Agreement | None = None) -> list[str]:
    """Run every pair (one Node process); return the disagreements, one line per pair."""
    problems = pair_problems(pairs, agreement)
    return [
        f"{pair.name} {pair.notes}: " + "; ".join(found)
        for pair, found in zip(pairs, problems, strict=True)
        if found
    ]


def pair_problems(pairs: list[Pair], agreement: Agreement | None = None) -> list[list[str]]:
    """Run every pair (one Node process); the disagreements of each (empty: they agree)."""
    agreement = agreement if agreement is not None else Agreement()
    outcomes = run_engine([p.js for p in pairs])
    out = []
    for pair, got in zip(pairs, outcomes, strict=True):
        try:
            # lif_core warns about values it then discards (np.where branches): nan when a
            # refractory period runs into a block of constant input below threshold, overflow
            # when t_ref > 709 tau_eff in fi_curve; its results are what is compared
            with np.errstate(invalid="ignore", over="ignore"):
                expected = pair.python()
        except ValueError as error:
            if got.error == str(error):
                agreement.refused += 1
                agreement.cases += 1
                problems = []
            else:
                problems = [f"lif_core raised {str(error)!r}, JS gave {got.error or 'a value'!r}"]
        else:
            if got.error is not None:
                problems = [f"JS raised {got.error_type}: {got.error!r}; lif_core did not"]
            else:
                problems = pair.compare(expected, got.value, agreement)
        out.append(problems)
    return out


def _max_abs(a: Any, b: Any) -> float:
    """Largest |a - b| where they differ (equal infinities and both-NaN agree; a NaN against a
    number is an infinite difference)."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if a.shape != b.shape:
        return math.inf
    same = (a == b) | (np.isnan(a) & np.isnan(b))
    diff = np.abs(a[~same] - b[~same])  # no inf - inf: equal infinities are `same`
    diff[np.isnan(diff)] = np.inf
    return float(np.max(diff, initial=0.0))


def close(rel: float = TOL_REL, abs_: float = 0.0, scale: Any = 0.0) -> Compare:
    """Numbers or arrays equal to ``rel`` relative (inf and nan must match exactly).

    Relative to ``max(|expected|, scale)``: a result that is a difference of larger terms
    (V_inf + (V0 - V_inf) e^(-t/tau) near 0 V) is compared relative to those terms, as a last
    bit of exp in V8 or in the C library moves it by that much.
    """

    def compare(expected: Any, got: Any, agreement: Agreement) -> list[str]:
        e = np.atleast_1d(np.asarray(expected, dtype=float))
        g = np.atleast_1d(np.asarray(got, dtype=float))
        if e.shape != g.shape:
            return [f"shape {g.shape}, expected {e.shape}"]
        finite = np.isfinite(e)
        if not np.array_equal(np.isfinite(g), finite) or not np.array_equal(e[~finite], g[~finite]):
            return [f"non-finite values differ: {g[~finite]} vs {e[~finite]}"]
        size = np.maximum(np.abs(e), np.broadcast_to(scale, e.shape))[finite]
        diff = np.abs(g[finite] - e[finite])
        seen = diff[size > 0] / size[size > 0]
        agreement.max_rel = max(agreement.max_rel, float(seen.max(initial=0.0)))
        err = diff - rel * size - abs_
        if err.size and err.max() > 0:
            i = int(np.argmax(err))
            return [f"value {g[finite][i]!r} vs {e[finite][i]!r} (rel {rel:g}, abs {abs_:g})"]
        return []

    return compare


def equal(expected: Any, got: Any, _: Agreement) -> list[str]:
    """Exactly equal arrays or numbers."""
    e, g = np.asarray(expected), np.asarray(got)
    if e.shape != g.shape or not np.array_equal(e, g, equal_nan=e.dtype.kind == "f"):
        return [f"{g!r} differs from {e!r}"]
    return []


@dataclass(frozen=True)
class Warned:
    """A lif_core result and the warning messages it gave."""

    value: Any
    warnings: list[str]


def with_warnings(f: Callable[[], Any]) -> Warned:
    """Run ``f`` and record the warnings it gives (the test suite turns them into errors)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        value = f()
    return Warned(value, [str(w.message) for w in caught])


def compare_simulation(expected: Any, got: dict[str, Any], agreement: Agreement) -> list[str]:
    """A SimulationResult (one neuron) against lif_engine.js's: V, spikes, refractory, currents,
    the grid (duration off it: the last step shorter) and the warnings."""
    problems = []
    if isinstance(expected, Warned):
        if "warnings" in got and list(got["warnings"]) != expected.warnings:
            problems.append(f"warnings {got['warnings']!r}, lif_core {expected.warnings!r}")
        elif expected.warnings:
            agreement.warned += 1
        expected = expected.value
    if "duration" in got and got["duration"] != expected.duration:
        problems.append(f"duration {got['duration']!r}, lif_core {expected.duration!r}")
    V = expected.V[0]
    if np.shape(got["V"]) != V.shape:  # the grid: ceil(duration / dt) steps
        return [*problems, f"{np.size(got['V'])} steps, lif_core {V.size}"]
    dV = _max_abs(V, got["V"])
    spikes_py, spikes_js = expected.spike_times[0], got["spike_times"]
    agreement.cases += 1
    agreement.spikes += spikes_py.size
    agreement.max_dV = max(agreement.max_dV, dV)
    if dV > TOL_V:
        k = int(np.argmax(np.abs(V - got["V"])))
        problems.append(f"|ΔV| = {dV:.3g} V at step {k} (t = {expected.t[k]!r} s)")
    if spikes_py.size != spikes_js.size:
        problems.append(f"{spikes_js.size} spikes, lif_core {spikes_py.size}")
    else:
        ds = _max_abs(spikes_py, spikes_js)
        agreement.max_dspike = max(agreement.max_dspike, ds)
        if ds > TOL_SPIKE:
            problems.append(f"spike times differ by {ds:.3g} s")
    below = V < float(expected.params.V_th)  # lif_core keeps V below V_th, to the last bit
    if not np.array_equal(below, got["V"] < float(expected.params.V_th)):
        problems.append("V reaches V_th where lif_core's does not (or the reverse)")
    refr = expected.refractory[0]
    if "refractory" in got and not np.array_equal(refr, got["refractory"].astype(bool)):
        k = np.flatnonzero(refr != got["refractory"].astype(bool))
        problems.append(f"refractory differs at {k.size} steps (first {k[0]})")
    if "I_C" in got:
        # the currents follow from V: |ΔI| <= |ΔV| (1/R + sum g)
        conductance = 1.0 / float(expected.params.R) + sum(np.max(g) for g in expected.g_syn)
        tol_I = TOL_V * conductance
        for name in ("I_R", "I_C"):
            if name in got and _max_abs(getattr(expected, name)[0], got[name]) > tol_I:
                problems.append(f"{name} differs by more than {tol_I:.3g} A")
        for j, current in enumerate(got.get("I_syn", [])):
            if _max_abs(expected.I_syn[j][0], current) > tol_I:
                problems.append(f"I_syn[{j}] differs by more than {tol_I:.3g} A")
    if "t" in got and not np.array_equal(expected.t, got["t"]):
        problems.append("time grid differs")
    return problems


def compare_fi(expected: Any, got: dict[str, Any], agreement: Agreement) -> list[str]:
    """An FICurve against lif_engine.js's fi_curve: equal spike counts, rates to 1e-9 relative."""
    agreement.cases += 1
    agreement.spikes += int(expected.n_spikes.sum())
    problems = []
    if not np.array_equal(expected.n_spikes, got["n_spikes"]):
        k = np.flatnonzero(expected.n_spikes != got["n_spikes"])
        problems.append(f"spike counts differ at I = {expected.I[k]} A")
    # rate = (n - 1)/(t_n - t_1): spike times within TOL_SPIKE move it by at most
    # 2 TOL_SPIKE / (t_n - t_1) = 2 TOL_SPIKE rate / (n - 1), relative
    rate = np.abs(expected.rate)
    tol = rate * (2 * TOL_SPIKE * rate / np.maximum(expected.n_spikes - 1, 1) + TOL_REL)
    diff = np.abs(expected.rate - got["rate"])
    rel = diff[rate > 0] / rate[rate > 0]
    agreement.max_drate = max(agreement.max_drate, float(rel.max(initial=0.0)))
    bad = ~(diff <= tol)
    if bad.any():
        k = int(np.flatnonzero(bad)[0])
        problems.append(
            f"rate {got['rate'][k]!r} Hz vs {expected.rate[k]!r} Hz at I = {expected.I[k]!r} A"
        )
    return problems


# --------------------------------------------------------------------------- builders


def simulation_pair(
    name: str, p: LIFParams, js_inputs: dict[str, Any] | None = None, **kwargs: Any
) -> Pair:
    """``simulate(p, **kwargs)`` for one neuron; ``js_inputs`` replace inputs on the JS side
    (e.g. ``{"I": js("stimulus.pulse", ...)}``: the waveform computed by the engine)."""
    options = {**kwargs, **(js_inputs or {})}
    fields_ = ["t", "V", "refractory", "spike_times", "I_R", "I_C", "I_syn", "duration"]
    fields_.append("warnings")
    return Pair(
        name,
        lambda: with_warnings(lambda: simulate(p, **kwargs)),
        call("simulate", p, options, fields=fields_),
        compare_simulation,
        notes={"params": encode(p), **_summary(kwargs)},
    )


def fi_pair(name: str, p: LIFParams, I: np.ndarray, stepped: bool = False, **kwargs: Any) -> Pair:
    """``fi_curve(p, I, **kwargs)``; ``stepped``: the JS steps, not the closed-form count."""
    options = {**kwargs, "stepped": True} if stepped else kwargs
    return Pair(
        name,
        lambda: fi_curve(p, I, **kwargs),
        call("fi_curve", p, I, options),
        compare_fi,
        notes={"params": encode(p), "I": I.tolist(), **options},
    )


def _summary(kwargs: dict[str, Any]) -> dict[str, Any]:
    """Options for a failure message: arrays by shape and range."""

    def show(v: Any) -> Any:
        if isinstance(v, np.ndarray):
            return f"array({v.size}) in [{v.min():.4g}, {v.max():.4g}]"
        if isinstance(v, list):
            return [show(x) for x in v]
        if isinstance(v, SynapticConductance):
            events = f"{v.spike_times.size} events, {v.g_max:g} S, {v.tau_syn:g} s"
            return f"SynapticConductance({events}, {v.kind})"
        return v

    return {k: show(v) for k, v in kwargs.items()}


def theory_pairs(name: str, p: LIFParams, I: np.ndarray, g: float, E_syn: float) -> list[Pair]:
    """Every closed form of lif_core.theory, and the phase line, over the currents ``I``."""
    V_grid = np.linspace(float(p.E_L) - 30e-3, float(p.V_th) + 30e-3, 41)
    tau = float(p.tau)
    t = np.linspace(0.0, 5 * tau, 25)
    V_inf, tau_eff = theory.conductance_steady_state(p, g, E_syn, I)
    # dV/dt = (V_inf - V) / tau as chapter 2 draws it; under a conductance g > 0 with V_inf(g)
    # and tau_eff (g = 0 is the chapter's formula, not the conductance form with g = 0)
    if g == 0:
        V_g, tau_g = float(theory.steady_state(p, 1e-9)), tau
    else:
        V_g = float(theory.conductance_steady_state(p, g, E_syn, 1e-9)[0])
        tau_g = float(theory.conductance_steady_state(p, g, E_syn)[1])

    def terms(I_on: float, V0: float) -> float:  # size of the terms of charging()
        V_on = float(theory.steady_state(p, I_on))
        return abs(V_on) + abs(V0 - V_on)

    cases = [
        ("steady_state", lambda: theory.steady_state(p, I), (p, I)),
        ("charging", lambda: theory.charging(p, t, 1e-9), (p, t, 1e-9), terms(1e-9, p.E_L)),
        (
            "charging from V_reset",
            lambda: theory.charging(p, t, 2e-9, V0=p.V_reset),
            (p, t, 2e-9, float(p.V_reset)),
            terms(2e-9, p.V_reset),
        ),
        ("rheobase", lambda: theory.rheobase(p, g, E_syn), (p, g, E_syn)),
        ("rheobase(g)", lambda: theory.rheobase(p, I * 10, E_syn), (p, I * 10, E_syn)),
        ("time_to_threshold", lambda: theory.time_to_threshold(p, I), (p, I)),
        (
            "time_to_threshold(g)",
            lambda: theory.time_to_threshold(p, I, g, E_syn),
            (p, I, g, E_syn),
        ),
        ("firing_rate", lambda: theory.firing_rate(p, I), (p, I)),
        ("firing_rate(g)", lambda: theory.firing_rate(p, I, g, E_syn), (p, I, g, E_syn)),
        ("firing_rate_asymptote", lambda: theory.firing_rate_asymptote(p, I), (p, I)),
        ("firing_rate_slope", lambda: theory.firing_rate_slope(p, I), (p, I)),
        (
            "firing_rate_slope(g)",
            lambda: theory.firing_rate_slope(p, I, g, E_syn),
            (p, I, g, E_syn),
        ),
        (
            "phase line dV/dt",
            lambda: (float(theory.steady_state(p, 1e-9)) - V_grid) / tau,
            (p, V_grid, 1e-9),
        ),
        ("phase line dV/dt (g)", lambda: (V_g - V_grid) / tau_g, (p, V_grid, 1e-9, g, E_syn)),
    ]
    fn = {
        "charging from V_reset": "charging",
        "rheobase(g)": "rheobase",
        "time_to_threshold(g)": "time_to_threshold",
        "firing_rate(g)": "firing_rate",
        "firing_rate_slope(g)": "firing_rate_slope",
        "phase line dV/dt": "dV_dt",
        "phase line dV/dt (g)": "dV_dt",
    }
    pairs = [
        Pair(
            f"{name}: {label}",
            f,
            call("theory." + fn.get(label, label), *args),
            close(scale=size[0] if size else 0.0),
        )
        for label, f, args, *size in cases
    ]
    pairs.append(
        Pair(
            f"{name}: conductance_steady_state",
            lambda: {"V_inf": V_inf, "tau_eff": tau_eff},
            call("theory.conductance_steady_state", p, g, E_syn, I),
            lambda e, got, a: (
                close()(e["V_inf"], got["V_inf"], a) + close()(e["tau_eff"], got["tau_eff"], a)
            ),
        )
    )
    return pairs


def stimulus_pair(name: str, fn: str, *args: Any, **kwargs: Any) -> Pair:
    """``lif_core.stimulus.<fn>(*args, **kwargs)`` (keyword arguments become positional in JS).

    A conductance (``synaptic_conductance``) is compared relative to ``max(|g|, g_max)``: in
    the step that holds an event, its mean is a difference of terms of the size of g_max
    (alpha: ``1 - e^-y - y e^-y`` for y = dt / tau_syn and less), where a last bit of exp or
    expm1 in V8 or numpy moves it by up to ``g_max * eps / y``.
    """
    python = getattr(stimulus, fn)
    scale = args[1] if fn == "synaptic_conductance" else 0.0
    return Pair(
        name,
        lambda: python(*args, **kwargs),
        call("stimulus." + fn, *args, *kwargs.values()),
        close(abs_=1e-30, scale=scale),
        notes={"args": _summary(dict(enumerate(args))), **kwargs},
    )


# --------------------------------------------------------------------------- generated cases


def collect(strategy: Any, n: int) -> list[Any]:
    """``n`` examples of a hypothesis ``strategy``, to compare in one batch (one Node run).

    A failure names the case (its parameters and options) instead of shrinking it.
    """
    from hypothesis import HealthCheck, Phase, given, settings

    found: list[Any] = []

    @settings(
        max_examples=n,
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def gather(example: Any) -> None:
        found.append(example)

    gather()
    return found


def _strategies():
    """Hypothesis strategies of pairs (built once: strategies made per draw are slow)."""
    from hypothesis import strategies as st

    mV, ms = 1e-3, 1e-3
    unit = st.floats(0, 1)
    booleans = st.booleans()

    def scaled(lo: float, hi: float, factor: float):
        return st.floats(lo, hi).map(lambda x: x * factor)

    # Steady states are kept from sitting on the threshold (rest, reversal potentials and
    # drive at least 10 µV or 1e-6 relative away): there the crossing time depends on the last
    # bit of V_inf - V_th, ill-conditioned, and two correct engines differ at any tolerance.
    # A drive x |rheobase| is at the rheobase for x = 1, or x = -1 when the rheobase is negative
    # (rest above threshold): both are kept out.
    def away_from_one(lo: float, hi: float):
        return st.floats(lo, hi).filter(lambda x: abs(abs(x) - 1.0) > 1e-6)

    def reversal(draw: Any, V_th: float) -> float:
        E = draw(potentials)
        return E if abs(E - V_th) > 1e-5 else E + 2e-5

    offsets = st.one_of(scaled(-10, -0.01, mV), scaled(0.01, 40, mV))
    potentials = scaled(-90, 20, mV)
    resting, gaps = scaled(-90, -50, mV), scaled(0.5, 40, mV)
    resistances, capacitances = scaled(1, 500, 1e6), scaled(0.05, 2, 1e-9)
    refractory = st.one_of(st.just(0.0), scaled(0, 0.3, ms), scaled(0, 10, ms))
    time_steps = st.one_of(st.sampled_from([1e-4, 5e-5, 2e-5]), st.floats(1e-5, 2e-4))
    drives, tops = away_from_one(-1, 6), away_from_one(0.5, 10)
    kinds = st.sampled_from(["constant", "pulse", "noise"])
    shapes = st.sampled_from(["exponential", "alpha"])
    seeds, n_synapses = st.integers(0, 99), st.integers(0, 2)
    synapse_kinds = st.sampled_from(["constant", "step means", "exact events"])
    spiking, quarter = st.sampled_from([True, True, True, False]), st.integers(0, 3)

    @st.composite
    def neurons(draw: Any) -> LIFParams:
        """Parameters that tell the formulas apart; rest sometimes above threshold."""
        E_L = draw(resting)
        V_th = E_L + draw(offsets)
        return LIFParams(
            R=draw(resistances),
            C=draw(capacitances),
            E_L=E_L,
            V_th=V_th,
            V_reset=V_th - draw(gaps),
            t_ref=draw(refractory),
        )

    @st.composite
    def simulations(draw: Any) -> Pair:
        """simulate() with a constant, pulse or noisy current, 0-2 conductance synapses."""
        p = draw(neurons())
        dt = draw(time_steps)
        duration = dt * (1 + 2999 * draw(unit))
        scale = max(abs(float(p.rheobase)), 0.1e-9)
        amp = draw(drives) * scale
        kind = draw(kinds)
        kwargs: dict[str, Any] = {"duration": duration, "dt": dt}
        js_inputs = {}
        if kind == "constant":
            kwargs["I"] = amp
        elif kind == "pulse":
            onset, width = duration * draw(unit), duration * (0.001 + draw(unit))
            kwargs["I"] = stimulus.pulse(amp, onset, width, duration, dt)
            if draw(booleans):  # the engine computes the pulse itself
                js_inputs["I"] = js("stimulus.pulse", amp, onset, width, duration, dt)
        else:
            sigma, tau_noise = 3 * draw(unit) * scale, (1 + 19 * draw(unit)) * ms
            noise = stimulus.ou_noise(amp, sigma, tau_noise, duration, dt, seed=draw(seeds))
            kwargs["I"] = noise
        gs, Es, g_top = [], [], []
        for _ in range(draw(n_synapses)):
            g_max = 5 * draw(unit) / float(p.R)  # up to 5 leak conductances
            Es.append(reversal(draw, float(p.V_th)))
            how = draw(synapse_kinds)
            if how == "constant":
                gs.append(g_max)
                g_top.append(g_max)
                continue
            rate = 5 + 295 * draw(unit)
            train = stimulus.poisson_spike_train(rate, duration, seed=draw(seeds))
            if draw(quarter) == 0:  # events on the grid, k dt (as the grid computes it)
                train = np.unique(np.floor(train / dt)) * dt
            tau_syn = (0.05 + 19.95 * draw(unit)) * ms  # sometimes shorter than dt
            syn = SynapticConductance(train, g_max, tau_syn, draw(shapes))
            g_top.append(float(np.max(syn.step_means(duration, dt))))
            gs.append(syn if how == "exact events" else syn.step_means(duration, dt))
        if len(gs) == 1:
            kwargs.update(g_syn=gs[0], E_syn=Es[0])
        elif gs:
            kwargs.update(g_syn=gs, E_syn=Es)
        if draw(booleans):
            kwargs["V0"] = float(p.V_th) - (0.001 + 30 * draw(unit)) * mV
        kwargs["spiking"] = draw(spiking)
        tau_eff = float(p.C) / (1 / float(p.R) + sum(g_top))
        # forward Euler: unstable (dt > 2 tau_eff, both warn) only where JS and lif_core get
        # the same input to the last bit (growth by |1 - dt/tau|^n magnifies any difference)
        same_input = not any(isinstance(g, SynapticConductance) for g in gs)
        if (dt <= tau_eff or same_input) and draw(quarter) == 0:
            kwargs["method"] = "euler"
        return simulation_pair("generated simulate", p, js_inputs, **kwargs)

    @st.composite
    def fi_curves(draw: Any) -> Pair:
        """fi_curve() from below the rheobase to far above it, with or without a conductance."""
        p = draw(neurons())
        top = draw(tops) * max(abs(float(p.rheobase)), 0.1e-9)
        I = np.linspace((1.5 * draw(unit) - 1) * top, top, 1 + int(20 * draw(unit)))
        kwargs: dict[str, Any] = {"duration": 0.02 + 0.28 * draw(unit), "dt": draw(time_steps)}
        how = draw(quarter)  # no conductance, one for all currents, one per current
        if how == 1:
            kwargs["g_syn"] = 3 * draw(unit) / float(p.R)
            kwargs["E_syn"] = reversal(draw, float(p.V_th))
        elif how >= 2:
            top = 3 * draw(unit) / float(p.R)
            kwargs["g_syn"] = np.linspace(top * draw(unit), top, I.size)[:: 1 - 2 * (how - 2)]
            E = reversal(draw, float(p.V_th))
            if draw(booleans):  # reversal potentials per current too, away from V_th
                E = E + np.linspace(0.0, 10 * mV, I.size) * np.sign(E - float(p.V_th))
            kwargs["E_syn"] = E
        return fi_pair("generated fi_curve", p, I, stepped=draw(booleans), **kwargs)

    @st.composite
    def closed_forms(draw: Any) -> list[Pair]:
        p = draw(neurons())
        I = np.linspace(-2, 10, 25) * max(abs(float(p.rheobase)), 0.1e-9) * draw(unit)
        g = 5 * draw(unit) / float(p.R)
        return theory_pairs("generated", p, I, g, draw(potentials))

    bad_kinds = st.sampled_from(
        ["R", "C", "t_ref", "V_reset", "nan", "dt", "V0", "g", "fi g", "fi E", "I length"]
    )
    good = encode(LIFParams())
    good_p = LIFParams()
    names = st.sampled_from(list(good))
    non_finite = st.sampled_from([math.nan, math.inf, -math.inf])
    magnitudes, positive = st.floats(0, 1e3), st.floats(1e-9, 1e3)

    @st.composite
    def bad_inputs(draw: Any) -> Pair:
        """Parameters or simulate() arguments out of range: lif_core's message, word for word."""
        which = draw(bad_kinds)
        if which in ("R", "C", "t_ref"):
            scale = {"R": 1e6, "C": 1e-9}.get(which, ms)
            # R = 0 and C = 0 are refused, t_ref = 0 is not
            bad = {**good, which: -draw(positive if which == "t_ref" else magnitudes) * scale}
        elif which == "V_reset":
            bad = {**good, "V_reset": good["V_th"] + 20 * draw(unit) * mV}
        elif which == "nan":
            bad = {**good, draw(names): draw(non_finite)}
        if which in ("R", "C", "t_ref", "V_reset", "nan"):
            return Pair("bad params", lambda: LIFParams(**bad), call("params", bad), equal, bad)
        dt = 1e-6 + 1e-3 * draw(unit)
        if which in ("fi g", "fi E"):  # one value per current, of the wrong length
            I = np.linspace(0.0, 3e-9, draw(st.integers(1, 6)))
            bad_shape = np.full(I.size + draw(st.sampled_from([-1, 1, 2])), 1e-9)
            kw = {"g_syn" if which == "fi g" else "E_syn": bad_shape}
            return Pair(
                "bad fi_curve() argument",
                lambda: fi_curve(good_p, I, **kw),
                call("fi_curve", good_p, I, kw),
                lambda *_: ["both should have refused"],
                kw,
            )
        options: dict[str, Any] = {"duration": 0.01, "dt": dt}
        if which == "I length":  # ceil(duration / dt) values are needed, one fewer or more given
            options["duration"] = dt * (1 + 50 * draw(unit))
            n = _n_steps(options["duration"], dt)
            options["I"] = np.zeros(n + draw(st.sampled_from([-1, 1])))
        elif which == "dt":
            options = {"duration": dt * 0.999 * draw(unit), "dt": dt}
        elif which == "V0":
            options["V0"] = LIFParams().V_th + 50 * draw(unit) * mV
        else:
            options.update(g_syn=-(1e-12 + 1e-6 * draw(unit)), E_syn=0.0)
        p = LIFParams()
        return Pair(
            "bad simulate() argument",
            lambda: simulate(p, **options),
            call("simulate", p, options, fields=[]),
            lambda *_: ["both should have refused"],
            options,
        )

    return neurons, simulations, fi_curves, closed_forms, bad_inputs


def generated_pairs(n_sim: int, n_fi: int, n_theory: int, n_bad: int) -> dict[str, list[Pair]]:
    """Hypothesis-generated pairs: simulations, f–I curves, closed forms, refused inputs."""
    _, simulations, fi_curves, closed_forms, bad_inputs = _strategies()
    return {
        "simulate": collect(simulations(), n_sim),
        "fi_curve": collect(fi_curves(), n_fi),
        "theory": [p for group in collect(closed_forms(), n_theory) for p in group],
        "refused": collect(bad_inputs(), n_bad),
    }
