"""The light drag (lab_drag.js): the thumb follows the pointer without Streamlit's re-render.

While a slider is dragged, ``lab_drag.js`` moves the thumb, its value label and the track
fill itself and hands the value to the live preview; Streamlit's slider sees the pointer
again only at the release, in one move, and commits the value. These tests check, in
Chromium, that:

- its rounding is Streamlit's: ``LIFDrag.snap`` against the ``snapValueToStep`` in
  Streamlit's own bundle, for every slider of a chapter and random values;
- during a mouse drag the thumb, label and fill show the previewed value while Streamlit's
  input keeps its old one (its re-render is skipped), and after the release Python has the
  value the label showed, and Streamlit draws the thumb there itself;
- a press on the track away from the thumb (Streamlit jumps the value there) then a drag,
  and a finger on a touch screen, end at the value shown, with one message to the server.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import streamlit
from liflab_browser import open_page, slider_bounds, slider_keys, slider_value, wait_idle

pytestmark = pytest.mark.browser

#: Streamlit's chunk holding react-stately's snapValueToStep (the one rounding sliders use).
_STATIC_JS = Path(streamlit.__file__).parent / "static" / "static" / "js"


def _snap_module() -> str:
    for path in sorted(_STATIC_JS.glob("number.*.js")):
        if "indexOf(`e-`)" in path.read_text(encoding="utf-8"):
            return path.name
    pytest.fail(f"no number.*.js with snapValueToStep in {_STATIC_JS} (Streamlit changed)")


#: Both roundings over values spread across (and beyond) each (min, max, step): the
#: mismatches, as text.
SNAP_JS = """async ([url, sliders]) => {
  const mod = await import(url);
  const theirs = Object.values(mod).find((f) => typeof f === "function" && f.length === 4);
  const out = {checked: 0, bad: []};
  let seed = 7;
  const rand = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  for (const [min, max, step] of sliders) {
    for (let i = 0; i < 400; i++) {
      const v = min - 0.05 * (max - min) + rand() * 1.1 * (max - min);
      const a = Math.min(Math.max(theirs(v, min, max, step), min), max);
      const b = LIFDrag.snap(v, min, max, step);
      out.checked += 1;
      if (a !== b && out.bad.length < 10) {
        out.bad.push(`${v} in [${min}, ${max}] step ${step}: ${a} vs ${b}`);
      }
    }
  }
  return out;
}"""

#: What the page shows of a slider: the native input's value, the thumb's label and its
#: left position (percent), and the track fill's background.
SHOWN_JS = """(key) => {
  const box = document.querySelector(`.st-key-${key} [data-testid="stSlider"]`);
  const input = box.querySelector('input[type="range"]');
  let thumb = input.parentElement;
  while (!thumb.style.left) thumb = thumb.parentElement;
  const fill = thumb.parentElement.firstElementChild;
  return {input: parseFloat(input.value), label: box.querySelector(
            '[data-testid="stSliderThumbValue"]').textContent.trim(),
          left: parseFloat(thumb.style.left), fill: getComputedStyle(fill).backgroundImage,
          live: LIFLive.live.get(key), moves: LIFDrag.stats.moves}
}"""


def _thumb_centre(page, key: str) -> tuple[float, float]:
    thumb = page.locator(f'.st-key-{key} [data-testid="stSliderThumbValue"]').locator("..")
    thumb.scroll_into_view_if_needed()
    box = thumb.bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def _released(page, key: str, sent: list, n_sent: int) -> None:
    """Wait until Python's answer to the release is drawn; one message was sent."""
    page.wait_for_timeout(300)
    wait_idle(page)
    assert len(sent) - n_sent == 1, f"{key}: {len(sent) - n_sent} messages after the release"


def _decimals(text: str) -> int:
    return len(text.split(".")[1]) if "." in text else 0


@pytest.fixture
def sent(page):
    """Websocket messages the page sends (a list that grows)."""
    frames: list[int] = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda f: frames.append(1)))
    return frames


def test_the_drag_rounds_values_as_streamlit_does(app_server, page):
    open_page(page, app_server.url, "Membrane_RC_circuit")
    sliders = [list(slider_bounds(page, k)) for k in slider_keys(page)]
    # steps with binary round-off (0.1, 0.05), a step that does not divide the range
    sliders += [[-80.0, -40.0, 0.1], [0.0, 1.0, 0.05], [0.5, 7.3, 0.2], [1e-3, 2e-3, 1e-5]]
    url = f"{app_server.url}/static/js/{_snap_module()}"
    result = page.evaluate(SNAP_JS, [url, sliders])
    assert result["checked"] >= 400 * len(sliders)
    assert result["bad"] == []


