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
// While a slider the chart depends on is dragged, LIFLive (lab_preview.js, one of the
// scripts the charts share, with the engine lif_engine.js) redraws the chart from the browser.

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
const NARROW_CHART = 420;
const NARROW_LEGEND_FONT = 13;

// The chart's width as its ResizeObserver last saw it (setUp): reading clientWidth right
// after plotly changed the page forces the browser to lay it out again, mid-script
// (measured, a CDP profile of chapter 8's key presses: ~30 ms a press in layoutFor and fit).
function widthOf(graph) {
  return graph.__lifWidth !== undefined ? graph.__lifWidth : graph.clientWidth;
}

function layoutFor(graph, layout) {
  const out = { ...layout }; // a copy: plotly keeps (and relayout changes) the object it gets
  if (isFullscreen(graph)) {
    out.height = fullscreenHeight(graph);
    return out;
  }
  out.height = (layout.height || 450) + (graph.__lifRoom || 0);
  const presenting = document.documentElement.dataset.lifPresenting === "true";
  const width = widthOf(graph);
  if (!presenting && width && width < NARROW_CHART && out.legend) {
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
  return drawn.then(() => {
    graph.__lifDrawnAt = performance.now(); // when Python's figure was last drawn (benchmarks)
    return fit(Plotly, graph);
  });
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

// Resolves once the browser has painted the page: its layout is then up to date, and
// reading a box costs nothing. Read right after plotly drew, each box makes the browser
// lay the whole page out again, once per chart (measured, a CDP profile of chapter 8's key
// presses: 36 ms a press in keepLabelsInside's getBoundingClientRect).
function afterPaint() {
  return new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
}

// Plotly.react keeps the width the chart was first drawn at: follow the column's width.
function fit(Plotly, graph) {
  const drawn = graph._fullLayout && graph._fullLayout.width;
  const resized =
    drawn && Math.abs(drawn - widthOf(graph)) >= 1 ? Plotly.Plots.resize(graph) : null;
  return Promise.resolve(resized)
    .then(() => roomForPlot(Plotly, graph))
    .then(afterPaint)
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
  csv: (key) => {
    const graph = document.querySelector(`.lif-chart[data-key="${key}"]`);
    return graph ? csvOf(graph.__lifLab.figure, captionOf(graph)) : null;
  },
};

// ---------------------------------------------------------------- export (lab/export.py)

// A camera, for the toolbar's image button (plotly's own has no caption).
const CAMERA_ICON = {
  width: 1000,
  height: 1000,
  path:
    "M150 300h170l70-110h220l70 110h170v480h-700z M500 380a150 150 0 1 0 0.1 0z " +
    "M500 450a80 80 0 1 1 -0.1 0z",
};

// An arrow down onto a tray, for the data button.
const DOWNLOAD_ICON = {
  width: 1000,
  height: 1000,
  path: "M440 80h120v450l150-150 85 85-295 295-295-295 85-85 150 150z M120 800h760v120h-760z",
};

function download(blob, name) {
  const a = document.createElement("a");
  a.href = URL.createObjectURL(blob);
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10000);
}

// The chart's caption (lab/export.py) and the link that reproduces it.
function captionOf(graph) {
  const spec = graph.__lifLab.exportSpec || {};
  return [...(spec.caption || []), `Link: ${window.location.href}`];
}

// An axis title, following "matches" to the axis that carries it (rows share the bottom x).
function axisTitle(layout, name, seen = 0) {
  const axis = layout[name] || {};
  const text = axis.title && (typeof axis.title === "string" ? axis.title : axis.title.text);
  if (text) return String(text);
  if (axis.matches && seen < 5) return axisTitle(layout, `${axis.matches[0]}axis${axis.matches.slice(1)}`, seen + 1);
  return name[0];
}

function csvField(v) {
  const s = v === null || v === undefined ? "" : String(v);
  return /[",\n#]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

// The chart's data as CSV: the caption as "#" lines, then one row per drawn point of every
// trace (gaps between segments left out), x and y in the units of the axis titles.
function csvOf(figure, caption) {
  const L = figure.layout;
  const axes = (tr) => [
    `xaxis${(tr.xaxis || "x").slice(1)}`,
    `yaxis${(tr.yaxis || "y").slice(1)}`,
  ];
  const traces = figure.data.filter((tr) => tr.x && tr.y && tr.visible !== false);
  const pairs = new Set(traces.map((tr) => axes(tr).map((a) => axisTitle(L, a)).join("\n")));
  const single = pairs.size === 1;
  const lines = caption.map((line) => `# ${line}`);
  if (single) {
    const [x, y] = axes(traces[0]).map((a) => axisTitle(L, a));
    lines.push(["series", x, y].map(csvField).join(","));
  } else {
    lines.push("series,x,y,x quantity (unit),y quantity (unit)");
  }
  traces.forEach((tr, i) => {
    const name = tr.name || `trace ${i + 1}`;
    const [xt, yt] = axes(tr).map((a) => axisTitle(L, a));
    const n = Math.min(tr.x.length, tr.y.length);
    for (let k = 0; k < n; k++) {
      const x = tr.x[k];
      const y = tr.y[k];
      if (x === null || y === null || Number.isNaN(x) || Number.isNaN(y)) continue;
      const row = single ? [name, x, y] : [name, x, y, xt, yt];
      lines.push(row.map(csvField).join(","));
    }
  });
  return lines.join("\n") + "\n";
}

function saveCsv(graph) {
  const { figure, exportSpec } = graph.__lifLab;
  const text = csvOf(graph.__lifPreview || figure, captionOf(graph));
  download(new Blob([text], { type: "text/csv;charset=utf-8" }), `${exportSpec.file}.csv`);
}

// Lines of at most `width` px in the context's font, broken between words.
function wrapLines(ctx, lines, width) {
  const out = [];
  for (const line of lines) {
    let current = "";
    for (const word of line.split(" ")) {
      const next = current ? `${current} ${word}` : word;
      if (current && ctx.measureText(next).width > width) {
        out.push(current);
        current = word;
      } else {
        current = next;
      }
    }
    out.push(current);
  }
  return out;
}

// The chart as a PNG (2x, for slides) on the page's background, its caption under it.
async function savePng(graph) {
  const Plotly = window.Plotly;
  if (!Plotly || !graph._fullLayout) return;
  const scale = 2;
  const width = graph._fullLayout.width;
  const height = graph._fullLayout.height;
  // drawn in the browser's own sans-serif: an image cannot use the page's web font, and
  // text laid out in one font and drawn in another overlaps (legend entries)
  const { figure } = graph.__lifLab;
  const shown = graph.__lifPreview || figure;
  const layout = {
    ...(graph.layout || shown.layout),
    width,
    height,
    font: { ...((graph.layout || shown.layout).font || {}), family: "sans-serif" },
  };
  const url = await Plotly.toImage({ data: graph.data || shown.data, layout }, { format: "png", width, height, scale });
  const image = new Image();
  await new Promise((resolve, reject) => {
    image.onload = resolve;
    image.onerror = reject;
    image.src = url;
  });
  const app = document.querySelector('[data-testid="stApp"]') || document.body;
  const style = getComputedStyle(app);
  const canvas = document.createElement("canvas");
  const ctx = canvas.getContext("2d");
  const font = 15 * scale;
  const pad = 14 * scale;
  ctx.font = `${font}px sans-serif`;
  const lines = wrapLines(ctx, captionOf(graph), image.width - 2 * pad);
  const lineHeight = Math.round(font * 1.35);
  canvas.width = image.width;
  canvas.height = image.height + pad + lines.length * lineHeight + pad;
  ctx.fillStyle = style.backgroundColor || "#ffffff";
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.drawImage(image, 0, 0);
  ctx.fillStyle = style.color || "#31333f";
  ctx.font = `${font}px sans-serif`;
  ctx.textBaseline = "top";
  lines.forEach((line, k) => ctx.fillText(line, pad, image.height + pad + k * lineHeight));
  const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/png"));
  download(blob, `${graph.__lifLab.exportSpec.file}.png`);
}

const ACTIONS_CSS = `
.lif-chart-actions { display: flex; gap: 0.25rem; justify-content: flex-end; flex-wrap: wrap;
  margin-top: 2px; font-family: inherit; }
.lif-chart-actions button { font: inherit; font-size: 0.85rem; color: inherit;
  background: transparent; border: 1px solid rgba(128,128,128,0.45); border-radius: 0.4rem;
  padding: 1px 8px; cursor: pointer; line-height: 1.5; }
.lif-chart-actions button:hover { border-color: currentColor; }
.lif-chart-actions svg { width: 0.8em; height: 0.8em; margin-right: 0.35em; vertical-align: -0.05em; }
[data-lif-fullscreen="true"] .lif-chart-actions { display: none; }
@media (max-width: 640px) { .lif-chart .modebar-container { display: none; } }
`;

function installActionsStyle() {
  if (document.getElementById("lif-actions-style")) return;
  const style = document.createElement("style");
  style.id = "lif-actions-style";
  style.textContent = ACTIONS_CSS;
  document.head.appendChild(style);
}

// The buttons under a chart: its image and its data, and full screen (the toolbar, with the
// same buttons, is hidden on a phone).
function actionBar(graph) {
  installActionsStyle();
  const bar = document.createElement("div");
  bar.className = "lif-chart-actions";
  const button = (icon, label, title, act) => {
    const b = document.createElement("button");
    b.type = "button";
    b.title = title;
    // the toolbar's icons, drawn in the text colour (a font may lack such symbols)
    const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    svg.setAttribute("viewBox", `0 0 ${icon.width} ${icon.height}`);
    svg.setAttribute("aria-hidden", "true");
    const path = document.createElementNS("http://www.w3.org/2000/svg", "path");
    path.setAttribute("d", icon.path);
    path.setAttribute("fill", "currentColor");
    path.setAttribute("fill-rule", "evenodd");
    svg.appendChild(path);
    b.append(svg, label);
    b.addEventListener("click", act);
    bar.appendChild(b);
    return b;
  };
  const title = "the values it was drawn with and the link go with it";
  button(CAMERA_ICON, "Image (PNG)", `The chart as an image; ${title}, under it`, () =>
    savePng(graph),
  ).dataset.action = "png";
  button(DOWNLOAD_ICON, "Data (CSV)", `Every point of the chart as a table; ${title}, above`, () =>
    saveCsv(graph),
  ).dataset.action = "csv";
  button(FULLSCREEN_ICON, "Full screen", "The chart with its sliders, full screen (Esc leaves)", () =>
    toggleFullscreen(graph),
  ).dataset.action = "fullscreen";
  return bar;
}

function setUp(parentElement) {
  const box = document.createElement("div");
  box.className = "lif-chart-box";
  const graph = document.createElement("div");
  graph.className = "lif-chart";
  graph.setAttribute("role", "figure");
  // The toolbar's buttons; one object each, so that the chart's config stays equal.
  graph.__lifFullscreenButton = {
    name: "Full screen",
    title: "Full screen",
    icon: FULLSCREEN_ICON,
    click: () => toggleFullscreen(graph),
  };
  graph.__lifImageButton = {
    name: "Image",
    title: "Download as PNG, with the values used",
    icon: CAMERA_ICON,
    click: () => savePng(graph),
  };
  box.appendChild(graph);
  const bar = actionBar(graph);
  bar.hidden = true; // shown once the chart has something to export
  box.appendChild(bar);
  parentElement.appendChild(box);
  // Redraw at the new width when the column changes size (window, sidebar).
  let pending = false;
  new ResizeObserver((entries) => {
    graph.__lifWidth = entries[entries.length - 1].contentRect.width;
    if (pending || !window.Plotly) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      fit(window.Plotly, graph);
    });
  }).observe(graph);
  return graph;
}

// The shared scripts (engine, previews, canvas and drag layers: lab_chart.py's
// SHARED_SCRIPTS) come in an element of their own; a chart mounted before they ran waits.
function whenScripts(run) {
  if (globalThis.LIFLive) run();
  else (globalThis.__lifScriptsWaiting = globalThis.__lifScriptsWaiting || []).push(run);
}

export default function (component) {
  whenScripts(() => mount(component));
}

function mount(component) {
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
      : {
          ...data.config,
          modeBarButtonsToAdd: [graph.__lifImageButton, graph.__lifFullscreenButton],
        };
  graph.__lifLab = { figure, config, configText, exportSpec: data.export || null };
  const bar = graph.parentElement.querySelector(".lif-chart-actions");
  if (bar) bar.hidden = !data.export;
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
