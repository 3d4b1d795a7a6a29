"""Read what a chart draws, by trace name and in display units, so figure tests stay short.

Works on a builder's figure (``go.Figure`` / ``SpecFigure``) and on a chart's decoded JSON
(``{"data": [...], "layout": {...}}``, e.g. from an AppTest run). Every coordinate comes out
as a float array (``None`` gaps become ``nan``), so a test can compare it with the record it
was drawn from and with theory, in the units of the axis (mV, ms, nA, nS, Hz)::

    chart = Chart(fig)
    chart.assert_names({"V", "threshold V_th", "reset V_reset"})
    v = chart["V"]                        # Drawn(name, x, y, mode, dash, color, ...)
    assert chart.hline("threshold V_th") == pytest.approx(-50.0)
    assert chart.titles["xaxis"] == "time (ms)"

Nothing here imports the app: it reads plotly's data model only.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np


def _decode(obj: Any) -> Any:
    """Expand plotly's typed-array encoding (``{"dtype", "bdata"}``) into an array."""
    if isinstance(obj, Mapping) and "bdata" in obj and "dtype" in obj:
        arr = np.frombuffer(base64.b64decode(obj["bdata"]), dtype=np.dtype(obj["dtype"]))
        shape = obj.get("shape")
        if shape is not None:
            if isinstance(shape, str):
                shape = [int(s) for s in shape.split(",")]
            arr = arr.reshape(shape)
        return arr
    return obj


def floats(values: Any) -> np.ndarray:
    """Coordinates as a float array; ``None`` (a gap) becomes ``nan``."""
    values = _decode(values)
    if values is None:
        return np.zeros(0)
    if isinstance(values, np.ndarray):
        return values.astype(float)
    return np.array([np.nan if v is None else v for v in values], dtype=float)


def _as_dict(fig: Any) -> dict[str, Any]:
    if isinstance(fig, Mapping):
        return {"data": list(fig.get("data", [])), "layout": dict(fig.get("layout", {}))}
    spec = fig.to_dict()  # SpecFigure: its own dicts; go.Figure: a deep copy
    return {"data": list(spec["data"]), "layout": dict(spec["layout"])}