@pytest.mark.parametrize(
    ("url", "key", "pixels"),
    [("Membrane_RC_circuit", "rc_amp", 90.0), ("Threshold_and_spikes", "R", -37.0)],
    ids=["page slider", "sidebar slider"],
)
def test_a_drag_moves_the_thumb_itself_and_commits_the_value_it_showed(
    app_server, page, sent, url, key, pixels
):
    open_page(page, app_server.url, url)
    lo, hi, _ = slider_bounds(page, key)
    start = page.evaluate(SHOWN_JS, key)
    x, y = _thumb_centre(page, key)
    n_sent = len(sent)
    page.mouse.move(x, y)
    page.mouse.down()
    for i in range(1, 31):
        page.mouse.move(x + pixels * i / 30, y)
        page.wait_for_timeout(16)
    page.wait_for_timeout(100)
    mid = page.evaluate(SHOWN_JS, key)
    assert mid["moves"] - start["moves"] >= 20, "the drag layer did not take the moves"
    value = mid["live"]
    assert value != start["input"], "the drag did not change the value"
    # Streamlit's own slider was not re-rendered: its input still has the old value...
    assert mid["input"] == start["input"]
    # ...while the thumb, its label and the fill show the new one
    assert mid["label"] == f"{value:.{_decimals(start['label'])}f}"
    pct = 100 * (value - lo) / (hi - lo)
    assert mid["left"] == pytest.approx(pct, abs=1e-6)
    stops = [float(s) for s in re.findall(r"([\d.]+)%", mid["fill"])]
    assert stops and any(abs(s - pct) < 1e-3 for s in stops), mid["fill"]
    assert len(sent) == n_sent, "a message was sent during the drag"
    # every animation frame from the release on: the value LIFLive previews
    page.evaluate(
        """(key) => { window.__lifSeen = []; const end = performance.now() + 1500;
             const look = () => { window.__lifSeen.push(LIFLive.live.get(key));
                                  if (performance.now() < end) requestAnimationFrame(look); };
             look(); }""",
        key,
    )
    page.mouse.up()
    _released(page, key, sent, n_sent)
    page.wait_for_timeout(1500)
    seen = page.evaluate("() => window.__lifSeen")
    # Streamlit re-renders the slider with its old value right after the release: the charts
    # must not flash back to it (lab_drag.js keeps the released value until the slider shows it)
    assert len(seen) > 10 and set(seen) == {value}, sorted(set(seen), key=str)
    after = page.evaluate(SHOWN_JS, key)
    assert slider_value(page, key) == value  # Python and Streamlit have the value shown
    assert after["label"] == mid["label"]
    assert after["left"] == pytest.approx(pct, abs=1e-6)  # Streamlit's own thumb, same place


def test_a_press_on_the_track_then_a_drag_ends_at_the_value_shown(app_server, page, sent):
    key = "rc_amp"
    open_page(page, app_server.url, "Membrane_RC_circuit")
    track = page.locator(f'.st-key-{key} [data-testid="stSlider"] [style*="touch-action"]').first
    box = track.bounding_box()
    x, y = box["x"] + 0.7 * box["width"], box["y"] + box["height"] / 2
    n_sent = len(sent)
    page.mouse.move(x, y)
    page.mouse.down()
    for i in range(1, 16):
        page.mouse.move(x - 40 * i / 15, y)
        page.wait_for_timeout(16)
    shown = page.evaluate(SHOWN_JS, key)
    page.mouse.up()
    _released(page, key, sent, n_sent)
    assert slider_value(page, key) == shown["live"]
    assert page.evaluate(SHOWN_JS, key)["label"] == shown["label"]


def test_a_finger_drag_on_a_touch_screen_previews_and_commits(playwright_chromium, app_server):
    ctx = playwright_chromium.new_context(
        viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True
    )
    try:
        page = ctx.new_page()
        sent: list[int] = []
        page.on("websocket", lambda ws: ws.on("framesent", lambda f: sent.append(1)))
        key = "rc_amp"
        open_page(page, app_server.url, "Membrane_RC_circuit")
        x, y = _thumb_centre(page, key)
        cdp = ctx.new_cdp_session(page)
        start = page.evaluate(SHOWN_JS, key)
        redraws = page.evaluate("() => LIFLive.stats.redraws")
        n_sent = len(sent)

        def touch(kind: str, px: float) -> None:
            points = [] if kind == "touchEnd" else [{"x": px, "y": y, "id": 1}]
            cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})

        touch("touchStart", x)
        for i in range(1, 21):
            touch("touchMove", x + 60 * i / 20)
            page.wait_for_timeout(16)
        page.wait_for_timeout(100)
        mid = page.evaluate(SHOWN_JS, key)
        assert mid["moves"] - start["moves"] >= 10
        assert mid["live"] != start["input"] and mid["input"] == start["input"]
        assert page.evaluate("() => LIFLive.stats.redraws") - redraws >= 3
        assert len(sent) == n_sent
        touch("touchEnd", x + 60)
        _released(page, key, sent, n_sent)
        assert slider_value(page, key) == mid["live"]
    finally:
        ctx.close()


def test_arrow_keys_still_go_to_streamlit(app_server, page, sent):
    key = "rc_amp"
    open_page(page, app_server.url, "Membrane_RC_circuit")
    lo, _, step = slider_bounds(page, key)
    value = slider_value(page, key)
    n_sent = len(sent)
    page.locator(f'.st-key-{key} input[type="range"]').first.focus()
    page.keyboard.press("ArrowLeft")
    _released(page, key, sent, n_sent)
    assert slider_value(page, key) == pytest.approx(max(lo, value - step))
    assert page.evaluate("() => LIFDrag.stats.moves") == 0
