// LIF Lab's light drag: while a Streamlit slider's thumb is dragged with a pointer, move the
// thumb here and let the live preview (lab_preview.js) redraw, instead of Streamlit's slider.
//
// Why not the library: Streamlit's slider (1.67, react-aria) re-renders on every pointer move
// and its CSS-in-JS inserts a new style sheet rule for the thumb and the track fill each time.
// Measured in headless Chromium at 1280x720 (/tmp profile of chapter 3's R slider, preview
// off): 17-21 ms of main-thread work per pointer move (React 9 ms, style sheets and a forced
// layout 8 ms, paint 3 ms), which alone caps a drag below 40 frames per second before a chart
// is drawn; with this script a move costs what the preview costs. Streamlit has no option to
// render its slider less often.
//
// How: a pointerdown on a slider's track or thumb goes to Streamlit as usual (it may jump the
// value there). The pointer moves that follow are stopped at the window, before react-aria's
// listeners: this script computes the value exactly as react-aria does (thumb percent at the
// first move times the track's width, plus the pointer's travel; snapped to the step with
// react-stately's snapValueToStep, min/max/step read from the native range input), moves the
// thumb, the track fill and the value label, and hands the value to LIFLive. On release it
// puts back what it changed and lets one pointer move at the release point through before
// the pointerup: react-aria then sees the whole travel in one move, sets the same value and
// commits it to Python once, as a normal release does. Keyboard, touch-cancel and anything it
// does not recognise (a range slider with two thumbs, another DOM) are left to Streamlit.
// Plain script (no export): concatenated with the other shared scripts into one module
// (lab_chart.py, SHARED_SCRIPTS).