@dataclass(frozen=True)
class Drawn:
    """One trace as drawn: coordinates in the axis units and its style."""

    name: str
    x: np.ndarray
    y: np.ndarray
    mode: str | None
    dash: str | None
    color: str | None
    width: float | None
    xaxis: str
    yaxis: str
    showlegend: bool
    raw: dict[str, Any]

    def finite(self) -> tuple[np.ndarray, np.ndarray]:
        """The points where both x and y are finite (gaps dropped)."""
        ok = np.isfinite(self.x) & np.isfinite(self.y)
        return self.x[ok], self.y[ok]

    def ticks(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Vertical tick marks drawn as one line (``x, x, nan`` per tick, as a raster):
        each tick's x, the middle of its y span, and half its height. Fails if the trace is
        anything else (a missing gap, a slanted or upside-down tick)."""
        return vertical_ticks(self.x, self.y)

    def segments(self) -> list[tuple[np.ndarray, np.ndarray]]:
        """The pieces between ``nan`` gaps, as ``(x, y)`` pairs (e.g. one per spike mark)."""
        ok = np.isfinite(self.x) & np.isfinite(self.y)
        out = []
        start = None
        for k, good in enumerate(np.append(ok, False)):
            if good and start is None:
                start = k
            elif not good and start is not None:
                out.append((self.x[start:k], self.y[start:k]))
                start = None
        return out


def vertical_ticks(x: Any, y: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """See :meth:`Drawn.ticks` (also for a browser's trace: ``None`` reads as a gap)."""
    x, y = floats(x), floats(y)
    assert x.size == y.size and x.size % 3 == 0, f"not x, x, nan per tick: {x.size} points"
    assert np.all(np.isnan(x[2::3])) and np.all(np.isnan(y[2::3])), "a tick without its gap"
    assert np.array_equal(x[0::3], x[1::3]), "a tick that is not vertical"
    lo, hi = y[0::3], y[1::3]
    assert np.all(hi > lo), "a tick drawn downwards or of no height"
    return x[0::3], (lo + hi) / 2.0, (hi - lo) / 2.0


def _drawn(trace: Mapping[str, Any]) -> Drawn:
    line = trace.get("line") or {}
    marker = trace.get("marker") or {}
    color = line.get("color") if isinstance(line, Mapping) else None
    if color is None and isinstance(marker, Mapping):
        color = marker.get("color") if isinstance(marker.get("color"), str) else None
    return Drawn(
        name=str(trace.get("name", "")),
        x=floats(trace.get("x")),
        y=floats(trace.get("y")),
        mode=trace.get("mode"),
        dash=line.get("dash") if isinstance(line, Mapping) else None,
        color=color,
        width=line.get("width") if isinstance(line, Mapping) else None,
        xaxis=trace.get("xaxis", "x"),
        yaxis=trace.get("yaxis", "y"),
        showlegend=trace.get("showlegend", True) is not False,
        raw=dict(trace),
    )


class Chart:
    """A figure's traces by name, axis titles and ranges, shapes and labels."""

    def __init__(self, fig: Any) -> None:
        spec = _as_dict(fig)
        self.layout: dict[str, Any] = spec["layout"]
        self.traces: list[Drawn] = [_drawn(t) for t in spec["data"]]

    # ------------------------------------------------------------------ traces
    @property
    def names(self) -> list[str]:
        """Trace names in drawing order."""
        return [t.name for t in self.traces]

    def __getitem__(self, name: str) -> Drawn:
        """The one trace called exactly ``name``."""
        hits = [t for t in self.traces if t.name == name]
        if len(hits) != 1:
            raise AssertionError(f"{len(hits)} traces named {name!r}; traces: {self.names}")
        return hits[0]

    def __contains__(self, name: str) -> bool:
        return name in self.names

    def starting(self, prefix: str) -> Drawn:
        """The one trace whose name starts with ``prefix``."""
        hits = [t for t in self.traces if t.name.startswith(prefix)]
        if len(hits) != 1:
            raise AssertionError(f"{len(hits)} traces start with {prefix!r}; traces: {self.names}")
        return hits[0]

    def assert_names(self, expected: Iterable[str]) -> None:
        """The chart draws exactly these named traces (each once), no more, no fewer."""
        expected = sorted(expected)
        assert sorted(self.names) == expected, f"drawn {sorted(self.names)}, expected {expected}"

    def hline(self, name: str) -> float:
        """The height of a horizontal reference-line trace (fails if it is not flat)."""
        tr = self[name]
        y = tr.y[np.isfinite(tr.y)]
        assert y.size >= 2 and np.all(y == y[0]), f"{name!r} is not a horizontal line: {tr.y}"
        return float(y[0])

    def vline(self, name: str) -> float:
        """The position of a vertical reference-line trace (fails if it is not vertical)."""
        tr = self[name]
        x = tr.x[np.isfinite(tr.x)]
        assert x.size >= 2 and np.all(x == x[0]), f"{name!r} is not a vertical line: {tr.x}"
        return float(x[0])

    # ------------------------------------------------------------------ layout
    @property
    def titles(self) -> dict[str, str]:
        """``{"xaxis": "time (ms)", "yaxis2": ...}`` for every titled axis."""
        out = {}
        for key, axis in self.layout.items():
            if key.startswith(("xaxis", "yaxis")) and isinstance(axis, Mapping):
                title = axis.get("title") or {}
                text = title.get("text") if isinstance(title, Mapping) else title
                if text:
                    out[key] = text
        return out

    def axis_range(self, axis: str = "yaxis") -> tuple[float, float]:
        """The fixed range of an axis (``"xaxis"``, ``"yaxis2"``...)."""
        rng = self.layout[axis]["range"]
        return float(rng[0]), float(rng[1])

    @property
    def annotations(self) -> list[dict[str, Any]]:
        """The chart's text labels (layout annotations)."""
        return list(self.layout.get("annotations", []))

    def annotation(self, text_start: str) -> dict[str, Any]:
        """The one annotation whose text starts with ``text_start``."""
        hits = [a for a in self.annotations if str(a.get("text", "")).startswith(text_start)]
        texts = [a.get("text") for a in self.annotations]
        assert len(hits) == 1, f"{len(hits)} labels start with {text_start!r}; labels: {texts}"
        return hits[0]

    @property
    def shapes(self) -> list[dict[str, Any]]:
        """The chart's layout shapes (lines across the plot, bands)."""
        return list(self.layout.get("shapes", []))

    def shape_hlines(self, yref: str = "y") -> list[float]:
        """Heights of the horizontal line shapes drawn across the plot on ``yref``."""
        return [
            float(s["y0"])
            for s in self.shapes
            if s.get("type") == "line" and s.get("yref", "y") == yref and s["y0"] == s["y1"]
        ]

    def shape_vlines(self, xref: str = "x") -> list[float]:
        """Positions of the vertical line shapes drawn across the plot on ``xref``."""
        return [
            float(s["x0"])
            for s in self.shapes
            if s.get("type") == "line" and s.get("xref", "x") == xref and s["x0"] == s["x1"]
        ]


def assert_drawn_from(
    drawn: Drawn,
    x_ref: Any,
    y_ref: Any,
    *,
    atol_x: float = 1e-9,
    atol_y: float = 1e-9,
    min_points: int = 2,
) -> None:
    """Every finite point of ``drawn`` is one of the samples ``(x_ref[k], y_ref[k])``.

    For traces thinned for display (every n-th sample, or the min and max of each pixel
    column): each drawn x must be a sample time, and its y that sample's value, to the
    rounding the chart applies. Both in display units.
    """
    x, y = drawn.finite()
    assert x.size >= min_points, f"{drawn.name!r} draws {x.size} points"
    x_ref = np.asarray(x_ref, dtype=float)
    y_ref = np.asarray(y_ref, dtype=float)
    k = np.clip(np.searchsorted(x_ref, x), 1, x_ref.size - 1)
    k = np.where(np.abs(x_ref[k - 1] - x) <= np.abs(x_ref[k] - x), k - 1, k)
    assert np.max(np.abs(x_ref[k] - x)) <= atol_x, f"{drawn.name!r}: x not on the samples"
    err = np.abs(y_ref[k] - y)
    worst = int(np.argmax(err))
    assert err[worst] <= atol_y, (
        f"{drawn.name!r}: y = {y[worst]} at x = {x[worst]}, the sample there is {y_ref[k][worst]}"
    )
