// LIF Lab's chart element (lab_chart.py): a plotly.js graph that stays on the page.
//
// Streamlit calls the exported function when the chart first appears and again each
// time the chart is re-sent (every rerun of its fragment). The graph div is kept: an
// unchanged chart is left alone, a changed one is updated with Plotly.react, which
// recomputes only what changed. (st.plotly_chart mounts a new chart for every new
// figure and draws it twice; see lab_chart.py.)
//
// plotly.js itself (plotly's basic bundle, vendored gzip-compressed in static/) comes from
// Streamlit's static file serving (its URL is in the data) and is loaded once per tab.
//
// While a slider the chart depends on is dragged, LIFLive (lab_preview.js, concatenated
// before this file with the engine lif_engine.js) redraws the chart from the browser.

// Four corner brackets, for the full-screen button of the chart's toolbar.
const FULLSCREEN_ICON = {
  width: 1000,
  height: 1000,
  path:
    "M80 80h320v100h-220v220h-100z M920 80v320h-100v-220h-220v-100z " +
    "M920 920h-320v-100h220v-220h100z M80 920v-320h100v220h220v100z",
};

async function fetchPlotly(path) {
  const url = new URL(path, document.baseURI).href;
  const response = await fetch(url);
  if (!response.ok) throw new Error(`plotly.js could not be loaded from ${url}: ${response.status}`);
  const source = await new Response(
    response.body.pipeThrough(new DecompressionStream("gzip")),
  ).blob();
  const script = document.createElement("script");
  script.src = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
  await new Promise((resolve, reject) => {
    script.onload = resolve;
    script.onerror = () => reject(new Error("plotly.js did not run"));
    document.head.appendChild(script);
  });
  URL.revokeObjectURL(script.src);
  return window.Plotly;
}

function loadPlotly(path) {
  if (!window.__lifLabPlotly) {
    window.__lifLabPlotly = window.Plotly ? Promise.resolve(window.Plotly) : fetchPlotly(path);
    // After a failure, let the next chart try again.
    window.__lifLabPlotly.catch(() => (window.__lifLabPlotly = undefined));
  }
  return window.__lifLabPlotly;
}

// ---------------------------------------------------------------- plot area and full screen

// The chart's plotting area keeps at least this share of its height: when the legend needs
// more rows than the figure reserved (a narrow column, a phone), the chart grows taller.
const MIN_PLOT_FRACTION = 0.65;

// The element shown in full screen: the page's main area, reduced to the chart and the
// sliders that drive it (see markFullscreen), so the sliders stay with the chart.
function fullscreenRoot() {
  return document.querySelector('[data-testid="stMain"], .stMain') || document.body;
}

function isFullscreen(graph) {
  return graph.dataset.lifFullscreen === "true" && document.fullscreenElement === fullscreenRoot();
}

// Height of a full-screen chart: the screen below the chart's top (the sliders above it).
function fullscreenHeight(graph) {
  const top = graph.getBoundingClientRect().top;
  return Math.max(240, Math.floor(window.innerHeight - Math.max(0, top) - 12));
}

// The layout a chart is drawn with: full screen, or the figure's height plus the room its
// legend needs in this column (graph.__lifRoom, found after a draw by roomForPlot).
// On a phone-wide chart the legend's text is smaller (13 px), so that it takes fewer rows
// and the chart fits the screen with its sliders (never in presenter mode).
const NARROW_CHART = 480;
const NARROW_LEGEND_FONT = 13;

function layoutFor(graph, layout) {
  const out = { ...layout }; // a copy: plotly keeps (and relayout changes) the object it gets
  if (isFullscreen(graph)) {
    out.height = fullscreenHeight(graph);
    return out;
  }
  out.height = (layout.height || 450) + (graph.__lifRoom || 0);
  const presenting = document.documentElement.dataset.lifPresenting === "true";
  if (!presenting && graph.clientWidth && graph.clientWidth < NARROW_CHART && out.legend) {
    out.legend = { ...out.legend, font: { ...(out.legend.font || {}), size: NARROW_LEGEND_FONT } };
  }
  return out;
}

// The figure as the chart shows it.
function draw(Plotly, graph) {
  const { figure, config } = graph.__lifLab;
  const layout = layoutFor(graph, figure.layout);
  graph.style.height = `${layout.height || 450}px`;
  // Plotly.react compares the config it is given with the graph's, functions by identity:
  // a config that differs (or holds a new function) makes it build the whole chart again
  // with Plotly.newPlot before updating it, twice the work. So the config is passed only
  // when it changed, and the full-screen button is the same object for the graph's life.
  const newConfig = graph.__lifDrawnConfig !== config || !graph._fullLayout;
  graph.__lifDrawnConfig = config;
  const drawn = newConfig
    ? Plotly.react(graph, figure.data, layout, config)
    : Plotly.react(graph, figure.data, layout);
  return drawn.then(() => fit(Plotly, graph));
}

