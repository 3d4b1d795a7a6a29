"""What every page must show: its charts (by key, in order) with their axis titles.

One contract for the AppTest page tests and the browser tests, so a page that loses a chart
or an axis title, or a page file that is renamed, added or removed without this list being
updated, fails a test instead of being skipped. Traces each chart must draw (with data) are
listed too: the browser health check reads them from plotly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

T = "time (ms)"
V = "membrane potential V (mV)"


@dataclass(frozen=True)
class ChartContract:
    """One chart: its key, its axis titles (``{"xaxis": ..., "yaxis2": ...}``), and the
    names (or name beginnings) of traces that must be drawn with data."""

    key: str
    titles: dict[str, str]
    traces: tuple[str, ...]


#: page file (relative to the repository root) -> its charts at the default settings.
PAGES: dict[str, tuple[ChartContract, ...]] = {
    "app.py": (),
    "pages/1_Membrane_RC_circuit.py": (
        ChartContract("rc_voltage", {"xaxis": T, "yaxis": V}, ("simulated V(t)", "closed form")),
        ChartContract(
            "rc_currents",
            {"xaxis": T, "yaxis": "current (nA)"},
            ("injected I", "I_R", "I_C", "I_R + I_C"),
        ),
    ),
    "pages/2_Resting_equilibrium.py": (
        ChartContract(
            "eq_phase",
            {"xaxis": V, "yaxis": "dV/dt (mV/ms)"},
            ("dV/dt = (V∞ − V)/τ", "stable fixed point", "starting points"),
        ),
        ChartContract("eq_relax", {"xaxis": T, "yaxis": V}, ("simulated V(t)", "fixed point")),
    ),
    "pages/3_Threshold_and_spikes.py": (
        ChartContract(
            "th_trace",
            {"xaxis3": T, "yaxis": V, "yaxis2": "spikes", "yaxis3": "current (nA)"},
            ("simulated V(t)", "threshold V_th", "reset V_reset", "spikes", "injected I"),
        ),
    ),
    "pages/4_Refractory_period_f-I.py": (
        ChartContract(
            "fi_curve",
            {"xaxis": "current (nA)", "yaxis": "rate (Hz)"},
            ("simulated, t_ref", "simulated, t_ref = 0", "theory, t_ref", "theory, t_ref = 0"),
        ),
        ChartContract(
            "fi_trace",
            {"xaxis": T, "yaxis": V},
            ("V", "spikes", "refractory period", "threshold V_th", "reset V_reset"),
        ),
    ),
    "pages/5_Synaptic_conductances.py": (
        ChartContract(
            "syn_pre",
            {"xaxis": T, "yaxis": "conductance (nS)"},
            ("conductance g(t)", "presynaptic spikes"),
        ),
        ChartContract(
            "syn_current",
            {"xaxis3": T, "yaxis": V, "yaxis2": "V − E_syn (mV)", "yaxis3": "current (nA)"},
            ("V", "E_syn", "E_L − E_syn (frozen)", "inward (depolarising)"),
        ),
        ChartContract(
            "syn_conductance",
            {"xaxis3": T, "yaxis": V, "yaxis2": "V − E_syn (mV)", "yaxis3": "current (nA)"},
            ("V", "E_syn", "V − E_syn", "inward (depolarising)"),
        ),
    ),
    "pages/6_Shunting_inhibition.py": (
        ChartContract(
            "sh_traces",
            {"xaxis2": T, "yaxis": V, "yaxis2": "conductance (nS)"},
            ("E alone", "I alone", "E and I together", "linear sum", "g_exc", "g_inh"),
        ),
        ChartContract(
            "sh_epsp",
            {"xaxis": "excitatory peak conductance (nS)", "yaxis": "peak V − E_L (mV)"},
            ("no inhibition", "shunting", "hyperpolarising"),
        ),
        ChartContract(
            "sh_fi",
            {"xaxis": "current (nA)", "yaxis": "rate (Hz)"},
            ("no inhibition", "shunting", "hyperpolarising", "simulated: no inhibition"),
        ),
    ),
    "pages/7_What_the_LIF_leaves_out.py": (
        ChartContract("bx_spike", {"xaxis": T, "yaxis": V}, ("HH", "LIF twin", "HH peak")),
        ChartContract(
            "bx_adapt",
            {"yaxis": "AdEx V (mV)", "yaxis2": "LIF V (mV)", "xaxis3": T, "yaxis3": "w (pA)"},
            ("AdEx", "LIF twin", "w"),
        ),
        ChartContract(
            "bx_isi",
            {"xaxis": "interval number", "yaxis": "interspike interval (ms)"},
            ("AdEx", "LIF twin"),
        ),
        ChartContract("bx_ring_chart", {"xaxis": T, "yaxis": V}, ("HH", "LIF twin", "rest")),
        ChartContract("bx_rebound_chart", {"xaxis": T, "yaxis": V}, ("HH", "LIF twin")),
        ChartContract(
            "bx_fi", {"xaxis": "current (nA)", "yaxis": "rate (Hz)"}, ("HH", "LIF", "HH onset")
        ),
        ChartContract("bx_fi_trace", {"xaxis": T, "yaxis": V}, ("HH", "LIF")),
        ChartContract(
            "bx_dend",
            {"xaxis": T, "yaxis": "depolarisation V − E_L (mV)"},
            ("soma, input at soma", "soma, input at dendrite", "LIF (one compartment)"),
        ),
    ),
    "pages/8_Noise_and_irregular_firing.py": (
        ChartContract(
            "nz_trials",
            {"yaxis": "V (mV)", "xaxis2": T, "yaxis2": "trial"},
            ("V, trial 1", "spikes, trial 1", "threshold V_th", "raster"),
        ),
        ChartContract(
            "nz_isi",
            {"xaxis": "inter-spike interval (ms)", "yaxis": "intervals"},
            ("intervals", "mean ISI"),
        ),
        ChartContract(
            "nz_rate",
            {"xaxis": "mean current (nA)", "yaxis": "rate (Hz)"},
            ("0 mV", "simulated, 2 mV", "4 mV", "simulated, 4 mV", "this setting (simulated)"),
        ),
        ChartContract(
            "nz_cv",
            {"xaxis": "mean current (nA)", "yaxis": "CV of the intervals"},
            ("2 mV", "simulated, 2 mV", "Poisson (CV = 1)", "this setting (simulated)"),
        ),
    ),
    "pages/9_How_the_simulator_works.py": (
        ChartContract(
            "num_exact",
            {"xaxis": T, "yaxis": "V (mV)"},
            ("closed form", "exact (engine)", "spikes", "threshold V_th"),
        ),
        ChartContract(
            "num_euler", {"xaxis": T, "yaxis": "V (mV)"}, ("closed form", "Euler", "spikes")
        ),
        ChartContract(
            "num_rate_error",
            {"xaxis": "time step dt (ms)", "yaxis": "|rate error| (Hz)"},
            ("exact (engine)", "crossing on grid", "refractory on grid", "both on grid", "Euler"),
        ),
        ChartContract(
            "num_first_error",
            {"xaxis": "time step dt (ms)", "yaxis": "|first spike time error| (ms)"},
            ("exact (engine)", "crossing on grid", "Euler"),
        ),
    ),
}


def page_files() -> list[str]:
    """``app.py`` and every ``pages/*.py`` on disk, in navigation order."""

    def order(p: Path) -> tuple[float, str]:
        m = re.match(r"^(\d+)", p.stem)
        return (float(m.group(1)) if m else float("inf"), p.stem.lower())

    files = sorted((ROOT / "pages").glob("*.py"), key=order)
    return ["app.py", *(f"pages/{f.name}" for f in files if not f.name.startswith("_"))]


def titles_of(layout: dict) -> dict[str, str]:
    """``{"xaxis": "time (ms)", ...}`` for every titled axis of a chart's layout."""
    out = {}
    for key, axis in layout.items():
        if key.startswith(("xaxis", "yaxis")) and isinstance(axis, dict):
            title = axis.get("title") or {}
            text = title.get("text") if isinstance(title, dict) else title
            if text:
                out[key] = text
    return out


def problems(page: str, drawn: list[tuple[str, dict, list[tuple[str, int]]]]) -> list[str]:
    """How the charts of ``page`` differ from the contract.

    ``drawn`` is a list of ``(chart key, layout, [(trace name, number of points), ...])``.
    """
    expected = PAGES[page]
    out = []
    keys = [key for key, _, _ in drawn]
    if keys != [c.key for c in expected]:
        out.append(f"{page}: charts {keys}, expected {[c.key for c in expected]}")
    for c, (key, layout, traces) in zip(expected, drawn, strict=False):
        if key != c.key:
            continue
        titles = titles_of(layout)
        if titles != c.titles:
            out.append(f"{page} {key}: axis titles {titles}, expected {c.titles}")
        for name in c.traces:
            hits = [n for trace_name, n in traces if trace_name.startswith(name)]
            if not hits or max(hits) == 0:
                out.append(f"{page} {key}: no trace {name!r} with data; drawn: {traces}")
    return out
