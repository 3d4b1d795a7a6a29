"""The page's look for a projector first: compact frame, charts and sliders on the first screen.

Measured in Chromium at 1280×720 before this (issue 13): Streamlit's frame (96 px of top
padding, an 88 px heading, 80 px side padding) and the explanation above the charts put
every chapter's first chart 650–850 px down the page. LIF Lab's pages now put the chapter's
sliders and charts right under a compact heading and the explanation after them
(:func:`lab.present.prose`); :data:`PAGE_CSS` makes the frame compact and keeps content
inside its box:

- the main area starts under Streamlit's header, with 1.5 rem side padding (3 rem on wide
  screens) and a smaller page heading;
- readouts (``st.metric``), widget labels, buttons and checkboxes wrap instead of being cut
  with an ellipsis: a readout keeps its unit;
- markdown tables scroll sideways inside their box on a narrow screen (no column is lost);
- two charts side by side (in two columns of a row) are stacked when the main area is
  narrower than 760 px
  (1024 px wide window with the sidebar open, phones), so each keeps a readable width;
- captions and slider values get a contrast of at least 4.5:1 (Streamlit draws captions at
  60 % opacity, 3.7:1, and slider values in its red, 3.5:1 on the dark theme);
- on a phone, sliders sit two to a row, headings and gaps are tighter, and the presenter
  toggle is hidden (a phone is not a projector).

Displayed equations that are wider than their column are scaled down to fit by the page
script (``lab/page.js``, mounted once per page by :func:`page_frame`). The chart element
(``lab_chart.js``) keeps each chart's plot at 65 % of its height or more, its labels inside
it, and shows a chart full screen with its sliders.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

import lab_chart

__all__ = ["MAIN_STACK_WIDTH", "PAGE_CSS", "page_frame"]

#: Below this width (px) of the main area, charts placed side by side are stacked.
MAIN_STACK_WIDTH = 760

PAGE_CSS = """<style>
[data-testid="stHeader"] { height: 3rem !important; min-height: 3rem; }
[data-testid="stMainBlockContainer"] {
  padding: 3rem 1.5rem 4rem; container-type: inline-size; container-name: lifmain;
}
@media (min-width: 1500px) {
  [data-testid="stMainBlockContainer"] { padding-left: 3rem; padding-right: 3rem; }
}
[data-testid="stMainBlockContainer"] h1 { font-size: 1.85rem; padding: 0.1rem 0 0.1rem; }
[data-testid="stMainBlockContainer"] h5 { padding: 0.25rem 0 0; }
/* readouts, labels and buttons wrap rather than lose their end (a unit) to an ellipsis */
[data-testid="stMetricValue"] { font-size: 1.65rem; }
[data-testid="stMetricValue"] > div, [data-testid="stMetricLabel"] :not(.katex, .katex *),
[data-testid="stMetricDelta"] :not(.katex, .katex *),
[data-testid="stWidgetLabel"] :not(.katex, .katex *),
[data-testid="stCheckbox"] label :not(.katex, .katex *), .stButton button * {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
  overflow-wrap: anywhere;
}
[data-testid="stMetricValue"] > div { line-height: 1.15; }
/* captions: Streamlit's 60 % opacity text has 3.7:1 contrast; 78 % has 6:1 (light theme) */
[data-testid="stCaptionContainer"] { color: inherit; opacity: 0.78; }
/* a slider's value in the text colour: Streamlit's red has 3.5:1 on the dark theme */
[data-testid="stSliderThumbValue"] { color: inherit !important; }
/* tables scroll sideways inside their box instead of running off the page */
[data-testid="stMarkdownContainer"] table { display: block; max-width: 100%; overflow-x: auto; }
/* displayed equations: lab/page.js scales one down to its column; never a scroll bar */
[data-testid="stMarkdownContainer"] .katex-display { overflow: hidden; }
/* charts side by side, stacked in a narrow main area */
@container lifmain (max-width: __STACK__px) {
  [data-testid="stHorizontalBlock"]:has(> [data-testid="stColumn"]:nth-child(1) .lif-chart):has(
      > [data-testid="stColumn"]:nth-child(2) .lif-chart) {
    flex-wrap: wrap;
  }
  [data-testid="stHorizontalBlock"]:has(> [data-testid="stColumn"]:nth-child(1) .lif-chart):has(
      > [data-testid="stColumn"]:nth-child(2) .lif-chart) > [data-testid="stColumn"] {
    min-width: 100%; flex: 1 1 100%;
  }
}
/* the page script's element takes no room */
.st-key-lif-page, .st-key-lif-scripts { display: none; }
/* a phone: tighter rhythm, sliders two to a row, no presenter mode */
@media (max-width: 640px) {
  [data-testid="stMainBlockContainer"] { padding: 3.25rem 0.75rem 3rem; }
  [data-testid="stMainBlockContainer"] h1 { font-size: 1.4rem; }
  [data-testid="stMainBlockContainer"] [data-testid="stVerticalBlock"] { gap: 0.5rem; }
  .st-key-present { display: none; }
  [data-testid="stHorizontalBlock"]:has(> [data-testid="stColumn"] [data-testid="stSlider"]):not(
      :has(.lif-chart)) {
    flex-wrap: wrap; row-gap: 0.5rem;
  }
  [data-testid="stHorizontalBlock"]:has(> [data-testid="stColumn"] [data-testid="stSlider"]):not(
      :has(.lif-chart)) > [data-testid="stColumn"] {
    min-width: calc(50% - 0.5rem) !important; flex: 1 1 calc(50% - 0.5rem) !important;
  }
}
</style>""".replace("__STACK__", str(MAIN_STACK_WIDTH))

#: The page script: fits displayed equations to their column.
PAGE_JS = (Path(__file__).resolve().parent / "page.js").read_text(encoding="utf-8")

_page_script = st.components.v2.component("lif_lab_page", js=PAGE_JS, isolate_styles=False)


def page_frame(presenting: bool) -> None:
    """The page's style and script; call once per page run, before the content.

    Parameters
    ----------
    presenting : bool
        Whether presenter mode is on (:mod:`lab.present` adds its own style then).
    """
    st.html(PAGE_CSS)
    _page_script(data={"presenting": presenting}, key="lif-page")
    lab_chart.shared_scripts()
