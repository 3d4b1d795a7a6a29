"""The live previews reserve the legend's room as Python does.

A preview that renames a trace (a label carrying a slider's value) recomputes the top margin
that :meth:`lif_figures.spec.FigureSpec._reserve_legend_room` reserves; if the browser's
copy of the rule (``preview/_draw.js``: ``LIFDraw.height``, ``LIFDraw.legendTop``,
``LIFPreviewUtil.legendMargin``) drifts from Python's (``lif_figures.style``), the chart
jumps on release. Compared here on legends that wrap, stack and carry titles.
"""

from __future__ import annotations

import json
import os

import pytest

from lif_figures import style
from lif_figures.spec import FigureSpec
from tests.js.engine_cases import find_node
from tests.js.preview_cases import Expr, run_cases

IN_CI = os.environ.get("CI", "").lower() == "true"

NAMES = [
    "V",
    "threshold V_th = −50 mV",
    "reset V_reset = −65 mV",
    "stable fixed point V∞ = −58.3 mV",
    "spikes (12), every 2nd shown",
    "I_syn (nA)",
    "E_L (rest)",
    "WIDE MW mw",
    "theory (Siegert)",
]


def _entry_sets() -> list[list[tuple[str, str | None]]]:
    sets = [[(n, None) for n in NAMES[:k]] for k in (1, 3, 6, 9)]
    sets += [[(n, f"~{k}") for k, n in enumerate(NAMES[:k])] for k in (2, 5, 9)]
    sets.append([(NAMES[0], "g"), (NAMES[1], "g"), (NAMES[2], None), (NAMES[3], "h")])
    # a preview's new trace (no group) among Python's flowing groups "~0", "~1"...: its own
    sets.append([(NAMES[0], "~0"), (NAMES[4], None), (NAMES[1], "~1"), (NAMES[2], "~2")])
    return sets


@pytest.fixture(scope="module")
def node() -> str:
    path = find_node()
    if path is None:
        reason = "legend tests skipped: Node is not installed (apt-get install nodejs)"
        if IN_CI:
            pytest.fail(reason.replace("skipped", "cannot run with CI=true"), pytrace=False)
        pytest.skip(reason)
    return path


def test_the_browser_computes_the_legend_height_python_computes(node):
    cases, expected = [], []
    for entries in _entry_sets():
        for width in (150, 300, style.HALF_WIDTH - 100, style.FULL_WIDTH - 100):
            cases.append(Expr(f"LIFDraw.height({json.dumps(entries)}, {width})"))
            expected.append(style.legend_height(entries, width))
    got = [o.value for o in run_cases(cases, node)]
    assert got == pytest.approx(expected, abs=1e-9)
    # the ungrouped entry is a column of one: one row of 24 px at full width
    mixed = _entry_sets()[-1]
    assert style.legend_height(mixed, style.FULL_WIDTH - 100) == 24 + 10
    assert len(set(expected)) > 5  # the sets tell wrapping, stacking and one row apart


@pytest.mark.parametrize("title", [None, "A title"])
@pytest.mark.parametrize("width", [style.HALF_WIDTH, style.FULL_WIDTH])
def test_the_browser_reserves_the_top_margin_python_reserves(node, title, width):
    cases, expected = [], []
    for k, entries in enumerate(_entry_sets()):
        spec = FigureSpec("t (ms)", "V (mV)", title=title, height=420, width=width)
        for name, group in entries:
            trace = {"type": "scatter", "x": [0, 1], "y": [0, 1], "name": name}
            if group:
                trace["legendgroup"] = group
            spec.add(trace)
        if k % 2:  # a legend lifted above the plot (chapter 5's note under it)
            spec.update(legend={"y": 1.09})
        fig = spec.figure()
        data = [{"name": t.name, "legendgroup": t.legendgroup} for t in fig.data]
        layout = fig.layout.to_plotly_json()
        cases.append(
            Expr(
                f"LIFPreviewUtil.legendMargin({json.dumps(data)}, {json.dumps(layout)}, {width}).t"
            )
        )
        expected.append(fig.layout.margin.t)
    got = [o.value for o in run_cases(cases, node)]
    assert got == expected
    assert min(expected) > style.MARGIN_T  # every case reserves room
