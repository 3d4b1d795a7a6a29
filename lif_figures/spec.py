"""Fast figure assembly shared by every LIF Lab chart: plain dicts, one figure at the end.

Building plotly figures trace by trace (``go.Scatter``, ``fig.update_layout``,
``add_hline``, ``make_subplots``...) validates every property and costs 30-250 ms
per chart, more than the rest of a rerun. A builder instead collects traces,
shapes and annotations as plain dicts in a :class:`FigureSpec` and creates one
:class:`SpecFigure` at the end, with validation off; the tests validate every
figure once (``go.Figure(fig.to_dict())``). The layout is the one of
:func:`lif_figures.style.new_figure`, computed once per signature.

Nothing here imports streamlit.
"""

from __future__ import annotations

import copy
import fnmatch
import functools
import re
from collections.abc import Sequence
from typing import Any

import numpy as np
import plotly.graph_objects as go

from lif_figures.style import (
    HALF_WIDTH,
    PRESENTER_FONTS,
    PRESENTER_LINE_SCALE,
    THEMES,
    legend_top_margin,
    new_figure,
    readable,
)

__all__ = [
    "PIN_DASHES",
    "FigureSpec",
    "SpecFigure",
    "data_range",
    "display_figure",
    "markers",
    "ranges_fixed",
    "scatter",
    "with_pins",
]


@functools.lru_cache(maxsize=32)
def _style_layout(
    x_title: str, y_title: str, title: str | None, height: int, legend: bool
) -> dict[str, Any]:
    fig = new_figure(x_title, y_title, title=title, height=height, legend=legend)
    # No template (see :func:`display_figure`), and no empty dicts (``title`` without a title): a
    # validated figure drops them too.
    return {k: v for k, v in fig.layout.to_plotly_json().items() if v != {} and k != "template"}


def _deep_update(target: dict[str, Any], changes: dict[str, Any]) -> None:
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            _deep_update(target[key], value)
        else:
            target[key] = value


def scatter(**props: Any) -> dict[str, Any]:
    """A scatter trace as a plain dict (``type="scatter"``)."""
    return {"type": "scatter", **props}


def markers(x: Sequence[float], y: Sequence[float], **props: Any) -> dict[str, Any]:
    """A scatter trace of markers only (``mode="markers"`` unless ``props`` says otherwise)."""
    return scatter(x=x, y=y, **{"mode": "markers", **props})


#: Annotation anchors of a labelled horizontal line, as ``plotly`` ``add_hline`` places them:
#: position -> (x in the x domain, xanchor, yanchor).
_HLINE_LABEL = {
    "top left": (0, "left", "bottom"),
    "top right": (1, "right", "bottom"),
    "top": (0.5, "center", "bottom"),
    "bottom left": (0, "left", "top"),
    "bottom right": (1, "right", "top"),
    "bottom": (0.5, "center", "top"),
    "left": (0, "right", "middle"),
    "right": (1, "left", "middle"),
}

#: Annotation anchors of a labelled vertical line, as ``plotly`` ``add_vline`` places them:
#: position -> (y in the y domain, xanchor, yanchor).
_VLINE_LABEL = {
    "top left": (1, "right", "top"),
    "top right": (1, "left", "top"),
    "top": (1, "center", "bottom"),
    "bottom left": (0, "right", "bottom"),
    "bottom right": (0, "left", "bottom"),
    "bottom": (0, "center", "top"),
    "left": (0.5, "right", "middle"),
    "right": (0.5, "left", "middle"),
}


#: Layout keys of the extra axes of a multi-row chart.
_SUBPLOT_AXIS = re.compile(r"^[xy]axis[0-9]+$")

#: Layout keys of all cartesian axes.
_AXIS = re.compile(r"^[xy]axis[0-9]*$")


