"""Baseline for the latency and load benchmarks: one slider, one chart, nothing else.

This is the floor any Streamlit page pays: a slider key press, a script rerun, a
websocket round trip and one plotly redraw. ``benchmarks/latency.py`` measures LIF Lab's
pages against it in the same run, so machine speed cancels out of the comparison.

Run alone with ``streamlit run benchmarks/baseline_app.py``.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import streamlit as st

N_POINTS = 1500  # the same point budget as LIF Lab's time traces (lif_figures.style.MAX_POINTS)

amplitude = st.slider("amplitude", min_value=0.0, max_value=10.0, value=5.0, step=0.1, key="amp")
t = np.linspace(0.0, 1.0, N_POINTS)
fig = go.Figure(go.Scatter(x=t, y=amplitude * np.sin(2 * np.pi * 5 * t), mode="lines"))
fig.update_layout(height=380, margin=dict(l=60, r=20, t=30, b=50))
st.plotly_chart(fig)
