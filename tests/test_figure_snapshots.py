"""The look of every chart is the reviewed one: a snapshot of each figure's style.

What a chart draws is checked against records and theory elsewhere (test_figures_*.py).
What it looks like — colours, dashes, widths, marker symbols, fonts, margins, legend and
label placement, axis ranges and titles, trace names and order — has no theory to check
against: it is a design, reviewed in the screenshots. This test pins it. Each figure of the
catalogue (tests/figure_cases.py) is reduced to everything but its data arrays (kept as
their length) and compared with ``tests/snapshots/figure_styles.json``. A deliberate change
of the design is recorded with::

    LIFLAB_UPDATE_SNAPSHOTS=1 python -m pytest tests/test_figure_snapshots.py

and shows up in review as a readable JSON diff.
"""

from __future__ import annotations

import inspect
import json
import math
import os
from pathlib import Path
from typing import Any

import figure_cases
import numpy as np
import pytest
from mutation_aware import shared_scope

import lif_figures
from lif_figures import circuit

SNAPSHOT = Path(__file__).parent / "snapshots" / "figure_styles.json"
UPDATE = os.environ.get("LIFLAB_UPDATE_SNAPSHOTS") == "1"

#: Trace properties that hold data (their length is kept, not their values).
DATA_KEYS = {"x", "y"}


def _round(value: float) -> float | str:
    if not math.isfinite(value):
        return str(value)
    return float(f"{value:.6g}")


def _plain(obj: Any) -> Any:
    """JSON-ready copy: numbers rounded to 6 significant digits, arrays as lists."""
    if isinstance(obj, dict):
        return {str(k): _plain(v) for k, v in sorted(obj.items())}
    if isinstance(obj, (list, tuple, np.ndarray)):
        return [_plain(v) for v in obj]
    if isinstance(obj, (bool, np.bool_)):
        return bool(obj)
    if isinstance(obj, (int, np.integer)):
        return int(obj)
    if isinstance(obj, (float, np.floating)):
        return _round(float(obj))
    return obj


def style_of(fig: Any) -> dict[str, Any]:
    """A figure's layout and trace styles, its data arrays replaced by their lengths."""
    spec = fig.to_dict()
    traces = []
    for trace in spec["data"]:
        style = {k: v for k, v in trace.items() if k not in DATA_KEYS}
        for key in DATA_KEYS & set(trace):
            style[f"{key} (points)"] = int(np.size(trace[key]))
        traces.append(style)
    return _plain({"data": traces, "layout": spec["layout"]})


def _current() -> dict[str, Any]:
    out = {name: style_of(figure_cases.figure(name)) for name in figure_cases.CASES}
    out["circuit_svg"] = circuit.circuit_svg()
    return out


@pytest.fixture(scope=shared_scope)
def snapshot() -> dict[str, Any]:
    if UPDATE:
        SNAPSHOT.parent.mkdir(exist_ok=True)
        text = json.dumps(_current(), indent=1, ensure_ascii=False, sort_keys=True)
        SNAPSHOT.write_text(text + "\n", encoding="utf-8")
    return json.loads(SNAPSHOT.read_text(encoding="utf-8"))


def _differences(a: Any, b: Any, path: str = "") -> list[str]:
    if isinstance(a, dict) and isinstance(b, dict):
        out = []
        for key in sorted(set(a) | set(b)):
            if key not in a or key not in b:
                out.append(f"{path}/{key}: {'missing now' if key not in b else 'new'}")
            else:
                out += _differences(a[key], b[key], f"{path}/{key}")
        return out
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        out = []
        for k, (x, y) in enumerate(zip(a, b, strict=True)):
            out += _differences(x, y, f"{path}[{k}]")
        return out
    return [] if a == b else [f"{path}: {a!r} -> {b!r}"]


@pytest.mark.parametrize("name", [*figure_cases.CASES, "circuit_svg"])
def test_the_chart_looks_as_reviewed(snapshot, name):
    expected = snapshot.get(name)
    assert expected is not None, f"{name!r} has no snapshot: record it (see the module docstring)"
    now = circuit.circuit_svg() if name == "circuit_svg" else style_of(figure_cases.figure(name))
    diff = _differences(expected, now)
    assert not diff, f"{name}: {len(diff)} differences, first ones:\n" + "\n".join(diff[:15])


def test_the_snapshot_has_no_stale_cases(snapshot):
    assert set(snapshot) == {*figure_cases.CASES, "circuit_svg"}


def test_every_figure_builder_is_in_the_catalogue():
    """Each public ``*_figure`` function of every lif_figures module has a case."""
    import importlib
    import pkgutil

    found = set()
    for info in pkgutil.walk_packages(lif_figures.__path__, "lif_figures."):
        if any(part.startswith("_") for part in info.name.split(".")):
            continue
        module = importlib.import_module(info.name)
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if (
                name.endswith("_figure")
                and not name.startswith("_")
                and fn.__module__ == module.__name__
            ):
                if name not in getattr(module, "__all__", [name]):
                    continue
                found.add(f"{info.name.removeprefix('lif_figures.')}.{name}")
    # helpers that every builder goes through, tested in test_figures_style
    found -= {"spec.display_figure", "style.new_figure"}
    assert found, "no builders found"
    missing = found - figure_cases.BUILDERS
    assert not missing, f"builders with no case in tests/figure_cases.py: {sorted(missing)}"