class SpecFigure(go.Figure):
    """A ``go.Figure`` that reads its traces and layout from plain dicts. Read-only.

    Builders' figures are cached and shared between sessions
    (``st.cache_resource``), so they must never be modified after they are
    built: no ``update_layout``, ``add_trace`` and the like on them.

    Reading works as on any figure (``fig.data[0].x``,
    ``fig.layout.xaxis.title.text``, ``fig.layout.shapes``...): plotly's
    objects read their properties from the figure's dicts on access.
    :meth:`to_dict` returns those dicts themselves, without the deep copy of
    :meth:`plotly.graph_objects.Figure.to_dict` (``plotly.io.to_json`` calls it
    on every rerun), and leaves numpy arrays as they are instead of
    encoding them as base64 typed arrays: ``plotly.io.to_json`` then writes the
    (rounded) numbers as short decimals.
    """

    @classmethod
    def from_dicts(cls, data: list[dict[str, Any]], layout: dict[str, Any]) -> SpecFigure:
        """A figure on ``data`` and ``layout``, taken over as they are (no copy, no validation).

        Plotly builds an object for every nested property of a figure it is
        given, even without validation (about 0.5 ms per axis). Here it builds
        only a skeleton (one bare trace per trace, the subplot axes, the empty
        template) and the figure then reads the given dicts, which must hold
        exactly what ``plotly.graph_objects.Figure`` would store: nested dicts,
        no ``line_width``-style shorthands, no empty dicts (the tests check
        this against a validated copy).

        Parameters
        ----------
        data : list of dict
            Traces (e.g. from :func:`scatter`), each with its ``type``.
        layout : dict
            Layout; subplot axes other than ``xaxis`` / ``yaxis`` are
            ``xaxis2``, ``yaxis3``...
        """
        skeleton_data = [{"type": trace["type"]} for trace in data]
        skeleton_layout: dict[str, Any] = {k: {} for k in layout if _SUBPLOT_AXIS.match(k)}
        skeleton_layout["template"] = "none"  # LIF Lab's charts have none (see display_figure)
        fig = cls(data=skeleton_data, layout=skeleton_layout, _validate=False)
        fig._data = list(data)
        fig._layout = layout
        return fig

    def to_dict(self) -> dict[str, Any]:
        """``{"data": [...], "layout": {...}}``: the figure's own dicts, not copies (read-only).

        Returns
        -------
        dict
            A new top-level dict whose ``data`` list and ``layout`` dict are
            the figure's storage; callers must not modify them.
        """
        return {"data": self._data, "layout": self._layout}


