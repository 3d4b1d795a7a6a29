"""Reading LIF Lab's charts out of an AppTest run (shared by conftest and the page tests)."""

from __future__ import annotations

import json
from typing import Any

from streamlit.testing.v1 import AppTest


def charts(at: AppTest) -> list[dict[str, Any]]:
    """The data of every chart of a run (:func:`lab_chart.plotly_chart`), in page order.

    Each is ``{"figure": {"data": ..., "layout": ...}, "config": {...}, "alt": ..., "key": ...}``.
    AppTest has no class for custom components: ``at.get("bidi_component")`` returns
    ``UnknownElement`` objects whose ``proto.bytes`` is the chart's JSON.
    """
    return [
        json.loads(el.proto.bytes)
        for el in at.get("bidi_component")
        if el.proto.component_name == "lif_lab_chart"
    ]
