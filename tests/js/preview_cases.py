"""Harness for the chart previews of chapters 7-9 under Node: preview against Python's figure.

A :class:`Case` is one chart at one setting: Python's figure (built by the page's cached
view functions, so exactly what the page draws) and the preview spec the page sends with it
(:func:`spec`, the JSON of :func:`lab.live.spec`). :func:`run_cases` registers each in
``tests/js/run_preview.js`` and returns the browser tests' comparison of the preview at the
spec's values with the figure (an empty list when equal to the display rounding), and the
recipe's compute time. Used by ``tests/test_preview_7_9.py`` and
``benchmarks/bench_preview_7_9.py``.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import plotly.io as pio

from lab.live import _plain
from lab.neuron import NEURON_SLIDERS
from lif_core.params import LIFParams
from lif_core.units import UNITS
from tests.js.engine_cases import find_node

ROOT = Path(__file__).resolve().parents[2]
RUNNER = ROOT / "tests" / "js" / "run_preview.js"


def _compare_js() -> str:
    """The browser tests' COMPARE_JS (tests/browser/test_browser_live.py), word for word."""
    path = ROOT / "tests" / "browser" / "test_browser_live.py"
    sys.path.insert(0, str(path.parent))
    try:
        spec_ = importlib.util.spec_from_file_location("_browser_live", path)
        module = importlib.util.module_from_spec(spec_)
        spec_.loader.exec_module(module)
    finally:
        sys.path.remove(str(path.parent))
    return module.COMPARE_JS


def spec(
    recipe: str,
    view: str,
    sliders: dict[str, tuple[str, str, float]],
    *,
    fixed: dict[str, Any] | None = None,
    data: dict[str, Any] | None = None,
    neuron: LIFParams | None = None,
) -> dict[str, Any]:
    """A preview spec as :func:`lab.live.spec` makes it.

    ``sliders``: recipe input -> (slider key, display unit, SI value); ``neuron``: the
    sidebar neuron (None for a page that does not use it).
    """
    inputs: dict[str, dict[str, Any]] = {}
    if neuron is not None:
        for s in NEURON_SLIDERS:
            value = float(getattr(neuron, s.key))
            inputs[s.key] = {"key": s.key, "scale": UNITS[s.unit], "value": value}
    for name, (key, unit, value) in sliders.items():
        inputs[name] = {"key": key, "scale": UNITS[unit], "value": float(value)}
    return {
        "recipe": recipe,
        "view": view,
        "inputs": inputs,
        "fixed": _plain(dict(fixed or {})),
        "data": _plain(dict(data or {})),
    }


@dataclass
class Case:
    """One chart: a name for messages, its key, its preview spec and Python's figure."""

    name: str
    key: str
    spec: dict[str, Any]
    figure: Any
    repeat: int = 1
    payload: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Expr:
    """A JS expression to evaluate in the preview scripts' context (its value comes back)."""

    expr: str


@dataclass(frozen=True)
class Outcome:
    """The comparison's differences (empty: equal), the compute time (ms), or an error;
    for an :class:`Expr`, its value (typed arrays as lists, nan and inf as strings)."""

    diff: list[str]
    compute_ms: float
    error: str | None = None
    value: Any = None


def run_cases(cases: list[Case | Expr], node: str | None = None) -> list[Outcome]:
    """Compare every case's preview with its figure (or evaluate it) in one Node process."""
    node = node or find_node()
    if node is None:
        raise RuntimeError("Node is not installed (node / nodejs not on PATH)")
    payload = {
        "compare": _compare_js(),
        "cases": [
            {"expr": c.expr}
            if isinstance(c, Expr)
            else {
                "key": c.key,
                "spec": c.spec,
                "figure": json.loads(pio.to_json(c.figure, validate=False)),
                "repeat": c.repeat,
            }
            for c in cases
        ],
    }
    proc = subprocess.run(
        [node, str(RUNNER)],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"{RUNNER.name} failed ({proc.returncode}):\n{proc.stderr}")
    out = []
    for item in json.loads(proc.stdout):
        if "error" in item:
            out.append(Outcome([], float("nan"), item["error"]))
        elif "value" in item:
            out.append(Outcome([], float("nan"), value=item["value"]))
        else:
            out.append(Outcome(item["diff"], item["compute_ms"]))
    return out


def lif_dict(p: LIFParams) -> dict[str, float]:
    """LIFParams as the JSON of a preview's ``fixed``."""
    return {f.name: float(getattr(p, f.name)) for f in fields(p)}