class FigureSpec:
    """Traces, shapes and annotations of one chart as dicts, turned into a figure at the end.

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
        width: int = HALF_WIDTH,
    ) -> None:
        self.width = width  # px the chart is laid out for (room for its legend)
        self.has_title = title is not None

        self.layout = copy.deepcopy(_style_layout(x_title, y_title, title, height, legend))
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

    @staticmethod
    def _ref(kind: str, row: int) -> str:
        return kind if row == 1 else f"{kind}{row}"

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
        """Label a point of the chart directly (instead of a legend entry).

        ``x`` and ``y`` are in data units of row ``row`` unless ``props`` sets
        ``xref`` / ``yref``; further ``props`` (``showarrow``, ``ax``, ``font``...)
        go into the annotation as they are.
        """
        note = dict(
            x=x,
            y=y,
            text=text,
            showarrow=False,
            xref=self._ref("x", row),
            yref=self._ref("y", row),
        )
        note.update(props)
        self.layout.setdefault("annotations", []).append(note)

    def shape(self, **props: Any) -> None:
        """Add a layout shape (a dict of plotly ``layout.shapes`` properties)."""
        self.layout.setdefault("shapes", []).append(props)

    def hline(
        self,
        y: float,
        *,
        row: int = 1,
        label: str | None = None,
        label_position: str = "top right",
        **props: Any,
    ) -> None:
        """A horizontal line at ``y`` across the whole plot width (like ``fig.add_hline``).

        Parameters
        ----------
        y : float
            Height of the line, in data units of row ``row``.
        row : int
            Row of a multi-row chart.
        label : str, optional
            Text written at the line, placed as ``add_hline`` places its
            ``annotation_text`` for ``label_position``.
        label_position : str
            ``"top right"``, ``"bottom right"``, ``"top left"``... (as in plotly).
        **props
            Shape properties, e.g. ``line=dict(color=..., width=..., dash=...)``.
        """
        x_domain = f"{self._ref('x', row)} domain"
        yref = self._ref("y", row)
        self.shape(type="line", x0=0, x1=1, xref=x_domain, y0=y, y1=y, yref=yref, **props)
        if label is not None:
            x, xanchor, yanchor = _HLINE_LABEL[label_position]
            self.annotate(x, y, label, xref=x_domain, yref=yref, xanchor=xanchor, yanchor=yanchor)

    def vline(
        self,
        x: float,
        *,
        row: int = 1,
        label: str | None = None,
        label_position: str = "top right",
        **props: Any,
    ) -> None:
        """A vertical line at ``x`` across the whole plot height (like ``fig.add_vline``).

        Parameters
        ----------
        x : float
            Position of the line, in data units of row ``row``.
        row : int
            Row of a multi-row chart.
        label : str, optional
            Text written at the line, placed as ``add_vline`` places its
            ``annotation_text`` for ``label_position``.
        label_position : str
            ``"top right"``, ``"top left"``, ``"bottom right"``... (as in plotly).
        **props
            Shape properties, e.g. ``line=dict(color=..., width=..., dash=...)``.
        """
        xref = self._ref("x", row)
        y_domain = f"{self._ref('y', row)} domain"
        self.shape(type="line", x0=x, x1=x, xref=xref, y0=0, y1=1, yref=y_domain, **props)
        if label is not None:
            y, xanchor, yanchor = _VLINE_LABEL[label_position]
            self.annotate(x, y, label, xref=xref, yref=y_domain, xanchor=xanchor, yanchor=yanchor)

    def vrect(self, x0: float, x1: float, *, row: int = 1, **props: Any) -> None:
        """A band from ``x0`` to ``x1`` over the whole plot height (like ``fig.add_vrect``).

        ``props`` are shape properties (``fillcolor``, ``opacity``, ``line``,
        and ``name`` with ``showlegend=True`` for a legend entry).
        """
        self.shape(
            type="rect",
            x0=x0,
            x1=x1,
            xref=self._ref("x", row),
            y0=0,
            y1=1,
            yref=f"{self._ref('y', row)} domain",
            **props,
        )

    def update(self, **props: Any) -> None:
        """Update the layout (nested dicts are merged)."""
        _deep_update(self.layout, props)

    def figure(self) -> SpecFigure:
        """The plotly figure (read-only), built without validating every property again.

        The figure takes over this spec's dicts: call it last. A horizontal legend above
        the plot gets its room in the top margin (:func:`~lif_figures.style.legend_top_margin`).
        """
        self._flow_legend()
        self._reserve_legend_room()
        self._fix_ranges()
        return SpecFigure.from_dicts(self.data, self.layout)

    def _flow_legend(self) -> None:
        """Give each legend entry without a legend group a group of its own.

        plotly.js lays out a horizontal legend that does not fit in one row as a grid whose
        columns are as wide as its longest entry (one long entry: one entry per row), but
        lets legend groups flow, each as wide as its own entries: fewer rows, more plot.
        """
        for k, trace in enumerate(self.data):
            if trace.get("name") and trace.get("showlegend", True) is not False:
                trace.setdefault("legendgroup", f"~{k}")
        for k, shape in enumerate(self.layout.get("shapes", [])):
            if shape.get("showlegend") and shape.get("name"):
                shape.setdefault("legendgroup", f"~s{k}")

    def _fix_ranges(self) -> None:
        """Give every autoranged axis the range plotly's autorange would give line traces.

        See :func:`data_range`. With every range fixed, the browser does not autorange the
        axes each time the chart is updated, and the chart's ranges are known (and tested)
        on the server. The axes ranged this way are listed in ``layout.meta.autorange``:
        the live preview (``lab_preview.js``) ranges them the same way.
        """
        for key in [k for k in self.layout if _AXIS.match(k)]:
            axis = self.layout[key]
            if "range" in axis or "matches" in axis or axis.get("type") in ("log", "category"):
                continue
            rng = data_range(self.data, self.layout, key)
            if rng is None:
                continue
            axis["range"] = rng
            self.layout.setdefault("meta", {}).setdefault("autorange", []).append(key)

    def _legend_entries(self) -> list[tuple[str, str | None]]:
        entries = [
            (str(t["name"]), t.get("legendgroup"))
            for t in self.data
            if t.get("name") and t.get("showlegend", True) is not False
        ]
        entries += [
            (str(sh["name"]), sh.get("legendgroup"))
            for sh in self.layout.get("shapes", [])
            if sh.get("showlegend") and sh.get("name")
        ]
        return entries

    def _reserve_legend_room(self) -> None:
        legend = self.layout.get("legend", {})
        if not self.layout.get("showlegend", True) or legend.get("orientation") != "h":
            return
        y = legend.get("y", 1.02)
        if legend.get("yanchor") != "bottom" or y < 1.0 or legend.get("traceorder"):
            return
        margin = self.layout.setdefault("margin", {})
        plot_width = self.width - margin.get("l", 80) - margin.get("r", 80)
        plot_height = self.layout.get("height", 450) - margin.get("t", 100) - margin.get("b", 80)
        need = legend_top_margin(
            self._legend_entries(), plot_width, plot_height, y=y, title=self.has_title
        )
        margin["t"] = max(margin.get("t", 0), need)


def _extent(data: list[dict[str, Any]], layout: dict[str, Any], axis: str):
    """Smallest and largest value drawn on ``axis`` ("x", "y2"...): traces and shapes.

    None if nothing numeric is drawn on it (no data, or text: a category axis).
    """
    letter = axis[0]
    values: list[np.ndarray] = []
    for trace in data:
        if trace.get(f"{letter}axis", letter) == axis and trace.get(letter) is not None:
            try:
                values.append(np.asarray(trace[letter], dtype=float).ravel())
            except (TypeError, ValueError):
                return None  # text: plotly makes it a category axis and ranges it
            if trace.get("fill") == f"tozero{letter}":
                values.append(np.zeros(1))
    for shape in layout.get("shapes", []):
        if shape.get(f"{letter}ref", letter) == axis and f"{letter}0" in shape:
            values.append(np.array([shape[f"{letter}0"], shape[f"{letter}1"]], dtype=float))
    finite = [v[np.isfinite(v)] for v in values]
    finite = [v for v in finite if v.size]
    if not finite:
        return None
    return float(min(v.min() for v in finite)), float(max(v.max() for v in finite))


def data_range(data: list[dict[str, Any]], layout: dict[str, Any], key: str) -> list[float] | None:
    """The range plotly's autorange gives line traces on axis ``key`` ("yaxis2"...).

    x: the data's extent (traces and shapes, and the axes that match this one); y: the
    extent padded by 1/18 of the span on each side (plotly pads line traces by 5 % of the
    axis length). None if nothing numeric is drawn on the axis.
    """
    axis_id = key[0] + key[5:]
    matched = [k for k in layout if _AXIS.match(k) and layout[k].get("matches") == axis_id]
    extents = [e for e in (_extent(data, layout, a[0] + a[5:]) for a in [key, *matched]) if e]
    if not extents:
        return None
    lo, hi = min(e[0] for e in extents), max(e[1] for e in extents)
    span = hi - lo
    if key[0] == "y" or span == 0:
        pad = span / 18 if span > 0 else max(abs(lo) * 0.05, 1.0)
        lo, hi = lo - pad, hi + pad
    return [lo, hi]


#: Dash of the pinned curves, pin by pin (the current curves keep their own styles).
PIN_DASHES = ("dot", "dashdot", "longdash")


def with_pins(fig: Any, pinned: Sequence[tuple[str, Any]], traces: Sequence[str]) -> SpecFigure:
    """``fig`` with the traces ``traces`` of each pinned figure drawn faded under its own.

    Parameters
    ----------
    fig : plotly.graph_objects.Figure
        The chart now (not modified).
    pinned : sequence of (str, Figure)
        A label ("pin 1: R = 20 MΩ") and the chart as it was pinned, for each pin.
    traces : sequence of str
        Names of the traces to keep from each pinned chart, or shell-style patterns for
        labels that carry a value (``"theory, t_ref = * ms"``, :func:`fnmatch.fnmatchcase`).
        The first one named carries the pin's legend entry.

    Returns
    -------
    SpecFigure
        A new figure: the pinned traces first (drawn under the current ones), in their own
        colour, faded, dotted (a different dash per pin), one legend entry per pin; the
        axes ranged from the data are ranged again with the pinned curves in view.
    """
    spec = fig.to_dict()
    data = list(spec["data"])
    layout = {k: (dict(v) if isinstance(v, dict) else v) for k, v in spec["layout"].items()}
    added = []
    for k, (label, pinned_fig) in enumerate(pinned):
        first = True
        source = pinned_fig.to_dict()["data"]
        # in the order of ``traces``: the first one named carries the pin's legend entry
        kept = [t for name in traces for t in source if _pinned_name(str(t.get("name")), name)]
        for trace in kept:
            copy_ = {
                **trace,
                "name": label if first else f"{label} · {trace['name']}",
                "legendgroup": f"pin {k + 1}",
                "showlegend": first,
                "opacity": 0.45,
                "hoverinfo": "name",
            }
            copy_["line"] = {**trace.get("line", {}), "dash": PIN_DASHES[k % len(PIN_DASHES)]}
            added.append(copy_)
            first = False
    data = added + data
    for key in layout.get("meta", {}).get("autorange", []):
        rng = data_range(data, layout, key)
        if rng is not None:
            layout[key] = {**layout[key], "range": rng}
    return SpecFigure.from_dicts(data, layout)


def _pinned_name(name: str, pattern: str) -> bool:
    """Whether ``name`` is ``pattern`` (a trace name, or a shell-style pattern)."""
    return name == pattern or fnmatch.fnmatchcase(name, pattern)


def ranges_fixed(layout: dict[str, Any]) -> bool:
    """Whether every axis of ``layout`` has an explicit ``range`` (or matches one that has).

    Such a chart needs no autorange in the browser.
    """
    axes = {k: v for k, v in layout.items() if _AXIS.match(k)}

    def fixed(name: str, seen: frozenset[str]) -> bool:
        axis = axes.get(name, {})
        if "range" in axis and axis.get("autorange") is not True:
            return True
        target = axis.get("matches")
        if not target or name in seen:
            return False
        return fixed(f"{target[0]}axis{target[1:]}", seen | {name})

    return bool(axes) and all(fixed(name, frozenset()) for name in axes)


def _readable_texts(
    data: list[dict[str, Any]], layout: dict[str, Any], background: str
) -> list[dict[str, Any]]:
    """Text drawn in a colour of its own (labels in a curve's colour) made readable on
    ``background``: annotations (over their own tint, if any) and trace text. Returns the
    traces, copied where changed; ``layout["annotations"]`` is replaced by a copy."""
    notes = layout.get("annotations")
    if notes:
        fixed = []
        for note in notes:
            color = (note.get("font") or {}).get("color")
            if color:
                shade = readable(color, note.get("bgcolor") or background, background)
                if shade != color:
                    note = {**note, "font": {**note["font"], "color": shade}}
            fixed.append(note)
        layout["annotations"] = fixed
    out = []
    for trace in data:
        color = (trace.get("textfont") or {}).get("color")
        if color and isinstance(color, str) and "text" in str(trace.get("mode", "")):
            shade = readable(color, background)
            if shade != color:
                trace = {**trace, "textfont": {**trace["textfont"], "color": shade}}
        out.append(trace)
    return out


def _at_least(font: dict[str, Any] | None, size: int) -> dict[str, Any]:
    font = dict(font or {})
    font["size"] = max(font.get("size") or 0, size)
    return font


def _for_presenter(data: list[dict[str, Any]], layout: dict[str, Any]) -> list[dict[str, Any]]:
    """Presenter mode: chart text at least :data:`~lif_figures.style.PRESENTER_FONTS`, lines
    :data:`~lif_figures.style.PRESENTER_LINE_SCALE` times thicker. ``layout`` is changed in
    place (it must be a copy); the traces are copied."""
    sizes = PRESENTER_FONTS
    for key in [k for k in layout if _AXIS.match(k)]:
        axis = dict(layout[key])
        axis["tickfont"] = _at_least(axis.get("tickfont"), sizes["tick"])
        title = dict(axis.get("title") or {})
        title["font"] = _at_least(title.get("font"), sizes["title"])
        axis["title"] = title
        layout[key] = axis
    legend = dict(layout.get("legend") or {})
    legend["font"] = _at_least(legend.get("font"), sizes["legend"])
    layout["legend"] = legend
    hover = dict(layout.get("hoverlabel") or {})
    hover["font"] = _at_least(hover.get("font"), sizes["legend"])
    layout["hoverlabel"] = hover
    layout["font"] = _at_least(layout.get("font"), sizes["label"])
    if layout.get("annotations"):
        layout["annotations"] = [
            {**a, "font": _at_least(a.get("font"), sizes["label"])} for a in layout["annotations"]
        ]
    if layout.get("shapes"):
        layout["shapes"] = [
            {**sh, "line": {**sh["line"], "width": sh["line"]["width"] * PRESENTER_LINE_SCALE}}
            if isinstance(sh.get("line"), dict) and sh["line"].get("width")
            else sh
            for sh in layout["shapes"]
        ]
    out = []
    for trace in data:
        if trace.get("type") != "scatter":
            out.append(trace)
            continue
        trace = dict(trace)
        line = trace.get("line")
        if isinstance(line, dict) and isinstance(line.get("width"), int | float):
            trace["line"] = {**line, "width": line["width"] * PRESENTER_LINE_SCALE}
        elif "lines" in str(trace.get("mode", "lines")):
            # plotly draws a line without a width 2 px wide
            trace["line"] = {**(line or {}), "width": 2 * PRESENTER_LINE_SCALE}
        if "text" in str(trace.get("mode", "")):
            trace["textfont"] = _at_least(trace.get("textfont"), sizes["label"])
        out.append(trace)
    return out


def display_figure(
    fig: go.Figure, theme: str | None = None, *, presenting: bool = False
) -> SpecFigure:
    """``fig`` as LIF Lab shows it: coloured for Streamlit's ``theme``, without a template.

    Parameters
    ----------
    fig : plotly.graph_objects.Figure
        A builder's figure. It is not modified: the result shares its traces and the
        unchanged parts of its layout.
    theme : {"light", "dark"} or None
        The page's theme type (``st.context.theme.type``); None means light.
    presenting : bool
        Presenter mode: text of at least 18 px and thicker lines (``_for_presenter``).

    Returns
    -------
    SpecFigure
        The figure with the theme's text, legend, title and hover-label colours
        (:data:`lif_figures.style.THEMES`) and no template. Text in a colour of its own (a
        label in its curve's colour) is darkened (light theme) or lightened (dark theme)
        where needed to reach a contrast of 4.5:1 (WCAG AA) with the page.

    Notes
    -----
    The colours are applied here, on the server, rather than by a plotly template in
    the browser (Streamlit's chart theme adds one to every chart): plotly.js redraws a
    chart from scratch whenever it is given a new template object, so a template would
    make every update of a chart a full redraw.
    """
    colors = THEMES.get(theme or "light", THEMES["light"])
    spec = fig.to_dict()
    layout = {k: v for k, v in spec["layout"].items() if k != "template"}
    layout["font"] = {**layout.get("font", {}), "color": colors["text"]}
    legend = layout.get("legend", {})
    layout["legend"] = {**legend, "font": {**legend.get("font", {}), "color": colors["legend"]}}
    hover = layout.get("hoverlabel", {})
    layout["hoverlabel"] = {
        **hover,
        "bgcolor": colors["hover_bg"],
        "bordercolor": colors["hover_border"],
        "font": {**hover.get("font", {}), "color": colors["text"]},
    }
    if "title" in layout:
        title = layout["title"]
        layout["title"] = {**title, "font": {**title.get("font", {}), "color": colors["title"]}}
    layout["colorway"] = colors["colorway"]
    data = _readable_texts(spec["data"], layout, colors["background"])
    if presenting:
        data = _for_presenter(data, layout)
    return SpecFigure.from_dicts(data, layout)
