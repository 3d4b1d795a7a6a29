// LIF Lab's page script (lab/layout.py): installed once per browser tab by a hidden element.
//
// Displayed equations (st.latex, $$...$$) do not wrap: KaTeX draws each as one line. One
// that is wider than its column is scaled down (its font size) until it fits, down to 55 %;
// the pages split longer ones into lines. Refitted when the page's columns change width
// (window, sidebar) and when Streamlit draws new equations.

const MIN_SCALE = 0.55;

// Width of what KaTeX drew: the union of the boxes of its parts (a centred formula's parts
// lie in one row; the block around them is as wide as the column).
function drawnWidth(html) {
  let left = Infinity;
  let right = -Infinity;
  for (const part of html.children) {
    const r = part.getBoundingClientRect();
    if (!r.width) continue;
    left = Math.min(left, r.left);
    right = Math.max(right, r.right);
  }
  return right > left ? right - left : 0;
}

function fitEquation(display) {
  const katex = display.querySelector(":scope > .katex");
  if (!katex) return;
  // the element's width, not the formula's box: st.latex centres the formula in a flex row
  // that shrinks to it, so that box would shrink with each scaling and the formula crept
  // smaller on every refit (measured: 363 -> 194 px during one slider drag)
  const box = display.closest('[data-testid="stElementContainer"]') || display;
  const available = box.clientWidth;
  if (!available) return; // not shown (a closed expander): fitted when it opens
  // fitted before at this width: reuse the size found (Streamlit may draw the same formula
  // again as new elements); measuring costs a layout per equation, and the page asks on
  // every redraw of its elements, e.g. on every step of a slider drag
  const text = katex.textContent;
  const done = display.__lifFitted;
  if (done && done.available === available && done.text === text && done.fonts === fontEpoch) {
    if (katex.style.fontSize !== done.fontSize) katex.style.fontSize = done.fontSize;
    return;
  }
  katex.style.fontSize = "";
  // the drawn formula: KaTeX's visible part (the MathML copy for screen readers is clipped)
  const html = katex.querySelector(".katex-html") || katex;
  const width = () => drawnWidth(html);
  // .katex is 1.21em in KaTeX's style sheet; a few px of it do not scale (struts, spaces)
  let scale = 1;
  for (let k = 0; k < 4 && scale > MIN_SCALE; k++) {
    const natural = width();
    if (natural <= available) break;
    scale = Math.max(MIN_SCALE, (scale * (available - 2)) / natural);
    katex.style.fontSize = `${(1.21 * scale).toFixed(4)}em`;
  }
  display.__lifFitted = { available, text, fontSize: katex.style.fontSize, fonts: fontEpoch };
}

// Bumped when web fonts finish loading: KaTeX's fonts change every formula's width, so sizes
// found with a fallback font are measured again.
let fontEpoch = 0;
// Watches each equation's own element: a column can change width while the page's main
// block keeps its size. Without these two refits chapter 5's four equations at 1024x768 kept
// sizes found before the column and the fonts settled and ran 8-49 px past their column
// (either refit alone fixed it; both are kept, as each covers a case the other does not).
let boxes = null;

function fitAll() {
  for (const display of document.querySelectorAll(".katex-display")) {
    const box = display.closest('[data-testid="stElementContainer"]');
    if (boxes && box && !box.__lifWatched) {
      box.__lifWatched = true;
      boxes.observe(box);
    }
    fitEquation(display);
  }
}

function install() {
  if (window.__lifLabPage) return;
  window.__lifLabPage = true;
  let pending = false;
  const schedule = () => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      fitAll();
    });
  };
  const resize = new ResizeObserver(schedule);
  boxes = resize;
  if (document.fonts) {
    const refit = () => {
      fontEpoch += 1;
      schedule();
    };
    document.fonts.addEventListener("loadingdone", refit);
    document.fonts.ready.then(refit);
  }
  const watch = () => {
    for (const s of ['[data-testid="stMainBlockContainer"]', '[data-testid="stSidebarContent"]']) {
      const el = document.querySelector(s);
      if (el && !el.__lifWatched) {
        el.__lifWatched = true;
        resize.observe(el);
      }
    }
  };
  new MutationObserver((records) => {
    watch();
    for (const r of records) {
      for (const n of r.addedNodes) {
        if (n.nodeType === 1 && (n.matches(".katex-display, details") || n.querySelector(".katex-display"))) {
          schedule();
          return;
        }
      }
    }
  }).observe(document.body, { childList: true, subtree: true });
  // an expander that opens shows equations that had no width while it was closed
  document.addEventListener("toggle", schedule, true);
  watch();
  schedule();
}

export default function (component) {
  install();
  const data = component.data || {};
  document.documentElement.dataset.lifPresenting = data.presenting ? "true" : "false";
  requestAnimationFrame(fitAll);
}
