"""LIF Lab's Streamlit layer, split by concern (pages import the facade :mod:`lab_ui`).

- :mod:`lab.links`: URL-bound values, link notices, values kept over page switches;
- :mod:`lab.neuron`: the sidebar's neuron sliders (ranges, units, defaults);
- :mod:`lab.nav`: the story's pages and the links between them;
- :mod:`lab.sidebar`: :func:`~lab.sidebar.page_setup`, the frame of every page;
- :mod:`lab.widgets`: page sliders and other inputs, readouts and charts;
- :mod:`lab.questions`: "what to notice" boxes and predict-then-reveal questions.

Streamlit is imported only here, in :mod:`lab_ui`, :mod:`lab_cache`, :mod:`lab_chart`
and the pages.
"""