// Room the plot needs beyond the figure's height: (margins) / (1 - MIN_PLOT_FRACTION).
function roomForPlot(Plotly, graph) {
  const L = graph._fullLayout;
  if (!L || !graph.__lifLab || isFullscreen(graph)) return;
  const base = graph.__lifLab.figure.layout.height || 450;
  const need = Math.ceil((L._size.t + L._size.b) / (1 - MIN_PLOT_FRACTION) + 1);
  const room = Math.max(0, need - base);
  if (room === (graph.__lifRoom || 0)) return;
  graph.__lifRoom = room;
  graph.style.height = `${base + room}px`;
  return Plotly.relayout(graph, { height: base + room });
}

// A label (annotation) that runs past the chart's edge, in a narrow chart, is moved back in.
function keepLabelsInside(Plotly, graph) {
  const L = graph._fullLayout;
  if (!L || !graph.layout || !graph.layout.annotations) return;
  const box = graph.getBoundingClientRect();
  const update = {};
  for (const g of graph.querySelectorAll(".annotation[data-index]")) {
    const i = Number(g.dataset.index);
    const r = g.getBoundingClientRect();
    if (!r.width || !graph.layout.annotations[i]) continue;
    let dx = 0;
    if (r.right > box.right) dx = box.right - r.right - 2;
    else if (r.left < box.left) dx = box.left - r.left + 2;
    if (Math.abs(dx) >= 1) {
      update[`annotations[${i}].xshift`] = (graph.layout.annotations[i].xshift || 0) + dx;
    }
  }
  if (Object.keys(update).length) return Plotly.relayout(graph, update);
}

// Plotly.react keeps the width the chart was first drawn at: follow the column's width.
function fit(Plotly, graph) {
  const drawn = graph._fullLayout && graph._fullLayout.width;
  const resized =
    drawn && Math.abs(drawn - graph.clientWidth) >= 1 ? Plotly.Plots.resize(graph) : null;
  return Promise.resolve(resized)
    .then(() => roomForPlot(Plotly, graph))
    .then(() => keepLabelsInside(Plotly, graph));
}

// The page sliders a chart depends on: those of its live preview, else the sliders before
// it in the nearest part of the page that holds any (its row, its section).
function slidersOf(graph) {
  const main = fullscreenRoot();
  const all = [...main.querySelectorAll('[data-testid="stSlider"]')];
  const entry = globalThis.LIFLive && LIFLive.charts.get(graph.dataset.key);
  const keys = new Set();
  if (entry && entry.spec) for (const b of Object.values(entry.spec.inputs)) keys.add(b.key);
  const bound = all.filter((s) => {
    const box = s.closest('[class*="st-key-"]');
    return box && [...box.classList].some((c) => keys.has(c.slice(7)));
  });
  if (bound.length) return bound;
  for (let el = graph.closest(".stElementContainer"); el && el !== main; el = el.parentElement) {
    const before = all.filter(
      (s) => el.contains(s) && s.compareDocumentPosition(graph) & Node.DOCUMENT_POSITION_FOLLOWING,
    );
    if (before.length) return before;
  }
  return [];
}

// Mark what stays visible in full screen: the chart, its sliders, and their ancestors.
function markFullscreen(graph) {
  const root = fullscreenRoot();
  const keep = [graph, ...slidersOf(graph)].map((el) => el.closest(".stElementContainer") || el);
  for (const el of keep) {
    el.dataset.lifKeep = "true";
    for (let up = el.parentElement; up && up !== root.parentElement; up = up.parentElement) {
      up.dataset.lifPath = "true";
    }
  }
  // a column that is the only one shown in its row takes the whole row
  for (const row of root.querySelectorAll('[data-lif-path] > .stHorizontalBlock, .stHorizontalBlock[data-lif-path]')) {
    const shown = [...row.children].filter((c) => c.dataset.lifPath || c.dataset.lifKeep);
    if (shown.length === 1) shown[0].dataset.lifWide = "true";
  }
  root.dataset.lifFullscreen = "true";
  graph.dataset.lifFullscreen = "true";
}

function unmarkFullscreen() {
  for (const el of document.querySelectorAll("[data-lif-keep], [data-lif-path], [data-lif-wide], [data-lif-fullscreen]")) {
    delete el.dataset.lifKeep;
    delete el.dataset.lifPath;
    delete el.dataset.lifWide;
    delete el.dataset.lifFullscreen;
  }
}

