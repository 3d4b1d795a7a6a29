"""Shared helpers for the AppTest-based page tests (Streamlit 1.67 ``streamlit.testing.v1``).

Fixtures
--------
``run_page(path, query=None)``
    Run a page file (relative to the repository root, e.g. ``"app.py"`` or
    ``"pages/1_Membrane_RC_circuit.py"``) once in AppTest, with optional URL
    query parameters (``{"R": "40"}``), and return the ``AppTest``.

``apptest``
    The helpers below as one namespace (``apptest.plotly_figures(at)``...): tests
    reach them through this fixture, because importing ``conftest`` by name is
    ambiguous (``tests/browser/conftest.py`` exists too).

Helpers: ``make_app(path, query)``; ``charts(at)`` returns the data of every chart;
``plotly_figures(at)`` returns the plotly figures
of a run as dicts (decoded JSON, typed arrays expanded); ``axis_titles(fig)``;
``trace(fig, name_start)``; ``numbers(values)``; ``warnings_text(at)``;
``assert_no_exception(at)``.
"""

from __future__ import annotations

import base64
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from lab_chart_data import charts
from mutation_aware import under_mutation
from sidebar_defaults import SIDEBAR_DEFAULTS
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # page scripts import lab_ui, lif_core, lif_figures
    sys.path.insert(0, str(ROOT))

#: Generous: the first run of a page imports numpy, plotly and the app modules.
TIMEOUT = 30


def make_app(path: str, query: Mapping[str, str | list[str]] | None = None) -> AppTest:
    """An ``AppTest`` for a page file (not run yet), with URL query parameters set."""
    at = AppTest.from_file(str(ROOT / path), default_timeout=TIMEOUT)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    return at


@pytest.fixture
def run_page() -> Callable[..., AppTest]:
    """``run_page(path, query=None) -> AppTest``: run a page once and return it."""

    def _run(path: str, query: Mapping[str, str | list[str]] | None = None) -> AppTest:
        at = make_app(path, query)
        at.run()
        return at

    return _run


def assert_no_exception(at: AppTest) -> None:
    """Fail with the exception messages if the run raised."""
    assert not at.exception, [e.value for e in at.exception]


def warnings_text(at: AppTest) -> list[str]:
    """The text of every ``st.warning`` on the page (main area and sidebar)."""
    return [w.value for w in at.warning]


def _decode(obj: Any) -> Any:
    """Expand plotly's typed-array encoding (``{"dtype", "bdata"}``) into lists."""
    if isinstance(obj, dict):
        if "bdata" in obj and "dtype" in obj:
            arr = np.frombuffer(base64.b64decode(obj["bdata"]), dtype=np.dtype(obj["dtype"]))
            if "shape" in obj:
                shape = obj["shape"]
                if isinstance(shape, str):
                    shape = [int(s) for s in shape.split(",")]
                arr = arr.reshape(shape)
            return arr.tolist()
        return {k: _decode(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_decode(v) for v in obj]
    return obj


def plotly_figures(at: AppTest) -> list[dict[str, Any]]:
    """The plotly figures of a run, as decoded JSON dicts (``{"data": [...], "layout": {...}}``)."""
    return [_decode(chart["figure"]) for chart in charts(at)]


def axis_titles(fig: Mapping[str, Any]) -> dict[str, str]:
    """``{"xaxis": "time (ms)", "yaxis": ..., "xaxis3": ...}`` for every titled axis."""
    out = {}
    for name, axis in fig["layout"].items():
        if name.startswith(("xaxis", "yaxis")) and isinstance(axis, dict):
            title = axis.get("title", {})
            text = title.get("text") if isinstance(title, dict) else title
            if text:
                out[name] = text
    return out


def trace(fig: Mapping[str, Any], name_start: str) -> dict[str, Any]:
    """The first trace whose name starts with ``name_start``."""
    for tr in fig["data"]:
        if str(tr.get("name", "")).startswith(name_start):
            return tr
    names = [tr.get("name") for tr in fig["data"]]
    raise AssertionError(f"no trace named {name_start!r}...; traces: {names}")


def numbers(values: list[Any]) -> np.ndarray:
    """A trace's coordinates as floats (``None`` gaps become ``nan``)."""
    return np.array([np.nan if v is None else v for v in values], dtype=float)


class AppTestHelpers:
    """Namespace of the helpers above, handed to tests by the ``apptest`` fixture."""

    SIDEBAR_DEFAULTS = SIDEBAR_DEFAULTS
    make_app = staticmethod(make_app)
    assert_no_exception = staticmethod(assert_no_exception)
    warnings_text = staticmethod(warnings_text)
    charts = staticmethod(charts)
    plotly_figures = staticmethod(plotly_figures)
    axis_titles = staticmethod(axis_titles)
    trace = staticmethod(trace)
    numbers = staticmethod(numbers)


@pytest.fixture(scope="session")
def apptest() -> type[AppTestHelpers]:
    """The AppTest helpers (see the module docstring)."""
    return AppTestHelpers


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test that runs a page in AppTest ``apptest`` (a page file, or the fixtures).

    ``benchmarks/mutation.py`` leaves them out: they take seconds each, and the figure
    builders and the core have tests of their own that read the same numbers directly.
    """
    for item in items:
        module = item.path.name
        uses_pages = {"run_page", "apptest"} & set(getattr(item, "fixturenames", ()))
        if module.startswith(("test_pages", "test_app_frame", "test_lab_chart")) or uses_pages:
            item.add_marker(pytest.mark.apptest)


#: The library's own caches of pure functions. Under mutation testing each test starts with
#: them empty: mutmut ties a mutant only to the tests that call its function, and a cached
#: call ties it to the first test alone (``new_figure`` behind ``spec._style_layout`` was
#: tied to one test, so 118 of its mutants survived tests that read the layout).
_LIBRARY_CACHES = (
    "lif_figures.spec._style_layout",
    "lif_core.analysis.beyond.hh_lif_twin",
    "lif_core.analysis.beyond.hh_rate_twin",
    "lif_core._integrals._weideman",
    "lif_core._integrals._gauss",
)


@pytest.fixture(autouse=True)
def _fresh_library_caches() -> None:
    """Empty :data:`_LIBRARY_CACHES` before each test, under mutation testing only."""
    if not under_mutation():
        return
    import importlib

    for dotted in _LIBRARY_CACHES:
        module, name = dotted.rsplit(".", 1)
        getattr(importlib.import_module(module), name).cache_clear()  # fails if one is renamed
