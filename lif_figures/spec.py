"""Fast figure assembly shared by every LIF Lab chart: plain dicts, one figure at the end.

Building plotly figures trace by trace validates every property and costs 30-250 ms
per chart, more than the rest of a rerun. The builders collect plain dicts in a
:class:`FigureSpec` and create one figure with validation off (the tests validate
every figure once). The layout is the one of :func:`lif_figures.style.new_figure`,
computed once per signature. Nothing here imports streamlit.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Sequence
from typing import Any

import numpy as np
import plotly.graph_objects as go

from lif_figures.style import new_figure

__all__ = ["FigureSpec", "scatter"]


@functools.lru_cache(maxsize=32)
def _style_layout(
    x_title: str, y_title: str, title: str | None, height: int, legend: bool, template: str
) -> dict[str, Any]:
    del template  # part of the cache key only: the layout embeds the default template
    fig = new_figure(x_title, y_title, title=title, height=height, legend=legend)
    return fig.layout.to_plotly_json()


def _deep_update(target: dict[str, Any], changes: dict[str, Any]) -> None:
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            _deep_update(target[key], value)
        else:
            target[key] = value


def scatter(**props: Any) -> dict[str, Any]:
    """A scatter trace as a plain dict (``type="scatter"``)."""
    return {"type": "scatter", **props}


class FigureSpec:
    """Traces and layout of one chart as dicts, turned into a figure at the end.

    The layout starts from :func:`lif_figures.style.new_figure`, so every chart
    keeps the app's look. With ``y_titles`` the chart has one row per title,
    sharing the time axis (titled on the bottom row).
    """

    def __init__(
        self,
        x_title: str,
        y_title: str,
        *,
        title: str | None = None,
        height: int = 380,
        legend: bool = True,
        y_titles: Sequence[str] | None = None,
        row_heights: Sequence[float] | None = None,
        spacing: float = 0.05,
    ) -> None:
        import plotly.io as pio

        base = _style_layout(x_title, y_title, title, height, legend, str(pio.templates.default))
        self.layout = {k: copy.deepcopy(v) for k, v in base.items() if k != "template"}
        if "template" in base:
            self.layout["template"] = base["template"]  # shared, never modified
        self.data: list[dict[str, Any]] = []
        self.rows = 1
        if y_titles is not None and len(y_titles) > 1:
            self._make_rows(list(y_titles), row_heights, spacing)

    def _make_rows(self, y_titles: list[str], heights: Sequence[float] | None, gap: float) -> None:
        n = len(y_titles)
        h = np.asarray(heights if heights is not None else [1.0] * n, dtype=float)
        h = h / h.sum() * (1.0 - gap * (n - 1))
        x0, y0 = self.layout["xaxis"], self.layout["yaxis"]
        top = 1.0
        for row in range(1, n + 1):
            sx = "" if row == 1 else str(row)
            xa = copy.deepcopy(x0)
            ya = copy.deepcopy(y0)
            bottom = top - h[row - 1]
            ya.update(domain=[max(bottom, 0.0), top], anchor=f"x{sx}")
            ya["title"] = {**ya.get("title", {}), "text": y_titles[row - 1]}
            xa.update(anchor=f"y{sx}", domain=[0.0, 1.0])
            if row < n:
                xa["matches"] = f"x{n}"
                xa["showticklabels"] = False
                xa["title"] = {**xa.get("title", {}), "text": ""}
            self.layout[f"xaxis{sx}"] = xa
            self.layout[f"yaxis{sx}"] = ya
            top = bottom - gap
        self.rows = n

    @staticmethod
    def _axis(kind: str, row: int) -> str:
        return f"{kind}axis" if row == 1 else f"{kind}axis{row}"

    def add(self, trace: dict[str, Any], row: int = 1) -> None:
        """Add a trace (a dict from :func:`scatter`) to row ``row``."""
        if row > 1:
            trace = {**trace, "xaxis": f"x{row}", "yaxis": f"y{row}"}
        self.data.append(trace)

    def xaxis(self, row: int | None = None, **props: Any) -> None:
        """Update the x axis of ``row`` (all rows if None)."""
        for r in range(1, self.rows + 1) if row is None else [row]:
            _deep_update(self.layout.setdefault(self._axis("x", r), {}), props)

    def yaxis(self, row: int = 1, **props: Any) -> None:
        """Update the y axis of ``row``."""
        _deep_update(self.layout.setdefault(self._axis("y", row), {}), props)

    def annotate(self, x: float, y: float, text: str, row: int = 1, **props: Any) -> None:
        """Label a point of the chart directly (instead of a legend entry)."""
        sx = "" if row == 1 else str(row)
        note = dict(x=x, y=y, text=text, showarrow=False, xref=f"x{sx}", yref=f"y{sx}")
        note.update(props)
        self.layout.setdefault("annotations", []).append(note)

    def update(self, **props: Any) -> None:
        """Update the layout (nested dicts are merged)."""
        _deep_update(self.layout, props)

    def figure(self) -> go.Figure:
        """The plotly figure (built once, without re-validating every property)."""
        return go.Figure(data=self.data, layout=self.layout, _validate=False)
