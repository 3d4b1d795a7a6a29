"""Chapters 2-4: the live previews at slider values Python did not compute with.

While a slider moves, a chart shows what its recipe (``preview/ch2_equilibrium.js``,
``ch3_spiking.js``, ``ch4_firing.js``) computes from the slider's live value. Here each
chart's preview is computed in the browser at other values
(``LIFLive.previewFigure(key, {slider_key: value})``, display units) and checked

- against the closed forms the chapter teaches: the fixed point E_L + R·I and relaxation
  with τ = RC, spike times t_1 + k (t_ref + T), the rate 1/(t_ref + T), the ceiling
  1/t_ref, threshold, reset and rheobase lines at the slider values;
- against the figure Python draws at the same values (``lab_cache``, the page's own calls):
  every trace, label and range, also where traces come and go with the values (the E_L
  marker, the cosmetic spikes, the ceiling, the refractory periods, a current below
  rheobase).

(The generic ``test_browser_live.py`` checks the previews at the values Python used.)
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from liflab_browser import open_page, slider_keys
from test_browser_live import _drag

import lab_cache
from lab.neuron import NEURON_SLIDERS, default_display_values
from lif_core import LIFParams
from lif_core.units import to_si
from lif_figures.spiking import ordinal

pytestmark = pytest.mark.browser

#: The preview of a chart at slider overrides, as plain data (NaN as None).
PREVIEW_JS = r"""([key, over]) => {
  const f = LIFLive.previewFigure(key, over);
  const num = (v) => (typeof v === "number" && !Number.isFinite(v)) ? null : v;
  const arr = (a) => (a === undefined || a === null) ? [] : Array.from(a, num);
  const axes = {};
  for (const k of Object.keys(f.layout).filter((k) => /^[xy]axis\d*$/.test(k))) {
    const ax = f.layout[k];
    axes[k] = {range: ax.range ? Array.from(ax.range, num) : null,
               title: ax.title && ax.title.text !== undefined ? ax.title.text : null};
  }
  return {
    data: f.data.map((tr) => ({name: tr.name, x: arr(tr.x), y: arr(tr.y)})),
    shapes: (f.layout.shapes || []).map((s) => ({x0: num(s.x0), x1: num(s.x1),
                                                 y0: num(s.y0), y1: num(s.y1)})),
    annotations: (f.layout.annotations || []).map((a) => ({
      x: num(a.x), y: num(a.y), text: a.text,
      ax: a.ax === undefined ? null : a.ax, ay: a.ay === undefined ? null : a.ay})),
    axes,
    margin_t: f.layout.margin.t,
  };
}"""


def _plain(v: Any) -> Any:
    if v is None:
        return []
    return [
        None if (x is None or (isinstance(x, float) and not math.isfinite(x))) else x
        for x in np.asarray(v, dtype=float).tolist()
    ]


def _python(fig: Any) -> dict[str, Any]:
    """A Python figure in the form of :data:`PREVIEW_JS`."""
    d = fig.to_dict()
    layout = d["layout"]
    num = lambda v: None if v is None or not math.isfinite(v) else float(v)  # noqa: E731
    return {
        "data": [
            {"name": t["name"], "x": _plain(t.get("x")), "y": _plain(t.get("y"))} for t in d["data"]
        ],
        "shapes": [
            {k: num(s.get(k)) for k in ("x0", "x1", "y0", "y1")} for s in layout.get("shapes", [])
        ],
        "annotations": [
            {
                "x": num(a["x"]),
                "y": num(a["y"]),
                "text": a["text"],
                "ax": a.get("ax"),
                "ay": a.get("ay"),
            }
            for a in layout.get("annotations", [])
        ],
        "axes": {
            k: {
                "range": [num(r) for r in v["range"]] if v.get("range") else None,
                "title": (v.get("title") or {}).get("text"),
            }
            for k, v in layout.items()
            if k[1:5] == "axis" and k[0] in "xy"
        },
        "margin_t": layout["margin"]["t"],
    }


def _differences(a: dict[str, Any], b: dict[str, Any], flat_voltage: bool = False) -> list[str]:
    """Where the preview ``a`` differs from Python's ``b`` (display rounding: 1e-3).

    ``flat_voltage``: skip the points of chapter 3's V(t) (compared by
    :func:`_assert_same_voltage`, since flat stretches are downsampled differently).
    """
    out: list[str] = []

    def close(u: Any, v: Any, what: str) -> None:
        if u is None or v is None or isinstance(u, str) or isinstance(v, str):
            if u != v:
                out.append(f"{what}: {u!r} vs {v!r}")
        elif not abs(u - v) <= 1.01e-3 + 1e-9 * max(abs(u), abs(v)):
            out.append(f"{what}: {u} vs {v}")

    names = ([t["name"] for t in a["data"]], [t["name"] for t in b["data"]])
    if names[0] != names[1]:
        return [f"traces {names[0]} vs {names[1]}"]
    for ta, tb in zip(a["data"], b["data"], strict=True):
        if flat_voltage and ta["name"] == "simulated V(t)":
            continue
        for c in ("x", "y"):
            if len(ta[c]) != len(tb[c]):
                out.append(f"{ta['name']}.{c}: {len(ta[c])} vs {len(tb[c])} points")
                continue
            for k, (u, v) in enumerate(zip(ta[c], tb[c], strict=True)):
                close(u, v, f"{ta['name']}.{c}[{k}]")
    for part in ("shapes", "annotations"):
        if len(a[part]) != len(b[part]):
            out.append(f"{part}: {len(a[part])} vs {len(b[part])}")
            continue
        for i, (u, v) in enumerate(zip(a[part], b[part], strict=True)):
            for f in v:
                close(u[f], v[f], f"{part}[{i}].{f}")
    if a["margin_t"] != b["margin_t"]:  # the room reserved for the legend
        out.append(f"margin.t: {a['margin_t']} vs {b['margin_t']}")
    for ax, spec in b["axes"].items():
        if a["axes"].get(ax, {}).get("title") != spec["title"]:
            out.append(f"{ax}.title: {a['axes'].get(ax)} vs {spec['title']}")
        if spec["range"]:
            got = a["axes"].get(ax, {}).get("range") or [None, None]
            if flat_voltage and ax == "yaxis":
                # V drawn 1 µV apart where flat, padded by 1/18: the range by 19/18 µV
                got = [
                    spec["range"][i] if abs(got[i] - spec["range"][i]) <= 1.1e-3 else got[i]
                    for i in (0, 1)
                ]
            close(got[0], spec["range"][0], f"{ax}.range[0]")
            close(got[1], spec["range"][1], f"{ax}.range[1]")
    return out[:20]


def _preview(page, key: str, **over: float) -> dict[str, Any]:
    return page.evaluate(PREVIEW_JS, [key, over])


def _trace(fig: dict[str, Any], start: str) -> dict[str, Any] | None:
    found = [t for t in fig["data"] if t["name"].startswith(start)]
    return found[0] if found else None


def _params(values: dict[str, float]) -> LIFParams:
    """The neuron of the sidebar values (display units; the others at their defaults)."""
    shown = {**default_display_values(), **values}
    return LIFParams(**{s.key: to_si(shown[s.key], s.unit) for s in NEURON_SLIDERS})


def _neuron(over: dict[str, float]) -> dict[str, float]:
    return {k: v for k, v in over.items() if k in default_display_values()}


# --------------------------------------------------------------------------- chapter 2

#: Overrides on chapter 2 (eq_I in nA, sidebar values in their units).
EQ_CASES = [
    {"eq_I": 1.5},
    {"eq_I": -2.0, "C": 0.5},
    {"eq_I": 0.7, "R": 37.0, "E_L": -72.0},
    {"eq_I": 0.0, "C": 1.7},
]


@pytest.mark.parametrize("query", ["", "eq_I=1.0"])
def test_equilibrium_previews_follow_the_fixed_point(app_server, page, query):
    open_page(page, app_server.url, "Resting_equilibrium", query)
    for over in EQ_CASES:
        p = _params(_neuron(over))
        I = over["eq_I"] * 1e-9
        v_inf = 1e3 * (p.E_L + p.R * I)
        tau_ms = 1e3 * p.tau
        phase = _preview(page, "eq_phase", **over)
        relax = _preview(page, "eq_relax", **over)
        # the phase line: dV/dt = (V_inf - V)/tau crosses zero at E_L + R I, slope -1/tau
        line = phase["data"][0]
        slope = np.polyfit(line["x"], line["y"], 1)
        assert slope[0] == pytest.approx(-1 / tau_ms, rel=1e-4), over
        assert -slope[1] / slope[0] == pytest.approx(v_inf, abs=2e-3), over
        fixed = _trace(phase, "stable fixed point")
        assert fixed["x"] == pytest.approx([v_inf]) and fixed["y"] == [0.0]
        assert fixed["name"] == f"stable fixed point V∞ = {v_inf:.1f} mV".replace("-", "−")
        # the E_L marker: only when the fixed point is not at rest (it comes and goes)
        marker = _trace(phase, "E_L = ")
        assert (marker is not None) == (over["eq_I"] != 0), over
        if marker:
            assert marker["x"] == pytest.approx([1e3 * p.E_L])
        starts = _trace(phase, "starting points")
        assert starts["y"] == pytest.approx([(v_inf - v) / tau_ms for v in starts["x"]])
        # every arrow points towards the fixed point
        assert phase["annotations"], over
        for a in phase["annotations"]:
            assert a["ay"] == 0.0 and a["y"] == 0.0
            assert np.sign(a["x"] - a["ax"]) == np.sign(v_inf - a["ax"]), a
        # the trajectories relax with tau from their starts to the fixed point
        sims = [t for t in relax["data"] if t["name"] == "simulated V(t)"]
        assert len(sims) == 7
        for tr in sims:
            t = np.asarray(tr["x"])
            v0 = tr["y"][0]
            theory = v_inf + (v0 - v_inf) * np.exp(-t / tau_ms)
            # to the display rounding of V (1 µV) and of t (1 µs, times the slope)
            tol = 5e-4 + 5e-4 * np.abs(theory - v_inf) / tau_ms + 1e-9
            assert np.all(np.abs(np.asarray(tr["y"]) - theory) <= tol), over
            assert t[-1] == pytest.approx(max(5 * tau_ms, 5.0) * 1999 / 2000, abs=1e-3)
        assert _trace(relax, "fixed point")["y"] == pytest.approx([v_inf, v_inf])
        assert relax["shapes"][0]["x0"] == pytest.approx(tau_ms)
        assert relax["annotations"][0]["x"] == pytest.approx(tau_ms)
        # and all of it as Python draws it at these values
        fig_phase, fig_relax, _ = lab_cache.equilibrium_figures(p, I)
        assert _differences(phase, _python(fig_phase)) == [], over
        assert _differences(relax, _python(fig_relax)) == [], over


# --------------------------------------------------------------------------- chapter 3


def _spike_train(p: LIFParams, I: float, onset: float, duration: float) -> np.ndarray:
    """Closed-form spike times (s) of a constant current I switched on at ``onset``."""
    v_inf = p.E_L + p.R * I
    v0 = p.E_L if p.E_L < p.V_th else p.V_reset
    if v_inf <= p.V_th:
        return np.array([])
    t1 = onset + p.tau * math.log((v0 - v_inf) / (p.V_th - v_inf))
    period = p.t_ref + p.tau * math.log((p.V_reset - v_inf) / (p.V_th - v_inf))
    return t1 + period * np.arange(int((duration - t1) // period) + 1)


#: (URL query, overrides): kinds, cosmetic spikes that appear and disappear, sub-rheobase.
TH_CASES = [
    pytest.param("", {"th_amp": 3.0}, id="constant"),
    pytest.param(
        "", {"th_amp": 3.0, "V_th": -45.0, "V_reset": -70.0, "t_ref": 4.5}, id="constant-neuron"
    ),
    pytest.param("", {"th_amp": 1.2}, id="below-rheobase"),
    pytest.param("th_spikes=true", {"th_amp": 1.0}, id="cosmetic-disappears"),
    pytest.param("th_spikes=true", {"th_amp": 9.5, "t_ref": 0.0, "C": 0.3}, id="cosmetic-every"),
    pytest.param("th_spikes=true&th_amp=1.0", {"th_amp": 2.5}, id="cosmetic-appears"),
    pytest.param("th_kind=step", {"th_amp": 2.5, "th_onset": 215.0}, id="step"),
    pytest.param(
        "th_kind=step&th_spikes=true",
        {"th_amp": 4.0, "th_onset": 35.0, "R": 20.0},
        id="step-cosmetic",
    ),
]


@pytest.mark.parametrize(("query", "over"), TH_CASES)
def test_spiking_preview_fires_as_the_closed_form(app_server, page, query, over):
    open_page(page, app_server.url, "Threshold_and_spikes", query)
    link = dict(kv.split("=") for kv in query.split("&")) if query else {}
    kind = link.get("th_kind", "constant")
    cosmetic = link.get("th_spikes") == "true"
    p = _params(_neuron(over))
    I = over["th_amp"] * 1e-9
    onset = over.get("th_onset", 0.0) * 1e-3 if kind == "step" else 0.0
    fig = _preview(page, "th_trace", **over)
    train = _spike_train(p, I, onset, 0.5)
    raster = _trace(fig, "spikes (")
    k = max(1, math.ceil(len(train) / 375))  # at most MAX_POINTS // 4 ticks
    every = f", every {ordinal(k)} drawn" if k > 1 else ""
    assert raster["name"] == f"spikes ({len(train)}){every}", over
    assert raster["x"] == pytest.approx(1e3 * train[::k], abs=1e-6), over
    assert _trace(fig, "threshold V_th")["y"] == pytest.approx([1e3 * p.V_th] * 2)
    name = f"threshold V_th = {1e3 * p.V_th:.0f} mV".replace("-", "−")
    assert _trace(fig, "threshold V_th")["name"] == name
    assert _trace(fig, "reset V_reset")["y"] == pytest.approx([1e3 * p.V_reset] * 2)
    rh = 1e9 * (p.V_th - p.E_L) / p.R
    assert _trace(fig, "rheobase")["name"] == f"rheobase {rh:.2f} nA"
    V = np.asarray(_trace(fig, "simulated V(t)")["y"])
    assert len(V) <= 1500 and V.max() < 1e3 * p.V_th  # floor: never drawn on threshold
    assert V.min() >= min(1e3 * p.V_reset, 1e3 * p.E_L) - 1.5e-3
    if len(train) and p.t_ref > 0:
        assert V.min() == pytest.approx(1e3 * p.V_reset, abs=1.5e-3)  # the resets kept
    if not len(train):
        assert V[-1] == pytest.approx(1e3 * (p.E_L + p.R * I), abs=0.05)
    current = _trace(fig, "injected I")
    t = np.asarray(current["x"])
    assert np.asarray(current["y"])[t < 1e3 * onset - 0.05] == pytest.approx(0.0)
    assert np.asarray(current["y"])[t >= 1e3 * onset] == pytest.approx(over["th_amp"])
    # the cosmetic spikes: drawn (from V_th to +20 mV to V_reset) only if it fired
    drawn = _trace(fig, "drawn spike")
    assert (drawn is not None) == (cosmetic and len(train) > 0), (query, over)
    if drawn:
        assert drawn["y"][:3] == pytest.approx([1e3 * p.V_th, 20.0, 1e3 * p.V_reset])
        assert drawn["x"][0] == pytest.approx(1e3 * train[0], abs=1e-3)
    fig_py, _ = lab_cache.spiking_run(p, I, kind, onset, cosmetic)
    python = _python(fig_py)
    _assert_same_voltage(fig, python, p, I, kind, onset)
    assert _differences(fig, python, flat_voltage=True) == [], (query, over)


def _assert_same_voltage(fig, python, p, I, kind, onset) -> None:
    """The preview's V(t) lies on the simulated V wherever it has a point, extremes included.

    Where V is flat (at rest before a step's onset, at the steady state below rheobase)
    lif_core's block closed form leaves round-off noise (~1e-17 V) that the JS step does not;
    min/max downsampling then keeps two points of a flat bucket in Python's figure and one in
    the preview (the same line). Point by point equality is asserted only where V is not flat
    (see :func:`test_flat_voltage_downsamples_as_python_does`).
    """
    from lif_core.analysis.spiking import spiking_experiment

    exp = spiking_experiment(p, I, kind, onset)
    V = np.floor(exp.V * 1e6) / 1e3  # spiking._floor_mV
    ours, theirs = _trace(fig, "simulated V(t)"), _trace(python, "simulated V(t)")
    k = np.rint(np.asarray(ours["x"]) / 0.05).astype(int)
    assert np.asarray(ours["y"]) == pytest.approx(V[k], abs=1.01e-3)
    assert max(ours["y"]) == pytest.approx(max(theirs["y"]), abs=1.01e-3)
    assert min(ours["y"]) == pytest.approx(min(theirs["y"]), abs=1.01e-3)
    if len(ours["x"]) == len(theirs["x"]):
        assert ours["y"] == pytest.approx(theirs["y"], abs=1.01e-3)


def test_flat_voltage_downsamples_as_python_does(app_server, page):
    """Below rheobase (V flat at its steady state) the preview draws Python's points."""
    open_page(page, app_server.url, "Threshold_and_spikes", "th_amp=1.2")
    python = page.evaluate("() => LIFLive.charts.get('th_trace').figure.data[0].x.length")
    assert len(_preview(page, "th_trace")["data"][0]["x"]) == python


# --------------------------------------------------------------------------- chapter 4


def _rate(p: LIFParams, I: float, t_ref: float) -> float:
    """f = 1/(t_ref + T), T = tau ln((V_inf - V_reset)/(V_inf - V_th)); 0 below rheobase (Hz)."""
    v_inf = p.E_L + p.R * I
    if v_inf <= p.V_th:
        return 0.0
    return 1 / (t_ref + p.tau * math.log((v_inf - p.V_reset) / (v_inf - p.V_th)))


#: (URL query, overrides): a ceiling that comes and goes with t_ref, I_op beyond I_max,
#: currents below rheobase, a V(t) trace without refractory periods or without spikes.
FI_CASES = [
    ("", {"t_ref": 5.0}),
    ("", {"t_ref": 0.0, "fi_I": 12.0}),
    ("", {"fi_Imax": 8.0, "fi_I": 15.0, "R": 25.0}),
    ("", {"fi_I": 1.2}),
    ("", {"fi_Imax": 2.5, "fi_I": 2.0, "V_th": -40.0, "t_ref": 13.5}),
    ("t_ref=0.0", {"t_ref": 3.5, "fi_I": 20.0}),
    ("t_ref=0.0", {"fi_I": 0.5}),
]


@pytest.mark.parametrize("query", sorted({q for q, _ in FI_CASES}))
def test_fi_previews_follow_the_closed_forms(app_server, page, query):
    open_page(page, app_server.url, "Refractory_period_f-I", query)
    base = {"t_ref": 0.0} if query else {}
    for q, over in FI_CASES:
        if q != query:
            continue
        shown = {"fi_Imax": 20.0, "fi_I": 3.0, **over}
        p = _params({**base, **_neuron(over)})
        I_op = shown["fi_I"] * 1e-9
        I_max = shown["fi_Imax"] * 1e-9
        fig = _preview(page, "fi_curve", **over)

        # theory and simulated points at f = 1/(t_ref + T), with t_ref and without
        for name, t_ref in (("theory, t_ref = 0", 0.0), ("theory, t_ref = ", p.t_ref)):
            tr = [t for t in fig["data"] if t["name"].startswith(name)][-1 if t_ref else 0]
            assert tr["y"] == pytest.approx([_rate(p, 1e-9 * x, t_ref) for x in tr["x"]], abs=1e-6)
        for name, neuron in (("simulated, t_ref = 0", p.replace(t_ref=0.0)), ("simulated", p)):
            tr = [t for t in fig["data"] if t["name"].startswith(name)][1 if neuron is p else 0]
            assert tr["x"] == pytest.approx(np.linspace(0, shown["fi_Imax"], 41))
            for x, y in zip(tr["x"], tr["y"], strict=True):
                # 1 / mean ISI of 0.5 s: the steady rate 1/(t_ref + T) once it fires twice
                n = len(_spike_train(neuron, 1e-9 * x, 0.0, 0.5))
                f = _rate(p, 1e-9 * x, neuron.t_ref) if n >= 2 else 0.0
                assert y == pytest.approx(f, rel=1e-9, abs=1e-9), (x, over)
        rh = 1e9 * (p.V_th - p.E_L) / p.R
        assert _trace(fig, "rheobase")["x"] == pytest.approx([rh, rh])
        star = _trace(fig, "operating point")
        assert star["x"] == pytest.approx([shown["fi_I"]])
        assert star["y"] == pytest.approx([_rate(p, I_op, p.t_ref)], abs=1e-9)
        assert fig["axes"]["xaxis"]["range"] == pytest.approx([0, max(I_max, I_op) * 1e9])
        # the ceiling 1/t_ref: a line and a label only with a refractory period
        ceiling = _trace(fig, "ceiling")
        assert (ceiling is not None) == (p.t_ref > 0), over
        if ceiling:
            assert ceiling["y"] == pytest.approx([1 / p.t_ref] * 2)
            assert ceiling["name"] == f"ceiling 1/t_ref = {1 / p.t_ref:.3g} Hz"
        labels = [a["text"] for a in fig["annotations"]]
        assert labels[0] == f"rheobase {rh:.3g} nA"
        y_max = fig["axes"]["yaxis"]["range"][1]
        # with a refractory period, where the t_ref = 0 curve leaves the chart: a note of
        # how high it climbs (its closed-form rate at I_max)
        exits = p.t_ref > 0 and _rate(p, I_max, 0.0) > y_max
        assert len(labels) == 1 + (p.t_ref > 0 and 1 / p.t_ref <= y_max) + exits, (labels, over)
        if exits:
            note = f"t_ref = 0 ↗ {_rate(p, I_max, 0.0):.0f} Hz at {shown['fi_Imax']:g} nA"
            assert labels[-1] == note, over
        assert _differences(fig, _python(lab_cache.fi_chart(p, I_max, I_op))) == [], over

        # V(t) at the operating current: spikes at t_1 + k (t_ref + T), refractory t_ref
        trace = _preview(page, "fi_trace", **over)
        train = _spike_train(p, I_op, 0.0, 0.15)
        spikes = _trace(trace, "spikes")
        assert (spikes is not None) == (len(train) > 0), over
        if spikes:
            assert spikes["x"][0::3] == pytest.approx(1e3 * train, abs=1e-6)
        refractory = _trace(trace, "refractory period")
        assert (refractory is not None) == (len(train) > 0 and p.t_ref > 0), over
        if refractory:
            # the held samples: from the first grid time after a spike to t_spike + t_ref
            starts, ends = np.asarray(refractory["x"][0::3]), np.asarray(refractory["x"][1::3])
            assert len(starts) == len(train)
            if ends[-1] == pytest.approx(150.0):  # the last one cut by the window's end
                starts, ends = starts[:-1], ends[:-1]
            assert starts - 1e3 * train[: len(starts)] == pytest.approx(0.05, abs=0.05 + 1e-9)
            assert ends - 1e3 * train[: len(ends)] == pytest.approx(
                1e3 * p.t_ref + 0.05, abs=0.05 + 1e-9
            )
        assert _trace(trace, "threshold V_th")["y"] == pytest.approx([1e3 * p.V_th] * 2)
        assert _trace(trace, "reset V_reset")["y"] == pytest.approx([1e3 * p.V_reset] * 2)
        fig_trace, _ = lab_cache.operating_view(p, I_op)
        assert _differences(trace, _python(fig_trace)) == [], over


def test_fi_trace_preview_is_empty_where_the_grid_cannot_resolve_the_rate(app_server, page):
    """Python shows no V(t) chart when the rate exceeds 5 spikes per step: the preview empties.

    (The sidebar's ranges keep T >= C (V_th - V_reset) / I >= 25 µs; C = 0.05 nF, beyond
    them, makes the neuron fire every ~13 µs without a refractory period.)
    """
    open_page(page, app_server.url, "Refractory_period_f-I")
    over = {"t_ref": 0.0, "C": 0.05, "V_th": -30.0, "V_reset": -40.0, "fi_I": 40.0, "fi_Imax": 40.0}
    p = _params(_neuron(over))
    fig_trace, point = lab_cache.operating_view(p, 40e-9)
    assert fig_trace is None and point.rate_theory * 1e-4 > 5
    trace = _preview(page, "fi_trace", **over)
    assert all(t["x"] == [] and t["y"] == [] for t in trace["data"])
    # the f–I chart leaves out the simulated points the simulator would refuse
    fig = _preview(page, "fi_curve", **over)
    assert _differences(fig, _python(lab_cache.fi_chart(p, 40e-9, 40e-9))) == []
    sim = _trace(fig, "simulated, t_ref = 0")
    assert sim["y"][-1] is None and sim["y"][0] is not None


def test_the_sidebar_previews_both_chapter_4_charts(app_server, page):
    open_page(page, app_server.url, "Refractory_period_f-I")
    assert {"R", "C", "t_ref"} <= set(slider_keys(page, sidebar=True))
    before = page.evaluate("() => LIFLive.stats.redraws")
    _drag(page, "t_ref", 60.0, steps=30)
    redraws = page.evaluate("() => LIFLive.stats.redraws") - before
    assert page.evaluate("() => LIFLive.stats.errors") == []
    page.mouse.up()
    # both charts redrawn on most frames of the drag
    assert redraws >= 2 * 3, redraws
