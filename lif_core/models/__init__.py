"""Richer neuron models beside the LIF (numpy only, SI units), for chapter 7.

- :mod:`lif_core.models.hh`: the Hodgkin–Huxley (1952) squid axon membrane.
- :mod:`lif_core.models.adex`: the adaptive exponential integrate-and-fire model
  (Brette & Gerstner 2005) with the firing-pattern presets of *Neuronal Dynamics*.
- :mod:`lif_core.models.compartments`: a passive soma + dendrite neuron.

The LIF engine (:mod:`lif_core.simulation`) is untouched by them.
"""
