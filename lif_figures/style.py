"""One look for every LIF Lab chart: palette, fonts, axes, and point budgets.

The palette is Okabe & Ito (2008), safe for the common colour-vision
deficiencies. Each quantity has one colour on every page (the membrane
potential is always ``COLORS["V"]``). Backgrounds are transparent; the text
colours of Streamlit's light and dark chart themes are in :data:`THEMES` and
:func:`lif_figures.spec.display_figure` applies one of them when a chart is shown.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import plotly.graph_objects as go
from numpy.typing import ArrayLike

__all__ = [
    "COLORS",
    "DASH_THEORY",
    "DECIMALS",
    "FONT_FAMILY",
    "FULL_WIDTH",
    "HALF_POINTS",
    "HALF_WIDTH",
    "LABEL_FONT",
    "LEGEND_FONT",
    "MARGIN_B",
    "MARGIN_L",
    "MARGIN_R",
    "MARGIN_T",
    "MAX_POINTS",
    "MIN_CONTRAST",
    "PRESENTER_FONTS",
    "PRESENTER_LINE_SCALE",
    "THEMES",
    "TICK_FONT",
    "TITLE_FONT",
    "contrast_ratio",
    "downsample",
    "even_indices",
    "lecture_fonts",
    "legend_height",
    "legend_top_margin",
    "new_figure",
    "readable",
    "rounded",
]

OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "grey": "#999999",
}

#: Colour of each quantity, the same on every page.
COLORS: dict[str, str] = {
    "V": OKABE_ITO["blue"],  # membrane potential
    "theory": OKABE_ITO["orange"],  # closed-form curves (drawn dashed)
    "I": OKABE_ITO["grey"],  # injected current
    "I_R": OKABE_ITO["green"],  # leak (resistor) current
    "I_C": OKABE_ITO["purple"],  # capacitive current
    "exc": OKABE_ITO["vermillion"],  # excitatory synapse
    "inh": OKABE_ITO["sky_blue"],  # inhibitory synapse
    "threshold": OKABE_ITO["vermillion"],
    "reset": OKABE_ITO["grey"],
    "spike": OKABE_ITO["blue"],
    "marker": OKABE_ITO["orange"],
    "alt": OKABE_ITO["green"],  # a second simulated condition
}

#: Streamlit's body font: chart text matches the page (the legend widths below were
#: measured in it).
FONT_FAMILY = '"Source Sans", sans-serif'

#: Colours of chart text, hover labels and default trace colours in Streamlit's light and
#: dark themes, as Streamlit's own plotly theme sets them (read from the page in Streamlit
#: 1.67). LIF Lab's charts carry no plotly template; these are applied on the server
#: (:func:`lif_figures.spec.display_figure`), because plotly.js redraws a chart from
#: scratch whenever it gets a new template object.
THEMES: dict[str, dict[str, Any]] = {
    "light": {
        # Streamlit's own light chart text (#808495) has 3.7:1 contrast on white; this one
        # 5.6:1 (WCAG AA asks 4.5:1). The background is the page's, under the transparent chart.
        "text": "#646775",
        "background": "#ffffff",
        "legend": "#262730",
        "title": "#2F2D2B",
        "hover_bg": "#FFFFFF",
        "hover_border": "#DCD8D4",
        "colorway": ["#0068c9", "#83c9ff", "#ff2b2b", "#ffabab", "#29b09d", "#7defa1"],
    },
    "dark": {
        "text": "#e6eaf1",
        "background": "#0e1117",
        "legend": "#fafafa",
        "title": "#EDEBE8",
        "hover_bg": "#171614",
        "hover_border": "#4A4742",
        "colorway": ["#83c9ff", "#0068c9", "#ffabab", "#ff2b2b", "#7defa1", "#29b09d"],
    },
}

#: Dash style of closed-form (theory) curves; simulated curves are solid.
DASH_THEORY = "dash"

#: Width (px) of a chart that fills half / all of the page's width in a 1600 px wide
#: browser window with the sidebar open (measured in Chromium). Charts reserve room for
#: their legend at these widths (:func:`legend_top_margin`).
HALF_WIDTH, FULL_WIDTH = 554, 1140

#: Plotly's horizontal legend at LEGEND_FONT (px): height of an entry, symbol area before
#: the text (itemwidth 30 + 2 itemGap), gap between entries and between rows of groups
#: (``legend.tracegroupgap``).
_ENTRY_HEIGHT, _ENTRY_SYMBOL, _ENTRY_GAP, _GROUP_GAP = 24, 40, 5, 2

#: Widths (px) of characters in the legend font (Source Sans, 16 px), fitted to the widths
#: of 46 legend entries measured in Chromium (within ±6 px per entry).
_NARROW, _WIDE = set("iljtfr.,:;'()|!I []-_/·"), set("mwMW")
_CHAR_WIDTH = {"narrow": 4.9, "wide": 10.0, "upper": 9.0, "digit": 7.0, "other": 8.2}


def _text_width(text: str) -> float:
    """Estimated width (px) of ``text`` in the legend font."""
    width = 0.0
    for c in text:
        if c in _NARROW:
            width += _CHAR_WIDTH["narrow"]
        elif c in _WIDE:
            width += _CHAR_WIDTH["wide"]
        elif c.isdigit():
            width += _CHAR_WIDTH["digit"]
        elif c.isupper():
            width += _CHAR_WIDTH["upper"]
        else:
            width += _CHAR_WIDTH["other"]
    return width


#: No trace sends more points than a wide chart has pixels.
MAX_POINTS = 1500

#: Point budget of a smooth trace in a half-width chart (two charts side by side, each
#: about 750 px wide): about one point per horizontal pixel.
HALF_POINTS = 800

#: Decimals kept in the arrays a chart draws, per display unit: 1 µs, 1 µV, 0.1 pA and
#: 0.1 µV/ms are far below a pixel, and the JSON sent to the browser prints short numbers.
DECIMALS: dict[str, int] = {"ms": 3, "mV": 3, "nA": 4, "mV/ms": 4}

FONT_SIZE = 18  # readable from the back of a lecture hall

#: Margins (px) around the plot: left holds the y tick labels and title, bottom the x tick
#: labels and title; the top holds half a tick label, plus the legend when there is one.
MARGIN_L, MARGIN_R, MARGIN_T, MARGIN_B = 72, 28, 18, 60

#: Font sizes (px) of tick labels, axis titles, legend entries and text drawn in the
#: plot (annotations, labelled markers). Streamlit's chart theme sets 12-14 px on axes
#: and legend explicitly, which overrides ``layout.font``; these are set explicitly too.
TICK_FONT, TITLE_FONT, LEGEND_FONT, LABEL_FONT = 16, 18, 16, 16


#: Presenter mode (a projector in a lecture hall): no chart text below 18 px, lines thicker.
PRESENTER_FONTS = {"tick": 18, "title": 20, "legend": 18, "label": 18}
PRESENTER_LINE_SCALE = 1.5

#: WCAG AA contrast for normal text.
MIN_CONTRAST = 4.5


def _rgba(color: str) -> tuple[float, float, float, float]:
    """``"#RRGGBB"``, ``"#RGB"``, ``"rgb(r, g, b)"`` or ``"rgba(r, g, b, a)"`` as numbers."""
    c = color.strip()
    if c.startswith("#"):
        h = c[1:]
        if len(h) == 3:
            h = "".join(2 * ch for ch in h)
        return (int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16), 1.0)
    inside = c[c.index("(") + 1 : c.rindex(")")]
    parts = [float(v) for v in inside.replace("/", ",").split(",") if v.strip()]
    return (parts[0], parts[1], parts[2], parts[3] if len(parts) > 3 else 1.0)


def _over(color: str, background: tuple[float, float, float]) -> tuple[float, float, float]:
    """``color`` drawn over an opaque ``background`` (alpha blended)."""
    r, g, b, a = _rgba(color)
    return tuple(a * c + (1 - a) * bg for c, bg in zip((r, g, b), background, strict=True))


def _luminance(rgb: Sequence[float]) -> float:
    def channel(v: float) -> float:
        v /= 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(foreground: str, background: str, under: str | None = None) -> float:
    """WCAG 2 contrast ratio of text in ``foreground`` on ``background`` (1 to 21).

    ``under`` is an opaque colour beneath a translucent ``background`` (a label's tint
    over the page).
    """
    base = _over(under, (255, 255, 255)) if under else (255.0, 255.0, 255.0)
    bg = _over(background, base)
    fg = _over(foreground, bg)
    lighter, darker = sorted((_luminance(fg), _luminance(bg)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def readable(color: str, background: str, under: str | None = None) -> str:
    """``color`` itself if text in it reaches :data:`MIN_CONTRAST` on ``background``, else the
    nearest shade of it (mixed towards black on a light background, white on a dark one)
    that does. Lines keep their colour; only text is adjusted.
    """
    if contrast_ratio(color, background, under) >= MIN_CONTRAST:
        return color
    base = _over(under, (255, 255, 255)) if under else (255.0, 255.0, 255.0)
    bg = _over(background, base)
    target = 0.0 if _luminance(bg) > 0.18 else 255.0
    r, g, b, _ = _rgba(color)
    shade = color
    for step in range(1, 21):
        t = step / 20
        mixed = [round(c + (target - c) * t) for c in (r, g, b)]
        shade = "#{:02x}{:02x}{:02x}".format(*mixed)
        if contrast_ratio(shade, background, under) >= MIN_CONTRAST:
            break
    return shade


def lecture_fonts(fig: go.Figure) -> go.Figure:
    """Set tick, axis-title, legend and hover font sizes on every axis of ``fig``.

    :func:`new_figure` already does this; call it again after adding axes
    (``make_subplots``). Returns ``fig``.
    """
    fig.update_xaxes(tickfont_size=TICK_FONT, title_font_size=TITLE_FONT)
    fig.update_yaxes(tickfont_size=TICK_FONT, title_font_size=TITLE_FONT)
    fig.update_layout(legend_font_size=LEGEND_FONT, hoverlabel_font_size=LEGEND_FONT)
    return fig


def new_figure(
    x_title: str,
    y_title: str,
    *,
    title: str | None = None,
    height: int = 380,
    legend: bool = True,
) -> go.Figure:
    """An empty figure with LIF Lab's layout: titled axes, large fonts, clear background.

    Tick labels, axis titles and legend get :data:`TICK_FONT`, :data:`TITLE_FONT`
    and :data:`LEGEND_FONT` explicitly (see :func:`lecture_fonts`).

    Parameters
    ----------
    x_title, y_title : str
        Axis titles, with the unit in parentheses, e.g. ``"time (ms)"``.
    title : str, optional
        Chart title.
    height : int
        Height in pixels.
    legend : bool
        Whether to show the legend (placed horizontally above the plot).
    """
    fig = go.Figure()
    # Besides LIF Lab's own choices, the layout repeats the theme-independent parts of
    # Streamlit's chart theme (left-aligned bold title, margin pad, no vertical grid,
    # title standoffs), so the charts look as they did with ``theme="streamlit"``.
    fig.update_layout(
        title=dict(text=title, x=0, xanchor="left", pad=dict(l=4), font=dict(size=16, weight=700))
        if title
        else None,
        height=height,
        # l and b hold the tick labels and axis titles at lecture font sizes: plotly does not
        # have to grow them (and redraw, see legend_top_margin); no more, so that the plot
        # keeps at least 65 % of the chart's height
        margin=dict(
            l=MARGIN_L, r=MARGIN_R, t=40 + MARGIN_T if title else MARGIN_T, b=MARGIN_B, pad=4
        ),
        font=dict(size=FONT_SIZE, family=FONT_FAMILY),
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)",
        showlegend=legend,
        # a horizontal legend above the plot; its entries flow (each in its own legend group,
        # see FigureSpec.figure) instead of a grid as wide as the longest entry
        legend=dict(
            orientation="h",
            yanchor="bottom",
            y=1.02,
            xanchor="left",
            x=0,
            valign="top",
            tracegroupgap=_GROUP_GAP,
        ),
        hovermode="x unified",
    )
    grid = "rgba(128,128,128,0.25)"
    both = dict(gridcolor=grid, zerolinecolor=grid, automargin=True)
    fig.update_xaxes(title_text=x_title, title_standoff=8, showgrid=False, zeroline=False, **both)
    fig.update_yaxes(title_text=y_title, title_standoff=10, showgrid=True, **both)
    return lecture_fonts(fig)


def legend_height(entries: Sequence[tuple[str, str | None]], plot_width: float) -> float:
    """Height (px) of plotly's horizontal legend with ``entries`` over ``plot_width`` px.

    Follows plotly.js's layout of horizontal legends: all entries in one row if they
    fit, otherwise a grid whose columns are as wide as the widest entry; with legend
    groups, each group is a column of entries and the groups wrap. Text widths are
    estimated from character classes (``_CHAR_WIDTH``).

    Parameters
    ----------
    entries : sequence of (name, legendgroup or None)
        The legend's entries in order.
    plot_width : float
        Width of the plotting area (px), the legend's maximum width.
    """
    if not entries:
        return 0.0
    widths = [_ENTRY_SYMBOL + _text_width(name) for name, _ in entries]
    pad = 2 * _ENTRY_GAP
    if any(group for _, group in entries):
        groups: dict[str, list[float]] = {}
        for k, ((_, group), width) in enumerate(zip(entries, widths, strict=True)):
            # an entry without a group is a group of its own (a key no group name takes)
            groups.setdefault(group if group else f"\x00{k}", []).append(width)
        rows, x, row_height = [], 0.0, 0.0
        for members in groups.values():
            column = max(members) + _ENTRY_GAP
            if x > 0 and x + column > plot_width:
                rows.append(row_height)
                x, row_height = 0.0, 0.0
            x += column
            row_height = max(row_height, _ENTRY_HEIGHT * len(members))
        rows.append(row_height)
        return sum(rows) + _GROUP_GAP * (len(rows) - 1) + pad
    if sum(widths) + _ENTRY_GAP * (len(widths) - 1) < plot_width:
        return _ENTRY_HEIGHT + pad
    column = max(widths) + _ENTRY_GAP
    per_row = max(1, math.floor((plot_width - max(widths)) / column) + 1)
    return _ENTRY_HEIGHT * -(-len(widths) // per_row) + pad


def legend_top_margin(
    entries: Sequence[tuple[str, str | None]],
    plot_width: float,
    plot_height: float,
    *,
    y: float = 1.02,
    title: bool = False,
) -> int:
    """Top margin (px) that holds a horizontal legend above the plot (and the title).

    Without it plotly grows the margin itself (``margin.autoexpand``) and draws the
    chart a second time in the browser on every update (~50-100 ms per chart on a
    2-core laptop). With the room reserved it draws once. In a narrower window than
    the one assumed the chart is still right: plotly then grows the margin.

    Parameters
    ----------
    entries : sequence of (name, legendgroup or None)
        Legend entries, see :func:`legend_height`.
    plot_width, plot_height : float
        Size of the plotting area (px).
    y : float
        The legend's bottom edge, in plot heights (``legend.y`` with ``yanchor="bottom"``).
    title : bool
        Whether the chart has a title above the legend.
    """
    height = legend_height(entries, plot_width)
    if not height:
        return MARGIN_T + (40 if title else 0)
    return math.ceil(height + max(0.0, y - 1.0) * plot_height + 12) + (30 if title else 0)


def downsample(x: np.ndarray, y: np.ndarray, max_points: int = MAX_POINTS):
    """Reduce a trace to at most ``max_points`` points, keeping its extremes.

    Each bucket of consecutive samples contributes its minimum and its maximum
    (in time order), so spikes and resets survive the reduction. Extremes are found on
    the values rounded to 6 decimals (1 nV on a mV axis): round-off of 1e-14 on a flat
    stretch does not decide which sample is kept (the first of equal ones is), so the
    browser's preview (``lif_engine.js``) keeps the same samples.

    Parameters
    ----------
    x, y : ndarray
        Abscissa and ordinate, same length.
    max_points : int
        Largest number of points returned (>= 4).

    Returns
    -------
    x_out, y_out : ndarray
        The reduced trace (the input itself if it is short enough).
    """
    x = np.asarray(x)
    y = np.asarray(y)
    n = len(y)
    if n <= max_points:
        return x, y
    n_buckets = max_points // 2
    edges = np.linspace(0, n, n_buckets + 1).astype(int)
    lengths = np.diff(edges)
    # pad each bucket to the same length so min/max are one vectorised call
    width = int(lengths.max())
    idx = edges[:-1, None] + np.minimum(np.arange(width)[None, :], lengths[:, None] - 1)
    block = np.round(y, 6)[idx]
    i_min = idx[np.arange(n_buckets), np.argmin(block, axis=1)]
    i_max = idx[np.arange(n_buckets), np.argmax(block, axis=1)]
    keep = np.sort(np.stack([i_min, i_max], axis=1), axis=1).ravel()
    keep = keep[np.concatenate(([True], np.diff(keep) > 0))]
    return x[keep], y[keep]


def even_indices(n: int, max_points: int, keep: ArrayLike = ()) -> np.ndarray:
    """Indices of at most ``max_points`` evenly spaced samples out of ``n``, for smooth traces.

    The first and last samples are always kept, and so are the samples
    ``keep`` (e.g. both sides of a switch, so a step or a kink stays sharp).
    Traces with spikes or resets need :func:`downsample` instead, which keeps
    every extreme.

    Parameters
    ----------
    n : int
        Number of samples.
    max_points : int
        Largest number of indices returned (> ``len(keep) + 2``).
    keep : array_like of int
        Indices that must be kept (clipped to ``[0, n - 1]``).

    Returns
    -------
    ndarray of int
        Sorted, unique indices (``arange(n)`` if ``n <= max_points``).
    """
    if n <= max_points:
        return np.arange(n)
    extra = np.unique(np.clip(np.asarray(keep, dtype=int), 0, n - 1))
    base = np.round(np.linspace(0, n - 1, max_points - extra.size)).astype(int)
    return np.union1d(base, extra)


def rounded(values: ArrayLike, unit: str) -> np.ndarray:
    """A float array in display unit ``unit``, rounded to :data:`DECIMALS` ``[unit]``.

    Returns a new C-contiguous float64 array (``nan`` stays ``nan``), which
    ``plotly.io.to_json`` writes as short decimals.
    """
    return np.round(np.asarray(values, dtype=float), DECIMALS[unit])
