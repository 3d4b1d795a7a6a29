"""lif_figures: plotly figure builders for LIF Lab (never imports streamlit).

One module per part of the story, all drawing with :mod:`lif_figures.style`:

- :mod:`lif_figures.circuit`: the equivalent circuit of the membrane (SVG).
- :mod:`lif_figures.membrane`: chapters 1-2, the passive RC membrane and its equilibrium.
- :mod:`lif_figures.spiking`: chapter 3, threshold, reset and spike trains.
- :mod:`lif_figures.firing`: chapter 4 and the f–I part of chapter 6.
- :mod:`lif_figures.synapses`: chapters 5-6, conductance synapses.

Builders take the records of :mod:`lif_core.analysis` (and :func:`lif_core.simulate`
results), convert them for display with :func:`lif_core.units.from_si`, and return
``go.Figure`` objects. They only draw: every number they show comes from a record.
"""
