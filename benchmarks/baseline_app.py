"""Baseline for the latency and load benchmarks: a slider and plain plotly charts, nothing else.

This is the floor any Streamlit page pays: a slider key press, a script rerun, a websocket
round trip and the plotly redraws (``st.plotly_chart``, Streamlit's own chart element).
``benchmarks/latency.py`` and ``benchmarks/live_drag.py`` measure LIF Lab's pages against it
in the same run, so machine speed cancels out of the comparison.

By default one chart of 1500 points. ``?points=800,800,1500`` draws one chart per number,
each a line of that many points: the same number of charts with the same point counts as a
chapter, for a like-for-like comparison.

Run alone with ``streamlit run benchmarks/baseline_app.py``.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import streamlit as st

N_POINTS = 1500  # the same point budget as LIF Lab's time traces (lif_figures.style.MAX_POINTS)


def _points() -> list[int]:
    raw = st.query_params.get("points")
    try:
        counts = [int(x) for x in raw.split(",")] if raw else [N_POINTS]
    except ValueError:
        counts = [N_POINTS]
    return [min(max(n, 2), 50_000) for n in counts][:12] or [N_POINTS]


amplitude = st.slider("amplitude", min_value=0.0, max_value=10.0, value=5.0, step=0.1, key="amp")
for i, n in enumerate(_points()):
    t = np.linspace(0.0, 1.0, n)
    fig = go.Figure(go.Scatter(x=t, y=amplitude * np.sin(2 * np.pi * (5 + i) * t), mode="lines"))
    fig.update_layout(height=380, margin=dict(l=60, r=20, t=30, b=50))
    st.plotly_chart(fig, key=f"chart{i}")