const LIFDrag = (() => {
  const stats = { drags: 0, moves: 0, values: 0 };
  let drag = null; // the drag in progress
  let passing = false; // dispatching the release move to react-aria
  // After a release Streamlit renders the slider once more with the value from before the
  // drag, then with the released one (measured, chapter 1's R: 65 ms apart), and the charts
  // would flash back to the old value in between. The released value stays LIFLive's until
  // the slider shows it, a new press or key on the page, or SETTLE_MS.
  let settling = null;
  const SETTLE_MS = 2000;

  // react-stately's roundToStepPrecision and snapValueToStep (@react-stately/utils), as in
  // Streamlit's bundle.
  function stepPrecision(value, step) {
    const text = step.toString();
    const e = text.toLowerCase().indexOf("e-");
    let digits = 0;
    if (e > 0) digits = Math.abs(Math.floor(Math.log10(Math.abs(step)))) + e;
    else if (text.indexOf(".") >= 0) digits = text.length - text.indexOf(".");
    if (digits <= 0) return value;
    const pow = 10 ** digits;
    return Math.round(value * pow) / pow;
  }

  function snap(value, min, max, step) {
    const remainder = (value - min) % step;
    let v = stepPrecision(
      Math.abs(remainder) * 2 >= step
        ? value + Math.sign(remainder) * (step - Math.abs(remainder))
        : value - remainder,
      step,
    );
    if (v < min) v = min;
    else if (v > max) v = min + Math.floor(stepPrecision((max - min) / step, step)) * step;
    return Math.min(Math.max(stepPrecision(v, step), min), max);
  }

  // The slider value react-aria sets for a thumb that was at `percent` of the track when the
  // move began and a pointer that travelled `dx` px along a track `width` px wide.
  function valueAt(d, dx) {
    const percent = Math.min(Math.max((d.percent * d.width + dx) / d.width, 0), 1);
    return snap(percent * (d.max - d.min) + d.min, d.min, d.max, d.step);
  }

  // The parts of a one-thumb Streamlit slider, or null when the DOM is not the expected one.
  function partsOf(target) {
    const slider = target.closest && target.closest('[data-testid="stSlider"]');
    if (!slider) return null;
    const inputs = slider.querySelectorAll('input[type="range"]');
    if (inputs.length !== 1) return null;
    const input = inputs[0];
    if (input.disabled) return null;
    let thumb = input.parentElement;
    while (thumb && thumb !== slider && !(thumb.style && thumb.style.left)) {
      thumb = thumb.parentElement;
    }
    if (!thumb || thumb === slider) return null;
    const track = thumb.parentElement;
    if (!track.contains(target) || track.style.touchAction !== "none") return null;
    const fill = track.firstElementChild !== thumb ? track.firstElementChild : null;
    const label = thumb.querySelector('[data-testid="stSliderThumbValue"] p');
    const key = globalThis.LIFLive.keyOf(slider); // lab_preview.js, loaded before
    const [min, max, step] = ["min", "max", "step"].map((a) => parseFloat(input.getAttribute(a)));
    if (key === null || ![min, max, step].every(Number.isFinite) || !(max > min && step > 0)) {
      return null;
    }
    return { key, input, thumb, track, fill, label, min, max, step };
  }

  function onDown(e) {
    drag = null;
    unsettle();
    if (e.pointerType === "mouse" && e.button !== 0) return;
    if (e.altKey || e.ctrlKey || e.metaKey || !globalThis.LIFLive) return;
    const parts = partsOf(e.target);
    if (!parts) return;
    drag = { ...parts, pointerId: e.pointerId, x0: e.pageX, started: false, value: null };
  }

  // First swallowed move: react-aria has handled the pointerdown (a click on the track has
  // moved the value there); remember the thumb's place and what this script will change.
  function begin(d) {
    const v = parseFloat(d.input.value);
    if (!Number.isFinite(v)) return false;
    d.percent = (v - d.min) / (d.max - d.min);
    d.width = d.track.getBoundingClientRect().width;
    if (!(d.width > 0)) return false;
    d.saved = {
      left: d.thumb.style.left,
      label: d.label ? d.label.textContent : null,
      background: d.fill ? d.fill.style.background : null,
    };
    // the value label's decimals (lab/widgets.py formats "%.Nf"); other formats stay as shown
    const shown = d.saved.label !== null ? d.saved.label.trim() : "";
    d.decimals = /^-?\d+(\.\d+)?$/.test(shown) ? (shown.split(".")[1] || "").length : null;
    const colors = d.fill
      ? (getComputedStyle(d.fill).backgroundImage.match(/rgba?\([^)]*\)/g) || [])
      : [];
    // Streamlit's fill: track colour, primary colour from 0 to the thumb, track colour
    d.colors = colors.length >= 2 ? { track: colors[0], fill: colors[1] } : null;
    d.started = true;
    stats.drags += 1;
    // the moves go to the track without hit-testing the page (1-2 ms a move here)
    try {
      d.track.setPointerCapture(d.pointerId);
    } catch {
      // a pointer that is no longer active: nothing to capture
    }
    return true;
  }

  function show(d, value) {
    const pct = ((value - d.min) / (d.max - d.min)) * 100;
    d.thumb.style.left = `${pct}%`;
    if (d.label && d.decimals !== null) d.label.textContent = value.toFixed(d.decimals);
    if (d.colors) {
      const { track, fill } = d.colors;
      d.fill.style.background =
        `linear-gradient(to right, ${fill} 0%, ${fill} ${pct}%, ${track} ${pct}%, ${track} 100%)`;
    }
  }

  function onMove(e) {
    const d = drag;
    if (!d || passing || e.pointerId !== d.pointerId) return;
    if (!d.started && !begin(d)) {
      drag = null; // leave this drag to Streamlit
      return;
    }
    e.stopImmediatePropagation();
    stats.moves += 1;
    const value = valueAt(d, e.pageX - d.x0);
    if (value === d.value) return;
    d.value = value;
    stats.values += 1;
    show(d, value);
    globalThis.LIFLive.setLive(d.key, value);
  }

  function restore(d) {
    d.thumb.style.left = d.saved.left;
    if (d.label && d.saved.label !== null) d.label.textContent = d.saved.label;
    if (d.fill) d.fill.style.background = d.saved.background;
  }

  function onUp(e) {
    const d = drag;
    if (!d || passing || e.pointerId !== d.pointerId) return;
    drag = null;
    if (!d.started) return;
    // React re-renders from its own state: give it back the DOM it rendered
    restore(d);
    if (e.type === "pointercancel") {
      globalThis.LIFLive.setLive(d.key, parseFloat(d.input.value));
      return;
    }
    if (d.value !== null) settle(d);
    passing = true;
    try {
      const init = {
        bubbles: true,
        cancelable: true,
        view: window,
        pointerId: e.pointerId,
        pointerType: e.pointerType,
        isPrimary: e.isPrimary,
        clientX: e.clientX,
        clientY: e.clientY,
        screenX: e.screenX,
        screenY: e.screenY,
        buttons: 1,
      };
      window.dispatchEvent(new PointerEvent("pointermove", init));
    } finally {
      passing = false;
    }
  }

  function settle(d) {
    unsettle();
    const s = { key: d.key, value: d.value, input: d.input };
    s.timer = setTimeout(() => {
      if (settling !== s) return;
      settling = null;
      // Streamlit did not show the released value: its own value is the one that counts
      globalThis.LIFLive.setLive(s.key, parseFloat(s.input.value));
    }, SETTLE_MS);
    settling = s;
  }

  function unsettle() {
    if (settling) clearTimeout(settling.timer);
    settling = null;
  }

  // Whether the slider `key` showing `value` is the drag layer's to report (LIFLive ignores
  // the slider's re-renders then): during its drag, and after the release until it shows the
  // released value.
  function owns(key, value) {
    if (drag && drag.started && drag.key === key) return true;
    if (!settling || settling.key !== key) return false;
    if (value === settling.value) {
      unsettle();
      return false;
    }
    return true;
  }

  function install() {
    if (globalThis.__lifDragInstalled || typeof window === "undefined") return; // not a page
    globalThis.__lifDragInstalled = true;
    window.addEventListener("pointerdown", onDown, true);
    window.addEventListener("pointermove", onMove, true);
    window.addEventListener("pointerup", onUp, true);
    window.addEventListener("pointercancel", onUp, true);
    window.addEventListener("keydown", unsettle, true);
  }

  // the key of the slider being dragged (once its first move was taken), else null
  const dragging = () => (drag && drag.started ? drag.key : null);

  return Object.freeze({ install, snap, valueAt, dragging, owns, stats });
})();

globalThis.LIFDrag = globalThis.LIFDrag || LIFDrag;
globalThis.LIFDrag.install();
