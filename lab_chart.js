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

function isFullscreen(box) {
  return document.fullscreenElement === box;
}

// The figure as the chart shows it: full-screen charts fill the screen.
function draw(Plotly, graph) {
  const { figure, config } = graph.__lifLab;
  const box = graph.parentElement;
  const layout = isFullscreen(box)
    ? { ...figure.layout, height: window.innerHeight }
    : figure.layout;
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

// Plotly.react keeps the width the chart was first drawn at: follow the column's width.
function fit(Plotly, graph) {
  const drawn = graph._fullLayout && graph._fullLayout.width;
  if (drawn && Math.abs(drawn - graph.clientWidth) >= 1) return Plotly.Plots.resize(graph);
}

function toggleFullscreen(box) {
  if (isFullscreen(box)) {
    document.exitFullscreen();
  } else {
    // The page's background, so that chart text stays readable in full screen.
    const app = document.querySelector('[data-testid="stApp"]') || document.body;
    box.style.background = getComputedStyle(app).backgroundColor;
    box.requestFullscreen();
  }
}

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
    click: () => toggleFullscreen(box),
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
  box.addEventListener("fullscreenchange", () => {
    if (window.Plotly && graph.__lifLab) draw(window.Plotly, graph);
  });
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
  if (!graph.hasChildNodes()) graph.style.height = `${figure.layout.height || 450}px`;
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
