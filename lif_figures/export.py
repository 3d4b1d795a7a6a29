"""What an exported chart says about itself: the caption of its PNG and the header of its CSV.

A chart exported for a slide or a homework sheet must carry the values it was drawn with.
:func:`caption_lines` writes them as a few lines of text: the page and the chart, the
neuron's parameters, the page's own settings, each with its unit. The chart element
(``lab_chart.js``) prints them under the chart's image and, each line prefixed with ``#``,
above the chart's data in the CSV (whose column headers are the axis titles, with units).

Nothing here imports streamlit; :mod:`lab.export` collects the values of a page.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["caption_lines", "setting_text"]


def setting_text(label: str, value: str) -> str:
    """``"label = value"``, with true minus signs in the value (``"E_L = −65 mV"``)."""
    return f"{label} = {value.replace('-', '−')}"


def _group(title: str, items: Sequence[tuple[str, str]]) -> list[str]:
    if not items:
        return []
    return [f"{title}: " + "; ".join(setting_text(label, value) for label, value in items) + "."]


def caption_lines(
    page: str,
    chart: str,
    neuron: Sequence[tuple[str, str]] = (),
    settings: Sequence[tuple[str, str]] = (),
) -> list[str]:
    """The caption of an exported chart: what it shows and every value it was drawn with.

    Parameters
    ----------
    page : str
        The page's title, e.g. ``"4 · Refractory period and the f–I curve"``.
    chart : str
        What the chart shows (its text alternative).
    neuron : sequence of (label, value)
        The sidebar neuron, e.g. ``[("R", "10 MΩ"), ("C", "1.00 nF")]``; empty on a page
        that does not use it.
    settings : sequence of (label, value)
        The page's own sliders and choices, e.g. ``[("Pulse amplitude I", "1.0 nA")]``.

    Returns
    -------
    list of str
        ``"LIF Lab · <page>: <chart>"``, then one line for the neuron and one for the
        settings (if any); the image wraps them to its width.
    """
    return [f"LIF Lab · {page}: {chart}", *_group("Neuron", neuron), *_group("Settings", settings)]
