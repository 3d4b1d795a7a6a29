"""One look for every LIF Lab chart: palette, fonts, axes, and point budgets.

The palette is Okabe & Ito (2008), safe for the common colour-vision
deficiencies. Each quantity has one colour on every page (the membrane
potential is always ``COLORS["V"]``). Backgrounds are transparent so the
charts follow Streamlit's light or dark theme; text colour is left to the theme.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from numpy.typing import ArrayLike

__all__ = [
    "COLORS",
    "DASH_THEORY",
    "DECIMALS",
    "HALF_POINTS",
    "LABEL_FONT",
    "LEGEND_FONT",
    "MAX_POINTS",
    "TICK_FONT",
    "TITLE_FONT",
    "downsample",
    "even_indices",
    "lecture_fonts",
    "new_figure",
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

#: Dash style of closed-form (theory) curves; simulated curves are solid.
DASH_THEORY = "dash"

#: No trace sends more points than a wide chart has pixels.
MAX_POINTS = 1500

#: Point budget of a smooth trace in a half-width chart (two charts side by side, each
#: about 750 px wide): about one point per horizontal pixel.
HALF_POINTS = 800

#: Decimals kept in the arrays a chart draws, per display unit: 1 µs, 1 µV, 0.1 pA and
#: 0.1 µV/ms are far below a pixel, and the JSON sent to the browser prints short numbers.
DECIMALS: dict[str, int] = {"ms": 3, "mV": 3, "nA": 4, "mV/ms": 4}

FONT_SIZE = 18  # readable from the back of a lecture hall

#: Font sizes (px) of tick labels, axis titles, legend entries and text drawn in the
#: plot (annotations, labelled markers). Streamlit's chart theme sets 12-14 px on axes
#: and legend explicitly, which overrides ``layout.font``; these are set explicitly too.
TICK_FONT, TITLE_FONT, LEGEND_FONT, LABEL_FONT = 16, 18, 16, 16


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
    fig.update_layout(
        title=dict(text=title) if title else None,
        height=height,
        margin=dict(l=70, r=20, t=60 if title else 30, b=60),
        font=dict(size=FONT_SIZE),
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)",
        showlegend=legend,
        legend=dict(orientation="h", yanchor="bottom", y=1.02, xanchor="left", x=0),
        hovermode="x unified",
    )
    grid = "rgba(128,128,128,0.25)"
    fig.update_xaxes(title_text=x_title, gridcolor=grid, zerolinecolor=grid)
    fig.update_yaxes(title_text=y_title, gridcolor=grid, zerolinecolor=grid)
    return lecture_fonts(fig)


def downsample(x: np.ndarray, y: np.ndarray, max_points: int = MAX_POINTS):
    """Reduce a trace to at most ``max_points`` points, keeping its extremes.

    Each bucket of consecutive samples contributes its minimum and its maximum
    (in time order), so spikes and resets survive the reduction.

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
    block = y[idx]
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