const FULLSCREEN_CSS = `
[data-lif-fullscreen="true"] { overflow: auto; }
[data-lif-fullscreen="true"] [data-lif-path] > :not([data-lif-path]):not([data-lif-keep]) {
  display: none !important;
}
[data-lif-fullscreen="true"] .stMainBlockContainer { padding: 12px 24px !important; }
[data-lif-fullscreen="true"] [data-lif-wide] { width: 100% !important; flex: 1 1 100% !important; }
`;

function installFullscreenStyle() {
  if (document.getElementById("lif-fullscreen-style")) return;
  const style = document.createElement("style");
  style.id = "lif-fullscreen-style";
  style.textContent = FULLSCREEN_CSS;
  document.head.appendChild(style);
}

function toggleFullscreen(graph) {
  const root = fullscreenRoot();
  if (document.fullscreenElement) {
    document.exitFullscreen();
    return;
  }
  installFullscreenStyle();
  // The page's background, so that chart text stays readable in full screen.
  const app = document.querySelector('[data-testid="stApp"]') || document.body;
  root.style.background = getComputedStyle(app).backgroundColor;
  unmarkFullscreen();
  markFullscreen(graph);
  root.requestFullscreen().catch(() => unmarkFullscreen());
}

// Entering or leaving full screen: redraw the chart at its new size (after the layout).
document.addEventListener("fullscreenchange", () => {
  const graph = document.querySelector('.lif-chart[data-lif-fullscreen="true"]');
  if (!document.fullscreenElement) unmarkFullscreen();
  requestAnimationFrame(() => {
    for (const g of graph ? [graph] : []) {
      if (window.Plotly && g.__lifLab) draw(window.Plotly, g);
    }
  });
});

// For the preview (lab_preview.js) and the chart's buttons (lab/export.py).
globalThis.LIFChart = {
  layoutFor,
  toggleFullscreen: (key) => {
    const graph = document.querySelector(`.lif-chart[data-key="${key}"]`);
    if (graph) toggleFullscreen(graph);
  },
};

function setUp(parentElement) {
  const box = document.createElement("div");
  box.className = "lif-chart-box";
  const graph = document.createElement("div");
  graph.className = "lif-chart";
  graph.setAttribute("role", "figure");
  // The toolbar's full-screen button; one object, so that the chart's config stays equal.
  graph.__lifFullscreenButton = {
    name: "Full screen",
    title: "Full screen",
    icon: FULLSCREEN_ICON,
    click: () => toggleFullscreen(graph),
  };
  box.appendChild(graph);
  parentElement.appendChild(box);
  // Redraw at the new width when the column changes size (window, sidebar).
  let pending = false;
  new ResizeObserver(() => {
    if (pending || !window.Plotly) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      fit(window.Plotly, graph);
    });
  }).observe(graph);
  return graph;
}

export default function (component) {
  const { parentElement } = component;
  // The chart's JSON, sent as bytes (see lab_chart.py); Streamlit calls this function
  // again whenever the fragment that holds the chart reruns, with or without changes.
  const text = new TextDecoder().decode(component.data);
  const graph = parentElement.querySelector(".lif-chart") || setUp(parentElement);
  if (graph.__lifText === text) return;
  graph.__lifText = text;
  const data = JSON.parse(text);
  graph.setAttribute("aria-label", data.alt);
  graph.dataset.key = data.key;
  const figure = data.figure;
  // The config object is kept while the chart's config is unchanged (see draw).
  const configText = JSON.stringify(data.config);
  const previous = graph.__lifLab;
  const config =
    previous && previous.configText === configText
      ? previous.config
      : { ...data.config, modeBarButtonsToAdd: [graph.__lifFullscreenButton] };
  graph.__lifLab = { figure, config, configText };
  // the chart's live preview while its sliders are dragged (lab_preview.js, lab/live.py)
  LIFLive.register(graph, data.preview || null, figure);
  if (!graph.hasChildNodes()) {
    graph.style.height = `${(figure.layout.height || 450) + (graph.__lifRoom || 0)}px`;
  }
  loadPlotly(data.plotly_js)
    .then((Plotly) => {
      // A newer figure may have arrived while plotly.js was loading: draw the latest.
      if (graph.isConnected && graph.__lifLab.figure === figure) return draw(Plotly, graph);
    })
    .catch((error) => {
      graph.__lifText = undefined; // try again when the chart is sent next
      graph.__lifDrawnConfig = undefined;
      graph.textContent = `The chart could not be drawn: ${error.message}. Reload the page.`;
    });
}
