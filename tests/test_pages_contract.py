"""Every page draws the charts its contract lists (tests/page_contract.py), in AppTest.

A page file that is added, renamed or removed without updating the contract fails here,
as does a page that loses a chart, an axis title or a trace with data.
"""

from __future__ import annotations

import page_contract
import pytest
from figure_reader import Chart


def drawn(apptest, at) -> list[tuple[str, dict, list[tuple[str, int]]]]:
    out = []
    for chart in apptest.charts(at):
        fig = Chart(chart["figure"])
        traces = [(t.name, int(t.finite()[0].size)) for t in fig.traces]
        out.append((chart["key"], fig.layout, traces))
    return out


def test_every_page_file_has_a_contract():
    assert page_contract.page_files() == list(page_contract.PAGES)


@pytest.mark.parametrize("page", list(page_contract.PAGES))
def test_page_draws_its_contract(apptest, run_page, page):
    at = run_page(page)
    apptest.assert_no_exception(at)
    assert page_contract.problems(page, drawn(apptest, at)) == []
